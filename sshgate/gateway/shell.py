"""Interactive shells: the bash bootstrap that asks the gateway before each command line, and
a sans-io tracker that finds its markers in the terminal stream. No I/O, no asyncio.

The upstream shell is ``bash -i`` with a gateway-supplied rcfile (sent inside the exec
request as a here-document, never written to the target's disk). The rcfile installs a DEBUG
trap (with ``extdebug``) that runs before every simple command; for the first one of each
command line it prints a marker carrying the whole line (from history) and reads the
gateway's verdict from the terminal, with echo off. ``deny`` makes the trap return 1, which
skips the command and every other command of that line. ``PROMPT_COMMAND`` prints a prompt
marker with the last exit status. Markers are OSC sequences tagged with a per-session random
nonce, so output of programs cannot forge them; they are stripped before the agent sees the
stream and before it is recorded.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass

OSC_PREFIX = b"\x1b]7770;"

RCFILE = r"""
[ -f ~/.bashrc ] && . ~/.bashrc
__sshgate_n='{nonce}'
__sshgate_armed=1
__sshgate_ok=1
__sshgate_last=
HISTCONTROL=; HISTIGNORE=; HISTSIZE=10000; set -o history
declare -r HISTCONTROL HISTIGNORE HISTSIZE
shopt -s extdebug cmdhist
__sshgate_prompt() {{
  local s=$?
  __sshgate_armed=1
  __sshgate_last=$(HISTTIMEFORMAT= builtin history 1)
  printf '\033]7770;%s;prompt;%s\007' "$__sshgate_n" "$s" > /dev/tty
  return $s
}}
__sshgate_gate() {{
  # extdebug makes functions and substitutions inherit this trap: our own code passes
  [ -n "$__sshgate_in" ] && return 0
  case "$BASH_COMMAND" in __sshgate_prompt*) return 0;; esac
  case " ${{FUNCNAME[*]:1}} " in *" __sshgate_prompt "*) return 0;; esac
  if [ "$__sshgate_armed" = 1 ]; then
    local __sshgate_in=1 line v
    line=$(HISTTIMEFORMAT= builtin history 1)
    if [ -n "$line" ] && [ "$line" != "$__sshgate_last" ]; then
      # the whole command line, as bash stored it: gate it once
      __sshgate_armed=0
      line="${{line#"${{line%%[![:space:]]*}}"}}"; line="${{line#*[0-9] }}"; line="${{line# }}"
    else
      # not in history: gate every simple command on its own
      line=$BASH_COMMAND
    fi
    builtin printf '\033]7770;%s;gate;%s\007' "$__sshgate_n" \
      "$(builtin printf '%s' "$line" | base64 | tr -d '\n')" > /dev/tty
    IFS= builtin read -r -s v < /dev/tty
    if [ "$v" = "$__sshgate_n allow" ]; then __sshgate_ok=1; else __sshgate_ok=0; fi
  fi
  [ "$__sshgate_ok" = 1 ] && return 0
  return 1
}}
PROMPT_COMMAND=__sshgate_prompt
declare -r PROMPT_COMMAND __sshgate_n
readonly -f __sshgate_prompt __sshgate_gate
trap __sshgate_gate DEBUG
"""


def new_nonce() -> str:
    return secrets.token_hex(12)


def bootstrap_command(nonce: str) -> str:
    """The exec request that starts the gated shell (POSIX sh syntax, so any login shell
    can run it; bash itself must be installed)."""
    rc = RCFILE.format(nonce=nonce)
    return (f"exec bash --noprofile --rcfile /dev/fd/3 -i 3<<'SSHGATE_RC_{nonce}'\n"
            f"{rc}\nSSHGATE_RC_{nonce}\n")


def verdict(nonce: str, allow: bool) -> bytes:
    """What the gateway types into the shell's terminal to answer a gate request."""
    return f"{nonce} {'allow' if allow else 'deny'}\r".encode()


@dataclass(frozen=True, slots=True)
class Output:
    data: bytes


@dataclass(frozen=True, slots=True)
class Prompt:
    status: int


@dataclass(frozen=True, slots=True)
class Gate:
    """The shell is about to run ``line`` and waits for a verdict."""

    line: str


Event = Output | Prompt | Gate

_MARKER = re.compile(rb"\x1b\]7770;([0-9a-f]+);(prompt|gate);([^\x07\x1b]*)\x07")


class ShellTracker:
    """Bytes from the target's terminal in, events out. Feed chunks as they arrive; a marker
    split across chunks is held until it is complete."""

    def __init__(self, nonce: str):
        self.nonce = nonce.encode()
        self._buf = b""
        self.prompts = 0

    def feed(self, data: bytes) -> list[Event]:
        buf = self._buf + data
        self._buf = b""
        events: list[Event] = []
        pos = 0
        while True:
            start = buf.find(OSC_PREFIX, pos)
            if start < 0:
                # keep a possible partial prefix at the very end
                keep = _partial_prefix(buf, pos)
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
            kind, arg = m.group(2), m.group(3)
            if kind == b"prompt":
                self.prompts += 1
                events.append(Prompt(int(arg) if arg.isdigit() else -1))
            else:
                try:
                    line = base64.b64decode(arg, validate=True).decode("utf-8", "replace")
                except ValueError:
                    line = "\x00unreadable gate request"
                events.append(Gate(line))
            pos = end + 1
        return events


def _emit(events: list[Event], data: bytes) -> None:
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
