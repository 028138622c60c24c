"""The gateway foundation against real OpenSSH: sshd as the target, ssh as the agent."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import time

import asyncssh
import pytest

from sshgate.lab import control_master, make_key

from .conftest import audit, cert_ids_seen_by_sshd, sessions_started_by_sshd


def test_output_stderr_and_exit_status_relayed(lab):
    r = lab.ssh("echo out; echo err >&2; exit 3")
    assert (r.returncode, r.stdout, r.stderr) == (3, b"out\n", b"err\n")
    sid = next(e["session"] for e in audit(lab) if e["event"] == "session.start")
    # the command really ran on sshd with the minted certificate
    assert f"sshgate:lab-agent:{sid}" in cert_ids_seen_by_sshd(lab)
    assert sessions_started_by_sshd(lab) == 1


def test_stdin_5mb_piped_through(lab):
    data = os.urandom(5 * 1024 * 1024)
    r = lab.ssh("wc -c", input=data)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) == len(data)
    r = lab.ssh("sha256sum", input=data)
    assert r.stdout.split()[0].decode() == hashlib.sha256(data).hexdigest()


def test_binary_output_exact(lab):
    r = lab.ssh("f=$(mktemp); head -c 300000 /dev/urandom > $f; sha256sum < $f; cat $f; rm $f")
    digest, body = r.stdout[:64].decode(), r.stdout[r.stdout.index(b"\n") + 1:]
    assert hashlib.sha256(body).hexdigest() == digest


def test_exit_signal_relayed(lab):
    # OpenSSH's client maps a remote signal to status 255, exactly as it does directly.
    r = lab.ssh("kill -TERM $$")
    assert r.returncode == 255

    async def run() -> tuple:
        async with asyncssh.connect(
            "127.0.0.1", lab.gateway.port, username=f"{lab.login}@lab",
            client_keys=[str(lab.agent_key)], known_hosts=None, agent_path=None, config=None,
        ) as conn:
            res = await conn.run("kill -USR1 $$")
            return res.exit_signal

    sig = asyncio.run(run())
    assert sig is not None and sig[0] == "USR1"


def test_multiplexed_exec_keeps_its_exit_status_when_output_ends_first(lab, tmp_path_factory):
    # A ControlMaster client closes a channel as soon as both directions saw EOF. The target's
    # exit-status comes after its EOF here; the gateway must still deliver it (this was the
    # "1 in 100 multiplexed commands ends 255" bug).
    cm = tmp_path_factory.mktemp("cm", numbered=True)
    with control_master(lambda c, o: lab.ssh_argv(c, extra=o), cm / "c") as mux:
        for cmd, want in [("exec >&- 2>&-; sleep 0.3; exit 3", (3, b"")),
                          ("echo hi; exec >&-; sleep 0.2; exit 4", (4, b"hi\n")),
                          ("true", (0, b""))]:
            r = subprocess.run(lab.ssh_argv(cmd, extra=mux), stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=30)
            assert (r.returncode, r.stdout) == want, (cmd, r.stderr)


def test_output_closed_early_still_reads_all_input(lab):
    # the target's EOF is held until it exits: input keeps flowing after its output ended
    r = lab.ssh("exec >&-; n=$(wc -c); echo $n >&2", input=b"x" * 100_000)
    assert (r.returncode, r.stderr.strip()) == (0, b"100000"), r.stderr


def test_environment_only_what_the_grant_allows(lab):
    env = {**os.environ, "SSHGATE_A": "yes", "NOT_ALLOWED": "no"}
    r = subprocess.run(lab.ssh_argv("echo A=$SSHGATE_A B=$NOT_ALLOWED", extra=[
        "-o", "SendEnv=SSHGATE_A", "-o", "SendEnv=NOT_ALLOWED"]), env=env, capture_output=True,
        timeout=30)
    assert r.stdout == b"A=yes B=\n"


def test_locale_variables_reach_the_target_only_as_locale_names(lab):
    # bash evaluates a value as arithmetic in ${a[LC_X]}: a subscript could run a command
    env = {**os.environ, "LC_X": "a[$(id)]", "LC_Y": "en_US.UTF-8"}
    r = subprocess.run(lab.ssh_argv('echo "x=$LC_X y=$LC_Y"', extra=[
        "-o", "SendEnv=LC_X", "-o", "SendEnv=LC_Y"]), env=env, capture_output=True, timeout=30)
    assert r.stdout == b"x= y=en_US.UTF-8\n", r.stderr


def test_unknown_identity_is_refused_at_auth(lab, tmp_path):
    make_key(tmp_path / "stranger", "stranger")
    r = lab.ssh("echo hi", key=tmp_path / "stranger")
    assert r.returncode == 255 and b"Permission denied" in r.stderr
    assert cert_ids_seen_by_sshd(lab) == []
    refused = [e for e in audit(lab) if e["event"] == "auth.refused"]
    assert refused and refused[0]["reason"] == "public key not listed for any identity"


@pytest.mark.parametrize("user,reason", [
    ("{login}@elsewhere", "may not reach target 'elsewhere'"),
    ("nobody@lab", "may not log in to 'lab' as 'nobody'"),
    ("a@b@lab", "more than one '@'"),
])
def test_outside_the_grant_is_refused(lab, user, reason):
    r = lab.ssh("echo hi", user=user.format(login=lab.login))
    assert r.returncode == 77
    assert b"sshgate: denied: " in r.stderr and reason.encode() in r.stderr
    assert cert_ids_seen_by_sshd(lab) == []  # nothing reached the target
    assert any(e["event"] == "session.refused" and reason in e["reason"] for e in audit(lab))


def test_bare_target_uses_default_login(lab):
    r = lab.ssh("id -un", user="lab")
    assert r.stdout.decode().strip() == lab.login


def test_target_down(lab):
    r = lab.ssh("echo hi", user=f"{lab.login}@down")
    assert r.returncode == 255
    assert b"sshgate: target 'down'" in r.stderr and b"unreachable" in r.stderr
    assert any(e["event"] == "upstream.failed" for e in audit(lab))


def test_wrong_pinned_host_key_refuses(make_lab, tmp_path):
    lab = make_lab()
    wrong = make_key(tmp_path / "wrong", "wrong")
    import yaml

    pol_path = lab.directory / "gw/policies/example.yaml"
    pol = yaml.safe_load(pol_path.read_text())
    pol["targets"][0]["host_key"] = wrong
    pol_path.write_text(yaml.safe_dump(pol))
    lab.gateway.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 10
    while not any(e["event"] == "policy.reloaded" for e in audit(lab)):
        assert time.monotonic() < deadline, "the policy was not reloaded"
        time.sleep(0.05)
    r = lab.ssh("echo hi")
    assert r.returncode == 255
    assert b"does not match the pinned key" in r.stderr
    assert sessions_started_by_sshd(lab) == 0


def test_certificate_has_one_principal_and_grant_validity(lab):
    lab.ssh("true")
    start = next(e for e in audit(lab) if e["event"] == "session.start")
    assert start["cert_key_id"] == f"sshgate:lab-agent:{start['session']}"
    assert start["cert_valid_before"] - start["cert_valid_after"] == pytest.approx(1800 + 31, 2)
    log = lab.target.log()
    assert f'ID "{start["cert_key_id"]}" (serial {start["cert_serial"]})' in log


def test_session_cut_at_deadline(make_lab):
    lab = make_lab(max_session="3s")
    t = time.monotonic()
    r = lab.ssh("sleep 30; echo finished", timeout=40)
    took = time.monotonic() - t
    assert took < 10 and b"finished" not in r.stdout
    assert b"session deadline reached" in r.stderr
    assert any(e["event"] == "session.deadline" for e in audit(lab))


def test_sigterm_drains_running_sessions(lab):
    p = subprocess.Popen(lab.ssh_argv("sleep 2; echo drained"), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while sessions_started_by_sshd(lab) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    lab.gateway.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    r2 = lab.ssh("echo late")  # no longer accepting
    assert r2.returncode == 255
    out, _ = p.communicate(timeout=20)
    assert out == b"drained\n" and p.returncode == 0
    assert lab.gateway.proc.wait(20) == 0
    events = [e["event"] for e in audit(lab)]
    assert events[-2:] == ["gateway.stop", "audit.head"]  # the log ends signed


def test_audit_lines_carry_the_contract_fields(lab):
    lab.ssh("true")
    deadline = time.monotonic() + 5
    while not any(e["event"] == "session.end" for e in audit(lab)):
        assert time.monotonic() < deadline, "no session.end in the audit log"
        time.sleep(0.05)
    end = next(e for e in audit(lab) if e["event"] == "session.end")
    for field in ("ts", "session", "identity", "client", "target", "login", "cert_key_id",
                  "cert_serial", "prev"):
        assert field in end, field


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
def test_fast_relay_moves_bulk_both_ways_exactly(make_lab, cipher):
    # fast_relay: true replaces asyncssh's packet code on both legs; the real ssh and sshd must
    # see the same bytes as without it
    lab = make_lab(fast_relay=True)
    assert "fast_relay: packet fast path on" in lab.gateway.log()
    data = os.urandom(5 * 1024 * 1024 + 13)
    r = lab.ssh("sha256sum; head -c 3000000 /dev/zero | tr '\\0' x", input=data,
                extra=["-c", cipher])
    assert r.returncode == 0, r.stderr
    assert r.stdout[:64].decode() == hashlib.sha256(data).hexdigest()
    assert r.stdout[r.stdout.index(b"\n") + 1:] == b"x" * 3_000_000
