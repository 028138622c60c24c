#!/usr/bin/env python3
"""Interactive shell: prompt-to-prompt latency of short commands typed into `ssh -tt`,
directly into sshd's bash and through sshgate's gated shell, in one run."""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab  # noqa: E402

MARK = b"SGPROMPT> "


class Pty:
    def __init__(self, argv: list[str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        self.buf = b""

    def expect(self, needle: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.buf:
            r, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                raise TimeoutError(f"{needle!r} not seen; got {self.buf[-300:]!r}")
            self.buf += os.read(self.fd, 65536)
        self.buf = self.buf[self.buf.index(needle) + len(needle):]

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def measure(argv: list[str], n: int) -> list[float]:
    t = Pty(argv)
    try:
        t.send(b"PS1='SGPROMPT''> '\r")  # the typed line itself does not contain MARK
        t.expect(MARK)
        t.expect(MARK) if MARK in t.buf else None
        out = []
        for i in range(n):
            start = time.perf_counter()
            t.send(f"true {i}\r".encode())
            t.expect(MARK)
            out.append((time.perf_counter() - start) * 1000)
        return out
    finally:
        t.close()


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d), direct_access=True, shell=True, fast_relay=args.fast_relay,
                unknown="allow") as lab:  # the prompt setup (PS1=...) is not a command under test
        direct = measure(lab.direct_argv(None, extra=["-tt"]), args.n)
        gated = measure(lab.ssh_argv(None, extra=["-tt"]), args.n)
    md, mg = statistics.median(direct), statistics.median(gated)
    print(f"interactive shell, prompt to prompt for `true N` (n={args.n})")
    print(f"  direct OpenSSH    median {md:6.2f} ms")
    print(f"  through sshgate   median {mg:6.2f} ms")
    print(f"  added             {mg - md:6.2f} ms   (target <= 5 ms)")
    return {"name": "shell prompt-to-prompt", "direct": md, "sshgate": mg, "unit": "ms",
            "ratio": mg / md, "target": f"<= 5 ms added ({mg - md:.1f} ms)"}


if __name__ == "__main__":
    main()
