"""``sshgate db migrate`` and ``db status``: the fleet's PostgreSQL schema."""

from __future__ import annotations

import asyncio
import sys

import click

from ..state.schema import SchemaError, latest
from .common import config_option, console, err_console, get_config, json_option, print_json


def _url(config_path: str | None) -> str:
    cfg = get_config(config_path)
    if not cfg.database:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(f"{cfg.path}: no database: set (database: postgresql://...) for a "
                          "fleet of gateways", markup=False, soft_wrap=True)
        sys.exit(2)
    return cfg.database


def _run(coro):
    from ..state.postgres import DatabaseError

    try:
        return asyncio.run(coro)
    except (SchemaError, DatabaseError) as e:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(str(e), markup=False, soft_wrap=True)
        sys.exit(1)


@click.group()
def db() -> None:
    """The PostgreSQL database several gateways share (`database:` in sshgate.yaml)."""


@db.command()
@config_option
def migrate(config_path: str | None) -> None:
    """Create or upgrade the schema to this sshgate's version (idempotent)."""
    from ..state.postgres import run_migrate

    applied, version = _run(run_migrate(_url(config_path)))
    for m in applied:
        console.print(f"applied {m.version:04d}_{m.name}", markup=False)
    console.print(f"schema at version {version}" + ("" if applied else " (nothing to do)"),
                  markup=False)


@db.command()
@config_option
@json_option
def status(config_path: str | None, as_json: bool) -> None:
    """The schema version and every replica: its heartbeat, the digest of the policy it
    runs (red: not the one most replicas run), a refused reload, its reviewers. Exit 1
    unless the schema is the one this sshgate runs with."""
    from ..approvals.render import replicas_table
    from ..state.postgres import fleet_status

    version, rows = _run(fleet_status(_url(config_path)))
    if as_json:
        print_json({"schema": version, "this_sshgate": latest(), "replicas": rows})
        return
    console.print(f"schema at version {version} (this sshgate: {latest()})", markup=False)
    if rows:
        console.print(replicas_table(rows, "replicas"))
    digests = {r["policy_digest"] for r in rows if r["state"] == "up"}
    if len(digests) > 1:
        err_console.print(f"[yellow]warning:[/] the live replicas run {len(digests)} different "
                          "policies (sshgate policy reload)")
