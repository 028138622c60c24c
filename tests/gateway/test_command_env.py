"""The environment every exec command starts with, and that no allowed line can undo it."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from sshgate.gateway.command_env import exec_request
from sshgate.guard import classify
from sshgate.guard.pinned_env import PINNED_ENV

UNDO = ("env -u {n} git log", "env --unset={n} git log", "env -i git log", "env - git log",
        "unset {n}; git log", "unset -v {n}; git log", "export -n {n}; git log",
        "declare +x {n}; git log", "typeset +x {n}; git log", "{n}=less git log",
        "export {n}=less; git log", "{n}=; git log", "readonly {n}=less; git log")


@pytest.mark.parametrize("name", [n for n, _ in PINNED_ENV])
@pytest.mark.parametrize("form", UNDO)
def test_no_allowed_line_undoes_the_pinned_environment(name, form):
    line = form.format(n=name)
    assert classify(line).findings, line  # held or refused, never allowed


def test_the_request_runs_the_command_with_the_environment():
    command = "printf '%s\\n' \"$PAGER\" \"$LESSSECURE\" \"$GIT_EDITOR\"; echo \"$1\""
    out = subprocess.run(["sh", "-c", exec_request(command)], capture_output=True, text=True,
                         check=True).stdout
    assert out.split("\n")[:3] == ["cat", "1", "false"]
    for name, value in PINNED_ENV:
        assert shlex.quote(value) == value and name.isidentifier()
