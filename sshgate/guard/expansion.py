"""Parameter and arithmetic expansions in a word's text, and which of them bash evaluates
beyond a plain value. Pure; linear in the text.

Bash evaluates array subscripts, substring offsets and arithmetic as arithmetic, and
arithmetic evaluates a name's VALUE as an expression again: with ``x='a[$(cmd)]'`` each of
``${b[x]}``, ``${HOME:x}``, ``$((x))``, ``test -v 'b[x]'`` runs ``cmd``. ``${!x}`` and
``${x@P}`` expand a value once more. The guard sees the text, never the values (the agent's
environment, stdin, an earlier line), so any of these with a name in it is opaque.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*+|[0-9@*#?$!-]")
#: ``NAME[subscript]`` as a builtin's operand (``unset 'a[x]'``, ``test -v 'a[x]'``)
_SUBSCRIPTED = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*+\[(.*)\]", re.S)
#: arithmetic with nothing but numbers and operators
_PLAIN_ARITH = re.compile(r"[0-9\s+*/%<>=!&|^~?:(),-]*+")


def _literal_index(text: str) -> bool:
    """A subscript or offset bash cannot read as anything but this number, or every element."""
    t = text.strip()
    if t in ("@", "*"):
        return True
    t = t[1:].lstrip() if t.startswith("-") else t
    return t.isascii() and t.isdigit()


def _close(text: str, i: int, opening: str, closing: str) -> int:
    """The index of the ``closing`` that matches the ``opening`` before ``i``, or -1."""
    depth = 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def subscript_evaluated(word: str) -> bool:
    """``word`` names an array element whose subscript bash evaluates (not a plain number)."""
    m = _SUBSCRIPTED.match(word)
    return m is not None and not _literal_index(m.group(1))


def _brace(body: str) -> tuple[str, str]:
    """(why ``${body}`` is evaluated beyond a value or "", the name it expands)."""
    if body.startswith("!"):
        return "an indirect expansion ${!...} expands a value again", ""
    length = body.startswith("#") and len(body) > 1
    rest = body[1:] if length else body
    m = _NAME.match(rest)
    if m is None:
        return "an expansion the guard cannot read", ""
    name, rest = m.group(0), rest[m.end():]
    if length and not rest:
        return "", ""  # ${#NAME}: its length, which reveals nothing of the value
    if rest.startswith("["):
        end = _close(rest, 1, "[", "]")
        if end < 0 or not _literal_index(rest[1:end]):
            return "an array subscript bash evaluates as arithmetic", name
        rest = rest[end + 1:]
    if rest.startswith("@") and rest[1:2] not in ("Q", "U", "u", "L", "a", "E", "K", "k", "A"):
        return "a ${...@P} prompt expansion runs what the value says", name
    if rest.startswith(":") and rest[1:2] not in ("-", "=", "?", "+"):
        offset, _, length = rest[1:].partition(":")
        for part in (offset, length) if length or ":" in rest[1:] else (offset,):
            if not _literal_index(part) or part.strip() in ("@", "*"):
                return "a substring offset bash evaluates as arithmetic", name
    return "", name


def scan(text: str) -> tuple[str, tuple[str, ...]]:
    """(why an expansion in ``text`` is evaluated beyond a plain value, or ""; the names its
    expansions read). ``text`` is read as bash reads a double-quoted word."""
    names: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch != "$" or i + 1 >= n:
            i += 1
            continue
        nxt = text[i + 1]
        if text.startswith("$((", i) or nxt == "[":
            opening, closing, start = ("(", ")", i + 3) if nxt == "(" else ("[", "]", i + 2)
            end = _close(text, start, opening, closing)
            body = text[start:end] if end >= 0 else text[start:]
            if not _PLAIN_ARITH.fullmatch(body.rstrip(")")):
                return "arithmetic evaluates the values of the names in it", tuple(names)
            i = start
            continue
        if nxt == "{":
            end = _close(text, i + 2, "{", "}")
            if end < 0:
                return "an unterminated ${...}", tuple(names)
            why, name = _brace(text[i + 2:end])
            if why:
                return why, tuple(names)
            if name:
                names.append(name)
            i += 2  # nested expansions in the operator's word are read on
            continue
        m = _NAME.match(text, i + 1)
        if m is not None:
            names.append(m.group(0))
            i = m.end()
            continue
        i += 1
    return "", tuple(names)


#: ``${NAME=word}`` / ``${NAME:=word}`` (also on an element) assign NAME when it is unset
_ASSIGNING = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*+)(?:\[[^\]]*\])?:?=")


def assigned_names(text: str) -> tuple[str, ...]:
    """Names a ``${NAME:=word}`` in ``text`` assigns: an assignment like ``NAME=word``."""
    if "=" not in text:
        return ()
    return tuple(m.group(1) for m in _ASSIGNING.finditer(text))


def arithmetic_names(words: tuple[str, ...]) -> bool:
    """``let``/``declare -i`` operands with a name on the right of an assignment (its value
    is evaluated as arithmetic)."""
    for w in words:
        _, eq, value = w.partition("=")
        if not _PLAIN_ARITH.fullmatch(value if eq else w):
            return True
    return False


__all__ = ["arithmetic_names", "assigned_names", "scan", "subscript_evaluated"]
