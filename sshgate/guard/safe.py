"""The known-safe catalogue: command shapes that keep a command read-only or ordinary. Pure.

The catalogue is data: per command, the global options that take a value (so that they never
shift the subcommand), the subcommands, and per shape the options that make it unsafe, the
options that take a value, and what its operands may be. What data cannot say (a sed script,
tar's mode, SQL text) is a named check. A command that matches no entry is *unknown*; the
classifier holds it (``guard.unknown``). Anchor: OpenAI Codex ``command_safety`` (a safe list
per command and subcommand with per-option rejections).
"""

from __future__ import annotations

import fnmatch
import functools
import json
import posixpath
import re
import sys
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from . import cloud, jvm_build, mongo_js, redis_cli, registry
from . import git as gitopts
from .awk import AWK_OPTS, GAWK_OPTS, MAWK_OPTS
from .awk import program_why as awk_program_why
from .awk import programs as awk_programs
from .budget import check
from .core_opts import CHECKS as CORE_CHECKS
from .core_opts import INERT as CORE_INERT
from .core_opts import KINDS as CORE_KINDS
from .core_opts import OPTS as CORE_OPTS
from .cred_lexicon import credential_table, sql_credential_why
from .find import ARTIFACT_VIA, PATH_PATTERNS, REGEX_PATTERNS, artifacts_only, parse_find
from .flow import (
    DEPLOY_ROOTS,
    FILE_TOOLS,
    NBCONVERT_EXT,
    REPO_WRAPPERS,
    nbconvert_outputs,
    saved_names,
)
from .git import REBASE_MODES, STRATEGIES, remote_name_ok, remote_url_ok
from .grep import SEARCHERS, reads_only_source, searched_trees
from .metadata import reaches_metadata
from .options import Opts, Parsed, option_at, opts, parse_opts
from .parse import (
    PROJECT_RUN_VERB,
    SETTING,
    UNWRAPPERS,
    SimpleCommand,
    command_name,
    parse,
    substitution_source,
    trap_setting,
    unwrap,
    unwrap_at,
)
from .pidfile import pidfile, service_signals, signal_name
from .pinned_env import PINNED_ENV
from .pycode import inline_python_why
from .remote_exec import (
    COMPOSE_GLOBAL,
    DOCKER_GLOBAL,
    K8S_GLOBAL,
    LAUNCHERS,
    launch,
    names_containers,
)
from .reveal import (
    K8S_HEALTH,
    projection_hides,
    ps_environment,
    secret_name,
    tree_holds_secrets,
)
from .rules import (
    BLOCK_DEV,
    HOME_BIN,
    INTERPRETERS,
    NAME_OPERANDS,
    NET_FETCH,
    NET_SENDERS,
    SERVER_CODE,
    TOOL_GLOBS,
    build_artifacts_only,
    literal_words,
    norm,
)
from .rules import CODE_FILE as _CODE_FILE
from .secret_paths import expand_braces, maybe_secret_path, secret_class, secret_object
from .sed import in_place_safe
from .sed import script_why as sed_script_why
from .shapes import ANY, META, READER, Check, Entry, Pairs, Shape, Tool, Words
from .site_program import (
    APP_RUNNERS,
    BIN_DIRS,
    DISPATCHERS,
    LOOPBACK,
    PRIVATE_HOST,
    SCRIPT_PATH,
    TREE_BIN,
    VENV_BIN,
    AppRunner,
    argument_why,
    inside_site,
    says,
    script_of,
    tree_root,
)
from .sql_dialects import DIALECTS, file_strings
from .tools import DOMAINS
from .tools.langs import cross_entry


@dataclass(frozen=True, slots=True)
class Verdict:
    """``entry`` names the catalogue entry that made a command safe; else ``why`` it is not."""

    entry: str | None
    why: str = ""


# --- operand and path shapes -------------------------------------------------------------------
#: glob characters and any brace (brace expansion), conservatively: one character class, linear
_GLOB = re.compile(r"[*?\[{]")
_WILDCARD = re.compile(r"[*?\[]")
_EXPANSION = re.compile(r"[$`{}*?\[]")


@functools.lru_cache(maxsize=4096)
def secretish(p: str) -> bool:
    """A path (or glob) that could name a secret: keys, credential files, secret directories,
    another process's environment. Conservative on purpose: a miss lets a secret out."""
    return bool(BLOCK_DEV.match(norm(p))) or maybe_secret_path(p)


#: files whose content runs (build files, scripts, manifests, configs): writing one with an
#: ordinary command and then running an ordinary tool is download-then-run in two steps.
_SAFE_DEV = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"})
_SCRATCH = ("/tmp/", "/var/tmp/")


#: a data-format file in scratch space (``/tmp/prod.env``, ``/tmp/pods.yaml``): every tool that
#: would read it as configuration or a manifest refuses scratch (``exec.download-then-run``,
#: the ``intree``/``manifest``/``compose`` kinds); never a build file's own name, a dot-file
#: or git's ``config``/``HEAD`` (a bare repository)
_SCRATCH_DATA = re.compile(
    r"^/(var/)?tmp/(?:[^./][^/]*/)*+(?!(?:package(?:-lock)?|composer|pyproject|Cargo|tox|"
    r"pytest|setup|deno|[jt]sconfig)\.)[^./][^/]*\.(env|json|ya?ml|toml|ini|cfg|conf|"
    r"properties)$")


#: dot-files no tool runs or loads as configuration that names a program: placeholders
#: that keep a directory, and ignore lists (git, docker, npm, linters, rg/ag's ``.ignore``):
#: patterns of names a tool skips, never code, a setting or a command
_INERT_DOTFILES = frozenset({".gitkeep", ".keep"})
_IGNORE_LIST = re.compile(r"\.(?:git|docker|npm|eslint|prettier|stylelint|helm|gcloud|slug|hg|"
                          r"rg|cf|vscode)?ignore")


#: files whose presence changes what commands the catalogue calls read-only run (rustup
#: reads rust-toolchain on `cargo --version`, pylint runs pylintrc's init-hook, go.work
#: replaces modules, a bare repository's config and HEAD, Python's startup hooks), or that
#: a system component runs from where it lies (units, udev rules, cron tables, libraries):
#: never written by an ordinary command, with any content
HOOK_FILE = re.compile(
    r"(^|/)(rust-toolchain(\.toml)?|\.?pylintrc|go\.work|[Kk]ustomization(\.ya?ml)?|"
    r"terraform\.rc|config|gitconfig|HEAD|sitecustomize\.py|usercustomize\.py|"
    r"terraform\.d(/.*)?|terraform-provider-[^/]*|gradle-wrapper\.jar|"
    r"[^/]*\.(pth|pyc|so|service|timer|socket|path|mount|desktop|rules|cron))$")


#: installed code other processes run from where it lies: a virtualenv's programs and
#: packages (any name: venv, env, .venv), node_modules, site-packages
_INSTALLED_DIRS = frozenset({"node_modules", "site-packages", "dist-packages"})


def _installed_tree(p: str) -> bool:
    """``p`` lies in installed code: node_modules, site-packages, or a virtualenv's bin/lib
    (``venv``, ``.venv``, ``env``, ``py311-venv``...)."""
    parts = p.split("/")
    return any(s in _INSTALLED_DIRS for s in parts) or any(
        ("venv" in a or a in ("env", "virtualenv")) and b in ("bin", "lib", "lib64")
        for a, b in zip(parts, parts[1:], strict=False))


#: directories a web server serves (and runs pages and CGI from) by convention, with no
#: command the guard could hold: a user's public_html, cgi-bin, a document root (``www``,
#: ``html``: /var/www/html), WordPress's plugin and theme tree (ops16)
_SERVED = re.compile(r"(^|/)(public_html|cgi-bin|htdocs|wwwroot|webroot|www|html|wp-content)"
                     r"(/|$)|^/(var|srv)/www/")


def served_code(p: str) -> bool:
    """(ops16) ``p`` is a page a web server runs on the next request: server-side code
    anywhere (:data:`SERVER_CODE`), or any code file in a document root."""
    return bool(SERVER_CODE.search(p) or _CODE_FILE.search(p) and _SERVED.search(p))


@functools.lru_cache(maxsize=4096)
def safe_write_target(p: str, fetched: bool = False) -> bool:
    """Where an ordinary command may write: a plain relative path in the working tree (no
    ``..``, no dot-file but an inert one, no expansion, not ~/bin, no hook file, nothing
    that could be a secret), /tmp or /var/tmp (never code there: anyone may run it), or a
    harmless device. Code and configuration the agent writes in the tree are its work: what
    runs them later (a build, a test, a restart) is held by the write memory (flow.py).
    ``fetched``: the content comes from elsewhere (a download, scratch space, an archive,
    a link): then never a file whose content runs either (download-then-run)."""
    if p in _SAFE_DEV:
        return True
    if not p or _EXPANSION.search(p) or "\\" in p:
        return False
    parts = p.split("/")
    if any(s == ".." or (s.startswith(".") and s != "." and not (
            i == len(parts) - 1 and (s in _INERT_DOTFILES or _IGNORE_LIST.fullmatch(s))))
           for i, s in enumerate(parts)):
        return False
    if HOOK_FILE.search(p) or _installed_tree(p) or (fetched and _CODE_FILE.search(p) and
                               not _SCRATCH_DATA.search(p)):
        return False
    if _CODE_FILE.search(p) and _SERVED.search(p):
        return False  # a web server runs it with no command to hold (red team s10)
    if p.startswith("/"):
        return p.startswith(_SCRATCH) and norm(p).startswith(_SCRATCH) and not (
            _CODE_FILE.search(p) and not _SCRATCH_DATA.search(p))
    if p.startswith("~") and not p.startswith("~/"):
        return False  # ~user
    if HOME_BIN.match(p):
        return False
    return not secretish(p)


# --- option values by kind ------------------------------------------------------------------
_METHODS = frozenset({"GET", "HEAD"})
_HTTP_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", re.I)
_NUM = re.compile(r"^[0-9]+(\.[0-9]+)?[A-Za-z%]{0,3}$")


def _in_tree(v: str) -> bool:
    """A path inside the working tree: relative, no ``..``, no URL, not stdin; or a plain
    path in the login's home (``~/infra/ansible/hosts.yml``: where an exec line starts, so
    ``cd ~/infra/ansible && ansible -i hosts.yml`` names what ``cd infra/ansible`` would),
    never a dot-file or dot-directory of the home."""
    if v.startswith("~/"):
        rest = v[2:].rstrip("/")
        return _in_tree(rest) and all(
            _PLAIN_PART.fullmatch(p) and not p.startswith(".") for p in rest.split("/")) and \
            not maybe_secret_path(v)
    return bool(v) and not v.startswith(("/", "~", "-")) and "://" not in v and \
        ".." not in v.split("/") and not _EXPANSION.search(v) and "\\" not in v and \
        not v.startswith(("git+", "file:", "github:", "oci:"))


def _placed(v: str) -> bool:
    """An absolute path in place under a deploy root (``/srv/app/k8s/``,
    ``/opt/app/docker-compose.yml``): every component a plain name (no dot-file or dot-dir, no
    ``..``, no expansion), no secret. No ordinary command writes a manifest or compose file
    there (their names are config files to ``safe_write_target``), and flow.py holds one a
    line of the session wrote or unpacked (``exec.download-then-run``)."""
    d = v.rstrip("/")
    return d.startswith(_DEPLOY_ROOTS) and d.count("/") >= 3 and all(
        _PLAIN_PART.fullmatch(p) for p in d[1:].split("/")) and not maybe_secret_path(d)


def _placed_site(v: str) -> bool:
    """A file or directory a cd into a deploy root named (``cd /srv/app && ansible -i
    inventory/hosts``), never in another login's home, never one a secret's name says."""
    return _placed(v) and not v.startswith("/home/") and not secretish(v)


def _kind_write(v: str) -> str | None:
    # a tool's own output (a report, a profile, a plan): never onto a file whose content runs
    return None if v == "-" or safe_write_target(v, True) else \
        f"writes {v!r}: a dot-file, code or config file, or outside the working directory"


#: downloaded JSON may be data (out.json), never a file a tool reads as its own configuration
_JSON_CONFIG = re.compile(r"(^|/)(package(-lock)?|composer|[jt]sconfig|deno|renovate|app|"
                          r"manifest|settings|launch|tasks|angular|nx|lerna|turbo|firebase|"
                          r"vercel|bower|\.[^/]*)\.json$")


def _kind_download(v: str) -> str | None:
    if v.endswith(".json") and not _JSON_CONFIG.search(v) and safe_write_target(v[:-5], True):
        return None
    d, name = posixpath.split(v)
    if d.startswith(_DEPLOY_DIRS) and extract_dir_ok(d) and safe_write_target(name, True) \
            and RELEASE_ARCHIVE.search(name):
        return None  # a release archive into a deploy tree, as tar -C may unpack it there
    return None if v == "-" or safe_write_target(v, True) else \
        f"downloads into {v!r}: a dot-file, code or config file, or outside the working " \
        "directory"


#: where a deploy may put a release (extract_dir_ok unpacks into them too), and what: an
#: archive (never a page, a script or a file a server reads as it is)
_DEPLOY_DIRS = DEPLOY_ROOTS
RELEASE_ARCHIVE = re.compile(r"\.(tgz|tar|tar\.(gz|xz|bz2|zst)|zip|jar|war|whl|deb|rpm)$")


def _kind_wdir(v: str) -> str | None:
    d = v.rstrip("/")
    return None if d in (".", "/tmp", "/var/tmp") or safe_write_target(d) else \
        f"writes into {v!r}, outside the working directory"


def _kind_interval(v: str) -> str | None:
    try:
        return None if float(v) >= 0.2 else "a flood interval"
    except ValueError:
        return f"{v!r} is not an interval"


def _kind_pingsize(v: str) -> str | None:
    return None if v.isdigit() and int(v) <= 9000 else "an oversized packet"


def _kind_ldflags(v: str) -> str | None:
    """go -ldflags: strip/version stamping only (``-extld`` names a program that runs)."""
    for w in v.split():
        if w.startswith("-") and not (w in ("-s", "-w", "-X") or w.startswith(("-X=",
                                                                               "-buildid="))):
            return f"linker flag {w!r} is not ordinary"
    return None


def _kind_curl_resolve(v: str) -> str | None:
    m = re.fullmatch(r"\+?([A-Za-z0-9.-]{1,253}|\*):([0-9]{1,5}):"
                     r"(\[[0-9A-Fa-f:.]+\]|[0-9.]{7,15})", v)
    if m is None:
        return f"--resolve {v!r} is not HOST:PORT:ADDRESS with one literal address"
    if reaches_metadata(m.group(3).strip("[]")):
        return f"--resolve {v!r} sends the request to a link-local or metadata address"
    return None


#: kinds of option values (see ``options.opts``): None when the value keeps the command
#: ordinary, else why not.
KINDS: dict[str, Callable[[str], str | None]] = {
    "any": lambda v: None, "pair": lambda v: None,
    # a regular expression or a search text: never read as a path
    "pattern": lambda v: None,
    "num": lambda v: None if _NUM.match(v) else f"{v!r} is not a number",
    # (harmful set s16) kubectl's log level: from 7 it logs requests, from 8 the bodies of
    # the API's responses (a Secret's data, a pod template's env) whatever -o says
    "helmtable": lambda v: None if v.lstrip("=").lower() == "table" else
    f"helm -o {v}: the release whole (its values, the Secrets of its manifest)",
    "kverbose": lambda v: None if v.lstrip("=").isdigit() and int(v.lstrip("=")) <= 6 else
    f"kubectl -v {v}: from 7 kubectl logs the API's requests and response bodies",
    "write": _kind_write, "wdir": _kind_wdir, "download": _kind_download,
    # a manifest: YAML (or a kustomize directory) in the tree or in place under a deploy
    # root (``cd /srv/app && kubectl apply -f k8s/`` names the same files); JSON may be a
    # download
    "manifest": lambda v: None if (_in_tree(v) or _placed(v)) and (
        v.endswith((".yaml", ".yml")) or "." not in v.rsplit("/", 1)[-1]) else
    f"{v!r} is not a YAML manifest in the working tree",
    # kubectl diff's: standard input too (``helm template . | kubectl diff -f -``): a diff
    # changes nothing, whatever the manifests say
    "diffmanifest": lambda v: None if v == "-" else KINDS["manifest"](v),
    "method": lambda v: None if v.upper() in _METHODS else f"method {v} changes something",
    # curl's: a POST is judged with its URLs (_check_curl: a read endpoint on this host)
    "curlmethod": lambda v: None if v.upper() in _METHODS | {"POST"} else
    f"method {v} changes something",
    "url": lambda v: None if _HTTP_URL.match(v) and not reaches_metadata(v) else
    f"{v!r} is not a plain http(s) URL",
    "sed": lambda v: sed_script_why(v),
    # sed -iSUFFIX: the backup is FILE+SUFFIX (a "*" in it stands for the file's name, and
    # with a "/" the backup lands elsewhere)
    "suffix": lambda v: None if re.fullmatch(r"[A-Za-z0-9._~-]{0,16}", v) else
    f"backup suffix {v!r} names another place",
    "curlfmt": lambda v: "reads or writes a file" if v.startswith("@") or "%output{" in v
    else None,
    "hdr": lambda v: "reads a file" if v.startswith("@") else None,
    # --resolve HOST:PORT:ADDR: a name tried at one literal address (a service behind a
    # load balancer, a certificate before DNS moves); never a metadata or link-local one
    "curlresolve": _kind_curl_resolve,
    # in place under a deploy root too (``cd /srv/app && ansible -i inventory/hosts``)
    "intree": lambda v: None if _in_tree(v) or _placed_site(v) else
    f"{v!r} is outside the working tree",
    # pip -e: a directory in the tree, with extras (``.[dev]``)
    "editable": lambda v: None if _in_tree(re.sub(r"\[[\w,.-]+\]$", "", v)) else
    f"{v!r} is not a directory in the working tree",
    "word": lambda v: None if re.fullmatch(r"[A-Za-z0-9_.-]+", v) and "/" not in v and
    not v.startswith(".") else f"{v!r} is not a plain name",
    "interval": _kind_interval, "pingsize": _kind_pingsize, "ldflags": _kind_ldflags,
    # a stop signal a process may catch (never KILL: a database loses what it had not written)
    "signal": lambda v: None if v.upper().removeprefix("SIG") in _SOFT_SIGNALS else
    f"signal {v!r} is not one a process may catch",
    "var": lambda v: f"sets {v}, which changes what later commands do" if
    _SPECIAL_NAME.match(v) or _SPECIAL_VAR.match(v) else None,
    "wgetn": lambda v: None if v in ("v", "c", "d", "H", "p") else f"-n{v}",
    # in the working directory itself: a subdirectory may be an unpacked download
    "gitstrategy": lambda v: None if v in STRATEGIES else
    f"merge strategy {v!r} would run git-merge-{v} from PATH",
    "gitrebase": lambda v: None if v in REBASE_MODES else f"--rebase={v} starts an editor",
    "compose": lambda v: None if (_in_tree(v) and "/" not in v or _placed(v)) and
    _COMPOSE_FILE.search(v) else
    f"{v!r} is not a compose file or Dockerfile in the working directory",
    # a Dockerfile anywhere in the tree (docker/Dockerfile.dev): its steps run in the build's
    # container, not on the host (a compose file's mounts do: that kind stays at the top);
    # flow.py holds one the session wrote or unpacked (docker build is a code runner)
    "dockerfile": lambda v: None if (_in_tree(v) and not any(
        p.startswith(".") for p in v.split("/")) or _placed(v)) and _DOCKERFILE.search(v)
    else f"{v!r} is not a Dockerfile in the working tree",
}


def _kind_tfbackend(v: str) -> str | None:
    key, eq, val = v.partition("=")
    if eq:
        return None if key in cloud.TF_BACKEND_KEYS and re.fullmatch(
            r"[A-Za-z0-9_./:@-]{1,256}", val) and "://" not in val else \
            f"backend setting {key!r} is not one that only says where the state is"
    return None if cloud.TF_BACKEND_FILE.fullmatch(v) and _in_tree(v) else \
        f"{v!r} is not a backend file (.hcl, .tfbackend) in the working tree"


KINDS.update({
    # kubectl get --raw: the API server's health, version and metrics paths (reveal.py holds
    # every other path: objects, secrets)
    "k8shealth": lambda v: None if K8S_HEALTH.fullmatch(v) else
    f"{v!r} is not a health, version or metrics path",
    "tfbackend": _kind_tfbackend,
    # a saved plan is written in the tree under a name the secret table holds reads of
    "tfplan": lambda v: None if cloud.TF_PLAN_FILE.fullmatch(v) and _in_tree(v) and
    ".." not in v.split("/") else f"{v!r} is not a plan file (tfplan, *.tfplan) in the tree",
})


def _kind_property(table: Mapping[str, str], flag: str) -> Callable[[str], str | None]:
    """``-D NAME[=VALUE]``: NAME listed in ``table`` and VALUE of the kind it says."""
    def check(v: str) -> str | None:
        kind = jvm_build.property_kind(table, v)
        if kind is None:
            return f"{flag}{v.partition('=')[0]} is not a property known to be harmless"
        name, eq, val = v.partition("=")
        return KINDS[kind](val) if eq else None
    return check


KINDS.update({
    # an http(s) URL of this host: a client that adds the site's credentials from its own
    # configuration (amtool's http.config.file) never sends them elsewhere
    "loopurl": lambda v: None if re.fullmatch(
        r"https?://(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?(?:/[^\s@]*)?", v) else
    f"{v!r} is not a URL of this host",
    # curl --data-urlencode: ``name=content`` or ``=content`` (never ``@file``/``name@file``)
    "urlparam": lambda v: None if re.match(r"\A[A-Za-z0-9_.\[\]-]*+=", v) else
    f"{v!r} is not name=content (name@file sends a file)",
    # a build, settings or init file the build tool loads: in the tree, and a file whose
    # content runs (which no ordinary command may write: ``echo x > init.gradle && gradle -I
    # init.gradle`` would be code from the agent), or a directory holding the default one
    "buildfile": lambda v: None if (_in_tree(v) or _placed_site(v)) and (
        _CODE_FILE.search(v.rstrip("/")) or "." not in v.rstrip("/").rsplit("/", 1)[-1])
    else f"{v!r} is not a build file or directory in the working tree",
    # redis-cli -h / --sni, -u: a host name; a URI with no password in it
    "host": lambda v: None if re.fullmatch(r"[A-Za-z0-9_.:\[\]-]+", v) else
    f"{v!r} is not a host name",
    "uri": lambda v: None if re.fullmatch(r"rediss?://[A-Za-z0-9_.:\[\]/-]*", v) else
    f"{v!r} is not a URI without credentials",
    "mvnprop": _kind_property(jvm_build.MVN_PROPS, "-D"),
    "gsysprop": _kind_property(jvm_build.GRADLE_SYSPROPS, "-D"),
    "gprop": jvm_build.gradle_project_prop,
    "gverify": lambda v: None if v in jvm_build.GRADLE_VERIFY else
    f"dependency verification {v!r}",
})


#: kinds that accept any text: a value computed at run time is as good as a literal one
_ANY_TEXT_KINDS = frozenset({"any", "pair", "pattern"})
#: an expansion bash makes inside a word (a variable, a substitution, arithmetic)
_VALUE_EXPANSION = re.compile(r"\$[A-Za-z_{(@*#?!$0-9-]|`")


def _values_ok(o: Opts, pairs: tuple[tuple[str, str | None], ...]) -> str | None:
    for k, v in pairs:
        kind = o.kind.get(k, "").lstrip("?")
        if v is not None and kind:
            if kind not in _ANY_TEXT_KINDS and _VALUE_EXPANSION.search(v):
                # (cloud helper, s15) a checked value is judged as the text bash makes of it:
                # Q='$ENV.GH_TOKEN'; gh pr view --jq "$Q" was judged as the text "$Q"
                return f"{k}: {v!r} is computed at run time, and its kind is checked"
            why = KINDS[kind](v)
            if why:
                return f"{k}: {why}"
    return None


# --- named checks (shapes.Check) ---------------------------------------------------------------
def _check_sed(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if pairs is None:
        return "sed without its option allow-list"
    given = [v for k, v in pairs if k == "-e" and v is not None]
    scripts = given or list(ops[:1])
    for s in scripts:
        why = sed_script_why(s)
        if why:
            return why
    if any(k == "-i" for k, _ in pairs):
        if (any(k in ("-n", "--quiet", "--silent", "-z", "--null-data") for k, _ in pairs)
                or not all(in_place_safe(x) for x in scripts)) and not any(
                k == "-i" and v for k, v in pairs):
            # -n -i writes back only what the script prints: ``sed -n -i 1p data.csv``
            # truncates the file to its header, with no backup (harmful set s15)
            return "sed -i without a backup may empty the file (only substitutions of a named " \
                   "pattern, inserts and deletes of named lines are known safe)"
        # in place: files of the working tree only, each written where it is
        files = list(ops if given else ops[1:])
        if not files:
            return "sed -i without a file"
        bad = [f for f in files if not safe_write_target(f)]
        if bad:
            return f"sed -i edits {bad[0]!r}: a dot-file, or outside the working directory"
    return None


def _option_values(pairs: Pairs, *names: str) -> list[str]:
    """The values the allow-list parser gave the canonical options ``names``."""
    return [v for k, v in pairs or () if k in names and v is not None]


def _metadata_only(argv: tuple[str, ...]) -> bool:
    """The catalogue says this command only looks at metadata (ls, stat, wc, file...)."""
    entry = CATALOGUE.get(argv[0].lstrip("\\").rsplit("/", 1)[-1]) if argv else None
    return isinstance(entry, Shape) and entry.secrets_ok and entry.check is None


def _check_find(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """find's expression is on its allow-list (find.py); what its execs run is classified as a
    command of its own. An exec that reads what find selects must not be led to secrets:
    neither by the tree it walks nor by the names it selects."""
    if artifacts_only(c.args, c.dynamic[1:] if c.dynamic else ()):
        return None  # deletes only build artifacts in the tree (find.artifacts_only)
    e = parse_find(c.args, c.dynamic[1:] if c.dynamic else ())
    if isinstance(e, str):
        return e
    if all(_metadata_only(argv) for _, argv in e.execs):
        # names and metadata only, as ``ls -lR`` of the same tree (ls may list secret
        # directories): a tree of backups or keys is judged by what an exec reads
        return None
    if any(secretish(r) for r in e.roots):
        return "find walks a directory that holds secrets"
    roots = e.roots or (".",)
    if any(tree_holds_secrets(r) for r in roots):
        return "find runs a command on every file of a tree that holds secrets"
    for pred, pat in e.patterns:
        if pred in REGEX_PATTERNS:
            return f"find {pred} selects files for a command that reads them"
        for p in {pat, pat.lower()} if pred[1] == "i" else {pat}:
            paths = [p] if pred in PATH_PATTERNS else [f"{r.rstrip('/')}/{p}" for r in roots]
            if any(secretish(x) for x in paths):
                return f"find {pred} {pat!r} selects secrets for a command that reads them"
    return None


def extract_dir_ok(d: str | None) -> bool:
    """Where an archive may be unpacked: a named subdirectory, never the working directory
    itself (an exec session starts in a home directory: dot-files would be overwritten)."""
    if not d or _lexical(norm(d)) in _HERE:
        return False
    if d.startswith(DEPLOY_ROOTS) and not _EXPANSION.search(d) and \
            ".." not in d.split("/") and not any(s.startswith(".") for s in d.split("/")):
        return True
    return safe_write_target(d.rstrip("/")) and not d.startswith("~")


#: unzip's options that keep it ordinary: never -: / -^ (keep ``../`` and control characters
#: in member names: writes outside -d), -o (overwrite), -X/-K (owners, setuid bits), -p/-c
#: (print members: a backup's secrets), -Z (zipinfo's own grammar)
_UNZIP = opts("-l -v -t -z -p -d:any -q -j -n -C -L -a -u -f -x:any -D -T")


def _check_unzip(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if pairs is None:
        return "unzip without its option allow-list"
    given = {k for k, _ in pairs}
    if "-p" in given and ("-C" in given or any("\\" in o for o in ops[1:])):
        # -C matches names case-insensitively and a backslash escapes in unzip's own
        # patterns: the member printed is not the name judged (round four, F5)
        return "unzip -p with -C or an escaped member name prints other members than named"
    if "-p" in given and len(ops) < 2:
        # with no member named, -p prints every member (a home's backup: its keys), as
        # tar -O does (red team s14 H7)
        return "unzip -p prints every member of the archive (name the members to print)"
    if given & {"-l", "-t", "-v", "-z", "-p"}:
        return None  # lists, tests or prints (-p: the members named, to stdout)
    dirs = _option_values(pairs, "-d")
    if not dirs:
        return "unzip without -d into a subdirectory (the cwd may be a home directory)"
    return None if all(extract_dir_ok(d) for d in dirs) else "unzips outside a subdirectory"


#: tar's options that keep it ordinary (modes c/t/x; -r/-u/-A change an archive in place,
#: -I/-F/--to-command/--checkpoint-action run programs, -T/-X read lists, -g writes a file)
_TAR = opts(
    "-c|--create -x|--extract|--get -t|--list -d|--diff|--compare -f|--file:any "
    "-C|--directory:any -z|--gzip|--gunzip|--ungzip -j|--bzip2 -J|--xz --zstd --lzma "
    "-a|--auto-compress -v|--verbose -O|--to-stdout -k|--keep-old-files --skip-old-files "
    "--keep-newer-files --overwrite -m|--touch -o|--no-same-owner --no-same-permissions "
    "-p|--preserve-permissions|--same-permissions --numeric-owner -S|--sparse "
    "-W|--verify -w|--interactive -l|--check-links -B|--read-full-records "
    "-i|--ignore-zeros -s|--same-order|--preserve-order -b|--blocking-factor:num "
    "-H|--format:any -V|--label:any -N|--newer|--after-date:any -K|--starting-file:any "
    "--exclude:any --exclude-vcs --exclude-caches --strip-components:num --wildcards "
    "--no-wildcards --anchored --one-file-system --totals --sort:any --owner:any "
    "--group:any --mode:any --mtime:any --warning:any --checkpoint:?num --no-recursion "
    "--recursion --ignore-failed-read --show-transformed-names --full-time --utc "
    "-R|--block-number -U|--unlink-first --no-overwrite-dir --delay-directory-restore")


def _tar_parse(rest: Words) -> Parsed | str:
    """tar's words as its option table reads them (old style ``czf`` too)."""
    args = list(rest)
    if args and not args[0].startswith("-"):
        # old style (tar czfC x.tgz dir): each value letter takes the next word, in order
        first, words, j = args.pop(0), [], 0
        for ch in first:
            words.append("-" + ch)
            canon = _TAR.alias.get("-" + ch)
            if canon and _TAR.kind[canon] and not _TAR.kind[canon].startswith("?") and \
                    j < len(args):
                words.append(args[j])
                j += 1
        args = words + args[j:]
    return parse_opts(_TAR, tuple(args))


def _tar_lists(rest: Words) -> bool:
    """``tar -t``: member names (and with -v their metadata), never their content."""
    p = _tar_parse(rest)
    return not isinstance(p, str) and [k for k, _ in p.pairs if k in (
        "-x", "-c", "-t", "-d", "-O")] == ["-t"]


def _unzip_lists(rest: Words) -> bool:
    """``unzip -l`` / ``-v`` with nothing else that prints: names and sizes only."""
    p = parse_opts(_UNZIP, rest)
    given = set() if isinstance(p, str) else {k for k, _ in p.pairs}
    return bool(given & {"-l", "-v"}) and not given & {"-z", "-t", "-d", "-x"}


NAMES_ONLY: dict[str, Callable[[Words], bool]] = {"tar": _tar_lists, "unzip": _unzip_lists}


def _check_tar(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    p = _tar_parse(rest)
    if isinstance(p, str):
        return f"tar {p}: it may run a program, read a list or change an archive in place"
    mode, archive, directory = "", None, None
    for k, v in p.pairs:
        if k in ("-x", "-c", "-t", "-d"):
            mode = "t" if k == "-d" else k[1]
        elif k == "-f":
            archive = v
        elif k == "-C":
            directory = v
    if not mode:
        return "tar without a create, list or extract mode"
    if archive and ":" in archive.split("/", 1)[0]:
        return "tar's host:file archive is read or written on another host (over rsh/ssh)"
    if mode == "c" and archive not in (None, "-") and not safe_write_target(archive, True):
        return "tar writes its archive outside the working directory or /tmp"
    if mode == "x" and not extract_dir_ok(directory):
        return "tar extracts without -C into a subdirectory (the cwd may be a home directory)"
    if mode == "x" and any(k == "-O" for k, _ in p.pairs) and not p.ops:
        # every member to the screen: a backup's shadow and keys too; named members are
        # judged by name like any read (red team s10)
        return "tar -O prints every member of the archive (name the members to print)"
    if mode == "c" and any(secretish(o) for o in p.ops):
        return "tar archives a secret"
    return None


_SQL_READ = re.compile(r"^\s*(select|show|explain|describe|desc|\\d[a-z+]*|\\l\+?|\\dt\+?|"
                       # TABLE t is SELECT * FROM t; \sf and \sv print a function's or a
                       # view's definition, as \df+ and \d+ do
                       r"\\conninfo|\\x|\\timing|table|\\s[fv]\+?)\b", re.I)
_SQL_BAD = re.compile(r"\\!|\\[ogwi]\b|\\copy|\binto\s+(out|dump)file\b|\bpg_read|\blo_|"
                      r"\bdblink|\bcopy\b|\bsystem\b|\bload_file\b|\bsleep\s*\(|"
                      r"\bpg_sleep|\bbenchmark\s*\(|--|/\*|\bfor\s+update\b|\bnextval\b|"
                      r"\bset_config\b|\bpg_(read|ls|stat_file|file|reload|rotate|promote|switch|"
                      # (the pg_replication_slots view is a read; its functions are not)
                      r"create|drop|replication(?!_slots\b)|terminate|cancel|advisory|logical)|"
                      r"\binto\b|"
                      r"writefile|readfile|\bedit\s*\(|load_extension|fts3_tokenizer|"
                      r"\bshell\s*\(", re.I)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: functions known to have no side effect (aggregates, scalar, date, string, JSON, size)
_SQL_FUNCS = _words("""
count sum avg min max now coalesce nullif lower upper length char_length character_length
octet_length bit_length substr substring trim ltrim rtrim btrim replace concat concat_ws
date_trunc date_part extract to_char to_date to_timestamp to_number age round floor ceil
ceiling abs sign trunc mod power sqrt exp ln log pi random greatest least cast convert
array_agg string_agg json_agg jsonb_agg json_build_object jsonb_build_object row_to_json
to_json to_jsonb json_array_length jsonb_array_length jsonb_pretty json_extract_path_text
jsonb_extract_path_text json_each jsonb_each jsonb_object_keys json_object_keys jsonb_typeof
array_length array_to_string string_to_array unnest generate_series cardinality
pg_size_pretty pg_database_size pg_relation_size pg_total_relation_size pg_table_size
pg_indexes_size pg_column_size pg_backend_pid version current_user session_user
current_database current_schema current_schemas pg_is_in_recovery
pg_last_xact_replay_timestamp pg_postmaster_start_time pg_current_wal_lsn pg_wal_lsn_diff
pg_typeof format_type pg_get_indexdef pg_get_viewdef pg_get_constraintdef pg_get_userbyid
obj_description col_description to_regclass quote_ident quote_literal pg_encoding_to_char
clock_timestamp statement_timestamp transaction_timestamp timezone make_date make_interval
justify_interval justify_days initcap encode decode md5 format left right position strpos
split_part regexp_replace regexp_matches regexp_match lpad rpad reverse bool_and bool_or
every percentile_cont percentile_disc mode stddev stddev_pop stddev_samp variance var_pop
var_samp rank dense_rank row_number lag lead first_value last_value ntile cume_dist
percent_rank date time timestamp ifnull isnull if iif datediff date_format date_add date_sub
str_to_date from_unixtime unix_timestamp curdate curtime utc_timestamp utc_date
group_concat char hex unhex instr locate database schema user connection_id found_rows
json_extract json_unquote json_length json_object json_array json_keys json_type
strftime datetime julianday typeof printf total quote
varchar character numeric decimal float double bit varbinary binary nvarchar
""")
#: words followed by ``(`` that are syntax, not calls
_SQL_SYNTAX = _words("""
in exists any all some values over filter within as from join and or not on using select
where by when then else case lateral union intersect except is array row distinct with
explain analyze analyse verbose costs buffers timing summary format settings wal
interval table having limit offset into set
""")
_SQL_CREDENTIALS = re.compile(r"\b(pg_authid|pg_shadow|pg_user_mappings?|mysql\s*\.\s*"
                              r"(user|global_priv|servers)|pg_largeobject|"
                              # a replica's source password, in plain text (MySQL 8)
                              r"slave_master_info|replication_connection_configuration|"
                              r"pg_subscription)\b", re.I)
_SQL_STRING = re.compile(r"'(?:[^']|'')*'")
#: U&"..." names and strings spell any identifier in escapes (U&"pg_\\0061uthid")
_SQL_UNICODE_ESCAPE = re.compile(r"\bU&['\"]", re.I)

_EXPLAIN_WORDS = frozenset({"analyze", "analyse", "verbose", "costs", "buffers", "timing",
                            "summary", "settings", "wal",
                            # SQLite's EXPLAIN QUERY PLAN only plans its statement
                            "query", "plan"})


def _explain(s: str, head: re.Pattern[str] | None = None) -> tuple[bool, str] | None:
    """``EXPLAIN [(opts) | words] stmt``: (does it ANALYZE, the statement), or None;
    ``head``: a dialect's own words after EXPLAIN (ClickHouse's ``PLAN indexes = 1``)."""
    words = s.split(None, 1)
    # (red team s15 C6) MySQL's DESC and DESCRIBE are EXPLAIN before a statement:
    # ``DESC ANALYZE DELETE ...`` runs the delete
    if not words or words[0].lower() not in ("explain", "desc", "describe"):
        return None
    rest = words[1] if len(words) > 1 else ""
    if head is not None and words[0].lower() == "explain":
        m = head.match(rest)
        rest = rest[m.end():] if m else rest
    if words[0].lower() != "explain" and not re.match(
            r"\A\s*+(?:\(|analy[sz]e\b|format\s*=|select\b|insert\b|update\b|delete\b|replace\b|"
            r"with\b|table\b|values\b|for\b|partitions\b|extended\b)", rest, re.I):
        return None  # DESCRIBE TABLE: a table's columns
    analyze = False
    if rest.startswith("("):
        close = rest.find(")")
        opts_text = rest[1:close] if close >= 0 else rest
        analyze = "analy" in opts_text.lower()
        rest = rest[close + 1:] if close >= 0 else ""
    else:
        while True:
            w = rest.split(None, 1)
            # MySQL's EXPLAIN FORMAT=TREE|JSON|TRADITIONAL
            if not w or w[0].lower() not in _EXPLAIN_WORDS and not re.fullmatch(
                    r"format=(?:tree|json|traditional)", w[0], re.I):
                break
            analyze = analyze or w[0].lower().startswith("analy")
            rest = w[1] if len(w) > 1 else ""
    return analyze, rest


def _calls(sql: str) -> list[str]:
    """The names written before each ``(`` (``f``, ``s.f``, ``"f"``), by a linear scan."""
    out = []
    for m in re.finditer(r"\(", sql):
        j = m.start() - 1
        parts = []
        while True:
            while j >= 0 and sql[j].isspace():
                j -= 1
            end = j + 1
            if j >= 0 and sql[j] in "\"`":
                q = sql[j]
                j -= 1
                while j >= 0 and sql[j] != q:
                    j -= 1
                parts.append(sql[j:end] if j >= 0 else sql[:end])
                j -= 1
            else:
                while j >= 0 and (sql[j].isalnum() or sql[j] in "_$"):
                    j -= 1
                parts.append(sql[j + 1:end])
            k = j
            while k >= 0 and sql[k].isspace():
                k -= 1
            if k >= 0 and sql[k] == "." and parts[-1]:
                j = k - 1
                continue
            break
        out.append(".".join(reversed(parts)))
    return out


def _sql_calls_ok(sql: str, extra: frozenset[str] = frozenset()) -> bool:
    # the calls with strings blanked, and those of the raw text too: each engine ends a
    # string its own way (``$$'$$``, ``E'\''``, ``"'"``), and one regex of quotes hid a
    # call from the check (red team s14 J2); a call-like word inside a real string holds
    for name in (*_calls(_SQL_STRING.sub("''", sql)), *_calls(sql)):
        parts = name.split(".")
        fn = parts[-1]
        if not fn:
            continue  # a bare parenthesis
        if len(parts) > 1 and parts[0].lower() != "pg_catalog":
            return False
        if fn[0].isdigit():
            continue  # numeric(10, 2)
        if fn.startswith(('"', "`")):
            return False
        if fn.lower() not in _SQL_FUNCS and fn.lower() not in _SQL_SYNTAX and \
                fn.lower() not in extra:
            return False
    return True


#: WITH names subqueries of a read, but PostgreSQL's and MySQL's WITH also heads INSERT,
#: UPDATE, DELETE and MERGE, in its subqueries too (``WITH d AS (DELETE ... RETURNING *)``):
#: a WITH is a read only without any word of a statement that writes or acts (anywhere in
#: it, string literals too: a word in a string holds it, never the other way round)
_SQL_WITH_ACTS = re.compile(
    r"\b(?:insert|update|delete|merge|upsert|replace|truncate|drop|alter|create|grant|revoke|"
    r"call|do|exec|execute|lock|refresh|vacuum|analy[sz]e|cluster|reindex|set|reset|copy|"
    r"import|export|load|optimize|attach|detach|pragma|notify|listen|prepare|deallocate|"
    r"comment|rename|discard|checkpoint|kill|system|install)\b", re.I)


def _with_read(s: str) -> bool:
    return bool(re.match(r"with\b", s.lstrip(), re.I)) and not _SQL_WITH_ACTS.search(s)


def sql_read_only(sql: str, dialect: str | None = None) -> bool:
    """Every statement is a plain read (SELECT/SHOW/EXPLAIN/DESCRIBE) that calls only known
    side-effect-free functions, reads no credential catalog and has no escape, comment or file
    access; EXPLAIN ANALYZE (which runs its statement) only of such a read. ``dialect`` (a key
    of ``sql_dialects.DIALECTS``) adds that engine's functions, read words and catalogs."""
    d = DIALECTS[dialect] if dialect else None
    funcs = d.funcs if d else frozenset()
    unquoted = sql.replace('"', "").replace("`", "")
    if d and d.credentials and d.credentials.search(unquoted):
        return False
    if d and d.neutral:
        sql = d.neutral.sub(d.neutral_as, sql)
    if _SQL_BAD.search(sql) or not _sql_calls_ok(sql, funcs) or _SQL_UNICODE_ESCAPE.search(sql):
        return False
    if _SQL_CREDENTIALS.search(unquoted) or sql_credential_why(sql):
        return False
    stmts = [s for s in sql.split(";") if s.strip()]
    if not stmts:
        return False
    for s in stmts:
        if not _SQL_READ.match(s) and not _with_read(s) and not (
                d and d.reads and s.split(None, 1)[0].lower() in d.reads):
            return False
        e = _explain(s, d.explain if d else None)
        if e is not None:
            analyze, inner = e
            # EXPLAIN ANALYZE runs its statement; plain EXPLAIN of DML only plans it
            if not re.match(r"^\s*(select|values|table)\b", inner, re.I) and (
                    analyze or not re.match(r"^\s*(insert|update|delete|merge)\b", inner,
                                            re.I)):
                return False
    return True


def _check_sql(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """psql -c / mysql -e: the statement must be a plain read; no script files, no stdin."""
    if pairs is None:
        return "a database client without its option allow-list"
    sql = _option_values(pairs, {"mysql": "-e", "mariadb": "-e"}.get(c.name, "-c"))
    if c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                   c.redirects):
        return "SQL from stdin is not seen by the guard"
    if not sql and any(k in ("-V", "--version") for k, _ in pairs):
        return None  # psql -V / mysql --version print the version and exit
    if not sql:
        return "an interactive database client reads the agent's stdin"
    if c.name in ("mysql", "mariadb") and "mysql" in (
            *(d.lower() for d in _option_values(pairs, "-D")), *(o.lower() for o in ops)):
        return "unqualified names read the mysql schema, which holds the credentials"
    for s in sql:
        s = _client_commands(c.name, s)
        if s is None:
            return "a client command that is not a listed read (\\. sources a file, \\T " \
                   "writes one, \\ir includes one, \\u switches the database)"
        if not sql_read_only(s):
            return "SQL that is not a plain read"
    return None


#: psql meta-commands that only describe (``\d``, ``\dt+``, ``\l``), show the connection or
#: toggle the expanded display; every other one reads or writes files, runs programs or SQL
#: it builds (``\ir``, ``\s FILE``, ``\gexec``, ``\!``, ``\copy``, ``\c``); not ``\deu``
#: (user mappings: ``\deu+`` prints their options, passwords among them)
_PSQL_META = re.compile(r"(?!deu)d[A-Za-z]*\+?|l\+?|conninfo|x|timing|s[fv]\+?")
_BACKSLASH_CMD = re.compile(r"\\([^\s\\]*)")
#: mysql's statement terminators: ``\g`` (go) and ``\G`` (go, vertical output), at the end
#: of a statement
_MYSQL_GO = re.compile(r"\\[gG](?=\s*(;|$))")


def _client_commands(client: str, sql: str) -> str | None:
    """``sql`` with the client's own commands checked against an allow-list (None: one is
    not listed). mysql runs its backslash commands anywhere in the text, psql a line of them
    after a leading one; a backslash in a string literal is held too (the scan is textual)."""
    if "\\" not in sql:
        return sql
    if client in ("mysql", "mariadb"):
        sql = _MYSQL_GO.sub(";", sql)
        return None if "\\" in sql else sql
    ok = all(_PSQL_META.fullmatch(m.group(1)) for m in _BACKSLASH_CMD.finditer(sql))
    return sql if ok else None


def _check_psql(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """psql runs a backquoted text in a meta-command's argument as a shell command (``\\d
    `cmd```; red team s10, confirmed against a lab server), and PostgreSQL's SQL has no use
    for a backquote: none in any -c text; then the statements as every SQL client's."""
    if any("`" in v for v in _option_values(pairs, "-c")):
        return "a backquote in psql's text runs a shell command (meta-command arguments)"
    if not _option_values(pairs, "-c") and any(k == "-l" for k, _ in pairs or ()) and not (
            c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                        c.redirects)):
        return None  # psql -l lists the databases and exits
    return _check_sql(c, rest, ops, pairs)


#: dot-commands that print (the schema, a dump as SQL text, the settings) or shape the output;
#: never .output/.once/.save/.backup (write files), .shell/.system (run programs), .import,
#: .read, .open, .load, .cd, .excel, .log
#: (one line: a newline in the text starts another dot-command on a client's stdin)
_SQLITE_DOT = re.compile(r"\A\.(tables|schema|fullschema|indexes|indices|databases|dbinfo|mode|"
                         r"headers|dump|show|width|timer)(?:[ \t]++[\w.*-]++)*+[ \t]*+\Z")
#: PRAGMAs that only report; a name argument only where the argument is a table or index (with
#: a value, ``PRAGMA journal_mode(WAL)`` sets, as ``=WAL`` does); never optimize,
#: wal_checkpoint, incremental_vacuum, shrink_memory (they act)
_SQLITE_PRAGMA = re.compile(
    r"pragma\s++(?:main\.)?+(?:(?:table_info|table_xinfo|index_list|index_info|index_xinfo|"
    r"foreign_key_list|foreign_key_check|integrity_check|quick_check)"
    r"(?:\s*+\(\s*+[\w\"']++\s*+\))?+"
    r"|page_count|page_size|freelist_count|database_list|compile_options|user_version|"
    r"schema_version|journal_mode|encoding|collation_list|function_list|table_list|"
    r"application_id|auto_vacuum|data_version|foreign_keys|module_list|pragma_list)", re.I)


def _check_sqlite(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) < 2:
        return "an interactive database client reads the agent's stdin"
    for s in ops[1:]:
        if not (_SQLITE_DOT.match(s) or _SQLITE_PRAGMA.fullmatch(s.strip().rstrip(";").rstrip())
                or sql_read_only(s)):
            return "SQL or a dot-command that is not a plain read"
    return None


#: redis-cli's modes that walk the key space with SCAN, -i sleeping between calls
_REDIS_SCAN_MODES = frozenset({"--scan", "--bigkeys", "--memkeys", "--hotkeys", "--keystats"})
_REDIS_SLEEP = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,6})?")


def _check_redis(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """redis-cli: options from ``redis_cli.OPTIONS``, then one listed read-only command; with
    no command and no mode option it reads commands from the agent's stdin."""
    line = redis_cli.split(rest)
    if isinstance(line, str):
        return line
    # --scan/--bigkeys/--memkeys/--hotkeys/--keystats walk the key space with SCAN and no
    # pause by default: there -i only adds a sleep between SCAN calls, so any plain number of
    # seconds throttles (with --stat, --latency or -r it paces a loop: the 0.2 s floor holds)
    modes = {k for k, _ in line.options if k in redis_cli.MODES}
    throttles = not line.command and bool(modes) and modes <= _REDIS_SCAN_MODES
    for k, v in line.options:
        if k == "-i" and throttles and v is not None and _REDIS_SLEEP.fullmatch(v):
            continue
        why = KINDS[redis_cli.OPTIONS[k]](v) if v is not None else None
        if why:
            return f"{k}: {why}"
    if not line.command:
        if any(k in redis_cli.MODES for k, _ in line.options):
            return None
        return "an interactive database client reads the agent's stdin"
    return redis_cli.read_only(line.command)


_MODE_SETID = re.compile(r"[+=][rwxXt]*+s")
#: GNU chmod's numeric modes: octal digits, bare or after an operator (``=4755``, ``+4000``,
#: ``0004755``; red team s10: only four-digit spellings were read)
_MODE_NUMERIC = re.compile(r"([-+=]?)([0-7]+)")


def _sets_id(mode: str) -> bool:
    """Does ``mode`` (any clause of it) add a setuid or setgid bit?"""
    for clause in mode.split(","):
        m = _MODE_NUMERIC.fullmatch(clause)
        if m is not None:
            if m.group(1) != "-" and int(m.group(2)[-8:], 8) & 0o6000:
                return True
        elif _MODE_SETID.search(clause):
            return True
    return False


def _check_chmod(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return None
    if _sets_id(ops[0]) or ops[0].startswith("--reference"):
        return "sets a setuid/setgid bit"
    # tightening that leaves the owner its access is ordinary on the login's own files too
    # (`chmod 600 ~/.ssh/id_rsa`); not on scratch roots, runtime sockets, logs or a home
    # itself, where taking access away locks others out (red team s9b F6: chmod 700 /tmp)
    tighten = _mode_keeps_others_out(ops[0]) and not any(
        ".." in o.split("/") or _EXPANSION.search(o) for o in ops[1:])
    bad = next((o for o in ops[1:] if not _chmod_target_ok(o) and not (
        tighten and o.startswith("~/") and o.rstrip("/") != "~")), None)
    if bad is not None:
        return f"changes the mode of {bad!r} outside the working tree (a socket, a key, a " \
               "startup file, a home or system directory)"
    return None


_OCTAL_MODE = re.compile(r"^0?[0-7]?[0-7]00$")
_SYMBOLIC_CLAUSE = re.compile(r"^([ugoa]*)([-+=])([rwxXst]*|[ugo])$")


def _mode_keeps_others_out(mode: str) -> bool:
    """The mode grants group and others nothing and leaves the owner read access (``600``,
    ``0700``, ``400``, ``go-rwx``, ``u+x``): not ``000``, ``a-x`` or ``u-r``."""
    if _OCTAL_MODE.match(mode):
        return mode.lstrip("0")[:1] in ("4", "5", "6", "7")
    for clause in mode.split(","):
        m = _SYMBOLIC_CLAUSE.match(clause)
        if m is None:
            return False
        who, op, perms = m.groups()
        if op != "-" and perms and (not who or set(who) & {"g", "o", "a"}):
            return False
        if op == "-" and (not who or set(who) & {"u", "a"}):
            return False  # takes the owner's own access away
    return bool(mode)


def _chmod_target_ok(path: str) -> bool:
    """A mode change is ordinary on a plain path of the working tree or below /tmp: no dot
    component (keys, startup files), no ``..``, not the directory itself (a home)."""
    parts = path.split("/")
    if any(p == ".." or (p.startswith(".") and p != ".") for p in parts) or "\\" in path:
        return False
    if path.startswith("/"):
        return path.startswith(("/tmp/", "/var/tmp/")) and \
            norm(path).startswith(("/tmp/", "/var/tmp/"))
    return not path.startswith("~") and _lexical(path) not in _HERE


_TARGET_SPECIAL = re.compile(r"\.target$|^systemd-|^default$|reboot|poweroff|halt|kexec|"
                             r"debug-shell|getty|autovt|console|^ssh-?agent|"
                             r"rescue|emergency|suspend|hibernate|sleep|shutdown|^exit|"
                             r"ctrl-alt-del|network|firewall|iptables|nftables|ufw|audit|"
                             r"apparmor|selinux|dbus", re.I)


#: systemd's unit types other than service (a name without one of these is a service): a
#: mount, socket, timer or target started is not a service restarted (tmp.mount hides /tmp)
_NOT_SERVICE = frozenset({"target", "mount", "automount", "swap", "socket", "timer", "path",
                          "slice", "scope", "device"})


#: units that are not the site's services, by class (starting or restarting one is not a
#: service restart): the host's own jobs (package upgrades, provisioning, storage and file
#: system maintenance, housekeeping, backups and restores, which run when started), its
#: access paths (ssh, VPNs, container runtimes and the kubelet: a restart cuts every session
#: or restarts every container) and its security controls and log shippers (a restart is a
#: gap in what they see)
_HOST_UNIT = re.compile(
    r"^apt([-.@]|$)|unattended-upgrade|packagekit|^pk-|dnf-automatic|dnf-makecache|yum-cron|"
    r"^snapd|^snap\.|^fwupd|update-notifier|^ua-|ubuntu-advantage|motd-news|^dpkg|^rpm|"
    r"^cloud-|cloud-init|cloud-config|ignition|waagent|walinuxagent|^google-|amazon-ssm|"
    r"ssm-agent|^ec2|firstboot|initial-setup|"
    r"fstrim|e2scrub|mdcheck|mdmonitor|^lvm2|^dm-event|^zfs|btrfs|blk-availability|multipath|"
    r"^iscsi|^nfs|^rpc|quota|fsck|^grub|plymouth|^kmod|initrd|dracut|mkinitrd|"
    r"logrotate|man-db|sysstat|phpsessionclean|certbot|letsencrypt|updatedb|mlocate|plocate|"
    r"anacron|backup|restore|rsnapshot|borg|restic|"
    r"^sshd?([.@]|$)|openvpn|wg-quick|wireguard|tailscale|zerotier|cloudflared|strongswan|"
    r"ipsec|xl2tpd|^docker([.@]|$)|containerd|^crio|^cri-o|kubelet|^k3s|^rke2|^microk8s|"
    r"fail2ban|sshguard|crowdsec|osquery|falco|wazuh|ossec|clam|freshclam|^aide|tripwire|"
    r"syslog|journal|auditbeat|filebeat|fluent|td-agent|datadog|newrelic|splunk|"
    r"elastic-agent|^sssd|polkit|^user@|^user-runtime-dir@|^systemd|"
    # (red team s10) the same classes by other names: remote access (dropbear, teleport,
    # guacamole, xrdp, vnc), interfaces and addresses (ifup@, dhcp clients, supplicants),
    # cluster and failover managers (a restart fences a node or moves a VIP), container and
    # VM hosts (libvirt-guests stops every guest), secret stores (vault seals on restart),
    # endpoint and network security agents, and log and metric shippers
    r"dropbear|teleport|guacd|xrdp|vnc|^ifup|^ifdown|dhclient|dhcpcd|supplicant|^iwd|"
    r"netfilter|shorewall|^csf|^lfd|keepalived|corosync|pacemaker|^pve|^pmx|heartbeat|"
    r"^lxc|^lxd|^incus|libvirt|^virt|qemu|xen|vbox|^kvm|^vault|^openbao|"
    r"mdatp|falcon|sentinel|cbagent|carbonblack|cylance|qualys|nessus|tenable|rapid7|"
    r"^ir_agent|suricata|snort|^zeek|^bro$|tetragon|tracee|sysdig|^wazuh|^velociraptor|"
    r"^vector|promtail|logstash|beat$|^nxlog|^alloy|^grafana-agent|otelcol|"
    r"tinysshd|cockpit|webmin|teamviewer|anydesk|x2go|rustdesk|nebula|netbird|headscale|"
    r"^frr|^bird|quagga|^ceph|gluster|drbd|iscsi|sophos|^ds_agent|^kesl|^mfe|mcafee|eset|"
    r"bitdefender|^auoms|azuremonitor|omsagent|cloudwatch|elastic-endpoint|rkhunter|samhain|"
    r"^lynis",
    re.I)


def _unit_why(u: str) -> str | None:
    """Why starting or restarting unit ``u`` is not a service restart, or None."""
    if _TARGET_SPECIAL.search(u) or not re.fullmatch(r"[A-Za-z0-9@_.:\\-]+", u):
        return f"unit {u!r} is a system state or not a plain unit name"
    if u.rsplit(".", 1)[-1].lower() in _NOT_SERVICE and "." in u:
        return f"unit {u!r} is not a service"
    if _HOST_UNIT.search(u):
        return f"unit {u!r} is one of the host's own jobs, access paths or security controls"
    return None


#: a numeric sequence expression (``{1..4}``): bash writes every number of it
_SEQUENCE = re.compile(r"\{(-?[1-9][0-9]{0,2}|0)\.\.(-?[1-9][0-9]{0,2}|0)\}")


def _unit_names(u: str) -> list[str] | None:
    """The unit names bash makes of ``u`` (``app@{1..4}``, ``{api,worker}.service``): each is
    judged as written; None when they cannot all be known (a wide or padded sequence)."""
    if "{" not in u:
        return [u]

    def seq(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        if abs(b - a) >= 32:
            return "*"
        step = 1 if b >= a else -1
        return "{" + ",".join(str(n) for n in range(a, b + step, step)) + "}"
    names = expand_braces(_SEQUENCE.sub(seq, u))
    return names if names is not None and not any("*" in n for n in names) else None


def _check_units(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for u in ops:
        names = _unit_names(u) if _brace_at(u) >= 0 else [u]
        if names is None:
            return f"unit {u!r} expands to names bash alone knows"
        for name in names:
            why = _unit_why(name)
            if why:
                return why
    return None


_PLAIN_TARGET = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:/+-]*$")


def _check_targets(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Build tools: plain target/task/script names only (no VAR=value, no paths up)."""
    for o in ops:
        if not _PLAIN_TARGET.match(o) or ".." in o:
            return f"{o!r} is not a plain target name"
    return None


_PKG_NAME = re.compile(r"^[A-Za-z0-9@_][A-Za-z0-9@_.+:~=<>!,^*/-]*$")


def _check_packages(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Package installs from the configured index: names (and versions), not files or URLs."""
    for o in ops:
        if "://" in o or o.startswith((".", "/", "~", "git+")) or o.endswith(
                (".deb", ".rpm", ".whl", ".apk", ".tgz", ".tar.gz")) or not _PKG_NAME.match(o):
            if c.name in ("pip", "pip3") and o in (".",):
                continue
            return f"{o!r} installs from a file or URL, not from the index"
        if c.name == "brew" and "/" in o:
            return f"{o!r} comes from a third-party tap"
        if c.name in ("apt", "apt-get", "aptitude") and o.endswith(("-", "_")):
            return f"{o!r}: apt removes (-) or purges (_) a package named with that suffix"
    return None


_SECRET_KINDS = re.compile(r"^(secrets?|all)(/|$|\.)|(^|,)secrets?(,|$)", re.I)
_REVEALING = re.compile(r"^(?!(?:wide|name)$)", re.I)


def _check_kubectl_get(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not any(_SECRET_KINDS.search(o) for o in ops) and not any(
            o.lower().startswith("secret") for o in ops):
        return None
    if pairs is None or any(_REVEALING.match(v.lstrip("=")) for v in
                            _option_values(pairs, "-o", "--template")):
        return "prints secret values"
    return None


def _check_scale(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    counts = _option_values(pairs, "--replicas")
    if not counts:
        return "scale without a plain replica count"
    if not all(v.isdigit() and int(v) > 0 for v in counts):
        return "scales to zero or unclear"
    if any(int(v) > MAX_REPLICAS for v in counts):
        return f"scales past {MAX_REPLICAS} replicas: a cluster's capacity, not a rollout"
    if any(k in ("--all", "-l", "--selector") for k, _ in pairs or ()):
        return "scales every matching workload at once"
    return None


#: (ops16) namespaces of the cluster's own machinery (its DNS, proxy, mesh, certificates,
#: admission and GitOps controllers): never an application's rollout; any ``kube-*``,
#: ``openshift-*`` or ``*-system`` too
K8S_SYSTEM_NAMESPACES = frozenset({
    "kube-system", "kube-public", "kube-node-lease", "istio-system", "cert-manager",
    "ingress-nginx", "linkerd", "linkerd-viz", "tigera-operator", "calico-system", "kyverno",
    "gatekeeper-system", "argocd", "flux-system", "metallb-system", "longhorn-system",
    "kube-flannel", "cilium", "external-secrets", "velero"})
#: tags a registry moves to other content: the image they name is not the one reviewed
_MUTABLE_TAGS = frozenset({"latest", "stable", "edge", "nightly", "main", "master", "dev",
                           "develop", "head", "current", "canary"})


def _system_namespace(ns: str) -> bool:
    return ns in K8S_SYSTEM_NAMESPACES or ns.startswith(("kube-", "openshift")) or \
        ns.endswith("-system")


def _k8s_namespaces(argv: Words) -> list[str] | None:
    """The namespaces a kubectl line names (``-n X``, ``-nX``, ``--namespace[=]X``); None
    for every namespace (``-A``, ``--all-namespaces``)."""
    out: list[str] = []
    for i, a in enumerate(argv):
        if a in ("-A", "--all-namespaces") or a.startswith("--all-namespaces="):
            return None
        if a in ("-n", "--namespace") and i + 1 < len(argv):
            out.append(argv[i + 1])
        elif a.startswith("--namespace="):
            out.append(a.split("=", 1)[1])
        elif a.startswith("-n") and not a.startswith("--") and len(a) > 2:
            out.append(a[2:].lstrip("="))
    return out


def pinned_image(image: str) -> bool:
    """(ops16) An image named by a digest, or by a tag other than one a registry moves
    (``latest``, ``main``...): with no tag at all the runtime pulls ``latest``."""
    if "@sha256:" in image:
        name, _, digest = image.partition("@sha256:")
        return bool(name) and not re.search(r"[@\s]", name) and \
            bool(re.fullmatch(r"[0-9a-f]{64}", digest))
    last = image.rsplit("/", 1)[-1]
    name, colon, tag = last.partition(":")
    return bool(name and colon and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", tag)) and \
        tag.lower() not in _MUTABLE_TAGS


def _check_set_image(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """(ops16) kubectl set image: one workload by name, each container by name, to a pinned
    image, in an application's namespace. Never ``--all``, a selector, ``*=``, every
    namespace, a system namespace, or an image a registry moves (``:latest``, no tag)."""
    if any(k in ("--all", "-l", "--selector") for k, _ in pairs or ()):
        return "sets the image of every matching workload at once"
    spaces = _k8s_namespaces(c.argv)
    if spaces is None:
        return "sets images in every namespace"
    bad = next((n for n in spaces if _system_namespace(n)), None)
    if bad is not None:
        return f"sets an image in {bad!r}, a namespace of the cluster's own machinery"
    objs = [o for o in ops if "=" not in o]
    sets = [o for o in ops if "=" in o]
    if not sets or not (len(objs) == 1 and objs[0].count("/") == 1 and all(objs[0].split("/"))
                        or len(objs) == 2 and "/" not in objs[0] + objs[1]):
        return "set image names no single workload or no container"
    for o in sets:
        name, _, image = o.partition("=")
        if not re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,62})", name):
            return f"sets the image of every container ({name!r})"
        if not pinned_image(image):
            return f"image {image!r} is not pinned by a tag or digest a registry keeps"
    return None


def _check_compose_project(c: SimpleCommand, rest: Words, ops: Words,
                           pairs: Pairs) -> str | None:
    """(ops16) A project name with a compose file of its own names another stack: compose
    recreates that stack's containers from this file (``-f /opt/tools/x.yml -p payments
    up``). Either alone is the tree's stack or one named in place."""
    named = any(a in ("-p", "--project-name") or a.startswith("--project-name=") or
                re.fullmatch(r"-p[^-].*", a) for a in c.argv) or any(
        a.startswith("COMPOSE_PROJECT_NAME=") for a in c.assignments)
    # (review s16) COMPOSE_PROJECT_NAME=X before the command names the project as -p does
    filed = any(a in ("-f", "--file") or a.startswith("--file=") or
                re.fullmatch(r"-f[^-].*", a) for a in c.argv)
    return "a project name with a compose file acts on another stack" if named and filed \
        else None


#: replicas a scale may ask for unasked (a bound on what one line may take of a cluster)
MAX_REPLICAS = 50


def _url_secretish(v: str) -> bool:
    """A URL is judged as the server reads it: percent-escapes decoded (``%73ecrets`` is the
    API path ``secrets`` of a local ``kubectl proxy`` or etcd)."""
    # with or without a scheme: curl takes `localhost:8001/...` as http (red team s9b F4)
    return ("%" in v or bool(_URLISH_WORD.match(v))) and any(
        secretish(f) for f in _url_forms(v)[1:])


#: a URL with a scheme, or a host:port/path curl reads as one
_URLISH_WORD = re.compile(r"\A(?:[A-Za-z][A-Za-z0-9+.-]*+://|[A-Za-z0-9.-]++:[0-9]{1,5}/)")


_URL_SPLIT = re.compile(r"\A((?:[A-Za-z][A-Za-z0-9+.-]*+://)?+[^/\s]*+)(/[^?#]*+)?+")


def _url_forms(v: str) -> tuple[str, ...]:
    """``v``, percent-decoded, and its path as a server reads it: ``;params`` dropped, repeated
    slashes collapsed, dot-segments resolved (``//v2/keys``, ``/x/../v2/keys`` and
    ``/./v2/keys`` are all ``/v2/keys``: red team s13)."""
    text = urllib.parse.unquote(v)
    m = _URL_SPLIT.match(text)
    if m is None or not m.group(2):
        return (v, text)
    path = re.sub(r";[^/]*", "", m.group(2))
    path = posixpath.normpath(re.sub(r"/{2,}", "/", path)) + ("/" if path.endswith("/") else "")
    return (v, text, m.group(1) + path.replace("//", "/"))


def _computed_leaves(c: SimpleCommand) -> str | None:
    """A network sender's word computed at run time (a header, a user agent, a referer, a URL
    from ``$(...)`` or ``$X``) carries what the host holds to whoever the URL names."""
    if any(c.dynamic[1:]):
        return "a word computed at run time (a header, user agent or URL) leaves the host"
    return None


#: the key-value APIs of secret and configuration stores (etcd v2 keys and v3 range,
#: consul KV, vault secret engines): a GET of them dumps what services keep there, the
#: cluster's secrets among them (red team s10: `curl http://127.0.0.1:2379/v2/keys/?recursive=
#: true`, consul `/v1/kv/?recurse`)
_SECRET_STORE_API = re.compile(r"^(?:https?://)?+[^/\s]*+/(?:v2/keys|v3/kv|v3beta/kv|"
                               r"v3alpha/kv|v1/kv|v1/secrets?|v1/sys/raw|v1/cubbyhole)(?:[/?#]|$)",
                               re.I)


def _secret_store_read(words: Words) -> str | None:
    hit = next((w for w in words if any(_SECRET_STORE_API.match(f) for f in _url_forms(w))),
               None)
    return f"{hit!r} reads a key-value or secret store's API" if hit else None


_CURL_BODY = frozenset({"-d", "--data-raw", "--data-binary", "--json"})
#: a read endpoint of a service on this host that takes its query in a body: Elasticsearch
#: and OpenSearch searches, counts, analysis and explanations (never _update_by_query,
#: _delete_by_query, _bulk, _reindex, settings or aliases), Prometheus and Loki queries
_LOCAL_READ = re.compile(
    r"(?:https?://)?(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?"
    r"(?:(?:/[A-Za-z0-9*,.-][A-Za-z0-9*,._-]*)?/_(?:search|msearch|count|analyze|"
    r"validate/query|explain/[A-Za-z0-9_.-]+|field_caps|mget|mtermvectors|terms_enum|"
    r"termvectors(?:/[A-Za-z0-9_.-]+)?|search/template|msearch/template|render/template|"
    r"rank_eval|sql(?:/translate)?|eql/search|cluster/allocation/explain)|"
    r"(?:/loki)?/api/v1/(?:query|query_range|query_exemplars|series|labels|"
    r"label/[A-Za-z0-9_]+/values|format_query|parse_query))/?"
    r"(?:\?[A-Za-z0-9_.=&%*,:+-]*)?")


def _check_curl(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if _computed_leaves(c):
        return _computed_leaves(c)
    if _secret_store_read(ops + tuple(_option_values(pairs, "--url"))):
        return _secret_store_read(ops + tuple(_option_values(pairs, "--url")))
    if any(a.startswith("@") or "=@" in a or reaches_metadata(a) for a in rest):
        return "sends a local file, or asks a cloud metadata service for credentials"
    if pairs is None:
        return "curl sends a changing request"
    body = any(k in _CURL_BODY for k, _ in pairs) or (
        _option_values(pairs, "--data-urlencode") and not any(k == "-G" for k, _ in pairs))
    methods = {v.upper() for v in _option_values(pairs, "-X")}
    # a query in a body (Elasticsearch _search, Prometheus /api/v1/query): only to a read
    # endpoint of a service on this host, by POST at most
    urls = ops + tuple(_option_values(pairs, "--url"))
    if (body or methods - _METHODS) and (methods - {"GET", "POST"} or not urls or not all(
            _LOCAL_READ.fullmatch(u) for u in urls)):
        return "curl sends data or a changing request, and not to a read endpoint of a " \
               "service on this host (_search, _count, /api/v1/query...)"
    globoff = any(k in ("-g", "--globoff") for k, _ in pairs)
    # ``#N`` in an output name is the Nth glob's match: the file written is not the text
    # (red team s13: ``--url '.../{.bashrc,y}' -o '#1'`` in the home)
    if any(re.search(r"#[0-9]", v) for v in _option_values(pairs, "-o", "--output")):
        return "the output name has a '#N' that curl replaces with a URL glob's match"
    for o in urls:
        if not re.match(r"^(https?://)?[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", o) or "@" in o:
            return f"{o!r} is not a plain http(s) URL"
        if not globoff and any(ch in o for ch in "{}[]"):
            # curl expands {a,b} and [x-y] itself: `.../secre{t}s` asks for /secrets
            return f"{o!r} is a curl URL glob (the paths it asks for are not the text)"
    return None


def _check_output_opt(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """wget -O / -P: the file it writes (without -O: the URL's last path segment)."""
    if _computed_leaves(c):
        return _computed_leaves(c)
    if _secret_store_read(ops):
        return _secret_store_read(ops)
    if any(reaches_metadata(a) for a in rest):
        return "asks a cloud metadata service for credentials"
    named = bool(_option_values(pairs, "-O"))
    for o in ops:
        # the name up to a query: what follows ``?`` makes no file a tool loads by name
        for base in dict.fromkeys(n.split("?", 1)[0] for n in saved_names(o)) \
                if o.count("/") > 2 and not named else ():
            if not safe_write_target(base, True):
                return f"saves {base!r}: a dot-file, code or config file"
    for o in ops:
        if not re.match(r"^(https?://)[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$", o):
            return f"{o!r} is not a plain http(s) URL"
    return None


#: where deploys keep releases (``D/releases/N`` and the ``D/current`` link)
_DEPLOY_ROOTS = ("/srv/", "/opt/", "/var/www/", "/home/")
_PLAIN_PART = re.compile(r"[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,127}")


def _release_switch(rest: Words, ops: Words) -> bool:
    """``ln -sfn [D/]releases/N D/current``: a deploy's release switch outside the working
    tree. Only that shape: the link is ``current`` itself (-n/-T: never a name inside it), the
    target a sibling release, every component plain, D under a deploy root."""
    if len(ops) != 2 or not ("-n" in rest or "-T" in rest) or "-s" not in rest:
        return False
    target, link = ops
    d, name = posixpath.split(link)
    if name != "current" or not d.startswith(_DEPLOY_ROOTS):
        return False
    rel = target[len(d) + 1:] if target.startswith(d + "/") else target
    parts = [*d[1:].split("/"), *rel.split("/")]
    # a release under releases/, or a sibling version directory (/opt/app/1.8.2 -> current)
    release = (rel.startswith("releases/") and rel.count("/") == 1) or (
        "/" not in rel and any(ch.isdigit() for ch in rel))
    return release and len(parts) >= 3 + rel.count("/") and \
        all(_PLAIN_PART.fullmatch(p) for p in parts) and not maybe_secret_path(link)


def _lexical(path: str) -> str:
    """``path`` without ``.`` components, repeated and trailing slashes (``./.``, ``~/./``
    and ``sub/..`` name the directory they start from): for "is it the directory itself"."""
    return posixpath.normpath(path) if path else path


#: spellings of the working or home directory itself, after _lexical
_HERE = ("", ".", "~", "$HOME", "${HOME}", "/")


def _check_copy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """cp/mv/ln/rsync: no device sources; every name it may write is a plain target: DEST, and
    DEST/basename(SOURCE) when DEST is a directory (the guard cannot know which); never the
    working or home directory itself, in any spelling."""
    if not ops or (len(ops) < 2 and c.name != "ln"):
        return "needs a source and a destination"
    if len(ops) > 1 and any(o.startswith("/dev/") or o.startswith("/proc/") for o in ops[:-1]):
        return "copies from a device (clobbers the destination)"
    if c.name == "ln" and len(ops) > 1:
        if "-f" in rest and "-s" not in rest:
            return "replaces the destination with a hard link (a copy of the data by another name)"
        if _release_switch(rest, ops):
            return None
        if "-f" in rest and not all(_in_tree(o) and not o.startswith("~") for o in ops[:-1]):
            # -f replaces a link something may run from (a release's `current`); flow.py
            # holds a target this session wrote
            return "replaces a link with one out of the working tree"
    sources, dest = (ops, ".") if len(ops) == 1 else (ops[:-1], ops[-1])
    if c.name == "mv":
        # a move removes its source: only from where an ordinary command may write (red team
        # s10: `mv /var/log/auth.log /tmp/`, `mv /srv/app /tmp/` were judged by DEST alone)
        gone = next((s for s in sources if not _removable(s)), None)
        if gone is not None:
            return f"moves {gone!r} away: a system, service or data path outside the tree"
        # (red team s16 #4) scratch space is where rm -rf runs unasked: a move into it
        # deletes the data in two steps (mv ~/projects /tmp/p && rm -rf /tmp/p)
        kept = next((s for s in sources if not _in_scratch(s)), None)
        if kept is not None and (_in_scratch(dest) or _EXPANSION.search(dest)):
            return f"moves {kept!r} into scratch space, where a later rm removes it unasked"
    here = _lexical(dest) in _HERE
    if here and c.name != "ln":
        return "copies into the working or home directory itself (dot-files come along)"
    # a link's content is its target's; a copy from outside the tree (scratch, another
    # tree) brings content the agent did not write here: neither may be code
    fetched = c.name == "ln" or any(s.startswith(("/", "~")) or ".." in s.split("/")
                                    for s in sources)
    if not here and not safe_write_target(dest, fetched):
        return "writes a dot-file, code or config file, or outside the working directory"
    whole = "-T" in rest or "--no-target-directory" in rest
    for s in sources:
        base = s.rstrip("/").rsplit("/", 1)[-1]
        # a directory's contents (SRC/., rsync's SRC/, -T) land as every name SRC holds,
        # its .git, Makefile and dot-files among them: from outside the tree that is a copy
        # of each by name (judged so below), and the guard cannot see the names
        if (base == "." or whole or s.endswith("/") and c.name == "rsync") and \
                c.name != "ln" and not _in_tree(s) and not norm(dest).startswith(_SCRATCH):
            return f"copies every name {s!r} holds into {dest!r} (a .git, a Makefile, " \
                   "dot-files): content from outside the working tree under names nobody saw"
        if s.endswith("/") and c.name == "rsync" or _EXPANSION.search(s):
            continue  # a directory's contents (rsync) or a computed name: DEST alone is judged
        # ln, cp and mv name the copy after the source's last component, trailing slashes
        # or not (red team s9b F3: `ln -s /tmp/x/bin/ ~` makes ~/bin)
        if base in ("", ".", ".."):
            continue
        # a file from outside the tree lands under its own name: a dot-file or a build file
        # (Makefile, conftest.py) there runs later; one from the tree keeps content it had,
        # but a link from it into the working directory itself is a new name there (~/bin)
        outside = s.startswith(("/", "~")) or ".." in s.split("/")
        target = f"~/{base}" if here else f"{dest.rstrip('/')}/{base}"
        if (base.startswith(".") or outside or here) and not safe_write_target(target,
                                                                              fetched):
            return f"writes {target!r} (the source's name inside {dest!r}): a dot-file, code " \
                   "or config file"
    return None


def _in_scratch(path: str) -> bool:
    """Is ``path`` in (or) a scratch directory, where rm runs unasked: /tmp, /var/tmp,
    /dev/shm, in any spelling that reaches them?"""
    p = norm(path).rstrip("/") + "/"
    return p.startswith((*_SCRATCH, "/dev/shm/"))


def _removable(path: str) -> bool:
    """A path an ordinary command may remove or move away: the working tree, /tmp, or a plain
    path of the home (no dot component, not the home itself)."""
    p = path.rstrip("/") or path
    if _EXPANSION.search(p) or "\\" in p or _lexical(p) in _HERE:
        return False
    if p.startswith("~/"):
        parts = p[2:].split("/")
        return not any(x == ".." or x.startswith(".") for x in parts) and not secretish(p)
    return _chmod_target_ok(p) and not secretish(p)


def _check_rmdir(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """rmdir: only directories of the tree or /tmp (an empty /run/sshd is what sshd needs)."""
    gone = next((o for o in ops if not _removable(o)), None)
    return f"removes {gone!r}: a runtime or system directory" if gone is not None else None


def _check_rsync(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """rsync between local directories only: a remote end carries data off the host. A dry
    run (``-n``) writes nothing; a copy of the working tree's build into a deploy directory
    is a deploy step, as unpacking the tree's archive there is (``extract_dir_ok``)."""
    if any(":" in o or o.startswith("rsync://") for o in ops):
        return "copies to or from another host"
    if len(ops) >= 2 and not any(o.startswith(("/dev/", "/proc/")) for o in ops[:-1]):
        if any(k == "-n" for k, _ in pairs or ()):
            return None
        # into a deploy *directory* only: a DEST file is overwritten by whatever the tree
        # holds (red team s10: `rsync -a README.md /data/mysql/ibdata1`, `/opt/app/bin/server`)
        # and never a datastore's own directory
        if _deploy_dir(ops[-1]) and ops[-1].endswith("/") and not _DATASTORE_DIR.search(
                ops[-1]) and all(_tree_source(s) for s in ops[:-1]):
            return None
    return _check_copy(c, rest, ops, pairs)


#: a datastore's files under a deploy root (/data/mysql, /srv/pgdata, /opt/redis/data)
_DATASTORE_DIR = re.compile(r"(?i)/(mysql|mariadb|postgres\w*|pgsql|pgdata|mongo\w*|redis|"
                            r"elasticsearch|opensearch|etcd|cassandra|clickhouse|influx\w*|"
                            r"kafka|zookeeper|rabbitmq|couchdb|minio)(/|$)")


def _deploy_dir(d: str) -> bool:
    """A directory under a deploy root (/srv, /opt, /data: ``extract_dir_ok``), every
    component a plain name (no dot-file or dot-dir, no ``..``, no expansion), no secret."""
    q = d.rstrip("/")
    return q.startswith(DEPLOY_ROOTS) and all(
        _PLAIN_PART.fullmatch(p) for p in q[1:].split("/")) and not maybe_secret_path(q)


def _tree_source(s: str) -> bool:
    """A source from the working tree or the home directory (an exec session's tree): plain
    components only, so neither scratch space, a dot-file nor a system file."""
    q = s.rstrip("/")
    q = q[2:] if q.startswith("~/") else q
    return bool(q) and not q.startswith("/") and all(
        _PLAIN_PART.fullmatch(p) for p in q.split("/")) and not maybe_secret_path(s)


def _check_tree(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A recursive search (grep -r, rg, ag) reads every file of the trees it searches: none
    may hold secrets (reveal.tree_holds_secrets, the test of the rule secret.read-tree), and
    a tree the shell computes or that climbs out with ``..`` could be any."""
    p = parse_opts(SEARCHERS[c.name], c.args)
    if isinstance(p, str):
        return p
    for d in searched_trees(c.name, p.pairs, p.ops):
        if tree_holds_secrets(d) and not reads_only_source(c.name, p.pairs, d):
            return f"reads the whole tree {d!r}, which holds secrets"
        if "$" in d or "`" in d or ".." in d.split("/"):
            return f"reads a tree the shell computes or above the working tree ({d!r})"
    return None


def _check_ps(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """BSD-style ``ps e`` (and ``ps -E``/``eww``) prints every process's environment."""
    if ps_environment(c.args):
        return "prints the environment of processes (tokens, passwords)"
    return None


_DOCKERFILE = re.compile(r"(^|/)(?:[^/]*[.-])?(?:[Dd]ockerfile|Containerfile)(?:\.[^/.]+)?$")
_COMPOSE_FILE = re.compile(r"\.(ya?ml|json)$|(^|/)[^/]*[Dd]ockerfile(\.[^/.]+)?$|"
                           r"(^|/)Containerfile(\.[^/.]+)?$")


def _check_compose_file(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """docker compose -f / docker build -f: a file by its usual name, never /tmp (an ordinary
    command may not write those names, so the guard has seen where they came from)."""
    for i, a in enumerate(c.argv):
        val = None
        if a in ("-f", "--file") and i + 1 < len(c.argv):
            val = c.argv[i + 1]
        elif a.startswith("--file="):
            val = a.split("=", 1)[1]
        if val is not None and (not _COMPOSE_FILE.search(val) or val.startswith(_SCRATCH) or
                                ".." in val.split("/")):
            return f"{val!r} is not a compose file or Dockerfile in place"
    return None


def _check_dest(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """mkdir/touch/tee: every operand is a place an ordinary command may write."""
    if c.name == "tee" and "yes" in c.pipe_from and any(o not in _SAFE_DEV for o in ops):
        return "writes without end into a file"
    for o in ops:
        if _lexical(o) in ("~", "$HOME", "${HOME}", "/"):
            return f"writes {o!r}: the home or / itself (git init ~/. makes the home a work tree)"
        if not safe_write_target(o) and not (c.name == "mkdir" and (
                o.startswith("/srv/") or _deploy_dir(o))) \
                and not (c.name == "touch" and _empty_file_ok(o)):
            return f"writes {o!r}: a dot-file, code or config file, or outside the cwd"
    return None


def _empty_file_ok(p: str) -> bool:
    """touch writes no content: an empty file of any name (``build/.keep``,
    ``src/__init__.py``) is harmless inside a subdirectory of the tree, whose directories are
    plain. Not at the top (a home, where an empty ``.bash_profile`` hides ``.profile``), not
    under a dot-directory (``.git/index.lock``, ``.ssh/``)."""
    if p.startswith(("/", "~")) or _EXPANSION.search(p) or "\\" in p or HOME_BIN.match(p):
        return False
    parts = [x for x in p.split("/") if x not in ("", ".")]
    dirs, name = parts[:-1], parts[-1] if parts else ""
    return bool(dirs) and name not in ("", "..") and all(
        d != ".." and not d.startswith(".") for d in dirs) and not secretish(p)


def _no_data_in(c: SimpleCommand) -> bool:
    """Nothing reaches ``c``'s stdin but the agent's own channel or /dev/null."""
    return not c.pipe_from and c.heredoc is None and all(
        r.target == "/dev/null" for r in c.redirects if r.op in ("<", "<<<", "<>"))


def _check_tls_client(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """openssl s_client sends its stdin to the server: no piped data, no metadata service."""
    if not _no_data_in(c):
        return "s_client carries piped data to another host"
    hosts = [*ops, *_option_values(pairs, "-connect"), *_option_values(pairs, "-proxy")]
    if any(h.startswith("-") or reaches_metadata(h) for h in hosts):
        return "s_client to a cloud metadata service or an option-like host"
    return None


#: less's initial commands: go to the end, follow, a line or percentage, a search; never
#: ``!`` (a shell), ``|``, ``v``, ``s`` (a log file) or ``:e`` (another file)
_LESS_COMMAND = re.compile(r"\+\+?(?:[GgF]|[0-9]+[gGp%]?|[/?][\x20-\x7e]*)")


def _check_less(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if o.startswith("+") and not _LESS_COMMAND.fullmatch(o):
            return f"{o!r} is a less command other than a move or a search"
    return None


def _check_ssh(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if c.pipe_from or c.heredoc is not None or any(r.op in ("<", "<<<") for r in c.redirects):
        return "ssh carries piped data to another host"
    _, strings = unwrap(c)
    return None if strings else "ssh without a remote command opens a shell on another host"


#: wrapper options that change nothing about what runs or where (never sudo -R/-D/-E/-s/-i/-e/-A,
#: env -S/-C, xargs -a/-o, watch -x, flock -c: a root, a directory, the environment, a shell,
#: an editor, a file of arguments, argv re-split) and the positionals before the command
WRAPPER_OPTS: dict[str, tuple[Opts, int]] = {
    "sudo": (opts("-u|--user:any -g|--group:any -n|--non-interactive -H|--set-home "
                  "-S|--stdin -b|--background -P|--preserve-groups -B|--bell -k|--reset-timestamp "
                  "-C|--close-from:num -T|--command-timeout:any -p|--prompt:any"), 0),
    "doas": (opts("-u:any -n"), 0),
    "nice": (opts("-n|--adjustment:any -NUM"), 0),
    "nohup": (opts(""), 0), "unbuffer": (opts(""), 0), "builtin": (opts(""), 0),
    # parse.NPX_TOOLS: which programs it may run at all
    "npx": (opts("-y|--yes --no-install --no -q|--quiet --prefer-offline --offline"), 0),
    "time": (opts("-p|--portability -v|--verbose -f|--format:any -o|--output:write "
                  "-a|--append -q|--quiet"), 0),
    # never -a NAME: argv[0] picks what a multi-call binary does (systemctl as reboot, pgrep as
    # pkill, bzcat as bzip2, every busybox applet): the entry of the program no longer applies
    "exec": (opts("-c -l"), 0),
    "setsid": (opts("-c|--ctty -f|--fork -w|--wait"), 0),
    "stdbuf": (opts("-i|--input:any -o|--output:any -e|--error:any"), 0),
    "ionice": (opts("-c|--class:any -n|--classdata:any -t|--ignore"), 0),
    "timeout": (opts("-s|--signal:any -k|--kill-after:any --preserve-status --foreground "
                     "-v|--verbose"), 1),
    "xargs": (opts("-0|--null -d|--delimiter:any -n|--max-args:num -L|--max-lines:num "
                   "-P|--max-procs:num -I:any -i|--replace:?any -r|--no-run-if-empty "
                   "-t|--verbose -s|--max-chars:num -x|--exit -E:any -e|--eof:?any"), 0),
    "watch": (opts("-n|--interval:num -d|--differences:?any -t|--no-title -b|--beep "
                   "-e|--errexit -g|--chgexit -c|--color -p|--precise -w|--no-wrap"), 0),
    "flock": (opts("-s|--shared -x|-e|--exclusive -n|--nonblock|--nb -w|--timeout|--wait:num "
                   "-E|--conflict-exit-code:num -o|--close --verbose -F|--no-fork"), 1),
    "chrt": (opts("-b|--batch -f|--fifo -i|--idle -o|--other -r|--rr -d|--deadline "
                  "-m|--max -v|--verbose -R|--reset-on-fork -T|--sched-runtime:num "
                  "-P|--sched-period:num -D|--sched-deadline:num"), 1),
    "taskset": (opts("-c|--cpu-list"), 1),
}


def _wrapper_options(c: SimpleCommand, words: tuple[str, ...]) -> str | None:
    spec = WRAPPER_OPTS.get(c.name)
    if spec is None:
        return None
    o, positionals = spec
    words = tuple(w for w in words if not SETTING.match(w))
    p = parse_opts(o, words)
    if isinstance(p, str):
        return f"{c.name} {p}"
    if len(p.ops) != positionals:
        return f"{c.name}: its options and the command it runs are not told apart"
    if c.name == "flock" and not _lock_file_ok(p.ops[0]):
        return f"flock creates its lock file {p.ops[0]!r} (an empty file is a switch in " \
               "system places: /etc/nologin, a masked unit)"
    return _values_ok(o, p.pairs)


#: where a lock file may be created: scratch, the lock directories (and the working tree)
_LOCK_DIRS = ("/tmp/", "/var/tmp/", "/var/lock/", "/run/lock/", "/dev/shm/")


def _lock_file_ok(path: str) -> bool:
    """flock opens its file with O_CREAT: a file descriptor number, a plain path in the
    working tree, or one below a lock or scratch directory (no dot-file, no ``..``)."""
    if path.isdigit():
        return True
    if not path or _EXPANSION.search(path) or "\\" in path or path.startswith("~"):
        return False
    parts = path.split("/")
    if any(s == ".." or (s.startswith(".") and s != ".") for s in parts):
        return False
    return not path.startswith("/") or norm(path).startswith(_LOCK_DIRS)


def _expanded_into_words(c: SimpleCommand, upto: int, skip: int = -1) -> str | None:
    """Why a word of a wrapper's or launcher's own (``argv[1:upto]``) may become several:
    a glob or brace bash expands (``timeout {5,rm,-rf,/data} ls`` runs ``rm -rf /data ls``;
    ``docker exec * ls`` runs the second file's name). The command the guard found would
    not be the one that runs."""
    for k in range(1, min(upto, len(c.argv))):
        if k != skip and _glob_word(c.argv[k]) and c.globs(k):
            return f"{c.argv[k]!r} is a glob or brace: bash may make it several words, and " \
                   "the command it runs another"
    return None


def _check_wrapper(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A wrapper is safe when its options are listed, the command it runs was found (and is
    classified itself) and the environment it sets (``env A=B cmd``) changes nothing that
    runs."""
    at, strings = unwrap_at(c)
    if at is None and not strings:
        return "runs something the guard cannot see"
    upto = at if at is not None else len(c.argv)
    if c.name == "flock" and at is None:  # flock [options] FILE -c STRING
        upto = next((k for k, a in enumerate(c.argv) if k > 1 and a in ("-c", "--command")),
                    len(c.argv))
    if c.name == "watch":  # watch runs its operands as one shell string
        upto = 1
        while upto < len(c.argv) and c.argv[upto].startswith("-"):
            upto += 2 if c.argv[upto] in ("-n", "--interval", "-d") and upto + 1 < len(
                c.argv) and c.argv[upto + 1][:1].isdigit() else 1
    why = _expanded_into_words(c, upto) or _wrapper_options(c, c.argv[1:upto])
    if why:
        return why
    for a in c.argv[1:upto]:
        if SETTING.match(a) and assignment_why(a, exported=True):
            return f"runs with {a.split('=', 1)[0]} set"
    return None


#: not -i/-u: they would drop the environment every command starts with (guard/pinned_env.py)
_ENV_OPTS = opts("-0|--null -v|--debug")


def _check_env(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``env`` alone prints the environment; with a command it is a wrapper."""
    if all(a in ("-0", "--null") for a in rest):
        return None
    at, _ = unwrap_at(c)
    upto = at if at is not None else len(c.argv)
    p = parse_opts(_ENV_OPTS, tuple(a for a in c.argv[1:upto] if not SETTING.match(a)))
    if isinstance(p, str) or p.ops:
        return f"env {p if isinstance(p, str) else 'with an operand it does not run'}"
    return _check_wrapper(c, rest, ops, pairs)


def _names_the_container(c: SimpleCommand, i: int) -> bool:
    """``c.argv[i]`` is where a launcher's container goes, and prints only container ids or
    pod names (``docker exec $(docker ps -qf name=web) ls``): where the command runs."""
    got = launch(c.name, c.args)
    return got is not None and got.where == i and names_containers(c.argv[i])


def _check_remote_exec(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A command run in a container is judged on its own (parse.py unwraps it); here the
    launcher's options: listed, their values ordinary, the environment it sets inside changes
    nothing that runs, an env file on this host is read like any file."""
    got = launch(c.name, c.args) if c.name in LAUNCHERS else None
    if got is None:
        return "runs something the guard cannot see"
    if got.why:
        return got.why
    if got.at is None or got.ordinary is None:
        return "runs no command the guard can see"
    # a lister's substitution (``$(kubectl get pod -o jsonpath='{...}')``) is judged whole
    lister = got.where if got.where is not None and names_containers(c.argv[got.where]) \
        else -1
    why = _expanded_into_words(c, got.at, lister)
    if why:
        return why
    why = _values_ok(got.ordinary, got.pairs)
    if why:
        return why
    for v in got.values("-e"):
        name, eq, _ = v.partition("=")
        # ``-e NAME`` passes this host's value in: a secret's would be printed inside
        setting = v if eq else f"{name}="
        if not SETTING.match(setting) or assignment_why(setting, exported=True) or (
                not eq and secret_name(name)):
            return f"runs with {name} set"
    for f in got.values("--env-file"):
        if secretish(f):
            return f"reads {f!r}, which could be a secret"
    return None


def _check_shell_c(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``bash -c STRING``: the string is parsed and classified; extra words become $0, $1..."""
    _, strings = unwrap(c)
    if not strings:
        return "a shell with a script file or stdin runs code the guard cannot see"
    if any(a in ("-s", "-i", "--rcfile", "--init-file") or a.startswith("--rcfile")
           for a in rest):
        return "a shell that also reads stdin or an rc file"
    return None


#: a brace alternative that starts with ``-``; a leading bracket expression that can match
#: ``-`` (negated, a range, a class); JMESPath's ``[].name`` or ``[?x=='y']`` cannot
_BRACE_OPTION = re.compile(r"[{,]-")
_BRACKET = re.compile(r"^\[(\]?[^\]]*+)\]")


def _expands_to_option(w: str) -> bool:
    """Could the shell expand ``w`` into words of which one starts with ``-``?"""
    if w[:1] in ("*", "?") or ("{" in w and _BRACE_OPTION.search(w)):
        return True
    m = _BRACKET.match(w) if w[:1] == "[" else None
    return m is not None and (m.group(1)[:1] in ("!", "^") or "-" in m.group(1) or
                              "[:" in m.group(1))


def _check_cloud(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """aws/gcloud/az/gsutil/doctl: the CLI's own options from its allow-list (wherever they
    stand), a read-only command path that returns no secret, parameter values that load no
    file, and downloads only into the working tree or /tmp (``cloud.py`` holds the data)."""
    cli = c.name
    if c.via[-1:] in (("xargs",), ("parallel",)) or any(v.startswith("find -") for v in
                                                        c.via[-1:]):
        return "its arguments come from elsewhere"
    if any(c.dynamic[1:]):
        return "a computed word"
    # a quoted pattern (``--exclude "*.tmp"``) is the CLI's own, never the shell's glob
    globbed = {w for w, g in zip(c.argv, c.globbed, strict=True) if g} \
        if len(c.globbed) == len(c.argv) else set(rest)
    for w in rest:
        if w in globbed and _expands_to_option(w):
            return f"{w!r} could expand into an option"
    call = cloud.parse_call(cli, rest)
    if isinstance(call, str):
        return call
    why = cloud.read_only(cli, call)
    if why:
        return why
    secret = cloud.secret_operation(cli, call)
    if secret and not projection_hides(c, secret):
        return f"returns {secret}"
    path = cloud.command_path(cli, call)
    deploy = cli == "aws" and tuple(path[:2]) in cloud.AWS_DEPLOY
    if deploy:
        why = _aws_deploy_why(path[1], call)
        if why:
            return why
    values = [v for k, v in call.options if v is not None and not (
        deploy and k == "--zip-file") and not (
        k == "--queue-url" and cloud.AWS_QUEUE_URL.fullmatch(v))] + list(call.operands)
    if cli == "aws" and any(cloud.AWS_FILE_VALUE.match(v) for v in values):
        return "a parameter value read from a file or URL"
    if cli == "az" and any(v.startswith("@") for v in values):
        return "a parameter value read from a file (@file)"
    if cli == "gcloud" and any("file" in k for k, _ in call.options):
        return "a flag that reads a file"
    if not path:
        return None  # aws --version
    if deploy:
        return None  # its parameters and their values were judged above
    # (red team s16) a copy or print of a bucket object named for a secret, as of a file
    if not (set(path) & _CLOUD_NAME_VERBS):
        bad = [v for v in values if secret_object(v)]
        if cli == "aws" and path[:1] == ("s3api",):
            bad += [f"s3://{dict(call.options).get('--bucket', '')}/{v}"
                    for k, v in call.options if k == "--key" and v and
                    secret_object(f"s3://b/{v}")]
        if bad:
            return f"reads {bad[0]!r}, which could be a secret"
    if cli == "aws":
        if path[0] == "s3":
            return _s3_places(path[1], call, "s3://")
        # the only positional of an aws operation is a streaming download's output file;
        # for those operations any word may be it (a boolean parameter takes no value)
        if path[1:2] == ("wait",):  # one waiter's name
            return None if len(call.operands) == 1 and re.fullmatch(
                r"[a-z0-9][a-z0-9-]{0,80}", call.operands[0]) else "not one waiter's name"
        words = [] if tuple(path[:2]) in cloud.AWS_NAME_OPERANDS else list(call.operands)
        if tuple(path[:2]) in cloud.AWS_OUTFILE:
            words += [v for _, v in call.options if v is not None]
        bad = [o for o in words if not safe_write_target(o, True)]
        return f"writes {bad[0]!r}: a dot-file, code or outside the tree" if bad else None
    if cli == "gcloud" and path[:1] == ("storage",) and any(
            not o.startswith("gs://") for o in call.operands):
        return f"gcloud storage {path[1]} of a local path"
    if cli == "gsutil":
        if path[0] == "cp":
            return _s3_places("cp", call, "gs://")
        if path[0] in ("ls", "du", "cat", "stat") and any(
                not o.startswith("gs://") for o in call.operands):
            return f"gsutil {path[0]} of a local path"
    return None


#: cloud storage verbs that print an object's name or size, never its content
_CLOUD_NAME_VERBS = frozenset({"ls", "du", "stat", "list", "head-object", "list-objects",
                               "list-objects-v2", "list-object-versions", "mb", "rb", "rm"})


def _aws_deploy_why(op: str, call: cloud.Call) -> str | None:
    """The values of an ordinary deploy step (``cloud.AWS_DEPLOY``): a count above zero, a
    lambda's code from a release archive in the tree; list values only for --paths."""
    given = dict(call.options)
    if call.operands and op != "create-invalidation":
        return f"{call.operands[0]!r} is not a parameter value"
    count = given.get("--desired-count")
    if "--desired-count" in given and not (count and count.isdigit() and int(count) > 0):
        return "--desired-count must be above zero (zero stops the service)"
    zipfile = given.get("--zip-file")
    if zipfile is not None:
        local = zipfile[len("fileb://"):] if zipfile.startswith("fileb://") else ""
        if not (_in_tree(local) and re.search(r"\.(zip|jar)$", local)):
            return f"--zip-file {zipfile!r} is not a release archive in the working tree"
    return None


def _s3_places(verb: str, call: cloud.Call, scheme: str) -> str | None:
    """``s3 ls`` of buckets; ``cp`` only from buckets: one file into the working tree or /tmp
    (under its own name when the destination is a directory), a recursive copy only into a
    named subdirectory (as an archive: the objects' names are the bucket's, ``.bashrc``)."""
    ops = call.operands
    if verb == "ls":
        return None if all(o.startswith(scheme) for o in ops) else "ls of a local path"
    if len(ops) < 2 or not all(o.startswith(scheme) for o in ops[:-1]):
        return "an upload (only downloads from a bucket are known safe)"
    dest, sources = ops[-1], ops[:-1]
    recursive = any(k in ("--recursive", "-r", "-R") for k, _ in call.options)
    if dest.startswith(scheme):
        return "a copy between buckets"
    if dest == "-" and not recursive:
        return None
    if recursive:
        ok = extract_dir_ok(dest)
    elif dest in (".", "./") or dest.endswith("/"):
        ok = all(safe_write_target(posixpath.join(dest, s.rstrip("/").rsplit("/", 1)[-1]),
                                   True) for s in sources)
    else:
        ok = safe_write_target(dest, True)
    return None if ok else f"downloads into {dest!r}: a dot-file, a file whose content runs, " \
        "the working directory itself or outside the working tree and /tmp"


def _check_out(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``-o FILE`` / ``--output FILE`` / ``--target-dir D``: an ordinary place to write."""
    for i, a in enumerate(rest):
        val = None
        if a in ("-o", "--output", "--target-dir") and i + 1 < len(rest):
            val = rest[i + 1]
        elif a.startswith(("--output=", "--target-dir=")):
            val = a.split("=", 1)[1]
        if val is not None and not safe_write_target(val):
            return f"writes {val!r} outside the working directory"
    return None


_MVN = opts(jvm_build.MVN_OPTS, "go")


def _check_mvn(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """mvn/mvnw: options from ``jvm_build.MVN_OPTS`` (``-Dx=y`` split as commons-cli does),
    listed ``-D`` properties, lifecycle phases and listed ``prefix:goal`` only."""
    p = parse_opts(_MVN, jvm_build.maven_split(rest))
    if isinstance(p, str):
        return p
    why = _values_ok(_MVN, p.pairs)
    if why:
        return why
    bad = [o for o in p.ops if o not in jvm_build.MVN_PHASES and o not in jvm_build.MVN_GOALS]
    return f"{bad[0]!r} is not a listed lifecycle phase or plugin goal" if bad else None


def _check_gradle(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """gradle/gradlew: listed tasks by their full names (of a plain project path)."""
    bad = [o for o in ops if not jvm_build.gradle_task(o)]
    return f"{bad[0]!r} is not a listed task" if bad else None


def _check_no_stdin(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Look-up tools that read queries from stdin would carry piped data off the host."""
    if c.pipe_from or c.heredoc is not None or any(r.op in ("<", "<<<") for r in c.redirects):
        return "reads queries from stdin (piped data would leave the host)"
    if not ops and c.name == "nslookup":
        return "interactive nslookup reads the agent's stdin"
    return None


_SHELL_OPTS = re.compile(r"^[-+][euxvCo]+$|^(pipefail|errexit|nounset|xtrace|verbose|"
                         r"noclobber)$")


def _check_set(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [a for a in rest if not _SHELL_OPTS.match(a)]
    return f"set {bad[0]!r} changes how the shell runs" if bad else None


def _check_trap(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``trap -p``, ``trap -l``, ``trap - SIG`` show or reset traps; any other sets one."""
    return "trap sets an action" if trap_setting(c.args, c.dynamic[1:]) is not None else None


def _check_read(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for a in ops:
        if _SPECIAL_NAME.match(a) or _SPECIAL_VAR.match(a):
            return f"read into {a}, which changes what later commands do"
    return None


def _check_date(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``date +FORMAT`` prints; any other operand (MMDDhhmm[[CC]YY][.ss]) sets the clock."""
    bad = [o for o in ops if not o.startswith("+")]
    return f"date {bad[0]!r} sets the clock" if bad else None


def _check_crontab(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Only ``crontab -l``: without it crontab installs a table from a file or stdin."""
    listing = any(k == "-l" for k, _ in pairs or ())
    return None if listing and not ops else "crontab installs a table (only -l lists)"


_JQ_REACH = re.compile(r"\$ENV|\$__prog_args|(?<![.\w$])(env|strenv|envsubst|input_filename|"
                       r"load\w*|eval|import|include|get_search_list)\b")


def _check_jq(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """The filter (jq's first operand, yq's first after ``e``/``eval``) reads no environment,
    file or module, and evaluates no string as a filter (yq's ``eval``: the string may be
    built, ``"lo" + "ad_str(...)"``, or come from the document)."""
    words = [o for o in ops if o not in ("e", "eval", "ea", "eval-all")] if c.name == "yq" \
        else list(ops)
    if words and _JQ_REACH.search(words[0]):
        return "a filter that reads the environment, a file or a module"
    if c.name == "yq" and any(k == "-i" for k, _ in pairs or ()):
        # in place: files of the working tree only, as sed -i
        bad = [f for f in words[1:] if not safe_write_target(f)]
        if bad or not words[1:]:
            return f"yq -i edits {bad[0] if bad else 'no file'!r}: a dot-file or outside the tree"
    return None


def _check_zip(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # an archive is content the agent chose: never onto a name whose content runs (python
    # runs a zip's __main__.py whatever the file is called) (red team s11)
    if not ops or not safe_write_target(ops[0], True):
        return "zip writes its archive outside the working directory or onto code"
    return None


def _check_git_mv(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A rename inside the tree; onto a file whose content runs only from another such file
    (``git mv notes.txt Makefile`` makes data the agent wrote into a build file)."""
    if len(ops) < 2:
        return "git mv needs a source and a destination"
    for o in ops:
        if not _in_tree(o) or any(p.startswith(".") and p != "." for p in o.split("/")):
            return f"{o!r} is outside the working tree or a dot-file"
    dest = ops[-1]
    if _CODE_FILE.search(dest.rstrip("/")) and not all(_CODE_FILE.search(o) for o in ops[:-1]):
        return f"renames data onto {dest!r}, a file whose content runs"
    return None


def _check_batch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if any(k == "-b" for k, _ in pairs or ()):
        return None
    return f"interactive {c.name} takes commands from the agent's stdin"


def _check_sysctl(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if "=" in o]
    return f"sysctl {bad[0]!r} sets a kernel parameter" if bad else None


_NPM_PKG = re.compile(r"^(@[a-z0-9][\w.-]*/)?[a-z0-9_][\w.-]*(@[\w.^~<>=*| -]+)?$", re.I)


def _check_npm_packages(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """npm/yarn/pnpm add: names (and versions or tags) from the registry; never a GitHub
    shorthand (``user/repo``), a URL, a path, a tarball or ``name@file:``/``name@git+``."""
    for o in ops:
        if not _NPM_PKG.match(o) or ":" in o:
            return f"{o!r} installs from elsewhere than the registry"
    return None


_CHART_REF = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


#: --set keys (their last component) that scale to zero when 0, or that give a workload the
#: host or another program (red team s10: the values a chart passes to a pod spec)
_HELM_REPLICAS = re.compile(r"(?i)(replica(s|count)?|minreplicas|maxreplicas|scale|"
                            r"instances|workers)$")
_HELM_PRIVILEGE = re.compile(
    r"(?i)^(privileged|host(network|pid|ipc|path|ports?)|allowprivilegeescalation|"
    r"capabilities|runasuser|runasnonroot|command|args|lifecycle|initcontainers|"
    r"extravolumes|extravolumemounts|volumes|volumemounts|securitycontext|"
    r"serviceaccount(name)?|automountserviceaccounttoken)$")


def _zero(v: str) -> bool:
    """A value YAML or a template may read as the number zero (``0``, ``00``, ``-0``,
    ``0.0``, ``0e0``, ``0x0``, ``0o0``), quoted or not."""
    v = v.strip(" '\"")
    try:
        return float(v) == 0 or int(v, 0) == 0
    except ValueError:
        try:
            return int(v, 0) == 0
        except ValueError:
            return False


def _json_items(key: str, val: str) -> list[tuple[str, str]]:
    """``--set-json KEY=JSON``: every nested key of the value, with its scalar (``web=
    {"replicaCount": 0}`` is ``web.replicaCount=0``); unreadable JSON is the pair itself."""
    try:
        doc = json.loads(val)
    except ValueError:
        return [(key, val)]
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [(key, doc)]
    while stack and len(out) < 1024:
        k, v = stack.pop()
        if isinstance(v, dict):
            stack.extend((f"{k}.{kk}", vv) for kk, vv in v.items())
        elif isinstance(v, list):
            stack.extend((k, vv) for vv in v)
        else:
            out.append((k, json.dumps(v)))
    return out


def _helm_set_why(pairs: Pairs) -> str | None:
    items: list[tuple[str, str]] = []
    for k in ("--set", "--set-string", "--set-json"):
        for v in _option_values(pairs, k):
            if k == "--set-json":
                key, _, val = v.partition("=")
                items += _json_items(key, val)
            else:
                items += [(i.partition("=")[0], i.partition("=")[2])
                          for i in re.split(r"(?<!\\),", v)]
    for key, val in items:
        last = re.sub(r"\[\d*\]$", "", key.rsplit(".", 1)[-1].strip())
        if _HELM_REPLICAS.search(last) and _zero(val):
            return f"--set {key}={val} scales to zero"
        if any(_HELM_PRIVILEGE.match(re.sub(r"\[\d*\]$", "", k)) for k in key.split(".")):
            return f"--set {key} gives the workload the host, privileges or another program"
        why = _helm_key_why(key, val)
        if why:
            return why
    return None


#: (ops16) the --set keys a rollout changes: an image's tag, a replica count, resources
_HELM_COUNTS = frozenset({"replicacount", "replicas", "minreplicas", "maxreplicas"})


def _helm_key_why(key: str, val: str) -> str | None:
    """(ops16) --set keys are an allow-list: a rollout sets an image's ``tag`` (to one a
    registry keeps, never ``latest``), a replica count (a number from 1 to MAX_REPLICAS),
    ``resources`` (requests and limits), an ingress's host name. Any other key
    (auth.enabled, image.repository, networkPolicy, a probe, an annotation) changes what the
    release is."""
    parts = [re.sub(r"\[\d*\]$", "", k).strip() for k in key.split(".")]
    if not all(re.fullmatch(r"[A-Za-z0-9_-]+", k) for k in parts):
        return f"--set {key!r}: not a plain key"
    v = val.strip(" '\"")
    last = parts[-1]
    if last == "tag":
        return None if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", v) and \
            v.lower() not in _MUTABLE_TAGS else \
            f"--set {key}={val}: a tag a registry moves, not a pinned one"
    if last.lower() in _HELM_COUNTS or _HELM_REPLICAS.search(last):
        return None if v.isdigit() and 0 < int(v) <= MAX_REPLICAS else \
            f"--set {key}={val}: a replica count from 1 to {MAX_REPLICAS} only"
    if "resources" in parts[:-1] and re.fullmatch(r"[0-9]+(\.[0-9]+)?[A-Za-z]{0,2}", v):
        return None
    # the name an ingress routes to the release (never enabling one, a class, TLS or paths)
    if parts[0] == "ingress" and last == "host" and re.fullmatch(r"[a-z0-9][a-z0-9.-]*", v) \
            and "." in v:
        return None
    return f"--set {key}: only image tags, replica counts and resources are set on a rollout"


def _check_helm_chart(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """install/upgrade/template: the chart is ``repo/chart`` or a directory in the tree."""
    why = _helm_set_why(pairs)
    if why:
        return why
    # (harmful set s16) what prints the release: its values (an admin password the chart
    # took) and its manifest (the Secrets it renders): -o yaml/json, --debug, a server-side
    # dry run (whose templates may look up the cluster's Secrets) and any dry run of the
    # release's own values (--reuse-values); helm template renders the tree's values only
    keys = {k for k, _ in pairs or ()}
    dry = _option_values(pairs, "--dry-run")
    outs = [v.lower() for v in _option_values(pairs, "-o")]
    if "--debug" in c.argv or any(o != "table" for o in outs) or any(
            v and v.lower().lstrip("=") == "server" for v in dry) or (
            "--dry-run" in keys and keys & {"--reuse-values"}):
        return "prints the release: its values and the Secrets its manifest renders"
    chart = ops[1] if len(ops) > 1 else (ops[0] if ops else "")
    if chart and not (_CHART_REF.match(chart) or _in_tree(chart)):
        return f"chart {chart!r} is not from a configured repository or the working tree"
    if chart.endswith((".tgz", ".tar.gz")):
        return f"chart {chart!r} is a packaged file"
    return None


#: a glob the shell expands to names in the working tree only, never an option: its first
#: character is a plain one, no brace (``src/{..,x}`` leaves the tree), no expansion, no
#: ``..`` (``src/*.py``, ``test_*.py``; not ``*.py``, which may match ``--config=x.py``)
_TREE_GLOB = re.compile(r"[A-Za-z0-9_][^{}$`\\]*+")


#: a brace of plain alternatives inside a name (``*.{ts,tsx}``): each expansion (bash's, or
#: the tool's own glob) differs only in that part of one name, never a ``/``, dot or dash
_NAME_BRACE = re.compile(r"\{[A-Za-z0-9_]++(?:,[A-Za-z0-9_]++)++\}")


#: the last name of a linter's or formatter's glob that selects source files only
#: (``src/**/*.{ts,tsx}``): they report on code, never print a secret file whole
_SOURCE_GLOB_NAME = re.compile(
    r"\*\.(?:\{(?:ts|tsx|js|jsx|mjs|cjs|vue|svelte|css|scss|less|html|go|rs|rb|java|kt|py|php|c|h|"
    r"cc|cpp|hpp|cs|swift|md|mdx)(?:,(?:ts|tsx|js|jsx|mjs|cjs|vue|svelte|css|scss|less|html|go|rs|"
    r"rb|java|kt|py|php|c|h|cc|cpp|hpp|cs|swift|md|mdx)){0,12}\}|ts|tsx|js|jsx|mjs|cjs|vue|svelte|"
    r"css|scss|less|html|go|rs|rb|java|kt|py|php|c|h|cc|cpp|hpp|cs|swift|md|mdx)")


def _source_glob(shape: Shape, c: SimpleCommand, value: str, pairs: Pairs) -> bool:
    """A tree glob a linter, formatter or coverage report takes as a filter of source files
    (``eslint 'src/**/*.{ts,tsx}'``, ``coverage report --omit='tests/*'``): not a read of
    whatever secret the glob might also match."""
    if not _tree_glob(value):
        return False
    if c.name == "coverage" and value in _option_values(pairs, "--include", "--omit"):
        return True
    return shape.check in _TREE_GLOB_CHECKS and \
        _SOURCE_GLOB_NAME.fullmatch(value.rsplit("/", 1)[-1]) is not None


def _tree_glob(a: str) -> bool:
    a = _NAME_BRACE.sub("x", a) if "{" in a else a
    # a component that starts with a dot or a bracket may match ``..`` (``src/.*/.*``)
    return bool(_TREE_GLOB.fullmatch(a)) and not _EXTGLOB.search(a) and not any(
        p.startswith(("..", "[")) or (p.startswith(".") and p != ".") for p in a.split("/"))


#: more lines than this from ``shuf -r`` is a disk filled, not a sample
_SHUF_MAX = 1_000_000


def _check_shuf(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``shuf -r`` repeats without end unless ``-n`` bounds it."""
    if not any(k == "-r" for k, _ in pairs or ()):
        return None
    counts = _option_values(pairs, "-n")
    if not counts or not all(n.isdigit() and int(n) <= _SHUF_MAX for n in counts):
        return "shuf -r repeats without end (or past any sample) unless -n bounds it"
    return None


_GIT_ADD_ALL = frozenset({"-A", "-u"})


def _check_git_add(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``git add -f`` adds what .gitignore keeps out (.env, keys, dumps): only named files,
    never a whole tree, ``-A``/``-u`` or a pathspec glob (red team s10: ``git add -Af && git
    push`` sends every ignored secret to the remote)."""
    given = {k for k, _ in pairs or ()}
    if "-f" not in given:
        return None
    if given & _GIT_ADD_ALL or not ops:
        return "git add -f of the whole tree adds the files .gitignore keeps out"
    for o in ops:
        base = o.rstrip("/").rsplit("/", 1)[-1]
        if o.endswith("/") or _lexical(o) in _HERE or "." not in base.lstrip(".") or \
                _GLOB.search(o) or o.startswith(":"):
            return f"git add -f {o!r}: a directory or pathspec adds the files .gitignore keeps out"
    return None


def _check_in_tree(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Tools that load configuration or code next to what they are given (conftest.py,
    .eslintrc.js, playbooks): every operand is in the working tree."""
    for o in ops:
        o1 = o.split("::", 1)[0]
        if not (_in_tree(o1) or _placed_site(o1)) and not (_GLOB.search(o) and _tree_glob(o)):
            return f"{o!r} is outside the working tree (its configuration or code would load)"
    return None

def _check_tf_fmt(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``terraform fmt -check`` writes nothing and lists only names: the directories above
    the working one too (``-check -recursive ../..``); never a file outside the tree (its
    errors quote the lines they fail on), never with -diff (prints what the files hold)."""
    keys = {k for k, _ in pairs or ()}
    if "-check" in keys and not keys & {"-diff", "-write"}:
        ops = tuple(o for o in ops if not all(p in ("..", ".", "") for p in o.split("/")))
    return _check_in_tree(c, rest, ops, pairs)


def _check_in_tree_or_stdin(c: SimpleCommand, rest: Words, ops: Words,
                             pairs: Pairs) -> str | None:
    """A validator of documents (kubeconform): ``-`` is its standard input, data it checks,
    never configuration it loads."""
    return _check_in_tree(c, rest, tuple(o for o in ops if o != "-"), pairs)


_GO_RUN_FLAGS = re.compile(r"-(?:race|v|x|trimpath|mod=(?:mod|readonly|vendor)|"
                           r"tags=[A-Za-z0-9_,.]*+|count=[0-9]++)")


def _check_go_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``go run [flags] PACKAGE [ARGS]``: the tree's main package (``.``, ``./cmd/x``, its
    ``.go`` files), never a module from elsewhere (``pkg@version``); its arguments are held
    to the site programs' checks."""
    i = 0
    while i < len(rest) and _GO_RUN_FLAGS.fullmatch(rest[i]):
        i += 1
    at = i
    while i < len(rest) and rest[i].endswith(".go") and _SITE_GO.fullmatch(rest[i]):
        i += 1  # go run main.go util.go
    if i == at:
        if i >= len(rest) or not (rest[i] == "." or (rest[i].startswith("./") and
                                                     _SITE_GO.fullmatch(rest[i]))):
            return "go run of a package outside the working tree (or an unknown flag)"
        i += 1
    return _site_args_why(c, 2 + i, "go run")


_SITE_GO = re.compile(r"\A(?:\./)?+(?:[A-Za-z0-9_][A-Za-z0-9_.-]*+/)*+[A-Za-z0-9_][A-Za-z0-9_.-]*+"
                      r"(?:/\.\.\.)?+\Z")



CHECKS: dict[str, Check] = {
    "sed": _check_sed, "find": _check_find, "tar": _check_tar, "sql": _check_sql,
    "sqlite": _check_sqlite, "redis": _check_redis, "chmod": _check_chmod,
    "units": _check_units, "targets": _check_targets, "packages": _check_packages,
    "kubectl-get": _check_kubectl_get, "scale": _check_scale, "curl": _check_curl,
    "set-image": _check_set_image, "compose-project": _check_compose_project,
    "wget": _check_output_opt, "copy": _check_copy, "dest": _check_dest,
    "ssh": _check_ssh, "rsync": _check_rsync, "env": _check_env, "unzip": _check_unzip,
    "out": _check_out, "tree": _check_tree, "ps": _check_ps,
    "compose-file": _check_compose_file, "mvn": _check_mvn, "gradle": _check_gradle,
    "no-stdin": _check_no_stdin,
    "set": _check_set, "read": _check_read, "trap": _check_trap, "wrapper": _check_wrapper,
    "remote-exec": _check_remote_exec,
    "shell-c": _check_shell_c, "go-run": _check_go_run, "cloud": _check_cloud, "date": _check_date,
    "crontab": _check_crontab, "jq": _check_jq, "zip": _check_zip, "git-mv": _check_git_mv,
    "helm-chart": _check_helm_chart, "in-tree": _check_in_tree,
    "in-tree-or-stdin": _check_in_tree_or_stdin, "tf-fmt": _check_tf_fmt,
    "npm-packages": _check_npm_packages, "batch": _check_batch,
    "sysctl-read": _check_sysctl, "tls-client": _check_tls_client, "less": _check_less,
    "rmdir": _check_rmdir, "shuf": _check_shuf, "git-add": _check_git_add,
    "psql": _check_psql,
}
# the core readers' checks and value kinds (core_opts.py: diff's trees, lsof's + options)
CHECKS.update(CORE_CHECKS)
KINDS.update(CORE_KINDS)

# --- the catalogue -------------------------------------------------------------------------------
# Option allow-lists (``options.opts``): "spelling|spelling:kind"; see KINDS for the kinds.
_SED_OPTS = opts("-n|--quiet|--silent -e|--expression:sed -E|-r|--regexp-extended --posix "
                 "--debug --sandbox -u|--unbuffered -z|--null-data -l|--line-length:num "
                 "-i|--in-place:??suffix -s|--separate")
_MAKE_OPTS = opts("-j|--jobs:?num -k|--keep-going -n|--just-print|--dry-run|--recon "
                  "-s|--silent|--quiet -B|--always-make -i|--ignore-errors -q|--question "
                  "-w|--print-directory --no-print-directory -O|--output-sync:?any "
                  "-l|--load-average|--max-load:?num -r|--no-builtin-rules "
                  "-R|--no-builtin-variables -d --debug:?any -p|--print-data-base --trace "
                  "-W|--what-if|--new-file|--assume-new:any -o|--old-file|--assume-old:any "
                  "--warn-undefined-variables -S|--no-keep-going|--stop "
                  # GNU make's version: printed before any makefile is read, then it exits
                  "-v|--version "
                  # a directory of the tree (flow.py runs the build there)
                  "-C|--directory:intree")
_NPM_COMMON = ("-s|--silent -q|--quiet -d|--loglevel:any --if-present --ignore-scripts "
               "-w|--workspace:any --workspaces --include-workspace-root --no-audit --no-fund "
               "--color:?any --no-color --foreground-scripts ")
_NPM_RUN = opts(_NPM_COMMON)
_NPM_INSTALL = opts(_NPM_COMMON + "--frozen-lockfile --immutable --pure-lockfile "
                    "--prod --check-files --non-interactive -D|--save-dev -S|--save "
                    "-E|--save-exact -O|--save-optional "
                    "-P|--save-prod --no-save -g|--global --production --omit:any "
                    "--include:any --legacy-peer-deps --strict-peer-deps --prefer-offline "
                    "--prefer-online --no-package-lock --dry-run -f|--force")
_PIP_INSTALL = opts("-r|--requirement:intree -c|--constraint:intree -e|--editable:editable "
                    "-U|--upgrade --user -q|--quiet -v|--verbose --no-cache-dir --no-deps "
                    "--pre --upgrade-strategy:any --force-reinstall -I|--ignore-installed "
                    "--no-warn-script-location --disable-pip-version-check --progress-bar:any "
                    "--only-binary:any --no-binary:any --prefer-binary --require-hashes "
                    "--dry-run --break-system-packages --no-build-isolation "
                    "--root-user-action:any --timeout:num --retries:num --no-input "
                    "--no-color --compile --no-compile")
#: one list for apt-get/apt/yum/dnf/apk/brew: letters that mean the same harmless thing
#: wherever they exist (never -o/-c/-C/-X/-p: an option, a config, a cache, a repository, a root)
_PKG_OPTS = opts("-y|--yes|--assume-yes|--assumeyes -q|--quiet -v|--verbose "
                 "--no-install-recommends --install-recommends --only-upgrade --reinstall "
                 "-s|--simulate|--dry-run|--just-print -d|--download-only -f|--fix-broken "
                 "-m|--fix-missing|--ignore-missing -V|--verbose-versions --no-upgrade "
                 "-t|--target-release|--virtual:any --refresh --best --nobest --no-cache "
                 "-U|--update-cache --cask --formula --upgradable --installed --all-versions "
                 "--names-only --full -a|--all --security --list")
_GLOBAL_K8S = K8S_GLOBAL
#: docker/podman/compose exec and compose run, kubectl/oc exec: the launcher's options here
#: (remote_exec.py), the command it runs in the container judged on its own (parse.py)
_REMOTE_EXEC = Shape(check="remote-exec", dynamic_ok=True, secrets_ok=True)
_K8S_READ = ("-o|--output:any -l|--selector:any --field-selector:any -A|--all-namespaces "
             "-w|--watch --watch-only --show-labels -L|--label-columns:any --sort-by:any "
             "--no-headers --show-kind --ignore-not-found --template:any "
             "--show-managed-fields --output-watch-events --chunk-size:num --all "
             "--allow-missing-template-keys:?any ")
_K8S_FILES = "-f|--filename:manifest -k|--kustomize:manifest -R|--recursive "
_HELM_GLOBAL = "-n|--namespace:any --kube-context:any --debug "
_DOCKER_GLOBAL = DOCKER_GLOBAL
#: never -f (overwrites), -r (every file of a tree), -S (another suffix: another output name)
_GZIP = opts("-d|--decompress|--uncompress -c|--stdout|--to-stdout -k|--keep -l|--list "
             "-t|--test -v|--verbose -q|--quiet -n|--no-name -N|--name --fast --best "
             "--rsyncable -NUM")
#: never -o (writes), --compress-program (runs), --files0-from / --random-source (read files)
_SORT = Shape(allow=opts(
    "-n|--numeric-sort -r|--reverse -u|--unique -k|--key:any -t|--field-separator:any "
    "-h|--human-numeric-sort -V|--version-sort -f|--ignore-case -b|--ignore-leading-blanks "
    "-d|--dictionary-order -g|--general-numeric-sort -i|--ignore-nonprinting "
    "-M|--month-sort -R|--random-sort -s|--stable -c --check:?any -C -m|--merge "
    "-z|--zero-terminated -S|--buffer-size:any -T|--temporary-directory:wdir "
    "--parallel:num --debug --sort:any"))
_WRAP = Shape(check="wrapper", dynamic_ok=True, secrets_ok=True)
_BUILD = Shape(check="make-targets", allow=_MAKE_OPTS)
_PKG_DENY = ("-o", "--option", "--allow-unauthenticated", "--force-yes", "--nogpgcheck",
             "--setopt", "--repofrompath", "--allow-untrusted", "--no-verify", "--trusted-host",
             "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--root",
             "--installroot", "--prefix", "--target", "-t", "--script-shell", "--registry",
             "--allow-downgrades", "--allow-remove-essential", "--allow-change-held-packages",
             "--config", "-c")
_INSTALL = Shape(check="packages", allow=_PKG_OPTS)
#: deny first: real pip options whose full name is a prefix of an allowed one
_PIP = Shape(check="packages", allow=_PIP_INSTALL, deny=("--root", "--pre=*"))
#: never --config, -Z, --manifest-path, --target-dir, -C, --open
_CARGO = Shape(allow=opts(
    "--release -r --all-targets --workspace --all -p|--package:any -F|--features:any "
    "--all-features --no-default-features --lib --bins --bin:any --tests --test:any "
    "--examples --example:any --benches --bench:any -j|--jobs:num --target:any --locked "
    "--frozen --offline -q|--quiet -v|--verbose --color:any --message-format:any --no-run "
    # clippy --fix applies the linter's own suggestions (as eslint --fix)
    "--fix --allow-dirty --allow-staged --allow-no-vcs "
    "--no-fail-fast --doc --check --no-deps --depth:num -e|--edges:any -i|--invert:any"))
_PKG_Q = Shape(allow=_PKG_OPTS)


_GO_BUILD = opts("-a -n -p:num -race -msan -asan -cover -coverpkg:any -covermode:any -v "
                 "-work -x -tags:any -trimpath -mod:any -modcacherw -buildvcs:any "
                 "-buildmode:any -ldflags:ldflags -installsuffix:any -linkshared", "go")
_GO_TEST = opts("-run:any -bench:any -benchtime:any -benchmem -count:num -cpu:any -failfast "
                "-json -list:any -parallel:num -short -shuffle:any -skip:any -timeout:any "
                "-vet:any -coverprofile:write -cpuprofile:write -memprofile:write "
                "-blockprofile:write -mutexprofile:write -outputdir:wdir -fuzz:any "
                "-fuzztime:any -c -o:write", "go")


_MYSQL_OPTS = opts(
    "-e|--execute:any -u|--user:any -h|--host:any -P|--port:num -D|--database:any "
    "-N|--skip-column-names -B|--batch -s|--silent -t|--table -E|--vertical -r|--raw "
    "-X|--xml -H|--html --protocol:any -S|--socket:any --ssl-mode:any -p|--password:??any "
    "-v|--verbose --connect-timeout:num -A|--no-auto-rehash --default-character-set:any "
    "--column-names --safe-updates|--i-am-a-dummy -U -V|--version")


def _linter(spec: str) -> Shape:
    """A linter or formatter: listed options only (never a config, plugin or rules path),
    operands in the working tree."""
    return Shape(check="in-tree", allow=opts(spec))


_PYTEST = _linter("-x|--exitfirst -q|--quiet -v|--verbose -s --capture:any -k:any -m:any "
                  "-n|--numprocesses:any --maxfail:num -r:any -l|--showlocals "
                  # pytest-xdist's scheduling by mode name (never --tx: popen//python=PROGRAM
                  # or ssh=HOST; never --rsyncdir: a tree copied to the workers)
                  "--dist:xdist --maxprocesses:num "
                  "--lf|--last-failed --ff|--failed-first --nf|--new-first "
                  "--sw|--stepwise --tb:any --durations:num --co|--collect-only "
                  "--no-header --disable-warnings --color:any --junitxml|--junit-xml:write "
                  "--timeout:num --runxfail --strict-markers --doctest-modules "
                  "--ignore:any --deselect:any --import-mode:any --no-cov -NUM "
                  "--count:num --reruns:num --cov:?any "
                  # pytest-cov reports (terminal or the tree), pytest-html, asking itself
                  "--cov-report:covreport --cov-branch --cov-append --cov-fail-under:num "
                  "--html:write --self-contained-html -h|--help --version --setup-show "
                  "--full-trace --sw-skip|--stepwise-skip --durations-min:num "
                  # only to turn a plugin off; warning filters of built-in categories
                  "-p:pytestnoplugin -W|--pythonwarnings:pywarning")
_NPM_PKGS = Shape(check="npm-packages", allow=_NPM_INSTALL)
#: words after ``--`` go to the script (npm-script, npm-target: listed runner flags only)
_NPM_SCRIPT = Shape(allow=_NPM_RUN, check="npm-script")
_NPM_TARGET = Shape(check="npm-target", allow=_NPM_RUN)
_NPM_READ = Shape(allow=opts(_NPM_COMMON + "--json -a|--all --depth:depth -l|--long --parseable "
                                           "--omit:any --production --audit-level:any "
                                           "--dry-run"))
#: pnpm's reads across the workspace's packages (every one, or those a selector names)
_PNPM_READ = replace(_NPM_READ, allow=_NPM_READ.allow + opts("-r|--recursive --filter|-F:any"))
#: why a package is installed: registry names only (never a path: npm explain reads the
#: tree's lock files, nothing else)
_NPM_WHY = Shape(check="npm-packages", allow=_NPM_READ.allow, max_operands=1)
#: yarn test/build and yarn run NAME: every later word goes to the script (runner words only)
_YARN_SCRIPT = Shape(check="yarn-script")
_YARN_TARGET = Shape(check="yarn-target")
#: pip's listings: their own options (pip list/show/freeze/check --help)
_PIP_COMMON = "-q|--quiet -v|--verbose --disable-pip-version-check --no-color --no-input "
_PIP_READ: dict[str, Entry] = {
    "list": Shape(max_operands=0, allow=opts(
        _PIP_COMMON + "-o|--outdated -u|--uptodate -e|--editable -l|--local --user "
        "--format:word --not-required --exclude-editable --include-editable --pre "
        "--exclude:word", abbrev=False)),
    "show": Shape(allow=opts(_PIP_COMMON + "-f|--files", abbrev=False)),
    "freeze": Shape(max_operands=0, allow=opts(
        _PIP_COMMON + "-l|--local --user --all --exclude-editable --exclude:word",
        abbrev=False)),
    "check": Shape(max_operands=0, allow=opts(_PIP_COMMON, abbrev=False))}
#: uv pip's listings: never -p/--python (uv runs the interpreter it names to query it),
#: --system paths, another config or directory
_UV_PIP_COMMON = "-q|--quiet -v|--verbose --no-color --offline --strict "
_UV_PIP_READ: dict[str, Entry] = {
    "list": Shape(max_operands=0, allow=opts(
        _UV_PIP_COMMON + "--format:word --outdated -e|--editable --exclude-editable "
        "--exclude:word", abbrev=False)),
    "show": Shape(allow=opts(_UV_PIP_COMMON + "-f|--files", abbrev=False)),
    "freeze": Shape(max_operands=0, allow=opts(_UV_PIP_COMMON + "--exclude-editable",
                                               abbrev=False)),
    "check": Shape(max_operands=0, allow=opts(_UV_PIP_COMMON, abbrev=False)),
    "tree": Shape(max_operands=0, allow=opts(
        _UV_PIP_COMMON + "-d|--depth:num --invert --prune:word --package:word "
        "--no-dedupe --show-version-specifiers --outdated", abbrev=False))}

_SAFE_PKG = {"update": _PKG_Q, "install": _INSTALL, "upgrade": _PKG_Q, "list": _PKG_Q,
             "show": _PKG_Q, "search": _PKG_Q, "info": _PKG_Q, "policy": _PKG_Q,
             "check-update": _PKG_Q, "provides": _PKG_Q, "repolist": _PKG_Q,
             "makecache": _PKG_Q, "add": _INSTALL, "outdated": _PKG_Q, "madison": _PKG_Q,
             "depends": _PKG_Q, "rdepends": _PKG_Q, "changelog": _PKG_Q}

def _git(o: Opts, check: str | None = None, max_operands: int | None = None) -> Shape:
    return Shape(allow=o, check=check, max_operands=max_operands)


_GIT_LOG = _git(gitopts.LOG)
_GIT_NET = _git(gitopts.FETCH, "git-named-remote")
_STASH_PUSH = _git(gitopts.STASH_PUSH)
#: read-only plumbing, a dry-run clean and a patch only checked (held-out developer lines)
_GIT_DEV = {"merge-base": _git(gitopts.MERGE_BASE), "show-ref": _git(gitopts.SHOW_REF),
            "for-each-ref": _git(gitopts.FOR_EACH_REF), "cherry": _git(gitopts.CHERRY, None, 3),
            "count-objects": _git(gitopts.COUNT_OBJECTS, None, 0),
            "check-ignore": _git(gitopts.CHECK_IGNORE),
            "clean": _git(gitopts.CLEAN, "git-clean-dry"),
            "apply": _git(gitopts.APPLY, "git-apply-look"),
            "reset": _git(gitopts.RESET, "git-tree-ref")}
#: git: every subcommand and option on a list (git.py); the network only by remote name or
#: plain URL; global options that take a directory are followed by flow.py
GIT = Tool(
    allow=gitopts.GLOBAL,
    sub={"status": _git(gitopts.STATUS), "log": _GIT_LOG, "whatchanged": _GIT_LOG,
         "show": _git(gitopts.LOG, "git-blob"), "diff": _git(gitopts.DIFF, "git-blob"),
         "blame": _git(gitopts.BLAME),
         "shortlog": _git(gitopts.SHORTLOG), "describe": _git(gitopts.DESCRIBE),
         "rev-parse": _git(gitopts.REV_PARSE), "ls-files": _git(gitopts.LS_FILES),
         "ls-tree": _git(gitopts.LS_TREE), "cat-file": _git(gitopts.CAT_FILE, "git-blob"),
         "rev-list": _git(gitopts.REV_LIST), "name-rev": _git(gitopts.NAME_REV),
         "grep": _git(gitopts.GREP),
         "reflog": Tool(sub={"show": _GIT_LOG, "list": _git(opts(""), max_operands=0)},
                        bare=_git(gitopts.LOG, max_operands=0), allow=gitopts.LOG),
         # their operands are ref names and patterns, never files read ('v1.*' is no key)
         "branch": replace(_git(gitopts.BRANCH), secrets_ok=True),
         "tag": replace(_git(gitopts.TAG), secrets_ok=True),
         # never show: it prints the fetch and push URLs, a token in them (red team s15 E1)
         "remote": Tool(sub={
                             "update": _git(opts("-p|--prune"), "git-remote-names"),
                             "prune": _git(opts("-n|--dry-run"), "git-remote-names")},
                        # never -v or get-url: a deploy checkout's remote URL carries its
                        # token (x-access-token:ghp_...@github.com; harmful set s15)
                        bare=_git(opts(""), max_operands=0), allow=opts("")),
         "fetch": _GIT_NET, "pull": _git(gitopts.PULL, "git-named-remote"),
         "push": _git(gitopts.PUSH, "git-named-remote"),
         "ls-remote": _git(gitopts.LS_REMOTE, "git-named-remote"),
         "clone": _git(gitopts.CLONE, "git-clone"),
         "add": _git(gitopts.ADD, "git-add"), "commit": _git(gitopts.COMMIT),
         "stash": Tool(sub={"push": _STASH_PUSH, "save": _STASH_PUSH,
                            "list": _GIT_LOG, "show": _git(gitopts.DIFF + opts(
                                "-u|--include-untracked --only-untracked"), max_operands=1),
                            "pop": _git(gitopts.STASH_APPLY, "git-tree-ref", 1),
                            "apply": _git(gitopts.STASH_APPLY, "git-tree-ref", 1),
                            "branch": _git(opts(""), max_operands=2)},
                       bare=_git(gitopts.STASH_PUSH, max_operands=0),
                       allow=gitopts.STASH_PUSH),
         "checkout": _git(gitopts.CHECKOUT, "git-checkout"),
         "switch": _git(gitopts.SWITCH, "git-tree-ref"),
         "merge": _git(gitopts.MERGE, "git-tree-ref"),
         "rebase": _git(gitopts.REBASE, "git-tree-ref"),
         "cherry-pick": _git(gitopts.CHERRY_PICK, "git-tree-ref"),
         "revert": _git(gitopts.REVERT), "restore": _git(gitopts.RESTORE, "git-tree-ref"),
         "mv": _git(gitopts.MV, "git-mv"), "init": _git(gitopts.INIT, "dest", 1),
         "config": _git(gitopts.CONFIG, "git-config-key", max_operands=1),
         "submodule": Tool(sub={
             "status": _git(opts("--cached --recursive -q|--quiet")),
             "init": _git(opts("-q|--quiet")), "sync": _git(opts("--recursive -q|--quiet")),
             "update": _git(opts("--init --recursive --depth:num -j|--jobs:num -q|--quiet "
                                 "--checkout -N|--no-fetch --single-branch "
                                 "--no-single-branch --filter:any --progress "
                                 "--recommend-shallow --no-recommend-shallow"))},
             allow=opts("-q|--quiet")),
         "worktree": Tool(sub={"list": _git(opts("--porcelain -v|--verbose -z "
                                                 "--expire:any")),
                               "add": _git(gitopts.WORKTREE_ADD, "git-worktree-add", 2)}),
         "bisect": Tool(sub={"start": _git(gitopts.BISECT_START),
                             **dict.fromkeys(("good", "bad", "new", "old", "skip"),
                                             _git(opts(""))),
                             "reset": _git(opts(""), max_operands=1),
                             "log": _git(opts(""), max_operands=0),
                             "terms": _git(gitopts.BISECT_TERMS, max_operands=0)}),
         "help": _git(opts("-a|--all -g|--guides -c|--config --no-external-commands "
                           "--no-aliases --verbose --user-interfaces "
                           "--developer-interfaces"), max_operands=1),
         "version": _git(opts("--build-options"), max_operands=0), **_GIT_DEV},
)


#: kubectl: never --server/-s, --token, --kubeconfig, --cluster, --user, --as*, certificate or
#: TLS options (another API server, or other credentials); manifests only from the tree
def _k8s(spec: str = "", check: str | None = None) -> Shape:
    return Shape(check=check, secrets_ok=True, allow=opts(_GLOBAL_K8S + spec))


_K8S = _k8s(_K8S_READ)
_K8S_WRITE = _k8s(_K8S_FILES + "--dry-run:?any --server-side --force-conflicts "
                  "--validate:?any --field-manager:any --wait --timeout:any -l|--selector:any "
                  "--record -o|--output:any --overwrite")
KUBECTL = Tool(
    allow=opts(_GLOBAL_K8S),
    sub={"get": _k8s(_K8S_READ + _K8S_FILES + "--raw:k8shealth", check="kubectl-get"),
         "describe": _k8s(_K8S_READ + _K8S_FILES),
         "logs": _k8s("-c|--container:any --tail:num --since:any --since-time:any "
                      "-f|--follow -p|--previous --timestamps --all-containers --prefix "
                      "--max-log-requests:num -l|--selector:any --limit-bytes:num "
                      "--pod-running-timeout:any"),
         "top": _k8s("--containers --sort-by:any -l|--selector:any -A|--all-namespaces "
                     "--no-headers --use-protocol-buffers"),
         "explain": _k8s("--recursive --api-version:any -o|--output:any"),
         "version": _k8s("--client -o|--output:any --short"),
         "api-resources": _k8s("-o|--output:word --verbs:any --namespaced:?any "
                               "--api-group:any --sort-by:any --no-headers --cached"),
         # never cluster-info dump: every pod's spec (env values) and logs, or files written
         "api-versions": _K8S, "cluster-info": replace(_K8S, max_operands=0),
         "events": _k8s(_K8S_READ + "--for:any --types:any"),
         "wait": _k8s(_K8S_FILES + "--for:any --timeout:any -l|--selector:any --all"),
         "diff": _k8s(_K8S_FILES.replace(":manifest", ":diffmanifest") +
                      "--server-side --force-conflicts --field-manager:any "
                      "-l|--selector:any --concurrency:num --show-managed-fields"),
         "apply": _K8S_WRITE,
         "auth": Tool(sub={"can-i": _k8s("--list -A|--all-namespaces --no-headers "
                                         # asks what another subject may do (a review,
                                         # never a request made as it)
                                         "--as:any --as-group:any --as-uid:any"),
                           "whoami": _k8s("-o|--output:any")}, allow=opts(_GLOBAL_K8S)),
         "config": Tool(sub={"get-contexts": _K8S, "current-context": _K8S,
                             "view": _k8s("--minify -o|--output:any"),
                             # never use-context: every later kubectl line acts on another
                             # cluster as another identity (harmful set s15)
                             "get-clusters": _K8S},
                        allow=opts(_GLOBAL_K8S)),
         "rollout": Tool(sub={n: _k8s("--watch:?any -w --timeout:any --revision:num "
                                      "-l|--selector:any")
                              for n in ("status", "history", "restart", "resume")},
                         allow=opts(_GLOBAL_K8S)),
         # a node schedulable again (cordon and drain are k8s.destructive's)
         "uncordon": _k8s("-l|--selector:any --dry-run:?any"),
         "scale": _k8s("--replicas:num --current-replicas:num -l|--selector:any --all "
                       "--timeout:any", check="scale"),
         "set": Tool(sub={"image": _k8s("-l|--selector:any --all --record",
                                         check="set-image")},
                     allow=opts(_GLOBAL_K8S)),
         "exec": _REMOTE_EXEC},
)
#: oc is kubectl for OpenShift: only its exec is judged here
OC = Tool(allow=opts(_GLOBAL_K8S), sub={"exec": _REMOTE_EXEC})
#: helm: never --kubeconfig, --kube-apiserver/-token/-as-*/-ca-file, --repo, a post-renderer,
#: --set-file; charts from a configured repository or the tree (no URL, no packaged file)
def _helm(spec: str = "", check: str | None = None) -> Shape:
    return Shape(check=check, allow=opts(_HELM_GLOBAL + spec))


_HELM_READ = _helm("-A|--all-namespaces -a|--all -o|--output:any --revision:num -q|--short "
                   "--filter:any -d|--date -r|--reverse --max:num --deployed --failed "
                   "--pending --uninstalled --superseded --template:any --show-resources "
                   "--show-desc")
_HELM_INSTALL = _helm("-i|--install --atomic --wait --wait-for-jobs --timeout:any "
                      "-f|--values:intree --set:any --set-string:any --set-json:any "
                      "--version:any --create-namespace --reuse-values "
                      "--dry-run:?any --description:any --cleanup-on-fail "
                      "--history-max:num --skip-crds -o|--output:any --devel "
                      "--render-subchart-notes --disable-openapi-validation "
                      "-g|--generate-name --dependency-update --no-hooks "
                      "-s|--show-only:intree", check="helm-chart")
HELM = Tool(
    allow=opts(_HELM_GLOBAL),
    sub={"list": _HELM_READ, "ls": _HELM_READ, "history": _HELM_READ,
         # (harmful set s16) never -o yaml/json: the release's values and manifest
         "status": _helm("--revision:num --show-resources --show-desc -o|--output:helmtable"),
         "get": Tool(sub={n: _HELM_READ for n in ("values", "manifest", "notes", "all")},
                     allow=opts(_HELM_GLOBAL)),
         "upgrade": _HELM_INSTALL, "install": _HELM_INSTALL, "template": _HELM_INSTALL,
         "lint": _helm("-f|--values:intree --set:any --strict --quiet", check="in-tree"),
         "search": Tool(sub={n: _helm("-o|--output:any --versions --version:any "
                                      "--max-col-width:num")
                             for n in ("repo", "hub")}, allow=opts(_HELM_GLOBAL)),
         "show": Tool(sub={n: _helm("--version:any --devel", check="helm-chart")
                           for n in ("values", "chart", "readme", "all", "crds")},
                      allow=opts(_HELM_GLOBAL)),
         "version": _helm("--short --template:any"), "env": _HELM_READ,
         # the installed plugins' names and versions (never install/update/uninstall)
         "plugin": Tool(sub={"list": _helm(), "ls": _helm()}, allow=opts(_HELM_GLOBAL)),
         "diff": Tool(sub={"upgrade": _HELM_INSTALL}, allow=opts(_HELM_GLOBAL)),
         "repo": Tool(sub={"update": _helm(), "list": _HELM_READ, "ls": _HELM_READ},
                      allow=opts(_HELM_GLOBAL)),
         **{d: Tool(sub={n: _helm("--skip-refresh", check="in-tree")
                         for n in ("update", "build", "list")}, allow=opts(_HELM_GLOBAL))
            for d in ("dependency", "dep")}},
)
#: docker: never -H/--host, --config or TLS options (another daemon, other credentials);
#: compose files, env files and project directories only from the tree
_DK_LIST = Shape(allow=opts("-a|--all -q|--quiet -s|--size --no-trunc -f|--filter:any "
                            "--format:any -n|--last:num -l|--latest --digests"))
_DK_LOGS = Shape(allow=opts("-f|--follow -t|--timestamps -n|--tail:any --since:any "
                            "--until:any --details"))
_DK_INSPECT = Shape(allow=opts("-f|--format:any -s|--size --type:any"))
_DK_PLAIN = Shape(allow=opts("-f|--format:any"))
_DK_STATS = Shape(allow=opts("--no-stream -a|--all --format:any --no-trunc"))
_DK_EVENTS = Shape(allow=opts("-f|--filter:any --since:any --until:any --format:any"))
#: docker top CONTAINER: never ps options after it (the daemon hands them to ps on the host:
#: ``e`` prints the processes' environment)
_DK_TOP = Shape(max_operands=1, allow=opts(""))
#: swarm and registry listings (session 12); never service/node/stack inspect (a service's
#: spec carries its environment), buildx imagetools inspect --format (the image's config)
_DK_SWARM_LS = Shape(allow=opts("-f|--filter:any --format:any -q|--quiet"))
_DK_SWARM_PS = Shape(allow=opts("-f|--filter:any --format:any -q|--quiet --no-resolve "
                                "--no-trunc -a|--all"))
#: never -a: every tag of a repository (hundreds of GB onto the root disk: harmful set s15)
_DK_PULL = Shape(allow=opts("-q|--quiet --platform:any"))
_DK_RESTART = Shape(allow=opts("-t|--time|--timeout:num -s|--signal:signal"))
_DK_BUILD = Shape(check="in-tree", allow=opts(
    "-t|--tag:any -f|--file:dockerfile --target:any --build-arg:any --platform:any --pull "
    "--no-cache -q|--quiet --progress:any --label:any --cache-from:any --load"))
_COMPOSE_OPTS = COMPOSE_GLOBAL


def _compose_sub(spec: str, check: str | None = None) -> Shape:
    return Shape(check=check, allow=_COMPOSE_OPTS + opts(spec))


_COMPOSE = Tool(
    allow=_COMPOSE_OPTS,
    # (ops16) never --remove-orphans: it removes every container of the project that the
    # file does not name, another stack's when the project is another's
    sub={"up": _compose_sub("-d|--detach --build --no-build --force-recreate --no-deps "
                            "--wait --pull:any --quiet-pull -t|--timeout:num "
                            "--no-recreate --abort-on-container-exit "
                            "--exit-code-from:any --no-color --no-log-prefix --attach:any "
                            "--wait-timeout:num -y|--yes", "compose-project"),
         "ps": _compose_sub("-a|--all -q|--quiet --services --format:any --status:any "
                            "--filter:any --no-trunc"),
         "logs": _compose_sub("-f|--follow -t|--timestamps -n|--tail:any --since:any "
                              "--until:any --no-color --no-log-prefix"),
         "pull": _compose_sub("-q|--quiet --ignore-pull-failures --include-deps "
                              "--policy:any"),
         "build": _compose_sub("--no-cache --pull -q|--quiet --progress:any --build-arg:any",
                               "compose-project"),
         "config": _compose_sub("-q|--quiet --services --volumes --format:any --images "
                                "--profiles --resolve-image-digests --no-interpolate"),
         "restart": _compose_sub("-t|--timeout:num --no-deps", "compose-project"),
         "start": _compose_sub("", "compose-project"), "top": _compose_sub(""),
         "images": _compose_sub("-q|--quiet --format:any"),
         "ls": _compose_sub("-a|--all -q|--quiet --format:any --filter:any"),
         "version": _compose_sub("-f|--format:any --short"), "port": _compose_sub(""),
         "events": _compose_sub("--json"), "exec": _REMOTE_EXEC, "run": _REMOTE_EXEC},
)
DOCKER = Tool(
    allow=_DOCKER_GLOBAL,
    sub={"ps": _DK_LIST, "images": _DK_LIST, "logs": _DK_LOGS, "inspect": _DK_INSPECT,
         "stats": _DK_STATS, "top": _DK_TOP, "version": _DK_PLAIN, "info": _DK_PLAIN,
         "port": Shape(allow=opts("")), "diff": Shape(allow=opts("")),
         "history": Shape(allow=opts("--no-trunc -q|--quiet -H|--human:?any --format:any")),
         "events": _DK_EVENTS, "build": _DK_BUILD, "pull": _DK_PULL, "restart": _DK_RESTART,
         "start": Shape(allow=opts("")), "exec": _REMOTE_EXEC,
         "compose": _COMPOSE,
         "image": Tool(sub={"ls": _DK_LIST, "inspect": _DK_INSPECT,
                            "history": Shape(allow=opts("--no-trunc -q|--quiet "
                                                        "-H|--human:?any --format:any"))}),
         "container": Tool(sub={"ls": _DK_LIST, "inspect": _DK_INSPECT, "logs": _DK_LOGS,
                                "stats": _DK_STATS, "top": _DK_TOP,
                                "port": Shape(allow=opts("")), "exec": _REMOTE_EXEC}),
         "volume": Tool(sub={"ls": _DK_LIST, "inspect": _DK_INSPECT}),
         "network": Tool(sub={"ls": _DK_LIST, "inspect": _DK_INSPECT}),
         "system": Tool(sub={"df": Shape(allow=opts("-v|--verbose --format:any")),
                             "info": _DK_PLAIN, "events": _DK_EVENTS}),
         "context": Tool(sub={"ls": _DK_LIST, "show": Shape(allow=opts(""))}),
         "buildx": Tool(sub={"ls": _DK_PLAIN, "version": _DK_PLAIN}),
         "manifest": Tool(allow=opts(""), sub={"inspect": Shape(check="image-ref", allow=opts(
             "-v|--verbose"))}),
         "search": Shape(max_operands=1, allow=opts("--limit:num -f|--filter:any "
                                                    "--format:any --no-trunc")),
         "node": Tool(allow=opts(""), sub={"ls": _DK_SWARM_LS, "ps": _DK_SWARM_PS}),
         "service": Tool(allow=opts(""), sub={"ls": _DK_SWARM_LS, "ps": _DK_SWARM_PS,
                              "logs": Shape(max_operands=1, allow=_DK_LOGS.allow + opts(
                                  "--raw --no-task-ids --no-resolve --no-trunc"))}),
         "stack": Tool(allow=opts(""), sub={"ls": Shape(allow=opts("--format:any")),
                                            "ps": _DK_SWARM_PS, "services": _DK_SWARM_LS}),
         # podman's pods (docker has no such command)
         "pod": Tool(allow=opts(""), sub={
             "ps": Shape(allow=opts("-q|--quiet --no-trunc -f|--filter:any --format:any "
                                    "--ctr-names --ctr-ids --ctr-status --sort:any")),
             "ls": Shape(allow=opts("-q|--quiet --no-trunc -f|--filter:any --format:any"))})},
)
#: systemctl's options that only shape output or waiting (never -H/-M/--root/--user/--global:
#: another host, machine, tree or manager)
_SYSTEMCTL_OPTS = opts(
    "-q|--quiet --no-pager --no-legend -l|--full -a|--all -t|--type:any --state:any "
    "-p|--property:any -P:any -n|--lines:num -o|--output:any --failed --plain "
    "-r|--recursive --value --no-block --wait --show-types --reverse --after --before "
    "--no-ask-password --system")
_SYSQ = Shape(allow=_SYSTEMCTL_OPTS)
#: start/restart/reload of a plain unit; ``enable`` (persistence) is never ordinary
_UNIT = Shape(check="units", allow=_SYSTEMCTL_OPTS)
SYSTEMCTL = Tool(
    allow=_SYSTEMCTL_OPTS,
    sub={"status": _SYSQ, "is-active": _SYSQ, "is-enabled": _SYSQ, "is-failed": _SYSQ,
         "list-units": _SYSQ, "list-unit-files": _SYSQ, "list-timers": _SYSQ,
         "list-sockets": _SYSQ, "list-dependencies": _SYSQ, "list-jobs": _SYSQ,
         # not cat: a unit's drop-ins carry Environment= secrets (DATABASE_URL), as
         # ``show -p Environment`` does (harmful set s15)
         "show": _SYSQ, "help": _SYSQ,
         "restart": _UNIT, "reload": _UNIT, "try-restart": _UNIT, "reload-or-restart": _UNIT,
         "try-reload-or-restart": _UNIT, "start": _UNIT,
         "daemon-reload": Shape(max_operands=0, allow=_SYSTEMCTL_OPTS),
         "show-environment": _SYSQ},
    bare=Shape(max_operands=0, allow=_SYSTEMCTL_OPTS),
)
_SERVICE_OK = frozenset({"status", "restart", "reload", "start", "force-reload", "try-restart"})
#: cloud CLIs: the CLI's own options, read-only verb forms and secret operations are data in
#: cloud.py; ``_check_cloud`` reads the line the way the CLI does
_CLOUD = Shape(check="cloud", dynamic_ok=True, secrets_ok=True)

def _tf(table: Mapping[str, tuple[str, str]], extra: str = "") -> dict[str, Shape]:
    """Shapes of terraform subcommands from ``cloud.TF_*``: options and what operands are."""
    checks = {"none": None, "tree": "in-tree", "name": None, "fmt": "tf-fmt"}
    return {k: Shape(allow=opts(extra + spec, "go"), check=checks[ops],
                     max_operands=0 if ops == "none" else None)
            for k, (spec, ops) in table.items()}


TERRAFORM = Tool(allow=opts(cloud.TF_GLOBAL, "go"), sub={
    **_tf(cloud.TF_SUB), "state": Tool(sub=_tf(cloud.TF_STATE)),
    "workspace": Tool(sub=_tf(cloud.TF_WORKSPACE))})
_TG_SUB = _tf(cloud.TERRAGRUNT_SUB, cloud.TERRAGRUNT_OPTS)
TERRAGRUNT = Tool(allow=opts(cloud.TERRAGRUNT_OPTS + "--version --all", "go"), sub={
    **_TG_SUB,
    # the state's addresses, as terraform state list (state show is reveal.py's secret.dump)
    "state": Tool(sub=_tf(cloud.TF_STATE, cloud.TERRAGRUNT_OPTS),
                  allow=opts(cloud.TERRAGRUNT_OPTS, "go")),
    "run-all": Tool(sub=_TG_SUB, allow=opts(cloud.TERRAGRUNT_OPTS, "go")),
    "run": Tool(sub=_TG_SUB, allow=opts(cloud.TERRAGRUNT_OPTS + "--all", "go"))})

#: mysqladmin's connection options (as mysql's, never --defaults-file/--defaults-extra-file,
#: --plugin-dir/--default-auth (load a plugin), --debug (writes a file), --ssl-* key files)
#: and the ones that repeat or shape its report
_MYSQLADMIN_OPTS = opts(
    "-u|--user:any -h|--host:any -P|--port:num -S|--socket:any --protocol:any "
    "-p|--password:??any --ssl-mode:any --connect-timeout:num -C|--compress -s|--silent "
    "-v|--verbose -E|--vertical -r|--relative -i|--sleep:interval -c|--count:num "
    "-w|--wait:?num "
    "-f|--force -V|--version --help")
#: supervisorctl takes no global option (-c loads a configuration, -s/-u/-p another server or
#: identity, -i an interactive shell on the agent's stdin); it joins its words into one line
#: that it reads again, so every name is plain (check ``supervisor``)
_SUPERVISOR = Shape(check="supervisor", allow=opts(""))
_SUPERVISOR_BARE = Shape(max_operands=0, allow=opts(""))
#: pm2 reads only by listing and logs (not describe/show/info/env/jlist/prettylist: they print
#: the processes' environment), restarts by name or id (never a file: an ecosystem file is
#: JavaScript that runs; never --update-env: the agent's environment into the app)
_PM2_NAMES = Shape(check="pm2", allow=opts(""))
#: chronyc's monitoring commands (those chronyd answers from the network too): never -m (each
#: word a command), -h/-p (another daemon), -f/-a (a configuration and its keys)
_CHRONYC_OPTS = opts("-n -c -N -4 -6 -d")
_CHRONY_READ = Shape(max_operands=0, allow=opts("-v -a"))
_APACHE_CTL = Shape(check="apachectl")


CATALOGUE: dict[str, Entry] = {
    # inspecting the host
    # wc and du read --files0-from's file as names and print each one it cannot open (the
    # content of /proc/PID/environ or /etc/shadow in their errors): listed options only
    "wc": replace(META, allow=opts("-c|--bytes -m|--chars -l|--lines -L|--max-line-length "
                                   "-w|--words --total:any")),
    "du": replace(META, allow=opts(
        "-a|--all --apparent-size -B|--block-size:any -b|--bytes -c|--total "
        "-D|-H|--dereference-args -d|--max-depth:num -h|--human-readable --inodes -k -m "
        "-L|--dereference -l|--count-links -P|--no-dereference -S|--separate-dirs --si "
        "-s|--summarize -t|--threshold:any --time:?any --time-style:any -x|--one-file-system "
        "--exclude:any -0|--null")),
    # (core16) listed options only where core_opts.py has their table
    **{n: replace(META, allow=CORE_OPTS.get(n)) for n in ("ls", "ll", "stat", "basename", "dirname",
                         "realpath", "readlink", "namei", "md5sum", "sha1sum", "sha256sum",
                         "sha512sum", "b2sum", "cksum", "test", "[", "lsattr", "getfacl")},
    "hostname": Shape(max_operands=0, allow=opts(
        "-f|--fqdn|--long -s|--short -i|--ip-address -I|--all-ip-addresses -d|--domain "
        "-A|--all-fqdns -a|--alias -y|--yp|--nis -v|--verbose")),
    "lastlog": Shape(allow=opts("-u|--user:any -t|--time:num -b|--before:num")),
    "sar": Shape(allow=opts("-A -b -B -d -H -h -p -q -r -R -S -t -u -v -w -W -y -x "
                            "-I:any -n:any -P:any -s:any -e:any -i:num -f:any -NUM")),
    # never -K (kills sockets), -D (writes a dump), -F (reads a filter file)
    "ss": Shape(allow=opts("-t|--tcp -u|--udp -l|--listening -n|--numeric -p|--processes "
                           "-a|--all -x|--unix -w|--raw -4|--ipv4 -6|--ipv6 -s|--summary "
                           "-e|--extended -m|--memory -o|--options -i|--info -r|--resolve "
                           "-H|--no-header -O|--oneline -Z|--context -z|--contexts "
                           "-A|--query:any -f|--family:any")),
    # never -o (writes), -R (writes 00Tree.html into every directory), --fromfile
    "tree": Shape(dynamic_ok=True, allow=opts(
        "-a -d -f -i -l -L:num -P:any -I:any --noreport -h -s -D -p -u -g -C -n -F -J -X "
        "--dirsfirst --du -t -r -v -U --charset:any --gitignore --prune --filelimit:num "
        "-q -N -Q --matchdirs --ignore-case --si")),
    # never -f (reads names from a file, printing its lines), -C (compiles), -m (magic)
    "file": Shape(allow=opts("-b|--brief -i|--mime --mime-type --mime-encoding "
                             "-L|--dereference -h|--no-dereference -z|--uncompress "
                             "-s|--special-files -k|--keep-going -N|--no-pad -0|--print0 "
                             "-E --extension -r|--raw -p|--preserve-date"),
                 dynamic_ok=True, secrets_ok=True),
    # a second operand is its output
    "uniq": Shape(max_operands=1, dynamic_ok=True, allow=CORE_OPTS["uniq"]),
    "yq": Shape(check="jq", allow=opts(
        "-o|--output-format:any -p|--input-format:any -r|--unwrapScalar -n|--null-input "
        "-e|--exit-status -I|--indent:num -C|--colors -M|--no-colors -P|--prettyPrint "
        "-N|--no-doc -j|--tojson -0|--nul-output -i|--inplace")),
    # never --shell (reads commands, can save files), --output, --xinclude, --load-trace;
    # never what loads a DTD or a schema the document or the agent names: --valid prints
    # the first line of `<!DOCTYPE r SYSTEM "/etc/shadow">` in its error, --c14n expands
    # `<!ENTITY x SYSTEM "/etc/shadow">` into its output, --schema/--relaxng include any
    # file (red team s10, each confirmed with libxml2 2.9.14)
    "xmllint": Shape(allow=opts("--noout --format --xpath:any --nonet --encode:any "
                                "--recover --pretty:num --html --quiet --noblanks "
                                "--nowarning --timing", "go")),
    "printf": Shape(deny=("-v",), dynamic_ok=True), "read": Shape(check="read", allow=opts(
        "-r -s -e -a:var -d:any -n:num -N:num -p:any -t:num -u:num -i:any")),
    "set": Shape(check="set"),
    # never -p NAME: wait assigns (first unsets) NAME, HOME and PATH too (red team s13)
    "wait": Shape(allow=opts("-n -f")),
    # never -f (a batch file: its lines leave as queries) or -k (a TSIG key file)
    "dig": Shape(check="no-stdin", allow=opts("-b:any -c:any -p:num -q:any -t:any -x:any "
                                              "-4 -6 -r -u -m -v")),
    # nslookup's options are -type=X, -port=N, -debug...: none reads a file or writes
    "nslookup": Shape(check="no-stdin"),
    "host": Shape(check="no-stdin", allow=opts("-a -c:any -C -d -l -N:num -r -R:num -s "
                                               "-t:any -T -U -v -V -w -W:num -4 -6")),
    # ps has no option that writes, runs or loads; BSD ``e`` (environments) is the check
    "ps": Shape(check="ps", allow=CORE_OPTS["ps"]),
    # lsof's + options: the "lsof" check
    "lsof": Shape(check="lsof", allow=CORE_OPTS["lsof"]),
    "netstat": Shape(allow=CORE_OPTS["netstat"]),
    # print host state; checked against their --help: none of their options writes a file,
    # runs a program, loads code or reads an arbitrary file into the output
    **{n: ANY for n in ("pwd", "whoami", "id", "uptime", "uname", "free",
                        "pgrep", "pidof", "w", "who", "last", "groups",
                        "nproc", "lscpu", "lsblk", "lsmod", "lspci", "lsusb",
                        "locale", "vmstat", "iostat", "mpstat", "true",
                        "false", ":",
                        "sleep", "seq", "cal", "tty", "arch", "getconf", "printenv",
                        "type", "which", "whereis", "clear", "tput", "numfmt",
                        "expr", "factor", "bc",
                        "traceroute", "tracepath", "getent", "whois", "cd",
                        "pushd", "popd", "dirs", "jobs", "shift", "exit", "return",
                        "break", "continue")},
    "jq": Shape(check="jq", dynamic_ok=True, allow=opts(
        "-r|--raw-output -j|--join-output -a|--ascii-output -c|--compact-output "
        "-n|--null-input -s|--slurp -e|--exit-status -S|--sort-keys -C|--color-output "
        "-M|--monochrome-output --tab --indent:num --arg:pair --argjson:pair --args "
        "--jsonargs -R|--raw-input --stream --seq --raw-output0")),
    # ulimit with a value sets the shell's limits for every later command
    "ulimit": Shape(max_operands=0, allow=opts("-a -S -H -b -c -d -e -f -i -k -l -m -n -p -q "
                                               "-r -s -t -u -v -x -T -P -R")),
    # never pidstat -e (runs a program), blkid -c/-g (writes a cache), mtr -F and
    # findmnt -F (read a file), traceroute's modules
    "pidstat": Shape(allow=opts("-d -h -H -I -l -r -R -s -t -u -v -w -C:any -G:any "
                                "-p:any -T:any -U:?any --human --dec:num -NUM")),
    # a device operand is probed for its superblock's tags (TYPE, UUID, LABEL), never its data
    "blkid": Shape(secrets_ok=True, allow=opts(
        "-o|--output:any -s|--match-tag:any -t|--match-token:any "
        "-l|--list-one -L|--label:any -U|--uuid:any -p|--probe "
        "-i|--info -k|--list-filesystems -d|--no-encoding")),
    "mtr": Shape(allow=opts("-r|--report -w|--report-wide -c|--report-cycles:num "
                            "-n|--no-dns -b|--show-ips -4 -6 -T|--tcp -u|--udp "
                            "-P|--port:num -i|--interval:interval -j|--json -C|--csv "
                            "-z|--aslookup -m|--max-ttl:num")),
    # df and findmnt name the file system a path lies on (statfs, the mount table), never
    # its content: a datastore's or a secret's directory is an operand like any other
    "df": Shape(secrets_ok=True, allow=CORE_OPTS["df"]),
    "findmnt": Shape(secrets_ok=True, allow=opts(
        "-l|--list -n|--noheadings -o|--output:any -t|--types:any -J|--json -r|--raw "
        "-a|--ascii -D|--df -s|--fstab -m|--mtab -k|--kernel -T|--target:any -S|--source:any "
        "-u|--notruncate -P|--pairs -e|--evaluate")),
    # read their operands and print to stdout: listed options only (core_opts.py)
    **{n: replace(READER, allow=CORE_OPTS[n]) for n in (
        "cut", "tr", "cmp", "od", "hexdump", "strings", "nl", "tac", "rev", "column", "comm",
        "join", "paste", "fold", "fmt", "expand", "unexpand", "base32")},
    # a directory operand: its files (-r: its tree) are read (core_opts._check_diff)
    "diff": replace(READER, allow=CORE_OPTS["diff"], check="diff"),
    # a hex dump to stdout: one input at most (a second operand is a file it writes), and
    # never -r (writes binary back)
    "xxd": Shape(max_operands=1, allow=opts(
        "-l|-len:num -p|-ps|-postscript|-plain -c|-cols:num -g|-groupsize:num -s|-seek:any "
        "-u -b|-bits -e -i|-include -a|-autoskip -d -o|-offset:any", "go")),
    "mount": Shape(max_operands=0, allow=opts("-l|--show-labels -t|--types:any -v")),
    "swapon": Shape(max_operands=0, allow=opts("--show:?any -s|--summary --noheadings --raw "
                                               "--bytes")),
    "dmesg": Shape(allow=opts(
        "-T|--ctime -H|--human -w|--follow -W|--follow-new -x|--decode -k|--kernel "
        "-u|--userspace -l|--level:any -f|--facility:any -L|--color:?any -t|--notime "
        "-P|--nopager -r|--raw -e|--reltime -s|--buffer-size:num --time-format:any "
        "--since:any --until:any -J|--json")),
    "history": Shape(max_operands=1, allow=opts("")),
    "hostnamectl": Tool(sub={"status": ANY, "hostname": Shape(max_operands=0)}, bare=ANY),
    "mysqladmin": Shape(check="mysqladmin", allow=_MYSQLADMIN_OPTS),
    "supervisorctl": Tool(allow=opts(""), sub={
        "status": _SUPERVISOR, "pid": _SUPERVISOR, "avail": _SUPERVISOR_BARE,
        "version": _SUPERVISOR_BARE, "maintail": Shape(max_operands=0, allow=opts("-f -NUM")),
        "tail": Shape(check="supervisor", allow=opts("-f -NUM")),
        "restart": _SUPERVISOR, "start": _SUPERVISOR}),
    "pm2": Tool(allow=opts(""), sub={
        **dict.fromkeys(("list", "ls", "l", "status"), Shape(max_operands=0, allow=opts(""))),
        "logs": Shape(check="pm2", allow=opts(
            "--lines:num --nostream --raw --err --out --timestamp:?any --json --format")),
        "restart": _PM2_NAMES, "reload": _PM2_NAMES, "--version": Shape(max_operands=0),
        "-v": Shape(max_operands=0)}),
    "chronyc": Tool(allow=_CHRONYC_OPTS, sub={
        **dict.fromkeys(("tracking", "sources", "sourcestats", "activity", "serverstats",
                         "smoothing", "rtcdata", "selectdata"), _CHRONY_READ),
        "ntpdata": Shape(max_operands=1, allow=opts("")),
        "sourcename": Shape(max_operands=1, allow=opts(""))}),
    # ntpq: peers and associations only, never -c/-i (commands, some of which configure)
    "ntpq": Shape(max_operands=1, allow=opts("-p|--peers -n|--numeric -4 -6 -w|--wide "
                                             "-d|--debug-level")),
    # certbot lists what it holds; renew runs the configured hooks and answers challenges
    "certbot": Tool(allow=opts("-q|--quiet -v|--verbose"), sub={
        "certificates": Shape(max_operands=0, allow=opts(
            "--cert-name:word -d|--domains|--domain:any -q|--quiet -v|--verbose"))}),
    **dict.fromkeys(("apachectl", "apache2ctl"), _APACHE_CTL),
    "timedatectl": Tool(sub={"status": ANY, "show": ANY, "list-timezones": ANY,
                             "timesync-status": ANY, "show-timesync": ANY}, bare=ANY),
    "date": Shape(check="date", allow=opts(
        "-u|--utc|--universal -d|--date:any -I|--iso-8601:??any -R|--rfc-email "
        "--rfc-3339:any -r|--reference:any --debug")),
    # yes writes without end: into a pipe only (a file redirection is held in _redirects_ok)
    "yes": Shape(max_operands=1),
    # -M do|want|dont|probe: the Don't-Fragment policy (path-MTU tests), nothing else
    **{n: Shape(allow=opts("-c:num -i:interval -W:num -w:num -q -n -4 -6 -v -D -O "
                           "-s:pingsize -t:num -I:any -a -U -M:word"))
       for n in ("ping", "ping6")},
    "command": Shape(check="command", dynamic_ok=True, secrets_ok=True),
    "export": Shape(check="export", dynamic_ok=True, secrets_ok=True),
    "unset": Shape(check="export", dynamic_ok=True, secrets_ok=True),
    # hooks come from the tree's .pre-commit-config.yaml: never -c/--config
    "pre-commit": Tool(sub={"run": Shape(allow=opts(
        "-a|--all-files --files -v|--verbose --show-diff-on-failure --color:any "
        "-s|--from-ref|--source:any -o|--to-ref|--origin:any"))}),
    # echo prints its words, never a file's content: a secret's name is no secret
    "echo": META, **{n: replace(READER, allow=CORE_OPTS[n]) for n in ("cat", "head", "tail")},
    # a pager reading files: every exec command starts with LESSSECURE=1 (pinned_env.py: no
    # shell, pipe, editor, log file or other file from its keys); never -o/-O (log files),
    # -k (key bindings), -t/-T (tags); its +commands only move or search (check "less")
    "less": Shape(check="less", dynamic_ok=False, allow=opts(
        "-N|--LINE-NUMBERS -n|--line-numbers -S|--chop-long-lines -R|--RAW-CONTROL-CHARS "
        "-i|--ignore-case -I|--IGNORE-CASE -X|--no-init -F|--quit-if-one-screen "
        "-K|--quit-on-intr -M|--LONG-PROMPT -m|--long-prompt -s|--squeeze-blank-lines "
        "-q|--quiet|--silent -Q|--QUIET|--SILENT -g|--hilite-search -G|--HILITE-SEARCH "
        "-w|--hilite-unread -W|--HILITE-UNREAD -J|--status-column -L|--no-lessopen "
        "-x|--tabs:num -j|--jump-target:any -p|--pattern:any -z|--window:any --follow-name "
        "--mouse --no-histdups --incsearch")),
    **{n: replace(READER, allow=CORE_OPTS[n]) for n in ("zcat", "bzcat", "xzcat")},
    # searchers: listed options only (grep.py; never rg --pre, -z, ag --pager); a recursive
    # search never reads a tree that holds secrets
    **{n: Shape(allow=o, dynamic_ok=True, check="tree") for n, o in SEARCHERS.items()},
    # awk programs are code: only what awk.py's tokenizer proves prints (and listed options)
    "awk": Shape(check="awk", allow=AWK_OPTS), "nawk": Shape(check="awk", allow=AWK_OPTS),
    "mawk": Shape(check="awk", allow=MAWK_OPTS), "gawk": Shape(check="awk", allow=GAWK_OPTS),
    "sort": _SORT,
    # split: chunks named PREFIX + suffix in the tree; never --filter (runs a shell command)
    "split": Shape(check="split", allow=opts(
        "-l|--lines:num -b|--bytes:any -C|--line-bytes:any -n|--number:any "
        "-d|--numeric-suffixes:?num -x|--hex-suffixes:?num -a|--suffix-length:num "
        "--additional-suffix:word -e|--elide-empty-files -u|--unbuffered --verbose")),
    # iconv prints the converted text; never -o (writes a file)
    "iconv": Shape(allow=opts("-f|--from-code:any -t|--to-code:any -c -s|--silent -l|--list")),
    # shuf: never -o (writes) or --random-source (reads a file)
    "shuf": Shape(check="shuf", allow=opts("-n|--head-count:num -e|--echo "
                                           "-i|--input-range:any -r|--repeat "
                                           "-z|--zero-terminated")),
    "base64": Shape(allow=opts("-d|--decode -i|--ignore-garbage -w|--wrap:num")),
    # gzip, gunzip: "system tools (session 11)" below (in place, backups, stdout)
    # zip's parser is not getopt: two-letter options (-lf log file, -la, -li, -TT, -sf, -dg...)
    # are words of their own; no listed letter may start one (-l is left out: -lf read as
    # -l -f made the log path an operand, and the log repeats the agent's words)
    "zip": Shape(check="zip", allow=opts(
        "-r|--recurse-paths -q|--quiet -v|--verbose -j|--junk-paths -y|--symlinks "
        "-D|--no-dir-entries -X|--no-extra -u|--update -f|--freshen -g|--grow "
        "-x|--exclude -i|--include -NUM")),
    "unzip": Shape(check="unzip", allow=_UNZIP, names_only="unzip"),
    "sed": Shape(check="sed", allow=_SED_OPTS),
    # predicates on an allow-list (find.py); the commands its execs run are judged apart
    "find": Shape(check="find", secrets_ok=True), "tar": Shape(check="tar", names_only="tar"),
    # interactive top reads keys from the agent's stdin (k kills, r renices): batch only;
    # iotop's keys only re-sort or (as root) change an I/O priority
    "top": Shape(check="batch", allow=opts("-b -n:num -d:any -p:any -u:any -U:any -o:any -c "
                                           "-H -i -S -E:any -e:any -w:?num -1 -O")),
    "iotop": Shape(allow=opts("-b|--batch -n|--iter:num -d|--delay:any "
                                             "-o|--only -P|--processes -a|--accumulated "
                                             "-k|--kilobytes -t|--time -q|--quiet "
                                             "-p|--pid:any -u|--user:any")),
    # the all-fields output modes only with --output-fields, never a crash record's fields
    # (tools/observe.py, session 12)
    "journalctl": Shape(check="journal-fields", allow=opts(
        "-u|--unit:any -n|--lines:?num -p|--priority:any -o|--output:any -S|--since:any "
        "-U|--until:any -t|--identifier:any -b|--boot:??any -f|--follow -r|--reverse "
        "-x|--catalog -e|--pager-end -k|--dmesg -a|--all -q|--quiet --no-pager "
        "--no-hostname --list-boots --disk-usage -g|--grep:pattern --case-sensitive:?any --utc "
        "-m|--merge --system --user --user-unit:any -F|--field:any -N|--fields "
        "--output-fields:any --no-tail -l|--full --facility:any -T|--exclude-identifier:any "
        "--verify "
        # a boot offset as -b's value in the next word (``-b -1``: journalctl(1))
        "-NUM")),
    "iptables": Shape(check="iptables"), "ip6tables": Shape(check="iptables"),
    "ip": Tool(sub={**{n: Tool(sub={"show": ANY, "list": ANY, "get": ANY, "ls": ANY},
                               bare=ANY)
                       for n in ("addr", "a", "address", "route", "r", "link", "l", "neigh",
                                 "n", "rule", "ru", "maddr", "netconf")},
                    # network namespaces by name (session 12); never exec, add, del, set,
                    # attach
                    "netns": Tool(sub={n: Shape(max_operands=1, allow=opts(""))
                                       for n in ("list", "ls", "identify", "pids", "list-id")},
                                  bare=Shape(max_operands=0))},
               # (session 16) ip reads --x as -x and -x by any prefix of its name: only these
               # output switches, spelt in full or as ip(8) abbreviates them; never -batch,
               # -force, -netns, -Numeric (a deny-list missed ``ip --batch - route``)
               allow=opts("-4 -6 -0 -br|-brief -c|-color:?word -d|-details "
                          "-s|-stats|-statistics -j|-json -p|-pretty -o|-oneline "
                          "-h|-human|-human-readable -r|-resolve -t|-timestamp -ts|-tshort "
                          "-iec -a|-all", "go"),
               deny=("-b!", "-ba*", "-f!", "-fo*", "-n!", "-ne*", "-N!")),
    # ``sysctl key=value`` sets without -w: the check refuses any operand with ``=``
    "sysctl": Shape(check="sysctl-read", allow=opts("-a|-A|-X|--all -n|--values -N|--names "
                                                    "-e|--ignore -b|--binary -r|--pattern:any "
                                                    "-d -q|--quiet")),
    "crontab": Shape(check="crontab", allow=opts("-l -u:any")),
    "nginx": Shape(check="nginx"),
    "kill": Shape(check="kill"),
    "trap": Shape(check="trap"),
    "nc": Shape(deny=("-e", "-c", "--exec", "--sh-exec", "--lua-exec", "-l", "--listen"),
                check="nc-z"),
    "curl": Shape(check="curl", deny=("--proxy", "-x"), allow=opts(
        "--resolve:curlresolve "
        "-s|--silent -S|--show-error -f|--fail --fail-with-body -L|--location -I|--head "
        "-i|--include -v|--verbose -k|--insecure -H|--header:hdr -X|--request:curlmethod "
        "-o|--output:download -m|--max-time:num --connect-timeout:num --retry:num "
        "--retry-delay:num --retry-max-time:num --retry-all-errors --retry-connrefused "
        "-w|--write-out:curlfmt -A|--user-agent:any -e|--referer:any --compressed "
        "-4|--ipv4 -6|--ipv6 -g|--globoff --http1.1 --http2 -N|--no-buffer "
        "-#|--progress-bar --max-redirs:num -r|--range:any --limit-rate:any "
        "-Y|--speed-limit:num -y|--speed-time:num --no-progress-meter --url:url "
        "--tlsv1.2 --tlsv1.3 --noproxy:any --fail-early --no-keepalive --tcp-nodelay "
        # with -G the parameters go into the URL of a GET (never name@FILE, which sends a
        # file, and never without -G: a POST); _check_curl insists on -G
        "-G|--get --data-urlencode:urlparam "
        # a body only for a read endpoint of a service on this host (_check_curl)
        "-d|--data:any --data-raw:any --data-binary:any --json:any")),
    "wget": Shape(check="wget", allow=opts(
        "-q|--quiet -v|--verbose -n:wgetn --no-verbose -O|--output-document:download "
        "-P|--directory-prefix:wdir -T|--timeout:num -t|--tries:num --header:hdr "
        "-U|--user-agent:any -c|--continue -N|--timestamping --no-check-certificate "
        "--show-progress --progress:any -S|--server-response --spider --no-clobber "
        "--waitretry:num --retry-connrefused --limit-rate:any --max-redirect:num "
        "--connect-timeout:num --read-timeout:num --dns-timeout:num -4|--inet4-only "
        "-6|--inet6-only --https-only -w|--wait:num")),
    # openssl parses -opt, --opt and -opt=value (go style); -engine/-provider load code
    "openssl": Tool(sub={
        # x509 prints certificates (a private key in the same file is never printed)
        "x509": Shape(secrets_ok=True, allow=opts(
            "-in:any -noout -text -dates -subject -issuer -fingerprint -serial -enddate "
            "-startdate -purpose -pubkey -modulus -hash -email -ocsp_uri -checkend:num "
            "-inform:any -nameopt:any -sha256 -sha1 -md5 -ext:any -ocspid -alias "
            "-subject_hash -issuer_hash -certopt:any -dateopt:any", "go")),
        # a signing request or a revocation list, printed (never -new/-key/-out/-x509; a key
        # given as -in is not parsed as either, and never printed)
        "req": Shape(secrets_ok=True, allow=opts(
            "-in:any -noout -text -subject -pubkey -verify -modulus -nameopt:any -reqopt:any "
            "-inform:any", "go")),
        "crl": Shape(secrets_ok=True, allow=opts(
            "-in:any -noout -text -nextupdate -lastupdate -issuer -hash -fingerprint "
            "-inform:any -nameopt:any", "go")),
        "version": Shape(allow=opts("-a -v -b -o -f -p -d -e -c -r", "go")),
        "rand": Shape(max_operands=1, allow=opts("-hex -base64", "go")),
        # verify prints "FILE: OK" or the failing certificate's subject, never what a file
        # holds (a key given as a certificate is an error without its content), as x509
        "verify": Shape(secrets_ok=True, allow=opts(
            "-CAfile:any -CApath:any -untrusted:any -purpose:any -verbose -show_chain "
            "-partial_chain -no-CAfile -no-CApath -x509_strict", "go")),
        "ciphers": Shape(allow=opts("-v -V -s -tls1_2 -tls1_3 -stdname", "go")),
        # a TLS handshake to look at a server's certificate; never -cert/-key/-pass/-psk
        # (secrets), -sess_out/-keylogfile/-msgfile/-writerand (write files), -engine/
        # -provider (load code), -rand (reads a file)
        "s_client": Shape(check="tls-client", max_operands=1, allow=opts(
            "-connect:any -servername:any -noservername -showcerts -brief -quiet "
            "-verify_return_error -verify:num -verify_hostname:any -CAfile:any -CApath:any "
            "-no-CAfile -no-CApath -partial_chain -alpn:any -status -tls1_2 -tls1_3 -crlf "
            "-ign_eof -no_ign_eof -starttls:any -name:any -proxy:any -state -prexit "
            "-4 -6", "go"))}),
    "ssh-keygen": Shape(check="ssh-keygen"),
    # files: ordinary changes
    "mkdir": Shape(check="dest", allow=opts("-p|--parents -v|--verbose -m|--mode:any")),
    "touch": Shape(check="dest", allow=opts("-a -c|--no-create -m -h|--no-dereference")),
    # never -t (a target first), -f/--remove-destination, -b/-S (a backup under another
    # name), -l/-s (links), -L (copies what a symlink points at), --parents
    "cp": Shape(check="copy", allow=opts(
        "-r|-R|--recursive -a|--archive -p --preserve:?any --no-preserve:any -v|--verbose "
        "-n|--no-clobber -u|--update:?any -i|--interactive -P|--no-dereference -d "
        "-x|--one-file-system --sparse:any --reflink:?any -T|--no-target-directory")),
    "mv": Shape(check="copy", allow=opts("-v|--verbose -n|--no-clobber -u|--update:?any "
                                         "-i|--interactive -T|--no-target-directory")),
    # -f only with -s and a target in the tree (relinking a release: check "copy"; flow.py
    # holds a forced link to a tree the session wrote, clobber.py one onto a database file)
    "ln": Shape(check="copy", allow=opts("-s|--symbolic -v|--verbose -n|--no-dereference "
                                         "-T|--no-target-directory -r|--relative "
                                         "-L|--logical -P|--physical -i|--interactive "
                                         "-f|--force")),
    "rmdir": Shape(check="rmdir", allow=opts("-v|--verbose --ignore-fail-on-non-empty "
                                             "-p|--parents")),
    # --del is rsync's own option (--delete-during), not --delay-updates abbreviated
    "rsync": Shape(check="rsync", deny=("--del",), allow=opts(
        "-a|--archive -v|--verbose -z|--compress -r|--recursive -l|--links -p|--perms "
        "-t|--times -g|--group -o|--owner -D --devices --specials -h|--human-readable -P "
        "--progress -n|--dry-run -u|--update -c|--checksum -x|--one-file-system "
        "-H|--hard-links -A|--acls -X|--xattrs -q|--quiet -i|--itemize-changes --stats "
        "--exclude:any --include:any --partial --inplace -W|--whole-file --size-only "
        "--ignore-existing --existing -m|--prune-empty-dirs --info:any --numeric-ids "
        "-C|--cvs-exclude -R|--relative --safe-links --mkpath --timeout:num "
        "--bwlimit:any --max-size:any --min-size:any --out-format:any --no-perms "
        "--no-owner --no-group --no-times --append-verify -O|--omit-dir-times "
        # transfer shaping (rsync(1)): none writes outside DEST, runs, or reads a file
        "--delay-updates -I|--ignore-times -y|--fuzzy -S|--sparse -E|--executability "
        "-K|--keep-dirlinks -J|--omit-link-times -U|--atimes --modify-window:num --no-motd "
        "--list-only --compress-level:num --skip-compress:any -8|--8-bit-output "
        "--contimeout:num --no-inc-recursive|--no-i-r -s|--protect-args --preallocate "
        "--no-whole-file --checksum-choice:any --blocking-io")),
    "tee": Shape(check="dest", allow=opts("-a|--append -i|--ignore-interrupts")),
    "chmod": Shape(check="chmod", secrets_ok=True, allow=opts(
        "-v|--verbose -c|--changes -f|--silent|--quiet --preserve-root")),
    # wrappers: the command they run is found and classified on its own
    **{n: _WRAP for n in ("sudo", "doas", "nice", "nohup", "time", "exec", "npx",
                          "setsid", "stdbuf", "ionice", "timeout", "unbuffer", "xargs",
                          "watch", "flock", "chrt", "taskset", "builtin")},
    "env": Shape(check="env", dynamic_ok=True, secrets_ok=True),
    "bash": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "sh": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "zsh": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    "dash": Shape(check="shell-c", dynamic_ok=True, secrets_ok=True),
    # never -o/-F (options, config: ProxyCommand), forwarding, -i, -t (escapes typed ahead)
    "ssh": Shape(check="ssh", dynamic_ok=True, secrets_ok=True, allow=opts(
        "-4 -6 -q -v -T -C -a -x -k -n -y -p:num -l:any -c:any -m:any -b:any -B:any "
        "-Q:any")),
    # services
    "systemctl": SYSTEMCTL, "service": Shape(check="service"),
    # version control
    "git": GIT,
    # packages, from the configured index
    **{n: Tool(sub=_SAFE_PKG, allow=_PKG_OPTS, deny=_PKG_DENY)
       for n in ("apt-get", "apt", "apt-cache", "apk", "brew")},
    # yum/dnf also list their transaction history and advisories (tools/site_ops.py's
    # checks: never history undo/redo/rollback/replay)
    **{n: Tool(sub={**_SAFE_PKG, "history": Shape(check="site-pkg-history", allow=_PKG_OPTS),
                    "updateinfo": Shape(check="site-updateinfo", allow=_PKG_OPTS)},
               allow=_PKG_OPTS, deny=_PKG_DENY) for n in ("yum", "dnf")},
    "dpkg": Shape(check="dpkg", allow=opts(
        "-l|--list -L|--listfiles -s|--status -S|--search -p|--print-avail "
        # -V compares the installed files with the package's digests: it prints names only
        "--print-architecture --get-selections --no-pager -V|--verify")),
    "dpkg-query": ANY,  # queries only: no option writes, runs or loads
    # never --qf/--queryformat, --eval, --define (rpm macros run %(shell)), --scripts
    "rpm": Shape(check="rpm", allow=opts(
        "-q|--query -a|--all -f|--file -p|--package -i|--info -l|--list "
        "-c|--configfiles -d|--docfiles -R|--requires --provides --whatprovides "
        "--whatrequires --changelog --last -V|--verify -s|--state")),
    # pip list/show/freeze/check print what is installed: their own options only; never
    # pip's general options that run (--python FILE re-executes pip with it), write (--log)
    # or read a file (--cert, --client-cert) (red team s16)
    **{n: Tool(sub={"install": _PIP, **_PIP_READ, "--version": ANY},
               allow=opts("-q|--quiet -v|--verbose --no-input --disable-pip-version-check "
                          "--no-color"))
       for n in ("pip", "pip3")},
    # build and test tools with plain targets
    "make": _BUILD, "gmake": _BUILD,
    # npm takes ``--<any config key>=V`` everywhere (--script-shell, --node-options,
    # --prefix, --registry, --userconfig): every npm shape has an allow-list
    "npm": Tool(sub={"ci": Shape(allow=_NPM_INSTALL, max_operands=0),
                     "install": _NPM_PKGS, "i": _NPM_PKGS, "add": _NPM_PKGS,
                     "test": _NPM_SCRIPT, "t": _NPM_SCRIPT, "start": _NPM_SCRIPT,
                     "run": _NPM_TARGET, "run-script": _NPM_TARGET,
                     "ls": _NPM_READ, "list": _NPM_READ, "outdated": _NPM_READ,
                     "view": _NPM_READ, "audit": Shape(allow=_NPM_READ.allow, max_operands=1,
                                                       check="npm-audit"),
                     "explain": _NPM_WHY, "why": _NPM_WHY,
                     "--version": ANY, "-v": ANY, "version": Shape(max_operands=0,
                                                                   allow=_NPM_RUN)},
                allow=_NPM_RUN),
    # yarn hands every word after the script's name to the script, with or without ``--``
    "yarn": Tool(sub={"install": Shape(allow=_NPM_INSTALL, max_operands=0), "add": _NPM_PKGS,
                      "test": _YARN_SCRIPT, "build": _YARN_SCRIPT, "run": _YARN_TARGET,
                      "list": _NPM_READ, "why": _NPM_WHY, "--version": ANY, "-v": ANY},
                 bare=Shape(max_operands=0), allow=_NPM_RUN),
    "pnpm": Tool(sub={"install": Shape(allow=_NPM_INSTALL, max_operands=0),
                      "i": Shape(allow=_NPM_INSTALL, max_operands=0), "add": _NPM_PKGS,
                      "test": _NPM_SCRIPT, "run": _NPM_TARGET, "list": _PNPM_READ,
                      "ls": _PNPM_READ, "build": _NPM_SCRIPT,
                      "why": replace(_NPM_WHY, allow=_PNPM_READ.allow),
                      "outdated": _NPM_READ, "--version": ANY, "-v": ANY,
                      # (session 16) the registry's advisories for the lockfile; never --fix
                      "audit": Shape(max_operands=0, allow=opts(
                          "-P|--prod -D|--dev --json --audit-level:word "
                          "--ignore-registry-errors --no-optional", abbrev=False)),
                      # any other word: the package script of that name (pnpm's fallback)
                      "[A-Za-z0-9_]*": Shape(check="pnpm-script")},
                 # workspaces: every package, or those a selector names (never --dir/-C)
                 allow=_NPM_RUN + opts("-r|--recursive --filter|-F:any --parallel --stream "
                                       "--workspace-root")),
    # test runners and linters load configuration and plugins (conftest.py, --init-hook,
    # eslint.config.js, --plugin): only their operands in the tree, only listed options
    "pytest": _PYTEST, "py.test": _PYTEST,
    "tox": Shape(max_operands=0, allow=opts("-e:any -p|--parallel:?any -r|--recreate -q "
                                            "--quiet -v|--verbose --notest --skip-missing-"
                                            "interpreters:?any --develop --skip-pkg-install")),
    "nox": Shape(max_operands=0, allow=opts("-s|--sessions|--session:any -e:any -k:any "
                                            "-t|--tags:any -p|--python:any -R -r|--reuse-"
                                            "existing-virtualenvs -l|--list -x|--stop-on-"
                                            "first-error --no-venv --no-color")),
    "ruff": Tool(sub={"check": _linter("--select:any --ignore:any --extend-select:any "
                                       "--extend-ignore:any --output-format:any -q|--quiet "
                                       "-s|--silent -e|--exit-zero --statistics --show-fixes "
                                       "--diff --no-cache --target-version:any "
                                       "--line-length:num --exclude:any --extend-exclude:any "
                                       "--preview --no-fix --fix --unsafe-fixes "
                                       "--no-unsafe-fixes --fix-only"),
                      "format": _linter("--check --diff -q|--quiet --line-length:num "
                                        "--exclude:any --target-version:any --preview "
                                        "--no-cache"),
                      "--version": ANY}, bare=ANY),
    "black": _linter("--check --diff -q|--quiet -v|--verbose -l|--line-length:num "
                     "-t|--target-version:any --color --no-color --fast --safe "
                     "-S|--skip-string-normalization -C|--skip-magic-trailing-comma "
                     "--exclude:any --extend-exclude:any --include:any --force-exclude:any "
                     # --version: black prints its version and exits
                     "--preview -W|--workers:num --version"),
    "isort": _linter("-c|--check-only|--check --diff --df -q|--quiet -v|--verbose "
                     "--profile:any -l|--line-length|--line-width:num -s|--skip:any "
                     "--filter-files --atomic --color"),
    "flake8": _linter("--max-line-length:num --extend-ignore:any --ignore:any --select:any "
                      "--extend-select:any --exclude:any --extend-exclude:any --count "
                      "-q|--quiet -v|--verbose --statistics --show-source --max-complexity:num "
                      "--format:word -j|--jobs:any --per-file-ignores:any --benchmark "
                      "--exit-zero --color:any"),
    "mypy": _linter("--strict --ignore-missing-imports --show-error-codes --no-error-summary "
                    "--pretty --python-version:any -p|--package:any -m|--module:any "
                    "--install-types --non-interactive --follow-imports:any "
                    "--check-untyped-defs --disallow-untyped-defs --no-incremental "
                    "--exclude:any --namespace-packages --explicit-package-bases "
                    "--warn-unused-ignores --show-column-numbers -v|--verbose "
                    "--no-color-output --hide-error-context --warn-return-any"),
    "pylint": _linter("-j|--jobs:num -d|--disable:any -e|--enable:any "
                      "-f|--output-format:word -E|--errors-only --score:any "
                      "-r|--reports:any --max-line-length:num --fail-under:any --exit-zero "
                      "-v|--verbose --recursive:any --ignore:any --ignore-patterns:any "
                      "--msg-template:any --disable-all"),
    "eslint": _linter("--fix --fix-dry-run --ext:any -f|--format:word --max-warnings:num "
                      "--quiet --cache --color --no-color --report-unused-disable-directives "
                      "--ignore-pattern:any --env:any --global:any --no-error-on-unmatched-"
                      "pattern --fix-type:any --debug"),
    "prettier": _linter("-c|--check -w|--write -l|--list-different --log-level|--loglevel:any "
                        "--single-quote --no-semi --tab-width:num --print-width:num "
                        "--trailing-comma:any --end-of-line:any --parser:word --cache "
                        "--use-tabs --prose-wrap:any --no-error-on-unmatched-pattern"),
    # clang-format (LLVM's option parser: -opt and --opt alike): a named style, never a
    # style file elsewhere (file:PATH), --files (a list read from a file), --assume-filename
    "clang-format": Shape(check="in-tree", allow=opts(
        "-i -n|--dry-run --Werror -style:word -fallback-style:word -sort-includes "
        "-verbose -version -lines:any -offset:num -length:num -output-replacements-xml "
        "-ferror-limit:num -dump-config -qualifier-alignment:word", "go")),
    # rubocop (Ruby's OptionParser; matched in full): its fixes are the tool's, as ruff --fix;
    # never -r/--require or --plugin (Ruby code), -c/--config, -o/--out (writes), --stdin,
    # --cache-root, --server
    "rubocop": Shape(check="in-tree", allow=opts(
        "-a|--autocorrect|--auto-correct -A|--autocorrect-all|--auto-correct-all "
        "-f|--format:word -D|--display-cop-names -E|--extra-details -S|--display-style-guide "
        "-P|--parallel --no-parallel --only:any --except:any -l|--lint -x|--fix-layout "
        "--fail-level:word --display-only-fail-level-offenses --display-only-failed "
        "--force-exclusion --no-color --color -L|--list-target-files -F|--fail-fast "
        "-v|--version -V|--verbose-version", abbrev=False)),
    "shellcheck": _linter("-x|--external-sources -s|--shell:any -S|--severity:any "
                          "-e|--exclude:any -i|--include:any -f|--format:any "
                          "-a|--check-sourced -C|--color:?any -o|--enable:any "
                          "-W|--wiki-link-count:num --norc"),
    "yamllint": _linter("-f|--format:any -s|--strict --no-warnings -d|--config-data:any"),
    "hadolint": _linter("--no-fail -f|--format:any --ignore:any -t|--failure-threshold:any "
                        "--trusted-registry:any --no-color"),
    "cargo": Tool(sub={**{n: _CARGO for n in ("build", "test", "check", "fmt", "clippy", "doc",
                                               "run", "bench", "fetch",
                                               "--version", "version", "update", "clean")},
                       # the workspace's packages as JSON on stdout
                       "metadata": replace(_CARGO, allow=_CARGO.allow + opts(
                           "--format-version:num --no-deps")),
                       # the dependency graph, printed (its format is text, never a file)
                       "tree": replace(_CARGO, allow=_CARGO.allow + opts(
                           "-d|--duplicates --no-dedupe --prefix:word --charset:word "
                           "-f|--format:any")),
                       # the tree's tests by another runner; the advisory database's report
                       "nextest": Tool(sub={"run": _CARGO, "list": _CARGO}),
                       "audit": Shape(max_operands=0, allow=opts(
                           "-q|--quiet --json -n|--no-fetch --stale -D|--deny:word"))},
                  allow=opts("-q|--quiet -v|--verbose --color:any --frozen --locked "
                             "--offline")),
    # Go's flag package: -flag, --flag, -flag=v, --flag=v (never -toolexec, -exec, -overlay,
    # -modfile, -C, -vettool: each runs or reads another program or file)
    "go": Tool(sub={"build": Shape(allow=_GO_BUILD + opts("-o:write", "go")),
                    "test": Shape(allow=_GO_BUILD + _GO_TEST),
                    "vet": Shape(allow=_GO_BUILD + opts("-json -c:num", "go")),
                    # the tree's main package, as cargo run runs the tree's binary
                    "run": Shape(check="go-run", dynamic_ok=True, secrets_ok=True),
                    "fmt": Shape(allow=opts("-n -x -mod:any", "go")),
                    # the tree's //go:generate commands (as make runs its Makefile: a code
                    # runner for flow.py); packages of the tree only
                    "generate": Shape(check="in-tree", allow=opts(
                        "-run:any -skip:any -n -v -x -tags:any", "go")),
                    "version": Shape(allow=opts("-m -v -json", "go")),
                    "env": Shape(allow=opts("-json -changed", "go")),
                    "list": Shape(allow=_GO_BUILD + opts(
                        "-f:any -json:?any -m -u -versions -deps -test -e -find -retracted",
                        "go")),
                    "mod": Tool(sub={n: Shape(allow=opts("-v -e -x -json -go:any -compat:any "
                                                         "-m -vendor", "go"))
                                     for n in ("tidy", "download", "verify", "graph", "why")}),
                    }),
    # JVM builds: jvm_build.py (phases, goals, tasks, properties, options)
    **dict.fromkeys(("mvn", "mvnw"), Shape(check="mvn")),
    **dict.fromkeys(("gradle", "gradlew"), Shape(check="gradle",
                                                 allow=opts(jvm_build.GRADLE_OPTS))),
    "source": Shape(check="activate"), ".": Shape(check="activate"),
    # only what a build makes again (rules.build_artifacts_only); any other deletion is a
    # rule's or unknown
    "rm": Shape(check="artifacts"),
    "node": Shape(check="version"), "python": Shape(check="python"),
    "python3": Shape(check="python"), "ruby": Shape(check="version"),
    "java": Shape(check="version"), "php": Shape(check="version"),
    # infrastructure as code: read-only and ordinary subcommands, Go-style option lists
    "terraform": TERRAFORM, "tofu": TERRAFORM, "terragrunt": TERRAGRUNT,
    # clusters and containers
    "kubectl": KUBECTL, "helm": HELM, "docker": DOCKER, "docker-compose": _COMPOSE,
    "podman": DOCKER, "oc": OC,
    # datastores: plain reads only
    "psql": Shape(check="psql", allow=opts(
        "-c|--command:any -d|--dbname:any -U|--username:any -h|--host:any -p|--port:num "
        "-A|--no-align -t|--tuples-only -x|--expanded -q|--quiet -X|--no-psqlrc "
        "-w|--no-password -W|--password -F|--field-separator:any "
        "-R|--record-separator:any -v|--set|--variable:any -1|--single-transaction "
        "-e|--echo-queries -a|--echo-all -b|--echo-errors -E|--echo-hidden -z|--field-"
        "separator-zero -0|--record-separator-zero --csv -H|--html -l|--list "
        # -P sets a \pset printing option (tools/data2.py's psqlpset: never the pager on);
        # -V prints the version
        "-P|--pset:psqlpset -V|--version")),
    **{n: Shape(check="sql", allow=_MYSQL_OPTS) for n in ("mysql", "mariadb")},
    "sqlite3": Shape(check="sqlite", allow=opts(
        "-readonly -json -csv -header -noheader -column -line -box -batch -markdown "
        "-table -html -list -tabs -quote -ascii -separator:any -nullvalue:any "
        "-newline:any -version -safe -nofollow -echo", "go")),
    "redis-cli": Shape(check="redis"), "valkey-cli": Shape(check="redis"),
    "pg_isready": ANY,  # -h/-p/-d/-U/-t/-q: it only asks a server whether it is up
    # clouds: read-only verb forms without secrets (cloud.py)
    **dict.fromkeys(("aws", "gcloud", "az", "gsutil", "doctl"), _CLOUD),
    # check mode still runs lookups, local actions and inventory scripts: the playbook and
    # inventory come from the tree, no extra vars (templated, so lookups run)
    "ansible-playbook": Shape(check="ansible-check", allow=opts(
        "-C|--check -D|--diff -i|--inventory:intree -l|--limit:any -t|--tags:any "
        "--skip-tags:any -u|--user:any --list-hosts --list-tasks --list-tags "
        "--syntax-check -f|--forks:num --start-at-task:any -v|--verbose -vv -vvv")),
    "ansible": Shape(check="ansible-ping", allow=opts(
        "-m|--module-name:any -a|--args:any -i|--inventory:intree -l|--limit:any "
        "-u|--user:any -f|--forks:num -o|--one-line -v|--verbose -C|--check --list-hosts "
        "-b|--become --version")),
}


# --- checks that need the tool's own words ---------------------------------------------------
def _check_awk(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """The program (``-e``/``--source`` texts, else the first operand) passes awk.py's
    tokenizer; the files it reads were judged as operands (secrets, computed words)."""
    entry = CATALOGUE[c.name]
    assert isinstance(entry, Shape) and entry.allow is not None
    p = parse_opts(entry.allow, c.args)
    if isinstance(p, str):
        return p
    texts, _ = awk_programs(p.pairs, p.ops)
    if not texts and any(k in ("--version", "-V") for k, _ in p.pairs):
        return None
    if not texts:
        return "awk without a program reads none the guard can see"
    # several -e texts: read one after the other, with or without a line between them (a
    # statement must not span two texts into a redirection either way)
    for text in {*texts, "\n".join(texts), "".join(texts)}:
        why = awk_program_why(text)
        if why:
            return why
    return None


def _check_service(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) == 2 and ops[1] in _SERVICE_OK:
        return None if ops[1] == "status" else _unit_why(ops[0])
    if ops[:1] == ("--status-all",) or rest == ("--status-all",):
        return None
    return "service verb other than status/start/restart/reload"


def _check_nc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not any(a.startswith("-") and "z" in a[1:] for a in rest):
        return "nc without -z opens a connection that carries data"
    return None


def _check_keygen(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    flags = {a for a in rest if a.startswith("-")}
    if flags <= {"-l", "-f", "-v", "-E", "-lf", "-lv", "-y"} - {"-y"} and "-l" in \
            "".join(flags):
        return None
    # -F HOST prints the user's known_hosts lines for HOST (public keys); never -f (another
    # file read as known_hosts), -H/-R (rewrite it)
    if len(rest) == 2 and rest[0] == "-F" and re.fullmatch(r"[A-Za-z0-9_.:\[\]-]{1,255}",
                                                           rest[1]):
        return None
    return "ssh-keygen other than printing a fingerprint"


#: code in scratch space, as a site program's argument (a launcher runs it)
_SCRATCH_CODE = re.compile(r"/(?:var/tmp|tmp|dev/shm|run/user)/\S*\.(?:py|sh|js|mjs|rb|pl|php|so|"
                           r"ipynb|jar|R)\Z")
#: a module path of the working tree: two or more plain dotted names
_SITE_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}+(?:\.[A-Za-z_][A-Za-z0-9_]{0,63}+){1,8}+")
_VERSION_ONLY = frozenset({("--version",), ("-v",), ("-V",), ("-version",)})


def _check_version(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if rest in _VERSION_ONLY:
        return None
    return "an interpreter runs a program the guard cannot see"


#: the catalogue entry that names a site script (site_program.py) known safe
SITE_PROGRAM = "site program"
#: launchers a site script may run under: they change when and how long, not who or what
#: (never sudo: root runs it; never xargs/find -exec: the arguments come from elsewhere)
_SITE_VIA = frozenset({"timeout", "nohup", "nice", "ionice", "time", "stdbuf", "env",
                       "command", "uv", "poetry", "bundle", "pdm", "hatch", "pipenv"})
#: program names that, first among a script's operands, make it a wrapper of a command line
_LAUNCHERS = INTERPRETERS | NET_FETCH | NET_SENDERS | {"sudo", "doas", "su", "runuser", "eval",
                                                       "exec", "xargs", "pkexec", "nsenter"}


def _site_script(path: str, at: int) -> bool:
    """Is ``path`` (word ``at`` of the command) a site script, not a tool the catalogue
    judges by its name (``./venv/bin/python -c``, ``./ls``, ``./gradlew``, ``manage.py``) nor
    installed third-party code (a virtualenv's or node_modules' programs)?"""
    base = posixpath.basename(path)
    if base == "manage.py" or path in REPO_WRAPPERS or _installed_tree(path):
        return False
    return at > 0 or not (base in CATALOGUE or base in _LAUNCHERS or
                          re.fullmatch(r"python[0-9.]*|pip[0-9.]*|node|ruby|perl|php", base))


def site_script_path(c: SimpleCommand) -> str | None:
    """The path of the site script ``c`` runs (``./x.sh``, ``python x.py``), or None."""
    found = script_of(c.argv) if c.argv else None
    return found[1] if found and _site_script(found[1], found[0]) else None


#: the options of the launchers site_program.LAUNCHERS knows that keep them on this machine
#: with the tree's code and configuration (session 11). Never another host or a cluster's
#: rendezvous (--master_addr, --rdzv_endpoint, --main_process_ip, deepspeed's --hostfile/
#: --launcher: ssh/pdsh to other hosts), -m/--module and --no_python (another program than the
#: script), spark-submit's --conf (driver JVM options, agents), --jars/--packages/
#: --repositories (code from elsewhere), --properties-file, a cluster master by URL
LAUNCHER_OPTS: dict[str, Opts] = {
    "torchrun": opts(
        "--nproc_per_node|--nproc-per-node:word --nnodes:word --node_rank|--node-rank:num "
        "--standalone --master_port|--master-port:num --max_restarts|--max-restarts:num "
        "--monitor_interval|--monitor-interval:num --log_dir|--log-dir:wdir "
        "-r|--redirects:word -t|--tee:word --rdzv_backend|--rdzv-backend:word "
        "--rdzv_id|--rdzv-id:word", abbrev=False),
    "accelerate": opts(
        "--num_processes|--num-processes:num --num_machines|--num-machines:num "
        "--mixed_precision|--mixed-precision:word --gpu_ids|--gpu-ids:word --multi_gpu|"
        "--multi-gpu --cpu --main_process_port|--main-process-port:num "
        "--machine_rank|--machine-rank:num --config_file|--config-file:intree "
        "--dynamo_backend|--dynamo-backend:word --use_deepspeed|--use-deepspeed "
        "--deepspeed_config_file|--deepspeed-config-file:intree --use_fsdp|--use-fsdp "
        "--num_cpu_threads_per_process|--num-cpu-threads-per-process:num -q|--quiet",
        abbrev=False),
    "deepspeed": opts(
        "--num_gpus|--num-gpus:num --num_nodes|--num-nodes:num -i|--include:word "
        "-e|--exclude:word --master_port:num", abbrev=False),
    "spark-submit": opts(
        "--master:sparkmaster --deploy-mode:word --name:any --driver-memory:word "
        "--executor-memory:word --executor-cores:num --num-executors:num "
        "--total-executor-cores:num --driver-cores:num --queue:word --py-files:intree "
        "--files:intree --verbose -v", abbrev=False),
}
KINDS["sparkmaster"] = lambda v: None if re.fullmatch(r"local(?:\[(?:\d{1,4}|\*)\])?+|yarn",
                                                      v) else \
    f"--master {v!r} is not local or the site's YARN"


def _literal_led_glob(w: str) -> bool:
    """A glob bash can only expand to words with the same literal start, never to another
    option: ``local[4]``, ``--master=local[*]`` (a name, or a long option's value, before the
    first glob character)."""
    k = min(i for i in (w.find(ch) for ch in "*?[{") if i >= 0)
    head = w[:k]
    if re.match(r"[A-Za-z0-9_]", head):
        return True
    eq = head.find("=")
    return head.startswith("--") and eq > 2 and eq + 1 < k


def _launcher_why(c: SimpleCommand, at: int) -> str | None:
    """A launcher's options (between its name and the script) from LAUNCHER_OPTS."""
    o = LAUNCHER_OPTS.get(c.name)
    if o is None or at < 1:
        return None
    start = 2 if c.name == "accelerate" else 1
    if any(c.dynamic[start:at]) or any(c.globs(i) and not _literal_led_glob(c.argv[i])
                                        for i in range(start, at)):
        return f"{c.name}: a computed or glob option (it may become any options)"
    p = parse_opts(o, c.argv[start:at])
    if isinstance(p, str):
        return f"{c.name}: {p}"
    if p.ops:
        return f"{c.name}: {p.ops[0]!r} before the script"
    return _values_ok(o, p.pairs)


def site_script_why(c: SimpleCommand) -> str | None:
    """Why the site's script ``c`` runs (site_program.py) is not known safe, or None: only
    ordinary launchers, literal arguments that name no secret, system path or other host and
    say no destruction, and a command line in its arguments only if that is known safe."""
    found = script_of(c.argv)
    if found is None or not _site_script(found[1], found[0]):
        return "not a script of the working tree"
    at, path = found
    why = _launcher_why(c, at)
    if why:
        return f"the site's program {path}: {why}"
    if any(v not in _SITE_VIA and not re.fullmatch(r"(ba|da|z)?sh -c", v) for v in c.via):
        return f"the site's program {path} run by {c.via[-1]}"
    hit = says(path, name=True)
    if hit:
        return f"the site's program {path}: its name says {hit!r}"
    runner = DISPATCHERS.get(posixpath.basename(path))
    verb: tuple[str, ...] = ()
    if runner is not None:
        why = _runner_why(path, runner, c.argv[at + 1:])
        if why:
            return f"the site's program {why}"
        verb = _verb(runner, c.argv[at + 1:])
    return _site_args_why(c, at + 1, f"the site's program {path}", verb)


#: what ``rails generate`` makes: the kind's name says what it makes, not what runs
_GENERATED = frozenset({"migration", "model", "controller", "scaffold", "resource", "job",
                        "mailer", "channel", "helper", "task", "integration_test"})


def _verb(runner: AppRunner, args: Words) -> tuple[str, ...]:
    """The words of a dispatcher's ``args`` that say what its listed verb is (checked by
    _runner_why): the verb, its exact options, the kind ``rails generate`` makes."""
    ops = [a for i, a in enumerate(args) if not a.startswith("-") and not (
        i > 0 and args[i - 1] in runner.values)]
    if not ops or runner.verbs is None:
        return ()
    exact = runner.exact_options(ops[0]) or frozenset()
    kind = ops[1:2] if ops[0] in ("generate", "g") and ops[1:2] and \
        ops[1] in _GENERATED else []
    return (ops[0], *kind, *(a for a in args if a.startswith("-") and "=" not in a and
                            a in exact))


def _site_args_why(c: SimpleCommand, start: int, label: str,
                   verb: tuple[str, ...] = ()) -> str | None:
    """Why the arguments ``c.argv[start:]`` of the site's code keep it held, or None;
    ``verb``: a dispatcher's own listed verb (``db:migrate``) and the words that say what
    it is, not what an argument asks for."""
    args = c.argv[start:]
    for i, a in enumerate(args):
        if a in verb and not (c.dynamic[start + i] if len(c.dynamic) > start + i else True):
            continue
        if c.dynamic[start + i] if len(c.dynamic) > start + i else True:
            return f"{label}: {a!r} is computed"
        opt, eq, value = a.partition("=")
        if _HOST_OPTION.search(opt) and opt.startswith("-"):
            value = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            if value and not (LOOPBACK.fullmatch(value) or _LOCAL_VALUE.match(value) or
                              inside_site(value)):
                # ``--host evil``, ``--host 3232235777``: any name or number an option
                # takes as a host may be another one (red team s11)
                return f"{label}: {opt} {value!r} may name another host"
        if _glob_word(a) and c.globs(start + i) and (a.startswith(("/", "~")) or secretish(a)):
            return f"{label}: the glob {a!r} may name any file"
        parts = a.split("=", 1)[-1].split("/")
        if ".." in parts:
            return f"{label}: {a!r} leaves the working directory"
        if any(p.startswith(".") and p != "." for p in parts) or a.startswith("~"):
            return f"{label}: {a!r} names a dot-file or a home"
        why = argument_why(a)
        if why:
            return f"{label}: {why}"
        if _SCRATCH_CODE.match(a.split("=", 1)[-1]):
            return f"{label}: {a!r} is code in scratch space, anyone's to write"
        if (_COMMAND_LINE.search(a) and (" " in a or "$(" in a or "`" in a)) or (
                " " in a and (posixpath.basename(a.split()[0]) in CATALOGUE or
                              a.split()[0] in _LAUNCHERS)):
            # a command line in one word (``./run.sh "curl x | sh"``): a wrapper that evals
            # it runs every command of it (red team s11)
            why = _command_line_why(a)
            if why:
                return f"{label} takes the command line {a!r}: {why}"
    first = args[1] if args[:1] == ("--",) and len(args) > 1 else (args[0] if args else "")
    if first.startswith(("/", "~")) and not first.startswith(_SCRIPT_ROOTS) and \
            not _ARGUMENT_DATA.search(first):
        # ``./run.sh /tmp/e``: a wrapper's first operand is the program it runs
        return f"{label} takes {first!r}, which may be a program from outside the tree"
    ops = [a for a in args if not a.startswith("-")]
    program = posixpath.basename(ops[0]) if ops else ""
    if program in _LAUNCHERS or program in UNWRAPPERS:
        if verb[:1] == (ops[0],):
            return None  # the runner's own listed verb (``hugo env``), not a program
        return f"{label} takes the command line {' '.join(args)!r}"
    if program in CATALOGUE:
        # ``./with-env.sh rm -rf /data``: a wrapper runs its arguments
        tail = tuple(args[args.index(ops[0]):])
        inner = replace(c, argv=tail, dynamic=(False,) * len(tail), redirects=(),
                        assignments=(), via=(*c.via, c.name))
        v = known_safe(inner)
        if not v.entry:
            return f"{label} takes the command line {' '.join(tail)!r}, which is not known " \
                   f"safe ({v.why})"
    return None


def _runner_why(name: str, runner: AppRunner, args: Words) -> str | None:
    """Why ``args`` of an application runner are not ordinary: listening beyond loopback,
    or a first word that is not one of its verbs; else None."""
    for i, a in enumerate(args):
        opt, eq, value = a.partition("=")
        if not eq and not a.startswith("--") and len(a) > 2 and a[:2] in runner.listen:
            opt, value, eq = a[:2], a[2:], "="  # a short option's attached value: -h0.0.0.0
        if opt in runner.listen:
            value = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            if not LOOPBACK.fullmatch(value):
                return f"{name} listens on {value!r}: other hosts could reach it"
    ops = [a for i, a in enumerate(args) if not a.startswith("-") and not (
        i > 0 and args[i - 1] in runner.values)]
    if runner.verbs is not None and (not ops or ops[0] not in runner.verbs):
        return f"{name} {ops[0] if ops else ''}: not a verb known to run only the app"
    allowed = runner.exact_options(ops[0]) if ops else None
    if allowed is not None:
        value_next = False
        for a in args:
            if value_next:  # the value of a listed ``--name=`` option (rails routes -g x)
                value_next = False
                continue
            if a == ops[0]:
                continue
            opt, eq, _ = a.partition("=")
            if a.startswith("-") and opt + "=" in allowed:
                value_next = not eq
                continue
            if not a.startswith("-") or opt not in allowed:
                return f"{name} {ops[0]}: {a!r} is not an option it is known to take " \
                       "harmlessly"
    return None


def app_runner_why(c: SimpleCommand) -> str | None:
    """Why ``c``, a tool that runs the tree's application (site_program.APP_RUNNERS: a
    server, its routes, its tests), is not known safe, or None: a listed verb, listening on
    loopback only, and arguments held to the site programs' checks."""
    runner = APP_RUNNERS[c.name]
    if any(v not in _SITE_VIA for v in c.via):
        return f"{c.name} run by {c.via[-1]}"
    args = c.args
    why = _runner_why(c.name, runner, args)
    if why:
        return why
    verb = _verb(runner, args)
    hit = next((h for a in args if a not in verb and (h := says(a)) is not None), None)
    if hit:
        return f"{c.name}: {hit!r} says what no unasked step should do"
    spec = next((a for a in args if _app_spec_why(a)), None) if c.name in _PY_APP_LOADERS \
        else None
    if spec:
        return f"{c.name}: {_app_spec_why(spec)}"
    why = _app_options_why(c.name, args)
    if why:
        return f"{c.name}: {why}"
    return _site_args_why(c, 1, c.name, verb)


#: (red team s14 G3) the options each Python app loader may take, and the kind of value:
#: a number, a plain word, ``-`` (a log to the terminal), a loopback address (judged by
#: _runner_why) or none. Never a pid, log, socket, config or paste file (gunicorn's pid file
#: replaces whatever file it names, then deletes it), a python path or app directory (code
#: from elsewhere), --daemon (it outlives the session; a reloader makes the tree live in
#: flow.py instead), a user or group, a statsd host
_APP_OPTIONS: dict[str, dict[str, str]] = {
    "gunicorn": {"-b": "listen", "--bind": "listen", "-w": "num", "--workers": "num",
                 "-k": "worker", "--worker-class": "worker", "--threads": "num",
                 "-t": "num", "--timeout": "num", "--graceful-timeout": "num",
                 "--keep-alive": "num", "--log-level": "word", "--access-logfile": "dash",
                 "--error-logfile": "dash", "--capture-output": "", "--preload": "",
                 "--max-requests": "num", "--max-requests-jitter": "num", "-n": "word",
                 "--name": "word", "--check-config": "", "--print-config": "", "--reload": ""},
    "uvicorn": {"--host": "listen", "--port": "num", "--workers": "num", "--log-level": "word",
                "--factory": "", "--no-access-log": "", "--access-log": "",
                "--proxy-headers": "", "--no-proxy-headers": "", "--timeout-keep-alive": "num",
                "--lifespan": "word", "--loop": "word", "--http": "word", "--ws": "word",
                "--interface": "word", "--limit-concurrency": "num", "--reload": ""},
    "hypercorn": {"-b": "listen", "--bind": "listen", "-w": "num", "--workers": "num",
                  "-k": "word", "--worker-class": "word", "--log-level": "word",
                  "--access-logfile": "dash", "--error-logfile": "dash",
                  "--keep-alive": "num", "--graceful-timeout": "num", "--reload": ""},
    "daphne": {"-b": "listen", "--bind": "listen", "-p": "num", "--port": "num",
               "-v": "num", "--verbosity": "num", "--proxy-headers": "",
               "--http-timeout": "num", "--access-log": "dash"},
    "waitress-serve": {"--host": "listen", "--listen": "listen", "--port": "num",
                       "--threads": "num", "--call": "", "--ident": "word",
                       "--channel-timeout": "num", "--connection-limit": "num"},
    "flask": {"-A": "spec", "--app": "spec", "-h": "listen", "--host": "listen", "-p": "num",
              "--port": "num", "--no-reload": "", "--no-debugger": "", "--with-threads": "",
              "--without-threads": "", "--sort": "word", "--all-methods": "", "-s": "word",
              "--reload": ""},
}
#: gunicorn's own worker classes (``-k`` names a class it imports)
_APP_WORKERS = frozenset({"sync", "gthread", "eventlet", "gevent", "tornado",
                          "uvicorn.workers.UvicornWorker", "uvicorn_worker.UvicornWorker"})
_APP_VALUE = {"num": re.compile(r"\A[0-9]{1,6}\Z"), "word": re.compile(r"\A[A-Za-z0-9_.-]{1,40}\Z")}
#: daemon switches of the app runners (each one's own short flag: hugo's and jekyll's -d is
#: a destination): a server that outlives the session. A reloader or a server in the
#: background makes its tree live instead (flow.py): later writes there are held
_DAEMON_FLAGS = frozenset({"--daemon", "--daemonize", "--detach"})
_DAEMON_SHORT = {"rails": "-d", "gunicorn": "-D"}


def _app_options_why(name: str, args: Words) -> str | None:
    """Why an app runner's options are not its listed harmless ones, or None."""
    if any(a.split("=", 1)[0] in _DAEMON_FLAGS or a == _DAEMON_SHORT.get(name) for a in args):
        return "a daemon outlives the session and runs every later write of its tree"
    table = _APP_OPTIONS.get(name)
    if table is None:
        return None
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if not a.startswith("-") or a == "-":
            continue
        opt, eq, value = a.partition("=")
        if not eq and not a.startswith("--") and len(a) > 2 and a[:2] in table:
            opt, value, eq = a[:2], a[2:], "="  # -w4, -b127.0.0.1:8000
        kind = table.get(opt)
        if kind is None:
            return f"{opt!r} is not an option it is known to take harmlessly"
        if not kind:
            if eq:
                return f"{opt!r} takes no value"
            continue
        if not eq:
            value = args[i] if i < len(args) else ""
            i += 1
        if kind == "dash" and value != "-" or kind == "worker" and value not in _APP_WORKERS \
                or kind in _APP_VALUE and not _APP_VALUE[kind].match(value) or \
                kind == "spec" and _app_spec_why(value):
            return f"{opt} {value!r} is not a value it is known to take harmlessly"
    return None


#: runners that load ``module:attr`` (gunicorn and flask call ``attr(ARGS)`` when it is
#: written as a call, hypercorn evals it): the spec is code unless a plain name of the tree
_PY_APP_LOADERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "waitress-serve",
                             "flask"})
_APP_SPEC = re.compile(r"\A(?:--app=|-A)?+([A-Za-z_][A-Za-z0-9_.]*+):[A-Za-z_][A-Za-z0-9_.]*+\Z")


def _app_spec_why(word: str) -> str | None:
    """Why an argument of a Python app loader is code rather than a plain ``module:attr`` of
    the tree, or None (red team s14: ``gunicorn 'shutil:rmtree("/srv/data")'``)."""
    # a factory of the tree called with nothing (``app:create_app()``) is the application
    plain = word.removesuffix("()")
    m = _APP_SPEC.match(plain)
    if "(" in plain or ")" in plain or (plain != word and m is None):
        return f"{word!r} is a call the loader makes"
    if m and m.group(1).split(".", 1)[0] in sys.stdlib_module_names:
        return f"{word!r} names the standard library, not the tree's application"
    return None


#: options whose value is a host (``--host``, ``--db-host``, ``--server``, ``--url``)
_HOST_OPTION = re.compile(r"(?:host|hostname|server|addr|address|url|uri|endpoint|remote|"
                          r"proxy|dsn)\Z", re.I)
#: a host option's value that stays here: loopback, any local address, a path or socket
_LOCAL_VALUE = re.compile(r"\A(?:0\.0\.0\.0|127\.[0-9.]++|\[?::1?\]?|localhost|/|"
                          r"[a-z]++://(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/]|\Z))", re.I)
#: shell syntax that makes one word a command line: a pipe, a list, a substitution, a
#: redirection between blanks
_COMMAND_LINE = re.compile(r"[|;`\n]|&&|\$\(|\s[<>]|[<>]\s|\s&\s*\Z")
#: a file a script reads or writes as data by its name
_ARGUMENT_DATA = re.compile(r"\.(txt|log|csv|tsv|json|jsonl|ya?ml|xml|md|html?|out|err|bak|"
                            r"png|jpe?g|gif|svg|pdf|gz|tgz|zip|tar|xz|bz2|zst|parquet|pkl|npy|"
                            r"npz|h5|pt|ckpt|bin|onnx|safetensors|sqlite3?|db|sql|dump)/*\Z")
#: where a cd resolves a site script's path (site_program.SCRIPT_PATH)
_SCRIPT_ROOTS = DEPLOY_ROOTS


def _command_line_why(text: str) -> str | None:
    """Why the command line ``text`` (a site script's argument) is not known safe, or None."""
    result = parse(text, depth=1)
    if result.problems or not result.commands:
        return "the guard cannot read it as commands"
    for cmd in result.commands:
        v = known_safe(cmd)
        if not v.entry:
            return v.why
        # the rules are not run here: what they look at (a secret, a system path, another
        # host, a word of destruction) holds it as an argument of the script would
        why = next(filter(None, map(argument_why, cmd.argv[1:])), None) or (
            f"it says {says(cmd.name)!r}" if says(cmd.name) else None)
        if why:
            return why
    return None


_PY_MODULES = {"pytest": "pytest", "pip": "pip", "venv": "venv", "mypy": "mypy",
               "ruff": "ruff", "black": "black", "unittest": "unittest", "tox": "tox",
               # the linters and reports of the catalogue, judged as their own entries
               "flake8": "flake8", "isort": "isort", "pylint": "pylint",
               "coverage": "coverage"}


#: interpreter flags before -c that change nothing the code can do (never -i: a prompt
#: after it; never -X, -W: importable hooks and warnings filters)
_PY_FLAGS = frozenset({"-I", "-E", "-s", "-S", "-B", "-u", "-q", "-O", "-OO", "-b", "-bb"})


#: a virtualenv's activation, by the names ``python -m venv`` is given (``.venv``, ``venv``,
#: ``env``) in the tree, or a home's collection of them (``~/venvs/NAME``, virtualenvwrapper's
#: ``~/.virtualenvs/NAME``): its script sets PATH to it. flow.py holds a sourced file the
#: session wrote, fetched or unpacked (session 14: the tuning sets' home virtualenvs)
_VENV_ACTIVATE = re.compile(
    r"\A(?:" + tree_root(r"(?:venv|env)/bin/activate\Z") + r"(?:\.venv|venv|env)|"
    r"~/(?:venvs|\.venvs|\.virtualenvs|envs)/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}+)"
    r"/bin/activate\Z")


def _check_artifacts(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if build_artifacts_only(c) else "deletes files (only build artifacts are known " \
        "safe: node_modules, dist, build, __pycache__...)"


def _check_split(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """split INPUT [PREFIX]: the chunks are PREFIXaa... in the tree (never a dot-file)."""
    if len(ops) > 2:
        return "split takes an input and a prefix"
    prefix = ops[1] if len(ops) == 2 else "x"
    extra = next((v for k, v in pairs or () if k == "--additional-suffix"), "") or ""
    return None if safe_write_target(prefix + "aa" + extra, True) else \
        f"split writes {prefix!r}... outside the working tree or onto code"


def _check_activate(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``source .venv/bin/activate``: that file only, nothing after it."""
    if len(rest) == 1 and _VENV_ACTIVATE.fullmatch(rest[0]):
        return None
    return "sources a script (its code runs in this shell)"


#: Django's manage.py: the framework's checks, tests, migration planning and the deploy's
#: forward migration and static files. The project's code runs, as under pytest (flow.py
#: holds it after the session wrote there); never shell/dbshell (a prompt), flush/sqlflush
#: (empties the database), migrate to a named migration (``migrate orders 0041``, ``zero``:
#: back down, dropping what later ones made) or --fake, collectstatic --clear or --link,
#: runserver (listens), diffsettings (SECRET_KEY), or a site's own command
_MANAGE_PY = {"check": "--deploy --fail-level:word --tag:word -t:word --database:word",
              "test": "--parallel:?any --keepdb -k:any --failfast --verbosity:num -v:num "
                      "--settings:word --noinput --no-input --tag:word --exclude-tag:word "
                      "--shuffle:?any --reverse --debug-mode --timing --buffer",
              "showmigrations": "--plan -p --list -l --database:word --verbosity:num -v:num",
              "makemigrations": "--dry-run --check --name:word -n:word --empty --merge "
                                "--noinput --no-input --verbosity:num -v:num",
              "sqlmigrate": "--backwards --database:word",
              "migrate": "--plan --check --database:word --verbosity:num -v:num --noinput "
                         "--no-input",
              "collectstatic": "--noinput --no-input --ignore:word -i:word --verbosity:num "
                               "-v:num --no-post-process",
              "createcachetable": "--database:word --dry-run",
              "compilemessages": "--locale:word -l:word --ignore:word -i:word",
              "version": "", "help": "", "--version": "", "--help": ""}


def _manage_py(rest: Words) -> str | None:
    cmd = rest[0] if rest else ""
    spec = _MANAGE_PY.get(cmd)
    if spec is None:
        return f"manage.py {cmd or '(no command)'}: the site's program (a grant's allow: list)"
    o = opts(spec)
    p = parse_opts(o, tuple(rest[1:]))
    if isinstance(p, str):
        return f"manage.py {cmd}: {p}"
    why = _values_ok(o, p.pairs)
    if why:
        return f"manage.py {cmd}: {why}"
    bad = [o for o in p.ops if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.]*", o)]
    if bad:
        return f"manage.py {cmd}: {bad[0]!r} is not an app or a test label"
    if cmd in ("migrate", "collectstatic", "createcachetable", "compilemessages") and \
            len(p.ops) > (cmd == "migrate"):
        # ``migrate APP`` forward; ``migrate APP NAME`` migrates to NAME, back down too
        return f"manage.py {cmd} {' '.join(p.ops)}: a migration to a named state, or operands"
    return None


def _check_python(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if rest in _VERSION_ONLY:
        return None
    if len(rest) >= 2 and rest[0] == "-m" and rest[1] in _PY_MODULE_SHAPES:
        inner = replace(c, argv=(rest[1], *rest[2:]), dynamic=c.dynamic[2:] if c.dynamic else ())
        v = _shape(rest[1], _PY_MODULE_SHAPES[rest[1]], inner, tuple(rest[2:]), 1)
        return None if v.entry else v.why
    if rest[:1] and posixpath.basename(rest[0]) == "manage.py" and \
            SCRIPT_PATH.fullmatch(rest[0]):
        return _manage_py(rest[1:])
    at = next((i for i, a in enumerate(rest) if a not in _PY_FLAGS), len(rest))
    if rest[at:at + 1] == ("-c",):
        # the program's own arguments follow it (sys.argv): judged as operands already
        if at + 1 >= len(rest):
            return "python -c without a program"
        dyn = c.dynamic[1 + at + 1] if len(c.dynamic) > 1 + at + 1 else True
        return "the program comes at run time" if dyn else inline_python_why(rest[at + 1])
    if len(rest) >= 2 and rest[0] == "-m" and _SITE_MODULE.fullmatch(rest[1]) and \
            rest[1].split(".", 1)[0] not in sys.stdlib_module_names:
        # ``python -m src.train --epochs 3``: a module of the tree, run as its script would be
        # (a dotted path: a single name is as likely an installed tool's)
        hit = says(rest[1], name=True)
        if hit:
            return f"python -m {rest[1]}: its name says {hit!r}"
        if any(v not in _SITE_VIA for v in c.via):
            return f"python -m {rest[1]} run by {c.via[-1]}"
        return _site_args_why(c, 3, f"python -m {rest[1]}")
    if len(rest) >= 2 and rest[0] == "-m" and rest[1] in _PY_MODULES:
        module, tail = rest[1], rest[2:]
        if module == "pip":
            entry = CATALOGUE["pip"]
            assert isinstance(entry, Tool)
            v = _match_tool("pip", entry, c, ("pip", *tail), 0)
            return None if v.entry else v.why
        if module == "venv":
            return None if all(safe_write_target(a) or a in (".venv", ".env") for a in tail
                               if not a.startswith("-")) else "venv outside the working directory"
        if module in CATALOGUE:
            entry = CATALOGUE[module]
            inner = replace(c, argv=(module, *tail), dynamic=c.dynamic[2:] if c.dynamic else ())
            v = _match_tool(module, entry, inner, inner.argv, 0) if isinstance(entry, Tool) \
                else _shape(module, entry, inner, tuple(tail), 1)
            return None if v.entry else v.why
        return None
    return "an interpreter runs a program the guard cannot see"


#: signals no program acts on unasked: 0 only probes, CONT resumes a stopped process
#: (WINCH is not one: nginx's master stops its workers, apache2 stops gracefully)
_INERT_SIGNALS = frozenset({"0", "CONT", "18"})
#: the stop every program is written to take (init sends TERM at shutdown; INT is Ctrl-C):
#: ordinary to the shell's own jobs (%N); to a pid, held since session 17: the pid may be a
#: database's postmaster (INT is PostgreSQL's fast shutdown), and no ordinary session of the
#: tuning and held-out sets (1,800 lines) kills by pid at all
_STOP_SIGNALS = frozenset({"TERM", "INT", "2", "15"})
#: catchable signals each program defines for itself (HUP: reload for a daemon, exit for
#: anything else; USR1/USR2: sshd dies, nginx reopens its logs; QUIT: a core dump): ordinary
#: only to the shell's own jobs (%N) or to a service's documented ones (guard/pidfile.py)
_SOFT_SIGNALS = frozenset({"HUP", "USR1", "USR2", "QUIT", "WINCH", "1", "3", "10", "12",
                           "28"}) | _INERT_SIGNALS | _STOP_SIGNALS
#: a service's own pid, read from the pid file its (root-run) master writes, with a signal
#: that service documents as reload or reopen (_pidfile_kill); an agent cannot type a NUL
SERVICE_PID = "\x00service"


def _check_kill(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """kill: a signal that changes nothing by default to any process; a catchable one to the
    shell's own jobs; a service's documented reload signal to its pid file's pid
    (guard/pidfile.py). SIGKILL and friends are rules; docs/guard-least-privilege.md."""
    sigs: list[str] = []
    pids: list[str] = []
    i = 0
    while i < len(rest):
        a = rest[i]
        sig = None
        if a in ("-s", "-n", "--signal") and i + 1 < len(rest):
            sig, i = rest[i + 1], i + 1
        elif a.startswith("--signal="):
            sig = a.split("=", 1)[1]
        elif a.startswith(("-s", "-n")) and len(a) > 2 and not a[2:].isdigit():
            sig = a[2:]
        elif a in ("-l", "-L", "--list", "--table"):
            return None
        elif a.startswith("-") and a != "--":
            sig = a[1:]
        elif a == SERVICE_PID or re.fullmatch(r"[0-9]+|%[0-9]+", a):
            pids.append(a)
        else:
            return f"kill {a!r}: not a plain process id"
        if sig is not None:
            sig = sig.upper().removeprefix("SIG")
            if sig not in _SOFT_SIGNALS:
                return f"signal {sig!r} is not a plain terminate/reload signal"
            sigs.append(sig)
        i += 1
    sig = sigs[-1] if sigs else "TERM"
    for p in pids:
        if p[:1] != "%" and p != SERVICE_PID and sig not in _INERT_SIGNALS:
            return f"SIG{sig} to process {p}: what it does is the program's choice (sshd " \
                   "dies of USR2, nginx stops its workers on WINCH, a postmaster shuts the " \
                   "database down on INT or TERM) and the guard cannot know which program " \
                   "that is"
    return None


def _pidfile_kill(c: SimpleCommand, entry: Shape | Tool) -> SimpleCommand | str:
    """``kill -HUP $(cat /run/nginx.pid)`` (also run by a wrapper) as ``kill -HUP SERVICE``:
    one pid substituted from a service's root-written pid file, with a signal that service
    documents as reload or reopen (guard/pidfile.py); why not, for a pid file with another
    signal. Any other shape is returned as it is."""
    at = 0 if c.name == "kill" else unwrap_at(c)[0] if isinstance(entry, Shape) and \
        entry.check in ("wrapper", "env") else None
    if at is None or at >= len(c.argv) or command_name(c.argv[at]) != "kill":
        return c
    args = c.argv[at + 1:]
    if len(args) == 3 and args[0] == "-s":
        sig, word = args[1], args[2]
    elif len(args) == 2 and args[0].startswith("-"):
        sig, word = args[0][1:], args[1]
    else:
        return c
    last = len(c.argv) - 1
    path = pidfile(word)
    sig = signal_name(sig)
    if path is None or any(c.dynamic[at:last]):
        return c
    if not (sig in _INERT_SIGNALS or sig in service_signals(path)):
        known = service_signals(path)
        return f"SIG{sig} by {path}: " + (
            f"not one its service documents as reload ({', '.join(sorted(known))})" if known
            else "no known service's pid file in /run itself (what SIGHUP, SIGUSR1, SIGUSR2 "
                 "do is the program's choice; below /run a service account may write it)")
    return replace(c, argv=(*c.argv[:last], SERVICE_PID), dynamic=(*c.dynamic[:last], False),
                   split=(*c.split[:last], False) if len(c.split) == len(c.argv) else ())


_SPECIAL_NAME = re.compile(r"^(PATH|LD_[A-Z_]+|BASH_ENV|ENV|IFS|PS[0-4]|PROMPT_COMMAND|"
                           r"SHELLOPTS|BASHOPTS|CDPATH|GLOBIGNORE|HOME|HIST[A-Z]*|"
                           # the login's name: secret_paths.settled reads it as a plain name
                           r"USER|LOGNAME|__sshgate.*)$")


def _check_export(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for a in rest:
        if a.startswith("-") and a not in ("-n", "-v"):
            return f"{c.name} {a}"
        name = a.split("=", 1)[0]
        if c.name == "unset" and (_SPECIAL_VAR.match(name) or _SPECIAL_NAME.match(name)):
            return f"changes {name}, which changes what later commands do"
        why = assignment_why(a, exported=True) if c.name == "export" else None
        if why:
            return why
    return None


#: lower-case names tools read from the environment (``npm_config_script_shell``)
_TOOL_LOWER = re.compile(r"^(npm_config_|yarn_|pnpm_|bundle_|pip_|uv_|cargo_)|_proxy$",
                         re.I)


def assignment_why(word: str, exported: bool) -> str | None:
    """Why ``NAME=value`` (or ``export NAME``) is not ordinary, or None. One allow-list for
    every way a name reaches a command's environment (``export``, ``VAR=x cmd``, ``env``):
    a name on the safe list only. A shell variable reaches none until it is exported
    (``X=1; export X`` is judged at the export)."""
    name = word.split("=", 1)[0].removesuffix("+")
    if _PATH_PREPEND.fullmatch(word):
        return None
    plain = "=" in word and not word.split("=", 1)[0].endswith("+")  # (red team s15 A9)
    if plain and word.split("=", 1)[1] in _PINNED_VALUES.get(name, ()):
        return None  # the value the gateway pins (or an editor that accepts as it stands)
    if _SPECIAL_VAR.match(name) or _SPECIAL_NAME.match(name):
        return f"sets {name}, which changes what later commands do"
    if _SAFE_ENV.match(name + "="):
        return None
    valued = _VALUED_ENV.get(name)
    if valued is not None and plain and valued.fullmatch(word.split("=", 1)[1]):
        return None
    if exported or _TOOL_LOWER.search(name):
        return f"exports {name}, which a tool may read (only names on the safe list are)"
    return None


def _check_command(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if rest[:1] in (("-v",), ("-V",)):
        return None
    return _check_wrapper(c, rest, ops, pairs)


def _check_git_remote_names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not remote_name_ok(o)]
    return f"{bad[0]!r} is not a remote's name" if bad else None


def _check_git_blob(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``REV:PATH`` prints a file as committed: a secret committed is still a secret."""
    for o in ops:
        rev, colon, path = o.partition(":")
        if colon and path and secretish(path):
            return f"{o!r} prints a file that could be a secret"
    if c.args[:1] == ("cat-file",):
        return _cat_file_why(rest, ops)
    return None


#: cat-file's modes that print only an object's type, size or existence
_CAT_FILE_META = frozenset({"-t", "-s", "-e", "--batch-check"})
#: an object cat-file may print whole: a commit or tree (its names and ids, never a file's
#: content) spelt from HEAD, or a committed file by its path (judged above)
_CAT_FILE_NAMED = re.compile(r"\A(?:HEAD(?:~[0-9]{0,4}|\^[0-9]{0,4}(?!\{))*+"
                             r"(?:\^\{(?:commit|tree)\})?|"
                             r"[^:]*+:.++)\Z")


def _cat_file_why(rest: Words, ops: Words) -> str | None:
    """(red team s16 #5) ``git cat-file -p ID`` prints any blob by its object id, a
    committed .env among them, where ``REV:PATH`` names the path the secret check reads; so
    does a batch of ids from stdin. Only type, size and existence are printed for any id."""
    if any(a.split("=", 1)[0] in _CAT_FILE_META for a in rest) and not any(
            a.split("=", 1)[0] in ("--batch", "--batch-command", "-p") for a in rest):
        return None
    if any(a.split("=", 1)[0] in ("--batch", "--batch-command", "--batch-all-objects")
           for a in rest):
        return "cat-file prints whole objects it reads by id (any committed file)"
    objects = ops[1:] if ops and ops[0] in ("blob", "tree", "commit", "tag") else ops
    bad = next((o for o in objects if not _CAT_FILE_NAMED.match(o)), None)
    if bad is not None:
        return f"{bad!r} may be any object, a committed file's content by its id"
    return None


def _check_git_named_remote(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """fetch/pull/push/ls-remote by remote name: a URL would bring in (or send off) another
    repository's tree, whose Makefile and hooks an ordinary build then runs."""
    if ops and not remote_name_ok(ops[0]):
        return f"{ops[0]!r} is a URL or path, not a configured remote"
    if c.args[:1] != ("push",) and "push" not in c.args[:3]:
        for spec in ops[1:]:
            if not _GIT_REFSPEC.match(spec) or _REVIEW_REF.match(spec.lstrip("+")) or \
                    _OBJECT_ID.match(spec.lstrip("+").split(":", 1)[0]):
                # a pull request's head is a stranger's code in the team's remote (red team
                # s14: ``git pull origin pull/123/head && make test``), as gh pr checkout is
                return f"{spec!r} is not a branch or tag of the remote (a review ref, an " \
                       "object id, a pattern or a path)"
    return None


def _check_git_tree_ref(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A verb that puts a commit into the working tree, from what the last fetch brought
    (FETCH_HEAD) or a review ref: a stranger's code an ordinary build then runs."""
    for a in rest:
        v = a.split("=", 1)[-1]
        if "FETCH_HEAD" in v or _REVIEW_REF.match(v.removeprefix("refs/remotes/")) and \
                v.startswith("refs/"):
            return f"{a!r} is what a fetch brought or a review ref, not a branch of the team's"
    return None


#: an object id (abbreviated or whole): a host serves any commit it holds by its id, a pull
#: request's or a fork's too (red team s14 G2: ``git fetch origin SHA && git checkout SHA``)
_OBJECT_ID = re.compile(r"\A[0-9a-fA-F]{7,64}\Z")
#: a refspec of plain branch or tag names (``main``, ``+release/1.2:release/1.2``)
_GIT_REFSPEC = re.compile(r"\A\+?+[A-Za-z0-9_][A-Za-z0-9._/-]{0,200}+"
                          r"(?::[A-Za-z0-9_][A-Za-z0-9._/-]{0,200}+)?+\Z")
#: the refs code hosts keep for proposed changes: GitHub's pull/N, GitLab's
#: merge-requests/N, Bitbucket's pull-requests/N, Gerrit's changes/NN/N
_REVIEW_REF = re.compile(r"\A(?:refs/)?+(?:pull|pulls|pull-requests|merge-requests|changes|"
                         r"remotes)/", re.I)


def _check_git_clone(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """clone from a plain network URL (git.py) into a new directory of the working tree."""
    if not ops or len(ops) > 2:
        return "git clone takes a URL and at most a directory"
    if not remote_url_ok(ops[0]):
        return f"{ops[0]!r} is not a plain http(s), git or ssh URL (a local path, file://, " \
               "a transport helper or an unknown scheme)"
    if len(ops) == 2 and not safe_write_target(ops[1].rstrip("/")):
        return f"clones into {ops[1]!r}"
    return None


_IPT_LIST = frozenset({"-L", "--list", "-S", "--list-rules", "-n", "--numeric", "-v",
                       "--verbose", "--line-numbers", "-x", "--exact", "-nL", "-Ln", "-nvL",
                       "-vnL", "-L -n", "-t", "--table", "filter", "nat", "mangle", "raw",
                       "security", "INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"})


#: a user-defined chain (DOCKER-USER, f2b-sshd, KUBE-SERVICES): at most 28 characters
_IPT_CHAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,27}")


def _check_iptables(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a chain to list may be a user-defined one: a plain name right after -L/-S (the word
    # after -t stays a built-in table: another name autoloads a kernel module)
    chains = {i for i, a in enumerate(rest) if i and rest[i - 1] in (
        "-L", "--list", "-S", "--list-rules", "-nL", "-vnL", "-nvL") and _IPT_CHAIN.fullmatch(a)}
    if rest and all(a in _IPT_LIST or i in chains for i, a in enumerate(rest)) and any(
            "L" in a or "S" in a for i, a in enumerate(rest) if i not in chains):
        return None
    return "a firewall change (only listing is known safe)"


#: nginx -t -c: a .conf file of /etc/nginx (bare -t already loads /etc/nginx/nginx.conf and
#: what it includes; never another file, which nginx would quote back in its parse error,
#: nor one whose name says it holds a password or key)
_NGINX_CONF = re.compile(r"/etc/nginx/[A-Za-z0-9_./-]{1,400}+")


def _nginx_conf(v: str) -> bool:
    return bool(_NGINX_CONF.fullmatch(v)) and v.endswith(".conf") and not any(
        p.startswith(".") or not p for p in v.split("/")[1:]) and not re.search(
        r"(?i)passw|secret|key|token|cred", v)


def _check_nginx(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """nginx -t/-T (test the configuration), -v/-V, -s reload/reopen."""
    for i, a in enumerate(rest):
        if a in ("-t", "-T", "-v", "-V", "-q", "-tq"):
            continue
        conf = rest[i + 1] if a == "-c" and i + 1 < len(rest) else rest[i] if i > 0 and \
            rest[i - 1] == "-c" else ""
        if conf and _nginx_conf(conf) and any(t in rest for t in ("-t", "-T", "-tq")):
            continue
        if a == "-s" and rest[i + 1:i + 2] in (("reload",), ("reopen",)):
            continue
        if i > 0 and rest[i - 1] == "-s" and a in ("reload", "reopen"):
            continue
        return f"nginx {a!r} (only -t, -v and -s reload are known safe)"
    return None if rest else "nginx without -t starts a server"


def _check_dpkg(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if rest and rest[0] in ("-l", "--list", "-L", "--listfiles", "-s", "--status", "-S",
                            "--search", "--print-architecture", "--get-selections",
                            "-V", "--verify"):
        return None
    return "dpkg other than a query"


def _check_rpm(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if rest and rest[0].startswith("-q") and not any("--scripts" in a for a in rest):
        return None
    return "rpm other than a query"


#: ansible-playbook options under which no task runs against a host (check mode, or a mode
#: that only parses or lists)
_PLAYBOOK_DRY = frozenset({"-C", "--syntax-check", "--list-hosts", "--list-tasks",
                           "--list-tags"})


def _check_ansible(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not any(k in _PLAYBOOK_DRY for k, _ in pairs):
        return "a playbook run changes hosts"
    return _check_in_tree(c, rest, ops, pairs)


def _check_ansible_ping(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if tuple(rest) == ("--version",):
        return None
    # ansible takes the LAST -m: every spelling of every one must be ping or setup
    modules = []
    for i, a in enumerate(rest):
        if a in ("-m", "--module-name"):
            modules.append(rest[i + 1] if i + 1 < len(rest) else "")
        elif a.startswith("--module-name=") or a.startswith("--mod"):
            modules.append(a.partition("=")[2] if "=" in a else "")
        elif a.startswith("-m") and len(a) > 2:
            modules.append(a[2:])
        elif a.startswith("-") and not a.startswith("--") and "m" in a[1:]:
            modules.append("")  # -m inside a cluster (-vm x): not read here
    if modules and all(m in ("ping", "setup") for m in modules):
        return None
    return "an ansible module other than ping/setup"


#: mysqladmin's commands that only report (each is its whole name: mysqladmin takes any
#: unique prefix, so a prefix is never listed); not create/drop/kill/flush-*/password/
#: shutdown/start-*/stop-*/debug/reload/refresh
_MYSQLADMIN_READ = frozenset({"status", "extended-status", "processlist", "variables",
                              "version", "ping"})


def _check_mysqladmin(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if o not in _MYSQLADMIN_READ]
    if bad or not ops:
        return f"mysqladmin command {bad[0]!r} changes the server" if bad else \
            "mysqladmin without a command"
    return None


#: a supervisor program, a group's program or all of a group (``app:*``), or ``all``
_SUPERVISOR_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*+(?::(?:[A-Za-z0-9_][A-Za-z0-9_.-]*+|"
                              r"\*))?")


def _check_supervisor(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Program names only: supervisorctl joins its words into one line and reads it again, so
    a word with a blank or a quote would be more words; a glob ``app:*`` stays in the group
    (bash may expand it to file names ``app:...``: more names of that group)."""
    for o in ops:
        if not _SUPERVISOR_NAME.fullmatch(o):
            return f"{o!r} is not a program or group name"
    return None


def _check_pm2(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Process names or ids, never a file (an ecosystem file is code)."""
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", o):
            return f"{o!r} is not a process name or id"
    return None


def _check_apachectl(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """apachectl configtest / -t [-D DUMP_*] / -S / -M / -v / -V / -l / -L, and graceful (as
    nginx -s reload); never -f/-C/-c/-d (another configuration, directives or server root:
    LoadModule runs a library), start/stop/restart."""
    if rest in (("configtest",), ("graceful",)):
        return None
    i = 0
    while i < len(rest):
        a = rest[i]
        if a in ("-t", "-S", "-M", "-v", "-V", "-l", "-L"):
            i += 1
            continue
        if a == "-D" and i + 1 < len(rest) and rest[i + 1] in (
                "DUMP_VHOSTS", "DUMP_MODULES", "DUMP_RUN_CFG", "DUMP_INCLUDES"):
            i += 2
            continue
        return f"apachectl {a!r} (only configtest, -t, -S, -M, -v and graceful are known safe)"
    return None if rest else "apachectl without a command starts the server"


CHECKS.update({"awk": _check_awk, "service": _check_service, "nc-z": _check_nc,
               "mysqladmin": _check_mysqladmin, "supervisor": _check_supervisor,
               "pm2": _check_pm2, "apachectl": _check_apachectl,
               "ssh-keygen": _check_keygen, "version": _check_version,
               "activate": _check_activate, "python": _check_python,
               "artifacts": _check_artifacts, "split": _check_split,
               "dpkg": _check_dpkg, "kill": _check_kill, "nginx": _check_nginx,
               "iptables": _check_iptables,
               "export": _check_export, "command": _check_command,
               "git-remote-names": _check_git_remote_names, "rpm": _check_rpm,
               "git-blob": _check_git_blob,
               "git-named-remote": _check_git_named_remote, "git-clone": _check_git_clone,
               "git-tree-ref": _check_git_tree_ref,
               "ansible-check": _check_ansible, "ansible-ping": _check_ansible_ping})

# --- developer tools (held-out coding-agent lines, issue 15) ------------------------------------
# Measured on lines written before reading the guard (docs/guard-least-privilege.md, "Held-out
# developer lines"): each entry is the tool's ordinary family from its manual, never a write
# path, a program, a config or plugin it loads, or a file it reads into its output.
def _check_git_clean_dry(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "-n" for k, _ in pairs or ()) else \
        "git clean without -n deletes untracked files"


#: names beside the tree that something runs from or serves (``~/bin`` is on PATH)
_NOT_BESIDE = frozenset({"bin", "sbin", "lib", "lib64", "libexec", "current", "public_html",
                         "cgi-bin", "htdocs", "www", "html", "wwwroot", "webroot"})


def _check_git_worktree_add(c: SimpleCommand, rest: Words, ops: Words,
                            pairs: Pairs) -> str | None:
    """git worktree add PATH [COMMIT]: a new directory in the tree, or one plain name beside
    it (``../repo-hotfix``): never a dot-directory, a program directory, a path elsewhere."""
    if not ops:
        return "git worktree add without a path"
    if _check_git_tree_ref(c, rest, ops, pairs):
        return _check_git_tree_ref(c, rest, ops, pairs)
    path = ops[0].rstrip("/")
    if path.startswith("../"):
        name = path[3:]
        if _PLAIN_PART.fullmatch(name) and not name.startswith(".") and \
                name not in _NOT_BESIDE and not secretish(name):
            return None
        return f"{ops[0]!r} is not a plain new directory beside the tree"
    return None if _in_tree(path) and safe_write_target(path) and \
        path.split("/")[0] not in _NOT_BESIDE else \
        f"{ops[0]!r} is not a plain directory in the tree"


def _check_git_apply_look(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    keys = {k for k, _ in pairs or ()}
    if "--check" in keys or keys & {"--stat", "--numstat", "--summary"}:
        return None  # each turns applying off (git-apply(1)); --apply is not listed
    return "git apply writes the patch's content into the tree"


#: words a test runner, linter or dev server may take after ``npm test --`` / ``npm run X --``
#: (jest, vitest, mocha, playwright, eslint, vite): filters, modes, built-in reporters. Never a
#: config, setup or require file, a root, an output file or a host: those load code or write.
_PASS_FLAGS = frozenset({
    "--coverage", "--no-coverage", "--ci", "--runInBand", "-i", "--verbose", "--silent",
    "--passWithNoTests", "--detectOpenHandles", "--forceExit", "--no-cache", "--run",
    "--listTests", "--onlyChanged", "--updateSnapshot", "--update", "--color", "--colors",
    "--no-color", "--json", "--fix", "--quiet", "--headed", "--no-watch", "--bail",
    "--changed", "--logHeapUsage", "--showConfig", "--errorOnDeprecated", "--lastCommit",
    "--typecheck", "--allowOnly", "--no-file-parallelism", "--list", "--forbid-only",
    "--strictPort"})
_RUNNER_REPORTERS = frozenset({"dot", "verbose", "default", "basic", "spec", "list", "line",
                               "json", "tap", "tap-flat", "min", "progress", "github-actions",
                               "summary", "hanging-process", "nyan", "landing"})
_PASS_VALUED: dict[str, Callable[[str], bool]] = {
    **dict.fromkeys(("--watch", "--watchAll"), lambda v: v in ("false", "true")),
    **dict.fromkeys(("-t", "--testNamePattern", "--testPathPattern", "--grep", "-g",
                     "--grep-invert", "--testPathIgnorePatterns"), lambda v: True),
    "--reporter": lambda v: v in _RUNNER_REPORTERS,
    **dict.fromkeys(("--maxWorkers", "--workers", "-w"),
                    lambda v: re.fullmatch(r"[0-9]{1,3}%?", v) is not None),
    **dict.fromkeys(("--testTimeout", "--timeout", "--retries", "--port", "--max-warnings",
                     "--bail", "--repeat-each", "--max-failures"), lambda v: v.isdigit()),
    "--shard": lambda v: re.fullmatch(r"[0-9]{1,3}/[0-9]{1,3}", v) is not None,
    **dict.fromkeys(("--project", "--mode"),
                    lambda v: re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*+", v) is not None),
}


#: npm 6 appends the words to the script in double quotes, escaping only ``"`` (its
#: joinArgs): ``$(...)`` and backquotes still expand; another runner may join them unquoted.
#: So no shell character and no blank in any of them
_PASS_WORD = re.compile(r"[A-Za-z0-9_./:=@%+,^-]++")


def _pass_value(v: str) -> bool:
    """An option's value after ``--``: a plain word, or plain words between single blanks
    (``-t "formats ISO dates"``) none of which is an option or leaves the tree, so that a
    runner that joins them unquoted gets a pattern and test paths, nothing else."""
    return bool(_PASS_WORD.fullmatch(v)) or (" " in v and all(
        _PASS_WORD.fullmatch(p) and not p.startswith("-") and _in_tree(p)
        for p in v.split(" ")))


def _passthrough_why(words: Words) -> str | None:
    """Words after ``--`` that npm hands to the script: listed flags and test paths in the
    tree (the script is the tree's own, as with ``npm test`` alone)."""
    i = 0
    while i < len(words):
        a = words[i]
        if not _PASS_WORD.fullmatch(a):
            return f"{a!r} (after --) has a character a shell would read"
        if not a.startswith("-"):
            if not _in_tree(a):
                return f"{a!r} (after --) is not a path in the working tree"
            i += 1
            continue
        name, eq, val = a.partition("=")
        if not eq and name in _PASS_FLAGS:
            i += 1
            continue
        test = _PASS_VALUED.get(name)
        if test is None:
            return f"{name} (after --) is not an option the script is known to take harmlessly"
        if not eq:
            if i + 1 >= len(words) or not _pass_value(words[i + 1]):
                return f"{name} (after --) without a plain value"
            val, i = words[i + 1], i + 1
        if not test(val):
            return f"{name}={val!r} (after --) is not an ordinary value"
        i += 1
    return None


def _split_dd(rest: Words, ops: Words) -> tuple[Words, Words]:
    """The operands before ``--`` and the words after it (every one an operand)."""
    if "--" not in rest:
        return ops, ()
    after = rest[rest.index("--") + 1:]
    return ops[:len(ops) - len(after)], after


def _check_npm_script(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    before, after = _split_dd(rest, ops)
    if before:
        return "more operands than the safe shape takes"
    return _passthrough_why(after)


#: pnpm's own commands: ``pnpm WORD`` runs the package script WORD only when it is none of
#: these (publish, dlx, link, remove... act on their own)
_PNPM_BUILTIN_WORDS = (
    "add audit bin cache cat-file cat-index ci config create dedupe deploy dist-tag dlx doctor "
    "env exec fetch find-hash get help i import init install install-test it licenses link list "
    "ll ln login logout ls outdated owner pack patch patch-commit patch-remove prune publish "
    "purge rb rebuild recursive remove restart rm root run self-update server set setup start "
    "store t team test token un uninstall unlink up update upgrade version view why whoami x "
    "access adduser bugs deprecate docs edit explore fund hook org ping profile repo search "
    "shrinkwrap star stars unpublish unstar")
_PNPM_BUILTINS = frozenset(_PNPM_BUILTIN_WORDS.split())


def _check_pnpm_script(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``pnpm lint``, ``pnpm turbo run build``: pnpm runs the package.json script (or the
    project's installed binary) of that name, as ``pnpm run`` does, when the word is none of
    pnpm's own commands and says nothing a site program's name may not."""
    word = next((a for a in c.args if not a.startswith("-")), "")
    if word in _PNPM_BUILTINS:
        return f"pnpm {word}: one of pnpm's own commands"
    hit = says(word, name=True)
    if hit:
        return f"pnpm {word}: its name says {hit!r}"
    return _passthrough_why(tuple(w for w in rest if w != "--"))


def _check_npm_target(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    before, after = _split_dd(rest, ops)
    return _check_targets(c, rest, before, pairs) or _passthrough_why(after)


_COV_TERM = frozenset({"term", "term-missing", "term:skip-covered",
                       "term-missing:skip-covered"})


def _kind_covreport(v: str) -> str | None:
    """pytest-cov --cov-report: the terminal, or a report file in the working tree (its
    default name or a safe write target): never a file elsewhere."""
    kind, sep, dest = v.partition(":")
    if v in _COV_TERM or (not sep and kind in ("html", "xml", "json", "lcov", "markdown")):
        return None
    if kind == "html":
        return _kind_wdir(dest)
    if kind in ("xml", "json", "lcov", "markdown"):
        return _kind_write(dest)
    return f"coverage report {v!r} is not ordinary"


#: -W action[:message[:category]]: a built-in warning category only (a dotted one is imported)
_PYWARNING = re.compile(r"(error|ignore|always|default|module|once)"
                        r"(:[^:]*+(:[A-Za-z]*Warning)?+)?+")


KINDS.update({"covreport": _kind_covreport,
              "xdist": lambda v: None if v in ("load", "loadscope", "loadfile", "loadgroup",
                                              "worksteal", "no") else
              f"--dist {v!r} is not a local scheduling mode",
              "pytestnoplugin": lambda v: None if re.fullmatch(r"no:[A-Za-z0-9_.-]+", v) else
              f"-p {v!r} loads a plugin",
              "pywarning": lambda v: None if _PYWARNING.fullmatch(v) else
              f"warning filter {v!r} names a category to import"})


_CMAKE_BOOL = re.compile(r"(?i)on|off|true|false|yes|no|y|n|0|1")
_CMAKE_KINDS: dict[str, Callable[[str], bool]] = {
    "bool": _CMAKE_BOOL.fullmatch,
    "std": re.compile(r"[0-9]{2}").fullmatch,
    "buildtype": lambda v: v in ("Debug", "Release", "RelWithDebInfo", "MinSizeRel"),
}
#: CMake's own variables a configure step may set: what to build and how strictly, never a
#: program (compilers, launchers), a file to include or a toolchain, a flag string (plugins),
#: a prefix or path
_CMAKE_VARS: dict[str, str] = {
    "CMAKE_BUILD_TYPE": "buildtype",
    **dict.fromkeys(("CMAKE_C_STANDARD", "CMAKE_CXX_STANDARD", "CMAKE_CUDA_STANDARD"), "std"),
    **dict.fromkeys((
        "CMAKE_EXPORT_COMPILE_COMMANDS", "CMAKE_VERBOSE_MAKEFILE", "CMAKE_COLOR_DIAGNOSTICS",
        "CMAKE_CXX_STANDARD_REQUIRED", "CMAKE_C_STANDARD_REQUIRED", "CMAKE_CXX_EXTENSIONS",
        "CMAKE_C_EXTENSIONS", "CMAKE_POSITION_INDEPENDENT_CODE", "CMAKE_UNITY_BUILD",
        "CMAKE_INTERPROCEDURAL_OPTIMIZATION", "CMAKE_COMPILE_WARNING_AS_ERROR",
        "BUILD_SHARED_LIBS", "BUILD_TESTING"), "bool")}
#: a project's own switch (``-DENABLE_TESTS=OFF``) is a boolean the tree's CMakeLists reads;
#: never a name CMake or its find modules read as a program, file or directory
_CMAKE_SWITCH = re.compile(r"(?!CMAKE_)[A-Z][A-Z0-9_]*+")
_CMAKE_PATHISH = re.compile(r"_(EXECUTABLE|COMPILER|LAUNCHER|PROGRAM|COMMAND|FILE|DIR|PATH|ROOT|"
                            r"INCLUDE|LIBRARY|LIBRARIES|MODULE|PREFIX|HOME)S?$|^PATH$")


def _kind_cmakedef(v: str) -> str | None:
    """cmake -D NAME[:BOOL|STRING]=VALUE: a listed variable with a value of its kind, or a
    project switch set to a boolean."""
    name, eq, val = v.partition("=")
    name, _, typ = name.partition(":")
    if not eq or typ not in ("", "BOOL", "STRING"):
        return f"-D{v} is not NAME=VALUE of a plain type"
    kind = _CMAKE_VARS.get(name)
    if kind is None and _CMAKE_SWITCH.fullmatch(name) and not _CMAKE_PATHISH.search(name):
        kind = "bool"
    if kind is None or not _CMAKE_KINDS[kind](val):
        return f"-D{name}={val!r} is not a setting known to be harmless"
    return None


KINDS["cmakedef"] = _kind_cmakedef


#: compiler flags that change how the tree's sources compile, nothing read, written or run
#: beside them: never -B/-wrapper/-specs/--sysroot/-X*/-W[lap], (programs, linker and
#: preprocessor options), -include/-imacros (a file's text), -M[FTQ]/-save-temps/-o- (files)
_CC_FLAG = re.compile(r"-(?:c|S|E|g[0-3]?+|ggdb[0-3]?+|O[0-3sgz]?+|Ofast|pipe|pthread|shared|"
                      r"static|fPIC|fpic|fPIE|fpie|pie|no-pie|pedantic(?:-errors)?+|w|v|MMD|MD|"
                      r"MP|rdynamic|ansi|s|m32|m64|-version|(?:std|march|mtune|mcpu)="
                      r"[A-Za-z0-9_+.-]++|W(?:no-)?+[a-z][a-z0-9+-]*+(?:=[A-Za-z0-9_-]++)?+|"
                      r"[DU][A-Za-z_][A-Za-z0-9_]*+(?:=[A-Za-z0-9_.+-]*+)?+|"
                      r"l[A-Za-z0-9_.+-]++|f(?:no-)?+[a-z][a-z0-9+-]*+(?:=[A-Za-z0-9_,.+-]++)?+)")
#: -f options that load a plugin, pick a linker, or read or write a file of their own
_CC_F_DENY = re.compile(r"-f(?:no-)?+(?:plugin|dump|profile|auto-profile|use-|ld-path|opt-info|"
                        r"save-optimization|callgraph-info|stack-usage|create-profile|"
                        r"sanitize-(?:blacklist|ignorelist)|modules|compilation|record|"
                        r"debug-prefix-map|diagnostics-add-output)")
_CC_SYSTEM_DIRS = ("/usr/include", "/usr/local/include", "/usr/lib", "/usr/local/lib")
_CC_LANGS = frozenset({"c", "c++", "c-header", "c++-header", "assembler", "none"})


def _cc_dir_ok(d: str) -> bool:
    """An include or library directory: the tree's, or the system's own."""
    d = d.rstrip("/")
    if d.startswith("/"):
        return (d in _CC_SYSTEM_DIRS or d.startswith(tuple(p + "/" for p in _CC_SYSTEM_DIRS))) \
            and ".." not in d.split("/") and not _EXPANSION.search(d)
    return _in_tree(d) and not secretish(d)


def _check_cc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """gcc/g++/clang: listed flags, include and library directories of the tree or the
    system, sources in the tree, output onto a name an ordinary command may write."""
    i = 0
    while i < len(rest):
        a = rest[i]
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if a == "--":
            return "a word after -- is not told apart"
        if a.startswith(("-I", "-L", "-isystem", "-iquote")):
            flag = next(f for f in ("-isystem", "-iquote", "-I", "-L") if a.startswith(f))
            val = a[len(flag):] or nxt
            if val is None or not _cc_dir_ok(val):
                return f"{flag} {val!r} is not a directory of the tree or the system"
            i += 1 if a[len(flag):] else 2
            continue
        if a.startswith("-o"):
            val = a[2:] or nxt
            if val is None or _kind_write(val) is not None or val == "-":
                return f"-o {val!r}: writes a dot-file, code or config file, or outside the tree"
            i += 1 if a[2:] else 2
            continue
        if a == "-x":
            if nxt not in _CC_LANGS:
                return f"-x {nxt!r} is not a source language"
            i += 2
            continue
        if a in ("-D", "-U") and nxt is not None:
            a, i = a + nxt, i + 1
        if a.startswith("-"):
            if not _CC_FLAG.fullmatch(a) or _CC_F_DENY.match(a):
                return f"option {a.split('=', 1)[0]} is not known to be harmless"
            i += 1
            continue
        if a.startswith("@") or not (_in_tree(a) or _tree_glob(a)):
            return f"{a!r} is not a source file in the working tree"
        i += 1
    return None


CHECKS["cc"] = _check_cc
# (harmful set s15) git checkout of a branch or commit, never of paths: ``checkout HEAD --
# config lib`` or ``checkout -- file`` discards their uncommitted changes, stored nowhere
#: a word git may take as a path rather than a branch (red team s15 D3): a pathspec magic
#: (``:(top)``, ``:!x``), ``.``, a directory (``src/``), a glob, a file's suffix (``app.py``)
_GIT_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,15}")


def _git_pathish(w: str) -> bool:
    tail = w.rsplit("/", 1)[-1]
    dot = tail.rfind(".")
    return w.startswith((":", ".")) or w.endswith("/") or any(ch in w for ch in "*?[") or (
        dot > 0 and _GIT_SUFFIX.fullmatch(tail[dot:]) is not None and not re.fullmatch(
            r"v?[0-9]+(?:\.[0-9]+)*(?:-[A-Za-z0-9.]+)?", w))


#: what ``git checkout X`` takes as a ref by its shape alone (red team s15 E3: a word that is
#: no branch is a path to git, ``checkout app`` restores app/): the usual branch names, a
#: branch under a prefix (feature/x, origin/main), a version tag, a commit id, HEAD~N, ``-``.
#: Never a name as often a directory (staging/, production/, dev/ of a deploy repository).
#: Anything else is ``git switch``'s, which never takes a path
_GIT_REF_SHAPE = re.compile(
    r"\A(?:main|master|develop|trunk|gh-pages|-|@\{-[0-9]{1,2}\}|HEAD(?:[~^][0-9]{0,3})*|"
    r"v?[0-9]+(?:\.[0-9]+)+(?:[-+][A-Za-z0-9.]+)?|[0-9a-f]{7,40}|"
    r"(?:origin|upstream|feature|features|feat|fix|fixes|bugfix|hotfix|release|releases|chore|"
    r"refactor|dependabot|renovate|perf|style|wip|exp|experiment|topic|spike)/"
    r"[A-Za-z0-9][A-Za-z0-9._/-]{0,200})\Z")


def _check_git_checkout(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if "--" in rest or len(ops) > 1 or any(k in ("--ours", "--theirs", "-m", "--merge",
                                                   "--conflict", "-p", "--patch")
                                            for k, _ in pairs or ()):
        return "git checkout of paths discards their uncommitted changes (a branch: git switch)"
    return CHECKS["git-tree-ref"](c, rest, ops, pairs)


def git_checkout_path_why(c: SimpleCommand) -> str | None:
    """(red team s15 E3) ``git checkout X`` as written, where X is not a ref by its shape:
    git takes a word that names no branch as a path and discards its uncommitted changes.
    Asked of the command as written (flow.py's variants join the word to a cd's directory)."""
    if c.name != "git" or "checkout" not in c.args:
        return None
    at = c.args.index("checkout")
    words = c.args[at + 1:]
    if any(w in ("-b", "-B", "--orphan") or w.startswith(("-b", "-B")) for w in words):
        return None
    ops = [w for w in words if not w.startswith("-")]
    if ops and (_git_pathish(ops[0]) or not _GIT_REF_SHAPE.fullmatch(ops[0])):
        return f"git checkout {ops[0]!r}: a word that is no branch is a path to git, and its " \
               "uncommitted changes are discarded (a branch: git switch)"
    return None


CHECKS["git-checkout"] = _check_git_checkout
#: a configuration key whose value may carry a credential: a remote's or a submodule's URL,
#: http.* headers and cookies, credential helpers, url.*.insteadOf rewrites (red team s15 E1)
_GIT_SECRET_KEY = re.compile(r"(?i)(?:^|\.)(?:url|pushurl|extraheader|cookiefile|proxy|"
                             r"insteadof|pushinsteadof|helper|token|password|passwd)$|"
                             r"^(?:credential|http|remote|url|submodule)\.")
CHECKS["git-config-key"] = lambda c, rest, ops, pairs: next(
    (f"git config {o!r} may print a credential" for o in ops if _GIT_SECRET_KEY.search(o)),
    None)
# (session 15) npm audit, or ``audit fix --dry-run`` (it prints what fix would install; fix
# itself installs from the registry); a depth of -1 lists the workspace's packages alone
CHECKS["npm-audit"] = lambda c, rest, ops, pairs: None if not ops or (
    ops == ("fix",) and any(k == "--dry-run" for k, _ in pairs or ())) else \
    "npm audit fix installs from the registry (only --dry-run is known safe)"
KINDS["depth"] = lambda v: None if re.fullmatch(r"-1|[0-9]{1,3}|Infinity", v) else \
    f"{v!r} is not a depth"


#: make's command-line variables (``make BOARD=nucleo ENV=staging``) are read by the tree's
#: Makefile, and make exports them to every recipe. A name is known only by convention, so
#: the names are an allow-list (red team s15 A1: a list of forbidden names missed YACC, LEX,
#: TEX... of make's built-in rules, and ``make YACC=sh x.c`` ran a written file): names
#: that choose a board, a mode, a version or verbosity, and compiler flags. Never an
#: assignment make itself evaluates (``X!=cmd``, ``X:=``, ``X+=``)
_MAKE_VAR = re.compile(r"\A([A-Za-z_][A-Za-z0-9_]*+)=(.*+)", re.S)
#: a plain word: a name, a number or a version (at most three parts: never an address)
_MAKE_VALUE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_+,-]*+|v?+[0-9]++(?:\.[0-9]++){1,2}+"
                         r"[A-Za-z0-9_+-]*+")
_MAKE_NAMES = frozenset({
    "V", "VERBOSE", "Q", "QUIET", "DEBUG", "NDEBUG", "RELEASE", "BOARD", "MCU", "CHIP", "ENV",
    "MODE", "BUILD_TYPE", "BUILDTYPE", "CONFIGURATION", "PROFILE", "STAGE", "VARIANT",
    "FLAVOR", "FLAVOUR", "VERSION", "TAG", "IMAGE_TAG", "JOBS", "NPROC", "ARCH", "PLATFORM",
    "OS", "GOOS", "GOARCH", "CGO_ENABLED", "COUNT", "SEED", "WORKERS", "LEVEL", "LOG_LEVEL",
    "OPTIMIZE", "COVERAGE", "RACE", "STATIC", "SHARED", "LTO", "WERROR", "STRICT", "CI"})
#: (not RUN, TEST, TESTS: a Makefile's ``$(RUN) pytest`` or automake's TESTS run them)
#: the flags of a compiler or linker, never of make itself or of a program make's rules run
#: with the file as its script (YFLAGS, LFLAGS...)
_MAKE_FLAG_NAMES = re.compile(r"(?:EXTRA_|USER_|MY_|LOCAL_|ADDITIONAL_)?+(?:C|CXX|CPP|LD)FLAGS"
                              r"|(?:EXTRA_|USER_)?+(?:CFLAGS|CXXFLAGS|LDLIBS)(?:_EXTRA)?+")


def _make_variable_why(word: str) -> str | None:
    """Why make's ``NAME=VALUE`` word is not a harmless setting of the tree's Makefile."""
    m = _MAKE_VAR.fullmatch(word)
    if not m:
        return f"{word!r} is not a plain target name"
    name, value = m.group(1), m.group(2)
    if _MAKE_FLAG_NAMES.fullmatch(name):
        flags = value.split()
        if flags and all(_CC_FLAG.fullmatch(f) and not _CC_F_DENY.match(f) for f in flags):
            return None
        return f"{name}={value!r} is not a list of plain compiler flags"
    if name not in _MAKE_NAMES:
        return f"make variable {name} is not one known to choose only a mode or a version"
    if not _MAKE_VALUE.fullmatch(value):
        return f"{name}={value!r} is not a plain word, number or version"
    return None


def _check_make_targets(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """make: plain target names, and command-line variables set to plain words."""
    for o in ops:
        why = _make_variable_why(o) if "=" in o else _check_targets(c, rest, (o,), pairs)
        if why:
            return why
    return None


CHECKS["make-targets"] = _check_make_targets


#: a virtualenv's own name (uv replaces a virtualenv that is there: never a tree's ``src``)
#: (anchored: only fullmatched; a search from every offset of a long name is quadratic)
_VENV_NAME = re.compile(r"\A(?:[A-Za-z0-9_-]++/)*+(?:\.?+venv[A-Za-z0-9_.-]*+|\.?+env)")


def _venv_dir_ok(d: str) -> bool:
    """A virtualenv's directory: ``.venv``, ``venv``, ``.venv-311`` in the tree."""
    d = d.rstrip("/")
    return bool(_VENV_NAME.fullmatch(d)) and (d.split("/")[-1].startswith(".") or
                                             safe_write_target(d)) and ".." not in d


def _check_venv(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _venv_dir_ok(o)]
    return f"a virtualenv in {bad[0]!r}, outside the working tree" if bad else None


def _check_coverage_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """coverage run [OPTIONS] -m pytest ARGS: pytest judged as itself (never a script, another
    module, --rcfile/--data-file: a config and its plugins, a data file elsewhere)."""
    try:
        at = rest.index("-m")
    except ValueError:
        return "coverage run of a script: the site's program"
    if "--" in rest[:at]:
        return "coverage run: -m after -- is a script's name"
    p = parse_opts(_COVERAGE_RUN, tuple(rest[:at]))
    if isinstance(p, str) or p.ops:
        return p if isinstance(p, str) else "coverage run: an operand before -m"
    why = _values_ok(_COVERAGE_RUN, p.pairs)
    if why:
        return why
    module, tail = rest[at + 1:at + 2], tuple(rest[at + 2:])
    if module != ("pytest",):
        return f"coverage run -m {module[0] if module else ''}: not a test runner it knows"
    off = len(c.argv) - len(tail)
    inner = replace(c, argv=("pytest", *tail), dynamic=c.dynamic[off - 1:] if c.dynamic else ())
    v = _shape("pytest", _PYTEST, inner, tail, 1)
    return None if v.entry else v.why


#: coverage run's own options (never --rcfile, --data-file, --save-signal, -L/--pylib)
_COVERAGE_RUN = opts("-a|--append --branch --concurrency:word --context:word "
                     "-p|--parallel-mode --source:intree --timid --include:any --omit:any")


def _check_compileall(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """python -m compileall of the tree's directories (with none it compiles sys.path)."""
    return _check_in_tree(c, rest, ops, pairs) if ops else "compileall without a directory " \
        "compiles every directory on sys.path"


CHECKS.update({"venv": _check_venv, "coverage-run": _check_coverage_run,
               "compileall": _check_compileall})


#: (anchored: each is only fullmatched; a search from every offset of a digit run is quadratic)
_TOOLCHAIN = re.compile(r"\A(?:stable|beta|nightly|[0-9]++\.[0-9]++(?:\.[0-9]++)?+)"
                        r"(?:-[0-9]{4}-[0-9]{2}-[0-9]{2})?+(?:-[a-z0-9_]++){0,4}")
_NODE_VERSION = re.compile(r"\A(?:v?+[0-9]++(?:\.[0-9]++){0,2}|node|stable|default|system|iojs|"
                           r"lts/\*|lts/[a-z]++)")
_PY_VERSION = re.compile(r"\A(?:system|[0-9]++\.[0-9]++(?:\.[0-9]++)?+(?:[a-z]++[0-9]*+)?+t?+|"
                         r"(?:pypy|miniconda|anaconda|miniforge|mambaforge|graalpy|pyston)"
                         r"[0-9]*+(?:[.-][0-9A-Za-z]++)*+)")


def _names_check(pattern: re.Pattern[str], what: str) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        bad = [o for o in ops if not pattern.fullmatch(o)]
        return f"{bad[0]!r} is not {what}" if bad else None
    return check


KINDS["toolchain"] = lambda v: None if _TOOLCHAIN.fullmatch(v) else f"{v!r} is not a toolchain"
CHECKS.update({
    "toolchains": _names_check(_TOOLCHAIN, "a toolchain of the official channels"),
    "rustup-show": _names_check(re.compile(r"active-toolchain|home|profile"),
                                "what rustup show prints"),
    "node-version": _names_check(_NODE_VERSION, "a node version by name"),
    "py-version": _names_check(_PY_VERSION, "a python version by name"),
    "command-name": _names_check(re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*+"), "a command name"),
})


def _check_runner_args(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """jest, vitest, mocha by name: the words npm test -- may pass them (vitest's run first)."""
    words = rest
    if c.name == "vitest":
        if rest[:1] not in (("run",), ("related",)):
            return "vitest without run watches the tree without end in a terminal"
        words = rest[1:]
    return _passthrough_why(tuple(w for w in words if w != "--"))


def _check_gofmt(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A formatter may rewrite the tree (-w), never with a rule the agent wrote (-r)."""
    keys = {k for k, _ in pairs or ()}
    if {"-w", "-r"} <= keys:
        return "gofmt -w -r rewrites code with the agent's own rule"
    return _check_in_tree(c, rest, ops, pairs)


def _check_man(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """man NAME or SECTION NAME: a word with a ``/`` is read as a file (man-db)."""
    for o in ops:
        if "/" in o or o.startswith(".") or not re.fullmatch(r"[A-Za-z0-9_.:+@-]+", o):
            return f"{o!r} is not a manual page name"
    return None


def _check_patch_dry(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if any(k == "--dry-run" for k, _ in pairs or ()) else \
        "patch without --dry-run writes the patch's content into files it names"


def _check_docs_out(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """sphinx-build SOURCE OUTPUT [FILES]: sources in the tree, the output where an ordinary
    command may write (never a dot-directory: ``.ssh``, ``.git``)."""
    if len(ops) >= 2 and not safe_write_target(ops[1].rstrip("/")):
        return f"writes its output into {ops[1]!r}"
    return _check_in_tree(c, rest, ops, pairs)


def _check_project_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``poetry run``/``uv run``: listed options, and the command it runs was found (and is
    classified on its own, as a wrapper's)."""
    at, _ = unwrap_at(c)
    if at is None:
        return "runs nothing the guard can see"
    words = c.argv[1:at]
    verb = PROJECT_RUN_VERB.get(c.name, "run")
    k = words.index(verb) if verb in words else -1
    glob, sub = _PROJECT_RUN_OPTS[c.name]
    for o, part in ((glob, words[:k]), (sub, words[k + 1:])):
        p = parse_opts(o, tuple(part))
        if isinstance(p, str):
            return f"{c.name} {verb}: {p}"
        if p.ops:
            return f"{c.name} {verb}: its options and the command it runs are not told apart"
        why = _values_ok(o, p.pairs)
        if why:
            return f"{c.name} {verb}: {why}"
    return None


def _check_yarn_script(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """yarn test ARGS: yarn (1 and berry) passes every word after the script's name to it."""
    return _passthrough_why(tuple(w for w in rest if w != "--"))


def _check_yarn_target(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """yarn run [YARN-OPTIONS] NAME ARGS: yarn's own options, a plain script name, then words
    for the script (runner words only)."""
    at = next((i for i, w in enumerate(rest) if not w.startswith("-")), len(rest))
    p = parse_opts(_NPM_RUN, tuple(rest[:at]))
    if isinstance(p, str) or p.ops:
        return p if isinstance(p, str) else "yarn run: its options are not told apart"
    why = _values_ok(_NPM_RUN, p.pairs)
    if why or at >= len(rest):
        return why or "yarn run without a script name"
    return _check_targets(c, rest, rest[at:at + 1], pairs) or _check_yarn_script(
        c, rest[at + 1:], (), pairs)


CHECKS.update({"yarn-script": _check_yarn_script, "yarn-target": _check_yarn_target})
CHECKS.update({"git-worktree-add": _check_git_worktree_add})
CHECKS.update({"git-clean-dry": _check_git_clean_dry, "git-apply-look": _check_git_apply_look,
               "npm-script": _check_npm_script, "pnpm-script": _check_pnpm_script,
               "npm-target": _check_npm_target,
               "gofmt": _check_gofmt, "man": _check_man, "patch-dry": _check_patch_dry,
               "project-run": _check_project_run, "docs-out": _check_docs_out,
               "runner-args": _check_runner_args,
               "bat": lambda c, rest, ops, pairs: "bat cache builds or clears its cache" if
               "cache" in ops[:1] else None,
               "version-only": lambda c, rest, ops, pairs: None if rest in (
                   ("--version",), ("-v",), ("-V",), ("-version",)) else
               "only its version is known safe (a compiler or runtime runs or writes)"})

_POETRY_GLOBAL = opts("-q|--quiet -n|--no-interaction --no-ansi --ansi -v|--verbose "
                      "-C|--directory:intree -P|--project:intree --no-cache")
#: uv's python is a version or a name on PATH, never a path (``-p /tmp/x/python`` runs it);
#: never --with (installs by name), --env-file (LD_PRELOAD from a file), an index, a config
_UV_GLOBAL = opts("-q|--quiet -v|--verbose -n|--no-cache --offline --no-progress "
                  "--native-tls --no-config --directory:intree --project:intree "
                  "--no-python-downloads --managed-python --no-managed-python", abbrev=False)
_UV_SYNC = ("--frozen --locked --all-extras --extra:word --group:word --only-group:word "
            "--all-groups --no-dev --dev --no-default-groups --package:word "
            "-p|--python:word --no-install-project --inexact --exact --compile-bytecode "
            "--no-editable --all-packages ")
_PROJECT_RUN_OPTS: dict[str, tuple[Opts, Opts]] = {
    "poetry": (_POETRY_GLOBAL, opts("")),
    "uv": (_UV_GLOBAL, opts(_UV_SYNC + "--no-sync --isolated --active --no-active "
                                       "--no-project -m|--module", abbrev=False)),
    # bundle exec: the Gemfile of the tree only (never --gemfile: another file's code)
    "bundle": (opts("--no-color -V|--verbose"), opts("--keep-file-descriptors")),
    # pnpm exec: never -C/--dir (another project), --filter/-r (every package's tree),
    # --shell-mode/-c (a shell string)
    "pnpm": (opts(""), opts("")),
}
_PROJECT_RUN = Shape(check="project-run", dynamic_ok=True, secrets_ok=True)
_PNPM = CATALOGUE["pnpm"]
assert isinstance(_PNPM, Tool)
#: pnpm exec: the project's installed tools (node_modules/.bin; nothing fetched: that is pnpm
#: dlx), the command judged on its own, as poetry run
CATALOGUE["pnpm"] = replace(_PNPM, sub={**_PNPM.sub, "exec": _PROJECT_RUN})
_COVERAGE_COMMON = ("-i|--ignore-errors --include:any --omit:any --skip-covered "
                    "--no-skip-covered --skip-empty --fail-under:num --precision:num "
                    "--contexts:any -q|--quiet ")

CATALOGUE.update({
    # a read-only filter of stdin (no file operands, no option writes)
    "col": Shape(max_operands=0, allow=opts("-b|--no-backspaces -f|--fine -h|--tabs "
                                            "-x|--spaces -l|--lines:num -p|--pass")),
    # fd lists names (as find without -exec): never -x/-X (run a command per match),
    # --ignore-file (reads a file), --base-directory/--search-path (elsewhere, kept simple)
    **dict.fromkeys(("fd", "fdfind"), Shape(secrets_ok=True, allow=opts(
        "-H|--hidden -I|--no-ignore -u|--unrestricted -s|--case-sensitive -i|--ignore-case "
        "-g|--glob --regex -F|--fixed-strings -a|--absolute-path -l|--list-details "
        "-L|--follow -p|--full-path -0|--print0 -d|--max-depth:num --min-depth:num "
        "--exact-depth:num -t|--type:word -e|--extension:word -S|--size:any "
        "--changed-within:any --changed-before:any -o|--owner:any -E|--exclude:any "
        "-c|--color:word -j|--threads:num --max-results:num -1 -q|--quiet --show-errors "
        "--strip-cwd-prefix:?any --prune --one-file-system --no-ignore-vcs "
        "--no-ignore-parent --format:any", abbrev=False))),
    # bat prints files as cat does (a reader: secrets and computed names are judged); never
    # --pager (a program), --diff (runs git), --generate-config-file, the cache subcommand
    **dict.fromkeys(("bat", "batcat"), Shape(check="bat", allow=opts(
        "-p|--plain -n|--number -A|--show-all -l|--language:word -r|--line-range:any "
        "-H|--highlight-line:any --style:any --color:word --paging:word -P --theme:word "
        "--wrap:word --tabs:num --decorations:word -f|--force-colorization "
        "--italic-text:word --file-name:any --terminal-width:any", abbrev=False))),
    # ls alternatives: no option writes, runs or loads anything
    **dict.fromkeys(("exa", "eza"), META),
    # a checksum per file (as sha256sum)
    "shasum": replace(META, allow=opts(
        "-a|--algorithm:num -b|--binary -t|--text -U|--UNIVERSAL -0|--01 -c|--check "
        "-s|--status -w|--warn --strict --tag -q|--quiet --ignore-missing")),
    # Go's flag package (never -debug.* profiles: they write files)
    "staticcheck": Shape(check="in-tree", allow=opts(
        "-checks:any -tags:any -f:word -fail:any -go:any -tests:any -show-ignored "
        "-explain:any -version", "go")),
    # manual pages by name: never -P/-H (a pager or browser program), -l/-C/-M/-p/-t/-T/-Z/-X
    # (local files, configs, preprocessors, troff output); a name with a / is a file
    "man": Shape(check="man", allow=opts(
        "-k|--apropos -f|--whatis -a|--all -w|--where|--path|--location "
        "-W|--where-cat|--location-cat -s|-S|--sections:any --nh|--no-hyphenation "
        "--nj|--no-justification -L|--locale:word -E|--encoding:word --regex --wildcard "
        "--names-only -i|--ignore-case -I|--match-case -7|--ascii")),
    # compilers and runtimes asked their version only (``rustc --version``)
    # C and C++ compilers compile the tree's sources (cc_args); a code runner for flow.py:
    # an #include may name any readable file, printed in the diagnostics
    **dict.fromkeys(("gcc", "g++", "cc", "c++", "clang", "clang++"), Shape(check="cc")),
    # bun's own test runner (jest's words: runner_args); never bun run/x/a file (a program),
    # a global option (--cwd, --config, --preload, --env-file)
    "bun": Tool(allow=opts(""), sub={"test": Shape(check="runner-args"), "--version": ANY,
                                     "-v": ANY}),
    # the tree's browser tests (jest's words); never codegen/show-report/ui (a browser, a
    # server), -c/--config, --output, --global-setup
    "playwright": Tool(sub={"test": Shape(check="runner-args"), "--version": ANY}),
    # next.js's build of the tree (next.config.js runs: a code runner for flow.py) and its
    # lint; never dev/start (servers: the site's own, a grant's allow:)
    "next": Tool(sub={
        "build": Shape(check="in-tree", max_operands=1, allow=opts(
            "-d|--debug --profile --no-lint --no-mangling --turbo|--turbopack")),
        "lint": Shape(check="in-tree", allow=opts(
            "--fix -d|--dir:intree --file:intree --strict --quiet --max-warnings:num "
            "--no-cache -f|--format:word")),
        "info": Shape(max_operands=0, allow=opts("--verbose")), "--version": ANY, "-v": ANY}),
    # toolchain managers: versions by name from their official channels (as the system's
    # package index), lists; never a toolchain by path (link, custom), run/exec (a program
    # under them), install of a runtime by nvm/pyenv (a build from elsewhere), global defaults
    "rustup": Tool(allow=opts("-v|--verbose -q|--quiet"), sub={
        "update": Shape(check="toolchains", allow=opts("--no-self-update --force")),
        "show": Shape(max_operands=1, check="rustup-show", allow=opts("-v|--verbose")),
        **{n: Tool(sub={"list": Shape(max_operands=0, allow=opts(
            "-v|--verbose --installed --toolchain:toolchain -q|--quiet"))})
           for n in ("toolchain", "component", "target")},
        "--version": ANY, "-V": ANY}),
    "nvm": Tool(sub={
        "use": Shape(check="node-version", max_operands=1, allow=opts("--lts:?word -s|--silent")),
        **dict.fromkeys(("ls", "list"), Shape(check="node-version", max_operands=1, allow=opts(
            "--no-colors --no-alias"))),
        "current": Shape(max_operands=0), "version": Shape(check="node-version",
                                                           max_operands=1),
        "--version": ANY}),
    "pyenv": Tool(sub={
        "local": Shape(check="py-version", max_operands=1, allow=opts("--unset")),
        "versions": Shape(max_operands=0, allow=opts("--bare --skip-aliases --skip-envs")),
        **dict.fromkeys(("version", "version-name", "root"), Shape(max_operands=0)),
        "which": Shape(check="command-name", max_operands=1), "--version": ANY}),
    **dict.fromkeys(("rustc",
                     "javac", "kotlinc", "perl", "deno", "dotnet", "swift", "cmake",
                     "protoc", "erl", "elixir", "scala", "lua"),
                    Shape(check="version-only")),
    # the TypeScript compiler: the tree's tsconfig, output into the tree; it runs no code
    # (compiler plugins are the editor's); never --watch (no end), an output outside the tree
    "tsc": Shape(check="in-tree", allow=opts(
        "--noEmit -p|--project:intree -b|--build --pretty:?any --incremental --listFiles "
        "--showConfig --strict --skipLibCheck -d|--declaration --emitDeclarationOnly "
        "--outDir:wdir --declarationDir:wdir --target|-t:word --module|-m:word "
        "--noEmitOnError --listEmittedFiles --extendedDiagnostics --diagnostics "
        "--traceResolution --noErrorTruncation -v|--version --sourceMap --jsx:word "
        "--lib:any --types:any --verbose --force --dry", abbrev=False)),
    # symbol tables and headers of binaries (a file that is not one is an error, not output);
    # operands judged as any reader's (never a secret)
    "nm": Shape(allow=opts("-C|--demangle -D|--dynamic -g|--extern-only -u|--undefined-only "
                           "-n|--numeric-sort -S|--print-size -A|--print-file-name -l "
                           "--defined-only -j|--just-symbols -P|--portability --size-sort "
                           "-r|--reverse-sort")),
    "readelf": Shape(allow=opts("-a|--all -h|--file-header -l|--program-headers "
                                "-S|--section-headers -s|--syms -d|--dynamic -n|--notes "
                                "-r|--relocs -V|--version-info -W|--wide -C|--demangle")),
    # tmux: what sessions there are; never attach (the agent's keystrokes into that shell),
    # new (a command of its own), send-keys, capture-pane (what the pane showed), kill-*
    "tmux": Tool(sub={n: Shape(max_operands=0, allow=opts("-F:any -t:word -a -s"))
                      for n in ("ls", "list-sessions", "list-windows", "list-panes",
                                "has-session", "has")}),
    # test runners called by name: their pass-through words (npm test --) and nothing else
    **dict.fromkeys(("jest", "vitest", "mocha"), Shape(check="runner-args")),
    "rustfmt": _linter("--check --edition:word -l|--files-with-diff -q|--quiet -v|--verbose "
                       "--color:word"),
    # cmake configures and builds the tree (as make); never -D (a compiler or launcher is a
    # program), -C/-P (scripts), -E (file commands: remove_directory), --install (a prefix)
    # -D only from _CMAKE_VARS (cmake_define): typed values of listed variables, booleans of
    # the project's own switches
    "cmake": Shape(check="in-tree", allow=opts(
        "-D:cmakedef "
        "-S:intree -B:wdir -G:any -A:word -T:any --build:intree --target|-t:any "
        "-j|--parallel:?num --config:word --clean-first -v|--verbose --fresh --version "
        "-Wno-dev -Wdev --log-level:word --preset:word --list-presets", abbrev=False)),
    # ctest runs the tests the tree's build defined, in its build directory (a code runner
    # for flow.py); never -S/-D/-M/-T (scripts, dashboards), --build-and-test (its commands),
    # -O/--output-log/--output-junit (writes), --overwrite, --resource-spec-file, --extra-submit
    "ctest": Shape(check="in-tree", allow=opts(
        "--test-dir:intree -C|--build-config:word --output-on-failure -j|--parallel:?num "
        "-R|--tests-regex:any -E|--exclude-regex:any -L|--label-regex:any -V|--verbose "
        "--extra-verbose -N|--show-only:?word --rerun-failed --timeout:num --repeat:word "
        "--repeat-until-fail:num --stop-on-failure -Q|--quiet --progress --schedule-random "
        "--no-tests:word -U|--union --max-width:num --no-label-summary --print-labels "
        "--no-subproject-summary --test-load:num --version --preset:word", abbrev=False)),
    # ninja runs the build file of its directory; never -f (another file), -t (its tools:
    # clean deletes)
    "ninja": Shape(check="targets", allow=opts("-C:intree -j:num -k:num -l:num -v -n "
                                               "--version --verbose --quiet")),
    # gofmt prints (-l, -d) or formats in place (-w, as black does); never -cpuprofile
    # (writes), never -w with -r (code from the agent's rewrite rule)
    "gofmt": Shape(check="gofmt", allow=opts("-l -d -e -s -w -r:any", "go")),
    # golangci-lint run: the tree's own config; never -c/--config, --out-format with a
    # path (word kind), --new-from-patch (reads a file), plugins by flag
    "golangci-lint": Tool(sub={
        "run": _linter("--timeout:any -v|--verbose --fast --fast-only --new "
                       "--new-from-rev:any --whole-files --fix -E|--enable:any "
                       "-D|--disable:any --enable-all --disable-all --tests:any "
                       "--build-tags:any --max-issues-per-linter:num --max-same-issues:num "
                       "--out-format:word --print-issued-lines:any --print-linter-name:any "
                       "--sort-results --show-stats:?any --allow-parallel-runners "
                       "-j|--concurrency:num --issues-exit-code:num --color:word "
                       "--exclude-dirs:any --skip-dirs:any"),
        "linters": Shape(max_operands=0, allow=opts("--enable-all --disable-all "
                                                    "-E|--enable:any -D|--disable:any")),
        "version": Shape(max_operands=0, allow=opts("--format:word --debug")),
        "--version": ANY}),
    # patch only as a dry run (check): never -o/-B/-Y/-z/-r (write), -d (another directory)
    "patch": Shape(check="patch-dry", allow=opts(
        "--dry-run -p|--strip:num -R|--reverse -N|--forward -f|--force -t|--batch "
        "-s|--silent|--quiet --verbose -l|--ignore-whitespace -F|--fuzz:num -i|--input:any "
        "-u|--unified -c|--context -n|--normal -E|--remove-empty-files --posix "
        "--binary --no-backup-if-mismatch")),
    # coverage.py reports: data and sources of the tree, reports written into it; never
    # run (runs code), erase/combine (change data), --rcfile/--data-file (config, plugins)
    "coverage": Tool(sub={
        "report": _linter(_COVERAGE_COMMON + "-m|--show-missing --sort:any --format:word"),
        "html": _linter(_COVERAGE_COMMON + "-d|--directory:wdir --title:any "
                                           "--show-contexts"),
        "xml": _linter(_COVERAGE_COMMON + "-o:write"),
        "json": _linter(_COVERAGE_COMMON + "-o:write --pretty-print --show-contexts"),
        "lcov": _linter(_COVERAGE_COMMON + "-o:write"),
        "run": Shape(check="coverage-run"),
        "--version": ANY}),
    # project managers: installs from the lock file and the tree (as npm ci, pip install -e .),
    # reads, and ``run`` as a wrapper of a command classified on its own. Never add/remove
    # (installs by name), lock/update (rewrites the lock), config, self, publish, build
    # hooks from outside the tree (--with, --env-file, --index, --find-links)
    "poetry": Tool(allow=_POETRY_GLOBAL, sub={
        "install": Shape(max_operands=0, allow=opts(
            "--no-root --only-root --sync --only:word --with:word --without:word "
            "-E|--extras:any --all-extras --all-groups --no-directory --dry-run --compile")),
        "show": Shape(allow=opts("-t|--tree -l|--latest -o|--outdated -T|--top-level "
                                 "--only:word --with:word --without:word --why -a|--all")),
        "check": Shape(max_operands=0, allow=opts("--lock --strict")),
        "env": Tool(sub={"info": Shape(max_operands=0, allow=opts("-p|--path "
                                                                  "-e|--executable")),
                         "list": Shape(max_operands=0, allow=opts("--full-path"))}),
        "version": Shape(max_operands=0, allow=opts("-s|--short")),
        # the lock file from the tree's own declarations (as npm install rewrites
        # package-lock.json); poetry is a code runner for flow.py (pyproject.toml written
        # earlier holds it)
        "lock": Shape(max_operands=0, allow=opts("--no-update --check --regenerate")),
        "run": _PROJECT_RUN, "--version": ANY}),
    "uv": Tool(allow=_UV_GLOBAL, sub={
        "sync": Shape(max_operands=0, allow=opts(_UV_SYNC + "--dry-run --check",
                                                 abbrev=False)),
        "run": _PROJECT_RUN,
        # installs from the tree's requirement files only: a package named here is an install by
        # name (the rule pkg.install knows pip's spelling, not uv's)
        "pip": Tool(sub={"install": replace(_PIP, max_operands=0), **_UV_PIP_READ}),
        # a virtualenv in the tree (as python -m venv .venv): a python by version or name,
        # never by path; never --allow-existing/--clear over another directory, an index
        "venv": Shape(check="venv", max_operands=1, allow=opts(
            "-p|--python:word --seed --prompt:word --system-site-packages --relocatable "
            "--link-mode:word", abbrev=False)),
        "lock": Shape(max_operands=0, allow=opts("--check --locked --frozen --dry-run "
                                                 "--check-exists", abbrev=False)),
        "tree": Shape(max_operands=0, allow=opts("-d|--depth:num --outdated --invert "
                                                 "--no-dedupe --package:word --frozen "
                                                 "--locked --universal", abbrev=False)),
        "version": Shape(max_operands=0, allow=opts("--short --output-format:word",
                                                    abbrev=False)),
        "--version": ANY}),
    # static site and documentation builds from the tree's own config into the tree (as
    # make html): never -c/-D/-A (another config, settings that load extensions), a
    # config file outside the tree, serve/gh-deploy (a server, a push)
    "sphinx-build": Shape(check="docs-out", allow=opts(
        "-b|--builder:word -M:word -a -E|--fresh-env -W --keep-going -n|--nitpicky "
        "-q|--quiet -Q|--silent -j|--jobs:any -T|--show-traceback -v -N|--no-color "
        "--color")),
    "mkdocs": Tool(sub={"build": Shape(max_operands=0, allow=opts(
        "-c|--clean --dirty -s|--strict -f|--config-file:intree -d|--site-dir:wdir "
        "-q|--quiet -v|--verbose --no-directory-urls")), "--version": ANY}),
})

# --- data/ML and language tool chains (held-out data/ML agent lines, issue 15) -----------------
# Each entry from the tool's manual: its read-only and ordinary family, never an option that
# writes outside the tree, runs or loads a program, a config or a plugin, or prints a secret.
# Decisions and what stays held: docs/guard-least-privilege.md ("Data and ML tools").
_JQ_EXPR = "jqexpr"
KINDS.update({
    # gh --jq is gojq: never $ENV/env (GH_TOKEN), input files or modules
    _JQ_EXPR: lambda v: "a filter that reads the environment, a file or a module" if
    _JQ_REACH.search(v) else None,
    # nbconvert exporters whose output is a document or the notebook's code, nothing run
    "nbto": lambda v: None if v in NBCONVERT_EXT else f"--to {v} is not a document exporter",
})


def _check_nbconvert(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Notebooks of the tree, each written as a document next to it or in --output-dir where
    an ordinary command may write (never onto a hook file: sitecustomize.py)."""
    for o in ops:
        if not o.endswith(".ipynb") or not _in_tree(o):
            return f"{o!r} is not a notebook in the working tree"
    if not ops:
        return "nbconvert without a notebook"
    bad = [p for p in nbconvert_outputs(rest) if not safe_write_target(p)]
    return f"writes {bad[0]!r}" if bad else None


def _check_local_files(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Local files only: a URL (``s3://``, ``http://``) reads through credentials elsewhere."""
    bad = [o for o in ops if "://" in o]
    return f"{bad[0]!r} is not a local file" if bad else None


#: conda config keys that name places and channels (never proxy_servers, channel tokens)
_CONDA_KEYS = frozenset({"channels", "default_channels", "channel_priority", "envs_dirs",
                         "pkgs_dirs", "auto_activate_base", "solver", "always_yes"})


def _check_conda_config(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not any(k == "--show" for k, _ in pairs or ()) or not ops:
        return "conda config other than --show of a named key (the whole file may hold a proxy " \
               "password or a channel token)"
    bad = [o for o in ops if o not in _CONDA_KEYS]
    return f"conda config key {bad[0]!r} is not one known to hold no secret" if bad else None


def _check_go_cover(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    keys = {k for k, _ in pairs or ()}
    if "-html" in keys and "-o" not in keys:
        return "go tool cover -html without -o starts a web browser"
    return None if not ops else "go tool cover takes no operands"


_UFW_STATUS = frozenset({"verbose", "numbered"})

#: mongosh's address operand: a database name or a mongodb URI (a word ending in .js is a
#: script it runs)
_MONGO_ADDRESS = re.compile(r"(?:mongodb(?:\+srv)?://[^\s/]++(?:/[A-Za-z0-9_.-]*+)?+"
                            r"(?:\?[A-Za-z0-9_=&.-]*+)?+|[A-Za-z0-9_:.-]++(?:/[A-Za-z0-9_-]++)?+)")


def _check_mongosh(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """mongosh --eval of reads only (mongo_js.py); never without --eval (it reads stdin)."""
    evals = _option_values(pairs, "--eval")
    if not evals and any(k == "--version" for k, _ in pairs or ()):
        return None  # prints the version and exits
    if not evals:
        return "mongosh without --eval reads its program from stdin"
    for o in ops:
        if o.endswith(".js") or not _MONGO_ADDRESS.fullmatch(o):
            return f"{o!r} is not a database address (a .js file is a script it runs)"
    for e in evals:
        why = mongo_js.read_only_why(e)
        if why:
            return f"--eval is not a read: {why}"
    return None


#: rake's database tasks that only report; every other ``db:`` task (Rails: drop, reset,
#: purge, rollback, schema:load, migrate, seed, truncate_all) changes the database as
#: ``alembic upgrade/downgrade`` would: the site's step
_RAKE_DB_READS = frozenset({"db:migrate:status", "db:version", "db:abort_if_pending_migrations"})


def _check_rake(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if (o.startswith("db:") or o == "db") and o not in _RAKE_DB_READS:
            return f"rake {o} changes the database (only its status is known safe)"
    return _check_targets(c, rest, ops, pairs)


#: a hub repository id (``gpt2``, ``org/name``) and file names inside it, never a path up or
#: an absolute one (they land under --local-dir)
_HF_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*+(?:/[A-Za-z0-9][A-Za-z0-9_.-]*+)?+")


def _check_hf_download(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or not _HF_REPO.fullmatch(ops[0]):
        return "huggingface-cli download without a plain repository id"
    bad = [o for o in ops[1:] if not _in_tree(o)]
    return f"{bad[0]!r} is not a file name inside the repository" if bad else None


CHECKS.update({
    "rake": _check_rake, "hf-download": _check_hf_download,
    "mongosh": _check_mongosh,
    "nbconvert": _check_nbconvert, "local-files": _check_local_files,
    "conda-config": _check_conda_config, "go-cover": _check_go_cover,
    "ufw-status": lambda c, rest, ops, pairs: None if set(ops) <= _UFW_STATUS else
    f"ufw status {ops[0]!r}",
})

# nvidia-smi: queries and device listing; never -f (log to a file), -r (reset), -pm/-e/-c/
# -p/-ac/-rac/-pl/-am/-caa/-mig/--gom (change a device: -c is the compute mode, not a count)
_NVSMI = opts("-L|--list-gpus -q|--query -d|--display:any -i|--id:any -x|--xml-format "
              "-u|--unit --query-gpu:any --query-compute-apps:any --query-accounted-apps:any "
              "--query-supported-clocks:any --query-retired-pages:any --format:any "
              "-l|--loop:num -lms|--loop-ms:num -a --dtd", abbrev=False)
_NVSMI_MON = Shape(max_operands=0, allow=opts("-i|--id:any -d|--delay:num -c|--count:num "
                                              "-s|--select:any -o|--options:any"))
# csvkit: every tool reads its files (a reader: secret paths are judged); the common options
# shape parsing only. Never csvclean/csvsql (write files, run SQL on a database), in2csv
# --write-sheets/--use-sheet-names (write files), csvgrep -f (a file of patterns)
_CSV_COMMON = ("-d|--delimiter:any -t|--tabs -q|--quotechar:any -u|--quoting:num "
               "-b|--no-doublequote -p|--escapechar:any -z|--maxfieldsize:num "
               "-e|--encoding:word -L|--locale:word -S|--skipinitialspace --blanks "
               "--null-value:any --date-format:any --datetime-format:any -H|--no-header-row "
               "-K|--skip-lines:num -v|--verbose -l|--linenumbers --zero -V|--version "
               "-I|--no-inference ")


def _csv(spec: str) -> Shape:
    return Shape(allow=opts(_CSV_COMMON + spec, abbrev=False))


# gh: read-only listings and the pull-request flow. Never api, alias, extension, secret,
# variable, auth token/login/refresh, codespace/ssh (remote shells), --body-file/-F (a file),
# --template/-t (Go templates), pr checkout (a fork's code into the tree), merge --admin
_GH_READ = "-R|--repo:any --json:any -q|--jq:jqexpr "
_GH_LIST = _GH_READ + ("-L|--limit:num -s|--state:word -l|--label:any -a|--assignee:any "
                       "-A|--author:any -S|--search:any -B|--base:any -H|--head:any "
                       "-d|--draft --app:any -m|--milestone:any ")


def _gh(spec: str, max_operands: int | None = 1) -> Shape:
    return Shape(max_operands=max_operands, allow=opts(spec, abbrev=False))


_GH_VIEW = _gh(_GH_READ + "-c|--comments")
GH = Tool(allow=opts(""), sub={
    "pr": Tool(sub={
        "list": _gh(_GH_LIST, 0), "view": _GH_VIEW,
        "status": _gh(_GH_READ + "-c|--conflict-status", 0),
        "diff": _gh("-R|--repo:any --name-only --patch --color:word"),
        "checks": _gh("-R|--repo:any --json:any -q|--jq:jqexpr --watch -i|--interval:num "
                      "--fail-fast --required"),
        "create": _gh("-R|--repo:any -t|--title:any -b|--body:any -B|--base:any -H|--head:any "
                      "-d|--draft -l|--label:any -a|--assignee:any -r|--reviewer:any "
                      "-f|--fill --fill-first --fill-verbose -m|--milestone:any "
                      "-p|--project:any --no-maintainer-edit --dry-run", 0),
        "merge": _gh("-R|--repo:any -s|--squash -m|--merge -r|--rebase -d|--delete-branch "
                     "--auto --disable-auto -t|--subject:any -b|--body:any "
                     "--match-head-commit:any"),
        "comment": _gh("-R|--repo:any -b|--body:any"),
        "ready": _gh("-R|--repo:any")}),
    "issue": Tool(sub={"list": _gh(_GH_LIST, 0), "view": _GH_VIEW,
                       "status": _gh(_GH_READ, 0),
                       "comment": _gh("-R|--repo:any -b|--body:any")}),
    "run": Tool(sub={
        "list": _gh(_GH_READ + "-L|--limit:num -b|--branch:any -w|--workflow:any "
                    "-s|--status:word -e|--event:any -u|--user:any -c|--commit:any "
                    "--created:any -a|--all", 0),
        "view": _gh(_GH_READ + "--log --log-failed -j|--job:any -v|--verbose --exit-status "
                    "-a|--attempt:num"),
        "watch": _gh("-R|--repo:any --exit-status -i|--interval:num --compact")}),
    "repo": Tool(sub={"view": _gh(_GH_READ + "-b|--branch:any")}),
    "release": Tool(sub={"list": _gh(_GH_READ + "-L|--limit:num --exclude-drafts "
                                     "--exclude-pre-releases -O|--order:word", 0),
                         "view": _gh(_GH_READ)}),
    "workflow": Tool(sub={"list": _gh(_GH_READ + "-L|--limit:num -a|--all", 0),
                          # a workflow's runs, or its file (-y); never -w/--web
                          "view": _gh("-R|--repo:any -r|--ref:any -y|--yaml")}),
    "--version": ANY, "version": Shape(max_operands=0)})

_DVC_REVS = "-a|--all-branches -T|--all-tags -A|--all-commits "
_DVC_OUT = "--json --md --precision:num --no-path "


def _dvc(spec: str, max_operands: int | None = None) -> Shape:
    # operands are targets of the tree's dvc.yaml or revisions (``HEAD~1``): names, no paths
    # outside the tree
    return Shape(check="in-tree", max_operands=max_operands,
                 allow=opts("-q|--quiet -v|--verbose " + spec))


# dvc: status and comparisons, the DAG, and pull/push with the tree's configured remote (as
# git pull/push). Never repro/exp run (run the pipeline: CODE_RUNNERS), remote/config (where
# data goes), gc/destroy/remove (delete data), --cd (another tree)
DVC = Tool(allow=opts("-q|--quiet -v|--verbose"), sub={
    "status": _dvc("-c|--cloud -r|--remote:word -j|--jobs:num --with-deps -R|--recursive "
                   "--json --no-updates " + _DVC_REVS),
    "diff": _dvc("--json --md --hide-missing --targets:any", 2),
    "metrics": Tool(sub={"show": _dvc(_DVC_OUT + "-R|--recursive " + _DVC_REVS),
                         "diff": _dvc(_DVC_OUT + "-R|--recursive --all --targets:any", 2)}),
    "params": Tool(sub={"diff": _dvc(_DVC_OUT + "--all --deps --targets:any", 2)}),
    "plots": Tool(sub={"diff": _dvc("--json --targets:any", 2)}),
    "dag": _dvc("--dot --mermaid --md --full -o|--outs", 1),
    "pull": _dvc("-r|--remote:word -j|--jobs:num -R|--recursive --with-deps -a|--all-branches "
                 "-T|--all-tags -A|--all-commits --run-cache --allow-missing"),
    "push": _dvc("-r|--remote:word -j|--jobs:num -R|--recursive --with-deps -a|--all-branches "
                 "-T|--all-tags -A|--all-commits --run-cache"),
    "fetch": _dvc("-r|--remote:word -j|--jobs:num -R|--recursive --with-deps"),
    "exp": Tool(sub={"show": _dvc("-n|--num:num --no-pager --only-changed --json --csv --md "
                                  "--drop:any --keep:any --sort-by:any --sort-order:word "
                                  "--sha --param-deps --precision:num --hide-queued "
                                  "--hide-failed --hide-workspace " + _DVC_REVS, 0),
                     "list": _dvc("-n|--num:num --name-only " + _DVC_REVS, 0),
                     "diff": _dvc(_DVC_OUT + "--all --param-deps", 2)}),
    "data": Tool(sub={"status": _dvc("--granular --unchanged --untracked-files --json "
                                     "--not-in-remote --no-remote-refresh", 0)}),
    "list": _dvc("-R|--recursive --dvc-only --json --rev:any --size", 2),
    "version": Shape(max_operands=0), "doctor": Shape(max_operands=0),
    "--version": ANY})

# conda: reads of environments and the index. Never install/create/update/remove/clean (the
# rules know installs; the rest change environments), run (a wrapper it runs nothing the
# guard sees through), env export -f (writes), config --set/--add/--show-sources
_CONDA_ENV = "-n|--name:word --json "
CONDA = Tool(allow=opts(""), sub={
    "list": Shape(max_operands=1, allow=opts(_CONDA_ENV + "-e|--export --explicit -r|"
                                             "--revisions -f|--full-name --md5 -c|--canonical "
                                             "--show-channel-urls --no-pip")),
    "info": Shape(max_operands=0, allow=opts("-e|--envs --json -a|--all -s|--system --base "
                                             "-v|--verbose")),
    "env": Tool(sub={"list": Shape(max_operands=0, allow=opts("--json")),
                     "export": Shape(max_operands=0, allow=opts(
                         _CONDA_ENV + "--no-builds --from-history -c|--channel:word "
                         "--override-channels --ignore-channels"))}),
    "search": Shape(max_operands=1, allow=opts("-c|--channel:word --override-channels "
                                               "-i|--info --json --platform:word")),
    "config": Shape(check="conda-config", allow=opts("--show --json")),
    "--version": ANY, "-V": ANY})

JUPYTER = Tool(allow=opts("--version --paths --json --config-dir --data-dir --runtime-dir"),
               bare=Shape(max_operands=0), sub={
    "kernelspec": Tool(sub={"list": Shape(max_operands=0, allow=opts("--json"))}),
    # --execute runs the notebook (the site's code, as papermill; jupyter nbconvert is a
    # CODE_RUNNER), --inplace rewrites it, --output names the file (judged as a write, so
    # never sitecustomize.py); never --to pdf/latex (runs LaTeX), --template/--config (load
    # files), a --Class.trait=value but the executor's timeout and kernel name
    "nbconvert": Shape(check="nbconvert", allow=opts(
        "--to:nbto --output-dir:wdir --output:word --stdout --no-input --no-prompt "
        "--log-level:word --debug --execute --inplace --allow-errors "
        "--ExecutePreprocessor.timeout:num "
        "--ExecutePreprocessor.kernel_name:word", abbrev=False)),
    "--version": ANY})

# HDF5 readers: never -o/-O/-b (h5dump writes), -f/--vfd/--s3-cred (drivers, credentials),
# -E (follows external links to other files)
_H5LS = Shape(check="local-files", allow=opts(
    "-r|--recursive -v|--verbose -d|--data -a|--address -f|--full -g|--group -l|--label "
    "-S|--simple -w|--width:num -x|--hexdump -s|--string -V|--version --follow-symlinks "
    "--no-dangling-links"))
_H5DUMP = Shape(check="local-files", allow=opts(
    "-H|--header -A|--onlyattr:?any -B|--superblock -n|--contents:?any -d|--dataset:any "
    "-g|--group:any -a|--attribute:any -p|--properties -r|--string -e|--escape "
    "-y|--noindex -w|--width:num -m|--format:any -N|--any_path:any -c|--count:any "
    "-s|--start:any -S|--stride:any -k|--block:any -R|--region -x|--xml -u|--use-dtd "
    "-q|--sort_by:word -z|--sort_order:word -V|--version -C|--noattr"))
_PARQUET = Shape(check="local-files", max_operands=1, allow=opts(
    "-n|--head:num -c|--columns:any --detail -j|--json --no-color"))

# huggingface-cli: downloads into --local-dir (flow.py: a fetched tree), the user name, the
# environment report, the cache. Never upload/repo/login/logout/delete-cache/tag, --token
# (a secret on the command line), --cache-dir (elsewhere)
HF = Tool(allow=opts(""), sub={
    "download": Shape(check="hf-download", allow=opts(
        "--local-dir:wdir --revision:any --include:any --exclude:any --repo-type:word "
        "--quiet --force-download --max-workers:num", abbrev=False)),
    "whoami": Shape(max_operands=0), "env": Shape(max_operands=0),
    # the login's own cache only: with --dir a tree of links the session unpacked, its
    # warnings printed whole files (red team s15 C3)
    "scan-cache": Shape(max_operands=0, allow=opts("-v|--verbose", abbrev=False)),
    "version": Shape(max_operands=0), "--version": ANY})

# ruby: rake tasks (as make targets), rspec of the tree; bundle install from the Gemfile
# and bundle exec as a wrapper of the command it runs. Never -e/-E/-p (Ruby code), -f/-r/-I/-R
# (another Rakefile, requires, load paths), -o/--out (a file), -g/-G (system rakefiles)
_RAKE = Shape(check="rake", allow=opts(
    "-T|--tasks:?any -D|--describe:?any -P|--prereqs -n|--dry-run -t|--trace:?any "
    "-q|--quiet -s|--silent -v|--verbose -j|--jobs:?num -m|--multitask -W|--where:?any "
    "--backtrace:?any"))
_RSPEC = _linter("-f|--format:word -t|--tag:any -e|--example:any --fail-fast:?num "
                 "--only-failures --next-failure --seed:num --order:word --dry-run "
                 "-b|--backtrace -c|--color --no-color --force-color -p|--profile:?num "
                 "-w|--warnings --bisect --version")
#: a Gemfile group's name (``--without development test``, ``--without=development:test``)
_BUNDLE_GROUPS = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}+(?:[ :][A-Za-z0-9_][A-Za-z0-9_-]"
                            r"{0,63}+){0,15}+")


def _check_bundle_install(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """bundle install's operands are the groups of --with/--without (Thor's array options take
    every word up to the next option): plain names only, and none without those options."""
    groups = [v for k, v in pairs or () if k in ("--with", "--without") and v is not None]
    if ops and not groups:
        return "bundle install takes no operand"
    bad = [g for g in (*groups, *ops) if not _BUNDLE_GROUPS.fullmatch(g)]
    return f"{bad[0]!r} is not the name of a Gemfile group" if bad else None


CHECKS["bundle-install"] = _check_bundle_install

# --deployment (frozen to Gemfile.lock, gems into the tree's vendor/bundle) and --with/
# --without/--frozen are remembered in the tree's .bundle/config; never --path/--system/
# --binstubs/--standalone (gems or scripts elsewhere), --gemfile (another Gemfile's code),
# --clean (removes gems), --trust-policy, --shebang
BUNDLE = Tool(allow=opts("--no-color -V|--verbose"), sub={
    "install": Shape(check="bundle-install", allow=opts(
        "-j|--jobs:num --retry:num --quiet --local --prefer-local --verbose --no-cache "
        "--full-index --redownload --force --deployment --frozen --with:any --without:any")),
    "exec": _PROJECT_RUN, "check": Shape(max_operands=0, allow=opts("--dry-run")),
    "list": Shape(max_operands=0, allow=opts("--name-only --paths --only-group:word "
                                             "--without-group:word")),
    "outdated": Shape(allow=opts("--strict --parseable --porcelain --only-explicit")),
    "version": Shape(max_operands=0), "--version": ANY, "-v": ANY})

# dotnet: the tree's projects (MSBuild runs their targets: CODE_RUNNERS). Never run (runs the
# program), -p/-property (MSBuild properties name tools), -s/--source (a feed), --configfile,
# --logger/--collect/--settings (load assemblies), tool/workload/nuget/new (install, publish)
_DOTNET_COMMON = ("-c|--configuration:word -f|--framework:word -r|--runtime:word "
                  "-v|--verbosity:word --nologo --no-restore --tl:?word -a|--arch:word "
                  "--os:word ")
DOTNET = Tool(allow=opts("--info --version --list-sdks --list-runtimes --nologo"),
              bare=Shape(max_operands=0), sub={
    "build": Shape(check="in-tree", max_operands=1, allow=opts(
        _DOTNET_COMMON + "--no-incremental --no-dependencies -o|--output:wdir")),
    "test": Shape(check="in-tree", max_operands=1, allow=opts(
        _DOTNET_COMMON + "--filter:any --no-build --blame -l|--list-tests "
        "--results-directory:wdir")),
    "restore": Shape(check="in-tree", max_operands=1, allow=opts(
        "--locked-mode --no-cache --force -v|--verbosity:word --use-lock-file")),
    "--info": ANY, "--version": ANY, "--list-sdks": ANY, "--list-runtimes": ANY})

# alembic: history and the current revision (env.py reads the version table). Never upgrade
# (a schema change on the database env.py connects to: the site's step, by its allow: list,
# as tests/guard/corpus_dev.py decided), downgrade (drops what an upgrade made), stamp
# (rewrites the version table), -x (arguments to env.py), revision/merge/edit (write files)
_ALEMBIC_GLOBAL = opts("-c|--config:intree -n|--name:word -q|--quiet --raiseerr")
ALEMBIC = Tool(allow=_ALEMBIC_GLOBAL, sub={
    "current": Shape(max_operands=0, allow=opts("-v|--verbose")),
    "history": Shape(max_operands=0, allow=opts("-v|--verbose -i|--indicate-current "
                                                "-r|--rev-range:any")),
    "heads": Shape(max_operands=0, allow=opts("-v|--verbose --resolve-dependencies")),
    "branches": Shape(max_operands=0, allow=opts("-v|--verbose")),
    "show": Shape(max_operands=1),
    "check": Shape(max_operands=0),
    "--version": ANY})

# mix: the tree's tasks (mix.exs is code: CODE_RUNNERS). Never run/eval (code), do (tasks
# of the agent's), hex.publish, archive.install, escript.install, local.*
_MIX_TEST = opts("--cover --failed --stale --trace --seed:num --only:any --exclude:any "
                 "--include:any --max-failures:num --warnings-as-errors --color --no-color "
                 "--slowest:num --partitions:num --max-cases:num --export-coverage:word "
                 "--no-compile --no-deps-check --repeat-until-failure:num", abbrev=False)
MIX = Tool(allow=opts(""), sub={
    "test": Shape(check="in-tree", allow=_MIX_TEST),
    "deps.get": Shape(max_operands=0, allow=opts("--only:word --check-locked "
                                                 "--no-archives-check", abbrev=False)),
    "deps.compile": Shape(max_operands=0, allow=opts("--force", abbrev=False)),
    "compile": Shape(max_operands=0, allow=opts("--force --warnings-as-errors "
                                                "--no-deps-check --all-warnings",
                                                abbrev=False)),
    "format": Shape(check="in-tree", allow=opts("--check-formatted --dry-run "
                                                "--check-equivalent", abbrev=False)),
    "deps.tree": Shape(max_operands=0), "help": Shape(max_operands=1),
    "--version": ANY})

# composer: install from the lock file (scripts in composer.json: CODE_RUNNERS), the
# autoloader, package listings. Never -d/--working-dir (another tree), require/global (the
# rules know installs), update (rewrites the lock), run-script/exec, config, create-project
_COMPOSER_COMMON = "-n|--no-interaction -q|--quiet -v|--verbose --no-ansi --ansi " \
    "--no-plugins --no-scripts --no-progress "
COMPOSER = Tool(allow=opts(""), sub={
    "install": Shape(max_operands=0, allow=opts(
        _COMPOSER_COMMON + "--no-dev --prefer-dist --dry-run -o|--optimize-autoloader "
        "-a|--classmap-authoritative --no-autoloader --ignore-platform-reqs "
        "--apcu-autoloader --audit", abbrev=False)),
    **dict.fromkeys(("dump-autoload", "dumpautoload"), Shape(max_operands=0, allow=opts(
        _COMPOSER_COMMON + "-o|--optimize -a|--classmap-authoritative --no-dev --dev "
        "--apcu --strict-psr", abbrev=False))),
    "show": Shape(max_operands=1, allow=opts(
        _COMPOSER_COMMON + "-t|--tree -l|--latest -o|--outdated -D|--direct -P|--path "
        "-N|--name-only -f|--format:word --no-dev --locked -s|--self -p|--platform "
        "-i|--installed", abbrev=False)),
    "validate": Shape(max_operands=0, allow=opts(_COMPOSER_COMMON + "--strict --no-check-all "
                                                 "--no-check-publish", abbrev=False)),
    "outdated": Shape(max_operands=1, allow=opts(_COMPOSER_COMMON + "-D|--direct "
                                                 "-m|--minor-only --strict", abbrev=False)),
    "audit": Shape(max_operands=0, allow=opts(_COMPOSER_COMMON + "--no-dev -f|--format:word "
                                              "--locked", abbrev=False)),
    "--version": ANY, "-V": ANY})

# swift: the package of the tree (Package.swift is code: CODE_RUNNERS). Never run, package
# (plugins, edits), -Xswiftc/-Xlinker/-Xcc (compiler and linker flags), --build-path
_SWIFT_COMMON = "-c|--configuration:word -v|--verbose -j|--jobs:num --product:word " \
    "--target:word "
SWIFT = Tool(allow=opts(""), sub={
    "build": Shape(max_operands=0, allow=opts(
        _SWIFT_COMMON + "--build-tests", abbrev=False)),
    "test": Shape(max_operands=0, allow=opts(
        _SWIFT_COMMON + "--filter:any --skip:any "
        "--parallel --skip-build --enable-code-coverage -l|--list-tests", abbrev=False)),
    "--version": ANY})

CATALOGUE.update({
    "nvidia-smi": Tool(allow=_NVSMI, bare=Shape(max_operands=0), sub={
        "topo": Shape(max_operands=0, allow=opts("-m|--matrix -i|--id:any")),
        "dmon": _NVSMI_MON, "pmon": _NVSMI_MON}),
    "nvcc": Shape(check="version-only"),
    # never -f/--file (scripts), --shell (stdin after the eval), -p/--password (a secret on
    # the command line), --tlsCertificateKeyFile and friends (key files)
    **dict.fromkeys(("mongosh", "mongo"), Shape(check="mongosh", max_operands=1, allow=opts(
        "--quiet --eval:any --json:?word --norc --nodb --host:host --port:num "
        "-u|--username:word --authenticationDatabase:word --tls --version", abbrev=False))),
    "conda": CONDA, "dvc": DVC, "jupyter": JUPYTER, "gh": GH,
    "h5ls": _H5LS, "h5dump": _H5DUMP,
    "parquet-tools": Tool(sub={n: _PARQUET for n in (
        "show", "csv", "inspect", "schema", "meta", "head", "cat", "rowcount", "size")}),
    "csvcut": _csv("-n|--names -c|--columns:any -C|--not-columns:any "
                   "-x|--delete-empty-rows"),
    "csvstat": _csv("--csv --json -i|--indent:num -n|--names -c|--columns:any --type "
                    "--nulls --non-nulls --unique --min --max --sum --mean --median --stdev "
                    "--len --max-precision --freq --freq-count:num --count "
                    "--decimal-format:any -G|--no-grouping-separator -y|--snifflimit:num"),
    "csvlook": _csv("--max-rows:num --max-columns:num --max-column-width:num "
                    "--max-precision:num --no-number-ellipsis -y|--snifflimit:num"),
    "in2csv": _csv("-f|--format:word -k|--key:any -n|--names --sheet:any "
                   "--encoding-xls:any -y|--snifflimit:num"),
    "csvgrep": _csv("-n|--names -c|--columns:any -m|--match:pattern -r|--regex:pattern "
                    "-i|--invert-match -a|--any-match"),
    "csvsort": _csv("-n|--names -c|--columns:any -r|--reverse -i|--ignore-case "
                    "-y|--snifflimit:num"),
    "csvjson": _csv("-i|--indent:num -k|--key:any --stream -y|--snifflimit:num"),
    "huggingface-cli": HF,
    "rake": _RAKE, "rspec": _RSPEC, "bundle": BUNDLE,
    "dotnet": DOTNET, "alembic": ALEMBIC, "mix": MIX, "composer": COMPOSER, "swift": SWIFT,
    "ufw": Tool(allow=opts(""), sub={"status": Shape(check="ufw-status"),
                                     "--version": ANY, "version": Shape(max_operands=0)}),
})
# go tool: coverage and profile reports from files of the tree; never pprof -http (a
# server), -tools (binutils by path), -symbolize=remote, an http source; cover -html
# without -o (opens a browser)
_GO_ENTRY = CATALOGUE["go"]
assert isinstance(_GO_ENTRY, Tool)
CATALOGUE["go"] = replace(_GO_ENTRY, sub={**_GO_ENTRY.sub, "tool": Tool(sub={
    "cover": Shape(check="go-cover", allow=opts("-func:intree -html:intree -o:write "
                                                "-mode:word", "go")),
    "pprof": Shape(check="in-tree", max_operands=2, allow=opts(
        "-top -text -tree -traces -list:any -peek:any -nodecount:num -cum -flat "
        "-sample_index:word -unit:word -lines -functions -files", "go"))})})

# --- infrastructure: containers and clusters (session 11) ---------------------------------------
#: docker cp out of a container: one file of a data kind (a log, a dump, a report, an archive)
#: into the tree or /tmp under a name no tool runs; never the container's secrets (/proc's
#: environments, /run/secrets, the service account token, keys: secretish), never a
#: directory (its tree could hold code), never into a container (a write into what runs)
_CP_DATA = re.compile(r"\.(?:log|txt|out|err|json|ndjson|jsonl|csv|tsv|sql|dump|pcap|hprof|"
                      r"prof|html|xml|gz|tgz|tar|zip|xz|zst|bz2)(?:\.[0-9]{1,3})?$")
_CONTAINER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def _check_docker_cp(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 2:
        return "copies more or less than one file"
    src, dest = ops
    ctr, colon, path = src.partition(":")
    if not colon or not _CONTAINER.fullmatch(ctr) or ":" in dest:
        return "copies into a container (only a file out of one is known safe)"
    p = posixpath.normpath(path)
    if not path.startswith("/") or _EXPANSION.search(path) or "\\" in path or \
            p.startswith(("/proc/", "/sys/", "/dev/", "/run/secrets", "/var/run/secrets")) \
            or secretish(p) or not _CP_DATA.search(p):
        return f"{path!r} is not a log, dump or report file of the container"
    if dest == "-":
        return "a tar stream on stdout"
    target = posixpath.join(dest, posixpath.basename(p)) if dest in (".", "./") or \
        dest.endswith("/") else dest
    return None if safe_write_target(target, True) else \
        f"writes {target!r}: a dot-file, code or config file, or outside the working tree"


def _check_docker_tag(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a local name for a local image: what a later run or push takes by that name
    if len(ops) != 2:
        return "not SOURCE TARGET"
    return registry.tag_why(*ops)


def _check_docker_push(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 1:
        return "pushes one image reference"
    return registry.push_why(ops[0])


#: skopeo reads a registry's metadata: only ``docker://`` references (``dir:``,
#: ``docker-archive:``, ``oci:`` read local paths); never --creds (a password in argv),
#: --authfile/--cert-dir/--policy/--registries.d (other files), --src-* (another identity)
def _check_skopeo_ref(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 1 or not ops[0].startswith("docker://") or \
            registry.image_ref(ops[0][len("docker://"):]) is None:
        return "not one docker:// image reference"
    return None


def _check_kubectl_job(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a Job from an existing CronJob's template: the site's own workload, run once now (as
    # rollout restart runs the site's pods again); never --image or a command after --
    froms = _option_values(pairs, "--from")
    if len(froms) != 1 or not re.fullmatch(r"(?:cronjob|cj|cronjobs|cronjob\.batch)/"
                                           r"[a-z0-9][a-z0-9.-]{0,252}", froms[0]):
        return "a job not made from a CronJob (--from=cronjob/NAME)"
    return None


def _check_trivy_fs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """trivy fs of the tree; its secret scanner (on by default) prints the lines around what
    it masks, so with it on no scanned tree may hold secrets (as grep -r: secret.read-tree)."""
    why = _check_in_tree(c, rest, ops, pairs)
    if why:
        return why
    scanners = _option_values(pairs, "--scanners")
    if scanners and not any("secret" in v for v in scanners):
        return None
    for o in ops or (".",):
        if tree_holds_secrets(o) or _GLOB.search(o):
            return f"the secret scanner prints lines of {o!r}, a tree that may hold secrets " \
                "(--scanners vuln,misconfig scans without it)"
    return None


def _check_buildx_build(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """The tree's build (docker build's check); ``--push`` sends every tag where a push may
    go (registry.push_why)."""
    why = _check_in_tree(c, rest, ops, pairs)
    if why or "--push" not in {k for k, _ in pairs or ()}:
        return why
    tags = _option_values(pairs, "-t")
    if not tags:
        return "--push without a tag"
    return next((w for w in map(registry.push_why, tags) if w), None)


def _check_image_operand(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 1 or registry.image_ref(ops[0]) is None:
        return "not one plain image reference"
    return None


CHECKS.update({"image-ref": _check_image_operand, "trivy-fs": _check_trivy_fs,
               "buildx-build": _check_buildx_build,
               "docker-cp": _check_docker_cp, "docker-tag": _check_docker_tag,
               "docker-push": _check_docker_push, "skopeo-ref": _check_skopeo_ref,
               "kubectl-job": _check_kubectl_job})

_DK_TAG = Shape(check="docker-tag", allow=opts(""))
_DK_PRUNE = Shape(max_operands=0, allow=opts("-f|--force --filter:any"))
#: the build cache only: rebuilt on the next build (never --builder: another builder's)
_DK_CACHE_PRUNE = Shape(max_operands=0, allow=opts(
    "-f|--force --filter:any -a|--all --keep-storage:any --reserved-space:any "
    "--max-used-space:any --min-free-space:any"))
_DK_PUSH = Shape(check="docker-push", allow=opts("-a|--all-tags -q|--quiet --platform:any"))
_DOCKER_ENTRY = CATALOGUE["docker"]
assert isinstance(_DOCKER_ENTRY, Tool)
_DK_IMAGE = _DOCKER_ENTRY.sub["image"]
assert isinstance(_DK_IMAGE, Tool)
CATALOGUE["docker"] = CATALOGUE["podman"] = replace(_DOCKER_ENTRY, sub={
    **_DOCKER_ENTRY.sub, "tag": _DK_TAG, "push": _DK_PUSH,
    "cp": Shape(check="docker-cp", allow=opts("-L|--follow-link -q|--quiet")),
    "image": replace(_DK_IMAGE, sub={**_DK_IMAGE.sub, "tag": _DK_TAG, "push": _DK_PUSH,
                                     # images no tag names (never -a: every unused image)
                                     "prune": _DK_PRUNE}),
    "builder": Tool(allow=opts(""), sub={"prune": _DK_CACHE_PRUNE}),
    # buildx build builds the tree as docker build does (CODE_RUNNERS: the Dockerfile is
    # the tree's); never --push/--output (elsewhere), --secret/--ssh (the host's keys into
    # the build), --builder (another builder), --cache-to (writes)
    "buildx": Tool(sub={"ls": _DK_PLAIN, "version": _DK_PLAIN, "build": replace(
        _DK_BUILD, check="buildx-build", allow=_DK_BUILD.allow + opts("--push")),
        # a manifest list (never --format: ``{{json .Image}}`` prints the image's config,
        # its ENV values)
        "imagetools": Tool(allow=opts(""), sub={"inspect": Shape(
            check="image-ref", allow=opts("--raw"))}),
        # a builder's status (--bootstrap starts the configured builder) and its cache's
        # disk use; never rm/prune/create/use/stop
        "inspect": Shape(check="plain-operands", max_operands=1, allow=opts("--bootstrap")),
        "du": Shape(max_operands=0, allow=opts("--builder:word --verbose -f|--filter:any")),
        "prune": _DK_CACHE_PRUNE})})
_KUBECTL_ENTRY = CATALOGUE["kubectl"]
assert isinstance(_KUBECTL_ENTRY, Tool)
#: never -o for a Job or a manifest: the created object (a CronJob's env values, a Secret a
#: kustomization generated) would be printed
_K8S_CREATE_OUT = "--dry-run:?any --save-config --field-manager:any "
CATALOGUE["kubectl"] = replace(_KUBECTL_ENTRY, sub={
    **_KUBECTL_ENTRY.sub,
    # create from the tree's manifests (as apply), an empty namespace, a CronJob's Job;
    # never secret/configmap (files into the cluster), token (prints one), a workload
    # from an --image, RBAC bindings, service accounts
    "create": Tool(allow=opts(_GLOBAL_K8S + _K8S_FILES + _K8S_CREATE_OUT), bare=ANY, sub={
        **dict.fromkeys(("namespace", "ns"), replace(_k8s(_K8S_CREATE_OUT + "-o|--output:any"),
                                                     max_operands=1)),
        "job": replace(_k8s(_K8S_CREATE_OUT + "--from:any", check="kubectl-job"),
                       max_operands=1)})})

#: trivy scans (its secret scanner masks what it finds): never --server (results to another
#: host), --token/--username/--password/--registry-token (secrets in argv), -c/--config,
#: --cache-dir, --secret-config, --config-policy/--policy (Rego from a file), --template
#: (``@file``), --enable-modules, --input (another archive); fs/config of the tree only
_TRIVY_SCAN = ("-s|--severity:any --ignore-unfixed --exit-code:num -f|--format:word "
               "-o|--output:write --scanners|--security-checks:any --skip-dirs:any "
               "--skip-files:any --no-progress --timeout:any --pkg-types|--vuln-type:any "
               "--list-all-pkgs --skip-db-update --skip-java-db-update --offline-scan "
               "--ignorefile:intree --dependency-tree --include-dev-deps -q|--quiet "
               "--exit-on-eol:num --ignore-policy:intree --detection-priority:word ")
_TRIVY_GLOBAL = opts("-q|--quiet --timeout:any --no-progress")
CATALOGUE.update({
    "trivy": Tool(allow=_TRIVY_GLOBAL, sub={
        **dict.fromkeys(("image", "i"), Shape(check="image-ref", allow=opts(
            _TRIVY_SCAN + "--platform:any --image-src:word --removed-pkgs"))),
        **dict.fromkeys(("fs", "filesystem"), Shape(check="trivy-fs", allow=opts(
            _TRIVY_SCAN))),
        # misconfigurations only: the IaC files' findings, no secret scanner
        **dict.fromkeys(("config", "conf"), Shape(check="in-tree", allow=opts(
            _TRIVY_SCAN + "--helm-values:intree --tf-vars:intree"))),
        "version": Shape(max_operands=0, allow=opts("-f|--format:word")),
        "--version": ANY, "-v": ANY}),
    "skopeo": Tool(allow=opts("--command-timeout:any --override-arch:word --override-os:word "
                              "--override-variant:word"), sub={
        "inspect": Shape(check="skopeo-ref", allow=opts(
            "-f|--format:any -n|--no-tags --retry-times:num")),
        "list-tags": Shape(check="skopeo-ref", allow=opts("--retry-times:num")),
        "--version": ANY, "-v": ANY}),
    # crictl: "operations corpus" below (inspect* are secret.dump: reveal.py)
    # kind and minikube: their clusters' status; never get/export kubeconfig (credentials),
    # create/delete/load, minikube ssh/service/tunnel/start/stop
    "kind": Tool(sub={"get": Tool(sub={
        "clusters": Shape(max_operands=0, allow=opts("")),
        "nodes": Shape(max_operands=0, allow=opts("-n|--name:word --all-clusters"))}),
        "version": Shape(max_operands=0), "--version": ANY}),
    "minikube": Tool(allow=opts("-p|--profile:word"), sub={
        "status": Shape(max_operands=0, allow=opts(
            "-p|--profile:word -o|--output:word -f|--format:any -n|--node:word "
            "-l|--layout:word")),
        "ip": Shape(max_operands=0, allow=opts("-p|--profile:word -n|--node:word")),
        "version": Shape(max_operands=0, allow=opts(
            "--short -o|--output:word --components")),
        "profile": Tool(sub={"list": Shape(max_operands=0, allow=opts(
            "-o|--output:word -l|--light"))}),
        "--version": ANY}),
    "kustomize": Tool(sub={"version": Shape(max_operands=0, allow=opts("--short"))}),
})

# --- infrastructure as code (session 11) ----------------------------------------------------
#: tflint runs the rulesets ``tflint --init`` installed (never --init: downloads plugins;
#: -c/--config: another configuration; --enable-plugin); the tree's modules, its var files
_TFLINT = Shape(max_operands=0, allow=opts(
    "-f|--format:word --recursive --minimum-failure-severity:word --force --no-color "
    "--color --chdir:intree --filter:intree --enable-rule:word --disable-rule:word "
    "--only:word --var-file:intree --var:any --call-module-type:word --no-module "
    "--module --max-workers:num -v|--version", abbrev=False))
#: eksctl reads clusters (never utils write-kubeconfig, create/delete/scale/upgrade/drain,
#: --kubeconfig); ``get`` kinds print no credentials
_EKSCTL_GET = Shape(max_operands=1, allow=opts(
    "-c|--cluster:word -r|--region:word -p|--profile:word -o|--output:word -n|--name:word "
    "-v|--verbose:num --all-regions -A --color:word --timeout:any", abbrev=False))
#: pulumi runs the tree's program for preview (CODE_RUNNERS); never --show-secrets,
#: --policy-pack (code from a path), --config-file, --save-plan/--json to elsewhere,
#: --refresh (it writes the stack's state), config get (a secret's value), up/destroy
_PULUMI_COMMON = "-s|--stack:word --cwd:intree --non-interactive --color:word -v|--verbose:num "
_PULUMI = Tool(allow=opts("--non-interactive --color:word --cwd:intree", abbrev=False), sub={
    "preview": Shape(max_operands=0, allow=opts(
        _PULUMI_COMMON + "--diff -j|--json --suppress-outputs --suppress-progress "
        "--expect-no-changes -t|--target:any --target-dependents -p|--parallel:num "
        "--message:any", abbrev=False)),
    "stack": Tool(sub={
        **dict.fromkeys(("ls", "list"), Shape(max_operands=0, allow=opts(
            "-a|--all -j|--json -o|--organization:word -p|--project:word -t|--tag:any",
            abbrev=False))),
        "history": Shape(max_operands=0, allow=opts(_PULUMI_COMMON + "-j|--json "
                                                    "--page-size:num --page:num",
                                                    abbrev=False)),
        "select": Shape(max_operands=1, allow=opts(_PULUMI_COMMON, abbrev=False)),
        # secrets print as "[secret]" without --show-secrets (reveal.py holds that)
        "output": Shape(max_operands=1, allow=opts(_PULUMI_COMMON + "-j|--json --shell",
                                                   abbrev=False))},
        allow=opts(_PULUMI_COMMON + "-i|--show-ids --show-urns -j|--json", abbrev=False),
        bare=Shape(max_operands=0, allow=opts(_PULUMI_COMMON + "-i|--show-ids "
                                              "--show-urns -j|--json", abbrev=False))),
    "whoami": Shape(max_operands=0, allow=opts("-v|--verbose -j|--json", abbrev=False)),
    # the stack's settings (secrets print as [secret]; reveal.py holds --show-secrets);
    # never config get (a secret's value), set/rm, --config-file
    "config": Tool(allow=opts(_PULUMI_COMMON + "-j|--json", abbrev=False), sub={},
                   bare=Shape(max_operands=0, allow=opts(_PULUMI_COMMON + "-j|--json",
                                                         abbrev=False))),
    "version": Shape(max_operands=0), "--version": ANY})
#: the CDK runs cdk.json's app (CODE_RUNNERS: the tree's code, as make); never --app (a
#: command), deploy/destroy/bootstrap/import/watch, -o outside the tree, --plugin
_CDK_COMMON = ("-c|--context:any --profile:word -q|--quiet -j|--json --no-color -v|--verbose "
               "--strict --ci -e|--exclusively --all --debug --version-reporting:?any "
               "--lookups:?any --asset-metadata:?any --path-metadata:?any -o|--output:wdir ")
_CDK = Tool(allow=opts(_CDK_COMMON, abbrev=False), sub={
    "diff": Shape(check="cdk-stacks", allow=opts(
        _CDK_COMMON + "--security-only --fail --context-lines:num --no-change-set "
        "--change-set:?any", abbrev=False)),
    **dict.fromkeys(("synth", "synthesize"), Shape(check="cdk-stacks", allow=opts(
        _CDK_COMMON + "--validation --no-validation", abbrev=False))),
    **dict.fromkeys(("ls", "list"), Shape(check="cdk-stacks", allow=opts(
        _CDK_COMMON + "-l|--long --show-dependencies", abbrev=False))),
    "doctor": Shape(max_operands=0), "--version": ANY})
#: SAM builds (its builders run the tree's Makefiles and install its requirements:
#: CODE_RUNNERS) and validates the tree's template; never --config-file, --manifest from
#: elsewhere, -b outside the tree, deploy/sync/local/delete
_SAM_COMMON = "-t|--template-file|--template:intree --region:word --profile:word " \
    "--config-env:word --debug --beta-features --no-beta-features "
_SAM = Tool(allow=opts("--info --version", abbrev=False), sub={
    "validate": Shape(max_operands=0, allow=opts(_SAM_COMMON + "--lint", abbrev=False)),
    "build": Shape(check="cdk-stacks", allow=opts(
        _SAM_COMMON + "-u|--use-container -p|--parallel -c|--cached --no-cached "
        "-b|--build-dir:wdir -s|--base-dir:intree --skip-pull-image "
        "-m|--manifest:intree --mount-with:word --build-in-source --no-build-in-source",
        abbrev=False)),
    "--version": ANY, "--info": ANY})


def _check_cdk_stacks(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # stack names (``Prod/Api``, glob patterns the CDK matches itself: quoted)
    bad = [o for o in ops if not re.fullmatch(r"[A-Za-z0-9*][A-Za-z0-9*/_.-]{0,200}", o)]
    return f"{bad[0]!r} is not a stack name" if bad else None


CHECKS["cdk-stacks"] = _check_cdk_stacks
CATALOGUE.update({
    "tflint": _TFLINT,
    "eksctl": Tool(sub={"get": Tool(sub={k: _EKSCTL_GET for k in (
        "cluster", "clusters", "nodegroup", "nodegroups", "ng", "addon", "addons",
        "fargateprofile", "iamidentitymapping", "labels", "accessentry")}),
        "version": Shape(max_operands=0, allow=opts("-o|--output:word")),
        "info": Shape(max_operands=0)}),
    "pulumi": _PULUMI, "cdk": _CDK, "sam": _SAM,
})

# --- system tools (session 11) ------------------------------------------------------------------
#: mktemp makes a new empty file or directory with a random name: in /tmp, /var/tmp or the
#: tree (a template's directory, -p/--tmpdir); never TMPDIR from the environment (a special
#: variable), a template elsewhere (``/etc/cron.d/xXXXXXX``)
def _check_mktemp(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    dirs = _option_values(pairs, "-p", "--tmpdir")
    if any(d not in ("/tmp", "/var/tmp", "/tmp/", "/var/tmp/") and not _in_tree(d)
           for d in dirs if d):
        return f"makes its file in {dirs[0]!r}: not /tmp, /var/tmp or the tree"
    for t in ops:
        if not re.fullmatch(r"[A-Za-z0-9_./-]{0,200}X{3,}[A-Za-z0-9_.-]{0,40}", t) or \
                ".." in t.split("/"):
            return f"{t!r} is not a plain template (NAME.XXXXXX)"
        if not (dirs or "-t" in {k for k, _ in pairs or ()}) and t.startswith("/") and not \
                t.startswith(_SCRATCH):
            return f"makes {t!r} outside /tmp, /var/tmp and the tree"
        if not t.startswith("/") and not safe_write_target(t.replace("X", "x")):
            return f"makes {t!r}: a dot-file or a hook file"
    return None


#: ldd loads a program's libraries through the system's loader; with a program whose ELF
#: interpreter is another, some versions run the program (ldd(1)): only installed programs
#: and libraries (system directories root owns), never the tree's or scratch's binaries
_SYSTEM_BINARY = re.compile(r"/(?:usr/(?:local/)?)?(?:s?bin|lib(?:32|64|exec)?)/"
                            r"[A-Za-z0-9_.+@/-]{1,200}")


def _check_ldd(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _SYSTEM_BINARY.fullmatch(o) or ".." in o.split("/"):
            return f"{o!r} is not an installed program or library (ldd may run it)"
    return None


#: envsubst substitutes every environment variable in its input (``$AWS_SECRET_ACCESS_KEY``:
#: a printenv): only with SHELL-FORMAT naming the variables it may substitute, none of them
#: secret-looking (reveal.secret_name, as printenv NAME)
def _check_envsubst(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if {k for k, _ in pairs or ()} & {"-v", "--variables"}:
        return None
    if len(ops) != 1:
        return "substitutes every environment variable (name them: envsubst '$A $B')"
    names = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", ops[0])
    if not names or re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[\s,]", "", ops[0]):
        return "SHELL-FORMAT is not a list of variables"
    bad = [n for n in names if secret_name(n) or _SPECIAL_VAR.match(n)]
    return f"substitutes {bad[0]}, which could be a secret" if bad else None


#: dos2unix/unix2dos/clang-format -i rewrite files in place: the tree's own (as sed -i)
def _check_in_place(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not safe_write_target(o) or o in _SAFE_DEV:
            return f"rewrites {o!r}: a dot-file, a hook file or outside the working tree"
    return None


#: in-place (de)compression writes FILE.SUFFIX (or FILE) next to FILE and prints nothing: in
#: the tree, or a data file in a backup or deploy directory whose content never leaves it
#: (the "maybe" tier of the secret table: backups; never a credential of the "secret" tier);
#: to stdout (-c), only what is no secret (as cat)
_COMPRESSED = {"gzip": ".gz", "gunzip": ".gz", "xz": ".xz", "unxz": ".xz", "zstd": ".zst",
               "unzstd": ".zst", "bzip2": ".bz2", "bunzip2": ".bz2"}
_BACKUP_DATA = re.compile(r"\.(?:sql|dump|tar|log|csv|json|ndjson|bak|db|bin|img|"
                          r"log\.[0-9]{1,3})(?:\.(?:gz|xz|zst|bz2))?$")
_BACKUP_DIR = re.compile(r"/var/backups/|/(?:srv|opt|data)/(?:[^/]+/)*(?:backups?|dumps?)/")


def _backup_place(o: str) -> bool:
    return bool(_BACKUP_DIR.match(o)) and norm(o) == o and all(
        _PLAIN_PART.fullmatch(p) for p in o[1:].split("/")) and _BACKUP_DATA.search(o) \
        is not None and secret_class(o, "secret") is None


def _check_compress(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if pairs is None:
        return f"{c.name} without its option allow-list"
    given = {k for k, _ in pairs}
    # -c and zstd's -o put the content somewhere else: only what is no secret (as cat, cp)
    out = given & {"-c", "-l", "-t", "-o"}
    if any(secretish(o) for o in ops) and (out or not all(_backup_place(o) for o in ops)):
        return "a secret's content (only in-place compression of backups keeps it in place)"
    if out:
        return None
    suffix = _COMPRESSED[c.name]
    unpack = c.name.startswith(("gun", "un", "bun")) or "-d" in given
    for o in ops:
        if _backup_place(o):
            continue
        if unpack:
            out = re.sub(r"\.(gz|z|tgz|taz|xz|zst|bz2)$", "", o, flags=re.I)
            if out == o or not safe_write_target(out, True):
                return f"unpacks {o!r} onto a dot-file, code or config file"
        elif not (safe_write_target(o) and safe_write_target(o + suffix)):
            return f"compresses {o!r}: a dot-file, code, config or system file"
    return None


def _kind_newfile(v: str) -> str | None:
    """A new key or certificate openssl writes: a plain file of the tree (its name may be a
    key's: the key is new, no secret is read), never a dot-file, hook or code file."""
    parts = v.split("/")
    return None if _in_tree(v) and all(p and not p.startswith(".") for p in parts) and not \
        HOOK_FILE.search(v) and not _CODE_FILE.search(v) else \
        f"writes {v!r}: not a plain file of the working tree"


KINDS.update({"newfile": _kind_newfile, "newkey": lambda v: None if re.fullmatch(
    r"(?:rsa(?::[0-9]{3,5})?|ec|ed25519|ed448|RSA(?::[0-9]{3,5})?|EC)", v) else
    f"-newkey {v!r} reads parameters from a file"})
_OPENSSL = CATALOGUE["openssl"]
assert isinstance(_OPENSSL, Tool)
#: openssl req makes a new key and a request or self-signed certificate in the tree; never
#: -key (an existing key), -config (loads engines, providers, includes), -engine/-provider,
#: -passin/-passout (passwords in argv or read from files), -rand/-writerand
def _check_openssl_req(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a request signed by an existing key of the tree proves possession and prints none of
    # it; a self-signed certificate from an existing key (a CA's) is another matter; a new
    # key without -nodes/-noenc asks for a passphrase on the terminal (the agent's input)
    given = {k for k, _ in pairs or ()}
    if "-key" in given and "-x509" in given:
        return "a self-signed certificate from an existing key"
    if given & {"-newkey", "-keyout"} and not given & {"-nodes", "-noenc"}:
        return "a new key without -nodes/-noenc prompts for a passphrase"
    return None


CHECKS["openssl-req"] = _check_openssl_req
KINDS["treekey"] = lambda v: None if _kind_newfile(v) is None and not v.startswith("~") else \
    f"{v!r} is not a key file of the working tree"
CATALOGUE["openssl"] = replace(_OPENSSL, sub={
    **_OPENSSL.sub,
    # printing a request (the operations corpus: -in any file, a key is not printed) and
    # making one
    "req": Shape(max_operands=0, check="openssl-req", secrets_ok=True, allow=opts(
        "-new -x509 -nodes -noenc -newkey:newkey -keyout:newfile -out:newfile -subj:any "
        "-days:num -sha256 -sha384 -sha512 -batch -addext:any -text -noout -verify "
        "-in:any -pubkey -utf8 -set_serial:any -outform:word -inform:any -pkeyopt:any "
        "-multivalue-rdn -key:treekey -subject -modulus -nameopt:any -reqopt:any", "go")),
    # a new private key into the tree (never a cipher: a passphrase prompt; never -passout,
    # -engine/-provider, -rand)
    "genrsa": Shape(max_operands=1, check="numbits", allow=opts(
        "-out:newfile -3 -F4 -f4 -traditional", "go")),
    "genpkey": Shape(max_operands=0, allow=opts(
        "-algorithm:word -out:newfile -pkeyopt:any -outform:word", "go"))})
CHECKS["numbits"] = lambda c, rest, ops, pairs: None if all(
    o.isdigit() and 1024 <= int(o) <= 16384 for o in ops) else "not a key size"


CHECKS.update({"mktemp": _check_mktemp, "ldd": _check_ldd,
               "envsubst": _check_envsubst, "in-place": _check_in_place,
               "compress": _check_compress})
_COMPRESS_COMMON = "-k|--keep -c|--stdout -l|--list -t|--test -v|--verbose -q|--quiet -NUM "
CATALOGUE.update({
    "mktemp": Shape(check="mktemp", max_operands=1, allow=opts(
        "-d|--directory -u|--dry-run -q|--quiet -t -p:any --tmpdir:?any --suffix:any")),
    "fail2ban-client": Tool(allow=opts(""), sub={
        "status": Shape(max_operands=1, allow=opts("")), "ping": Shape(max_operands=0),
        "version": Shape(max_operands=0), "-V": ANY, "--version": ANY,
        "banned": Shape(allow=opts("")),
        # a jail's or the server's settings, read (session 12); set is another verb
        "get": Shape(max_operands=4, allow=opts(""))}),
    # logrotate -d, ssh-keyscan: "operations corpus" below
    "ldd": Shape(check="ldd", allow=opts("-v|--verbose -u|--unused -d|--data-relocs "
                                         "-r|--function-relocs")),
    **dict.fromkeys(("dos2unix", "unix2dos"), Shape(check="in-place", allow=opts(
        "-q|--quiet -k|--keep-date -o|--oldfile -f|--force -s|--safe -v|--verbose "
        "-c|--convmode:word -r|--remove-bom -m|--add-bom"))),
    "envsubst": Shape(check="envsubst", max_operands=1, allow=opts("-v|--variables")),
    **{n: Shape(check="compress", secrets_ok=True, allow=_GZIP) for n in ("gzip", "gunzip")},
    **{n: Shape(check="compress", secrets_ok=True, allow=opts(
        _COMPRESS_COMMON + "-z|--compress -d|--decompress|--uncompress -T|--threads:num "
        "-e|--extreme")) for n in ("xz", "unxz")},
    **{n: Shape(check="compress", secrets_ok=True, allow=opts(
        _COMPRESS_COMMON + "-z|--compress -d|--decompress|--uncompress -T|--threads:num "
        "--long:?num --ultra --no-progress -o:write", abbrev=False)) for n in ("zstd", "unzstd")},
    **{n: Shape(check="compress", secrets_ok=True, allow=opts(
        _COMPRESS_COMMON + "-z|--compress -d|--decompress -s|--small"))
       for n in ("bzip2", "bunzip2")},
    # clang-format, ctest: "developer corpus" above (its entries landed first)
})
_GIT_ENTRY = CATALOGUE["git"]
assert isinstance(_GIT_ENTRY, Tool)
_GIT_WT = _GIT_ENTRY.sub["worktree"]
assert isinstance(_GIT_WT, Tool)
CATALOGUE["git"] = replace(_GIT_ENTRY, sub={**_GIT_ENTRY.sub, "worktree": replace(_GIT_WT, sub={
    **_GIT_WT.sub,
    # not remove: its clean check is ``git status --porcelain`` without --ignored (ignored
    # files, a gitignored database or .env, are deleted with the tree) and under the
    # repository's own config (status.showUntrackedFiles=no hides untracked files)
    "prune": _git(opts("-n|--dry-run -v|--verbose --expire:any"), max_operands=0)})})


# --- datastores: restores, checks and more SQL clients (session 11) -----------------------------
# Each from the tool's manual. (Dumps are the entries further below, "database dumps".) A
# client runs only SQL that sql_read_only proves a read in the engine's dialect. Decisions:
# docs/guard-least-privilege.md ("Session 11: databases and data tools").

#: a host inside the site: loopback, a private IPv4 address, a single-label name (the search
#: domains' own), or a name under a private-use suffix. cqlsh and clickhouse-client send the
#: password of their rc/config file to whatever host they are given, in clear
#: (red team s15 A4) a single label starts with a letter: inet_aton reads ``134744072`` and
#: ``0x08080808`` as 8.8.8.8
_LAN_HOST = re.compile(PRIVATE_HOST + r"|::1|[A-Za-z][A-Za-z0-9-]{0,62}")


def _kind_lan_host(v: str) -> str | None:
    return None if _LAN_HOST.fullmatch(v) else \
        f"{v!r} is not a host inside the site (the client sends its stored password to it)"


KINDS.update({
    "lanhost": _kind_lan_host,
    # mysqldump --where: the condition of its SELECT, judged as a read's
    "sqlwhere": lambda v: None if sql_read_only(f"select 1 from t where {v}") else
    f"--where {v!r} is not a plain condition",
})


def _sql_texts(c: SimpleCommand, pairs: Pairs, flag: str) -> list[str] | str:
    """The SQL given to a client by ``flag``; why not when none is, or stdin feeds it."""
    if c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                   c.redirects):
        return "SQL from stdin is not seen by the guard"
    texts = _option_values(pairs, flag)
    return texts or "an interactive database client reads the agent's stdin"


def _check_dialect(dialect: str, flag: str) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        # cqlsh's operands are HOST [PORT]
        if ops and _kind_lan_host(ops[0]):
            return _kind_lan_host(ops[0])
        if ops[1:] and not ops[1].isdigit():
            return f"{ops[1]!r} is not a port"
        if not _option_values(pairs, flag) and any(k in ("-V", "--version")
                                                   for k, _ in pairs or ()):
            return None  # clickhouse-client -V prints the version and exits
        texts = _sql_texts(c, pairs, flag)
        if isinstance(texts, str):
            return texts
        bad = [t for t in texts if not sql_read_only(t, dialect)]
        return f"{bad[0][:60]!r} is not a plain read" if bad else None
    return check


#: a double-quoted identifier: DuckDB reads a file it names as it reads a string
_DQ_IDENT = re.compile(r'"([^"]*+)"')


def _duckdb_place_why(s: str) -> str | None:
    if "://" in s or s.startswith(("~", "s3:", "gs:", "gcs:", "az:", "hf:", "r2:")):
        return f"{s!r} is not a local file (a URL loads an extension and reaches the network)"
    if secretish(s):
        return f"{s!r} could be a secret"
    return None


#: the project's own analysis database (session 12): a table or view made from a read, and a
#: read copied into a data file of the tree; never ATTACH, INSTALL/LOAD, SET, SECRET, EXPORT,
#: INSERT/UPDATE/DELETE/DROP (the checks below list what is allowed, not what is not)
_DUCKDB_CTAS = re.compile(r"(?i)\A\s*+create\s++(?:or\s++replace\s++)?+(?:temp(?:orary)?+\s++)?+"
                          r"(?:table|view)\s++(?:if\s++not\s++exists\s++)?+"
                          r"[A-Za-z_][A-Za-z0-9_]*+\s++as\s++")
_DUCKDB_COPY_OPTIONS = re.compile(r"\(\s*+(?:[A-Za-z_]++(?:\s++(?:[A-Za-z0-9_]++|'[A-Za-z0-9_,|;\t]"
                                  r"{0,4}+'))?+\s*+,\s*+)*+[A-Za-z_]++(?:\s++(?:[A-Za-z0-9_]++|"
                                  r"'[A-Za-z0-9_,|;\t]{0,4}+'))?+\s*+\)")


def _duckdb_write_why(stmt: str) -> str | None:
    """Why ``stmt`` is not a table or view made from a read (CREATE ... AS SELECT) nor a
    read copied to a data file of the tree (COPY (SELECT ...) TO 'reports/x.csv' (HEADER)),
    or None."""
    m = _DUCKDB_CTAS.match(stmt)
    if m:
        inner = stmt[m.end():]
        return None if sql_read_only(inner, "duckdb") else f"{inner[:60]!r} is not a plain read"
    body = stmt.strip()
    if body[:4].lower() != "copy" or not body[4:].lstrip().startswith("("):
        return f"{stmt.strip()[:60]!r} is not a read, a table made from one or a COPY of one"
    body = body[4:].lstrip()
    depth, quote, end = 0, "", -1
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                end = i
                break
    if end < 0:
        return "COPY without its closing parenthesis"
    inner, tail = body[1:end], body[end + 1:].strip()
    if not sql_read_only(inner, "duckdb"):
        return f"{inner[:60]!r} is not a plain read"
    if tail[:2].lower() != "to" or not tail[2:].lstrip().startswith("'"):
        return "COPY that is not TO a file"
    tail = tail[2:].lstrip()
    close = tail.find("'", 1)
    path, options = tail[1:close], tail[close + 1:].strip() if close > 0 else ""
    if close < 0 or not _in_tree(path) or not safe_write_target(path, True) or \
            _duckdb_place_why(path):
        return f"COPY TO {path!r}: not a data file of the working tree"
    if options and not _DUCKDB_COPY_OPTIONS.fullmatch(options):
        return f"COPY options {options[:40]!r} are not plain format options"
    return None


def _check_duckdb(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``duckdb [DB] -c SQL`` or ``duckdb DB SQL...``: reads only (sql_read_only, DuckDB's
    readers), every string or quoted name a local file that is no secret (a URL would load
    httpfs and reach the network); the database file in the tree unless ``-readonly``."""
    if c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                   c.redirects):
        return "SQL from stdin is not seen by the guard"
    texts = [*_option_values(pairs, "-c"), *ops[1:]]
    if not texts:
        return "an interactive database client reads the agent's stdin"
    db = ops[0] if ops else ":memory:"
    read_only = any(k == "-readonly" for k, _ in pairs or ())
    if db != ":memory:" and not (safe_write_target(db) or read_only and not secretish(db)):
        return f"opens {db!r} for writing outside the working tree (-readonly reads it)"
    for t in texts:
        if _SQLITE_DOT.match(t):
            continue
        if not sql_read_only(t, "duckdb"):
            bad = next((s for s in t.split(";") if s.strip() and not sql_read_only(
                s, "duckdb") and (read_only or _duckdb_write_why(s) is not None)), None)
            if bad is not None or not t.strip():
                why = _duckdb_write_why(bad) if bad and not read_only else None
                return why or f"{(bad or t)[:60]!r} is not a plain read"
        for place in (*file_strings(t), *_DQ_IDENT.findall(t)):
            why = _duckdb_place_why(place)
            if why:
                return why
    return None


CHECKS.update({
    "duckdb": _check_duckdb,
    "clickhouse": _check_dialect("clickhouse", "-q"), "cql": _check_dialect("cql", "-e"),
})

_MYSQL_CONN = ("-u|--user:any -h|--host:any -P|--port:num -S|--socket:any --protocol:any "
               "-p|--password:??any --ssl-mode:any --default-character-set:word "
               "-C|--compress -v|--verbose -V|--version ")
#: etcdctl's global flags (pflag: exact names, also after the subcommand); the TLS files are
#: the client's own identity, never printed; never --user/--password (a secret in argv)
_ETCD_GLOBAL = ("--endpoints:any --cacert:any --cert:any --key:any -w|--write-out:word "
                "--command-timeout:any --dial-timeout:any --keepalive-time:any "
                "--keepalive-timeout:any --insecure-skip-tls-verify --insecure-transport "
                "--debug --hex ")


def _etcd(spec: str = "") -> Shape:
    return Shape(max_operands=0, secrets_ok=True, allow=opts(_ETCD_GLOBAL + spec, abbrev=False))


_CLICKHOUSE = Shape(check="clickhouse", max_operands=0, allow=opts(
    "-q|--query:any -h|--host:lanhost --port:num -u|--user:word -d|--database:word "
    "-f|--format:word -n|--multiquery -t|--time --secure -s|--silent --stacktrace "
    "-V|--version --progress --max_execution_time:num"))

CATALOGUE.update({
    # CHECK TABLE and ANALYZE TABLE only: never -r/--repair, -o/--optimize, --auto-repair,
    # --fix-*-names (rename), --use-frm; invoked as mysqlrepair/mysqloptimize it is unknown
    "mysqlcheck": Shape(allow=opts(
        _MYSQL_CONN + "-c|--check -a|--analyze -A|--all-databases -B|--databases --tables "
        "-e|--extended -F|--fast -m|--medium-check -C|--check-only-changed|--changed "
        "-s|--silent --skip-database:word --skip-write-binlog")),
    "clickhouse-client": _CLICKHOUSE,
    "clickhouse": Tool(sub={"client": _CLICKHOUSE}),
    # never -f (a file of statements), --cqlshrc (a config with credentials), -p/--password
    "cqlsh": Shape(check="cql", max_operands=2, allow=opts(
        "-e|--execute:any -k|--keyspace:word -u|--username:word --ssl --no-color -C|--color "
        "--debug --request-timeout:num --connect-timeout:num --encoding:word "
        "--cqlversion:any --protocol-version:num --version")),
    # never -cmd/-init/-f (statements the check does not see), -unsigned (unsigned
    # extensions), -ui (a server)
    "duckdb": Shape(check="duckdb", allow=opts(
        "-c:any -readonly -safe -json -jsonlines -csv -header -noheader -column -line -box "
        "-batch -markdown -table -html -list -quote -ascii -separator:any -nullvalue:any "
        "-newline:any -version -nofollow -echo -bail", "go")),
    # the cluster's health and membership (never get: Kubernetes secrets; never put/del/
    # snapshot/defrag/compaction/member add|remove/alarm disarm/check perf (writes keys))
    "etcdctl": Tool(allow=opts(_ETCD_GLOBAL, abbrev=False), sub={
        "endpoint": Tool(sub={"health": _etcd("--cluster"), "status": _etcd("--cluster"),
                              "hashkv": _etcd("--cluster")}),
        "member": Tool(sub={"list": _etcd()}),
        "alarm": Tool(sub={"list": _etcd()}),
        "version": _etcd(), "--version": ANY}),
})


# --- data pipelines, notebooks, trackers and GPU status (session 11) ----------------------------
# The site's own pipelines (dbt models, Airflow tasks, notebooks, Great Expectations checkpoints)
# are its code, run as make runs a Makefile: known safe with listed options, and flow.py's
# CODE_RUNNERS holds them after the session wrote code or configuration in their tree.
# Servers only on the loopback address (their documented default). Decisions:
# docs/guard-least-privilege.md ("Session 11: databases and data tools").
#: an MLflow store in the tree: ``./mlruns``, ``file:mlruns``, ``sqlite:///mlflow.db`` (three
#: slashes: a relative path; four would be absolute)
_ML_STORE = re.compile(r"(?:file:(?://)?|sqlite:///)?+(.*)")
#: a Kaggle dataset reference ``owner/slug`` (or ``owner/slug/version``)
#: (the look-behind keeps a search from restarting inside a run of name characters)
_KAGGLE_REF = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z0-9][A-Za-z0-9_.-]*+/[A-Za-z0-9]"
                         r"[A-Za-z0-9_.-]*+(?:/\d++)?+")
KINDS.update({
    # (site_program.LOOPBACK: where a server may listen unasked, as the site's app servers)
    "loopback": lambda v: None if LOOPBACK.fullmatch(v) else
    f"listens on {v!r}, not the loopback",
    "mlstore": lambda v: None if _in_tree(_ML_STORE.fullmatch(v).group(1) or "-") else
    f"{v!r} is not a store in the working tree",
    "kaggleref": lambda v: None if _KAGGLE_REF.fullmatch(v) else
    f"{v!r} is not a dataset reference",
})


#: a parameter name papermill writes into the notebook as ``NAME = value`` (a Python line:
#: ``-p 'x = 1; import os; y' 2`` would be code); values are translated to literals
_PY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _check_papermill(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A notebook of the tree run into a notebook of the tree (or stdout): never a URL
    (papermill reads s3://, http://) or a file out of the tree; parameter names are names."""
    for v in _option_values(pairs, "-p", "-r"):
        name = v.split("\x00", 1)[0]
        if not _PY_NAME.fullmatch(name):
            return f"parameter name {name!r} is not a Python name (papermill writes it as code)"
    if not ops or len(ops) > 2:
        return "papermill takes a notebook and an output"
    if not ops[0].endswith(".ipynb") or not _in_tree(ops[0]):
        return f"{ops[0]!r} is not a notebook in the working tree"
    if len(ops) == 2 and ops[1] != "-" and not (ops[1].endswith(".ipynb") and _in_tree(
            ops[1]) and safe_write_target(ops[1])):
        return f"writes {ops[1]!r}"
    return None


#: a virtualenv's directory by convention (``.venv``, ``venv``, ``.venv-py312``, ``env``):
#: uv replaces what is there (``--clear``), so never a data directory's name
_VENV_NAME = re.compile(r"\.?venv(?:[-_.][A-Za-z0-9_.-]*+)?+|env")


def _check_uv_venv(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """The tree's virtualenv, by a virtualenv's name (``_VENV_BIN`` knows ``.venv``)."""
    bad = [o for o in ops if not _VENV_NAME.fullmatch(o.rstrip("/"))]
    return f"makes a virtualenv at {bad[0]!r} (only a virtualenv's name)" if bad else None


def _check_kaggle_download(c: SimpleCommand, rest: Words, ops: Words,
                           pairs: Pairs) -> str | None:
    """One dataset or competition, named by option or operand (a plain reference)."""
    named = _option_values(pairs, "-d", "-c")
    if len(named) + len(ops) != 1:
        return "kaggle download of one dataset or competition"
    return None if all(_KAGGLE_REF.fullmatch(o) or KINDS["word"](o) is None for o in ops) \
        else f"{ops[0]!r} is not a dataset or competition name"


def _check_conda_activate(c: SimpleCommand, rest: Words, ops: Words,
                          pairs: Pairs) -> str | None:
    """An environment by name (a path could name a directory whose activate.d scripts the
    session planted)."""
    bad = [o for o in ops if KINDS["word"](o) is not None]
    return f"{bad[0]!r} is not an environment name" if bad else None


CHECKS.update({"papermill": _check_papermill, "uv-venv": _check_uv_venv,
               "kaggle-download": _check_kaggle_download,
               "conda-activate": _check_conda_activate})


def _xsv(spec: str, max_operands: int | None = None) -> Shape:
    # docopt: exact long names, short flags; -o writes (a write target), every other option
    # only shapes the output. File operands are reads (the secret checks apply)
    return Shape(max_operands=max_operands, allow=opts(
        "-o|--output:write -d|--delimiter:any -h|--help " + spec, abbrev=False))


_XSV_SEL = "-s|--select:any "
#: xsv (and its successor qsv, only in xsv's commands): never index (writes an index next to
#: the file), split/partition (write files into a directory), and none of qsv's own commands
#: (luau/python run code, fetch/fetchpost reach the network, sqlp reads any file, to writes a
#: database, describegpt sends data to a model API)
_XSV = Tool(allow=opts("--version -h|--help", abbrev=False), sub={
    "count": _xsv("-n|--no-headers", 1),
    "headers": _xsv("-j|--just-names --intersect"),
    "stats": _xsv(_XSV_SEL + "--everything --mode --cardinality --median --nulls "
                  "-j|--jobs:num -n|--no-headers", 1),
    "frequency": _xsv(_XSV_SEL + "-l|--limit:num -a|--asc --no-nulls -j|--jobs:num "
                      "-n|--no-headers", 1),
    "select": _xsv("-n|--no-headers", 2),
    "search": _xsv(_XSV_SEL + "-i|--ignore-case -v|--invert-match -n|--no-headers", 2),
    "slice": _xsv("-s|--start:num -e|--end:num -l|--len:num -i|--index:num "
                  "-n|--no-headers", 1),
    "sort": _xsv(_XSV_SEL + "-N|--numeric -R|--reverse -n|--no-headers", 1),
    "sample": _xsv("--seed:num -n|--no-headers", 2),
    "table": _xsv("-w|--width:num -p|--pad:num -c|--condense:num", 1),
    "flatten": _xsv("-c|--condense:num -s|--separator:any -n|--no-headers", 1),
    "join": _xsv("--left --right --full --cross --nulls --no-case -n|--no-headers", 4),
    "cat": _xsv("-p|--pad -n|--no-headers"),
    "fmt": _xsv("-t|--out-delimiter:any --crlf --ascii --quote:any --quote-always "
                "--escape:any", 1),
    "reverse": _xsv("-n|--no-headers", 1),
    "fixlengths": _xsv("-l|--length:num", 1),
})

# dbt: the project's SQL and Jinja against its profile's warehouse (the site's code, as make's
# Makefile). Never --vars (values into the SQL), --full-refresh (drops and rebuilds
# incremental models), --profiles-dir (other credentials), --inline (Jinja the agent writes:
# run_query runs any SQL), run-operation (a macro of the agent's choosing), clean (deletes the
# paths dbt_project.yml names), init, docs serve (a server)
_DBT_COMMON = ("--project-dir:intree -t|--target:word --target-path:wdir --log-path:wdir "
               "-q|--quiet -d|--debug --log-format:word --log-level:word --no-use-colors "
               "--use-colors --no-partial-parse --partial-parse --warn-error "
               "--no-version-check --no-write-json --no-print --printer-width:num ")
_DBT_SELECT = ("-s|--select|-m|--models:any --exclude:any --selector:word "
               "--resource-type|--resource-types:word --exclude-resource-type:word "
               "--indirect-selection:word ")
_DBT_RUN = _DBT_SELECT + ("--threads:num -x|--fail-fast --defer --no-defer --state:intree "
                          "--favor-state --empty --store-failures ")


def _dbt(spec: str = "", max_operands: int | None = 0) -> Shape:
    return Shape(max_operands=max_operands, allow=opts(_DBT_COMMON + spec, abbrev=False))


DBT = Tool(allow=opts(_DBT_COMMON + "--version", abbrev=False), sub={
    **dict.fromkeys(("ls", "list"), _dbt(_DBT_SELECT + "-o|--output:word --output-keys:any")),
    "compile": _dbt(_DBT_SELECT + "--threads:num"),
    "parse": _dbt(), "debug": _dbt("--config-dir --connection"),
    "deps": _dbt(), "retry": _dbt("--threads:num"),
    **dict.fromkeys(("run", "test", "build", "seed", "snapshot"), _dbt(_DBT_RUN)),
    "show": _dbt(_DBT_SELECT + "--limit:num --output:word"),
    "docs": Tool(sub={"generate": _dbt(_DBT_SELECT + "--no-compile --empty-catalog "
                                       "--threads:num")}),
    "source": Tool(sub={"freshness": _dbt(_DBT_SELECT + "-o|--output:write --threads:num")}),
    "--version": ANY})

# airflow: listings and states of the DAGs and runs, and `tasks test` (runs one task of the
# site's DAG without recording state: its code, as dbt run). Never dags trigger/test/pause/
# unpause/delete/backfill, tasks run/clear/render (render prints templates that read
# Variables and Connections), variables get/export/set, connections (list prints passwords),
# config (sql_alchemy_conn), info, db reset/migrate/clean, users/roles changes; never -S/
# --subdir (DAGs from elsewhere), tasks test --env-vars/--task-params/--post-mortem
_AF_OUT = "-o|--output:word -v|--verbose "


def _af(spec: str = "", max_operands: int | None = 1) -> Shape:
    return Shape(max_operands=max_operands, allow=opts(_AF_OUT + spec, abbrev=False))


AIRFLOW = Tool(allow=opts("--version -h|--help", abbrev=False), sub={
    "dags": Tool(sub={
        "list": _af("--columns:any", 0), "list-import-errors": _af("", 0),
        "list-runs": _af("-d|--dag-id:word --state:word --no-backfill -s|--start-date:any "
                         "-e|--end-date:any"),
        "list-jobs": _af("-d|--dag-id:word --state:word --limit:num", 0),
        "state": _af("", 2), "next-execution": _af("-n|--num-executions:num"),
        "details": _af(""), "report": _af("", 0), "show": _af("")}),
    "tasks": Tool(sub={
        "list": _af("-t|--tree"), "state": _af("-m|--map-index:num", 3),
        "states-for-dag-run": _af("", 2),
        "test": _af("-n|--dry-run -m|--map-index:num", 3)}),
    "variables": Tool(sub={"list": _af("", 0)}),
    "pools": Tool(sub={"list": _af("", 0)}),
    "providers": Tool(sub={"list": _af("", 0)}),
    "jobs": Tool(sub={"check": _af("--job-type:word --hostname:any --limit:num "
                                   "--allow-multiple --local", 0)}),
    "db": Tool(sub={"check": _af("", 0), "check-migrations": _af("-t|--migration-wait-"
                                                                 "timeout:num", 0)}),
    "version": _af("", 0), "cheat-sheet": _af("", 0)})

# Great Expectations (legacy CLI): checkpoints of the tree's context run (its code and its
# configured actions, as dbt test), listings. Never -c/--config elsewhere, suite edit/new
# (a notebook server), datasource new, docs build (may publish the site), project upgrade
_GX = Tool(allow=opts("-v|--verbose -y|--assume-yes --v3-api -c|--config:intree",
                      abbrev=False), sub={
    "checkpoint": Tool(sub={"run": Shape(max_operands=1, allow=opts("", abbrev=False)),
                            "list": Shape(max_operands=0)}),
    "suite": Tool(sub={"list": Shape(max_operands=0)}),
    "--version": ANY})

# kaggle: listings and downloads of public datasets and competitions into the tree (flow.py:
# a fetched tree). Never submit, datasets create/version/init/metadata, kernels push/pull/
# init, models create, config set/unset
_KAGGLE_LIST = ("-s|--search:any --sort-by:word -p|--page:num -v|--csv "
                "--page-size:num ")
_KAGGLE_DL = ("-f|--file:intree -p|--path:wdir -w|--wp --unzip -o|--force -q|--quiet ")
KAGGLE = Tool(allow=opts("-v|--version", abbrev=False), sub={
    "datasets": Tool(sub={
        "list": Shape(max_operands=0, allow=opts(_KAGGLE_LIST + "--file-type:word "
                                                 "--license:word --tags:any --user:word "
                                                 "-m|--mine --max-size:num --min-size:num",
                                                 abbrev=False)),
        "files": Shape(max_operands=1, allow=opts("--page-token:any --page-size:num "
                                                  "-v|--csv", abbrev=False)),
        "download": Shape(check="kaggle-download", max_operands=1, allow=opts(
            "-d|--dataset:kaggleref " + _KAGGLE_DL, abbrev=False))}),
    "competitions": Tool(sub={
        "list": Shape(max_operands=0, allow=opts(_KAGGLE_LIST + "--group:word "
                                                 "--category:word", abbrev=False)),
        "files": Shape(max_operands=1, allow=opts("--page-token:any --page-size:num "
                                                  "-v|--csv", abbrev=False)),
        "download": Shape(check="kaggle-download", max_operands=1, allow=opts(
            "-c|--competition:word " + _KAGGLE_DL, abbrev=False)),
        "leaderboard": Shape(max_operands=1, allow=opts("-s|--show -v|--csv",
                                                        abbrev=False))}),
    "--version": ANY})

# MLflow: listings, and the tracking UI on the loopback (its default host) over a store in the
# tree. Never server (serves uploads), models serve/predict (run a model's code),
# artifacts download, --dev (Flask's debugger runs code), --gunicorn-opts/--waitress-opts/
# --uvicorn-opts/--app-name (options, plugins), a database URI (credentials) as the store
MLFLOW = Tool(allow=opts("--version", abbrev=False), sub={
    "runs": Tool(sub={
        "list": Shape(max_operands=0, allow=opts("--experiment-id:word -v|--view:word",
                                                 abbrev=False)),
        "describe": Shape(max_operands=0, allow=opts("--run-id:word", abbrev=False))}),
    "experiments": Tool(sub={
        "search": Shape(max_operands=0, allow=opts("-v|--view:word", abbrev=False)),
        "list": Shape(max_operands=0, allow=opts("-v|--view:word", abbrev=False))}),
    "ui": Shape(max_operands=0, allow=opts(
        "-h|--host:loopback -p|--port:num --backend-store-uri:mlstore "
        "--default-artifact-root:mlstore -w|--workers:num --static-prefix:any",
        abbrev=False)),
    "--version": ANY})

CATALOGUE.update({
    **dict.fromkeys(("xsv", "qsv"), _XSV),
    "csvjoin": _csv("-c|--columns:any --outer --left --right -y|--snifflimit:num"),
    "csvstack": _csv("-g|--groups:any -n|--group-name:any --filenames"),
    "csvformat": _csv("-D|--out-delimiter:any -T|--out-tabs -A|--out-asv "
                      "-Q|--out-quotechar:any -U|--out-quoting:num -B|--out-no-doublequote "
                      "-P|--out-escapechar:any -M|--out-lineterminator:any"),
    "dbt": DBT, "airflow": AIRFLOW, "kaggle": KAGGLE, "mlflow": MLFLOW,
    **dict.fromkeys(("great_expectations", "gx"), _GX),
    # GPU status: no option writes, runs or changes a device
    "gpustat": Shape(max_operands=0, allow=opts(
        "-c|--show-cmd -f|--show-full-cmd -u|--show-user -p|--show-pid "
        "-F|--show-fan-speed|--show-fan -e|--show-codec:?any -P|--show-power:?any "
        "-a|--show-all --id:any --no-processes --json -i|--interval|--watch:interval "
        "--no-header --color --no-color --force-color --gpuname-width:num -v|--version "
        "--debug")),
    # Ray: the cluster's state (never up/down/exec/submit/attach/rsync/kill-random-node/stop)
    "ray": Tool(sub={
        "status": Shape(max_operands=0, allow=opts("--address:any -v|--verbose",
                                                   abbrev=False)),
        "list": Shape(max_operands=1, allow=opts(
            "--address:any -f|--filter:any --limit:num --detail --format:word "
            "--timeout:num --exclude-driver", abbrev=False)),
        "summary": Shape(max_operands=1, allow=opts("--address:any --timeout:num",
                                                    abbrev=False)),
        "--version": ANY}),
    # TensorBoard on the loopback (its default) over event files of the tree (absl flags);
    # never --bind_all or another host, a gs:// or s3:// logdir, --logdir_spec
    "tensorboard": Shape(max_operands=0, allow=opts(
        "--logdir:intree --port:num --host:loopback --reload_interval:num --load_fast:word "
        "--samples_per_plugin:any --window_title:any --max_reload_threads:num "
        "--reload_multifile:word --version_tb --version --inspect --event_file:intree "
        "--tag:any", "go")),
    # a notebook of the tree run into a notebook of the tree (the site's code); never
    # --engine (a plugin), --stdout-file/--stderr-file elsewhere, -b/-y/-f (parameters in
    # base64, YAML or a file: their names are written into the notebook as code)
    "papermill": Shape(check="papermill", allow=opts(
        "-p|--parameters:pair -r|--parameters_raw:pair -k|--kernel:word --cwd:intree "
        "--log-output "
        "--no-log-output --progress-bar --no-progress-bar --request-save-on-cell-execute "
        "--no-request-save-on-cell-execute --prepare-only --execution-timeout:num "
        "--start-timeout|--start_timeout:num --report-mode --no-report-mode "
        "--language:word --autosave-cell-every:num", abbrev=False)),
})
_CONDA = CATALOGUE["conda"]
assert isinstance(_CONDA, Tool)
# accelerate's environment report (launch is a site program's launcher: site_program.py)
CATALOGUE["accelerate"] = Tool(sub={"env": Shape(max_operands=0, allow=opts(""))})
CATALOGUE["conda"] = replace(_CONDA, sub={
    **_CONDA.sub,
    # conda's shell function: an environment by name (its activate.d scripts run)
    "activate": Shape(check="conda-activate", max_operands=1, allow=opts("--stack --no-stack")),
    "deactivate": Shape(max_operands=0, allow=opts(""))})
_UV = CATALOGUE["uv"]
assert isinstance(_UV, Tool)
CATALOGUE["uv"] = replace(_UV, sub={**_UV.sub, "venv": Shape(
    check="uv-venv", max_operands=1, allow=opts(
        "-p|--python:word --seed --prompt:word --clear --allow-existing "
        "--system-site-packages --relocatable", abbrev=False))})
_DVC = CATALOGUE["dvc"]
assert isinstance(_DVC, Tool)
_DVC_PLOTS = _DVC.sub["plots"]
assert isinstance(_DVC_PLOTS, Tool)
# plots show renders the tree's plots into dvc_plots/ (never --open: a browser, -t: a
# template file)
CATALOGUE["dvc"] = replace(_DVC, sub={**_DVC.sub, "plots": replace(_DVC_PLOTS, sub={
    **_DVC_PLOTS.sub, "show": _dvc("-o|--out:wdir --json --no-html --html -x:any -y:any "
                                   "--title:any --x-label:any --y-label:any")})})


#: python -m MODULE for standard-library tools (judged as their own entries)
_PY_MODULE_SHAPES: dict[str, Shape] = {
    # a package built from the tree (its build backend, as pip install -e .) into dist/
    "build": Shape(check="in-tree", max_operands=1, allow=opts(
        "-s|--sdist -w|--wheel -o|--outdir:wdir -n|--no-isolation -x|--skip-dependency-check "
        "-v|--verbose")),
    # byte-compiles the tree's sources into __pycache__ (what an import writes); never -i
    # (a list of files from a file or stdin)
    "compileall": Shape(check="compileall", allow=opts(
        "-l -r:num -f -q -b -d:any -s:any -p:any -x:any -j:num -o:num "
        "--invalidation-mode:word -e:intree --hardlink-dupes")),
    # json.tool pretty-prints one file or stdin (a second operand is a file it writes)
    "json.tool": Shape(max_operands=1, allow=opts(
        "--sort-keys --no-ensure-ascii --json-lines --indent:num --tab --no-indent "
        "--compact")),
}

# --- operations tools (session 11: an SRE/DBA agent's unseen lines, issue 15) ---------------
#: a configuration the system owns (root writes /etc; ordinary writes never reach it): a
#: checker that follows files named inside its configuration (rule files, includes) and
#: quotes their lines in errors reads only what the site put there, never a config the
#: agent wrote in the tree naming /etc/shadow
_SYSTEM_CONFIG = re.compile(r"/etc(?:/[A-Za-z0-9_][A-Za-z0-9_.+-]*+)++")
_LOGROTATE_CONFIG = re.compile(r"/etc/logrotate\.(?:conf|d/[A-Za-z0-9_][A-Za-z0-9_.-]*+)")
#: a local borg repository (never ``ssh://`` or ``host:path``: an ssh hop), an archive
_BORG_REPO = re.compile(r"/[A-Za-z0-9_/.+-]*+(?:::[A-Za-z0-9_.:+-]++)?+")
_NFT_WORD = re.compile(r"[A-Za-z0-9_.-]++")
#: smartctl -l: the logs it reads (never scttempint/scterc/... which set the drive)
_SMART_LOGS = frozenset({"error", "xerror", "selftest", "xselftest", "selective", "directory",
                         "background", "scttemp", "scttempsts", "scttemphist", "devstat",
                         "defects", "ssd", "sasphy", "sataphy", "farm"})


def _check_system_config(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _SYSTEM_CONFIG.fullmatch(o) or "/." in o or _GLOB.search(o):
            return f"{o!r} is not a configuration under /etc"
    return None if ops else "no configuration named"


def _check_logrotate(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # -d: no log is rotated, no state written, no script run; the configurations are the
    # system's own (logrotate quotes an unknown line of a file it is given in its error)
    if not any(k == "-d" for k, _ in pairs):
        return "logrotate without -d rotates logs and runs their scripts"
    if not ops or any(not _LOGROTATE_CONFIG.fullmatch(o) for o in ops):
        return "logrotate -d of a file that is not the system's logrotate configuration"
    return None


def _check_required(flag: str, why: str) -> Check:
    """A check that an option which makes the command only look is given."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        return None if any(k == flag for k, _ in pairs) else why
    return check


def _check_borg(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 1 or not _BORG_REPO.fullmatch(ops[0]) or "/../" in ops[0] + "/":
        return "borg of a repository that is not one local path (BORG_REPO, ssh)"
    return None


def _check_nft_list(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # nft joins its words into one command line: ``list ruleset \; flush ruleset`` runs both
    if not ops or any(not _NFT_WORD.fullmatch(o) for o in ops):
        return "nft words other than plain names (nft reads ';' and braces as commands)"
    return None


def _check_smartctl(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for k, v in pairs:
        if k == "-l" and (v or "").split(",")[0] not in _SMART_LOGS:
            return f"smartctl -l {v!r} is not a log it only reads"
    if not ops and not any(k in ("--scan", "--scan-open") for k, _ in pairs):
        return "smartctl without a device"
    if any(not o.startswith("/dev/") or "/../" in o for o in ops):
        return "smartctl of a path that is not a device"
    return None


CHECKS.update({
    "system-config": _check_system_config, "logrotate": _check_logrotate,
    "borg": _check_borg, "nft-list": _check_nft_list, "smartctl": _check_smartctl,
    "pg-restore-list": _check_required("-l", "pg_restore without -l restores or prints data"),
    "ansible-graph": _check_required(
        "--graph", "ansible-inventory other than --graph prints host variables"),
})

_AMTOOL_GLOBAL = ("--alertmanager.url:loopurl --timeout:any -o|--output:word -v|--verbose "
                  "--date.format:any --version-check ")
_AMTOOL_QUERY = Shape(allow=opts(_AMTOOL_GLOBAL + "-a|--active -i|--inhibited -s|--silenced "
                                 "-u|--unprocessed -q|--quiet -e|--expired --within:any "
                                 "-r|--receiver:any", abbrev=False))
_BORG_READ = Shape(check="borg", secrets_ok=True, allow=opts(
    "--short --format:any --json --json-lines --last:num --first:num -P|--prefix:any "
    "-a|--glob-archives:any --sort-by:any --consider-checkpoints --info -v|--verbose "
    "--lock-wait:num", abbrev=False))
_PROMTOOL_CHECK = Shape(check="system-config", allow=opts(
    "--syntax-only --lint:word --lint-fatal --agent --extended --ignore-unknown-fields",
    abbrev=False))
CATALOGUE.update({
    # names and states of clusters (``pg_lsclusters 15 main``)
    "pg_lsclusters": Shape(max_operands=2, allow=opts("-h|--no-header -j|--json "
                                                      "-s|--start-conf")),
    # -l prints an archive's table of contents (names, never rows); never -f (writes), -d
    # (restores into a database), -L (a list file: restores)
    "pg_restore": Shape(check="pg-restore-list", secrets_ok=True, max_operands=1, allow=opts(
        "-l|--list -F|--format:word -v|--verbose -n|--schema:any -t|--table:any "
        "-I|--index:any -P|--function:any -T|--trigger:any -a|--data-only -s|--schema-only "
        "-x|--no-privileges|--no-acl -O|--no-owner")),
    # archives and their file names; never extract/mount/delete/prune, --remote-path, --rsh
    "borg": Tool(allow=opts(""), sub={"list": _BORG_READ, "info": _BORG_READ}),
    # SMART state of a device, never its data blocks; never -s/-o/-S/-t/-X/--set (change
    # or test the drive), -B (a drive database file), -F
    "smartctl": Shape(check="smartctl", secrets_ok=True, max_operands=1, allow=opts(
        "-H|--health -i|--info -a|--all -x|--xall -A|--attributes -c|--capabilities "
        "-l|--log:any -d|--device:any -j|--json:?any -q|--quietmode:word -n|--nocheck:any "
        "-T|--tolerance:word -b|--badsum:word -r|--report:any --scan --scan-open "
        "-g|--get:any -f|--format:word")),
    # listing the ruleset; never -f (loads a file), -i (commands from stdin), -I, another verb
    "nft": Tool(allow=opts("-a|--handle -n|--numeric -s|--stateless -j|--json "
                           "-y|--numeric-priority -t|--terse -N|--reversedns -S|--service "
                           "-u|--guid -p|--numeric-protocol -T|--numeric-time"),
                # the listing options also after the words (``nft list ruleset -a``)
                sub={"list": Shape(check="nft-list", allow=opts(
                    "-a|--handle -n|--numeric -s|--stateless -j|--json -y|--numeric-priority "
                    "-t|--terse -N|--reversedns -S|--service -u|--guid "
                    "-p|--numeric-protocol -T|--numeric-time"))}),
    "logrotate": Shape(check="logrotate", allow=opts("-d|--debug -v|--verbose -f|--force")),
    # configuration and rule checks of the system's own files; never push, tsdb, debug (they
    # write), test rules of tree files (the agent's rule files name any file)
    "promtool": Tool(allow=opts(""), sub={"check": Tool(allow=opts(""), sub={
        "config": _PROMTOOL_CHECK, "rules": _PROMTOOL_CHECK,
        "web-config": Shape(check="system-config", allow=opts(""))})}),
    # alerts and silences of an Alertmanager at a plain URL; never silence add/expire/import,
    # --http.config.file (credentials), config (receivers' settings)
    "amtool": Tool(allow=opts(_AMTOOL_GLOBAL, abbrev=False), sub={
        "alert": Tool(allow=opts(_AMTOOL_GLOBAL, abbrev=False), sub={"query": _AMTOOL_QUERY},
                      bare=_AMTOOL_QUERY),
        "silence": Tool(allow=opts(_AMTOOL_GLOBAL, abbrev=False), sub={"query": _AMTOOL_QUERY},
                        bare=_AMTOOL_QUERY)}),
    # the agent's own state; never -f/--file (writes), -c/--cfgpath, flare (uploads),
    # configcheck/config (resolved check settings with their passwords), run/jmx
    "datadog-agent": Tool(allow=opts(""), sub={
        "status": Shape(max_operands=0, allow=opts("-v|--verbose -j|--json -p|--pretty-json")),
        "health": Shape(max_operands=0, allow=opts("")),
        "version": Shape(max_operands=0, allow=opts(""))}),
    "grafana-cli": Tool(allow=opts(""), sub={"plugins": Tool(allow=opts(""), sub={
        n: Shape(max_operands=0, allow=opts("")) for n in ("ls", "list-remote")})}),
    # the group tree of the tree's inventory (inventory scripts run, as for ansible-playbook
    # --check); never --list/--host/--vars (host variables, vault values), --output
    "ansible-inventory": Shape(check="ansible-graph", max_operands=1, allow=opts(
        "-i|--inventory:intree --graph -v|--verbose -l|--limit:any")),
})

# database dumps into the working tree or scratch (a dump onto an existing backup's name
# destroys it: the write kinds keep them out of /var/backups and any other place); never a
# dump of the credential tables (mysql's own database, MongoDB's admin), a file of filters,
# a query that runs JavaScript on the server (mongodump --query), the server writing files
# (mysqldump --tab), options or plugins from a file (--defaults-file, --plugin-dir)
_PG_DUMP = opts(
    "-h|--host:host -p|--port:num -U|--username:word -d|--dbname:word -w|--no-password "
    "--role:word -f|--file:write -F|--format:word -Z|--compress:any -j|--jobs:num "
    "-a|--data-only -s|--schema-only -n|--schema:any -N|--exclude-schema:any -t|--table:any "
    "-T|--exclude-table:any --exclude-table-data:any -c|--clean -C|--create -O|--no-owner "
    "-x|--no-privileges|--no-acl --if-exists --inserts --column-inserts --no-comments "
    "--no-publications --no-subscriptions --no-tablespaces --no-unlogged-table-data "
    "--quote-all-identifiers --lock-wait-timeout:any --serializable-deferrable "
    "--snapshot:word --no-sync -v|--verbose -E|--encoding:word --section:word "
    "--load-via-partition-root --on-conflict-do-nothing --rows-per-insert:num "
    "--disable-triggers --strict-names --no-security-labels -b|--large-objects|--blobs "
    "-B|--no-large-objects|--no-blobs")
_MYSQLDUMP = opts(
    "-u|--user:any -h|--host:host -P|--port:num -S|--socket:any --protocol:word "
    "--ssl-mode:word -p|--password:??any --single-transaction -R|--routines --triggers "
    "--skip-triggers -E|--events -d|--no-data -t|--no-create-info -B|--databases --tables "
    "-w|--where:sqlwhere -q|--quick -l|--lock-tables --skip-lock-tables --add-drop-table "
    "--skip-add-drop-table --add-drop-database --set-gtid-purged:word --hex-blob --compact "
    "--skip-comments --extended-insert --skip-extended-insert -c|--complete-insert "
    "--default-character-set:word --ignore-table:any --max-allowed-packet:any "
    "--column-statistics:?any --no-tablespaces --order-by-primary --insert-ignore --opt "
    "--skip-opt -v|--verbose -r|--result-file:write --no-create-db -n")
_MONGODUMP = opts(
    "-d|--db:word -c|--collection:word -o|--out:wdir --archive:?write --gzip --host:host "
    "--port:num --readPreference:word -j|--numParallelCollections:num "
    "--authenticationDatabase:word --excludeCollection:word -v|--verbose --quiet",
    abbrev=False)
_CREDENTIAL_DBS = frozenset({"mysql", "admin", "local", "config"})


def _check_mysqldump(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return "mysqldump of no named database"
    if ops[0].lower() in _CREDENTIAL_DBS or any(
            o.lower() in _CREDENTIAL_DBS for o in ops if any(k == "-B" for k, _ in pairs or ())):
        return "mysqldump of mysql's own database (account tables and password hashes)"
    # (red team s16) named tables of accounts, tokens or sessions (cred_lexicon)
    if not any(k in ("-d", "--no-data") for k, _ in pairs or ()) and not any(
            k in ("-B", "--databases") for k, _ in pairs or ()):
        bad = [t for t in ops[1:] if credential_table(t)]
        if bad:
            return f"dumps the rows of {bad[0]!r}, which hold credentials"
    return None


def _check_mongodump(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    dbs = _option_values(pairs, "-d")
    if not dbs or any(d.lower() in _CREDENTIAL_DBS for d in dbs):
        return "mongodump of every database or of admin (users and their password hashes)"
    return None


def _check_pg_dump(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    why = CHECKS["plain-operands"](c, rest, ops, pairs)
    if why:
        return why
    # (red team s16) the rows of a table of accounts, tokens or sessions (cred_lexicon), as
    # SELECT * of it; a schema-only dump prints none
    if any(k in ("-s", "--schema-only") for k, _ in pairs or ()):
        return None
    bad = [t for t in _option_values(pairs, "-t", "--table") if credential_table(t)]
    return f"dumps the rows of {bad[0]!r}, which hold credentials" if bad else None


CHECKS.update({"mysqldump": _check_mysqldump, "mongodump": _check_mongodump,
               "pg-dump": _check_pg_dump})
CATALOGUE.update({
    "pg_dump": Shape(max_operands=1, check="pg-dump", allow=_PG_DUMP),
    # --tab is a real option (the server writes files) and a prefix of --tables
    **dict.fromkeys(("mysqldump", "mariadb-dump"), Shape(check="mysqldump", allow=_MYSQLDUMP,
                                                         deny=("--tab",))),
    "mongodump": Shape(max_operands=0, check="mongodump", allow=_MONGODUMP),
})

# HAProxy's runtime API through socat: the commands are the text a literal ``echo`` pipes
# in (classify.py gives it to the check as the command's here-document); socat relays to any
# address (``EXEC:sh``, docker's socket, a TCP listener), so its two addresses are fixed:
# stdio and an admin socket in HAProxy's own run directory (root's: no ordinary write
# reaches /run or /var/lib to plant a link there)
STDIN_TEXT = frozenset({"socat"})
_HAPROXY_SOCKET = re.compile(r"(?i:unix-connect:|unix-client:|unix:)?+"
                             r"(?:(?:/var)?+/run/haproxy/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.sock|"
                             r"/var/run/haproxy\.sock|/var/lib/haproxy/stats)")
#: read-only runtime commands (never ``show env``: HAProxy's environment; never set, add,
#: del, enable, disable, shutdown, clear, commit, ``prompt`` or ``expert-mode``)
_HAPROXY_SHOW = frozenset({
    "info", "stat", "servers", "backend", "pools", "sess", "errors", "table", "resolvers",
    "activity", "threads", "tasks", "version", "schema", "map", "acl", "ssl", "startup-logs",
    "profiling", "peers", "cache", "quic", "events"})
_HAPROXY_ARG = re.compile(r"[A-Za-z0-9_./#:-]++")


def _check_socat(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    stdio = [o for o in ops if o.lower() in ("stdio", "-", "stdin")]
    sockets = [o for o in ops if _HAPROXY_SOCKET.fullmatch(o)]
    if len(ops) != 2 or len(stdio) != 1 or len(sockets) != 1 or "/../" in sockets[0]:
        return "socat between other addresses than stdio and HAProxy's admin socket"
    if c.heredoc is None or c.pipe_from:
        return "HAProxy commands from the agent's stdin or a computed stage"
    for cmd in re.split(r"[;\n]", c.heredoc):
        words = cmd.split()
        if not words:
            continue
        if words == ["help"] or (words[0] == "show" and len(words) > 1 and
                                 words[1] in _HAPROXY_SHOW and
                                 all(_HAPROXY_ARG.fullmatch(w) for w in words[2:])):
            continue
        return f"HAProxy command {cmd.strip()!r} is not a listed read"
    return None


CHECKS["socat"] = _check_socat
CATALOGUE["socat"] = Shape(check="socat", allow=opts("-t:num -T:num -d -v -u -U"))

# host inspection that an unseen corpus reaches for next (session 11): storage, NICs,
# connection tracking, boot timing, sessions, sensors; each the tool's report modes only
_LVM_REPORT = Shape(secrets_ok=True, allow=opts(
    "-a|--all -o|--options:any -O|--sort:any -S|--select:any --units:word --noheadings "
    "--nosuffix --separator:any --aligned --binary --nameprefixes --rows --unbuffered "
    "--unquoted --reportformat:word -v|--verbose -q|--quiet -P|--partial --readonly "
    "--segments -H|--history --foreign --shared"))
_BTRFS_UNITS = ("--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -b -h -H "
                "-k -m -g -t ")
_BTRFS_FS = Tool(allow=opts(""), sub={
    "df": Shape(secrets_ok=True, max_operands=1, allow=opts(_BTRFS_UNITS)),
    "show": Shape(secrets_ok=True, max_operands=1, allow=opts(
        _BTRFS_UNITS + "-d|--all-devices -m|--mounted")),
    "usage": Shape(secrets_ok=True, max_operands=1, allow=opts(_BTRFS_UNITS + "-T"))})
_BTRFS_DEV = Tool(allow=opts(""), sub={"stats": Shape(secrets_ok=True, max_operands=1,
                                                      allow=opts("-c|--check -T"))})
_BTRFS_SUB = Tool(allow=opts(""), sub={"list": Shape(secrets_ok=True, max_operands=1, allow=opts(
    "-p -a -c -g -o -u -q -R -t -s -d --sort:any -G:any -C:any"))})
_ZPOOL_STATUS = Shape(allow=opts("-x -v -p -L -P -D -t -g -s -i -e -T:word"))
_ZFS_LIST = Shape(allow=opts("-r -H -p -t:any -o:any -s:any -S:any -d:num"))
_NODETOOL = Shape(check="plain-operands", allow=opts("-h|--host:host -p|--port:num"))
_PLAIN_OPERAND = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@-]*+")
CHECKS["plain-operands"] = lambda c, rest, ops, pairs: next(
    (f"{o!r} is not a plain name" for o in ops if not _PLAIN_OPERAND.fullmatch(o)), None)
CATALOGUE.update({
    # LVM reports; never --config/--profile/--commandprofile (settings), --devicesfile,
    # a command that changes a volume (lvcreate, lvremove... are other programs)
    **dict.fromkeys(("lvs", "vgs", "pvs"), _LVM_REPORT),
    # md arrays: --detail, --examine, --query only (every other mode assembles, grows,
    # fails, stops or writes a superblock)
    "mdadm": Shape(check="mdadm-read", secrets_ok=True, allow=opts(
        "-D|--detail -E|--examine -Q|--query --detail-platform -s|--scan -b|--brief "
        "-v|--verbose -Y|--export")),
    # ZFS reports; never zpool status/iostat -c (runs scripts from zpool.d or ~/.zpool.d)
    "zpool": Tool(allow=opts(""), sub={
        "status": _ZPOOL_STATUS,
        "list": Shape(allow=opts("-H -p -P -v -L -g -o:any -T:word")),
        "iostat": Shape(allow=opts("-v -y -H -p -l -q -r -w -L -P -g -n -T:word")),
        "get": Shape(allow=opts("-H -p -o:any")), "version": Shape(max_operands=0),
        # the pool's command log and event queue; never events -c (clears the events)
        "history": Shape(check="site-specs", allow=opts("-i -l")),
        "events": Shape(check="site-specs", allow=opts("-v -H -f"))}),
    "zfs": Tool(allow=opts(""), sub={
        "list": _ZFS_LIST,
        "get": Shape(allow=opts("-r -H -p -o:any -s:any -t:any -d:num")),
        # a snapshot before a change (nothing is lost); never -o (properties)
        "snapshot": Shape(check="site-snapshot", allow=opts("-r"))}),
    # btrfs takes unique prefixes of its command words (``btrfs fi df``): the usual two
    # spellings are listed; never device stats -z (resets), balance/scrub start, property set
    "btrfs": Tool(allow=opts(""), sub={"filesystem": _BTRFS_FS, "fi": _BTRFS_FS,
                                       "device": _BTRFS_DEV, "dev": _BTRFS_DEV,
                                       "subvolume": _BTRFS_SUB, "sub": _BTRFS_SUB}),
    # a NIC's settings and counters; never the setting modes (-s, -K, -A, -G, -C, -L, -E
    # writes the EEPROM, -f flashes firmware, -r, -p, -W, -U, -N, --reset) or extra words
    "ethtool": Shape(max_operands=1, allow=opts(
        "-i|--driver -S|--statistics -k|--show-features|--show-offload -a|--show-pause "
        "-g|--show-ring -c|--show-coalesce -l|--show-channels -T|--show-time-stamping "
        "-P|--show-permaddr --show-eee --show-fec -m|--dump-module-eeprom|--module-info "
        "--json -I|--include-statistics --show-priv-flags --phy-statistics", abbrev=False)),
    # the connection table and its counters; never -D/-F/-U/-I/-E, -z (zeroes counters)
    "conntrack": Shape(check="conntrack-read", allow=opts(
        "-S|--stats -C|--count -L|--dump -p|--proto:word -s|--src|--orig-src:any "
        "-d|--dst|--orig-dst:any -r|--reply-src:any -q|--reply-dst:any "
        "--sport|--orig-port-src:num --dport|--orig-port-dst:num -o|--output:any "
        "-f|--family:word -m|--mark:any -n|--src-nat -g|--dst-nat --state:word "
        "-w|--zone:num")),
    # boot timing and unit exposure; never verify/cat-config/dump (load or print units'
    # settings, environments included), -H/-M (another host or machine), log-level/
    # log-target/service-watchdogs with a value (set them), condition (tests any path)
    "systemd-analyze": Tool(allow=opts("--no-pager"), bare=Shape(max_operands=0), sub={
        **dict.fromkeys(("blame", "time", "plot", "unit-paths"),
                        Shape(max_operands=0, allow=opts("--no-pager"))),
        "critical-chain": Shape(check="units", allow=opts("--no-pager --fuzz:any")),
        "security": Shape(check="units", allow=opts("--no-pager")),
        # they parse their operands as time specifications and print them back (session 12)
        **dict.fromkeys(("calendar", "timespan", "timestamp"), Shape(allow=opts(
            "--no-pager --iterations:num --base-time:any"), dynamic_ok=False))}),
    # sessions and users: properties and status (session 12: show-*/ *-status), never
    # terminate/kill/lock/enable-linger/attach, -H/-M
    "loginctl": Tool(allow=opts("--no-pager --no-legend"), bare=Shape(max_operands=0), sub={
        **{n: Shape(max_operands=0, allow=opts("--no-pager --no-legend"))
           for n in ("list-sessions", "list-users", "list-seats")},
        **{n: Shape(allow=opts("--no-pager --no-legend -p|--property:word --value "
                               "-a|--all -l|--full -n|--lines:num -o|--output:word"))
           for n in ("show-session", "show-user", "show-seat", "session-status",
                     "user-status", "seat-status")}}),
    "ntpstat": Shape(max_operands=0, allow=opts("")),
    "lsb_release": Shape(max_operands=0, allow=opts(
        "-a|--all -d|--description -r|--release -c|--codename -i|--id -s|--short "
        "-v|--version")),
    # never -c (a configuration file), -s (sets limits)
    "sensors": Shape(max_operands=1, allow=opts("-u -f|--fahrenheit -A|--no-adapter -j")),
    # never -s/-d/-f (set, delete, read a file of entries)
    "arp": Shape(max_operands=1, allow=opts("-a -n|--numeric -v|--verbose -e "
                                            "-i|--device:word -H|--hw-type:word")),
    "slabtop": Shape(max_operands=0, allow=opts("-o|--once -s|--sort:any -d|--delay:num")),
    "nstat": Shape(allow=opts("-a|--ignore -z|--zeros -s|--no-update -j|--json -p|--pretty")),
    # cluster status without credentials on the line or another address that would be sent
    # the environment's token (vault -address, consul -http-addr)
    # vault: the server's seal state and version; the names of mounts, auth methods and
    # policies (session 12); never -address (the token to another server), read/kv/token
    "vault": Tool(allow=opts("", "go"), sub={
        "status": Shape(max_operands=0, allow=opts("-format:word", "go")),
        "version": Shape(max_operands=0, allow=opts("", "go")),
        **{n: Tool(allow=opts("", "go"), sub={"list": Shape(max_operands=0, allow=opts(
            "-format:word -detailed", "go"))}) for n in ("secrets", "auth", "policy")}}),
    # (consul: tools/data.py, with the catalog and raft peers)
    "nodetool": Tool(allow=opts("-h|--host:host -p|--port:num"), sub={
        n: _NODETOOL for n in ("status", "info", "tpstats", "ring", "describecluster",
                               "compactionstats", "netstats", "gossipinfo", "version",
                               "tablestats", "cfstats", "proxyhistograms")}),
    # (rabbitmqctl: tools/data.py, never environment, eval, or a change verb)
    # host keys of servers (never -f: it reads a file of hosts and quotes its lines)
    "ssh-keyscan": Shape(check="plain-operands", allow=opts("-t:any -p:num -T:num -H -4 -6 "
                                                            "-c -D -v")),
    # resolver state and look-ups; dns/domain with a value set them
    "resolvectl": Tool(allow=opts("--no-pager --legend:word"), sub={
        "status": Shape(max_operands=1, allow=opts("--no-pager")),
        "query": Shape(check="plain-operands", allow=opts(
            "-t|--type:word -c|--class:word -4 -6 -i|--interface:word -p|--protocol:word "
            "--cache:word --search:word --legend:word --no-pager")),
        "statistics": Shape(max_operands=0, allow=opts("--no-pager")),
        **dict.fromkeys(("dns", "domain"), Shape(max_operands=1, allow=opts("--no-pager")))}),
    # queueing disciplines shown; never -b (a batch file), -n (another namespace), add/del
    "tc": Tool(allow=opts("-s -d -j -p"), sub={
        n: Tool(allow=opts(""), sub={"show": Shape(check="plain-operands", allow=opts(""))})
        for n in ("qdisc", "class", "filter")}),
    "lsns": Shape(max_operands=1, allow=opts(
        "-t|--type:word -p|--task:num -o|--output:any -l|--list -n|--noheadings -r|--raw "
        "-u|--notruncate -J|--json -W|--nowrap")),
    # never -M (a modprobe program), -f (writes a file)
    "iptables-save": Shape(max_operands=0, allow=opts("-c|--counters -t|--table:word")),
    # who holds a file or port; never -k/-i/-SIGNAL (kill)
    "fuser": Shape(secrets_ok=True, allow=opts(
        "-v|--verbose -n|--namespace:word -a|--all -u|--user -m|--mount -s|--silent "
        "-4|--ipv4 -6|--ipv6")),
    # containers and images on a node; never inspect/inspectp/info (environments, registry
    # settings), exec/attach, -o for containers and pods (annotations carry the last applied
    # object, env included), another runtime endpoint or config
    "crictl": Tool(allow=opts(""), sub={
        "ps": Shape(allow=opts("-a|--all -q|--quiet --name:any --state:word -p|--pod:any "
                               "--label:any --no-trunc -l|--latest -n|--last:num")),
        "pods": Shape(allow=opts("--name:any --namespace:any --state:word --label:any "
                                 "-q|--quiet --no-trunc -l|--latest -n|--last:num")),
        "images": Shape(allow=opts("-a|--all -q|--quiet --digests --no-trunc")),
        "logs": Shape(max_operands=1, allow=opts("-f|--follow --tail:num --since:any "
                                                 "-t|--timestamps -p|--previous")),
        "stats": Shape(allow=opts("-a|--all --id:any --label:any -p|--pod:any "
                                  "-o|--output:word -s|--seconds:num")),
        "version": Shape(max_operands=0, allow=opts(""))}),
    # installed collections and roles (metadata files only); never install/init/build
    "ansible-galaxy": Tool(allow=opts(""), sub={
        n: Tool(allow=opts(""), sub={"list": Shape(max_operands=1, allow=opts(
            "-p|--collections-path|--roles-path:intree --format:word"))})
        for n in ("collection", "role")}),
})


def _check_mdadm_read(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not any(k in ("-D", "-E", "-Q", "--detail-platform") for k, _ in pairs):
        return "mdadm in a mode other than --detail/--examine/--query"
    if any(not o.startswith("/dev/") or "/../" in o for o in ops):
        return "mdadm of a path that is not a device"
    return None


CHECKS.update({
    "mdadm-read": _check_mdadm_read,
    "conntrack-read": lambda c, rest, ops, pairs: None if any(
        k in ("-S", "-C", "-L") for k, _ in pairs) and not ops else
    "conntrack in a mode that changes the table",
})

# --- matching ----------------------------------------------------------------------------------
#: argv[0] spelt with a directory matches only from a system bin directory or a repository
#: wrapper script: ``./ls`` written by the agent is not ``ls``.
_BIN_DIRS = BIN_DIRS
_VENV_BIN = VENV_BIN
#: environment a command may be given on its own line: nothing that changes what runs.
_SAFE_ENV = re.compile(r"^(LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|COLUMNS|LINES|NO_COLOR|FORCE_COLOR|"
                       r"CI|DEBUG|VERBOSE|LOG_LEVEL|RAILS_ENV|RACK_ENV|NODE_ENV|APP_ENV|MIX_ENV|"
                       r"FLASK_ENV|ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT|GIN_MODE|"
                       r"SPRING_PROFILES_ACTIVE|GOOS|GOARCH|CGO_ENABLED|RUST_LOG|RUST_BACKTRACE|"
                       r"PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE|"
                       # devices, threads and offline switches of data and ML work
                       r"CUDA_VISIBLE_DEVICES|CUDA_DEVICE_ORDER|OMP_NUM_THREADS|"
                       r"MKL_NUM_THREADS|OPENBLAS_NUM_THREADS|NUMEXPR_NUM_THREADS|"
                       r"TOKENIZERS_PARALLELISM|HF_HUB_OFFLINE|HF_DATASETS_OFFLINE|"
                       r"TRANSFORMERS_OFFLINE|WANDB_MODE|WANDB_SILENT|MPLBACKEND|GOMAXPROCS|"
                       r"GO111MODULE|BABEL_ENV|ENVIRONMENT|STAGE|PORT|LOG_FORMAT|"
                       r"DJANGO_SETTINGS_MODULE|NODE_NO_WARNINGS|DOCKER_BUILDKIT|"
                       r"BUILDKIT_PROGRESS|COMPOSE_PROJECT_NAME|PIP_DISABLE_PIP_VERSION_CHECK|"
                       r"PYTEST_TIMEOUT|JOBS|"
                       # etcdctl's API version (v3 is the only one with the listed verbs)
                       r"ETCDCTL_API)=")
#: (session 15) a pinned name set to its pinned value changes nothing; an editor that exits
#: at once (``GIT_EDITOR=true git rebase --continue``) takes the message as it stands
_PINNED_VALUES: dict[str, frozenset[str]] = {
    n: frozenset({v, "true", ":"} if v == "false" else {v}) for n, v in PINNED_ENV}
#: (session 15) names a tool reads as a setting whose every listed value is harmless: the
#: database it connects to inside the site (never a host outside it: libpq sends the
#: password file's password there), how a package manager asks its questions
_VALUED_ENV: dict[str, re.Pattern[str]] = {
    "PGHOST": _LAN_HOST, "PGPORT": re.compile(r"[0-9]{1,5}"),
    **dict.fromkeys(("PGDATABASE", "PGUSER", "PGAPPNAME"),
                    re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")),
    "PGCONNECT_TIMEOUT": re.compile(r"[0-9]{1,4}"),
    "PGSSLMODE": re.compile(r"disable|allow|prefer|require|verify-ca|verify-full"),
    "NEEDRESTART_MODE": re.compile(r"[alih]"), "NEEDRESTART_SUSPEND": re.compile(r"1|y|yes"),
    "JULIA_NUM_THREADS": re.compile(r"[0-9]{1,3}|auto"),
}
#: PATH with the login's own program directories before or after it: directories no
#: ordinary command writes (~/.local/bin, ~/bin; ~/.cargo/bin, a dot-directory; ~/go/bin
#: only `go install` fills, held as an install) or the system's own
_USER_BIN = (r"(?:(?:\$HOME|\$\{HOME\}|~)/(?:\.local/bin|bin|go/bin|\.cargo/bin|\.npm-global/bin)"
             r"|/usr/local/go/bin|/usr/local/bin|/usr/local/sbin|/snap/bin)")
_PATH_PREPEND = re.compile(rf"PATH=(?:{_USER_BIN}:)++\$(?:PATH|\{{PATH\}})"
                           rf"|PATH=\$(?:PATH|\{{PATH\}})(?::{_USER_BIN})++")
#: a search path for Python modules inside the working tree (``PYTHONPATH=. pytest``,
#: ``PYTHONPATH=src``): the tree's code, which its test runner imports anyway (flow.py
#: holds a runner whose tree the session wrote); never a path out of it or computed
_PYTHONPATH_IN_TREE = re.compile(r"PYTHONPATH=(?:\.|[A-Za-z0-9_][A-Za-z0-9_./-]*+)"
                                 r"(?::(?:\.|[A-Za-z0-9_][A-Za-z0-9_./-]*+))*+")
#: shell variables that change what later commands do (and the ones the gateway pins).
#: (a family's suffix is any name: ``TF_CLI_ARGS_plan``, ``AWS_ENDPOINT_URL_S3``; the cloud,
#: terraform, JVM build and redis-cli families redirect endpoints, load agents or credentials)
_SPECIAL_VAR = re.compile(r"^(" + "|".join(n for n, _ in PINNED_ENV) + "|"
                          r"PATH|LD_\w+|BASH_ENV|ENV|IFS|PS[0-4]|PROMPT_COMMAND|"
                          r"SHELLOPTS|BASHOPTS|CDPATH|GLOBIGNORE|HOME|GIT_\w+|"
                          r"PYTHON\w*|PERL5\w*|RUBYOPT|NODE_OPTIONS|TF_\w+|"
                          r"PAGER|EDITOR|VISUAL|LESS\w*|MANPAGER|SSH_\w+|"
                          r"KUBECONFIG|DOCKER_HOST|AWS_\w+|[A-Za-z_]*PROXY|http_proxy|"
                          r"https_proxy|MAKEFLAGS|SUDO_\w+|HIST\w*|CLOUDSDK_\w+|GOOGLE_\w+|"
                          r"AZURE_\w+|ARM_\w+|DIGITALOCEAN_\w+|REDISCLI_\w+|MAVEN_\w+|"
                          r"GRADLE_\w+|ORG_GRADLE_\w+|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|"
                          r"JDK_JAVA_OPTIONS|JAVA_OPTS|TERRAGRUNT_\w+|TG_\w+|"
                          # where the searchers and git read options, code and config
                          r"RIPGREP_CONFIG_PATH|GREP_OPTIONS|AWKPATH|AWKLIBPATH|"
                          r"XDG_CONFIG_HOME|XDG_CONFIG_DIRS|"
                          # bash's own variables that an interactive shell acts on with no
                          # command (HOSTFILE: hostname completion prints any file's lines;
                          # FUNCNEST caps the gate's own functions; MAILPATH's message runs
                          # $(...); INPUTRC rebinds keys; TMOUT, EXECIGNORE, BASH_COMPAT...)
                          r"BASH_\w+|HOSTFILE|INPUTRC|MAIL|MAILCHECK|MAILPATH|EXECIGNORE|"
                          r"FIGNORE|FUNCNEST|TMOUT|TMPDIR|COMP_WORDBREAKS|COMPREPLY|histchars|"
                          r"TIMEFORMAT|auto_resume|IGNOREEOF|PROMPT_DIRTRIM|POSIXLY_CORRECT|"
                          r"FCEDIT|EMACS|INSIDE_EMACS|READLINE_\w+|GLOBSORT|OLDPWD|DIRSTACK)"
                          r"(\+?=|$)")


#: checks that read their words as text (patterns, scripts, SQL), never as file names
_LITERAL_CHECKS = frozenset({"find", "sed", "awk", "sql", "sqlite", "redis", "iptables",
                             "duckdb", "clickhouse", "cql",
                             "python", "supervisor",
                             # rules.build_artifacts_only reads every glob itself
                             "artifacts"})
#: checks whose operands all play one part (tar's members): a glob whose first character is
#: literal and no dash (``/var/log/nginx/*.log``, ``logs/*.gz``) expands only to names with
#: that start, never to an option (``*`` alone could: ``--checkpoint-action=...``), and more
#: of them are more members; the check still judges the pattern (secretish)
_MEMBER_GLOBS = frozenset({"tar"})
_GLOB_LEAD = ("", "-", "*", "?", "[", "{", "\\")
#: a URL whose host (and port) come before any glob character: bash can only expand it to
#: names that start with ``host[:port]/``, more URLs of the same host (``?pretty``, ``?v``)
_URL_HEAD = re.compile(r"\A(?:https?://)?+[A-Za-z0-9.-]++(?::\d++)?+/")


#: the characters literal_words replaces in a word bash expands none of
_LITERAL_VALUE = re.compile(r"[$*?\[{]")


#: git subcommands whose patterns match ref names or list file names, never read a file's
#: content (git tag -l 'v1.*', git ls-files '*.py'); and finders that print names
_GIT_NAME_PATTERNS = frozenset({"tag", "branch", "for-each-ref", "show-ref", "ls-remote",
                                "ls-files"})
_NAME_FINDERS = frozenset({"fd", "fdfind", "locate", "plocate"})


def _git_subcommand(args: tuple[str, ...]) -> str:
    """git's subcommand: the first word that is not a global option or its value."""
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a in ("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"):
            skip = True
        elif not a.startswith("-"):
            return a
    return ""


def _expands(c: SimpleCommand, i: int) -> bool:
    """Word ``i`` of ``c`` may become other words: bash globs it, or the tool matches the
    pattern itself (rules.TOOL_GLOBS); a quoted ``'name=api*'`` reaches the tool as written."""
    if i >= len(c.argv):
        return True
    if c.name in _NAME_FINDERS or (
            c.name == "git" and _git_subcommand(c.args) in _GIT_NAME_PATTERNS):
        return c.globs(i)
    return c.name in TOOL_GLOBS or c.globs(i)


def _inert_glob(shape: Shape, a: str, rest: tuple[str, ...]) -> bool:
    """A glob word that cannot become an option or another kind of operand for ``shape``."""
    check = shape.check
    if check in _MEMBER_GLOBS:
        return a[:1] not in _GLOB_LEAD
    if check == "units":
        # brace words of unit names (``app@{1..4}``): _check_units judges every name
        return a[:1] not in _GLOB_LEAD and _WILDCARD.search(a) is None and _brace_at(a) > 0
    if check == "wget":
        # without -O wget names the file it saves after the URL, which the glob may change
        p = parse_opts(shape.allow, rest) if shape.allow is not None else "no options"
        if isinstance(p, str) or not _option_values(p.pairs, "-O"):
            return False
        check = "curl"
    if check == "jq":
        # (session 17) documents after the filter (``yq '.spec' apps/*/deploy.yaml``): a
        # name the glob lists is one more document, read as any file operand is (the
        # secret check); never in the filter's place, where a name would be code
        p = parse_opts(shape.allow, rest) if shape.allow is not None else "no options"
        if isinstance(p, str) or a[:1] in _GLOB_LEAD:
            return False
        docs = [o for o in p.ops if o not in ("e", "eval", "ea", "eval-all")]
        return a in docs and docs.index(a) > 0
    if check in ("curl", "load"):  # load: a load generator's URL (tools/observe.py)
        m = _WILDCARD.search(a)
        brace = _brace_at(a)
        at = min(x for x in (m.start() if m else -1, brace) if x >= 0) if (m or brace >= 0) \
            else -1
        return at > 0 and _URL_HEAD.match(a[:at]) is not None
    return False


#: checks whose operands are files of the tree a linter or test runner reads: a glob of
#: tree names (``_tree_glob``) is as ordinary there as the names it expands to
_TREE_GLOB_CHECKS = frozenset({"in-tree", "gofmt", "cc"})


@functools.lru_cache(maxsize=8192)
def _word_hits(rule: str, a: str, values: tuple[str, ...] = ()) -> bool:
    """Does the option word ``a`` match the deny spelling ``rule``? GNU getopt_long takes any
    unambiguous prefix of a long option (``--in-pl`` is ``--in-place``), and short options
    cluster (``-ni.bak`` is ``-n -i.bak``) until one that takes a value."""
    name = a.split("=", 1)[0]
    if rule.endswith("!"):
        return a == rule[:-1]  # exact only (ip: -b is -batch, -br is -brief)
    if rule.endswith("*"):
        return a.startswith(rule[:-1]) or (rule.startswith("--") and len(name) > 2 and
                                           rule[:-1].startswith(name))
    if rule.startswith("--"):
        # an option the tool takes, spelt in full, is not an abbreviation of another
        return name == rule or (name.startswith("--") and len(name) > 2 and
                                rule.startswith(name) and name not in values)
    if len(rule) > 2 and rule.startswith("-"):
        return name == rule
    if rule.startswith("-") and len(rule) == 2:
        if a == rule or (a.startswith(rule) and not a.startswith("--")):
            return True  # -i, -i.bak, -ofile
        if not a.startswith("-") or a.startswith("--"):
            return False
        for ch in a[1:]:
            if ch == rule[1]:
                return True
            if not ch.isalnum() or f"-{ch}" in values:
                return False
        return False
    return a == rule  # a bare word (git remote add)


#: an extended glob (bash's extglob, which interactive shells often switch on; and the
#: pattern syntax of tools that glob for themselves: ``@(.ssh|x)/!(y)``)
_EXTGLOB = re.compile(r"[@!+*?]\(")


def _glob_word(a: str) -> bool:
    """An unquoted glob could expand to file names that read as options (``--checkpoint-
    action=...``); inside ``--opt=VALUE`` the expansion stays that option's value."""
    if _EXTGLOB.search(a):
        return True
    m = _WILDCARD.search(a)
    at = m.start() if m else -1
    brace = _brace_at(a)
    if brace >= 0:
        at = brace if at < 0 else min(at, brace)
    return at >= 0 and not (a.startswith("--") and 0 < a.find("=") < at)


def _brace_at(a: str) -> int:
    """Where a brace expansion may start in ``a``, or -1: a ``{`` with a ``,`` after it, or a
    ``{...}`` holding ``..``. A brace with neither is literal (git's ``stash@{0}``, ``@{u}``).
    Linear: each ``}`` closes at most one segment."""
    first = a.find("{")
    if first < 0 or "}" not in a:
        return -1
    if "," in a[first:]:
        return first
    i = first
    while i >= 0:
        j = a.find("}", i + 1)
        if j < 0:
            return -1
        if ".." in a[i + 1:j]:
            return i
        i = a.find("{", j + 1)
    return -1


def _options_inert(shape: Shape) -> bool:
    """Every option the tool has leaves it ordinary (echo, ls): no option list, deny list,
    named check or operand bound says otherwise."""
    return (shape.allow is None or any(shape.allow is o for o in CORE_INERT)) and \
        not shape.deny and shape.check is None and shape.max_operands is None


#: searchers whose first operand is the pattern unless ``-e`` gives it, and whose ``-f``
#: names a file of patterns (a file: judged as one)
_PATTERN_FIRST = frozenset({"grep", "egrep", "fgrep", "zgrep", "rg"})


def _program_words(c: SimpleCommand, shape: Shape, ops: list[str], pairs: Pairs) -> set[str]:
    """The words of ``c`` that are a program or a pattern, not a path: a sed script, a search
    pattern, a value of a ``pattern`` option (``git log --grep``). Never a word that is also
    one of the files it reads (``grep -e 'k*' k*``), nor one bash globs (unquoted, it expands
    to file names and all but the first are read: ``grep -v ~/.ssh/i* x``, ``grep -v .* x``
    print keys and dot-files; ``'TODO.*'`` quoted is a pattern)."""
    name = c.name
    globbed = [w for i, w in enumerate(c.argv) if i and c.globs(i)]
    out = {v for k, v in pairs or () if v is not None and shape.allow is not None and
           shape.allow.kind.get(k) == "pattern"}
    # a plan terraform writes (its kind names the only files it may be: reads of them are
    # secret) and a backend setting ``key=prod/terraform.tfstate`` (an object's name)
    out |= {v for k, v in pairs or () if v is not None and shape.allow is not None and (
        shape.allow.kind.get(k) in ("tfplan", "newfile", "treekey") or (
            shape.allow.kind.get(k) == "tfbackend" and "=" in v))}
    files = list(ops)
    if shape.check == "sed":
        given = _option_values(pairs, "-e")
        out.update(given or ops[:1])
        files = ops if given or _option_values(pairs, "-f") else ops[1:]
    elif name in _PATTERN_FIRST:
        given = _option_values(pairs, "-e")
        first = not (given or _option_values(pairs, "-f"))
        out.update(ops[:1] if first else given)
        files = ops[1:] if first else ops
    elif name == "ag":
        out.update(ops[:1])
        files = ops[1:]
    return {w for w in out if w not in files and not any(g.endswith(w) for g in globbed)}


def _process_substitution(word: str) -> bool:
    """``<(...)`` and nothing else: one word bash replaces with a pipe of its commands'
    output (never ``>(...)``: what the tool writes there feeds the commands)."""
    if not (word.startswith("<(") and word.endswith(")")):
        return False
    inner = substitution_source(word, 0)
    return inner is not None and len(inner) + 3 == len(word)


def _run_time_word(shape: Shape, c: SimpleCommand, i: int) -> str | None:
    """Why ``c.argv[i]``, whose value comes at run time (the agent's environment, stdin, a
    substitution), is not ordinary here, or None. Quoted, it is one word that may name any
    file; unquoted, any number of words, options among them."""
    if _process_substitution(c.argv[i]):
        return None  # /dev/fd/N: the output of commands the guard judges on their own
    if c.name in FILE_TOOLS and not shape.secrets_ok:
        return "comes at run time: it may name any file, a secret too"
    if c.splits(i) and not _options_inert(shape) and not (
            shape is _REMOTE_EXEC and _names_the_container(c, i)):
        return "is split at run time: it may become any options and operands"
    return None


#: the login's name as sshd sets it: one word (setting USER or LOGNAME is never ordinary)
_LOGIN_NAME_WORDS = frozenset({"$USER", "${USER}", "$LOGNAME", "${LOGNAME}"})


def _shape(name: str, shape: Shape, c: SimpleCommand, rest: tuple[str, ...],
           offset: int) -> Verdict:
    """Check ``rest`` (the words after the command or subcommand) against ``shape``.
    ``offset`` is where ``rest`` starts in ``c.argv`` (for the dynamic flags)."""
    ops: list[str] = []
    i, after_dd = 0, False
    dyn = c.dynamic[offset:] if c.dynamic else ()
    values = shape.allow.value_words if shape.allow is not None else shape.values
    steps = 0
    while i < len(rest):
        steps += 1
        if not steps & 127:
            check()  # a wrapper's shape walks the words of all it runs (sudo sudo ... x)
        a = rest[i]
        d = dyn[i] if i < len(dyn) else False
        # a glob inside quotes is one literal word (``git ls-files '*.py'``): the parser
        # says which words bash expands; without its word, the text decides
        computed = d or (not after_dd and shape.check not in _LITERAL_CHECKS and
                         _glob_word(a) and _expands(c, offset + i) and
                         not _inert_glob(shape, a, rest) and
                         not (shape.check in _TREE_GLOB_CHECKS and _tree_glob(a)))
        if computed and not shape.dynamic_ok and not (i > 0 and rest[i - 1] in values
                                                      and not d):
            return Verdict(None, f"{name}: a computed or glob word ({a!r}) could become "
                                 "an option or another file")
        why = _run_time_word(shape, c, offset + i) if d else None
        if why:
            return Verdict(None, f"{name}: {a!r} {why}")
        if after_dd or not a.startswith("-") or a == "-":
            ops.append(a)
            i += 1
            continue
        if a == "--":
            after_dd = True
            i += 1
            continue
        for rule in shape.deny:
            if _word_hits(rule, a, shape.values):
                return Verdict(None, f"{name}: option {a.split('=', 1)[0]} is not ordinary")
        if a in values and i + 1 < len(rest) and i + 1 < len(dyn) and dyn[i + 1] and \
                c.splits(offset + i + 1) and rest[i + 1] not in _LOGIN_NAME_WORDS:
            # (data helper, s15) the value's words are options and operands of their own:
            # X='x -o ~/.bashrc'; sort -t $X data.csv
            return Verdict(None, f"{name}: {rest[i + 1]!r}, the value of {a}, is split at run "
                                 "time: it may become any options and operands")
        i += 2 if (a in values) else 1
    pairs: Pairs = None
    if shape.allow is not None:
        p = parse_opts(shape.allow, rest)
        if isinstance(p, str):
            return Verdict(None, f"{name}: {p}")
        why = _values_ok(shape.allow, p.pairs)
        if why:
            return Verdict(None, f"{name}: {why}")
        rest, ops, pairs = p.words, list(p.ops), p.pairs
    if shape.max_operands is not None and len(ops) > shape.max_operands:
        return Verdict(None, f"{name}: more operands than the safe shape takes")
    if not shape.secrets_ok and not (shape.names_only and NAMES_ONLY[shape.names_only](rest)):
        # a sed script or a search pattern is not a file name ('s/.log$//', 'error$')
        program = _program_words(c, shape, ops, pairs)
        literal = literal_words(c)
        # a tool whose operands are names (rules.NAME_OPERANDS) reads no file by a name
        names = c.name in NAME_OPERANDS
        for a in rest:
            v = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
            if v in program or (names and "/" not in v):
                continue
            if a in literal:
                v = _LITERAL_VALUE.sub("\x02", v)
            if _source_glob(shape, c, v, pairs):
                continue
            if secretish(v) or _url_secretish(v):
                return Verdict(None, f"{name}: {v!r} could be a secret")
    if shape.check:
        why = CHECKS[shape.check](c, rest, tuple(ops), pairs)
        if why:
            return Verdict(None, f"{name}: {why}")
    return Verdict(name)


#: a tool asked only about itself
_ABOUT = frozenset({"--version", "-V", "--help", "-h", "-version"})


def _global_option(o: Opts, rest: tuple[str, ...], i: int) -> int | str:
    """How many words the global option at ``rest[i]`` takes, or why it is not ordinary."""
    got = option_at(o, rest, i)
    if isinstance(got, str):
        return got
    p, step = got
    return _values_ok(o, p.pairs) or step


def _match_tool(name: str, tool: Tool, c: SimpleCommand, rest: tuple[str, ...],
                offset: int) -> Verdict:
    # rest[0] is the tool's own word; its global options come before the subcommand
    i = 1
    dyn = c.dynamic[offset:] if c.dynamic else ()
    while i < len(rest) and rest[i].startswith("-") and rest[i] not in tool.sub:
        a = rest[i]
        if i < len(dyn) and dyn[i]:
            return Verdict(None, f"{name}: a computed global option")
        for rule in tool.deny:
            if _word_hits(rule, a, tool.values):
                return Verdict(None, f"{name}: global option {a.split('=', 1)[0]} is not "
                                     "ordinary")
        if tool.allow is None:
            # (session 16) a tool that lists no global options takes none: a deny-list of
            # them lost to every spelling it missed (apt-get --ignore-hold, dnf
            # --disableexcludes=all, ip --batch -, pip --python=FILE --version)
            return Verdict(None, f"{name}: global option {a.split('=', 1)[0]} is not one "
                                 "the catalogue lists")
        step = _global_option(tool.allow, rest, i)
        if isinstance(step, str):
            return Verdict(None, f"{name}: {step}")
        # (session 15) a global option's value that bash splits or expands is several words:
        # the second is the subcommand (``--context $X ps``, X='default run -v /:/h ...')
        for k in range(i + 1, min(i + step, len(rest))):
            if k < len(dyn) and dyn[k] and c.splits(offset + k):
                return Verdict(None, f"{name}: {rest[k]!r}, the value of {a}, is split at "
                                     "run time: its words may become the subcommand")
        i += step
    if i >= len(rest):
        if tool.bare is not None:
            return _shape(name, tool.bare, c, (), offset + i)
        if len(rest) == 2 and rest[1] in _ABOUT:
            return Verdict(f"{name} {rest[1]}")
        return Verdict(None, f"{name}: no subcommand")
    word = rest[i]
    if i < len(dyn) and dyn[i]:
        return Verdict(None, f"{name}: the subcommand is computed")
    entry = tool.sub.get(word)
    if entry is None:
        entry = next((e for k, e in tool.sub.items() if "*" in k and fnmatch.fnmatchcase(
            word, k) and not word.startswith("-")), None)
    if entry is None:
        return Verdict(None, f"{name} {word}: not in the known-safe catalogue")
    full = f"{name} {word}" if not name.endswith(" *") else name
    if (word.startswith("-") or word == "version") and isinstance(entry, Shape) and \
            entry.allow is None and \
            entry.check is None and len(rest) > i + 1:
        # (session 16) an option listed as the subcommand (--version, -V, --info) with no
        # allow-list of its own is that option alone: pip acts on --python=FILE (runs it)
        # before it prints its version
        return Verdict(None, f"{full}: takes nothing after it")
    if isinstance(entry, Tool):
        return _match_tool(full, entry, c, rest[i:], offset + i)
    # global options may also follow the subcommand (kubectl get pods -n x)
    return _shape(full, entry, c, rest[i + 1:], offset + i + 1)


def global_value_expands(c: SimpleCommand) -> str | None:
    """(session 15) Why a literal global option value of ``c`` that bash expands (a brace,
    a glob: ``kubectl -n {a,delete} get``) may put other words where the subcommand is, or
    None. Asked of the command as written, not of the variants flow.py makes of it (a loop's
    glob put in a quoted ``"$d"`` is one word)."""
    entry = CATALOGUE.get(c.name)
    if not isinstance(entry, Tool) or not c.globbed:
        return None
    i, start = 1, 0
    while isinstance(entry, Tool):  # a tool's subcommand may be a tool (docker compose -p)
        tool = entry
        while i < len(c.argv) and c.argv[i].startswith("-") and c.argv[i] not in tool.sub:
            if tool.allow is not None:
                got = option_at(tool.allow, c.argv[start:], i - start)
                step = got[1] if not isinstance(got, str) else 1
            else:
                step = 2 if c.argv[i] in tool.values else 1
            for k in range(i + 1, min(i + step, len(c.argv))):
                if not (k < len(c.dynamic) and c.dynamic[k]) and c.expands(k):
                    return f"{c.name}: {c.argv[k]!r}, the value of {c.argv[i]}, is expanded " \
                           "by bash: its words may become the subcommand"
            i += max(step, 1)
        if i >= len(c.argv):
            return None
        entry, start, i = tool.sub.get(c.argv[i]), i, i + 1
    return None


#: Python test runners the write memory watches (flow.CODE_RUNNERS): what they import from
#: the tree a session wrote holds them, so the tree on their module path changes nothing;
#: any other Python program (aws, ansible) would import a planted json.py unwatched
_PYTHON_RUNNERS = frozenset({"pytest", "py.test", "tox", "nox"})


def _env_ok(c: SimpleCommand) -> str | None:
    for a in c.assignments:
        if c.name in _PYTHON_RUNNERS and _PYTHONPATH_IN_TREE.fullmatch(a) and ".." not in \
                a.split("=", 1)[1].replace(":", "/").split("/"):
            continue
        why = assignment_why(a, exported=bool(c.argv))
        if why:
            return why
    return None


_READ_OPS = ("<",)
#: sources without end: copied into a file they fill the disk
_INFINITE = frozenset({"/dev/zero", "/dev/urandom", "/dev/random", "/dev/full"})
_WRITE_OPS = (">", ">>", ">|", "&>", "&>>", "<>", ">&")


#: commands whose stdout is content from elsewhere (a download, a bucket's object)
_FETCH_OUT = NET_FETCH | frozenset({"gsutil", "aws", "gcloud", "s5cmd", "rclone", "az", "mc",
                                    "hf", "huggingface-cli", "dig", "host", "nslookup"})


def _prints_a_download(c: SimpleCommand) -> bool:
    """What ``c`` prints may be a download's: it is a fetcher, one pipes into it, or one runs
    in it (a wrapper's command, ``timeout 10 curl``, or a word's substitution, ``"$(curl)"``)."""
    return c.name in _FETCH_OUT or bool(_FETCH_OUT.intersection(c.pipe_from)) or bool(
        _FETCH_OUT.intersection(c.inner)) or any(
            command_name(w) in _FETCH_OUT for w in c.argv[1:] if not w.startswith("-"))


def _redirects_ok(c: SimpleCommand) -> str | None:
    # what a download prints, redirected or teed onto code, is download-then-run as -o is:
    # held where it is written, not only where it later runs (a runner already running, on
    # another channel, would run it: red team s14 rounds five and six; G8). Asked only of a
    # command that writes: every command of a line passes here, a wrapper's at each level
    writes = c.name == "tee" or any(
        (r.op in _WRITE_OPS or r.op.endswith(">")) and r.op not in ("<<", "<<<", "<<-") and
        not (r.target.isdigit() or r.target == "-") for r in c.redirects)
    fetched = writes and _prints_a_download(c)
    if fetched and c.name == "tee":
        bad = next((a for a in c.args if not a.startswith("-") and
                    not safe_write_target(a, True)), None)
        if bad is not None:
            return f"writes what a download printed onto {bad!r}: code or configuration"
    for r in c.redirects:
        if r.op in ("<<", "<<<", "<<-"):
            continue
        if r.op in _WRITE_OPS or r.op.endswith(">"):
            if r.target.isdigit() or r.target == "-":
                continue  # 2>&1, >&-
            if fetched and not safe_write_target(r.target, True):
                return f"writes what a download printed onto {r.target!r}: code or " \
                       "configuration"
            if r.dynamic or not safe_write_target(r.target):
                return f"writes {r.target!r}: a dot-file, code or config file, or outside the " \
                       "working directory"
            if r.target in _SAFE_DEV:
                continue
            if c.name == "yes" or _INFINITE.intersection(c.args) or (
                    "yes" in c.pipe_from and r.op != ">>" and c.name in ("cat", "tee", "dd")):
                return f"writes without end into {r.target!r}"
            if not c.argv or c.name in (":", "true", "false") or (
                    r.op != ">>" and {"/dev/null", "/dev/zero"} & set(c.args)):
                return f"truncates {r.target!r}"
        elif r.op in _READ_OPS and (r.dynamic or secretish(r.target)):
            return f"reads {r.target!r}, which could be a secret"
    return None


#: database clients that take a connection string as their first operand or an option's
#: value (libpq, redis, MongoDB URIs): the URL's password is used, never printed
_CONNECTION_OPTIONS = {"psql": ("-d", "--dbname"), "pg_dump": ("-d", "--dbname"),
                       "pg_isready": ("-d", "--dbname"), "pg_restore": ("-d", "--dbname"),
                       "redis-cli": ("-u",), "mongosh": ("--uri",), "mongo": ()}
_ONE_VARIABLE = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*+|\{[A-Za-z_][A-Za-z0-9_]*+\})")


def connection_word(cmd: SimpleCommand) -> int | None:
    """The index of the word that is a database client's connection string and nothing but
    one variable (``psql "$DATABASE_URL" -c ...``), or None."""
    options = _CONNECTION_OPTIONS.get(cmd.name)
    if options is None or cmd.via:
        return None
    for i in range(1, len(cmd.argv)):
        w, prev = cmd.argv[i], cmd.argv[i - 1]
        value = w.split("=", 1)[1] if w.startswith("--") and "=" in w else w
        if not _ONE_VARIABLE.fullmatch(value):
            continue
        first_operand = i == 1 or (not prev.startswith("-") and cmd.name in ("psql", "mongosh",
                                                                              "mongo") and
                                   all(not a.startswith("-") for a in cmd.argv[1:i]))
        if first_operand or prev in options or w.split("=", 1)[0] in options:
            return i
    return None


#: what a connection variable stands for when the catalogue judges the client's shape
_CONNECTION_PLACEHOLDER = {"redis-cli": "redis://localhost", "mongosh": "mongodb://localhost/db",
                           "mongo": "mongodb://localhost/db"}


#: database clients that send the password they hold (an environment variable, a password
#: file, a config file) to the host they are given: ``psql -h evil.example``, ``redis-cli -h``
#: (AUTH in clear), ``mysql -hevil``, a URL or a libpq ``host=`` among its words
_DB_HOST_CLIENTS = frozenset({"psql", "pg_dump", "pg_restore", "mysql", "mariadb",
                              "mysqldump", "mysqlcheck", "redis-cli", "valkey-cli", "mongosh",
                              "mongo", "mongodump"})
_DB_URL = re.compile(r"(?i)\A(?:postgres(?:ql)?|mysql|mariadb|rediss?|mongodb(?:\+srv)?)://"
                     r"(?:[^@/?#]*@)?([^/?#]*)")
_CONNINFO_HOST = re.compile(r"(?:\A|\s)(?:host|hostaddr)\s*=\s*'?([^\s']*)")


def _db_hosts_why(c: SimpleCommand) -> str | None:
    """Why a database client may connect outside the site, or None: every host it names (an
    option, a URL, a libpq conninfo) must be one inside the site (_LAN_HOST)."""
    hosts: list[str] = []
    args = c.args
    for i, a in enumerate(args):
        if a in ("-h", "--host") and i + 1 < len(args):
            hosts.append(args[i + 1])
        elif a.startswith("--host="):
            hosts.append(a.split("=", 1)[1])
        elif a.startswith("-h") and len(a) > 2 and not a.startswith("--") and \
                c.name not in ("redis-cli", "valkey-cli"):
            hosts.append(a[2:])
        value = a.split("=", 1)[1] if a.startswith("--") and "=" in a else a
        m = _DB_URL.match(value)
        if m:
            hosts += [h.rsplit(":", 1)[0] if h.count(":") == 1 else h
                      for h in m.group(1).split(",")]
        hosts += [h for m in _CONNINFO_HOST.finditer(value) for h in m.group(1).split(",")]
    for h in hosts:
        h = h.strip("[]")
        if h and not h.startswith("/") and not _LAN_HOST.fullmatch(h):
            return f"{c.name} connects to {h!r}, not a host inside the site: it sends the " \
                   "password it holds"
    return None


#: the tools a package manager's bin directory holds under their own names (composer's
#: vendor/bin, npm's node_modules/.bin): never a name the system also has (a package may ship
#: a bin called sh or python3: red team s14 H10)
_TREE_BIN_TOOLS = frozenset({
    "phpunit", "phpstan", "psalm", "phpcs", "phpcbf", "php-cs-fixer", "pest", "pint", "rector",
    "jest", "vitest", "mocha", "eslint", "prettier", "tsc", "webpack", "vite", "nx", "turbo",
    "stylelint", "biome", "playwright", "cypress", "ava", "c8", "nyc", "tsx", "ts-node"})


#: a relative bin directory (``bin/kafka-topics.sh`` run from the install directory the
#: shell is in, or one level below it): the program is the tool's own there, or the tree's
#: code, which flow.py holds when the session wrote, fetched or unpacked into that directory;
#: never a package manager's tree (red team s15 A8: ``node_modules/x/bin/yarn`` after npm ci)
_RELATIVE_BIN = re.compile(r"\A(?:\./)?+(?:(?!bin/|node_modules/|vendor/|site-packages/|"
                           r"dist-packages/|gems/|target/|build/|out/)"
                           r"[A-Za-z0-9_][A-Za-z0-9_.+-]*+/)?+bin/")


def _tool_home(word: str) -> bool:
    """``word`` is one of a tool's own programs in that tool's install directory (a domain
    module's ``HOMES``: ``/opt/kafka/bin/kafka-topics.sh``), or in a relative ``bin/``."""
    d, name = posixpath.split(word)
    return ".." not in word.split("/") and any(
        name in names and (home.fullmatch(d + "/") or _RELATIVE_BIN.fullmatch(d + "/"))
        for module in DOMAINS for home, names in getattr(module, "HOMES", ()))


#: where a word starting with @ means something else: a DNS server (dig @8.8.8.8), an npm
#: scope (@types/node), git's @ and @{upstream}; curl's -d @file has checks of its own
_DNS_AT = frozenset({"dig", "kdig", "drill", "delv", "host"})
_SCOPE_TOOLS = frozenset({"npm", "npx", "yarn", "pnpm", "bun", "bunx", "deno", "ncu",
                          "corepack", "volta", "nx", "lerna", "turbo"})
_NPM_SCOPE = re.compile(r"@[a-z0-9][a-z0-9._-]{0,100}/[a-z0-9][a-z0-9._-]{0,100}"
                        r"(?:@[A-Za-z0-9._^~<>=*|-]{1,50})?")


#: tools that read no file of arguments: a word starting with @ is text (a pattern, a ref).
#: Every other tool is taken to read ``@FILE`` as more of its arguments, as GCC, binutils,
#: the JDK's, JCommander and picocli programs, .NET, rustc, pytest, mypy and tsc do
_AT_LITERAL = frozenset({
    "git", "curl", "http", "https", "xh", "echo", "printf", "grep", "egrep", "fgrep", "zgrep",
    "rg", "ag", "ack", "sed", "awk", "gawk", "mawk", "cat", "head", "tail", "sort", "uniq",
    "cut", "tr", "wc", "ls", "find", "fd", "jq", "yq", "logger", "test", "[", "expr", "column",
    "paste", "join", "comm", "diff", "look", "tee", "xargs", "date", "id", "getent",
    # dune's @alias and @@alias name build aliases
    "dune"})


def _at_word_ok(name: str, word: str) -> bool:
    """A word ``@...`` that ``name`` does not read as a file of more arguments."""
    if name in _DNS_AT:
        return re.fullmatch(r"@[A-Za-z0-9.:-]{1,253}", word) is not None
    if name in _SCOPE_TOOLS:
        return _NPM_SCOPE.fullmatch(word) is not None
    if name in _AT_LITERAL:
        return True  # git's @ is HEAD; the text tools take it as text; curl judges -d @file
    # gh's and glab's ``@me`` is the caller (``--author @me``); their api's -F x=@file is no
    # word starting with @
    return name in ("gh", "glab") and word == "@me"


#: a field whose name says it holds a secret, and any escape (``"e\u006ev"``: red team s15
#: D6); a path that ends in a parent object prints every child (``json(spec.template)``)
_SECRET_PROJECTION = re.compile(r"(?i)env|secret|passw|token|credential|private.?key|"
                                r"access.?key|api.?key|connection.?string|user.?data|"
                                r"startup.?script|\\")
_PARENT_FIELDS = frozenset({"spec", "template", "serviceconfig", "config", "configuration",
                            "containers", "container", "metadata", "properties", "data",
                            "settings", "siteconfig", "appsettings", "environment",
                            "variables", "items"})
_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*+")


_GCLOUD_ENV_GROUPS = frozenset({"run", "functions", "compute", "app", "container",
                                "composer", "dataproc", "cloudbuild", "builds"})


def _whole_objects(fmt: str | None) -> bool:
    """A gcloud --format that prints every field of what it lists (no projection)."""
    return fmt is not None and "(" not in fmt and fmt.strip().lower() not in ("none", "disable")


def _projects_secret_fields(c: SimpleCommand) -> bool:
    """An output option of a cloud CLI names a field that may hold a secret, or a whole
    object (doctl's apps as JSON: an app's spec carries its environment values)."""
    if c.name == "doctl" and ("json" in c.args or "--output=json" in c.args or
                              "-ojson" in c.args) and "apps" in c.args:
        return True
    if c.name == "gcloud" and _GCLOUD_ENV_GROUPS.intersection(c.args) and any(
            _whole_objects(a.split("=", 1)[1] if a.startswith("--format=") else
                           c.args[i + 1] if a == "--format" and i + 1 < len(c.args) else None)
            for i, a in enumerate(c.args)):
        # whole objects of the services that carry env values and startup scripts (red team
        # s15 E5: gcloud run revisions list --format=json; any format with no projection:
        # text, list, flattened, config, in any case)
        return True
    for i, a in enumerate(c.args):
        name, eq, value = a.partition("=")
        if name in ("--format", "--query", "--output-format", "--template"):
            text = value if eq else (c.args[i + 1] if i + 1 < len(c.args) else "")
            if _SECRET_PROJECTION.search(text) or any(
                    m.group(0).rsplit(".", 1)[-1].lower() in _PARENT_FIELDS
                    for m in _FIELD_PATH.finditer(text)):
                return True
    return False


def _as_root(c: SimpleCommand) -> bool:
    """``c`` runs as another user (sudo, doas, su, runuser, pkexec): root, or one whose
    processes are a service's."""
    return any(v in ("sudo", "doas", "su", "runuser", "pkexec") for v in c.via)


def known_safe(c: SimpleCommand) -> Verdict:
    """The catalogue entry that makes ``c`` known safe, or why it is not."""
    why = _env_ok(c) or _redirects_ok(c)
    if why:
        return Verdict(None, why)
    if not c.argv:
        return Verdict("assignment")
    if c.name_is_dynamic:
        return Verdict(None, "the command name is computed")
    at = connection_word(c)
    if at is not None and not c.splits(at):
        # ``psql "$DATABASE_URL" -c ...``: one word, a connection string, judged as one
        word = _CONNECTION_PLACEHOLDER.get(c.name, "db")
        if c.argv[at].startswith("--") and "=" in c.argv[at]:
            word = c.argv[at].split("=", 1)[0] + "=" + word
        c = replace(c, argv=(*c.argv[:at], word, *c.argv[at + 1:]),
                    dynamic=(*c.dynamic[:at], False, *c.dynamic[at + 1:]))
    word = c.argv[0].lstrip("\\")
    script = script_of(c.argv)
    tree_tool = TREE_BIN.fullmatch(word) is not None and c.name in CATALOGUE and \
        c.name in _TREE_BIN_TOOLS
    if script is not None and not tree_tool and _site_script(script[1], script[0]):
        why = site_script_why(c)
        return Verdict(SITE_PROGRAM) if why is None else Verdict(None, why)
    if "/" in word and posixpath.dirname(word) + "/" not in _BIN_DIRS and \
            word not in REPO_WRAPPERS and not _VENV_BIN.fullmatch(word) and \
            not tree_tool and not _tool_home(word):
        return Verdict(None, f"{word} is a program outside the system bin directories")
    if c.name in APP_RUNNERS and "/" not in word:
        why = app_runner_why(c)
        return Verdict(f"{c.name} (the site's app)") if why is None else Verdict(None, why)
    if c.name in _DB_HOST_CLIENTS:
        why = _db_hosts_why(c)
        if why:
            return Verdict(None, why)
    if c.name in ("gcloud", "aws", "az", "doctl") and _projects_secret_fields(c):
        # (harmful set s15) a list's projection names the fields it prints: ``--format=
        # 'value(spec.template.spec.containers[0].env)'`` printed every service's env
        return Verdict(None, f"{c.name}: its --format/--query prints fields that hold secrets")
    if c.name == "kill" and _as_root(c) and not any(c.dynamic):
        # (harmful set s15) as root a literal pid is any process: ``sudo kill 1187`` stopped
        # nginx's master. A service's own pid file with the signal it reloads on stays
        # (``sudo kill -HUP $(cat /run/nginx.pid)``: pidfile.py)
        return Verdict(None, "kill: as root, a process id is any process's (a service, sshd)")
    at_word = next((a for a in c.args if a.startswith("@") and not _at_word_ok(c.name, a)), None)
    if at_word is not None:
        return Verdict(None, f"{c.name}: {at_word!r}: a word @FILE is read as more arguments "
                             "by many tools (compilers, pytest, tsc, mypy, JVM and .NET "
                             "tools), which the guard does not see (red team s15 B1, D1)")
    entry = CATALOGUE.get(c.name)
    if entry is None:  # a GNU cross tool (arm-none-eabi-objdump): its base tool's entry
        entry = cross_entry(c.name, CATALOGUE)
    if entry is None:
        return Verdict(None, f"{c.name}: not in the known-safe catalogue")
    if any(c.dynamic) and (c.name == "kill" or "kill" in c.argv):
        c = _pidfile_kill(c, entry)
        if isinstance(c, str):
            return Verdict(None, c)
    fed = c.via[-1:] in (("xargs",), ("parallel",)) or any(v.startswith("find -") for v in
                                                            c.via[-1:])
    if fed and c.name == "rm" and c.via[-1:] == (ARTIFACT_VIA,):
        return Verdict("rm") if build_artifacts_only(c) else Verdict(None, "rm of what find "
                                                                           "selects")
    if fed and not (isinstance(entry, Shape) and entry.dynamic_ok and entry.check not in
                    ("shell-c", "wrapper", "env", "ssh", "command")):
        return Verdict(None, f"{c.name}: its arguments come from elsewhere")
    # (find -exec is judged with find's expression: find.py keeps it off secrets)
    if fed and c.via[-1:] in (("xargs",), ("parallel",)) and (
            (c.name in FILE_TOOLS and not entry.secrets_ok) or not _options_inert(entry)):
        return Verdict(None, f"{c.name}: its arguments come from stdin: any options, any "
                             "file (a secret too)")
    if isinstance(entry, Tool):
        return _match_tool(c.name, entry, c, c.argv, 0)
    v = _shape(c.name, entry, c, c.args, 1)
    if entry is _CLOUD and v.entry:
        call = cloud.parse_call(c.name, c.args)  # named by its command path, as a Tool is
        if not isinstance(call, str):
            return Verdict(" ".join((c.name, *cloud.command_path(c.name, call))))
    return v


#: what find may print for xargs -0 to read: its names only, NUL-terminated
_FIND_ACTIONS = frozenset({"-print", "-print0", "-printf", "-fprint", "-fprint0", "-fprintf",
                           "-ls", "-fls", "-exec", "-execdir", "-ok", "-okdir", "-delete",
                           "-quit"})
_XARGS_NULL = frozenset({"-0", "--null", "-r", "--no-run-if-empty"})


def find_fed(commands: tuple[SimpleCommand, ...], pipelines: tuple[tuple[tuple[int, ...], ...],
                                                                   ...]
             ) -> dict[int, tuple[SimpleCommand, SimpleCommand]]:
    """``find START... EXPR -print0 | xargs -0 CMD ARGS``: per index of CMD (as xargs runs
    it), the ``find START... EXPR -exec CMD ARGS {} +`` it is, and CMD as that find runs it.
    Every name find prints starts with a plain START (``src/x.ts``, ``./x``), so none reads
    as an option, and NUL ends each (no blank or newline splits one); both are judged as
    find -exec is (find.py: on which tree, selecting which names; CMD fed by find)."""
    out: dict[int, tuple[SimpleCommand, SimpleCommand]] = {}
    for stages in pipelines:
        for prev, cur in zip(stages, stages[1:], strict=False):
            if len(prev) != 1 or len(cur) != 2:
                continue
            f, x, run = commands[prev[0]], commands[cur[0]], commands[cur[1]]
            if f.name != "find" or x.name != "xargs" or f.via or any(f.dynamic) or \
                    run.via[-1:] != ("xargs",) or f.redirects:
                continue
            args = f.args
            at = next((i for i, a in enumerate(args) if a[:1] in ("-", "(", "!")), len(args))
            starts, expr = args[:at], args[at:]
            if not starts or not all(_in_tree(s) or s == "." for s in starts) or \
                    any(f.globs(1 + i) for i in range(at)) or expr[-1:] != ("-print0",) or \
                    _FIND_ACTIONS.intersection(expr[:-1]):
                continue
            opts_ = x.args[:len(x.args) - len(run.argv)]
            if not opts_ or not set(opts_) <= _XARGS_NULL or not {"-0", "--null"} & set(opts_):
                continue
            n = len(f.argv) - 1
            tail = ("{}", "+")
            as_run = replace(run, argv=(*run.argv, "{}"), via=(*run.via[:-1], "find -exec"),
                             dynamic=(*(run.dynamic or (False,) * len(run.argv)), False),
                             split=(*(run.split or (False,) * len(run.argv)), False),
                             globbed=(*(run.globbed or (False,) * len(run.argv)), False))
            out[cur[1]] = (replace(
                f, argv=(*f.argv[:-1], "-exec", *run.argv, *tail),
                dynamic=(*f.dynamic[:n], False, *(run.dynamic or (False,) * len(run.argv)),
                         False, False),
                split=(*(f.split or (False,) * len(f.argv))[:n], False,
                       *(run.split or (False,) * len(run.argv)), False, False),
                globbed=(*(f.globbed or (False,) * len(f.argv))[:n], False,
                         *(run.globbed or (False,) * len(run.argv)), False, False)), as_run)
    return out


def site_allows(c: SimpleCommand, command: str, args: tuple[str, ...]) -> bool:
    """Does a grant's ``allow:`` entry (``command``, one glob per word, ``**`` last for any
    rest) make ``c`` known safe? Matched on the parsed argv, never on raw text; a computed or
    glob word, a risky redirection or environment never matches."""
    if not c.argv or c.name_is_dynamic or any(c.dynamic) or _env_ok(c) or _redirects_ok(c):
        return False
    word = c.argv[0]
    if "/" in command:
        if word != command:
            return False
    elif word != command and not ("/" in word and posixpath.dirname(word) + "/" in _BIN_DIRS
                                  and c.name == command):
        return False
    rest = c.argv[1:]
    if args[-1:] == ("**",):
        fixed = args[:-1]
        if len(rest) < len(fixed):
            return False
        rest = rest[:len(fixed)]
    else:
        fixed = args
        if len(rest) != len(fixed):
            return False
    return all(not _GLOB.search(w) and fnmatch.fnmatchcase(w, p) for w, p in
               zip(rest, fixed, strict=True))


def _sql_client_check(dialect: str | None, flag: str, pre: Check | None,
                      required: bool) -> Check:
    """A domain module's SQL client (its ``SQL_CLIENTS``): the module's own check of the rest
    first, then every statement ``flag`` gives is a read in ``dialect`` (``sql_read_only``);
    ``required``: without one the client would read its SQL from stdin."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        why = pre(c, rest, ops, pairs) if pre else None
        if why:
            return why
        if (not required or any(k == "--version" for k, _ in pairs or ())) and \
                not _option_values(pairs, flag):
            return None  # (the client's --version runs no SQL)
        texts = _sql_texts(c, pairs, flag)
        if isinstance(texts, str):
            return texts
        bad = [t for t in texts if not sql_read_only(t, dialect)]
        return f"{bad[0][:60]!r} is not a plain read" if bad else None
    return check


def _merge_domains() -> None:
    """The domain modules' entries, checks, value kinds, SQL clients and subcommands of the
    catalogue's tools (tools/): a name listed twice is a bug that would let one module's
    shape silently replace another's, so it stops the import."""
    for module in DOMAINS:
        kinds = getattr(module, "KINDS", {})
        sql = getattr(module, "SQL_CLIENTS", {})
        subs = getattr(module, "SUBCOMMANDS", {})
        twice = (CATALOGUE.keys() & module.ENTRIES.keys()) | (CHECKS.keys() & module.CHECKS.keys())
        twice |= (KINDS.keys() & kinds.keys()) | ((CHECKS.keys() | module.CHECKS.keys()) &
                                                  sql.keys())
        for name, more in subs.items():
            tool = CATALOGUE.get(name)
            if not isinstance(tool, Tool):
                raise RuntimeError(f"{module.__name__} extends {name!r}, not a tool")
            twice |= {f"{name} {k}" for k in tool.sub.keys() & more.keys()}
        if twice:
            raise RuntimeError(f"{module.__name__} lists {sorted(twice)} again")
        for name, more in subs.items():
            tool = CATALOGUE[name]
            assert isinstance(tool, Tool)
            CATALOGUE[name] = replace(tool, sub={**tool.sub, **more})
        CATALOGUE.update(module.ENTRIES)
        CHECKS.update(module.CHECKS)
        KINDS.update(kinds)
        CHECKS.update({name: _sql_client_check(*spec) for name, spec in sql.items()})


_merge_domains()

__all__ = ["SITE_PROGRAM", "connection_word", "find_fed", "site_allows", "site_script_path",
           "site_script_why",
           "CATALOGUE", "CHECKS", "Shape", "Tool", "Verdict", "known_safe", "safe_write_target",
           "served_code",
           "secretish", "sql_read_only"]
