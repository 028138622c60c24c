"""Remote execution into containers: where ``docker exec``, ``docker compose exec|run`` and
``kubectl exec`` (podman, docker-compose, oc alike) put the command they run inside, and the
launcher's own options. Pure.

The parser (parse.py) unwraps the inner command like sudo's, so the same rules and catalogue
judge it; the catalogue (safe.py) judges the launcher's options with :class:`Launch`. Both read
the line with the grammars below, the docker and kubectl global options included, so that
they never disagree on where the inner command starts.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass

from .budget import check
from .options import Opts, option_at, opts, parse_opts

#: docker's global options that keep it ordinary (never -H/--host, --config or TLS: another
#: daemon, other credentials) and every other one it has (to tell values from the subcommand)
DOCKER_GLOBAL = opts("-c|--context:any -l|--log-level:any -D|--debug", abbrev=False)
_DOCKER_KNOWN = DOCKER_GLOBAL + opts("-H|--host:any --config:any --tls --tlscacert:any "
                                     "--tlscert:any --tlskey:any --tlsverify", abbrev=False)
#: compose's global options that keep it ordinary: files, env files, project directories
#: only from the tree
COMPOSE_GLOBAL = opts("-f|--file:compose -p|--project-name:any --profile:any --ansi:any "
                      "--progress:any --env-file:intree --project-directory:intree "
                      "--parallel:num --dry-run")
_COMPOSE_KNOWN = COMPOSE_GLOBAL + opts("--compatibility --all-resources -H|--host:any "
                                       "--verbose --log-level:any --no-ansi --tls --tlsverify "
                                       "--tlscacert:any --tlscert:any --tlskey:any "
                                       "--skip-hostname-check -c|--context:any")
#: kubectl's (and oc's) global options that keep it ordinary (never --server, --token,
#: --kubeconfig, --as*, certificates: another API server, other credentials)
K8S_GLOBAL = "-n|--namespace:any --context:any --request-timeout:any -v|--v:kverbose "
_K8S_OTHER = ("--kubeconfig:any -s|--server:any --token:any --as:any --as-group:any "
              "--as-uid:any --cluster:any --user:any --certificate-authority:any "
              "--client-certificate:any --client-key:any --insecure-skip-tls-verify "
              "--tls-server-name:any --cache-dir:any --username:any --password:any "
              "--match-server-version --profile:any --profile-output:any "
              "--warnings-as-errors --disable-compression --kuberc:any "
              "--log-flush-frequency:any ")
_K8S_KNOWN = opts(K8S_GLOBAL + _K8S_OTHER, abbrev=False)

#: per launcher subcommand: the options that keep it ordinary, and every option it takes.
#: --privileged reaches the host's devices; compose run's volumes, ports, entrypoint and
#: capabilities give the container what its image was not given; --env-file is a file on
#: this host (safe.py judges it as a read)
_EXEC = "-d|--detach --detach-keys:any -e|--env:any -i|--interactive -t|--tty -u|--user:any " \
        "-w|--workdir:any --env-file:intree "
_DOCKER_EXEC = (opts(_EXEC, abbrev=False), opts(_EXEC + "--privileged", abbrev=False))
_COMPOSE_EXEC_SPEC = "-d|--detach -e|--env:any --index:num -T|--no-TTY|--no-tty " \
                     "-i|--interactive -t|--tty -u|--user:any -w|--workdir:any "
_COMPOSE_EXEC = (opts(_COMPOSE_EXEC_SPEC, abbrev=False),
                 opts(_COMPOSE_EXEC_SPEC + "--privileged", abbrev=False))
_COMPOSE_RUN_SPEC = "--rm -d|--detach -e|--env:any -T|--no-TTY|--no-tty -i|--interactive " \
                    "-t|--tty -u|--user:any -w|--workdir:any --no-deps --name:any " \
                    "-l|--label:any --build --pull:any -q|--quiet-pull " \
                    "--use-aliases --quiet-build "
_COMPOSE_RUN = (opts(_COMPOSE_RUN_SPEC, abbrev=False),
                opts(_COMPOSE_RUN_SPEC + "--entrypoint:any -v|--volume:any -p|--publish:any "
                     "-P|--service-ports --privileged --cap-add:any --cap-drop:any",
                     abbrev=False))
_K8S_EXEC_SPEC = "-c|--container:any -i|--stdin -t|--tty -q|--quiet --pod-running-timeout:any "
#: kubectl takes its global options after ``exec`` too (``kubectl exec pod -n x -- ls``)
_K8S_EXEC = (opts(K8S_GLOBAL + _K8S_EXEC_SPEC, abbrev=False),
             opts(K8S_GLOBAL + _K8S_OTHER + _K8S_EXEC_SPEC + "-f|--filename:any",
                  abbrev=False))

DOCKERS = frozenset({"docker", "podman"})
KUBECTLS = frozenset({"kubectl", "oc"})
#: every command that may launch a command in a container
LAUNCHERS = DOCKERS | KUBECTLS | {"docker-compose"}


@dataclass(frozen=True, slots=True)
class Launch:
    """A command run in a container: ``at`` is where it starts in the launcher's argv (None:
    no command the guard can place), ``pairs`` the launcher subcommand's options with their
    values, ``ordinary`` its options that keep it ordinary (with the kinds of their values),
    ``why`` why the launcher itself is not ordinary ("": it is)."""

    label: str
    at: int | None
    pairs: tuple[tuple[str, str | None], ...] = ()
    ordinary: Opts | None = None
    why: str = ""
    #: where the container's (pod's, service's) name is in the argv
    where: int | None = None

    def values(self, canon: str) -> list[str]:
        """The values given to the option ``canon``."""
        return [v for k, v in self.pairs if k == canon and v is not None]


def _pflag(o: Opts, word: str) -> str:
    """Go's pflag reads ``-e=X`` (and ``-ite=X``) as ``-e X``; getopt-style parsing would
    keep the ``=`` in the value (a workdir ``=/root/.ssh`` would not be the one that runs)."""
    if word.startswith("--") or len(word) < 3:
        return word
    for j in range(1, len(word)):
        canon = o.alias.get("-" + word[j])
        if canon is None:
            return word
        if o.kind[canon]:
            return word[:j + 1] + word[j + 2:] if word[j + 1:j + 2] == "=" else word
    return word


def _options(known: Opts, words: tuple[str, ...], i: int, interspersed: bool
             ) -> tuple[int, list[tuple[str, str | None]], list[int], bool] | str:
    """Options from ``words[i]`` on: (where they end, their pairs, where the operands met on
    the way when ``interspersed`` are, whether a ``--`` ended them), or why a word is no
    known option."""
    pairs: list[tuple[str, str | None]] = []
    ops: list[int] = []
    steps = 0
    while i < len(words):
        steps += 1
        if not steps & 31:
            check()  # an option may take two words: count steps, not words
        a = words[i]
        if a == "--":
            return i + 1, pairs, ops, True
        if a == "-" or not a.startswith("-"):
            if not interspersed:
                return i, pairs, ops, False
            ops.append(i)
            i += 1
            continue
        got = option_at(known, (_pflag(known, a), *words[i + 1:i + 2]), 0)
        if isinstance(got, str):
            return got
        p, step = got
        pairs.extend(p.pairs)
        i += step
    return i, pairs, ops, False


def _not_ordinary(known: Opts, ordinary: Opts, pairs: list[tuple[str, str | None]]) -> str:
    for k, _ in pairs:
        if k not in ordinary.kind:
            spellings = "/".join(s for s, c in known.alias.items() if c == k)
            return f"option {spellings} is not ordinary"
    return ""


def _container_run(label: str, grammar: tuple[Opts, Opts], args: tuple[str, ...],
                   i: int) -> Launch:
    """``[OPTIONS] CONTAINER COMMAND...`` from ``args[i]`` on (docker and compose stop reading
    options at the container's name: every later word is the command's)."""
    ordinary, known = grammar
    got = _options(known, args, i, interspersed=False)
    if isinstance(got, str):
        return Launch(label, None, why=got)
    end, pairs, _, _ = got
    at = end + 1  # the container, then the command
    why = _not_ordinary(known, ordinary, pairs)
    if at >= len(args):
        return Launch(label, None, tuple(pairs), ordinary,
                      why or "runs the container's own command, which the guard cannot see",
                      1 + end if end < len(args) else None)
    return Launch(label, 1 + at, tuple(pairs), ordinary, why, 1 + end)


def _compose(label: str, args: tuple[str, ...], i: int) -> Launch | None:
    got = _options(_COMPOSE_KNOWN, args, i, interspersed=False)
    if isinstance(got, str) or got[3]:
        return None
    i = got[0]
    sub = args[i] if i < len(args) else ""
    if sub == "exec":
        return _container_run(f"{label} exec", _COMPOSE_EXEC, args, i + 1)
    if sub == "run":
        return _container_run(f"{label} run", _COMPOSE_RUN, args, i + 1)
    return None


_DOCKER_PS = opts("-q|--quiet -a|--all -l|--latest -n|--last:num -f|--filter:any --no-trunc",
                  abbrev=False)
_COMPOSE_PS = opts("-q|--quiet -a|--all --status:any --filter:any", abbrev=False)
_K8S_GET_NAME = opts(K8S_GLOBAL + "-l|--selector:any --field-selector:any -o|--output:any "
                     "--no-headers", abbrev=False)
#: ``-o jsonpath=`` templates that print pod names only
_POD_NAME_PATH = re.compile(r"jsonpath=\{\.items\[[0-9]{1,3}\]\.metadata\.name\}|"
                            r"jsonpath=\{\.metadata\.name\}")


_SHELL_SYNTAX = re.compile(r"[;&|<>$`()#\\\n]")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*+")


def names_containers(word: str) -> bool:
    """``word`` is one command substitution that prints container ids or pod names, never an
    option or a word the agent chose (``$(docker ps -q -f name=web)``, ``$(kubectl get pods
    -l app=web -o name)``): unquoted, it still names where a command runs, not what runs."""
    if not (word.startswith("$(") and word.endswith(")")) or _SHELL_SYNTAX.search(word[2:-1]):
        return False  # one command, nothing of the shell's own (``;``, ``&&``, ``$``, ``#``)
    try:
        w = tuple(shlex.split(word[2:-1]))
    except ValueError:
        return False
    if not w:
        return False
    name, args = w[0], w[1:]
    if name in DOCKERS or name == "docker-compose":
        compose = name == "docker-compose" or args[:1] == ("compose",)
        got = _options(COMPOSE_GLOBAL if compose else DOCKER_GLOBAL,
                       args[1:] if args[:1] == ("compose",) else args, 0, interspersed=False)
        rest = (args[1:] if args[:1] == ("compose",) else args)
        if isinstance(got, str) or got[3] or rest[got[0]:got[0] + 1] != ("ps",):
            return False
        p = parse_opts(_COMPOSE_PS if compose else _DOCKER_PS,
                       tuple(_pflag(_DOCKER_PS, a) for a in rest[got[0] + 1:]))
        return not isinstance(p, str) and ("-q", None) in p.pairs and (
            compose or not p.ops) and all(_PLAIN.fullmatch(o) for o in p.ops)
    if name in KUBECTLS:
        p = parse_opts(_K8S_GET_NAME, tuple(_pflag(_K8S_GET_NAME, a) for a in args))
        if isinstance(p, str) or p.ops[:1] != ("get",) or len(p.ops) > 3 or \
                p.ops[1:2] not in (("pod",), ("pods",), ("po",)) or \
                not all(_PLAIN.fullmatch(o) for o in p.ops):
            return False
        out = [v for k, v in p.pairs if k == "-o"]
        return len(out) == 1 and (out[0] == "name" or bool(_POD_NAME_PATH.fullmatch(out[0])))
    return False


def subcommand(name: str, args: tuple[str, ...]) -> str | None:
    """The subcommand of a docker/podman/docker-compose/kubectl/oc line past its global
    options ("" when there is none), or None when a global option is not one the tool has
    (then which word is the subcommand is not known)."""
    known = _COMPOSE_KNOWN if name == "docker-compose" else (
        _DOCKER_KNOWN if name in DOCKERS else _K8S_KNOWN)
    got = _options(known, args, 0, interspersed=False)
    if isinstance(got, str):
        return None
    return args[got[0]] if got[0] < len(args) else ""


@functools.lru_cache(maxsize=32)  # the commands of one line at a time
def launch(name: str, args: tuple[str, ...]) -> Launch | None:
    """The container launch ``name ARGS`` makes, or None when it is no launch (or its global
    options hide which subcommand it is: the catalogue holds that). Cached: the parser, the
    catalogue and the walk each ask about the same command."""
    if name == "docker-compose":
        return _compose(name, args, 0)
    if name in DOCKERS:
        got = _options(_DOCKER_KNOWN, args, 0, interspersed=False)
        if isinstance(got, str) or got[3]:
            return None
        i = got[0]
        sub = args[i:i + 2]
        if sub[:1] == ("exec",):
            return _container_run(f"{name} exec", _DOCKER_EXEC, args, i + 1)
        if sub == ("container", "exec"):
            return _container_run(f"{name} container exec", _DOCKER_EXEC, args, i + 2)
        if sub[:1] == ("compose",):
            return _compose(f"{name} compose", args, i + 1)
        return None
    if name in KUBECTLS:
        got = _options(_K8S_KNOWN, args, 0, interspersed=False)
        if isinstance(got, str) or got[3]:
            return None
        i = got[0]
        if args[i:i + 1] != ("exec",):
            return None
        label = f"{name} exec"
        ordinary, known = _K8S_EXEC
        got = _options(known, args, i + 1, interspersed=True)
        if isinstance(got, str):
            return Launch(label, None, why=got)
        end, pairs, ops, dd = got
        why = _not_ordinary(known, ordinary, pairs)
        if not dd or len(ops) != 1:
            # without ``--`` kubectl's words and the command's are not told apart
            return Launch(label, None, tuple(pairs), ordinary,
                          why or "one pod, then -- and the command, is the only form the "
                                 "guard reads")
        if end >= len(args):
            return Launch(label, None, tuple(pairs), ordinary, why or "no command", 1 + ops[0])
        return Launch(label, 1 + end, tuple(pairs), ordinary, why, 1 + ops[0])
    return None


__all__ = ["COMPOSE_GLOBAL", "DOCKER_GLOBAL", "K8S_GLOBAL", "LAUNCHERS", "Launch", "launch",
           "names_containers", "subcommand"]
