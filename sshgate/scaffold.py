"""``sshgate init``: lay out a working gateway directory (config, keys, example policy)."""

from __future__ import annotations

import getpass
import grp
import ipaddress
import os
import pwd
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .certs import create_key, public_key_line
from .policy.loader import NAME_RE, normalize_public_key

SYSTEM_HOST_KEY = Path("/etc/ssh/ssh_host_ed25519_key.pub")
DEFAULT_CONTROL_GROUP = "sshgate-approvers"

CONFIG_TEMPLATE = """\
# sshgate gateway settings. Paths are relative to this file.
listen: {listen}            # sshgate serve --listen HOST:PORT overrides this
policies: policies          # every *.yaml in here is loaded and merged
recordings: recordings      # one asciicast file per session, sealed at close
state_dir: state            # audit log, control socket for approvals, pid file
ca_key: keys/ca             # signs the per-session user certificates (0600)
host_key: keys/host         # the gateway's own SSH host key (0600)
audit_key: keys/audit       # signs the audit log's chain heads (0600)
recording_key: keys/recording   # seals recordings (0600)
{group_line}
max_connections_per_source: 50
login_timeout: 10s
drain_timeout: 30s          # SIGTERM/SIGINT: how long running sessions may take to finish
"""

POLICY_TEMPLATE = """\
# An sshgate policy. Every *.yaml file in this directory is merged; names are global.
# Check it with:  sshgate policy check --config {config}

identities:                         # who the agents are
  - name: {identity}
    keys:                           # the agent's SSH public key(s), as in authorized_keys
      - "{agent_key}"

targets:                            # hosts behind the gateway
  - name: {target}
    host: {host}
    port: {port}
{host_key_block}

grants:                             # which identity may reach which targets, as which logins
  - identity: {identity}
    targets: [{target}]
    logins: [{login}]               # the first one is used when the agent names none
    max_session: 30m                # certificate lifetime and hard session deadline
    shell: false                    # interactive PTY shells (exec is always allowed)
    env: [LANG, "LC_*"]             # environment variables passed to the target
    unknown: approve                # outside the known-safe catalogue: allow | approve | deny
    allow:                          # site commands made known safe for this grant (parsed argv)
      - ./scripts/status.sh         # exactly this, with no arguments
      - command: ./scripts/deploy.sh
        args: ["web-*"]             # one pattern per word; "**" last = any further words

approvers: [{approvers}]             # OS users who may approve held commands

approval:
  timeout: 5m                       # then the command is denied
  no_reviewer: wait                 # or: deny (refuse at once when nobody is watching)

# Overrides of the built-in command guard. None yet: every destructive command is held for
# an approver or refused. The README's policy reference shows how to let some through.
rules: []
"""


@dataclass(frozen=True, slots=True)
class InitResult:
    directory: Path
    config: Path
    agent_key: Path
    created: tuple[Path, ...]
    policy: Path
    target_name: str
    target_host: str
    target_port: int
    login: str
    approvers: tuple[str, ...]
    #: where the pinned host key came from: "given", "this machine", or "" (not pinned yet)
    host_key_source: str
    host_keys: tuple[str, ...]
    control_group: str | None
    #: what init did to OS accounts, or what an operator has to run for it
    group_notes: tuple[str, ...] = ()


class AlreadyInitialized(Exception):
    """The directory already holds an sshgate setup; nothing was touched."""


class InitError(ValueError):
    """An option of ``init`` cannot be used as given; nothing was created."""


def invoking_user() -> str:
    """The user who ran the command (the one behind ``sudo`` when run through it)."""
    if os.geteuid() == 0 and os.environ.get("SUDO_USER"):
        return os.environ["SUDO_USER"]
    return getpass.getuser()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def keyscan_command(host: str, port: int) -> str:
    """The OpenSSH command that fetches a target's Ed25519 host key."""
    return shlex.join(["ssh-keyscan", "-p", str(port), "-t", "ed25519", host])


def parse_host_keys(text: str) -> tuple[str, ...]:
    """Host keys from a key line, ``*.pub`` contents or ``ssh-keyscan`` output (whose
    lines start with the host name); raise :class:`InitError` when there is none."""
    keys: list[str] = []
    problems: list[str] = []
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) >= 3 and not words[0].startswith(("ssh-", "ecdsa-", "sk-")):
            words = words[1:]  # ssh-keyscan / known_hosts: "host type base64"
        try:
            key = normalize_public_key(" ".join(words))
        except ValueError as e:
            problems.append(str(e))
            continue
        if key not in keys:
            keys.append(key)
    if not keys:
        raise InitError("no host key found" + (f" ({problems[0]})" if problems else ""))
    return tuple(keys)


def read_host_key_option(value: str) -> tuple[str, ...]:
    """``--target-host-key``: a key line, or a file holding one (``ssh-keyscan`` output)."""
    if value.startswith(("ssh-", "ecdsa-", "sk-")):
        return parse_host_keys(value)
    path = Path(value)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise InitError(f"{value}: not a public key line, and not a readable file "
                        f"({e.strerror})") from None
    try:
        return parse_host_keys(text)
    except InitError as e:
        raise InitError(f"{value}: {e}") from None


def scan_host_keys(host: str, port: int, timeout: float = 10.0) -> tuple[str, ...]:
    """Run ``ssh-keyscan`` against the target (what ``init --scan`` shows for confirmation)."""
    exe = shutil.which("ssh-keyscan")
    if exe is None:
        raise InitError("ssh-keyscan is not installed (apt-get install openssh-client)")
    argv = [exe, "-T", str(int(timeout)), *shlex.split(keyscan_command(host, port))[1:]]
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout + 5,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InitError(f"ssh-keyscan: {host}:{port} did not answer") from None
    try:
        return parse_host_keys(r.stdout)
    except InitError:
        why = r.stderr.strip().splitlines()[-1:] or ["no answer"]
        raise InitError(f"ssh-keyscan {host}:{port} returned no host key: {why[0]}") from None


def fingerprint(key_line: str) -> str:
    """``SHA256:…`` as ``ssh-keygen -lf`` prints it."""
    import asyncssh

    return asyncssh.import_public_key(key_line).get_fingerprint("sha256")


def os_user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def ensure_control_group(group: str, members: tuple[str, ...]) -> tuple[str, ...]:
    """Create ``group`` and add ``members`` to it when running as root; otherwise say which
    commands to run. Returns what was done or is left to do, one line each."""
    notes: list[str] = []
    try:
        existing = set(grp.getgrnam(group).gr_mem)
        exists = True
    except KeyError:
        existing, exists = set(), False
    users = [m for m in members if os_user_exists(m)]
    for m in members:
        if m not in users:
            notes.append(f"warning: approver {m!r} is not a user on this machine; create it "
                         f"(useradd {m}) or change approvers in the policy")
    root = os.geteuid() == 0
    if not exists:
        if root:
            subprocess.run(["groupadd", "--system", group], check=True, capture_output=True)
            notes.append(f"created OS group {group}")
        else:
            notes.append(f"run as root: groupadd --system {shlex.quote(group)}")
    for u in users:
        try:
            primary = grp.getgrgid(pwd.getpwnam(u).pw_gid).gr_name
        except KeyError:
            primary = None
        if u in existing or primary == group:
            continue
        if root:
            subprocess.run(["gpasswd", "-a", u, group], check=True, capture_output=True)
            notes.append(f"added {u} to {group} (takes effect at {u}'s next login)")
        else:
            notes.append(f"run as root: gpasswd -a {shlex.quote(u)} {shlex.quote(group)}")
    return tuple(notes)


def init_directory(
    directory: Path,
    *,
    listen: str = "127.0.0.1:2222",
    target_name: str | None = None,
    target_host: str = "127.0.0.1",
    target_port: int = 22,
    target_host_keys: tuple[str, ...] | None = None,
    login: str | None = None,
    approvers: tuple[str, ...] | None = None,
    control_group: str | None = None,
    manage_group: bool = False,
) -> InitResult:
    """Create config, CA, host, audit and recording keys (0600), an example agent key and a
    policy for one target. A remote target's host key is pinned only when given: never this
    machine's."""
    directory = directory.resolve()
    cfg = directory / "sshgate.yaml"
    existing = [p for p in (cfg, directory / "keys" / "ca", directory / "keys" / "host") if
                p.exists()]
    if existing:
        raise AlreadyInitialized(
            f"{directory} already has an sshgate setup ({', '.join(map(str, existing))}); "
            "refusing to overwrite"
        )
    name = target_name or ("localhost" if is_loopback(target_host) else target_host)
    if not NAME_RE.match(name):
        raise InitError(f"target name {name!r} is not valid (letters, digits, . _ -; at most "
                        "64); pass --target-name")
    user = login or invoking_user()
    approver_list = tuple(approvers or (invoking_user(),))
    for a in (user, *approver_list):
        if not re.match(r"^[a-z_][a-z0-9_.-]{0,31}\$?$", a, re.IGNORECASE):
            raise InitError(f"{a!r} is not a valid user name")
    source = "given" if target_host_keys else ""
    if not target_host_keys and is_loopback(target_host) and SYSTEM_HOST_KEY.exists():
        target_host_keys = parse_host_keys(SYSTEM_HOST_KEY.read_text())
        source = "this machine"
    group_notes: tuple[str, ...] = ()
    if control_group and manage_group:
        group_notes = ensure_control_group(control_group, approver_list)

    directory.mkdir(parents=True, exist_ok=True)
    keys = directory / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    create_key(keys / "ca", "sshgate-ca")
    create_key(keys / "host", "sshgate-host")
    create_key(keys / "audit", "sshgate-audit")
    create_key(keys / "recording", "sshgate-recording")
    agent = create_key(keys / "agent", "example-agent")
    (directory / "policies").mkdir(exist_ok=True)
    (directory / "recordings").mkdir(exist_ok=True)
    (directory / "state").mkdir(mode=0o700, exist_ok=True)
    policy = directory / "policies" / "example.yaml"
    if target_host_keys:
        note = ("# pinned from this machine's /etc/ssh" if source == "this machine"
                else "# pinned; a mismatch refuses the connection")
        block = "    host_key:                       " + note + "\n" + "\n".join(
            f'      - "{k}"' for k in target_host_keys)
    else:
        block = (
            '    host_key: ""                    # NOT PINNED YET: paste the target\'s key here\n'
            f"    # from: {keyscan_command(target_host, target_port)}   (check its fingerprint"
            " with the target's console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)"
        )
    policy.write_text(POLICY_TEMPLATE.format(
        config=cfg, identity="example-agent", agent_key=public_key_line(agent), target=name,
        host=target_host, port=target_port, host_key_block=block, login=user,
        approvers=", ".join(approver_list),
    ))
    group_line = (f"control_group: {control_group}   # OS group whose members may reach the "
                  "approvals control socket" if control_group else
                  "# control_group: ops        # OS group that may open the approvals control "
                  "socket")
    cfg.write_text(CONFIG_TEMPLATE.format(listen=listen, group_line=group_line))
    created = (cfg, keys / "ca", keys / "host", keys / "audit", keys / "recording",
               keys / "agent", policy,
               directory / "recordings", directory / "state")
    return InitResult(
        directory=directory, config=cfg, agent_key=keys / "agent", created=created,
        policy=policy, target_name=name, target_host=target_host, target_port=target_port,
        login=user, approvers=approver_list, host_key_source=source,
        host_keys=tuple(target_host_keys or ()), control_group=control_group,
        group_notes=group_notes,
    )


def gateway_address(listen: str) -> tuple[str, int]:
    """Where an agent on this machine reaches a gateway listening on ``listen``."""
    from .config import parse_listen

    host, port = parse_listen(listen)
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return host, port


def next_steps(res: InitResult, cli: str, listen: str) -> list[tuple[str, list[str]]]:
    """What to do after ``init``: (what, commands that work when pasted) in order."""
    q = shlex.quote
    cfg = q(str(res.config))
    ca_line = public_key_line_of(res.directory / "keys" / "ca.pub")
    host, port = gateway_address(listen)
    steps: list[tuple[str, list[str]]] = []
    if not res.host_keys:
        scan = keyscan_command(res.target_host, res.target_port)
        keyfile = q(str(res.directory / f"{res.target_name}.hostkey"))
        steps.append((
            f"Pin {res.target_name}'s host key (not pinned yet): fetch it over a path you "
            f"trust, compare the fingerprint with `ssh-keygen -lf "
            f"/etc/ssh/ssh_host_ed25519_key.pub` run on the target, then paste the key "
            f"(the part after the host name) into host_key in {res.policy}",
            [f"{scan} > {keyfile}", f"ssh-keygen -lf {keyfile}"]))
    steps.append((
        f"On {res.target_name}, as root: trust the gateway CA (the login {res.login!r} must "
        "exist there)",
        [f"echo {q(ca_line)} > /etc/ssh/sshgate_ca.pub",
         "echo 'TrustedUserCAKeys /etc/ssh/sshgate_ca.pub' >> /etc/ssh/sshd_config",
         "systemctl reload ssh || systemctl reload sshd"]))
    steps.append((
        f"Put your agent's public key under identities in {res.policy} (the example key "
        f"{res.agent_key} works for a first test), then check the policy",
        [f"{q(cli)} policy check --config {cfg}"]))
    steps.append(("Start the gateway", [f"{q(cli)} serve --config {cfg}"]))
    kh = q(str(res.directory / "agent_known_hosts"))
    hostpub = q(str(res.directory / "keys" / "host.pub"))
    known = f"[{host}]:{port}" if port != 22 else host
    steps.append((
        "From another terminal: pin the gateway's host key for the agent, and run a command "
        "as the agent",
        [f'echo "{known} $(cut -d" " -f1,2 {hostpub})" > {kh}',
         shlex.join(["ssh", "-p", str(port), "-i", str(res.agent_key), "-o",
                     f"UserKnownHostsFile={res.directory / 'agent_known_hosts'}", "-o",
                     "BatchMode=yes", f"{res.login}@{res.target_name}@{host}", "uptime"])]))
    who = " or ".join(res.approvers)
    steps.append((
        f"Answer held commands as {who}"
        + (f" (a member of group {res.control_group})" if res.control_group else ""),
        [f"{q(cli)} approvals --config {cfg}"]))
    return steps


def public_key_line_of(path: Path) -> str:
    return " ".join(path.read_text().split()[:3])
