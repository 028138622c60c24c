"""File operations over SFTP, decided by the same path rules as commands. Pure."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .classify import Classification, Finding
from .rules import (
    AUTH_FILES,
    HISTORY_FILES,
    SFTP_READ_ONLY,
    SFTP_REMOVE,
    SFTP_RENAME,
    SFTP_TRUNCATE,
    SFTP_UNKNOWN,
    SFTP_UNRESOLVED,
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



def resolve(path: str, home: str = "~") -> str | None:
    """The path a request names, as the path rules read it: relative paths are under the
    login's home (sftp-server's working directory). ``None`` when it climbs out of the home
    directory, whose depth the gateway does not know."""
    if not path:
        return None
    if path.startswith("/"):
        return posixpath.normpath("/" + path.lstrip("/"))
    rel = posixpath.normpath(path)
    if rel == "..":
        return None
    if rel.startswith("../"):
        return None
    return home if rel == "." else f"{home}/{rel}"


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
    system = any(is_system_path(p) for p in paths)
    if op.op == "remove" or op.op == "rmdir":
        hits.append(RM_SYSTEM if system else SFTP_REMOVE if op.op == "remove" else None)
    elif op.op == "rename":
        hits.append(MV_SYSTEM if system else SFTP_RENAME)
    elif linking:
        # a link that points at something sensitive lets a later write or read go there
        if system or any(_sensitive(p) for p in paths):
            hits.append(LINK_SYSTEM)
    elif op.op == "setstat":
        if system:
            hits.append(PERM_SYSTEM)
        if op.detail == "size":
            hits.append(SFTP_TRUNCATE)
    elif system:  # write, mkdir
        hits.append(WRITE_SYSTEM)
    return [r for r in hits if r is not None]


def classify_file_op(op: FileOp, sftp: str) -> Classification:
    """The findings for one SFTP operation under a grant's ``sftp:`` mode."""
    label = op.label()
    rules: list[Rule] = []
    if op.op != "read" and sftp != "true":
        rules.append(SFTP_READ_ONLY)  # anything but a read, known or not
    if op.op not in _CHANGES | {"read"} or op.op == "extended":
        return _classification(label, [*rules, SFTP_UNKNOWN], ())
    names = [op.path] + ([op.path2] if op.path2 else [])
    resolved = [resolve(p) for p in names]
    if any(not p for p in resolved):
        return _classification(label, [*rules, SFTP_UNRESOLVED], tuple(names))
    paths = tuple(p for p in resolved if p)
    if op.op == "read":
        rules += [SECRET_READ] if any(is_secret(p) for p in paths) else []
    else:
        rules += _path_rules(op, paths)
    return _classification(label, rules, paths)


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


def _classification(label: str, rules: list[Rule], paths: tuple[str, ...]) -> Classification:
    argv = tuple(label.split(" ", 2)[:2]) + paths
    return Classification(label, tuple(
        Finding(r.name, _WHY.get(r.name, r.why), r.action, argv, (0, len(label)), paths)
        for r in rules))
