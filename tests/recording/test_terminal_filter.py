"""The replay filter: an allow-list over the whole output stream, whatever the event bounds."""

from __future__ import annotations

import pyte
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.recording.terminal_filter import TerminalFilter

OSC52 = b"\x1b]52;c;" + b"ZXZpbCBjbGlwYm9hcmQ=" + b"\x07"

# every one of these must vanish whole, with no byte of it left for the terminal to act on
HOSTILE = [
    b"\x1b]52;c;ZXZpbA==\x07", b"\x1b]52;c;ZXZpbA==\x1b\\", b"\x1b]0;pwned\x07",
    b"\x1b]2;title\x1b\\", b"\x1b]8;;https://evil.example/\x1b\\",
    b"\x1b]4;1;rgb:ff/00/00\x07", b"\x1b]10;?\x07", b"\x1b]11;#000000\x07",
    b"\x1b]50;font\x07", b"\x1b]104\x07", b"\x1b]7;file://h/etc\x07",
    b"\x1bP+q544e\x1b\\", b"\x1bP$qm\x1b\\", b"\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\",
    b"\x1b_Gf=100;AAAA\x1b\\", b"\x1b^privacy\x1b\\", b"\x1bXsos\x1b\\",
    b"\xc2\x9d52;c;eA==\xc2\x9c", b"\xc2\x9b6n", b"\xc2\x90$qm\xc2\x9c",
    b"\x1b[6n", b"\x1b[5n", b"\x1b[c", b"\x1b[>c", b"\x1b[=c", b"\x1b[21t", b"\x1b[8;1;1t",
    b"\x1b[?1$p", b"\x1b[2$p", b"\x1b[!p", b"\x1b[2 q", b"\x1bZ", b"\x05",
    b"\x1b[?1000h", b"\x1b[?1003h", b"\x1b[?1006h", b"\x1b[?2004h", b"\x1b[?1004h",
    b"\x1b[?1h", b"\x1b=", b"\x1b>", b"\x1b[>4;2m", b"\x1b[>1u", b"\x1b[?u", b"\x1b[=1;1u",
    b"\x1b[20h", b"\x1b[3J", b"\x1b[2;3J", b"\x1bc", b"\x1b#8", b"\x1b%G", b"\x1b)0", b"\x0e",
    b"\x0f", b"\x1bn", b"\x1b[3g", b"\x1bH", b"\x1b[5;10s", b"\x1b[0i", b"\x1b[99999b",
    b"\x1b[" + b"1;" * 100 + b"m",
]
# what replay needs to look like the session: kept byte for byte
KEPT = [
    b"plain text\r\n", b"\x1b[31mred\x1b[0m", b"\x1b[38;2;1;2;3m", b"\x1b[38:5:208m",
    b"\x1b[2J\x1b[H", b"\x1b[10;5H", b"\x1b[K", b"\x1b[2K", b"\x1b[1A\x1b[2B\x1b[3C\x1b[4D",
    b"\x1b7\x1b8", b"\x1bM", b"\x1b[?25l", b"\x1b[?1049h", b"\x1b[?7l", b"\x1b[5;20r",
    b"\x1b[4h", b"\x1b(0qqq\x1b(B", b"\x1b[s\x1b[u", b"\x1b[3@\x1b[2P\x1b[4X", b"tab\there",
    b"\x08\x07", "héllo wörld ✓".encode(),
]


def run(chunks: list[bytes]) -> str:
    f = TerminalFilter()
    return "".join(f.feed(c) for c in chunks) + f.finish()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_dangerous_sequences_are_dropped_whole(hostile):
    assert run([b"a" + hostile + b"b"]) == "ab"


@pytest.mark.parametrize("kept", KEPT)
def test_screen_sequences_are_kept(kept):
    f = TerminalFilter()
    assert f.feed(kept) == kept.decode()


def test_osc52_split_across_two_events_is_stripped():
    # printf '\033'; sleep .4; printf ']52;c;...\007': two output events
    assert run([b"before\x1b", b"]52;c;ZXZpbA==\x07after"]) == "beforeafter"


@pytest.mark.parametrize("at", range(1, len(OSC52)))
def test_osc52_split_at_every_byte_is_stripped(at):
    data = b"x" + OSC52 + b"y"
    assert run([data[:at + 1], data[at + 1:]]) == "xy"


def test_osc52_one_byte_per_event_is_stripped():
    data = b"\xc3" + b"\xa9" + OSC52 + "✓".encode() + b"\xc2\x9d52;c;eA==\xc2\x9c!"
    assert run([bytes([b]) for b in data]) == "é✓!"


def test_split_utf8_characters_are_joined():
    data = "a✓b".encode()
    assert run([data[:2], data[2:3], data[3:]]) == "a✓b"


def test_a_truncated_sequence_at_the_end_never_reaches_the_terminal():
    assert run([b"ok\x1b]52;c;ZXZp"]) == "ok"
    assert run([b"ok\x1b[12"]) == "ok"


def test_modes_left_set_are_undone_at_the_end():
    out = run([b"\x1b[?1049h\x1b[?25l\x1b[31m\x1b(0\x1b[4h\x1b[2;5rtext"])
    tail = out[out.index("text") + 4:]
    for reset in ("\x1b[?1049l", "\x1b[?25h", "\x1b[0m", "\x1b(B", "\x1b[4l", "\x1b[r"):
        assert reset in tail
    assert run([b"\x1b[?1049h\x1b[?1049lplain"]) == "\x1b[?1049h\x1b[?1049lplain"


def test_mixed_private_modes_keep_only_the_harmless_ones():
    assert run([b"\x1b[?25;1000;2004l"]) == "\x1b[?25l\x1b[?25h"


def test_invalid_utf8_and_c1_characters_never_reach_the_terminal():
    out = run([b"\x9b6n\xff\xfe\xc2\x9b2J"])
    assert "\x9b" not in out and out.count("\ufffd") == 3  # two bytes, and the lone \x9b


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HOSTILE + KEPT + [b"\x1b", b"\x1b[", b"\x1b]", b"\xc2",
                                                   b"\x07", b"\x18", b"\\", b"]52;c;"]),
                max_size=30),
       st.data())
def test_terminal_sees_no_answer_title_clipboard_or_mode(pieces, data):
    # Whatever the pieces and wherever the event bounds fall, a terminal emulator fed the
    # filtered stream never answers, never sets a title, and ends in its default modes.
    stream = b"".join(pieces)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    out = run(chunks)
    answers: list[str] = []
    screen = pyte.Screen(80, 24)
    screen.write_process_input = answers.append
    titles: list[str] = []
    screen.set_title = titles.append
    screen.set_icon_name = titles.append
    pyte.Stream(screen).feed(out)
    assert answers == [] and titles == []
    assert "\x1b]" not in out and "\x1bP" not in out and "\x1b_" not in out
    assert not any(0x80 <= ord(c) <= 0x9F for c in out)
    assert screen.mode == pyte.Screen(80, 24).mode


def test_endless_sequences_stay_bounded_and_hide_no_text():
    f = TerminalFilter()
    f.feed(b"\x1b[")
    for _ in range(50):
        assert f.feed(b"1;" * 2000) == ""
    assert len(f._buf) <= 65
    assert f.feed(b"mshown") == "shown"  # the oversized SGR is dropped, the text kept
    # a run of intermediates ends at its final character, as in a terminal
    assert run([b"\x1b(((((((((Bvisible \x1b #  8text"]) == "visible text"


def test_colours_are_reset_at_the_end_only_when_left_set():
    # replay --speed 0 gives the bytes of `asciinema cat` for a recording that resets itself
    assert run([b"caf\xc3\xa9 \x1b[1mbold\x1b[0m\n"]) == "café \x1b[1mbold\x1b[0m\n"
    assert run([b"\x1b[31mred\x1b[m"]) == "\x1b[31mred\x1b[m"
    assert run([b"\x1b[31mred"]).endswith("red\x1b[0m")
    assert run([b"\x1b[0m\x1b[38:5:1mred"]).endswith("red\x1b[0m")  # judged on the slow path
