#!/usr/bin/env python3
"""`recordings list` and `recordings show` with N recordings in an S3 bucket (SeaweedFS on
127.0.0.1): reading the fleet's recording index in PostgreSQL (``database:`` set) against
listing the bucket and downloading every recording (no database), in one run.

Both paths run the real CLI (`python -m sshgate ... --config F`) as a new process, as an
operator would; `sshgate --help` is timed too, as the floor every command pays to start.
The recordings are N small sealed sessions (a few commands each), uploaded with their seals;
the index holds one row per recording, as the gateways write it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import asyncssh
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab_postgres import LabPostgres  # noqa: E402
from sshgate.lab_s3 import SeaweedS3  # noqa: E402
from sshgate.recording.writer import CastWriter, seal_paths  # noqa: E402
from sshgate.state.postgres import run_migrate  # noqa: E402


def make_recordings(directory: Path, n: int) -> list[tuple[str, Path, str, int]]:
    """N sealed recordings: (id, path, sha256, size)."""
    import json
    import secrets

    key = asyncssh.generate_private_key("ssh-ed25519")
    out = []
    for i in range(n):
        rid = secrets.token_hex(16)
        path = directory / f"{rid}.cast"
        w = CastWriter(path, width=80, height=24, title="bench",
                       sshgate={"session": rid, "identity": f"bot-{i % 7}", "target": "web-1",
                                "login": "deploy", "mode": "exec", "command": "uptime",
                                "started": "2026-11-30T10:00:00Z"}, direct=False)
        for cmd in ("uptime", "df -h", "systemctl status nginx"):
            w.marker(cmd, decision="allow")
            w.output(f"output of {cmd}\n".encode() * 8)
        w.exit(0)
        seal = w.close(key, "session closed")
        assert seal is not None
        out.append((rid, path, json.loads(seal_paths(path)[1].read_text())["sha256"],
                    path.stat().st_size))
    return out


def upload(s3: SeaweedS3, bucket: str, prefix: str, recs: list) -> None:
    client = s3.client()
    files = [p for _, path, _, _ in recs for p in (path, *seal_paths(path))]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda p: client.upload_file(str(p), bucket, f"{prefix}/{p.name}"),
                      files))


async def index(url: str, recs: list, location: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("INSERT INTO replicas (id, host, listen, pid, incarnation, started, "
                           "state) VALUES ('gw-a', 'h', '127.0.0.1:2222', 1, 'x', 0, 'up')")
        await conn.executemany(
            "INSERT INTO sessions (id, replica, identity, target, login, client, started, "
            "mode, command, state, ended) VALUES ($1, 'gw-a', $2, 'web-1', 'deploy', "
            "'127.0.0.1:5000', $3, 'exec', 'uptime', 'ended', $4)",
            [(rid, f"bot-{i % 7}", 1.7e9 + i, 1.7e9 + i + 2) for i, (rid, *_) in
             enumerate(recs)])
        await conn.executemany(
            "INSERT INTO recordings (id, replica, identity, target, login, started, location, "
            "sha256, size, sealed) VALUES ($1, 'gw-a', $2, 'web-1', 'deploy', $3, $4, $5, $6, "
            "$7)",
            [(rid, f"bot-{i % 7}", f"2026-11-30T10:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
              f"{location}/{rid}.cast", sha, size, 1.7e9 + i + 2)
             for i, (rid, _, sha, size) in enumerate(recs)])
    finally:
        await conn.close()


def timed(argv: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(argv, capture_output=True, timeout=600)
    took = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {r.stderr.decode()[-2000:]}")
    return took


def in_process(args: list[str]) -> float:
    from click.testing import CliRunner

    from sshgate.cli.main import cli

    t = time.perf_counter()
    r = CliRunner().invoke(cli, args)
    took = time.perf_counter() - t
    if r.exit_code != 0:
        raise SystemExit(f"{' '.join(args)} failed: {r.output[-2000:]}")
    return took


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=500, help="recordings in the bucket")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each command")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, SeaweedS3(Path(d) / "s3") as s3:
        root = Path(d)
        pg = LabPostgres(Path(tempfile.mkdtemp(prefix="sshgate-pg-"))).start()
        try:
            url = pg.create_database("bench")
            asyncio.run(run_migrate(url))
            (root / "made").mkdir()
            recs = make_recordings(root / "made", args.n)
            s3.create_bucket("bench")
            upload(s3, "bench", "rec", recs)
            asyncio.run(index(url, recs, "s3://bench/rec"))
            storage = {"recordings": "s3://bench/rec", "s3_endpoint": s3.endpoint,
                       "s3_region": "us-east-1", "s3_access_key_id": s3.access_key,
                       "s3_secret_access_key": s3.secret_key}
            configs = {}
            for name, extra in (("bucket", {}), ("index", {"database": url})):
                (root / name).mkdir()
                configs[name] = root / name / "sshgate.yaml"
                configs[name].write_text(yaml.safe_dump({**storage, **extra}))
            cli = [sys.executable, "-m", "sshgate"]
            some = recs[len(recs) // 2][0]
            commands = {
                "sshgate --help (start-up floor)": lambda _c: [*cli, "--help"],
                "recordings list --json": lambda c: [*cli, "recordings", "list", "--json",
                                                     "--config", str(c)],
                "recordings show PREFIX --json": lambda c: [*cli, "recordings", "show",
                                                            some[:8], "--json", "--config",
                                                            str(c)]}
            times: dict[tuple[str, str], list[float]] = {}
            for label, argv in commands.items():
                for name, cfg in configs.items():
                    timed(argv(cfg))  # warm up (page cache, bytecode)
                    times[label, name] = []
                    if "--help" not in label:
                        times[label + " (in-process)", name] = []
            for _ in range(args.repeat):  # interleaved: machine noise hits both alike
                for label, argv in commands.items():
                    for name, cfg in configs.items():
                        times[label, name].append(timed(argv(cfg)))
                        if "--help" not in label:
                            # the command's own work, without the interpreter's start-up
                            times[label + " (in-process)", name].append(
                                in_process(argv(cfg)[len(cli):]))
        finally:
            pg.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.n} recordings in SeaweedFS, median of {args.repeat} runs (new process each)")
    print(f"  {'command':48} {'bucket listing':>16} {'index (PostgreSQL)':>20} "
          f"{'speed-up':>9}")
    for label in [k for k, _ in med if _ == "bucket"]:
        b, i = med[label, "bucket"], med[label, "index"]
        print(f"  {label:48} {b * 1000:13.0f} ms {i * 1000:17.0f} ms {b / i:8.1f}x")
    lst = "recordings list --json"
    return {"name": f"recordings list, {args.n} in S3", "direct": med[lst, "bucket"] * 1000,
            "sshgate": med[lst, "index"] * 1000, "unit": "ms",
            "ratio": med[lst, "index"] / med[lst, "bucket"], "target": "index << bucket"}


if __name__ == "__main__":
    main()
