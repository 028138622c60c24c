"""The known-safe catalogue: command shapes that keep a command read-only or ordinary. Pure.

The catalogue is data: per command, the global options that take a value (so that they never
shift the subcommand), the subcommands, and per shape the options that make it unsafe, the
options that take a value, and what its operands may be. What data cannot say (a sed script,
tar's mode, SQL text) is a named check. A command that matches no entry is *unknown*; the
classifier holds it (``guard.unknown``). Anchor: OpenAI Codex ``command_safety`` (a safe list
per command and subcommand with per-option rejections).
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .parse import SimpleCommand, unwrap
from .rules import BLOCK_DEV, norm
from .secret_paths import maybe_secret_path


@dataclass(frozen=True, slots=True)
class Shape:
    """What keeps one command (or subcommand) ordinary."""

    #: options that make it unsafe: ``--long`` (also ``--long=V``), ``-x`` (also inside a
    #: cluster like ``-nx``), ``-word`` (exact, for find-style options); a trailing ``*`` is a
    #: prefix (``-fprint*``).
    deny: tuple[str, ...] = ()
    #: options whose value is the next word (so it is not an operand).
    values: tuple[str, ...] = ()
    #: at most this many operands (None: any number).
    max_operands: int | None = None
    #: operands may be computed (``$x``, globs, fed by xargs/find -exec): the tool has no
    #: option or operand that could turn a hostile word into an action.
    dynamic_ok: bool = False
    #: operands may name secrets (the tool only looks at metadata: ls, stat, chmod...).
    secrets_ok: bool = False
    #: a named check in CHECKS for what data cannot say.
    check: str | None = None


@dataclass(frozen=True, slots=True)
class Tool:
    """A command with subcommands: global options first, then a subcommand word."""

    sub: Mapping[str, Shape | Tool]
    #: global options that take a value (``docker --context X ps``)
    values: tuple[str, ...] = ()
    #: global options that make any use unsafe (``git -c``)
    deny: tuple[str, ...] = ()
    #: shape when no subcommand is given (None: unknown)
    bare: Shape | None = None


Entry = Shape | Tool
ANY = Shape()
META = Shape(dynamic_ok=True, secrets_ok=True)
READER = Shape(dynamic_ok=True)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``entry`` names the catalogue entry that made a command safe; else ``why`` it is not."""

    entry: str | None
    why: str = ""


# --- operand and path shapes -------------------------------------------------------------------
#: glob characters and any brace (brace expansion), conservatively: one character class, linear
_GLOB = re.compile(r"[*?\[{]")
_EXPANSION = re.compile(r"[$`{}*?\[]")


@functools.lru_cache(maxsize=4096)
def secretish(p: str) -> bool:
    """A path (or glob) that could name a secret: keys, credential files, secret directories,
    another process's environment. Conservative on purpose: a miss lets a secret out."""
    return bool(BLOCK_DEV.match(norm(p))) or maybe_secret_path(p)


#: files whose content runs (build files, scripts, manifests, configs): writing one with an
#: ordinary command and then running an ordinary tool is download-then-run in two steps.
_CODE_FILE = re.compile(
    r"(^|/)(Makefile|makefile|GNUmakefile|Rakefile|Gemfile|Dockerfile|Containerfile|"
    r"Vagrantfile|Jenkinsfile|Procfile|Justfile|justfile|Taskfile|package(-lock)?\.json|"
    r"config|gitconfig|HEAD|[^/]*[Dd]ockerfile|"
    r"pyproject\.toml|setup\.(py|cfg)|tox\.ini|noxfile\.py|conftest\.py|pytest\.ini|"
    r"Cargo\.toml|build\.rs|go\.(mod|sum)|pom\.xml|build\.gradle(\.kts)?|"
    r"settings\.gradle(\.kts)?|gradlew|mvnw|CMakeLists\.txt|meson\.build|composer\.json|"
    r"requirements[^/]*\.txt|[^/]*\.(mk|py|pyc|pth|sh|bash|zsh|fish|js|mjs|cjs|ts|rb|pl|pm|"
    r"php|go|rs|java|kt|scala|c|cc|cpp|h|lua|so|service|timer|socket|path|tf|hcl|ya?ml|"
    r"json|toml|ini|cfg|conf|env|desktop|rules|cron|sql|j2|tpl|lock))$")
_SAFE_DEV = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})
_SCRATCH = ("/tmp/", "/var/tmp/")


@functools.lru_cache(maxsize=4096)
def safe_write_target(p: str) -> bool:
    """Where an ordinary command may write: a plain relative path (no ``..``, no dot-file,
    no expansion), /tmp or /var/tmp, or a harmless device."""
    if p in _SAFE_DEV:
        return True
    if not p or _EXPANSION.search(p) or "\\" in p:
        return False
    parts = p.split("/")
    if any(s == ".." or (s.startswith(".") and s != ".") for s in parts):
        return False
    if _CODE_FILE.search(p):
        return False
    if p.startswith("/"):
        return p.startswith(_SCRATCH) and norm(p).startswith(_SCRATCH)
    if p.startswith("~") and not p.startswith("~/"):
        return False  # ~user
    return not secretish(p) and not _CODE_FILE.search(p)


# --- named checks --------------------------------------------------------------------------------
Check = Callable[[SimpleCommand, tuple[str, ...], tuple[str, ...]], str | None]
_SED_OK = set("pdDqQnNgGhHxl=!{};,$+~0123456789 \t\n")


def _sed_script(script: str) -> str | None:
    """None when a sed script only prints, substitutes and deletes lines; else why not."""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in "sy" and i + 1 < n:
            delim = script[i + 1]
            if delim.isalnum() or delim in " \\\n":
                return "an unusual sed delimiter"
            j, parts = i + 2, 0
            while j < n and parts < 2:
                if script[j] == "\\":
                    j += 2
                    continue
                if script[j] == delim:
                    parts += 1
                j += 1
            if parts < 2:
                return "an unterminated sed command"
            flags = re.match(r"[A-Za-z0-9]*", script[j:]).group(0)  # type: ignore[union-attr]
            if ch == "s" and set(flags) & set("ewW"):
                return "a sed s///e or s///w flag runs or writes"
            i = j + len(flags)
        elif ch in "/":
            j = i + 1
            while j < n and script[j] != "/":
                j += 2 if script[j] == "\\" else 1
            i = j + 1
            while i < n and script[i] in "IM":
                i += 1
        elif ch in "aic":
            nl = script.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif ch in _SED_OK:
            i += 1
        else:
            return f"the sed command {ch!r} reads, writes or runs something"
    return None


def _check_sed(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    scripts, files, args = [], [], list(rest)
    i, explicit = 0, False
    while i < len(args):
        a = args[i]
        if a in ("-e", "--expression") and i + 1 < len(args):
            scripts.append(args[i + 1])
            explicit = True
            i += 2
            continue
        if a.startswith("--expression="):
            scripts.append(a.split("=", 1)[1])
            explicit = True
        elif a.startswith("-e") and len(a) > 2:
            scripts.append(a[2:])
            explicit = True
        elif not a.startswith("-") or a == "-":
            files.append(a)
        i += 1
    if not explicit and files:
        scripts.append(files.pop(0))
    for s in scripts:
        why = _sed_script(s)
        if why:
            return why
    return None


_FIND_VALUE = ("-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex",
               "-iregex", "-lname", "-ilname", "-newer", "-user", "-group", "-perm", "-type",
               "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-size", "-maxdepth",
               "-mindepth", "-printf", "-uid", "-gid", "-links", "-inum", "-samefile",
               "-regextype", "-xtype", "-fstype", "-used", "-newermt", "-context")
_FIND_EXEC_OK = frozenset({"ls", "stat", "file", "wc", "du", "md5sum", "sha1sum", "sha256sum",
                           "echo", "basename", "dirname"})


def _check_find(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    args = list(rest)
    roots: list[str] = []
    for a in args:
        if a.startswith("-") or a in ("(", "!", ")", ","):
            break
        roots.append(a)
    if any(secretish(r) for r in roots):
        return "find walks a directory that holds secrets"
    i = 0
    while i < len(args):
        a = args[i]
        inner = args[i + 1].lstrip("\\").rsplit("/", 1)[-1] if i + 1 < len(args) else ""
        if a in ("-exec", "-execdir") and inner not in _FIND_EXEC_OK:
            return f"find {a} runs a command outside the short safe list"
        if a in ("-ok", "-okdir", "-delete") or a.startswith(("-fprint", "-fls")):
            return f"find {a} deletes, writes or runs"
        if a in _FIND_VALUE:
            i += 2
            continue
        if i >= len(roots) and a != "{}" and (_GLOB.search(a) or
                                              c.dynamic[1 + i:2 + i] == (True,)):
            return "a computed word in a find expression"
        i += 1
    return None


_TAR_DENY_LONG = ("--checkpoint-action", "--to-command", "--use-compress-program",
                  "--rsh-command", "--info-script", "--new-volume-script", "--absolute-names",
                  "--transform", "--xform", "--index-file", "--files-from", "--exclude-from",
                  "--owner-map", "--group-map", "--rmt-command", "--volno-file",
                  "--remove-files", "--recursive-unlink", "--unlink-first", "--append",
                  "--update", "--delete", "--catenate", "--concatenate")


def extract_dir_ok(d: str | None) -> bool:
    """Where an archive may be unpacked: a named subdirectory, never the working directory
    itself (an exec session starts in a home directory: dot-files would be overwritten)."""
    if not d or norm(d).rstrip("/") in ("", ".", "~", "/"):
        return False
    if d.startswith(("/srv/", "/opt/", "/data/")) and not _EXPANSION.search(d) and \
            ".." not in d.split("/") and not any(s.startswith(".") for s in d.split("/")):
        return True
    return safe_write_target(d.rstrip("/")) and not d.startswith("~")


def _check_unzip(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if any(a in ("-l", "-t", "-v", "-Z", "-lv") for a in rest):
        return None
    for i, a in enumerate(rest):
        if a == "-d" and i + 1 < len(rest):
            return None if extract_dir_ok(rest[i + 1]) else "unzips outside a subdirectory"
        if a.startswith("-d") and len(a) > 2:
            return None if extract_dir_ok(a[2:]) else "unzips outside a subdirectory"
    return "unzip without -d into a subdirectory (the cwd may be a home directory)"


def _check_tar(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    args = list(rest)
    if args and not args[0].startswith("-"):
        args[0] = "-" + args[0]  # old style: tar xzf x.tgz
    mode, archive, directory = "", None, None
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and len(a) > 2:
            name, _, val = a.partition("=")
            # GNU tar takes any unambiguous prefix: --checkpoint-act is --checkpoint-action
            if any(d.startswith(name) for d in _TAR_DENY_LONG):
                return f"tar {name} runs a program, writes or changes an archive in place"
            name = next((m for m in ("--file", "--directory", "--extract", "--get", "--create",
                                     "--list") if m.startswith(name)), name)
            if name in ("--file", "--directory") and not val and i + 1 < len(args):
                val = args[i + 1]
                i += 1
            if name == "--file":
                archive = val
            elif name == "--directory":
                directory = val
            elif name in ("--extract", "--get"):
                mode = "x"
            elif name in ("--create",):
                mode = "c"
            elif name in ("--list",):
                mode = mode or "t"
        elif a.startswith("-") and len(a) > 1:
            letters = a[1:]
            for k, ch in enumerate(letters):
                if ch in "IFPTX":
                    return f"tar -{ch} runs a program or reads a list from elsewhere"
                if ch in "xctrAu" and ch in "xct":
                    mode = ch
                elif ch in "rAu":
                    return f"tar -{ch} changes an archive in place"
                if ch in "fC":
                    val = letters[k + 1:] or (args[i + 1] if i + 1 < len(args) else "")
                    if not letters[k + 1:]:
                        i += 1
                    if ch == "f":
                        archive = val
                    else:
                        directory = val
                    break
        i += 1
    if not mode:
        return "tar without a create, list or extract mode"
    if mode == "c" and archive not in (None, "-") and not safe_write_target(archive):
        return "tar writes its archive outside the working directory or /tmp"
    if mode == "x" and not extract_dir_ok(directory):
        return "tar extracts without -C into a subdirectory (the cwd may be a home directory)"
    if mode == "c" and any(secretish(o) for o in ops):
        return "tar archives a secret"
    return None


_SQL_READ = re.compile(r"^\s*(select|show|explain|describe|desc|\\d[a-z+]*|\\l\+?|\\dt\+?|"
                       r"\\conninfo|\\x)\b", re.I)
_SQL_BAD = re.compile(r"\\!|\\[ogwi]\b|\\copy|\binto\s+(out|dump)file\b|\bpg_read|\blo_|"
                      r"\bdblink|\bcopy\b|\bsystem\b|\bload_file\b|\bsleep\s*\(|"
                      r"\bpg_sleep|\bbenchmark\s*\(|--|/\*|\bfor\s+update\b|\bnextval\b|"
                      r"\bset_config\b|\bpg_(read|ls|stat_file|file|reload|rotate|promote|switch|"
                      r"create|drop|replication|terminate|cancel|advisory|logical)|\binto\b|"
                      r"writefile|readfile|\bedit\s*\(|load_extension|fts3_tokenizer|"
                      r"\bshell\s*\(", re.I)


def sql_read_only(sql: str) -> bool:
    """Every statement is a plain read (SELECT/SHOW/EXPLAIN/DESCRIBE) with no escape,
    comment, file access or side-effecting function."""
    if _SQL_BAD.search(sql):
        return False
    stmts = [s for s in sql.split(";") if s.strip()]
    return bool(stmts) and all(_SQL_READ.match(s) for s in stmts) and not any(
        re.match(r"^\s*explain\b.*\banalyze\b", s, re.I) for s in stmts)


def _check_sql(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """psql -c / mysql -e: the statement must be a plain read; no script files, no stdin."""
    flag = {"psql": ("-c", "--command"), "mysql": ("-e", "--execute"),
            "mariadb": ("-e", "--execute")}.get(c.name, ("-c",))
    sql: list[str] = []
    for i, a in enumerate(rest):
        if a in flag and i + 1 < len(rest):
            sql.append(rest[i + 1])
        elif a.startswith(tuple(f + "=" for f in flag if f.startswith("--"))):
            sql.append(a.split("=", 1)[1])
    if c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                   c.redirects):
        return "SQL from stdin is not seen by the guard"
    if not sql:
        return "an interactive database client reads the agent's stdin"
    for s in sql:
        if not sql_read_only(s):
            return "SQL that is not a plain read"
    return None


_SQLITE_DOT = re.compile(r"^\.(tables|schema|indexes|indices|databases|dbinfo|mode|headers)"
                         r"(\s+[\w.*-]+)*\s*$")


def _check_sqlite(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if len(ops) < 2:
        return "an interactive database client reads the agent's stdin"
    for s in ops[1:]:
        if not (_SQLITE_DOT.match(s) or sql_read_only(s)):
            return "SQL or a dot-command that is not a plain read"
    return None


_REDIS_READ = frozenset({"PING", "GET", "MGET", "INFO", "TTL", "PTTL", "TYPE", "EXISTS", "HGET",
                         "HGETALL", "HKEYS", "HLEN", "LRANGE", "LLEN", "SCARD", "SMEMBERS",
                         "ZRANGE", "ZCARD", "DBSIZE", "SCAN", "STRLEN", "KEYS", "XLEN",
                         "XINFO", "MEMORY", "SLOWLOG", "LATENCY", "ROLE", "TIME", "ECHO"})


def _check_redis(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    args, i, words = list(rest), 0, []
    while i < len(args):
        a = args[i]
        if a in ("-h", "-p", "-n", "-a", "-u", "--user", "--pass", "-s"):
            i += 2
            continue
        if a.startswith("-"):
            if a in ("--eval", "--pipe", "--rdb", "--functions-rdb", "-x"):
                return f"redis-cli {a} sends or dumps more than one read"
            i += 1
            continue
        words.append(a)
        i += 1
    if not words:
        return "an interactive database client reads the agent's stdin"
    if words[0].upper() not in _REDIS_READ:
        return f"redis {words[0]!r} is not a read"
    if words[0].upper() in ("MEMORY", "SLOWLOG", "LATENCY", "XINFO") and len(words) > 1 and \
            words[1].upper() in ("PURGE", "RESET", "DOCTOR-RESET"):
        return "resets server state"
    return None


_MODE_SETID = re.compile(r"^[0-7]?[2-7][0-7]{3}$|[+=][rwxXt]*+s")


def _check_chmod(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if not ops:
        return None
    if _MODE_SETID.search(ops[0]) or ops[0].startswith("--reference"):
        return "sets a setuid/setgid bit"
    return None


_TARGET_SPECIAL = re.compile(r"\.target$|^systemd-|^default$|reboot|poweroff|halt|kexec|"
                             r"rescue|emergency|suspend|hibernate|sleep|shutdown|^exit|"
                             r"ctrl-alt-del|network|firewall|iptables|nftables|ufw|audit|"
                             r"apparmor|selinux|dbus", re.I)


def _check_units(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    for u in ops:
        if _TARGET_SPECIAL.search(u) or not re.fullmatch(r"[A-Za-z0-9@_.:\\-]+", u):
            return f"unit {u!r} is a system state or not a plain unit name"
    return None


_PLAIN_TARGET = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:/+-]*$")


def _check_targets(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """Build tools: plain target/task/script names only (no VAR=value, no paths up)."""
    for o in ops:
        if not _PLAIN_TARGET.match(o) or ".." in o:
            return f"{o!r} is not a plain target name"
    return None


_PKG_NAME = re.compile(r"^[A-Za-z0-9@_][A-Za-z0-9@_.+:~=<>!,^*/-]*$")


def _check_packages(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """Package installs from the configured index: names (and versions), not files or URLs."""
    for o in ops:
        if "://" in o or o.startswith((".", "/", "~", "git+")) or o.endswith(
                (".deb", ".rpm", ".whl", ".apk", ".tgz", ".tar.gz")) or not _PKG_NAME.match(o):
            if c.name in ("pip", "pip3") and o in (".",):
                continue
            return f"{o!r} installs from a file or URL, not from the index"
    return None


_SECRET_KINDS = re.compile(r"^(secrets?|all)(/|$|\.)|(^|,)secrets?(,|$)", re.I)
_REVEALING = re.compile(r"^(yaml|json|jsonpath|go-template|custom-columns|template)", re.I)


def _check_kubectl_get(c: SimpleCommand, rest: tuple[str, ...],
                       ops: tuple[str, ...]) -> str | None:
    if not any(_SECRET_KINDS.search(o) for o in ops) and not any(
            o.lower().startswith("secret") for o in ops):
        return None
    for i, a in enumerate(rest):
        val = None
        if a in ("-o", "--output") and i + 1 < len(rest):
            val = rest[i + 1]
        elif a.startswith("--output="):
            val = a.split("=", 1)[1]
        elif a.startswith("-o") and len(a) > 2:
            val = a[2:].lstrip("=")
        if val is not None and _REVEALING.match(val):
            return "prints secret values"
    return None


def _check_scale(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    for i, a in enumerate(rest):
        val = a.split("=", 1)[1] if a.startswith("--replicas=") else (
            rest[i + 1] if a == "--replicas" and i + 1 < len(rest) else None)
        if val is not None:
            return None if val.isdigit() and int(val) > 0 else "scales to zero or unclear"
    return "scale without a plain replica count"


_METADATA = re.compile(r"169\.254\.169\.254|metadata\.google\.internal|fd00:ec2::254|"
                       r"169\.254\.170\.2|100\.100\.100\.200|metadata\.azure", re.I)


def _check_curl(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if any(a.startswith("@") or "=@" in a or _METADATA.search(a) for a in rest):
        return "sends a local file, or asks a cloud metadata service for credentials"
    for i, a in enumerate(rest):
        if a.startswith("--request=") and a.split("=", 1)[1].upper() not in ("GET", "HEAD"):
            return "curl sends a changing request"
        if a in ("-X", "--request") and i + 1 < len(rest) and \
                rest[i + 1].upper() not in ("GET", "HEAD"):
            return f"curl {a} {rest[i + 1]} changes something remote"
        if a.startswith("-X") and len(a) > 2 and a[2:].upper() not in ("GET", "HEAD"):
            return "curl sends a changing request"
        if a in ("-o", "--output") and i + 1 < len(rest) and not safe_write_target(rest[i + 1]):
            return "curl writes outside the working directory or /tmp"
    for o in ops:
        if not re.match(r"^(https?://)?[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", o) or "@" in o:
            return f"{o!r} is not a plain http(s) URL"
    return None


def _check_output_opt(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """wget -O / -P: the file it writes (without -O: the URL's last path segment)."""
    if any(_METADATA.search(a) for a in rest):
        return "asks a cloud metadata service for credentials"
    named = any(a.startswith(("-O", "--output-document")) for a in rest)
    for o in ops:
        base = o.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if o.count("/") > 2 else ""
        if not named and base and not safe_write_target(base):
            return f"saves {base!r}: a dot-file, code or config file"
    for i, a in enumerate(rest):
        if a in ("-O", "--output-document", "-P", "--directory-prefix") and i + 1 < len(rest) \
                and not safe_write_target(rest[i + 1]) and rest[i + 1] != "-":
            return "writes a dot-file, code or config file, or outside the working directory"
    for o in ops:
        if not re.match(r"^(https?://)[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", o):
            return f"{o!r} is not a plain http(s) URL"
    return None


def _check_copy(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """cp/mv/ln/install: no device or dot-file sources, a plain destination."""
    if len(ops) < 2:
        return None if c.name == "ln" and ops else "needs a source and a destination"
    if any(o.startswith("/dev/") or o.startswith("/proc/") for o in ops[:-1]):
        return "copies from a device (clobbers the destination)"
    if c.name == "ln":
        return None if safe_write_target(ops[-1]) or ops[-1] == "." else \
            "links a dot-file, code or config file, or outside the working directory"
    if norm(ops[-1]).rstrip("/") in ("", ".", "~", "$HOME"):
        return "copies into the working or home directory itself (dot-files come along)"
    if not safe_write_target(ops[-1]):
        return "writes a dot-file, code or config file, or outside the working directory"
    return None


def _check_rsync(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """rsync between local directories only: a remote end carries data off the host."""
    if any(":" in o or o.startswith("rsync://") for o in ops):
        return "copies to or from another host"
    return _check_copy(c, rest, ops)


#: trees whose recursive read takes in secrets (shadow, keys, tokens, other users' homes)
_SECRET_TREES = frozenset({"/", "/etc", "/root", "/home", "~", "/var", "/var/lib", "/run",
                           "/var/run", "/proc", "/etc/ssh", "/etc/ssl", "/etc/kubernetes",
                           "$HOME", "/srv", "/opt", "/data"})


def _check_tree(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """A recursive read (grep -r, rg) of a whole system tree reads its secrets too."""
    recursive = c.name in ("rg", "ag") or any(
        a in ("-r", "-R", "--recursive", "--dereference-recursive") or (
            a.startswith("-") and not a.startswith("--") and set(a[1:]) & {"r", "R"})
        for a in rest)
    if recursive and any(norm(o).rstrip("/") in _SECRET_TREES or norm(o) == "/" for o in ops):
        return "reads a whole system tree, secrets included"
    return None


def _check_ps(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """BSD-style ``ps e`` (and ``ps -E``/``eww``) prints every process's environment."""
    if any((not a.startswith("-") and "e" in a) or a in ("-E",) for a in rest):
        return "prints the environment of processes (tokens, passwords)"
    return None


_COMPOSE_FILE = re.compile(r"\.(ya?ml|json)$|(^|/)[^/]*[Dd]ockerfile$|(^|/)Containerfile$")


def _check_compose_file(c: SimpleCommand, rest: tuple[str, ...],
                        ops: tuple[str, ...]) -> str | None:
    """docker compose -f / docker build -f: a file by its usual name, never /tmp (an ordinary
    command may not write those names, so the guard has seen where they came from)."""
    for i, a in enumerate(c.argv):
        val = None
        if a in ("-f", "--file") and i + 1 < len(c.argv):
            val = c.argv[i + 1]
        elif a.startswith("--file="):
            val = a.split("=", 1)[1]
        if val is not None and (not _COMPOSE_FILE.search(val) or val.startswith(_SCRATCH) or
                                ".." in val.split("/")):
            return f"{val!r} is not a compose file or Dockerfile in place"
    return None


def _check_gunzip(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """Decompressing writes NAME for NAME.gz: it must be an ordinary write target."""
    unpack = c.name == "gunzip" or any(a in ("-d", "--decompress") or (
        a.startswith("-") and not a.startswith("--") and "d" in a[1:]) for a in rest)
    if not unpack or any(a in ("-c", "--stdout", "-l", "--list", "-t", "--test") or (
            a.startswith("-") and not a.startswith("--") and set(a[1:]) & {"c", "l", "t"})
            for a in rest):
        return None
    for o in ops:
        out = re.sub(r"\.(gz|z|tgz|taz)$", "", o, flags=re.I)
        if out == o or not safe_write_target(out):
            return f"unpacks {o!r} onto a dot-file, code or config file"
    return None


def _check_dest(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """mkdir/touch/tee: every operand is a place an ordinary command may write."""
    for o in ops:
        if not safe_write_target(o) and not (c.name == "mkdir" and o.startswith("/srv/")):
            return f"writes {o!r}: a dot-file, code or config file, or outside the cwd"
    return None


def _check_ssh(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if c.pipe_from or c.heredoc is not None or any(r.op in ("<", "<<<") for r in c.redirects):
        return "ssh carries piped data to another host"
    _, strings = unwrap(c)
    return None if strings else "ssh without a remote command opens a shell on another host"


def _check_wrapper(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """A wrapper is safe when the command it runs was found (and is classified itself) and
    the environment it sets (``env A=B cmd``, ``sudo A=B cmd``) changes nothing that runs."""
    nxt, strings = unwrap(c)
    if nxt is None and not strings:
        return "runs something the guard cannot see"
    upto = len(c.argv) - len(nxt.argv) if nxt is not None else len(c.argv)
    for a in c.argv[1:upto]:
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", a) and (_SPECIAL_VAR.match(a) or
                                                        not _SAFE_ENV.match(a)):
            return f"runs with {a.split('=', 1)[0]} set"
    return None


def _check_env(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """``env`` alone prints the environment; with a command it is a wrapper."""
    if all(a in ("-0", "--null") for a in rest):
        return None
    return _check_wrapper(c, rest, ops)


def _check_shell_c(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """``bash -c STRING``: the string is parsed and classified; extra words become $0, $1..."""
    _, strings = unwrap(c)
    if not strings:
        return "a shell with a script file or stdin runs code the guard cannot see"
    if any(a in ("-s", "-i", "--rcfile", "--init-file") or a.startswith("--rcfile")
           for a in rest):
        return "a shell that also reads stdin or an rc file"
    return None


def _check_aws(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if re.search(r"secret|password|credential|decrypt|token|key-?pair|login|ssm-?parameter|"
                 r"get-parameter|keyvault|vault", " ".join(c.argv), re.I) or \
            "--with-decryption" in rest:
        return "reads secrets or credentials"
    return None


def _check_out(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """``-o FILE`` / ``--output FILE`` / ``--target-dir D``: an ordinary place to write."""
    for i, a in enumerate(rest):
        val = None
        if a in ("-o", "--output", "--target-dir") and i + 1 < len(rest):
            val = rest[i + 1]
        elif a.startswith(("--output=", "--target-dir=")):
            val = a.split("=", 1)[1]
        if val is not None and not safe_write_target(val):
            return f"writes {val!r} outside the working directory"
    return None


_MVN_PHASES = frozenset({"clean", "validate", "compile", "test-compile", "test", "package",
                         "verify", "install", "dependency:tree", "dependency:resolve",
                         "dependency:list", "help:effective-pom"})


def _check_lifecycle(c: SimpleCommand, rest: tuple[str, ...],
                     ops: tuple[str, ...]) -> str | None:
    bad = [o for o in ops if o not in _MVN_PHASES]
    return f"{bad[0]!r} is not a build lifecycle phase" if bad else None


def _check_no_stdin(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """Look-up tools that read queries from stdin would carry piped data off the host."""
    if c.pipe_from or c.heredoc is not None or any(r.op in ("<", "<<<") for r in c.redirects):
        return "reads queries from stdin (piped data would leave the host)"
    if not ops and c.name == "nslookup":
        return "interactive nslookup reads the agent's stdin"
    return None


_SHELL_OPTS = re.compile(r"^[-+][euxvCo]+$|^(pipefail|errexit|nounset|xtrace|verbose|"
                         r"noclobber)$")


def _check_set(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    bad = [a for a in rest if not _SHELL_OPTS.match(a)]
    return f"set {bad[0]!r} changes how the shell runs" if bad else None


def _check_read(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    for a in ops:
        if _SPECIAL_NAME.match(a) or _SPECIAL_VAR.match(a):
            return f"read into {a}, which changes what later commands do"
    return None


CHECKS: dict[str, Check] = {
    "sed": _check_sed, "find": _check_find, "tar": _check_tar, "sql": _check_sql,
    "sqlite": _check_sqlite, "redis": _check_redis, "chmod": _check_chmod,
    "units": _check_units, "targets": _check_targets, "packages": _check_packages,
    "kubectl-get": _check_kubectl_get, "scale": _check_scale, "curl": _check_curl,
    "wget": _check_output_opt, "copy": _check_copy, "dest": _check_dest,
    "ssh": _check_ssh, "rsync": _check_rsync, "env": _check_env, "unzip": _check_unzip,
    "out": _check_out, "tree": _check_tree, "gunzip": _check_gunzip, "ps": _check_ps,
    "compose-file": _check_compose_file, "lifecycle": _check_lifecycle,
    "no-stdin": _check_no_stdin,
    "set": _check_set, "read": _check_read, "wrapper": _check_wrapper,
    "shell-c": _check_shell_c, "aws": _check_aws,
}

# --- the catalogue -------------------------------------------------------------------------------
_GREP = Shape(deny=("--pre", "--pre-glob", "--hostname-bin", "-z", "--search-zip"),
              values=("-e", "-f", "-m", "-A", "-B", "-C", "--include", "--exclude", "-t", "-g"),
              dynamic_ok=True, check="tree")
_SORT = Shape(deny=("-o", "--output", "--compress-program"), values=("-k", "-t", "-S", "-T"))
_WRAP = Shape(check="wrapper", dynamic_ok=True, secrets_ok=True)
_BUILD = Shape(deny=("--eval", "-E", "--file", "-f", "-C", "--directory", "--include-dir",
                     "-I"), values=("-j", "--jobs", "-l", "--load-average", "-o", "-W"),
               check="targets")
_PKG_DENY = ("-o", "--option", "--allow-unauthenticated", "--force-yes", "--nogpgcheck",
             "--setopt", "--repofrompath", "--allow-untrusted", "--no-verify", "--trusted-host",
             "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--root",
             "--installroot", "--prefix", "--target", "-t", "--script-shell", "--registry",
             "--allow-downgrades", "--allow-remove-essential", "--allow-change-held-packages",
             "--config", "-c")
_INSTALL = Shape(deny=_PKG_DENY, values=("-r", "--requirement"), check="packages")
_CARGO = Shape(deny=("--config", "-Z", "--manifest-path", "--target-dir"), check="out")
_PKG_Q = Shape(deny=_PKG_DENY)
_SAFE_PKG = {"update": _PKG_Q, "install": _INSTALL, "upgrade": _PKG_Q, "list": _PKG_Q,
             "show": _PKG_Q, "search": _PKG_Q, "info": _PKG_Q, "policy": _PKG_Q,
             "check-update": _PKG_Q, "provides": _PKG_Q, "repolist": _PKG_Q,
             "makecache": _PKG_Q, "add": _INSTALL, "outdated": _PKG_Q, "madison": _PKG_Q,
             "depends": _PKG_Q, "rdepends": _PKG_Q, "changelog": _PKG_Q}

_GIT_RO = Shape(deny=("--output", "--ext-diff", "--textconv", "--exec", "--no-index",
                      "--upload-pack", "--receive-pack", "--open-files-in-pager", "-O"))
_GIT_NET = Shape(deny=("--upload-pack", "--receive-pack", "--exec", "--recurse-submodules"),
                 values=("--depth", "-b", "--branch", "-o", "--origin", "-j", "--jobs"),
                 check="git-named-remote")
_GIT_CLONE = Shape(deny=("--upload-pack", "-u", "--config", "-c", "--template",
                         "--separate-git-dir", "--recurse-submodules", "--reference"),
                   values=("--depth", "-b", "--branch", "-o", "--origin", "-j", "--jobs"),
                   check="git-clone")
GIT = Tool(
    values=("-C", "--git-dir", "--work-tree", "--namespace"),
    deny=("-c", "--config-env", "--exec-path", "--super-prefix", "-p", "--paginate"),
    sub={"status": _GIT_RO, "log": _GIT_RO, "diff": _GIT_RO, "show": _GIT_RO,
         "blame": _GIT_RO, "shortlog": _GIT_RO, "describe": _GIT_RO, "rev-parse": _GIT_RO,
         "ls-files": _GIT_RO, "ls-tree": _GIT_RO, "ls-remote": _GIT_NET, "grep": _GIT_RO,
         "reflog": Shape(max_operands=1, check=None), "whatchanged": _GIT_RO,
         "cat-file": _GIT_RO, "rev-list": _GIT_RO, "name-rev": _GIT_RO,
         "branch": _GIT_RO, "tag": _GIT_RO, "remote": Shape(deny=("add", "set-url")),
         "fetch": _GIT_NET, "pull": _GIT_NET, "push": _GIT_NET, "clone": _GIT_CLONE,
         "add": Shape(), "commit": Shape(), "stash": Shape(),
         "checkout": Shape(), "switch": Shape(), "merge": Shape(deny=("-s", "--strategy")),
         "rebase": Shape(deny=("--exec", "-x", "--interactive", "-i")),
         "cherry-pick": Shape(), "revert": Shape(), "restore": Shape(), "mv": Shape(),
         "init": Shape(deny=("--template", "--separate-git-dir")), "version": ANY,
         "config": Shape(check=None, deny=("--add", "--replace-all", "--unset", "--unset-all",
                                           "--edit", "-e", "--rename-section",
                                           "--remove-section"),
                         max_operands=1),
         "submodule": Tool(sub={"status": ANY, "update": Shape(deny=("--remote",)),
                                "init": ANY, "sync": ANY}),
         "worktree": Tool(sub={"list": ANY}), "help": ANY},
)
_K8S_VALUES = ("-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s", "--server",
               "--user", "--as", "--as-group", "--request-timeout", "--token", "-l",
               "--selector", "-o", "--output", "-f", "--filename", "-c", "--container",
               "--tail", "--since", "--field-selector", "-L", "--sort-by", "--timeout",
               "-k", "--kustomize", "--revision", "--type")
_K8S = Shape(deny=("--raw", "--kubeconfig"), values=_K8S_VALUES, secrets_ok=True)
KUBECTL = Tool(
    values=_K8S_VALUES, deny=("--token", "--kubeconfig"),
    sub={"get": Shape(deny=("--raw", "--kubeconfig"), values=_K8S_VALUES, check="kubectl-get",
                      secrets_ok=True),
         "describe": _K8S, "logs": _K8S, "top": _K8S, "explain": _K8S, "version": _K8S,
         "api-resources": _K8S, "api-versions": _K8S, "cluster-info": _K8S, "events": _K8S,
         "wait": _K8S, "diff": _K8S, "apply": _K8S,
         "auth": Tool(sub={"can-i": _K8S, "whoami": _K8S}, values=_K8S_VALUES),
         "config": Tool(sub={"get-contexts": _K8S, "current-context": _K8S,
                             "view": Shape(deny=("--raw", "--flatten")),
                             "get-clusters": _K8S, "use-context": _K8S},
                        values=_K8S_VALUES),
         "rollout": Tool(sub={"status": _K8S, "history": _K8S, "restart": _K8S,
                              "resume": _K8S, "pause": _K8S}, values=_K8S_VALUES),
         "scale": Shape(values=_K8S_VALUES, check="scale"),
         "set": Tool(sub={"image": _K8S}, values=_K8S_VALUES)},
)
_HELM_VALUES = ("-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values",
                "--version", "--set", "--set-string", "--timeout", "-o", "--output",
                "--repo", "--revision")
_HELM = Shape(deny=("--post-renderer", "--post-renderer-args", "--set-file", "--plugins",
                    "--kubeconfig"), values=_HELM_VALUES)
HELM = Tool(
    values=_HELM_VALUES, deny=("--kubeconfig",),
    sub={"list": _HELM, "ls": _HELM, "status": _HELM, "history": _HELM, "get": Tool(
        sub={"values": _HELM, "manifest": _HELM, "notes": _HELM, "all": _HELM}),
         "upgrade": _HELM, "install": _HELM, "template": _HELM, "lint": _HELM,
         "search": _HELM, "show": _HELM, "version": _HELM, "env": _HELM, "diff": _HELM,
         "repo": Tool(sub={"add": _HELM, "update": _HELM, "list": _HELM, "ls": _HELM}),
         "dependency": Tool(sub={"update": _HELM, "build": _HELM, "list": _HELM}),
         "dep": Tool(sub={"update": _HELM, "build": _HELM, "list": _HELM})},
)
_DOCKER_VALUES = ("--context", "-c", "-H", "--host", "--config", "-l", "--log-level",
                  "--tlscacert", "--tlscert", "--tlskey")
_DK = Shape(deny=("--privileged",), values=("-f", "--filter", "--format", "-n", "--tail",
                                           "--since", "--until", "-t", "--tag"))
_DKC = Shape(deny=_DK.deny, values=_DK.values, check="compose-file")
_COMPOSE_VALUES = ("-f", "--file", "-p", "--project-name", "--env-file", "--profile",
                   "--project-directory", "--ansi", "--progress")
_COMPOSE = Tool(
    values=_COMPOSE_VALUES,
    sub={n: _DKC for n in ("ps", "logs", "up", "pull", "build", "config", "restart", "start",
                           "top", "images", "ls", "version", "port", "events")},
)
DOCKER = Tool(
    values=_DOCKER_VALUES,
    sub={"ps": _DK, "images": _DK, "logs": _DK, "inspect": _DK, "stats": _DK, "top": _DK,
         "version": _DK, "info": _DK, "port": _DK, "diff": _DK, "history": _DK,
         "events": _DK, "build": Shape(deny=("--secret", "--ssh", "-o", "--output"),
                                       values=("-t", "--tag", "-f", "--file", "--target",
                                               "--build-arg", "--platform"),
                                       check="compose-file"),
         "pull": _DK, "restart": _DK, "start": _DK,
         "compose": _COMPOSE,
         "image": Tool(sub={"ls": _DK, "inspect": _DK, "history": _DK}),
         "container": Tool(sub={"ls": _DK, "inspect": _DK, "logs": _DK, "stats": _DK,
                                "top": _DK, "port": _DK}),
         "volume": Tool(sub={"ls": _DK, "inspect": _DK}),
         "network": Tool(sub={"ls": _DK, "inspect": _DK}),
         "system": Tool(sub={"df": _DK, "info": _DK}),
         "context": Tool(sub={"ls": _DK, "show": _DK}),
         "buildx": Tool(sub={"ls": _DK, "version": _DK})},
)
_UNIT = Shape(deny=("-H", "--host", "-M", "--machine", "--root", "--image"),
              check="units")
SYSTEMCTL = Tool(
    values=("-p", "--property", "-t", "--type", "--state", "-n", "--lines", "-o", "--output"),
    deny=("-H", "--host", "-M", "--machine", "--root", "--image", "--user", "--global"),
    sub={"status": ANY, "is-active": ANY, "is-enabled": ANY, "is-failed": ANY,
         "list-units": ANY, "list-unit-files": ANY, "list-timers": ANY, "list-sockets": ANY,
         "list-dependencies": ANY, "list-jobs": ANY, "show": ANY, "cat": ANY, "help": ANY,
         "restart": _UNIT, "reload": _UNIT, "try-restart": _UNIT, "reload-or-restart": _UNIT,
         "try-reload-or-restart": _UNIT, "start": _UNIT, "enable": _UNIT,
         "daemon-reload": Shape(max_operands=0), "show-environment": ANY},
    bare=Shape(max_operands=0),
)
_SERVICE_OK = frozenset({"status", "restart", "reload", "start", "force-reload", "try-restart"})
_AWS_OP = Shape(deny=("--endpoint-url",), values=("--query", "--output", "--region",
                                                   "--profile", "--filters", "--instance-ids"),
                check="aws")
AWS = Tool(
    values=("--profile", "--region", "--output", "--query", "--endpoint-url", "--color",
            "--cli-read-timeout", "--cli-connect-timeout"),
    deny=("--endpoint-url",),
    sub={"s3": Tool(sub={"ls": _AWS_OP}),
         "sts": Tool(sub={"get-caller-identity": _AWS_OP}),
         "*": Tool(sub={"describe-*": _AWS_OP, "list-*": _AWS_OP, "get-*": _AWS_OP}),
         "--version": ANY},
)
_GCLOUD_OP = Shape(check="aws", values=("--project", "--zone", "--region", "--format",
                                        "--filter", "--limit"))

CATALOGUE: dict[str, Entry] = {
    # inspecting the host
    **{n: META for n in ("ls", "ll", "stat", "du", "wc", "basename", "dirname",
                         "realpath", "readlink", "namei", "md5sum", "sha1sum", "sha256sum",
                         "sha512sum", "b2sum", "cksum", "test", "[", "lsattr", "getfacl")},
    "hostname": Shape(max_operands=0, deny=("-F", "--file", "-b", "--boot")),
    "lastlog": Shape(deny=("-C", "--clear", "-S", "--set")),
    "sar": Shape(deny=("-o",)), "ss": Shape(deny=("-K", "--kill")),
    "tree": Shape(deny=("-o",), dynamic_ok=True), "file": Shape(deny=("-C", "--compile"),
                                                                 dynamic_ok=True, secrets_ok=True),
    "uniq": Shape(max_operands=1, dynamic_ok=True), "yq": Shape(deny=("-i", "--inplace")),
    "xmllint": Shape(deny=("-o", "--output")),
    "printf": Shape(deny=("-v",), dynamic_ok=True), "read": Shape(check="read"),
    "set": Shape(check="set"),
    "dig": Shape(deny=("-f",), check="no-stdin"), "nslookup": Shape(check="no-stdin"),
    "host": Shape(check="no-stdin"),
    "ps": Shape(check="ps", values=("-o", "-p", "-u", "-C", "--sort", "-U", "-G")),
    **{n: ANY for n in ("pwd", "whoami", "id", "uptime", "uname", "df", "free",
                        "pgrep", "pidof", "w", "who", "last", "groups",
                        "nproc", "lscpu", "lsblk", "blkid", "lsmod", "lspci", "lsusb",
                        "locale", "ulimit", "vmstat", "iostat", "mpstat",
                        "pidstat", "netstat", "lsof", "true", "false", ":",
                        "sleep", "seq", "cal", "tty", "arch", "getconf", "printenv",
                        "type", "which", "whereis", "clear", "tput", "yes", "numfmt",
                        "expr", "factor", "bc", "ping", "ping6",
                        "traceroute", "tracepath", "mtr", "getent", "findmnt", "whois", "cd",
                        "pushd", "popd", "dirs", "jobs", "wait", "shift", "exit", "return",
                        "break", "continue")},
    **{n: READER for n in ("jq", "cut", "tr", "diff", "cmp", "od", "hexdump", "strings",
                           "nl", "tac", "rev", "column", "comm", "join", "paste", "fold",
                           "fmt", "expand", "unexpand", "base32")},
    "mount": Shape(max_operands=0, deny=("-a", "--all", "-o", "-t", "-B", "--bind", "-M",
                                         "--move", "--rbind")),
    "swapon": Shape(max_operands=0, deny=("-a", "--all")),
    "dmesg": Shape(deny=("-C", "--clear", "-c", "--read-clear", "-D", "--console-off", "-E",
                         "--console-on", "-n", "--console-level")),
    "history": Shape(deny=("-c", "-d", "-w", "-a", "-r", "-n", "-s"), max_operands=1),
    "hostnamectl": Tool(sub={"status": ANY, "hostname": Shape(max_operands=0)}, bare=ANY),
    "timedatectl": Tool(sub={"status": ANY, "show": ANY, "list-timezones": ANY,
                             "timesync-status": ANY}, bare=ANY),
    "date": Shape(deny=("-s", "--set", "-f", "--file")),
    "command": Shape(check="command", dynamic_ok=True, secrets_ok=True),
    "export": Shape(check="export", dynamic_ok=True, secrets_ok=True),
    "unset": Shape(check="export", dynamic_ok=True, secrets_ok=True),
    "pre-commit": Tool(sub={"run": Shape(deny=("--hook-stage",))}),
    "echo": READER, "cat": READER, "head": READER, "tail": READER,
    "zcat": READER, "bzcat": READER, "xzcat": READER, "zgrep": _GREP, "grep": _GREP,
    "egrep": _GREP, "fgrep": _GREP, "rg": _GREP, "ag": _GREP,
    "awk": Shape(check="awk"), "sort": _SORT, "shuf": Shape(deny=("-o", "--output")),
    "base64": Shape(deny=("-o", "--output")), "gzip": Shape(deny=("-f", "--force"),
                                                             check="gunzip"),
    "gunzip": Shape(deny=("-f", "--force"), check="gunzip"),
    "zip": Shape(deny=("-T", "-TT", "--unzip-command", "--test")),
    "unzip": Shape(check="unzip", values=("-d", "-x"), deny=("-o",)),
    "sed": Shape(deny=("-i", "--in-place", "-f", "--file", "-s", "--separate"), check="sed",
                 values=("-e", "--expression", "-l")),
    "find": Shape(check="find"), "tar": Shape(check="tar"),
    "top": Shape(check=None, deny=()), "iotop": ANY, "journalctl": Shape(
        deny=("--vacuum-time", "--vacuum-size", "--vacuum-files", "--rotate", "--flush",
              "--relinquish-var", "--setup-keys", "--update-catalog", "--sync", "-D",
              "--directory", "--file", "--root"),
        values=("-u", "--unit", "-n", "--lines", "-p", "--priority", "-o", "--output",
                "--since", "--until", "-t", "-b", "--boot")),
    "iptables": Shape(check="iptables"), "ip6tables": Shape(check="iptables"),
    "ip": Tool(sub={n: Tool(sub={"show": ANY, "list": ANY, "get": ANY, "ls": ANY}, bare=ANY)
                    for n in ("addr", "a", "address", "route", "r", "link", "l", "neigh", "n",
                              "rule", "ru", "maddr", "netconf")},
               deny=("-b!", "-ba*", "-f!", "-fo*", "-n!", "-ne*", "-N!")),
    "sysctl": Shape(deny=("-w", "--write", "-p", "--load", "--system", "-f"), check=None),
    "crontab": Shape(deny=("-r", "-e", "-i"), values=("-u",), max_operands=0),
    "nginx": Shape(check="nginx"),
    "kill": Shape(check="kill"),
    "nc": Shape(deny=("-e", "-c", "--exec", "--sh-exec", "--lua-exec", "-l", "--listen"),
                check="nc-z"),
    "curl": Shape(deny=("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode",
                        "--json", "-F", "--form", "--form-string", "-T", "--upload-file",
                        "-K", "--config", "-O", "--remote-name", "--remote-name-all",
                        "--create-dirs", "-u", "--user", "--proxy", "-x", "--socks5",
                        "--unix-socket", "--abstract-unix-socket", "-c", "--cookie-jar",
                        "-D", "--dump-header", "--trace", "--trace-ascii", "--libcurl", "-b",
                        "--cookie",
                        "--netrc-file", "-n", "--netrc", "--engine", "--stderr", "-G", "-q",
                        "--connect-to", "--resolve", "--doh-url", "-t", "--telnet-option"),
                  values=("-H", "--header", "-X", "--request", "-o", "--output", "-m",
                          "--max-time", "-w", "--write-out", "-A", "--user-agent",
                          "--connect-timeout", "--retry", "-e", "--referer"),
                  check="curl"),
    "wget": Shape(deny=("-e", "--execute", "--post-data", "--post-file", "--body-data",
                        "--body-file", "--method", "-i", "--input-file", "-x",
                        "--force-directories", "-r", "--recursive", "-m", "--mirror",
                        "--use-askpass", "--config", "-a", "-o", "--output-file",
                        "--content-disposition", "--trust-server-names"),
                  values=("-O", "--output-document", "-P", "--directory-prefix", "-T",
                          "--timeout", "-t", "--tries", "--header", "-U"),
                  check="wget"),
    "openssl": Tool(sub={"x509": Shape(deny=("-out", "-signkey", "-CAkey", "-req")),
                         "version": ANY, "rand": Shape(deny=("-out",)),
                         "verify": ANY, "ciphers": ANY}),
    "ssh-keygen": Shape(check="ssh-keygen"),
    # files: ordinary changes
    "mkdir": Shape(check="dest", values=("-m", "--mode")), "touch": Shape(
        check="dest", deny=("-r", "--reference", "-d", "--date", "-t")),
    "cp": Shape(check="copy", deny=("-t", "--target-directory", "--remove-destination",
                                    "-f", "--force", "-l", "--link", "-s",
                                    "--symbolic-link", "--attributes-only")),
    "mv": Shape(check="copy", deny=("-t", "--target-directory", "-f", "--force")),
    "ln": Shape(check="copy", deny=("-t", "--target-directory", "-f", "--force", "-F",
                                    "--directory")),
    "rmdir": Shape(deny=("-p", "--parents")),
    "rsync": Shape(check="rsync", deny=("-e", "--rsh", "--rsync-path", "--delete*", "--del",
                                        "--remove-source-files", "--files-from",
                                        "--include-from", "--exclude-from", "--daemon",
                                        "--config", "--password-file", "--write-batch",
                                        "--read-batch", "--only-write-batch", "--backup-dir",
                                        "-b", "--backup", "--link-dest", "--copy-dest",
                                        "--compare-dest", "--chown", "--usermap",
                                        "--groupmap", "--chmod", "--super", "-f",
                                        "--filter")),
    "tee": Shape(check="dest", deny=("-p",)),
    "chmod": Shape(deny=("-R", "--recursive", "--reference"), check="chmod", secrets_ok=True),
    # wrappers: the command they run is found and classified on its own
    **{n: _WRAP for n in ("sudo", "doas", "nice", "nohup", "time", "exec",
                          "setsid", "stdbuf", "ionice", "timeout", "unbuffer", "xargs",
                          "watch", "flock", "chrt", "taskset", "builtin")},
    "env": Shape(check="env", dynamic_ok=True, secrets_ok=True),
    "bash": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "sh": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "zsh": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "dash": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "ssh": Shape(deny=("-o", "-F", "-J", "-L", "-R", "-D", "-W", "-w", "-N", "-f", "-M", "-S",
                       "-O", "-A", "-X", "-Y", "-i", "-E", "-G", "-s", "-I", "-K"),
                 values=("-p", "-l", "-c", "-m", "-b", "-B", "-e", "-Q"),
                 check="ssh", dynamic_ok=True, secrets_ok=True),
    # services
    "systemctl": SYSTEMCTL, "service": Shape(check="service"),
    # version control
    "git": GIT,
    # packages, from the configured index
    **{n: Tool(sub=_SAFE_PKG, deny=_PKG_DENY) for n in ("apt-get", "apt", "apt-cache", "yum",
                                                          "dnf", "apk", "brew")},
    "dpkg": Shape(check="dpkg"), "dpkg-query": ANY, "rpm": Shape(check="rpm"),
    "pip": Tool(sub={"install": _INSTALL, "list": ANY, "show": ANY, "freeze": ANY,
                     "check": ANY, "download": _INSTALL, "--version": ANY}),
    "pip3": Tool(sub={"install": _INSTALL, "list": ANY, "show": ANY, "freeze": ANY,
                      "check": ANY, "--version": ANY}),
    # build and test tools with plain targets
    "make": _BUILD, "gmake": _BUILD,
    "npm": Tool(sub={"ci": Shape(deny=_PKG_DENY), "install": _INSTALL, "i": _INSTALL,
                     "test": ANY, "t": ANY, "run": Shape(check="targets",
                                                          deny=("--script-shell",)),
                     "run-script": Shape(check="targets", deny=("--script-shell",)),
                     "start": ANY, "ls": ANY, "list": ANY, "outdated": ANY, "view": ANY,
                     "audit": Shape(deny=("fix",)), "--version": ANY, "-v": ANY, "pack": ANY,
                     "version": Shape(max_operands=0)},
                values=("-w", "--workspace"), deny=("--prefix", "-C", "--script-shell")),
    "yarn": Tool(sub={"install": Shape(deny=_PKG_DENY), "test": ANY, "build": ANY,
                      "run": Shape(check="targets"), "list": ANY, "--version": ANY},
                 bare=Shape(max_operands=0)),
    "pnpm": Tool(sub={"install": Shape(deny=_PKG_DENY), "i": Shape(deny=_PKG_DENY),
                      "test": ANY, "run": Shape(check="targets"), "list": ANY, "ls": ANY,
                      "build": ANY, "--version": ANY}),
    "pytest": Shape(deny=("-p", "--pyargs", "--rootdir", "-c", "--confcutdir")),
    "py.test": Shape(deny=("-p", "--pyargs")),
    "tox": Shape(values=("-e",)), "nox": Shape(values=("-s", "-e")),
    "ruff": Tool(sub={"check": Shape(deny=("--fix",)), "format": ANY, "--version": ANY},
                 bare=ANY),
    "black": ANY, "isort": ANY, "flake8": ANY, "mypy": ANY, "pylint": ANY, "eslint": ANY,
    "prettier": ANY, "shellcheck": ANY, "yamllint": ANY, "hadolint": ANY,
    "cargo": Tool(sub={n: _CARGO for n in ("build", "test", "check", "fmt", "clippy", "doc",
                                            "tree", "metadata", "run", "bench", "fetch",
                                            "--version", "version", "update", "clean")},
                  deny=("--config", "-Z", "--manifest-path", "-C")),
    "go": Tool(sub={"build": Shape(deny=("-toolexec", "-exec", "-overlay", "-modfile"),
                                   check="out"),
                    "test": Shape(deny=("-toolexec", "-exec", "-overlay", "-modfile"),
                                  check="out"),
                    "vet": Shape(deny=("-vettool",)), "fmt": ANY, "version": ANY,
                    "env": Shape(deny=("-w", "-u")), "list": ANY,
                    "mod": Tool(sub={"tidy": ANY, "download": ANY, "verify": ANY,
                                     "graph": ANY, "why": ANY}),
                    }),
    "mvn": Shape(check="lifecycle", deny=("-f", "--file", "-s", "--settings", "-gs")),
    "mvnw": Shape(check="lifecycle", deny=("-f", "--file", "-s", "--settings")),
    "gradle": Shape(check="targets", deny=("-I", "--init-script", "-b", "--build-file",
                                           "-c", "--settings-file", "-p", "--project-dir")),
    "gradlew": Shape(check="targets", deny=("-I", "--init-script", "-b", "--build-file",
                                            "-c", "--settings-file", "-p", "--project-dir")),
    "node": Shape(check="version"), "python": Shape(check="python"),
    "python3": Shape(check="python"), "ruby": Shape(check="version"),
    "java": Shape(check="version"), "php": Shape(check="version"),
    "terraform": Tool(sub={"plan": Shape(deny=("-out",)), "init": Shape(
        deny=("-plugin-dir", "-from-module", "-backend-config")), "fmt": ANY,
        "validate": ANY, "output": ANY, "show": ANY, "version": ANY, "providers": ANY,
        "graph": ANY, "state": Tool(sub={"list": ANY, "show": ANY}), "workspace": Tool(
            sub={"list": ANY, "show": ANY, "select": ANY})}, deny=("-chdir",)),
    # clusters and containers
    "kubectl": KUBECTL, "helm": HELM, "docker": DOCKER, "docker-compose": _COMPOSE,
    "podman": DOCKER,
    # datastores: plain reads only
    "psql": Shape(check="sql", deny=("-f", "--file", "-o", "--output", "-L", "--log-file"),
                  values=("-c", "--command", "-d", "--dbname", "-U", "--username", "-h",
                          "--host", "-p", "--port")),
    "mysql": Shape(check="sql", deny=("--init-command", "--tee", "-o", "--pager",
                                      "--plugin-dir", "--load-data-local-dir",
                                      "--local-infile"),
                   values=("-e", "--execute", "-u", "--user", "-h", "--host", "-P", "--port",
                           "-D", "--database")),
    "mariadb": Shape(check="sql", deny=("--init-command", "--tee", "--pager"),
                     values=("-e", "--execute", "-u", "--user", "-h", "--host")),
    "sqlite3": Shape(check="sqlite", deny=("-init", "-cmd", "-bail")),
    "redis-cli": Shape(check="redis"), "valkey-cli": Shape(check="redis"),
    "pg_isready": ANY,
    # clouds: describe/list/get without secrets
    "aws": AWS,
    "gcloud": Tool(sub={"*": Tool(sub={"*": Tool(sub={"list": _GCLOUD_OP,
                                                      "describe": _GCLOUD_OP}),
                                       "list": _GCLOUD_OP, "describe": _GCLOUD_OP})},
                   values=("--project", "--configuration")),
    "az": Tool(sub={"*": Tool(sub={"list": _GCLOUD_OP, "show": _GCLOUD_OP})}),
    "ansible-playbook": Shape(check="ansible-check"),
    "ansible": Shape(check="ansible-ping"),
}


# --- checks that need the tool's own words ---------------------------------------------------
def _check_awk(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if any(a.startswith(("-f", "--file", "-i", "--include", "-l", "--load", "-E", "--exec",
                         "-e", "--source"))
           for a in rest if a.startswith("-")) or "inplace" in rest:
        return "awk with a program file, a library or in-place editing"
    prog = next((o for o in ops), "")
    if re.search(r"system|getline|\||ENVIRON|PROCINFO|fflush|close|>", prog):
        return "an awk program that runs, writes or reads the environment"
    return None


def _check_service(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if len(ops) == 2 and ops[1] in _SERVICE_OK and not _TARGET_SPECIAL.search(ops[0]):
        return None
    if ops[:1] == ("--status-all",) or rest == ("--status-all",):
        return None
    return "service verb other than status/start/restart/reload"


def _check_nc(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if not any(a.startswith("-") and "z" in a[1:] for a in rest):
        return "nc without -z opens a connection that carries data"
    return None


def _check_keygen(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    flags = {a for a in rest if a.startswith("-")}
    if flags <= {"-l", "-f", "-v", "-E", "-lf", "-lv", "-y"} - {"-y"} and "-l" in \
            "".join(flags):
        return None
    return "ssh-keygen other than printing a fingerprint"


def _check_version(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if rest in (("--version",), ("-v",), ("-V",), ("-version",)):
        return None
    return "an interpreter runs a program the guard cannot see"


_PY_MODULES = {"pytest": "pytest", "pip": "pip", "venv": "venv", "mypy": "mypy",
               "ruff": "ruff", "black": "black", "unittest": "unittest", "tox": "tox"}


def _check_python(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if _check_version(c, rest, ops) is None:
        return None
    if len(rest) >= 2 and rest[0] == "-m" and rest[1] in _PY_MODULES:
        module, tail = rest[1], rest[2:]
        if module == "pip":
            entry = CATALOGUE["pip"]
            assert isinstance(entry, Tool)
            v = _match_tool("pip", entry, c, ("pip", *tail), 0)
            return None if v.entry else v.why
        if module == "venv":
            return None if all(safe_write_target(a) or a in (".venv", ".env") for a in tail
                               if not a.startswith("-")) else "venv outside the working directory"
        if module == "pytest":
            return None if not any(a in ("-p", "--pyargs") for a in tail) else "pytest -p"
        return None
    return "an interpreter runs a program the guard cannot see"


_SOFT_SIGNALS = frozenset({"HUP", "TERM", "INT", "USR1", "USR2", "CONT", "WINCH", "QUIT", "0",
                           "1", "2", "3", "10", "12", "15", "18"})


def _check_kill(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """kill with a terminating-but-catchable signal (or none): SIGKILL and friends are rules."""
    i = 0
    while i < len(rest):
        a = rest[i]
        sig = None
        if a in ("-s", "-n", "--signal") and i + 1 < len(rest):
            sig, i = rest[i + 1], i + 1
        elif a.startswith("--signal="):
            sig = a.split("=", 1)[1]
        elif a.startswith(("-s", "-n")) and len(a) > 2 and not a[2:].isdigit():
            sig = a[2:]
        elif a in ("-l", "-L", "--list", "--table"):
            return None
        elif a.startswith("-") and a != "--":
            sig = a[1:]
        elif not re.fullmatch(r"[0-9]+|%[0-9]+", a):
            return f"kill {a!r}: not a plain process id"
        if sig is not None and sig.upper().removeprefix("SIG") not in _SOFT_SIGNALS:
            return f"signal {sig!r} is not a plain terminate/reload signal"
        i += 1
    return None


_SPECIAL_NAME = re.compile(r"^(PATH|LD_[A-Z_]+|BASH_ENV|ENV|IFS|PS[0-4]|PROMPT_COMMAND|"
                           r"SHELLOPTS|BASHOPTS|CDPATH|GLOBIGNORE|HOME|HIST[A-Z]*|"
                           r"__sshgate.*)$")


def _check_export(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    for a in rest:
        if a.startswith("-") and a not in ("-n", "-v"):
            return f"{c.name} {a}"
        if _SPECIAL_VAR.match(a) or _SPECIAL_NAME.match(a.split("=", 1)[0]):
            return f"changes {a.split('=', 1)[0]}, which changes what later commands do"
        if "=" in a and not _SAFE_ENV.match(a) and a.split("=", 1)[0].isupper() and \
                not re.match(r"^[A-Z][A-Z0-9_]*=", a):
            return f"exports {a.split('=', 1)[0]}"
    return None


def _check_command(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if rest[:1] in (("-v",), ("-V",)):
        return None
    return _check_wrapper(c, rest, ops)


def _check_git_remote(c: SimpleCommand, rest: tuple[str, ...],
                      ops: tuple[str, ...]) -> str | None:
    for o in ops:
        if "::" in o or o.startswith(("-", "file:")):
            return f"{o!r} is a transport that runs a program or reads local files"
    return None


def _check_git_named_remote(c: SimpleCommand, rest: tuple[str, ...],
                            ops: tuple[str, ...]) -> str | None:
    """fetch/pull/push/ls-remote by remote name: a URL would bring in (or send off) another
    repository's tree, whose Makefile and hooks an ordinary build then runs."""
    if ops and ("/" in ops[0] or ":" in ops[0] or "@" in ops[0]):
        return f"{ops[0]!r} is a URL or path, not a configured remote"
    return _check_git_remote(c, rest, ops)


def _check_git_clone(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if len(ops) >= 2 and not safe_write_target(ops[-1].rstrip("/")):
        return f"clones into {ops[-1]!r}"
    return _check_git_remote(c, rest, ops)


_IPT_LIST = frozenset({"-L", "--list", "-S", "--list-rules", "-n", "--numeric", "-v",
                       "--verbose", "--line-numbers", "-x", "--exact", "-nL", "-Ln", "-nvL",
                       "-vnL", "-L -n", "-t", "--table", "filter", "nat", "mangle", "raw",
                       "security", "INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"})


def _check_iptables(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if rest and all(a in _IPT_LIST for a in rest) and any("L" in a or "S" in a for a in rest):
        return None
    return "a firewall change (only listing is known safe)"


def _check_nginx(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    """nginx -t/-T (test the configuration), -v/-V, -s reload/reopen."""
    for i, a in enumerate(rest):
        if a in ("-t", "-T", "-v", "-V", "-q", "-tq"):
            continue
        if a == "-s" and rest[i + 1:i + 2] in (("reload",), ("reopen",)):
            continue
        if i > 0 and rest[i - 1] == "-s" and a in ("reload", "reopen"):
            continue
        return f"nginx {a!r} (only -t, -v and -s reload are known safe)"
    return None if rest else "nginx without -t starts a server"


def _check_dpkg(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if rest and rest[0] in ("-l", "--list", "-L", "--listfiles", "-s", "--status", "-S",
                            "--search", "--print-architecture", "--get-selections"):
        return None
    return "dpkg other than a query"


def _check_rpm(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    if rest and rest[0].startswith("-q") and not any("--scripts" in a for a in rest):
        return None
    return "rpm other than a query"


def _check_ansible(c: SimpleCommand, rest: tuple[str, ...], ops: tuple[str, ...]) -> str | None:
    return None if "--check" in rest or "-C" in rest else "a playbook run changes hosts"


def _check_ansible_ping(c: SimpleCommand, rest: tuple[str, ...],
                        ops: tuple[str, ...]) -> str | None:
    # ansible takes the LAST -m: every spelling of every one must be ping or setup
    modules = []
    for i, a in enumerate(rest):
        if a in ("-m", "--module-name"):
            modules.append(rest[i + 1] if i + 1 < len(rest) else "")
        elif a.startswith("--module-name=") or a.startswith("--mod"):
            modules.append(a.partition("=")[2] if "=" in a else "")
        elif a.startswith("-m") and len(a) > 2:
            modules.append(a[2:])
        elif a.startswith("-") and not a.startswith("--") and "m" in a[1:]:
            modules.append("")  # -m inside a cluster (-vm x): not read here
    if modules and all(m in ("ping", "setup") for m in modules):
        return None
    return "an ansible module other than ping/setup"


CHECKS.update({"awk": _check_awk, "service": _check_service, "nc-z": _check_nc,
               "ssh-keygen": _check_keygen, "version": _check_version, "python": _check_python,
               "dpkg": _check_dpkg, "kill": _check_kill, "nginx": _check_nginx,
               "iptables": _check_iptables,
               "export": _check_export, "command": _check_command,
               "git-remote": _check_git_remote, "rpm": _check_rpm,
               "git-named-remote": _check_git_named_remote, "git-clone": _check_git_clone,
               "ansible-check": _check_ansible, "ansible-ping": _check_ansible_ping})

# --- matching ----------------------------------------------------------------------------------
#: argv[0] spelt with a directory matches only from a system bin directory or a repository
#: wrapper script: ``./ls`` written by the agent is not ``ls``.
_BIN_DIRS = ("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/",
             "/usr/local/sbin/")
_REPO_WRAPPERS = frozenset({"./gradlew", "./mvnw"})
#: environment a command may be given on its own line: nothing that changes what runs.
_SAFE_ENV = re.compile(r"^(LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|COLUMNS|LINES|NO_COLOR|FORCE_COLOR|"
                       r"CI|DEBUG|VERBOSE|LOG_LEVEL|RAILS_ENV|RACK_ENV|NODE_ENV|APP_ENV|"
                       r"FLASK_ENV|GOOS|GOARCH|CGO_ENABLED|RUST_LOG|RUST_BACKTRACE|"
                       r"PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE)=")
#: shell variables that change what later commands do.
_SPECIAL_VAR = re.compile(r"^(PATH|LD_[A-Z_]+|BASH_ENV|ENV|IFS|PS[0-4]|PROMPT_COMMAND|"
                          r"SHELLOPTS|BASHOPTS|CDPATH|GLOBIGNORE|HOME|GIT_[A-Z_]+|"
                          r"PYTHON[A-Z_]*|PERL5[A-Z_]*|RUBYOPT|NODE_OPTIONS|TF_[A-Z_]+|"
                          r"PAGER|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|MANPAGER|SSH_[A-Z_]+|"
                          r"KUBECONFIG|DOCKER_HOST|AWS_[A-Z_]+|[A-Za-z_]*PROXY|http_proxy|"
                          r"https_proxy|MAKEFLAGS|SUDO_[A-Z_]+|HIST[A-Z]*)(\+?=|$)")


#: checks that read their words as text (patterns, scripts, SQL), never as file names
_LITERAL_CHECKS = frozenset({"find", "sed", "awk", "sql", "sqlite", "redis", "iptables"})


@functools.lru_cache(maxsize=8192)
def _word_hits(rule: str, a: str, values: tuple[str, ...] = ()) -> bool:
    """Does the option word ``a`` match the deny spelling ``rule``? GNU getopt_long takes any
    unambiguous prefix of a long option (``--in-pl`` is ``--in-place``), and short options
    cluster (``-ni.bak`` is ``-n -i.bak``) until one that takes a value."""
    name = a.split("=", 1)[0]
    if rule.endswith("!"):
        return a == rule[:-1]  # exact only (ip: -b is -batch, -br is -brief)
    if rule.endswith("*"):
        return a.startswith(rule[:-1]) or (rule.startswith("--") and len(name) > 2 and
                                           rule[:-1].startswith(name))
    if rule.startswith("--"):
        # an option the tool takes, spelt in full, is not an abbreviation of another
        return name == rule or (name.startswith("--") and len(name) > 2 and
                                rule.startswith(name) and name not in values)
    if len(rule) > 2 and rule.startswith("-"):
        return name == rule
    if rule.startswith("-") and len(rule) == 2:
        if a == rule or (a.startswith(rule) and not a.startswith("--")):
            return True  # -i, -i.bak, -ofile
        if not a.startswith("-") or a.startswith("--"):
            return False
        for ch in a[1:]:
            if ch == rule[1]:
                return True
            if not ch.isalnum() or f"-{ch}" in values:
                return False
        return False
    return a == rule  # a bare word (git remote add)


def _glob_word(a: str) -> bool:
    """An unquoted glob could expand to file names that read as options (``--checkpoint-
    action=...``); inside ``--opt=VALUE`` the expansion stays that option's value."""
    m = _GLOB.search(a)
    return m is not None and not (a.startswith("--") and 0 < a.find("=") < m.start())


def _shape(name: str, shape: Shape, c: SimpleCommand, rest: tuple[str, ...],
           offset: int) -> Verdict:
    """Check ``rest`` (the words after the command or subcommand) against ``shape``.
    ``offset`` is where ``rest`` starts in ``c.argv`` (for the dynamic flags)."""
    ops: list[str] = []
    i, after_dd = 0, False
    dyn = c.dynamic[offset:] if c.dynamic else ()
    while i < len(rest):
        a = rest[i]
        d = dyn[i] if i < len(dyn) else False
        computed = d or (not after_dd and shape.check not in _LITERAL_CHECKS and
                         _glob_word(a))
        if computed and not shape.dynamic_ok and not (i > 0 and rest[i - 1] in shape.values
                                                      and not d):
            return Verdict(None, f"{name}: a computed or glob word ({a!r}) could become "
                                 "an option or another file")
        if after_dd or not a.startswith("-") or a == "-":
            ops.append(a)
            i += 1
            continue
        if a == "--":
            after_dd = True
            i += 1
            continue
        for rule in shape.deny:
            if _word_hits(rule, a, shape.values):
                return Verdict(None, f"{name}: option {a.split('=', 1)[0]} is not ordinary")
        i += 2 if (a in shape.values) else 1
    if shape.max_operands is not None and len(ops) > shape.max_operands:
        return Verdict(None, f"{name}: more operands than the safe shape takes")
    if not shape.secrets_ok:
        for a in rest:
            v = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
            if secretish(v):
                return Verdict(None, f"{name}: {v!r} could be a secret")
    if shape.check:
        why = CHECKS[shape.check](c, rest, tuple(ops))
        if why:
            return Verdict(None, f"{name}: {why}")
    return Verdict(name)


#: a tool asked only about itself
_ABOUT = frozenset({"--version", "-V", "--help", "-h", "-version"})


def _match_tool(name: str, tool: Tool, c: SimpleCommand, rest: tuple[str, ...],
                offset: int) -> Verdict:
    # rest[0] is the tool's own word; its global options come before the subcommand
    i = 1
    dyn = c.dynamic[offset:] if c.dynamic else ()
    while i < len(rest) and rest[i].startswith("-") and rest[i] not in tool.sub:
        a = rest[i]
        if i < len(dyn) and dyn[i]:
            return Verdict(None, f"{name}: a computed global option")
        for rule in tool.deny:
            if _word_hits(rule, a, tool.values):
                return Verdict(None, f"{name}: global option {a.split('=', 1)[0]} is not "
                                     "ordinary")
        i += 2 if a in tool.values else 1
    if i >= len(rest):
        if tool.bare is not None:
            return _shape(name, tool.bare, c, (), offset + i)
        if len(rest) == 2 and rest[1] in _ABOUT:
            return Verdict(f"{name} {rest[1]}")
        return Verdict(None, f"{name}: no subcommand")
    word = rest[i]
    if i < len(dyn) and dyn[i]:
        return Verdict(None, f"{name}: the subcommand is computed")
    entry = tool.sub.get(word)
    if entry is None:
        entry = next((e for k, e in tool.sub.items() if "*" in k and fnmatch.fnmatchcase(
            word, k) and not word.startswith("-")), None)
    if entry is None:
        return Verdict(None, f"{name} {word}: not in the known-safe catalogue")
    full = f"{name} {word}" if not name.endswith(" *") else name
    if isinstance(entry, Tool):
        return _match_tool(full, entry, c, rest[i:], offset + i)
    # global options may also follow the subcommand (kubectl get pods -n x)
    return _shape(full, entry, c, rest[i + 1:], offset + i + 1)


def _env_ok(c: SimpleCommand) -> str | None:
    for a in c.assignments:
        if _SPECIAL_VAR.match(a):
            return f"sets {a.split('=', 1)[0]}, which changes what later commands do"
        if c.argv and not _SAFE_ENV.match(a):
            return f"runs with {a.split('=', 1)[0]} set"
    return None


_READ_OPS = ("<",)
_WRITE_OPS = (">", ">>", ">|", "&>", "&>>", "<>", ">&")


def _redirects_ok(c: SimpleCommand) -> str | None:
    for r in c.redirects:
        if r.op in ("<<", "<<<", "<<-"):
            continue
        if r.op in _WRITE_OPS or r.op.endswith(">"):
            if r.target.isdigit() or r.target == "-":
                continue  # 2>&1, >&-
            if r.dynamic or not safe_write_target(r.target):
                return f"writes {r.target!r}: a dot-file, code or config file, or outside the " \
                       "working directory"
            if r.target in _SAFE_DEV:
                continue
            if not c.argv or c.name in (":", "true", "false") or (
                    r.op != ">>" and {"/dev/null", "/dev/zero"} & set(c.args)):
                return f"truncates {r.target!r}"
        elif r.op in _READ_OPS and (r.dynamic or secretish(r.target)):
            return f"reads {r.target!r}, which could be a secret"
    return None


def known_safe(c: SimpleCommand) -> Verdict:
    """The catalogue entry that makes ``c`` known safe, or why it is not."""
    why = _env_ok(c) or _redirects_ok(c)
    if why:
        return Verdict(None, why)
    if not c.argv:
        return Verdict("assignment")
    if c.name_is_dynamic:
        return Verdict(None, "the command name is computed")
    word = c.argv[0].lstrip("\\")
    if "/" in word and posixpath.dirname(word) + "/" not in _BIN_DIRS and \
            word not in _REPO_WRAPPERS:
        return Verdict(None, f"{word} is a program outside the system bin directories")
    entry = CATALOGUE.get(c.name)
    if entry is None:
        return Verdict(None, f"{c.name}: not in the known-safe catalogue")
    fed = c.via[-1:] in (("xargs",), ("parallel",)) or any(v.startswith("find -") for v in
                                                            c.via[-1:])
    if fed and not (isinstance(entry, Shape) and entry.dynamic_ok and entry.check not in
                    ("shell-c", "wrapper", "env", "ssh", "command")):
        return Verdict(None, f"{c.name}: its arguments come from elsewhere")
    if isinstance(entry, Tool):
        return _match_tool(c.name, entry, c, c.argv, 0)
    return _shape(c.name, entry, c, c.args, 1)


def site_allows(c: SimpleCommand, command: str, args: tuple[str, ...]) -> bool:
    """Does a grant's ``allow:`` entry (``command``, one glob per word, ``**`` last for any
    rest) make ``c`` known safe? Matched on the parsed argv, never on raw text; a computed or
    glob word, a risky redirection or environment never matches."""
    if not c.argv or c.name_is_dynamic or any(c.dynamic) or _env_ok(c) or _redirects_ok(c):
        return False
    word = c.argv[0]
    if "/" in command:
        if word != command:
            return False
    elif word != command and not ("/" in word and posixpath.dirname(word) + "/" in _BIN_DIRS
                                  and c.name == command):
        return False
    rest = c.argv[1:]
    if args[-1:] == ("**",):
        fixed = args[:-1]
        if len(rest) < len(fixed):
            return False
        rest = rest[:len(fixed)]
    else:
        fixed = args
        if len(rest) != len(fixed):
            return False
    return all(not _GLOB.search(w) and fnmatch.fnmatchcase(w, p) for w, p in
               zip(rest, fixed, strict=True))


__all__ = ["site_allows", "CATALOGUE", "CHECKS", "Shape", "Tool", "Verdict", "known_safe",
           "safe_write_target", "secretish", "sql_read_only"]
