"""``sshgate sessions list|kill``, ``watch``, ``lock``, ``unlock``, ``locks list``: live
oversight through the gateway's control socket (the reviewer is the socket peer's OS user)."""

from __future__ import annotations

import contextlib
import json
import sys

import click

from ..approvals.control import call, connect
from ..approvals.render import show_locks, show_result, show_sessions, show_watch_event
from .approvals_cmd import _run, _socket
from .common import config_option, console, err_console, json_option


@click.group()
def sessions() -> None:
    """Running agent sessions: list them, end one."""


@sessions.command("list")
@config_option
@json_option
def sessions_list(config_path: str | None, as_json: bool) -> None:
    """Running sessions: identity, target, state (running/held), command, bytes each way."""
    reply = _run(call(_socket(config_path), {"op": "sessions"}))
    sys.exit(show_sessions(console, err_console, reply, as_json))


@sessions.command("kill")
@click.argument("session_id")
@click.option("--reason", required=True, help="Shown to the agent and recorded.")
@config_option
def sessions_kill(session_id: str, reason: str, config_path: str | None) -> None:
    """End running session SESSION_ID: its agent sees the reason and exit status 77."""
    reply = _run(call(_socket(config_path), {"op": "kill", "id": session_id, "reason": reason}))
    sys.exit(show_result(console, err_console, reply, "red"))


@click.command()
@click.argument("session_id")
@config_option
def watch(session_id: str, config_path: str | None) -> None:
    """Follow running session SESSION_ID read-only, as it happens, until it ends."""

    async def run() -> int:
        reader, writer, _ = await connect(_socket(config_path))
        try:
            writer.write(json.dumps({"op": "watch", "id": session_id}).encode() + b"\n")
            await writer.drain()
            while True:
                raw = await reader.readline()
                if not raw:
                    err_console.print("[red]the gateway closed the connection[/]")
                    return 1
                status = show_watch_event(console, err_console, json.loads(raw))
                if status is not None:
                    return status
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    try:
        sys.exit(_run(run()))
    except KeyboardInterrupt:
        sys.exit(0)


@click.command()
@click.argument("identity")
@click.option("--for", "duration", default=None, metavar="DURATION",
              help="Lift the lock by itself after this long (30m, 2h, 1d).")
@click.option("--reason", required=True, help="Shown to the agent and recorded.")
@config_option
def lock(identity: str, duration: str | None, reason: str, config_path: str | None) -> None:
    """Lock IDENTITY: its running sessions end now and new connections are refused."""
    reply = _run(call(_socket(config_path), {"op": "lock", "identity": identity,
                                             "for": duration, "reason": reason}))
    sys.exit(show_result(console, err_console, reply, "red"))


@click.command()
@click.argument("identity")
@config_option
def unlock(identity: str, config_path: str | None) -> None:
    """Lift the lock on IDENTITY."""
    reply = _run(call(_socket(config_path), {"op": "unlock", "identity": identity}))
    sys.exit(show_result(console, err_console, reply))


@click.group(invoke_without_command=True)
@config_option
@json_option
@click.pass_context
def locks(ctx: click.Context, config_path: str | None, as_json: bool) -> None:
    """Locked identities (``locks`` or ``locks list``)."""
    ctx.obj = (config_path, as_json)
    if ctx.invoked_subcommand is None:
        _locks(config_path, as_json)


@locks.command("list")
@config_option
@json_option
@click.pass_context
def locks_list(ctx: click.Context, config_path: str | None, as_json: bool) -> None:
    """Locked identities, who locked them, why, until when."""
    parent_config, parent_json = ctx.obj or (None, False)
    _locks(config_path or parent_config, as_json or parent_json)


def _locks(config_path: str | None, as_json: bool) -> None:
    reply = _run(call(_socket(config_path), {"op": "locks"}))
    sys.exit(show_locks(console, err_console, reply, as_json))



