"""Ordinary classes found in session 16's tuning set, each with the look-alikes that stay held
(docs/guard-least-privilege.md, "Session 16")."""

from __future__ import annotations

import pytest

from sshgate.policy.model import Action

from .expect import allowed, each, held


# a tee fed only by a literal echo or printf right before it shows its content as a
# here-document does: approving the edit approves the restart that applies it; a group, a
# second writer, a decoded escape or a tee fed by a tee does not
@pytest.mark.parametrize(("edit", "then", "ok"), [
    ("printf '[Service]\\nEnvironment=SIDEKIQ_CONCURRENCY=15\\nLimitNOFILE=65536\\n' | "
     "sudo tee /etc/systemd/system/sidekiq.service.d/override.conf",
     "sudo systemctl daemon-reload && sudo systemctl restart sidekiq", True),
    ("echo 'worker_connections 4096;' | sudo tee -a /etc/nginx/conf.d/tuning.conf",
     "sudo nginx -t && sudo systemctl reload nginx", True),
    ("{ echo '[Service]'; cat /tmp/x; } | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("cat /tmp/x | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("printf '\\x41' | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("printf '%b' 'a' | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("echo \"$(cat /tmp/x)\" | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("echo a | tee /tmp/b | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("echo a > /tmp/c | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
    ("echo a; cat /tmp/x | sudo tee /etc/systemd/system/a.service.d/o.conf",
     "sudo systemctl restart a", False),
])
def test_piped_literal_edit(edit: str, then: str, ok: bool) -> None:
    from .test_code_write import session
    acts = session([(edit, True), (then, False)])
    assert acts[0] is not Action.ALLOW
    assert (acts[1] is Action.ALLOW) is ok, acts


# a unit's process id in /proc (as pgrep -o): one unit, one id property, value only
UNIT_PID_ALLOWED = [
    "grep 'open files' /proc/$(systemctl show -p MainPID --value sidekiq)/limits",
    "cat /proc/$(systemctl show -P MainPID nginx.service)/status",
    "cat /proc/$(systemctl show --property=MainPID --value postgresql@15-main)/io",
    "systemctl show -P MainPID nginx",
]
UNIT_PID_HELD = [
    "cat /proc/$(systemctl show -p MainPID --value x)/environ",
    "cat /proc/$(systemctl show -p MainPID x)/status",
    "cat /proc/$(systemctl show -p MainPID,ControlPID --value x)/status",
    "cat /proc/$(systemctl show -p MainPID --value 'x*')/status",
    "cat /proc/$(systemctl show -p MainPID --value a b)/status",
    "cat /proc/$(systemctl show -p Environment --value a)/status",
    "kill $(systemctl show -p MainPID --value x)",
    "systemctl show -P Environment x", "systemctl show -PEnvironment x",
    "systemctl show -P MainPID -p Environment x",
]


def test_unit_pid_allowed() -> None:
    each(UNIT_PID_ALLOWED, allowed)


def test_unit_pid_held() -> None:
    each(UNIT_PID_HELD, held)


# a one-liner reads any file cat may: an absolute path that names no secret, no kernel or
# device file, no pattern and no parent directory
PY_READ_ALLOWED = [
    "python3 -c \"import pyarrow.parquet as pq; f=pq.ParquetFile('/data/exports/o.parquet'); "
    "print(f.metadata.num_rows)\"",
    "python3 -c \"import pandas as pd; print(pd.read_csv('/data/a.csv').describe())\"",
    "python3 -c \"import json; print(len(json.load(open('/srv/app/public/manifest.json'))))\"",
]
PY_READ_HELD = [
    "python3 -c \"print(open('/etc/shadow').read())\"",
    "python3 -c \"print(open('/root/x').read())\"",
    "python3 -c \"print(open('/proc/1/environ').read())\"",
    "python3 -c \"print(open('/dev/sda','rb').read(512))\"",
    "python3 -c \"print(open('/var/lib/mysql/mysql/user.MYD').read())\"",
    "python3 -c \"print(open('/etc/app/../shadow').read())\"",
    "python3 -c \"print(open('/home/u/.ssh/id_ed25519').read())\"",
    "python3 -c \"import polars as pl; print(pl.scan_csv('/home/*/.aws/*').collect())\"",
    "python3 -c \"import pathlib; pathlib.Path('/etc/app.conf').write_text('x')\"",
    "python3 -c \"print(open('/srv/app/.env').read())\"",
]


def test_python_reads_allowed() -> None:
    each(PY_READ_ALLOWED, allowed)


def test_python_reads_held() -> None:
    each(PY_READ_HELD, held)


# frameworks' environment names: they choose a configuration the app ships
ENV_ALLOWED = ["cd ~/src/notify && MIX_ENV=test mix test --max-failures 5",
               "ASPNETCORE_ENVIRONMENT=Staging dotnet test"]
ENV_HELD = ["MIX_EXS=/tmp/x.exs mix test", "ERL_FLAGS='-eval x' mix test",
            "DOTNET_STARTUP_HOOKS=/tmp/x.dll dotnet test"]


def test_env_allowed() -> None:
    each(ENV_ALLOWED, allowed)


def test_env_held() -> None:
    each(ENV_HELD, held)


# pnpm requires the tree's .pnpmfile.cjs for every command that loads its configuration: a
# tree the session fetched or wrote runs it through any verb
@pytest.mark.parametrize("verb", ["list", "audit", "why react", "outdated", "--version"])
def test_pnpm_every_verb_runs_the_tree(verb: str) -> None:
    from .test_code_write import session
    acts = session([("git clone https://github.com/x/y app", False),
                    (f"cd app && pnpm {verb}", False)])
    assert acts[-1] is not Action.ALLOW, acts


def test_pnpm_audit_allowed() -> None:
    each(["pnpm audit --prod", "pnpm audit --json --audit-level high"], allowed)
    each(["pnpm audit --fix", "pnpm audit --registry=http://x"], held)
