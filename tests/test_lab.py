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
