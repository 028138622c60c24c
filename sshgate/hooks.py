"""The gateway's hooks as deployed: guard + approvals + recording, wired to one config."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import asyncssh

from .approvals.broker import Request, State
from .approvals.control import ApprovalService, ControlServer
from .approvals.live import Oversight
from .approvals.oversight import LiveSession, Lock, Locks
from .audit import now_iso
from .certs import load_key
from .config import Config
from .gateway.server import AgentConnection, Gateway, GatewayHooks
from .gateway.session import AgentSession
from .gateway.sftp import Closed
from .guard.ansible import AnsibleModule, classify_module
from .guard.classify import CACHE_MAX_LINE, Classification
from .guard.flow import ANYWHERE, START, UNKNOWN
from .guard.memory import (
    HOME,
    Earlier,
    WriteMemory,
    Written,
    home_of,
    owned,
    placed_writes,
    shell_starts,
)
from .guard.parse import parse as parse_line
from .notify import Notifier
from .policy.evaluate import Decision, classify_for, decide
from .policy.model import Action, Policy
from .recording import reader
from .recording.recovery import last_run_sessions, seal_left_unsealed
from .recording.spool import Spool
from .recording.writer import HIGH_WATER, CastWriter
from .state import StateUnavailable

log = logging.getLogger("sshgate.hooks")


class DeployedHooks(GatewayHooks):
    """Classify every command, hold or refuse per policy, record and audit everything."""

    def __init__(self, gateway: Gateway, config: Config | None = None, fleet: Any = None):
        self.gateway = gateway
        self.config = config
        policy = gateway.policy
        self.approvals = ApprovalService(policy.approvers, policy.approval,
                                         audit=gateway.audit_log.write)
        #: sshgate.state.postgres.PostgresState when replicas share a database, else None
        self.fleet = fleet
        if fleet is not None:
            self.approvals.fleet = fleet
            self.approvals.broker.id_bytes = 8
            self.approvals.broker.replica = fleet.replica
            # every replica holds the same audit key: decisions it signs skip a read-back
            fleet.signer = gateway.audit_log.signer
        self.oversight = Oversight(
            gateway.audit_log.write,
            locks_path=config.state_dir / "locks.json" if config is not None else None,
            end_session=self.end_session)
        self.approvals.oversight = self.oversight
        self.approvals.reloader = self.reload_everywhere
        self.control: ControlServer | None = None
        self._sealing: set[asyncio.Task] = set()
        # sealing waits for a recorder to catch up and hashes the recording, which can take
        # seconds: in threads of its own, so that asyncio's default pool stays free for what
        # every new connection needs from it (asyncssh.run_server builds its options there)
        self._sealer = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sshgate-seal")
        self.notifier = Notifier(policy.notify, audit=gateway.audit_log.write)
        gateway.audit_log.observers.append(self.notifier.observe)
        # Classification runs here, not on the event loop: a line may take up to the guard's
        # budget (25 ms of CPU), and every session's relay runs on the loop.
        self._guard = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sshgate-guard")
        # Long lines take turns in a lane of their own: a hostile one takes the whole budget,
        # and the guard's threads share the GIL with the loop, so at most one of them contends
        # with the relay, and a flood of them never queues ordinary lines behind it
        # (docs/guard-budget.md: the loop's lag while three 64 KiB lines are classified).
        self._guard_long = ThreadPoolExecutor(max_workers=1,
                                              thread_name_prefix="sshgate-guard-long")
        # recordings are sealed with their own key, not the gateway's host key
        self.recording_key = (load_key(config.recording_key)
                              if config is not None and config.record else None)
        self.max_pending = config.max_pending_per_session if config is not None else 4
        # what allowed lines wrote, per (identity, target), so that a later line of another
        # connection that runs code from it is held (guard/memory.py); per replica
        self.write_memory = WriteMemory(**_memory_bounds(config))
        #: why this gateway's last policy reload was refused (None: it loaded)
        self._policy_error: str | None = None
        # recordings: s3://…: written to the spool, uploaded once sealed
        self.spool: Spool | None = None
        if config is not None and config.record and config.recordings_s3 is not None:
            from .recording.store import S3Store

            self.spool = Spool(config.recordings, S3Store(config.recordings_s3),
                               max_bytes=config.spool_max, audit=gateway.audit_log.write,
                               seal_key=self.recording_key,
                               index=fleet.index_recording if fleet is not None else None)

    def review_service(self) -> ApprovalService:
        return self.approvals

    # -- live oversight ------------------------------------------------------------------------
    def session_refusal(self, conn: AgentConnection) -> str | None:
        assert conn.identity is not None
        if self.fleet is not None and not self.fleet.reachable:
            # fail closed: a session other replicas cannot see, kill or lock is not started
            return UNREACHABLE + ": new sessions are refused until it is back"
        refusal = self.oversight.refusal(conn.identity.name)
        if refusal is None and self.spool is not None:
            refusal = self.spool.refusal()
        return refusal

    def on_session_start(self, conn: AgentConnection) -> None:
        auth = conn.authorization
        assert auth is not None
        conn.state["live"] = live = self.oversight.sessions.start(LiveSession(
            conn.session_id, auth.identity.name, auth.target.name, auth.login,
            f"{conn.client[0]}:{conn.client[1]}", conn.started))
        if self.fleet is not None:
            self.fleet.session_started(live)

    # -- the fleet's calls into this replica (sshgate.state.postgres.Replica) ----------------
    def fleet_decided(self, req: Request) -> None:
        self.approvals.apply(req)

    def fleet_request(self, req: Request) -> None:
        self.approvals.announce(req)

    def fleet_kill(self, session_id: str, reviewer: str, reason: str, via: str) -> None:
        self.oversight.kill(reviewer, session_id, reason)

    def fleet_lock(self, lock: Lock, via: str) -> None:
        self.oversight.apply_lock(lock, via)

    def fleet_unlock(self, identity: str, reviewer: str, via: str) -> None:
        self.oversight.apply_unlock(identity, reviewer, via)

    def fleet_locks(self, shared: Locks) -> None:
        # the union, as at start: a lock is a kill switch, so one taken here while the
        # database was away goes to the others, even over an unlock given meanwhile there
        for identity, lk in self.oversight.locks.locks.items():
            if identity not in shared.locks:
                self.fleet.spawn(self.fleet.lock(lk))
        for lk in shared.locks.values():
            self.oversight.apply_lock(lk, "database")

    def fleet_lost(self, replica: str, sessions: list[str], requests: list[str]) -> None:
        self.gateway.audit_log.write("replica.lost", replica=replica, sessions_lost=sessions,
                                     requests_withdrawn=requests)

    def fleet_unreachable(self) -> None:
        self.approvals.deny_pending(UNREACHABLE)

    def fleet_fence(self) -> None:
        running = list(self.oversight.sessions.live)
        self.gateway.audit_log.write("replica.fenced", sessions=running)
        for sid in running:
            self.end_session(sid, UNREACHABLE + " for too long; the session is ended", {})

    def fleet_running(self) -> list[LiveSession]:
        return list(self.oversight.sessions.live.values())

    def fleet_reload(self, generation: int, by: str, via: str) -> None:
        if self.reloader is not None:
            self.reloader(f"policy reload {generation} by {by} through replica {via}")

    # -- policy reloads ------------------------------------------------------------------------
    async def reload_everywhere(self, by: str) -> dict[str, Any]:
        """`sshgate policy reload`: this gateway re-reads its files and, in a fleet, every
        replica does; the reply names what each one runs now."""
        assert self.reloader is not None
        fleet = self.fleet
        self.gateway.audit_log.write("policy.reload-asked", by=by)
        if fleet is None:
            out = self.reloader(f"policy reload by {by}")
            return reload_reply(None, [{"id": "this gateway", "state": "up",
                                        "policy_digest": out["digest"],
                                        "policy_error": "; ".join(out["errors"]) or None,
                                        "answered": True}])
        try:
            generation = await fleet.request_reload(by)
        except StateUnavailable as e:
            out = self.reloader(f"policy reload by {by} (this replica only)")
            return reload_reply(f"only this replica reloaded: {UNREACHABLE} ({e})", [
                {"id": fleet.replica, "state": "up", "policy_digest": out["digest"],
                 "policy_error": "; ".join(out["errors"]) or None, "answered": True}])
        self.reloader(f"policy reload {generation} by {by}")
        try:
            # what this replica loaded is in its row before the others' answers are read
            await fleet.publish_policy(self.gateway.policy.digest, self._policy_error)
            rows = await fleet.reload_answers(generation, min(
                self.config.heartbeat_timeout, 2 * self.config.heartbeat_interval + 2.0)
                if self.config is not None else 5.0)
        except StateUnavailable as e:
            return reload_reply(f"reloaded here; the other replicas' answers cannot be read: "
                                f"{UNREACHABLE} ({e})", [])
        for r in rows:
            r["answered"] = r["policy_reload"] >= generation
        return reload_reply(None, rows)

    def end_session(self, session_id: str, message: str, meta: dict) -> bool:
        """End a running session for a reviewer or a lock: marker, reason, 77."""
        conn = next((c for c in self.gateway.connections if c.session_id == session_id
                     and c.authorization is not None), None)
        if conn is None:
            return False
        rec = conn.state.get("recording")
        if rec is not None:
            rec.marker(f"sshgate: {message}", decision="ended", **meta)
        conn.state["end_reason"] = message
        conn.terminate(message)
        return True

    async def start(self) -> None:
        await self.notifier.start()
        if self.fleet is not None:
            await self._share_locks()
            # the files were read just now: every reload asked before is in them
            await self.fleet.reload_generation()
            await self.fleet.publish_policy(self.gateway.policy.digest, None)
            await self.fleet.start(self)
        self.oversight.start()
        if self.spool is not None:
            await self.spool.start()
        elif self.fleet is not None and self.recording_key is not None:
            await self._recover_recordings()
        elif self.config is not None and self.config.record and self.recording_key is not None:
            await self._recover_own_recordings()
        if self.config is not None:
            self.control = ControlServer(self.approvals, self.config.control_socket,
                                         self.config.control_group)
            await self.control.start()

    async def _recover_recordings(self) -> None:
        """Recordings on disk that this replica's last run left unsealed (the index names
        them; nothing is live before it listens) are sealed as recovered, as the spool does
        (recording/recovery.py). The file is this replica's own directory's, whatever the
        row's location says."""
        assert self.fleet is not None and self.config is not None
        for rid in await self.fleet.unsealed_recordings():
            if reader.is_id(rid):
                await seal_left_unsealed(reader.path_of(self.config.recordings, rid),
                                         self.recording_key, audit=self.gateway.audit_log.write,
                                         index=self.fleet.index_recording)

    async def _recover_own_recordings(self) -> None:
        """Without a database: the recordings of the sessions this gateway's last run
        started (its own audit log says which) that are still unsealed were cut by a kill:
        sealed as recovered (recording/recovery.py)."""
        assert self.config is not None
        sessions = await asyncio.to_thread(last_run_sessions, self.config.audit_log)
        for rid in sessions:
            await seal_left_unsealed(reader.path_of(self.config.recordings, rid),
                                     self.recording_key, audit=self.gateway.audit_log.write)

    async def _share_locks(self) -> None:
        """The fleet's locks are in force here, and locks taken here while the database was
        away go to the others."""
        shared = await self.fleet.locks()
        for identity, lk in self.oversight.locks.locks.items():
            if identity not in shared.locks:
                await self.fleet.lock(lk)
                shared.locks[identity] = lk
        self.oversight.locks = shared
        self.oversight._save()

    async def close(self) -> None:
        self.oversight.close()
        self.approvals.deny_all("the gateway is stopping")
        await self.approvals.close()
        if self.control is not None:
            await self.control.close()
        if self._sealing:  # every recording that ended is sealed before the process exits
            await asyncio.wait(self._sealing, timeout=60)
        self._sealer.shutdown(wait=False)
        if self.spool is not None:  # what cannot be uploaded now is, at the next start
            await self.spool.close(timeout=10)
        await self.notifier.close()
        self._guard.shutdown(wait=False, cancel_futures=True)
        self._guard_long.shutdown(wait=False, cancel_futures=True)

    def on_stopping(self) -> None:
        self.approvals.deny_all("the gateway is stopping")

    def on_policy(self, policy: Policy) -> None:
        self.approvals.update_policy(policy.approvers, policy.approval)
        self.notifier.update(policy.notify)
        self._policy_error = None
        if self.fleet is not None:
            self.fleet.spawn(self.fleet.publish_policy(policy.digest, None))

    def on_policy_refused(self, errors: list[str]) -> None:
        # the replica keeps its policy; the fleet's table says which one and why not the new
        self._policy_error = "; ".join(errors[:5]) + (
            f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")
        if self.fleet is not None:
            self.fleet.spawn(self.fleet.publish_policy(self.gateway.policy.digest,
                                                       self._policy_error))

    # -- recording ---------------------------------------------------------------------------
    def recording(self, conn: AgentConnection, session: AgentSession) -> CastWriter | None:
        """The session's recording, opened at its first channel (one file per session)."""
        rec = conn.state.get("recording")
        if rec is not None or self.config is None or not self.config.record:
            return rec
        auth = conn.authorization
        assert auth is not None and conn.credential is not None
        width, height = (session.term_size or (80, 24, 0, 0))[:2]
        command = session.command if session.mode == "exec" else None
        loop = asyncio.get_running_loop()
        rec = CastWriter(
            self.config.recordings / f"{conn.session_id}.cast",
            width=width or 80, height=height or 24,
            title=f"{auth.identity.name}: {auth.login}@{auth.target.name}"
                  + (f" {command}" if command else " (shell)"),
            env={"TERM": session.term_type or "dumb", "SHELL": "/bin/bash"},
            sshgate={
                "session": conn.session_id, "identity": auth.identity.name,
                "target": auth.target.name, "login": auth.login,
                "client": f"{conn.client[0]}:{conn.client[1]}",
                "cert_key_id": conn.credential.key_id, "cert_serial": conn.credential.serial,
                "mode": session.mode, "command": command, "started": now_iso(),
                "pty": session.term_type is not None,
            },
            on_failure=lambda error: _from_thread(loop, self._recording_failed, conn, error),
        )
        conn.state["recording"] = rec
        if self.fleet is not None:  # in the index from its first byte: `live`
            self.fleet.index_recording(conn.session_id, {
                "identity": auth.identity.name, "target": auth.target.name,
                "login": auth.login, "location": str(rec.path),
                "started": datetime.fromtimestamp(conn.started, UTC).isoformat()})
        return rec

    def _recording_failed(self, conn: AgentConnection, error: Exception) -> None:
        # fail closed: a session that can no longer be recorded does not go on
        conn.audit("recording.failed", recording=conn.session_id, error=str(error))
        log.error("session %s: recording failed (%s); ending the session", conn.session_id,
                  error)
        why = getattr(error, "strerror", None) or f"{type(error).__name__}: {error}"
        conn.terminate(f"recording failed ({why}); the session is ended")

    def _recorder_behind(self, conn: AgentConnection, rec: CastWriter,
                         session: AgentSession) -> None:
        """Stop relaying this session until its recorder has caught up (a disk slower than
        the network must not turn into gateway memory)."""
        if conn.state.get("recorder_behind"):
            session.hold("recorder")  # a channel opened since the others were held
            return
        conn.state["recorder_behind"] = True
        for s in conn.sessions:
            s.hold("recorder")
        loop = asyncio.get_running_loop()
        rec.notify_when_drained(lambda: _from_thread(loop, self._recorder_caught_up, conn))

    def _recorder_caught_up(self, conn: AgentConnection) -> None:
        conn.state["recorder_behind"] = False
        for s in conn.sessions:
            s.release("recorder")

    def mark(self, conn: AgentConnection, session: AgentSession, command: str,
             decision: str, **meta) -> None:
        if session.mode == "shell":
            # the record says what the shell did, not what it was told: written when the
            # shell reports (on_shell_outcome)
            session.shell_decision = (decision, meta)
            return
        rec = self.recording(conn, session)
        if rec is not None:
            rec.marker(command, decision=decision, **meta)

    def on_shell_outcome(self, session: AgentSession, line: str, decision: str, outcome: str,
                         meta: dict) -> None:
        rec = self.recording(session.conn, session)
        if rec is not None:
            rec.marker(line, decision=decision, outcome=outcome, **meta)

    def on_output(self, session: AgentSession, data: bytes, datatype: int | None) -> None:
        live = session.conn.state.get("live")
        if live is not None:
            live.bytes_out += len(data)
            self.oversight.output(live.id, data)
        rec = session.conn.state.get("recording")
        if rec is not None:
            if datatype == asyncssh.EXTENDED_DATA_STDERR and session.term_type is None:
                rec.stderr(data)
            else:
                rec.output(data)
            if rec.backlog > HIGH_WATER:
                self._recorder_behind(session.conn, rec, session)

    def on_input(self, session: AgentSession, data: bytes) -> None:
        live = session.conn.state.get("live")
        if live is not None:
            live.bytes_in += len(data)
        rec = session.conn.state.get("recording")
        if rec is not None:
            rec.input(data)
            if rec.backlog > HIGH_WATER:
                self._recorder_behind(session.conn, rec, session)

    def on_resize(self, session: AgentSession, width: int, height: int) -> None:
        rec = session.conn.state.get("recording")
        if rec is not None:
            rec.resize(width, height)

    def on_channel_finished(self, session: AgentSession, status: int | None,
                            signal: tuple | None) -> None:
        rec = session.conn.state.get("recording")
        if rec is not None:
            rec.exit(status, signal[0] if signal else None, failed=session.failure)

    def on_shell_start(self, session: AgentSession) -> None:
        live = session.conn.state.get("live")
        if live is not None:
            live.mode = "shell"
        self.recording(session.conn, session)

    def on_file_transferred(self, session: AgentSession, closed: Closed) -> None:
        """A file handle over SFTP was closed: what moved, in the audit log and the
        recording (the operation itself was decided and marked when it was opened)."""
        session.conn.audit("sftp.transfer", path=closed.path, mode=closed.mode,
                           bytes_read=closed.read, bytes_written=closed.written)
        rec = session.conn.state.get("recording")
        if rec is not None and closed.mode != "dir":
            rec.marker(f"sftp close {closed.path}", decision="done", bytes_read=closed.read,
                       bytes_written=closed.written)

    def on_session_end(self, conn: AgentConnection) -> None:
        self.approvals.forget_session(conn.session_id)
        self.oversight.session_ended(conn.session_id,
                                     conn.state.get("end_reason", "session closed"))
        if self.fleet is not None and "live" in conn.state:
            self.fleet.session_ended(conn.session_id,
                                     conn.state.get("end_reason", "session closed"))
        rec = conn.state.pop("recording", None)
        if rec is None:
            return
        reason = conn.state.get("end_reason", "session closed")
        # Closing waits for the recorder to catch up and signs: off the event loop, so that
        # other sessions' relays do not stall behind a large recording.
        task = asyncio.get_running_loop().create_task(self._seal(conn, rec, reason))
        self._sealing.add(task)
        task.add_done_callback(self._sealing.discard)

    async def _seal(self, conn: AgentConnection, rec: CastWriter, reason: str) -> None:
        try:
            seal = await asyncio.get_running_loop().run_in_executor(
                self._sealer, rec.close, self.recording_key, reason)
        except Exception as e:  # reported, and `recordings verify` will call it unsealed
            log.exception("session %s: sealing the recording failed", conn.session_id)
            conn.audit("recording.seal_failed", recording=conn.session_id, error=repr(e))
            seal = None
        if seal is not None:
            conn.audit("recording.sealed", recording=conn.session_id, sha256=seal.sha256,
                       size=seal.size, events=seal.events, reason=reason)
            if self.fleet is not None:  # `sealed`; `uploaded` once the spool says so
                self.fleet.index_recording(conn.session_id, {
                    "sha256": seal.sha256, "size": seal.size, "sealed": seal.sealed_at})
        if self.spool is not None:  # unsealed too: the bucket keeps what there is
            self.spool.submit(conn.session_id)

    def decide(self, conn: AgentConnection, command: str,
               classification: Classification | None = None, shell: bool = False,
               cwd: str = START) -> Decision:
        """``shell``: a line typed into a gated interactive shell (its own rules apply);
        ``cwd``: the directory it starts in, as the shell reported it (guard/flow.py)."""
        return self._judge(conn, command, classification, shell, None, cwd)[1]

    def _lane(self, command: str) -> ThreadPoolExecutor:
        """The guard's threads for ``command``: long lines have one of their own."""
        return self._guard_long if len(command) > LONG_LINE else self._guard

    def _judge(self, conn: AgentConnection, command: str,
               classification: Classification | None, shell: bool,
               earlier: Earlier | None = None, cwd: str = START
               ) -> tuple[Classification, Decision]:
        auth = conn.authorization
        policy = conn.policy
        c = classification or classify_for(policy, command, shell, earlier, cwd)
        return c, decide(policy, c, identity=auth.identity.name if auth else None,
                         target=auth.target.name if auth else None)

    async def shared_written(self, conn: AgentConnection) -> tuple[Written, ...]:
        """What this scope's lines wrote through any replica of the fleet (none without
        one); a database that cannot be read counts as a write everywhere (fail closed)."""
        if self.fleet is None or conn.authorization is None:
            return ()
        try:
            return await self.fleet.written(_scope(conn), _memory_bounds(self.config))
        except StateUnavailable:
            return (Written(ANYWHERE, f"({UNREACHABLE}: the shared write memory cannot be "
                                      f"read)"),)

    def earlier(self, conn: AgentConnection, session: AgentSession,
                shared: tuple[Written, ...] = ()) -> Earlier | None:
        """What earlier allowed lines of this scope (and of this shell) wrote; ``shared``:
        what they wrote through the fleet's other replicas."""
        auth = conn.authorization
        if auth is None:
            return None
        now = time.monotonic()
        written = self.write_memory.written(_scope(conn), now) + shared
        starts: tuple[str, ...] = (HOME,)
        if session.mode == "shell":
            own = session.shell_memory
            written += own.written(None, now) if own is not None else ()
            starts = shell_starts(session.shell_cwd)
        if not written:
            return None
        return Earlier(written, starts, (home_of(auth.login),), auth.login)

    async def remember(self, conn: AgentConnection, session: AgentSession, command: str,
                       c: Classification, reviewed: bool = False) -> str | None:
        """A line is about to run (allowed or approved): keep what it writes, and where a
        shell will be. ``reviewed``: a human approved it, so the code it edits in view
        (``code.write``) is not kept: later lines run the reviewed change unasked. Returns
        why it may not run: in a fleet, a write the other replicas could not see (the
        database is unreachable) would let them miss it."""
        shell = session.mode == "shell"
        writes = tuple(w for w in c.writes if w not in c.reviewed) if reviewed else c.writes
        if conn.authorization is None or not writes and not shell:
            return None
        now = time.monotonic()
        # a shell line's paths are resolved where the shell said it was, and spelled from
        # the login's start directory (before, a second line in a subdirectory placed its
        # writes below app/app/...: the memory missed them)
        starts = shell_starts(session.shell_cwd) if shell else (HOME,)
        login = conn.authorization.login
        placed = tuple(owned(p, login) for p in placed_writes(writes, starts))
        if self.fleet is not None and placed:
            try:
                await self.fleet.remember(_scope(conn), placed, command,
                                          _memory_bounds(self.config))
            except StateUnavailable:
                return (f"{UNREACHABLE}: what this line writes cannot be shared with the "
                        f"other replicas")
        self.write_memory.add(_scope(conn), placed, command, now)
        if shell:
            # the shell's own memory does not expire while it lives (same bounds)
            if session.shell_memory is None:
                session.shell_memory = WriteMemory(
                    **{**_memory_bounds(self.config), "ttl": float("inf")})
            session.shell_memory.add(None, placed, command, now)
        return None

    def foresee(self, conn: AgentConnection, session: AgentSession, line: str) -> None:
        """Classify a plain shell line as the agent typed it while the shell reads it (the
        event loop is idle until the gate request comes): the guard's cache, keyed on the
        exact line, rules, memory and directory, then has what the check of the line the
        shell reports will compute, if it is the same. What is decided is still the shell's
        line, classified afresh on any difference."""
        if session.mode != "shell" or not PLAIN_LINE.fullmatch(line):
            return
        classify_for(conn.policy, line, True, self.earlier(conn, session), session.shell_cwd)

    async def check_command(self, conn: AgentConnection, session: AgentSession,
                            command: str, classification: Classification | None = None
                            ) -> bool:
        if session.mode == "shell" and (name := _calls_refused_function(conn, command)):
            # bash defines a function even when its line is refused (a definition runs no
            # command the gate could stop): calling it later is refused too
            why = f"calls {name}(), which a refused line defined"
            conn.audit("command.decision", command=command, decision="deny",
                       findings=[{"rule": GATE_TAMPER, "why": why, "action": "deny"}],
                       mode=session.mode, classify_ms=0.0)
            self.mark(conn, session, command, "deny", rules=[GATE_TAMPER], reason=why)
            session.reject(f"denied: {GATE_TAMPER}: {why}")
            return False
        allowed = await self._check(conn, session, command, classification)
        if session.mode == "shell":
            _track_functions(conn, command, allowed)
        return allowed

    async def _check(self, conn: AgentConnection, session: AgentSession, command: str,
                     classification: Classification | None) -> bool:
        started = time.perf_counter()
        shell = session.mode == "shell"
        earlier = self.earlier(conn, session, await self.shared_written(conn)
                               ) if classification is None else None
        cwd = session.shell_cwd if shell else START
        if classification is not None:
            # classified already (an SFTP operation, a module): deciding is a table lookup,
            # not worth two thread hops per file
            classification, decision = self._judge(conn, command, classification, shell)
        elif PLAIN_LINE.fullmatch(command):
            # a plain command classifies in ~0.1-0.3 ms: the two thread hand-offs cost more
            # (far more on a loaded machine), and the guard's threads share the GIL anyway
            classification, decision = self._judge(conn, command, None, shell, earlier, cwd)
        else:
            classification, decision = await asyncio.get_running_loop().run_in_executor(
                self._lane(command), self._judge, conn, command, None, shell, earlier, cwd)
        # what the guard adds to this command's latency (benchmarks/guard.py reads it)
        classify_ms = round((time.perf_counter() - started) * 1000, 3)
        rules = [d.finding.rule for d in decision.deciding]
        findings = decision.to_json()["findings"]
        # kept before the line runs (and, in a fleet, shared before it runs, or it does not)
        unshared = (await self.remember(conn, session, command, classification)
                    if decision.action is Action.ALLOW else None)
        # a shell line is judged in the directory the shell reported (flow.UNKNOWN: none)
        where = {"cwd": cwd.replace(UNKNOWN, "?")} if shell and cwd != START else {}
        conn.audit("command.decision", command=command,
                   decision="deny" if unshared else decision.action.value,
                   findings=findings + [{"rule": FLEET_UNSHARED, "why": unshared,
                                         "action": "deny"}] if unshared else findings,
                   mode=session.mode, classify_ms=classify_ms, **where)
        self.recording(conn, session)
        self.oversight.sessions.command(conn.session_id, command, session.mode)
        if unshared:
            self.approvals.remember(conn.session_id, command, "deny")
            self.mark(conn, session, command, "deny", rules=[FLEET_UNSHARED], reason=unshared)
            session.reject(f"denied: {FLEET_UNSHARED}: {unshared}")
            return False
        if decision.action is Action.ALLOW:
            self.approvals.remember(conn.session_id, command, "allow")
            self.mark(conn, session, command, "allow")
            return True
        if decision.action is Action.DENY:
            self.approvals.remember(conn.session_id, command, "deny")
            self.mark(conn, session, command, "deny", rules=rules, reason=decision.reason)
            session.reject(f"denied: {decision.reason}")
            return False
        too_many = self.too_many_pending(conn)
        if too_many:
            conn.audit("approval.refused", command=command, reason=too_many)
            self.approvals.remember(conn.session_id, command, "denied")
            self.mark(conn, session, command, "denied", rules=rules, reason=too_many)
            session.reject(f"denied: {too_many}")
            return False
        held = time.perf_counter()
        self.oversight.sessions.hold(conn.session_id, True)
        try:
            done = await self.hold(conn, session, command, decision)
        finally:
            self.oversight.sessions.hold(conn.session_id, False)
        waited = round(time.perf_counter() - held, 3)
        allowed = done is not None and done.state is State.APPROVED
        reason = done.reason if done else "no reviewer is connected"
        if allowed and (unshared := await self.remember(conn, session, command,
                                                        classification, reviewed=True)):
            allowed, reason = False, f"{FLEET_UNSHARED}: {unshared}"
            conn.audit("command.unshared", command=command, reason=unshared)
            session.reject(f"denied: {reason}")
        self.approvals.remember(conn.session_id, command, "approved" if allowed else "denied")
        self.mark(conn, session, command, "approved" if allowed else "denied", rules=rules,
                  request=done.id if done else None, reviewer=done.reviewer if done else None,
                  reason=reason, waited=waited)
        return allowed

    async def check_ansible(self, conn: AgentConnection, session: AgentSession, command: str,
                            module: AnsibleModule) -> bool:
        """A pipelined Ansible module the installed ansible-core vouched for: decided by the
        commands and file operations it amounts to, shown to reviewers as the module."""
        policy = conn.policy
        # judged against what earlier lines wrote, like any line (`command: make chdir=sub`
        # after a tree was unpacked into sub is held as `cd sub && make` is)
        earlier = self.earlier(conn, session, await self.shared_written(conn))
        classification = await asyncio.get_running_loop().run_in_executor(
            self._guard, classify_module, module,
            lambda line: classify_for(policy, line, False, earlier))
        conn.audit("ansible.module", command=command, module=module.name,
                   label=module.label())
        return await self.check_command(conn, session, classification.line, classification)

    def too_many_pending(self, conn: AgentConnection) -> str | None:
        """Why this session may not file another request now: a flood of held commands
        would bury one bad request among benign ones for the reviewer."""
        pending = sum(1 for r in self.approvals.broker.pending() if r.session == conn.session_id)
        if pending < self.max_pending:
            return None
        return (f"{pending} commands of this session already wait for approval (limit "
                f"{self.max_pending}, max_pending_per_session); wait for their decisions")

    async def hold(self, conn: AgentConnection, session: AgentSession, command: str,
                   decision: Decision) -> Request | None:
        """Wait for a human. Anything but an approval bound to this session and command
        bytes is a refusal."""
        svc = self.approvals
        auth = conn.authorization
        assert auth is not None
        if svc.stopping:
            session.reject("denied: the gateway is stopping")
            return None
        fields = dict(
            session=conn.session_id, identity=auth.identity.name, target=auth.target.name,
            login=auth.login, client=f"{conn.client[0]}:{conn.client[1]}", command=command,
            findings=tuple(d for d in decision.to_json()["findings"]
                           if d["action"] == Action.APPROVE.value),
        )
        req = svc.open(**fields)
        if self.fleet is not None:
            try:  # reviewers on every replica see it, or it is refused
                await self.fleet.file(req)
            except StateUnavailable:
                svc.withdraw(req.id, f"{UNREACHABLE}: held commands are denied until it is back")
                session.reject(f"denied: {svc.broker.requests[req.id].reason}")
                return svc.broker.requests[req.id]
        first = decision.deciding[0].finding
        session.say(f"waiting for approval {req.id} ({first.rule}: {first.why})")
        try:  # with a fleet: attached to any replica whose heartbeat is fresh
            reviewers = await svc.reviewers_anywhere()
        except StateUnavailable:  # the database cannot say: nobody is known to be there
            svc.withdraw(req.id, f"{UNREACHABLE}: held commands are denied until it is back")
            session.reject(f"denied: {svc.broker.requests[req.id].reason}")
            return svc.broker.requests[req.id]
        if reviewers == 0:
            where = " to any gateway replica" if self.fleet is not None else ""
            if conn.policy.approval.no_reviewer == "deny":
                svc.withdraw(req.id, f"no reviewer is connected{where}")
                session.reject(f"denied: no reviewer is connected{where}")
                return svc.broker.requests[req.id]
            session.say(f"waiting; no reviewer is connected{where}")
        session.waiting_for_approval()  # the target's channel opens meanwhile; nothing runs
        done = await svc.wait(req)
        if done.state is State.APPROVED and svc.broker.consume(req.id, conn.session_id, command):
            return done
        if done.state is State.DENIED and done.reviewer:
            session.reject(f"denied by {done.reviewer}: {done.reason}")
        else:
            session.reject(f"denied: {done.reason}")
        return done if done.state is not State.APPROVED else None


GATE_TAMPER = "shell.gate-tamper"
#: a line that would write what the fleet's other replicas could not learn of
FLEET_UNSHARED = "fleet.unshared-write"
#: A line classified on the event loop: one simple command of up to 8 literal words, no
#: quoting, expansion, redirection or operator, at most 64 characters. Its parse costs
#: < 1 ms (a wrapper chain such as `time time ...` up to ~3 ms of CPU); a short line of
#: nested `$(` or `|` takes tens of ms and goes to the guard's threads, as all others do.
#: characters over which a line is classified in the long lines' lane (the guard's cache of
#: recent lines keeps none of them either: no ordinary command is that long)
LONG_LINE = CACHE_MAX_LINE
PLAIN_LINE = re.compile(r"(?=.{1,64}\Z) *[\w./:=,+@%-]+(?: +[\w./:=,+@%-]+){0,7} *")
UNREACHABLE = "the fleet database is unreachable"


def _calls_refused_function(conn: AgentConnection, command: str) -> str | None:
    refused: set[str] = conn.state.get("refused_functions", set())
    if not refused:
        return None
    return next((c.name for c in parse_line(command).commands if c.name in refused), None)


def _scope(conn: AgentConnection) -> tuple[str, str]:
    """Whose writes a line is judged against: exec sessions are separate connections, so the
    memory is per identity and target (not per connection); its logins share it, each
    login's home paths kept as ``~LOGIN/...`` (guard/memory.owned)."""
    auth = conn.authorization
    assert auth is not None
    return (auth.identity.name, auth.target.name)


def _memory_bounds(config: Config | None) -> dict[str, Any]:
    if config is None:
        return {}
    return {"ttl": config.write_memory_ttl, "max_entries": config.write_memory_entries,
            "max_bytes": config.write_memory_bytes, "max_scopes": config.write_memory_scopes}


def _track_functions(conn: AgentConnection, command: str, allowed: bool) -> None:
    """Remember the functions a refused line defined (an allowed line may redefine them)."""
    if "(" not in command and "function" not in command:
        return  # bash defines a function only with `name ()` or the `function` keyword:
        # spare the second parse, which runs before the shell gets its verdict
    defined = set(parse_line(command).functions)
    if not defined:
        return
    refused: set[str] = conn.state.setdefault("refused_functions", set())
    if allowed:
        refused -= defined
    else:
        refused |= defined


def _from_thread(loop: asyncio.AbstractEventLoop, callback: Callable[..., object],
                 *args: object) -> None:
    """Run ``callback(*args)`` on ``loop`` (a recorder thread's report)."""
    with contextlib.suppress(RuntimeError):  # the loop is gone: the gateway stopped
        loop.call_soon_threadsafe(callback, *args)


def reload_reply(problem: str | None, replicas: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer to `policy reload`: ok when every replica answered, loaded, and runs the
    same policy files."""
    digests = {r.get("policy_digest") for r in replicas}
    failed = [r for r in replicas if r.get("policy_error")]
    silent = [r for r in replicas if not r.get("answered")]
    problems = [problem] if problem else []
    if failed:
        problems.append(f"refused on {', '.join(r['id'] for r in failed)} (the previous "
                        "policy stays in force there)")
    if silent:
        problems.append(f"no answer yet from {', '.join(r['id'] for r in silent)} (it reloads "
                        "at its next heartbeat)")
    if len(digests) > 1:
        problems.append(f"the replicas run {len(digests)} different policies")
    return {"type": "reload", "ok": not problems and bool(replicas),
            "message": "; ".join(problems) or "every replica loaded the same policy",
            "replicas": replicas}


def default_hooks_factory(config: Config,
                          fleet: Any = None) -> Callable[[Gateway], GatewayHooks]:
    def make(gw: Gateway) -> GatewayHooks:
        return DeployedHooks(gw, config, fleet)

    return make
