"""Session memory: what earlier allowed lines of one scope wrote, fetched or unpacked. Pure.

A file the agent writes with one allowed line (``curl -o e.tgz``, ``tar -xzf e.tgz -C sub``,
``printf ... > pod``) is the agent's own content to every later line: a build, test or
deploy tool that runs code or reads configuration from it is held exactly as when both
happen on one line (guard/flow.py's written-then-used check). This module places what a
line wrote (relative to where it started) as absolute or ``~/`` paths, turns the memory back
into the roots the walk of a later line starts with, follows the directory an interactive
shell is in, and keeps the memory bounded. The caller passes the clock.

Bounded and fail-closed: the memory never forgets a write to make room (an agent could
otherwise write junk until the write that matters is evicted). Over its bounds a scope's
memory grows *coarser*: paths are replaced by their parent directories, up to the home or
the root and finally to ANYWHERE, which holds every code-running command of the scope until
the entries expire. Entries expire ``ttl`` seconds after their last write.
"""

from __future__ import annotations

import functools
import posixpath
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .flow import ANYWHERE, LIVE, PLANTED, START, UNKNOWN

HOME = "~"
#: the most directories an interactive shell is followed in before it is "unknown"
MAX_STARTS = 8
#: the most of a writing line a finding quotes
LINE_SHOWN = 120


class Written(NamedTuple):
    """A path or tree an earlier line wrote: absolute, ``~/...`` or ANYWHERE, and that line.
    (A tuple: a memory of hundreds is hashed per line, as a cache key, in C.)"""

    path: str
    line: str


@dataclass(frozen=True, slots=True)
class Earlier:
    """What the guard needs to judge a line against the scope's memory: the writes, the
    directories the line may start in (``~``, ``~/x``, ``/abs`` or UNKNOWN) and the absolute
    spellings the home may have (``/home/LOGIN``)."""

    written: tuple[Written, ...] = ()
    starts: tuple[str, ...] = (HOME,)
    homes: tuple[str, ...] = ()
    #: the login this line runs as: a path ``~LOGIN/...`` written by it is ``~/...`` here,
    #: one written by another login of the same identity is in that login's home
    login: str = ""


def _kind(path: str) -> tuple[str, str]:
    """``(kind prefix, path)``: LIVE and PLANTED entries are paths with a prefix (flow.py)."""
    for k in (LIVE, PLANTED):
        if path.startswith(k):
            return k, path[len(k):]
    return "", path


def home_of(login: str) -> str:
    """Where a login's home usually is (the guard cannot ask the target)."""
    return "/root" if login == "root" else f"/home/{login}"


def owned(path: str, login: str) -> str:
    """A placed path as the scope keeps it: ``~/x`` written as ``login`` is ``~login/x``."""
    kind, path = _kind(path)
    if kind:
        return kind + owned(path, login)
    if path == HOME or path.startswith(HOME + "/"):
        return HOME + login + path[1:]
    return path


def shown(line: str) -> str:
    """The line as a finding quotes it: one line, at most LINE_SHOWN characters."""
    one = " ".join(line.split())
    return one if len(one) <= LINE_SHOWN else one[:LINE_SHOWN - 1] + "…"


def _norm(p: str) -> str:
    """``p`` without ``.``/``..``/``//`` components; ``~`` stays the first component, and a
    path that climbs out of the home is ANYWHERE (the guard does not know where it lands)."""
    if p == HOME or p.startswith(HOME + "/"):
        rel = posixpath.normpath(p[2:]) if len(p) > 2 else "."
        if rel == ".":
            return HOME
        if rel == ".." or rel.startswith("../"):
            return ANYWHERE
        return HOME + "/" + rel
    if p.startswith("/"):
        return "/" + posixpath.normpath(p).lstrip("/")
    return p


def place(path: str, start: str) -> str:
    """Where ``path`` (as a line that started in ``start`` spelled it) is: absolute, under
    ``~`` or ANYWHERE (a relative path from a directory the guard does not know); a kind
    (LIVE, PLANTED) stays the path's prefix."""
    kind, path = _kind(path)
    if kind:
        at = place(path, start)
        return at if at == ANYWHERE else kind + at
    if path in (ANYWHERE, UNKNOWN) or start == ANYWHERE:
        return ANYWHERE
    if path == HOME or path.startswith((HOME + "/", "/")):
        return _norm(path)
    if path.startswith(("~", "$")) or start == UNKNOWN:
        # another user's home, a variable, or a directory the guard does not know
        return ANYWHERE
    if path in (START, ".", "./"):
        return _norm(start)
    return _norm(start.rstrip("/") + "/" + path)


def _relative(a: str, start: str) -> str | None:
    """``a`` (placed) as a line starting in ``start`` reaches it relatively: ``""`` when the
    start is ``a`` or under it (every relative path is then inside), None when not below."""
    if a == start or start.startswith(a.rstrip("/") + "/") or a == "/":
        return START
    if a.startswith(start.rstrip("/") + "/"):
        return a[len(start.rstrip("/")) + 1:]
    return None


@functools.lru_cache(maxsize=256)
def seeds(earlier: Earlier) -> tuple[tuple[str, str], ...]:
    """The roots the walk of a line starts with, as ``(root, writing line)``: each written
    path in the spellings the line may use (absolute, ``~/``, relative to each start)."""
    out: dict[str, str] = {}
    for w in earlier.written:
        kind, a = _kind(w.path)
        if a == ANYWHERE:
            out.setdefault(ANYWHERE, w.line)
            continue
        if a.startswith(HOME) and not a.startswith(HOME + "/") and a != HOME:
            user, _, rest = a[1:].partition("/")
            tail = "/" + rest if rest else ""
            # this login's own home, or another login's (by its usual place only)
            a = HOME + tail if user == earlier.login else home_of(user) + tail
        spellings = [a]
        if a == HOME or a.startswith(HOME + "/"):
            spellings += [h.rstrip("/") + a[1:] for h in earlier.homes]
        else:
            # the home by its absolute name (``ln -sfn releases/7 /home/u/app/current``)
            spellings += [HOME + a[len(h.rstrip("/")):] for h in earlier.homes
                          if a == h.rstrip("/") or a.startswith(h.rstrip("/") + "/")]
        for s in spellings:
            out.setdefault(kind + s, w.line)
            for start in earlier.starts:
                if start == UNKNOWN:
                    # the line's relative paths may be anywhere, this tree among them
                    out.setdefault(kind + START, w.line)
                    continue
                rel = _relative(s, start)
                if rel is not None:
                    out.setdefault(kind + rel, w.line)
    return tuple(out.items())


def placed_writes(writes: Iterable[str], starts: tuple[str, ...]) -> tuple[str, ...]:
    """A line's writes (relative to its start, or absolute) placed from each start."""
    return tuple(dict.fromkeys(place(w, s) for w in writes for s in starts))


def next_starts(starts: tuple[str, ...], ends_in: tuple[str, ...]) -> tuple[str, ...]:
    """The directories an interactive shell may be in after a line that started in one of
    ``starts`` and ended in one of ``ends_in`` (relative to that start)."""
    if UNKNOWN in starts or UNKNOWN in ends_in:
        return (UNKNOWN,)
    out = tuple(dict.fromkeys(
        s if e == START else place(e, s) for s in starts for e in ends_in))
    if ANYWHERE in out or len(out) > MAX_STARTS:
        return (UNKNOWN,)
    return out


def shell_starts(cwd: str) -> tuple[str, ...]:
    """Where a gated shell's line starts, for the memory: the shell reports its directory
    with each line and the guard resolves the line's relative paths there, so what the line
    writes is spelled relative to the login's start directory (the home) or absolutely;
    UNKNOWN when the shell could not say (every relative path may be any written tree)."""
    return (UNKNOWN,) if cwd == UNKNOWN else (HOME,)


def _parent(p: str) -> str:
    # posixpath.dirname(p.rstrip("/")) by hand: a fleet replica loads a whole scope's
    # memory (256 entries, every ancestor of each) whenever another one changed it.
    # A kind's paths (live:, links:) coarsen as plain ones do, up to ANYWHERE.
    kind = ""
    if p[:1] == "l":
        kind, p = _kind(p)
    if p in (HOME, "/"):
        return ANYWHERE
    q = p.rstrip("/")
    i = q.rfind("/") + 1
    head = q[:i]
    if head and head != "/" * len(head):
        head = head.rstrip("/")
    return kind + head if head else ANYWHERE


def _ancestors(p: str) -> list[str]:
    """The directories above placed path ``p`` (``~/a/b`` -> ``~/a``, ``~``)."""
    out = []
    while p not in (HOME, "/", ANYWHERE):
        p = _parent(p)
        out.append(p)
    return out


@dataclass(slots=True)
class _Scope:
    #: placed path -> (writing line, time of the last write), oldest write first
    entries: OrderedDict[str, tuple[str, float]]
    size: int = 0
    #: what :meth:`WriteMemory.written` last returned (None: changed since)
    view: tuple[Written, ...] | None = None


class WriteMemory:
    """The writes of allowed lines per scope (an agent's identity and target), each
    kept ``ttl`` seconds after its last write; bounded by ``max_entries`` and ``max_bytes``
    per scope and ``max_scopes`` scopes. Not thread-safe: the gateway calls it on its loop."""

    def __init__(self, ttl: float = 86400.0, max_entries: int = 256,
                 max_bytes: int = 64 * 1024, max_scopes: int = 4096) -> None:
        self.ttl = ttl
        self.max_entries = max(1, max_entries)
        self.max_bytes = max(64, max_bytes)
        self.max_scopes = max(1, max_scopes)
        #: scopes, the one written longest ago first
        self._scopes: OrderedDict[Hashable, _Scope] = OrderedDict()
        #: set when the table of scopes overflowed: (the time, why)
        self._overflow: tuple[float, str] | None = None

    def written(self, scope: Hashable, now: float) -> tuple[Written, ...]:
        """What earlier lines of ``scope`` wrote (and still within the TTL)."""
        self._expire(now)
        out: tuple[Written, ...] = ()
        if self._overflow is not None:
            out = (Written(ANYWHERE, self._overflow[1]),)
        sc = self._scopes.get(scope)
        if sc is None:
            return out
        self._expire_scope(sc, now)
        if sc.view is None:
            sc.view = tuple(Written(p, line) for p, (line, _) in sc.entries.items())
        return out + sc.view

    def add(self, scope: Hashable, paths: Iterable[str], line: str, now: float) -> None:
        """Remember that ``line`` (allowed or approved) wrote ``paths`` (placed)."""
        paths = [p for p in paths if p]
        if not paths:
            return
        self._expire(now)
        sc = self._scopes.get(scope)
        if sc is None:
            if len(self._scopes) >= self.max_scopes:
                # never forget another scope's writes to make room: every scope is held
                # as if it had written everywhere, until this drains (TTL)
                self._overflow = (now, f"(the gateway's write memory is full: "
                                       f"{self.max_scopes} scopes)")
                return
            sc = self._scopes[scope] = _Scope(OrderedDict())
        self._scopes.move_to_end(scope)
        by = shown(line)
        for p in paths:
            # a tree already kept holds this path: keep the tree alive instead
            tree = next((a for a in _ancestors(p) if a in sc.entries), None)
            old = sc.entries.pop(tree or p, None)
            if tree is not None and old is not None:
                sc.entries[tree] = (old[0], now)  # who wrote the tree stays its writer
                continue
            if old is not None:
                sc.size -= len(p) + len(old[0])
            if old is None or old[0] != by:
                sc.view = None
            sc.entries[p] = (by, now)
            sc.size += len(p) + len(by)
        while len(sc.entries) > self.max_entries or sc.size > self.max_bytes:
            if not self._coarsen(sc):
                break

    def _coarsen(self, sc: _Scope) -> bool:
        """One step coarser: the deepest paths replaced by their parent directories (a tree
        holds everything below it, so nothing written is forgotten)."""
        if list(sc.entries) == [ANYWHERE]:
            return False
        depth = max(p.count("/") for p in sc.entries)
        merged: dict[str, tuple[str, float]] = {}
        for p, (line, t) in sc.entries.items():
            q = _parent(p) if p.count("/") == depth else p
            old = merged.get(q)
            merged[q] = (line, max(t, old[1])) if old else (line, t)
        if ANYWHERE in merged:
            last = max(t for _, t in merged.values())
            merged = {ANYWHERE: (merged[ANYWHERE][0], last)}
        # a tree subsumes the paths under it
        keep = {p: v for p, v in merged.items()
                if not any(a in merged for a in _ancestors(p))}
        sc.entries = OrderedDict(sorted(keep.items(), key=lambda kv: kv[1][1]))
        sc.size = sum(len(p) + len(v[0]) for p, v in keep.items())
        sc.view = None
        return True

    def _expire_scope(self, sc: _Scope, now: float) -> None:
        while sc.entries:
            p, (line, t) = next(iter(sc.entries.items()))
            if now - t <= self.ttl:
                return
            del sc.entries[p]
            sc.size -= len(p) + len(line)
            sc.view = None

    def _expire(self, now: float) -> None:
        if self._overflow is not None and now - self._overflow[0] > self.ttl:
            self._overflow = None
        while self._scopes:
            key, sc = next(iter(self._scopes.items()))
            self._expire_scope(sc, now)
            if sc.entries:
                return  # scopes are in order of their last write: the rest are newer
            del self._scopes[key]

    def entries(self, scope: Hashable, now: float) -> tuple[tuple[str, str, float], ...]:
        """``scope``'s memory as plain data, ``(path, line, time of the last write)``, the
        oldest write first (what :meth:`load` takes back)."""
        self._expire(now)
        sc = self._scopes.get(scope)
        if sc is None:
            return ()
        self._expire_scope(sc, now)
        return tuple((p, line, t) for p, (line, t) in sc.entries.items())

    def load(self, scope: Hashable, entries: Iterable[tuple[str, str, float]],
             now: float) -> None:
        """Add what :meth:`entries` returned (another process's memory of ``scope``) to a
        memory that does not hold ``scope`` yet: each entry at its own time, within this
        memory's bounds (coarser if need be); expired entries are dropped."""
        for path, line, t in sorted(entries, key=lambda e: e[2]):
            if now - t <= self.ttl:
                self.add(scope, (path,), line, min(t, now))

    def clone(self) -> WriteMemory:
        """An independent copy (same bounds, same entries and times)."""
        other = WriteMemory(self.ttl, self.max_entries, self.max_bytes, self.max_scopes)
        other._overflow = self._overflow
        for key, sc in self._scopes.items():
            other._scopes[key] = _Scope(OrderedDict(sc.entries), sc.size, sc.view)
        return other

    def __len__(self) -> int:
        return sum(len(sc.entries) for sc in self._scopes.values())
