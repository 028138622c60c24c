"""What the gateway saw of Ansible's temp dirs, per identity, target and login.

Ansible without pipelining creates a temp dir, uploads the module into it by SFTP, runs it by
path and removes the dir (``guard/ansible_lines.py``). The gateway lets those lines through
unattended only for a dir it saw created (the ``mkdir`` line exited 0, so the dir is new and
not a link), and runs a module only from bytes it saw uploaded there and verified. Anything
else done as the same login on the same target in between (another command, an SFTP change
in or above the dir, a second write of the module) forgets the dir: its later lines are
judged by the ordinary guard, which holds them.

The scope is the identity, target and login rather than one connection, so that Ansible
without ControlMaster (one connection per line) works too; and because another connection of
the same agent could act on the same files, "anything else" is counted across all of them.
Bounded; no I/O.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: temp dirs remembered per key (a task uses one; forks on one host a few)
MAX_DIRS = 16
#: module bytes kept per key, all dirs together
MAX_UPLOAD_BYTES = 32 * 1024 * 1024
#: a dir not used within this long is forgotten (a task takes seconds to minutes)
DIR_TTL = 3600.0

Key = tuple[str, str, str]  # identity, target, login


@dataclass(slots=True)
class _Dir:
    created: float
    #: module file path -> the bytes the gateway relayed into it
    uploads: dict[str, bytes] = field(default_factory=dict)
    #: module files written (or being written) through the gateway, kept or not
    written: set[str] = field(default_factory=set)


@dataclass
class TempDirs:
    """Temp dirs and module uploads the gateway vouches for."""

    clock: Callable[[], float] = time.monotonic
    _dirs: dict[Key, dict[str, _Dir]] = field(default_factory=dict)
    _homes: dict[Key, str] = field(default_factory=dict)

    # -- what the login's home is (Ansible's ``echo ~``, or sftp-server's directory) --------
    def learn_home(self, key: Key, home: str) -> None:
        self._homes[key] = home

    def home(self, key: Key) -> str | None:
        return self._homes.get(key)

    # -- the dir's life --------------------------------------------------------------------
    def created(self, key: Key, tmpdir: str) -> None:
        """The ``mkdir`` line for ``tmpdir`` exited 0: a new, real directory."""
        dirs = self._live(key)
        while len(dirs) >= MAX_DIRS:
            del dirs[min(dirs, key=lambda d: dirs[d].created)]
        dirs[tmpdir] = _Dir(self.clock())

    def known(self, key: Key, tmpdir: str) -> bool:
        return tmpdir in self._live(key)

    def removed(self, key: Key, tmpdir: str) -> None:
        self._live(key).pop(tmpdir, None)

    def interrupted(self, key: Key) -> None:
        """Something other than Ansible's own sequence ran as this login: forget all."""
        self._dirs.pop(key, None)

    # -- SFTP on the same login ------------------------------------------------------------
    def opened_for_write(self, key: Key, path: str) -> bool:
        """An SFTP open for writing of ``path`` (absolute); True when the bytes written
        should be kept for :meth:`uploaded` (a module file, first write, in a known dir)."""
        d = self._live(key).get(posixpath.dirname(path))
        if d is None or not posixpath.basename(path).startswith("AnsiballZ_"):
            return False
        if path in d.written:  # a second write: what runs would no longer be what was seen
            self.removed(key, posixpath.dirname(path))
            return False
        d.written.add(path)
        return True

    def uploaded(self, key: Key, path: str, data: bytes | None) -> None:
        """The module file ``path`` was closed after ``data`` was written to it in order
        (None: not in order, or too large)."""
        d = self._live(key).get(posixpath.dirname(path))
        if d is None:
            return
        if data is None:
            self.removed(key, posixpath.dirname(path))
            return
        d.uploads[path] = data
        dirs = self._live(key)
        while sum(len(b) for x in dirs.values() for b in x.uploads.values()) > MAX_UPLOAD_BYTES:
            oldest = min(dirs, key=lambda t: dirs[t].created)
            del dirs[oldest]

    def changed(self, key: Key, path: str | None) -> None:
        """An SFTP change other than writing a new file (remove, rename, link, setstat, ...)
        at ``path`` (absolute; None when the gateway cannot tell where): every known dir at,
        below or above it is forgotten."""
        dirs = self._live(key)
        for tmpdir in list(dirs):
            if path is None or path == tmpdir or path.startswith(tmpdir + "/") or \
                    tmpdir.startswith(path.rstrip("/") + "/"):
                del dirs[tmpdir]

    def take_upload(self, key: Key, path: str) -> bytes | None:
        """The bytes uploaded to the module file ``path``, once."""
        d = self._live(key).get(posixpath.dirname(path))
        return d.uploads.pop(path, None) if d is not None else None

    def _live(self, key: Key) -> dict[str, _Dir]:
        dirs = self._dirs.setdefault(key, {})
        now = self.clock()
        for tmpdir in [t for t, d in dirs.items() if now - d.created > DIR_TTL]:
            del dirs[tmpdir]
        return dirs
