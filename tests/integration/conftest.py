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


#: fork cli()'s commands, each for its environment (set by make_lab: the session's fork
#: servers of this process's environment and of the gateways', COLUMNS=200)
_cli_servers: list[ForkServer] = []


@pytest.fixture
def make_lab(tmp_path, lab_forkserver, cli_forkserver):
    _cli_servers[:] = [s for s in (cli_forkserver, lab_forkserver) if s is not None]
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
            text: bool = True, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
    """``sshgate ARGS --config CONFIG`` as a process (in ``cwd``, with ``env``, by default
    this one's; bytes unless ``text``): forked from a session's warm fork server of that
    environment when there is one (0.4-1.3 s of CPU less per call)."""
    argv = [*args, "--config", str(config)]
    env = dict(os.environ) if env is None else env
    server = next((s for s in _cli_servers if s.usable_for(env)), None)
    if server is not None:
        return server.run(argv, env=env, timeout=timeout, cwd=str(cwd) if cwd else None,
                          text=text)
    return subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                          text=text, timeout=timeout, stdin=subprocess.DEVNULL, cwd=cwd,
                          env=env)


def popen_cli(config: Path, *args: str):
    """``sshgate ARGS --config CONFIG`` running, stdin /dev/null, its stdout and stderr pipes
    (``.stdout``, ``.stderr``, bytes); ``.wait()``, ``.kill()``: forked from a session's warm
    fork server of this environment when there is one, as :func:`run_cli`."""
    argv = [*args, "--config", str(config)]
    env = dict(os.environ)
    server = next((s for s in _cli_servers if s.usable_for(env)), None)
    if server is None:
        return subprocess.Popen([sys.executable, "-m", "sshgate", *argv],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        with open(os.devnull, "rb") as null:
            proc = server.spawn(argv, env=env, stdin=null.fileno(), stdout=out_w,
                                stderr=err_w)
    except BaseException:
        os.close(out_r)
        os.close(err_r)
        raise
    finally:
        os.close(out_w)
        os.close(err_w)
    proc.stdout, proc.stderr = os.fdopen(out_r, "rb"), os.fdopen(err_r, "rb")
    return proc


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
