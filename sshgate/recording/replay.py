"""Terminal playback and export of recordings; what reaches the terminal goes through
:class:`~.terminal_filter.TerminalFilter` unless the operator asks for the raw bytes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import stat
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import pyte

from .reader import Recording
from .terminal_filter import TerminalFilter


def frames(rec: Recording, *, speed: float = 1.0, idle_limit: float | None = None,
           stderr: bool = True) -> Iterator[tuple[float, str]]:
    """(delay before it, text) for each visible event; speed 0 means no delays."""
    last = 0.0
    streams = ("o", "e") if stderr else ("o",)
    for ev in rec.events:
        if ev.stream not in streams:
            continue
        delay = max(0.0, ev.time - last)
        last = ev.time
        if idle_limit is not None:
            delay = min(delay, idle_limit)
        yield (delay / speed if speed > 0 else 0.0), ev.text


class _Keys:
    """Single keystrokes from a terminal stdin (cbreak), or nothing when it is not a tty."""

    def __init__(self, stream: IO[str]):
        self.fd = stream.fileno() if stream.isatty() else None
        self._old: Any = None

    def __enter__(self) -> _Keys:
        if self.fd is not None:
            import termios
            import tty

            self._old = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None and self._old is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._old)

    def read(self, timeout: float) -> str | None:
        if self.fd is None:
            if timeout > 0:
                time.sleep(timeout)
            return None
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        return os.read(self.fd, 1).decode(errors="replace") if ready else None


def play(rec: Recording, *, speed: float = 1.0, idle_limit: float | None = None,
         raw: bool = False, out: IO[str] | None = None, keys_in: IO[str] | None = None,
         status: Callable[[str], None] | None = None) -> bool:
    """Play ``rec`` with its timing. Keys: space pause/resume, ``.`` step, ``q`` quit.
    Returns False when the viewer quit early. Unless ``raw``, the whole stream goes through
    one :class:`TerminalFilter`, and the modes it left set are undone at the end."""
    # the streams of the moment of the call (a default argument would keep those of import
    # time, and miss any redirection since)
    out = sys.stdout if out is None else out
    keys_in = sys.stdin if keys_in is None else keys_in
    total = rec.duration
    screen = None if raw else TerminalFilter()

    def write(text: str) -> None:
        if hasattr(out, "buffer"):
            out.buffer.write(text.encode("utf-8", "surrogateescape"))
        else:
            out.write(text)
        out.flush()

    shown = 0.0
    paused = False
    with _Keys(keys_in) as keys, contextlib.ExitStack() as cleanup:
        if screen is not None:
            cleanup.callback(lambda: write(screen.finish()))
        for delay, text in frames(rec, speed=speed, idle_limit=idle_limit):
            deadline = time.monotonic() + delay
            while True:
                remaining = deadline - time.monotonic()
                if not paused and remaining <= 0:
                    break
                k = keys.read(0.1 if paused else min(remaining, 0.1))
                if k == "q":
                    return False
                if k == " ":
                    paused = not paused
                    if paused and status:
                        status(f"paused at {shown:.1f}s / {total:.1f}s (space resume, . step,"
                               f" q quit)")
                elif k == "." and paused:
                    break
            write(text if screen is None else
                  screen.feed(text.encode("utf-8", "surrogateescape")))
            shown += delay * (speed or 1)
        if screen is not None:
            write(screen.finish())  # before the status line: it may leave the alternate screen
        if status:
            status(f"end of recording ({total:.1f}s)")
    return True


def to_text(rec: Recording) -> str:
    """The output rendered by a terminal emulator (pyte), as plain text."""
    width = int(rec.header.get("width") or 80)
    data = "".join(e.text for e in rec.events if e.stream in ("o", "e"))
    if not rec.meta.get("pty"):  # exec output was never wrapped by a terminal
        width = min(max([width, *(len(line) for line in data.split("\n"))]), 4000)
    height = min(max(int(rec.header.get("height") or 24), data.count("\n") + 2), 200_000)
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for ev in rec.events:
        if ev.code == "r":
            with contextlib.suppress(ValueError):
                w, h = (int(x) for x in ev.data.split("x"))
                screen.resize(max(height, h), w)
        elif ev.stream in ("o", "e"):
            text = ev.text
            if not rec.meta.get("pty"):
                text = text.replace("\n", "\r\n")
            stream.feed(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def for_terminal(data: bytes) -> bytes:
    """``data`` (a whole export) as it may be written to an operator's terminal."""
    screen = TerminalFilter()
    return (screen.feed(data) + screen.finish()).encode()


def write_new(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> None:
    """Write an export to ``path`` (mode 0600): never through a symlink, never into anything
    but a regular file, and over an existing file only with ``overwrite``. Raises OSError
    (FileExistsError, or a message that says why)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    flags |= os.O_TRUNC if overwrite else os.O_EXCL
    with contextlib.suppress(FileNotFoundError):
        mode = os.lstat(path).st_mode
        if overwrite and not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
            raise OSError(errno.EINVAL, "is not a regular file", str(path))
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise OSError(e.errno, "is a symbolic link; refusing to write through it",
                          str(path)) from None
        raise
    with os.fdopen(fd, "wb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "is not a regular file", str(path))
        f.write(data)


def to_json(rec: Recording) -> str:
    return json.dumps({"id": rec.id, "header": rec.header, "torn": rec.torn,
                       "problems": list(rec.problems), "commands": rec.commands(),
                       "events": [[e.time, e.code, e.data] for e in rec.events]},
                      ensure_ascii=True)
