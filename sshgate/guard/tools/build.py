"""Building, testing and linting code: compilers, language toolchains and their long tail.
Known-safe shapes (tools/__init__.py).

A build tool runs the tree's build files (meson.build, BUILD.bazel, justfile, Taskfile.yml,
build.zig, build.sbt, rebar.config, pyproject.toml's scripts...): that is the tree's code, as a
Makefile is for ``make``, and ordinary only because flow.py's write memory holds the tool after
this session wrote such a file (each tool here is in flow.CODE_RUNNERS, each build file name in
rules.CODE_FILE). What the catalogue keeps out is what the tree did not write: an option that
loads code, a compiler, a wrapper or a configuration from elsewhere; output outside the tree;
remote caches, executors, registries and their credentials; a command, a shell string or
arguments handed to a script (``--``, ``VAR=value``, ``--set``); servers and watchers that never
end; subcommands that install, publish or rewrite the build files.

Every level names its options. Long options are matched in full (``abbrev=False``) whatever
the tool's own parser accepts: an abbreviation the tool would resolve to an option not listed
here is then never read as a listed one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts, parse_opts
from ..parse import SimpleCommand, unwrap_at
from ..rules import BASH_BUILTINS, BASH_KEYWORDS
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words

NONE = opts("")
_ASKED = Shape(max_operands=0, allow=NONE)

# --- value kinds (merged into safe.KINDS) ------------------------------------------------------
#: a relative path in the tree: no ``..``, no home, no expansion, no URL
_TREE_PATH = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.+@,=-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.+@,=-]*)*/?")
#: where a bundler may put its output: a build directory by its usual names (``dist``,
#: ``build/web``), never the tree itself or a source directory (vite empties its outDir)
_OUT_NAME = re.compile(r"(?:dist|build|out|output|target|_build|bundle|www)"
                       r"(?:[-_.][A-Za-z0-9_.-]*)?")
#: a project option's value: a word, never a path (``-Dc_args=-B/tmp/x``, ``-Dsysroot=/``)
_DEF_VALUE = re.compile(r"[A-Za-z0-9_.,+:-]*")
#: meson options that hand a compiler flags, a program or a search path
_MESON_CODE_OPT = re.compile(r"(?:_args|_link_args|_winlibs|path|prefix|dir|_env|program|"
                             r"_exe|_for_build)$|^(?:cmake|pkg_config|pkgconfig)", re.I)
#: a git ref for nx's --base/--head (nx puts them into a git command line)
_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^@-]{0,200}")
#: buf --against: the tree's own repository at a ref (``.git#branch=main``)
_BUF_GIT = re.compile(r"\.git#(?:(?:branch|tag|ref|subdir|depth)=[A-Za-z0-9_./~^-]+,?)+")


def in_tree(v: str) -> bool:
    """A relative path of the working tree (no ``..``, no ``~``, no expansion, no URL)."""
    return bool(_TREE_PATH.fullmatch(v)) and ".." not in v.split("/")


def _kind_out(v: str) -> str | None:
    parts = [p for p in v.rstrip("/").split("/") if p not in ("", ".")]
    if in_tree(v) and any(_OUT_NAME.fullmatch(p) for p in parts):
        return None
    return f"{v!r} is not a build output directory of the tree (dist, build, out...)"


def _kind_def(code: re.Pattern[str] | None) -> Callable[[str], str | None]:
    def kind(v: str) -> str | None:
        name, eq, value = v.partition("=")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.:-]{0,100}", name) or (
                eq and not _DEF_VALUE.fullmatch(value)):
            return f"-D{v}: not a project option set to a plain word"
        if code is not None and code.search(name.rsplit(":", 1)[-1]):
            return f"-D{v}: sets flags, a program or a search path of the build"
        return None
    return kind


def _kind_bazel_label(v: str) -> str | None:
    return None if _label(v) else f"{v!r} is not a label of the workspace"


KINDS: dict[str, Callable[[str], str | None]] = {
    "buildout": _kind_out,
    "mesondef": _kind_def(_MESON_CODE_OPT),
    "zigdef": _kind_def(re.compile(r"(?:path|prefix|dir|sysroot|lib|include)", re.I)),
    "buildref": lambda v: None if _REF.fullmatch(v) and ".." not in v else
    f"{v!r} is not a git ref",
    "bazellabel": _kind_bazel_label,
    "bufagainst": lambda v: None if _BUF_GIT.fullmatch(v) or (in_tree(v) and _buf_local(v))
    else f"{v!r} is not the tree's repository or a directory of it",
}

# --- checks -------------------------------------------------------------------------------------
#: a target, recipe, step or test name: plain, never ``VAR=value``, a path up or an option
_NAME = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_.:/#@+,-]{0,200}")
_LABEL = re.compile(r"-?(?:@@?[A-Za-z0-9_.~+-]*)?(?://)?[A-Za-z0-9_./+-]*"
                    r"(?::[A-Za-z0-9_./+=,@~*-]*)?")


def _label(v: str) -> bool:
    """A Bazel target pattern: ``//pkg:target``, ``//...``, ``@repo//x``, ``pkg/...``, a
    negative ``-//x/...`` (only after ``--``)."""
    bare = v.lstrip("-")
    return bool(bare) and not (bare.startswith("/") and not bare.startswith("//")) and \
        bool(_LABEL.fullmatch(v)) and not any(
        p == ".." for p in re.split(r"[/:]", v))


def _names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Plain target, recipe or step names; no ``--`` (what follows it goes to the recipe's
    shell or the program a step runs)."""
    if "--" in rest:
        return "words after -- go to what the build runs"
    for o in ops:
        if not _NAME.fullmatch(o) or ".." in re.split(r"[/:]", o):
            return f"{o!r} is not a plain target name"
    return None


#: Taskwarrior is also ``task``: its ids and the commands that change or send its data are
#: not go-task's names
_TASKWARRIOR = frozenset({"delete", "purge", "undo", "sync", "import", "config", "context",
                          "modify", "done", "edit"})


def _task(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if o.isdigit() or o in _TASKWARRIOR:
            return f"{o!r} is Taskwarrior's, not a task of the Taskfile"
    return _names(c, rest, ops, pairs)


def _bazel_targets(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _label(o):
            return f"{o!r} is not a target pattern of the workspace"
    return None


def _one_expression(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a query expression reads the build graph; bazel loads no file it names but BUILD files
    return None if len(ops) == 1 else "a query takes one expression"


_NX_RUN = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_.@/-]{0,200}:[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?")


def _nx_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if "--" in rest:
        return "words after -- go to the target's executor"
    if len(ops) != 1 or not _NX_RUN.fullmatch(ops[0]) or ".." in ops[0].split("/"):
        return "nx run takes one project:target[:configuration]"
    return None


def _buf_local(v: str) -> bool:
    # ``buf.build/acme/x`` is a module of a registry (fetched), ``x.git`` or ``x#ref`` a
    # repository, ``https://...`` a download: a proto file or a plain directory of the tree
    first = v.split("/", 1)[0]
    return v == "." or v.endswith(".proto") or ("." not in first.strip(".") and "#" not in v
                                                and not v.endswith((".git", ".bin", ".json")))


def _buf_inputs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not (in_tree(o) and _buf_local(o)):
            return f"{o!r} is not a directory or proto file of the tree"
    return None


def _zig_files(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not in_tree(o) or o.startswith("."):
            return f"{o!r} is not a file or directory of the tree"
    return None


#: sbt's tasks that compile, test, package or check the build (never run, console, eval,
#: set, publish, reload plugins, a ``~`` watch or ``++`` version switch, a ``;`` chain)
_SBT_TASKS = frozenset({
    "compile", "test", "clean", "package", "update", "testOnly", "testQuick", "doc",
    "scalafmtCheck", "scalafmtCheckAll", "scalafmtSbtCheck", "scalafmt", "scalafmtAll",
    "headerCheck", "dependencyTree", "projects", "version", "about", "tasks", "assembly",
    "coverage", "coverageReport", "coverageAggregate", "coverageOff", "mimaReportBinaryIssues",
    "scalastyle"})
_SBT_AXIS = re.compile(r"[A-Za-z0-9_-]{1,100}")
_SBT_CLASS = re.compile(r"[A-Za-z0-9_.*]{1,300}")


def _sbt(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return "sbt with no task starts its interactive shell"
    for o in ops:
        words = o.split()
        # ``+core/Test/compile``: a cross build, the scope's axes, the task
        *axes, task = words[0].removeprefix("+").split("/") if words else ("",)
        if task not in _SBT_TASKS or not all(_SBT_AXIS.fullmatch(a) for a in axes):
            return f"{o!r} is not one of sbt's build, test or check tasks"
        if words[1:] and (task not in ("testOnly", "testQuick") or not all(
                _SBT_CLASS.fullmatch(w) for w in words[1:])):
            return f"{o!r}: only testOnly/testQuick take arguments, test class patterns"
    return None


# the run verbs of pdm, hatch, pipenv: global options, the run options, then the command
_PDM_GLOBAL = opts("-v|--verbose -q|--quiet", abbrev=False)
_HATCH_GLOBAL = opts("-e|--env:word -v|--verbose -q|--quiet --color --no-color "
                     "--no-interactive", abbrev=False)
_PIPENV_GLOBAL = opts("-q|--quiet -v|--verbose", abbrev=False)
_RUN_OPTS = {"pdm": (_PDM_GLOBAL, opts("-s|--site-packages", abbrev=False)),
             "hatch": (_HATCH_GLOBAL, NONE), "pipenv": (_PIPENV_GLOBAL, NONE)}
#: what a shell reads again: a script of pyproject.toml, hatch.toml or the Pipfile may be a
#: shell string its arguments are appended to (``pdm run lint '; curl x | sh'``)
_SHELL_TEXT = re.compile(r"[\s;&|<>()$`\\'\"*?\[\]{}!#]")
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}")


def _project_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``pdm run``/``hatch run``/``pipenv run``: listed options; the command it runs was found
    (parse.py unwraps it, and it is classified on its own). A name may be one of the
    project's scripts instead, which runs as the tree's code (flow.CODE_RUNNERS); its
    arguments may land in a shell string, so none may be text a shell reads again."""
    at, _ = unwrap_at(c)
    if at is None:
        return "runs nothing the guard can see"
    words = c.argv[1:at]
    k = len(words) - 1 - words[::-1].index("run")
    for o, part in zip(_RUN_OPTS[c.name], (words[:k], words[k + 1:]), strict=True):
        p = parse_opts(o, tuple(part))
        if isinstance(p, str):
            return p
        if p.ops:
            return "its options and the command it runs are not told apart"
        if any(v is not None and not _WORD.fullmatch(v) for _, v in p.pairs):
            return "an option's value is not a plain name"
    if c.argv[at] in BASH_BUILTINS | BASH_KEYWORDS:
        # the tool execs a program: a builtin's name (``hatch run test``) is one of the
        # project's scripts, not what the guard would judge it as
        return f"{c.argv[at]!r} names a script of the project here, not the shell's builtin"
    for w in c.argv[at:]:
        if _SHELL_TEXT.search(w):
            return f"{w!r} is text a shell would read again if the name is one of the " \
                   "project's scripts"
    return None


def _jar_list(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``jar tf X.jar [ENTRY...]`` / ``jar tvf``: the archive's names, listed. Never create,
    update or extract (c, u, x), never -J (the JVM's own options: an agent)."""
    mode = c.args[0] if c.args else ""
    if not _JAR_LIST.fullmatch(mode) or any(a.startswith("-J") for a in c.args):
        return f"jar {mode!r}: only a listing (tf, tvf) is known to be harmless"
    if len(c.args) < 2 or not c.args[1].endswith((".jar", ".war", ".ear", ".zip")):
        return "jar: a listing names its archive right after the mode"
    return None


_JAR_LIST = re.compile(r"-?+(?:tf|tvf|vtf|ft|fvt|tfv)")

CHECKS: dict[str, Check] = {
    "build-jar-list": _jar_list,
    "build-names": _names, "build-task": _task, "build-bazel-targets": _bazel_targets,
    "build-one-expression": _one_expression, "build-nx-run": _nx_run,
    "build-buf": _buf_inputs, "build-zig-files": _zig_files, "build-sbt": _sbt,
    "build-project-run": _project_run,
}

# --- meson ----------------------------------------------------------------------------------------
# setup/configure: never --native-file/--cross-file (compilers and programs; a bare name is
# looked up in the user's data directories), --prefix and the install directories, -D of
# compiler flags, programs or search paths (_MESON_CODE_OPT), --wrap-mode/--force-fallback-for
# (downloads); compile: never --ninja-args/--vs-args (ninja -t clean, -f); test: never
# --wrapper/--gdb/--gdb-path (a program around every test), --test-args, --logbase (a path),
# --interactive; never install, dist, devenv (a command), rewrite/init (write meson.build),
# wrap/subprojects (downloads, ``foreach`` runs a command)
_MESON_CONF = ("-D:mesondef --buildtype:word --optimization:word --debug --werror "
               "--warnlevel:word --default-library:word --backend:word --unity:word "
               "--layout:word --fatal-meson-warnings --strip ")
MESON = Tool(allow=NONE, sub={
    "setup": Shape(check="in-tree", max_operands=2, allow=opts(
        _MESON_CONF + "--reconfigure --wipe", abbrev=False)),
    "configure": Shape(check="in-tree", max_operands=1, allow=opts(
        _MESON_CONF + "--clearcache --no-pager", abbrev=False)),
    "compile": Shape(check="build-names", allow=opts(
        "-C:intree -j|--jobs:num -l|--load-average:num --clean -v|--verbose", abbrev=False)),
    "test": Shape(check="build-names", allow=opts(
        "-C:intree --suite:any --no-suite:any --no-rebuild --list -v|--verbose -q|--quiet "
        "--print-errorlogs --num-processes:num -t|--timeout-multiplier:num --repeat:num "
        "--maxfail:num --setup:any --benchmark --no-stdsplit --max-lines:num",
        abbrev=False)),
    "introspect": Shape(check="in-tree", max_operands=1, allow=opts(
        "--targets --tests --benchmarks --buildoptions --buildsystem-files --dependencies "
        "--scan-dependencies --installed --install-plan --projectinfo --ast -a|--all "
        "-i|--indent -f|--force-object-output --backend:word", abbrev=False)),
    "--version": ANY, "-v": ANY})

# --- bazel, bazelisk ------------------------------------------------------------------------------
# No startup option (before the command): --bazelrc, --output_base, --output_user_root,
# --server_javabase, --host_jvm_args load code or write elsewhere. Never run (a binary with
# arguments), mobile-install, sync, mod, shutdown, dump, clean --expunge. Left out of the
# command options: --override_repository/--override_module (code from another directory),
# --remote_*/--bes_*/--disk_cache/--repository_cache/--distdir (caches and executors
# elsewhere, their credentials), --credential_helper/--google_credentials, --run_under and
# --workspace_status_command (programs), --test_env/--action_env/--repo_env (LD_PRELOAD),
# --copt/--cxxopt/--linkopt/--host_copt (-fplugin=, -B), --define (values BUILD files turn into
# commands), --experimental_*, output files (--build_event_*_file, --execution_log_*, --profile),
# --query_file, --output_file. A --config=NAME names the tree's .bazelrc (its code).
_BAZEL_BUILD = ("-k|--keep_going --nokeep_going -j|--jobs:num --verbose_failures "
                "--noverbose_failures -c|--compilation_mode:word --config:word --color:word "
                "--curses:word --show_timestamps --noshow_progress --show_result:num "
                "--announce_rc --nobuild --build_tests_only --build_tag_filters:any "
                "--platforms:bazellabel --cpu:word --output_groups:any --lockfile_mode:word "
                "--nostamp --test_tag_filters:any --test_size_filters:any "
                "--test_timeout_filters:any --test_lang_filters:any ")
_BAZEL_TEST = _BAZEL_BUILD + (
    "--test_output:word --test_summary:word --test_filter:any --runs_per_test:any "
    "--flaky_test_attempts:any --nocache_test_results --cache_test_results:word "
    "--test_verbose_timeout_warnings --test_timeout:any --test_sharding_strategy:word "
    "--test_keep_going --notest_keep_going ")
_BAZEL_QUERY = ("-k|--keep_going --output:word --noimplicit_deps --notool_deps "
                "--nohost_deps --order_output:word --universe_scope:any "
                "--infer_universe_scope --config:word --include_aspects --color:word "
                "--noshow_progress --curses:word ")
BAZEL = Tool(allow=NONE, sub={
    **dict.fromkeys(("build", "fetch"), Shape(check="build-bazel-targets", allow=opts(
        _BAZEL_BUILD, abbrev=False))),
    **dict.fromkeys(("test", "coverage"), Shape(check="build-bazel-targets", allow=opts(
        _BAZEL_TEST, abbrev=False))),
    **dict.fromkeys(("query", "cquery", "aquery"), Shape(
        check="build-one-expression", allow=opts(_BAZEL_QUERY, abbrev=False))),
    "info": Shape(check="build-names", max_operands=1, allow=opts(
        "--config:word --show_make_env -c|--compilation_mode:word", abbrev=False)),
    "clean": Shape(max_operands=0, allow=opts("--async", abbrev=False)),
    "version": Shape(max_operands=0, allow=opts("--gnu_format", abbrev=False)),
    "--version": ANY})

# --- JavaScript bundlers and monorepo runners -----------------------------------------------------
# vite build only: the bare command, dev, serve and preview start a server (a port that never
# closes; --host opens it to the network); never --watch, --ssr/--manifest (optional paths),
# an outDir that is not a build directory (vite empties it: --outDir src)
VITE = Tool(allow=NONE, sub={
    "build": Shape(check="in-tree", max_operands=1, allow=opts(
        "--outDir|--out-dir:buildout -c|--config:intree -m|--mode:word "
        "-l|--logLevel|--log-level:word --clearScreen|--clear-screen -d|--debug:?any "
        "-f|--filter:any --base:any --target:word --assetsDir|--assets-dir:word "
        "--emptyOutDir|--empty-out-dir --force --minify:?word --sourcemap:?word "
        "--configLoader|--config-loader:word", abbrev=False)),
    "--version": ANY, "-v": ANY})
# webpack (webpack-cli, commander): a build with the tree's config; never serve/watch (no
# end), init/loader/plugin (scaffolds that write), --extends (another config), --analyze (a
# server), --json (an optional path); output only into a build directory
_WEBPACK = opts(
    "-c|--config:intree --config-name:word -m|--merge --mode:word --env:any "
    "--node-env:word --define-process-env-node-env:word -o|--output-path:buildout "
    "--stats:?word --no-stats -d|--devtool:word --no-devtool -t|--target:word --name:word "
    "--fail-on-warnings --progress:?word --entry:intree --disable-interpret --bail "
    "--no-bail --cache --no-cache", abbrev=False)
WEBPACK = Tool(allow=_WEBPACK, bare=Shape(max_operands=0), sub={
    **dict.fromkeys(("build", "bundle", "b"), Shape(check="in-tree", allow=_WEBPACK)),
    **dict.fromkeys(("configtest", "t"), Shape(check="in-tree", max_operands=1, allow=NONE)),
    "version": _ASKED, "--version": ANY, "-v": ANY})
# nx: the tree's targets by name; options forwarded to an executor (nx:run-commands puts them
# into a shell line) are not listed, nor anything after --; never exec, watch (a command),
# generate/g, add, migrate, release (publishes), import, connect/login, graph (a server),
# serve/dev (servers), daemon, reset of the cloud; --base/--head go into a git command line
_NX = ("-c|--configuration:word --parallel:?num --maxParallel|--max-parallel:num "
       "--skip-nx-cache|--skipNxCache --verbose --output-style|--outputStyle:word "
       "--nx-bail|--nxBail --exclude:any -p|--projects:any -t|--targets|--target:any "
       "--base:buildref --head:buildref --uncommitted --untracked "
       "--exclude-task-dependencies|--excludeTaskDependencies --skip-sync|--skipSync ")
_NX_OPTS = opts(_NX, abbrev=False)
NX = Tool(allow=NONE, sub={
    "run": Shape(check="build-nx-run", allow=_NX_OPTS),
    # -t takes a list (``-t test lint``): the words after it are target names too
    **dict.fromkeys(("run-many", "affected"), Shape(check="build-names", allow=_NX_OPTS)),
    # ``nx build app``: a target of one project
    **dict.fromkeys(("build", "test", "lint", "e2e", "typecheck"), Shape(
        check="build-names", max_operands=1, allow=_NX_OPTS)),
    "format:check": Shape(max_operands=0, allow=opts(
        "--all --base:buildref --head:buildref --uncommitted --untracked -p|--projects:any",
        abbrev=False)),
    "show": Tool(allow=NONE, sub={
        "projects": Shape(max_operands=0, allow=opts(
            "--affected --json -p|--projects:any --type:word --with-target:word "
            "--exclude:any --base:buildref --head:buildref", abbrev=False)),
        "project": Shape(check="build-names", max_operands=1, allow=opts("--json",
                                                                          abbrev=False))}),
    "report": _ASKED, "--version": ANY})
# turbo: the tree's tasks by name (``turbo run build``, ``turbo build``); never the words after
# -- (to the scripts), --token/--team/--api/--login (the remote cache's credentials),
# --cache-dir/--graph/--profile (files elsewhere), --cwd; never gen (runs generators), prune
# (writes a copy), login/link, daemon, watch, dev (a server)
_TURBO = opts(
    "-F|--filter:any --concurrency:any --continue:?word --force:?word --no-cache "
    "--output-logs:word --log-order:word --log-prefix:word --parallel --affected --only "
    "--env-mode:word --ui:word --summarize:?word --dry|--dry-run:?word "
    "--framework-inference:?word --no-daemon", abbrev=False)
TURBO = Tool(allow=NONE, sub={
    "run": Shape(check="build-names", allow=_TURBO),
    **dict.fromkeys(("build", "test", "lint", "typecheck", "check-types"), Shape(
        check="build-names", allow=_TURBO)),
    "ls": Shape(max_operands=0, allow=opts("-F|--filter:any --affected --output:word",
                                           abbrev=False)),
    "--version": ANY})

# --- task runners ---------------------------------------------------------------------------------
# just: recipe names and plain arguments; never --set/VAR=value (a value the recipe's shell
# reads), -c/--command, --shell/--shell-arg/--shell-command (a command line), --dotenv-*
# (environment from a file: LD_PRELOAD), -g/--global-justfile (the home's), --yes (answers a
# recipe's [confirm] for the agent), --choose/--chooser (a program), --edit, --init, --fmt
JUST = Shape(check="build-names", allow=opts(
    "-f|--justfile:intree -d|--working-directory:intree -n|--dry-run -l|--list "
    "-q|--quiet -v|--verbose --summary -s|--show:word --dump --dump-format:word "
    "-u|--unsorted --groups --variables --color:word --highlight --no-highlight --timestamps "
    "--explain --no-deps --list-submodules --no-dotenv --version", abbrev=False))
# go-task: task names; never VAR=value or the CLI_ARGS after -- (both land in the commands'
# shell), -y/--yes (answers a prompt), -w/--watch (no end), -g/--global (the home's
# Taskfile), -i/--init
TASK = Shape(check="build-task", allow=opts(
    "-d|--dir:intree -t|--taskfile:intree -l|--list -a|--list-all --summary -n|--dry "
    "-f|--force -p|--parallel -s|--silent -v|--verbose --status -C|--concurrency:num "
    "-o|--output:word -x|--exit-code --json --sort:word --no-status --version",
    abbrev=False))

# --- JVM, Erlang, Haskell, Zig --------------------------------------------------------------------
# sbt: its launcher's flags that change nothing run (never -J/-D (JVM options: -javaagent),
# -sbt-dir/-ivy/-sbt-boot (code from elsewhere), --client); the tasks checked by _sbt
SBT = Shape(check="build-sbt", allow=opts(
    "-batch -no-colors -v|-verbose -debug -warn -error -timings -mem:num", "go"))
# rebar3: compile, test and check (never shell, release/tar/relup, escriptize, do (a task
# list), upgrade/unlock (the lock), plugins, local, hex publish; never --sys_config/--sname/
# --name/--setcookie (a node other hosts reach), --logdir)
_REBAR_TASKS: dict[str, Shape | Tool] = {
    "compile": Shape(max_operands=0, allow=opts("-d|--deps_only", abbrev=False)),
    "eunit": Shape(max_operands=0, allow=opts(
        "-m|--module:any --suite:any -a|--app:any -c|--cover -v|--verbose -t|--test:any "
        "-g|--generator:any -f|--file:intree -d|--dir:intree -e|--error_on_warning",
        abbrev=False)),
    "ct": Shape(max_operands=0, allow=opts(
        "--dir:intree --suite:any --group:any --case:any -c|--cover -v|--verbose "
        "--readable:word --fail_fast --retry --repeat:num --label:word --compile_only",
        abbrev=False)),
    **dict.fromkeys(("dialyzer", "xref", "tree", "deps", "get-deps"), Shape(
        max_operands=0, allow=opts("-v|--verbose", abbrev=False))),
    "clean": Shape(max_operands=0, allow=opts("-a|--all", abbrev=False)),
    "cover": Shape(max_operands=0, allow=opts("-v|--verbose -m|--min_coverage:num",
                                              abbrev=False)),
    "version": _ASKED}
REBAR3 = Tool(allow=NONE, sub={**_REBAR_TASKS, "as": Tool(allow=NONE, sub={
    "[a-z]*": Tool(allow=NONE, sub=_REBAR_TASKS)}), "--version": ANY})
# stack: build and test the tree's packages; never exec/run/ghci/repl/eval/script (code),
# install or --copy-bins (into ~/.local/bin), setup/upgrade (a toolchain), upload/sdist,
# --exec (a command after the build), --ghc-options (-pgmL PROGRAM), --file-watch (no end),
# --resolver/--snapshot (a URL), --stack-yaml/--stack-root/--work-dir, --ta (test arguments)
_STACK_BUILD = opts(
    "--fast --pedantic --test --bench --no-run-tests --no-run-benchmarks --coverage "
    "--haddock --no-haddock-deps --only-dependencies --only-snapshot --dry-run "
    "-j|--jobs:num --flag:any --keep-going --interleaved-output --no-interleaved-output "
    "--reconfigure --force-dirty --test-suite-timeout:num --prefetch --no-rerun-tests "
    "--no-terminal --color:word", abbrev=False)
STACK = Tool(allow=opts("--no-terminal --color:word -v|--verbose --verbosity:word",
                        abbrev=False), sub={
    **dict.fromkeys(("build", "test", "bench"), Shape(check="build-names", allow=_STACK_BUILD)),
    "clean": Shape(check="build-names", allow=opts("--full", abbrev=False)),
    "path": Shape(max_operands=0, allow=opts(
        "--stack-root --project-root --local-install-root --dist-dir --local-pkg-db "
        "--programs --compiler-exe --bin-path --local-bin", abbrev=False)),
    "--version": ANY})
# cabal: build and test the tree's packages; never run/exec/repl/install (into the store and
# ~/.cabal/bin), update/freeze/gen-bounds (the index, files), --with-compiler/-w/--with-PROG
# (programs), --ghc-options, --test-wrapper/--test-options (a program, arguments),
# --builddir/--store-dir/--project-file (elsewhere)
_CABAL = opts(
    "-j|--jobs:?num --enable-tests --disable-tests --enable-benchmarks --disable-benchmarks "
    "-O|--enable-optimization:?num --disable-optimization --test-show-details:word "
    "-f|--flags:any -v|--verbose:?num --dry-run --only-dependencies --only-configure "
    "--keep-going --enable-coverage --disable-coverage --allow-newer:?any "
    "--allow-older:?any --minimize-conflict-set", abbrev=False)
CABAL = Tool(allow=NONE, sub={
    **dict.fromkeys(("build", "test", "bench", "v2-build", "v2-test"), Shape(
        check="build-names", allow=_CABAL)),
    "check": Shape(max_operands=0, allow=opts("-v|--verbose:?num", abbrev=False)),
    "clean": Shape(max_operands=0, allow=opts("-s|--save-config -v|--verbose:?num",
                                              abbrev=False)),
    "list-bin": Shape(check="build-names", max_operands=1, allow=NONE),
    "outdated": Shape(max_operands=0, allow=opts("--exit-code --simple-output --ignore:any",
                                                 abbrev=False)),
    "--version": ANY, "--numeric-version": ANY})
# zig: build steps of build.zig (a program: the tree's code), its tests and formatter; never
# -p/--prefix and the install paths (output elsewhere), --build-file, --build-runner,
# --zig-lib-dir, --sysroot, --search-prefix (code and libraries from elsewhere), --cache-dir/
# --global-cache-dir, --watch, -D of a path; never the words after -- (to the program a step
# runs), zig run/cc/build-exe (a compiler of anything), zig fetch --save (rewrites build.zig.zon)
ZIG = Tool(allow=NONE, sub={
    "build": Shape(check="build-names", allow=opts(
        "-D:zigdef -j:num --summary:word --verbose --release:?word --fetch:?word "
        "--color:word --maxrss:num --prominent-compile-errors --skip-oom-steps "
        "-l|--list-steps", abbrev=False)),
    "test": Shape(check="build-zig-files", allow=opts(
        "--test-filter:any -O:word -target:word", "go")),
    "fmt": Shape(check="build-zig-files", allow=opts("--check --ast-check --exclude:intree",
                                                    abbrev=False)),
    **dict.fromkeys(("version", "env", "targets"), _ASKED)})

# --- protobuf, Python type checking ---------------------------------------------------------------
# buf: lint, format, breaking and build of the tree's protos (buf.yaml may name lint plugins:
# the tree's code); never --config (a file or JSON the agent names), generate (plugins run,
# remote ones on a registry), push, dep/mod update, registry/login, format -o
_BUF_IN = "--path:intree --exclude-path:intree --disable-symlinks --error-format:word "
BUF = Tool(allow=NONE, sub={
    "lint": Shape(check="build-buf", allow=opts(_BUF_IN, abbrev=False)),
    "format": Shape(check="build-buf", allow=opts(
        _BUF_IN + "-d|--diff --exit-code -w|--write", abbrev=False)),
    "breaking": Shape(check="build-buf", allow=opts(
        _BUF_IN + "--against:bufagainst --exclude-imports --limit-to-input-files",
        abbrev=False)),
    "build": Shape(check="build-buf", allow=opts(
        _BUF_IN + "-o|--output:write --exclude-imports --exclude-source-info "
        "--as-file-descriptor-set", abbrev=False)),
    "ls-files": Shape(check="build-buf", allow=opts("--include-imports --format:word",
                                                    abbrev=False)),
    "--version": ANY})
# pyright: the tree's config; never --pythonpath (an interpreter it runs), --venvpath/-v,
# --createstub (writes), -w/--watch (no end)
PYRIGHT = Shape(check="in-tree", allow=opts(
    "-p|--project:intree --outputjson --level:word --warnings --stats --verbose "
    "--pythonversion:word --pythonplatform:word --skipunannotated --threads:?num "
    "--version --dependencies", abbrev=False))

# --- Python project managers ----------------------------------------------------------------------
# ``run`` as poetry's: the command is judged on its own (_project_run); installs from the lock
# and the tree; never add/remove/update (by name), publish, self, config, python install, use,
# venv/env create/remove, shell (an interactive shell), --global, a lock that rewrites
_RUN = Shape(check="build-project-run", dynamic_ok=True, secrets_ok=True)
_PDM_SYNC = ("--prod|--production -d|--dev -G|--group|--with:any --without:any "
             "--frozen-lockfile --check --no-self --no-editable --fail-fast --dry-run ")
PDM = Tool(allow=_PDM_GLOBAL, sub={
    "run": _RUN,
    "install": Shape(max_operands=0, allow=opts(_PDM_SYNC, abbrev=False)),
    "sync": Shape(max_operands=0, allow=opts(_PDM_SYNC + "--clean", abbrev=False)),
    "list": Shape(max_operands=0, allow=opts("--tree|--graph --json --fields:any --freeze "
                                             "--reverse", abbrev=False)),
    "show": Shape(check="build-names", max_operands=1, allow=NONE),
    "info": Shape(max_operands=0, allow=opts("--python --where --packages --env --json",
                                             abbrev=False)),
    "lock": Shape(max_operands=0, allow=opts("--check", abbrev=False)),
    "--version": ANY, "-V": ANY})
# hatch test/fmt run pytest and ruff on the tree (only their listed options: anything else is
# passed on to them); build runs the tree's build hooks into dist/
HATCH = Tool(allow=_HATCH_GLOBAL, sub={
    "run": _RUN,
    "test": Shape(check="in-tree", allow=opts(
        "-r|--randomize -p|--parallel -c|--cover --cover-quiet -a|--all --python:word "
        "-i|--include:any -x|--exclude:any", abbrev=False)),
    "fmt": Shape(check="in-tree", allow=opts("--check -l|--linter -f|--formatter --preview",
                                             abbrev=False)),
    "build": Shape(max_operands=0, allow=opts("-t|--target:word -c|--clean", abbrev=False)),
    "version": _ASKED, "status": _ASKED,
    "env": Tool(allow=NONE, sub={"show": Shape(check="build-names", allow=opts(
        "--ascii --json -i|--internal", abbrev=False))}),
    "--version": ANY})
# pipenv: never --system (into the system's Python), --skip-lock, --python (an interpreter by
# path), a package by name (install PKG), shell, open, clean/uninstall, update/upgrade
PIPENV = Tool(allow=_PIPENV_GLOBAL, sub={
    "run": _RUN,
    "install": Shape(max_operands=0, allow=opts("-d|--dev --deploy --ignore-pipfile "
                                                "--categories:any", abbrev=False)),
    "sync": Shape(max_operands=0, allow=opts("-d|--dev --categories:any", abbrev=False)),
    "graph": Shape(max_operands=0, allow=opts("--bare --json --json-tree --reverse",
                                              abbrev=False)),
    "requirements": Shape(max_operands=0, allow=opts(
        "-d|--dev --dev-only --hash --categories:any --exclude-markers", abbrev=False)),
    "verify": _ASKED, "--venv": ANY, "--where": ANY, "--py": ANY, "--version": ANY})

#: PHPUnit (composer's vendor/bin/phpunit): the tree's tests, by filter, suite or group; its
#: configuration only from the tree (phpunit.xml is code: rules.CODE_FILE). Never --bootstrap
#: (a file it runs as PHP), --include-path, -d (ini settings), --extensions, --cache-directory
#: or a coverage report written by name
PHPUNIT = Shape(check="in-tree", allow=opts(
    "--filter:any --testsuite:any --group:any --exclude-group:any --list-tests --list-suites "
    "--list-groups --stop-on-failure --stop-on-error --stop-on-defect --fail-on-warning "
    "--fail-on-risky --testdox --colors:?word --no-coverage --coverage-text --no-progress "
    "--no-results --no-output --display-deprecations --display-warnings --display-errors "
    "--display-notices --display-incomplete --display-skipped --do-not-cache-result "
    "--order-by:word --random-order --random-order-seed:num --debug --version "
    "-c|--configuration:intree --no-configuration --teamcity --log-junit:intree", abbrev=False))

#: javap prints a class's members and bytecode (it loads no class to run it); never -J (the
#: JVM's options), a boot class path or a module path of elsewhere
JAVAP = Shape(allow=opts(
    "-c -p -private -public -protected -package -v -verbose -s -l -constants -sysinfo "
    "-cp|-classpath|--class-path:any --module:word -m:word --version -version", abbrev=False))

ENTRIES: dict[str, Entry] = {
    "phpunit": PHPUNIT, "javap": JAVAP,
    "jar": Shape(check="build-jar-list", dynamic_ok=False),
    "meson": MESON, "bazel": BAZEL, "bazelisk": BAZEL, "vite": VITE, "webpack": WEBPACK,
    "nx": NX, "turbo": TURBO, "just": JUST, "task": TASK, "go-task": TASK, "sbt": SBT,
    "rebar3": REBAR3, "stack": STACK, "cabal": CABAL, "zig": ZIG, "buf": BUF,
    "pyright": PYRIGHT, "basedpyright": PYRIGHT, "pdm": PDM, "hatch": HATCH,
    "pipenv": PIPENV,
}
