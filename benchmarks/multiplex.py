#!/usr/bin/env python3
"""A command on an existing connection (OpenSSH ControlMaster multiplexing): `true` over an
open master, directly against sshd and through sshgate, in one run."""

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


def run(argv_for, n: int, control: Path) -> list[float]:
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
             "stderr": subprocess.DEVNULL, "timeout": 30}
    subprocess.run(argv_for(None, ["-o", "ControlMaster=yes", "-o", f"ControlPath={control}",
                                   "-o", "ControlPersist=120", "-N", "-f"]), check=True, **quiet)
    opts = ["-o", "ControlMaster=no", "-o", f"ControlPath={control}"]
    out = []
    try:
        for _ in range(n):
            t = time.perf_counter()
            subprocess.run(argv_for("true", opts), check=True, **quiet)
            out.append((time.perf_counter() - t) * 1000)
    finally:
        subprocess.run(argv_for(None, [*opts, "-O", "exit"]), **quiet)
    return out


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, Lab(Path(d), direct_access=True) as lab, \
            tempfile.TemporaryDirectory(dir="/tmp", prefix="sg-cm-") as cm:
        direct = run(lambda c, o: lab.direct_argv(c, extra=o), args.n, Path(cm) / "d")
        gated = run(lambda c, o: lab.ssh_argv(c, extra=o), args.n, Path(cm) / "g")
    md, mg = statistics.median(direct), statistics.median(gated)
    print(f"command on an existing connection (ControlMaster), `true`, n={args.n}")
    print(f"  direct OpenSSH   median {md:6.1f} ms")
    print(f"  through sshgate  median {mg:6.1f} ms")
    print(f"  ratio            {mg / md:6.2f}x   (target <= 1.3)")
    return {"name": "multiplexed exec", "direct": md, "sshgate": mg, "unit": "ms",
            "ratio": mg / md, "target": "<= 1.3"}


if __name__ == "__main__":
    main()
