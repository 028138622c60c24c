"""Recordings of real sessions: content, crash behaviour, verification, asciinema."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import pytest

from sshgate.recording import reader

from .conftest import audit, sessions_started_by_sshd
from .conftest import cli as run_cli


def cli(lab, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(lab, *args, timeout=60)  # verify and export read every recording


def recordings(lab, n: int = 1, timeout: float = 10) -> list:
    """The recordings, once ``n`` are sealed: seal files written and the seal in the audit
    log (written just after the files; ``recordings verify`` checks both)."""
    deadline = time.monotonic() + timeout
    while True:
        paths = reader.list_recordings(lab.recordings)
        sealed = [p for p in paths if p.with_name(p.name + ".seal").exists()]
        logged = sum(e["event"] == "recording.sealed" for e in audit(lab))
        if min(len(sealed), logged) >= n or time.monotonic() > deadline:
            return paths
        time.sleep(0.05)


def test_exec_recording_has_output_stderr_and_exit(lab):
    r = lab.ssh("echo visible; echo hidden >&2; exit 5")
    assert r.returncode == 5
    [path] = recordings(lab)
    rec = reader.parse(path)
    assert rec.meta["identity"] == "lab-agent" and rec.meta["mode"] == "exec"
    assert rec.meta["cert_key_id"] == f"sshgate:lab-agent:{rec.id}"
    assert b"".join(e.raw for e in rec.events if e.code == "o") == b"visible\n"
    assert b"".join(e.raw for e in rec.events if e.code == "e") == b"hidden\n"
    [cmd] = rec.commands()
    assert cmd["decision"] == "allow" and cmd["exit"]["status"] == 5
    v = cli(lab, "recordings", "verify", rec.id[:6])
    assert v.returncode == 0, v.stdout


def test_denied_command_is_recorded_with_its_decision(lab):
    lab.ssh("reboot")
    [path] = recordings(lab)
    [cmd] = reader.parse(path).commands()
    assert cmd["decision"] == "deny" and cmd["rules"] == ["power.shutdown"]
    show = cli(lab, "recordings", "show", path.name[:8], "--json")
    assert '"decision": "deny"' in show.stdout


def test_killed_gateway_leaves_parseable_unsealed_recording(lab):
    p = subprocess.Popen(lab.ssh_argv("echo started; sleep 30"), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    assert p.stdout.readline() == b"started\n"
    # output reaches the file within the recorder's tail interval (50 ms); under load give it
    # a moment, so that the kill lands mid-session with the output on disk (the marker,
    # which also says "started", is written at once)
    deadline = time.monotonic() + 5
    while not any(reader.parse(path).output() == b"started\n"
                  for path in lab.recordings.glob("*.cast")):
        assert time.monotonic() < deadline, "output never reached the recording"
        time.sleep(0.01)
    lab.gateway.proc.send_signal(signal.SIGKILL)
    lab.gateway.proc.wait(10)
    p.wait(20)
    [path] = reader.list_recordings(lab.recordings)
    rec = reader.parse(path)
    assert rec.output() == b"started\n"
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 1 and "unsealed" in v.stdout
    # the chain holds; the lines after the last signed head are reported until the next
    # start signs them (a kill and a cut look alike from the file alone)
    out = " ".join(v.stdout.split())
    assert "hash chain broken" not in out and "or the gateway was killed" in out


def test_killed_gateway_keeps_bulk_output_up_to_the_last_byte(lab):
    # 10 MB of text through the O_DIRECT writer; once the agent has all of it and the
    # recorder has been idle for longer than its tail interval, a kill -9 loses nothing
    p = subprocess.Popen(lab.ssh_argv("seq 1 1500000; echo done; sleep 30"),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    received = b""
    while not received.endswith(b"done\n"):
        chunk = p.stdout.read1(1 << 20)
        assert chunk, "the session ended early"
        received += chunk
    time.sleep(0.5)  # 10 x the recorder's tail interval
    lab.gateway.proc.send_signal(signal.SIGKILL)
    lab.gateway.proc.wait(10)
    p.wait(20)
    [path] = reader.list_recordings(lab.recordings)
    rec = reader.parse(path)
    assert not rec.problems and not rec.torn
    assert rec.output() == received and len(received) > 10_000_000
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 1 and "unsealed" in v.stdout


def test_recording_failure_ends_the_session_and_the_gateway_goes_on(make_lab):
    # the gateway may not write files over 3 MB: this session's recording cannot be kept
    lab = make_lab(gateway_wrapper=["prlimit", "--fsize=3000000"])
    r = lab.ssh("head -c 20000000 /dev/urandom")
    assert r.returncode == 77, r.stderr
    assert b"sshgate: recording failed (File too large); the session is ended" in r.stderr
    assert len(r.stdout) < 20_000_000  # it did not run to the end unrecorded
    [failed] = [e for e in audit(lab) if e["event"] == "recording.failed"]
    v = cli(lab, "recordings", "verify", failed["recording"])
    assert v.returncode == 1 and "unsealed: recording failed (" in v.stdout, v.stdout
    ok = lab.ssh("echo still serving")
    assert (ok.returncode, ok.stdout) == (0, b"still serving\n"), ok.stderr


def test_verify_names_each_kind_of_tampering(lab):
    for cmd in ("echo one", "echo two", "echo three", "echo four"):
        lab.ssh(cmd)
    paths = recordings(lab, 4)
    by_out = {reader.parse(p).output(): p for p in paths}
    one, two, three, four = (by_out[f"{w}\n".encode()] for w in ("one", "two", "three", "four"))
    data = bytearray(one.read_bytes())
    data[data.index(b"one")] = ord("0")
    one.write_bytes(bytes(data))                                           # edited byte
    lines = two.read_bytes().splitlines(keepends=True)
    two.write_bytes(b"".join(lines[:-1]))                                  # deleted line
    three.write_bytes(three.read_bytes()[:-7])                             # truncated
    for src, dst in zip((four.with_name(four.name + ".sig"), four.with_name(four.name + ".seal")),
                        (three.with_name(three.name + ".sig"),
                         three.with_name(three.name + ".seal")), strict=True):
        dst.write_bytes(src.read_bytes())                                  # swapped seal
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 1
    out = v.stdout
    assert "edited: the content does not match" in out
    assert "truncated:" in out
    assert "does not match the digest in the audit log" in out
    ok_line = [line for line in out.splitlines() if four.name.removesuffix(".cast") in line][0]
    assert ok_line.startswith("ok")


def test_ssh_keygen_accepts_the_seal(lab, tmp_path):
    lab.ssh("echo sealed")
    [path] = recordings(lab)
    allowed = tmp_path / "allowed_signers"
    pub = (lab.directory / "gw/keys/recording.pub").read_text()
    allowed.write_text("sshgate " + pub)
    r = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "sshgate",
                        "-n", "sshgate-recording", "-s", str(path) + ".sig"],
                       input=path.read_bytes(), capture_output=True)
    assert r.returncode == 0 and b"Good" in r.stdout


@pytest.mark.skipif(shutil.which("asciinema") is None, reason="asciinema not installed")
def test_asciinema_cat_gives_the_same_bytes(lab):
    lab.ssh("printf 'caf\\xc3\\xa9 \\033[1mbold\\033[0m\\n'; seq 1 5")
    [path] = recordings(lab)
    # asciinema opens /dev/tty: give it a controlling terminal, keep stdout a pipe
    import fcntl
    import os
    import pty
    import termios

    master, slave = pty.openpty()
    try:
        r = subprocess.run(["asciinema", "cat", str(path)], stdin=slave, capture_output=True,
                           timeout=30, start_new_session=True,
                           preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    finally:
        os.close(master)
        os.close(slave)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "café \x1b[1mbold\x1b[0m\n1\n2\n3\n4\n5\n".encode()
    replay = cli(lab, "replay", path.name[:6], "--speed", "0")
    assert replay.stdout.encode() == r.stdout


def test_list_filters_and_json(lab):
    lab.ssh("echo alpha")
    lab.ssh("echo beta")
    recordings(lab, 2)
    r = cli(lab, "recordings", "list", "--json", "--command", "beta")
    import json

    rows = json.loads(r.stdout)
    assert len(rows) == 1 and rows[0]["identity"] == "lab-agent" and rows[0]["sealed"]
    assert {"id", "identity", "target", "login"} <= set(rows[0])
    assert json.loads(cli(lab, "recordings", "list", "--json", "--identity", "x").stdout) == []
    assert len(json.loads(cli(lab, "recordings", "list", "--json", "--since", "1h").stdout)) == 2
    assert sessions_started_by_sshd(lab) == 2
