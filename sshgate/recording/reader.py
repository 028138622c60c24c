"""Read, list and verify recordings. Pure parsing; tolerant of a torn last line."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .writer import NAMESPACE, seal_paths

SUFFIX = ".cast"
BYTE_CODES = ("o", "e", "i", "ob", "eb", "ib")


@dataclass(frozen=True, slots=True)
class Event:
    time: float
    code: str
    data: str

    @property
    def stream(self) -> str:
        """``o``, ``e`` or ``i`` for output, stderr and input events (text or binary)."""
        return self.code[0] if self.code in BYTE_CODES else ""

    @property
    def raw(self) -> bytes:
        """The exact bytes of an o/e/i (or base64 ob/eb/ib) event."""
        if self.code.endswith("b"):
            return base64.b64decode(self.data)
        return self.data.encode("utf-8", "surrogateescape")

    @property
    def text(self) -> str:
        """What a terminal would be sent, as text (surrogates for invalid bytes)."""
        if self.code.endswith("b"):
            return self.raw.decode("utf-8", "surrogateescape")
        return self.data


@dataclass(frozen=True, slots=True)
class Recording:
    path: Path
    header: dict[str, Any]
    events: tuple[Event, ...]
    torn: bool = False
    problems: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.path.name.removesuffix(SUFFIX)

    @property
    def meta(self) -> dict[str, Any]:
        return self.header.get("sshgate", {})

    @property
    def duration(self) -> float:
        return self.events[-1].time if self.events else 0.0

    def commands(self) -> list[dict[str, Any]]:
        """The timeline: each ``m`` marker's data (``requested``, ``decided`` and ``waited``
        in seconds from the start), with the exit status that followed; ``failed`` says why
        the target never ran it."""
        out: list[dict[str, Any]] = []
        version = self.meta.get("format", 1)
        structured = isinstance(version, int) and version >= 2
        for ev in self.events:
            if ev.code == "m":
                entry: dict[str, Any] = {"time": ev.time, **(
                    _marker(ev.data) if structured else _legacy_marker(ev.data))}
                waited = entry.get("waited")
                waited = float(waited) if isinstance(waited, int | float) else 0.0
                entry["waited"] = waited
                entry["decided"] = ev.time
                entry["requested"] = round(max(0.0, ev.time - waited), 6)
                out.append(entry)
            elif ev.code == "x":
                try:
                    end = json.loads(ev.data)
                except ValueError:
                    end = ev.data
                failed = end.get("failed") if isinstance(end, dict) else None
                if not out:
                    if not failed:
                        continue
                    out.append({"time": ev.time, "label": "(session)", "requested": ev.time,
                                "decided": ev.time, "waited": 0.0})
                out[-1]["exit"] = end
                if failed:
                    out[-1]["failed"] = str(failed)
        return out

    def output(self, stderr: bool = True) -> bytes:
        streams = ("o", "e") if stderr else ("o",)
        return b"".join(e.raw for e in self.events if e.stream in streams)


def _marker(data: str) -> dict[str, Any]:
    """A format-2 marker: one JSON object with the command as ``label``."""
    try:
        entry = json.loads(data)
    except ValueError:
        entry = None
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        return {"label": data, "meta": "not a JSON marker"}
    return entry


def _legacy_marker(data: str) -> dict[str, Any]:
    """A format-1 marker: ``label<TAB>json`` (a tab in the command was ambiguous)."""
    label, _, meta = data.partition("\t")
    entry: dict[str, Any] = {"label": label}
    if meta:
        try:
            entry.update(json.loads(meta))
        except ValueError:
            entry["meta"] = meta
    return entry


def parse(path: Path, raw: bytes | None = None) -> Recording:
    """Parse a recording (``raw``: its bytes, if read already); a torn last line (crash) is
    reported, not fatal."""
    if raw is None:
        raw = path.read_bytes()
    lines = raw.split(b"\n")
    torn = bool(lines and lines[-1])
    if not torn:
        lines = lines[:-1]
    problems: list[str] = []
    if not lines or not lines[0]:
        raise ValueError(f"{path}: empty recording")
    try:
        header = json.loads(lines[0])
    except ValueError:
        raise ValueError(f"{path}: the header is not JSON") from None
    if not isinstance(header, dict) or header.get("version") != 2:
        raise ValueError(f"{path}: not an asciicast v2 recording")
    events: list[Event] = []
    for n, line in enumerate(lines[1:], 2):
        try:
            t, code, data = json.loads(line.decode("utf-8", "surrogateescape"))
            events.append(Event(float(t), str(code), str(data)))
        except (ValueError, TypeError):
            if n == len(lines) and torn:
                problems.append(f"line {n}: incomplete last line (the writer was cut off)")
            else:
                problems.append(f"line {n}: not a valid event")
    return Recording(path, header, tuple(events), torn, tuple(problems))


class InvalidId(ValueError):
    """A recording id that is not hex digits (a path, a glob, anything else)."""


_ID = re.compile(r"[0-9a-f]{1,64}")


def is_id(text: str) -> bool:
    """Whether ``text`` has the shape of a recording id (or a prefix of one)."""
    return _ID.fullmatch(text) is not None


def path_of(directory: Path, recording_id: str) -> Path:
    """Where recording ``recording_id`` lives in ``directory``; InvalidId unless the id is
    hex digits, so that no id names a file elsewhere (``../x``, ``/tmp/x``, ``*``)."""
    if not is_id(recording_id):
        raise InvalidId(f"{recording_id!r} is not a recording id (hex digits, or a unique "
                        "prefix of them)")
    return directory / f"{recording_id}{SUFFIX}"


def find(directory: Path, id_or_prefix: str) -> Path:
    """A recording by id or unique prefix (like git). Raises InvalidId for anything but hex
    digits, LookupError naming the choices."""
    exact = path_of(directory, id_or_prefix)
    if exact.exists():
        return exact
    hits = sorted(directory.glob(f"{id_or_prefix}*{SUFFIX}"))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise LookupError(f"no recording {id_or_prefix!r} in {directory}")
    raise LookupError(f"{id_or_prefix!r} is ambiguous: " +
                      ", ".join(h.name.removesuffix(SUFFIX) for h in hits[:10]))


def unique_prefixes(ids: list[str], minimum: int = 8) -> dict[str, str]:
    """Each id's shortest prefix (at least ``minimum`` characters) that no other id shares."""
    out: dict[str, str] = {}
    ordered = sorted(set(ids))
    for i, rid in enumerate(ordered):
        common = 0
        for other in (ordered[i - 1] if i else "", ordered[i + 1] if i + 1 < len(ordered)
                      else ""):
            n = 0
            while n < min(len(rid), len(other)) and rid[n] == other[n]:
                n += 1
            common = max(common, n)
        out[rid] = rid[:max(minimum, common + 1)]
    return out


def list_recordings(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime)


@dataclass
class Verification:
    id: str
    ok: bool
    status: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def verify(path: Path, public_key, audit_seals: dict[str, str] | None = None,
           audit_failures: dict[str, str] | None = None, legacy_key=None) -> Verification:
    """Check the seal (digest + SSHSIG signature) of one recording and its audit entry.
    ``audit_failures``: recording id -> the error the gateway logged when recording failed.
    ``legacy_key``: the gateway host key, which sealed recordings before the recording key."""
    from .. import sshsig

    rid = path.name.removesuffix(SUFFIX)
    if not path.exists():
        return Verification(rid, False, "missing", [f"{path} does not exist"])
    sig_path, seal_path = seal_paths(path)
    content = path.read_bytes()  # read and hashed once: recordings can be gigabytes
    problems: list[str] = []
    notes: list[str] = []
    try:
        rec = parse(path, content)
        problems.extend(rec.problems)
    except ValueError as e:
        return Verification(rid, False, "unreadable", [str(e)])
    named = rec.meta.get("session")
    if named is not None and str(named) != rid:
        # the seal covers the bytes, not the file's name: a genuine recording copied under
        # another id must not pass as a session that never was
        problems.append(f"renamed: its header names session {str(named)[:64]}, not {rid} "
                        "(a copy of another recording?)")
    if not seal_path.exists() and not sig_path.exists():
        failure = (audit_failures or {}).get(rid)
        why = (f"unsealed: recording failed ({failure}); the gateway ended the session"
               if failure else
               "unsealed: the gateway stopped before the session closed (crash or kill)")
        if rec.torn:
            why += "; last line incomplete"
        return Verification(rid, False, "unsealed", [why, *problems])
    try:
        seal = json.loads(seal_path.read_text())
    except (OSError, ValueError):
        return Verification(rid, False, "bad seal", [f"{seal_path} is missing or unreadable"])
    if seal.get("recovered") is True:
        # sealed by the next start after a kill: a last line cut by the kill is part of
        # what was sealed, not damage done since
        cut = [p for p in problems if "incomplete last line" in p]
        problems = [p for p in problems if p not in cut]
        notes.append("recovered: left unsealed by a gateway killed mid-session (or whose "
                     "recorder failed: see the audit log), sealed at its next start; it ends "
                     "where the gateway stopped writing"
                     + (" (its last line was cut by the kill)" if cut else ""))
    sha256 = hashlib.sha256(content).digest()
    digest = sha256.hex()
    if len(content) < seal.get("size", 0):
        problems.append(f"truncated: {len(content)} bytes, sealed at {seal['size']}")
    elif len(content) > seal.get("size", 0):
        problems.append(f"appended to: {len(content)} bytes, sealed at {seal['size']}")
    if digest != seal.get("sha256"):
        problems.append("edited: the content does not match the sealed SHA-256")
    if not sig_path.exists():
        problems.append(f"signature {sig_path.name} is missing")
    else:
        sig = sig_path.read_text()
        err = (sshsig.verify(content, sig, public_key, NAMESPACE, digests={"sha256": sha256})
               if public_key is not None else "no recording key to check it with")
        if err and legacy_key is not None and sshsig.verify(
                content, sig, legacy_key, NAMESPACE, digests={"sha256": sha256}) is None:
            err = None
            notes.append("sealed with the gateway host key (before sshgate had a recording "
                         "key); its digest must match the audit log")
        if err:
            problems.append(f"signature: {err}")
    if audit_seals is not None:
        logged = audit_seals.get(rid)
        if logged is None:
            problems.append("the audit log has no seal for this recording")
        elif logged != seal.get("sha256"):
            problems.append("the seal does not match the digest in the audit log (swapped seal?)")
    if problems:
        return Verification(rid, False, "tampered", problems, notes)
    return Verification(rid, True, "recovered" if seal.get("recovered") is True else "ok",
                        notes=notes)


def index_fields(path: Path) -> dict[str, str]:
    """Who and when, from a recording's header line (for its index row); {} if unreadable."""
    try:
        with path.open("rb") as f:
            head = json.loads(f.readline()).get("sshgate", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(head, dict):
        return {}
    return {k: str(head[k]) for k in ("identity", "target", "login", "started")
            if head.get(k) is not None}
