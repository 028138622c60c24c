"""The lab's fork server: a forked ``sshgate`` behaves as the process it replaces."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from sshgate.lab import free_port, wait_for_port
from sshgate.lab_forkserver import SERVE, ForkServer
from sshgate.scaffold import init_directory


@pytest.fixture(scope="module")
def server():
    s = ForkServer({**os.environ, "COLUMNS": "200"}, SERVE).start()
    yield s
    s.stop()


def serve(server: ForkServer, tmp_path, **env) -> tuple:
    init_directory(tmp_path / "gw")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("ab") as f, open(os.devnull, "rb") as null:
        proc = server.spawn(["serve", "--config", str(tmp_path / "gw/sshgate.yaml"),
                             "--listen", f"127.0.0.1:{port}"], env={**server.env, **env},
                            stdin=null.fileno(), stdout=f.fileno(), stderr=f.fileno())
    wait_for_port(port, 60, proc, "forked serve")  # type: ignore[arg-type]
    return proc, log


def test_child_runs_the_command_as_python_m_sshgate_would(server, tmp_path):
    (tmp_path / "sshgate.yaml").write_text("listen: [unclosed\n")  # ./sshgate.yaml: the default
    env = {**server.env, "PYTEST_CURRENT_TEST": "x"}
    forked = server.run(["ca", "public-key"], env=env, cwd=str(tmp_path), timeout=60)
    direct = subprocess.run([sys.executable, "-m", "sshgate", "ca", "public-key"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert direct.returncode == 2 and "sshgate.yaml" in direct.stderr  # a bad config
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        direct.returncode, direct.stdout, direct.stderr)
    init_directory(tmp_path / "gw")
    argv = ["ca", "public-key", "--config", str(tmp_path / "gw/sshgate.yaml")]
    forked = server.run(argv, env=env, timeout=60)
    assert forked.returncode == 0 and forked.stdout.startswith("ssh-ed25519 ")
    assert forked.stdout == (tmp_path / "gw/keys/ca.pub").read_text()
    assert forked.stderr == ""
    raw = server.run(argv, env=env, timeout=60, text=False)  # as text=False: the bytes
    assert (raw.returncode, raw.stdout, raw.stderr) == (
        0, (tmp_path / "gw/keys/ca.pub").read_bytes(), b"")


def test_a_command_that_outlives_its_timeout_is_killed(server, tmp_path):
    init_directory(tmp_path / "gw")
    with pytest.raises(subprocess.TimeoutExpired):
        server.run(["serve", "--config", str(tmp_path / "gw/sshgate.yaml"), "--listen",
                    f"127.0.0.1:{free_port()}"], env=server.env, timeout=3)


def test_a_terminal_is_refused(server):
    main, sub = os.openpty()
    try:
        with pytest.raises(ValueError):
            server.spawn(["--version"], env=server.env, stdin=sub, stdout=sub, stderr=sub)
    finally:
        os.close(main)
        os.close(sub)


def test_signals_reach_the_child_and_its_status_is_popens(server, tmp_path):
    proc, log = serve(server, tmp_path / "a")
    assert proc.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        proc.wait(0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0  # drained and stopped cleanly
    assert "listening on 127.0.0.1" in log.read_text()
    proc.send_signal(signal.SIGTERM)  # after the end: nothing, as Popen
    proc, _ = serve(server, tmp_path / "b")
    proc.kill()
    assert proc.wait(30) == -signal.SIGKILL


def test_a_gateway_whose_test_process_let_go_is_killed(server, tmp_path):
    proc, _ = serve(server, tmp_path)
    pid = proc.pid
    proc._conn.close()  # what the end of the test process does
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{pid}")


def test_another_environment_is_not_forked(server):
    assert server.usable_for({**server.env, "PYTEST_CURRENT_TEST": "another test"})
    assert not server.usable_for({**server.env, "COLUMNS": "80"})
    assert not server.usable_for({**server.env, "SSHGATE_SOMETHING": "1"})


EXIT_SNIPPET = """
import atexit, sys, threading, time
atexit.register(lambda: print("atexit ran"))
def late():
    time.sleep(0.2)
    print("a thread that is not a daemon finished")
threading.Thread(target=late).start()
sys.stdout.write("buffered, no newline; ")
"""


@pytest.mark.parametrize("code", ["None", "3", "'a message'", "True"])
def test_a_child_ends_as_its_interpreter_would(code):
    """The child skips only the interpreter's teardown: threads, atexit handlers, buffered
    output and the status are those of ``sys.exit(code)`` in a process of its own."""
    real = subprocess.run([sys.executable, "-c", EXIT_SNIPPET + f"sys.exit({code})"],
                          capture_output=True, text=True, timeout=60)
    ours = subprocess.run([sys.executable, "-c", EXIT_SNIPPET
                           + "from sshgate.lab_forkserver import _exit_as_python_would\n"
                           + f"_exit_as_python_would({code})"],
                          capture_output=True, text=True, timeout=60)
    assert "atexit ran" in real.stdout and "finished" in real.stdout
    assert (ours.returncode, ours.stdout, ours.stderr) == (
        real.returncode, real.stdout, real.stderr)
