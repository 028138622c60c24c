#!/usr/bin/env bash
# Install sshgate (and OpenSSH if missing) and run the demo: gateway, target, agent session,
# an approval, a refusal, a replay.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/sshgate demo "$@"
