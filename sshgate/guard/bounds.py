"""Sources without end: what the line reads or generates forever, and what ends it. Pure.

An infinite source (``yes``, ``seq`` with an infinite or huge bound, a read of /dev/zero,
/dev/urandom, /dev/random or /dev/full) fills a disk, a memory or the recording of the
session unless a *bounding reader* (``head -c/-n N``, ``dd count=``, ``od -N``, ``xxd -l``,
``hexdump -n``, with N small) ends it downstream, through *streaming* stages only (``cat``,
``tr``, ``base64``, ``fold``...: each dies of SIGPIPE once the reader exits). Anything else
downstream (``sort``, ``wc``, ``grep -c``, a file, the terminal) takes the stream without end.
A ``while``/``until`` loop whose condition can never end it runs forever. Each is a finding
of ``res.unbounded``; the walk is one pass over the parser's pipelines (linear).
"""

from __future__ import annotations

import math
import posixpath
import re

from .parse import ParseResult, SimpleCommand

#: devices whose reads never end; "zero" ones hold no newline (``head -n`` never ends them)
_DEVICES = {"/dev/zero": True, "/dev/full": True, "/dev/urandom": False, "/dev/random": False}
#: a bounding reader's bound, in bytes and lines; a generator's, in lines. A bound, not a
#: quota: what is endless (or disk-sized: ``head -c 100G``) is held, a gigabyte of test
#: data (``head -c 500M /dev/zero``, ``seq 1 1500000``) is ordinary
MAX_BYTES = 1 << 30
MAX_LINES = 100_000_000
#: filters that write as they read (and die of SIGPIPE when their reader is gone)
_STREAMING = frozenset({"cat", "tr", "base64", "base32", "basenc", "xxd", "od", "hexdump", "hd",
                        "fold", "tee"})
#: commands that look at a device without reading it (``ls -l /dev/zero``)
_METADATA = frozenset({"ls", "ll", "stat", "test", "[", "file", "readlink", "realpath",
                       "lsattr", "getfacl", "du", "basename", "dirname"})
_SIZE = re.compile(r"([0-9]+)([kKmMgGtTpPeE]?)(i?[bB]?)")
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50,
          "e": 1 << 60}


def _size(v: str) -> int | None:
    """A count as head, od or xxd read it (``16``, ``1M``, ``4KiB``; ``kB`` is 1000s), or
    None when it is not a plain non-negative count."""
    m = _SIZE.fullmatch(v)
    if not m:
        return None
    n, unit, suffix = int(m.group(1)), m.group(2).lower(), m.group(3)
    base = _UNITS[unit]
    if unit and suffix == "B":
        base = 1000 ** " kmgtpe".index(unit)
    return n * base


def _option(args: tuple[str, ...], short: str, long: str) -> str | None:
    """The value of ``-x N``, ``-xN``, ``--long=N`` or ``--long N`` (the last one given)."""
    found = None
    for i, a in enumerate(args):
        if a == "--":
            break
        if a in (short, long):
            found = args[i + 1] if i + 1 < len(args) else ""
        elif a.startswith(long + "="):
            found = a.split("=", 1)[1]
        elif a.startswith(short) and not a.startswith("--") and len(a) > len(short):
            found = a[len(short):]
    return found


def _operands(c: SimpleCommand) -> tuple[str, ...]:
    return tuple(a for a in c.args if not a.startswith("-") or a == "-")


def _device(word: str) -> bool | None:
    """None if ``word`` is no endless device; else whether it is a newline-free one (a glob or
    brace over /dev could be either: taken as the worst)."""
    if not word.startswith("/dev/"):
        return None
    path = posixpath.normpath(word)
    if "/" not in path[5:] and any(ch in path for ch in "*?[{$`"):
        return True  # a pattern over /dev itself (not /dev/shm/*.log)
    return _DEVICES.get(path)


def _reads_device(c: SimpleCommand) -> bool | None:
    """Whether ``c`` reads an endless device (None: it reads none), and if so whether that
    device holds no newline."""
    found: bool | None = None
    words = [r.target for r in c.redirects if r.op in ("<", "<>")]
    if c.name not in _METADATA:
        words += [a[3:] if a.startswith("if=") else a for a in c.args]
    for w in words:
        zero = _device(w)
        if zero is not None:
            found = bool(found) or zero
    return found


def bounding(c: SimpleCommand, zero: bool) -> bool:
    """Does ``c`` stop after a small amount of what it reads? (``zero``: the stream may hold
    no newline, so a count of lines never ends it.)"""
    n, args = c.name, c.args
    if n == "head":
        if "-z" in args or "--zero-terminated" in args:
            return False
        b = _option(args, "-c", "--bytes")
        if b is not None:
            size = _size(b)
            return size is not None and size <= MAX_BYTES
        lines = _option(args, "-n", "--lines")
        if lines is None:
            short = [a for a in args if re.fullmatch(r"-[0-9]+", a)]
            lines = short[-1][1:] if short else "10"
        count = _size(lines)
        return not zero and count is not None and count <= MAX_LINES
    if n == "dd":
        count = next((a[6:] for a in args if a.startswith("count=")), None)
        bs = next((a.split("=", 1)[1] for a in args if a.startswith(("bs=", "ibs="))), "512")
        size, block = _size(count or ""), _size(bs)
        return size is not None and block is not None and size * block <= MAX_BYTES
    limit = {"od": ("-N", "--read-bytes"), "xxd": ("-l", "-len"),
             "hexdump": ("-n", "--length"), "hd": ("-n", "--length")}.get(n)
    if limit:
        v = _option(args, *limit)
        if n == "xxd" and v is None:
            v = _option(args, "-len", "-len")
        size = _size(v) if v is not None else None
        return size is not None and size <= MAX_BYTES
    return False


def _streams(c: SimpleCommand, zero: bool) -> bool | None:
    """None if ``c`` does not pass an endless stream on as it reads; else whether what it
    passes on may hold no newline."""
    if c.name not in _STREAMING or any(c.dynamic):
        return None
    if c.name == "tee" and any(a.startswith(("-p", "--output-error")) for a in c.args):
        return None  # tee -p keeps writing its files once the reader is gone
    if c.name == "tr" and zero and any(a.startswith("-") and "d" in a for a in c.args):
        return None  # deleting from zeros may never write a byte
    if c.name == "cat" and any(o != "-" for o in _operands(c)):
        return None
    if c.name in ("cat", "tee"):
        return zero
    if c.name == "tr":
        return True  # tr may map or delete the newlines
    return c.name in ("base64", "base32", "basenc") and any(
        a in ("-w0", "--wrap=0") or a == "0" for a in c.args)


_SEQ_OPTS = frozenset({"-f", "--format", "-s", "--separator"})


def _number(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        try:
            return float.fromhex(v)
        except (ValueError, OverflowError):
            return None


def _seq_endless(c: SimpleCommand) -> bool:
    """``seq`` whose count of lines is infinite, huge, or not known before it runs."""
    nums: list[str] = []
    skip = False
    for i, a in enumerate(c.args, 1):
        if skip:
            skip = False
            continue
        if c.dynamic[i:i + 1] == (True,):
            return True
        if a in _SEQ_OPTS:
            skip = True
        elif a.startswith("-") and _number(a) is None and a != "--":
            continue
        elif a != "--":
            nums.append(a)
    values = [_number(x) for x in nums]
    if not values or len(values) > 3 or any(v is None or not math.isfinite(v) for v in values):
        return True
    first, step, last = (1.0, 1.0, values[0]) if len(values) == 1 else (
        (values[0], 1.0, values[1]) if len(values) == 2 else tuple(values))
    if step == 0:
        return True
    count = (last - first) / step
    return count > MAX_LINES


def source(c: SimpleCommand) -> bool | None:
    """None if ``c`` writes a bounded amount; else whether its endless output may hold no
    newline. A bounding reader of a device is bounded (``head -c 16 /dev/urandom``)."""
    if c.name == "yes":
        # lines of any length: a count of lines bounds no amount of bytes
        return any(c.dynamic) or sum(len(a) for a in c.args) > 256
    if c.name == "seq":
        if not _seq_endless(c):
            return None
        return any(a.startswith(("-f", "--format", "-s", "--separator")) for a in c.args)
    zero = _reads_device(c)
    if zero is not None and not bounding(c, zero):
        return zero
    return None


def _stdin_only(c: SimpleCommand) -> SimpleCommand:
    """``c`` with its device operands taken as its input (``cat /dev/zero`` streams like
    ``cat < /dev/zero``)."""
    keep = tuple(a for a in c.argv if _device(a) is None and not a.startswith("if="))
    return SimpleCommand(argv=keep, redirects=c.redirects)


def _constant(c: SimpleCommand) -> bool | None:
    """The exit status of a command that always has the same one (True: success)."""
    if any(c.dynamic) or c.redirects:
        return None
    if c.name in ("true", ":"):
        return True
    if c.name == "false":
        return False
    ops = c.args[:-1] if c.name == "[" and c.args[-1:] == ("]",) else c.args
    if c.name in ("[", "test") and len(ops) == 1 and not ops[0].startswith("-"):
        return ops[0] != ""
    return None


def unbounded(result: ParseResult) -> list[tuple[int, str]]:
    """(index in ``result.commands``, why) for every stream or loop without end."""
    cmds = result.commands
    out: list[tuple[int, str]] = []
    covered: set[int] = set()
    pipelines = list(result.pipelines)
    for p in pipelines:
        for stage in p:
            covered.update(stage)
    # a command the parser put in no pipeline (a rough split of an unparseable line)
    pipelines += [((i,),) for i in range(len(cmds)) if i not in covered and cmds[i].argv]
    for p in pipelines:
        endless: bool | None = None  # the stream entering this stage: None when bounded
        origin = -1
        for stage in p:
            if not stage:
                if endless is not None:
                    out.append((origin, "its endless output goes into a compound command"))
                endless = None
                continue
            i = stage[-1]
            c = cmds[i]
            if endless is not None:
                if bounding(c, endless):
                    endless = None
                else:
                    passed = _streams(c, endless)
                    if passed is None:
                        out.append((i, "reads a stream without end (it never finishes, or "
                                        "it fills a disk or the memory)"))
                        endless = None
                        continue
                    endless = passed
                    continue
            own = source(c)
            if own is not None and c.name not in ("yes", "seq") and _streams(
                    _stdin_only(c), own) is None:
                # a device read by a tool that writes only at the end (sort, tac, wc)
                out.append((i, "reads a device without end"))
            elif own is not None:
                endless, origin = own, i
        if endless is not None:
            out.append((origin, "an endless source that nothing downstream stops"))
    for runs_while, stage, (start, end) in result.loops:
        cond = cmds[stage[-1]] if stage else None
        if cond is not None and _constant(cond) is runs_while:
            out.append((stage[-1], "a loop whose condition never ends it"))
        elif (cond is None or cond.name not in ("read", "mapfile", "readarray")) and not any(
                _pauses(cmds[i]) for i in range(start, end)):
            # a condition true at run time (while [ -d / ]) spins a CPU for ever: a loop that
            # does not read its input must wait between rounds
            out.append((stage[-1] if stage else start, "a loop that neither reads its input "
                                                       "nor waits (sleep 1 or more) each round"))
    return out


def _pauses(c: SimpleCommand) -> bool:
    """``sleep N`` with N of a second or more (``sleep 0.001`` is no pause)."""
    if c.name != "sleep" or not c.args or any(c.dynamic):
        return False
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]*)?)([smhd]?)", c.args[0])
    return m is not None and float(m.group(1)) >= 1


def _own_options(args: tuple[str, ...], valued: tuple[str, ...]) -> tuple[str, ...]:
    """A wrapper's own words: its options up to the command it runs."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        i += 2 if args[i] in valued else 1
    return args[:i]


#: scheduling that starves the host: real-time policies, negative niceness, real-time I/O
_RT_SHORT = frozenset("frd")


def raised_priority(c: SimpleCommand) -> bool:
    """``chrt`` with a real-time policy (its default), ``nice``/``renice`` below zero,
    ``ionice -c 1`` (real-time I/O)."""
    n, args = c.name, c.args
    if n == "chrt":
        opts: list[str] = []
        positional = 0
        for a in args:
            if a.startswith("-") and not positional:
                opts.append(a)
            else:
                positional += 1
        if any(o in ("-m", "--max") for o in opts):
            return False
        if any(o in ("-p", "--pid") or (o.startswith("-") and not o.startswith("--") and "p" in o)
               for o in opts) and positional <= 1:
            return False  # shows a process's policy
        quiet = ("-o", "--other", "-b", "--batch", "-i", "--idle")
        short = "".join(o[1:] for o in opts if not o.startswith("--"))
        if any(o in quiet for o in opts) or (set(short) & set("obi") and not
                                             set(short) & _RT_SHORT):
            return False
        return True
    if n in ("nice", "ionice"):
        args = _own_options(args, ("-n", "--adjustment") if n == "nice" else (
            "-c", "--class", "-n", "--classdata", "-p", "--pid", "-P", "--pgid", "-u", "--uid"))
    if n == "nice":
        v = _option(args, "-n", "--adjustment")
        if v is None:
            old = [a for a in args[:1] if re.fullmatch(r"--?[0-9]+", a)]
            v = old[0][1:] if old else None
        return v is not None and v.startswith("-")
    if n == "renice":
        v = _option(args, "-n", "--priority")
        if v is None:
            ops = [a for a in args if not a.startswith(("-p", "-g", "-u", "--"))]
            v = ops[0] if ops else None
        return v is not None and v.startswith("-")
    if n == "ionice":
        v = _option(args, "-c", "--class")
        return v is not None and v.strip().lower() in ("1", "realtime")
    return False
