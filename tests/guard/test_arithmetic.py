"""Arithmetic expansion of plain numbers and ANSI-C quoting (parse.literal_arithmetic):
bashlex cannot parse ``$((...))`` and quote removal does not decode ``$'...'``; the guard
puts in the value bash computes, and leaves anything with a name, an assignment, ``**``, a
control character or a quote unreadable (held)."""

from __future__ import annotations

import random
import subprocess

from sshgate.guard import classify
from sshgate.guard.parse import _arith_value

from .expect import allowed, each, held

ALLOWED = [
    "echo $((1+2))", "echo \"$((60*60*24))\"", "seq 1 $((2*3))", "head -n $((10+5)) f.txt",
    "sleep $((60*5)); curl -s localhost:8080/health", "echo $(((1+2)*3))",
    "sh -c 'echo $((1+2))'", "echo '$((x))'",
    "cut -d $'\\t' -f1 x.tsv", "cut -d$'\\t' -f1 x.tsv", "sort -t $'\\t' -k2 x",
    "awk -F$'\\t' '{print $1}' x", "echo \"$'\\t'\"",
]

HELD = [
    # names: bash evaluates a value as arithmetic again (a[$(cmd)] runs cmd)
    "x=3; echo $((x+1))", "echo $((RANDOM % 5))", "echo $((a[$(id)]))", "echo $((x=5))",
    "echo $((2**62))", "echo $((1/0))", "echo $((08))",
    # the value is what the rules judge
    "kill -s $((9)) 1", "kill -9 $((0-1))", "chmod $((4000+755)) x", "rm -rf /$((1))x",
    "cat ~/.ssh/id_rs$((1))",
    # decoded, the word is judged as bash gives it
    "cat $'\\x2fetc/shadow'", "cat $'/etc/sh\\141dow'", "rm -rf $'\\x2f'",
    "cat $'\\x27'", "cat $'~/.ssh/id_\\x72sa'", "cat $'\\u002fetc/shadow'",
]


def test_literal_arithmetic_is_its_value() -> None:
    each(ALLOWED, allowed)
    each(HELD, held)


def test_spans_stay_on_the_line_as_written() -> None:
    line = "sleep $((60*5)); rm -rf /srv/x"
    c = classify(line)
    assert [line[a:b] for a, b in (x.span for x in c.commands)] == \
        ["sleep $((60*5))", "rm -rf /srv/x"]
    assert [line[f.span[0]:f.span[1]] for f in c.findings] == ["rm -rf /srv/x"]


def _expr(rng: random.Random, depth: int = 0) -> str:
    if depth > 3 or rng.random() < 0.3:
        n = str(rng.randint(0, 999))
        return rng.choice(["", "-", "+"]) + (rng.choice(["0", ""]) + n if n != "0" else n)
    op = rng.choice("+-*/%")
    left, right = _expr(rng, depth + 1), _expr(rng, depth + 1)
    return f"({left}){op}({right})" if rng.random() < 0.5 else f"{left} {op} {right}"


def test_values_agree_with_bash() -> None:
    rng = random.Random(15)
    exprs = [e for e in (_expr(rng) for _ in range(800)) if _arith_value(e) is not None]
    script = "\n".join(f"echo $(( {e} ))" for e in exprs)
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == [str(_arith_value(e)) for e in exprs]
    assert len(exprs) > 200
