"""Ansible module payloads (AnsiballZ) that the gateway can vouch for, and what they ask.

With pipelining, Ansible runs a module as ``/bin/sh -c 'python3 && sleep 0'`` with the module
on stdin: a script the guard cannot see into, so it is held like any other. A payload is
believed only when it is, byte for byte, what the ansible-core installed beside sshgate
builds: its wrapper code, and every file in its zip equal to the installed file. Then only
the module's name and arguments are the agent's, and those are classified
(``guard/ansible.py``). Anything else (another ansible-core version, a collection module, a
changed byte) is not an Ansible module to the gateway.

Reading the installed package is file I/O, which is why this is not under ``guard/``.
"""

from __future__ import annotations

import ast
import base64
import binascii
import datetime
import functools
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

from .guard import ansible_lines
from .guard.ansible import AnsibleModule

#: how large a payload the gateway reads before giving up (a module with its module_utils is
#: a few hundred KB; the largest builtins are under 2 MB)
MAX_PAYLOAD = 16 * 1024 * 1024
_MAIN = '\n\n\nif __name__ == "__main__":\n    _ansiballz_main(\n'
_KEYS = ("ansible_module", "module_fqn", "profile", "date_time", "rlimit_nofile", "params",
         "extensions", "zip_data")
_SHEBANG_PLACEHOLDER = "# shebang placeholder"
_SHEBANG = re.compile(r"#![^\n]{1,200}")
_B64_LITERAL = re.compile(r"'[A-Za-z0-9+/=]*'")


def pipelined_interpreter(command: str) -> bool:
    """Is ``command`` how Ansible starts a pipelined module (a system python reading its
    stdin)?"""
    line = ansible_lines.parse(command)
    return line is not None and line.kind == "pipelined"


@functools.cache
def _installed() -> tuple[Path, str, tuple[str, ...]] | None:
    """The installed ansible-core: its directory, version and the wrapper code forms."""
    spec = importlib.util.find_spec("ansible")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    try:
        release = (root / "release.py").read_text()
        wrapper = (root / "_internal" / "_ansiballz" / "_wrapper.py").read_text()
    except OSError:
        return None
    m = re.search(r"^__version__ = '([^']+)'", release, re.M)
    if m is None:
        return None
    # the controller strips comments and blank lines unless it keeps remote files
    stripped = "\n".join(
        "" if (not ln.strip() or ln.strip().startswith("#"))
        and ln.strip() != _SHEBANG_PLACEHOLDER else ln
        for ln in wrapper.splitlines())
    return root, m.group(1), (stripped, wrapper)


@functools.lru_cache(maxsize=4096)
def _installed_file(path: Path) -> bytes | None:
    # the few hundred module_utils files a payload carries are read once per process
    return path.read_bytes() if path.is_file() else None


def _value(node: ast.expr) -> object:
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "datetime.datetime":
        args = [ast.literal_eval(a) for a in node.args]
        tz = [k for k in node.keywords]
        if len(tz) != 1 or tz[0].arg != "tzinfo" or \
                ast.unparse(tz[0].value) != "datetime.timezone.utc":
            raise ValueError("unexpected date_time")
        return datetime.datetime(*args, tzinfo=datetime.UTC)
    return ast.literal_eval(node)


def _stubs(version: str) -> dict[str, bytes]:
    extend = b"from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n"
    return {"ansible/__init__.py": extend + f'__version__="{version}"\n'
                                            '__author__="Ansible, Inc."\n'.encode(),
            "ansible/module_utils/__init__.py": extend}


def verify(payload: bytes) -> AnsibleModule | None:
    """The module ``payload`` runs, if it is exactly what the installed ansible-core builds;
    None for anything else. Never raises."""
    try:
        return _verify(payload)
    except (ValueError, SyntaxError, TypeError, KeyError, UnicodeDecodeError,
            binascii.Error, zipfile.BadZipFile, RecursionError, MemoryError, OSError,
            AttributeError):
        return None


def _verify(payload: bytes) -> AnsibleModule | None:
    installed = _installed()
    if installed is None or len(payload) > MAX_PAYLOAD:
        return None
    root, version, codes = installed
    text = payload.decode("utf-8")
    head, sep, tail = text.partition(_MAIN)
    if not sep:
        return None
    first, _, rest = head.partition("\n")
    if not _SHEBANG.fullmatch(first) or not any(
            rest == code.partition("\n")[2] and code.partition("\n")[0] == _SHEBANG_PLACEHOLDER
            for code in codes):
        return None
    lines = tail.split("\n")
    if lines[-2:] != [")", ""] or len(lines) != len(_KEYS) + 2:
        return None
    values: dict[str, object] = {}
    for key, line in zip(_KEYS, lines, strict=False):
        if not line.startswith(key + "=") or not line.endswith(","):
            return None
        text = line[len(key) + 1:-1]
        if key == "zip_data":
            # the bulk of the payload: a plain literal, not worth a Python parse
            if _B64_LITERAL.fullmatch(text) is None:
                return None
            values[key] = text[1:-1]
        else:
            values[key] = _value(ast.parse(text, mode="eval").body)
    # the tail must be exactly what the controller writes for these values: no expression,
    # comment or spelling that reads differently to Python than to this check
    if tail != "\n".join(f"{k}={values[k]!r}," for k in _KEYS) + "\n)\n":
        return None
    zip_data, params_text = values["zip_data"], values["params"]
    # "ping", "ansible.legacy.command" or "ansible.builtin.file": a module of ansible-core
    m = re.fullmatch(r"(?:ansible\.(?:legacy|builtin)\.)?([a-z0-9_]{1,64})",
                     str(values["ansible_module"]))
    if m is None or not isinstance(zip_data, str) or not isinstance(params_text, str):
        return None
    name = m.group(1)
    if values["module_fqn"] != f"ansible.modules.{name}" or values["extensions"] != {}:
        return None
    stubs = _stubs(version)
    zf = zipfile.ZipFile(io.BytesIO(base64.b64decode(zip_data, validate=True)))
    names = zf.namelist()
    if f"ansible/modules/{name}.py" not in names or len(names) != len(set(names)):
        return None
    for entry in names:
        if not re.fullmatch(r"ansible/[A-Za-z0-9_/]+\.py", entry) or ".." in entry:
            return None
        data = zf.read(entry)
        want = stubs.get(entry)
        if want is None:
            want = _installed_file(root.parent / entry)
        if data != want:
            return None
    params = json.loads(params_text)
    args = params.get("ANSIBLE_MODULE_ARGS") if isinstance(params, dict) else None
    if not isinstance(args, dict) or set(params) != {"ANSIBLE_MODULE_ARGS"}:
        return None
    return AnsibleModule(name, args)
