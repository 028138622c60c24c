"""Red team s9 through real sshd and the real ssh client: the gated shell's own variables
(HOSTFILE read by hostname completion, FUNCNEST capping the gate's functions) and exec lines
whose tools act differently from their catalogue entry (argv[0], zip's log file, wc's list of
names, copies into the home). Each ends with the target's filesystem or screen unchanged."""

from __future__ import annotations

import secrets
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import audit
from .test_shell_adversarial import PROMPT, connect, still_alive

NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


@pytest.fixture
def slab(make_lab):
    # unknown: allow (a site's knowing choice): the guard's hold of these assignments
    # (tests/guard/test_redteam_s9.py) is not what protects here, the shell's own pin is
    return make_lab(shell=True, approval=NO_REVIEWER, unknown="allow")


def _outcomes(lab) -> dict[str, str]:
    return {e["command"]: e["outcome"] for e in audit(lab) if e["event"] == "shell.outcome"}


def test_hostfile_never_reaches_hostname_completion(slab, agents, tmp_path):
    """HOSTFILE=FILE then M-@ printed FILE's lines (shadow's hashes) with no command run."""
    secret = f"SECRETHASH{secrets.token_hex(4)}"
    shadow = tmp_path / "shadow"
    shadow.write_text(f"root:$6${secret}$abc:19000:0:99999:7:::\n")
    a = connect(slab, agents)
    for spelling in (f"HOSTFILE={shadow}", f"declare HOSTFILE={shadow}",
                     f"echo ${{HOSTFILE:={shadow}}}"):
        a.line(spelling)
    a.send(b"echo @r\x1b@")  # readline's complete-hostname
    time.sleep(1.0)
    a.send(b"\x03")
    a.expect(PROMPT)
    assert secret.encode() not in a.out
    assert b"HOSTFILE: readonly variable" in a.out
    still_alive(a, slab)


def test_funcnest_cannot_silence_the_gate(slab, agents, tmp_path):
    """FUNCNEST=1 (allowed) made the gate's nested functions fail: the gateway kept forwarding
    and the lines after it left no record."""
    a = connect(slab, agents)
    a.line("FUNCNEST=1")
    shown = a.line("echo after-42")
    assert b"after-42" in shown and b"nesting level" not in a.out
    assert b"FUNCNEST: readonly variable" in a.out
    assert _outcomes(slab)["echo after-42"] == "ran"
    still_alive(a, slab)


@pytest.fixture
def elab(make_lab):
    return make_lab(approval=NO_REVIEWER, unknown="approve")


def test_exec_argv0_is_held(elab, tmp_path):
    """`exec -a pkill pgrep -f NAME` ran pkill (pgrep picks its mode from argv[0])."""
    name = f"s9sleeper{secrets.token_hex(3)}"
    sleeper = tmp_path / name
    sleeper.write_bytes(Path("/bin/sleep").read_bytes())
    sleeper.chmod(0o755)
    victim = subprocess.Popen([str(sleeper), "60"])
    try:
        r = elab.ssh(f"exec -a pkill pgrep -f {name}")
        assert r.returncode == 77 and b"guard.unknown" in r.stderr
        time.sleep(0.3)
        assert victim.poll() is None
    finally:
        victim.kill()
        victim.wait()


def test_zip_log_file_and_files0_from_are_held(elab, tmp_path):
    victim = tmp_path / "victim.conf"
    victim.write_text("important = config\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a").write_text("a\n")
    r = elab.ssh(f"cd {tmp_path} && zip -r x.zip src -lf {victim} '$(id)'")
    assert r.returncode == 77
    assert victim.read_text() == "important = config\n"
    secret = f"hunter2-{secrets.token_hex(4)}"
    svc = subprocess.Popen(["sleep", "60"], env={"DB_PASSWORD": secret})
    try:
        for line in (f"wc --files0-from=/proc/{svc.pid}/environ",
                     f"du --files0-from=/proc/{svc.pid}/environ"):
            r = elab.ssh(line)
            assert r.returncode == 77 and secret.encode() not in r.stdout + r.stderr, line
    finally:
        svc.kill()
        svc.wait()


def test_copies_into_the_directory_itself_are_held(elab, tmp_path):
    """cp SRC/.bashrc ./. (and cp -r SRC/. ./. from the home) wrote dot-files there."""
    src, home = tmp_path / "e", tmp_path / "home"
    (src / ".ssh").mkdir(parents=True)
    home.mkdir()
    (src / ".bashrc").write_text("echo persisted\n")
    (src / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAAattacker\n")
    # (the bare lines run in the login's home, the test's user's own: judged in
    # tests/guard/test_redteam_s9.py; here the spellings that hold wherever they run)
    for line in (f"cd {home} && cp {src}/.bashrc ./.", f"cd {home} && cp {src}/.bashrc .",
                 f"cp {src}/.bashrc {home}/", f"mv {src}/.bashrc {home}/.",
                 f"cd {home} && cp -r {src}/.ssh ."):
        r = elab.ssh(line)
        assert r.returncode == 77, (line, r)
    assert sorted(p.name for p in home.iterdir()) == []


@pytest.mark.parametrize("limit", ["ulimit -n 4", "ulimit -n 5"])
def test_a_limit_that_silences_the_gate_ends_the_session_on_the_record(slab, agents, tmp_path,
                                                                        limit):
    """E4's residual: ulimit -n left no descriptor for the gate (its /dev/tty, its request's
    subshell): the lines after it were dropped with no record. Now the session ends as
    shell.ungated and nothing after the limit runs."""
    mark = tmp_path / "ran"
    a = connect(slab, agents)
    a.send(f"{limit}\r".encode())
    a.settle()
    a.send(f"touch {mark}\r".encode())
    assert a.wait_exit() == 77
    assert b"can no longer be gated" in a.out
    assert not mark.exists()
    ungated = [e for e in audit(slab) if e["event"] == "shell.ungated"]
    assert ungated and "switched off" in ungated[0]["reason"], ungated
