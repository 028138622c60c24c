"""Options and output helpers shared by the CLI commands."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console

from ..config import Config, ConfigError, load_config

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    envvar="SSHGATE_CONFIG", show_envvar=True,
    help="Gateway settings file [default: ./sshgate.yaml].",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def get_config(path: str | None) -> Config:
    try:
        return load_config(path)
    except ConfigError as e:
        err_console.print(f"[red]error:[/] {e}")
        sys.exit(2)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def cli_path() -> str:
    """How to run this same CLI again, as an absolute path (hints must work when pasted,
    and a virtualenv's ``sshgate`` is often not on PATH)."""
    import os
    import shutil

    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "sshgate":
        found = argv0 if os.sep in argv0 else shutil.which(argv0)
        if found:
            return os.path.abspath(found)
    beside = os.path.join(os.path.dirname(sys.executable), "sshgate")
    if os.access(beside, os.X_OK):
        return beside
    return f"{sys.executable} -m sshgate"
