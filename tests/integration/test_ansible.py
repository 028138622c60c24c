"""Ansible through the gateway with its own ssh connection plugin and pipelining."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import audit

ANSIBLE = Path(sys.executable).with_name("ansible")
pytestmark = pytest.mark.skipif(not ANSIBLE.exists(), reason="ansible-core is not installed "
                                "(it is in the dev extra: scripts/setup.sh)")
NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


def ansible(lab, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    inv = tmp_path / "inventory.ini"
    inv.write_text(
        f"[gateway]\nlab ansible_host=127.0.0.1 ansible_port={lab.gateway.port} "
        f"ansible_ssh_private_key_file={lab.agent_key} "
        f"ansible_python_interpreter=/usr/bin/python3 "
        f"ansible_ssh_common_args='-o User={lab.login}@lab -o IdentitiesOnly=yes "
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    # a ControlPath under pytest's tmp dir is too long for a Unix socket
    with tempfile.TemporaryDirectory(prefix="sg-cp-") as cp:
        env = {"PATH": f"{ANSIBLE.parent}:/usr/bin:/bin", "HOME": str(home),
               "ANSIBLE_PIPELINING": "True", "ANSIBLE_HOST_KEY_CHECKING": "False",
               "ANSIBLE_SSH_CONTROL_PATH_DIR": cp, "ANSIBLE_NOCOLOR": "1", "LANG": "C.UTF-8",
               # the multiplexing master Ansible starts goes away soon after the test
               "ANSIBLE_SSH_ARGS": "-o ControlMaster=auto -o ControlPersist=2s"}
        return subprocess.run([str(ANSIBLE), "all", "-i", str(inv), *args],
                              capture_output=True, text=True, timeout=120, env=env)


def decisions(lab) -> list[tuple[str, str]]:
    return [(e["command"], e["decision"]) for e in audit(lab)
            if e["event"] == "command.decision"]


def test_safe_modules_run_and_a_destructive_argument_is_held(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER)
    r = ansible(lab, tmp_path, "-m", "ping")
    assert r.returncode == 0 and '"ping": "pong"' in r.stdout, r.stdout + r.stderr
    r = ansible(lab, tmp_path, "-m", "command", "-a", "uname -s")
    assert r.returncode == 0 and "Linux" in r.stdout, r.stdout + r.stderr
    victim = tmp_path / "victim"
    victim.write_text("keep")
    r = ansible(lab, tmp_path, "-m", "file", "-a", f"path={victim} state=absent")
    assert r.returncode != 0 and victim.read_text() == "keep"
    assert "fs.rm-recursive" in r.stdout
    seen = decisions(lab)
    assert ("ansible ping", "allow") in seen
    assert ("ansible command _raw_params=uname -s", "allow") in seen
    assert (f"ansible file path={victim} state=absent", "approve") in seen
    modules = [e["module"] for e in audit(lab) if e["event"] == "ansible.module"]
    assert modules == ["ping", "command", "file"]


def test_a_payload_that_is_not_ansible_cores_own_is_not_believed(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER)  # the forged one is held: refused at once here
    # a genuine payload, built by the installed ansible-core, with one byte of module code
    # changed: the gateway must judge the bare interpreter, not the module it claims to be
    home = tmp_path / "home"
    home.mkdir()
    remote_tmp = tmp_path / "remote-tmp"
    env = {**os.environ, "HOME": str(home), "ANSIBLE_KEEP_REMOTE_FILES": "1",
           "ANSIBLE_REMOTE_TMP": str(remote_tmp)}
    subprocess.run([str(ANSIBLE), "localhost", "-c", "local", "-m", "ping"], env=env,
                   capture_output=True, timeout=120, check=True)
    [kept] = remote_tmp.glob("*/AnsiballZ_ping.py")
    payload = kept.read_bytes()
    forged = payload.replace(b"def _ansiballz_main(", b"def _ansiballz_main( ", 1)
    assert forged != payload
    for data, believed in ((payload, True), (forged, False)):
        r = lab.ssh("/bin/sh -c '/usr/bin/python3 && sleep 0'", input=data)
        label, decision = decisions(lab)[-1]
        assert ("ansible ping" in label) is believed, (label, r.stderr)
        # believed: runs; not believed: a bare interpreter reading its stdin, held
        assert (decision, r.returncode) == (("allow", 0) if believed else ("approve", 77))
