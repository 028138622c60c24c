"""A throw-away PostgreSQL server for tests and benchmarks: ``initdb`` in a temp dir, started
with ``pg_ctl`` on 127.0.0.1 and a random free port, stopped and removed at the end."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from .lab import free_port


def find_pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian keeps it off PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class LabPostgres:
    """One PostgreSQL cluster owned by this process. Trust authentication for the ``sshgate``
    role, reachable on 127.0.0.1 only; fsync off (throw-away data, faster tests)."""

    def __init__(self, root: Path | None = None):
        # under /tmp, not pytest's per-user 0700 dirs: as root the server runs as `postgres`
        # (initdb refuses root), and that user must reach its data and socket directories
        self.root = Path(root or tempfile.mkdtemp(prefix="sshgate-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self.bin = find_pg_bin()
        self._as: list[str] = []

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.bin is not None
        return subprocess.run([*self._as, str(self.bin / argv[0]), *argv[1:]], check=check,
                              capture_output=True, text=True, timeout=180)

    def start(self) -> LabPostgres:
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (run scripts/setup.sh)")
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "sshgate", "--auth=trust",
                  "-E", "UTF8", "--no-sync", "--no-instructions")
        for _attempt in range(5):  # a port picked free may be taken before we bind it
            self.port = free_port()
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=200")
            got = self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-t", "120",
                            "-l", str(self.root / "server.log"), "start", check=False)
            if got.returncode == 0:
                return self
        raise RuntimeError(f"PostgreSQL did not start: {self.log()[-2000:]}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://sshgate@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its URL (one per test keeps tests independent)."""
        name = name or f"t_{secrets.token_hex(6)}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "sshgate", name)
        return self.url(name)

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.root / "server.log").read_text(errors="replace")
        return ""

    def stop(self, *, remove: bool = True) -> None:
        if self.data.exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start on the same port (recovery tests)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                "-c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-w", "-t", "120",
                  "-l", str(self.root / "server.log"), "start")
