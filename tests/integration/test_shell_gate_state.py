"""Red team s8 against the gated shell, through the real ssh client in a PTY, the gateway and
real sshd: the shell state a line leaves for the next (its options, its functions, its
directory) and keys the gateway's model of readline did not see as submitting. Each attack ends
with the destructive line not run (the target's filesystem) and an audit log that says what
ran."""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import audit, marker
from .test_shell_adversarial import (
    PROMPT,
    Agent,
    assert_truthful,
    connect,
    still_alive,
)

NO_REVIEWER = {"timeout": "5m", "no_reviewer": "deny"}


@pytest.fixture
def slab(make_lab):
    # nobody approves: a held line is refused at once
    return make_lab(shell=True, approval=NO_REVIEWER)


def _decisions(lab) -> dict[str, dict]:
    return {e["command"]: e for e in audit(lab) if e["event"] == "command.decision"}


def _outcomes(lab) -> dict[str, str]:
    return {e["command"]: e["outcome"] for e in audit(lab) if e["event"] == "shell.outcome"}


# -- D5: the gate's own code on the agent's screen ------------------------------------------------

TRACE = ["set -x", "set -v", "set -o xtrace", "set -o verbose", "set -euxo pipefail",
         "shopt -so xtrace", "BASH_XTRACEFD=1", "PS4='+$__sshgate_n '", "export PS4=x",
         "builtin set -x", "command set -v"]


def test_tracing_the_shell_is_gate_tamper(slab, agents, tmp_path):
    a = connect(slab, agents)
    for spelling in TRACE:
        a.line(spelling)
    shown = a.line("true")
    assert b"printf -v" not in shown and b"gate;" not in shown and b"++ " not in shown
    decisions = _decisions(slab)
    for spelling in TRACE:
        assert decisions[spelling]["decision"] == "deny", spelling
        assert "shell.gate-tamper" in [f["rule"] for f in decisions[spelling]["findings"]]
    assert all(_outcomes(slab)[s] == "skipped" for s in TRACE)


def test_set_x_with_a_forged_marker_and_a_pad(make_lab, agents, tmp_path):
    """shell3.py: with xtrace on, the gate traced R and the raw line; a forged prompt marker
    in the line released the agent's `R:a` before the real gate request. Here tamper is
    allowed by policy (the guard cannot know every spelling): the gate turns tracing off
    before R exists, and the prompt ends the session when it finds it on."""
    lab = make_lab(shell=True, approval=NO_REVIEWER,
                   rules=[{"rule": "shell.gate-tamper", "action": "allow"}])
    precious = marker(tmp_path)
    a = connect(lab, agents)
    nonce = re.findall(rb"N=([0-9a-f]{16,})", a.line('echo "N=$__sshgate_n"'))[-1]
    forged = b"\x16\x1b]7770;" + nonce + b";prompt;0;\x16\x07"
    start = len(a.out)
    try:
        a.line("set -x")
        a.send(b"echo '" + forged + b"' " + b"y" * 20000 + f"; rm -rf {precious}\r".encode())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not a._pump(0.05):
                break
            m = re.search(rb"printf -v r %08x%08x (\d+) (\d+)", a.out[start:])
            if m:  # the attack as the red team ran it: answer the traced R
                a.send(f"{int(m.group(1)):08x}{int(m.group(2)):08x}:a".encode())
                break
        a.settle(1.0)
    except EOFError:
        pass
    assert b"printf -v r" not in a.out[start:]
    assert (precious / "data").read_text() == "keep me"
    assert_truthful(lab, precious, f"rm -rf {precious}")
    ended = [e for e in audit(lab) if e["event"] == "shell.ungated"]
    assert ended and "xtrace" in ended[0]["reason"]
    assert a.wait_exit() == 77


@pytest.mark.parametrize("variant", range(3))
def test_a_marker_the_shell_echoes_before_the_gate_releases_nothing(slab, agents, variant):
    """shell5.py with history expansion instead of set -v: bash echoes the expanded line raw
    (before PS0), so a forged prompt marker in it reached the gateway while it held the
    agent's type-ahead; it then went to the terminal before the verdict and was lost."""
    a = connect(slab, agents)
    nonce = re.findall(rb"N=([0-9a-f]{16,})", a.line('echo "N=$__sshgate_n"'))[-1]
    # the old format; the token of the line before (the best an agent can know)
    shown = a.line('echo "K=$__sshgate_k"') + b"K=" + b"0" * 16
    token = re.findall(rb"K=([0-9a-f]{16})", shown)[0]
    arg = (b"0;", b"0;;" + token + b";0", token + b";0;;" + token + b";0")[variant]
    forged = b"\x16\x1b]7770;" + nonce + b";prompt;" + arg + b"\x16\x07"
    a.line("echo hist")
    a.send(b"sleep 1; : '" + forged + b"' !!\rpwd; printf 'TYPED-%s\\n' 42")
    time.sleep(2.5)
    try:
        a.send(b"\r")
        a.settle(1.0)
    except (EOFError, OSError):
        pass
    delivered = b"TYPED-42\r\n" in a.out
    ended = [e for e in audit(slab) if e["event"] == "shell.ungated"]
    assert delivered or ended, "type-ahead went to the shell before the verdict"
    if ended:
        assert "out of sequence" in ended[0]["reason"]
        assert a.wait_exit() == 77
    else:
        assert _outcomes(slab)["pwd; printf 'TYPED-%s\\n' 42"] == "ran"


# -- D4: functions a skipped line defined -------------------------------------------------------

def _definitions(precious: Path) -> list[tuple[str, str]]:
    rm = f"rm -rf {precious}"
    return [
        (f"command_not_found_handle() {{ {rm}; }}", "sshgate-no-such-tool-s8 list"),
        (f"function /bin/ls {{ {rm}; }}", "/bin/ls"),
        (f"ls() {{ {rm}; }}; [[ 1 ]]", "ls"),
        (f"ls() {{ {rm}; }}", "false && ls() { :; }"),
        (f"function cat {{ {rm}; }}", "cat /dev/null"),
    ]


@pytest.mark.parametrize("case", range(5))
def test_a_function_a_skipped_line_defined_never_runs(slab, agents, tmp_path, case):
    precious = marker(tmp_path)
    refused, later = _definitions(precious)[case]
    a = connect(slab, agents)
    a.line(refused)
    a.line(later)
    for call in ("ls", "/bin/ls", "cat /dev/null", "sshgate-no-such-tool-s8"):
        if a.status is None:
            a.line(call)
    still_alive(a, slab)
    assert_truthful(slab, precious, f"rm -rf {precious}")
    events = audit(slab)
    assert _outcomes(slab)[refused] == "skipped"
    removed = [e for e in events if e["event"] == "shell.functions-removed"]
    assert removed and removed[0]["count"] >= 1


def test_functions_of_allowed_lines_stay(slab, agents):
    a = connect(slab, agents)
    a.line("greet() { echo hello-$1; }")
    a.line("rm -rf /nonexistent-s8")  # refused (skipped): greet was defined before it
    assert b"hello-x" in a.line("greet x")


# -- D7: keys readline reads as submitting ------------------------------------------------------

@pytest.mark.parametrize("submit", [b"\r", b"\x1b\x1b\r", b"\x1b\r", b"\x1b\x1b\x1b\r"])
def test_type_ahead_after_any_submitting_key_waits_for_the_verdict(slab, agents, submit):
    """shell4.py: after `sleep 1` ESC ESC CR the gateway kept forwarding; the type-ahead
    landed in the gate's drain instead of running after the verdict. Now it runs after the
    verdict, or (a key readline did not take as submitting: ESC CR is M-C-m) the session
    ends when no gate request comes."""
    a = connect(slab, agents)
    a.send(b"sleep 1" + submit + b"printf 'TYPED-%s\\n' 42")
    time.sleep(2.0)
    try:
        a.send(b"\r")
        a.expect(b"TYPED-42\r\n")
        a.expect(PROMPT)
        assert _outcomes(slab)["printf 'TYPED-%s\\n' 42"] == "ran"
    except EOFError:
        assert a.wait_exit() == 77
        ended = [e for e in audit(slab) if e["event"] == "shell.ungated"]
        assert ended[0]["reason"] == "no gate marker for a submitted line"


# -- D1: the directory a line starts in ---------------------------------------------------------

def test_a_line_is_judged_in_the_directory_the_shell_is_in(slab, agents, tmp_path):
    secret = f"hunter2-{secrets.token_hex(4)}"
    svc = subprocess.Popen(["sleep", "60"], env={"DB_PASSWORD": secret})
    name = f"sshgate-s8-{secrets.token_hex(4)}"
    try:
        a = connect(slab, agents)
        a.line(f"cd /proc/{svc.pid}")
        shown = a.line("cat environ")
        assert secret.encode() not in shown
        a.line("cd /etc")
        a.line(f"echo s8 > {name}")
        assert not Path("/etc", name).exists()
        a.line(f"cd {tmp_path}")
        made_by = "mkdir -p work && cd work && echo ok > made"
        a.line(made_by)
        # under a loaded CI the screen's prompts can run one line ahead of the shell (a
        # refusal's prompt, then the shell's own): wait for the file, not for the prompt
        made = tmp_path / "work" / "made"
        deadline = time.monotonic() + 15
        while not made.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert made.exists(), (_decisions(slab).get(made_by), _outcomes(slab).get(made_by))
        assert made.read_text() == "ok\n"
        assert b"made" in a.line("ls")
        a.line("cd /")
        shown = a.line(f"cat proc/{svc.pid}/environ")
        assert secret.encode() not in shown
    finally:
        svc.kill()
        svc.wait()
        Path("/etc", name).unlink(missing_ok=True)
    outcomes = _outcomes(slab)
    for line in ("cat environ", f"echo s8 > {name}", f"cat proc/{svc.pid}/environ"):
        assert outcomes[line] == "skipped", line
    decisions = _decisions(slab)
    assert "secret.read" in [f["rule"] for f in decisions["cat environ"]["findings"]]
    assert outcomes["ls"] == "ran"


def test_an_odd_directory_name_is_an_unknown_start(make_lab, agents, tmp_path):
    """The directory is the agent's text: one the gate cannot pass on plainly is unknown,
    and the guard then holds what it cannot place (unknown: approve, nobody approves)."""
    lab = make_lab(shell=True, approval=NO_REVIEWER, unknown="approve")
    odd = tmp_path / "a;b%c"
    odd.mkdir()
    a = Agent(lab.ssh_argv(None, extra=["-tt"]))
    agents.append(a)
    a.settle(1.0)
    a.send(b"cd '" + bytes(odd) + b"' && ls\r")
    a.settle(1.0)
    a.send(b"cat data\r")
    a.settle(1.0)
    assert _outcomes(lab)[f"cd '{odd}' && ls"] == "ran"
    decisions = _decisions(lab)
    assert decisions["cat data"]["decision"] != "allow"
    assert "guard.unknown" in [f["rule"] for f in decisions["cat data"]["findings"]]
    assert _outcomes(lab)["cat data"] == "skipped"


# -- the gate's own local variables --------------------------------------------------------------

#: names the gate's functions keep their state in, pinned read-only by a line (allowed with
#: unknown: allow, or approved: `readonly o=ran` looks harmless); bash then refuses `local`
#: for them and the function goes on with the agent's values (the outcome, the request id,
#: the verdict read, the prompt's report and token)
PINNED = ["readonly o=ran", "declare -r r=0000000000000000 v=0000000000000000:a",
          "typeset -r off= k=00000000deadbeef", "readonly n=x rest=x l=99999 i=x"]


@pytest.mark.parametrize("pin", PINNED)
def test_a_gate_variable_pinned_read_only_fails_closed(make_lab, agents, tmp_path, pin):
    """The gate's functions check that their locals exist: a name the agent made read-only
    ends the session (77, shell.ungated) instead of answering the gate for it."""
    lab = make_lab(shell=True, approval=NO_REVIEWER, unknown="allow")
    precious = marker(tmp_path)
    a = connect(lab, agents)
    a.send(f"{pin}\r".encode())
    a.settle(0.5)
    a.send(f"rm -rf {precious}\r".encode())
    a.settle(1.0)
    still_alive(a, lab)
    assert_truthful(lab, precious, f"rm -rf {precious}")
    assert (precious / "data").exists()
