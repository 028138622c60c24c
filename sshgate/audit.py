"""Append-only JSONL audit log of every decision; each line carries the hash of the previous one."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64


def line_hash(line: bytes) -> str:
    """SHA-256 of one audit line as written, without its newline."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _last_line(path: Path) -> tuple[bytes, bool]:
    """The last line of ``path`` and whether the file ends with a newline."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size == 0:
            return b"", True
        pos = size
        chunk = b""
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            f.seek(pos)
            chunk = f.read(step) + chunk
            body = chunk[:-1] if chunk.endswith(b"\n") else chunk
            if b"\n" in body or pos == 0:
                return body.rsplit(b"\n", 1)[-1], chunk.endswith(b"\n")
    return b"", True


class AuditLog:
    """Appends hash-chained JSON lines. Safe to share between threads of one process."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        #: called with each record after it is written (notifications); never raise into it
        self.observers: list[Callable[[dict[str, Any]], None]] = []
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        last, complete = _last_line(path)
        self._prev = line_hash(last) if last else GENESIS
        if not complete:
            # A crash tore the last line: end it, and chain a record of the repair to it so
            # that verification can tell a crash from an edit.
            os.write(self._fd, b"\n")
            self.write("audit.recovered", torn_line_sha256=self._prev)

    def write(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append one event; returns the record as written."""
        with self._lock:
            record = {"ts": now_iso(), "event": event, **fields, "prev": self._prev}
            line = json.dumps(record, separators=(",", ":"), sort_keys=False, default=str).encode()
            os.write(self._fd, line + b"\n")
            self._prev = line_hash(line)
        for observe in self.observers:
            try:
                observe(record)
            except Exception:  # an observer (notifications) never costs the audit its line
                logging.getLogger("sshgate.audit").exception("audit observer failed")
        return record

    def sync(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.fsync(self._fd)
                os.close(self._fd)
                self._fd = -1


@dataclass(frozen=True, slots=True)
class ChainProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def read_audit(path: Path) -> Iterator[dict[str, Any]]:
    """Every well-formed record in the log (torn lines are skipped)."""
    with path.open("rb") as f:
        for raw in f:
            try:
                yield json.loads(raw)
            except ValueError:
                continue


def verify_chain(path: Path) -> list[ChainProblem]:
    """Check every line's ``prev`` against the hash of the line before it."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    torn: str | None = None
    with path.open("rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        problems.append(ChainProblem(len(lines), "last line is incomplete (torn write)"))
    for n, raw in enumerate(lines, 1):
        try:
            rec = json.loads(raw)
            if not isinstance(rec, dict):
                raise ValueError
        except ValueError:
            if n < len(lines):
                torn = line_hash(raw)
            prev = line_hash(raw)
            continue
        if rec.get("prev") != prev:
            problems.append(ChainProblem(n, "hash chain broken (a line before it was edited, "
                                            "removed or inserted)"))
        if torn is not None:
            if rec.get("event") != "audit.recovered" or rec.get("torn_line_sha256") != torn:
                problems.append(ChainProblem(n - 1, "line is not valid JSON"))
            torn = None
        prev = line_hash(raw)
    return problems
