"""``sshgate demo``: the whole idea on this machine in one command.

A throw-away setup in a temp dir: a target (OpenSSH sshd, or the embedded target), the
gateway, and a scripted agent using the real ``ssh`` client over one multiplexed session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from .display import shown
from .lab import Lab, find_sshd


class Demo:
    def __init__(self, console: Console, *, yes: bool, keep: bool, directory: Path | None = None,
                 replay_speed: float = 4.0, cli: str = "sshgate"):
        self.console = console
        self.cli = cli
        self.yes = yes
        self.keep = keep
        self.own_dir = directory is None
        self.directory = directory or Path(tempfile.mkdtemp(prefix="sshgate-demo-"))
        self.replay_speed = replay_speed
        self.lab: Lab | None = None
        self.started = time.monotonic()
        self.first_output: float | None = None

    # -- narration --------------------------------------------------------------------------
    def step(self, text: str) -> None:
        self.console.print(f"[bold cyan]▶[/] {text}")

    def out(self, data: bytes, colour: str) -> None:
        """The agent's stdout (green bar) or stderr (yellow bar), line by line."""
        for line in data.decode(errors="replace").splitlines():
            self.console.print(Text.assemble(("  │ ", colour), shown(line)), highlight=False)

    def show_cmd(self, argv: list[str]) -> None:
        self.console.print(Text(f"  $ {shlex.join(argv)}", style="dim"), soft_wrap=True)

    def sshgate(self, *args: str) -> list[str]:
        assert self.lab is not None
        return [*shlex.split(self.cli), *args, "--config", str(self.lab.config)]

    def agent_argv(self, command: str) -> list[str]:
        assert self.lab is not None
        return self.lab.ssh_argv(command)

    def agent(self, command: str, **kw) -> subprocess.CompletedProcess[bytes]:
        argv = self.agent_argv(command)
        self.console.print(f"  [dim]agent$[/] ssh -p {self.lab.gateway.port} "
                           f"{self.lab.login}@lab@127.0.0.1 {shlex.quote(command)}")
        r = subprocess.run(argv, capture_output=True, timeout=kw.pop("timeout", 120),
                           stdin=subprocess.DEVNULL, **kw)
        if self.first_output is None and r.stdout:
            self.first_output = time.monotonic() - self.started
        self.out(r.stdout, "green")
        self.out(r.stderr, "yellow")
        self.console.print(f"  [dim]exit status {r.returncode}[/]")
        return r

    # -- the script -----------------------------------------------------------------------------
    def run(self) -> int:
        kind = "OpenSSH sshd" if find_sshd() else "the embedded asyncssh target (no sshd found)"
        self.step(f"setting up in {self.directory}: gateway CA, host key, policy, target = {kind}")
        cache = self.directory / "target-cache"
        cache.mkdir()
        (cache / "old-build.tar").write_bytes(b"x" * 1024)
        self.lab = Lab(self.directory / "lab", approval={"timeout": "2m", "no_reviewer": "wait"})
        self.lab.start()
        lab = self.lab
        self.step(f"gateway listening on 127.0.0.1:{lab.gateway.port}, target on "
                  f"127.0.0.1:{lab.target.port} (trusts only the gateway CA)")

        self.step("the agent runs ordinary commands: they are classified and allowed")
        for cmd in ("echo hello from $(hostname); uname -sr", "df -h / | tail -1"):
            if self.agent(cmd).returncode != 0:
                self.console.print("[red]an allowed command failed; see above[/]")
                return 1

        self.step("a destructive command is held until a human approves it")
        if not self.approve_held(f"rm -rf {cache}"):
            return 1
        self.console.print(f"  cache directory still exists: {cache.exists()}")

        self.step("a forbidden command is refused before it reaches the target (exit 77)")
        r = self.agent("sudo mkfs.ext4 /dev/sda1")
        if r.returncode != 77:
            self.console.print("[red]expected a refusal[/]")
            return 1

        self.wait_sealed(4)
        self.step("every session is recorded, sealed and tied to the identity")
        self.show_cmd(self.sshgate("recordings", "list"))
        self.run_cli("recordings", "list")
        self.show_cmd(self.sshgate("recordings", "verify", "--all"))
        self.run_cli("recordings", "verify", "--all")
        for rid in self.recording_ids():
            self.step(f"replaying session {rid} as the agent saw it")
            self.show_cmd(self.sshgate("replay", rid))
            self.run_cli("replay", rid, "--speed", str(self.replay_speed), "--idle-limit", "0.5")
        if self.first_output is not None:
            self.step(f"time from start to the first agent command output: "
                      f"{self.first_output:.2f}s")
        self.how_to()
        return 0

    def approve_held(self, command: str) -> bool:
        prompt: subprocess.Popen | None = None
        if not self.yes:
            # the reviewer's prompt is up before the command arrives, as in production: the
            # agent is never told that nobody is watching
            self.step("your turn: the approval prompt below is what ops people run "
                      "(`sshgate approvals`); type a + Enter to approve, d + Enter to deny")
            prompt = subprocess.Popen([sys.executable, "-m", "sshgate", "approvals",
                                       "--config", str(self.lab.config)])
            if not self.wait_for_reviewer(prompt):
                self.stop_prompt(prompt)
                self.console.print("[red]the approval prompt did not connect[/]")
                return False
        argv = self.agent_argv(command)
        self.console.print(f"  [dim]agent$[/] ssh ... {shlex.quote(command)}")
        agent = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            if prompt is None:
                req = self.wait_for_request()
                if req is None:
                    agent.kill()
                    self.console.print("[red]the request never arrived[/]")
                    return False
                first = req["findings"][0]
                self.out(f"sshgate: waiting for approval {req['id']} ({first['rule']}: "
                         f"{first['why']})".encode(), "yellow")
                self.step(f"--yes: approving {req['id']} as reviewer (sshgate approve)")
                self.show_cmd(self.sshgate("approve", req["id"], "--reason", "demo"))
                self.run_cli("approve", req["id"], "--reason", "demo")
            else:
                while agent.poll() is None and prompt.poll() is None:
                    time.sleep(0.1)
        finally:
            if prompt is not None:
                self.stop_prompt(prompt)
        out, err = agent.communicate(timeout=150)
        if prompt is None:  # its waiting line was shown when the request arrived
            err = b"\n".join(line for line in err.splitlines()
                             if b"waiting for approval" not in line)
        self.console.print("  [dim]the agent's side:[/]")
        self.out(err, "yellow")
        self.out(out, "green")
        self.console.print(f"  [dim]exit status {agent.returncode}[/]")
        return True

    def wait_for_reviewer(self, prompt: subprocess.Popen, timeout: float = 30) -> bool:
        """Until the gateway counts the prompt as a connected reviewer."""
        from .approvals.control import ControlError, call
        from .config import load_config

        socket = load_config(self.lab.config).control_socket
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and prompt.poll() is None:
            with contextlib.suppress(ControlError, OSError, ValueError):
                reply = asyncio.run(call(socket, {"op": "list"}))
                if reply.get("reviewers", 0) > 0:
                    return True
            time.sleep(0.1)
        return False

    @staticmethod
    def stop_prompt(prompt: subprocess.Popen) -> None:
        if prompt.poll() is None:
            prompt.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                prompt.wait(5)
            if prompt.poll() is None:
                prompt.kill()

    def wait_for_request(self, timeout: float = 30) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = subprocess.run([sys.executable, "-m", "sshgate", "approvals", "list", "--json",
                                "--config", str(self.lab.config)], capture_output=True)
            if r.returncode == 0:
                reqs = json.loads(r.stdout)
                if reqs:
                    return reqs[0]
            time.sleep(0.1)
        return None

    def run_cli(self, *args: str) -> int:
        return subprocess.run([sys.executable, "-m", "sshgate", *args, "--config",
                               str(self.lab.config)], stdin=subprocess.DEVNULL).returncode

    def recording_ids(self) -> list[str]:
        from .recording.reader import list_recordings

        return [p.name.removesuffix(".cast") for p in list_recordings(self.lab.recordings)]

    def wait_sealed(self, n: int, timeout: float = 10) -> None:
        """Recordings are sealed (and their seals audited) when each session closes."""
        from .audit import read_audit

        audit = self.lab.audit_path
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and sum(
                e.get("event") == "recording.sealed" for e in read_audit(audit)) < n:
            time.sleep(0.05)

    def how_to(self) -> None:
        """Commands to try while ``--keep`` holds the setup up (without it, it is gone)."""
        lab = self.lab
        if not self.keep:
            self.console.print("\nRun [bold]sshgate demo --keep[/] to leave the gateway and "
                               "target up and try each piece by hand.")
            return
        ids = self.recording_ids()
        self.console.print("\n[bold]Run each piece by hand[/] (in another terminal, while this "
                           "one keeps the setup up):")
        for line in (
            shlex.join(lab.ssh_argv("uptime")) + "   # an agent command",
            shlex.join(lab.ssh_argv("rm -rf /tmp/sshgate-demo-nothing")) + "   # held",
            shlex.join(self.sshgate("approvals")) + "   # the reviewer's prompt",
            shlex.join([*shlex.split(self.cli), "classify", "rm -rf /srv/cache"])
            + "   # what the guard thinks",
            shlex.join(self.sshgate("recordings", "list")),
            shlex.join(self.sshgate("replay", ids[-1] if ids else "ID")),
        ):
            self.console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)

    def cleanup(self) -> None:
        if self.lab is not None:
            self.lab.stop()
        if self.own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)


def run_demo(console: Console, *, yes: bool, keep: bool, replay_speed: float = 4.0,
             wait: Callable[[], None] | None = None, cli: str = "sshgate") -> int:
    """Run the demo; clean up every process and file unless ``keep``. ``cli``: how the
    commands it shows run the CLI (an absolute path, so that they work when pasted)."""
    demo = Demo(console, yes=yes, keep=keep, replay_speed=replay_speed, cli=cli)

    def on_term(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, on_term)
    status = 1
    try:
        status = demo.run()
        if keep and status == 0:
            console.print(f"\n[bold]--keep:[/] the gateway and target stay up; setup in "
                          f"{demo.directory}. Press Ctrl-C to stop and clean up.",
                          soft_wrap=True)
            (wait or _forever)()
    except KeyboardInterrupt:
        console.print("\n[yellow]interrupted; cleaning up[/]")
        status = 130
    finally:
        demo.cleanup()
        signal.signal(signal.SIGTERM, old)
    if not keep or status != 0:
        console.print("[dim]cleaned up: all demo processes stopped and the temp dir removed[/]")
    return status


def _forever() -> None:
    while True:
        time.sleep(3600)
