"""What reviewers read: agent text is never markup and never raw control characters, on the
local CLI and the review console alike (both use these functions)."""

from __future__ import annotations

import io
import time

from rich.console import Console

from sshgate.approvals.render import (
    render_request,
    show_locks,
    show_pending,
    show_result,
    show_sessions,
)

HOSTILE = "rm -rf /x\x1b]0;pwned\x07\x1b[2K\r[red]fake[/] ok\x9b6n"


def consoles(terminal: bool) -> tuple[Console, Console, io.StringIO, io.StringIO]:
    o, e = io.StringIO(), io.StringIO()
    kw = {"force_terminal": terminal, "width": 200, "color_system": "standard" if terminal
          else None}
    return Console(file=o, **kw), Console(file=e, **kw), o, e


def assert_safe(text: str, terminal: bool) -> None:
    for bad in ("\x1b]", "\x07", "\x1b[2K", "\r", "\x9b"):
        assert bad not in text, repr(text)
    if not terminal:  # on a terminal the shown escapes are styled apart from the text
        assert "[red]fake[/]" in text and "\\x1b]0;pwned\\x07" in text


def test_sessions_and_pending_tables_show_hostile_text_visibly():
    now = time.time()
    session = {"id": "s1", "identity": "bot", "target": "web", "login": "deploy",
               "mode": "exec", "client": "127.0.0.1:1", "started": now, "state": "held",
               "command": HOSTILE, "bytes_in": 0, "bytes_out": 2048}
    req = {"id": "r1", "session": "s1", "identity": "bot", "target": "web", "login": "deploy",
           "client": "127.0.0.1:1", "command": HOSTILE, "created": now, "expires": now + 60,
           "waited": 1, "context": [{"command": HOSTILE, "decision": "allow"}],
           "findings": [{"rule": "fs.rm-recursive", "why": HOSTILE, "argv": ["rm", HOSTILE],
                         "span": [0, 9]}]}
    for terminal in (False, True):
        out, err, o, _ = consoles(terminal)
        assert show_sessions(out, err, {"type": "sessions", "sessions": [session]}, False) == 0
        assert show_pending(out, err, {"type": "pending", "requests": [req]}, False) == 0
        out.print(render_request(req))
        # rich's own colours (ESC [ ... m) are fine; none of the agent's sequences is
        assert_safe(o.getvalue(), terminal)


def test_results_and_locks_exit_statuses():
    out, err, o, e = consoles(False)
    assert show_result(out, err, {"type": "result", "ok": True, "message": "approved r1"}) == 0
    assert o.getvalue() == "approved r1\n"
    assert show_result(out, err, {"type": "result", "ok": False, "message": HOSTILE}) == 1
    assert e.getvalue().startswith("refused: rm -rf /x\\x1b]0;pwned")
    assert show_locks(out, err, {"type": "error", "error": "nope"}, False) == 1
    assert show_locks(out, err, {"type": "locks", "locks": []}, True) == 0
