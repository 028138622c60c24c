"""The agent-facing asyncssh server: authentication, routing, limits, session lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import stat
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import asyncssh

from ..audit import AuditLog
from ..certs import SessionCredential, mint, public_key_line
from ..guard.ansible import AnsibleModule
from ..guard.classify import Classification
from ..guard.transfer import usable_home
from ..policy.evaluate import Authorization, Refusal, authorize, identify
from ..policy.loader import normalize_public_key
from ..policy.model import Approver, Identity, Policy
from . import fastpath
from .admission import Admission, source_of
from .ansible_tmp import Key, TempDirs
from .review import ReviewSession
from .session import AgentSession
from .sftp import Closed
from .upstream import (
    MAX_HANDSHAKES_PER_TARGET,
    MAX_PKTSIZE,
    WINDOW,
    HeldSession,
    UpstreamError,
    connect_upstream,
    held_channel_refusal,
)

if TYPE_CHECKING:
    from ..approvals.control import ApprovalService

log = logging.getLogger("sshgate.server")

#: How long the gateway waits for the target to answer its own checks (Ansible's temp dir)
TARGET_CHECK_TIMEOUT = 10.0
#: How long a terminated session's channels get to deliver their last output, the reason and
#: their status before the connection is closed (a slow or stalled agent does not hold it).
TERMINATE_GRACE = 2.0


#: what the gateway says in its SSH version line
SERVER_VERSION = "sshgate"


def new_session_id() -> str:
    return secrets.token_hex(8)


class Gateway:
    """Owns the listening server, the current policy and every live agent connection."""

    def __init__(
        self,
        policy: Policy,
        ca_key: asyncssh.SSHKey,
        host_key: asyncssh.SSHKey,
        audit: AuditLog,
        *,
        max_connections_per_source: int = 50,
        max_connections: int = 2000,
        login_timeout: float = 10.0,
        upstream_timeout: float = 10.0,
        hooks: GatewayHooks | None = None,
        fast_relay: bool = False,
        early_channel: bool = False,
        max_channels_per_session: int = 10,
        max_startups: int = 100,
        per_source_max_startups: int = 10,
    ):
        self.policy = policy
        self.ca_key = ca_key
        self.host_key = host_key
        self.audit_log = audit
        self.max_per_source = max_connections_per_source
        self.max_connections = max_connections
        self.max_channels = max_channels_per_session
        self.max_startups = max_startups
        self.per_source_startups = per_source_max_startups
        self.login_timeout = login_timeout
        self.upstream_timeout = upstream_timeout
        self.hooks = hooks or GatewayHooks()
        self.fast_relay = fast_relay
        # opt-in and version-checked: HeldSession relies on asyncssh internals
        self.early_channel = early_channel and held_channel_refusal() is None
        if early_channel and not self.early_channel:
            log.warning("early_channel: not used (%s)", held_channel_refusal())
        self.connections: set[AgentConnection] = set()
        #: Ansible's temp dirs and module uploads seen through the gateway
        self.ansible_temps = TempDirs()
        self.handshake_gates: dict[tuple[str, int], asyncio.Semaphore] = {}
        self.per_source: Counter[str] = Counter()
        self.accepting = True
        self._server: Admission | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.port

    async def start(self, host: str, port: int) -> None:
        # process-wide: asyncssh's own packet code unless the operator opted in; a refused
        # install logs why and leaves asyncssh's code in place
        if self.fast_relay and fastpath.install():
            log.info("fast_relay: packet fast path on (asyncssh %s)", asyncssh.__version__)
        options = await asyncssh.SSHServerConnectionOptions.construct(
            server_factory=lambda: AgentConnection(self),
            server_host_keys=[self.host_key],
            encoding=None,
            login_timeout=self.login_timeout,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            allow_pty=True,
            # The target's shell does the line editing; asyncssh's editor would echo and
            # buffer in the gateway (and costs a copy per packet).
            line_editor=False,
            keepalive_interval=60,
            window=WINDOW,
            max_pktsize=MAX_PKTSIZE,
            server_version=SERVER_VERSION,
        )
        # asyncssh's documented entry for sockets accepted outside it: each connection's
        # SSH protocol starts when admission gives it its turn (gateway/admission.py). A
        # connection waits at most half of login_timeout: a client whose own timeout for
        # the server's first line is login_timeout (OpenSSH's ConnectTimeout) then gets the
        # reason, not a timeout of its own.
        self._server = Admission(
            lambda sock: asyncssh.run_server(sock, options=options),
            max_startups=self.max_startups, max_waiting=self.max_connections,
            wait=self.login_timeout / 2, version=SERVER_VERSION.encode(),
            refused=self._startup_refused, per_source=self.per_source_startups,
            max_per_source=self.max_per_source, established=self.per_source.__getitem__)
        await self._server.listen(host, port, backlog=1024)

    def _startup_refused(self, peer: tuple[str, int], reason: str) -> None:
        self.audit_log.write("connection.refused", client=f"{peer[0]}:{peer[1]}",
                             reason=reason.removeprefix("sshgate: "))

    def reload(self, policy: Policy, by: str = "SIGHUP") -> None:
        """``policy`` applies to every new session and to the next command of every running
        one (a multiplexed master included); a session it no longer allows is ended."""
        self.policy = policy
        self.hooks.on_policy(policy)
        self.audit_log.write("policy.reloaded", sources=list(policy.sources),
                             digest=policy.digest, by=by)
        for conn in list(self.connections):
            conn.policy_changed(policy)

    async def stop(self, grace: float) -> None:
        """Stop accepting, let running sessions end within ``grace`` seconds, then close them."""
        self.accepting = False
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.hooks.on_stopping()
        deadline = time.monotonic() + grace
        # agents' sessions may finish; a reviewer's console has nothing to finish
        while any(not c.console for c in self.connections) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for c in list(self.connections):
            c.terminate("the gateway is shutting down")
        deadline = time.monotonic() + TERMINATE_GRACE + 1
        while self.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


class GatewayHooks:
    """Observers and gates the core calls at named points (guard, approvals, recording)."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...

    async def check_command(self, conn: AgentConnection, session: AgentSession,
                            command: str, classification: Classification | None = None
                            ) -> bool:
        """Return True to let ``command`` run; on False the hook has refused it already."""
        return True

    async def check_ansible(self, conn: AgentConnection, session: AgentSession, command: str,
                            module: AnsibleModule) -> bool:
        """Return True to let a verified Ansible module run (``command`` starts it)."""
        return True

    def foresee(self, conn: AgentConnection, session: AgentSession, line: str) -> None:
        """A shell line as the agent typed it, before the shell reports what it read: work
        its check will need may be done now. Never a decision."""

    def session_refusal(self, conn: AgentConnection) -> str | None:
        """Why an authorised session may not start (a locked identity), or None."""
        return None

    def review_service(self) -> ApprovalService | None:
        """The service the review console answers from (None: no console)."""
        return None

    def on_session_start(self, conn: AgentConnection) -> None: ...
    def on_session_end(self, conn: AgentConnection) -> None: ...
    def on_channel_relaying(self, session: AgentSession) -> None: ...
    def on_shell_start(self, session: AgentSession) -> None: ...
    def on_shell_outcome(self, session: AgentSession, line: str, decision: str, outcome: str,
                         meta: dict[str, Any]) -> None: ...
    def on_channel_finished(self, session: AgentSession, status: int | None,
                            signal: tuple | None) -> None: ...
    def on_output(self, session: AgentSession, data: bytes, datatype: int | None) -> None: ...
    def on_input(self, session: AgentSession, data: bytes) -> None: ...
    def on_resize(self, session: AgentSession, width: int, height: int) -> None: ...
    def on_file_transferred(self, session: AgentSession, closed: Closed) -> None: ...
    def on_stopping(self) -> None: ...
    def on_policy(self, policy: Policy) -> None: ...

    def on_policy_refused(self, errors: list[str]) -> None:
        """A reload found a broken policy: the one in force stays."""

    #: re-reads the policy files into the gateway (set by the runtime): by -> outcome
    reloader: Callable[[str], dict[str, Any]] | None = None


class AgentConnection(asyncssh.SSHServer):
    """One agent's SSH connection, which is one sshgate session (one certificate)."""

    def __init__(self, gateway: Gateway):
        self.gateway = gateway
        self.policy = gateway.policy
        self.conn: asyncssh.SSHServerConnection | None = None
        self.client: tuple[str, int] = ("?", 0)
        #: what the per-source limits count this connection against (admission.source_of)
        self.source = "?"
        self.username = ""
        self.identity: Identity | None = None
        self.authorization: Authorization | None = None
        self.refusal: str | None = None
        #: what a refused agent sees after ``sshgate: `` (default ``denied: <refusal>``)
        self.refusal_message: str | None = None
        #: an approver's key authenticated this connection (the review console)
        self.reviewer: Approver | None = None
        self.key_fingerprint = ""
        self.console = False
        self.session_id = new_session_id()
        self.credential: SessionCredential | None = None
        self.sessions: set[AgentSession] = set()
        self.started = time.time()
        self._upstream_task: asyncio.Task[asyncssh.SSHClientConnection] | None = None
        self._deadline: asyncio.TimerHandle | None = None
        self._counted = False
        self._auth_refusals = 0
        self._upstream_failure_audited = False
        self.state: dict[str, Any] = {}
        self.key_line = ""
        #: channels accepted and not yet closed (counted from the open request on)
        self.channels = 0
        #: why the session is ending (deadline, kill, shutdown): no channel opens after it
        self.ending: str | None = None
        #: the gateway's own SFTP client on the target (what Ansible's lines act on)
        self._target_sftp: asyncio.Task[asyncssh.SFTPClient] | None = None

    # -- audit -----------------------------------------------------------------------------
    def audit(self, event: str, **fields: Any) -> dict[str, Any]:
        base = {
            "session": self.session_id,
            "identity": self.identity.name if self.identity else None,
            "client": f"{self.client[0]}:{self.client[1]}",
            "user": self.username,
        }
        if self.authorization is not None:
            base["target"] = self.authorization.target.name
            base["login"] = self.authorization.login
        if self.credential is not None:
            base["cert_key_id"] = self.credential.key_id
            base["cert_serial"] = self.credential.serial
        return self.gateway.audit_log.write(event, **base, **fields)

    # -- asyncssh server callbacks ---------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.client = (str(peer[0]), int(peer[1]))
        gw = self.gateway
        if not gw.accepting or len(gw.connections) >= gw.max_connections:
            self.audit("connection.refused", reason="gateway busy or stopping")
            conn.close()
            return
        self.source = source_of(self.client[0])
        if gw.per_source[self.source] >= gw.max_per_source:
            self.audit("connection.refused", reason="too many connections from this source")
            conn.close()
            return
        gw.per_source[self.source] += 1
        self._counted = True
        gw.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        gw = self.gateway
        if self._counted:
            gw.per_source[self.source] -= 1
            if gw.per_source[self.source] <= 0:
                del gw.per_source[self.source]
            self._counted = False
        gw.connections.discard(self)
        if self._deadline is not None:
            self._deadline.cancel()
        if self._target_sftp is not None:
            if self._target_sftp.done() and not self._target_sftp.cancelled() and \
                    self._target_sftp.exception() is None:
                self._target_sftp.result().exit()
            else:
                self._target_sftp.cancel()
        if self._upstream_task is not None:
            if self._upstream_task.done() and not self._upstream_task.cancelled():
                if self._upstream_task.exception() is None:
                    self._upstream_task.result().close()
            else:
                self._upstream_task.cancel()
        if self.console:
            self.audit("reviewer.disconnected", reviewer=self.username,
                       duration=round(time.time() - self.started, 3))
        if self.authorization is not None:
            gw.hooks.on_session_end(self)
            self.audit("session.end", duration=round(time.time() - self.started, 3),
                       reason=str(exc) if exc else "closed")

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        try:
            self.key_line = public_key_line(key)
            identity = identify(self.policy, self.key_line)
        except Exception:  # fail closed on anything odd about the key
            log.exception("identify failed")
            identity = None
        if identity is None:
            approver = self._approver_for(key)
            if approver is not None:
                self.reviewer = approver
                self.key_fingerprint = key.get_fingerprint()
                return True
            self._auth_refusals += 1
            if self._auth_refusals == 1:
                self.audit("auth.refused", reason="public key not listed for any identity",
                           key_fingerprint=key.get_fingerprint())
            return False
        self.identity = identity
        self.key_fingerprint = key.get_fingerprint()
        return True

    def _approver_for(self, key: asyncssh.SSHKey) -> Approver | None:
        try:
            return self.policy.approver_by_key(normalize_public_key(public_key_line(key)))
        except Exception:  # fail closed on anything odd about the key
            log.exception("approver lookup failed")
            return None

    def _console_names(self) -> set[str]:
        return {a.user for a in self.policy.approvers if a.keys}

    def validate_ca_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # Agents authenticate with their own keys; certificates they bring are not trusted.
        self.audit("auth.refused", reason="agent presented a certificate")
        return False

    def auth_completed(self) -> None:
        if self.reviewer is not None:
            # an approver's key opens the review console under the approver's own name only
            if self.username == self.reviewer.user:
                self.console = True
                self.audit("reviewer.connected", reviewer=self.reviewer.user,
                           key_fingerprint=self.key_fingerprint)
            else:
                self.refusal = "approver key used as an agent"
                self.refusal_message = (f"denied: this key belongs to approver "
                                        f"'{self.reviewer.user}' and opens the review console "
                                        f"only (ssh {self.reviewer.user}@gateway)")
                self.audit("session.refused", reason=self.refusal, approver=self.reviewer.user,
                           key_fingerprint=self.key_fingerprint)
            return
        assert self.identity is not None
        if self.username in self._console_names():
            self.refusal = "identity key at the review console"
            self.refusal_message = "denied: the review console takes approver keys only"
            self.audit("session.refused", reason=self.refusal,
                       key_fingerprint=self.key_fingerprint)
            return
        try:
            result = authorize(self.policy, self.identity, self.username)
        except Exception as e:  # fail closed
            log.exception("authorize failed")
            result = Refusal(f"policy error ({type(e).__name__})")
        if isinstance(result, Refusal):
            self.refusal = result.reason
            self.audit("session.refused", reason=result.reason)
            return
        try:
            locked = self.gateway.hooks.session_refusal(self)
        except Exception as e:  # fail closed: a lock that cannot be checked refuses
            log.exception("session_refusal failed")
            locked = f"denied: the gateway could not check identity locks ({type(e).__name__})"
        if locked is not None:
            self.refusal = locked
            self.refusal_message = locked
            self.audit("session.refused", reason=locked)
            return
        self.authorization = result
        grant = result.grant
        self.credential = mint(
            self.gateway.ca_key,
            self.identity.name,
            result.login,
            self.session_id,
            grant.max_session,
            # a PTY for one gated command (`ssh -tt host CMD`, Ansible's default) is still
            # one command; whether a shell may be opened is the gateway's decision per channel
            permit_pty=True,
        )
        self.audit(
            "session.start",
            cert_valid_after=self.credential.valid_after,
            cert_valid_before=self.credential.valid_before,
            max_session=grant.max_session,
        )
        self.gateway.hooks.on_session_start(self)
        # Start the upstream handshake now, overlapping the agent's own channel setup.
        target = result.target
        gate = self.gateway.handshake_gates.setdefault(
            (target.host, target.port), asyncio.Semaphore(MAX_HANDSHAKES_PER_TARGET))
        self._upstream_task = asyncio.get_running_loop().create_task(
            connect_upstream(target, self.credential, timeout=self.gateway.upstream_timeout,
                             gate=gate)
        )
        self._upstream_task.add_done_callback(_retrieve_exception)
        self._deadline = asyncio.get_running_loop().call_later(
            grant.max_session, self.deadline_reached
        )

    def session_requested(self) -> AgentSession | ReviewSession:
        if self.ending is not None:
            # a channel opened during the closing grace would otherwise still run
            self.audit("channel.refused", kind="session", reason=f"session ending: "
                                                                 f"{self.ending}")
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                            f"sshgate: {self.ending}")
        if self.console:
            return ReviewSession(self)
        if self.channels >= self.gateway.max_channels:
            self.audit("channel.refused", kind="session", reason="too many channels",
                       limit=self.gateway.max_channels)
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                f"sshgate: too many channels on this connection (limit "
                f"{self.gateway.max_channels}, max_channels_per_session)")
        self.channels += 1
        return AgentSession(self)

    def policy_changed(self, policy: Policy) -> None:
        """A reload: the next command is decided under ``policy``, with the grant it gives
        now; a session it no longer allows (identity, key, grant, target) is ended."""
        self.policy = policy
        old = self.authorization
        if old is None or self.identity is None:
            return
        try:
            identity = identify(policy, self.key_line)
            result = authorize(policy, identity, self.username) if identity is not None and \
                identity.name == old.identity.name else Refusal("its key or identity is gone")
        except Exception as e:  # fail closed
            log.exception("re-authorizing a session after a reload failed")
            result = Refusal(f"policy error ({type(e).__name__})")
        if isinstance(result, Refusal) or result.target != old.target or \
                result.login != old.login:
            why = result.reason if isinstance(result, Refusal) else "its target changed"
            self.audit("session.revoked", reason=f"policy reload: {why}")
            self.terminate(f"denied: the reloaded policy no longer allows this session ({why})")
            return
        self.authorization = result
        if result.grant.max_session != old.grant.max_session and self._deadline is not None:
            self._deadline.cancel()
            left = self.started + result.grant.max_session - time.time()
            self._deadline = asyncio.get_running_loop().call_later(max(0.0, left),
                                                                   self.deadline_reached)

    # -- everything that is not a command: refused, with a reason and an audit line --------
    def _no_forwarding(self, kind: str, **where: Any) -> asyncssh.ChannelOpenError:
        self.audit("forwarding.refused", kind=kind, **where)
        return asyncssh.ChannelOpenError(
            asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
            f"sshgate: {kind} forwarding is not allowed through the gateway; only commands "
            "(and SFTP where the grant allows it) reach the target")

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str,
                             orig_port: int) -> bool:
        raise self._no_forwarding("port", dest=f"{dest_host}:{dest_port}")

    def unix_connection_requested(self, dest_path: str) -> bool:
        raise self._no_forwarding("unix socket", dest=dest_path)

    def tun_requested(self, unit: int | None) -> bool:
        raise self._no_forwarding("tun", unit=unit)

    def tap_requested(self, unit: int | None) -> bool:
        raise self._no_forwarding("tap", unit=unit)

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        # a global request has no reason field: the audit line is what says why
        self._no_forwarding("remote port", listen=f"{listen_host}:{listen_port}")
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        self._no_forwarding("remote unix socket", listen=listen_path)
        return False

    # -- used by sessions ------------------------------------------------------------------
    async def upstream(self) -> asyncssh.SSHClientConnection:
        """The target connection for this session (opened once, shared by its channels)."""
        if self._upstream_task is None:
            raise UpstreamError("no upstream for a refused session")
        try:
            return await asyncio.shield(self._upstream_task)
        except UpstreamError as e:
            if not self._upstream_failure_audited:  # once per session, not per channel
                self._upstream_failure_audited = True
                self.audit("upstream.failed", reason=str(e))
            raise

    def hold_channel(self) -> HeldSession | None:
        """A session channel on the target, opened now for a command that waits for
        approval (gateway/upstream.HeldSession); None for a session with no upstream, or
        unless the operator opted in (``early_channel``)."""
        if self._upstream_task is None or not self.gateway.early_channel:
            return None
        return HeldSession(self._upstream_task)

    def ansible_key(self) -> Key:
        """Whose Ansible temp dirs a channel of this session may use (gateway/ansible_tmp)."""
        auth = self.authorization
        assert auth is not None
        return (auth.identity.name, auth.target.name, auth.login)

    async def _sftp_client(self) -> asyncssh.SFTPClient:
        if self._target_sftp is None:
            async def start() -> asyncssh.SFTPClient:
                return await (await self.upstream()).start_sftp_client()
            self._target_sftp = asyncio.get_running_loop().create_task(start())
            self._target_sftp.add_done_callback(_retrieve_exception)
        return await asyncio.shield(self._target_sftp)

    async def target_home(self) -> str | None:
        """The login's home on the target, as its SFTP server says (None if it cannot), or
        None where it is a system path other than /root (guard/transfer.usable_home)."""
        home = self.gateway.ansible_temps.home(self.ansible_key())
        if home is None:
            try:
                said = await asyncio.wait_for((await self._sftp_client()).realpath("."),
                                              TARGET_CHECK_TIMEOUT)
            except (TimeoutError, OSError, asyncssh.Error, UpstreamError):
                return None
            home = usable_home(said if isinstance(said, str) else said.decode())
            if home is None:
                return None
            self.gateway.ansible_temps.learn_home(self.ansible_key(), home)
        return home

    async def real_files(self, directory: str, files: list[str]) -> str | None:
        """Why ``directory`` and ``files`` on the target are not a real directory with
        regular files in it, reached without links (so that ``chmod`` and ``rm -r`` act on
        them and nowhere else), or None when they are."""
        try:
            sftp = await self._sftp_client()

            async def check() -> str | None:
                if await sftp.realpath(directory) != directory:
                    return f"{directory} is reached through a link"
                if not stat.S_ISDIR((await sftp.lstat(directory)).permissions or 0):
                    return f"{directory} is not a directory"
                for f in files:
                    if not stat.S_ISREG((await sftp.lstat(f)).permissions or 0):
                        return f"{f} is not a regular file"
                return None

            return await asyncio.wait_for(check(), TARGET_CHECK_TIMEOUT)
        except (TimeoutError, OSError, asyncssh.Error, UpstreamError) as e:
            return f"the gateway could not check it on the target ({type(e).__name__})"

    async def check_command(self, session: AgentSession, command: str,
                            classification: Classification | None = None) -> bool:
        """Decide ``command`` (or a file operation, already classified); True: it may run."""
        return await self._fail_closed(
            session, command, "command",
            self.gateway.hooks.check_command(self, session, command, classification))

    def foresee(self, session: AgentSession, line: str) -> None:
        """A shell line as typed, before the shell reports it (a hint, never a decision)."""
        self.gateway.hooks.foresee(self, session, line)

    async def check_ansible(self, session: AgentSession, command: str,
                            module: AnsibleModule) -> bool:
        """Decide a verified Ansible module run by what it amounts to (guard/ansible.py)."""
        return await self._fail_closed(
            session, command, "module",
            self.gateway.hooks.check_ansible(self, session, command, module))

    async def _fail_closed(self, session: AgentSession, command: str, what: str,
                           decision: Awaitable[bool]) -> bool:
        """``decision``'s answer; any error in it is a refusal, logged and audited."""
        try:
            return await decision
        except asyncio.CancelledError:
            raise
        except Exception as e:  # fail closed
            log.exception("checking a %s failed", what)
            self.audit("command.error", command=command, error=repr(e))
            session.reject(f"denied: the gateway could not check this {what} "
                           f"({type(e).__name__})")
            return False

    def shell_started(self, session: AgentSession) -> None:
        self.gateway.hooks.on_shell_start(session)

    def shell_outcome(self, session: AgentSession, line: str, decision: str, outcome: str,
                      meta: dict[str, Any]) -> None:
        """What the shell reported for a gated command (ran, skipped) or that it is ungated."""
        self.gateway.hooks.on_shell_outcome(session, line, decision, outcome, meta)

    def session_relaying(self, session: AgentSession) -> None:
        self.gateway.hooks.on_channel_relaying(session)

    def session_finished(self, session: AgentSession, status: int | None,
                         signal: tuple | None) -> None:
        self.gateway.hooks.on_channel_finished(session, status, signal)

    def observe_output(self, session: AgentSession, data: bytes, datatype: int | None) -> None:
        self.gateway.hooks.on_output(session, data, datatype)

    def observe_input(self, session: AgentSession, data: bytes) -> None:
        self.gateway.hooks.on_input(session, data)

    def observe_resize(self, session: AgentSession, width: int, height: int) -> None:
        self.gateway.hooks.on_resize(session, width, height)

    def file_transferred(self, session: AgentSession, closed: Closed) -> None:
        self.gateway.hooks.on_file_transferred(session, closed)

    def deadline_reached(self) -> None:
        assert self.authorization is not None
        self.audit("session.deadline", max_session=self.authorization.grant.max_session)
        self.terminate(f"session deadline reached (max_session "
                       f"{self.authorization.grant.max_session:g}s)")

    def terminate(self, reason: str) -> None:
        """End every channel with ``reason`` on the agent's stderr, then the connection."""
        self.state.setdefault("end_reason", reason)
        if self.ending is None:
            self.ending = reason
        sessions = list(self.sessions)
        for s in sessions:
            with contextlib.suppress(Exception):  # the channel may already be closing
                s.refuse(reason)
        if self.conn is not None:
            asyncio.get_running_loop().create_task(self._close_after(sessions))

    async def _close_after(self, sessions: list[AgentSession]) -> None:
        # Output already relayed (and recorded) may still wait for the agent's window; the
        # reason and status queue behind it. Closing at once would lose them.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(s.exited.wait() for s in sessions)),
                                   TERMINATE_GRACE)
        await asyncio.sleep(0.2)  # the agent usually closes first once its channels end
        if self.conn is not None:
            self.conn.close()


def _retrieve_exception(task: asyncio.Task) -> None:
    if not task.cancelled():
        task.exception()


HookFactory = Callable[[Gateway], GatewayHooks]
