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
