"""The two assertions every catalogue test table makes: a line is held (or refused), or it is
allowed with no finding; each says why when it fails."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.policy.model import Action


def held(line: str) -> None:
    c = classify(line)
    assert c.default_action is not Action.ALLOW, (line, c.safe_by)


def allowed(line: str) -> None:
    c = classify(line)
    assert c.default_action is Action.ALLOW, (line, [(f.rule, f.why) for f in c.findings])


def table_tests(held_lines: list[str], allowed_lines: list[str]):
    """``test_held, test_allowed`` for a module's two tables (pytest collects them by name)."""

    @pytest.mark.parametrize("line", held_lines, ids=[ln[:70] for ln in held_lines])
    def test_held(line: str) -> None:
        held(line)

    @pytest.mark.parametrize("line", allowed_lines, ids=[ln[:70] for ln in allowed_lines])
    def test_allowed(line: str) -> None:
        allowed(line)

    return test_held, test_allowed
