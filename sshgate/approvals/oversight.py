"""Live oversight as plain data: the running-session registry and identity locks. Pure: the
clock is passed in; persistence and ending sessions are the caller's (approvals/live.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Lock:
    """An identity that may not connect (and whose sessions were ended) until ``expires``."""

    identity: str
    reviewer: str
    reason: str
    created: float
    expires: float | None = None

    def active(self, now: float) -> bool:
        return self.expires is None or now < self.expires

    def message(self) -> str:
        """What a refused agent sees after ``sshgate: ``."""
        return f"identity '{self.identity}' is locked by {self.reviewer}: {self.reason}"

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {"identity": self.identity, "reviewer": self.reviewer,
                             "reason": self.reason, "created": self.created,
                             "expires": self.expires}
        if now is not None:
            d["expires_in"] = None if self.expires is None else round(self.expires - now, 3)
        return d

    @staticmethod
    def from_json(d: dict[str, Any]) -> Lock:
        expires = d.get("expires")
        return Lock(str(d["identity"]), str(d["reviewer"]), str(d["reason"]),
                    float(d["created"]), None if expires is None else float(expires))


@dataclass
class Locks:
    """At most one lock per identity; a newer lock replaces the older one."""

    locks: dict[str, Lock] = field(default_factory=dict)

    def lock(self, identity: str, reviewer: str, reason: str, now: float,
             duration: float | None = None) -> Lock:
        new = Lock(identity, reviewer, reason, now, None if duration is None else now + duration)
        self.locks[identity] = new
        return new

    def unlock(self, identity: str) -> Lock | None:
        return self.locks.pop(identity, None)

    def active(self, identity: str, now: float) -> Lock | None:
        """The lock that refuses ``identity`` now; an expired one refuses nothing."""
        lk = self.locks.get(identity)
        return lk if lk is not None and lk.active(now) else None

    def expire(self, now: float) -> list[Lock]:
        """Drop and return every lock whose time is up."""
        gone = [lk for lk in self.locks.values() if not lk.active(now)]
        for lk in gone:
            del self.locks[lk.identity]
        return gone

    def listing(self, now: float) -> list[Lock]:
        """Active locks, oldest first."""
        return sorted((lk for lk in self.locks.values() if lk.active(now)),
                      key=lambda lk: lk.created)

    def next_expiry(self) -> float | None:
        return min((lk.expires for lk in self.locks.values() if lk.expires is not None),
                   default=None)

    def to_json(self) -> list[dict[str, Any]]:
        return [lk.to_json() for lk in self.locks.values()]

    @staticmethod
    def from_json(items: list[dict[str, Any]]) -> Locks:
        return Locks({lk.identity: lk for lk in map(Lock.from_json, items)})


@dataclass
class LiveSession:
    """One running agent session. Mutable on purpose: the relay bumps the byte counters."""

    id: str
    identity: str
    target: str
    login: str
    client: str
    started: float
    mode: str = "exec"
    command: str | None = None
    held: int = 0
    bytes_in: int = 0
    bytes_out: int = 0

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "identity": self.identity, "target": self.target,
            "login": self.login, "mode": self.mode, "client": self.client,
            "started": self.started, "state": "held" if self.held else "running",
            "command": self.command, "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
        }
        if now is not None:
            d["age"] = round(now - self.started, 3)
        return d


@dataclass
class Sessions:
    """Running sessions by id (a unique id prefix finds one too)."""

    live: dict[str, LiveSession] = field(default_factory=dict)

    def start(self, session: LiveSession) -> LiveSession:
        self.live[session.id] = session
        return session

    def end(self, session_id: str) -> LiveSession | None:
        return self.live.pop(session_id, None)

    def find(self, id_or_prefix: str) -> LiveSession | None:
        if id_or_prefix in self.live:
            return self.live[id_or_prefix]
        hits = [s for k, s in self.live.items() if id_or_prefix and k.startswith(id_or_prefix)]
        return hits[0] if len(hits) == 1 else None

    def command(self, session_id: str, command: str, mode: str | None = None) -> None:
        s = self.live.get(session_id)
        if s is not None:
            s.command = command
            if mode is not None:
                s.mode = mode

    def hold(self, session_id: str, held: bool) -> None:
        s = self.live.get(session_id)
        if s is not None:
            s.held = max(0, s.held + (1 if held else -1))

    def of_identity(self, identity: str) -> list[LiveSession]:
        return [s for s in self.live.values() if s.identity == identity]

    def listing(self) -> list[LiveSession]:
        """Running sessions, oldest first."""
        return sorted(self.live.values(), key=lambda s: s.started)


def snapshot(sessions: Sessions, now: float) -> list[dict[str, Any]]:
    """The ``sessions list --json`` rows."""
    return [s.to_json(now) for s in sessions.listing()]
