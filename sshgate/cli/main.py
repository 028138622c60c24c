"""Entry point: ``sshgate``."""

from __future__ import annotations

import importlib

import click

from .. import __version__

#: command name -> "module:attribute" under sshgate.cli, imported only when the command runs
#: (or when --help lists them all): `approvals list` need not load asyncssh, the bash parser
#: and the gateway, which cost a new process ~1 s of CPU.
COMMANDS = {
    "init": "setup_cmds:init",
    "ca": "setup_cmds:ca",
    "policy": "policy_cmds:policy",
    "serve": "serve_cmd:serve",
    "classify": "classify_cmd:classify",
    "approvals": "approvals_cmd:approvals",
    "approve": "approvals_cmd:approve",
    "deny": "approvals_cmd:deny",
    "sessions": "oversight_cmd:sessions",
    "watch": "oversight_cmd:watch",
    "lock": "oversight_cmd:lock",
    "unlock": "oversight_cmd:unlock",
    "locks": "oversight_cmd:locks",
    "recordings": "recordings_cmd:recordings",
    "replay": "recordings_cmd:replay",
    "demo": "demo_cmd:demo",
    "db": "db_cmd:db",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented lazy-loading
    pattern); commands added with add_command work as usual."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sshgate")
def cli() -> None:
    """sshgate: the SSH gateway that lets AI agents touch production under least privilege.

    Agents connect with `ssh -p 2222 LOGIN@TARGET@gateway CMD`. Exit status 77 means
    sshgate refused the command or session (the reason is on stderr).
    """


def main() -> None:
    cli()
