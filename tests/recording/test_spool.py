"""The spool: upload after seal, retry while the storage fails, resume after a restart,
refuse new sessions when full. The storage is a real SeaweedFS bucket."""

from __future__ import annotations

import asyncio

import pytest

from sshgate.recording import reader
from sshgate.recording import spool as spool_mod
from sshgate.recording.spool import Spool
from sshgate.recording.writer import seal_paths

from .test_store import PUB, record, s3_store


class Audit(list):
    def __call__(self, event: str, **fields) -> None:
        self.append({"event": event, **fields})

    def events(self) -> list[str]:
        return [e["event"] for e in self]


class Flaky:
    """The real store, unreachable for the first ``failures`` uploads."""

    def __init__(self, store, failures: int):
        self.store, self.failures, self.attempts = store, failures, 0
        self.location = store.location

    def put(self, path):
        self.attempts += 1
        if self.attempts <= self.failures:
            raise ConnectionError("Could not connect to the endpoint URL")
        self.store.put(path)

    def check(self):
        self.store.check()


async def until(predicate, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_sealed_recording_is_uploaded_checked_and_removed(s3_server, s3_prefix, tmp_path):
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    audit = Audit()
    store = s3_store(s3_server, s3_prefix)
    spool = Spool(spool_dir, store, max_bytes=1 << 30, audit=audit)

    async def main():
        await spool.start()
        record(spool_dir, "a1")
        spool.submit("a1")
        await until(lambda: "recording.uploaded" in audit.events())
        await spool.close()

    asyncio.run(main())
    assert list(spool_dir.iterdir()) == []
    [up] = [e for e in audit if e["event"] == "recording.uploaded"]
    assert up["recording"] == "a1" and up["sealed"] and len(up["sha256"]) == 64
    elsewhere = s3_store(s3_server, s3_prefix)
    assert reader.verify(elsewhere.local_copy("a1"), PUB).ok


def test_storage_down_spool_grows_then_uploads_resume(s3_server, s3_prefix, tmp_path):
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    audit = Audit()
    flaky = Flaky(s3_store(s3_server, s3_prefix), failures=4)
    spool = Spool(spool_dir, flaky, max_bytes=1 << 30, audit=audit, backoff=(0.05, 0.2))

    async def main():
        await spool.start()
        for rid in ("b1", "b2", "b3"):
            record(spool_dir, rid)
            spool.submit(rid)
        await until(lambda: spool.unreachable)
        assert len(list(spool_dir.glob("*.cast"))) == 3  # nothing lost while it is down
        await until(lambda: not spool.pending)
        await spool.close()

    asyncio.run(main())
    assert list(spool_dir.iterdir()) == []
    ev = audit.events()
    # one line for the outage, not one per attempt; then one per recording and the return
    assert ev.count("recording.upload-failed") == 1 and ev.count("recording.uploaded") == 3
    assert ev.count("recording.storage-restored") == 1
    assert "Could not connect" in audit[ev.index("recording.upload-failed")]["error"]
    elsewhere = s3_store(s3_server, s3_prefix)
    assert sorted(s.id for s in elsewhere.list()) == ["b1", "b2", "b3"]


def test_a_restart_uploads_what_the_last_run_left(s3_server, s3_prefix, tmp_path):
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    record(spool_dir, "c1")
    record(spool_dir, "c2", seal=False)  # the gateway crashed mid-session
    audit = Audit()
    spool = Spool(spool_dir, s3_store(s3_server, s3_prefix), max_bytes=1 << 30, audit=audit)

    async def main():
        await spool.start()
        await until(lambda: not spool.pending)
        await spool.close()

    asyncio.run(main())
    assert list(spool_dir.iterdir()) == []
    assert audit[0]["event"] == "recording.spool-resumed"
    assert sorted(audit[0]["recordings"]) == ["c1", "c2"]
    elsewhere = s3_store(s3_server, s3_prefix)
    assert reader.verify(elsewhere.local_copy("c1"), PUB).ok
    crashed = reader.verify(elsewhere.local_copy("c2"), PUB)
    assert crashed.status == "unsealed"


def test_a_restart_seals_what_a_kill_left_and_tells_the_index(s3_server, s3_prefix,
                                                              tmp_path):
    from .test_store import KEY

    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    record(spool_dir, "c3")
    killed = record(spool_dir, "c4", seal=False)  # the gateway was killed mid-session
    with killed.open("ab") as f:
        f.write(b'[2.0, "o", "cut')
    left = killed.read_bytes()
    audit, index = Audit(), []
    spool = Spool(spool_dir, s3_store(s3_server, s3_prefix), max_bytes=1 << 30, audit=audit,
                  seal_key=KEY, index=lambda rid, fields: index.append((rid, fields)))

    async def main():
        await spool.start()
        await until(lambda: not spool.pending)
        await spool.close()

    asyncio.run(main())
    [recovered] = [e for e in audit if e["event"] == "recording.sealed"]
    assert recovered["recording"] == "c4" and recovered["recovered"] is True
    assert [rid for rid, _ in index if "sealed" in _] == ["c4"]
    uploaded = {rid: f for rid, f in index if f["location"].startswith("s3://")}
    assert set(uploaded) == {"c3", "c4"}
    assert uploaded["c4"]["identity"] == "bot" and uploaded["c4"]["location"] == (
        f"{s3_prefix}/c4.cast")
    elsewhere = s3_store(s3_server, s3_prefix)
    copy = elsewhere.local_copy("c4")
    assert copy.read_bytes() == left  # to the last byte, the cut line included
    v = reader.verify(copy, PUB, {"c4": recovered["sha256"]})
    assert (v.ok, v.status) == (True, "recovered")
    assert reader.verify(elsewhere.local_copy("c3"), PUB).status == "ok"


def test_a_full_spool_refuses_new_sessions_and_says_so_once(tmp_path, monkeypatch):
    monkeypatch.setattr(spool_mod, "SIZE_EVERY", 0)
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    audit = Audit()

    class Down:
        location = "s3://down/x"

        def put(self, path):
            raise ConnectionError("down")

    spool = Spool(spool_dir, Down(), max_bytes=2000, audit=audit)
    assert spool.refusal() is None
    record(spool_dir, "d1", text=b"x" * 3000)
    why = spool.refusal()
    assert why is not None and why.startswith("denied:") and "spool is full" in why
    assert spool.refusal() == why
    assert audit.events() == ["recording.spool-full"]
    for p in (spool_dir / "d1.cast", *seal_paths(spool_dir / "d1.cast")):
        p.unlink()
    assert spool.refusal() is None
    assert audit.events() == ["recording.spool-full", "recording.spool-ok"]


@pytest.mark.parametrize("name", ["notes.cast", "..cast"])
def test_files_that_are_not_recordings_are_left_alone(s3_server, s3_prefix, tmp_path, name):
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    (spool_dir / name).write_text("x")
    spool = Spool(spool_dir, s3_store(s3_server, s3_prefix), max_bytes=1 << 30, audit=Audit())

    async def main():
        await spool.start()
        assert spool.pending == []
        await spool.close()

    asyncio.run(main())
    assert (spool_dir / name).exists()


def test_unusable_storage_is_reported_at_start(tmp_path):
    from sshgate.config import S3Location
    from sshgate.lab import free_port
    from sshgate.recording.store import S3Store

    loc = S3Location("nowhere", "p", f"http://127.0.0.1:{free_port()}", "us-east-1", "k", "s")
    audit = Audit()
    spool = Spool(tmp_path / "spool", S3Store(loc), max_bytes=1 << 30, audit=audit)

    async def main():
        await spool.start()
        await until(lambda: spool.unreachable)
        await spool.close()

    asyncio.run(main())
    [failed] = audit
    assert failed["event"] == "recording.upload-failed" and failed["recording"] is None
    assert "StorageError" in failed["error"] and "127.0.0.1" in failed["error"]
