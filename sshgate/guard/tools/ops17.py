"""Process probes the catalogue left held (ops, wave 17): a JVM's diagnostic commands that
report how it runs (``jcmd PID Thread.print``) and a Python process's stacks sampled from
outside (``py-spy dump --pid PID``). Known-safe shapes (tools/__init__.py).

The process id may be looked up on the line (``$(pgrep -f app.jar)``: parse.PID_WORD, judged
again with no id and with two). Left out on purpose: every jcmd command that prints the
JVM's arguments, properties or environment (``VM.command_line``, ``VM.system_properties``,
``VM.info``: ``-Dpassword=...``), writes a file (``GC.heap_dump``, ``JFR.*``,
``Thread.dump_to_file``), changes the JVM (``VM.set_flag``, ``GC.run``, ``JVMTI.*``,
``ManagementAgent.*``, ``Compiler.directives_*``) or loads an agent; ``py-spy dump --locals``
(the values of local variables: tokens, passwords) and every py-spy mode that starts a
program (``py-spy record -- python x.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts
from ..parse import PID_WORD, SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words

#: a local process id (jcmd's main-class spelling matches by name: not taken)
_PID = re.compile(r"[1-9][0-9]{0,9}")

NONE = opts("")

KINDS: dict[str, Callable[[str], str | None]] = {
    "pid": lambda v: None if _PID.fullmatch(v) else f"{v!r} is not a process id",
}

#: jcmd's diagnostic commands that report and change nothing, with the words each takes
_JCMD_READS: dict[str, frozenset[str]] = {
    "help": frozenset(), "VM.uptime": frozenset(), "VM.version": frozenset(),
    "VM.flags": frozenset({"-all"}), "Thread.print": frozenset({"-l", "-e"}),
    "GC.heap_info": frozenset(), "GC.class_histogram": frozenset(),
    "VM.native_memory": frozenset({"summary", "scale=KB", "scale=MB", "scale=GB"}),
    "Compiler.queue": frozenset(), "VM.classloader_stats": frozenset(),
    "VM.metaspace": frozenset({"show-loaders", "by-chunktype", "by-spacetype"}),
}


def _jcmd(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``jcmd -l`` (no operand), or ``jcmd PID COMMAND [WORDS]`` of a report-only command
    (its words, ``-l`` too, are the command's: jcmd's own options come before the id)."""
    if rest == ("-l",):
        return None
    ops = tuple(rest)
    if ops[:1] and ops[0].startswith("-"):
        return "jcmd: only -l alone, or a process id and a command"
    if ops and ops[0] in _JCMD_READS and set(ops[1:]) <= _JCMD_READS[ops[0]]:
        return None  # a looked-up id that was empty: a class-name match, the words its command
    if ops[1:2] == (PID_WORD,):
        ops = ops[:1] + ops[2:]  # two looked-up ids: jcmd runs no command named "ID CMD"
    if len(ops) < 2 or not _PID.fullmatch(ops[0]):
        return "jcmd takes a process id and a command (never a main class's name: any JVM)"
    words = _JCMD_READS.get(ops[1])
    if words is None:
        return f"jcmd {ops[1]!r} is not a report-only command"
    bad = [w for w in ops[2:] if w not in words and w != PID_WORD]
    return f"jcmd {ops[1]}: {bad[0]!r} is not a word it takes" if bad else None


def _pyspy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Always a running process by its id (``--pid``), never a program to start."""
    # (an operand only as a second looked-up id: py-spy refuses it beside --pid)
    if any(o != PID_WORD for o in ops) or not any(k == "-p" for k, _ in pairs or ()):
        return "py-spy attaches to a process by --pid only (never a program it starts)"
    return None


CHECKS: dict[str, Check] = {"ops17-jcmd": _jcmd, "ops17-pyspy": _pyspy}

_PYSPY_COMMON = ("-p|--pid:pid --native -n|--native-all --nonblocking -s|--subprocesses "
                 "--full-filenames ")
_PYSPY = Tool(allow=NONE, sub={
    "dump": Shape(check="ops17-pyspy", allow=opts(_PYSPY_COMMON + "-j|--json", abbrev=False)),
    # a terminal view: it runs until it is stopped (as top does)
    "top": Shape(check="ops17-pyspy", allow=opts(_PYSPY_COMMON + "-r|--rate:num --gil --idle",
                                                 abbrev=False)),
})
ENTRIES: dict[str, Entry] = {
    "jcmd": Shape(check="ops17-jcmd", allow=opts("-l -e -all", abbrev=False)),
    "py-spy": _PYSPY,
}
