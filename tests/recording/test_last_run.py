"""recording/recovery.last_run_sessions: which sessions the gateway's last run started, read
from the end of its own audit log (what a gateway without a database seals at its start)."""

from __future__ import annotations

import json

import pytest

from sshgate.recording import recovery


def write(path, events):
    path.write_text("".join(json.dumps({"ts": "t", **e}, separators=(",", ":")) + "\n"
                            for e in events))


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_sessions_after_the_last_gateway_start(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(recovery, "_CHUNK", chunk)  # lines cut across reads
    log = tmp_path / "audit.jsonl"
    write(log, [{"event": "session.start", "session": "0" * 16},
                {"event": "gateway.start", "pid": 1},
                {"event": "session.start", "session": "1" * 16},
                {"event": "command.decision", "session": "2" * 16,
                 "command": 'x {"event":"session.start","session":"' + "3" * 16 + '"}'},
                {"event": "session.start", "session": "4" * 16},
                {"event": "session.start", "session": "../../etc/passwd"},
                {"event": "session.start", "session": 5},
                {"event": "session.end", "session": "1" * 16}])
    # agent text inside a field is never read as an event; ids that are not ids are dropped
    assert recovery.last_run_sessions(log) == ["1" * 16, "4" * 16]


def test_a_log_that_never_started_a_gateway_and_no_log(tmp_path):
    log = tmp_path / "audit.jsonl"
    assert recovery.last_run_sessions(log) == []
    write(log, [{"event": "session.start", "session": "a" * 16}])
    assert recovery.last_run_sessions(log) == ["a" * 16]
    log.write_bytes(log.read_bytes() + b'{"event":"session.start","sess')  # a torn last line
    assert recovery.last_run_sessions(log) == ["a" * 16]
