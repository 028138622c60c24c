"""Option allow-lists of the core file readers and text utilities (coreutils, diffutils, gzip,
xz, bzip2, util-linux, bsdextrautils, procps, net-tools, lsof, e2fsprogs, acl), each built
from the tool's own option table (``--help``/man page, Debian bookworm), and the checks that
judge what an option table cannot say. Pure: safe.py's catalogue entries take these.

Left out everywhere (red team core16: ``zcat -rf /etc/ssh``, ``xzcat --files=L``,
``diff --recur --new-file /etc/ssh /x``): an option that recurses into directories (gzip's
``-r``; diff's ``-r`` stays, its operands judged as a recursive grep's trees are), reads file
names or arguments from a file or stdin (xz ``--files``/``--files0``, diff
``-X``/``--exclude-from``, hexdump ``-f``), changes which files the operands name (gzip/xz
``-S`` suffixes tried after a name, diff ``--from-file``/``--to-file``, od
``--traditional``), runs a program (diff ``-l``, which pipes through ``pr`` from PATH) or
names a kernel file (lsof ``-k``/``-m``/``-D``, ps ``-n``). Long options are matched in full
(options.py): an abbreviation is never taken for an option listed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .options import Opts, opts
from .parse import SimpleCommand
from .reveal import tree_holds_secrets
from .shapes import Check, Pairs, Words

_ABOUT = "--help --version "

# --- compressed-file readers ------------------------------------------------------------------
#: zcat is ``gzip -cd``: never -r (recurses), -S (a suffix tried after each name: ``-S hadow
#: /etc/s`` opens /etc/shadow)
ZCAT = opts("-c|--stdout|--to-stdout -d|--decompress|--uncompress -f|--force -k|--keep "
            "-l|--list -n|--no-name -N|--name -q|--quiet -t|--test -v|--verbose -a|--ascii "
            "-h|--help -V|--version -L|--license")
#: bzcat is ``bzip2 -dc``; bzip2 has no recursion and no file list
BZCAT = opts("-c|--stdout -d|--decompress -f|--force -k|--keep -q|--quiet -s|--small "
             "-t|--test -v|--verbose -h|--help -L|--license -V|--version", abbrev=False)
#: xzcat is ``xz -dc``: never --files/--files0 (names read from a file or stdin), -S
XZCAT = opts("-c|--stdout|--to-stdout -d|--decompress|--uncompress -f|--force -k|--keep "
             "-t|--test -l|--list -q|--quiet -v|--verbose -Q|--no-warn --robot "
             "--single-stream --ignore-check -F|--format:word -T|--threads:num "
             "-M|--memlimit|--memory:any --memlimit-decompress:any "
             "--memlimit-mt-decompress:any --info-memory -h|--help -H|--long-help "
             "-V|--version")

# --- diffutils -------------------------------------------------------------------------------
#: never -l/--paginate (runs pr), -X/--exclude-from (a file of patterns), --from-file and
#: --to-file (operands by another name); -r is judged by the "diff" check
DIFF = opts(
    "--normal -q|--brief -s|--report-identical-files -c|--context:?num -C:num "
    "-u|--unified:?num -U:num -e|--ed -n|--rcs -y|--side-by-side -W|--width:num "
    "--left-column --suppress-common-lines -p|--show-c-function "
    "-F|--show-function-line:pattern --label:any -t|--expand-tabs -T|--initial-tab "
    "--tabsize:num --suppress-blank-empty -r|--recursive --no-dereference -N|--new-file "
    "--unidirectional-new-file --ignore-file-name-case --no-ignore-file-name-case "
    "-x|--exclude:any -S|--starting-file:any -i|--ignore-case -E|--ignore-tab-expansion "
    "-Z|--ignore-trailing-space -b|--ignore-space-change -w|--ignore-all-space "
    "-B|--ignore-blank-lines -I|--ignore-matching-lines:pattern -a|--text "
    "--strip-trailing-cr -D|--ifdef:any --old-group-format:any --new-group-format:any "
    "--changed-group-format:any --unchanged-group-format:any --line-format:any "
    "--old-line-format:any --new-line-format:any --unchanged-line-format:any -d|--minimal "
    "--horizon-lines:num --speed-large-files --color:?any --palette:any --help -v|--version")
CMP = opts("-b|--print-bytes -i|--ignore-initial:any -l|--verbose -n|--bytes:any "
           "-s|--quiet|--silent --help -v|--version")

# --- coreutils readers and filters -----------------------------------------------------------
CAT = opts("-A|--show-all -b|--number-nonblank -e -E|--show-ends -n|--number "
           "-s|--squeeze-blank -t -T|--show-tabs -u -v|--show-nonprinting " + _ABOUT)
HEAD = opts("-c|--bytes:count -n|--lines:count -q|--quiet|--silent -v|--verbose "
            "-z|--zero-terminated -NUM " + _ABOUT)
TAIL = opts("-c|--bytes:count -f|--follow:?word -F -n|--lines:count "
            "--max-unchanged-stats:num --pid:num -q|--quiet|--silent --retry "
            "-s|--sleep-interval:num -v|--verbose -z|--zero-terminated -NUM " + _ABOUT)
#: binutils strings (an ``@file`` operand is held for every tool: safe._at_word_ok)
STRINGS = opts("-a|--all -d|--data -f|--print-file-name -n|--bytes:num -NUM -t|--radix:word "
               "-o -w|--include-all-whitespace -T|--target:word -e|--encoding:word "
               "--unicode:word -U:word -s|--output-separator:any -h|--help -v|-V|--version")
#: never --traditional (an operand becomes an offset or a label)
OD = opts("-A|--address-radix:word --endian:word -j|--skip-bytes:any -N|--read-bytes:any "
          "-S:any --strings:?any -t|--format:any -v|--output-duplicates -w|--width:??num "
          "-a -b -c -d -f -i -l -o -s -x " + _ABOUT)
#: util-linux hexdump: never -f/--format-file (formats read from a file)
HEXDUMP = opts("-b|--one-byte-octal -c|--one-byte-char -C|--canonical "
               "-d|--two-bytes-decimal -o|--two-bytes-octal -x|--two-bytes-hex "
               "-L|--color:??any -e|--format:any -n|--length:any -s|--skip:any "
               "-v|--no-squeezing -h|--help -V|--version")
NL = opts("-b|--body-numbering:any -d|--section-delimiter:any -f|--footer-numbering:any "
          "-h|--header-numbering:any -i|--line-increment:num -l|--join-blank-lines:num "
          "-n|--number-format:word -p|--no-renumber -s|--number-separator:any "
          "-v|--starting-line-number:count -w|--number-width:num " + _ABOUT)
TAC = opts("-b|--before -r|--regex -s|--separator:any " + _ABOUT)
REV = opts("-h|--help -V|--version")
CUT = opts("-b|--bytes:any -c|--characters:any -d|--delimiter:any -f|--fields:any -n "
           "--complement -s|--only-delimited --output-delimiter:any -z|--zero-terminated "
           + _ABOUT)
TR = opts("-c|-C|--complement -d|--delete -s|--squeeze-repeats -t|--truncate-set1 " + _ABOUT)
UNIQ = opts("-c|--count -d|--repeated -D --all-repeated:?word -f|--skip-fields:num "
            "--group:?word -i|--ignore-case -s|--skip-chars:num -u|--unique "
            "-z|--zero-terminated -w|--check-chars:num " + _ABOUT)
COMM = opts("-1 -2 -3 --check-order --nocheck-order --output-delimiter:any --total "
            "-z|--zero-terminated " + _ABOUT)
JOIN = opts("-a:num -e:any -i|--ignore-case -j:any -o:any -t:any -v:num -1:any -2:any "
            "--check-order --nocheck-order --header -z|--zero-terminated " + _ABOUT)
PASTE = opts("-d|--delimiters:any -s|--serial -z|--zero-terminated " + _ABOUT)
FOLD = opts("-b|--bytes -s|--spaces -w|--width:num -NUM " + _ABOUT)
FMT = opts("-c|--crown-margin -p|--prefix:any -s|--split-only -t|--tagged-paragraph "
           "-u|--uniform-spacing -w|--width:num -g|--goal:num -NUM " + _ABOUT)
#: util-linux column (bsdextrautils)
COLUMN = opts("-t|--table -n|--table-name:any -O|--table-order:any -N|--table-columns:any "
              "-l|--table-columns-limit:num -E|--table-noextreme:any -d|--table-noheadings "
              "-e|--table-header-repeat -H|--table-hide:any -R|--table-right:any "
              "-T|--table-truncate:any -W|--table-wrap:any -L|--keep-empty-lines -J|--json "
              "-r|--tree:any -i|--tree-id:any -p|--tree-parent:any -c|--output-width:num "
              "-o|--output-separator:any -s|--separator:any -x|--fillrows -h|--help "
              "-V|--version")
EXPAND = opts("-i|--initial -t|--tabs:any -NUM " + _ABOUT)
UNEXPAND = opts("-a|--all --first-only -t|--tabs:any -NUM " + _ABOUT)
BASE32 = opts("-d|--decode -i|--ignore-garbage -w|--wrap:num " + _ABOUT)

# --- checksums -------------------------------------------------------------------------------
#: -c reads the names to check from its operands' lines and prints each name with OK or
#: FAILED (never a line's other text, never a file's content): a list of names, judged as
#: ls of them would be
_SUM = ("-c|--check --tag -z|--zero --ignore-missing --quiet --status --strict -w|--warn "
        + _ABOUT)
SUMS: dict[str, Opts] = {
    **dict.fromkeys(("md5sum", "sha1sum", "sha256sum", "sha512sum"),
                    opts("-b|--binary -t|--text " + _SUM)),
    "b2sum": opts("-b|--binary -t|--text -l|--length:num " + _SUM),
    "cksum": opts("-a|--algorithm:word -l|--length:num --untagged --debug " + _SUM),
}

# --- metadata --------------------------------------------------------------------------------
#: names and metadata only (-R lists names, as find does): every option of ls
LS = opts(
    "-a|--all -A|--almost-all --author -b|--escape --block-size:any -B|--ignore-backups -c "
    "-C --color:?any -d|--directory -D|--dired -f -F|--classify:?any --file-type "
    "--format:word --full-time -g --group-directories-first -G|--no-group "
    "-h|--human-readable --si -H|--dereference-command-line "
    "--dereference-command-line-symlink-to-dir --hide:any --hyperlink:?any "
    "--indicator-style:word -i|--inode -I|--ignore:any -k|--kibibytes -l -L|--dereference "
    "-m -n|--numeric-uid-gid -N|--literal -o -p -q|--hide-control-chars "
    "--show-control-chars -Q|--quote-name --quoting-style:word -r|--reverse -R|--recursive "
    "-s|--size -S --sort:word --time:word --time-style:any -t -T|--tabsize:num -u -U -v "
    "-w|--width:num -x -X -Z|--context --zero -1 " + _ABOUT)
STAT = opts("-L|--dereference -f|--file-system --cached:word -c|--format:any --printf:any "
            "-t|--terse " + _ABOUT)
#: e2fsprogs lsattr: getopt's short options only
LSATTR = opts("-R -V -a -d -l -p -v")
#: acl's getfacl
GETFACL = opts("-a|--access -d|--default -c|--omit-header -e|--all-effective "
               "-E|--no-effective -s|--skip-base -R|--recursive -L|--logical -P|--physical "
               "-t|--tabular -n|--numeric -p|--absolute-names --one-file-system "
               "-v|--version -h|--help")
DF = opts("-a|--all -B|--block-size:any -h|--human-readable -H|--si -i|--inodes -k "
          "-l|--local --no-sync --output:?any -P|--portability --sync --total -t|--type:any "
          "-T|--print-type -x|--exclude-type:any -v " + _ABOUT)

# --- processes and sockets -------------------------------------------------------------------
#: procps ps: its BSD words (``aux``, ``o pid``, ``e``) are operands to the parser, judged by
#: the "ps" check; never -n (a namelist file)
PS = opts(
    "-A -e -a -d -N|--deselect -C:any -G|--Group:any -g|--group:any -p|--pid:any "
    "--ppid:any -q|--quick-pid:any -s|--sid:any -t|--tty:any -u|--user:any -U|--User:any "
    "-F -f --forest -H -j -l -M|-Z|--context -O:any -o|--format:any -P -y "
    "--headers|--heading --no-headers|--no-heading --cols|--columns|--width:num "
    "--rows|--lines:num -L -m -T -c --sort:any --cumulative -V|--version -w --info "
    "--help:?any")
#: lsof's ``-x [v]`` values are optional words of their own: a word that is not the value
#: is an operand (a file whose open handles it lists); ``+`` options are judged by the
#: "lsof" check; never -k/-m (kernel files), -D (a device cache file)
LSOF = opts("-? -h -a -b -c:any -d:any -i:??any -K:??any -l -n -N -o:??any -O -P -Q -R "
            "-s:??any -t -T:??any -U -v -V -X -Z:??any -E -e:any -f:??any -F:??any "
            "-g:??any -L:??any -M -p:any -r:??any -S:??any -u:any -w -x:??any", abbrev=False)
NETSTAT = opts(
    "-r|--route -i|--interfaces:?any -g|--groups -s|--statistics -M|--masquerade "
    "-v|--verbose -W|--wide -n|--numeric --numeric-hosts --numeric-ports --numeric-users "
    "-N|--symbolic -e|--extend -p|--programs -o|--timers -c|--continuous -l|--listening "
    "-a|--all -F|--fib -C|--cache -Z|--context -t|--tcp -u|--udp -U|--udplite -S|--sctp "
    "-w|--raw -x|--unix --ax25 --ipx --netrom -4|--inet -6|--inet6 -A|--protocol:any "
    "-T|--notrim -V|--version -h|--help")

#: by catalogue name
OPTS: dict[str, Opts] = {
    "zcat": ZCAT, "bzcat": BZCAT, "xzcat": XZCAT, "diff": DIFF, "cmp": CMP, "cat": CAT,
    "head": HEAD, "tail": TAIL, "strings": STRINGS, "od": OD, "hexdump": HEXDUMP, "nl": NL,
    "tac": TAC, "rev": REV, "cut": CUT, "tr": TR, "uniq": UNIQ, "comm": COMM, "join": JOIN,
    "paste": PASTE, "fold": FOLD, "fmt": FMT, "column": COLUMN, "expand": EXPAND,
    "unexpand": UNEXPAND, "base32": BASE32, **SUMS, "ls": LS, "ll": LS, "stat": STAT,
    "lsattr": LSATTR, "getfacl": GETFACL, "df": DF, "ps": PS, "lsof": LSOF,
    "netstat": NETSTAT,
}

#: tables that hold every option the tool has, none of which writes, runs, or reads
#: anything but metadata (the checksums' -c: names and OK/FAILED): words split at run time
#: or fed by xargs may become any of them (safe._options_inert), as before the tables
INERT: tuple[Opts, ...] = (*SUMS.values(), LS, STAT, LSATTR, GETFACL, DF)

# --- value kinds and checks (merged into safe.KINDS and safe.CHECKS) -------------------------
_COUNT = re.compile(r"[+-]?[0-9]{1,19}(?:[A-Za-z]{1,3})?")
KINDS: dict[str, Callable[[str], str | None]] = {
    # head/tail -n/-c: NUM, -NUM (all but the last), +NUM (from the NUMth), with a unit
    "count": lambda v: None if _COUNT.fullmatch(v) else f"{v!r} is not a count",
}


def _check_diff(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """diff reads every file of a directory operand: without -r the files of its top level
    (each one the other side names; -N or --unidirectional-new-file: every one, compared with
    nothing), with -r the whole tree. No operand may be, or lie above, a place secrets live
    (reveal.tree_holds_secrets, the test of grep -r and the rule secret.read-tree), and a
    recursive one may not be computed by the shell."""
    if pairs is None:
        return "diff without its option allow-list"
    recursive = any(k == "-r" for k, _ in pairs)
    for o in ops:
        if o == "-" or o.startswith("<("):
            continue  # stdin, or a pipe of commands judged on their own
        if tree_holds_secrets(o):
            return (f"reads every file of {o!r} if it is a directory, which holds secrets "
                    "(or climbs out of the working tree)")
        if recursive and ("$" in o or "`" in o):
            return f"compares a tree the shell computes ({o!r})"
    return None


#: lsof's ``+`` options (the parser takes them for operands): all select or format what it
#: lists (+D DIR lists the open files below DIR: names only); never +m (mount supplement)
_LSOF_PLUS = re.compile(r"\+(?:[cdDEeLMrw]|f[gG]?)[0-9]*")


def _check_lsof(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = next((o for o in ops if o.startswith("+") and not _LSOF_PLUS.fullmatch(o)), None)
    return f"lsof {bad} is not an option known to be harmless" if bad else None


CHECKS: dict[str, Check] = {"diff": _check_diff, "lsof": _check_lsof}

__all__ = ["CHECKS", "INERT", "KINDS", "OPTS"]
