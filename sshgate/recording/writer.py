"""asciicast v2 writer: one JSON line per event, written as it happens, sealed at close.

Event codes: ``o`` output the agent saw (stdout; in a PTY everything), ``e`` stderr of an
exec session (asciinema ignores unknown codes), ``i`` agent input, ``r`` resize, ``m`` a
marker per command with its decision and reviewer, ``x`` the exit status. Bytes that are not
valid UTF-8 are kept exactly as lone surrogates (``surrogateescape``): the reader turns them
back into the original bytes. Chunks that are mostly binary (NULs and other controls, which
JSON would blow up sixfold) are stored base64-encoded as ``ob``/``eb``/``ib``.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import json
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh

from .. import sshsig

FORMAT_VERSION = 2
SSHGATE_FORMAT = 1
NAMESPACE = "sshgate-recording"
FSYNC_INTERVAL = 1.0


# Bytes a terminal shows as text: printable ASCII, UTF-8 lead/continuation bytes, and the
# controls that appear in ordinary output (tab, newline, CR, ESC, BEL, BS).
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\r\x1b\x07\x08"


def _mostly_binary(data: bytes) -> bool:
    return len(data) >= 64 and len(data.translate(None, _TEXT_BYTES)) * 8 > len(data)


def _encode(data: str) -> bytes:
    try:
        return json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # lone surrogates from invalid UTF-8: escape them
        return json.dumps(data, ensure_ascii=True).encode()


@dataclass(frozen=True, slots=True)
class Seal:
    sha256: str
    size: int
    events: int
    sealed_at: float
    reason: str
    key: str

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "events": self.events,
                "sealed_at": self.sealed_at, "reason": self.reason, "key": self.key,
                "namespace": NAMESPACE}


def seal_paths(path: Path) -> tuple[Path, Path]:
    """(signature, seal metadata) files beside a recording."""
    return path.with_name(path.name + ".sig"), path.with_name(path.name + ".seal")


class CastWriter:
    """Writes one session's recording. Callers (the relay) only enqueue; a writer thread
    decodes, encodes and writes, so that recording costs the relay almost nothing. A crash
    loses at most what is queued (microseconds of output) and the line being written."""

    def __init__(self, path: Path, *, width: int, height: int, title: str,
                 sshgate: dict[str, Any], env: dict[str, str] | None = None):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        self._start = time.monotonic()
        self._last_sync = self._start
        self._size = 0
        self.events = 0
        self.closed = False
        self._decoders: dict[str, codecs.IncrementalDecoder] = {}
        header = {
            "version": FORMAT_VERSION, "width": width, "height": height,
            "timestamp": int(time.time()), "title": title,
            "env": env or {"TERM": "xterm-256color", "SHELL": "/bin/bash"},
            "sshgate": {"format": SSHGATE_FORMAT, **sshgate},
        }
        self._write(json.dumps(header, default=str).encode() + b"\n")
        self._queue: queue.SimpleQueue[tuple[float, str, bytes | str] | None] = \
            queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=f"recorder-{path.name}",
                                         daemon=True)
        self._thread.start()

    # -- called from the relay: cheap ------------------------------------------------------
    def _put(self, code: str, data: bytes | str) -> None:
        if not self.closed:
            self._queue.put((time.monotonic() - self._start, code, data))

    def output(self, data: bytes) -> None:
        self._put("o", data)

    def stderr(self, data: bytes) -> None:
        self._put("e", data)

    def input(self, data: bytes) -> None:
        self._put("i", data)

    def resize(self, width: int, height: int) -> None:
        self._put("r", f"{width}x{height}")

    def marker(self, label: str, **meta: Any) -> None:
        """A command marker: the label asciinema shows plus structured data after a tab."""
        self._put("m", label + ("\t" + json.dumps(meta, default=str) if meta else ""))

    def exit(self, status: int | None, signal: str | None = None) -> None:
        self._put("x", json.dumps({"status": status, "signal": signal}))

    # -- the writer thread -------------------------------------------------------------------
    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            t, code, data = item
            if isinstance(data, bytes):
                self._stream(t, code, data)
            else:
                self._event(t, code, _encode(data))

    def _write(self, *parts: bytes) -> None:
        os.writev(self._fd, parts)
        self._size += sum(map(len, parts))
        now = time.monotonic()
        if now - self._last_sync >= FSYNC_INTERVAL:
            os.fsync(self._fd)
            self._last_sync = now

    def _event(self, t: float, code: str, payload: bytes) -> None:
        self._write(b"[%.6f, \"%s\", %s]\n" % (t, code.encode(), payload))
        self.events += 1

    def _binary_event(self, t: float, code: str, data: bytes) -> None:
        # base64 needs no JSON escaping: write the pieces without building one big line
        self._write(b'[%.6f, "%s", "' % (t, code.encode()), base64.b64encode(data), b'"]\n')
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
        """Drain the queue, flush what the decoders hold, fsync, and seal with ``key``."""
        if self.closed:
            return None
        self.closed = True
        self._queue.put(None)
        self._thread.join()
        t = time.monotonic() - self._start
        for code, dec in self._decoders.items():
            tail = dec.decode(b"", final=True)
            if tail:
                self._event(t, code, _encode(tail))
        os.fsync(self._fd)
        os.close(self._fd)
        if key is None:
            return None
        return seal(self.path, key, reason, size=self._size, events=self.events)


def seal(path: Path, key: asyncssh.SSHKey, reason: str, size: int | None = None,
         events: int = 0) -> Seal:
    """Write ``path``.sig (SSHSIG, namespace sshgate-recording) and ``path``.seal (JSON)."""
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if size is not None and size != len(content):
        raise RuntimeError(f"{path} changed while it was being written")
    sig_path, seal_path = seal_paths(path)
    sig_path.write_text(sshsig.sign(content, key, NAMESPACE))
    fp = key.get_fingerprint()
    s = Seal(digest, size if size is not None else len(content), events, time.time(), reason, fp)
    seal_path.write_text(json.dumps(s.to_json()) + "\n")
    return s
