"""The review console: an approver's own SSH key logging in as ``NAME@gateway``. With a terminal
it is the approval prompt; without one, a fixed set of commands parsed with shlex. Never a
shell, a target, a subsystem or a forward."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import asyncssh
from rich.console import Console

from ..approvals.control import ApprovalService, answer
from ..approvals.prompt import prompt_loop
from ..approvals.render import (
    show_error,
    show_locks,
    show_pending,
    show_result,
    show_sessions,
    show_watch_event,
)

if TYPE_CHECKING:
    from .server import AgentConnection

log = logging.getLogger("sshgate.review")

#: The exit status of a command the console cannot parse (as click's usage errors).
EXIT_USAGE = 2
MAX_LINE = 4096


@dataclass(frozen=True, slots=True)
class Spec:
    """One console command: its positional arguments and options (True: takes a value)."""

    words: tuple[str, ...]
    args: tuple[str, ...] = ()
    options: tuple[tuple[str, bool], ...] = ()
    required: tuple[str, ...] = ()

    def usage(self) -> str:
        opts = " ".join(f"{o} {o[2:].upper()}" if v and o in self.required else
                        (f"[{o} {o[2:].upper()}]" if v else f"[{o}]")
                        for o, v in self.options)
        return " ".join([*self.words, *self.args, opts]).strip()


_JSON = (("--json", False),)
SPECS = (
    Spec(("approvals", "list"), options=_JSON),
    Spec(("approve",), ("ID",), (("--reason", True),)),
    Spec(("deny",), ("ID",), (("--reason", True),)),
    Spec(("sessions", "list"), options=_JSON),
    Spec(("sessions", "kill"), ("ID",), (("--reason", True),), ("--reason",)),
    Spec(("watch",), ("ID",)),
    Spec(("lock",), ("IDENTITY",), (("--for", True), ("--reason", True)), ("--reason",)),
    Spec(("unlock",), ("IDENTITY",)),
    Spec(("locks",), options=_JSON),
    Spec(("locks", "list"), options=_JSON),
)
USAGE = "commands: " + "; ".join(s.usage() for s in SPECS if s.words != ("locks", "list"))


class UsageError(Exception):
    pass


def parse(line: str) -> tuple[Spec, list[str], dict[str, Any]]:
    """A console command line -> (spec, positional args, options); raises UsageError."""
    try:
        words = shlex.split(line)
    except ValueError as e:
        raise UsageError(f"cannot parse the command line: {e}") from None
    spec = max((s for s in SPECS if tuple(words[:len(s.words)]) == s.words),
               key=lambda s: len(s.words), default=None)
    if spec is None:
        raise UsageError(f"unknown command {' '.join(words[:2])!r}" if words else "no command")
    rest = words[len(spec.words):]
    takes = dict(spec.options)
    args: list[str] = []
    opts: dict[str, Any] = {}
    while rest:
        w = rest.pop(0)
        name, eq, value = w.partition("=")
        if w == "--":
            args.extend(rest)
            break
        if name.startswith("--"):
            if name not in takes:
                raise UsageError(f"no such option: {name}")
            if name in opts:
                raise UsageError(f"option {name} given twice")
            if takes[name]:
                if not eq:
                    if not rest:
                        raise UsageError(f"option {name} requires an argument")
                    value = rest.pop(0)
                opts[name] = value
            elif eq:
                raise UsageError(f"option {name} does not take a value")
            else:
                opts[name] = True
        else:
            args.append(w)
    if len(args) != len(spec.args):
        raise UsageError(f"usage: {spec.usage()}")
    for r in spec.required:
        if r not in opts:
            raise UsageError(f"missing option {r}; usage: {spec.usage()}")
    return spec, args, opts


def request_for(spec: Spec, args: list[str], opts: dict[str, Any]) -> dict[str, Any]:
    """The control-service request a parsed command makes."""
    w = spec.words
    if w == ("approvals", "list"):
        return {"op": "list"}
    if w in (("approve",), ("deny",)):
        return {"op": "decide", "id": args[0], "reason": opts.get("--reason"),
                "decision": "approve" if w == ("approve",) else "deny"}
    if w == ("sessions", "list"):
        return {"op": "sessions"}
    if w == ("sessions", "kill"):
        return {"op": "kill", "id": args[0], "reason": opts["--reason"]}
    if w == ("watch",):
        return {"op": "watch", "id": args[0]}
    if w == ("lock",):
        return {"op": "lock", "identity": args[0], "for": opts.get("--for"),
                "reason": opts["--reason"]}
    if w == ("unlock",):
        return {"op": "unlock", "identity": args[0]}
    return {"op": "locks"}


class _ChannelFile:
    """A text file on one stream of the channel; a terminal gets CR LF."""

    def __init__(self, write: Any, pty: bool):
        self._write = write
        self._pty = pty

    def write(self, text: str) -> int:
        data = text.replace("\r\n", "\n").replace("\n", "\r\n") if self._pty else text
        with contextlib.suppress(OSError, asyncssh.Error):  # the reviewer went away
            self._write(data.encode("utf-8", "replace"))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return self._pty


class _Subscriber:
    """The console as one of the service's subscribers (like a control-socket client)."""

    approver = True

    def __init__(self, inbox: asyncio.Queue[dict[str, Any] | None], user: str):
        self.inbox = inbox
        self.user = user

    def send(self, msg: dict[str, Any]) -> None:
        self.inbox.put_nowait(msg)


class ReviewSession(asyncssh.SSHServerSession[bytes]):
    """One channel of a reviewer's connection."""

    def __init__(self, conn: AgentConnection):
        self.conn = conn
        self.chan: asyncssh.SSHServerChannel[bytes] = None  # type: ignore[assignment]
        self.term_type: str | None = None
        self.width, self.height = 80, 24
        self.command: str | None = None
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()
        self._line = ""
        self._escape = False
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._consoles: list[Console] = []
        self._task: asyncio.Task | None = None

    @property
    def reviewer(self) -> str:
        assert self.conn.reviewer is not None
        return self.conn.reviewer.user

    # -- asyncssh callbacks ------------------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: Any) -> bool:
        self.term_type = term_type
        self.width, self.height = (term_size[0] or 80), (term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self.conn.audit("reviewer.refused", reviewer=self.reviewer, kind="subsystem",
                        subsystem=subsystem[:100])
        return False

    def session_started(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.width, self.height = width or self.width, height or self.height
        for c in self._consoles:
            c.size = (self.width, self.height)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if self.term_type is not None:
            self._edit(self._decode.decode(data))

    def eof_received(self) -> bool:
        self.lines.put_nowait(None)
        return True  # half-open: the reply is still to come

    def connection_lost(self, exc: Exception | None) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # -- a minimal line editor (the gateway is the terminal's other end) ----------------------
    def _echo(self, text: str) -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            self.chan.write(text.encode())

    def _edit(self, text: str) -> None:
        for ch in text:
            if self._escape:  # arrow keys and the like: ignored up to their final byte
                self._escape = not (ch.isalpha() or ch == "~")
            elif ch == "\x1b":
                self._escape = True
            elif ch in "\r\n":
                self._echo("\r\n")
                self.lines.put_nowait(self._line)
                self._line = ""
            elif ch in "\x7f\x08":
                if self._line:
                    self._line = self._line[:-1]
                    self._echo("\b \b")
            elif ch == "\x15":  # Ctrl-U
                self._echo("\b \b" * len(self._line))
                self._line = ""
            elif ch in "\x03\x04" and not (ch == "\x04" and self._line):  # Ctrl-C, Ctrl-D
                self._echo("\r\n")
                self.lines.put_nowait(None)
            elif ch >= " " and len(self._line) < MAX_LINE:
                self._line += ch
                self._echo(ch)

    # -- running ---------------------------------------------------------------------------
    def _console(self, stderr: bool = False) -> Console:
        pty = self.term_type is not None
        write = self.chan.write_stderr if stderr else self.chan.write
        c = Console(file=_ChannelFile(write, pty), force_terminal=pty, width=self.width,
                    height=self.height, color_system="standard" if pty else None,
                    highlight=False, legacy_windows=False, force_interactive=False)
        self._consoles.append(c)
        return c

    async def _run(self) -> None:
        status = 1
        try:
            svc = self.conn.gateway.hooks.review_service()
            if svc is None:
                self._console(True).print("sshgate: this gateway has no review service")
            elif self.command is not None:
                status = await self._exec(svc, self.command)
            elif self.term_type is not None:
                status = await self._prompt(svc)
            else:
                self._console(True).print(
                    "sshgate: the review console needs a terminal (ssh -t) or a command; "
                    + USAGE, markup=False)
                status = EXIT_USAGE
        except asyncio.CancelledError:
            raise
        except Exception as e:  # an error ends the command; it never decides anything
            log.exception("review console error")
            self.conn.audit("reviewer.error", reviewer=self.reviewer, error=repr(e))
            self._console(True).print(f"sshgate: internal error ({type(e).__name__})",
                                      markup=False)
            status = 1
        await self._exit(status)

    async def _exit(self, status: int) -> None:
        deadline = asyncio.get_running_loop().time() + 10
        while self.chan.get_write_buffer_size() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        with contextlib.suppress(OSError, asyncssh.Error):
            self.chan.exit(status)

    async def _exec(self, svc: ApprovalService, line: str) -> int:
        status = await self._command(svc, line)
        self.conn.audit("reviewer.command", reviewer=self.reviewer,
                        key_fingerprint=self.conn.key_fingerprint, command=line[:1000],
                        status=status)
        return status

    async def _command(self, svc: ApprovalService, line: str) -> int:
        if self.term_type is not None and line.strip() == "approvals":
            return await self._prompt(svc)
        try:
            spec, args, opts = parse(line)
        except UsageError as e:
            self._console(True).print(f"error: {e}\n{USAGE}", markup=False, highlight=False)
            return EXIT_USAGE
        msg = request_for(spec, args, opts)
        as_json = bool(opts.get("--json"))
        if msg["op"] == "watch":
            out, err = self._console(), self._console(True)
            status: list[int] = []

            def on_watch(m: dict[str, Any]) -> None:
                s = show_watch_event(out, err, m)
                if s is not None:
                    status.append(s)

            async def drain() -> None:
                # a slow reviewer only slows this stream; the session's output is dropped for
                # this viewer (Watcher), the relay never waits
                while self.chan.get_write_buffer_size() > 256 * 1024:
                    await asyncio.sleep(0.01)

            await answer(svc, self.reviewer, msg, on_watch, drain)
            return status[-1] if status else 1
        replies: list[dict[str, Any]] = []
        # the answer first (an approval releases the held command now), the rendering after
        await answer(svc, self.reviewer, msg, replies.append)
        reply = replies[0] if replies else {"type": "error", "error": "no reply"}
        out, err = self._console(), self._console(True)
        if reply.get("type") == "error":
            return show_error(err, reply)
        op = msg["op"]
        if op == "list":
            return show_pending(out, err, reply, as_json)
        if op == "sessions":
            return show_sessions(out, err, reply, as_json)
        if op == "locks":
            return show_locks(out, err, reply, as_json)
        colour = "green" if op in ("unlock",) or msg.get("decision") == "approve" else "red"
        return show_result(out, err, reply, colour)

    async def _prompt(self, svc: ApprovalService) -> int:
        self.conn.audit("reviewer.command", reviewer=self.reviewer,
                        key_fingerprint=self.conn.key_fingerprint, command="approvals (prompt)")
        console = self._console()
        inbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        sub = _Subscriber(inbox, self.reviewer)

        async def send(msg: dict[str, Any]) -> None:
            if msg.get("op") == "subscribe":
                svc.subscribe(sub)
                now = svc.clock()
                inbox.put_nowait({"type": "pending",
                                  "requests": [r.to_json(now) for r in await svc.pending_all()]})
            else:
                await answer(svc, self.reviewer, msg, inbox.put_nowait)

        try:
            return await prompt_loop(console, self.reviewer, inbox.get, self.lines.get, send)
        finally:
            svc.unsubscribe(sub)
