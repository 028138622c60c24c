"""Which recordings a deployment has, and where: the fleet's recording index when
``database:`` is set (one query names every replica's recordings, their state and seal
digest, whatever the bucket holds), else the store's own listing.

``recordings verify --all`` with an index checks both ways: a row whose recording the store
lacks is *missing*, a recording the store holds without a row is *unindexed*.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..config import Config
from . import reader
from .reader import Verification


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
    import json

    from .writer import seal_paths

    with contextlib.suppress(OSError, ValueError, AttributeError):
        return json.loads(seal_paths(path)[1].read_text()).get("sha256")
    return None
