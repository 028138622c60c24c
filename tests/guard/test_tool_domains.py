"""The domain modules of the catalogue (sshgate/guard/tools/) merge into safe.CATALOGUE whole,
without replacing an entry, and every check their shapes name exists."""

from __future__ import annotations

import pytest

from sshgate.guard.safe import CATALOGUE, CHECKS, Shape, Tool
from sshgate.guard.tools import DOMAINS


def _shapes(entry):
    if isinstance(entry, Shape):
        yield entry
        return
    assert isinstance(entry, Tool)
    if entry.bare is not None:
        yield entry.bare
    for sub in entry.sub.values():
        yield from _shapes(sub)


@pytest.mark.parametrize("module", DOMAINS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_domain_entries_are_in_the_catalogue_and_their_checks_exist(module) -> None:
    for name, entry in module.ENTRIES.items():
        assert CATALOGUE[name] is entry, name
        for shape in _shapes(entry):
            assert shape.check is None or shape.check in CHECKS, (name, shape.check)
    for name, check in module.CHECKS.items():
        assert CHECKS[name] is check


def test_no_name_is_listed_by_two_domains() -> None:
    seen: dict[str, str] = {}
    for module in DOMAINS:
        for name in module.ENTRIES:
            assert name not in seen, (name, seen.get(name), module.__name__)
            seen[name] = module.__name__
