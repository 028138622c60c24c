"""classify()'s memo of the built-in rules' hits and the catalogue's verdict per command is
exact: its key is everything of a command but ``span``, no guard module but the parser, the
walk and classify itself reads ``span``, a line served from the memo is classified as afresh,
and the memo is bounded and stays out of the collector's way."""

from __future__ import annotations

import dataclasses
import gc
import re
import sys
from pathlib import Path

import pytest

from sshgate.guard import classify
from sshgate.guard.parse import Redirect, SimpleCommand
from sshgate.guard.rules import ALL_RULES, custom_rule
from sshgate.policy.model import Action

from .corpus import DESTRUCTIVE, HARMFUL, ORDINARY_SESSION

module = sys.modules["sshgate.guard.classify"]
GUARD = Path(module.__file__).parent
#: the modules that may read where a command is on the line (they build it, or walk the line)
SPAN_READERS = {"parse.py", "classify.py", "flow.py"}
WRAPS = ["{}", "sudo {}", "cd /srv/app && {}", "{} 2>&1 | tail -20", "bash -c '{}'",
         "timeout 30 {}", "{} && echo done", "ln -s /etc e && {}", "X=/root; {}"]


def _lines() -> list[str]:
    base = ORDINARY_SESSION[::6] + [d[0] for d in DESTRUCTIVE[::10]] + [
        xs[0] for xs in HARMFUL.values()]
    return [w.format(b) for b in base for w in WRAPS if "'" not in b or "'" not in w]


@pytest.fixture
def memo(monkeypatch):
    module.warm_up()
    for name in ("_hits_memo", "_safe_memo"):
        monkeypatch.setattr(module, name, module._Memo(module.MEMO_ENTRIES))
    monkeypatch.setattr(module, "_cache", type(module._cache)())


def test_the_key_is_every_field_but_span():
    compared = {f.name for f in dataclasses.fields(SimpleCommand) if f.compare}
    c = SimpleCommand(("ls", "-l"), (False, False), span=(3, 9))
    key = module._command_key(c)
    assert len(key) == len(compared) - 2  # span left out, redirections appended
    assert module._command_key(dataclasses.replace(c, span=(0, 5))) == key
    two = dataclasses.replace(c, redirects=(Redirect(">", "x"), Redirect("<", "y", True)))
    assert module._command_key(two) == (*key, (">", "x", False), ("<", "y", True))
    for name in compared - {"span"}:
        other = {"argv": ("ls", "-la"), "dynamic": (True, False), "via": ("sudo",),
                 "redirects": (Redirect(">", "x"),),
                 "assignments": ("A=1",), "pipe_from": ("cat",), "inner": ("id",),
                 "heredoc": "x", "heredoc_expands": True, "heredoc_sole": True,
                 "split": (True, False),
                 "globbed": (True, False)}[name]
        assert module._command_key(dataclasses.replace(c, **{name: other})) != key, name


def test_no_rule_or_catalogue_module_reads_where_a_command_is():
    # the memo's key leaves ``span`` out: a module that judged by it would be served another
    # position's verdict
    readers = {p.name for p in GUARD.glob("*.py")
               if re.search(r"\.span\b|\bspan\s*=|\"span\"", p.read_text())}
    assert readers <= SPAN_READERS, readers - SPAN_READERS


def test_a_line_served_from_the_memo_is_classified_as_afresh(memo):
    lines = _lines()
    fresh = []
    for line in lines:
        module._hits_memo.clear()
        module._safe_memo.clear()
        fresh.append(module._classify(line, ALL_RULES))
    for line in lines:  # fills the memo
        module._classify(line, ALL_RULES)
    served = [module._classify(line, ALL_RULES) for line in reversed(lines)][::-1]
    assert served == fresh
    # with a policy's own rules after the built-in ones
    site = (*ALL_RULES, custom_rule("site.srv", "srv", Action.DENY, regex="/srv/"))
    module._hits_memo.clear()
    module._safe_memo.clear()
    first = [module._classify(line, site) for line in lines]
    assert [module._classify(line, site) for line in lines] == first


def test_a_policy_rule_still_matches_a_memoised_command(memo):
    classify("cat /srv/app/README.md")  # memoised with the built-in rules
    site = (*ALL_RULES, custom_rule("site.srv", "srv", Action.DENY, regex="/srv/"))
    got = classify("cat /srv/app/README.md", site)
    assert [f.rule for f in got.findings] == ["site.srv"]
    assert got.default_action is Action.DENY


def test_the_memo_is_bounded_and_long_lines_stay_out(memo, monkeypatch):
    monkeypatch.setattr(module, "_hits_memo", module._Memo(16))
    monkeypatch.setattr(module, "_safe_memo", module._Memo(16))
    for i in range(100):
        classify(f"ls -la /srv/app{i}")
    assert len(module._hits_memo._data) == 16 and len(module._safe_memo._data) == 16
    module._hits_memo.clear()
    module._safe_memo.clear()
    long_line = "ls " + " ".join(f"f{i}" for i in range(200))
    assert len(long_line) > module.CACHE_MAX_LINE
    classify(long_line)
    assert not module._hits_memo._data and not module._safe_memo._data


def test_memo_entries_leave_the_collectors_lists(memo):
    # a full collection walks what is tracked: the memo holds strings, numbers and tuples of
    # them only, which the collector stops tracking once they survive a pass
    for line in _lines()[:100]:
        classify(line)
    # a tuple leaves the lists once its items have: a nested one may take a second pass
    gc.collect()
    gc.collect()
    memo = [*module._hits_memo._data.items(), *module._safe_memo._data.items()]
    plain = len(module._command_key(SimpleCommand(("x",))))
    assert any(len(k) > plain for k, _ in memo)  # commands with redirections among them
    assert memo and not any(gc.is_tracked(k) or gc.is_tracked(v) for k, v in memo)

