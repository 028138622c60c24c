"""Frozen dataclasses for the policy. Plain data: no I/O, no asyncio."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    """What happens to a command: it runs, waits for a human, or is refused."""

    ALLOW = "allow"
    APPROVE = "approve"
    DENY = "deny"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @staticmethod
    def strictest(actions: list[Action] | tuple[Action, ...]) -> Action:
        """The most restrictive of ``actions`` (``allow`` when empty)."""
        return max(actions, key=lambda a: a.severity, default=Action.ALLOW)


_SEVERITY = {Action.ALLOW: 0, Action.APPROVE: 1, Action.DENY: 2}


@dataclass(frozen=True, slots=True)
class Identity:
    """An agent: a name and the SSH public keys (``type base64``) that prove it."""

    name: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Target:
    """A host behind the gateway, with its pinned host key(s)."""

    name: str
    host: str
    port: int = 22
    host_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AllowEntry:
    """A site command made known safe for one grant: ``command`` (a name, or a path matched
    exactly) and ``args``, one pattern per word (``*`` one word, ``**`` last: any rest)."""

    command: str
    args: tuple[str, ...] = ()
    #: ``file:line`` of the entry, shown by ``sshgate classify`` and in the audit log
    source: str = ""

    def label(self) -> str:
        return " ".join((self.command, *self.args))


@dataclass(frozen=True, slots=True)
class Grant:
    """What one identity may reach: targets, logins (first is default), for how long."""

    identity: str
    targets: tuple[str, ...]
    logins: tuple[str, ...]
    max_session: float = 1800.0
    shell: bool = False
    env: tuple[str, ...] = ("LANG", "LC_*")
    shell_fallback: str = "refuse"
    #: file transfer over the SFTP subsystem, gated per operation: true | false | read-only
    sftp: str = "read-only"
    #: what happens to a command outside the known-safe catalogue (``guard.unknown``)
    unknown: Action = Action.APPROVE
    allow: tuple[AllowEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Approver:
    """A reviewer allowed to answer approval requests; ``identity`` is the agent they act as.

    ``user`` is the reviewer's name: an OS user on the control socket when ``local``, and the
    SSH user name of the review console when ``keys`` lists their public keys."""

    user: str
    identity: str | None = None
    keys: tuple[str, ...] = ()
    local: bool = True


@dataclass(frozen=True, slots=True)
class ApprovalSettings:
    timeout: float = 300.0
    #: ``wait`` keeps the request open until its timeout; ``deny`` refuses at once.
    no_reviewer: str = "wait"


#: what a webhook may be told about
NOTIFY_EVENTS = ("held", "decided", "timed-out", "session-killed", "locked")


@dataclass(frozen=True, slots=True)
class Webhook:
    """A receiver of notifications (``notify:``): where, in which format, about what."""

    url: str
    format: str = "json"  # json | slack
    events: tuple[str, ...] = NOTIFY_EVENTS
    #: signs the body (HMAC-SHA256, header X-Sshgate-Signature); empty: unsigned
    secret: str = ""
    timeout: float = 5.0
    retries: int = 3
    #: ``HOST`` or ``HOST:PORT`` reviewers reach the gateway at, for the ready-to-paste
    #: ``ssh ... approve ID`` lines; empty: the lines are left out
    gateway: str = ""


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """A policy rule: changes a built-in rule's action in a scope, or adds a new rule."""

    rule: str
    action: Action
    identities: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    # Only for rules the policy adds:
    why: str | None = None
    commands: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    regex: str | None = None
    source: str = ""

    @property
    def adds_rule(self) -> bool:
        return bool(self.commands or self.regex)


@dataclass(frozen=True, slots=True)
class Policy:
    identities: tuple[Identity, ...] = ()
    targets: tuple[Target, ...] = ()
    grants: tuple[Grant, ...] = ()
    approvers: tuple[Approver, ...] = ()
    approval: ApprovalSettings = field(default_factory=ApprovalSettings)
    rules: tuple[RuleOverride, ...] = ()
    notify: tuple[Webhook, ...] = ()
    sources: tuple[str, ...] = ()
    #: SHA-256 of the files as read (names and bytes): replicas compare what they run
    digest: str = ""

    def identity(self, name: str) -> Identity | None:
        return next((i for i in self.identities if i.name == name), None)

    def target(self, name: str) -> Target | None:
        return next((t for t in self.targets if t.name == name), None)

    def approver(self, user: str) -> Approver | None:
        return next((a for a in self.approvers if a.user == user), None)

    def approver_by_key(self, key: str) -> Approver | None:
        """The approver listing ``key`` (a normalised ``type base64`` line), or None."""
        return next((a for a in self.approvers if key in a.keys), None)
