#!/usr/bin/env python3
"""Classification cost per command line over a realistic mix, and the guard's rates on its own
corpus (tests/guard/corpus.py): harmful lines held or refused, ordinary agent lines held."""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "guard"))
from corpus import BENIGN, DESTRUCTIVE, HARMFUL, ORDINARY_SESSION  # noqa: E402
from corpus_dev import DEV_LINES  # noqa: E402

from sshgate.guard import classify  # noqa: E402
from sshgate.guard.classify import warm_up  # noqa: E402
from sshgate.policy.evaluate import decide  # noqa: E402
from sshgate.policy.model import Action, AllowEntry, Grant, Policy  # noqa: E402

#: what a site adds for its own deploy steps (the README's example of a grant's allow: list)
SITE_ALLOW = (AllowEntry("./scripts/deploy.sh", ("**",)), AllowEntry("bash", (
    "scripts/migrate.sh",)), AllowEntry("python3", ("manage.py", "**")))

WRAP = ["{}", "sudo {}", "cd /srv/app && {}", "{} 2>&1 | tail -20", "bash -c '{}'",
        "timeout 30 {}", "env LANG=C {}", "{} && echo done", "nohup {} &"]


def mix(n: int, seed: int = 7) -> list[str]:
    """Mostly ordinary work with some destructive lines, as an agent's session looks."""
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        base = rnd.choice(ORDINARY_SESSION) if rnd.random() < 0.8 else rnd.choice(DESTRUCTIVE)[0]
        form = rnd.choice(WRAP)
        lines.append(form.format(base) if "'" not in base or "'" not in form else base)
    return lines


def adversarial() -> list[tuple[str, str]]:
    """Long lines (16-64 KiB) aimed at the guard's slow paths: bashlex's worst case per
    character, many commands, long words and runs that backtracking regexes choke on."""
    out = []
    for size in (16 * 1024, 64 * 1024 - 8):
        out += [
            ("substitutions", "echo " + "$(x)" * (size // 4 - 2)),
            ("commands", "a;" * (size // 2)),
            ("pipeline", "a|" * (size // 2 - 1) + "a"),
            ("one word", "echo " + "a" * (size - 5)),
            ("quoted", "echo '" + "a b " * (size // 4 - 2) + "'"),
            ("blanks", "ls" + " " * (size - 4) + "x"),
            ("function heads", "a(){ " * (size // 5)),
            ("self pipes", "a|a& " * (size // 5)),
            ("nested", "$(" * (size // 4) + ")" * (size // 4)),
            ("braces", "rm -rf /tmp/{" + "..," * (size // 3 - 6) + "x}"),
            ("digits", "fallocate -l " + "0" * (size - 14)),
            ("heredoc", "cat <<EOF\n" + "line $(x) `y`\n" * (size // 15) + "EOF"),
            # container launchers: each unwraps into the next; one with only options
            ("launchers", "docker exec w " * (size // 14) + "ls"),
            ("launcher opts", "kubectl exec " + "-n x " * (size // 5 - 4) + "p -- ls"),
        ]
    return out


def _timed(lines: list[str], afresh: bool, memo: bool = True) -> tuple[list[float], list[float]]:
    """Wall and CPU ms per line, sorted; ``afresh``: with classify's cache of recent lines
    emptied before each line (a new line; its commands may be in the memo of commands);
    ``memo=False``: that memo emptied too (every line pays its whole classification)."""
    module = sys.modules["sshgate.guard.classify"]
    caches = [module._cache] if memo else [module._cache, module._hits_memo,
                                            module._safe_memo]
    times, cpu = [], []
    for line in lines:
        if afresh:
            for cache in caches:
                cache.clear()
        # the CPU clock is a system call (2-20 us here): read outside the wall interval
        c = time.process_time()
        t = time.perf_counter()
        classify(line)
        wall = time.perf_counter() - t
        cpu.append((time.process_time() - c) * 1000)
        times.append(wall * 1000)
    return sorted(times), sorted(cpu)


def main() -> dict:
    # as `serve` starts (runtime.serve): the guard's one-time set-up, then what is alive now
    # out of later full collections (which the budget does not charge to a line)
    warm_up()
    gc.collect()
    gc.freeze()
    lines = mix(2000)
    for line in lines[:200]:
        classify(line)  # warm up
    cold_times, cold_cpu = _timed(lines, afresh=True, memo=False)
    fresh_times, fresh_cpu = _timed(lines, afresh=True)
    times, cpu = _timed(lines, afresh=False)
    med, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    caught = sum(classify(line).default_action is not Action.ALLOW for line, _, _ in DESTRUCTIVE)
    right = sum(classify(line).default_action.value == d for line, d, _ in DESTRUCTIVE)
    flagged = sum(classify(line).default_action is not Action.ALLOW for line in BENIGN)
    harmful = [line for lines in HARMFUL.values() for line in lines]
    harmful_held = sum(classify(line).default_action is not Action.ALLOW for line in harmful)
    held = sum(classify(line).default_action is not Action.ALLOW for line in ORDINARY_SESSION)
    site = Policy(grants=(Grant("agent", ("t",), ("deploy",), allow=SITE_ALLOW),))
    held_site = sum(decide(site, classify(line), "agent").action is not Action.ALLOW
                    for line in ORDINARY_SESSION)
    n_ord = len(ORDINARY_SESSION)
    print(f"classification cost over {len(lines)} lines (80 % ordinary agent lines, 20 % "
          "destructive, in wrappers)")
    print(f"  median {med:.3f} ms   p99 {p99:.3f} ms   (targets: median < 0.3, p99 < 2)")
    print(f"  cpu time: median {statistics.median(cpu):.3f} ms   "
          f"p99 {cpu[int(len(cpu) * 0.99)]:.3f} ms   ({len(set(lines))} distinct lines; "
          "repeats are served by the cache of recent lines)")
    print(f"  every line afresh (cache emptied): median {statistics.median(fresh_times):.3f} ms "
          f"p99 {fresh_times[int(len(fresh_times) * 0.99)]:.3f} ms   cpu median "
          f"{statistics.median(fresh_cpu):.3f} ms p99 {fresh_cpu[int(len(fresh_cpu) * 0.99)]:.3f}")
    cold_p99 = cold_times[int(len(cold_times) * 0.99)]
    print(f"  every line and command afresh (memo of commands emptied too): median "
          f"{statistics.median(cold_times):.3f} ms p99 {cold_p99:.3f} ms   cpu median "
          f"{statistics.median(cold_cpu):.3f} ms p99 {cold_cpu[int(len(cold_cpu) * 0.99)]:.3f}")
    print(f"  destructive caught: {caught}/{len(DESTRUCTIVE)} "
          f"(exact decision: {right}/{len(DESTRUCTIVE)})")
    print(f"  harmful lines of the issue-15 classes held or refused: {harmful_held}/"
          f"{len(harmful)} ({100 * harmful_held / len(harmful):.1f} %)")
    print(f"  ordinary agent lines held: {held}/{n_ord} ({100 * held / n_ord:.1f} %) with the "
          f"default policy, {held_site}/{n_ord} ({100 * held_site / n_ord:.1f} %) with a "
          f"3-entry allow: list for the site's own scripts")
    dev_held = sum(classify(line).default_action is not Action.ALLOW for line in DEV_LINES)
    print(f"  ordinary developer lines (corpus_dev.py, written before reading the guard) held: "
          f"{dev_held}/{len(DEV_LINES)} ({100 * dev_held / len(DEV_LINES):.1f} %)")
    print(f"  corpus look-alikes flagged: {flagged}/{len(BENIGN)}")
    worst, worst_cpu, name = 0.0, 0.0, ""
    print("long adversarial lines (wall ms / CPU ms of the classifying thread, decision)")
    for label, line in adversarial():
        t, c = time.perf_counter(), time.thread_time()
        d = classify(line).default_action.value
        wall, cpu = (time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000
        print(f"  {label:15} {len(line) // 1024:3d} KiB {wall:7.1f} {cpu:7.1f}  {d}")
        if wall > worst:
            worst, worst_cpu, name = wall, cpu, f"{label} {len(line) // 1024} KiB"
    print(f"  worst {worst:.1f} ms wall ({worst_cpu:.1f} ms CPU, {name})   (target: <= 50)")
    return {"name": "classify (per line)", "direct": None, "sshgate": med, "unit": "ms",
            "ratio": None,
            "target": f"median < 0.3 ms (p99 {p99:.2f} ms, long lines worst {worst:.0f} ms)"}


if __name__ == "__main__":
    main()
