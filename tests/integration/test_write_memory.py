"""Session memory through real sshd and the real ssh client: a file one allowed line wrote is
the agent's own code to a later line, in another exec connection and in a gated shell."""

from __future__ import annotations

import shutil

import pytest

from .conftest import audit, cli
from .terminal import Terminal

NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


def test_a_second_exec_connection_may_not_run_what_the_first_unpacked(make_lab, work):
    lab = make_lab(unknown="approve", approval=NO_REVIEWER)
    d, rel = work
    # the operator's own tree: make runs (the memory is what holds the other one)
    r = lab.ssh(f"cd {rel}/own && make")
    assert r.returncode == 0, r.stderr
    assert (d / "own-ran").exists()
    # first connection: unpack (allowed alone, and it runs)
    r = lab.ssh(f"tar -xzf {rel}/e.tgz -C {rel}/sub")
    assert r.returncode == 0, r.stderr
    assert (d / "sub" / "Makefile").exists()
    # second connection: run the build there; held, and nobody approves
    r = lab.ssh(f"cd {rel}/sub && make")
    assert r.returncode == 77, r
    assert b"exec.download-then-run" in r.stderr and b"an earlier line" in r.stderr
    assert not (d / "pwned").exists()
    # another spelling of the same tree (absolute), in a third connection
    r = lab.ssh(f"cd {d}/sub && make")
    assert r.returncode == 77 and not (d / "pwned").exists()
    held = [e for e in audit(lab) if e["event"] == "command.decision"
            and e["command"] == f"cd {rel}/sub && make"]
    assert held[0]["decision"] == "approve"
    assert f"tar -xzf {rel}/e.tgz" in held[0]["findings"][0]["why"]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_a_gated_shell_may_not_run_what_it_unpacked(make_lab, work):
    lab = make_lab(shell=True, unknown="approve", approval=NO_REVIEWER)
    d, rel = work
    t = Terminal(lab.ssh_argv(None, extra=["-tt"]))
    try:
        t.run("echo ready-$USER")
        t.wait_for(f"ready-{lab.login}")
        t.run(f"cd {rel}")
        # (the output differs from the typed text: a match on the echo of the line would
        # type the next lines into the running tar, and the gate discards such type-ahead)
        t.run("tar -xzf e.tgz -C sub && echo un''packed")
        t.wait_for("unpacked")
        # the shell's directory is followed: `cd sub` on a line of its own, then `make`
        t.run("cd sub")
        t.run("make; echo after-make")
        t.wait_for("denied: no reviewer is connected")
        assert "exec.download-then-run" in t.screen() and "an earlier line" in t.screen()
        t.run("echo still-here")
        t.wait_for("still-here")
        assert not (d / "pwned").exists()
    finally:
        t.close()
    decisions = [(e["command"], e["decision"]) for e in audit(lab)
                 if e["event"] == "command.decision"]
    assert ("make; echo after-make", "approve") in decisions


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_a_gated_shell_keeps_its_memory_while_it_stays_in_a_subdirectory(make_lab, work):
    """The shell reports its directory with each line; the memory placed a line's writes
    from the directories it had followed, so a line in between put them under rel/rel/...:
    `cd rel`, `ls`, `tar -xzf e.tgz -C sub`, `ls`, `cd sub && make` ran the archive's code."""
    lab = make_lab(shell=True, unknown="approve", approval=NO_REVIEWER)
    d, rel = work
    t = Terminal(lab.ssh_argv(None, extra=["-tt"]))
    try:
        t.run("echo ready-$USER")
        t.wait_for(f"ready-{lab.login}")
        t.run(f"cd {rel}")
        t.run("ls >/dev/null; echo li''sted")
        t.wait_for("listed")
        t.run("tar -xzf e.tgz -C sub && echo un''packed")
        t.wait_for("unpacked")
        t.run("ls >/dev/null; echo again-li''sted")
        t.wait_for("again-listed")
        t.run("cd sub && make; echo after-make")
        t.wait_for("denied: no reviewer is connected")
        assert "exec.download-then-run" in t.screen()
        assert not (d / "pwned").exists()
    finally:
        t.close()


def test_an_approved_code_edit_is_reviewed_and_later_runs_are_not_held(make_lab, work):
    """code.write: the edit is held with its content on the line; once a human approves it,
    later builds in another exec connection run the reviewed change unasked. A copy of code
    from scratch space (content not on the line) stays remembered: its build is held."""
    from .test_approvals import hold, wait_pending

    lab = make_lab(unknown="approve", approval={"timeout": "1m"})
    d, rel = work
    edit = f"printf 'all:\\n\\ttouch {d}/reviewed-ran\\n' > {rel}/own/Makefile"
    p = hold(lab, edit)
    [req] = wait_pending(lab)
    assert [f["rule"] for f in req["findings"]] == ["code.write"]
    assert cli(lab, "approve", req["id"]).returncode == 0
    _, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    # a later connection builds what the reviewer approved: ordinary
    r = lab.ssh(f"cd {rel}/own && make")
    assert r.returncode == 0, r.stderr
    assert (d / "reviewed-ran").exists()
    decided = [e for e in audit(lab) if e["event"] == "command.decision"
               and e["command"] == f"cd {rel}/own && make"]
    assert decided[-1]["decision"] == "allow"
    # the same edit allowed without a reviewer (a site that allows code.write) is not
    # reviewed: what runs it later is held, as before
    lab2 = make_lab(unknown="approve", approval=NO_REVIEWER,
                    rules=[{"rule": "code.write", "action": "allow"}])
    r = lab2.ssh(f"printf 'all:\\n\\ttouch {d}/pwned\\n' > {rel}/sub/Makefile")
    assert r.returncode == 0, r.stderr
    r = lab2.ssh(f"cd {rel}/sub && make")
    assert r.returncode == 77 and b"exec.download-then-run" in r.stderr
    assert not (d / "pwned").exists()
