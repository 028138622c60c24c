"""Live oversight service: running sessions, kill, locks (persisted in state_dir) and watchers.
The registry and lock table are plain data (approvals/oversight.py); this is the asyncio glue."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..state.local import LocalLocks, LocksFileError
from .oversight import LiveSession, Lock, Locks, Sessions, snapshot

__all__ = ["LocksFileError", "Oversight", "Watcher"]

log = logging.getLogger("sshgate.oversight")

#: Output a watcher may have waiting before further output is dropped for it (never waited
#: for: the relay does not slow down for a slow viewer).
WATCH_BUFFER = 32 * 1024
#: After a large batch a watcher rests this long: a viewer is a human, and rendering bulk
#: output for them on the relay's event loop must stay a small, bounded share of it
#: (at most WATCH_BUFFER per WATCH_PACE per watcher).
WATCH_PACE = 0.1
MAX_WATCHERS = 64


class Watcher:
    """One live viewer of a session: a bounded buffer the relay appends to and never waits on."""

    __slots__ = ("chunks", "size", "dropped", "ended", "wake")

    def __init__(self) -> None:
        self.chunks: deque[bytes] = deque()
        self.size = 0
        self.dropped = 0
        self.ended: str | None = None
        self.wake = asyncio.Event()

    def feed(self, data: bytes) -> None:
        room = WATCH_BUFFER - self.size
        if len(data) <= room:
            self.chunks.append(data)
            self.size += len(data)
        else:
            if room > 0:
                self.chunks.append(data[:room])
                self.size = WATCH_BUFFER
            self.dropped += len(data) - max(room, 0)
        self.wake.set()

    def end(self, reason: str) -> None:
        self.ended = reason
        self.wake.set()

    async def take(self) -> tuple[bytes, int, str | None]:
        """Everything buffered, the bytes dropped since the last call, and why the session
        ended (None while it runs)."""
        await self.wake.wait()
        self.wake.clear()
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        dropped, self.dropped = self.dropped, 0
        return data, dropped, self.ended if not self.chunks else None


class Oversight:
    """Running sessions, identity locks and watchers for one gateway. ``end_session`` ends a
    running session with a message for its agent (wired by the hooks)."""

    def __init__(self, audit: Callable[..., Any], locks_path: Path | None = None,
                 clock: Callable[[], float] = time.time,
                 end_session: Callable[[str, str, dict[str, Any]], bool] | None = None):
        self.audit = audit
        self.clock = clock
        self.path = locks_path
        self.store = LocalLocks(locks_path)
        self.end_session = end_session or (lambda sid, message, meta: False)
        self.sessions = Sessions()
        self.locks = self._load()
        self.watchers: dict[str, set[Watcher]] = {}
        self._timer: asyncio.TimerHandle | None = None

    # -- persistence ---------------------------------------------------------------------------
    def _load(self) -> Locks:
        return self.store.load()

    def _save(self) -> str:
        """Write the locks; returns a note for the reviewer when that failed (the lock table
        in memory stays in force either way)."""
        try:
            self._write()
        except OSError as e:
            log.error("could not save identity locks to %s: %s", self.path, e)
            self.audit("identity.locks-not-saved", path=str(self.path), error=str(e))
            return f" (warning: not saved to {self.path}: {e.strerror or e})"
        return ""

    def _write(self) -> None:
        self.store.save(self.locks)

    # -- sessions (called by the hooks) ----------------------------------------------------------
    def refusal(self, identity: str) -> str | None:
        lk = self.locks.active(identity, self.clock())
        return lk.message() if lk is not None else None

    def session_ended(self, session_id: str, reason: str) -> None:
        self.sessions.end(session_id)
        for w in self.watchers.pop(session_id, ()):
            w.end(reason)

    def output(self, session_id: str, data: bytes) -> None:
        """The relay's hot path: one dict lookup when nobody watches."""
        ws = self.watchers.get(session_id)
        if ws:
            for w in ws:
                w.feed(data)

    # -- reviewer operations ---------------------------------------------------------------------
    def listing(self) -> list[dict[str, Any]]:
        return snapshot(self.sessions, self.clock())

    def kill(self, reviewer: str, id_or_prefix: str, reason: str) -> dict[str, Any]:
        s = self.sessions.find(id_or_prefix)
        if s is None:
            return _result(False, f"no running session {id_or_prefix!r}")
        if not reason.strip():
            return _result(False, "a reason is required")
        self.audit("session.killed", session=s.id, identity=s.identity, target=s.target,
                   login=s.login, reviewer=reviewer, reason=reason)
        self.end_session(s.id, f"session ended by {reviewer}: {reason}",
                         {"reviewer": reviewer, "reason": reason})
        return _result(True, f"ended session {s.id} ({s.identity} {s.login}@{s.target})")

    def lock(self, reviewer: str, identity: str, reason: str,
             duration: float | None) -> dict[str, Any]:
        if not reason.strip():
            return _result(False, "a reason is required")
        if duration is not None and duration <= 0:
            return _result(False, "the duration must be positive")
        lk = self.locks.lock(identity, reviewer, reason, self.clock(), duration)
        note = self._save()
        ended = self.sessions.of_identity(identity)
        self.audit("identity.locked", identity=identity, reviewer=reviewer, reason=reason,
                   expires=lk.expires, sessions_ended=[s.id for s in ended])
        for s in ended:
            self.end_session(s.id, lk.message(), {"reviewer": reviewer, "reason": reason,
                                                  "lock": True})
        self._arm()
        until = "" if lk.expires is None else f" for {_span(lk.expires - lk.created)}"
        return _result(True, f"locked {identity}{until}; {len(ended)} running session(s) "
                             f"ended{note}", lock=lk.to_json(self.clock()))

    def unlock(self, reviewer: str, identity: str) -> dict[str, Any]:
        lk = self.locks.active(identity, self.clock())
        if lk is None:
            return _result(False, f"identity {identity!r} is not locked")
        self.locks.unlock(identity)
        note = self._save()
        self.audit("identity.unlocked", identity=identity, reviewer=reviewer,
                   locked_by=lk.reviewer, lock_reason=lk.reason)
        return _result(True, f"unlocked {identity}{note}")

    def apply_lock(self, lk: Lock, via: str) -> None:
        """A lock taken through another replica (``via``): in force here too, and this
        replica's sessions of that identity end."""
        if self.locks.locks.get(lk.identity) == lk:
            return  # already in force here
        self.locks.locks[lk.identity] = lk
        self._save()
        ended = self.sessions.of_identity(lk.identity)
        self.audit("identity.locked", identity=lk.identity, reviewer=lk.reviewer,
                   reason=lk.reason, expires=lk.expires, sessions_ended=[s.id for s in ended],
                   via=via)
        for s in ended:
            self.end_session(s.id, lk.message(), {"reviewer": lk.reviewer, "reason": lk.reason,
                                                  "lock": True})
        self._arm()

    def apply_unlock(self, identity: str, reviewer: str, via: str) -> None:
        """An unlock done through another replica."""
        if self.locks.unlock(identity) is not None:
            self._save()
            self.audit("identity.unlocked", identity=identity, reviewer=reviewer, via=via)

    def lock_listing(self) -> list[dict[str, Any]]:
        now = self.clock()
        return [lk.to_json(now) for lk in self.locks.listing(now)]

    def watch(self, id_or_prefix: str) -> tuple[LiveSession, Watcher] | str:
        """A new watcher of a running session, or why not."""
        s = self.sessions.find(id_or_prefix)
        if s is None:
            return f"no running session {id_or_prefix!r}"
        ws = self.watchers.setdefault(s.id, set())
        if len(ws) >= MAX_WATCHERS:
            return f"session {s.id} already has {MAX_WATCHERS} watchers"
        w = Watcher()
        ws.add(w)
        return s, w

    def unwatch(self, session_id: str, w: Watcher) -> None:
        ws = self.watchers.get(session_id)
        if ws is not None:
            ws.discard(w)
            if not ws:
                del self.watchers[session_id]

    # -- lock expiry -----------------------------------------------------------------------------
    def _arm(self) -> None:
        """Wake at the next lock expiry to drop it and say so in the audit log."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        nxt = self.locks.next_expiry()
        if nxt is None:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: expiry checked on use
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(0.0, nxt - self.clock()) + 0.01, self._expire)

    def _expire(self) -> None:
        gone = self.locks.expire(self.clock())
        if gone:
            self._save()
        for lk in gone:
            self.audit("identity.lock-expired", identity=lk.identity, reviewer=lk.reviewer,
                       reason=lk.reason)
        self._arm()

    def start(self) -> None:
        self._expire()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for sid in list(self.watchers):
            for w in self.watchers.pop(sid):
                w.end("the gateway is stopping")


def _result(ok: bool, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "result", "ok": ok, "message": message, **extra}


def _span(seconds: float) -> str:
    seconds = int(round(seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
