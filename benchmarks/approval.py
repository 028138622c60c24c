#!/usr/bin/env python3
"""Approve -> command-starts latency: from the reviewer's decision leaving the control socket
to the held command running on the target (`date +%s.%N` there; same clock, loopback).

The baseline is what the target itself needs to start a command on an open connection
(sshd's session setup plus the login shell's rc files), measured in the same run."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.approvals.control import call  # noqa: E402
from sshgate.config import load_config  # noqa: E402
from sshgate.lab import Lab  # noqa: E402


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=15)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    lats = []
    with tempfile.TemporaryDirectory() as d, Lab(Path(d), fast_relay=args.fast_relay) as lab:
        sock = load_config(lab.config).control_socket
        for i in range(args.n):
            p = subprocess.Popen(lab.ssh_argv(f"rm -rf /tmp/sshgate-bench-{i}; date +%s.%N"),
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 stdin=subprocess.DEVNULL)
            reqs: list = []
            deadline = time.monotonic() + 20
            while not reqs and time.monotonic() < deadline:
                reqs = asyncio.run(call(sock, {"op": "list"})).get("requests", [])
                time.sleep(0.02)
            time.sleep(0.3)  # no human answers faster; lets the upstream handshake finish
            t0 = time.time()
            asyncio.run(call(sock, {"op": "decide", "id": reqs[0]["id"],
                                    "decision": "approve"}))
            out, _ = p.communicate(timeout=30)
            lats.append((float(out.split()[-1]) - t0) * 1000)
        base = asyncio.run(baseline(lab, args.n))
    med, bmed = statistics.median(lats), statistics.median(base)
    print(f"approve -> command starts on the target (n={args.n})")
    print(f"  through sshgate after approval  median {med:6.1f} ms   max {max(lats):.1f} ms")
    print(f"  target's own exec start (direct) median {bmed:6.1f} ms")
    print(f"  added by sshgate                 {med - bmed:6.1f} ms   (target < 100 ms)")
    return {"name": "approve -> command starts", "direct": bmed, "sshgate": med, "unit": "ms",
            "ratio": med / bmed, "target": f"< 100 ms added ({med - bmed:.0f} ms)"}


async def baseline(lab: Lab, n: int) -> list[float]:
    """Exec start on an already-open connection straight to sshd, with a session cert."""
    import asyncssh

    from sshgate.certs import load_key, mint

    cfg = load_config(lab.config)
    cred = mint(load_key(cfg.ca_key), "bench", lab.login, "baseline", 600)
    out = []
    async with asyncssh.connect("127.0.0.1", lab.target.port, username=lab.login,
                                client_keys=[(cred.key, cred.cert)], known_hosts=None,
                                config=None, agent_path=None) as conn:
        for _ in range(n):
            t0 = time.time()
            r = await conn.run("date +%s.%N")
            out.append((float(r.stdout.split()[-1]) - t0) * 1000)
    return out


if __name__ == "__main__":
    main()
