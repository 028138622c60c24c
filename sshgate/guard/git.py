"""git's option allow-lists, per subcommand, and the remote URLs an ordinary fetch or clone
may use. Pure.

Never listed (so a command that uses one is unknown): ``-c``/``--config-env``/
``--exec-path``/``-p`` before the subcommand; ``--output`` (writes a file), ``--ext-diff``,
``--textconv``, ``--filters`` (run drivers), ``--no-index`` and ``--contents``/``-O``/``-f``
(read files outside the repository), ``--open-files-in-pager``, ``--upload-pack``/
``--receive-pack``/``--exec`` (run a program), ``--template``/``--separate-git-dir``/
``--reference``/``--config`` on clone, ``--recurse-submodules`` on the network, ``-i``/
``-x``/``-e``/``-S`` (an editor, a command, a signing program), force and delete options
(the rule ``git.history-loss`` names most). No listed long option has a dangerous one's full
name as its prefix (an abbreviation never resolves to a listed option while git reads the
dangerous one); tests/guard/test_git.py checks it.
"""

from __future__ import annotations

import re

from .options import opts

#: git's own options, before the subcommand; git matches them exactly (no abbreviations)
GLOBAL = opts("-C:any --git-dir:any --work-tree:any --namespace:any -P|--no-pager --bare "
              "--no-replace-objects --literal-pathspecs --glob-pathspecs --noglob-pathspecs "
              "--icase-pathspecs --no-optional-locks --no-advice --no-lazy-fetch --version "
              "--help", abbrev=False)

_DIFF = (
    "-p|-u|--patch -s|--no-patch -U|--unified:?num --raw --patch-with-raw --patch-with-stat "
    "--indent-heuristic --no-indent-heuristic --minimal --patience --histogram "
    "--anchored:any --diff-algorithm:any --stat:?any --stat-width:num --stat-name-width:num "
    "--stat-count:num --stat-graph-width:num --compact-summary --numstat --shortstat "
    "-X|--dirstat:?any --cumulative --dirstat-by-file:?any --summary -z --name-only "
    "--name-status --submodule:?any --color:?any --no-color --color-moved:?any "
    "--no-color-moved --color-moved-ws:any --no-color-moved-ws --word-diff:?any "
    "--word-diff-regex:any --color-words:?any --no-renames --rename-empty --no-rename-empty "
    "--check --ws-error-highlight:any --full-index --binary --abbrev:?num "
    "-B|--break-rewrites:??any -M|--find-renames:??any -C|--find-copies:??any "
    "--find-copies-harder -D|--irreversible-delete -l:?num --diff-filter:any -S:any -G:any "
    "--find-object:any --pickaxe-all --pickaxe-regex --skip-to:any --rotate-to:any -R "
    "--relative:?any --no-relative -a|--text --ignore-cr-at-eol --ignore-space-at-eol "
    "-b|--ignore-space-change -w|--ignore-all-space --ignore-blank-lines "
    "-I|--ignore-matching-lines:any --inter-hunk-context:num -W|--function-context "
    "--exit-code --quiet --no-ext-diff --no-textconv --ignore-submodules:?any "
    "--src-prefix:any --dst-prefix:any --no-prefix --default-prefix --line-prefix:any "
    "--ita-invisible-in-index --ita-visible-in-index ")
#: revision walking and commit formatting (log, shortlog, rev-list, whatchanged)
_REV = (
    "-NUM --skip:num --since|--after|--since-as-filter:any --until|--before:any "
    "--author:pattern --committer:pattern --grep-reflog:pattern --grep:pattern --all-match "
    "--invert-grep "
    "-i|--regexp-ignore-case --basic-regexp -E|--extended-regexp -F|--fixed-strings "
    "-P|--perl-regexp --remove-empty --merges --no-merges --min-parents:num "
    "--max-parents:num --no-min-parents --no-max-parents --first-parent "
    "--exclude-first-parent-only --not --all --branches:?any --tags:?any --remotes:?any "
    "--glob:any --exclude:any --exclude-hidden:any --reflog --alternate-refs "
    "--single-worktree --ignore-missing --bisect --stdin --cherry-mark --cherry-pick "
    "--left-only --right-only --cherry -g|--walk-reflogs --merge --boundary "
    "--simplify-by-decoration --show-pulls --full-history --dense --sparse "
    "--simplify-merges --ancestry-path:?any --date-order --author-date-order --topo-order "
    "--reverse --no-walk:?any --do-walk --pretty|--format:?any --abbrev-commit "
    "--no-abbrev-commit --oneline --encoding:any --expand-tabs:?num --no-expand-tabs "
    "--notes:?any --no-notes --show-notes:?any --show-notes-by-default --relative-date "
    "--date:any --parents --children --left-right --graph --show-linear-break:?any "
    "--no-decorate --decorate:?any --decorate-refs:any --decorate-refs-exclude:any "
    "--clear-decorations --source --use-mailmap|--mailmap --no-use-mailmap|--no-mailmap ")
_LOG_ONLY = ("-n|--max-count:num -c --cc --dd --remerge-diff --no-diff-merges "
             "--diff-merges:any -m -r -t --follow --full-diff --log-size -L:any ")
LOG = opts(_DIFF + _REV + _LOG_ONLY)
DIFF = opts(_DIFF + "--cached|--staged --merge-base --base --ours --theirs -NUM")
REV_LIST = opts(_DIFF + _REV + _LOG_ONLY + "--count --objects --objects-edge --header "
                "--timestamp --unpacked --disk-usage:?any --use-bitmap-index "
                "--in-commit-order --no-object-names --object-names --filter:any --no-filter "
                "--missing:any")
SHORTLOG = opts(_REV + "-n|--numbered -s|--summary -e|--email --group:any -c "
                "-w:??any")
BLAME = opts(
    "-b --root --show-stats -L:any -l -t -p|--porcelain --line-porcelain --incremental "
    "--encoding:any --date:any -M:??any -C:??any --ignore-rev:any --color-lines "
    "--color-by-age --progress --no-progress --score-debug -f|--show-name "
    "-n|--show-number -s -e|--show-email -w --abbrev:?num -c --reverse --first-parent")
DESCRIBE = opts("--dirty:?any --broken:?any --all --tags --contains --abbrev:?num "
                "--candidates:num --exact-match --debug --long --match:any --exclude:any "
                "--always --first-parent")
REV_PARSE = opts(
    "--parseopt --sq-quote --keep-dashdash --stop-at-non-option --stuck-long --revs-only "
    "--no-revs --flags --no-flags --default:any --prefix:any --verify -q|--quiet --sq "
    "--short:?num --not --abbrev-ref:?any --symbolic --symbolic-full-name --all "
    "--branches:?any --tags:?any --remotes:?any --glob:any --exclude:any "
    "--exclude-hidden:any --disambiguate:any --local-env-vars --path-format:any --git-dir "
    "--git-common-dir --resolve-git-dir:any --git-path:any --show-toplevel "
    "--show-superproject-working-tree --shared-index-path --absolute-git-dir "
    "--is-inside-git-dir --is-inside-work-tree --is-bare-repository "
    "--is-shallow-repository --show-cdup --show-prefix --show-object-format:?any "
    "--show-ref-format --since|--after:any --until|--before:any")
LS_FILES = opts(
    "-c|--cached -d|--deleted -m|--modified -o|--others -i|--ignored -s|--stage "
    "-u|--unmerged -k|--killed --directory --no-empty-directory --eol -z --deduplicate "
    "-x|--exclude:any --exclude-per-directory:any --exclude-standard --error-unmatch "
    "--with-tree:any -t -v -f --full-name --recurse-submodules --abbrev:?num --debug "
    "--sparse --format:any")
LS_TREE = opts("-d -r -t -l|--long -z --name-only|--name-status --object-only --full-name "
               "--full-tree --abbrev:?num --format:any")
CAT_FILE = opts("-t -s -e -p --use-mailmap|--mailmap --no-use-mailmap|--no-mailmap "
                "--batch:?any --batch-check:?any --batch-command:?any --batch-all-objects "
                "--buffer --unordered --follow-symlinks -Z -z --allow-unknown-type")
NAME_REV = opts("--tags --refs:any --exclude:any --all --stdin --annotate-stdin --name-only "
                "--no-undefined --always")
GREP = opts(
    "-a|--text --no-textconv -i|--ignore-case -I --max-depth:num -r|--recursive "
    "--no-recursive -w|--word-regexp -v|--invert-match -h -H --full-name "
    "-E|--extended-regexp -G|--basic-regexp -P|--perl-regexp -F|--fixed-strings "
    "-n|--line-number --column -l|--files-with-matches|--name-only "
    "-L|--files-without-match -z|--null -o|--only-matching -c|--count --color:?any "
    "--no-color --break --heading -p|--show-function -C|--context:num "
    "-A|--after-context:num -B|--before-context:num -W|--function-context "
    "-m|--max-count:num --threads:num -e:any --and --or --not --all-match -q|--quiet "
    "--cached --untracked --no-exclude-standard --exclude-standard --recurse-submodules "
    "-NUM")
STATUS = opts("-s|--short -b|--branch --show-stash --porcelain:?any --long -v|--verbose "
              "-u|--untracked-files:??any --ignore-submodules:?any --ignored:?any -z "
              "--column:?any --no-column --ahead-behind --no-ahead-behind --renames "
              "--no-renames --find-renames:?any")

# --- the network ---------------------------------------------------------------------------
_FETCH = (
    "--all -a|--append --atomic --depth:num --deepen:num --shallow-since:any "
    "--shallow-exclude:any --unshallow --update-shallow --negotiation-tip:any --dry-run "
    "--porcelain --write-fetch-head --no-write-fetch-head -k|--keep --multiple "
    "--auto-maintenance|--auto-gc --no-auto-maintenance|--no-auto-gc --write-commit-graph "
    "--no-write-commit-graph --prefetch -p|--prune -P|--prune-tags --no-tags --refetch "
    "-t|--tags -j|--jobs:num --no-recurse-submodules --set-upstream -q|--quiet "
    "-v|--verbose --progress --no-progress -o|--server-option:any --show-forced-updates "
    "--no-show-forced-updates -4|--ipv4 -6|--ipv6 --filter:any ")
FETCH = opts(_FETCH + "-n")
_MERGE = ("--commit --no-commit --no-edit --cleanup:any --ff --no-ff --ff-only "
          "--no-gpg-sign --log:?num --no-log --signoff --no-signoff --stat --no-stat "
          "--squash --no-squash --verify --no-verify -X|--strategy-option:any "
          "-s|--strategy:gitstrategy --no-verify-signatures --summary --no-summary "
          "--autostash --no-autostash --allow-unrelated-histories --rerere-autoupdate "
          "--no-rerere-autoupdate ")
PULL = opts(_FETCH + _MERGE + "-r|--rebase:??gitrebase --no-rebase")
PUSH = opts("--all|--branches --tags --follow-tags --no-follow-tags -n|--dry-run --porcelain "
            "--atomic --no-atomic -o|--push-option:any --repo:word -u|--set-upstream "
            "--thin --no-thin -q|--quiet -v|--verbose --progress --no-progress --no-verify "
            "--verify -4|--ipv4 -6|--ipv6 --no-recurse-submodules --no-signed")
CLONE = opts(
    "-l|--local --no-local --no-hardlinks -s|--shared --dissociate -q|--quiet -v|--verbose "
    "--progress --no-progress -o|--origin:word -b|--branch:any --depth:num "
    "--shallow-since:any --shallow-exclude:any --single-branch --no-single-branch "
    "--no-tags --shallow-submodules --no-shallow-submodules -j|--jobs:num --filter:any "
    "--also-filter-submodules --remote-submodules --no-remote-submodules --sparse "
    "--server-option:any -n|--no-checkout --bare --mirror --reject-shallow "
    "--no-reject-shallow --ref-format:any")
#: never --get-url: the remote's URL, a token in it (red team s15 E1)
LS_REMOTE = opts("--heads|--branches -t|--tags --refs -q|--quiet --exit-code "
                 "--sort:any --symref -o|--server-option:any")

# --- changes to the work tree and history ---------------------------------------------------
MERGE = opts(_MERGE + "-n -q|--quiet -v|--verbose --progress --no-progress -m|--message:any "
             "--into-name:any --abort --quit --continue --overwrite-ignore "
             "--no-overwrite-ignore")
REBASE = opts(
    "--onto:any --keep-base --continue --abort --skip --quit --apply -m|--merge "
    "--empty:any --keep-empty --no-keep-empty --reapply-cherry-picks "
    "--no-reapply-cherry-picks --allow-empty-message -q|--quiet -v|--verbose --stat "
    "-n|--no-stat --no-verify --verify -C:?num -f|--force-rebase|--no-ff --fork-point "
    "--no-fork-point --ignore-whitespace --whitespace:any --committer-date-is-author-date "
    "--ignore-date|--reset-author-date --signoff --root --autosquash --no-autosquash "
    "--autostash --no-autostash --update-refs --no-update-refs -r|--rebase-merges:?any "
    "--no-rebase-merges -s|--strategy:gitstrategy -X|--strategy-option:any "
    "--rerere-autoupdate --no-rerere-autoupdate --no-gpg-sign")
_PICK = ("-m|--mainline:num -n|--no-commit -s|--signoff --strategy:gitstrategy "
         "-X|--strategy-option:any --rerere-autoupdate --no-rerere-autoupdate --continue "
         "--skip --quit --abort --no-gpg-sign --cleanup:any --no-edit ")
CHERRY_PICK = opts(_PICK + "-x --ff --allow-empty --allow-empty-message "
                   "--keep-redundant-commits --empty:any")
REVERT = opts(_PICK + "--reference")
CHECKOUT = opts("-b:any -t|--track:?any --no-track -q|--quiet --progress --no-progress "
                "-m|--merge --detach --guess --no-guess --conflict:any --ours --theirs -l "
                "--overlay --no-overlay")
SWITCH = opts("-c|--create:any -d|--detach --guess --no-guess -t|--track:?any --no-track "
              "-q|--quiet --progress --no-progress -m|--merge --conflict:any "
              "--ignore-other-worktrees")
#: (never --orphan: it removes every tracked file from the work tree, a live docroot's too)
RESTORE = opts("-s|--source:any -W|--worktree -S|--staged --ours --theirs -m|--merge "
               "--conflict:any --ignore-unmerged --ignore-skip-worktree-bits -q|--quiet "
               "--progress --no-progress --overlay --no-overlay")
#: never -u/--include-untracked or -a/--all: a live checkout's untracked and ignored files
#: are its data (uploads, a SQLite database, .env), moved out of the tree (harmful set s15)
STASH_PUSH = opts("-S|--staged -k|--keep-index --no-keep-index --no-include-untracked "
                  "-q|--quiet -m|--message:any")
STASH_APPLY = opts("--index -q|--quiet")
INIT = opts("-q|--quiet --bare --object-format:any --ref-format:any "
            "-b|--initial-branch:any --shared:?any")
#: reading only: with one operand, ``git config KEY`` prints it
#: never -l/--list, --get-regexp, --get-urlmatch: every value, a remote's URL with its token
#: and http.*.extraheader among them (red team s15 E1); the key read is checked (safe.py)
CONFIG = opts("--get --get-all --global --system "
              "--local --worktree --show-origin --show-scope -z|--null --name-only "
              "--type:any --bool --int --bool-or-int --path --expiry-date --default:any "
              "--includes --no-includes")
# never -d/-D/-m/-M/-f/-c/-C/-u/--edit-description (delete, move, force, re-point)
BRANCH = opts(
    "-a|--all -r|--remotes -v|--verbose -l|--list --show-current -q|--quiet "
    "--contains:any --no-contains:any --merged:?any --no-merged:?any --sort:any "
    "--format:any --points-at:any --column:?any --no-column --color:?any -i")
# never -d/-f/-s/-u/-v (delete, move, sign or verify with a program)
TAG = opts(
    "-l|--list -n:?num --sort:any --contains:any --no-contains:any "
    "--points-at:any --format:any --merged:?any --no-merged:?any -a|--annotate "
    "-m|--message:any --column:?any -i|--ignore-case")
# never add --chmod/-p/-i/--pathspec-from-file; commit -F/--template (read a file into
# history), -e (an editor), -S (a signing program)
ADD = opts("-A|--all -u|--update -n|--dry-run -v|--verbose -f|--force -N|--intent-to-add "
           "--ignore-errors --no-all")
COMMIT = opts(
    "-m|--message:any -a|--all -q|--quiet -v|--verbose --amend --no-edit "
    "-s|--signoff --allow-empty --allow-empty-message -n|--no-verify "
    "--author:any --date:any --fixup:any --squash:any --only -i|--include "
    "--dry-run --short --porcelain -u|--untracked-files:??any --cleanup:any "
    "--no-gpg-sign --reset-author")
MV = opts("-f|--force -k -n|--dry-run -v|--verbose")

# --- read-only plumbing and dry runs a coding agent uses (held-out developer lines) ----------
MERGE_BASE = opts("-a|--all --octopus --independent --is-ancestor --fork-point")
# (never --exclude-existing: it reads refs from stdin)
SHOW_REF = opts("--head --branches|--heads --tags -d|--dereference -s|--hash:?num "
                "--abbrev:?num -q|--quiet --verify --exists")
FOR_EACH_REF = opts("--format:any --sort:any --count:num --points-at:any --merged:?any "
                    "--no-merged:?any --contains:?any --no-contains:?any -i|--ignore-case "
                    "--omit-empty --exclude:any -s|--shell -p|--perl --python --tcl")
CHERRY = opts("-v --abbrev:?num")
COUNT_OBJECTS = opts("-v|--verbose -H|--human-readable")
# never --stdin (names from elsewhere; harmless but unseen)
CHECK_IGNORE = opts("-q|--quiet -v|--verbose -n|--non-matching --no-index -z")
#: clean only as a dry run (the check wants -n): never -f/-i (deletes, an interactive menu)
CLEAN = opts("-n|--dry-run -d -x -X -q|--quiet -e|--exclude:any")
#: apply only to look (the check wants --check, or a summary without --apply): never
#: --apply/--reject (writes .rej files)/--directory/--unsafe-paths (outside the tree)/
#: --build-fake-ancestor (writes an index file)
APPLY = opts("--check --stat --numstat --summary -p:num -R|--reverse -v|--verbose -z "
             "--exclude:any --include:any --ignore-space-change|--ignore-whitespace "
             "--recount --cached --index -C:num --allow-empty --inaccurate-eof "
             "--unidiff-zero")

#: reset that keeps the work tree (--soft: the index too); never --hard/--merge/--keep
#: (git.history-loss names them), -p (interactive), --pathspec-from-file
RESET = opts("--soft --mixed -q|--quiet -N|--intent-to-add --no-refresh --refresh")

#: bisect: marking commits moves HEAD as checkout does (its hook runs: flow.py's CODE_RUNNERS);
#: never run (a program per step), replay (steps from a file), visualize (gitk)
BISECT_START = opts("--term-old|--term-good:word --term-new|--term-bad:word --no-checkout "
                    "--first-parent")
BISECT_TERMS = opts("--term-good --term-bad")
#: a worktree checked out into a new directory (the check places it): never -f/--force (over
#: a registered or locked path), -B (resets a branch), --reason, --orphan
WORKTREE_ADD = opts("-b:any --detach --checkout --no-checkout --lock --track --no-track "
                    "--guess-remote --no-guess-remote -q|--quiet")

#: merge strategies git carries itself (another name runs ``git-merge-NAME`` from PATH)
STRATEGIES = frozenset({"ort", "recursive", "resolve", "octopus", "ours", "subtree"})
#: ``pull --rebase=`` values that start no editor
REBASE_MODES = frozenset({"true", "false", "merges", "m", "yes", "no", "on", "off", "1", "0"})

# --- remotes -------------------------------------------------------------------------------
#: an ordinary remote URL: http(s), git or ssh with a host name, or scp-like ``user@host:path``
#: (never a local path, file://, a ``transport::address`` helper such as ext:: or fd::, an
#: unknown scheme that runs git-remote-SCHEME, or a host that starts with '-')
_URL = re.compile(r"\A(?:https?|git|ssh)://(?:[A-Za-z0-9._-]++@)?+[A-Za-z0-9][A-Za-z0-9.-]*+"
                  r"(?::[0-9]++)?+/\S*+\Z")
#: anchored: searched from every position, an unanchored prefix would rescan a long run
_SCP = re.compile(r"\A(?:[A-Za-z0-9._-]++@)?+[A-Za-z0-9][A-Za-z0-9.-]*+:[^:\s/-]\S*+\Z")
_REMOTE_NAME = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.-]*+\Z")


def remote_url_ok(url: str) -> bool:
    """``url`` is a plain network remote (see ``_URL``)."""
    return bool(_URL.match(url) or _SCP.match(url)) and "::" not in url


def remote_name_ok(name: str) -> bool:
    """``name`` is a configured remote's name, not a URL or path."""
    return bool(_REMOTE_NAME.match(name))


__all__ = ["GLOBAL", "REBASE_MODES", "STRATEGIES", "remote_name_ok", "remote_url_ok"]
