"""The review console's fixed command set: what parses, what each asks of the service, and
everything else refused with a usage error (shlex, no shell)."""

from __future__ import annotations

import pytest

from sshgate.gateway.review import UsageError, parse, request_for

GOOD = [
    ("approvals list", {"op": "list"}, False),
    ("approvals list --json", {"op": "list"}, True),
    ("approve ab12", {"op": "decide", "id": "ab12", "reason": None, "decision": "approve"},
     False),
    ("deny ab12 --reason 'not now; sorry'",
     {"op": "decide", "id": "ab12", "reason": "not now; sorry", "decision": "deny"}, False),
    ("approve --reason=ok ab12",
     {"op": "decide", "id": "ab12", "reason": "ok", "decision": "approve"}, False),
    ("sessions list --json", {"op": "sessions"}, True),
    ("sessions kill s1 --reason \"runaway job\"",
     {"op": "kill", "id": "s1", "reason": "runaway job"}, False),
    ("watch s1", {"op": "watch", "id": "s1"}, False),
    ("lock bot --for 2h --reason x", {"op": "lock", "identity": "bot", "for": "2h",
                                      "reason": "x"}, False),
    ("lock bot --reason x", {"op": "lock", "identity": "bot", "for": None, "reason": "x"},
     False),
    ("unlock bot", {"op": "unlock", "identity": "bot"}, False),
    ("locks", {"op": "locks"}, False),
    ("locks list --json", {"op": "locks"}, True),
]


@pytest.mark.parametrize("line,wanted,as_json", GOOD)
def test_console_commands(line, wanted, as_json):
    spec, args, opts = parse(line)
    assert request_for(spec, args, opts) == wanted
    assert bool(opts.get("--json")) is as_json


BAD = ["", "bash", "sh -c id", "approvals", "approve", "approve a b", "approve a --json",
       "approve a --reason", "approve a --reason x --reason y", "sessions kill s1",
       "lock bot", "lock bot --for 1h", "unlock", "watch", "approve 'x", "approvals list; id",
       "approvals list --json=1", "locks --for 1h", "sessions", "ls", "approve $(id)x y"]


@pytest.mark.parametrize("line", BAD)
def test_everything_else_is_a_usage_error(line):
    with pytest.raises(UsageError):
        parse(line)
