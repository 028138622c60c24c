"""The packet fast path: same bytes delivered as asyncssh's own code, for every cipher, with
compression, across rekeys, with the fast path on and off (asyncssh loopback; against real
OpenSSH see tests/integration/test_gateway.py's fast_relay test; packet for packet against
asyncssh's own code see test_fastpath_differential.py)."""

from __future__ import annotations

import asyncio
import logging
import os

import asyncssh
import pytest
from asyncssh.connection import SSHConnection
from asyncssh.constants import (
    MSG_CHANNEL_DATA,
    MSG_CHANNEL_EOF,
    MSG_GLOBAL_REQUEST,
    MSG_IGNORE,
    MSG_REQUEST_FAILURE,
    MSG_REQUEST_SUCCESS,
)
from asyncssh.crypto.cipher import GCMCipher
from asyncssh.encryption import ChachaEncryption
from asyncssh.packet import UInt32
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.gateway import fastpath

KEY = asyncssh.generate_private_key("ssh-ed25519")
HOST_KEY = asyncssh.generate_private_key("ssh-ed25519")


class _Server(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return key.public_data == KEY.public_data


async def _echo(process: asyncssh.SSHServerProcess) -> None:
    """stdin back on stdout in the chunk sizes the command names, reversed on stderr; with
    ``pause`` first, after 0.2 s of silence."""
    data = await process.stdin.read()
    words = (process.command or "").split()
    if words[:1] == ["pause"]:
        await asyncio.sleep(0.2)
        words = words[1:]
    sizes = [int(s) for s in words] or [len(data) or 1]
    pos = i = 0
    while pos < len(data):
        n = sizes[i % len(sizes)]
        process.stdout.write(data[pos:pos + n])
        pos += n
        i += 1
    process.stderr.write(data[::-1])
    await process.stdout.drain()
    process.exit(0)


async def _roundtrip(payload: bytes, *, cipher: str = "aes128-gcm@openssh.com",
                     compression: str = "none", rekey_bytes: int | None = None,
                     command: str = "", **options) -> asyncssh.SSHCompletedProcess:
    server = await asyncssh.create_server(
        _Server, "127.0.0.1", 0, server_host_keys=[HOST_KEY], process_factory=_echo,
        encoding=None, encryption_algs=[cipher], compression_algs=[compression],
        window=8 * 1024 * 1024, max_pktsize=256 * 1024)
    port = server.sockets[0].getsockname()[1]
    try:
        kw = {"rekey_bytes": rekey_bytes, **options} if rekey_bytes else options
        async with asyncssh.connect("127.0.0.1", port, username="u", client_keys=[KEY],
                                    known_hosts=None, encryption_algs=[cipher],
                                    compression_algs=[compression], config=None,
                                    agent_path=None, **kw) as conn:
            return await asyncio.wait_for(
                conn.run(command, input=payload, encoding=None, check=True), 60)
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture(autouse=True)
def _restore_fastpath():
    """The fast path is process-wide and off by default: each test leaves it as it found it."""
    was = fastpath.installed()
    yield
    fastpath.install() if was else fastpath.uninstall()


@pytest.fixture(params=[True, False], ids=["fast", "asyncssh"])
def fast(request):
    if request.param:
        assert fastpath.install()
    else:
        fastpath.uninstall()
    return request.param


@pytest.fixture
def sent_fast(monkeypatch):
    """How many packets went out through the fast path."""
    count = [0]
    real = fastpath._send_fast

    def counting(conn, head, data):
        ok = real(conn, head, data)
        count[0] += ok
        return ok

    monkeypatch.setattr(fastpath, "_send_fast", counting)
    return count


@pytest.fixture
def received_fast(monkeypatch):
    """How many packets were taken in through the fast path."""
    count = [0]
    real = fastpath._recv_fast

    def counting(conn):
        seq = conn._recv_seq
        try:
            return real(conn)
        finally:
            count[0] += (conn._recv_seq - seq) & 0xFFFFFFFF

    monkeypatch.setattr(fastpath, "_recv_fast", counting)
    return count


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                                    "chacha20-poly1305@openssh.com", "aes128-ctr"])
def test_every_cipher_delivers_the_same_bytes(fast, sent_fast, received_fast, cipher):
    payload = os.urandom(3 * 1024 * 1024 + 17)
    r = asyncio.run(_roundtrip(payload, cipher=cipher))
    assert r.stdout == payload and r.stderr == payload[::-1]
    if fast and cipher != "aes128-ctr":  # the AEAD ciphers
        assert sent_fast[0] > 100 and received_fast[0] > 100
    else:
        assert sent_fast[0] == 0 and received_fast[0] == 0


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
def test_a_tampered_packet_ends_the_connection(fast, received_fast, monkeypatch, cipher):
    # one flipped bit in a data packet: the fast path hands it to asyncssh, which refuses
    # the tag and disconnects; the tampered bytes reach nobody
    real = SSHConnection.data_received
    flipped = []

    def tampering(self, data, datatype=None):
        if self.is_server() and self._auth_complete and len(data) > 4096 and not flipped:
            data = bytearray(data)
            data[len(data) // 2] ^= 0x10
            flipped.append(bytes(data))
            data = bytes(data)
        real(self, data, datatype)

    lost: list[Exception | None] = []
    monkeypatch.setattr(SSHConnection, "data_received", tampering)
    monkeypatch.setattr(_Server, "connection_lost", lambda self, exc: lost.append(exc),
                        raising=False)
    r = asyncio.run(_roundtrip(os.urandom(2 * 1024 * 1024), cipher=cipher))
    assert flipped
    assert isinstance(lost[0], asyncssh.MACError)
    assert r.exit_status is None and r.stdout == b""


def test_compression_falls_back_to_asyncssh(fast, sent_fast):
    payload = os.urandom(256 * 1024) + bytes(1024 * 1024)
    r = asyncio.run(_roundtrip(payload, compression="zlib@openssh.com"))
    assert r.stdout == payload and r.stderr == payload[::-1]
    assert sent_fast[0] == 0


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
def test_rekey_mid_transfer(fast, sent_fast, cipher):
    # a rekey every 512 KB: packets are deferred during each key exchange and the fast path
    # resumes with the new keys
    payload = os.urandom(4 * 1024 * 1024)
    r = asyncio.run(_roundtrip(payload, cipher=cipher, rekey_bytes=512 * 1024))
    assert r.stdout == payload and r.stderr == payload[::-1]
    assert (sent_fast[0] > 0) == fast


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
@settings(max_examples=15, deadline=None)
@given(sizes=st.lists(st.integers(1, 300_000), min_size=1, max_size=6),
       length=st.integers(1, 1_500_000))
def test_any_chunking_round_trips(cipher, sizes, length):
    assert fastpath.install()
    # each chunk the echo writes is a packet (~30 us of CPU): 1.5 MB in 1-byte chunks would be
    # 1.5 M packets and ~45 s; the same chunk sizes repeated at most 8 K times are the same case
    payload = os.urandom(min(length, 8192 * sum(sizes) // len(sizes)))
    r = asyncio.run(_roundtrip(payload, cipher=cipher, command=" ".join(map(str, sizes))))
    assert r.stdout == payload and r.stderr == payload[::-1]


def test_refuses_an_untested_asyncssh_and_says_so_once(monkeypatch, caplog):
    fastpath.uninstall()
    own = (asyncssh.channel.SSHChannel.write, SSHConnection.data_received)
    monkeypatch.setattr(fastpath, "_refusal_logged", False)
    monkeypatch.setattr(asyncssh, "__version__", "99.0.0")
    with caplog.at_level(logging.WARNING, logger="sshgate.fastpath"):
        assert fastpath.install() is False
        assert fastpath.install() is False
    assert not fastpath.installed()
    assert (asyncssh.channel.SSHChannel.write, SSHConnection.data_received) == own
    [record] = caplog.records
    assert "asyncssh 99.0.0 is not a version it was tested with" in record.getMessage()
    assert "asyncssh's own packet code" in record.getMessage()


def _gcm_nonce_advanced_first(self, header: bytes, data: bytes):
    self._update_iv()
    sealed = AESGCM(self._key).encrypt(self._iv, data, header)
    return header + sealed[:-16], sealed[-16:]


def _chacha_nonce_off_by_one(self, seq: int, header: bytes, packet: bytes):
    return self._cipher.encrypt_and_sign(header, packet, (seq + 1).to_bytes(8, "big"))


@pytest.mark.parametrize(("owner", "name", "changed", "cipher"), [
    (GCMCipher, "encrypt_and_sign", _gcm_nonce_advanced_first, "aes128-gcm@openssh.com"),
    (ChachaEncryption, "encrypt_packet", _chacha_nonce_off_by_one,
     "chacha20-poly1305@openssh.com"),
], ids=["gcm-nonce", "chacha-nonce"])
def test_refuses_an_asyncssh_that_behaves_differently_under_a_tested_version(
        monkeypatch, owner, name, changed, cipher):
    # the version string says 2.24.1, but its AEAD packet code no longer does what the fast
    # path reproduces: the probe at install catches it
    fastpath.uninstall()
    monkeypatch.setattr(owner, name, changed)
    why = fastpath.refusal()
    assert why is not None and why.startswith(cipher)
    assert fastpath.install() is False and not fastpath.installed()


def test_the_behaviour_probe_passes_on_the_pinned_asyncssh():
    assert fastpath.refusal() is None


def test_bytearray_writes_are_copied(fast):
    # a caller may reuse its bytearray after write(); the fast path only skips the copy for
    # immutable bytes
    async def run() -> bytes:
        got = bytearray()

        async def handler(process: asyncssh.SSHServerProcess) -> None:
            buf = bytearray(b"a" * 100_000)
            process.stdout.write(buf)
            buf[:] = b"b" * 100_000
            process.stdout.write(bytes(buf))
            await process.stdout.drain()
            process.exit(0)

        server = await asyncssh.create_server(
            _Server, "127.0.0.1", 0, server_host_keys=[HOST_KEY], process_factory=handler,
            encoding=None, encryption_algs=["aes128-gcm@openssh.com"])
        port = server.sockets[0].getsockname()[1]
        try:
            async with asyncssh.connect("127.0.0.1", port, username="u", client_keys=[KEY],
                                        known_hosts=None, config=None, agent_path=None) as c:
                r = await c.run("x", encoding=None)
                got += r.stdout
        finally:
            server.close()
        return bytes(got)

    assert asyncio.run(run()) == b"a" * 100_000 + b"b" * 100_000


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com",
                                    "aes128-ctr"])
def test_no_empty_ignore_before_each_packet_with_an_aead_cipher(fast, cipher, monkeypatch):
    # asyncssh sends an empty SSH_MSG_IGNORE before every encrypted packet (a CBC
    # countermeasure); with AES-GCM or ChaCha20-Poly1305 the fast path leaves it out
    sent: list[int] = []
    real = fastpath._originals.get("send_packet", SSHConnection.send_packet)

    def counting(self, pkttype, *args, handler=None):
        sent.append(pkttype)
        real(self, pkttype, *args, handler=handler)

    monkeypatch.setitem(fastpath._originals, "send_packet", counting)
    if not fast:
        monkeypatch.setattr(SSHConnection, "send_packet", counting)
    payload = os.urandom(100_000)
    r = asyncio.run(_roundtrip(payload, cipher=cipher))
    assert r.stdout == payload
    ignores = sent.count(MSG_IGNORE)
    if fast and cipher != "aes128-ctr":
        assert ignores == 0
    else:
        assert ignores > 10


def _types_through(monkeypatch, owner, name: str, position: int) -> list[int]:
    """The message types (argument ``position``) that ``owner.name`` is called with."""
    seen: list[int] = []
    real = getattr(owner, name)

    def spy(*args):
        seen.append(args[position])
        return real(*args)

    monkeypatch.setattr(owner, name, spy)
    return seen


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
def test_global_requests_mid_transfer(fast, received_fast, cipher, monkeypatch):
    # keepalives (global requests and their replies) between data packets take the same
    # handlers as through asyncssh's own receive path
    seen = _types_through(monkeypatch, SSHConnection, "process_packet", 1)
    fast_types = _types_through(monkeypatch, fastpath, "_process", 2)
    payload = os.urandom(2 * 1024 * 1024)
    r = asyncio.run(_roundtrip(payload, cipher=cipher, command="pause 1000",
                               keepalive_interval=0.01, keepalive_count_max=10_000))
    assert r.stdout == payload and r.stderr == payload[::-1]
    assert MSG_GLOBAL_REQUEST in seen and {MSG_REQUEST_SUCCESS, MSG_REQUEST_FAILURE} & set(seen)
    if fast:  # taken by the fast path's dispatch, not re-decrypted by asyncssh's
        assert MSG_GLOBAL_REQUEST in fast_types and MSG_CHANNEL_EOF in fast_types
    else:
        assert not fast_types


def _why_the_server_hung_up(monkeypatch, cipher: str, misbehave) -> Exception | None:
    """Open a session, let ``misbehave(conn, chan)`` send something, wait until the server
    ends the connection and return why it did."""
    lost: list[Exception | None] = []
    monkeypatch.setattr(_Server, "connection_lost", lambda self, exc: lost.append(exc),
                        raising=False)

    async def run() -> None:
        server = await asyncssh.create_server(
            _Server, "127.0.0.1", 0, server_host_keys=[HOST_KEY], process_factory=_echo,
            encoding=None, encryption_algs=[cipher])
        port = server.sockets[0].getsockname()[1]
        try:
            async with asyncssh.connect("127.0.0.1", port, username="u", client_keys=[KEY],
                                        known_hosts=None, encryption_algs=[cipher],
                                        config=None, agent_path=None) as conn:
                chan, _ = await conn.create_session(asyncssh.SSHClientSession, "",
                                                    encoding=None)
                misbehave(conn, chan)
                await asyncio.wait_for(chan.wait_closed(), 10)
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(run())
    return lost[0]


@pytest.mark.parametrize("cipher", ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"])
@pytest.mark.parametrize("body", [
    UInt32(1000) + b"short",  # a data length beyond the packet
    UInt32(2) + b"abc",  # bytes after the data
    b"\x00\x00",  # no room for the length
], ids=["overlong", "trailing", "truncated"])
def test_a_malformed_data_packet_ends_the_connection(fast, cipher, body, monkeypatch):
    # well encrypted, badly formed: the fast path leaves it to asyncssh, which disconnects
    def send(conn, chan):
        chan.write(b"fine")
        conn.send_packet(MSG_CHANNEL_DATA, UInt32(chan._send_chan), body)

    assert isinstance(_why_the_server_hung_up(monkeypatch, cipher, send), asyncssh.ProtocolError)


def test_a_huge_length_field_ends_the_connection_at_once(fast, monkeypatch):
    # an AES-GCM length field is in the clear: 2 GB claimed must end the connection, not
    # make the receive path wait for (and buffer) 2 GB
    def send(conn, chan):
        conn._send(b"\x7f\xff\xff\xf0" + os.urandom(100_000))

    why = _why_the_server_hung_up(monkeypatch, "aes128-gcm@openssh.com", send)
    assert isinstance(why, asyncssh.ProtocolError) and "Max packet size" in str(why)


def test_the_behaviour_probe_passes_with_packet_debug_logging_on(monkeypatch):
    # at asyncssh debug level 3 the fast path leaves every packet to asyncssh (it logs them);
    # that must not read as a misbehaving asyncssh at install time
    from asyncssh.logging import SSHLogger

    monkeypatch.setattr(SSHLogger, "_debug_level", 3)
    assert fastpath.refusal() is None
    assert SSHLogger._debug_level == 3
