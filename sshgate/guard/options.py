"""Option allow-lists: the options a known-safe tool may take, in every spelling it accepts. Pure.

A tool's options are written once, as data (``opts("-n|--quiet -e|--expression:sed")``): each
token lists the spellings of one option, the first is its canonical name, and ``:kind`` says it
takes a value of that kind (checked by the catalogue). Parsing a command's words resolves every
spelling the real tool accepts (``--opt=value``, short clusters, attached short values,
Go-style ``-flag=value``) to the canonical name; a word that
resolves to nothing is not ordinary. A long option is matched in full: a prefix the tool would
resolve against options the allow-list does not name is never taken for an allowed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .budget import check

#: Go's flag package accepts these as a boolean flag's attached value
_BOOL = frozenset({"true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False"})


@dataclass(frozen=True, slots=True)
class Opts:
    """An option allow-list. ``style``: ``gnu`` (getopt_long), ``go`` (-flag, --flag,
    -flag=v; no clusters, no abbreviations)."""

    style: str
    #: every accepted spelling -> canonical name
    alias: Mapping[str, str]
    #: canonical name -> kind of its value ("" for a flag; "?kind": only an attached value,
    #: ``--opt=V``, a short spelling being a flag; "??kind": a short spelling takes the rest
    #: of its cluster as the value too, getopt's ``x::`` (``sed -i.bak``, ``git status -uno``);
    #: "pair": two words)
    kind: Mapping[str, str]
    #: long spellings, for unique-prefix resolution (GNU)
    longs: tuple[str, ...]
    #: ``-NUM`` (head -5, git log -3) is a flag
    num: bool = False
    #: spellings whose value is the next word (computed once)
    value_words: frozenset[str] = frozenset()
    #: the tool takes unique prefixes of its long options (getopt_long); False for tools
    #: that match long options exactly (ripgrep), where ``--pre`` is not ``--pretty``.
    #: A record only: no prefix is ever allowed (resolve_long), whichever the tool
    abbrev: bool = True

    def __add__(self, other: Opts) -> Opts:
        return _make(self.style, {**self.alias, **other.alias}, {**self.kind, **other.kind},
                     self.num or other.num, self.abbrev and other.abbrev)


def _make(style: str, alias: dict[str, str], kind: dict[str, str], num: bool,
          abbrev: bool = True) -> Opts:
    longs = tuple(sorted(s for s in alias if s.startswith("--")))
    vw = frozenset(s for s, c in alias.items() if kind[c] and not kind[c].startswith("?"))
    return Opts(style, alias, kind, longs, num, vw, abbrev)


def opts(spec: str, style: str = "gnu", abbrev: bool = True) -> Opts:
    """Build an allow-list from ``"-n|--quiet -o|--output:write -NUM"``; ``abbrev=False``
    for a tool that takes its long options only in full."""
    alias: dict[str, str] = {}
    kind: dict[str, str] = {}
    num = False
    for token in spec.split():
        if token == "-NUM":
            num = True
            continue
        names, _, k = token.partition(":")
        spellings = names.split("|")
        if style == "go":  # -flag and --flag are one spelling
            spellings = ["-" + sp.lstrip("-") for sp in spellings]
        canon = spellings[0]
        kind[canon] = k
        for s in spellings:
            if s in alias and alias[s] != canon:
                raise ValueError(f"option {s} listed twice")
            alias[s] = canon
    return _make(style, alias, kind, num, abbrev)


@dataclass(frozen=True, slots=True)
class Parsed:
    """Words after resolution: ``words`` with canonical option names and values split off,
    ``ops`` the operands, ``pairs`` each option with its value (None for a flag)."""

    words: tuple[str, ...]
    ops: tuple[str, ...]
    pairs: tuple[tuple[str, str | None], ...]


def resolve_long(o: Opts, name: str) -> str | None:
    """The canonical name of the long option spelt ``name`` in full, or None.

    (red team s16 #2) Never a prefix: getopt_long and argparse resolve one against the
    tool's whole option table, which the allow-list is not. ``pylint --output=F`` is pylint's
    own --output (a file it writes), not a prefix of the allowed --output-format."""
    return o.alias.get(name)


def parse_opts(o: Opts, rest: tuple[str, ...]) -> Parsed | str:
    """Resolve ``rest`` against ``o``; a string says which word is not an allowed option."""
    words: list[str] = []
    ops: list[str] = []
    pairs: list[tuple[str, str | None]] = []
    i, after, n = 0, False, len(rest)

    def value(canon: str, attached: str | None, at: int) -> tuple[str | None, int] | str:
        k = o.kind[canon]
        if attached is not None:
            return attached, at + 1
        if k.startswith("?"):
            return None, at + 1
        if k == "pair":
            if at + 2 >= n:
                return f"{canon} without its two values"
            return rest[at + 1] + "\0" + rest[at + 2], at + 3
        if at + 1 >= n:
            return f"{canon} without its value"
        return rest[at + 1], at + 2

    def take(canon: str, v: str | None) -> None:
        pairs.append((canon, v))
        words.append(canon)
        if v is not None:
            words.extend(v.split("\0"))

    steps = 0
    while i < n:
        steps += 1
        if not steps & 63:
            check()  # a long line may be one command of many thousand options
        a = rest[i]
        if after or a == "-" or not a.startswith("-"):
            ops.append(a)
            words.append(a)
            i += 1
            continue
        if a == "--":
            after = True
            words.append(a)
            i += 1
            continue
        if o.num and a[1:].isdigit():
            pairs.append(("-NUM", a[1:]))
            words.append(a)
            i += 1
            continue
        if o.style == "go" or a.startswith("--"):
            name, eq, val = a.partition("=")
            if o.style == "go":
                canon = o.alias.get("-" + name.lstrip("-")) if not name.startswith("---") \
                    else None
            else:
                canon = resolve_long(o, name)
            if canon is None:
                return f"option {name} is not one the safe shape allows"
            k = o.kind[canon]
            if not k:
                if eq and not (o.style == "go" and val in _BOOL):
                    return f"option {name} given a value"
                take(canon, None)
                i += 1
                continue
            got = value(canon, val if eq else None, i)
            if isinstance(got, str):
                return got
            v, i = got
            take(canon, v)
            continue
        # a short cluster: -nE, -nes/x/e, -oFILE
        j = 1
        while j < len(a):
            canon = o.alias.get("-" + a[j])
            if canon is None:
                return f"option -{a[j]} (in {a}) is not one the safe shape allows"
            k = o.kind[canon]
            if not k or k.startswith("?") and not k.startswith("??") and not (
                    k == "?num" and a[j + 1:].isdigit()):
                # (red team s16 #1) only the long spelling of most optional values takes
                # one (cp's --update[=WHEN]): the short one is a flag, and the rest of the
                # cluster more options: cp -ut /etc/cron.d is -u -t /etc/cron.d
                take(canon, None)
                j += 1
                continue
            got = value(canon, a[j + 1:] or None, i)
            if isinstance(got, str):
                return got
            v, i = got
            take(canon, v)
            break
        else:
            i += 1
    return Parsed(tuple(words), tuple(ops), tuple(pairs))


def option_at(o: Opts, words: tuple[str, ...], i: int) -> tuple[Parsed, int] | str:
    """The option at ``words[i]`` resolved against ``o`` and how many words it takes (its
    value may be the next word), or why it is not one of ``o``'s."""
    p = parse_opts(o, words[i:i + 1])
    if isinstance(p, str) and i + 1 < len(words):
        p2 = parse_opts(o, words[i:i + 2])
        if not isinstance(p2, str) and not p2.ops:
            return p2, 2
    if isinstance(p, str):
        return p
    return p, 1


__all__ = ["Opts", "Parsed", "opts", "option_at", "parse_opts", "resolve_long"]
