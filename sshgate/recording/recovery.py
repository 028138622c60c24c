"""Recordings a gateway's last run left unsealed (killed mid-session, or its recorder
failed) are sealed at its next start as *recovered* (:func:`.writer.seal_recovered`: every
byte on disk, a last line cut by the kill included). One path for both places they wait: the
spool (recordings bound for S3) and, with a database, the recordings directory on disk.

The limit, also in docs/deployment.md: the seal proves the bytes did not change after the
restart, not between the kill and the restart.
"""

from __future__ import annotations

import asyncio
import logging
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
