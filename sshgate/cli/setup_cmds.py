"""``sshgate init`` and ``sshgate ca``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..certs import load_key, public_key_line
from ..scaffold import AlreadyInitialized, init_directory
from .common import config_option, console, err_console, get_config


@click.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".",
              show_default=True, help="Where to create the setup.")
@click.option("--listen", default="127.0.0.1:2222", show_default=True,
              help="Address the gateway will listen on.")
@click.option("--target-host", default="127.0.0.1", show_default=True,
              help="Host of the example target in the generated policy.")
@click.option("--target-port", default=22, show_default=True, type=int)
@click.option("--login", default=None, help="Login on the example target [default: you].")
def init(directory: str, listen: str, target_host: str, target_port: int,
         login: str | None) -> None:
    """Create sshgate.yaml, the CA and host keys (0600), an example policy and recordings/.

    Refuses (exit 1) if the directory already has a setup.
    """
    try:
        res = init_directory(Path(directory), listen=listen, target_host=target_host,
                             target_port=target_port, login=login)
    except AlreadyInitialized as e:
        err_console.print(f"[red]error:[/] {e}")
        sys.exit(1)
    for p in res.created:
        console.print(f"  [green]created[/] {p}")
    console.print(
        "\nNext: put the CA key in each target's sshd_config "
        "(`sshgate ca public-key > /etc/ssh/sshgate_ca.pub`, then "
        "`TrustedUserCAKeys /etc/ssh/sshgate_ca.pub`), edit the policy, and run "
        f"`sshgate serve --config {res.config}`."
    )


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
