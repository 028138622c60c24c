"""Terminal playback and export of recordings, with hostile escape sequences neutralised."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import pyte

from .reader import Recording

# OSC (title, clipboard OSC 52, hyperlinks...), DCS/APC/PM/SOS strings, and CSI sequences that
# make the terminal answer or change its window: none may reach an operator's terminal.
_DANGEROUS = re.compile(
    r"(\x1b\]|\x9d)[^\x07\x1b\x9c]*(\x07|\x1b\\|\x9c)?"        # OSC ... BEL/ST
    r"|(\x1b[P_^X]|[\x90\x9e\x9f\x98])[^\x1b\x9c]*(\x1b\\|\x9c)?"  # DCS/APC/PM/SOS ... ST
    r"|(\x1b\[|\x9b)[0-9;?>=]*[ $]?[nctpq]"                      # DSR, DA, window ops, DECRQM
    r"|\x1b[Z]"                                                  # DECID (identify)
)


def neutralise(text: str) -> str:
    """Remove escape sequences that could rewrite the operator's clipboard, title, or make
    the terminal type a response; keep colours and cursor movement."""
    return _DANGEROUS.sub("", text)


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
         raw: bool = False, out: IO[str] = sys.stdout, keys_in: IO[str] = sys.stdin,
         status: Callable[[str], None] | None = None) -> bool:
    """Play ``rec`` with its timing. Keys: space pause/resume, ``.`` step, ``q`` quit.
    Returns False when the viewer quit early."""
    total = rec.duration
    shown = 0.0
    paused = False
    with _Keys(keys_in) as keys:
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
            text = text if raw else neutralise(text)
            if hasattr(out, "buffer"):
                out.buffer.write(text.encode("utf-8", "surrogateescape"))
            else:
                out.write(text)
            out.flush()
            shown += delay * (speed or 1)
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


def to_json(rec: Recording) -> str:
    return json.dumps({"id": rec.id, "header": rec.header, "torn": rec.torn,
                       "problems": list(rec.problems), "commands": rec.commands(),
                       "events": [[e.time, e.code, e.data] for e in rec.events]},
                      ensure_ascii=True)
