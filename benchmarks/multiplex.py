#!/usr/bin/env python3
"""A command on an existing connection (OpenSSH ControlMaster multiplexing): `true` over an
open master, directly against sshd and through sshgate, alternating, in one run."""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab, control_master, timed_run  # noqa: E402


def interleaved(legs: dict[str, object], n: int, cm: Path) -> dict[str, list[float]]:
    """Open one master per leg, then alternate commands between them, so that noise on this
    2-core machine hits both alike. ``legs``: name -> argv_for(command, ssh options)."""
    out: dict[str, list[float]] = {name: [] for name in legs}
    with contextlib.ExitStack() as stack:
        opts = {name: stack.enter_context(control_master(argv_for, cm / name))
                for name, argv_for in legs.items()}
        for _ in range(n):
            for name, argv_for in legs.items():
                status, seconds = timed_run(argv_for("true", opts[name]))
                if status != 0:
                    raise SystemExit(f"multiplexed `true` ({name}) ended {status}")
                out[name].append(seconds * 1000)
    return out


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d), direct_access=True, fast_relay=args.fast_relay) as lab, \
            tempfile.TemporaryDirectory(dir="/tmp", prefix="sg-cm-") as cm:
        times = interleaved({"d": lambda c, o: lab.direct_argv(c, extra=o),
                             "g": lambda c, o: lab.ssh_argv(c, extra=o)}, args.n, Path(cm))
    md, mg = statistics.median(times["d"]), statistics.median(times["g"])
    print(f"command on an existing connection (ControlMaster), `true`, n={args.n}")
    print(f"  direct OpenSSH   median {md:6.1f} ms")
    print(f"  through sshgate  median {mg:6.1f} ms")
    print(f"  ratio            {mg / md:6.2f}x   (target <= 1.3)")
    return {"name": "multiplexed exec", "direct": md, "sshgate": mg, "unit": "ms",
            "ratio": mg / md, "target": "<= 1.3"}


if __name__ == "__main__":
    main()
