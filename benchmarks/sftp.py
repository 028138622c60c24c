#!/usr/bin/env python3
"""SFTP through sshgate vs straight to sshd, with OpenSSH's own sftp client: a 64 MB upload
and download (MB/s), and 1,000 small files uploaded in one session (the per-operation cost
of the gateway's parsing, decision, audit line and recording marker). Direct and gateway runs
are interleaved so that background noise hits both alike. Prints medians and ratios."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab  # noqa: E402

OPTS = ["-F", "/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]


def sftp(port: int, user: str, key: Path, batch: Path) -> float:
    t = time.perf_counter()
    r = subprocess.run(["sftp", *OPTS, "-P", str(port), "-i", str(key), "-b", str(batch),
                        f"{user}@127.0.0.1"], capture_output=True, timeout=600,
                       stdin=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"sftp failed: {r.stderr.decode()}")
    return dt


def main() -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway's opt-in packet fast path (fast_relay: true)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        big = root / "big.bin"
        big.write_bytes(os.urandom(args.mb * 1024 * 1024))
        small = root / "small"
        small.mkdir()
        for i in range(args.files):
            (small / f"f{i:04}").write_bytes(os.urandom(512))
        dest = root / "dest"
        dest.mkdir()
        batches = {
            "upload": f"put {big} {dest}/big.bin\n",
            "download": f"get {dest}/big.bin {root}/back.bin\n",
            "small files": f"put -r {small} {dest}/small\n",
        }
        for name, text in batches.items():
            (root / name.replace(" ", "_")).write_text(text)
        times: dict[tuple[str, str], list[float]] = {}
        with Lab(root / "lab", direct_access=True, grant={"sftp": True},
                 fast_relay=args.fast_relay) as lab:
            legs = {"direct": (lab.target.port, lab.login),
                    "sshgate": (lab.gateway.port, f"{lab.login}@lab")}
            for _ in range(args.repeat):
                for name in batches:
                    for leg, (port, user) in legs.items():
                        if name == "small files":
                            subprocess.run(["rm", "-rf", str(dest / "small")], check=True)
                        dt = sftp(port, user, lab.agent_key, root / name.replace(" ", "_"))
                        times.setdefault((name, leg), []).append(dt)
                for cast in lab.recordings.glob("*.cast*"):
                    cast.unlink()
    out = []
    print(f"SFTP with OpenSSH's sftp client, median of {args.repeat} interleaved runs"
          f"{', fast_relay on' if args.fast_relay else ''}, load average "
          f"{os.getloadavg()[0]:.1f}")
    for name in ("upload", "download"):
        direct, gw = (args.mb / statistics.median(times[(name, leg)])
                      for leg in ("direct", "sshgate"))
        print(f"  {args.mb} MB {name:8}  direct {direct:6.1f} MB/s   sshgate {gw:6.1f} MB/s"
              f"   ratio {gw / direct:.2f}")
        out.append({"name": f"sftp {args.mb} MB {name}", "direct": direct, "sshgate": gw,
                    "unit": "MB/s", "ratio": gw / direct, "target": "recorded, gated per file"})
    direct, gw = (statistics.median(times[("small files", leg)]) for leg in ("direct", "sshgate"))
    per_op = (gw - direct) / args.files * 1000
    print(f"  {args.files} small files  direct {direct:.2f} s   sshgate {gw:.2f} s"
          f"   added per file {per_op:.2f} ms")
    out.append({"name": f"sftp {args.files} small files", "direct": direct, "sshgate": gw,
                "unit": "s", "ratio": gw / direct,
                "target": f"added {per_op:.2f} ms per file (open+write+close decided)"})
    return out


if __name__ == "__main__":
    main()
