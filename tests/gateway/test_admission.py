"""Handshake admission (gateway/admission.py) on a real socket on 127.0.0.1: at most
max_startups handshakes at once, the rest in arrival order, a clean SSH disconnect with the
reason when the queue or the wait runs out (asyncssh client: unit level; OpenSSH's client is
tests/integration/test_admission.py)."""

from __future__ import annotations

import asyncio
import struct

import asyncssh
import pytest

from sshgate.gateway.admission import Admission, disconnect_packet


def parse_disconnect(data: bytes) -> tuple[int, str]:
    """(reason code, description) of one unencrypted SSH_MSG_DISCONNECT packet."""
    length, pad = struct.unpack(">IB", data[:5])
    assert (4 + length) % 8 == 0 and pad >= 4, (length, pad)
    assert len(data) == 4 + length
    payload = data[5:4 + length - pad]
    assert payload[0] == 1
    code, n = struct.unpack(">II", payload[1:9])
    text = payload[9:9 + n].decode()
    assert payload[9 + n:] == b"\0\0\0\0"  # empty language tag
    return code, text


@pytest.mark.parametrize("reason", ["", "x", "sshgate: busy", "é" * 40, "r" * 300])
def test_disconnect_packet_is_a_valid_unencrypted_packet(reason):
    assert parse_disconnect(disconnect_packet(reason)) == (12, reason)


class Gate:
    """Handshakes that last until the test releases them, in the order they started."""

    def __init__(self):
        self.started: list[int] = []
        self.release: dict[int, asyncio.Event] = {}
        self.most = 0
        self.admission: Admission | None = None

    async def handshake(self, sock) -> None:
        port = sock.getpeername()[1]
        self.started.append(port)
        assert self.admission is not None
        self.most = max(self.most, self.admission.running)
        self.release[port] = ev = asyncio.Event()
        try:
            await ev.wait()
        finally:
            sock.close()


async def until(cond, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not cond():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, int]:
    r, w = await asyncio.open_connection("127.0.0.1", port)
    return r, w, w.get_extra_info("sockname")[1]


def make(gate: Gate, refusals: list, **kw) -> Admission:
    kw = {"max_startups": 2, "max_waiting": 3, "wait": 5.0, **kw}
    gate.admission = Admission(gate.handshake, version=b"sshgate",
                               refused=lambda peer, why: refusals.append((peer, why)), **kw)
    return gate.admission


def test_at_most_max_startups_at_once_the_rest_in_arrival_order():
    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_waiting=10)
        await adm.listen("127.0.0.1", 0)
        clients = []
        for n in range(1, 7):  # one by one, so that the arrival order is known
            clients.append(await connect(adm.port))
            await until(lambda n=n: len(gate.started) + adm.waiting == n)
        order = [port for *_, port in clients]
        assert gate.started == order[:2] and adm.waiting == 4
        for i in range(6):
            gate.release[order[i]].set()
            await until(lambda i=i: len(gate.started) == min(6, i + 3))
            assert adm.running <= 2
        assert gate.started == order and gate.most == 2 and refusals == []
        await until(lambda: adm.running == 0)
        adm.close()
        await adm.wait_closed()
        for _, w, _ in clients:
            w.close()

    asyncio.run(run())


def test_a_full_queue_and_a_long_wait_are_refused_with_the_reason():
    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=1, max_waiting=1, wait=0.3)
        await adm.listen("127.0.0.1", 0)
        first = await connect(adm.port)
        await until(lambda: adm.running == 1)
        waiting = await connect(adm.port)
        await until(lambda: adm.waiting == 1)
        r, w, port = await connect(adm.port)  # the queue is full: refused at once
        data = await asyncio.wait_for(r.read(), 5)
        assert data.startswith(b"SSH-2.0-sshgate\r\n")
        code, text = parse_disconnect(data[len(b"SSH-2.0-sshgate\r\n"):])
        assert code == 12 and "gateway is busy" in text and "max_startups" in text
        assert refusals[0][0][1] == port
        # the one waiting gets no turn within `wait`: refused, never started
        data = await asyncio.wait_for(waiting[0].read(), 5)
        code, text = parse_disconnect(data[len(b"SSH-2.0-sshgate\r\n"):])
        assert "no turn to set up this connection within 0.3s" in text
        assert gate.started == [first[2]] and len(refusals) == 2
        gate.release[first[2]].set()
        await until(lambda: adm.running == 0)
        # a slot free again: the next one starts at once
        nxt = await connect(adm.port)
        await until(lambda: gate.started[-1] == nxt[2])
        gate.release[nxt[2]].set()
        adm.close()
        await adm.wait_closed()
        for _, wr, _ in (first, waiting, nxt):
            wr.close()
        w.close()

    asyncio.run(run())


def test_asyncssh_client_sees_the_reason():
    """An SSH client (asyncssh here) reads the refusal as a disconnect with its reason."""

    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=1, max_waiting=0)
        await adm.listen("127.0.0.1", 0)
        holder = await connect(adm.port)
        await until(lambda: adm.running == 1)
        with pytest.raises(asyncssh.DisconnectError) as e:
            await asyncssh.connect("127.0.0.1", adm.port, known_hosts=None,
                                   username="x", client_keys=None, connect_timeout=10)
        assert e.value.code == asyncssh.DISC_TOO_MANY_CONNECTIONS
        assert "gateway is busy" in e.value.reason
        gate.release[holder[2]].set()
        adm.close()
        await adm.wait_closed()
        holder[1].close()

    asyncio.run(run())


def test_closing_refuses_those_still_waiting():
    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=1)
        await adm.listen("127.0.0.1", 0)
        holder = await connect(adm.port)
        await until(lambda: adm.running == 1)
        r, w, _ = await connect(adm.port)
        await until(lambda: adm.waiting == 1)
        adm.close()
        await adm.wait_closed()
        data = await asyncio.wait_for(r.read(), 5)
        assert "the gateway is stopping" in parse_disconnect(data[17:])[1]
        with pytest.raises(OSError):
            await asyncio.open_connection("127.0.0.1", adm.port)
        gate.release[holder[2]].set()
        for wr in (holder[1], w):
            wr.close()

    asyncio.run(run())


def test_a_client_that_hung_up_while_waiting_does_not_take_a_turn():
    """Red team s9b G4: a connection closed while it waited is dropped when its turn comes,
    and the next one starts instead."""
    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=1, max_waiting=10)
        await adm.listen("127.0.0.1", 0)
        first = await connect(adm.port)
        await until(lambda: len(gate.started) == 1)
        gone = await connect(adm.port)
        await until(lambda: adm.waiting == 1)
        alive = await connect(adm.port)
        await until(lambda: adm.waiting == 2)
        gone[1].close()
        await asyncio.sleep(0.05)
        gate.release[first[2]].set()
        await until(lambda: len(gate.started) == 2)
        assert gate.started == [first[2], alive[2]] and adm.waiting == 0
        gate.release[alive[2]].set()
        await until(lambda: adm.running == 0)
        adm.close()
        for _, w, _ in (first, alive):
            w.close()

    asyncio.run(run())


def test_an_address_family_the_host_lacks_is_skipped(monkeypatch):
    """Red team s9b G3: a host with IPv6 off still resolves '::'; the gateway listens on what
    it can (as asyncio's servers do) and fails only when it can listen on nothing."""
    import errno
    import socket as socket_mod

    real = socket_mod.socket

    def no_ipv6(family=socket_mod.AF_INET, *a, **kw):
        if family == socket_mod.AF_INET6:
            raise OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol")
        return real(family, *a, **kw)

    async def both(host, port, **kw):  # "localhost" as a dual-stack host resolves it
        return [(socket_mod.AF_INET6, socket_mod.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket_mod.AF_INET, socket_mod.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals)
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", both)
        monkeypatch.setattr(socket_mod, "socket", no_ipv6)
        await adm.listen("localhost", 0)
        monkeypatch.setattr(socket_mod, "socket", real)
        assert adm.port > 0 and all(s.family == socket_mod.AF_INET for s in adm._socks)
        adm.close()
        only6 = make(Gate(), [])

        async def v6(host, port, **kw):
            return (await both(host, port))[:1]

        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", v6)
        monkeypatch.setattr(socket_mod, "socket", no_ipv6)
        with pytest.raises(OSError):
            await only6.listen("::1", 0)
        monkeypatch.setattr(socket_mod, "socket", real)

    asyncio.run(run())


@pytest.mark.parametrize("ip,source", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("fe80::1%eth0", "fe80::/64"),
    ("not an address", "not an address"),
])
def test_a_source_is_an_ipv4_address_or_an_ipv6_64(ip, source):
    """Red team s9b G1: one IPv6 host has a /64; counting addresses gave it 2^64 sources."""
    from sshgate.gateway.admission import source_of
    assert source_of(ip) == source


async def connect_from(local: str, port: int):
    r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
    return r, w, w.get_extra_info("sockname")[1]


def test_idle_sockets_of_one_source_give_way_to_another_source():
    """Red team s9b G1: idle connections from one address held every handshake slot until
    login_timeout, and every other client was refused. Over its share (per_source), a
    source's oldest handshake is ended once it has lasted PREEMPT_AGE of the wait while
    another source waits; the freed slot goes to the source below its share."""
    from sshgate.gateway.admission import PREEMPT_AGE

    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=2, per_source=1, wait=0.5, max_waiting=10)
        await adm.listen("127.0.0.1", 0)
        idle = [await connect_from("127.0.0.1", adm.port) for _ in range(2)]
        await until(lambda: adm.running == 2)
        # alone, the source may use every slot: a third of its own waits, and is refused
        # when its wait runs out (no handshake is ended for it)
        own = await connect_from("127.0.0.1", adm.port)
        await until(lambda: adm.waiting == 1)
        data = await asyncio.wait_for(own[0].read(), 5)
        assert "no turn" in parse_disconnect(data[17:])[1]
        assert len(gate.started) == 2 and len(refusals) == 1
        t0 = asyncio.get_running_loop().time()
        other = await connect_from("127.0.0.2", adm.port)
        await until(lambda: other[2] in gate.started)
        assert asyncio.get_running_loop().time() - t0 < 0.5  # within its wait
        ended = [why for peer, why in refusals[1:]]
        assert len(ended) == 1 and "127.0.0.1 holds 2 of 2 slots" in ended[0], ended
        assert refusals[1][0][1] == idle[0][2]  # the oldest one
        assert gate.started == [idle[0][2], idle[1][2], other[2]]
        assert await asyncio.wait_for(idle[0][0].read(), 5) == b""  # its socket closed
        assert adm.running == 2 and PREEMPT_AGE < 1
        for p in (idle[1][2], other[2]):
            gate.release[p].set()
        await until(lambda: adm.running == 0)
        adm.close()
        for _, w, _ in (*idle, own, other):
            w.close()

    asyncio.run(run())


def test_a_free_slot_goes_first_to_a_source_below_its_share():
    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=2, per_source=1, wait=5.0, max_waiting=10)
        await adm.listen("127.0.0.1", 0)
        held = [await connect_from("127.0.0.1", adm.port) for _ in range(2)]
        await until(lambda: adm.running == 2)
        later_same = await connect_from("127.0.0.1", adm.port)
        await until(lambda: adm.waiting == 1)
        other = await connect_from("127.0.0.3", adm.port)
        await until(lambda: adm.waiting == 2)
        gate.release[held[0][2]].set()
        await until(lambda: len(gate.started) == 3)
        assert gate.started[-1] == other[2]  # it came later, but its source had no slot
        gate.release[held[1][2]].set()
        await until(lambda: len(gate.started) == 4)
        assert gate.started[-1] == later_same[2] and refusals == []
        for p in gate.started[2:]:
            gate.release[p].set()
        await until(lambda: adm.running == 0)
        adm.close()
        for _, w, _ in (*held, later_same, other):
            w.close()

    asyncio.run(run())


def test_one_source_has_at_most_max_per_source_connections_in_any_state():
    """Waiting connections count too: one address could fill the whole queue."""
    async def run():
        gate, refusals = Gate(), []
        counted = {"127.0.0.1": 0}
        adm = make(gate, refusals, max_startups=1, max_waiting=10, max_per_source=3,
                   established=lambda src: counted.get(src, 0))
        await adm.listen("127.0.0.1", 0)
        first = await connect_from("127.0.0.1", adm.port)
        await until(lambda: adm.running == 1)
        counted["127.0.0.1"] = 1  # as the gateway counts a connection in its handshake
        queued = [await connect_from("127.0.0.1", adm.port) for _ in range(2)]
        await until(lambda: adm.waiting == 2)
        r, w, port = await connect_from("127.0.0.1", adm.port)
        data = await asyncio.wait_for(r.read(), 5)
        code, text = parse_disconnect(data[17:])
        assert "too many connections from 127.0.0.1" in text and \
            "max_connections_per_source 3" in text
        # another source is not affected
        other = await connect_from("127.0.0.4", adm.port)
        await until(lambda: adm.waiting == 3)
        assert [p for (_, p), _ in refusals] == [port]
        adm.close()
        gate.release[first[2]].set()
        for _, wr, _ in (first, *queued, other):
            wr.close()
        w.close()

    asyncio.run(run())


def test_a_young_handshake_is_ended_only_once_it_has_lasted_its_share_of_the_wait():
    """A legitimate handshake in progress is not cut the moment someone else arrives: only
    after PREEMPT_AGE of the wait (idle sockets are the oldest), and still within the
    newcomer's own wait."""
    from sshgate.gateway.admission import PREEMPT_AGE

    async def run():
        gate, refusals = Gate(), []
        adm = make(gate, refusals, max_startups=2, per_source=1, wait=0.5, max_waiting=10)
        await adm.listen("127.0.0.1", 0)
        loop = asyncio.get_running_loop()
        held = [await connect_from("127.0.0.1", adm.port) for _ in range(2)]
        await until(lambda: adm.running == 2)
        t0 = loop.time()
        other = await connect_from("127.0.0.2", adm.port)
        await until(lambda: other[2] in gate.started)
        took = loop.time() - t0
        assert PREEMPT_AGE * 0.5 - 0.1 < took < 0.5, took
        assert len(refusals) == 1 and refusals[0][0][1] == held[0][2]
        for p in (held[1][2], other[2]):
            gate.release[p].set()
        await until(lambda: adm.running == 0)
        adm.close()
        for _, w, _ in (*held, other):
            w.close()

    asyncio.run(run())
