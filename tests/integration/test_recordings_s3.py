"""Recordings in S3-compatible storage (a real SeaweedFS), through a real gateway, sshd and
ssh: uploaded sealed, spool emptied, an outage survived, a restart resumed, and read back
from a machine that only has the config."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from sshgate.lab_s3 import SeaweedS3

from .conftest import audit, run_cli
from .conftest import cli as lab_cli


def s3_settings(server: SeaweedS3, url: str) -> dict:
    return {"recordings": url, "s3_endpoint": server.endpoint, "s3_region": "us-east-1",
            "s3_access_key_id": server.access_key, "s3_secret_access_key": server.secret_key}


def spool(lab) -> Path:
    return lab.config.parent / "state" / "spool"


def events(lab, name: str) -> list[dict]:
    return [e for e in audit(lab) if e.get("event") == name]


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def cli(lab, *args: str) -> subprocess.CompletedProcess[str]:
    return lab_cli(lab, *args, timeout=60)


def verified_all(lab) -> dict:
    r = cli(lab, "recordings", "verify", "--all", "--json")
    assert r.stdout, (r.returncode, r.stderr)
    report = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    assert report["ok"] and all(x["status"] == "ok" for x in report["recordings"])
    return report


@pytest.fixture
def own_s3(tmp_path):
    """A SeaweedFS of this test's own: the test stops and restarts it."""
    server = SeaweedS3(tmp_path / "s3")
    server.start()
    server.create_bucket("outage")
    yield server
    server.stop()


def test_session_recording_ends_up_in_the_bucket_sealed(make_lab, s3_server, s3_prefix):
    lab = make_lab(settings=s3_settings(s3_server, s3_prefix))
    r = lab.ssh("echo in-the-bucket")
    assert r.returncode == 0 and r.stdout == b"in-the-bucket\n"
    wait_for(lambda: events(lab, "recording.uploaded"), what="the upload")
    [up] = events(lab, "recording.uploaded")
    [sealed] = events(lab, "recording.sealed")
    assert up["recording"] == sealed["recording"] and up["sha256"] == sealed["sha256"]
    assert list(spool(lab).iterdir()) == []
    assert not lab.recordings.exists() or list(lab.recordings.iterdir()) == []
    rows = json.loads(cli(lab, "recordings", "list", "--json").stdout)
    assert [(x["id"], x["sealed"], x["path"]) for x in rows] == [
        (up["recording"], True, f"{s3_prefix}/{up['recording']}.cast")]
    report = verified_all(lab)
    assert [x["id"] for x in report["recordings"]] == [up["recording"]]


def test_bucket_down_mid_session_the_session_goes_on_and_nothing_is_lost(make_lab, own_s3):
    lab = make_lab(settings=s3_settings(own_s3, "s3://outage/gw"))
    p = subprocess.Popen(lab.ssh_argv("echo started; sleep 1; echo finished"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"started\n"
    own_s3.stop()  # the storage goes away in the middle of the session
    out, err = p.communicate(timeout=60)
    assert (p.returncode, out) == (0, b"finished\n"), err
    during = lab.ssh("echo during-the-outage")  # new sessions still start and are recorded
    assert during.returncode == 0 and during.stdout == b"during-the-outage\n"
    wait_for(lambda: events(lab, "recording.upload-failed"), what="the failed upload")
    wait_for(lambda: len(events(lab, "recording.sealed")) == 2, what="both seals")
    assert len(list(spool(lab).glob("*.cast"))) == 2
    assert "unreachable" in lab.gateway.log()
    own_s3.start()
    wait_for(lambda: len(events(lab, "recording.uploaded")) == 2, timeout=90,
             what="uploads after the storage returned")
    assert list(spool(lab).iterdir()) == []
    assert len(events(lab, "recording.upload-failed")) == 1
    assert events(lab, "recording.storage-restored")
    report = verified_all(lab)
    sealed = {e["recording"] for e in events(lab, "recording.sealed")}
    assert {x["id"] for x in report["recordings"]} == sealed  # nothing missing


def test_a_gateway_restart_uploads_what_was_left_in_the_spool(make_lab, own_s3, tmp_path):
    lab = make_lab(settings=s3_settings(own_s3, "s3://outage/restart"))
    own_s3.stop()
    r = lab.ssh("echo left-behind")
    assert r.returncode == 0
    wait_for(lambda: events(lab, "recording.upload-failed"), what="the failed upload")
    assert lab.gateway.stop() == 0
    [left] = [p.name.removesuffix(".cast") for p in spool(lab).glob("*.cast")]
    assert (spool(lab) / f"{left}.cast.seal").exists()
    own_s3.start()
    lab.gateway.start()
    wait_for(lambda: any(e["recording"] == left for e in events(lab, "recording.uploaded")),
             what="the upload after the restart")
    assert list(spool(lab).iterdir()) == []
    [resumed] = events(lab, "recording.spool-resumed")
    assert resumed["recordings"] == [left]
    verified_all(lab)

    # another machine with only the config (and the recording key's public half, to
    # verify): no recordings directory, no spool, no audit log
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "keys").mkdir(parents=True)
    shutil.copy(lab.config.parent / "keys" / "recording.pub", elsewhere / "keys")
    config = elsewhere / "sshgate.yaml"
    config.write_text(yaml.safe_dump(s3_settings(own_s3, "s3://outage/restart")))

    def there(*args: str) -> subprocess.CompletedProcess[bytes]:
        return run_cli(config, *args, timeout=60, cwd=elsewhere, text=False)

    replay = there("replay", left[:8], "--speed", "0")
    assert replay.returncode == 0, replay.stderr
    assert b"left-behind" in replay.stdout
    show = json.loads(there("recordings", "show", left, "--json").stdout)
    assert show["identity"] == "lab-agent" and show["sealed"]
    v = there("recordings", "verify", "--all", "--json")
    assert v.returncode == 0, v.stdout
    [checked] = json.loads(v.stdout)["recordings"]
    assert checked["id"] == left and checked["status"] == "ok"
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["keys", "recording.pub",
                                                           "sshgate.yaml"]


def test_a_full_spool_refuses_new_sessions(make_lab, tmp_path):
    from sshgate.lab import free_port

    # storage that never answers, and a spool bound smaller than one recording
    settings = {"recordings": "s3://nowhere/gw", "s3_endpoint": f"http://127.0.0.1:{free_port()}",
                "s3_region": "us-east-1", "s3_access_key_id": "k", "s3_secret_access_key": "s",
                "spool_max": 1}
    lab = make_lab(settings=settings)
    first = lab.ssh("echo recorded")
    assert first.returncode == 0 and first.stdout == b"recorded\n"
    wait_for(lambda: events(lab, "recording.sealed"), what="the seal")
    assert "unreachable" in lab.gateway.log()  # said at start already
    second = lab.ssh("echo must-not-run")
    assert second.returncode == 77 and second.stdout == b""
    assert b"spool is full" in second.stderr and b"may not start" in second.stderr
    [full] = events(lab, "recording.spool-full")
    assert full["spool_max"] == 1 and full["waiting"] == 1
    assert any("spool is full" in e.get("reason", "") for e in events(lab, "session.refused"))
    assert len(events(lab, "session.start")) == 1
