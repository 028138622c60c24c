"""Hostile agents: user-name tricks, certificates, forwarding, subsystems, huge input."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from .conftest import audit, cert_ids_seen_by_sshd


@pytest.mark.parametrize("user,code", [
    ("a@b@lab", 77), ("@lab", 77), ("x" * 300, 77), ("root@lab\x1b[2J", 77),
    ("root@../../etc", 77), ("root@lab;id", 77),
])
def test_user_name_tricks_are_refused_cleanly(lab, user, code):
    r = lab.ssh("echo hi", user=user)
    assert r.returncode in (code, 255) and r.stdout == b""
    assert cert_ids_seen_by_sshd(lab) == []


def test_port_forwarding_agent_forwarding_and_subsystems_refused(lab):
    r = subprocess.run(lab.ssh_argv(None, extra=["-N", "-o", "ExitOnForwardFailure=yes",
                                                 "-L", "127.0.0.1:0:127.0.0.1:22"]),
                       capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 255
    r = subprocess.run(lab.ssh_argv("netconf", extra=["-s"]), capture_output=True,
                       timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode != 0
    assert any(e["event"] == "channel.refused" and e["subsystem"] == "netconf"
               for e in audit(lab))
    r = lab.ssh("echo $SSH_AUTH_SOCK", extra=["-A"])
    assert r.stdout.strip() == b""


@pytest.mark.parametrize(("flags", "kind"), [
    (["-N", "-L", "127.0.0.1:{port}:127.0.0.1:22"], "port"),
    (["-W", "127.0.0.1:22"], "port"),
    (["-N", "-L", "127.0.0.1:{port}:/run/some.sock"], "unix socket"),
    (["-N", "-R", "127.0.0.1:0:127.0.0.1:22"], "remote port"),
    (["-N", "-D", "127.0.0.1:{port}"], "port"),
])
def test_forwarding_refused_as_administratively_prohibited_and_audited(lab, flags, kind):
    from sshgate.lab import free_port

    port = free_port()
    argv = lab.ssh_argv(None, extra=["-o", "ExitOnForwardFailure=yes",
                                     *[f.format(port=port) for f in flags]])
    # OpenSSH reports a refused channel at INFO ("open failed: ...")
    argv[argv.index("LogLevel=ERROR")] = "LogLevel=INFO"
    if kind == "remote port" or "-W" in flags:
        r = subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    else:
        # a local listener: open it once so that the client asks the gateway for a channel
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                        if "-D" in flags:  # SOCKS5: no auth, then CONNECT 127.0.0.1:22
                            s.sendall(b"\x05\x01\x00")
                            s.recv(2)
                            s.sendall(b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x16")
                        s.settimeout(3)
                        try:
                            s.recv(10)
                        except OSError:
                            pass
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(0.5)
        finally:
            proc.terminate()
            out, err = proc.communicate(timeout=10)
        r = subprocess.CompletedProcess(argv, proc.returncode, out, err)
    refused = [e for e in audit(lab) if e["event"] == "forwarding.refused"]
    assert refused and refused[0]["kind"] == kind, (r.stderr, refused)
    if kind != "remote port":
        assert b"administratively prohibited" in r.stderr
        assert b"sshgate: " in r.stderr and b"forwarding is not allowed" in r.stderr


def test_agent_presenting_a_certificate_is_refused(lab, tmp_path):
    import asyncssh

    from sshgate.certs import load_key, mint

    ca = load_key(lab.directory / "gw/keys/ca")  # even one signed by the gateway's own CA
    cred = mint(ca, "lab-agent", lab.login, "forged", 60)
    key = tmp_path / "k"
    key.write_bytes(cred.key.export_private_key())
    key.chmod(0o600)
    (tmp_path / "k-cert.pub").write_bytes(cred.cert.export_certificate())
    r = lab.ssh("echo hi", key=key, extra=["-o", f"CertificateFile={tmp_path}/k-cert.pub"])
    assert r.returncode == 255 and b"Permission denied" in r.stderr
    assert any(e["event"] == "auth.refused" for e in audit(lab))
    assert asyncssh  # the key types above come from asyncssh


def test_huge_banner_and_garbage_do_not_hurt_the_gateway(lab):
    for payload in (b"SSH-2.0-" + b"A" * 300_000 + b"\r\n", b"\x00\xff" * 50_000,
                    b"GET / HTTP/1.1\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", lab.gateway.port), timeout=5) as s:
            s.sendall(payload)
            s.settimeout(5)
            try:
                while s.recv(65536):
                    pass
            except OSError:
                pass
    assert lab.ssh("echo alive").stdout == b"alive\n"


def test_half_open_connections_are_limited_per_source(make_lab):
    lab = make_lab(approval=None)
    socks = []
    try:
        for _ in range(60):  # default max_connections_per_source is 50
            s = socket.create_connection(("127.0.0.1", lab.gateway.port), timeout=5)
            socks.append(s)
        # the 51st and later are closed by the gateway at once; the others wait for auth
        closed = 0
        for s in socks[50:]:
            s.settimeout(3)
            try:
                while s.recv(65536):
                    pass
                closed += 1
            except OSError:
                pass
        assert closed >= 5
        assert any(e["event"] == "connection.refused" for e in audit(lab))
    finally:
        for s in socks:
            s.close()
    assert lab.ssh("echo alive").stdout == b"alive\n"


def test_wrong_key_for_another_identity(make_lab, tmp_path):
    from sshgate.lab import make_key

    other_pub = make_key(tmp_path / "other", "other")
    lab = make_lab(extra={"identities": [{"name": "other-bot", "keys": [other_pub]}]})
    r = lab.ssh("echo hi", key=tmp_path / "other")
    assert r.returncode == 77 and b"identity 'other-bot' has no grant" in r.stderr
