"""Ansible through the gateway with its own ssh connection plugin and pipelining."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
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


def test_a_payload_that_is_not_ansible_cores_own_is_not_believed(make_lab, genuine_ping):
    lab = make_lab(approval=NO_REVIEWER)  # the forged one is held: refused at once here
    # a genuine payload, built by the installed ansible-core, with one byte of module code
    # changed: the gateway must judge the bare interpreter, not the module it claims to be
    payload = genuine_ping
    forged = payload.replace(b"def _ansiballz_main(", b"def _ansiballz_main( ", 1)
    assert forged != payload
    for data, believed in ((payload, True), (forged, False)):
        r = lab.ssh("/bin/sh -c '/usr/bin/python3 && sleep 0'", input=data)
        label, decision = decisions(lab)[-1]
        assert ("ansible ping" in label) is believed, (label, r.stderr)
        # believed: runs; not believed: a bare interpreter reading its stdin, held
        assert (decision, r.returncode) == (("allow", 0) if believed else ("approve", 77))


# -- Ansible's defaults: no pipelining, modules uploaded by SFTP and run by path ---------------

def ansible_defaults(lab, tmp_path: Path, *args: str, control_master: str = "auto"
                     ) -> subprocess.CompletedProcess[str]:
    inv = tmp_path / "inventory.ini"
    inv.write_text(
        f"[gateway]\nlab ansible_host=127.0.0.1 ansible_port={lab.gateway.port} "
        f"ansible_ssh_private_key_file={lab.agent_key} "
        f"ansible_python_interpreter=/usr/bin/python3 "
        f"ansible_ssh_common_args='-o User={lab.login}@lab -o IdentitiesOnly=yes "
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sg-cp-") as cp:
        env = {"PATH": f"{ANSIBLE.parent}:/usr/bin:/bin", "HOME": str(home),
               "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_SSH_CONTROL_PATH_DIR": cp,
               "ANSIBLE_NOCOLOR": "1", "LANG": "C.UTF-8",
               # Ansible's own ssh_args with a shorter ControlPersist (60s by default), so
               # that the master it starts goes away soon after the test
               "ANSIBLE_SSH_ARGS": f"-C -o ControlMaster={control_master} "
                                   "-o ControlPersist=2s"}
        return subprocess.run([str(ANSIBLE), "all", "-i", str(inv), *args],
                              capture_output=True, text=True, timeout=120, env=env)


def test_defaults_without_pipelining_run_safe_modules_unattended(make_lab, tmp_path):
    # the product default for unknown commands (approve): Ansible's temp-dir lines are not
    # let through by a permissive grant, they are recognised
    lab = make_lab(approval=NO_REVIEWER, unknown="approve", grant={"sftp": True})
    r = ansible_defaults(lab, tmp_path, "-m", "ping")
    assert r.returncode == 0 and '"ping": "pong"' in r.stdout, r.stdout + r.stderr
    # one connection per line (no ControlMaster): what the gateway saw is kept per
    # identity, target and login, not per connection
    sessions = len([e for e in audit(lab) if e["event"] == "session.start"])
    r = ansible_defaults(lab, tmp_path, "-m", "command", "-a", "uptime", control_master="no")
    assert r.returncode == 0 and "load average" in r.stdout, r.stdout + r.stderr
    assert len([e for e in audit(lab) if e["event"] == "session.start"]) - sessions >= 4
    victim = tmp_path / "victim"
    victim.write_text("keep")
    r = ansible_defaults(lab, tmp_path, "-m", "file", "-a", f"path={victim} state=absent")
    assert r.returncode != 0 and victim.read_text() == "keep"
    assert "fs.rm-recursive" in r.stdout + r.stderr
    seen = decisions(lab)
    assert ("ansible ping", "allow") in seen
    assert ("ansible command _raw_params=uptime", "allow") in seen
    assert (f"ansible file path={victim} state=absent", "approve") in seen
    # every line of the three tasks was decided: nothing but the destructive module held
    held = [c for c, d in seen if d != "allow"]
    assert held == [f"ansible file path={victim} state=absent"], held
    kinds = [c.split("'")[1].split()[0] for c, _ in seen if c.startswith("/bin/sh -c")]
    assert kinds.count("(") == kinds.count("chmod") == kinds.count("rm") == 3, kinds
    assert [e["module"] for e in audit(lab) if e["event"] == "ansible.module"] == \
        ["ping", "command", "file"]
    # and Ansible's own cleanup removed each task's temp dir
    cleaned = [c.split()[5] for c, _ in seen if c.startswith("/bin/sh -c 'rm -f -r ")]
    assert len(cleaned) == 3 and not any(Path(d).exists() for d in cleaned), cleaned


NAME_SEQ = iter(range(1, 10**6))


def _tmpdir_line(base: str) -> tuple[str, str]:
    name = f"ansible-tmp-{int(time.time())}.{os.getpid()}-{os.getpid()}-{next(NAME_SEQ)}"
    d = f"{base}/{name}"
    return d, ("/bin/sh -c '( umask 77 && mkdir -p \"` echo " + base + " `\"&& mkdir \"` echo "
               + d + " `\" && echo " + name + "=\"` echo " + d + " `\" ) && sleep 0'")


def _sftp_put(lab, tmp: Path, data: bytes, dest: str) -> subprocess.CompletedProcess[str]:
    src = tmp / f"src-{next(NAME_SEQ)}"
    src.write_bytes(data)
    batch = tmp / f"batch-{next(NAME_SEQ)}"
    batch.write_text(f"put {src} {dest}\n")
    return subprocess.run(
        ["sftp", "-F", "/dev/null", "-P", str(lab.gateway.port), "-i", str(lab.agent_key),
         "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-b", str(batch),
         f"{lab.login}@lab@127.0.0.1"], capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def genuine_ping(tmp_path_factory) -> bytes:
    """AnsiballZ_ping.py as the installed ansible-core builds it (one ansible run a module:
    ~2 s of CPU; the tests only read it)."""
    tmp = tmp_path_factory.mktemp("genuine-ping")
    home = tmp / "ctl-home"
    home.mkdir()
    remote_tmp = tmp / "ctl-remote-tmp"
    env = {**os.environ, "HOME": str(home), "ANSIBLE_KEEP_REMOTE_FILES": "1",
           "ANSIBLE_REMOTE_TMP": str(remote_tmp)}
    subprocess.run([str(ANSIBLE), "localhost", "-c", "local", "-m", "ping"], env=env,
                   capture_output=True, timeout=120, check=True)
    [kept] = remote_tmp.glob("*/AnsiballZ_ping.py")
    return kept.read_bytes()


@pytest.fixture
def ansible_tmp():
    base = str(Path("~/.ansible/tmp").expanduser())
    made: list[str] = []
    yield base, made
    for d in made:
        p = Path(d)
        if p.is_symlink():
            p.unlink()
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(d + ".moved", ignore_errors=True)


def test_a_module_file_runs_only_as_the_bytes_uploaded_through_the_gateway(
        make_lab, tmp_path, genuine_ping, ansible_tmp):
    base, made = ansible_tmp
    lab = make_lab(approval=NO_REVIEWER, unknown="approve", grant={"sftp": True})
    forged = genuine_ping.replace(b"def _ansiballz_main(", b"def _ansiballz_main( ", 1)
    marker = tmp_path / "imported"

    def task(upload) -> subprocess.CompletedProcess[bytes]:
        d, mkdtemp = _tmpdir_line(base)
        made.append(d)
        assert lab.ssh(mkdtemp).returncode == 0
        upload(d, f"{d}/AnsiballZ_ping.py")
        return lab.ssh(f"/bin/sh -c '/usr/bin/python3 {d}/AnsiballZ_ping.py && sleep 0'")

    def sftp_put(data):
        return lambda d, f: _sftp_put(lab, tmp_path, data, f)

    r = task(sftp_put(genuine_ping))
    assert r.returncode == 0 and b'"ping": "pong"' in r.stdout, r.stderr
    # modified bytes under the same name
    r = task(sftp_put(forged))
    assert r.returncode == 77 and b"pong" not in r.stdout
    # the genuine bytes, written by anything but the gateway's SFTP relay (a command,
    # another process on the target): the gateway did not see them
    r = task(lambda d, f: Path(f).write_bytes(genuine_ping))
    assert r.returncode == 77 and b"pong" not in r.stdout

    # genuine, then written again
    def twice(d, f):
        _sftp_put(lab, tmp_path, genuine_ping, f)
        _sftp_put(lab, tmp_path, forged, f)
    r = task(twice)
    assert r.returncode == 77 and b"pong" not in r.stdout

    # a module of Python's standard library planted beside it is not imported: the gateway
    # runs its own copy of the verified bytes with python -I
    def planted(d, f):
        _sftp_put(lab, tmp_path, f"open({str(marker)!r}, 'w')\n".encode(), f"{d}/datetime.py")
        _sftp_put(lab, tmp_path, genuine_ping, f)
    r = task(planted)
    assert r.returncode == 0 and b'"ping": "pong"' in r.stdout, r.stderr
    assert not marker.exists()
    unvouched = [e["reason"] for e in audit(lab) if e["event"] == "ansible.unvouched"]
    assert len(unvouched) == 3 and "not what the installed ansible-core builds" in unvouched[0]
    assert [d for c, d in decisions(lab) if "AnsiballZ" in c and "python3" in c] == \
        ["approve"] * 3


def test_housekeeping_through_a_link_is_held(make_lab, tmp_path, ansible_tmp):
    base, made = ansible_tmp
    lab = make_lab(approval=NO_REVIEWER, unknown="approve", grant={"sftp": True})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data").write_text("keep")
    (precious / "data").chmod(0o600)
    d, mkdtemp = _tmpdir_line(base)
    made.append(d)
    assert lab.ssh(mkdtemp).returncode == 0
    # the module file is a link to another file: chmod would change that file
    Path(f"{d}/AnsiballZ_ping.py").symlink_to(precious / "data")
    r = lab.ssh(f"/bin/sh -c 'chmod u+rwx {d}/ {d}/AnsiballZ_ping.py && sleep 0'")
    assert r.returncode == 77 and (precious / "data").stat().st_mode & 0o777 == 0o600
    # the dir itself swapped for a link: `rm -r DIR/` would empty what it points to
    d2, mkdtemp = _tmpdir_line(base)
    made.append(d2)
    assert lab.ssh(mkdtemp).returncode == 0
    Path(d2).rename(d2 + ".moved")
    Path(d2).symlink_to(precious)
    r = lab.ssh(f"/bin/sh -c 'rm -f -r {d2}/ > /dev/null 2>&1 && sleep 0'")
    assert r.returncode == 77 and (precious / "data").read_text() == "keep"
    reasons = [e["reason"] for e in audit(lab) if e["event"] == "ansible.unvouched"]
    assert reasons == [f"{d}/AnsiballZ_ping.py is not a regular file",
                       f"{d2} is reached through a link"], reasons


@pytest.mark.skipif(not ANSIBLE.exists(), reason="no ansible")
def test_a_module_may_not_run_what_an_earlier_line_unpacked(make_lab, work, tmp_path):
    """A module is judged against the write memory as a line is: `command: make chdir=sub`
    after `tar -xzf e.tgz -C sub` is held like `cd sub && make` (red team s9b G0)."""
    lab = make_lab(unknown="approve", approval=NO_REVIEWER)
    d, rel = work
    r = lab.ssh(f"tar -xzf {rel}/e.tgz -C {rel}/sub")
    assert r.returncode == 0, r.stderr
    for args in (f"make chdir={rel}/sub", f"make -C {rel}/sub"):
        ansible(lab, tmp_path, "-m", "command", "-a", args)
        assert not (d / "pwned").exists(), args
    held = [e for e in audit(lab) if e["event"] == "command.decision" and "make" in e["command"]]
    assert len(held) == 2 and all(e["decision"] != "allow" for e in held), held
    assert all("exec.download-then-run" in [f["rule"] for f in e["findings"]] for e in held)
