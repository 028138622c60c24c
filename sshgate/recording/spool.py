"""The spool of recordings bound for S3: written here while live, uploaded once sealed.

After a recording is sealed it is uploaded with its seal and signature, read back and
checked (:meth:`S3Store.put`), and only then removed from the spool. While the storage is
unreachable the spool grows and uploads are retried with a bounded backoff; a restart
uploads whatever the last run left. When the spool holds ``max_bytes`` or more, new
sessions are refused (:meth:`Spool.refusal`): a session that cannot be recorded must not
run. Sessions already running go on; if the disk itself fills, their recorder fails and
ends them (fail closed, as without S3).

A recording the last run left unsealed (the gateway was killed mid-session) is sealed at
start with ``seal_key`` as *recovered* (:func:`.writer.seal_recovered`: every byte on disk,
a last line cut by the kill included) and then uploaded like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import reader
from .recovery import seal_left_unsealed
from .store import RecordingStore
from .writer import seal_paths

log = logging.getLogger("sshgate.recording")

#: first and longest wait between upload attempts while the storage fails (seconds)
BACKOFF = (0.5, 10.0)
#: at most one "still unreachable" warning per this many seconds
WARN_EVERY = 60.0
#: the spool's size is read at most this often (each new session asks for it)
SIZE_EVERY = 0.25


def _size(directory: Path) -> int:
    total = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(directory) as it:
        for entry in it:
            with contextlib.suppress(FileNotFoundError):  # uploaded and removed meanwhile
                total += entry.stat(follow_symlinks=False).st_size
    return total


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB"


class Spool:
    """Uploads the recordings in ``directory`` to ``store``; runs on the event loop, each
    upload in a worker thread so that no relay waits for the network."""

    def __init__(self, directory: Path, store: RecordingStore, *, max_bytes: int,
                 audit: Callable[..., Any], backoff: tuple[float, float] = BACKOFF,
                 seal_key: Any = None,
                 index: Callable[[str, dict[str, Any]], None] | None = None):
        self.directory = directory
        self.store = store
        self.max_bytes = max_bytes
        self.audit = audit
        self.backoff = backoff
        #: seals what a killed run left unsealed (None: uploaded unsealed)
        self.seal_key = seal_key
        #: told of each recovered seal and each upload (the fleet's recording index)
        self.index = index
        self._pending: dict[str, None] = {}  # ordered: oldest first
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._down_since: float | None = None
        self._last_warning = 0.0
        self._full = False
        self._size: tuple[float, int] = (float("-inf"), 0)
        self.uploaded = 0

    @property
    def pending(self) -> list[str]:
        """Recordings sealed (or left by a crash) and not uploaded yet, oldest first."""
        return list(self._pending)

    @property
    def unreachable(self) -> bool:
        return self._down_since is not None

    async def start(self) -> None:
        """Queue what a previous run left (no session is live yet: every file here is
        sealed, or unsealed by a crash and uploaded as such) and start uploading."""
        self.directory.mkdir(parents=True, exist_ok=True)
        log.info("recordings go to %s once sealed (spool %s, bound %s)", self.store.location,
                 self.directory, _mb(self.max_bytes))
        left = [p.name.removesuffix(reader.SUFFIX) for p in reader.list_recordings(self.directory)]
        left = [rid for rid in left if reader.is_id(rid)]
        if left:
            log.warning("%d recording(s) left in the spool %s by the last run (%s): "
                        "uploading them to %s", len(left), self.directory,
                        _mb(_size(self.directory)), self.store.location)
            self.audit("recording.spool-resumed", recordings=left, spool=str(self.directory))
        for rid in left:
            await self._recover(rid)
        for rid in left:
            self.submit(rid)
        self._task = asyncio.get_running_loop().create_task(self._run(), name="spool")

    async def _recover(self, rid: str) -> None:
        """Seal a recording the last run left unsealed (see the module's docstring)."""
        await seal_left_unsealed(reader.path_of(self.directory, rid), self.seal_key,
                                 audit=self.audit, index=self.index)

    def submit(self, rid: str) -> None:
        """Upload ``rid`` (its recording is closed: sealed, or unsealed after a failure)."""
        self._pending[rid] = None
        self._size = (float("-inf"), 0)  # the next session start reads the spool again
        self._wake.set()

    def size(self) -> int:
        """Bytes in the spool now: live recordings and those waiting for their upload."""
        return _size(self.directory)

    def refusal(self) -> str | None:
        """Why a new session may not start (the spool is full), or None."""
        now = time.monotonic()
        if now - self._size[0] >= SIZE_EVERY:  # a burst of session starts reads it once
            self._size = (now, self.size())
        size = self._size[1]
        full = size >= self.max_bytes
        if full and not self._full:
            self.audit("recording.spool-full", spool_bytes=size, spool_max=self.max_bytes,
                       waiting=len(self._pending), storage=self.store.location)
            log.error("the recording spool is full (%s of %s, %d recording(s) waiting for "
                      "%s): new sessions are refused until they are uploaded", _mb(size),
                      _mb(self.max_bytes), len(self._pending), self.store.location)
        elif self._full and not full:
            self.audit("recording.spool-ok", spool_bytes=size, spool_max=self.max_bytes)
            log.info("the recording spool is below its bound again: new sessions are "
                     "accepted")
        self._full = full
        if not full:
            return None
        return (f"denied: recording storage is behind: the gateway's recording spool is "
                f"full ({_mb(size)} of {_mb(self.max_bytes)}); a session that cannot be "
                f"recorded may not start")

    async def close(self, timeout: float = 10.0) -> None:
        """Give pending uploads up to ``timeout`` seconds; what is left stays in the spool
        for the next start."""
        if self._task is None:
            return
        deadline = time.monotonic() + timeout
        while self._pending and not self.unreachable and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._pending:
            log.warning("%d recording(s) stay in the spool %s for the next start",
                        len(self._pending), self.directory)

    # -- the uploader ------------------------------------------------------------------------
    async def _run(self) -> None:
        delay = self.backoff[0]
        try:  # say at start, not at the first session's end, that the storage is unusable
            await asyncio.to_thread(self.store.check)
        except Exception as e:
            self._failed(None, e, delay)
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                rid = next(iter(self._pending))
                try:
                    meta = await asyncio.to_thread(self._upload, rid)
                except Exception as e:  # the storage, the network, a mismatch: retry later
                    self._failed(rid, e, delay)
                    # the next attempt starts with another recording: one that keeps
                    # failing by itself does not hold up the rest
                    self._pending[rid] = self._pending.pop(rid)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), delay)
                    self._wake.clear()
                    delay = min(delay * 2, self.backoff[1])
                    continue
                self._pending.pop(rid, None)
                delay = self.backoff[0]
                self._succeeded(rid, meta)

    def _upload(self, rid: str) -> dict[str, Any] | None:
        """Upload and check (a worker thread). None: nothing to do."""
        path = reader.path_of(self.directory, rid)
        if not path.exists():
            return None
        seal_file = seal_paths(path)[1]
        meta: dict[str, Any] = {"size": path.stat().st_size, "sealed": seal_file.exists(),
                                "header": reader.index_fields(path)}
        if seal_file.exists():
            with contextlib.suppress(ValueError):
                meta["sha256"] = json.loads(seal_file.read_text()).get("sha256")
        started = time.monotonic()
        self.store.put(path)
        meta["seconds"] = round(time.monotonic() - started, 3)
        meta["location"] = f"{self.store.location}/{path.name}"
        return meta

    def _remove(self, rid: str) -> None:
        """Remove an uploaded recording from the spool, on the loop once the upload returned
        (an upload cut off by shutdown leaves the files: uploaded again at the next start)."""
        path = reader.path_of(self.directory, rid)
        # the seal last: a crash in between leaves a sealed recording to upload again
        for p in (path, *seal_paths(path)):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    def _failed(self, rid: str | None, error: Exception, delay: float) -> None:
        now = time.monotonic()
        why = f"{type(error).__name__}: {error}"
        if self._down_since is None:
            self._down_since = now
            self.audit("recording.upload-failed", recording=rid, storage=self.store.location,
                       error=why, waiting=len(self._pending), spool_bytes=self.size())
        if now - self._last_warning >= WARN_EVERY:
            self._last_warning = now
            log.warning("recording storage %s unreachable (%s): %d recording(s), %s in the "
                        "spool %s; retrying (next in %gs); sessions go on", self.store.location,
                        why, len(self._pending), _mb(self.size()), self.directory, delay)

    def _succeeded(self, rid: str, meta: dict[str, Any] | None) -> None:
        if meta is None:
            return
        self._remove(rid)
        self.uploaded += 1
        header = meta.pop("header")
        if self.index is not None:
            self.index(rid, {**header, "location": meta["location"]})
        self.audit("recording.uploaded", recording=rid, storage=self.store.location, **meta)
        if self._down_since is not None:
            down = time.monotonic() - self._down_since
            self._down_since = None
            self._last_warning = 0.0
            self.audit("recording.storage-restored", storage=self.store.location,
                       unreachable_seconds=round(down, 1), waiting=len(self._pending))
            log.warning("recording storage %s reachable again after %.0fs: uploading %d "
                        "waiting recording(s)", self.store.location, down,
                        len(self._pending) + 1)
