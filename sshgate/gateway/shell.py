"""Interactive shells: the bash bootstrap that asks the gateway before each command, and the
sans-io gate that follows the terminal stream both ways. No I/O, no asyncio.

The upstream shell is ``bash -i`` with a gateway-supplied rcfile (sent inside the exec
request as a here-document, never written to the target's disk). After bash has read a
complete command and before it runs any of it, ``PS0`` (expanded in the shell itself) runs
``__sshgate_ask`` in a subshell: it discards whatever the terminal holds (type-ahead), prints
a gate marker with a fresh random request id ``R`` and the command (from history), reads the
verdict ``R:a`` / ``R:d`` from the terminal with echo off, reports *ran* or *skipped* in an
acknowledgement marker, and hands ``1``/``0`` back to the shell through an arithmetic
assignment. A DEBUG trap (``extdebug``, inherited by subshells, functions and substitutions)
lets a command run only if its history entry has verdict ``1``. ``PROMPT_COMMAND``
re-asserts the trap, the shell options and the verdict table before every prompt and
reports anything that had been switched off.

The agent cannot answer its own verdict: ``R`` does not exist before the gate marker is
printed (untraced: the gate's functions run with ``set +xv``), the marker never reaches the
agent, and the terminal is drained first. The gateway forwards nothing the agent types after
a submitted line until the shell has acknowledged that line's verdict. Markers are OSC
sequences tagged with a per-session nonce and a per-prompt token (each prompt announces the
token of the markers until the next one, so no text of the agent's the shell prints before
its line runs can carry it); they are stripped before the agent sees the stream and before
it is recorded. After a skipped line the prompt removes the functions it defined (bash
defines them anyway); the gate request carries the shell's directory for the guard.
"""

from __future__ import annotations

import enum
import re
import secrets
from dataclasses import dataclass

from ..guard import pinned_env
from ..guard.flow import START, UNKNOWN
from ..guard.rules import BASH_BUILTINS

OSC_PREFIX = b"\x1b]7770;"
#: A submitted line must be followed by a marker within this time; an answered gate
#: request by its acknowledgement.
SUBMIT_TIMEOUT = 5.0
ACK_TIMEOUT = 5.0
#: The most of one typed line kept to name it in the record if it is never gated.
MAX_KEYS = 4096
#: The longest start directory the gate passes on to the guard (longer: unknown).
MAX_CWD = 4096

RCFILE = r"""
__sshgate_d0=$(builtin pwd -P 2>/dev/null)
[ -f ~/.bashrc ] && . ~/.bashrc
exec 3<&-
# no trace of the gate's own code may reach the terminal (~/.bashrc may have set these)
set +xv
__sshgate_n='{nonce}'
# the token every marker carries until the next prompt: announced by the prompt before,
# so no text the agent's line makes the shell print before it runs can carry it
__sshgate_k=
__sshgate_ln=0
__sshgate_gone=0
__sshgate_t={timeout}
__sshgate_e=
# the history number of the line PS0 is asking about (set before the gate request's
# subshell: a line whose request could not even start has it and no verdict)
__sshgate_q=
__sshgate_cc=$'{controls}'
# every builtin and program the gate calls: a function by one of these names is removed
# before each prompt; in the gate request's subshell, the few names it calls other than
# behind `builtin` (unset costs ~5000 instructions a name: 63 names were 0.3 M a line)
__sshgate_names=({names})
__sshgate_asks=({asks})
if (( BASH_VERSINFO[0] > 5 || BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] >= 1 )); then
  __sshgate_sr=1
else
  __sshgate_sr=0
fi
HISTCONTROL=; HISTIGNORE=; HISTSIZE=10000; HISTTIMEFORMAT=
# bash acts on these with no command the gate sees: hostname completion (M-@) prints every
# word of HOSTFILE's file; FUNCNEST caps the gate's own nested functions (1 silenced the gate)
HOSTFILE=/dev/null; FUNCNEST=
# no pager or editor an allowed line opens may run what the agent types next
# (guard/pinned_env.py; after ~/.bashrc, and the guard holds any line that changes them)
export {pinned}
set -T -o history
shopt -s extdebug cmdhist promptvars
shopt -u nocasematch
declare -ga __sshgate_v=()
__sshgate_purge() {{
  # in POSIX mode the special builtin unset comes before functions: every function that
  # shadows what the gate calls is removed ($1 ask: what the gate request calls; the names
  # are not passed as arguments: with extdebug, bash copies each into BASH_ARGV). One it
  # cannot remove is read-only: nothing the gate calls can be trusted any more, not even to
  # say so (exit is special too). No 2>/dev/null: unset prints nothing unless it fails, and
  # the redirection cost a file open.
  POSIXLY_CORRECT=y
  if [[ ${{1-}} == ask ]]; then
    unset -f "${{__sshgate_asks[@]}}" || exit 77
  else
    unset -f "${{__sshgate_names[@]}}" || exit 77
  fi
  unset POSIXLY_CORRECT
}}
__sshgate_unskip() {{
  # bash defines a function even when the gate stopped every command of its line. With
  # extdebug, `declare -F NAME` says where NAME was defined: typed (main) after the line
  # of the last prompt = by the skipped line, whatever its name or spelling: removed.
  # (Forks, but only after a skipped line.) Anything unexpected: the gate is broken.
  local -a names where || return 1
  local i n rest l || return 1
  builtin mapfile -t names < <(builtin compgen -A function)
  ((${{#names[@]}})) || return 0
  builtin mapfile -t where < <(builtin declare -F -- "${{names[@]}}")
  ((${{#names[@]}} == ${{#where[@]}})) || return 1
  for i in "${{!names[@]}}"; do
    n=${{names[i]}}; rest=${{where[i]}}
    [[ $rest == "$n "* ]] || return 1
    rest=${{rest#"$n "}}; l=${{rest%% *}}
    [[ -n $l && $l != *[!0-9]* ]] || return 1
    [[ ${{rest#* }} == main ]] && ((10#$l > __sshgate_ln)) || continue
    builtin unset -f -- "$n" || return 1
    ((__sshgate_gone++))
  done
}}
__sshgate_prompt() {{
  # a name the agent made read-only cannot be local: its value would be the agent's (the
  # report, the next token): the gate says so and the gateway ends the session
  local s=$? off= k x || {{
    builtin printf '\033]7770;%s;prompt;%s;1;locals;;0\007' "$__sshgate_n" "$__sshgate_k" \
      >/dev/tty
    return 1
  }}
  # $1: the status the trap saw (a number); a pattern, not =~: regcomp cost 160 k instructions
  [[ -n ${{1-}} && -z ${{1//[0-9]/}} ]] && s=$1
  # an option that shows the gate's code on the terminal (R, the line): the guard holds
  # every spelling it knows, one it does not ends the session
  [[ $- != *[xv]* ]] || {{ builtin set +xv; off+=xtrace,; }}
  __sshgate_purge
  for x in "${{__sshgate_v[@]}}"; do
    [[ $x == 1 ]] || {{ __sshgate_unskip || off+=functions,; break; }}
  done
  # PS0 began to ask about a line and no verdict came back, or the request could not be
  # made (no descriptor or process left: a limit): the line was dropped unrecorded
  [[ -z ${{__sshgate_q-}} || ${{__sshgate_v[__sshgate_q]-2}} != 2 ]] || off+=ask,
  # the gate re-asserts itself before every prompt, and says what had been switched off;
  # one test when nothing was (the trap runs before each command here, ~40 us a call)
  [[ $-/$SHELLOPTS/$BASHOPTS/${{__sshgate_seen-}} == \
     *T*/*history*/*cmdhist*extdebug*promptvars*/1 && :$BASHOPTS: != *:nocasematch:* ]] || {{
    [[ $- == *T* ]] || off+=functrace,
    [[ :$SHELLOPTS: == *:history:* ]] || off+=history,
    [[ :$BASHOPTS: == *:extdebug:* ]] || off+=extdebug,
    [[ :$BASHOPTS: == *:cmdhist:* ]] || off+=cmdhist,
    [[ :$BASHOPTS: == *:promptvars:* ]] || off+=promptvars,
    [[ ${{__sshgate_seen-}} == 1 ]] || off+=trap,
    builtin set -T -o history
    builtin shopt -s extdebug cmdhist promptvars
    builtin shopt -u nocasematch
  }}
  builtin trap '\__sshgate_gate "$?"' DEBUG
  builtin unset -n __sshgate_v __sshgate_seen
  builtin declare -ga __sshgate_v; __sshgate_v=()
  [[ ${{__sshgate_v@a}} == a && ${{#__sshgate_v[@]}} == 0 ]] || off+=verdicts,
  if [[ $__sshgate_sr == 1 ]]; then
    builtin printf -v k '%08x%08x' "$SRANDOM" "$SRANDOM"
  else
    k=$(command od -An -N8 -tx1 /dev/urandom); k=${{k//[!0-9a-f]/}}
  fi
  # a prompt that cannot say so (no descriptor left for /dev/tty: ulimit -n) would leave
  # the gateway forwarding lines nobody gates: said on stdout (no new descriptor), then the
  # shell ends itself (SIGKILL needs neither a descriptor nor a fork)
  builtin printf '\033]7770;%s;prompt;%s;%s;%s;%s;%s\007' "$__sshgate_n" "$__sshgate_k" "$s" \
    "${{off%,}}" "$k" "$__sshgate_gone" >/dev/tty || {{
    builtin printf '\033]7770;%s;prompt;%s;1;tty;;0\007' "$__sshgate_n" "$__sshgate_k"
    builtin kill -s KILL "$$"
  }}
  # the top-level line number (interactive input) of this prompt: a function typed later
  # has a larger one (__sshgate_unskip)
  __sshgate_k=$k __sshgate_gone=0 __sshgate_ln=${{BASH_LINENO[-1]}} __sshgate_q=
  return $s
}}
__sshgate_ask() {{
  # first: no trace of R or of the line may reach the terminal
  builtin set +xv
  __sshgate_purge ask
  # a subshell of its own: nothing here needs the trap (which costs a function call per
  # command), and no ERR trap of the agent's may run here
  builtin trap - DEBUG ERR
  # (a read-only name would keep the agent's value: the outcome, R, the verdict read)
  local r v o=skipped c x n=0 end p w d= || {{
    builtin printf '\033]7770;%s;prompt;%s;1;locals;;0\007' "$__sshgate_n" "$__sshgate_k" \
      >/dev/tty
    builtin echo 0
    return
  }}
  # the terminal, opened once (a redirection costs a command ~10 system calls); stdout
  # stays PS0's command substitution, which takes the verdict to the shell. `exec`, not
  # `builtin exec`, whose redirections would be undone (no function is named exec: purged)
  # (2: no request could be made, which the prompt reports; never a silent refusal)
  exec 0</dev/tty 2>/dev/tty || {{ builtin echo 2; return; }}
  if [[ $__sshgate_sr == 1 ]]; then
    builtin printf -v r '%08x%08x' "$SRANDOM" "$SRANDOM"
  else
    r=$(command od -An -N8 -tx1 /dev/urandom); r=${{r//[!0-9a-f]/}}
  fi
  # type-ahead must never be read as the verdict: discard what the terminal holds
  # (whole lines; a partial one is discarded below, before the verdict)
  while builtin read -t 0; do IFS= builtin read -r -s -N 65536 -t 0.001 v; done
  # the command as history holds it; control characters (they would end the marker or be
  # changed by the terminal) and % are sent as %XX. Builtins only: each fork costs 1-2 ms
  # (HISTTIMEFORMAT is read-only and empty; if ~/.bashrc pinned it first, the text would
  # start with the agent's choice of timestamp: no text then, and the gateway holds it).
  # No fork for the capture either: `history 1` goes into a pipe of this subshell's own (a
  # here-string's, opened for writing too through /proc) and is read back. A pipe holds
  # 64 KiB: a longer entry blocks here, no gate request comes and the gateway ends the
  # session. Without such a pipe, a command substitution (one fork more). Once the entry
  # is in, the pipe's last writer is closed: read -N then takes it in one system call up to
  # the end of file (with a delimiter it reads a pipe byte by byte).
  v=
  if [[ -z $HISTTIMEFORMAT ]]; then
    if {{ builtin exec {{p}}<<<'' {{w}}<>"/proc/self/fd/$p"; }} 2>/dev/null &&
       [[ -p /proc/self/fd/$w ]]; then
      builtin history 1 >&"$w"; exec {{w}}>&-
      IFS= builtin read -r -N 65536 -u "$p" v
      v=${{v#$'\n'}}; v=${{v%$'\n'}}
    else
      v=$(builtin history 1)
    fi
  fi
  # the directory the line starts in (the guard resolves its relative paths there), as
  # the kernel has it (this subshell's cd changes nothing of the shell's): . for the
  # login's start directory, relative below it, else absolute; ? when odd or unknown
  builtin cd -P . 2>/dev/null && d=$PWD
  if [[ -z $d || -z $__sshgate_d0 || $d == *["$__sshgate_cc"%\;]* ]]; then d=?
  elif [[ $d == "$__sshgate_d0" ]]; then d=.
  elif [[ $__sshgate_d0 != / && $d == "$__sshgate_d0"/* ]]; then d=${{d#"$__sshgate_d0"/}}
  fi
  if [[ $v == *["$__sshgate_cc"%]* ]]; then  # (listed: [:cntrl:] depends on the locale)
    v=${{v//'%'/%25}}
    for x in 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 \
             1a 1b 1c 1d 1e 1f 7f; do
      builtin printf -v c "\\x$x"; v=${{v//"$c"/%$x}}
    done
  fi
  # the marker is read's prompt: printed once echo is off, so the verdict is never echoed.
  # The verdict is a line (one read, where 18 characters took 18 reads and 18 selects);
  # what precedes it on its line or comes as lines before it was in the terminal before R
  # existed (a partial line the drain left, bytes in flight): it is not the verdict.
  v=$'\033]7770;'"$__sshgate_n;gate;$__sshgate_k;$r;$d;$v"$'\007'
  IFS= builtin read -r -s -t "$__sshgate_t" -p "$v" v
  end=$((SECONDS + __sshgate_t))
  while [[ ${{v: -18}} != "$r:a" && ${{v: -18}} != "$r:d" ]] && ((n++ < 64 && SECONDS < end))
  do v=; IFS= builtin read -r -s -t 1 v
  done
  [[ ${{v: -18}} == "$r:a" ]] && o=ran
  builtin printf '\033]7770;%s;ack;%s;%s;%s\007' "$__sshgate_n" "$__sshgate_k" "$r" "$o" >&2
  [[ $o == ran ]] && builtin echo 1 || builtin echo 0
}}
__sshgate_gate() {{
  # keywords only (a function may shadow any builtin here); FUNCNAME, BASH_COMMAND, HISTCMD
  # and our functions are read-only; the status of the last [[ ]] is the decision. $1 is $?
  # of the command before (the agent's line's status, for the prompt marker).
  [[ :$BASHOPTS: != *:nocasematch:* ]] && {{
    # the gate's own commands (when one of its functions runs outside the trap)
    [[ ${{FUNCNAME[1]-}} == __sshgate_prompt || ${{FUNCNAME[1]-}} == __sshgate_purge ||
       ${{FUNCNAME[1]-}} == __sshgate_ask || ${{FUNCNAME[1]-}} == __sshgate_unskip ]] || {{
      if [[ $BASH_COMMAND == '\__sshgate_prompt' ]]; then
        # The gate's two functions run here, inside the trap: bash runs no DEBUG trap while
        # one runs, so not before each of their commands (~40 us a call, ~20 a line). The
        # command is then skipped: it has run. Without the trap, they run as commands.
        __sshgate_seen=1
        \__sshgate_prompt "$1"
        [[ ran == skip ]]
      elif [[ $BASH_COMMAND == '\__sshgate_ask' ]]; then
        \__sshgate_ask
        [[ ran == skip ]]
      elif [[ ${{__sshgate_v@a}} == a && ${{__sshgate_v[HISTCMD]-}} == 1 ]]; then
        [[ ran == ran ]]
      else
        # PS0 asked about this line and no verdict came back: the gate request could not
        # run (no descriptor or process left: a limit). Skipped, and said, and the shell
        # ends: the gateway must not go on forwarding lines that leave no record.
        [[ ${{__sshgate_q-}} == "$HISTCMD" && ${{__sshgate_v[HISTCMD]-2}} == 2 ]] && {{
          builtin printf '\033]7770;%s;prompt;%s;1;ask;;0\007' "$__sshgate_n" "$__sshgate_k"
          builtin kill -s KILL "$$"
        }}
        [[ ran == skip ]]
      fi
    }}
  }}
}}
PS0='${{__sshgate_e:0:(__sshgate_q=HISTCMD-1)*0}}${{__sshgate_e:0:(__sshgate_v[HISTCMD-1]=$(\__sshgate_ask))*0}}'
PS2='\[\033]7770;{nonce};ps2;${{__sshgate_k}}\007\]'"$PS2"
PROMPT_COMMAND='\__sshgate_prompt'
declare -r PROMPT_COMMAND PS0 PS2 __sshgate_n __sshgate_t __sshgate_e __sshgate_sr __sshgate_cc
declare -r __sshgate_d0 LINENO
declare -r __sshgate_names __sshgate_asks HISTCONTROL HISTIGNORE HISTSIZE HISTTIMEFORMAT
declare -r HOSTFILE FUNCNEST
declare -r SRANDOM FUNCNAME BASH_COMMAND
declare -r HISTCMD SECONDS
readonly -f __sshgate_purge __sshgate_unskip __sshgate_prompt __sshgate_ask __sshgate_gate
trap '\__sshgate_gate "$?"' DEBUG
"""


#: what the gate request (``__sshgate_ask``) runs other than behind ``builtin``, its own
#: functions and keywords: a function by one of these names is removed first (the prompt
#: removes one by any name in BASH_BUILTINS). ``unset`` and ``exit`` run in POSIX mode, where
#: special builtins come before functions. tests/gateway/test_shell_tracker.py checks it.
ASK_CALLS = ("builtin", "command", "exec", "local", "return")

#: every byte the shell sends as %XX besides %, as bash's $'...' octal escapes
_CONTROLS = "".join(f"\\{c:03o}" for c in [*range(1, 0x20), 0x7f])


def new_nonce() -> str:
    return secrets.token_hex(12)


def bootstrap_command(nonce: str, verdict_timeout: float = 330.0) -> str:
    """The exec request that starts the gated shell (POSIX sh syntax, so any login shell
    can run it; bash itself must be installed). ``verdict_timeout``: how long the shell waits
    for a verdict before it skips the command on its own."""
    rc = RCFILE.format(nonce=nonce, timeout=max(1, int(verdict_timeout)), controls=_CONTROLS,
                       names=" ".join(f"'{n}'" for n in sorted(BASH_BUILTINS)),
                       asks=" ".join(ASK_CALLS),
                       pinned=pinned_env.assignments())
    return (f"exec bash --noprofile --rcfile /dev/fd/3 -i 3<<'SSHGATE_RC_{nonce}'\n"
            f"{rc}\nSSHGATE_RC_{nonce}\n")


def verdict(request: str, allow: bool) -> bytes:
    """What the gateway types into the shell's terminal to answer gate request ``request``:
    one line, which the shell reads in one system call."""
    return f"{request}:{'a' if allow else 'd'}\n".encode()


# -- events (what the gate reports to the session) ----------------------------------------------

@dataclass(frozen=True, slots=True)
class Output:
    """Terminal output for the agent (markers removed)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Forward:
    """Agent bytes the gate held and now releases to the shell."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Prompt:
    status: int
    #: functions a skipped line had defined, which the shell removed
    removed: int = 0


@dataclass(frozen=True, slots=True)
class Continuation:
    """The shell wants more of the command (PS2)."""


@dataclass(frozen=True, slots=True)
class Gate:
    """The shell is about to run ``line`` and waits for the verdict on ``request``.
    ``cwd``: the directory the line starts in, for the guard (flow.START: the login's start
    directory; flow.UNKNOWN: the shell could not say)."""

    request: str
    line: str
    cwd: str = START


@dataclass(frozen=True, slots=True)
class Ack:
    """The shell's own report: it ran (or skipped) the command of ``request``."""

    request: str
    line: str
    allowed: bool
    ran: bool


@dataclass(frozen=True, slots=True)
class Ungated:
    """The gate can no longer be trusted (``why``); ``line`` is what the agent last typed.
    The session must end. ``pending``: a gate request was open (verdict typed or not), so its
    line may have run: nobody can say it did not."""

    why: str
    line: str
    pending: bool = False


Event = Output | Forward | Prompt | Continuation | Gate | Ack | Ungated

_MARKER = re.compile(rb"\x1b\]7770;([0-9a-f]+);(prompt|ps2|gate|ack);([^\x07\x1b]*)\x07")
_REQUEST = re.compile(r"[0-9a-f]{16}")
#: ``history``'s "%5d%c %s": the number, ``*`` if the entry was edited, a space
_HISTORY_ENTRY = re.compile(rb" *\d+[* ] ")
_ESCAPE = re.compile(rb"%([0-9a-f]{2})")
_RAW_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
#: what a gate request whose command cannot be read is classified as (the guard holds it)
UNREADABLE = "\x00unreadable gate request"


@dataclass(frozen=True, slots=True)
class _Marker:
    kind: str
    arg: str


class ShellTracker:
    """Bytes from the target's terminal in, output and markers out. Feed chunks as they
    arrive; a marker split across chunks is held until it is complete."""

    def __init__(self, nonce: str):
        self.nonce = nonce.encode()
        self._buf = b""

    def feed(self, data: bytes) -> list[Output | _Marker]:
        buf = self._buf + data
        self._buf = b""
        events: list[Output | _Marker] = []
        pos = 0
        while True:
            start = buf.find(OSC_PREFIX, pos)
            if start < 0:
                keep = _partial_prefix(buf, pos)  # a possible partial prefix at the very end
                _emit(events, buf[pos:keep])
                self._buf = buf[keep:]
                break
            end = buf.find(b"\x07", start)
            if end < 0:
                if len(buf) - start > 65536:  # not a real marker: pass it on
                    _emit(events, buf[pos:])
                    break
                _emit(events, buf[pos:start])
                self._buf = buf[start:]
                break
            m = _MARKER.fullmatch(buf, start, end + 1)
            if m is None or m.group(1) != self.nonce:
                # a program printed something marker-like: it is output, nothing more
                _emit(events, buf[pos:end + 1])
                pos = end + 1
                continue
            _emit(events, buf[pos:start])
            # the gate request's command is raw UTF-8 (or not): kept byte for byte
            events.append(_Marker(m.group(2).decode(),
                                  m.group(3).decode("utf-8", "surrogateescape")))
            pos = end + 1
        return events


class State(enum.Enum):
    STARTING = "starting"    # the rcfile is not in place yet: agent input is held
    RUNNING = "running"      # a program owns the terminal: bytes pass untouched
    PROMPT = "prompt"        # bash's line editor: keys pass until a line is submitted
    SUBMITTED = "submitted"  # a line went to the shell: hold input until the shell reports
    GATING = "gating"        # the shell asked: the gateway decides
    ANSWERED = "answered"    # the verdict is typed: hold input until the shell acknowledges
    CLOSED = "closed"        # the gate is broken: nothing more passes


_HOLDING = (State.STARTING, State.SUBMITTED, State.GATING, State.ANSWERED, State.CLOSED)
_SUBMIT_KEYS = b"\r\n\x0f"  # accept-line (C-m, C-j) and operate-and-get-next (C-o)
_PASTE_START, _PASTE_END = b"\x1b[200~", b"\x1b[201~"


class ShellGate:
    """The gateway's side of one gated shell: agent bytes and shell bytes in, bytes to
    forward and events out. After a submitted line no agent byte passes until the shell has
    reported a prompt, a continuation or the acknowledgement of an answered gate request.
    ``now`` is a monotonic clock reading supplied by the caller."""

    def __init__(self, nonce: str):
        self.tracker = ShellTracker(nonce)
        self.state = State.STARTING
        self.prompts = 0
        self.pending: Gate | None = None
        self.deadline: float | None = None
        self._allowed = False
        #: the token the shell's next markers must carry (announced by the last prompt); None
        #: until the first prompt
        self._token: str | None = None
        self._held = bytearray()
        self._keys = bytearray()   # what the agent typed since the last prompt
        self._quoted = False       # the previous key was C-v: the next one is literal
        self._escape = False       # the previous key was ESC (C-v after it is no quote)
        self._paste = False        # inside a bracketed paste
        self._tail = b""           # the last bytes typed, to see paste brackets split

    # -- agent side ------------------------------------------------------------------------
    def from_agent(self, data: bytes, now: float) -> bytes:
        """Bytes the agent typed; returns the part that may go to the shell now."""
        if self.state in _HOLDING:
            self._held += data
            return b""
        if self.state is State.RUNNING:
            return data
        cut = self._submission(data)
        if cut < 0:
            return data
        self.state = State.SUBMITTED
        self.deadline = now + SUBMIT_TIMEOUT
        self._held += data[cut:]
        return data[:cut]

    def submitted(self) -> str | None:
        """The line just submitted, as typed, when it is printable ASCII typed in one go from
        the prompt (no editing, quoting or continuation keys): then bash most likely reports
        the same text. A hint for work the gate request will need, never what is judged."""
        keys = self._keys
        if self.state is not State.SUBMITTED or len(keys) < 2 or keys[-1] not in b"\r\n":
            return None
        text = bytes(keys[:-1])
        if not text.isascii():
            return None
        line = text.decode()
        return line if line.isprintable() else None

    def _submission(self, data: bytes) -> int:
        """Index just after the key that submits the line in ``data`` (bash's readline with
        its default bindings), or -1."""
        for i, b in enumerate(data):
            if len(self._keys) < MAX_KEYS:
                self._keys.append(b)
            self._tail = (self._tail + bytes((b,)))[-len(_PASTE_START):]
            if self._paste:
                self._paste = self._tail != _PASTE_END
                continue
            if self._tail == _PASTE_START:
                self._paste, self._escape = True, False
                continue
            if self._quoted:
                self._quoted = False
                continue
            escaped, self._escape = self._escape, b == 0x1b
            # conservative: a submitting key submits whatever came before it (ESC ESC CR is
            # M-ESC then accept-line for readline); only C-v typed as a key of its own quotes
            # the next byte. A key that did not submit costs at most the submit timeout.
            if b in _SUBMIT_KEYS:
                return i + 1
            if b == 0x16 and not escaped:
                self._quoted = True
        return -1

    # -- shell side ------------------------------------------------------------------------
    def from_shell(self, data: bytes, now: float) -> list[Event]:
        """Bytes from the shell's terminal; returns what happened, in order."""
        events: list[Event] = []
        for item in self.tracker.feed(data):
            if isinstance(item, Output):
                events.append(item)
            elif self.state is not State.CLOSED:
                self._marker(item, now, events)
        return events

    def _marker(self, m: _Marker, now: float, events: list[Event]) -> None:
        state = self.state
        token, _, arg = m.arg.partition(";")
        if state is not State.STARTING and token != self._token:
            # a marker the shell's gate did not print now: text of the agent's (set -v, a
            # history expansion, an error message) or a replay. Nothing held passes.
            self._close(events, f"a {m.kind} marker out of sequence")
            return
        if m.kind in ("prompt", "ps2"):
            if state in (State.GATING, State.ANSWERED):
                self._close(events, f"the shell showed a prompt while gate request "
                                    f"{self.pending.request if self.pending else '?'} was open")
                return
            if m.kind == "prompt":
                status, off, following, removed = (arg.split(";") + ["", "", ""])[:4]
                if off:
                    self._close(events, f"the shell's gate had been switched off ({off})")
                    return
                if not _REQUEST.fullmatch(following):
                    self._close(events, "a prompt marker without the next token")
                    return
                self._token = following
                self.prompts += 1
                self._keys.clear()
                events.append(Prompt(int(status) if status.isdigit() else -1,
                                     int(removed) if removed.isdigit() else 0))
            elif state is State.STARTING:
                self._close(events, "a continuation before the first prompt")
                return
            else:
                events.append(Continuation())
            self._to_prompt(now, events)
        elif m.kind == "gate":
            request, _, rest = arg.partition(";")
            cwd, _, encoded = rest.partition(";")
            # a line is read only at a prompt (the shell shows one after every line it ran)
            if state not in (State.PROMPT, State.SUBMITTED):
                self._close(events, "a gate request the gateway did not expect")
                return
            if not _REQUEST.fullmatch(request):
                self._close(events, "a malformed gate request")
                return
            self.pending = Gate(request, _history_line(encoded), _start_dir(cwd))
            self.state, self.deadline = State.GATING, None
            events.append(self.pending)
        else:  # ack
            request, _, outcome = arg.partition(";")
            gate = self.pending
            if state is not State.ANSWERED or gate is None or request != gate.request \
                    or outcome not in ("ran", "skipped"):
                self._close(events, "an acknowledgement for no open gate request")
                return
            ran = outcome == "ran"
            events.append(Ack(gate.request, gate.line, self._allowed, ran))
            self.pending = None
            if ran and not self._allowed:
                self._close(events, f"the shell ran a command the gateway refused "
                                    f"({gate.line!r})")
                return
            self.state, self.deadline = State.RUNNING, None
            self._release(now, events)

    def answer(self, request: str, allow: bool, now: float) -> bytes:
        """The verdict to type into the shell for the open request (b"" if it is gone)."""
        if self.state is not State.GATING or self.pending is None \
                or self.pending.request != request:
            return b""
        self.state, self._allowed = State.ANSWERED, allow
        self.deadline = now + ACK_TIMEOUT
        return verdict(request, allow)

    def overdue(self, now: float) -> Ungated | None:
        """The shell did not report in time after a submitted line or a verdict."""
        if self.deadline is None or now < self.deadline or self.state is State.CLOSED:
            return None
        why = ("no gate marker for a submitted line" if self.state is State.SUBMITTED
               else "no acknowledgement of the verdict")
        events: list[Event] = []
        self._close(events, why)
        ev = events[0]
        assert isinstance(ev, Ungated)
        return ev

    def ended(self) -> Ungated | None:
        """The shell's output ended. A line submitted and never gated, or a gate request
        still open, must not end unrecorded (a limit can make the gate fail before it can
        say so, and the shell then ends itself: a line nobody can say did not run)."""
        if self.state not in (State.SUBMITTED, State.GATING, State.ANSWERED):
            return None
        events: list[Event] = []
        self._close(events, "the shell ended with a submitted line never gated"
                    if self.state is State.SUBMITTED else
                    "the shell ended with a gate request open")
        ev = events[0]
        assert isinstance(ev, Ungated)
        return ev

    def started_ungated(self) -> bytes:
        """The shell could not be gated and is relayed as is: everything held, released."""
        self.state = State.RUNNING
        held, self._held = bytes(self._held), bytearray()
        return held

    # -- internals -------------------------------------------------------------------------
    def _to_prompt(self, now: float, events: list[Event]) -> None:
        self.state, self.deadline = State.PROMPT, None
        self._quoted = self._escape = self._paste = False
        self._tail = b""
        self._release(now, events)

    def _release(self, now: float, events: list[Event]) -> None:
        if not self._held:
            return
        held, self._held = bytes(self._held), bytearray()
        out = self.from_agent(held, now)
        if out:
            events.append(Forward(out))

    def _close(self, events: list[Event], why: str) -> None:
        line = self.pending.line if self.pending else \
            bytes(self._keys).decode("utf-8", "replace")
        pending = self.pending is not None
        self.state, self.deadline, self.pending = State.CLOSED, None, None
        self._held.clear()
        events.append(Ungated(why, line, pending))


def _history_line(encoded: str) -> str:
    """The command from ``history 1`` output (``%XX`` escapes undone), number removed; a
    text that is not a history entry is unreadable (the guard holds it)."""
    data = encoded.encode("utf-8", "surrogateescape")
    if b"%" in _ESCAPE.sub(b"", data) or _RAW_CONTROL.search(data):
        return UNREADABLE  # the shell escapes every % and control character
    raw = _ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), data)
    m = _HISTORY_ENTRY.match(raw)
    if m is None:
        return UNREADABLE
    return raw[m.end():].decode("utf-8", "replace")


def _start_dir(reported: str) -> str:
    """The guard's start directory from the shell's report (agent-chosen text: data only):
    ``.`` is the login's start directory, a relative path lies below it, an absolute path is
    itself; anything else is unknown (the guard holds what it cannot place)."""
    if reported == ".":
        return START
    if reported == "/":
        return "/"
    if reported in ("", "?") or len(reported) > MAX_CWD or _RAW_CONTROL.search(reported.encode(
            "utf-8", "surrogateescape")) or reported.startswith(("~", "$")):
        return UNKNOWN
    parts = reported.split("/")
    if any(p in ("..", ".") for p in parts) or "" in parts[1:]:
        return UNKNOWN
    if reported.startswith("/") or "" not in parts:
        return reported
    return UNKNOWN


def _emit(events: list, data: bytes) -> None:
    if not data:
        return
    if events and isinstance(events[-1], Output):
        events[-1] = Output(events[-1].data + data)
    else:
        events.append(Output(data))


def _partial_prefix(buf: bytes, pos: int) -> int:
    """Index where a possible incomplete ``OSC_PREFIX`` starts at the end of ``buf``."""
    for k in range(min(len(OSC_PREFIX) - 1, len(buf) - pos), 0, -1):
        if buf.endswith(OSC_PREFIX[:k]):
            return len(buf) - k
    return len(buf)
