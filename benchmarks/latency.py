#!/usr/bin/env python3
"""New-connection exec latency: `ssh host true` directly against sshd vs through sshgate.

Both measured in one run against the same sshd on 127.0.0.1; the agent's ssh uses
aes128-gcm and curve25519-sha256 on both paths, and so does the gateway's upstream leg.
"""

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

SSH_OPTS = ["-c", "aes128-gcm@openssh.com", "-o", "KexAlgorithms=curve25519-sha256"]


def time_runs(argv: list[str], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=30)
        out.append(time.perf_counter() - t)
        if r.returncode != 0:
            raise SystemExit(f"{argv[-1]!r} failed: {r.stderr.decode()}")
    return out


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d), direct_access=True, fast_relay=args.fast_relay) as lab:
        direct_argv = lab.direct_argv("true", extra=SSH_OPTS)
        gw_argv = lab.ssh_argv("true", extra=SSH_OPTS)
        time_runs(direct_argv, 3)
        time_runs(gw_argv, 3)  # warm up both paths
        direct, gw = [], []
        for _ in range(args.n):  # interleave so that machine noise hits both alike
            direct += time_runs(direct_argv, 1)
            gw += time_runs(gw_argv, 1)
    md, mg = statistics.median(direct) * 1000, statistics.median(gw) * 1000
    print(f"exec latency (ssh host true, new connection, n={args.n})")
    print(f"  direct OpenSSH   median {md:7.1f} ms")
    print(f"  through sshgate  median {mg:7.1f} ms")
    print(f"  ratio            {mg / md:7.2f}x   (target <= 1.15)")
    return {"name": "exec latency", "direct": md, "sshgate": mg, "unit": "ms",
            "ratio": mg / md, "target": "<= 1.15"}


if __name__ == "__main__":
    main()
