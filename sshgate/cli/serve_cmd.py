"""``sshgate serve``."""

from __future__ import annotations

import asyncio
import logging
import sys

import click
from rich.logging import RichHandler

from ..config import ConfigError
from ..display import LogFormatter
from ..policy.loader import PolicyLoadError
from ..runtime import serve as run_serve
from ..state import StateUnavailable
from ..state.schema import SchemaError
from ..state_lock import AlreadyRunning
from .common import config_option, err_console, get_config


def _log_handler(verbose: int) -> logging.Handler:
    if err_console.is_terminal:
        # rich's tracebacks highlight source for every frame: ~50 ms of event-loop time per
        # internal error at the gateway's stack depth, during which every session stalls
        handler: logging.Handler = _SafeRichHandler(console=err_console, show_path=False,
                                                    rich_tracebacks=verbose > 0)
        fmt = "%(message)s"
    else:  # a pipe, a file, journald: one plain line per event, never wrapped
        handler = _SafeStreamHandler(sys.stderr)
        fmt = "%(asctime)s %(levelname)s %(message)s"
    handler.setFormatter(LogFormatter(fmt))  # client text shown, never obeyed
    return handler


@click.command()
@config_option
@click.option("--listen", default=None, help="HOST:PORT to listen on (overrides the config).")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for asyncssh too).")
def serve(config_path: str | None, listen: str | None, verbose: int) -> None:
    """Run the gateway in the foreground.

    SIGTERM/SIGINT stop accepting, let sessions finish within drain_timeout, then close
    them; SIGHUP reloads the policy (a broken policy is refused, the old one stays).
    Exit status: 0 after a clean stop, 1 on a bad policy, 2 on a bad config, 3 when the
    fleet database (database:) is unreachable or its schema is not this sshgate's.
    """
    cfg = get_config(config_path)
    if listen:
        try:
            cfg = cfg.with_listen(listen)
        except ConfigError as e:
            err_console.print(f"[red]error:[/] {e}")
            sys.exit(2)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        handlers=[_log_handler(verbose)])
    logging.getLogger("asyncssh").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    try:
        sys.exit(asyncio.run(run_serve(cfg)))
    except PolicyLoadError as e:
        for err in e.errors:
            err_console.print(str(err), markup=False, soft_wrap=True)
        sys.exit(1)
    except (SchemaError, StateUnavailable) as e:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(str(e), markup=False, soft_wrap=True)
        sys.exit(3)
    except AlreadyRunning as e:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(str(e), markup=False)
        sys.exit(1)
    except (OSError, ConfigError) as e:
        err_console.print("[red]error:[/] ", end="")
        err_console.print(str(e), markup=False)
        sys.exit(1)


class _LogSinkGone:
    """A log handler whose output went away (Ctrl-C on `sshgate serve | tee log` kills tee
    first) goes quiet instead of raising into the gateway: it must still drain and seal.
    The audit log remains the record."""

    def handleError(self, record: logging.LogRecord) -> None:
        self.setLevel(logging.CRITICAL + 1)  # type: ignore[attr-defined]


class _SafeStreamHandler(_LogSinkGone, logging.StreamHandler):
    pass


class _SafeRichHandler(_LogSinkGone, RichHandler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            super().emit(record)
        except Exception:  # RichHandler does not route write errors to handleError
            self.handleError(record)
