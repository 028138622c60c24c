"""What reviewers read: approval requests, sessions and locks rendered with rich, and the exit
status of each reviewer command. Shared by the local CLI and the review console over SSH, so
that both print the same thing and exit the same way."""

from __future__ import annotations

import json
import time
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..display import shown


def safe_text(value: object, style: str = "") -> Text:
    """Agent-controlled text for a human's screen: never markup, control characters shown as
    visible escapes, never sent raw (the project's one function for it, display.shown)."""
    return shown(value, style)


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def print_json(out: Console, data: Any) -> None:
    out.print(json.dumps(data, indent=2, default=str), markup=False, highlight=False,
              emoji=False, soft_wrap=True)


def render_request(req: dict[str, Any]) -> Panel:
    """A pending request as a reviewer sees it."""
    now = time.time()
    cmd = shown(req["command"], spans=[(*f.get("span", (0, 0)), "bold red")
                                      for f in req["findings"]])
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column()
    t.add_row("identity", safe_text(req["identity"]))
    t.add_row("target", safe_text(f"{req['login']}@{req['target']}   from {req['client']}"))
    t.add_row("session", safe_text(req["session"]))
    t.add_row("command", cmd)
    t.add_row("waiting", f"{ago(now - req['created'])}, expires in {ago(req['expires'] - now)}")
    findings = Table(box=None, show_header=False, padding=(0, 2))
    for f in req["findings"]:
        findings.add_row(safe_text(f["rule"], "yellow"), safe_text(f["why"]),
                         safe_text(" ".join(f["argv"])))
    t.add_row("findings", findings)
    if req.get("context"):
        ctx = Table(box=None, show_header=False, padding=(0, 2))
        for c in req["context"]:
            colour = {"allow": "green", "approved": "green"}.get(c["decision"], "red")
            ctx.add_row(safe_text(c["decision"], colour), safe_text(c["command"]))
        t.add_row("recent", ctx)
    return Panel(t, title=Text(f"approval request {req['id']}"), border_style="yellow")


PROMPT = "[bold]a[/]pprove / [bold]d[/]eny (optionally followed by a reason), [bold]s[/]kip, " \
         "[bold]q[/]uit > "


def show_error(err: Console, reply: dict[str, Any]) -> int:
    """A reply that is an error: printed, exit status 1."""
    err.print(Text.assemble(("error: ", "red"), safe_text(reply.get("error") or reply)))
    return 1


def show_pending(out: Console, err: Console, reply: dict[str, Any], as_json: bool) -> int:
    """``approvals list``."""
    if reply.get("type") != "pending":
        return show_error(err, reply)
    reqs = reply.get("requests", [])
    if as_json:
        print_json(out, reqs)
        return 0
    if not reqs:
        out.print("[dim]no pending requests[/]")
        return 0
    t = Table(title="pending approvals")
    fleet = any("replica" in r for r in reqs)  # which replica's agent waits
    for col in ("id", "identity", "target", "login", "command", "rules", "waiting",
                *(("replica",) if fleet else ())):
        t.add_column(col)
    for r in reqs:
        t.add_row(*(safe_text(r[k]) for k in ("id", "identity", "target", "login", "command")),
                  safe_text(", ".join(f["rule"] for f in r["findings"])),
                  ago(r.get("waited", 0)),
                  *((safe_text(r.get("replica") or ""),) if fleet else ()))
    out.print(t)
    return 0


def show_result(out: Console, err: Console, reply: dict[str, Any],
                colour: str = "green") -> int:
    """approve, deny, kill, lock, unlock: the message, exit 1 when refused."""
    if reply.get("type") == "result" and reply.get("ok"):
        out.print(safe_text(reply["message"], colour))
        return 0
    msg = reply.get("message") or reply.get("error") or reply
    err.print(Text.assemble(("refused: ", "red"), safe_text(msg)))
    return 1


def show_sessions(out: Console, err: Console, reply: dict[str, Any], as_json: bool) -> int:
    """``sessions list``."""
    if reply.get("type") != "sessions":
        return show_error(err, reply)
    rows = reply.get("sessions", [])
    if as_json:
        print_json(out, rows)
        return 0
    if not rows:
        out.print("[dim]no running sessions[/]")
        return 0
    t = Table(title="running sessions")
    fleet = any("replica" in r for r in rows)
    for col in ("id", "identity", "target", "login", "mode", "client", "started", "state",
                "command", "in", "out", *(("replica",) if fleet else ())):
        t.add_column(col, overflow="fold", no_wrap=col in ("id", "state", "in", "out"))
    now = time.time()
    for r in rows:
        state = Text(r["state"], style="yellow" if r["state"] == "held" else "green")
        t.add_row(*(safe_text(r[k]) for k in ("id", "identity", "target", "login", "mode",
                                               "client")),
                  f"{ago(now - r['started'])} ago", state, safe_text(r.get("command") or ""),
                  size(r["bytes_in"]), size(r["bytes_out"]),
                  *((safe_text(r.get("replica") or ""),) if fleet else ()))
    out.print(t)
    return 0


def replicas_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Gateway replicas: state, heartbeat, the policy each runs (digest, a refused reload)
    and the reviewers attached; a policy that differs from the most common one is red."""
    up = [r for r in rows if r.get("state") == "up"] or rows
    common = max((r.get("policy_digest") for r in up),
                 key=lambda d: sum(r.get("policy_digest") == d for r in up), default=None)
    t = Table(title=title)
    for col in ("replica", "listen", "state", "heartbeat", "policy", "last reload",
                "reviewers"):
        t.add_column(col, overflow="fold")
    for r in rows:
        digest = r.get("policy_digest") or ""
        if r.get("policy_error"):
            reload = safe_text(f"refused: {r['policy_error']}", "red")
        elif r.get("answered") is False:
            reload = Text("no answer yet", style="yellow")
        else:
            reload = Text("loaded", style="green")
        age = r.get("heartbeat_age")
        t.add_row(safe_text(r["id"]), safe_text(r.get("listen") or ""),
                  Text(r.get("state") or "", style="green" if r.get("state") == "up" else "red"),
                  f"{ago(age)} ago" if age is not None else "",
                  safe_text(digest[:12], "" if digest == common else "red"), reload,
                  safe_text(", ".join(r.get("reviewers") or ())))
    return t


def show_reload(out: Console, err: Console, reply: dict[str, Any], as_json: bool) -> int:
    """``policy reload``: what every replica runs now; exit 1 unless all loaded the same."""
    if reply.get("type") != "reload":
        return show_error(err, reply)
    if as_json:
        print_json(out, reply)
        return 0 if reply.get("ok") else 1
    rows = reply.get("replicas", [])
    if rows:
        out.print(replicas_table(rows, "policy reload"))
    colour = "green" if reply.get("ok") else "red"
    (out if reply.get("ok") else err).print(safe_text(reply.get("message") or "", colour))
    return 0 if reply.get("ok") else 1


def show_locks(out: Console, err: Console, reply: dict[str, Any], as_json: bool) -> int:
    """``locks list``."""
    if reply.get("type") != "locks":
        return show_error(err, reply)
    rows = reply.get("locks", [])
    if as_json:
        print_json(out, rows)
        return 0
    if not rows:
        out.print("[dim]no identity is locked[/]")
        return 0
    t = Table(title="locked identities")
    for col in ("identity", "by", "reason", "since", "expires"):
        t.add_column(col)
    now = time.time()
    for r in rows:
        left = "never" if r["expires"] is None else f"in {ago(r['expires'] - now)}"
        t.add_row(safe_text(r["identity"], "red"), safe_text(r["reviewer"]),
                  safe_text(r["reason"]), f"{ago(now - r['created'])} ago", left)
    out.print(t)
    return 0


def show_watch_event(out: Console, err: Console, msg: dict[str, Any]) -> int | None:
    """One message of a ``watch`` stream; returns the exit status once the stream is over.
    Output text arrives already made terminal-safe by the gateway (LiveNeutraliser)."""
    kind = msg.get("type")
    if kind == "watching":
        s = msg["session"]
        err.print(Text.assemble(("watching ", "dim"), safe_text(s["id"]), " ",
                                safe_text(f"{s['identity']} {s['login']}@{s['target']}"),
                                (" (read-only; Ctrl-C to stop)", "dim")))
        return None
    if kind == "output":
        out.file.write(msg["data"])
        out.file.flush()
        return None
    if kind == "dropped":
        err.print(f"[yellow][{msg['bytes']} bytes not shown: this viewer fell behind][/]")
        return None
    if kind == "end":
        err.print(Text.assemble(("\nsession ended: ", "dim"), safe_text(msg.get("reason"))))
        return 0
    if kind == "result":
        return show_result(out, err, msg)
    return show_error(err, msg)
