"""Versioned migrations of the fleet schema (``migrations/NNNN_name.sql``), applied in order
by ``sshgate db migrate``; ``serve`` runs only against the version it was built for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: serialises concurrent `db migrate` runs (any constant; "sshg" in ASCII)
MIGRATE_LOCK = 0x73736867
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class SchemaError(Exception):
    """The database's schema is missing, older or newer than this sshgate's."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The migrations shipped with this package, oldest first."""
    out = []
    for item in resources.files("sshgate.state").joinpath("migrations").iterdir():
        m = _NAME.match(item.name)
        if m:
            out.append(Migration(int(m.group(1)), m.group(2), item.read_text(encoding="utf-8")))
    out.sort(key=lambda m: m.version)
    if [m.version for m in out] != list(range(1, len(out) + 1)):
        raise SchemaError("migrations are not numbered 1..N without gaps")
    return out


def latest() -> int:
    return migrations()[-1].version


async def current_version(conn: Any) -> int | None:
    """The schema version recorded in the database (None: no sshgate schema)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return None
    return await conn.fetchval("SELECT max(version) FROM schema_version")


async def migrate(conn: Any) -> list[Migration]:
    """Apply the migrations the database lacks, each in its own transaction; idempotent and
    safe to run from several machines at once. Returns what was applied."""
    applied = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATE_LOCK)
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                           "version integer PRIMARY KEY, name text NOT NULL, "
                           "applied timestamptz NOT NULL DEFAULT now())")
        have = await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version")
        if have > latest():
            raise SchemaError(f"the database's schema is version {have}, newer than this "
                              f"sshgate knows ({latest()}): upgrade sshgate")
        for m in migrations():
            if m.version > have:
                await conn.execute(m.sql)
                await conn.execute("INSERT INTO schema_version (version, name) VALUES ($1, $2)",
                                   m.version, m.name)
                applied.append(m)
    return applied


async def check(conn: Any) -> int:
    """Raise :class:`SchemaError` unless the schema is exactly the one this sshgate knows."""
    have = await current_version(conn)
    want = latest()
    if have is None:
        raise SchemaError("the database has no sshgate schema: run 'sshgate db migrate'")
    if have < want:
        raise SchemaError(f"the database's schema is version {have}, this sshgate needs "
                          f"{want}: run 'sshgate db migrate'")
    if have > want:
        raise SchemaError(f"the database's schema is version {have}, newer than this sshgate "
                          f"knows ({want}): upgrade sshgate on this machine")
    return have
