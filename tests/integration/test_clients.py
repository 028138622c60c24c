"""The clients agents and ops already use keep working through the gateway, and what they
would change is judged by its paths: rsync, scp -O, git over ssh, paramiko."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import paramiko
import pytest

from .conftest import audit

NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


def ssh_e(lab) -> str:
    """rsync's and git's -e / GIT_SSH_COMMAND: the lab's ssh with its options."""
    argv = lab.ssh_argv(None)[:-1]  # without the destination
    return " ".join(argv)


def decisions(lab) -> dict[str, str]:
    return {e["command"]: e["decision"] for e in audit(lab) if e["event"] == "command.decision"}


def test_rsync_push_pull_and_delete_into_a_system_dir(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER, grant={"sftp": True})
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a")
    dest = tmp_path / "dest"
    remote = f"{lab.login}@lab@127.0.0.1"
    r = subprocess.run(["rsync", "-a", "-e", ssh_e(lab), f"{src}/", f"{remote}:{dest}/"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (dest / "a.txt").read_text() == "a"
    back = tmp_path / "back"
    r = subprocess.run(["rsync", "-a", "-e", ssh_e(lab), f"{remote}:{dest}/", f"{back}/"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (back / "a.txt").read_text() == "a"
    # --delete makes the receiver remove files: held (and here refused: no reviewer)
    (dest / "keep.txt").write_text("keep")
    r = subprocess.run(["rsync", "-a", "--delete", "-e", ssh_e(lab), f"{src}/",
                        f"{remote}:{dest}/"], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and (dest / "keep.txt").exists()
    assert "transfer.remove" in r.stderr


def test_scp_legacy_protocol_by_its_paths(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER, grant={"sftp": True})
    f = tmp_path / "f.txt"
    f.write_text("hi")
    base = ["scp", "-O", *lab.ssh_argv(None)[1:-1]]
    base[base.index("-p")] = "-P"
    remote = f"{lab.login}@lab@127.0.0.1"
    out = tmp_path / "out"
    out.mkdir()
    r = subprocess.run([*base, str(f), f"{remote}:{out}/f.txt"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (out / "f.txt").read_text() == "hi"
    r = subprocess.run([*base, f"{remote}:{out}/f.txt", str(tmp_path / "g.txt")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    (out / ".ssh").mkdir()
    r = subprocess.run([*base, str(f), f"{remote}:{out}/.ssh/authorized_keys"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and not (out / ".ssh/authorized_keys").exists()
    assert "cred.auth-files" in r.stderr
    seen = decisions(lab)
    assert seen[f"scp -t {out}/f.txt"] == "allow"
    assert seen[f"scp -f {out}/f.txt"] == "allow"


def test_git_clone_fetch_push_and_archive(lab, tmp_path):
    bare = tmp_path / "repo.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    env = {**os.environ, "GIT_SSH_COMMAND": ssh_e(lab), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    url = f"ssh://{lab.login}%40lab@127.0.0.1:{lab.gateway.port}{bare}"
    work = tmp_path / "work"

    def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=60)

    r = git("clone", "-q", url, str(work))
    assert r.returncode == 0, r.stderr
    (work / "README").write_text("x")
    assert git("add", "README", cwd=work).returncode == 0
    assert git("commit", "-qm", "one", cwd=work).returncode == 0
    r = git("push", "-q", "origin", "HEAD", cwd=work)
    assert r.returncode == 0, r.stderr
    r = git("fetch", "-q", "origin", cwd=work)
    assert r.returncode == 0, r.stderr
    r = git("archive", "--remote", url, "HEAD", "README", cwd=work)
    assert r.returncode == 0, r.stderr


def test_paramiko_exec(lab):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=lab.gateway.port, username=f"{lab.login}@lab",
                   key_filename=str(lab.agent_key), allow_agent=False, look_for_keys=False,
                   timeout=20)
    try:
        _, out, err = client.exec_command("echo from-paramiko; exit 3", timeout=20)
        assert out.read() == b"from-paramiko\n"
        assert out.channel.recv_exit_status() == 3
        _, out, err = client.exec_command("mkfs.ext4 /dev/sda", timeout=20)
        assert out.channel.recv_exit_status() == 77
        assert b"disk.mkfs" in err.read()
    finally:
        client.close()


@pytest.mark.parametrize("cmd", ["rsync --server -vlogDtpre.iLsfxCIvu . /etc/",
                                 "scp -t /etc/cron.d/x"])
def test_transfer_servers_into_system_paths_are_held(make_lab, cmd):
    lab = make_lab(approval=NO_REVIEWER, grant={"sftp": True})
    r = lab.ssh(cmd)
    assert r.returncode == 77 and b"fs.write-system-path" in r.stderr


def test_read_only_grant_refuses_scp_and_rsync_uploads_too(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER)  # sftp: read-only, the default
    f = tmp_path / "f.txt"
    f.write_text("hi")
    base = ["scp", "-O", *lab.ssh_argv(None)[1:-1]]
    base[base.index("-p")] = "-P"
    r = subprocess.run([*base, str(f), f"{lab.login}@lab@127.0.0.1:{tmp_path}/up.txt"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and not (tmp_path / "up.txt").exists()
    assert "transfer.write" in r.stderr and "sftp: setting" in r.stderr
    r = subprocess.run(["rsync", "-a", "-e", ssh_e(lab), str(f),
                        f"{lab.login}@lab@127.0.0.1:{tmp_path}/up2.txt"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and not (tmp_path / "up2.txt").exists()
    # downloads stay allowed
    r = subprocess.run([*base, f"{lab.login}@lab@127.0.0.1:{f}", str(tmp_path / "down.txt")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
