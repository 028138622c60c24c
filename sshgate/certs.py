"""The gateway CA: create and load keys, mint one-session SSH user certificates."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

import asyncssh

#: Certificates are valid from slightly in the past so that a target's clock skew does not bite.
CLOCK_SKEW = 30


def write_private_key(key: asyncssh.SSHKey, path: Path) -> None:
    """Write ``key`` in OpenSSH format, created 0600 (never world- or group-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key("openssh"))
    path.with_suffix(path.suffix + ".pub").write_bytes(key.export_public_key("openssh"))


def create_key(path: Path, comment: str) -> asyncssh.SSHKey:
    """Generate an Ed25519 key at ``path`` (+ ``.pub``); refuse to overwrite."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    write_private_key(key, path)
    return key


def load_key(path: Path) -> asyncssh.SSHKey:
    """Load a private key, refusing one that other users can read."""
    mode = path.stat().st_mode & 0o077
    if mode:
        raise PermissionError(f"{path} is readable by others (mode {oct(mode)}); chmod 600 it")
    return asyncssh.read_private_key(str(path))


def load_or_create_key(path: Path, comment: str) -> tuple[asyncssh.SSHKey, bool]:
    """The key at ``path``, created (0600) if there is none yet; and whether it was."""
    if path.exists():
        return load_key(path), False
    return create_key(path, comment), True


def public_key_line(key: asyncssh.SSHKey) -> str:
    return key.export_public_key("openssh").decode().strip()


_counter = itertools.count()


def next_serial() -> int:
    """Unique, increasing serial: microseconds since the epoch plus a per-process counter."""
    return (time.time_ns() // 1000) * 1024 + next(_counter) % 1024


@dataclass(frozen=True, slots=True)
class SessionCredential:
    """An ephemeral key pair and its certificate. Lives only in the gateway's memory."""

    key: asyncssh.SSHKey
    cert: asyncssh.SSHCertificate
    key_id: str
    serial: int
    principal: str
    valid_after: int
    valid_before: int


def key_id_for(identity: str, session_id: str) -> str:
    return f"sshgate:{identity}:{session_id}"


def mint(
    ca: asyncssh.SSHKey,
    identity: str,
    login: str,
    session_id: str,
    ttl: float,
    *,
    permit_pty: bool = False,
    now: float | None = None,
) -> SessionCredential:
    """Mint a user certificate for one session: one principal, short validity, no forwarding."""
    now = time.time() if now is None else now
    key = asyncssh.generate_private_key("ssh-ed25519")
    serial = next_serial()
    valid_after = int(now) - CLOCK_SKEW
    valid_before = int(now + ttl) + 1
    key_id = key_id_for(identity, session_id)
    cert = ca.generate_user_certificate(
        key,
        key_id,
        serial=serial,
        principals=[login],
        valid_after=valid_after,
        valid_before=valid_before,
        permit_x11_forwarding=False,
        permit_agent_forwarding=False,
        permit_port_forwarding=False,
        permit_pty=permit_pty,
        permit_user_rc=False,
    )
    return SessionCredential(key, cert, key_id, serial, login, valid_after, valid_before)
