"""The embedded default: identity locks in ``state_dir/locks.json``; requests, sessions and
the audit chain stay in this process and its files (one gateway, no database)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..approvals.oversight import Locks


class LocksFileError(OSError):
    """locks.json exists but cannot be read: the gateway refuses to start without them (an
    OSError, so that `serve` reports it as one and exits 1)."""


class LocalLocks:
    """Locks persisted as one JSON file, replaced atomically (fsync + rename)."""

    def __init__(self, path: Path | None):
        self.path = path

    def load(self) -> Locks:
        if self.path is None or not self.path.exists():
            return Locks()
        try:
            data = json.loads(self.path.read_text())
            return Locks.from_json(data["locks"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            # fail closed: starting without the locks would let locked identities back in
            raise LocksFileError(f"{self.path}: cannot read the identity locks ({e}); fix or "
                                 "remove the file to start") from None

    def save(self, locks: Locks) -> None:
        if self.path is None:
            return
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"locks": locks.to_json()}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
