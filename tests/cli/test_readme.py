"""Every command in README.md's shell blocks is exercised: sshgate commands are parsed by the
real CLI and the ones that need no running gateway are run against a fresh `init`."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sshgate.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
LINES = [line.split("  #")[0].strip() for b in BLOCKS for line in b.splitlines()
         if line.strip() and not line.lstrip().startswith("#")]
SSHGATE = [line for line in LINES if line.startswith("sshgate ")]
# Commands that need a running gateway, a terminal or minutes: parsed here, run elsewhere
# (tests/integration: serve, approvals, demo, and the oversight commands in test_review.py).
PARSE_ONLY = ("serve", "approvals", "demo", "sessions", "watch", "lock", "unlock", "locks")


def test_readme_has_the_two_quick_start_commands():
    assert "./scripts/demo.sh" in LINES[0] and "./scripts/test.sh" in LINES[1]
    for script in ("scripts/demo.sh", "scripts/test.sh", "scripts/setup.sh"):
        assert os.access(ROOT / script, os.X_OK), script
    assert (ROOT / ".ci/run").read_text().strip().endswith("exec bash scripts/test.sh")


def resolve(args: list[str]) -> tuple[click.Command, list[str], list[str]]:
    cmd: click.Command = cli
    path: list[str] = []
    while isinstance(cmd, click.Group) and args:
        # get_command, not .commands: the top-level group loads its commands lazily
        sub = cmd.get_command(click.Context(cmd), args[0])
        if sub is None:
            break
        path.append(args.pop(0))
        cmd = sub
    return cmd, path, args


@pytest.mark.parametrize("line", SSHGATE)
def test_readme_sshgate_command(line, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--dir", "gw"]).exit_code == 0
    line = line.replace("/etc/sshgate", str(tmp_path / "etc-sshgate"))
    args = shlex.split(line)[1:]
    cmd, path, rest = resolve(list(args))
    assert path, f"{line}: not a sshgate command"
    ctx = cmd.make_context(" ".join(path), list(rest))  # raises on a bad option
    assert ctx is not None
    if path[0] in PARSE_ONLY:
        return
    if path[0] == "init" and "--target-host-key" in args:
        return  # needs a target: tests/integration/test_real_host.py runs it as written
    if "etc-sshgate" in line:  # pinned explicitly: the machine may have no host key of its own
        pub = (tmp_path / "gw/keys/host.pub").read_text()
        runner.invoke(cli, ["init", "--dir", str(tmp_path / "etc-sshgate"),
                            "--target-host-key", pub])
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, f"{line}\n{result.output}"


def test_readme_points_only_at_docs_that_exist():
    docs = set(re.findall(r"\bdocs/[\w.-]+\.md\b", README))
    assert docs, "README should point at its docs/ pages"
    for path in docs:
        assert (ROOT / path).is_file(), path


def test_what_the_agent_sees_is_what_the_program_says():
    """Each message in the README's table is built from strings the program has."""
    start = README.index("### What the agent sees")
    table = README[start:README.index("\n\n", README.index("|---", start))]
    src = "\n".join(p.read_text() for p in (ROOT / "sshgate").rglob("*.py"))
    src = re.sub(r'"\s*\n\s*f?"', "", src)  # implicit concatenation across lines
    messages = re.findall(r"`sshgate: ([^`]+)`", table)
    assert len(messages) >= 10
    for msg in messages:
        for frag in re.split(r": |<[^>]+>|'[^']*'|[()]|\d+\.\d+\.\d+\.\d+:\d+|\d+s\b", msg):
            frag = frag.strip(" :;")
            if len(frag) >= 8:
                assert frag in src, f"README says {msg!r}; the program never says {frag!r}"


def test_readme_links_and_repository_paths_exist():
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), target
    for path in re.findall(r"`((?:\.\./|docs/|contrib/|tests/|sshgate/|benchmarks/|scripts/)"
                           r"[\w./-]+)`", README):
        assert (ROOT / path).exists(), f"README names {path}, which is not in the repository"
