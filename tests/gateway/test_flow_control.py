"""Each direction of a relayed channel is read only while nothing holds it."""

from __future__ import annotations

from types import SimpleNamespace

from sshgate.gateway.session import AgentSession


class Reader:
    def __init__(self) -> None:
        self.paused = False
        self.calls = 0

    def pause_reading(self) -> None:
        self.paused, self.calls = True, self.calls + 1

    def resume_reading(self) -> None:
        self.paused, self.calls = False, self.calls + 1


def session() -> AgentSession:
    s = AgentSession(SimpleNamespace())
    s.chan, s.upstream = Reader(), Reader()
    return s


def test_output_resumes_only_when_every_hold_is_released():
    s = session()
    s.pause_writing()  # the agent's window is full
    s.hold("recorder")  # and the recorder is behind
    assert s.upstream.paused and s.chan.paused
    s.resume_writing()
    assert s.upstream.paused  # the recorder still holds it
    s.release("recorder")
    assert not s.upstream.paused and not s.chan.paused


def test_input_held_for_the_decision_and_the_target_window():
    s = session()
    s.hold_input("decision")
    s.hold_input("target window")
    s.release_input("decision")
    assert s.chan.paused
    s.release_input("target window")
    assert not s.chan.paused
    s.release_input("target window")  # releasing twice changes nothing
    assert s.chan.calls == 2


def test_holds_taken_before_the_target_channel_exists_apply_once_it_does():
    s = session()
    s.upstream = None
    s.hold_output("recorder")  # nothing to pause yet
    assert s._output_holds == {"recorder"}
