"""The time budget of one classification: a deadline the guard checks as it works. Pure.

The budget is CPU time of the classifying thread, so a line's verdict does not depend on how
busy the gateway is, and the check works in any thread (a signal-based limit works only in the
main thread, where the event loop runs). The checks are cooperative: every character and
token bashlex reads, word expansion, emitted command and rule pass calls :func:`check`; the
guard's regexes are linear (tests/guard/test_regex_linear.py), so no single step between two
checks can run long.

The budget counts the line's own work: one-time set-up is done before the first budget starts
(``classify.warm_up``), and up to :data:`GC_ALLOWANCE` of CPU time in full garbage collections
is left out (a full pass walks the whole process's heap, whatever line happens to trigger it).
Beyond the allowance full passes count: a long line's own objects make them long, and the
bound must hold. So one line costs at most ``seconds + GC_ALLOWANCE`` CPU time (plus one
step between two checks), and a classification that ends past its deadline is over budget.
"""

from __future__ import annotations

import gc
import threading
import time

#: CPU seconds one line may take to classify; over it, the line is ``parse.unparseable``.
#: The slowest realistic lines take ~2 ms; bashlex's worst case is ~35 us per character,
#: so this bounds the guard's cost of any line, whatever its length (<= 64 KiB).
BUDGET = 0.025

#: CPU seconds of full collections per budget that are not charged to the line. With the
#: start-up heap frozen (``serve``), a full pass walks what was made since: mostly the cache
#: of recent lines (~10 K objects, 5-15 ms on a loaded 2-core machine) and the line's own
#: objects. Measured 2026-11-30: long adversarial lines met full passes of 7.5-12 ms, mostly
#: over their own objects, and ran to 34-46 ms CPU while every full pass was left out.
GC_ALLOWANCE = 0.010

#: Reading the thread's CPU clock is a system call (~2 us, up to ~20 us on a loaded VM); the
#: wall clock is not (~0.15 us). The CPU time a thread used since the budget began is at most
#: the wall time since then, so the CPU clock is read only once the wall time says the
#: deadline may have passed, and then in one check of this many.
_EVERY = 16


class _State(threading.local):
    """Per thread: the deadline (None outside a budget) and what the collector took."""

    deadline: float | None = None
    wall_deadline: float = 0.0
    calls = 0
    allowance = 0.0
    collecting = 0.0
    collect_start: float | None = None


_state = _State()
_clock = time.thread_time
_wall = time.perf_counter


def _work() -> float:
    """This thread's CPU time less the full collections under a budget left out of it."""
    return _clock() - _state.collecting


def _on_collection(phase: str, info: dict) -> None:
    # Runs in the thread whose allocation triggered the collection. Only full passes are
    # left out, up to the allowance: their cost is mostly the whole heap's (and CPython spaces
    # them out: one waits until the survivors grew by a quarter); young passes are in
    # proportion to what the line allocates and stay its work, and so does a full pass past
    # the allowance (a long line's own objects), so a hostile line cannot run on in them.
    if info["generation"] != 2 or _state.deadline is None:
        return
    if phase == "start":
        _state.collect_start = _clock()
    elif _state.collect_start is not None:
        spent = _clock() - _state.collect_start
        free = min(spent, _state.allowance)
        _state.allowance -= free
        _state.collecting = _state.collecting + free
        _state.collect_start = None


gc.callbacks.append(_on_collection)


class BudgetExceeded(BaseException):  # noqa: N818 - it is a signal, not an error
    """The classification ran out of its budget. A BaseException so that the parser's broad
    ``except Exception`` fallbacks cannot swallow it and carry on past the deadline."""


class budget:  # noqa: N801 - a context manager used like a function
    """Run the body under a deadline ``seconds`` of this thread's CPU time from now.
    Nested uses keep the outer (earlier) deadline and what is left of its GC allowance."""

    __slots__ = ("seconds", "saved")

    def __init__(self, seconds: float = BUDGET) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        outer = _state.deadline
        self.saved = (outer, _state.wall_deadline)
        wall = _wall()  # first: the wall time from here covers the CPU time from below
        mine = _work() + self.seconds
        if outer is None:
            _state.allowance = GC_ALLOWANCE
        if outer is None or mine < outer:
            _state.deadline, _state.wall_deadline = mine, wall + self.seconds
        _state.calls = 0

    def __exit__(self, *exc: object) -> None:
        _state.deadline, _state.wall_deadline = self.saved


def check() -> None:
    """Raise :class:`BudgetExceeded` once the current deadline has passed (no-op outside)."""
    deadline = _state.deadline
    # the thread's CPU time since the budget began (less left-out collections) is at most
    # the wall time since then: before the wall deadline the CPU deadline cannot have passed
    if deadline is None or _wall() <= _state.wall_deadline:
        return
    _state.calls += 1
    if _state.calls % _EVERY == 0 and _work() > deadline:
        raise BudgetExceeded


def check_now() -> None:
    """:func:`check` without skipping: at the end of a classification, so that one that
    finished past its deadline is over budget whatever step it was in."""
    deadline = _state.deadline
    if deadline is not None and _wall() > _state.wall_deadline and _work() > deadline:
        raise BudgetExceeded
