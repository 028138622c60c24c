#!/usr/bin/env python3
"""Bulk throughput: output (`head -c N /dev/zero`, and text lines) and input
(`cat > /dev/null`) directly against sshd, through sshgate with recording on, and through a
second gateway with recording off. aes128-gcm on every leg. The three are interleaved run by
run, so that background noise (page-cache writeback, the other core) hits each alike.
Prints medians in MB/s, the ratios, and the gateway's CPU per 100 MB with recording on/off."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab, process_cpu_seconds  # noqa: E402

SSH_OPTS = ["-c", "aes128-gcm@openssh.com"]
TEXT_LINE = "2026-11-25T12:00:00Z app[4242]: GET /api/v1/items?page=7 200 12.3ms user=agent-7"


def transfer(argv: list[str], mb: int, upload: bool) -> float:
    """Seconds for one transfer of ``mb`` MB."""
    src = subprocess.Popen(["head", "-c", f"{mb}M", "/dev/zero"],
                           stdout=subprocess.PIPE) if upload else None
    t = time.perf_counter()
    r = subprocess.run(argv, stdin=src.stdout if src else subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    dt = time.perf_counter() - t
    if src:
        src.stdout.close()
        src.wait()
    if r.returncode != 0:
        raise SystemExit(f"transfer failed: {r.stderr.decode()}")
    return dt


def _discard(recordings: Path) -> None:
    """Delete the recordings of earlier runs: a full run would otherwise leave ~5 GB in the
    temp dir. (Keeping them measured the same.)"""
    for path in recordings.glob("*.cast*"):
        path.unlink()


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    mb = args.mb
    kinds = (("output", f"head -c {mb}M /dev/zero", False),
             ("output text", f"yes '{TEXT_LINE}' | head -c {mb}M", False),
             ("input", "cat > /dev/null", True))
    rates: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d) / "on", direct_access=True, fast_relay=args.fast_relay) as on, \
            Lab(Path(d) / "off", settings={"record": False}, fast_relay=args.fast_relay) as off:
        legs = {"direct": (on, None), "on": (on, on.gateway), "off": (off, off.gateway)}
        for name, cmd, up in kinds:
            for _ in range(args.repeat):
                for leg, (lab, gw) in legs.items():
                    argv = lab.direct_argv(cmd, SSH_OPTS) if gw is None else \
                        lab.ssh_argv(cmd, extra=SSH_OPTS)
                    before = process_cpu_seconds(gw.proc.pid) if gw else 0.0
                    dt = transfer(argv, mb, up)
                    time.sleep(0.3)  # the session ends (and is sealed) inside its own sample
                    rates.setdefault((name, leg), []).append(mb / dt)
                    if leg == "on":
                        _discard(lab.recordings)
                    if gw:
                        cpu.setdefault((name, leg), []).append(
                            (process_cpu_seconds(gw.proc.pid) - before) * 100 / mb)
    out = []
    print(f"bulk throughput, {mb} MB each way, median of {args.repeat} interleaved runs (MB/s)")
    for name, _, _ in kinds:
        direct, rec_on, rec_off = (statistics.median(rates[(name, leg)])
                                   for leg in ("direct", "on", "off"))
        cpu_on, cpu_off = (statistics.median(cpu[(name, leg)]) for leg in ("on", "off"))
        print(f"  {name:11}  direct {direct:6.1f}   rec on {rec_on:6.1f}   rec off {rec_off:6.1f}"
              f"   gateway/direct {rec_on / direct:.2f} (rec off {rec_off / direct:.2f})"
              f"   rec on/off {rec_on / rec_off:.2f}"
              f"   gateway CPU/100 MB rec on {cpu_on:.3f} s, off {cpu_off:.3f} s")
        out.append({"name": f"throughput {name}", "direct": direct, "sshgate": rec_on,
                    "unit": "MB/s", "ratio": rec_on / direct,
                    "target": f">= 0.8 x direct (rec off {rec_off / direct:.2f}); "
                              f"rec on/off {rec_on / rec_off:.2f} (target >= 0.9)"})
    return out


if __name__ == "__main__":
    main()
