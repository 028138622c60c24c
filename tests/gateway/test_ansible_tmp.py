"""Ansible temp dirs the gateway vouches for: created, uploaded once, forgotten on change."""

from __future__ import annotations

from sshgate.gateway.ansible_tmp import DIR_TTL, MAX_DIRS, TempDirs

K = ("bot", "web-1", "deploy")
D = "/home/deploy/.ansible/tmp/ansible-tmp-1.2-3-4"
F = f"{D}/AnsiballZ_ping.py"


def made(clock=None) -> TempDirs:
    t = TempDirs(clock=clock) if clock else TempDirs()
    t.created(K, D)
    return t


def test_an_upload_into_a_created_dir_is_kept_once():
    t = made()
    assert t.opened_for_write(K, F)
    t.uploaded(K, F, b"payload")
    assert t.take_upload(K, F) == b"payload"
    assert t.take_upload(K, F) is None
    assert t.known(K, D)


def test_uploads_outside_a_created_dir_or_of_other_keys_are_not_kept():
    t = made()
    assert not t.opened_for_write(K, "/home/deploy/AnsiballZ_ping.py")
    assert not t.opened_for_write(("other", "web-1", "deploy"), F)
    assert not t.opened_for_write(K, f"{D}/datetime.py")  # a file, but not a module


def test_a_second_write_of_the_module_forgets_the_dir():
    t = made()
    assert t.opened_for_write(K, F)
    t.uploaded(K, F, b"genuine")
    assert not t.opened_for_write(K, F)
    assert not t.known(K, D) and t.take_upload(K, F) is None


def test_an_upload_not_in_order_forgets_the_dir():
    t = made()
    t.opened_for_write(K, F)
    t.uploaded(K, F, None)
    assert not t.known(K, D)


def test_changes_at_below_or_above_the_dir_forget_it():
    for path in (D, f"{D}/AnsiballZ_ping.py", "/home/deploy/.ansible", None):
        t = made()
        t.changed(K, path)
        assert not t.known(K, D), path
    t = made()
    t.changed(K, "/home/deploy/.ansible/tmp/ansible-tmp-1.2-3-40")  # a sibling
    assert t.known(K, D)


def test_dirs_are_bounded_and_expire():
    now = [0.0]
    t = made(lambda: now[0])
    for i in range(MAX_DIRS):
        now[0] += 1
        t.created(K, f"{D}{i}")
    assert not t.known(K, D) and t.known(K, f"{D}{MAX_DIRS - 1}")
    now[0] += DIR_TTL + 1
    assert not t.known(K, f"{D}{MAX_DIRS - 1}")
