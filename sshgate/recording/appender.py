"""An append-only file written in aligned blocks with ``O_DIRECT``, its tail through the page
cache.

A recording of a bulk transfer writes ~130 MB per 100 MB relayed. Through the page cache the
kernel copies every byte into a freshly allocated page and later writes it back from a
kworker, on the same two cores the relay needs; ``O_DIRECT`` hands the device our buffer
instead. ``O_DIRECT`` only takes whole aligned blocks, so the partial block at the end (the
*tail*) is written through an ordinary descriptor whenever :meth:`flush_tail` is called and
rewritten in full by the next block write. The file on disk is therefore always a prefix of
what was appended: every full block plus the tail as of the last flush. Filesystems without
``O_DIRECT`` (tmpfs before Linux 6.6, some network filesystems) get ordinary writes.
"""

from __future__ import annotations

import errno
import mmap
import os
from pathlib import Path

#: Bytes per O_DIRECT write. A multiple of every logical block size in use (512, 4096).
BLOCK = 1 << 20


class Appender:
    """Append bytes to a new file at ``path`` (created 0640, must not exist)."""

    def __init__(self, path: Path, *, direct: bool = True):
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        self._direct_fd = -1
        if direct and hasattr(os, "O_DIRECT"):
            try:
                self._direct_fd = os.open(path, os.O_WRONLY | os.O_DIRECT)
            except OSError:  # refused by the filesystem: write through the page cache
                self._direct_fd = -1
        # mmap memory is page-aligned, as O_DIRECT needs; untouched pages cost no RAM
        self._buf = mmap.mmap(-1, BLOCK) if self._direct_fd >= 0 else None
        self._base = 0  # file offset of the staging buffer (a multiple of BLOCK)
        self._fill = 0  # bytes staged
        self._flushed = 0  # of those, how many are in the file already
        self.size = 0

    @property
    def direct(self) -> bool:
        return self._direct_fd >= 0

    def write(self, parts: tuple[bytes, ...] | list[bytes]) -> None:
        """Append ``parts`` in order; full blocks go to the file at once."""
        if self._buf is None:
            self._writev(parts)
            return
        for part in parts:
            view = memoryview(part)
            while view:
                if self._buf is None:  # O_DIRECT failed on the last block
                    self._writev([view])
                    break
                k = min(len(view), BLOCK - self._fill)
                self._buf[self._fill:self._fill + k] = view[:k]
                self._fill += k
                self.size += k
                view = view[k:]
                if self._fill == BLOCK:
                    self._write_block()

    def flush_tail(self) -> None:
        """Put the staged partial block into the file (through the page cache)."""
        if self._buf is None or self._flushed == self._fill:
            return
        self._pwrite_all(self._fd, memoryview(self._buf)[self._flushed:self._fill],
                         self._base + self._flushed)
        self._flushed = self._fill

    @property
    def block_room(self) -> int:
        """Bytes that can be appended before a block is due for an ``O_DIRECT`` write (which
        waits for the device); unbounded through the page cache."""
        return BLOCK - self._fill if self._buf is not None else 1 << 62

    @property
    def tail_pending(self) -> bool:
        return self._buf is not None and self._flushed != self._fill

    def sync(self) -> None:
        self.flush_tail()
        os.fsync(self._fd)

    def close(self) -> None:
        try:
            self.sync()
        finally:
            os.close(self._fd)
            if self._direct_fd >= 0:
                os.close(self._direct_fd)
            if self._buf is not None:
                self._buf.close()

    # -- internals ---------------------------------------------------------------------------
    def _write_block(self) -> None:
        assert self._buf is not None
        try:
            n = os.pwrite(self._direct_fd, self._buf, self._base)
        except OSError as e:
            if e.errno != errno.EINVAL:
                raise
            # the filesystem took the O_DIRECT open but not the write: page cache from now on
            self._pwrite_all(self._fd, memoryview(self._buf), self._base)
            os.close(self._direct_fd)
            self._direct_fd = -1
            self._buf.close()
            self._buf = None
            return
        if n != BLOCK:  # short: the rest through the page cache, which takes any offset
            self._pwrite_all(self._fd, memoryview(self._buf)[n:], self._base + n)
        self._base += BLOCK
        self._fill = self._flushed = 0

    def _writev(self, parts: tuple[bytes, ...] | list[bytes] | list[memoryview]) -> None:
        n = os.pwritev(self._fd, parts, self.size)
        total = sum(map(len, parts))
        if n != total:  # a short write (disk nearly full, signal): the rest, in order
            self._pwrite_all(self._fd, memoryview(b"".join(parts))[n:], self.size + n)
        self.size += total

    @staticmethod
    def _pwrite_all(fd: int, data: memoryview, offset: int) -> None:
        while data:
            n = os.pwrite(fd, data, offset)
            data, offset = data[n:], offset + n
