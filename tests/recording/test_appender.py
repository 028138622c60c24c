"""The O_DIRECT appender: the file is always a prefix of what was appended, and all of it
after close, whatever the part sizes, block size and flush points."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sshgate.recording import appender
from sshgate.recording.appender import Appender

steps = st.lists(st.one_of(st.binary(min_size=0, max_size=20_000), st.just(None)),
                 max_size=40)  # None: flush the tail here


@pytest.mark.parametrize("direct", [True, False])
@pytest.mark.parametrize("block", [4096, 1 << 20])
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_file_is_a_prefix_then_everything(tmp_path_factory, monkeypatch, direct, block, steps):
    monkeypatch.setattr(appender, "BLOCK", block)
    path = tmp_path_factory.mktemp("a") / "rec"
    a = Appender(path, direct=direct)
    if direct:
        assert a.direct  # the suite's tmp dir is on a filesystem that takes O_DIRECT
    written = b""
    for step in steps:
        if step is None:
            a.flush_tail()
            assert path.read_bytes() == written  # a crash here loses nothing
        else:
            a.write([step[:7], step[7:]])
            written += step
            on_disk = path.read_bytes()
            assert written.startswith(on_disk)
            assert len(on_disk) >= len(written) // block * block  # full blocks are out
    assert a.size == len(written)
    a.close()
    assert path.read_bytes() == written
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_filesystem_without_o_direct_gets_ordinary_writes(tmp_path, monkeypatch):
    real_open = os.open

    def no_direct(path, flags, *a):
        if flags & os.O_DIRECT:
            raise OSError(22, "Invalid argument")  # what tmpfs said before Linux 6.6
        return real_open(path, flags, *a)

    monkeypatch.setattr(os, "open", no_direct)
    a = Appender(tmp_path / "rec")
    assert not a.direct
    a.write([b"x" * 5000])
    assert (tmp_path / "rec").read_bytes() == b"x" * 5000
    a.close()


def test_o_direct_write_refused_midway_falls_back(tmp_path, monkeypatch):
    monkeypatch.setattr(appender, "BLOCK", 4096)
    a = Appender(tmp_path / "rec")
    assert a.direct
    real_pwrite = os.pwrite

    def refuse_direct(fd, data, offset):
        if fd == a._direct_fd:
            raise OSError(22, "Invalid argument")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", refuse_direct)
    data = bytes(range(256)) * 100  # 25,600 bytes: crosses several blocks in one part
    a.write([b"head", data, b"tail"])
    assert not a.direct
    a.write([b"more"])
    a.close()
    assert (tmp_path / "rec").read_bytes() == b"head" + data + b"tail" + b"more"


def test_existing_file_is_never_overwritten(tmp_path):
    (tmp_path / "rec").write_bytes(b"keep")
    with pytest.raises(FileExistsError):
        Appender(tmp_path / "rec")
    assert (tmp_path / "rec").read_bytes() == b"keep"
