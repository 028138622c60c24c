"""Truncation judged by what is written, not by the writer's name. Pure.

``>`` empties its target before the command runs. That is file creation when the command
writes something, and destruction when it writes nothing: ``echo -n``, ``printf ''``, a
command that never prints (``sleep``, ``cd``, ``touch``), a filter whose only input is
/dev/null or an empty upstream stage, ``head -c 0``; ``tee`` without ``-a`` on an empty
input too. A command that reads the file it truncates (``sort f > f``, ``cat f | sort > f``)
reads the emptied file. And a database file is no ordinary command's output at all
(``echo x > prod.db``, ``cp notes.txt users.db``). Each is ``fs.truncate``. One pass over the
parser's pipelines.
"""

from __future__ import annotations

import posixpath
import re

from .parse import ParseResult, SimpleCommand

#: files a database keeps its data in (SQLite, Redis, MySQL/MariaDB, Access, KeePass, H2...)
DATA_FILE = re.compile(r"\.(db|sqlite|sqlite3|db3|rdb|aof|ibd|frm|myd|myi|mdb|accdb|kdbx|ldb)"
                       r"(-wal|-shm|-journal)?$", re.I)
#: (ops16) files of a service's records (tables, columnar and JSON exports, spreadsheets) ...
DATA_RECORDS = re.compile(r"\.(csv|tsv|psv|parquet|feather|arrow|avro|orc|jsonl|ndjson|json|"
                          r"xlsx?|ods|dbf)(\.(gz|bz2|xz|zst))?$",
                          re.I)
#: ... in a directory where a service keeps them: its exports and uploads, its state (Laravel's
#: storage/), backups and dumps, and a data/ below a release's shared/ or an absolute path (a
#: working tree's own data/ holds the inputs the agent fetches and the outputs it makes)
DATA_DIRS = frozenset({"export", "exports", "storage", "upload", "uploads", "backup", "backups",
                       "dump", "dumps", "records"})
_DATA_NAMES = frozenset({"data", "dataset", "datasets"})


def data_record(p: str) -> bool:
    """(ops16) ``p`` is a record file in a service's data directory
    (``app/shared/data/ledger.csv``): replacing it, emptying it or editing it in place loses
    the data as rm would, and rm of it is held; never in scratch space."""
    if not DATA_RECORDS.search(p) or posixpath.normpath(p).startswith(
            ("/tmp/", "/var/tmp/", "/dev/shm/")):
        return False
    dirs = [d.lower() for d in p.split("/")[:-1]]
    if any(d in DATA_DIRS for d in dirs):
        return True
    data = next((i for i, d in enumerate(dirs) if d in _DATA_NAMES), None)
    return data is not None and (p.startswith("/") or "shared" in dirs[:data])


_TRUNCATING = (">", ">|", "&>")
_DATA_WRITERS = frozenset({"tee", "cp", "mv", "install", "rsync", "scp", "dd"})
#: commands that never write to stdout (unless asked to be verbose)
_SILENT = frozenset({":", "true", "false", "sleep", "cd", "export", "unset", "wait", "sync",
                     "touch", "mkdir", "rmdir", "test", "[", "shift", "mkfifo", "exit",
                     "return", "break", "continue", "chmod", "chown", "chgrp", "ln", "cp",
                     "mv", "local", "readonly", "usleep", "truncate", "rm", "unlink"})
#: ln's -f in a short cluster or its long name (or a prefix getopt takes for it)
LN_FORCE = re.compile(r"-[A-Za-z]*f[A-Za-z]*|--f(o(r(ce?)?)?)?")
_VERBOSE = re.compile(r"^-[A-Za-z]*[vc]|^--(verbose|changes)")
#: filters whose output is empty when their input is
_FILTERS = frozenset({"cat", "head", "tail", "sort", "uniq", "cut", "tr", "tac", "rev", "fold",
                      "tee", "grep", "egrep", "fgrep", "base64", "nl", "paste", "expand"})
_BLANK_ESCAPES = re.compile(r"\\[ntrvfc]|%[sbc]|[ \t\n\r]")


def _blank(text: str) -> bool:
    return not _BLANK_ESCAPES.sub("", text)


def _writes_blank(c: SimpleCommand) -> bool:
    """echo/printf whose whole output is provably blank (nothing, newlines, spaces)."""
    if any(c.dynamic):
        return False
    args = list(c.args)
    if c.name == "echo":
        while args and re.fullmatch(r"-[neE]+", args[0]):
            args.pop(0)
        return all(_blank(a) for a in args)
    if c.name == "printf":
        if args[:1] == ["--"]:
            args.pop(0)
        if args[:1] == ["-v"]:
            return True  # prints into a variable: nothing to stdout
        return all(_blank(a) for a in args)
    return False


def _path(p: str) -> str:
    return posixpath.normpath(p) if p else p


def _files_read(c: SimpleCommand) -> set[str]:
    if c.name in ("echo", "printf") or c.name in _SILENT:
        return set()
    ops = [a for a in c.args if not a.startswith("-")] if c.name != "tee" else []
    return {_path(p) for p in (*ops, *(r.target for r in c.redirects if r.op in ("<", "<>")))}


def _silent(c: SimpleCommand) -> bool:
    if not c.argv:
        return True
    if c.name not in _SILENT or any(_VERBOSE.match(a) or a.startswith(("--help", "--vers"))
                                    for a in c.args):
        return False
    if c.name in ("export", "readonly", "local"):
        # with no operand or an option (-p) they print the environment
        return bool(c.args) and not any(a.startswith("-") for a in c.args)
    return not (c.name == "cd" and "-" in c.args)  # cd - prints where it goes


def _empty_output(c: SimpleCommand, empty_in: bool) -> bool:
    if _silent(c) or _writes_blank(c):
        return True
    if c.name == "head" and any(a in ("-c0", "-n0", "--bytes=0", "--lines=0") for a in c.args) \
            or (c.name == "head" and any(c.args[i:i + 2] in (("-c", "0"), ("-n", "0"))
                                         for i in range(len(c.args)))):
        return True
    if c.name not in _FILTERS or any(c.dynamic) or (c.name in ("grep", "egrep", "fgrep") and any(
            (a.startswith("-") and not a.startswith("--") and ("c" in a or "L" in a)) or
            a.startswith(("--count", "--files-without")) for a in c.args)):
        return False  # grep -c prints 0, grep -L the file names
    inputs = [a for a in c.args if not a.startswith("-")]
    if c.name in ("grep", "egrep", "fgrep", "tr", "cut"):
        inputs = inputs[1:] if c.name.endswith("grep") else []
    if c.name == "tee":
        inputs = []
    stdin = [r.target for r in c.redirects if r.op == "<"]
    if inputs:
        return all(_path(i) == "/dev/null" for i in inputs)
    return (stdin and stdin[-1] == "/dev/null") or (not stdin and empty_in)


def _targets(top: SimpleCommand, c: SimpleCommand) -> list[str]:
    out = [r.target for r in (*top.redirects, *(c.redirects if c is not top else ()))
           if r.op in _TRUNCATING and not r.target.isdigit() and not r.target.startswith("/dev/")]
    return out


def _tee_files(c: SimpleCommand) -> list[str]:
    if c.name != "tee" or any(a in ("-a", "--append") or (a.startswith("-") and "a" in a[1:]
                                                         and not a.startswith("--"))
                              for a in c.args):
        return []
    return [a for a in c.args if not a.startswith("-") and not a.startswith("/dev/")]


def truncations(result: ParseResult) -> list[tuple[int, str, tuple[str, ...]]]:
    """(index in ``result.commands``, why, paths) for every file the line empties."""
    cmds = result.commands
    out: list[tuple[int, str, tuple[str, ...]]] = []
    covered = {i for p in result.pipelines for st in p for i in st}
    pipelines = [*result.pipelines,
                 *(((i,),) for i in range(len(cmds)) if i not in covered)]
    for p in pipelines:
        empty_in, upstream_reads = False, set()
        for stage in p:
            if not stage:
                empty_in, upstream_reads = False, set()
                continue
            top, c = cmds[stage[0]], cmds[stage[-1]]
            targets = _targets(top, c)
            tee = _tee_files(c)
            empty = _empty_output(c, empty_in)
            if empty and targets:
                out.append((stage[0], "writes nothing, so it only empties the file",
                            tuple(targets)))
            if tee and (empty_in or any(r.op == "<" and r.target == "/dev/null"
                                        for r in c.redirects)):
                out.append((stage[-1], "tee of an empty input empties the file", tuple(tee)))
            read = _files_read(c) | upstream_reads
            clobbered = [t for t in (*targets, *tee) if _path(t) in read]
            if clobbered:
                out.append((stage[0], "reads the file it truncates: the shell empties it "
                                      "first", tuple(clobbered)))
            upstream_reads = read
            empty_in = empty
    return out


def data_file_writes(c: SimpleCommand) -> tuple[str, ...]:
    """Database files ``c`` writes (a redirection, tee, cp/mv/install/rsync's destination,
    ``ln -f``'s link, dd's ``of=``), outside scratch space."""
    if not c.redirects and c.name not in _DATA_WRITERS and c.name not in ("ln", "sed", "gsed"):
        return ()
    targets = [r.target for r in c.redirects if r.op in (*_TRUNCATING, ">>", "&>>", "<>")]
    # (ops16) what replaces a record file's data (never an append to it)
    records = [r.target for r in c.redirects if r.op in (*_TRUNCATING, "<>")]
    ops = [a for a in c.args if not a.startswith("-")]
    if c.name == "tee":
        targets += ops
        if not any(a in ("-a", "--append") or re.fullmatch(r"-[a-zA-Z]*a[a-zA-Z]*", a)
                   for a in c.args):
            records += ops
    elif c.name in ("cp", "mv", "install", "rsync", "scp") and len(ops) >= 2:
        targets.append(ops[-1])
        # into a directory, each source lands under its own name
        records += [ops[-1], *(ops[-1].rstrip("/") + "/" + s.rstrip("/").rsplit("/", 1)[-1]
                               for s in ops[:-1])]
    elif c.name == "ln" and len(ops) >= 2 and any(LN_FORCE.fullmatch(a) for a in c.args):
        targets.append(ops[-1])  # -f unlinks the destination first
        records.append(ops[-1])
    elif c.name == "dd":
        targets += [a[3:] for a in c.args if a.startswith("of=")]
        records += [a[3:] for a in c.args if a.startswith("of=")]
    elif c.name in ("sed", "gsed") and any(
            a.startswith(("-i", "--in-place")) or re.fullmatch(r"-[nEsrz]+i.*", a)
            for a in c.args):
        records += ops  # an in-place edit of a record file (the script is among them)
    return tuple(dict.fromkeys(
        [t for t in targets if DATA_FILE.search(t) and not
         posixpath.normpath(t).startswith(("/tmp/", "/var/tmp/", "/dev/shm/"))] +
        [t for t in records if data_record(t)]))


def fed_nothing(result: ParseResult) -> frozenset[int]:
    """Commands whose stdin is a pipe from a stage that provably writes nothing or blanks
    (``echo | openssl s_client ...``): they are judged as reading /dev/null."""
    cmds = result.commands
    out: set[int] = set()
    for p in result.pipelines:
        empty_in = False
        for stage in p:
            if not stage:
                empty_in = False
                continue
            if empty_in:
                out.update(stage)
            empty_in = _empty_output(cmds[stage[-1]], empty_in) and not _targets(
                cmds[stage[0]], cmds[stage[-1]])
    return frozenset(out)


def fed_text(result: ParseResult) -> dict[int, str]:
    """Commands whose stdin is a pipe from one plain ``echo`` of literal words (no -e, no
    redirection, nothing computed): the text they read, as a here-document would give it."""
    cmds = result.commands
    out: dict[int, str] = {}
    for p in result.pipelines:
        for before, stage in zip(p, p[1:], strict=False):
            if len(before) != 1 or not stage:
                continue
            e = cmds[before[0]]
            words = e.args[1:] if e.args[:1] == ("-n",) else e.args
            if e.name == "echo" and e.via == () and not e.redirects and not any(e.dynamic) \
                    and not any(w.startswith("-") for w in words):
                text = " ".join(words) + ("" if e.args[:1] == ("-n",) else "\n")
                # the reader and the commands wrappers run for it (``sudo socat``)
                out.update((i, text) for i in stage if i == stage[0] or cmds[i].via)
    return out
