"""File operations over SFTP, decided by the same path rules as commands. Pure."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .classify import Classification, Finding
from .rules import (
    AUTH_FILES,
    HISTORY_FILES,
    HOME_BIN,
    PERSISTENCE,
    SFTP_READ_ONLY,
    SFTP_UNKNOWN,
    STARTUP_FILES,
    TRANSFER_REMOVE,
    TRANSFER_RENAME,
    TRANSFER_SERVER_NAMES,
    TRANSFER_TRUNCATE,
    TRANSFER_UNRESOLVED,
    Rule,
    is_secret,
    is_system_path,
    rule_by_name,
)


@dataclass(frozen=True, slots=True)
class FileOp:
    """One file operation a client asked for.

    ``op``: read, write, remove, rename, mkdir, rmdir, setstat, symlink, link, or extended
    (an extension this module does not know; ``detail`` names it). ``path2`` is the second
    path of rename/symlink/link (the new name, or the link's target)."""

    op: str
    path: str
    path2: str = ""
    detail: str = ""

    def label(self) -> str:
        """How the operation reads in the audit log, the recording and a reviewer's prompt."""
        words = ["sftp", self.op]
        if self.detail:
            words.append(self.detail)
        words.append(self.path)
        if self.path2:
            words.append(self.path2)
        return " ".join(words)



def resolve(path: str, home: str | None = None) -> str | None:
    """The path a request names, as the path rules read it: ``~/...`` under the login's home
    (sftp-server's working directory, absolute in ``home`` when the target told it), else
    absolute. ``None`` when it cannot be told: empty, or climbing out of an unknown home."""
    if not path:
        return None
    if path.startswith("/"):
        p = posixpath.normpath("/" + path.lstrip("/"))
    elif home:
        p = posixpath.normpath(posixpath.join(home, path))
    else:
        rel = posixpath.normpath(path)
        if rel == ".." or rel.startswith("../"):
            return None
        return "~" if rel == "." else f"~/{rel}"
    if home and (p == home or p.startswith(home + "/")):
        return "~" + p[len(home):]
    return p


def usable_home(path: str) -> str | None:
    """``path`` as the login's home for :func:`resolve`, or None where treating what is below
    it as the login's own would hide a system path (``/``, ``/etc``, ``/usr/...``)."""
    p = posixpath.normpath(path) if path.startswith("/") else ""
    if not p or p == "/" or p.startswith("//") or (is_system_path(p) and p != "/root"):
        return None
    return p


#: what a grant's ``sftp:`` may say
SFTP_MODES = ("true", "false", "read-only")

_CHANGES = frozenset({"write", "remove", "rename", "mkdir", "rmdir", "setstat", "symlink",
                      "link", "extended"})


def _rule(name: str) -> Rule:
    rule = rule_by_name(name)
    assert rule is not None, name
    return rule


AUTH = _rule("cred.auth-files")
SECRET_READ = _rule("secret.read")
HISTORY = _rule("history.tamper")
WRITE_SYSTEM = _rule("fs.write-system-path")
RM_SYSTEM = _rule("fs.rm-system-path")
MV_SYSTEM = _rule("fs.mv-system")
LINK_SYSTEM = _rule("fs.link-system")
PERM_SYSTEM = _rule("perm.system-path")


def _is_auth(p: str) -> bool:
    return bool(AUTH_FILES.search(p.replace("~/", "/~/")))


def _is_history(p: str) -> bool:
    return bool(HISTORY_FILES.search(p))


def _is_startup(p: str) -> bool:
    # a relative SFTP path is in the login's home: bin/ there is on its PATH
    return bool(STARTUP_FILES.search(p.replace("~/", "/~/")) or HOME_BIN.match(p))


def _sensitive(p: str) -> bool:
    return is_system_path(p) or _is_auth(p) or is_secret(p) or _is_history(p)


def _path_rules(op: FileOp, paths: tuple[str, ...]) -> list[Rule]:
    """The command rules that a change to ``paths`` meets, strictest meaning first."""
    hits: list[Rule] = []
    linking = op.op in ("symlink", "link")
    # a link changes only its own path; where it points is judged below
    if any(_is_auth(p) for p in (paths[:1] if linking else paths)):
        hits.append(AUTH)
    if any(_is_history(p) for p in (paths[:1] if linking else paths)):
        hits.append(HISTORY)
    if op.op in ("write", "rename", "symlink", "link") and \
            any(_is_startup(p) for p in (paths[:1] if linking else paths[-1:])):
        hits.append(PERSISTENCE)
    system = any(is_system_path(p) for p in paths)
    if op.op == "remove" or op.op == "rmdir":
        hits.append(RM_SYSTEM if system else TRANSFER_REMOVE if op.op == "remove" else None)
    elif op.op == "rename":
        hits.append(MV_SYSTEM if system else TRANSFER_RENAME)
    elif linking:
        # a link that points at something sensitive lets a later write or read go there
        if system or any(_sensitive(p) for p in paths):
            hits.append(LINK_SYSTEM)
    elif op.op == "setstat":
        if system:
            hits.append(PERM_SYSTEM)
        if op.detail == "size":
            hits.append(TRANSFER_TRUNCATE)
    elif system:  # write, mkdir
        hits.append(WRITE_SYSTEM)
    return [r for r in hits if r is not None]


def classify_file_op(op: FileOp, sftp: str, home: str | None = None) -> Classification:
    """The findings for one SFTP operation under a grant's ``sftp:`` mode (``home``: the
    login's home directory, from :func:`usable_home`, when known)."""
    label = op.label()
    rules: list[Rule] = []
    if op.op != "read" and sftp != "true":
        rules.append(SFTP_READ_ONLY)  # anything but a read, known or not
    if op.op not in _CHANGES | {"read"} or op.op == "extended":
        return _classification(label, [*rules, SFTP_UNKNOWN], ())
    names = [op.path] + ([op.path2] if op.path2 else [])
    resolved = [resolve(p, home) for p in names]
    if any(not p for p in resolved):
        return _classification(label, [*rules, TRANSFER_UNRESOLVED], tuple(names))
    paths = tuple(p for p in resolved if p)
    if op.op == "read":
        rules += [SECRET_READ] if any(is_secret(p) for p in paths) else []
    else:
        rules += _path_rules(op, paths)
    # what the operation puts on the target (once allowed, the session memory keeps it)
    writes = paths[-1:] if op.op in ("write", "rename", "mkdir") else \
        paths[:1] if op.op in ("symlink", "link") else ()
    return _classification(label, rules, paths, writes)


#: the command rules' reasons, worded for a file operation (the rule names stay, so that
#: the policy's overrides and the reviewer's habits apply unchanged)
_WHY = {
    "fs.write-system-path": "writes a file under a system path",
    "fs.rm-system-path": "deletes under a system path",
    "fs.mv-system": "renames a system path",
    "fs.link-system": "creates a link to or in a sensitive path, so that later reads or "
                      "writes through it reach that path",
    "perm.system-path": "changes permissions, owner or times under a system path",
    "history.tamper": "changes shell history or system logs",
}


def _classification(label: str, rules: list[Rule], paths: tuple[str, ...],
                    writes: tuple[str, ...] = ()) -> Classification:
    argv = tuple(label.split(" ", 2)[:2]) + paths
    return Classification(label, tuple(
        Finding(r.name, _WHY.get(r.name, r.why), r.action, argv, (0, len(label)), paths)
        for r in rules), writes=writes)


# --- transfer servers run as commands: scp -t/-f, rsync --server ------------------------------
_SCP_VALUE_OPTS = frozenset("cDFiJloPSX")  # options of scp that take a value (none in -t/-f)
#: rsync options whose value is the next word (they may reach the server's argv)
_RSYNC_VALUE_OPTS = frozenset({"--log-file", "--log-file-format", "--temp-dir", "-T",
                               "--partial-dir", "--compare-dest", "--copy-dest", "--link-dest",
                               "--backup-dir", "--suffix", "--max-delete", "--max-size",
                               "--min-size", "--timeout", "--chmod", "--usermap", "--groupmap",
                               "--chown", "--bwlimit", "--checksum-choice", "--compress-choice",
                               "--files-from", "--exclude-from", "--include-from", "--filter",
                               "--exclude", "--include", "--iconv", "--block-size", "-B",
                               "--modify-window", "--compress-level", "--skip-compress",
                               "--info", "--debug", "-f", "--out-format", "--rsync-path",
                               "--protocol", "--outbuf", "--stop-after", "--stop-at",
                               "--write-devices"})
_RSYNC_REMOVES = ("--delete", "--del", "--remove-source-files", "--remove-sent-files")


def transfer_ops(argv: tuple[str, ...]) -> tuple[FileOp, ...] | None:
    """The file operations of a transfer server run as a command (what ``scp -O`` and rsync
    start on the target), or None when ``argv`` is not one.

    ``scp -t PATH`` writes (upload), ``scp -f PATH...`` reads (download); ``rsync --server``
    writes the paths after its ``.``, or reads them with ``--sender``; rsync's deleting
    options add a removal."""
    if not argv:
        return None
    name = argv[0].rsplit("/", 1)[-1]
    if name not in TRANSFER_SERVER_NAMES:
        return None
    args = argv[1:]
    if name == "scp":
        return _scp_ops(args)
    if name == "rsync" and "--server" in args:
        return _rsync_ops(args)
    return None


def _scp_ops(args: tuple[str, ...]) -> tuple[FileOp, ...] | None:
    mode = ""
    paths: list[str] = []
    rest = False
    i = 0
    while i < len(args):
        a = args[i]
        if rest or not a.startswith("-") or a == "-":
            paths.append(a)
        elif a == "--":
            rest = True
        else:
            for j, ch in enumerate(a[1:]):
                if ch in "tf":
                    mode = mode or ("write" if ch == "t" else "read")
                    if mode != ("write" if ch == "t" else "read"):
                        return (FileOp("extended", "", detail="scp with both -t and -f"),)
                elif ch in _SCP_VALUE_OPTS:
                    if j == len(a) - 2:
                        i += 1  # the value is the next word
                    break
        i += 1
    if not mode:
        return None  # scp as a client on the target: an ordinary command
    return tuple(FileOp(mode, p) for p in paths) or (FileOp(mode, ""),)


def _rsync_ops(args: tuple[str, ...]) -> tuple[FileOp, ...]:
    sender = "--sender" in args
    removes = False
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            key = a.split("=", 1)[0]
            removes = removes or key.startswith(_RSYNC_REMOVES)
            if key in _RSYNC_VALUE_OPTS and "=" not in a:
                i += 1
        elif a.startswith("-") and len(a) > 1:
            if a[1:] in ("T", "B", "f") or a in _RSYNC_VALUE_OPTS:
                i += 1
        else:
            operands.append(a)
        i += 1
    # the server's argv is: options, ".", then the paths
    paths = operands[1:] if operands[:1] == ["."] else operands
    mode = "read" if sender else "write"
    ops = [FileOp(mode, p) for p in paths] or [FileOp(mode, "")]
    if removes:
        ops += [FileOp("remove", p) for p in paths] or [FileOp("remove", "")]
    return tuple(ops)
