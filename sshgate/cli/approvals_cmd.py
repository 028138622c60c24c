"""``sshgate approvals`` (the terminal prompt), ``approvals list``, ``approve`` and ``deny``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

import click

from ..approvals.control import ControlError, call, connect
from ..approvals.prompt import prompt_loop as run_prompt
from ..approvals.render import show_pending, show_result
from .common import config_option, console, err_console, get_config


def _socket(config_path: str | None) -> Path:
    return get_config(config_path).control_socket


def _run(coro):
    try:
        return asyncio.run(coro)
    except ControlError as e:
        err_console.print(f"[red]error:[/] {e}")
        sys.exit(1)


async def prompt_loop(path: Path) -> int:
    """The approval prompt on this terminal, talking to the gateway's control socket."""
    reader, writer, hello = await connect(path)
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def on_stdin() -> None:
        line = sys.stdin.readline()
        lines.put_nowait(line if line else None)

    async def inbox() -> dict | None:
        raw = await reader.readline()
        return json.loads(raw) if raw else None

    async def send(msg: dict) -> None:
        writer.write(json.dumps(msg).encode() + b"\n")
        await writer.drain()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        return await run_prompt(console, hello["user"], inbox, lines.get, send)
    finally:
        loop.remove_reader(sys.stdin.fileno())
        with contextlib.suppress(Exception):
            writer.close()


@click.group(invoke_without_command=True)
@config_option
@click.pass_context
def approvals(ctx: click.Context, config_path: str | None) -> None:
    """The terminal approval prompt: shows each held command as it arrives; answer with
    `a` or `d` (optionally followed by a reason) and Enter.

    The reviewer is the OS user running this command (checked by the gateway with
    SO_PEERCRED); only approvers listed in the policy may decide.
    """
    ctx.obj = config_path
    if ctx.invoked_subcommand is None:
        if not sys.stdin.isatty():
            err_console.print("[red]error:[/] the approval prompt reads answers from a terminal "
                              "and stdin is not one; from scripts use `sshgate approvals list` "
                              "and `sshgate approve ID` / `sshgate deny ID`", soft_wrap=True)
            sys.exit(2)
        sys.exit(_run(prompt_loop(_socket(config_path))))


@approvals.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_cmd(ctx: click.Context, config_path: str | None, as_json: bool) -> None:
    """List pending approval requests."""
    reply = _run(call(_socket(config_path or ctx.obj), {"op": "list"}))
    sys.exit(show_pending(console, err_console, reply, as_json))


def _decide(config_path: str | None, request_id: str, approve: bool, reason: str | None) -> None:
    reply = _run(call(_socket(config_path), {"op": "decide", "id": request_id,
                                             "decision": "approve" if approve else "deny",
                                             "reason": reason}))
    sys.exit(show_result(console, err_console, reply, "green" if approve else "red"))


@click.command()
@click.argument("request_id")
@click.option("--reason", default=None, help="Why (recorded in the audit log).")
@config_option
def approve(request_id: str, reason: str | None, config_path: str | None) -> None:
    """Approve pending request REQUEST_ID (a unique prefix is enough). Exit 1 if refused."""
    _decide(config_path, request_id, True, reason)


@click.command()
@click.argument("request_id")
@click.option("--reason", default=None, help="Why (shown to the agent).")
@config_option
def deny(request_id: str, reason: str | None, config_path: str | None) -> None:
    """Deny pending request REQUEST_ID (a unique prefix is enough). Exit 1 if refused."""
    _decide(config_path, request_id, False, reason)
