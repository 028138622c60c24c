"""SFTP through the gateway with OpenSSH's own sftp and scp: gated file by file, recorded."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest

from sshgate.lab import Lab
from sshgate.recording import reader

from .conftest import audit, cli
from .test_recording_gateway import recordings

NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


def client_opts(lab: Lab) -> list[str]:
    return ["-F", "/dev/null", "-P", str(lab.gateway.port), "-i", str(lab.agent_key),
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR"]


def sftp_batch(lab: Lab, batch: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    f = tmp / f"batch-{secrets.token_hex(3)}"
    f.write_text(batch)
    return subprocess.run(["sftp", *client_opts(lab), "-b", str(f), f"{lab.login}@lab@127.0.0.1"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def scp(lab: Lab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["scp", *client_opts(lab), *args], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def decisions(lab: Lab) -> dict[str, str]:
    return {e["command"]: e["decision"] for e in audit(lab) if e["event"] == "command.decision"}


@pytest.fixture
def area(tmp_path) -> Path:
    d = tmp_path / "area"
    d.mkdir()
    return d


def test_upload_download_and_rm_within_allowed_paths(make_lab, tmp_path, area):
    lab = make_lab(grant={"sftp": True}, approval=NO_REVIEWER,
                   rules=[{"rule": "transfer.remove", "action": "allow",
                           "paths": [f"{area}/**"]}])
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(300_000))
    r = sftp_batch(lab, f"put {src} {area}/up.bin\nget {area}/up.bin {tmp_path}/back.bin\n"
                        f"mkdir {area}/d\nrmdir {area}/d\nrm {area}/up.bin\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "back.bin").read_bytes() == src.read_bytes()
    assert not (area / "up.bin").exists()
    seen = decisions(lab)
    assert seen[f"sftp write {area}/up.bin"] == "allow"
    assert seen[f"sftp read {area}/up.bin"] == "allow"
    assert seen[f"sftp remove {area}/up.bin"] == "allow"
    moved = [(e["mode"], e["bytes_read"], e["bytes_written"]) for e in audit(lab)
             if e["event"] == "sftp.transfer" and e["path"] == f"{area}/up.bin"]
    assert ("write", 0, 300_000) in moved and ("read", 300_000, 0) in moved
    # the recording has each operation as a marker, and verifies (once sealed: the gateway
    # seals it after the client has gone)
    recordings(lab, 1)
    assert cli(lab, "recordings", "verify", "--all").returncode == 0
    labels = [c["label"] for c in reader.parse(next(lab.recordings.glob("*.cast"))).commands()]
    assert any(lb.startswith(f"sftp write {area}/up.bin") for lb in labels)
    assert any(lb.startswith(f"sftp close {area}/up.bin") for lb in labels)


def test_authorized_keys_refused_and_system_path_held(make_lab, tmp_path, area):
    lab = make_lab(grant={"sftp": True}, approval=NO_REVIEWER)
    key = tmp_path / "k.pub"
    key.write_text("ssh-ed25519 AAAA attacker\n")
    (area / ".ssh").mkdir()
    target = area / ".ssh" / "authorized_keys"
    r = sftp_batch(lab, f"put {key} {target}\n", tmp_path)
    assert r.returncode != 0
    assert not target.exists()
    assert "cred.auth-files" in r.stderr  # the reason reaches the agent
    name = f"/etc/sshgate-test-{secrets.token_hex(4)}"
    try:
        r = sftp_batch(lab, f"put {key} {name}\n", tmp_path)
        assert r.returncode != 0 and not Path(name).exists()
        assert "no reviewer is connected" in r.stderr
    finally:
        Path(name).unlink(missing_ok=True)
    seen = decisions(lab)
    assert seen[f"sftp write {target}"] == "deny"
    assert seen[f"sftp write {name}"] == "approve"
    # a removal outside any allowed path waits for a human (here: none, so refused)
    (area / "keep").write_text("keep")
    r = sftp_batch(lab, f"rm {area}/keep\n", tmp_path)
    assert r.returncode != 0 and (area / "keep").read_text() == "keep"


def test_read_only_is_the_default(lab, tmp_path, area):
    (area / "f").write_text("data")
    r = sftp_batch(lab, f"get {area}/f {tmp_path}/f\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "f").read_text() == "data"
    r = sftp_batch(lab, f"put {tmp_path}/f {area}/g\n", tmp_path)
    assert r.returncode != 0 and not (area / "g").exists()
    assert "sftp.read-only" in r.stderr
    r = sftp_batch(lab, f"rm {area}/f\n", tmp_path)
    assert r.returncode != 0 and (area / "f").exists()


def test_sftp_false_refused_with_a_reason(make_lab, tmp_path):
    lab = make_lab(grant={"sftp": False})
    r = sftp_batch(lab, "ls /\n", tmp_path)
    assert r.returncode != 0
    assert "SFTP) is not allowed for this grant" in r.stderr
    refused = [e for e in audit(lab) if e["event"] == "channel.refused"]
    assert refused and refused[0]["subsystem"] == "sftp"


def test_scp_default_protocol_and_legacy(make_lab, tmp_path, area):
    lab = make_lab(grant={"sftp": True})
    src = tmp_path / "s.txt"
    src.write_text("hello scp\n")
    r = scp(lab, str(src), f"{lab.login}@lab@127.0.0.1:{area}/s.txt")
    assert r.returncode == 0, r.stderr
    assert (area / "s.txt").read_text() == "hello scp\n"
    r = scp(lab, f"{lab.login}@lab@127.0.0.1:{area}/s.txt", str(tmp_path / "back.txt"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "back.txt").read_text() == "hello scp\n"
    assert decisions(lab)[f"sftp write {area}/s.txt"] == "allow"


def test_sftp_server_as_a_command_is_refused(lab, tmp_path, area):
    (area / "x").write_text("x")
    f = tmp_path / "b"
    f.write_text(f"rm {area}/x\n")
    r = subprocess.run(["sftp", *client_opts(lab), "-s", "/usr/lib/openssh/sftp-server", "-b",
                        str(f), f"{lab.login}@lab@127.0.0.1"], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode != 0
    assert (area / "x").exists()
    assert decisions(lab)["/usr/lib/openssh/sftp-server"] == "deny"
