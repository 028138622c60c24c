"""recordings list/show/verify/export and replay on files made here (no gateway): ids that
are not ids, exports that would overwrite or follow a symlink, tab-holding commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import asyncssh
import pytest
from click.testing import CliRunner

from sshgate.cli import common
from sshgate.cli.main import cli
from sshgate.recording.writer import CastWriter

RID = "0123456789abcdef"


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Messages on one line whatever the length of the temp path in them."""
    for console in (common.console, common.err_console):
        monkeypatch.setattr(console, "_width", 5000)


@pytest.fixture
def gw(tmp_path) -> Path:
    assert CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)]).exit_code == 0
    key = asyncssh.read_private_key(str(tmp_path / "keys" / "host"))
    w = CastWriter(tmp_path / "recordings" / f"{RID}.cast", width=80, height=24, title="t",
                   sshgate={"session": RID, "identity": "bot", "target": "web", "login": "u",
                            "mode": "exec"}, direct=False)
    w.marker("id -un\t; uname -s", decision="allow")
    w.output(b"bot\nLinux\n\x1b]52;c;ZXZpbA==\x07\xc2\x9d0;title\xc2\x9c")
    w.exit(0)
    w.close(key, "closed")
    return tmp_path


def run(gw: Path, *args: str):
    return CliRunner().invoke(cli, [*args, "--config", str(gw / "sshgate.yaml")])


def test_a_command_with_a_tab_is_found_and_shown_whole(gw):
    r = run(gw, "recordings", "list", "--json", "--command", "uname")
    assert r.exit_code == 0, r.output
    assert [s["id"] for s in json.loads(r.output)] == [RID]
    show = run(gw, "recordings", "show", RID[:6], "--json")
    assert json.loads(show.output)["timeline"][0]["label"] == "id -un\t; uname -s"
    assert "id -un\\t; uname -s" in run(gw, "recordings", "show", RID[:6]).output


@pytest.mark.parametrize("bad", ["../../x/planted", "/etc/passwd", "/nonexistent/abs", "*",
                                 "0123*", "?", "[0-9]*", "..", "", "0123/../0123",
                                 "0123456789ABCDEF", "x" * 5000, "0123\n"])
@pytest.mark.parametrize("command", [["recordings", "show"], ["recordings", "export"],
                                     ["recordings", "verify"], ["replay"]])
def test_an_id_that_is_not_an_id_is_refused_without_a_traceback(gw, tmp_path, bad, command):
    planted = gw / "x" / "planted.cast"
    planted.parent.mkdir(exist_ok=True)
    planted.write_bytes((gw / "recordings" / f"{RID}.cast").read_bytes())
    r = run(gw, *command, bad)
    assert r.exit_code == 2, (r.output, r.exception)
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "not a recording id" in r.output
    assert "bot" not in r.output  # nothing of the planted copy is shown


def test_an_unknown_id_is_an_error_naming_it(gw):
    r = run(gw, "recordings", "show", "fff")
    assert r.exit_code == 1 and "no recording 'fff'" in r.output


def test_export_refuses_to_overwrite_without_force(gw):
    out = gw / "out.cast"
    out.write_text("precious")
    r = run(gw, "recordings", "export", RID, "-o", str(out))
    assert r.exit_code == 1 and "exists; --force overwrites it" in r.output
    assert out.read_text() == "precious"
    r = run(gw, "recordings", "export", RID, "-o", str(out), "--force")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == (gw / "recordings" / f"{RID}.cast").read_bytes()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_writes_through_a_symlink(gw, force):
    victim = gw / "victim"
    victim.write_text("precious")
    link = gw / "link.txt"
    link.symlink_to(victim)
    dangling = gw / "dangling.txt"
    dangling.symlink_to(gw / "created-through-link")
    for target in (link, dangling):
        r = run(gw, "recordings", "export", RID, "--format", "text", "-o", str(target), *force)
        assert r.exit_code == 1 and ("symbolic link" in r.output or "exists" in r.output), \
            r.output
        assert r.exception is None or isinstance(r.exception, SystemExit)
    assert victim.read_text() == "precious"
    assert not (gw / "created-through-link").exists()


def test_export_refuses_a_fifo_even_with_force(gw):
    fifo = gw / "fifo"
    os.mkfifo(fifo)
    r = run(gw, "recordings", "export", RID, "-o", str(fifo), "--force")
    assert r.exit_code == 1 and "not a regular file" in r.output


def test_export_to_a_new_file_is_private(gw):
    r = run(gw, "recordings", "export", RID, "--format", "json", "-o", str(gw / "new.json"))
    assert r.exit_code == 0, r.output
    assert (gw / "new.json").stat().st_mode & 0o777 == 0o600
    assert json.loads((gw / "new.json").read_text())["id"] == RID


def sshgate(gw: Path, *args: str, tty: bool = False, server=None) -> bytes:
    """Run the CLI as a process; with ``tty``, its stdout is a terminal. Without, forked from
    ``server`` (the session's warm one of this environment, tests/conftest.py) if given."""
    import subprocess
    import sys

    argv = [sys.executable, "-m", "sshgate", *args, "--config", str(gw / "sshgate.yaml")]
    if not tty and server is not None and server.usable_for(dict(os.environ)):
        r = server.run(argv[3:], env=dict(os.environ), timeout=60, text=False)
        r.check_returncode()
        return r.stdout
    if not tty:
        return subprocess.run(argv, capture_output=True, timeout=60, check=True).stdout
    main, sub = os.openpty()
    try:
        p = subprocess.Popen(argv, stdout=sub, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL)
        os.close(sub)
        out = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            out += chunk
        assert p.wait(60) == 0
        return out
    finally:
        os.close(main)


def test_replay_filters_unless_raw(gw, cli_forkserver):
    out = sshgate(gw, "replay", RID, "--speed", "0", server=cli_forkserver)
    assert b"bot\nLinux\n" in out and b"\x1b]52" not in out
    assert b"\x1b]52;c;ZXZpbA==\x07" in sshgate(gw, "replay", RID, "--speed", "0", "--raw",
                                               server=cli_forkserver)


def test_export_to_a_terminal_is_filtered_and_to_a_pipe_is_exact(gw, cli_forkserver):
    # the stored cast holds the 8-bit OSC (U+009D) as raw UTF-8: JSON does not escape it
    cast = (gw / "recordings" / f"{RID}.cast").read_bytes()
    assert b"\xc2\x9d0;title" in cast
    assert sshgate(gw, "recordings", "export", RID, server=cli_forkserver) == cast
    on_tty = sshgate(gw, "recordings", "export", RID, tty=True)
    assert b"\xc2\x9d" not in on_tty and b"\x1b]" not in on_tty and b'"version": 2' in on_tty
    assert b"\xc2\x9d0;title" in sshgate(gw, "recordings", "export", RID, "--raw", tty=True)


def test_verify_shows_a_planted_file_name_escaped(gw):
    # someone who can write the recordings directory names a file with escapes and markup
    planted = gw / "recordings" / "\x1b]52;c;ZXZpbA==\x07[conceal]x[bold].cast"
    planted.write_bytes((gw / "recordings" / f"{RID}.cast").read_bytes())
    r = run(gw, "recordings", "verify", "--all")
    assert r.exit_code == 1
    assert "\x1b" not in r.output and "\x07" not in r.output
    assert "\\x1b]52;c;ZXZpbA==\\x07[conceal]x[bold]" in r.output
