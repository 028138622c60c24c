"""``sshgate policy check``."""

from __future__ import annotations

import sys

import click
from rich.text import Text

from ..policy.loader import PolicyLoadError, load_policy
from ..runtime import known_rule_names, policy_warnings
from .common import config_option, console, err_console, get_config


@click.group()
def policy() -> None:
    """Validate policy files (`sshgate policy check`)."""


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
