"""classify(line, rules) -> Classification. Pure; never raises; unparseable is a finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..policy.model import Action
from .parse import ParseResult, SimpleCommand, parse
from .rules import (
    ALL_RULES,
    DB_CLIENTS,
    FORK_BOMB,
    PARSE_UNPARSEABLE,
    Rule,
    dangerous_sql,
    rule_by_name,
)

MAX_LINE = 64 * 1024
_FORK_BOMB_TEXT = re.compile(r"(\S+)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*\1\s*&")
DB_RULE = rule_by_name("db.destructive")
GATE_TAMPER = rule_by_name("shell.gate-tamper")
GUARD_ERROR = Rule("guard.error", "the guard failed on this line", Action.DENY, lambda c: None)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a line is not plainly safe: the rule, why, the argv and where it is."""

    rule: str
    why: str
    action: Action
    argv: tuple[str, ...] = ()
    span: tuple[int, int] = (0, 0)
    paths: tuple[str, ...] = ()
    via: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"rule": self.rule, "why": self.why, "action": self.action.value,
                "argv": list(self.argv), "span": list(self.span), "paths": list(self.paths),
                "via": list(self.via)}


@dataclass(frozen=True, slots=True)
class Classification:
    line: str
    findings: tuple[Finding, ...]
    commands: tuple[SimpleCommand, ...] = ()

    @property
    def default_action(self) -> Action:
        """The decision with no policy overrides: the strictest finding's default."""
        return Action.strictest([f.action for f in self.findings])

    @property
    def parseable(self) -> bool:
        return not any(f.rule == PARSE_UNPARSEABLE.name for f in self.findings)


def _finding(rule: Rule, cmd: SimpleCommand | None, paths: tuple[str, ...] = (),
             span: tuple[int, int] | None = None, via: tuple[str, ...] = ()) -> Finding:
    return Finding(rule.name, rule.why, rule.action,
                   cmd.argv if cmd else (), span or (cmd.span if cmd else (0, 0)), paths,
                   cmd.via if cmd else via)


def _classify(line: str, rules: Sequence[Rule]) -> Classification:
    if len(line) > MAX_LINE:
        return Classification(line, (_finding(PARSE_UNPARSEABLE, None, span=(0, len(line))),))
    result: ParseResult = parse(line)
    findings: list[Finding] = []
    for p in result.problems:
        findings.append(Finding(PARSE_UNPARSEABLE.name, f"{PARSE_UNPARSEABLE.why} ({p.message})",
                                PARSE_UNPARSEABLE.action, (), p.span, (), p.via))
    if "\x00" in line:
        findings.append(Finding(PARSE_UNPARSEABLE.name, "the line contains a NUL byte",
                                PARSE_UNPARSEABLE.action, (), (0, len(line))))
    for cmd in result.commands:
        for rule in rules:
            paths = rule.match(cmd)
            if paths is not None:
                findings.append(_finding(rule, cmd, tuple(paths)))
    for cmd in result.commands:
        # SQL echoed into a database client: the statement is in the line, not in argv.
        if cmd.name in DB_CLIENTS and set(cmd.pipe_from) & {"echo", "printf", "cat"} and \
                dangerous_sql(line):
            findings.append(_finding(DB_RULE, cmd))
    funcs = set(result.functions)
    if any(f.startswith("__sshgate") for f in funcs):
        findings.append(_finding(GATE_TAMPER, None, span=(0, len(line))))
    if _FORK_BOMB_TEXT.search(line) or any(
        c.name in funcs and c.name in c.pipe_from for c in result.commands
    ):
        findings.append(_finding(FORK_BOMB, None, span=(0, len(line))))
    return Classification(line, tuple(_dedupe(findings)), result.commands)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.rule, f.argv, f.span, f.paths)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def classify(line: str, rules: Sequence[Rule] = ALL_RULES) -> Classification:
    """Every finding for ``line``. Never raises: an internal error is a ``deny`` finding."""
    try:
        return _classify(line, rules)
    except Exception as e:  # fail closed: a guard bug must never wave a command through
        return Classification(line, (Finding(GUARD_ERROR.name, f"{GUARD_ERROR.why}: "
                                             f"{type(e).__name__}: {e}", Action.DENY),))
