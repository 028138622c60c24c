#!/usr/bin/env python3
"""Interactive shell: prompt-to-prompt latency of short commands typed into `ssh -tt`,
directly into sshd's bash and through sshgate's gated shell, interleaved in one run.

Besides wall-clock latency (which load on a shared machine distorts) it prints CPU time per
command, which load does not: the gateway's, and the target side's (the session's bash with
the children it reaped, and its sshd), and, when strace is installed, the forks and execs
the target's bash makes per command."""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sshgate.lab import Lab  # noqa: E402

MARK = b"SGPROMPT> "
CLK = os.sysconf("SC_CLK_TCK")


class Pty:
    def __init__(self, argv: list[str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        self.buf = b""

    def expect(self, needle: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.buf:
            r, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                raise TimeoutError(f"{needle!r} not seen; got {self.buf[-300:]!r}")
            self.buf += os.read(self.fd, 65536)
        self.buf = self.buf[self.buf.index(needle) + len(needle):]

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def setup(self, extra: bytes = b"") -> None:
        self.send(b"PS1='SGPROMPT''> '" + extra + b"\r")  # the line does not contain MARK
        self.expect(MARK)
        for _ in range(3):  # warm up (and drop a second prompt, if any)
            self.send(b"true\r")
            self.expect(MARK)
        time.sleep(0.05)
        while select.select([self.fd], [], [], 0)[0]:
            os.read(self.fd, 65536)
        self.buf = b""

    def command(self, i: int) -> float:
        start = time.perf_counter()
        self.send(f"true {i}\r".encode())
        self.expect(MARK)
        return (time.perf_counter() - start) * 1000

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int(_stat(int(p.name))[1]) == pid:
                    out.append(int(p.name))
            except (OSError, IndexError):
                pass
    return out


def _descendants(pid: int) -> list[int]:
    out = []
    for c in _children(pid):
        out += [c, *_descendants(c)]
    return out


def target_shells(sshd_pid: int) -> tuple[int, int]:
    """(direct bash, gated bash) under the lab's sshd: the gated one runs the gate rcfile."""
    direct = gated = 0
    for p in _descendants(sshd_pid):
        try:
            argv = Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if Path(argv[0].decode()).name.lstrip("-") == "bash":
            if b"--rcfile" in argv:
                gated = p
            else:
                direct = p
    if not (direct and gated):
        raise RuntimeError("could not find both target shells")
    return direct, gated


def session_cpu(bash: int) -> tuple[float, float]:
    """CPU seconds of a target shell (with the children it reaped), and of its sshd."""
    s = _stat(bash)
    p = _stat(int(s[1]))
    return sum(int(x) for x in s[11:15]) / CLK, (int(p[11]) + int(p[12])) / CLK


def process_cpu(pid: int) -> float:
    s = _stat(pid)
    return (int(s[11]) + int(s[12])) / CLK


def count_forks(shell: Pty, bash: int, n: int) -> tuple[float, float] | None:
    """Forks and execs per command of ``bash`` and its children, from strace."""
    if shutil.which("strace") is None:
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        st = subprocess.Popen(["strace", "-f", "-c", "-o", out.name, "-e",
                               "trace=fork,vfork,clone,clone3,execve", "-p", str(bash)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)  # attached
            for i in range(n):
                shell.command(i)
            time.sleep(0.1)
        finally:
            st.send_signal(signal.SIGINT)
            st.wait(10)
        counts = {m.group(2): int(m.group(1))
                  for m in re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$",
                                       out.read(), re.M)}
    forks = sum(counts.get(k, 0) for k in ("fork", "vfork", "clone", "clone3"))
    return forks / n, counts.get("execve", 0) / n


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def gated_shell(sshd_pid: int) -> int:
    """The gated bash under a lab's sshd (the one running the gate rcfile)."""
    for p in _descendants(sshd_pid):
        try:
            if b"--rcfile" in Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0"):
                return p
        except OSError:
            continue
    raise RuntimeError("could not find the gated shell")


def compare(args: argparse.Namespace) -> None:
    """Two gateways in one run, lines interleaved with direct OpenSSH: this checkout's and
    the one in ``args.compare`` (its own code and rcfile), each with its own sshd. On a
    loaded machine the difference is only meaningful within one run."""
    other = str(Path(args.compare).resolve())
    here = str(Path(__file__).resolve().parent.parent)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2, \
            Lab(Path(d1), direct_access=True, shell=True, unknown="allow",
                gateway_wrapper=["env", "-C", other]) as base, \
            Lab(Path(d2), direct_access=True, shell=True, unknown="allow",
                fast_relay=args.fast_relay, gateway_wrapper=["env", "-C", here]) as this:
        shells = {"direct": Pty(this.direct_argv(None, extra=["-tt"])),
                  "compared": Pty(base.ssh_argv(None, extra=["-tt"])),
                  "this": Pty(this.ssh_argv(None, extra=["-tt"]))}
        try:
            shells["direct"].setup(b"; PROMPT_COMMAND=")
            shells["compared"].setup()
            shells["this"].setup()
            labs = {"compared": base, "this": this}
            pids = {k: (gated_shell(lab.target.proc.pid), lab.gateway.proc.pid)  # type: ignore
                    for k, lab in labs.items()}
            cpu0 = {k: (session_cpu(b)[0], process_cpu(g)) for k, (b, g) in pids.items()}
            times: dict[str, list[float]] = {k: [] for k in shells}
            order = list(shells.items())
            for i in range(args.n):
                k = i % len(order)  # rotate: none profits from another's wake-ups
                for name, shell in order[k:] + order[:k]:
                    times[name].append(shell.command(i))
            cpu1 = {k: (session_cpu(b)[0], process_cpu(g)) for k, (b, g) in pids.items()}
        finally:
            for shell in shells.values():
                shell.close()
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    md = statistics.median(times["direct"])
    print(f"interactive shell, prompt to prompt for `true N` (n={args.n}, direct and both "
          f"gateways interleaved; load average {' '.join(load_before)} before, "
          f"{' '.join(load_after)} after)")
    print(f"  direct OpenSSH          median {md:6.2f} ms")
    for name, label in (("compared", f"sshgate at {other}"), ("this", "sshgate (this checkout)")):
        t = times[name]
        paired = statistics.median(g - d for g, d in zip(t, times["direct"], strict=True))
        bash, gw = ((b1 - b0) * 1000 / args.n for b0, b1 in zip(cpu0[name], cpu1[name],
                                                                strict=True))
        print(f"  {label}: median {statistics.median(t):6.2f} ms, p99 {pct(t, 99):6.2f} ms, "
              f"added {statistics.median(t) - md:5.2f} ms (paired {paired:.2f}); CPU per "
              f"command: target bash {bash:.2f} ms, gateway {gw:.2f} ms")
    diff = statistics.median(a - b for a, b in zip(times["this"], times["compared"],
                                                   strict=True))
    print(f"  this checkout - compared, median of paired differences: {diff:+.2f} ms")


def main() -> dict | None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--fast-relay", action="store_true",
                    help="the gateway runs with fast_relay: true (packet fast path)")
    ap.add_argument("--no-forks", action="store_true", help="skip counting forks with strace")
    ap.add_argument("--compare", metavar="CHECKOUT",
                    help="also run the gateway of another checkout of sshgate (e.g. a git "
                         "worktree of main), interleaved in the same run")
    args = ap.parse_args()
    if args.compare:
        compare(args)
        return None
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory() as d, \
            Lab(Path(d), direct_access=True, shell=True, fast_relay=args.fast_relay,
                unknown="allow") as lab:  # the prompt setup (PS1=...) is not a command under test
        direct = Pty(lab.direct_argv(None, extra=["-tt"]))
        gated = Pty(lab.ssh_argv(None, extra=["-tt"]))
        try:
            # the login's ~/.bashrc may set a PROMPT_COMMAND (pyenv's forks and execs ~2 ms
            # per prompt); the gated shell replaces it with its own: compare like with like
            direct.setup(b"; PROMPT_COMMAND=")
            gated.setup()
            assert lab.target is not None and lab.target.proc is not None
            assert lab.gateway is not None and lab.gateway.proc is not None
            d_bash, g_bash = target_shells(lab.target.proc.pid)
            gw = lab.gateway.proc.pid
            cpu0 = (*session_cpu(d_bash), *session_cpu(g_bash), process_cpu(gw))
            times: dict[str, list[float]] = {"direct": [], "gated": []}
            for i in range(args.n):
                # alternate which goes first: neither profits from the other's wake-ups
                order = (("direct", direct), ("gated", gated))
                for name, shell in order if i % 2 == 0 else order[::-1]:
                    times[name].append(shell.command(i))
            cpu1 = (*session_cpu(d_bash), *session_cpu(g_bash), process_cpu(gw))
            forks = None if args.no_forks else (count_forks(direct, d_bash, 30),
                                                 count_forks(gated, g_bash, 30))
        finally:
            direct.close()
            gated.close()
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    dt, gt = times["direct"], times["gated"]
    md, mg = statistics.median(dt), statistics.median(gt)
    paired = statistics.median(g - d for g, d in zip(gt, dt, strict=True))
    per = [(b - a) * 1000 / args.n for a, b in zip(cpu0, cpu1, strict=True)]
    print(f"interactive shell, prompt to prompt for `true N` (n={args.n}, interleaved; load "
          f"average {' '.join(load_before)} before, {' '.join(load_after)} after)")
    print(f"  direct OpenSSH    median {md:6.2f} ms   p95 {pct(dt, 95):6.2f} ms   "
          f"p99 {pct(dt, 99):6.2f} ms")
    print(f"  through sshgate   median {mg:6.2f} ms   p95 {pct(gt, 95):6.2f} ms   "
          f"p99 {pct(gt, 99):6.2f} ms")
    print(f"  added             {mg - md:6.2f} ms   (median of paired differences "
          f"{paired:.2f} ms; target <= 5 ms)")
    print(f"  CPU per command   target bash direct {per[0]:.2f} ms, gated {per[2]:.2f} ms; "
          f"target sshd direct {per[1]:.2f} ms, gated {per[3]:.2f} ms; gateway {per[4]:.2f} ms")
    if forks and forks[0] is not None and forks[1] is not None:
        (df, de), (gf, ge) = forks
        print(f"  target bash per command (strace, 30 commands): direct {df:.1f} forks "
              f"{de:.1f} execs, gated {gf:.1f} forks {ge:.1f} execs")
    return {"name": "shell prompt-to-prompt", "direct": md, "sshgate": mg, "unit": "ms",
            "ratio": mg / md, "target": f"<= 5 ms added ({mg - md:.1f} ms)"}


if __name__ == "__main__":
    main()
