"""Gateway settings loaded from ``sshgate.yaml`` (paths are relative to that file)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .policy.loader import parse_duration

DEFAULT_CONFIG = "sshgate.yaml"
DEFAULT_LISTEN = "127.0.0.1:2222"
#: sun_path holds 108 bytes including the terminating NUL.
MAX_SOCKET_PATH = 107


class ConfigError(Exception):
    """A problem with sshgate.yaml; the message names the file and field."""


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    listen_host: str
    listen_port: int
    policies: Path
    recordings: Path
    state_dir: Path
    ca_key: Path
    host_key: Path
    #: signs the audit log's chain heads (SSHSIG, namespace sshgate-audit)
    audit_key: Path
    #: seals recordings (SSHSIG, namespace sshgate-recording)
    recording_key: Path
    control_group: str | None = None
    max_connections_per_source: int = 50
    max_connections: int = 2000
    login_timeout: float = 10.0
    drain_timeout: float = 30.0
    record: bool = True
    control_socket_path: Path | None = None
    fast_relay: bool = False
    #: commands of one session that may wait for a reviewer at once
    max_pending_per_session: int = 4
    #: channels (exec commands, shells) one connection may have open at once
    max_channels_per_session: int = 10
    #: the audit log's chain head is signed at least every this many events
    audit_sign_every: int = 100

    @property
    def audit_log(self) -> Path:
        return self.state_dir / "audit.jsonl"

    @property
    def control_socket(self) -> Path:
        """``control_socket`` if set, else ``state_dir/control.sock``: never a shared
        directory such as /tmp (see :func:`load_config` for the length check)."""
        if self.control_socket_path is not None:
            return self.control_socket_path
        return self.state_dir / "control.sock"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "sshgate.pid"

    def with_listen(self, listen: str) -> Config:
        host, port = parse_listen(listen)
        return replace(self, listen_host=host, listen_port=port)


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` too) -> (host, port)."""
    host, sep, port = str(text).rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"listen: {text!r} is not HOST:PORT")
    return host.strip("[]") or "127.0.0.1", int(port)


_FIELDS = {
    "listen", "policies", "recordings", "state_dir", "ca_key", "host_key", "control_group",
    "max_connections_per_source", "max_connections", "login_timeout", "drain_timeout", "record",
    "control_socket", "fast_relay", "audit_key", "recording_key", "max_pending_per_session",
    "max_channels_per_session", "audit_sign_every",
}


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--config``, else ``$SSHGATE_CONFIG``, else ``./sshgate.yaml``."""
    return Path(explicit or os.environ.get("SSHGATE_CONFIG") or DEFAULT_CONFIG)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate the gateway settings; raise :class:`ConfigError` naming the field."""
    p = config_path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(
            f"{p}: no such file (run 'sshgate init' or pass --config / SSHGATE_CONFIG)"
        ) from None
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{p}: {e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping of settings")
    unknown = set(data) - _FIELDS
    if unknown:
        raise ConfigError(f"{p}: unknown field(s): {', '.join(sorted(unknown))}")
    base = p.resolve().parent

    def path_of(key: str, default: str) -> Path:
        v = data.get(key, default)
        if not isinstance(v, str):
            raise ConfigError(f"{p}: {key}: expected a path")
        return (base / v).resolve()

    def number(key: str, default: float, conv=int) -> float:
        v = data.get(key, default)
        try:
            return conv(parse_duration(v)) if conv is float else conv(v)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{p}: {key}: {e}") from None

    try:
        host, port = parse_listen(data.get("listen", DEFAULT_LISTEN))
    except ConfigError as e:
        raise ConfigError(f"{p}: {e}") from None
    group = data.get("control_group")
    fast_relay = data.get("fast_relay", False)
    if not isinstance(fast_relay, bool):
        raise ConfigError(f"{p}: fast_relay: expected true or false, not {fast_relay!r}")
    limits = {}
    for key, default in (("max_pending_per_session", 4), ("max_channels_per_session", 10),
                         ("audit_sign_every", 100)):
        limits[key] = int(number(key, default))
        if limits[key] < 1:
            raise ConfigError(f"{p}: {key}: must be at least 1")
    config = Config(
        path=p.resolve(),
        listen_host=host,
        listen_port=port,
        policies=path_of("policies", "policies"),
        recordings=path_of("recordings", "recordings"),
        state_dir=path_of("state_dir", "state"),
        ca_key=path_of("ca_key", "keys/ca"),
        host_key=path_of("host_key", "keys/host"),
        audit_key=path_of("audit_key", "keys/audit"),
        recording_key=path_of("recording_key", "keys/recording"),
        control_group=str(group) if group is not None else None,
        max_connections_per_source=int(number("max_connections_per_source", 50)),
        max_connections=int(number("max_connections", 2000)),
        login_timeout=float(number("login_timeout", 10.0, float)),
        drain_timeout=float(number("drain_timeout", 30.0, float)),
        record=bool(data.get("record", True)),
        control_socket_path=path_of("control_socket", "") if data.get("control_socket") else None,
        fast_relay=fast_relay,
        **limits,
    )
    sock = str(config.control_socket).encode()
    if len(sock) > MAX_SOCKET_PATH:
        field = "control_socket" if data.get("control_socket") else "state_dir"
        raise ConfigError(
            f"{p}: {field}: the control socket path {config.control_socket} is {len(sock)} "
            f"bytes, over the {MAX_SOCKET_PATH}-byte limit of a Unix socket; set "
            "control_socket: to a shorter path in a directory only the gateway's user can "
            "write (e.g. /run/sshgate/control.sock)")
    return config
