#!/usr/bin/env python3
"""What live watchers cost the relay: bulk output (`head -c N /dev/zero`) through sshgate with
no watcher, and with four watchers on the same session (three reading, one that never reads,
so its buffer fills and drops). Runs alternate; recording is off so that the relay itself is
what is measured. Also the watcher's lag: a line's age when a watcher prints it."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.approvals.control import call, connect  # noqa: E402
from sshgate.config import load_config  # noqa: E402
from sshgate.lab import Lab, process_cpu_seconds  # noqa: E402


async def session_id(sock: Path, command: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = (await call(sock, {"op": "sessions"})).get("sessions", [])
        hits = [r["id"] for r in rows if r["command"] == command]
        if hits:
            return hits[0]
        await asyncio.sleep(0.02)
    raise SystemExit("the session never showed up")


async def one_run(lab: Lab, sock: Path, mb: int, watchers: int, i: int) -> tuple[float, float]:
    """MB/s of one bulk transfer with ``watchers`` watching, and the gateway's CPU seconds."""
    command = f"sleep 1.5; date +%s.%N >&2; head -c {mb}M /dev/zero; echo {i} >/dev/null"
    agent = await asyncio.create_subprocess_exec(
        *lab.ssh_argv(command, extra=["-c", "aes128-gcm@openssh.com"]),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    sid = await session_id(sock, command)
    conns = []
    for w in range(watchers):
        reader, writer, _ = await connect(sock)
        writer.write(json.dumps({"op": "watch", "id": sid}).encode() + b"\n")
        conns.append((reader, writer, w < watchers - 1))

    async def drain(reader: asyncio.StreamReader) -> None:
        while await reader.read(1 << 16):
            pass

    readers = [asyncio.ensure_future(drain(r)) for r, _, reads in conns if reads]
    assert lab.gateway is not None and lab.gateway.proc is not None
    cpu0 = process_cpu_seconds(lab.gateway.proc.pid)
    # from the target's clock before the output starts to the agent's exit (same host)
    started = float((await agent.stderr.readline()).decode())
    await agent.wait()
    dt = time.time() - started
    cpu = process_cpu_seconds(lab.gateway.proc.pid) - cpu0
    for t in readers:
        t.cancel()
    for _, writer, _ in conns:
        writer.close()
    return mb * 1.048576 / dt, cpu


async def lag(lab: Lab, sock: Path, n: int) -> list[float]:
    command = "for i in " + " ".join(map(str, range(n + 20))) + "; do date +%s.%N; sleep 0.1; done"
    agent = await asyncio.create_subprocess_exec(
        *lab.ssh_argv(command), stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    sid = await session_id(sock, command)
    reader, writer, _ = await connect(sock)
    writer.write(json.dumps({"op": "watch", "id": sid}).encode() + b"\n")
    lags: list[float] = []
    buf = ""
    while len(lags) < n:
        msg = json.loads(await reader.readline())
        if msg["type"] != "output":
            continue
        seen = time.time()
        buf += msg["data"]
        *lines, buf = buf.split("\n")
        lags.extend((seen - float(x)) * 1000 for x in lines if x)
    writer.close()
    agent.kill()
    await agent.wait()
    return lags


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=4)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d) / "lab", settings={"record": False}, fast_relay=args.fast_relay) as lab:
        sock = load_config(lab.config).control_socket
        rates: dict[int, list[float]] = {0: [], 4: []}
        cpus: dict[int, list[float]] = {0: [], 4: []}
        for i in range(args.repeat):
            for w in (0, 4):
                rate, cpu = asyncio.run(one_run(lab, sock, args.mb, w, i))
                rates[w].append(rate)
                cpus[w].append(cpu)
        lags = asyncio.run(lag(lab, sock, 30))
    none, four = statistics.median(rates[0]), statistics.median(rates[4])
    print(f"bulk output {args.mb} MB through sshgate, recording off (median of {args.repeat})")
    c0, c4 = statistics.median(cpus[0]), statistics.median(cpus[4])
    print(f"  no watcher                            {none:7.1f} MB/s   gateway CPU {c0:.2f} s")
    print(f"  4 watchers (one never reads)          {four:7.1f} MB/s   gateway CPU {c4:.2f} s"
          f"   ratio {four / none:.2f} (CPU {c4 / c0:.2f}x)")
    print(f"  watcher lag per line (n={len(lags)})          median {statistics.median(lags):.1f}"
          f" ms, max {max(lags):.1f} ms (target < 200 ms)")
    return [{"name": "relay with 4 watchers", "direct": none, "sshgate": four, "unit": "MB/s",
             "ratio": four / none, "target": f"~1.0 (gateway CPU {c4 / c0:.2f}x)"},
            {"name": "watch lag (max)", "direct": None, "sshgate": max(lags), "unit": "ms",
             "ratio": None, "target": "< 200 ms"}]


if __name__ == "__main__":
    main()
