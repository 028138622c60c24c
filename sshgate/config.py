"""Gateway settings loaded from ``sshgate.yaml`` (paths are relative to that file)."""

from __future__ import annotations

import os
import re
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


#: the spool of live and not yet uploaded recordings, when they go to S3
DEFAULT_SPOOL_MAX = 2 << 30
#: connections in key exchange or authentication at once (see docs/deployment.md, measured)
DEFAULT_MAX_STARTUPS = 100


@dataclass(frozen=True, slots=True)
class S3Location:
    """``recordings: s3://bucket/prefix`` with ``s3_endpoint`` and friends. Region and keys
    left out come from the usual AWS sources (AWS_REGION, AWS_ACCESS_KEY_ID, profiles...)."""

    bucket: str
    prefix: str = ""
    endpoint: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def __repr__(self) -> str:  # never the secret key in a log or traceback
        return f"S3Location({self.url!r}, endpoint={self.endpoint!r})"


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
    #: open the target's channel while a command waits for approval (asyncssh internals)
    early_channel: bool = False
    #: commands of one session that may wait for a reviewer at once
    max_pending_per_session: int = 4
    #: channels (exec commands, shells) one connection may have open at once
    max_channels_per_session: int = 10
    #: connections between accept and authentication at once; later ones wait their turn
    #: (gateway/admission.py, OpenSSH's MaxStartups)
    max_startups: int = DEFAULT_MAX_STARTUPS
    #: of those, what one source (IPv4 address, IPv6 /64) may hold while another waits
    #: (OpenSSH's PerSourceMaxStartups)
    per_source_max_startups: int = 10
    #: the audit log's chain head is signed at least every this many events
    audit_sign_every: int = 100
    #: what allowed lines wrote is remembered this long after the last write, per identity
    #: and target (guard/memory.py; docs/guard-least-privilege.md says why 24 h)
    write_memory_ttl: float = 86400.0
    #: the bounds of one scope's memory; over them it grows coarser, never forgets
    write_memory_entries: int = 256
    write_memory_bytes: int = 64 * 1024
    #: scopes remembered at once; over it every scope is held as if it had written anywhere
    write_memory_scopes: int = 4096
    #: ``recordings: s3://…``: sealed recordings go there; ``recordings`` is then the spool
    #: (``state_dir/spool``) where they are written while live and wait for their upload
    recordings_s3: S3Location | None = None
    #: bytes the spool may hold before new sessions are refused (see docs/deployment.md)
    spool_max: int = DEFAULT_SPOOL_MAX
    #: PostgreSQL URL shared by several gateways (None: the embedded default, no database)
    database: str | None = None
    #: fleet: how often a replica says it is alive, and after how long without that the
    #: others call it lost (its sessions lost, its pending requests withdrawn)
    heartbeat_interval: float = 2.0
    heartbeat_timeout: float = 15.0
    #: fleet: most database connections one replica opens (plus one for LISTEN)
    database_pool: int = 5

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
    "control_socket", "fast_relay", "early_channel", "audit_key", "recording_key",
    "max_pending_per_session",
    "max_channels_per_session", "audit_sign_every", "max_startups", "per_source_max_startups",
    "s3_endpoint", "s3_region", "s3_access_key_id", "s3_secret_access_key", "spool_max",
    "database", "heartbeat_interval", "heartbeat_timeout", "database_pool",
    "write_memory_ttl", "write_memory_entries", "write_memory_bytes", "write_memory_scopes",
}
_S3_KEYS = ("s3_endpoint", "s3_region", "s3_access_key_id", "s3_secret_access_key")
# bucket names as S3 allows them (3-63 of a-z 0-9 . -, starting and ending alphanumeric)
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_SIZE = re.compile(r"(\d+)\s*([kmgt]?)i?b?", re.IGNORECASE)


def parse_size(value: object) -> int:
    """Bytes from ``1073741824``, ``500M``, ``2G`` or ``2GiB`` (powers of 1024)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _SIZE.fullmatch(str(value).strip())
    if m is None:
        raise ValueError(f"{value!r} is not a size (bytes, or 500M, 2G)")
    return int(m[1]) << (10 * " kmgt".index(m[2].lower() or " "))


def parse_s3(p: Path, data: dict) -> S3Location | None:
    """The S3 location when ``recordings`` is an ``s3://`` URL (ConfigError naming the field
    otherwise, or for s3_* settings without one)."""
    url = data.get("recordings")
    if not (isinstance(url, str) and url.startswith("s3://")):
        stray = [k for k in _S3_KEYS if k in data]
        if stray:
            raise ConfigError(f"{p}: {stray[0]}: only used with recordings: s3://bucket/prefix")
        return None
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not _BUCKET.fullmatch(bucket):
        raise ConfigError(f"{p}: recordings: {bucket!r} is not an S3 bucket name "
                          "(3-63 characters: a-z 0-9 . -)")
    prefix = prefix.strip("/")
    if prefix and any(part in ("", ".", "..") for part in prefix.split("/")):
        raise ConfigError(f"{p}: recordings: the prefix {prefix!r} has an empty, . or .. part")
    values = {}
    for key in _S3_KEYS:
        v = data.get(key)
        if v is not None and not isinstance(v, str):
            raise ConfigError(f"{p}: {key}: expected a string")
        values[key] = v or None
    endpoint = values["s3_endpoint"]
    if endpoint is not None and not re.fullmatch(r"https?://[^\s/]+/?", endpoint):
        raise ConfigError(f"{p}: s3_endpoint: {endpoint!r} is not http(s)://HOST[:PORT]")
    if (values["s3_access_key_id"] is None) != (values["s3_secret_access_key"] is None):
        raise ConfigError(f"{p}: s3_access_key_id and s3_secret_access_key go together "
                          "(or leave both out: the AWS environment variables or profile)")
    return S3Location(bucket, prefix, endpoint, values["s3_region"],
                      values["s3_access_key_id"], values["s3_secret_access_key"])



def _fleet_settings(p: Path, data: dict, number) -> dict:
    """``database:`` and its heartbeat settings (checked here, used by sshgate/state/)."""
    out: dict = {}
    url = data.get("database")
    if url is not None:
        if not isinstance(url, str) or not url.startswith(("postgresql://", "postgres://")):
            raise ConfigError(f"{p}: database: expected a postgresql://... URL")
        out["database"] = url
    out["heartbeat_interval"] = float(number("heartbeat_interval", 2.0, float))
    out["heartbeat_timeout"] = float(number("heartbeat_timeout", 15.0, float))
    out["database_pool"] = int(number("database_pool", 5))
    if out["heartbeat_interval"] <= 0 or out["database_pool"] < 1:
        raise ConfigError(f"{p}: heartbeat_interval and database_pool must be positive")
    if out["heartbeat_timeout"] < 2 * out["heartbeat_interval"]:
        raise ConfigError(f"{p}: heartbeat_timeout must be at least twice heartbeat_interval "
                          "(one late heartbeat must not make a replica lost)")
    return out


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
    early_channel = data.get("early_channel", False)
    if not isinstance(early_channel, bool):
        raise ConfigError(f"{p}: early_channel: expected true or false, not {early_channel!r}")
    s3 = parse_s3(p, data)
    try:
        spool_max = parse_size(data.get("spool_max", DEFAULT_SPOOL_MAX))
    except ValueError as e:
        raise ConfigError(f"{p}: spool_max: {e}") from None
    limits = {}
    for key, default in (("max_pending_per_session", 4), ("max_channels_per_session", 10),
                         ("audit_sign_every", 100), ("max_startups", DEFAULT_MAX_STARTUPS),
                         ("per_source_max_startups", 10), ("max_connections_per_source", 50)):
        limits[key] = int(number(key, default))
        if limits[key] < 1:
            raise ConfigError(f"{p}: {key}: must be at least 1")
    for key, default in (("write_memory_entries", 256), ("write_memory_scopes", 4096)):
        limits[key] = int(number(key, default))
        if limits[key] < 1:
            raise ConfigError(f"{p}: {key}: must be at least 1")
    try:
        limits["write_memory_bytes"] = parse_size(data.get("write_memory_bytes", 64 * 1024))
    except ValueError as e:
        raise ConfigError(f"{p}: write_memory_bytes: {e}") from None
    # 0 would be asyncssh's "no login timer": an idle connection would hold its handshake
    # slot (max_startups) for ever
    login_timeout = float(number("login_timeout", 10.0, float))
    if not login_timeout >= 1:
        raise ConfigError(f"{p}: login_timeout: must be at least 1s")
    limits["write_memory_ttl"] = float(number("write_memory_ttl", 86400.0, float))
    if limits["write_memory_ttl"] <= 0:
        raise ConfigError(f"{p}: write_memory_ttl: must be more than 0")
    state_dir = path_of("state_dir", "state")
    fleet = _fleet_settings(p, data, number)
    config = Config(
        path=p.resolve(),
        listen_host=host,
        listen_port=port,
        policies=path_of("policies", "policies"),
        recordings=state_dir / "spool" if s3 else path_of("recordings", "recordings"),
        state_dir=state_dir,
        ca_key=path_of("ca_key", "keys/ca"),
        host_key=path_of("host_key", "keys/host"),
        audit_key=path_of("audit_key", "keys/audit"),
        recording_key=path_of("recording_key", "keys/recording"),
        control_group=str(group) if group is not None else None,
        max_connections=int(number("max_connections", 2000)),
        login_timeout=login_timeout,
        drain_timeout=float(number("drain_timeout", 30.0, float)),
        record=bool(data.get("record", True)),
        control_socket_path=path_of("control_socket", "") if data.get("control_socket") else None,
        fast_relay=fast_relay,
        early_channel=early_channel,
        recordings_s3=s3,
        spool_max=spool_max,
        **limits,
        **fleet,
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
