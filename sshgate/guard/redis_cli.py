"""redis-cli (and valkey-cli, keydb-cli) as data: its options, the read-only commands and the
destructive ones. Pure; ``safe.py`` makes reads known safe, ``rules.py`` holds the destructive
commands as ``db.destructive``.

redis-cli reads its own options until the first word that is not one; every word from there
on is the command sent to the server (``redis-cli LRANGE q 0 -1``: ``-1`` is an argument).
Options match exactly (no abbreviations, no clusters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())

#: options -> kind of value ("" for a flag); never -a/--pass (a password on the command
#: line, in every process listing), -u with a password in it, --askpass (reads stdin), -x
#: (last argument from stdin), --eval (a Lua script), --pipe (commands from stdin), --rdb /
#: --functions-rdb (dumps the data set), --replica (streams every write), --cluster (cluster
#: management), --lru-test (writes keys), --tls key material (reads files), -r (repeats)
OPTIONS: dict[str, str] = {
    "-h": "host", "-p": "num", "-n": "num", "-s": "any", "--user": "word", "-u": "uri",
    "-c": "", "--raw": "", "--no-raw": "", "--no-auth-warning": "", "--csv": "", "--json": "",
    "--quoted-json": "", "-e": "", "-2": "", "-3": "", "--resp2": "", "--resp3": "",
    "--scan": "", "--pattern": "any", "--count": "num", "--quoted-pattern": "any",
    "--bigkeys": "", "--memkeys": "", "--memkeys-samples": "num", "--keystats": "",
    "--keystats-samples": "num", "--hotkeys": "", "--stat": "", "--latency": "",
    "--latency-history": "", "--latency-dist": "", "--intrinsic-latency": "num",
    "-i": "interval",
    "--verbose": "", "-d": "any", "-D": "any", "--quoted-input": "", "--show-pushes": "word",
    "--tls": "", "--insecure": "", "--sni": "host", "-t": "num", "--version": "", "-v": "",
    "--help": "",
}
#: options that make redis-cli do something other than read stdin when no command is given
MODES = frozenset({"--scan", "--bigkeys", "--memkeys", "--keystats", "--hotkeys", "--stat",
                   "--latency", "--latency-history", "--latency-dist", "--intrinsic-latency",
                   "--version", "-v", "--help"})

#: read-only commands -> None (any arguments) or the subcommands that only read.
#: Not KEYS (blocks the server for the length of the key space: SCAN is the read), MONITOR
#: (every client's commands), CONFIG GET of a glob or a secret (``_config_get``), ACL,
#: CLIENT LIST.
READ: dict[str, frozenset[str] | None] = {
    **dict.fromkeys(_names("""
PING ECHO TIME DBSIZE INFO LASTSAVE ROLE RANDOMKEY TYPE TTL PTTL EXPIRETIME PEXPIRETIME EXISTS
GET MGET STRLEN GETRANGE SUBSTR GETBIT BITCOUNT BITPOS LCS DUMP
HGET HMGET HGETALL HKEYS HVALS HLEN HEXISTS HSTRLEN HSCAN HRANDFIELD
LRANGE LLEN LINDEX LPOS SMEMBERS SCARD SISMEMBER SMISMEMBER SRANDMEMBER SSCAN SINTER
SINTERCARD SUNION SDIFF ZRANGE ZRANGEBYSCORE ZRANGEBYLEX ZREVRANGE ZREVRANGEBYSCORE
ZREVRANGEBYLEX ZCARD ZCOUNT ZLEXCOUNT ZSCORE ZMSCORE ZRANK ZREVRANK ZSCAN ZRANDMEMBER ZINTER
ZUNION ZDIFF ZINTERCARD XLEN XRANGE XREVRANGE XPENDING GEOPOS GEODIST GEOHASH GEOSEARCH
GEORADIUS_RO GEORADIUSBYMEMBER_RO SORT_RO PFCOUNT SCAN JSON.GET JSON.MGET JSON.TYPE
JSON.STRLEN JSON.ARRLEN JSON.OBJKEYS JSON.OBJLEN
"""), None),
    "OBJECT": frozenset({"ENCODING", "FREQ", "IDLETIME", "REFCOUNT", "HELP"}),
    "MEMORY": frozenset({"USAGE", "STATS", "DOCTOR", "MALLOC-STATS", "HELP"}),
    "SLOWLOG": frozenset({"GET", "LEN", "HELP"}),
    "LATENCY": frozenset({"LATEST", "HISTORY", "DOCTOR", "GRAPH", "HISTOGRAM", "HELP"}),
    "XINFO": frozenset({"STREAM", "GROUPS", "CONSUMERS", "HELP"}),
    "CLUSTER": frozenset({"INFO", "NODES", "SLOTS", "SHARDS", "MYID", "KEYSLOT",
                          "COUNTKEYSINSLOT"}),
    "COMMAND": frozenset({"COUNT", "INFO", "DOCS", "LIST", "GETKEYS"}),
    "MODULE": frozenset({"LIST"}), "FUNCTION": frozenset({"LIST", "STATS"}),
    "PUBSUB": frozenset({"CHANNELS", "NUMSUB", "NUMPAT", "SHARDCHANNELS", "SHARDNUMSUB"}),
    "SCRIPT": frozenset({"EXISTS"}),
}

#: commands (or command + subcommand) that destroy data, the server or its place in a
#: cluster: held by ``db.destructive`` whatever else the line says
DESTRUCTIVE: frozenset[str] = _names("""
FLUSHALL FLUSHDB SHUTDOWN DEBUG DEL UNLINK SWAPDB MIGRATE SLAVEOF REPLICAOF FAILOVER RESTORE
CONFIG_SET CONFIG_REWRITE CONFIG_RESETSTAT MODULE_LOAD MODULE_LOADEX MODULE_UNLOAD
SCRIPT_FLUSH FUNCTION_FLUSH FUNCTION_DELETE FUNCTION_RESTORE FUNCTION_LOAD CLUSTER_RESET
CLUSTER_FAILOVER CLUSTER_FORGET CLUSTER_DELSLOTS CLUSTER_FLUSHSLOTS ACL_SETUSER ACL_DELUSER
ACL_LOAD CLIENT_KILL GETDEL
""")


@dataclass(frozen=True, slots=True)
class Line:
    """A redis-cli command line: its options with their values, the command words."""

    options: tuple[tuple[str, str | None], ...]
    command: tuple[str, ...]


def split(args: tuple[str, ...]) -> Line | str:
    """Options up to the first non-option word, then the command; a string says which
    option is not one redis-cli takes here."""
    options: list[tuple[str, str | None]] = []
    i, n = 0, len(args)
    while i < n and args[i].startswith("-"):
        a = args[i]
        kind = OPTIONS.get(a)
        if kind is None:
            return f"redis-cli option {a} is not ordinary"
        if kind:
            if i + 1 >= n:
                return f"redis-cli option {a} without its value"
            options.append((a, args[i + 1]))
            i += 2
        else:
            options.append((a, None))
            i += 1
    return Line(tuple(options), tuple(args[i:]))


#: CONFIG GET of named parameters: a plain name each (a glob returns every parameter), none
#: that holds or names a secret (requirepass, masterauth, tls-key-file-pass, the ACL file...)
_CONFIG_NAME = re.compile(r"[a-z][a-z0-9-]*+")
_CONFIG_SECRET = re.compile(r"pass|auth|secret|key|acl|user|cert", re.I)


def _config_get(command: tuple[str, ...]) -> str | None:
    names = command[2:]
    if len(command) < 3 or command[1].upper() != "GET":
        return f"redis {' '.join(command[:2])!r} is not a listed read"
    bad = [n for n in names if not _CONFIG_NAME.fullmatch(n.lower()) or _CONFIG_SECRET.search(n)]
    return f"redis CONFIG GET {bad[0]!r}: a glob or a parameter that may hold a secret" if bad \
        else None


def read_only(command: tuple[str, ...]) -> str | None:
    """None when the command only reads; else why not."""
    name = command[0].upper()
    if name == "CONFIG":
        return _config_get(command)
    if name not in READ:
        return f"redis {command[0]!r} is not a listed read"
    subs = READ[name]
    if subs is not None and (len(command) < 2 or command[1].upper() not in subs):
        return f"redis {' '.join(command[:2])!r} is not a listed read"
    if name in _SCANS and any(
            w.upper() == "COUNT" and i + 1 < len(command) and not (
                re.fullmatch(r"[0-9]{1,6}", command[i + 1]) and
                int(command[i + 1]) <= MAX_COUNT)
            for i, w in enumerate(command)):
        # (red team s15 E8) SCAN 0 COUNT 2000000000 walks the whole key space at once, as
        # KEYS does
        return f"redis {name} with a COUNT over {MAX_COUNT}"
    if name in _RANDOM_COUNTED and len(command) > 2 and not (
            re.fullmatch(r"-?[0-9]{1,6}", command[2]) and abs(int(command[2])) <= MAX_COUNT):
        # (harmful set s15) SRANDMEMBER key -2000000000 builds a reply of two billion
        # elements on the server's one thread until it dies
        return f"redis {name} of {command[2]!r} elements: more than {MAX_COUNT}"
    return None


#: reads whose count argument makes the reply (a negative one repeats elements)
_RANDOM_COUNTED = frozenset({"SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER"})
_SCANS = frozenset({"SCAN", "HSCAN", "SSCAN", "ZSCAN"})
MAX_COUNT = 100000


def destructive(args: tuple[str, ...]) -> bool:
    """The command (after redis-cli's options, read leniently) is in ``DESTRUCTIVE``."""
    i, n = 0, len(args)
    while i < n and args[i].startswith("-"):
        kind = OPTIONS.get(args[i])
        i += 2 if (kind or args[i] in ("-a", "--pass", "--eval", "--rdb", "--functions-rdb",
                                       "--cacert", "--cert", "--key", "-r")) else 1
    rest = [w.upper() for w in args[i:]]
    if "--cluster" in args:
        # redis-cli --cluster call HOST:PORT COMMAND... runs it on every node
        after = args[args.index("--cluster") + 1:]
        rest = [w.upper() for w in after[2:]] if after[:1] == ("call",) else []
    words = rest[:2]
    return bool(words) and (words[0] in DESTRUCTIVE or "_".join(words) in DESTRUCTIVE)


__all__ = ["DESTRUCTIVE", "Line", "MODES", "OPTIONS", "READ", "destructive", "read_only",
           "split"]
