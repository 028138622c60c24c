"""`recordings list/show` and `replay` as an operator reads them: whole ids, failures with
their reason, when a command was requested and decided, `q` ends a replay with 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from .conftest import audit, cli, run_cli

#: the tables as a 200-column terminal shows them (the gateways' fork server's environment)
WIDE = {**os.environ, "COLUMNS": "200"}


def wait_sealed(lab, n: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and sum(
            e["event"] == "recording.sealed" for e in audit(lab)) < n:
        time.sleep(0.05)


def test_upstream_failure_is_failed_with_its_reason(lab):
    r = lab.ssh("echo hi", user=f"{lab.login}@down")
    assert r.returncode == 255
    wait_sealed(lab, 1)
    (row,) = json.loads(cli(lab, "recordings", "list", "--json").stdout)
    assert row["decisions"] == {"failed": 1}
    shown = json.loads(cli(lab, "recordings", "show", row["id"], "--json").stdout)
    (entry,) = shown["timeline"]
    assert entry["decision"] == "allow"  # the policy allowed it; the target never ran it
    assert "target 'down'" in entry["failed"] and "unreachable" in entry["failed"]
    assert entry["exit"]["status"] == 255
    text = run_cli(lab.config, "recordings", "show", row["id"], env=WIDE).stdout
    assert "failed" in text and "target 'down'" in text and "unreachable" in text
    listing = run_cli(lab.config, "recordings", "list", env=WIDE).stdout
    assert "failed:1" in listing and "allow:1" not in listing


def test_timeline_shows_requested_decided_and_waited(lab):
    agent = subprocess.Popen(lab.ssh_argv("rm -rf /tmp/sshgate-nothing-here-x"),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    reqs: list = []
    while time.monotonic() < deadline and not reqs:
        reqs = json.loads(cli(lab, "approvals", "list", "--json").stdout or "[]")
        time.sleep(0.1)
    time.sleep(1.0)
    assert cli(lab, "approve", reqs[0]["id"]).returncode == 0
    agent.communicate(timeout=30)
    assert lab.ssh("echo quick").returncode == 0
    wait_sealed(lab, 2)
    rows = json.loads(cli(lab, "recordings", "list", "--json").stdout)
    held = json.loads(cli(lab, "recordings", "show", rows[0]["id"], "--json").stdout)
    (entry,) = held["timeline"]
    assert entry["decision"] == "approved" and entry["waited"] >= 1.0
    assert abs(entry["decided"] - entry["requested"] - entry["waited"]) < 0.01
    quick = json.loads(cli(lab, "recordings", "show", rows[1]["id"], "--json").stdout)
    assert quick["timeline"][0]["waited"] == 0 and \
        quick["timeline"][0]["requested"] == quick["timeline"][0]["decided"]
    text = run_cli(lab.config, "recordings", "show", rows[0]["id"], env=WIDE).stdout
    for col in ("requested", "decided", "waited"):
        assert col in text
    assert f"{entry['waited']:.2f}" in text


def test_list_never_truncates_ids_at_80_columns(lab):
    for _ in range(3):
        assert lab.ssh("true").returncode == 0
    wait_sealed(lab, 3)
    ids = [r["id"] for r in json.loads(cli(lab, "recordings", "list", "--json").stdout)]
    assert all(len(i) == 16 for i in ids)  # the full id in --json
    table = run_cli(lab.config, "recordings", "list",
                    env={**os.environ, "COLUMNS": "80"}).stdout
    for rid in ids:
        assert f"{rid[:8]}…" not in table
        shown = next(w for line in table.splitlines() for w in line.replace("│", " ").split()
                     if rid.startswith(w) and len(w) >= 8)
        r = cli(lab, "recordings", "show", shown, "--json")  # the prefix shown works as an id
        assert r.returncode == 0 and json.loads(r.stdout)["id"] == rid


def test_q_in_replay_exits_0(lab):
    from tests.integration.test_real_host import Terminal

    # played at 0.1: the gap before "two" lasts 30 s, time enough to quit in it; the ~0.2 s
    # from the session's start to "one" is not waited for 100 times over (0.01: ~25 s)
    assert lab.ssh("echo one; sleep 3; echo two").returncode == 0
    wait_sealed(lab, 1)
    (row,) = json.loads(cli(lab, "recordings", "list", "--json").stdout)
    term = Terminal([sys.executable, "-m", "sshgate", "replay", row["id"], "--speed", "0.1",
                     "--config", str(lab.config)], dict(os.environ))
    try:
        term.expect("one")
        term.type("q")
        assert term.proc.wait(30) == 0
        assert b"two" not in term.screen
    finally:
        term.close()
