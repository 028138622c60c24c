"""The recordings commands against a bucket: read from S3 (real SeaweedFS), clear errors."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from sshgate.cli.main import cli
from sshgate.lab import free_port
from sshgate.recording.store import S3Store

from ..recording.test_store import record


def config(tmp_path, url: str, endpoint: str, key: str = "k", secret: str = "s"):
    path = tmp_path / "sshgate.yaml"
    path.write_text(yaml.safe_dump({"recordings": url, "s3_endpoint": endpoint,
                                    "s3_region": "us-east-1", "s3_access_key_id": key,
                                    "s3_secret_access_key": secret}))
    return str(path)


@pytest.mark.parametrize("args", [["recordings", "list"], ["recordings", "show", "ab12"],
                                  ["recordings", "verify", "--all"], ["replay", "ab12"],
                                  ["recordings", "export", "ab12"]])
def test_unreachable_storage_is_a_clear_error(tmp_path, args):
    cfg = config(tmp_path, "s3://nowhere/x", f"http://127.0.0.1:{free_port()}")
    r = CliRunner().invoke(cli, [*args, "--config", cfg])
    assert r.exit_code == 2, r.output
    assert "error: cannot read s3://nowhere" in r.output and "Traceback" not in r.output


def test_list_show_export_read_the_bucket(tmp_path, s3_server, s3_prefix):
    cfg = config(tmp_path, s3_prefix, s3_server.endpoint, s3_server.access_key,
                 s3_server.secret_key)
    from sshgate.config import load_config

    S3Store(load_config(cfg).recordings_s3).put(record(tmp_path, "abcd1234"))
    rows = json.loads(CliRunner().invoke(cli, ["recordings", "list", "--json", "--config",
                                               cfg]).output)
    assert [(r["id"], r["identity"], r["path"]) for r in rows] == [
        ("abcd1234", "bot", f"{s3_prefix}/abcd1234.cast")]
    show = CliRunner().invoke(cli, ["recordings", "show", "abcd", "--json", "--config", cfg])
    assert json.loads(show.output)["timeline"][0]["label"] == "echo hello"
    text = CliRunner().invoke(cli, ["recordings", "export", "abcd", "--format", "text",
                                    "--config", cfg])
    assert text.exit_code == 0 and "hello" in text.output
    missing = CliRunner().invoke(cli, ["recordings", "show", "ffff", "--config", cfg])
    assert missing.exit_code == 1 and "no recording 'ffff' in" in missing.output
    assert s3_prefix in missing.output.replace("\n", "")


def test_verify_reads_the_bucket_and_says_what_the_audit_log_did_not_check(
        tmp_path, s3_server, s3_prefix):
    from sshgate.config import load_config

    from ..recording.test_store import KEY

    cfg = config(tmp_path, s3_prefix, s3_server.endpoint, s3_server.access_key,
                 s3_server.secret_key)
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "recording.pub").write_bytes(KEY.export_public_key())
    store = S3Store(load_config(cfg).recordings_s3)
    store.put(record(tmp_path, "aa11"))
    r = CliRunner().invoke(cli, ["recordings", "verify", "--all", "--json", "--config", cfg])
    assert r.exit_code == 0, r.output
    [checked] = json.loads(r.output)["recordings"]
    assert checked["status"] == "ok" and "seal and signature" in checked["notes"][0]
    # a recording edited in the bucket fails, from any machine
    bucket, _, prefix = s3_prefix.removeprefix("s3://").partition("/")
    client = s3_server.client()
    body = client.get_object(Bucket=bucket, Key=f"{prefix}/aa11.cast")["Body"].read()
    client.put_object(Bucket=bucket, Key=f"{prefix}/aa11.cast", Body=body + b"[9, \"o\", \"x\"]\n")
    r = CliRunner().invoke(cli, ["recordings", "verify", "aa11", "--config", cfg])
    assert r.exit_code == 1 and "tampered" in r.output and "appended to" in r.output
