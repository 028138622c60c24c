"""Commands that print secrets (the environment, secret stores, credentials of a cluster or
cloud), recursive readers of trees that hold secrets, and remote commands that carry local
output off the host. Data first; evaluated as rules, so they hold whatever the catalogue or a
grant's ``allow:`` says. Pure.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable

from . import cloud
from .find import artifacts_only, exec_commands
from .grep import SEARCHERS, reads_only_source
from .options import parse_opts
from .parse import SimpleCommand, command_name, unwrap
from .secret_paths import climb_past_name, maybe_secret_path

#: (command, leading words, condition): the command with those words (options skipped)
#: prints secrets when ``condition`` holds of its arguments (``always``: in any form).
#: Conditions: ``always``, ``no-operands`` (a dump of everything), ``secret-names`` (an
#: operand names a secret-looking variable), ``reveal-output`` (-o yaml/json/template...),
#: ``no-safe-format`` (no --format limited to harmless fields), ``decrypt`` (an option that
#: asks for decrypted values).
REVEALING: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("printenv", (), "no-operands"), ("printenv", (), "secret-names"),
    ("env", (), "no-command"), ("set", (), "no-args"), ("export", (), "print"),
    ("declare", (), "print"), ("typeset", (), "print"), ("readonly", (), "print"),
    ("local", (), "print"), ("compgen", (), "vars"),
    ("jq", (), "jq-env"), ("gojq", (), "jq-env"), ("yq", (), "jq-env"),
    ("ps", (), "ps-env"),
    ("terraform", ("output",), "tf-output"), ("tofu", ("output",), "tf-output"),
    ("terraform", ("show",), "always"), ("tofu", ("show",), "always"),
    ("terraform", ("state", "pull"), "always"), ("terraform", ("state", "show"), "always"),
    ("terragrunt", ("output",), "tf-output"), ("terragrunt", ("show",), "always"),
    ("tofu", ("state", "pull"), "always"), ("tofu", ("state", "show"), "always"),
    ("terragrunt", ("state", "pull"), "always"), ("terragrunt", ("state", "show"), "always"),
    ("terragrunt", ("run-all", "output"), "tf-output"),
    ("terragrunt", ("run-all", "show"), "always"), ("terragrunt", ("run", "output"), "tf-output"),
    ("pulumi", ("stack", "output"), "pulumi-secrets"), ("pulumi", ("config",), "pulumi-secrets"),
    ("helm", ("get", "values"), "always"), ("helm", ("get", "all"), "always"),
    ("helm", ("get", "manifest"), "always"),
    ("docker", ("inspect",), "no-safe-format"), ("docker", ("container", "inspect"),
                                                  "no-safe-format"),
    ("docker", ("image", "inspect"), "no-safe-format"),
    ("podman", ("inspect",), "no-safe-format"), ("nerdctl", ("inspect",), "no-safe-format"),
    # an image's config carries its ENV values; a CRI container's spec its environment
    ("skopeo", ("inspect",), "no-safe-format"), ("crictl", ("inspect",), "always"),
    # (red team s16) an image's full layer commands: ENV values and build arguments
    *((tool, lead, "history-full") for tool in ("docker", "podman", "nerdctl")
      for lead in (("history",), ("image", "history"))),
    ("crictl", ("inspecti",), "always"), ("crictl", ("inspectp",), "always"),
    # the merged file with its interpolated values, unless it lists only names or validates
    ("docker", ("compose", "config"), "compose-config"),
    ("docker-compose", ("config",), "compose-config"),
    ("kubectl", ("get",), "k8s-secret-output"), ("oc", ("get",), "k8s-secret-output"),
    ("kubectl", ("config", "view"), "k8s-raw"), ("kubectl", ("create", "token"), "always"),
    ("kubectl", ("get",), "k8s-raw-api"),
    # a workload's full spec carries its env values, as docker inspect does
    ("kubectl", ("get",), "k8s-workload-output"), ("oc", ("get",), "k8s-workload-output"),
    ("systemctl", ("show-environment",), "always"), ("systemctl", ("show",), "systemd-env"),
    # cloud CLIs: cloud.CLOUD_SECRETS, read the way each CLI reads its line
    ("aws", (), "cloud-secret"), ("gcloud", (), "cloud-secret"), ("az", (), "cloud-secret"),
    ("doctl", (), "cloud-secret"), ("gsutil", (), "cloud-secret"),
    ("vault", ("kv", "get"), "always"), ("vault", ("read",), "always"),
    ("vault", ("kv", "patch"), "never"), ("vault", ("token", "create"), "always"),
    ("vault", ("print", "token"), "always"), ("vault", ("login",), "always"),
    ("gh", ("auth", "token"), "always"), ("gh", ("auth", "status"), "show-token"),
    ("glab", ("auth", "status"), "show-token"),
    ("op", ("read",), "always"), ("op", ("item", "get"), "always"),
    ("pass", ("show",), "always"), ("gopass", ("show",), "always"),
    ("sops", (), "sops-decrypt"), ("ansible-vault", ("view",), "always"),
    ("ansible-vault", ("decrypt",), "always"), ("age", (), "age-decrypt"),
    ("systemd-creds", ("decrypt",), "always"), ("systemd-creds", ("cat",), "always"),
    ("git", ("credential", "fill"), "always"), ("git", ("credential-store",), "always"),
    ("gpg", (), "gpg-export-secret"), ("mysql_config_editor", ("print",), "always"),
    ("heroku", ("config",), "always"), ("heroku", ("auth:token",), "always"),
    ("consul", ("kv", "get"), "always"),
    ("etcdctl", ("get",), "always"), ("security", ("find-generic-password",), "always"),
    ("security", ("find-internet-password",), "always"), ("keyctl", ("print",), "always"),
    ("keyctl", ("pipe",), "always"), ("wg", ("showconf",), "always"),
    ("wg", ("show",), "wg-private"),
)

_BY_NAME: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
for _entry in REVEALING:
    _BY_NAME.setdefault(_entry[0], []).append(_entry)
#: option words that take a value, per tool, so the leading words are found past them
_VALUE_OPTS = {
    "kubectl": {"-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s",
                "--server", "--user", "--as", "-l", "--selector", "-o", "--output", "-f",
                "--filename", "-c", "--container", "--request-timeout", "--token"},
    "helm": {"-n", "--namespace", "--kube-context", "--kubeconfig", "--revision", "-o",
             "--output"},
    "docker": {"--context", "-c", "-H", "--host", "--config", "-l", "--log-level", "-f",
               "--format", "--type", "-p", "--project-name", "--file", "--env-file"},
    "systemctl": {"-p", "-P", "--property", "-H", "--host", "-M", "--machine", "-t", "--type",
                  "--state", "-n", "--lines", "-o", "--output", "--what", "--signal", "-s",
                  "--kill-whom", "--root", "--job-mode"},
    "crictl": {"-r", "--runtime-endpoint", "-i", "--image-endpoint", "-t", "--timeout", "-c",
               "--config"},
    "skopeo": {"--command-timeout", "--override-arch", "--override-os", "--override-variant",
               "--policy", "--registries.d", "--tmpdir", "--format", "-f", "--retry-times"},
    "terraform": {"-chdir", "-state"}, "vault": {"-address", "-namespace", "-field",
                                                 "-format", "-mount"},
}
_SECRET_VAR = re.compile(r"SECRET|TOKEN|PASS|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|"
                         r"API|CERT|SIGNING|SALT|DSN|DATABASE_URL|UR[LI]S?$|CONN|WEBHOOK|"
                         r"(?:^|_)PAT(?:_|$)|_PWD?$|(?:^|_)PW$|BEARER|JWT|MNEMONIC|SEED|"
                         r"(?:^|_)SAS(?:_|$)|OTP", re.I)
#: (session 17) every -o but a table's (wide) and names: a format kubectl adds (kyaml in
#: 1.35) prints the object as yaml and json do
_REVEALING_OUTPUT = re.compile(r"^=?(?!(?:wide|name)$)", re.I)
#: kinds (singular, short names too) whose object carries a pod spec with env values
_WORKLOAD = frozenset({
    "pod", "po", "deployment", "deploy", "statefulset", "st", "daemonset", "d",
    "replicaset", "r", "job", "cronjob", "cj", "replicationcontroller", "rc", "all",
    "podtemplate", "deploymentconfig", "dc", "buildconfig", "bc",
    # each revision's whole pod template (harmful set s15)
    "controllerrevision", "controllerrevisions"})
#: what a field path may print of a workload without printing its env: status, the names
#: under metadata (annotations keep last-applied-configuration, the whole object), and
#: the leaves of a spec named here
_SAFE_META = frozenset({"name", "namespace", "labels", "uid", "creationTimestamp", "generation",
                        "resourceVersion", "ownerReferences", "deletionTimestamp"})
_SAFE_SPEC_LEAF = frozenset({"image", "imagePullPolicy", "name", "replicas", "nodeName",
                             "schedule", "suspend", "serviceAccountName", "containerPort",
                             "restartPolicy", "priorityClassName", "hostNetwork", "paused",
                             "parallelism", "completions", "backoffLimit", "revisionHistoryLimit"})
_CONTAINERS = frozenset({"containers", "initContainers", "ephemeralContainers"})


def _container_quantities(comps: list[str]) -> bool:
    """(session 15) A container's requests and limits or its ports (``.spec.containers[0]
    .resources.requests.cpu``): quantities only, never another kind's ``resources``."""
    return any(comps[k] in ("resources", "ports") and comps[k - 1] in _CONTAINERS
               for k in range(1, len(comps)))
_PATH = re.compile(r"(?<![A-Za-z0-9_\])}$])((?:\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])*)+)")
#: anything in a field path or template that is not a plain path: ``.`` alone, ``..``,
#: ``@``, ``*`` as a field, template functions and pipelines (a field component of the same
#: name, ``.spec.template.spec``, is a path: its leaves are judged as any other)
_OPAQUE_TEMPLATE = re.compile(r"\{\s*\}|\.(?![A-Za-z_])|@|\.\*|(?<![.\w])(with|define|template|"
                              r"block|index|printf|print|println|js|json|toJson|toYaml|call|"
                              r"slice|html|urlquery|\$)\b|\$|\|", re.I)


def _workload_fields_safe(text: str) -> bool:
    """Every path ``text`` (a jsonpath, custom-columns or go-template) prints is a status,
    a name under metadata, or a listed spec leaf."""
    if _OPAQUE_TEMPLATE.search(text):
        return False
    for m in _PATH.finditer(text):
        before = text[:m.start()].rstrip()
        if before.endswith("range"):
            continue  # iterated over, not printed
        comps = [c.split("[", 1)[0] for c in m.group(1).split(".")[1:]]
        if comps and comps[0] == "items":
            comps = comps[1:]
        if not comps:
            return False
        head = comps[0]
        if head == "status":
            continue
        if head == "metadata" and len(comps) > 1 and comps[1] in _SAFE_META:
            continue
        if head == "spec" and (comps[-1] in _SAFE_SPEC_LEAF or _container_quantities(
                comps)) and not any(c in ("env", "envFrom", "args", "command", "volumes")
                                    for c in comps):
            continue
        return False
    return True


_SECRET_KIND = re.compile(r"(^|,)(secrets?|all)(/|,|$|\.)", re.I)
#: docker inspect fields that hold no environment, command line or mounted secret
_SAFE_FIELD = re.compile(r"\.(State|Name|Id|Image|Created|RestartCount|NetworkSettings|Driver|"
                         r"Platform|SizeRw|SizeRootFs|RepoTags|RepoDigests|Architecture|Os|"
                         r"Size|Digest|Layers)\b")
#: the columns of ``docker history`` that print no layer's command
_HISTORY_FIELD = re.compile(r"\.(?:ID|CreatedSince|CreatedAt|Size|Comment|Tags?)")
_FIELD = re.compile(r"(?<![A-Za-z0-9_\]\)])\.[A-Za-z_][A-Za-z0-9_]*+|\{\{\s*+\.?\s*+\}\}|"
                    r"\bjson\s++\.(?=\s|\})")


def _words(c: SimpleCommand) -> tuple[list[str], list[str]]:
    """(the command's non-option words in order, its option words); values of options the
    tool takes are neither."""
    vals = _VALUE_OPTS.get(c.name, set())
    words, options = [], []
    args = list(c.args)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            words.extend(args[i + 1:])
            break
        if a.startswith("-") and a != "-":
            options.append(a)
            if a in vals and i + 1 < len(args):
                options.append(args[i + 1])
                i += 2
                continue
        else:
            words.append(a)
        i += 1
    return words, options


#: ``kubectl get --raw`` paths that print no object: health checks, the version, metrics
K8S_HEALTH = re.compile(r"/(?:(?:healthz|livez|readyz)(?:/[A-Za-z0-9_-]{1,64})?"
                         r"(?:\?verbose(?:=true)?)?|version/?|metrics|"
                         # the metrics API: CPU and memory of nodes and pods
                         r"apis/metrics\.k8s\.io/v1beta1(?:/namespaces/[a-z0-9-]{1,63})?"
                         r"/(?:nodes|pods)(?:/[a-z0-9][a-z0-9.-]{0,252})?)")


#: a projection of an instance's metadata (its items: startup scripts, kube-env)
_METADATA_FIELD = re.compile(r"(?i)metadata|items|startup|kube|script|ssh")


def _opt_value(options: list[str], *names: str) -> list[str]:
    out = []
    for i, a in enumerate(options):
        for n in names:
            if a == n and i + 1 < len(options):
                out.append(options[i + 1])
            elif a.startswith(n + "=") or (len(n) == 2 and a.startswith(n) and len(a) > 2):
                out.append(a[len(n):].lstrip("="))
    return out


#: an output projection of named fields (gcloud ``--format='value(status.url)'``, aws and az
#: ``--query 'Service.Status'``) and the words a field that holds a secret has in its name
_PROJECTION = re.compile(r"(?:value|get|csv|table|list)\(([\w.\[\]:, ]{1,300}+)\)")
_SECRET_FIELD = re.compile(r"(?i)env|secret|password|passwd|token|key|credential|variable|"
                           r"cert|auth|conn|config|spec|template|data|service|function|job|"
                           r"revision|container|image|@")


def named_fields_only(c: SimpleCommand) -> bool:
    """Every output option of the call prints only fields it names, none of which holds a
    secret or a whole specification (``--format='value(status.url)'``, ``--query
    'Service.Status'``); the CLI reads them all (the last one wins)."""
    seen = False
    for i, a in enumerate(c.args):
        name, eq, value = a.partition("=")
        if name not in ("--format", "--query"):
            continue
        at = i + 1 if eq else i + 2  # argv index of the value
        if not eq:
            value = c.args[i + 1] if i + 1 < len(c.args) else ""
        if at < len(c.dynamic) and c.dynamic[at]:
            return False
        if name == "--query":
            if not re.fullmatch(r"[\w.\[\]*, {}:'\"=`-]{1,300}+", value):
                return False
            fields = value
        else:
            m = _PROJECTION.fullmatch(value)
            fields = m.group(1) if m else ""
        if not fields or _SECRET_FIELD.search(fields) or "*" in fields:
            return False
        seen = True
    return seen


def projection_hides(c: SimpleCommand, why: str) -> bool:
    """A cloud describe returning ``why`` prints only named fields that hold none of it."""
    return why in cloud.PROJECTABLE and named_fields_only(c) and not (
        why == cloud.RETURNS_METADATA and any(_METADATA_FIELD.search(a) for a in c.args))


def _condition(cond: str, c: SimpleCommand, rest: list[str], options: list[str]) -> bool:
    if cond == "always":
        return True
    if cond == "cloud-secret":
        call = cloud.parse_call(c.name, c.args, strict=False)
        why = None if isinstance(call, str) else cloud.secret_operation(c.name, call)
        return why is not None and not projection_hides(c, why)
    if cond == "compose-config":
        # --services/--volumes/--images/--profiles print names, -q prints nothing (session 12)
        return not any(o in ("--services", "--volumes", "--images", "--profiles", "-q",
                             "--quiet") for o in options)
    if cond == "never":
        return False
    if cond == "no-operands":
        return not rest
    if cond == "secret-names":
        return any(_SECRET_VAR.search(w) for w in rest) or any(c.dynamic[1:])
    if cond == "no-command":
        # env with no command prints the environment (-u/-i only change what it prints)
        nxt, strings = unwrap(c)
        return nxt is None and not strings
    if cond == "no-args":
        return not c.args
    if cond == "print":
        return not c.args or any(o in ("-p", "-x", "-px", "-xp") for o in options) and not \
            any("=" in w for w in rest)
    if cond == "vars":
        return any(o in ("-v", "-e", "-A") for o in options)
    if cond == "jq-env":
        return any(re.search(r"(^|[^A-Za-z0-9_$.])(\$?ENV|env)\b", w) for w in c.args)
    if cond == "ps-env":
        return ps_environment(c.args)
    if cond == "tf-output":
        # -json/-raw print sensitive values in plain text, and sources disagree on whether a
        # named output is redacted: only the bare listing (which redacts them) is ordinary
        # (``rest`` starts with the subcommand)
        return len(rest) > 1 or any(o.lstrip("-").split("=")[0] in ("json", "raw")
                                 for o in options)
    if cond == "pulumi-secrets":
        return any(o.split("=")[0] in ("--show-secrets",) for o in options)
    if cond == "no-safe-format":
        fmts = _opt_value(options, "--format", "-f")
        if not fmts:
            return True
        for f in fmts:
            fields = _FIELD.findall(f)
            if not fields or any(not _SAFE_FIELD.match(x) for x in fields):
                return True
        return False
    if cond == "history-full":
        # --no-trunc prints each layer's whole command (a truncated one cuts at 45
        # characters); a --format may name only the fields that are no command
        if any(o == "--no-trunc" or (o.startswith("--no-trunc=") and
                                     o.split("=", 1)[1].lower() not in ("false", "0"))
               for o in options):
            return True
        for f in _opt_value(options, "--format"):
            fields = _FIELD.findall(f)
            if f.strip().lower() == "json" or not fields or any(
                    not _HISTORY_FIELD.fullmatch(x) for x in fields):
                return f.strip().lower() != "table"
        return False
    if cond == "k8s-secret-output":
        kinds = rest[1:2] if rest else []
        secretish_kind = any(_SECRET_KIND.search(k) or k.lower().startswith("secret")
                             for k in kinds) or any(
            w.lower().startswith(("secret/", "secrets/")) for w in rest[1:])
        outputs = _opt_value(options, "-o", "--output")
        template = any(o.startswith(("--template", "--go-template")) for o in options)
        return secretish_kind and (template or any(_REVEALING_OUTPUT.match(o) for o in
                                                   outputs))
    if cond == "k8s-workload-output":
        # the kind may come from a file (-f) or be several (``all``, ``pod,deploy``); a
        # field path or template that reaches no spec, env or data prints status only
        kinds = rest[1:2] if rest else []
        workload = not kinds or any(
            "," in k or k.lower().split("/")[0].split(".")[0] in _WORKLOAD or
            k.lower().split("/")[0].split(".")[0].removesuffix("s") in _WORKLOAD
            for k in kinds)
        outputs = [o for o in _opt_value(options, "-o", "--output")
                   if _REVEALING_OUTPUT.match(o)]
        templates = _opt_value(options, "--template")
        if not outputs and any(o.startswith("--templ") for o in options):
            outputs = ["go-template"]  # kubectl's output with --template and no -o
        if not workload or not outputs:
            return False
        for o in outputs:
            kind, _, text = o.lstrip("=").partition("=")
            if kind.lower() in ("yaml", "json", "jsonpath-file", "go-template-file",
                                "template-file", "custom-columns-file") or not text:
                text = " ".join(templates)
                if not text or kind.lower() in ("yaml", "json") or kind.endswith("-file"):
                    return True
            if not _workload_fields_safe(text):
                return True
        return False
    if cond == "systemd-env":
        props = _opt_value(options, "-p", "--property", "-P")
        return not props or any("environment" in p.lower() for p in props)
    if cond == "k8s-raw":
        return any(o.startswith(("--raw", "--flatten")) for o in options)
    if cond == "k8s-raw-api":
        # the API server's health, version and metrics endpoints hold no object (session 12)
        paths = [a.partition("=")[2] if "=" in a else
                 (c.args[i + 1] if i + 1 < len(c.args) else "")
                 for i, a in enumerate(c.args) if a == "--raw" or a.startswith("--raw=")]
        return any(o.startswith("--raw") for o in options) and not (
            paths and all(K8S_HEALTH.fullmatch(p) for p in paths))
    if cond == "decrypt":
        return any(o.startswith("--with-decryption") for o in options)
    if cond == "show-token":
        return any(o in ("-t", "--show-token") for o in options)
    if cond == "sops-decrypt":
        return any(o in ("-d", "--decrypt") for o in options) or (rest[:1] == ["decrypt"])
    if cond == "age-decrypt":
        return any(o in ("-d", "--decrypt") for o in options)
    if cond == "gpg-export-secret":
        return any(o.startswith(("--export-secret", "--export-ssh-key")) or
                   o in ("-d", "--decrypt") for o in options)
    if cond == "wg-private":
        return "private-key" in rest
    raise ValueError(f"unknown condition {cond!r}")


#: the names a command has for :func:`reveals` to find anything in it
REVEAL_NAMES = frozenset(_BY_NAME)


#: names of variables that hold a secret's value (narrower than what printenv NAME is held
#: for: SSH_AUTH_SOCK or SESSION_ID name no secret a shell prints)
_SECRET_VALUE = re.compile(
    r"SECRET|TOKEN|PASSW(?:OR)?D|(?:^|_)PASS$|(?:^|_)(?:API_?)?KEY$|_KEY_|PRIVATE|CREDENTIAL|"
    r"DSN$|COOKIE|SIGNING|"
    # (red team s16) a service's address carries its user:password (DATABASE_URL, REDIS_URL,
    # CELERY_BROKER_URL, MONGODB_URI, AMQP_URL), a webhook's address is its secret
    # (SLACK_WEBHOOK_URL), and so does a connection string (DB_CONN, *_CONNECTION_STRING)
    r"(?:^|_)UR[LI]S?$|WEBHOOK|(?:^|_)CONN(?:ECTION)?(?:_|$)|CONNSTR|CONNECTION_?STRING|"
    # a personal access token (GITHUB_PAT), a password by its short names (DB_PWD, PG_PW)
    r"(?:^|_)PAT(?:_|$)|_PWD$|(?:^|_)PW$|(?:^|_)SALT$|BEARER|(?:^|_)JWT(?:_|$)|MNEMONIC|"
    r"SEED_?PHRASE|(?:^|_)SAS(?:_|$)|(?:^|_)OTP(?:_|$)|"
    # AUTH, NPM_AUTH, AUTHORIZATION (not SSH_AUTH_SOCK, a socket's path); a session's value
    # (SESSION, SESSION_DATA; not XDG_SESSION_ID or DBUS_SESSION_BUS_ADDRESS); a certificate's
    # body (TLS_CERT, CLIENT_CERTIFICATE_PEM; not SSL_CERT_FILE, a path)
    r"(?:^|_)AUTH(?:ORIZATION|TOKEN|KEY)?(?:$|_(?!SOCK$))|(?:^|_)SESSIONS?$|SESSION_?DATA|"
    r"SESSION_?STRING|(?:^|_)CERT(?:IFICATE)?(?:_(?:PEM|DATA|B64|BASE64|BODY|CONTENT))?$|"
    # (harmful set s16) a passphrase (BORG_PASSPHRASE, GPG_PASSPHRASE), its short spellings
    # (SMTP_PASSWD, VPN_PASSCODE, DB_PSWD, LDAP_PASS_FILE), a pre-shared key, an unseal key,
    # an HMAC secret, a PIN
    r"PASSPHRASE|PASSWD|PASSCODE|PSWD|(?:^|_)PASS_|(?:^|_)PSK(?:_|$)|UNSEAL|HMAC|PRIVKEY|"
    r"(?:^|_)PIN$",
    re.I)


def secret_name(name: str) -> bool:
    """A variable name that looks like it holds a secret (``AWS_SECRET_ACCESS_KEY``)."""
    return bool(_SECRET_VALUE.search(name))


def reveals(c: SimpleCommand) -> str | None:
    """What ``c`` prints that is secret (``printenv``, ``kubectl get secret -o yaml``), or
    None."""
    if not c.argv or c.name_is_dynamic or c.name not in _BY_NAME:
        return None
    words, options = _words(c)
    for name, lead, cond in _BY_NAME[c.name]:
        if [w.lower() for w in words[:len(lead)]] != list(lead):
            continue
        if _condition(cond, c, words, options):
            return " ".join((name, *lead))
    return None


# --- recursive readers of trees that hold secrets ---------------------------------------------
#: directories that hold secrets somewhere below them: every home, system configuration,
#: service state, process and secret mounts. A tree is one of these, an ancestor of one, or
#: a secret place itself.
SECRET_TREES: tuple[str, ...] = (
    "/", "/etc", "/etc/ssh", "/etc/ssl", "/etc/ssl/private", "/etc/pki", "/etc/kubernetes",
    "/etc/rancher", "/etc/mysql", "/etc/wireguard", "/etc/letsencrypt", "/etc/sudoers.d",
    "/etc/NetworkManager", "/root", "/home", "/home/*", "/var", "/var/lib", "/var/lib/*",
    "/var/backups", "/var/lib/rancher", "/var/lib/kubelet", "/run", "/var/run", "/run/secrets",
    "/var/run/secrets", "/proc", "/proc/*",
    # (red team s15 A3) every thread's environ and open files
    "/proc/*/task", "/proc/*/task/*", "/proc/*/fd", "/proc/*/task/*/fd",
    "/srv", "/opt", "/data", "/mnt", "/media",
    "/Users", "/Users/*", "~", "/~",
)
_TREES = tuple(tuple(t.rstrip("/").split("/")) if t != "/" else ("",) for t in SECRET_TREES)
#: recursive readers: tool -> options that make it recurse (``*``: always), which operands
#: are read (``all`` | ``not-last`` | ``after-first``)
RECURSIVE: dict[str, tuple[tuple[str, ...], str]] = {
    "grep": (("-r", "-R", "--recursive", "--dereference-recursive"), "after-first"),
    "egrep": (("-r", "-R", "--recursive"), "after-first"),
    "fgrep": (("-r", "-R", "--recursive"), "after-first"),
    "zgrep": (("-r", "-R", "--recursive"), "after-first"),
    "rg": (("*",), "after-first"), "ag": (("*",), "after-first"), "ack": (("*",), "after-first"),
    "tar": (("*",), "tar"), "bsdtar": (("*",), "tar"),
    "zip": (("-r", "--recurse-paths", "-R"), "after-first"), "7z": (("*",), "7z"),
    "cp": (("-r", "-R", "--recursive", "-a", "--archive"), "not-last"),
    "rsync": (("-r", "--recursive", "-a", "--archive"), "not-last"),
    "scp": (("-r",), "not-last"), "cpio": (("*",), "all"), "find": (("*",), "find"),
    # diff -r prints every file of both trees that the other lacks (-N) or differs in
    "diff": (("-r", "--recursive"), "all"),
}


def tree_holds_secrets(d: str, working_tree_top: bool = True) -> bool:
    """``d`` (a directory operand) is, contains or could be a place secrets live. ``.`` and
    ``*`` are the top of the working directory, which in an exec session is the home
    directory (``working_tree_top``)."""
    if d in (".", "./", "*", "", ".*", "./*") and working_tree_top:
        return True
    q = d.rstrip("/") or "/"
    if maybe_secret_path(q):
        return True
    if q.startswith("~"):
        # ~NAME is another account's home (~root, ~ubuntu) or a service's data directory
        # (~postgres, ~backup): judged as a home of /home; ~ alone is the login's own
        name, slash, rest = q[1:].partition("/")
        q = ("/~" if not name else "/home/" + name) + slash + rest
    if q.startswith("$HOME") or q.startswith("${HOME}"):
        q = "/~" + q.split("}", 1)[-1][5 if q.startswith("$HOME") else 0:]
    if not q.startswith("/"):
        # a subdirectory of the working tree, unless it climbs out of it (``..``)
        return working_tree_top and ".." in q.split("/")
    if any(ch in q for ch in "*?[{$`"):
        pattern = q.split("/")
        if not any(ch in q for ch in "{$`") and not any(
                p.startswith(".") and any(ch in p for ch in "*?[") for p in pattern):
            # a pattern of *?[ only matches names at its own depth (never ``..``): the
            # trees are those it can name, each judged as a plain directory would be
            return any(_names_ancestor(pattern, t) for t in _TREES)
        # the literal directory the pattern starts in: the tree may be any part of it
        lit = []
        for comp in q.split("/"):
            if any(ch in comp for ch in "*?[{$`"):
                break
            lit.append(comp)
        q = "/".join(lit) or "/"
        comps = tuple(q.split("/")) if q != "/" else ("",)
        return any(_ancestor(comps, t) for t in _TREES) or any(
            _ancestor(t, comps) for t in _TREES)
    if climb_past_name(q) >= 0:
        # past a symlink (/var/run/../home) ``..`` climbs from where the link points
        return True
    q = posixpath.normpath(q)
    comps = tuple(q.split("/")) if q != "/" else ("",)
    return any(_ancestor(comps, t) for t in _TREES)


def _names_ancestor(pattern: list[str], b: tuple[str, ...]) -> bool:
    """A path the glob ``pattern`` (components) matches can be ``b`` or a directory above it
    (a component of ``b`` that is itself a glob, ``/home/*``, matches anything)."""
    if len(pattern) > len(b):
        return False
    return all(p == y or fnmatch.fnmatchcase(y, p) or any(ch in y for ch in "*?[")
               for p, y in zip(pattern, b, strict=False))


def _ancestor(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """``a`` is ``b`` or a directory above it (``b``'s components may be globs)."""
    if len(a) > len(b):
        return False
    return all(x == y or fnmatch.fnmatchcase(x, y) for x, y in zip(a, b, strict=False))


def _recurses(c: SimpleCommand, how: tuple[str, ...]) -> bool:
    if "*" in how:
        return True
    for a in c.args:
        if a in how or a.split("=", 1)[0] in how:
            return True
        if a.startswith("-") and not a.startswith("--") and any(
                len(h) == 2 and h[1] in a[1:] for h in how if h.startswith("-") and
                not h.startswith("--")):
            return True
    return False


def tree_operands(c: SimpleCommand) -> tuple[str, ...]:
    """The operands a recursive reader takes in whole that hold secrets."""
    spec = RECURSIVE.get(c.name)
    if spec is None or not c.argv:
        return ()
    how, which = spec
    if not _recurses(c, how):
        return ()
    source: Callable[[str], bool] = lambda _tree: False  # noqa: E731
    if c.name in SEARCHERS:
        p = parse_opts(SEARCHERS[c.name], c.args)
        if not isinstance(p, str):
            pairs = p.pairs
            source = lambda tree: reads_only_source(c.name, pairs, tree)  # noqa: E731
    ops = [a for a in c.args if not a.startswith("-") or a == "-"]
    if which == "after-first":
        explicit = any(a in ("-e", "-f", "--regexp", "--file") or a.startswith(
            ("--regexp=", "--file=")) for a in c.args)
        ops = ops if explicit else ops[1:]
    elif which == "not-last":
        ops = ops[:-1]
        ops = [o for o in ops if ":" not in o]  # (remote sources are the remote's matter)
    elif which == "tar":
        if not any(a.startswith("-") and "c" in a[1:] or a in ("--create",) or (
                i == 0 and not a.startswith("-") and "c" in a) for i, a in enumerate(c.args)):
            return ()
        ops = _tar_members(c)
    elif which == "7z":
        ops = ops[2:] if ops[:1] == ["a"] else []
    elif which == "find":
        roots = []
        for a in c.args:
            if a.startswith("-") or a in ("(", "!"):
                break
            roots.append(a)
        reading = (any(command_name(inner[0]) not in ("ls", "stat", "file", "du", "wc", "echo",
                                                      "basename", "dirname")
                       for _, inner in exec_commands(c.args)) or "-fprint" in c.args) and \
            not artifacts_only(c.args, c.dynamic[1:])  # an rm of build artifacts reads none
        # with no starting point find walks the working directory
        ops = (roots or ["."]) if reading else []
    # a grep of the working tree that reads only source files (grep.reads_only_source)
    return tuple(o for o in ops if tree_holds_secrets(o) and not source(o))


def _tar_members(c: SimpleCommand) -> list[str]:
    """tar's operands other than the archive and -C directory."""
    out: list[str] = []
    args = list(c.args)
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a in ("-f", "--file", "-C", "--directory", "-T", "--files-from", "-X",
                 "--exclude-from", "-I", "--use-compress-program", "-b", "-H", "--format"):
            skip = True
            continue
        if a.startswith("-"):
            if not a.startswith("--") and a[1:].endswith(("f", "C")):
                skip = True
            continue
        if i == 0 and a.isalpha() and any(x in a for x in "cxtru"):
            skip = "f" in a  # old style: tar czf ARCHIVE ...
            continue
        out.append(a)
    return out


# --- remote commands -----------------------------------------------------------------------------
#: commands that run their remaining words on another host or in a container
REMOTE_RUNNERS = frozenset({"ssh", "autossh", "mosh", "rsh", "dbclient"})


def remote_expansion(c: SimpleCommand) -> bool:
    """An ssh whose remote command has a word the local shell computes (``"$(cat f)"``,
    ``$TOKEN``, backquotes): it runs here and its output leaves the host."""
    if c.name not in REMOTE_RUNNERS or not c.argv:
        return False
    return bool(c.inner) or any(c.dynamic[1:])


#: ps options whose value is the next word (or the rest of the word): standard short
#: letters, BSD letters (no dash) and long options; a value (``-o pid,etime``, ``-p 1234``)
#: is no BSD ``e``. procps has no format specifier for the environment.
_PS_SHORT_VALUE = frozenset("CGgopqstuUO")
_PS_BSD_VALUE = frozenset("oOpqtUk")
_PS_LONG_VALUE = frozenset({
    "--cols", "--columns", "--width", "--rows", "--lines", "--format", "--group", "--Group",
    "--pid", "--ppid", "--quick-pid", "--sid", "--sort", "--tty", "--user", "--User"})


def ps_environment(args: tuple[str, ...]) -> bool:
    """``ps`` prints processes' environments: BSD ``e`` in a word of BSD options (``aux e``,
    ``eww``, ``axeo``), or ``-E``; the values of options (``-o pid,etime,cmd``) are no
    options. Unsure (an option not known to take a value) counts as the environment."""
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "-E":
            return True
        if a.startswith("--"):
            if "=" not in a and a in _PS_LONG_VALUE:
                i += 1
            continue
        if a.startswith("-"):
            for k, ch in enumerate(a[1:]):
                if ch in _PS_SHORT_VALUE:
                    i += 1 if k == len(a) - 2 else 0  # the value is the next word
                    break
            continue
        for k, ch in enumerate(a):
            if ch == "e":
                return True
            if ch in _PS_BSD_VALUE:
                i += 1 if k == len(a) - 1 else 0
                break
    return False

