"""The deployed hooks' recorder wiring, with stand-ins for the connection and channel (the
end-to-end behaviour is in tests/integration)."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

from sshgate.hooks import DeployedHooks
from sshgate.recording import writer
from sshgate.recording.writer import CastWriter


class Channel:
    def __init__(self) -> None:
        self.holds: list[tuple[str, str]] = []

    def hold(self, why: str) -> None:
        self.holds.append(("hold", why))

    def release(self, why: str) -> None:
        self.holds.append(("release", why))


def test_a_recorder_that_falls_behind_holds_the_relay_until_it_catches_up(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(writer, "LOW_WATER", 100)
    rec = CastWriter(tmp_path / "r.cast", width=80, height=24, title="t", sshgate={})
    gate = threading.Event()
    real_write = rec._file.write
    rec._file.write = lambda parts: (gate.wait(10), real_write(parts))
    chans = [Channel(), Channel()]
    conn = SimpleNamespace(state={}, sessions=set(chans))
    hooks = object.__new__(DeployedHooks)  # only the recorder wiring is exercised

    async def run() -> None:
        for _ in range(5):
            rec.output(b"x" * 5000)  # above INLINE_MAX: queued for the writer thread
        hooks._recorder_behind(conn, rec, chans[0])
        late = Channel()  # opened while the connection is held
        conn.sessions.add(late)
        hooks._recorder_behind(conn, rec, late)
        await asyncio.sleep(0.05)
        assert all(c.holds == [("hold", "recorder")] for c in [*chans, late])
        gate.set()
        for _ in range(500):
            if not conn.state["recorder_behind"]:
                break
            await asyncio.sleep(0.01)
        assert all(c.holds == [("hold", "recorder"), ("release", "recorder")]
                   for c in [*chans, late])

    asyncio.run(run())
    rec.close(None, "x")
