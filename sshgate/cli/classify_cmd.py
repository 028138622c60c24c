"""``sshgate classify``: the decision for a command line, as the gateway would make it."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from ..display import shown
from ..policy.evaluate import Decision, classify_for, decide
from ..policy.loader import PolicyLoadError, load_policy
from ..policy.model import Action, Policy
from ..runtime import known_rule_names, read_policy
from .common import config_option, console, err_console, get_config

COLOURS = {Action.ALLOW: "green", Action.APPROVE: "yellow", Action.DENY: "red"}


def highlight(line: str, decision: Decision) -> Text:
    """The command (controls shown as escapes) with the spans of its findings coloured by
    their action."""
    return shown(line, spans=[(*d.finding.span, f"bold {COLOURS[d.action]}")
                              for d in decision.findings])


def render_commands(decision: Decision) -> None:
    """Per command: the catalogue or allow entry that made it safe, or what holds it."""
    if not decision.commands:
        return
    t = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    t.add_column("command")
    t.add_column("known safe by / held by")
    for c in decision.commands:
        if c.safe_by:
            t.add_row(shown(" ".join(c.argv)), shown(c.safe_by, "green"))
        else:
            t.add_row(shown(" ".join(c.argv)), shown(", ".join(c.held_by) or "-", "yellow"))
    console.print(t)


def render(decision: Decision) -> None:
    colour = COLOURS[decision.action]
    console.print(Text.assemble((f"{decision.action.value.upper():8}", f"bold {colour}"),
                                highlight(decision.line, decision)))
    if decision.findings:
        t = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        t.add_column("rule")
        t.add_column("action")
        t.add_column("why")
        t.add_column("argv")
        t.add_column("source", style="dim")
        for d in decision.findings:
            t.add_row(shown(d.finding.rule), Text(d.action.value, style=COLOURS[d.action]),
                      shown(d.finding.why), shown(" ".join(d.finding.argv)), shown(d.source))
        console.print(t)
    render_commands(decision)


def _policy(policy_paths: tuple[str, ...], config_path: str | None) -> tuple[Policy, str]:
    """The policy the gateway would use (or the files given), and where it came from."""
    try:
        if policy_paths:
            return load_policy(policy_paths, known_rules=known_rule_names()), \
                ", ".join(policy_paths)
        if config_path is not None or Path("sshgate.yaml").exists():
            config = get_config(config_path)
            return read_policy(config), str(config.policies)
    except PolicyLoadError as e:
        for err in e.errors:
            err_console.print(str(err), markup=False)
        sys.exit(2)
    return Policy(), "built-in rules only (no sshgate.yaml, --config or --policy)"


@click.command()
@click.argument("command", nargs=-1, required=True)
@config_option
@click.option("--policy", "policy_paths", multiple=True, type=click.Path(exists=True),
              help="Test this policy file or directory (repeatable) instead of the "
                   "configured policies.")
@click.option("--identity", default=None, help="Decide as this identity (for scoped rules).")
@click.option("--target", default=None, help="Decide for this target (for scoped rules).")
@click.option("--shell", "shell", is_flag=True,
              help="Decide as a line typed into a gated interactive shell (its own rules, "
                   "such as shell.trap, apply too).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per command line.")
def classify(command: tuple[str, ...], config_path: str | None, policy_paths: tuple[str, ...],
             identity: str | None, target: str | None, shell: bool, as_json: bool) -> None:
    """Show the decision (allow, approve, deny) for COMMAND, as the gateway would make it.

    The policy is the deployed one (--config, $SSHGATE_CONFIG or ./sshgate.yaml), or the
    files given with --policy; the built-in rules alone only when there is neither. The words
    of COMMAND are joined with spaces; quote it to keep shell syntax intact. With `-` as
    COMMAND, read one command line per stdin line. Exit status is 0 whatever the decision
    (it is a query) and 2 on bad usage, a bad config or a bad policy.
    """
    policy, source = _policy(policy_paths, config_path)
    if not as_json:
        err_console.print(Text(f"policy: {source}", style="dim"))
    lines = sys.stdin.read().splitlines() if command == ("-",) else [" ".join(command)]
    for line in lines:
        started = time.perf_counter()
        d = decide(policy, classify_for(policy, line, shell), identity=identity,
                   target=target)
        ms = round((time.perf_counter() - started) * 1000, 3)
        if as_json:
            click.echo(json.dumps({**d.to_json(), "ms": ms}))
        else:
            render(d)
