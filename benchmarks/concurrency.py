#!/usr/bin/env python3
"""Many simultaneous sessions through one gateway (each `sleep 2; echo ok`): all must
succeed; prints the gateway's RSS per session and its CPU time. The gateway raises its own
file limit at start (RLIMIT_NOFILE soft -> hard); each session holds two sockets."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab, process_cpu_seconds, process_rss_kb  # noqa: E402


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000)
    args = ap.parse_args()
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    settings = {"max_connections_per_source": args.n + 50, "max_connections": args.n + 50,
                "login_timeout": "60s"}
    with tempfile.TemporaryDirectory() as d, Lab(Path(d), settings=settings) as lab:
        pid = lab.gateway.proc.pid
        idle, cpu0 = process_rss_kb(pid), process_cpu_seconds(pid)
        t0 = time.monotonic()
        procs = [subprocess.Popen(lab.ssh_argv("sleep 2; echo ok"), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                  preexec_fn=lambda: resource.setrlimit(
                                      resource.RLIMIT_NOFILE, (soft, hard)))
                 for _ in range(args.n)]
        peak = idle
        while any(p.poll() is None for p in procs) and time.monotonic() - t0 < 110:
            peak = max(peak, process_rss_kb(pid))
            time.sleep(0.2)
        wall = time.monotonic() - t0
        unfinished = [p for p in procs if p.poll() is None]
        for p in unfinished:  # over the time budget: counted as failures, never left behind
            p.kill()
        for p in procs:
            p.wait(30)
        ok = sum(p.returncode == 0 and p.stdout.read() == b"ok\n" for p in procs)
        cpu = process_cpu_seconds(pid) - cpu0
        errors = {p.stderr.read().decode(errors="replace").strip()[:120] for p in procs
                  if p.returncode != 0}
    per = (peak - idle) / args.n
    print(f"{args.n} simultaneous sessions through one gateway")
    print(f"  succeeded {ok}/{args.n} in {wall:.1f}s; gateway CPU {cpu:.1f}s "
          f"({cpu / args.n * 1000:.1f} ms per session)")
    print(f"  gateway RSS idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB: "
          f"{per:.0f} KB per session (target < 100 KB)")
    if unfinished:
        print(f"  {len(unfinished)} still running after {wall:.0f}s: killed, counted as failed")
    for e in sorted(errors)[:5]:
        print(f"  failure: {e}")
    return {"name": f"{args.n} concurrent sessions", "direct": None, "sshgate": per,
            "unit": "KB", "ratio": None, "target": f"< 100 KB/session; {ok}/{args.n} ok"}


if __name__ == "__main__":
    main()
