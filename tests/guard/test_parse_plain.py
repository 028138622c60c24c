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
         "ls", "-la", "in", "do", "time", "if", "A=b"]
word = st.one_of(st.sampled_from(VOCAB),
                 st.text(st.sampled_from(FIRST), min_size=1, max_size=3).flatmap(
                     lambda head: st.text(st.sampled_from(REST + "="), max_size=8).map(
                         lambda tail: head + tail)))
blank = st.text(st.sampled_from(" \t"), min_size=1, max_size=3)


@st.composite
def plain_commands(draw) -> str:
    words = draw(st.lists(word, min_size=1, max_size=6))
    seps = [draw(blank) for _ in words]
    return "".join(w + s for w, s in zip(words, seps, strict=True)).rstrip(" \t")


operator = st.sampled_from(["&&", "||", ";", "|"])
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
    ("ls ~", False),  # tilde expansion
    ("ls *.log", False),  # a glob
    ("echo hi # comment", False),
    ("echo $HOME", False),
    ("rm -rf 'a b'", False),
    ("a;b", True),
    ("cat <in", False),
    ("echo {a,b}", False),
    ("echo a\\ b", False),
    ("echo a\nrm -rf /", False),
    ("cd /srv/app && make test", True),
    ("ps aux | grep nginx | head -5", True),
    ("a;b || c ;", True),
    ("a |", False),  # incomplete
    ("a && && b", False),
    ("a & b", False),  # background
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
