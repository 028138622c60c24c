"""The recordings commands with ``database:``: they read the recording index (real
PostgreSQL), not a listing of the bucket (real SeaweedFS); verify --all checks both ways."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time

import asyncpg
import pytest
import yaml
from click.testing import CliRunner

from sshgate.cli.main import cli
from sshgate.config import load_config
from sshgate.recording.store import S3Store
from sshgate.state.postgres import run_migrate

from ..recording.test_store import KEY, record


def sql(url: str, statements: list[tuple]) -> None:
    async def go():
        c = await asyncpg.connect(url)
        try:
            for q, *args in statements:
                await c.execute(q, *args)
        finally:
            await c.close()

    asyncio.run(go())


def index_row(rid, replica, location, sha256=None, size=None, identity="bot", started=None):
    return ("INSERT INTO recordings (id, replica, identity, target, login, started, location, "
            "sha256, size, sealed) VALUES ($1, $2, $3, 'web', 'deploy', $4, $5, $6, $7, $8)",
            rid, replica, identity, started or "2026-11-30T10:00:00+00:00", location, sha256,
            size, time.time() if sha256 else None)


@pytest.fixture
def fleet_cfg(tmp_path, database_url, s3_server, s3_prefix):
    asyncio.run(run_migrate(database_url))
    path = tmp_path / "sshgate.yaml"
    path.write_text(yaml.safe_dump({
        "recordings": s3_prefix, "s3_endpoint": s3_server.endpoint, "s3_region": "us-east-1",
        "s3_access_key_id": s3_server.access_key,
        "s3_secret_access_key": s3_server.secret_key, "database": database_url}))
    (tmp_path / "keys").mkdir()
    for name in ("recording.pub", "audit.pub"):  # the public keys: nothing else of a gateway
        (tmp_path / "keys" / name).write_bytes(KEY.export_public_key())
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def seal_sha(path) -> str:
    return json.loads(path.with_name(path.name + ".seal").read_text())["sha256"]


def test_list_show_verify_read_the_index(tmp_path, fleet_cfg, database_url, s3_prefix):
    store = S3Store(load_config(fleet_cfg).recordings_s3)
    (tmp_path / "made").mkdir()
    a1 = record(tmp_path / "made", "a1a1")
    store.put(a1)
    stray = record(tmp_path / "made", "c3c3")
    store.put(stray)  # in the bucket, but no gateway of the fleet indexed it
    sql(database_url, [
        ("INSERT INTO replicas (id, host, listen, pid, incarnation, started, state) VALUES "
         "('gw-a', 'h', 'l', 1, 'i', 0, 'up'), ('gw-b', 'h', 'l', 2, 'i', 0, 'lost')",),
        ("INSERT INTO sessions (id, replica, identity, target, login, client, started, mode, "
         "state) VALUES ('b2b2', 'gw-b', 'bot', 'web', 'deploy', 'c', 0, 'exec', 'lost'), "
         "('d4d4', 'gw-a', 'ops', 'web', 'deploy', 'c', 0, 'shell', 'running')",),
        index_row("a1a1", "gw-a", f"{s3_prefix}/a1a1.cast", seal_sha(a1), a1.stat().st_size),
        index_row("b2b2", "gw-b", "/srv/gw-b/spool/b2b2.cast",
                  started="2026-11-30T11:00:00+00:00"),
        index_row("d4d4", "gw-a", "/srv/gw-a/spool/d4d4.cast", identity="ops",
                  started="2026-11-30T12:00:00+00:00"),
        # the index says uploaded; the object is not in the bucket
        index_row("e5e5", "gw-a", f"{s3_prefix}/e5e5.cast", "00" * 32, 10,
                  started="2026-11-30T13:00:00+00:00"),
    ])
    r = run("recordings", "list", "--json", "--config", fleet_cfg)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert [(x["id"], x["replica"], x["state"]) for x in rows] == [
        ("a1a1", "gw-a", "uploaded"), ("b2b2", "gw-b", "lost"), ("d4d4", "gw-a", "live"),
        ("e5e5", "gw-a", "uploaded")]
    assert rows[0]["sha256"] == seal_sha(a1) and rows[0]["identity"] == "bot"
    ops = json.loads(run("recordings", "list", "--json", "--identity", "ops",
                         "--config", fleet_cfg).output)
    assert [x["id"] for x in ops] == ["d4d4"]
    recent = json.loads(run("recordings", "list", "--json", "--since", "2026-11-30T11:30:00",
                            "--config", fleet_cfg).output)
    assert [x["id"] for x in recent] == ["d4d4", "e5e5"]
    table = run("recordings", "list", "--config", fleet_cfg)
    assert table.exit_code == 0 and "lost" in table.output and "gw-b" in table.output

    show = run("recordings", "show", "a1", "--json", "--config", fleet_cfg)
    assert show.exit_code == 0, show.output
    got = json.loads(show.output)
    assert (got["id"], got["replica"], got["state"]) == ("a1a1", "gw-a", "uploaded")
    assert got["timeline"][0]["label"] == "echo hello"
    live = run("recordings", "show", "d4", "--config", fleet_cfg)
    assert live.exit_code == 1 and "live on replica gw-a" in live.output
    # the stray object is not in the index: not found by id, reported by verify
    assert run("recordings", "show", "c3", "--config", fleet_cfg).exit_code == 1

    v = run("recordings", "verify", "--all", "--json", "--config", fleet_cfg)
    assert v.exit_code == 1, v.output
    report = {x["id"]: x for x in json.loads(v.output)["recordings"]}
    assert {k: x["status"] for k, x in report.items()} == {
        "a1a1": "ok", "b2b2": "lost", "d4d4": "live", "e5e5": "missing", "c3c3": "unindexed"}
    assert report["d4d4"]["ok"] and not report["e5e5"]["ok"]
    assert "not in the recording index" in report["c3c3"]["problems"][0]
    one = run("recordings", "verify", "a1a1", "--config", fleet_cfg)
    assert one.exit_code == 0, one.output


def test_a_seal_swapped_in_the_bucket_disagrees_with_the_index(tmp_path, fleet_cfg,
                                                                database_url, s3_prefix):
    store = S3Store(load_config(fleet_cfg).recordings_s3)
    (tmp_path / "made").mkdir()
    a = record(tmp_path / "made", "f6f6")
    store.put(a)
    # a row whose digest is another one's: the seal in the bucket no longer matches it
    sql(database_url, [index_row("f6f6", "gw-a", f"{s3_prefix}/f6f6.cast", "ab" * 32, 1)])
    v = run("recordings", "verify", "f6", "--json", "--config", fleet_cfg)
    assert v.exit_code == 1
    [x] = json.loads(v.output)["recordings"]
    assert x["status"] == "tampered" and "recording index" in x["problems"][0]


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    from sshgate.lab import free_port

    path = tmp_path / "sshgate.yaml"
    path.write_text(yaml.safe_dump({"database": f"postgresql://x:pw@127.0.0.1:{free_port()}/d"}))
    for args in (["recordings", "list"], ["recordings", "show", "ab"], ["replay", "ab"]):
        r = run(*args, "--config", str(path))
        assert r.exit_code == 2, r.output
        assert "cannot reach the database" in r.output and "pw" not in r.output


def test_reindex_backfills_genuine_recordings_only(tmp_path, fleet_cfg, database_url):
    """Recordings from before `database:` was set: `reindex` verifies each before indexing
    it. One signed by another key (a forged object in the bucket), one edited after its seal,
    one never sealed and a genuine one copied under another id are reported and left out; a
    second run adds nothing."""
    import asyncssh

    from sshgate.recording import writer

    store = S3Store(load_config(fleet_cfg).recordings_s3)
    made = tmp_path / "made"
    made.mkdir()
    old = record(made, "a0a0")
    store.put(old)
    edited = record(made, "b0b0")
    edited.write_bytes(edited.read_bytes().replace(b"hello", b"HELLO"))
    store.put(edited)
    store.put(record(made, "c0c0", seal=False))
    forged = record(made, "d0d0")
    for p in writer.seal_paths(forged):
        p.unlink()
    writer.seal(forged, asyncssh.generate_private_key("ssh-ed25519"), "session closed",
                size=forged.stat().st_size, events=3,
                sha256=hashlib.sha256(forged.read_bytes()).digest())
    store.put(forged)
    copy = made / "e1e1.cast"  # the genuine one with its seal, under another id
    copy.write_bytes(old.read_bytes())
    for src, dst in zip(writer.seal_paths(old), writer.seal_paths(copy), strict=True):
        dst.write_bytes(src.read_bytes())
    store.put(copy)
    before = run("recordings", "verify", "--all", "--json", "--config", fleet_cfg)
    assert {x["id"]: x["status"] for x in json.loads(before.output)["recordings"]}["a0a0"] \
        == "unindexed"

    r = run("recordings", "reindex", "--json", "--config", fleet_cfg)
    assert r.exit_code == 1, r.output
    got = json.loads(r.output)
    assert got["indexed"] == ["a0a0"] and not got["ok"]
    assert {x["id"]: x["status"] for x in got["refused"]} == {
        "b0b0": "tampered", "c0c0": "unsealed", "d0d0": "tampered", "e1e1": "tampered"}
    assert any("signature" in p for p in
               next(x for x in got["refused"] if x["id"] == "d0d0")["problems"])
    [row] = json.loads(run("recordings", "list", "--json", "--config", fleet_cfg).output)
    assert (row["id"], row["state"], row["identity"], row["sha256"]) == (
        "a0a0", "uploaded", "bot", seal_sha(old))
    after = run("recordings", "verify", "a0", "--config", fleet_cfg)
    assert after.exit_code == 0, after.output

    again = run("recordings", "reindex", "--config", fleet_cfg)  # the table, and idempotent
    assert again.exit_code == 1 and "0 of 4 indexed" in again.output, again.output
    twice = json.loads(run("recordings", "reindex", "--json", "--config", fleet_cfg).output)
    assert twice["indexed"] == [] and "a0a0" not in [x["id"] for x in twice["recordings"]]
    assert len(json.loads(run("recordings", "list", "--json", "--config",
                              fleet_cfg).output)) == 1


def test_reindex_on_local_disk_and_without_a_database(tmp_path, database_url):
    asyncio.run(run_migrate(database_url))
    (tmp_path / "recordings").mkdir()
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "recording.pub").write_bytes(KEY.export_public_key())
    cfg = tmp_path / "sshgate.yaml"
    cfg.write_text(yaml.safe_dump({"recordings": str(tmp_path / "recordings")}))
    record(tmp_path / "recordings", "e0e0")
    no_db = run("recordings", "reindex", "--config", str(cfg))
    assert no_db.exit_code == 2 and "database" in no_db.output
    # the audit log of this machine vouches for the digest too (as verify asks on disk)
    from sshgate.audit import AuditLog

    path = tmp_path / "recordings" / "e0e0.cast"
    log = load_config(str(cfg)).audit_log
    AuditLog(log).write("recording.sealed", recording="e0e0", sha256=seal_sha(path))
    cfg.write_text(yaml.safe_dump({"recordings": str(tmp_path / "recordings"),
                                   "database": database_url}))
    r = run("recordings", "reindex", "--json", "--config", str(cfg))
    assert r.exit_code == 0 and json.loads(r.output)["indexed"] == ["e0e0"], r.output
    [row] = json.loads(run("recordings", "list", "--json", "--config", str(cfg)).output)
    assert row["state"] == "sealed" and row["location"] == str(path)
    assert row["replica"] == (tmp_path / "state" / "replica-id").read_text().strip()
    again = run("recordings", "reindex", "--config", str(cfg))
    assert again.exit_code == 0 and "nothing to index" in again.output
