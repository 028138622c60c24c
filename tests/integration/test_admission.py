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


def test_idle_sockets_from_one_address_do_not_lock_another_source_out(make_lab):
    """Red team s9b G1: idle TCP connections from one address held every handshake slot
    (for login_timeout, renewed at will) and every agent was refused. With
    per_source_max_startups 1 the real ssh client from another address (127.0.0.2) gets in
    within its wait; the oldest idle connection is ended and audited."""
    lab = make_lab(settings={"max_startups": 2, "per_source_max_startups": 1,
                             "login_timeout": 6})
    holders = []
    try:
        for _ in range(2):
            holders.append(socket.create_connection(("127.0.0.1", lab.gateway.port)))
            assert holders[-1].recv(64).startswith(b"SSH-2.0-sshgate")  # holds a slot
        started = time.monotonic()
        r = lab.ssh("echo in", extra=["-b", "127.0.0.2"])
        waited = time.monotonic() - started
        assert r.stdout == b"in\n", r.stderr
        assert waited < 3.0 + 2.5, waited  # at most PREEMPT_AGE of the 3 s wait, then in
    finally:
        for h in holders:
            h.close()
    refused = [e for e in audit(lab) if e["event"] == "connection.refused"]
    assert len(refused) == 1 and "127.0.0.1 holds 2 of 2 slots" in refused[0]["reason"]
    assert "per_source_max_startups 1" in refused[0]["reason"]
