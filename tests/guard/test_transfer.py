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
    (FileOp("write", "/tmp/../etc/profile"), "true", P,
     ["fs.persistence", "fs.write-system-path"]),
    (FileOp("write", ".bashrc"), "true", P, ["fs.persistence"]),
    (FileOp("write", "bin/sudo"), "true", P, ["fs.persistence"]),
    (FileOp("write", "/home/u/.local/bin/git"), "true", P, ["fs.persistence"]),
    (FileOp("rename", "/tmp/x", "~/bin/ls"), "true", P, ["fs.persistence", "transfer.rename"]),
    (FileOp("write", "/home/u/.config/systemd/user/x.service"), "true", P, ["fs.persistence"]),
    (FileOp("rename", "/tmp/x", ".profile"), "true", P, ["fs.persistence", "transfer.rename"]),
    (FileOp("read", ".bashrc"), "true", A, []),
    (FileOp("write", "//usr/bin/ls"), "true", P, ["fs.write-system-path"]),
    (FileOp("write", "/var/log/auth.log"), "true", D, ["history.tamper"]),
    (FileOp("write", ".bash_history"), "true", D, ["history.tamper"]),
    (FileOp("write", "../../etc/passwd"), "true", P, ["transfer.path-unresolved"]),
    (FileOp("write", "../../etc/passwd"), "read-only", D,
     ["sftp.read-only", "transfer.path-unresolved"]),
    (FileOp("write", "a/../../x"), "true", P, ["transfer.path-unresolved"]),
    (FileOp("remove", "/tmp/a"), "true", P, ["transfer.remove"]),
    (FileOp("remove", "/etc/hosts"), "true", P, ["fs.rm-system-path"]),
    (FileOp("remove", ".ssh/authorized_keys"), "true", D, ["cred.auth-files", "transfer.remove"]),
    (FileOp("remove", "/tmp/a"), "read-only", D, ["sftp.read-only", "transfer.remove"]),
    (FileOp("rmdir", "/tmp/d"), "true", A, []),
    (FileOp("rmdir", "/etc/d"), "true", P, ["fs.rm-system-path"]),
    (FileOp("mkdir", "/tmp/d"), "true", A, []),
    (FileOp("mkdir", "/etc/d"), "true", P, ["fs.write-system-path"]),
    (FileOp("rename", "a", "b"), "true", P, ["transfer.rename"]),
    (FileOp("rename", "x", ".ssh/authorized_keys"), "true", D,
     ["cred.auth-files", "transfer.rename"]),
    (FileOp("rename", "/etc/hosts", "/tmp/h"), "true", P, ["fs.mv-system"]),
    (FileOp("setstat", "/tmp/f"), "true", A, []),
    (FileOp("setstat", "/tmp/f", detail="size"), "true", P, ["transfer.truncate"]),
    (FileOp("setstat", "/usr/bin/sudo"), "true", P, ["perm.system-path"]),
    (FileOp("setstat", ""), "true", P, ["transfer.path-unresolved"]),
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


@pytest.mark.parametrize(("argv", "ops"), [
    ("scp -t /tmp/x", [FileOp("write", "/tmp/x")]),
    ("scp -r -d -t -- /etc/", [FileOp("write", "/etc/")]),
    ("scp -pt .ssh/", [FileOp("write", ".ssh/")]),
    ("/usr/bin/scp -v -f /etc/shadow app.log", [FileOp("read", "/etc/shadow"),
                                                FileOp("read", "app.log")]),
    ("scp -t -f x", [FileOp("extended", "", detail="scp with both -t and -f")]),
    ("scp file other-host:/tmp/", None),  # scp as a client: not a transfer server
    ("rsync --server -vlogDtpre.iLsfxCIvu . /srv/app/",
     [FileOp("write", "/srv/app/")]),
    ("rsync --server --sender -vlogDtpre.iLsfxCIvu . /var/www",
     [FileOp("read", "/var/www")]),
    ("rsync --server -vlogDtpre.iLsfxCIvu --delete . /etc/",
     [FileOp("write", "/etc/"), FileOp("remove", "/etc/")]),
    ("rsync --server -vlogDtpre.iLsfxCIvu --delete-after --max-delete 5 . data/",
     [FileOp("write", "data/"), FileOp("remove", "data/")]),
    ("rsync --server --sender -logDtpre.iLsfxCIvu --remove-source-files . /srv/in",
     [FileOp("read", "/srv/in"), FileOp("remove", "/srv/in")]),
    ("rsync --server -e.LsfxCIvu --log-file /tmp/l --temp-dir /etc . .ssh/",
     [FileOp("write", ".ssh/")]),
    ("rsync -av src/ dst/", None),
    ("ls -l", None),
])
def test_transfer_server_argv(argv, ops):
    from sshgate.guard.transfer import transfer_ops

    got = transfer_ops(tuple(argv.split()))
    assert (list(got) if got is not None else None) == ops


@pytest.mark.parametrize(("argv", "action", "rules"), [
    ("scp -t /tmp/x", A, []),
    ("scp -t .ssh/authorized_keys", D, ["cred.auth-files"]),
    ("scp -t /etc/", P, ["fs.write-system-path"]),
    ("scp -f /etc/shadow", P, ["secret.read"]),  # a read, worded as one
    ("scp -f /etc/hostname", A, []),
    ("rsync --server -vlogDtpre.iLsfxCIvu --delete . /srv/app/", P, ["transfer.remove"]),
    ("rsync --server -vlogDtpre.iLsfxCIvu . .ssh/authorized_keys", D, ["cred.auth-files"]),
])
def test_transfer_servers_meet_the_same_path_rules(argv, action, rules):
    from sshgate.guard.transfer import transfer_ops

    found = []
    for op in transfer_ops(tuple(argv.split())):
        found += list(classify_file_op(op, "true").findings)
    assert [f.rule for f in found] == rules
    assert Action.strictest([f.action for f in found]) is action


@pytest.mark.parametrize(("path", "home", "want"), [
    ("/root/.ansible/tmp/x", "/root", "~/.ansible/tmp/x"),
    ("/home/u/app", "/home/u", "~/app"),
    ("/home/user2/app", "/home/u", "/home/user2/app"),  # a prefix, not the directory
    ("../../etc/passwd", "/home/u", "/etc/passwd"),  # a known home resolves every climb
    ("x", "/home/u", "~/x"),
    ("/home/u", "/home/u", "~"),
])
def test_resolve_with_a_known_home(path, home, want):
    assert resolve(path, home) == want


@pytest.mark.parametrize(("home", "usable"), [
    ("/home/u", "/home/u"), ("/root", "/root"), ("/home/u/", "/home/u"), ("/", None),
    ("/etc", None), ("/usr/lib/x", None), ("//home/u", None), ("relative", None), ("", None),
])
def test_only_a_home_that_hides_no_system_path_is_used(home, usable):
    from sshgate.guard.transfer import usable_home

    assert usable_home(home) == usable


def test_root_home_is_the_logins_own_but_its_keys_are_not():
    home = "/root"
    for path, rules in [("/root/.ansible/tmp/a/AnsiballZ_ping.py", []),
                        ("/root/.ssh/authorized_keys", ["cred.auth-files"]),
                        ("/root/.bashrc", ["fs.persistence"]),
                        ("../etc/hosts", ["fs.write-system-path"])]:
        c = classify_file_op(FileOp("write", path), "true", home)
        assert [f.rule for f in c.findings] == rules, path


@pytest.mark.parametrize(("line", "action", "rules"), [
    ("scp -t /tmp/x", A, ["transfer.write"]),
    ("scp -f /etc/shadow", P, ["secret.read"]),  # a read, worded as one: no auth-files
    ("scp -t .ssh/authorized_keys", D, ["cred.auth-files", "transfer.write"]),
    ("rsync --server -vlogDtpre.iLsfxCIvu --delete . /srv/app/", P,
     ["transfer.write", "transfer.remove"]),
    ("rsync --server --sender -vlogDtpre.iLsfxCIvu . /var/www", A, []),
    ("scp -t $(x)", P, ["guard.unknown"]),  # a computed path: not judged as a transfer
])
def test_the_classifier_judges_transfer_servers_by_their_paths(line, action, rules):
    from sshgate.guard.classify import classify

    c = classify(line)
    assert sorted({f.rule for f in c.findings}) == sorted(rules)
    assert c.default_action is action


@pytest.mark.parametrize(("sftp", "action"), [("true", A), ("read-only", D), ("false", D)])
def test_a_grants_sftp_setting_governs_scp_and_rsync_writes_too(sftp, action):
    from sshgate.guard.classify import classify
    from sshgate.policy.evaluate import decide
    from sshgate.policy.model import Grant, Policy

    policy = Policy(grants=(Grant("bot", ("t",), ("u",), sftp=sftp),))
    assert decide(policy, classify("scp -t /tmp/x"), identity="bot").action is action
    assert decide(policy, classify("scp -f /tmp/x"), identity="bot").action is A
