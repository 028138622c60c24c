"""Agent text on every screen a human reads: shown as escapes, never obeyed as terminal
controls or rich markup (THREATS: "a reviewer's terminal is a target too")."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import pwd
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import pyte
import pytest
from click.testing import CliRunner
from rich.console import Console

from sshgate.approvals.control import ApprovalService, ControlServer
from sshgate.approvals.render import render_request
from sshgate.cli import approvals_cmd, common, serve_cmd
from sshgate.cli.main import cli
from sshgate.demo import Demo
from sshgate.policy.model import ApprovalSettings, Approver
from sshgate.recording.writer import CastWriter

MARKUP = "[conceal]secret[/] [/] [link=https://evil.example]click[/link] [bold red]x :smile:"
CONTROLS = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
ESCAPES = "\x1b[2K\x1b[1G\x1b[1A\x1b]52;c;ZXZpbA==\x07\x1b]8;;https://e/\x1b\\\x1bP+q\x1b\\"
INVISIBLE = "\u202e\u2066\u200b\ufeff\u00a0\u2028\u00ad\udcff"
HOSTILE = f"rm -rf /srv/data #{ESCAPES}{CONTROLS}{INVISIBLE}{MARKUP}"
# what each view must show, literally, for HOSTILE
SHOWN = ["rm -rf /srv/data #", "\\x1b[2K\\x1b[1G\\x1b[1A", "\\x1b]52;c;ZXZpbA==\\x07", "\\x00",
         "\\t\\n", "\\x1f\\x7f\\u0080", "\\u009b", "\\u009f", "\\u202e\\u2066\\u200b\\ufeff",
         "\\u00a0\\u2028\\u00ad\\xff", MARKUP]


def assert_harmless(out: str, shown: list[str] = SHOWN) -> None:
    """Nothing in ``out`` a terminal acts on or a reader cannot see; ``shown`` all there."""
    bad = [c for c in out if c != "\n" and (unicodedata.category(c)[0] == "C"
                                            or unicodedata.category(c) in ("Zl", "Zp")
                                            or unicodedata.category(c) == "Zs" and c != " ")]
    assert bad == [], f"raw characters on screen: {bad!r}"
    for piece in shown:
        assert piece in out, f"{piece!r} not shown in:\n{out}"


@pytest.fixture
def wide(monkeypatch):
    """The CLI's consoles wide enough that no escape is wrapped across lines."""
    for console in (common.console, common.err_console):
        monkeypatch.setattr(console, "_width", 5000)


def request(**over) -> dict:
    now = time.time()
    return {"id": "ab12cd34", "session": "0123456789abcdef", "identity": "bot",
            "target": "web-1", "login": "deploy", "client": "127.0.0.1:5000",
            "command": HOSTILE, "created": now, "expires": now + 300, "context": [],
            "findings": [{"rule": "fs.rm-recursive", "why": "recursive delete",
                          "argv": ["rm", "-rf", "/srv/data"], "span": [0, 16]}], **over}


def render(renderable, width: int = 5000, colour: bool = False) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=colour, color_system="truecolor" if colour
            else None, highlight=False).print(renderable)
    return buf.getvalue()


def test_spoofed_approval_request_shows_the_real_command():
    # the reproduction: a junk operand that erases lines and moves the cursor up, then
    # draws a benign command row; on a real terminal the reviewer must still see rm -rf
    junk = "\x1b[2K\x1b[1G\x1b[1A" * 4 + "\x1b[2K\x1b[1G│ command   systemctl status nginx"
    out = render(render_request(request(command=f"rm -rf /srv/data #{junk}")),
                 width=100, colour=True)
    screen = pyte.Screen(100, 40)
    pyte.Stream(screen).feed(out.replace("\n", "\r\n"))
    text = "\n".join(line.rstrip() for line in screen.display)
    assert "command   rm -rf /srv/data" in text and "#\\x1b[2K\\x1b[1G\\x1b[1A" in text
    assert "…" not in text  # agent text folds, it is never cut short with an ellipsis
    assert "systemctl" not in text.split("command")[0]  # nothing drawn over earlier rows
    for row in ("identity  bot", "session   0123456789abcdef", "findings", "fs.rm-recursive"):
        assert row in text


def test_approval_prompt_shows_every_field_escaped():
    out = render(render_request(request(
        identity=HOSTILE, target=HOSTILE, login=HOSTILE, client=HOSTILE, session=HOSTILE,
        findings=[{"rule": HOSTILE, "why": HOSTILE, "argv": [HOSTILE], "span": [0, 6]}],
        context=[{"command": HOSTILE, "decision": HOSTILE}])))
    assert_harmless(out)
    assert out.count(MARKUP) == 11  # login@target counts twice, the context's row too


@contextlib.contextmanager
def control_socket(requests: list[dict]):
    """A real control server (in a thread) holding ``requests``."""
    tmp = Path(tempfile.mkdtemp(prefix="sg-"))  # short: a Unix socket path has 108 bytes
    loop = asyncio.new_event_loop()
    me = pwd.getpwuid(os.getuid()).pw_name
    svc = ApprovalService((Approver(me),), ApprovalSettings())
    srv = ControlServer(svc, tmp / "c.sock")
    loop.run_until_complete(srv.start())
    for r in requests:
        svc.broker.request(now=time.time(), timeout=300, **r)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield tmp / "c.sock"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.run_until_complete(srv.close())
        loop.close()
        shutil.rmtree(tmp, ignore_errors=True)


def test_approvals_list_shows_every_field_escaped(wide, monkeypatch):
    fields = dict(session=HOSTILE, identity=HOSTILE, target=HOSTILE, login=HOSTILE,
                  client=HOSTILE, command=HOSTILE,
                  findings=({"rule": HOSTILE, "why": "w", "argv": ["rm"], "span": [0, 2]},))
    with control_socket([fields]) as sock:
        monkeypatch.setattr(approvals_cmd, "_socket", lambda _config: sock)
        r = CliRunner().invoke(cli, ["approvals", "list"])
    assert r.exit_code == 0, r.output
    assert_harmless(r.output)
    assert r.output.count(MARKUP) == 5


@pytest.fixture
def gateway_dir(tmp_path) -> Path:
    assert CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)]).exit_code == 0
    return tmp_path


def hostile_recording(directory: Path, rid: str = "0123456789abcdef") -> None:
    w = CastWriter(directory / "recordings" / f"{rid}.cast", width=80, height=24, title="t",
                   sshgate={"session": rid, "identity": HOSTILE, "target": HOSTILE,
                            "login": HOSTILE, "client": HOSTILE, "mode": HOSTILE,
                            "command": HOSTILE, "started": HOSTILE, "cert_key_id": HOSTILE},
                   direct=False)
    w.marker(HOSTILE, decision="approved", reviewer=HOSTILE, reason=HOSTILE)
    w.output(HOSTILE.encode("utf-8", "surrogateescape"))
    w.exit(0)
    w.close(None, "closed")


def test_recordings_list_and_show_show_every_field_escaped(wide, gateway_dir):
    hostile_recording(gateway_dir)
    cfg = str(gateway_dir / "sshgate.yaml")
    listed = CliRunner().invoke(cli, ["recordings", "list", "--config", cfg])
    assert listed.exit_code == 0, listed.output
    # the id as its shortest unique prefix, which show/replay accept (issue 18)
    assert_harmless(listed.output, ["01234567", *SHOWN[:-2]])
    assert listed.output.count(MARKUP) == 4  # identity, target, login, mode (start: cut)
    show = CliRunner().invoke(cli, ["recordings", "show", "0123", "--config", cfg])
    assert show.exit_code == 0, show.output
    assert_harmless(show.output)
    assert show.output.count(MARKUP) >= 9


def test_classify_shows_the_command_escaped(wide):
    r = CliRunner().invoke(cli, ["classify", HOSTILE])
    assert r.exit_code == 0, r.output
    assert_harmless(r.output)


def test_server_log_lines_show_client_text_escaped(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(serve_cmd.err_console, "_force_terminal", True)  # the rich handler
    handler = serve_cmd._log_handler(0)
    handler.console = Console(file=buf, width=5000, color_system=None)
    log = logging.getLogger("sshgate.test-screens")
    log.addHandler(handler)
    log.propagate = False  # pytest's own capture cannot carry the invalid UTF-8 in HOSTILE
    try:
        log.warning("session %s: command %s refused", "0123", HOSTILE)
        log.warning(HOSTILE)
    finally:
        log.removeHandler(handler)
    assert_harmless(buf.getvalue())


def test_demo_shows_agent_output_escaped():
    buf = io.StringIO()
    demo = Demo(Console(file=buf, width=5000, color_system=None), yes=True, keep=False)
    # the demo shows output line by line: no line breaks in this one; \xff is not UTF-8
    line = "rm -rf /srv/data #" + ESCAPES + "\t\x00\x7f\x9b\u202e\u200b" + MARKUP
    demo.out(line.encode() + b"\xff", "green")
    assert_harmless(buf.getvalue(), ["\\x1b[2K\\x1b[1G", "\\t\\x00\\x7f\\u009b\\u202e\\u200b",
                                     MARKUP])


def test_approval_prompt_loop_shows_requests_and_decisions_escaped(wide, monkeypatch):
    # the interactive prompt against a real control socket: the request arrives, the
    # reviewer denies it with a reason full of escapes, the decision comes back, q quits
    buf = io.StringIO()
    monkeypatch.setattr(common.console, "file", buf)
    read_end, write_end = os.pipe()
    monkeypatch.setattr(sys, "stdin", os.fdopen(read_end, "r"))
    # typed by a reviewer: one line of valid UTF-8
    reason = "".join(c for c in HOSTILE if c not in "\n\r\udcff")
    fields = dict(session="0123", identity=HOSTILE, target="web", login="u", client="c",
                  command=HOSTILE, findings=())
    result: list[int] = []
    with control_socket([fields]) as sock:
        prompt = threading.Thread(
            target=lambda: result.append(asyncio.run(approvals_cmd.prompt_loop(sock))))
        prompt.start()
        try:
            deadline = time.monotonic() + 20
            while "approval request" not in buf.getvalue():
                assert time.monotonic() < deadline, buf.getvalue()
                time.sleep(0.05)
            os.write(write_end, f"d {reason}\n".encode("utf-8", "surrogateescape"))
            while "denied" not in buf.getvalue():
                assert time.monotonic() < deadline, buf.getvalue()
                time.sleep(0.05)
            os.write(write_end, b"q\n")
            prompt.join(20)
        finally:
            os.close(write_end)
    assert result == [0]
    out = buf.getvalue().replace("\x07", "")  # the prompt's own bell for a new request
    assert_harmless(out)
    assert out.count(MARKUP) == 3  # identity and command in the request; the reason


def test_server_log_lines_off_a_terminal_are_escaped_too(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(serve_cmd.err_console, "_force_terminal", False)
    monkeypatch.setattr(serve_cmd.sys, "stderr", buf)
    handler = serve_cmd._log_handler(0)
    log = logging.getLogger("sshgate.test-screens-plain")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("session %s: command %s refused", "0123", HOSTILE)
    finally:
        log.removeHandler(handler)
    assert len(buf.getvalue().splitlines()) == 1
    assert_harmless(buf.getvalue())

