"""PostgresState between two replicas in one process, against a real PostgreSQL."""

import asyncio
import threading
import time

import asyncpg
import pytest

from sshgate.approvals.broker import Broker, State
from sshgate.approvals.oversight import LiveSession, Lock
from sshgate.policy.model import Approver
from sshgate.state import StateUnavailable
from sshgate.state.postgres import PostgresState, _read_index, run_migrate


class Recorder:
    """Stands in for the deployed hooks: what the fleet asked of this replica."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.event = asyncio.Event()
        self.running: list[LiveSession] = []

    def _got(self, *call):
        self.calls.append(call)
        self.event.set()

    def fleet_decided(self, req):
        self._got("decided", req)

    def fleet_request(self, req):
        self._got("request", req)

    def fleet_kill(self, sid, reviewer, reason, via):
        self._got("kill", sid, reviewer, reason, via)

    def fleet_lock(self, lock, via):
        self._got("lock", lock, via)

    def fleet_unlock(self, identity, reviewer, via):
        self._got("unlock", identity, reviewer, via)

    def fleet_locks(self, shared):
        self._got("locks", shared)

    def fleet_lost(self, replica, sessions, requests):
        self._got("lost", replica, sessions, requests)

    def fleet_unreachable(self):
        self._got("unreachable")

    def fleet_fence(self):
        self._got("fence")

    def fleet_running(self):
        return self.running

    def fleet_reload(self, generation, by, via):
        self._got("reload", generation, by, via)

    async def wait_for(self, kind, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            hits = [c for c in self.calls if c[0] == kind]
            if hits:
                return hits[-1]
            self.event.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind} call; got {self.calls}")
            await asyncio.wait_for(self.event.wait(), left)


def replica(url, name, tmp_path, **kw):
    kw.setdefault("interval", 0.2)
    kw.setdefault("timeout", 1.0)
    return PostgresState(url, name, listen="127.0.0.1:1", pool_size=3,
                         audit_path=tmp_path / f"{name}.jsonl", **kw)


async def started_one(url, tmp_path, name="a", **kw):
    """Replica ``name`` connected and started, with its Recorder."""
    r, h = replica(url, name, tmp_path, **kw), Recorder()
    await r.connect()
    await r.start(h)
    return r, h


async def started_pair(url, tmp_path):
    """Replicas ``a`` and ``b`` connected and started, each with its Recorder."""
    a, b = replica(url, "a", tmp_path), replica(url, "b", tmp_path)
    ra, rb = Recorder(), Recorder()
    for r, h in ((a, ra), (b, rb)):
        await r.connect()
        await r.start(h)
    return a, b, ra, rb


@pytest.fixture
def fleet_url(database_url):
    asyncio.run(run_migrate(database_url))
    return database_url


def test_a_decision_through_b_reaches_a_at_once(fleet_url, tmp_path):
    approvers = (Approver("alice"),)

    async def run():
        a, b, ra, rb = await started_pair(fleet_url, tmp_path)
        try:
            broker = Broker(approvers, id_bytes=8)
            req = broker.request(session="s1", identity="bot", target="web", login="deploy",
                                 client="127.0.0.1:5", command="rm -rf /srv/x",
                                 findings=({"rule": "fs.rm-recursive"},), now=time.time(),
                                 timeout=60)
            await a.file(req)
            seen = await rb.wait_for("request")
            assert seen[1].id == req.id
            assert [r.id for r in await b.pending()] == [req.id]
            verdict = await b.decide(req.id[:6], "alice", True, "ok", time.time(),
                                     broker.may_decide)
            started = time.perf_counter()  # committed on B: from here, reaching A
            got = await ra.wait_for("decided")
            latency = time.perf_counter() - started
            assert verdict.ok and got[1].state is State.APPROVED and got[1].reviewer == "alice"
            assert latency < 0.1, latency
            again = await a.decide(req.id, "alice", False, None, time.time(), broker.may_decide)
            assert not again.ok and "already approved by alice" in again.message
            assert await b.pending() == []
            # not an approver: refused, nothing changes
            other = broker.request(session="s1", identity="bot", target="web", login="deploy",
                                   client="x", command="reboot", findings=(), now=time.time(),
                                   timeout=60)
            await a.file(other)
            refused = await b.decide(other.id, "mallory", True, None, time.time(),
                                     broker.may_decide)
            assert not refused.ok and "not an approver" in refused.message
            assert await b.decide("ffff", "alice", True, None, time.time(),
                                  broker.may_decide) is None
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_sessions_kill_and_locks_across_replicas(fleet_url, tmp_path):
    async def run():
        a, b, ra, rb = await started_pair(fleet_url, tmp_path)
        try:
            s = LiveSession("sess-a-1", "bot", "web", "deploy", "127.0.0.1:9", time.time())
            await a.started(s)
            listed = await b.listing()
            assert [(x["id"], x["replica"]) for x in listed] == [("sess-a-1", "a")]
            reply = await b.kill("sess-a", "alice", "enough")
            assert reply["ok"] and reply["replica"] == "a"
            assert (await ra.wait_for("kill"))[1:] == ("sess-a-1", "alice", "enough", "b")
            assert await a.kill("sess-a", "alice", "x") is None  # its own: not via the fleet
            await b.lock(Lock("bot", "alice", "incident", time.time()))
            got = await ra.wait_for("lock")
            assert got[1].identity == "bot" and got[2] == "b"
            assert "bot" in (await a.locks()).locks
            await b.unlock("bot", "alice")
            assert (await ra.wait_for("unlock"))[1:3] == ("bot", "alice")
            await a.ended("sess-a-1", "done")
            assert await b.listing() == []
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_a_silent_replica_is_lost_with_its_sessions_and_requests(fleet_url, tmp_path):
    async def run():
        a, b, ra, rb = await started_pair(fleet_url, tmp_path)
        await a.started(LiveSession("sess-a-2", "bot", "web", "deploy", "c", time.time()))
        req = Broker(id_bytes=8).request(session="sess-a-2", identity="bot", target="web",
                                         login="deploy", client="c", command="reboot",
                                         findings=(), now=time.time(), timeout=600)
        await a.file(req)
        # A dies without a word: its heartbeat stops (the beat and the lease thread), its
        # connections stay open
        a._beat_task.cancel()
        await a.lease.stop()
        started = time.monotonic()
        lost = await rb.wait_for("lost", timeout=5)
        took = time.monotonic() - started
        assert lost[1:] == ("a", ["sess-a-2"], [req.id])
        assert took < 1.0 + 3 * 0.2 + 0.5, took  # the timeout, plus at most a sweep period
        c = await asyncpg.connect(fleet_url)
        assert await c.fetchval("SELECT state FROM requests WHERE id = $1", req.id) == "withdrawn"
        assert await c.fetchval("SELECT state FROM sessions WHERE id = 'sess-a-2'") == "lost"
        await c.close()
        assert await b.pending() == [] and await b.listing() == []
        await a.close()
        await b.close()

    asyncio.run(run())


def test_unreachable_database_fails_closed_then_fences(postgres, tmp_path):
    url = postgres.create_database()
    asyncio.run(run_migrate(url))

    async def run():
        a = replica(url, "a", tmp_path, interval=0.1, timeout=0.4)
        ra = Recorder()
        await a.connect()
        await a.start(ra)
        c = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
        # cut this database's connections off and refuse new ones: "unreachable"
        db = url.rsplit("/", 1)[1]
        await c.execute(f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
        await c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = $1", db)
        await ra.wait_for("unreachable", timeout=3)
        assert not a.reachable
        with pytest.raises(StateUnavailable):
            await a.pending()
        await ra.wait_for("fence", timeout=3)
        await c.execute(f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
        deadline = time.monotonic() + 5
        while not a.reachable and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert a.reachable
        await c.close()
        await a.close()

    asyncio.run(run())


def test_audit_chain_copied_line_for_line_and_verified(fleet_url, tmp_path):
    import asyncssh

    from sshgate.audit import AuditLog
    from sshgate.state.postgres import verify_chains

    key = asyncssh.generate_private_key("ssh-ed25519")
    path = tmp_path / "a.jsonl"

    async def run():
        a = replica(fleet_url, "a", tmp_path)
        await a.connect()
        log = AuditLog(path, key, sign_every=3)
        for i in range(7):
            log.write("test.event", n=i)
        assert await a.sync_audit() == path.read_bytes().count(b"\n")
        log.write("late.event")
        log.close()
        await a.close()  # copies what is left, the stop head included
        return path.read_bytes()

    data = asyncio.run(run())
    [(chain, state, report)] = verify_chains(fleet_url, key)
    assert chain == "a" and state == "stopped"
    assert report.ok, report.problems
    assert report.lines == data.count(b"\n")

    async def tamper():
        c = await asyncpg.connect(fleet_url)
        await c.execute("UPDATE audit SET record = replace(record, '\"n\":2', '\"n\":5') "
                        "WHERE chain = 'a'")
        await c.close()

    asyncio.run(tamper())
    [(_, _, report)] = verify_chains(fleet_url, key)
    assert not report.ok


@pytest.mark.parametrize("location, sealed, session, replica, state", [
    ("/spool/a.cast", False, "running", "up", "live"),
    ("/spool/a.cast", False, None, "up", "live"),  # its session row not written yet
    ("/spool/a.cast", False, "lost", "up", "lost"),  # killed, restarted, not sealed yet
    ("/spool/a.cast", False, "running", "lost", "lost"),
    ("/spool/a.cast", False, "lost", "lost", "lost"),
    ("/spool/a.cast", True, "ended", "up", "sealed"),
    ("/spool/a.cast", True, "lost", "up", "sealed"),  # sealed as recovered at restart
    ("s3://b/p/a.cast", True, "ended", "lost", "uploaded"),
    ("s3://b/p/a.cast", False, "ended", "up", "uploaded"),  # its recording failed
    ("/rec/a.cast", False, "ended", "up", "unsealed"),
])
def test_recording_state(location, sealed, session, replica, state):
    from sshgate.state.postgres import recording_state

    assert recording_state(location, sealed, session, replica) == state


def test_recording_index_and_registry_writes_keep_their_order(fleet_url, tmp_path):
    async def run():
        # no heartbeat during the test: it would write the kept index rows on its own
        a = replica(fleet_url, "a", tmp_path, interval=60, timeout=120)
        b = replica(fleet_url, "b", tmp_path)
        ra = Recorder()
        await a.connect()
        await a.start(ra)
        await b.connect()
        try:
            # a session that ends at once: its end is queued after its start, never lost
            s = LiveSession("short-1", "bot", "web", "deploy", "c", time.time())
            a.session_started(s)
            a.session_ended(s.id, "session closed")
            await a._drain_writes()
            await asyncio.sleep(0.05)
            assert await b.listing() == []
            assert await b.session_states(["short-1"]) == {"short-1": "ended"}
            # the recording index: opened (live), sealed, uploaded; written in order
            a.index_recording("5e1", {"identity": "bot", "target": "web", "login": "deploy",
                                      "started": "2026-11-30T10:00:00+00:00",
                                      "location": "/srv/spool/5e1.cast"})
            await a._drain_writes()
            [row] = await _read_index(fleet_url, None, None, None, None)
            assert (row["id"], row["replica"], row["state"]) == ("5e1", "a", "live")
            a.index_recording("5e1", {"sha256": "ab" * 32, "size": 10, "sealed": time.time()})
            await a._drain_writes()
            [row] = await _read_index(fleet_url, "5e", None, None, None)
            assert (row["state"], row["sha256"], row["size"]) == ("sealed", "ab" * 32, 10)
            # changes made while the database is away are kept and written when it is back
            a.reachable = False
            a.index_recording("5e1", {"location": "s3://b/p/5e1.cast"})
            await a._drain_writes()
            [row] = await _read_index(fleet_url, None, None, None, None)
            assert row["state"] == "sealed"
            a.reachable = True
            await a.flush_index()
            [row] = await _read_index(fleet_url, None, "bot", "web", None)
            assert (row["state"], row["location"], row["sha256"]) == (
                "uploaded", "s3://b/p/5e1.cast", "ab" * 32)
            assert await _read_index(fleet_url, "6", None, None, None) == []
            assert await _read_index(fleet_url, None, "other", None, None) == []
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_a_policy_reload_reaches_every_replica_and_each_publishes_what_it_runs(fleet_url,
                                                                              tmp_path):
    async def run():
        a, b = replica(fleet_url, "a", tmp_path), replica(fleet_url, "b", tmp_path)
        ra, rb = Recorder(), Recorder()
        for r, h in ((a, ra), (b, rb)):
            await r.connect()
            await r.publish_policy("d1", None)
            await r.start(h)
        try:
            gen = await b.request_reload("alice")
            got = await ra.wait_for("reload", timeout=1)
            assert got[1:] == (gen, "alice", "b")
            assert not [c for c in rb.calls if c[0] == "reload"]  # B reloads itself
            await b.publish_policy("d2", None)
            # A's reload was refused: it keeps d1 and says why
            await a.publish_policy("d1", "policies/x.yaml:3: grants: bad")
            rows = {r["id"]: r for r in await b.reload_answers(gen, timeout=2)}
            assert rows["a"]["policy_reload"] == gen and rows["b"]["policy_reload"] == gen
            assert rows["a"]["policy_digest"] == "d1" and rows["b"]["policy_digest"] == "d2"
            assert rows["a"]["policy_error"].startswith("policies/x.yaml:3")
            # a reload A did not hear (its listener was down) is caught at its heartbeat
            await a._listener.close()
            gen2 = await b.request_reload("bob")
            got = await ra.wait_for("reload", timeout=2)
            while got[1] != gen2:
                ra.calls.remove(got)
                got = await ra.wait_for("reload", timeout=2)
            assert got[1:] == (gen2, "bob", "b (caught up at a heartbeat)")
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_reviewers_count_only_on_replicas_with_a_fresh_heartbeat(fleet_url, tmp_path):
    async def run():
        a, b = replica(fleet_url, "a", tmp_path), replica(fleet_url, "b", tmp_path)
        for r, h in ((a, Recorder()), (b, Recorder())):
            await r.connect()
            await r.start(h)
        try:
            assert await a.reviewers_elsewhere() == {}
            b.set_reviewers(["carol", "alice"])
            deadline = time.monotonic() + 2
            while not await a.reviewers_elsewhere():
                assert time.monotonic() < deadline, "B's reviewers never reached A"
                await asyncio.sleep(0.01)
            assert await a.reviewers_elsewhere() == {"b": ["alice", "carol"]}
            assert await b.reviewers_elsewhere() == {}  # its own do not count there
            # B stops beating (hung: its beat and its lease thread): its row still lists
            # reviewers, but is not fresh
            b._beat_task.cancel()
            await b.lease.stop()
            c = await asyncpg.connect(fleet_url)
            await c.execute("UPDATE replicas SET heartbeat = now() - interval '5 seconds' "
                            "WHERE id = 'b'")
            await c.close()
            assert await a.reviewers_elsewhere() == {}
            b.set_reviewers([])
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_a_signed_decision_is_applied_from_the_notification_a_forged_one_never(fleet_url,
                                                                              tmp_path):
    """Anyone who can connect may NOTIFY: only a decision signed with the replicas' key is
    taken from the payload; anything else makes the waiting replica read the row."""
    import json

    import asyncssh

    key = asyncssh.generate_private_key("ssh-ed25519")
    approvers = (Approver("alice"),)

    async def run():
        a, b = replica(fleet_url, "a", tmp_path), replica(fleet_url, "b", tmp_path)
        ra, rb = Recorder(), Recorder()
        for r, h in ((a, ra), (b, rb)):
            r.signer = key
            await r.connect()
            await r.start(h)
        try:
            broker = Broker(approvers, id_bytes=8)
            held = broker.request(session="s1", identity="bot", target="web", login="deploy",
                                  client="c", command="reboot", findings=(), now=time.time(),
                                  timeout=60)
            await a.file(held)
            # a forged approval: signed by another key, then unsigned
            other = asyncssh.generate_private_key("ssh-ed25519")
            b.signer = other
            forged = b._sign_decision({"id": held.id, "replica": "a", "state": "approved",
                                       "reviewer": "alice", "reason": "x",
                                       "decided": time.time()})
            b.signer = key
            c = await asyncpg.connect(fleet_url)
            for extra in (forged, {"decision": forged["decision"]}):
                await c.execute("SELECT pg_notify('sshgate', $1)", json.dumps(
                    {"from": "mallory", "kind": "decided", "id": held.id, "replica": "a",
                     **extra}))
            await asyncio.sleep(0.3)
            assert not [x for x in ra.calls if x[0] == "decided"]  # the row says pending
            await c.close()
            verdict = await b.decide(held.id, "alice", True, "fine", time.time(),
                                     broker.may_decide)
            got = await ra.wait_for("decided")
            assert verdict.ok and got[1].state is State.APPROVED
            assert (got[1].id, got[1].reviewer, got[1].reason) == (held.id, "alice", "fine")
            # a reason too long for a notification: decided all the same, the row is read
            long = broker.request(session="s1", identity="bot", target="web", login="deploy",
                                  client="c", command="halt", findings=(), now=time.time(),
                                  timeout=60)
            await a.file(long)
            why = '"quoted" ' * 1500
            verdict = await b.decide(long.id, "alice", False, why, time.time(),
                                     broker.may_decide)
            assert verdict.ok
            deadline = time.monotonic() + 5
            while not [x for x in ra.calls if x[0] == "decided" and x[1].id == long.id]:
                assert time.monotonic() < deadline, "the long decision never reached A"
                await asyncio.sleep(0.02)
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())



def test_the_write_memory_is_shared_bounded_and_expires(fleet_url, tmp_path):
    """A write remembered through A is what B judges the next line against; writes from
    both at once are all kept; over its bounds the row grows coarser, never forgets; past
    the TTL it is gone; a row that cannot be read is a write everywhere."""
    from sshgate.guard.classify import classify
    from sshgate.guard.flow import ANYWHERE
    from sshgate.guard.memory import Earlier

    clock = [1000.0]
    bounds = {"ttl": 60.0, "max_entries": 4, "max_bytes": 4096}
    scope = ("bot", "web")

    async def run():
        a = replica(fleet_url, "a", tmp_path, clock=lambda: clock[0])
        b = replica(fleet_url, "b", tmp_path, clock=lambda: clock[0])
        await a.connect()
        await b.connect()
        try:
            assert await b.written(scope, bounds) == ()
            await a.remember(scope, ("~deploy/sub",), "tar -xzf e.tgz -C sub", bounds)
            seen = await b.written(scope, bounds)
            assert [(w.path, w.line) for w in seen] == [("~deploy/sub", "tar -xzf e.tgz -C sub")]
            held = classify("cd sub && make", earlier=Earlier(seen, login="deploy"))
            assert "exec.download-then-run" in [f.rule for f in held.findings]
            assert await b.written(("bot", "db"), bounds) == ()  # another scope

            # both replicas at once, more writes than the bound: every one stays covered
            paths = [f"/srv/app{i % 3}/f{i}" for i in range(24)]
            await asyncio.gather(*(
                (a if i % 2 else b).remember(scope, (p,), f"w{i}", bounds)
                for i, p in enumerate(paths)))
            # B read (and kept) the row before these writes: it sees them all
            kept = [w.path for w in await b.written(scope, bounds)]
            assert kept == [w.path for w in await a.written(scope, bounds)]
            assert len(kept) <= 4
            for p in ["~deploy/sub", *paths]:
                assert any(k == ANYWHERE or p == k or p.startswith(k.rstrip("/") + "/")
                           for k in kept), (p, kept)

            clock[0] += 61
            assert await b.written(scope, bounds) == ()

            c = await asyncpg.connect(fleet_url)
            try:
                await c.execute("UPDATE write_memory SET entries = '[[1]]'::jsonb, "
                                "version = version + 1")
            finally:
                await c.close()
            assert [w.path for w in await b.written(scope, bounds)] == [ANYWHERE]
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def test_a_replica_does_not_reparse_the_write_memory_it_wrote_last(fleet_url, tmp_path,
                                                                  monkeypatch):
    """Red team s9b G5: every remember parsed the whole row under its lock (ms at 256
    entries), and the next read parsed it again. A replica whose copy is the row's version
    uses it; a write by another replica in between is parsed, never missed."""
    from sshgate.state import postgres as pg

    parsed = []
    real = pg._memory
    monkeypatch.setattr(pg, "_memory", lambda *a: parsed.append(a[1]) or real(*a))
    bounds = {"ttl": 60.0, "max_entries": 64, "max_bytes": 1 << 16}
    scope = ("bot", "parse")

    async def run():
        a = replica(fleet_url, "a", tmp_path)
        b = replica(fleet_url, "b", tmp_path)
        await a.connect()
        await b.connect()
        try:
            for i in range(3):
                await a.remember(scope, (f"/srv/app/f{i}",), f"touch f{i}", bounds)
                assert [w.path for w in await a.written(scope, bounds)][-1] == f"/srv/app/f{i}"
            assert parsed == ["[]"]  # the new row only
            await b.remember(scope, ("/srv/app/g",), "touch g", bounds)
            assert len(parsed) == 2  # B had no copy
            seen = [w.path for w in await a.written(scope, bounds)]
            assert seen == [f"/srv/app/f{i}" for i in range(3)] + ["/srv/app/g"]
            assert len(parsed) == 3  # A's copy was behind: parsed once
            await a.remember(scope, ("/srv/app/h",), "touch h", bounds)
            assert len(parsed) == 3
            assert [w.path for w in await b.written(scope, bounds)] == seen + ["/srv/app/h"]
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())


def hog(seconds: float, step: float):
    """Keep the event loop busy for ``seconds``: every iteration takes ``step`` (as a burst
    of handshakes makes it), but the loop still runs."""

    async def run():
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(step)  # noqa: ASYNC251 (the point: a loop that is slow, not stuck)
            await asyncio.sleep(0)

    return run()


def test_a_lagging_event_loop_keeps_its_lease(fleet_url, tmp_path):
    """Each loop iteration takes 0.15 s for 3 s, so the event loop's own beat (several round
    trips) takes longer than the heartbeat timeout: the lease thread keeps A alive, B does
    not call it lost, A does not fence (state/lease.py)."""

    async def run():
        a, b, ra, rb = await started_pair(fleet_url, tmp_path)
        await hog(3.0, 0.15)
        await asyncio.sleep(0.5)  # B's beats after the lag: still nothing lost
        assert [c for c in ra.calls + rb.calls if c[0] in ("lost", "fence", "unreachable")
                ] == []
        assert a.reachable and b.reachable
        c = await asyncpg.connect(fleet_url)
        assert await c.fetchval("SELECT state FROM replicas WHERE id = 'a'") == "up"
        await c.close()
        await a.close()
        await b.close()

    asyncio.run(run())


def test_a_stuck_event_loop_stops_renewing_its_lease_and_fences(fleet_url, tmp_path):
    """A loop that does not run for half the heartbeat timeout is not alive (it could not
    act on a kill or a lock): the lease thread stops renewing, and once the lease is as old
    as the timeout the replica fences."""
    seen: list[float] = []

    def heartbeat_age_later(delay: float) -> None:
        async def go():
            await asyncio.sleep(delay)
            c = await asyncpg.connect(fleet_url)
            seen.append(await c.fetchval("SELECT extract(epoch FROM now() - heartbeat)::float8 "
                                         "FROM replicas WHERE id = 'a'"))
            await c.close()

        asyncio.run(go())

    async def run():
        a, ra = await started_one(fleet_url, tmp_path)
        await asyncio.sleep(0.3)
        probe = threading.Thread(target=heartbeat_age_later, args=(1.8,))
        probe.start()
        time.sleep(2.2)  # noqa: ASYNC251 (the point: the event loop is stuck)
        probe.join()
        assert seen[0] > 1.0, seen  # renewals stopped about 0.5 s into the stall
        await ra.wait_for("fence", timeout=3)
        assert ("unreachable",) in ra.calls
        await a.close()

    asyncio.run(run())


def test_a_timed_out_call_while_the_lease_is_answered_is_not_an_unreachable_database(
        fleet_url, tmp_path):
    """A database call that timed out while the lease's own connection gets answers waited
    on this replica (its loop, or the query), not on the database: that call fails, the
    replica is not marked unreachable (no sessions refused, none ended)."""

    async def run():
        a, ra = await started_one(fleet_url, tmp_path)
        await asyncio.sleep(0.3)

        async def slow():
            async with a._db() as c:
                await c.execute("SELECT pg_sleep(2)", timeout=0.2)

        assert await a._quietly(slow()) is False
        assert a.reachable and ra.calls == []
        # but not for ever: with no call through the pool answered within the heartbeat
        # timeout, the pool is stuck, not the loop (red team s9b G2): unreachable, fenced
        a._pool_ok_at -= 10 * a.timeout
        a._down(slow=True)  # (at once: no heartbeat through the pool in between)
        assert ("unreachable",) in ra.calls and ("fence",) in ra.calls
        await a.close()

    asyncio.run(run())


def test_agent_text_the_database_cannot_hold_never_reads_as_an_outage(fleet_url, tmp_path):
    """PostgreSQL text holds neither NUL nor a lone surrogate (an SFTP path's undecodable
    byte): a session's command with them is stored escaped, and the heartbeat that copies it
    goes on (red team s9b G6: every beat failed, the replica refused everyone, then fenced)."""

    async def run():
        a, ra = await started_one(fleet_url, tmp_path)
        s = LiveSession("sess-nul", "bot", "web", "deploy", "c", time.time(), "sftp",
                        "rm 'a\x00b\udcff'")
        ra.running.append(s)
        await a.started(s)
        await a.changed(s)
        a.session_started(LiveSession("sess-nul-2", "bot", "web", "deploy", "c", time.time(),
                                      "exec", "x\x00y"))
        await asyncio.sleep(1.0)  # several heartbeats copy the counters and the command
        assert a.reachable and not [c for c in ra.calls if c[0] in ("unreachable", "fence")]
        c = await asyncpg.connect(fleet_url)
        try:
            rows = dict(await c.fetch("SELECT id, command FROM sessions"))
        finally:
            await c.close()
        assert rows == {"sess-nul": "rm 'a\\0b\\udcff'", "sess-nul-2": "x\\0y"}
        await a.close()

    asyncio.run(run())


def test_the_memorys_own_markers_and_undecodable_paths_are_stored(fleet_url, tmp_path):
    """Red team s10: over its bounds a scope coarsens to ANYWHERE ("\\x00*"), which jsonb
    refuses; every later remember() of the scope failed. Paths are stored escaped."""
    from sshgate.guard.flow import ANYWHERE, UNKNOWN

    bounds = {"ttl": 60.0, "max_entries": 64, "max_bytes": 1 << 16}
    scope = ("bot", "markers")
    paths = (ANYWHERE, UNKNOWN, "~deploy/x\udcff", "a\\b", "a\\u0041")

    async def run():
        a = replica(fleet_url, "a", tmp_path)
        b = replica(fleet_url, "b", tmp_path)
        await a.connect()
        await b.connect()
        try:
            for p in paths:
                await a.remember(scope, (p,), "w", bounds)
            seen = {w.path for w in await b.written(scope, bounds)}
            assert ANYWHERE in seen  # a later write everywhere is still kept
            await a.remember(scope, ("/srv/after",), "w2", bounds)
            assert ANYWHERE in {w.path for w in await b.written(scope, bounds)}
        finally:
            await a.close()
            await b.close()

    asyncio.run(run())
