"""Approvers with SSH keys: loading, and the one-owner rule for every key (file:line errors)."""

from __future__ import annotations

import pytest

from sshgate.policy.evaluate import identify
from sshgate.policy.loader import PolicyLoadError, load_policy
from sshgate.policy.model import Approver

from .test_loader import GOOD, KEY, KEY2, errors_of, write

KEY3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFxNcDZ2kxK8hXhT3sYYf0bq5D5u4bUj4kO3yq4m9Cz1"


def test_named_approver_with_keys_loads(tmp_path):
    text = GOOD.replace("approvers: [alice, {user: bob, identity: bot}]",
                        f'approvers: [alice, {{name: carol, keys: ["{KEY3} carol@laptop"]}}]')
    pol = load_policy([write(tmp_path, text)])
    assert pol.approvers == (Approver("alice"), Approver("carol", None, (KEY3,), local=False))
    assert pol.approver_by_key(KEY3).user == "carol"
    # an approver's key is not an identity's: it never reaches a target
    assert identify(pol, KEY3) is None


ERRORS = [
    ("approver key is an identity key",
     f'approvers: [{{name: carol, keys: ["{KEY} dup"]}}]',
     "F:{line}: approvers[0].keys[0]: key is already listed for identity 'bot'; a key "
     "belongs to an identity or an approver, never both"),
    ("two approvers share a key",
     f'approvers: [{{name: carol, keys: ["{KEY3}"]}}, {{name: dave, keys: ["{KEY3}"]}}]',
     "F:{line}: approvers[1].keys[0]: key is already listed for approver 'carol'; a key "
     "belongs to an identity or an approver, never both"),
    ("name and user", f'approvers: [{{name: carol, user: carol, keys: ["{KEY3}"]}}]',
     "F:{line}: approvers[0]: give exactly one of user (an OS user) or name (with keys)"),
    ("name without keys", "approvers: [{name: carol}]",
     "F:{line}: approvers[0].keys: is required with name (the reviewer's SSH keys)"),
    ("approver named like a target", f'approvers: [{{name: web-1, keys: ["{KEY3}"]}}]',
     "F:{line}: approvers[0].name: 'web-1' is also a target name; the review console is "
     "reached as NAME@gateway, so the two must differ"),
    ("malformed approver key", 'approvers: [{name: carol, keys: ["ssh-ed25519 !!"]}]',
     "F:{line}: approvers[0].keys[0]: malformed key"),
]


@pytest.mark.parametrize("desc,line,expected", ERRORS, ids=[e[0] for e in ERRORS])
def test_approver_key_errors_name_file_line_field(tmp_path, desc, line, expected):
    text = GOOD.replace("approvers: [alice, {user: bob, identity: bot}]", line)
    lineno = text.splitlines().index(line) + 1
    errs = errors_of(tmp_path, text)
    assert any(e.startswith(expected.format(line=lineno)) for e in errs), errs


def test_identity_key_in_another_file_conflicts_too(tmp_path):
    write(tmp_path, GOOD.replace("approvers: [alice, {user: bob, identity: bot}]", ""), "a.yaml")
    write(tmp_path, f'approvers:\n  - {{name: carol, keys: ["{KEY}"]}}\n', "b.yaml")
    with pytest.raises(PolicyLoadError) as e:
        load_policy([tmp_path])
    assert [str(x) for x in e.value.errors] == [
        f"{tmp_path / 'b.yaml'}:2: approvers[0].keys[0]: key is already listed for identity "
        "'bot'; a key belongs to an identity or an approver, never both"]


def test_unused_key2_is_only_a_host_key(tmp_path):
    # host keys are not client keys: a target's pinned key may also be an approver's
    text = GOOD.replace("approvers: [alice, {user: bob, identity: bot}]",
                        f'approvers: [{{name: carol, keys: ["{KEY2}"]}}]')
    assert load_policy([write(tmp_path, text)]).approvers[0].keys == (KEY2,)
