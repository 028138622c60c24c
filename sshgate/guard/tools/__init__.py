"""The long tail of the known-safe catalogue, one module per domain of work. Each module holds
``ENTRIES`` (command name -> shapes.Entry) and ``CHECKS`` (check name -> shapes.Check) for
commands safe.py does not list; safe.py merges them and refuses a name listed twice. Pure data
and pure checks: a module here imports only shapes, options, parse and the guard's other pure
helpers, never safe.py."""

from __future__ import annotations

from . import (
    build,
    cloud3,
    data,
    data2,
    dev2,
    infra,
    langs,
    media,
    observe,
    ops2,
    ops16,
    ops17,
    secnet3,
    site_ops,
    sysadmin,
)

DOMAINS = (observe, build, data, infra, site_ops, sysadmin, media, langs, dev2, ops2, data2,
           secnet3, cloud3, ops16, ops17)

__all__ = ["DOMAINS"]
