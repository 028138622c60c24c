"""Developer reads and checks the catalogue lacked: git's remaining read verbs, package
managers' listings, and the linters, formatters and line counters of a working tree.
Known-safe shapes (tools/__init__.py).

Three kinds of use. A read of the repository or the environment's packages (``git
range-diff``, ``git fsck``, ``npm pkg get``, ``dotnet list package``, ``gem list``,
``pipdeptree``): nothing runs, nothing is written. A linter or formatter of the tree
(bandit, clang-tidy, cppcheck, biome, stylelint, goimports, yapf): it reads the tree's
sources and its configuration (data), and a formatter rewrites the tree's sources in place as
black and gofmt do; never a plugin, an addon, a rule file or a configuration the agent names
elsewhere, never an output file. A tree's own tasks by name (``mix credo``, ``yarn lint``):
the tree's code, as ``npm test`` is.

What stays held: interactive verbs (``git add -p`` offers ``e``, an editor fed by stdin),
anything that writes outside the tree or onto code, package installs and updates, reads of
configuration that may hold credentials (``bundle config``, ``npm config list``),
``--`` compiler arguments that could load a plugin, computed words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import git as gitopts
from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words
from .build import in_tree

NONE = opts("")
_ASKED = Shape(max_operands=0, allow=NONE)


def _given(pairs: Pairs) -> set[str]:
    return {k for k, _ in pairs or ()}


# --- checks -------------------------------------------------------------------------------------
def _format_patch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``git format-patch --stdout REVS``: the patches on stdout (as ``git log -p``); without
    --stdout it writes files into the working directory, which stays held."""
    if "--stdout" not in _given(pairs):
        return "git format-patch without --stdout writes patch files"
    return None


def _git_rm_cached(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``git rm --cached PATH``: the path leaves the index, the file stays on disk (a commit
    records the removal, as ``git add`` records a change); without --cached it deletes."""
    if not _given(pairs) & {"--cached", "-n"}:
        return "git rm without --cached (or -n) deletes the files"
    return None


#: npm's configuration keys that never hold a credential (a list of harmless ones: never
#: _auth, _authToken, //host/:_password, cert, key, proxy with a user, email; never a URL:
#: a registry's carries a token in its path, red team s15 C5)
_NPM_CONFIG_KEYS = frozenset({
    "prefix", "cache", "globalconfig", "userconfig", "init-module", "loglevel",
    "node-version", "engine-strict", "save-exact", "save-prefix", "package-lock",
    "legacy-peer-deps", "fund", "audit", "audit-level", "script-shell", "shell",
    "ignore-scripts", "strict-ssl", "python", "tag", "access", "omit", "lockfile-version",
    "workspaces-update", "update-notifier", "progress", "color", "unicode", "fetch-retries",
    "fetch-timeout", "maxsockets", "prefer-offline", "offline", "global", "location",
    "node-options", "init-author-name", "init-license", "init-version", "git", "editor",
    "browser", "viewer", "umask", "depth", "production", "user-agent", "sign-git-tag",
    "tag-version-prefix", "install-strategy", "install-links", "bin-links", "foreground-scripts"})


def _npm_config_get(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``npm config get KEY...`` of keys that hold no credential (bare, it prints them all,
    tokens included)."""
    if not ops:
        return "npm config get without a key prints every setting, tokens included"
    bad = [o for o in ops if o not in _NPM_CONFIG_KEYS]
    return f"npm config get {bad[0]!r}: not a setting known to hold no credential" if bad \
        else None


#: a field of package.json by its JSON path (``version``, ``scripts.test``, ``engines.node``)
_PKG_FIELD = re.compile(r"[A-Za-z0-9_@$-][A-Za-z0-9_@$./:\[\]-]{0,120}")


def _npm_pkg_get(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _PKG_FIELD.fullmatch(o)]
    return f"{bad[0]!r} is not a field of package.json" if bad else None


#: a compiler argument clang-tidy may be given after ``--``: include directories of the tree,
#: macros, the language standard, warnings (never -Xclang, -fplugin, -load, -include,
#: --config, -B: a plugin, a file or a program)
_CC_ARG = re.compile(r"-(?:I|isystem|iquote)(?P<dir>[A-Za-z0-9_.][A-Za-z0-9_./+-]{0,200})|"
                     r"-D[A-Za-z_][A-Za-z0-9_]{0,100}(?:=[A-Za-z0-9_.]{0,100})?|"
                     r"-U[A-Za-z_][A-Za-z0-9_]{0,100}|-std=[a-z0-9+]{1,20}|"
                     r"-W(?:no-)?[a-z0-9][a-z0-9=_-]{0,60}|-x(?:c|c\+\+)|-O[0-3s]?|-g|-w|"
                     r"-f(?:no-)?(?:exceptions|rtti|pic|PIC)|-m(?:32|64)|-pthread")


def _clang_tidy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``clang-tidy [opts] FILE... [-- ARGS]``: sources of the tree; the words after ``--``
    are compiler arguments (_CC_ARG only)."""
    cut = rest.index("--") if "--" in rest else len(rest)
    after = rest[cut + 1:]
    n_after = len(after)
    files = ops[:len(ops) - n_after] if n_after else ops
    for f in files:
        if not in_tree(f):
            return f"{f!r} is not a source file of the working tree"
    i = 0
    while i < n_after:
        a = after[i]
        i += 1
        if a in ("-I", "-isystem", "-iquote") and i < n_after:  # the directory as a word
            a, i = a + after[i], i + 1
        m = _CC_ARG.fullmatch(a)
        if m is None:
            return f"{a!r} (after --) is not a compiler argument known to load nothing"
        if m.group("dir") and not in_tree(m.group("dir")):
            return f"{a!r}: an include directory outside the working tree"
    return None


#: a path operand of a counter or a linter: the tree's, never an archive (cloc unpacks
#: archives by running tar/unzip on the name) or a word a shell would read
_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|gz|bz2|xz|zip|jar|war|ear|7z|rar|deb|rpm|whl|"
                      r"Z|tar\.[a-z0-9]+)$", re.IGNORECASE)


def _tree_sources(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Every operand a path of the working tree, no archive (cloc runs tar/unzip on one)."""
    for o in ops:
        if not in_tree(o):
            return f"{o!r} is not a path of the working tree"
        if _ARCHIVE.search(o):
            return f"{o!r}: an archive is unpacked by running a program on its name"
    return None


#: ``dotnet format [whitespace|style|analyzers] [PROJECT]``
_DOTNET_FORMAT_VERBS = frozenset({"whitespace", "style", "analyzers"})


def _dotnet_format(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    args = list(ops)
    if args and args[0] in _DOTNET_FORMAT_VERBS:
        args.pop(0)
    if len(args) > 1:
        return "dotnet format takes one project or solution"
    if args and not in_tree(args[0]):
        return f"{args[0]!r} is not a project of the working tree"
    return None


#: what go doc documents: an import path or a symbol (``fmt.Println``, ``net/http.Client``)
_GO_SYMBOL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}(?:/[A-Za-z0-9_][A-Za-z0-9_.-]{0,100})"
                        r"{0,10}")


def _go_doc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``go doc [PKG] [SYM]``: a package of the tree (``./internal/store``) or an import
    path or symbol by name."""
    for o in ops:
        if not (_GO_SYMBOL.fullmatch(o) or in_tree(o)) or ".." in o.split("/"):
            return f"{o!r} is not a package or symbol name"
    return None


CHECKS: dict[str, Check] = {
    "dev2-format-patch": _format_patch, "dev2-git-rm-cached": _git_rm_cached,
    "dev2-npm-config-get": _npm_config_get, "dev2-npm-pkg-get": _npm_pkg_get,
    "dev2-clang-tidy": _clang_tidy, "dev2-tree-sources": _tree_sources,
    "dev2-dotnet-format": _dotnet_format, "dev2-go-doc": _go_doc,
}

# --- git: the remaining read verbs ----------------------------------------------------------------
# range-diff: two versions of a series compared, as log -p shows them (diff options only;
# never --output, --ext-diff, --textconv: git.py lists none of them)
_RANGE_DIFF = Shape(check="git-blob", max_operands=3, allow=gitopts.DIFF + opts(
    "--creation-factor:num --no-dual-color --left-only --right-only --no-notes "
    "--notes:?any"))
# fsck: checks the object store and prints object ids; never --lost-found (writes into
# .git/lost-found)
_FSCK = Shape(allow=opts(
    "--no-progress --progress --full --no-full --unreachable --dangling --no-dangling "
    "--connectivity-only --strict --name-objects --no-name-objects --root --tags --cache "
    "--no-reflogs -v|--verbose", abbrev=False))
# diff-tree: the files a commit changed (plumbing of git show); diff options only
_DIFF_TREE = Shape(check="git-blob", allow=gitopts.LOG + opts(
    "-r -t --root --no-commit-id --merge-base"))
_SHOW_BRANCH = Shape(secrets_ok=True, allow=opts(
    "-a|--all -r|--remotes --topo-order --date-order --current --sparse --more:num --list "
    "--merge-base --independent --no-name --sha1-name --topics -g|--reflog:?any "
    "--color:?any --no-color", abbrev=False))
# format-patch: only onto stdout (never -o/--output-directory, --signature-file: reads a
# file, --cover-from-description, --in-reply-to are harmless text but unneeded)
_FORMAT_PATCH = Shape(check="dev2-format-patch", allow=gitopts.DIFF + opts(
    "--stdout -n|--numbered -N|--no-numbered -k|--keep-subject --subject-prefix:any "
    "--rfc -v|--reroll-count:any --no-signature --zero-commit --base:any --cover-letter "
    "--no-stat --start-number:num --ignore-if-in-upstream --no-binary -s|--signoff -NUM"))
_NOTES = Tool(allow=opts("--ref:any", abbrev=False), sub={
    "list": Shape(max_operands=1, allow=NONE), "show": Shape(max_operands=1, allow=NONE)},
    bare=Shape(max_operands=0))
# git lfs: which files are LFS pointers (never fetch/pull/push/install/track: network,
# hooks, .gitattributes)
_LFS = Tool(allow=NONE, sub={
    "ls-files": Shape(allow=opts("-l|--long -s|--size -n|--name-only -a|--all --deleted "
                                 "-d|--debug -j|--json", abbrev=False)),
    "status": Shape(max_operands=0, allow=opts("-p|--porcelain -j|--json", abbrev=False)),
    "version": _ASKED, "--version": _ASKED})
_SPARSE = Tool(allow=NONE, sub={"list": _ASKED})
# (its operands only leave the index: a secret's name is what an agent untracks)
_GIT_RM = Shape(check="dev2-git-rm-cached", secrets_ok=True, allow=opts(
    "--cached -r -q|--quiet -n|--dry-run --ignore-unmatch"))

# --- package managers' listings -------------------------------------------------------------------
# pip index versions NAME: the versions the configured index offers (never --index-url:
# another index, sent the name)
_PIP_MORE: dict[str, Entry] = {"index": Tool(allow=NONE, sub={"versions": Shape(
    max_operands=1, check="build-names", allow=opts("--pre --json", abbrev=False))})}
# ruff rule/linter/version: its own documentation printed
_RUFF_MORE: dict[str, Entry] = {
    "rule": Shape(check="build-names", max_operands=1, allow=opts(
        "--all --output-format:word", abbrev=False)),
    "linter": Shape(max_operands=0, allow=opts("--output-format:word", abbrev=False)),
    "version": Shape(max_operands=0, allow=opts("--output-format:word", abbrev=False))}
# uv python list/find: the interpreters installed or downloadable (never install/uninstall,
# pin: writes .python-version)
_UV_MORE: dict[str, Entry] = {"python": Tool(allow=NONE, sub={
    "list": Shape(max_operands=1, check="build-names", allow=opts(
        "--only-installed --all-versions --all-platforms --only-downloads --show-urls",
        abbrev=False)),
    "find": Shape(max_operands=1, check="build-names", allow=NONE),
    "dir": _ASKED})}
# npm pkg get FIELD: package.json fields printed (never set/delete: scripts are code);
# npm config get KEY of listed keys only
_NPM_MORE: dict[str, Entry] = {
    "pkg": Tool(allow=opts("--json -w|--workspace:any --workspaces", abbrev=False), sub={
        "get": Shape(check="dev2-npm-pkg-get", allow=opts("--json -w|--workspace:any "
                                                          "--workspaces", abbrev=False))}),
    "config": Tool(allow=NONE, sub={"get": Shape(check="dev2-npm-config-get", allow=NONE)})}
# yarn: the tree's lint/typecheck/format scripts (yarn hands later words to the script, as
# yarn test: runner words only); outdated, info and audit read the registry
_YARN_SCRIPT = Shape(check="yarn-script")
_YARN_MORE: dict[str, Entry] = {
    **dict.fromkeys(("lint", "typecheck", "type-check", "format", "check"), _YARN_SCRIPT),
    "outdated": Shape(check="build-names", allow=opts("--json", abbrev=False)),
    "info": Shape(check="build-names", max_operands=2, allow=opts("--json", abbrev=False)),
    "audit": Shape(max_operands=0, allow=opts("--json --groups:any --level:word "
                                              "--summary", abbrev=False)),
    "workspaces": Tool(allow=NONE, sub={"info": Shape(max_operands=0, allow=opts(
        "--json", abbrev=False)), "list": Shape(max_operands=0, allow=opts(
            "--json -v|--verbose", abbrev=False))})}
# dotnet: the packages and references a project uses (list reads the project and its
# assets; --outdated/--vulnerable ask the configured feeds); format rewrites the tree's
# sources in place (analyzers are the project's packages, as its build runs them); clean
_DOTNET_LIST_OPTS = opts(
    "--outdated --vulnerable --deprecated --include-transitive --include-prerelease "
    "--highest-minor --highest-patch -f|--framework:word --format:word --output-version:num "
    "-v|--verbosity:word", abbrev=False)
_DOTNET_MORE: dict[str, Entry] = {
    "list": Tool(allow=NONE, sub={
        **dict.fromkeys(("package", "reference"), Shape(max_operands=0,
                                                        allow=_DOTNET_LIST_OPTS))}),
    "sln": Tool(allow=NONE, sub={"list": _ASKED}),
    "format": Shape(check="dev2-dotnet-format", allow=opts(
        "--verify-no-changes --no-restore -v|--verbosity:word --severity:word "
        "--diagnostics:any --include:any --exclude:any --include-generated", abbrev=False)),
    "clean": Shape(check="in-tree", max_operands=1, allow=opts(
        "-c|--configuration:word -f|--framework:word -v|--verbosity:word --nologo",
        abbrev=False)),
    "tool": Tool(allow=NONE, sub={"list": Shape(max_operands=0, allow=opts(
        "--local", abbrev=False))})}
# mix: credo (a dependency of the tree, as mix test runs its deps), the dependency list,
# the outdated report and the router's routes (the tree's code, compiled as for mix test)
_MIX_MORE: dict[str, Entry] = {
    "credo": Shape(check="in-tree", allow=opts(
        "--strict -a|--all --format:word --min-priority:word --only:any --ignore:any "
        "--checks:any --mute-exit-status -c|--config-name:word", abbrev=False)),
    "deps": Shape(max_operands=0, allow=NONE),
    "hex.outdated": Shape(max_operands=0, allow=opts("--all --within-requirements",
                                                     abbrev=False)),
    "phx.routes": Shape(max_operands=1, check="build-names", allow=opts("--info:any",
                                                                       abbrev=False))}
# composer: why a package is installed and the licenses of the installed ones (reads
# composer.lock); the platform requirements checked
_COMPOSER_READ = opts("-n|--no-interaction -q|--quiet -v|--verbose --no-ansi --ansi "
                      "--no-plugins --no-scripts -r|--recursive -t|--tree --locked",
                      abbrev=False)
_COMPOSER_MORE: dict[str, Entry] = {
    **dict.fromkeys(("why", "depends"), Shape(check="build-names", max_operands=2,
                                              allow=_COMPOSER_READ)),
    "licenses": Shape(max_operands=0, allow=opts(
        "-n|--no-interaction --no-plugins --no-scripts -f|--format:word --no-dev --locked",
        abbrev=False)),
    "check-platform-reqs": Shape(max_operands=0, allow=opts(
        "-n|--no-interaction --no-plugins --no-scripts --no-dev --lock -f|--format:word",
        abbrev=False))}
# cargo: the package's id and manifest located, and the registry searched by name
_CARGO_MORE: dict[str, Entry] = {
    "pkgid": Shape(check="build-names", max_operands=1, allow=opts(
        "-p|--package:word --manifest-path:intree -q|--quiet", abbrev=False)),
    "locate-project": Shape(max_operands=0, allow=opts(
        "--workspace --message-format:word --manifest-path:intree", abbrev=False)),
    "verify-project": Shape(max_operands=0, allow=opts("--manifest-path:intree",
                                                       abbrev=False)),
    "search": Shape(check="build-names", max_operands=1, allow=opts("--limit:num",
                                                                    abbrev=False))}
# go doc: documentation of a package or symbol (of the module or the standard library);
# go clean of the test and build caches only (never -i: removes installed binaries, -r,
# -modcache of every module, -fuzzcache)
_GO_MORE: dict[str, Entry] = {
    "doc": Shape(check="dev2-go-doc", max_operands=2, allow=opts(
        "-all -c -cmd -short -src -u", "go")),
    "clean": Shape(max_operands=0, allow=opts("-testcache -cache -n -x", "go"))}
# bundle info GEM: a gem's summary and path (never bundle config: credentials)
_BUNDLE_MORE: dict[str, Entry] = {"info": Shape(check="build-names", max_operands=1,
                                                allow=opts("--path", abbrev=False))}

SUBCOMMANDS: dict[str, dict[str, Entry]] = {
    "git": {"range-diff": _RANGE_DIFF, "fsck": _FSCK, "diff-tree": _DIFF_TREE,
            "show-branch": _SHOW_BRANCH, "format-patch": _FORMAT_PATCH, "notes": _NOTES,
            "lfs": _LFS, "sparse-checkout": _SPARSE, "rm": _GIT_RM},
    "pip": _PIP_MORE, "pip3": _PIP_MORE, "ruff": _RUFF_MORE, "uv": _UV_MORE, "npm": _NPM_MORE,
    "yarn": _YARN_MORE, "dotnet": _DOTNET_MORE, "mix": _MIX_MORE,
    "composer": _COMPOSER_MORE, "cargo": _CARGO_MORE, "go": _GO_MORE,
    "bundle": _BUNDLE_MORE,
}

# --- linters and analyzers ------------------------------------------------------------------------
# bandit: the tree's Python scanned (never -c/--configfile or --ini: profiles and a file
# the agent names; -o/--output: a file; --baseline: a file read; -p/--profile)
BANDIT = Shape(check="in-tree", allow=opts(
    "-r|--recursive -a|--aggregate:word -n|--number:num -f|--format:word -l|--level "
    "-i|--confidence --severity-level:word --confidence-level:word -q|--quiet|--silent "
    "-v|--verbose -d|--debug -x|--exclude:any -s|--skip:any -t|--tests:any "
    "--msg-template:any --exit-zero --ignore-nosec --version", abbrev=False))
# pipdeptree: the environment's packages as a tree (never --python: another interpreter run)
PIPDEPTREE = Shape(max_operands=0, allow=opts(
    "-p|--packages:any -e|--exclude:any -r|--reverse -j|--json --json-tree -f|--freeze "
    "-w|--warn:word -l|--local-only -u|--user-only -a|--all -d|--depth:num --mermaid "
    "--license -v|--version", abbrev=False))
# pip-audit of the environment it runs in (never -r/--requirement or a project path: it
# installs them into a temporary environment, running their build code; --fix installs;
# -o/--output writes; --index-url/--extra-index-url another index; --cache-dir)
PIP_AUDIT = Shape(max_operands=0, allow=opts(
    "-f|--format:word -s|--vulnerability-service:word --desc:?word --aliases:?word "
    "--strict --skip-editable -l|--local --progress-spinner:word --ignore-vuln:any "
    "--dry-run --no-deps -v|--verbose --version", abbrev=False))
PYDOCSTYLE = Shape(check="in-tree", allow=opts(
    "--convention:word --select:any --ignore:any --add-select:any --add-ignore:any "
    "--match:any --match-dir:any --count -e|--explain -s|--source -d|--debug -v|--verbose "
    "--ignore-decorators:any --version", abbrev=False))
# vulture: the tree's unused code (whitelists are Python files it parses, never runs;
# --make-whitelist prints one)
VULTURE = Shape(check="in-tree", allow=opts(
    "--min-confidence:num --exclude:any --ignore-names:any --ignore-decorators:any "
    "--make-whitelist --sort-by-size -v|--verbose --version", abbrev=False))
_RADON = opts("-s|--show-complexity -a|--average -n|--min:word -x|--max:word -j|--json "
              "--xml --md -e|--exclude:any -i|--ignore:any -O|--output-file:write "
              "--total-average --no-assert -o|--order:word --show-closures -c|--codeclimate "
              "-m|--multi --summary", abbrev=False)
# radon: complexity metrics (never -O onto code: the write kind)
RADON = Tool(allow=NONE, sub={n: Shape(check="in-tree", allow=_RADON)
                              for n in ("cc", "mi", "raw", "hal")})
# autopep8 and yapf: formatters of the tree's Python (in place with -i, as black);
# never --global-config (another file), yapf --style naming a file elsewhere
AUTOPEP8 = Shape(check="in-tree", allow=opts(
    "-d|--diff -i|--in-place -r|--recursive -a|--aggressive -j|--jobs:num "
    "--max-line-length:num --select:any --ignore:any --exclude:any --list-fixes "
    "--exit-code -v|--verbose -p|--pep8-passes:num --experimental --hang-closing "
    "--version", abbrev=False))
YAPF = Shape(check="in-tree", allow=opts(
    "-d|--diff -i|--in-place -r|--recursive -q|--quiet -p|--parallel -e|--exclude:any "
    "--style:yapfstyle -l|--lines:any --no-local-style --version",
    abbrev=False))
# goimports: gofmt with imports fixed (in place with -w, as gofmt -w)
GOIMPORTS = Shape(check="in-tree", allow=opts(
    "-l -d -w -e -local:any -format-only -srcdir:intree", "go"))
# revive: the tree's Go linted; its -config is TOML data of the tree
REVIVE = Shape(check="in-tree", allow=opts(
    "-config:intree -formatter:word -exclude:any -set_exit_status -max_open_files:num "
    "-version", "go"))
# standardrb: rubocop's configuration fixed (never --require, --plugin, -c, -o)
STANDARDRB = Shape(check="in-tree", allow=opts(
    "--fix --fix-unsafely --no-fix -f|--format:word --only:any --except:any "
    "--no-color --color -v|--version --display-cop-names --parallel", abbrev=False))
# clang-tidy: the tree's sources with the build's compile_commands.json (-p); its checks
# are built in (-checks globs are names: the pattern kind, never read as files); never
# -load (a plugin), --config-file/--vfsoverlay (files elsewhere), --extra-arg* (compiler
# arguments), --export-fixes (a file written)
CLANG_TIDY = Shape(check="dev2-clang-tidy", allow=opts(
    "-p:intree -checks:pattern -warnings-as-errors:pattern -header-filter:any "
    "-exclude-header-filter:any -fix -fix-errors -fix-notes -format-style:word "
    "-list-checks -quiet -use-color -system-headers -explain-config -dump-config "
    "-line-filter:any -verify-config -allow-no-checks -version", "go"))
# cppcheck: static analysis (never --addon: Python scripts run; --rule-file, --library,
# --suppressions-list: files read; --output-file, --dump, --plist-output,
# --cppcheck-build-dir: files written; --project: a solution whose tools it reads)
CPPCHECK = Shape(check="in-tree", allow=opts(
    "--enable:any --disable:any --std:word -I:intree -D:any -U:any -j:num -q|--quiet "
    "--inline-suppr --suppress:any --error-exitcode:num --force --max-configs:num "
    "--platform:word --language:word -x:word --template:any --xml --check-level:word "
    "--inconclusive -v|--verbose -i:intree --file-filter:any --check-config "
    "--report-progress --version", abbrev=False))
CPPLINT = Shape(check="in-tree", allow=opts(
    "--filter:any --linelength:num --root:intree --extensions:any --headers:any "
    "--recursive --quiet --counting:word --exclude:any --output:word --verbose:num "
    "--repository:intree --includeorder:word", abbrev=False))
# cloc and tokei: lines counted (never cloc --vcs: a command it runs, --read-lang-def/
# --force-lang-def/--list-file: files read, --report-file/--out/--sql: files written,
# --script-lang, an archive operand: unpacked by running a program)
CLOC = Shape(check="dev2-tree-sources", allow=opts(
    "--include-lang:any --exclude-lang:any --exclude-dir:any --exclude-ext:any "
    "--include-ext:any --by-file --by-file-by-lang --json --yaml --csv --md --quiet "
    "--hide-rate --sum-one --skip-uniqueness --fullpath --not-match-f:any --match-f:any "
    "--not-match-d:any --match-d:any --no-autogen --diff --timeout:num --version",
    abbrev=False))
TOKEI = Shape(check="dev2-tree-sources", allow=opts(
    "-e|--exclude:any -t|--type:any -o|--output:word -s|--sort:word -f|--files "
    "-C|--compact --hidden --no-ignore --no-ignore-vcs -n|--num-format:word "
    "-l|--languages -V|--version", abbrev=False))
# biome: lint and format the tree (biome.json is data); never --config-path elsewhere,
# start/stop/lsp-proxy (a daemon), migrate (rewrites the configuration)
_BIOME = opts(
    "--write --apply --apply-unsafe --fix --unsafe --formatter-enabled:word "
    "--linter-enabled:word --organize-imports-enabled:word --config-path:intree "
    "--reporter:word --max-diagnostics:num --diagnostic-level:word --error-on-warnings "
    "--no-errors-on-unmatched --changed --staged --since:word --skip-errors --colors:word "
    "--verbose --only:any --skip:any", abbrev=False)
BIOME = Tool(allow=NONE, sub={
    **{n: Shape(check="in-tree", allow=_BIOME) for n in ("check", "lint", "format", "ci")},
    "version": _ASKED, "--version": _ASKED})
# stylelint: the tree's styles (its configuration is the tree's; never --config or
# --custom-syntax/--config-basedir: code named elsewhere, -o/--output-file)
STYLELINT = Shape(check="in-tree", allow=opts(
    "--fix -f|--formatter:word -q|--quiet --max-warnings:num --allow-empty-input "
    "--cache --ignore-pattern:any -i|--ignore-path:intree --color --no-color "
    "--report-needless-disables --report-invalid-scope-disables -v|--version", abbrev=False))
# diffstat: a patch's files and counts
DIFFSTAT = Shape(check="in-tree", allow=opts(
    "-p:num -l -s -C -u -w:num -f:num -b -q -k -m -t -r:num -R -c -n:num", abbrev=False))
# gem: what is installed (never env: it prints sources with their tokens, red team s15 C5;
# never install/update/uninstall/push/build/sources --add/cert/signin)
_GEM_READ = opts("-l|--local -d|--details -a|--all -e|--exact --no-versions -q|--quiet "
                 "--norc", abbrev=False)
GEM = Tool(allow=NONE, sub={
    "list": Shape(check="build-names", allow=_GEM_READ),
    "which": Shape(check="build-names", allow=opts("-a|--all", abbrev=False)),
    "--version": _ASKED, "-v": _ASKED})

ENTRIES: dict[str, Entry] = {
    "bandit": BANDIT, "pipdeptree": PIPDEPTREE, "pip-audit": PIP_AUDIT,
    "pydocstyle": PYDOCSTYLE, "vulture": VULTURE, "radon": RADON, "autopep8": AUTOPEP8,
    "yapf": YAPF, "goimports": GOIMPORTS, "revive": REVIVE, "standardrb": STANDARDRB,
    "clang-tidy": CLANG_TIDY, "cppcheck": CPPCHECK, "cpplint": CPPLINT, "cloc": CLOC,
    "tokei": TOKEI, "biome": BIOME, "stylelint": STYLELINT, "diffstat": DIFFSTAT,
    "gem": GEM,
}

#: yapf's style: a named one (never a file path or a dict that names one)
KINDS: dict[str, Callable[[str], str | None]] = {
    "yapfstyle": lambda v: None if v in ("pep8", "google", "facebook", "yapf") else
    f"--style {v!r} is not a named style",
}
