"""Ansible's own lines: the exact shapes ansible-core writes, and nothing one character off."""

from __future__ import annotations

import shlex

import pytest

from sshgate.guard.ansible_lines import isolated, parse

NAME = "ansible-tmp-1796048939.3371475-4262-244055906318451"
BASE = "/home/deploy/.ansible/tmp"
D = f"{BASE}/{NAME}"


def sh(cmd: str) -> str:
    """How Ansible's action plugin runs a line: /bin/sh -c, with its `sleep 0` appended."""
    return "/bin/sh -c " + shlex.quote(cmd + " && sleep 0")


def ansible_lines() -> dict[str, str]:
    """The lines, built by the installed ansible-core's own sh shell plugin where it can."""
    sh_plugin = pytest.importorskip("ansible.plugins.shell.sh")
    shell = sh_plugin.ShellModule()
    return {
        "home": sh(shell.expand_user("~")),
        "mkdtemp": sh(shell.mkdtemp(basefile=NAME, tmpdir=BASE)),
        "chmod": sh(shell.chmod([f"{D}/", f"{D}/AnsiballZ_ping.py"], "u+rwx")),
        "run": sh(shell.build_module_command("", "#!/usr/bin/python3",
                                             f"{D}/AnsiballZ_ping.py")),
        "cleanup": sh(shell.remove(f"{D}/", recurse=True)),
    }


def test_the_lines_ansible_core_writes_are_recognised():
    lines = ansible_lines()
    assert {k: parse(v).kind for k, v in lines.items()} == {k: k for k in lines}
    mk = parse(lines["mkdtemp"])
    assert (mk.base, mk.tmpdir) == (BASE, D)
    assert parse(lines["chmod"]).files == ("AnsiballZ_ping.py",)
    run = parse(lines["run"])
    assert (run.interpreter, run.module, run.module_path) == (
        "/usr/bin/python3", "ping", f"{D}/AnsiballZ_ping.py")
    assert parse(lines["cleanup"]).tmpdir == D


@pytest.mark.parametrize("command", [
    # another base: an expansion, a space, a climb, relative
    sh(f'( umask 77 && mkdir -p "` echo $(id) `"&& mkdir "` echo $(id)/{NAME} `" && echo '
       f'{NAME}="` echo $(id)/{NAME} `" )'),
    sh(f'( umask 77 && mkdir -p "` echo /x/../etc `"&& mkdir "` echo /x/../etc/{NAME} `" && '
       f'echo {NAME}="` echo /x/../etc/{NAME} `" )'),
    sh(f'( umask 77 && mkdir -p "` echo .ansible `"&& mkdir "` echo .ansible/{NAME} `" && '
       f'echo {NAME}="` echo .ansible/{NAME} `" )'),
    # the second mkdir names another dir than the first
    sh(f'( umask 77 && mkdir -p "` echo {BASE} `"&& mkdir "` echo /etc/{NAME} `" && '
       f'echo {NAME}="` echo {BASE}/{NAME} `" )'),
    # chmod: another mode, a file outside the dir, a path that is not Ansible's
    sh(f"chmod u+rwx,o+w {D}/ {D}/AnsiballZ_ping.py"),
    sh(f"chmod u+rwx {D}/ /etc/shadow"),
    sh(f"chmod u+rwx {D}/ {D}/../AnsiballZ_ping.py"),
    sh("chmod u+rwx /etc/"),
    # run: an interpreter the login can write, an extra argument, a file of another name
    sh(f"/home/deploy/python3 {D}/AnsiballZ_ping.py"),
    sh(f"/tmp/python3 {D}/AnsiballZ_ping.py"),
    sh(f"/usr/bin/python3 {D}/AnsiballZ_ping.py -c x"),
    sh(f"/usr/bin/python3 {D}/evil.py"),
    sh(f"/usr/bin/python3 {BASE}/AnsiballZ_ping.py"),
    sh(f"/usr/bin/../../home/deploy/python3 {D}/AnsiballZ_ping.py"),
    # cleanup of anything but a temp dir, or with more words
    sh("rm -f -r /home/deploy/ > /dev/null 2>&1"),
    sh(f"rm -f -r {D}/ /etc/ > /dev/null 2>&1"),
    sh(f"rm -f -r {D}/../../ > /dev/null 2>&1"),
    sh(f"rm -f -r {D}/ > /dev/null 2>&1") + "; id",
    # pipelined: an interpreter under home
    "/bin/sh -c '/home/deploy/bin/python3 && sleep 0'",
    "/bin/sh -c 'echo ~ && id'",
])
def test_anything_else_is_not_ansibles(command):
    assert parse(command) is None


def test_a_verified_module_runs_isolated():
    assert isolated("/usr/bin/python3") == "/usr/bin/python3 -I"
