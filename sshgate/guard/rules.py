"""The built-in catalogue of destructive and forbidden command patterns. Pure.

Each rule has a stable name, a one-line why and a default action; its matcher looks at one
:class:`SimpleCommand` and returns the paths it acts on (possibly empty) or None.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..policy.model import Action
from .bounds import raised_priority
from .clobber import data_file_writes
from .cloud import bucket_copy, terragrunt_words
from .find import ARTIFACT_VIA, artifacts_only
from .parse import PID_QUOTED, PID_WORD, SimpleCommand, command_name, trap_setting, unwrap_at
from .pycode import inline_python_why
from .redis_cli import MODES as REDIS_MODES
from .redis_cli import OPTIONS as REDIS_OPTIONS
from .redis_cli import destructive as redis_destructive
from .reveal import (
    RECURSIVE,
    REMOTE_RUNNERS,
    REVEAL_NAMES,
    remote_expansion,
    reveals,
    tree_operands,
)
from .secret_paths import is_secret_literal, is_secret_path

Matcher = Callable[[SimpleCommand], "tuple[str, ...] | None"]
HIT: tuple[str, ...] = ()

A, P, D = Action.ALLOW, Action.APPROVE, Action.DENY


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    why: str
    action: Action
    match: Matcher
    #: the command names the matcher can match (classify tries the rule on no other
    #: command); None means any name (rules on redirections, paths, the environment)
    names: frozenset[str] | None = None


# --- helpers ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Opts:
    short: frozenset[str]
    long: frozenset[str]
    operands: tuple[str, ...]
    words: tuple[str, ...]

    def has(self, *flags: str) -> bool:
        for f in flags:
            if f.startswith("--"):
                if f in self.long:
                    return True
            elif f.startswith("-") and f[1:] in self.short:
                return True
        return False


@functools.lru_cache(maxsize=4096)
def opts(args: tuple[str, ...]) -> Opts:
    """Rough getopt: short flags (combined too), long options (before '='), operands."""
    short: set[str] = set()
    long: set[str] = set()
    operands: list[str] = []
    rest = False
    for a in args:
        if rest or a == "-" or not a.startswith("-"):
            operands.append(a)
        elif a == "--":
            rest = True
        elif a.startswith("--"):
            long.add(a.split("=", 1)[0])
        else:
            body = a[1:]
            if body.isdigit() or body.isupper() and len(body) > 1:
                short.add(body)  # kill -9, kill -KILL
            else:
                short.update(body)
                short.add(body)
    return Opts(frozenset(short), frozenset(long), tuple(operands), args)


def norm(path: str) -> str:
    """Normalise a path operand for matching (``/etc//x/../y`` -> ``/etc/y``)."""
    p = path.strip()
    if p.startswith("/"):
        p = posixpath.normpath(p)
        if p.startswith("//"):
            p = "/" + p.lstrip("/")
    return p


SYSTEM_DIRS = ("/etc", "/boot", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
               "/var/lib", "/proc/sys", "/sys", "/root", "/var/spool/cron", "/efi")
TOP_DIRS = ("/", "/*", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt",
            "/proc", "/root", "/sbin", "/srv", "/sys", "/usr", "/var", "/mnt", "/media", "/run",
            "~", "~/", "~/*", "$HOME", "${HOME}", "$HOME/", "$HOME/*", ".", "./", "*", "/.", "..",
            "/var/lib", "/var/log", "/usr/local", "/usr/lib", "/usr/bin")
BLOCK_DEV = re.compile(r"^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|dm-\d|md\d|"
                       r"mapper/|loop\d|disk/|sr\d|mem$|kmem$|port$|root$|nbd\d|zram\d|rbd\d)")
DEV_NET = re.compile(r"^/dev/(tcp|udp)/")
#: Longer than Linux's PATH_MAX is no path open() accepts (ENAMETOOLONG).
PATH_MAX = 4096
# The path patterns below are tried at every position of a path; every branch starts at the
# beginning or at a "/", so a leading assertion skips other positions at once (~20x faster).
#: What counts as a secret path is a data table (guard/secret_paths.py), matched against
#: literal paths and, structurally, against globs, braces and expansions.
SECRET_SAFE_COMMANDS = frozenset({
    "ls", "stat", "chmod", "chown", "chgrp", "file", "test", "[", "ssh-keygen", "ssh-add", "ssh",
    "touch", "du", "wc", "find", "realpath", "readlink", "basename", "dirname", "namei",
    "getfacl", "setfacl", "lsattr", "mkdir", "sha256sum", "sha1sum", "md5sum", "sha512sum",
    "rm", "shred", "mv", "git", "echo", "sftp", "scp", "rsync", "ansible", "ansible-playbook",
    "terraform", "kubectl", "helm", "docker", "openssl", "gpg", "ssh-copy-id", "export",
})
HISTORY_FILES = re.compile(r"(?:^|(?=/))"
                           r"(?:(^|/)\.(bash|zsh|sh|python|mysql|psql|node_repl|lesshst)_?history$|"
                           r"(^|/)\.zhistory$|^/var/log(/|$)|^/var/log/|(^|/)wtmp$|(^|/)btmp$|"
                           r"(^|/)lastlog$|(^|/)auth\.log|(^|/)syslog|(^|/)secure$|"
                           r"(^|/)messages$|/var/log/audit/|/var/log/journal)")
AUTH_FILES = re.compile(r"(?:^|(?=/))"
                        r"(?:(^|/)\.ssh/authorized_keys2?$|^/etc/sudoers(\.d/.*)?$|^/etc/shadow$|"
                        r"^/etc/passwd$|^/etc/group$|^/etc/gshadow$|^/etc/pam\.d/|"
                        r"^/etc/ssh/sshd_config|^/etc/security/)")
DOWNLOADERS = frozenset({"curl", "wget", "fetch", "aria2c", "nc", "ncat", "netcat", "socat",
                         "telnet", "http", "https", "lwp-download", "ftp", "tftp", "openssl",
                         "base64", "base32", "xxd", "uudecode", "gunzip", "zcat", "xz",
                         "python", "python3"})
NET_FETCH = frozenset({"curl", "wget", "fetch", "aria2c", "nc", "ncat", "netcat", "socat",
                       "telnet", "http", "https", "lwp-download", "ftp", "tftp"})
DECODERS = frozenset({"base64", "base32", "xxd", "uudecode", "openssl", "gunzip", "zcat", "rev",
                      "tr", "gzip", "bzcat", "xzcat", "printf", "echo"})
INTERPRETERS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "tcsh",
                          "csh", "python", "python2", "python3", "perl", "ruby", "node", "nodejs",
                          "php", "lua", "tclsh", "pwsh", "busybox", "deno", "bun", "irb",
                          "Rscript"})
NET_SENDERS = frozenset({"curl", "wget", "nc", "ncat", "netcat", "socat", "scp", "rsync", "sftp",
                         "ftp", "tftp", "telnet", "mail", "sendmail", "mutt", "aws", "gsutil",
                         "rclone", "s3cmd", "az", "gcloud", "http", "https", "ssh"})


def is_system_path(p: str) -> bool:
    p = norm(p)
    return any(p == d or p.startswith(d + "/") for d in SYSTEM_DIRS)


def is_top(p: str) -> bool:
    q = norm(p)
    return q in TOP_DIRS or p in TOP_DIRS or q.rstrip("/*") in ("", "~") or re.fullmatch(
        r"/[^/]+/?\*?", q) is not None and q.rstrip("/*") in TOP_DIRS


def is_secret(p: str) -> bool:
    """``p`` names, or as a glob/brace/expansion could name, a secret (secret_paths.py)."""
    return is_secret_path(p)


def writes(cmd: SimpleCommand) -> list[str]:
    """Files the command's redirections write to."""
    if not cmd.redirects:  # most commands: six rules ask
        return []
    return [r.target for r in cmd.redirects if r.op in (">", ">>", ">|", "&>", "&>>", "<>")
            and not r.target.isdigit()]


def reads(cmd: SimpleCommand) -> list[str]:
    return [r.target for r in cmd.redirects if r.op in ("<", "<>")]


def sub(cmd: SimpleCommand) -> str:
    """The first operand (subcommand), lower-cased, e.g. ``stop`` in ``systemctl stop x``."""
    o = opts(cmd.args)
    return o.operands[0].lower() if o.operands else ""


#: a git remote reached over ssh: ``ssh://[USER@]HOST...`` (any case: git lower-cases the
#: scheme); the scp-like ``[USER@]HOST:PATH`` is read by _git_ssh_user
_GIT_SSH_URL = re.compile(r"(?i)(?:ssh|git\+ssh|ssh\+git)://(?:([^@/]*)@)?[^/]")


#: git subcommands whose operands name remotes (an scp-like `host:path` is one there)
_GIT_REMOTE_SUBCOMMANDS = frozenset({"clone", "fetch", "pull", "push", "ls-remote", "remote",
                                     "submodule", "archive", "request-pull"})


#: push/fetch/pull flags that take no value (a value given as ``--opt=VALUE`` is one word)
_GIT_SYNC_FLAGS = frozenset({
    "-u", "--set-upstream", "-f", "--force", "--tags", "--follow-tags", "--all", "-v",
    "--verbose", "-q", "--quiet", "--dry-run", "-n", "--prune", "-p", "--rebase",
    "--no-rebase", "--ff-only", "--ff", "--no-ff", "--atomic", "-d", "--delete",
    "--no-verify", "--force-with-lease", "--force-if-includes", "--porcelain", "--progress",
    "--no-tags", "-t", "--unshallow", "--autostash", "--no-autostash", "--mirror",
    "--prune-tags", "-P", "--append", "-a", "--no-edit", "--squash",
    "--no-commit", "--stat", "--no-stat", "--no-recurse-submodules"})


def _git_refspecs(args: tuple[str, ...], sub: str) -> frozenset[int]:
    """(session 17) The indexes of ``git push|fetch|pull``'s refspecs (``HEAD:feature/x``),
    the operands after its repository: no remote there. Empty (every operand may be the
    repository) when an option before the repository is one that could take the next word."""
    if sub not in ("push", "fetch", "pull"):
        return frozenset()
    at = args.index(sub) + 1
    for i in range(at, len(args)):
        a = args[i]
        if a == "--":
            return frozenset(range(i + 2, len(args)))
        if not a.startswith("-"):
            return frozenset(range(i + 1, len(args)))
        if a.startswith("--") and "=" in a or a in _GIT_SYNC_FLAGS:
            continue
        return frozenset()
    return frozenset()


def _git_ssh_user(word: str, scp_like: bool) -> str | None:
    """The user a git remote ``word`` logs in as over ssh ("" for the target's own login);
    None when ``word`` is no ssh remote (``scp_like``: the ``host:path`` spelling counts)."""
    m = _GIT_SSH_URL.match(word)
    if m is not None:
        return m.group(1) or ""
    if not scp_like or word.startswith("-") or "://" in word:
        return None
    head, colon, _ = word.partition(":")  # [USER@]HOST:PATH, HOST plain (git's own test)
    user, at, host = head.rpartition("@")
    if not colon or "/" in head or not host or not all(
            ch.isalnum() or ch in "._-" for ch in host):
        return None
    return user if at else ""
#: ssh's options that take a value (OpenSSH 9): ``-lQ`` is the login "Q", not a query
_SSH_VALUED = frozenset("BbcDEeFIiJLlmOopQRSWw")


def _ssh_hop(c: SimpleCommand) -> bool:
    """An ssh-like client that connects somewhere; not one that only prints its version
    (``-V``), its configuration (``-G``) or what it supports (``-Q``), and exits."""
    if c.name == "git":
        # git's ssh transport runs `ssh USER@HOST git-upload-pack PATH` with the target's
        # keys (red team s9b F8): a hop unless USER is a forge's shared `git` account
        # (github, gitlab, gitea: it serves repositories, never a shell or a host's files)
        args = c.argv[1:]
        sub = next((a for i, a in enumerate(args) if not a.startswith("-") and
                    (i == 0 or args[i - 1] not in ("-C", "-c"))), "")
        scp_like = sub in _GIT_REMOTE_SUBCOMMANDS  # elsewhere `REV:PATH` is no remote
        refspecs = _git_refspecs(args, sub)
        return any(_git_ssh_user(a, scp_like and i not in refspecs) not in (None, "git")
                   for i, a in enumerate(args))
    if c.name not in REMOTE_RUNNERS:
        return False
    args = iter(c.argv[1:])
    for a in args:
        if a == "--" or not a.startswith("-") or a == "-":
            break  # the destination: options end here
        for i, ch in enumerate(a[1:], 1):
            if ch in "VG" or ch == "Q" and c.name == "ssh":
                return False
            if ch in _SSH_VALUED:
                if i == len(a) - 1:
                    next(args, None)
                break
    return True


def _on(names: str) -> frozenset[str]:
    return frozenset(names.split())


def named(*names: str) -> Callable[[SimpleCommand], bool]:
    s = frozenset(names)
    return lambda c: c.name in s


def _m(pred: Callable[[SimpleCommand], object],
       paths: Callable[[SimpleCommand], tuple] | None = None) -> Matcher:
    def match(c: SimpleCommand) -> tuple[str, ...] | None:
        if not c.argv:
            return None
        if pred(c):
            return tuple(paths(c)) if paths else HIT
        return None

    return match


def operands(c: SimpleCommand) -> tuple[str, ...]:
    return opts(c.args).operands


# --- matchers --------------------------------------------------------------------------------
#: what a build, a test run or an install makes again: deleting it loses nothing
BUILD_ARTIFACT = re.compile(
    r"\A(?:node_modules|dist|build|target|out|__pycache__|\.pytest_cache|\.mypy_cache|"
    r"\.ruff_cache|\.tox|\.nox|htmlcov|\.coverage|coverage|coverage\.xml|\.next|\.nuxt|"
    r"\.parcel-cache|\.turbo|\.eggs|\.hypothesis|storybook-static|\.svelte-kit|"
    r"[A-Za-z0-9_.-]+\.egg-info)\Z")
_PLAIN_COMPONENT = re.compile(r"[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*")
#: a glob whose every expansion is a compiled file or a package's build metadata
_ARTIFACT_GLOB = re.compile(r"\*\.(?:pyc|pyo|o|class|egg-info)")


def build_artifacts_only(c: SimpleCommand) -> bool:
    """``rm -rf node_modules dist/ api/build``: every operand a relative path in the tree
    whose last component is a build artifact, each component plain, none computed; or the
    rm of ``{}`` a find that selects only build artifacts runs (find.artifacts_only)."""
    if c.name == "rm" and c.via[-1:] == (ARTIFACT_VIA,):
        return c.args[-1:] == ("{}",) and not any(c.dynamic[1:])
    if c.name != "rm" or any(c.dynamic[1:]) or not all(
            a in ("-r", "-R", "-f", "-rf", "-fr", "-Rf", "-fR", "-v", "-rv", "-rfv", "--",
                  "--recursive", "--force", "--verbose") or not a.startswith("-")
            for a in c.args):
        return False
    ops = [a for a in c.args if not a.startswith("-")]
    if not ops:
        return False
    for o in ops:
        o = o[2:] if o.startswith("./") else o
        if o.endswith("/"):
            return False  # rm -rf build/ deletes what a link named build points to
        parts = o.split("/")
        if _ARTIFACT_GLOB.fullmatch(parts[-1]) and all(_PLAIN_COMPONENT.fullmatch(p)
                                                       for p in parts[:-1]):
            continue  # rm -f *.pyc, rm -rf *.egg-info: the names bash gives are artifacts
        if not o or o.startswith(("/", "~")) or not BUILD_ARTIFACT.fullmatch(parts[-1]) or \
                not all(_PLAIN_COMPONENT.fullmatch(p) for p in parts[:-1]) or \
                any(ch in o for ch in "*?[{$`\\"):
            return False
    return True


def _rm_recursive(c: SimpleCommand) -> bool:
    o = opts(c.args)
    return (c.name in ("rm", "rmdir") and o.has("-r", "-R", "--recursive") or (
        c.name == "rmdir" and o.has("-p", "--parents"))) and not build_artifacts_only(c)


def _rm_root(c: SimpleCommand) -> bool:
    if c.name != "rm":
        return False
    o = opts(c.args)
    if o.has("--no-preserve-root"):
        return True
    return o.has("-r", "-R", "--recursive") and any(is_top(p) for p in o.operands)


def _rm_force(c: SimpleCommand) -> bool:
    o = opts(c.args)
    return c.name == "rm" and o.has("-f", "--force") and not o.has(
        "-r", "-R", "--recursive") and not build_artifacts_only(c)


def _rm_system(c: SimpleCommand) -> bool:
    return c.name in ("rm", "unlink", "rmdir") and any(is_system_path(p) for p in operands(c))


def _dd_device(c: SimpleCommand) -> bool:
    if c.name != "dd":
        return False
    return any(a.startswith("of=") and BLOCK_DEV.match(norm(a[3:])) for a in c.args)


def _device_write_cmd(c: SimpleCommand) -> bool:
    """cp/tee/pv/shred/install onto a block device (badblocks -w rewrites it)."""
    if c.name == "badblocks":
        return opts(c.args).has("-w")
    if c.name not in ("cp", "tee", "pv", "shred", "install"):
        return False
    ops = operands(c)
    targets = ops[-1:] if c.name in ("cp", "install") else ops
    return any(BLOCK_DEV.match(norm(p)) for p in targets)


def _mkfs(c: SimpleCommand) -> bool:
    return c.name.startswith("mkfs") or c.name in ("mke2fs", "mkdosfs", "mkntfs", "wipefs",
                                                    "mkswap", "blkdiscard", "mkreiserfs")


def _partition(c: SimpleCommand) -> bool:
    o = opts(c.args)
    if c.name in ("fdisk", "sfdisk", "cfdisk", "gdisk", "cgdisk"):
        return not o.has("-l", "--list", "-s", "--show-size", "-d", "--dump", "-V", "--verify")
    if c.name == "parted":
        words = [w.lower() for w in o.operands[1:]]
        return not (o.has("-l", "--list") or (words and words[0] == "print")) or any(
            w in ("rm", "mklabel", "mkpart", "resizepart", "mktable", "rescue") for w in words)
    if c.name == "sgdisk":
        return not o.has("-p", "--print", "-i", "--info", "-v", "--verify")
    return False


def _lvm(c: SimpleCommand) -> bool:
    return c.name in ("lvremove", "vgremove", "pvremove", "lvreduce", "vgreduce", "dmsetup") and (
        c.name != "dmsetup" or sub(c) in ("remove", "remove_all", "wipe_table"))


def _zfs(c: SimpleCommand) -> bool:
    return c.name in ("zfs", "zpool") and sub(c) in ("destroy", "labelclear", "rollback")


def _umount_force(c: SimpleCommand) -> bool:
    return c.name == "umount" and (opts(c.args).has("-f", "--force", "-l", "--lazy", "-a",
                                                    "--all") or any(p == "/" for p in operands(c)))


def _swapoff(c: SimpleCommand) -> bool:
    return c.name == "swapoff"


def _mount(c: SimpleCommand) -> bool:
    return c.name == "mount" and (len(operands(c)) >= 1 and not opts(c.args).has("-l")) and any(
        o in ("remount",) or "remount" in o or o.startswith("/") for o in c.args)


def _power(c: SimpleCommand) -> bool:
    n, o = c.name, opts(c.args)
    if n in ("reboot", "halt", "poweroff", "kexec"):
        return True
    if n == "shutdown":
        return not o.has("-c", "--cancel")
    if n in ("init", "telinit"):
        return any(x in ("0", "6", "1", "s", "S") for x in o.operands)
    if n in ("systemctl", "loginctl"):
        return sub(c) in ("poweroff", "reboot", "halt", "kexec", "suspend", "hibernate",
                          "hybrid-sleep", "rescue", "emergency", "soft-reboot") or (
            sub(c) == "isolate" and any(t.startswith(("rescue", "emergency", "poweroff",
                                                      "reboot", "halt")) for t in o.operands))
    return False


def _sysrq(c: SimpleCommand) -> bool:
    return any(norm(p) in ("/proc/sysrq-trigger",) or norm(p).startswith("/proc/sys/kernel/sysrq")
               for p in writes(c) + (list(operands(c)) if c.name in ("tee", "dd") else []))


_SVC_STOP = {"stop", "disable", "mask", "kill", "isolate"}


def _svc_stop(c: SimpleCommand) -> bool:
    if c.name == "systemctl":
        return sub(c) in _SVC_STOP
    if c.name == "service":
        ops = operands(c)
        return len(ops) >= 2 and ops[1] in ("stop", "force-stop")
    if c.name in ("update-rc.d", "chkconfig"):
        return any(a in ("disable", "remove", "off") for a in c.args)
    if c.name in ("rc-service", "sv"):
        return any(a in ("stop", "down", "kill") for a in c.args)
    if c.name == "docker" and sub(c) == "stop":
        return False
    return False


_KILL_SIGS = {"9", "KILL", "SIGKILL", "s"}


def _kill_force(c: SimpleCommand) -> bool:
    if c.name in ("pkill", "killall", "killall5", "skill", "slay"):
        return True
    if c.name == "kill":
        o = opts(c.args)
        if o.short & {"9", "KILL", "SIGKILL"}:
            return True
        # (session 17) ids looked up on the line (``kill $(pgrep -f app)``) are pkill's
        # by-name kill; only signal 0 (is it alive?) sends nothing
        looked_up = PID_WORD in c.args or PID_QUOTED in c.args
        if looked_up and not o.short & {"0"} and "-s0" not in c.args and not any(
                x in ("-s", "--signal", "-n") and y in ("0", "SIG0")
                for x, y in zip(c.args, c.args[1:], strict=False)):
            return True
        a = list(c.args)
        for i, x in enumerate(a):
            if x in ("-s", "--signal", "-n") and i + 1 < len(a) and a[i + 1].upper().lstrip(
                    "SIG") in ("KILL", "9"):
                return True
            # -sKILL, -n9, --signal=KILL: the same signal spelt in one word
            val = x.split("=", 1)[1] if x.startswith("--signal=") else (
                x[2:] if x.startswith(("-s", "-n")) and len(x) > 2 else None)
            if val is not None and val.upper().removeprefix("SIG") in ("KILL", "9"):
                return True
    return False


def _kill_init(c: SimpleCommand) -> bool:
    if c.name != "kill":
        return False
    ops = [x for x in c.args if not x.startswith("-") or x == "-1"]
    return any(x in ("1", "-1") for x in ops) or "-1" in c.args[-1:]


def _user_mod(c: SimpleCommand) -> bool:
    n, o = c.name, opts(c.args)
    if n in ("userdel", "deluser", "groupdel", "delgroup", "chpasswd", "passwd", "gpasswd",
             "chage", "vipw", "vigr", "newusers", "pwconv", "grpconv"):
        return not (n == "passwd" and o.has("-S", "--status"))
    if n == "usermod":
        return o.has("-L", "--lock", "-e", "--expiredate", "-p", "--password", "-s", "--shell",
                     "-G", "--groups", "-aG", "-u", "--uid", "-o")
    if n in ("useradd", "adduser"):
        return o.has("-o", "--non-unique", "-u") and any(x == "0" for x in c.args)
    return False


def wrapper_args(c: SimpleCommand) -> tuple[str, ...]:
    """A wrapper's own arguments, before the command it runs (``sudo -u x journalctl -xeu``:
    ``-u x``): the wrapped command's options are not the wrapper's."""
    at, _ = unwrap_at(c)
    return c.args if at is None else c.argv[1:at]


def _sudoers_edit(c: SimpleCommand) -> bool:
    return c.name in ("visudo", "sudoedit") or (
        c.name == "sudo" and opts(wrapper_args(c)).has("-e", "--edit"))


def _auth_files(c: SimpleCommand) -> tuple[str, ...]:
    hits = [p for p in writes(c) if AUTH_FILES.search(norm(p).replace("~/", "/~/"))]
    editors = {"tee", "sed", "perl", "vi", "vim", "nvim", "nano", "emacs", "ed", "ex", "cp",
               "mv", "install", "ln", "truncate", "dd", "chattr", "rsync", "scp", "echo",
               "ssh-copy-id", "cat"}
    if c.name in editors and c.name not in ("cat", "echo"):
        ops = operands(c)
        if c.name == "sed" and not opts(c.args).has("-i", "--in-place"):
            ops = ()
        if c.name == "perl" and not any(a.startswith("-") and "i" in a for a in c.args):
            ops = ()
        if c.name in ("cp", "mv", "install", "rsync", "scp"):
            ops = ops[-1:]
        hits += [p for p in ops if AUTH_FILES.search(norm(p).replace("~/", "/~/"))]
        if any(a.startswith("of=") and AUTH_FILES.search(norm(a[3:])) for a in c.args):
            hits.append("of")
    return tuple(hits)


#: tools whose first operand is a program or pattern, unless given by -e/-f (not a path)
PROGRAM_FIRST = frozenset({"awk", "gawk", "mawk", "nawk", "sed", "gsed", "grep", "egrep",
                           "fgrep", "zgrep", "rg", "ag", "jq", "yq", "xmllint"})


#: PROGRAM_FIRST tools whose program is a search pattern (it names no file to open)
_PATTERN_SEARCHERS = frozenset({"grep", "egrep", "fgrep", "zgrep", "rg", "ag"})
#: tools whose operands are names (programs, keys, key patterns), never files: per tool the
#: options whose next word is a file. A glob among their operands (``supervisorctl restart
#: app:*``, ``redis-cli --scan --pattern 'user:*'``) is handed to the tool as a name; only an
#: operand with a ``/`` (a path) or a file option's value is read as a file.
NAME_OPERANDS: dict[str, frozenset[str]] = {
    "supervisorctl": frozenset({"-c", "--configuration"}),
    # unit names and patterns (``app-worker@*``, ``app@{1..4}``: an instance after ``@``,
    # never curl's ``@FILE``); a path operand is still judged as a file
    "systemctl": frozenset({"--root", "--image"}),
    "redis-cli": frozenset({"--eval", "--rdb", "--functions-rdb", "--cacert", "--cacertdir",
                            "--cert", "--key"}),
}


#: a short-option cluster that ends in ``-e`` (grep/sed): the next word is its value; not
#: when a letter before it takes a value itself (``-fe F``: -f reads the file ``e``, and F is
#: a file, ``-ie``: sed's -i with the suffix ``e``)
_SHORT_E = re.compile(r"-(?:(?![efmABCdDil])[A-Za-z])*e")
#: a short cluster with -e or -f in it: the patterns (or program) come from an option, and
#: every operand is a file
_CLUSTER_EF = re.compile(r"-[A-Za-z]*[ef][A-Za-z]*")


def read_operands(c: SimpleCommand) -> tuple[str, ...]:
    """The operands ``c`` may read as files (a leading program or pattern left out)."""
    file_opts = NAME_OPERANDS.get(c.name)
    if file_opts is not None:
        args = c.args
        return tuple(a for i, a in enumerate(args) if (
            not a.startswith("-") and ("/" in a or (i > 0 and args[i - 1] in file_opts))))
    ops = operands(c)
    # a pattern bash globs (unquoted ``.*``, ``~/.ssh/i*``) expands to file names, all but
    # the first of which are read: it is a file operand too
    globbed = {w for i, w in enumerate(c.argv) if i and c.globs(i)}
    if c.name in PROGRAM_FIRST and ops and not any(
            a in ("--expression", "--file", "--regexp") or _CLUSTER_EF.fullmatch(a) or
            a.startswith(("--regexp=", "--expression=", "--file=")) for a in c.args):
        return ops if ops[0] in globbed else ops[1:]
    if c.name in PROGRAM_FIRST and ops:
        # the words after -e (``-e '^$'``, ``-ve x``) are patterns or scripts, not files,
        # unless the same word is also read as a file or bash globs it
        args = c.args
        given = [args[i + 1] for i in range(len(args) - 1) if (args[i] in (
            "--regexp", "--expression") or _SHORT_E.fullmatch(args[i])) and
            not c.globs(i + 2)]
        left = list(ops)
        for g in given:
            if g in left:
                left.remove(g)
        return tuple(o for o in ops if o in left)
    return ops


def literal_dollars(c: SimpleCommand) -> dict[str, str]:
    """Words of ``c`` with a ``$`` bash does not expand ('^$', "cost$"), each with that
    character replaced: matched against the secret tables, it is never a variable."""
    if "$" not in "".join(c.argv):
        return {}
    dyn = (*c.dynamic, *(True,) * (len(c.argv) - len(c.dynamic)))
    computed = {w for w, d in zip(c.argv, dyn, strict=True) if d}
    return {w: w.replace("$", "\x02") for w, d in zip(c.argv, dyn, strict=True)
            if not d and "$" in w and w not in computed}


#: tools that match glob patterns themselves against files they read or write (git
#: pathspecs, find, searchers' --include/-g/-G, archivers' member patterns, copiers'
#: filters, remote globs): a quoted glob is still a glob for them
TOOL_GLOBS = frozenset({"git", "find", "tar", "bsdtar", "zip", "unzip", "7z", "rsync", "scp",
                        "sftp", "cpio", "fd", "fdfind", "locate", "plocate", "gsutil",
                        "rclone", "ansible", "ansible-playbook", "grep", "egrep", "fgrep",
                        "zgrep", "rg", "ag", "ack", "prettier", "eslint", "stylelint",
                        "markdownlint-cli2", "biome", "cspell"})
_LITERAL_CHARS = re.compile(r"[$*?\[{`]")


def literal_words(c: SimpleCommand) -> dict[str, str]:
    """Words of ``c`` whose ``$`` and glob characters bash expands neither (``'^$'``,
    ``'app*'`` quoted), each with those characters replaced: matched against the secret
    tables, such a word names one literal file, never any variable or any file a pattern
    could match. Not for TOOL_GLOBS, which match a quoted glob themselves."""
    out = literal_dollars(c)
    # (a quoted backquote, as in a JMESPath literal ``[?Key==`Name`]``, is a character too)
    if c.name in TOOL_GLOBS or not any(ch in w for w in c.argv for ch in "*?[{`"):
        return out
    dyn = (*c.dynamic, *(True,) * (len(c.argv) - len(c.dynamic)))
    globbed = {w for i, w in enumerate(c.argv) if dyn[i] or c.globs(i)}
    for i, w in enumerate(c.argv):
        if i and w not in globbed and any(ch in w for ch in "*?[{`") and (
                "$" not in w or w in out):
            out[w] = _LITERAL_CHARS.sub("\x02", w)
    return out


#: a search that hunts for credentials rather than for code: two or more credential words
#: as alternatives, a credential word with its value's ``=``/``:``, or a key's armour
_CREDENTIAL = (r"(?:pass(?:word|wd)?|secret|api[_-]?key|apikey|token|credential|private[_ -]?key|"
               r"access[_-]?key)")
_SECRET_HUNT = re.compile(
    rf"(?i){_CREDENTIAL}[^|]{{0,40}}?\|[^|]{{0,40}}?{_CREDENTIAL}|{_CREDENTIAL}\w{{0,20}}"
    r"(?:\\s|[\s.*+?\[\]^]){0,8}(?:=|:)|BEGIN[^'\"\n]{0,30}PRIVATE")
_SEARCHERS = frozenset({"grep", "egrep", "fgrep", "rg", "ag", "ack", "zgrep", "git"})
#: a search that only counts or names the files it matched prints no matched line
_NO_LINES = frozenset({"-l", "-L", "-c", "-q", "--files-with-matches", "--count", "--quiet",
                       "--files-without-match", "-lr", "-rl", "-cr", "-rc"})


_ONE_CREDENTIAL = re.compile(rf"(?i){_CREDENTIAL}|BEGIN[^'\"\n]{{0,30}}PRIVATE")
#: git commands that search history (the pickaxe -S, -G, and --grep)
_HISTORY_VERBS = frozenset({"log", "show", "whatchanged", "rev-list", "reflog"})


def _history_hunt(c: SimpleCommand) -> tuple[str, ...]:
    """(ops16) ``git log -p --all -G 'aws_secret_access_key'``: a pickaxe or --grep search of
    history for a credential word finds the commit that added (or removed) one and prints
    its diff; one word is enough there, as the history is searched for nothing else."""
    if not _HISTORY_VERBS.intersection(c.args[:6]):
        return ()
    args = list(c.args)
    for i, a in enumerate(args):
        m = re.match(r"(-[SG]|--grep)(=?)(.*)", a, re.S)
        if m is None:
            continue
        value = m.group(3) if m.group(3) or m.group(2) else (
            args[i + 1] if i + 1 < len(args) else "")
        if _ONE_CREDENTIAL.search(value):
            return (value,)
    return ()


def _secret_hunt(c: SimpleCommand) -> tuple[str, ...]:
    """``git log -p | grep -iE "password|secret|api_key"``: a search that prints the lines
    where credentials are written, wherever it reads them (its pattern, or ())."""
    if c.name == "git" and "grep" not in c.args[:3]:
        return _history_hunt(c)
    if c.name not in _SEARCHERS:
        return ()
    if any(a in _NO_LINES for a in c.args):
        return ()
    return tuple(a for a in c.args if _SECRET_HUNT.search(a))[:1]


def _secret_read(c: SimpleCommand) -> tuple[str, ...]:
    hunt = _secret_hunt(c)
    if hunt:
        return hunt
    if c.name in SECRET_SAFE_COMMANDS:
        return ()
    at, _ = unwrap_at(c)
    if at is not None:
        # ``sudo supervisorctl restart app:*``, ``sudo grep -c 'err.*' f``: the wrapped
        # command is classified on its own, where its names and patterns are known for what
        # they are; the wrapper keeps its own words (``sudo -C /etc/shadow ...``)
        c = replace(c, argv=c.argv[:at])
    ops = operands(c)
    files = read_operands(c)
    text = literal_words(c)
    # a search tool's pattern is text it looks for, never a file it opens
    # (``grep -rn 'process.env' src/``); awk, sed and jq programs may name files they open
    patterns = c.name in _PATTERN_SEARCHERS
    paths = [p for p in ops if (is_secret(text.get(p, p)) if p in files else
                                not patterns and is_secret_literal(text.get(p, p)))]
    paths += [p for p in reads(c) if is_secret(p)]
    paths += [a[3:] for a in c.args if a.startswith("if=") and is_secret(a[3:])]
    # ``@FILE`` (curl, httpie...): a quoted glob there (``'app@*'``) names one literal file
    paths += [a.split("@", 1)[1] for a in c.args if "@" in a and is_secret(
        text.get(a, a).split("@", 1)[1]) and (c.name not in NAME_OPERANDS or a in files)]
    return tuple(paths)


def _secret_copy(c: SimpleCommand) -> tuple[str, ...]:
    if c.name not in ("scp", "rsync", "sftp"):
        return ()
    return tuple(p for p in operands(c) if is_secret(p.split(":", 1)[-1]))


def _exfil(c: SimpleCommand) -> tuple[str, ...]:
    if c.name not in NET_SENDERS:
        return ()
    paths = []
    args = list(c.args)
    for i, a in enumerate(args):
        for val in (a, a.split("=", 1)[-1]):
            v = val.lstrip("@<")
            if ("@" in val or "<" in val or args[i - 1:i] in (["-T"], ["--upload-file"],
                ["-F"], ["--form"])) and is_secret(v.split(";")[0]):
                paths.append(v)
            elif "=@" in val and is_secret(val.split("=@", 1)[1]):
                paths.append(val.split("=@", 1)[1])
        if i > 0 and args[i - 1] in ("-T", "--upload-file") and is_secret(a):
            paths.append(a)
    if c.name in ("scp", "rsync", "sftp"):
        ops = operands(c)
        if ops and ":" in ops[-1]:
            paths += [p for p in ops[:-1] if is_secret(p)]
    paths += [p for p in reads(c) if is_secret(p)]
    return tuple(dict.fromkeys(paths))


def _reverse_shell(c: SimpleCommand) -> bool:
    o = opts(c.args)
    if c.name in ("nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"):
        return o.has("-e", "-c", "--exec", "--sh-exec", "--lua-exec")
    if c.name == "socat":
        return any(re.search(r"(^|[,:])(exec|system):", a, re.I) for a in c.args) or any(
            a.lower().startswith(("exec:", "system:")) for a in c.args)
    if c.name in ("telnet",) and c.pipe_from and set(c.pipe_from) & INTERPRETERS:
        return True
    return False


def _dev_tcp(c: SimpleCommand) -> tuple[str, ...]:
    hits = [r.target for r in c.redirects if DEV_NET.match(r.target)]
    hits += [a for a in c.args if DEV_NET.match(a)]
    return tuple(hits)


def _stress(c: SimpleCommand) -> bool:
    return c.name in ("stress", "stress-ng")


def _huge_allocation(c: SimpleCommand) -> bool:
    if c.name == "fallocate":
        return any(re.fullmatch(r"(?<!\d)\d++[GT]i?B?", x, re.I) for x in c.args)
    if c.name == "dd":
        return any(a == "if=/dev/zero" or a == "if=/dev/urandom" for a in c.args) and any(
            re.fullmatch(r"count=\d{5,}", a) or re.fullmatch(r"bs=\d+[GT]", a, re.I)
            for a in c.args)
    return False


def _sysctl_write(c: SimpleCommand) -> bool:
    o = opts(c.args)
    return c.name == "sysctl" and (o.has("-w", "--write", "-p", "--load", "--system") or any(
        "=" in x for x in o.operands))


def _write_device_redirect(c: SimpleCommand) -> tuple[str, ...]:
    return tuple(p for p in writes(c) if BLOCK_DEV.match(norm(p)))


def _write_system_redirect(c: SimpleCommand) -> tuple[str, ...]:
    return tuple(p for p in writes(c) if is_system_path(p) and not norm(p).startswith(
        "/proc/sysrq"))


_INPLACE = {"sed", "perl", "truncate", "tee", "ed", "ex", "awk", "gawk", "sponge"}


def _edit_system(c: SimpleCommand) -> tuple[str, ...]:
    n, o = c.name, opts(c.args)
    if n not in _INPLACE and n not in ("cp", "install", "rsync", "mv", "ln", "chattr", "dd",
                                       "touch", "patch", "unzip", "tar"):
        return ()
    targets: tuple[str, ...] = ()
    if n == "sed" and (o.has("-i", "--in-place") or any(a.startswith("-i") for a in c.args)):
        targets = o.operands[1:] if not any(a in ("-e", "-f", "--expression") for a in c.args) \
            else o.operands
    elif n == "perl" and any(a.startswith("-") and "i" in a[1:] for a in c.args if a != "-e"):
        targets = o.operands[1:]
    elif n in ("truncate", "tee", "sponge", "touch", "patch"):
        targets = o.operands
    elif n in ("awk", "gawk") and any(a == "inplace" for a in c.args):
        targets = o.operands[1:]
    elif n in ("cp", "install", "rsync"):
        targets = o.operands[-1:] if len(o.operands) >= 2 else ()
    elif n == "dd":
        targets = tuple(a[3:] for a in c.args if a.startswith("of="))
    elif n == "tar" and (o.has("-x", "--extract") or "x" in (c.args[0] if c.args else "")):
        targets = tuple(c.args[i + 1] for i, a in enumerate(c.args[:-1]) if a in ("-C",
                                                                               "--directory"))
    elif n == "unzip":
        targets = tuple(c.args[i + 1] for i, a in enumerate(c.args[:-1]) if a == "-d")
    return tuple(t for t in targets if is_system_path(t))


def _mv_system(c: SimpleCommand) -> tuple[str, ...]:
    if c.name != "mv":
        return ()
    ops = operands(c)
    hits = [p for p in ops if is_system_path(p) or is_top(p)]
    if ops and norm(ops[-1]) == "/dev/null":
        hits.append(ops[-1])
    return tuple(hits)


def _link_system(c: SimpleCommand) -> tuple[str, ...]:
    if c.name != "ln":
        return ()
    o = opts(c.args)
    ops = o.operands
    if not ops:
        return ()
    hits = [p for p in ops[-1:] if is_system_path(p) or HISTORY_FILES.search(norm(p))]
    if o.has("-f", "--force") and len(ops) >= 2 and is_system_path(ops[-1]):
        hits.append(ops[-1])
    return tuple(dict.fromkeys(hits))


def _chattr(c: SimpleCommand) -> bool:
    return c.name == "chattr"


def _perm_recursive(c: SimpleCommand) -> bool:
    return c.name in ("chmod", "chown", "chgrp", "setfacl", "chcon") and opts(c.args).has(
        "-R", "--recursive")


def _perm_system(c: SimpleCommand) -> tuple[str, ...]:
    if c.name not in ("chmod", "chown", "chgrp", "setfacl", "chcon"):
        return ()
    ops = operands(c)[1:]
    return tuple(p for p in ops if is_system_path(p) or is_top(p) or p.startswith("/dev/"))


def _perm_root(c: SimpleCommand) -> bool:
    if c.name not in ("chmod", "chown", "chgrp"):
        return False
    ops = operands(c)
    return opts(c.args).has("-R", "--recursive") and any(is_top(p) and norm(p) not in
                                                         (".", "./", "*", "..") for p in ops[1:])


_PKG_REMOVE = {"remove", "uninstall", "purge", "autoremove", "erase", "del", "rm", "un",
               "unlink", "autoclean", "-r", "-e", "-rn", "-rns", "-rs", "-rdd"}


def _pkg_remove(c: SimpleCommand) -> bool:
    n = c.name
    if n in ("apt", "apt-get", "aptitude", "yum", "dnf", "zypper", "apk", "snap", "flatpak",
             "brew", "port", "pkg", "choco", "winget", "conda", "mamba", "micromamba", "gem",
             "cargo", "pipx", "npm", "yarn", "pnpm", "bun", "composer", "go", "helm"):
        ops = operands(c)
        first = ops[0].lower() if ops else ""
        if n == "go":
            return False
        if n == "helm":
            return False
        return first in _PKG_REMOVE or (n in ("npm", "pnpm") and first in ("r", "prune"))
    if n in ("pip", "pip3", "pip2", "uv", "poetry", "pdm", "pipenv"):
        ops = operands(c)
        return bool(ops) and ops[0] in ("uninstall", "remove") or (
            n == "uv" and ops[:2] == ("pip", "uninstall"))
    if n == "pacman":
        return any(a.startswith("-R") for a in c.args)
    if n == "dpkg":
        return opts(c.args).has("-r", "-P", "--remove", "--purge")
    if n == "rpm":
        return opts(c.args).has("-e", "--erase")
    if n in ("python", "python3") and c.args[:3] in (("-m", "pip", "uninstall"),):
        return True
    return False


#: installs and upgrades by a system package manager: maintainer scripts run as root, new
#: daemons start, and apt/dnf resolve conflicts by removing installed packages
#: installs by name from registries anyone may publish to (the agent, told by what it read,
#: picks code whose author is nobody the site chose). The distribution's own repositories
#: (apt, dnf/yum, zypper, apk from the configured sources) are curated and signed: their
#: installs stay ordinary, as the README promises; a local file, a URL or an unsigned
#: source is for the catalogue's option tables to refuse. Homebrew's core is curated, a
#: tap is anyone's.
_PKG_INSTALL = {
    "brew": frozenset({"tap"}),
    "snap": frozenset({"install", "refresh", "revert"}),
    "flatpak": frozenset({"install", "update"}),
    **dict.fromkeys(("port", "pkg", "choco", "winget"), frozenset({"install", "upgrade"})),
    **dict.fromkeys(("conda", "mamba", "micromamba"), frozenset({
        "install", "update", "upgrade", "create"})),
    "gem": frozenset({"install", "update"}),
    "cargo": frozenset({"install"}),
    "composer": frozenset({"require", "global"}),
    "pipx": frozenset({"install", "inject", "upgrade", "upgrade-all", "run", "reinstall"}),
    **dict.fromkeys(("poetry", "pdm"), frozenset({"add"})),
}
#: options that only simulate or download
_PKG_SIMULATE = frozenset({"-s", "--simulate", "--dry-run", "--just-print", "--no-act",
                           "--recon", "--download-only", "--assumeno", "--downloadonly"})
#: pip options whose value is a file or an index, not a package to install
_PIP_VALUED = frozenset({"-r", "--requirement", "-c", "--constraint", "-e", "--editable",
                         "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
                         "-t", "--target", "--prefix", "--root", "--upgrade-strategy",
                         "--progress-bar", "--only-binary", "--no-binary", "--timeout",
                         "--retries", "--root-user-action", "--src", "--platform",
                         "--python-version", "--implementation", "--abi"})
#: an installer updating itself by its own exact name
_SELF_UPDATE = {"pip": frozenset({"pip", "setuptools", "wheel"}), "npm": frozenset({"npm"})}
_VERSION_SPEC = re.compile(r"[<>=!~;@\[ ].*$")


def _named_packages(args: tuple[str, ...], valued: frozenset[str]) -> list[str]:
    """The package names among ``args`` (option values, paths and the project ``.`` left out)."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in valued
        elif not a.startswith((".", "/", "~")):
            out.append(a)
    return out


def _pkg_install(c: SimpleCommand) -> bool:
    """Installs software from a registry or repository by name (the agent picks the code
    that runs: maintainer scripts, setup.py, npm lifecycle scripts), or upgrades the host's
    packages. The project's own declared dependencies (``npm ci``, ``pip install -r``) are
    not named packages."""
    n, args = c.name, c.args
    if n in ("python", "python3", "python2") and args[:2] == ("-m", "pip"):
        n, args = "pip", args[2:]
    elif n == "uv" and args[:1] in (("pip",), ("tool",)):
        n, args = ("pip" if args[0] == "pip" else "pipx"), args[1:]
    elif n == "uv" and args[:1] == ("add",):
        return True
    if any(a in _PKG_SIMULATE for a in args):
        return False
    ops = [a for a in args if not a.startswith("-")]
    verb = ops[0].lower() if ops else ""
    if n in _PKG_INSTALL:
        return verb in _PKG_INSTALL[n] and not (n == "cargo" and "--path" in args)
    if n == "pacman":
        return any(a.startswith(("-S", "-U", "--sync", "--upgrade")) and not a.startswith(
            ("-Ss", "-Si", "-Sl", "-Sg")) for a in args)
    if n == "go":
        return verb in ("install", "get") and any(
            "@" in o or not o.startswith(".") for o in ops[1:])
    if n in ("pip", "pip3", "pip2", "pipenv"):
        if verb != "install":
            return False
        names = _named_packages(args[args.index(ops[0]) + 1:], _PIP_VALUED)
        base = {_VERSION_SPEC.sub("", x).lower() for x in names}
        return bool(base) and not base <= _SELF_UPDATE["pip"]
    if n in ("npm", "pnpm", "bun", "yarn"):
        if any(a in ("-g", "--global", "--location=global") for a in args) or verb == "global":
            base = {_VERSION_SPEC.sub("", x).lower() for x in ops[1:]}
            return not (n == "npm" and base and base <= _SELF_UPDATE["npm"])
        return verb in ("install", "i", "add", "in", "isntall") and len(ops) > 1 and n != "yarn" \
            or (n == "yarn" and verb == "add")
    return False


def _firewall(c: SimpleCommand) -> bool:
    n, args = c.name, c.args
    if n in ("iptables", "ip6tables", "iptables-legacy", "iptables-nft", "ebtables", "arptables"):
        o = opts(args)
        if o.has("-F", "--flush", "-X", "--delete-chain", "-Z"):
            return True
        for i, a in enumerate(args):
            if a in ("-P", "--policy") and any(x in ("DROP", "REJECT") for x in args[i + 1:i + 3]):
                return True
        return False
    if n == "iptables-restore" or n == "ip6tables-restore":
        return True
    if n == "nft":
        return any(a in ("flush", "delete", "destroy") for a in args)
    if n == "ufw":
        return sub(c) in ("disable", "reset", "delete") or (sub(c) == "default" and any(
            a in ("deny", "reject") for a in args))
    if n == "firewall-cmd":
        return any(a.startswith(("--panic-on", "--remove-", "--set-default-zone=drop",
                                 "--complete-reload")) for a in args)
    return False


def _net_down(c: SimpleCommand) -> bool:
    n, args = c.name, c.args
    if n == "ip":
        words = [a for a in args if not a.startswith("-")]
        if len(words) >= 2 and words[0] in ("link", "l") and "down" in words:
            return True
        if len(words) >= 2 and words[0] in ("addr", "address", "a", "route", "r", "neigh") and \
                words[1] in ("flush", "del", "delete", "f"):
            return True
        return False
    if n in ("ifdown", "ifconfig"):
        return n == "ifdown" or "down" in args
    if n == "nmcli":
        return any(a in ("down", "off", "delete", "disconnect") for a in args)
    if n in ("tc",):
        return "del" in args or "delete" in args
    return False


def _cron(c: SimpleCommand) -> bool:
    if c.name != "crontab":
        return False
    o = opts(c.args)
    if o.has("-l", "--list"):
        return o.has("-r", "--remove")
    return o.has("-r", "--remove", "-e", "-i") or bool(o.operands) or "-" in c.args or (
        not c.args and bool(c.pipe_from))


def _git(c: SimpleCommand) -> bool:
    if c.name != "git":
        return False
    args = list(c.args)
    # skip git's global options: -C DIR, -c k=v, --git-dir=..., --work-tree ...
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in ("-C", "-c", "--git-dir", "--work-tree", "--namespace") else 1
    if i >= len(args):
        return False
    verb, rest = args[i], args[i + 1:]
    o = opts(tuple(rest))
    if verb == "push":
        return o.has("-f", "--force", "--force-with-lease", "--delete", "-d", "--mirror",
                     "--prune", "--force-if-includes") or any(
            r.startswith("+") or r.startswith(":") for r in o.operands[1:])
    if verb == "reset":
        return o.has("--hard", "--merge", "--keep")
    if verb == "clean":
        return o.has("-f", "--force") and not o.has("-n", "--dry-run")
    if verb == "branch":
        return o.has("-D") or (o.has("-d", "--delete") and o.has("-f", "--force")) or o.has(
            "-M", "-C")
    if verb in ("checkout", "restore"):
        return ("--" in rest and any(x in (".", "*", ":/") for x in rest)) or (
            rest and rest[-1] in (".", ":/")) or o.has("-f", "--force") or (
            verb == "restore" and bool(o.operands) and not o.has("--staged", "-S"))
    if verb == "stash":
        return bool(rest) and rest[0] in ("clear", "drop")
    if verb == "reflog":
        return bool(rest) and rest[0] in ("expire", "delete")
    if verb in ("filter-branch", "filter-repo"):
        return True
    if verb == "gc":
        return any(a.startswith("--prune") for a in rest)
    if verb == "update-ref":
        return o.has("-d")
    if verb == "tag":
        return o.has("-d", "--delete", "-f", "--force")
    if verb == "rebase":
        return False
    return False


def _container(c: SimpleCommand) -> bool:
    if c.name not in ("docker", "podman", "nerdctl", "crictl", "ctr", "docker-compose"):
        return False
    words = [a for a in c.args if not a.startswith("-")]
    if c.name == "docker-compose" or (words[:1] == ["compose"]):
        w = words[1:] if words[:1] == ["compose"] else words
        return bool(w) and w[0] in ("down", "rm", "kill") and (w[0] != "down" or any(
            a in ("-v", "--volumes", "--rmi") for a in c.args))
    if not words:
        return False
    if words[0] in ("rm", "rmi", "kill"):
        return True
    if len(words) >= 2 and words[0] in ("system", "volume", "image", "container", "network",
                                        "builder", "buildx") and words[1] in ("prune", "rm",
                                                                              "remove", "kill"):
        # (session 17) the build cache, and images no tag names, are rebuilt or pulled again
        # (never ``image prune -a``: every image no container runs, a rollback's too)
        return not (words[1] == "prune" and (words[0] in ("builder", "buildx") or (
            words[0] == "image" and not any(a in ("-a", "--all") or a.startswith("-") and
                                            not a.startswith("--") and "a" in a
                                            for a in c.args))))
    if words[0] in ("container", "image") and len(words) >= 2 and words[1] in ("rm", "kill"):
        return True
    return False


_KUBECTL_GLOBAL_VAL = {"-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s",
                       "--server", "--user", "--token", "--as", "-l", "--selector", "-o",
                       "--output", "-f", "--filename", "--request-timeout"}


def _k8s(c: SimpleCommand) -> bool:
    if c.name in ("kubectl", "oc", "k", "kubecolor"):
        args = list(c.args)
        words = []
        i = 0
        while i < len(args):
            a = args[i]
            if a in _KUBECTL_GLOBAL_VAL:
                i += 2
                continue
            if not a.startswith("-"):
                words.append(a)
            i += 1
        if not words:
            return False
        v = words[0]
        if v in ("delete", "drain", "cordon", "taint", "replace") and (
                v != "replace" or any(a in ("--force",) for a in args)):
            return True
        if v == "scale":
            return any(re.fullmatch(r"--replicas=0+", a) for a in args) or (
                "--replicas" in args and args[args.index("--replicas") + 1:][:1] == ["0"])
        if v == "apply":
            return any(a.startswith("--prune") for a in args) or "--force" in args
        if v == "rollout":
            return len(words) >= 2 and words[1] in ("undo",)
        if v == "patch" or v == "edit":
            return False
        return False
    if c.name == "helm":
        return sub(c) in ("uninstall", "delete", "del", "un", "rollback")
    return False


_CLOUD_DELETE = re.compile(r"^(delete|remove|destroy|terminate|deregister|purge|rm|rb|"
                           r"delete-.*|terminate-.*|remove-.*|deregister-.*|purge-.*)$")


def _tf_words(c: SimpleCommand) -> tuple[str, ...]:
    """terraform/tofu operands; terragrunt's ``run-all X``/``run --all X`` is ``X``."""
    if c.name == "terragrunt":
        return terragrunt_words(c.args)
    return opts(c.args).operands


def _infra_destroy(c: SimpleCommand) -> bool:
    n = c.name
    if n in ("terraform", "tofu", "terragrunt"):
        words = _tf_words(c)
        return bool(words) and (words[0] == "destroy" or words[0] == "apply" and any(
            a.lstrip("-").startswith("destroy") for a in c.args if a.startswith("-")))
    if n == "pulumi":
        return sub(c) in ("destroy",) or (sub(c) == "stack" and "rm" in c.args)
    if n in ("cdk", "sam", "serverless", "sls"):
        return sub(c) in ("destroy", "delete", "remove")
    return False


#: terraform subcommands that change state or infrastructure with no plan reviewed
_TF_STATE_CHANGES = frozenset({"import", "taint", "untaint", "force-unlock"})
_TF_STATE_SUB = frozenset({"rm", "push", "mv", "replace-provider"})


def _infra_apply(c: SimpleCommand) -> bool:
    n = c.name
    if n in ("terraform", "tofu", "terragrunt"):
        words = _tf_words(c)
        if not words:
            return False
        if words[0] == "apply" and (any(a.lstrip("-").split("=")[0] == "auto-approve"
                                        for a in c.args) or len(words) > 1):
            return True  # -auto-approve, or a saved plan (applied without a prompt)
        return words[0] == "state" and len(words) > 1 and words[1] in _TF_STATE_SUB or \
            words[0] in _TF_STATE_CHANGES or words[:2] == ("workspace", "delete")
    if n == "pulumi":
        return sub(c) in ("up", "update") and any(a in ("-y", "--yes", "--skip-preview") for a in
                                                  c.args)
    return False


def _cloud_delete(c: SimpleCommand) -> bool:
    if c.name not in ("aws", "gcloud", "az", "gsutil", "doctl", "linode-cli", "hcloud", "oci",
                      "ibmcloud", "s3cmd", "rclone", "scw", "flyctl", "heroku", "vercel"):
        return False
    words = [a for a in c.args if not a.startswith("-")]
    if c.name == "aws" and len(words) >= 2 and words[0] == "s3":
        return words[1] in ("rm", "rb") or (words[1] == "sync" and "--delete" in c.args)
    if c.name in ("gsutil", "s3cmd"):
        return bool(words) and words[0] in ("rm", "rb", "del", "rsync") and (
            words[0] != "rsync" or "-d" in c.args)
    if c.name == "rclone":
        return bool(words) and words[0] in ("delete", "purge", "deletefile", "rmdir", "rmdirs",
                                            "sync", "cleanup")
    return any(_CLOUD_DELETE.match(w) for w in words[:4])


_SQL_DANGER = re.compile(
    r"\b(drop\s+(table|database|schema|index|view|user|role|keyspace|collection)|truncate\b|"
    r"flushall|flushdb|dropdatabase|\.drop\(|deletemany\(\s*\{\s*\}\s*\)|"
    r"alter\s+table\s+\S+\s+drop|grant\s+all|revoke\b|shutdown\b)", re.I)
_SQL_DELETE_NOWHERE = re.compile(r"\bdelete\s+from\s+[^;]*?(;|$)", re.I)
_SQL_UPDATE_NOWHERE = re.compile(r"\bupdate\s+\S+\s+set\s+[^;]*?(;|$)", re.I)
DB_CLIENTS = {"psql", "mysql", "mariadb", "sqlite3", "mongosh", "mongo", "redis-cli",
               "clickhouse-client", "clickhouse", "cqlsh", "sqlcmd", "cockroach", "duckdb",
               "influx", "valkey-cli", "keydb-cli", "memcached-tool"}


def dangerous_sql(text: str) -> bool:
    """DROP/TRUNCATE/FLUSHALL/…, or DELETE/UPDATE without WHERE, anywhere in ``text``."""
    if _SQL_DANGER.search(text):
        return True
    for rx in (_SQL_DELETE_NOWHERE, _SQL_UPDATE_NOWHERE):
        for m in rx.finditer(text):
            if not re.search(r"\bwhere\b", m.group(0), re.I):
                return True
    return False


def _db(c: SimpleCommand) -> bool:
    n = c.name
    if n in ("dropdb", "dropuser", "mysqladmin") and (n != "mysqladmin" or any(
            a in ("drop", "shutdown", "flush-hosts") for a in c.args)):
        return True
    if n in ("redis-cli", "valkey-cli", "keydb-cli"):
        return redis_destructive(c.args)
    if n in DB_CLIENTS:
        if dangerous_sql(" ".join(c.args)):
            return True
        return bool(c.heredoc and dangerous_sql(c.heredoc))
    return False


def _history(c: SimpleCommand) -> tuple[str, ...] | None:
    n, o = c.name, opts(c.args)
    if n == "history" and o.has("-c", "-d", "-w", "-a"):
        return HIT if o.has("-c", "-d") else None
    if n == "unset" and any(a in ("HISTFILE", "HISTSIZE", "HISTFILESIZE") for a in c.args):
        return HIT
    if n == "set" and "+o" in c.args and "history" in c.args:
        return HIT
    if n == "export" and any(re.match(r"HIST(FILE|SIZE|FILESIZE)=(/dev/null|0|)$", a) for a in
                             c.args):
        return HIT
    if any(re.match(r"HIST(FILE|SIZE|FILESIZE)=(/dev/null|0|)$", a) for a in c.assignments) \
            and not c.argv[1:] and n in ("", "export"):
        return HIT
    targets = [p for p in writes(c) if HISTORY_FILES.search(norm(p))]
    if n in ("shred", "rm", "truncate", "wipe", "srm", "unlink") or (
            n == "journalctl" and any(a.startswith("--vacuum") or a == "--rotate" for a in
                                      c.args)):
        if n == "journalctl":
            return HIT
        targets += [p for p in operands(c) if HISTORY_FILES.search(norm(p))]
    if n == "sed" and o.has("-i"):
        targets += [p for p in operands(c) if HISTORY_FILES.search(norm(p))]
    if n in ("cp", "mv", "ln") and operands(c) and HISTORY_FILES.search(norm(operands(c)[-1])):
        targets.append(operands(c)[-1])
    if n in ("ln", "cp", "cat") and "/dev/null" in c.args and targets:
        return tuple(targets)
    return tuple(targets) if targets else None


def _secure_erase(c: SimpleCommand) -> bool:
    return c.name in ("shred", "wipe", "srm", "sfill", "sswap", "scrub")


def _find_delete(c: SimpleCommand) -> tuple[str, ...] | None:
    if c.name != "find" or "-delete" not in c.args or artifacts_only(c.args, c.dynamic[1:]):
        return None
    roots = []
    for a in c.args:
        if a.startswith("-") or a in ("(", "!", ")"):
            break
        roots.append(a)
    return tuple(roots)


#: per interpreter, the options that take code on the command line
_INLINE_FLAGS = {"python": ("-c",), "perl": ("-e", "-E"), "ruby": ("-e",), "node": (
    "-e", "--eval", "-p", "--print"), "php": ("-r",), "lua": ("-e",), "pwsh": ("-c", "-Command"),
    "deno": ("eval",), "bun": ("-e", "--eval"), "Rscript": ("-e",)}
_PYTHON_OR_PYPY = re.compile(r"python[0-9.]*|pypy3?")
_PYTHON = re.compile(r"python[0-9.]*")


def _inline_code(c: SimpleCommand) -> bool:
    """Interpreter code given on the command line that could do anything."""
    n = c.name
    flags = _INLINE_FLAGS
    key = "python" if _PYTHON_OR_PYPY.fullmatch(n) else "node" if n == "nodejs" else n
    if key in ("awk", "gawk", "mawk", "nawk"):
        prog = " ".join(a for a in c.args if not a.startswith("-"))
        return bool(re.search(r"\bsystem\s*\(|\|\s*\"|\"\s*\|\s*getline|print\s*>\s*\"/", prog))
    if key not in flags:
        return False
    args = list(c.args)
    for i, a in enumerate(args):
        if a in flags[key] or (key == "perl" and re.fullmatch(r"-[a-zA-Z]*[eE]", a)) or (
                key == "python" and re.fullmatch(r"-[a-zA-Z]*c", a)):
            code = args[i + 1] if i + 1 < len(args) else ""
            if key == "python" and a == "-c" and inline_python_why(code) is None:
                return False  # proved to compute and print only (pycode.py)
            return bool(_OPAQUE_CODE.search(code))
    return False


_OPAQUE_CODE = re.compile(
    r"system|popen|subprocess|exec|eval|spawn|fork|remove|unlink|rmtree|rmdir|rename|"
    r"open\s*\(|write|socket|urllib|requests|http|__import__|import\s+(os|shutil|socket|pty|ctypes)"
    r"|shutil|os\.|kill|chmod|chown|truncate|child_process|require|File\.|FileUtils|Dir\.|fs\.|"
    r"`|\$\(|\bdelete\b|drop|base64|b64decode|decode|compile|getattr|globals|import\s*\(|pty|"
    r"ctypes|marshal|pickle|Process|Runtime|IO\.|Kernel|%x|\bsh\b|bash|/bin/|/dev/|<\s*STDIN|"
    r"unlink|sysopen|qx", re.I)


#: bash's builtins and the programs the interactive shell's gate runs (gateway/shell.py): a
#: function by one of these names would replace what the gate calls (bash looks functions up
#: first). Keywords cannot be replaced, but a function by such a name is no honest one.
BASH_BUILTINS = frozenset((
    ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command",
    "compgen", "complete", "compopt", "continue", "declare", "dirs", "disown", "echo",
    "enable", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash",
    "help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "printf",
    "pushd", "pwd", "read", "readarray", "readonly", "return", "set", "shift", "shopt",
    "source", "suspend", "test", "times", "trap", "true", "type", "typeset", "ulimit",
    "umask", "unalias", "unset", "wait", "base64", "od",
))
BASH_KEYWORDS = frozenset((
    "[[", "]]", "{", "}", "!", "case", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "in", "select", "then", "time", "until", "while",
))

#: What the interactive shell's gate stands on: its own names, the variables it reads or
#: sets, and the shell options it needs (gateway/shell.py).
_GATE_NAMES = re.compile(r"(?i:__sshgate)|PROMPT_COMMAND|\bPS[02]\b|BASH_ENV|extdebug|"
                         r"POSIXLY_CORRECT|"
                         r"\b(?:HISTCMD|FUNCNAME|BASH_COMMAND|SRANDOM|HISTIGNORE|HISTCONTROL|"
                         r"HISTSIZE)\b")
_GATE_SET_OPTIONS = frozenset({"functrace", "history"})
#: the traps that run inside the gate's own functions (the gate's is DEBUG)
_GATE_TRAPS = frozenset({"DEBUG", "RETURN", "ERR"})
_GATE_SHOPTS = frozenset({"extdebug", "cmdhist", "promptvars"})
#: builtins that name variables, functions or traps in their arguments
_GATE_NAMING = frozenset({"unset", "declare", "typeset", "local", "readonly", "export", "read",
                          "printf", "mapfile", "readarray", "let", "alias", "unalias", "trap",
                          "shopt", "set", "enable", "eval", "source", "."})
#: programs that replace the gated shell with something that reads commands itself
_GATE_EXEC_TARGETS = INTERPRETERS | {"su", "sudo", "doas", "script", "tmux", "screen", "ssh"}


def _gate_tamper(c: SimpleCommand) -> bool:
    """Anything that would switch off the interactive shell's gate: its trap, options,
    variables or functions, in any spelling (``builtin``/``command`` are unwrapped by the
    parser), or replacing the gated shell with another interpreter."""
    n, args = c.name, c.args
    if any(_GATE_NAMES.search(a) for a in c.assignments):
        return True
    if n.startswith("__sshgate"):
        return True
    if "exec" in c.via and (n in _GATE_EXEC_TARGETS or re.fullmatch(r"python[0-9.]*", n)):
        return True
    if n not in _GATE_NAMING:
        return False
    if any(_GATE_NAMES.search(a) for a in args):
        return True
    if n == "trap":
        # setting or resetting one of the gate's traps; or a word computed at run time that
        # may name one (only a set action may be computed)
        if any(a.upper().removeprefix("SIG") in _GATE_TRAPS for a in args):
            return True
        setting = trap_setting(args, c.dynamic[1:])
        return any(c.dynamic[1:]) and (setting is None or setting.unsure)
    if n == "set":
        return _set_turns_off(args)
    if n == "shopt":
        o = opts(args)
        named = set(o.operands)
        return "u" in o.short and bool(named & (_GATE_SHOPTS | _GATE_SET_OPTIONS) or
                                       "o" in o.short and named & _GATE_SET_OPTIONS)
    if n in ("readonly", "declare", "typeset") and "f" in opts(args).short and (
            n == "readonly" or "r" in opts(args).short):
        return True  # a read-only function could shadow a builtin for good
    if n == "enable":
        # -n disables a builtin the gate calls, -f/-d load or delete builtins
        return bool(opts(args).short & {"n", "f", "d"})
    return False


#: what makes bash show the gate's own code (the request id, the line) on the terminal
_TRACE_NAMES = re.compile(r"\b(?:BASH_XTRACEFD|PS4)\b")
_TRACE_OPTIONS = frozenset({"xtrace", "verbose"})


def _shell_trace(c: SimpleCommand) -> bool:
    """``set -x``/``-v`` (in any bundle: ``set -euxo pipefail``), ``set -o xtrace|verbose``,
    ``shopt -so xtrace``, and assigning or naming ``BASH_XTRACEFD``/``PS4``: in a gated shell
    they would print the gate's own code, with its request id, where the agent reads it."""
    n, args = c.name, c.args
    if any(_TRACE_NAMES.search(a) for a in c.assignments):
        return True
    if n in _GATE_NAMING and any(_TRACE_NAMES.search(a) for a in args):
        return True
    if n == "set":
        for i, a in enumerate(args):
            if a in ("--", "-"):
                return False
            if a.startswith("-") and a != "-":
                if set(a[1:]) & {"x", "v"}:
                    return True
                if "o" in a[1:] and i + 1 < len(args) and args[i + 1] in _TRACE_OPTIONS:
                    return True
        return False
    if n == "shopt":
        o = opts(args)
        return "s" in o.short and "o" in o.short and bool(set(o.operands) & _TRACE_OPTIONS)
    return False


def _trap_sets_action(c: SimpleCommand) -> bool:
    """``trap ACTION SIGNAL...`` (also '' to ignore): in an interactive shell the action runs
    when the signal comes or the shell exits, in the middle of whatever line (or the gate's
    own prompt function) runs then, with no verdict of its own."""
    return trap_setting(c.args, c.dynamic[1:]) is not None


def _set_turns_off(args: tuple[str, ...]) -> bool:
    """``set +T``, ``set -x +T``, ``set +xT``, ``set +o functrace``, ``set +o history``."""
    for i, a in enumerate(args):
        if a == "--" or a == "-":
            return False
        if a.startswith("+") and a != "+":
            flags = a[1:]
            if "T" in flags:
                return True
            if "o" in flags and i + 1 < len(args) and args[i + 1] in _GATE_SET_OPTIONS:
                return True
    return False


def _dynamic_command(c: SimpleCommand) -> bool:
    return bool(c.argv) and c.name_is_dynamic


# --- where an interpreter's program comes from ---------------------------------------------
@dataclass(frozen=True, slots=True)
class Interpreter:
    """How one interpreter is told where its program is. ``operand`` says what its operands
    hold: ``path`` (the first is a script file), ``text`` (the one at ``at`` is program text,
    e.g. awk's program, redis-cli's command) or ``none`` (never the program). With no program
    on the line the program comes from stdin when ``bare`` (else the tool just fails)."""

    inline: frozenset[str] = frozenset()   # the program is this option's value: -c, -e
    stdin: frozenset[str] = frozenset()    # read the program from stdin/terminal: -s, -i, -
    script: frozenset[str] = frozenset()   # this option's value names the program file: -f
    values: frozenset[str] = frozenset()   # other options that take the next word
    operand: str = "path"
    at: int = 0
    bare: bool = True


def _interp(inline: str = "", stdin: str = "", script: str = "", values: str = "",
            operand: str = "path", at: int = 0, bare: bool = True) -> Interpreter:
    return Interpreter(frozenset(inline.split()), frozenset(stdin.split()),
                       frozenset(script.split()), frozenset(values.split()), operand, at, bare)


_SHELL = _interp("-c --version --help", "-s", "", "-o +o -O +O --rcfile --init-file")
_AWK = _interp("--version --help", "", "-f --file -E --exec -i --include",
               "-F -v --assign --field-separator", "text", 0, False)
#: Every interpreter the guard knows, by command name (after ``busybox``): where it reads its
#: program. Options not listed take no value. ``--version``/``--help`` run no program.
INTERPRETER_TABLE: dict[str, Interpreter] = {
    **dict.fromkeys(("sh", "bash", "rbash", "zsh", "dash", "ksh", "mksh", "pdksh", "ash",
                     "yash", "posh", "hush", "tcsh", "csh"), _SHELL),
    "fish": _interp("-c --command --version --help", "-i --interactive", "",
                    "-C --init-command -d --debug -o --debug-output"),
    "python": _interp("-c -m -V --version -h --help", "-i", "",
                      "-W -X --check-hash-based-pycs"),
    "perl": _interp("-e -E -v -V --version -h --help", "-d", "", "-I"),
    "ruby": _interp("-e -v --version -h --help", "", "", "-I -r -C -E"),
    "irb": _interp("-v --version -h --help", "", "", "-I -r"),
    "node": _interp("-e --eval -p --print -c --check -v --version -h --help",
                    "-i --interactive", "",
                    "-r --require --import --loader --experimental-loader -C --conditions "
                    "--input-type --env-file --title"),
    "php": _interp("-r -B -R -E -S -l -v -i -m -h --version --help", "-a --interactive",
                   "-f --file -F --process-file", "-c -d -z -t"),
    "lua": _interp("-e -v", "-i", "", "-l"),
    "Rscript": _interp("-e --version --help", bare=False),
    "R": _interp("-e --version --help", "", "-f --file", "", "text"),
    "osascript": _interp("-e", "", "", "-l -s"),
    "tclsh": _interp(),
    "wish": _interp(),
    "expect": _interp("-c -v", "-i", "-f", "-D"),
    "pwsh": _interp("-c -Command -command -EncodedCommand -e -v -Version --version -h -Help",
                    "", "-f -File -file", "-WorkingDirectory -wd -ExecutionPolicy -ep"),
    "dc": _interp("-e --expression -V --version -h --help", "", "-f --file"),
    "ed": _interp("-V --version -h --help", "-s", operand="none"),
    "ex": _interp("-V --version -h --help", "", "", "-c -S -u", operand="none"),
    "gdb": _interp("-batch --batch -version --version -help --help", "", "",
                   "-ex -x -p --pid -iex -cd -d", operand="none"),
    "awk": _AWK,
    "sed": _interp("-e --expression --version --help", "", "-f --file", "-l --line-length",
                   "text", 0, False),
    "source": _interp(bare=False),
    ".": _interp(bare=False),
    # datastore clients read statements (and client commands with shell escapes) from stdin
    "psql": _interp("-c --command -l --list -V --version -? --help", "", "-f --file",
                    "-d --dbname -h --host -p --port -U --username -v --set --variable -o "
                    "--output -P --pset -L --log-file -T -F -R", "none"),
    "mysql": _interp("-e --execute -V --version -? --help", "", "",
                     "-u --user -h --host -P --port -D --database -S --socket", "none"),
    "sqlite3": _interp("-version -help --help", "", "",
                       "-cmd -separator -nullvalue -newline -init", "text", 1),
    # sqlite3's shell, plus -c (run the SQL and exit) and -f/-init (a file of statements)
    "duckdb": _interp("-c -version -help --help", "", "-f -init",
                      "-cmd -separator -nullvalue -newline", "text", 1),
    # a mode option (--scan, --stat...) or --eval is the program; the rest take values
    "redis-cli": _interp(" ".join(sorted(REDIS_MODES | {"--eval"})), "", "",
                         " ".join(sorted({k for k, v in REDIS_OPTIONS.items() if v} | {
                             "-a", "--pass", "-r", "--cacert", "--cert", "--key", "--rdb",
                             "--functions-rdb"})), "text", 0),
    "mongosh": _interp("--eval --version --help", "", "-f --file", "", "none"),
    "clickhouse-client": _interp("-q --query --version --help", "", "",
                                 "-h --host --port -u --user --password -d --database",
                                 "none"),
    "cqlsh": _interp("-e --execute --version --help", "", "-f --file", "-u -p -k", "none"),
}
_INTERPRETER_ALIASES = {"nodejs": "node", "jruby": "ruby", "pry": "irb", "luajit": "lua",
                        "gawk": "awk", "mawk": "awk", "nawk": "awk", "powershell": "pwsh",
                        "mariadb": "mysql", "valkey-cli": "redis-cli",
                        "keydb-cli": "redis-cli", "mongo": "mongosh", "vim.tiny": "ex",
                        "red": "ed", "clickhouse": "clickhouse-client", "gsed": "sed"}
_VERSIONED = re.compile(r"(python|pypy|perl|php|lua|ruby|tclsh|wish)[0-9.]*+")
#: Streams, not files: a script read from one of these is the agent's input or a pipe.
_STREAM_DIRS = ("/dev/", "/proc/")


def interpreter_of(c: SimpleCommand) -> tuple[str, Interpreter, tuple[str, ...]] | None:
    """The interpreter ``c`` runs (``busybox sh`` is ``sh``), its table entry and its args."""
    name, args = c.name, c.args
    if name == "busybox" and args:
        name, args = command_name(args[0]), args[1:]
    m = _VERSIONED.fullmatch(name)
    key = "python" if m and m.group(1) == "pypy" else m.group(1) if m else \
        _INTERPRETER_ALIASES.get(name, name)
    spec = INTERPRETER_TABLE.get(key)
    return (key, spec, args) if spec is not None else None


def expands(word: str) -> bool:
    """The word is changed by the shell before use: parameter, command or arithmetic
    expansion, globbing or brace expansion (what it names is not what the guard reads)."""
    return any(ch in word for ch in "$`*?[") or ("{" in word and "}" in word and (
        "," in word or ".." in word))


def names_a_stream(path: str) -> bool:
    """``path`` is, or may be, the script's stdin or another stream rather than a file:
    ``-``, ``/dev/stdin``, ``/dev/fd/N``, ``/proc/PID/fd/N``, a tty, ``<(...)``, or a word
    the shell expands (``/dev/std?n``, ``$X``)."""
    if path in ("-", "") or path.startswith(("<(", ">(")) or expands(path):
        return True
    p = norm(path)
    if p.startswith("/"):
        return p != "/dev/null" and p.startswith(_STREAM_DIRS)
    # relative after a `cd /dev` or `cd /proc/self/fd` that the guard does not follow
    last = p.rstrip("/").rsplit("/", 1)[-1]
    return last in ("stdin", "tty") or last.isdigit()


def program_from_stdin(c: SimpleCommand) -> bool:
    """An interpreter whose program is not on the line and not in a file the line names:
    it reads it from its stdin (or the terminal, or a stream named like one)."""
    found = interpreter_of(c)
    if found is None:
        return False
    _, spec, args = found
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            operands.extend(args[i + 1:])
            break
        if a == "-" or not a.startswith(("-", "+")) or len(a) == 1:
            operands.append(a)
            i += 1
            if spec.operand == "path":
                break  # later words are the script's own arguments
            continue
        name, eq, value = a.partition("=") if a.startswith("--") else (a, "", "")
        if name in spec.stdin:
            return True
        if name in spec.inline:
            return False
        if name in spec.script:
            target = value if eq else (args[i + 1] if i + 1 < len(args) else "-")
            return names_a_stream(target)
        if name in spec.values:
            i += 1 if eq else 2
            continue
        if not a.startswith("--") and len(a) > 2:  # a cluster of short flags: -xec, -lane
            for j, ch in enumerate(a[1:], 1):
                flag = a[0] + ch
                if flag in spec.stdin:
                    return True
                if flag in spec.inline:
                    return False
                if flag in spec.script:
                    rest = a[j + 1:]
                    return names_a_stream(rest or (args[i + 1] if i + 1 < len(args) else "-"))
                if flag in spec.values:
                    i += 0 if a[j + 1:] else 1
                    break
        i += 1
    if spec.operand == "path" and operands:
        return names_a_stream(operands[0])
    if spec.operand == "text" and len(operands) > spec.at:
        return False
    return spec.bare


def _stdin_redirected(c: SimpleCommand) -> bool:
    return any(r.op in ("<", "<<<", "<<", "<<-", "<&", "<>") for r in c.redirects)


def _reads_stdin_script(c: SimpleCommand) -> bool:
    """An interpreter that runs whatever arrives on its stdin."""
    return program_from_stdin(c)


def _program_fed(c: SimpleCommand) -> bool:
    """The program comes from a pipe, a here-document or string, a file redirected to
    stdin, or another command's output (``bash <(...)``)."""
    if not program_from_stdin(c):
        return False
    procsub = any(a.startswith("<(") for a in c.args)
    return bool(c.pipe_from) or c.heredoc is not None or _stdin_redirected(c) or procsub


def _pipe_to_interpreter(c: SimpleCommand) -> bool:
    return _program_fed(c)


def _download_exec(c: SimpleCommand) -> bool:
    is_interp = c.name in INTERPRETERS or _PYTHON.fullmatch(c.name) or c.name in (
        "eval", "source", ".")
    if not is_interp:
        return False
    fed = set(c.pipe_from) | set(c.inner)
    if fed & NET_FETCH and (_reads_stdin_script(c) or set(c.inner) & NET_FETCH):
        return True
    if set(c.pipe_from) & DECODERS and _reads_stdin_script(c) and any(
            x in c.pipe_from for x in ("base64", "base32", "xxd", "uudecode", "openssl")):
        return True
    return False


def _interactive_shell_stdin(c: SimpleCommand) -> bool:
    """A shell or interpreter whose program is the agent's own stdin (exec) or terminal
    (shell): code the guard never sees."""
    return program_from_stdin(c) and not _program_fed(c)


def _sudo_shell(c: SimpleCommand) -> bool:
    if c.name in ("sudo", "doas"):
        return opts(wrapper_args(c)).has("-i", "-s", "--login", "--shell") and \
            not opts(c.args).operands
    if c.name == "su":
        return not any(a in ("-c", "--command") or a.startswith("--command=") for a in c.args)
    return False


def _ssh_keys(c: SimpleCommand) -> bool:
    return c.name in ("ssh-keygen",) and (opts(c.args).has("-R") or any(
        AUTH_FILES.search(norm(a).replace("~/", "/~/")) for a in c.args))


def _kernel_modules(c: SimpleCommand) -> bool:
    return c.name in ("rmmod", "modprobe", "insmod") and (c.name != "modprobe" or opts(
        c.args).has("-r", "--remove"))


def _selinux(c: SimpleCommand) -> bool:
    return (c.name == "setenforce" and "0" in c.args) or (c.name in ("aa-disable", "aa-teardown"))


def _date_sets(args: tuple[str, ...]) -> bool:
    """``date`` with -s/--set: its value options (-d, -f, -r and their long names) are read
    with their values, so ``date -d '-3 hours'`` is no -s (session 14)."""
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a.startswith("--"):
            name = a.split("=", 1)[0]
            if name in ("--set", "--se", "--s"):
                return True
            if "=" not in a and name in ("--date", "--file", "--reference"):
                i += 1
            continue
        if a.startswith("-") and len(a) > 1 and not a.startswith("-I"):
            # -I takes its format attached (-Iseconds): its letters are not options
            for j, ch in enumerate(a[1:]):
                if ch == "s":
                    return True
                if ch in "dfr":
                    i += 1 if j == len(a) - 2 else 0  # the value: the next word or the rest
                    break
    return False


def _time_change(c: SimpleCommand) -> bool:
    return (c.name == "date" and _date_sets(c.args)) or (
        c.name in ("timedatectl", "hwclock") and any(a.startswith(("set", "--set", "-w",
                                                                    "--systohc")) for a in c.args))


RULES: tuple[Rule, ...] = (
    # deletion
    Rule("fs.rm-root", "recursive deletion of /, a top-level system directory or $HOME", D,
         _m(_rm_root, operands),
         names=_on("rm")),
    Rule("fs.rm-recursive", "recursive deletion removes whole trees", P,
         _m(_rm_recursive, operands),
         names=_on("rm rmdir")),
    Rule("fs.rm-force", "forced deletion skips every prompt and error", P,
         _m(_rm_force, operands),
         names=_on("rm")),
    Rule("fs.rm-system-path", "deletes files under a system path", P, _m(_rm_system, operands),
         names=_on("rm unlink rmdir")),
    Rule("fs.find-delete", "find -delete removes every match", P, _find_delete,
         names=_on("find")),
    Rule("fs.secure-erase", "secure erase destroys data beyond recovery", P,
         _m(_secure_erase, operands),
         names=_on("shred wipe srm sfill sswap scrub")),
    # disks and filesystems
    Rule("disk.dd-device", "dd onto a block device overwrites a disk", D, _m(_dd_device),
         names=_on("dd")),
    Rule("disk.write-device", "writes straight onto a block device", D,
         lambda c: _write_device_redirect(c) or (HIT if _device_write_cmd(c) and c.argv else None)
         ),
    Rule("disk.mkfs", "creating or wiping a filesystem destroys what was on it", D, _m(_mkfs)),
    Rule("disk.partition", "changes a partition table", D, _m(_partition),
         names=_on("fdisk sfdisk cfdisk gdisk cgdisk parted sgdisk")),
    Rule("disk.lvm-remove", "removes a logical volume, volume group or physical volume", D,
         _m(_lvm),
         names=_on("lvremove vgremove pvremove lvreduce vgreduce dmsetup")),
    Rule("disk.zfs-destroy", "destroys or rolls back ZFS data", D, _m(_zfs),
         names=_on("zfs zpool")),
    Rule("disk.umount-force", "forced or lazy unmount can corrupt data in flight", P,
         _m(_umount_force),
         names=_on("umount")),
    Rule("disk.swapoff", "turning swap off can push the host out of memory", P, _m(_swapoff),
         names=_on("swapoff")),
    Rule("disk.mount", "mounting or remounting changes what the host sees", P, _m(_mount),
         names=_on("mount")),
    # power
    Rule("power.shutdown", "shuts down or reboots the host", D, _m(_power),
         names=_on("reboot halt poweroff kexec shutdown init telinit systemctl loginctl")),
    Rule("power.sysrq", "the magic SysRq trigger can crash or reboot the kernel", D,
         lambda c: HIT if _sysrq(c) else None),
    Rule("sys.kernel-module", "unloads or loads kernel modules", P, _m(_kernel_modules),
         names=_on("rmmod modprobe insmod")),
    Rule("sys.sysctl-write", "changes kernel parameters at run time", P, _m(_sysctl_write),
         names=_on("sysctl")),
    Rule("sys.security-off", "turns off SELinux/AppArmor enforcement", D, _m(_selinux),
         names=_on("setenforce aa-disable aa-teardown")),
    Rule("sys.time-change", "changes the system clock", P, _m(_time_change),
         names=_on("date timedatectl hwclock")),
    # services and processes
    Rule("svc.stop", "stops, disables, masks or kills a service", P, _m(_svc_stop),
         names=_on("systemctl service update-rc.d chkconfig rc-service sv")),
    Rule("proc.kill-init", "kills PID 1 or every process", D, _m(_kill_init),
         names=_on("kill")),
    Rule("proc.kill-force", "force-kills processes by signal 9 or by name", P, _m(_kill_force),
         names=_on("pkill killall killall5 skill slay kill")),
    # permissions
    Rule("perm.recursive-root", "recursive permission change on / or a top-level directory", D,
         _m(_perm_root, lambda c: operands(c)[1:]),
         names=_on("chmod chown chgrp")),
    Rule("perm.recursive", "recursive permission or ownership change", P,
         _m(_perm_recursive, lambda c: operands(c)[1:]),
         names=_on("chmod chown chgrp setfacl chcon")),
    Rule("perm.system-path", "permission or ownership change on a system path", P,
         lambda c: _perm_system(c) or None,
         names=_on("chmod chown chgrp setfacl chcon")),
    Rule("fs.chattr", "changes file attributes (immutable, append-only)", P, _m(_chattr),
         names=_on("chattr")),
    # users and credentials
    Rule("user.modify", "deletes, locks or changes users, groups or passwords", P, _m(_user_mod),
         names=_on("userdel deluser groupdel delgroup chpasswd passwd gpasswd chage vipw vigr "
                   "newusers pwconv grpconv usermod useradd adduser")),
    Rule("cred.sudoers", "edits sudo rules", P, _m(_sudoers_edit),
         names=_on("visudo sudoedit sudo")),
    Rule("cred.auth-files", "changes authorized_keys, sudoers, shadow, passwd or sshd config", D,
         lambda c: _auth_files(c) or None),
    Rule("cred.ssh-keys", "changes known or authorized SSH keys", P, _m(_ssh_keys),
         names=_on("ssh-keygen")),
    # secrets and exfiltration
    Rule("secret.exfiltrate", "sends a secret file over the network", D,
         lambda c: _exfil(c) or _secret_copy(c) or None,
         names=NET_SENDERS),
    Rule("secret.read", "reads or copies a secret (private key, shadow, cloud credentials)", P,
         lambda c: _secret_read(c) or None),
    Rule("secret.dump", "prints secrets: the environment, a secret store, or a cluster's or "
         "cloud's credentials", P, lambda c: HIT if reveals(c) else None,
         names=REVEAL_NAMES),
    Rule("secret.read-tree", "reads, archives or copies a whole tree that holds secrets "
         "(homes, /etc, keys, cluster PKI)", P, lambda c: tree_operands(c) or None,
         names=frozenset(RECURSIVE)),
    Rule("secret.remote-expansion", "a remote command carries the output of a local "
         "substitution or variable off the host", P, _m(remote_expansion),
         names=REMOTE_RUNNERS),
    Rule("net.ssh-hop", "connects from the target to another host over SSH, with the "
         "target's keys: outside the grant's scope and the gateway's record (reach that host "
         "through the gateway, with its own grant)", P, _m(_ssh_hop),
         names=REMOTE_RUNNERS | {"git"}),
    Rule("net.reverse-shell", "gives a remote party a shell on this host", D, _m(_reverse_shell),
         names=_on("nc ncat netcat nc.traditional nc.openbsd socat telnet")),
    Rule("net.dev-tcp", "opens a raw network socket through /dev/tcp or /dev/udp", D,
         lambda c: _dev_tcp(c) or None),
    Rule("net.download-exec", "runs code fetched from the network or decoded from hiding", D,
         _m(_download_exec)),
    # resources
    Rule("res.exhaust", "stress tools and huge allocations exhaust the host", P,
         _m(lambda c: _stress(c) or _huge_allocation(c)),
         names=_on("stress stress-ng fallocate dd")),
    # also raised by the classifier for the line's pipelines and loops (guard/bounds.py)
    Rule("res.unbounded", "runs without end or starves the host: an endless source that no "
         "bounding reader stops, a loop that never ends, or real-time scheduling", P,
         _m(raised_priority), names=_on("chrt nice renice ionice")),
    # attributes, links, moves over system files
    # also raised by the classifier for writers that write nothing (guard/clobber.py)
    Rule("fs.truncate", "empties or overwrites a file's data: a writer that writes nothing, "
         "a file read and truncated by one command, a database file, or a record file (csv, "
         "parquet, json...) in a data directory replaced or edited in place", P,
         lambda c: data_file_writes(c) or None),
    Rule("fs.mv-system", "moves a system path or moves files onto /dev/null", P,
         lambda c: _mv_system(c) or None,
         names=_on("mv")),
    Rule("fs.link-system", "replaces a system file with a link", P,
         lambda c: _link_system(c) or None,
         names=_on("ln")),
    Rule("fs.write-system-path", "redirection writes into a system path", P,
         lambda c: _write_system_redirect(c) or None),
    Rule("fs.edit-system", "edits, truncates or overwrites a system file in place", P,
         lambda c: _edit_system(c) or None,
         names=frozenset(_INPLACE) | _on("cp install rsync mv ln chattr dd touch patch unzip tar")),
    # packages
    Rule("pkg.install", "installs software by name from a registry anyone may publish to "
         "(PyPI, npm, crates, gems, snaps...): its publisher's code runs", P,
         _m(_pkg_install),
         names=_on("apt apt-get aptitude yum dnf microdnf zypper apk snap flatpak brew port "
                   "pkg choco winget conda mamba micromamba gem cargo pipx npm yarn pnpm bun "
                   "composer go pip pip3 pip2 uv poetry pdm pipenv pacman python python3 "
                   "python2")),
    Rule("pkg.remove", "removes installed packages", P, _m(_pkg_remove),
         names=_on("apt apt-get aptitude yum dnf zypper apk snap flatpak brew port pkg choco "
                   "winget conda mamba micromamba gem cargo pipx npm yarn pnpm bun composer go "
                   "helm pip pip3 pip2 uv poetry pdm pipenv pacman dpkg rpm python python3")),
    # network
    Rule("net.firewall", "flushes or disables the firewall, or sets a DROP policy", D,
         _m(_firewall),
         names=_on("iptables ip6tables iptables-legacy iptables-nft ebtables arptables "
                   "iptables-restore ip6tables-restore nft ufw firewall-cmd")),
    Rule("net.link-down", "takes a network interface, address or route down", P, _m(_net_down),
         names=_on("ip ifdown ifconfig nmcli tc")),
    # scheduled jobs
    Rule("cron.overwrite", "removes or overwrites the crontab", P, _m(_cron),
         names=_on("crontab")),
    # version control
    Rule("git.history-loss", "rewrites or discards version control history", P, _m(_git),
         names=_on("git")),
    # containers and clusters
    Rule("container.remove", "removes or kills containers, images or volumes", P, _m(_container),
         names=_on("docker podman nerdctl crictl ctr docker-compose")),
    Rule("k8s.destructive", "deletes, drains, scales to zero or rolls back cluster resources", P,
         _m(_k8s),
         names=_on("kubectl oc k kubecolor helm")),
    # infrastructure
    Rule("infra.destroy", "destroys infrastructure", D, _m(_infra_destroy),
         names=_on("terraform tofu terragrunt pulumi cdk sam serverless sls")),
    Rule("infra.apply", "changes infrastructure without a review step", P, _m(_infra_apply),
         names=_on("terraform tofu terragrunt pulumi")),
    Rule("cloud.bucket-copy", "copies a bucket's objects into another bucket, which may be "
         "anyone's", P, _m(lambda c: bucket_copy(c.name, c.args)),
         names=_on("aws gsutil gcloud")),
    Rule("cloud.delete", "deletes cloud resources", P, _m(_cloud_delete),
         names=_on("aws gcloud az gsutil doctl linode-cli hcloud oci ibmcloud s3cmd rclone "
                   "scw flyctl heroku vercel")),
    # databases
    Rule("db.destructive", "drops, truncates or rewrites data in a database", P, _m(_db),
         names=frozenset(DB_CLIENTS) | _on("dropdb dropuser mysqladmin")),
    # history
    Rule("history.tamper", "erases shell history or system logs", D, _history),
    Rule("shell.gate-tamper", "would switch off sshgate's gate in an interactive shell", D,
         lambda c: HIT if _gate_tamper(c) else None),
    # what the guard cannot see into
    Rule("exec.dynamic-command", "the command name is computed at run time", P,
         _m(_dynamic_command)),
    Rule("exec.inline-code", "inline interpreter code the guard cannot see into", P,
         _m(_inline_code)),
    Rule("exec.pipe-to-interpreter", "a shell or interpreter runs whatever is piped into it", P,
         _m(_pipe_to_interpreter)),
    Rule("exec.interactive-interpreter",
         "a bare shell or interpreter would run the agent's stdin without classification", P,
         _m(_interactive_shell_stdin)),
    Rule("exec.root-shell", "opens a root or other-user login shell", P, _m(_sudo_shell),
         names=_on("sudo doas su")),
)

#: Rules for lines typed into a gated interactive shell only (exec mode runs the line whole:
#: a trap it sets fires within it, and its action was classified with it).
SHELL_RULES: tuple[Rule, ...] = (
    # the same rule as above (one name for a policy to refer to), for what only a gated
    # shell must not do
    Rule("shell.gate-tamper", "would switch off sshgate's gate in an interactive shell", D,
         lambda c: HIT if _shell_trace(c) else None),
    Rule("shell.trap", "sets a trap whose action would run later, ungated, whenever the "
         "signal comes (or the shell exits)", P, _m(_trap_sets_action), names=_on("trap")),
)

#: Findings the classifier raises itself (not from a single command).
PARSE_UNPARSEABLE = Rule("parse.unparseable",
                         "the line could not be fully parsed, so the guard cannot see everything "
                         "it would run", P, lambda c: None,
    names=frozenset())
FORK_BOMB = Rule("res.fork-bomb", "a function that spawns copies of itself exhausts the host", D,
                 lambda c: None,
    names=frozenset())
#: Findings for file transfers (guard/transfer.py: SFTP operations and transfer servers run
#: as commands), decided like commands.
SFTP_READ_ONLY = Rule("sftp.read-only", "this grant allows file transfer for reading only "
                      "(sftp: read-only)", D, lambda c: None,
    names=frozenset())
TRANSFER_REMOVE = Rule("transfer.remove", "removes files on the target", P, lambda c: None,
    names=frozenset())
TRANSFER_RENAME = Rule("transfer.rename", "renames a file, which can replace an existing one",
                       P, lambda c: None,
    names=frozenset())
TRANSFER_TRUNCATE = Rule("transfer.truncate", "truncates a file", P, lambda c: None,
    names=frozenset())
SFTP_UNKNOWN = Rule("sftp.unknown", "an SFTP request the gateway does not know", P,
                    lambda c: None,
    names=frozenset())
TRANSFER_UNRESOLVED = Rule("transfer.path-unresolved", "a relative path that climbs out of the "
                           "home directory, so the gateway cannot tell where it ends", P,
                           lambda c: None,
    names=frozenset())
#: files that run later on their own: shell startup files, user services, ssh's rc
STARTUP_FILES = re.compile(
    r"(^|/)\.(bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|"
    r"cshrc|tcshrc|kshrc|mkshrc|inputrc|xinitrc|xprofile|xsession|pam_environment)$|"
    r"(^|/)\.config/(systemd/user|autostart|fish|environment\.d)(/|$)|"
    r"(^|/)\.ssh/(rc|environment)$|^/etc/(profile|bash\.bashrc|environment)(\.d/|$)|"
    # the login's own PATH directories (Debian's ~/.profile adds them): a program put there
    # shadows sudo, ls, git for the next human who logs in
    r"(^|/)~/(bin|\.local/bin)(/|$)|^(/root|/home/[^/]+)/(bin|\.local/bin)(/|$)")
#: the login's own PATH directories, as a relative path (an exec session and SFTP start in the
#: home directory) or under ``~/``: Debian's ~/.profile puts them on PATH, so a program put
#: there shadows sudo, ls or git for the next human who logs in
#: the home's directories that login shells put on PATH (Debian's ~/.profile: ~/bin,
#: ~/.local/bin) and that language toolchains install commands into for PATH (Go's
#: GOPATH/bin, cargo, npm/yarn/deno/bun globals): a program written there shadows a command
HOME_BIN = re.compile(r"^(~/)?[./]*(bin|sbin|\.local/bin|go/bin|\.cargo/bin|\.npm-global/bin|"
                      r"\.yarn/bin|\.deno/bin|\.bun/bin)(/|$)")
PERSISTENCE = Rule("fs.persistence", "writes a shell startup file or user service, which runs "
                   "later with no command line to check", P, lambda c: None,
    names=frozenset())
TRANSFER_SERVER = Rule(
    "exec.transfer-server", "runs an SFTP server as a command, which would bypass the gateway's "
    "per-operation gating; use sftp or scp, which the gateway gates file by file", D,
    _m(named("sftp-server", "internal-sftp")), names=_on("sftp-server internal-sftp"))
#: the programs guard/transfer.py reads as transfer servers (``scp -t``, ``rsync --server``)
TRANSFER_SERVER_NAMES = frozenset({"scp", "rsync"})
TRANSFER_WRITE = Rule("transfer.write", "writes files on the target (scp -t, rsync), which the "
                      "grant's sftp: setting governs", A, lambda c: None,
    names=frozenset())
ANSIBLE_UNKNOWN = Rule("ansible.unknown", "an Ansible module run sshgate cannot map to "
                       "commands it knows", P, lambda c: None,
    names=frozenset())
TRANSFER_RULES: tuple[Rule, ...] = (TRANSFER_WRITE, ANSIBLE_UNKNOWN, PERSISTENCE,
                                    TRANSFER_SERVER,
                                    SFTP_READ_ONLY, TRANSFER_REMOVE, TRANSFER_RENAME,
                                    TRANSFER_TRUNCATE, SFTP_UNKNOWN, TRANSFER_UNRESOLVED)
#: Findings of the line's dataflow (guard/flow.py): state one command leaves for the next.
DOWNLOAD_THEN_RUN = Rule(
    "exec.download-then-run", "runs build, test or deploy code from a directory this line "
    "or an earlier line of the session wrote or fetched into, a scratch or system directory, "
    "or one the guard cannot compute", P,
    lambda c: None,
    names=frozenset())
LINK_SENSITIVE = Rule(
    "fs.link-sensitive", "makes a symbolic link to a system path, a secret, a home, a dot-file "
    "or a startup file: later reads and writes through the link land there; or replaces a "
    "link (ln -sf) with one out of the working tree or to content this session wrote", P,
    lambda c: None,
    names=frozenset())
WORK_TREE_SENSITIVE = Rule(
    "fs.work-tree-sensitive", "git changes files in a work tree that is a home directory, a "
    "system directory or /", P, lambda c: None,
    names=frozenset())
EXTRACT_UNTRUSTED = Rule(
    "fs.extract-untrusted", "unpacks an archive from scratch space or fetched by this line "
    "outside the working tree and scratch: its files may replace code that runs", P,
    lambda c: None,
    names=frozenset())
CODE_WRITE = Rule(
    "code.write", "edits code or configuration in a working tree (a redirection, tee, sed -i): "
    "approving the line approves the change, so later builds, tests and restarts run it "
    "unasked", P, lambda c: None,
    names=frozenset())
FLOW_RULES: tuple[Rule, ...] = (DOWNLOAD_THEN_RUN, LINK_SENSITIVE, WORK_TREE_SENSITIVE,
                                EXTRACT_UNTRUSTED, CODE_WRITE)
#: A command that is neither known safe (guard/safe.py, a grant's ``allow:``) nor a rule.
GUARD_UNKNOWN = Rule("guard.unknown", "the command is not in the known-safe catalogue", P,
                     lambda c: None,
    names=frozenset())
EXTRA_RULES: tuple[Rule, ...] = (PARSE_UNPARSEABLE, FORK_BOMB, GUARD_UNKNOWN, *TRANSFER_RULES,
                                  *FLOW_RULES)
ALL_RULES: tuple[Rule, ...] = RULES + EXTRA_RULES

#: files a build, test, deploy or VCS tool reads as its own code or configuration: writing
#: one is not ordinary, and one the session wrote makes a later run of the tool the agent's code
#: (ops16) pages and settings a web server runs on the next request wherever its document
#: root is (PHP and its variants, ASP/.NET handlers, JSP, CGI and server-side includes, Apache's
#: .htaccess and PHP's .user.ini), and anything under a cgi-bin: written with content the line
#: does not show (a copy, a move, a program's output), no later line runs it to hold
SERVER_CODE = re.compile(
    r"(^|/)(\.htaccess|\.user\.ini|cgi-bin/.+|[^/]*\.(php[0-9s]?|pht|phtml|phar|aspx?|"
    r"ashx|asmx|asax|axd|ascx|cshtml|vbhtml|jspx?|jsf|cgi|fcgi|shtml?|stm))$", re.I)
CODE_FILE = re.compile(
    r"(^|/)(Makefile|makefile|GNUmakefile|Rakefile|Gemfile|Dockerfile|Containerfile|"
    r"Vagrantfile|Jenkinsfile|Procfile|Justfile|justfile|Taskfile|package(-lock)?\.json|"
    # pipelines and batch jobs (tools/site_ops.py): a Snakefile and its rule files (Python),
    # Nextflow pipelines and their configuration (Groovy), SLURM job scripts
    r"Snakefile|snakefile|nextflow\.config|[^/]*\.(smk|nf|sbatch|slurm)|"
    # files with no extension a tool reads from its directory as configuration that names a
    # program or carries code (rustup: rust-toolchain's path runs DIR/bin/cargo; pylint:
    # init-hook; kustomize: Kustomization; go: go.work replaces modules; pipenv: Pipfile)
    r"rust-toolchain|pylintrc|Kustomization|go\.work|Pipfile|terraform\.rc|"
    # (red team s15 C1) clang's compile flags (-fplugin), yarn's configuration (yarn-path)
    r"compile_flags\.txt|compile_commands\.json|\.clang-tidy|\.clangd|\.yarnrc(\.yml)?|"
    # (red team s14) what runners load by convention: rack's config.ru (rails server),
    # gemspecs (bundle install evaluates them), phpunit's configuration (its bootstrap runs
    # as PHP), NuGet's feeds (dotnet restore takes packages, with their .targets, from them),
    # Ruby DSL files of capistrano, guard, fastlane, danger, CocoaPods and Homebrew bundles
    r"[^/]*\.(ru|gemspec|podspec)|phpunit\.xml(\.dist)?|phpunit\.dist\.xml|"
    r"[Nn]u[Gg]et\.[Cc]onfig|Guardfile|Capfile|Berksfile|Podfile|Fastfile|Dangerfile|"
    r"Brewfile|Appfile|Matchfile|"
    # (red team s14 G4) rake's task files, MSBuild's response files, PHP analysers'
    # configurations (their bootstrap and autoload files run), jest's snapshots (evaluated),
    # cabal's literate Setup, bats and Perl tests
    r"[^/]*\.(rake|rsp|neon|neon\.dist|snap|lhs|bats|t)|psalm\.xml(\.dist)?|"
    r"\.?phpcs\.xml(\.dist)?|phpmd\.xml|"
    # build files of the build and task runners tools/build.py knows (Bazel's BUILD and
    # Starlark, meson's options, just in any case and its modules, ninja, sbt, zig, cabal,
    # rebar3 and a release's VM flags, where -eval runs code)
    r"BUILD|WORKSPACE|(?i:justfile)|[^/]*\.(bzl|bazel|ninja|sbt|zig|zon|cabal|just)|"
    r"meson_options\.txt|meson\.options|rebar\.config(\.script)?|cabal\.project(\.[^/]*)?|"
    r"sys\.config|vm\.args|"
    # (tools/langs.py) dune's build files and opam files, Leiningen's and the Clojure CLI's
    # project files, OCaml, Clojure and Julia sources
    r"dune|dune-project|dune-workspace|project\.clj|profiles\.clj|deps\.edn|bb\.edn|"
    r"[^/]*\.(opam|ml|mli|mll|mly|clj|cljc|cljs|edn|jl|nix)|"
    r"config|gitconfig|HEAD|[^/]*[Dd]ockerfile(\.[^/.]+)?|Containerfile\.[^/.]+|"
    r"pyproject\.toml|setup\.(py|cfg)|tox\.ini|noxfile\.py|conftest\.py|pytest\.ini|"
    r"Cargo\.toml|build\.rs|go\.(mod|sum)|pom\.xml|build\.gradle(\.kts)?|"
    r"settings\.gradle(\.kts)?|gradlew|mvnw|CMakeLists\.txt|meson\.build|composer\.json|"
    r"settings\.xml|toolchains\.xml|extensions\.xml|[^/]*\.gradle(\.kts)?|"
    r"terraform\.d(/.*)?|terraform-provider-[^/]*|gradle-wrapper\.jar|buildSrc(/.*)?|"
    # (red team s10) node-gyp's binding.gyp (its <!(...) expansions run commands), the
    # JS/TS module kinds test runners and bundler configs load (jsx, tsx, mts, cts), the C and
    # C++ kinds cgo compiles into a test binary, and Ansible's variable directories (files
    # with no extension whose ansible_* variables name the interpreter and ssh options)
    r"(group|host)_vars/.*|inventor(?:y|ies)/[^/]++|[^/]*\.auto\.tfvars(?:\.json)?|"
    r"pytorch_model\.bin|[^/]*\.(?:pkl|pickle|joblib)\.(?:gz|bz2|xz|lz4)|templates/(?:[^/]++/){0,8}+[^/]*\.html?|[^/]*\.(gypi?|[jt]sx|mts|cts|cxx|c\+\+|hpp|hxx|hh|mm|m|S|sx|syso)|"
    # server-side pages and templates a web server or framework runs (a web shell in any
    # of them), and scripts of other interpreters
    r"[^/]*\.(phtml|php[0-9s]?|phar|inc|jspx?|jsf|aspx?|ashx|asmx|cshtml|vbhtml|shtml|"
    r"s?cgi|fcgi|wsgi|psgi|erb|rhtml|ejs|haml|slim|twig|mdx|vue|svelte|astro|pug|jade|"
    r"jinja2?|gotmpl|tcl|exs?|erl|hs|cs|ps1|psm1|bat|cmd|vbs|cmake|"
    # (harmful set s15) more template languages (Mako's <%! import os %>, Handlebars,
    # FreeMarker, Velocity, Liquid, Go's .tmpl), and pickles a service loads at start
    r"mako|hbs|handlebars|mustache|ftl|ftlh|vm|liquid|tmpl|tpl|njk|"
    r"pkl|pickle|joblib|pt|ckpt|h5|keras|"
    # native modules and class files a test run loads (node addons, JVM classpath entries)
    r"node|dylib|dll|pyd|jar|class)|"
    r"requirements[^/]*\.txt|[^/]*\.(mk|py|pyc|pth|sh|bash|zsh|fish|js|mjs|cjs|ts|rb|pl|pm|"
    r"php|go|rs|java|kt|kts|groovy|scala|c|cc|cpp|h|lua|R|r|so|service|timer|socket|path|tf|hcl|"
    # mix.exs, Package.swift, MSBuild projects and their imported .props/.targets
    r"ex|exs|swift|cs|fs|vb|csproj|fsproj|vbproj|sln|props|targets|"
    r"ya?ml|properties|"
    r"json|toml|ini|cfg|conf|env|desktop|rules|cron|sql|j2|tpl|lock))$")


def rule_by_name(name: str) -> Rule | None:
    return next((r for r in (*ALL_RULES, *SHELL_RULES) if r.name == name), None)


def custom_rule(name: str, why: str, action: Action, commands: tuple[str, ...] = (),
                args: tuple[str, ...] = (), regex: str | None = None) -> Rule:
    """A rule from the policy: command name in ``commands``, every ``args`` word present,
    and ``regex`` searched in the joined argv."""
    rx = re.compile(regex) if regex else None
    names = frozenset(command_name(c) for c in commands)

    def match(c: SimpleCommand) -> tuple[str, ...] | None:
        if not c.argv:
            return None
        if names and c.name not in names:
            return None
        if args and not all(a in c.args for a in args):
            return None
        if rx is not None and not rx.search(" ".join(c.argv)):
            return None
        return HIT

    return Rule(name, why, action, match, names or None)
