"""One agent channel: gate the command, then relay it to the same channel on the target."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import TYPE_CHECKING

import asyncssh

from .. import EXIT_REFUSED, EXIT_UNREACHABLE
from ..ansible_payload import MAX_PAYLOAD
from ..ansible_payload import verify as verify_payload
from ..guard import ansible_lines
from ..guard.ansible import AnsibleModule
from ..guard.ansible_lines import AnsibleLine
from ..guard.classify import Classification
from ..guard.flow import START
from ..guard.memory import WriteMemory
from ..guard.transfer import FileOp, classify_file_op
from ..policy.evaluate import allowed_env
from . import command_env
from .sftp import Packet, SftpProtocolError, SftpStream, status_packet
from .shell import (
    Ack,
    Forward,
    Gate,
    Output,
    Prompt,
    ShellGate,
    Ungated,
    bootstrap_command,
    new_nonce,
)
from .upstream import MAX_PKTSIZE, WINDOW, HeldSession, UpstreamError

#: How long a pipelined Ansible module may take to arrive on stdin before the command is
#: judged without it (held, as any interpreter reading stdin is).
ANSIBLE_STDIN_TIMEOUT = 10.0
#: How long a shell may take to show its first gated prompt before the fallback applies.
SHELL_START_TIMEOUT = 15.0

if TYPE_CHECKING:
    from .server import AgentConnection

log = logging.getLogger("sshgate.session")
#: why an exec command with a NUL byte is refused before it is classified
NUL_REASON = "the command contains a NUL byte (sshd would run only what comes before it)"


class UpstreamSession(asyncssh.SSHClientSession[bytes]):
    """The target's side of a relayed channel: everything it says goes to the agent."""

    def __init__(self, agent: AgentSession):
        self.agent = agent

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.agent.from_target(data, datatype)

    def eof_received(self) -> bool:
        self.agent.target_eof()
        return True

    def exit_status_received(self, status: int) -> None:
        self.agent.exit_status = status
        self.agent.target_exited()

    def exit_signal_received(self, signal: str, core_dumped: bool, msg: str, lang: str) -> None:
        self.agent.exit_signal = (signal, core_dumped, msg, lang)
        self.agent.target_exited()

    def pause_writing(self) -> None:
        self.agent.hold_input("target window")

    def resume_writing(self) -> None:
        self.agent.release_input("target window")

    def connection_lost(self, exc: Exception | None) -> None:
        self.agent.target_closed(exc)


class AgentSession(asyncssh.SSHServerSession[bytes]):
    """The agent's side of one channel (exec now; shell and subsystem are refused or gated)."""

    def __init__(self, conn: AgentConnection):
        self.conn = conn
        self.chan: asyncssh.SSHServerChannel[bytes] = None  # type: ignore[assignment]
        self.command: str | None = None
        self.mode = "exec"
        self.term_type: str | None = None
        self.term_size: tuple[int, int, int, int] | None = None
        self.term_modes: dict = {}
        self.upstream: asyncssh.SSHClientChannel[bytes] | None = None
        self.exit_status: int | None = None
        self.exit_signal: tuple[str, bool, str, str] | None = None
        self.closed = False
        #: set once the exit status went to the agent (or the channel is gone)
        self.exited = asyncio.Event()
        #: why the target could not run this channel (unreachable, refused): for the record
        self.failure: str | None = None
        self._task: asyncio.Task | None = None
        self._agent_eof = False
        self._target_eof = False
        self._pending: list[tuple[bytes, asyncssh.DataType]] = []
        #: the gated shell's state machine (shell mode only)
        self.gate: ShellGate | None = None
        #: a gated shell: what its allowed lines wrote (guard/memory.py; kept by the hooks,
        #: no TTL while the shell lives); its directory is the one each gate request reports
        self.shell_memory: WriteMemory | None = None
        self.nonce = ""
        self._overdue: asyncio.TimerHandle | None = None
        #: the decision on the open gate request, recorded once the shell reports
        self.shell_decision: tuple[str, dict] | None = None
        #: where the open gate request's line starts, as the shell reported it
        self.shell_cwd = START
        # why the target's output / the agent's input is not being read right now
        self._output_holds: set[str] = set()
        self._input_holds: set[str] = set()
        #: SFTP: the parser, client packets not yet forwarded, the one being decided
        self.sftp: SftpStream | None = None
        self._sftp_queue: list[Packet] = []
        self._sftp_task: asyncio.Task | None = None
        self._refused_why = ""
        #: set when agent input arrives while a pipelined Ansible payload is read
        self._stdin_seen: asyncio.Event | None = None
        self._uncounted = False
        #: the environment as it was when the exec/shell request came: what runs
        self.env: dict = {}
        self._env_sent: dict[bytes, bytes] = {}
        #: a verified Ansible module this channel runs: (interpreter, payload to send on its
        #: stdin, or None when the agent's stdin already holds it)
        self.runs_module: tuple[str, bytes | None] | None = None
        #: Ansible's temp dir this channel's mkdir line creates (known once it exits 0)
        self.ansible_mkdtemp: str | None = None
        #: the target's channel opened while the command waits for approval (exec only)
        self._held: HeldSession | None = None

    # -- asyncssh callbacks (agent side) ---------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan
        self.conn.sessions.add(self)

    def pty_requested(self, term_type: str, term_size, term_modes) -> bool:
        # Any grant may run one command in a terminal; a shell on it is decided later, so
        # that a refusal comes with sshgate's reason instead of "PTY allocation failed".
        self.term_type, self.term_size, self.term_modes = term_type, term_size, term_modes
        return True

    def shell_requested(self) -> bool:
        self.mode = "shell"
        self._freeze_env()
        return True

    def exec_requested(self, command: str) -> bool:
        self.mode = "exec"
        self.command = command
        self._freeze_env()
        return True

    def _freeze_env(self) -> None:
        """Take the environment sent so far: one sent later, while the command is held,
        would reach the target unseen by the reviewer. (asyncssh accepts env requests at any
        time and has no public hook to refuse them; they are simply never used.)"""
        self.env = dict(self.chan.get_environment())
        self._env_sent = dict(self.chan.get_environment_bytes())

    def _late_env(self) -> None:
        """Audit env requests that came after the command (they are not applied)."""
        late = sorted(k.decode(errors="replace")
                      for k, v in self.chan.get_environment_bytes().items()
                      if self._env_sent.get(k) != v)
        if late:
            self.conn.audit("env.ignored", names=[n[:200] for n in late[:20]],
                            reason="environment sent after the exec/shell/subsystem request")

    def subsystem_requested(self, subsystem: str) -> bool:
        if subsystem == "sftp":
            # accepted here, decided by the grant in _gate_and_relay, so that a refusal
            # comes with sshgate's reason instead of "subsystem request failed"
            self.mode = "sftp"
            self._freeze_env()
            return True
        self.conn.audit("channel.refused", kind="subsystem", subsystem=subsystem)
        return False

    def session_started(self) -> None:
        # Nothing the agent sends may reach the target before the command is decided.
        self.hold_input("decision")
        self._task = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if self.gate is not None:
            # after a submitted line nothing the agent types reaches the shell until the
            # shell has acknowledged that line's verdict
            loop = asyncio.get_running_loop()
            was = self.gate.state
            forward = self.gate.from_agent(data, loop.time())
            try:
                if forward and self.upstream is not None:
                    self.upstream.write(forward, datatype)
                elif forward:
                    self._pending.append((forward, datatype))
            finally:
                # recorded as typed, held or not; after the write, which the shell waits for
                self.conn.observe_input(self, data)
                self._watch_gate()
            if self.gate.state is not was and (typed := self.gate.submitted()) is not None:
                # while bash reads it, forks and asks: the line as typed is classified now
                loop.call_soon(self._foresee, typed)
            return
        self.conn.observe_input(self, data)
        if self._stdin_is_module():
            return  # the module's stdin is the gateway's copy of it, already sent whole
        if self.mode == "sftp":
            self._sftp_in(data)
            return
        if self.upstream is not None:
            self.upstream.write(data, datatype)
        else:
            self._pending.append((data, datatype))
            if self._stdin_seen is not None:
                self._stdin_seen.set()

    def _foresee(self, typed: str) -> None:
        if not self.closed and self.gate is not None:
            self.conn.foresee(self, typed)

    def _stdin_is_module(self) -> bool:
        return self.runs_module is not None and self.runs_module[1] is not None

    def eof_received(self) -> bool:
        if self._stdin_is_module():
            return True
        self._agent_eof = True
        if self._stdin_seen is not None:
            self._stdin_seen.set()
        if self.upstream is not None and not (self._sftp_queue or self._sftp_task):
            self.upstream.write_eof()  # (SFTP: after the packets still being decided)
        return True

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.term_size = (width, height, pixwidth, pixheight)
        self.conn.observe_resize(self, width, height)
        if self.upstream is not None:
            self.upstream.change_terminal_size(width, height, pixwidth, pixheight)

    def signal_received(self, signal: str) -> None:
        if self.upstream is not None:
            self.upstream.send_signal(signal)

    def break_received(self, msec: int) -> bool:
        if self.upstream is not None:
            self.upstream.send_break(msec)
            return True
        return False

    def pause_writing(self) -> None:
        self.hold_output("agent window")

    def resume_writing(self) -> None:
        self.release_output("agent window")

    # -- flow control: each direction is read only while nothing holds it ------------------
    def hold_output(self, why: str) -> None:
        """Stop reading the target's output until ``why`` is released (and all others)."""
        if not self._output_holds and self.upstream is not None:
            self.upstream.pause_reading()
        self._output_holds.add(why)

    def release_output(self, why: str) -> None:
        if why in self._output_holds:
            self._output_holds.discard(why)
            if not self._output_holds and self.upstream is not None:
                self.upstream.resume_reading()

    def hold_input(self, why: str) -> None:
        """Stop reading the agent's input until ``why`` is released (and all others)."""
        if not self._input_holds:
            self.chan.pause_reading()
        self._input_holds.add(why)

    def release_input(self, why: str) -> None:
        if why in self._input_holds:
            self._input_holds.discard(why)
            if not self._input_holds:
                self.chan.resume_reading()

    def hold(self, why: str) -> None:
        """Stop both directions (the recorder is behind)."""
        self.hold_output(why)
        self.hold_input(why)

    def release(self, why: str) -> None:
        self.release_output(why)
        self.release_input(why)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.exited.set()
        self.conn.sessions.discard(self)
        if not self._uncounted:
            self._uncounted = True
            self.conn.channels -= 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self._overdue is not None:
            self._overdue.cancel()
        self._discard_held()
        if self.upstream is not None:
            self.upstream.close()

    # -- relay from target -----------------------------------------------------------------
    def from_target(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if self.gate is not None and datatype is None:
            loop = asyncio.get_running_loop()
            for ev in self.gate.from_shell(data, loop.time()):
                if isinstance(ev, Output):
                    # recorded right after the write (in this callback, before anything else
                    # the shell said): the recorder is not on the agent's path
                    if not self.closed:
                        self.chan.write(ev.data)
                    self.conn.observe_output(self, ev.data, None)
                elif isinstance(ev, Forward):
                    if self.upstream is not None and not self.closed:
                        self.upstream.write(ev.data)
                elif isinstance(ev, Gate):
                    loop.create_task(self._gate_line(ev))
                elif isinstance(ev, Ack):
                    self._shell_reported(ev)
                elif isinstance(ev, Ungated):
                    self._ungated(ev)
                elif isinstance(ev, Prompt) and ev.removed:
                    # bash had defined them although the gate skipped their line
                    self.conn.audit("shell.functions-removed", count=ev.removed)
            self._watch_gate()
            return
        if self.sftp is not None and datatype is None:
            self.sftp.server_data(data)
        self.conn.observe_output(self, data, datatype)
        if not self.closed:
            self.chan.write(data, datatype)

    # -- SFTP: every client packet in order; file operations wait for their decision -------
    def _sftp_in(self, data: bytes) -> None:
        if self.closed:
            return
        if self.sftp is None:
            self.sftp = SftpStream()
        try:
            self._sftp_queue.extend(self.sftp.client_data(data))
        except SftpProtocolError as e:
            self.conn.audit("sftp.protocol_error", error=str(e))
            self.refuse(f"denied: not an SFTP client ({e})")
            return
        self._sftp_pump()

    def _sftp_pump(self) -> None:
        """Forward queued packets up to the first file operation, which is then decided."""
        if self.upstream is None or self._sftp_task is not None or self.closed:
            return
        queue = self._sftp_queue
        ready = 0
        while ready < len(queue) and queue[ready].op is None:
            ready += 1
        if ready:
            # one channel write for the run: a 32 KB SFTP write plus its header is two SSH
            # packets to a target whose packets hold 32 KB; joined, they fill whole packets
            self.upstream.write(queue[0].raw if ready == 1 else
                                b"".join(p.raw for p in queue[:ready]))
            del queue[:ready]
        self._sftp_closed()
        if not queue and self._agent_eof:
            self.upstream.write_eof()
        elif queue:
            # later packets keep their place behind the one being decided
            self.hold_input("sftp decision")
            self._sftp_task = asyncio.get_running_loop().create_task(
                self._sftp_decide(queue.pop(0)))

    async def _sftp_decide(self, packet: Packet) -> None:
        assert packet.op is not None and packet.id is not None
        grant = self.conn.authorization.grant
        self._refused_why = ""
        allowed = await self.conn.check_command(
            self, packet.op.label(),
            classify_file_op(packet.op, grant.sftp, self.sftp.home if self.sftp else None))
        self._sftp_task = None
        if self.closed or self.upstream is None:
            return
        if allowed:
            self._sftp_ansible(packet)
            self.upstream.write(packet.raw)
        else:
            reply = status_packet(packet.id, f"sshgate: {self._refused_why or 'denied'}")
            self.conn.observe_output(self, reply, None)
            self.chan.write(reply)
        self.release_input("sftp decision")
        self._sftp_pump()

    def _sftp_ansible(self, packet: Packet) -> None:
        """What an allowed SFTP change means for Ansible's temp dirs (gateway/ansible_tmp)."""
        op, stream = packet.op, self.sftp
        assert op is not None and stream is not None
        if op.op == "read":
            return
        temps, key = self.conn.gateway.ansible_temps, self.conn.ansible_key()
        path = stream.absolute(op.path)
        if op.op == "write" and path is not None and op.detail == "":
            if temps.opened_for_write(key, path):
                stream.keep_writes(packet.id)
            return
        temps.changed(key, path)
        if op.path2:
            temps.changed(key, stream.absolute(op.path2))

    def _sftp_closed(self) -> None:
        stream = self.sftp
        if stream is not None and stream.closed:
            for c in stream.closed:
                self.conn.file_transferred(self, c)
                if c.kept:
                    path = stream.absolute(c.path)
                    if path is not None:
                        self.conn.gateway.ansible_temps.uploaded(
                            self.conn.ansible_key(), path, c.data)
            stream.closed.clear()

    async def _gate_line(self, request: Gate) -> None:
        """Classify a shell command (and wait for approval); answer the shell."""
        allowed = False
        self.shell_decision = None
        self.shell_cwd = request.cwd
        try:
            allowed = await self.conn.check_command(self, request.line)
        finally:
            gate = self.gate
            if gate is not None and self.upstream is not None and not self.closed:
                answer = gate.answer(request.request, allowed,
                                     asyncio.get_running_loop().time())
                if answer:
                    self.upstream.write(answer)
                self._watch_gate()

    def _shell_reported(self, ack: Ack) -> None:
        """The shell's own account of a gated command: what the record says it did."""
        decision, meta = self.shell_decision or ("allow" if ack.allowed else "deny", {})
        self.shell_decision = None
        outcome = "ran" if ack.ran else "skipped"
        self.conn.audit("shell.outcome", command=ack.line, decision=decision, outcome=outcome,
                        request=ack.request)
        if ack.ran != ack.allowed:
            self.conn.audit("shell.mismatch", command=ack.line, decision=decision,
                            outcome=outcome, request=ack.request)
        self.conn.shell_outcome(self, ack.line, decision, outcome, meta)

    def _ungated(self, ev: Ungated) -> None:
        """The shell can no longer be trusted to ask: record it and end the session."""
        # an open gate request's line may have run (its verdict may have been typed, or
        # forged): the record never says it did not
        outcome = "may have run" if ev.pending else "ungated"
        self.conn.audit("shell.ungated", command=ev.line, reason=ev.why, outcome=outcome)
        self.conn.shell_outcome(self, ev.line, "ungated", outcome, {"reason": ev.why})
        self.conn.state["end_reason"] = f"shell gate broken: {ev.why}"
        self.refuse(f"denied: the shell can no longer be gated ({ev.why}); the session is "
                    "ended")

    def _gate_ended(self) -> bool:
        """The shell ended with a line submitted and never gated (or a request open): the
        record says so (shell.ungated) and the session ends on that."""
        ended = self.gate.ended() if self.gate is not None and not self.closed else None
        if ended is not None:
            self._ungated(ended)
        return ended is not None

    def _watch_gate(self) -> None:
        """Arm one timer for the gate's current deadline (a silent shell is a broken gate)."""
        gate = self.gate
        if gate is None or gate.deadline is None or self.closed:
            return
        if self._overdue is not None:
            if self._overdue.when() <= gate.deadline + 0.01:
                return
            self._overdue.cancel()
        loop = asyncio.get_running_loop()
        self._overdue = loop.call_at(gate.deadline + 0.01, self._check_overdue)

    def _check_overdue(self) -> None:
        self._overdue = None
        gate = self.gate
        if gate is None or self.closed:
            return
        ev = gate.overdue(asyncio.get_running_loop().time())
        if ev is not None:
            self._ungated(ev)
        else:
            self._watch_gate()

    def target_eof(self) -> None:
        # The target's EOF is held until its exit status is known, then sent together with
        # it. An OpenSSH client closes a channel as soon as both directions have seen EOF; a
        # close that reached us before the target's exit-status would lose the status, and
        # a ControlMaster client then exits 255 with no message.
        self._target_eof = True
        if self._gate_ended():
            return
        if self.exit_status is not None or self.exit_signal is not None:
            self.target_exited()

    def target_exited(self) -> None:
        """The target reported an exit status or signal: end once its output has ended too."""
        if not self._target_eof:
            return  # output may still follow an early exit-status
        if self.exit_signal is not None:
            self.finish(signal=self.exit_signal)
        else:
            self.finish(self.exit_status)

    def target_closed(self, exc: Exception | None) -> None:
        if self.closed or self._gate_ended():
            return
        if self.exit_signal is not None:
            self.finish(signal=self.exit_signal)
        elif self.exit_status is not None:
            self.finish(self.exit_status)
        else:
            reason = f"connection to the target was lost ({exc})" if exc else \
                "connection to the target was lost"
            self.conn.state["end_reason"] = reason
            self.refuse(reason, EXIT_UNREACHABLE)

    # -- helpers ---------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A line from the gateway on the agent's stderr (or terminal, in a PTY)."""
        if self.closed:
            return
        if self.term_type:
            line = f"\r\nsshgate: {text}\r\n".encode()
            self.conn.observe_output(self, line, None)
            self.chan.write(line)
        else:
            line = f"sshgate: {text}\n".encode()
            self.conn.observe_output(self, line, asyncssh.EXTENDED_DATA_STDERR)
            self.chan.write_stderr(line)

    def reject(self, reason: str) -> None:
        """Refuse one command: an exec channel ends with 77; a shell says why and goes on;
        an SFTP operation gets a permission error and the session goes on."""
        if self.mode == "sftp" and self.upstream is not None:
            self._refused_why = reason
            self.say(reason)
        elif self.mode == "shell":
            self.say(reason)
        else:
            self.refuse(reason)

    def refuse(self, reason: str, status: int = EXIT_REFUSED) -> None:
        """End the channel with ``reason`` on stderr and ``status``; a command already running
        on the target (deadline, failed recording, shutdown) is cut off there too."""
        self.say(reason)
        self.finish(status)
        if self.upstream is not None:
            self.upstream.close()

    def finish(self, status: int | None = None,
               signal: tuple[str, bool, str, str] | None = None) -> None:
        if self.closed:
            return
        self.closed = True
        self._discard_held()
        if self.ansible_mkdtemp is not None and status == 0 and signal is None:
            # `mkdir DIR` succeeded: DIR is new, and a directory, not a link planted earlier
            self.conn.gateway.ansible_temps.created(self.conn.ansible_key(),
                                                    self.ansible_mkdtemp)
        self.conn.session_finished(self, status, signal)
        if self.chan.get_write_buffer_size():
            # asyncssh sends exit-status at once, ahead of data still waiting for window:
            # the agent must see all output (and EOF) before the status
            asyncio.get_running_loop().create_task(self._exit_after_drain(status, signal))
        else:
            self._exit(status, signal)

    def _exit(self, status: int | None, signal: tuple[str, bool, str, str] | None) -> None:
        self.exited.set()
        with contextlib.suppress(OSError):  # the agent may have gone already
            if self._target_eof:
                self.chan.write_eof()
            if signal is not None:
                self.chan.exit_with_signal(*signal)
            else:
                self.chan.exit(status if status is not None else EXIT_UNREACHABLE)

    async def _exit_after_drain(self, status: int | None,
                                signal: tuple[str, bool, str, str] | None) -> None:
        deadline = asyncio.get_running_loop().time() + 30
        while self.chan.get_write_buffer_size() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.005)
        self._exit(status, signal)

    def waiting_for_approval(self) -> None:
        """The command is held: open its channel on the target now (nothing is requested on
        it until approved), so that an approval costs the target one round trip less. Exec
        only: a shell's or SFTP's commands are held inside a channel that is already open."""
        if self.mode == "exec" and self._held is None and not self.closed:
            self._held = self.conn.hold_channel()

    def _discard_held(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.discard()

    async def _run(self) -> None:
        try:
            await self._gate_and_relay()
        except asyncio.CancelledError:
            raise
        except Exception as e:  # fail closed: an unexpected error refuses, never runs
            log.exception("session %s: internal error", self.conn.session_id)
            self.conn.audit("session.error", error=repr(e))
            self.refuse(f"denied: internal error in the gateway ({type(e).__name__})")

    async def _gate_and_relay(self) -> None:
        if self.conn.ending is not None:  # opened just before the session began to end
            self.refuse(self.conn.ending)
            return
        refusal = self.conn.refusal
        if refusal is not None:
            self.refuse(self.conn.refusal_message or f"denied: {refusal}")
            return
        grant = self.conn.authorization.grant
        if self.mode == "shell":
            if not grant.shell:
                self.refuse("denied: interactive shells are not allowed for this grant; run "
                            "commands as 'ssh ... LOGIN@TARGET@gateway CMD'")
                return
            if self.term_type is None:
                self.refuse("denied: an interactive shell needs a terminal (ssh -t)")
                return
            self.nonce = new_nonce()
            self.gate = ShellGate(self.nonce)
            # the shell gives up waiting (and skips the command) a little after the gateway
            command = bootstrap_command(self.nonce,
                                        self.conn.policy.approval.timeout + 30)
            self.conn.audit("shell.start", term=self.term_type)
            self.conn.shell_started(self)
        elif self.mode == "sftp":
            if grant.sftp == "false":
                self.conn.audit("channel.refused", kind="subsystem", subsystem="sftp",
                                reason="sftp: false")
                self.refuse("denied: file transfer (SFTP) is not allowed for this grant "
                            "(sftp: false)")
                return
            command = None
            self.conn.audit("sftp.start", sftp=grant.sftp)
            self.conn.shell_started(self)  # opens the recording before the first byte
        else:
            command = self.command or ""
            if "\x00" in command:
                # sshd runs only what comes before a NUL (argv is a C string), so the guard
                # would judge another command than runs; nor may it reach the fleet's database
                shown = command.replace("\x00", "\\0")
                self.conn.audit("command.refused", command=shown, reason=NUL_REASON)
                self.refuse(f"denied: {NUL_REASON}")
                return
            line = ansible_lines.parse(command)
            allowed = await self._ansible(line) if line is not None else None
            if allowed is None:
                allowed = await self.conn.check_command(self, command)
            if not allowed:
                self._discard_held()
                return
            if self.runs_module is not None:
                # the verified module, from the gateway, in an interpreter that imports
                # nothing the login wrote (ansible_lines.isolated)
                command = ansible_lines.isolated(self.runs_module[0])
        try:
            upstream = await self.conn.upstream()
        except UpstreamError as e:
            self.failure = str(e)
            self.refuse(str(e), EXIT_UNREACHABLE)
            return
        if self.closed:  # ended while the command was decided (deadline, kill, shutdown)
            self._discard_held()
            return
        self._late_env()
        env = allowed_env(self.conn.authorization.grant, self.env)
        if self.runs_module is not None and self.runs_module[1] is not None:
            # a module run by path is sent on stdin: without a terminal, which would echo it
            # and cut it into lines; what the agent typed is not part of it
            self._pending = [(self.runs_module[1], None)]
            self._agent_eof = True
            self.term_type = None
        if self.mode == "exec":
            command = command_env.exec_request(command)
        held = self._held  # kept until started: a kill meanwhile still discards it
        try:
            started = None if held is None else await held.start(
                lambda: UpstreamSession(self), command, subsystem=None, env=env,
                term_type=self.term_type, term_size=self.term_size,
                term_modes=self.term_modes)
            if started is None:
                self._discard_held()  # never opened, or the target closed it: a fresh one
            else:
                self._held = None  # the channel that runs the command now
            chan, _ = started or await upstream.create_session(
                lambda: UpstreamSession(self),
                command,
                subsystem="sftp" if self.mode == "sftp" else None,
                env=env,
                term_type=self.term_type,
                term_size=self.term_size,
                term_modes=self.term_modes,
                encoding=None,
                window=WINDOW,
                max_pktsize=MAX_PKTSIZE,
            )
        except asyncssh.ChannelOpenError as e:
            self.failure = f"target refused the channel: {e.reason}"
            self.refuse(self.failure, EXIT_UNREACHABLE)
            return
        if self.closed:
            chan.close()
            return
        self.upstream = chan
        if self._output_holds:  # held before the target's channel existed
            chan.pause_reading()
        self.conn.session_relaying(self)
        for data, datatype in self._pending:
            chan.write(data, datatype)
        self._pending.clear()
        self._sftp_pump()
        if self._agent_eof:
            chan.write_eof()
        self.release_input("decision")
        if self.gate is not None:
            asyncio.get_running_loop().call_later(SHELL_START_TIMEOUT, self._check_shell_started)

    # -- Ansible's own lines (guard/ansible_lines.py) ----------------------------------------
    async def _ansible(self, line: AnsibleLine) -> bool | None:
        """Decide one of Ansible's own lines; None: not vouched for, the ordinary guard
        decides the command (and holds it)."""
        command = self.command or ""
        temps, key = self.conn.gateway.ansible_temps, self.conn.ansible_key()
        if line.kind == "pipelined":
            module = await self._ansible_module()
            if module is None:
                return None
            self.runs_module = (line.interpreter, None)
            return await self.conn.check_ansible(self, command, module)
        if line.kind == "home":
            return None  # `echo ~`: the guard's catalogue allows it
        why = await self._ansible_why_not(line)
        if why is not None:
            self.conn.audit("ansible.unvouched", command=command, line=line.kind, reason=why)
            return None
        if line.kind == "run":
            payload = temps.take_upload(key, line.module_path)
            module = await asyncio.to_thread(verify_payload, payload) if payload else None
            if module is None or module.name != line.module:
                self.conn.audit("ansible.unvouched", command=command, line="run",
                                reason="the uploaded module is not what the installed "
                                       "ansible-core builds" if payload else
                                       "the gateway did not see this module uploaded")
                return None
            self.runs_module = (line.interpreter, payload)
            # what runs is the gateway's copy of the upload, not the file on the target
            self.conn.audit("ansible.upload_run", command=command, path=line.module_path,
                            bytes=len(payload), sha256=hashlib.sha256(payload).hexdigest(),
                            runs=ansible_lines.isolated(line.interpreter))
            return await self.conn.check_ansible(self, command, module)
        if line.kind == "mkdtemp":
            self.ansible_mkdtemp = line.tmpdir  # known once the mkdir exits 0
        elif line.kind == "cleanup":
            temps.removed(key, line.tmpdir)
        # Ansible's housekeeping in its own temp dir: nothing to hold
        return await self.conn.check_command(self, command, Classification(command, ()))

    async def _ansible_why_not(self, line: AnsibleLine) -> str | None:
        """Why a housekeeping line or module run cannot be vouched for, or None."""
        temps, key = self.conn.gateway.ansible_temps, self.conn.ansible_key()
        if line.kind == "mkdtemp":
            home = await self.conn.target_home()
            for path in (line.base, line.tmpdir):
                if classify_file_op(FileOp("mkdir", path), "true", home).findings:
                    return f"the temp dir {path} is not under the login's home or /tmp"
            return None
        if not temps.known(key, line.tmpdir):
            return "the gateway did not see this temp dir created"
        if line.kind in ("chmod", "cleanup"):
            files = [f"{line.tmpdir}/{f}" for f in line.files]
            why = await self.conn.real_files(line.tmpdir, files)
            if why is not None:
                temps.removed(key, line.tmpdir)
            return why
        return None

    async def _ansible_module(self) -> AnsibleModule | None:
        """Ansible's pipelined module on the agent's stdin, if the installed ansible-core
        vouches for it (sshgate/ansible_payload.py); the bytes stay queued for the target,
        exactly as read. Anything else is left to the guard, which holds it."""
        loop = asyncio.get_running_loop()
        self._stdin_seen = asyncio.Event()
        self.release_input("decision")  # read, but keep it in _pending until decided
        try:
            deadline = loop.time() + ANSIBLE_STDIN_TIMEOUT
            while not self._agent_eof and not self.closed:
                size = sum(len(d) for d, _ in self._pending)
                head = b"".join(d for d, _ in self._pending[:2])[:2]
                if size > MAX_PAYLOAD or (head and head != b"#!"[:len(head)]):
                    return None  # not a module payload: no reason to wait for more
                left = deadline - loop.time()
                if left <= 0:
                    return None
                self._stdin_seen.clear()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stdin_seen.wait(), left)
        finally:
            self.hold_input("decision")
            self._stdin_seen = None
        if self.closed or any(t is not None for _, t in self._pending):
            return None
        payload = b"".join(d for d, _ in self._pending)
        return await asyncio.to_thread(verify_payload, payload)

    def _check_shell_started(self) -> None:
        if self.closed or self.gate is None or self.gate.prompts:
            return
        grant = self.conn.authorization.grant
        if grant.shell_fallback == "record-only":
            self.conn.audit("shell.ungated", reason="no gated prompt (login shell or bash "
                                                    "missing?); recording only")
            self.say("warning: this shell is recorded but NOT gated (no bash prompt markers)")
            held = self.gate.started_ungated()
            self.gate = None
            if held and self.upstream is not None:
                self.upstream.write(held)
        else:
            self.conn.audit("shell.refused", reason="no gated prompt within "
                                                    f"{SHELL_START_TIMEOUT:g}s")
            self.refuse("denied: the target's shell could not be gated (is bash installed?)")
