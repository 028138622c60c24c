"""Looking at a host: performance, tracing, debugging, hardware, network and security state.
Known-safe shapes (tools/__init__.py).

What these tools can reveal decides their shapes more than what they change: a tracer that
attaches to a process prints what it reads and writes (a password, a token in an env file),
a packet capture prints what crosses the wire, an eBPF program reads any memory. So the
tracers are known safe only in modes that print names, counts and times, never data:
``strace`` with ``-c`` or a trace set of metadata system calls, ``ltrace -c``, ``perf`` with
frame-pointer stacks and no raw dumps, ``bpftrace`` programs made of counters and
aggregations only, ``tcpdump`` quiet or on ports whose payload it does not decode."""

from __future__ import annotations

import re

from ..options import Opts, opts, parse_opts
from ..parse import HYPERFINE_OPTS, SimpleCommand, unwrap_at
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words

#: a plain output file a tracer or profiler writes: in the working tree or in scratch, every
#: component a plain name (no dot-file, no ``..``), and a data suffix (never a script, a
#: config or a hook file, whatever its content: the traced program chose some of it)
_OUTPUT = re.compile(
    r"(?:/(?:var/)?tmp/)?(?:[A-Za-z0-9_][A-Za-z0-9_-]{0,63}+/){0,3}[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}"
    r"\.(?:out|txt|log|data|old|trace|strace|ltrace|pcap|csv|[0-9]{1,6})")


def _names(text: str) -> frozenset[str]:
    """A set of names written as a block of words."""
    return frozenset(text.split())


_PIDS = re.compile(r"[0-9]{1,9}(?:,[0-9]{1,9}){0,63}")


def _output_ok(v: str) -> str | None:
    return None if _OUTPUT.fullmatch(v) and ".." not in v else \
        f"writes {v!r}: not a plain data file in the working tree or /tmp"


#: options whose value is a process id list: ``-p "$(pgrep -d, -f app)"`` is one word (quoted)
#: that the tool reads as ids only (anything else is an error), from commands judged apart
_PID_OPTIONS = frozenset({"-p", "--pid", "--attach", "-t", "--tid"})


def _words_plain(c: SimpleCommand, upto: int) -> str | None:
    """The tool's own words (``argv[1:upto]``) are literal: no expansion or glob could make
    one several words, or an option of another meaning; a quoted substitution is one word
    only as a process id list's value."""
    for k in range(1, min(upto, len(c.argv))):
        dynamic = bool(c.dynamic) and k < len(c.dynamic) and c.dynamic[k]
        if dynamic and not c.splits(k) and c.argv[k - 1] in _PID_OPTIONS and \
                not c.globs(k):
            continue
        if dynamic or c.globs(k):
            return f"{c.argv[k]!r} is computed or a glob where the tool's own options are"
    return None


def _pids_ok(c: SimpleCommand, v: str) -> bool:
    """A process id list, or the quoted substitution _words_plain let through."""
    return bool(_PIDS.fullmatch(v)) or any(
        a == v and c.dynamic[k] for k, a in enumerate(c.argv) if k < len(c.dynamic))


def _own_options(c: SimpleCommand, o: Opts) -> tuple[Pairs, int | None] | str:
    """A launcher's own options (before the command it runs, as parse.unwrap_at finds it):
    each listed, and no operand among them (else the guard and the tool disagree on where
    the command starts). Returns the option pairs and where the command starts (None: it
    runs none)."""
    at, strings = unwrap_at(c)
    if strings:
        return "runs a shell string"
    upto = at if at is not None else len(c.argv)
    why = _words_plain(c, upto)
    if why:
        return why
    words = c.argv[1:upto]
    if words[-1:] == ("--",):
        words = words[:-1]
    p = parse_opts(o, words)
    if isinstance(p, str):
        return p
    if p.ops:
        return "its options and the command it runs are not told apart"
    return p.pairs, at


def _only_sleep(c: SimpleCommand, at: int | None) -> str | None:
    """A profiler's workload: none (``-p PID`` until interrupted) or ``sleep N`` (how long
    a system-wide or attached profile runs); any other program would run unjudged."""
    if at is None:
        return None
    rest = c.argv[at:]
    if rest[:1] == ("--",):
        rest = rest[1:]
    if len(rest) == 2 and rest[0] in ("sleep", "/bin/sleep", "/usr/bin/sleep") and \
            re.fullmatch(r"[0-9]{1,6}(?:\.[0-9]{1,3})?[smh]?", rest[1]) and \
            not any(c.dynamic[len(c.argv) - 2:] if c.dynamic else ()):
        return None
    return "runs a program the guard does not judge (only `sleep N` as the workload)"


# --- strace ------------------------------------------------------------------------------------
#: never -o |CMD / !CMD (pipes to a shell), -E (sets the traced command's environment), -u
#: (runs it as another user), -s (longer strings), -v (whole environments of execve), -e
#: read=/write= (full dumps of I/O), inject=/fault= (change what system calls return), -D
_STRACE = opts(
    "-c|--summary-only -C|--summary -f|--follow-forks -F --output-separately "
    "-t|--absolute-timestamps -T|--syscall-times -r|--relative-timestamps "
    "-y|--decode-fds:?word -k|--stack-trace -n|--syscall-number -i|--instruction-pointer "
    "-q|--quiet:?word -z|--successful-only -Z|--failed-only -w|--summary-wall-clock "
    "-x -X:word -a|--columns:num -S|--summary-sort-by:word -U|--summary-columns:any "
    "-O:num -I:num -b|--detach-on:word --seccomp-bpf -p|--attach:any -P|--trace-path:any "
    "-o|--output:any -e:any --trace:any --signal|--signals:any --status:any "
    "--decode-pids:word")
#: system calls whose arguments strace prints as names, numbers, flags and addresses, never
#: a data buffer (read/write/send/recv/msgsnd/keyctl... are left out: they print the data;
#: getrandom prints the random bytes a key is made of, mount its options' passwords)
_META_CALLS = _names("""
open openat openat2 creat close close_range access faccessat faccessat2 stat lstat fstat
newfstatat fstatat64 statx statfs fstatfs execve execveat clone clone3 fork vfork wait4
waitid exit exit_group kill tgkill tkill connect accept accept4 bind listen socket
socketpair shutdown getsockname getpeername poll ppoll select pselect6 epoll_wait
epoll_pwait epoll_pwait2 epoll_ctl epoll_create epoll_create1 futex nanosleep
clock_nanosleep mmap munmap mprotect mremap brk madvise chdir fchdir getcwd unlink unlinkat
rename renameat renameat2 mkdir mkdirat rmdir chmod fchmod fchmodat chown fchown fchownat
lchown fsync fdatasync sync syncfs dup dup2 dup3 pipe pipe2 fcntl flock lseek getdents
getdents64 readlink readlinkat truncate ftruncate sched_yield sendfile splice
inotify_init inotify_init1 inotify_add_watch inotify_rm_watch eventfd eventfd2
timerfd_create timerfd_settime signalfd signalfd4 rt_sigaction rt_sigprocmask rt_sigreturn
sigaltstack getpid getppid gettid getuid geteuid getgid getegid setuid setgid setsid
prctl arch_prctl set_tid_address set_robust_list rseq prlimit64 getrlimit setrlimit
getrusage sysinfo uname umask umount2 fallocate io_uring_setup
io_uring_enter sched_getaffinity sched_setaffinity membarrier capget capset
""")
#: strace's classes of calls that print no data (never %desc, %net, %network, %ipc: they
#: hold read, recv and msgrcv; never %file: it holds mount (its options: a CIFS password)
#: and getxattr/setxattr (values); name the file calls instead: openat,stat,execve...)
_META_CLASSES = frozenset({"process", "signal", "memory", "stat", "lstat", "fstat",
                           "%stat", "statfs", "fstatfs", "%statfs", "clock", "creds",
                           "pure"})
_TRACE_QUAL = frozenset({"trace", "t"})
_QUIET_QUAL = frozenset({"signal", "signals", "s", "status", "quiet", "silent", "silence",
                         "q", "decode-fds", "decode-pids", "kvm"})


def _trace_set_ok(v: str) -> bool:
    if not v or v.startswith("!") or "/" in v:
        return False  # a negation traces all else; a regular expression anything
    for name in v.split(","):
        name = name.lstrip("?")
        if name.startswith("%"):
            if name[1:] not in _META_CLASSES and name != "%%stat" and name != "%%statfs":
                return False
        elif name not in _META_CALLS and name not in _META_CLASSES and name != "none":
            return False
    return True


def _check_strace(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    got = _own_options(c, _STRACE)
    if isinstance(got, str):
        return got
    own, at = got
    own = own or ()
    summary = any(k == "-c" for k, _ in own)
    if at is None and not any(k == "-p" for k, _ in own):
        return "strace with neither a command nor -p"
    traced = False
    for k, v in own:
        if v is None:
            continue
        if k == "-o":
            why = _output_ok(v)
            if why:
                return why
        if k == "-p" and not _pids_ok(c, v):
            return f"-p {v!r} is not a list of process ids"
        if k in ("-e", "--trace", "--signal", "--status"):
            if k == "-e":
                qual, eq, val = v.partition("=")
                if not eq:
                    qual, val = "trace", qual
            else:
                qual, val = k[2:], v
            if qual in _TRACE_QUAL:
                if not summary and not _trace_set_ok(val):
                    return f"the trace set {val!r} prints data (read, write, send...)"
                traced = True
            elif qual not in _QUIET_QUAL:
                return f"-e {qual}= (never read=/write= dumps, inject=, fault=, verbose=, " \
                       "abbrev=, raw=)"
    if not summary and not traced:
        return "strace without -c traces every call, read and write data included"
    return None


# --- ltrace ------------------------------------------------------------------------------------
#: a summary of library calls (-c) only: without it every call prints its arguments (the
#: strings a program compares, getenv's values); never -s, -F (a config file), -u, -o |...
_LTRACE = opts("-c -f -S -T -t -r -C|--demangle -i -p:any -o|--output:any "
               "-e:pattern -l|--library:any -x:pattern -L -w|--where:num -n|--indent:num "
               "-a|--align:num")


def _check_ltrace(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    got = _own_options(c, _LTRACE)
    if isinstance(got, str):
        return got
    own, at = got
    own = own or ()
    if not any(k == "-c" for k, _ in own):
        return "ltrace without -c prints every call's arguments (strings, getenv values)"
    if at is None or any(k == "-p" for k, _ in own):
        # ltrace patches breakpoints into the process's code: killed before it detaches
        # (the session ends, a timeout -s KILL), it leaves them, and the process dies of
        # SIGTRAP at its next library call; only a command of its own
        return "ltrace attached to a running process (its breakpoints stay if ltrace dies)"
    for k, v in own:
        if k == "-o" and v is not None:
            why = _output_ok(v)
            if why:
                return why
    return None


# --- numactl -----------------------------------------------------------------------------------
#: the NUMA layout, or a placement policy for a command (judged on its own); values only
#: attached (``--membind=0``): parse.unwrap_at splits numactl's words with no option taking a
#: separate value
_NUMACTL = opts("-H|--hardware -s|--show -N|--cpunodebind:any -m|--membind:any "
                "-C|--physcpubind:any -i|--interleave:any -p|--preferred:any -l|--localalloc "
                "-a|--all -b|--balancing")


def _check_numactl(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    got = _own_options(c, _NUMACTL)
    if isinstance(got, str):
        return got
    own, at = got
    own = own or ()
    query = {k for k, _ in own} & {"-H", "-s"}
    if at is None and not query:
        return "numactl with no command and no query"
    if at is not None and query:
        return "numactl's query with a command"
    for k, v in own:
        if v is not None and not re.fullmatch(r"[0-9,!+a-z-]{1,64}", v):
            return f"{k} {v!r}"
    return None


# --- perf --------------------------------------------------------------------------------------
_PERF_TARGET = ("-p|--pid:any -t|--tid:any -a|--all-cpus -C|--cpu:any -u|--uid:word "
                "-G|--cgroup:any -e|--event:any -i|--no-inherit -v|--verbose -q|--quiet ")
#: never --pre/--post (run commands), --control (a fifo of commands), --log-fd
_PERF_STAT = opts(_PERF_TARGET + "-d|--detailed -r|--repeat:num -I|--interval-print:num "
                  "-A|--no-aggr -x|--field-separator:any -o|--output:write --append "
                  "--per-socket --per-die --per-core --per-thread --per-node -M|--metrics:any "
                  "--topdown --td-level:num -n|--null --no-big-num -B|--big-num "
                  "-j|--json-output --timeout:num -D|--delay:num --all-kernel --all-user "
                  "--metric-only --no-merge -T|--transaction -S|--sync", abbrev=False)
#: stacks by frame pointers or LBR, never --call-graph dwarf (copies each sample's user
#: stack, memory of the process, into the file), --user-regs/--intr-regs, --kcore (copies
#: kernel memory), --switch-output/--control, -o onto anything but a data file
_PERF_RECORD = opts(_PERF_TARGET + "-F|--freq:any -g --call-graph:word -o|--output:any "
                    "-c|--count:num -z|--compression-level:?num -m|--mmap-pages:any "
                    "-s|--stat -T|--timestamp -d|--data -b|--branch-any -j|--branch-filter:any "
                    "-N|--no-buildid-cache -B|--no-buildid --sample-cpu -P|--period "
                    "-D|--delay:num -R|--raw-samples --running-time --proc-map-timeout:num "
                    "--max-size:any -W|--weight --phys-data --data-page-size", abbrev=False)
_PERF_INPUT = "-i|--input:any -f|--force -v|--verbose -q|--quiet --comm:any --pid:any " \
    "--tid:any --cpu:any --ns "
#: --stdio only (the TUI runs scripts and annotation from keys); never --objdump,
#: --addr2line (programs), --symfs, -D (raw sample dumps: user stacks)
_PERF_REPORT = opts(_PERF_INPUT + "--stdio -s|--sort:any -F|--fields:any -n|--show-nr-samples "
                    "-T|--threads --children --no-children -g|--call-graph:?any "
                    "--percent-limit:any --max-stack:num -G|--inverted -S|--symbols:any "
                    "--dsos|-d:any --header --header-only --group -I|--show-info "
                    "--percentage:word --sort-by:any --no-demangle --stdio-color:word "
                    "-U|--hide-unresolved -k|--vmlinux:any --ignore-vmlinux -x|--exclude-other "
                    "--time:any --stats --tasks --mmaps", abbrev=False)
#: never -s/--script or an operand (runs a perl/python script), -g/--gen-script (writes
#: one), -D, --xed; -F fields only from the list
_PERF_SCRIPT = opts(_PERF_INPUT + "-F|--fields:any -G|--hide-call-graph -S|--symbols:any "
                    "--reltime --deltatime -k|--vmlinux:any --show-task-events "
                    "--show-mmap-events --show-switch-events --show-lost-events "
                    "--show-round-events --header --header-only --demangle --no-demangle "
                    "--max-stack:num --time:any -L|--Latency -l|--list", abbrev=False)
_PERF_FIELDS = frozenset({"comm", "tid", "pid", "time", "cpu", "event", "trace", "ip", "sym",
                          "dso", "addr", "symoff", "srcline", "period", "flags", "callindent",
                          "ipc", "misc", "tod", "cgroup", "weight", "phys_addr", "data_page_size",
                          "code_page_size", "retire_lat", "cpumode", "ins_lat"})
_PERF_TOP = opts(_PERF_TARGET + "--stdio -F|--freq:any -d|--delay:num -E|--entries:num "
                 "-K|--hide_kernel_symbols -U|--hide_user_symbols -z|--zero "
                 "-s|--sort:any -g --call-graph:word --percent-limit:any --max-stack:num "
                 "-n|--show-nr-samples --children --no-children -c|--count:num",
                 abbrev=False)
#: a summary of system calls (-s) only: perf trace without it prints each call's arguments
_PERF_TRACE = opts(_PERF_TARGET + "-s|--summary --duration:num --syscalls --no-syscalls "
                   "-T|--time --max-events:num", abbrev=False)
_PERF_SCHED = opts(_PERF_INPUT + "-s|--summary -S|--with-summary -w|--wakeups "
                   "-M|--migrations -V|--cpu-visual -I|--idle-hist --state --max-stack:num "
                   "-g|--call-graph --time:any -p|--pids -t|--tids", abbrev=False)


#: an event list: names, tracepoints, PMU terms (``cpu/event=0x3c/``); never a BPF source or
#: object file (``-e prog.c`` compiles and loads it into the kernel), never a path
_BPF_EVENT_FILE = re.compile(r"\.(?:c|o|bpf|obj)(?:[,:/]|$)|(?:^|,)[./~]")


def _events_why(v: str) -> str | None:
    return f"event {v!r}: a BPF program file or a path" if _BPF_EVENT_FILE.search(v) else None


def _check_perf_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """perf stat/record/trace/top: listed options, and a workload of ``sleep N`` at most."""
    sub = next((i for i, a in enumerate(c.argv) if i > 0 and not a.startswith("-")), None)
    if sub is None or c.argv[sub] not in ("stat", "record", "trace", "top"):
        return "no subcommand"
    word = c.argv[sub]
    o = {"stat": _PERF_STAT, "record": _PERF_RECORD, "trace": _PERF_TRACE,
         "top": _PERF_TOP}[word]
    words = c.argv[sub + 1:]
    # the options end at the first operand (perf's parser stops there: the workload)
    k = 0
    while k < len(words) and words[k].startswith("-") and words[k] != "--":
        p = parse_opts(o, words[k:k + 1])
        if isinstance(p, str):
            p2 = parse_opts(o, words[k:k + 2])
            if isinstance(p2, str):
                return p2
            if p2.ops:
                return p
            k += 2
        else:
            k += 1
    p = parse_opts(o, words[:k])
    if isinstance(p, str):
        return p
    at = sub + 1 + k
    why = _words_plain(c, at)
    if why:
        return why
    if at < len(c.argv):
        why = _only_sleep(c, at)
        if why:
            return why
    for key, v in p.pairs:
        if v is None:
            continue
        if key == "-o":
            why = _output_ok(v)
            if why:
                return why
        if key == "-e":
            why = _events_why(v)
            if why:
                return why
        if key == "--call-graph" and v.split(",")[0] not in ("fp", "lbr"):
            return f"--call-graph {v}: only fp or lbr (dwarf copies each sample's stack)"
        if key in ("-p", "-t") and not _pids_ok(c, v):
            return f"{key} {v!r} is not a list of process ids"
    if word == "trace" and not any(k2 == "-s" for k2, _ in p.pairs):
        return "perf trace without -s prints each call's arguments"
    if word == "top" and not any(k2 == "--stdio" for k2, _ in p.pairs):
        return "perf top's TUI takes commands from the agent's keys"
    return None


def _check_perf_read(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """perf report/script/sched: --stdio for report, -F fields from the list, no operand
    (a script's name)."""
    if ops:
        return "an operand (perf script runs a script by its name)"
    sub = next((a for a in c.argv[1:] if not a.startswith("-")), "")
    for k, v in pairs or ():
        if k == "-F" and v is not None and sub == "script":
            for f in v.split(","):
                name = f.lstrip("+-").split(":")[-1]
                if name and name not in _PERF_FIELDS:
                    return f"perf script field {name!r} (registers, raw data, source text)"
        if k == "-g" and v is not None and v.split(",")[0] not in ("graph", "flat", "fractal",
                                                                    "folded", "none",
                                                                    "caller", "callee"):
            return f"-g {v!r}"
    if sub == "report" and not any(k == "--stdio" for k, _ in pairs or ()):
        return "perf report's TUI runs scripts and annotation from the agent's keys"
    return None


_PERF_RUN = Shape(check="perf-run", dynamic_ok=True, secrets_ok=True)
PERF = Tool(allow=opts("--no-pager"), sub={
    "stat": _PERF_RUN, "record": _PERF_RUN, "trace": _PERF_RUN, "top": _PERF_RUN,
    "report": Shape(check="perf-read", allow=_PERF_REPORT),
    "script": Shape(check="perf-read", allow=_PERF_SCRIPT),
    "sched": Tool(allow=opts(""), sub={n: Shape(check="perf-read", allow=_PERF_SCHED)
                                       for n in ("timehist", "latency", "map")}),
    "list": Shape(check="plain-words", allow=opts("-d|--desc --long-desc -v|--verbose "
                                                  "-j|--json --details --deprecated")),
    "evlist": Shape(max_operands=0, allow=opts("-i|--input:any -v|--verbose -g|--group "
                                               "-F|--freq")),
    "version": Shape(max_operands=0, allow=opts("--build-options")),
    "--version": ANY, "-v": ANY})


def _check_plain_words(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_:.*?-]{1,128}", o):
            return f"{o!r} is not an event name or pattern"
    return None


# --- bpftrace ----------------------------------------------------------------------------------
#: what a program may name: counters, aggregations and the context's numbers and names;
#: never str/buf/uptr/kptr/reg/cat/system/signal/override (read memory, a file, registers,
#: run, kill, change a return), never ``*`` (a dereference), casts or ``#include``
_BPF_NAMES = _names("""
count sum avg min max stats hist lhist delete clear zero print printf exit time
comm pid tid uid gid cpu nsecs elapsed kstack ustack func probe retval args arg0 arg1 arg2
arg3 arg4 arg5 cgroup ksym usym ntop if else return numaps strftime sizeof
""")
_BPF_TOKEN = re.compile(
    r"//[^\n]{0,4096}|@[A-Za-z0-9_]{0,64}|\$[A-Za-z_][A-Za-z0-9_]{0,63}|[A-Za-z_][A-Za-z0-9_]{0,63}|"
    r"0x[0-9a-fA-F]{1,16}|[0-9]{1,20}|\"(?:[^\"\\\n]|\\[nt\\\"]){0,512}\"|->|==|!=|<=|>=|&&|"
    r"\|\||\+\+|--|[-+/%<>=!{}()\[\];,.:]")
#: one probe: BEGIN/END or a provider with its target (never watchpoint, asyncwatchpoint)
_BPF_PROBE = re.compile(
    r"BEGIN|END|(?:tracepoint|t|kprobe|k|kretprobe|kr|kfunc|f|kretfunc|fr|fentry|fexit|"
    r"rawtracepoint|rt|profile|p|interval|i|software|s|hardware|h|usdt|U|uprobe|u|uretprobe|"
    r"ur):[A-Za-z0-9_:./*+-]{1,256}")
#: what may follow ``args``: ``->field`` or ``.field`` (spaces skipped before it)
_BPF_FIELD = re.compile(r"(?:->|\.)[ \t]{0,8}([A-Za-z_][A-Za-z0-9_]{0,63})")
#: str() of a tracepoint's path argument only (never a buffer, never a computed pointer)
_BPF_PATH_ARG = re.compile(r"\([ \t]{0,8}args[ \t]{0,8}(?:->|\.)[ \t]{0,8}"
                           r"(?:filename|pathname|oldname|newname)[ \t]{0,8}\)")


#: what ends an operand: a ``*`` after one multiplies; anywhere else it dereferences
_BPF_OPERAND_END = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}|@[A-Za-z0-9_]{0,64}|"
                              r"\$[A-Za-z_][A-Za-z0-9_]{0,63}|0x[0-9a-fA-F]{1,16}|[0-9]{1,20}|"
                              r"[)\]]")


def _skip_space(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i


def bpftrace_program_why(text: str) -> str | None:
    """None when a bpftrace program only counts, aggregates and prints the context's names
    and numbers; else why not."""
    n = len(text)
    if n > 4096:
        return "a long program"
    i = _skip_space(text, 0)
    while i < n:
        while True:  # a probe, or several separated by commas
            m = _BPF_PROBE.match(text, i)
            if not m:
                return f"a probe the shape does not know at {text[i:i + 20]!r}"
            i = _skip_space(text, m.end())
            if text[i:i + 1] != ",":
                break
            i = _skip_space(text, i + 1)
        depth, started, prev = 0, False, ""
        while i < n:
            if text[i].isspace():
                i = _skip_space(text, i)
                continue
            if text[i] == "*" and _BPF_OPERAND_END.fullmatch(prev):
                prev = "*"  # a product (``args->nr_sector * 512``), never a dereference
                i += 1
                continue
            t = _BPF_TOKEN.match(text, i)
            if not t:
                return f"{text[i:i + 10]!r} (a dereference, cast or directive)"
            tok = t.group(0)
            prev = tok
            i = t.end()
            if tok.startswith("//"):
                continue
            if tok == "str":
                f = _BPF_PATH_ARG.match(text, _skip_space(text, i))
                if not f:
                    return "str() of anything but a tracepoint's path argument"
                i = f.end()
                continue
            if tok[0].isalpha() or tok[0] == "_":
                if tok not in _BPF_NAMES:
                    return f"{tok!r} is not a counter, an aggregation or a context value"
                if tok == "args":
                    f = _BPF_FIELD.match(text, _skip_space(text, i))
                    if not f:
                        return "args as a whole"
                    i = _skip_space(text, f.end())
                    if text[i:i + 1] in ("[", ".") or text[i:i + 2] == "->":
                        return "a field of a field (a pointer followed)"
                continue
            if tok in ("->", "."):
                return "a pointer followed"
            if tok == "{":
                depth += 1
                started = True
            elif tok == "}":
                depth -= 1
                if depth == 0:
                    break
        if not started or depth != 0:
            return "an unbalanced program"
        i = _skip_space(text, i)
    return None


#: -l lists probes; -e with a counting program; never -c (runs a command), -o (writes),
#: --unsafe, -I/--include (reads files), a program file
_BPFTRACE = opts("-l -e:any -p:num -v -q -k -kk -f:word -B:word -d:?word --dry-run "
                 "-V|--version --no-warnings")


def _check_bpftrace(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    listing = any(k == "-l" for k, _ in pairs or ())
    program = [v for k, v in pairs or () if k == "-e"]
    if listing:
        if program or len(ops) > 1:
            return "-l with a program"
        return None if not ops or re.fullmatch(r"[A-Za-z0-9_:*.?/-]{1,200}", ops[0]) else \
            f"{ops[0]!r} is not a probe pattern"
    if ops:
        return "a program file or a command (only -e with a counting program)"
    if not program:
        return None if any(k == "-V" for k, _ in pairs or ()) else "no program"
    if len(program) != 1 or program[0] is None:
        return "more than one program"
    return bpftrace_program_why(program[0])


# --- bcc tools ---------------------------------------------------------------------------------
#: bcc's tools that print names, counts, latencies and stacks; never bashreadline, sslsniff,
#: ttysnoop (what was typed, decrypted, shown), trace/argdist (print any argument's memory),
#: mountsnoop (mount options: a CIFS password),
#: dbslower/mysqld_qslower (query text), memleak (-c runs a command), inject
_BCC = ("execsnoop", "opensnoop", "biolatency", "biosnoop", "biotop", "bitesize", "tcpconnect",
        "tcpaccept", "tcplife", "tcpretrans", "tcptop", "tcpstates", "runqlat", "runqlen",
        "cpudist", "profile", "offcputime", "offwaketime", "wakeuptime", "cachestat",
        "ext4slower", "xfsslower", "ext4dist", "xfsdist", "filelife", "killsnoop", "statsnoop",
        "syncsnoop", "oomkill", "capable", "gethostlatency", "hardirqs",
        "softirqs", "llcstat", "funccount", "funclatency", "stackcount", "vfsstat",
        "vfscount", "syscount", "solisten", "drsnoop", "dcsnoop", "dcstat", "exitsnoop",
        "threadsnoop", "biopattern", "cpuunclaimed", "pidpersec", "tcpsynbl", "readahead")
#: bare names that are also brendangregg/perf-tools' ftrace scripts of the same purpose
_BCC_BARE = ("execsnoop", "opensnoop", "biolatency", "biosnoop", "tcplife", "tcpretrans",
             "runqlat", "cachestat", "offcputime", "funccount", "syscount", "killsnoop",
             "ext4slower", "tcpconnect", "tcpaccept", "oomkill", "biotop", "gethostlatency")
_BCC_OPTS = opts(
    "-p|--pid:num -t|--timestamp|--tid -T|--time -U|--print-uid|--user-stacks-only "
    "-u|--uid:num -x|--fails "
    "-n|--name:any -l|--line:any -q|--quote -m|--milliseconds -M|--microseconds -D|--disks "
    "-Q|--queued -F|--frequency:num -f|--folded -C|--cpu:num -a|--all -P|--pids "
    "-L|--tids|--lport:any -c|--count -d|--duration:num -K|--kernel-stacks-only "
    "-r|--regexp -i|--interval:num -s|--sort:word -j|--csv "
    "-4|--ipv4 -6|--ipv6 -e|--extended_fields -N|--no-header --max-args:num -v|--verbose "
    "-E|--ebpf -w|--wide -b|--buffer-pages:num -I|--include-idle -S|--state",
    abbrev=False)


def _check_bcc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_:.*?+][A-Za-z0-9_:.*?+-]{0,127}", o):
            return f"{o!r} is not an interval, a count or a function pattern"
    return None


# --- tcpdump -----------------------------------------------------------------------------------
#: never -w/-C/-G/-W (payloads into a file: any reader shows them), -z (runs a program after
#: each file), -Z, -F (a filter file), -A/-X/-x (payloads printed), -E/-M (secrets on the
#: line), -T (decodes a port as another protocol), -V (a list of files)
_TCPDUMP = opts("-i|--interface:any -n -N -c:num -q -v -e -t -l -p|--no-promiscuous-mode "
                "-s|--snapshot-length:num -S "
                "--immediate-mode -U|--packet-buffered -D|--list-interfaces "
                "-L|--list-data-link-types -y|--linktype:word -Q|--direction:word -# "
                "--number -r:any -B|--buffer-size:num -j|--time-stamp-type:word "
                "--time-stamp-precision:word -K|--dont-verify-checksums -O|--no-optimize "
                "--print --version -f")
#: ports whose packets tcpdump shows without any payload at default verbosity (encrypted,
#: or no dissector prints their content); 21, 25, 80, 110, 143, 161, 389, 554, 5060, 6379,
#: 8080... print request lines, commands, community strings
_QUIET_PORTS = frozenset({"22", "53", "123", "443", "465", "636", "853", "993", "995",
                          "3306", "5432", "5671", "6443", "8443", "9093", "2376", "10250"})
_FILTER_WORDS = frozenset({"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "and", "&&",
                           "src", "dst", "host", "net", "port"})


def _filter_quiet(words: list[str]) -> bool:
    """A capture filter that passes only packets of ports in _QUIET_PORTS (or ARP/ICMP):
    words joined by ``and`` only (``or``/``not`` widen it), every ``port`` one of them."""
    if not words:
        return False
    ported = False
    k = 0
    while k < len(words):
        w = words[k]
        if w not in _FILTER_WORDS:
            return False
        if w in ("host", "net"):
            if k + 1 >= len(words) or not re.fullmatch(r"[A-Za-z0-9_.:/-]{1,253}", words[k + 1]):
                return False
            k += 2
            continue
        if w == "port":
            if k + 1 >= len(words) or words[k + 1] not in _QUIET_PORTS:
                return False
            ported = True
            k += 2
            continue
        k += 1
    return ported or set(words) <= {"arp", "icmp", "icmp6", "and", "&&"}


#: a capture filter that selects by address, port and protocol only: never byte offsets
#: (``tcp[40:1] > 0x60``), lengths or masks of payload, which make the count of packets a
#: patient agent sees an oracle on their content (a password, byte by byte)
_FILTER_KEYWORDS = frozenset({"tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "rarp", "sctp",
                              "and", "or", "not", "&&", "||", "!", "src", "dst", "ether",
                              "broadcast", "multicast", "inbound", "outbound", "vlan"})
_FILTER_VALUED = frozenset({"host", "net", "port", "portrange", "mask", "vlan"})
_FILTER_VALUE = re.compile(r"[A-Za-z0-9_.:/-]{1,253}")


def filter_words(ops: Words) -> list[str] | None:
    """A capture filter's words (parentheses apart), or None when it tests anything but
    addresses, ports and protocols."""
    words = [w for o in ops for w in o.replace("(", " ( ").replace(")", " ) ").split()]
    k = 0
    while k < len(words):
        w = words[k]
        if w in _FILTER_VALUED and k + 1 < len(words) and _FILTER_VALUE.fullmatch(
                words[k + 1]) and words[k + 1] not in _FILTER_KEYWORDS:
            k += 2
            continue
        if w not in _FILTER_KEYWORDS and w not in ("(", ")"):
            return None
        k += 1
    return words


def _check_tcpdump(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    flags = {k for k, _ in pairs or ()}
    if flags & {"-D", "-L", "--version"}:
        return None
    filt = filter_words(ops)
    if filt is None:
        return "a filter on packet bytes or lengths (their count is an oracle on content)"
    if "-q" in flags and "-v" not in flags:
        return None
    if _filter_quiet(filt):
        return None
    return "tcpdump prints what some protocols carry (request lines, FTP/IMAP/POP commands, " \
        "SNMP communities): -q, or a filter of ports it does not decode"


# --- load generators against this host ---------------------------------------------------------
_LOOP_URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?"
                       r"(?:/[^\s@]*)?")
_MAX_REQUESTS, _MAX_CONNS, _MAX_SECONDS = 100_000, 512, 600


def _seconds(v: str) -> float | None:
    m = re.fullmatch(r"([0-9]{1,6})(ms|s|m|h)?", v)
    if not m:
        return None
    return int(m.group(1)) * {"ms": 0.001, "s": 1, None: 1, "m": 60, "h": 3600}[m.group(2)]


def _check_load(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """ab, wrk, hey: one URL of this host, a bounded number of requests, connections,
    threads and seconds (a load test, not a flood)."""
    if len(ops) != 1 or not _LOOP_URL.fullmatch(ops[0]):
        return "a load test against a URL that is not this host's"
    duration = {"ab": ("-t",), "wrk": ("-d",), "hey": ("-z",)}[c.name]
    for k, v in pairs or ():
        if v is None:
            continue
        if k == "-n" and not (v.isdigit() and int(v) <= _MAX_REQUESTS):
            return f"-n {v}: more than {_MAX_REQUESTS} requests"
        if k == "-c" and not (v.isdigit() and int(v) <= _MAX_CONNS):
            return f"-c {v}: more than {_MAX_CONNS} connections"
        if k == "-t" and c.name == "wrk" and not (v.isdigit() and int(v) <= 64):
            return f"-t {v}: more than 64 threads"
        if k in duration:
            s = _seconds(v)
            if s is None or s > _MAX_SECONDS:
                return f"{k} {v}: longer than {_MAX_SECONDS} s"
        if k == "-m" and v.upper() not in ("GET", "HEAD"):
            return f"-m {v}: a method that changes something"
    return None


#: never -p/-u (send a file), -m (a method), -X (a proxy), -g/-e (write files)
_AB = opts("-n:num -c:num -t:num -s:num -k -H:any -C:any -q -l -r -d -S -i -v:num -w "
           "-A:any -f:word -Z:any")
#: never -s (a Lua script)
_WRK = opts("-t|--threads:num -c|--connections:num -d|--duration:any --timeout:any "
            "-H|--header:any --latency -v|--version")
#: never -d/-D (a body, from a file), -x (a proxy), -T (only with a body)
_HEY = opts("-n:num -c:num -q:num -z:any -t:num -m:word -H:any -A:any -a:any -host:any "
            "-disable-compression -disable-keepalive -disable-redirects -h2 -o:word -cpus:num",
            "go")


# --- hardware ----------------------------------------------------------------------------------
_DEVICE = re.compile(r"/dev/(?:sd[a-z]{1,2}|hd[a-z]|vd[a-z]|xvd[a-z]|nvme[0-9]{1,3}"
                     r"(?:n[0-9]{1,3})?|nvme-fabrics|sg[0-9]{1,3}|mmcblk[0-9]{1,3}|md[0-9]{1,3}|"
                     r"dm-[0-9]{1,3}|disk/by-(?:id|path|uuid|label)/[A-Za-z0-9_.:+-]{1,128}|"
                     r"mapper/[A-Za-z0-9_.+-]{1,128})(?:p?[0-9]{1,3})?")


def _check_device(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Operands are whole block devices by name: the tool reads their metadata (ioctls,
    identify data, partition tables), never their blocks to the output."""
    for o in ops:
        if not _DEVICE.fullmatch(o):
            return f"{o!r} is not a disk device"
    return None


def _check_hdparm(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return "hdparm without a device" if not ops else _check_device(c, rest, ops, pairs)


def _check_fdisk(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not {k for k, _ in pairs or ()} & {"-l", "-x"}:
        return "fdisk without -l edits a partition table from the agent's keys"
    return _check_device(c, rest, ops, pairs)


def _check_udev_name(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in [*ops, *(v for k, v in pairs or () if k in ("-n", "-p") and v)]:
        if not (_DEVICE.fullmatch(o) or re.fullmatch(r"(?:/sys)?/(?:devices|class|block|bus)"
                                                     r"/[A-Za-z0-9_.:/+-]{1,200}", o) or
                re.fullmatch(r"[A-Za-z0-9_.:+-]{1,64}", o)) or ".." in o:
            return f"{o!r} is not a device"
    return None


def _check_blockdev(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not pairs:
        return "blockdev with no query"
    return _check_device(c, rest, ops, pairs)


_NVME_READ = Shape(check="device", secrets_ok=True, max_operands=1, allow=opts(
    "-o|--output-format:word -H|--human-readable -v|--verbose -n|--namespace-id:num "
    "-e|--log-entries:num -b|--raw-binary -V|--vendor-specific", abbrev=False))

# --- hardware management controllers -----------------------------------------------------------
_IPMI_LIST = Shape(max_operands=0, allow=opts(""))
_IPMI_BARE = Tool(allow=opts(""), sub={"list": _IPMI_LIST}, bare=_IPMI_LIST)
#: local interface only: never -H/-U/-P/-f/-E/-k/-K/-y/-L (another BMC, credentials on the
#: line or in a file), -I (an interface name is only the start of that); read verbs only:
#: never chassis power, raw, sel clear, mc reset, user set, lan set, sensor thresh, sdr dump
IPMITOOL = Tool(allow=opts("-c -v"), sub={
    "sensor": Tool(allow=opts(""), sub={"list": _IPMI_LIST,
                                       "get": Shape(max_operands=8, allow=opts(""))},
                   bare=_IPMI_LIST),
    "sdr": Tool(allow=opts(""), sub={
        "list": Shape(max_operands=1, allow=opts("")),
        "elist": Shape(max_operands=1, allow=opts("")),
        "type": Shape(max_operands=1, allow=opts("")), "info": _IPMI_LIST}, bare=_IPMI_LIST),
    "sel": Tool(allow=opts(""), sub={"list": Shape(max_operands=2, allow=opts("")),
                                    "elist": Shape(max_operands=2, allow=opts("")),
                                    "info": _IPMI_LIST}, bare=_IPMI_LIST),
    "fru": Tool(allow=opts(""), sub={"print": Shape(max_operands=1, allow=opts("")),
                                    "list": _IPMI_LIST}, bare=_IPMI_LIST),
    "chassis": Tool(allow=opts(""), sub={"status": _IPMI_LIST,
                                        "power": Tool(allow=opts(""), sub={
                                            "status": _IPMI_LIST})}),
    "power": Tool(allow=opts(""), sub={"status": _IPMI_LIST}),
    "mc": Tool(allow=opts(""), sub={"info": _IPMI_LIST, "guid": _IPMI_LIST}),
    "lan": Tool(allow=opts(""), sub={"print": Shape(max_operands=1, allow=opts(""))}),
    "user": Tool(allow=opts(""), sub={"list": Shape(max_operands=1, allow=opts(""))}),
    "dcmi": Tool(allow=opts(""), sub={"power": Tool(allow=opts(""), sub={
        "reading": _IPMI_LIST})}),
    "-V": ANY})


# --- status tools with subcommands -------------------------------------------------------------
_NOPAGE = "--no-pager --no-legend -l|--full "
#: a crash's record: never dump/debug/gdb (the process's memory), -o, -F (any journal field,
#: its environment among them), --debugger, --file/-D/--root (other journals)
_COREDUMP = Shape(allow=opts(_NOPAGE + "-q|--quiet -r|--reverse -S|--since:any "
                             "-U|--until:any -n:num -1 --json:word", abbrev=False))
COREDUMPCTL = Tool(allow=opts(_NOPAGE + "-q|--quiet", abbrev=False), bare=_COREDUMP,
                   sub={"list": _COREDUMP, "info": _COREDUMP, "--version": ANY})
#: never -H/-M/--address (another machine), call/set-property/emit/introspect/get-property
#: (calls, changes, reads of properties: a unit's Environment among them), monitor/capture
BUSCTL = Tool(allow=opts("--no-pager --no-legend --system --user -l|--full", abbrev=False),
              sub={"list": Shape(max_operands=0, allow=opts(
                  "--no-pager --no-legend --acquired --activatable --unique --show-machine "
                  "-l|--full --json:word --system --user", abbrev=False)),
                   "status": Shape(max_operands=1, allow=opts(
                       "--no-pager --system --user -l|--full", abbrev=False)),
                   "--version": ANY})
_LOCALE_READ = Shape(max_operands=0, allow=opts("--no-pager"))
LOCALECTL = Tool(allow=opts("--no-pager --no-ask-password"), bare=_LOCALE_READ, sub={
    n: _LOCALE_READ for n in ("status", "list-locales", "list-keymaps", "list-x11-keymap-models",
                              "list-x11-keymap-layouts", "list-x11-keymap-variants",
                              "list-x11-keymap-options")})
#: links and their state; never cat/edit (a .network file holds a WireGuard private key),
#: reload/reconfigure/up/down/renew/forcerenew/delete
_NETWORKCTL_READ = Shape(check="plain-words", allow=opts(
    "--no-pager --no-legend -a|--all -s|--stats -l|--full -n|--lines:num --json:word",
    abbrev=False))
NETWORKCTL = Tool(allow=opts("--no-pager --no-legend -a|--all -s|--stats -l|--full "
                             "--json:word", abbrev=False),
                  bare=_NETWORKCTL_READ,
                  sub={"list": _NETWORKCTL_READ, "status": _NETWORKCTL_READ,
                       "lldp": _NETWORKCTL_READ, "--version": ANY})
#: listing only: never -a/-m/-d/-D/-E (change policy), -S (a store), export (all local
#: customizations at once is fine but import reads a file: both left out)
_SEMANAGE_LIST = Shape(max_operands=0, allow=opts("-l|--list -n|--noheading -C|--locallist"),
                       check="list-mode")
SEMANAGE = Tool(allow=opts(""), sub={n: _SEMANAGE_LIST for n in (
    "port", "fcontext", "boolean", "login", "user", "interface", "node", "module",
    "permissive", "ibpkey", "ibendport", "dontaudit")})
_CPUPOWER_INFO = Shape(max_operands=0, allow=opts(
    "-e|--debug -f|--freq -w|--hwfreq -l|--hwlimits -d|--driver -p|--policy -g|--governors "
    "-r|--related-cpus -a|--affected-cpus -s|--stats -y|--latency -o|--proc -m|--human "
    "-n|--no-rounding -c|--perf"))
#: frequency, idle states and hints; never frequency-set/idle-set/set (change them),
#: monitor (runs a command)
CPUPOWER = Tool(allow=opts("-c|--cpu:any -d|--debug"), sub={
    "frequency-info": _CPUPOWER_INFO,
    "idle-info": Shape(max_operands=0, allow=opts("-f|--silent -e|--proc")),
    "info": Shape(max_operands=0, allow=opts("-b|--perf-bias -m|--sched-mc "
                                             "-s|--sched-smt")),
    "--version": ANY, "-v": ANY})
_UDEV_INFO = Shape(check="udev-name", secrets_ok=True, allow=opts(
    "-q|--query:word -p|--path:any -n|--name:any -r|--root -a|--attribute-walk -t|--tree "
    "-x|--export -P|--export-prefix:word -e|--export-db --property:any --value "
    "-s|--subsystem-match:word", abbrev=False))
UDEVADM = Tool(allow=opts(""), sub={"info": _UDEV_INFO, "--version": ANY})
#: never dump/debug (they write or run), --tty (typed input) is aureport's; ausearch -m with
#: types from the list or -k (never TTY/USER_TTY: keystrokes), never -if/--input (a file)
_AUSEARCH = opts("-m|--message:any -k|--key:any -ts|--start:any -te|--end:any -i|--interpret "
                 "-r|--raw --format:word -sc|--syscall:word -sv|--success:word "
                 "-p|--pid:num -pp|--ppid:num -ui|--uid:any -ua|--uid-all:any "
                 "-ue|--uid-effective:any -gi|--gid:any -x|--executable:any "
                 "-c|--comm:any -hn|--host:any -f|--file:any -a|--event:any "
                 "--just-one -l|--line-buffered -n|--node:any --session:num -o|--object:any "
                 "-su|--subject:any -tm|--terminal:any -e|--exit:any", "go")
_AUDIT_TYPES = _names("""
AVC USER_AVC SELINUX_ERR USER_LOGIN USER_LOGOUT USER_AUTH USER_ACCT USER_START USER_END
USER_CMD USER_ERR LOGIN CRED_ACQ CRED_DISP CRED_REFR SYSCALL PATH CWD PROCTITLE EXECVE
CONFIG_CHANGE DAEMON_START DAEMON_END DAEMON_ABORT SERVICE_START SERVICE_STOP
ANOM_ABEND ANOM_PROMISCUOUS ANOM_LINK ADD_USER DEL_USER ADD_GROUP DEL_GROUP USER_CHAUTHTOK
USER_MGMT GRP_MGMT MAC_STATUS MAC_POLICY_LOAD APPARMOR_DENIED APPARMOR_ALLOWED
APPARMOR_STATUS SOCKADDR NETFILTER_CFG BPF KERNEL_OTHER SECCOMP MMAP USER_ROLE_CHANGE
SYSTEM_BOOT SYSTEM_SHUTDOWN SYSTEM_RUNLEVEL
""")


def _check_ausearch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if ops:
        return "an operand"
    keyed = False
    for k, v in pairs or ():
        if k == "-m" and v is not None:
            bad = [t for t in v.replace(",", " ").split() if t.upper() not in _AUDIT_TYPES]
            if bad:
                return f"record type {bad[0]!r} (TTY records hold what was typed)"
            keyed = True
        if k == "-k":
            keyed = True
    return None if keyed else "ausearch without -m or -k shows TTY records (what was typed)"


#: summaries; never --tty (what was typed), -if/--input (a file)
_AUREPORT = opts("--summary -au|--auth -a|--avc -l|--login -m|--mods -x|--executable "
                 "-f|--file -k|--key -e|--event -s|--syscall -n|--anomaly -p|--pid "
                 "-u|--user -t|--log -c|--config -r|--response --failed --success "
                 "-ts|--start:any -te|--end:any -i|--interpret --node:any --virt "
                 "--integrity -ma|--mac -cr|--crypto -h|--host -tm|--terminal "
                 "--comm --eoe-timeout:num -nc|--no-config", "go")


def _check_list_mode(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "-l" for k, _ in pairs or ()) else "not a listing"


def _check_batch_only(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "-b" for k, _ in pairs or ()) else \
        f"interactive {c.name} takes commands from the agent's keys"


def _check_text_mode(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "-t" for k, _ in pairs or ()) else \
        f"interactive {c.name} takes commands from the agent's keys"


def _check_multipath(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not {k for k, _ in pairs or ()} & {"-l", "-d", "-t"}:
        return "multipath without -l, -d or -t creates device maps"
    return _check_device(c, rest, ops, pairs)


def _check_hyperfine(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """hyperfine runs its operands (and --prepare/--setup/--cleanup/--conclude/--reference)
    in a shell: parse.unwrap_at hands each to the guard as a line of its own. Its own words:
    literal, at least one command, output to null/pipe/inherit only (never a file)."""
    if not ops and not any(k == "-V" for k, _ in pairs or ()):
        return "no command to benchmark"
    if any(c.dynamic) or any(c.globs(k) for k in range(1, len(c.argv))):
        # bash expands it before hyperfine runs it in a shell of its own: the guard would
        # parse the text, the shell would run its value
        return "a computed word among the command strings"
    for k, v in pairs or ():
        if k == "--output" and v not in ("null", "pipe", "inherit"):
            return f"--output {v}: the commands' output into a file"
    return None


def _check_status_mode(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "-S" for k, _ in pairs or ()) else \
        "passwd without -S changes a password"


def _check_atop(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """atop reading a raw log (-r) or printing parseable lines (-P): live, it takes keys
    from the agent's stdin (k kills a process)."""
    flags = {k for k, _ in pairs or ()}
    if not flags & {"-r", "-P"}:
        return "live atop takes commands from the agent's keys (k kills)"
    for o in ops:
        if not re.fullmatch(r"[0-9]{1,6}", o):
            return f"{o!r} is not an interval or a count"
    return None


def _check_interface_ops(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_.:@-]{1,32}", o):
            return f"{o!r} is not a network interface"
    return None


def _check_symbols(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_$.@<>:~,*&() -]{1,512}", o) or o.startswith("@"):
            return f"{o!r} is not a symbol"
    return None


def _check_addresses(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not re.fullmatch(r"(?:0x)?[0-9a-fA-F]{1,16}", o):
            return f"{o!r} is not an address"
    return None


#: a binary's headers, symbols, sections and disassembly; never -b/--target, -m (read any
#: file as raw bytes), -S/--source, --source-comment, -I (source files the debug information
#: names: any file), --plugin (loads code), -P
_OBJDUMP = opts(
    "-a|--archive-headers -f|--file-headers -p|--private-headers -h|--section-headers|--headers "
    "-x|--all-headers -d|--disassemble:?any -D|--disassemble-all -r|--reloc "
    "-R|--dynamic-reloc -t|--syms -T|--dynamic-syms -s|--full-contents -j|--section:any "
    "-C|--demangle:?word -l|--line-numbers -w|--wide -z|--disassemble-zeroes "
    "--start-address:any --stop-address:any --no-show-raw-insn --show-raw-insn "
    "--prefix-addresses -M|--disassembler-options:word -g|--debugging -e|--debugging-tags "
    "-G|--stabs -W|--dwarf:?word --visualize-jumps:?word --no-addresses -i|--info "
    "-V|--version -H|--help --special-syms --file-offsets --insn-width:num "
    "-L|--process-links --ctf:?word")


# --- routing ---------------------------------------------------------------
#: BIRD's state; never configure/enable/disable/restart/reload/down, -s (another socket)
BIRDC = Tool(allow=opts("-r -v"), sub={"show": Shape(check="plain-words", allow=opts(""))})

# --- profile viewers and .NET counters ----------------------------------------------------------
#: stack folding and SVG to stdout; never --palette-file/--cp (read and write a palette file)
INFERNO_COLLAPSE = Shape(allow=opts(
    "--all --pid --tid --addrs --kernel --jit --skip-after:any --event-filter:any "
    "-q|--quiet -v|--verbose -n|--nthreads:num", abbrev=False))
INFERNO_FLAMEGRAPH = Shape(allow=opts(
    "--title:any --subtitle:any --colors|-c:word --bgcolors:word --hash --deterministic "
    "--width:num --height:num --minwidth:any --fonttype:any --fontsize:num --fontwidth:any "
    "--countname:any --nametype:any --notes:any --negate --factor:any --reverse --inverted "
    "--flamechart --search-color:any --stroke-color:any --truncate-text-right "
    "--no-javascript --pretty-xml --image-width:num -q|--quiet -v|--verbose", abbrev=False))
#: a .NET process's counters; never --diagnostic-port (another endpoint), dotnet-dump/-trace
_DN_COMMON = "-p|--process-id:any -n|--name:word --counters:any --refresh-interval:num " \
    "--duration:any --maxHistograms:num --maxTimeSeries:num "
DOTNET_COUNTERS = Tool(allow=opts(""), sub={
    "ps": Shape(max_operands=0, allow=opts("")),
    "list": Shape(max_operands=0, allow=opts("--runtime-version:any")),
    "monitor": Shape(check="dotnet-counters", max_operands=0, allow=opts(_DN_COMMON)),
    "collect": Shape(check="dotnet-counters", max_operands=0, allow=opts(
        _DN_COMMON + "--format:word -o|--output:write")),
    "--version": ANY})


def _check_dotnet_counters(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs
                           ) -> str | None:
    for k, v in pairs or ():
        if k == "-p" and v is not None and not _pids_ok(c, v):
            return f"-p {v!r} is not a process id"
    return None


# --- more host state (session 12, from the tune sets' held lines) ------------------------------
#: statistics of a capture or a file, never packets: -q always (without it every packet's
#: Info column prints: FTP PASS, HTTP request lines), -z taps from the list (never follow,
#: credentials, expert (HTTP chat: request lines), http_req); never -w, -T/-e (any field,
#: payloads), -V/-x/-O/-P, -X (Lua), -o/-C (preferences, profiles), -H/-K (files, keytabs),
#: -Y/-R (display filters on content: counts as an oracle)
_TSHARK = opts("-r|--read-file:any -i|--interface:any -q -Q -z:any -n -N:word "
               "-a|--autostop:any -c:num -f:any -D|--list-interfaces -L|--list-data-link-types "
               "-s|--snapshot-length:num -p|--no-promiscuous-mode -B|--buffer-size:num "
               "-t:word -u:word -l -v|--version", abbrev=False)
#: taps without a filter of their own (a display filter on a field's content makes the
#: counts an oracle on it: ``io,stat,0,"http.authorization contains \"a\""``)
_TSHARK_TAPS = re.compile(r"(?:conv|endpoints),[a-z0-9_]{1,16}|io,phs|io,stat,[0-9.]{1,12}|"
                          r"(?:dns|ptype|plen|http|http_srv|dests),tree|hosts(?:,ip[v46]{0,2})?")


def _check_tshark(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    flags = {k for k, _ in pairs or ()}
    if flags & {"-D", "-L", "-v"} and not flags & {"-r", "-i"}:
        return None
    if "-q" not in flags:
        return "tshark without -q prints each packet's summary (request lines, commands)"
    for k, v in pairs or ():
        if k == "-z" and v is not None and not _TSHARK_TAPS.fullmatch(v):
            return f"-z {v}: a statistic that prints contents (follow, credentials, expert)"
    capture = [v for k, v in pairs or () if k == "-f" and v is not None]
    if filter_words((*ops, *capture)) is None:
        return "a capture filter on packet bytes or lengths (an oracle on content)"
    return None


_DMSETUP_OPTS = opts("--tree -c|-C|--columns --noheadings -o|--options:any --target:word "
                     "--separator:any --sort:any -v|--verbose -j|--major:num -m|--minor:num",
                     abbrev=False)
#: bpf objects listed; never load/attach/detach/pin/map update/delete, map dump/lookup (a
#: map's values: any data a program kept)
_BPFTOOL_LIST = Tool(allow=opts("-j|--json -p|--pretty -f|--bpffs -n|--nomount"),
                     sub={"show": Shape(check="plain-words", allow=opts(
                         "-j|--json -p|--pretty -f|--bpffs")),
                          "list": Shape(check="plain-words", allow=opts(
                              "-j|--json -p|--pretty -f|--bpffs"))},
                     bare=Shape(max_operands=0, allow=opts("-j|--json -p|--pretty")))
_LSCOMMON = "-J|--json -n|--noheadings -o|--output:any -r|--raw -b|--bytes " \
    "-P|--pairs --output-all "


def _check_interface_one(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs
                         ) -> str | None:
    return "more than an interface's name (an address or up/down sets it)" if len(ops) > 1 \
        else _check_interface_ops(c, rest, ops, pairs)


# --- monitors in batch form, NetworkManager's view ----------------------------------------------
#: dstat/dool's built-in stats only; never a plugin's name (--top-cpu, --vm-adv...: Python
#: it imports from ~/.dstat first), --output (writes)
_DSTAT = opts(
    "-c|--cpu -C:any -d|--disk -D:any -g|--page -i|--int -I:any -l|--load -m|--mem "
    "-n|--net -N:any -p|--proc -r|--io -s|--swap -S:any -t|--time -T|--epoch -y|--sys "
    "-a|--all -f|--full -v|--vmstat --aio --fs|--filesystem --ipc --lock --raw --socket "
    "--tcp --udp --unix --vm --nocolor --noheaders --noupdate --bits --float --integer "
    "-V|--version", abbrev=False)
#: glances printing to stdout only: interactive, its keys kill processes (k); never -w/-s/-c
#: (a web server, a server, a client), --export (sends to a store), -C (a config file)
_GLANCES = opts("--stdout:any --stdout-csv:any --stdout-json:any -t|--time:num "
                "--stop-after:num --disable-plugin:any --enable-plugin:any -1|--percpu "
                "--fs-free-space --hide-kernel-threads --byte --process-short-name "
                "-V|--version", abbrev=False)


def _check_glances(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    flags = {k for k, _ in pairs or ()}
    if flags & {"--stdout", "--stdout-csv", "--stdout-json", "-V"}:
        return None
    return "interactive glances takes commands from the agent's keys (k kills)"


_NM_OUT = "-t|--terse -p|--pretty -f|--fields:any -c|--colors:word -e|--escape:word " \
    "-m|--mode:word -g|--get-values:any "
_NM_SHOW = Shape(check="plain-words", allow=opts(_NM_OUT + "-a|--active --order:any",
                                                 abbrev=False))
_NM_BARE = Shape(max_operands=0, allow=opts(_NM_OUT, abbrev=False))
#: NetworkManager's state; never -s/--show-secrets (connection keys), -a/--ask, up/down/
#: modify/add/delete/reload/connect/disconnect/set, hostname or radio or networking with a
#: value (they set it)
_NM_DEVICE = Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE, sub={
    "status": _NM_BARE, "show": _NM_SHOW,
    "wifi": Tool(allow=opts(""), sub={"list": _NM_SHOW})})
_NM_CONNECTION = Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE,
                      sub={"show": _NM_SHOW})
_NM_GENERAL = Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE, sub={
    "status": _NM_BARE, "hostname": _NM_BARE, "permissions": _NM_BARE, "logging": _NM_BARE})
NMCLI = Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE, sub={
    **dict.fromkeys(("device", "dev", "d"), _NM_DEVICE),
    **dict.fromkeys(("connection", "con", "c"), _NM_CONNECTION),
    **dict.fromkeys(("general", "gen", "g"), _NM_GENERAL),
    "radio": Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE, sub={}),
    "networking": Tool(allow=opts(_NM_OUT, abbrev=False), bare=_NM_BARE,
                       sub={"connectivity": _NM_BARE}),
    "--version": ANY, "-v": ANY})


# --- the journal (safe.py's journalctl entry names this check) ---------------------------------
#: output modes that print every field of an entry: a crash's entry (systemd-coredump) holds
#: the process's whole environment (COREDUMP_ENVIRON: its passwords and tokens), its memory
#: maps and, with Storage=journal, the core itself; ``journalctl -u app`` matches them too
_ALL_FIELDS = frozenset({"verbose", "export", "json", "json-pretty", "json-sse", "json-seq"})


def _coredump_field(name: str) -> bool:
    return name.strip().upper().startswith("COREDUMP")


def _check_journal_fields(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs
                          ) -> str | None:
    """journalctl prints no crash record's environment, maps or core: never -F of a
    COREDUMP_ field, and the all-fields modes only with --output-fields that names none."""
    fields = [f for k, v in pairs or () if k == "--output-fields" and v for f in v.split(",")]
    if any(_coredump_field(f) for f in fields):
        return "a crash record's field (its environment, maps, core)"
    for k, v in pairs or ():
        if k == "-F" and v is not None and _coredump_field(v):
            return f"-F {v}: a crash record's field (its environment, maps, core)"
        if k == "-o" and v in _ALL_FIELDS and not fields:
            return f"-o {v} prints every field, a crash record's environment among them " \
                "(--output-fields names the ones wanted)"
    return None


ENTRIES: dict[str, Entry] = {
    "strace": Shape(check="strace", dynamic_ok=True, secrets_ok=True),
    "ltrace": Shape(check="ltrace", dynamic_ok=True, secrets_ok=True),
    "numactl": Shape(check="numactl", dynamic_ok=True, secrets_ok=True),
    "perf": PERF,
    "bpftrace": Shape(check="bpftrace", allow=_BPFTRACE),
    **{f"{n}-bpfcc": Shape(check="bcc", allow=_BCC_OPTS) for n in _BCC},
    **{n: Shape(check="bcc", allow=_BCC_OPTS) for n in _BCC_BARE},
    "tcpdump": Shape(check="tcpdump", allow=_TCPDUMP),
    "ab": Shape(check="load", allow=_AB),
    "wrk": Shape(check="load", allow=_WRK),
    "hey": Shape(check="load", allow=_HEY),
    # debugging: stacks by frame, never gdb/pstack (gdb's backtrace prints string
    # arguments: memory), gcore (the whole memory into a file)
    "eu-stack": Shape(max_operands=0, allow=opts(
        "-p|--pid:num --core:any -e|--executable:any -a|--activation -b|--build-id "
        "-d|--debugname -i|--inlines -m|--module -s|--source -v|--verbose -r|--raw "
        "-1 -n:num -l|--list-modules -q|--quiet")),
    "coredumpctl": COREDUMPCTL,
    "objdump": Shape(allow=_OBJDUMP),
    # never -b/--target (reads any file as raw)
    "addr2line": Shape(check="addresses", allow=opts(
        "-e|--exe:any -f|--functions -C|--demangle:?word -i|--inlines -p|--pretty-print "
        "-a|--addresses -s|--basenames -j|--section:any -r|--no-recurse-limit "
        "-R|--recurse-limit -V|--version")),
    "size": Shape(allow=opts("-A -B -G --format:word -d -o -x --radix:num -t|--totals "
                             "--common -V|--version")),
    "c++filt": Shape(check="symbols", allow=opts(
        "-_|--strip-underscore -n|--no-strip-underscore -p|--no-params -t|--types "
        "-i|--no-verbose -r|--no-recurse-limit -R|--recurse-limit -s|--format:word "
        "-V|--version")),
    # hardware
    # never -d (a memory device file: any file), --dump-bin (writes), --from-dump (reads)
    "dmidecode": Shape(max_operands=0, allow=opts(
        "-t|--type:any -s|--string:word -q|--quiet -u|--dump -H|--handle:any "
        "--no-sysfs --oem-string:any --no-quirks -V|--version")),
    # identify data and logs; never format/sanitize/write/admin-passthru/set-feature/fw-*
    "nvme": Tool(allow=opts(""), sub={
        "list": Shape(max_operands=0, allow=opts("-o|--output-format:word -v|--verbose")),
        "list-subsys": Shape(check="device", secrets_ok=True, max_operands=1,
                             allow=opts("-o|--output-format:word -v|--verbose")),
        **{n: _NVME_READ for n in ("smart-log", "id-ctrl", "id-ns", "error-log", "fw-log",
                                   "list-ns", "show-regs")},
        "version": ANY, "--version": ANY}),
    # identify data, geometry and timings; every setting option (-a -A -B -M -W -S -y -Y -N
    # --security-*, --fibmap...) is left out: most both read and set, by whether a value follows
    "hdparm": Shape(check="hdparm", secrets_ok=True, allow=opts("-I -i -g -C -t -T --direct")),
    # never -dump (writes a database), -X (a GUI)
    "lshw": Shape(max_operands=0, allow=opts(
        "-short -businfo -class|-C:word -json -xml -html -sanitize -numeric -quiet -notime "
        "-disable:word -enable:word -version", "go")),
    # never -i/--input (reads a file), an output file, -f/--force
    **{n: Shape(max_operands=0, allow=opts(
        "-p|--physical -l|--logical --of:word -v|--verbose -s|--summary --no-io "
        "--no-caches --no-useless-caches --no-bridges --whole-system --no-legend "
        "--only:word --ignore:word --filter:any -c|--cpuset --merge --no-collapse "
        "--version")) for n in ("lstopo", "lstopo-no-graphics", "hwloc-ls")},
    "numastat": Shape(check="plain-words", allow=opts("-c -m -n -p:any -s:??any -v -V -z")),
    "ipmitool": IPMITOOL,
    "cpupower": CPUPOWER,
    # counters for a number of intervals; never -o/--out (writes), a command (runs it)
    "turbostat": Shape(max_operands=0, allow=opts(
        "-q|--quiet -s|--show:any -H|--hide:any -i|--interval:num -n|--num_iterations:num "
        "-S|--Summary -c|--cpu:any -l|--list -d|--debug -e|--enable:any -D|--Dump "
        "-v|--version")),
    "edac-util": Shape(max_operands=0, allow=opts("-s|--status -v|--verbose -q|--quiet "
                                                  "-r|--report:word -f|--full")),
    "mcelog": Shape(max_operands=0, allow=opts("--client")),
    "modinfo": Shape(allow=opts("-a|--author -d|--description -l|--license -p|--parameters "
                                "-n|--filename -0|--null -F|--field:word -k:word")),
    "blockdev": Shape(check="blockdev", secrets_ok=True, allow=opts(
        "--getsz --getsize64 --getsize --getss --getpbsz --getiomin --getioopt --getalignoff "
        "--getmaxsect --getbsz --getro --getdiscardzeroes --getra --getfra --report -v -q",
        abbrev=False)),
    "udevadm": UDEVADM,
    "fdisk": Shape(check="fdisk", secrets_ok=True, allow=opts(
        "-l|--list -x|--list-details -o|--output:any -L|--color:?word -u|--units:?word "
        "-b|--sector-size:num")),
    "hwclock": Shape(max_operands=0, allow=opts("-r|--show --get -v|--verbose -u|--utc "
                                                "-l|--localtime --debug -V|--version")),
    # performance
    "atop": Shape(check="atop", allow=opts(
        "-r:any -b:any -e:any -P:any -a -c -m -d -n -s -v -g -l -y -f -1 -x -M -A -C -D -N "
        "-L:num -S -z -V")),
    "sadf": Shape(allow=opts("-d -j -p -x -g -C -h -H -t -T -U -O:any -P:any -s:any -e:any "
                             "--dev:any --fs:any --iface:any --int:any -NUM")),
    "systemd-cgtop": Shape(check="batch-only", max_operands=1, allow=opts(
        "-b|--batch -n|--iterations:num -d|--delay:num -p -t -c -m -i -r -P -k --depth:num "
        "--order:word --cpu:?word --recursive:word -1", abbrev=False)),
    "systemd-cgls": Shape(allow=opts("--no-pager -a|--all -l|--full -k -u|--unit --user-unit "
                                     "-x|--xattr:word -c|--cgroup-id:word", abbrev=False)),
    # network
    "nethogs": Shape(check="interfaces", allow=opts("-t -c:num -d:num -v:num -a -p -s -l -C "
                                                    "-b -g -V")),
    # text mode only (-t: interactive iftop runs a shell command on `!`); never -c (a
    # config file); -f is a capture filter (code for the kernel's filter only)
    "iftop": Shape(check="text-mode", max_operands=0, allow=opts(
        "-t -s:num -L:num -i:word -n -N -P -p -b -B "
        "-f:any -F:any -o:word -h")),
    "bridge": Tool(allow=opts("-s -d -j -p"), sub={
        n: Tool(allow=opts(""), sub={"show": Shape(check="plain-words", allow=opts("")),
                                     "list": Shape(check="plain-words", allow=opts(""))},
                bare=Shape(max_operands=0, allow=opts("")))
        for n in ("link", "fdb", "vlan", "mdb")}),
    # security state
    "sestatus": Shape(max_operands=0, allow=opts("-v -b")),
    "getenforce": Shape(max_operands=0, allow=opts("")),
    "getsebool": Shape(check="plain-words", allow=opts("-a")),
    **{n: Shape(max_operands=0, allow=opts(
        "--enabled --profiled --enforced --complaining --kill --special-unconfined "
        "--process-mixed --json --pretty-json -v|--verbose -q|--quiet --show:word",
        abbrev=False)) for n in ("aa-status", "apparmor_status")},
    # rules and status; every other option changes them
    "auditctl": Shape(max_operands=0, allow=opts("-l -s")),
    "ausearch": Shape(check="ausearch", allow=_AUSEARCH),
    "aureport": Shape(max_operands=0, allow=_AUREPORT),
    # never --reset
    "faillock": Shape(max_operands=0, allow=opts("--user:word")),
    # a password's status (rules.user_mod exempts passwd -S only); never -r/-l/-m (reset,
    # lock, set the limits)
    "passwd": Shape(check="status-mode", max_operands=1, allow=opts("-S|--status -a|--all")),
    "faillog": Shape(max_operands=0, allow=opts("-u|--user:word -a|--all -t|--time:num")),
    # the policy's modules, listed; never -i/-r/-e/-d/-X (install, remove, enable, disable)
    "semodule": Shape(max_operands=0, allow=opts("-l|--list-modules:?word")),
    # the context a path would get; never -r (a root), -f (a file contexts file: any file)
    "matchpathcon": Shape(secrets_ok=True, allow=opts("-n -N -m:word -V -q")),
    "semanage": SEMANAGE,
    # storage and routing clusters, profile viewers
    "birdc": BIRDC, "inferno-collapse-perf": INFERNO_COLLAPSE,
    "inferno-flamegraph": INFERNO_FLAMEGRAPH, "dotnet-counters": DOTNET_COUNTERS,
    "tshark": Shape(check="tshark", allow=_TSHARK),
    # benchmarks of command strings the guard parses and judges each (parse.HYPERFINE_OPTS)
    "hyperfine": Shape(check="hyperfine", allow=HYPERFINE_OPTS),
    "capinfos": Shape(allow=opts("-t -E -c -s -d -l -u -a -e -o -k -S -y -i -z -x -F -H -r "
                                 "-q -T -R -N -n -M -K -B -m -b -L")),
    # the virtual server table; never -A/-E/-D/-a/-e/-d/-C/-Z/-R/-S (change it), daemons
    "ipvsadm": Shape(check="list-mode", max_operands=0, allow=opts(
        "-l|-L|--list -n|--numeric --stats --rate --thresholds --persistent-conn --exact "
        "--sort -c|--connection --timeout --daemon -t|--tcp-service:any "
        "-u|--udp-service:any -f|--fwmark-service:any", abbrev=False)),
    # the topology (-l, -ll), a dry run, the configuration; without them it creates maps
    "multipath": Shape(check="multipath", secrets_ok=True, allow=opts("-l -v:num -d -t")),
    # device-mapper state; never table (--showkeys prints dm-crypt keys), create/remove/
    # load/suspend/resume/message/wipe_table
    "dmsetup": Tool(allow=_DMSETUP_OPTS, sub={
        **{n: Shape(check="plain-words", allow=_DMSETUP_OPTS)
           for n in ("ls", "status", "info", "deps")},
        "version": Shape(max_operands=0), "targets": Shape(max_operands=0)}),
    # ARP probes of a neighbour; never -U/-A (unsolicited announcements rewrite others'
    # caches), -s (another source address)
    "arping": Shape(max_operands=1, check="plain-words", allow=opts(
        "-c:num -w:num -I:word -f -q -D -b -i:num")),
    "bpftool": Tool(allow=opts("-j|--json -p|--pretty -f|--bpffs -n|--nomount"), sub={
        **{n: _BPFTOOL_LIST for n in ("prog", "map", "link", "net", "btf", "perf")},
        "cgroup": Tool(allow=opts(""), sub={"tree": Shape(max_operands=1, allow=opts(
            "-j|--json -p|--pretty"))}),
        "feature": Tool(allow=opts(""), sub={"probe": Shape(check="plain-words", allow=opts(
            "-j|--json -p|--pretty"))}),
        "version": ANY, "--version": ANY, "-V": ANY}),
    # net-tools views: the routing table (no add/del: no operands), interfaces by name (an
    # address, up/down or an option word after it sets them)
    "route": Shape(max_operands=0, allow=opts("-n|--numeric -e|--extend -v|--verbose "
                                              "-F|--fib -C|--cache -4 -6 -A:word")),
    "ifconfig": Shape(check="interface-one", allow=opts("-a -s -v")),
    # util-linux listings; never --sysroot, --wtmp-file/--btmp-file (other files)
    "lsmem": Shape(max_operands=0, allow=opts(_LSCOMMON + "-a|--all -S|--split:any "
                                              "--summary:?word")),
    "lsipc": Shape(max_operands=0, allow=opts(_LSCOMMON + "-q|--queues -m|--shmems "
                                              "-s|--semaphores -g|--global -c|--creator "
                                              "-e|--export -l|--list -t|--time "
                                              "--notruncate --time-format:word -i|--id:num")),
    "lslocks": Shape(max_operands=0, allow=opts(_LSCOMMON + "-p|--pid:num -u|--notruncate "
                                                "-i|--noinaccessible")),
    "lslogins": Shape(max_operands=1, check="plain-words", allow=opts(
        "-a|--acc-expiration -c|--colon-separate -e|--export -f|--failed -G|--supp-groups "
        "-g|--groups:any -L|--last -l|--logins:any -n|--newline --noheadings --notruncate "
        "-o|--output:any --output-all -p|--pwd -r|--raw -s|--system-accs -u|--user-accs "
        "--time-format:word -x|--extra -z|--print0 -Z|--context")),
    # the tuning profile; never profile/off/auto_profile (set it)
    "tuned-adm": Tool(allow=opts("-d|--debug"), sub={
        n: Shape(max_operands=0, allow=opts("")) for n in ("active", "list", "recommend",
                                                            "verify", "profile_info")}),
    # monitors in batch form; never dstat --output, glances's interactive keys
    **{n: Shape(check="plain-words", allow=_DSTAT) for n in ("dstat", "dool")},
    "glances": Shape(check="glances", max_operands=0, allow=_GLANCES),
    "pstree": Shape(max_operands=1, check="plain-words", allow=opts(
        "-a|--arguments -A|--ascii -c|--compact-not -C|--color:word -g|--show-pgids "
        "-G|--vt100 -h|--highlight-all -H|--highlight-pid:num -l|--long -n|--numeric-sort "
        "-N|--ns-sort:word -p|--show-pids -s|--show-parents -S|--ns-changes -t|--thread-names "
        "-T|--hide-threads -u|--uid-changes -U|--unicode -Z|--security-context")),
    "ipcs": Shape(max_operands=0, allow=opts(
        "-a|--all -q|--queues -m|--shmems -s|--semaphores -l|--limits -u|--summary "
        "-t|--time -c|--creator -p|--pid -b|--bytes --human -i|--id:num")),
    "nmcli": NMCLI,
    # a PHY's link state; never -r/-R (restart, reset), -F/-A (force or advertise a media)
    "mii-tool": Shape(check="interfaces", allow=opts("-v|--verbose -V|--version -w|--watch "
                                                     "-l|--log")),
    # time and systemd
    "busctl": BUSCTL,
    "localectl": LOCALECTL,
    "networkctl": NETWORKCTL,
}

CHECKS: dict[str, Check] = {
    "strace": _check_strace, "ltrace": _check_ltrace, "numactl": _check_numactl,
    "perf-run": _check_perf_run, "perf-read": _check_perf_read,
    "plain-words": _check_plain_words, "bpftrace": _check_bpftrace, "bcc": _check_bcc,
    "tcpdump": _check_tcpdump, "load": _check_load, "device": _check_device,
    "hdparm": _check_hdparm, "fdisk": _check_fdisk, "udev-name": _check_udev_name,
    "blockdev": _check_blockdev, "ausearch": _check_ausearch, "list-mode": _check_list_mode,
    "batch-only": _check_batch_only, "atop": _check_atop, "interfaces": _check_interface_ops,
    "symbols": _check_symbols, "addresses": _check_addresses,
    "journal-fields": _check_journal_fields, "text-mode": _check_text_mode,
    "dotnet-counters": _check_dotnet_counters, "tshark": _check_tshark,
    "multipath": _check_multipath, "hyperfine": _check_hyperfine, "glances": _check_glances,
    "status-mode": _check_status_mode,
    "interface-one": _check_interface_one,
}
