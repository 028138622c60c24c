"""Interactive shells through the gateway: the real ssh client in a real terminal (tmux) to
real sshd, with every command line gated."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest

from sshgate.recording import reader

from .conftest import audit, cli, marker
from .terminal import Terminal

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


@pytest.fixture
def shell_lab(make_lab):
    return make_lab(shell=True, approval={"timeout": "5m", "no_reviewer": "wait"})


@pytest.fixture
def term(shell_lab):
    t = Terminal(shell_lab.ssh_argv(None, extra=["-tt"]))
    t.run("echo ready-$USER")
    t.wait_for(f"ready-{shell_lab.login}")
    yield t
    t.close()


def test_benign_denied_and_shell_keeps_working(shell_lab, term, tmp_path):
    precious = marker(tmp_path)
    term.run("echo hello-from-$((n+2)) >/dev/null; echo one; echo two")
    term.wait_for("waiting for approval")  # $((n+2)) (a name in arithmetic) is unparseable: held
    req = json.loads(cli(shell_lab, "approvals", "list", "--json").stdout)[0]
    assert cli(shell_lab, "approve", req["id"]).returncode == 0
    term.wait_for("two")
    term.run(f"mkfs.ext4 /dev/null; rm -rf {precious}")
    term.wait_for("sshgate: denied: disk.mkfs")
    term.run("echo still-$USER-alive")
    term.wait_for(f"still-{shell_lab.login}-alive")
    assert precious.exists()
    decisions = [(e["command"], e["decision"]) for e in audit(shell_lab)
                 if e["event"] == "command.decision"]
    assert (f"mkfs.ext4 /dev/null; rm -rf {precious}", "deny") in decisions
    assert ("echo hello-from-$((n+2)) >/dev/null; echo one; echo two", "approve") in decisions


def test_read_secret_full_screen_ctrl_c_and_resize(shell_lab, term):
    term.run("read -s SECRET; echo got-${#SECRET}-chars")
    time.sleep(0.5)
    term.run("hunter2hunter2")
    term.wait_for("got-14-chars")
    assert "hunter2" not in term.screen()  # not echoed
    assert not any("hunter2" in (e.get("command") or "") for e in audit(shell_lab))
    term.run("less /etc/passwd")
    term.wait_for("root:")
    term.type("q")
    term.run("echo after-less")
    term.wait_for("after-less")
    term.run("sleep 60")
    time.sleep(1)
    term.type("C-c")
    term.run("echo after-interrupt")
    term.wait_for("after-interrupt")
    subprocess.run([*term.tmux, "resize-window", "-x", "100", "-y", "25"], check=True)
    time.sleep(0.3)
    term.run("stty size")
    term.wait_for("25 100")


def test_pasted_block_and_exit_status_and_recording(shell_lab, term):
    term.type("for i in 1 2 3\ndo\n  echo item-$i\ndone", "Enter")
    term.wait_for("item-3")
    term.run("exit 7")
    term.wait_for("EXIT=7")
    deadline = time.monotonic() + 10
    while not any(e["event"] == "recording.sealed" for e in audit(shell_lab)):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    [path] = reader.list_recordings(shell_lab.recordings)
    rec = reader.parse(path)
    assert rec.meta["mode"] == "shell"
    labels = [c["label"] for c in rec.commands()]
    assert any(label.startswith("for i in 1 2 3") and "done" in label for label in labels)
    out = rec.output()
    assert b"item-3" in out and b"\x1b]7770;" not in out  # markers are stripped
    assert any(e.code == "i" for e in rec.events)
    assert rec.commands()[-1]["exit"]["status"] == 7


def test_shell_refused_without_grant(lab):
    r = subprocess.run(lab.ssh_argv(None, extra=["-tt"]), capture_output=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 77
    assert b"sshgate: denied: interactive shells are not allowed for this grant" in r.stdout
    # a PTY for one command is still one command: classified, and run in a terminal
    r = subprocess.run(lab.ssh_argv("tty", extra=["-tt"]), capture_output=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0 and r.stdout.startswith(b"/dev/pts/"), r
    r = subprocess.run(lab.ssh_argv("mkfs.ext4 /dev/sda", extra=["-tt"]), capture_output=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 77 and b"denied: disk.mkfs" in r.stdout
    assert lab.ssh("echo exec-still-works").stdout == b"exec-still-works\n"


def test_a_pager_an_allowed_line_opens_runs_nothing_typed(shell_lab, term, tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    message = "\n".join(f"line {i}" for i in range(200))
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-q", "--allow-empty", "-m", message], check=True)
    pwned = tmp_path / "pwned"
    term.run(f"git -C {repo} log; echo pager-$USER-done")
    time.sleep(1)
    # less's shell escape; at the prompt (no pager opened: PAGER is pinned to cat) bash would
    # expand "!touch" from the login's history, which other tests share: an absolute
    # program name no earlier line starts with
    term.run(f"!/usr/bin/touch {pwned}")
    time.sleep(0.5)
    term.run("q")
    term.wait_for(f"pager-{shell_lab.login}-done")
    time.sleep(0.5)
    assert not pwned.exists()
