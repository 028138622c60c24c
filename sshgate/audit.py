"""Append-only JSONL audit log of every decision. Each line carries the hash of the previous
one, and ``audit.head`` lines sign the log so far with the gateway's audit key (SSHSIG), so
that someone who can write the file but not read the key cannot rewrite, delete or cut lines
unnoticed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncssh

from . import sshsig

GENESIS = "0" * 64
#: SSHSIG namespace of audit head signatures (recordings use ``sshgate-recording``).
NAMESPACE = "sshgate-audit"
HEAD = "audit.head"
#: Events after which the chain head is signed at once (a recording's seal is evidence).
SIGN_AFTER = frozenset({"recording.sealed", "gateway.start"})
#: Hex digits of each line's SHA-256 kept in a head, to name the line that was changed.
DIGEST_CHARS = 16


def line_hash(line: bytes) -> str:
    """SHA-256 of one audit line as written, without its newline."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class AuditLog:
    """Appends hash-chained JSON lines. Safe to share between threads of one process.

    With ``signer``, the chain head is signed (an ``audit.head`` line) when the log is opened
    over lines no stop head covers, after events in ``SIGN_AFTER``, at least every
    ``sign_every`` events, and at :meth:`close` (``final``). A head on line N+1 signs the
    bytes of lines 1..N: ``head -n N audit.jsonl | ssh-keygen -Y verify -n sshgate-audit``."""

    def __init__(self, path: Path, signer: asyncssh.SSHKey | None = None,
                 sign_every: int = 100):
        self.path = path
        self.signer = signer
        self.sign_every = sign_every
        self._key_id = signer.get_fingerprint() if signer is not None else ""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        #: called with each record after it is written (notifications); never raise into it
        self.observers: list[Callable[[dict[str, Any]], None]] = []
        self._fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        self._sha512 = hashlib.sha512()
        self._lines = 0  # lines in the file
        self._digests: list[str] = []  # short digests of the lines since the last head covered
        self._covered = 0  # lines covered by the last head
        self._since_head = 0  # events written since the last head
        clean, last, complete = self._scan()
        self._prev = line_hash(last) if last else GENESIS
        if not complete:
            # A crash tore the last line: end it, and chain a record of the repair to it so
            # that verification can tell a crash from an edit.
            os.write(self._fd, b"\n")
            self._sha512.update(b"\n")
            self.write("audit.recovered", torn_line_sha256=self._prev)
        if signer is not None and self._lines and not clean:
            # Lines a crashed run wrote after its last head are signed now, late: verify
            # says so (a stop head ends every run that stopped cleanly).
            with self._lock:
                self._head(final=False, resumed_after=self._covered)

    def _scan(self) -> tuple[bool, bytes, bool]:
        """Hash the existing file and find its last head: (ends with a stop head, last line,
        ends with a newline)."""
        last = b""
        clean = True
        with os.fdopen(os.dup(self._fd), "rb") as f:
            f.seek(0)
            for raw in f:
                self._sha512.update(raw)
                line = raw.rstrip(b"\n")
                self._lines += 1
                last = raw
                head = _head_record(line)
                if head is not None:
                    self._digests = [line_hash(line)[:DIGEST_CHARS]]
                    self._covered = self._lines - 1
                    clean = bool(head.get("final"))
                else:
                    self._digests.append(line_hash(line)[:DIGEST_CHARS])
                    clean = False
        if not self._lines:
            return True, b"", True
        return clean, last.rstrip(b"\n"), last.endswith(b"\n")

    def _append(self, line: bytes) -> None:
        data = line + b"\n"
        os.write(self._fd, data)
        self._sha512.update(data)
        self._lines += 1
        self._prev = line_hash(line)
        self._digests.append(self._prev[:DIGEST_CHARS])

    def write(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append one event; returns the record as written."""
        with self._lock:
            record = {"ts": now_iso(), "event": event, **fields, "prev": self._prev}
            line = json.dumps(record, separators=(",", ":"), sort_keys=False, default=str).encode()
            self._append(line)
            self._since_head += 1
            if self.signer is not None and (event in SIGN_AFTER
                                            or self._since_head >= self.sign_every):
                self._head(final=False)
        for observe in self.observers:
            try:
                observe(record)
            except Exception:  # an observer (notifications) never costs the audit its line
                logging.getLogger("sshgate.audit").exception("audit observer failed")
        return record

    def _head(self, *, final: bool, resumed_after: int | None = None) -> None:
        """Sign lines 1..N (the whole file so far) in a head on line N+1 (lock held)."""
        assert self.signer is not None
        covered = self._lines
        sig = sshsig.sign_digest(self._sha512.digest(), "sha512", self.signer, NAMESPACE)
        record: dict[str, Any] = {
            "ts": now_iso(), "event": HEAD, "lines": covered, "from": self._covered + 1,
            "digests": self._digests, "final": final, "key": self._key_id,
            "sig": sig,
        }
        if resumed_after is not None:
            record["resumed_after"] = resumed_after
        record["prev"] = self._prev
        self._digests = []
        self._covered = covered
        self._since_head = 0
        self._append(json.dumps(record, separators=(",", ":")).encode())

    def sync(self) -> None:
        os.fsync(self._fd)

    def close(self) -> None:
        """Sign the final head (the log of a run that stopped cleanly ends with it)."""
        with self._lock:
            if self._fd >= 0:
                if self.signer is not None:
                    self._head(final=True)
                os.fsync(self._fd)
                os.close(self._fd)
                self._fd = -1


def _head_record(line: bytes) -> dict[str, Any] | None:
    if b'"event":"audit.head"' not in line:
        return None
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    return rec if isinstance(rec, dict) and rec.get("event") == HEAD else None


@dataclass(frozen=True, slots=True)
class ChainProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


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


@dataclass(frozen=True, slots=True)
class AuditReport:
    """What :func:`verify_log` found: problems fail verification, notes do not."""

    lines: int
    heads: int
    signed_through: int  # the last line a valid head covers
    problems: tuple[ChainProblem, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def _locate(rec: dict[str, Any], digests: list[str], head_line: int) -> ChainProblem | None:
    """The first line of a head's range whose digest differs from the one it signed."""
    signed = rec.get("digests")
    first = rec.get("from")
    if not isinstance(signed, list) or not isinstance(first, int) or first < 1:
        return None
    actual = digests[first - 1:head_line - 1]
    for i, (want, have) in enumerate(zip(signed, actual, strict=False)):
        if want != have:
            where = f"the signed head on line {head_line}"
            if have in signed[i + 1:]:
                gone = signed.index(have, i + 1) - i
                return ChainProblem(first + i, f"{gone} line(s) deleted just before this "
                                               f"line (per {where})")
            if want in actual[i + 1:]:
                return ChainProblem(first + i, f"line(s) inserted here (per {where})")
            return ChainProblem(first + i, f"rewritten: it does not match {where}")
    if len(actual) < len(signed):
        return ChainProblem(first + len(actual), f"{len(signed) - len(actual)} line(s) "
                            f"deleted here: the signed head on line {head_line} lists "
                            f"{len(signed)} lines since line {first}, the file has "
                            f"{len(actual)}")
    if len(actual) > len(signed):
        return ChainProblem(first + len(signed), f"line(s) inserted here: the signed head "
                            f"on line {head_line} lists {len(signed)} lines since line "
                            f"{first}, the file has {len(actual)}")
    return None


def verify_log(path: Path, public_key: asyncssh.SSHKey, *,
               running_pid: int | None = None) -> AuditReport:
    """Check the hash chain and every signed head against ``public_key``, and that the log
    ends with the head written at stop (unless ``running_pid``: a gateway holds it)."""
    problems = verify_chain(path)
    notes: list[str] = []
    data = path.read_bytes()
    lines = data.split(b"\n")
    complete = not lines[-1]
    if complete:
        lines.pop()
    sha512 = hashlib.sha512()
    digests: list[str] = []
    heads = signed_through = last_head = 0
    last_final = False
    for n, raw in enumerate(lines, 1):
        rec = _head_record(raw)
        if rec is not None:
            heads += 1
            last_head, last_final = n, rec.get("final") is True
            covered = rec.get("lines")
            if covered != n - 1:
                what = "deleted" if isinstance(covered, int) and covered > n - 1 else "inserted"
                problems.append(ChainProblem(n, f"this signed head covers {covered} lines but "
                                                f"follows line {n - 1}: lines were {what} "
                                                "before it"))
            err = sshsig.verify(b"", str(rec.get("sig", "")), public_key, NAMESPACE,
                                digests={"sha512": sha512.digest()})
            if err is None:
                signed_through = n - 1
            else:
                where = _locate(rec, digests, n)
                if where is not None:
                    problems.append(where)
                if where is None or err == "signed by a different key":
                    problems.append(ChainProblem(n, f"signed head does not verify ({err}): "
                                                    f"lines 1..{n - 1} are not what was "
                                                    "signed"))
            resumed = rec.get("resumed_after")
            if resumed == 0 and heads == 1:
                notes.append(f"lines 1..{n - 1} predate audit signing (no audit key yet) and "
                             f"were signed only at line {n}, when the gateway started with one")
            elif isinstance(resumed, int) and resumed < n - 1:
                notes.append(f"lines {resumed + 1}..{n - 1} were written by a run that did not "
                             f"stop cleanly (crash or kill) and signed only at the next start "
                             f"(line {n}): a change made to them in between would not show")
            elif isinstance(resumed, int):
                notes.append(f"line {n}: the run before this start did not end with a stop "
                             "head (crash, kill, or the log was cut while stopped)")
        digests.append(line_hash(raw)[:DIGEST_CHARS])
        sha512.update(raw + b"\n" if n < len(lines) or complete else raw)
    total = len(lines)
    if total == 0:
        problems.append(ChainProblem(1, "the log is empty (truncated?)"))
    elif heads == 0:
        problems.append(ChainProblem(total, "no signed head in the log (written without an "
                                            "audit key, or its heads were removed)"))
    elif not (last_final and last_head == total):
        if running_pid is not None:
            if last_head < total:
                notes.append(f"lines {last_head + 1}..{total} are not signed yet: the gateway "
                             f"(pid {running_pid or '?'}) is running and signs them soon")
        elif last_head == total:
            problems.append(ChainProblem(total, "the log ends at a periodic signed head, not "
                                                "the one written at stop: lines after it were "
                                                "cut off, or the gateway was killed"))
        else:
            problems.append(ChainProblem(last_head + 1, f"lines {last_head + 1}..{total} come "
                                         f"after the last signed head (line {last_head}) and "
                                         "no stop head follows: lines were appended or cut "
                                         "off, or the gateway was killed"))
    problems.sort(key=lambda p: p.line)
    return AuditReport(total, heads, signed_through, tuple(problems), tuple(notes))
