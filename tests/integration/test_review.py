"""Reviewers over SSH and live oversight, through real sshd and the real ssh client: the review
console (commands and the prompt in tmux), sessions list/kill, watch, identity locks."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time

import pytest

from sshgate.lab import current_login, make_key

from .conftest import audit, cli, marker, popen_cli, sessions_started_by_sshd
from .terminal import Terminal
from .test_approvals import hold, wait_pending


@pytest.fixture
def reviewer_key(tmp_path):
    path = tmp_path / "alice-key"
    return path, make_key(path, "alice@laptop")


@pytest.fixture
def rlab(make_lab, reviewer_key):
    """A lab whose approvers are this OS user (local socket) and alice (SSH key)."""
    return make_lab(approvers=[current_login(), {"name": "alice", "keys": [reviewer_key[1]]}])


def console(lab, key, command: str | None, *, extra: list[str] | None = None,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``ssh alice@gateway COMMAND`` with the reviewer's key."""
    r = lab.ssh(command, user="alice", key=key[0], extra=extra, timeout=timeout)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(),
                                       r.stderr.decode())


def wait_session(lab, timeout: float = 30, **match) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = cli(lab, "sessions", "list", "--json")
        assert r.returncode == 0, r.stderr
        for s in json.loads(r.stdout):
            if all(s.get(k) == v for k, v in match.items()):
                return s
        time.sleep(0.1)
    raise AssertionError(f"no running session matching {match}")


def agent(lab, command: str) -> subprocess.Popen:
    return subprocess.Popen(lab.ssh_argv(command), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_held_command_approved_from_the_real_ssh_client(rlab, reviewer_key, tmp_path):
    precious = marker(tmp_path)
    p = hold(rlab, f"rm -rf {precious} && echo removed")
    wait_pending(rlab)
    listed = console(rlab, reviewer_key, "approvals list --json")
    assert listed.returncode == 0, listed.stderr
    [req] = json.loads(listed.stdout)
    assert precious.exists() and sessions_started_by_sshd(rlab) == 0
    r = console(rlab, reviewer_key, f"approve {req['id']} --reason 'cache is safe to drop'")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"approved {req['id']}"
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0 and out == b"removed\n" and not precious.exists()
    events = audit(rlab)
    decided = next(e for e in events if e["event"] == "approval.decided")
    assert decided["reviewer"] == "alice" and decided["reason"] == "cache is safe to drop"
    connected = [e for e in events if e["event"] == "reviewer.connected"]
    assert connected and connected[0]["reviewer"] == "alice"
    assert connected[0]["key_fingerprint"].startswith("SHA256:")
    assert connected[0]["client"].startswith("127.0.0.1:")
    commands = [e["command"] for e in events if e["event"] == "reviewer.command"]
    assert commands == ["approvals list --json",
                        f"approve {req['id']} --reason 'cache is safe to drop'"]
    # the same answer twice is refused, with the local CLI's exit status and message
    again = console(rlab, reviewer_key, f"approve {req['id']}")
    assert again.returncode == 1 and "refused: request" in again.stderr
    assert "already approved by alice" in again.stderr


def test_console_refuses_anything_but_its_commands(rlab, reviewer_key):
    for line in ("bash", "sh -c id", "approvals", "approve", "approve a b",
                 "lock lab-agent", "sessions kill x", "approve 'unterminated", "ls; id"):
        r = console(rlab, reviewer_key, line)
        assert r.returncode == 2, (line, r)
        assert "commands: approvals list [--json]" in r.stderr
    r = console(rlab, reviewer_key, None, extra=["-T"])
    assert r.returncode == 2 and "needs a terminal (ssh -t) or a command" in r.stderr
    sftp = console(rlab, reviewer_key, "sftp", extra=["-s"])
    assert sftp.returncode != 0
    fwd = console(rlab, reviewer_key, "sessions list",
                  extra=["-o", "ExitOnForwardFailure=yes", "-L", "0:127.0.0.1:22"])
    assert fwd.returncode == 255
    assert any(e["event"] == "reviewer.refused" and e["subsystem"] == "sftp"
               for e in audit(rlab))


def test_identity_key_refused_at_console_and_approver_key_refused_as_agent(rlab, reviewer_key):
    r = rlab.ssh("approvals list", user="alice")
    assert r.returncode == 77
    assert b"sshgate: denied: the review console takes approver keys only" in r.stderr
    r = rlab.ssh("echo ran", key=reviewer_key[0])
    assert r.returncode == 77 and b"ran" not in r.stdout
    assert b"belongs to approver 'alice' and opens the review console only" in r.stderr
    assert sessions_started_by_sshd(rlab) == 0
    refused = [e["reason"] for e in audit(rlab) if e["event"] == "session.refused"]
    assert refused == ["identity key at the review console", "approver key used as an agent"]


def test_approver_acting_as_the_identity_cannot_approve_it(make_lab, reviewer_key, tmp_path):
    lab = make_lab(approvers=[current_login(), {"name": "alice", "keys": [reviewer_key[1]],
                                                "identity": "lab-agent"}])
    p = hold(lab, f"rm -rf {marker(tmp_path)}")
    [req] = wait_pending(lab)
    r = console(lab, reviewer_key, f"approve {req['id']}")
    assert r.returncode == 1 and "alice acts as identity lab-agent and may not approve" in r.stderr
    p.kill()
    p.wait()


def test_sessions_list_and_kill_end_a_running_sleep_with_77(rlab, reviewer_key):
    p = agent(rlab, "echo started; sleep 30")
    assert p.stdout.readline() == b"started\n"
    s = wait_session(rlab, command="echo started; sleep 30")
    assert s["identity"] == "lab-agent" and s["target"] == "lab" and s["mode"] == "exec"
    assert s["state"] == "running" and s["login"] == rlab.login and s["bytes_out"] >= 8
    over_ssh = console(rlab, reviewer_key, "sessions list --json")
    assert over_ssh.returncode == 0 and json.loads(over_ssh.stdout)[0]["id"] == s["id"]
    table = console(rlab, reviewer_key, "sessions list")
    assert s["id"] in table.stdout and "running" in table.stdout
    started = time.monotonic()
    r = console(rlab, reviewer_key, f"sessions kill {s['id'][:6]} --reason 'runaway job'")
    assert r.returncode == 0, r.stderr
    _, err = p.communicate(timeout=10)
    assert p.returncode == 77 and time.monotonic() - started < 5
    assert err.decode().endswith("sshgate: session ended by alice: runaway job\n")
    killed = next(e for e in audit(rlab) if e["event"] == "session.killed")
    assert killed["session"] == s["id"] and killed["reviewer"] == "alice"
    cast = (rlab.recordings / f"{s['id']}.cast")
    deadline = time.monotonic() + 10
    while "session ended by alice: runaway job" not in cast.read_text() or not any(
            e["event"] == "recording.sealed" and e["recording"] == s["id"] for e in audit(rlab)):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert cli(rlab, "recordings", "verify", s["id"]).returncode == 0
    assert cli(rlab, "sessions", "kill", s["id"], "--reason", "x").returncode == 1


def test_held_session_shows_as_held(rlab, tmp_path):
    p = hold(rlab, f"rm -rf {marker(tmp_path)}")
    s = wait_session(rlab, state="held")
    assert s["command"].startswith("rm -rf ")
    p.kill()
    p.wait()


def test_watch_shows_output_within_200ms_with_escapes_neutralised(rlab):
    # the command prints the target's clock right before its line leaves, until it is ended
    # (the watcher sees what happens after it attached, however long that takes under load)
    # (100 words: a longer loop is beyond what the guard parses, and would be held)
    p = agent(rlab, f"for i in {' '.join(map(str, range(100)))}; do date +T%s.%N; "
                    r"printf '\033]52;c;cHduZWQ=\007\033]0;pwned\007\033[6nSAFE\n'; "
                    "sleep 0.6; done")
    s = wait_session(rlab, identity="lab-agent")
    w = popen_cli(rlab.config, "watch", s["id"])
    lines: list[tuple[float, bytes]] = []

    def read() -> None:
        for line in w.stdout:
            lines.append((time.time(), line))

    t = threading.Thread(target=read, daemon=True)
    t.start()
    deadline = time.monotonic() + 60  # a loaded machine starts the watcher's Python slowly
    while sum(1 for _, line in lines if line.startswith(b"T")) < 3:
        assert time.monotonic() < deadline, lines
        time.sleep(0.05)
    lags = [seen - float(line[1:]) for seen, line in lines if line.startswith(b"T")]
    assert max(lags) < 0.2, lags
    body = b"".join(line for _, line in lines)
    assert body.count(b"SAFE\n") >= 2
    assert b"\x1b]" not in body and b"\x1b[6n" not in body and b"\x07" not in body
    assert cli(rlab, "sessions", "kill", s["id"], "--reason", "done").returncode == 0
    assert w.wait(10) == 0 and p.wait(10) == 77
    assert b"session ended: session ended by" in w.stderr.read()


def test_lock_ends_sessions_refuses_survives_restart_and_expires(rlab, reviewer_key):
    p = agent(rlab, "echo started; sleep 30")
    assert p.stdout.readline() == b"started\n"
    r = console(rlab, reviewer_key, "lock lab-agent --for 1h --reason 'prompt injection'")
    assert r.returncode == 0, r.stderr
    message = b"sshgate: identity 'lab-agent' is locked by alice: prompt injection\n"
    _, err = p.communicate(timeout=10)
    assert p.returncode == 77 and err.endswith(message)
    r = rlab.ssh("echo hi")
    assert r.returncode == 77 and r.stderr.endswith(message) and r.stdout == b""
    # restart: the lock, with its expiry, is read back from state_dir
    before = json.loads(cli(rlab, "locks", "list", "--json").stdout)
    rlab.gateway.stop()
    rlab.gateway.start()
    r = rlab.ssh("echo hi")
    assert r.returncode == 77 and r.stderr.endswith(message)
    locks = json.loads(cli(rlab, "locks", "list", "--json").stdout)
    assert [(lk["identity"], lk["reviewer"], lk["expires"]) for lk in locks] == \
        [("lab-agent", "alice", before[0]["expires"])]
    assert "prompt injection" in console(rlab, reviewer_key, "locks").stdout
    # a lock given a duration lifts itself (a new lock replaces the old one)
    locked_at = time.monotonic()
    r = console(rlab, reviewer_key, "lock lab-agent --for 15s --reason 'short'")
    assert r.returncode == 0 and r.stdout.strip().startswith("locked lab-agent for 15s")
    r = rlab.ssh("echo hi")
    assert r.returncode == 77 and b"locked by alice: short" in r.stderr
    assert time.monotonic() - locked_at < 15  # the refusal came from the lock, not by luck
    time.sleep(max(0.0, 15.5 - (time.monotonic() - locked_at)))
    r = rlab.ssh("echo hi")
    assert r.returncode == 0 and r.stdout == b"hi\n"
    assert json.loads(cli(rlab, "locks", "list", "--json").stdout) == []
    events = [e["event"] for e in audit(rlab)]
    assert "identity.locked" in events and "identity.lock-expired" in events


def test_lock_without_duration_holds_until_unlock(rlab, reviewer_key):
    assert cli(rlab, "lock", "lab-agent", "--reason", "audit").returncode == 0
    assert rlab.ssh("true").returncode == 77
    r = console(rlab, reviewer_key, "unlock lab-agent")
    assert r.returncode == 0 and r.stdout.strip() == "unlocked lab-agent"
    assert rlab.ssh("true").returncode == 0
    assert console(rlab, reviewer_key, "unlock lab-agent").returncode == 1


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_console_prompt_over_ssh_t_in_tmux(rlab, reviewer_key, tmp_path):
    a, b = tmp_path / "keep", tmp_path / "drop"
    a.mkdir()
    b.mkdir()
    term = Terminal(rlab.ssh_argv(None, user="alice", key=reviewer_key[0], extra=["-t"]),
                    width=150, height=50, keep_open=False)
    try:
        def title_line(request_id: str) -> str:
            return next(line.rstrip() for line in term.screen().splitlines()
                        if f"approval request {request_id}" in line)

        term.wait_for("connected to the gateway as alice")
        pa = hold(rlab, f"rm -rf {a} && echo A")
        [ra] = wait_pending(rlab)
        term.wait_for("echo A")
        term.wait_for("fs.rm-recursive")
        # the panel is drawn for the terminal's width: its top border ends at the right edge
        top = title_line(ra["id"])
        assert len(top) == 150 and top.endswith("╮"), top
        term.run("d not this one")
        assert pa.wait(20) == 77
        # a narrower window: the next request is drawn for the new width (drawn for the old
        # one, its border would wrap and not end the line)
        term.resize(72, 50)
        time.sleep(0.5)
        pb = hold(rlab, f"rm -rf {b} && echo B")
        [rb] = wait_pending(rlab)
        term.wait_for("echo B")
        top = title_line(rb["id"])
        assert len(top) == 72 and top.endswith("╮"), top
        term.run("a")
        out, _ = pb.communicate(timeout=20)
        assert out == b"B\n" and a.exists() and not b.exists()
        term.wait_for("approved by alice")
        assert b"sshgate: denied by alice: not this one" in pa.stderr.read()
    finally:
        term.close()


def test_an_open_review_console_does_not_hold_up_a_stop(rlab, reviewer_key):
    argv = rlab.ssh_argv(None, user="alice", key=reviewer_key[0], extra=["-tt"])
    reviewer = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while not any(e["event"] == "reviewer.connected" for e in audit(rlab)):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    started = time.monotonic()
    assert rlab.gateway.stop() == 0
    assert time.monotonic() - started < 10  # drain_timeout is 30 s
    reviewer.wait(10)
    assert any(e["event"] == "reviewer.disconnected" for e in audit(rlab))
