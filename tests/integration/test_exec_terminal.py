"""An exec command in a terminal: a pager it opens must not run the agent's typed commands."""

from __future__ import annotations

import subprocess

from .conftest import audit


def _repo(path) -> None:
    """A repository whose log is longer than a terminal page, so git opens its pager."""
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    message = "\n".join(f"line {i}" for i in range(200))
    subprocess.run(["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-q", "--allow-empty", "-m", message], check=True)


def test_pager_shell_escape_in_an_exec_terminal_runs_nothing(lab, tmp_path):
    repo = tmp_path / "repo"
    _repo(repo)
    pwned = tmp_path / "pwned"
    typed = f"!touch {pwned}\nq\nq\n".encode()
    r = lab.ssh(f"git -C {repo} log", input=typed, extra=["-tt"], timeout=30)
    assert not pwned.exists(), r
    d = [e for e in audit(lab) if e["event"] == "command.decision"]
    assert d and d[0]["decision"] == "allow"  # the command itself is ordinary and ran


def test_editor_opened_by_an_allowed_command_reads_no_agent_commands(make_lab, tmp_path):
    # the repository is under /tmp, where a commit's hooks would be held: allowed here
    lab = make_lab(rules=[{"rule": "exec.download-then-run", "action": "allow"}])
    repo = tmp_path / "repo"
    _repo(repo)
    pwned = tmp_path / "pwned"
    typed = f":!touch {pwned}\n:wq\n".encode()
    for extra in ([], ["-tt"]):
        (repo / "f").write_text(str(extra))
        subprocess.run(["git", "-C", str(repo), "add", "f"], check=True)
        r = lab.ssh(f"git -C {repo} commit", input=typed, extra=extra, timeout=30)
        assert not pwned.exists(), (extra, r)
        assert r.returncode != 0  # git asks for -m: the editor refused
    decisions = [e["decision"] for e in audit(lab) if e["event"] == "command.decision"]
    assert decisions == ["allow", "allow"]
