"""The held-out developer corpus (corpus_dev.py): every line not listed as held is allowed under
the default policy, and every listed one is still held, for the reason its class names."""

from __future__ import annotations

from .corpus_dev import DEV_HELD, DEV_LINES, WHY
from .expect import allowed, each, held


def test_the_corpus_is_300_distinct_lines_and_every_held_one_has_a_reason() -> None:
    assert len(DEV_LINES) == len(set(DEV_LINES)) == 300
    assert set(DEV_HELD) <= set(DEV_LINES)
    assert set(DEV_HELD.values()) <= set(WHY)


def test_ordinary_developer_lines_are_allowed() -> None:
    each([line for line in DEV_LINES if line not in DEV_HELD], allowed)


def test_the_classes_the_threat_model_keeps_held_stay_held() -> None:
    each(list(DEV_HELD), held)
