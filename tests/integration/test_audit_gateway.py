"""The gateway's audit log against someone who can write the file (issue #17, item 3)."""

from __future__ import annotations

import json
import subprocess

from sshgate.audit import GENESIS, HEAD, NAMESPACE, line_hash

from .conftest import audit, cli, marker
from .test_approvals import hold, wait_pending


def denied_session(lab, tmp_path) -> None:
    """An agent asks for rm -rf, a reviewer denies it; then the gateway stops cleanly."""
    precious = marker(tmp_path)
    p = hold(lab, f"rm -rf {precious}")
    [req] = wait_pending(lab)
    assert cli(lab, "deny", req["id"], "--reason", "no").returncode == 0
    p.communicate(timeout=30)
    assert p.returncode == 77
    lab.gateway.stop()


def test_ssh_keygen_verifies_the_gateways_audit_head(lab, tmp_path):
    denied_session(lab, tmp_path)
    raw = lab.audit_path.read_bytes().splitlines()
    final = json.loads(raw[-1])
    assert final["event"] == HEAD and final["final"] is True and final["lines"] == len(raw) - 1
    sig = tmp_path / "head.sig"
    sig.write_text(final["sig"])
    pub = (lab.directory / "gw/keys/audit.pub").read_text()
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"sshgate {pub}")
    r = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "sshgate",
                        "-n", NAMESPACE, "-s", str(sig)],
                       input=b"".join(x + b"\n" for x in raw[:-1]), capture_output=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    assert b"Good" in r.stdout
    # the host key does not sign the audit log, nor the recordings any more
    host = (lab.directory / "gw/keys/host.pub").read_text().split()[1]
    assert host not in pub
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 0, v.stdout + v.stderr
    seal = json.loads(next(lab.recordings.glob("*.seal")).read_text())
    assert seal["key"] != json.loads(raw[-1])["key"]


def rehash(lines: list[bytes]) -> bytes:
    prev, out = GENESIS, []
    for raw in lines:
        rec = json.loads(raw)
        rec["prev"] = prev
        line = json.dumps(rec, separators=(",", ":")).encode()
        out.append(line)
        prev = line_hash(line)
    return b"\n".join(out) + b"\n"


def test_the_issues_rehash_attack_fails_verify_naming_the_line(lab, tmp_path):
    denied_session(lab, tmp_path)
    raw = lab.audit_path.read_bytes().splitlines()
    decision = next(i for i, x in enumerate(raw, 1) if b'"command.decision"' in x)
    # the reviewer's "no" disappears and the decision now reads allow: ten lines of Python
    edited = [x.replace(b'"decision":"approve"', b'"decision":"allow"') for x in raw
              if b'"event":"approval.' not in x]
    lab.audit_path.write_bytes(rehash(edited))
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 1
    assert "hash chain" not in v.stdout  # the chain itself is consistent again
    assert f"line {decision}: rewritten" in v.stdout, v.stdout


def test_truncation_after_the_last_signed_head_fails_verify(lab, tmp_path):
    denied_session(lab, tmp_path)
    raw = lab.audit_path.read_bytes().splitlines()
    heads = [i for i, x in enumerate(raw, 1) if json.loads(x)["event"] == HEAD]
    keep = heads[-2] + 1  # a periodic head and one line after it; the stop head is gone
    assert keep < len(raw)
    lab.audit_path.write_bytes(b"".join(x + b"\n" for x in raw[:keep]))
    v = cli(lab, "recordings", "verify", "--all", "--json")
    assert v.returncode == 1
    report = json.loads(v.stdout)
    assert any(p.startswith(f"line {heads[-2] + 1}: ") and "cut off" in p
               for p in report["audit"]), report["audit"]


def test_verify_while_the_gateway_runs_notes_the_unsigned_tail(lab):
    assert lab.ssh("echo hi").returncode == 0
    v = cli(lab, "recordings", "verify", "--all", "--json")
    report = json.loads(v.stdout)
    assert report["audit"] == [], report
    assert v.returncode == 0 or any(not r["ok"] for r in report["recordings"])
    assert any("is running" in n for n in report["audit_notes"]) or \
        json.loads(lab.audit_path.read_bytes().splitlines()[-1])["event"] == HEAD
    assert any(e["event"] == HEAD for e in audit(lab))


def test_an_old_setup_gets_its_keys_at_first_serve(make_lab):
    lab = make_lab()
    lab.gateway.stop()
    # what a gateway from before signed audit logs left: no heads, no audit/recording keys
    legacy = [x for x in lab.audit_path.read_bytes().splitlines()
              if json.loads(x)["event"] != HEAD]
    # a new file renamed over the log: a write the stopped gateway still had in flight lands
    # in the old file, never at offset 0 of the rewritten one (truncate, then write, raced)
    fresh = lab.audit_path.with_suffix(".legacy")
    fresh.write_bytes(rehash(legacy))
    fresh.replace(lab.audit_path)
    keys = lab.directory / "gw/keys"
    for name in ("audit", "audit.pub", "recording", "recording.pub"):
        (keys / name).unlink()
    cfg = lab.config.read_text()
    lab.config.write_text("".join(x for x in cfg.splitlines(keepends=True)
                                  if not x.startswith(("audit_key", "recording_key"))))
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 1 and "start 'sshgate serve' once" in " ".join(v.stdout.split())
    lab.gateway.proc = None
    lab.gateway.start()
    assert (keys / "audit").stat().st_mode & 0o077 == 0
    assert (keys / "recording").exists()
    assert any(e["event"] == "keys.created" for e in audit(lab))
    assert lab.ssh("echo hi").returncode == 0
    lab.gateway.stop()
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 0, v.stdout
    assert f"lines 1..{len(legacy)} predate audit signing" in " ".join(v.stdout.split())
