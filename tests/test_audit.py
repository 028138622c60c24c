"""The audit log: hash chain, signed heads, and what an editor of the file cannot hide."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import asyncssh
import pytest

from sshgate.audit import GENESIS, HEAD, NAMESPACE, AuditLog, line_hash, verify_chain, verify_log

KEY = asyncssh.generate_private_key("ssh-ed25519", comment="audit")
PUB = asyncssh.import_public_key(KEY.export_public_key())


def write_session(path: Path, *, sign_every: int = 100, stop: bool = True) -> AuditLog:
    log = AuditLog(path, KEY, sign_every=sign_every)
    log.write("gateway.start", pid=1)
    log.write("session.start", session="s1", identity="bot")
    log.write("command.decision", session="s1", command="rm -rf /srv/data",
              decision="approve")
    log.write("approval.requested", session="s1", request="r1")
    log.write("approval.decided", session="s1", request="r1", reviewer="alice",
              decision="approved")
    log.write("recording.sealed", recording="s1", sha256="ab" * 32)
    log.write("session.end", session="s1")
    if stop:
        log.write("gateway.stop")
        log.close()
    return log


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def rehash(lines: list[bytes]) -> bytes:
    """The attack of issue #17: edit, drop lines, then recompute every ``prev``."""
    prev = GENESIS
    out = []
    for raw in lines:
        rec = json.loads(raw)
        rec["prev"] = prev
        line = json.dumps(rec, separators=(",", ":")).encode()
        out.append(line)
        prev = line_hash(line)
    return b"\n".join(out) + b"\n"


def problems(path: Path) -> list[str]:
    return [str(p) for p in verify_log(path, PUB).problems]


def test_a_cleanly_stopped_log_verifies(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    report = verify_log(path, PUB)
    assert report.ok, report.problems
    recs = [json.loads(x) for x in lines_of(path)]
    assert recs[-1]["event"] == HEAD and recs[-1]["final"] is True
    assert report.signed_through == len(recs) - 1
    # signed at start, after the seal and at close
    assert [r.get("final") for r in recs if r["event"] == HEAD] == [False, False, True]


def test_ssh_keygen_accepts_a_head_signature(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    raw = lines_of(path)
    n, head = next((i, json.loads(x)) for i, x in enumerate(raw, 1)
                   if json.loads(x)["event"] == HEAD and json.loads(x)["lines"] > 3)
    assert head["lines"] == n - 1
    (tmp_path / "head.sig").write_text(head["sig"])
    (tmp_path / "allowed").write_text(f"sshgate {KEY.export_public_key().decode()}")
    prefix = b"".join(x + b"\n" for x in raw[:n - 1])
    r = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed"),
                        "-I", "sshgate", "-n", NAMESPACE, "-s", str(tmp_path / "head.sig")],
                       input=prefix, capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed"),
                        "-I", "sshgate", "-n", NAMESPACE, "-s", str(tmp_path / "head.sig")],
                       input=prefix.replace(b"approve", b"allow"), capture_output=True,
                       timeout=30)
    assert r.returncode != 0


def test_rewrite_and_rehash_passes_the_chain_but_not_the_signature(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    raw = lines_of(path)
    target = next(i for i, x in enumerate(raw, 1) if b"command.decision" in x)
    edited = [x.replace(b'"decision":"approve"', b'"decision":"allow"') for x in raw]
    path.write_bytes(rehash(edited))
    assert verify_chain(path) == []  # the unkeyed chain alone is fooled
    found = problems(path)
    assert found and found[0].startswith(f"line {target}: rewritten: "), found


def test_deleted_approval_lines_are_named(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    raw = lines_of(path)
    first = next(i for i, x in enumerate(raw, 1) if b"approval." in x)
    kept = [x for x in raw if b'"event":"approval.' not in x]
    path.write_bytes(rehash(kept))
    assert verify_chain(path) == []
    found = problems(path)
    assert any(p.startswith(f"line {first}: ") for p in found), found
    assert any("deleted" in p for p in found), found


def test_plain_deletion_breaks_chain_and_head(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    raw = lines_of(path)
    del raw[3]
    path.write_bytes(b"\n".join(raw) + b"\n")
    found = problems(path)
    assert found[0].startswith("line 4: "), found


@pytest.mark.parametrize("cut", ["stop head", "mid head", "mid line"])
def test_truncation_after_the_last_signed_head_is_reported(tmp_path, cut):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    raw = lines_of(path)
    heads = [i for i, x in enumerate(raw, 1) if json.loads(x)["event"] == HEAD]
    keep = {"stop head": len(raw) - 1, "mid head": heads[1], "mid line": heads[1] + 1}[cut]
    path.write_bytes(b"".join(x + b"\n" for x in raw[:keep]))
    assert verify_chain(path) == []
    found = problems(path)
    assert len(found) == 1, found
    line = keep if cut == "mid head" else heads[-2] + 1 if cut == "stop head" else heads[1] + 1
    assert found[0].startswith(f"line {line}: "), found
    assert "cut off" in found[0]
    # a gateway holding the state dir is still writing: the unsigned tail is only a note
    if cut != "stop head":
        assert verify_log(path, PUB, running_pid=123).ok


def test_lines_appended_after_the_stop_head(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path)
    n = len(lines_of(path))
    with path.open("ab") as f:
        f.write(json.dumps({"event": "command.decision", "prev": line_hash(lines_of(path)[-1])})
                .encode() + b"\n")
    found = problems(path)
    assert found == [found[0]] and found[0].startswith(f"line {n + 1}: "), found


def test_a_head_signed_by_another_key_is_refused(tmp_path):
    path = tmp_path / "audit.jsonl"
    other = asyncssh.generate_private_key("ssh-ed25519")
    log = AuditLog(path, other)
    log.write("gateway.start")
    log.close()
    found = problems(path)
    assert found and all("different key" in p for p in found), found


def test_heads_at_least_every_n_events(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, KEY, sign_every=5)
    for i in range(23):
        log.write("command.decision", n=i)
    recs = [json.loads(x) for x in lines_of(path)]
    gaps, run = [], 0
    for r in recs:
        if r["event"] == HEAD:
            gaps.append(run)
            run = 0
        else:
            run += 1
    assert gaps == [5, 5, 5, 5] and run == 3
    assert verify_log(path, PUB, running_pid=0).ok
    log.close()
    assert verify_log(path, PUB).ok


def test_a_crashed_run_is_signed_at_the_next_start_with_a_note(tmp_path):
    path = tmp_path / "audit.jsonl"
    write_session(path, stop=False)  # killed: no stop head, last lines unsigned
    assert not verify_log(path, PUB).ok
    with path.open("ab") as f:
        f.write(b'{"ts":"x","event":"torn')  # and a torn last line
    log = AuditLog(path, KEY)
    log.write("gateway.start")
    log.close()
    report = verify_log(path, PUB)
    assert report.ok, report.problems
    assert any("did not stop cleanly" in n for n in report.notes)


def test_unsigned_log_is_not_ok(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.write("gateway.start")
    log.close()
    assert verify_chain(path) == []
    assert "no signed head" in problems(path)[0]
