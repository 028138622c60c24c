"""Integration fixtures: a real OpenSSH sshd target and ``sshgate serve`` on random ports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from sshgate.cli import common as cli_common
from sshgate.cli.main import cli as sshgate_cli
from sshgate.lab import Lab, find_sshd

pytestmark = pytest.mark.integration


def pytest_collection_modifyitems(items):
    if find_sshd() is None:
        raise pytest.UsageError("integration tests need OpenSSH sshd: run scripts/setup.sh")


@pytest.fixture
def make_lab(tmp_path):
    labs: list[Lab] = []

    def make(**kw) -> Lab:
        # Transport, recording and approval tests run arbitrary commands: outside the
        # known-safe catalogue they are allowed here (rules still apply). Guard tests pass
        # unknown="approve" (the product default) explicitly.
        kw.setdefault("unknown", "allow")
        lab = Lab(tmp_path / f"lab{len(labs)}", **kw)
        labs.append(lab)
        lab.start()
        return lab

    yield make
    for lab in labs:
        lab.stop()


@pytest.fixture
def lab(make_lab) -> Lab:
    return make_lab()


def cli(lab: Lab, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run an sshgate CLI command against the lab's config, in this process: its output and
    exit status. (A new Python per call cost 1.3 s of CPU, mostly imports; tests about the
    process itself, such as ``serve``, ``watch`` or a terminal, start one.)"""
    argv = [*args, "--config", str(lab.config)]
    if threading.current_thread() is not threading.main_thread():
        # CliRunner swaps sys.stdout for the whole process: a test's worker thread gets a
        # process of its own
        return subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                              text=True, timeout=timeout)
    started = time.monotonic()
    # a new process would size its consoles from COLUMNS as it is now (rich fixes the width
    # of a console made while COLUMNS was set, as in an xdist worker)
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else None
    saved = [(c, c._width) for c in (cli_common.console, cli_common.err_console)]
    try:
        for c, _ in saved:
            c._width = width
        result = CliRunner().invoke(sshgate_cli, argv, prog_name="sshgate")
    finally:
        for c, w in saved:
            c._width = w
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # what the process would have printed before exiting with status 1
        stderr += "".join(traceback.format_exception(result.exception))
    command = [sys.executable, "-m", "sshgate", *argv]
    if time.monotonic() - started > timeout:
        raise subprocess.TimeoutExpired(command, timeout, result.stdout, stderr)
    return subprocess.CompletedProcess(command, result.exit_code, result.stdout, stderr)


def audit(lab: Lab) -> list[dict]:
    return [json.loads(line) for line in lab.audit_path.read_text().splitlines() if line]


def cert_ids_seen_by_sshd(lab: Lab) -> list[str]:
    assert lab.target is not None
    return re.findall(r'Accepted certificate ID "([^"]+)"', lab.target.log())


def sessions_started_by_sshd(lab: Lab) -> int:
    assert lab.target is not None
    return len(re.findall(r"Starting session: command", lab.target.log()))


def marker(tmp: Path) -> Path:
    d = tmp / "precious"
    d.mkdir()
    (d / "data").write_text("keep me")
    return d
