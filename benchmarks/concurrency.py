#!/usr/bin/env python3
"""Many simultaneous sessions through one gateway (each `sleep 2; echo ok`): all must
succeed; prints the gateway's RSS per session and its CPU time (and, with --direct, the same
clients straight at sshd). The gateway raises its own
file limit at start (RLIMIT_NOFILE soft -> hard); each session holds two sockets."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab, process_cpu_seconds, process_rss_kb  # noqa: E402

COMMAND = "sleep 2; echo ok"


def launch(argvs: list[list[str]], budget: float, limits: tuple[int, int],
           watch: int | None = None) -> tuple[int, float, list[str], int, float]:
    """Start every client at once; wait up to ``budget`` s. Returns (ok, wall, errors,
    unfinished, peak RSS in KB of process ``watch``)."""
    t0 = time.monotonic()
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                                    limits))
             for argv in argvs]
    peak = 0.0
    while any(p.poll() is None for p in procs) and time.monotonic() - t0 < budget:
        if watch is not None:
            peak = max(peak, process_rss_kb(watch))
        time.sleep(0.2)
    wall = time.monotonic() - t0
    unfinished = [p for p in procs if p.poll() is None]
    for p in unfinished:  # over the time budget: counted as failures, never left behind
        p.kill()
    for p in procs:
        p.wait(30)
    ok = sum(p.returncode == 0 and p.stdout.read() == b"ok\n" for p in procs)
    errors = sorted({p.stderr.read().decode(errors="replace").strip()[:120] for p in procs
                     if p.returncode != 0})
    return ok, wall, errors, len(unfinished), peak


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--direct", action="store_true",
                    help="also run the same clients straight at sshd (adds about a minute)")
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits[1], limits[1]))
    # capacity, not admission: every handshake starts at once, as with no bound
    # (max_startups queues connections before the server's first line, and the clients'
    # ConnectTimeout of 10 s covers that line; docs/deployment.md, Handshake admission)
    settings = {"max_connections_per_source": args.n + 50, "max_connections": args.n + 50,
                "login_timeout": "60s", "max_startups": args.n}
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d), settings=settings, direct_access=args.direct,
                fast_relay=args.fast_relay) as lab:
        pid = lab.gateway.proc.pid
        idle, cpu0 = process_rss_kb(pid), process_cpu_seconds(pid)
        ok, wall, errors, unfinished, peak = launch(
            [lab.ssh_argv(COMMAND) for _ in range(args.n)], 110, limits, watch=pid)
        cpu = process_cpu_seconds(pid) - cpu0
        direct = launch([lab.direct_argv(COMMAND) for _ in range(args.n)], 110, limits) \
            if args.direct else None
    per = (max(peak, idle) - idle) / args.n
    print(f"{args.n} simultaneous sessions through one gateway")
    print(f"  succeeded {ok}/{args.n} in {wall:.1f}s; gateway CPU {cpu:.1f}s "
          f"({cpu / args.n * 1000:.1f} ms per session)")
    print(f"  gateway RSS idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB: "
          f"{per:.0f} KB per session (target < 100 KB)")
    if unfinished:
        print(f"  {unfinished} still running after {wall:.0f}s: killed, counted as failed")
    for e in errors[:5]:
        print(f"  failure: {e}")
    if direct is not None:
        print(f"  direct to sshd: succeeded {direct[0]}/{args.n} in {direct[1]:.1f}s"
              + (f"; failures: {direct[2][:3]}" if direct[2] else ""))
    return {"name": f"{args.n} concurrent sessions", "direct": None, "sshgate": per,
            "unit": "KB", "ratio": None, "target": f"< 100 KB/session; {ok}/{args.n} ok"}


if __name__ == "__main__":
    main()
