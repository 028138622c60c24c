"""The SFTP stream parser: whole packets, operations, handles and byte counts, any chunking."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.gateway import sftp
from sshgate.gateway.sftp import FileOp, SftpProtocolError, SftpStream, status_packet


def s(v: str | bytes) -> bytes:
    b = v.encode() if isinstance(v, str) else v
    return struct.pack(">I", len(b)) + b


def pkt(kind: int, body: bytes, rid: int | None = None) -> bytes:
    payload = bytes([kind]) + (struct.pack(">I", rid) if rid is not None else b"") + body
    return struct.pack(">I", len(payload)) + payload


ATTRS_NONE = struct.pack(">I", 0)
ATTRS_SIZE = struct.pack(">IQ", sftp.ATTR_SIZE, 0)

CASES = [
    (pkt(sftp.INIT, struct.pack(">I", 3)), None),
    (pkt(sftp.OPEN, s("/tmp/a") + struct.pack(">I", sftp.FXF_READ) + ATTRS_NONE, 1),
     FileOp("read", "/tmp/a")),
    (pkt(sftp.OPEN, s("up") + struct.pack(">I", sftp.FXF_WRITE | sftp.FXF_CREAT
                                          | sftp.FXF_TRUNC) + ATTRS_NONE, 2),
     FileOp("write", "up")),
    (pkt(sftp.OPEN, s("log") + struct.pack(">I", sftp.FXF_APPEND) + ATTRS_NONE, 3),
     FileOp("write", "log")),
    (pkt(sftp.REMOVE, s("/etc/x"), 4), FileOp("remove", "/etc/x")),
    (pkt(sftp.MKDIR, s("d") + ATTRS_NONE, 5), FileOp("mkdir", "d")),
    (pkt(sftp.RMDIR, s("d"), 6), FileOp("rmdir", "d")),
    (pkt(sftp.SETSTAT, s("f") + ATTRS_NONE, 7), FileOp("setstat", "f")),
    (pkt(sftp.SETSTAT, s("f") + ATTRS_SIZE, 8), FileOp("setstat", "f", detail="size")),
    (pkt(sftp.RENAME, s("a") + s("b"), 9), FileOp("rename", "a", "b")),
    # OpenSSH sends (target, link path)
    (pkt(sftp.SYMLINK, s("/etc/shadow") + s("l"), 10), FileOp("symlink", "l", "/etc/shadow")),
    (pkt(sftp.EXTENDED, s("posix-rename@openssh.com") + s("a") + s("b"), 11),
     FileOp("rename", "a", "b")),
    (pkt(sftp.EXTENDED, s("hardlink@openssh.com") + s("/etc/passwd") + s("p"), 12),
     FileOp("link", "p", "/etc/passwd")),
    (pkt(sftp.EXTENDED, s("lsetstat@openssh.com") + s("f") + ATTRS_NONE, 13),
     FileOp("setstat", "f")),
    (pkt(sftp.EXTENDED, s("statvfs@openssh.com") + s("/"), 14), None),
    (pkt(sftp.EXTENDED, s("made-up@example.com") + s("x"), 15),
     FileOp("extended", "", detail="made-up@example.com")),
    (pkt(sftp.STAT, s("/etc/shadow"), 16), None),
    (pkt(sftp.OPENDIR, s("/root"), 17), None),
    (pkt(sftp.REALPATH, s("."), 18), None),
    (pkt(99, b"", 19), FileOp("extended", "", detail="type 99")),
]


@pytest.mark.parametrize(("raw", "op"), CASES)
def test_each_request_yields_its_operation(raw, op):
    (packet,) = SftpStream().client_data(raw)
    assert packet.raw == raw
    assert packet.op == op


def test_stream_in_one_write_and_byte_by_byte_agree():
    stream = b"".join(raw for raw, _ in CASES)
    whole = SftpStream().client_data(stream)
    parser = SftpStream()
    pieces = [p for i in range(len(stream)) for p in parser.client_data(stream[i:i + 1])]
    assert [(p.raw, p.op) for p in pieces] == [(p.raw, p.op) for p in whole]
    assert [p.op for p in whole] == [op for _, op in CASES]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=64), max_size=40))
def test_any_chunking_gives_the_same_packets(cuts):
    stream = b"".join(raw for raw, _ in CASES)
    parser, out, pos = SftpStream(), [], 0
    for n in cuts:
        out += parser.client_data(stream[pos:pos + n])
        pos += n
    out += parser.client_data(stream[pos:])
    assert b"".join(p.raw for p in out) == stream


@pytest.mark.parametrize("length", [0, sftp.MAX_PACKET + 1, 2**32 - 1])
def test_out_of_range_length_is_a_protocol_error(length):
    with pytest.raises(SftpProtocolError):
        SftpStream().client_data(struct.pack(">I", length) + b"\x03")


def test_truncated_body_is_a_protocol_error():
    # a REMOVE whose path length runs past the packet
    with pytest.raises(SftpProtocolError):
        SftpStream().client_data(pkt(sftp.REMOVE, struct.pack(">I", 50) + b"x", 1))


def test_fsetstat_is_decided_by_the_handle_path_and_bytes_are_counted():
    st_ = SftpStream()
    st_.client_data(pkt(sftp.OPEN, s("/srv/f") + struct.pack(">I", sftp.FXF_WRITE)
                        + ATTRS_NONE, 1))
    st_.server_data(pkt(sftp.HANDLE, s(b"H1"), 1))
    # truncating a handle opened (and decided) for writing is part of that write
    (p,) = st_.client_data(pkt(sftp.FSETSTAT, s(b"H1") + ATTRS_SIZE, 2))
    assert p.op == FileOp("setstat", "/srv/f")
    st_.client_data(pkt(sftp.OPEN, s("/srv/r") + struct.pack(">I", sftp.FXF_READ)
                        + ATTRS_NONE, 9))
    st_.server_data(pkt(sftp.HANDLE, s(b"R1"), 9))
    (p,) = st_.client_data(pkt(sftp.FSETSTAT, s(b"R1") + ATTRS_SIZE, 10))
    assert p.op == FileOp("setstat", "/srv/r", detail="size")
    st_.client_data(pkt(sftp.WRITE, s(b"H1") + struct.pack(">Q", 0) + s(b"x" * 1000), 3))
    st_.client_data(pkt(sftp.READ, s(b"H1") + struct.pack(">QI", 0, 4096), 4))
    reply = pkt(sftp.DATA, s(b"y" * 300), 4)
    for i in range(len(reply)):  # replies split anywhere
        st_.server_data(reply[i:i + 1])
    assert st_.closed == []
    st_.client_data(pkt(sftp.CLOSE, s(b"H1"), 5))
    assert st_.closed == [sftp.Closed("/srv/f", "write", 300, 1000)]


def test_unknown_handle_setstat_has_no_path():
    (p,) = SftpStream().client_data(pkt(sftp.FSETSTAT, s(b"nope") + ATTRS_NONE, 1))
    assert p.op == FileOp("setstat", "")


def test_status_packet_is_a_well_formed_permission_error():
    raw = status_packet(7, "sshgate: denied: x")
    (n,) = struct.unpack(">I", raw[:4])
    assert n == len(raw) - 4 and raw[4] == sftp.STATUS
    rid, code, mlen = struct.unpack(">III", raw[5:17])
    assert (rid, code) == (7, sftp.FX_PERMISSION_DENIED)
    assert raw[17:17 + mlen] == b"sshgate: denied: x"


def test_tracking_tables_are_bounded():
    st_ = SftpStream()
    for i in range(sftp.MAX_TRACKED + 100):
        st_.client_data(pkt(sftp.READ, s(b"H") + struct.pack(">QI", 0, 1), i))
    assert len(st_._reading) == sftp.MAX_TRACKED


def name_reply(rid: int, *names: str) -> bytes:
    body = struct.pack(">I", len(names)) + b"".join(s(n) + s(n) + ATTRS_NONE for n in names)
    return pkt(sftp.NAME, body, rid)


def test_home_is_learnt_from_the_servers_answer_to_realpath_dot():
    st_ = SftpStream()
    st_.client_data(pkt(sftp.REALPATH, s("/etc"), 1))  # not ".": says nothing about home
    st_.server_data(name_reply(1, "/etc"))
    assert st_.home is None
    st_.client_data(pkt(sftp.REALPATH, s("."), 2))
    reply = name_reply(2, "/home/deploy")
    for i in range(len(reply)):
        st_.server_data(reply[i:i + 1])
    assert st_.home == "/home/deploy"
    st_.client_data(pkt(sftp.REALPATH, s("."), 3))  # the first answer stays
    st_.server_data(name_reply(3, "/home/other"))
    assert st_.home == "/home/deploy"


@pytest.mark.parametrize("home", ["/", "/etc", "relative"])
def test_a_home_that_would_hide_system_paths_is_not_used(home):
    st_ = SftpStream()
    st_.client_data(pkt(sftp.REALPATH, s("."), 1))
    st_.server_data(name_reply(1, home))
    assert st_.home is None


def _upload(chunks: list[tuple[int, bytes]], keep: bool = True):
    st_ = SftpStream()
    st_.client_data(pkt(sftp.OPEN, s("m.py") + struct.pack(">I", sftp.FXF_WRITE) + ATTRS_NONE,
                        1))
    if keep:
        st_.keep_writes(1)
    st_.server_data(pkt(sftp.HANDLE, s(b"h1"), 1))
    for i, (offset, data) in enumerate(chunks):
        st_.client_data(pkt(sftp.WRITE, s(b"h1") + struct.pack(">Q", offset) + s(data), 2 + i))
    st_.client_data(pkt(sftp.CLOSE, s(b"h1"), 99))
    [closed] = st_.closed
    return closed


def test_writes_are_kept_in_order_only_when_asked():
    c = _upload([(0, b"abc"), (3, b"def")])
    assert (c.kept, c.data, c.written) == (True, b"abcdef", 6)
    assert _upload([(0, b"abc"), (3, b"def")], keep=False).data is None
    # a gap, an overlap or a rewrite: nothing the gateway could vouch for
    assert _upload([(0, b"abc"), (4, b"def")]).data is None
    assert _upload([(0, b"abc"), (0, b"xyz")]).data is None
    assert _upload([(0, b"abc"), (3, b"def"), (1, b"x")]).data is None


def test_relative_paths_are_made_absolute_once_the_server_said_where_it_is():
    st_ = SftpStream()
    assert st_.absolute("m.py") is None and st_.absolute("/a/../b") == "/b"
    st_.client_data(pkt(sftp.REALPATH, s("."), 1))
    st_.server_data(pkt(sftp.NAME, struct.pack(">I", 1) + s("/home/u") + s("") + ATTRS_NONE, 1))
    assert st_.absolute("x/../m.py") == "/home/u/m.py"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_replies_after_a_skipped_data_body_are_still_read(cuts):
    st_ = SftpStream()
    st_.client_data(pkt(sftp.OPEN, s("/srv/r") + struct.pack(">I", sftp.FXF_READ)
                        + ATTRS_NONE, 1))
    st_.client_data(pkt(sftp.OPEN, s("/srv/w") + struct.pack(">I", sftp.FXF_WRITE)
                        + ATTRS_NONE, 2))
    replies = pkt(sftp.HANDLE, s(b"R1"), 1)
    st_.server_data(replies)
    st_.client_data(pkt(sftp.READ, s(b"R1") + struct.pack(">QI", 0, 4096), 3))
    stream = pkt(sftp.DATA, s(b"y" * 300), 3) + pkt(sftp.HANDLE, s(b"W1"), 2)
    edges = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    for a, b in zip(edges, edges[1:], strict=False):
        st_.server_data(stream[a:b])
    st_.client_data(pkt(sftp.CLOSE, s(b"R1"), 4) + pkt(sftp.CLOSE, s(b"W1"), 5))
    assert st_.closed == [sftp.Closed("/srv/r", "read", 300, 0),
                          sftp.Closed("/srv/w", "write", 0, 0)]
