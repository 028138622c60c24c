"""awk programs as an allow-list: a small tokenizer proves a program only reads its input and
prints to standard output. Pure.

An awk program is code for an interpreter; the guard allows one only when every token is on
the lists below: fields, variables, arithmetic, comparisons, regular expressions, control
flow, ``print``/``printf`` to standard output and string and math builtins by name. Anything
else (``system()``, a pipe ``|``, ``print > file``, ``getline``, ``close``, ``ENVIRON``,
``PROCINFO``, ``ARGV``, ``@load``/``@include``, a builtin a newer awk adds) is not on the
lists, so the program is not known safe. One linear pass; a regex literal is read only
where awk's grammar expects an operand (elsewhere ``/`` is division and what follows is
read as code, so nothing can hide behind an ambiguous slash).
"""

from __future__ import annotations

from .options import opts

#: POSIX awk (``awk`` may be mawk, gawk or busybox): a field separator and assignments
AWK_OPTS = opts("-F:any -v:any --version")
#: gawk's options that change neither what it reads nor where it writes or what it loads
#: (never -f/-i/-l/-E program files and extensions, -o/-p/-d files it writes, -D a debugger
#: on stdin, -e/--source: its text is checked as a program, see ``programs``)
GAWK_OPTS = opts(
    "-F|--field-separator:any -v|--assign:any -e|--source:any -b|--characters-as-bytes "
    "-c|--traditional -P|--posix -r|--re-interval -S|--sandbox -n|--non-decimal-data "
    "-N|--use-lc-numeric -s|--no-optimize -O|--optimize -M|--bignum -t|--lint-old "
    "-C|--copyright -V|--version")
#: mawk: only its POSIX options (its -W options run, dump or read files)
MAWK_OPTS = AWK_OPTS

KEYWORDS = frozenset({
    "BEGIN", "END", "BEGINFILE", "ENDFILE", "if", "else", "while", "for", "do", "in", "break",
    "continue", "next", "nextfile", "exit", "delete", "function", "func", "return",
    "print", "printf", "switch", "case", "default",
})
#: builtin functions that compute a value and touch nothing outside the program
FUNCTIONS = frozenset({
    "length", "substr", "index", "split", "sub", "gsub", "gensub", "match", "sprintf",
    "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand",
    "strftime", "systime", "mktime", "asort", "asorti", "patsplit", "strtonum", "and", "or",
    "xor", "compl", "lshift", "rshift", "isarray", "typeof",
})
#: builtin variables a program may read or set (never ENVIRON, PROCINFO, ARGV/ARGC: a file
#: to read next, SYMTAB/FUNCTAB: indirect access, BINMODE, LINT, ERRNO...)
VARIABLES = frozenset({
    "NR", "NF", "FNR", "FS", "OFS", "ORS", "RS", "RT", "FILENAME", "SUBSEP", "RSTART",
    "RLENGTH", "CONVFMT", "OFMT", "IGNORECASE", "FIELDWIDTHS", "FPAT",
})
#: every name awk implementations give a meaning of their own: an identifier in this set
#: and not on the lists above is a builtin the guard does not allow
_RESERVED = frozenset({
    "getline", "system", "close", "fflush", "ENVIRON", "PROCINFO", "ARGV", "ARGC", "ARGIND",
    "SYMTAB", "FUNCTAB", "BINMODE", "LINT", "ERRNO", "TEXTDOMAIN", "PREC", "ROUNDMODE",
    "bindtextdomain", "dcgettext", "dcngettext",
})
#: operators, longest first
_OPERATORS = ("**=", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "^=",
              "++", "--", "**", "!~", "+", "-", "*", "/", "%", "^", "!", "<", ">", "~", "?",
              ":", "=", ",", ";", "(", ")", "{", "}", "[", "]", "$")
#: tokens after which awk expects an operator: a ``/`` there divides
_OPERAND_END = frozenset({")", "]", "++", "--", "NAME", "NUMBER", "STRING", "$NAME"})
#: a longer program is not read (a bound on the work, and no honest one-liner is longer)
MAX_PROGRAM = 16 * 1024


def program_why(text: str) -> str | None:
    """None when every token of the awk program ``text`` is on the allow-list; else why not."""
    if len(text) > MAX_PROGRAM:
        return "an awk program longer than the guard reads"
    i, n = 0, len(text)
    prev = ""            # the kind of the previous significant token
    functions: set[str] = set()
    calls: list[str] = []
    # per open print/printf: the paren depth it started at (a > | at that depth redirects)
    printing: int | None = None
    depth = 0
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and text.startswith("\n", i + 1):
            i += 2
            continue
        if ch == "\n" or ch == ";":
            if printing is not None and depth <= printing:
                printing = None
            prev = ";"
            i += 1
            continue
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\n":
                    return "a newline inside an awk string"
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return "an unterminated awk string"
            i, prev = j + 1, "STRING"
            continue
        if ch == "/" and prev not in _OPERAND_END:
            j, bracket = i + 1, False
            while j < n and (text[j] != "/" or bracket):
                c = text[j]
                if c == "\n":
                    return "a newline inside an awk regular expression"
                if c == "\\":
                    j += 2
                    continue
                if c == "[":
                    bracket = True
                elif c == "]" and bracket:
                    bracket = False
                j += 1
                if bracket and j < n and text[j] == "/":
                    # awks disagree whether '/' ends the expression inside [...]
                    return "a '/' inside a bracket of an awk regular expression"
            if j >= n:
                return "an unterminated awk regular expression"
            i, prev = j + 1, "STRING"
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isdigit() or text[j] == "."):
                j += 1
            if j < n and text[j] in "eE":
                k = j + 1 + (j + 1 < n and text[j + 1] in "+-")
                if k < n and text[k].isdigit():
                    j = k
                    while j < n and text[j].isdigit():
                        j += 1
            # whatever follows (``1getline``, ``0x1A``) is a token of its own, as awk reads it
            i, prev = j, "NUMBER"
            continue
        if ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            if word in _RESERVED:
                return f"awk {word} is not on the guard's list"
            if word in ("print", "printf"):
                printing = depth
            if prev == "function" and word not in KEYWORDS:
                functions.add(word)
            elif j < n and text[j] == "(" and word not in KEYWORDS and word not in VARIABLES:
                calls.append(word)
            i = j
            prev = word if word in KEYWORDS else ("$NAME" if prev == "$" else "NAME")
            continue
        op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
        if op is None:
            return f"awk {ch!r} is not on the guard's list"
        if op in ("(", "["):
            depth += 1
        elif op in (")", "]"):
            depth -= 1
        elif op == "{":
            printing = None
        elif op == "}":
            printing = None
            prev = ";"
            i += 1
            continue
        if op in (">", "|") and printing is not None and depth <= printing:
            return "an awk print that writes to a file or a command"
        if op == ">" and prev not in _OPERAND_END:
            # a comparison has a left operand: this '>' redirects (or awk refuses the text)
            return "an awk print that writes to a file or a command"
        i, prev = i + len(op), op
    for name in calls:
        if name not in FUNCTIONS and name not in functions:
            return f"awk function {name}() is not on the guard's list"
    return None


def programs(o_pairs: tuple[tuple[str, str | None], ...],
             ops: tuple[str, ...]) -> tuple[list[str], tuple[str, ...]]:
    """The program texts of an awk command (``-e``/``--source`` values, else its first
    operand) and the operands it reads as files or assignments."""
    sources = [v for k, v in o_pairs if k == "-e" and v is not None]
    if sources:
        return sources, ops
    return list(ops[:1]), ops[1:]


__all__ = ["AWK_OPTS", "GAWK_OPTS", "MAWK_OPTS", "program_why", "programs"]
