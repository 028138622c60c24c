"""`sshgate init` for a real host: names, host keys, approvers, control group, next steps."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sshgate.certs import create_key, public_key_line
from sshgate.cli.main import cli
from sshgate.scaffold import SYSTEM_HOST_KEY, InitError, parse_host_keys

ROOT = Path(__file__).resolve().parents[2]


def init(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw"), *args])


def policy_of(tmp_path: Path) -> dict:
    return yaml.safe_load((tmp_path / "gw/policies/example.yaml").read_text())


def test_remote_target_is_named_and_never_pinned_with_a_local_key(tmp_path):
    r = init(tmp_path, "--target-name", "web-1", "--target-host", "10.0.0.5", "--login",
             "deploy", "--approver", os.environ.get("USER", "root"))
    assert r.exit_code == 0, r.output
    pol = policy_of(tmp_path)
    t = pol["targets"][0]
    assert (t["name"], t["host"], t["port"]) == ("web-1", "10.0.0.5", 22)
    assert t["host_key"] == ""  # not pinned: policy check must fail until it is
    own = [(tmp_path / "gw/keys/host.pub").read_text().split()[1]]
    if SYSTEM_HOST_KEY.exists():
        own.append(SYSTEM_HOST_KEY.read_text().split()[1])
    text = (tmp_path / "gw/policies/example.yaml").read_text()
    assert not any(k in text for k in own)
    assert pol["grants"][0]["targets"] == ["web-1"] and pol["grants"][0]["logins"] == ["deploy"]
    assert "ssh-keyscan -p 22 -t ed25519 10.0.0.5" in r.output
    check = CliRunner().invoke(cli, ["policy", "check", "--config",
                                     str(tmp_path / "gw/sshgate.yaml")])
    assert check.exit_code == 1 and "host_key" in check.output
    assert "unknown target" not in check.output  # one error, no cascade


def test_host_key_from_keyscan_output_file_and_from_a_line(tmp_path):
    key = public_key_line(create_key(tmp_path / "tk", "target"))
    scan = tmp_path / "web-1.hostkey"
    scan.write_text(f"# 10.0.0.5:22 SSH-2.0-OpenSSH_9.2\n10.0.0.5 {key}\n")
    r = init(tmp_path, "--target-name", "web-1", "--target-host", "10.0.0.5",
             "--target-host-key", str(scan))
    assert r.exit_code == 0, r.output
    assert policy_of(tmp_path)["targets"][0]["host_key"] == [" ".join(key.split()[:2])]
    assert "pinned web-1 host key SHA256:" in r.output
    assert parse_host_keys(key) == (" ".join(key.split()[:2]),)
    with pytest.raises(InitError):
        parse_host_keys("10.0.0.5 ssh-ed25519 !!notbase64")
    missing = CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "g2"),
                                       "--target-host-key", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a readable file" in missing.output
    assert not (tmp_path / "g2").exists()


def test_generated_policy_holds_every_destructive_command(tmp_path):
    assert init(tmp_path, "--target-host-key",
                public_key_line(create_key(tmp_path / "k", "t"))).exit_code == 0
    pol = policy_of(tmp_path)
    assert pol["rules"] == []
    r = CliRunner().invoke(cli, ["classify", "--json", "--policy",
                                 str(tmp_path / "gw/policies"), "--identity",
                                 "example-agent", "rm -rf /tmp/x"])
    assert '"approve"' in r.output


def test_default_approver_is_the_invoking_user_and_no_group_is_needed(tmp_path, monkeypatch):
    monkeypatch.delenv("SUDO_USER", raising=False)
    import getpass

    r = init(tmp_path)
    assert r.exit_code == 0, r.output
    assert policy_of(tmp_path)["approvers"] == [getpass.getuser()]
    assert "control_group" not in yaml.safe_load((tmp_path / "gw/sshgate.yaml").read_text())


def test_next_steps_are_commands_that_work_when_pasted(tmp_path):
    """Every hint names --config and an absolute CLI path; the CA line is inline."""
    key = public_key_line(create_key(tmp_path / "k", "t"))
    r = subprocess.run([sys.executable, "-m", "sshgate", "init", "--dir", str(tmp_path / "gw"),
                        "--target-host-key", key], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "60"})
    assert r.returncode == 0, r.stderr
    hints = [line.strip() for line in r.stdout.split("Next:")[1].splitlines()
             if line.startswith("     ")]
    cli_hints = [h for h in hints if " sshgate " in f" {h} " or "-m sshgate" in h
                 or h.split()[0].endswith("/sshgate")]
    assert len(cli_hints) >= 3
    for h in cli_hints:
        assert "--config " + str(tmp_path / "gw/sshgate.yaml") in h, h
        assert os.path.isabs(shlex.split(h)[0]), h
    ca = (tmp_path / "gw/keys/ca.pub").read_text().split()[1]
    assert any(ca in h and "sshgate_ca.pub" in h for h in hints)
    assert not any(re.search(r"ca public-key\s*>", h) for h in hints)
    # not hard-wrapped at 60 columns: each command is on one line
    assert any(h.startswith("ssh -p 2222 -i ") and h.endswith(" uptime") for h in hints)
    # the CLI hints run as pasted
    check = [h for h in cli_hints if " policy check " in h][0]
    assert subprocess.run(check, shell=True, capture_output=True).returncode == 0


def test_scan_needs_a_terminal(tmp_path):
    r = init(tmp_path, "--target-host", "10.0.0.5", "--scan")
    assert r.exit_code == 2 and "needs a terminal" in r.output
    assert not (tmp_path / "gw").exists()


@pytest.mark.skipif(shutil.which("ssh-keyscan") is None, reason="ssh-keyscan not installed")
def test_scan_shows_fingerprint_and_pins_after_confirmation(tmp_path, monkeypatch):
    from sshgate.lab import SshdTarget, find_sshd

    if find_sshd() is None:
        pytest.skip("needs OpenSSH sshd")
    ca = public_key_line(create_key(tmp_path / "ca", "ca"))
    target = SshdTarget(tmp_path / "target", ca).start()
    try:
        from sshgate.cli import setup_cmds

        monkeypatch.setattr(setup_cmds, "_interactive", lambda: True)
        r = CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw"), "--target-host",
                                     "127.0.0.1", "--target-port", str(target.port),
                                     "--target-name", "t1", "--scan"], input="y\n")
        assert r.exit_code == 0, r.output
        from sshgate.scaffold import fingerprint

        assert fingerprint(target.host_key_line) in r.output
        assert policy_of(tmp_path)["targets"][0]["host_key"] == [
            " ".join(target.host_key_line.split()[:2])]
        no = CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "g2"), "--target-host",
                                      "127.0.0.1", "--target-port", str(target.port),
                                      "--scan"], input="n\n")
        assert no.exit_code == 1 and not (tmp_path / "g2").exists()
    finally:
        target.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="creating an OS group needs root")
def test_control_group_is_created_with_the_approvers_in_it(tmp_path):
    import secrets

    tag = secrets.token_hex(3)
    user, group = f"sgi{tag}", f"sgig{tag}"
    subprocess.run(["useradd", "--no-create-home", user], check=True, capture_output=True)
    try:
        r = init(tmp_path, "--approver", user, "--control-group", group)
        assert r.exit_code == 0, r.output
        groups = subprocess.run(["id", "-nG", user], capture_output=True, text=True).stdout
        assert group in groups.split()
        assert f"created OS group {group}" in r.output and f"added {user} to {group}" in r.output
        cfg = yaml.safe_load((tmp_path / "gw/sshgate.yaml").read_text())
        assert cfg["control_group"] == group
        assert policy_of(tmp_path)["approvers"] == [user]
    finally:
        subprocess.run(["userdel", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


def test_approver_that_is_not_you_defaults_to_a_control_group(tmp_path, monkeypatch):
    import sshgate.scaffold as scaffold

    calls = []
    monkeypatch.setattr(scaffold, "ensure_control_group",
                        lambda g, m: calls.append((g, m)) or ("noted",))
    r = init(tmp_path, "--approver", "someone-else")
    assert r.exit_code == 0, r.output
    assert calls == [("sshgate-approvers", ("someone-else",))]
    assert yaml.safe_load((tmp_path / "gw/sshgate.yaml").read_text())["control_group"] == \
        "sshgate-approvers"


def test_systemd_unit_is_valid():
    unit = ROOT / "contrib/sshgate.service"
    text = unit.read_text()
    assert "ExecStart=/usr/local/bin/sshgate serve --config /etc/sshgate/sshgate.yaml" in text
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    exe = Path(sys.executable).parent / "sshgate"
    local = Path(os.environ.get("TMPDIR", "/tmp")) / f"sshgate-{os.getpid()}.service"
    local.write_text(text.replace("/usr/local/bin/sshgate", str(exe)))
    try:
        r = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True,
                           text=True)
    finally:
        local.unlink()
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr
