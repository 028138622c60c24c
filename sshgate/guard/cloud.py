"""Cloud CLIs (aws, gcloud, az, gsutil, doctl) and terraform/terragrunt/tofu as data: the
options each CLI itself takes (allowed or not), the read-only verb forms, and the operations
that return credentials or secrets. Pure; ``safe.py`` builds the catalogue entries from these
tables and ``reveal.py`` holds the secret operations as ``secret.dump``.

A cloud CLI has two kinds of options. The CLI's own (``--profile``, ``--endpoint-url``,
``--debug``, ``--log-http``...) are a short, known list: each is allowed or not, wherever it
appears and however it is abbreviated (argparse takes unique prefixes). Every other
``--name`` is a parameter of the operation: a read-only operation's parameters only select
what it reads, so they are accepted when their values load nothing (``file://``, ``@file``).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

# --- the CLIs' own options ------------------------------------------------------------------
#: aws options the CLI handles itself: name -> takes a value. Allowed ones.
AWS_GLOBAL: dict[str, bool] = {
    "--profile": True, "--region": True, "--output": True, "--query": True, "--color": True,
    "--cli-read-timeout": True, "--cli-connect-timeout": True, "--cli-binary-format": True,
    "--no-cli-pager": False, "--no-paginate": False, "--no-cli-auto-prompt": False,
    "--max-items": True, "--starting-token": True, "--page-size": True,
    "--no-sign-request": False, "--version": False,
}
#: aws options that are never ordinary: another endpoint receives credential-signed calls
#: (``--endpoint-url``); debug logs carry the session token; TLS checks off or another CA;
#: a whole request read from a file; an interactive prompt reading the agent's stdin.
AWS_GLOBAL_DENY = frozenset({"--endpoint-url", "--debug", "--no-verify-ssl", "--ca-bundle",
                             "--cli-input-json", "--cli-input-yaml", "--cli-auto-prompt"})
#: parameter values the aws CLI loads from a file or URL instead of taking literally
AWS_FILE_VALUE = re.compile(r"^(file|fileb|https?)://", re.I)

GCLOUD_GLOBAL: dict[str, bool] = {
    "--project": True, "--format": True, "--configuration": True, "--account": True,
    "--verbosity": True, "--quiet": False, "-q": False, "--billing-project": True,
    "--user-output-enabled": False, "--no-user-output-enabled": False, "--help": False,
    "-h": False, "--filter": True, "--limit": True, "--page-size": True, "--sort-by": True,
    "--uri": False, "--no-uri": False,
}
#: HTTP logs (tokens), another token or identity, flags read from a file
GCLOUD_GLOBAL_DENY = frozenset({"--log-http", "--access-token-file", "--flags-file",
                                "--impersonate-service-account", "--trace-token",
                                "--credential-file-override", "--authority-selector",
                                "--authorization-token-file"})
AZ_GLOBAL: dict[str, bool] = {
    "--subscription": True, "--output": True, "-o": True, "--query": True,
    "--only-show-errors": False, "--verbose": False, "--help": False, "-h": False,
}
AZ_GLOBAL_DENY = frozenset({"--debug"})
DOCTL_GLOBAL: dict[str, bool] = {
    "--context": True, "-c": True, "--output": True, "-o": True, "--format": True,
    "--no-header": False, "--help": False, "-h": False,
}
#: a token or API URL on the command line, another config file, HTTP traces
DOCTL_GLOBAL_DENY = frozenset({"--access-token", "-t", "--api-url", "-u", "--config",
                               "--trace", "--http-retry-max"})
#: gsutil's own options (before the command): -m parallel, -q quiet, -u billing project
GSUTIL_GLOBAL: dict[str, bool] = {"-m": False, "-q": False, "-u": True}

# --- read-only verb forms -----------------------------------------------------------------------
#: aws operations are ``service operation``; these verb forms only read
AWS_READ = ("describe-*", "list-*", "get-*")
#: aws operations outside the verb forms that only read (``s3 ls`` and downloads are judged
#: by ``safe.py``: their operands are places)
AWS_READ_EXTRA = frozenset({("sts", "get-caller-identity"), ("s3", "ls"), ("s3", "cp"),
                            # the log events get-log-events/filter-log-events return, followed
                            ("logs", "tail"), ("logs", "filter-log-events"),
                            ("logs", "start-live-tail"), ("cloudtrail", "lookup-events"),
                            # an object's or a bucket's metadata, never its content
                            ("s3api", "head-object"), ("s3api", "head-bucket"),
                            # evaluates a role's policies against actions: a dry run
                            ("iam", "simulate-principal-policy")})
#: deploy steps that are ordinary as the catalogue's restarts and rollouts are: (service,
#: operation) -> the parameters they may take (every other one changes what runs or where:
#: ``ecs update-service --task-definition``, ``--enable-execute-command``, a lambda's role or
#: environment). A named check in safe.py judges the values (a count above zero, an artifact
#: of the tree).
AWS_DEPLOY: dict[tuple[str, str], frozenset[str]] = {
    # a CDN cache purge: the next request fetches from the origin again
    ("cloudfront", "create-invalidation"): frozenset({"--distribution-id", "--paths"}),
    # a rolling restart of the service's tasks, or a count above zero (as kubectl scale)
    ("ecs", "update-service"): frozenset({"--cluster", "--service", "--force-new-deployment",
                                          "--desired-count"}),
    # the function's code from a release archive of the tree (the write memory holds it
    # after the session wrote there); never --s3-bucket/--s3-key/--image-uri: code from a
    # bucket or a registry the agent names (another account's, shared with this one)
    ("lambda", "update-function-code"): frozenset({
        "--function-name", "--zip-file", "--publish", "--no-publish", "--architectures"}),
    # a rolling restart of an auto-scaling group's instances (as rollout restart)
    ("autoscaling", "start-instance-refresh"): frozenset({"--auto-scaling-group-name"}),
}
#: an SQS queue's URL: the CLI's own parameter, on AWS's endpoint (v1 fetches http(s)://
#: values; this one returns AWS's own answer)
AWS_QUEUE_URL = re.compile(r"https://(?:sqs\.[a-z0-9-]{1,32}\.amazonaws\.com(?:\.cn)?|"
                           r"queue\.amazonaws\.com)/[0-9]{12}/[A-Za-z0-9_-]{1,80}(?:\.fifo)?")
#: read operations whose positional word names what they read (``aws logs tail GROUP``), not
#: a file they write
AWS_NAME_OPERANDS = frozenset({("logs", "tail")})
#: read operations that stream their result into a file named by a positional word
AWS_OUTFILE = frozenset({
    ("s3api", "get-object"), ("s3api", "get-object-torrent"), ("glacier", "get-job-output"),
    ("mediastore-data", "get-object"), ("ebs", "get-snapshot-block"),
    ("kinesis-video-media", "get-media"), ("kinesis-video-archived-media", "get-clip"),
    ("codeguruprofiler", "get-profile"), ("sagemaker-geospatial", "get-tile"),
    ("medical-imaging", "get-image-frame"), ("backupstorage", "get-chunk"),
    ("backupstorage", "get-object-metadata"), ("omics", "get-read-set"),
    ("omics", "get-reference"), ("lakeformation", "get-work-unit-results"),
    ("s3control", "get-object"), ("workmailmessageflow", "get-raw-message-content"),
})
GCLOUD_VERBS = frozenset({"list", "describe", "get-iam-policy"})
GCLOUD_PATHS = frozenset({("version",), ("info",), ("config", "list"), ("config", "get-value"),
                          ("config", "get"), ("auth", "list"), ("logging", "read"),
                          ("components", "list"),
                          # buckets' listings and a service's or function's log entries
                          ("storage", "ls"), ("storage", "du"), ("functions", "logs", "read"),
                          ("run", "services", "logs", "read"), ("app", "logs", "read"),
                          ("run", "jobs", "logs", "read")})
#: words a command path may hold before its read verb: the CLI's product groups (first word)
#: and the resource nouns under them (later words). Without the CLI's command tree a verb
#: taking an operand named like a read verb (``gcloud compute ssh list``, ``... add-metadata
#: vm1 describe``) would read as a group; only listed group words count, anything else is
#: unknown. A product's name is a verb further down (``gcloud run deploy list``, ``gcloud
#: scheduler jobs run list``), so gcloud's products count only as the first word.
_GCLOUD_PRODUCTS_TEXT = """
access-context-manager ai ai-platform alloydb anthos api-gateway apigee app artifacts asset
auth batch beyondcorp bigtable billing bms builds certificate-manager composer compute config
container data-catalog database-migration dataflow dataplex dataproc datastore datastream
deploy deployment-manager dns domains endpoints eventarc filestore firestore functions
healthcare iam iap identity kms logging memcache metastore ml ml-engine monitoring
network-connectivity network-management network-security network-services notebooks
organizations policy-intelligence privateca projects pubsub recommender redis
resource-manager run scc scheduler secrets service-directory services source spanner sql
storage tasks transfer vmware workflows workstations
"""
_GCLOUD_NOUNS_TEXT = """
instances instance-groups instance-templates managed unmanaged disks images snapshots
networks subnets firewall-rules routes routers addresses forwarding-rules target-pools
backend-services health-checks url-maps ssl-certificates zones regions machine-types
operations clusters node-pools services revisions jobs executions domain-mappings buckets
objects topics subscriptions keyrings keys versions service-accounts roles
repositories docker packages tags triggers databases users backups tiers flags
managed-zones record-sets policies sinks logs metrics dashboards channels locations
accounts folders sessions queues workers templates environments
"""
GCLOUD_PRODUCTS = frozenset(_GCLOUD_PRODUCTS_TEXT.split())
GCLOUD_NOUNS = frozenset(_GCLOUD_NOUNS_TEXT.split())
_AZ_GROUPS_TEXT = """
account acr aks appservice backup batch cdn cognitiveservices container containerapp
cosmosdb deployment disk eventgrid eventhubs functionapp group identity image iot keyvault
lock managedapp monitor mysql network policy postgres provider redis resource role search
servicebus sig signalr snapshot sql staticwebapp storage tag vm vmss webapp
activity-log alert metrics log-analytics workspace vnet subnet nsg rule public-ip lb nic
private-endpoint dns zone record-set blob container-rg share queue table server db flexible-server
nodepool registry repository image-version plan app deployment-slot namespace
secret key certificate hub policy rule-set assignment definition
"""
AZ_GROUPS = frozenset(_AZ_GROUPS_TEXT.split())
_DOCTL_GROUPS_TEXT = """
account apps balance billing-history compute databases invoice kubernetes monitoring
projects registry serverless vpcs 1-click droplet droplet-action volume volume-action image
snapshot region size ssh-key tag firewall load-balancer domain records certificate cdn
reserved-ip floating-ip cluster node-pool user pool db replica backups repository
garbage-collection functions namespaces activations alert uptime
"""
DOCTL_GROUPS = frozenset(_DOCTL_GROUPS_TEXT.split())
AZ_VERBS = ("list", "show", "list-*", "show-*")
AZ_PATHS = frozenset({("version",), ("account", "show"), ("account", "list"),
                      ("webapp", "log", "tail"), ("functionapp", "log", "tail"),
                      # Network Watcher's verdicts on a flow and a route: answers, no change
                      ("network", "watcher", "test-ip-flow"),
                      ("network", "watcher", "show-next-hop")})
DOCTL_VERBS = frozenset({"list", "get", "ls"})
DOCTL_PATHS = frozenset({("version",), ("account", "get"), ("balance", "get"),
                         # an app's build, deploy or run logs (as az webapp log tail)
                         ("apps", "logs"),
                         # a registry's repositories, their tags and manifests (names,
                         # digests, sizes, dates)
                         ("registry", "repository", "list-v2"),
                         ("registry", "repository", "list-tags"),
                         ("registry", "repository", "list-manifests")})
#: gsutil commands that read (``cp`` only downloads: judged in ``safe.py``)
GSUTIL_READ: dict[str, str] = {
    "ls": "-l -L -h -r -R -a -b -e -d", "du": "-s -h -a -c -e -0", "cat": "-h",
    "stat": "", "version": "-l", "hash": "-c -m -h", "cp": "-r -R -n -c -e -v -U",
    "help": "",
}

# --- operations that return credentials or secrets ---------------------------------------------
#: (cli, "command path [--option[=value]]", why). The path is matched word by word with globs
#: (``alpha``/``beta`` dropped); listed options must be given (any unique prefix of the name,
#: the value compared without case). Held as ``secret.dump`` whatever the catalogue says.
CLOUD_SECRETS: tuple[tuple[str, str, str], ...] = (
    ("aws", "secretsmanager get-secret-value", "a secret's value"),
    ("aws", "secretsmanager batch-get-secret-value", "secrets' values"),
    ("aws", "secretsmanager get-random-password", "a new password"),
    ("aws", "ssm get-parameter --with-decryption", "a decrypted parameter"),
    ("aws", "ssm get-parameters --with-decryption", "decrypted parameters"),
    ("aws", "ssm get-parameters-by-path --with-decryption", "decrypted parameters"),
    ("aws", "ssm get-parameter-history --with-decryption", "decrypted parameters"),
    ("aws", "kms decrypt", "decrypted data"), ("aws", "kms generate-data-key*", "a data key"),
    ("aws", "sts assume-role*", "temporary credentials"),
    ("aws", "sts get-session-token", "temporary credentials"),
    ("aws", "sts get-federation-token", "temporary credentials"),
    ("aws", "iam create-access-key", "an access key"),
    ("aws", "iam create-service-specific-credential", "a service password"),
    ("aws", "iam reset-service-specific-credential", "a service password"),
    ("aws", "iam create-login-profile", "a console password"),
    ("aws", "ec2 get-password-data", "a Windows administrator password"),
    ("aws", "ec2 describe-instance-attribute --attribute=userData", "user data"),
    ("aws", "ec2 describe-launch-template-versions", "user data"),
    ("aws", "ec2 get-launch-template-data", "user data"),
    ("aws", "autoscaling describe-launch-configurations", "user data"),
    ("aws", "ecr get-login-password", "a registry password"),
    ("aws", "ecr get-authorization-token", "a registry token"),
    ("aws", "ecr-public get-login-password", "a registry password"),
    ("aws", "ecr-public get-authorization-token", "a registry token"),
    ("aws", "codeartifact get-authorization-token", "a repository token"),
    ("aws", "eks get-token", "a cluster token"),
    ("aws", "lambda get-function", "environment variables and a code URL"),
    ("aws", "lambda get-function-configuration", "environment variables"),
    # (red team s14 J3) the sibling reads that return the same fields
    ("aws", "lambda list-functions", "environment variables"),
    ("aws", "lambda list-versions-by-function", "environment variables"),
    ("aws", "apigateway get-usage-plan-keys", "API key values"),
    ("aws", "amplify get-app", "environment variables and basic-auth credentials"),
    ("aws", "amplify list-apps", "environment variables and basic-auth credentials"),
    ("aws", "amplify get-branch", "environment variables and basic-auth credentials"),
    ("aws", "amplify list-branches", "environment variables and basic-auth credentials"),
    ("aws", "ec2 describe-spot-instance-requests", "user data"),
    ("aws", "ec2 describe-spot-fleet-requests", "user data"),
    ("aws", "ec2 get-console-output", "boot output"),
    ("aws", "batch describe-jobs", "container environment"),
    ("aws", "ecs describe-tasks", "container environment overrides"),
    ("aws", "sagemaker describe-training-job", "container environment"),
    ("aws", "sagemaker describe-processing-job", "container environment"),
    ("aws", "sagemaker describe-transform-job", "container environment"),
    ("aws", "lightsail get-container-services", "container environment"),
    ("aws", "ssm get-command-invocation", "a command's output"),
    ("aws", "ssm list-command-invocations", "commands' output"),
    ("aws", "ecs describe-task-definition", "container environment"),
    ("aws", "batch describe-job-definitions", "container environment"),
    ("aws", "elasticbeanstalk describe-configuration-settings", "environment properties"),
    ("aws", "apprunner describe-service", "environment variables"),
    ("aws", "apigateway get-api-keys --include-values", "API key values"),
    ("aws", "apigateway get-api-key --include-value", "an API key value"),
    ("aws", "appsync list-api-keys", "API keys"),
    ("aws", "lightsail get-instance-access-details", "an SSH key or password"),
    ("aws", "lightsail get-relational-database-master-user-password", "a database password"),
    ("aws", "redshift get-cluster-credentials*", "database credentials"),
    ("aws", "redshift-serverless get-credentials", "database credentials"),
    ("aws", "rds generate-db-auth-token", "a database token"),
    ("aws", "cognito-identity get-credentials-for-identity", "temporary credentials"),
    ("aws", "cognito-identity get-open-id-token*", "an identity token"),
    ("aws", "cognito-idp describe-user-pool-client", "a client secret"),
    # (harmful set s16 and what answers alike) a federation's client secret, deployed
    # containers' environment, build projects' plain-text environment, an app's hosted
    # configuration, Airflow's CLI and web tokens, Glue jobs' default arguments
    ("aws", "cognito-idp describe-identity-provider", "an identity provider's client secret"),
    ("aws", "lightsail get-container-service-deployments", "container environment"),
    ("aws", "codebuild batch-get-projects", "build environment variables"),
    ("aws", "appconfig get-configuration", "configuration data"),
    ("aws", "appconfig get-hosted-configuration-version", "configuration data"),
    ("aws", "appconfigdata get-latest-configuration", "configuration data"),
    ("aws", "mwaa create-cli-token", "a token"), ("aws", "mwaa create-web-login-token", "a token"),
    ("aws", "glue get-job", "job arguments"), ("aws", "glue get-jobs", "job arguments"),
    ("aws", "sso get-role-credentials", "temporary credentials"),
    ("aws", "sso-oidc create-token", "a token"),
    ("aws", "glue get-connection", "connection passwords"),
    ("aws", "glue get-connections", "connection passwords"),
    ("aws", "gamelift get-instance-access", "instance credentials"),
    ("aws", "gamelift get-compute-access", "compute credentials"),
    ("aws", "connect get-federation-token", "a token"),
    ("aws", "quicksight get-*-embed-url*", "a bearer URL"),
    ("aws", "configure *", "local credentials"),
    ("gcloud", "auth print-access-token", "an access token"),
    ("gcloud", "auth print-identity-token", "an identity token"),
    ("gcloud", "auth application-default print-access-token", "an access token"),
    ("gcloud", "config config-helper", "an access token"),
    ("gcloud", "secrets versions access", "a secret's value"),
    ("gcloud", "container clusters get-credentials", "cluster credentials"),
    ("gcloud", "iam service-accounts keys create", "a service account key"),
    ("gcloud", "sql generate-login-token", "a database token"),
    ("gcloud", "kms decrypt", "decrypted data"),
    ("gcloud", "run services describe", "environment variables"),
    ("gcloud", "run jobs describe", "environment variables"),
    ("gcloud", "run revisions describe", "environment variables"),
    ("gcloud", "functions describe", "environment variables"),
    ("gcloud", "app versions describe", "environment variables"),
    # an instance's metadata: startup scripts, and on a GKE node kube-env (the kubelet's
    # bootstrap credentials) (session 12)
    ("gcloud", "compute instances describe", "instance metadata"),
    ("gcloud", "compute instance-templates describe", "instance metadata"),
    ("gcloud", "compute project-info describe", "instance metadata"),
    # their lists print the same fields in a structured format (red team s14 J3)
    *((("gcloud", f"{group} list --format={fmt}", why) for group, why in (
        ("compute instances", "instance metadata"),
        ("compute instance-templates", "instance metadata"),
        ("run services", "environment variables"), ("run jobs", "environment variables"),
        ("functions", "environment variables")) for fmt in ("json", "yaml", "flattened",
                                                           "export", "default"))),
    ("az", "account get-access-token", "an access token"),
    ("az", "keyvault secret show*", "a secret's value"),
    ("az", "keyvault secret download", "a secret's value"),
    ("az", "keyvault key download", "a key"),
    ("az", "keyvault certificate download", "a certificate"),
    ("az", "* keys list", "access keys"), ("az", "* * keys list", "access keys"),
    ("az", "* * * keys list", "access keys"), ("az", "* key list", "access keys"),
    ("az", "* list-key*", "access keys"), ("az", "* * list-key*", "access keys"),
    ("az", "* * * list-key*", "access keys"), ("az", "* key show", "an access key"),
    ("az", "* list-connection-strings", "connection strings"),
    ("az", "* connection-string show", "a connection string"),
    ("az", "* * connection-string show", "a connection string"),
    ("az", "iot hub policy *", "access keys"), ("az", "* auth show", "a client secret"),
    ("az", "* show-connection-string", "a connection string"),
    ("az", "* * show-connection-string", "a connection string"),
    ("az", "* config appsettings list", "application settings"),
    ("az", "* config connection-string list", "connection strings"),
    ("az", "* deployment list-publishing-*", "publishing credentials"),
    ("az", "* list-publishing-*", "publishing credentials"),
    ("az", "acr credential show", "registry passwords"),
    ("az", "containerapp secret *", "secret values"), ("az", "* * secret show", "a secret's value"),
    # (red team s15 D6) the template's containers with their env values
    ("az", "containerapp show", "environment values"),
    ("az", "container show", "environment values"), ("az", "container list", "environment values"),
    ("az", "resource show", "any resource's properties, environment values among them"),
    ("az", "containerapp list", "environment values"),
    ("az", "containerapp revision show", "environment values"),
    ("az", "containerapp job show", "environment values"),
    ("doctl", "apps get", "an app spec with its environment values"),
    ("doctl", "apps spec get", "an app spec with its environment values"),
    ("az", "acr login", "a registry token"),
    ("az", "aks get-credentials", "cluster credentials"),
    ("az", "search admin-key show", "an admin key"),
    ("az", "search query-key list", "query keys"),
    ("az", "storage account generate-sas", "a SAS token"),
    ("az", "ad sp create-for-rbac", "a client secret"),
    ("doctl", "auth *", "an API token"),
    ("doctl", "kubernetes cluster kubeconfig *", "cluster credentials"),
    ("doctl", "databases connection", "a connection string with its password"),
    ("doctl", "databases get", "a connection URI with its password"),
    ("doctl", "databases list", "connection URIs with their passwords"),
    ("doctl", "databases user *", "database passwords"),
    ("doctl", "databases pool *", "connection strings"),
    ("doctl", "registry docker-config", "registry credentials"),
    ("doctl", "registry login", "registry credentials"),
    ("gsutil", "signurl", "a signed URL from a key file"),
    # (red team s16) describe/get calls whose answer holds a secret: VPN tunnels' pre-shared
    # keys, a connector's or an environment's configuration (its env variables and
    # connection passwords), user data, a build's or a model's environment, Memorystore's
    # AUTH string, an API key's string, serial output, a new Windows password
    ("aws", "ec2 describe-vpn-connections", "VPN pre-shared keys"),
    ("aws", "ec2 get-vpn-connection-device-sample-configuration", "VPN pre-shared keys"),
    ("aws", "kafkaconnect describe-connector", "a connector's configuration and secrets"),
    ("aws", "storagegateway describe-chap-credentials", "CHAP secrets"),
    ("aws", "iot create-keys-and-certificate", "a private key"),
    ("aws", "iam create-virtual-mfa-device", "an MFA seed"),
    ("aws", "mwaa create-cli-token", "a token"), ("aws", "mwaa create-web-login-token", "a token"),
    ("aws", "codebuild batch-get-projects", "environment variables"),
    ("aws", "codebuild batch-get-builds", "environment variables"),
    ("aws", "sagemaker describe-model", "container environment"),
    ("aws", "kinesisanalyticsv2 describe-application", "environment properties"),
    ("aws", "datapipeline get-pipeline-definition", "pipeline passwords"),
    ("aws", "appconfigdata get-latest-configuration", "a configuration's content"),
    ("aws", "* get-*-password*", "a password"), ("aws", "* get-*-credentials*", "credentials"),
    ("gcloud", "composer environments describe", "environment variables and Airflow settings"),
    *(("gcloud", f"composer environments list --format={fmt}",
        "environment variables and Airflow settings")
       for fmt in ("json", "yaml", "flattened", "export", "default")),
    ("gcloud", "redis instances get-auth-string", "an AUTH string"),
    ("gcloud", "services api-keys get-key-string", "an API key"),
    ("gcloud", "compute instances get-serial-port-output", "boot output"),
    ("gcloud", "compute reset-windows-password", "a Windows password"),
    ("gcloud", "sql ssl client-certs create", "a private key"),
    ("gcloud", "* * get-auth-string", "an AUTH string"),
    ("az", "vm show --include-user-data", "user data"),
    ("az", "vmss show --include-user-data", "user data"),
    ("az", "* config container show", "registry passwords"),
    ("az", "* appsettings list", "application settings"),
    ("az", "* secrets list", "secret values"), ("az", "* show-secret", "a secret's value"),
    ("az", "* * show-secret", "a secret's value"),
    ("az", "ad * credential reset", "a new client secret"),
    ("az", "acr token create", "registry passwords"),
    ("az", "acr token credential generate", "registry passwords"),
    ("doctl", "databases replica *", "a replica's connection with its password"),
    ("doctl", "databases connection *", "a connection string with its password"),
    ("doctl", "apps get-deployment", "an app spec with its environment values"),
    ("doctl", "apps list-deployments", "app specs with their environment values"),
)


def _rows() -> dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, str | None], ...],
                                    str]]]:
    out: dict[str, list] = {}
    for cli, spec, why in CLOUD_SECRETS:
        path, need = [], []
        for w in spec.split():
            if w.startswith("--"):
                name, eq, val = w.partition("=")
                need.append((name, val.lower() if eq else None))
            else:
                path.append(w)
        out.setdefault(cli, []).append((tuple(path), tuple(need), why))
    return out


_SECRET_ROWS = _rows()


@dataclass(frozen=True, slots=True)
class Call:
    """A cloud CLI's command line read the way the CLI reads it: the command path, every
    option with its value (None for a flag), the operands after the path."""

    path: tuple[str, ...]
    options: tuple[tuple[str, str | None], ...]
    operands: tuple[str, ...]


def _prefix_of(name: str, names: frozenset[str]) -> str | None:
    """The name in ``names`` that ``name`` is, or abbreviates (argparse takes prefixes)."""
    if name in names:
        return name
    if name.startswith("--") and len(name) > 2:
        hit = [n for n in names if n.startswith(name)]
        if hit:
            return hit[0]
    return None


_PARAM = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9_.-]*$")


def parse_call(cli: str, args: tuple[str, ...], strict: bool = True) -> Call | str:
    """Read ``args`` (the words after ``cli``) as the CLI does; a string says why a word is
    not ordinary (a denied option in any place or abbreviation, an option before the command
    path that is not the CLI's own). ``strict=False`` (for the rules) reads past them."""
    if cli == "gsutil":
        return _parse_gsutil(args)
    allowed, deny = _GLOBALS[cli]
    if not strict:
        allowed = {**allowed, **{d: d in _DENY_VALUE for d in deny}}
        deny = frozenset()
    path: list[str] = []
    options: list[tuple[str, str | None]] = []
    ops: list[str] = []
    path_done = False
    i, n = 0, len(args)
    depth = 2 if cli == "aws" else None
    while i < n:
        a = args[i]
        if a == "--":
            ops.extend(args[i + 1:])
            break
        if a.startswith("-") and a != "-":
            name, eq, val = a.partition("=")
            bad = _prefix_of(name, deny)
            if bad is not None:
                return f"{cli} option {bad} is not ordinary"
            takes = allowed.get(name)
            if takes is None and name.startswith("--") and len(name) > 4:
                # an abbreviation of the CLI's own option (argparse)
                hits = {k for k in allowed if k.startswith(name)}
                if len(hits) == 1:
                    name = hits.pop()
                    takes = allowed[name]
            if takes is None:
                if not path and not strict:
                    options.append((name, val if eq else None))  # read past it as a flag
                    i += 1
                    continue
                if not path or not _PARAM.match(name):
                    return f"{cli}: option {name} before the command is not one of its own"
                # a parameter of the operation: its value is the next word unless it is
                # another option (flags and values cannot be told apart without the model)
                if eq:
                    options.append((name, val))
                    i += 1
                elif i + 1 < n and not args[i + 1].startswith("-"):
                    options.append((name, args[i + 1]))
                    ops_after = i + 2
                    # further words before the next option are list values or operands
                    while ops_after < n and not args[ops_after].startswith("-"):
                        ops.append(args[ops_after])
                        ops_after += 1
                    i = ops_after
                else:
                    options.append((name, None))
                    i += 1
                continue
            if takes:
                if eq:
                    options.append((name, val))
                    i += 1
                elif i + 1 < n:
                    options.append((name, args[i + 1]))
                    i += 2
                else:
                    return f"{cli} option {name} without its value"
                continue
            if eq:
                return f"{cli} option {name} given a value"
            options.append((name, None))
            i += 1
            continue
        if not path_done:
            path.append(a)
            path_done = _path_done(cli, path, depth)
        else:
            ops.append(a)
        i += 1
    return Call(tuple(path), tuple(options), tuple(ops))


#: denied options that take a value (read past them when not strict)
_DENY_VALUE = frozenset({"--endpoint-url", "--ca-bundle", "--cli-input-json", "--cli-input-yaml",
                         "--access-token-file", "--flags-file", "--impersonate-service-account",
                         "--trace-token", "--credential-file-override", "--authority-selector",
                         "--authorization-token-file", "--access-token", "-t", "--api-url",
                         "-u", "--config", "--http-retry-max"})


def _parse_gsutil(args: tuple[str, ...]) -> Call | str:
    """gsutil: its own options, then the command, then that command's one-letter flags."""
    i, n = 0, len(args)
    options: list[tuple[str, str | None]] = []
    while i < n and args[i].startswith("-") and args[i] != "-":
        a = args[i]
        if a not in GSUTIL_GLOBAL:
            return f"gsutil option {a} is not ordinary"
        if GSUTIL_GLOBAL[a]:
            if i + 1 >= n:
                return f"gsutil option {a} without its value"
            options.append((a, args[i + 1]))
            i += 2
        else:
            options.append((a, None))
            i += 1
    if i >= n:
        return "gsutil without a command"
    cmd, flags = args[i], GSUTIL_READ.get(args[i], "").split()
    ops: list[str] = []
    for a in args[i + 1:]:
        if a.startswith("-") and a != "-" and ops:
            return f"gsutil {cmd}: an option after an operand is an operand to gsutil"
        if a.startswith("-") and a != "-":
            for ch in a[1:]:
                if "-" + ch not in flags:
                    return f"gsutil {cmd} option -{ch} is not ordinary"
                options.append(("-" + ch, None))
        else:
            ops.append(a)
    return Call((cmd,), tuple(options), tuple(ops))


def _path_done(cli: str, path: list[str], depth: int | None) -> bool:
    if depth is not None:
        return len(path) >= depth
    if tuple(path) in _FIXED[cli]:
        return True
    last = path[-1]
    return len(path) >= 2 and any(fnmatch.fnmatchcase(last, v) for v in _VERB_FORMS[cli])


_GLOBALS = {
    "aws": (AWS_GLOBAL, AWS_GLOBAL_DENY), "gcloud": (GCLOUD_GLOBAL, GCLOUD_GLOBAL_DENY),
    "az": (AZ_GLOBAL, AZ_GLOBAL_DENY), "doctl": (DOCTL_GLOBAL, DOCTL_GLOBAL_DENY),
}
_VERB_FORMS = {"gcloud": tuple(GCLOUD_VERBS), "az": AZ_VERBS, "doctl": tuple(DOCTL_VERBS)}
_FIXED = {"gcloud": GCLOUD_PATHS, "az": AZ_PATHS, "doctl": DOCTL_PATHS}
#: (words the path may start with, words further down)
_GROUPS = {"gcloud": (GCLOUD_PRODUCTS, GCLOUD_NOUNS), "az": (AZ_GROUPS, AZ_GROUPS),
           "doctl": (DOCTL_GROUPS, DOCTL_GROUPS)}
_CHANNELS = frozenset({"alpha", "beta", "preview"})


def command_path(cli: str, call: Call) -> tuple[str, ...]:
    """The path without gcloud's release channel (``gcloud beta run services list``)."""
    p = call.path
    return p[1:] if cli == "gcloud" and p[:1] and p[0] in _CHANNELS else p


def read_only(cli: str, call: Call) -> str | None:
    """None when the call's command path is a read-only verb form; else why not."""
    p = command_path(cli, call)
    if not p and call.options and all(k in _ABOUT for k, _ in call.options):
        return None
    if not p or not all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", w) for w in p):
        return f"{cli}: no plain command path"
    if cli == "aws":
        if len(p) < 2:
            return "aws: no operation"
        if tuple(p[:2]) in AWS_DEPLOY:
            extra = [k for k, _ in call.options if k not in AWS_DEPLOY[tuple(p[:2])] and
                     k not in AWS_GLOBAL]
            return f"aws {p[0]} {p[1]}: {extra[0]} is not one of its ordinary parameters" \
                if extra else None
        # a waiter polls a describe/get call until a state holds and prints nothing
        if tuple(p) in AWS_READ_EXTRA or p[1] == "wait" or any(
                fnmatch.fnmatchcase(p[1], v) for v in AWS_READ):
            return None
        return f"aws {p[0]} {p[1]} is not a read-only operation"
    if cli == "gsutil":
        return None if p[0] in GSUTIL_READ else f"gsutil {p[0]} is not a read"
    if tuple(p) in _FIXED[cli]:
        return None
    if len(p) >= 2 and any(fnmatch.fnmatchcase(p[-1], v) for v in _VERB_FORMS[cli]):
        first, later = _GROUPS[cli]
        stray = [w for i, w in enumerate(p[:-1]) if w not in (later if i else first)]
        if not stray:
            return None
        return f"{cli}: {stray[0]!r} is not a command group the guard knows (a verb " \
               "taking an operand named like a read verb?)"
    return f"{cli} {' '.join(p)} is not a read-only command"


_ABOUT = frozenset({"--version", "--help", "-h", "-v"})


def _has(call: Call, name: str, value: str | None) -> bool:
    # any unique prefix counts (argparse), and a shorter one is taken as the option too
    return any((k == name or (k.startswith("--") and len(k) > 2 and name.startswith(k))) and
               (value is None or (v is not None and v.lower() == value))
               for k, v in call.options)


#: what a describe returns that only a projection of named fields keeps off the screen
RETURNS_ENV = "environment variables"
#: an instance's metadata (startup scripts, a GKE node's kube-env): a projection of named
#: fields other than the metadata keeps it off the screen too
RETURNS_METADATA = "instance metadata"
PROJECTABLE = frozenset({RETURNS_ENV, RETURNS_METADATA})


def secret_operation(cli: str, call: Call) -> str | None:
    """What the call returns that is a credential or secret (``CLOUD_SECRETS``), or None."""
    p = command_path(cli, call)
    for path, need, why in _SECRET_ROWS.get(cli, ()):
        if len(p) < len(path) or not all(fnmatch.fnmatchcase(w, g) for w, g in zip(
                p, path, strict=False)):
            continue
        if all(_has(call, k, v) for k, v in need):
            return why
    return None


def bucket_copy(cli: str, args: tuple[str, ...]) -> bool:
    """A copy, move or sync from one bucket to another (``aws s3 cp s3://a s3://b``,
    ``gsutil rsync gs://a gs://b``, ``gcloud storage cp``): the data goes wherever the
    destination bucket is."""
    if cli == "aws":
        call = parse_call("aws", args)
        if isinstance(call, str) or call.path[:1] != ("s3",) or len(call.path) < 2 or \
                call.path[1] not in ("cp", "mv", "sync"):
            return False
        urls = [o for o in call.operands if _BUCKET.match(o)]
    elif cli in ("gsutil", "gcloud"):
        words = [a for a in args if not a.startswith("-")]
        if cli == "gcloud":  # gcloud [alpha|beta] storage cp|mv|rsync
            words = [w for w in words if w not in _CHANNELS]
            if words[:1] != ["storage"]:
                return False
            words = words[1:]
        if not words or words[0] not in ("cp", "mv", "rsync"):
            return False
        urls = [w for w in words[1:] if _BUCKET.match(w)]
    else:
        return False
    return len(urls) >= 2


_BUCKET = re.compile(r"^(s3|gs|az|r2)://", re.I)

# --- terraform / tofu / terragrunt (Go flag syntax: -flag, -flag=value) --------------------------
#: options per read-only or ordinary subcommand; every other subcommand is not known safe
#: (apply, destroy, import, state rm/mv/push, taint, force-unlock, workspace new/delete,
#: console, test, login, refresh: rules or unknown). ``plan -out`` writes only a plan's
#: name in the tree: its apply is ``infra.apply`` and reads of it are ``secret.read`` (the
#: plan holds sensitive values in plain text).
TF_VARS = "-var:any -var-file:intree -input -no-color -compact-warnings -lock -lock-timeout:any " \
          "-parallelism:num "
#: subcommand -> (options, operands: ``none`` | ``tree`` (files or directories in the
#: working tree) | ``name`` (a resource address or workspace name))
TF_SUB: dict[str, tuple[str, str]] = {
    "init": ("-input -upgrade -reconfigure -backend -get -lockfile:word -no-color -lock "
             "-lock-timeout:any -json -backend-config:tfbackend", "none"),
    "get": ("-update -no-color -test-directory:intree", "none"),
    "plan": (TF_VARS + "-target:any -replace:any -refresh -refresh-only -destroy "
                       "-detailed-exitcode -json -out:tfplan", "none"),
    "validate": ("-json -no-color -no-tests -test-directory:intree", "none"),
    "fmt": ("-check -diff -recursive -list -write -no-color", "fmt"),
    "output": ("-no-color -state:intree", "name"),
    "version": ("-json", "none"), "providers": ("", "none"),
    "graph": ("-type:word -draw-cycles -module-depth:num", "none"),
    "modules": ("-json", "none"),
}
TF_STATE: dict[str, tuple[str, str]] = {"list": ("-state:intree -id:any", "name")}
#: ``init -backend-config=KEY=VALUE``: keys that say where the state is, never credentials
#: (access_key, secret_key, token, password), another identity (role_arn, profile,
#: assume_role, a credentials file) or another endpoint (address, endpoint(s): the state
#: and the backend's credentials would go there)
TF_BACKEND_KEYS = frozenset({
    "bucket", "key", "region", "prefix", "workspace_key_prefix", "dynamodb_table", "encrypt",
    "use_lockfile", "container_name", "storage_account_name", "resource_group_name",
    "organization", "path", "kms_key_id", "acl"})
#: a backend file in the tree (partial configuration: HCL attributes)
TF_BACKEND_FILE = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_./-]{0,200}\.(?:hcl|tfbackend)\Z")
#: a saved plan's name (``secret_paths`` holds reads of it: plain-text sensitive values)
TF_PLAN_FILE = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}/){0,8}+"
                          r"(?:tfplan|[A-Za-z0-9_-]{1,80}\.tfplan)")
TF_WORKSPACE: dict[str, tuple[str, str]] = {"list": ("", "none"), "show": ("", "none"),
                                            "select": ("-or-create", "name")}
TF_GLOBAL = "-chdir:intree -version -help"
#: terragrunt's own flags (old --terragrunt-* and new names); never --terragrunt-source
#: (modules from anywhere), --terragrunt-tfpath (another binary), --terragrunt-config, an IAM
#: role; terraform's flags of the subcommand come with them
TERRAGRUNT_OPTS = (
    "--terragrunt-non-interactive|--non-interactive "
    "--terragrunt-working-dir|--working-dir:intree "
    "--terragrunt-log-level|--log-level:word --terragrunt-include-external-dependencies "
    "--terragrunt-ignore-external-dependencies --terragrunt-parallelism:num "
    "--terragrunt-no-color --terragrunt-check|--check --terragrunt-diff|--diff "
    "--terragrunt-exclude-dir|--queue-exclude-dir:intree "
    "--terragrunt-include-dir|--queue-include-dir:intree ")
TERRAGRUNT_SUB: dict[str, tuple[str, str]] = {
    **{k: TF_SUB[k] for k in ("plan", "validate", "init", "output", "providers", "graph")},
    "hclfmt": ("", "none"), "graph-dependencies": ("", "none"),
    "validate-inputs": ("--terragrunt-strict-validate", "none"),
}


def terragrunt_words(args: tuple[str, ...]) -> tuple[str, ...]:
    """The terraform words a terragrunt line runs: ``run-all X``/``run --all X`` is ``X``."""
    words = [a for a in args if not a.startswith("-")]
    if words[:1] in (["run-all"], ["run"]):
        words = words[1:]
    return tuple(words)


__all__ = ["AWS_DEPLOY", "AWS_GLOBAL", "AWS_GLOBAL_DENY", "AWS_QUEUE_URL", "CLOUD_SECRETS",
           "Call", "GSUTIL_READ", "TERRAGRUNT_OPTS", "TERRAGRUNT_SUB", "TF_GLOBAL", "TF_STATE",
           "TF_SUB", "TF_WORKSPACE",
           "bucket_copy", "command_path", "parse_call", "read_only", "secret_operation",
           "terragrunt_words"]
