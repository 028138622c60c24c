"""Writer/reader round trips, seals and tamper detection, and escape-sequence neutralising."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time

import asyncssh
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate import sshsig
from sshgate.recording import appender, reader, writer
from sshgate.recording.replay import to_text
from sshgate.recording.writer import (
    MAX_EVENT,
    NAMESPACE,
    CastWriter,
    _coalesce,
    seal_paths,
)

KEY = asyncssh.generate_private_key("ssh-ed25519")
PUB = asyncssh.import_public_key(KEY.export_public_key())


def write(tmp_path, chunks, name="s1", seal=True, gap=False):
    """A recording of ``chunks``; with ``gap``, each in its own recorder batch."""
    w = CastWriter(tmp_path / f"{name}.cast", width=80, height=24, title="t",
                   sshgate={"session": name, "identity": "bot", "mode": "exec"})
    w.marker("cmd", decision="allow")
    for c in chunks:
        w.output(c)
        if gap:
            time.sleep(0.05)
    w.stderr(b"oops\n")
    w.exit(3)
    s = w.close(KEY if seal else None, "session closed")
    return tmp_path / f"{name}.cast", s


@given(st.lists(st.one_of(st.binary(max_size=200), st.text(max_size=100).map(str.encode)),
                max_size=20))
def test_output_bytes_round_trip_exactly(tmp_path_factory, chunks):
    path, _ = write(tmp_path_factory.mktemp("r"), chunks)
    rec = reader.parse(path)
    assert b"".join(e.raw for e in rec.events if e.stream == "o") == b"".join(chunks)
    for line in path.read_bytes().splitlines():
        json.loads(line)  # every line stays valid JSON


def test_split_multibyte_characters_are_joined(tmp_path):
    path, _ = write(tmp_path, [b"caf\xc3", b"\xa9"], gap=True)
    rec = reader.parse(path)
    assert [e.data for e in rec.events if e.code == "o"] == ["caf", "é"]  # never half a char


def test_coalesce_merges_only_adjacent_chunks_of_one_kind():
    items = [(0.1, "o", b"a"), (0.2, "o", b"b"), (0.3, "e", b"c"), (0.4, "e", b"d"),
             (0.5, "m", "cmd"), (0.6, "o", b"e"), (0.7, "i", b"f"), (0.8, "o", b"g")]
    assert _coalesce(items) == [(0.1, "o", b"ab"), (0.3, "e", b"cd"), (0.5, "m", "cmd"),
                                (0.6, "o", b"e"), (0.7, "i", b"f"), (0.8, "o", b"g")]
    big = [(0.0, "o", bytes(MAX_EVENT // 2 + 1))] * 3
    assert [len(d) for _, _, d in _coalesce(big)] == [MAX_EVENT // 2 + 1] * 3
    assert _coalesce([]) == []


def test_binary_chunks_are_stored_compactly(tmp_path):
    blob = bytes(100_000)
    path, _ = write(tmp_path, [blob, b"text\n"], gap=True)
    rec = reader.parse(path)
    assert [e.code for e in rec.events if e.stream == "o"] == ["ob", "o"]
    assert rec.output(stderr=False) == blob + b"text\n"
    assert path.stat().st_size < 140_000


def test_random_bytes_are_binary_too(tmp_path):
    # compressed or encrypted data: few control bytes, but mostly not UTF-8
    blob = os.urandom(300_000)
    path, _ = write(tmp_path, [blob, "naïve\n".encode()], gap=True)
    rec = reader.parse(path)
    assert [e.code for e in rec.events if e.stream == "o"] == ["ob", "o"]
    assert rec.output(stderr=False) == blob + "naïve\n".encode()
    assert path.stat().st_size < 420_000


def test_timeline_and_exit(tmp_path):
    path, _ = write(tmp_path, [b"hi\n"])
    [c] = reader.parse(path).commands()
    assert c["label"] == "cmd" and c["decision"] == "allow" and c["exit"]["status"] == 3


def test_good_seal_verifies_with_sshgate_and_ssh_keygen(tmp_path):
    path, seal = write(tmp_path, [b"hello\n"])
    v = reader.verify(path, PUB, {"s1": seal.sha256})
    assert v.ok, v.problems
    allowed = tmp_path / "allowed"
    allowed.write_text("sshgate " + KEY.export_public_key().decode())
    r = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "sshgate",
                        "-n", NAMESPACE, "-s", str(seal_paths(path)[0])],
                       input=path.read_bytes(), capture_output=True)
    assert r.returncode == 0, r.stderr


def tamper_edit(path):
    data = bytearray(path.read_bytes())
    i = data.index(b"hello")
    data[i] = ord("j")
    path.write_bytes(bytes(data))


def tamper_delete_line(path):
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2] + lines[3:]))


def tamper_truncate(path):
    path.write_bytes(path.read_bytes()[:-10])


@pytest.mark.parametrize("tamper,expect", [
    (tamper_edit, "edited"), (tamper_delete_line, "truncated"), (tamper_truncate, "truncated"),
])
def test_tampering_is_detected(tmp_path, tamper, expect):
    path, seal = write(tmp_path, [b"hello\n"])
    tamper(path)
    v = reader.verify(path, PUB, {"s1": seal.sha256})
    assert not v.ok and v.status == "tampered"
    assert any(expect in p for p in v.problems), v.problems
    assert any("signature" in p for p in v.problems)


def test_swapped_seal_is_detected(tmp_path):
    a, sa = write(tmp_path, [b"hello\n"], "a")
    b, sb = write(tmp_path, [b"other\n"], "b")
    for src, dst in zip(seal_paths(b), seal_paths(a), strict=True):
        dst.write_bytes(src.read_bytes())
    v = reader.verify(a, PUB, {"a": sa.sha256, "b": sb.sha256})
    assert not v.ok and any("audit log" in p for p in v.problems)
    # even with a forged audit entry the content no longer matches the seal
    v2 = reader.verify(a, PUB, {"a": sb.sha256})
    assert not v2.ok and any("edited" in p for p in v2.problems)


def test_a_genuine_recording_copied_under_another_id_is_detected(tmp_path):
    """Seal and signature cover the bytes, not the file name: a genuine recording (with its
    seal files) copied to another id would pass as a session that never was, unless the
    id its header names is checked against the name."""
    a, _ = write(tmp_path, [b"hello\n"], "a1")
    copy = tmp_path / "b2.cast"
    copy.write_bytes(a.read_bytes())
    for src, dst in zip(seal_paths(a), seal_paths(copy), strict=True):
        dst.write_bytes(src.read_bytes())
    v = reader.verify(copy, PUB)
    assert not v.ok and v.status == "tampered"
    assert any("names session a1" in p for p in v.problems), v.problems
    assert reader.verify(a, PUB).ok


def test_signature_by_another_key_is_detected(tmp_path):
    path, seal = write(tmp_path, [b"hello\n"])
    other = asyncssh.generate_private_key("ssh-ed25519")
    seal_paths(path)[0].write_text(sshsig.sign(path.read_bytes(), other, NAMESPACE))
    v = reader.verify(path, PUB, {"s1": seal.sha256})
    assert any("different key" in p for p in v.problems)


def test_unsealed_and_torn_recording(tmp_path):
    w = CastWriter(tmp_path / "c.cast", width=80, height=24, title="t", sshgate={})
    w.output(b"partial\n")
    w.close(None, "x")
    with (tmp_path / "c.cast").open("ab") as f:
        f.write(b'[1.0, "o", "cut')  # what a kill -9 mid-write leaves
    rec = reader.parse(tmp_path / "c.cast")
    assert rec.torn and rec.output() == b"partial\n"
    v = reader.verify(tmp_path / "c.cast", PUB, {})
    assert v.status == "unsealed" and "last line incomplete" in v.problems[0]


def test_a_recovered_seal_covers_every_byte_a_kill_left(tmp_path):
    from sshgate.recording.writer import seal_recovered

    w = CastWriter(tmp_path / "c.cast", width=80, height=24, title="t", sshgate={})
    w.output(b"partial\n")
    w.close(None, "x")
    with (tmp_path / "c.cast").open("ab") as f:
        f.write(b'[1.0, "o", "cut')  # what a kill -9 mid-write leaves
    seal = seal_recovered(tmp_path / "c.cast", KEY)
    assert seal.recovered and seal.size == (tmp_path / "c.cast").stat().st_size
    v = reader.verify(tmp_path / "c.cast", PUB, {"c": seal.sha256})
    assert (v.ok, v.status) == (True, "recovered"), v
    assert "killed mid-session" in v.notes[0] and "last line was cut" in v.notes[0]
    # sealed as it was: a byte changed, cut or added afterwards is found as ever
    data = (tmp_path / "c.cast").read_bytes()
    (tmp_path / "c.cast").write_bytes(data[:-1])
    assert reader.verify(tmp_path / "c.cast", PUB, {"c": seal.sha256}).status == "tampered"
    (tmp_path / "c.cast").write_bytes(data.replace(b"partial", b"PARTIAL"))
    v = reader.verify(tmp_path / "c.cast", PUB, {"c": seal.sha256})
    assert v.status == "tampered" and any("edited" in p for p in v.problems)


def test_missing_recording(tmp_path):
    v = reader.verify(tmp_path / "gone.cast", PUB, {})
    assert v.status == "missing" and not v.ok


def test_prefix_lookup(tmp_path):
    write(tmp_path, [], "abc1")
    write(tmp_path, [], "abd2")
    assert reader.find(tmp_path, "abc").name == "abc1.cast"
    with pytest.raises(LookupError, match="ambiguous"):
        reader.find(tmp_path, "ab")
    with pytest.raises(LookupError, match="no recording"):
        reader.find(tmp_path, "ff")


def test_text_export_renders_the_terminal(tmp_path):
    path, _ = write(tmp_path, [b"abc\rX\n", b"\x1b[31mred\x1b[0m\n"])
    assert to_text(reader.parse(path)).splitlines()[:2] == ["Xbc", "red"]


def test_write_failure_is_reported_and_nothing_more_is_recorded(tmp_path):
    failures: list[OSError] = []
    w = CastWriter(tmp_path / "f.cast", width=80, height=24, title="t",
                   sshgate={"session": "f"}, on_failure=failures.append)

    def disk_full(parts):
        raise OSError(28, "No space left on device")

    w._file.write = disk_full
    w.output(b"lost\n")
    deadline = time.monotonic() + 5
    while not failures and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [e.errno for e in failures] == [28]
    w.output(b"after\n")  # dropped: the session is being ended
    assert w.close(KEY, "session closed") is None  # unsealed
    assert not seal_paths(tmp_path / "f.cast")[0].exists()
    v = reader.verify(tmp_path / "f.cast", PUB, audit_failures={"f": "No space left"})
    assert v.status == "unsealed" and "recording failed (No space left)" in v.problems[0]


def test_backlog_and_drain_notification(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "LOW_WATER", 10_000)
    gate = threading.Event()
    w = CastWriter(tmp_path / "b.cast", width=80, height=24, title="t", sshgate={})
    real_write = w._file.write

    def slow(parts):
        gate.wait(10)
        real_write(parts)

    w._file.write = slow
    for _ in range(10):  # chunks above INLINE_MAX: always the writer thread's
        w.output(b"x" * 5000)
    assert w.backlog >= 45_000  # the first chunk may be in the writer's hands already
    drained = threading.Event()
    w.notify_when_drained(drained.set)
    assert not drained.is_set()
    gate.set()
    assert drained.wait(5) and w.backlog <= 10_000
    now = threading.Event()
    w.notify_when_drained(now.set)  # already drained: called at once
    assert now.is_set()
    w.close(None, "x")


def test_an_unexpected_error_in_the_recorder_is_a_failure_too(tmp_path):
    failures: list[Exception] = []
    w = CastWriter(tmp_path / "u.cast", width=80, height=24, title="t",
                   sshgate={"session": "u"}, on_failure=failures.append)

    def bug(t, code, data):
        raise ValueError("a bug")

    w._stream = bug
    w.output(b"x")
    deadline = time.monotonic() + 5
    while not failures and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [type(e) for e in failures] == [ValueError]
    assert w.close(KEY, "x") is None


def test_small_events_are_in_the_file_when_the_call_returns(tmp_path):
    # no thread wake-up between a command's marker (or a short output) and the disk
    w = CastWriter(tmp_path / "i.cast", width=80, height=24, title="t", sshgate={})
    w.marker("ls", decision="allow")
    assert b'"m", "{\\"label\\": \\"ls\\"' in (tmp_path / "i.cast").read_bytes()
    w.output(b"file-a\n")
    assert b'"o", "file-a\\n"' in (tmp_path / "i.cast").read_bytes()
    w.exit(0)
    assert b'"x"' in (tmp_path / "i.cast").read_bytes()
    assert w.close(KEY, "x") is not None


def _timeline(events) -> list[tuple[str, bytes]]:
    """(stream, bytes) with adjacent chunks of one stream joined."""
    out: list[tuple[str, bytes]] = []
    for stream, data in events:
        if out and out[-1][0] == stream and stream != "m":
            out[-1] = (stream, out[-1][1] + data)
        else:
            out.append((stream, data))
    return out


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("oim"), st.integers(1, 3 * writer.INLINE_MAX),
                          st.integers(0, 3)), min_size=1, max_size=25))
def test_order_is_kept_between_the_writer_thread_and_the_caller(tmp_path_factory, items):
    # small events are written by the caller and large ones by the writer thread, which is
    # slowed at random here: the file must still hold them in the order they were put
    path = tmp_path_factory.mktemp("o") / "o.cast"
    w = CastWriter(path, width=80, height=24, title="t", sshgate={})
    real_write = w._file.write
    delays = [d for _, _, d in items]

    def jittery(parts):
        if threading.current_thread() is w._thread and delays:
            time.sleep(delays.pop() / 1000)
        real_write(parts)

    w._file.write = jittery
    expected = []
    for n, (kind, size, _) in enumerate(items):
        if kind == "m":
            w.marker(f"cmd{n}")
            expected.append(("m", f"cmd{n}".encode()))
        else:
            data = bytes([65 + n % 26]) * size
            (w.output if kind == "o" else w.input)(data)
            expected.append((kind, data))
    assert w.close(KEY, "x") is not None
    got = [(e.stream, e.raw) if e.stream else (e.code, json.loads(e.data)["label"].encode())
           for e in reader.parse(path).events if e.stream or e.code == "m"]
    assert _timeline(got) == _timeline(expected)


def test_the_caller_never_writes_a_block_to_the_device(tmp_path, monkeypatch):
    # an O_DIRECT block write waits for the disk: only the writer thread may do it, so the
    # relay's event loop never stalls on the device
    monkeypatch.setattr(appender, "BLOCK", 4096)
    w = CastWriter(tmp_path / "d.cast", width=80, height=24, title="t", sshgate={})
    assert w._file.direct
    writers = []
    real_block = w._file._write_block

    def block():
        writers.append(threading.current_thread())
        real_block()

    w._file._write_block = block
    sent = b""
    for n in range(120):
        chunk = bytes([97 + n % 26]) * (50 + n * 7 % 400) + b"\n"
        w.output(chunk)
        sent += chunk
        if n % 10 == 0:
            w.marker(f"cmd{n}")
        time.sleep(0.001)
    assert w.close(KEY, "x") is not None
    assert len(writers) >= 3 and set(writers) == {w._thread}
    assert reader.parse(tmp_path / "d.cast").output() == sent


def test_a_tab_in_a_command_round_trips_in_its_marker(tmp_path):
    w = CastWriter(tmp_path / "t.cast", width=80, height=24, title="t", sshgate={})
    w.marker("id -un\t; uname -s", decision="allow", rules=["a\tb"])
    w.marker("bad \udcff\x1b[2K", decision="deny")
    w.close(KEY, "x")
    rec = reader.parse(tmp_path / "t.cast")
    assert rec.meta["format"] == 2
    assert [(c["label"], c["decision"]) for c in rec.commands()] == [
        ("id -un\t; uname -s", "allow"), ("bad \udcff\x1b[2K", "deny")]
    assert rec.commands()[0]["rules"] == ["a\tb"]
    # still an asciicast marker: code "m", a string (asciinema lists it as is)
    [m, _] = [e for e in rec.events if e.code == "m"]
    assert isinstance(m.data, str) and json.loads(m.data)["label"] == "id -un\t; uname -s"


def test_recordings_of_format_1_keep_their_tab_separated_markers(tmp_path):
    header = {"version": 2, "width": 80, "height": 24, "sshgate": {"format": 1}}
    lines = [json.dumps(header), json.dumps([0.1, "m", 'ls\t{"decision": "allow"}']),
             json.dumps([0.2, "x", '{"status": 0, "signal": null}']),
             json.dumps([0.3, "m", "reboot"]), json.dumps([0.4, "m", "odd\tnot json"])]
    (tmp_path / "old.cast").write_text("\n".join(lines) + "\n")
    at = [{"requested": t, "decided": t, "waited": 0.0} for t in (0.1, 0.3, 0.4)]
    assert reader.parse(tmp_path / "old.cast").commands() == [
        {"time": 0.1, "label": "ls", "decision": "allow", "exit": {"status": 0, "signal": None},
         **at[0]},
        {"time": 0.3, "label": "reboot", **at[1]},
        {"time": 0.4, "label": "odd", "meta": "not json", **at[2]}]
    # no format at all (the first recordings) reads as format 1 too
    del header["sshgate"]
    lines[0] = json.dumps(header)
    (tmp_path / "older.cast").write_text("\n".join(lines) + "\n")
    assert reader.parse(tmp_path / "older.cast").commands()[0]["decision"] == "allow"


def test_unique_prefixes_are_at_least_8_and_unambiguous():
    from sshgate.recording.reader import unique_prefixes

    ids = ["0123456789abcdef", "0123456799abcdef", "fedcba9876543210", "abcd"]
    short = unique_prefixes(ids)
    assert short["fedcba9876543210"] == "fedcba98"
    assert short["0123456789abcdef"] == "012345678" and short["0123456799abcdef"] == "012345679"
    assert short["abcd"] == "abcd"
    for rid, p in short.items():
        assert [i for i in ids if i.startswith(p)] == [rid]
