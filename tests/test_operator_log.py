"""The operator's one-line log: which events get a line, and agent text escaped."""

from __future__ import annotations

import asyncio
import logging

from sshgate.audit import AuditLog
from sshgate.operator_log import attach, describe, escape


def test_escape_control_and_format_characters_and_length():
    assert escape("a\x1b[2Jb\x00c") == "a\\x1b[2Jb\\x00c"
    assert "\u202e" not in escape("x\u202ey") and "\\u202e" in escape("x\u202ey")
    assert escape("é ü 日本") == "é ü 日本"
    long = escape("y" * 400)
    assert long.startswith("y" * 300) and long.endswith("... (100 more)")


def test_lines_for_sessions_refusals_and_decisions_only():
    assert describe({"event": "session.start", "session": "s1", "identity": "bot",
                     "login": "deploy", "target": "web-1", "client": "1.2.3.4:5"}) == (
        logging.INFO, "session s1 start: bot deploy@web-1 from 1.2.3.4:5")
    level, line = describe({"event": "command.decision", "session": "s1",
                            "command": "rm -rf /x\n", "decision": "approve",
                            "findings": [{"rule": "fs.rm-recursive", "action": "approve"}]})
    assert level == logging.INFO and line.startswith("session s1 held: rm -rf /x\\")
    assert line.endswith("  [fs.rm-recursive]") and "\n" not in line
    level, line = describe({"event": "approval.decided", "session": "s1", "request": "ab",
                            "decision": "approved", "reviewer": "alice", "reason": "ok",
                            "wait": 2.5})
    assert line == "session s1 request ab approved by alice after 2.5s: ok"
    assert describe({"event": "upstream.failed", "session": "s1",
                     "reason": "target 'x' unreachable"})[0] == logging.WARNING
    assert describe({"event": "recording.sealed", "session": "s1"}) is None


def test_attached_to_the_audit_log_and_a_failing_observer_costs_no_record(tmp_path, caplog):
    audit = AuditLog(tmp_path / "a.jsonl")
    audit.observers.append(lambda r: 1 / 0)
    attach(audit, logging.getLogger("sshgate.test"))
    with caplog.at_level(logging.INFO, "sshgate.test"):
        audit.write("session.end", session="s9", duration=1.25, reason="closed")
    assert "session s9 end after 1.2s: closed" in caplog.text
    assert '"session.end"' in (tmp_path / "a.jsonl").read_text()


def test_a_decision_line_follows_its_callback_in_order_on_the_event_loop(tmp_path, caplog):
    """A decision's record is written before its verdict goes out, its log line just after
    the callback that wrote it; lines behind it keep the audit's order."""
    audit = AuditLog(tmp_path / "a.jsonl")
    attach(audit, logging.getLogger("sshgate.test"))

    async def callback() -> str:
        audit.write("command.decision", session="s1", command="ls", decision="allow",
                    findings=[])
        audit.write("session.end", session="s1", duration=1.0, reason="closed")
        before = caplog.text
        await asyncio.sleep(0)
        return before

    with caplog.at_level(logging.INFO, "sshgate.test"):
        before = asyncio.run(callback())
    assert "s1" not in before
    assert '"command.decision"' in (tmp_path / "a.jsonl").read_text()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == ["session s1 allow: ls", "session s1 end after 1.0s: closed"]
    caplog.clear()
    with caplog.at_level(logging.INFO, "sshgate.test"):  # no event loop: at once
        audit.write("command.decision", session="s2", command="ls", decision="deny",
                    findings=[])
        assert "session s2 deny: ls" in caplog.text
