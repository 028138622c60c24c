#!/usr/bin/env python3
"""What signing the audit log costs: microseconds per audit event and per session with and
without the audit key, for the events one exec session writes (start, decision, seal, end),
measured in one run. A head is signed after every seal and at least every 100 events."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.audit import AuditLog  # noqa: E402

SESSION = [("session.start", {"max_session": 1800}),
           ("command.decision", {"command": "systemctl status nginx", "decision": "allow",
                                 "findings": [], "mode": "exec", "classify_ms": 0.25}),
           ("session.end", {"duration": 0.02, "reason": "closed"}),
           ("recording.sealed", {"recording": "0123456789abcdef", "sha256": "ab" * 32,
                                 "size": 1234, "events": 5, "reason": "session closed"})]


def per_session(signer: asyncssh.SSHKey | None, sessions: int) -> float:
    with tempfile.TemporaryDirectory() as d:
        log = AuditLog(Path(d) / "audit.jsonl", signer)
        t = time.perf_counter()
        for _ in range(sessions):
            for event, fields in SESSION:
                log.write(event, session="0123456789abcdef", identity="deploy-bot", **fields)
        took = time.perf_counter() - t
        log.close()
    return took / sessions * 1e6


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=2000, help="sessions per round")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    key = asyncssh.generate_private_key("ssh-ed25519")
    plain, signed = [], []
    for _ in range(args.rounds):  # interleaved: machine noise hits both alike
        plain.append(per_session(None, args.n))
        signed.append(per_session(key, args.n))
    p, s = statistics.median(plain), statistics.median(signed)
    print(f"audit log cost per exec session ({len(SESSION)} events, n={args.n} x "
          f"{args.rounds})")
    print(f"  hash chain only        median {p:7.1f} us")
    print(f"  + signed heads         median {s:7.1f} us")
    print(f"  added per session              {s - p:7.1f} us")
    return {"name": "audit signing", "direct": p, "sshgate": s, "unit": "us/session",
            "ratio": s / p, "target": "< 1 ms added"}


if __name__ == "__main__":
    main()
