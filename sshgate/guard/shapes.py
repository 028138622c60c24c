"""The shapes of the known-safe catalogue (safe.py and the catalogue_* modules): what keeps one
command or subcommand ordinary, as data. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .options import Opts
from .parse import SimpleCommand

Words = tuple[str, ...]
#: each option the allow-list parser (options.py) found, canonical, with its value; None
#: when the shape lists no options (a check that reads option values must then hold)
Pairs = tuple[tuple[str, str | None], ...] | None
#: a named check: the command, its words after options were resolved (canonical names,
#: values split off), its operands, and its option/value pairs; why it is not ordinary, or
#: None. A check never re-reads argv with a grammar of its own: which word is an option's
#: value is the parser's answer.
Check = Callable[[SimpleCommand, Words, Words, Pairs], str | None]


@dataclass(frozen=True, slots=True)
class Shape:
    """What keeps one command (or subcommand) ordinary."""

    #: options that make it unsafe: ``--long`` (also ``--long=V``), ``-x`` (also inside a
    #: cluster like ``-nx``), ``-word`` (exact, for find-style options); a trailing ``*`` is a
    #: prefix (``-fprint*``).
    deny: tuple[str, ...] = ()
    #: options whose value is the next word (so it is not an operand).
    values: tuple[str, ...] = ()
    #: at most this many operands (None: any number).
    max_operands: int | None = None
    #: operands may be computed (``$x``, globs, fed by xargs/find -exec): the tool has no
    #: option or operand that could turn a hostile word into an action.
    dynamic_ok: bool = False
    #: operands may name secrets (the tool only looks at metadata: ls, stat, chmod...).
    secrets_ok: bool = False
    #: a named check in CHECKS for what data cannot say.
    check: str | None = None
    #: the options it may take (every other option is not ordinary); None: any option not
    #: in ``deny`` (only for tools none of whose options write, run or load anything).
    allow: Opts | None = None
    #: a key of NAMES_ONLY: whether these words put the tool in a mode that prints only the
    #: names and metadata of what its operands hold (``tar -t``, ``unzip -l``), so that an
    #: operand may be a secret or lie in a tree of them (a backup), as for ``ls``
    names_only: str | None = None


@dataclass(frozen=True, slots=True)
class Tool:
    """A command with subcommands: global options first, then a subcommand word."""

    sub: Mapping[str, Shape | Tool]
    #: global options that take a value (``docker --context X ps``)
    values: tuple[str, ...] = ()
    #: global options that make any use unsafe (``git -c``)
    deny: tuple[str, ...] = ()
    #: shape when no subcommand is given (None: unknown)
    bare: Shape | None = None
    #: the global options it may take (None: any not in ``deny``)
    allow: Opts | None = None


Entry = Shape | Tool
ANY = Shape()
META = Shape(dynamic_ok=True, secrets_ok=True)
READER = Shape(dynamic_ok=True)


def operands_match(pattern: re.Pattern[str], what: str) -> Check:
    """A named check: every operand is ``pattern`` whole and no component of it is ``..``;
    else why (``'x' is not WHAT``). One shape of check the domain modules share."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        for o in ops:
            if not pattern.fullmatch(o) or ".." in o.split("/"):
                return f"{o!r} is not {what}"
        return None
    return check
