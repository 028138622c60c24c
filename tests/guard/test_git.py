"""git: every subcommand and option on a list (git.py), remotes by name or plain URL, global
options that move where git works followed by the flow (flow.py)."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.guard import git as g
from sshgate.guard.options import Opts, parse_opts
from sshgate.guard.safe import CATALOGUE, Shape, Tool

from . import expect

HELD = [
    # a config file read by every later git (core.pager, core.fsmonitor run commands)
    "export XDG_CONFIG_HOME=/tmp/x", "export XDG_CONFIG_DIRS=/tmp/x",
    # read-only shapes with an option that writes, runs a driver or reads outside the repo
    "git log --output=/home/u/.bashrc", "git log --output /tmp/x", "git log --outp=/tmp/x",
    "git show --output=x HEAD", "git diff --output=x", "git diff --ext-diff",
    "git diff --ext-d", "git log -p --ext-diff", "git diff --textconv", "git show --textconv HEAD",
    "git cat-file --textconv HEAD:x", "git cat-file --filters HEAD:x", "git diff --no-index a b",
    "git diff --no-index /dev/null ~/.ssh/id_rsa", "git grep --no-index password",
    "git diff -O/tmp/order", "git grep -O x", "git grep --open-files-in-pager=sh x",
    "git grep -f /etc/shadow", "git blame --contents /etc/shadow README", "git blame -S revs x",
    "git blame --ignore-revs-file=/etc/shadow x", "git log --show-signature",
    "git ls-files --exclude-from=/etc/shadow -o", "git log --frobnicate",
    "git diff --pathspec-from-file=/etc/shadow", "git status --frob",
    # global options
    "git -c core.pager=sh log", "git -ccore.pager=sh log", "git --config-env=core.pager=X log",
    "git --exec-path=/tmp log", "git -p log", "git --paginate log", "git --git log",
    "git -c alias.x='!rm -rf /srv' x", "git --super-prefix=x status",
    # the network: helpers, local paths, options that run a program
    "git clone ext::'sh -c reboot' x", "git clone 'ext::sh -c id' x", "git clone fd::17 x",
    "git clone file:///etc x", "git clone /root/repo x", "git clone ../other x",
    "git clone -u /tmp/x https://e.x/r", "git clone --upload-pack=/tmp/x https://e.x/r",
    "git clone --template=/tmp/t https://e.x/r", "git clone -c core.pager=sh https://e.x/r",
    "git clone --config=core.fsmonitor=id https://e.x/r", "git clone --reference /srv/r https://e.x/r",
    "git clone --separate-git-dir=/etc/x https://e.x/r", "git clone --recurse-submodules https://e.x/r",
    "git clone ssh://-oProxyCommand=id/x y", "git clone hg::https://e.x/r", "git clone foo://e.x/r",
    "git clone https://e.x/r ~/.config/r", "git clone https://e.x/r /etc/x",
    "git fetch --upload-pack=/tmp/x origin", "git fetch ext::sh", "git fetch https://e.x/r main",
    "git fetch git@e.x:r", "git fetch /srv/other", "git fetch --recurse-submodules",
    "git fetch -f origin main:main", "git pull --upload-pack=x origin", "git pull -s evil",
    "git pull --strategy=evil origin", "git pull --rebase=interactive", "git pull -ri",
    "git pull https://e.x/r main", "git push --receive-pack=x origin", "git push --exec=x origin",
    "git push --repo=ext::sh", "git push --mirror", "git push --prune origin",
    "git push --signed origin", "git push -f", "git push --force-with-lease origin main",
    "git ls-remote --upload-pack=x origin", "git ls-remote https://e.x/r",
    "git remote add x https://e.x", "git remote set-url origin ext::sh",
    "git remote remove origin", "git submodule update --remote", "git submodule foreach id",
    # history and work tree changes with an editor, a command or a program
    "git rebase -i main", "git rebase --interactive main", "git rebase -x 'rm x' main",
    "git rebase --exec=id main", "git rebase --edit-todo", "git rebase -s evil main",
    "git merge -s evil x", "git merge --strategy evil x", "git merge -e x", "git merge -S x",
    "git merge --verify-signatures x", "git cherry-pick -e x", "git revert -e x",
    "git commit -S -m x", "git stash -p", "git stash drop", "git stash clear",
    "git checkout -p", "git checkout -f main", "git checkout -B main origin/main",
    "git switch --discard-changes main", "git switch -f main", "git reflog expire --all",
    "git reflog delete HEAD@{1}", "git config core.pager sh", "git config --add x y",
    "git config -f /tmp/c x", "git init --template=/tmp/t x", "git init /etc",
    "git worktree add /tmp/x", "git help -w log", "git frobnicate",
    # a secret as committed
    "git show HEAD:.env", "git cat-file -p HEAD:.env", "git show :.env",
    "git diff HEAD:.env HEAD~1:.env", "git show main:deploy/id_ed25519",
    # brace expansions and globs could become options
    "git log {--output=/home/u/.bashrc,x}", "git log x{--output=a,b}", "git log *",
    "git diff -- {a..c}", "git log --output{=/tmp/x,}",
]
ALLOWED = [
    "git status", "git status -sb", "git status --porcelain=v1", "git log --oneline -20",
    "git log -5 --stat", "git log --since='2 days ago' --oneline", "git log -p -- app.py",
    "git log --graph --decorate --all --oneline", "git log --author=me --grep=fix -n 3",
    "git log -L 40,60:app/models.py", "git log --format='%H %s' -3", "git log --pretty=oneline",
    "git diff", "git diff HEAD~1", "git diff --stat HEAD~3", "git diff --cached",
    "git diff --name-only main...HEAD", "git diff -w --word-diff", "git diff HEAD~1 --stat",
    "git show HEAD", "git show --stat HEAD", "git show HEAD:README.md",
    "git blame README.md", "git blame -L 40,60 app/models.py", "git shortlog -sn",
    "git describe --tags --always", "git rev-parse --short HEAD", "git rev-parse --show-toplevel",
    "git ls-files", "git ls-files -m", "git ls-tree -r HEAD --name-only", "git cat-file -p HEAD",
    "git rev-list --count HEAD", "git name-rev HEAD", "git grep -n 'TIMEOUT'",
    "git grep -il todo -- '*.py'", "git reflog", "git reflog -5", "git reflog show main",
    "git branch -a", "git branch", "git tag -l", "git tag v1.2.3",
    "git remote",
    "git fetch", "git fetch --all --prune", "git fetch origin", "git fetch origin main",
    "git pull", "git pull --rebase", "git pull --ff-only", "git pull origin main",
    "git pull --rebase=merges origin main", "git push", "git push origin feature/x",
    "git push -u origin fix/timeout", "git push --tags", "git push origin main",
    "git ls-remote origin", "git ls-remote --tags origin",
    "git clone https://example.com/repo.git", "git clone git@github.com:org/repo.git",
    "git clone --depth 1 https://github.com/org/repo app", "git clone ssh://git@e.x:22/r.git",
    "git add -A", "git commit -m fix", "git add -A && git commit -m 'fix: raise timeout'",
    "git stash", "git stash push -m wip", "git stash pop", "git stash list",
    "git stash show -p", "git checkout main", "git checkout -b feature/x",
    "git switch -c fix/x", "git switch main",
    "git merge --no-ff feature", "git merge -s ours old", "git rebase main",
    "git rebase --onto main a b", "git rebase --continue", "git cherry-pick -x abc123",
    "git revert --no-edit HEAD", "git restore --staged app.py", "git mv a.txt b.txt",
    "git init", "git init myrepo", "git config user.name",
    "git submodule update --init --recursive", "git submodule status",
    "git worktree list", "git version", "git --version", "git help log",
    "git -C /srv/app status", "git -C /srv/app pull --ff-only", "git --no-pager log -3",
    "git -C /srv/app log --oneline -10", "git --git-dir=/srv/app/.git log -1",
    "cd /srv/app && git pull", "git stash && git pull && git stash pop",
    # a brace with neither ',' nor '..' is no brace expansion
    "git stash apply stash@{0}", "git stash show -p stash@{1}", "git log @{u}..",
    "git diff HEAD@{1}", "git log --oneline @{upstream}..HEAD",
]


test_held, test_allowed = expect.table_tests(HELD, ALLOWED)


#: git's options that write, run or read a file of the agent's choosing, by subcommand
DANGEROUS = {
    "log": ["--output", "--ext-diff", "--textconv", "--show-signature", "-O"],
    "show": ["--output", "--ext-diff", "--textconv", "--show-signature"],
    "diff": ["--output", "--ext-diff", "--textconv", "--no-index", "-O",
             "--pathspec-from-file"],
    "grep": ["--no-index", "-O", "--open-files-in-pager", "-f", "--textconv", "--ext-grep"],
    "blame": ["--contents", "-S", "--ignore-revs-file"],
    "cat-file": ["--textconv", "--filters", "--path"],
    "fetch": ["--upload-pack", "--recurse-submodules", "-f", "--force", "--refmap"],
    "pull": ["--upload-pack", "--recurse-submodules", "-e", "--edit", "-S", "--gpg-sign",
             "--verify-signatures", "-f", "--force"],
    "push": ["--receive-pack", "--exec", "--force", "-f", "--force-with-lease", "--delete",
             "-d", "--prune", "--mirror", "--signed", "--recurse-submodules"],
    "clone": ["--upload-pack", "-u", "--template", "-c", "--config", "--reference",
              "--reference-if-able", "--separate-git-dir", "--recurse-submodules",
              "--bundle-uri"],
    "ls-remote": ["--upload-pack", "--exec"],
    "rebase": ["-i", "--interactive", "-x", "--exec", "--edit-todo", "-S", "--gpg-sign"],
    "merge": ["-e", "--edit", "-S", "--gpg-sign", "--verify-signatures", "-F", "--file"],
    "commit": ["-F", "--file", "-t", "--template", "-e", "--edit", "-S", "--gpg-sign",
               "-c", "-C", "--reuse-message", "--pathspec-from-file"],
    "checkout": ["-f", "--force", "-B", "-p", "--patch", "--pathspec-from-file",
                 "--recurse-submodules"],
    "config": ["--add", "--replace-all", "--unset", "--unset-all", "--edit", "-e",
               "--rename-section", "--remove-section", "-f", "--file", "--blob"],
    "apply": ["--apply", "--reject", "--unsafe-paths", "--directory", "--build-fake-ancestor",
              "--3way", "-3"],
    "clean": ["-f", "--force", "-i", "--interactive"],
    "check-ignore": ["--stdin"], "show-ref": ["--exclude-existing"],
    "for-each-ref": ["--stdin"],
}


def _entry(sub: str) -> Shape:
    git = CATALOGUE["git"]
    assert isinstance(git, Tool)
    e = git.sub[sub]
    assert isinstance(e, Shape) and e.allow is not None
    return e


@pytest.mark.parametrize("sub,option", [(s, o) for s, os in DANGEROUS.items() for o in os])
@pytest.mark.parametrize("form", ["{o}", "{o}=x", "{o} x", "-q {o} x"])
def test_no_spelling_of_a_dangerous_option_is_listed(sub, option, form):
    """Neither the option nor a word git reads as it resolves to a listed option (a listed
    long option whose prefix is the dangerous one's full name would be read so)."""
    o: Opts = _entry(sub).allow
    words = tuple(form.format(o=option).split())
    if words[0] == "-q" and "-q" not in o.alias:
        words = words[1:]
    assert isinstance(parse_opts(o, words), str), (sub, words)


@pytest.mark.parametrize("opt", ["-c", "--config-env", "--exec-path", "-p", "--paginate",
                                 "--super-prefix", "--list-cmds"])
def test_no_dangerous_global_option(opt):
    assert isinstance(parse_opts(g.GLOBAL, (opt,)), str)
    assert isinstance(parse_opts(g.GLOBAL, (opt + "=x",)), str)


@pytest.mark.parametrize("url,ok", [
    ("https://github.com/org/repo.git", True), ("git@github.com:org/repo.git", True),
    ("ssh://git@e.x:22/r.git", True), ("git://e.x/r", True), ("e.x:org/r", True),
    ("ext::sh -c id", False), ("fd::17", False), ("file:///etc", False), ("/srv/r", False),
    ("../r", False), ("ssh://-oProxyCommand=id/x", False), ("hg::https://e.x/r", False),
    ("foo://e.x/r", False), ("e.x:-oProxyCommand=id", False), ("-u/tmp/x", False),
    ("persistent-https://e.x/r", False), ("https://e.x", False),
])
def test_remote_url_ok(url, ok):
    assert g.remote_url_ok(url) is ok


@pytest.mark.parametrize("line,rule", [
    ("git -C /srv/app reset --hard HEAD~5", "git.history-loss"),
    ("git --git-dir=/srv/app/.git push -f", "git.history-loss"),
    ("git -C /etc checkout -- .", "git.history-loss"),
])
def test_global_options_still_shift_no_rule(line, rule):
    assert rule in {f.rule for f in classify(line).findings}


def test_brace_scan_is_linear():
    import time

    from sshgate.guard.safe import _glob_word
    for word in ("{" * 60000 + "}", "{}" * 30000, "{" + "." * 60000, "a{b}" * 15000 + ","):
        t = time.process_time()
        _glob_word(word)
        assert time.process_time() - t < 0.05, word[:20]
