"""Process set-up done by ``sshgate serve``."""

from __future__ import annotations

import platform
import resource
import subprocess
import sys

import pytest

from sshgate.runtime import raise_file_limit


def test_file_limit_raised_to_the_hard_limit():
    assert raise_file_limit() == resource.getrlimit(resource.RLIMIT_NOFILE)[1]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_malloc_keeps_freed_memory_on_glibc():
    # in a child: the setting is process-wide
    r = subprocess.run([sys.executable, "-c", "from sshgate.runtime import keep_freed_memory;"
                        "print(keep_freed_memory())"], capture_output=True, text=True, timeout=30)
    assert r.stdout.strip() == "True", r.stderr


def _config_with(tmp_path, extra: str):
    from sshgate.config import load_config
    from sshgate.scaffold import init_directory

    init_directory(tmp_path / "gw", login="deploy")
    path = tmp_path / "gw" / "sshgate.yaml"
    path.write_text(path.read_text() + extra)
    return load_config(path)


def test_fast_relay_is_off_unless_the_config_says_true(tmp_path):
    from sshgate.config import ConfigError

    assert _config_with(tmp_path / "a", "").fast_relay is False
    assert _config_with(tmp_path / "b", "fast_relay: true\n").fast_relay is True
    with pytest.raises(ConfigError, match=r"sshgate.yaml: fast_relay: expected true or false"):
        _config_with(tmp_path / "c", "fast_relay: 'yes'\n")


@pytest.mark.parametrize("on", [False, True])
def test_the_gateway_replaces_asyncssh_packet_code_only_when_asked(tmp_path, on):
    import asyncio

    from sshgate.audit import AuditLog
    from sshgate.gateway import fastpath
    from sshgate.runtime import build_gateway, read_policy

    config = _config_with(tmp_path, f"fast_relay: {'true' if on else 'false'}\n")
    was = fastpath.installed()
    fastpath.uninstall()
    audit = AuditLog(tmp_path / "audit.jsonl")

    async def start_stop() -> bool:
        gw = build_gateway(config, read_policy(config), audit)
        await gw.start("127.0.0.1", 0)
        try:
            return fastpath.installed()
        finally:
            await gw.stop(0)

    try:
        assert asyncio.run(start_stop()) is on
    finally:
        audit.close()
        fastpath.install() if was else fastpath.uninstall()
