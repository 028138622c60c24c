"""The command guard on the exec path, against real sshd: refused means nothing ran."""

from __future__ import annotations

from .conftest import audit, marker, sessions_started_by_sshd


def test_denied_command_never_reaches_the_target(lab, tmp_path):
    precious = marker(tmp_path)
    r = lab.ssh(f"mkfs.ext4 /dev/null; rm -rf {precious}")
    assert r.returncode == 77
    assert r.stderr.startswith(b"sshgate: denied: disk.mkfs: ")
    assert (precious / "data").read_text() == "keep me"
    assert sessions_started_by_sshd(lab) == 0
    d = next(e for e in audit(lab) if e["event"] == "command.decision")
    assert d["decision"] == "deny" and d["findings"][0]["rule"] == "disk.mkfs"
    assert 0 < d["classify_ms"] < 1000  # the guard's own time is in the audit log


def test_policy_override_lets_a_scoped_command_run(make_lab, tmp_path):
    lab = make_lab(rules=[{"rule": "fs.rm-recursive", "action": "allow",
                           "paths": [f"{tmp_path}/**"]}])
    precious = marker(tmp_path)
    r = lab.ssh(f"rm -rf {precious} && echo gone")
    assert r.returncode == 0 and r.stdout == b"gone\n"
    assert not precious.exists()


def test_allowed_command_runs(lab):
    r = lab.ssh("ls / | head -1; git --version >/dev/null 2>&1; echo ok")
    assert r.returncode == 0 and r.stdout.endswith(b"ok\n")
