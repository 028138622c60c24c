"""Integration fixtures: a real OpenSSH sshd target and ``sshgate serve`` on random ports."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

from sshgate.lab import Lab, find_sshd
from sshgate.lab_forkserver import ForkServer

pytestmark = pytest.mark.integration


def pytest_collection_modifyitems(items):
    if find_sshd() is None:
        raise pytest.UsageError("integration tests need OpenSSH sshd: run scripts/setup.sh")


#: forks cli()'s commands when set (by make_lab, from the session's fork server)
_cli_server: list[ForkServer | None] = [None]


@pytest.fixture
def make_lab(tmp_path, lab_forkserver, cli_forkserver):
    _cli_server[0] = cli_forkserver
    labs: list[Lab] = []

    def make(**kw) -> Lab:
        # Transport, recording and approval tests run arbitrary commands: outside the
        # known-safe catalogue they are allowed here (rules still apply). Guard tests pass
        # unknown="approve" (the product default) explicitly.
        kw.setdefault("unknown", "allow")
        kw.setdefault("forkserver", lab_forkserver)
        lab = Lab(tmp_path / f"lab{len(labs)}", **kw)
        labs.append(lab)
        lab.start()
        return lab

    yield make
    for lab in labs:
        lab.stop()


@pytest.fixture
def agents():
    """Agents (PTY ssh clients) a test opened; each is closed at the end."""
    opened: list = []
    yield opened
    for a in opened:
        a.close()


@pytest.fixture
def lab(make_lab) -> Lab:
    return make_lab()


def cli(lab: Lab, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the sshgate CLI against the lab's config."""
    return run_cli(lab.config, *args, timeout=timeout)


def run_cli(config: Path, *args: str, timeout: float = 30, cwd: Path | None = None,
            text: bool = True) -> subprocess.CompletedProcess:
    """``sshgate ARGS --config CONFIG`` as a process (in ``cwd``; bytes unless ``text``):
    forked from the session's warm fork server when its environment is this one (0.4-1.3 s
    of CPU less per call)."""
    argv = [*args, "--config", str(config)]
    server = _cli_server[0]
    if server is not None and server.usable_for(dict(os.environ)):
        return server.run(argv, env=dict(os.environ), timeout=timeout,
                          cwd=str(cwd) if cwd else None, text=text)
    return subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                          text=text, timeout=timeout, stdin=subprocess.DEVNULL, cwd=cwd)


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


@pytest.fixture
def work():
    """A directory in the login's home (exec sessions start there; /tmp is scratch space the
    guard distrusts anyway, so it would not show the memory): an archive whose Makefile
    leaves a mark, and a tree of the operator's own with the same Makefile."""
    home = Path.home()
    d = Path(tempfile.mkdtemp(prefix="sshgate-it-", dir=home))
    makefile = f"all:\n\ttouch {d}/pwned\n".encode()
    with tarfile.open(d / "e.tgz", "w:gz") as tar:
        info = tarfile.TarInfo("Makefile")
        info.size = len(makefile)
        tar.addfile(info, io.BytesIO(makefile))
    (d / "sub").mkdir()
    (d / "own").mkdir()
    (d / "own" / "Makefile").write_text(f"all:\n\ttouch {d}/own-ran\n")
    yield d, d.relative_to(home)
    shutil.rmtree(d, ignore_errors=True)
