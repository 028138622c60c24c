"""``sshgate init`` and ``sshgate ca``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from rich.text import Text

from ..certs import load_key, public_key_line
from ..config import ConfigError, parse_listen
from ..scaffold import (
    DEFAULT_CONTROL_GROUP,
    AlreadyInitialized,
    InitError,
    fingerprint,
    init_directory,
    invoking_user,
    next_steps,
    read_host_key_option,
    scan_host_keys,
)
from .common import cli_path, config_option, console, err_console, get_config


def _fail(message: str, status: int = 2) -> None:
    err_console.print(Text.assemble(("error: ", "red"), message))
    sys.exit(status)


@click.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".",
              show_default=True, help="Where to create the setup.")
@click.option("--listen", default="127.0.0.1:2222", show_default=True,
              help="Address the gateway will listen on.")
@click.option("--target-name", default=None,
              help="Name agents use for the target (LOGIN@NAME@gateway) [default: localhost "
                   "for this machine, else the host].")
@click.option("--target-host", default="127.0.0.1", show_default=True,
              help="Host name or address of the target.")
@click.option("--target-port", default=22, show_default=True, type=click.IntRange(1, 65535))
@click.option("--target-host-key", default=None, metavar="KEY|FILE",
              help="The target's host key: a public key line, or a file with one "
                   "(ssh-keyscan output). Without it a remote target is left unpinned and "
                   "init prints the ssh-keyscan command to run.")
@click.option("--scan", is_flag=True,
              help="Fetch the target's host key with ssh-keyscan, show its fingerprint and "
                   "ask before pinning it (needs a terminal).")
@click.option("--login", default=None, help="Login on the target [default: you].")
@click.option("--approver", "approvers", multiple=True,
              help="OS user who may approve held commands (repeatable) [default: you].")
@click.option("--control-group", default=None,
              help="OS group whose members may reach the approvals socket; created (as root) "
                   f"with the approvers in it [default: {DEFAULT_CONTROL_GROUP} when an "
                   "approver is not you, else none].")
def init(directory: str, listen: str, target_name: str | None, target_host: str,
         target_port: int, target_host_key: str | None, scan: bool, login: str | None,
         approvers: tuple[str, ...], control_group: str | None) -> None:
    """Create sshgate.yaml, the CA and host keys (0600), an example agent key, a policy for
    one target and recordings/, then print the next steps as commands to paste.

    Exit status: 0 done, 1 if the directory already has a setup, 2 on a bad option.
    """
    try:
        parse_listen(listen)
    except ConfigError as e:
        _fail(f"--listen: {e}")
    if target_host_key and scan:
        _fail("give --target-host-key or --scan, not both")
    keys: tuple[str, ...] | None = None
    try:
        if target_host_key:
            keys = read_host_key_option(target_host_key)
        elif scan:
            keys = _scan_and_confirm(target_host, target_port)
    except InitError as e:
        _fail(f"--target-host-key: {e}" if target_host_key else str(e))
    me = invoking_user()
    group = control_group
    if group is None and any(a != me for a in approvers):
        group = DEFAULT_CONTROL_GROUP
    try:
        res = init_directory(Path(directory), listen=listen, target_name=target_name,
                             target_host=target_host, target_port=target_port,
                             target_host_keys=keys, login=login,
                             approvers=approvers or None, control_group=group,
                             manage_group=group is not None)
    except AlreadyInitialized as e:
        _fail(str(e), 1)
    except InitError as e:
        _fail(str(e))
    except (OSError, subprocess.CalledProcessError) as e:
        _fail(f"cannot set up the control group: {e}", 1)
    for p in res.created:
        console.print(Text.assemble(("  created ", "green"), str(p)))
    for note in res.group_notes:
        console.print(Text.assemble(("  ", ""), (note, "yellow" if "warning" in note else "")))
    if res.host_keys:
        for k in res.host_keys:
            console.print(Text(f"  pinned {res.target_name} host key {fingerprint(k)} "
                               f"({res.host_key_source})"))
    console.print("\n[bold]Next:[/]")
    for n, (what, commands) in enumerate(next_steps(res, cli_path(), listen), 1):
        console.print(Text(f"{n}. {what}:"), soft_wrap=True)
        for c in commands:
            console.print(Text(f"     {c}"), soft_wrap=True)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _scan_and_confirm(host: str, port: int) -> tuple[str, ...]:
    if not _interactive():
        _fail("--scan asks for confirmation and needs a terminal; fetch the key with "
              "ssh-keyscan and pass it with --target-host-key FILE")
    keys = scan_host_keys(host, port)
    for k in keys:
        console.print(Text(f"{host}:{port} presents {k.split()[0]} {fingerprint(k)}"))
    console.print("Compare with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` run on the "
                  "target itself.")
    if not click.confirm("Pin this key?", default=False):
        _fail("not pinned; nothing was created", 1)
    return keys


@click.group()
def ca() -> None:
    """The gateway's certificate authority."""


@ca.command("public-key")
@config_option
def ca_public_key(config_path: str | None) -> None:
    """Print the CA public key line for targets' TrustedUserCAKeys."""
    cfg = get_config(config_path)
    try:
        key = load_key(cfg.ca_key)
    except (OSError, ValueError) as e:
        err_console.print(f"[red]error:[/] cannot read CA key {cfg.ca_key}: {e}")
        sys.exit(1)
    click.echo(public_key_line(key))

