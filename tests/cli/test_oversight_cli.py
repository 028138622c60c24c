"""Oversight commands without a gateway: clear error, exit 1; required options enforced."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sshgate.cli.main import cli


@pytest.mark.parametrize("args", [
    ["sessions", "list"], ["sessions", "list", "--json"],
    ["sessions", "kill", "x", "--reason", "r"],
    ["watch", "x"], ["lock", "bot", "--reason", "r"], ["unlock", "bot"], ["locks"],
    ["locks", "list", "--json"],
])
def test_no_gateway_is_a_clear_error(tmp_path, args):
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--dir", str(tmp_path)]).exit_code == 0
    r = runner.invoke(cli, [*args, "--config", str(tmp_path / "sshgate.yaml")])
    assert r.exit_code == 1 and "no gateway is listening" in r.output


@pytest.mark.parametrize("args", [["sessions", "kill", "x"], ["lock", "bot"],
                                  ["lock", "bot", "--for", "1h"]])
def test_reason_is_required(args):
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and "--reason" in r.output
