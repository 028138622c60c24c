"""`sshgate serve` at its default level: one line per session start/end, refusal and
decision, agent text escaped; Ctrl-C on `sshgate serve 2>&1 | tee log` drains and seals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sshgate.lab import free_port, make_key, wait_for_port

from .conftest import audit, cli


def test_one_line_per_session_refusal_and_decision_with_agent_text_escaped(lab, tmp_path):
    assert lab.ssh("echo ok").returncode == 0
    assert lab.ssh("mkfs.ext4 /dev/sda1").returncode == 77
    hostile = "echo '\x1b]0;pwned\x07' \u202eboo\r\nINFO session forged"
    lab.ssh(hostile)
    stranger = tmp_path / "stranger"
    make_key(stranger, "stranger")
    assert lab.ssh("true", key=stranger).returncode == 255
    assert lab.ssh("true", user="root@nowhere").returncode == 77
    # three sessions end (the stranger never gets one, root@nowhere is refused at its start):
    # waiting for a fourth end waited out the whole deadline every time
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (lab.gateway.log().count(" end after ") < 3 or
                                           "refused: lab-agent as root@nowhere" not in
                                           lab.gateway.log()):
        time.sleep(0.1)
    log = lab.gateway.log()
    lines = log.splitlines()
    sid = next(e["session"] for e in audit(lab) if e["event"] == "session.start")
    assert any(f"session {sid} start: lab-agent " in line and "@lab from 127.0.0.1:" in line
               for line in lines), log
    assert any(f"session {sid} allow: echo ok" in line for line in lines), log
    assert any(" deny: mkfs.ext4 /dev/sda1  [disk.mkfs]" in line for line in lines), log
    assert any(f"session {sid} end after " in line for line in lines), log
    assert any("authentication refused from 127.0.0.1:" in line and "SHA256:" in line
               for line in lines), log
    assert any("refused: lab-agent as root@nowhere" in line for line in lines), log
    # the hostile command is one line, with its control and format characters escaped
    shown = [line for line in lines if "pwned" in line]
    assert len(shown) == 1, shown
    assert "\\x1b]0;pwned\\x07" in shown[0] and "\\u202e" in shown[0]
    assert "\\r\\nINFO session forged" in shown[0]
    assert "\x1b" not in log and "\u202e" not in log and "\x07" not in log
    assert not any(line.startswith("INFO session forged") for line in lines)


def test_ctrl_c_on_serve_piped_into_tee_drains_and_seals(make_lab, tmp_path):
    lab = make_lab()
    lab.gateway.stop()
    port = free_port()
    lab.gateway.port = port
    serve = (f"{sys.executable} -m sshgate serve --config {lab.config} "
             f"--listen 127.0.0.1:{port} 2>&1 | tee {tmp_path / 'log'}")
    # a terminal's Ctrl-C signals the whole foreground job: the gateway and tee
    job = subprocess.Popen(["bash", "-c", serve], start_new_session=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, 20, job, "sshgate serve | tee")
        agent = subprocess.Popen(lab.ssh_argv("sleep 2; echo finished"),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                e["event"] == "command.decision" for e in audit(lab)):
            time.sleep(0.05)
        os.killpg(job.pid, signal.SIGINT)
        out, err = agent.communicate(timeout=60)
        assert agent.returncode == 0 and out == b"finished\n", err  # drained, not cut off
        job.wait(60)
        # the stop is the last event; only the signed head that seals the log follows it
        events = [e["event"] for e in audit(lab) if e["event"] != "audit.head"]
        assert events[-1] == "gateway.stop", events
        assert "recording.sealed" in events
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait(10)
    v = cli(lab, "recordings", "verify", "--all", "--json")
    assert v.returncode == 0 and json.loads(v.stdout)["ok"], v.stdout
