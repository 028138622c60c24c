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
- concurrent sessions split evenly across A and B, all at once or over a ramp: how fast they
  start (sessions per second until every one runs on the target or its client gave up),
  how many failed and why (a refusal by handshake admission, `max_startups`, names its
  reason), whether a replica was called lost or fenced, and how long a session already
  running on each replica waited for its echo meanwhile (the event loop's lag, as a user
  sees it); and the start-up of the same number straight to sshd;
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
import threading
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


def start_many(argvs: list[list[str]], started, timeout: float = 180, ramp: float = 0.0,
               then=None) -> tuple[float, dict[str, int]]:
    """Start every ``argv`` (a long command) at once, or evenly over ``ramp`` seconds; wait
    until each runs on the target (``started()`` counts them) or its client exited (it
    failed). Returns the seconds that took and the failures by what the client said.
    Calls ``then(running)`` while they still run, and stops them after."""
    t0 = time.perf_counter()
    procs = []
    for i, a in enumerate(argvs):
        if ramp:
            time.sleep(max(0.0, t0 + ramp * i / len(argvs) - time.perf_counter()))
        procs.append(subprocess.Popen(a, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE))
    try:
        deadline = time.monotonic() + timeout
        while started() + sum(p.poll() is not None for p in procs) < len(procs):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(procs) - started()} sessions neither started nor "
                                   f"failed within {timeout:g} s")
            time.sleep(0.05)
        took = time.perf_counter() - t0
        failures: dict[str, int] = {}
        for p in procs:
            if p.poll() is not None:
                said = (p.stderr.read().decode(errors="replace").strip().splitlines()
                        or [f"exit {p.returncode}"])[-1]
                key = "refused (max_startups): " + said.split("sshgate: ", 1)[1][:60] \
                    if "sshgate: the gateway is busy" in said else said[:100]
                failures[key] = failures.get(key, 0) + 1
        if then is not None:
            then(len(procs) - sum(failures.values()))
        return took, failures
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)
            p.stderr.close()


class Echo:
    """A session already running through a replica (``cat``): a line every 50 ms, the time
    until it comes back (through the replica's event loop twice, and the target)."""

    def __init__(self, argv: list[str]):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.times: list[float] = []
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        while not self._stop.is_set():
            t = time.perf_counter()
            try:
                self.proc.stdin.write(b"x\n")
                self.proc.stdin.flush()
                if self.proc.stdout.readline() != b"x\n":
                    self.lost = True
                    return
            except OSError:
                self.lost = True
                return
            self.times.append(time.perf_counter() - t)
            self._stop.wait(0.05)

    def reset(self) -> None:
        self.times = []

    def stop(self) -> tuple[float, float, bool]:
        """(p99, max) echo time in ms since reset, and whether the session ended."""
        self._stop.set()
        self._thread.join(10)
        xs = [t * 1000 for t in self.times] or [float("nan")]
        self.proc.terminate()
        self.proc.wait(10)
        return p99(xs), max(xs), self.lost


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
    ap.add_argument("--sessions-only", action="store_true",
                    help="skip the approvals (the concurrent sessions only)")
    ap.add_argument("--no-direct", action="store_true",
                    help="skip the same sessions straight to sshd")
    ap.add_argument("--max-startups", type=int, default=None,
                    help="max_startups of both replicas (default: sshgate's default)")
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
                          "early_channel": args.early_channel,
                          **({"max_startups": args.max_startups}
                             if args.max_startups is not None else {})}) as lab:
            b = lab.add_replica(Path(d) / "b")
            sock_a = load_config(lab.config).control_socket
            sock_b = load_config(b.config).control_socket
            same = cross = [float("nan")]
            if not args.sessions_only:
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
            registered = [0, 0.0]
            failures: dict[str, int] = {}
            direct_failures: dict[str, int] = {}
            echoes: list[tuple[float, float, bool]] = []
            events: dict[str, int] = {}
            if not args.approvals_only:
                ports = [lab.gateway.port, b.port]
                through = [ssh_command(ports[i % 2], f"{lab.login}@lab", lab.agent_key,
                                       "sleep 600") for i in range(n)]

                target_log = lab.target.log_path

                def started() -> int:
                    return target_log.read_text(errors="replace").count(
                        "Starting session: command")

                def since(base: int):
                    return lambda: started() - base

                def fleet_state(running: int) -> None:
                    """What the registry and the pools hold once the burst is in (the
                    registry is written in batches: given up to 10 s to catch up)."""
                    deadline = time.monotonic() + 10
                    t = time.perf_counter()
                    while True:
                        registered[0] = asyncio.run(fetch(
                            url, "SELECT count(*) AS n FROM sessions WHERE state = 'running'"
                        ))[0]["n"]
                        if registered[0] >= running or time.monotonic() > deadline:
                            break
                        time.sleep(0.1)
                    registered[1] = time.perf_counter() - t
                    for r in asyncio.run(fetch(
                            url, "SELECT application_name AS app, count(*) AS n FROM "
                                 "pg_stat_activity WHERE application_name LIKE 'sshgate:%' "
                                 "GROUP BY 1")):
                        replica = r["app"].split(":")[1]
                        conns[replica] = conns.get(replica, 0) + r["n"]

                if not args.no_direct:
                    direct = [lab.direct_argv("sleep 600") for _ in range(n)]
                    direct_s, direct_failures = start_many(direct, since(started()),
                                                           ramp=args.ramp)
                    time.sleep(2)  # sshd finishes tearing those down
                probes = [Echo(ssh_command(port, f"{lab.login}@lab", lab.agent_key, "cat"))
                          for port in ports]
                time.sleep(1)
                for e in probes:
                    e.reset()
                load_before = os.getloadavg()
                try:
                    fleet_s, failures = start_many(
                        through, since(started()), ramp=args.ramp,
                        then=lambda running: fleet_state(running + len(probes)))
                except TimeoutError:
                    for gw in (lab.gateway, b):
                        print(f"--- {gw.config.parent.name} log (tail)",
                              *gw.log().splitlines()[-15:], sep="\n")
                    raise
                finally:
                    echoes = [e.stop() for e in probes]
                for path in (lab.audit_path, b.config.parent / "state" / "audit.jsonl"):
                    for line in path.read_text().splitlines():
                        ev = json.loads(line).get("event", "")
                        if ev in ("replica.lost", "replica.fenced", "connection.refused"):
                            events[ev] = events.get(ev, 0) + 1
    finally:
        pg.stop()
    sm, cm = statistics.median(same), statistics.median(cross)
    if not args.approvals_only:
        how = f"started evenly over {args.ramp:g} s" if args.ramp else "started at once"
        ok = n - sum(failures.values())
        print(f"  {n} sessions split over A and B ({how}, max_startups "
              f"{args.max_startups or 'default'}; load average before "
              f"{' '.join(f'{x:.2f}' for x in load_before)}):")
        print(f"    {ok} running on the target after {fleet_s:5.2f} s ({ok / fleet_s:6.1f}/s; "
              f"{registered[0]} in the shared registry {registered[1]:.1f} s later, with the 2 "
              f"below), {n - ok} failed")
        for why, count in sorted(failures.items()):
            print(f"      {count:4d} x {why}")
        print(f"    audit: {events.get('replica.lost', 0)} replica.lost, "
              f"{events.get('replica.fenced', 0)} replica.fenced, "
              f"{events.get('connection.refused', 0)} connection.refused")
        for name, (e99, emax, lost) in zip("AB", echoes, strict=True):
            print(f"    a session running on {name} meanwhile: echo p99 {e99:7.1f} ms, max "
                  f"{emax:7.1f} ms{', ENDED' if lost else ''}")
        if not args.no_direct:
            dok = n - sum(direct_failures.values())
            print(f"    straight to sshd: {dok} running after {direct_s:5.2f} s "
                  f"({dok / direct_s:6.1f}/s), {n - dok} failed {direct_failures or ''}")
        print("    database connections per replica at that point (pool + LISTEN + lease): "
              + ", ".join(f"{k} {v}" for k, v in sorted(conns.items())))
        print(f"    (load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    return [{"name": "approve -> run across replicas", "direct": sm, "sshgate": cm,
             "unit": "ms", "ratio": cm / sm, "target": "< 100 ms added"},
            {"name": f"{n} sessions start (2 replicas)", "direct": direct_s,
             "sshgate": fleet_s, "unit": "s", "ratio": fleet_s / direct_s if direct_s else 0.0,
             "target": ""}]


if __name__ == "__main__":
    main()
