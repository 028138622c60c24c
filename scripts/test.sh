#!/usr/bin/env bash
# The whole test suite: unit, guard tables, hypothesis, and integration tests against a real
# OpenSSH sshd and ssh client. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check sshgate tests benchmarks
exec .venv/bin/python -m pytest -n 2 -q "$@"
