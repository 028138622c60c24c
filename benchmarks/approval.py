#!/usr/bin/env python3
"""Approve -> command-starts latency: from the reviewer's decision to the held command running
on the target (`date +%s.%N` there; same clock, loopback). Measured for an approval given on
the local control socket, and for one given over SSH at the review console
(`ssh alice@gateway approve ID`): on a reviewer connection already open, and with a new ssh
process per approval (what a pasted command costs, handshake included).

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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.approvals.control import call  # noqa: E402
from sshgate.config import load_config  # noqa: E402
from sshgate.lab import Lab, current_login, make_key  # noqa: E402


def held(lab: Lab, sock: Path, i: int) -> tuple[subprocess.Popen, str]:
    """A held command on its way; returns the agent process and the request id."""
    p = subprocess.Popen(lab.ssh_argv(f"rm -rf /tmp/sshgate-bench-{i}; date +%s.%N"),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    reqs: list = []
    deadline = time.monotonic() + 20
    while not reqs and time.monotonic() < deadline:
        reqs = asyncio.run(call(sock, {"op": "list"})).get("requests", [])
        time.sleep(0.02)
    time.sleep(0.3)  # no human answers faster; lets the upstream handshake finish
    return p, reqs[0]["id"]


def measure(lab: Lab, sock: Path, n: int, approve: Callable[[str], None]) -> list[float]:
    lats = []
    for i in range(n):
        p, rid = held(lab, sock, i)
        t0 = time.time()
        approve(rid)
        out, _ = p.communicate(timeout=30)
        lats.append((float(out.split()[-1]) - t0) * 1000)
    return lats


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=15)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        key = Path(d) / "alice"
        pub = make_key(key, "alice@bench")
        with Lab(Path(d) / "lab", fast_relay=args.fast_relay,
                 approvers=[current_login(), {"name": "alice", "keys": [pub]}]) as lab:
            sock = load_config(lab.config).control_socket
            local = measure(lab, sock, args.n, lambda rid: asyncio.run(
                call(sock, {"op": "decide", "id": rid, "decision": "approve"})))
            console = asyncio.run(over_open_connection(lab, key, sock, args.n))
            fresh = measure(lab, sock, args.n, lambda rid: subprocess.run(
                lab.ssh_argv(f"approve {rid}", user="alice", key=key), check=True,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=30))
            base = asyncio.run(baseline(lab, args.n))
    bmed = statistics.median(base)
    print(f"approve -> command starts on the target (n={args.n})")
    rows = []
    for label, short, lats, target in (
            ("local control socket", "socket", local, 100),
            ("over SSH, open reviewer connection", "ssh, open", console, 50),
            ("over SSH, new `ssh alice@gw approve`", "new ssh", fresh, None)):
        med = statistics.median(lats)
        print(f"  {label:38} median {med:6.1f} ms   max {max(lats):6.1f} ms   "
              f"added {med - bmed:6.1f} ms")
        rows.append({"name": f"approve -> run ({short})", "direct": bmed, "sshgate": med,
                     "unit": "ms", "ratio": med / bmed,
                     "target": f"< {target} ms added ({med - bmed:.0f} ms)" if target
                     else f"incl. ssh handshake ({med - bmed:.0f} ms)"})
    print(f"  target's own exec start (direct)       median {bmed:6.1f} ms")
    return rows


async def over_open_connection(lab: Lab, key: Path, sock: Path, n: int) -> list[float]:
    """The reviewer's console connection is open; each approval is one exec on it."""
    import asyncssh

    assert lab.gateway is not None
    lats = []
    async with asyncssh.connect("127.0.0.1", lab.gateway.port, username="alice",
                                client_keys=[str(key)], known_hosts=None, config=None,
                                agent_path=None) as conn:
        for i in range(n):
            p, rid = await asyncio.to_thread(held, lab, sock, 1000 + i)
            t0 = time.time()
            r = await conn.run(f"approve {rid}")
            assert r.exit_status == 0, r.stderr
            out, _ = await asyncio.to_thread(p.communicate, timeout=30)
            lats.append((float(out.split()[-1]) - t0) * 1000)
    return lats


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
