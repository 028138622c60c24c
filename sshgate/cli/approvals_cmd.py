"""``sshgate approvals`` (the terminal prompt), ``approvals list``, ``approve`` and ``deny``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..approvals.control import ControlError, call, connect
from ..display import shown
from .common import config_option, console, err_console, get_config, print_json


def _socket(config_path: str | None) -> Path:
    return get_config(config_path).control_socket


def _run(coro):
    try:
        return asyncio.run(coro)
    except ControlError as e:
        err_console.print(Text.assemble(("error: ", "red"), shown(e)))
        sys.exit(1)


def _ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def render_request(req: dict[str, Any]) -> Panel:
    """A pending request as a reviewer sees it: every agent-supplied field through
    :func:`shown`, so escapes and markup in it are displayed, never obeyed."""
    now = time.time()
    cmd = shown(req["command"], spans=[(*f.get("span", (0, 0)), "bold red")
                                      for f in req["findings"]])
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    t.add_row("identity", shown(req["identity"]))
    t.add_row("target", Text.assemble(shown(f"{req['login']}@{req['target']}"), "   from ",
                                      shown(req["client"])))
    t.add_row("session", shown(req["session"]))
    t.add_row("command", cmd)
    t.add_row("waiting", f"{_ago(now - req['created'])}, expires in {_ago(req['expires'] - now)}")
    findings = Table(box=None, show_header=False, padding=(0, 2))
    for f in req["findings"]:
        findings.add_row(shown(f["rule"], "yellow"), shown(f["why"]), shown(" ".join(f["argv"])))
    t.add_row("findings", findings)
    if req.get("context"):
        ctx = Table(box=None, show_header=False, padding=(0, 2))
        for c in req["context"]:
            colour = {"allow": "green", "approved": "green"}.get(c["decision"], "red")
            ctx.add_row(shown(c["decision"], colour), shown(c["command"]))
        t.add_row("recent", ctx)
    return Panel(t, title=Text(f"approval request {req['id']}"), border_style="yellow")


PROMPT = "[bold]a[/]pprove / [bold]d[/]eny (optionally followed by a reason), [bold]s[/]kip, " \
         "[bold]q[/]uit > "


async def prompt_loop(path: Path) -> int:
    reader, writer, hello = await connect(path)
    console.print(Text.assemble("connected to the gateway as ", shown(hello["user"], "bold"),
                                "; waiting for requests (Ctrl-D to quit)", style="dim"))
    writer.write(b'{"op": "subscribe"}\n')
    pending: dict[str, dict] = {}
    skipped: set[str] = set()
    current: dict | None = None
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def on_stdin() -> None:
        line = sys.stdin.readline()
        lines.put_nowait(line if line else None)

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    sock_task = asyncio.ensure_future(reader.readline())
    line_task = asyncio.ensure_future(lines.get())

    def show_next() -> None:
        nonlocal current
        order = sorted(pending.values(), key=lambda r: r["created"])
        fresh = [r for r in order if r["id"] not in skipped] or order
        current = fresh[0] if fresh else None
        if current is not None:
            console.print(render_request(current))
            console.print(PROMPT, end="")

    try:
        while True:
            done, _ = await asyncio.wait({sock_task, line_task},
                                         return_when=asyncio.FIRST_COMPLETED)
            if sock_task in done:
                raw = sock_task.result()
                if not raw:
                    console.print("\n[red]the gateway closed the connection[/]")
                    return 1
                msg = json.loads(raw)
                sock_task = asyncio.ensure_future(reader.readline())
                kind = msg.get("type")
                if kind == "pending":
                    for r in msg["requests"]:
                        pending[r["id"]] = r
                    if current is None and pending:
                        console.bell()
                        show_next()
                elif kind == "request":
                    r = msg["request"]
                    pending[r["id"]] = r
                    console.bell()
                    if current is None:
                        show_next()
                    else:
                        console.print()
                        console.print(shown(f"new request {r['id']} queued", "yellow"))
                        console.print(PROMPT, end="")
                elif kind == "decided":
                    r = msg["request"]
                    pending.pop(r["id"], None)
                    by = f" by {r['reviewer']}" if r.get("reviewer") else ""
                    colour = "green" if r["state"] == "approved" else "red"
                    console.print()
                    console.print(Text.assemble(shown(f"{r['id']} {r['state']}{by}", colour),
                                                ": ", shown(r["reason"])))
                    if current is not None and current["id"] == r["id"]:
                        current = None
                        show_next()
                    elif current is not None:
                        console.print(PROMPT, end="")
                elif kind == "result" and not msg["ok"]:
                    console.print(Text.assemble(("refused: ", "red"), shown(msg["message"])))
                    if current is not None:
                        console.print(PROMPT, end="")
            if line_task in done:
                line = line_task.result()
                if line is None:
                    return 0
                line_task = asyncio.ensure_future(lines.get())
                word, _, reason = line.strip().partition(" ")
                word = word.lower()
                if word in ("q", "quit"):
                    return 0
                if current is None:
                    continue
                if word in ("s", "skip"):
                    skipped.add(current["id"])
                    show_next()
                elif word in ("a", "approve", "d", "deny"):
                    writer.write(json.dumps({
                        "op": "decide", "id": current["id"],
                        "decision": "approve" if word.startswith("a") else "deny",
                        "reason": reason.strip() or None}).encode() + b"\n")
                    await writer.drain()
                else:
                    console.print(PROMPT, end="")
    finally:
        loop.remove_reader(sys.stdin.fileno())
        for t in (sock_task, line_task):
            t.cancel()
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
    reqs = reply.get("requests", [])
    if as_json:
        print_json(reqs)
        return
    if not reqs:
        console.print("[dim]no pending requests[/]")
        return
    t = Table(title="pending approvals")
    for col in ("id", "identity", "target", "login", "command", "rules", "waiting"):
        t.add_column(col)
    for r in reqs:
        t.add_row(shown(r["id"]), shown(r["identity"]), shown(r["target"]), shown(r["login"]),
                  shown(r["command"]), shown(", ".join(f["rule"] for f in r["findings"])),
                  _ago(r.get("waited", 0)))
    console.print(t)


def _decide(config_path: str | None, request_id: str, approve: bool, reason: str | None) -> None:
    reply = _run(call(_socket(config_path), {"op": "decide", "id": request_id,
                                             "decision": "approve" if approve else "deny",
                                             "reason": reason}))
    if reply.get("ok"):
        colour = "green" if approve else "red"
        console.print(shown(reply["message"], colour))
    else:
        err_console.print(Text.assemble(("refused: ", "red"),
                                        shown(reply.get("message") or reply.get("error"))))
        sys.exit(1)


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
