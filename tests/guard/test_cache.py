"""classify()'s cache of recent lines is exact (the whole line, the rules object, the
budget and a shell line's start directory are the key; a stale or foreign entry is never
served), keeps no overrun or guard error, and is bounded."""

from __future__ import annotations

import sys

import pytest

from sshgate.guard import classify
from sshgate.guard.flow import START
from sshgate.guard.rules import ALL_RULES, custom_rule
from sshgate.policy.evaluate import policy_rules
from sshgate.policy.model import Action, Policy, RuleOverride

from .corpus import DESTRUCTIVE, ORDINARY_SESSION

module = sys.modules["sshgate.guard.classify"]


@pytest.fixture
def calls(monkeypatch):
    """How many lines were classified afresh (not served from the cache)."""
    module.warm_up()
    done: list[str] = []
    inner = module._classify

    def counting(line, rules, earlier=None, cwd=START):
        done.append(line)
        return inner(line, rules, earlier, cwd)

    monkeypatch.setattr(module, "_classify", counting)
    monkeypatch.setattr(module, "_cache", type(module._cache)())
    return done


def test_a_repeated_line_is_served_and_equals_a_fresh_classification(calls):
    lines = ORDINARY_SESSION[:40] + [d[0] for d in DESTRUCTIVE[:40]]
    first = [classify(line) for line in lines]
    assert len(calls) == len(lines)
    again = [classify(line) for line in lines]
    assert len(calls) == len(lines)  # all served
    assert again == first and all(a is b for a, b in zip(again, first, strict=True))
    assert [module._classify(line, ALL_RULES) for line in lines] == first


def test_the_key_is_exact(calls):
    classify("rm -rf /srv/x")
    for line in ("rm -rf /srv/x ", "rm -rf /srv/X", "rm  -rf /srv/x"):
        classify(line)
    site = custom_rule("site.srv", "srv", Action.DENY, regex="/srv/")
    with_site = (*ALL_RULES, site)
    got = classify("rm -rf /srv/x", with_site)
    assert "site.srv" in [f.rule for f in got.findings]
    # an equal rules tuple that is another object is another key
    assert classify("rm -rf /srv/x", with_site[:1] + with_site[1:]) == got
    classify("rm -rf /srv/x", seconds=0.5)
    # a shell line's start directory (guard/flow.py) is part of the key
    classify("rm -rf x", cwd="/srv")
    classify("rm -rf x")
    assert calls == ["rm -rf /srv/x", "rm -rf /srv/x ", "rm -rf /srv/X", "rm  -rf /srv/x",
                     "rm -rf /srv/x", "rm -rf /srv/x", "rm -rf /srv/x", "rm -rf x", "rm -rf x"]


def test_a_policy_gives_one_rules_object_per_policy_object():
    p = Policy(rules=(RuleOverride(rule="site.x", action=Action.DENY, regex="x"),))
    assert policy_rules(p) is policy_rules(p)
    q = Policy(rules=(RuleOverride(rule="site.y", action=Action.DENY, regex="y"),))
    assert "site.y" in [r.name for r in policy_rules(q)]
    assert "site.x" in [r.name for r in policy_rules(p)]


def test_an_overrun_or_error_is_classified_afresh(calls, monkeypatch):
    line = "echo " + "$(x)" * 2000
    for _ in range(2):
        c = classify(line, seconds=0.001)
        assert [f.rule for f in c.findings] == ["parse.unparseable"]
    assert calls == [line, line]

    def broken(line, rules, earlier=None, cwd=START):
        calls.append(line)
        raise ValueError("bug")

    monkeypatch.setattr(module, "_classify", broken)
    for _ in range(2):
        assert classify("ls").findings[0].rule == "guard.error"
    assert calls[2:] == ["ls", "ls"]


def test_the_cache_is_bounded(calls):
    for i in range(module.CACHE_ENTRIES + 50):
        classify(f"ls /srv/{i}")
    assert len(module._cache) == module.CACHE_ENTRIES
    long = "ls " + "a" * module.CACHE_MAX_LINE
    many = "; ".join(["ls"] * (module.CACHE_MAX_COMMANDS + 1))
    for line in (long, many, long, many):
        classify(line)
    assert calls[-4:] == [long, many, long, many]
