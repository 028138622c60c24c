"""A service's pid file read into a command line (``kill -HUP $(cat /run/nginx.pid)``). Pure.

The substitution is computed, but its value is what the service wrote: a pid file under /run
is written by root or the service itself, never by an ordinary command (writes go only to
the working tree and scratch). So the word is a service's process id, as a literal pid
would be, unless the session wrote that file (flow.py asks the write memory) or the file
sits where anyone may write (``/run/user``, ``/run/lock``, ``/run/shm``).
"""

from __future__ import annotations

import re

_NAME = r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}"
_PATH = rf"(/(?:var/)?run/(?:{_NAME}/)?{_NAME}\.pid)"
#: ``$(cat P)``, ``$(< P)`` and ```cat P``` (quote removal has run: quoted forms look the same)
_SUB = re.compile(rf"\$\(\s{{0,8}}(?:cat\s{{1,8}}|<\s{{0,8}}){_PATH}\s{{0,8}}\)|"
                  rf"`\s{{0,8}}cat\s{{1,8}}{_PATH}\s{{0,8}}`")
#: directories of /run every user may write (or their own: the agent's)
_OPEN = frozenset({"user", "lock", "shm"})


def pidfile(word: str) -> str | None:
    """The /run pid file whose content ``word`` substitutes, or None."""
    m = _SUB.fullmatch(word) if len(word) < 200 else None
    if m is None:
        return None
    path = m.group(1) or m.group(2)
    parts = path.split("/")
    inner = parts[3:-1] if parts[1] == "var" else parts[2:-1]
    return None if any(p in _OPEN or ".." in p for p in inner) else path
