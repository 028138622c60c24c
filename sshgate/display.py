"""Agent-controlled text made safe for a human's screen: every character that a terminal
would act on, or that a reader could not see, is shown as an escape (``\\x1b``, ``\\t``,
``\\u202e``); rich markup is never interpreted. Every view of agent text goes through here.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator

from rich.text import Text

#: Style of an escape in rich views, so that a real ESC (shown ``\x1b``) is told apart from
#: the four characters ``\x1b`` typed by the agent.
ESCAPE_STYLE = "reverse"

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Characters that are visible but drawn as blank or as nothing, outside categories C* / Z*:
# Hangul fillers, the combining grapheme joiner, variation selectors, the braille blank.
_INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810)) + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
# Printable ASCII (space to tilde) is never escaped: the fast path for ordinary commands.
_PLAIN = re.compile(r"[ -~]*")


def _escape(ch: str) -> str | None:
    """The visible form of ``ch``, or None when it is shown as itself."""
    cp = ord(ch)
    if 0x20 <= cp < 0x7F:
        return None
    if ch in _NAMED:
        return _NAMED[ch]
    if cp < 0x20 or cp == 0x7F:
        return f"\\x{cp:02x}"
    if 0xDC80 <= cp <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{cp - 0xDC00:02x}"
    cat = unicodedata.category(ch)
    # C*: controls (C1 included), format (bidi overrides, zero-width), surrogates, private
    # use, unassigned; Z* other than space: line/paragraph separators and look-alike spaces
    if cat[0] == "C" or cat[0] == "Z" or cp in _INVISIBLE:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"
    return None


#: combining marks in a row shown as themselves (a letter with two accents is ordinary text);
#: more are stacked over the neighbouring text, smearing what a reviewer reads
MAX_MARKS = 2


def _mark(ch: str, run: int) -> str | None:
    """A combining mark's escape when it is enclosing (drawn around its neighbours) or beyond
    ``MAX_MARKS`` in a row, else None."""
    cat = unicodedata.category(ch)
    if cat[0] != "M" or (cat != "Me" and run <= MAX_MARKS):
        return None
    cp = ord(ch)
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """``text`` as (run, is_escape) pieces."""
    start = 0
    marks = 0
    for i, ch in enumerate(text):
        esc = _escape(ch)
        if esc is None and ord(ch) > 0x7F:
            marks = marks + 1 if unicodedata.category(ch)[0] == "M" else 0
            esc = _mark(ch, marks)
        else:
            marks = 0
        if esc is not None:
            if i > start:
                yield text[start:i], False
            yield esc, True
            start = i + 1
    if start < len(text):
        yield text[start:], False


def visible(text: str) -> str:
    """``text`` with every control, invisible or format character written as an escape."""
    if _PLAIN.fullmatch(text):
        return text
    return "".join(piece for piece, _ in _pieces(text))


def shown(value: object, style: str = "",
          spans: Iterable[tuple[int, int, str]] = ()) -> Text:
    """Agent text as a rich ``Text`` (never markup), escapes styled; ``spans`` (start, end,
    style) in the original string's offsets are styled where they land after escaping. It
    folds rather than ending in an ellipsis: no part of it is ever cut from view."""
    text = value if isinstance(value, str) else str(value)
    out = Text(style=style, overflow="fold")
    offsets = [0] * (len(text) + 1)  # original offset -> offset in ``out``
    pos = 0
    for piece, is_escape in _pieces(text):
        width = 1 if is_escape else len(piece)
        for k in range(width):
            offsets[pos + k] = len(out) + (k if not is_escape else 0)
        pos += width
        out.append(piece, ESCAPE_STYLE if is_escape else None)
    offsets[len(text)] = len(out)
    for start, end, span_style in spans:
        start, end = max(0, start), min(len(text), end)
        if end > start:
            out.stylize(span_style, offsets[start], offsets[end])
    return out


class LogFormatter(logging.Formatter):
    """Log lines whose substituted values and exception text go through :func:`visible`: a
    client's user name, version string or command cannot forge a log line or move the
    cursor of whoever reads the log."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        copy = logging.makeLogRecord(record.__dict__)
        if isinstance(copy.args, dict):
            copy.args = {k: _log_value(v) for k, v in copy.args.items()}
        elif copy.args:
            copy.args = tuple(_log_value(v) for v in copy.args)
        else:
            copy.msg = visible(str(copy.msg))
        copy.message = copy.getMessage()
        return super().formatMessage(copy)

    def formatException(self, ei) -> str:  # noqa: N802
        return "\n".join(visible(line) for line in super().formatException(ei).splitlines())

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return "\n".join(visible(line) for line in stack_info.splitlines())


def _log_value(value: object) -> object:
    return value if isinstance(value, int | float) else visible(str(value))
