"""Infrastructure: containers, Kubernetes, cloud and configuration tools beyond safe.py's entries.
Known-safe shapes (tools/__init__.py).

Every shape and every Tool level names its options (``allow``): an option not listed is not
ordinary. Left out everywhere, whatever the tool: another API server, daemon socket or
endpoint (``--server``, ``--address``, ``-H``, ``--endpoint``), another identity or credential
(``--kubeconfig``, ``--token``, ``--as``, ``--auth-token``, ``--key``), configuration read from
a file the agent names (``--config``), output written to a file (``--out``, ``--save``,
``--output-file``), templates that may reach the environment, debug logs that carry tokens.
Cobra (pflag) tools take long options only in full (``abbrev=False``); Go's flag package and
urfave/cli take ``-flag`` and ``--flag`` alike (``"go"``). Debug and verbosity options
(``--debug``, ``--loglevel``, ``-v``/``--v``, ``--vklog``, ``--log-level``) are left out too:
a client's debug log may carry its requests' headers, a salt run's trace its pillar.
"""

from __future__ import annotations

import re

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words

NONE = opts("")


def _c(spec: str = "", n: int | None = None, check: str | None = None,
       style: str = "gnu", secrets_ok: bool = False) -> Shape:
    """A cobra (pflag) subcommand: long options in full."""
    return Shape(allow=opts(spec, style, abbrev=style != "gnu"), max_operands=n, check=check,
                 secrets_ok=secrets_ok)


_VERSION = Shape(max_operands=0, allow=NONE)

# --- checks -------------------------------------------------------------------------------------
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,200}")
#: kubetail (a bash script) builds its kubectl lines as text and runs them with ``eval``: every
#: value and operand a plain word (a label selector's ``=`` and ``,`` too), nothing the shell
#: would read again
_KUBETAIL_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:=,/-]{0,200}")


def _check_kubetail(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    words = list(ops) + [v for _, v in pairs or () if v is not None]
    bad = [w for w in words if not _KUBETAIL_WORD.fullmatch(w)]
    return f"{bad[0]!r} is not a plain word (kubetail evaluates its words)" if bad else None


def _image(word: str) -> bool:
    # a registry reference: host/path:tag or @sha256:..., no scheme, no expansion
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9._-]*(?::[0-9]{1,5})?(?:/[a-z0-9][a-z0-9._-]*)*"
                             r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                             r"(?:@sha256:[0-9a-f]{64})?", word)) and ".." not in word


def _check_dive(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``dive IMAGE --ci``: one image of the daemon or a registry (never ``dive build``, which
    runs a build, never --source docker-archive: a file); without --ci dive is an interactive
    viewer."""
    keys = {k for k, _ in pairs or ()}
    if "-v" in keys and not ops:
        return None
    if len(ops) != 1 or ops[0] == "build" or not _image(ops[0]):
        return "not one image reference"
    if "--ci" not in keys:
        return "dive without --ci is an interactive viewer"
    if any(k == "--source" and v not in ("docker", "podman") for k, v in pairs or ()):
        return "an image source other than the docker or podman daemon"
    return None


def _check_one_image(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if len(ops) == 1 and _image(ops[0]) else "not one image reference"


def _check_version_only(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # an interactive program (lazydocker, ctop stop and remove containers): its version only
    return None if pairs and not ops else "the interactive program, not its version"


#: salt execution functions that only report (never cmd.*, state.*, pillar.* (secrets),
#: file.*, grains.set*, saltutil.*, a list of functions joined by commas)
SALT_READ = frozenset({
    "test.ping", "test.version", "test.versions_report", "grains.items", "grains.item",
    "grains.get", "grains.ls", "status.uptime", "status.loadavg", "status.diskusage",
    "disk.usage", "sys.doc", "sys.list_functions", "sys.list_modules", "service.status",
    "service.available", "service.get_all", "pkg.version", "pkg.list_pkgs",
    "network.interfaces", "network.ip_addrs"})
SALT_RUN_READ = frozenset({"manage.status", "manage.up", "manage.down", "manage.present",
                           "jobs.active", "jobs.list_jobs"})


def _salt_fn(fn: str, args: Words, table: frozenset[str]) -> str | None:
    if fn not in table:
        return f"salt function {fn!r} is not one that only reports"
    if len(args) > 3 or any(not _PLAIN.fullmatch(a) for a in args):
        return "salt arguments that are not plain names"
    return None


def _check_salt(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # salt TARGET FUNCTION [ARGS]: the target is a minion glob or list, the function listed
    if len(ops) < 2 or not re.fullmatch(r"[A-Za-z0-9_.*,:@ -]{1,200}", ops[0]):
        return "salt without a plain target and function"
    return _salt_fn(ops[1], ops[2:], SALT_READ)


def _check_salt_call(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return _salt_fn(ops[0], ops[1:], SALT_READ) if ops else "salt-call without a function"


def _check_salt_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return _salt_fn(ops[0], ops[1:], SALT_RUN_READ) if ops else "salt-run without a function"


def _check_puppet_noop(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # an agent run that changes nothing: --noop given (never --no-noop, not listed)
    return None if any(k == "--noop" for k, _ in pairs or ()) else \
        "a puppet agent run without --noop applies the catalogue"


def _check_puppet_settings(c: SimpleCommand, rest: Words, ops: Words,
                           pairs: Pairs) -> str | None:
    # named settings only: every setting (``all``, none named) includes http_proxy_password
    if not ops:
        return "every setting, passwords among them"
    bad = [o for o in ops if not _PLAIN.fullmatch(o) or o == "all" or
           re.search(r"(?i)pass|secret|token|key", o)]
    return f"setting {bad[0]!r} is not a plain, non-secret name" if bad else None


def _check_checkov(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Its secret scanner (a default framework) prints the lines it finds masked, as trivy's
    does: with it on, no directory it scans may hold secrets (``.`` is the home directory of
    an exec session); ``--framework terraform`` or ``--skip-framework secrets`` scans none."""
    vals = {k: [v for kk, v in pairs or () if kk == k and v is not None]
            for k in ("--framework", "--skip-framework", "-d")}
    frameworks = {f for v in vals["--framework"] for f in v.split(",")}
    skipped = {f for v in vals["--skip-framework"] for f in v.split(",")}
    if (frameworks and not frameworks & {"secrets", "all"}) or "secrets" in skipped:
        return None
    from ..reveal import tree_holds_secrets  # noqa: PLC0415 - import order (safe.py first)
    held = next((d for d in vals["-d"] if tree_holds_secrets(d)), None)
    return f"the secret scanner reads {held!r}, a tree that may hold secrets (--framework " \
        "terraform scans without it)" if held else None


def _check_tfdocs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """One module directory of the tree; --output-file is a plain name (terraform-docs writes
    it inside the module directory)."""
    if len(ops) != 1:
        return "not one module directory"
    o = ops[0]
    if o.startswith(("/", "~", "-")) or "://" in o or ".." in o.split("/") or \
            any(ch in o for ch in "$`\\"):
        return f"{o!r} is outside the working tree"
    bad = [v for k, v in pairs or () if k == "--output-file" and v is not None and
           ("/" in v or v.startswith("."))]
    return f"writes {bad[0]!r} outside the module directory" if bad else None


#: syft and grype subcommands (a word that is one is not an image)
_SBOM_SUBS = frozenset({"attest", "convert", "login", "scan", "cataloger", "packages",
                        "completion", "help", "config", "db", "explain"})


def _check_sbom_source(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """One image (of the daemon or a registry: ``docker:``/``registry:``/``podman:`` or plain)
    or ``dir:`` a directory of the working tree; syft's or grype's ``version``."""
    if ops == ("version",):
        return None
    if len(ops) != 1 or ops[0] in _SBOM_SUBS:
        return "not one image or directory of the tree"
    o = ops[0]
    scheme, colon, rest_ = o.partition(":")
    if colon and scheme in ("docker", "registry", "podman"):
        return None if _image(rest_) else f"{o!r} is not an image reference"
    if colon and scheme == "dir":
        return None if rest_ and not rest_.startswith(("/", "~", "-")) and ".." not in \
            rest_.split("/") and not any(ch in rest_ for ch in "$`\\") else \
            f"{o!r} is not a directory of the working tree"
    return None if _image(o) else f"{o!r} is not an image reference"


def _outputs(pairs: Pairs, *names: str) -> list[str]:
    return [v for k, v in pairs or () if k in names and v is not None]


def _output_among(allowed: frozenset[str], *names: str) -> Check:
    """Only output formats that print a summary (a full object's YAML or JSON carries its
    configuration: an Application's inline values, an instance's environment keys)."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        bad = [v for v in _outputs(pairs, *names) if v not in allowed]
        return f"output {bad[0]!r} prints whole objects" if bad else None
    return check


def _check_lxc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # never json/yaml (every instance's or profile's config: environment.*, cloud-init user
    # data) or config:/devices: columns (any key of it); operands are names and remotes
    why = _output_among(frozenset({"table", "csv", "compact"}), "-f")(c, rest, ops, pairs)
    if why:
        return why
    cols = [v for v in _outputs(pairs, "-c") if not re.fullmatch(r"[0-9A-Za-z,]{1,60}", v)]
    if cols:
        return f"columns {cols[0]!r} name configuration keys"
    bad = [o for o in ops if not re.fullmatch(r"[A-Za-z0-9_.-]{0,100}:?[A-Za-z0-9_.-]{0,100}",
                                               o)]
    return f"{bad[0]!r} is not an instance or remote name" if bad else None


#: facts that carry a cloud's instance metadata (EC2 and GCE user data and startup scripts, a
#: GKE node's kube-env, IAM credentials under ec2_metadata)
_CLOUD_FACT = re.compile(r"(?i)ec2|gce|az_metadata|azure|metadata|userdata|user_data|cloud")


def _check_facter(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return None if any(k == "-v" for k, _ in pairs or ()) else \
            "every fact, a cloud's instance metadata among them"
    bad = [o for o in ops if not _PLAIN.fullmatch(o) or _CLOUD_FACT.search(o)]
    return f"fact {bad[0]!r} is not a plain name outside the cloud metadata" if bad else None


CHECKS: dict[str, Check] = {
    "kubetail-plain": _check_kubetail, "dive-image": _check_dive,
    "one-image": _check_one_image, "ui-version-only": _check_version_only,
    "salt-fn": _check_salt, "salt-call-fn": _check_salt_call, "salt-run-fn": _check_salt_run,
    "puppet-noop": _check_puppet_noop, "puppet-settings": _check_puppet_settings,
    "checkov-tree": _check_checkov, "tfdocs": _check_tfdocs, "sbom-source": _check_sbom_source,
    "lxc-list": _check_lxc, "facter-facts": _check_facter,
    "argocd-out": _output_among(frozenset({"wide", "tree", "name"}), "-o"),
}

# --- Kubernetes: GitOps, meshes, logs, contexts, backups, linters ---------------------------------
#: argocd: never --server/--auth-token/--config/--header/--client-crt/--client-crt-key (another
#: server gets the session's token, or another identity), --core/--kube-context/
#: --port-forward* (the cluster's own credentials), app sync/set/delete/rollback/terminate-op,
#: app diff --local (renders with the tree's plugins), app manifests (rendered Secrets),
#: account generate-token, cluster/repo add (credentials), app get/list -o yaml|json and
#: --show-params (the Application's inline Helm values and parameter overrides)
#: never --loglevel (debug logs of the gRPC calls)
_ARGO = "--grpc-web "
_ARGO_APP = _ARGO + "-N|--app-namespace:word "
ARGOCD = Tool(allow=opts(_ARGO, abbrev=False), sub={
    "app": Tool(allow=opts(_ARGO, abbrev=False), sub={
        "list": _c(_ARGO_APP + "-o|--output:word -l|--selector:any -p|--project:any "
                   "-r|--repo:any --cluster:any", 0, check="argocd-out"),
        "get": _c(_ARGO_APP + "-o|--output:word --show-operation", 1, check="argocd-out"),
        "diff": _c(_ARGO_APP + "--revision:any --exit-code:?any", 1),
        "history": _c(_ARGO_APP + "-o|--output:word", 1),
        "resources": _c(_ARGO_APP + "--orphaned -o|--output:word", 1)}),
    **{n: Tool(allow=opts(_ARGO, abbrev=False), sub={"list": _c(_ARGO + "-o|--output:word", 0)})
       for n in ("proj", "repo", "cluster")},
    "version": _c(_ARGO + "--client --short -o|--output:word", 0)})

#: flux: never --kubeconfig/--server/--token/--as*/--certificate-authority/--client-*/
#: --insecure-skip-tls-verify/--cache-dir; never export (--with-credentials prints Git
#: secrets), create/delete/suspend/resume/reconcile/bootstrap/install/uninstall, get with a
#: kind not listed
_FLUX = "-n|--namespace:word --context:word --timeout:any "
_FLUX_GET = _c(_FLUX + "-A|--all-namespaces --no-header --status-selector:any -w|--watch "
               "-l|--label-selector:any", 1)
_FLUX_KINDS = ("all", "kustomizations", "kustomization", "ks", "helmreleases", "helmrelease",
               "hr", "alerts", "alert", "alert-providers", "receivers", "receiver")
_FLUX_SOURCES = Tool(allow=opts(_FLUX, abbrev=False), sub={
    n: _FLUX_GET for n in ("all", "git", "helm", "bucket", "chart", "oci")})
_FLUX_IMAGES = Tool(allow=opts(_FLUX, abbrev=False), sub={
    n: _FLUX_GET for n in ("all", "repository", "policy", "update")})
FLUX = Tool(allow=opts(_FLUX, abbrev=False), sub={
    "get": Tool(allow=opts(_FLUX + "-A|--all-namespaces", abbrev=False), sub={
        **dict.fromkeys(_FLUX_KINDS, _FLUX_GET), "sources": _FLUX_SOURCES,
        "source": _FLUX_SOURCES, "images": _FLUX_IMAGES, "image": _FLUX_IMAGES}),
    "check": _c(_FLUX + "--pre --components:any --components-extra:any "
                "--poll-interval:any", 0),
    "logs": _c(_FLUX + "--level:word --kind:word --name:any -A|--all-namespaces -f|--follow "
               "--tail:num --since:any --flux-namespace:word", 0),
    "events": _c(_FLUX + "--for:any -A|--all-namespaces -w|--watch --types:any", 0),
    "stats": _c(_FLUX + "-A|--all-namespaces", 0),
    "version": _c(_FLUX + "--client -o|--output:word", 0)})

#: istioctl: never -c/--kubeconfig, --meshConfigFile (a file), proxy-config secret (the
#: workload's certificate and key), bootstrap/all/log (log sets levels), install/uninstall/
#: manifest/upgrade/kube-inject, x/experimental, dashboard (port-forwards)
_ISTIO = "--context:word -n|--namespace:word -i|--istioNamespace:word "
_ISTIO_PC = _c(_ISTIO + "-o|--output:word --fqdn:any --port:num --direction:word "
               "--subset:any --name:any --address:any --status:word --cluster:any "
               "--type:word --proxy-admin-port:num", 1)
ISTIOCTL = Tool(allow=opts(_ISTIO, abbrev=False), sub={
    # files given to analyze are read and reported on: the tree's manifests only
    "analyze": _c(_ISTIO + "-A|--all-namespaces --use-kube:?any -o|--output:word "
                  "--failure-threshold:word --output-threshold:word -L|--list-analyzers "
                  "-S|--suppress:any --color:?any -R|--recursive --timeout:any -v|--verbose "
                  "--ignore-unknown", check="in-tree"),
    **dict.fromkeys(("proxy-status", "ps"), _c(_ISTIO + "-r|--revision:word", 1)),
    "version": _c(_ISTIO + "--remote:?any -o|--output:word -s|--short -r|--revision:word", 0),
    **dict.fromkeys(("proxy-config", "pc"), Tool(allow=opts(_ISTIO, abbrev=False), sub={
        n: _ISTIO_PC for n in ("cluster", "clusters", "c", "listener", "listeners", "l",
                               "route", "routes", "r", "endpoint", "endpoints", "ep")}))})

#: linkerd: never --kubeconfig/--api-addr/--as*, viz tap/top (live requests: paths, headers),
#: dashboard (port-forward), install/upgrade/uninstall/inject
_LINKERD = "--context:word -L|--linkerd-namespace:word "
_LINKERD_CHECK = _c(_LINKERD + "--pre --proxy -n|--namespace:word -o|--output:word --wait:any "
                    "--crds", 0)
_LINKERD_STAT = _c(_LINKERD + "-n|--namespace:word -A|--all-namespaces -t|--time-window:any "
                   "-o|--output:word --from:any --to:any --from-namespace:word "
                   "--to-namespace:word -l|--selector:any")
LINKERD = Tool(allow=opts(_LINKERD, abbrev=False), sub={
    "check": _LINKERD_CHECK,
    "version": _c(_LINKERD + "--client --short --proxy -n|--namespace:word", 0),
    "viz": Tool(allow=opts(_LINKERD, abbrev=False), sub={
        "stat": _LINKERD_STAT, "edges": _LINKERD_STAT, "routes": _LINKERD_STAT,
        "check": _LINKERD_CHECK})})

#: stern: never --template/--template-file (Go templates), --kubeconfig, -p/--prompt
#: (interactive), --config (a file), --stdin
STERN = _c("-n|--namespace:any -A|--all-namespaces -l|--selector:any -c|--container:any "
           "-E|--exclude-container:any -e|--exclude:any -i|--include:any -s|--since:any "
           "--tail:num -t|--timestamps:?any -o|--output:word --context:word --color:word "
           "--no-follow --max-log-requests:num --only-log-lines --field-selector:any "
           "--condition:any --node:any --container-state:any --ephemeral-containers:?any "
           "--init-containers:?any -H|--highlight:any -x|--exclude-pod:any --timezone:word "
           "--diff-container -v|--version", 1, secrets_ok=True)
#: kubetail: plain words only (it evaluates them); never -j/--jq (a jq program)
KUBETAIL = Shape(check="kubetail-plain", secrets_ok=True, allow=opts(
    "-n|--namespace:any -c|--container:any -t|--context:any -l|--selector:any -s|--since:any "
    "-b|--line-buffered:any -k|--colored-output:any -z|--skip-colors:any --tail:any "
    "-p|--previous:any -r|--regex -v|--version -d|--dry-run", abbrev=False))
#: kubectx/kubens list the contexts or namespaces and print the current one; with an operand
#: they switch (or -d delete, NEW=OLD rename)
_KUBECTX = Shape(max_operands=0, allow=opts("-c|--current -h|--help -V|--version",
                                            abbrev=False))

#: velero: never --kubeconfig, backup download (writes), create/delete/restore create,
#: describe --insecure-skip-tls-verify/--cacert
_VELERO = "-n|--namespace:word --kubecontext:word --colorized:?any --features:any "
_VELERO_GET = _c(_VELERO + "-o|--output:word -l|--selector:any --show-labels")
_VELERO_DESCRIBE = _c(_VELERO + "--details -l|--selector:any")
_VELERO_LOGS = _c(_VELERO + "--timeout:any", 1)
_VELERO_KINDS = ("backups", "backup", "restores", "restore", "schedules", "schedule",
                 "backup-locations", "backup-location", "snapshot-locations",
                 "snapshot-location", "plugins", "plugin")
VELERO = Tool(allow=opts(_VELERO, abbrev=False), sub={
    "get": Tool(allow=opts(_VELERO, abbrev=False), sub=dict.fromkeys(_VELERO_KINDS,
                                                                     _VELERO_GET)),
    **{n: Tool(allow=opts(_VELERO, abbrev=False), sub={
        "get": _VELERO_GET, "describe": _VELERO_DESCRIBE, "logs": _VELERO_LOGS})
       for n in ("backup", "restore")},
    "schedule": Tool(allow=opts(_VELERO, abbrev=False), sub={
        "get": _VELERO_GET, "describe": _VELERO_DESCRIBE}),
    "backup-location": Tool(allow=opts(_VELERO, abbrev=False), sub={"get": _VELERO_GET}),
    "version": _c(_VELERO + "--client-only --timeout:any", 0)})

#: manifest linters: the tree's files (the schemas from their built-in place, never
#: -schema-location/--additional-schema-locations: files or URLs the agent names; never a
#: cache directory, a config file)
KUBECONFORM = Shape(check="in-tree-or-stdin", allow=opts(
    "-summary -output:word -strict -ignore-missing-schemas -kubernetes-version:any -skip:any "
    "-reject:any -n:num -verbose -exit-on-error -ignore-filename-pattern:any -v -h", "go"))
KUBEVAL = Shape(check="in-tree-or-stdin", allow=opts(
    "--strict --ignore-missing-schemas -v|--kubernetes-version:any -o|--output:word "
    "--skip-kinds:any --reject-kinds:any --exit-on-error --quiet --force-color --openshift "
    "-i|--ignored-filename-patterns:any -d|--directories:intree --version", abbrev=False))
KUBE_SCORE = Tool(allow=NONE, sub={
    "score": _c("-o|--output-format:word --output-version:word --ignore-test:any "
                "--enable-optional-test:any --exit-one-on-warning --kubernetes-version:any "
                "--ignore-container-cpu-limit --ignore-container-memory-limit "
                "--disable-ignore-checks-annotations --disable-optional-checks-annotations "
                "--all-default-optional -v|--verbose", check="in-tree"),
    "list": _c("", 0), "version": _c("", 0)})
KUBE_LINTER = Tool(allow=NONE, sub={
    "lint": _c("--format:word --fail-on-invalid-resource --add-all-built-in "
               "--do-not-auto-add-defaults --include:any --exclude:any -v|--verbose "
               "--fail-if-no-objects-found --with-color:?any", check="in-tree"),
    "checks": Tool(allow=NONE, sub={"list": _c("--format:word", 0)}),
    "version": _c("", 0)})
#: popeye lints the live cluster: never --save/--output-file (a report written), --s3-bucket/
#: --push-gtwy-url (the report sent elsewhere), -f/--file (a spinach config), --kubeconfig,
#: --token, --as*
POPEYE = _c("-n|--namespace:word -A|--all-namespaces -o|--out|--output:word -s|--sections:any "
            "-l|--lint:word --force-exit-zero --min-score:num --context:word "
            "-v|--version", 0)
#: k9s is an interactive client (shell into pods, delete, port-forward): its version only
K9S = Tool(allow=NONE, sub={"version": _c("-s|--short", 0), "info": _c("", 0)})
#: k3d: never kubeconfig get/merge/write (cluster credentials), cluster list --token,
#: create/delete/start/stop, image import
_K3D_LIST = _c("-o|--output:word --no-headers", 1)
K3D = Tool(allow=NONE, sub={
    "cluster": Tool(allow=NONE, sub=dict.fromkeys(("list", "ls", "get"), _K3D_LIST)),
    "node": Tool(allow=NONE, sub=dict.fromkeys(("list", "ls", "get"), _K3D_LIST)),
    "registry": Tool(allow=NONE, sub=dict.fromkeys(("list", "ls", "get"), _K3D_LIST)),
    "version": _c("", 0), "--version": _VERSION})

# --- containers ---------------------------------------------------------------------------------
#: ctr (urfave/cli: -flag and --flag alike): listings; never -a/--address (another socket),
#: containers info (the spec: environment), tasks exec/kill, run, images pull/export/import,
#: snapshots mount, content fetch/get
_CTR_LS = Tool(allow=NONE, sub=dict.fromkeys(("ls", "list"), _c("-q|--quiet", style="go")))
CTR = Tool(allow=opts("-n|--namespace:word --timeout:any --connect-timeout:any", "go"),
           sub={**dict.fromkeys(("images", "image", "i", "containers", "container", "c",
                                 "tasks", "task", "t", "namespaces", "namespace", "ns",
                                 "snapshots", "snapshot", "leases"), _CTR_LS),
                **dict.fromkeys(("plugins", "plugin"), Tool(allow=NONE, sub=dict.fromkeys(
                    ("ls", "list"), _c("-d|--detailed", style="go")))),
                "version": _c("", 0, style="go")})
#: nerdctl (docker's CLI for containerd): never -H/-a/--address/--host, --data-root,
#: --cni-path/--cni-netconfpath, --hosts-dir, inspect (environment), exec/run/cp, compose
#: files from outside the tree
_NERD_GLOBAL = "-n|--namespace:word "
#: after the subcommand -n may be the subcommand's own (--last, --tail): long spellings only
_NERD = "--namespace:word "
_NERD_LIST = _c(_NERD + "-a|--all -q|--quiet -s|--size --no-trunc -f|--filter:any "
                "--format:any --last:num -l|--latest --digests --names")
_NERD_LOGS = _c(_NERD + "-f|--follow -t|--timestamps --tail:any --since:any --until:any", 1)
_NERD_COMPOSE = "-f|--file:compose --project-directory:intree -p|--project-name:word " + _NERD
NERDCTL = Tool(allow=opts(_NERD_GLOBAL, abbrev=False), sub={
    "ps": _NERD_LIST, "images": _NERD_LIST, "logs": _NERD_LOGS,
    "stats": _c(_NERD + "--no-stream -a|--all --format:any --no-trunc"),
    "top": _c(_NERD, 1), "version": _c(_NERD + "-f|--format:any", 0),
    "info": _c(_NERD + "-f|--format:any --mode:word", 0),
    **{n: Tool(allow=opts(_NERD, abbrev=False), sub=dict.fromkeys(("ls", "list"), _NERD_LIST))
       for n in ("image", "container", "volume", "network", "namespace")},
    "compose": Tool(allow=opts(_NERD_COMPOSE, abbrev=False), sub={
        "ps": _c(_NERD_COMPOSE + "-a|--all -q|--quiet --services --format:any"),
        "logs": _c(_NERD_COMPOSE + "-f|--follow -t|--timestamps --tail:any "
                   "--no-color --no-log-prefix"),
        "images": _c(_NERD_COMPOSE + "-q|--quiet --format:any"),
        "top": _c(_NERD_COMPOSE)})})
#: buildah: never --root/--runroot/--storage-driver/--storage-opt/--registries-conf/
#: --userns-* (another store or configuration), run/from/commit/push/rm/mount
_BUILDAH_LIST = "-a|--all -q|--quiet --json -n|--noheading --format:any -f|--filter:any "
BUILDAH = Tool(allow=NONE, sub={
    "images": _c(_BUILDAH_LIST + "--digests --no-trunc --history", 1),
    **dict.fromkeys(("containers", "ls", "ps", "list"), _c(_BUILDAH_LIST + "--notruncate", 0)),
    "version": _c("", 0), "info": _c("--format:any", 0)})
#: dive: never build (a docker build), -j/--json (writes a file), --ci-config (a file),
#: --source docker-archive (a file)
DIVE = _c("--ci --highestUserWastedPercent:any --highestWastedBytes:any "
          "--lowestEfficiency:any -i|--ignore-errors -v|--version --source:word",
          check="dive-image")
#: interactive container consoles (stop, remove, exec): their version only
LAZYDOCKER = Shape(check="ui-version-only", max_operands=0, allow=opts("-v|--version",
                                                                    abbrev=False))
CTOP = Shape(check="ui-version-only", max_operands=0, allow=opts("-v", "go"))
#: registry clients, one image each: never crane config/blob/export/pull/auth (an image's
#: environment, layers, files, credentials), cp/push/delete/mutate/tag/append, -v (HTTP
#: traces), --insecure; regctl never --host (registry settings with credentials), --format
#: (templates), image config/export, registry set/login
CRANE = Tool(allow=opts("--platform:any", abbrev=False), sub={
    "ls": _c("--platform:any --full-ref -O|--omit-digest-tags", check="one-image"),
    "digest": _c("--platform:any --full-ref", check="one-image"),
    "manifest": _c("--platform:any", check="one-image"),
    "version": _c("", 0)})
_REGCTL = ""
REGCTL = Tool(allow=opts(_REGCTL, abbrev=False), sub={
    "tag": Tool(allow=opts(_REGCTL, abbrev=False), sub=dict.fromkeys(("ls", "list"), _c(
        _REGCTL + "--exclude:any --include:any --limit:num --last:any", check="one-image"))),
    "image": Tool(allow=opts(_REGCTL, abbrev=False), sub={
        "digest": _c(_REGCTL + "--platform:any --list", check="one-image")}),
    "manifest": Tool(allow=opts(_REGCTL, abbrev=False), sub={
        "get": _c(_REGCTL + "--platform:any --list", check="one-image")}),
    "repo": Tool(allow=opts(_REGCTL, abbrev=False), sub=dict.fromkeys(("ls", "list"), _c(
        _REGCTL + "--last:any --limit:num", check="one-image"))),
    "version": _c("", 0)})

# --- clouds -------------------------------------------------------------------------------------
#: hcloud: listings and descriptions (the API returns no user data or root password after
#: creation); never --config, --endpoint (the token to another host), --debug/--debug-file
_HCLOUD = "--context:word --poll-interval:any --quiet "
_HCLOUD_RES = Tool(allow=opts(_HCLOUD, abbrev=False), sub={
    "list": _c(_HCLOUD + "-o|--output:any -l|--selector:any -s|--sort:any", 0),
    "describe": _c(_HCLOUD + "-o|--output:any", 1)})
HCLOUD = Tool(allow=opts(_HCLOUD, abbrev=False), sub={
    **dict.fromkeys(("server", "volume", "network", "firewall", "floating-ip", "primary-ip",
                     "load-balancer", "image", "ssh-key", "certificate", "location",
                     "datacenter", "server-type", "load-balancer-type", "placement-group",
                     "iso"), _HCLOUD_RES),
    "context": Tool(allow=opts(_HCLOUD, abbrev=False), sub={
        "list": _c(_HCLOUD + "-o|--output:any", 0), "active": _c(_HCLOUD, 0)}),
    "version": _c("", 0)})

# --- configuration management -------------------------------------------------------------------
#: ansible-doc: plugin documentation; never -M/--module-path or --playbook-dir (plugins from
#: another directory are imported)
ANSIBLE_DOC = Shape(check="plain-operands", allow=opts(
    "-l|--list -F|--list_files -t|--type:word -s|--snippet -j|--json -v|--verbose "
    "-e|--entry-point:word --version"))
#: ansible-lint: the tree's playbooks; never -r/-R/--rules-dir (Python rules), -c/--config-file,
#: --fix/--write (rewrites), --sarif-file (writes), --project-dir elsewhere
ANSIBLE_LINT = Shape(check="in-tree", allow=opts(
    "-p|--parseable -q|--quiet -v|--verbose --offline -f|--format:word --profile:word "
    "-x|--skip-list:any -w|--warn-list:any -t|--tags:any --strict --nocolor --force-color "
    "--show-relpath --exclude:intree -L|--list-rules -T|--list-tags --version"))
#: salt: functions that only report (SALT_READ); never --return (a returner sends the output
#: elsewhere), --out-file (writes), -c/--config-dir, --module-executors/--executor-opts,
#: --eauth/-T (prompts, tokens), -I/--pillar targeting; salt-call never --file-root/
#: --pillar-root/--states-dir (local code), --master, --id
_SALT_OUT = "--out:word --out-indent:num --no-color --force-color "
SALT = Shape(check="salt-fn", secrets_ok=True, allow=opts(
    _SALT_OUT + "-L|--list -G|--grain -E|--pcre -C|--compound -N|--nodegroup "
    "-t|--timeout:num --static --hide-timeout -v|--verbose -b|--batch|--batch-size:any "
    "--state-output:word"))
SALT_CALL = Shape(check="salt-call-fn", allow=opts(
    _SALT_OUT + "--local --retcode-passthrough -g|--grains"))
SALT_RUN = Shape(check="salt-run-fn", allow=opts(_SALT_OUT + "-t|--timeout:num"))
#: salt-key: listings and fingerprints; never -a/-A/-d/-D/-r/-R/-y/--gen-keys/--gen-signature
SALT_KEY = Shape(max_operands=0, allow=opts(
    _SALT_OUT + "-L|--list-all -l|--list:word -F|--finger-all -f|--finger:any -q|--quiet"))
#: puppet: an agent run in no-op mode (the master's catalogue, nothing applied; a resource
#: marked noop => false still applies, as a task with check_mode: false does in ansible
#: --check), the tree's manifests parsed, settings printed; never -t/--test or --show_diff
#: (the diff of every file it would change: a templated config's passwords), --environment
#: (another branch of code), --postrun_command/--prerun_command or any other setting,
#: apply, resource (prints password hashes, sets), lookup (hiera secrets), --no-noop
PUPPET = Tool(allow=NONE, sub={
    "agent": Shape(check="puppet-noop", max_operands=0, allow=opts(
        "--noop -v|--verbose --detailed-exitcodes --onetime --no-daemonize --tags:any "
        "--skip_tags:any --color:word --summarize --no-splay --no-usecacheonfailure",
        abbrev=False)),
    "parser": Tool(allow=NONE, sub={"validate": Shape(check="in-tree", allow=opts(
        "--color:word", abbrev=False))}),
    "config": Tool(allow=NONE, sub={"print": Shape(check="puppet-settings", allow=opts(
        "--section:word", abbrev=False))}),
    "module": Tool(allow=NONE, sub={"list": _c("--tree", 0)}),
    "--version": _VERSION})
#: facter: named facts; never all of them or ec2_*/gce/az_metadata (user data, startup
#: scripts, a GKE node's kube-env, IAM credentials), -p/--puppet (custom facts of the
#: modules), --custom-dir/--external-dir (Ruby or programs from a directory), -c/--config
FACTER = Shape(check="facter-facts", allow=opts(
    "-j|--json -y|--yaml --show-legacy --no-custom-facts --no-external-facts --no-ruby "
    "--no-block --no-cache --timing --strict -v|--version"))
#: knife: lists of the Chef server's objects and node status; never -c/--config (Ruby),
#: -s/--server-url, -k/--key, -u/--user, --config-option, node/role/data bag show (attributes,
#: secrets), search (attributes), ssh/exec/bootstrap, status -l/-m (attributes)
_KNIFE = "-F|--format:word --no-color "
_KNIFE_LIST = Tool(allow=opts(_KNIFE), sub={"list": Shape(max_operands=0, allow=opts(
    _KNIFE + "-w|--with-uri"))})
KNIFE = Tool(allow=opts(_KNIFE), sub={
    **dict.fromkeys(("node", "client", "role", "environment", "cookbook", "user"),
                    _KNIFE_LIST),
    "data": Tool(allow=opts(_KNIFE), sub={"bag": _KNIFE_LIST}),
    "status": Shape(max_operands=1, allow=opts(_KNIFE + "-H|--hide-by-mins:num "
                                               "-r|--run-list")),
    "--version": _VERSION, "-v": _VERSION})

# --- infrastructure as code ---------------------------------------------------------------------
#: tfsec scans the tree; never --out/-O (writes), --config-file, --custom-check-dir,
#: --rego-policy-dir, --update (replaces its binary)
TFSEC = _c("-f|--format:word -m|--minimum-severity:word -e|--exclude:any -s|--soft-fail "
           "--no-color --tfvars-file:intree --exclude-downloaded-modules --concise-output "
           "--include-passed --include-ignored --force-all-dirs --run-statistics "
           "--workspace:word --exclude-path:any --no-module-downloads --ignore-hcl-errors "
           "-v|--version", 1, check="in-tree")
#: checkov: the tree's files (its secret scanner masks what it finds); never
#: --external-checks-dir/--external-checks-git (Python checks), --config-file,
#: --output-file-path (writes), --bc-api-key/--prisma-api-url (results sent out),
#: --download-external-modules, --ca-certificate
CHECKOV = Shape(max_operands=0, check="checkov-tree", allow=opts(
    "-d|--directory:intree -f|--file:intree --framework:any --skip-framework:any "
    "-c|--check:any --skip-check:any --compact --quiet -o|--output:word --soft-fail "
    "--no-guide --skip-download --hard-fail-on:any --soft-fail-on:any --var-file:intree "
    "--skip-path:any --skip-results-upload --summary-position:word -v|--version",
    abbrev=False))
#: terraform-docs: a module's documentation, printed or written into the module's README
#: (flow.CODE_RUNNERS holds it after the session wrote the tree: .terraform-docs.yml names
#: its output and template); never -c/--config, --header-from/--footer-from (a file read into
#: the output), --output-template (the text written), --output-values(-from) (a file)
_TFDOCS = _c("--output-file:write --output-mode:word --output-check --hide:any --show:any "
             "--indent:num --lockfile:?any --read-comments:?any --recursive "
             "--recursive-path:word --sort:?any --sort-by:word --anchor:?any "
             "--default:?any --escape:?any --required:?any --sensitive:?any --type:?any",
             check="tfdocs")
TERRAFORM_DOCS = Tool(allow=NONE, sub={
    **dict.fromkeys(("json", "pretty", "toml", "xml", "yaml"), _TFDOCS),
    **{f: Tool(allow=NONE, sub=dict.fromkeys(kinds, _TFDOCS), bare=_TFDOCS)
       for f, kinds in (("markdown", ("table", "tbl", "document", "doc")),
                        ("md", ("table", "tbl", "document", "doc")),
                        ("asciidoc", ("table", "tbl", "document", "doc")),
                        ("adoc", ("table", "tbl", "document", "doc")),
                        ("tfvars", ("hcl", "json")))},
    "version": _c("", 0), "--version": _VERSION})

#: packer (Go flags): the tree's templates; never build/init/plugins install/console,
#: validate -evaluate-datasources (runs data sources)
PACKER = Tool(allow=opts("-version -v", "go"), sub={
    "validate": _c("-syntax-only -var:any -var-file:intree -except:any -only:any "
                   "-no-warn-undeclared-var", check="in-tree", style="go"),
    "fmt": _c("-check -diff -recursive -write:?any", check="in-tree", style="go"),
    "inspect": _c("-machine-readable", check="in-tree", style="go"),
    "version": _c("", 0, style="go")})
#: vagrant (the Vagrantfile is Ruby: flow.CODE_RUNNERS holds it after the session wrote the
#: tree): status and configuration; never up/halt/destroy/ssh/provision/reload, box add/remove
_VMR = "--machine-readable "
VAGRANT = Tool(allow=opts(_VMR), sub={
    "status": Shape(check="plain-operands", allow=opts(_VMR)),
    "global-status": Shape(max_operands=0, allow=opts(_VMR)),
    "box": Tool(allow=opts(_VMR), sub={"list": Shape(max_operands=0, allow=opts(
        _VMR + "-i|--box-info"))}),
    "plugin": Tool(allow=opts(_VMR), sub={"list": Shape(max_operands=0, allow=opts(_VMR))}),
    "version": Shape(max_operands=0, allow=opts(_VMR)),
    "ssh-config": Shape(check="plain-operands", max_operands=1, allow=opts(
        _VMR + "--host:word")),
    "port": Shape(check="plain-operands", max_operands=1, allow=opts(_VMR + "--guest:num")),
    "--version": _VERSION, "-v": _VERSION})

# --- platforms (session 12, second batch) ------------------------------------------------------
#: kubeadm: versions, certificate expiry, the images a version needs, an upgrade's plan; never
#: token (prints bootstrap tokens), kubeconfig user (credentials), init/join/reset, certs renew,
#: --config/--kubeconfig/--rootfs
KUBEADM = Tool(allow=NONE, sub={
    "version": _c("-o|--output:word", 0),
    "certs": Tool(allow=NONE, sub={"check-expiration": _c("", 0)}),
    "config": Tool(allow=NONE, sub={"images": Tool(allow=NONE, sub={"list": _c(
        "--kubernetes-version:any --image-repository:any -o|--output:word", 0)})}),
    "upgrade": Tool(allow=NONE, sub={"plan": _c(
        "--allow-experimental-upgrades --allow-release-candidate-upgrades -o|--output:word",
        1)})})
#: helmfile renders helmfile.yaml (a template with exec: flow.CODE_RUNNERS) and runs hooks:
#: the tree's state file only; never sync/apply/destroy/delete/template/build/write-values
#: (rendered values: secrets its vals references fetch), --debug, --helm-binary,
#: --state-values-*, --kubeconfig, --interactive
_HELMFILE = "-f|--file:intree -e|--environment:word -n|--namespace:word --kube-context:word " \
    "-l|--selector:any -q|--quiet --no-color --allow-no-matching-release "
HELMFILE = Tool(allow=opts(_HELMFILE, abbrev=False), sub={
    "list": _c(_HELMFILE + "--output:word --skip-charts", 0),
    "status": _c(_HELMFILE + "--concurrency:num", 0),
    "lint": _c(_HELMFILE + "--skip-deps --concurrency:num", 0),
    # helm-diff redacts Secrets unless --show-secrets (not listed)
    "diff": _c(_HELMFILE + "--skip-deps --detailed-exitcode --context:num --suppress-secrets "
               "--include-tests --output:word --concurrency:num", 0),
    "version": _c("", 0)})
#: microk8s: status; never config (the cluster's credentials), kubectl (judged as kubectl
#: only by its own name), enable/disable/reset/stop
MICROK8S = Tool(allow=NONE, sub={
    "status": _c("--wait-ready --timeout:num --format:word -a|--addon:word", 0),
    "version": _c("", 0)})
#: LXD and Incus: listings and an instance's state; never exec/console/shell, config show/get
#: (environment.* keys), list -f json|yaml or config: columns (the same keys), file pull/push,
#: delete/stop/restart/launch, --debug (API traffic)
_LXC = "--project:word -q|--quiet --force-local "
_LXC_LIST = Tool(allow=opts(_LXC, abbrev=False), sub=dict.fromkeys(
    ("list", "ls"), _c(_LXC + "-c|--columns:any -f|--format:word", check="lxc-list")))
_LXC_TOOL = Tool(allow=opts(_LXC, abbrev=False), sub={
    **dict.fromkeys(("list", "ls"), Shape(check="lxc-list", allow=opts(
        _LXC + "-c|--columns:any -f|--format:word --all-projects --fast", abbrev=False))),
    "info": Shape(check="plain-operands", max_operands=1, allow=opts(
        _LXC + "--resources", abbrev=False)),
    "version": _c(_LXC, 0),
    **dict.fromkeys(("image", "storage", "network", "profile", "remote", "cluster"),
                    _LXC_LIST)})
#: openstack: listings of every kind, details of kinds that carry no user data or stack
#: parameters (never server show (user_data at newer microversions), stack show (template
#: parameters), token issue, credential/ec2 credentials, --os-auth-url/--os-password/
#: --os-token/--os-cert/--os-key, --os-compute-api-version, --debug/-v (the token)
_OS = "--os-cloud:word --os-region-name:word --os-project-name:word --os-interface:word " \
    "-q|--quiet "
_OS_OUT = _OS + "-f|--format:word -c|--column:any --long --all-projects --noindent " \
    "--max-width:num --fit-width --print-empty --sort-column:any --sort-ascending " \
    "--sort-descending --quote:word --limit:num --name:any --status:word "
_OS_LIST = _c(_OS_OUT, 0)
_OS_SHOW = Shape(check="plain-operands", max_operands=1, allow=opts(_OS_OUT, abbrev=False))


def _os(show: bool) -> Tool:
    return Tool(allow=opts(_OS, abbrev=False),
                sub={"list": _OS_LIST, **({"show": _OS_SHOW} if show else {})})


OPENSTACK = Tool(allow=opts(_OS, abbrev=False), sub={
    **{n: _os(False) for n in ("server", "stack", "project", "hypervisor", "host",
                               "endpoint", "service", "keypair", "user")},
    **{n: _os(True) for n in ("subnet", "image", "volume", "flavor", "router", "port")},
    "network": Tool(allow=opts(_OS, abbrev=False), sub={
        "list": _OS_LIST, "show": _OS_SHOW, "agent": _os(False)}),
    "floating": Tool(allow=opts(_OS, abbrev=False), sub={"ip": _os(True)}),
    "security": Tool(allow=opts(_OS, abbrev=False), sub={"group": _os(True)}),
    "compute": Tool(allow=opts(_OS, abbrev=False), sub={"service": _os(False)}),
    "volume-type": _os(False), "--version": _VERSION})
#: heroku: dynos, logs, releases, apps; never config (the app's variables), run/ps:exec
#: (a command on a dyno), ps:kill/restart/scale, auth:token
_HEROKU_APP = "-a|--app:word -r|--remote:word "
HEROKU = Tool(allow=NONE, sub={
    "ps": _c(_HEROKU_APP + "--json", 1, check="plain-operands"),
    "logs": _c(_HEROKU_APP + "-n|--num:num -t|--tail -s|--source:word "
               "-d|--dyno|--process-type:word --force-colors", 0),
    "releases": _c(_HEROKU_APP + "-n|--num:num --json --extended", 0),
    "apps": _c("-A|--all -p|--personal -s|--space:word -t|--team:word --json", 0),
    "status": _c("--json", 0), "--version": _VERSION, "version": _c("", 0)})
#: fly.io: status, logs, releases, apps, machines; never secrets (names and digests are
#: fine but set/unset/import are not), ssh/console/proxy, deploy/destroy, machine status -d
#: (the machine's config: its env), -c/--config, --access-token
_FLY_APP = "-a|--app:word "
FLY = Tool(allow=NONE, sub={
    "status": _c(_FLY_APP + "--json --all", 0),
    "logs": _c(_FLY_APP + "--no-tail -r|--region:word -i|--instance|--machine:word -j|--json",
               0),
    "releases": _c(_FLY_APP + "-j|--json --image", 0),
    "apps": Tool(allow=NONE, sub=dict.fromkeys(("list", "ls"), _c(
        "-j|--json -o|--org:word", 0))),
    **dict.fromkeys(("machines", "machine", "m"), Tool(allow=NONE, sub=dict.fromkeys(
        ("list", "ls"), _c(_FLY_APP + "-j|--json -q|--quiet", 0)))),
    "version": _c("-j|--json", 0)})
#: Elastic Beanstalk's CLI: an environment's status, health, events; never printenv/setenv
#: (its variables), ssh, logs --zip (writes), deploy/terminate/scale, --debug
_EB = "--profile:word --region:word "
EB = Tool(allow=opts(_EB), sub={
    "status": Shape(check="plain-operands", max_operands=1, allow=opts(_EB)),
    "health": Shape(check="plain-operands", max_operands=1, allow=opts(
        _EB + "--view:word --mono")),
    "events": Shape(check="plain-operands", max_operands=1, allow=opts(_EB + "-f|--follow")),
    "list": Shape(max_operands=0, allow=opts(_EB + "-a|--all"))})
#: SBOMs and vulnerability scans of one image or a directory of the tree: never --file (writes),
#: -o FORMAT=FILE (writes: the word kind has no ``=``), -t/--template (a template file),
#: -c/--config, attest (signs and pushes), login, db update/import (grype's database)
SYFT = _c("-o|--output:word --scope:word --platform:any --exclude:any -q|--quiet "
          "--select-catalogers:any --source-name:word --source-version:word",
          check="sbom-source")
GRYPE = _c("-o|--output:word --only-fixed --only-notfixed -f|--fail-on:word --scope:word "
           "--platform:any --exclude:any -q|--quiet --add-cpes-if-none --by-cve "
           "--show-suppressed --distro:any", check="sbom-source")
#: cosign: verification and a signature tree of one image (a public key of the tree);
#: never sign/attest/generate-key-pair/upload/copy/clean, --key from a KMS or the cluster
COSIGN = Tool(allow=NONE, sub={
    "verify": _c("--key:intree --certificate-identity:any --certificate-identity-regexp:any "
                 "--certificate-oidc-issuer:any --certificate-oidc-issuer-regexp:any "
                 "-o|--output:word", check="one-image"),
    "tree": _c("", check="one-image"),
    "triangulate": _c("--type:word", check="one-image"),
    "version": _c("", 0)})
#: kops: clusters and instance groups of the state store the environment names; never get
#: secrets, export kubecfg (credentials), create/delete/update/rolling-update, --state
_KOPS = "--name:word -o|--output:word "
#: never -o yaml|json for a cluster or instance group: file assets and additional user data
_KOPS_GET = _c("--name:word", 1)
KOPS = Tool(allow=opts("--name:word", abbrev=False), sub={
    "get": Tool(allow=opts("--name:word", abbrev=False), sub=dict.fromkeys(
        ("clusters", "cluster", "instancegroups", "instancegroup", "ig"), _KOPS_GET)),
    "validate": Tool(allow=opts("--name:word", abbrev=False), sub={"cluster": _c(
        _KOPS + "--wait:any --count:num", 1)}),
    "version": _c("--short", 0)})
#: tfenv: the installed and available versions; never install/use/uninstall
TFENV = Tool(allow=NONE, sub={n: Shape(max_operands=0, allow=NONE) for n in (
    "list", "list-remote", "version-name")}, bare=None)
#: linode-cli: listings and views; never --as-user (another user's token), --debug (the
#: token), --config, create/update/delete actions
_LINODE = "--text --json --pretty --no-headers --all-columns --format:any --delimiter:any " \
    "--suppress-warnings --page:num --page-size:num "
LINODE_CLI = Tool(allow=opts(_LINODE, abbrev=False), sub={
    n: Tool(allow=opts(_LINODE, abbrev=False), sub={
        "list": _c(_LINODE, 0), "view": Shape(check="plain-operands", max_operands=1,
                                              allow=opts(_LINODE, abbrev=False))})
    for n in ("linodes", "volumes", "domains", "nodebalancers", "images", "regions")})

ENTRIES: dict[str, Entry] = {
    "argocd": ARGOCD, "flux": FLUX, "istioctl": ISTIOCTL, "linkerd": LINKERD,
    "stern": STERN, "kubetail": KUBETAIL, "kubectx": _KUBECTX, "kubens": _KUBECTX,
    "velero": VELERO, "k9s": K9S, "kubeconform": KUBECONFORM, "kubeval": KUBEVAL,
    "kube-score": KUBE_SCORE, "kube-linter": KUBE_LINTER, "popeye": POPEYE, "k3d": K3D,
    "ctr": CTR, "nerdctl": NERDCTL, "buildah": BUILDAH, "dive": DIVE,
    "lazydocker": LAZYDOCKER, "ctop": CTOP, "crane": CRANE, "regctl": REGCTL,
    "hcloud": HCLOUD, "ansible-doc": ANSIBLE_DOC, "ansible-lint": ANSIBLE_LINT,
    "salt": SALT, "salt-call": SALT_CALL, "salt-run": SALT_RUN, "salt-key": SALT_KEY,
    "puppet": PUPPET, "facter": FACTER, "knife": KNIFE, "tfsec": TFSEC, "checkov": CHECKOV,
    "packer": PACKER, "vagrant": VAGRANT, "terraform-docs": TERRAFORM_DOCS,
    "kubeadm": KUBEADM, "helmfile": HELMFILE, "microk8s": MICROK8S, "lxc": _LXC_TOOL,
    "incus": _LXC_TOOL, "openstack": OPENSTACK, "heroku": HEROKU, "fly": FLY, "flyctl": FLY,
    "eb": EB, "syft": SYFT, "grype": GRYPE, "cosign": COSIGN, "kops": KOPS, "tfenv": TFENV,
    "linode-cli": LINODE_CLI,
}
