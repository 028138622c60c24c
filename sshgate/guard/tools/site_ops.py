"""Site operations beyond the famous tools: HPC schedulers and modules, bioinformatics
pipelines, storage (ZFS, LVM, md, Ceph), mail servers and package state, read-only and
ordinary forms. Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

from ..shapes import Check, Entry

ENTRIES: dict[str, Entry] = {}

CHECKS: dict[str, Check] = {}
