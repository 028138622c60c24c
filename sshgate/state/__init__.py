"""State that several gateways must share, behind small interfaces.

``local.py`` is the embedded default (files in ``state_dir``, the in-process broker: one
gateway, no database); ``postgres.py`` shares it between replicas through PostgreSQL
(``database:`` in sshgate.yaml). Each replica keeps its in-process services
(:mod:`sshgate.approvals.control`, :mod:`sshgate.approvals.live`) as the working copy of what
it holds itself; the shared store arbitrates between replicas and carries what one replica
asks of another (a decision, a kill, a lock)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..approvals.broker import Request, Verdict
from ..approvals.oversight import LiveSession, Lock, Locks


class StateUnavailable(Exception):
    """The shared store cannot be reached: callers refuse (fail closed)."""


class SharedRequests(Protocol):
    """Pending requests and their one-shot decisions, across replicas."""

    async def file(self, req: Request) -> None:
        """Make a request held on this replica visible to every replica."""

    async def decide(self, id_or_prefix: str, reviewer: str, approve: bool,
                     reason: str | None, now: float,
                     may_decide: Callable[[str, Request], str | None]) -> Verdict | None:
        """First valid answer wins, whichever replica it came through; None: no such id."""

    async def settle(self, req: Request) -> None:
        """The final state this replica reached by itself (timed out, withdrawn)."""

    async def pending(self) -> list[Request]:
        """Every replica's pending requests, oldest first."""


class SessionRegistry(Protocol):
    """Running sessions of every replica, each with its replica's id."""

    async def started(self, session: LiveSession) -> None: ...

    async def ended(self, session_id: str, reason: str) -> None: ...

    async def listing(self) -> list[dict[str, Any]]:
        """Running sessions of the live replicas (``replica`` names the one that holds it)."""

    async def kill(self, id_or_prefix: str, reviewer: str, reason: str) -> dict[str, Any] | None:
        """Ask the replica holding the session to end it; None: no such running session."""


class LockStore(Protocol):
    """Identity locks, in force on every replica."""

    def load(self) -> Locks: ...

    async def lock(self, lock: Lock) -> None: ...

    async def unlock(self, identity: str) -> None: ...


class AuditSink(Protocol):
    """Where each replica's audit chain is kept (line for line, signed heads included)."""

    async def sync(self, path: Path) -> int:
        """Copy the lines of ``path`` not yet in the sink; returns how many."""


class RecordingIndex(Protocol):
    """Which recordings exist, where, and their seals: one row per recording, written by
    the replica that records it as it is opened (``live``), sealed, and uploaded; read by
    ``recordings list/show/verify/export`` and ``replay`` on any machine
    (:func:`sshgate.state.postgres.read_index`)."""

    def index_recording(self, rid: str, fields: dict[str, Any]) -> None:
        """What is known now of ``rid`` (merged; written in order, later if need be)."""
