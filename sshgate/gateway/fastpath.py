"""Fewer copies per byte in asyncssh's packet layer, for connections that use AES-GCM or
ChaCha20-Poly1305.

The relay decrypts and re-encrypts every byte, and asyncssh's generic packet code copies a
payload about eight times on the way out and six on the way in, sends an empty
``SSH_MSG_IGNORE`` before every packet (the CBC-mode countermeasure of RFC 4251 9.3.1, which
an AEAD cipher does not need) and re-joins its receive buffer on every socket read. Profiles
of a bulk transfer put most of the gateway's CPU there, not in AES.

:func:`install` replaces a few asyncssh internals with versions that put the same packets on
the wire for these two ciphers (less the empty IGNOREs) and copy less. Everything else falls
through to asyncssh's own code: key exchange, authentication, other ciphers, compression, a
rekey that is due, packet-level debug logging, and on receive any packet but channel data.

It is off unless ``fast_relay: true`` is set in sshgate.yaml. Because these are private
internals, :func:`install` refuses any asyncssh version it was not tested with, and any whose
own AEAD packet code does not seal and open a few probe packets exactly as this module does;
it then logs why once and changes nothing (asyncssh's own code relays, more slowly).
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import struct
import time
from types import SimpleNamespace
from typing import Any

import asyncssh
from asyncssh.channel import SSHChannel
from asyncssh.connection import SSHConnection
from asyncssh.constants import (
    MSG_CHANNEL_DATA,
    MSG_CHANNEL_EOF,
    MSG_CHANNEL_EXTENDED_DATA,
    MSG_CHANNEL_FAILURE,
    MSG_CHANNEL_FIRST,
    MSG_GLOBAL_REQUEST,
    MSG_IGNORE,
    MSG_UNIMPLEMENTED,
)
from asyncssh.encryption import (
    ChachaEncryption,
    GCMEncryption,
    get_encryption,
    get_encryption_params,
)
from asyncssh.logging import SSHLogger
from asyncssh.misc import DisconnectError, ProtocolError
from asyncssh.packet import PacketDecodeError, SSHPacket, String, UInt32
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.ciphers.algorithms import ChaCha20
from cryptography.hazmat.primitives.poly1305 import Poly1305

#: asyncssh releases whose internals the replacements below were read against and tested on.
TESTED_VERSIONS = frozenset({"2.24.1"})

#: The AEAD tag: AES-GCM's and Poly1305's are both 16 bytes.
_TAG = 16
#: ChaCha20's 64-bit block counter (little-endian) at 0, then the 64-bit nonce.
_CTR0 = bytes(8)
#: A packet's sequence number as ChaCha20's nonce.
_SEQ = struct.Struct(">Q")
#: Encrypting one zero block gives keystream block 0, whose first 32 bytes are the
#: Poly1305 key; the payload then continues at block 1.
_POLY_KEY_BLOCK = bytes(64)
_DATA_HEAD = struct.Struct(">BII")
_EXT_DATA_HEAD = struct.Struct(">BIII")
_LENGTH = struct.Struct(">I")
_EMPTY = (String(b""),)
_AEAD = (GCMEncryption, ChachaEncryption)
#: padding length, message type, recipient channel, then the data length (or data type)
_DATA_HEAD_IN = struct.Struct(">BBII")
#: A packet body at least this large is gathered chunk by chunk and joined once.
_GATHER_MIN = 64 * 1024

log = logging.getLogger("sshgate.fastpath")

_installed = False
_refusal_logged = False
_originals: dict[str, Any] = {}
#: asyncssh's own methods, which _data_received recognises as the current receive handler.
_recv_pkthdr = SSHConnection._recv_pkthdr
_recv_packet = SSHConnection._recv_packet


def _aead(cipher: Any) -> AESGCM:
    # asyncssh builds a new AESGCM (and key schedule) per packet; one per key is enough
    aead = cipher.__dict__.get("_sshgate_aead")
    if aead is None:
        aead = cipher._sshgate_aead = AESGCM(cipher._key)
    return aead


def _chacha(key: bytes, nonce: bytes) -> Any:
    """A ChaCha20 keystream from block 0 for one packet (nonce: its sequence number)."""
    return Cipher(ChaCha20(key, _CTR0 + nonce), mode=None).encryptor()


def _send_fast(conn: Any, head: bytes, data: bytes | bytearray | memoryview) -> bool:
    """Send one connection-protocol packet (``head`` starts with its message type) on an
    established AES-GCM or ChaCha20-Poly1305 connection; False (nothing sent) whenever
    asyncssh's own path has to decide something."""
    enc = conn._send_encryption
    kind = type(enc)
    if (kind not in _AEAD or not conn._kex_complete or not conn._auth_complete
            or conn._compressor is not None or conn._transport is None
            or SSHLogger._debug_level >= 3
            or conn._rekey_bytes_sent >= conn._rekey_bytes
            or (conn._rekey_seconds and time.monotonic() >= conn._rekey_time)):
        return False
    cipher = enc._cipher
    n = len(head) + len(data)
    blocksize = conn._send_blocksize
    padlen = -(conn._send_enchdrlen + n) % blocksize
    if padlen < 4:
        padlen += blocksize
    pktlen = 1 + n + padlen
    hdr = pktlen.to_bytes(4, "big")
    out = bytearray(4 + pktlen + _TAG)
    with memoryview(out) as view:
        if kind is GCMEncryption:
            out[:4] = hdr
            plain = b"".join((bytes((padlen,)), head, data, os.urandom(padlen)))
            _aead(cipher).encrypt_into(cipher._iv, plain, hdr, view[4:])
            cipher._update_iv()
        else:
            # chacha20-poly1305@openssh.com (PROTOCOL.chacha20poly1305): the length under
            # the second key; under the first, keystream block 0 is the Poly1305 key and the
            # payload starts at block 1. One keystream serves both; asyncssh makes three.
            nonce = _SEQ.pack(conn._send_seq)
            out[:4] = _chacha(cipher._adkey, nonce).update(hdr)
            stream = _chacha(cipher._key, nonce)
            poly_key = stream.update(_POLY_KEY_BLOCK)[:32]
            pos = 4
            for part in (bytes((padlen,)) + head, data, os.urandom(padlen)):
                stream.update_into(part, view[pos:pos + len(part)])
                pos += len(part)
            view[pos:] = Poly1305.generate_tag(poly_key, view[:pos])
    conn._send_seq = (conn._send_seq + 1) & 0xFFFFFFFF
    conn._rekey_bytes_sent += pktlen
    conn._send(out)
    return True


def _send_packet(self: Any, pkttype: int, *args: bytes, handler: Any = None) -> None:
    """SSHConnection.send_packet without the empty SSH_MSG_IGNORE that asyncssh sends before
    every packet once encrypting: RFC 4251 9.3.1's countermeasure against predictable CBC
    IVs, which AEAD ciphers do not have. Each of those costs a packet and a send() call;
    OpenSSH does not send them."""
    if pkttype == MSG_IGNORE and args == _EMPTY and type(self._send_encryption) in _AEAD:
        return
    # connection-protocol messages (channel control, global requests) of an established
    # connection: asyncssh's path would do nothing but encrypt and send them
    if pkttype >= MSG_GLOBAL_REQUEST and _send_fast(self, bytes((pkttype,)), b"".join(args)):
        return
    _originals["send_packet"](self, pkttype, *args, handler=handler)


def _flush_send_buf(self: Any) -> None:
    """asyncssh's SSHChannel._flush_send_buf, sending data packets through _send_fast."""
    conn = self._conn
    while self._send_buf and self._send_window:
        pktsize = min(self._send_window, self._send_pktsize)
        buf, datatype = self._send_buf[0]
        if len(buf) > pktsize:
            data = buf[:pktsize]
            if type(buf) is memoryview:
                self._send_buf[0] = (buf[pktsize:], datatype)
            else:
                del buf[:pktsize]
        else:
            data = buf
            del self._send_buf[0]
        self._send_buf_len -= len(data)
        self._send_window -= len(data)
        chan = self._send_chan
        if chan is not None:
            head = _DATA_HEAD.pack(MSG_CHANNEL_DATA, chan, len(data)) if datatype is None \
                else _EXT_DATA_HEAD.pack(MSG_CHANNEL_EXTENDED_DATA, chan, datatype, len(data))
            if _send_fast(conn, head, data):
                continue
        if datatype is None:
            self.send_packet(MSG_CHANNEL_DATA, String(data))
        else:
            self.send_packet(MSG_CHANNEL_EXTENDED_DATA, UInt32(datatype), String(data))
    self._pause_resume_writing()
    if not self._send_buf:
        if self._send_state == "eof_pending":
            self.send_packet(MSG_CHANNEL_EOF)
            self._send_state = "eof"
        elif self._send_state == "close_pending":
            self._close_send()


def _write(self: Any, data: Any, datatype: Any = None) -> None:
    """SSHChannel.write for immutable bytes: queued as a memoryview, not copied into a
    bytearray (asyncssh copies so that a caller's later changes cannot leak in; bytes cannot
    change)."""
    if type(data) is not bytes or self._encoding:
        _originals["write"](self, data, datatype)
        return
    if self._send_state != "open":
        raise BrokenPipeError("Channel not open for sending")
    if datatype is not None and datatype not in self._write_datatypes:
        raise OSError("Invalid extended data type")
    if not data:
        return
    self._send_buf.append((memoryview(data), datatype))
    self._send_buf_len += len(data)
    self._flush_send_buf()


def _decrypt_packet(self: Any, seq: int, first: bytes, rest: bytes, header_len: int,
                    mac: bytes) -> bytes | None:
    """GCMEncryption.decrypt_packet with one join instead of two concatenations."""
    cipher = self._cipher
    try:
        plain: bytes | None = _aead(cipher).decrypt(
            cipher._iv, b"".join((first[header_len:], rest, mac)), first[:header_len])
    except InvalidTag:
        plain = None
    cipher._update_iv()
    return plain


def _data_received(self: Any, data: bytes, datatype: Any = None) -> None:
    """SSHConnection.data_received: while a large packet is incomplete, reads are gathered
    and joined once it is whole; whole packets of an established AEAD connection go through
    :func:`_recv_fast`, anything else through asyncssh's own receive handlers."""
    chunks = self.__dict__.get("_sshgate_chunks")
    if chunks is not None:
        chunks.append(data)
        self._sshgate_have += len(data)
        if self._sshgate_have < self._sshgate_need:
            self._reset_keepalive_timer()
            return
        self._sshgate_chunks = None
        self._inpbuf = b"".join(chunks)
    elif self._inpbuf:
        self._inpbuf += data
    else:
        self._inpbuf = data
    self._reset_keepalive_timer()
    try:  # asyncssh's _recv_data, with the fast path tried at every packet boundary
        while self._inpbuf:
            if _fast_receivable(self) and not _recv_fast(self):
                break
            if not self._inpbuf or not self._recv_handler():
                break
    except DisconnectError as exc:
        self._send_disconnect(exc.code, exc.reason, exc.lang)
        self._force_close(exc)
        return
    except Exception:
        self.internal_error()
        return
    _gather_large(self)


def _gather_large(conn: Any) -> None:
    """Set up gathering when the incomplete packet at the front of the buffer is large, so
    that the reads it takes are joined once instead of re-joined on every read."""
    have = len(conn._inpbuf)
    handler = getattr(conn._recv_handler, "__func__", None)
    if handler is _recv_pkthdr and have >= 4 and _fast_receivable(conn):
        need = 4 + (_packet_length(conn, conn._inpbuf, 0) or 0) + _TAG
    elif handler is _recv_packet and conn._recv_encryption:
        need = 4 + conn._pktlen + conn._recv_macsize - conn._recv_blocksize
    else:
        return
    # bounded by the largest packet we accept, whatever a length field claims
    if have < need and _GATHER_MIN <= need <= 4 + conn._max_recv_pktlen + _TAG:
        conn._sshgate_chunks = [conn._inpbuf]
        conn._sshgate_have = have
        conn._sshgate_need = need
        conn._inpbuf = b""


def _fast_receivable(conn: Any) -> bool:
    """At a packet boundary of an established AES-GCM or ChaCha20-Poly1305 connection, with
    nothing for asyncssh's receive path to decide or log."""
    return (getattr(conn._recv_handler, "__func__", None) is _recv_pkthdr
            and type(conn._recv_encryption) in _AEAD and conn._auth_complete
            and conn._decompressor is None and conn._transport is not None
            and SSHLogger._debug_level < 2)


def _recv_fast(conn: Any) -> bool:
    """Decrypt and deliver the whole packets at the front of the buffer, straight from it
    (asyncssh re-slices the rest of the buffer twice per packet and copies each payload four
    times): channel data to the channel, other connection-protocol messages to their
    handlers. Stops at an incomplete packet (False) or at one that asyncssh's own code must
    handle (True): any other message type, a bad tag, a window or channel error.
    Nothing of that packet has been consumed (AES-GCM's IV only advances once a packet is
    delivered; ChaCha20's nonce is the sequence number), so asyncssh decrypts it again and
    decides as it always does.
    """
    buf = conn._inpbuf
    enc = conn._recv_encryption
    cipher = enc._cipher
    gcm = type(enc) is GCMEncryption
    aead = _aead(cipher) if gcm else None
    channels = conn._channels
    maxlen = conn._max_recv_pktlen
    n = len(buf)
    pos = 0
    view = memoryview(buf)
    try:
        while True:
            pktlen = _packet_length(conn, buf, pos)
            if pktlen is None:
                return False
            end = pos + 4 + pktlen + _TAG
            if pktlen > maxlen:
                return True
            if end > n:
                return False
            if aead is not None:
                try:
                    plain = aead.decrypt(cipher._iv, view[pos + 4:end], view[pos:pos + 4])
                except InvalidTag:
                    return True
            else:
                stream = _chacha(cipher._key, _SEQ.pack(conn._recv_seq))
                try:
                    Poly1305.verify_tag(stream.update(_POLY_KEY_BLOCK)[:32],
                                        view[pos:end - _TAG], bytes(view[end - _TAG:end]))
                except InvalidSignature:
                    return True
                plain = stream.update(view[pos + 4:end - _TAG])
            if len(plain) < 14:
                return True
            padlen, pkttype, recv_chan, datalen = _DATA_HEAD_IN.unpack_from(plain)
            if pkttype in (MSG_CHANNEL_DATA, MSG_CHANNEL_EXTENDED_DATA):
                head, datatype = 10, None
                if pkttype == MSG_CHANNEL_EXTENDED_DATA:
                    head, datatype = 14, datalen
                    datalen = _LENGTH.unpack_from(plain, 10)[0]
                handler = channels.get(recv_chan)
                if (handler is None or handler._recv_state != "open" or padlen < 4
                        or head + datalen + padlen != len(plain)
                        or datalen > handler._recv_window
                        or (datatype is not None and datatype not in handler._read_datatypes)):
                    return True
            elif MSG_GLOBAL_REQUEST <= pkttype <= MSG_CHANNEL_FAILURE:
                head = None  # a message for its handler, not data
                handler = channels.get(recv_chan) if pkttype >= MSG_CHANNEL_FIRST else conn
                if (handler is None or not 4 <= padlen <= len(plain) - 2
                        or (handler is not conn and len(plain) - padlen < 6)):
                    return True
            else:
                return True
            # the packet is taken: from here on it is this path's to deliver
            if gcm:
                cipher._update_iv()
            pos = end
            if head is not None:
                conn._recv_seq = (conn._recv_seq + 1) & 0xFFFFFFFF
                conn._auth_final = True
                handler._accept_data(plain[head:head + datalen], datatype)
            elif not _process(conn, handler, pkttype, plain[1:len(plain) - padlen]):
                return False  # an asynchronous handler holds the rest of the buffer
            if conn._inpbuf is not buf or conn._recv_encryption is not enc \
                    or conn._transport is None:
                return False  # the connection closed (or changed) under the delivery
    finally:
        view.release()
        if pos and conn._inpbuf is buf:
            conn._inpbuf = buf[pos:]


def _process(conn: Any, handler: Any, pkttype: int, payload: bytes) -> bool:
    """What asyncssh's _recv_packet does with a decrypted connection-protocol message of an
    established connection: the handler's own code, then the sequence number. False when
    the handler went asynchronous and holds the receive path until it is done."""
    seq = conn._recv_seq
    packet = SSHPacket(payload)
    packet.get_byte()
    if handler is not conn:
        packet.get_uint32()
    try:
        result = handler.process_packet(pkttype, seq, packet)
    except PacketDecodeError as exc:
        raise ProtocolError(str(exc)) from None
    if inspect.isawaitable(result):
        conn._recv_handler = lambda: False
        task = conn.create_task(result)
        task.add_done_callback(functools.partial(conn._finish_recv_packet, pkttype, seq,
                                                 is_async=True))
        return False
    if not result:
        conn.logger.debug1("Unknown packet type %d received", pkttype)
        conn.send_packet(MSG_UNIMPLEMENTED, UInt32(seq))
    conn._finish_recv_packet(pkttype, seq)
    return True


def _packet_length(conn: Any, buf: bytes, pos: int) -> int | None:
    """The length field of the packet at ``pos`` (None: fewer than 4 bytes there): in the
    clear for AES-GCM, under the second key for ChaCha20-Poly1305."""
    if len(buf) - pos < 4:
        return None
    enc = conn._recv_encryption
    if type(enc) is GCMEncryption:
        return _LENGTH.unpack_from(buf, pos)[0]
    head = _chacha(enc._cipher._adkey, _SEQ.pack(conn._recv_seq)).update(buf[pos:pos + 4])
    return _LENGTH.unpack(head)[0]


#: What the fast path needs of asyncssh beyond the methods it replaces.
_NEEDED = [(SSHChannel, "_flush_send_buf"), (SSHChannel, "_pause_resume_writing"),
           (SSHChannel, "_close_send"),
           (SSHChannel, "_write_datatypes"), (SSHConnection, "data_received"),
           (SSHConnection, "_recv_data"), (SSHConnection, "_reset_keepalive_timer"),
           (SSHConnection, "_send"), (GCMEncryption, "decrypt_packet"),
           (AESGCM, "encrypt_into"), (SSHChannel, "_accept_data"),
           (SSHConnection, "_recv_pkthdr"), (SSHConnection, "_send_disconnect"),
           (SSHConnection, "_force_close"), (SSHConnection, "internal_error")]
#: The ciphers the behaviour probe puts through both asyncssh's packet code and this module's.
_PROBED = (b"aes128-gcm@openssh.com", b"aes256-gcm@openssh.com",
           b"chacha20-poly1305@openssh.com")


class _ProbeChannel:
    """An open channel for the probe: records the data it is handed."""

    _recv_state = "open"
    _recv_window = 1 << 20
    _read_datatypes = frozenset({1})

    def __init__(self) -> None:
        self.got: list[bytes] = []

    def _accept_data(self, data: bytes, datatype: Any = None) -> None:
        self.got.append(bytes(data))


def _probe(alg: bytes) -> str | None:
    """Seal three channel-data packets with this module and check that asyncssh's own cipher
    code opens them and seals the same plaintext into the same bytes, then open them with this
    module's receive path; the sequence number wraps on the way. None when all agree."""
    keysize, ivsize, blocksize, _, _, _ = get_encryption_params(alg, alg)
    key, iv = bytes(range(7, 7 + keysize)), bytes(range(1, 1 + ivsize))
    theirs_open, theirs_seal = get_encryption(alg, key, iv), get_encryption(alg, key, iv)
    chan = _ProbeChannel()
    sent: list[bytes] = []
    start = 0xFFFFFFFE
    conn = SimpleNamespace(
        _send_encryption=get_encryption(alg, key, iv),
        _recv_encryption=get_encryption(alg, key, iv),
        _kex_complete=True, _auth_complete=True, _compressor=None, _transport=True,
        _rekey_bytes_sent=0, _rekey_bytes=1 << 40, _rekey_seconds=0, _send_seq=start,
        _recv_seq=start, _send_blocksize=max(8, blocksize), _send_enchdrlen=5,
        _send=lambda data: sent.append(bytes(data)), _channels={0: chan}, _inpbuf=b"",
        _max_recv_pktlen=1 << 20, _auth_final=False)
    payloads = [b"p", b"probe" * 40, bytes(range(256)) * 5]
    seq = start
    for payload in payloads:
        head = _DATA_HEAD.pack(MSG_CHANNEL_DATA, 0, len(payload))
        if not _send_fast(conn, head, payload):
            return "a probe packet was not taken"
        wire = sent[-1]
        block = conn._send_blocksize
        first, hdr = theirs_open.decrypt_header(seq, wire[:block], 4)
        plain = theirs_open.decrypt_packet(seq, first, wire[block:-_TAG], 4, wire[-_TAG:])
        if plain is None or plain[1:1 + len(head) + len(payload)] != head + payload:
            return "asyncssh does not open a packet the fast path sealed"
        body, tag = theirs_seal.encrypt_packet(seq, hdr, plain)
        if body + tag != wire:
            return "asyncssh seals the same packet into different bytes"
        seq = (seq + 1) & 0xFFFFFFFF
    if conn._send_seq != seq:
        return "the send sequence number advances differently"
    conn._inpbuf = b"".join(sent)
    if _recv_fast(conn) or conn._inpbuf or chan.got != payloads or conn._recv_seq != seq:
        return "the fast path does not open what asyncssh sealed"
    if type(theirs_seal) is GCMEncryption and not (
            conn._send_encryption._cipher._iv == theirs_seal._cipher._iv
            == conn._recv_encryption._cipher._iv):
        return "the AES-GCM nonce advances differently"
    return None


def refusal() -> str | None:
    """Why the fast path will not run with the installed asyncssh (None: it will)."""
    if asyncssh.__version__ not in TESTED_VERSIONS:
        return (f"asyncssh {asyncssh.__version__} is not a version it was tested with "
                f"({', '.join(sorted(TESTED_VERSIONS))})")
    missing = [f"{cls.__name__}.{name}" for cls, name in _NEEDED if not hasattr(cls, name)]
    if missing:
        return f"asyncssh lacks {', '.join(missing)}"
    # packet-level debug logging makes the fast path step aside; the probe must not
    level, SSHLogger._debug_level = SSHLogger._debug_level, 0
    try:
        for alg in _PROBED:
            try:
                why = _probe(alg)
            except Exception as exc:  # any surprise in asyncssh's internals: do not install
                why = f"{type(exc).__name__}: {exc}"
            if why is not None:
                return f"{alg.decode()}: {why}"
    finally:
        SSHLogger._debug_level = level
    return None


def install() -> bool:
    """Put the fast paths in place (idempotent). False, changing nothing and logging why
    once, when the installed asyncssh is untested or does not behave as they rely on."""
    global _installed, _refusal_logged
    if _installed:
        return True
    why = refusal()
    if why is not None:
        if not _refusal_logged:
            log.warning("fast_relay: packet fast path not installed (%s); relaying with "
                        "asyncssh's own packet code", why)
            _refusal_logged = True
        return False
    _originals.update(flush=SSHChannel._flush_send_buf, data=SSHConnection.data_received,
                      send_packet=SSHConnection.send_packet,
                      decrypt=GCMEncryption.decrypt_packet, write=SSHChannel.write)
    SSHChannel._flush_send_buf = _flush_send_buf
    SSHChannel.write = _write
    SSHConnection.data_received = _data_received
    SSHConnection.send_packet = _send_packet
    GCMEncryption.decrypt_packet = _decrypt_packet
    _installed = True
    return True


def installed() -> bool:
    """Whether asyncssh's packet code is currently replaced."""
    return _installed


def uninstall() -> None:
    """Restore asyncssh's own code (for comparisons in tests and benchmarks)."""
    global _installed
    if not _installed:
        return
    SSHChannel._flush_send_buf = _originals["flush"]
    SSHChannel.write = _originals["write"]
    SSHConnection.data_received = _originals["data"]
    SSHConnection.send_packet = _originals["send_packet"]
    GCMEncryption.decrypt_packet = _originals["decrypt"]
    _installed = False
