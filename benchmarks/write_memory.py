#!/usr/bin/env python3
"""What the session memory (guard/memory.py) adds to a line: classification CPU time over the
corpus's ordinary and destructive lines with no memory, and against a scope that wrote 16 and
256 paths (the default bound); plus the store's own look-up and update per line.
``--database``: also the fleet's shared memory (a real PostgreSQL started from initdb in a
temporary directory): the read before every line and the row-locked update before a
writing line, wall-clock per call."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guard"))
from corpus import DESTRUCTIVE, ORDINARY_SESSION  # noqa: E402

from sshgate.guard.classify import _classify, warm_up  # noqa: E402
from sshgate.guard.memory import HOME, Earlier, WriteMemory, Written  # noqa: E402
from sshgate.guard.rules import ALL_RULES  # noqa: E402

RUNS = 5


def per_line(lines: list[str], earlier: Earlier | None) -> float:
    """The best of RUNS medians of per-line CPU ms (the machine is shared: the best run is
    the one least disturbed)."""
    best = []
    for _ in range(RUNS):
        ts = []
        for line in lines:
            t = time.thread_time_ns()
            _classify(line, ALL_RULES, earlier)
            ts.append(time.thread_time_ns() - t)
        best.append(statistics.median(ts) / 1e6)
    return min(best)


def main() -> None:
    warm_up()
    lines = list(ORDINARY_SESSION) + [d[0] for d in DESTRUCTIVE]
    print(f"classification CPU per line over {len(lines)} corpus lines (best of {RUNS} medians)")
    print(f"  no memory            {per_line(lines, None):.3f} ms")
    for n in (16, 256):
        written = tuple(Written(f"~/w{i // 8}/f{i}", f"curl -o w{i // 8}/f{i} https://x")
                        for i in range(n))
        print(f"  {n:3d} written paths    {per_line(lines, Earlier(written, (HOME,))):.3f} ms")
    m = WriteMemory()
    t = time.perf_counter()
    for i in range(10_000):
        m.add(("id", "target", "login"), [f"~/d{i % 50}/f{i}"], "echo x > f", now=i * 0.001)
        m.written(("id", "target", "login"), now=i * 0.001)
    print(f"  store add + look-up  {(time.perf_counter() - t) * 1e6 / 10_000:.1f} us per line "
          f"(bounded at {m.max_entries} entries)")


async def shared(url: str, n: int = 300) -> None:
    from sshgate.state.postgres import PostgresState, run_migrate

    await run_migrate(url)
    state = PostgresState(url, "bench", listen="127.0.0.1:1", interval=1, timeout=5,
                          pool_size=3)
    await state.connect()
    bounds = {"ttl": 86400.0, "max_entries": 256, "max_bytes": 64 * 1024}
    try:
        for size in (0, 16, 256):
            scope = ("bench", f"t{size}")
            for i in range(size):
                await state.remember(scope, (f"~bench/w{i // 8}/f{i}",), f"curl -o f{i} x",
                                     bounds)
            reads, writes = [], []
            for _ in range(n):
                t = time.perf_counter()
                await state.written(scope, bounds)
                reads.append(time.perf_counter() - t)
            for i in range(n // 3):
                t = time.perf_counter()
                await state.remember(scope, (f"~bench/w{i % 8}/f{i % 16}",), "echo x > f",
                                     bounds)
                writes.append(time.perf_counter() - t)
            print(f"  shared, {size:3d} paths: read {statistics.median(reads) * 1e3:.2f} ms "
                  f"median ({_p99(reads):.2f} p99), write {statistics.median(writes) * 1e3:.2f}"
                  f" ms median ({_p99(writes):.2f} p99)")
    finally:
        await state.close()


def _p99(xs: list[float]) -> float:
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * 0.99))] * 1e3


if __name__ == "__main__":
    main()
    if "--database" in sys.argv[1:]:
        from sshgate.lab_postgres import LabPostgres

        pg = LabPostgres().start()
        try:
            print("the fleet's shared write memory (PostgreSQL on 127.0.0.1, wall clock)")
            asyncio.run(shared(pg.create_database()))
        finally:
            pg.stop()
