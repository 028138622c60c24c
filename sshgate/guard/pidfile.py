"""A service's pid file read into a command line (``kill -HUP $(cat /run/nginx.pid)``). Pure.

The substitution is computed, but its value is what the service wrote: a pid file directly in
/run is written by root, never by an ordinary command (a write into /run is held,
guard/classify.py). So the word is that service's process id, unless the session wrote the
file (flow.py asks the write memory). A directory below /run is often its service account's
(/run/php and /run/redis on Debian, a unit's RuntimeDirectory): what that account wrote may
say ``-1``, and ``sudo kill -HUP -1`` signals every process.

What a signal does is the program's choice: SIGHUP, SIGUSR1 and SIGUSR2 terminate any
program that installed no handler (sshd dies of USR1/USR2; puma takes HUP as INT). A signal
other than a probe is ordinary only for a service that documents it as reload or reopen, by
the pid file its master writes (:data:`SERVICES`); docs/guard-least-privilege.md.
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

#: a service, by the name of the pid file its master writes directly in /run (root-written)
#: -> the signals its documentation gives as reload, reopen-logs or binary upgrade, never a
#: stop. Pid files in directories below /run are none of these (the module's docstring).
SERVICES: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "nginx": "HUP USR1 USR2",        # nginx: "Controlling nginx"
    "sshd": "HUP",                   # sshd(8): re-exec, re-read config; USR1/USR2 kill it
    "rsyslogd": "HUP", "syslogd": "HUP", "syslog-ng": "HUP",  # close and reopen files
    "apache2": "HUP USR1", "httpd": "HUP USR1",  # httpd: restart, graceful restart
    "php-fpm": "USR1 USR2",          # php-fpm(8): reopen logs, graceful reload
    "haproxy": "USR2",               # haproxy (master-worker): reload
    "gunicorn": "HUP USR1 USR2", "unicorn": "HUP USR1 USR2",  # their "Signals" pages
    "puma": "USR1 USR2",             # puma: HUP is INT unless stdout is redirected
    "docker": "HUP",                 # dockerd: configuration reload
    "supervisord": "HUP",            # supervisord: reload
    "uwsgi": "HUP",                  # uWSGI: graceful reload
}.items()}
_NUMBERS = {"1": "HUP", "10": "USR1", "12": "USR2"}


def pidfile(word: str) -> str | None:
    """The /run pid file whose content ``word`` substitutes, or None."""
    m = _SUB.fullmatch(word) if len(word) < 200 else None
    if m is None:
        return None
    path = m.group(1) or m.group(2)
    parts = path.split("/")
    inner = parts[3:-1] if parts[1] == "var" else parts[2:-1]
    return None if any(p in _OPEN or ".." in p for p in inner) else path


def service_signals(path: str) -> frozenset[str]:
    """The reload signals (names without SIG) of the service whose pid file is ``path``
    (as :func:`pidfile` returned it); empty for a pid file of no known service."""
    rel = path.removeprefix("/var").removeprefix("/run/").removesuffix(".pid")
    return SERVICES.get(rel, frozenset())  # (a name below a directory has a slash: none)


def signal_name(sig: str) -> str:
    """``sig`` as ``kill`` spells it (``-SIGHUP``, ``-hup``, ``-1``) by its name: ``HUP``."""
    s = sig.upper().removeprefix("SIG")
    return _NUMBERS.get(s, s)
