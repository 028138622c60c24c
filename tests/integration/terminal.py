"""A real terminal for integration tests: a program run in its own tmux server."""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid


class Terminal:
    """``argv`` in a detached tmux session of ``width`` x ``height``; with ``keep_open`` the
    window stays after the program ends and shows ``EXIT=<status>``."""

    def __init__(self, argv: list[str], width: int = 120, height: int = 30,
                 keep_open: bool = True):
        self.tmux = ["tmux", "-L", f"sshgate-{uuid.uuid4().hex[:8]}"]
        command = shlex.join(argv) + ("; echo EXIT=$?; sleep 30" if keep_open else "")
        subprocess.run([*self.tmux, "new-session", "-d", "-x", str(width), "-y", str(height),
                        command], check=True)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-S", "-500"],
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            assert time.monotonic() < deadline, f"{text!r} not on screen:\n{self.screen()}"
            time.sleep(0.05)

    def type(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", *keys], check=True)

    def run(self, line: str) -> None:
        self.type(line, "Enter")

    def resize(self, width: int, height: int) -> None:
        subprocess.run([*self.tmux, "resize-window", "-x", str(width), "-y", str(height)],
                       check=True)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
