"""The approval broker: ordering, one-shot binding, timeout, withdrawal, deciders."""

from __future__ import annotations

import asyncio

import pytest

from sshgate.approvals.broker import Broker, State
from sshgate.approvals.control import ApprovalService
from sshgate.policy.model import ApprovalSettings, Approver

APPROVERS = (Approver("alice"), Approver("bob"), Approver("carol", identity="bot"))


def req(b: Broker, now: float = 0.0, session: str = "s1", command: str = "rm -rf /srv/x",
        identity: str = "bot", timeout: float = 300):
    return b.request(session=session, identity=identity, target="web", login="deploy",
                     client="127.0.0.1:1", command=command, findings=(), now=now,
                     timeout=timeout)


def test_pending_in_arrival_order():
    b = Broker(APPROVERS)
    ids = [req(b, now=t).id for t in (3.0, 1.0, 2.0)]
    assert [r.id for r in b.pending()] == [ids[1], ids[2], ids[0]]


def test_approval_is_one_shot_and_bound_to_session_and_command():
    b = Broker(APPROVERS)
    r = req(b)
    assert b.decide(r.id, "alice", True, "fine", now=1).ok
    assert not b.consume(r.id, "s2", r.command)          # another session
    assert not b.consume(r.id, "s1", "rm -rf /srv/y")    # other command bytes
    assert not b.consume(r.id, "s1", r.command + " ")    # even one byte differs
    assert b.consume(r.id, "s1", r.command)
    assert not b.consume(r.id, "s1", r.command)          # used once
    r2 = req(b)
    assert not b.consume(r2.id, "s1", r2.command)        # a new request is not approved


def test_denied_is_never_consumable():
    b = Broker(APPROVERS)
    r = req(b)
    assert b.decide(r.id, "bob", False, "no", now=1).ok
    assert not b.consume(r.id, "s1", r.command)
    assert b.requests[r.id].state is State.DENIED and b.requests[r.id].reviewer == "bob"


def test_timeout():
    b = Broker(APPROVERS)
    r = req(b, now=0, timeout=10)
    assert b.expire(now=9.9) == []
    [done] = b.expire(now=10)
    assert done.state is State.TIMED_OUT and done.reason == "approval timed out"
    v = b.decide(r.id, "alice", True, None, now=11)
    assert not v.ok and "timed-out" in v.message


def test_late_answer_after_deadline_times_out():
    b = Broker(APPROVERS)
    r = req(b, now=0, timeout=10)
    v = b.decide(r.id, "alice", True, None, now=10.5)
    assert not v.ok and b.requests[r.id].state is State.TIMED_OUT


def test_withdrawal():
    b = Broker(APPROVERS)
    r = req(b)
    b.withdraw(r.id, "the agent disconnected", now=1)
    assert b.requests[r.id].state is State.WITHDRAWN
    assert not b.decide(r.id, "alice", True, None, now=2).ok
    assert b.pending() == []


def test_concurrent_deciders_first_wins():
    b = Broker(APPROVERS)
    r = req(b)
    first = b.decide(r.id, "alice", False, "too risky", now=1)
    second = b.decide(r.id, "bob", True, "fine", now=1.001)
    assert first.ok and not second.ok
    assert "already denied by alice" in second.message
    assert b.requests[r.id].state is State.DENIED


def test_unauthorized_decider_refused():
    b = Broker(APPROVERS)
    r = req(b)
    v = b.decide(r.id, "mallory", True, None, now=1)
    assert not v.ok and "not an approver" in v.message
    assert b.requests[r.id].state is State.PENDING


def test_self_approval_refused():
    b = Broker(APPROVERS)
    r = req(b, identity="bot")
    v = b.decide(r.id, "carol", True, None, now=1)
    assert not v.ok and "may not approve its requests" in v.message
    other = req(b, identity="other-bot")
    assert b.decide(other.id, "carol", True, None, now=1).ok


def test_prefix_lookup_must_be_unique():
    b = Broker(APPROVERS)
    r = req(b)
    assert b.find(r.id[:3]) == r
    assert b.find("") is None


def test_deny_all_on_stop():
    b = Broker(APPROVERS)
    rs = [req(b) for _ in range(3)]
    b.deny_all("the gateway is stopping", now=1)
    assert all(b.requests[r.id].state is State.DENIED for r in rs)


def test_service_wait_resolves_on_decision_and_withdraws_on_cancel():
    async def main():
        audit: list = []
        svc = ApprovalService(APPROVERS, ApprovalSettings(timeout=5),
                              audit=lambda ev, **f: audit.append((ev, f)))
        r = svc.open(session="s", identity="bot", target="t", login="l", client="c",
                     command="x", findings=())
        waiter = asyncio.ensure_future(svc.wait(r))
        await asyncio.sleep(0)
        svc.decide(r.id, "alice", True, "ok")
        done = await waiter
        assert done.state is State.APPROVED
        r2 = svc.open(session="s", identity="bot", target="t", login="l", client="c",
                      command="y", findings=())
        w2 = asyncio.ensure_future(svc.wait(r2))
        await asyncio.sleep(0)
        w2.cancel()
        with pytest.raises(asyncio.CancelledError):
            await w2
        assert svc.broker.requests[r2.id].state is State.WITHDRAWN
        events = [e for e, _ in audit]
        assert events.count("approval.requested") == 2 and "approval.decided" in events
        decided = [f for e, f in audit if e == "approval.decided"][0]
        assert decided["reviewer"] == "alice" and "wait" in decided
        await svc.close()

    asyncio.run(main())


def test_service_times_out_by_itself():
    async def main():
        svc = ApprovalService(APPROVERS, ApprovalSettings(timeout=0.2))
        r = svc.open(session="s", identity="bot", target="t", login="l", client="c",
                     command="x", findings=())
        done = await asyncio.wait_for(svc.wait(r), 5)
        assert done.state is State.TIMED_OUT and done.reason == "approval timed out"
        await svc.close()

    asyncio.run(main())


def test_control_socket_mode_and_group(tmp_path):
    import grp
    import os
    import stat

    from sshgate.approvals.control import ControlServer

    group = grp.getgrgid(os.getgid()).gr_name
    state = tmp_path / "state"
    state.mkdir(mode=0o700)

    async def main():
        srv = ControlServer(ApprovalService(APPROVERS, ApprovalSettings()), state / "c.sock",
                            group)
        await srv.start()
        try:
            mode = stat.S_IMODE((state / "c.sock").stat().st_mode)
            assert mode == 0o660
            assert (state / "c.sock").stat().st_gid == grp.getgrnam(group).gr_gid
            assert stat.S_IMODE(state.stat().st_mode) & 0o010  # group may traverse
            assert not stat.S_IMODE(state.stat().st_mode) & 0o007
        finally:
            await srv.close()

    asyncio.run(main())


def test_control_socket_refuses_a_shared_directory_and_a_live_socket(tmp_path):
    from sshgate.approvals.control import ControlServer

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    svc = ApprovalService(APPROVERS, ApprovalSettings())

    async def main():
        with pytest.raises(OSError, match="is shared"):
            await ControlServer(svc, shared / "c.sock").start()
        own = tmp_path / "own"
        own.mkdir(mode=0o700)
        first = ControlServer(svc, own / "c.sock")
        await first.start()
        try:
            with pytest.raises(OSError, match="another gateway is listening"):
                await ControlServer(svc, own / "c.sock").start()
        finally:
            await first.close()
        assert not (own / "c.sock").exists()
        # a socket put in its place by someone else is not removed by close()
        second = ControlServer(svc, own / "c.sock")
        await second.start()
        (own / "c.sock").unlink()
        import socket as socket_mod

        planted = socket_mod.socket(socket_mod.AF_UNIX)
        planted.bind(str(own / "c.sock"))
        await second.close()
        assert (own / "c.sock").exists()
        planted.close()
        (own / "not-a-socket").write_text("x")
        with pytest.raises(OSError, match="not a socket"):
            await ControlServer(svc, own / "not-a-socket").start()

    asyncio.run(main())


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="needs a directory owned by "
                                                            "another user")
def test_control_group_never_touches_a_directory_the_gateway_does_not_own(tmp_path):
    import grp
    import os
    import pwd

    from sshgate.approvals.control import ControlServer

    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    nobody = pwd.getpwnam("nobody")
    os.chown(theirs, nobody.pw_uid, nobody.pw_gid)
    before = theirs.stat()
    group = grp.getgrgid(os.getgid()).gr_name
    svc = ApprovalService(APPROVERS, ApprovalSettings())

    async def main():
        with pytest.raises(OSError, match="is shared"):
            await ControlServer(svc, theirs / "c.sock", group).start()

    asyncio.run(main())
    after = theirs.stat()
    assert (after.st_gid, after.st_mode) == (before.st_gid, before.st_mode)
    assert not (theirs / "c.sock").exists()


def test_the_gateways_own_user_may_reload_but_not_decide_unless_an_approver(tmp_path):
    """The control socket admits the gateway's own OS user (who could send SIGHUP) for
    `policy reload` only; approvals stay with the approvers listed in the policy."""
    import json
    import os

    from sshgate.approvals.control import ControlError, ControlServer, call, connect

    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    svc = ApprovalService(APPROVERS, ApprovalSettings())  # this test's user is none of them
    asked: list[str] = []

    async def reloader(by: str) -> dict:
        asked.append(by)
        return {"type": "reload", "ok": True, "message": "ok", "replicas": []}

    async def main():
        srv = ControlServer(svc, state / "c.sock")
        await srv.start()
        try:
            no = await call(state / "c.sock", {"op": "reload"})
            assert no["type"] == "error" and "cannot reload" in no["error"]
            svc.reloader = reloader
            assert (await call(state / "c.sock", {"op": "reload"}))["ok"]
            for op in ({"op": "list"}, {"op": "decide", "id": "x", "decision": "approve"}):
                with pytest.raises(ControlError, match="not an approver"):
                    await call(state / "c.sock", op)
            # past the client's own check, the gateway refuses too
            reader, writer, hello = await connect(state / "c.sock", approver=False)
            assert hello["approver"] is False
            for op in (b'{"op": "subscribe"}\n', b'{"op": "list"}\n'):
                writer.write(op)
                got = json.loads(await reader.readline())
                assert got["type"] == "error" and "not an approver" in got["error"], got
            writer.close()
            assert svc.subscribers == set()
        finally:
            await srv.close()

    asyncio.run(main())
    import pwd

    assert asked == [pwd.getpwuid(os.geteuid()).pw_name]
