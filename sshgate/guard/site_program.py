"""The site's own programs: a script of the working tree, run by its relative path or by its
interpreter (``./scripts/status.sh``, ``python train.py --epochs 3``). Pure.

Such a script is the tree's code, trusted as the catalogue trusts a make target or an npm
script: flow.py holds it when this session or an earlier one wrote, fetched or planted it (or
anything beside it), and when the working directory is scratch or unknown. What the guard can
still read is the script's name and its arguments: a name or an argument that says
destruction, a prompt, a secret or another host keeps it held (docs/guard-least-privilege.md,
"Session 11: the site's programs")."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from dataclasses import dataclass

from .rules import is_system_path
from .secret_paths import maybe_secret_path

#: a plain relative path, or one in a deploy root or the home (where a ``cd`` there resolves
#: it; flow.py judges the path a cd made): every
#: component starts with a letter, a digit or ``_`` (no dot-directory, no ``..``, no option),
#: with no expansion, quoting or blank
SCRIPT_PATH = re.compile(
    r"\A(?:\./|~/|/(?:srv|opt|data|var/www|home)/)?+(?:[A-Za-z0-9_][A-Za-z0-9_.+-]*+/)*+"
    r"[A-Za-z0-9_][A-Za-z0-9_.+-]*+\Z")


@dataclass(frozen=True, slots=True)
class Interpreter:
    """What may stand between an interpreter and its script, and what a script's name ends in."""

    flags: frozenset[str]
    suffixes: tuple[str, ...]
    flag_pattern: re.Pattern[str] | None = None


#: flags that change nothing the script can do (never -i: a prompt after the script reads the
#: agent's stdin; never python's -W/-X: an importable warnings category, an import-time hook;
#: never node's --inspect, -r or --import: a debugger port, a module loaded first)
_PYTHON = Interpreter(frozenset({"-u", "-B", "-O", "-OO", "-E", "-s", "-S", "-I", "-q", "-b",
                                 "-bb"}), (".py",))
_SHELL = Interpreter(frozenset(), (".sh", ".bash"), re.compile(r"-[eux]{1,3}+"))
INTERPRETERS: dict[str, Interpreter] = {
    "python": _PYTHON, "python3": _PYTHON,
    "node": Interpreter(frozenset({"--enable-source-maps", "--no-warnings", "--no-deprecation",
                                   "--trace-warnings", "--trace-uncaught"}),
                        (".js", ".mjs", ".cjs"),
                        re.compile(r"--max-old-space-size=[0-9]{1,6}+")),
    "ruby": Interpreter(frozenset({"-w", "-W0", "-W1", "-W2"}), (".rb",)),
    "perl": Interpreter(frozenset({"-w", "-W"}), (".pl",)),
    "php": Interpreter(frozenset(), (".php", "artisan")),
    "Rscript": Interpreter(frozenset({"--vanilla", "--no-save", "--quiet"}), (".R", ".r")),
    "julia": Interpreter(frozenset({"--project", "--project=.", "--project=@.", "-q",
                                    "--quiet", "--startup-file=no"}), (".jl",),
                         re.compile(r"(?:-t|--threads=)(?:[0-9]{1,3}+|auto)|-O[0-3]")),
    "bash": _SHELL, "sh": _SHELL, "dash": _SHELL, "zsh": _SHELL,
}

def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: launchers that run a Python script of the tree (session 11, data tools): the words that
#: name the launcher, and its options that take the next word as their value (so that the
#: value is never taken for the script). Which options are ordinary is safe.py's allow-list
#: (``LAUNCHER_OPTS``); an option unknown here that takes a value makes the script not found.
LAUNCHERS: dict[str, tuple[int, frozenset[str]]] = {
    "torchrun": (1, _names(
        "--nproc_per_node --nproc-per-node --nnodes --node_rank --node-rank --master_port "
        "--master-port --max_restarts --max-restarts --monitor_interval --monitor-interval "
        "--log_dir --log-dir -r --redirects -t --tee --rdzv_backend --rdzv-backend "
        "--rdzv_id --rdzv-id --master_addr --master-addr --rdzv_endpoint "
        "--rdzv-endpoint")),
    "accelerate": (2, _names(
        "--num_processes --num-processes --num_machines --num-machines --mixed_precision "
        "--mixed-precision --gpu_ids --gpu-ids --main_process_port --main-process-port "
        "--machine_rank --machine-rank --config_file --config-file --dynamo_backend "
        "--dynamo-backend --main_process_ip --main-process-ip --deepspeed_config_file "
        "--deepspeed-config-file --num_cpu_threads_per_process "
        "--num-cpu-threads-per-process")),
    "deepspeed": (1, _names(
        "--num_gpus --num-gpus --num_nodes --num-nodes --include -i --exclude -e "
        "--master_port --master_addr -H --hostfile --launcher --module")),
    "spark-submit": (1, _names(
        "--master --deploy-mode --name --driver-memory --executor-memory --executor-cores "
        "--num-executors --total-executor-cores --driver-cores --queue --py-files --files "
        "--conf -c --jars --packages --class --properties-file "
        "--repositories --archives --exclude-packages")),
}

#: words in a script's path or arguments that say what no unasked step should do: destroy
#: or reset data, remove something, change a schema, skip a confirmation, open a prompt or a
#: database client, touch secrets, send data out. Matched as whole words of a name split at
#: punctuation and camelCase, with their inflections (``dropped``, ``wipes``).
_WORD_LIST = """
    drop delete del remove rm rmdir unlink wipe purge destroy nuke erase truncate flush reset
    clean cleanup clear prune shred kill killall pkill terminate shutdown reboot halt poweroff
    teardown disable deactivate revoke install uninstall rollback downgrade migrate migration
    migrations fresh force overwrite mkfs fdisk partition expire evict
    yes noinput noconfirm unattended
    repl tinker irb pry ipython ipdb pdb debugger attach exec sql psql mysql dbshell sudo
    secret secrets credential credentials creds password passwords passwd vault decrypt unseal
    privkey apikey
    upload send sendmail mail email exfil tunnel expose webhook socks
    obliterate expunge scrub zap trash discard demolish annihilate decommission deprovision
    deregister unregister drain recreate reinit reinitialize
    confirm approve noninteractive noprompt
"""
_WORDS = frozenset(_WORD_LIST.split())
#: words that say it only in the script's own name (``./scripts/stop.sh``): as arguments
#: they are ordinary (``--early-stop``, ``--restore-checkpoint``, ``--format json``)
_NAME_LIST = ("stop down restore upgrade shell console format "
              # tunnels and reverse proxies by name (a site has no business shipping one)
              "chisel ngrok frpc frps bore cloudflared gost ligolo proxychains tor")
#: directories whose files others put there (uploads, downloads, mail, caches, scratch): a
#: script in one is not the site's, whatever a cd made its path (red team s11)
_NAME_LIST += " download incoming inbox spool tmp temp cache quarantine attachment"
_NAME_WORDS = _WORDS | frozenset(_NAME_LIST.split())
_SUFFIXES = ("ing", "ed", "es", "er", "s", "d")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TOKEN = re.compile(r"[A-Za-z]++")
#: a URL or an scp-style ``host:path``; a mail address
_REMOTE = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*+://([^/?#]*+)|\A[^/=@:\s]++@[^/\s:]++:")
_MAIL = re.compile(r"[^@\s]@[A-Za-z0-9-]++\.[A-Za-z]")
#: a network endpoint as an argument: an IPv4 address (with a port or not), or a dotted name
#: with a port (``203.0.113.45:8000``, ``relay.example.net:443``)
_ENDPOINT = re.compile(r"\A(?:[^@/\s]*@)?((?:\d{1,3}\.){3}\d{1,3}|"
                       r"[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++(?=:\d))(?::\d{1,5})?+(?:/\S*)?\Z")
#: hosts inside the site: loopback, private IPv4 ranges, private-use name suffixes
#: (the one list of private ranges and private-use suffixes: safe.py's database clients add
#: single-label names to it)
PRIVATE_HOST = (r"localhost|127(?:\.\d{1,3}){3}|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|"
                r"172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|"
                r"[A-Za-z0-9][A-Za-z0-9.-]{0,200}\.(?:internal|local|lan|svc|cluster\.local|"
                r"home\.arpa)")
_LAN = re.compile(PRIVATE_HOST + r"|0\.0\.0\.0")
_LOOPBACK = re.compile(r"\A(?:[^@]*@)?(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5}+)?\Z")


@dataclass(frozen=True, slots=True)
class AppRunner:
    """A tool that runs the tree's application (a server, its routes, its tests): the verbs
    that do (None: the operands name the app, ``uvicorn app.main:app``) and the options that
    say where it listens (loopback only)."""

    verbs: frozenset[str] | None
    listen: frozenset[str]
    #: options before or after the verb that take the next word as their value
    values: frozenset[str] = frozenset()
    #: verbs that take no operand and only these options (``--name`` or ``--name=v``;
    #: ``--name=`` listed: the option's value may be the next word too): ``rails
    #: db:migrate`` forward, never ``db:migrate VERSION=0`` (which goes back down)
    exact: tuple[tuple[str, frozenset[str]], ...] = ()

    def exact_options(self, verb: str) -> frozenset[str] | None:
        return next((o for v, o in self.exact if v == verb), None)


def _runner(verbs: str | None, listen: str, values: str = "",
            exact: dict[str, str] | None = None) -> AppRunner:
    exact = exact or {}
    return AppRunner(None if verbs is None else frozenset(verbs.split()) | frozenset(exact),
                     frozenset(listen.split()), frozenset((values + " " + listen).split()),
                     tuple((v, frozenset(o.split())) for v, o in exact.items()))


#: never a prompt (``flask shell``, ``rails console``/``runner``/``dbconsole``), never what
#: resets or rolls back a schema or data (``db:reset``, ``db:rollback``, ``migrate:fresh``,
#: ``db:migrate VERSION=0``): those stay unknown. A forward migration of the tree's own
#: migrations is a deploy step (as ``make deploy`` is); one the session wrote is held by
#: flow.py (the tree was written)
_RAILS_EXACT = {"db:migrate": "", "db:migrate:status": "", "db:version": "",
                "assets:precompile": "", "zeitwerk:check": "",
                # rails routes' filters (a pattern, a controller's name) and layouts; a
                # trailing ``=`` marks an option whose value is the next word (or ``=V``)
                "routes": "--expanded -E --unused -g= --grep= -c= --controller="}
APP_RUNNERS: dict[str, AppRunner] = {
    "uvicorn": _runner(None, "--host"), "gunicorn": _runner(None, "-b --bind"),
    "hypercorn": _runner(None, "-b --bind"), "daphne": _runner(None, "-b --bind"),
    "waitress-serve": _runner(None, "--host --listen"),
    "flask": _runner("run routes", "-h --host", "-A --app -e --env-file -p --port"),
    "rails": _runner("server s about stats notes test t generate g", "-b --binding",
                     "-p --port -e --environment -P --pid -C", _RAILS_EXACT),
    "streamlit": _runner("run", "--server.address", "--server.port"),
    # hugo version/env: the binary's version, GOOS/GOARCH/GOVERSION (no site is read)
    "hugo": _runner("server serve build", "--bind",
                    "-s --source -d --destination -p --port -e --environment -b --baseURL",
                    {"version": "", "env": ""}),
    "jekyll": _runner("serve s build b", "-H --host", "-s --source -d --destination -P --port"),
}
#: artisan's generators (``make:model``): a file of the framework's template in the tree
_ARTISAN_MAKE = _names("model controller migration test request resource job event listener "
                       "middleware mail policy factory seeder command component notification "
                       "observer rule cast enum class interface trait view")
#: artisan's deploy and cache steps, with no operand and no option
_ARTISAN_PLAIN = _names("config:cache config:clear route:cache route:clear view:cache "
                        "view:clear event:cache event:clear optimize optimize:clear cache:clear "
                        "queue:restart storage:link package:discover horizon:terminate")
#: the tree's own dispatchers, whose first word picks what runs (``bin/rails console`` is a
#: prompt, ``php artisan tinker`` a REPL): only these verbs (never queue:retry: it runs every
#: failed job again, with their mails, charges and webhooks)
DISPATCHERS: dict[str, AppRunner] = {
    "rails": APP_RUNNERS["rails"],
    "artisan": _runner(
        "serve route:list test about list queue:work schedule:list event:list queue:failed "
        "horizon:status up " + " ".join(f"make:{k}" for k in sorted(_ARTISAN_MAKE)),
        "--host", "--port --env", {
            "migrate": "--force --pretend --step --isolated --graceful --no-interaction -n "
                       "--database",
            "migrate:status": "--database --pending",
            **dict.fromkeys(sorted(_ARTISAN_PLAIN), "")}),
}
#: where a server may listen unasked: this host only
LOOPBACK = re.compile(r"\A(?:localhost|127\.0\.0\.1|\[?::1\]?)(?::[0-9]{1,5}+)?\Z|"
                      r"\Aunix:[A-Za-z0-9_./-]++\Z")


def _stem_hits(token: str, words: frozenset[str]) -> bool:
    t = token.lower()
    if t in words:
        return True
    for s in _SUFFIXES:
        if t.endswith(s) and len(t) > len(s) + 1:
            base = t[:-len(s)]
            # dropped -> dropp -> drop; wiped -> wip(e)
            if base in words or base + "e" in words or (
                    len(base) > 2 and base[-1] == base[-2] and base[:-1] in words):
                return True
    return False


#: option stems that abbreviate a word of the table but name an ordinary option
_ORDINARY_STEMS = frozenset({"dest"})


def _abbreviates(token: str, words: frozenset[str]) -> bool:
    """Is ``token`` (4 letters or more) the start of a word of the table? argparse,
    getopt_long, Getopt::Long and OptionParser take any unique prefix of a long option
    (``--forc`` is ``--force``) (red team s11)."""
    t = token.lower()
    return len(t) >= 4 and t not in _ORDINARY_STEMS and any(
        w.startswith(t) and w != t for w in words)


def says(word: str, name: bool = False) -> str | None:
    """The word of ``word`` (split at punctuation and camelCase) that says destruction, a
    prompt, a secret or egress, or None; ``name``: ``word`` is the script's own path. Two
    tokens in a row say it too (``--no-input``, ``--non-interactive``), and the last token
    of a long option says it as the start of a word (``--forc``, ``--dele``)."""
    words = _NAME_WORDS if name else _WORDS
    tokens = _TOKEN.findall(_CAMEL.sub(" ", word))
    for a, b in zip(tokens, [*tokens[1:], ""][:len(tokens)], strict=True):
        if _stem_hits(a, words) or (b and _stem_hits(a + b, words)):
            return a + b if b and not _stem_hits(a, words) else a
    if word.startswith("--") and tokens:
        last = _TOKEN.findall(_CAMEL.sub(" ", word[2:].split("=", 1)[0]))[-1:]
        if last and _abbreviates(last[0], words):
            return last[0]
    return None


#: argv[0] spelt with a directory is the tool of that name only from a system bin directory
BIN_DIRS = ("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/",
            "/usr/local/sbin/")
#: the working tree's virtualenv (``python -m venv .venv``), or a deployed release's
#: (``/srv/shop/current/.venv/bin/python``): its programs are the catalogue's tools of that
#: name. A dot-directory: no ordinary command writes there, and flow.py holds a relative
#: program whose directory the session fetched, unpacked or wrote into
#: (``cd ~/projects/shop && .venv/bin/pytest`` names ``~/projects/shop/.venv/bin/pytest``)
#: (never the home's own ``~/.venv``: a dot-directory of the home is the login's, not a tree's)
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.@+-]*+/"


def tree_root(stop: str = "") -> str:
    """A regex of the directories a tree may lie in: relative (``./`` or none), under a
    deploy root, or below the home, up to 8 plain components. The components are matched
    possessively, so ``stop`` (a lookahead's text) names where they must end when what
    follows is a plain name too (``venv/bin/activate``, ``vendor/bin/``)."""
    part = (rf"(?!{stop})" if stop else "") + _PART
    return rf"(?:(?:\./|/(?:srv|opt|data|var/www)/)?+(?:{part}){{0,8}}+|~/(?:{part}){{1,8}}+)"


VENV_ROOT = tree_root()
VENV_BIN = re.compile(r"\A" + VENV_ROOT + r"\.venv/bin/[A-Za-z0-9_][A-Za-z0-9_.+-]*+")
#: (session 14) the tree's package managers' bin directories: composer's vendor/bin and npm's
#: node_modules/.bin hold the catalogue's tools (phpunit, jest) as .venv/bin does; a tool
#: the catalogue does not list there stays a site program (safe.py)
TREE_BIN = re.compile(r"\A" + tree_root(r"vendor/bin/|node_modules/\.bin/") +
                      r"(?:vendor/bin|node_modules/\.bin)/"
                      r"[A-Za-z0-9_][A-Za-z0-9_.+-]*+")


def interpreter_argv(argv: tuple[str, ...]) -> tuple[str, ...]:
    """``argv`` with an interpreter named by its system or virtualenv path named plainly
    (``.venv/bin/python x.py``, ``/usr/bin/python3 x.py``)."""
    word = argv[0] if argv else ""
    if "/" in word and (VENV_BIN.fullmatch(word) or posixpath.dirname(word) + "/" in BIN_DIRS):
        return (posixpath.basename(word), *argv[1:])
    return argv


def script_of(argv: tuple[str, ...]) -> tuple[int, str] | None:
    """Where the site script stands in ``argv`` and its path: ``./x`` / ``dir/x`` run by
    path, or an interpreter's (by name, system or virtualenv path) script after its plain
    flags; None otherwise. The judge (safe.py) and the write memory (flow.py) both ask this:
    a script one of them did not see would run unjudged by the other."""
    argv = interpreter_argv(argv)
    if not argv:
        return None
    word = argv[0]
    if "/" in word:
        return (0, word) if SCRIPT_PATH.fullmatch(word) else None
    launcher = LAUNCHERS.get(word)
    if launcher is not None:
        return _launched(argv, *launcher)
    interp = INTERPRETERS.get(word)
    if interp is None:
        return None
    i = 1
    while i < len(argv) and (argv[i] in interp.flags or (
            interp.flag_pattern is not None and interp.flag_pattern.fullmatch(argv[i]))):
        i += 1
    if i >= len(argv):
        return None
    path = argv[i]
    if not SCRIPT_PATH.fullmatch(path) or not path.endswith(interp.suffixes):
        return None
    return i, path


def _launched(argv: tuple[str, ...], start: int, values: frozenset[str]) -> \
        tuple[int, str] | None:
    """The Python script a launcher runs (``torchrun --nproc_per_node 4 train.py``): the first
    word after its options; None when the launcher's subcommand is another (``accelerate
    env``) or no ``.py`` of the tree stands there."""
    if start == 2 and argv[1:2] != ("launch",):
        return None
    i = start
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 2 if argv[i] in values else 1
    if i >= len(argv) or not SCRIPT_PATH.fullmatch(argv[i]) or not argv[i].endswith(".py"):
        return None
    return i, argv[i]


#: a host without a scheme: an address (v4, [v6]), a dotted name with a port, a
#: protocol-relative ``//host``, a name whose last label is a public suffix (not a file kind)
_IPV4 = re.compile(r"\A(?:[0-9]{1,3}+\.){3}[0-9]{1,3}+(?::[0-9]{1,5}+)?+(?:/.*+)?+\Z", re.S)
_IPV6 = re.compile(r"\A\[[0-9A-Fa-f:.]++\](?::[0-9]{1,5}+)?+(?:/.*+)?+\Z", re.S)
_HOST_PORT = re.compile(r"\A[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++:[0-9]{1,5}+(?:/.*+)?+\Z", re.S)
_NAMED_HOST = re.compile(
    r"\A(?:[A-Za-z0-9-]++\.)++(?:com|net|org|io|dev|app|ai|co|me|info|biz|xyz|top|site|online|"
    r"cloud|tech|ru|cn|uk|de|fr|nl|us|eu|tk|ml|ga|cf|gq|pw|ly|gg|live|pro|link|space|store|"
    r"tv|ws|club|page|host|onion)(?::[0-9]{1,5}+)?+(?:/.*+)?+\Z", re.S | re.I)
_LOCAL_ADDR = re.compile(r"\A(?:127\.[0-9.]++|0\.0\.0\.0|\[::1?\])(?::[0-9]{1,5}+)?+(?:/.*+)?+\Z",
                         re.S)
#: devices a script may name as a place to read or write without harm
_HARMLESS_DEV = frozenset({"/dev/null", "/dev/stdin", "/dev/stdout", "/dev/stderr"})


def inside_site(value: str) -> bool:
    """Does a host option's value (``10.0.0.5:5432``, ``db.internal``, ``http://localhost``)
    name a host inside the site: loopback, a private range, a private-use suffix?"""
    m = _REMOTE.match(value)
    hostport = m.group(1) if m and m.group(1) is not None else value.split("/", 1)[0]
    host = hostport.rsplit("@", 1)[-1].rsplit(":", 1)[0] if not hostport.startswith("[") \
        else hostport
    return bool(host) and (_LAN.fullmatch(host) is not None or
                           _LOCAL_ADDR.match(hostport) is not None)


def _names_host(v: str) -> bool:
    m = _REMOTE.match(v)
    if m:
        return not (m.group(1) is not None and _LOOPBACK.fullmatch(m.group(1)))
    if v.startswith("//") and len(v) > 2:
        return True
    v = re.sub(r"\.(?=:|/|\Z)", "", v, count=1)  # the root's dot: ``evil.com.`` is evil.com
    host = v.split("/", 1)[0].rsplit(":", 1)[0] if not v.startswith("[") else ""
    # a host inside the site (loopback, a private range, a private-use suffix) is not another
    return not _LOCAL_ADDR.match(v) and not (host and _LAN.fullmatch(host)) and any(
        p.match(v) for p in (_IPV4, _IPV6, _HOST_PORT, _NAMED_HOST))


def _values(word: str) -> list[str]:
    """``word`` and what an option gives its program: ``--opt=VALUE``, ``-dVALUE``, the
    percent-decoded spellings of each."""
    out = [word]
    if word.startswith("-") and "=" in word:
        out.append(word.split("=", 1)[1])
    elif len(word) > 2 and word[0] == "-" and word[1].isalpha() and not word[2].isalpha():
        out.append(word[2:])  # -d~/x, -i/etc/shadow: a short option's attached value
    out += [urllib.parse.unquote(v) for v in out if "%" in v]
    return list(dict.fromkeys(out))


def argument_why(word: str) -> str | None:
    """Why a site script's argument keeps it held (a secret, a system path, a home, a
    device, another host, a mail address, a file of more arguments, a word that says
    destruction), or None."""
    if word.startswith("@") and len(word) > 1:
        return f"{word!r} reads more arguments from a file"
    if word == "-y":
        return f"{word!r} answers yes to every question"
    for v in _values(word):
        if maybe_secret_path(v):
            return f"{v!r} could be a secret"
        if v.startswith("/") and is_system_path(v):
            return f"{v!r} is a system path"
        if v.startswith("~") or _HOME_PATH.match(v):
            return f"{v!r} names a home"
        if v.startswith("/dev/") and v not in _HARMLESS_DEV:
            return f"{v!r} is a device"
        if _names_host(v):
            return f"{v!r} names another host"
        if _MAIL.search(v):
            return f"{v!r} is a mail address"
        m = _ENDPOINT.match(v)
        if m and not _LAN.fullmatch(m.group(1)):
            return f"{v!r} names another host"
    # a path's words name a place (``data/dev-clean``, a dataset), not what the script does
    hit = says(word) if "/" not in word or word.startswith("-") or "=" in word else None
    return f"{word!r} says {hit!r}" if hit else None


_HOME_PATH = re.compile(r"\A/+(?:root|home/+[^/]++)/*+(?:\Z|/)")


__all__ = ["APP_RUNNERS", "BIN_DIRS", "DISPATCHERS", "INTERPRETERS", "LAUNCHERS", "LOOPBACK",
           "PRIVATE_HOST", "SCRIPT_PATH", "TREE_BIN", "VENV_BIN", "AppRunner", "Interpreter",
           "argument_why", "inside_site", "interpreter_argv", "says", "script_of",
           "tree_root"]
