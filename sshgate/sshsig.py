"""OpenSSH ``SSHSIG`` signatures (PROTOCOL.sshsig), compatible with ``ssh-keygen -Y``."""

from __future__ import annotations

import base64
import hashlib
import struct

import asyncssh

MAGIC = b"SSHSIG"
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"


def _string(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def _read_string(buf: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(buf):
        raise ValueError("truncated signature")
    (n,) = struct.unpack(">I", buf[pos:pos + 4])
    if pos + 4 + n > len(buf):
        raise ValueError("truncated signature")
    return buf[pos + 4:pos + 4 + n], pos + 4 + n


def _signed_data(namespace: str, digest: bytes, hash_alg: str) -> bytes:
    return MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_alg.encode()) + \
        _string(digest)


def sign(message: bytes, key: asyncssh.SSHKey, namespace: str) -> str:
    """An armored SSHSIG signature of ``message`` (sha512), as ``ssh-keygen -Y sign`` makes."""
    return sign_digest(hashlib.sha512(message).digest(), "sha512", key, namespace)


def sign_digest(digest: bytes, hash_alg: str, key: asyncssh.SSHKey, namespace: str) -> str:
    """An armored SSHSIG signature for a message whose ``hash_alg`` (sha256 or sha512) digest
    is ``digest``: for content hashed while it was written."""
    if hash_alg not in ("sha256", "sha512") or len(digest) != hashlib.new(hash_alg).digest_size:
        raise ValueError(f"not a {hash_alg} digest")
    sig_alg = key.sig_algorithms[0]
    signature = key.sign(_signed_data(namespace, digest, hash_alg), sig_alg)
    blob = MAGIC + struct.pack(">I", 1) + _string(key.public_data) + \
        _string(namespace.encode()) + _string(b"") + _string(hash_alg.encode()) + \
        _string(signature)
    b64 = base64.b64encode(blob).decode()
    lines = [b64[i:i + 70] for i in range(0, len(b64), 70)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


_PUBLIC: dict[bytes, asyncssh.SSHKey] = {}


def _public_only(key: asyncssh.SSHKey) -> asyncssh.SSHKey:
    """``key``'s public half, parsed once per key: a fleet replica verifies every decision
    notification with the same key, on the path from a reviewer's answer to the command."""
    found = _PUBLIC.get(key.public_data)
    if found is None:
        if len(_PUBLIC) >= 16:
            _PUBLIC.clear()
        found = _PUBLIC[key.public_data] = asyncssh.import_public_key(key.export_public_key())
    return found


def verify(message: bytes, armored: str, public_key: asyncssh.SSHKey, namespace: str, *,
           digests: dict[str, bytes] | None = None) -> str | None:
    """None if ``armored`` is a valid signature of ``message`` by ``public_key`` in
    ``namespace``; otherwise what is wrong. ``digests`` ({"sha256": ...}) are the message's
    digests where the caller has them already."""
    text = armored.strip()
    if not (text.startswith(BEGIN) and text.endswith(END)):
        return "not an SSH signature"
    try:
        blob = base64.b64decode("".join(text[len(BEGIN):-len(END)].split()), validate=True)
        if blob[:6] != MAGIC or struct.unpack(">I", blob[6:10])[0] != 1:
            return "unknown signature format"
        pub, pos = _read_string(blob, 10)
        ns, pos = _read_string(blob, pos)
        _reserved, pos = _read_string(blob, pos)
        hash_alg, pos = _read_string(blob, pos)
        signature, pos = _read_string(blob, pos)
    except (ValueError, struct.error):
        return "malformed signature"
    if pub != public_key.public_data:
        return "signed by a different key"
    if ns.decode(errors="replace") != namespace:
        return f"wrong namespace {ns.decode(errors='replace')!r}"
    if hash_alg not in (b"sha512", b"sha256"):
        return "unsupported hash"
    alg = hash_alg.decode()
    digest = (digests or {}).get(alg) or hashlib.new(alg, message).digest()
    data = _signed_data(namespace, digest, alg)
    if not _public_only(public_key).verify(data, signature):
        return "signature does not match the content"
    return None
