"""The command guard on the exec path, against real sshd: refused means nothing ran."""

from __future__ import annotations

import asyncio
import subprocess
import time

import asyncssh
import pytest

from sshgate.lab import control_master

from .conftest import audit, marker, sessions_started_by_sshd


def test_denied_command_never_reaches_the_target(lab, tmp_path):
    precious = marker(tmp_path)
    r = lab.ssh(f"mkfs.ext4 /dev/null; rm -rf {precious}")
    assert r.returncode == 77
    assert r.stderr.startswith(b"sshgate: denied: disk.mkfs: ")
    assert (precious / "data").read_text() == "keep me"
    assert sessions_started_by_sshd(lab) == 0
    d = next(e for e in audit(lab) if e["event"] == "command.decision")
    assert d["decision"] == "deny" and d["findings"][0]["rule"] == "disk.mkfs"
    assert 0 < d["classify_ms"] < 1000  # the guard's own time is in the audit log


def test_policy_override_lets_a_scoped_command_run(make_lab, tmp_path):
    lab = make_lab(rules=[{"rule": "fs.rm-recursive", "action": "allow",
                           "paths": [f"{tmp_path}/**"]}])
    precious = marker(tmp_path)
    r = lab.ssh(f"rm -rf {precious} && echo gone")
    assert r.returncode == 0 and r.stdout == b"gone\n"
    assert not precious.exists()


def test_allowed_command_runs(lab):
    r = lab.ssh("ls / | head -1; git --version >/dev/null 2>&1; echo ok")
    assert r.returncode == 0 and r.stdout.endswith(b"ok\n")


NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


def test_bare_interpreter_reading_the_agent_stdin_is_held(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER)
    precious = marker(tmp_path)
    script = f"import shutil\nshutil.rmtree({str(precious)!r})\nprint('ran')\n".encode()
    for command in ("python3", "python3 -", "python3 /dev/stdin", "sh /proc/self/fd/0",
                    "bash /dev/fd/0", "source /dev/stdin", "bash <(cat)"):
        body = script if command.startswith("python") else \
            f"rm -rf {precious}; echo ran\n".encode()
        r = lab.ssh(command, input=body)
        assert r.returncode == 77, (command, r)
        assert b"exec.interactive-interpreter" in r.stderr or \
            b"exec.pipe-to-interpreter" in r.stderr, (command, r.stderr)
        assert b"ran" not in r.stdout
        assert (precious / "data").read_text() == "keep me"
    assert sessions_started_by_sshd(lab) == 0


def test_expansion_in_a_path_does_not_satisfy_the_override(make_lab, tmp_path):
    lab = make_lab(approval=NO_REVIEWER,
                   rules=[{"rule": "fs.rm-recursive", "action": "allow",
                           "paths": [f"{tmp_path}/scratch/**"]}])
    (tmp_path / "scratch" / "x").mkdir(parents=True)
    precious = marker(tmp_path)
    for line in (f"rm -rf {tmp_path}/scratch/{{..,x}}/precious",
                 f"rm -rf {tmp_path}/scratch/$(echo ..)/precious",
                 f"rm -rf {tmp_path}/scratch/`echo ..`/precious",
                 f"rm -rf {tmp_path}/scratch/${{X:-..}}/precious",
                 f"X=..; rm -rf {tmp_path}/scratch/$X/precious",
                 f"rm -rf {tmp_path}/scratch/../precious"):
        r = lab.ssh(line)
        assert r.returncode == 77 and b"fs.rm-recursive" in r.stderr, (line, r)
        assert (precious / "data").read_text() == "keep me"
    r = lab.ssh(f"rm -rf {tmp_path}/scratch/x && echo gone")
    assert r.returncode == 0 and r.stdout == b"gone\n"  # the literal path still may


def test_a_long_adversarial_line_does_not_stall_other_sessions(make_lab, tmp_path):
    """Classification runs off the event loop and within its budget: while 64 KiB lines that
    hit bashlex's worst case are classified, another session's echo still comes back fast.
    The adversarial lines go over an OpenSSH ControlMaster so that the gateway's only work
    for them is the channel and the guard (not key exchange)."""
    lab = make_lab(approval=NO_REVIEWER)
    echo = subprocess.Popen(lab.ssh_argv("cat"), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert echo.stdin is not None and echo.stdout is not None

    def round_trip(i: int) -> float:
        start = time.perf_counter()
        echo.stdin.write(f"{i}\n".encode())
        echo.stdin.flush()
        assert echo.stdout.readline() == f"{i}\n".encode()
        return time.perf_counter() - start

    line = "echo " + "$(x)" * (64 * 1024 // 4 - 2)

    def echoes_while_refused(mux: list[str], command: str) -> list[float]:
        """Echo round trips while three ``command`` lines are refused over ``mux``."""
        refused = [subprocess.Popen(lab.ssh_argv(command, extra=mux), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(3)]
        times = []
        while any(p.poll() is None for p in refused):
            times.append(round_trip(len(times)))
        for p in refused:
            _, err = p.communicate(timeout=30)
            assert p.returncode == 77, err
        return sorted(times)

    try:
        with control_master(lambda c, o: lab.ssh_argv(c, extra=o), tmp_path / "cm") as mux:
            for i in range(5):
                round_trip(i)  # the channel is up and warm
            # the same refusals with a short line: what the gateway costs besides the guard
            # (channel, audit lines with fsync, recording)
            short = echoes_while_refused(mux, "mkfs.ext4 /dev/null")
            if short[-1] >= 0.05:
                pytest.skip(f"the gateway stalls {short[-1] * 1000:.0f} ms around a short "
                            f"refused line already (machine load, audit fsync on the loop): "
                            f"nothing to compare 50 ms with")
            busy = echoes_while_refused(mux, line)
    finally:
        echo.stdin.close()
        echo.wait(timeout=30)
    decisions = [e for e in audit(lab) if e["event"] == "command.decision"
                 and e["command"].startswith("echo $(x)")]
    assert len(decisions) == 3
    assert all("budget" in e["findings"][0]["why"] for e in decisions)
    assert all(e["classify_ms"] < 1000 for e in decisions), [e["classify_ms"] for e in decisions]
    assert busy and busy[-1] < 0.05, (busy[-5:], short[-5:])
# --- least privilege by default: commands outside the known-safe catalogue ----------------------
def test_unknown_command_is_held_by_default_and_never_runs(make_lab, tmp_path):
    lab = make_lab(unknown="approve", approval=NO_REVIEWER)
    precious = marker(tmp_path)
    r = lab.ssh(f"ls /; truncate -s 0 {precious}/data")  # no rule knows this clobber
    assert r.returncode == 77, r
    assert b"guard.unknown" in r.stderr
    assert (precious / "data").read_text() == "keep me"
    assert sessions_started_by_sshd(lab) == 0
    d = next(e for e in audit(lab) if e["event"] == "command.decision")
    assert [f["rule"] for f in d["findings"]] == ["guard.unknown"]


def test_grant_allow_entry_makes_a_site_script_known_safe(make_lab, tmp_path):
    script = tmp_path / "status.sh"
    script.write_text("#!/bin/sh\necho \"status: $1\"\n")
    script.chmod(0o755)
    lab = make_lab(unknown="approve", approval=NO_REVIEWER,
                   allow=[{"command": str(script), "args": ["web"]}])
    r = lab.ssh(f"{script} web")
    assert r.returncode == 0 and r.stdout == b"status: web\n", r
    r = lab.ssh(f"{script} db")  # another argument: not what the entry names
    assert r.returncode == 77 and b"guard.unknown" in r.stderr


def test_grant_unknown_deny_refuses_at_once(make_lab):
    lab = make_lab(unknown="deny")
    r = lab.ssh("some-site-tool --now")
    assert r.returncode == 77 and r.stderr.startswith(b"sshgate: denied: guard.unknown")
    assert sessions_started_by_sshd(lab) == 0
    assert lab.ssh("uptime").returncode == 0  # known safe still runs


def test_find_awk_search_and_git_by_allow_list_through_sshd(make_lab, tmp_path):
    """find's exec, awk programs, searcher and git options are allow-lists: what is not on
    them is held before anything runs; the ordinary forms run on the target."""
    lab = make_lab(approval=NO_REVIEWER, unknown="approve")
    precious = marker(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("x 1\nx 2\n")
    key = tmp_path / ".ssh" / "id_ed25519"
    key.parent.mkdir()
    key.write_text("PRIVATE KEY")
    # find ends an exec at '+' only right after '{}': cat is given '+' and the key
    for line in (f"find {src} -exec sh -c 'rm -rf {precious}' \\;",
                 f"find {src} -exec cat + {key} \\;", f"find {key.parent} -exec cat {{}} +",
                 f"awk 'BEGIN {{ system(\"rm -rf {precious}\") }}'",
                 f"awk '{{ print > \"{precious}/data\" }}' {src}/a.txt",
                 f"rg --pre ./x foo {src}",
                 f"git -c core.pager='rm -rf {precious}' log",
                 f"git clone 'ext::sh -c rm% -rf% {precious}' {tmp_path}/c"):
        r = lab.ssh(line)
        assert r.returncode == 77, (line, r)
        assert b"PRIVATE" not in r.stdout
        assert (precious / "data").read_text() == "keep me"
    assert sessions_started_by_sshd(lab) == 0
    r = lab.ssh(f"find {src} -name '*.txt' -exec grep -c x {{}} + && "
                f"awk '{{ s += $2 }} END {{ print s }}' {src}/a.txt")
    assert r.returncode == 0 and r.stdout == b"2\n3\n", r


def test_a_command_with_a_nul_byte_is_refused_before_anything(make_lab, tmp_path):
    """sshd runs only what precedes a NUL (argv is a C string): such a command is refused at
    the edge, named in the audit log with the NUL spelt out (red team s9b G6: it used to
    reach the fleet's database, which refuses NUL in text, and read as an outage)."""
    lab = make_lab()
    precious = marker(tmp_path)

    async def agent():
        async with asyncssh.connect("127.0.0.1", lab.gateway.port, known_hosts=None,
                                    username=f"{lab.login}@lab",
                                    client_keys=[str(lab.agent_key)]) as c:
            return await c.run(f"true\x00; rm -rf {precious}", check=False, timeout=20)

    r = asyncio.run(agent())
    assert r.exit_status == 77 and "NUL byte" in r.stderr, (r.exit_status, r.stderr)
    assert precious.exists()
    [e] = [e for e in audit(lab) if e["event"] == "command.refused"]
    assert e["command"] == f"true\\0; rm -rf {precious}"
    assert lab.ssh("echo ok").stdout == b"ok\n"
