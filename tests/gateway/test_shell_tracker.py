"""The sans-io shell tracker: table cases, and random splits of one stream give one result."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sshgate.gateway.shell import (
    Gate,
    Output,
    Prompt,
    ShellTracker,
    bootstrap_command,
    verdict,
)

N = "0123456789abcdef01234567"


def prompt(status: int = 0, nonce: str = N) -> bytes:
    return f"\x1b]7770;{nonce};prompt;{status}\x07".encode()


def gate(line: str, nonce: str = N) -> bytes:
    return f"\x1b]7770;{nonce};gate;".encode() + base64.b64encode(line.encode()) + b"\x07"


def normalise(events) -> list:
    """Merge adjacent outputs (how chunks are split must not matter)."""
    out: list = []
    for e in events:
        if isinstance(e, Output) and out and isinstance(out[-1], Output):
            out[-1] = Output(out[-1].data + e.data)
        else:
            out.append(e)
    return out


CASES = [
    (b"plain output", [Output(b"plain output")]),
    (prompt(0) + b"$ ", [Prompt(0), Output(b"$ ")]),
    (b"x" + prompt(130), [Output(b"x"), Prompt(130)]),
    (gate("rm -rf /srv"), [Gate("rm -rf /srv")]),
    (gate("echo 'a\nb'"), [Gate("echo 'a\nb'")]),
    (b"a" + gate("ls") + b"b" + prompt(2) + b"c",
     [Output(b"a"), Gate("ls"), Output(b"b"), Prompt(2), Output(b"c")]),
    # forged markers (wrong nonce) are plain output, never events
    (prompt(0, "ffff") + gate("ls", "ffff"), [Output(prompt(0, "ffff") + gate("ls", "ffff"))]),
    (b"\x1b]0;title\x07text", [Output(b"\x1b]0;title\x07text")]),
    (b"\x1b]7770;" + N.encode() + b";gate;!!notbase64\x07", [Gate("\x00unreadable gate request")]),
]


@pytest.mark.parametrize("stream,events", CASES)
def test_table(stream, events):
    assert normalise(ShellTracker(N).feed(stream)) == events


@pytest.mark.parametrize("stream,events", CASES)
def test_byte_by_byte(stream, events):
    t = ShellTracker(N)
    got = []
    for i in range(len(stream)):
        got += t.feed(stream[i:i + 1])
    assert normalise(got) == events


STREAMS = st.lists(st.one_of(
    st.binary(max_size=40),
    st.integers(0, 255).map(prompt),
    st.text(max_size=30).map(gate),
    st.just(prompt(0, "bad")),
), max_size=12).map(b"".join)


@given(STREAMS, st.lists(st.integers(0, 400), max_size=10))
def test_random_splits_give_the_same_events(stream, cuts):
    whole = normalise(ShellTracker(N).feed(stream))
    t = ShellTracker(N)
    got, last = [], 0
    for c in sorted(set(min(c, len(stream)) for c in cuts)):
        got += t.feed(stream[last:c])
        last = c
    got += t.feed(stream[last:])
    assert normalise(got) == whole


@given(st.binary(max_size=300))
def test_never_raises_and_loses_no_plain_bytes(data):
    events = ShellTracker(N).feed(data)
    if b"\x1b" not in data:
        assert b"".join(e.data for e in events if isinstance(e, Output)) == data


def test_bootstrap_is_a_posix_heredoc_with_the_nonce():
    cmd = bootstrap_command(N)
    assert cmd.startswith("exec bash --noprofile --rcfile /dev/fd/3 -i 3<<'SSHGATE_RC_")
    assert f"__sshgate_n='{N}'" in cmd and "trap __sshgate_gate DEBUG" in cmd
    assert verdict(N, True) == f"{N} allow\r".encode()
    assert verdict(N, False) == f"{N} deny\r".encode()
