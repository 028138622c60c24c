"""`sshgate demo --yes` end to end, with sshd and with the embedded target."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest


def leftover_processes(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


@pytest.mark.parametrize("sshd", ["system", "none"])
def test_demo_yes_end_to_end_and_cleans_up(tmp_path, sshd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSHGATE")}
    env.update(HOME=str(tmp_path), TMPDIR=str(tmp_path), COLUMNS="200")
    if sshd == "none":
        env["SSHGATE_SSHD"] = "none"
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "sshgate", "demo", "--yes", "--replay-speed", "0"],
                       capture_output=True, text=True, timeout=180, env=env,
                       stdin=subprocess.DEVNULL)
    took = time.monotonic() - t
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    assert ("OpenSSH sshd" if sshd == "system" else "embedded asyncssh target") in out
    assert "hello from" in out                                     # benign commands ran
    assert re.search(r"waiting for approval [0-9a-f]+ \(fs.rm-recursive", out)  # held
    assert "approved" in out and "cache directory still exists: False" in out
    assert "sshgate: denied: disk.mkfs" in out and "exit status 77" in out     # refused
    assert "ok " in out and "audit log hash chain" in out                     # verified
    assert re.search(r"replaying session [0-9a-f]+", out)
    assert out.count("hello from") >= 2                            # once live, once replayed
    assert out.count("replaying session") == 4                     # every session
    m = re.search(r"time from start to the first agent command output: ([0-9.]+)s", out)
    assert m and float(m.group(1)) < took
    workdir = re.search(r"setting up in (\S+):", out).group(1)
    assert not Path(workdir).exists()
    time.sleep(0.5)
    assert leftover_processes(workdir) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith("sshgate-demo-")] == []
