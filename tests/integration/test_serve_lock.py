"""One gateway per state directory: a second ``sshgate serve`` is refused and harms nothing."""

from __future__ import annotations

import time

import pytest

from sshgate.config import load_config
from sshgate.lab import free_port

from .conftest import audit, cli, marker, run_cli
from .test_approvals import hold, wait_pending


@pytest.mark.parametrize("port", ["same", "another"])
def test_second_serve_is_refused_and_the_first_still_answers(lab, tmp_path, port):
    cfg = load_config(lab.config)
    first_pid = lab.gateway.proc.pid
    sock_before = cfg.control_socket.stat().st_ino
    lines_before = len(audit(lab))
    listen = lab.gateway.port if port == "same" else free_port()
    r = run_cli(lab.config, "serve", "--listen", f"127.0.0.1:{listen}", timeout=60)
    assert r.returncode == 1
    err = " ".join(r.stderr.split())
    assert f"another sshgate serve (pid {first_pid}) is running" in err, r.stderr
    # nothing of the first one was touched: socket, pid file, audit log
    assert cfg.control_socket.stat().st_ino == sock_before
    assert cfg.pid_file.read_text().strip() == str(first_pid)
    assert len(audit(lab)) == lines_before
    # and it still answers approvals
    precious = marker(tmp_path)
    p = hold(lab, f"rm -rf {precious} && echo removed")
    [req] = wait_pending(lab)
    assert cli(lab, "approve", req["id"]).returncode == 0
    out, _ = p.communicate(timeout=30)
    assert p.returncode == 0 and out == b"removed\n"
    lab.gateway.stop()
    v = cli(lab, "recordings", "verify", "--all")
    assert v.returncode == 0, v.stdout + v.stderr


def test_socket_of_a_live_gateway_elsewhere_is_not_taken_over(make_lab, tmp_path):
    first = make_lab()
    sock = load_config(first.config).control_socket
    # a second setup (its own state dir) pointed at the first one's control socket
    from sshgate.scaffold import init_directory

    d = tmp_path / "other"
    init_directory(d)
    with (d / "sshgate.yaml").open("a") as f:
        f.write(f"control_socket: {sock}\n")
    r = run_cli(d / "sshgate.yaml", "serve", "--listen", f"127.0.0.1:{free_port()}", timeout=60)
    assert r.returncode == 1
    assert "another gateway is listening on the control socket" in " ".join(r.stderr.split())
    assert sock.exists()
    assert cli(first, "approvals", "list", "--json").returncode == 0


def test_stale_pid_and_socket_of_a_killed_gateway_are_replaced(lab):
    import signal

    cfg = load_config(lab.config)
    lab.gateway.stop(signal.SIGKILL)
    assert cfg.control_socket.exists() and cfg.pid_file.exists()  # left behind
    lab.gateway.proc = None
    lab.gateway.start()
    # the pid file is written just after the port listens
    deadline = time.monotonic() + 10
    while cfg.pid_file.read_text().strip() != str(lab.gateway.proc.pid):
        assert time.monotonic() < deadline, cfg.pid_file.read_text()
        time.sleep(0.05)
    assert cli(lab, "approvals", "list", "--json").returncode == 0
    lab.gateway.stop()
    assert not cfg.control_socket.exists() and not cfg.pid_file.exists()
