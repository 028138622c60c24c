"""A small SSH target for ``sshgate demo`` on machines without OpenSSH's sshd.

It trusts the gateway CA for user certificates (like ``TrustedUserCAKeys``), checks the
principal, and runs each exec request with ``/bin/sh -c`` as the current user. It is a demo
stand-in, not a hardened server.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys

import asyncssh


async def run_command(process: asyncssh.SSHServerProcess) -> None:
    command = process.command or os.environ.get("SHELL", "/bin/sh")
    proc = await asyncio.create_subprocess_exec(
        "/bin/sh", "-c", command, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **process.env})

    async def pump(src: asyncio.StreamReader, dst) -> None:
        while chunk := await src.read(65536):
            dst.write(chunk)
            await dst.drain()

    async def feed() -> None:
        try:
            async for chunk in process.stdin:
                proc.stdin.write(chunk)
                await proc.stdin.drain()
        except (asyncssh.BreakReceived, asyncssh.SignalReceived, asyncssh.TerminalSizeChanged):
            pass
        finally:
            if not proc.stdin.is_closing():
                proc.stdin.close()

    feeder = asyncio.ensure_future(feed())
    await asyncio.gather(pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr))
    status = await proc.wait()
    feeder.cancel()
    if status < 0:
        process.exit_with_signal(signal.Signals(-status).name.removeprefix("SIG"))
    else:
        process.exit(status)


class _Server(asyncssh.SSHServer):
    def __init__(self, login: str):
        self.login = login

    def begin_auth(self, username: str) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return False  # certificates only

    def validate_ca_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return username == self.login and key.public_data == self.ca.public_data


async def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host-key", required=True)
    ap.add_argument("--ca", required=True, help="the gateway CA public key file")
    ap.add_argument("--log", default=None)
    args = ap.parse_args(argv)
    ca = asyncssh.read_public_key(args.ca)
    login = getpass.getuser()
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr  # noqa: SIM115

    class Server(_Server):
        def __init__(self) -> None:
            super().__init__(login)
            self.ca = ca

        def validate_ca_key(self, username: str, key: asyncssh.SSHKey) -> bool:
            ok = super().validate_ca_key(username, key)
            print(f"certificate for {username}: {'accepted' if ok else 'refused'}", file=log)
            return ok

    server = await asyncssh.create_server(
        Server, "127.0.0.1", args.port, server_host_keys=[args.host_key],
        process_factory=run_command, encoding=None, agent_forwarding=False,
        x11_forwarding=False, allow_scp=False)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print(f"embedded target listening on 127.0.0.1:{args.port}", file=log)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
