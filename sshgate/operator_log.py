"""One log line per audit event an operator watches: sessions, refusals, decisions.

``sshgate serve`` prints these at its default level. Agent-controlled text (commands, user
names, reasons) is shown with control and format characters escaped, so that a command
cannot rewrite the operator's terminal or forge a log line.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .display import visible

LIMIT = 300


def escape(value: Any, limit: int = LIMIT) -> str:
    """``value`` as one printable line (:func:`sshgate.display.visible`), cut at ``limit``
    characters."""
    text = str(value)
    cut = f"... ({len(text) - limit} more)" if len(text) > limit else ""
    return visible(text[:limit]) + cut


def _who(r: dict[str, Any]) -> str:
    ident = r.get("identity") or "?"
    where = f" {escape(r['login'])}@{escape(r['target'])}" if r.get("target") else ""
    return f"{escape(ident)}{where} from {escape(r.get('client', '?'))}"


def describe(r: dict[str, Any]) -> tuple[int, str] | None:
    """(level, line) for an audit record worth a line, else None."""
    ev = r.get("event")
    sid = r.get("session", "-")
    if ev == "session.start":
        return logging.INFO, f"session {sid} start: {_who(r)}"
    if ev == "session.end":
        return logging.INFO, (f"session {sid} end after {r.get('duration', 0):.1f}s: "
                              f"{escape(r.get('reason', ''))}")
    if ev == "session.refused":
        return logging.WARNING, (f"session {sid} refused: {escape(r.get('identity'))} as "
                                 f"{escape(r.get('user'))!s} from {escape(r.get('client'))}: "
                                 f"{escape(r.get('reason'))}")
    if ev == "auth.refused":
        return logging.WARNING, (f"authentication refused from {escape(r.get('client'))} as "
                                 f"{escape(r.get('user'))}: {escape(r.get('reason'))}"
                                 + (f" ({r['key_fingerprint']})" if r.get("key_fingerprint")
                                    else ""))
    if ev == "connection.refused":
        return logging.WARNING, (f"connection from {escape(r.get('client'))} refused: "
                                 f"{escape(r.get('reason'))}")
    if ev == "command.decision":
        decision = {"approve": "held"}.get(r.get("decision"), r.get("decision"))
        rules = ", ".join(escape(f.get("rule")) for f in r.get("findings", [])
                          if f.get("action") != "allow")
        return logging.INFO, (f"session {sid} {decision}: {escape(r.get('command'))}"
                              + (f"  [{rules}]" if rules else ""))
    if ev == "approval.decided":
        by = f" by {escape(r['reviewer'])}" if r.get("reviewer") else ""
        return logging.INFO, (f"session {sid} request {r.get('request')} {r.get('decision')}"
                              f"{by} after {r.get('wait', 0):.1f}s: {escape(r.get('reason'))}")
    if ev in ("upstream.failed", "session.deadline", "recording.failed", "command.error",
              "shell.refused", "shell.ungated", "channel.refused", "session.error",
              "approval.control-refused", "approval.refused-decider", "recording.seal_failed"):
        detail = r.get("reason") or r.get("error") or r.get("kind") or ""
        extra = f" ({escape(r['user'])})" if ev.startswith("approval.") and r.get("user") \
            else ""
        return logging.WARNING, f"session {sid} {ev}{extra}: {escape(detail)}"
    return None


#: Events whose line is formatted and written after the event loop's current callback: a
#: decision's record is written before its verdict is sent, its log line (formatting, escaping
#: and a write: ~0.1-0.4 ms) need not be (docs/shell-gate.md, latency, fourth pass).
DEFERRED = frozenset({"command.decision"})


def attach(audit: Any, logger: logging.Logger) -> None:
    """Log each audit record worth a line to ``logger``. On an event loop, the line of an
    event in ``DEFERRED``, and every line after it until it is written, are written in order
    right after the current callback; anywhere else, at once."""
    waiting: list[dict[str, Any]] = []  # touched on the deferring loop's thread only
    deferring: list[asyncio.AbstractEventLoop | None] = [None]

    def emit(record: dict[str, Any]) -> None:
        line = describe(record)
        if line is not None:
            logger.log(line[0], "%s", line[1])

    def flush() -> None:
        records = waiting[:]
        waiting.clear()
        deferring[0] = None
        for record in records:
            try:
                emit(record)
            except Exception:  # as for any audit observer: one line lost, never the rest
                logging.getLogger("sshgate.audit").exception("audit observer failed")

    def observe(record: dict[str, Any]) -> None:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None and deferring[0] is loop:
            waiting.append(record)  # behind a deferred line: the order stays the audit's
        elif loop is not None and deferring[0] is None and record.get("event") in DEFERRED:
            waiting.append(record)
            deferring[0] = loop
            loop.call_soon(flush)
        else:
            emit(record)

    audit.observers.append(observe)
