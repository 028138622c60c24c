"""The exec request the gateway sends the target for a decided command (guard/pinned_env.py
says why it carries an environment)."""

from __future__ import annotations

from ..guard.pinned_env import assignments


def exec_request(command: str) -> str:
    """``command`` behind the pinned environment (the login shell runs it: POSIX sh syntax, as
    for the gated shell's bootstrap)."""
    return f"export {assignments()}; {command}"
