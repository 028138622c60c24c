"""The suite's own hygiene: a test whose body is a nested coroutine that is never run
asserts nothing and passes (one did, for a session: the fleet's shared write memory)."""

from __future__ import annotations

import ast
from pathlib import Path


def never_run(tree: ast.AST) -> list[str]:
    """Tests that define a coroutine and neither call nor pass it anywhere."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test")):
            continue
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        out += [f"{node.name}: {inner.name}" for inner in node.body
                if isinstance(inner, ast.AsyncFunctionDef) and inner.name not in used]
    return out


def test_no_test_defines_a_coroutine_it_never_runs():
    bad = []
    for f in sorted(Path(__file__).parent.rglob("*.py")):
        bad += [f"{f}: {x}" for x in never_run(ast.parse(f.read_text(), str(f)))]
    assert bad == []


def test_the_check_finds_one():
    src = "def test_x():\n    async def run():\n        assert False\n"
    assert never_run(ast.parse(src)) == ["test_x: run"]
    assert never_run(ast.parse(src + "    asyncio.run(run())\n")) == []
