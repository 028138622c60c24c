"""asciicast v2 writer: one JSON line per event, written as it happens, sealed at close.

Event codes: ``o`` output the agent saw (stdout; in a PTY everything), ``e`` stderr of an
exec session (asciinema ignores unknown codes), ``i`` agent input, ``r`` resize, ``m`` a
marker per command with its decision and reviewer, ``x`` the exit status. Bytes that are not
valid UTF-8 are kept exactly as lone surrogates (``surrogateescape``): the reader turns them
back into the original bytes. Chunks that are mostly binary (NULs and other controls, which
JSON would blow up sixfold) are stored base64-encoded as ``ob``/``eb``/``ib``.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh
import orjson
import pybase64

from .. import sshsig
from .appender import Appender

FORMAT_VERSION = 2
#: 1: marker data is ``label<TAB>json``; 2: marker data is one JSON object.
SSHGATE_FORMAT = 2
NAMESPACE = "sshgate-recording"
FSYNC_INTERVAL = 1.0
#: Output reaches the file as soon as it is written, unless it streams faster than
#: BULK_RATE (bytes/s): then whole blocks go out as they fill and the rest at least every
#: TAIL_INTERVAL seconds (and when it stops). Command markers and exit status: at once.
TAIL_INTERVAL = 0.05
BULK_RATE = 4 * 1024 * 1024
#: The largest event the recorder makes when it merges a backlog of chunks.
MAX_EVENT = 1024 * 1024
#: Output or input chunks up to this size are written by the caller itself while the writer
#: thread is idle (see ``CastWriter._put``).
INLINE_MAX = 4096
#: Bytes queued for the recorder at which the relay should stop reading (see ``backlog``),
#: and the level it must drain to before reading resumes.
HIGH_WATER = 32 * 1024 * 1024
LOW_WATER = 8 * 1024 * 1024


#: Bytes per sample when a large chunk is judged text or binary.
_SAMPLE = 2048
# Bytes a terminal shows as text: printable ASCII, UTF-8 lead/continuation bytes, and the
# controls that appear in ordinary output (tab, newline, CR, ESC, BEL, BS).
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\r\x1b\x07\x08"


def _mostly_binary(data: bytes) -> bool:
    if len(data) < 64:
        return False
    if len(data) > 3 * _SAMPLE:
        # judged on samples from the start, middle and end: either encoding is exact, this
        # only picks the compact one, and counting a 256 KB chunk costs the GIL ~0.15 ms
        mid = len(data) // 2
        data = data[:_SAMPLE] + data[mid:mid + _SAMPLE] + data[-_SAMPLE:]
    if len(data.translate(None, _TEXT_BYTES)) * 8 > len(data):
        return True
    # High bytes that are not UTF-8 (compressed or encrypted files, an SFTP stream): as text
    # each becomes a surrogate, which the fast JSON encoder refuses, so the stdlib encoder
    # escapes it, at ~30x the cost of base64 while holding the GIL the relay needs
    return (len(data) - len(data.decode("utf-8", "ignore").encode())) * 8 > len(data)


def _coalesce(items: list[tuple[float, str, bytes | str]]
              ) -> list[tuple[float, str, bytes | str]]:
    """Adjacent byte chunks of one kind become one event (at the first one's time), up to
    MAX_EVENT bytes."""
    out: list[tuple[float, str, bytes | str]] = []
    run: list[bytes] = []
    size = 0
    for item in items:
        t, code, data = item
        if run and isinstance(data, bytes) and code == out[-1][1] and size + len(data) <= MAX_EVENT:
            run.append(data)
            size += len(data)
            continue
        if len(run) > 1:
            out[-1] = (out[-1][0], out[-1][1], b"".join(run))
        out.append(item)
        run, size = ([data], len(data)) if isinstance(data, bytes) else ([], 0)
    if len(run) > 1:
        out[-1] = (out[-1][0], out[-1][1], b"".join(run))
    return out


def _encode(data: str) -> bytes:
    # orjson: ~7x the stdlib on terminal output, and the recorder shares the GIL with the relay
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:  # lone surrogates from invalid UTF-8: escape them
        return json.dumps(data, ensure_ascii=True).encode()


@dataclass(frozen=True, slots=True)
class Seal:
    sha256: str
    size: int
    events: int
    sealed_at: float
    reason: str
    key: str
    #: sealed by the next start of a gateway killed mid-session, not at the session's end
    recovered: bool = False

    def to_json(self) -> dict[str, Any]:
        out = {"sha256": self.sha256, "size": self.size, "events": self.events,
               "sealed_at": self.sealed_at, "reason": self.reason, "key": self.key,
               "namespace": NAMESPACE}
        if self.recovered:
            out["recovered"] = True
        return out


def seal_paths(path: Path) -> tuple[Path, Path]:
    """(signature, seal metadata) files beside a recording."""
    return path.with_name(path.name + ".sig"), path.with_name(path.name + ".seal")


class CastWriter:
    """Writes one session's recording. Bulk output goes to a writer thread, which decodes,
    encodes, hashes and writes, so that recording costs the relay little; small events
    (markers, exit, resize, short chunks) are written by the caller while that thread is
    idle, so that no command waits for a thread wake-up. The SHA-256 for the seal is taken
    as the bytes are written: sealing never re-reads the file.

    A gateway killed mid-session leaves every event written so far; only output streaming
    faster than ``BULK_RATE`` may lose its last ``TAIL_INTERVAL``. If writing fails (disk
    full, or anything else), ``on_failure`` is called (from the writer thread, or from the
    caller's for a small event it wrote itself) and nothing more is recorded: the caller must
    end the session."""

    def __init__(self, path: Path, *, width: int, height: int, title: str,
                 sshgate: dict[str, Any], env: dict[str, str] | None = None,
                 on_failure: Callable[[Exception], None] | None = None, direct: bool = True):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = Appender(path, direct=direct)
        self._start = time.monotonic()
        self._last_sync = self._last_tail = self._start
        self._sha256 = hashlib.sha256()
        self.events = 0
        self.closed = False
        self.failed: Exception | None = None
        self._on_failure = on_failure
        self._queued = 0  # bytes put, counted by the relay's thread only
        self._done = 0  # bytes written, counted by the writer thread only
        # The file, hash, decoders and tail bookkeeping belong to whoever holds _io_lock. The
        # caller may write itself only when every item it queued has been written.
        self._io_lock = threading.Lock()
        self._items_put = 0  # relay's thread only
        self._items_done = 0  # under _io_lock
        self._drain_lock = threading.Lock()
        self._on_drained: Callable[[], None] | None = None
        self._decoders: dict[str, codecs.IncrementalDecoder] = {}
        header = {
            "version": FORMAT_VERSION, "width": width, "height": height,
            "timestamp": int(time.time()), "title": title,
            "env": env or {"TERM": "xterm-256color", "SHELL": "/bin/bash"},
            "sshgate": {"format": SSHGATE_FORMAT, **sshgate},
        }
        self._write(json.dumps(header, default=str).encode() + b"\n")
        self._file.flush_tail()
        self._tail_size = self._file.size  # file size at the last tail flush
        self._queue: queue.SimpleQueue[tuple[float, str, bytes | str] | None] = \
            queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"recorder-{path.name}",
                                         daemon=True)
        self._thread.start()

    # -- called from the relay: cheap ------------------------------------------------------
    def _put(self, code: str, data: bytes | str) -> None:
        if self.closed or self.failed is not None:
            return
        t = time.monotonic() - self._start
        if (self._items_done == self._items_put and (type(data) is str or len(data) <= INLINE_MAX)
                and self._io_lock.acquire(blocking=False)):
            try:
                if self._write_now(t, code, data):
                    return
            finally:
                self._io_lock.release()
        self._queued += len(data)
        self._items_put += 1
        self._queue.put((t, code, data))

    def _write_now(self, t: float, code: str, data: bytes | str) -> bool:
        """Write one small event from the caller's thread (``_io_lock`` held), if the writer
        thread has nothing in hand and the file would take it at once; False otherwise."""
        if self._items_done != self._items_put or self.closed or self.failed is not None:
            return False
        # worst case JSON-escapes every byte sixfold; a block write waits for the device
        if len(data) * 6 + 64 >= self._file.block_room:
            return False
        now = time.monotonic()
        if isinstance(data, bytes) and not self._tail_due(now):
            return False  # streaming fast: the writer thread batches it
        try:
            self._write_item(t, code, data)
            self._flush_tail(now)
        except Exception as e:  # as in the writer thread: stop recording, end the session
            self.failed = e
            self._queue.put(None)  # the writer thread ends too
            if self._on_failure is not None:
                self._on_failure(e)
        return True

    def _tail_due(self, now: float) -> bool:
        """Output is written through at once unless it streams faster than BULK_RATE."""
        return (now - self._last_tail >= TAIL_INTERVAL
                or self._file.size - self._tail_size <= BULK_RATE * (now - self._last_tail))

    @property
    def backlog(self) -> int:
        """Bytes handed to the recorder and not yet written. Above ``HIGH_WATER`` the relay
        should stop reading and wait for :meth:`notify_when_drained`: memory stays bounded
        when the disk is slower than the network."""
        return self._queued - self._done

    def notify_when_drained(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the backlog is down to ``LOW_WATER`` (from the writer
        thread, or right here if it is already)."""
        with self._drain_lock:
            if self.backlog > LOW_WATER and self._thread.is_alive():
                self._on_drained = callback
                return
        callback()

    def output(self, data: bytes) -> None:
        self._put("o", data)

    def stderr(self, data: bytes) -> None:
        self._put("e", data)

    def input(self, data: bytes) -> None:
        self._put("i", data)

    def resize(self, width: int, height: int) -> None:
        self._put("r", f"{width}x{height}")

    def marker(self, label: str, **meta: Any) -> None:
        """A command marker: one JSON object, the command as ``label`` (any bytes, tabs
        included) with its decision and the rest of ``meta``; asciinema lists it as is."""
        self._put("m", json.dumps({"label": label, **meta}, default=str))

    def exit(self, status: int | None, signal: str | None = None,
             failed: str | None = None) -> None:
        """The channel's end; ``failed``: why the target never ran it (unreachable...)."""
        end: dict[str, Any] = {"status": status, "signal": signal}
        if failed is not None:
            end["failed"] = failed
        self._put("x", json.dumps(end))

    # -- the writer thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._record()
        except Exception as e:  # disk full, I/O error, a bug: stop, and have the session ended
            self.failed = e
            if self._on_failure is not None:
                self._on_failure(e)
        finally:
            self._drained(force=True)

    def _record(self) -> None:
        while True:
            try:  # idle sessions cost no wakeups once their tail is in the file
                first = self._queue.get(timeout=TAIL_INTERVAL if self._file.tail_pending
                                        else None)
            except queue.Empty:
                with self._io_lock:
                    self._flush_tail(time.monotonic())
                continue
            with self._io_lock:
                batch = [first]
                with contextlib.suppress(queue.Empty):
                    while batch[-1] is not None:
                        batch.append(self._queue.get_nowait())
                done = batch[-1] is None
                if done:
                    batch.pop()
                if self.failed is not None:  # a write from the caller's thread failed
                    return
                urgent = False
                # what queued up while the last batch was written becomes one event per
                # kind: fewer lines, writes and GIL handoffs when output outruns the recorder
                for t, code, data in _coalesce(batch):
                    self._write_item(t, code, data)
                    urgent = urgent or (isinstance(data, str) and code != "r")
                self._done += sum(len(item[2]) for item in batch)
                self._items_done += len(batch)
                now = time.monotonic()
                sync_due = now - self._last_sync >= FSYNC_INTERVAL
                if sync_due or urgent or self._tail_due(now):
                    self._flush_tail(now)
                if sync_due:
                    self._file.sync()
                    self._last_sync = now
            self._drained()
            if done:
                return

    def _write_item(self, t: float, code: str, data: bytes | str) -> None:
        if isinstance(data, bytes):
            self._stream(t, code, data)
        else:
            self._event(t, code, _encode(data))

    def _flush_tail(self, now: float) -> None:
        self._file.flush_tail()
        self._last_tail, self._tail_size = now, self._file.size

    def _drained(self, force: bool = False) -> None:
        if self._on_drained is None or (self.backlog > LOW_WATER and not force):
            return
        with self._drain_lock:
            callback, self._on_drained = self._on_drained, None
        if callback is not None:
            callback()

    def _write(self, *parts: bytes) -> None:
        self._file.write(parts)
        for part in parts:
            self._sha256.update(part)  # releases the GIL for large parts

    def _event(self, t: float, code: str, payload: bytes) -> None:
        self._write(b"[%.6f, \"%s\", %s]\n" % (t, code.encode(), payload))
        self.events += 1

    def _binary_event(self, t: float, code: str, data: bytes) -> None:
        # base64 needs no JSON escaping: write the pieces without building one big line
        # pybase64: SIMD, and it releases the GIL (binascii holds it, at ~1 GB/s)
        self._write(b'[%.6f, "%s", "' % (t, code.encode()), pybase64.b64encode(data), b'"]\n')
        self.events += 1

    def _stream(self, t: float, code: str, data: bytes) -> None:
        dec = self._decoders.get(code)
        if _mostly_binary(data) and (dec is None or not dec.getstate()[0]):
            self._binary_event(t, code + "b", data)
            return
        if dec is None:
            dec = self._decoders[code] = codecs.getincrementaldecoder("utf-8")(
                "surrogateescape")
        text = dec.decode(data)
        if text:
            self._event(t, code, _encode(text))

    def close(self, key: asyncssh.SSHKey | None, reason: str) -> Seal | None:
        """Drain the queue, flush what the decoders hold, fsync, and seal with ``key``
        (None, unsealed, if writing failed). Blocks until the recorder has caught up: call
        it from a worker thread."""
        if self.closed:
            return None
        with self._io_lock:  # no write from the caller's thread after this
            self.closed = True
        self._queue.put(None)
        self._thread.join()
        if self.failed is None:
            try:
                t = time.monotonic() - self._start
                for code, dec in self._decoders.items():
                    tail = dec.decode(b"", final=True)
                    if tail:
                        self._event(t, code, _encode(tail))
            except OSError as e:
                self.failed = e
        try:
            self._file.close()
        except OSError as e:
            self.failed = self.failed or e
        if key is None or self.failed is not None:
            return None
        return seal(self.path, key, reason, size=self._file.size, events=self.events,
                    sha256=self._sha256.digest())


def seal(path: Path, key: asyncssh.SSHKey, reason: str, *, size: int, events: int,
         sha256: bytes, recovered: bool = False) -> Seal:
    """Write ``path``.sig (SSHSIG over the file's SHA-256, namespace sshgate-recording) and
    ``path``.seal (JSON), from the digest and size the writer took as it wrote."""
    sig_path, seal_path = seal_paths(path)
    sig_path.write_text(sshsig.sign_digest(sha256, "sha256", key, NAMESPACE))
    s = Seal(sha256.hex(), size, events, time.time(), reason, key.get_fingerprint(),
             recovered)
    seal_path.write_text(json.dumps(s.to_json()) + "\n")
    return s


def seal_recovered(path: Path, key: asyncssh.SSHKey) -> Seal:
    """Seal a recording that a gateway killed mid-session left unsealed, as it is on disk:
    every byte written before the kill (a cut last line included) is covered, and the seal
    says it was made afterwards (``recovered``)."""
    h = hashlib.sha256()
    size = events = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
            events += chunk.count(b"\n")
    return seal(path, key, "recovered: left unsealed by the gateway's last run (killed "
                "mid-session, or its recorder failed); sealed at its next start", size=size,
                events=max(events - 1, 0), sha256=h.digest(), recovered=True)
