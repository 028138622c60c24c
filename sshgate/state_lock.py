"""One gateway per state directory: an exclusive ``flock`` held for the life of ``serve``."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

LOCK_NAME = "sshgate.lock"


class AlreadyRunning(Exception):
    """Another ``sshgate serve`` holds the state directory."""

    def __init__(self, state_dir: Path, pid: int | None):
        self.state_dir = state_dir
        self.pid = pid
        who = f"pid {pid}" if pid else "another process"
        super().__init__(
            f"another sshgate serve ({who}) is running with state directory {state_dir}; "
            "stop it first (one gateway per state_dir: its control socket, pid file and "
            "audit log belong to that process)")


def _read_pid(fd: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(os.pread(fd, 32, 0).split()[0])
    return None


class StateLock:
    """Exclusive lock on ``state_dir/sshgate.lock``; the holder's pid is written in it.
    The kernel drops the lock when the process dies, so a crash never leaves it stale."""

    def __init__(self, state_dir: Path):
        self.state_dir = state_dir
        self.path = state_dir / LOCK_NAME
        self._fd = -1

    def acquire(self) -> None:
        """Take the lock or raise :class:`AlreadyRunning` naming the holder's pid."""
        self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise AlreadyRunning(self.state_dir, pid) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing drops the flock; the file stays (no unlink race)
            self._fd = -1

    def __enter__(self) -> StateLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(state_dir: Path) -> int | None:
    """The pid of the ``serve`` holding ``state_dir`` (0 if unknown), or None if none does."""
    try:
        fd = os.open(state_dir / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(fd) or 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
