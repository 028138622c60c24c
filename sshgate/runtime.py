"""Assemble and run a gateway from a :class:`Config`: keys, policy, audit, hooks, signals."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import resource
import signal
from collections.abc import Callable

from .audit import AuditLog
from .certs import load_key
from .config import Config
from .gateway.server import Gateway, GatewayHooks
from .policy.loader import load_policy
from .policy.model import Policy

log = logging.getLogger("sshgate")


def known_rule_names() -> set[str]:
    from .guard.rules import ALL_RULES

    return {r.name for r in ALL_RULES}


def read_policy(config: Config) -> Policy:
    """Load the configured policies (raises PolicyLoadError with file:line errors)."""
    return load_policy([config.policies], known_rules=known_rule_names())


def raise_file_limit() -> int:
    """Raise RLIMIT_NOFILE to its hard limit (each session holds two sockets); return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


def build_gateway(config: Config, policy: Policy, audit: AuditLog,
                  hooks_factory: Callable[[Gateway], GatewayHooks] | None = None) -> Gateway:
    gw = Gateway(
        policy,
        load_key(config.ca_key),
        load_key(config.host_key),
        audit,
        max_connections_per_source=config.max_connections_per_source,
        max_connections=config.max_connections,
        login_timeout=config.login_timeout,
    )
    if hooks_factory is not None:
        gw.hooks = hooks_factory(gw)
    return gw


async def serve(config: Config, *, on_ready: Callable[[Gateway], None] | None = None,
                hooks_factory: Callable[[Gateway], GatewayHooks] | None = None) -> int:
    """Run until SIGTERM/SIGINT (drain, then close); SIGHUP reloads the policy."""
    policy = read_policy(config)
    nofile = raise_file_limit()
    config.state_dir.mkdir(parents=True, exist_ok=True)
    audit = AuditLog(config.audit_log)
    if hooks_factory is None:
        from .hooks import default_hooks_factory

        hooks_factory = default_hooks_factory(config)
    gw = build_gateway(config, policy, audit, hooks_factory)
    await gw.hooks.start()
    await gw.start(config.listen_host, config.listen_port)
    audit.write("gateway.start", listen=f"{config.listen_host}:{gw.port}", pid=os.getpid(),
                policies=list(policy.sources))
    config.pid_file.write_text(f"{os.getpid()}\n")
    log.info("listening on %s:%d (file limit %d)", config.listen_host, gw.port, nofile)
    if on_ready is not None:
        on_ready(gw)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def reload() -> None:
        from .policy.loader import PolicyLoadError

        try:
            gw.reload(read_policy(config))
            log.info("policy reloaded")
        except PolicyLoadError as e:
            audit.write("policy.reload-refused", errors=[str(x) for x in e.errors])
            log.error("policy reload refused; the old policy stays in force:\n%s", e)

    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, reload)
    try:
        await stop.wait()
    finally:
        log.info("stopping: draining sessions for up to %gs", config.drain_timeout)
        await gw.stop(config.drain_timeout)
        await gw.hooks.close()
        audit.write("gateway.stop")
        audit.close()
        with contextlib.suppress(FileNotFoundError):
            config.pid_file.unlink()
    return 0
