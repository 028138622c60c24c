"""The whole topology together: two real `sshgate serve` replicas sharing ONE PostgreSQL and
ONE SeaweedFS bucket, a real sshd target, real ssh agents, and a third machine that only has
the config and the public keys (no state_dir, no spool, no recordings directory).

- sessions on both replicas; the bucket stopped mid-session (the sessions go on), restarted:
  every recording uploaded, `recordings verify --all` from the third machine passes with
  nothing missing, `replay` and `show` of A's session work there;
- A killed with SIGKILL mid-session: the index says `lost`; A restarted: the recording left
  in A's spool is sealed as *recovered* and uploaded, byte for byte, and verifies."""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from sshgate.lab import ssh_command
from sshgate.lab_s3 import SeaweedS3
from sshgate.recording import reader
from sshgate.state.postgres import read_index, run_migrate

from .conftest import run_cli

# a timeout well above the replicas' start-up: under load a replica that takes longer between
# registering and its first heartbeat is swept lost by the other before it serves
INTERVAL, TIMEOUT = 0.2, 5.0


@pytest.fixture
def bucket(tmp_path):
    """A SeaweedFS of this test's own: it stops and restarts it."""
    server = SeaweedS3(tmp_path / "s3")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def topology(make_lab, bucket, database_url, tmp_path):
    """Replica A (the lab's gateway), replica B (its copy, another port and state_dir) and
    the third machine's config."""
    bucket.create_bucket("fleet")
    asyncio.run(run_migrate(database_url))
    storage = {"recordings": f"s3://fleet/{secrets.token_hex(4)}",
               "s3_endpoint": bucket.endpoint, "s3_region": "us-east-1",
               "s3_access_key_id": bucket.access_key,
               "s3_secret_access_key": bucket.secret_key}
    lab = make_lab(settings={"database": database_url, "heartbeat_interval": INTERVAL,
                             "heartbeat_timeout": TIMEOUT, **storage})
    b = lab.add_replica(tmp_path / "replica-b")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "keys").mkdir(parents=True)
    for name in ("recording.pub", "audit.pub"):
        (elsewhere / "keys" / name).write_bytes((lab.config.parent / "keys" / name).read_bytes())
    (elsewhere / "sshgate.yaml").write_text(yaml.safe_dump({"database": database_url,
                                                            **storage}))
    yield lab, b, elsewhere
    assert sorted(p.name for p in elsewhere.rglob("*")) == [
        "audit.pub", "keys", "recording.pub", "sshgate.yaml"]  # nothing of A's came here


def there(elsewhere: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI on the third machine (a process, forked from the session's warm one)."""
    return run_cli(elsewhere / "sshgate.yaml", *args, timeout=60, cwd=elsewhere, text=False)


def poll(what, timeout: float = 30, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def states(url: str) -> dict[str, str]:
    return {r["id"]: r["state"] for r in read_index(url)}


def replica_id(config: Path) -> str:
    return (config.parent / "state" / "replica-id").read_text().strip()


def spool(config: Path) -> Path:
    return config.parent / "state" / "spool"


@pytest.mark.timeout(300)  # two gateways, sshd, PostgreSQL, SeaweedFS, restarts of both
def test_the_fleet_topology_end_to_end(topology, bucket, database_url):
    """One topology for both stories (starting it is most of the cost)."""
    lab, b, elsewhere = topology
    uploaded = bucket_outage_across_replicas(lab, b, elsewhere, bucket, database_url)
    replica_killed_mid_session(lab, elsewhere, database_url, before=uploaded)


def bucket_outage_across_replicas(lab, b, elsewhere, bucket, database_url) -> dict[str, str]:
    """Sessions on A and B; the bucket stopped mid-session and restarted: every recording
    uploaded, verified from the third machine with nothing missing, A's replayed there."""
    a_id, b_id = replica_id(lab.config), replica_id(b.config)
    sessions = {
        "a": subprocess.Popen(lab.ssh_argv("echo started-a; sleep 1; echo finished-a"),
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE),
        "b": subprocess.Popen(ssh_command(b.port, f"{lab.login}@lab", lab.agent_key,
                                          "echo started-b; sleep 1; echo finished-b"),
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)}
    for name, p in sessions.items():
        line = p.stdout.readline()
        assert line == f"started-{name}\n".encode(), (line, p.wait(10), p.stderr.read())
    bucket.stop()  # the storage goes away in the middle of both sessions
    live = poll(lambda: len(rows := read_index(database_url)) == 2 and rows)
    assert {r["replica"] for r in live} == {a_id, b_id}
    for name, p in sessions.items():
        out, err = p.communicate(timeout=30)
        assert (p.returncode, out) == (0, f"finished-{name}\n".encode()), err
    # sealed on each replica, waiting in its own spool for the bucket
    poll(lambda: set(states(database_url).values()) == {"sealed"})
    assert len(list(spool(lab.config).glob("*.cast"))) == 1
    assert len(list(spool(b.config).glob("*.cast"))) == 1

    bucket.start()
    poll(lambda: set(states(database_url).values()) == {"uploaded"}, timeout=90)
    assert list(spool(lab.config).iterdir()) == [] and list(spool(b.config).iterdir()) == []
    rows = {r["replica"]: r for r in read_index(database_url)}
    a_rec = rows[a_id]
    assert a_rec["sealed"] and a_rec["location"].startswith("s3://fleet/")

    # the third machine: verify checks index and bucket both ways, nothing missing
    v = there(elsewhere, "recordings", "verify", "--all", "--json")
    report = json.loads(v.stdout)
    assert v.returncode == 0, v.stdout
    assert sorted((x["id"], x["status"]) for x in report["recordings"]) == sorted(
        (r["id"], "ok") for r in rows.values())
    assert {c["replica"] for c in report["audit_chains"]} == {a_id, b_id}
    replay = there(elsewhere, "replay", a_rec["id"][:8], "--speed", "0")
    assert replay.returncode == 0, replay.stderr
    assert b"started-a" in replay.stdout and b"finished-a" in replay.stdout
    show = there(elsewhere, "recordings", "show", a_rec["id"][:8], "--json")
    assert show.returncode == 0, show.stderr
    got = json.loads(show.stdout)
    assert (got["replica"], got["state"], got["identity"]) == (a_id, "uploaded", "lab-agent")
    assert got["timeline"][0]["label"].startswith("echo started-a")
    return states(database_url)


def replica_killed_mid_session(lab, elsewhere, database_url, before: dict[str, str]) -> None:
    """A killed with SIGKILL mid-session: its recording is `lost` in the index; A restarted
    seals it as recovered (every byte it had written) and uploads it; it verifies."""
    a_id = replica_id(lab.config)
    p = subprocess.Popen(lab.ssh_argv("echo started; sleep 30"), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert p.stdout.readline() == b"started\n"
    [path] = poll(lambda: list(spool(lab.config).glob("*.cast")))
    poll(lambda: reader.parse(path).output() == b"started\n", timeout=5, every=0.01)
    [rid] = poll(lambda: [k for k, v in states(database_url).items() if v == "live"])
    lab.gateway.proc.send_signal(signal.SIGKILL)
    lab.gateway.proc.wait(10)
    p.wait(20)
    left = path.read_bytes()

    # B finds A lost within the heartbeat timeout: so does the index (what verify and show
    # say of a lost recording: tests/cli/test_recordings_index_cmd.py)
    poll(lambda: states(database_url) == {**before, rid: "lost"}, timeout=TIMEOUT + 10)
    assert next(r for r in read_index(database_url) if r["id"] == rid)["replica"] == a_id

    # A restarts: what it left is sealed as recovered, uploaded, and verifies
    lab.gateway.start()
    poll(lambda: states(database_url) == {**before, rid: "uploaded"}, timeout=60)
    assert list(spool(lab.config).iterdir()) == []
    row = next(r for r in read_index(database_url) if r["id"] == rid)
    assert row["sealed"] and row["size"] == len(left)
    v = there(elsewhere, "recordings", "verify", "--all", "--json")
    assert v.returncode == 0, v.stdout
    checked = {x["id"]: x["status"] for x in json.loads(v.stdout)["recordings"]}
    assert checked == {**dict.fromkeys(before, "ok"), rid: "recovered"}
    exported = there(elsewhere, "recordings", "export", rid[:8], "--format", "cast")
    assert exported.returncode == 0 and exported.stdout == left  # to the last byte
