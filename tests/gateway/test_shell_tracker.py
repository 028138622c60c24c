"""The sans-io shell gate: table cases both ways, random splits of one stream give one result,
and random interleavings of agent bytes, shell output and markers never let a submitted line
be followed by another agent byte before its verdict was answered and acknowledged."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sshgate.gateway.shell import (
    ACK_TIMEOUT,
    ASK_CALLS,
    RCFILE,
    SUBMIT_TIMEOUT,
    UNREADABLE,
    Ack,
    Continuation,
    Forward,
    Gate,
    Output,
    Prompt,
    ShellGate,
    State,
    Ungated,
    bootstrap_command,
    verdict,
)
from sshgate.guard.flow import START, UNKNOWN

N = "0123456789abcdef01234567"
R = "00112233445566aa"


#: the token the shell's markers carry between two prompts (each prompt announces the next;
#: these tests keep one, the sequence tests change it)
T = "a1b2c3d4e5f60718"


def mk(kind: str, arg: str = "", nonce: str = N, token: str = T) -> bytes:
    return f"\x1b]7770;{nonce};{kind};{token};{arg}\x07".encode()


def prompt(status: int = 0, off: str = "", nonce: str = N, token: str = T, following: str = T,
           removed: int = 0) -> bytes:
    return mk("prompt", f"{status};{off};{following};{removed}", nonce, token)


def gate(line: str, request: str = R, nonce: str = N, number: int = 7, cwd: str = ".",
         token: str = T) -> bytes:
    return mk("gate", f"{request};{cwd};{escape(f'{number:5d}  {line}')}", nonce, token)


def escape(text: str) -> str:
    """What the shell's gate does to the history entry: control characters and % as %XX."""
    return "".join(f"%{ord(c):02x}" if ord(c) < 0x20 or c in "\x7f%" else c for c in text)


def ack(outcome: str = "ran", request: str = R, token: str = T) -> bytes:
    return mk("ack", f"{request};{outcome}", token=token)


def normalise(events) -> list:
    """Merge adjacent outputs (how chunks are split must not matter)."""
    out: list = []
    for e in events:
        if isinstance(e, Output) and out and isinstance(out[-1], Output):
            out[-1] = Output(out[-1].data + e.data)
        else:
            out.append(e)
    return out


def ready() -> ShellGate:
    g = ShellGate(N)
    assert g.from_shell(prompt(), 0) == [Prompt(0)]
    return g


OUTPUT_CASES = [
    (b"plain output", [Output(b"plain output")]),
    (prompt(0) + b"$ ", [Prompt(0), Output(b"$ ")]),
    (b"x" + prompt(130), [Output(b"x"), Prompt(130)]),
    # forged markers (wrong nonce) and other OSC sequences are plain output, never events
    (prompt(0, nonce="ffff") + gate("ls", nonce="ffff"),
     [Output(prompt(0, nonce="ffff") + gate("ls", nonce="ffff"))]),
    (b"\x1b]0;title\x07text", [Output(b"\x1b]0;title\x07text")]),
]


@pytest.mark.parametrize("stream,events", OUTPUT_CASES)
def test_output_table(stream, events):
    assert normalise(ShellGate(N).from_shell(stream, 0)) == events


@pytest.mark.parametrize("stream,events", OUTPUT_CASES)
def test_output_byte_by_byte(stream, events):
    g = ShellGate(N)
    got = []
    for i in range(len(stream)):
        got += g.from_shell(stream[i:i + 1], 0)
    assert normalise(got) == events


def test_a_line_is_held_until_its_verdict_is_acknowledged():
    g = ready()
    assert g.from_agent(b"rm -rf /srv\r" + f"{R}:a\r".encode(), 0) == b"rm -rf /srv\r"
    assert g.state is State.SUBMITTED
    assert g.from_agent(b"more", 0) == b""  # type-ahead waits
    assert g.from_shell(b"rm -rf /srv\r\n" + gate("rm -rf /srv"), 0) == [
        Output(b"rm -rf /srv\r\n"), Gate(R, "rm -rf /srv")]
    assert g.from_agent(b"x", 0) == b""
    assert g.answer(R, False, 0) == verdict(R, False) == f"{R}:d\n".encode()
    assert g.answer(R, True, 0) == b""  # one answer per request
    assert g.from_shell(ack("skipped"), 0) == [
        Ack(R, "rm -rf /srv", allowed=False, ran=False),
        Forward(f"{R}:a\rmore".encode() + b"x")]
    assert g.state is State.RUNNING


@pytest.mark.parametrize("typed,hint", [
    (b"true 5\r", "true 5"),
    (b"ls -la /tmp\n", "ls -la /tmp"),
    (b"true 5\x0f", None),          # C-o: operate-and-get-next runs a history line
    (b"tru\x7fe 5\r", None),        # an editing key: bash's line is not what was typed
    (b"\x1b[Atrue\r", None),        # history recall
    (b"echo \x16\tx\r", None),      # a quoted control character
    (b"echo \xc3\xbc\r", None),     # not ASCII
    (b"\r", None),
])
def test_the_submitted_line_as_typed_is_only_a_plain_hint(typed, hint):
    """What the gateway may classify early (the guard's cache) while the shell reads the
    line; the decision is on the line the shell reports."""
    g = ready()
    g.from_agent(typed, 0)
    assert g.submitted() == hint
    g.from_shell(gate("anything else"), 0)
    assert g.submitted() is None  # only between the submission and the gate request


def test_no_hint_for_keys_typed_while_a_program_ran_or_after_a_continuation():
    g = ready()
    g.from_agent(b"for i in 1\r", 0)
    g.from_shell(mk("ps2"), 0)
    g.from_agent(b"do true; done\r", 0)
    assert g.submitted() is None  # the second line of one command
    assert ShellGate(N).submitted() is None


def test_prompt_continuation_and_multiline():
    g = ready()
    assert g.from_agent(b"for i in 1\rdo echo $i; done\r", 0) == b"for i in 1\r"
    assert g.from_shell(mk("ps2"), 0) == [Continuation(), Forward(b"do echo $i; done\r")]
    assert g.state is State.SUBMITTED
    assert g.from_shell(gate("for i in 1; do echo $i; done"), 0) == [
        Gate(R, "for i in 1; do echo $i; done")]


@pytest.mark.parametrize("line", [
    "printf '%s\\n' 100%", "echo a\tb", "for i in 1\ndo echo $i\ndone", "echo h\u00e9 \u2713",
    "echo \x1b]7770;x\x07 \r\x7f %0a", "  leading spaces", "echo \udcff raw byte"])
def test_the_command_comes_through_byte_for_byte(line):
    """The shell sends control characters and % as %XX (no base64, no helper program): the
    gateway classifies exactly the history entry, whatever bytes it holds."""
    g = ready()
    g.from_agent(b"x\r", 0)
    raw = line.encode("utf-8", "surrogateescape")
    entry = b"".join(b"%%%02x" % c if c < 0x20 or c in b"\x7f%" else bytes((c,))
                     for c in b"    7* " + raw)
    [ev] = g.from_shell(b"\x1b]7770;" + N.encode() + b";gate;" + T.encode() + b";"
                        + R.encode() + b";.;" + entry + b"\x07", 0)
    assert ev == Gate(R, raw.decode("utf-8", "replace"))


@pytest.mark.parametrize("entry", ["", "echo no number", "    7 ", "    7  50%", "    7  %zz",
                                   "    7  %0", "x    7  ls", "    7  echo\thi", "    7  a\nb",
                                   "    7  a\rb", "    7  a\x7fb"])
def test_a_gate_request_that_is_not_a_history_entry_is_unreadable(entry):
    """(a raw control character means the shell did not escape the entry: not trusted)"""
    g = ready()
    g.from_agent(b"x\r", 0)
    [ev] = g.from_shell(mk("gate", f"{R};.;{entry}"), 0)
    assert ev == Gate(R, UNREADABLE)


def test_keys_that_do_not_submit():
    g = ready()
    # C-v makes the next key literal; a bracketed paste inserts its newlines
    for keys in (b"echo a\x16\r", b"\x1b[200~echo a\recho b\n\x1b[201~",
                 b"\x1b[200", b"~a\rb\x1b[20", b"1~"):
        assert g.from_agent(keys, 0) == keys
        assert g.state is State.PROMPT
    assert g.from_agent(b"\r", 0) == b"\r" and g.state is State.SUBMITTED


@pytest.mark.parametrize("before", [b"", b"\x1b", b"\x1b\x1b", b"\x1b\x1b\x1b", b"\x1b[",
                                    b"\x1b\x16", b"\x1bO", b"\x18", b"\x1b[1;5"])
@pytest.mark.parametrize("key", [b"\r", b"\n", b"\x0f"])
def test_a_submitting_key_submits_whatever_came_before(before, key):
    """Red team s8 D7: readline reads ESC ESC as one key (M-ESC), then CR is accept-line. The
    gateway does not model readline's keymaps: outside a paste, and unless quoted by a C-v
    of its own, every CR, LF and C-o ends what it forwards."""
    g = ready()
    assert g.from_agent(b"echo A" + before + key + b"echo B\r", 0) == b"echo A" + before + key
    assert g.state is State.SUBMITTED


def test_running_program_gets_every_byte():
    g = ready()
    g.from_agent(b"cat\r", 0)
    g.from_shell(gate("cat"), 0)
    g.answer(R, True, 0)
    g.from_shell(ack("ran"), 0)
    assert g.from_agent(b"line one\rline two\r", 0) == b"line one\rline two\r"


@pytest.mark.parametrize("steps,why", [
    ([gate("ls"), gate("ls", "ffffffffffffffff")], "did not expect"),
    ([gate("ls"), prompt()], "while gate request"),
    ([ack("ran")], "no open gate request"),
    ([prompt(0, "functrace,trap")], "switched off (functrace,trap)"),
    ([gate("ls", "XYZ")], "malformed"),
])
def test_out_of_sequence_markers_end_the_gate(steps, why):
    g = ready()
    events = []
    for s in steps:
        events += g.from_shell(s, 0)
    assert isinstance(events[-1], Ungated) and why in events[-1].why
    assert g.state is State.CLOSED
    assert g.from_agent(b"echo hi\r", 0) == b""
    assert g.from_shell(prompt(), 0) == []


K1, K2 = "1111111111111111", "2222222222222222"


def test_each_prompt_announces_the_token_of_the_next_markers():
    g = ShellGate(N)
    assert g.from_shell(prompt(0, token="", following=K1), 0) == [Prompt(0)]
    g.from_agent(b"ls\r", 0)
    [ev] = g.from_shell(gate("ls", token=K1, cwd="/etc"), 0)
    assert ev == Gate(R, "ls", "/etc")
    g.answer(R, True, 0)
    assert isinstance(g.from_shell(ack("ran", token=K1), 0)[0], Ack)
    assert g.from_shell(prompt(0, token=K1, following=K2, removed=2), 0) == [Prompt(0, 2)]
    # the old token is spent: a replay of anything carrying it ends the gate
    g.from_agent(b"ls\r" + b"typed ahead", 0)
    events = g.from_shell(prompt(0, token=K1, following=K1), 0)
    assert isinstance(events[-1], Ungated) and "out of sequence" in events[-1].why
    assert not any(isinstance(e, Forward) for e in events)


@pytest.mark.parametrize("forged", [
    prompt(0, token="0000000000000000"), prompt(0, token=""), mk("ps2", token="x"),
    gate("true", token="0000000000000000"), ack("ran", token=""),
    f"\x1b]7770;{N};prompt;0;\x07".encode(),  # the format before tokens
])
def test_a_forged_marker_while_a_line_is_held_releases_nothing(forged):
    """Red team s8 D5: set -v, a history expansion or an error message makes the shell print
    the agent's text while the gateway holds its type-ahead."""
    g = ready()
    assert g.from_agent(b"sleep 1\rR:a", 0) == b"sleep 1\r"
    events = g.from_shell(b"out" + forged, 0)
    assert not any(isinstance(e, Forward) for e in events)
    assert isinstance(events[-1], Ungated) and g.state is State.CLOSED


def test_a_gate_request_while_a_line_runs_ends_the_gate():
    g = ready()
    g.from_agent(b"cat\r", 0)
    g.from_shell(gate("cat"), 0)
    g.answer(R, True, 0)
    g.from_shell(ack("ran"), 0)
    [ev] = g.from_shell(gate("rm -rf x", "ffeeddccbbaa9988"), 0)
    assert isinstance(ev, Ungated) and "did not expect" in ev.why and not ev.pending


def test_a_gate_that_breaks_with_a_request_open_says_the_line_may_have_run():
    g = ready()
    g.from_agent(b"rm -rf x\r", 0)
    g.from_shell(gate("rm -rf x"), 0)
    g.answer(R, False, 0)
    [ev] = g.from_shell(prompt(), 0)
    assert ev == Ungated(ev.why, "rm -rf x", pending=True)
    g = ready()
    g.from_agent(b"ls\r", 0)
    assert g.overdue(SUBMIT_TIMEOUT).pending is False


@pytest.mark.parametrize("reported,cwd", [
    (".", START), ("/", "/"), ("/etc", "/etc"), ("src/app", "src/app"), ("?", UNKNOWN),
    ("", UNKNOWN), ("../x", UNKNOWN), ("/etc/../root", UNKNOWN), ("a//b", UNKNOWN),
    ("~root", UNKNOWN), ("$HOME", UNKNOWN), ("/a\x01b", UNKNOWN), ("/" + "a" * 5000, UNKNOWN),
    ("/etc/", UNKNOWN),
])
def test_the_start_directory_is_data(reported, cwd):
    g = ready()
    g.from_agent(b"ls\r", 0)
    [ev] = g.from_shell(gate("ls", cwd=reported), 0)
    assert ev == Gate(R, "ls", cwd)


def test_a_refused_line_the_shell_ran_ends_the_gate():
    g = ready()
    g.from_agent(b"rm x\r", 0)
    g.from_shell(gate("rm x"), 0)
    g.answer(R, False, 0)
    events = g.from_shell(ack("ran"), 0)
    assert events[0] == Ack(R, "rm x", allowed=False, ran=True)
    assert isinstance(events[1], Ungated) and "ran a command the gateway refused" in events[1].why


def test_silence_after_a_submitted_line_or_a_verdict():
    g = ready()
    g.from_agent(b"echo hi\r", 10.0)
    assert g.overdue(10.0 + SUBMIT_TIMEOUT - 0.1) is None
    ev = g.overdue(10.0 + SUBMIT_TIMEOUT)
    assert ev is not None and ev.why == "no gate marker for a submitted line"
    assert ev.line == "echo hi\r"
    g = ready()
    g.from_agent(b"ls\r", 0)
    g.from_shell(gate("ls"), 0)
    g.answer(R, True, 1.0)
    assert g.overdue(1.0 + ACK_TIMEOUT).why == "no acknowledgement of the verdict"


def test_nothing_passes_before_the_first_prompt():
    g = ShellGate(N)
    assert g.from_agent(b"rm -rf /\r", 0) == b""
    assert g.from_shell(prompt(), 0) == [Prompt(0), Forward(b"rm -rf /\r")]
    assert g.state is State.SUBMITTED


def test_bootstrap_is_a_posix_heredoc_with_the_nonce():
    cmd = bootstrap_command(N, 42)
    assert cmd.startswith("exec bash --noprofile --rcfile /dev/fd/3 -i 3<<'SSHGATE_RC_")
    assert f"__sshgate_n='{N}'" in cmd and "trap '\\__sshgate_gate \"$?\"' DEBUG" in cmd
    assert "__sshgate_t=42" in cmd and "'builtin'" in cmd


_KEYWORDS = {"if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "in",
             "case", "esac", "!", "[[", "(("}


def _commands(name: str) -> set[str]:
    """The command words of one of the rcfile's functions: what bash looks up as a command
    (quotes, expansions other than $(...), [[ ]] and (( )) removed first)."""
    body = RCFILE.split(f"\n{name}() {{{{\n", 1)[1].split("\n}}\n", 1)[0]
    body = body.replace("{{", "{").replace("}}", "}")
    body = re.sub(r"(^|\s)#.*", "", body, flags=re.M)       # comments
    body = re.sub(r"\$'(\\.|[^'])*'|'[^']*'", "''", body)   # quoted text
    body = re.sub(r'"(\\.|[^"\\])*"', "''", body)
    body = re.sub(r"\[\[.*?\]\]|\(\(.*?\)\)", " [[ ", body, flags=re.S)
    body = re.sub(r"\$\{[^}]*\}", "''", body)
    body = body.replace("\\\n", " ")
    body = re.sub(r"(\{\w+\}|\d+)?(<<<|<>|>>|>&|<&|>|<)\s*[^\s;)]*", " ", body)  # redirections
    words = set()
    for piece in re.split(r"[;\n&|(){}]+|\$\(", body):
        piece = re.sub(r"^\s*(\w+=\S*\s+)*", "", piece)  # assignments before a command
        first = piece.split()[0] if piece.split() else ""
        if first and first not in _KEYWORDS and not re.fullmatch(r"\w+=\S*", first):
            words.add(first)
    return words


def test_the_gate_request_calls_nothing_a_function_could_shadow():
    """The subshell removes functions by ASK_CALLS only (the prompt removes every builtin's
    name): every other command it runs is behind `builtin`, or the gate's own read-only
    function; the purge itself runs unset and exit in POSIX mode (special builtins first)."""
    assert _commands("__sshgate_ask") - {"builtin", "__sshgate_purge"} == \
        set(ASK_CALLS) - {"builtin"}
    assert _commands("__sshgate_purge") == {"unset", "exit"}


# -- properties ---------------------------------------------------------------------------------

REQUESTS = ["00112233445566aa", "ffeeddccbbaa9988"]
STALE = ["0000000000000000", "", "0"]
KEYS = st.lists(st.sampled_from([b"a", b" ", b"\r", b"\n", b"\x0f", b"\x16", b"\x1b",
                                 b"\x1b\x1b", b"\x1b[", b"O", b"\x18",
                                 b"\x1b[200~", b"\x1b[201~", b"\x03", b"\x04"]),
                min_size=1, max_size=6).map(b"".join)
SHELL = st.one_of(
    st.builds(prompt, st.integers(0, 255), st.sampled_from(["", "trap"])),
    st.just(mk("ps2")),
    st.builds(gate, st.text(max_size=12), st.sampled_from(REQUESTS + ["notarequest"])),
    st.builds(ack, st.sampled_from(["ran", "skipped", "maybe"]), st.sampled_from(REQUESTS)),
    st.binary(max_size=12),
    st.just(prompt(0, nonce="bad")),
    # text the agent made the shell print: markers with a token it could know or guess
    st.builds(prompt, st.just(0), st.just(""), st.just(N), st.sampled_from(STALE)),
    st.builds(gate, st.text(max_size=12), st.sampled_from(REQUESTS), st.just(N), st.just(7),
              st.just("."), st.sampled_from(STALE)),
    st.builds(ack, st.just("ran"), st.sampled_from(REQUESTS), st.sampled_from(STALE)),
)
ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("agent"), KEYS),
    st.tuples(st.just("shell"), SHELL, st.integers(0, 3)),
    st.tuples(st.just("answer"), st.booleans(), st.booleans()),
    st.tuples(st.just("tick"), st.floats(0, 6)),
), max_size=40)


class Readline:
    """The keys readline may take as accept-line or operate-and-get-next, whatever keymap
    (emacs, vi, ESC prefixes): CR, LF and C-o anywhere outside a bracketed paste, unless
    quoted by a C-v that is a key of its own."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.tail, self.paste, self.quoted, self.esc = b"", False, False, False

    def submits(self, data: bytes) -> int:
        """Index just after the first submitting key in ``data``, or -1."""
        for i, b in enumerate(data):
            self.tail = (self.tail + bytes((b,)))[-6:]
            if self.paste:
                self.paste = self.tail != b"\x1b[201~"
                continue
            if self.tail == b"\x1b[200~":
                self.paste = True
                continue
            if self.quoted:
                self.quoted = False
                continue
            esc, self.esc = self.esc, b == 0x1b
            if b in b"\r\n\x0f":
                return i + 1
            self.quoted = b == 0x16 and not esc
        return -1


@example([("agent", b"\x16"), ("shell", prompt(), 0),
          ("agent", b"\ra")])
@given(ACTIONS)
def test_no_line_goes_to_the_shell_without_a_verdict(actions):
    g = ShellGate(N)
    now = 0.0
    awaiting = False        # a submitted line has no verdict acknowledged yet
    answered: dict[str, bool] = {}
    closed = False

    def forwarded(data: bytes) -> None:
        nonlocal awaiting
        if not data:
            return
        assert not closed, "bytes forwarded after the gate was closed"
        assert not awaiting, "an agent byte went to the shell before the verdict was acked"
        if g.state is State.SUBMITTED:
            # the submitting key is the last byte forwarded: nothing typed after it
            assert data[-1:] in (b"\r", b"\n", b"\x0f")
            awaiting = True

    readline = Readline()

    def shell_events(events: list) -> None:
        nonlocal awaiting, closed
        for ev in events:
            if isinstance(ev, Prompt | Continuation):
                readline.reset()
            if isinstance(ev, Ack):
                assert ev.request in answered and answered[ev.request] == ev.allowed
                awaiting = False
            elif isinstance(ev, Prompt | Continuation):
                awaiting = False
            elif isinstance(ev, Ungated):
                closed = True
            elif isinstance(ev, Forward):
                # keys held while the shell was busy, released at the prompt: readline
                # reads them first (a C-v among them quotes the next key the agent types)
                cut = readline.submits(ev.data)
                assert cut in (-1, len(ev.data)), f"released after a submit: {ev.data!r}"
                forwarded(ev.data)
        if events and isinstance(events[-1], Ack):
            assert not (events[-1].ran and not events[-1].allowed), \
                "the shell ran a refused line and the gate stayed open"

    for action in actions:
        kind = action[0]
        if kind == "agent":
            at_prompt = g.state is State.PROMPT
            out = g.from_agent(action[1], now)
            if at_prompt:
                # readline's view (red team s8 D7): nothing after a key it submits on
                cut = readline.submits(out)
                assert cut in (-1, len(out)), f"forwarded after readline submitted: {out!r}"
            forwarded(out)
        elif kind == "shell":
            data, split = action[1], action[2]
            cut = len(data) * split // 4
            for part in (data[:cut], data[cut:]):
                shell_events(g.from_shell(part, now))
        elif kind == "answer":
            allow, real = action[1], action[2]
            request = g.pending.request if (real and g.pending) else REQUESTS[1]
            out = g.answer(request, allow, now)
            if out:
                assert out == verdict(request, allow)
                answered[request] = allow
        else:
            now += action[1]
            if g.overdue(now) is not None:
                closed = True
        if closed:
            assert g.state is State.CLOSED


@given(st.lists(SHELL, max_size=12).map(b"".join), st.lists(st.integers(0, 400), max_size=10))
def test_random_splits_give_the_same_events(stream, cuts):
    whole = normalise(ShellGate(N).from_shell(stream, 0))
    g = ShellGate(N)
    got, last = [], 0
    for c in sorted(set(min(c, len(stream)) for c in cuts)):
        got += g.from_shell(stream[last:c], 0)
        last = c
    got += g.from_shell(stream[last:], 0)
    assert normalise(got) == whole


@given(st.binary(max_size=300))
def test_never_raises_and_loses_no_plain_bytes(data):
    events = ShellGate(N).from_shell(data, 0)
    if b"\x1b" not in data:
        assert b"".join(e.data for e in events if isinstance(e, Output)) == data
