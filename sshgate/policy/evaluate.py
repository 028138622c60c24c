"""Pure decisions: who an agent is, where it may go, what happens to each command."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass

from ..guard.classify import Classification, Finding, classify
from ..guard.flow import START
from ..guard.memory import Earlier
from ..guard.parse import SimpleCommand
from ..guard.rules import (
    ALL_RULES,
    GUARD_UNKNOWN,
    PATH_MAX,
    SHELL_RULES,
    TRANSFER_WRITE,
    Rule,
    custom_rule,
    expands,
)
from ..guard.safe import SITE_PROGRAM, site_allows, site_script_path
from ..guard.site_program import INTERPRETERS, script_of
from .loader import LOGIN_RE, NAME_RE, normalize_public_key
from .model import Action, AllowEntry, Grant, Identity, Policy, RuleOverride, Target

MAX_USERNAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Route:
    """What the agent asked for in its SSH user name."""

    login: str | None
    target: str


@dataclass(frozen=True, slots=True)
class Authorization:
    """An identity may reach ``target`` as ``login`` under ``grant``."""

    identity: Identity
    target: Target
    login: str
    grant: Grant


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a connection or session is refused; ``reason`` is safe to show the agent."""

    reason: str


def identify(policy: Policy, public_key: str) -> Identity | None:
    """The identity that lists ``public_key`` (an OpenSSH key line), or None."""
    try:
        wanted = normalize_public_key(public_key)
    except ValueError:
        return None
    return next((i for i in policy.identities if wanted in i.keys), None)


def parse_route(username: str) -> Route | Refusal:
    """Split the SSH user name ``LOGIN@TARGET`` (or ``TARGET``) into a :class:`Route`."""
    if not username:
        return Refusal("empty user name: connect as LOGIN@TARGET or TARGET")
    if len(username) > MAX_USERNAME:
        return Refusal(f"user name longer than {MAX_USERNAME} characters")
    if _CONTROL.search(username):
        return Refusal("user name contains control characters")
    parts = username.split("@")
    if len(parts) > 2:
        return Refusal("user name has more than one '@': connect as LOGIN@TARGET")
    login, target = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    if not NAME_RE.match(target):
        return Refusal(f"{target!r} is not a valid target name")
    if login is not None and not LOGIN_RE.match(login):
        return Refusal(f"{login!r} is not a valid login name")
    return Route(login, target)


def grant_for(policy: Policy, identity: Identity) -> Grant | None:
    return next((g for g in policy.grants if g.identity == identity.name), None)


def authorize(policy: Policy, identity: Identity, username: str) -> Authorization | Refusal:
    """May ``identity`` reach what ``username`` names? Anything unexpected is a refusal."""
    route = parse_route(username)
    if isinstance(route, Refusal):
        return route
    grant = grant_for(policy, identity)
    if grant is None:
        return Refusal(f"identity {identity.name!r} has no grant")
    if route.target not in grant.targets:
        return Refusal(f"identity {identity.name!r} may not reach target {route.target!r}")
    target = policy.target(route.target)
    if target is None:
        return Refusal(f"target {route.target!r} is not defined")
    login = route.login if route.login is not None else grant.logins[0]
    if login not in grant.logins:
        return Refusal(
            f"identity {identity.name!r} may not log in to {target.name!r} as {login!r}"
        )
    return Authorization(identity, target, login, grant)


#: what a locale variable holds (``en_US.UTF-8``, ``C``, ``de_DE@euro``, LANGUAGE's
#: ``fr:en``): bash evaluates a value in arithmetic (``${a[LC_X]}``), so anything else could
#: run a command the guard never saw
_LOCALE_NAME = re.compile(r"[A-Za-z0-9_.@:+-]{0,64}")
_LOCALE_VAR = re.compile(r"LANG|LANGUAGE|LC_[A-Z_]+")


def allowed_env(grant: Grant, env: dict[str, str]) -> dict[str, str]:
    """The subset of the agent's environment the grant lets through (glob names); a locale
    variable only with a value shaped like a locale name."""
    return {
        k: v for k, v in env.items() if any(fnmatch.fnmatchcase(k, pat) for pat in grant.env)
        and (not _LOCALE_VAR.fullmatch(k) or _LOCALE_NAME.fullmatch(v))
    }


# --- command decisions ---------------------------------------------------------------------
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """``/tmp/**`` matches anything below /tmp; ``*`` and ``?`` stay within one segment."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def literal_path(path: str) -> str | None:
    """``path`` canonicalised for matching (``/tmp//x``, ``/tmp/./x`` -> ``/tmp/x``), or None
    when the shell would change it first or it could climb out: an expansion (``$``,
    backquote, glob, brace, leading ``~``) or a ``..`` component. What a path really names
    is then unknown, so it can never satisfy an allow glob."""
    if not path or len(path) > PATH_MAX or path.startswith("~") or expands(path):
        return None
    if ".." in path.split("/"):
        return None
    q = posixpath.normpath(path)
    return "/" + q.lstrip("/") if q.startswith("/") else q


def paths_within(paths: tuple[str, ...], globs: tuple[str, ...]) -> bool:
    """True when there is at least one path and every one, taken literally, matches some
    glob. A path with an expansion or ``..`` never does (see :func:`literal_path`), and a
    relative path never matches an absolute glob: the gateway does not know the cwd."""
    if not paths:
        return False
    rxs = [glob_to_regex(g) for g in globs]
    for p in paths:
        q = literal_path(p)
        if q is None or not any(rx.match(q) for rx in rxs):
            return False
    return True


@dataclass(frozen=True, slots=True)
class DecidedFinding:
    finding: Finding
    action: Action
    #: Where the action came from: ``built-in`` or the policy file:line of the override.
    source: str


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """One simple command of the line: what made it safe, or the rules that hold it."""

    argv: tuple[str, ...]
    #: ``catalogue: ENTRY`` or ``allow: FILE:LINE``; None when held
    safe_by: str | None
    held_by: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"argv": list(self.argv), "safe_by": self.safe_by, "held_by": list(self.held_by)}


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to a command line: allow, approve (hold for a human) or deny."""

    action: Action
    findings: tuple[DecidedFinding, ...]
    line: str
    commands: tuple[CommandOutcome, ...] = ()

    @property
    def deciding(self) -> tuple[DecidedFinding, ...]:
        """The findings that set the action (those as strict as the decision)."""
        return tuple(f for f in self.findings if f.action == self.action)

    @property
    def reason(self) -> str:
        """``rule: why`` of the deciding findings, for the agent and the audit log."""
        if not self.deciding:
            return "no rule matched"
        return "; ".join(f"{d.finding.rule}: {d.finding.why}" for d in self.deciding)

    def to_json(self) -> dict:
        return {
            "command": self.line,
            "decision": self.action.value,
            "findings": [
                {"rule": d.finding.rule, "why": d.finding.why, "argv": list(d.finding.argv),
                 "action": d.action.value, "default": d.finding.action.value,
                 "source": d.source, "span": list(d.finding.span),
                 "paths": list(d.finding.paths), "via": list(d.finding.via)}
                for d in self.findings
            ],
            "commands": [c.to_json() for c in self.commands],
        }


def _in_scope(o: RuleOverride, identity: str | None, target: str | None) -> bool:
    if o.identities and identity not in o.identities:
        return False
    return not (o.targets and target not in o.targets)


_rules_of: tuple[Policy, bool, tuple[Rule, ...]] | None = None


def policy_rules(policy: Policy, shell: bool = False) -> tuple[Rule, ...]:
    """The guard rules for ``policy``: the built-in catalogue (with the interactive shell's
    own rules for a line typed into a gated shell) plus the rules it adds. The same tuple
    for the same policy object, so that classify's cache and index apply."""
    global _rules_of
    last = _rules_of
    if last is not None and last[0] is policy and last[1] == shell:
        return last[2]
    added = tuple(
        custom_rule(o.rule, o.why or f"policy rule {o.rule}", o.action, o.commands, o.args,
                    o.regex)
        for o in policy.rules if o.adds_rule
    )
    rules = ALL_RULES + (SHELL_RULES if shell else ()) + added
    _rules_of = (policy, shell, rules)
    return rules


def classify_for(policy: Policy, line: str, shell: bool = False,
                 earlier: Earlier | None = None, cwd: str = START) -> Classification:
    """``line`` classified with the policy's rules, against what ``earlier`` lines wrote;
    ``cwd``: where it starts (guard/flow.py START: the login's start directory)."""
    return classify(line, policy_rules(policy, shell), earlier=earlier, cwd=cwd)


def _allowed_by(grant: Grant | None, cmd: SimpleCommand | None) -> AllowEntry | None:
    if grant is None or cmd is None:
        return None
    return next((a for a in grant.allow if site_allows(cmd, a.command, a.args)), None)


def _entry_scripts(a: AllowEntry) -> list[str]:
    """The site scripts an ``allow:`` entry names: its command when that is a path, the
    first argument of an interpreter (``python tools/report.py``)."""
    out = [a.command] if "/" in a.command else []
    found = script_of((a.command, *a.args))
    if found is not None:
        out.append(found[1])
    elif posixpath.basename(a.command) in INTERPRETERS and a.args:
        out += [w for w in a.args if not w.startswith("-")][:1]  # a glob: python tools/*.py
    return out


def _narrowed(grant: Grant | None, classification: Classification,
              site_safe: dict[int, str]) -> tuple[Finding, ...]:
    """A site program (guard/site_program.py) the grant's ``allow:`` names is known safe only
    as those entries name it (``./scripts/deploy.sh web-*``: not ``db-1``); one they match
    is safe by that entry (``site_safe``)."""
    if grant is None or not grant.allow:
        return ()
    out = []
    for i, c in enumerate(classification.commands):
        if i >= len(classification.safe_by) or classification.safe_by[i] != SITE_PROGRAM:
            continue
        script = site_script_path(c) or ""
        # by the script's file name: ``scripts/x.sh``, ``bash scripts/x.sh``, ``cd scripts
        # && ./x.sh``, ``/srv/app/scripts/x.sh`` and ``python3`` for ``python`` all run the
        # file the entry names (red team s11)
        named = [a for a in grant.allow if any(
            fnmatch.fnmatchcase(posixpath.basename(script), posixpath.basename(w))
            for w in _entry_scripts(a))]
        entry = _allowed_by(grant, c)
        if entry is not None:
            site_safe[id(c)] = f"allow: {entry.label()} ({entry.source})"
        elif named:
            out.append(Finding(
                GUARD_UNKNOWN.name, f"the grant's allow: names {script!r} only as "
                f"{named[0].label()} ({named[0].source})", GUARD_UNKNOWN.action, c.argv,
                c.span, (), c.via))
    return tuple(out)


def _command_of(classification: Classification, f: Finding) -> SimpleCommand | None:
    return next((c for c in classification.commands if c.argv == f.argv and c.span == f.span
                 and c.via == f.via), None)


def decide(policy: Policy, classification: Classification, identity: str | None = None,
           target: str | None = None) -> Decision:
    """Turn findings into one decision: the grant's ``allow:`` list and ``unknown:`` for
    commands outside the catalogue, then the policy's overrides (first match wins)."""
    grant = next((g for g in policy.grants if g.identity == identity), None) \
        if identity is not None else None
    decided = []
    site_safe: dict[int, str] = {}
    findings = classification.findings + _narrowed(grant, classification, site_safe)
    for f in findings:
        action, source = f.action, "built-in"
        if f.rule == GUARD_UNKNOWN.name:
            cmd = _command_of(classification, f)
            entry = _allowed_by(grant, cmd)
            if entry is not None and cmd is not None:
                site_safe[id(cmd)] = f"allow: {entry.label()} ({entry.source})"
                decided.append(DecidedFinding(f, Action.ALLOW, f"allow ({entry.source})"))
                continue
            if grant is not None:
                action, source = grant.unknown, f"grant {grant.identity} (unknown:)"
        elif f.rule == TRANSFER_WRITE.name and grant is not None and grant.sftp != "true":
            # scp -O and rsync writes obey the same grant setting as SFTP uploads
            action, source = Action.DENY, f"grant {grant.identity} (sftp: {grant.sftp})"
        for o in policy.rules:
            if o.rule != f.rule:
                continue
            if not _in_scope(o, identity, target):
                if o.adds_rule:
                    action, source = Action.ALLOW, f"{o.source} (out of scope)"
                continue
            if o.paths and not paths_within(f.paths, o.paths):
                continue
            action, source = o.action, o.source or "policy"
            break
        decided.append(DecidedFinding(f, action, source))
    overall = Action.strictest([d.action for d in decided])
    return Decision(overall, tuple(decided), classification.line,
                    _outcomes(classification, site_safe, findings))


def _outcomes(classification: Classification, site_safe: dict[int, str],
              findings: tuple[Finding, ...]) -> tuple[CommandOutcome, ...]:
    out = []
    for i, c in enumerate(classification.commands):
        entry = classification.safe_by[i] if i < len(classification.safe_by) else None
        held = tuple(dict.fromkeys(
            f.rule for f in findings
            if (f.argv, f.span, f.via) == (c.argv, c.span, c.via)
            and not (f.rule == GUARD_UNKNOWN.name and id(c) in site_safe)))
        safe_by = site_safe.get(id(c)) or (f"catalogue: {entry}" if entry else None)
        out.append(CommandOutcome(c.argv, None if held else safe_by, held))
    return tuple(out)
