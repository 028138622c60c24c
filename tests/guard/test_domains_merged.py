"""Every domain module's entries and subcommands reach the catalogue as they are written
(safe.py refuses a name listed twice): one test for all of tools/, not one per module."""

from __future__ import annotations

import pytest

from sshgate.guard.safe import CATALOGUE
from sshgate.guard.shapes import Tool
from sshgate.guard.tools import DOMAINS


@pytest.mark.parametrize("module", DOMAINS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_entries_and_subcommands_are_merged(module) -> None:
    extended = {name for m in DOMAINS for name in getattr(m, "SUBCOMMANDS", {})}
    for name, entry in module.ENTRIES.items():
        # a later module's subcommands rebuild the tool (its other words are this entry's)
        assert CATALOGUE[name] is entry or name in extended, name
    for name, subs in getattr(module, "SUBCOMMANDS", {}).items():
        tool = CATALOGUE[name]
        assert isinstance(tool, Tool), name
        for word, entry in subs.items():
            assert tool.sub[word] is entry, (name, word)
