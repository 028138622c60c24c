"""Container registries as data: image references, the registries where a push is bounded by
the host's own identity, and a cloud CLI's registry token sealed into ``docker login``. Pure.

A push sends an image (the tree's build, with whatever it copied) to a registry. Where anyone
may push anonymously (a self-hosted ``registry:2``, any host the agent names) that is
exfiltration, as ``git push URL`` is; where the registry authenticates every push and the
namespace is an account's, only the identity the host is already logged in with can write,
so the image goes where the site's own images go (as ``git push`` to a configured remote).
Such a registry may be named in the reference (ECR's account, Artifact Registry's project,
an ACR name) or be a public service (Docker Hub, GHCR, Quay, GitLab) that has no anonymous
push. Other hosts are the grant's ``allow:`` (``{command: docker, args: [push,
"registry.example.com/*"]}``).
"""

from __future__ import annotations

import re

from . import cloud
from .parse import ParseResult, SimpleCommand

#: registry hosts that authenticate every push and name the account in the host or path
MANAGED_REGISTRY = re.compile(
    r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]{1,32}\.amazonaws\.com(?:\.cn)?|public\.ecr\.aws|"
    r"(?:[a-z]{2,4}\.)?gcr\.io|[a-z0-9-]{1,40}-docker\.pkg\.dev|[a-z0-9]{5,50}\.azurecr\.io|"
    r"ghcr\.io|quay\.io|registry\.gitlab\.com|docker\.io|index\.docker\.io|"
    r"registry-1\.docker\.io")
#: one path component of a reference (lower case, separators inside), and tag and digest
_COMPONENT = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*+")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?")


def image_ref(word: str) -> tuple[str, str] | None:
    """``(registry host, repository path)`` of a plain image reference (``""`` for Docker
    Hub's implicit host), or None when ``word`` is not one (an option, an expansion, a path)."""
    if not word or len(word) > 512 or word.startswith("-"):
        return None
    name, at, digest = word.partition("@")
    if at and not _DIGEST.fullmatch(digest):
        return None
    parts = name.split("/")
    last = parts[-1]
    if ":" in last:
        last, _, tag = last.partition(":")
        if not _TAG.fullmatch(tag):
            return None
        parts[-1] = last
    host = ""
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        host = parts.pop(0)
        if not _HOST.fullmatch(host) or ".." in host:
            return None
    if not parts or not all(_COMPONENT.fullmatch(p) for p in parts):
        return None
    return host, "/".join(parts)


def push_why(word: str) -> str | None:
    """None when pushing ``word`` goes to a registry bounded by the host's own identity."""
    ref = image_ref(word)
    if ref is None:
        return f"{word!r} is not a plain image reference"
    host, _ = ref
    if host and not MANAGED_REGISTRY.fullmatch(host.lower()):
        return f"registry {host!r} may take anonymous pushes: the grant's allow: names the " \
               "site's own registry"
    return None


_HUB = frozenset({"", "docker.io", "index.docker.io", "registry-1.docker.io"})
_IMAGE_ID = re.compile(r"(?:sha256:)?[0-9a-f]{1,64}")


def _owner(host: str, path: str) -> tuple[str, str]:
    """Who publishes under a reference: its registry and first path component (Docker Hub's
    official images are ``library``)."""
    parts = path.split("/")
    return ("docker.io" if host.lower() in _HUB else host.lower(),
            parts[0] if len(parts) > 1 else "library")


def tag_why(src: str, dst: str) -> str | None:
    """None when naming ``src``'s image ``dst`` gives no one's image another publisher's name.
    A local image came from a build of the tree (judged), a pull of its own name from its
    own publisher, or a tag: so a tag within one publisher's names, or from a one-word name
    (a local build or an official image), keeps what runs and what a push sends to the
    publisher's own images. ``docker pull attacker/x; docker tag attacker/x acme/web`` would
    make a later ``docker compose up`` or ``docker push acme/web`` run or publish it."""
    s, d = image_ref(src), image_ref(dst)
    if s is None or d is None:
        return "not SOURCE TARGET as plain image references"
    if _IMAGE_ID.fullmatch(src):
        return f"{src!r} may be an image ID (of any image pulled)"
    if s[0] == "" and "/" not in s[1] or _owner(*s) == _owner(*d):
        return None
    return f"names {src!r} (another publisher's image) {dst!r}"


# --- a registry token sealed into docker login ---------------------------------------------
#: (cli, command path, registry hosts the token is for): a cloud CLI prints a short-lived
#: registry password for the caller's own identity; piped straight into ``docker login
#: --password-stdin HOST`` it goes into docker's credential store and is never shown. HOST
#: must be that cloud's registry: anywhere else docker login would send the token there.
TOKEN_SOURCES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("aws", ("ecr", "get-login-password"),
     re.compile(r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]{1,32}\.amazonaws\.com(?:\.cn)?")),
    ("aws", ("ecr-public", "get-login-password"), re.compile(r"public\.ecr\.aws")),
    ("gcloud", ("auth", "print-access-token"),
     re.compile(r"(?:[a-z]{2,4}\.)?gcr\.io|[a-z0-9-]{1,40}-docker\.pkg\.dev")),
)
_LOGIN_VALUE = frozenset({"-u", "--username"})
_PLAIN_USER = re.compile(r"[A-Za-z0-9_.@-]{1,64}")


def _login_host(c: SimpleCommand) -> str | None:
    """HOST of ``docker login [-u USER] --password-stdin HOST`` and nothing else, else None."""
    if c.name != "docker" or c.args[:1] != ("login",) or any(c.dynamic) or c.assignments \
            or c.redirects or c.heredoc is not None:
        return None
    words, i, ops, stdin = c.args[1:], 0, [], False
    while i < len(words):
        w = words[i]
        name, eq, val = w.partition("=")
        if name in _LOGIN_VALUE:
            if not eq:
                i += 1
                val = words[i] if i < len(words) else ""
            if not _PLAIN_USER.fullmatch(val):
                return None
        elif w == "--password-stdin":
            stdin = True
        elif w.startswith("-"):
            return None  # -p (a password in argv), and anything else
        else:
            ops.append(w)
        i += 1
    if not stdin or len(ops) != 1:
        return None
    host = ops[0].lower()
    host = host[len("https://"):] if host.startswith("https://") else host
    return host[:-1] if host.endswith("/") else host


def _token_source(c: SimpleCommand) -> re.Pattern[str] | None:
    """The registry hosts ``c``'s token is for, when ``c`` is a plain token command."""
    if c.name not in ("aws", "gcloud") or any(c.dynamic) or c.assignments or c.redirects \
            or c.heredoc is not None:
        return None
    call = cloud.parse_call(c.name, c.args)
    if isinstance(call, str) or call.operands:
        return None
    path = cloud.command_path(c.name, call)
    for cli, want, hosts in TOKEN_SOURCES:
        if cli == c.name and path == want:
            return hosts
    return None


def sealed_logins(result: ParseResult) -> frozenset[int]:
    """Indices of the two commands of each ``TOKEN | docker login --password-stdin HOST``
    pipeline (two stages, top level, nothing redirected) whose HOST is the token's registry."""
    cmds, out = result.commands, set()
    for p in result.pipelines:
        if len(p) != 2 or any(len(stage) != 1 for stage in p):
            continue
        src, dst = cmds[p[0][0]], cmds[p[1][0]]
        if src.via or dst.via:
            continue
        hosts, host = _token_source(src), _login_host(dst)
        if hosts is not None and host is not None and hosts.fullmatch(host):
            out.update((p[0][0], p[1][0]))
    return frozenset(out)


__all__ = ["MANAGED_REGISTRY", "TOKEN_SOURCES", "image_ref", "push_why", "sealed_logins",
           "tag_why"]
