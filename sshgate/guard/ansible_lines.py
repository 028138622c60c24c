r"""Ansible's own command lines, recognised by their exact shape. Pure.

Without pipelining, Ansible runs each task as a fixed sequence of lines (ansible-core's ``sh``
shell plugin with ``/bin/sh`` as its executable, ``plugins/shell/__init__.py`` and
``plugins/action/__init__.py``)::

    /bin/sh -c 'echo ~ && sleep 0'
    /bin/sh -c '( umask 77 && mkdir -p "` echo B `"&& mkdir "` echo B/N `" \
                  && echo N="` echo B/N `" ) && sleep 0'
    (SFTP upload of B/N/AnsiballZ_M.py)
    /bin/sh -c 'chmod u+rwx B/N/ B/N/AnsiballZ_M.py && sleep 0'
    /bin/sh -c '/usr/bin/python3 B/N/AnsiballZ_M.py && sleep 0'
    /bin/sh -c 'rm -f -r B/N/ > /dev/null 2>&1 && sleep 0'

with ``N`` = ``ansible-tmp-<time>-<pid>-<random>``; with pipelining only the module line,
as ``/bin/sh -c '/usr/bin/python3 && sleep 0'`` with the module on stdin. :func:`parse` says
which of these a command is, or None: one character off (another word, a ``$``, a space, a
path with ``..``) and the command is judged by the ordinary guard. Whether a recognised line
may run (the temp dir was created through the gateway, the module file is one it saw
uploaded and verified) is the gateway's decision, not this module's.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .rules import is_system_path

#: a path Ansible writes unquoted inside backquotes: no character the shell would expand
_PATH = r"/[A-Za-z0-9_.+@/-]{0,400}"
_NAME = r"ansible-tmp-[0-9]{1,12}\.[0-9]{1,9}-[0-9]{1,10}-[0-9]{1,20}"
_FILE = r"AnsiballZ_(?P<module>[a-z0-9_]{1,64})\.py"
_FILE_NAME = re.compile(_FILE)
_INTERPRETER = r"/[A-Za-z0-9_./-]{0,200}python[0-9.]{0,10}"

_HOME = re.compile(r"/bin/sh -c 'echo ~ && sleep 0'")
_MKDTEMP = re.compile(
    rf"/bin/sh -c '\( umask 77 && mkdir -p \"` echo (?P<base>{_PATH}) `\"&& "
    rf"mkdir \"` echo (?P=base)/(?P<name>{_NAME}) `\" && "
    rf"echo (?P=name)=\"` echo (?P=base)/(?P=name) `\" \) && sleep 0'")
_CHMOD = re.compile(rf"/bin/sh -c 'chmod u\+rwx (?P<paths>{_PATH}(?: {_PATH}){{0,3}}) && "
                    r"sleep 0'")
_RUN = re.compile(rf"/bin/sh -c '(?P<py>{_INTERPRETER}) (?P<dir>{_PATH})/{_FILE} && sleep 0'")
_CLEANUP = re.compile(rf"/bin/sh -c 'rm -f -r (?P<dir>{_PATH})/ > /dev/null 2>&1 && "
                      r"sleep 0'")
_PIPELINED = re.compile(rf"/bin/sh -c '(?P<py>{_INTERPRETER})(?: && sleep 0)?'|"
                        rf"(?P<bare>{_INTERPRETER})")
# anchored: it is only ever matched whole, and a search from every offset would be quadratic
_TMPDIR = re.compile(rf"\A{_PATH}/{_NAME}")


@dataclass(frozen=True, slots=True)
class AnsibleLine:
    """One of Ansible's own lines.

    ``kind``: ``home`` (``echo ~``), ``mkdtemp``, ``chmod``, ``run`` (a module file),
    ``cleanup`` or ``pipelined``. ``tmpdir``: the task's temp dir (no trailing slash);
    ``files``: what ``chmod`` names in it; ``interpreter`` and ``module`` for a run."""

    kind: str
    tmpdir: str = ""
    base: str = ""
    files: tuple[str, ...] = ()
    interpreter: str = ""
    module: str = ""

    @property
    def module_path(self) -> str:
        """The module file a ``run`` line executes."""
        return f"{self.tmpdir}/AnsiballZ_{self.module}.py"


def _clean(path: str) -> bool:
    # normalised already: no "..", ".", "//" or trailing slash that could name another place
    return posixpath.normpath(path) == path and not path.startswith("//")


def _interpreter(py: str) -> bool:
    # a system path, which the login cannot replace unseen (a write there is held): an
    # interpreter under the agent's home could be anything that reads a verified payload
    return _clean(py) and is_system_path(py) and not py.startswith(("/tmp/", "/var/tmp/"))


def parse(command: str) -> AnsibleLine | None:
    """Which of Ansible's own lines ``command`` is, exactly; None for anything else."""
    if len(command) > 2048:
        return None
    if _HOME.fullmatch(command):
        return AnsibleLine("home")
    if m := _MKDTEMP.fullmatch(command):
        base, name = m["base"], m["name"]
        if not _clean(base) or base == "/":
            return None
        return AnsibleLine("mkdtemp", tmpdir=f"{base}/{name}", base=base)
    if m := _CHMOD.fullmatch(command):
        paths = m["paths"].split(" ")
        tmpdir = paths[0].removesuffix("/")
        if not paths[0].endswith("/") or not _TMPDIR.fullmatch(tmpdir) or not _clean(tmpdir):
            return None
        files = []
        for p in paths[1:]:
            d, _, f = p.rpartition("/")
            if d != tmpdir or not _FILE_NAME.fullmatch(f) or f in files:
                return None
            files.append(f)
        return AnsibleLine("chmod", tmpdir=tmpdir, files=tuple(files))
    if m := _RUN.fullmatch(command):
        if not _TMPDIR.fullmatch(m["dir"]) or not _clean(m["dir"]) or \
                not _interpreter(m["py"]):
            return None
        return AnsibleLine("run", tmpdir=m["dir"], interpreter=m["py"], module=m["module"])
    if m := _CLEANUP.fullmatch(command):
        if not _TMPDIR.fullmatch(m["dir"]) or not _clean(m["dir"]):
            return None
        return AnsibleLine("cleanup", tmpdir=m["dir"])
    if m := _PIPELINED.fullmatch(command):
        py = m["py"] or m["bare"]
        return AnsibleLine("pipelined", interpreter=py) if _interpreter(py) else None
    return None


def isolated(interpreter: str) -> str:
    """The command that runs a verified module: ``interpreter`` reading it from stdin, in
    isolated mode (``-I``: no script directory or working directory on ``sys.path``, no user
    site-packages, no ``PYTHON*`` variables), so that nothing the login wrote beside it (a
    ``datetime.py`` in the home directory, a ``.pth`` file) is imported before the verified
    code."""
    return f"{interpreter} -I"
