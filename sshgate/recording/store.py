"""Where sealed recordings are kept: a local directory (the default) or an S3 bucket.

A recording is three files with one name: ``ID.cast`` (asciicast v2), ``ID.cast.sig``
(SSHSIG) and ``ID.cast.seal`` (JSON); in a bucket they are three objects under the prefix
with the same names. Readers get a local copy and check it with :mod:`.reader` exactly as a
file on disk: the store moves bytes, it never vouches for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..config import Config, S3Location
from . import reader
from .writer import seal_paths

SIG_SUFFIX = reader.SUFFIX + ".sig"
SEAL_SUFFIX = reader.SUFFIX + ".seal"
_CONTENT_TYPES = {reader.SUFFIX: "application/x-asciicast", SIG_SUFFIX: "text/plain",
                  SEAL_SUFFIX: "application/json"}
#: parallel downloads when a listing needs every recording
FETCH_THREADS = 8


@dataclass(frozen=True, slots=True)
class Stored:
    """One recording a store holds: ``where`` is ``local``, ``bucket`` or ``spool`` (live,
    or sealed and waiting for its upload)."""

    id: str
    size: int
    modified: float
    sealed: bool
    where: str


class UploadMismatch(Exception):
    """What the bucket returned after an upload is not what was sent."""


class StorageError(Exception):
    """The storage could not be read (unreachable, refused, misconfigured)."""


class RecordingStore(Protocol):
    """The recordings of a deployment, wherever they are kept."""

    location: str

    def list(self) -> list[Stored]:
        """Every recording, oldest first."""
        ...

    def resolve(self, id_or_prefix: str) -> str:
        """The id a full id or unique prefix names (reader.InvalidId, LookupError)."""
        ...

    def local_copy(self, rid: str) -> Path:
        """A readable ``ID.cast`` with its seal files beside it; a path that does not exist
        when the store has no such recording."""
        ...

    def address(self, rid: str) -> str:
        """Where the recording is, for people and ``--json``."""
        ...

    def prefetch(self, ids: Iterable[str]) -> None:
        """Make ``local_copy`` of these cheap (downloads them in parallel)."""
        ...

    def put(self, cast: Path) -> None:
        """Keep a sealed (or, after a crash, unsealed) recording and its seal files, and
        check what was kept; raises on failure."""
        ...

    def check(self) -> None:
        """Raise if the store cannot be reached now."""
        ...

    def close(self) -> None: ...


def _listing(directory: Path, where: str) -> list[Stored]:
    out = []
    for path in reader.list_recordings(directory):
        rid = path.name.removesuffix(reader.SUFFIX)
        with contextlib.suppress(FileNotFoundError):  # uploaded and removed meanwhile
            st = path.stat()
            out.append(Stored(rid, st.st_size, st.st_mtime, seal_paths(path)[1].exists(),
                              where))
    return out


def _resolve(ids: Iterable[str], id_or_prefix: str, location: str) -> str:
    if not reader.is_id(id_or_prefix):
        reader.path_of(Path("."), id_or_prefix)  # raises InvalidId with the usual message
    known = set(ids)
    if id_or_prefix in known:
        return id_or_prefix
    hits = sorted(i for i in known if i.startswith(id_or_prefix))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise LookupError(f"no recording {id_or_prefix!r} in {location}")
    raise LookupError(f"{id_or_prefix!r} is ambiguous: " + ", ".join(hits[:10]))


class LocalStore:
    """Recordings as files in one directory: sshgate's default, unchanged."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.location = str(directory)

    def list(self) -> list[Stored]:
        return _listing(self.directory, "local")

    def resolve(self, id_or_prefix: str) -> str:
        return reader.find(self.directory, id_or_prefix).name.removesuffix(reader.SUFFIX)

    def local_copy(self, rid: str) -> Path:
        if not reader.is_id(rid) and "/" not in rid and rid not in (".", ".."):
            # a file planted with another name is listed, so that verify reports it
            planted = self.directory / f"{rid}{reader.SUFFIX}"
            if planted.is_file():
                return planted
        return reader.path_of(self.directory, rid)

    def address(self, rid: str) -> str:
        return str(self.local_copy(rid))

    def prefetch(self, ids: Iterable[str]) -> None:
        return None

    def put(self, cast: Path) -> None:
        if cast.parent.resolve() == self.directory.resolve():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for src in (cast, *seal_paths(cast)):
            if src.exists():
                shutil.copyfile(src, self.directory / src.name)

    def check(self) -> None:
        return None

    def close(self) -> None:
        return None


def s3_client(location: S3Location) -> Any:
    """A boto3 S3 client for ``location``; what the config leaves out comes from the usual
    AWS sources (environment, shared config and credentials files, instance roles)."""
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.session.Session().client(
        "s3", endpoint_url=location.endpoint, region_name=location.region or None,
        aws_access_key_id=location.access_key_id,
        aws_secret_access_key=location.secret_access_key,
        # path-style for S3-compatible servers on an IP address or a plain host name
        config=BotoConfig(s3={"addressing_style": "path" if location.endpoint else "auto"},
                          connect_timeout=5, read_timeout=60,
                          retries={"max_attempts": 2, "mode": "standard"}))


def _missing(error: Exception) -> bool:
    code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
    return str(code) in ("404", "NoSuchKey", "NotFound")


@contextlib.contextmanager
def _reading(location: str):
    """boto3's errors as StorageError naming the location (a clear CLI error, not a
    traceback)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as e:
        raise StorageError(f"cannot read {location}: {e}") from e


class S3Store:
    """Recordings as objects ``PREFIX/ID.cast[.sig|.seal]`` in a bucket. With ``spool``
    (the gateway's own spool directory), recordings still there are listed too."""

    def __init__(self, location: S3Location, spool: Path | None = None, client: Any = None):
        self.s3 = location
        self.location = location.url
        self.spool = spool
        self.client = client if client is not None else s3_client(location)
        self._cache: tempfile.TemporaryDirectory[str] | None = None
        # prefetch's threads ask for the cache at once: two directories made in a race would
        # leave one to be deleted (by its finalizer) under the thread writing into it
        self._cache_lock = threading.Lock()
        self._fetched: set[str] = set()
        self._spooled: set[str] = set()  # of those, copied from the spool

    def key(self, name: str) -> str:
        return f"{self.s3.prefix}/{name}" if self.s3.prefix else name

    # -- reading -----------------------------------------------------------------------------
    def bucket_listing(self) -> list[Stored]:
        """The recordings in the bucket (direct children of the prefix with an id name)."""
        prefix = self.key("")
        objects: dict[str, dict[str, Any]] = {}
        with _reading(self.location):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.s3.bucket, Prefix=prefix, Delimiter="/")
            for page in pages:
                for obj in page.get("Contents", ()):
                    objects[obj["Key"][len(prefix):]] = obj
        out = []
        for name, obj in objects.items():
            rid = name.removesuffix(reader.SUFFIX)
            if not name.endswith(reader.SUFFIX) or not reader.is_id(rid):
                continue
            out.append(Stored(rid, obj["Size"], obj["LastModified"].timestamp(),
                              rid + SEAL_SUFFIX in objects, "bucket"))
        return out

    def list(self) -> list[Stored]:
        found = {s.id: s for s in self.bucket_listing()}
        if self.spool is not None:
            for s in _listing(self.spool, "spool"):
                found.setdefault(s.id, s)
        return sorted(found.values(), key=lambda s: s.modified)

    def resolve(self, id_or_prefix: str) -> str:
        if reader.is_id(id_or_prefix) and self._in_spool(id_or_prefix):
            return id_or_prefix
        return _resolve((s.id for s in self.list()), id_or_prefix, self.location)

    def _in_spool(self, rid: str) -> bool:
        return self.spool is not None and reader.path_of(self.spool, rid).exists()

    def _cache_dir(self) -> Path:
        with self._cache_lock:
            if self._cache is None:
                self._cache = tempfile.TemporaryDirectory(prefix="sshgate-recordings-")
            return Path(self._cache.name)

    def _download(self, name: str, dest: Path) -> bool:
        with _reading(f"s3://{self.s3.bucket}/{self.key(name)}"):
            try:
                body = self.client.get_object(Bucket=self.s3.bucket,
                                              Key=self.key(name))["Body"]
            except Exception as e:
                if _missing(e):
                    return False
                raise
            with dest.open("wb") as f:
                for chunk in body.iter_chunks(1 << 20):
                    f.write(chunk)
        return True

    def local_copy(self, rid: str) -> Path:
        path = reader.path_of(self._cache_dir(), rid)  # InvalidId for anything but an id
        if rid in self._fetched:
            return path
        # the bucket first; then the spool, copied (the uploader removes a file from the
        # spool once it is in the bucket: then the bucket has it)
        for source in ("bucket", "spool", "bucket"):
            if source == "bucket" and self._download(path.name, path):
                for extra in seal_paths(path):
                    self._download(extra.name, extra)
                break
            if source == "spool" and self._in_spool(rid) and self._copy_from_spool(rid, path):
                break
        else:
            return path
        self._fetched.add(rid)
        return path

    def _copy_from_spool(self, rid: str, dest: Path) -> bool:
        """Copy a recording from the spool; False if it was uploaded meanwhile. The seal
        files first: the uploader removes the recording before them."""
        assert self.spool is not None
        src = reader.path_of(self.spool, rid)
        for a, b in zip(seal_paths(src), seal_paths(dest), strict=True):
            with contextlib.suppress(FileNotFoundError):  # no seal yet: a live recording
                shutil.copyfile(a, b)
        try:
            shutil.copyfile(src, dest)
        except FileNotFoundError:
            for p in seal_paths(dest):
                p.unlink(missing_ok=True)
            return False
        self._spooled.add(rid)
        return True

    def address(self, rid: str) -> str:
        if rid in self._spooled or (rid not in self._fetched and self._in_spool(rid)):
            assert self.spool is not None
            return str(reader.path_of(self.spool, rid))
        return f"s3://{self.s3.bucket}/{self.key(rid + reader.SUFFIX)}"

    def prefetch(self, ids: Iterable[str]) -> None:
        todo = [rid for rid in ids if rid not in self._fetched]
        if len(todo) > 1:
            with ThreadPoolExecutor(FETCH_THREADS) as pool:
                list(pool.map(self.local_copy, todo))

    # -- writing -----------------------------------------------------------------------------
    def put(self, cast: Path) -> None:
        """Upload the recording, then its signature, then its seal (a seal in the bucket
        means the rest is there), and read each back: the recording must hash to what
        was sent, the seal files must be byte for byte the same."""
        files = [p for p in (cast, *seal_paths(cast)) if p.exists()]
        if cast not in files:
            raise FileNotFoundError(cast)
        sent = {}
        for path in files:
            suffix = reader.SUFFIX + path.name.rpartition(reader.SUFFIX)[2]
            digest, size = _file_digest(path)
            sent[path.name] = (digest, size)
            self.client.upload_file(str(path), self.s3.bucket, self.key(path.name),
                                    ExtraArgs={"ContentType": _CONTENT_TYPES[suffix]})
        for name, (digest, size) in sent.items():
            body = self.client.get_object(Bucket=self.s3.bucket, Key=self.key(name))["Body"]
            h = hashlib.sha256()
            got = 0
            for chunk in body.iter_chunks(1 << 20):
                h.update(chunk)
                got += len(chunk)
            if got != size or h.digest() != digest:
                raise UploadMismatch(f"s3://{self.s3.bucket}/{self.key(name)}: read back "
                                     f"{got} bytes that do not hash to the {size} sent")

    def check(self) -> None:
        with _reading(self.location):
            self.client.list_objects_v2(Bucket=self.s3.bucket, Prefix=self.key(""), MaxKeys=1)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.cleanup()
            self._cache = None
        self._fetched.clear()
        self._spooled.clear()


def _file_digest(path: Path) -> tuple[bytes, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.digest(), size


def open_store(config: Config) -> RecordingStore:
    """The deployment's recordings: the S3 bucket (and this machine's spool) when
    ``recordings: s3://…``, else the recordings directory."""
    if config.recordings_s3 is not None:
        return S3Store(config.recordings_s3, spool=config.recordings)
    return LocalStore(config.recordings)
