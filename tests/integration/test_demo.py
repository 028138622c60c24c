"""`sshgate demo --yes` end to end, with sshd and with the embedded target."""

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


@pytest.mark.parametrize("sshd", ["system", "none"])
def test_demo_yes_end_to_end_and_cleans_up(tmp_path, sshd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSHGATE")}
    env.update(HOME=str(tmp_path), TMPDIR=str(tmp_path), COLUMNS="200")
    if sshd == "none":
        env["SSHGATE_SSHD"] = "none"
    t = time.monotonic()
    # without a terminal, no --yes is needed: the demo takes that path with a note
    yes = ["--yes"] if sshd == "none" else []
    r = subprocess.run([sys.executable, "-m", "sshgate", "demo", *yes, "--replay-speed", "0"],
                       capture_output=True, text=True, timeout=180, env=env,
                       stdin=subprocess.DEVNULL)
    took = time.monotonic() - t
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    assert ("no terminal to answer the approval prompt on; approving automatically" in out) \
        == (sshd == "system")
    assert "Traceback" not in out + r.stderr
    assert "sshgate demo --keep" in out  # the hand-run commands need the setup kept
    assert ("OpenSSH sshd" if sshd == "system" else "embedded asyncssh target") in out
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
    workdir = re.search(r"setting up in (\S+):", out).group(1)
    assert not Path(workdir).exists()
    time.sleep(0.5)
    assert leftover_processes(workdir) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith("sshgate-demo-")] == []


@pytest.mark.timeout(300)
def test_demo_on_a_terminal_prompt_first_then_hand_run_commands_that_paste(tmp_path):
    """The reviewer's prompt is up before the command is held (the agent never hears that
    nobody is connected); with --keep the printed commands work as pasted."""
    from tests.integration.test_real_host import Terminal

    env = {k: v for k, v in os.environ.items() if not k.startswith("SSHGATE")}
    env.update(HOME=str(tmp_path), TMPDIR=str(tmp_path), COLUMNS="100", LINES="40")
    term = Terminal([sys.executable, "-m", "sshgate", "demo", "--keep", "--replay-speed", "0"],
                    env)
    try:
        term.expect(r"connected to the gateway as", timeout=120)
        term.expect(r"approval request [0-9a-f]+", timeout=60)
        term.type("a fine\r")
        term.expect(r"cache directory still exists: False", timeout=60)
        term.expect(r"Press Ctrl-C to stop and clean up", timeout=180)
        screen = re.sub(rb"\x1b(\[[0-9;?]*[A-Za-z]|[78])", b"", term.screen).decode(
            errors="replace").replace("\r", "")
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
    finally:
        term.close()
