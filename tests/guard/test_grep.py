"""Searchers: grep, egrep, fgrep, zgrep, rg and ag take listed options only, and a recursive
search never reads a tree that holds secrets (the secret.read-tree test, reused)."""

from __future__ import annotations

import pytest

from sshgate.guard.grep import SEARCHERS, searched_trees
from sshgate.guard.options import parse_opts

from . import expect

HELD = [
    # the environment they read options from (set once, read by every later search)
    "export RIPGREP_CONFIG_PATH=/tmp/rc", "export GREP_OPTIONS=-r",
    # options that run a program, decompress through one, or read a file of their own
    "rg --pre=./x foo", "rg --pre ./x foo src", "rg --pre-glob '*.pdf' --pre ./x foo src",
    "rg -z foo src", "rg --search-zip foo src", "rg -zn foo src", "rg --ignore-file /tmp/x f src",
    "rg --hostname-bin=/tmp/x foo src", "rg --pr ./x foo src", "rg --frobnicate x src",
    "ag --pager=/tmp/x foo src", "ag --pager /tmp/x foo src", "ag --pag=/tmp/x foo src",
    "ag -z foo src", "ag --search-zip foo src", "ag -p /tmp/ignore foo src",
    "ag --path-to-ignore=/tmp/x foo src", "grep --frob x f", "egrep --zz x f",
    # secrets: a pattern file, a file, a tree (named, implied, computed or above)
    "grep -f ~/.ssh/id_rsa x", "grep --file=/etc/shadow x f", "rg -f ~/.aws/credentials src",
    "grep --exclude-from=/etc/shadow -r x src", "grep x ~/.ssh/id_rsa",
    "grep -r password", "grep -rn token .", "grep -R key ~", "grep -r pass /etc",
    "grep -d recurse x /etc", "grep --directories=recurse x /etc", "grep -drec x /home",
    "grep -r x ..", "grep -r x ../..", "grep -rn x $D", "grep -r x /srv", "rg token",
    "rg -uu token", "rg -uu token /home", "rg token /", "rg -e token", "rg token ~",
    "ag foo", "ag foo /etc", "ag -u secret ~", "egrep -r x /root", "fgrep -r x /var/lib",
    "rg --files-with-matches key ~/.ssh",
    # the directory a search with no tree reads is the one it runs in (flow.py names it)
    "cd ~ && rg token", "cd /etc && grep -r x", "cd /srv/app; rg x", "cd $D && rg x",
    "cd /srv/app && cd .. && cd .. && rg x",
    # restricted to files by --include, but not to source files only: a key, a config, or
    # every file (an --exclude first lets a file matching neither through; -R follows a
    # link named x.py to a key)
    "grep -rn TODO --include=* .", "grep -rn BEGIN --include='*.pem' .",
    "grep -r -e '' --include=*.env .", "grep -rn x --include='*.py*' ~",
    "grep -rn x --include='id_*' ~", "grep -rn x --include=*.yml --include=*.py .",
    "grep -Rn TODO --include=*.py .", "grep -rn TODO --exclude=x --include=*.py .",
    "grep -rn TODO --include=*.py --exclude-from=ex .", "grep -rn x --include=*.py ~/.ssh",
    "cd ~ && grep -rn password --include='*.conf'", "rg -g '*.py' token ~",
    # ... nor a tree named outright that holds other people's source (s9b F7), nor shell
    # or PHP files (configuration as often as code)
    "grep -r --include='*.py' SECRET_KEY /", "grep -r --include='*.sh' AWS_SECRET ~",
    "grep -rn TODO --include=*.py --include=*.js ~", "cd ~ && grep -rn TODO --include='*.ts'",
    "grep -r --include='*.js' -i password /srv/..", "grep -rn x --include=*.php .",
    "grep -rn x --include=*.sh .",
]
ALLOWED = [
    "grep -rn TODO src/", "grep -i error /var/log/app.log", "grep -c ERROR /var/log/syslog",
    "grep -f pats.txt x f", "grep -e x -r src", "grep -E 'a|b' f", "grep -A3 -B2 x f",
    "grep -rl --include='*.py' TODO src", "grep --color=auto x f", "grep -3 x f",
    "egrep -r x src", "fgrep -c x f", "zgrep x a.gz", "grep ERROR /var/log/app/*.log",
    "rg token src", "rg -n TODO src/", "rg --files", "rg --files src", "rg -g '*.py' TODO src",
    "rg -t py -i timeout app/", "rg --json x src", "rg -uu x src", "rg --type-list",
    "ag foo src", "ag -i foo src", "ag -g test_",
    "ps -ef | grep nginx", "history | grep ssh", "cd /srv/app && grep -rn TODO .",
    "grep -rn 'DATABASE_URL' config/", "grep -r x src --exclude-dir=node_modules",
    "cd /srv/app && rg TODO", "cd /srv/app && grep -rn TODO", "cd src && rg x",
    "cd /srv/app && rg -e TODO --",
    # a recursive grep that reads only source files, in a directory that may be the home
    "grep -rn 'TODO' --include='*.py' .", "grep -rn TODO --include=*.py --include=*.js src",
    "grep -rln FIXME --include=*.go", "grep -r --include='*.md' 'install' .",
    "grep -rn x --include=*.py --exclude-dir=.venv .",
]


test_held, test_allowed = expect.table_tests(HELD, ALLOWED)


#: options of each searcher that run, decompress or read a file of their own choosing
DANGEROUS = {
    "rg": ["--pre", "--pre-glob", "-z", "--search-zip", "--ignore-file", "--hostname-bin"],
    "ag": ["--pager", "-p", "--path-to-ignore", "-z", "--search-zip"],
    "grep": [],
}


@pytest.mark.parametrize("name,option", [(n, o) for n, os in DANGEROUS.items() for o in os])
@pytest.mark.parametrize("form", ["{o} /tmp/x", "{o}=/tmp/x", "-n {o} /tmp/x"])
def test_a_dangerous_option_resolves_to_nothing(name, option, form):
    """No spelling of it is read as a listed option: a full name that is a prefix of a
    listed one (rg --pre, --pretty) is not an abbreviation for a tool that takes none."""
    words = tuple(form.format(o=option).split())
    assert isinstance(parse_opts(SEARCHERS[name], words), str), (name, words)


@pytest.mark.parametrize("name,words,trees", [
    ("grep", ("-r", "x"), (".",)), ("grep", ("-r", "x", "src"), ("src",)),
    ("grep", ("x", "f"), ()), ("grep", ("-e", "x", "-r", "a", "b"), ("a", "b")),
    ("rg", ("x",), (".",)), ("rg", ("--files",), ()), ("ag", ("-n", "x", "/etc"), ()),
    ("grep", ("--directories=recurse", "x", "d"), ("d",)), ("grep", ("-d", "skip", "x"), ()),
])
def test_searched_trees(name, words, trees):
    p = parse_opts(SEARCHERS[name], words)
    assert not isinstance(p, str)
    assert searched_trees(name, p.pairs, p.ops) == trees
