"""The one function that makes agent text safe to show: what it escapes, what it keeps."""

from __future__ import annotations

import logging
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sshgate.display import ESCAPE_STYLE, LogFormatter, shown, visible


@pytest.mark.parametrize("ch, expect", [
    ("\x1b", "\\x1b"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"), ("\x00", "\\x00"),
    ("\x7f", "\\x7f"), ("\x9b", "\\u009b"), ("\x85", "\\u0085"), ("\u202e", "\\u202e"),
    ("\u2066", "\\u2066"), ("\u200b", "\\u200b"), ("\ufeff", "\\ufeff"), ("\u00a0", "\\u00a0"),
    ("\u2028", "\\u2028"), ("\u00ad", "\\u00ad"), ("\udcff", "\\xff"), ("\ue000", "\\ue000"),
    ("\U000e0041", "\\U000e0041"), ("\u3164", "\\u3164"), ("\ufe0f", "\\ufe0f"),
])
def test_controls_and_invisibles_are_escaped(ch, expect):
    assert visible(f"a{ch}b") == f"a{expect}b"


@pytest.mark.parametrize("text", ["ls -la /var/log", "rm -rf /tmp/x", "grep 'a\\|b' f",
                                  "echo héllo ✓ 日本", "[conceal]x[/]"])
def test_ordinary_text_is_unchanged(text):
    assert visible(text) == text


@given(st.text())
def test_nothing_that_acts_on_a_terminal_or_hides_survives(text):
    for ch in visible(text):
        cat = unicodedata.category(ch)
        assert cat[0] != "C" and (cat[0] != "Z" or ch == " "), repr(ch)


def test_shown_is_never_markup_and_styles_escapes():
    t = shown("[conceal]x[/] [link=https://e]y[/link]\x1b[2K")
    assert t.plain == "[conceal]x[/] [link=https://e]y[/link]\\x1b[2K"
    [span] = t.spans
    assert t.plain[span.start:span.end] == "\\x1b" and span.style == ESCAPE_STYLE


def test_shown_keeps_spans_on_the_same_characters_after_escaping():
    line = "\x1b[2K rm -rf /"
    t = shown(line, spans=[(line.index("rm"), len(line), "bold red")])
    [_, span] = t.spans
    assert t.plain[span.start:span.end] == "rm -rf /"


def test_log_lines_show_client_text_escaped():
    rec = logging.LogRecord("sshgate", logging.INFO, __file__, 1, "user %s ran %s (%d)",
                            ("bob\x1b[2K", "ls\nINFO forged", 3), None)
    assert LogFormatter("%(message)s").format(rec) == \
        "user bob\\x1b[2K ran ls\\nINFO forged (3)"
    bare = logging.LogRecord("x", logging.INFO, __file__, 1, "raw \x1b]52;c;eA==\x07", None,
                             None)
    assert LogFormatter().format(bare) == "raw \\x1b]52;c;eA==\\x07"
    try:
        raise ValueError("bad \x1b[1A line")
    except ValueError:
        import sys
        exc = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    out = LogFormatter().format(exc)
    assert "bad \\x1b[1A line" in out and "\x1b" not in out


@pytest.mark.parametrize("text,expected", [
    ("cafe\u0301", "cafe\u0301"),  # one accent: ordinary text
    ("e\u0323\u0302", "e\u0323\u0302"),  # two: still ordinary (Vietnamese)
    ("e" + "\u0301" * 5, "e\u0301\u0301" + "\\u0301" * 3),  # a stack smears its neighbours
    ("a\u20dd", "a\\u20dd"),  # enclosing: drawn around the text beside it
    ("\u0301" * 3 + "x", "\u0301\u0301\\u0301x"),
    ("e\u0301\u200be\u0301", "e\u0301\\u200be\u0301"),
])
def test_combining_marks_cannot_smear_a_reviewers_screen(text, expected):
    assert visible(text) == expected
