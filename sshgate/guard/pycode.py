"""Inline Python (``python3 -c CODE``) proved ordinary by an allow-list over its syntax tree:
the code may only compute and print. Pure.

Agents check versions, read a field of a JSON file, count with one-liners; a word deny-list
over such code is beaten by ``getattr(__import__('o'+'s'), 'sys'+'tem')``, so this module
never looks for bad words. It parses the code with :mod:`ast` and accepts it only when every
node is of a listed kind and every name is listed:

- imports only of listed modules, and of a module only its listed attributes (``os`` gives
  ``getcwd``, ``cpu_count``, ``path.*``; never ``system``, ``environ``, ``remove``); a module
  is only ever the head of such a chain (``x = os`` or ``f(os)`` would hand it on);
- builtins only listed ones: no ``eval``, ``exec``, ``compile``, ``__import__``,
  ``getattr``, ``globals``, ``vars``; ``open`` only of a literal path, to read;
- no name or attribute that starts with ``_`` except a package's ``__version__``; no
  ``str.format`` (its fields walk attributes); no ``def``, ``class``, ``while``, ``with``,
  ``global``, ``async``, star import, or assignment to an attribute;
- methods only from a list of data methods (``split``, ``items``, ``head``...);
- no string constant that could name a secret, no computed path given to a reader, and no
  constant exponent or repetition large enough to stall the host.

Importing a module runs its code, and ``python -c`` imports from the working directory
first: the interpreter is a code runner for the write memory (flow.py), so a module the
session wrote there holds the line; third-party packages are a list whose import does not act.
"""

from __future__ import annotations

import ast
import functools
import importlib
import types

from .secret_paths import is_secret_path, maybe_secret_path

#: longest inline program judged (longer ones are not one-liners)
MAX_CODE = 4000
MAX_NODES = 600

#: module -> what it may be used for: "stdlib": any public attribute that is not itself a
#: module (``platform.os``, ``shlex.os`` would reach ``os.remove``), checked on the module;
#: "data": a third-party package, only the attributes in _DATA_ATTRS; else the listed ones
_MODULES: dict[str, frozenset[str] | str] = {
    **dict.fromkeys(("json", "math", "cmath", "statistics", "decimal", "fractions", "re",
                     "textwrap", "collections", "itertools", "datetime", "calendar",
                     "zoneinfo", "uuid", "hashlib", "hmac", "base64", "binascii", "struct",
                     "pprint", "random", "bisect", "heapq", "unicodedata", "difflib", "csv",
                     "ipaddress", "keyword", "copy", "numbers", "array", "colorsys",
                     "secrets", "html", "urllib.parse", "shlex", "fnmatch", "zlib",
                     "email.utils", "platform", "locale", "tomllib"), "stdlib"),
    "string": frozenset({"ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits",
                         "hexdigits", "octdigits", "punctuation", "printable", "whitespace",
                         "capwords"}),
    "sys": frozenset({"version", "version_info", "platform", "executable", "argv",
                      "stdin", "stdout", "stderr", "maxsize", "byteorder", "prefix",
                      "base_prefix", "exec_prefix", "implementation", "float_info",
                      "getrecursionlimit", "getdefaultencoding", "getfilesystemencoding",
                      "hexversion", "api_version", "exit", "maxunicode",
                      "builtin_module_names", "stdlib_module_names"}),
    "os": frozenset({"getcwd", "cpu_count", "sep", "linesep", "name", "getpid", "getuid",
                     "getgid", "geteuid", "uname", "path", "listdir", "scandir", "walk",
                     "stat", "lstat", "getloadavg", "sched_getaffinity", "devnull",
                     "pathsep", "curdir", "pardir", "get_terminal_size"}),
    "os.path": frozenset({"join", "exists", "isfile", "isdir", "islink", "getsize",
                          "getmtime", "getctime", "basename", "dirname", "abspath",
                          "realpath", "splitext", "split", "normpath", "relpath",
                          "commonpath", "expanduser", "isabs", "sep"}),
    "time": frozenset({"time", "monotonic", "perf_counter", "strftime", "gmtime",
                       "localtime", "ctime", "asctime", "strptime", "mktime", "time_ns",
                       "timezone", "tzname", "perf_counter_ns", "process_time"}),
    "sysconfig": frozenset({"get_paths", "get_path", "get_python_version",
                            "get_platform", "get_config_var"}),
    "site": frozenset({"getsitepackages", "getusersitepackages", "ENABLE_USER_SITE"}),
    "shutil": frozenset({"disk_usage", "which", "get_terminal_size"}),
    "pathlib": frozenset({"Path", "PurePath", "PurePosixPath"}),
    "importlib.metadata": frozenset({"version", "metadata", "requires"}),
    "glob": frozenset({"glob", "iglob"}),
    "socket": frozenset({"gethostname", "getfqdn"}),
    "multiprocessing": frozenset({"cpu_count"}),
    # third-party packages whose import does not act: versions, devices, frames
    **dict.fromkeys(("numpy", "pandas", "torch", "tensorflow", "sklearn", "scipy",
                     "django", "flask", "fastapi", "pydantic", "yaml", "transformers", "jax",
                     "cv2", "matplotlib", "polars", "pyarrow", "sqlalchemy", "setuptools",
                     "pip", "certifi", "tomli", "onnx", "xgboost", "lightgbm", "requests",
                     "boto3", "botocore", "urllib3", "numba", "tqdm", "rich", "click",
                     "pytest", "attr", "attrs", "jinja2", "redis", "psycopg2", "psycopg",
                     "asyncpg", "celery", "gunicorn", "uvicorn", "starlette", "httpx"),
                    "data"),
}

#: what a third-party package may be used for: its version, the accelerators it sees, and
#: building or reading data in memory (a file it reads is a literal, judged as a path)
_DATA_ATTRS = frozenset({
    "__version__", "version", "VERSION", "get_version", "cuda", "backends", "config",
    "read_csv", "read_json", "read_parquet", "read_excel", "read_table", "read_feather",
    "DataFrame", "Series", "array", "arange", "zeros", "ones", "linspace", "asarray",
    "percentile", "isnan", "mean", "median", "std", "var", "sqrt", "log", "exp", "nan",
    "inf", "pi", "float32", "float64", "int32", "int64", "concatenate", "stack",
    "unique", "random", "tensor", "device", "where", "safe_load", "safe_load_all",
    "is_available", "get_device_name", "device_count", "dtype", "__file__"})
#: readers whose first argument is a path: a literal only (judged against the secrets)
_READERS = frozenset({"open", "read_csv", "read_json", "read_parquet", "read_excel",
                      "read_table", "read_feather", "Path", "PurePath", "listdir", "scandir",
                      "walk", "glob", "iglob", "stat", "lstat", "getsize"})

#: builtins that only compute, convert or print
_BUILTINS = frozenset({
    "print", "len", "range", "sorted", "reversed", "enumerate", "zip", "map", "filter",
    "sum", "min", "max", "abs", "round", "divmod", "pow", "int", "float", "complex", "str",
    "bytes", "bytearray", "bool", "list", "tuple", "dict", "set", "frozenset", "repr",
    "ascii", "chr", "ord", "hex", "oct", "bin", "hash", "any", "all", "isinstance",
    "callable", "iter", "next", "slice", "input", "True", "False", "None", "Exception",
    "ValueError", "KeyError", "TypeError", "IndexError", "exit", "quit", "open",
    "StopIteration", "OSError", "RuntimeError", "ZeroDivisionError", "AttributeError",
    "FileNotFoundError", "UnicodeDecodeError", "NotImplemented", "Ellipsis", "ImportError",
    "ModuleNotFoundError", "LookupError", "ArithmeticError", "PermissionError"})

#: methods and attributes of data (str, bytes, list, dict, set, numbers, dates, frames,
#: devices); never str.format or format_map (their fields walk attributes: '{0.__globals__}')
_METHODS = frozenset({
    "split", "rsplit", "splitlines", "strip", "lstrip", "rstrip", "join", "replace",
    "lower", "upper", "title", "capitalize", "casefold", "swapcase", "startswith",
    "endswith", "find", "rfind", "index", "rindex", "count", "partition", "rpartition",
    "center", "ljust", "rjust", "zfill", "encode", "decode", "isdigit", "isalpha",
    "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal", "isidentifier",
    "expandtabs", "removeprefix", "removesuffix", "hex", "fromhex", "items", "keys",
    "values", "get", "setdefault", "update", "pop", "popitem", "copy", "append", "extend",
    "insert", "remove", "sort", "reverse", "clear", "add", "discard", "union",
    "intersection", "difference", "symmetric_difference", "issubset", "issuperset",
    "isdisjoint", "most_common", "elements", "subtract", "total", "hexdigest", "digest",
    "isoformat", "strftime", "timestamp", "date", "time", "weekday", "isoweekday",
    "isocalendar", "total_seconds", "days", "seconds", "year", "month", "day", "hour",
    "minute", "second", "microsecond", "tzinfo", "astimezone", "utcoffset", "now",
    "utcnow", "today", "fromtimestamp", "fromisoformat", "strptime", "group", "groups",
    "groupdict", "start", "end", "match", "search", "fullmatch", "findall",
    "finditer", "sub", "subn", "read", "readline", "readlines", "write", "flush", "name",
    "stem", "suffix", "suffixes", "parts", "exists", "is_file", "is_dir", "st_size",
    "st_mtime", "major", "minor", "micro", "releaselevel", "real", "imag", "conjugate",
    "bit_length", "to_bytes", "from_bytes", "as_integer_ratio", "is_integer", "shape",
    "dtype", "dtypes", "columns", "head", "tail", "describe", "info", "sum", "mean",
    "median", "std", "var", "min", "max", "nunique", "unique", "value_counts", "groupby",
    "agg", "sort_values", "reset_index", "isna", "isnull", "notna", "dropna", "fillna",
    "astype", "tolist", "to_dict", "to_list", "to_numpy", "to_string", "iloc", "loc",
    "size", "ndim", "T", "transpose", "reshape", "flatten", "ravel", "argmax", "argmin",
    "cumsum", "round", "item", "numpy", "cpu", "is_available", "device_count",
    "get_device_name", "current_device", "cuda", "cudnn", "mps", "version", "enabled",
    "list_physical_devices", "memory_allocated", "memory_reserved", "get_device_properties",
    "total_memory", "mem_get_info", "get_version", "corr", "quantile", "nlargest",
    "nsmallest", "rand", "randn", "randint", "seed", "choice", "is_built", "width",
    "height", "loads", "dumps", "getvalue", "any", "all", "abs", "nbytes", "itemsize",
    "memory_usage", "duplicated", "isin", "between", "str", "dt", "empty", "equals",
    "st_mode", "st_uid", "is_symlink"})

#: node types that only compute
_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.Import, ast.ImportFrom, ast.alias,
    ast.Call, ast.keyword, ast.Name, ast.Load, ast.Store, ast.Attribute, ast.Subscript,
    ast.Slice, ast.Constant, ast.JoinedStr, ast.FormattedValue, ast.List, ast.Tuple,
    ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
    ast.comprehension, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.If,
    ast.For, ast.Pass, ast.Break, ast.Continue, ast.Lambda, ast.arguments, ast.arg,
    ast.Try, ast.ExceptHandler, ast.Starred, ast.operator, ast.unaryop, ast.boolop,
    ast.cmpop, ast.Assert, ast.NamedExpr,
)


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]`` when it is one name and attributes only."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


@functools.lru_cache(maxsize=2048)
def _stdlib_attr(module: str, attr: str) -> bool:
    """``module.attr`` exists and is not a module (importing the standard library's module
    here is side-effect free)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return False
    value = getattr(mod, attr, types)  # ``types``: a module, i.e. "missing" fails too
    return not isinstance(value, types.ModuleType)


def _attr_ok(module: str, attr: str) -> bool:
    kind = _MODULES.get(module)
    if kind is None or (attr.startswith("_") and attr not in ("__version__", "__file__")):
        return False
    if kind == "stdlib":
        return not attr.startswith("_") and _stdlib_attr(module, attr)
    if kind == "data":
        return attr in _DATA_ATTRS
    assert isinstance(kind, frozenset)
    return attr in kind


def _method_ok(attr: str) -> bool:
    return attr in _METHODS


class _Check(ast.NodeVisitor):
    def __init__(self, own: set[str]) -> None:
        #: names bound to modules (import x / import x as y / from x import y)
        self.modules: dict[str, str] = {}
        #: names the code binds itself (variables, loop targets, lambda parameters)
        self.own = own
        self.why: str | None = None

    def fail(self, why: str) -> None:
        if self.why is None:
            self.why = why

    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, _NODES):
            self.fail(f"Python {type(node).__name__} is not in the ordinary subset")
            return
        super().generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if a.name not in _MODULES:
                self.fail(f"imports {a.name!r}, not a module known only to compute")
            elif a.asname:
                self.modules[a.asname] = a.name
            else:
                self.modules[a.name.split(".")[0]] = a.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        mod = node.module or ""
        if node.level or mod not in _MODULES:
            self.fail(f"imports from {mod or '.'!r}, not a module known only to compute")
            return
        for a in node.names:
            full = f"{mod}.{a.name}"
            if full in _MODULES:
                self.modules[a.asname or a.name] = full
            elif not _attr_ok(mod, a.name):
                self.fail(f"imports {a.name!r} from {mod!r}")
            # else: a function or constant, bound like the program's own names

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.modules:
            # a module only heads an attribute chain (visit_Attribute); anywhere else it
            # would be handed on with every attribute it has
            self.fail(f"uses module {node.id!r} as a value")
        elif node.id.startswith("__"):
            self.fail(f"uses {node.id!r}")
        elif isinstance(node.ctx, ast.Store):
            if node.id in _BUILTINS:
                self.fail(f"rebinds {node.id!r}")
        elif node.id not in self.own and node.id not in _BUILTINS:
            self.fail(f"uses {node.id!r}, which is not a listed builtin")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.fail(f"assigns to attribute {node.attr!r}")
            return
        chain = _dotted(node)
        if chain is not None and chain[0] in self.modules:
            mod, rest = self.modules[chain[0]], chain[1:]
            while rest and f"{mod}.{rest[0]}" in _MODULES:  # os.path, importlib.metadata
                mod, rest = f"{mod}.{rest[0]}", rest[1:]
            if rest and not _attr_ok(mod, rest[0]):
                self.fail(f"uses {mod}.{rest[0]}")
            elif any(not _method_ok(a) for a in rest[1:]):
                self.fail(f"uses {'.'.join(chain)}")
            elif not rest:
                self.fail(f"uses module {mod!r} as a value")
            return
        if not _method_ok(node.attr):
            self.fail(f"uses attribute {node.attr!r}")
            return
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        chain = _dotted(node.func)
        last = chain[-1] if chain else getattr(node.func, "attr", None)
        if last in _READERS:
            first = node.args[0] if node.args else None
            if first is not None and not (isinstance(first, ast.Constant) and
                                          isinstance(first.value, str)):
                self.fail(f"{last}() of a computed path")
            elif first is not None and _secretish(first.value):
                self.fail(f"{last}() of {first.value!r}, which could be a secret")
        if chain == ["open"]:
            mode = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "mode"), None)
            if mode is not None and not (isinstance(mode, ast.Constant) and
                                         mode.value in ("r", "rb", "rt")):
                self.fail("open() to write")
        for k in node.keywords:
            if k.arg is None:
                self.fail("a call with **keywords")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, str) and _secretish(v):
            self.fail(f"names {v!r}, which could be a secret")
        elif isinstance(v, (bytes, str)) and len(v) > 2000:
            self.fail("a long constant")

    def visit_BinOp(self, node: ast.BinOp) -> None:
        # 10**10**10, 'x' * 10**8: a stalled host, not a computation
        right = _folded(node.right)
        if isinstance(node.op, ast.Pow) and (right is None or right > 100_000):
            self.fail("a computed or large exponent")
        elif isinstance(node.op, ast.LShift) and (right is None or right > 1_000_000):
            self.fail("a computed or large shift")
        elif isinstance(node.op, ast.Mult) and any(
                (v := _folded(side)) is not None and abs(v) > MAX_CONSTANT
                for side in (node.left, node.right)):
            self.fail("a repetition large enough to stall the host")
        self.generic_visit(node)


#: the largest number a constant expression may make (a repetition, a power, a shift)
MAX_CONSTANT = 10**7


def _folded(node: ast.AST, depth: int = 0) -> int | None:
    """The integer a constant expression of ints makes, or None (not one, or too large to
    compute here: a power above 1000, a shift above 64, nesting deeper than 8)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        v = _folded(node.operand, depth + 1)
        return None if v is None else -v
    if not isinstance(node, ast.BinOp) or depth > 8:
        return None
    a, b = _folded(node.left, depth + 1), _folded(node.right, depth + 1)
    if a is None or b is None or abs(a) > 10**30 or abs(b) > 10**30:
        return None
    if isinstance(node.op, ast.Pow):
        return a ** b if 0 <= b <= 100 and abs(a) < 10**6 else None
    if isinstance(node.op, ast.LShift):
        return a << b if 0 <= b <= 64 else None
    if isinstance(node.op, ast.Mult):
        return a * b
    if isinstance(node.op, ast.Add):
        return a + b
    if isinstance(node.op, ast.Sub):
        return a - b
    return None


def _secretish(v: str) -> bool:
    """A string that, as a path, could name a secret (a word without a slash, a dot or a
    tilde is text, not a path)."""
    return ("/" in v or v.startswith((".", "~")) or "id_" in v) and (
        is_secret_path(v) or maybe_secret_path(v))


@functools.lru_cache(maxsize=1024)
def inline_python_why(code: str) -> str | None:
    """Why the Python program ``code`` is not known ordinary, or None when it only computes
    and prints (see the module docstring)."""
    if len(code) > MAX_CODE:
        return "a Python program longer than a one-liner"
    try:
        tree = ast.parse(code, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "Python the guard cannot parse"
    own: set[str] = set()
    for n, node in enumerate(ast.walk(tree)):
        if n > MAX_NODES:
            return "a Python program longer than a one-liner"
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.arg):
            own.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            own.add(node.name)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            own.update(a.asname or a.name for a in node.names
                       if f"{node.module}.{a.name}" not in _MODULES)
    check = _Check(own)
    check.visit(tree)
    return check.why
