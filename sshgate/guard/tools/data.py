"""Data, ML, search and messaging tools: clients of the site's stores and queues, read-only forms.
Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

from ..shapes import Check, Entry

ENTRIES: dict[str, Entry] = {}

CHECKS: dict[str, Check] = {}
