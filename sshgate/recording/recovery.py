"""Recordings a gateway's last run left unsealed (killed mid-session, or its recorder
failed) are sealed at its next start as *recovered* (:func:`.writer.seal_recovered`: every
byte on disk, a last line cut by the kill included). One path for every place they wait: the
spool (recordings bound for S3) and the recordings directory on disk, whose recordings of the
last run the database's index names or, without a database, the gateway's own audit log
(:func:`last_run_sessions`).

The limit, also in docs/deployment.md: the seal proves the bytes did not change after the
restart, not between the kill and the restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import reader
from .writer import Seal, seal_paths, seal_recovered

log = logging.getLogger("sshgate.recording")


async def seal_left_unsealed(path: Path, key: Any, *, audit: Callable[..., Any],
                             index: Callable[[str, dict[str, Any]], None] | None = None
                             ) -> Seal | None:
    """Seal ``path`` as recovered unless it is sealed already (or gone); audit it and give
    its index row the seal. None: nothing to seal, or it could not be (said in the log)."""
    rid = path.name.removesuffix(reader.SUFFIX)
    if key is None or not path.exists() or seal_paths(path)[1].exists():
        return None
    try:
        seal = await asyncio.to_thread(seal_recovered, path, key)
    except OSError as e:  # verify keeps calling it unsealed
        log.error("recording %s: cannot seal what the last run left (%s)", rid, e)
        return None
    audit("recording.sealed", recording=rid, sha256=seal.sha256, size=seal.size,
          events=seal.events, reason=seal.reason, recovered=True)
    log.warning("recording %s was left unsealed by the last run (killed mid-session): "
                "sealed now as recovered, %d bytes", rid, seal.size)
    if index is not None:
        index(rid, {**reader.index_fields(path), "sha256": seal.sha256, "size": seal.size,
                    "sealed": seal.sealed_at, "location": str(path)})
    return seal


#: how much of the audit log's end is read at a time, looking for the last run's start
_CHUNK = 1 << 20


def last_run_sessions(audit_path: Path) -> list[str]:
    """The sessions the gateway's last run started: ``session.start`` lines after the last
    ``gateway.start`` of its own audit log (read from the end). At start, under the state
    lock and before listening, none of them is live, so an unsealed recording of one was
    left by that run; a recording another gateway writes into a shared directory is not
    among them (its session ids are in that gateway's log)."""
    try:
        f = audit_path.open("rb")
    except FileNotFoundError:
        return []
    sessions: list[str] = []
    with f:
        end = f.seek(0, os.SEEK_END)
        tail = b""
        while end > 0:
            start = max(0, end - _CHUNK)
            f.seek(start)
            data = f.read(end - start) + tail
            end = start
            lines = data.split(b"\n")
            tail = lines.pop(0) if start > 0 else b""  # may start mid-line: read with the next
            for raw in reversed(lines):
                found = _session_started(raw)
                if found == "":
                    return sessions[::-1]
                if found:
                    sessions.append(found)
        found = _session_started(tail)
        if found:
            sessions.append(found)
    return sessions[::-1]


def _session_started(raw: bytes) -> str | None:
    """The session id of a ``session.start`` line, "" for a ``gateway.start`` line, else
    None (other events, a torn or foreign line)."""
    if b'"event":"session.start"' not in raw and b'"event":"gateway.start"' not in raw:
        return None
    try:
        rec = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(rec, dict):
        return None
    if rec.get("event") == "gateway.start":
        return ""
    sid = rec.get("session")
    return sid if rec.get("event") == "session.start" and isinstance(sid, str) and \
        reader.is_id(sid) else None
