"""The classification budget (guard/budget.py) measures the line's own work: not the garbage
collector's passes over the whole process, not one-time set-up (regexes compiled, modules
imported), so that the first line after start, or a line that meets a full collection, is
judged like any other. Genuine work over the budget still makes the line unparseable."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sshgate.guard import budget as budget_module
from sshgate.guard import classify
from sshgate.guard.budget import BUDGET, BudgetExceeded, budget, check, check_now
from sshgate.guard.rules import ALL_RULES, Rule
from sshgate.policy.model import Action

ROOT = Path(__file__).resolve().parent.parent.parent


def _burn(seconds: float) -> None:
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


@pytest.fixture(scope="module")
def costly_collection():
    """A heap whose full collection costs more than 2x a 10 ms budget (``gc.collect``)."""
    heap: list = []
    cost = 0.0
    while cost < 0.02 and len(heap) < 4_000_000:
        heap.extend([i] for i in range(len(heap) + 100_000))
        start = time.thread_time()
        gc.collect()
        cost = time.thread_time() - start
    assert cost >= 0.02, f"could not build a heap whose collection costs 20 ms ({cost:.3f} s)"
    yield cost
    heap.clear()


def test_a_collection_within_the_allowance_is_not_charged(costly_collection, monkeypatch):
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", 10.0)
    with budget(0.01):
        gc.collect()
        for _ in range(64):
            check()  # the collection took longer than the budget: still within it
        check_now()
        with pytest.raises(BudgetExceeded):
            for _ in range(10_000):
                _burn(0.001)  # the line's own work still counts
                check()


def test_a_collection_past_the_allowance_is_charged(costly_collection, monkeypatch):
    # a long line's own objects make the full passes it triggers long: past the allowance
    # they are its work, so one line's CPU time stays bounded
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", costly_collection / 4)
    with budget(0.01), pytest.raises(BudgetExceeded):
        gc.collect()
        check_now()


def test_a_nested_budget_shares_the_allowance(costly_collection, monkeypatch):
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", 10.0)
    with budget(0.01), budget(0.5):
        gc.collect()
    with budget(0.01):
        with budget(0.5):
            gc.collect()
        for _ in range(64):
            check()
    # an inner budget does not start a fresh allowance
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", costly_collection * 0.75)
    with budget(0.01), pytest.raises(BudgetExceeded):
        gc.collect()
        with budget(0.5):
            gc.collect()
        check_now()


def test_a_line_that_meets_a_full_collection_keeps_its_verdict(costly_collection,
                                                                monkeypatch):
    # a collection runs wherever an allocation triggers it; a policy rule that collects
    # stands for one that falls inside this line's classification
    collected = []

    def collect_once(c):
        if not collected:
            collected.append(gc.collect())

    collector = Rule("site.collects", "collects", Action.APPROVE, collect_once,
                     frozenset({"rm"}))
    line = "rm -rf /srv/data" + "; ls -la" * 40
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", 10.0)
    c = classify(line, (*ALL_RULES, collector), seconds=0.01)
    assert collected and [f.rule for f in c.findings] == ["fs.rm-recursive"], c.findings
    slow = Rule("site.slow", "slow", Action.APPROVE, lambda c: _burn(0.03), frozenset({"rm"}))
    c = classify("rm -rf /srv/data; rm -rf /srv/x; " * 20, (*ALL_RULES, slow), seconds=0.01)
    assert [f.rule for f in c.findings] == ["parse.unparseable"], c.findings
    # past the allowance the same collection is the line's: over its budget
    monkeypatch.setattr(budget_module, "GC_ALLOWANCE", 0.0)
    collected.clear()
    c = classify(line + " ", (*ALL_RULES, collector), seconds=0.01)
    assert collected and [f.rule for f in c.findings] == ["parse.unparseable"], c.findings


def test_a_line_that_ends_past_its_deadline_is_over_budget():
    # the last step of a classification may run past the deadline with no check after it:
    # the classification ends with one, so no verdict comes from a line over its budget
    slow = Rule("site.slow", "slow", Action.APPROVE, lambda c: _burn(0.03), frozenset({"rm"}))
    c = classify("rm -rf /srv/data", (*ALL_RULES, slow), seconds=0.01)
    assert [f.rule for f in c.findings] == ["parse.unparseable"], c.findings


def test_the_cpu_clock_is_read_only_once_the_wall_clock_passed_the_deadline(monkeypatch):
    # the CPU clock is a system call; CPU time <= wall time, so before the wall deadline
    # no check needs it, and after it the deadline still holds
    reads = []
    monkeypatch.setattr(budget_module, "_clock", lambda: reads.append(1) or time.thread_time())
    with budget(10.0):
        for _ in range(1000):
            check()
    assert len(reads) == 1, len(reads)  # the budget's start only
    with budget(0.005), pytest.raises(BudgetExceeded):
        for _ in range(10_000):
            _burn(0.001)
            check()


#: the first line a fresh process classifies, and a rule it must get (one process each)
FIRST_LINES = [
    ("cd ~/.ssh && echo 'ssh-ed25519 AAAA attacker' >> authorized_keys", "cred.auth-files"),
    ("ln -s /etc/shadow ./s; cat s", "secret.read"),
    ("psql -c 'DROP TABLE users'", "db.destructive"),
    ("scp -t /etc/cron.d", "fs.write-system-path"),
]

_FIRST = """
import contextlib, json, re, sys
import sshgate.guard
m = sys.modules["sshgate.guard.classify"]
inside, measured = m.budget, {"compiled": [], "imported": []}

@contextlib.contextmanager
def watched(seconds):
    regexes, modules = set(re._cache), set(sys.modules)
    try:
        with inside(seconds):
            yield
    finally:
        measured["compiled"] += [repr(k[1])[:80] for k in set(re._cache) - regexes]
        measured["imported"] += sorted(set(sys.modules) - modules)

m.budget = watched
c = m.classify(sys.argv[1])
print(json.dumps({"rules": [f.rule for f in c.findings], "why": [f.why for f in c.findings],
                  "budget": m.BUDGET, **measured}))
"""


@pytest.mark.parametrize(("line", "rule"), FIRST_LINES)
def test_the_first_line_of_a_fresh_process_pays_no_set_up(line, rule):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _FIRST, line], capture_output=True, text=True,
                         env=env, timeout=60, check=True).stdout
    got = json.loads(out)
    assert got["budget"] == BUDGET
    assert rule in got["rules"] and "parse.unparseable" not in got["rules"], got
    # the one-time work (regexes of the tables, lazy imports) was done before the budget
    assert got["compiled"] == [] and got["imported"] == [], got


def test_a_young_collection_stays_the_lines_work():
    # young passes cost what the line allocated: a hostile line must not run on in them
    from sshgate.guard.budget import _on_collection

    with budget(0.01):
        _on_collection("start", {"generation": 0})
        _burn(0.02)
        _on_collection("stop", {"generation": 0})
        with pytest.raises(BudgetExceeded):
            for _ in range(64):
                check()
