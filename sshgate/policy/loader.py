"""YAML policy files -> :class:`Policy`. Every error names file:line, field and what is wrong."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import (
    NOTIFY_EVENTS,
    Action,
    AllowEntry,
    ApprovalSettings,
    Approver,
    Grant,
    Identity,
    Policy,
    RuleOverride,
    Target,
    Webhook,
)

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LOGIN_RE = re.compile(r"^[a-z_][a-z0-9_.-]{0,31}\$?$", re.IGNORECASE)
KEY_TYPES = {
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
}
_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


@dataclass(frozen=True, slots=True)
class PolicyError:
    """One problem in a policy file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class PolicyLoadError(Exception):
    """Raised with every :class:`PolicyError` found; ``str()`` lists them one per line."""

    def __init__(self, errors: list[PolicyError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def parse_duration(text: str | int | float) -> float:
    """``"30m"``, ``"1h30m"``, ``"90s"``, ``"2d"`` or a number of seconds -> seconds."""
    if isinstance(text, bool):
        raise ValueError("expected a duration such as 30m, 1h or 90s")
    if isinstance(text, int | float):
        if text <= 0:
            raise ValueError("must be positive")
        return float(text)
    m = _DURATION_RE.match(text.strip())
    if not text.strip() or not m or not any(m.groups()):
        raise ValueError(f"{text!r} is not a duration such as 30m, 1h or 90s")
    d, h, mi, s = (int(g or 0) for g in m.groups())
    total = d * 86400 + h * 3600 + mi * 60 + s
    if total <= 0:
        raise ValueError("must be positive")
    return float(total)


def normalize_public_key(line: str) -> str:
    """Validate an OpenSSH public key line and return ``type base64`` without the comment."""
    parts = line.split()
    if len(parts) < 2:
        raise ValueError("not an OpenSSH public key line (expected 'TYPE BASE64 [comment]')")
    ktype, b64 = parts[0], parts[1]
    if ktype not in KEY_TYPES:
        raise ValueError(f"unsupported key type {ktype!r}")
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("key data is not valid base64") from None
    if len(blob) < 4:
        raise ValueError("key data is truncated")
    (n,) = struct.unpack(">I", blob[:4])
    if blob[4 : 4 + n] != ktype.encode():
        raise ValueError(f"key data does not match its type {ktype!r}")
    return f"{ktype} {b64}"


class _Ctx:
    def __init__(self, file: str):
        self.file = file
        self.errors: list[PolicyError] = []
        #: the file's bytes as read (the policy's digest covers exactly what was loaded)
        self.data = b""
        #: id(mapping node) -> the fields that were valid in an item that had errors
        self.partials: dict[int, dict[str, Any]] = {}

    def err(self, node: yaml.Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(PolicyError(self.file, line, field, message))


class _Partial:
    """An item with errors, reduced to its valid fields: cross-checked so that one pass
    reports every problem (a bad action must not hide an unknown rule name), never loaded."""

    _SEQUENCES = frozenset({"keys", "targets", "logins", "identities", "commands", "paths"})

    def __init__(self, fields: dict[str, Any]):
        self._fields = fields

    def __getattr__(self, name: str) -> Any:
        if name == "adds_rule":
            return bool(self._fields.get("commands") or self._fields.get("regex"))
        return self._fields.get(name, () if name in self._SEQUENCES else None)


_LOADER = yaml.SafeLoader("")


def _str(ctx: _Ctx, node: yaml.Node, field: str,
         pattern: re.Pattern[str] | None = None) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        ctx.err(node, field, f"expected a string, got {_kind(node)}")
        return None
    value = str(node.value)
    if pattern is not None and not pattern.match(value):
        ctx.err(node, field, f"{value!r} is not a valid name (letters, digits, . _ -; at most 64)")
        return None
    return value


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {"int": "a number", "float": "a number", "bool": "true/false", "null": "nothing"}.get(
        tag, f"a {tag}"
    )


def _str_list(
    ctx: _Ctx, node: yaml.Node, field: str, pattern: re.Pattern[str] | None = None,
    allow_empty: bool = False,
) -> tuple[str, ...] | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node], node.start_mark, node.end_mark)
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, field, f"expected a list of strings, got {_kind(node)}")
        return None
    if not node.value and not allow_empty:
        ctx.err(node, field, "must not be empty")
        return None
    out: list[str] = []
    ok = True
    for i, item in enumerate(node.value):
        v = _str(ctx, item, f"{field}[{i}]", pattern)
        if v is None:
            ok = False
        else:
            out.append(v)
    return tuple(out) if ok else None


def _bool(ctx: _Ctx, node: yaml.Node, field: str) -> bool | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return bool(_LOADER.construct_object(node))
    ctx.err(node, field, f"expected true or false, got {_kind(node)}")
    return None


def _int(ctx: _Ctx, node: yaml.Node, field: str, lo: int, hi: int) -> int | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        v = int(_LOADER.construct_object(node))
        if lo <= v <= hi:
            return v
        ctx.err(node, field, f"must be between {lo} and {hi}, got {v}")
        return None
    ctx.err(node, field, f"expected a number, got {_kind(node)}")
    return None


def _duration(ctx: _Ctx, node: yaml.Node, field: str) -> float | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(("bool", "null")):
        ctx.err(node, field, f"expected a duration such as 30m, 1h or 90s, got {_kind(node)}")
        return None
    try:
        value = _LOADER.construct_object(node) if not node.tag.endswith(":str") else node.value
        return parse_duration(value)
    except ValueError as e:
        ctx.err(node, field, str(e))
        return None


def _action(ctx: _Ctx, node: yaml.Node, field: str) -> Action | None:
    v = _str(ctx, node, field)
    if v is None:
        return None
    try:
        return Action(v)
    except ValueError:
        ctx.err(node, field, f"{v!r} is not one of allow, approve, deny")
        return None


def _choice(ctx: _Ctx, node: yaml.Node, field: str, choices: tuple[str, ...]) -> str | None:
    v = _str(ctx, node, field)
    if v is not None and v not in choices:
        ctx.err(node, field, f"{v!r} is not one of {', '.join(choices)}")
        return None
    return v


_Reader = Callable[[_Ctx, yaml.Node, str], Any]


def _mapping(
    ctx: _Ctx, node: yaml.Node, where: str, fields: dict[str, _Reader], required: Iterable[str]
) -> dict[str, Any] | None:
    """Read a mapping against a field table; unknown and missing fields are errors."""
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, where, f"expected a mapping, got {_kind(node)}")
        return None
    out: dict[str, Any] = {}
    ok = True
    seen: set[str] = set()
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        fname = f"{where}.{key}" if where else str(key)
        if key not in fields:
            known = ", ".join(sorted(fields))
            ctx.err(knode, fname, f"unknown field (known: {known})")
            ok = False
            continue
        if key in seen:
            ctx.err(knode, fname, "given twice")
            ok = False
            continue
        seen.add(key)
        value = fields[key](ctx, vnode, fname)
        if value is None:
            ok = False
        else:
            out[key] = (value, vnode)
    for req in required:
        if req not in seen:
            ctx.err(node, f"{where}.{req}" if where else req, "is required")
            ok = False
    if not ok:  # what could be read is still cross-checked (see _Partial)
        ctx.partials[id(node)] = {k: v for k, (v, _) in out.items()}
    return out if ok else None


def _list_of(
    ctx: _Ctx, node: yaml.Node, where: str, read_item: Callable[[_Ctx, yaml.Node, str], Any]
) -> list[tuple[Any, yaml.Node]]:
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, where, f"expected a list, got {_kind(node)}")
        return []
    out = []
    for i, item in enumerate(node.value):
        v = read_item(ctx, item, f"{where}[{i}]")
        if v is not None:
            out.append((v, item))
        elif id(item) in ctx.partials:
            out.append((_Partial(ctx.partials.pop(id(item))), item))
    return out


def _keys(ctx: _Ctx, node: yaml.Node, field: str) -> tuple[str, ...] | None:
    raw = _str_list(ctx, node, field)
    if raw is None:
        return None
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for i, (line, item) in enumerate(zip(raw, items, strict=True)):
        if not line.strip():
            ctx.err(item, f"{field}[{i}]", "is empty" + (
                ": not pinned yet; paste the target's key (ssh-keyscan -t ed25519 HOST)"
                if field.endswith("host_key") else ""))
            return None
        try:
            out.append(normalize_public_key(line))
        except ValueError as e:
            ctx.err(item, f"{field}[{i}]", f"malformed key: {e}")
            return None
    return tuple(out)


def _identity(ctx: _Ctx, node: yaml.Node, where: str) -> Identity | None:
    m = _mapping(ctx, node, where, {"name": lambda c, n, f: _str(c, n, f, NAME_RE), "keys": _keys},
                 ["name", "keys"])
    return Identity(m["name"][0], m["keys"][0]) if m else None


def _host_keys(ctx: _Ctx, node: yaml.Node, field: str) -> tuple[str, ...] | None:
    return _keys(ctx, node, field)


def _target(ctx: _Ctx, node: yaml.Node, where: str) -> Target | None:
    m = _mapping(
        ctx, node, where,
        {
            "name": lambda c, n, f: _str(c, n, f, NAME_RE),
            "host": _str,
            "port": lambda c, n, f: _int(c, n, f, 1, 65535),
            "host_key": _host_keys,
        },
        ["name", "host", "host_key"],
    )
    if not m:
        return None
    return Target(m["name"][0], m["host"][0], m.get("port", (22,))[0], m["host_key"][0])


def _grant(ctx: _Ctx, node: yaml.Node, where: str) -> Grant | None:
    m = _mapping(
        ctx, node, where,
        {
            "identity": lambda c, n, f: _str(c, n, f, NAME_RE),
            "targets": lambda c, n, f: _str_list(c, n, f, NAME_RE),
            "logins": lambda c, n, f: _str_list(c, n, f, LOGIN_RE),
            "max_session": _duration,
            "shell": _bool,
            "env": lambda c, n, f: _str_list(c, n, f, allow_empty=True),
            "shell_fallback": lambda c, n, f: _choice(c, n, f, ("refuse", "record-only")),
            "sftp": _sftp_mode,
            "unknown": _action,
            "allow": lambda c, n, f: _allow_list(c, n, f),
        },
        ["identity", "targets", "logins"],
    )
    if not m:
        return None
    kw = {k: v for k, (v, _) in m.items()}
    return Grant(**kw)


def _sftp_mode(ctx: _Ctx, node: yaml.Node, field: str) -> str | None:
    """``sftp: true | false | read-only`` (YAML's booleans or the word)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return "true" if _LOADER.construct_object(node) else "false"
    return _choice(ctx, node, field, ("true", "false", "read-only"))
#: a command word an allow entry may name: a plain name or a path, no shell syntax
_ALLOW_COMMAND = re.compile(r"^[A-Za-z0-9_.+/@%:,-]+$")
_ALLOW_ARG = re.compile(r"^[^\x00-\x1f\x7f]*$")


def _allow_entry(ctx: _Ctx, node: yaml.Node, where: str) -> AllowEntry | None:
    """``./scripts/status.sh`` (no arguments) or ``{command: make, args: [deploy]}``."""
    source = f"{ctx.file}:{node.start_mark.line + 1}"
    if isinstance(node, yaml.ScalarNode):
        v = _str(ctx, node, where)
        if v is None:
            return None
        if not _ALLOW_COMMAND.match(v):
            ctx.err(node, where, f"{v!r} is not a command name or path (one word, no shell "
                                 "syntax; give arguments as {command: ..., args: [...]})")
            return None
        return AllowEntry(v, (), source)
    m = _mapping(ctx, node, where, {"command": _str, "args": lambda c, n, f: _str_list(
        c, n, f, allow_empty=True)}, ["command"])
    if m is None:
        return None
    command, cnode = m["command"]
    args = m.get("args", ((), None))[0]
    ok = True
    if not _ALLOW_COMMAND.match(command):
        ctx.err(cnode, f"{where}.command", f"{command!r} is not a command name or path "
                                           "(one word, no shell syntax)")
        ok = False
    for i, a in enumerate(args):
        anode = m["args"][1].value[i] if isinstance(m["args"][1], yaml.SequenceNode) else node
        if not _ALLOW_ARG.match(a):
            ctx.err(anode, f"{where}.args[{i}]", "control characters are not allowed")
            ok = False
        elif a == "**" and i != len(args) - 1:
            ctx.err(anode, f"{where}.args[{i}]", "'**' (any further words) must come last")
            ok = False
    return AllowEntry(command, tuple(args), source) if ok else None


def _allow_list(ctx: _Ctx, node: yaml.Node, field: str) -> tuple[AllowEntry, ...] | None:
    if not isinstance(node, yaml.SequenceNode):
        ctx.err(node, field, f"expected a list of commands, got {_kind(node)}")
        return None
    before = len(ctx.errors)
    items = [v for v, _ in _list_of(ctx, node, field, _allow_entry)]
    return tuple(items) if len(ctx.errors) == before else None


def _approver(ctx: _Ctx, node: yaml.Node, where: str) -> Approver | None:
    """An OS user (``alice`` or ``{user: alice}``, the local control socket) or a named
    reviewer with SSH keys (``{name: carol, keys: [...]}``, the review console)."""
    if isinstance(node, yaml.ScalarNode):
        v = _str(ctx, node, where, LOGIN_RE)
        return Approver(v) if v else None
    m = _mapping(
        ctx, node, where,
        {"user": lambda c, n, f: _str(c, n, f, LOGIN_RE),
         "name": lambda c, n, f: _str(c, n, f, LOGIN_RE),
         "identity": lambda c, n, f: _str(c, n, f, NAME_RE),
         "keys": _keys},
        [],
    )
    if m is None:
        return None
    if ("user" in m) == ("name" in m):
        ctx.err(node, where, "give exactly one of user (an OS user) or name (with keys)")
        return None
    if "name" in m and "keys" not in m:
        ctx.err(node, f"{where}.keys", "is required with name (the reviewer's SSH keys)")
        return None
    who = m["user"][0] if "user" in m else m["name"][0]
    return Approver(who, m.get("identity", (None,))[0], m.get("keys", ((),))[0],
                    local="user" in m)


def _approval(ctx: _Ctx, node: yaml.Node, where: str) -> ApprovalSettings | None:
    m = _mapping(
        ctx, node, where,
        {"timeout": _duration,
         "no_reviewer": lambda c, n, f: _choice(c, n, f, ("wait", "deny"))},
        [],
    )
    if m is None:
        return None
    return ApprovalSettings(**{k: v for k, (v, _) in m.items()})


def _regex(ctx: _Ctx, node: yaml.Node, field: str) -> str | None:
    v = _str(ctx, node, field)
    if v is None:
        return None
    try:
        re.compile(v)
    except re.error as e:
        ctx.err(node, field, f"invalid regular expression: {e}")
        return None
    return v


def _rule(ctx: _Ctx, node: yaml.Node, where: str) -> RuleOverride | None:
    m = _mapping(
        ctx, node, where,
        {
            "rule": lambda c, n, f: _str(c, n, f, re.compile(r"^[a-z0-9][a-z0-9._-]*$")),
            "action": _action,
            "identities": lambda c, n, f: _str_list(c, n, f, NAME_RE),
            "targets": lambda c, n, f: _str_list(c, n, f, NAME_RE),
            "paths": _str_list,
            "why": _str,
            "commands": _str_list,
            "args": _str_list,
            "regex": _regex,
        },
        ["rule", "action"],
    )
    if not m:
        return None
    kw = {k: v for k, (v, _) in m.items()}
    return RuleOverride(**kw, source=f"{ctx.file}:{node.start_mark.line + 1}")


_URL_RE = re.compile(r"^https?://[^\s/]+(/\S*)?$")


def _webhook(ctx: _Ctx, node: yaml.Node, where: str) -> Webhook | None:
    m = _mapping(
        ctx, node, where,
        {
            "url": lambda c, n, f: _str(c, n, f, _URL_RE),
            "format": lambda c, n, f: _choice(c, n, f, ("json", "slack")),
            "events": lambda c, n, f: _choice_list(c, n, f, NOTIFY_EVENTS),
            "secret": _str,
            "timeout": _duration,
            "retries": lambda c, n, f: _int(c, n, f, 0, 10),
            "gateway": lambda c, n, f: _str(c, n, f, re.compile(r"^[A-Za-z0-9.:\[\]-]+$")),
        },
        ["url"],
    )
    if not m:
        return None
    return Webhook(**{k: v for k, (v, _) in m.items()})


def _choice_list(ctx: _Ctx, node: yaml.Node, field: str,
                 choices: tuple[str, ...]) -> tuple[str, ...] | None:
    values = _str_list(ctx, node, field)
    if values is None:
        return None
    bad = [v for v in values if v not in choices]
    if bad:
        ctx.err(node, field, f"{', '.join(map(repr, bad))}: not one of {', '.join(choices)}")
        return None
    return values


_TOP: dict[str, Callable[[_Ctx, yaml.Node, str], Any]] = {
    "identities": lambda c, n, f: _list_of(c, n, f, _identity),
    "targets": lambda c, n, f: _list_of(c, n, f, _target),
    "grants": lambda c, n, f: _list_of(c, n, f, _grant),
    "approvers": lambda c, n, f: _list_of(c, n, f, _approver),
    "approval": _approval,
    "rules": lambda c, n, f: _list_of(c, n, f, _rule),
    "notify": lambda c, n, f: _list_of(c, n, f, _webhook),
}


def _read_file(path: Path, ctx: _Ctx) -> dict[str, Any]:
    try:
        ctx.data = path.read_bytes()
        text = ctx.data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        ctx.errors.append(PolicyError(ctx.file, 1, "(file)", f"cannot read: {e}"))
        return {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        line, message = yaml_problem(e)
        ctx.errors.append(PolicyError(ctx.file, line, "(yaml)", message))
        return {}
    except yaml.YAMLError as e:
        ctx.errors.append(PolicyError(ctx.file, 1, "(yaml)", str(e)))
        return {}
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        ctx.err(node, "(top)", f"expected a mapping of sections, got {_kind(node)}")
        return {}
    out: dict[str, Any] = {}
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else None
        if key not in _TOP:
            ctx.err(knode, str(key), f"unknown section (known: {', '.join(sorted(_TOP))})")
            continue
        if vnode.tag == "tag:yaml.org,2002:null":
            continue
        out[key] = (_TOP[key](ctx, vnode, key), vnode)
    return out


# PyYAML's (context, problem) -> what the operator should look for, and which mark the line
# comes from: an unclosed quote or bracket is reported where it opens, not at the end of file.
_YAML_PROBLEMS: tuple[tuple[str, str, bool, str], ...] = (
    ("quoted scalar", "", True, "a quoted string that starts here is never closed (missing "
                                "closing quote)"),
    ("flow sequence", "", True, "a [ list that starts here is never closed with ]"),
    ("flow mapping", "", True, "a { mapping that starts here is never closed with }"),
    ("", "cannot start any token", False, "a character that cannot start a value here (a tab? "
                                          "indent with spaces; quote values starting with @ "
                                          "or `)"),
    ("", "mapping values are not allowed", False, "unexpected ':' (quote a value that contains "
                                                  "': ', or check this line's indentation)"),
    ("", "could not find expected ':'", True, "a line that is not 'key: value' (missing ':'?)"),
    ("", "expected <block end>", False, "indentation does not line up with the lines above (or "
                                        "text follows a quoted value)"),
    ("", "expected the node content", False, "a value is missing here (a '- item' inside "
                                             "[ ]? a key with nothing before ':'?)"),
    ("", "undefined alias", False, "'*name' refers to an anchor that is not defined (quote "
                                   "values that start with *)"),
)


def yaml_problem(e: yaml.MarkedYAMLError) -> tuple[int, str]:
    """(line, message) for a YAML syntax error, in this project's words."""
    context, problem = e.context or "", e.problem or ""
    for ctx_part, prob_part, at_context, message in _YAML_PROBLEMS:
        if (ctx_part and ctx_part in context) or (prob_part and prob_part in problem):
            mark = (e.context_mark if at_context else e.problem_mark) or e.problem_mark
            col = f" (column {mark.column + 1})" if mark is not None else ""
            return (mark.line + 1 if mark else 1), f"YAML syntax error: {message}{col}"
    mark = e.problem_mark or e.context_mark
    return (mark.line + 1 if mark else 1), f"YAML syntax error: {problem or context or e}"


def policy_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to their ``*.yaml``/``*.yml`` files, sorted; keep files as given."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out


def load_policy(paths: Iterable[str | Path], known_rules: Iterable[str] | None = None) -> Policy:
    """Load and cross-check policy files; raise :class:`PolicyLoadError` listing every problem."""
    files = policy_files(paths)
    errors: list[PolicyError] = []
    if not files:
        raise PolicyLoadError([PolicyError(str(next(iter(map(str, paths)), "?")), 1, "(file)",
                                           "no policy files found")])
    identities: list[tuple[Identity, yaml.Node, _Ctx]] = []
    targets: list[tuple[Target, yaml.Node, _Ctx]] = []
    grants: list[tuple[Grant, yaml.Node, _Ctx]] = []
    approvers: list[tuple[Approver, yaml.Node, _Ctx]] = []
    rules: list[tuple[RuleOverride, yaml.Node, _Ctx]] = []
    notify: list[tuple[Webhook, yaml.Node, _Ctx]] = []
    approval: ApprovalSettings | None = None
    ctxs: list[_Ctx] = []
    for f in files:
        ctx = _Ctx(str(f))
        ctxs.append(ctx)
        if not f.exists():
            ctx.errors.append(PolicyError(str(f), 1, "(file)", "no such file"))
            continue
        sections = _read_file(f, ctx)
        for key, bucket in (("identities", identities), ("targets", targets),
                            ("grants", grants), ("approvers", approvers), ("rules", rules),
                            ("notify", notify)):
            if key in sections:
                bucket.extend((v, n, ctx) for v, n in sections[key][0])
        if "approval" in sections and sections["approval"][0] is not None:
            if approval is not None:
                ctx.err(sections["approval"][1], "approval", "set in more than one policy file")
            approval = sections["approval"][0]
    _cross_check(identities, targets, grants, approvers, rules, set(known_rules or ()))
    for ctx in ctxs:
        errors.extend(sorted(ctx.errors, key=lambda e: e.line))
    partial = [n for bucket in (identities, targets, grants, approvers, rules)
               for obj, n, _ in bucket if isinstance(obj, _Partial)]
    if partial and not errors:  # fail closed: an item that was not read is never dropped
        errors = [PolicyError(ctxs[0].file, partial[0].start_mark.line + 1, "(item)",
                              "could not be read")]
    if errors:
        raise PolicyLoadError(errors)
    return Policy(
        identities=tuple(i for i, _, _ in identities),
        targets=tuple(t for t, _, _ in targets),
        grants=tuple(g for g, _, _ in grants),
        approvers=tuple(a for a, _, _ in approvers),
        approval=approval or ApprovalSettings(),
        rules=tuple(r for r, _, _ in rules),
        notify=tuple(w for w, _, _ in notify),
        sources=tuple(str(f) for f in files),
        digest=policy_digest((Path(c.file).name, c.data) for c in ctxs),
    )


def policy_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over each policy file's name and bytes, in load order: equal on two replicas
    exactly when they loaded the same files (their directories may differ)."""
    h = hashlib.sha256()
    for name, data in files:
        raw = name.encode("utf-8", "surrogateescape")
        h.update(len(raw).to_bytes(4, "big") + raw + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _field_node(node: yaml.Node, name: str) -> yaml.Node:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == name:
                return v
    return node


def _cross_check(identities, targets, grants, approvers, rules, known_rules: set[str]) -> None:
    def dupes(items, section, attr):
        seen: dict[str, str] = {}
        for i, (obj, node, ctx) in enumerate(items):
            name = getattr(obj, attr)
            if name is None:
                continue
            if name in seen:
                ctx.err(_field_node(node, attr), f"{section}[{i}].{attr}",
                        f"duplicate name {name!r} (first at {seen[name]})")
            else:
                seen[name] = f"{ctx.file}:{node.start_mark.line + 1}"

    dupes(identities, "identities", "name")
    dupes(targets, "targets", "name")
    dupes(approvers, "approvers", "user")
    key_owner: dict[str, str] = {}
    for i, (ident, node, ctx) in enumerate(identities):
        for k in ident.keys:
            if key_owner.get(k, ident.name) != ident.name:
                ctx.err(_field_node(node, "keys"), f"identities[{i}].keys",
                        f"key is already listed for identity {key_owner[k]!r}")
            key_owner.setdefault(k, ident.name)
    # A key opens either a target (an identity) or the review console (an approver): one key
    # for both would let an agent answer its own held commands.
    for i, (a, node, ctx) in enumerate(approvers):
        knode = _field_node(node, "keys")
        for j, k in enumerate(a.keys):
            item = knode.value[j] if isinstance(knode, yaml.SequenceNode) else knode
            owner = key_owner.get(k)
            if owner is not None:
                what = "approver" if owner.startswith("approver ") else "identity"
                ctx.err(item, f"approvers[{i}].keys[{j}]",
                        f"key is already listed for {what} {owner.split(' ', 1)[-1]!r}; a key "
                        "belongs to an identity or an approver, never both")
            else:
                key_owner[k] = f"approver {a.user}"
    id_names = {i.name for i, _, _ in identities}
    tgt_names = {t.name for t, _, _ in targets}
    granted: set[str] = set()
    for i, (g, node, ctx) in enumerate(grants):
        if g.identity is None:
            continue
        if g.identity not in id_names:
            ctx.err(_field_node(node, "identity"), f"grants[{i}].identity",
                    f"unknown identity {g.identity!r}")
        if g.identity in granted:
            ctx.err(_field_node(node, "identity"), f"grants[{i}].identity",
                    f"identity {g.identity!r} already has a grant; list all its targets in one")
        granted.add(g.identity)
        tnode = _field_node(node, "targets")
        for j, t in enumerate(g.targets):
            if t not in tgt_names:
                item = tnode.value[j] if isinstance(tnode, yaml.SequenceNode) else tnode
                ctx.err(item, f"grants[{i}].targets[{j}]", f"unknown target {t!r}")
    for i, (a, node, ctx) in enumerate(approvers):
        if a.keys and a.user in tgt_names:
            ctx.err(_field_node(node, "name"), f"approvers[{i}].name",
                    f"{a.user!r} is also a target name; the review console is reached as "
                    "NAME@gateway, so the two must differ")
        if a.identity is not None and a.identity not in id_names:
            ctx.err(_field_node(node, "identity"), f"approvers[{i}].identity",
                    f"unknown identity {a.identity!r}")
    for i, (r, node, ctx) in enumerate(rules):
        if r.rule is None:
            continue
        if not r.adds_rule and known_rules and r.rule not in known_rules:
            ctx.err(_field_node(node, "rule"), f"rules[{i}].rule",
                    f"unknown rule {r.rule!r} (to add a rule, give commands or regex)")
        if r.adds_rule and r.rule in known_rules:
            ctx.err(_field_node(node, "rule"), f"rules[{i}].rule",
                    f"{r.rule!r} is a built-in rule; overrides take no commands/regex")
        for fld, names, known in (("identities", r.identities, id_names),
                                  ("targets", r.targets, tgt_names)):
            for n in names:
                if n not in known:
                    ctx.err(_field_node(node, fld), f"rules[{i}].{fld}",
                            f"unknown {fld[:-1] if fld != 'identities' else 'identity'} {n!r}")
