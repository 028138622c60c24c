"""Pending approval requests and their one-shot decisions. Pure: the clock is passed in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ..policy.model import Approver


class State(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    TIMED_OUT = "timed-out"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Request:
    """A command held for a human, bound to one session and the exact command bytes."""

    id: str
    session: str
    identity: str
    target: str
    login: str
    client: str
    command: str
    findings: tuple[dict[str, Any], ...]
    created: float
    expires: float
    context: tuple[dict[str, Any], ...] = ()
    state: State = State.PENDING
    reviewer: str | None = None
    reason: str | None = None
    decided: float | None = None
    consumed: bool = False
    #: the fleet replica whose agent waits (None: one gateway, no fleet)
    replica: str | None = None

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        d = {
            "id": self.id, "session": self.session, "identity": self.identity,
            "target": self.target, "login": self.login, "client": self.client,
            "command": self.command, "findings": list(self.findings),
            "created": self.created, "expires": self.expires, "context": list(self.context),
            "state": self.state.value, "reviewer": self.reviewer, "reason": self.reason,
            "decided": self.decided,
        }
        if self.replica is not None:
            d["replica"] = self.replica
        if now is not None:
            d["waited"] = round(now - self.created, 3)
            d["expires_in"] = round(self.expires - now, 3)
        return d


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer to a decide() call: ``ok`` or why not."""

    ok: bool
    message: str
    request: Request | None = None


@dataclass
class Broker:
    """Keeps pending requests in arrival order; first valid answer wins, everything else is
    refused with a reason. Events for observers accumulate in ``events``."""

    approvers: tuple[Approver, ...] = ()
    requests: dict[str, Request] = field(default_factory=dict)
    events: list[tuple[str, Request]] = field(default_factory=list)
    #: random bytes per request id (a fleet's ids must not collide between replicas)
    id_bytes: int = 4
    #: this gateway's name in a fleet, carried by its requests (None: no fleet)
    replica: str | None = None

    def new_id(self) -> str:
        while True:
            rid = secrets.token_hex(self.id_bytes)
            if rid not in self.requests:
                return rid

    def request(self, *, session: str, identity: str, target: str, login: str, client: str,
                command: str, findings: tuple[dict[str, Any], ...], now: float, timeout: float,
                context: tuple[dict[str, Any], ...] = ()) -> Request:
        req = Request(self.new_id(), session, identity, target, login, client, command,
                      tuple(findings), now, now + timeout, tuple(context),
                      replica=self.replica)
        self.requests[req.id] = req
        self.events.append(("request", req))
        return req

    def pending(self) -> list[Request]:
        """Pending requests, oldest first."""
        return sorted((r for r in self.requests.values() if r.state is State.PENDING),
                      key=lambda r: r.created)

    def find(self, id_or_prefix: str) -> Request | None:
        """A request by id or unique id prefix."""
        if id_or_prefix in self.requests:
            return self.requests[id_or_prefix]
        hits = [r for k, r in self.requests.items() if k.startswith(id_or_prefix)]
        return hits[0] if len(hits) == 1 and id_or_prefix else None

    def may_decide(self, reviewer: str, req: Request) -> str | None:
        """Why ``reviewer`` may not decide ``req``, or None when they may."""
        approver = next((a for a in self.approvers if a.user == reviewer), None)
        if approver is None:
            return f"{reviewer} is not an approver in the policy"
        if approver.identity is not None and approver.identity == req.identity:
            return f"{reviewer} acts as identity {req.identity} and may not approve its requests"
        return None

    def decide(self, id_or_prefix: str, reviewer: str, approve: bool, reason: str | None,
               now: float) -> Verdict:
        req = self.find(id_or_prefix)
        if req is None:
            return Verdict(False, f"no such request {id_or_prefix!r}")
        why_not = self.may_decide(reviewer, req)
        if why_not:
            return Verdict(False, why_not, req)
        if req.state is not State.PENDING:
            by = f" by {req.reviewer}" if req.reviewer else ""
            return Verdict(False, f"request {req.id} is already {req.state.value}{by}", req)
        if now >= req.expires:
            self._finish(req, State.TIMED_OUT, None, "approval timed out", now)
            return Verdict(False, f"request {req.id} timed out", self.requests[req.id])
        state = State.APPROVED if approve else State.DENIED
        reason = reason or ("approved" if approve else "no reason given")
        done = self._finish(req, state, reviewer, reason, now)
        return Verdict(True, f"{state.value} {req.id}", done)

    def expire(self, now: float) -> list[Request]:
        """Time out every pending request whose deadline has passed."""
        return [self._finish(r, State.TIMED_OUT, None, "approval timed out", now)
                for r in self.pending() if now >= r.expires]

    def withdraw(self, request_id: str, reason: str, now: float) -> Request | None:
        req = self.requests.get(request_id)
        if req is None or req.state is not State.PENDING:
            return None
        return self._finish(req, State.WITHDRAWN, None, reason, now)

    def apply(self, decided: Request) -> Request | None:
        """A final state reached elsewhere (a reviewer on another replica), for a request
        still pending here; None if it is not."""
        req = self.requests.get(decided.id)
        if req is None or req.state is not State.PENDING:
            return None
        return self._finish(req, decided.state, decided.reviewer, decided.reason or "",
                            decided.decided or req.created)

    def deny_all(self, reason: str, now: float) -> list[Request]:
        return [self._finish(r, State.DENIED, None, reason, now) for r in self.pending()]

    def consume(self, request_id: str, session: str, command: str) -> bool:
        """Use an approval once, for exactly the session and command it was given for."""
        req = self.requests.get(request_id)
        if (req is None or req.state is not State.APPROVED or req.consumed
                or req.session != session or req.command != command):
            return False
        self.requests[request_id] = replace(req, consumed=True)
        return True

    def forget(self, request_id: str) -> None:
        self.requests.pop(request_id, None)

    def _finish(self, req: Request, state: State, reviewer: str | None, reason: str,
                now: float) -> Request:
        done = replace(req, state=state, reviewer=reviewer, reason=reason, decided=now)
        self.requests[req.id] = done
        self.events.append(("decided", done))
        return done
