"""``sshgate demo``."""

from __future__ import annotations

import sys

import click

from ..demo import run_demo
from .common import cli_path, console


@click.command()
@click.option("--yes", is_flag=True, help="Approve the held command automatically.")
@click.option("--keep", is_flag=True, help="Leave the gateway and target running for your own "
                                           "ssh commands (Ctrl-C stops and cleans up).")
@click.option("--replay-speed", default=4.0, show_default=True, type=float,
              help="Speed of the closing replay (0: no delays).")
def demo(yes: bool, keep: bool, replay_speed: float) -> None:
    """Show the whole thing on this machine: a target, the gateway, an agent session with
    allowed, held and refused commands, the recordings and a replay.

    Uses OpenSSH's sshd as the target when installed, otherwise an embedded target.
    Everything runs on 127.0.0.1 in a temp dir that is removed at the end. Without a
    terminal the held command is approved automatically (as with --yes).
    """
    if not yes and not sys.stdin.isatty():
        console.print("[yellow]note:[/] no terminal to answer the approval prompt on; "
                      "approving automatically as with --yes", soft_wrap=True)
        yes = True
    sys.exit(run_demo(console, yes=yes, keep=keep, replay_speed=replay_speed, cli=cli_path()))
