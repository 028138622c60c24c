"""``sshgate init``: lay out a working gateway directory (config, keys, example policy)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from .certs import create_key, public_key_line

SYSTEM_HOST_KEY = Path("/etc/ssh/ssh_host_ed25519_key.pub")

CONFIG_TEMPLATE = """\
# sshgate gateway settings. Paths are relative to this file.
listen: {listen}            # sshgate serve --listen HOST:PORT overrides this
policies: policies          # every *.yaml in here is loaded and merged
recordings: recordings      # one asciicast file per session, sealed at close
state_dir: state            # audit log, control socket for approvals, pid file
ca_key: keys/ca             # signs the per-session user certificates (0600)
host_key: keys/host         # the gateway's own SSH host key, also seals recordings (0600)
# control_group: ops        # OS group that may open the approvals control socket
max_connections_per_source: 50
login_timeout: 10s
drain_timeout: 30s          # SIGTERM: how long running sessions may take to finish
"""

POLICY_TEMPLATE = """\
# An sshgate policy. Every *.yaml file in this directory is merged; names are global.
# Check it with:  sshgate policy check

identities:                         # who the agents are
  - name: {identity}
    keys:                           # the agent's SSH public key(s), as in authorized_keys
      - "{agent_key}"

targets:                            # hosts behind the gateway
  - name: {target}
    host: {host}
    port: {port}
    host_key: "{host_key}"{host_key_note}

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

approvers: [{approver}]             # OS users who may approve held commands

approval:
  timeout: 5m                       # then the command is denied
  no_reviewer: wait                 # or: deny (refuse at once when nobody is watching)

rules:                              # overrides of the built-in command guard
  - rule: fs.rm-recursive           # e.g. recursive deletes under /tmp need nobody's approval
    action: allow
    identities: [{identity}]
    paths: ["/tmp/**"]
"""


@dataclass(frozen=True, slots=True)
class InitResult:
    directory: Path
    config: Path
    agent_key: Path
    created: tuple[Path, ...]


class AlreadyInitialized(Exception):
    """The directory already holds an sshgate setup; nothing was touched."""


def init_directory(
    directory: Path,
    *,
    listen: str = "127.0.0.1:2222",
    target_host: str = "127.0.0.1",
    target_port: int = 22,
    target_host_key: str | None = None,
    login: str | None = None,
) -> InitResult:
    """Create config, CA and host keys (0600), an example agent key and a working policy."""
    directory = directory.resolve()
    cfg = directory / "sshgate.yaml"
    existing = [p for p in (cfg, directory / "keys" / "ca", directory / "keys" / "host") if
                p.exists()]
    if existing:
        raise AlreadyInitialized(
            f"{directory} already has an sshgate setup ({', '.join(map(str, existing))}); "
            "refusing to overwrite"
        )
    directory.mkdir(parents=True, exist_ok=True)
    keys = directory / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    create_key(keys / "ca", "sshgate-ca")
    host = create_key(keys / "host", "sshgate-host")
    agent = create_key(keys / "agent", "example-agent")
    note = ""
    if target_host_key is None:
        if SYSTEM_HOST_KEY.exists():
            target_host_key = " ".join(SYSTEM_HOST_KEY.read_text().split()[:2])
            note = f"   # pinned from {SYSTEM_HOST_KEY}"
        else:
            target_host_key = public_key_line(host)
            note = "   # REPLACE with the target's host key (ssh-keyscan); a mismatch refuses"
    user = login or getpass.getuser()
    (directory / "policies").mkdir(exist_ok=True)
    (directory / "recordings").mkdir(exist_ok=True)
    (directory / "state").mkdir(mode=0o700, exist_ok=True)
    policy = directory / "policies" / "example.yaml"
    policy.write_text(POLICY_TEMPLATE.format(
        identity="example-agent", agent_key=public_key_line(agent), target="localhost",
        host=target_host, port=target_port, host_key=target_host_key, host_key_note=note,
        login=user, approver=user,
    ))
    cfg.write_text(CONFIG_TEMPLATE.format(listen=listen))
    created = (cfg, keys / "ca", keys / "host", keys / "agent", policy,
               directory / "recordings", directory / "state")
    return InitResult(directory, cfg, keys / "agent", created)
