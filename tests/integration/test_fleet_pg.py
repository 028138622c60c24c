"""Two real `sshgate serve` replicas sharing one PostgreSQL: real sshd target, real ssh agent.
A command held on A is approved through B; B lists, kills and locks A's sessions; A killed
with SIGKILL is found lost by B; `recordings verify --all` checks both audit chains."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import asyncpg
import pytest

from sshgate.config import load_config
from sshgate.lab import current_login, make_key, ssh_command
from sshgate.lab_forkserver import ForkServer
from sshgate.state.postgres import run_migrate

from .conftest import marker

INTERVAL, TIMEOUT = 0.2, 1.5


#: the session's warm process with this module's environment (set by _forked_cli)
_cli_server: list[ForkServer | None] = [None]


@pytest.fixture(autouse=True)
def _forked_cli(wide_cli_forkserver):
    _cli_server[0] = wide_cli_forkserver


def run(argv_config: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``sshgate ARGS --config CONFIG`` as a process, 250 columns wide: forked from the
    session's warm process (~0.4-1 s of CPU less a call, tests/test_lab_forkserver.py)."""
    argv, env = [*args, "--config", str(argv_config)], {**os.environ, "COLUMNS": "250"}
    server = _cli_server[0]
    if server is not None and server.usable_for(env):
        return server.run(argv, env=env, timeout=timeout)
    return subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                          text=True, timeout=timeout, env=env)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def ts(record: dict) -> float:
    return datetime.fromisoformat(record["ts"].replace("Z", "+00:00")).timestamp()


def poll(what, timeout: float = 15, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def query(url: str, sql: str, *args) -> list[dict]:
    """Rows straight from the shared database (polling it is cheaper than the CLI)."""

    async def go():
        c = await asyncpg.connect(url)
        try:
            return [dict(r) for r in await c.fetch(sql, *args)]
        finally:
            await c.close()

    return asyncio.run(go())


def listing(config: Path, *args: str) -> list[dict]:
    r = run(config, *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def fleet(make_lab, database_url, tmp_path):
    """Replica A (the lab's gateway) and replica B: a copy of A's keys, CA and policies with
    its own state_dir and control socket, on another port, sharing A's database."""
    asyncio.run(run_migrate(database_url))
    carol = make_key(tmp_path / "carol", "carol@reviewer")
    lab = make_lab(settings={"database": database_url, "heartbeat_interval": INTERVAL,
                             "heartbeat_timeout": TIMEOUT},
                   approvers=[current_login(), {"name": "carol", "keys": [carol]}])
    yield lab, lab.add_replica(tmp_path / "replica-b")


def replica_id(config: Path) -> str:
    return (config.parent / "state" / "replica-id").read_text().strip()


#: the held command's first act on the target: the target's clock, read by bash itself (no
#: fork), so that what is measured is the command starting, not a process spawned after it
STARTED = "echo $EPOCHREALTIME; "


def started_after_approval(url: str, request: str, out: bytes) -> float:
    """Seconds from the approval (its ``decided`` time, stamped by the replica the reviewer
    used) to the held command starting on the target (same host, one clock)."""
    [row] = query(url, "SELECT decided FROM requests WHERE id = $1", request)
    return float(out.split(b"\n", 1)[0]) - row["decided"]


def test_held_on_a_approved_through_b(fleet, database_url, tmp_path):
    lab, b = fleet
    a_id = replica_id(lab.config)
    precious = marker(tmp_path)
    agent = subprocess.Popen(lab.ssh_argv(f"{STARTED}rm -rf {precious} && echo removed"),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    poll(lambda: query(database_url, "SELECT id FROM requests WHERE state = 'pending'"))
    [req] = listing(b.config, "approvals", "list")
    assert req["command"] == f"{STARTED}rm -rf {precious} && echo removed"
    assert req["replica"] == a_id  # the replica whose agent waits
    table = run(b.config, "approvals", "list")
    assert "replica" in table.stdout and a_id in table.stdout, table.stdout
    assert precious.exists()
    r = run(b.config, "approve", req["id"][:6], "--reason", "through B")
    assert r.returncode == 0, r.stderr
    out, err = agent.communicate(timeout=20)
    assert agent.returncode == 0 and out.endswith(b"\nremoved\n"), err
    assert not precious.exists()
    sent = next(e for e in records(b.config.parent / "state" / "audit.jsonl")
                if e["event"] == "approval.decided-remote")
    got = next(e for e in records(lab.audit_path) if e["event"] == "approval.decided")
    assert got["reviewer"] == sent["reviewer"] and got["reason"] == "through B"
    # approved on B, the command starts on the target through A within 100 ms
    took = started_after_approval(database_url, req["id"], out)
    assert 0 < took < 0.1, took
    assert listing(b.config, "approvals", "list") == []

    # a reviewer over SSH at B's review console approves a command held on A: the same
    (tmp_path / "second").mkdir()
    precious = marker(tmp_path / "second")
    agent = subprocess.Popen(lab.ssh_argv(f"{STARTED}rm -rf {precious}"),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    [row] = poll(lambda: query(database_url, "SELECT id FROM requests WHERE state = 'pending'"))
    r = subprocess.run(ssh_command(b.port, "carol", tmp_path / "carol",
                                   f"approve {row['id']} --reason fine"),
                       capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    out, err = agent.communicate(timeout=20)
    assert agent.returncode == 0 and not precious.exists(), err
    took = started_after_approval(database_url, row["id"], out)
    assert 0 < took < 0.1, took

    # and denies one
    (tmp_path / "third").mkdir()
    precious = marker(tmp_path / "third")
    agent = subprocess.Popen(lab.ssh_argv(f"rm -rf {precious}"), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    [row] = poll(lambda: query(database_url, "SELECT id FROM requests WHERE state = 'pending'"))
    r = subprocess.run(ssh_command(b.port, "carol", tmp_path / "carol",
                                   f"deny {row['id']} --reason no"),
                       capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    _out, err = agent.communicate(timeout=20)
    assert agent.returncode == 77 and b"denied by carol: no" in err, err
    assert precious.exists()


def test_sessions_kill_and_lock_through_b(fleet, database_url):
    lab, b = fleet
    a_id = replica_id(lab.config)
    agent = subprocess.Popen(lab.ssh_argv("sleep 30"), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    poll(lambda: query(database_url, "SELECT id FROM sessions WHERE state = 'running'"))
    [s] = listing(b.config, "sessions", "list")
    assert s["replica"] == a_id and s["identity"] == "lab-agent"
    r = run(b.config, "sessions", "kill", s["id"][:8], "--reason", "enough from B")
    assert r.returncode == 0, r.stderr
    _out, err = agent.communicate(timeout=20)
    assert agent.returncode == 77
    assert b"session ended by" in err and b"enough from B" in err
    killed = next(e for e in records(lab.audit_path) if e["event"] == "session.killed")
    assert killed["reason"] == "enough from B"
    poll(lambda: not query(database_url, "SELECT id FROM sessions WHERE state = 'running'"))

    r = run(b.config, "lock", "lab-agent", "--reason", "incident 42")
    assert r.returncode == 0, r.stderr
    poll(lambda: any(e["event"] == "identity.locked" for e in records(lab.audit_path)))
    refused = lab.ssh("echo hi")
    assert refused.returncode != 0 and b"incident 42" in refused.stderr
    assert [x["identity"] for x in listing(lab.config, "locks")] == ["lab-agent"]
    r = run(b.config, "unlock", "lab-agent")
    assert r.returncode == 0, r.stderr
    poll(lambda: any(e["event"] == "identity.unlocked" for e in records(lab.audit_path)))
    ok = lab.ssh("echo hi")
    assert ok.returncode == 0 and ok.stdout == b"hi\n", ok.stderr


def test_replica_killed_is_found_lost_and_both_chains_verify(fleet, database_url, tmp_path):
    lab, b = fleet
    a_id = replica_id(lab.config)
    precious = marker(tmp_path)
    running = subprocess.Popen(lab.ssh_argv("sleep 30"), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    held = subprocess.Popen(lab.ssh_argv(f"rm -rf {precious}"), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    poll(lambda: query(database_url, "SELECT id FROM requests WHERE state = 'pending'"))
    poll(lambda: query(database_url, "SELECT id FROM sessions WHERE command = 'sleep 30'"))
    time.sleep(3 * INTERVAL)  # both audit logs copied to the database

    # both replicas up: each chain verifies (lines not yet signed are in flight, a note)
    r = run(b.config, "recordings", "verify", "--all", "--json")
    report = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout
    chains = {c["replica"]: c for c in report["audit_chains"]}
    assert set(chains) == {a_id, replica_id(b.config)} and all(c["ok"] for c in chains.values())

    lab.gateway.proc.send_signal(signal.SIGKILL)
    lab.gateway.proc.wait(10)
    killed_at = time.monotonic()
    running.wait(10)
    held.wait(10)

    poll(lambda: query(database_url, "SELECT 1 FROM replicas WHERE id = $1 AND state = 'lost'",
                       a_id), timeout=10, every=0.1)
    took = time.monotonic() - killed_at
    sessions = [r["state"] for r in query(database_url, "SELECT state FROM sessions WHERE "
                                          "replica = $1", a_id)]
    requests = [r["state"] for r in query(database_url, "SELECT state FROM requests WHERE "
                                          "replica = $1", a_id)]
    assert took < TIMEOUT + 3 * INTERVAL + 1.0, took
    assert "running" not in sessions and "lost" in sessions
    assert requests == ["withdrawn"]
    lost = poll(lambda: [e for e in records(b.config.parent / "state" / "audit.jsonl")
                         if e["event"] == "replica.lost"])
    assert lost[0]["replica"] == a_id
    assert listing(b.config, "approvals", "list") == []
    assert listing(b.config, "sessions", "list") == []
    assert precious.exists()  # the held command never ran

    # A's chain now ends without a stop head: verify says so instead of passing it
    r = run(b.config, "recordings", "verify", "--all", "--json")
    chains = {c["replica"]: c for c in json.loads(r.stdout)["audit_chains"]}
    assert r.returncode == 1
    assert not chains[a_id]["ok"] and chains[replica_id(b.config)]["ok"]
    assert any("killed" in p for p in chains[a_id]["problems"])

    # recordings on A's disk: the one the kill cut is `lost` in the index and unsealed; A
    # restarted seals it as recovered (the spool's path), every byte it had written
    [rid] = [r["id"] for r in query(database_url, "SELECT id FROM sessions WHERE "
                                                  "command = 'sleep 30'")]
    cast = load_config(lab.config).recordings / f"{rid}.cast"
    left = cast.read_bytes()
    assert not cast.with_name(cast.name + ".seal").exists()
    unsealed = run(lab.config, "recordings", "verify", rid, "--json")
    assert json.loads(unsealed.stdout)["recordings"][0]["status"] == "unsealed"
    lab.gateway.start()
    [row] = poll(lambda: query(database_url, "SELECT size FROM recordings WHERE id = $1 AND "
                                             "sha256 IS NOT NULL", rid))
    assert row["size"] == len(left) and cast.read_bytes() == left
    v = run(lab.config, "recordings", "verify", rid, "--json")
    [got] = json.loads(v.stdout)["recordings"]
    assert v.returncode == 0 and got["status"] == "recovered", v.stdout
    sealed = [e for e in records(lab.audit_path) if e["event"] == "recording.sealed"
              and e["recording"] == rid]
    assert len(sealed) == 1 and sealed[0]["recovered"] is True


def test_database_unreachable_fails_closed_and_recovers(fleet, database_url, postgres,
                                                         tmp_path):
    lab, _b = fleet
    precious = marker(tmp_path)
    running = subprocess.Popen(lab.ssh_argv("sleep 30"), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    held = subprocess.Popen(lab.ssh_argv(f"rm -rf {precious}"), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    poll(lambda: query(database_url, "SELECT id FROM requests WHERE state = 'pending'"))
    poll(lambda: query(database_url, "SELECT id FROM sessions WHERE command = 'sleep 30'"))
    db = database_url.rsplit("/", 1)[1]
    admin = postgres.url()
    # the database goes away for this fleet: open connections cut, new ones refused
    query(admin, f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
    try:
        query(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = $1", db)
        _out, err = held.communicate(timeout=20)
        assert held.returncode == 77 and b"fleet database is unreachable" in err, err
        refused = lab.ssh("echo hi")
        assert refused.returncode != 0
        assert b"fleet database is unreachable" in refused.stderr, refused.stderr
        # a running session ends once the others would call this replica lost
        _out, err = running.communicate(timeout=20)
        assert running.returncode == 77 and b"fleet database is unreachable" in err, err
    finally:
        query(admin, f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
    assert precious.exists()
    back = poll(lambda: (r := lab.ssh("echo back")).returncode == 0 and r, timeout=20,
                every=0.3)
    assert back.stdout == b"back\n"
    events = [e["event"] for e in records(lab.audit_path)]
    assert "replica.fenced" in events


def deploy(lab, b, **policy) -> None:
    """New policy files on both replicas, as configuration management would put them."""
    path = lab.write_policy(**{**lab.policy_kw, **policy})
    shutil.copy(path, b.config.parent / "policies" / path.name)


def through_b(lab, b, command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(ssh_command(b.port, f"{lab.login}@lab", lab.agent_key, command),
                          capture_output=True, timeout=30, stdin=subprocess.DEVNULL)


def test_policy_reload_through_b_reaches_a_and_a_refused_reload_is_visible(fleet, tmp_path):
    lab, b = fleet
    a_id, b_id = replica_id(lab.config), replica_id(b.config)
    assert lab.ssh("uname -s").returncode == 0
    deploy(lab, b, rules=[{"rule": "site.no-uname", "action": "deny", "commands": ["uname"],
                           "why": "not today"}])
    assert lab.ssh("uname -s").returncode == 0  # files alone change nothing
    r = run(b.config, "policy", "reload", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {x["id"]: x for x in json.loads(r.stdout)["replicas"]}
    assert set(rows) == {a_id, b_id}
    assert all(x["answered"] and x["policy_error"] is None for x in rows.values())
    assert rows[a_id]["policy_digest"] == rows[b_id]["policy_digest"]
    first = rows[a_id]["policy_digest"]
    refused = lab.ssh("uname -s")  # on A, reloaded through B
    assert refused.returncode == 77 and b"site.no-uname: not today" in refused.stderr

    # A's files are broken, B's are a new valid policy: A keeps the previous one and says why
    deploy(lab, b, rules=[{"rule": "site.no-uname", "action": "deny", "commands": ["uname"],
                           "why": "not today"},
                          {"rule": "site.no-hostname", "action": "deny",
                           "commands": ["hostname"], "why": "no"}])
    (lab.config.parent / "policies" / "example.yaml").write_text("grants: [\n")
    r = run(b.config, "policy", "reload", "--json")
    assert r.returncode == 1, r.stdout
    reply = json.loads(r.stdout)
    rows = {x["id"]: x for x in reply["replicas"]}
    assert "example.yaml:" in rows[a_id]["policy_error"]
    assert rows[a_id]["policy_digest"] == first != rows[b_id]["policy_digest"]
    assert rows[b_id]["policy_error"] is None
    assert f"refused on {a_id}" in reply["message"] and "2 different policies" in reply["message"]
    assert lab.ssh("uname -s").returncode == 77  # the previous policy, still in force on A
    assert lab.ssh("hostname").returncode == 0
    assert through_b(lab, b, "hostname").returncode == 77
    refusal = [e for e in records(lab.audit_path) if e["event"] == "policy.reload-refused"]
    assert refusal and "example.yaml:" in refusal[-1]["errors"][0]
    # the operator sees it in the fleet's status, from any replica
    status = run(lab.config, "db", "status", "--json")
    assert status.returncode == 0, status.stderr
    by_id = {x["id"]: x for x in json.loads(status.stdout)["replicas"]}
    assert by_id[a_id]["policy_error"] and by_id[a_id]["policy_digest"] == first
    table = run(lab.config, "db", "status")
    assert "refused" in table.stdout and "2 different policies" in table.stderr, table


ATTACH = """
import asyncio, sys
from pathlib import Path
from sshgate.approvals.control import connect

async def main():
    reader, writer, _ = await connect(Path(sys.argv[1]))
    writer.write(b'{"op": "subscribe"}\\n')
    await writer.drain()
    await reader.readline()
    print("attached", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


def test_no_reviewer_deny_counts_reviewers_on_every_replica(fleet, database_url, tmp_path):
    lab, b = fleet
    b_id = replica_id(b.config)
    deploy(lab, b, approval={"timeout": "5m", "no_reviewer": "deny"})
    assert run(b.config, "policy", "reload").returncode == 0
    precious = marker(tmp_path)
    refused = lab.ssh(f"rm -rf {precious}")
    assert refused.returncode == 77, refused.stderr
    assert b"no reviewer is connected to any gateway replica" in refused.stderr
    assert precious.exists()

    # a reviewer's prompt attached to B: a command held on A waits for them
    reviewer = subprocess.Popen([sys.executable, "-c", ATTACH,
                                 str(load_config(b.config).control_socket)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reviewer.stdout.readline() == "attached\n"
        poll(lambda: query(database_url, "SELECT 1 FROM replicas WHERE id = $1 AND "
                                         "reviewers ? $2", b_id, current_login()))
        agent = subprocess.Popen(lab.ssh_argv(f"rm -rf {precious} && echo removed"),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        [row] = poll(lambda: query(database_url, "SELECT id FROM requests WHERE "
                                                 "state = 'pending'"))
        r = run(b.config, "approve", row["id"], "--reason", "seen on B")
        assert r.returncode == 0, r.stderr
        out, err = agent.communicate(timeout=20)
        assert agent.returncode == 0 and out == b"removed\n", err
    finally:
        reviewer.stdin.close()
        reviewer.wait(10)
    # gone: denied at once again
    poll(lambda: query(database_url, "SELECT 1 FROM replicas WHERE id = $1 AND "
                                     "reviewers = '[]'", b_id))
    (tmp_path / "again").mkdir()
    again = marker(tmp_path / "again")
    refused = lab.ssh(f"rm -rf {again}")
    assert refused.returncode == 77 and b"no reviewer is connected" in refused.stderr
    assert again.exists()


def test_what_a_line_unpacked_through_a_holds_a_build_through_b(fleet, work):
    """The guard's write memory is the fleet's: a tree one replica let the agent unpack is
    the agent's own code to a build run through another replica."""
    lab, b = fleet
    deploy(lab, b, approval={"timeout": "5m", "no_reviewer": "deny"})
    assert run(b.config, "policy", "reload").returncode == 0
    d, rel = work
    r = through_b(lab, b, f"cd {rel}/own && make")  # the operator's own tree builds
    assert r.returncode == 0 and (d / "own-ran").exists(), r.stderr
    r = lab.ssh(f"tar -xzf {rel}/e.tgz -C {rel}/sub")  # through A
    assert r.returncode == 0 and (d / "sub" / "Makefile").exists(), r.stderr
    r = through_b(lab, b, f"cd {rel}/sub && make")
    assert r.returncode == 77, r
    assert b"exec.download-then-run" in r.stderr and b"an earlier line" in r.stderr
    assert not (d / "pwned").exists()


#: flood clients at once against one replica, and its handshake bound (max_startups)
FLOOD, STARTUPS = 40, 4


def test_a_flood_of_handshakes_leaves_running_sessions_and_the_replica_up(
        make_lab, database_url, tmp_path):
    """Many clients connecting at once to replica A (key exchange and authentication are CPU
    work on its event loop): a session already running on A goes on, A is neither called
    lost by B nor fenced, and each flood client either runs its command or is refused with
    the reason (gateway/admission.py, state/lease.py)."""
    asyncio.run(run_migrate(database_url))
    lab = make_lab(settings={"database": database_url, "heartbeat_interval": 0.25,
                             "heartbeat_timeout": 3.0, "max_startups": STARTUPS,
                             "max_connections_per_source": 10 * FLOOD})
    b = lab.add_replica(tmp_path / "replica-b")
    running = subprocess.Popen(lab.ssh_argv("echo up; cat"), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert running.stdout.readline() == b"up\n"
    flood = [subprocess.Popen(lab.ssh_argv("true"), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(FLOOD)]
    results = [(p.wait(90), p.stderr.read()) for p in flood]
    refused = [err for rc, err in results if rc != 0]
    for err in refused:  # a clean refusal names why; nothing else fails
        assert b"Received disconnect" in err and b"sshgate: the gateway is busy" in err, err
    assert len(refused) < FLOOD
    running.stdin.write(b"still here\n")
    running.stdin.flush()
    assert running.stdout.readline() == b"still here\n"
    running.stdin.close()
    assert running.wait(20) == 0, running.stderr.read()
    a_events = [e["event"] for e in records(lab.audit_path)]
    b_events = [e["event"] for e in records(b.config.parent / "state" / "audit.jsonl")]
    assert "replica.fenced" not in a_events and "replica.lost" not in b_events
    assert a_events.count("session.start") == FLOOD + 1 - len(refused)
    assert "the fleet database is unreachable" not in lab.gateway.log()
