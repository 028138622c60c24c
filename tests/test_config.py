"""sshgate.yaml: the control socket's path and the per-session limits."""

from __future__ import annotations

import pytest

from sshgate.config import MAX_SOCKET_PATH, ConfigError, load_config


def write(tmp_path, text: str):
    p = tmp_path / "sshgate.yaml"
    p.write_text(text)
    return p


def test_a_socket_path_too_long_is_an_error_naming_the_fix_not_a_tmp_fallback(tmp_path):
    deep = "d" * (MAX_SOCKET_PATH - len(str(tmp_path)))
    with pytest.raises(ConfigError) as e:
        load_config(write(tmp_path, f"state_dir: {deep}\n"))
    msg = str(e.value)
    assert "state_dir" in msg and "control_socket:" in msg and "/tmp/sshgate-" not in msg
    assert "over the 107-byte limit" in msg
    cfg = load_config(write(tmp_path, f"state_dir: {deep}\ncontrol_socket: s/c.sock\n"))
    assert cfg.control_socket == (tmp_path / "s/c.sock").resolve()


def test_default_socket_is_in_the_state_dir(tmp_path):
    cfg = load_config(write(tmp_path, "state_dir: st\n"))
    assert cfg.control_socket == (tmp_path / "st/control.sock").resolve()


def test_limits_defaults_and_validation(tmp_path):
    cfg = load_config(write(tmp_path, ""))
    assert (cfg.max_pending_per_session, cfg.max_channels_per_session,
            cfg.audit_sign_every) == (4, 10, 100)
    assert cfg.audit_key.name == "audit" and cfg.recording_key.name == "recording"
    cfg = load_config(write(tmp_path, "max_pending_per_session: 2\nmax_channels_per_session: 3"))
    assert (cfg.max_pending_per_session, cfg.max_channels_per_session) == (2, 3)
    assert cfg.max_startups == 100
    assert load_config(write(tmp_path, "max_startups: 8")).max_startups == 8
    for bad in ("max_pending_per_session: 0", "max_channels_per_session: lots",
                "audit_sign_every: -1", "max_startups: 0"):
        with pytest.raises(ConfigError, match=bad.split(":")[0]):
            load_config(write(tmp_path, bad))


def test_fleet_settings(tmp_path):
    cfg = load_config(write(tmp_path, "listen: 127.0.0.1:2222\n"))
    assert cfg.database is None  # the embedded default: no database
    cfg = load_config(write(tmp_path, "database: postgresql://gw@db/sshgate\n"
                                      "heartbeat_interval: 1s\nheartbeat_timeout: 10s\n"))
    assert (cfg.database, cfg.heartbeat_interval, cfg.heartbeat_timeout) == (
        "postgresql://gw@db/sshgate", 1.0, 10.0)
    for bad, why in (("database: mysql://x/y", "postgresql://"),
                     ("database: 5", "postgresql://"),
                     ("heartbeat_interval: 5s\nheartbeat_timeout: 6s", "at least twice"),
                     ("database_pool: 0", "must be positive")):
        with pytest.raises(ConfigError, match=why):
            load_config(write(tmp_path, bad + "\n"))


def test_write_memory_settings(tmp_path):
    cfg = load_config(write(tmp_path, ""))
    assert (cfg.write_memory_ttl, cfg.write_memory_entries, cfg.write_memory_bytes,
            cfg.write_memory_scopes) == (86400.0, 256, 64 * 1024, 4096)
    cfg = load_config(write(tmp_path, "write_memory_ttl: 2h\nwrite_memory_entries: 32\n"
                                      "write_memory_bytes: 8K\nwrite_memory_scopes: 10\n"))
    assert (cfg.write_memory_ttl, cfg.write_memory_entries, cfg.write_memory_bytes,
            cfg.write_memory_scopes) == (7200.0, 32, 8192, 10)
    for bad in ("write_memory_ttl: 0", "write_memory_ttl: soon", "write_memory_entries: 0",
                "write_memory_bytes: lots", "write_memory_scopes: -1"):
        with pytest.raises(ConfigError) as e:
            load_config(write(tmp_path, bad))
        assert bad.split(":")[0] in str(e.value)


def test_admission_limits(tmp_path):
    """Red team s9b G1: login_timeout 0 was asyncssh's "no login timer", so an idle
    connection held its handshake slot for ever."""
    cfg = load_config(write(tmp_path, ""))
    assert (cfg.per_source_max_startups, cfg.max_connections_per_source) == (10, 50)
    cfg = load_config(write(tmp_path, "per_source_max_startups: 3\nlogin_timeout: 20s"))
    assert (cfg.per_source_max_startups, cfg.login_timeout) == (3, 20.0)
    for bad in ("login_timeout: 0", "login_timeout: 0.5", "per_source_max_startups: 0",
                "max_connections_per_source: 0"):
        with pytest.raises(ConfigError, match=bad.split(":")[0]):
            load_config(write(tmp_path, bad))
