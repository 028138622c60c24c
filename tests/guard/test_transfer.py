"""File operations over SFTP meet the same path rules as commands."""

from __future__ import annotations

import pytest

from sshgate.guard.transfer import FileOp, classify_file_op, resolve
from sshgate.policy.model import Action

A, P, D = Action.ALLOW, Action.APPROVE, Action.DENY

# (operation, sftp mode, expected action, expected rules)
TABLE = [
    (FileOp("read", "/tmp/a"), "read-only", A, []),
    (FileOp("read", "app/config.yaml"), "true", A, []),
    (FileOp("read", ".ssh/id_ed25519"), "read-only", P, ["secret.read"]),
    (FileOp("read", "/etc/shadow"), "true", P, ["secret.read"]),
    (FileOp("read", "/home/u/.aws/credentials"), "true", P, ["secret.read"]),
    (FileOp("write", "/tmp/a"), "true", A, []),
    (FileOp("write", "upload.tar"), "true", A, []),
    (FileOp("write", "/tmp/a"), "read-only", D, ["sftp.read-only"]),
    (FileOp("write", ".ssh/authorized_keys"), "true", D, ["cred.auth-files"]),
    (FileOp("write", "./.ssh//authorized_keys"), "true", D, ["cred.auth-files"]),
    (FileOp("write", "/home/u/.ssh/authorized_keys2"), "true", D, ["cred.auth-files"]),
    (FileOp("write", "/etc/sudoers.d/agent"), "true", D,
     ["cred.auth-files", "fs.write-system-path"]),
    (FileOp("write", "/etc/cron.d/x"), "true", P, ["fs.write-system-path"]),
    (FileOp("write", "/tmp/../etc/profile"), "true", P, ["fs.write-system-path"]),
    (FileOp("write", "//usr/bin/ls"), "true", P, ["fs.write-system-path"]),
    (FileOp("write", "/var/log/auth.log"), "true", D, ["history.tamper"]),
    (FileOp("write", ".bash_history"), "true", D, ["history.tamper"]),
    (FileOp("write", "../../etc/passwd"), "true", P, ["sftp.path-unresolved"]),
    (FileOp("write", "../../etc/passwd"), "read-only", D,
     ["sftp.read-only", "sftp.path-unresolved"]),
    (FileOp("write", "a/../../x"), "true", P, ["sftp.path-unresolved"]),
    (FileOp("remove", "/tmp/a"), "true", P, ["sftp.remove"]),
    (FileOp("remove", "/etc/hosts"), "true", P, ["fs.rm-system-path"]),
    (FileOp("remove", ".ssh/authorized_keys"), "true", D, ["cred.auth-files", "sftp.remove"]),
    (FileOp("remove", "/tmp/a"), "read-only", D, ["sftp.read-only", "sftp.remove"]),
    (FileOp("rmdir", "/tmp/d"), "true", A, []),
    (FileOp("rmdir", "/etc/d"), "true", P, ["fs.rm-system-path"]),
    (FileOp("mkdir", "/tmp/d"), "true", A, []),
    (FileOp("mkdir", "/etc/d"), "true", P, ["fs.write-system-path"]),
    (FileOp("rename", "a", "b"), "true", P, ["sftp.rename"]),
    (FileOp("rename", "x", ".ssh/authorized_keys"), "true", D,
     ["cred.auth-files", "sftp.rename"]),
    (FileOp("rename", "/etc/hosts", "/tmp/h"), "true", P, ["fs.mv-system"]),
    (FileOp("setstat", "/tmp/f"), "true", A, []),
    (FileOp("setstat", "/tmp/f", detail="size"), "true", P, ["sftp.truncate"]),
    (FileOp("setstat", "/usr/bin/sudo"), "true", P, ["perm.system-path"]),
    (FileOp("setstat", ""), "true", P, ["sftp.path-unresolved"]),
    (FileOp("symlink", "l", "/tmp/x"), "true", A, []),
    (FileOp("symlink", "l", "/etc/shadow"), "true", P, ["fs.link-system"]),
    (FileOp("symlink", "keys", ".ssh/authorized_keys"), "true", P, ["fs.link-system"]),
    (FileOp("symlink", ".ssh/authorized_keys", "/tmp/k"), "true", D,
     ["cred.auth-files", "fs.link-system"]),
    (FileOp("link", "p", "/etc/passwd"), "true", P, ["fs.link-system"]),
    (FileOp("extended", "", detail="made-up@example.com"), "true", P, ["sftp.unknown"]),
    (FileOp("extended", "", detail="made-up@example.com"), "read-only", D,
     ["sftp.read-only", "sftp.unknown"]),
    (FileOp("frobnicate", "/tmp/x"), "true", P, ["sftp.unknown"]),
]


@pytest.mark.parametrize(("op", "mode", "action", "rules"), TABLE)
def test_file_operation_table(op, mode, action, rules):
    c = classify_file_op(op, mode)
    assert [f.rule for f in c.findings] == rules
    assert c.default_action is action
    assert c.line == op.label()


@pytest.mark.parametrize("mode", ["true", "read-only"])
def test_every_change_is_refused_read_only_and_reads_never_are(mode):
    for op in ("write", "remove", "rename", "mkdir", "rmdir", "setstat", "symlink", "link",
               "extended"):
        c = classify_file_op(FileOp(op, "/tmp/x", "/tmp/y" if op in ("rename", "symlink",
                                                                       "link") else ""), mode)
        assert ("sftp.read-only" in [f.rule for f in c.findings]) is (mode == "read-only")
    assert classify_file_op(FileOp("read", "/tmp/x"), mode).default_action is A


@pytest.mark.parametrize(("path", "want"), [
    ("/etc//passwd", "/etc/passwd"), ("//etc/passwd", "/etc/passwd"), ("x", "~/x"),
    (".", "~"), ("", None), ("./a/../b", "~/b"), ("..", None), ("../x", None),
    ("a/../../x", None), ("/..", "/"),
])
def test_resolve(path, want):
    assert resolve(path) == want


def test_findings_carry_paths_for_path_scoped_overrides():
    c = classify_file_op(FileOp("remove", "/tmp/app/x"), "true")
    assert c.findings[0].paths == ("/tmp/app/x",)
