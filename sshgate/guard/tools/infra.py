"""Infrastructure: containers, Kubernetes, cloud and configuration tools beyond safe.py's entries.
Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

from ..shapes import Check, Entry

ENTRIES: dict[str, Entry] = {}

CHECKS: dict[str, Check] = {}
