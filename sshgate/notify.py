"""Webhook notifications (``notify:``): the audit log's events, delivered off the relay's path.

The notifier observes every audit record; the few that concern a reviewer (a command held,
decided, timed out; a session killed; an identity locked) are queued per webhook and posted
by one task per webhook with a timeout and retries. The queue is bounded: a receiver that is
down, slow or failing costs retries, an audit line and, when it falls too far behind,
dropped notifications, never the relay's time.

Signed bodies: ``X-Sshgate-Timestamp: <unix seconds>`` and
``X-Sshgate-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" under the secret>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

from .policy.model import Webhook

log = logging.getLogger("sshgate.notify")

#: notifications waiting per webhook before the oldest are dropped
QUEUE_SIZE = 256
BACKOFF = (0.5, 1.0, 2.0, 4.0)


def notification_kind(record: dict[str, Any]) -> str | None:
    """The ``notify:`` event an audit record is, or None."""
    event = record.get("event")
    if event == "approval.requested":
        return "held"
    if event == "approval.decided":
        decision = record.get("decision")
        if decision == "timed-out":
            return "timed-out"
        return "decided" if decision in ("approved", "denied") else None
    if event in ("session.killed", "session.kill"):
        return "session-killed"
    if event in ("identity.locked", "lock.added"):
        return "locked"
    return None


def _visible(text: Any) -> str:
    """Agent text for a chat message: control characters shown as escapes, one line."""
    s = str(text) if text is not None else ""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or 0x7F <= o < 0xA0 or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069:
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _slack_escape(text: Any) -> str:
    # Slack's mrkdwn: &, < and > are the only control characters (links, @channel); a
    # backtick would end the code span the command is shown in
    return _visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace("`", "\u02cb")


def approve_lines(record: dict[str, Any], gateway: str) -> list[str]:
    """Ready-to-paste review commands for a held request (``gateway``: HOST or HOST:PORT)."""
    req = record.get("request")
    if not gateway or not req:
        return []
    host, _, port = gateway.rpartition(":") if gateway.count(":") == 1 else (gateway, "", "")
    target = f"-p {port} REVIEWER@{host}" if port else f"REVIEWER@{gateway}"
    return [f"ssh {target} approve {req}", f"ssh {target} deny {req}"]


def json_body(kind: str, record: dict[str, Any], hook: Webhook) -> bytes:
    """The ``json`` format: the event and every field of the audit record."""
    body = {"event": kind, "record": record}
    lines = approve_lines(record, hook.gateway) if kind == "held" else []
    if lines:
        body["approve"], body["deny"] = lines
    return json.dumps(body, default=str, separators=(",", ":")).encode()


def slack_body(kind: str, record: dict[str, Any], hook: Webhook) -> bytes:
    """The ``slack`` format: one incoming-webhook message."""
    who = f"{_slack_escape(record.get('identity'))} → " \
          f"{_slack_escape(record.get('login'))}@{_slack_escape(record.get('target'))}"
    rid = _slack_escape(record.get("request") or record.get("session") or "")
    if kind == "held":
        rules = ", ".join(_slack_escape(f.get("rule")) for f in record.get("findings") or ()
                          if isinstance(f, dict))
        text = f"*sshgate: command held for approval* `{rid}`\n{who}\n" \
               f"`{_slack_escape(record.get('command'))}`\nrules: {rules or '-'}"
        lines = approve_lines(record, hook.gateway)
        if lines:
            text += "\n" + "\n".join(f"`{_slack_escape(x)}`" for x in lines)
    elif kind in ("decided", "timed-out"):
        by = f" by {_slack_escape(record.get('reviewer'))}" if record.get("reviewer") else ""
        why = f": {_slack_escape(record.get('reason'))}" if record.get("reason") else ""
        text = f"*sshgate: request {rid} {_slack_escape(record.get('decision'))}*{by}{why}\n" \
               f"`{_slack_escape(record.get('command'))}`"
    elif kind == "session-killed":
        text = f"*sshgate: session {rid} ended* by {_slack_escape(record.get('reviewer'))}: " \
               f"{_slack_escape(record.get('reason'))}\n{who}"
    else:
        locked = _slack_escape(record.get("locked") or record.get("identity"))
        text = f"*sshgate: identity {locked} locked* by " \
               f"{_slack_escape(record.get('reviewer'))}: {_slack_escape(record.get('reason'))}"
    return json.dumps({"text": text}).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``<timestamp>.<body>``: what a receiver recomputes to check."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def request_for(kind: str, record: dict[str, Any], hook: Webhook,
                now: Callable[[], float] = time.time) -> tuple[bytes, dict[str, str]]:
    """Body and headers of one delivery."""
    body = (slack_body if hook.format == "slack" else json_body)(kind, record, hook)
    headers = {"Content-Type": "application/json", "User-Agent": "sshgate-notify"}
    if hook.secret:
        ts = str(int(now()))
        headers["X-Sshgate-Timestamp"] = ts
        headers["X-Sshgate-Signature"] = signature(hook.secret, ts, body)
    return body, headers


class Notifier:
    """Delivers notifications for ``webhooks``; :meth:`observe` never blocks."""

    def __init__(self, webhooks: tuple[Webhook, ...],
                 audit: Callable[..., Any] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None):
        self.audit = audit or (lambda *a, **k: None)
        self._transport = transport
        self._queues: dict[Webhook, asyncio.Queue[tuple[str, dict[str, Any]]]] = {}
        self._workers: dict[Webhook, asyncio.Task] = {}
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dropped: dict[Webhook, int] = {}
        self.webhooks = webhooks

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.update(self.webhooks)

    def update(self, webhooks: tuple[Webhook, ...]) -> None:
        """A policy reload: new receivers start, removed ones stop."""
        self.webhooks = webhooks
        if self._loop is None:
            return
        for hook in list(self._workers):
            if hook not in webhooks:
                self._workers.pop(hook).cancel()
                self._queues.pop(hook, None)
        if webhooks and self._client is None:
            # made with the first receiver: without one, `serve` spends no CPU on an HTTP
            # client (httpcore's import, the CA bundle; ~0.1 s a start and stop)
            self._client = httpx.AsyncClient(transport=self._transport, follow_redirects=False)
        for hook in webhooks:
            if hook not in self._workers:
                self._queues[hook] = asyncio.Queue(QUEUE_SIZE)
                self._workers[hook] = self._loop.create_task(self._deliver(hook))

    def observe(self, record: dict[str, Any]) -> None:
        """An audit record was written (on any thread)."""
        kind = notification_kind(record)
        if kind is None or self._loop is None or not self._workers:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._enqueue(kind, record)
        else:
            with contextlib.suppress(RuntimeError):  # the loop is gone: stopping
                self._loop.call_soon_threadsafe(self._enqueue, kind, record)

    def _enqueue(self, kind: str, record: dict[str, Any]) -> None:
        for hook, queue in self._queues.items():
            if kind not in hook.events:
                continue
            if queue.full():
                queue.get_nowait()  # the oldest goes: the newest is the most useful now
                n = self._dropped[hook] = self._dropped.get(hook, 0) + 1
                if n == 1 or n % 100 == 0:
                    self.audit("notify.dropped", url=hook.url, dropped=n,
                               reason="the receiver is too far behind")
            queue.put_nowait((kind, record))

    async def _deliver(self, hook: Webhook) -> None:
        queue = self._queues[hook]
        while True:
            kind, record = await queue.get()
            await self._post(hook, kind, record)

    async def _post(self, hook: Webhook, kind: str, record: dict[str, Any]) -> bool:
        assert self._client is not None
        error = ""
        for attempt in range(hook.retries + 1):
            body, headers = request_for(kind, record, hook)
            try:
                r = await self._client.post(hook.url, content=body, headers=headers,
                                            timeout=hook.timeout)
                if 200 <= r.status_code < 300:
                    return True
                error = f"HTTP {r.status_code}"
            except (httpx.HTTPError, OSError) as e:
                error = f"{type(e).__name__}: {e}"
            if attempt < hook.retries:
                await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
        log.warning("notification to %s failed after %d attempts: %s", hook.url,
                    hook.retries + 1, error)
        self.audit("notify.failed", url=hook.url, kind=kind, error=error,
                   attempts=hook.retries + 1, request=record.get("request"))
        return False

    async def close(self, timeout: float = 2.0) -> None:
        """Give queued notifications ``timeout`` seconds, then stop."""
        if self._queues:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(self._drained(q) for q in
                                                        self._queues.values())), timeout)
        for task in self._workers.values():
            task.cancel()
        self._workers.clear()
        if self._client is not None:
            await self._client.aclose()

    @staticmethod
    async def _drained(queue: asyncio.Queue) -> None:
        while not queue.empty():
            await asyncio.sleep(0.05)
