"""Outbound connection to a target with a minted certificate and the pinned host key."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncssh
from asyncssh.misc import encode_env
from asyncssh.packet import SSHPacket

from ..certs import SessionCredential
from ..policy.model import Target

#: Channel window and packet size for both legs: larger than asyncssh's defaults so that a
#: bulk transfer is not throttled by window updates.
WINDOW = 8 * 1024 * 1024
MAX_PKTSIZE = 256 * 1024


#: Handshakes in flight per target. sshd's listen backlog is 128: a burst of simultaneous
#: connects beyond it loses SYNs and waits out TCP's retransmission backoff (seconds).
MAX_HANDSHAKES_PER_TARGET = 48


class UpstreamError(Exception):
    """The target could not be reached or did not accept the certificate; safe to show."""


class _HeldChannel(asyncssh.SSHClientChannel[bytes]):
    """A session channel whose open was sent ahead of its requests: asyncssh's own
    ``create()`` then sends env, pty and exec on it, picking up the stored confirmation
    (asyncssh has no public call that opens a session channel without starting it)."""

    _confirmed: SSHPacket | None = None

    async def open_session(self) -> None:
        self._confirmed = await super()._open(b"session")

    async def _open(self, chantype: bytes, *args: bytes) -> SSHPacket:
        confirmed, self._confirmed = self._confirmed, None
        if chantype != b"session" or confirmed is None:
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_CONNECT_FAILED,
                                            "the held channel was not open")
        return confirmed


#: asyncssh versions the held channel was tested with (it calls channel internals)
HELD_CHANNEL_TESTED = frozenset({"2.24.1"})


def held_channel_refusal() -> str | None:
    """Why :class:`HeldSession` will not be used with the installed asyncssh (None: it will)."""
    if asyncssh.__version__ not in HELD_CHANNEL_TESTED:
        return (f"asyncssh {asyncssh.__version__} is not a version it was tested with "
                f"({', '.join(sorted(HELD_CHANNEL_TESTED))})")
    needed = [(asyncssh.SSHClientChannel, "_open"), (asyncssh.SSHClientChannel, "create"),
              (asyncssh.SSHClientConnection, "_update_recv_pktlen")]
    missing = [f"{c.__name__}.{n}" for c, n in needed if not hasattr(c, n)]
    return f"asyncssh lacks {', '.join(missing)}" if missing else None


class HeldSession:
    """The target's session channel for a command that waits for approval, opened early so
    that approve → start costs one round trip less. Nothing is requested on it (no env, no
    pty, no exec) until :meth:`start`; :meth:`discard` closes it, once open, if never
    started. The open is never cancelled: a cancelled open would leave the target's
    channel open with nobody to close it."""

    def __init__(self, connect: asyncio.Future[asyncssh.SSHClientConnection]):
        self._discarded = False
        self._task = asyncio.ensure_future(self._open(connect))
        self._task.add_done_callback(_retrieve_exception)

    async def _open(self, connect: asyncio.Future[asyncssh.SSHClientConnection]
                    ) -> _HeldChannel:
        conn = await asyncio.shield(connect)
        if self._discarded:  # decided while the connection was still being made
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_CONNECT_FAILED, "not needed")
        conn._update_recv_pktlen(MAX_PKTSIZE)  # what create_session() does for its channels
        chan = _HeldChannel(conn, conn._loop, conn._utf8_decode_errors,  # type: ignore[attr-defined]
                            None, "strict", WINDOW, MAX_PKTSIZE)
        await chan.open_session()
        if self._discarded:
            chan.close()
        return chan

    async def start(self, session_factory: Any, command: str | None, *,
                    subsystem: str | None, env: dict[str, str], term_type: str | None,
                    term_size: Any, term_modes: Any
                    ) -> tuple[asyncssh.SSHClientChannel[bytes], Any] | None:
        """Send env, pty and the command on the held channel, as ``create_session`` would;
        None when it did not open or the target closed it meanwhile (open a fresh one)."""
        try:
            chan = await asyncio.shield(self._task)
        except (OSError, asyncssh.Error, UpstreamError):
            return None
        if chan.is_closing():
            return None
        session = await chan.create(session_factory, command, subsystem,
                                    dict(encode_env(env)), bool(term_type), term_type,
                                    term_size, term_modes or {}, False, None, None, False,
                                    False)
        return chan, session

    def discard(self) -> None:
        """The command will not run here: close the channel (now, or as soon as it is open)."""
        if self._discarded:
            return
        self._discarded = True
        if self._task.done() and not self._task.cancelled() and self._task.exception() is None:
            self._task.result().close()


def _retrieve_exception(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()


async def connect_upstream(
    target: Target, credential: SessionCredential, *, timeout: float = 10.0,
    gate: asyncio.Semaphore | None = None,
) -> asyncssh.SSHClientConnection:
    """Log in to ``target`` as the credential's principal; the host key must be pinned.
    ``gate`` bounds the handshakes in flight to that target."""
    pinned = [asyncssh.import_public_key(k) for k in target.host_keys]
    if not pinned:
        raise UpstreamError(f"target {target.name!r} has no pinned host key")
    if gate is None:
        return await _connect(target, credential, pinned, timeout)
    async with gate:
        return await _connect(target, credential, pinned, timeout)


async def _connect(target: Target, credential: SessionCredential,
                   pinned: list[asyncssh.SSHKey], timeout: float) -> asyncssh.SSHClientConnection:
    try:
        return await asyncio.wait_for(
            asyncssh.connect(
                target.host,
                target.port,
                username=credential.principal,
                client_keys=[(credential.key, credential.cert)],
                known_hosts=(pinned, [], []),
                config=None,
                agent_path=None,
                agent_forwarding=False,
                x11_forwarding=False,
                preferred_auth=["publickey"],
                password=None,
                kbdint_auth=False,
                gss_auth=False,
                compression_algs=None,
                # AES-GCM first: with AES-NI it is the fastest cipher in both OpenSSH and
                # asyncssh's cryptography backend, and matches what the benchmarks compare.
                encryption_algs=["aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                                 "chacha20-poly1305@openssh.com", "aes128-ctr"],
                keepalive_interval=30,
                encoding=None,
                login_timeout=timeout,
            ),
            timeout,
        )
    except asyncssh.HostKeyNotVerifiable as e:
        raise UpstreamError(
            f"target {target.name!r} presented a host key that does not match the pinned key "
            f"({e.reason})"
        ) from None
    except asyncssh.PermissionDenied:
        raise UpstreamError(
            f"target {target.name!r} refused the session certificate (is the gateway CA in its "
            "TrustedUserCAKeys?)"
        ) from None
    except TimeoutError:
        raise UpstreamError(f"target {target.name!r} did not answer within {timeout:g}s") from None
    except (OSError, asyncssh.Error) as e:
        msg = getattr(e, "reason", None) or getattr(e, "strerror", None) or str(e)
        raise UpstreamError(
            f"target {target.name!r} ({target.host}:{target.port}) unreachable: {msg}"
        ) from None
