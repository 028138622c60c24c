"""awk: a program is known safe only when the tokenizer proves every token harmless; options
on an allow-list per awk; the files it reads obey the secret rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.guard.awk import program_why
from sshgate.guard.parse import parse
from sshgate.guard.safe import known_safe

from . import expect

#: programs that run, write, read files or the environment, or load code, in many spellings
BAD_PROGRAMS = [
    'BEGIN{system("id")}', 'BEGIN { system ("id") }', "BEGIN{awk::system(\"id\")}",
    '{print > "/tmp/x"}', '{print >> "/tmp/x"}', '{print $1, $2 > $3}',
    '{printf("%s", $0) > "/etc/cron.d/x"}', '{printf "x" > "/dev/stderr"}',
    '{print | "sh"}', '{print $0 |& "sh"}', '{"id" | getline x; print x}',
    'BEGIN{while (("ls" | getline l) > 0) print l}', '{getline x < "/etc/shadow"; print x}',
    'NR==1{getline; print}', 'BEGIN{print ENVIRON["AWS_SECRET_ACCESS_KEY"]}',
    'BEGIN{for (k in ENVIRON) print k}', 'BEGIN{print PROCINFO["pid"]}',
    'BEGIN{ARGV[1]="/etc/shadow"; ARGC=2} {print}', '@load "readfile"; BEGIN{}',
    '@include "x.awk"', 'BEGIN{f="system"; @f("id")}', '{close("x")}', 'BEGIN{fflush()}',
    'BEGIN{x = readfile("/etc/shadow")}', 'BEGIN{ sys = "id"; tem(sys) }',
    'BEGIN{print SYMTAB["x"]}', '{print "a"\n > "f"}', 'BEGIN { print "x" > "\\/tmp" }',
    '{ a = 1 / 2; system("id"); b = 3 / 4 }', '{ x = $1 /2/ system("id") }',
    '$0 ~ /[/]/ { system("id") }', '{ print "unterminated }', '{ x = /unterminated }',
    'BEGIN{printf "%s" > "/home/u/.bashrc"}',
]
GOOD_PROGRAMS = [
    "{print $1}", "{print $NF}", "{print $(NF-1)}", "NR==1", "NR>1 {print $2}",
    "{s+=$1} END {print s/NR}", "{ if ($3 > 100) print $1 }", "$3 > 100 {print}",
    "{print ($1 > 3)}", '{printf "%s\\n", $2}', "length($0) > 80",
    '{ gsub(/x/, "y"); print }', "{print toupper($0)}", "/a|b/ {print}", "!/^#/",
    "{a[$1]++} END {for (k in a) print k, a[k]}", 'BEGIN{FS=":"; OFS="\\t"} {print $1,$7}',
    "{ n = split($0, p, \",\"); print p[n] }", "function f(x) { return x*2 } {print f($1)}",
    '{ print substr($0, 1, 10) }', "{print $NF/2}", "{a=1/2; b=3/4; print a}",
    'BEGIN{printf "%d\\n", 2^10}', "NR%2==0", "{ sum[$1] += $2 } END { for (k in sum) "
    "printf \"%s %d\\n\", k, sum[k] }", "$9 ~ /^5/ {c++} END {print c+0}",
    "{ print strftime(\"%F\", $1) }", "# a comment\n{print}",
]


@pytest.mark.parametrize("prog", BAD_PROGRAMS)
def test_program_not_on_the_list(prog):
    assert program_why(prog) is not None, prog


@pytest.mark.parametrize("prog", GOOD_PROGRAMS)
def test_program_on_the_list(prog):
    assert program_why(prog) is None, (prog, program_why(prog))


HELD = [
    "export AWKPATH=/tmp", "export AWKLIBPATH=/tmp",
    "awk -f x.awk f", "awk --file=x.awk f", "gawk -i inplace '{print}' f",
    "gawk --include=inplace '{print}' /var/log/syslog", "gawk -l filefuncs 'BEGIN{}'",
    "gawk --load=readfile 'BEGIN{}'", "gawk -E x.awk", "gawk --exec=x.awk",
    "gawk -e 'BEGIN{system(\"id\")}'", "gawk --source='BEGIN{system(\"id\")}'",
    "gawk --so='BEGIN{system(\"id\")}'", "gawk -o ~/.bashrc '{print}' f",
    "gawk --pretty-print=/home/u/.bashrc '{print}' f", "gawk -p '{print}' f",
    "gawk --profile=/tmp/x '{print}' f", "gawk -d '{print}' f", "gawk --dump-variables=x 1 f",
    "gawk -D '{print}' f", "gawk --debug '{print}' f", "mawk -W exec x", "mawk -Wdump 1",
    "mawk --dump '{print}' f", "awk -W version", "awk --lint '{print}' f",
    "awk '{print $1}' ~/.ssh/id_rsa", "awk '{print}' /etc/shadow", "awk 1 ~/.aws/credentials",
    "awk '{print}' $F", "awk $P f", "awk", "gawk -e", "awk -F",
    "echo x | awk '{print | \"sh\"}'", "awk '{print > \"/etc/cron.d/x\"}' f",
    "nawk 'BEGIN{system(\"reboot\")}'", "mawk 'BEGIN{system(\"reboot\")}'",
    "gawk -e 'BEGIN{print 1' -e '> \"/tmp/f\"}'", "gawk -e 'BEGIN{sys' -e 'tem(\"id\")}'",
]
ALLOWED = [
    "awk '{print $1}' access.log", "awk -F: '{print $1}' /etc/passwd",
    "awk -v n=3 'NR<=n' f", "gawk -e 'BEGIN{print 1}'", "gawk --sandbox '{print $2}' f",
    "mawk '{print $1}' f", "nawk -F, '{print $3}' f.csv", "awk --version",
    "awk '{print $9}' /var/log/nginx/access.log | sort | uniq -c | sort -rn | head",
    "ps aux | awk '$3 > 50 {print $2}'", "df -h | awk 'NR>1 {print $5, $6}'",
    "gawk -F'\\t' -v OFS=, '{$1=$1; print}' f.tsv",
]


test_held, test_allowed = expect.table_tests(HELD, ALLOWED)


@pytest.mark.parametrize("prog", BAD_PROGRAMS)
def test_the_catalogue_refuses_what_no_rule_names(prog):
    """The catalogue itself holds every bad program (not only a rule that happens to match)."""
    cmd = parse(f"awk {__import__('shlex').quote(prog)} f").commands[0]
    assert known_safe(cmd).entry is None, prog


_TOKENS = ["$1", "print", "printf", "x", "=", "+", "x / 2", ">", "(", ")", "{", "}", ";", "\n",
           '"s"', "/re/", "if", "NR", "split", "a[1]", ",", "~", "!", "-", "getline", "|",
           "system", "ENVIRON", "close", "@", ">>", "in", "for", "&&", "?", ":"]


@given(st.lists(st.sampled_from(_TOKENS), max_size=14), st.sampled_from([" ", "\t"]))
@settings(max_examples=400, deadline=None)
def test_a_program_that_can_run_or_write_is_never_on_the_list(tokens, sep):
    """Whatever the tokens around them: a program that names a command runner, a reader of
    files or the environment, or a redirection after print never passes."""
    prog = sep.join(tokens)
    if program_why(prog) is None:
        assert not {"getline", "|", "system", "ENVIRON", "close", "@", ">>"} & set(tokens)
        # a '>' right after print or printf would write to a file
        for i, t in enumerate(tokens[:-1]):
            if t in ("print", "printf"):
                assert tokens[i + 1] != ">", prog


def test_long_program_is_bounded():
    assert program_why("{print $1}" * 5000) is not None
