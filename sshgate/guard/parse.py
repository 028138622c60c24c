"""bashlex AST -> every simple command that could run, with wrappers unwrapped. Pure."""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import bashlex
import bashlex.ast
import bashlex.errors
import bashlex.subst
import bashlex.tokenizer

from .budget import check
from .find import ARTIFACT_VIA, artifacts_only, exec_commands
from .options import opts, parse_opts
from .remote_exec import LAUNCHERS, launch

MAX_DEPTH = 8


def _paramexpand_that_progresses(parserobj, string, sindex):
    # bashlex's _paramexpand returns index 0 for an unterminated ``${`` (str.find -> -1), so
    # its caller restarts the word from the beginning forever, growing memory as it goes.
    check()
    node, end = _bashlex_paramexpand(parserobj, string, sindex)
    if end <= sindex:
        raise bashlex.errors.ParsingError("bad substitution: no closing '}'", string, sindex)
    return node, end


def _token_within_budget(self):
    check()  # bashlex costs up to ~35 us a character: every token counts against the budget
    return _bashlex_token(self)


def _getc_within_budget(self, *args):
    if not self._shell_input_line_index & 63:  # one word can be the whole line
        check()
    return _bashlex_getc(self, *args)


def _expandword_within_budget(*args, **kwargs):
    check()
    return _bashlex_expandword(*args, **kwargs)


_bashlex_paramexpand = bashlex.subst._paramexpand
bashlex.subst._paramexpand = _paramexpand_that_progresses
_bashlex_token = bashlex.tokenizer.tokenizer.token
bashlex.tokenizer.tokenizer.token = _token_within_budget
_bashlex_getc = bashlex.tokenizer.tokenizer._getc
bashlex.tokenizer.tokenizer._getc = _getc_within_budget
_bashlex_expandword = bashlex.subst._expandwordinternal
bashlex.subst._expandwordinternal = _expandword_within_budget


@dataclass(frozen=True, slots=True)
class Redirect:
    op: str
    target: str
    dynamic: bool = False


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    """One command that would run: argv after quote removal, how it was reached, its I/O."""

    argv: tuple[str, ...]
    dynamic: tuple[bool, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    assignments: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    span: tuple[int, int] = (0, 0)
    pipe_from: tuple[str, ...] = ()
    inner: tuple[str, ...] = ()
    heredoc: str | None = None
    #: the here-document's delimiter is unquoted: bash expands ``$``, ``${...}``, ``$(...)``
    #: and backquotes in its body (whose commands are parsed as the line's own)
    heredoc_expands: bool = False
    #: the here-document is all the command's stdin: no other redirection of fd 0 (a later
    #: ``<file`` or a second document replaces it), no pipe into it
    heredoc_sole: bool = False
    #: per argv word: an expansion outside quotes (bash splits and globs its value: it may
    #: become any number of words, options among them)
    split: tuple[bool, ...] = ()
    #: per argv word: a glob or brace character outside quotes (bash may expand the word to
    #: file names: ``.*``, ``~/.ssh/i*``; not ``'TODO.*'``)
    globbed: tuple[bool, ...] = ()
    #: ``argv[0]`` without its directory or leading backslash, computed once.
    name: str = field(init=False, compare=False)
    #: ``argv[1:]``, computed once (every rule reads it, most of them more than once)
    args: tuple[str, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", command_name(self.argv[0]) if self.argv else "")
        object.__setattr__(self, "args", self.argv[1:])

    def splits(self, i: int) -> bool:
        """Whether argv word ``i`` is split and globbed by bash (computed, outside quotes);
        without the parser's word (a fallback parse) any computed word is."""
        if len(self.split) == len(self.argv):
            return self.split[i]
        return bool(self.dynamic) and i < len(self.dynamic) and self.dynamic[i]

    def globs(self, i: int) -> bool:
        """Whether bash may expand argv word ``i`` to file names; without the parser's word
        (a fallback parse, a rewritten command) any word with a glob character may."""
        if len(self.globbed) == len(self.argv) and not self.splits(i):
            return self.globbed[i]
        # an unquoted expansion's value is globbed too (``$X`` holding ``*``)
        return any(ch in self.argv[i] for ch in "*?[{") or self.splits(i)

    def expands(self, i: int) -> bool | None:
        """Whether argv word ``i`` has a glob or brace outside quotes; None if not known."""
        return self.globbed[i] if len(self.globbed) == len(self.argv) else None

    @property
    def name_is_dynamic(self) -> bool:
        return bool(self.dynamic) and self.dynamic[0]


@dataclass(frozen=True, slots=True)
class ParseProblem:
    message: str
    span: tuple[int, int]
    via: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseResult:
    commands: tuple[SimpleCommand, ...]
    problems: tuple[ParseProblem, ...] = ()
    functions: tuple[str, ...] = field(default=())
    #: names a ``for``/``select`` loop assigns (judged like ``NAME=value``)
    loop_vars: tuple[str, ...] = field(default=())
    #: per pipeline (a lone command is one of one stage), per stage, the indices in
    #: ``commands`` of the stage's command and of what it unwraps to (``sudo nice yes``: three);
    #: ``()`` for a stage that is a compound command (a subshell, a group, a loop)
    pipelines: tuple[tuple[tuple[int, ...], ...], ...] = field(default=())
    #: per ``while``/``until`` loop: whether it runs while its condition's last command
    #: succeeds (a ``while``, or an ``until`` negated with ``!``), the stage of that command
    #: (``()`` when it is not one simple command), and the range of the body's commands
    loops: tuple[tuple[bool, tuple[int, ...], tuple[int, int]], ...] = field(default=())
    #: per ``for NAME in WORDS`` loop: NAME, the words after quote removal (None when one of
    #: them is computed: ``$x``, ``$(...)``), and the range in ``commands`` of its body
    for_values: tuple[tuple[str, tuple[str, ...] | None, int, int], ...] = field(default=())


def command_name(word: str) -> str:
    """``/usr/bin/rm`` -> ``rm``; ``\\rm`` -> ``rm``."""
    w = word.lstrip("\\")
    return posixpath.basename(w) if "/" in w and not w.endswith("/") else w


# --- wrappers ------------------------------------------------------------------------------
# For each command that runs another: short options taking a value, long options taking a
# value, and how many positionals come before the wrapped command.
_WRAPPERS: dict[str, tuple[str, set[str], int]] = {
    "sudo": ("CDghpRrtTUu", {"--user", "--group", "--host", "--prompt", "--chdir", "--role",
                             "--type", "--close-from", "--other-user", "--command-timeout"}, 0),
    "doas": ("Cu", set(), 0),
    "env": ("uCS", {"--unset", "--chdir", "--split-string"}, 0),
    "nice": ("n", {"--adjustment"}, 0),
    "nohup": ("", set(), 0),
    "time": ("fo", {"--format", "--output"}, 0),
    "command": ("", set(), 0),
    "builtin": ("", set(), 0),
    "exec": ("a", set(), 0),
    "setsid": ("", set(), 0),
    "stdbuf": ("ioe", {"--input", "--output", "--error"}, 0),
    "ionice": ("cnpPuT", {"--class", "--classdata", "--pid", "--pgid", "--uid"}, 0),
    "chrt": ("T", {"--sched-runtime", "--sched-period", "--sched-deadline"}, 1),
    "unbuffer": ("", set(), 0),
    "strace": ("abeEIoOpPsSuUX", {"--output", "--expr", "--env", "--user", "--attach",
                                  "--string-limit"}, 0),
    "ltrace": ("aeEnoOpuS", {"--output"}, 0),
    "timeout": ("ks", {"--kill-after", "--signal"}, 1),
    "flock": ("wE", {"--timeout", "--conflict-exit-code"}, 1),
    "chroot": ("", {"--userspec", "--groups"}, 1),
    # (session 16) -e, -i and -l (--eof, --replace, --max-lines) take attached values only
    "xargs": ("aEdILnPs", {"--arg-file", "--delimiter", "--max-args", "--max-procs",
                           "--max-chars", "--process-slot-var"}, 0),
    "parallel": ("jSIkn", {"--jobs", "--sshlogin", "--joblog", "--results", "--delay"}, 0),
    # (blind set s16) -d/--differences takes an attached value only: ``watch -d 'rm -rf x'
    # true`` runs the quoted word; -q/--equexit takes the next word
    "watch": ("nq", {"--interval", "--equexit"}, 0),
    "catchsegv": ("", set(), 0),
    "faketime": ("f", set(), 1),
    "firejail": ("", set(), 0),
    "runuser": ("ugc", {"--user", "--group", "--command"}, 0),
    "systemd-run": ("upEM", {"--unit", "--property", "--setenv", "--machine", "--uid",
                             "--gid", "--working-directory"}, 0),
    # -f and -q are flags, -t takes an attached value only (script(1))
    "script": ("cEBIOTmo", {"--command", "--echo", "--log-io", "--log-in", "--log-out",
                            "--log-timing", "--logging-format", "--output-limit"}, 0),
    "taskset": ("", {"--cpu-list"}, 1),
    "numactl": ("", set(), 0),
    "proxychains": ("f", set(), 0),
    "torsocks": ("", set(), 0),
    "dbus-launch": ("", set(), 0),
    "fakeroot": ("", set(), 0),
    "caffeinate": ("", set(), 0),
}
_SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "busybox", "fish", "tcsh", "csh"}
#: project runners: ``TOOL [global options] run [run options] COMMAND...`` runs COMMAND in the
#: project's environment. Per tool: short and long options that take a value, before and
#: after ``run`` (safe.py lists the options that keep it ordinary).
_PROJECT_RUNNERS: dict[str, tuple[tuple[str, set[str]], tuple[str, set[str]]]] = {
    "poetry": (("CP", {"--directory", "--project"}), ("", set())),
    "pnpm": (("CF", {"--dir", "--filter", "--workspace-concurrency", "--reporter"}),
             ("c", {"--shell-mode"})),
    "uv": (("", {"--cache-dir", "--color", "--config-file", "--directory", "--project",
                 "--python-preference", "--allow-insecure-host"}),
           ("pCPif", {"--extra", "--group", "--only-group", "--no-group", "--with",
                      "--with-editable", "--with-requirements", "--env-file", "--package",
                      "--python", "--directory", "--project", "--index", "--default-index",
                      "--index-url", "--extra-index-url", "--find-links", "--index-strategy",
                      "--keyring-provider", "--resolution", "--prerelease", "--fork-strategy",
                      "--exclude-newer", "--link-mode", "--config-setting",
                      "--no-build-isolation-package", "--refresh-package",
                      "--reinstall-package", "--upgrade-package", "--no-binary-package",
                      "--no-build-package", "--python-platform", "--cache-dir", "--color",
                      "--config-file", "--python-preference", "--allow-insecure-host",
                      "--exclude-newer-package", "--emit-index-url"})),
    # bundle [--retry N] exec [--gemfile F] COMMAND (safe.py allows no --gemfile)
    "bundle": (("r", {"--retry"}), ("", {"--gemfile"})),
    # pdm/hatch/pipenv run a script of the project's file by its name, else the command
    # (tools/build.py allows none of their value-taking options)
    "pdm": (("cp", {"--config", "--project", "--pep582"}),
            ("pk", {"--project", "--skip", "--venv"})),
    "hatch": (("ep", {"--env", "--project", "--data-dir", "--cache-dir", "--config"}),
              ("", set())),
    "pipenv": (("", {"--python", "--pypi-mirror"}), ("", set())),
}
#: the word that runs the command, when it is not ``run``
PROJECT_RUN_VERB: dict[str, str] = {"bundle": "exec", "pnpm": "exec"}


def _split_option(args: tuple[str, ...], short_val: str, long_val: set[str]) -> int:
    """Index of the first non-option argument."""
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return i + 1
        if a.startswith("--"):
            name = a.split("=", 1)[0]
            # getopt_long takes a unique prefix: --us is --user (an ambiguous one errors out)
            takes = name in long_val or (len(name) > 2 and any(v.startswith(name)
                                                              for v in long_val))
            i += 2 if (takes and "=" not in a) else 1
            continue
        if a.startswith("-") and len(a) > 1 and not a[1].isdigit():
            # -uroot / -u root / -abc
            for j, ch in enumerate(a[1:], 1):
                if ch in short_val:
                    i += 1 if j < len(a) - 1 else 2
                    break
            else:
                i += 1
            continue
        if a.startswith("-") and a[1:].isdigit():  # nice -10
            i += 1
            continue
        return i
    return i


@dataclass(frozen=True, slots=True)
class TrapSetting:
    """What one ``trap`` sets: ``action`` ('' ignores the signals) for ``signals``.
    ``unsure``: a word is expanded at run time where an option or a signal goes, so the
    signals it sets are not known."""

    action: str
    signals: tuple[str, ...]
    unsure: bool = False


#: Signal numbers every system has: ``trap N SIG...`` with such an N first resets them all.
_TRAP_RESET_NUMBER = re.compile(r"[0-9]+")


#: tildes that name the current, previous or a stacked directory, not a home
_DIR_TILDE = re.compile(r"~(?:[+-]\d*|\d+)\Z")


def trap_setting(args: tuple[str, ...], dynamic: tuple[bool, ...] = ()) -> TrapSetting | None:
    """What ``trap ARGS`` sets as bash reads it, or None when it only lists (``-l``), shows
    (``-p``, no operands) or resets (``-``, a signal number first, one operand) traps, or
    fails (an unknown option)."""
    dyn = (*dynamic, *(False,) * (len(args) - len(dynamic)))
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-" and not dyn[i]:
        if args[i] != "--":
            return None  # -l, -p or a usage error: nothing is set
        i += 1
        break
    ops, dyn_ops = args[i:], dyn[i:]
    if len(ops) < 2:
        return None
    first = ops[0]
    if not dyn_ops[0] and (first == "-" or (_TRAP_RESET_NUMBER.fullmatch(first)
                                           and int(first) < 32)):
        return None
    return TrapSetting(first, ops[1:], unsure=any(dyn[:i]) or any(dyn_ops[1:])
                       or (i == 0 and dyn_ops[0]))


#: what ``npx TOOL`` may run: a package whose own name is the program's (npx fetches the
#: package TOOL from the registry when the project lacks it: ``npx tsc`` without
#: typescript installs an unrelated package named tsc), each a tool the catalogue judges
NPX_TOOLS = frozenset({"eslint", "prettier", "jest", "vitest", "mocha", "stylelint",
                       "playwright", "cypress", "nx", "turbo", "lerna", "webpack", "vite",
                       "rollup", "esbuild", "markdownlint-cli2", "tsx", "next", "pyright"})
#: npx's own flags that change nothing it runs (safe.WRAPPER_OPTS lists the same)
_NPX_FLAGS = frozenset({"-y", "--yes", "--no-install", "--no", "-q", "--quiet",
                        "--prefer-offline", "--offline"})
#: hyperfine's options that keep the command strings it runs the ones the guard parses
#: (tools/observe.py allows these and no other): never -L/-P (parameters substituted into
#: the strings: ``-L f /etc/shadow 'cat {f}'``), -N/-S (no shell, another shell), --input
#: (a file on the commands' stdin), --output FILE. The strings: its operands and the values
#: of the options in HYPERFINE_RUNS.
HYPERFINE_OPTS = opts(
    "-w|--warmup:num -m|--min-runs:num -M|--max-runs:num -r|--runs:num -p|--prepare:any "
    "-s|--setup:any -c|--cleanup:any --conclude:any --reference:any -i|--ignore-failure "
    "--show-output -n|--command-name:any --style:word --sort:word -u|--time-unit:word "
    "--export-asciidoc:write --export-csv:write --export-json:write "
    "--export-markdown:write --export-orgmode:write --output:word --min-benchmarking-time:num "
    "-V|--version", abbrev=False)
HYPERFINE_RUNS = frozenset({"-p", "-s", "-c", "--conclude", "--reference"})
#: every command :func:`unwrap` looks into (any other runs nothing it could see)
_UNWRAPS = frozenset({*_SHELLS, *_WRAPPERS, "eval", "su", "runuser", "ssh", "watch", "find",
                      "alias", "trap", "script", "flock", "systemd-run", *_PROJECT_RUNNERS,
                      "npx", "hyperfine", *LAUNCHERS})
UNWRAPPERS = _UNWRAPS
#: ``NAME=value``: a setting before the command (sudo, env)
SETTING = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*+=")


#: redirections that feed a command's standard input (or read and write it: ``<>``)
_INPUT_OPS = frozenset({"<", "<<", "<<-", "<<<", "<&", "<>"})


def unwrap(cmd: SimpleCommand) -> tuple[SimpleCommand | None, list[tuple[str, str]]]:
    """If ``cmd`` runs another command, return it (and shell strings to parse, with context)."""
    at, strings = unwrap_at(cmd)
    if at is None:
        return None, strings
    # a command run in a container is named by its launcher (``docker exec``)
    got = launch(cmd.name, cmd.args) if cmd.name in LAUNCHERS else None
    return replace(cmd, argv=cmd.argv[at:], dynamic=cmd.dynamic[at:] if cmd.dynamic else (),
                   split=cmd.split[at:] if cmd.split else (),
                   globbed=cmd.globbed[at:] if cmd.globbed else (),
                   via=(*cmd.via, got.label if got else cmd.name),
                   # what the wrapper reads it passes on: the command it runs reads it too
                   # (ops s15: ``sudo nslookup - 8.8.8.8 < FILE`` sent a file's lines out);
                   # what it writes, the shell opened for the wrapper, judged there
                   redirects=tuple(r for r in cmd.redirects if r.op in _INPUT_OPS)), strings


def unwrap_at(cmd: SimpleCommand) -> tuple[int | None, list[tuple[str, str]]]:
    """:func:`unwrap` without building the command: where in ``cmd.argv`` the command it runs
    starts (None: it runs none), and the shell strings to parse."""
    name, args = cmd.name, cmd.args
    strings: list[tuple[str, str]] = []
    if name not in _UNWRAPS:
        return None, strings
    if name in _SHELLS:
        for i, a in enumerate(args):
            if a == "-c" or (a.startswith("-") and not a.startswith("--") and "c" in a[1:]):
                if i + 1 < len(args):
                    strings.append((args[i + 1], f"{name} -c"))
                return None, strings
        return None, strings
    if name in LAUNCHERS:
        # docker/podman/compose/kubectl exec: the command it runs in a container
        got = launch(name, args)
        return (got.at if got else None), strings
    if name == "eval":
        return None, [(" ".join(args), "eval")]
    if name == "su" or name == "runuser":
        for i, a in enumerate(args):
            if a == "--" and name == "runuser":
                break
            if a in ("-c", "--command") and i + 1 < len(args):
                strings.append((args[i + 1], f"{name} -c"))
            elif a.startswith("--command="):
                strings.append((a.split("=", 1)[1], f"{name} -c"))
        if strings or name == "su":
            return None, strings
    if name == "ssh":
        i = _split_option(args, "BbcDEeFIiJLlmOoPpQRSWw", set())
        rest = args[i + 1:]
        if rest:
            return None, [(" ".join(rest), "ssh")]
        return None, []
    if name == "watch":
        i = _split_option(args, *_WRAPPERS["watch"][:2])
        rest = args[i:]
        if rest:
            return None, [(" ".join(rest), "watch")]
        return None, []
    if name == "find":
        return None, _find_exec(cmd)
    if name == "hyperfine":
        # each command string runs in a shell of its own; an option it does not list (the
        # catalogue holds it) leaves the strings unknown: none is parsed
        p = parse_opts(HYPERFINE_OPTS, args)
        if isinstance(p, str):
            return None, strings
        return None, [(v, "hyperfine") for k, v in p.pairs if k in HYPERFINE_RUNS and v] + \
            [(o, "hyperfine") for o in p.ops]
    if name == "alias":
        return None, [(a.split("=", 1)[1], "alias") for a in args if "=" in a]
    if name == "trap":
        setting = trap_setting(args, cmd.dynamic[1:])
        return None, [(setting.action, "trap")] if setting and setting.action else []
    if name == "script":
        for i, a in enumerate(args):
            if a in ("-c", "--command") and i + 1 < len(args):
                return None, [(args[i + 1], "script -c")]
        return None, []
    if name == "flock":
        # flock [options] FILE -c COMMAND  |  flock [options] FILE COMMAND [ARGS]
        # flock parses "+..." (no permutation): -c is a word after the lock file, not an option
        i = _split_option(args, "wE", {"--timeout", "--conflict-exit-code"})
        after = args[i + 1:]
        if after[:1] in (("-c",), ("--command",)):
            return None, [(after[1], "flock -c")] if len(after) > 1 else []
    if name == "npx":
        # only the project's own tools by their package's name; never -p/--package (another
        # package), -c/--call (a shell string); --no-install: only what is installed runs
        i = _split_option(args, "pcw", {"--package", "--call", "--workspace"})
        opts_ = args[:i]
        tool = args[i] if i < len(args) else ""
        if not set(opts_) <= _NPX_FLAGS:  # -yp PKG is -y -p PKG: flags by the list only
            return None, strings
        local = any(o in ("--no-install", "--no") for o in opts_)
        if tool in NPX_TOOLS or (local and tool in ("tsc", "ts-node-dev")):
            return 1 + i, strings
        return None, strings
    if name in _PROJECT_RUNNERS:
        (gshort, glong), (rshort, rlong) = _PROJECT_RUNNERS[name]
        i = _split_option(args, gshort, glong)
        if args[i:i + 1] != (PROJECT_RUN_VERB.get(name, "run"),) or (
                i > 0 and args[i - 1] == "--"):
            return None, strings
        j = i + 1 + _split_option(args[i + 1:], rshort, rlong)
        return (1 + j, strings) if j < len(args) else (None, strings)
    if name == "systemd-run" or name in _WRAPPERS:
        short_val, long_val, positionals = _WRAPPERS[name]
        i = _split_option(args, short_val, long_val)
        # sudo, env and friends take NAME=VALUE settings before the command
        while i < len(args) and SETTING.match(args[i]):
            i += 1
        if name == "env":
            for j, a in enumerate(args[:i]):
                if a in ("-S", "--split-string") and j + 1 < len(args):
                    strings.append((args[j + 1], "env -S"))
                elif a.startswith("--split-string="):
                    strings.append((a.split("=", 1)[1], "env -S"))
        if name in ("command",) and any(a in ("-v", "-V") for a in args[:i]):
            return None, strings
        if name == "parallel":
            rest = list(args[i:])
            if ":::" in rest:
                rest = rest[: rest.index(":::")]
            if rest:
                return None, [(" ".join(rest), "parallel")]
            return None, strings
        i += positionals
        while i < len(args) and SETTING.match(args[i]):
            i += 1  # not a real command, but never let it hide the next word
        rest = args[i:]
        if name == "sudo" and not rest:
            return None, strings
        if rest:
            return 1 + i, strings
        return None, strings
    return None, strings


def _find_exec(cmd: SimpleCommand) -> list[tuple[str, str]]:
    if artifacts_only(cmd.args, cmd.dynamic[1:]):
        return [(shlex.join(inner), ARTIFACT_VIA) for _, inner in exec_commands(cmd.args)]
    return [(shlex.join(inner), f"find {action}") for action, inner in exec_commands(cmd.args)]


# --- the AST walk ------------------------------------------------------------------------------
class _Walker:
    def __init__(self, depth: int, via: tuple[str, ...], span: tuple[int, int] | None,
                 text: str = ""):
        self.text = text
        self.depth = depth
        self.via = via
        self.outer_span = span
        self.commands: list[SimpleCommand] = []
        self.problems: list[ParseProblem] = []
        self.functions: list[str] = []
        self.loop_vars: list[str] = []
        self.pipelines: list[tuple[tuple[int, ...], ...]] = []
        self.loops: list[tuple[bool, tuple[int, ...], tuple[int, int]]] = []
        self.for_values: list[tuple[str, tuple[str, ...] | None, int, int]] = []
        #: the redirections of the compound commands around the one being walked
        self.inherited: list[Redirect] = []
        #: the command indices the last ``emit`` added (the stage of a pipeline)
        self.last_chain: tuple[int, ...] = ()
        #: where here-document delimiters that were quoted start (their body is literal)
        self.quoted_heredocs: frozenset[int] = frozenset()

    def span(self, node) -> tuple[int, int]:
        return self.outer_span or tuple(node.pos)  # type: ignore[return-value]

    def visit(self, node, pipe_from: tuple[str, ...] = ()) -> list[str]:
        """Walk ``node``; return the names of the commands it runs (for pipelines). A
        compound command's redirections (``{ ...; } >> ~/.bashrc``, ``while ...; done <
        FILE``) are every command's inside it (red team s11)."""
        reds = getattr(node, "redirects", None) if node.kind != "command" else None
        if not reds:
            return self.visit_node(node, pipe_from)
        # each command inside appends to the file the compound opened: judged as ``>>``
        # (where it writes is the question; a ``cd`` inside truncates nothing on its own)
        added = [replace(r, op=">>") if r.op in (">", ">|") else r for r in
                 (self.redirect(r) for r in reds if getattr(r, "kind", "") == "redirect")]
        self.inherited.extend(added)
        try:
            return self.visit_node(node, pipe_from)
        finally:
            del self.inherited[len(self.inherited) - len(added):]

    def redirect(self, part) -> Redirect:
        """A redirection node as the guard judges it (its target after quote removal)."""
        out = part.output
        if not hasattr(out, "word"):
            return Redirect(part.type, str(out))
        _, d = self.word_inner(out)
        return Redirect(part.type, self.word_value(out), d)

    def visit_node(self, node, pipe_from: tuple[str, ...] = ()) -> list[str]:
        kind = node.kind
        if kind == "command":
            names = self.command(node, pipe_from)
            self.pipelines.append((self.last_chain,))
            return names
        if kind == "pipeline":
            names = []
            upstream: tuple[str, ...] = pipe_from
            stages: list[tuple[int, ...]] = []
            for part in node.parts:
                if part.kind in ("pipe", "reservedword"):  # | and the ! that negates
                    continue
                if part.kind == "command":
                    got = self.command(part, upstream)
                    stages.append(self.last_chain)
                else:
                    got = self.visit(part, upstream)
                    stages.append(())
                names.extend(got)
                upstream = _feeders(upstream, got)
            self.pipelines.append(tuple(stages))
            return names
        if kind in ("while", "until") and len(node.parts) > 2:
            return self.loop(node, pipe_from)
        if kind == "function":
            self.functions.append(node.name.word)
            return self.visit(node.body, pipe_from)
        if kind in ("for", "select") and len(node.parts) > 1 and node.parts[1].kind == "word":
            self.loop_vars.append(node.parts[1].word)
            if kind == "for":
                self.for_values.append((node.parts[1].word, self.for_words(node), -1, -1))
        at_for = len(self.for_values) - 1 if kind == "for" else -1
        names = []
        for child in _children(node):
            if at_for >= 0 and self.for_values[at_for][2] < 0 and child.kind not in (
                    "word", "reservedword", "operator"):
                # the body: its first command is where the loop's variable holds its words
                name, words, _, _ = self.for_values[at_for]
                self.for_values[at_for] = (name, words, len(self.commands), -1)
            names.extend(self.visit(child, pipe_from))
        if at_for >= 0:
            name, words, start, _ = self.for_values[at_for]
            self.for_values[at_for] = (name, words, start, len(self.commands))
        return names

    def for_words(self, node) -> tuple[str, ...] | None:
        """The words of ``for NAME in WORDS``, or None when one is computed (or there is no
        ``in``: the positional parameters)."""
        parts = node.parts
        if len(parts) < 3 or getattr(parts[2], "word", "") != "in":
            return None
        words = []
        for part in parts[3:]:
            if part.kind != "word":
                break
            raw = self.text[part.pos[0]:part.pos[1]] if self.text else part.word
            if "$" in raw or "`" in raw:
                return None
            words.append(self.word_value(part))
        return tuple(words)

    def loop(self, node, pipe_from: tuple[str, ...]) -> list[str]:
        """A ``while``/``until`` loop: its parts, and what decides whether it ends."""
        before = len(self.pipelines)
        names = self.visit(node.parts[1], pipe_from)
        cond = node.parts[1]
        if cond.kind == "list" and cond.parts:
            last = [p for p in cond.parts if p.kind != "operator"][-1:]
            cond = last[0] if last else cond
        negated = cond.kind == "pipeline" and any(
            p.kind == "reservedword" and p.word == "!" for p in cond.parts)
        stages = self.pipelines[-1] if len(self.pipelines) > before else ()
        at = len(self.loops)
        self.loops.append(((node.kind == "while") != negated,
                           stages[0] if len(stages) == 1 else (), (0, 0)))
        start = len(self.commands)
        for part in node.parts[2:]:
            names.extend(self.visit(part, pipe_from))
        self.loops[at] = (*self.loops[at][:2], (start, len(self.commands)))
        return names

    def word_value(self, word) -> str:
        """The word after quote removal. bashlex mishandles adjacent quoted segments
        (``'a '"'"'b'``), so quoted words are unquoted again from the source text."""
        raw = self.text[word.pos[0]:word.pos[1]] if self.text else ""
        if raw and any(q in raw for q in "'\"\\"):
            value = unquote(raw)
            if value is not None:
                return value
        return word.word

    def word_split(self, word) -> bool:
        """Whether ``word`` has an expansion outside quotes (its value is split and globbed)."""
        raw = self.text[word.pos[0]:word.pos[1]] if self.text else word.word
        return unquoted_expansion(raw)

    def tame_word(self, word, value: str) -> str | None:
        """``value`` with its substitutions replaced by ``0`` when every expansion in the
        word is a substitution whose output is tame (:func:`tame_output`), else None."""
        parts = getattr(word, "parts", []) or []
        if not self.text or not parts:
            return None
        raw = self.text[word.pos[0]:word.pos[1]]
        if ("$'" in raw or '$"' in raw) and locale_or_ansi_quoted(raw):
            return None
        for part in parts:
            if part.kind != "commandsubstitution":
                if (part.kind == "parameter" and not self.literal_dollar(part)) or \
                        part.kind == "processsubstitution" or (
                        part.kind == "tilde" and _DIR_TILDE.match(part.value)):
                    return None
                continue
            src = self.text[part.pos[0]:part.pos[1]]
            inner = substitution_source(self.text, part.pos[0])
            if inner is None or src not in value:
                return None
            pid = not tame_output(inner)
            if pid and value == src and len(parts) == 1 and pid_output(inner, many=True):
                # (session 17) a whole word of process ids (``jstat -gcutil $(pgrep -f
                # app.jar) 1000 5``): judged as a literal id, and unquoted the classifier
                # judges the command again without it and with it twice (no process,
                # several: bash drops or splits the word)
                raw = self.text[word.pos[0]:word.pos[1]]
                return PID_QUOTED if raw.startswith('"') else PID_WORD
            if pid and not pid_output(inner):
                return None
            value = value.replace(src, TAME, 1)
            at = value.index(TAME)
            # a process id names its /proc directory (``/proc/$(pgrep -o app)/status``),
            # where any id reads alike; never a whole word: judged as 0, a pid of 1 would
            # pass for ``kill 0``
            # and one of its files that say only how the process runs: with no such process
            # the word is /proc/NAME, which must be as harmless (never /proc/kcore, /self/)
            if pid and (value[:at] != "/proc/" or not _PROC_PID_FILE.fullmatch(
                    value, at + len(TAME))):
                return None
            if "/" in value[at:] and not pid:
                # in a directory name (``$(date +%Y)/Makefile``) the write memory would keep
                # ``0/Makefile`` and miss the directory it really is: only in the last name
                return None
        return value

    def listed_glob(self, word) -> str | None:
        """The glob a word's only substitution lists by name (``$(ls -t logs/*.out | head
        -1)`` in double quotes): its output is some of the names the glob matches, so the word
        is judged as that glob, or None."""
        parts = getattr(word, "parts", []) or []
        if not self.text or len(parts) != 1 or parts[0].kind != "commandsubstitution":
            return None
        raw = self.text[word.pos[0]:word.pos[1]]
        src = self.text[parts[0].pos[0]:parts[0].pos[1]]
        # unquoted, a listed name with a blank splits into operands and options (a clone
        # may hold ``logs/a --output=x b.out``): only a double-quoted word is one name
        if raw != f'"{src}"':
            return None
        inner = substitution_source(self.text, parts[0].pos[0])
        m = LISTED_GLOB.fullmatch(inner or "")
        if m is None or ".." in m.group(1).split("/"):
            return None
        return m.group(1)

    def literal_dollar(self, part) -> bool:
        """bashlex's parameter part for a ``$`` bash leaves as it is (``"error$"``, ``"^$"``,
        ``a$ b``: no name, brace or parenthesis follows it): no expansion."""
        return part.value == "" and self.text[part.pos[0]:part.pos[1]] == "$"

    def word_inner(self, word) -> tuple[list[str], bool]:
        """Commands inside a word's substitutions; whether the word is dynamic."""
        names: list[str] = []
        raw = self.text[word.pos[0]:word.pos[1]] if self.text else ""
        dynamic = ("$'" in raw or '$"' in raw) and locale_or_ansi_quoted(raw)
        for part in getattr(word, "parts", []) or []:
            if part.kind in ("commandsubstitution", "processsubstitution"):
                dynamic = True
                names.extend(self.substitution(part))
            elif (part.kind == "parameter" and not self.literal_dollar(part)) or (
                    part.kind == "tilde" and _DIR_TILDE.match(part.value)):
                # ~+ ~- ~N are $PWD, $OLDPWD and the directory stack: run-time values
                dynamic = True
        return names, dynamic

    def substitution(self, node) -> list[str]:
        """Parse ``$(...)``, backticks or ``<(...)`` again from the source text: bashlex drops
        everything after a newline inside a substitution."""
        start = node.pos[0]
        inner = substitution_source(self.text, start) if self.text else None
        if inner is None:
            return self.visit(node.command)
        if self.depth + 1 > MAX_DEPTH:
            self.problems.append(ParseProblem("nesting too deep", self.span(node), self.via))
            return []
        sub = self.absorb(parse(inner, depth=self.depth + 1, via=self.via, span=self.span(node)))
        return [c.name for c in sub.commands if c.argv and c.via == self.via]

    def heredoc_substitutions(self, body: str, node) -> list[str]:
        """Parse every ``$(...)`` and backquote in a here-document body that bash expands."""
        names: list[str] = []
        i = 0
        while i < len(body):
            check()
            if body[i] == "\\":
                i += 2
                continue
            if body.startswith("$(", i) and not body.startswith("$((", i) or body[i] == "`":
                inner = substitution_source(body, i)
                if inner is None:
                    self.problems.append(ParseProblem("an unterminated substitution in a "
                                                      "here-document", self.span(node), self.via))
                    return names
                if self.depth + 1 > MAX_DEPTH:
                    self.problems.append(ParseProblem("nesting too deep", self.span(node),
                                                      self.via))
                    return names
                sub = self.absorb(parse(inner, depth=self.depth + 1, via=self.via,
                                        span=self.span(node)))
                names.extend(c.name for c in sub.commands if c.argv and c.via == self.via)
                i += len(inner) + (2 if body[i] == "`" else 3)
                continue
            i += 1
        return names

    def absorb(self, sub: ParseResult) -> ParseResult:
        """Take the commands, problems and functions of a nested parse as this walk's own."""
        at = len(self.commands)
        if at:
            self.pipelines.extend(tuple(tuple(i + at for i in st) for st in p)
                                  for p in sub.pipelines)
            self.loops.extend((w, tuple(i + at for i in st), (b + at, e + at))
                              for w, st, (b, e) in sub.loops)
        else:
            self.pipelines.extend(sub.pipelines)
            self.loops.extend(sub.loops)
        self.for_values.extend((n, w, b + at if b >= 0 else b, e + at if e >= 0 else e)
                               for n, w, b, e in sub.for_values)
        self.commands.extend(sub.commands)
        self.problems.extend(sub.problems)
        self.functions.extend(sub.functions)
        self.loop_vars.extend(sub.loop_vars)
        return sub

    def command(self, node, pipe_from: tuple[str, ...]) -> list[str]:
        argv: list[str] = []
        dyn: list[bool] = []
        redirects: list[Redirect] = []
        assignments: list[str] = []
        inner: list[str] = []
        heredoc, expands = None, False
        stdin_sources = 0
        split: list[bool] = []
        globbed: list[bool] = []
        for part in node.parts:
            if part.kind == "word":
                names, d = self.word_inner(part)
                inner.extend(names)
                value = self.word_value(part)
                tame = self.tame_word(part, value) if d else None
                listed = self.listed_glob(part) if d and tame is None else None
                if tame is not None:
                    # $(date +%F): its commands are judged, its output is digits and
                    # dashes; the word is judged as written with 0 in its place
                    value, d = tame, False
                elif listed is not None:
                    # $(ls -t logs/*.out | head -1): some of the glob's names, judged as
                    # the glob itself (its ls is judged too)
                    value, d = listed, False
                argv.append(value)
                dyn.append(d)
                split.append(d and self.word_split(part))
                globbed.append(listed is not None or unquoted_glob(
                    self.text[part.pos[0]:part.pos[1]] if self.text else part.word))
            elif part.kind == "assignment":
                names, _ = self.word_inner(part)
                inner.extend(names)
                assignments.append(part.word)
            elif part.kind == "redirect":
                out = part.output
                # any redirection of fd 0 (``0>&3``, ``0<>f`` too) replaces what it reads; a
                # document on another descriptor (``3<<B``) is not the command's stdin
                fd = getattr(part, "input", None)
                if fd == 0 or fd is None and part.type in ("<", "<<", "<<-", "<<<", "<&",
                                                           "<>"):
                    stdin_sources += 1
                if hasattr(out, "word"):
                    names, d = self.word_inner(out)
                    inner.extend(names)
                    target = self.word_value(out)
                    tame = self.tame_word(out, target) if d else None
                    target, d = (tame, False) if tame is not None else (target, d)
                    redirects.append(Redirect(part.type, target, d))
                else:
                    redirects.append(Redirect(part.type, str(out)))
                hd = getattr(part, "heredoc", None)
                if hd is not None and fd in (None, 0):
                    heredoc = _without_delimiter(hd.value, redirects[-1].target)
                    raw = self.text[out.pos[0]:out.pos[1]] if self.text and hasattr(
                        out, "pos") else ""
                    expands = not any(q in raw for q in "'\"\\") and not (
                        hasattr(out, "pos") and out.pos[0] in self.quoted_heredocs)
                    if expands:
                        inner.extend(self.heredoc_substitutions(heredoc, node))
            elif part.kind in ("compound", "reservedword"):
                self.visit(part)
        cmd = SimpleCommand(
            argv=tuple(argv), dynamic=tuple(dyn), redirects=(*redirects, *self.inherited),
            assignments=tuple(assignments), via=self.via, span=self.span(node),
            pipe_from=pipe_from, inner=tuple(inner), heredoc=heredoc,
            heredoc_expands=expands, split=tuple(split), globbed=tuple(globbed),
            heredoc_sole=heredoc is not None and stdin_sources == 1 and not pipe_from,
        )
        return self.emit(cmd)

    def result(self, problems: tuple[ParseProblem, ...] | None = None) -> ParseResult:
        return ParseResult(tuple(self.commands), tuple(self.problems) if problems is None
                           else problems, tuple(self.functions), tuple(self.loop_vars),
                           tuple(self.pipelines), tuple(self.loops), tuple(self.for_values))

    def emit(self, cmd: SimpleCommand) -> list[str]:
        names: list[str] = []
        chain: list[int] = []
        current: SimpleCommand | None = cmd
        hops = 0
        while current is not None:
            check()
            current = heredoc_as_argument(current)
            if current.argv or current.redirects or current.assignments:
                chain.append(len(self.commands))
                self.commands.append(current)
            if current.argv:
                names.append(current.name)
            nxt, strings = unwrap(current) if current.argv else (None, [])
            for text, ctx in strings:
                self.nested(text, (*current.via, ctx), current)
            current = nxt
            hops += 1
            if hops > 32:
                self.problems.append(ParseProblem("too many nested wrappers", cmd.span, cmd.via))
                break
        self.last_chain = tuple(chain)
        return names

    def nested(self, text: str, via: tuple[str, ...], outer: SimpleCommand) -> None:
        if self.depth + 1 > MAX_DEPTH:
            self.problems.append(ParseProblem("nesting too deep", outer.span, via))
            return
        self.absorb(parse(text, depth=self.depth + 1, via=via, span=outer.span,
                          pipe_from=outer.pipe_from))


#: clients that read a script on stdin as the text an option of theirs would give
_STDIN_AS_OPTION = {"psql": "-c", "mysql": "-e", "mariadb": "-e", "duckdb": "-c"}
#: options that already give the client its text (the here-document is then data or unused)
_TEXT_OPTIONS = frozenset({"-c", "--command", "-f", "--file", "-e", "--execute", "-cmd",
                           "-init", "-s"})
#: a Python interpreter's name (python, python3, python3.11)
PYTHON_NAME = re.compile(r"python[0-9.]*+")
#: a source encoding declaration (PEP 263): Python honours it when it reads a script from a
#: file (bash before 5.1 passes a here-document as one), never in -c (red team s14 H8)
_CODING = re.compile(r"^[ \t\f]*+#[^\n]*?coding[:=]", re.M)


def heredoc_as_argument(cmd: SimpleCommand) -> SimpleCommand:
    """A here-document bash passes as written (a quoted delimiter, or nothing to expand)
    into a client that reads it as a script is that script given as an argument:
    ``psql <<'SQL' ... SQL`` is ``psql -c '...'``, ``python3 - <<'EOF'`` is ``python3 -c``,
    judged (and refused) exactly as that spelling is (session 14: a read-only EXPLAIN or a
    short pandas report was held as code piped to an interpreter)."""
    body = cmd.heredoc
    if body is None or not cmd.argv or cmd.pipe_from or not cmd.heredoc_sole or (
            cmd.heredoc_expands and any(ch in body for ch in "$`\\")):
        return cmd
    # (a wrapped command, ``sudo -u postgres psql <<'SQL'``, has its wrapper's document and
    # none of the redirections: heredoc_sole was decided where they were)
    docs = [r for r in cmd.redirects if r.op in ("<<", "<<-")]
    if docs and docs[0].op != "<<" or "\t" in body and not docs or _CODING.search(
            "\n".join(body.split("\n", 2)[:2])):
        return cmd
    if cmd.name in ("duckdb", "sqlite3") and any(
            line.lstrip().startswith(".") for line in body.split("\n")):
        return cmd  # a dot-command on stdin is a line of its own (red team s14 H3)
    opt = _STDIN_AS_OPTION.get(cmd.name)
    if opt is not None and not any(a.split("=", 1)[0] in _TEXT_OPTIONS for a in cmd.args):
        argv = (*cmd.argv, opt, body)
    elif PYTHON_NAME.fullmatch(cmd.name) and cmd.args in ((), ("-",)):
        argv = (cmd.argv[0], "-c", body)
    else:
        return cmd
    keep = 1 if argv[1:2] == ("-c",) and PYTHON_NAME.fullmatch(cmd.name) else len(cmd.argv)

    def fit(flags: tuple[bool, ...]) -> tuple[bool, ...]:
        return (*flags[:keep], *(False,) * (keep - len(flags[:keep])),
                *(False,) * (len(argv) - keep)) if flags else ()

    return replace(cmd, argv=argv, dynamic=fit(cmd.dynamic), split=fit(cmd.split),
                   globbed=fit(cmd.globbed), heredoc=None, heredoc_expands=False,
                   redirects=tuple(r for r in cmd.redirects if r not in docs))


_HEREDOC_OP = re.compile(r"(?<!<)<<(-?)(?!<)[ \t]*+")
#: the delimiter words bashlex and bash end a here-document at the same line for: a plain
#: word, or one wholly quoted or backslashed (bashlex reads those again with the quotes
#: blanked); any other quoting (``E"OF"``, ``$'EOF'``) bash removes and bashlex keeps
_PLAIN_DELIMITER = re.compile(r"([A-Za-z0-9_.-]++)|'([A-Za-z0-9_.-]++)'|\"([A-Za-z0-9_.-]++)\"|"
                              r"\\([A-Za-z0-9_.-]++)")
_DELIMITER_END = re.compile(r"[^ \t\n;&|()<>]*+")


def _heredoc_trouble(text: str) -> str | None:
    """Why bash may end a here-document at another line than bashlex does, or None (red team
    s14 H1: the lines between the two ends run as commands, judged as the document's text).
    Bash removes any quoting from the delimiter and, in a quoted document, keeps a line's
    trailing backslash; bashlex compares the word as written and joins backslash-newline."""
    if "\\<" in text:
        # ``\<<<W``: bash reads ``\<`` as a literal ``<`` and then the operator ``<<`` that
        # a here-string's ``<<<`` hid from the search below (round five)
        return "an escaped < stands before a here-document operator"
    if text.replace("\\\n", "").count("<<") != text.count("<<"):
        # bash joins backslash-newline before it reads an operator or a word (``<\``,
        # newline, ``<E"OF"``): a document spelled so is not checked here (round four, F1)
        return "a here-document operator or its delimiter spans a line continuation"
    for m in _HEREDOC_OP.finditer(text):
        word = _DELIMITER_END.match(text, m.end()).group(0)
        if text.startswith("\\\n", m.end() + len(word) - 1) or word.endswith("\\"):
            return "a here-document delimiter spans a line continuation"
        if not word:
            continue
        plain = _PLAIN_DELIMITER.fullmatch(word)
        if plain is None:
            return f"the here-document delimiter {word!r} is quoted in part"
        delimiter = next(g for g in plain.groups() if g)
        if plain.group(1):
            continue
        # a wholly quoted delimiter: bashlex must meet its quoted spelling as no line at all
        # (it would end there, after bash's end), nor a line inside the document that ends
        # with a backslash (it joins the next line to it; bash does not)
        start = text.find("\n", m.end())
        lines = text[start + 1:].split("\n") if start >= 0 else []
        bare = [x.lstrip("\t") if m.group(1) else x for x in lines]
        if word in bare:
            return "a line spells the here-document's quoted delimiter as written"
        for i, (line, b) in enumerate(zip(lines, bare, strict=True)):
            if b == delimiter:
                break
            # bashlex joins a trailing backslash to the next line: only when that line is
            # the delimiter does it miss the end bash sees (a script's own continuation
            # lines, written through a quoted document, are ordinary)
            if line.endswith("\\") and i + 1 < len(bare) and (
                    bare[i + 1] == delimiter or (line[:-1] + lines[i + 1]).lstrip(
                        "\t" if m.group(1) else "") == delimiter):
                return "a quoted here-document's line ends with a backslash before its end"
    return None


def _without_delimiter(body: str, delimiter: str) -> str:
    """A here-document's body: bashlex keeps the delimiter's line at its end."""
    lines = body.rstrip("\n").split("\n")
    if lines and lines[-1].strip("\t") == delimiter:
        return "\n".join(lines[:-1]) + ("\n" if len(lines) > 1 else "")
    return body


_QUOTED_DELIMITER = re.compile(
    r"(<<-?+[ \t]*+)(?:(['\"])([A-Za-z0-9_.-]++)\2|\\([A-Za-z0-9_.-]++))")


def _blank_heredoc_quotes(text: str) -> tuple[str, frozenset[int]]:
    """``text`` with each quoted here-document delimiter (``<<'EOF'``, ``<<"EOF"``,
    ``<<\\EOF``) unquoted in place, blanks for the quotes (every position stays), and
    where those delimiters now start."""
    starts: list[int] = []

    def blank(m: re.Match[str]) -> str:
        word = m.group(3) or m.group(4)
        starts.append(m.start() + len(m.group(1)) + 1)
        return m.group(1) + " " + word + (" " if m.group(3) else "")
    return _QUOTED_DELIMITER.sub(blank, text), frozenset(starts)


def _feeders(upstream: tuple[str, ...], names: list[str]) -> tuple[str, ...]:
    """The commands feeding the next stage of a pipeline, each once (``a|a|a|...`` would
    otherwise give each stage all the stages before it: quadratic in the line)."""
    return tuple(dict.fromkeys((*upstream, *names)))


def _quoting(raw: str) -> Iterator[tuple[int, str, str, bool]]:
    """(index, character, quoting, syntax) of each of ``raw``'s characters: the quotes it is
    inside (``"'"``, ``'"'``), ``"\\"`` when a backslash escapes it, ``""`` for none; syntax:
    a quote or backslash that quotes, not a character of the word."""
    i, n, quote = 0, len(raw), ""
    while i < n:
        ch = raw[i]
        if ch == "\\" and quote != "'":
            yield i, ch, quote, True
            if i + 1 < n:
                yield i + 1, raw[i + 1], "\\", False
            i += 2
            continue
        if quote:
            yield i, ch, quote, ch == quote
            if ch == quote:
                quote = ""
        else:
            yield i, ch, "", ch in "'\""
            if ch in "'\"":
                quote = ch
        i += 1


def _outside_quotes(raw: str) -> Iterator[tuple[int, str]]:
    """(index, character) of ``raw``'s characters outside single and double quotes and not
    escaped by a backslash."""
    return ((i, ch) for i, ch, quoting, syntax in _quoting(raw) if not quoting and not syntax)


def unquoted_expansion(raw: str) -> bool:
    """A ``$`` (not ``$'...'``) or backquote outside single and double quotes in ``raw``."""
    return any(ch == "`" or (ch == "$" and raw[i + 1:i + 2] not in ("'", '"', ""))
               for i, ch in _outside_quotes(raw))


def locale_or_ansi_quoted(raw: str) -> bool:
    """A ``$'...'`` or ``$"..."`` in ``raw`` outside quotes (bash decodes the first's
    escapes, which quote removal does not: the guard's text of the word is not bash's).
    Inside single quotes ``'^$'`` is a literal dollar; inside double quotes ``"^$"`` too
    (``$"`` there is a dollar and the closing quote). A substitution inside double quotes
    starts new quoting: from there on every ``$'``/``$"`` counts (conservative)."""
    i, n, single, double = 0, len(raw), False, False
    while i < n:
        ch = raw[i]
        if single:
            single = ch != "'"
        elif ch == "\\":
            i += 1
        elif double:
            if ch == '"':
                double = False
            elif ch == "`" or raw.startswith("$(", i):
                return "$'" in raw[i:] or '$"' in raw[i:]
        elif ch == "'":
            single = True
        elif ch == '"':
            double = True
        elif ch == "$" and raw[i + 1:i + 2] in ("'", '"'):
            return True
        i += 1
    return False


def unquoted_glob(raw: str) -> bool:
    """A glob or brace character (``*?[{``) outside quotes and not escaped in ``raw``."""
    return any(ch in raw for ch in "*?[{") and any(
        ch in "*?[{" for _, ch in _outside_quotes(raw))


def unquote(raw: str) -> str | None:
    """Shell quote removal of one word, leaving expansions (``$x``, ``$(...)``) as text.
    None if the quoting is unbalanced."""
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            if i + 1 < n and raw[i + 1] != "\n":
                out.append(raw[i + 1])
            i += 2
        elif ch == "'":
            j = raw.find("'", i + 1)
            if j < 0:
                return None
            out.append(raw[i + 1:j])
            i = j + 1
        elif ch == '"':
            i += 1
            while i < n and raw[i] != '"':
                if raw[i] == "\\" and i + 1 < n and raw[i + 1] in '$`"\\\n':
                    if raw[i + 1] != "\n":
                        out.append(raw[i + 1])
                    i += 2
                elif raw.startswith("$(", i):
                    i = _copy_substitution(raw, i, out)
                    if i < 0:
                        return None
                else:
                    out.append(raw[i])
                    i += 1
            if i >= n:
                return None
            i += 1
        elif raw.startswith("$(", i):
            i = _copy_substitution(raw, i, out)
            if i < 0:
                return None
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _copy_substitution(raw: str, i: int, out: list[str]) -> int:
    """Copy the ``$(...)`` at ``i`` verbatim into ``out``; the index after it, or -1."""
    inner = substitution_source(raw, i)
    if inner is None:
        return -1
    out.append("$(" + inner + ")")
    return i + len(inner) + 3


#: what a tame substitution stands for in the word the guard judges
TAME = "0"
#: what a whole word of process ids stands for (pid_max is at most 2**22: no process has it)
PID_WORD = "4194304"
#: the same in double quotes: one word, empty when no process matched
PID_QUOTED = "4194303"
#: ``ls`` of one glob with options that print bare names only (never -l, -R, -Q: columns,
#: other directories' entries, quoting), optionally cut to its first or last lines
LISTED_GLOB = re.compile(
    r"\A\s*+ls(?:\s++-[trc1uSdXv]++)*+\s++((?:~/|/)?+[A-Za-z0-9_.][A-Za-z0-9_./-]*+[*?]"
    r"[A-Za-z0-9_./*?-]*+|(?:~/|/)?+[*?][A-Za-z0-9_./*?-]*+)"
    r"(?:\s*+\|\s*+(?:head|tail)(?:\s++-n\s*+[0-9]++|\s++-[0-9]++)?+)?+\s*+")
#: ``date +FORMAT`` of conversions and separators only, one conversion at least: its output
#: is digits, names of days and months, ``-:+._,TZ`` (never a slash, a blank or a glob
#: character: not %D %x %c %e %k %l %n %t %+; and no literal word: ``date +bin`` prints
#: ``bin``, ``date +x.pth`` a Python startup hook's name)
_DATE_FORMAT = re.compile(r"\+(?:%:?[YmdHMSFTsyjuwUVGgNzZaAbBhpIR%]|[-:+._,TZ])++")
_DATE_CONVERSION = re.compile(r"%:?[YmdHMSFTsyjuwUVGgNzZaAbBhpIR]")
#: never a host or user name: substituted into a look-up (dig $(hostname).x.example) it
#: would carry what it says off the host
_TAME_FIXED = frozenset({
    ("nproc",), ("nproc", "--all"), ("git", "rev-parse", "HEAD"),
    ("git", "rev-parse", "--short", "HEAD"),
    ("git", "rev-parse", "@"), ("git", "rev-parse", "--short", "@"), ("date", "+%s"),
    ("date", "-I"), ("date", "--iso-8601"), ("date", "-Iseconds"), ("date", "-Iminutes"),
    ("date", "-Ihours"), ("date", "-Idate"), ("date", "-u", "-I")})


#: a ref by name (``origin/main``, ``HEAD~3``, ``v1.2.0``): never an option or a path from ~
_REF_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^@-]*+")


def tame_output(inner: str) -> bool:
    """The command ``inner`` prints one word of letters, digits and ``-:+._`` that says
    nothing about the host (a date, a commit id, a count), never a slash, a blank, a glob
    character or a leading dash: a word it is substituted into is as good as a literal."""
    try:
        words = tuple(shlex.split(inner, posix=True))
    except ValueError:
        return False
    if words in _TAME_FIXED or words[:3] in (("git", "rev-parse", "--short=7"),) and \
            words[3:] in (("HEAD",), ("@",)):
        return True
    if words[:2] == ("git", "merge-base") and len(words) == 4 and all(
            _REF_WORD.fullmatch(w) for w in words[2:]):
        return True  # one commit id of two refs (never --all/--octopus/--independent: many)
    if not words or words[0] != "date" or not _DATE_FORMAT.fullmatch(words[-1]) or \
            not _DATE_CONVERSION.search(words[-1].replace("%%", "")):
        return False
    rest = words[1:-1]
    i = 0
    while i < len(rest):
        if rest[i] in ("-u", "--utc", "--universal"):
            i += 1
        elif rest[i] in ("-d", "--date") and i + 1 < len(rest):
            i += 2
        elif rest[i].startswith("--date="):
            i += 1
        else:
            return False
    return True


#: pgrep's options that select processes (never -a/-l/-d: command lines, names, a delimiter)
_PGREP_SELECT = frozenset({"-f", "--full", "-x", "--exact", "-i", "--ignore-case", "-o",
                           "--oldest", "-n", "--newest", "-r", "--runstates"})
_PGREP_VALUED = frozenset({"-u", "--euid", "-U", "--uid", "-P", "--parent", "-g", "--pgroup",
                           "-G", "--group", "-s", "--session", "-t", "--terminal"})
_FIRST_LINE = ((("head", "-1"),), (("head", "-n", "1"),), (("head", "-n1"),), (("tail", "-1"),),
               (("tail", "-n", "1"),), (("tail", "-n1"),))


#: a process's /proc files that tell how it runs (never environ, cmdline, maps, mem, fd/N)
#: (files, never a directory: ``task/`` holds every thread's environ, red team s15 A3)
_PROC_PID_FILE = re.compile(r"/(?:status|stat|statm|limits|io|sched|schedstat|oom_score|"
                            r"oom_score_adj|cgroup|wchan|smaps_rollup|comm|mountinfo|"
                            r"loginuid|sessionid)")


def pid_output(inner: str, many: bool = False) -> bool:
    """(session 15) The command ``inner`` prints one process id or nothing: ``pgrep`` with
    ``-o``/``-n`` or cut to one line, ``pidof -s``: digits only. ``many``: or several,
    one per line or blank-separated (``pidof``, ``pgrep``), or comma-separated
    (``pgrep -d,``)."""
    try:
        words = tuple(shlex.split(inner, posix=True))
    except ValueError:
        return False
    stages: list[tuple[str, ...]] = [()]
    for w in words:
        if w == "|":
            stages.append(())
        else:
            stages[-1] += (w,)
    first, rest = stages[0], tuple(stages[1:])
    if rest and rest not in _FIRST_LINE:
        return False
    if first[:1] == ("pidof",):
        opts = [w for w in first[1:] if w.startswith("-")]
        names = [w for w in first[1:] if not w.startswith("-")]
        return bool(names) and set(opts) <= {"-s", "-x"} and (
            "-s" in opts or bool(rest) or many)
    if first[:2] == ("systemctl", "show"):
        return not rest and _main_pid_of_unit(first[2:])
    if first[:1] != ("pgrep",):
        return False
    i, one, pattern = 1, bool(rest), 0
    while i < len(first):
        w = first[i]
        if w in _PGREP_SELECT:
            one = one or w in ("-o", "--oldest", "-n", "--newest")
        elif w in _PGREP_VALUED and i + 1 < len(first):
            i += 1
        elif many and w in ("-d,", "--delimiter=,"):
            pass  # ids joined by commas: one word of digits and commas
        elif w.startswith("-") and len(w) > 2 and not w.startswith("--") and all(
                "-" + ch in _PGREP_SELECT for ch in w[1:]):
            one = one or "o" in w or "n" in w
        elif w.startswith("-"):
            return False
        else:
            pattern += 1
        i += 1
    return (one or many) and pattern <= 1


#: the properties of a unit that hold one process id (0 when it runs none)
_PID_PROPERTIES = frozenset({"MainPID", "ExecMainPID", "ControlPID"})
#: a unit's name as written: no glob, no option, no template expansion
_UNIT_NAME = re.compile(r"[A-Za-z0-9_.@:-]+")


def _main_pid_of_unit(args: tuple[str, ...]) -> bool:
    """``systemctl show`` ARGS prints one unit's process id property, value only
    (``-p MainPID --value UNIT``, ``--property=MainPID --value``, ``-P MainPID``)."""
    props: list[str] = []
    units: list[str] = []
    value = False
    i = 0
    while i < len(args):
        w = args[i]
        if w in ("-p", "--property", "-P") and i + 1 < len(args):
            props.append(args[i + 1])
            value = value or w == "-P"
            i += 1
        elif w.startswith("--property="):
            props.append(w.split("=", 1)[1])
        elif w.startswith(("-p", "-P")) and len(w) > 2:
            props.append(w[2:])
            value = value or w.startswith("-P")
        elif w == "--value":
            value = True
        elif w.startswith("-") or not _UNIT_NAME.fullmatch(w):
            return False
        else:
            units.append(w)
        i += 1
    return value and len(units) == 1 and len(props) == 1 and props[0] in _PID_PROPERTIES


def substitution_source(text: str, start: int) -> str | None:
    """The source inside ``$(``/``<(``/``>(`` or a backtick at ``start``, to its real end
    (bashlex's own positions stop at the first newline)."""
    if text.startswith("`", start):
        i = start + 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == "`":
                return text[start + 1:i]
            i += 1
        return None
    if text[start:start + 2] not in ("$(", "<(", ">("):
        return None
    depth, i, quote = 1, start + 2, ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch == "\\":
            i += 2
            continue
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[start + 2:i]
        i += 1
    return None


def _children(node) -> Iterator:
    for attr in ("parts", "list"):
        for child in getattr(node, attr, None) or []:
            if isinstance(child, bashlex.ast.node):
                yield child
    for attr in ("command",):
        child = getattr(node, attr, None)
        if isinstance(child, bashlex.ast.node):
            yield child


_TIME_PREFIX = re.compile(r"^\s*time(\s+-p)?\s+")
_FALLBACK_SPLIT = re.compile(r"\|\||&&|[;&|\n(){}`]|\$\(|\bthen\b|\bdo\b|\belse\b|\[\[|\]\]")


def _fallback(text: str, via: tuple[str, ...], span: tuple[int, int] | None) -> list[SimpleCommand]:
    """When bashlex fails: a rough split on operators, so a destructive command still shows."""
    out: list[SimpleCommand] = []
    pos = 0
    for piece in [*_FALLBACK_SPLIT.split(text), ""]:
        check()
        start = text.find(piece, pos) if piece else pos
        pos = start + len(piece)
        try:
            words = shlex.split(piece, comments=False, posix=True)
        except ValueError:
            words = piece.split()
        words = [w for w in words if w]
        # Leading assignments and keywords are not the command.
        while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or
                         words[0] in ("if", "elif", "while", "until", "!", "case", "in", "esac",
                                      "fi", "done", "for", "select", "function", ";;")):
            words.pop(0)
        if not words:
            continue
        out.append(SimpleCommand(
            argv=tuple(words), dynamic=tuple("$" in w for w in words),
            via=(*via, "fallback"), span=span or (start, pos),
        ))
    return out


#: Plain words: no quoting, expansion, glob, redirection, comment or assignment (the first
#: word of a command has no ``=``). A line of such commands joined by ``&&``, ``||``, ``;``
#: and ``|`` is split by bash exactly as it reads; parse() builds those commands without
#: bashlex, whose cold tables cost ~0.3 ms per command inside the relay.
#: tests/guard/test_parse_plain.py checks that both give the same result.
_FIRST_WORD = r"[A-Za-z0-9_./-][A-Za-z0-9_./,:+@%-]*+"
_WORD = r"[A-Za-z0-9_./,:=+@%-]++"
_COMMAND = rf"{_FIRST_WORD}(?:[ \t]++{_WORD})*+"
_OPERATOR = r"&&|\|\||[|;]"
# Possessive quantifiers (nothing given back: a word or a blank run never ends part-way) and
# a start only at the beginning of a blank run keep both patterns linear in every use.
_PLAIN = re.compile(
    rf"(?<![ \t])[ \t]*+{_COMMAND}(?:[ \t]*+(?:{_OPERATOR})[ \t]*+{_COMMAND})*+[ \t]*+;?[ \t]*+")
_PIECES = re.compile(rf"({_COMMAND})|({_OPERATOR})")
#: Words that bash reads as syntax, not as a command name, at the start of a command.
_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
                       "while", "until", "do", "done", "in", "function", "time", "coproc"})


def _plain(text: str, depth: int, via: tuple[str, ...], span: tuple[int, int] | None,
           pipe_from: tuple[str, ...]) -> ParseResult | None:
    """``parse`` for a line of plain commands and operators, or None when it is not one."""
    if _PLAIN.fullmatch(text):
        # (words of a command, or None for an operator; where the command is; the operator;
        # its redirections; which words glob)
        pieces: list[tuple[tuple[str, ...] | None, tuple[int, int], str | None,
                           tuple[Redirect, ...], tuple[bool, ...]]] = []
        for m in _PIECES.finditer(text):
            check()
            words = tuple(m.group(1).split()) if m.group(1) else None
            pieces.append((words, m.span(1), m.group(2), (), (False,) * len(words or ())))
    else:
        got = _quoted_pieces(text)
        if got is None:
            return None
        pieces = got
    if any(p[0] and p[0][0] in _RESERVED for p in pieces):
        return None
    w = _Walker(depth, via, span, text)
    upstream, names = pipe_from, []
    stages: list[tuple[int, ...]] = []
    for words, where, operator, redirects, globbed in pieces:
        if words is None:  # a pipeline feeds on, a list starts afresh
            upstream = _feeders(upstream, names) if operator == "|" else pipe_from
            if operator != "|":
                w.pipelines.append(tuple(stages))
                stages = []
            continue
        names = w.emit(SimpleCommand(argv=words, dynamic=(False,) * len(words), via=via,
                                     split=(False,) * len(words), redirects=redirects,
                                     span=span or where, pipe_from=upstream, globbed=globbed))
        stages.append(w.last_chain)
    if stages:
        w.pipelines.append(tuple(stages))
    return w.result()


#: The second fast path: plain words, quoted words (single quotes; double quotes with no
#: ``$``, backquote, backslash or ``!``) and redirections of a plain target (``2>&1``,
#: ``>/dev/null``, ``>> log``, ``< in``) after the command word, and ``&`` (a list separator
#: like ``;`` for what runs). What bash reads there is
#: plain quote removal; anything else (a quoted command word, an assignment, a redirection
#: first, a glob, ``~``, ``$``...) goes to bashlex. test_parse_plain.py compares both.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "_./,:=+@%-")
#: after the command word, also glob characters and ``^`` (bash leaves the word as it is
#: written; the guard judges globs by their text) and ``~`` (a home, kept as written),
#: except ``~+``, ``~-`` and ``~N``, which bash reads as run-time directories
_ARG_CHARS = _WORD_CHARS | frozenset("*?^~")
_DIR_TILDE_IN = re.compile(r"~[+\-0-9]")
_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7f)) | {"\t"}
_DOUBLE_QUOTED = _PRINTABLE - frozenset('$`\\!"')
_FIRST = re.compile(_FIRST_WORD)
_REDIRECT_OP = re.compile(r"(?<![0-9])[0-9]*+(>>|>&|>|<)")  # a start inside digits: no
_FD = re.compile(r"[0-9]++")
_TARGET = re.compile(r"[A-Za-z0-9_./,:=+@%-]++")
_ENDS = frozenset(" \t&|;")


def _quoted_pieces(text: str) -> list | None:
    """The pieces of a line of commands with quoted words and plain redirections (as
    :func:`_plain` takes them), or None when the line is anything else. ``globs`` gets, per
    command's place, which of its words have a glob character outside quotes."""
    if "<<" in text:
        # bashlex may read ``<<`` even inside quotes as a here-document: such a line takes
        # the full parse, which is the stricter one (the two parses agree by construction)
        return None
    pieces: list = []
    words: list[str] = []
    globbed: list[bool] = []
    redirects: list[Redirect] = []
    start = end = 0
    i, n = 0, len(text)
    while i < n:
        check()
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch in "&|;":
            op = text[i:i + 2] if text[i:i + 2] in ("&&", "||") else ch
            if text[i:i + 2] in (";;", "|&", "&>") or not words:
                return None
            pieces.append((tuple(words), (start, end), None, tuple(redirects), tuple(globbed)))
            pieces.append((None, (-1, -1), op, (), ()))
            words, redirects, globbed = [], [], []
            i += len(op)
            continue
        m = _REDIRECT_OP.match(text, i)
        if m:
            if not words:
                return None  # a redirection before the command word
            op = m.group(1)
            if op == ">&":
                t = _FD.match(text, m.end())
            else:
                k = m.end()
                while k < n and text[k] in " \t":
                    k += 1
                t = _TARGET.match(text, k)
            if t is None or (t.end() < n and text[t.end()] not in _ENDS):
                return None
            redirects.append(Redirect(op, t.group(0)))
            i = end = t.end()
            continue
        k = i
        chars = _ARG_CHARS if words else _WORD_CHARS
        while k < n and text[k] not in _ENDS:
            c = text[k]
            if c in chars:
                k += 1
            elif c == "'" or c == '"':
                close = text.find(c, k + 1)
                allowed = _PRINTABLE if c == "'" else _DOUBLE_QUOTED
                if close < 0 or not allowed.issuperset(text[k + 1:close]):
                    return None
                k = close + 1
            else:
                return None
        word = text[i:k]
        if "~" in word and _DIR_TILDE_IN.search(word):
            return None
        # bashlex marks a word with $' or $" in it (even quoted) as computed, and reads
        # expansions in a quoted part next to an unquoted one (``'$1'x``)
        if "$'" in word or '$"' in word or ("$" in word or "`" in word) and not (
                word[0] in "'\"" and word.find(word[0], 1) == len(word) - 1):
            return None
        if not words:
            if not _FIRST.fullmatch(word) or "=" in word:
                return None
            start = i
        value = unquote(word) if "'" in word or '"' in word else word
        if value is None:
            return None
        words.append(value)
        globbed.append(unquoted_glob(word))
        i = end = k
    if words:
        pieces.append((tuple(words), (start, end), None, tuple(redirects), tuple(globbed)))
    elif not pieces or pieces[-1][2] not in (";", "&"):
        return None  # no command, or one that an operator leaves unfinished
    return pieces


#: ``$((...))`` of numbers and ``+ - * / %`` only: no name (bash evaluates a name's value as
#: arithmetic again, and ``a[$(cmd)]`` there runs cmd), no assignment, no ``**``
_ARITH = re.compile(r"\$\(\(([0-9 +*/%()-]{1,200}?)\)\)")
_ARITH_TOKEN = re.compile(r"([0-9]++)|(\S)")
_ARITH_MAX = 1 << 62


def _arith_value(expr: str) -> int | None:
    """The value bash gives ``expr`` (integers, C division and remainder, a leading 0 is
    octal), or None when it is not such an expression or leaves 62 bits."""
    tokens = [m.group(0) for m in _ARITH_TOKEN.finditer(expr)]
    pos = 0

    def number(t: str) -> int:
        if len(t) > 1 and t[0] == "0":
            if any(ch in "89" for ch in t):
                raise ValueError(t)
            return int(t, 8)
        return int(t)

    def atom() -> int:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("end")
        t = tokens[pos]
        pos += 1
        if t in ("+", "-"):
            v = atom()
            return -v if t == "-" else v
        if t == "(":
            v = add()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise ValueError(")")
            pos += 1
            return v
        if t.isdigit():
            return number(t)
        raise ValueError(t)

    def mul() -> int:
        nonlocal pos
        v = atom()
        while pos < len(tokens) and tokens[pos] in ("*", "/", "%"):
            op = tokens[pos]
            pos += 1
            r = atom()
            if op == "*":
                v *= r
            elif r == 0:
                raise ValueError("division by zero")
            else:
                q = abs(v) // abs(r) * (1 if (v >= 0) == (r >= 0) else -1)
                v = q if op == "/" else v - q * r
            if abs(v) > _ARITH_MAX:
                raise ValueError("range")
        return v

    def add() -> int:
        nonlocal pos
        v = mul()
        while pos < len(tokens) and tokens[pos] in ("+", "-"):
            op = tokens[pos]
            pos += 1
            v = v + mul() if op == "+" else v - mul()
            if abs(v) > _ARITH_MAX:
                raise ValueError("range")
        return v

    try:
        v = add()
    except (ValueError, RecursionError):
        return None
    return v if pos == len(tokens) else None


#: ``$'...'`` with the escapes a separator needs (a tab, a backslash, a printable byte)
_ANSI = re.compile(r"\$'((?:[^'\\]|\\.){0,64}?)'")
_ANSI_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{1,2})|([0-7]{1,3})|(.))", re.S)
_ANSI_SIMPLE = {"t": "\t", "\\": "\\", '"': '"', "?": "?"}


def _ansi_value(body: str) -> str | None:
    """What bash makes of ``$'body'``, when that is printable text or a tab without a
    quote; else None (the word stays one the guard cannot read)."""
    def one(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return _ANSI_SIMPLE.get(m.group(3), "\x00")
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2), 8)
        return chr(code) if 0x20 <= code < 0x7f else "\x00"
    value = _ANSI_ESCAPE.sub(one, body)
    if "'" in value or any(not (ch == "\t" or " " <= ch <= "~") for ch in value):
        return None
    return value


#: the login's name as a whole path component (``/scratch/$USER/x``, ``/data/"$USER"``)
_LOGIN_VAR = re.compile(r'(?<=/)("?)\$(?:USER|LOGNAME|\{USER\}|\{LOGNAME\})\1'
                        r'(?=/|[\s;&|)<>]|\Z)')
#: the home as a word's first component (``"$HOME/p"``, ``$HOME``, ``x=${HOME}/p``): the
#: guard reads it as ``~`` (HOME is a special name: a line that changes it is held)
_HOME_VAR = re.compile(r'(?:(?<=[\s=:"(;|&<>])|\A)\$(?:HOME|\{HOME\})(?=/|[\s";|&)<>]|\Z)')
#: what stands for it: a plain name no rule or table names. sshd sets $USER and $LOGNAME to
#: the login (a user name: never a slash, ``..`` or a glob), and the guard holds every way a
#: line could change them (safe._SPECIAL_NAME: assignment, export, read, for, unset)
LOGIN = "USER"


def literal_arithmetic(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with each ``$((...))`` of plain numbers and operators outside single quotes
    replaced by its value (bashlex cannot parse arithmetic expansion), each unquoted
    ``$'...'`` of printable text or tabs by the same text in single quotes (bash decodes
    it, quote removal does not), the login's name as a whole path component by
    :data:`LOGIN`, and per replacement (where it ends in the new text, how many characters
    shorter it is than the old)."""
    if ("$((" not in text and "$'" not in text and "USER" not in text and
            "LOGNAME" not in text and "HOME" not in text) or "<<" in text:
        return text, ()
    found = []
    for m in _LOGIN_VAR.finditer(text):
        if _quote_state(text, m.start()) in ("", '"'):
            found.append((m.start(), m.end(), m.group(1) + LOGIN + m.group(1)))
    for m in _HOME_VAR.finditer(text):
        if _quote_state(text, m.start()) in ("", '"'):
            found.append((m.start(), m.end(), "~"))
    for m in _ARITH.finditer(text):
        if not _in_single_quotes(text, m.start()):
            value = _arith_value(m.group(1))
            if value is not None:
                found.append((m.start(), m.end(), str(value)))
    for m in _ANSI.finditer(text):
        if _quote_state(text, m.start()) == "":
            value = _ansi_value(m.group(1))
            if value is not None:
                found.append((m.start(), m.end(), f"'{value}'"))
    out: list[str] = []
    shifts: list[tuple[int, int]] = []
    last = length = 0
    for start, end, digits in sorted(found):
        if start < last:
            continue
        head = text[last:start]
        out += [head, digits]
        length += len(head) + len(digits)
        shifts.append((length, end - start - len(digits)))
        last = end
    return ("".join(out) + text[last:], tuple(shifts)) if out else (text, ())


def _old_position(at: int, shifts: tuple[tuple[int, int], ...]) -> int:
    """Where position ``at`` of the rewritten text was in the text as written."""
    return at + sum(d for end, d in shifts if end <= at)


def _remap(result: ParseResult, shifts: tuple[tuple[int, int], ...]) -> ParseResult:
    """``result`` with every span put back on the line as written (literal_arithmetic)."""
    def span(s: tuple[int, int]) -> tuple[int, int]:
        return _old_position(s[0], shifts), _old_position(s[1], shifts)
    return replace(result, commands=tuple(replace(c, span=span(c.span))
                                          for c in result.commands),
                   problems=tuple(replace(p, span=span(p.span)) for p in result.problems))


def _quote_state(text: str, at: int) -> str:
    """The quoting ``text[at]`` is in: ``"'"`` (single quotes or ``$'...'``), ``'"'``,
    ``"\\"`` (escaped by a backslash) or ``""`` (none)."""
    for i, _, quoting, _syntax in _quoting(text[:at + 1]):
        if i == at:
            return quoting
    return ""


def _in_single_quotes(text: str, at: int) -> bool:
    """Is ``text[at]`` inside single quotes or ``$'...'`` (or escaped by a backslash)?"""
    return _quote_state(text, at) in ("'", "\\")


def parse(text: str, *, depth: int = 0, via: tuple[str, ...] = (),
          span: tuple[int, int] | None = None, pipe_from: tuple[str, ...] = (),
          plain: bool = True) -> ParseResult:
    """Every simple command ``text`` could run. Never raises: failures become problems.
    ``plain=False`` sends even a line of plain commands through bashlex (for tests)."""
    check()
    if not text.strip():
        return ParseResult(())
    text, shifts = literal_arithmetic(text)
    if shifts and span is None:
        return _remap(parse(text, depth=depth, via=via, span=span, pipe_from=pipe_from,
                            plain=plain), shifts)
    if plain:
        simple = _plain(text, depth, via, span, pipe_from)
        if simple is not None:
            return simple
    quoted: frozenset[int] = frozenset()
    try:
        trouble = _heredoc_trouble(text) if "<<" in text.replace("\\\n", "").replace(
            "\\<", "<") else None
        if trouble:
            raise ValueError(trouble)
        try:
            trees = bashlex.parse(text)
        except bashlex.errors.ParsingError as e:
            # bashlex looks for a quoted delimiter's quotes in the body (<<'EOF' ... EOF):
            # read it again with the quotes blanked, remembering which delimiters had them
            if "here-document" not in str(e):
                raise
            text, quoted = _blank_heredoc_quotes(text)
            if not quoted:
                raise
            trees = bashlex.parse(text)
    except Exception as e:  # bashlex raises many types for valid-but-unsupported bash
        m = _TIME_PREFIX.match(text)
        if m:  # `time` is a bash reserved word that bashlex does not know
            inner = parse(text[m.end():], depth=depth, via=(*via, "time"),
                          span=span or (m.end(), len(text)), pipe_from=pipe_from)
            if not inner.problems:
                return inner
        msg = f"{type(e).__name__}: {e}"
        cmds = _fallback(text, via, span)
        nested = _Walker(depth, via, span)
        for c in cmds:
            nested.emit(c)
        return nested.result((ParseProblem(msg, span or (0, len(text)), via),
                              *nested.problems))
    w = _Walker(depth, via, span, text)
    w.quoted_heredocs = quoted
    try:
        for tree in trees:
            w.visit(tree, pipe_from)
    except RecursionError:
        return w.result((ParseProblem("nesting too deep", span or (0, len(text)), via),))
    return w.result()
