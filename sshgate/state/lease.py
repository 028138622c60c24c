"""This replica's lease in the fleet database: its heartbeat, renewed every
``heartbeat_interval`` from a thread of its own with a connection of its own, for as long as
the gateway's event loop shows it is alive.

Why a thread: the other replicas call this one lost when its heartbeat is older than
``heartbeat_timeout``. Written from the event loop, a heartbeat waited behind whatever that
loop had to do; a burst of SSH handshakes (CPU work on the loop) delayed it past the
timeout, and the replica, alive and with its database up, was called lost and ended its
sessions. Why the loop must still tick: a replica whose loop is stuck cannot act on a kill
or a lock, so its lease is not renewed while the loop has not run for half the timeout; the
others then call it lost, as they should."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable

import asyncpg

log = logging.getLogger("sshgate.fleet")

#: how often the event loop says it runs (and how its lag is measured)
TICK = 0.1
#: a lag over this is logged (at most once per LAG_REPORT_EVERY seconds)
LAG_WARNING = 1.0
LAG_REPORT_EVERY = 10.0
_DOWN = (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Lease:
    """The heartbeat of replica ``replica`` (this process's ``incarnation``), kept from a
    thread. ``expired`` is called on the event loop once the lease has not been renewed for
    ``timeout`` seconds: the others may call this replica lost from then on."""

    def __init__(self, url: str, replica: str, incarnation: str, *, interval: float,
                 timeout: float, call_timeout: float, expired: Callable[[], None]):
        self.url = url
        self.replica = replica
        self.incarnation = incarnation
        self.interval = interval
        self.timeout = timeout
        self.call_timeout = call_timeout
        self.expired = expired
        #: when the last renewal that the database took was sent (time.monotonic)
        self.renewed = time.monotonic()
        #: the last renewal attempt got an answer from the database
        self.answering = True
        #: when the event loop last ran (time.monotonic), and its worst lag since reported
        self.loop_seen = time.monotonic()
        self.max_lag = 0.0
        self._reported = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tick: asyncio.TimerHandle | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._expired_told = False

    # -- on the event loop -------------------------------------------------------------------
    def start(self) -> None:
        """Start ticking on the running loop and renewing from the lease thread."""
        self._loop = asyncio.get_running_loop()
        self.loop_seen = time.monotonic()
        self._schedule()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._thread_main, args=(ready,),
                                        name=f"sshgate-lease-{self.replica}", daemon=True)
        self._thread.start()
        ready.wait(5)

    def renewed_now(self, sent: float) -> None:
        """A heartbeat sent at ``sent`` (time.monotonic) was taken by the database (the
        event loop's own beat also renews)."""
        self.renewed = max(self.renewed, sent)
        self._expired_told = False

    def age(self) -> float:
        """Seconds since the last renewal the database took was sent."""
        return time.monotonic() - self.renewed

    def database_answers(self) -> bool:
        """The lease connection got an answer within its last round: a call on the event
        loop that timed out meanwhile waited on the loop, not on the database."""
        return self.answering and self.age() < self.interval + self.call_timeout

    async def stop(self) -> None:
        if self._tick is not None:
            self._tick.cancel()
        if self._thread_loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):  # its loop has ended already
                self._thread_loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, self._thread.join, self.call_timeout + 1)

    def _schedule(self) -> None:
        assert self._loop is not None
        self._tick = self._loop.call_later(TICK, self._ticked, time.monotonic() + TICK)

    def _ticked(self, due: float) -> None:
        now = time.monotonic()
        self.loop_seen = now
        lag = now - due
        self.max_lag = max(self.max_lag, lag)
        if self.max_lag >= LAG_WARNING and now - self._reported >= LAG_REPORT_EVERY:
            log.warning("fleet: the event loop lagged %.1fs (busy: handshakes, relays); the "
                        "lease is renewed from its own thread", self.max_lag)
            self._reported, self.max_lag = now, 0.0
        self._schedule()

    def _tell_expired(self) -> None:
        # renewed meanwhile (the event loop's own beat): the beat also finds out whether
        # the others called this replica lost in between
        if not self._expired_told and self.age() >= self.timeout:
            self._expired_told = True
            self.expired()

    # -- on the lease thread -------------------------------------------------------------------
    def _thread_main(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._thread_loop = loop
        self._stop = asyncio.Event()
        ready.set()
        try:
            loop.run_until_complete(self._renew_loop())
        finally:
            loop.close()

    async def _renew_loop(self) -> None:
        assert self._stop is not None
        conn: asyncpg.Connection | None = None
        stalled = False
        try:
            while not self._stop.is_set():
                if self._loop is None or self._loop.is_closed():
                    return  # the gateway's loop is gone without stopping the lease
                started = time.monotonic()
                quiet = started - self.loop_seen
                if quiet >= self.timeout / 2:
                    if not stalled:
                        log.error("fleet: the event loop has not run for %.1fs: the lease is "
                                  "not renewed (the others call this replica lost after "
                                  "heartbeat_timeout)", quiet)
                    stalled = True
                else:
                    stalled = False
                    conn = await self._renew(conn, started)
                if self.age() >= self.timeout and self._loop is not None:
                    with contextlib.suppress(RuntimeError):  # the event loop has closed
                        self._loop.call_soon_threadsafe(self._tell_expired)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stop.wait(),
                                           max(0.0, started + self.interval - time.monotonic()))
        finally:
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)

    async def _renew(self, conn: asyncpg.Connection | None,
                     started: float) -> asyncpg.Connection | None:
        try:
            if conn is None or conn.is_closed():
                conn = await asyncpg.connect(
                    self.url, timeout=self.call_timeout,
                    server_settings={"application_name": f"sshgate:{self.replica}:lease"})
            took = await conn.fetchval(
                "UPDATE replicas SET heartbeat = now() WHERE id = $1 AND incarnation = $2 "
                "AND state = 'up' RETURNING true", self.replica, self.incarnation,
                timeout=self.call_timeout)
        except _DOWN as e:
            if self.answering:
                log.warning("fleet: the lease could not be renewed: %s", e or type(e).__name__)
            self.answering = False
            if conn is not None:
                conn.terminate()
            return None
        self.answering = True
        if took:  # else the others called this replica lost: the event loop's beat fences
            self.renewed_now(started)
        return conn
