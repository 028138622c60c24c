"""Issue 17's reproductions against a running gateway, real sshd and the real ssh client:
what the reviewer and the operator see is what the agent sent, shown harmlessly."""

from __future__ import annotations

import json
import time
import uuid

from sshgate.recording import reader

from .conftest import cli
from .test_approvals import hold, wait_pending

ESC = "\x1b"


def sealed_recordings(lab, n: int, timeout: float = 15) -> list:
    deadline = time.monotonic() + timeout
    while True:
        paths = [p for p in reader.list_recordings(lab.recordings)
                 if p.with_name(p.name + ".seal").exists()]
        if len(paths) >= n or time.monotonic() > deadline:
            return paths
        time.sleep(0.05)


def test_spoofed_request_shows_the_real_command(lab, monkeypatch):
    monkeypatch.setenv("COLUMNS", "2000")  # rich in the CLI process: one line per row
    junk = f"{ESC}[2K{ESC}[1G{ESC}[1A" * 4 + f"{ESC}[2K{ESC}[1G│ command   systemctl status nginx"
    p = hold(lab, f"rm -rf /tmp/sshgate-{uuid.uuid4().hex} #{junk} [conceal]hidden[/]")
    try:
        [req] = wait_pending(lab)
        assert req["command"].startswith("rm -rf /tmp/sshgate-") and ESC in req["command"]
        r = cli(lab, "approvals", "list")
        assert r.returncode == 0, r.stderr
        assert ESC not in r.stdout
        assert "rm -rf /tmp/sshgate-" in r.stdout and "#\\x1b[2K\\x1b[1G\\x1b[1A" in r.stdout
        assert "[conceal]hidden[/]" in r.stdout
    finally:
        p.kill()
        p.wait()


def test_osc52_split_across_two_events_never_reaches_plain_replay(lab):
    r = lab.ssh("printf 'a\\033'; sleep .4; printf ']52;c;ZXZpbA==\\007b\\n'")
    assert r.returncode == 0, r.stderr
    [path] = sealed_recordings(lab, 1)
    outputs = [e.raw for e in reader.parse(path).events if e.code == "o"]
    assert outputs[0].endswith(b"a\x1b") and len(outputs) >= 2  # the split really happened
    rid = path.name[:8]
    replay = cli(lab, "replay", rid, "--speed", "0")
    assert replay.returncode == 0 and replay.stdout == "ab\n"
    raw = cli(lab, "replay", rid, "--speed", "0", "--raw")
    assert "\x1b]52;c;ZXZpbA==\x07" in raw.stdout


def test_a_tab_in_a_command_keeps_its_timeline_and_search(lab):
    r = lab.ssh("id -un\t; uname -s")
    assert r.returncode == 0, r.stderr
    [path] = sealed_recordings(lab, 1)
    found = json.loads(cli(lab, "recordings", "list", "--json", "--command", "uname").stdout)
    assert [s["id"] for s in found] == [path.name.removesuffix(".cast")]
    show = json.loads(cli(lab, "recordings", "show", path.name[:8], "--json").stdout)
    assert [c["label"] for c in show["timeline"]] == ["id -un\t; uname -s"]
