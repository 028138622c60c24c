"""find's expression as an allow-list: the predicates that only test or print, and the
commands ``-exec``/``-execdir``/``-ok``/``-okdir`` run (judged as commands of their own). Pure.

A word of the expression that is not listed here (``-delete``, ``-fprint``, ``-fls``,
``-files0-from``, ``-D``, a predicate a newer find adds) keeps find from known safe; the
commands an exec runs are classified by the same catalogue and rules as any other command
(parse.py hands them over), so what makes an exec safe is the command, never a list of names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: options before the starting points: symlink handling and the optimiser level
FRONT = frozenset({"-H", "-L", "-P", "-O0", "-O1", "-O2", "-O3"})
#: operators and predicates that take no value
FLAGS = frozenset({
    "(", ")", "!", ",", "-not", "-a", "-and", "-o", "-or",
    # options
    "-d", "-depth", "-follow", "-ignore_readdir_race", "-noignore_readdir_race", "-mount",
    "-xdev", "-noleaf", "-warn", "-nowarn", "-daystart",
    # tests
    "-empty", "-executable", "-readable", "-writable", "-false", "-true", "-nogroup",
    "-nouser",
    # actions that print to standard output
    "-print", "-print0", "-ls", "-prune", "-quit",
})
#: predicates whose value is the next word: a name or path pattern (judged against the secret
#: table when an exec reads what they select), a regular expression, or a plain value
NAME_PATTERNS = frozenset({"-name", "-iname", "-lname", "-ilname"})
PATH_PATTERNS = frozenset({"-path", "-ipath", "-wholename", "-iwholename"})
REGEX_PATTERNS = frozenset({"-regex", "-iregex"})
PLAIN_VALUES = frozenset({
    "-maxdepth", "-mindepth", "-regextype", "-amin", "-atime", "-cmin", "-ctime", "-mmin",
    "-mtime", "-used", "-size", "-type", "-xtype", "-perm", "-user", "-group", "-uid",
    "-gid", "-links", "-inum", "-fstype", "-context", "-printf",
    # a reference file: only its times or inode are read
    "-newer", "-anewer", "-cnewer", "-samefile",
})
#: ``-newerXY REF`` (``-newermt '2 days ago'``)
_NEWER_XY = re.compile(r"-newer[aBcm][aBcmt]")
EXECS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
def _expands(word: str) -> bool:
    """The shell changes ``word``: parameter or command expansion, a glob, braces."""
    return any(ch in word for ch in "$`*?[") or ("{" in word and "}" in word and (
        "," in word or ".." in word))


_LITERAL_START = re.compile(r"[A-Za-z0-9_./~]")


@dataclass(frozen=True, slots=True)
class FindExpr:
    """A find command's starting points, its pattern predicates (``(predicate, value)``) and
    the commands its execs run (``(action, argv)``, ``{}`` left as written)."""

    roots: tuple[str, ...]
    patterns: tuple[tuple[str, str], ...]
    execs: tuple[tuple[str, tuple[str, ...]], ...]


def _ends_exec(args: tuple[str, ...], j: int) -> bool:
    return args[j] == ";" or (args[j] == "+" and args[j - 1] == "{}")


#: the names a cleanup's -name/-iname may match: what a build or an interpreter makes again
#: (rules.BUILD_ARTIFACT's names, compiled files by their suffix)
ARTIFACT_NAMES = re.compile(
    r"\A(?:__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|node_modules|\.DS_Store|"
    r"\*\.(?:pyc|pyo|o|class|egg-info)|\*\.py\[co\])\Z")
#: an rm that find gives build artifacts to: its plain flags and the ``{}`` find fills in
_ARTIFACT_RM = frozenset({"-r", "-R", "-f", "-rf", "-fr", "-Rf", "-fR", "-v"})
#: the via of such an rm (parse.py), which the deletion rules take as build artifacts
ARTIFACT_VIA = "find -exec (build artifacts)"
_ARTIFACT_ROOT = re.compile(r"\A(?:\.|(?:\./)?+[A-Za-z0-9_][A-Za-z0-9_.-]*+(?:/[A-Za-z0-9_]"
                            r"[A-Za-z0-9_.-]*+)*+)/?\Z")


def artifacts_only(args: tuple[str, ...], dynamic: tuple[bool, ...] = ()) -> bool:
    """``find . -name '*.pyc' -delete``, ``find src -type d -name __pycache__ -exec rm -rf {}
    +``: start points in the working tree, then tests that select only build artifacts by
    name (``-type``, depths, ``-prune``; ``-o`` only between two name tests), then one action
    last: ``-delete`` or an ``rm`` of ``{}``. Anything else is judged as find always is
    (``-name x -o -delete`` deletes what is not x)."""
    if any(dynamic):
        return False
    i, n = 0, len(args)
    roots = 0
    while i < n and not args[i].startswith("-") and args[i] not in ("(", "!"):
        if not _ARTIFACT_ROOT.fullmatch(args[i]) or ".." in args[i].split("/"):
            return False
        roots, i = roots + 1, i + 1
    names, depth, prev = 0, 0, ""
    while i < n:
        a = args[i]
        if a in ("-name", "-iname") and i + 1 < n and ARTIFACT_NAMES.fullmatch(args[i + 1]):
            names, i, prev = names + 1, i + 2, "name"
        elif i + 1 < n and (a == "-type" and args[i + 1] in ("f", "d") or
                            a in ("-maxdepth", "-mindepth") and args[i + 1].isdigit()):
            i, prev = i + 2, "test"
        elif a in ("-o", "-or") and prev in ("name", ")") and \
                args[i + 1:i + 2] in (("-name",), ("-iname",)):
            i, prev = i + 1, "or"
        elif a == "(" or (a == ")" and depth > 0 and prev == "name"):
            depth += 1 if a == "(" else -1
            i, prev = i + 1, a
        elif a in ("-prune", "-print", "-a", "-and") and prev not in ("or", "("):
            i, prev = i + 1, "test"
        else:
            break
    if depth or not roots or not names or prev in ("or", "("):
        return False
    if args[i:] == ("-delete",):
        return True
    if args[i:i + 2] != ("-exec", "rm"):
        return False
    j = i + 2
    while j < n and args[j] in _ARTIFACT_RM:
        j += 1
    return args[j:] in (("{}", "+"), ("{}", ";"))


def exec_commands(args: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The commands find's execs run, as find reads them: ``;`` ends one, ``+`` only right
    after ``{}``. An exec without its end runs nothing (find refuses the line)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    i, n = 0, len(args)
    while i < n:
        if args[i] in EXECS:
            j = i + 1
            while j < n and not _ends_exec(args, j):
                j += 1
            if j < n:
                out.append((args[i], args[i + 1:j]))
            i = j + 1
            continue
        i += 1
    return out


def parse_find(args: tuple[str, ...], dynamic: tuple[bool, ...] = ()) -> FindExpr | str:
    """Read ``args`` (find's words after its name) against the allow-list; a string says
    which word keeps it from known safe. ``dynamic`` marks words the shell computes."""
    i, n = 0, len(args)

    def computed(k: int) -> bool:
        return (k < len(dynamic) and dynamic[k]) or _expands(args[k])

    while i < n and args[i] in FRONT:
        i += 1
    roots: list[str] = []
    while i < n and not args[i].startswith("-") and args[i] not in ("(", "!"):
        a = args[i]
        # a glob that starts with a literal other than ``-`` expands only to words that start
        # with it (``src/*``); ``*`` or ``$d`` could expand to ``-delete`` or to several words
        if (i < len(dynamic) and dynamic[i]) or "$" in a or "`" in a or (
                computed(i) and not _LITERAL_START.match(a)):
            return f"a computed starting point ({a!r})"
        roots.append(a)
        i += 1
    patterns: list[tuple[str, str]] = []
    execs: list[tuple[str, tuple[str, ...]]] = []
    while i < n:
        a = args[i]
        if computed(i):
            return f"a computed word in the expression ({a!r})"
        if a in FLAGS:
            i += 1
            continue
        if a in EXECS:
            j = i + 1
            while j < n and not _ends_exec(args, j):
                if computed(j) and args[j] != "{}":
                    # a glob here could expand to ``;`` and end the exec early
                    return f"a computed word in find {a} ({args[j]!r})"
                j += 1
            if j >= n:
                return f"find {a} without its ';' or '{{}} +'"
            if j == i + 1:
                return f"find {a} without a command"
            execs.append((a, args[i + 1:j]))
            i = j + 1
            continue
        if a in NAME_PATTERNS or a in PATH_PATTERNS or a in REGEX_PATTERNS or \
                a in PLAIN_VALUES or _NEWER_XY.fullmatch(a):
            if i + 1 >= n:
                return f"find {a} without its value"
            if i + 1 < len(dynamic) and dynamic[i + 1]:
                return f"a computed value of find {a}"
            if a not in PLAIN_VALUES and not _NEWER_XY.fullmatch(a):
                patterns.append((a, args[i + 1]))
            i += 2
            continue
        return f"find {a} is not a predicate the safe shape allows"
    return FindExpr(tuple(roots), tuple(patterns), tuple(execs))


__all__ = ["EXECS", "FindExpr", "exec_commands", "parse_find"]
