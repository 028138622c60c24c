"""HeldSession (a target's session channel opened while its command waits for approval),
against an asyncssh server on 127.0.0.1: nothing is requested on it before start(), and a
discarded one is closed wherever its open was (asyncssh loopback: unit level; the real sshd
path is tests/integration/test_approvals.py)."""

from __future__ import annotations

import asyncio

import asyncssh
import pytest

from sshgate.gateway.upstream import HeldSession


class Target(asyncssh.SSHServer):
    def __init__(self, log: list[str]):
        self.log = log

    def begin_auth(self, username: str) -> bool:
        return False  # no authentication: a loopback for the channel logic only

    def session_requested(self) -> asyncssh.SSHServerSession:
        self.log.append("open")
        return Session(self.log)


class Session(asyncssh.SSHServerSession):
    def __init__(self, log: list[str]):
        self.log = log

    def connection_made(self, chan) -> None:
        self.chan = chan

    def exec_requested(self, command: str) -> bool:
        self.log.append(f"exec {command} env={dict(self.chan.get_environment())}")
        return True

    def session_started(self) -> None:
        self.chan.write(b"ran\n")
        self.chan.exit(0)

    def connection_lost(self, exc) -> None:
        self.log.append("closed")


class Client(asyncssh.SSHClientSession):
    def __init__(self, out: list[bytes]):
        self.out = out

    def data_received(self, data, datatype) -> None:
        self.out.append(data)


async def settle(log: list[str], want: list[str]) -> None:
    for _ in range(200):
        if log == want:
            return
        await asyncio.sleep(0.01)
    assert log == want


@pytest.fixture
def run_target():
    async def go(body):
        log: list[str] = []
        key = asyncssh.generate_private_key("ssh-ed25519")
        server = await asyncssh.create_server(lambda: Target(log), "127.0.0.1", 0,
                                              server_host_keys=[key], encoding=None)
        port = server.sockets[0].getsockname()[1]
        conn = asyncio.ensure_future(asyncssh.connect("127.0.0.1", port, known_hosts=None,
                                                      username="u", config=None,
                                                      agent_path=None, encoding=None))
        try:
            await body(conn, log)
        finally:
            if conn.done() and not conn.cancelled() and conn.exception() is None:
                conn.result().close()
            server.close()
            await server.wait_closed()
    return lambda body: asyncio.run(go(body))


def test_nothing_is_requested_until_start(run_target):
    async def body(conn, log):
        held = HeldSession(conn)
        await settle(log, ["open"])
        await asyncio.sleep(0.1)
        assert log == ["open"]  # open, and no request on it
        out: list[bytes] = []
        started = await held.start(lambda: Client(out), "echo hi", subsystem=None,
                                   env={"LANG": "C"}, term_type=None, term_size=None,
                                   term_modes=None)
        assert started is not None
        chan, _ = started
        await chan.wait_closed()
        assert log == ["open", "exec echo hi env={'LANG': 'C'}", "closed"]
        assert b"".join(out) == b"ran\n"
    run_target(body)


@pytest.mark.parametrize("when", ["before the connection", "during the open", "once open"])
def test_a_discarded_channel_is_closed_and_never_runs(run_target, when):
    async def body(conn, log):
        held = HeldSession(conn)
        if when == "during the open":
            while "open" not in log:  # the target has it; its confirmation is on the way
                await asyncio.sleep(0)
            assert not held._task.done()
        elif when == "once open":
            await settle(log, ["open"])
            await asyncio.sleep(0.05)
        held.discard()
        await asyncio.sleep(0.3)
        if when == "before the connection":
            assert log == []  # the channel was never opened
        else:
            await settle(log, ["open", "closed"])
        assert await held.start(lambda: Client([]), "echo hi", subsystem=None, env={},
                                term_type=None, term_size=None, term_modes=None) is None
    run_target(body)
