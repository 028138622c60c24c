"""The rule index (classify tries a rule only on the command names it declares) is exact: a
rule with declared names never matches a command by another name, over the corpus, the
corpus's arguments under every other name, and the same through wrappers."""

from __future__ import annotations

import dataclasses
import shlex

import pytest

from sshgate.guard import classify
from sshgate.guard.classify import RuleIndex
from sshgate.guard.flow import walk
from sshgate.guard.parse import SimpleCommand, parse
from sshgate.guard.rules import ALL_RULES, INTERPRETERS, RULES, Rule, custom_rule
from sshgate.policy.model import Action

from .corpus import BENIGN, DESTRUCTIVE, HARMFUL, HELD_ORDINARY, LOOKALIKES, ORDINARY_SESSION

NAMED = [r for r in ALL_RULES if r.names is not None]
#: every declared name, interpreters, and names no rule declares
OTHER_NAMES = sorted(set().union(*(r.names for r in NAMED)) | INTERPRETERS | {
    "ls", "cat", "echo", "true", "x", "rm2", "RM", "gitx", "mkfs.ext4", "busybox", "sudo",
    "env", "xargs", "find", "tee", "printf", "sh", "cp", "mv", ""})
WRAPS = ["sudo {}", "sudo -u root {}", "env {}", "env A=1 {}", "xargs {}", "busybox {}",
         "command {}", "exec {}", "nohup {}", "timeout 5 {}", "nice -n 5 {}", "doas {}",
         "/usr/bin/{}", "\\{}"]


def _lines() -> list[str]:
    lines = [d[0] for d in DESTRUCTIVE] + BENIGN + HELD_ORDINARY + LOOKALIKES + ORDINARY_SESSION
    return lines + [x for xs in HARMFUL.values() for x in xs]


def _commands(line: str) -> list[SimpleCommand]:
    """The commands of ``line`` and their dataflow variants (what the rules are tried on)."""
    result = parse(line)
    out = list(result.commands)
    for step in walk(result.commands, line):
        out += [v for _, v in step.variants]
    return out


@pytest.fixture(scope="module")
def corpus_commands() -> list[SimpleCommand]:
    return [c for line in _lines() for c in _commands(line)]


def _assert_exact(rule: Rule, commands: list[SimpleCommand]) -> int:
    checked = 0
    for c in commands:
        if c.name not in rule.names:
            checked += 1
            assert rule.match(c) is None, (rule.name, c.argv)
    return checked


@pytest.mark.parametrize("rule", NAMED, ids=[r.name for r in NAMED])
def test_declared_names_are_exact(rule, corpus_commands):
    # the corpus as written, then the arguments of every command the rule matches (and of
    # every command by one of its names) under every other name, plainly and via wrappers
    checked = _assert_exact(rule, corpus_commands)
    hits = {c for c in corpus_commands if rule.match(c) is not None}
    by_args = {c.args: c for c in corpus_commands if c.name in rule.names}
    renamed = [dataclasses.replace(c, argv=(name, *c.args)) for c in hits | {*by_args.values()}
               for name in OTHER_NAMES]
    checked += _assert_exact(rule, renamed)
    wrapped = [w.format(shlex.join(c.argv)) for c in hits for w in WRAPS]
    checked += _assert_exact(rule, [c for line in wrapped for c in _commands(line)])
    assert checked > len(corpus_commands) // 2


def test_every_rule_with_names_is_tried_on_those_names():
    index = RuleIndex(ALL_RULES)
    for rule in ALL_RULES:
        for name in rule.names if rule.names is not None else ("ls", "zz-unknown"):
            assert rule in index.for_name(name), (rule.name, name)
    # a name no rule declares gets exactly the rules that take any name, in catalogue order
    assert index.for_name("zz-unknown") == tuple(r for r in ALL_RULES if r.names is None)
    assert len(index.for_name("rm")) < len(RULES)


def test_policy_rules_go_to_any_unless_they_declare_names():
    anywhere = custom_rule("site.any", "no names", Action.DENY, regex="prod-db")
    on_psql = custom_rule("site.psql", "psql only", Action.DENY, commands=("/usr/bin/psql",))
    assert anywhere.names is None and on_psql.names == frozenset({"psql"})
    rules = ALL_RULES + (anywhere, on_psql)
    rules_of = {line: [f.rule for f in classify(line, rules).findings] for line in (
        "ls prod-db", "psql -c 'select 1'", "sudo psql prod-db", "echo psql")}
    assert "site.any" in rules_of["ls prod-db"]
    assert "site.psql" in rules_of["psql -c 'select 1'"]
    assert {"site.any", "site.psql"} <= set(rules_of["sudo psql prod-db"])
    assert "site.psql" not in rules_of["echo psql"]
    # a rules list that is not the catalogue plus additions is indexed the same way
    only = (on_psql, anywhere)
    assert [f.rule for f in classify("sudo psql prod-db", only).findings
            if f.argv == ("psql", "prod-db")] == ["site.psql", "site.any", "guard.unknown"]
