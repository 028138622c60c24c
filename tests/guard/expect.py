"""The two assertions every catalogue test table makes: a line is held (or refused), or it is
allowed with no finding; each says why when it fails."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from sshgate.guard import classify
from sshgate.policy.model import Action


def held(line: str) -> None:
    c = classify(line)
    assert c.default_action is not Action.ALLOW, (line, c.safe_by)


#: CPU seconds an ``allowed`` table line may take: the tables judge the catalogue, not the
#: clock (a cold cache or a full collection on a loaded CI machine took one ordinary line past
#: the 25 ms budget, which holds it, as production would). The budget itself is tested in
#: test_budget.py and through the gateway; ``held`` keeps the production budget.
TABLE_BUDGET = 2.0


def allowed(line: str) -> None:
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action is Action.ALLOW, (line, [(f.rule, f.why) for f in c.findings])


def each(cases: Sequence[Any], check: Callable[..., None]) -> None:
    """``check(case)`` (a tuple is spread) for every case of a table, in one test: a pytest item
    per line cost more CPU than classifying it. A failure names every case that failed, why."""
    failed = []
    for case in cases:
        try:
            check(*case) if isinstance(case, tuple) else check(case)
        except Exception as e:  # noqa: BLE001 - one case's error fails that case, named below
            failed.append(f"{case!r}: {type(e).__name__}: {e}")
    assert not failed, f"{len(failed)} of {len(cases)} cases failed:\n" + "\n".join(failed)


def table_tests(held_lines: list[str], allowed_lines: list[str]):
    """``test_held, test_allowed`` for a module's two tables (pytest collects them by name)."""

    def test_held() -> None:
        each(held_lines, held)

    def test_allowed() -> None:
        each(allowed_lines, allowed)

    return test_held, test_allowed


def grouped_tests(held_groups: dict[str, list[str]], allowed_groups: dict[str, list[str]]):
    """``test_held, test_allowed`` for a module's tables grouped by tool: one pytest item
    per group, each case of it checked by :func:`each`."""

    @pytest.mark.parametrize("tool", sorted(held_groups))
    def test_held(tool: str) -> None:
        each(held_groups[tool], held)

    @pytest.mark.parametrize("tool", sorted(allowed_groups))
    def test_allowed(tool: str) -> None:
        each(allowed_groups[tool], allowed)

    return test_held, test_allowed
