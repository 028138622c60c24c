"""Outbound connection to a target with a minted certificate and the pinned host key."""

from __future__ import annotations

import asyncio

import asyncssh

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
