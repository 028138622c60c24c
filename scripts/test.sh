#!/usr/bin/env bash
# The whole test suite: unit, guard tables, hypothesis, and integration tests against a real
# OpenSSH sshd and ssh client. Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Every process of the suite (2 workers, fork servers, each `python -m sshgate`) would compile
# sshgate and the tests again when PYTHONDONTWRITEBYTECODE is set (some sandboxes set it):
# ~7 s of CPU per worker's collection, ~0.6 s per process. The bytecode goes to .venv, never
# next to the sources (docs/test-suite-time.md).
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$PWD/.venv/pycache}"
.venv/bin/ruff check sshgate tests benchmarks
# 3 workers on 2 cores: the integration tests spend much of their time waiting (ssh round
# trips, processes starting, polling); a third worker uses those gaps. worksteal: a worker left
# without work takes some of another's queue instead of idling at the end.
exec .venv/bin/python -m pytest -n "${SSHGATE_TEST_WORKERS:-3}" --dist worksteal -q "$@"
