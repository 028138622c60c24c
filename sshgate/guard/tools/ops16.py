"""Everyday SRE reads the catalogue left held (ops, wave 16): the JVMs of this host and their
GC counters, the listings of an rclone remote, pgBackRest's backup inventory and the libvips
version and image headers. Known-safe shapes (tools/__init__.py).

Every shape names its options (long options matched in full: jps, jstat and GOption take no
abbreviation, rclone is pflag, pgBackRest's is held to full names too). Left out everywhere:
an option that loads a configuration, a plugin or an agent (jps/jstat ``-J``, rclone
``--config``/``--password-command``, pgBackRest ``--config*``, vips ``--vips-*``), that
writes a file (rclone ``--log-file``, ``--dump``), that picks another host, endpoint or
repository (a jstatd ``@host`` vmid or a jps hostid, rclone's ``:backend,opt=v:`` connection
strings and ``remote,opt=v:`` overrides, whose sftp ``ssh=`` option runs a command, and its
``--<backend>-*`` flags, pgBackRest ``--repo1-*``/``--pg1-*``), and computed operands.

Left out on purpose: ``jps -v`` (the JVM's arguments: ``-Dpassword=...``, and the ones that
came from JDK_JAVA_OPTIONS and @argfiles, which ``ps`` does not show) and ``jps -m`` (the main
class's arguments with @argfiles expanded), rclone's verbs that read or move objects (cat,
copy, sync, serve, mount, config), ``rclone version --check`` (fetches from the network),
``pgbackrest check`` (switches the WAL on the primary and waits for the archive) and every
pgBackRest verb that backs up, restores, expires or stops.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words
from .media import _IMAGE, _local_files

NONE = opts("")

# --- value kinds (merged into safe.KINDS) -----------------------------------------------------
KINDS: dict[str, Callable[[str], str | None]] = {
    # pgbackrest info --output: the two formats it prints
    "pgbroutput": lambda v: None if v in ("text", "json") else
    f"pgbackrest output {v!r} is not text or json",
}

# --- checks -------------------------------------------------------------------------------------
#: jstat's statistics options: one of them, first
_JSTAT_STATS = frozenset({
    "-class", "-compiler", "-gc", "-gccapacity", "-gccause", "-gcnew", "-gcnewcapacity",
    "-gcold", "-gcoldcapacity", "-gcmetacapacity", "-gcutil", "-printcompilation"})
#: a local JVM's id (never ``lvmid@host``: jstatd on another host)
_PID = re.compile(r"[1-9][0-9]{0,9}")
_INTERVAL = re.compile(r"[0-9]{1,7}(?:ms|s)?")
_COUNT = re.compile(r"[0-9]{1,7}")


def _jstat(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``jstat -STAT [-t] VMID [INTERVAL [COUNT]]`` or ``jstat -options``."""
    names = [k for k, _ in pairs or ()]
    if names == ["-options"]:
        return None if not ops else "jstat -options takes no operand"
    stats = [n for n in names if n in _JSTAT_STATS]
    if len(stats) != 1 or "-options" in names:
        return "jstat needs one statistics option (-gcutil, -gc, -class...)"
    # (a fourth number, as when a looked-up id is two: jstat refuses the line)
    if not 1 <= len(ops) <= 4 or ops[3:4] and not _COUNT.fullmatch(ops[3]):
        return "jstat takes a process id, an interval and a count"
    if not _PID.fullmatch(ops[0]):
        return f"{ops[0]!r} is not a local process id (never a vmid@host)"
    if ops[1:2] and not _INTERVAL.fullmatch(ops[1]):
        return f"{ops[1]!r} is not an interval"
    if ops[2:3] and not _COUNT.fullmatch(ops[2]):
        return f"{ops[2]!r} is not a count"
    return None


#: an rclone remote of the configuration by its name, then a path on it. Never a leading
#: ``:`` (a backend built on the command line: ``:sftp,ssh='sh -c ...':``), a comma before
#: the colon (``remote,ssh=...:`` overrides the remote's settings), a local path or ``..``
_REMOTE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}:[A-Za-z0-9_.,=+@%~ /-]{0,512}")


def _rclone_remotes(n: int) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if len(ops) != n:
            return f"rclone takes {n} remote path{'s' if n != 1 else ''} here"
        for o in ops:
            if not _REMOTE.fullmatch(o) or ".." in o.split(":", 1)[1].split("/"):
                return f"{o!r} is not a path on a configured remote (NAME:path)"
        return None
    return check


CHECKS: dict[str, Check] = {
    "ops16-jstat": _jstat,
    "ops16-rclone-path": _rclone_remotes(1),
    "ops16-vipsheader": _local_files(_IMAGE, 1),
}

# --- entries ------------------------------------------------------------------------------------
#: jps: the local JVMs' ids, with the main class's full name or the jar's path (-l); never -v
#: or -m (module docstring), a hostid operand (jstatd elsewhere), -J (an option for jps's own
#: JVM: -J-javaagent loads code)
JPS = Shape(max_operands=0, allow=opts("-q -l -V"))
#: jstat: a local JVM's GC, class and compiler counters, sampled; never -J, never vmid@host
JSTAT = Shape(check="ops16-jstat", allow=opts(
    " ".join(sorted(_JSTAT_STATS)) + " -options -t", "go"))

#: rclone's filters and listing flags (pflag: names in full, short ones clustered). Never
#: --config, --password-command, --rc*, --log-file, --dump*, --header*, --ca-cert/--client-*,
#: --bind, --*-from (a file of filters: any file read), backend flags (--s3-endpoint,
#: --sftp-ssh...)
_RCLONE_COMMON = ("-q|--quiet -v|--verbose --fast-list --max-depth:num --include:any "
                  "--exclude:any --filter:any --min-size:any --max-size:any --min-age:any "
                  "--max-age:any --human-readable --ignore-case ")
_RCLONE_TREE = _RCLONE_COMMON + "-R|--recursive --dirs-only --files-only "


def _rclone(spec: str) -> Shape:
    # a listing prints names, sizes, times and hashes only: an operand may name anything, as
    # for ls (secrets_ok)
    return Shape(check="ops16-rclone-path", secrets_ok=True, allow=opts(spec, abbrev=False))


#: rclone: listings, sizes and quotas of a configured remote, its version and remote names;
#: never cat/copy/move/sync/delete/purge/mount/serve/config/rcd/backend
RCLONE = Tool(allow=NONE, sub={
    "ls": _rclone(_RCLONE_COMMON), "lsl": _rclone(_RCLONE_COMMON),
    "lsd": _rclone(_RCLONE_COMMON + "-R|--recursive"),
    "lsf": _rclone(_RCLONE_TREE + "-F|--format:any -s|--separator:any -d|--dir-slash "
                   "--absolute --csv --hash:word"),
    "lsjson": _rclone(_RCLONE_TREE + "--no-modtime --no-mimetype --hash --original"),
    "size": _rclone(_RCLONE_COMMON + "--json"),
    "about": _rclone("--json --full"),
    "version": Shape(max_operands=0, allow=NONE),
    "listremotes": Shape(max_operands=0, allow=opts("--long", abbrev=False))})

#: pgbackrest info: the stanzas' backups and WAL archive ranges from the repository of the
#: system's configuration; version. Never --config/--config-path/--config-include-path,
#: --repo1-*/--pg1-* (another repository or cluster), --log-level-* (debug and trace log
#: every option's value), every other command
_PGBR_INFO = Shape(max_operands=0, allow=opts(
    "--stanza:word --output:pgbroutput --set:word --repo:num", abbrev=False))
PGBACKREST = Tool(allow=NONE, sub={
    "info": _PGBR_INFO, "version": Shape(max_operands=0, allow=NONE)})

#: vips --version; vipsheader: an image's width, height, bands and (-a) its header fields.
#: Never --vips-* (leak checks, caches and traces to files), an option string after the
#: name (``x.jpg[...]``), a format that is a program or names other files (media._IMAGE)
VIPS = Shape(max_operands=0, allow=opts("-v|--version", abbrev=False))
VIPSHEADER = Shape(check="ops16-vipsheader", allow=opts(
    "-a|--all -f|--field:word", abbrev=False))

ENTRIES: dict[str, Entry] = {
    "jps": JPS, "jstat": JSTAT, "rclone": RCLONE, "pgbackrest": PGBACKREST, "vips": VIPS,
    "vipsheader": VIPSHEADER,
}
