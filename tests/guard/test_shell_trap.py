"""Traps in a gated interactive shell: setting one is held (its action would run later with
no verdict of its own), the gate's own traps are tamper, showing and resetting are safe."""

from __future__ import annotations

import pytest

from sshgate.guard.classify import classify
from sshgate.guard.parse import TrapSetting, parse, trap_setting
from sshgate.guard.rules import ALL_RULES, SHELL_RULES
from sshgate.policy.evaluate import classify_for
from sshgate.policy.model import Policy

SHELL = ALL_RULES + SHELL_RULES


def rules_of(line: str, rules=SHELL) -> set[str]:
    return {f.rule for f in classify(line, rules).findings}


@pytest.mark.parametrize("args, expected", [
    (("cmd", "USR1"), TrapSetting("cmd", ("USR1",))),
    (("--", "cmd", "SIGUSR1", "INT"), TrapSetting("cmd", ("SIGUSR1", "INT"))),
    (("cmd", "10"), TrapSetting("cmd", ("10",))),
    (("", "INT"), TrapSetting("", ("INT",))),
    (("USR1", "USR2"), TrapSetting("USR1", ("USR2",))),  # bash: action "USR1" on USR2
    (("99", "USR1"), TrapSetting("99", ("USR1",))),      # no such signal: an action
    (("--", "--", "HUP"), TrapSetting("--", ("HUP",))),
    ((), None), (("-p",), None), (("-l",), None), (("-p", "USR1"), None), (("-lp",), None),
    (("-", "USR1"), None), (("--", "-", "USR1", "INT"), None), (("10", "USR1"), None),
    (("USR1",), None), (("--", "cmd"), None), (("-x", "cmd", "USR1"), None),
])
def test_what_trap_sets_as_bash_reads_it(args, expected):
    assert trap_setting(args) == expected


def test_a_word_computed_where_a_signal_goes_is_unsure():
    assert trap_setting(("x", "$S"), (False, True)).unsure
    assert trap_setting(("$X", "USR1"), (True, False)).unsure  # "$X" may split into more
    assert not trap_setting(("$X", "USR1"), (True, False)).signals[0].startswith("$")
    assert not trap_setting(("--", "$X", "USR1"), (False, True, False)).unsure


@pytest.mark.parametrize("line", [
    "trap 'touch /tmp/x' USR1", "trap -- ls SIGUSR1", "trap ls 10", "trap '' INT",
    "trap ls EXIT", "trap ls 0", "builtin trap ls usr1", "command trap ls USR1",
    "eval trap ls USR1", "eval 'trap ls SIGUSR1'", "f() { trap ls HUP; }",
    "x=$(trap ls TERM)", "true && trap ls WINCH",
])
def test_setting_a_trap_is_held_in_a_shell(line):
    assert "shell.trap" in rules_of(line)
    assert "shell.trap" not in rules_of(line, ALL_RULES)  # exec mode: the line runs whole


@pytest.mark.parametrize("line", [
    "trap x DEBUG", "trap - DEBUG", "trap '' DEBUG", "trap x RETURN", "trap x ERR",
    "trap x err", "trap x SIGDEBUG", "trap -- x debug", "builtin trap x ERR", "trap x $S",
    "trap $X USR1", "eval trap x ERR", "trap - $S", "trap -p $S",
])
def test_the_gates_own_traps_are_tamper(line):
    assert "shell.gate-tamper" in rules_of(line)


@pytest.mark.parametrize("line", ["trap", "trap -p", "trap -l", "trap -p USR1", "trap - USR1",
                                  "trap -- - USR1 INT", "trap 10 USR1", "trap USR1"])
def test_showing_and_resetting_traps_is_known_safe(line):
    assert classify(line, SHELL).findings == ()


def test_a_reset_has_no_inner_command():
    """The action word is parsed as a command only when trap sets it (``-p`` is no
    command)."""
    assert [c.name for c in parse("trap -p").commands] == ["trap"]
    assert [c.name for c in parse("trap 'rm -rf /' USR1").commands] == ["trap", "rm"]


def test_the_shell_rules_come_with_the_policy():
    policy = Policy()
    assert "shell.trap" in {f.rule for f in classify_for(policy, "trap ls USR1", True).findings}
    assert "shell.trap" not in {f.rule for f in classify_for(policy, "trap ls USR1").findings}
