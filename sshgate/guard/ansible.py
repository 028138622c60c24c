"""An Ansible module run, as the command lines and file operations it amounts to. Pure.

The gateway believes a module payload only once it has checked it against the installed
ansible-core (``sshgate/ansible_payload.py``); what is left to the agent is the module's
name and arguments. This maps them onto what the guard already judges: ``file
state=absent path=P`` is ``rm -r -- P``, ``copy dest=D`` a write of ``D``, ``service
state=stopped`` is ``systemctl stop``, ``command``/``shell`` the line itself. A module or
argument this table does not know is *unknown* and held.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .classify import Classification, Finding
from .rules import ANSIBLE_UNKNOWN
from .transfer import FileOp, classify_file_op

#: arguments whose values are not shown (the audit log and reviewers see that they are set)
_SECRET_ARG = re.compile(r"pass(word|phrase)?|secret|token|key_content|private_key", re.I)


@dataclass(frozen=True, slots=True)
class AnsibleModule:
    """A verified module run: ``name`` (e.g. ``file``) and the arguments the task gave."""

    name: str
    args: dict[str, Any] = field(hash=False)

    def label(self) -> str:
        """How the run reads in the audit log, the recording and a reviewer's prompt."""
        shown = {k: "(hidden)" if _SECRET_ARG.search(k) else v
                 for k, v in sorted(self.args.items()) if not k.startswith("_ansible_")}
        words = " ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}"
                         for k, v in shown.items())
        return f"ansible {self.name}" + (f" {words}" if words else "")


@dataclass(frozen=True, slots=True)
class Equivalent:
    """What a module run amounts to; ``unknown`` says why the table cannot tell."""

    lines: tuple[str, ...] = ()
    ops: tuple[FileOp, ...] = ()
    unknown: str = ""


def _s(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v)


def _names(v: Any) -> list[str]:
    if isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()]
    if isinstance(v, list):
        return [_s(x) for x in v]
    return []


def _cmd(*argv: str) -> str:
    return shlex.join(argv)


def _command(a: dict[str, Any], shell: bool) -> Equivalent:
    if a.get("stdin") is not None:
        return Equivalent(unknown="the command gets data on stdin")
    if shell and a.get("executable") not in (None, "/bin/sh", "/bin/bash", "/usr/bin/bash"):
        return Equivalent(unknown="a shell other than sh or bash runs it")
    if a.get("argv"):
        if not isinstance(a["argv"], list) or not all(isinstance(x, str) for x in a["argv"]):
            return Equivalent(unknown="argv is not a list of strings")
        line = _cmd(*a["argv"])
    else:
        line = a.get("_raw_params") or a.get("cmd") or ""
        if not isinstance(line, str):
            return Equivalent(unknown="the command is not a string")
    if not line.strip():
        return Equivalent(unknown="no command given")
    chdir = a.get("chdir")
    return Equivalent((f"cd {shlex.quote(_s(chdir))} && {line}" if chdir else line,))


def _modes(path: str, a: dict[str, Any]) -> list[str]:
    out = []
    rec = ["-R"] if a.get("recurse") else []
    if a.get("mode") is not None:
        out.append(_cmd("chmod", *rec, _s(a["mode"]), "--", path))
    owner = ":".join(_s(a[k]) for k in ("owner", "group") if a.get(k) is not None)
    if owner:
        out.append(_cmd("chown", *rec, owner, "--", path))
    return out


def _file(a: dict[str, Any]) -> Equivalent:
    path = _s(a.get("path") or a.get("dest") or a.get("name") or "")
    if not path:
        return Equivalent(unknown="no path given")
    state = a.get("state") or "file"
    if state == "absent":
        return Equivalent((_cmd("rm", "-r", "--", path),))
    if state in ("link", "hard"):
        return Equivalent(tuple(_modes(path, a)),
                          (FileOp("symlink" if state == "link" else "link", path,
                                  _s(a.get("src") or "")),))
    first = {"directory": [_cmd("mkdir", "-p", "--", path)],
             "touch": [_cmd("touch", "--", path)], "file": []}.get(state)
    if first is None:
        return Equivalent(unknown=f"state={state}")
    return Equivalent(tuple(first + _modes(path, a)))


def _writes(key: str) -> Callable[[dict[str, Any]], Equivalent]:
    def read(a: dict[str, Any]) -> Equivalent:
        dest = _s(a.get(key) or a.get("path") or a.get("dest") or a.get("name") or "")
        if not dest:
            return Equivalent(unknown="no destination given")
        lines = _modes(dest, a)
        if a.get("validate"):
            lines.append(_s(a["validate"]).replace("%s", shlex.quote(dest)))
        ops = [FileOp("write", dest)]
        if a.get("remote_src") and a.get("src"):
            ops.append(FileOp("read", _s(a["src"])))
        return Equivalent(tuple(lines), tuple(ops))

    return read


def _packages(tool: str, remove: str, install: str) -> Callable[[dict[str, Any]], Equivalent]:
    def read(a: dict[str, Any]) -> Equivalent:
        if a.get("deb") or a.get("requirements") or a.get("editable"):
            return Equivalent(unknown="installs from a file or URL")
        names = _names(a.get("name") or a.get("pkg"))
        lines = []
        if a.get("upgrade") not in (None, False, "no"):
            lines.append(_cmd(tool, "upgrade"))
        if names:
            verb = remove if a.get("state") in ("absent", "removed") else install
            lines.append(_cmd(tool, verb, *names))
        if a.get("autoremove"):
            lines.append(_cmd(tool, "autoremove"))
        if not lines and not a.get("update_cache"):
            return Equivalent(unknown="nothing to install or remove")
        return Equivalent(tuple(lines))

    return read


def _service(a: dict[str, Any]) -> Equivalent:
    name = _s(a.get("name") or "")
    lines = []
    if a.get("daemon_reload"):
        lines.append(_cmd("systemctl", "daemon-reload"))
    verbs = {"started": "start", "stopped": "stop", "restarted": "restart",
             "reloaded": "reload"}
    if a.get("state") is not None:
        verb = verbs.get(a["state"])
        if verb is None:
            return Equivalent(unknown=f"state={a['state']}")
        lines.append(_cmd("systemctl", verb, name))
    if a.get("enabled") is not None:
        lines.append(_cmd("systemctl", "enable" if a["enabled"] else "disable", name))
    if a.get("masked"):
        lines.append(_cmd("systemctl", "mask", name))
    if not lines or (not name and lines != [_cmd("systemctl", "daemon-reload")]):
        return Equivalent(unknown="no service action")
    return Equivalent(tuple(lines))


def _user(cmd_absent: str, cmd_change: str) -> Callable[[dict[str, Any]], Equivalent]:
    def read(a: dict[str, Any]) -> Equivalent:
        name = _s(a.get("name") or "")
        if a.get("state") == "absent":
            return Equivalent((_cmd(cmd_absent, *(["-r"] if a.get("remove") else []), name),))
        opts = []
        if a.get("groups"):
            opts += ["-aG" if a.get("append") else "-G", ",".join(_names(a["groups"]))]
        if a.get("password") is not None:
            opts += ["-p", "(hidden)"]
        if a.get("uid") is not None:
            opts += ["-u", _s(a["uid"])]
        if a.get("shell"):
            opts += ["-s", _s(a["shell"])]
        return Equivalent((_cmd(cmd_change, *opts, name),))

    return read


def _read_only(a: dict[str, Any]) -> Equivalent:
    return Equivalent()


def _slurp(a: dict[str, Any]) -> Equivalent:
    src = _s(a.get("src") or a.get("path") or "")
    return Equivalent(ops=(FileOp("read", src),)) if src else Equivalent(unknown="no src")


MODULES: dict[str, Callable[[dict[str, Any]], Equivalent]] = {
    "ping": _read_only, "setup": _read_only, "package_facts": _read_only,
    "service_facts": _read_only, "stat": _read_only, "find": _read_only,
    "getent": _read_only,
    "slurp": _slurp,
    "command": lambda a: _command(a, shell=False),
    "shell": lambda a: _command(a, shell=True),
    "file": _file,
    "copy": _writes("dest"), "template": _writes("dest"),
    "lineinfile": _writes("path"), "blockinfile": _writes("path"), "replace": _writes("path"),
    "apt": _packages("apt-get", "remove", "install"),
    "dnf": _packages("dnf", "remove", "install"),
    "yum": _packages("yum", "remove", "install"),
    "package": _packages("apt-get", "remove", "install"),
    "pip": _packages("pip", "uninstall", "install"),
    "service": _service, "systemd": _service, "systemd_service": _service,
    "user": _user("userdel", "usermod"),
    "group": _user("groupdel", "groupmod"),
}


def equivalent(module: AnsibleModule) -> Equivalent:
    """The command lines and file operations ``module`` amounts to (or why unknown)."""
    read = MODULES.get(module.name)
    if read is None:
        return Equivalent(unknown=f"module {module.name!r} is not in sshgate's Ansible table")
    try:
        return read(module.args)
    except (TypeError, AttributeError, ValueError) as e:  # odd argument types: not known
        return Equivalent(unknown=f"arguments not understood ({type(e).__name__})")


def classify_module(module: AnsibleModule,
                    classify_line: Callable[[str], Classification]) -> Classification:
    """The findings for a module run: those of each line it amounts to (``classify_line``,
    the deployed policy's guard) and of each file operation; unknown when the table cannot
    tell."""
    eq = equivalent(module)
    findings: list[Finding] = []
    if eq.unknown:
        r = ANSIBLE_UNKNOWN
        findings.append(Finding(r.name, f"{r.why}: {eq.unknown}", r.action, (module.name,)))
    for line in eq.lines:
        findings += classify_line(line).findings
    for op in eq.ops:
        findings += classify_file_op(op, "true").findings
    return Classification(module.label(), tuple(findings))
