"""A warm process that forks ``sshgate`` commands for test suites (the labs' gateways, the
short CLI calls of the integration tests).

A new ``python -m sshgate serve`` spends ~1.4 s of CPU importing asyncssh, the bash parser
and the gateway before it listens, and the suite starts hundreds. The fork server imports
them once, then forks one child per command. The child is the real command: the same code,
argv, environment, working directory, stdin/stdout/stderr (passed as descriptors), signals
and exit status; only the imports and the guard's warm-up (``classify.warm_up``, which
``serve`` runs before it listens) happened before the fork. The server is single-threaded
(forking a threaded process is unsafe) and is used only for the environment it imported
with (a console's width and colours are fixed at import) and never for a terminal. Requests
come over a Unix socket in a private (0700) directory.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: environment variables that differ between tests and that nothing in sshgate reads
VOLATILE_ENV = frozenset({"PYTEST_CURRENT_TEST"})

#: what ``sshgate serve`` imports before it listens (the rest it imports itself)
SERVE = ("sshgate.cli.main", "sshgate.cli.serve_cmd", "sshgate.runtime", "sshgate.hooks",
         "sshgate.guard.rules")
#: every command's module (for short-lived commands: list, approve, verify...)
COMMANDS = ("sshgate.cli.main", "sshgate.cli.approvals_cmd", "sshgate.cli.classify_cmd",
            "sshgate.cli.db_cmd", "sshgate.cli.demo_cmd", "sshgate.cli.oversight_cmd",
            "sshgate.cli.policy_cmds", "sshgate.cli.recordings_cmd", "sshgate.cli.serve_cmd",
            "sshgate.cli.setup_cmds", "sshgate.recording.replay", "sshgate.hooks")


def _comparable(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in VOLATILE_ENV}


class ForkedProcess:
    """A gateway forked by the server, with the part of :class:`subprocess.Popen`'s interface
    the lab and the tests use (pid, poll, wait, send_signal, terminate, kill, returncode)."""

    def __init__(self, conn: socket.socket, pid: int, args: list[str]):
        self._conn = conn
        self._buffer = b""
        self._lock = threading.Lock()
        self.pid = pid
        self.args = args
        self.returncode: int | None = None

    def _read_status(self, timeout: float | None) -> None:
        """Wait up to ``timeout`` (None: for ever) for the server's exit-status line."""
        with self._lock:
            if self.returncode is not None:
                return
            self._conn.settimeout(timeout)
            while b"\n" not in self._buffer:
                try:
                    chunk = self._conn.recv(4096)
                except (TimeoutError, BlockingIOError):
                    return
                if not chunk:
                    raise RuntimeError(f"the lab fork server went away while gateway {self.pid} "
                                       "ran")
                self._buffer += chunk
            line, _, self._buffer = self._buffer.partition(b"\n")
            self.returncode = int(json.loads(line)["status"])
            self._conn.close()

    def poll(self) -> int | None:
        self._read_status(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        self._read_status(timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(self.args, timeout)  # type: ignore[arg-type]
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:  # never signal a pid the server has already reaped
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkServer:
    """The fork server process; :meth:`spawn` starts ``sshgate ARGS`` in a child of it."""

    def __init__(self, env: dict[str, str] | None = None, preload: tuple[str, ...] = SERVE):
        self.env = dict(os.environ if env is None else env)
        self.preload = preload
        self._dir: Path | None = None
        self.proc: subprocess.Popen | None = None

    @property
    def socket_path(self) -> Path:
        assert self._dir is not None
        return self._dir / "forkserver.sock"

    def start(self) -> ForkServer:
        self._dir = Path(tempfile.mkdtemp(prefix="sshgate-forkserver-"))
        # stdin is a pipe the server watches: when this process ends, so does the server
        # (and it kills the children it still runs). stderr is a file, never a terminal:
        # consoles made at import look at it.
        with (self._dir / "server.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sshgate.lab_forkserver", str(self.socket_path),
                 *self.preload],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=self.env)
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline()  # blocks until the imports are done
        if ready.strip() != b"ready":
            log = (self._dir / "server.log").read_text(errors="replace")
            self.stop()
            raise RuntimeError(f"the lab fork server did not start: {log}")
        return self

    def usable_for(self, env: dict[str, str]) -> bool:
        return (self.proc is not None and self.proc.poll() is None
                and _comparable(env) == _comparable(self.env))

    def spawn(self, args: list[str], *, env: dict[str, str], stdin: int, stdout: int,
              stderr: int, cwd: str | None = None) -> ForkedProcess:
        """``sshgate ARGS`` as a forked child with these descriptors as its stdin, stdout and
        stderr (none may be a terminal: the consoles were made for no terminal)."""
        if any(os.isatty(fd) for fd in (stdin, stdout, stderr)):
            raise ValueError("a forked sshgate cannot have a terminal")
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(str(self.socket_path))
            request = json.dumps({"args": args, "env": env, "cwd": cwd or os.getcwd()})
            socket.send_fds(conn, [request.encode() + b"\n"], [stdin, stdout, stderr])
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    raise RuntimeError("the lab fork server refused the request")
                reply += chunk
        except BaseException:
            conn.close()
            raise
        first, _, rest = reply.partition(b"\n")
        proc = ForkedProcess(conn, int(json.loads(first)["pid"]),
                             [sys.executable, "-m", "sshgate", *args])
        proc._buffer = rest
        return proc

    def run(self, args: list[str], *, env: dict[str, str], timeout: float,
            cwd: str | None = None, text: bool = True) -> subprocess.CompletedProcess:
        """As ``subprocess.run([python, -m, sshgate, *ARGS], capture_output=True, text=TEXT,
        stdin=DEVNULL)``, forked."""
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        null = os.open(os.devnull, os.O_RDONLY)
        try:
            proc = self.spawn(args, env=env, stdin=null, stdout=out_w, stderr=err_w, cwd=cwd)
        except BaseException:
            for fd in (out_r, err_r):
                os.close(fd)
            raise
        finally:
            for fd in (out_w, err_w, null):
                os.close(fd)
        deadline = time.monotonic() + timeout
        output = {out_r: b"", err_r: b""}
        with selectors.DefaultSelector() as sel:
            for fd in output:
                sel.register(fd, selectors.EVENT_READ)
            try:
                while sel.get_map():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        proc.kill()
                        proc.wait()
                        raise subprocess.TimeoutExpired(proc.args, timeout,
                                                        output[out_r], output[err_r])
                    for key, _ in sel.select(left):
                        chunk = os.read(key.fd, 65536)
                        if chunk:
                            output[key.fd] += chunk
                        else:
                            sel.unregister(key.fd)
            finally:
                for fd in output:
                    os.close(fd)
        status = proc.wait(max(0.0, deadline - time.monotonic()) + 5)
        out, err = output[out_r], output[err_r]
        if not text:
            return subprocess.CompletedProcess(proc.args, status, out, err)
        return subprocess.CompletedProcess(proc.args, status, out.decode(errors="replace"),
                                           err.decode(errors="replace"))

    def stop(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(OSError):
                if self.proc.stdin is not None:
                    self.proc.stdin.close()  # the server kills its gateways and exits
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)


# --- the server process ---------------------------------------------------------------


def _run_child(request: dict, fds: list[int]) -> None:
    """In the forked child: become ``python -m sshgate ARGS``, run it, and end as its
    interpreter would (see :func:`_exit_as_python_would`)."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    import sshgate
    from sshgate.cli.main import cli

    # what `python -m sshgate` puts there (cli_path() reads it)
    sys.argv = [os.path.join(os.path.dirname(sshgate.__file__), "__main__.py"),
                *request["args"]]
    try:
        cli.main(args=request["args"], prog_name="python -m sshgate")
    except SystemExit as e:
        _exit_as_python_would(e.code)
    _exit_as_python_would(None)


def _exit_as_python_would(code: object) -> None:
    """What the interpreter does at exit that a command can observe, in its order: join the
    threads that are not daemons (and run what waits for them: executors' shutdowns), run
    the atexit handlers (logging's flush among them), flush stdout and stderr, and exit with
    the status ``sys.exit(code)`` gives. Then it would free every module and object, which
    in a forked child writes to every page shared with the server, copying it: half the CPU
    of a short command (approvals list: 64 -> 32 ms) and ~45 ms of each gateway's stop.
    Nothing a command wrote is in those objects but what sits in an open file's buffer,
    and a command's files are closed when it returns. An exception other than SystemExit
    is left to the interpreter (its traceback and status)."""
    import atexit
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code & 0xFF
    else:
        print(code, file=sys.stderr)
        status = 1
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


def _read_request(conn: socket.socket) -> tuple[dict, list[int]] | None:
    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    while data and not data.endswith(b"\n"):
        chunk = conn.recv(1 << 20)
        if not chunk:
            break
        data += chunk
    if not data.endswith(b"\n") or len(fds) != 3:
        for fd in fds:
            os.close(fd)
        return None
    return json.loads(data), fds


def _serve(path: str, preload: list[str]) -> tuple[dict, list[int]] | None:
    """Accept requests until stdin closes; in a forked child, return its request."""
    import importlib

    for name in preload:
        importlib.import_module(name)
    # the guard's one-time tables, which `serve` builds before it listens and other commands
    # on their first line (~0.1 s of CPU): built once here, for every child
    classify = sys.modules.get("sshgate.guard.classify")
    if classify is not None:
        classify.warm_up()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(sys.stdin.buffer, selectors.EVENT_READ, "stdin")
    children: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, connection)
    conns: dict[socket.socket, int] = {}  # connection -> pidfd
    # what exists now is never collected in a child, so its pages stay shared
    gc.collect()
    gc.freeze()
    sys.stdout.write("ready\n")
    sys.stdout.flush()

    def reap(pidfd: int, kill: bool = False) -> None:
        pid, conn = children.pop(pidfd)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        sel.unregister(pidfd)
        os.close(pidfd)
        sel.unregister(conn)
        del conns[conn]
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode()
                         + b"\n")
        conn.close()

    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                if not sys.stdin.buffer.read1(4096):  # the test process ended
                    for pidfd in list(children):
                        reap(pidfd, kill=True)
                    return None
            elif key.data == "accept":
                conn, _ = listener.accept()
                got = _read_request(conn)
                if got is None:
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    # the server's sockets and descriptors are not the child's
                    for fd in children:
                        os.close(fd)
                    for sock in (listener, conn, *conns):
                        sock.close()
                    sel.close()
                    return got
                for fd in got[1]:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)
                children[pidfd] = (pid, conn)
                conns[conn] = pidfd
                sel.register(pidfd, selectors.EVENT_READ, "exit")
                sel.register(conn, selectors.EVENT_READ, "conn")
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            elif key.data == "exit":
                reap(key.fd)
            elif key.data == "conn":
                conn = key.fileobj  # type: ignore[assignment]
                with contextlib.suppress(OSError):
                    if conn.recv(4096):
                        continue
                # the test process let go of a running child: nobody could stop it any more
                reap(conns[conn], kill=True)


def main() -> None:
    got = _serve(sys.argv[1], sys.argv[2:])
    if got is not None:
        _run_child(*got)


if __name__ == "__main__":
    main()
