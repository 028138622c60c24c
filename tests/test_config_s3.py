"""sshgate.yaml: ``recordings: s3://bucket/prefix`` and its settings."""

from __future__ import annotations

import pytest

from sshgate.config import DEFAULT_SPOOL_MAX, ConfigError, load_config, parse_size


def write(tmp_path, text: str):
    p = tmp_path / "sshgate.yaml"
    p.write_text(text)
    return p


def test_local_recordings_stay_the_default(tmp_path):
    cfg = load_config(write(tmp_path, ""))
    assert cfg.recordings_s3 is None and cfg.recordings == (tmp_path / "recordings").resolve()
    assert cfg.spool_max == DEFAULT_SPOOL_MAX


def test_s3_recordings_spool_in_the_state_dir(tmp_path):
    cfg = load_config(write(tmp_path, "recordings: s3://rec-bucket/gw/eu/\nstate_dir: st\n"
                                      "s3_endpoint: http://127.0.0.1:9000\nspool_max: 500M\n"
                                      "s3_access_key_id: AK\ns3_secret_access_key: SK\n"))
    s3 = cfg.recordings_s3
    assert s3 is not None
    assert (s3.bucket, s3.prefix, s3.endpoint, s3.region) == (
        "rec-bucket", "gw/eu", "http://127.0.0.1:9000", None)
    assert s3.url == "s3://rec-bucket/gw/eu"
    assert cfg.recordings == (tmp_path / "st" / "spool").resolve()
    assert cfg.spool_max == 500 << 20
    assert "SK" not in repr(s3) and "SK" not in repr(cfg)


@pytest.mark.parametrize("text, field", [
    ("recordings: s3://B/x", "recordings"),
    ("recordings: s3://ok-bucket/a//b", "recordings"),
    ("recordings: s3://ok-bucket/../b", "recordings"),
    ("recordings: s3://ok-bucket\ns3_endpoint: ftp://x", "s3_endpoint"),
    ("recordings: s3://ok-bucket\ns3_access_key_id: AK", "s3_access_key_id"),
    ("recordings: s3://ok-bucket\ns3_region: [1]", "s3_region"),
    ("s3_endpoint: http://127.0.0.1:9000", "s3_endpoint"),
    ("spool_max: lots", "spool_max"),
])
def test_bad_s3_settings_name_the_field(tmp_path, text, field):
    with pytest.raises(ConfigError, match=field):
        load_config(write(tmp_path, text))


def test_sizes():
    assert parse_size(1024) == 1024
    assert parse_size("2G") == parse_size("2GiB") == 2 << 30
    assert parse_size("10k") == 10240
    with pytest.raises(ValueError):
        parse_size("-1G")
