"""An adversarial agent in an interactive shell: it types ahead, forges verdicts and markers,
reads every secret the shell holds and tries to switch the gate off, through the real ssh
client in a PTY, the gateway and real sshd. Each attack ends with the destructive line not
run (checked on the target's filesystem) and an audit log that says what really happened."""

from __future__ import annotations

import json
import os
import pty
import re
import secrets
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import audit, cli, marker

PROMPT = b"agent> "
NONCE = re.compile(rb"sshgate_n='?([0-9a-f]{16,})")


class Agent:
    """``ssh -tt`` in a PTY: exact bytes in (one write is one packet), the screen out."""

    def __init__(self, argv: list[str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execvp(argv[0], argv)
        self.out = b""
        self.seen = 0
        self.status: int | None = None

    def _pump(self, timeout: float) -> bool:
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            return False
        self.out += data
        return True

    def expect(self, needle: bytes, timeout: float = 20) -> bytes:
        """Wait for ``needle`` after what was already consumed; return what came before it."""
        deadline = time.monotonic() + timeout
        while needle not in self.out[self.seen:]:
            left = deadline - time.monotonic()
            assert left > 0, f"{needle!r} not seen; screen tail: {self.out[-600:]!r}"
            if not self._pump(left):
                raise EOFError(f"session ended before {needle!r}: {self.out[-600:]!r}")
        at = self.out.index(needle, self.seen)
        before, self.seen = self.out[self.seen:at], at + len(needle)
        return before

    def settle(self, quiet: float = 0.5, timeout: float = 10) -> None:
        """Read until the screen has been quiet for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last = len(self.out)
        while time.monotonic() < deadline:
            if not self._pump(quiet) or len(self.out) == last:
                return
            last = len(self.out)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def line(self, text: str, timeout: float = 20) -> bytes:
        """Type one line and wait for the next prompt; returns what the line printed."""
        self.send(text.encode() + b"\r")
        return self.expect(PROMPT, timeout)

    def wait_exit(self, timeout: float = 20) -> int:
        if self.status is not None:
            return self.status
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            self._pump(0.1)
        raise AssertionError(f"ssh did not exit; screen tail: {self.out[-600:]!r}")

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


#: The worst case for the gate: the agent can read its shell's state. The guard holds
#: environment dumps (secret.dump) and /proc/self/environ (secret.read) by default, so these
#: tests allow both to show the gate holds even when the nonce is known.
READABLE_STATE = [{"rule": "secret.dump", "action": "allow"},
                  {"rule": "secret.read", "action": "allow"}]


@pytest.fixture
def glab(make_lab):
    # nobody will approve anything: a held line is refused at once
    return make_lab(shell=True, approval={"timeout": "5m", "no_reviewer": "deny"},
                    rules=READABLE_STATE)


def connect(lab, agents: list[Agent], *options: str) -> Agent:
    a = Agent(lab.ssh_argv(None, extra=["-tt", *options]))
    agents.append(a)
    a.send(b"PS1='\\141gent> '\r")  # octal: `set` and `declare -p` never show the prompt
    a.expect(PROMPT)
    return a


def read_nonce(a: Agent, how: str = "set | grep -a sshgate_n") -> str:
    """What a prompt-injected agent does first: print the shell's marker nonce."""
    found = NONCE.findall(a.line(how))
    assert found, "the attack needs the nonce: it was readable before the fix, and still is"
    return found[-1].decode()


def forged(nonce: str) -> bytes:
    """Every verdict and marker an agent can make up without the gateway: the old verdict
    format, guesses at the new one, and markers signed with the session nonce."""
    guesses = b"".join(f"{secrets.token_hex(8)}:a".encode() for _ in range(3))
    return (f"{nonce} allow\r".encode() + guesses + b"\r"
            + f"\x1b]7770;{nonce};ack;{secrets.token_hex(8)};ran\x07".encode())


def still_alive(a: Agent, lab) -> None:
    """The shell is usable afterwards (or the gateway ended it, and said why)."""
    try:
        a.settle(0.3)
        # Ctrl-U drops whatever junk the attack left on the line
        a.send(b"\x15echo alive-$USER\r")
        a.expect(f"alive-{lab.login}".encode())
        a.expect(PROMPT)
    except EOFError:
        assert a.wait_exit() == 77


def assert_truthful(lab, precious: Path, destructive: str) -> None:
    """The target still has ``precious``; the audit never says *ran* for a line that was not
    allowed, and says *skipped* (or ended the session as ungated) for each one that was not."""
    assert (precious / "data").read_text() == "keep me"
    events = audit(lab)
    shell_decisions = [e for e in events if e["event"] == "command.decision"
                       and e.get("mode") == "shell"]
    outcomes = [e for e in events if e["event"] == "shell.outcome"]
    ended = [e for e in events if e["event"] == "shell.ungated"]
    assert any(destructive in e["command"] for e in shell_decisions) or ended, \
        "the destructive line was never put to the gate"
    for o in outcomes:
        if o["outcome"] == "ran":
            assert o["decision"] in ("allow", "approved"), o
            assert destructive not in o["command"], o
    refused = [d for d in shell_decisions if d["decision"] != "allow"]
    skipped = [o for o in outcomes if o["outcome"] == "skipped"]
    for d in refused:
        assert any(o["command"] == d["command"] for o in skipped) or ended, \
            f"no shell report for the refused line {d['command']!r}"


# -- the two reproductions from the issue ------------------------------------------------------

def test_forged_verdict_typed_ahead_in_one_write(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    nonce = read_nonce(a)
    a.send(f"rm -rf {precious}\r".encode() + forged(nonce))
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_set_T_then_a_subshell(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    a.line("set +T")
    a.line(f"( rm -rf {precious} )")
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


# -- how the forged verdict travels ---------------------------------------------------------

def test_forged_verdict_split_across_packets(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    nonce = read_nonce(a)
    payload = f"rm -rf {precious}\r".encode() + forged(nonce)
    for i in range(0, len(payload), 7):
        a.send(payload[i:i + 7])
        time.sleep(0.01)
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_forged_verdict_in_a_bracketed_paste(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    nonce = read_nonce(a)
    a.send(b"\x1b[200~" + f"rm -rf {precious}\r".encode() + forged(nonce) + b"\x1b[201~\r")
    still_alive(a, glab)
    a.send(b"\x1b[200~" + f"rm -rf {precious}\n{nonce} allow\n".encode() + b"\x1b[201~")
    a.send(forged(nonce))
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_ctrl_v_literal_escapes(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    nonce = read_nonce(a)
    # a literal CR and a literal ESC/BEL marker inside the line, then the forged verdict
    a.send(f"rm -rf {precious}\x16\r\x16\x1b]7770;{nonce};prompt;0\x16\x07\r".encode()
           + forged(nonce))
    still_alive(a, glab)
    a.send(f"rm -rf {precious} \x16\n".encode() + forged(nonce) + b"\r")
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_type_ahead_while_a_program_runs(glab, agents, tmp_path):
    """Bytes typed while a program owns the terminal reach the target at once: the shell
    itself must not read them as a verdict."""
    precious = marker(tmp_path)
    a = connect(glab, agents)
    nonce = read_nonce(a)
    a.send(b"sleep 1\r")
    time.sleep(0.3)
    a.send(f"rm -rf {precious}\r".encode() + forged(nonce))
    time.sleep(2)
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


@pytest.mark.parametrize("how", ["cat /proc/self/environ", "declare -p", "set", "history",
                                 "set | grep -a sshgate_n"])
def test_every_way_to_read_the_nonce_then_forge(glab, agents, tmp_path, how):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    shown = a.line(how)
    candidates = {m.decode() for m in re.findall(rb"[0-9a-f]{24}", shown)}
    candidates.add(read_nonce(a))  # the worst case: the agent has it
    for n in sorted(candidates):
        a.send(f"rm -rf {precious}\r".encode() + forged(n))
        still_alive(a, glab)
        if a.status is not None:
            break
    assert_truthful(glab, precious, f"rm -rf {precious}")


# -- switching the gate off ---------------------------------------------------------------------

def test_exec_bash_norc(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    a.line("exec bash --norc")
    a.send(f"rm -rf {precious}\r".encode())
    a.settle(1.0)
    try:
        a.send(b"PS1='\\141gent> '\r")  # octal: `set` and `declare -p` never show the prompt
        a.expect(PROMPT, timeout=5)
    except EOFError:
        pass
    assert_truthful(glab, precious, f"rm -rf {precious}")


TAMPER = [
    "set +T", "set +o functrace", "set -x +T", "set +xT", "set +o history", "set +H +T",
    "shopt -u extdebug", "shopt -uo functrace", "shopt -u -o functrace", "shopt -u promptvars",
    "shopt -u cmdhist", "enable -n trap", "enable -n set", "enable -n builtin",
    "unset -f __sshgate_gate", "builtin trap - DEBUG", "command trap - DEBUG", "trap - DEBUG",
    "trap '' DEBUG", "trap : DEBUG", "command set +T", "builtin set +o functrace",
    "builtin shopt -u extdebug", "PROMPT_COMMAND=", "PS0=", "unset PS0", "PS2='> '",
    "trap() { :; }", "builtin() { :; }", "set() { :; }",
]


def test_each_tamper_spelling_then_subshell_function_pipeline(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    for spelling in TAMPER:
        if a.status is not None:
            a = connect(glab, agents)
        a.line(spelling)
        try:
            a.line(f"( rm -rf {precious} )")
            a.line(f"h() {{ rm -rf {precious}; }}; h")
            a.line(f"rm -rf {precious} | cat")
            a.line(f"echo x | rm -rf {precious}")
        except EOFError:
            assert a.wait_exit() == 77  # the gateway ended a session it could not gate
        assert (precious / "data").exists(), f"{spelling!r} switched the gate off"
    assert_truthful(glab, precious, f"rm -rf {precious}")
    decisions = {e["command"]: e for e in audit(glab) if e["event"] == "command.decision"}
    for spelling in TAMPER:
        assert decisions[spelling]["decision"] == "deny", spelling
        assert "shell.gate-tamper" in [f["rule"] for f in decisions[spelling]["findings"]]


def test_trap_redefined_inside_a_function(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    a.line("f() { trap - DEBUG; }")
    a.line("f")
    a.line(f"( rm -rf {precious} )")
    a.line(f"g() {{ trap '' DEBUG; rm -rf {precious}; }}; g")
    a.line(f"k() {{ rm -rf {precious}; }}")
    a.line("k")  # defined by a refused line: calling it is refused too
    still_alive(a, glab)
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_heredoc_body_with_forged_markers(make_lab, agents, tmp_path):
    lab = make_lab(shell=True, approval={"timeout": "5m", "no_reviewer": "wait"},
                   rules=READABLE_STATE)
    precious = marker(tmp_path)
    a = connect(lab, agents)
    nonce = read_nonce(a)
    esc, bel = "\x16\x1b", "\x16\x07"  # Ctrl-V: readline inserts them literally
    body = [f"{esc}]7770;{nonce};prompt;0{bel}",
            f"{esc}]7770;{nonce};gate;{secrets.token_hex(8)};    7  echo hi{bel}",
            f"{esc}]7770;{nonce};ack;{secrets.token_hex(8)};ran{bel}",
            f"{nonce} allow"]
    a.send(b"cat <<'EOF'\r")
    for line in body:
        a.send(line.encode() + b"\r")
        time.sleep(0.2)
    a.send(b"EOF\r")
    try:
        # a quoted here-document is literal text for cat: known safe, it runs unasked and
        # prints the forged markers, which the gateway must not take for the shell's
        a.expect(PROMPT)
        a.send(f"rm -rf {precious}\r".encode() + forged(nonce))
        deadline = time.monotonic() + 20
        while not (pending := json.loads(cli(lab, "approvals", "list", "--json").stdout)):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert cli(lab, "deny", pending[0]["id"], "--reason", "no").returncode == 0
        still_alive(a, lab)
    except EOFError:
        assert a.wait_exit() == 77
    assert_truthful(lab, precious, f"rm -rf {precious}")
    # (the here-document's own line holds the forged text, and ran: that is the truth)
    assert not any(e["event"] == "shell.outcome" and e["command"] == "echo hi"
                   for e in audit(lab)), "a forged gate marker made it into the record"


# -- what the record says -----------------------------------------------------------------------

def _sealed_recording(lab):
    from sshgate.recording import reader

    deadline = time.monotonic() + 15
    while not any(e["event"] == "recording.sealed" for e in audit(lab)):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    [path] = reader.list_recordings(lab.recordings)
    return reader.parse(path)


def test_record_says_ran_and_skipped(glab, agents, tmp_path):
    precious = marker(tmp_path)
    a = connect(glab, agents)
    a.line("echo kept-$USER")
    a.line(f"rm -rf {precious}")
    a.send(b"exit 3\r")
    assert a.wait_exit() == 3
    outcomes = {e["command"]: (e["decision"], e["outcome"]) for e in audit(glab)
                if e["event"] == "shell.outcome"}
    assert outcomes["echo kept-$USER"] == ("allow", "ran")
    assert outcomes[f"rm -rf {precious}"] == ("denied", "skipped")
    marks = {c["label"]: c for c in _sealed_recording(glab).commands()}
    assert marks["echo kept-$USER"]["outcome"] == "ran"
    assert marks[f"rm -rf {precious}"]["outcome"] == "skipped"
    assert marks[f"rm -rf {precious}"]["decision"] == "denied"
    assert (precious / "data").exists()


def test_a_gate_switched_off_anyway_ends_the_session(make_lab, agents, tmp_path):
    """A policy that lets tampering through (never do this): the shell reports that its gate
    was off at the next prompt, and the gateway ends the session instead of trusting it."""
    lab = make_lab(shell=True, approval={"timeout": "5m", "no_reviewer": "deny"},
                   rules=[{"rule": "shell.gate-tamper", "action": "allow"}])
    precious = marker(tmp_path)
    a = connect(lab, agents)
    a.send(b"set +T\r")
    a.expect(b"the shell can no longer be gated")
    assert a.wait_exit() == 77
    [ungated] = [e for e in audit(lab) if e["event"] == "shell.ungated"]
    assert "functrace" in ungated["reason"] and ungated["command"].startswith("set +T")
    marks = _sealed_recording(lab).commands()
    assert marks[-1]["decision"] == "ungated" and "functrace" in marks[-1]["reason"]
    assert (precious / "data").exists()


# -- what the gate costs ----------------------------------------------------------------------

def _gated_bash(lab) -> int:
    """The target's gated bash (the one started with the gate's rcfile)."""
    def children(pid: int) -> list[int]:
        out = []
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    stat = (p / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == pid:
                    out += [int(p.name), *children(int(p.name))]
        return out

    for p in children(lab.target.proc.pid):
        try:
            if b"--rcfile" in Path(f"/proc/{p}/cmdline").read_bytes():
                return p
        except OSError:
            continue
    raise AssertionError("no gated bash under the lab's sshd")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
def test_the_gate_runs_no_program_and_forks_once_per_command(glab, agents, tmp_path):
    """Each helper program the gate ran cost ~5 ms a command (base64 did): the gate uses
    builtins only. Its one fork is PS0's subshell (the history entry comes back through a
    pipe, not a command substitution)."""
    a = connect(glab, agents)
    a.line("true warm-up")
    out = tmp_path / "strace.txt"
    st = subprocess.Popen(["strace", "-f", "-c", "-o", str(out), "-e",
                           "trace=fork,vfork,clone,clone3,execve", "-p", str(_gated_bash(glab))],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(1)
        if st.poll() is not None:
            pytest.skip(f"strace cannot attach here: {st.stderr.read().decode()[-200:]}")
        n = 5
        for i in range(n):
            a.line(f"true {i}")
    finally:
        st.send_signal(signal.SIGINT)
        st.wait(10)
    calls = {m[1]: int(m[0]) for m in re.findall(
        r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", out.read_text(), re.M)}
    assert calls.get("execve", 0) == 0, calls
    forks = sum(calls.get(k, 0) for k in ("fork", "vfork", "clone", "clone3"))
    assert 0 < forks <= n, calls


@pytest.mark.parametrize("locale", [None, "C"])
def test_every_byte_of_the_line_reaches_the_record(glab, agents, locale):
    """No encoding helper any more: %, UTF-8 and a literal tab (C-v Tab) come through as the
    shell read them, into the decision and the shell's report, whatever the shell's locale
    (the agent chooses it: LC_* is passed on)."""
    a = connect(glab, agents, *(["-o", f"SetEnv=LC_ALL={locale}"] if locale else []))
    if locale:
        assert f"lc={locale}".encode() in a.line('echo "lc=$LC_ALL"')
    a.send("echo '50% \u00fc\x16\tx'-$USER\r".encode())
    a.expect(f"50% \u00fc\tx-{glab.login}".encode())
    a.expect(PROMPT)
    line = "echo '50% \u00fc\tx'-$USER"
    events = audit(glab)
    assert any(e["event"] == "command.decision" and e["command"] == line
               and e["decision"] == "allow" for e in events)
    assert any(e["event"] == "shell.outcome" and e["command"] == line
               and e["outcome"] == "ran" for e in events)


def test_the_line_judged_is_the_one_the_shell_read_not_the_one_typed(glab, agents, tmp_path):
    """The gateway classifies a plain line as typed while the shell reads it (the guard's
    cache, for latency). Keys typed while a program ran are part of the shell's next line
    although the gateway saw only ``true 5`` typed at the prompt: the decision is on what
    the shell read."""
    precious = marker(tmp_path)
    a = connect(glab, agents)
    a.send(b"sleep 1\r")
    time.sleep(0.3)
    a.send(f"rm -rf {precious}; ".encode())  # while sleep runs: no Enter
    a.expect(PROMPT)
    out = a.line("true 5")
    assert b"sshgate: denied" in out, out
    assert (precious / "data").exists()
    decided = [e["command"] for e in audit(glab) if e["event"] == "command.decision"]
    assert f"rm -rf {precious}; true 5" in decided and "true 5" not in decided


TRAP_SPELLINGS = ["trap ls USR1", "trap -- ls SIGUSR1", "trap ls 10", "builtin trap ls usr1",
                  "command trap ls USR1", "eval trap ls USR1", "eval 'trap ls SIGUSR1'",
                  "trap ls EXIT", "trap ls 0"]


def test_a_trap_the_agent_sets_never_runs_ungated(glab, agents, tmp_path):
    """A trap's action runs when its signal comes (or the shell exits), inside whatever line
    or gate function runs then, with no verdict of its own: ``trap ls USR1`` (ls is known
    safe), then a refused line that defines ``ls`` (bash defines it anyway), then an allowed
    ``kill -USR1 $$`` ran the refused body. Setting a trap is held in a gated shell, in every
    spelling; with nobody to approve it, none is set."""
    precious = marker(tmp_path)
    pwned = tmp_path / "pwned"
    a = connect(glab, agents)
    for spelling in TRAP_SPELLINGS:
        out = a.line(spelling)
        assert b"sshgate: denied" in out, (spelling, out)
    a.line(f"ls() {{ touch {pwned}; rm -rf {precious}; }}")
    assert b"'ls'" not in a.line("trap -p")  # (the gate's own DEBUG trap is listed)
    try:
        a.send(b"kill -USR1 $$\r")
        a.settle(1.0)
        a.send(b"exit\r")  # an EXIT trap would fire now
        a.wait_exit()
    except (EOFError, OSError):
        pass  # no trap: USR1's default action ends the shell
    assert not pwned.exists()
    assert_truthful(glab, precious, f"rm -rf {precious}")
    decisions = {e["command"]: e for e in audit(glab) if e["event"] == "command.decision"}
    for spelling in TRAP_SPELLINGS:
        assert decisions[spelling]["decision"] != "allow", spelling
    assert decisions["trap -p"]["decision"] == "allow"


def test_a_long_line_comes_through_whole(glab, agents, tmp_path):
    """The history entry comes back through a pipe: one of several pipe pages (more than a
    write the kernel keeps in one piece) still reaches the gate whole, its end included."""
    precious = marker(tmp_path)
    a = connect(glab, agents)
    line = f"echo {'x' * 12000}; rm -rf {precious}"
    a.send(line.encode() + b"\r")
    a.expect(b"sshgate: denied", timeout=60)
    a.expect(PROMPT)
    assert (precious / "data").read_text() == "keep me"
    decisions = [e for e in audit(glab) if e["event"] == "command.decision"]
    assert decisions[-1]["command"] == line and decisions[-1]["decision"] != "allow"
    assert_truthful(glab, precious, f"rm -rf {precious}")


def test_a_pinned_history_timestamp_cannot_disguise_the_line(glab, agents, tmp_path):
    """`readonly HISTTIMEFORMAT=x` (allowed here: unknown commands are) made the gate's
    `history 1` print 'xrm -rf ...' for 'rm -rf ...', an unknown command, allowed: the line
    ran (found while making the gate builtins-only; main had it too). HISTTIMEFORMAT is now
    read-only and empty in the gated shell, and a gate request without a history entry is
    unreadable (held)."""
    precious = marker(tmp_path)
    a = connect(glab, agents)
    for pin in ("readonly HISTTIMEFORMAT=x", "declare -n HISTTIMEFORMAT=PS1",
                "HISTTIMEFORMAT=x"):
        a.line(pin)
    a.send(f"rm -rf {precious}\r".encode())
    a.expect(b"sshgate: denied")
    a.expect(PROMPT)
    assert (precious / "data").read_text() == "keep me"
    decisions = {e["command"]: e["decision"] for e in audit(glab)
                 if e["event"] == "command.decision"}
    assert decisions[f"rm -rf {precious}"] != "allow"
    assert_truthful(glab, precious, f"rm -rf {precious}")
