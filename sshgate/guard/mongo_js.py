"""mongosh ``--eval`` reads, proved by a grammar rather than screened by words. Pure.

mongosh's ``--eval`` is JavaScript on Node (``require('child_process')``, ``db.x.drop()``,
``$where`` runs JavaScript on the server). Known safe is only a program every token of which
fits this grammar (anything else is not read-only):

    program  := stmt (';' stmt)* ';'?
    stmt     := PRINTER '(' read (',' value)* ')' | read
    read     := 'db' ('.getSiblingDB(' STRING ')')? ( '.' DB_READ args fields
                | '.' ('adminCommand' | 'runCommand') '(' READ_COMMAND ')' fields
                | ('.' NAME | '.getCollection(' STRING ')') ('.explain' args)?
                  '.' COLL_READ args ('.' CURSOR args)* fields )
              | 'rs' '.' RS_READ args fields | 'sh' '.' SH_READ args fields
              | 'show' SHOW
    fields   := ('.' NAME | '[' NUMBER ']')*      (fields of the report: never a call)
                (no ``system.*`` collection by getCollection: users and roles hold credentials)
    args     := '(' (value (',' value)*)? ')'
    value    := STRING | NUMBER | true | false | null | object | array
                | ObjectId|ISODate|NumberLong|NumberInt '(' STRING|NUMBER? ')'
    object   := '{' (key ':' value (',' key ':' value)*)? ','? '}'

Strings have no backslash (``"\\x24where"`` would be ``$where``); keys that run code or
write on the server (``$where``, ``$function``, ``$accumulator``, ``$out``, ``$merge``) are
refused wherever they appear. Tokenizing is one linear regex; nesting and length are bounded.
"""

from __future__ import annotations

import re

from .cred_lexicon import credential_column, credential_table

#: database methods that report (never runCommand/adminCommand: any command, dropDatabase)
DB_READ = frozenset({"getCollectionNames", "getCollectionInfos", "stats", "version", "getName",
                     "hello", "isMaster", "serverStatus", "hostInfo", "getProfilingStatus",
                     "currentOp", "getReplicationInfo", "printReplicationInfo",
                     "printSecondaryReplicationInfo", "listCommands", "printCollectionStats"})
#: collection methods that read (never insert*/update*/delete*/replace*/remove/drop*/
#: findOneAnd*/bulkWrite/createIndex/renameCollection/mapReduce: map/reduce are functions)
COLL_READ = frozenset({"find", "findOne", "countDocuments", "estimatedDocumentCount", "count",
                       "distinct", "getIndexes", "stats", "aggregate", "dataSize",
                       "totalSize", "storageSize", "totalIndexSize", "isCapped"})
#: commands db.adminCommand/db.runCommand may run (their name as the string, or as the first
#: key of the document): reports only (never shutdown, dropDatabase, any write, find/aggregate
#: (their own forms are above), getCmdLineOpts/getLog (configuration and logs))
READ_COMMANDS = frozenset({"listDatabases", "serverStatus", "replSetGetStatus", "hostInfo",
                           "buildInfo", "ping", "connectionStatus", "dbStats", "collStats",
                           "listCollections", "listIndexes", "hello", "isMaster", "top",
                           "currentOp"})
#: ``show X`` shell helpers that list names (never users/roles)
SHOW = frozenset({"dbs", "databases", "collections", "tables"})
#: functions that print a read's result (never a function passed as a value: forEach(printjson))
PRINTERS = frozenset({"printjson", "print", "JSON.stringify", "EJSON.stringify"})
#: replica set and sharding reports (never rs.add/remove/reconfig/stepDown/freeze/syncFrom,
#: sh.enableSharding/shardCollection/...: they change the cluster)
RS_READ = frozenset({"status", "conf", "config", "hello", "isMaster", "printReplicationInfo",
                     "printSecondaryReplicationInfo", "help"})
SH_READ = frozenset({"status", "help", "getBalancerState", "isBalancerRunning"})
_SHELL_READ = {"rs": RS_READ, "sh": SH_READ}
#: cursor methods with literal arguments (never forEach/map: functions)
CURSOR = frozenset({"limit", "skip", "sort", "toArray", "count", "pretty", "projection",
                    "hint", "itcount", "size", "batchSize", "maxTimeMS", "explain",
                    "collation", "comment", "hasNext", "next"})
#: operators that run JavaScript on the server or write a collection
BAD_KEYS = frozenset({"$where", "$function", "$accumulator", "$out", "$merge"})
_WRAPPED = frozenset({"ObjectId", "ISODate", "NumberLong", "NumberInt", "NumberDecimal",
                      "Timestamp", "UUID"})
_TOKEN = re.compile(r"(?:([A-Za-z_$][A-Za-z0-9_$]*+)|(-?[0-9]++(?:\.[0-9]++)?+)|"
                    r"(\"[^\"\\\n]*+\"|'[^'\\\n]*+')|([{}\[\]():,.;]))")
_SPACE = re.compile(r"\s++")
MAX_TOKENS = 4000
MAX_DEPTH = 32


class _NotRead(Exception):
    pass


def _tokens(src: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, n = 0, len(src)
    while i < n:
        space = _SPACE.match(src, i)
        if space:
            i = space.end()
            if i >= n:
                break
        m = _TOKEN.match(src, i)
        if not m:
            raise _NotRead(f"{src[i:i + 12]!r} is not a literal, a name or punctuation")
        kind = "name" if m.group(1) else "num" if m.group(2) else "str" if m.group(3) else "p"
        out.append((kind, m.group(m.lastindex or 0)))
        i = m.end()
        if len(out) > MAX_TOKENS:
            raise _NotRead("too long")
    return out


class _Parser:
    def __init__(self, toks: list[tuple[str, str]]):
        self.t, self.i = toks, 0

    def peek(self) -> tuple[str, str]:
        return self.t[self.i] if self.i < len(self.t) else ("end", "")

    def take(self, kind: str, text: str | None = None) -> str:
        k, v = self.peek()
        if k != kind or (text is not None and v != text):
            raise _NotRead(f"{v!r} where {text or kind} was expected")
        self.i += 1
        return v

    def at(self, text: str) -> bool:
        return self.peek() == ("p", text)

    def program(self) -> None:
        self.stmt()
        while self.at(";"):
            self.i += 1
            if self.peek()[0] == "end":
                return
            self.stmt()
        self.take("end")

    def stmt(self) -> None:
        k, v = self.peek()
        printer = v if k == "name" and v in PRINTERS else None
        if k == "name" and v in ("JSON", "EJSON") and self.t[self.i + 1:self.i + 3] == [
                ("p", "."), ("name", "stringify")]:
            printer = v + ".stringify"
            self.i += 2
        if printer is None:
            self.read()
            return
        self.i += 1
        self.take("p", "(")
        self.read()
        while self.at(","):
            self.i += 1
            self.value(1)
        self.take("p", ")")

    def fields(self) -> None:
        """Fields of a report's document (``.connections``, ``.members[0].stateStr``): a
        name or index that is never called."""
        while self.at(".") or self.at("["):
            if self.at("."):
                self.i += 1
                self.take("name")
            else:
                self.i += 1
                self.take("num")
                self.take("p", "]")
        if self.at("("):
            raise _NotRead("a call on a field of a report")

    def read(self) -> None:
        k, v = self.peek()
        if k == "name" and v == "show" and self.t[self.i + 1:self.i + 2] and \
                self.t[self.i + 1][1] in SHOW:
            self.i += 2
            return
        if k == "name" and v in _SHELL_READ:
            self.i += 1
            self.take("p", ".")
            method = self.take("name")
            if method not in _SHELL_READ[v]:
                raise _NotRead(f"{v}.{method} is not a report")
            self.args(0)
            self.fields()
            return
        self.take("name", "db")
        self.take("p", ".")
        name = self.take("name")
        if name == "getSiblingDB":
            self.call_string()
            self.take("p", ".")
            name = self.take("name")
        if name in DB_READ and self.at("("):
            self.args(0)
            self.fields()
            return
        if name in ("adminCommand", "runCommand"):
            self.command()
            self.fields()
            return
        # system.users/system.roles hold credentials (as pg_authid); db.system.users never
        # parses (users is no read method)
        coll = name
        if name == "getCollection":
            coll = self.call_string()
            if coll.strip("'\"").startswith("system."):
                raise _NotRead("a system collection (credentials, roles)")
        self.take("p", ".")
        method = self.take("name")
        if method == "explain":
            # db.c.explain(verbosity).find(...): the plan of a read (never of a write)
            self.args(0)
            self.take("p", ".")
            method = self.take("name")
        if method not in COLL_READ:
            raise _NotRead(f"{method!r} is not a read of a collection")
        start = self.i
        self.args(0)
        if method in _DOCUMENT_READS and credential_table(coll.strip("'\"")) and \
                not _names_fields(method, self.t[start:self.i]):
            raise _NotRead(f"whole documents of {coll}, which hold credentials")
        while self.at("."):
            self.i += 1
            method = self.take("name")
            if not self.at("("):
                self.i -= 2  # ``.NAME`` with no call: a field of the result
                self.fields()
                return
            if method not in CURSOR:
                raise _NotRead(f"{method!r} is not a cursor read")
            self.args(0)
        self.fields()

    def command(self) -> None:
        """``(NAME)`` or ``({NAME: v, ...})`` with NAME in READ_COMMANDS."""
        self.take("p", "(")
        k, v = self.peek()
        first = self.t[self.i + 1] if k == "p" and v == "{" and self.i + 1 < len(self.t) \
            else (k, v)
        if first[0] not in ("str", "name") or first[1].strip("'\"") not in READ_COMMANDS:
            raise _NotRead(f"{first[1]!r} is not a command that reports")
        self.value(1)
        self.take("p", ")")

    def call_string(self) -> str:
        self.take("p", "(")
        v = self.take("str")
        self.take("p", ")")
        return v

    def args(self, depth: int) -> None:
        self.take("p", "(")
        if not self.at(")"):
            self.value(depth + 1)
            while self.at(","):
                self.i += 1
                self.value(depth + 1)
        self.take("p", ")")

    def value(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _NotRead("nested too deep")
        k, v = self.peek()
        if k in ("str", "num") or (k == "name" and v in ("true", "false", "null")):
            self.i += 1
        elif k == "name" and (v in _WRAPPED or v == "new" and self.t[self.i + 1:self.i + 2] in (
                [("name", "Date")], [("name", "ISODate")])):
            self.i += 2 if v == "new" else 1
            self.take("p", "(")
            if self.peek()[0] in ("str", "num"):
                self.i += 1
            self.take("p", ")")
        elif self.at("["):
            self.i += 1
            while not self.at("]"):
                self.value(depth + 1)
                if not self.at("]"):
                    self.take("p", ",")
            self.i += 1
        elif self.at("{"):
            self.i += 1
            while not self.at("}"):
                key = self.take(self.peek()[0] if self.peek()[0] in ("name", "str") else "name")
                if key.strip("'\"") in BAD_KEYS:
                    raise _NotRead(f"{key} runs code on the server or writes a collection")
                self.take("p", ":")
                self.value(depth + 1)
                if not self.at("}"):
                    self.take("p", ",")
            self.i += 1
        else:
            raise _NotRead(f"{v!r} is not a literal value")


def _names_fields(method: str, args: list[tuple[str, str]]) -> bool:
    """(red team s16) A read of a collection of accounts or tokens that returns only named
    fields (credential fields were refused by name): find/findOne with an inclusion
    projection (``{email: 1}``), distinct of a field, an aggregate that groups, counts or
    projects (never ``$$ROOT``, the whole document)."""
    if method == "distinct":
        return True
    if method == "aggregate":
        words = {v.strip("'\"") for k, v in args if k in ("name", "str")}
        return bool(words & {"$group", "$count", "$project"}) and not any(
            "$$ROOT" in w or "$$CURRENT" in w for w in words)
    depth, parts, cur = 0, [], []
    for k, v in args[1:-1]:
        if k == "p" and v in "([{":
            depth += 1
        elif k == "p" and v in ")]}":
            depth -= 1
        if depth == 0 and (k, v) == ("p", ","):
            parts.append(cur)
            cur = []
        else:
            cur.append((k, v))
    parts.append(cur)
    if len(parts) < 2 or not parts[1]:
        return False
    proj = parts[1]
    if proj[0] != ("p", "{") or proj[-1] != ("p", "}"):
        return False
    body = [t for t in proj[1:-1] if t != ("p", ",")]
    if not body or len(body) % 3:
        return False
    for i in range(0, len(body), 3):
        key, colon, val = body[i:i + 3]
        if key[0] not in ("name", "str") or colon != ("p", ":") or \
                val not in (("num", "1"), ("name", "true")):
            return False
    return True


#: collection reads that return documents (or a field's values), not a count or the indexes
_DOCUMENT_READS = frozenset({"find", "findOne", "aggregate", "distinct"})


def read_only_why(src: str) -> str | None:
    """None when ``src`` is a program of the read-only grammar above; else why not."""
    try:
        tokens = _tokens(src)
        # (red team s16) a field named for a credential, in a projection, a filter or
        # distinct (cred_lexicon: password, apiKey, resetToken)
        for k, v in tokens:
            if k in ("name", "str") and credential_column(v.strip("'\"")):
                return f"{v} is a credential's field"
        _Parser(tokens).program()
    except _NotRead as e:
        return str(e)
    return None


__all__ = ["read_only_why", "DB_READ", "COLL_READ", "CURSOR", "BAD_KEYS", "PRINTERS", "RS_READ",
           "SH_READ", "READ_COMMANDS", "SHOW"]
