"""Notifications: which audit events, the two formats, signatures, and a receiver that fails."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json

import httpx
import pytest

from sshgate import notify
from sshgate.notify import Notifier, notification_kind, request_for, signature
from sshgate.policy.model import Webhook

HELD = {"ts": "2026-11-30T12:00:00Z", "event": "approval.requested", "request": "ab12cd34",
        "session": "s1", "identity": "deploy-bot", "target": "web-1", "login": "deploy",
        "client": "10.0.0.9:5000", "command": "rm -rf /srv/app/cache",
        "findings": [{"rule": "fs.rm-recursive", "why": "recursive deletion"}],
        "expires": 1.0, "prev": "0" * 64}


@pytest.mark.parametrize(("record", "kind"), [
    (HELD, "held"),
    ({"event": "approval.decided", "decision": "approved"}, "decided"),
    ({"event": "approval.decided", "decision": "denied"}, "decided"),
    ({"event": "approval.decided", "decision": "timed-out"}, "timed-out"),
    ({"event": "approval.decided", "decision": "withdrawn"}, None),
    ({"event": "session.killed"}, "session-killed"),
    ({"event": "identity.locked"}, "locked"),
    ({"event": "command.decision"}, None),
    ({"event": "notify.failed"}, None),  # its own lines never notify again
    ({}, None),
])
def test_which_audit_events_notify(record, kind):
    assert notification_kind(record) == kind


def test_json_carries_every_field_and_the_commands_to_paste():
    hook = Webhook("http://127.0.0.1:1/h", gateway="gw.example.com:2222")
    body, headers = request_for("held", HELD, hook)
    msg = json.loads(body)
    assert msg["event"] == "held" and msg["record"] == HELD
    assert msg["approve"] == "ssh -p 2222 REVIEWER@gw.example.com approve ab12cd34"
    assert msg["deny"] == "ssh -p 2222 REVIEWER@gw.example.com deny ab12cd34"
    assert "X-Sshgate-Signature" not in headers


def test_signature_is_what_a_receiver_recomputes():
    hook = Webhook("http://127.0.0.1:1/h", secret="s3cret")
    body, headers = request_for("held", HELD, hook, now=lambda: 1700000000)
    assert headers["X-Sshgate-Timestamp"] == "1700000000"
    want = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert headers["X-Sshgate-Signature"] == f"sha256={want}"
    assert signature("other", "1700000000", body) != headers["X-Sshgate-Signature"]


def test_slack_text_neutralises_agent_text():
    hostile = dict(HELD, command="rm -rf x `<!channel>` <https://evil|click> \x1b[2K\u202e",
                   identity="<@U123>")
    hook = Webhook("http://127.0.0.1:1/h", format="slack", gateway="gw")
    text = json.loads(request_for("held", hostile, hook)[0])["text"]
    assert "<!channel>" not in text and "<https://evil" not in text and "<@U123>" not in text
    assert "&lt;!channel&gt;" in text
    assert "\x1b" not in text and "\\x1b" in text and "\u202e" not in text
    assert text.count("`") % 2 == 0  # the agent's backticks cannot end the code span
    assert "`ssh REVIEWER@gw approve ab12cd34`" in text


def run(coro):
    return asyncio.run(coro)


def test_delivers_retries_and_audits_failure(monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF", (0.0,))
    seen: list[httpx.Request] = []
    audits: list[tuple] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500 if "fail" in str(request.url) else 204)

    async def main():
        good = Webhook("http://127.0.0.1:1/ok", secret="k")
        bad = Webhook("http://127.0.0.1:1/fail", retries=2)
        n = Notifier((good, bad), audit=lambda *a, **k: audits.append((a, k)),
                     transport=httpx.MockTransport(handler))
        await n.start()
        n.observe(HELD)
        n.observe({"event": "command.decision"})
        await asyncio.sleep(0.2)
        await n.close()

    run(main())
    ok = [r for r in seen if r.url.path == "/ok"]
    assert len(ok) == 1 and ok[0].headers["X-Sshgate-Signature"].startswith("sha256=")
    assert len([r for r in seen if r.url.path == "/fail"]) == 3  # first try + 2 retries
    (args, fields), = audits
    assert args == ("notify.failed",) and fields["error"] == "HTTP 500"
    assert fields["request"] == "ab12cd34"


def test_a_receiver_added_by_a_reload_gets_notifications():
    """A gateway started without receivers makes no HTTP client; the first receiver a
    reload adds makes one and is delivered to."""
    seen: list[httpx.Request] = []

    async def main():
        n = Notifier((), transport=httpx.MockTransport(
            lambda request: seen.append(request) or httpx.Response(204)))
        await n.start()
        n.observe(HELD)
        assert n._client is None
        n.update((Webhook("http://127.0.0.1:1/added"),))
        n.observe(HELD)
        await asyncio.sleep(0.2)
        await n.close()

    run(main())
    assert [r.url.path for r in seen] == ["/added"]


def test_a_hanging_receiver_costs_a_bounded_queue_not_the_caller(monkeypatch):
    audits: list[tuple] = []

    async def main():
        gate = asyncio.Event()

        async def hang(request: httpx.Request) -> httpx.Response:
            await gate.wait()
            return httpx.Response(204)

        hook = Webhook("http://127.0.0.1:1/slow", timeout=60, retries=0)
        n = Notifier((hook,), audit=lambda *a, **k: audits.append((a, k)),
                     transport=httpx.MockTransport(hang))
        await n.start()
        for _ in range(notify.QUEUE_SIZE * 3):
            n.observe(HELD)  # returns at once, whatever the receiver does
        assert n._queues[hook].qsize() <= notify.QUEUE_SIZE
        gate.set()
        await n.close(timeout=0.1)

    run(main())
    assert audits and audits[0][0] == ("notify.dropped",)
