"""Handshake admission through the real OpenSSH client (gateway/admission.py): a client
that gets no turn within half of login_timeout is refused with the reason, which ssh prints;
once the slot is free, the next client gets in."""

from __future__ import annotations

import socket
import time

from .conftest import audit


def test_a_client_without_a_turn_is_told_why_and_the_next_one_gets_in(make_lab):
    lab = make_lab(settings={"max_startups": 1, "login_timeout": 8})
    # a connection that never speaks holds the only slot (until login_timeout ends it)
    holder = socket.create_connection(("127.0.0.1", lab.gateway.port))
    try:
        assert holder.recv(64).startswith(b"SSH-2.0-sshgate")  # it has its turn
        started = time.monotonic()
        r = lab.ssh("echo never")
        waited = time.monotonic() - started
        assert r.returncode == 255 and r.stdout == b""
        err = r.stderr.decode()
        assert "Received disconnect from 127.0.0.1" in err, err
        assert ("sshgate: the gateway is busy: no turn to set up this connection within 4s "
                "(max_startups 1); try again") in err, err
        assert 3.5 < waited < 10, waited
    finally:
        holder.close()
    assert lab.ssh("echo in").stdout == b"in\n"
    [refused] = [e for e in audit(lab) if e["event"] == "connection.refused"]
    assert refused["reason"].startswith("the gateway is busy: no turn")
