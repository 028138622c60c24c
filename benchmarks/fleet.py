#!/usr/bin/env python3
"""Two gateway replicas sharing one PostgreSQL (a throw-away server started here), a real
sshd target and the real ssh client:

- approval across replicas: a command held on A, approved through B's control socket, until
  it starts on the target (bash's own clock, $EPOCHREALTIME, its first act) and until it has
  run (`date +%s.%N` after an `rm`), against the same approval given on A's own socket in
  the same run: the median and p99 that crossing replicas adds;
- the part of it on replica A alone: from A settling the request (its `approval.decided`
  audit line) to the command starting on the target, which is what opening the target's
  channel while the command waits (gateway/upstream.HeldSession) shortens;
- concurrent sessions split evenly across A and B: how fast they start (sessions per second
  until every one is in the shared registry) and the start-up of the same number straight
  to sshd;
- database connections each replica holds (pg_stat_activity, by application_name).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import asyncpg  # noqa: E402

from sshgate.approvals.control import call  # noqa: E402
from sshgate.config import load_config  # noqa: E402
from sshgate.lab import Lab, ssh_command  # noqa: E402
from sshgate.lab_postgres import LabPostgres  # noqa: E402
from sshgate.state.postgres import run_migrate  # noqa: E402


async def fetch(url: str, sql: str, *args) -> list:
    c = await asyncpg.connect(url)
    try:
        return list(await c.fetch(sql, *args))
    finally:
        await c.close()


def pending(url: str) -> list[str]:
    return [r["id"] for r in asyncio.run(fetch(url, "SELECT id FROM requests WHERE "
                                                    "state = 'pending'"))]


def settled_on_a(lab: Lab, request: str) -> float:
    """When replica A settled ``request`` (its audit line), UNIX seconds."""
    for line in reversed(lab.audit_path.read_text().splitlines()):
        e = json.loads(line)
        if e.get("event") == "approval.decided" and e.get("request") == request:
            return datetime.fromisoformat(e["ts"].replace("Z", "+00:00")).timestamp()
    raise LookupError(request)


def approval(lab: Lab, url: str, sock: Path, i: int) -> tuple[float, float, float]:
    """ms from the approval through ``sock`` to the held command starting on the target,
    to it having run, and from A settling the request to the start."""
    p = subprocess.Popen(lab.ssh_argv(f"echo $EPOCHREALTIME; rm -rf /tmp/sshgate-fleet-bench-"
                                      f"{i}; date +%s.%N"),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    ids: list[str] = []
    while not ids and time.monotonic() < deadline:
        ids = pending(url)
        time.sleep(0.02)
    time.sleep(0.3)  # no human answers faster; lets the upstream handshake finish
    t0 = time.time()
    reply = asyncio.run(call(sock, {"op": "decide", "id": ids[0], "decision": "approve"}))
    assert reply.get("ok"), reply
    out, _ = p.communicate(timeout=30)
    start = float(out.split()[0])
    return ((start - t0) * 1000, (float(out.split()[-1]) - t0) * 1000,
            (start - settled_on_a(lab, ids[0])) * 1000)


def p99(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def start_many(argvs: list[list[str]], until, timeout: float = 120,
               ramp: float = 0.0) -> float:
    """Start every ``argv`` at once (or evenly over ``ramp`` seconds); seconds until
    ``until()`` holds. Stops them after."""
    t0 = time.perf_counter()
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the function)
    procs = []
    for i, a in enumerate(argvs):
        if ramp:
            time.sleep(max(0.0, t0 + ramp * i / len(argvs) - time.perf_counter()))
        procs.append(subprocess.Popen(a, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=errors))
    try:
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                dead = sum(p.poll() is not None for p in procs)
                errors.seek(0)
                said = errors.read().decode(errors="replace")[-600:]
                raise TimeoutError(f"sessions did not all start ({dead} clients exited): "
                                   f"{said}")
            time.sleep(0.05)
        return time.perf_counter() - t0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)


def report_approvals(args: argparse.Namespace, same_start: list[float],
                     cross_start: list[float], on_a: list[float], same: list[float],
                     cross: list[float]) -> None:
    """Printed before the session burst, so that a burst that fails keeps these figures."""
    sm, cm = statistics.median(same), statistics.median(cross)
    print(f"fleet of 2 replicas on one PostgreSQL ({args.n} approvals per path, "
          f"{args.sessions} sessions)")
    ss, cs = statistics.median(same_start), statistics.median(cross_start)
    print(f"  approve -> start, same replica   median {ss:6.1f} ms   p99 "
          f"{p99(same_start):6.1f} ms")
    print(f"  approve -> start, across replicas median {cs:5.1f} ms   p99 "
          f"{p99(cross_start):6.1f} ms")
    print(f"  A settles -> start on target     median {statistics.median(on_a):6.1f} ms   "
          f"p99 {p99(on_a):6.1f} ms   (both paths)")
    print(f"  approve -> run, same replica     median {sm:6.1f} ms   p99 {p99(same):6.1f} ms")
    print(f"  approve -> run, across replicas  median {cm:6.1f} ms   p99 {p99(cross):6.1f} ms")
    print(f"  added by crossing replicas       median {cm - sm:6.1f} ms   "
          f"p99 {p99(cross) - p99(same):6.1f} ms")
    print(f"  (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=20, help="approvals per path")
    ap.add_argument("--sessions", type=int, default=200, help="concurrent sessions")
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="start the sessions evenly over this many seconds (0: all at once)")
    ap.add_argument("--early-channel", action="store_true",
                    help="early_channel: true (open the target's channel while held)")
    ap.add_argument("--approvals-only", action="store_true",
                    help="skip the concurrent sessions (approve -> start only)")
    args = ap.parse_args()
    pg = LabPostgres().start()
    try:
        url = pg.create_database()
        asyncio.run(run_migrate(url))
        with tempfile.TemporaryDirectory() as d, Lab(
                Path(d) / "lab", direct_access=True, unknown="allow",
                settings={"database": url,  # default heartbeats: 2 s, lost after 15 s
                          # every agent comes from 127.0.0.1 here
                          "max_connections_per_source": 10 * args.sessions,
                          "early_channel": args.early_channel}) as lab:
            b = lab.add_replica(Path(d) / "b")
            sock_a = load_config(lab.config).control_socket
            sock_b = load_config(b.config).control_socket
            same_both = [approval(lab, url, sock_a, i) for i in range(args.n)]
            cross_both = [approval(lab, url, sock_b, 1000 + i) for i in range(args.n)]
            same_start = [s for s, _, _ in same_both]
            cross_start = [s for s, _, _ in cross_both]
            same = [r for _, r, _ in same_both]
            cross = [r for _, r, _ in cross_both]
            on_a = [a for *_, a in same_both + cross_both]
            report_approvals(args, same_start, cross_start, on_a, same, cross)
            n = args.sessions
            fleet_s = direct_s = 0.0
            conns: dict[str, int] = {}
            registered = [0]
            if not args.approvals_only:
                ports = [lab.gateway.port, b.port]
                through = [ssh_command(ports[i % 2], f"{lab.login}@lab", lab.agent_key,
                                       "sleep 60") for i in range(n)]

                target_log = lab.target.log_path

                def started() -> int:
                    return target_log.read_text(errors="replace").count(
                        "Starting session: command")

                def all_started(base: int, count: bool):
                    def check() -> bool:
                        if started() < base + n:
                            return False
                        if count:  # every session runs now: what the registry and the pools hold
                            registered[0] = asyncio.run(fetch(
                                url, "SELECT count(*) AS n FROM sessions WHERE state = 'running'"
                            ))[0]["n"]
                            for r in asyncio.run(fetch(
                                    url, "SELECT application_name AS app, count(*) AS n FROM "
                                         "pg_stat_activity WHERE application_name LIKE 'sshgate:%' "
                                         "GROUP BY 1")):
                                replica = r["app"].split(":")[1]
                                conns[replica] = conns.get(replica, 0) + r["n"]
                        return True
                    return check

                direct = [lab.direct_argv("sleep 60") for _ in range(n)]
                direct_s = start_many(direct, all_started(started(), False), ramp=args.ramp)
                time.sleep(2)  # sshd finishes tearing those down
                try:
                    fleet_s = start_many(through, all_started(started(), True),
                                         ramp=args.ramp)
                except TimeoutError:
                    for gw in (lab.gateway, b):
                        print(f"--- {gw.config.parent.name} log (tail)",
                              *gw.log().splitlines()[-15:], sep="\n")
                    raise
    finally:
        pg.stop()
    sm, cm = statistics.median(same), statistics.median(cross)
    if not args.approvals_only:
        how = f"started evenly over {args.ramp:g} s" if args.ramp else "started at once"
        print(f"  {n} sessions split over A and B ({how}): all running on the target in "
              f"{fleet_s:5.2f} s "
              f"({n / fleet_s:6.1f}/s; {registered[0]} in the shared registry); straight to sshd "
              f"{direct_s:5.2f} s ({n / direct_s:6.1f}/s)")
        print("  database connections per replica at that point (pool + LISTEN): "
              + ", ".join(f"{k} {v}" for k, v in sorted(conns.items())))
    return [{"name": "approve -> run across replicas", "direct": sm, "sshgate": cm,
             "unit": "ms", "ratio": cm / sm, "target": "< 100 ms added"},
            {"name": f"{n} sessions start (2 replicas)", "direct": direct_s,
             "sshgate": fleet_s, "unit": "s", "ratio": fleet_s / direct_s if direct_s else 0.0,
             "target": ""}]


if __name__ == "__main__":
    main()
