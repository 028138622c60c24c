#!/usr/bin/env python3
"""Bulk throughput: output (`head -c N /dev/zero`) and input (`cat > /dev/null`) directly
against sshd, through sshgate with recording on, and with recording off. aes128-gcm on every
leg. Prints MB/s and the ratios."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab  # noqa: E402

SSH_OPTS = ["-c", "aes128-gcm@openssh.com"]


def rate(argv: list[str], mb: int, upload: bool, repeat: int) -> float:
    """Best-of-``repeat`` MB/s for one transfer."""
    results = []
    for _ in range(repeat):
        src = subprocess.Popen(["head", "-c", f"{mb}M", "/dev/zero"],
                               stdout=subprocess.PIPE) if upload else None
        t = time.perf_counter()
        r = subprocess.run(argv, stdin=src.stdout if src else subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
        dt = time.perf_counter() - t
        if src:
            src.wait()
        if r.returncode != 0:
            raise SystemExit(f"transfer failed: {r.stderr.decode()}")
        results.append(mb / dt)
    return statistics.median(results)


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    down = f"head -c {args.mb}M /dev/zero"
    up = "cat > /dev/null"
    rows = {}
    with tempfile.TemporaryDirectory() as d:
        with Lab(Path(d) / "on", direct_access=True) as lab:
            for name, cmd, is_up in (("output", down, False), ("input", up, True)):
                rows[(name, "direct")] = rate(lab.direct_argv(cmd, SSH_OPTS), args.mb, is_up,
                                              args.repeat)
                rows[(name, "on")] = rate(lab.ssh_argv(cmd, extra=SSH_OPTS), args.mb, is_up,
                                          args.repeat)
        with Lab(Path(d) / "off", settings={"record": False}) as lab:
            for name, cmd, is_up in (("output", down, False), ("input", up, True)):
                rows[(name, "off")] = rate(lab.ssh_argv(cmd, extra=SSH_OPTS), args.mb, is_up,
                                           args.repeat)
    out = []
    print(f"bulk throughput, {args.mb} MB each way, best of {args.repeat} medians (MB/s)")
    for name in ("output", "input"):
        direct, on, off = rows[(name, "direct")], rows[(name, "on")], rows[(name, "off")]
        print(f"  {name:6}  direct {direct:7.1f}   sshgate rec on {on:7.1f}   rec off {off:7.1f}"
              f"   gateway/direct {on / direct:.2f}   rec on/off {on / off:.2f}")
        out.append({"name": f"throughput {name}", "direct": direct, "sshgate": on,
                    "unit": "MB/s", "ratio": on / direct,
                    "target": ">= 0.8 x direct; rec on/off "
                              f"{on / off:.2f} (target >= 0.9)"})
    return out


if __name__ == "__main__":
    main()
