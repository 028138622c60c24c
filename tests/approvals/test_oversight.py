"""Live oversight as plain data (locks, running sessions) and the service around it: tables of
clock readings and operations, persistence across a restart, watchers that never block."""

from __future__ import annotations

import asyncio
import json

import pytest

from sshgate.approvals.control import ApprovalService, answer
from sshgate.approvals.live import WATCH_BUFFER, LocksFileError, Oversight
from sshgate.approvals.oversight import LiveSession, Lock, Locks, Sessions
from sshgate.policy.model import ApprovalSettings, Approver

# (operations, time of the check, the lock that refuses "bot" then or None)
LOCK_TABLE = [
    ([("lock", 0, None)], 10_000, ("alice", None)),
    ([("lock", 0, 60)], 59.9, ("alice", 60)),
    ([("lock", 0, 60)], 60, None),
    ([("lock", 0, 60), ("unlock", 10, None)], 20, None),
    ([("lock", 0, 60), ("lock", 30, None)], 100, ("alice", None)),
    ([("lock", 0, None), ("lock", 30, 10)], 41, None),
]


@pytest.mark.parametrize("ops,at,expected", LOCK_TABLE)
def test_lock_table(ops, at, expected):
    locks = Locks()
    for op, now, duration in ops:
        if op == "lock":
            locks.lock("bot", "alice", "why", now, duration)
        else:
            locks.unlock("bot")
    lk = locks.active("bot", at)
    got = None if lk is None else (lk.reviewer, None if lk.expires is None
                                   else lk.expires - lk.created)
    assert got == expected
    assert locks.active("other", at) is None


def test_expire_drops_only_what_is_due_and_round_trips():
    locks = Locks()
    locks.lock("a", "alice", "x", 0, 10)
    locks.lock("b", "alice", "y", 0, None)
    locks.lock("c", "bob", "z", 5, 100)
    assert locks.next_expiry() == 10
    assert [lk.identity for lk in locks.expire(10)] == ["a"]
    assert [lk.identity for lk in locks.listing(11)] == ["b", "c"]
    again = Locks.from_json(json.loads(json.dumps(locks.to_json())))
    assert again.locks == locks.locks
    assert Lock("bot", "alice", "why", 0).message() == "identity 'bot' is locked by alice: why"


def test_sessions_registry():
    reg = Sessions()
    a = reg.start(LiveSession("aaaa1111", "bot", "web", "deploy", "1.2.3.4:5", 10.0))
    reg.start(LiveSession("aaaa2222", "bot", "db", "deploy", "1.2.3.4:6", 5.0))
    reg.start(LiveSession("bbbb3333", "other", "web", "root", "1.2.3.4:7", 7.0))
    assert reg.find("aaaa") is None and reg.find("aaaa1") is a and reg.find("") is None
    reg.command("aaaa1111", "sleep 30", "exec")
    reg.hold("aaaa1111", True)
    a.bytes_out += 5
    row = a.to_json(now=12.0)
    assert (row["state"], row["command"], row["bytes_out"], row["age"]) == \
        ("held", "sleep 30", 5, 2.0)
    reg.hold("aaaa1111", False)
    assert a.to_json()["state"] == "running"
    assert [s.id for s in reg.listing()] == ["aaaa2222", "bbbb3333", "aaaa1111"]
    assert [s.id for s in reg.of_identity("bot")] == ["aaaa1111", "aaaa2222"]
    reg.end("aaaa1111")
    assert reg.find("aaaa") is not None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def service(tmp_path, clock, ended: list) -> ApprovalService:
    svc = ApprovalService((Approver("alice"), Approver("carol", identity="bot")),
                          ApprovalSettings(), clock=clock)
    events: list = []
    svc.audit = lambda event, **f: events.append((event, f))
    svc.oversight = Oversight(svc.audit, tmp_path / "locks.json", clock,
                              lambda sid, msg, meta: ended.append((sid, msg)) or True)
    svc.events = events  # type: ignore[attr-defined]
    return svc


def ask(svc, reviewer, **msg) -> dict:
    replies: list = []
    asyncio.run(answer(svc, reviewer, msg, replies.append))
    [reply] = replies
    return reply


def test_lock_kill_unlock_through_the_service(tmp_path):
    clock, ended = Clock(), []
    svc = service(tmp_path, clock, ended)
    live = svc.oversight
    live.sessions.start(LiveSession("s1", "bot", "web", "deploy", "c", 0))
    live.sessions.start(LiveSession("s2", "other", "web", "deploy", "c", 0))
    assert ask(svc, "mallory", op="sessions")["type"] == "error"  # not an approver
    rows = ask(svc, "alice", op="sessions")["sessions"]
    assert [r["id"] for r in rows] == ["s1", "s2"]
    assert not ask(svc, "alice", op="kill", id="s1", reason=" ")["ok"]
    assert ask(svc, "alice", op="kill", id="s2", reason="runaway")["ok"]
    assert ended == [("s2", "session ended by alice: runaway")]
    r = ask(svc, "alice", op="lock", identity="bot", reason="injected", **{"for": "30m"})
    assert r["ok"] and r["message"] == "locked bot for 30m; 1 running session(s) ended"
    assert ended[-1] == ("s1", "identity 'bot' is locked by alice: injected")
    assert not ask(svc, "alice", op="lock", identity="bot", reason="x", **{"for": "soon"})["ok"]
    assert not ask(svc, "alice", op="lock", identity="../etc", reason="x")["ok"]
    # separation of duties: an approver acting as the identity may not lift its lock
    r = ask(svc, "carol", op="unlock", identity="bot")
    assert not r["ok"] and "carol acts as identity bot and may not unlock it" in r["message"]
    # persisted: a new service on the same state dir refuses bot
    again = Oversight(lambda *a, **k: None, tmp_path / "locks.json", clock)
    assert again.refusal("bot") == "identity 'bot' is locked by alice: injected"
    assert oct((tmp_path / "locks.json").stat().st_mode & 0o777) == "0o600"
    clock.now += 30 * 60
    assert again.refusal("bot") is None  # expired, even before any timer ran
    assert ask(svc, "alice", op="unlock", identity="bot")["ok"] is False
    clock.now -= 60
    assert ask(svc, "alice", op="unlock", identity="bot")["ok"]
    assert Oversight(lambda *a, **k: None, tmp_path / "locks.json", clock).refusal("bot") is None
    events = [e for e, _ in svc.events]
    assert events.count("session.killed") == 1 and "identity.locked" in events
    assert "identity.unlock-refused" in events and "identity.unlocked" in events


def test_unreadable_locks_file_fails_closed(tmp_path):
    (tmp_path / "locks.json").write_text("{not json")
    with pytest.raises(LocksFileError, match="cannot read the identity locks"):
        Oversight(lambda *a, **k: None, tmp_path / "locks.json")


def test_lock_expiry_timer_audits(tmp_path):
    async def run() -> list:
        events: list = []
        live = Oversight(lambda e, **f: events.append(e), tmp_path / "locks.json")
        live.lock("alice", "bot", "x", 0.05)
        await asyncio.sleep(0.3)
        live.close()
        return events

    assert asyncio.run(run()) == ["identity.locked", "identity.lock-expired"]


def test_watchers_never_hold_the_relay_and_end_with_the_session(tmp_path):
    async def run() -> None:
        live = Oversight(lambda *a, **k: None)
        live.sessions.start(LiveSession("s1", "bot", "web", "deploy", "c", 0))
        _, slow = live.watch("s1")
        _, fast = live.watch("s1")
        chunk = b"x" * 65536
        for _ in range(2 * WATCH_BUFFER // len(chunk)):  # nobody reads `slow`
            live.output("s1", chunk)
        data, dropped, ended = await fast.take()
        assert len(data) == WATCH_BUFFER and dropped == WATCH_BUFFER and ended is None
        live.output("s1", b"tail")
        live.session_ended("s1", "closed")
        assert await fast.take() == (b"tail", 0, "closed")
        assert slow.size == WATCH_BUFFER and slow.ended == "closed"
        assert live.watchers == {} and live.watch("s1") == "no running session 's1'"

    asyncio.run(run())


def test_watch_stream_is_terminal_safe(tmp_path):
    async def run() -> list:
        clock, ended = Clock(), []
        svc = service(tmp_path, clock, ended)
        live = svc.oversight
        live.sessions.start(LiveSession("s1", "bot", "web", "deploy", "c", 0))
        sent: list = []
        task = asyncio.ensure_future(answer(svc, "alice", {"op": "watch", "id": "s1"},
                                            sent.append))
        await asyncio.sleep(0)
        for part in (b"ok \x1b", b"]52;c;cHduZWQ=\x07 \x1b[6", b"n \x1b[31mred\x1b[0m\n"):
            live.output("s1", part)
            await asyncio.sleep(0.01)
        live.session_ended("s1", "session ended by alice: done")
        await task
        return sent

    sent = asyncio.run(run())
    assert sent[0]["type"] == "watching" and sent[-1] == {"type": "end",
                                                          "reason": "session ended by alice: done"}
    text = "".join(m["data"] for m in sent if m["type"] == "output")
    assert text == "ok   \x1b[31mred\x1b[0m\n"


def test_a_lock_that_cannot_be_saved_still_holds_and_says_so(tmp_path):
    (tmp_path / "not-a-dir").write_text("")
    events: list = []
    live = Oversight(lambda e, **f: events.append(e), tmp_path / "not-a-dir" / "locks.json")
    r = live.lock("alice", "bot", "x", None)
    assert r["ok"] and "warning: not saved to" in r["message"]
    assert live.refusal("bot") == "identity 'bot' is locked by alice: x"
    assert events == ["identity.locks-not-saved", "identity.locked"]
