"""The fresh OPS/SRE corpus (corpus_fresh_ops.py): every line allowed under the default policy
but the few held on purpose, each by the rule its entry names."""

from __future__ import annotations

from sshgate.guard import classify
from sshgate.policy.model import Action

from .corpus_fresh_ops import FRESH_OPS, FRESH_OPS_HELD
from .expect import allowed, each


def test_corpus_is_distinct_lines() -> None:
    assert len(FRESH_OPS) == 300 and len(set(FRESH_OPS)) == 300 and all(FRESH_OPS)
    assert set(FRESH_OPS_HELD) <= set(FRESH_OPS)


def test_ordinary_lines_are_allowed() -> None:
    each([line for line in FRESH_OPS if line not in FRESH_OPS_HELD], allowed)


def test_held_lines_are_held_by_their_rule() -> None:
    def check(line: str, rule: str) -> None:
        c = classify(line)
        assert c.default_action is not Action.ALLOW, line
        assert rule in {f.rule for f in c.findings}, (line, [f.rule for f in c.findings])

    each([(line, rule) for line, (rule, _) in FRESH_OPS_HELD.items()], check)
