"""One session's caps and its end (issue #17, items 7, 8, 9): pending approvals, channels,
channels opened while the session ends, environment sent after the exec request."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import asyncssh
import pytest

from sshgate.lab import control_master

from ..integration.test_approvals import wait_pending
from .conftest import audit


@pytest.fixture
def short_dir():
    # ControlPath must fit a Unix socket path: a private directory of its own
    d = Path(tempfile.mkdtemp(prefix="sg-cm-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def background(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_pending_request_over_the_cap_is_refused(make_lab, tmp_path, short_dir):
    lab = make_lab(settings={"max_pending_per_session": 4})
    precious = [tmp_path / f"p{i}" for i in range(5)]
    for p in precious:
        p.mkdir()
    with control_master(lambda cmd, opts: lab.ssh_argv(cmd, extra=opts),
                        short_dir / "cm") as mux:
        held = [background(lab.ssh_argv(f"rm -rf {p}", extra=mux)) for p in precious[:4]]
        reqs = wait_pending(lab, 4)
        assert len({r["session"] for r in reqs}) == 1  # one connection, four channels
        r = subprocess.run(lab.ssh_argv(f"rm -rf {precious[4]}", extra=mux),
                           capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        assert r.returncode == 77
        assert b"sshgate: denied: 4 commands of this session already wait for approval " \
               b"(limit 4, max_pending_per_session)" in r.stderr, r.stderr
        refused = [e for e in audit(lab) if e["event"] == "approval.refused"]
        assert [e["command"] for e in refused] == [f"rm -rf {precious[4]}"]
        assert len(wait_pending(lab, 4)) == 4  # the reviewer's queue did not grow
        from ..integration.conftest import cli

        for req in reqs:
            cli(lab, "deny", req["id"])
        for p in held:
            p.communicate(timeout=30)
            assert p.returncode == 77
    assert all(p.exists() for p in precious)


def test_channels_over_the_cap_are_refused(make_lab, short_dir):
    lab = make_lab(settings={"max_channels_per_session": 3})
    with control_master(lambda cmd, opts: lab.ssh_argv(cmd, extra=opts),
                        short_dir / "cm") as mux:
        running = [background(lab.ssh_argv("sleep 20", extra=mux)) for _ in range(3)]
        deadline = time.monotonic() + 30
        while sum(e["event"] == "command.decision" for e in audit(lab)) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        r = subprocess.run(lab.ssh_argv("echo fourth", extra=mux), capture_output=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        # OpenSSH's mux client, refused a channel, falls back to a connection of its own:
        # a new session with its own caps (and the per-source connection limit)
        assert b"Session open refused by peer" in r.stderr, r.stderr
        [refused] = [e for e in audit(lab) if e["event"] == "channel.refused"]
        assert refused["reason"] == "too many channels" and refused["limit"] == 3
        sleeps = {e["session"] for e in audit(lab) if e["event"] == "command.decision"
                  and e["command"] == "sleep 20"}
        assert refused["session"] in sleeps and len(sleeps) == 1
        fourth = [e for e in audit(lab) if e["event"] == "command.decision"
                  and e["command"] == "echo fourth"]
        assert all(e["session"] not in sleeps for e in fourth)
        for p in running:
            p.kill()
            p.communicate(timeout=30)
        # closed channels free their slots
        deadline = time.monotonic() + 30
        while True:
            r = subprocess.run(lab.ssh_argv("echo again", extra=mux), capture_output=True,
                               timeout=60, stdin=subprocess.DEVNULL)
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.stdout == b"again\n", r.stderr


async def _connect(lab) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1", lab.gateway.port, username=f"{lab.login}@lab",
        client_keys=[asyncssh.read_private_key(str(lab.agent_key))], known_hosts=None,
        config=None, agent_path=None)


def _events(lab, name: str) -> list[dict]:
    return [e for e in audit(lab) if e["event"] == name]


def test_no_channel_opens_once_the_deadline_is_reached(make_lab):
    # The agent is asyncssh here: OpenSSH's client cannot time a channel open into the
    # closing grace. Channel A floods output it does not read, so that the gateway's grace
    # for A's last output (2 s) holds the connection open after the deadline.
    lab = make_lab(max_session="3s")

    async def main() -> tuple[str, list[dict]]:
        async with await _connect(lab) as conn:
            chan_a, _ = await conn.create_session(asyncssh.SSHClientSession,
                                                  "head -c 50000000 /dev/zero",
                                                  encoding=None)
            chan_a.pause_reading()
            deadline = time.monotonic() + 20
            while not _events(lab, "session.deadline"):
                assert time.monotonic() < deadline, "no deadline"
                await asyncio.sleep(0.02)
            try:
                chan_b, _ = await conn.create_session(asyncssh.SSHClientSession, "echo late",
                                                      encoding=None)
            except asyncssh.ChannelOpenError as e:
                return f"refused: {e.reason}", _events(lab, "command.decision")
            await chan_b.wait_closed()
            return f"ran, exit {chan_b.get_exit_status()}", _events(lab, "command.decision")

    outcome, decisions = asyncio.run(main())
    assert outcome.startswith("refused: sshgate: session deadline reached"), outcome
    assert [d["command"] for d in decisions] == ["head -c 50000000 /dev/zero"]
    refused = _events(lab, "channel.refused")
    assert refused and refused[0]["reason"].startswith("session ending: session deadline")


def test_env_sent_after_exec_never_reaches_the_target_and_is_audited(make_lab):
    lab = make_lab(rules=[{"rule": "site.printenv", "action": "approve", "why": "testing",
                           "commands": ["printenv"]}])

    async def main() -> tuple[bool | None, bytes, int | None]:
        out = bytearray()

        class Collect(asyncssh.SSHClientSession):
            def data_received(self, data, datatype):
                if datatype is None:
                    out.extend(data)

        async with await _connect(lab) as conn:
            chan, _ = await conn.create_session(
                Collect, "printenv SSHGATE_INJECT SSHGATE_BEFORE", encoding=None,
                env={"SSHGATE_BEFORE": "seen"})
            [req] = await asyncio.to_thread(wait_pending, lab)
            # while the command is held: an env request the reviewer never saw
            accepted = await chan._make_request(b"env", asyncssh.packet.String("SSHGATE_INJECT"),
                                                asyncssh.packet.String("evil"))
            from ..integration.conftest import cli

            assert (await asyncio.to_thread(cli, lab, "approve", req["id"])).returncode == 0
            await asyncio.wait_for(chan.wait_closed(), 30)
            return accepted, bytes(out), chan.get_exit_status()

    _, out, status = asyncio.run(main())
    assert b"evil" not in out and out == b"seen\n"
    assert status == 1  # printenv: one of the two variables is not set
    assert [e["names"] for e in _events(lab, "env.ignored")] == [["SSHGATE_INJECT"]]
