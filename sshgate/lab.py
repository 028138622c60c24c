"""A throw-away local lab: a real OpenSSH sshd target, a gateway process and agent keys.

Used by ``sshgate demo``, the integration tests and the benchmarks. Loopback only, random
free ports, every process it starts is stopped on exit.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import asyncssh

from .certs import public_key_line, write_private_key

if TYPE_CHECKING:
    from .lab_forkserver import ForkedProcess, ForkServer

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")


def find_sshd() -> str | None:
    """The system's OpenSSH sshd, if installed (``SSHGATE_SSHD=none`` pretends it is not)."""
    forced = os.environ.get("SSHGATE_SSHD")
    if forced:
        return None if forced == "none" else forced
    found = shutil.which("sshd")
    if found:
        return found
    return next((p for p in SSHD_CANDIDATES if os.access(p, os.X_OK)), None)


def _ephemeral_range() -> tuple[int, int]:
    try:
        lo, hi = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A port free on 127.0.0.1 now, outside the kernel's ephemeral range: a port the
    kernel hands out itself (bind to 0) may become the local end of any outgoing connection
    before the service that was given it binds, or while it restarts (a flaky CI run)."""
    lo, hi = _ephemeral_range()
    below = (10000, lo) if lo > 12000 else (hi + 1, 65536) if hi < 63000 else None
    if below is not None:
        rng = random.SystemRandom()
        for _ in range(64):
            port = rng.randrange(*below)
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0, proc: subprocess.Popen | None = None,
                  what: str = "service") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise TimeoutError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:g}s")


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM,
                 timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        # a process with many threads (one recorder per session) can take a while to be
        # torn down after SIGKILL; the caller's cleanup must still go on
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)


def process_rss_kb(pid: int) -> int:
    """Resident memory of a running process, in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise LookupError(f"process {pid} reports no VmRSS")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_run(argv: list[str], timeout: float = 30) -> tuple[int, float]:
    """Run ``argv`` with stdio on /dev/null: (exit status, seconds). A blocking wait with a
    kill timer, because ``subprocess.run(timeout=...)`` polls with sleeps that double up to
    50 ms and so rounds a 9 ms command up to 15.5 ms."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        status = proc.wait()
    finally:
        timer.cancel()
    return status, time.perf_counter() - started


@contextlib.contextmanager
def control_master(argv_for: Callable[[str | None, list[str]], list[str]], path: Path
                   ) -> Iterator[list[str]]:
    """An OpenSSH ControlMaster on the socket ``path``, started with ``argv_for(command,
    ssh_options)``; yields the options that run a command over it, and stops it after."""
    quiet: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                   "stderr": subprocess.DEVNULL, "timeout": 30}
    subprocess.run(argv_for(None, ["-o", "ControlMaster=yes", "-o", f"ControlPath={path}",
                                   "-o", "ControlPersist=120", "-N", "-f"]),
                   check=True, **quiet)
    opts = ["-o", "ControlMaster=no", "-o", f"ControlPath={path}"]
    try:
        yield opts
    finally:
        subprocess.run(argv_for(None, [*opts, "-O", "exit"]), **quiet)


def _default_file_limit() -> None:
    """sshd closes every descriptor up to the soft limit for each session: a raised limit
    inherited from a benchmark makes each session start crawl."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))


def make_key(path: Path, comment: str) -> str:
    """An Ed25519 key pair at ``path`` (0600) for ssh; returns the public key line."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    write_private_key(key, path)
    return public_key_line(key)


SSHD_CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {dir}/ssh_host_ed25519_key
PidFile {dir}/sshd.pid
AuthorizedKeysFile {authorized_keys}
TrustedUserCAKeys {dir}/trusted_ca.pub
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
LogLevel {log_level}
AcceptEnv LANG LC_* SSHGATE_*
Subsystem sftp internal-sftp
MaxStartups 2000:30:4000
MaxSessions 200
ClientAliveInterval 0
# bash sources the login's ~/.bashrc for commands run by sshd unless SHLVL says it is nested:
# the lab measures sshgate and OpenSSH, not this machine's dotfiles (pyenv's rehash lock
# made 1,000 concurrent `sleep 2` sessions take minutes); and an interactive shell keeps its
# history in the lab's directory, not in the login's (a test's `history` read every line
# every earlier test had typed: 16,000 lines, 88 s; `!touch` expanded another test's line)
SetEnv SHLVL=1 HISTFILE={dir}/bash_history
Ciphers aes128-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr
"""


@dataclass
class SshdTarget:
    """A real OpenSSH sshd on 127.0.0.1 trusting ``ca_public_key`` for user certificates."""

    directory: Path
    ca_public_key: str
    authorized_keys: list[str] = field(default_factory=list)
    port: int = 0
    proc: subprocess.Popen | None = None
    host_key_line: str = ""
    sshd: str | None = None
    #: DEBUG1 logs each channel the target opens ("server_input_channel_open")
    log_level: str = "VERBOSE"

    @property
    def log_path(self) -> Path:
        return self.directory / "sshd.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> SshdTarget:
        self.sshd = self.sshd or find_sshd()
        if self.sshd is None:
            raise FileNotFoundError("OpenSSH sshd is not installed (apt-get install "
                                    "openssh-server)")
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        if not (d / "ssh_host_ed25519_key").exists():
            self.host_key_line = make_key(d / "ssh_host_ed25519_key", "lab-target")
        else:
            self.host_key_line = " ".join(
                (d / "ssh_host_ed25519_key.pub").read_text().split()[:2])
        (d / "trusted_ca.pub").write_text(self.ca_public_key + "\n")
        ak = "none"
        if self.authorized_keys:
            (d / "authorized_keys").write_text("\n".join(self.authorized_keys) + "\n")
            ak = str(d / "authorized_keys")
        self.port = self.port or free_port()
        (d / "sshd_config").write_text(SSHD_CONFIG.format(port=self.port, dir=d,
                                                          authorized_keys=ak,
                                                          log_level=self.log_level))
        self.proc = subprocess.Popen(
            [self.sshd, "-D", "-e", "-f", str(d / "sshd_config"), "-E", str(self.log_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=_default_file_limit,
        )
        try:
            wait_for_port(self.port, 10, self.proc, "sshd")
        except RuntimeError as e:
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            raise RuntimeError(f"{e}: {err}{self.log()}") from None
        return self

    def stop(self) -> None:
        stop_process(self.proc)


@dataclass
class EmbeddedTarget:
    """The asyncssh stand-in target (``sshgate.embedded_target``) when sshd is missing."""

    directory: Path
    ca_public_key: str
    port: int = 0
    proc: subprocess.Popen | None = None
    host_key_line: str = ""

    @property
    def log_path(self) -> Path:
        return self.directory / "target.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> EmbeddedTarget:
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        self.host_key_line = make_key(d / "host_key", "embedded-target")
        (d / "trusted_ca.pub").write_text(self.ca_public_key + "\n")
        self.port = self.port or free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sshgate.embedded_target", "--port", str(self.port),
             "--host-key", str(d / "host_key"), "--ca", str(d / "trusted_ca.pub"),
             "--log", str(self.log_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, 15, self.proc, "embedded target")
        return self

    def stop(self) -> None:
        stop_process(self.proc)


def ssh_command(port: int, user: str, key: Path, command: str | None = None,
                extra: list[str] | None = None) -> list[str]:
    """An OpenSSH client command line that uses only ``key`` and reads no user config."""
    argv = [
        "ssh", "-F", "/dev/null", "-p", str(port), "-i", str(key),
        "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
        *(extra or []), f"{user}@127.0.0.1",
    ]
    if command is not None:
        argv.append(command)
    return argv


@dataclass
class GatewayProcess:
    """``sshgate serve`` as a child process."""

    config: Path
    port: int = 0
    proc: subprocess.Popen | ForkedProcess | None = None
    log_path: Path | None = None
    env: dict[str, str] | None = None
    #: a command the gateway runs under, e.g. ``["prlimit", "--fsize=4000000"]``
    wrapper: list[str] | None = None
    #: fork the gateway from this warm process when it can (tests: see lab_forkserver)
    forkserver: ForkServer | None = None

    def start(self, timeout: float = 20.0) -> GatewayProcess:
        self.port = self.port or free_port()
        self.log_path = self.log_path or self.config.parent / "gateway.log"
        args = ["serve", "--config", str(self.config), "--listen", f"127.0.0.1:{self.port}"]
        env = {**os.environ, "COLUMNS": "200", **(self.env or {})}
        with self.log_path.open("ab") as log:
            if (self.forkserver is not None and not self.wrapper
                    and self.forkserver.usable_for(env)):
                with open(os.devnull, "rb") as null:
                    self.proc = self.forkserver.spawn(args, env=env, stdin=null.fileno(),
                                                      stdout=log.fileno(), stderr=log.fileno())
            else:
                self.proc = subprocess.Popen(
                    [*(self.wrapper or []), sys.executable, "-m", "sshgate", *args],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for_port(self.port, timeout, self.proc, "sshgate serve")
        except RuntimeError as e:
            raise RuntimeError(f"{e}\n{self.log()}") from None
        except TimeoutError:
            # too slow to listen (a loaded machine): nobody else holds it to stop it later
            stop_process(self.proc)
            raise
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
        stop_process(self.proc, sig, timeout)
        return self.proc.returncode if self.proc else None


def current_login() -> str:
    return getpass.getuser()


def lab_policy(*, agent_key: str, target_port: int, target_host_key: str, login: str,
               approvers: list[str] | None = None, max_session: str = "30m",
               shell: bool = False, rules: list[dict] | None = None,
               extra: dict | None = None, approval: dict | None = None,
               grant: dict | None = None, unknown: str | None = None,
               allow: list | None = None) -> dict:
    """The lab's policy as plain data: one agent, one target ``lab`` (plus ``down``).
    ``unknown``/``allow`` set the grant's guard settings (default: the product default)."""
    policy = {
        "identities": [{"name": "lab-agent", "keys": [agent_key]}],
        "targets": [
            {"name": "lab", "host": "127.0.0.1", "port": target_port,
             "host_key": target_host_key},
            {"name": "down", "host": "127.0.0.1", "port": free_port(),
             "host_key": target_host_key},
            {"name": "elsewhere", "host": "127.0.0.1", "port": target_port,
             "host_key": target_host_key},
        ],
        "grants": [{"identity": "lab-agent", "targets": ["lab", "down"], "logins": [login],
                    "max_session": max_session, "shell": shell,
                    "env": ["LANG", "LC_*", "SSHGATE_*"], **(grant or {})}],
        "approvers": approvers if approvers is not None else [current_login()],
        "approval": approval or {"timeout": "5m", "no_reviewer": "wait"},
        "rules": rules or [],
    }
    if unknown is not None:
        policy["grants"][0]["unknown"] = unknown
    if allow is not None:
        policy["grants"][0]["allow"] = allow
    for k, v in (extra or {}).items():
        if isinstance(v, list):
            policy.setdefault(k, []).extend(v)
        else:
            policy[k] = v
    return policy


class Lab:
    """sshd target + ``sshgate serve`` + an agent key, in ``directory``."""

    def __init__(self, directory: Path, *, direct_access: bool = False,
                 target: str = "auto", settings: dict | None = None,
                 gateway_wrapper: list[str] | None = None, fast_relay: bool = False,
                 forkserver: ForkServer | None = None, target_log_level: str = "VERBOSE",
                 **policy_kw):
        self.directory = directory
        self.target_log_level = target_log_level
        self.forkserver = forkserver
        self.gateway_wrapper = gateway_wrapper
        self.settings = {**(settings or {}), **({"fast_relay": True} if fast_relay else {})}
        self.direct_access = direct_access
        self.target_kind = target
        self.policy_kw = policy_kw
        self.login = current_login()
        self.target: SshdTarget | EmbeddedTarget | None = None
        self.gateway: GatewayProcess | None = None
        self.config = directory / "gw" / "sshgate.yaml"
        self.agent_key = directory / "gw" / "keys" / "agent"
        self.agent_pub = ""
        self._socket_dir: Path | None = None
        #: further gateways sharing this lab's database (add_replica)
        self.replicas: list[GatewayProcess] = []
        self._extra_dirs: list[Path] = []

    def start(self) -> Lab:
        from .scaffold import init_directory

        init_directory(self.directory / "gw", login=self.login)
        self.agent_pub = " ".join(Path(str(self.agent_key) + ".pub").read_text().split()[:2])
        ca_pub = " ".join((self.directory / "gw/keys/ca.pub").read_text().split()[:2])
        if self.target_kind == "embedded" or (self.target_kind == "auto" and find_sshd() is None):
            self.target = EmbeddedTarget(self.directory / "target", ca_pub)
        else:
            self.target = SshdTarget(self.directory / "target", ca_pub,
                                     authorized_keys=[self.agent_pub] if self.direct_access
                                     else [], log_level=self.target_log_level)
        self.target.start()
        self.write_policy(**self.policy_kw)
        from .config import MAX_SOCKET_PATH

        if len(str(self.config.parent / "state" / "control.sock")) > MAX_SOCKET_PATH:
            # a deep temporary directory: the socket goes to a private (0700) directory of
            # its own, never straight into /tmp
            self._socket_dir = Path(tempfile.mkdtemp(prefix="sshgate-lab-"))
            self.settings = {"control_socket": str(self._socket_dir / "control.sock"),
                             **self.settings}
        if self.settings:
            import yaml

            with self.config.open("a") as f:
                f.write(yaml.safe_dump(self.settings))
        self.gateway = GatewayProcess(self.config, wrapper=self.gateway_wrapper,
                                      forkserver=self.forkserver).start()
        return self

    def add_replica(self, directory: Path) -> GatewayProcess:
        """A second ``sshgate serve`` of this lab's fleet (``database:`` set): the same CA,
        host key, signing keys and policies (copied), its own state_dir and control socket,
        another port. Stopped by :meth:`stop`."""
        import yaml

        shutil.copytree(self.config.parent, directory,
                        ignore=shutil.ignore_patterns("state", "recordings", "*.log"))
        settings = yaml.safe_load((directory / "sshgate.yaml").read_text())
        sock_dir = Path(tempfile.mkdtemp(prefix="sshgate-lab-"))
        self._extra_dirs.append(sock_dir)
        settings["control_socket"] = str(sock_dir / "control.sock")
        (directory / "sshgate.yaml").write_text(yaml.safe_dump(settings))
        replica = GatewayProcess(directory / "sshgate.yaml", wrapper=self.gateway_wrapper,
                                 forkserver=self.forkserver)
        self.replicas.append(replica)
        return replica.start()

    def write_policy(self, **kw) -> Path:
        import yaml

        assert self.target is not None
        pol = lab_policy(agent_key=self.agent_pub, target_port=self.target.port,
                         target_host_key=self.target.host_key_line, login=self.login, **kw)
        path = self.directory / "gw" / "policies" / "example.yaml"
        path.write_text(yaml.safe_dump(pol, sort_keys=False))
        return path

    @property
    def audit_path(self) -> Path:
        return self.directory / "gw" / "state" / "audit.jsonl"

    @property
    def recordings(self) -> Path:
        return self.directory / "gw" / "recordings"

    def ssh_argv(self, command: str | None = None, *, user: str | None = None,
                 key: Path | None = None, extra: list[str] | None = None) -> list[str]:
        assert self.gateway is not None
        return ssh_command(self.gateway.port, user or f"{self.login}@lab", key or self.agent_key,
                           command, extra)

    def ssh(self, command: str | None = None, *, user: str | None = None,
            key: Path | None = None, input: bytes | None = None, timeout: float = 60,
            extra: list[str] | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run the real OpenSSH client through the gateway."""
        return subprocess.run(self.ssh_argv(command, user=user, key=key, extra=extra),
                              input=input if input is not None else b"", capture_output=True,
                              timeout=timeout)

    def direct_argv(self, command: str | None = None, extra: list[str] | None = None
                    ) -> list[str]:
        assert self.target is not None
        return ssh_command(self.target.port, self.login, self.agent_key, command, extra)

    def stop(self) -> None:
        try:
            for replica in self.replicas:
                replica.stop()
            if self.gateway is not None:
                self.gateway.stop()
        finally:
            if self.target is not None:
                self.target.stop()
            for d in [self._socket_dir, *self._extra_dirs]:
                if d is not None:
                    shutil.rmtree(d, ignore_errors=True)

    def __enter__(self) -> Lab:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
