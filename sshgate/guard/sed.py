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
            if a.startswith("--f"):  # --file, its abbreviations, --follow-symlinks
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


#: a character that stands for itself in a regular expression
_LITERAL = re.compile(r"[A-Za-z0-9_ #%&'\",:;<=>@`~-]")


def _regex_has_literal(rx: str) -> bool:
    r"""The pattern needs some character to match, so a line it matches is not every line:
    a literal outside a bracket expression (``[^x]`` is nearly any) and not made optional
    (``x*``, ``x?``, ``x\{0,\}``, ``\(x\)*``). Never an alternation (``x\|.*``). One pass."""
    if "|" in rx:
        return False
    out: list[bool] = []  # per atom read: does it stand for one literal character
    groups: list[int] = []  # where the open groups' atoms begin in ``out``
    i, n = 0, len(rx)
    while i < n:
        ch, begin = rx[i], len(out)
        if ch == "[":
            j = i + 1 + (rx[i + 1:i + 2] == "^")
            j += rx[j:j + 1] == "]"
            while j < n and rx[j] != "]":
                k = rx.find(":]", j + 2) if rx.startswith("[:", j) else -1
                j = k + 2 if k >= 0 else j + 1
            out.append(False)
            i = j + 1
        elif ch in "(\\" and rx[i:i + 2] != "\\)" and (ch == "(" or rx[i + 1:i + 2] == "("):
            groups.append(len(out))
            i += 1 if ch == "(" else 2
            continue
        elif ch == ")" or rx.startswith("\\)", i):
            begin = groups.pop() if groups else len(out)
            i += 1 if ch == ")" else 2
        elif ch == "\\" and i + 1 < n:
            out.append(rx[i + 1] == "." or _LITERAL.fullmatch(rx[i + 1]) is not None)
            i += 2
        else:
            out.append(_LITERAL.fullmatch(ch) is not None)
            i += 1
        # a quantifier that allows none makes what was just read optional
        if i < n and rx[i] in "*?":
            del out[begin:]
            i += 1
        elif rx.startswith(("\\{0", "{0"), i):
            del out[begin:]
            k = rx.find("}", i)
            i = k + 1 if k >= 0 else n
    return any(out)


def in_place_safe(script: str) -> bool:
    """(red team s15 D5, E4) What an in-place edit with no backup may do: substitute where
    the pattern names something (``s/old/new/``, never ``s/.*//``), transliterate, insert or
    append lines, and delete lines an address names (``/^#/d``, ``12d``, ``3,7d``). Never q,
    Q, c, ``d`` of every line (``d``, ``1!d``, ``1,$d``, ``0~1d``), or what script_why holds.
    One pass over the script."""
    if script_why(script) is not None:
        return False
    i, n = 0, len(script)
    address = ""
    while i < n:
        ch = script[i]
        if ch in ";\n{} \t":
            if ch in ";\n{}":
                address = ""
            i += 1
        elif ch in "sy" and i + 1 < n:
            delim, j, parts, start = script[i + 1], i + 2, [], i + 2
            while j < n and len(parts) < 2:
                if script[j] == "\\":
                    j += 2
                    continue
                if script[j] == delim:
                    parts.append(script[start:j])
                    start = j + 1
                j += 1
            if ch == "s" and (not parts or not _regex_has_literal(parts[0])):
                return False
            while j < n and script[j].isalnum():
                j += 1
            i, address = j, ""
        elif ch == "/":
            j = i + 1
            while j < n and script[j] != "/":
                j += 2 if script[j] == "\\" else 1
            j += 1
            while j < n and script[j] in "IM":  # the pattern's modifiers, not commands
                j += 1
            address += script[i:j]
            i = j
        elif ch.isdigit() or ch in "$,~!+":
            address += ch
            i += 1
        elif ch in "dD":
            if not _names_lines(address):
                return False
            i, address = i + 1, ""
        elif ch in "ai":
            # the text it adds runs to the end of the line: the next line is a command
            nl = script.find("\n", i)
            i, address = (n if nl < 0 else nl + 1), ""
        else:
            return False  # q, Q, c, l, =, n, N, p, h, g, x, b, t...: not an edit's
    return True


def _names_lines(address: str) -> bool:
    """An address that names some lines, not all: a pattern with a literal, a line number,
    or a range of two of them (never ``$``, a step, an offset or a negation)."""
    if not address or any(ch in address for ch in "!~+$"):
        return False
    parts = re.findall(r"/(?:\\.|[^/\\])*+/[IM]*|[0-9]+|,", address)
    if "".join(parts) != address or parts.count(",") > 1 or parts[0] == "," or parts[-1] == ",":
        return False
    if not all(p == "," or p.isdigit() or _regex_has_literal(p.rstrip("IM").strip("/"))
               for p in parts):
        return False
    # (ops16) a number past any file's end is ``$``, and a range spans its lines: a line
    # named is below MAX_LINE, a range ends within MAX_SPAN lines of where it starts (or of
    # the first line, from a pattern): ``1,2147483647d`` deletes everything
    nums = [int(p) for p in parts if p.isdigit()]
    if any(n > MAX_LINE for n in nums):
        return False
    if "," in parts and parts[-1].isdigit():
        start = int(parts[0]) if parts[0].isdigit() else 0
        return int(parts[-1]) - start <= MAX_SPAN
    return True


#: (ops16) the last line number and the widest numbered range an in-place delete names
MAX_LINE = 100_000
MAX_SPAN = 1_000
