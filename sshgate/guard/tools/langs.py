"""Language toolchains the catalogue lacked, and binary inspection for cross toolchains.
Known-safe shapes (tools/__init__.py).

Three kinds of use. A toolchain asked its version or what it has installed (``ghc --version``,
``opam switch list``, ``ocamlfind list``, ``adb devices``): nothing runs. A linter of the
tree (hlint, clj-kondo, ktlint, detekt, swiftlint, govulncheck): it reads the tree and its
configuration, never a plugin, a rule set or a configuration the agent names elsewhere. A
build or test of the tree (``dune build``, ``lein test``, ``clojure -M:test``, an R or Julia
package's tests by one exact expression): that is the tree's code, as a Makefile is for
make, and ordinary only because flow.py's write memory holds the tool after this session
wrote in its tree: dune, lein, clojure, clj, julia, Rscript, fastlane, clj-kondo and
govulncheck belong in flow.CODE_RUNNERS, their project files in rules.CODE_FILE
(tests/guard/test_langs_domain.py checks it once they are). What stays held is what the
tree did not write: an ``-e``/``--eval`` string, a script or a file the agent names, a
library loaded first (``-L``, ``--load``, ``-J``, ``--sysimage``), plugins and rule sets by
option, JVM options (an agent), dependencies given on the command line (``-Sdeps``),
arguments handed to the program a build runs, REPLs and servers, output onto anything but a
plain data file, installs and publishing.

Cross toolchains (``arm-none-eabi-objdump``, ``aarch64-linux-gnu-readelf``) are the base
tool built for another target: :func:`cross_entry` gives such a name its base tool's entry
(binutils that only read), and a compiler or assembler of a target only its version and
configuration (compiling is a code runner's job, keyed by name in flow.py).

Long options are matched in full (``abbrev=False``) whatever the tool's own parser accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..flow import runs_as_code
from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words, operands_match
from ..site_program import says
from .build import in_tree

NONE = opts("")
#: a version or information flag given alone: no operand, no other option
_ASKED = Shape(max_operands=0, allow=NONE)


def _asked(*flags: str) -> Tool:
    """A tool known safe only when asked one of ``flags`` alone (bare, it starts a prompt
    or reads a program from stdin)."""
    return Tool(allow=NONE, sub=dict.fromkeys(flags, _ASKED))


# --- value kinds (merged into safe.KINDS) ------------------------------------------------------
#: a plain data file a converter writes (objcopy's image): in the tree or /tmp, every
#: component a plain name, a firmware image or dump suffix (never a program, a script, a
#: config, a dot-file: the bytes come from the input's sections)
_DATA_OUT = re.compile(
    r"(?:/(?:var/)?tmp/)?(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}/){0,6}[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}"
    r"\.(?:hex|ihex|ihx|srec|s19|s28|s37|mot|bin|img|raw|mem|dat)")
#: objcopy's output formats that are images of data (never an object format: it could run)
_OBJ_FORMATS = frozenset({"ihex", "binary", "srec", "symbolsrec", "verilog", "tekhex"})
#: ktlint's reporters by name, never ``,output=PATH`` (a file anywhere) or a reporter jar
_KT_REPORTER = re.compile(r"(?:plain|plain-summary|json|sarif|checkstyle|html|baseline|format)"
                          r"(?:\?group_by_file)?")
#: detekt's ``--report TYPE:PATH``: a report of a listed kind, into a plain data file
_DETEKT_REPORT = re.compile(r"(?:txt|xml|html|md|sarif):(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}/)"
                            r"{0,6}[A-Za-z0-9_][A-Za-z0-9_.-]{0,80}\.(?:txt|xml|html|md|sarif)")


def _kind_data_out(v: str) -> str | None:
    return None if _DATA_OUT.fullmatch(v) and ".." not in v.split("/") and not \
        runs_as_code(v) else \
        f"writes {v!r}: not a plain image or data file in the working tree or /tmp"


KINDS: dict[str, Callable[[str], str | None]] = {
    "objfmt": lambda v: None if v in _OBJ_FORMATS else
    f"output format {v!r} is not a data image (ihex, binary, srec, verilog)",
    # a section of an object file (``.text``, ``.eeprom``)
    "section": lambda v: None if re.fullmatch(r"\.?[A-Za-z0-9_][A-Za-z0-9_.]{0,100}", v) else
    f"{v!r} is not a section name",
    "ktreporter": lambda v: None if _KT_REPORTER.fullmatch(v) else
    f"reporter {v!r} is not one of ktlint's by name (never output= or a jar)",
    "detektreport": lambda v: None if _DETEKT_REPORT.fullmatch(v) else
    f"report {v!r} is not TYPE:FILE into a plain report file of the tree",
    # a comma-separated list of paths of the tree (detekt --input src/main,src/test)
    # adb -s: a device's serial or address; never a computed word (unquoted, bash splits it
    # into words adb reads as its command: the catalogue's global options take it whole)
    "adbserial": lambda v: None if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,100}", v) else
    f"-s {v!r} is not a device serial",
    "intreelist": lambda v: None if v and all(in_tree(p) for p in v.split(",")) else
    f"{v!r} is not a list of paths in the working tree",
}

# --- cross toolchains ---------------------------------------------------------------------------
#: the CPU of a GNU target triplet (``arm``-none-eabi, ``aarch64``-linux-gnu, ``avr``)
_ARCH = (r"aarch64(?:_be)?|arm(?:eb|v[0-9a-z]{1,8})?|avr|bpf|csky|i[3-6]86|loongarch64|m68k|"
         r"microblaze(?:el)?|mips(?:el|64|64el|isa[0-9a-z]{1,8}(?:el)?)?|msp430|nios2|or1k|"
         r"powerpc(?:64(?:le)?)?|ppc(?:64(?:le)?)?|riscv(?:32|64)|rx|rl78|s390x|sh4|sparc(?:64)?|"
         r"x86_64|xtensa|arc|tricore|v850|h8300|hppa(?:64)?|alpha|ia64")
#: the binutils that only read a binary: a triplet's one is the base tool's entry
CROSS_READERS = frozenset({"objdump", "nm", "readelf", "size", "strings", "addr2line",
                           "c++filt", "objcopy", "ar"})
#: compilers and drivers of a target: their version and configuration only
_CROSS_COMPILERS = frozenset({"gcc", "g++", "c++", "cpp", "gfortran"})
#: assembler, linker and debugger of a target: their version only
_CROSS_VERSION = frozenset({"as", "ld", "ld.bfd", "gdb"})
_CROSS = re.compile(rf"(?:{_ARCH})(?:-[a-z0-9_.]{{1,32}}){{0,3}}-"
                    r"(?P<tool>objdump|nm|readelf|size|strings|addr2line|c\+\+filt|objcopy|ar|"
                    r"gcc|g\+\+|c\+\+|cpp|gfortran|as|ld|ld\.bfd|gdb)")
#: what a target's compiler may be asked: its version, its target and configuration, where
#: its libraries are (never an input, an output, -wrapper, -specs: specs name programs);
#: ``-mcpu=X`` only with ``=`` (gcc reads ``-mcpu X``'s X as an input file)
CROSS_COMPILER = Shape(max_operands=0, allow=opts(
    "--version -v -dumpmachine -dumpversion -dumpfullversion -print-sysroot "
    "-print-multi-lib -print-multi-directory -print-multi-os-directory "
    "-print-libgcc-file-name -print-search-dirs --target-help -mcpu:?word "
    "-march:?word -mthumb -mfloat-abi:?word -mfpu:?word", "go"))
CROSS_VERSION_ONLY = _asked("--version")


def cross_entry(name: str, catalogue: Mapping[str, Entry]) -> Entry | None:
    """The entry of ``name`` when it is a GNU cross tool (``arm-none-eabi-objdump``): the
    base reader's entry from ``catalogue``, a compiler's version and configuration only,
    an assembler's or linker's version only; None for any other name. safe.known_safe asks
    this when ``name`` has no entry of its own (a name listed in the catalogue keeps its
    own entry: ``x86_64-linux-gnu-gcc`` is not compiled through here)."""
    m = _CROSS.fullmatch(name)
    if m is None:
        return None
    tool = m.group("tool")
    if tool in _CROSS_COMPILERS:
        return CROSS_COMPILER
    if tool in _CROSS_VERSION:
        return CROSS_VERSION_ONLY
    return catalogue.get(tool) if tool in CROSS_READERS else None


# --- checks -------------------------------------------------------------------------------------
def _objcopy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """objcopy IN OUT: a copy or conversion into a plain image file; never in place (one
    operand rewrites its input: a binary of the system under sudo)."""
    if "--" in rest:
        return "a word after -- is not told apart"
    if any(k in ("--version", "-V") for k, _ in pairs or ()) and not ops:
        return None
    if len(ops) != 2:
        return "objcopy with one file rewrites it in place; IN OUT names the copy"
    if ops[0] == ops[1]:
        return "objcopy onto its own input rewrites it"
    return _kind_data_out(ops[1])


#: ar's listing modes: ``t`` with modifiers that only change how it prints (never a
#: command that changes the archive: d, m, q, r, s, x, p prints members' content)
_AR_LIST = re.compile(r"-?t[vOU]{0,3}")


def _ar_list(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``ar t LIB.a [MEMBER...]`` / ``ar tv``: the members' names, listed."""
    mode = c.args[0] if c.args else ""
    if mode in ("--version", "-V") and len(c.args) == 1:
        return None
    if not _AR_LIST.fullmatch(mode) or len(c.args) < 2:
        return f"ar {mode!r}: only a listing of an archive (t, tv) is known to be harmless"
    if any(a.startswith("-") or a.startswith("@") for a in c.args[1:]):
        return "ar: an option or @FILE after the listing mode"
    if not c.args[1].endswith((".a", ".lib", ".o", ".rlib")):
        return f"ar: {c.args[1]!r} is not an archive"
    return None


#: Julia statements of ``-e`` known safe: the environment's packages and versions, and the
#: tree's own package steps (Pkg.test runs the tree's tests, instantiate installs what
#: Manifest.toml pins and builds it: a code runner, as npm ci)
_JULIA_STATEMENTS = frozenset({
    "using Pkg", "import Pkg", "Pkg.status()", "Pkg.status(mode=PKGMODE_MANIFEST)",
    "Pkg.instantiate()", "Pkg.test()", "Pkg.precompile()", 'Pkg.activate(".")',
    "versioninfo()", "using InteractiveUtils", "VERSION", "println(VERSION)"})
#: the project Julia activates: the tree's (``--project``, ``--project=.``, ``@.``)
_JULIA_PROJECT = frozenset({None, ".", "@.", "./"})


def _statements(text: str, sep: str = ";") -> list[str]:
    return [" ".join(s.split()) for s in text.replace("\n", sep).split(sep) if s.strip()]


def _julia(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``julia --version``, or ``julia [--project] -e 'using Pkg; Pkg.status()'`` of the
    listed statements only. A script of the tree is the site's program (site_program's
    INTERPRETERS), never through here: an operand is the script and its ARGS."""
    if ops:
        return f"{ops[0]!r}: a program or its arguments (a script of the tree is judged as " \
               "the site's program)"
    given = pairs or ()
    if any(k == "--version" for k, _ in given):
        return None if len(given) == 1 else "--version with other options"
    evals = [v for k, v in given if k == "-e"]
    if not evals:
        return "julia without -e or a script starts its prompt"
    for k, v in given:
        if k == "--project" and v not in _JULIA_PROJECT:
            return f"--project={v}: an environment other than the tree's"
        if k == "--startup-file" and v != "no":
            return "--startup-file: only =no (skip the login's startup.jl)"
    for text in evals:
        bad = [s for s in _statements(text or "") if s not in _JULIA_STATEMENTS]
        if bad:
            return f"-e: {bad[0][:60]!r} is not one of the package reads or steps known safe"
    return None


#: R expressions of ``Rscript -e`` known safe: versions and libraries, and the tree's own
#: package steps (tests, checks, documentation, lint, style: the tree's code, as make test)
_R_EXPRS = frozenset({
    "sessionInfo()", "R.version.string", "R.version", "print(R.version.string)",
    "cat(R.version.string)", ".libPaths()", "installed.packages()[,1]",
    "rownames(installed.packages())", "devtools::test()", "devtools::check()",
    "devtools::document()", "testthat::test_local()",
    "lintr::lint_package()", "styler::style_pkg()", "renv::status()", "renv::restore()",
    "covr::package_coverage()", "rcmdcheck::rcmdcheck()", "roxygen2::roxygenise()"})
_R_VERSION_OF = re.compile(r"(?:print\()?packageVersion\(\"[A-Za-z][A-Za-z0-9.]{0,60}\"\)\)?")
_R_TREE_CALL = re.compile(r"(?:testthat::test_dir|lintr::lint_dir|lintr::lint)"
                          r"\(\"([A-Za-z0-9_][A-Za-z0-9_./-]{0,200})\"\)")


def _r_expr_ok(text: str) -> bool:
    """One R expression of the list (blanks dropped, ' read as ")."""
    e = re.sub(r"\s+", "", text).replace("'", '"')
    if e in _R_EXPRS or _R_VERSION_OF.fullmatch(e):
        return True
    m = _R_TREE_CALL.fullmatch(e)
    return m is not None and in_tree(m.group(1))


def _rscript(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``Rscript --version`` or ``Rscript [--vanilla] -e EXPR`` of the listed expressions
    (each ``-e`` one statement, or several split by ``;``). A script of the tree is the
    site's program (site_program.INTERPRETERS), never through here."""
    if ops:
        return f"{ops[0]!r}: a program or its arguments"
    given = pairs or ()
    if any(k == "--version" for k, _ in given):
        return None if len(given) == 1 else "--version with other options"
    evals = [v for k, v in given if k == "-e"]
    if not evals:
        return "Rscript without -e or a script reads its program from stdin"
    for text in evals:
        bad = [s for s in _statements(text or "") if not _r_expr_ok(s)]
        if bad:
            return f"-e: {bad[0][:60]!r} is not one of the R reads or package steps known safe"
    return None


#: a dune target: an alias (``@runtest``, ``@@default``, ``@src/fmt``) or a file of the
#: build (``bin/main.exe``, ``./lib/x.cma``)
_DUNE_TARGET = re.compile(r"(?:@@?)?(?:\./)?[A-Za-z0-9_][A-Za-z0-9_./+-]{0,200}")
#: what dune exec runs: a program of the tree's build by its path, never a name (dune looks
#: a name up among the workspace's public executables and then on PATH: ``rm``)
_DUNE_PROG = re.compile(r"\./(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}/){0,8}"
                        r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}\.(?:exe|bc)")


def _dune_targets(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if "--" in rest:
        return "words after -- go to what the build runs"
    for o in ops:
        bare = o.lstrip("@")
        if not _DUNE_TARGET.fullmatch(o) or not in_tree(bare):
            return f"{o!r} is not a target or directory of the tree"
    return None


def _dune_exec(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``dune exec ./bin/main.exe``: one program of the tree's build, no arguments (they go
    to the tree's program: as ``zig build run --`` and ``cabal run``, they stay held)."""
    if len(ops) != 1 or not _DUNE_PROG.fullmatch(ops[0]) or ".." in ops[0].split("/"):
        return "dune exec runs one program of the tree's build (./dir/x.exe), with no " \
               "arguments"
    if "--" in rest and rest.index("--") > rest.index(ops[0]):
        return "words after the program go to it"
    return None


_CLJ_ALIASES = re.compile(r"(?::[A-Za-z0-9_][A-Za-z0-9_.*+!?<>=/-]{0,80}){1,8}")
#: -S flags of the Clojure CLI that only print or prepare (never deps: code from the
#: command line; cp: a class path; pom: writes pom.xml; threads is a number)
_CLJ_S = frozenset({"path", "tree", "describe", "verbose", "force", "repro", "trace"})


#: alias names that say a prompt, a server or a release, whatever deps.edn makes of them
_CLJ_NOT_BUILD = re.compile(r"repl|socket|serve|cider|rebel|rebl|portal|deploy|release|"
                            r"publish|install|upload")


def _clojure(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``clojure -M:test`` / ``clj -X:test`` / ``clojure -Spath``: the tree's aliases
    (deps.edn: its code, as a make target), never arguments to clojure.main (``-e``, ``-m``,
    a script) or to the function -X calls; ``-X:deps tree``/``list`` print dependencies."""
    given = pairs or ()
    if any(k == "--version" for k, _ in given):
        return None if len(given) == 1 and not ops else "--version with other words"
    runs = [(k, v) for k, v in given if k in ("-M", "-X")]
    for k, v in given:
        if k == "-S" and v not in _CLJ_S:
            return f"-S{v}: not a -S flag that only prints or prepares"
        if k in ("-M", "-X", "-A") and v is not None:
            if not _CLJ_ALIASES.fullmatch(v):
                return f"{k}{v}: not a list of aliases"
            hit = says(v, name=True) or next(iter(_CLJ_NOT_BUILD.findall(v.lower())), None)
            if hit:
                return f"{k}{v}: the alias's name says {hit!r}"
    if ops:
        if runs == [("-X", ":deps")] and ops in (("tree",), ("list",)):
            return None
        return f"{ops[0]!r}: an argument to the program the alias runs"
    if "--" in rest:
        return "words after -- go to the program"
    if len(runs) > 1:
        return "one of -M or -X"
    if not runs and not any(k in ("-S", "-P") for k, _ in given):
        return "the Clojure CLI without an alias starts its prompt"
    if runs and runs[0][1] is None:
        return f"{runs[0][0]} without an alias runs clojure.main (a prompt)"
    return None


_LEIN_TEST_ARG = re.compile(r":?[A-Za-z0-9_*][A-Za-z0-9_.*/?!-]{0,200}")


#: ``lein test [NS...] [:only NS/VAR] [:selector]``: names of the tree's tests
_lein_test = operands_match(_LEIN_TEST_ARG, "a namespace, test or selector")


_LEIN_DEPS = frozenset({(), (":tree",), (":tree-data",), (":plugin-tree",), (":verify",)})


def _lein_deps(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if ops in _LEIN_DEPS else \
        "lein deps: only :tree, :tree-data, :plugin-tree or :verify"


_PROP = re.compile(r"[a-z][a-z0-9_.-]{0,120}")
#: ``adb shell`` reads known safe: adb joins its words into one line the device's shell
#: runs, so each form is exact, its names plain (``getprop 'x; rm -rf /sdcard'`` runs rm)
_ADB_PM_FLAGS = frozenset({"-3", "-s", "-e", "-d", "-f", "-U", "-i"})


def _adb_shell(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``adb shell getprop PROP``, ``pm list packages [-3 -s...]``, ``wm size``/``density``,
    ``getprop``'s one property by name; never a command line of its own."""
    words = rest
    if len(words) == 2 and words[0] == "getprop" and _PROP.fullmatch(words[1]):
        return None
    if words[:3] == ("pm", "list", "packages") and set(words[3:]) <= _ADB_PM_FLAGS:
        return None
    if words in (("wm", "size"), ("wm", "density")):
        return None
    return "adb shell runs a command line on the device: only getprop PROP, pm list " \
           "packages, wm size/density are known reads"


_KTLINT_VERBS = frozenset({"installGitPreCommitHook", "installGitPrePushHook",
                           "installgitprecommithook", "installgitprepushhook"})


def _ktlint(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """ktlint's file patterns in the tree (``"src/**/*.kt"``, ``!gen/**``); never a hook
    installer (writes .git/hooks: code git runs)."""
    for o in ops:
        if o in _KTLINT_VERBS or o.lower().startswith("install"):
            return f"ktlint {o}: writes a git hook"
        p = o.removeprefix("!")
        if not p or p.startswith(("/", "~", "-")) or ".." in p.split("/") or \
                re.search(r"[$`\\]", p):
            return f"{o!r} is not a file pattern of the working tree"
    return None


CHECKS: dict[str, Check] = {
    "langs-objcopy": _objcopy, "langs-ar": _ar_list, "langs-julia": _julia,
    "langs-rscript": _rscript, "langs-dune-targets": _dune_targets,
    "langs-dune-exec": _dune_exec, "langs-clojure": _clojure, "langs-lein-test": _lein_test,
    "langs-lein-deps": _lein_deps, "langs-adb-shell": _adb_shell, "langs-ktlint": _ktlint,
}

# --- binutils -----------------------------------------------------------------------------------
# objcopy: a copy into a firmware image (``-O ihex app.elf app.hex``); never -I/--input-target
# or -B (reads any file as raw bytes), --add-section/--update-section/--add-symbol/
# --redefine-syms/--keep-symbols/--strip-symbols (read a file), --dump-section (writes one
# anywhere), an object output format (a program), one operand (in place)
OBJCOPY = Shape(check="langs-objcopy", allow=opts(
    "-O|--output-target:objfmt -j|--only-section:section -R|--remove-section:section "
    "-S|--strip-all -g|--strip-debug --strip-unneeded -K|--keep-symbol:word "
    "-N|--strip-symbol:word --gap-fill:num --pad-to:any --srec-len:num --srec-forceS3 "
    "--change-addresses|--adjust-vma:any --set-start:any -p|--preserve-dates "
    "-b|--byte:num -i|--interleave:?num --interleave-width:num --reverse-bytes:num "
    "-v|--verbose -V|--version", abbrev=False))

# --- version and information only ----------------------------------------------------------------
# ghc compiles with Template Haskell (code at compile time) and runs plugins: only asked
GHC = _asked("--version", "--numeric-version", "--info", "--print-libdir",
             "--supported-extensions", "--supported-languages")
# R is a prompt, or R CMD (build, check, INSTALL into a library): only its version
R = _asked("--version")
KOTLIN = _asked("-version", "--version")
OCAML = _asked("-version", "-vnum", "--version")

# julia: version, or the listed -e statements (_julia); never -L/--load (a file first),
# -i (a prompt), -E/--print (any expression), -J/--sysimage (native code), -p/--procs and
# --machine-file (workers, on other hosts by ssh), --bug-report (downloads and runs a tool),
# --track-allocation/--code-coverage (files beside the sources), --startup-file=yes
JULIA = Shape(check="langs-julia", allow=opts(
    "--version|-v --project:?any -e|--eval:any -q|--quiet --startup-file:word "
    "--history-file:word --color:word -t|--threads:word -O|--optimize:?num "
    "--compiled-modules:word --depwarn:word --check-bounds:word -g:?num", abbrev=False))
# Rscript: version, or the listed -e expressions (_rscript); --vanilla skips the tree's
# .Rprofile. Never --default-packages (packages loaded first), a file (-f is R's), --args
RSCRIPT = Shape(check="langs-rscript", allow=opts(
    "--version -e:any --vanilla --no-save --no-restore --no-environ --no-site-file "
    "--no-init-file --quiet --verbose", abbrev=False))

# --- OCaml ---------------------------------------------------------------------------------------
# opam: what is installed and the environment it prints (``opam env`` prints shell code: as
# data it is a read; ``eval $(opam env)`` runs what another command printed, and eval is
# never known safe). Never install/remove/upgrade/update/pin add/repo add/init (packages'
# build commands, other repositories), exec/source/config set/var X=V/switch create|set|
# remove, --root (another opam), -y/--yes (answers for the agent)
_OPAM_READ = ("--switch:word --safe|--readonly --color:word -q|--quiet -v|--verbose "
              "--cli:word ")
OPAM = Tool(allow=opts("--cli:word --color:word -q|--quiet", abbrev=False), sub={
    "switch": Tool(allow=NONE, sub={
        **dict.fromkeys(("list", "show"), Shape(max_operands=0, allow=opts(
            _OPAM_READ + "-s|--short", abbrev=False)))}),
    "list": Shape(check="build-names", allow=opts(
        _OPAM_READ + "-i|--installed -A|--all --roots|--installed-roots -s|--short "
        "--columns:any -S|--sort --depends-on:any --required-by:any --recursive "
        "--pinned --base --depext --or --available", abbrev=False)),
    "show": Shape(check="build-names", allow=opts(
        _OPAM_READ + "-f|--field:any --raw --normalise --all-versions --list-files",
        abbrev=False)),
    "env": Shape(max_operands=0, allow=opts(
        _OPAM_READ + "--shell:word --sexp --set-switch --set-root --revert", abbrev=False)),
    "var": Shape(check="build-names", max_operands=1, allow=opts(_OPAM_READ + "--global",
                                                                 abbrev=False)),
    "config": Tool(allow=NONE, sub={"list": Shape(max_operands=0, allow=opts(
        _OPAM_READ, abbrev=False))}),
    "repo": Tool(allow=NONE, sub={"list": Shape(max_operands=0, allow=opts(
        _OPAM_READ + "-a|--all -s|--short", abbrev=False))}),
    "--version": _ASKED, "--help": _ASKED})
# dune: builds and tests of the tree (dune files are its code); never --root/--workspace/
# --config-file/--build-dir (another workspace, configuration or output), -w/--watch and
# --passive-watch-mode (no end), --diff-command (a program), --instrument-with (a ppx
# library), --trace-file/--dump-* (files elsewhere), the words after -- or a program's
# arguments (dune exec), install/uninstall (into a prefix), rpc, utop/top (a prompt), pkg
_DUNE = ("--profile:word --release -j:num --display:word --no-buffer -f|--force --verbose "
         "--cache:word -p|--only-packages:any --stop-on-first-error --error-reporting:word "
         "--sandbox:word --ignore-promoted-rules --always-show-command-line "
         "--no-print-directory --require-dune-project-file --auto-promote "
         "--action-stdout-on-success:word --action-stderr-on-success:word -x:word "
         "--terminal-persistence:word ")
DUNE = Tool(allow=NONE, sub={
    "build": Shape(check="langs-dune-targets", allow=opts(_DUNE, abbrev=False)),
    **dict.fromkeys(("test", "runtest"), Shape(check="langs-dune-targets", allow=opts(
        _DUNE, abbrev=False))),
    "fmt": Shape(max_operands=0, allow=opts(_DUNE + "--preview", abbrev=False)),
    "exec": Shape(check="langs-dune-exec", allow=opts(_DUNE, abbrev=False)),
    "clean": Shape(max_operands=0, allow=opts("--display:word", abbrev=False)),
    "installed-libraries": Shape(max_operands=0, allow=opts("--na|--not-available",
                                                            abbrev=False)),
    "--version": _ASKED, "--help": _ASKED})
# ocamlfind: the findlib packages and their directories; never its compiler front ends
# (ocamlc, ocamlopt, ocamldep: compile), install/remove, -toolchain
OCAMLFIND = Tool(allow=NONE, sub={
    "list": Shape(max_operands=0, allow=opts("-describe -long", "go")),
    "query": Shape(check="build-names", allow=opts(
        "-r|-recursive -format:any -predicates:word -separator:any -long-format|-l "
        "-i-format -l-format -a-format -o-format -p-format -d-format -descendants", "go")),
    "printconf": Shape(check="build-names", max_operands=1, allow=NONE),
    "-version": _ASKED})

# --- Haskell --------------------------------------------------------------------------------------
# hlint: the tree's sources and its .hlint.yaml (watched: its arguments run); never
# --refactor/--refactor-options (runs the refactor program), --datadir, --report (writes a
# page), --cpp-include (a directory elsewhere), --git (runs git), -h/--hint (a hint file's
# ``arguments:`` are read as options, --with-refactor=PROG among them: red team s15 B5; the
# tree's own .hlint.yaml is watched by the write memory, flow.LINTER_CONFIGS)
HLINT = Shape(check="in-tree", allow=opts(
    "-j|--threads:?num --json --sarif --cc --no-summary -s|--serialise "
    "--with-group:word -i|--ignore:any --ignore-glob:any -X|--cpp-define:any --cpp-simple "
    "-c|--color|--colour:?word -q|--quiet -v|--verbose --default --only:any "
    "--no-exit-code --timing -e|--extension:word --show -u|--utf8 "
    "--cross -V|--version --numeric-version", abbrev=False))
# ormolu/fourmolu: format the tree's Haskell (in place, as gofmt -w); never --ghc-opt
# (ghc's options), --stdin-input-file outside the tree
_ORMOLU = opts("-m|--mode:word -i -c|--check-idempotence -u|--unsafe --no-cabal "
               "--color:word --start-line:num --end-line:num -v|--version "
               "--stdin-input-file:intree", abbrev=False)
ORMOLU = Shape(check="in-tree", allow=_ORMOLU)

# --- Clojure --------------------------------------------------------------------------------------
# clj-kondo: lints the tree (.clj-kondo/config.edn: hooks run in its interpreter); never
# --config (inline or a file: hooks, an output), --copy-configs (writes the configs and hooks
# dependencies ship into .clj-kondo), --cache-dir
CLJ_KONDO = Shape(check="in-tree", allow=opts(
    "--lint:intree --parallel --fail-level:word --config-dir:intree --debug --dependencies "
    "--skip-lint --repro --version", abbrev=False))
# clojure/clj: the tree's aliases (_clojure); never -J (JVM options: an agent), -Sdeps
# (dependencies from the command line: code), -Scp, -Spom, -T (tools by name), -e/-m/-i
# and scripts (clojure.main's arguments after an alias)
CLOJURE = Shape(check="langs-clojure", allow=opts(
    "-M:??any -X:??any -A:??any -S:??word -P --version", abbrev=False))
# lein: the tree's project.clj (its code); never run/repl/trampoline (a program, a prompt),
# do (a list of tasks), deploy/install (a repository, ~/.m2), update-in/with-profile (the
# project's map changed from the command line), change, vcs, new, sub, plugin tasks
LEIN = Tool(allow=opts("-o -U", abbrev=False), sub={
    "test": Shape(check="langs-lein-test", allow=NONE),
    "deps": Shape(check="langs-lein-deps", allow=NONE),
    **dict.fromkeys(("check", "compile", "jar", "uberjar", "clean", "classpath", "version"),
                    _ASKED),
    "--version": _ASKED, "-v": _ASKED})

# --- mobile, Go, Swift and Kotlin linters ---------------------------------------------------------
# adb: the devices, and exact reads on one (_adb_shell); never -a (its server on every
# interface), -H/-P/-L (another server), install/uninstall/push/pull/root/remount/reboot/
# sideload/backup/restore/forward/reverse/tcpip, logcat (what apps log), shell of anything else
ADB = Tool(allow=opts("-s:adbserial -d -e -t:num", abbrev=False), sub={
    "devices": Shape(max_operands=0, allow=opts("-l", abbrev=False)),
    "shell": Shape(check="langs-adb-shell", allow=opts(" ".join(sorted(_ADB_PM_FLAGS)))),
    **dict.fromkeys(("version", "get-state", "get-serialno", "get-devpath"), _ASKED),
    "--version": _ASKED})
# fastlane: its lanes listed (the Fastfile is Ruby: bundle is a code runner); never a lane
# by name (signing, uploads, store releases), run, action, init, env (prints the environment)
FASTLANE = Tool(allow=NONE, sub={
    "lanes": _ASKED, "list": _ASKED, "--version": _ASKED, "-v": _ASKED})
# govulncheck: the tree's packages against the Go vulnerability database; never -db (a
# database of the agent's choosing, sent the module list), -mode extract (writes a blob)
GOVULNCHECK = Shape(check="in-tree", allow=opts(
    "-json -format:word -show:any -scan:word -test -tags:any -C:intree "
    "-version", "go"))
# swiftlint: lint and fix the tree (.swiftlint.yml: data); never --cache-path, analyze
# (runs a compiler log's commands), --use-script-input-files (names from the environment),
# --compiler-log-path, an output or baseline written onto code
_SWIFTLINT = opts(
    "--strict --lenient --quiet --reporter:word --config:intree --path:intree --fix "
    "--autocorrect --format --no-cache --enable-all-rules --force-exclude --progress "
    "--only-rule:word --silence-deprecation-warnings --baseline:intree "
    "--write-baseline:write --output:write --working-directory:intree", abbrev=False)
SWIFTLINT = Tool(allow=_SWIFTLINT, bare=Shape(max_operands=0), sub={
    "lint": Shape(check="in-tree", allow=_SWIFTLINT),
    "rules": Shape(check="build-names", max_operands=1, allow=opts(
        "--enabled --disabled --config:intree --verbose", abbrev=False)),
    "version": _ASKED, "--version": _ASKED})
# ktlint: the tree's Kotlin by patterns (-F formats in place); never -R/--ruleset (a jar:
# code), a reporter's output= path, the hook installers (_ktlint)
KTLINT = Shape(check="langs-ktlint", allow=opts(
    "-F|--format --reporter:ktreporter --relative --color --color-name:word --limit:num "
    "-l|--log-level:word --editorconfig:intree --baseline:write --code-style:word --stdin "
    "-V|--version", abbrev=False))
# detekt (JCommander: -ac, -cb are names of their own): the tree's sources and config;
# never -p/--plugins (jars: code), -cp/--classpath, -gc/--generate-config (writes the
# config), --jdk-home, a report onto anything but a report file
DETEKT = Shape(max_operands=0, allow=opts(
    "-i|--input:intreelist -c|--config:intreelist -b|--baseline:intree "
    "-r|--report:detektreport -ac|--auto-correct --build-upon-default-config --all-rules "
    "--parallel --debug -ex|--excludes:any -in|--includes:any --jvm-target:word "
    "--language-version:word --base-path:intree --disable-default-rulesets "
    "-v|--version", "go"))

ENTRIES: dict[str, Entry] = {
    "objcopy": OBJCOPY, "ar": Shape(check="langs-ar"),
    "ghc": GHC, "R": R, "kotlin": KOTLIN, "ocaml": OCAML, "ocamlc": OCAML,
    "ocamlopt": OCAML, "julia": JULIA, "Rscript": RSCRIPT, "opam": OPAM, "dune": DUNE,
    "ocamlfind": OCAMLFIND, "hlint": HLINT, "ormolu": ORMOLU, "fourmolu": ORMOLU,
    "clj-kondo": CLJ_KONDO, "clojure": CLOJURE, "clj": CLOJURE, "lein": LEIN, "adb": ADB,
    "fastlane": FASTLANE, "govulncheck": GOVULNCHECK, "swiftlint": SWIFTLINT,
    "ktlint": KTLINT, "detekt": DETEKT, "detekt-cli": DETEKT,
}
