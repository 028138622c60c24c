"""``sshgate policy check``."""

from __future__ import annotations

import sys

import click
from rich.text import Text

from ..policy.loader import PolicyLoadError, load_policy
from ..runtime import known_rule_names, policy_warnings
from .common import config_option, console, err_console, get_config, json_option


@click.group()
def policy() -> None:
    """Validate policy files (`sshgate policy check`) and reload them (`policy reload`)."""


@policy.command()
@click.argument("files", nargs=-1, type=click.Path())
@config_option
def check(files: tuple[str, ...], config_path: str | None) -> None:
    """Validate policy FILES (default: the configured policies directory).

    Prints every problem as FILE:LINE: FIELD: MESSAGE and exits 1 if there is any.
    Warnings (an approver with no OS account here) are printed and leave the exit status 0.
    """
    paths = list(files) or [str(get_config(config_path).policies)]
    try:
        pol = load_policy(paths, known_rules=known_rule_names())
    except PolicyLoadError as e:
        for err in e.errors:
            err_console.print(str(err), markup=False, soft_wrap=True)
        err_console.print(f"[red]{len(e.errors)} error(s)[/]")
        sys.exit(1)
    for w in policy_warnings(pol):
        err_console.print(Text.assemble(("warning: ", "yellow"), w), soft_wrap=True)
    console.print(
        f"[green]ok[/] {len(pol.sources)} file(s): {len(pol.identities)} identities, "
        f"{len(pol.targets)} targets, {len(pol.grants)} grants, {len(pol.approvers)} approvers, "
        f"{len(pol.rules)} rules"
    )


@policy.command()
@config_option
@json_option
def reload(config_path: str | None, as_json: bool) -> None:
    """Make the running gateway re-read its policy files, and with a fleet (database:)
    every replica re-read its own; prints what each one runs now.

    A replica that finds its files broken keeps its previous policy and says why. Exit 1
    unless every replica answered, loaded, and runs the same files (by digest). Open to
    the gateway's own OS user and root, as SIGHUP is (which reloads one replica only).
    """
    import asyncio

    from ..approvals.control import ControlError, call
    from ..approvals.render import show_reload

    try:
        reply = asyncio.run(call(get_config(config_path).control_socket, {"op": "reload"}))
    except ControlError as e:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(str(e), markup=False)
        sys.exit(1)
    sys.exit(show_reload(console, err_console, reply, as_json))
