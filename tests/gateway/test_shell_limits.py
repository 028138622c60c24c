"""Red team s9 E4's residual: a limit bash obeys (``ulimit -n``: no descriptor left for the
gate's /dev/tty, its pipe, its subshell) silenced the gate, and the lines typed after it were
dropped with no record. The gate now says so or the shell ends itself, and a shell that ends
with a line never gated is recorded (``shell.ungated``). A real bash runs the gateway's rcfile
in a pseudo-terminal here; ShellGate is driven as the session drives it, every line allowed
(as with ``unknown: allow`` or an approval), so the gate, not the guard, is what is tested."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import time
from pathlib import Path

import pytest

from sshgate.gateway.shell import (
    Ack,
    Forward,
    Gate,
    Prompt,
    ShellGate,
    State,
    Ungated,
    bootstrap_command,
    new_nonce,
)

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")


class Shell:
    """bash with the gate's rcfile in a pseudo-terminal, and the gateway's side of it."""

    def __init__(self, cwd: Path) -> None:
        self.nonce = new_nonce()
        self.gate = ShellGate(self.nonce)
        self.events: list = []
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the exec request's command, as the target runs it
            os.chdir(cwd)
            os.execvp("sh", ["sh", "-c", bootstrap_command(self.nonce, 5)])
        self.ended = False

    def pump(self, until, timeout: float = 15.0) -> None:
        """Relay until ``until(events)`` or the shell ends (bounded by ``timeout``)."""
        deadline = time.monotonic() + timeout
        while not until(self.events) and not self.ended and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            now = time.monotonic()
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    self.ended = True
                    ev = self.gate.ended()
                    if ev is not None:
                        self.events.append(ev)
                    break
                for ev in self.gate.from_shell(data, now):
                    if isinstance(ev, Gate):
                        self.events.append(ev)
                        os.write(self.fd, self.gate.answer(ev.request, True, now))
                    elif isinstance(ev, Forward):
                        os.write(self.fd, ev.data)
                    elif isinstance(ev, (Ack, Prompt, Ungated)):
                        self.events.append(ev)
            late = self.gate.overdue(now)
            if late is not None:
                self.events.append(late)
                break

    def type(self, line: str) -> None:
        out = self.gate.from_agent(line.encode() + b"\r", time.monotonic())
        if out:
            os.write(self.fd, out)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def prompts(n: int):
    return lambda evs: sum(isinstance(e, Prompt) for e in evs) >= n or any(
        isinstance(e, Ungated) for e in evs)


@pytest.fixture
def shell(tmp_path):
    s = Shell(tmp_path)
    try:
        s.pump(prompts(1))
        assert s.gate.state is State.PROMPT, s.events
        yield s
    finally:
        s.close()


@pytest.mark.parametrize("limit", ["ulimit -n 3", "ulimit -n 4", "ulimit -n 5"])
def test_a_limit_that_silences_the_gate_ends_the_session_on_the_record(shell, tmp_path,
                                                                        limit):
    shell.type(limit)
    shell.pump(prompts(2))
    if not any(isinstance(e, Ungated) for e in shell.events):
        # the prompt could still say so: the next line is the one its request fails for
        shell.type("touch ran")
        shell.pump(lambda evs: any(isinstance(e, Ungated) for e in evs))
    ungated = [e for e in shell.events if isinstance(e, Ungated)]
    assert ungated, shell.events
    assert shell.gate.state is State.CLOSED
    assert not (tmp_path / "ran").exists()
    # nothing the agent types now reaches the shell
    assert shell.gate.from_agent(b"touch ran2\r", time.monotonic()) == b""


@pytest.mark.parametrize("limit", ["ulimit -n 64", "ulimit -S -n 512", "ulimit -c 0"])
def test_a_limit_the_gate_lives_with_changes_nothing(shell, tmp_path, limit):
    shell.type(limit)
    shell.pump(prompts(2))
    shell.type("touch ran")
    shell.pump(prompts(3))
    assert not any(isinstance(e, Ungated) for e in shell.events), shell.events
    assert [e.line for e in shell.events if isinstance(e, Ack) and e.ran] == [limit, "touch ran"]
    assert (tmp_path / "ran").exists()


def _submitted() -> ShellGate:
    g = ShellGate("n")
    g.state = State.PROMPT
    g.from_agent(b"touch x\r", 0.0)
    return g


def test_a_shell_that_ends_with_a_line_never_gated_is_ungated():
    g = _submitted()
    ev = g.ended()
    assert isinstance(ev, Ungated) and not ev.pending and ev.line.startswith("touch x")
    assert g.state is State.CLOSED and g.ended() is None


def test_a_shell_that_ends_at_a_prompt_or_while_a_program_runs_is_not():
    g = ShellGate("n")
    g.state = State.PROMPT
    assert g.ended() is None
    g.state = State.RUNNING  # `exit` ran (acknowledged), or a program ended the terminal
    assert g.ended() is None
