"""`sshgate demo` end to end: without a terminal on the embedded target, and on a terminal
with OpenSSH's sshd as the target."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest


def leftover_processes(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


def check_end_to_end(out: str, took: float) -> None:
    """What every whole demo shows: allowed, held and approved, refused, verified, replayed."""
    assert "Traceback" not in out
    assert "hello from" in out                                     # benign commands ran
    assert re.search(r"waiting for approval [0-9a-f]+ \(fs.rm-recursive", out)  # held
    assert "approved" in out and "cache directory still exists: False" in out
    assert "sshgate: denied: disk.mkfs" in out and "exit status 77" in out     # refused
    assert "ok " in out and "audit log hash chain" in out                     # verified
    assert re.search(r"replaying session [0-9a-f]+", out)
    assert out.count("hello from") >= 2                            # once live, once replayed
    assert out.count("replaying session") == 4                     # every session
    m = re.search(r"time from start to the first agent command output: ([0-9.]+)s", out)
    assert m and float(m.group(1)) < took


def check_cleaned_up(workdir: str, tmp_path: Path) -> None:
    assert not Path(workdir).exists()
    time.sleep(0.5)
    assert leftover_processes(workdir) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith("sshgate-demo-")] == []


def test_demo_without_a_terminal_approves_by_itself_end_to_end_and_cleans_up(tmp_path):
    """The embedded target, no terminal: the held command is approved as with --yes (the
    flag itself: test_demo_yes_and_no_terminal_take_the_same_path); OpenSSH's sshd is the
    target of the terminal run below."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSHGATE")}
    env.update(HOME=str(tmp_path), TMPDIR=str(tmp_path), COLUMNS="200", SSHGATE_SSHD="none")
    t = time.monotonic()
    # without a terminal, no --yes is needed: the demo takes that path with a note
    r = subprocess.run([sys.executable, "-m", "sshgate", "demo", "--replay-speed", "0"],
                       capture_output=True, text=True, timeout=180, env=env,
                       stdin=subprocess.DEVNULL)
    took = time.monotonic() - t
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    assert "no terminal to answer the approval prompt on; approving automatically" in out
    assert "Traceback" not in r.stderr
    assert "sshgate demo --keep" in out  # the hand-run commands need the setup kept
    assert "embedded asyncssh target" in out
    check_end_to_end(out, took)
    check_cleaned_up(re.search(r"setting up in (\S+):", out).group(1), tmp_path)


def test_demo_yes_and_no_terminal_take_the_same_path(monkeypatch):
    """--yes approves automatically without the note; no terminal (CliRunner's stdin) does
    the same with it. What the demo then does is the end-to-end run above."""
    from click.testing import CliRunner

    from sshgate.cli import demo_cmd
    from sshgate.cli.main import cli

    calls: list[dict] = []
    monkeypatch.setattr(demo_cmd, "run_demo", lambda console, **kw: calls.append(kw) or 0)
    flagged = CliRunner().invoke(cli, ["demo", "--yes", "--replay-speed", "0"])
    bare = CliRunner().invoke(cli, ["demo", "--keep"])
    assert flagged.exit_code == bare.exit_code == 0, flagged.output + bare.output
    assert "no terminal" not in flagged.output
    assert "no terminal to answer the approval prompt on; approving automatically" in \
        bare.output.replace("\n", " ")
    assert [(c["yes"], c["keep"], c["replay_speed"]) for c in calls] == [
        (True, False, 0.0), (True, True, 4.0)]


@pytest.mark.timeout(300)
def test_demo_on_a_terminal_prompt_first_then_hand_run_commands_that_paste(tmp_path):
    """The reviewer's prompt is up before the command is held (the agent never hears that
    nobody is connected); with --keep the printed commands work as pasted."""
    from tests.integration.test_real_host import Terminal

    env = {k: v for k, v in os.environ.items() if not k.startswith("SSHGATE")}
    env.update(HOME=str(tmp_path), TMPDIR=str(tmp_path), COLUMNS="100", LINES="40")
    t = time.monotonic()
    term = Terminal([sys.executable, "-m", "sshgate", "demo", "--keep", "--replay-speed", "0"],
                    env)
    try:
        term.expect(r"connected to the gateway as", timeout=120)
        term.expect(r"approval request [0-9a-f]+", timeout=60)
        term.type("a fine\r")
        term.expect(r"cache directory still exists: False", timeout=60)
        term.expect(r"Press Ctrl-C to stop and clean up", timeout=180)
        took = time.monotonic() - t
        [workdir] = tmp_path.glob("sshgate-demo-*")
        screen = re.sub(rb"\x1b(\[[0-9;?]*[A-Za-z]|[78])", b"", term.screen).decode(
            errors="replace").replace("\r", "")
        assert "OpenSSH sshd" in screen
        check_end_to_end(screen, took)
        agent_side = screen[screen.index("the agent's side:"):]
        assert "no reviewer is connected" not in screen
        assert "waiting for approval" in agent_side.split("exit status")[0]
        assert screen.index("connected to the gateway as") < screen.index("agent$ ssh ... 'rm")
        hand = [line.split("   # ")[0].strip() for line in
                screen[screen.index("Run each piece by hand"):].splitlines()[1:]
                if line.startswith("  ")]
        cmds = {"an agent command": next(c for c in hand if c.endswith(" uptime")),
                "list": next(c for c in hand if " recordings list " in c)}
        for line in cmds.values():
            assert os.path.isabs(line.split()[0]) or line.startswith("ssh "), line
            r = subprocess.run(["bash", "-c", line], capture_output=True, text=True,
                               timeout=60, env=env, stdin=subprocess.DEVNULL)
            assert r.returncode == 0, f"{line}\n{r.stdout}{r.stderr}"
        assert "load average" in subprocess.run(
            ["bash", "-c", cmds["an agent command"]], capture_output=True, text=True,
            timeout=60, env=env, stdin=subprocess.DEVNULL).stdout
        term.proc.send_signal(2)
        term.expect("cleaned up", timeout=60)
        assert term.proc.wait(30) == 130
    finally:
        term.close()
    check_cleaned_up(str(workdir), tmp_path)
