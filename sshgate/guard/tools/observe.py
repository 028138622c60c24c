"""Looking at a host: performance, tracing, debugging, hardware, network and security state.
Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

from ..shapes import Check, Entry

ENTRIES: dict[str, Entry] = {}

CHECKS: dict[str, Check] = {}
