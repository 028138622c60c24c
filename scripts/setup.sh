#!/usr/bin/env bash
# Install everything sshgate and its tests need on a fresh Debian/Ubuntu machine, then the
# package itself (with test extras) into ./.venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need_apt+=(openssh-client)
command -v ssh-keygen >/dev/null 2>&1 || need_apt+=(openssh-client)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v asciinema >/dev/null 2>&1 || need_apt+=(asciinema)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
# the fleet tests start a throw-away PostgreSQL from initdb/pg_ctl (sshgate/lab_postgres.py)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null 2>&1 \
  || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${need_apt[@]}" >/dev/null
  # The packages' own sshd and postgresql services are not needed (the tests start theirs).
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# pip takes ~10 s even when everything is installed: skip it while pyproject.toml is the one
# this .venv was installed from (scripts/test.sh runs this before every suite)
stamp=.venv/.installed-from
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x .venv/bin/sshgate ]
then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev,fleet]'
  echo "$want" > "$stamp"
fi
echo "setup: ready (.venv/bin/sshgate)"
