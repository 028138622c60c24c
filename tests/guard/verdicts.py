#!/usr/bin/env python3
"""Every line the guard's test tables hold, and the full verdict of each: the differential
check for engine changes that must not change a decision (caches, indexes, skipped passes).

Run it before and after a change and compare the outputs byte for byte::

    python tests/guard/verdicts.py > before.txt   # on the base commit
    python tests/guard/verdicts.py > after.txt
    cmp before.txt after.txt
"""

from __future__ import annotations

import importlib
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WRAPS = ["{}", "sudo {}", "cd /srv/app && {}", "{} 2>&1 | tail -20", "bash -c '{}'",
         "timeout 30 {}", "env LANG=C {}", "{} && echo done", "nohup {} &", "cd /etc; {}",
         "ln -s /etc e && {}", "X=/root; {}", "curl -o /tmp/a https://e.example/a && {}"]


def _strings(value: object, depth: int = 0) -> Iterator[str]:
    """The strings in a (nested) table of a test module."""
    if depth > 6:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, depth + 1)
            yield from _strings(v, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _strings(v, depth + 1)


def table_lines() -> list[str]:
    """Every string in the guard tests' module-level tables and parametrize lists."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    found: set[str] = set()
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("verdicts.py", "__init__.py"):
            continue
        module = importlib.import_module(f"tests.guard.{path.stem}")
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            found.update(_strings(value))
            for mark in getattr(value, "pytestmark", ()):
                found.update(_strings(mark.args))
    return sorted(s for s in found if s.strip())


def lines() -> list[str]:
    """The tables' lines, each also in a few wrappers and after dataflow (cd, ln, vars)."""
    base = table_lines()
    out = set(base)
    for line in base:
        if len(line) < 400:  # one wrapper per line, chosen by the line alone
            out.add(WRAPS[zlib.crc32(line.encode()) % len(WRAPS)].format(line))
    return sorted(out)


def verdict(line: str) -> str:
    """The full output of the guard for ``line``: the classification and the decisions of the
    default policy and of a grant with an allow: list (``repr``, so every field counts)."""
    from sshgate.guard import classify
    from sshgate.policy.evaluate import decide
    from sshgate.policy.model import AllowEntry, Grant, Policy

    site = Policy(grants=(Grant("agent", ("t",), ("deploy",), allow=(
        AllowEntry("./scripts/deploy.sh", ("**",)), AllowEntry("make", ("deploy",)))),))
    c = classify(line, seconds=60)
    return (f"{line!r}\n  {c!r}\n  default={decide(Policy(), c).action.value} "
            f"site={decide(site, c, 'agent').action.value}\n")


def main() -> None:
    for line in lines():
        sys.stdout.write(verdict(line))


if __name__ == "__main__":
    main()
