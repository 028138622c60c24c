"""Assemble and run a gateway from a :class:`Config`: keys, policy, audit, hooks, signals."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import gc
import logging
import os
import pwd
import resource
import signal
import sys
from collections.abc import Callable
from typing import Any

import asyncssh

from . import operator_log
from .audit import AuditLog
from .certs import load_key, load_or_create_key
from .config import Config
from .gateway.server import Gateway, GatewayHooks
from .guard.classify import warm_up
from .policy.loader import load_policy
from .policy.model import Policy
from .state_lock import StateLock

#: seconds a thread holds the GIL before another may take it (CPython's default: 0.005)
GIL_SWITCH_INTERVAL = 0.0005
log = logging.getLogger("sshgate")


def known_rule_names() -> set[str]:
    from .guard.rules import ALL_RULES, SHELL_RULES

    return {r.name for r in (*ALL_RULES, *SHELL_RULES)}


def read_policy(config: Config) -> Policy:
    """Load the configured policies (raises PolicyLoadError with file:line errors)."""
    return load_policy([config.policies], known_rules=known_rule_names())


def reload_policy(config: Config, gw: Gateway, by: str) -> dict[str, Any]:
    """Re-read the configured policy files into ``gw``; a broken policy is refused (audit
    ``policy.reload-refused``) and the one in force stays. Returns what happened."""
    from .policy.loader import PolicyLoadError

    try:
        policy = read_policy(config)
    except PolicyLoadError as e:
        errors = [str(x) for x in e.errors]
        gw.audit_log.write("policy.reload-refused", errors=errors, by=by,
                           digest=gw.policy.digest)
        log.error("policy reload refused; the old policy stays in force:\n%s", e)
        gw.hooks.on_policy_refused(errors)
        return {"ok": False, "digest": gw.policy.digest, "errors": errors}
    gw.reload(policy, by=by)
    log.info("policy reloaded (%s), digest %s", by, policy.digest[:12])
    return {"ok": True, "digest": policy.digest, "errors": []}


def policy_warnings(policy: Policy) -> list[str]:
    """What is valid but cannot work on this machine: approvers with no OS account here
    (the control socket identifies reviewers by their OS user)."""
    out = []
    for a in policy.approvers:
        try:
            pwd.getpwnam(a.user)
        except KeyError:
            out.append(f"approvers: {a.user!r} is not a user on this machine, so they cannot "
                       "reach the approvals socket (useradd it, or fix the name)")
    return out


def raise_file_limit() -> int:
    """Raise RLIMIT_NOFILE to its hard limit (each session holds two sockets); return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    return soft


# glibc mallopt() parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


def keep_freed_memory(*, trim: int = 64 << 20, mmap: int = 16 << 20, arenas: int = 4) -> bool:
    """Tell glibc's malloc to keep freed memory for reuse instead of handing it back to the
    kernel at once; return False where that is not glibc."""
    # The relay frees and reallocates 100 KB-5 MB buffers (socket reads, packets, recorder
    # lines) all the time. With glibc's defaults they bounce between mmap/munmap and heap
    # trims, and every reuse faults fresh zeroed pages: up to 245,000 page faults and 0.2 s
    # of kernel time per 256 MB relayed, a third of the gateway's CPU. Bounded by `trim` per
    # arena and at most `arenas` arenas (recorder threads share them).
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        return False
    return all(mallopt(param, value) == 1 for param, value in (
        (_M_TRIM_THRESHOLD, trim), (_M_MMAP_THRESHOLD, mmap), (_M_ARENA_MAX, arenas)))


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
        fast_relay=config.fast_relay,
        early_channel=config.early_channel,
        max_channels_per_session=config.max_channels_per_session,
        max_startups=config.max_startups,
        per_source_max_startups=config.per_source_max_startups,
    )
    if hooks_factory is not None:
        gw.hooks = hooks_factory(gw)
    return gw


async def serve(config: Config, *, on_ready: Callable[[Gateway], None] | None = None,
                hooks_factory: Callable[[Gateway], GatewayHooks] | None = None) -> int:
    """Run until SIGTERM/SIGINT (drain, then close); SIGHUP reloads the policy."""
    policy = read_policy(config)
    for warning in policy_warnings(policy):
        log.warning("%s", warning)
    nofile = raise_file_limit()
    # The guard classifies in threads that hold the GIL for tens of ms on a hostile line;
    # with the default 5 ms switch interval every relay step of other sessions waits that
    # long for the loop thread to get the GIL back.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    # The guard's one-time set-up (its tables' regexes, bashlex) before the first line, and
    # what is alive now (modules, tables, policy) out of every later full collection: a
    # collection then walks only what sessions allocate (docs/guard-budget.md).
    warm_up()
    gc.collect()
    gc.freeze()
    if not keep_freed_memory():
        log.info("not glibc: malloc left at its defaults")
    # One gateway per state dir, decided before the socket, pid file or audit log is touched:
    # a second `serve` must not take over (or later delete) what the first one uses.
    lock = StateLock(config.state_dir)
    lock.acquire()
    try:
        return await _serve_locked(config, policy, nofile, on_ready, hooks_factory)
    finally:
        lock.release()


def signing_keys(config: Config) -> tuple[asyncssh.SSHKey, dict[str, str]]:
    """The audit key, and the audit and recording keys created now (path -> fingerprint)
    because this setup predates them (``init`` creates both)."""
    created: dict[str, str] = {}
    keys = {}
    for path, comment in ((config.audit_key, "sshgate-audit"),
                          (config.recording_key, "sshgate-recording")):
        keys[comment], new = load_or_create_key(path, comment)
        if new:
            created[str(path)] = keys[comment].get_fingerprint()
    return keys["sshgate-audit"], created


async def open_fleet(config: Config):
    """The shared state of a fleet (``database:``), connected and its schema checked; None
    for the embedded default. Raises DatabaseError or SchemaError: serve refuses to start."""
    if not config.database:
        return None
    try:
        from .state.postgres import PostgresState, replica_id
    except ImportError as e:  # asyncpg is the `fleet` extra
        raise OSError(f"database: needs the PostgreSQL driver ({e}): pip install "
                      "'sshgate[fleet]'") from None
    fleet = PostgresState(config.database, replica_id(config.state_dir),
                          listen=f"{config.listen_host}:{config.listen_port}",
                          interval=config.heartbeat_interval, timeout=config.heartbeat_timeout,
                          pool_size=config.database_pool, audit_path=config.audit_log)
    await fleet.connect()
    log.info("fleet: replica %s, database schema checked", fleet.replica)
    return fleet


async def _serve_locked(config: Config, policy: Policy, nofile: int,
                        on_ready: Callable[[Gateway], None] | None,
                        hooks_factory: Callable[[Gateway], GatewayHooks] | None) -> int:
    audit_key, created = signing_keys(config)
    for path in created:
        log.warning("created signing key %s (this setup predates it; see README, security "
                    "model, 'Upgrading')", path)
    fleet = await open_fleet(config)
    audit = AuditLog(config.audit_log, audit_key, sign_every=config.audit_sign_every)
    operator_log.attach(audit, log)
    if created:
        audit.write("keys.created", keys=list(created), fingerprints=list(created.values()))
    if hooks_factory is None:
        from .hooks import default_hooks_factory

        hooks_factory = default_hooks_factory(config, fleet)
    gw = build_gateway(config, policy, audit, hooks_factory)
    gw.hooks.reloader = lambda by: reload_policy(config, gw, by)
    try:
        await gw.hooks.start()
        await gw.start(config.listen_host, config.listen_port)
    except BaseException as e:  # e.g. the port is taken: the log still ends with a stop head
        audit.write("gateway.start-failed", error=str(e) or type(e).__name__)
        with contextlib.suppress(Exception):
            await gw.hooks.close()
        audit.close()
        if fleet is not None:
            await fleet.close()
        raise
    audit.write("gateway.start", listen=f"{config.listen_host}:{gw.port}", pid=os.getpid(),
                policies=list(policy.sources), policy_digest=policy.digest)
    pid_text = f"{os.getpid()}\n"
    config.pid_file.write_text(pid_text)
    log.info("listening on %s:%d (file limit %d)", config.listen_host, gw.port, nofile)
    if on_ready is not None:
        on_ready(gw)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    # SIGHUP: this replica only (`sshgate policy reload` asks the whole fleet)
    loop.add_signal_handler(signal.SIGHUP, reload_policy, config, gw, "SIGHUP")
    try:
        await stop.wait()
    finally:
        log.info("stopping: draining sessions for up to %gs", config.drain_timeout)
        await gw.stop(config.drain_timeout)
        await gw.hooks.close()
        audit.write("gateway.stop")
        audit.close()
        if fleet is not None:  # after the stop head, so that the shared copy ends with it
            await fleet.close()
        with contextlib.suppress(OSError):  # only the pid file this process wrote
            if config.pid_file.read_text() == pid_text:
                config.pid_file.unlink()
    return 0
