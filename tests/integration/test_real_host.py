"""README "Putting it in front of a real host", run as written against a real sshd.

Every shell block of that section is executed with bash, with only names swapped for this
machine's (the target's address and port, the gateway's directory and port, a throw-away
approver user and group, the target's /etc/ssh). The held `rm -rf` is approved by the
approver user through the interactive prompt on a real terminal (a pty), reaching the
control socket through the group `init` created.
"""

from __future__ import annotations

import json
import os
import pty
import re
import secrets
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sshgate.lab import SSHD_CONFIG, free_port, make_key, stop_process, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section_blocks() -> list[str]:
    start = README.index("## Putting it in front of a real host")
    end = README.index("\n### ", start)
    return [b for b in re.findall(r"```sh\n(.*?)```", README[start:end], re.S)]


def block_with(blocks: list[str], text: str) -> str:
    hits = [b for b in blocks if text in b]
    assert len(hits) == 1, f"README real-host section: expected one block with {text!r}"
    return hits[0]


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


@pytest.fixture
def throwaway_approver():
    """An OS user and group that exist only for this test (root only)."""
    if os.geteuid() != 0:
        pytest.skip("needs root: creates a throw-away OS user and group to approve through "
                    "the control socket's group")
    for tool in ("useradd", "userdel", "groupdel", "gpasswd", "groupadd", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    tag = secrets.token_hex(3)
    user, group = f"sgappr{tag}", f"sgctl{tag}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/bash", user], check=True,
                   capture_output=True)
    try:
        yield user, group
    finally:
        subprocess.run(["userdel", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


def cli_for(user: str, directory: Path) -> Path:
    """A directory with an ``sshgate`` that ``user`` can run: this interpreter when it can,
    else the system Python of the same version over this environment's packages (what the
    README's "Installing the CLI" gives approvers; a developer's Python may sit in /root)."""
    probe = subprocess.run(["runuser", "-u", user, "--", sys.executable, "-c", "import sshgate"],
                           capture_output=True)
    if probe.returncode == 0:
        return Path(sys.executable).parent
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/bin:/usr/local/bin")
    if system is None:
        pytest.skip(f"{user} cannot run {sys.executable} and there is no system {version}")
    import sshgate

    site_dirs = [p for p in sys.path if p.endswith("site-packages")]
    directory.mkdir()
    script = directory / "sshgate"
    cache = directory / "pycache"
    cache.mkdir()
    shutil.chown(cache, user)
    script.write_text(f"#!{system} -IS\nimport site, sys\nsys.pycache_prefix = {str(cache)!r}\n"
                      + "".join(f"site.addsitedir({d!r})\n" for d in site_dirs)
                      + f"sys.path.insert(0, {str(Path(sshgate.__file__).parents[1])!r})\n"
                      + "from sshgate.cli.main import main\nmain()\n")
    script.chmod(0o755)
    return directory


class Terminal:
    """A process on a pty: what it printed, and keystrokes to it."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True)
        os.close(slave)
        self.screen = b""

    def expect(self, pattern: str, timeout: float = 60) -> re.Match[bytes]:
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern.encode(), re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", self.screen))
            if m:
                return m
            left = deadline - time.monotonic()
            assert left > 0 and self.proc.poll() is None, (
                f"waited for {pattern!r}; the terminal shows:\n"
                + self.screen.decode(errors="replace"))
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:
                    pass

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        stop_process(self.proc, timeout=5)
        os.close(self.master)


def test_readme_real_host_steps_as_written(throwaway_approver):
    user, group = throwaway_approver
    blocks = section_blocks()
    base = Path(tempfile.mkdtemp(prefix="sshgate-realhost-", dir="/tmp"))
    base.chmod(0o755)  # the approver must reach the gateway's state dir below it
    gw, target, work = base / "etc-sshgate", base / "target", base / "work"
    target.mkdir()
    work.mkdir()
    victim = base / "srv-app-cache"
    victim.mkdir()
    (victim / "data").write_text("x")
    tport, gport = free_port(), free_port()
    procs: list[subprocess.Popen] = []
    terminal: Terminal | None = None
    try:
        # the target: stock sshd that does not trust the gateway CA yet
        make_key(target / "ssh_host_ed25519_key", "web-1")
        config = SSHD_CONFIG.replace("TrustedUserCAKeys {dir}/trusted_ca.pub\n", "")
        (target / "sshd_config").write_text(config.format(port=tport, dir=target,
                                                          authorized_keys="none",
                                                          log_level="VERBOSE"))
        sshd = subprocess.Popen(["/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else
                                 shutil.which("sshd"), "-D", "-f", str(target / "sshd_config"),
                                 "-E", str(target / "sshd.log")], stdin=subprocess.DEVNULL)
        procs.append(sshd)
        wait_for_port(tport, 10, sshd, "sshd")

        swaps = [
            ("/etc/sshgate", str(gw)), ("/etc/ssh/", f"{target}/"), ("/srv/app/cache", str(victim)),
            ("10.0.0.5", "127.0.0.1"), ("-p 22 ", f"-p {tport} "),
            ("--target-port 22", f"--target-port {tport}"),
            ("0.0.0.0:2222", f"127.0.0.1:{gport}"), ("[gateway.example]:2222",
                                                       f"[127.0.0.1]:{gport}"),
            ("-p 2222", f"-p {gport}"), ("gateway.example", "127.0.0.1"),
            ("--approver alice", f"--approver {user}"), ("sshgate-approvers", group),
            ("--login deploy", "--login root"), ("deploy@web-1", "root@web-1"),
            ("systemctl reload ssh", f"kill -HUP {sshd.pid}"),
        ]

        def local(line: str) -> str:
            for a, b in swaps:
                line = line.replace(a, b)
            return line

        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SSHGATE", "SSH_AUTH", "SUDO_"))}
        env.update(PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
                   HOME=str(work), COLUMNS="200")

        def run(line: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
            r = subprocess.run(["bash", "-c", local(line)], cwd=work, env=env, text=True,
                               capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
            assert r.returncode == 0, f"{line}\n-> {local(line)}\n{r.stdout}{r.stderr}"
            return r

        # 1. host key, 2. init
        for line in commands(block_with(blocks, "ssh-keyscan")):
            run(line)
        assert "ED25519" in run("ssh-keygen -lf web-1.hostkey").stdout
        out = run(commands(block_with(blocks, "sshgate init"))[0]).stdout
        assert f"added {user} to {group}" in out and "created OS group" in out
        assert user in subprocess.run(["id", "-nG", user], capture_output=True,
                                      text=True).stdout.split() or group in subprocess.run(
            ["id", "-nG", user], capture_output=True, text=True).stdout
        pinned = (target / "ssh_host_ed25519_key.pub").read_text().split()[1]
        assert pinned in (gw / "policies/example.yaml").read_text()
        # 3. the CA on the target, with the line the gateway printed
        ca_line = run(commands(block_with(blocks, "ca public-key"))[0]).stdout.strip()
        assert ca_line.startswith("ssh-ed25519 ")
        for line in commands(block_with(blocks, "TrustedUserCAKeys")):
            line = re.sub(r"'ssh-ed25519 AAAA[^']*'", shlex.quote(ca_line), line)
            run(line)
        time.sleep(0.5)  # sshd re-executes itself on SIGHUP
        wait_for_port(tport, 10, sshd, "sshd after reload")
        # 4. policy check, 5. serve
        run(commands(block_with(blocks, "policy check"))[0])
        serve = subprocess.Popen(["bash", "-c", "exec " + local(commands(
            block_with(blocks, "sshgate serve"))[0])], cwd=work, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        procs.append(serve)
        wait_for_port(gport, 20, serve, "sshgate serve")
        # 6. the agent's known_hosts line
        run(commands(block_with(blocks, "gateway_known_hosts\n"))[0])
        # 7. the approver's prompt, as that user, through the group
        approve_line = local(commands(block_with(blocks, "sshgate approvals"))[0])
        approver_env = {**env, "PATH": f"{cli_for(user, base / 'bin')}:{env['PATH']}"}
        terminal = Terminal(["runuser", "-u", user, "--", "bash", "-c", approve_line],
                            approver_env)
        terminal.expect(f"connected to the gateway as {user}")
        agent = subprocess.Popen(["bash", "-c", local(commands(block_with(
            blocks, "BatchMode=yes"))[0])], cwd=work, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(agent)
        terminal.expect(r"approval request [0-9a-f]+")
        terminal.expect("fs.rm-recursive")
        assert victim.exists()
        terminal.type("a looks fine\r")
        out_b, err_b = agent.communicate(timeout=60)
        err = err_b.decode(errors="replace")
        assert agent.returncode == 0, err
        assert "waiting for approval" in err
        assert not victim.exists()
        terminal.expect(f"approved by {user}")
        terminal.type("q\r")
        # 8. recordings verify, and who approved
        run(commands(block_with(blocks, "recordings verify"))[0])
        shown = subprocess.run([sys.executable, "-m", "sshgate", "recordings", "list", "--json",
                                "--config", str(gw / "sshgate.yaml")], capture_output=True,
                               text=True, env=env, check=True)
        rid = json.loads(shown.stdout)[-1]["id"]
        show = subprocess.run([sys.executable, "-m", "sshgate", "recordings", "show", rid,
                               "--json", "--config", str(gw / "sshgate.yaml")],
                              capture_output=True, text=True, env=env, check=True)
        timeline = json.loads(show.stdout)["timeline"]
        assert timeline[0]["decision"] == "approved" and timeline[0]["reviewer"] == user
        assert "Accepted certificate ID \"sshgate:example-agent:" in (
            target / "sshd.log").read_text()
    finally:
        if terminal is not None:
            terminal.close()
        for p in reversed(procs):
            stop_process(p)
        shutil.rmtree(base, ignore_errors=True)
