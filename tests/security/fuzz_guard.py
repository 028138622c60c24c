"""Coverage-guided fuzzing (atheris/libFuzzer) of the command guard and the shell tracker, for
long campaigns outside the suite; hypothesis covers the same properties in every test run.

    pip install -e '.[fuzz]'
    python tests/security/fuzz_guard.py -max_total_time=600 /tmp/guard-corpus

Properties: classifying a line never raises, a line that cannot be parsed is never allowed,
and the shell tracker takes any bytes. An empty corpus directory is seeded with the guard's
test corpus (tests/guard/corpus.py).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from sshgate.gateway.shell import ShellTracker
    from sshgate.guard.classify import classify
    from sshgate.policy.model import Action


def check(data: bytes) -> None:
    line = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(400)
    c = classify(line)
    if not c.parseable and c.default_action is Action.ALLOW:
        raise AssertionError(f"unparseable line allowed: {line!r}")
    ShellTracker("fuzz").feed(line.encode("utf-8", "surrogateescape"))


def seed(directory: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.guard.corpus import BENIGN, DESTRUCTIVE

    for item in (*BENIGN, *DESTRUCTIVE):
        line = (item if isinstance(item, str) else item[0]).encode()
        (directory / hashlib.sha1(line).hexdigest()).write_bytes(line)


if __name__ == "__main__":
    dirs = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
        if not any(d.iterdir()):
            seed(d)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()
