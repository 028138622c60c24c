#!/usr/bin/env python3
"""Replay filter throughput: MB/s of recorded output through TerminalFilter (what plain
`sshgate replay` and export to a terminal pay), next to a plain UTF-8 decode (what --raw
pays), for three kinds of output. Usage: benchmarks/replay_filter.py [--mb N]"""

from __future__ import annotations

import argparse
import codecs
import time

from sshgate.recording.terminal_filter import TerminalFilter

KINDS = {
    "plain text (logs, cat)": b"2026-11-30T11:27:03 INFO request served in 3 ms path=/a/b\n",
    "coloured (ls --color)": b"\x1b[0m\x1b[01;34mbin\x1b[0m  \x1b[01;32mrun.sh\x1b[0m  x.txt\r\n",
    "full-screen (top, vim)": b"\x1b[H\x1b[2J\x1b[7m top \x1b[m\x1b[3;1H\x1b[K  1 root \x1b[1m"
                              b"S\x1b[m 0.3\x1b[4;1H\x1b[K\x1b]0;title\x07\x1b[?25l\x1b[?25h",
}


def rate(chunks: list[bytes], fn) -> float:
    total = sum(map(len, chunks))
    t = time.perf_counter()
    fn(chunks)
    return total / (time.perf_counter() - t) / 1e6


def filtered(chunks: list[bytes]) -> None:
    f = TerminalFilter()
    for c in chunks:
        f.feed(c)
    f.finish()


def decoded(chunks: list[bytes]) -> None:
    d = codecs.getincrementaldecoder("utf-8")("replace")
    for c in chunks:
        d.decode(c)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=32)
    args = ap.parse_args()
    print(f"{'output':26} {'filtered MB/s':>14} {'raw decode MB/s':>16}")
    for name, unit in KINDS.items():
        data = unit * (args.mb * 1_000_000 // len(unit))
        chunks = [data[i:i + 4096] for i in range(0, len(data), 4096)]  # recorder-sized events
        print(f"{name:26} {rate(chunks, filtered):14.1f} {rate(chunks, decoded):16.1f}")


if __name__ == "__main__":
    main()
