"""Everyday SRE lines the rest of the catalogue left held: the read and status forms of
firewall-set, wireless, web-server, resolver and cron-directory tools (ops, wave 2).
Known-safe shapes (tools/__init__.py).

Every shape names its options (long options matched in full). Left out everywhere: the verbs
and options that change the host (ipset's add/del/flush/restore, iw's set/connect/scan,
run-parts without --test, httpd -k), a file the tool reads as commands, directives or its
configuration unless it is the system's own under /etc (a configuration may load a module or
include a file its checker quotes back), output to a file, and anything whose words the guard
cannot see (computed operands). Not here: lastb (docs/guard-least-privilege.md: mistyped
passwords as user names), parted (its -l/print forms answer Fix/Ignore questions from a stdin
the guard does not see behind sudo).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words
from .sysadmin import _config_in

NONE = opts("")
_ASKED = Shape(max_operands=0, allow=NONE)

# --- value kinds (merged into safe.KINDS) -----------------------------------------------------
KINDS: dict[str, Callable[[str], str | None]] = {
    # caddy validate --config: the system's Caddyfile or JSON under /etc/caddy (a configuration
    # the agent wrote elsewhere could ``import`` a secret the adapter quotes in its error)
    "caddyconf": _config_in("caddy", ("/etc/caddy",)),
    # the adapters built into caddy (never a plugin's name)
    "caddyadapter": lambda v: None if v in ("caddyfile", "json") else
    f"caddy adapter {v!r} is not a built-in one",
}

# --- checks -------------------------------------------------------------------------------------
#: a user, tty, set or interface name: never a path, an option or an expansion
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,63}")


def _has(pairs: Pairs, *names: str) -> bool:
    return any(k in names for k, _ in pairs or ())


def _names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _NAME.fullmatch(o)]
    return f"{bad[0]!r} is not a plain name" if bad else None


#: ``iw dev IF ...``: what the interface is, its link, its stations and channels
_IW_DEV_READ = frozenset({("info",), ("link",), ("station", "dump"), ("survey", "dump"),
                          ("get", "power_save"), ("mpath", "dump"), ("get", "mesh_param")})


def _iw_dev(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``iw dev`` lists interfaces; ``iw dev IF info|link|station dump``; never set/connect/
    disconnect/scan/del/interface add (change the radio or the network)."""
    if not ops or (_NAME.fullmatch(ops[0]) and tuple(ops[1:]) in _IW_DEV_READ):
        return None
    return f"iw dev {' '.join(ops)!r} is not a listing of an interface"


def _iw_phy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or (len(ops) == 2 and _NAME.fullmatch(ops[0]) and ops[1] == "info"):
        return None
    return f"iw phy {' '.join(ops)!r} is not a listing of a radio"


def _run_parts(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # without --test/--list run-parts runs every script of the directory
    if not _has(pairs, "--test", "--list"):
        return "run-parts without --test or --list runs the scripts"
    return None if len(ops) == 1 else "run-parts takes one directory"


def _caddy_validate(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # without --config caddy reads ./Caddyfile: a file of the working directory the agent
    # may have written (an ``import`` of a secret is quoted back in the adapter's error)
    return None if _has(pairs, "--config") else "caddy validate without --config /etc/caddy/..."


CHECKS: dict[str, Check] = {
    "ops2-names": _names, "ops2-iw-dev": _iw_dev,
    "ops2-iw-phy": _iw_phy, "ops2-run-parts": _run_parts,
    "ops2-caddy-validate": _caddy_validate,
}

# --- entries ------------------------------------------------------------------------------------
#: users: who is logged in; never an operand (another file read as login records)
USERS = Shape(max_operands=0, allow=NONE)
#: httpd: the configuration tests, as apachectl's (never -f/-C/-c/-d, -k, -X); -D's value is
#: the next word
HTTPD = Shape(check="apachectl", values=("-D",), max_operands=0)
#: ipset: the sets and their members (as iptables -L); never -file (reads or writes a file),
#: add/del/create/destroy/flush/rename/swap/restore
_IPSET_OUT = "-o|-output:word -n|-name -t|-terse -s|-sorted -r|-resolve -q|-quiet"
IPSET = Tool(allow=NONE, sub={
    **dict.fromkeys(("list", "-L", "save", "-S"), Shape(
        check="ops2-names", max_operands=1, allow=opts(_IPSET_OUT, "go"))),
    **dict.fromkeys(("version", "-v", "-V"), _ASKED)})
#: iw: interfaces, radios and the regulatory domain; never set/connect/scan/reg set/event
IW = Tool(allow=NONE, sub={
    "dev": Shape(check="ops2-iw-dev", allow=NONE),
    "phy": Shape(check="ops2-iw-phy", allow=NONE),
    "list": _ASKED, "--version": _ASKED,
    "reg": Tool(allow=NONE, sub={"get": _ASKED})})
#: systemd-resolve: resolvectl's older name (safe.py lists resolvectl): the resolver's state and
#: look-ups; never --set-*/--revert/--flush-caches/--reset-*
SYSTEMD_RESOLVE = Shape(check="ops2-names", allow=opts(
    "--status --statistics --no-pager -t|--type:word -c|--class:word -4 -6 "
    "-i|--interface:word -p|--protocol:word --legend:word --cache:word --search:word",
    abbrev=False))
#: run-parts --test/--list: the names of the scripts a cron directory would run
RUN_PARTS = Shape(check="ops2-run-parts", allow=opts(
    "--test --list -v|--verbose --report --regex:any --lsbsysinit", abbrev=False))
#: caddy: its version, modules, and a check of the system's configuration; never run/start/
#: stop/reload (the server), adapt (prints the configuration, tokens included), fmt
#: --overwrite, environ (the environment), --envfile (a file read into the environment)
CADDY = Tool(allow=NONE, sub={
    "version": _ASKED, "build-info": _ASKED,
    "list-modules": Shape(max_operands=0, allow=opts(
        "--packages --versions -s|--skip-standard", abbrev=False)),
    "validate": Shape(check="ops2-caddy-validate", max_operands=0, allow=opts(
        "--config|-c:caddyconf --adapter|-a:caddyadapter", abbrev=False))})

ENTRIES: dict[str, Entry] = {
    "users": USERS, "httpd": HTTPD, "ipset": IPSET, "iw": IW,
    "systemd-resolve": SYSTEMD_RESOLVE, "run-parts": RUN_PARTS,
    "caddy": CADDY,
}

# --- subcommands of safe.py's tools -------------------------------------------------------------
#: systemctl: the default target, the manager's overall state, containers, path and automount
#: units (they print state; -H/-M/--user stay out as for safe.py's verbs)
_SYSTEMCTL_LIST = Shape(check="ops2-names", allow=opts(
    "--no-pager --no-legend -q|--quiet -a|--all --plain -l|--full --state:any -o|--output:word",
    abbrev=False))
SUBCOMMANDS: dict[str, dict[str, Entry]] = {
    "systemctl": {"get-default": _ASKED, "is-system-running": Shape(
        max_operands=0, allow=opts("-q|--quiet --wait", abbrev=False)),
        "list-machines": _SYSTEMCTL_LIST, "list-paths": _SYSTEMCTL_LIST,
        "list-automounts": _SYSTEMCTL_LIST},
    # apt-cache's package records and cache statistics (never -o: APT settings run hooks)
    "apt-cache": {n: Shape(check="ops2-names", allow=opts("-q|--quiet", abbrev=False))
                  for n in ("showpkg", "stats", "showsrc", "pkgnames")},
    # certbot's version (its certificates are safe.py's)
    "certbot": {"--version": _ASKED},
}
