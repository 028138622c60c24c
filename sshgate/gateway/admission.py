"""Handshake admission, as OpenSSH's ``MaxStartups``: at most ``max_startups`` connections
between accept and authentication at once; later ones wait their turn in arrival order, for
at most ``wait`` seconds, and are refused with an SSH disconnect that says why when the wait
or the queue runs out.

Why: key exchange and authentication are CPU work on the gateway's one event loop. A hundred
clients connecting at once each get a share of it in every loop iteration, so every other
callback (relays, the fleet database's answers) waits behind all of them, for seconds on a
busy machine; in a fleet that read as an unreachable database and ended running sessions. A
connection waiting here costs a socket and nothing else: the SSH protocol starts (asyncssh's
``run_server`` on the accepted socket) only when it is its turn."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import itertools
import logging
import os
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("sshgate.admission")

#: RFC 4253 section 11.1: SSH_MSG_DISCONNECT, reason SSH_DISCONNECT_TOO_MANY_CONNECTIONS
MSG_DISCONNECT, TOO_MANY_CONNECTIONS = 1, 12
#: how long a refused client gets to read the reason before its socket is closed
REFUSE_LINGER = 2.0


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
    timer: asyncio.TimerHandle | None = None


class Admission:
    """The gateway's listening socket with handshake admission. ``handshake(sock)`` runs one
    connection's SSH handshake up to authentication; ``refused(peer, reason)`` is told of
    every refusal (the audit line)."""

    def __init__(self, handshake: Callable[[socket.socket], Awaitable[object]], *,
                 max_startups: int, max_waiting: int, wait: float, version: bytes,
                 refused: Callable[[tuple[str, int], str], None]):
        self.handshake = handshake
        self.max_startups = max(1, max_startups)
        self.max_waiting = max(0, max_waiting)
        self.wait = wait
        self.version = version
        self.refused = refused
        #: handshakes in progress now
        self.running = 0
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
        if self.running < self.max_startups and not self._waiting:
            self._start(sock)
        elif len(self._waiting) >= self.max_waiting:
            self._refuse(sock, peer, f"sshgate: the gateway is busy: {self.running} "
                                     f"connections are being set up and {len(self._waiting)} "
                                     "wait (max_startups); try again")
        else:
            key = next(self._ids)
            entry = _Waiting(sock, peer, time.monotonic())
            entry.timer = asyncio.get_running_loop().call_later(
                self.wait, self._refuse_waiting, key,
                f"sshgate: the gateway is busy: no turn to set up this connection within "
                f"{self.wait:g}s (max_startups {self.max_startups}); try again")
            self._waiting[key] = entry

    def _start(self, sock: socket.socket) -> None:
        self.running += 1
        task = asyncio.get_running_loop().create_task(self._run(sock))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, sock: socket.socket) -> None:
        try:
            await self.handshake(sock)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a failed login: asyncssh and the server logged it already
            log.debug("handshake ended: %s", e)
        finally:
            self.running -= 1
            self._next()

    def _next(self) -> None:
        while self._waiting and self.running < self.max_startups:
            key = next(iter(self._waiting))
            entry = self._waiting.pop(key)
            if entry.timer is not None:
                entry.timer.cancel()
            if _hung_up(entry.sock):  # gone while it waited: its turn goes to the next
                entry.sock.close()
                continue
            self._start(entry.sock)

    def _refuse_waiting(self, key: int, reason: str) -> None:
        entry = self._waiting.pop(key, None)
        if entry is not None:
            if entry.timer is not None:
                entry.timer.cancel()
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
