"""One ``serve`` per state directory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sshgate.state_lock import AlreadyRunning, StateLock, holder


def test_second_lock_is_refused_naming_the_pid(tmp_path):
    with StateLock(tmp_path / "state"):
        assert holder(tmp_path / "state") == os.getpid()
        # flock is per open file: another process (or open) on the same dir is refused
        r = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path;"
                            "from sshgate.state_lock import StateLock;"
                            f"StateLock(Path({str(tmp_path / 'state')!r})).acquire()"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode != 0 and f"(pid {os.getpid()}) is running" in r.stderr
        with pytest.raises(AlreadyRunning) as e:
            StateLock(tmp_path / "state").acquire()
        assert e.value.pid == os.getpid()
    assert holder(tmp_path / "state") is None
    StateLock(tmp_path / "state").acquire()  # released: free again


def test_a_dead_holder_leaves_no_stale_lock(tmp_path):
    state = tmp_path / "state"
    subprocess.run([sys.executable, "-c", "import os; from pathlib import Path;"
                    "from sshgate.state_lock import StateLock;"
                    f"StateLock(Path({str(state)!r})).acquire(); os._exit(9)"],
                   timeout=30, check=False)
    assert (state / "sshgate.lock").exists() and holder(state) is None
    with StateLock(state):
        assert holder(state) == os.getpid()
