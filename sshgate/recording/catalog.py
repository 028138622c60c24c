"""Which recordings a deployment has, and where: the fleet's recording index when
``database:`` is set (one query names every replica's recordings, their state and seal
digest, whatever the bucket holds), else the store's own listing.

``recordings verify --all`` with an index checks both ways: a row whose recording the store
lacks is *missing*, a recording the store holds without a row is *unindexed*.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from . import reader
from .reader import Verification

if TYPE_CHECKING:
    from ..state.postgres import IndexBackfill
    from .store import RecordingStore


def here(config: Config) -> str | None:
    """This machine's replica id, if it runs one (never created by a reader)."""
    with contextlib.suppress(OSError):
        return (config.state_dir / "replica-id").read_text().strip() or None
    return None


def rows(config: Config, *, prefix: str | None = None, identity: str | None = None,
         target: str | None = None, since: float | None = None) -> list[dict[str, Any]]:
    """The index rows (see :func:`sshgate.state.postgres.read_index`)."""
    from ..state.postgres import read_index

    assert config.database
    return read_index(config.database, prefix=prefix, identity=identity, target=target,
                      since=since)


def find(config: Config, id_or_prefix: str) -> dict[str, Any]:
    """The index row a full id or unique prefix names (InvalidId, LookupError)."""
    if not reader.is_id(id_or_prefix):
        reader.path_of(Path("."), id_or_prefix)  # raises InvalidId with the usual message
    hits = rows(config, prefix=id_or_prefix)
    exact = [r for r in hits if r["id"] == id_or_prefix]
    if exact or len(hits) == 1:
        return (exact or hits)[0]
    if not hits:
        raise LookupError(f"no recording {id_or_prefix!r} in the recording index")
    raise LookupError(f"{id_or_prefix!r} is ambiguous: "
                      + ", ".join(r["id"] for r in hits[:10]))


def unreadable(row: dict[str, Any]) -> str:
    """Why a recording the index names cannot be read from this machine."""
    where = f"replica {row['replica']} ({row['location']})"
    return {
        "live": f"recording {row['id']} is live on {where}: readable here once it is sealed "
                "and stored",
        "lost": f"recording {row['id']} was cut off when replica {row['replica']} died; it "
                f"waits at {row['location']} on that replica until it restarts",
        "sealed": f"recording {row['id']} is sealed on {where} and not stored where this "
                  "machine reads yet",
        "uploaded": f"the index says recording {row['id']} was uploaded to "
                    f"{row['location']}, but it is not there",
    }.get(row["state"], f"recording {row['id']} ({row['state']}) is on {where}")


def plan_verify(index: list[dict[str, Any]], stored: Iterable[str], *, bucket: bool,
                replica: str | None) -> tuple[list[str], dict[str, Verification]]:
    """What ``verify --all`` checks by content (ids, index order first, then recordings the
    store holds without a row) and what the index alone settles (live, lost, missing)."""
    have = list(dict.fromkeys(stored))
    present = set(have)
    check: list[str] = []
    settled: dict[str, Verification] = {}
    for row in index:
        rid, state = row["id"], row["state"]
        if state == "live":
            settled[rid] = Verification(rid, True, "live", notes=[
                f"live on replica {row['replica']}: sealed when its session ends"])
        elif rid in present:
            check.append(rid)
        elif state == "lost":
            settled[rid] = Verification(rid, False, "lost", [unreadable(row)])
        elif state == "sealed" and bucket:
            settled[rid] = Verification(rid, False, "not uploaded", [
                f"sealed on replica {row['replica']} and not in the bucket yet: it waits in "
                f"that replica's spool ({row['location']})"])
        elif not bucket and row["replica"] != replica:
            settled[rid] = Verification(rid, True, "elsewhere", notes=[
                f"kept on replica {row['replica']}'s disk ({row['location']}): verify it "
                "there"])
        else:
            settled[rid] = Verification(rid, False, "missing", [
                f"the recording index names {row['location']}, which the store does not hold"
                if state == "uploaded" or not bucket else unreadable(row)])
    indexed = {row["id"] for row in index}
    check += [rid for rid in have if rid not in indexed]
    return check, settled


def against_index(result: Verification, row: dict[str, Any] | None,
                  path: Path) -> Verification:
    """A recording's own verification (of ``path``), held against its index row: no row, or
    a row whose digest is not the seal's, is a problem."""
    if row is None:
        result.problems.append("not in the recording index: no gateway of this fleet says it "
                               "made it (or its row was lost)")
        return Verification(result.id, False, "unindexed" if result.ok else result.status,
                            result.problems, result.notes)
    sealed = _seal_digest(path)
    if row["sha256"] and sealed and sealed != row["sha256"]:
        result.problems.append("the seal does not match the digest in the recording index "
                               "(swapped seal?)")
        return Verification(result.id, False, "tampered", result.problems, result.notes)
    return result


def _seal_digest(path: Path) -> str | None:
    from .writer import seal_paths

    with contextlib.suppress(OSError, ValueError, AttributeError):
        return json.loads(seal_paths(path)[1].read_text()).get("sha256")
    return None


# -- `recordings reindex`: recordings made before `database:` was set ------------------------
@dataclass(frozen=True, slots=True)
class Backfilled:
    """What ``recordings reindex`` did with one recording the index lacked: ``indexed``
    only after its seal and signature verified (``status`` is the verification's)."""

    id: str
    indexed: bool
    status: str
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def unindexed(store: RecordingStore, indexed: set[str]) -> list[str]:
    """What the store holds, sealed and stored, that the index lacks, oldest first (a
    recording still in a replica's spool is that replica's to index)."""
    return [st.id for st in store.list() if st.where != "spool" and st.id not in indexed]


def backfill(store: RecordingStore, ids: list[str], index: IndexBackfill, *,
             replica: str, verify: Callable[[str, Path], Verification]
             ) -> Iterator[Backfilled]:
    """Verify each recording in ``ids`` (``verify(id, local copy)``) and add the genuine
    ones to the index, one at a time so that an interrupted run keeps what it did. A
    recording that does not verify (forged, edited, unsealed) is reported, never indexed.
    Running it again adds nothing twice."""
    for rid in ids:
        if not reader.is_id(rid):  # a file planted in the directory under another name
            yield Backfilled(rid, False, "not a recording", (
                f"{rid}{reader.SUFFIX} is not named as a recording (hex id)",))
            continue
        path = store.local_copy(rid)
        result = verify(rid, path)
        if not result.ok:
            yield Backfilled(rid, False, result.status, tuple(result.problems),
                             tuple(result.notes))
            continue
        row = _backfill_row(rid, path, store.address(rid), replica)
        added = index.add(row)
        notes = tuple(result.notes) + (() if added else (
            "a row appeared meanwhile (its replica, or another reindex): left as it is",))
        yield Backfilled(rid, added, result.status if added else "indexed already", (), notes)


#: the replica column of a bucket's recording indexed by `recordings reindex`: which replica
#: made it is not recorded in it
REINDEXED = "reindexed"


def genuine(rid: str, path: Path, *, public_key: Any, legacy_key: Any,
            seals: dict[str, str], failures: dict[str, str], bucket: bool) -> Verification:
    """The check a recording passes before ``reindex`` calls it genuine: its seal and
    signature by the recording key, and its digest in this machine's audit log when that
    log knows it (always, on local disk). A seal by the old host key counts only with the
    audit log's digest, as ``verify`` requires."""
    shared = bucket and rid not in seals
    return reader.verify(path, public_key, None if shared else seals, failures,
                         legacy_key=legacy_key if rid in seals else None)


def _backfill_row(rid: str, path: Path, location: str, replica: str) -> dict[str, Any]:
    """The index row of a verified recording: who and when from its header, the digest,
    size and time from its seal (both covered by the signature just checked)."""
    from .writer import seal_paths

    seal = json.loads(seal_paths(path)[1].read_text())
    head = reader.index_fields(path)
    return {"id": rid, "replica": replica, "identity": head.get("identity", "?"),
            "target": head.get("target", "?"), "login": head.get("login", "?"),
            "started": head.get("started", ""), "location": location,
            "sha256": seal["sha256"], "size": seal["size"], "sealed": seal.get("sealed_at")}
