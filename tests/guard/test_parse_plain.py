"""The plain-words fast path in parse(): for every line it takes, the same result as bashlex."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.guard import parse as parse_mod
from sshgate.guard.classify import classify
from sshgate.guard.parse import parse

classify_mod = sys.modules["sshgate.guard.classify"]

FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-"
REST = FIRST + ",:+@%"
# names that the rules and the unwrapper care about, so that the generated lines reach them
VOCAB = ["sudo", "env", "xargs", "timeout", "nice", "nohup", "sh", "bash", "-c", "rm", "-rf",
         "-r", "-f", "/", "/etc", "dd", "of=/dev/sda", "if=/dev/zero", "kubectl", "delete",
         "systemctl", "stop", "reboot", "kill", "-9", "1", "mkfs.ext4", "/dev/sdb", "git",
         "push", "--force", "chmod", "777", "-R", "DROP", "psql", "curl", "x=y", "--", "true",
         "ls", "-la", "in", "do", "time", "if", "A=b", "*.log", "~", "~/.ssh", "~root", "^x",
         "HEAD~1", "~+", "~-", "~2", "a?", "x=~/y", "a:~/b"]
#: what the second fast path takes after the command word, besides REST
ARGS = "*?^~"
# head and tail drawn together (a flatmap built a new tail strategy for every word: four
# fifths of this module's CPU went to making and validating strategies)
word = st.one_of(st.sampled_from(VOCAB),
                 st.tuples(st.text(st.sampled_from(FIRST), min_size=1, max_size=3),
                           st.text(st.sampled_from(REST + "=" + ARGS), max_size=8)).map(
                     "".join))
blank = st.text(st.sampled_from(" \t"), min_size=1, max_size=3)


@st.composite
def plain_commands(draw) -> str:
    words = draw(st.lists(word, min_size=1, max_size=6))
    seps = [draw(blank) for _ in words]
    return "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip(" \t")


operator = st.sampled_from(["&&", "||", ";", "|", "&"])
# what bash refuses or reads otherwise: the fast path must leave these to bashlex
odd = st.sampled_from(["&", "|&", ";;", "&&&", "||", "|", ";", "\n", "!", "{", "}", "#"])
gap = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def plain_lines(draw) -> str:
    commands = draw(st.lists(plain_commands(), min_size=1, max_size=4))
    line = commands[0]
    for c in commands[1:]:
        line += draw(gap) + draw(operator) + draw(gap) + c
    if draw(st.booleans()):
        line += draw(gap) + ";"
    lead, trail = draw(st.sampled_from(["", " ", "\t "])), draw(st.sampled_from(["", "  "]))
    return lead + line + trail


@st.composite
def near_plain_lines(draw) -> str:
    """A plain line with something odd put in somewhere."""
    line = draw(plain_lines())
    at = draw(st.integers(0, len(line)))
    return line[:at] + draw(odd) + line[at:]


# quoted words (any printable character inside, quotes of the other kind, $, *, ~, ;...) and
# redirections, for the second fast path
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7f)) + "\t"
quoted = st.one_of(
    st.text(st.sampled_from(PRINTABLE.replace("'", "")), max_size=10).map(lambda t: f"'{t}'"),
    st.text(st.sampled_from(PRINTABLE.replace('"', "")), max_size=10).map(lambda t: f'"{t}"'),
    st.sampled_from(["'{print $1}'", "'*.log'", '"a b"', "''", '""', "'a'\"b\"c", "x'y z'",
                     "'~'", "'$(id)'", "'a;b|c&&d'", "'$\"x'", "\"$'x\"", "'#'", "'\\'"]))
redirect = st.sampled_from(["2>&1", ">/dev/null", "2>/dev/null", "> out.txt", ">>log",
                            ">> /tmp/a", "< in.txt", "<in", "1>&2", ">&2", "10>x", "3< f",
                            ">&-", "2>&1-", ">|x", "&>x", "<<EOF", "<<<x", "<>f", "2> &1",
                            ">'q'", "> $x", "2>"])
rich_word = st.one_of(word, quoted, quoted, redirect)


@st.composite
def quoted_commands(draw) -> str:
    words = [draw(word)] + draw(st.lists(rich_word, max_size=6))
    seps = [draw(blank) for _ in words]
    return "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip(" \t")


@st.composite
def quoted_lines(draw) -> str:
    commands = draw(st.lists(quoted_commands(), min_size=1, max_size=4))
    line = commands[0]
    for c in commands[1:]:
        line += draw(gap) + draw(operator) + draw(gap) + c
    if draw(st.booleans()):
        line += draw(gap) + draw(st.sampled_from([";", "&"]))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.one_of(odd, quoted, redirect)) + line[at:]
    return line


@settings(max_examples=400, deadline=None)
@given(quoted_lines())
def test_quoted_words_and_redirections_parse_as_bashlex_parses_them(line):
    assert parse(line) == parse(line, plain=False)


@settings(max_examples=400, deadline=None)
@given(plain_lines())
def test_plain_lines_parse_as_bashlex_parses_them(line):
    assert parse(line) == parse(line, plain=False)


@settings(max_examples=400, deadline=None)
@given(near_plain_lines())
def test_nearly_plain_lines_too(line):
    assert parse(line) == parse(line, plain=False)


@pytest.mark.parametrize("line,expect_plain", [
    ("true", True),
    ("  ls -la /var/log  ", True),
    ("dd if=/dev/zero of=/dev/sda bs=1M", True),
    ("sudo rm -rf /", True),
    ("git push --force origin main", True),
    ("FOO=bar env", False),  # an assignment
    ("if true", False),  # a reserved word
    ("time rm -rf /", False),
    ("ls ~", True),  # a home, kept as written after the command word
    ("cat ~/.ssh/id_rsa ~root/x", True),
    ("ls *.log a?c | grep -i ^app_", True),  # globs and ^ after the command word
    ("ls ~+", False),  # the working directory: a run-time value
    ("cd ~-/x", False),
    ("git diff HEAD~1", False),  # ~N
    ("~/bin/tool x", False),  # a command word is plain characters only
    ("*.sh", False),
    ("ls [ab]", False),
    ("echo hi # comment", False),
    ("echo $HOME", False),
    ("rm -rf 'a b'", True),
    ("awk '{print $1}' f 2>&1 | sort > /tmp/out", True),
    ('grep -c "a b" f 2>/dev/null', True),
    ("'ls' -la", False),  # a quoted command word
    ('echo "$HOME"', False),
    ("echo 'a$\"b'", False),  # bashlex calls this word computed
    ("echo x 2>&1-", False),
    ("echo x &>/dev/null", False),
    ("> out ls", False),  # a redirection first
    ("echo a>b", False),
    ("echo 'unclosed", False),
    ("a;b", True),
    ("cat <in", True),
    ("echo {a,b}", False),
    ("echo a\\ b", False),
    ("echo a\nrm -rf /", False),
    ("cd /srv/app && make test", True),
    ("ps aux | grep nginx | head -5", True),
    ("a;b || c ;", True),
    ("a |", False),  # incomplete
    ("a && && b", False),
    ("a & b", True),  # background: a list like ;
    ("nohup grep -c x f | tail &", True),
    ("a &; b", False),
    ("a &&& b", False),
    ("a |& b", False),
    ("a && then b", False),
    ("echo a\rb", False),
])
def test_which_lines_are_plain(line, expect_plain):
    taken = parse_mod._plain(line, 0, (), None, ()) is not None
    assert taken is expect_plain
    assert parse(line) == parse(line, plain=False)


@pytest.mark.parametrize("line", ["sudo rm -rf /", "dd if=/dev/zero of=/dev/sda",
                                  "kubectl delete ns prod", "systemctl stop sshd",
                                  "sh -c reboot", "xargs rm -rf", "timeout 5 kill -9 1",
                                  "git push --force origin main", "ls -la"])
def test_plain_lines_get_the_same_findings(line, monkeypatch):
    fast = classify(line)
    monkeypatch.setattr(parse_mod, "_plain", lambda *a: None)
    monkeypatch.setattr(classify_mod, "_cache", type(classify_mod._cache)())  # judge afresh
    assert classify(line) == fast
