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
    args = ["classify", "--json", "--policy", str(tmp_path / "policies"), "--identity",
            "example-agent", "rm -rf /tmp/build"]
    # the generated policy holds every destructive command, /tmp included
    assert json.loads(CliRunner().invoke(cli, args).output)["decision"] == "approve"
    # the README's way to let one through
    readme = (ROOT / "README.md").read_text()
    rule = readme[readme.index("### Letting some destructive commands through"):]
    rule = rule[rule.index("```yaml\n") + 8:]
    rule = rule[:rule.index("```")]
    policy = tmp_path / "policies/example.yaml"
    policy.write_text(policy.read_text().replace("rules: []\n", rule))
    assert json.loads(CliRunner().invoke(cli, args).output)["decision"] == "allow"


def test_classify_as_a_shell_line(tmp_path, monkeypatch):
    """--shell adds the gated shell's own rules: setting a trap is held there only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SSHGATE_CONFIG", raising=False)
    rules = {}
    for extra in ([], ["--shell"]):
        out = json.loads(CliRunner().invoke(
            cli, ["classify", "--json", *extra, "trap 'echo bye' EXIT"]).output)
        rules[bool(extra)] = {f["rule"] for f in out["findings"]}
    assert "shell.trap" in rules[True] and "shell.trap" not in rules[False]


def test_classify_bad_usage_exits_2():
    assert CliRunner().invoke(cli, ["classify"]).exit_code == 2


def test_classify_reads_the_deployed_policy(tmp_path, monkeypatch):
    """--config, $SSHGATE_CONFIG and ./sshgate.yaml all mean the gateway's own policies."""
    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path / "gw")])
    cfg = str(tmp_path / "gw" / "sshgate.yaml")
    # the README's way to let recursive deletes under /tmp through (init holds them all)
    pol = tmp_path / "gw/policies/example.yaml"
    pol.write_text(pol.read_text().replace("rules: []\n", (
        "rules:\n  - rule: fs.rm-recursive\n    action: allow\n"
        "    identities: [example-agent]\n    paths: [\"/tmp/**\"]\n")))
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


def test_policy_check_warns_about_approvers_that_are_not_os_users(tmp_path):
    import getpass

    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    pol = tmp_path / "policies/example.yaml"
    me = getpass.getuser()
    pol.write_text(pol.read_text().replace(f"approvers: [{me}]",
                                           f"approvers: [{me}, no-such-user-x9]"))
    r = CliRunner().invoke(cli, ["policy", "check", str(pol)])
    assert r.exit_code == 0, r.output
    assert "warning: approvers: 'no-such-user-x9' is not a user on this machine" in r.output
    assert f"'{me}'" not in r.output


def test_policy_help_says_what_exists():
    r = CliRunner().invoke(cli, ["policy", "--help"])
    assert "inspect" not in r.output and "check" in r.output


def test_approvals_prompt_without_a_terminal_is_a_clear_error_exit_2(tmp_path):
    import subprocess
    import sys

    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    for stdin in (subprocess.DEVNULL, subprocess.PIPE):
        r = subprocess.run([sys.executable, "-m", "sshgate", "approvals", "--config",
                            str(tmp_path / "sshgate.yaml")], stdin=stdin, input=None,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2, r.stderr
        assert "stdin is not one" in r.stderr and "sshgate approve ID" in r.stderr
        assert "Traceback" not in r.stderr


def test_serve_with_a_control_group_that_does_not_exist_is_a_clear_error(tmp_path,
                                                                         cli_forkserver):
    import os
    import subprocess
    import sys

    CliRunner().invoke(cli, ["init", "--dir", str(tmp_path)])
    cfg = tmp_path / "sshgate.yaml"
    cfg.write_text(cfg.read_text() + "control_group: no-such-group-x9\n")
    argv = ["serve", "--config", str(cfg), "--listen", "127.0.0.1:0"]
    if cli_forkserver is not None and cli_forkserver.usable_for(dict(os.environ)):
        # the command as a process, forked from the session's warm one (tests/conftest.py)
        r = cli_forkserver.run(argv, env=dict(os.environ), timeout=60)
    else:
        r = subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 1, r.stderr
    assert "control_group 'no-such-group-x9' is not an OS group" in r.stderr
    assert "Traceback" not in r.stderr


def test_classify_names_what_made_each_command_safe_or_held():
    r = CliRunner().invoke(cli, ["classify", "--json", "git pull && site-tool --go"])
    out = json.loads(r.output)
    assert out["decision"] == "approve"
    assert [c["safe_by"] for c in out["commands"]] == ["catalogue: git pull", None]
    assert out["commands"][1]["held_by"] == ["guard.unknown"]
    r = CliRunner().invoke(cli, ["classify", "git pull && site-tool --go"])
    assert "catalogue: git pull" in r.output and "guard.unknown" in r.output


def test_classify_names_the_command_run_in_a_container_and_its_launcher():
    r = CliRunner().invoke(cli, ["classify", "--json", "docker exec -it web rm -rf /data"])
    out = json.loads(r.output)
    assert [(c["argv"][0], c["safe_by"], c["held_by"]) for c in out["commands"]] == [
        ("docker", "catalogue: docker exec", []), ("rm", None, ["fs.rm-recursive"])]
    assert [(f["rule"], f["via"]) for f in out["findings"]] == [
        ("fs.rm-recursive", ["docker exec"])]
    r = CliRunner().invoke(cli, ["classify", "kubectl exec pod -- ls /app"])
    assert "catalogue: kubectl exec" in r.output and "catalogue: ls" in r.output


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


def test_every_lazily_loaded_command_loads_and_has_help():
    from sshgate.cli.main import COMMANDS

    for name in COMMANDS:
        r = CliRunner().invoke(cli, [name, "--help"])
        assert r.exit_code == 0 and "Usage:" in r.output, (name, r.output)
    listed = CliRunner().invoke(cli, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMANDS)
