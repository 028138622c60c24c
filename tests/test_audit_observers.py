"""Audit observers: every record reaches them as written (the hook notifications use); one
that fails or is slow to write never costs a record."""

from __future__ import annotations

import asyncio

from sshgate.approvals.control import ApprovalService, answer
from sshgate.approvals.live import Oversight
from sshgate.approvals.oversight import LiveSession
from sshgate.audit import AuditLog, read_audit, verify_chain
from sshgate.policy.model import ApprovalSettings, Approver


def test_observers_see_every_record_and_a_failing_one_costs_nothing(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    seen: list[dict] = []

    def broken(record: dict) -> None:
        raise RuntimeError("receiver down")

    log.observers += [broken, seen.append]
    log.write("a", x=1)
    log.write("b", y=2)
    log.close()
    assert [r["event"] for r in seen] == ["a", "b"]
    assert seen == list(read_audit(tmp_path / "audit.jsonl"))
    assert verify_chain(tmp_path / "audit.jsonl") == []


def test_held_decided_killed_locked_are_observable_from_the_audit_log(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    seen: list[dict] = []
    log.observers.append(seen.append)

    async def run() -> None:
        svc = ApprovalService((Approver("alice"),), ApprovalSettings(), audit=log.write)
        svc.oversight = Oversight(log.write, tmp_path / "locks.json",
                                  end_session=lambda *a: True)
        svc.oversight.sessions.start(LiveSession("s1", "bot", "web", "deploy", "c", 0))
        req = svc.open(session="s1", identity="bot", target="web", login="deploy",
                       client="127.0.0.1:5", command="rm -rf /srv", findings=())
        svc.decide(req.id, "alice", True, "fine")
        for msg in ({"op": "kill", "id": "s1", "reason": "enough"},
                    {"op": "lock", "identity": "bot", "reason": "injected"}):
            await answer(svc, "alice", msg, lambda reply: None)
        await svc.close()

    asyncio.run(run())
    by_event = {r["event"]: r for r in seen}
    held = by_event["approval.requested"]
    assert (held["identity"], held["target"], held["login"], held["command"]) == \
        ("bot", "web", "deploy", "rm -rf /srv")
    assert by_event["approval.decided"]["decision"] == "approved"
    assert by_event["session.killed"]["reviewer"] == "alice"
    assert by_event["identity.locked"]["reason"] == "injected"
