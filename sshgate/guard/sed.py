"""sed scripts: which commands only print, substitute and delete lines (never read, write or
run: ``r``, ``R``, ``w``, ``W``, ``e``, ``s///e``, ``s///w``). Pure; the catalogue (safe.py)
judges sed with it, and the write memory (flow.py) asks it whether an in-place edit's content
is all on the line."""

from __future__ import annotations

import re

_SED_OK = set("pdDqQnNgGhHxl=!{};,$+~0123456789 \t\n")


def script_why(script: str) -> str | None:
    """None when a sed script only prints, substitutes and deletes lines; else why not."""
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in "sy" and i + 1 < n:
            delim = script[i + 1]
            if delim.isalnum() or delim in " \\\n":
                return "an unusual sed delimiter"
            j, parts = i + 2, 0
            while j < n and parts < 2:
                if script[j] == "\\":
                    j += 2
                    continue
                if script[j] == delim:
                    parts += 1
                j += 1
            if parts < 2:
                return "an unterminated sed command"
            flags = re.match(r"[A-Za-z0-9]*", script[j:]).group(0)  # type: ignore[union-attr]
            if ch == "s" and set(flags) & set("ewW"):
                return "a sed s///e or s///w flag runs or writes"
            i = j + len(flags)
        elif ch in "/":
            j = i + 1
            while j < n and script[j] != "/":
                j += 2 if script[j] == "\\" else 1
            i = j + 1
            while i < n and script[i] in "IM":
                i += 1
        elif ch in "aic":
            nl = script.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif ch in _SED_OK:
            i += 1
        else:
            return f"the sed command {ch!r} reads, writes or runs something"
    return None


def shown_edit(args: tuple[str, ...]) -> bool:
    """``sed ARGS`` takes its whole script from the line: no script file (``-f``, ``--file``,
    a cluster with ``f``: ``-Ef``) and every script only prints, substitutes and deletes (an
    ``r FILE`` command would bring in text the line does not show)."""
    scripts: list[str] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            operands += args[i + 1:]
            break
        if a.startswith("--"):
            if a.startswith(("--file", "--f")):
                return False
            if a == "--expression" and i + 1 < len(args):
                scripts.append(args[i + 1])
                i += 1
            elif a.startswith("--expression="):
                scripts.append(a.split("=", 1)[1])
        elif a.startswith("-") and len(a) > 1:
            if a.startswith("-i") or a.startswith("-l"):
                pass  # -iSUFFIX, -lN: their letters are a value
            elif "f" in a:
                return False
            elif "e" in a:
                rest = a[a.index("e") + 1:]
                if rest:
                    scripts.append(rest)
                elif i + 1 < len(args):
                    scripts.append(args[i + 1])
                    i += 1
        else:
            operands.append(a)
        i += 1
    if not scripts:
        scripts = operands[:1]
    return bool(scripts) and all(script_why(x) is None for x in scripts)


def deletes_unaddressed(script: str) -> bool:
    """(red team s15 D5) The script has a ``d``/``D`` command with no address or a negated one
    (``d``, ``1!d``, ``$!d``): in place, the file is emptied or cut to a line. One pass."""
    i, n = 0, len(script)
    addressed = negated = False
    while i < n:
        ch = script[i]
        if ch in ";\n{}":
            addressed = negated = False
            i += 1
        elif ch in "sy" and i + 1 < n:
            delim, j, parts = script[i + 1], i + 2, 0
            while j < n and parts < 2:
                if script[j] == "\\":
                    j += 2
                    continue
                parts += script[j] == delim
                j += 1
            while j < n and script[j].isalnum():
                j += 1
            i = j
        elif ch == "/":
            j = i + 1
            while j < n and script[j] != "/":
                j += 2 if script[j] == "\\" else 1
            addressed, i = True, j + 1
        elif ch.isdigit() or ch in "$,":
            addressed, i = True, i + 1
        elif ch == "!":
            negated, i = True, i + 1
        elif ch in "dD":
            if not addressed or negated:
                return True
            i += 1
        else:
            i += 1
    return False
