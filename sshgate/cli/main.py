"""Entry point: ``sshgate``."""

from __future__ import annotations

import click

from .. import __version__
from .approvals_cmd import approvals, approve, deny
from .classify_cmd import classify
from .db_cmd import db
from .demo_cmd import demo
from .oversight_cmd import lock, locks, sessions, unlock, watch
from .policy_cmds import policy
from .recordings_cmd import recordings, replay
from .serve_cmd import serve
from .setup_cmds import ca, init


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sshgate")
def cli() -> None:
    """sshgate: the SSH gateway that lets AI agents touch production under least privilege.

    Agents connect with `ssh -p 2222 LOGIN@TARGET@gateway CMD`. Exit status 77 means
    sshgate refused the command or session (the reason is on stderr).
    """


cli.add_command(init)
cli.add_command(ca)
cli.add_command(policy)
cli.add_command(serve)
cli.add_command(classify)
cli.add_command(approvals)
cli.add_command(approve)
cli.add_command(deny)
cli.add_command(sessions)
cli.add_command(watch)
cli.add_command(lock)
cli.add_command(unlock)
cli.add_command(locks)
cli.add_command(recordings)
cli.add_command(replay)
cli.add_command(demo)
cli.add_command(db)


def main() -> None:
    cli()
