"""The time budget of one classification: a deadline the guard checks as it works. Pure.

The budget is CPU time of the classifying thread, so a line's verdict does not depend on how
busy the gateway is, and the check works in any thread (a signal-based limit works only in the
main thread, where the event loop runs). The checks are cooperative: every character and
token bashlex reads, word expansion, emitted command and rule pass calls :func:`check`; the
guard's regexes are linear (tests/guard/test_regex_linear.py), so no single step between two
checks can run long.

The budget counts the line's own work only: CPU time the thread spends in a full garbage
collection is left out (it walks the whole process's heap, 40-200 ms in a test worker or
in a gateway before ``serve`` freezes its start-up objects, whatever line happens to
trigger it), and one-time set-up is done before the first budget starts
(``classify.warm_up``).
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterator

#: CPU seconds one line may take to classify; over it, the line is ``parse.unparseable``.
#: The slowest realistic lines take ~2 ms; bashlex's worst case is ~35 us per character,
#: so this bounds the guard's cost of any line, whatever its length (<= 64 KiB).
BUDGET = 0.025

#: Reading the thread's CPU clock costs ~0.8 us (a system call); one check in this many reads
#: it. Checks come at every character bashlex reads and every token (up to ~35 us apart).
_EVERY = 16

_state = threading.local()
_clock = time.thread_time


def _work() -> float:
    """This thread's CPU time less what it spent in full collections under a budget."""
    return _clock() - getattr(_state, "collecting", 0.0)


def _on_collection(phase: str, info: dict) -> None:
    # Runs in the thread whose allocation triggered the collection. Only full passes are
    # left out: their cost is the whole heap's (and CPython spaces them out: one waits until
    # the survivors grew by a quarter), not the line's; young passes are in proportion to what
    # the line allocates and stay its work, so a hostile line cannot run on in the collector.
    if info["generation"] != 2 or getattr(_state, "deadline", None) is None:
        return
    if phase == "start":
        _state.collect_start = _clock()
    elif getattr(_state, "collect_start", None) is not None:
        _state.collecting = getattr(_state, "collecting", 0.0) + _clock() - _state.collect_start
        _state.collect_start = None


gc.callbacks.append(_on_collection)


class BudgetExceeded(BaseException):  # noqa: N818 - it is a signal, not an error
    """The classification ran out of its budget. A BaseException so that the parser's broad
    ``except Exception`` fallbacks cannot swallow it and carry on past the deadline."""


@contextlib.contextmanager
def budget(seconds: float = BUDGET) -> Iterator[None]:
    """Run the body under a deadline ``seconds`` of this thread's CPU time from now.
    Nested uses keep the outer (earlier) deadline."""
    outer = getattr(_state, "deadline", None)
    mine = _work() + seconds
    _state.deadline = mine if outer is None else min(outer, mine)
    _state.calls = 0
    try:
        yield
    finally:
        _state.deadline = outer


def check() -> None:
    """Raise :class:`BudgetExceeded` once the current deadline has passed (no-op outside)."""
    deadline = getattr(_state, "deadline", None)
    if deadline is None:
        return
    _state.calls += 1
    if _state.calls % _EVERY == 0 and _work() > deadline:
        raise BudgetExceeded
