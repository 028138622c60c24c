"""The approval service: waits on the broker for the gateway, and the Unix control socket
(JSON lines) through which reviewers answer. The reviewer is the socket peer's OS user."""

from __future__ import annotations

import asyncio
import contextlib
import grp
import json
import logging
import os
import pwd
import socket
import stat
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from ..policy.loader import NAME_RE, parse_duration
from ..policy.model import ApprovalSettings, Approver
from ..recording.terminal_filter import TerminalFilter
from .broker import Broker, Request, State, Verdict
from .live import WATCH_PACE, Oversight

log = logging.getLogger("sshgate.approvals")
MAX_LINE = 64 * 1024


def peer_user(sock: socket.socket) -> tuple[int, str]:
    """The OS user on the other end of a Unix socket (SO_PEERCRED), never a claimed name."""
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    try:
        return uid, pwd.getpwuid(uid).pw_name
    except KeyError:
        return uid, f"uid:{uid}"


class ApprovalService:
    """Holds commands for a human. One per gateway; the broker is its pure core."""

    def __init__(self, approvers: tuple[Approver, ...], settings: ApprovalSettings,
                 audit: Callable[..., Any] | None = None, clock: Callable[[], float] = time.time):
        self.broker = Broker(approvers)
        self.settings = settings
        self.clock = clock
        self.audit = audit or (lambda *a, **k: None)
        self.waiters: dict[str, asyncio.Future[Request]] = {}
        self.subscribers: set[ControlClient] = set()
        self.history: dict[str, deque[dict[str, Any]]] = {}
        self.stopping = False
        self._timer: asyncio.Task | None = None
        #: running sessions, kills, locks and watchers (None: approvals only)
        self.oversight: Oversight | None = None
        #: the state shared with other replicas (sshgate.state.postgres.PostgresState), or
        #: None: the embedded default, this process is the whole truth
        self.fleet: Any = None
        #: `sshgate policy reload`: asked by (OS user) -> what every replica did (the hooks)
        self.reloader: Callable[[str], Awaitable[dict[str, Any]]] | None = None

    def update_policy(self, approvers: tuple[Approver, ...], settings: ApprovalSettings) -> None:
        self.broker.approvers = approvers
        self.settings = settings

    @property
    def reviewers_connected(self) -> int:
        return sum(1 for c in self.subscribers if c.approver)

    def subscribe(self, client: Any) -> None:
        """A reviewer's prompt attached (control socket or review console): it gets every
        request as it is held, and counts as a reviewer present (on every replica)."""
        self.subscribers.add(client)
        self._presence()

    def unsubscribe(self, client: Any) -> None:
        self.subscribers.discard(client)
        self._presence()

    def _presence(self) -> None:
        if self.fleet is not None:
            self.fleet.set_reviewers([c.user for c in self.subscribers if c.approver])

    async def reviewers_anywhere(self) -> int:
        """Reviewers attached to this replica, else to any replica whose heartbeat is fresh
        (raises StateUnavailable when the database cannot say: the caller refuses)."""
        here = self.reviewers_connected
        if here or self.fleet is None:
            return here
        return sum(len(names) for names in (await self.fleet.reviewers_elsewhere()).values())

    def remember(self, session: str, command: str, decision: str) -> None:
        """Recent commands of a session, shown to reviewers as context."""
        self.history.setdefault(session, deque(maxlen=5)).append(
            {"command": command, "decision": decision, "at": self.clock()})

    def forget_session(self, session: str) -> None:
        self.history.pop(session, None)

    def open(self, **kw: Any) -> Request:
        """File a request (see :meth:`Broker.request`); the caller then awaits :meth:`wait`."""
        ctx = tuple(self.history.get(kw["session"], ()))
        req = self.broker.request(now=self.clock(), timeout=self.settings.timeout,
                                  context=ctx, **kw)
        self.waiters[req.id] = asyncio.get_running_loop().create_future()
        self.audit("approval.requested", request=req.id, session=req.session,
                   identity=req.identity, target=req.target, login=req.login,
                   client=req.client, command=req.command, findings=list(req.findings),
                   expires=req.expires)
        self._publish()
        self._ensure_timer()
        return req

    async def decide_shared(self, id_or_prefix: str, reviewer: str, approve: bool,
                            reason: str | None) -> Verdict:
        """:meth:`decide` through the shared store: the first valid answer on any replica
        wins; the replica whose agent waits is told at once (LISTEN/NOTIFY)."""
        if self.fleet is None:
            return self.decide(id_or_prefix, reviewer, approve, reason)
        from ..state import StateUnavailable

        try:
            verdict = await self.fleet.decide(id_or_prefix, reviewer, approve, reason,
                                              self.clock(), self.broker.may_decide)
        except StateUnavailable as e:
            verdict = Verdict(False, f"the fleet database is unreachable, so no decision can "
                                     f"be recorded now ({e}); try again when it is back")
        if verdict is None:
            verdict = Verdict(False, f"no such request {id_or_prefix!r}")
        req = verdict.request
        if not verdict.ok:
            self.audit("approval.refused-decider", request=id_or_prefix, reviewer=reviewer,
                       reason=verdict.message)
        elif req is not None and req.id in self.broker.requests:
            self.apply(req)
        elif req is not None:  # the waiting replica records the decision it acts on
            self.audit("approval.decided-remote", request=req.id, decision=req.state.value,
                       reviewer=reviewer, reason=req.reason, command=req.command,
                       identity=req.identity)
        self._publish()
        return verdict

    def apply(self, decided: Request) -> None:
        """A decision taken through another replica for one of this replica's requests."""
        done = self.broker.apply(decided)
        if done is not None:
            # the row says so already (the decider's conditional UPDATE): no write back
            self._settle(done, shared=False)
            self._publish()

    def announce(self, req: Request) -> None:
        """A request held or decided on another replica, for this replica's open prompts."""
        if req.id not in self.broker.requests:
            kind = "request" if req.state is State.PENDING else "decided"
            msg = {"type": kind, "request": req.to_json(self.clock())}
            for c in list(self.subscribers):
                c.send(msg)

    async def pending_all(self) -> list[Request]:
        """Pending requests of every replica (this one's only, when the database is away)."""
        mine = self.broker.pending()
        if self.fleet is None:
            return mine
        from ..state import StateUnavailable

        try:
            shared = await self.fleet.pending()
        except StateUnavailable:
            return mine
        known = {r.id for r in mine}
        return sorted(mine + [r for r in shared if r.id not in known], key=lambda r: r.created)

    def deny_pending(self, reason: str) -> None:
        """Deny what waits now (the fleet database is away), without stopping."""
        for req in self.broker.pending():
            done = self.broker._finish(req, State.DENIED, None, reason, self.clock())
            self._settle(done)
        self._publish()

    async def wait(self, req: Request) -> Request:
        """The final state of ``req``: approved, denied, timed out or withdrawn."""
        fut = self.waiters[req.id]
        try:
            return await fut
        except asyncio.CancelledError:
            self.withdraw(req.id, "the agent disconnected")
            raise
        finally:
            self.waiters.pop(req.id, None)

    def withdraw(self, request_id: str, reason: str) -> None:
        done = self.broker.withdraw(request_id, reason, self.clock())
        if done is not None:
            self._settle(done)
        self._publish()

    def decide(self, id_or_prefix: str, reviewer: str, approve: bool, reason: str | None):
        verdict = self.broker.decide(id_or_prefix, reviewer, approve, reason, self.clock())
        req = verdict.request
        if req is not None and (verdict.ok or req.state is State.TIMED_OUT):
            self._settle(req)
        if not verdict.ok:
            self.audit("approval.refused-decider", request=id_or_prefix, reviewer=reviewer,
                       reason=verdict.message)
        self._publish()
        return verdict

    def deny_all(self, reason: str) -> None:
        self.stopping = True
        for req in self.broker.deny_all(reason, self.clock()):
            self._settle(req)
        self._publish()

    def _settle(self, req: Request, shared: bool = True) -> None:
        self.audit("approval.decided", request=req.id, command=req.command,
                   findings=list(req.findings), decision=req.state.value,
                   reviewer=req.reviewer, reason=req.reason,
                   wait=round((req.decided or self.clock()) - req.created, 3))
        if self.fleet is not None and shared:  # timed out or withdrawn here: no longer
            # pending anywhere
            self.fleet.spawn(self.fleet.settle(req))
        fut = self.waiters.get(req.id)
        if fut is not None and not fut.done():
            fut.set_result(req)

    def _publish(self) -> None:
        events, self.broker.events[:] = list(self.broker.events), []
        now = self.clock()
        for kind, req in events:
            msg = {"type": kind, "request": req.to_json(now)}
            for c in list(self.subscribers):
                c.send(msg)

    def _ensure_timer(self) -> None:
        if self._timer is None or self._timer.done():
            self._timer = asyncio.get_running_loop().create_task(self._expire_loop())

    async def _expire_loop(self) -> None:
        while self.broker.pending():
            nxt = min(r.expires for r in self.broker.pending())
            await asyncio.sleep(max(0.0, min(nxt - self.clock(), 1.0)) + 0.001)
            for req in self.broker.expire(self.clock()):
                self._settle(req)
            self._publish()

    async def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer


class ControlClient:
    """One connection on the control socket."""

    def __init__(self, service: ApprovalService, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter):
        self.service = service
        self.reader = reader
        self.writer = writer
        sock = writer.get_extra_info("socket")
        self.uid, self.user = peer_user(sock)
        # the socket admits approvers listed as OS users; named ones use the review console
        self.approver = service.broker.approvers and any(
            a.user == self.user and a.local for a in service.broker.approvers)
        #: the gateway's own OS user or root: those who could send it SIGHUP may also ask
        #: for `policy reload` (and nothing else, unless they are approvers too)
        self.operator = self.uid in (0, os.geteuid())

    def send(self, msg: dict[str, Any]) -> None:
        if not self.writer.is_closing():
            self.writer.write(json.dumps(msg, default=str).encode() + b"\n")

    async def run(self) -> None:
        svc = self.service
        if not self.approver and not self.operator:
            svc.audit("approval.control-refused", user=self.user, uid=self.uid)
            self.send({"type": "error", "error": f"{self.user} is not an approver in the "
                                                 "policy; the control socket refuses"})
            return
        self.send({"type": "hello", "user": self.user, "approver": bool(self.approver)})
        while True:
            try:
                line = await self.reader.readline()
            except (ValueError, ConnectionError):
                return
            if not line:
                return
            try:
                msg = json.loads(line)
                op = msg.get("op")
            except (ValueError, AttributeError):
                self.send({"type": "error", "error": "malformed request"})
                continue
            if op == "reload":
                await self._reload()
            elif not self.approver:
                svc.audit("approval.control-refused", user=self.user, uid=self.uid, op=op)
                self.send({"type": "error", "error": f"{self.user} is not an approver in the "
                                                     "policy; only 'policy reload' is open to "
                                                     "the gateway's own user"})
            elif op == "subscribe":
                svc.subscribe(self)
                self.send({"type": "pending", "requests": [
                    r.to_json(svc.clock()) for r in await svc.pending_all()]})
            elif op == "watch":
                # a watcher ends with the session, or when its client goes away
                gone = asyncio.ensure_future(self.reader.read())
                stream = asyncio.ensure_future(answer(svc, self.user, msg, self.send,
                                                      self.writer.drain))
                await asyncio.wait({gone, stream}, return_when=asyncio.FIRST_COMPLETED)
                for t in (gone, stream):
                    t.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await t
                return
            else:
                await answer(svc, self.user, msg, self.send)
            await self.writer.drain()

    async def _reload(self) -> None:
        svc = self.service
        if not self.operator:
            svc.audit("policy.reload-refused-user", user=self.user, uid=self.uid)
            self.send({"type": "error", "error": f"{self.user} may not reload the policy: only "
                                                 "the gateway's own OS user or root (as for "
                                                 "SIGHUP)"})
        elif svc.reloader is None:
            self.send({"type": "error", "error": "this gateway cannot reload its policy"})
        else:
            self.send(await svc.reloader(self.user))


async def answer(svc: ApprovalService, reviewer: str, msg: dict[str, Any],
                 send: Callable[[dict[str, Any]], None],
                 drain: Callable[[], Any] | None = None) -> None:
    """Carry out one reviewer request (from the control socket or the review console) and
    ``send`` the reply. ``reviewer`` has been authenticated by the caller; whether they are
    (still) an approver is checked here, for every request."""
    op = msg.get("op")
    approver = next((a for a in svc.broker.approvers if a.user == reviewer), None)
    if approver is None:
        send({"type": "error", "error": f"{reviewer} is not an approver in the policy"})
        return
    now = svc.clock()
    live = svc.oversight
    if op == "list":
        # the reviewer count lets the demo start its prompt before the held command
        send({"type": "pending", "reviewers": svc.reviewers_connected,
              "requests": [r.to_json(now) for r in await svc.pending_all()]})
        return
    if op == "decide":
        verdict = await svc.decide_shared(str(msg.get("id", "")), reviewer,
                                          msg.get("decision") == "approve", msg.get("reason"))
        send({"type": "result", "ok": verdict.ok, "message": verdict.message,
              "request": verdict.request.to_json(now) if verdict.request else None})
        return
    if live is None or op not in ("sessions", "kill", "lock", "unlock", "locks", "watch"):
        send({"type": "error", "error": f"unknown op {op!r}"})
        return
    identity = str(msg.get("identity", ""))
    if op in ("lock", "unlock") and not NAME_RE.match(identity):
        send({"type": "result", "ok": False, "message": f"{identity!r} is not an identity name"})
        return
    fleet = svc.fleet
    if op == "sessions":
        send({"type": "sessions", "sessions": await fleet_sessions(svc)})
    elif op == "locks":
        send({"type": "locks", "locks": live.lock_listing()})
    elif op == "kill":
        sid, why = str(msg.get("id", "")), str(msg.get("reason") or "")
        reply = live.kill(reviewer, sid, why)
        if not reply["ok"] and fleet is not None and live.sessions.find(sid) is None:
            remote = await shared_call(fleet.kill(sid, reviewer, why))
            if remote is not None:
                if remote["ok"]:
                    svc.audit("session.kill-sent", session=remote.get("session"),
                              replica=remote.get("replica"), reviewer=reviewer, reason=why)
                reply = remote
        send(reply)
    elif op == "lock":
        try:
            duration = parse_duration(msg["for"]) if msg.get("for") else None
        except ValueError as e:
            send({"type": "result", "ok": False, "message": f"--for: {e}"})
            return
        reply = live.lock(reviewer, identity, str(msg.get("reason") or ""), duration)
        if reply["ok"] and fleet is not None:
            lk = live.locks.active(identity, live.clock())
            got = await shared_call(fleet.lock(lk), ok=True)
            if got is not True:
                reply = {**reply, "ok": False, "message": reply["message"] + "; " + got}
        send(reply)
    elif op == "unlock":
        if approver.identity is not None and approver.identity == identity:
            svc.audit("identity.unlock-refused", identity=identity, reviewer=reviewer)
            send({"type": "result", "ok": False, "message": f"{reviewer} acts as identity "
                  f"{identity} and may not unlock it"})
            return
        reply = live.unlock(reviewer, identity)
        if reply["ok"] and fleet is not None:
            got = await shared_call(fleet.unlock(identity, reviewer), ok=True)
            if got is not True:
                reply = {**reply, "ok": False, "message": reply["message"] + "; " + got}
        send(reply)
    elif op == "watch":
        await watch(live, reviewer, str(msg.get("id", "")), send, drain)


async def shared_call(coro: Any, ok: Any = None) -> Any:
    """Await a call into the fleet's database; on failure, what to tell the reviewer."""
    from ..state import StateUnavailable

    try:
        got = await coro
    except StateUnavailable as e:
        return {"type": "result", "ok": False, "message": f"the fleet database is "
                f"unreachable ({e})"} if ok is None else f"only on this gateway: the fleet " \
               f"database is unreachable ({e})"
    return ok if ok is not None else got


async def fleet_sessions(svc: ApprovalService) -> list[dict[str, Any]]:
    """Running sessions: this replica's, then the other live replicas' (from the database)."""
    live = svc.oversight
    assert live is not None
    mine = live.listing()
    if svc.fleet is None:
        return mine
    from ..state import StateUnavailable

    for s in mine:
        s["replica"] = svc.fleet.replica
    try:
        shared = await svc.fleet.listing()
    except StateUnavailable:
        return mine
    known = {s["id"] for s in mine}
    return mine + [s for s in shared if s["id"] not in known
                   and s["replica"] != svc.fleet.replica]


async def watch(live: Oversight, reviewer: str, id_or_prefix: str,
                send: Callable[[dict[str, Any]], None],
                drain: Callable[[], Any] | None = None) -> None:
    """Stream a running session's output, made terminal-safe, until it ends."""
    got = live.watch(id_or_prefix)
    if isinstance(got, str):
        send({"type": "result", "ok": False, "message": got})
        return
    session, watcher = got
    live.audit("session.watched", session=session.id, identity=session.identity,
               reviewer=reviewer)
    send({"type": "watching", "session": session.to_json(live.clock())})
    safe = TerminalFilter()
    try:
        while True:
            data, dropped, ended = await watcher.take()
            if dropped:
                send({"type": "dropped", "bytes": dropped})
            if data:
                text = safe.feed(data)
                if text:
                    send({"type": "output", "data": text})
            if ended is not None:
                send({"type": "end", "reason": ended})
                return
            if drain is not None:
                await drain()
            if len(data) + dropped > 8 * 1024:  # bulk output: batch it, interactive is at once
                await asyncio.sleep(WATCH_PACE)
    finally:
        live.unwatch(session.id, watcher)


class ControlServer:
    """Unix-socket server (mode 0660, optional group) for the approvals CLI."""

    def __init__(self, service: ApprovalService, path: Path, group: str | None = None):
        self.service = service
        self.path = path
        self.group = group
        self._server: asyncio.AbstractServer | None = None
        self._created: tuple[int, int] | None = None

    async def start(self) -> None:
        parent = self.path.parent
        if not parent.exists():
            parent.mkdir(mode=0o700, parents=True)
        st = parent.stat()
        if st.st_uid != os.geteuid() or st.st_mode & 0o022:
            # another user could replace the socket (or plant one) in such a directory
            raise OSError(f"control socket directory {parent} is shared (owner uid "
                          f"{st.st_uid}, mode {oct(st.st_mode & 0o7777)}): set control_socket "
                          "to a path in a directory that only the gateway's user owns and "
                          "can write")
        self._remove_stale()
        old = os.umask(0o117)
        try:
            self._server = await asyncio.start_unix_server(self._handle, path=str(self.path),
                                                           limit=MAX_LINE)
        finally:
            os.umask(old)
        made = os.lstat(self.path)
        self._created = (made.st_dev, made.st_ino)
        os.chmod(self.path, 0o660)
        if self.group:
            try:
                gid = grp.getgrnam(self.group).gr_gid
            except KeyError:
                raise OSError(f"control_group {self.group!r} is not an OS group here (as root: "
                              f"groupadd --system {self.group})") from None
            os.chown(self.path, -1, gid)
            # reviewers in the group must be able to reach the socket, not read the directory
            # (the directory is the gateway user's own: checked above)
            os.chown(parent, -1, gid)
            os.chmod(parent, (parent.stat().st_mode & 0o7777) | 0o010)

    def _remove_stale(self) -> None:
        """Remove a socket left by a gateway that died; refuse anything else at the path."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        if not stat.S_ISSOCK(st.st_mode):
            raise OSError(f"{self.path} exists and is not a socket; not removing it")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.settimeout(2)
            probe.connect(str(self.path))
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return
        except OSError as e:
            raise OSError(f"cannot tell whether a gateway still listens on {self.path} "
                          f"({e}); not removing it") from None
        finally:
            probe.close()
        raise OSError(f"another gateway is listening on the control socket {self.path}; "
                      "stop it first or give this one its own control_socket/state_dir")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = ControlClient(self.service, reader, writer)
        try:
            await client.run()
        finally:
            self.service.unsubscribe(client)
            with contextlib.suppress(Exception):
                writer.close()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
        # only the socket this server bound: never one another process put there since
        with contextlib.suppress(FileNotFoundError):
            st = os.lstat(self.path)
            if self._created == (st.st_dev, st.st_ino):
                self.path.unlink()
        self._created = None


# --- client side (used by the CLI) --------------------------------------------------------------
class ControlError(Exception):
    """The gateway could not be reached or refused the request."""


async def connect(path: Path, approver: bool = True
                  ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, dict]:
    """Connect to a gateway's control socket; ``approver``: refuse unless this OS user is
    an approver (the gateway's own user is admitted for `policy reload` only)."""
    try:
        reader, writer = await asyncio.open_unix_connection(str(path), limit=16 * MAX_LINE)
    except (FileNotFoundError, ConnectionRefusedError):
        raise ControlError(f"no gateway is listening on {path} (is 'sshgate serve' running "
                           "with this config?)") from None
    except PermissionError:
        raise ControlError(f"permission denied on {path} (are you in its group?)") from None
    hello = json.loads(await reader.readline() or b"{}")
    if hello.get("type") != "hello":
        writer.close()
        raise ControlError(hello.get("error") or "the gateway refused the connection")
    if approver and not hello.get("approver"):
        writer.close()
        raise ControlError(f"{hello.get('user')} is not an approver in the policy; the control "
                           "socket refuses")
    return reader, writer, hello


async def call(path: Path, msg: dict[str, Any]) -> dict[str, Any]:
    """Send one request and return the one reply."""
    reader, writer, _ = await connect(path, approver=msg.get("op") != "reload")
    try:
        writer.write(json.dumps(msg).encode() + b"\n")
        await writer.drain()
        while True:
            reply = json.loads(await reader.readline() or b"{}")
            if reply.get("type") in ("pending", "result", "error", "sessions", "locks",
                                     "reload", None):
                return reply
    finally:
        writer.close()
