"""``parse.unwrap_at`` returns at once for a command it does not look into (``_UNWRAPS``): every
name its body compares the command's name with must be in that set, or a launcher added to
the body would never be reached."""

from __future__ import annotations

import ast
import inspect
import textwrap

from sshgate.guard import parse


def _names_compared(fn) -> set[str]:
    """The strings ``fn`` compares ``name`` with (``==``, ``in`` a literal or a module set)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    found: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)
                and node.left.id == "name"):
            continue
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.NotIn):
                continue
            if isinstance(right, ast.Constant) and isinstance(right.value, str):
                found.add(right.value)
            elif isinstance(right, ast.Tuple | ast.Set | ast.List):
                found.update(e.value for e in right.elts if isinstance(e, ast.Constant))
            elif isinstance(right, ast.Name):
                found.update(getattr(parse, right.id))
    return found


def test_every_command_unwrap_looks_into_passes_its_first_test():
    compared = _names_compared(parse.unwrap_at)
    assert {"sudo", "bash", "eval", "ssh", "find", "trap"} <= compared  # the scan works
    assert compared <= parse._UNWRAPS, sorted(compared - parse._UNWRAPS)
