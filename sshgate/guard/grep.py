"""Searchers (grep and its names, ripgrep, the silver searcher): the options that only shape
a search, and which trees a search reads. Pure.

Never listed: ripgrep's ``--pre``/``--pre-glob`` (run a command on every file), ``-z``/
``--search-zip`` (run decompressors), ``--ignore-file``, ``--hostname-bin``; ag's ``--pager``,
``-p``/``--path-to-ignore``, ``-z``. A value names a file only where grep reads patterns or
exclusions from it (``-f``, ``--exclude-from``): the catalogue checks it is no secret.
"""

from __future__ import annotations

import re

from .options import Opts, opts

GREP_OPTS = opts(
    "-E|--extended-regexp -F|--fixed-strings -G|--basic-regexp -P|--perl-regexp "
    "-e|--regexp:any -f|--file:any -i|-y|--ignore-case --no-ignore-case -v|--invert-match "
    "-w|--word-regexp -x|--line-regexp -c|--count --color|--colour:?any "
    "-L|--files-without-match -l|--files-with-matches -m|--max-count:num "
    "-o|--only-matching -q|--quiet|--silent -s|--no-messages -b|--byte-offset "
    "-H|--with-filename -h|--no-filename --label:any -n|--line-number -T|--initial-tab "
    "-Z|--null -z|--null-data -A|--after-context:num -B|--before-context:num "
    "-C|--context:num -NUM -a|--text --binary-files:any -I -D|--devices:any "
    "-d|--directories:any -r|--recursive -R|--dereference-recursive --include:any "
    "--exclude:any --exclude-from:any --exclude-dir:any -U|--binary --line-buffered "
    "-V|--version --help")
#: ripgrep matches long options in full: ``--pre`` is never read as ``--pretty``
RG_OPTS = opts(
    "-e|--regexp:any -f|--file:any -A|--after-context:num -B|--before-context:num "
    "-C|--context:num -b|--byte-offset -s|--case-sensitive --color:any --colors:any "
    "--column --no-column -c|--count --count-matches --crlf --no-crlf "
    "--dfa-size-limit:any -E|--encoding:any --no-encoding --engine:any -F|--fixed-strings "
    "--no-fixed-strings -L|--follow --no-follow -g|--glob:any --iglob:any "
    "--glob-case-insensitive --no-glob-case-insensitive --heading --no-heading "
    "-H|--with-filename -I|--no-filename --hidden --no-hidden -i|--ignore-case "
    "--include-zero --no-include-zero --line-buffered --block-buffered -n|--line-number "
    "-N|--no-line-number -x|--line-regexp -l|--files-with-matches --files-without-match "
    "-M|--max-columns:num --max-columns-preview -m|--max-count:num "
    "-d|--max-depth|--maxdepth:num --max-filesize:any --mmap --no-mmap -U|--multiline "
    "--no-multiline --multiline-dotall --no-config --no-ignore --no-ignore-dot "
    "--no-ignore-exclude --no-ignore-files --no-ignore-global --no-ignore-messages "
    "--no-ignore-parent --no-ignore-vcs --no-messages --no-require-git --no-unicode "
    "-0|--null --null-data --one-file-system -o|--only-matching --passthru|--passthrough "
    "-P|--pcre2 --no-pcre2 -p|--pretty -q|--quiet --regex-size-limit:any -r|--replace:any "
    "-S|--smart-case --sort:any --sortr:any --stats --no-stats -a|--text --no-text "
    "-j|--threads:num --trim --no-trim -t|--type:any -T|--type-not:any --type-list "
    "--type-add:any --type-clear:any -u|--unrestricted -v|--invert-match --vimgrep "
    "-w|--word-regexp --json --no-json --files --binary --no-binary "
    "--context-separator:any --no-context-separator --field-context-separator:any "
    "--field-match-separator:any --path-separator:any -V|--version -h|--help",
    abbrev=False)
AG_OPTS = opts(
    "-a|--all-types -A|--after:num -B|--before:num -C|--context:num --ackmate "
    "-c|--count --color --nocolor --color-line-number:any --color-match:any "
    "--color-path:any --column --nocolumn --depth:num -f|--follow -F|--fixed-strings "
    "--filename --nofilename -g:any -G|--file-search-regex:any --group --nogroup "
    "--heading --noheading --hidden -i|--ignore-case --ignore:any --ignore-dir:any "
    "-l|--files-with-matches -L|--files-without-matches -m|--max-count:num --mmap --nommap "
    "--multiline --nomultiline -n|--norecurse --numbers --nonumbers -o|--only-matching "
    "--one-device --nopager --passthrough|--passthru --print-long-lines -0|--null|--print0 "
    "-Q|--literal -r|-R|--recurse -s|--case-sensitive -S|--smart-case --search-binary "
    "--silent --stats --stats-only -t|--all-text -u|--unrestricted -U|--skip-vcs-ignores "
    "-v|--invert-match --vimgrep -w|--word-regexp -W|--width:num --workers:num "
    "-V|--version -h|--help")
#: by command name
SEARCHERS: dict[str, Opts] = {"grep": GREP_OPTS, "egrep": GREP_OPTS, "fgrep": GREP_OPTS,
                              "zgrep": GREP_OPTS, "rg": RG_OPTS, "ag": AG_OPTS}
#: options that say where the patterns come from (then every operand is a file or tree)
_PATTERN_GIVEN = frozenset({"-e", "-f"})
#: options after which a searcher reads no file's content (lists names, types, versions)
_NO_CONTENT = frozenset({"--files", "--type-list", "-V", "--help", "-h", "-g"})


#: source code: a recursive grep whose --include globs are all ``*.EXT`` of these reads code,
#: never a key, credentials file or configuration (none of those extensions is here)
_SOURCE_GLOB = re.compile(
    r"\*\.(?:py|pyi|js|mjs|cjs|ts|tsx|jsx|go|rs|rb|java|kt|kts|scala|c|h|cc|cpp|cxx|hpp|hh|"
    r"cs|swift|m|mm|lua|pl|pm|html?|css|scss|vue|svelte|md|rst|proto)")


#: ripgrep's built-in types (``rg --type-list``) whose every glob is a source-code file of
#: _SOURCE_GLOB's kind; never ruby (Gemfile, .irbrc), java (*.properties), scala (*.sbt),
#: elixir (*.exs configuration), sh (.env, .bashrc), php, config, json, yaml, toml
_RG_SOURCE_TYPES = frozenset({
    "py", "python", "js", "ts", "typescript", "go", "rust", "c", "cpp", "h", "cs", "csharp",
    "swift", "kotlin", "lua", "css", "html", "md", "markdown", "rst", "protobuf", "vue",
    "svelte", "dart", "zig"})


def _rg_reads_only_source(pairs: tuple[tuple[str, str | None], ...]) -> bool:
    """ripgrep restricted to source files: ``-t`` of source types or positive ``-g`` source
    globs (a glob that matches decides before the types: every positive glob must be a
    source glob; ``!x`` only excludes). Never ``-L`` (a link named ``x.py`` to a key),
    ``--type-add``/``--type-clear`` (a type redefined: ``py:*.pem``), ``-u``/``--no-ignore*``
    are harmless here: they widen the walk, not the names it reads."""
    keys = {k for k, _ in pairs}
    if keys & {"-L", "--type-add", "--type-clear"}:
        return False
    types = [v for k, v in pairs if k == "-t"]
    globs = [v for k, v in pairs if k in ("-g", "--iglob")]
    positive = [g for g in globs if g is not None and not g.startswith("!")]
    if any(v is None or not all(t in _RG_SOURCE_TYPES for t in v.split(",")) for v in types):
        return False
    if any(not _SOURCE_GLOB.fullmatch(g) for g in positive):
        return False
    return bool(types or positive)


def reads_only_source(name: str, pairs: tuple[tuple[str, str | None], ...],
                      tree: str = ".") -> bool:
    """A recursive grep of the working tree (``tree`` relative: the directory it runs in
    or below) restricted to source files: every ``--include`` is a source-code glob, no
    ``--exclude`` (grep includes a file that matches none when the first of them is an
    exclude) and no ``-R`` (which follows a link named ``x.py`` to a key). Never ``/``,
    ``/etc`` or a home named outright: other people's source holds hard-coded credentials
    (red team s9b F7); shell and PHP files are configuration as often as code."""
    if name not in ("grep", "egrep", "fgrep", "rg") or tree.startswith(("/", "~", "$")) or \
            ".." in tree.split("/"):
        return False
    if name == "rg":
        return _rg_reads_only_source(pairs)
    keys = {k for k, _ in pairs}
    if keys & {"-R", "--exclude", "--exclude-from"}:
        return False
    globs = [v for k, v in pairs if k == "--include"]
    return bool(globs) and all(v is not None and _SOURCE_GLOB.fullmatch(v) for v in globs)


def searched_trees(name: str, pairs: tuple[tuple[str, str | None], ...],
                   ops: tuple[str, ...]) -> tuple[str, ...]:
    """The directories a search reads every file of: its operands (after the pattern,
    unless ``-e``/``-f`` gave it) when it recurses, ``.`` when it names none."""
    keys = {k for k, _ in pairs}
    if name == "rg" and keys & _NO_CONTENT - {"-g"} or name == "ag" and "-g" in keys:
        return ()
    if name in ("rg", "ag"):
        recursive = "-n" not in keys or name == "rg"
    else:
        recursive = bool(keys & {"-r", "-R"}) or any(
            k == "-d" and v is not None and len(v) > 2 and "recurse".startswith(v)
            for k, v in pairs)  # grep takes an unambiguous abbreviation: -d rec
    if not recursive:
        return ()
    files = ops if keys & _PATTERN_GIVEN else ops[1:]
    return files or (".",)


__all__ = ["AG_OPTS", "GREP_OPTS", "RG_OPTS", "SEARCHERS", "reads_only_source",
           "searched_trees"]
