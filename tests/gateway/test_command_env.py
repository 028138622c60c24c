"""The environment every exec command starts with, and that no allowed line can undo it."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from sshgate.gateway.command_env import exec_request
from sshgate.guard import classify
from sshgate.guard.pinned_env import PINNED_ENV
from tests.guard.expect import each

UNDO = ("env -u {n} git log", "env --unset={n} git log", "env -i git log", "env - git log",
        "unset {n}; git log", "unset -v {n}; git log", "export -n {n}; git log",
        "declare +x {n}; git log", "typeset +x {n}; git log", "{n}=less git log",
        "export {n}=less; git log", "{n}=; git log", "readonly {n}=less; git log")


def test_no_allowed_line_undoes_the_pinned_environment():
    def check(name, form):
        line = form.format(n=name)
        assert classify(line).findings, line  # held or refused, never allowed

    each([(name, form) for form in UNDO for name, _ in PINNED_ENV], check)


def test_the_request_runs_the_command_with_the_environment():
    command = "printf '%s\\n' \"$PAGER\" \"$LESSSECURE\" \"$GIT_EDITOR\"; echo \"$1\""
    out = subprocess.run(["sh", "-c", exec_request(command)], capture_output=True, text=True,
                         check=True).stdout
    assert out.split("\n")[:3] == ["cat", "1", "false"]
    for name, value in PINNED_ENV:
        assert shlex.quote(value) == value and name.isidentifier()


@pytest.mark.parametrize("name", [n for n, _ in PINNED_ENV])
@pytest.mark.parametrize("form", ["for {n} in less; do git log; done",
                                  "select {n} in less; do git log; done",
                                  "for x in a; do for {n} in less; do git log; done; done",
                                  "bash -c 'for {n} in less; do git log; done'"])
def test_a_loop_variable_cannot_rebind_the_pinned_environment(name, form):
    # bash keeps an exported name exported when a for/select loop assigns it
    line = form.format(n=name)
    assert classify(line).findings, line


@pytest.mark.parametrize("line", ["for f in *.log; do wc -l \"$f\"; done",
                                  "for i in 1 2 3; do echo $i; done"])
def test_an_ordinary_loop_variable_stays_allowed(line):
    assert not classify(line).findings, line
