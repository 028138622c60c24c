"""Recording stores: the local directory (unchanged) and an S3 bucket (real SeaweedFS)."""

from __future__ import annotations

import asyncssh
import pytest

from sshgate.config import S3Location
from sshgate.recording import reader
from sshgate.recording.store import LocalStore, S3Store, UploadMismatch
from sshgate.recording.writer import CastWriter, seal_paths

KEY = asyncssh.generate_private_key("ssh-ed25519")
PUB = asyncssh.import_public_key(KEY.export_public_key())


def record(directory, rid: str, seal: bool = True, text: bytes = b"hello\n"):
    w = CastWriter(directory / f"{rid}.cast", width=80, height=24, title="t",
                   sshgate={"session": rid, "identity": "bot", "mode": "exec"})
    w.marker("echo hello", decision="allow")
    w.output(text)
    w.exit(0)
    w.close(KEY if seal else None, "session closed")
    return directory / f"{rid}.cast"


def s3_store(server, url: str, spool=None) -> S3Store:
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    loc = S3Location(bucket, prefix, server.endpoint, "us-east-1", server.access_key,
                     server.secret_key)
    return S3Store(loc, spool=spool)


def test_local_store_is_the_directory(tmp_path):
    path = record(tmp_path, "ab12")
    store = LocalStore(tmp_path)
    [st] = store.list()
    assert (st.id, st.sealed, st.where) == ("ab12", True, "local")
    assert store.resolve("ab") == "ab12" and store.local_copy("ab12") == path
    store.put(path)  # already there: nothing moves
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ab12.cast", "ab12.cast.seal",
                                                          "ab12.cast.sig"]
    with pytest.raises(reader.InvalidId):
        store.local_copy("../etc/passwd")


def test_s3_put_list_fetch_verify(s3_server, s3_prefix, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    path = record(spool, "c0ffee01")
    store = s3_store(s3_server, s3_prefix, spool)
    store.put(path)
    listed = {s.id: s for s in store.list()}
    assert listed["c0ffee01"].where == "bucket" and listed["c0ffee01"].sealed
    for p in (path, *seal_paths(path)):
        p.unlink()
    # a reader elsewhere: no spool, only the bucket
    reader_store = s3_store(s3_server, s3_prefix)
    assert reader_store.resolve("c0ff") == "c0ffee01"
    copy = reader_store.local_copy("c0ffee01")
    assert copy.exists() and all(p.exists() for p in seal_paths(copy))
    assert reader.verify(copy, PUB).ok
    assert reader.parse(copy).output() == b"hello\n"
    assert reader_store.address("c0ffee01") == f"{s3_prefix}/c0ffee01.cast"
    missing = reader_store.local_copy("deadbeef")
    assert not missing.exists() and reader.verify(missing, PUB).status == "missing"
    with pytest.raises(LookupError):
        reader_store.resolve("dead")
    reader_store.close()
    assert not copy.exists()


def test_s3_lists_the_spool_and_ignores_foreign_keys(s3_server, s3_prefix, tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    store = s3_store(s3_server, s3_prefix, spool)
    store.put(record(spool, "aa01"))
    live = record(spool, "bb02", seal=False)
    bucket, _, prefix = s3_prefix.removeprefix("s3://").partition("/")
    client = s3_server.client()
    client.put_object(Bucket=bucket, Key=f"{prefix}/notes.txt", Body=b"x")
    client.put_object(Bucket=bucket, Key=f"{prefix}/sub/cc03.cast", Body=b"x")
    client.put_object(Bucket=bucket, Key=f"{prefix}/..%2f.cast", Body=b"x")
    listed = {s.id: s.where for s in store.list()}
    assert listed == {"aa01": "bucket", "bb02": "spool"}
    copy = store.local_copy("bb02")  # a copy: the uploader may remove the spool's file
    assert copy != live and copy.read_bytes() == live.read_bytes()
    assert not seal_paths(copy)[1].exists()  # live: no seal yet
    assert store.address("bb02") == str(live)


def test_s3_tampering_in_the_bucket_is_caught_by_verify(s3_server, s3_prefix, tmp_path):
    store = s3_store(s3_server, s3_prefix)
    store.put(record(tmp_path, "ee05"))
    bucket, _, prefix = s3_prefix.removeprefix("s3://").partition("/")
    client = s3_server.client()
    body = client.get_object(Bucket=bucket, Key=f"{prefix}/ee05.cast")["Body"].read()
    client.put_object(Bucket=bucket, Key=f"{prefix}/ee05.cast",
                      Body=body.replace(b"hello", b"HELLO"))
    elsewhere = s3_store(s3_server, s3_prefix)
    result = reader.verify(elsewhere.local_copy("ee05"), PUB)
    assert result.status == "tampered"
    assert any("SHA-256" in p for p in result.problems)


def test_s3_put_reads_back_what_it_sent(s3_server, s3_prefix, tmp_path):
    store = s3_store(s3_server, s3_prefix)
    path = record(tmp_path, "ff06")
    real_upload = store.client.upload_file

    def corrupting_upload(filename, bucket, key, **kw):
        real_upload(filename, bucket, key, **kw)
        if key.endswith(".cast"):  # the storage keeps something else than was sent
            store.client.put_object(Bucket=bucket, Key=key, Body=b"not it")

    store.client.upload_file = corrupting_upload
    with pytest.raises(UploadMismatch, match="ff06.cast"):
        store.put(path)


def test_s3_unreachable_raises(tmp_path):
    from sshgate.lab import free_port

    loc = S3Location("nowhere", "p", f"http://127.0.0.1:{free_port()}", "us-east-1", "k", "s")
    with pytest.raises(Exception, match="onnect"):
        S3Store(loc).put(record(tmp_path, "ab"))


def test_s3_a_recording_uploaded_while_read_is_read_from_the_bucket(s3_server, s3_prefix,
                                                                   tmp_path):
    spool = tmp_path / "spool"
    spool.mkdir()
    store = s3_store(s3_server, s3_prefix, spool)
    path = record(spool, "dd04")
    assert [s.where for s in store.list()] == ["spool"]
    store.put(path)  # what the uploader does between a listing and a read
    for p in (path, *seal_paths(path)):
        p.unlink()
    copy = store.local_copy("dd04")
    assert reader.verify(copy, PUB).ok
    assert store.address("dd04") == f"{s3_prefix}/dd04.cast"


def test_s3_prefetch_of_many_recordings_in_threads(s3_server, s3_prefix, tmp_path):
    """prefetch's threads all ask for the local cache at once: every copy lands in one
    directory that stays (two made in a race left one deleted under a writer's feet)."""
    spool = tmp_path / "spool"
    spool.mkdir()
    ids = [f"c0ffee{i:02x}" for i in range(24)]
    writer = s3_store(s3_server, s3_prefix, spool)
    for rid in ids:
        writer.put(record(spool, rid))
    for _ in range(3):
        store = s3_store(s3_server, s3_prefix)
        store.prefetch(ids)
        copies = [store.local_copy(rid) for rid in ids]
        assert len({c.parent for c in copies}) == 1
        assert all(reader.verify(c, PUB).ok for c in copies)
        store.close()
