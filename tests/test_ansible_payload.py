"""An AnsiballZ payload is believed only when it is byte for byte ansible-core's own."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sshgate.ansible_payload import pipelined_interpreter, verify

ANSIBLE = Path(sys.executable).with_name("ansible")


@pytest.fixture(scope="module")
def payload(tmp_path_factory) -> bytes:
    if not ANSIBLE.exists():
        pytest.skip("ansible-core is not installed (dev extra)")
    tmp = tmp_path_factory.mktemp("ansible")
    env = {**os.environ, "HOME": str(tmp), "ANSIBLE_KEEP_REMOTE_FILES": "1",
           "ANSIBLE_REMOTE_TMP": str(tmp / "rt")}
    subprocess.run([str(ANSIBLE), "localhost", "-c", "local", "-m", "file", "-a",
                    f"path={tmp}/x state=touch"], env=env, capture_output=True, timeout=120,
                   check=True)
    [kept] = (tmp / "rt").glob("*/AnsiballZ_file.py")
    return kept.read_bytes()


def test_genuine_payload_is_believed(payload):
    module = verify(payload)
    assert module is not None and module.name == "file"
    assert module.args["state"] == "touch"


def _rezip(payload: bytes, change) -> bytes:
    m = re.search(rb"zip_data='([A-Za-z0-9+/=]*)',", payload)
    src = zipfile.ZipFile(io.BytesIO(base64.b64decode(m.group(1))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = change(name, src.read(name))
            if data is not None:
                dst.writestr(name, data)
        extra = change("ansible/modules/extra.py", None)
        if extra is not None:
            dst.writestr("ansible/modules/extra.py", extra)
    new = base64.b64encode(out.getvalue())
    return payload[:m.start(1)] + new + payload[m.end(1):]


FORGERIES = {
    "wrapper code changed": lambda p: p.replace(b"import os\n", b"import os;os.system('id')\n",
                                                1),
    "code appended": lambda p: p + b"__import__('os').system('id')\n",
    "an expression for the module name": lambda p: p.replace(
        b"ansible_module='file',", b"ansible_module='fi' 'le',", 1),
    "module name and fqn disagree": lambda p: p.replace(b"ansible_module='file',",
                                                        b"ansible_module='ping',", 1),
    "extensions set": lambda p: p.replace(b"extensions={},", b"extensions={'x': {}},", 1),
    "params carry more than module args": lambda p: p.replace(
        b"params='{\"ANSIBLE_MODULE_ARGS\": {", b"params='{\"X\": 1, \"ANSIBLE_MODULE_ARGS\": {",
        1),
    "module code changed in the zip": lambda p: _rezip(
        p, lambda n, d: d + b"\n#" if n == "ansible/modules/file.py" else d),
    "a module_utils file changed": lambda p: _rezip(
        p, lambda n, d: d.replace(b"def ", b"def  ", 1)
        if n == "ansible/module_utils/basic.py" else d),
    "an extra file in the zip": lambda p: _rezip(
        p, lambda n, d: b"import os" if n == "ansible/modules/extra.py" else d),
    "not utf-8": lambda p: p.replace(b"from __future__", b"\xff\xfe", 1),
    "truncated": lambda p: p[: len(p) // 2],
    "empty": lambda p: b"",
}


@pytest.mark.parametrize("how", list(FORGERIES))
def test_any_forgery_is_not_believed(payload, how):
    forged = FORGERIES[how](payload)
    assert forged != payload
    assert verify(forged) is None


@pytest.mark.parametrize(("command", "pipelined"), [
    ("/bin/sh -c '/usr/bin/python3 && sleep 0'", True),
    ("/bin/sh -c '/usr/bin/python3.11'", True),
    ("/usr/bin/python3", True),
    ("/bin/sh -c '/usr/bin/python3 /tmp/x.py && sleep 0'", False),
    ("/bin/sh -c '/usr/bin/python3 && rm -rf /'", False),
    ("python3", False),  # Ansible always names the interpreter by its path
    # an interpreter the login can replace (under its home, /tmp) could be anything that
    # reads the verified payload and ignores it
    ("/bin/sh -c '/home/deploy/python3 && sleep 0'", False),
    ("/bin/sh -c '/tmp/python3 && sleep 0'", False),
    ("/bin/sh -c '/usr/../home/deploy/python3 && sleep 0'", False),
    ("/bin/sh -c '/usr/bin/python3 && sleep 0' ; id", False),
])
def test_pipelined_interpreter_shapes(command, pipelined):
    assert pipelined_interpreter(command) is pipelined
