"""Cloud, CI/CD and infrastructure-as-code from a shell, third pass: the reads cloud.py,
safe.py, infra.py and data.py miss. Known-safe shapes (tools/__init__.py).

What an operator types to follow a change through review and CI and to look at what a
deployment holds: GitLab's CLI (``glab``: merge requests, pipelines, job logs, issues,
releases, GET of a project's REST endpoints), ``gh api`` GET of a repository's endpoints and
``gh auth status``, ``gh workflow view``, ``pulumi about``, and the
names and versions of a Vault KV store (``vault kv list``, ``kv metadata get``).

Left out: every form that writes, triggers or retries (``glab mr merge/approve/note``,
``ci run/retry/cancel``, ``gh run rerun``, ``flux reconcile``), an API call with a body or a
method other than GET (``-f/-F/--field/--input/-X POST``), another host (``--hostname``:
it would be sent the token), secret endpoints (CI variables, Actions secrets, deploy keys,
hooks, runner tokens), interactive views that act on keystrokes (``glab ci view``,
``glab ci status``), secret values (``vault kv get``, ``gh auth token``, ``--show-token``),
``kustomize build``/``kubectl kustomize`` (held by decision: a secretGenerator prints env
files, and an env file's bare ``KEY`` line prints the process environment's value), and
``flux tree`` (infra.py's FLUX: its tests hold the object to be theirs).
"""

from __future__ import annotations

import re

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words


def _c(spec: str = "", n: int | None = None, check: str | None = None) -> Shape:
    """A cobra (pflag) subcommand: long options in full."""
    return Shape(allow=opts(spec, abbrev=False), max_operands=n, check=check)


def _values(pairs: Pairs, *names: str) -> list[str]:
    return [v for k, v in pairs or () if k in names and v is not None]


# --- REST endpoints (gh api, glab api) -----------------------------------------------------------
#: a path segment: names, numbers, refs, gh's ``{owner}``/``{repo}`` and glab's ``:id``
#: placeholders; never ``..``, a scheme, a host or a percent escape (which could spell one)
_SEG = r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}+|\{[a-z]{1,10}\}|:[a-z]{1,10})"
#: a query string of plain parameters (``?per_page=5&page=2``)
_QUERY = r"(?:\?[A-Za-z0-9_]{1,40}=[A-Za-z0-9_.,:-]{0,100}(?:&[A-Za-z0-9_]{1,40}="
_QUERY += r"[A-Za-z0-9_.,:-]{0,100}){0,10})?"
#: GitHub: ``repos/OWNER/REPO`` and what lies under it
_GH_ENDPOINT = re.compile(rf"/?repos/{_SEG}/{_SEG}((?:/{_SEG}){{0,8}}){_QUERY}")
#: GitLab: ``projects/ID`` (a number, ``:id``, ``:fullpath`` or ``group%2Fname``)
_GL_ENDPOINT = re.compile(
    rf"/?projects/(?:[0-9]{{1,12}}|:id|:fullpath|[A-Za-z0-9_.-]{{1,100}}%2[Ff]"
    rf"[A-Za-z0-9_.%-]{{1,200}})((?:/{_SEG}){{0,8}}){_QUERY}")
#: what a repository's or a project's endpoint may read: code review, CI runs and their logs,
#: commits, branches, releases. Never a file's content (contents, git blobs, files, raw,
#: archives: a secret file of the repository would be read past secret_paths), secrets and
#: variables, keys (deploy keys), hooks (webhook secrets), runners (registration tokens),
#: environments (their secrets and variables), members/invitations, anything else.
_GH_READ = frozenset({
    # (not compare, and commits only as a list: a commit's and a comparison's JSON carry
    # each file's patch)
    "", "pulls", "issues", "commits", "branches", "actions", "check-runs", "check-suites",
    "releases", "tags", "statuses", "status", "deployments", "labels",
    "milestones", "languages", "contributors", "topics", "readme", "events",
    "stats", "merges"})
_GL_READ = frozenset({
    "", "merge_requests", "pipelines", "jobs", "repository", "issues", "releases",
    "deployments", "labels", "milestones", "languages", "events"})
#: a segment anywhere in the path that names a secret (``actions/secrets``,
#: ``pipelines/ID/variables``, ``actions/runners/registration-token``...), or a file's
#: content (``repository/files/.env/raw``: the secret-path judgement reads no API path)
_SECRET_SEGMENT = re.compile(
    r"(?i)secret|variable|key|hook|token|runner|credential|oidc|codespace|dependabot|"
    r"invitation|trigger|environment|artifact|archive")
_CONTENT_SEGMENTS = frozenset({"files", "blob", "blobs", "raw", "contents", "tarball",
                               "zipball", "diff", "diffs", "changes", "patch"})
#: headers the CLI may send: a JSON media type and the API version (never a method override;
#: never a diff or patch media type: a commit's, a comparison's or a pull request's diff
#: prints the committed files, secret ones too: red team s15 D7)
_HEADER = re.compile(r"(?i)accept\s*:\s*application/(?:vnd\.github(?:\.v3)?\+json|json)|"
                     r"x-github-api-version\s*:\s*[0-9-]{1,20}")


def _endpoint_why(ops: Words, pattern: re.Pattern[str], first: frozenset[str]) -> str | None:
    if len(ops) != 1:
        return "an API call without exactly one endpoint"
    m = pattern.fullmatch(ops[0])
    if m is None:
        return f"{ops[0]!r} is not a repository's or project's endpoint"
    segs = m.group(1).split("/")[1:]
    if (segs[0] if segs else "") not in first:
        return f"{ops[0]!r} is not an endpoint of code review, CI or the code"
    if any(_SECRET_SEGMENT.search(s) or s.lower() in _CONTENT_SEGMENTS for s in segs):
        return f"{ops[0]!r} names secrets, keys, tokens, hooks or artifacts"
    one = segs[1:2] if segs[:1] == ["commits"] else segs[2:3] if segs[:2] == [
        "repository", "commits"] else []
    if one and segs[-1] not in ("status", "statuses", "check-runs", "check-suites", "pulls",
                                "refs", "comments"):
        # one commit's JSON carries each file's patch (a list of commits does not)
        return f"{ops[0]!r} prints a commit's diff"
    return None


def _method_why(pairs: Pairs) -> str | None:
    bad = [v for v in _values(pairs, "-X") if v.upper() != "GET"]
    if bad:
        return f"--method {bad[0]} is not a read"
    hdr = [v for v in _values(pairs, "-H") if not _HEADER.fullmatch(v)]
    return f"header {hdr[0]!r} is not a media type or an API version" if hdr else None


def _computed(c: SimpleCommand) -> str | None:
    """A computed word anywhere (``--jq "$Q"``: a kind judges the text ``$Q``, not the filter
    it becomes; an endpoint or a path from a variable)."""
    return "a computed word (its value is not judged)" if any(c.dynamic) else None


def _check_gh_api(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return _computed(c) or _method_why(pairs) or _endpoint_why(ops, _GH_ENDPOINT, _GH_READ)


def _check_glab_api(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return _computed(c) or _method_why(pairs) or _endpoint_why(ops, _GL_ENDPOINT, _GL_READ)


# --- gh: api GET and auth status (safe.py lists the rest) -------------------------------------
#: gh api: GET of a repository's endpoint (gh turns a call into POST when -f/-F/--input
#: gives it a body: never those). Never --hostname (another host is sent the token),
#: -t/--template (Go templates, as safe.py's gh), --verbose (the request's headers), --cache
#: (files), -p/--preview. --jq is gojq: never $ENV/env or a module (the jqexpr kind).
_GH_API = Shape(check="gh-api-get", max_operands=1, allow=opts(
    "-X|--method:word -H|--header:any -q|--jq:jqexpr --paginate --slurp -i|--include "
    "--silent", abbrev=False))
#: gh auth status: the accounts and scopes, the token masked (never -t/--show-token,
#: -h/--hostname, or auth token/login/refresh/setup-git)
_GH_AUTH = Tool(sub={"status": _c("-a|--active", 0)})

# --- glab: GitLab's CLI --------------------------------------------------------------------------
#: every glab read takes -R (another project of the same GitLab) and -F/--output text|json.
#: Never -w/--web (a browser), --hostname-bearing commands, the write verbs
#: -R and ``repo view``'s operand: ``GROUP[/SUBGROUP]/PROJECT`` of the configured GitLab;
#: never a URL or ``HOST/GROUP/PROJECT`` (glab would send GITLAB_TOKEN to that host)
_GL_PROJECT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}+(?:/[A-Za-z0-9_][A-Za-z0-9_.-]"
                         r"{0,100}+){1,6}+")


def _check_glab(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """-R (and repo view's operand): a project path of the configured host."""
    names = _values(pairs, "-R") + (list(ops) if c.argv[1:3] == ("repo", "view") else [])
    bad = [v for v in names if not _GL_PROJECT.fullmatch(v) or "." in v.split("/")[0]]
    return _computed(c) or (f"{bad[0]!r} is not a project of the configured GitLab (a host?)"
                            if bad else None)


def _gl(spec: str = "", n: int | None = None) -> Shape:
    return _c(spec, n, check="glab-project")


_GL = "-R|--repo:any -F|--output:word "
_GL_PAGE = "-p|--page:num -P|--per-page:num "
_GL_LIST = _GL + _GL_PAGE + (
    "-A|--all -a|--assignee:any --author:any -l|--label:any --not-label:any "
    "-m|--milestone:any -c|--closed -M|--merged -d|--draft --not-draft -s|--source-branch:any "
    "-t|--target-branch:any -r|--reviewer:any --search:any -o|--order:word -S|--sort:word "
    "-g|--group:any -i|--iid:any --confidential -C|--closed-issues ")
_GL_VIEW = _gl(_GL + _GL_PAGE + "-c|--comments -s|--system-logs", 1)
#: ci get prints a pipeline and its jobs (never --with-variables: the pipeline's variables)
_GL_CI = Tool(sub={
    "list": _gl(_GL + _GL_PAGE + "-s|--status:word -o|--orderBy:word --sort:word "
                "-r|--ref:any --source:word -u|--updated-after:any --updated-before:any "
                "-n|--name:any", 0),
    "get": _gl(_GL + "-b|--branch:any -p|--pipeline-id:num -d|--with-job-details", 0),
    # a job's log (as gh run view --log)
    "trace": _gl("-R|--repo:any -b|--branch:any -p|--pipeline-id:num", 1)})
GLAB = Tool(allow=opts(""), sub={
    **dict.fromkeys(("mr", "merge-request"), Tool(sub={
        **dict.fromkeys(("list", "ls"), _gl(_GL_LIST, 0)),
        **dict.fromkeys(("view", "show"), _GL_VIEW),
        "diff": _gl("-R|--repo:any --color:word --raw", 1)})),
    "issue": Tool(sub={**dict.fromkeys(("list", "ls"), _gl(_GL_LIST, 0)),
                       **dict.fromkeys(("view", "show"), _GL_VIEW)}),
    **dict.fromkeys(("ci", "pipe", "pipeline"), _GL_CI),
    "repo": Tool(sub={"view": _gl(_GL + "-b|--branch:any", 1)}),
    "release": Tool(sub={"list": _gl(_GL + _GL_PAGE + "-g|--group:any", 0),
                         "view": _gl(_GL, 1)}),
    # the token masked; never -t/--show-token, --hostname
    "auth": Tool(sub={"status": _gl("", 0)}),
    "api": Shape(check="glab-api-get", max_operands=1, allow=opts(
        "-X|--method:word -H|--header:any --paginate -i|--include --silent", abbrev=False)),
    "version": _gl("", 0), "--version": ANY})

# --- vault: KV listings and metadata (never a value) ---------------------------------------------
#: a KV path: names; never an option-looking or computed word. secrets_ok: a path names a
#: place in Vault, not a file, and these verbs print key names and version metadata only
_VAULT_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]{0,300}+")
_VAULT_KV_OPTS = "-mount:word -format:word"
_VAULT_KV = Tool(allow=opts("", "go"), sub={
    "list": Shape(check="vault-kv-path", max_operands=1, secrets_ok=True,
                  allow=opts(_VAULT_KV_OPTS, "go")),
    # versions, times and custom metadata; never get/put/patch/rollback/delete/destroy
    "metadata": Tool(allow=opts("", "go"), sub={
        "get": Shape(check="vault-kv-path", max_operands=1, secrets_ok=True,
                     allow=opts(_VAULT_KV_OPTS, "go"))})})


def _check_vault_path(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _VAULT_PATH.fullmatch(o) or ".." in o]
    return _computed(c) or (f"{bad[0]!r} is not a KV path" if bad else None)


# --- pulumi about ------------------------------------------------------------------------------
#: the CLI, the language runtime and plugins' versions, the backend and the current stack
#: (the project's program is not run; preview, which runs it, is already listed)
_PULUMI_ABOUT = _c("-j|--json -s|--stack:word -t|--transitive --non-interactive "
                   "--cwd:intree", 0)

ENTRIES: dict[str, Entry] = {"glab": GLAB}

#: subcommands added to tools safe.py lists (never infra.py's or data.py's: their tests hold
#: CATALOGUE[name] to be their own object)
SUBCOMMANDS: dict[str, dict[str, Entry]] = {
    "gh": {"api": _GH_API, "auth": _GH_AUTH},
    "vault": {"kv": _VAULT_KV},
    "pulumi": {"about": _PULUMI_ABOUT},
}

CHECKS: dict[str, Check] = {
    "gh-api-get": _check_gh_api, "glab-api-get": _check_glab_api,
    "vault-kv-path": _check_vault_path, "glab-project": _check_glab,
}
