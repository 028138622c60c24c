"""A policy reload reaches the next command of sessions already open (multiplexed masters)."""

from __future__ import annotations

import json
import signal
import subprocess
import time

from sshgate.lab import control_master

from .conftest import audit, sessions_started_by_sshd


def reload(lab, **policy) -> None:
    before = sum(e["event"] == "policy.reloaded" for e in audit(lab))
    lab.write_policy(**policy)
    lab.gateway.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while sum(e["event"] == "policy.reloaded" for e in audit(lab)) == before:
        assert time.monotonic() < deadline, "the policy was not reloaded"
        time.sleep(0.05)


def run(lab, mux: list[str], command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(lab.ssh_argv(command, extra=mux), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=30)


def test_new_rule_applies_to_the_next_command_on_an_open_master(lab, tmp_path):
    with control_master(lambda c, o: lab.ssh_argv(c, extra=o), tmp_path / "cm") as mux:
        r = run(lab, mux, "uname -s")
        assert r.returncode == 0, r.stderr
        reload(lab, rules=[{"rule": "site.no-uname", "action": "deny", "commands": ["uname"],
                            "why": "not today"}])
        started = sessions_started_by_sshd(lab)
        r = run(lab, mux, "uname -s")
        assert r.returncode == 77 and b"site.no-uname: not today" in r.stderr
        assert sessions_started_by_sshd(lab) == started
        assert run(lab, mux, "echo still").stdout == b"still\n"


def test_grant_removed_ends_the_open_session(lab, tmp_path):
    with control_master(lambda c, o: lab.ssh_argv(c, extra=o), tmp_path / "cm") as mux:
        assert run(lab, mux, "true").returncode == 0
        p = subprocess.Popen(lab.ssh_argv("sleep 30", extra=mux), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1)
        reload(lab, grant={"targets": ["down"]})  # "lab" is no longer granted
        out, err = p.communicate(timeout=20)
        assert p.returncode == 77, err
        assert b"the reloaded policy no longer allows this session" in err
    revoked = [e for e in audit(lab) if e["event"] == "session.revoked"]
    assert revoked and "policy reload" in revoked[0]["reason"]


def test_policy_reload_command_without_a_database(lab):
    """`sshgate policy reload` on one gateway: applied, or refused with file:line and the
    previous policy kept; either way the digest it runs is printed."""
    from .conftest import cli

    lab.write_policy(rules=[{"rule": "site.no-uname", "action": "deny", "commands": ["uname"],
                             "why": "not today"}])
    r = cli(lab, "policy", "reload", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    [row] = json.loads(r.stdout)["replicas"]
    assert row["policy_error"] is None and len(row["policy_digest"]) == 64
    assert lab.ssh("uname -s").returncode == 77
    (lab.directory / "gw" / "policies" / "example.yaml").write_text("grants: [\n")
    r = cli(lab, "policy", "reload")
    assert r.returncode == 1 and "refused" in r.stdout + r.stderr, r.stdout
    assert lab.ssh("uname -s").returncode == 77  # the previous policy stays
    events = [e for e in audit(lab) if e["event"].startswith("policy.reload")]
    assert [e["event"] for e in events] == ["policy.reload-asked", "policy.reloaded",
                                            "policy.reload-asked", "policy.reload-refused"]
    assert events[1]["digest"] == row["policy_digest"] == events[3]["digest"]
