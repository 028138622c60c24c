#!/usr/bin/env python3
"""Recordings in S3-compatible storage (SeaweedFS on 127.0.0.1): what the spool costs a
session, and how soon a recording is in the bucket.

In one run: `ssh host true` directly against sshd, through sshgate with recordings on
disk, and through sshgate with recordings: s3://… (median latency); the time from each
session's end to its recording being uploaded and read back (audit log timestamps); and the
upload rate of a large recording (the spool's throughput), against the relay's own rate for
the same session.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab  # noqa: E402
from sshgate.lab_s3 import SeaweedS3  # noqa: E402

SSH_OPTS = ["-c", "aes128-gcm@openssh.com", "-o", "KexAlgorithms=curve25519-sha256"]


def run(argv: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    took = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{argv[-1]!r} failed: {r.stderr.decode()}")
    return took


def audit(lab: Lab) -> list[dict]:
    return [json.loads(line) for line in lab.audit_path.read_text().splitlines() if line]


def ts(record: dict) -> float:
    return datetime.fromisoformat(record["ts"].replace("Z", "+00:00")).timestamp()


def wait_uploaded(lab: Lab, n: int, timeout: float = 120) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        ups = [e for e in audit(lab) if e["event"] == "recording.uploaded"]
        if len(ups) >= n:
            return ups
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(ups)} of {n} recordings uploaded in {timeout}s")
        time.sleep(0.05)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=30, help="sessions per path")
    ap.add_argument("--mb", type=int, default=64, help="size of the large session's output")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d, SeaweedS3(Path(d) / "s3") as s3:
        s3.create_bucket("bench")
        settings = {"recordings": "s3://bench/rec", "s3_endpoint": s3.endpoint,
                    "s3_region": "us-east-1", "s3_access_key_id": s3.access_key,
                    "s3_secret_access_key": s3.secret_key}
        with Lab(Path(d) / "local", direct_access=True, unknown="allow") as local, \
                Lab(Path(d) / "s3lab", settings=settings, unknown="allow") as remote:
            paths = {"direct OpenSSH": local.direct_argv("true", extra=SSH_OPTS),
                     "sshgate, recordings on disk": local.ssh_argv("true", extra=SSH_OPTS),
                     "sshgate, recordings to S3": remote.ssh_argv("true", extra=SSH_OPTS)}
            for argv in paths.values():
                run(argv)  # warm up
            times: dict[str, list[float]] = {k: [] for k in paths}
            for _ in range(args.n):  # interleaved: machine noise hits every path alike
                for name, argv in paths.items():
                    times[name].append(run(argv))
            ups = wait_uploaded(remote, args.n + 1)
            ends = {e["session"]: ts(e) for e in audit(remote) if e["event"] == "session.end"}
            after_end = [ts(u) - ends[u["recording"]] for u in ups if u["recording"] in ends]
            big = f"head -c {args.mb << 20} /dev/zero | tr '\\0' 'x' | fold -w 100"
            relay_local = run(local.ssh_argv(big, extra=SSH_OPTS))
            relay_s3 = run(remote.ssh_argv(big, extra=SSH_OPTS))
            [large] = [u for u in wait_uploaded(remote, args.n + 2)
                       if u["size"] > args.mb << 20]
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    direct = med["direct OpenSSH"]
    print(f"exec latency, ssh host true, new connection (n={args.n} each, interleaved)")
    for name, m in med.items():
        print(f"  {name:30} median {m:7.1f} ms  ({m / direct:.2f}x direct)")
    print(f"upload after the session ended (end -> uploaded and read back, n={len(after_end)})")
    print(f"  median {statistics.median(after_end) * 1000:7.1f} ms   p95 "
          f"{pct(after_end, 0.95) * 1000:7.1f} ms   max {max(after_end) * 1000:7.1f} ms")
    size_mb = large["size"] / (1 << 20)
    print(f"large recording ({args.mb} MB of output, {size_mb:.0f} MB recorded)")
    print(f"  relay through sshgate: on disk {args.mb / relay_local:6.1f} MB/s, "
          f"to S3 {args.mb / relay_s3:6.1f} MB/s")
    print(f"  upload + read back {large['seconds']:.2f} s: {size_mb / large['seconds']:6.1f} "
          f"MB/s of recording")
    s3_ms = med["sshgate, recordings to S3"]
    return {"name": "recordings to S3", "direct": med["sshgate, recordings on disk"],
            "sshgate": s3_ms, "unit": "ms",
            "ratio": s3_ms / med["sshgate, recordings on disk"], "target": "<= 1.05 vs disk"}


if __name__ == "__main__":
    main()
