"""The lab's process handling (the integration tests' fixtures rest on it)."""

from __future__ import annotations

import sys

import pytest

from sshgate.lab import GatewayProcess


def test_a_gateway_too_slow_to_listen_is_stopped_not_left_behind(tmp_path):
    # the wrapper never runs the gateway: nothing listens, and nothing else holds the process
    gw = GatewayProcess(tmp_path / "sshgate.yaml",
                        wrapper=[sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(TimeoutError):
        gw.start(timeout=0.5)
    assert gw.proc is not None and gw.proc.poll() is not None


def test_free_ports_are_outside_the_kernels_ephemeral_range():
    """A port the kernel may hand to an outgoing connection is not given to a lab service:
    CI once failed when SeaweedFS restarted on a port a client connection had taken."""
    from sshgate.lab import _ephemeral_range, free_port

    lo, hi = _ephemeral_range()
    ports = {free_port() for _ in range(50)}
    assert all(p < lo or p > hi for p in ports)
    assert len(ports) > 40  # random, not one port over and over
