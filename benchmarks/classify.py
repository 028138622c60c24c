#!/usr/bin/env python3
"""Classification cost per command line over a realistic mix, and the guard's catch rates on
its own corpus (tests/guard/corpus.py)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guard"))
from corpus import BENIGN, DESTRUCTIVE  # noqa: E402

from sshgate.guard import classify  # noqa: E402
from sshgate.policy.model import Action  # noqa: E402

WRAP = ["{}", "sudo {}", "cd /srv/app && {}", "{} 2>&1 | tail -20", "bash -c '{}'",
        "timeout 30 {}", "env LANG=C {}", "{} && echo done", "nohup {} &"]


def mix(n: int, seed: int = 7) -> list[str]:
    """Mostly ordinary work with some destructive lines, as an agent's session looks."""
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        base = rnd.choice(BENIGN) if rnd.random() < 0.8 else rnd.choice(DESTRUCTIVE)[0]
        form = rnd.choice(WRAP)
        lines.append(form.format(base) if "'" not in base or "'" not in form else base)
    return lines


def main() -> dict:
    lines = mix(2000)
    for line in lines[:200]:
        classify(line)  # warm up
    times = []
    for line in lines:
        t = time.perf_counter()
        classify(line)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    med, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    caught = sum(classify(line).default_action is not Action.ALLOW for line, _, _ in DESTRUCTIVE)
    right = sum(classify(line).default_action.value == d for line, d, _ in DESTRUCTIVE)
    flagged = sum(classify(line).default_action is not Action.ALLOW for line in BENIGN)
    print(f"classification cost over {len(lines)} lines (mix of benign and destructive)")
    print(f"  median {med:.3f} ms   p99 {p99:.3f} ms   (targets: median < 0.3, p99 < 2)")
    print(f"  destructive caught: {caught}/{len(DESTRUCTIVE)} "
          f"(exact decision: {right}/{len(DESTRUCTIVE)})")
    print(f"  benign flagged: {flagged}/{len(BENIGN)}")
    return {"name": "classify (per line)", "direct": None, "sshgate": med, "unit": "ms",
            "ratio": None, "target": f"median < 0.3 ms (p99 {p99:.2f} ms)"}


if __name__ == "__main__":
    main()
