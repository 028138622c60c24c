"""SFTP on the wire, sans-io: client bytes in, whole packets and the file operations out.

The gateway relays the agent's ``sftp`` subsystem to the target's SFTP server and reads both
directions with this module. Every client request that changes something or reads a file
(:class:`FileOp`) is handed to the gate before its packet is forwarded; everything else
(reads and writes on handles already granted, listings, stat) passes in order. Server
packets are only watched: which handle is which path, how many bytes moved.

Protocol: SFTP version 3 as OpenSSH speaks it (draft-ietf-secsh-filexfer-02 plus the
``@openssh.com`` extensions).
"""

from __future__ import annotations

import posixpath
import struct
from dataclasses import dataclass, field

from ..guard.transfer import FileOp, usable_home

# packet types (draft-ietf-secsh-filexfer-02, section 3)
INIT, VERSION = 1, 2
OPEN, CLOSE, READ, WRITE, LSTAT, FSTAT, SETSTAT, FSETSTAT = 3, 4, 5, 6, 7, 8, 9, 10
OPENDIR, READDIR, REMOVE, MKDIR, RMDIR, REALPATH, STAT, RENAME = 11, 12, 13, 14, 15, 16, 17, 18
READLINK, SYMLINK = 19, 20
STATUS, HANDLE, DATA, NAME, ATTRS = 101, 102, 103, 104, 105
EXTENDED, EXTENDED_REPLY = 200, 201

# open flags
FXF_READ, FXF_WRITE, FXF_APPEND, FXF_CREAT, FXF_TRUNC, FXF_EXCL = 1, 2, 4, 8, 0x10, 0x20
FX_PERMISSION_DENIED = 3
ATTR_SIZE = 1

#: OpenSSH's sftp-server refuses messages over 256 KiB (SFTP_MAX_MSG_LENGTH); so do we.
MAX_PACKET = 256 * 1024
#: the most bytes kept for one upload (:meth:`SftpStream.keep_writes`)
MAX_KEPT = 16 * 1024 * 1024
#: handles and outstanding reads tracked for byte counts; beyond that counts are dropped,
#: never decisions (a handle's path is only used for the record and for FSETSTAT)
MAX_TRACKED = 4096

#: requests that only look: no decision needed
_LOOKS = frozenset({INIT, CLOSE, READ, WRITE, LSTAT, FSTAT, OPENDIR, READDIR, REALPATH, STAT,
                    READLINK})
#: extensions that only look, or act on handles whose opening was decided already
_EXT_LOOKS = frozenset({"statvfs@openssh.com", "fstatvfs@openssh.com", "limits@openssh.com",
                        "expand-path@openssh.com", "home-directory", "fsync@openssh.com",
                        "users-groups-by-id@openssh.com", "copy-data"})


class SftpProtocolError(ValueError):
    """The client sent something that is not SFTP: the channel is closed."""


@dataclass(frozen=True, slots=True)
class Packet:
    """A whole client packet: forward ``raw`` once ``op`` (if any) is allowed."""

    raw: bytes
    kind: int
    id: int | None
    op: FileOp | None = None


@dataclass(frozen=True, slots=True)
class Closed:
    """A handle was closed: what it was and how many bytes moved through it."""

    path: str
    mode: str  # "read", "write" or "dir"
    read: int
    written: int
    #: the bytes written, in order from offset 0, when the gateway was asked to keep them
    #: (:meth:`SftpStream.keep_writes`); None if they were not kept or not written in order
    data: bytes | None = None
    kept: bool = False


@dataclass(slots=True)
class _Handle:
    path: str
    mode: str
    read: int = 0
    written: int = 0
    kept: bool = False
    data: bytearray | None = None


class _Reader:
    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def u32(self) -> int:
        if self.pos + 4 > len(self.data):
            raise SftpProtocolError("truncated packet")
        (v,) = struct.unpack_from(">I", self.data, self.pos)
        self.pos += 4
        return v

    def bytes_(self) -> bytes:
        n = self.u32()
        if self.pos + n > len(self.data):
            raise SftpProtocolError("truncated string")
        v = self.data[self.pos:self.pos + n]
        self.pos += n
        return v

    def text(self) -> str:
        # paths are bytes on the wire; surrogateescape keeps every byte for the record
        return self.bytes_().decode("utf-8", "surrogateescape")


@dataclass
class SftpStream:
    """Both directions of one SFTP channel."""

    _client: bytearray = field(default_factory=bytearray)
    _server: bytearray = field(default_factory=bytearray)
    _handles: dict[bytes, _Handle] = field(default_factory=dict)
    _opening: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (path, mode)
    _reading: dict[int, bytes] = field(default_factory=dict)  # READ id -> handle
    _where_am_i: set[int] = field(default_factory=set)  # REALPATH "." ids
    _keep: set[int] = field(default_factory=set)  # OPEN ids whose writes are kept
    _skip: int = 0  # server bytes still to pass of a DATA reply (-1: stopped watching)
    closed: list[Closed] = field(default_factory=list)
    #: the login's home (sftp-server's working directory) once the server has said it, in
    #: its answer to REALPATH "."; relative and absolute paths below it read as ``~/...``
    home: str | None = None
    #: the server's working directory as it said it (absolute), for :meth:`absolute`
    cwd: str | None = None

    # -- client -> server ------------------------------------------------------------------
    def client_data(self, data: bytes) -> list[Packet]:
        """Whole packets the client has sent so far, each with the operation to decide."""
        buf = self._client
        buf += data
        out: list[Packet] = []
        while len(buf) >= 4:
            (n,) = struct.unpack_from(">I", buf, 0)
            if n < 1 or n > MAX_PACKET:
                raise SftpProtocolError(f"packet length {n} is out of range")
            if len(buf) < 4 + n:
                break
            raw = bytes(buf[:4 + n])
            del buf[:4 + n]
            out.append(self._client_packet(raw))
        return out

    def _client_packet(self, raw: bytes) -> Packet:
        kind = raw[4]
        if kind == INIT:
            return Packet(raw, kind, None)
        r = _Reader(raw, 5)
        rid = r.u32()
        op: FileOp | None = None
        if kind == OPEN:
            path = r.text()
            flags = r.u32()
            mode = "write" if flags & (FXF_WRITE | FXF_APPEND | FXF_CREAT | FXF_TRUNC) else "read"
            op = FileOp(mode, path)
            self._track(self._opening, rid, (path, mode))
        elif kind == OPENDIR:
            self._track(self._opening, rid, (r.text(), "dir"))
        elif kind == READ:
            self._track(self._reading, rid, r.bytes_())
        elif kind == REALPATH and r.text() in (".", "") and len(self._where_am_i) < 16:
            self._where_am_i.add(rid)
        elif kind == WRITE:
            h = self._handles.get(r.bytes_())
            if h is not None:
                offset = struct.unpack_from(">Q", raw, r.pos)[0] if r.pos + 8 <= len(raw) else -1
                r.pos += 8
                n = r.u32()
                h.written += n
                if h.data is not None:
                    if offset != len(h.data) or len(h.data) + n > MAX_KEPT or \
                            r.pos + n > len(raw):
                        h.data = None  # not in order: nothing the gateway can vouch for
                    else:
                        h.data += raw[r.pos:r.pos + n]
        elif kind == CLOSE:
            h = self._handles.pop(r.bytes_(), None)
            if h is not None:
                data = bytes(h.data) if h.data is not None else None
                self.closed.append(Closed(h.path, h.mode, h.read, h.written, data, h.kept))
        elif kind in (REMOVE, MKDIR, RMDIR):
            op = FileOp({REMOVE: "remove", MKDIR: "mkdir", RMDIR: "rmdir"}[kind], r.text())
        elif kind == SETSTAT:
            op = _setstat(r.text(), r)
        elif kind == FSETSTAT:
            h = self._handles.get(r.bytes_())
            # a handle we never saw opened is not one the server will accept either; the
            # operation is still decided, by an unknown path
            op = _setstat(h.path if h is not None else "", r,
                          written=h is not None and h.mode == "write")
        elif kind == RENAME:
            op = FileOp("rename", r.text(), r.text())
        elif kind == SYMLINK:
            # OpenSSH sends (target, link path), the reverse of the draft; the link path is
            # what is created, the target what it will point to
            target, link = r.text(), r.text()
            op = FileOp("symlink", link, target)
        elif kind == EXTENDED:
            name = r.text()
            if name == "posix-rename@openssh.com":
                op = FileOp("rename", r.text(), r.text())
            elif name == "hardlink@openssh.com":
                old, new = r.text(), r.text()
                op = FileOp("link", new, old)
            elif name == "lsetstat@openssh.com":
                op = _setstat(r.text(), r)
            elif name not in _EXT_LOOKS:
                op = FileOp("extended", "", detail=name[:100])
        elif kind not in _LOOKS:
            op = FileOp("extended", "", detail=f"type {kind}")
        return Packet(raw, kind, rid, op)

    # -- server -> client ------------------------------------------------------------------
    def server_data(self, data: bytes) -> None:
        """Watch the server's replies (handles, byte counts); the bytes go on unchanged."""
        if self._skip < 0:
            return
        if self._skip:
            # the rest of a DATA reply: its bytes are counted already, never copied
            if len(data) <= self._skip:
                self._skip -= len(data)
                return
            data = memoryview(data)[self._skip:]
            self._skip = 0
        buf = self._server
        buf += data
        while len(buf) >= 9:
            (n,) = struct.unpack_from(">I", buf, 0)
            if n < 5 or n > MAX_PACKET + 1024:
                # not ours to judge (the target's own server said it): stop watching
                self._server = bytearray()
                self._skip = -1
                return
            kind = buf[4]
            (rid,) = struct.unpack_from(">I", buf, 5)
            if kind == DATA:
                handle = self._reading.pop(rid, None)
                h = self._handles.get(handle) if handle is not None else None
                if h is not None and n >= 9:
                    h.read += n - 9  # type, id and the string's length come first
                if len(buf) < 4 + n:
                    self._skip = 4 + n - len(buf)
                    buf.clear()
                    return
                del buf[:4 + n]
                continue
            if len(buf) < 4 + n:
                break
            if kind == HANDLE:
                opening = self._opening.pop(rid, None)
                if opening is not None:
                    handle = _Reader(bytes(buf[:4 + n]), 9).bytes_()
                    kept = rid in self._keep
                    self._keep.discard(rid)
                    self._track(self._handles, handle, _Handle(
                        *opening, kept=kept, data=bytearray() if kept else None))
            elif kind == NAME and rid in self._where_am_i:
                self._where_am_i.discard(rid)
                r = _Reader(bytes(buf[:4 + n]), 9)
                if r.u32() >= 1 and self.home is None and self.cwd is None:
                    said = r.text()
                    self.home = usable_home(said)
                    if said.startswith("/"):
                        self.cwd = posixpath.normpath(said)
            elif kind == STATUS:
                self._opening.pop(rid, None)
                self._keep.discard(rid)
                self._reading.pop(rid, None)
                self._where_am_i.discard(rid)
            del buf[:4 + n]

    def keep_writes(self, request_id: int) -> None:
        """Keep the bytes written through the handle that OPEN ``request_id`` returns (an
        Ansible module upload the gateway will run from what it saw, not from the file)."""
        if request_id in self._opening and len(self._keep) < 16:
            self._keep.add(request_id)

    def absolute(self, path: str) -> str | None:
        """``path`` as the server will read it, or None before the server said where its
        working directory is (relative paths) or for an empty path."""
        if path.startswith("/"):
            return posixpath.normpath("/" + path.lstrip("/"))
        if not path or self.cwd is None:
            return None
        return posixpath.normpath(posixpath.join(self.cwd, path))

    @staticmethod
    def _track(table: dict, key, value) -> None:
        if len(table) < MAX_TRACKED or key in table:
            table[key] = value


def _setstat(path: str, r: _Reader, written: bool = False) -> FileOp:
    # The attributes' SIZE flag truncates or extends the file: a write, not a chmod, unless
    # the handle was opened for writing (and so decided) already: scp's in-place upload
    # ends with that.
    size = r.u32() & ATTR_SIZE and not written
    return FileOp("setstat", path, detail="size" if size else "")


def status_packet(request_id: int, message: str, code: int = FX_PERMISSION_DENIED) -> bytes:
    """An SSH_FXP_STATUS reply the gateway sends instead of forwarding a refused request."""
    msg = message.encode("utf-8", "replace")[:1024]
    body = struct.pack(">BII", STATUS, request_id, code) + struct.pack(">I", len(msg)) + msg \
        + struct.pack(">I", 2) + b"en"
    return struct.pack(">I", len(body)) + body
