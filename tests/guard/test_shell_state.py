"""A line typed into a gated shell, judged with the state earlier lines left: tracing the
shell is tamper (it would print the gate's own code), and relative paths resolve in the
directory the shell reported (red team s8 D1, D5)."""

from __future__ import annotations

import pytest

from sshgate.guard.classify import classify
from sshgate.guard.flow import START, UNKNOWN
from sshgate.guard.rules import ALL_RULES, SHELL_RULES
from sshgate.policy.evaluate import classify_for
from sshgate.policy.model import Action, Policy

SHELL = ALL_RULES + SHELL_RULES


def rules_of(line: str, rules=SHELL, cwd: str = START) -> set[str]:
    return {f.rule for f in classify(line, rules, cwd=cwd).findings}


@pytest.mark.parametrize("line", [
    "set -x", "set -v", "set -xv", "set -euxo pipefail", "set -o xtrace", "set -o verbose",
    "set -eo xtrace", "shopt -so xtrace", "shopt -s -o verbose", "builtin set -x",
    "command set -v", "BASH_XTRACEFD=1", "BASH_XTRACEFD=7 ls", "PS4='+ '", "export PS4=x",
    "declare PS4=x", "read PS4", "printf -v PS4 x", "unset BASH_XTRACEFD", "eval 'set -x'",
])
def test_tracing_the_shell_is_tamper_in_a_shell(line):
    assert "shell.gate-tamper" in rules_of(line)


@pytest.mark.parametrize("line", ["set +x", "set +v", "set -e", "set -o pipefail", "set -- -x",
                                  "echo PS4", "shopt -po xtrace", "set -o", "echo -x"])
def test_lookalikes_are_not(line):
    assert "shell.gate-tamper" not in rules_of(line)


def test_exec_mode_keeps_tracing():
    # a whole exec line runs at once: its trace shows nothing of a gate
    assert "shell.gate-tamper" not in rules_of("set -x; ls", ALL_RULES)
    assert classify_for(Policy(), "set -x", shell=True).default_action is Action.DENY


@pytest.mark.parametrize("cwd,line,rule", [
    ("/proc/4242", "cat environ", "secret.read"),
    ("/etc", "echo x > sudoers", "fs.write-system-path"),
    ("/etc/mysql", "cat debian.cnf", "secret.read"),
    ("/", "cat proc/1/environ", "secret.read"),
    ("/etc/cron.d", "echo '* * * * * root id' > job", "fs.write-system-path"),
])
def test_relative_paths_resolve_in_the_shell_s_directory(cwd, line, rule):
    assert rule in rules_of(line, cwd=cwd)
    assert rule not in rules_of(line)  # the same line where the login started


@pytest.mark.parametrize("cwd", ["/srv/app", "src/app"])
def test_ordinary_work_elsewhere_stays_allowed(cwd):
    for line in ("ls", "cat README.md", "git status", "grep -r TODO ."):
        assert classify(line, SHELL, cwd=cwd).default_action is Action.ALLOW, (cwd, line)


def test_an_unknown_directory_makes_relative_paths_unknown():
    assert "guard.unknown" in rules_of("cat data", cwd=UNKNOWN)
    assert rules_of("cat /etc/hostname", cwd=UNKNOWN) == set()


def test_the_cache_keeps_directories_apart():
    assert "secret.read" in rules_of("cat environ", cwd="/proc/1")
    assert "secret.read" not in rules_of("cat environ")
    assert "secret.read" in rules_of("cat environ", cwd="/proc/1")
