"""Building, testing and linting code: compilers, language toolchains and their long tail.
Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

from ..shapes import Check, Entry

ENTRIES: dict[str, Entry] = {}

CHECKS: dict[str, Check] = {}
