"""Ansible module runs as the command lines and file operations they amount to."""

from __future__ import annotations

import pytest

from sshgate.guard.ansible import AnsibleModule, classify_module, equivalent
from sshgate.guard.classify import classify
from sshgate.guard.transfer import FileOp
from sshgate.policy.model import Action

A, P, D = Action.ALLOW, Action.APPROVE, Action.DENY

TABLE = [
    ("ping", {}, (), (), ""),
    ("command", {"_raw_params": "uptime"}, ("uptime",), (), ""),
    ("command", {"argv": ["rm", "-rf", "/srv/x y"]}, ("rm -rf '/srv/x y'",), (), ""),
    ("shell", {"_raw_params": "ls | wc -l", "chdir": "/srv"}, ("cd /srv && ls | wc -l",), (),
     ""),
    ("file", {"path": "/tmp/x", "state": "absent"}, ("rm -r -- /tmp/x",), (), ""),
    ("file", {"path": "/srv/d", "state": "directory", "mode": "0755"},
     ("mkdir -p -- /srv/d", "chmod 0755 -- /srv/d"), (), ""),
    ("file", {"path": "l", "state": "link", "src": "/etc/shadow"}, (),
     (FileOp("symlink", "l", "/etc/shadow"),), ""),
    ("copy", {"dest": "/etc/motd", "content": "hi"}, (), (FileOp("write", "/etc/motd"),), ""),
    ("template", {"dest": "/etc/sudoers.d/x", "validate": "visudo -cf %s"},
     ("visudo -cf /etc/sudoers.d/x",), (FileOp("write", "/etc/sudoers.d/x"),), ""),
    ("apt", {"name": ["nginx", "curl"], "state": "absent"},
     ("apt-get remove nginx curl",), (), ""),
    ("service", {"name": "nginx", "state": "stopped", "enabled": False},
     ("systemctl stop nginx", "systemctl disable nginx"), (), ""),
    ("user", {"name": "bob", "state": "absent", "remove": True}, ("userdel -r bob",), (), ""),
    ("frobnicate", {}, (), (), "module 'frobnicate' is not in sshgate's Ansible table"),
    ("command", {"_raw_params": "python3", "stdin": "import os"}, (), (),
     "the command gets data on stdin"),
    ("file", {"path": "/x", "state": "weird"}, (), (), "state=weird"),
]


@pytest.mark.parametrize(("name", "args", "lines", "ops", "unknown"), TABLE)
def test_equivalent(name, args, lines, ops, unknown):
    eq = equivalent(AnsibleModule(name, args))
    assert (eq.lines, eq.ops, eq.unknown) == (lines, ops, unknown)


@pytest.mark.parametrize(("name", "args", "action", "rule"), [
    ("ping", {}, A, None),
    ("command", {"_raw_params": "uptime"}, A, None),
    ("file", {"path": "/srv/data", "state": "absent"}, P, "fs.rm-recursive"),
    ("copy", {"dest": "/root/.ssh/authorized_keys"}, D, "cred.auth-files"),
    ("shell", {"_raw_params": "mkfs.ext4 /dev/sda"}, D, "disk.mkfs"),
    ("service", {"name": "nginx", "state": "stopped"}, P, "svc.stop"),
    ("frobnicate", {}, P, "ansible.unknown"),
    ("command", {"_raw_params": 5}, P, "ansible.unknown"),  # odd types: not waved through
])
def test_classify_module(name, args, action, rule):
    c = classify_module(AnsibleModule(name, args), classify)
    assert c.default_action is action
    if rule:
        assert rule in [f.rule for f in c.findings]
    assert c.line.startswith(f"ansible {name}")


def test_label_hides_secrets_and_ansible_internals():
    m = AnsibleModule("user", {"name": "bob", "password": "s3cret", "_ansible_debug": False})
    assert m.label() == "ansible user name=bob password=(hidden)"
