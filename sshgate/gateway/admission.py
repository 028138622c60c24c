"""Handshake admission, as OpenSSH's ``MaxStartups``: at most ``max_startups`` connections
between accept and authentication at once; later ones wait their turn in arrival order, for
at most ``wait`` seconds, and are refused with an SSH disconnect that says why when the wait
or the queue runs out.

Why: key exchange and authentication are CPU work on the gateway's one event loop. A hundred
clients connecting at once each get a share of it in every loop iteration, so every other
callback (relays, the fleet database's answers) waits behind all of them, for seconds on a
busy machine; in a fleet that read as an unreachable database and ended running sessions. A
connection waiting here costs a socket and nothing else: the SSH protocol starts (asyncssh's
``run_server`` on the accepted socket) only when it is its turn.

Per source (an IPv4 address, an IPv6 /64), as OpenSSH's ``PerSourceMaxStartups`` and
``PerSourceNetBlockSize``: a source never has more than ``max_per_source`` connections in any
state (waiting, in a handshake, established); a source may use more than ``per_source``
handshake slots only while no other source waits for one, and the next free slot goes to a
waiting source below its share. Why: otherwise a few idle sockets from one or two addresses,
renewed every ``login_timeout``, hold every slot and lock every agent and reviewer out.
A handshake of a source over its share that has lasted ``PREEMPT_AGE`` of the wait is ended
when another source's connection waits (idle sockets are the oldest)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import itertools
import logging
import os
import socket
import struct
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("sshgate.admission")

#: RFC 4253 section 11.1: SSH_MSG_DISCONNECT, reason SSH_DISCONNECT_TOO_MANY_CONNECTIONS
MSG_DISCONNECT, TOO_MANY_CONNECTIONS = 1, 12
#: how long a refused client gets to read the reason before its socket is closed
REFUSE_LINGER = 2.0
#: share of the wait a handshake of a source over its share may last before another
#: source's waiting connection ends it (below 1: the waiting one gets in before its wait ends)
PREEMPT_AGE = 0.8


def source_of(ip: str) -> str:
    """What a connection from ``ip`` counts against: an IPv4 address, or an IPv6 /64 (a
    single host is routinely given a whole /64, i.e. 2^64 addresses)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return ip
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr)


def disconnect_packet(reason: str) -> bytes:
    """An unencrypted SSH_MSG_DISCONNECT packet (RFC 4253 sections 6 and 11.1), valid
    before key exchange: OpenSSH prints ``Received disconnect from HOST port N:12:
    <reason>`` and exits 255."""
    text = reason.encode("utf-8")
    payload = (bytes([MSG_DISCONNECT]) + struct.pack(">II", TOO_MANY_CONNECTIONS, len(text))
               + text + struct.pack(">I", 0))
    # length field + padding-length byte + payload + padding: a multiple of 8, padding >= 4
    pad = 8 - (5 + len(payload)) % 8
    pad += 8 if pad < 4 else 0
    return struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + os.urandom(pad)


@dataclass
class _Waiting:
    sock: socket.socket
    peer: tuple[str, int]
    since: float
    source: str = ""
    timer: asyncio.TimerHandle | None = None


@dataclass
class _Slot:
    peer: tuple[str, int]
    source: str
    since: float
    ended: bool = False


class Admission:
    """The gateway's listening socket with handshake admission. ``handshake(sock)`` runs one
    connection's SSH handshake up to authentication; ``refused(peer, reason)`` is told of
    every refusal (the audit line)."""

    def __init__(self, handshake: Callable[[socket.socket], Awaitable[object]], *,
                 max_startups: int, max_waiting: int, wait: float, version: bytes,
                 refused: Callable[[tuple[str, int], str], None],
                 per_source: int | None = None, max_per_source: int | None = None,
                 established: Callable[[str], int] = lambda source: 0):
        self.handshake = handshake
        self.max_startups = max(1, max_startups)
        self.max_waiting = max(0, max_waiting)
        self.wait = wait
        self.version = version
        self.refused = refused
        #: handshake slots one source may hold while another source waits
        self.per_source = max(1, per_source) if per_source else self.max_startups
        #: connections one source may have in any state (None: no bound)
        self.max_per_source = max_per_source
        #: a source's connections counted elsewhere (in a handshake or established)
        self.established = established
        #: handshakes in progress now
        self.running = 0
        self._running_by: Counter[str] = Counter()
        self._waiting_by: Counter[str] = Counter()
        self._slots: dict[asyncio.Task[None], _Slot] = {}
        self._waiting: dict[int, _Waiting] = {}
        self._ids = itertools.count()
        self._socks: list[socket.socket] = []
        self._backlog = 1024
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    @property
    def port(self) -> int:
        return self._socks[0].getsockname()[1]

    async def listen(self, host: str, port: int, backlog: int = 1024) -> None:
        """Listen on every address ``host`` names (as asyncio's servers do)."""
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
        try:
            for family, _, _, _, addr in dict.fromkeys((i[0], 0, 0, "", i[4]) for i in infos):
                try:
                    sock = socket.socket(family, socket.SOCK_STREAM)
                except OSError as e:
                    if e.errno != errno.EAFNOSUPPORT:
                        raise
                    # a host with IPv6 switched off still resolves "::" (asyncio skips it)
                    log.info("not listening on %s: %s", addr[0], e.strerror)
                    continue
                self._socks.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                # port 0: every address on the port the first one got
                sock.bind(addr if port or len(self._socks) == 1 else (addr[0], self.port,
                                                                           *addr[2:]))
                sock.listen(backlog)
                sock.setblocking(False)
        except BaseException:
            for sock in self._socks:
                sock.close()
            self._socks = []
            raise
        if not self._socks:
            raise OSError(errno.EAFNOSUPPORT, f"no address family of {host!r} is supported")
        self._backlog = backlog
        for sock in self._socks:
            loop.add_reader(sock, self._accept, sock)

    def close(self) -> None:
        """Stop accepting; connections still waiting are refused (handshakes in progress
        go on, as with any listener that closes)."""
        loop = asyncio.get_running_loop()
        for sock in self._socks:
            loop.remove_reader(sock)
            sock.close()
        for key in list(self._waiting):
            self._refuse_waiting(key, "the gateway is stopping")

    async def wait_closed(self) -> None:
        """Nothing to wait for: the listening sockets are closed by :meth:`close`."""

    def _accept(self, listening: socket.socket) -> None:
        # every connection the kernel holds, at once (as asyncio's servers do): one accept
        # per loop iteration would leave a burst in the kernel's backlog, past the clients'
        # own timeouts, whenever the loop is busy
        for _ in range(self._backlog):
            try:
                sock, addr = listening.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:  # EMFILE and the like: let descriptors free up
                log.warning("accept failed: %s", e)
                loop = asyncio.get_running_loop()
                loop.remove_reader(listening)
                loop.call_later(0.1, self._resume, listening)
                return
            sock.setblocking(False)
            self.admit(sock, (str(addr[0]), int(addr[1])))

    def _resume(self, listening: socket.socket) -> None:
        if listening.fileno() >= 0:
            asyncio.get_running_loop().add_reader(listening, self._accept, listening)

    def admit(self, sock: socket.socket, peer: tuple[str, int]) -> None:
        """Start ``sock``'s handshake now if a slot is free, else queue it or refuse it."""
        source = source_of(peer[0])
        # the gateway counts a connection from its handshake's first callback on
        if self.max_per_source is not None and \
                self._waiting_by[source] + self.established(source) >= self.max_per_source:
            self._refuse(sock, peer, f"sshgate: too many connections from {source} "
                                     f"(max_connections_per_source {self.max_per_source}); "
                                     "try again")
        elif self.running < self.max_startups and not self._waiting:
            self._start(sock, peer, source)
        elif len(self._waiting) >= self.max_waiting:
            self._refuse(sock, peer, f"sshgate: the gateway is busy: {self.running} "
                                     f"connections are being set up and {len(self._waiting)} "
                                     "wait (max_startups); try again")
        else:
            key = next(self._ids)
            entry = _Waiting(sock, peer, time.monotonic(), source)
            entry.timer = asyncio.get_running_loop().call_later(
                self.wait, self._refuse_waiting, key,
                f"sshgate: the gateway is busy: no turn to set up this connection within "
                f"{self.wait:g}s (max_startups {self.max_startups}); try again")
            self._waiting[key] = entry
            self._waiting_by[source] += 1
            if self._running_by[source] < self.per_source:
                self._preempt()

    def _start(self, sock: socket.socket, peer: tuple[str, int], source: str) -> None:
        self.running += 1
        self._running_by[source] += 1
        task = asyncio.get_running_loop().create_task(self._run(sock))
        self._slots[task] = _Slot(peer, source, time.monotonic())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, sock: socket.socket) -> None:
        try:
            await self.handshake(sock)
        except asyncio.CancelledError:
            # ended by _preempt (asyncssh aborts the connection): the slot is freed below
            slot = self._slots.get(asyncio.current_task())  # type: ignore[arg-type]
            if slot is None or not slot.ended:
                raise
        except Exception as e:  # a failed login: asyncssh and the server logged it already
            log.debug("handshake ended: %s", e)
        finally:
            slot = self._slots.pop(asyncio.current_task())  # type: ignore[arg-type]
            self.running -= 1
            self._running_by[slot.source] -= 1
            if self._running_by[slot.source] <= 0:
                del self._running_by[slot.source]
            self._next()

    def _next(self) -> None:
        while self._waiting and self.running < self.max_startups:
            # the first in arrival order whose source is below its share, else the first
            key = next((k for k, e in self._waiting.items()
                        if self._running_by[e.source] < self.per_source),
                       next(iter(self._waiting)))
            entry = self._pop_waiting(key)
            if _hung_up(entry.sock):  # gone while it waited: its turn goes to the next
                entry.sock.close()
                continue
            self._start(entry.sock, entry.peer, entry.source)

    def _preempt(self) -> None:
        """A source below its share waits while every slot is taken: end the oldest
        handshake of the source most over its share once it has lasted PREEMPT_AGE of the
        wait (now, or by a timer when it will have)."""
        if self.running < self.max_startups:
            return
        live = [(t, s) for t, s in self._slots.items() if not s.ended]
        ending = len(self._slots) - len(live)
        if sum(self._running_by[e.source] < self.per_source
               for e in self._waiting.values()) <= ending:
            return  # the handshakes already ended make room for every such waiter
        live_by = Counter(s.source for _, s in live)
        over = [src for src, n in live_by.items() if n > self.per_source]
        if not over:
            return
        worst = max(over, key=lambda src: live_by[src])
        task, slot = min(((t, s) for t, s in live if s.source == worst),
                         key=lambda ts: ts[1].since)
        ripe = slot.since + PREEMPT_AGE * self.wait - time.monotonic()
        if ripe > 0:
            asyncio.get_running_loop().call_later(ripe, self._preempt)
            return
        slot.ended = True
        self.refused(slot.peer, f"sshgate: handshake ended after {PREEMPT_AGE * self.wait:g}s: "
                                f"{worst} holds {live_by[worst]} of "
                                f"{self.max_startups} slots (per_source_max_startups "
                                f"{self.per_source}) while another source waits")
        task.cancel()

    def _pop_waiting(self, key: int) -> _Waiting:
        entry = self._waiting.pop(key)
        if entry.timer is not None:
            entry.timer.cancel()
        self._waiting_by[entry.source] -= 1
        if self._waiting_by[entry.source] <= 0:
            del self._waiting_by[entry.source]
        return entry

    def _refuse_waiting(self, key: int, reason: str) -> None:
        if key in self._waiting:
            entry = self._pop_waiting(key)
            self._refuse(entry.sock, entry.peer, reason)

    def _refuse(self, sock: socket.socket, peer: tuple[str, int], reason: str) -> None:
        self.refused(peer, reason)
        with contextlib.suppress(OSError):
            # a few hundred bytes into an empty send buffer: never blocks
            sock.send(b"SSH-2.0-" + self.version + b"\r\n" + disconnect_packet(reason))
        task = asyncio.get_running_loop().create_task(self._linger(sock))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _linger(sock: socket.socket) -> None:
        """Close after the client had the reason: closing with its version line unread
        would send a reset, which can discard the reason before the client reads it."""
        loop = asyncio.get_running_loop()
        try:
            sock.shutdown(socket.SHUT_WR)
            deadline = loop.time() + REFUSE_LINGER
            while loop.time() < deadline:
                data = await asyncio.wait_for(loop.sock_recv(sock, 4096),
                                              deadline - loop.time())
                if not data:
                    break
        except (TimeoutError, OSError):
            pass
        finally:
            sock.close()


def _hung_up(sock: socket.socket) -> bool:
    """The client closed (or reset) its end: a peek reads end of file or fails."""
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (BlockingIOError, InterruptedError):
        return False  # nothing sent yet, still open
    except OSError:
        return True
