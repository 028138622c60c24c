#!/usr/bin/env python3
"""What the command guard adds to each command inside the relay. Commands run over one
open ControlMaster connection through sshgate; the gateway times its decision (parse,
classify, policy) for each and writes it to the audit log as ``classify_ms``. Prints the
median guard time per command next to the median command latency, for a plain command, a
pipeline and a long script-like line. Guard off = latency minus guard time: nothing else in
the path depends on the guard."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab, control_master  # noqa: E402

COMMANDS = {
    "plain": "true",
    "pipeline": "ps aux | grep -v grep | awk '{print $2, $11}' | sort -n | head -20 > /dev/null",
    "script": ("for f in /etc/host*; do if [ -r \"$f\" ]; then wc -l \"$f\" | "
               "sed -e 's/ .*//' >/dev/null; fi; done; x=$(date +%s); "
               "test \"$x\" -gt 0 && echo \"${x:0:4}\" | tr -d '\\n' >/dev/null || true"),
}


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=30)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    latency: dict[str, list[float]] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as d, Lab(Path(d), fast_relay=args.fast_relay) as lab, \
            tempfile.TemporaryDirectory(dir="/tmp", prefix="sg-cm-") as cm:
        with control_master(lambda c, o: lab.ssh_argv(c, extra=o), Path(cm) / "c") as opts:
            for _ in range(args.n):
                for name, cmd in COMMANDS.items():
                    t = time.perf_counter()
                    r = subprocess.run(lab.ssh_argv(cmd, extra=opts), capture_output=True,
                                       stdin=subprocess.DEVNULL, timeout=30)
                    dt = (time.perf_counter() - t) * 1000
                    if r.returncode != 0:
                        # counted and printed, never hidden (a lost exit status under
                        # ControlMaster once showed up here as 255)
                        failures.append(f"{name}: exit {r.returncode} "
                                        f"{r.stderr.decode(errors='replace').strip()[:80]}")
                        continue
                    latency.setdefault(name, []).append(dt)
        decisions = [json.loads(line) for line in lab.audit_path.read_text().splitlines()]
    guard: dict[str, list[float]] = {}
    for e in decisions:
        if e.get("event") == "command.decision":
            name = next(k for k, v in COMMANDS.items() if v == e["command"])
            guard.setdefault(name, []).append(e["classify_ms"])
    print(f"guard cost per command inside the relay (ControlMaster, n={args.n} each)")
    rows = {}
    for name in COMMANDS:
        lat, g = statistics.median(latency[name]), statistics.median(guard[name])
        rows[name] = (lat, g)
        print(f"  {name:9} command {lat:6.1f} ms   guard {g:6.3f} ms "
              f"(max {max(guard[name]):.3f})   guard off ~{lat - g:6.1f} ms   "
              f"share {g / lat * 100:.2f}%")
    if failures:
        print(f"  {len(failures)} of {args.n * len(COMMANDS)} commands failed: {failures[:3]}")
    lat, g = rows["script"]
    return {"name": "guard cost (script line)", "direct": lat - g, "sshgate": lat, "unit": "ms",
            "ratio": lat / (lat - g), "target": f"guard {g:.2f} ms per command"}


if __name__ == "__main__":
    main()
