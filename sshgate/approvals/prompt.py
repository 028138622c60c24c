"""The interactive approval prompt, independent of where its lines come from and where it
prints: the local terminal (``sshgate approvals``) and the review console over SSH."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rich.console import Console
from rich.text import Text

from .render import PROMPT, render_request, safe_text

Inbox = Callable[[], Awaitable[dict[str, Any] | None]]
Lines = Callable[[], Awaitable[str | None]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def prompt_loop(console: Console, user: str, inbox: Inbox, lines: Lines,
                      send: Send) -> int:
    """Show each pending request and take ``a``/``d`` [reason], ``s``, ``q``. ``inbox``
    yields the service's messages (None: it went away), ``lines`` the reviewer's lines (None:
    end of input), ``send`` carries an op to the service. Returns the exit status."""
    console.print(Text.assemble(("connected to the gateway as ", "dim"), (user, "bold"),
                                ("; waiting for requests (Ctrl-D to quit)", "dim")))
    await send({"op": "subscribe"})
    pending: dict[str, dict] = {}
    skipped: set[str] = set()
    current: dict | None = None
    msg_task = asyncio.ensure_future(inbox())
    line_task = asyncio.ensure_future(lines())

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
            done, _ = await asyncio.wait({msg_task, line_task},
                                         return_when=asyncio.FIRST_COMPLETED)
            if msg_task in done:
                msg = msg_task.result()
                if msg is None:
                    console.print("\n[red]the gateway closed the connection[/]")
                    return 1
                msg_task = asyncio.ensure_future(inbox())
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
                        console.print(Text.assemble("\n", (f"new request {r['id']} queued",
                                                           "yellow")))
                        console.print(PROMPT, end="")
                elif kind == "decided":
                    r = msg["request"]
                    pending.pop(r["id"], None)
                    by = f" by {r['reviewer']}" if r.get("reviewer") else ""
                    colour = "green" if r["state"] == "approved" else "red"
                    console.print(Text.assemble(
                        "\n", safe_text(f"{r['id']} {r['state']}{by}", colour), ": ",
                        safe_text(r["reason"])))
                    if current is not None and current["id"] == r["id"]:
                        current = None
                        show_next()
                    elif current is not None:
                        console.print(PROMPT, end="")
                elif kind in ("result", "error") and not msg.get("ok"):
                    console.print(Text.assemble(
                        ("refused: ", "red"), safe_text(msg.get("message") or msg.get("error"))))
                    if current is not None:
                        console.print(PROMPT, end="")
            if line_task in done:
                line = line_task.result()
                if line is None:
                    return 0
                line_task = asyncio.ensure_future(lines())
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
                    await send({"op": "decide", "id": current["id"],
                                "decision": "approve" if word.startswith("a") else "deny",
                                "reason": reason.strip() or None})
                else:
                    console.print(PROMPT, end="")
    finally:
        for t in (msg_task, line_task):
            t.cancel()
