"""CLI behaviour that needs no running gateway: init, ca, policy check, classify."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from click.testing import CliRunner

from sshgate.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def test_init_creates_setup_with_private_keys_0600_and_refuses_overwrite(tmp_path):
    r = CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw")])
    assert r.exit_code == 0, r.output
    for key in ("ca", "host", "agent"):
        mode = stat.S_IMODE((tmp_path / "gw/keys" / key).stat().st_mode)
        assert mode == 0o600, (key, oct(mode))
    assert (tmp_path / "gw/policies/example.yaml").exists()
    assert (tmp_path / "gw/recordings").is_dir()
    again = CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw")])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


def test_ca_public_key_and_policy_check(tmp_path):
    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    cfg = str(tmp_path / "sshgate.yaml")
    r = CliRunner().invoke(cli, ["ca", "public-key", "--config", cfg])
    assert r.exit_code == 0 and r.output.startswith("ssh-ed25519 ")
    assert r.output.split()[1] == (tmp_path / "keys/ca.pub").read_text().split()[1]
    ok = CliRunner().invoke(cli, ["policy", "check", "--config", cfg])
    assert ok.exit_code == 0 and "ok 1 file(s)" in ok.output


def test_policy_check_lists_every_error_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("identities:\n  - name: 'a b'\n    keys: ['nope']\ntargets:\n  - name: t\n")
    r = CliRunner().invoke(cli, ["policy", "check", str(bad)])
    assert r.exit_code == 1
    assert f"{bad}:2: identities[0].name:" in r.output
    assert f"{bad}:3: identities[0].keys[0]: malformed key" in r.output
    assert f"{bad}:5: targets[0].host: is required" in r.output
    assert "Traceback" not in r.output


def test_repository_example_policy_is_valid():
    r = CliRunner().invoke(cli, ["policy", "check", str(ROOT / "policies")])
    assert r.exit_code == 0, r.output


def test_classify_json_lines_from_stdin():
    r = CliRunner().invoke(cli, ["classify", "--json", "-"], input="ls\nrm -rf /\nrm -rf x\n")
    assert r.exit_code == 0
    out = [json.loads(line) for line in r.output.splitlines()]
    assert [o["decision"] for o in out] == ["allow", "deny", "approve"]
    assert out[1]["findings"][0]["rule"] == "fs.rm-root"
    assert set(out[1]["findings"][0]) >= {"rule", "why", "argv"}


def test_classify_with_policy_override(tmp_path):
    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    r = CliRunner().invoke(cli, ["classify", "--json", "--policy", str(tmp_path / "policies"),
                                 "--identity", "example-agent", "rm -rf /tmp/build"])
    assert json.loads(r.output)["decision"] == "allow"


def test_classify_bad_usage_exits_2():
    assert CliRunner().invoke(cli, ["classify"]).exit_code == 2


def test_classify_reads_the_deployed_policy(tmp_path, monkeypatch):
    """--config, $SSHGATE_CONFIG and ./sshgate.yaml all mean the gateway's own policies."""
    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw")])
    cfg = str(tmp_path / "gw" / "sshgate.yaml")
    args = ["classify", "--json", "--identity", "example-agent", "rm -rf /tmp/build"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SSHGATE_CONFIG", raising=False)
    bare = json.loads(CliRunner().invoke(cli, args).output)
    assert bare["decision"] == "approve"  # no config anywhere: the built-in rules alone
    assert json.loads(CliRunner().invoke(cli, [*args, "--config", cfg]).output)[
        "decision"] == "allow"
    assert json.loads(CliRunner().invoke(cli, args, env={"SSHGATE_CONFIG": cfg}).output)[
        "decision"] == "allow"
    monkeypatch.chdir(tmp_path / "gw")
    here = json.loads(CliRunner().invoke(cli, args).output)
    assert here["decision"] == "allow" and isinstance(here["ms"], float)
    # --policy tests another file, whatever is deployed
    other = tmp_path / "strict.yaml"
    other.write_text("rules:\n  - rule: fs.rm-recursive\n    action: deny\n")
    r = CliRunner().invoke(cli, [*args, "--policy", str(other)])
    assert json.loads(r.output)["decision"] == "deny", r.output


def test_classify_with_a_missing_config_exits_2(tmp_path):
    r = CliRunner().invoke(cli, ["classify", "--config", str(tmp_path / "nope.yaml"), "ls"])
    assert r.exit_code == 2 and "no such file" in r.output


def test_classify_names_what_made_each_command_safe_or_held():
    r = CliRunner().invoke(cli, ["classify", "--json", "git pull && site-tool --go"])
    out = json.loads(r.output)
    assert out["decision"] == "approve"
    assert [c["safe_by"] for c in out["commands"]] == ["catalogue: git pull", None]
    assert out["commands"][1]["held_by"] == ["guard.unknown"]
    r = CliRunner().invoke(cli, ["classify", "git pull && site-tool --go"])
    assert "catalogue: git pull" in r.output and "guard.unknown" in r.output


def test_classify_uses_the_grant_allow_list(tmp_path):
    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    pol = str(tmp_path / "policies")
    r = CliRunner().invoke(cli, ["classify", "--json", "--policy", pol, "--identity",
                                 "example-agent", "./scripts/deploy.sh web-1"])
    out = json.loads(r.output)
    assert out["decision"] == "allow", out
    assert out["commands"][0]["safe_by"].startswith("allow: ./scripts/deploy.sh web-* (")
    r = CliRunner().invoke(cli, ["classify", "--json", "--policy", pol, "--identity",
                                 "example-agent", "./scripts/deploy.sh db-1"])
    assert json.loads(r.output)["decision"] == "approve"


def test_classify_shows_agent_text_without_markup_or_control_characters():
    r = CliRunner().invoke(cli, ["classify", "[bold]x[/bold] \x1b[31mred"])
    assert "[bold]x[/bold]" in r.output and "\x1b[31m" not in r.output
