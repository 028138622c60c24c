"""A search that prints where credentials are written (rules._secret_hunt) is secret.read,
whatever it reads; a search for code or log events that merely names one is not."""

from __future__ import annotations

from sshgate.guard import classify

from .expect import allowed, each


def _hunt(line: str) -> None:
    assert "secret.read" in [f.rule for f in classify(line).findings], line


def test_credential_hunts_are_secret_reads() -> None:
    each(['git log -p --all | grep -iE "password|secret|api_key" | sort -u',
          'rg -n "password|token" src', "git grep -n -e SECRET_KEY=", 'git grep -i "token:"',
          "git log -p | grep -E 'passwd\\s*='", "grep -rhE 'BEGIN (RSA|EC) PRIVATE' src",
          'git show HEAD~3 | egrep -i "secret|credential"', "ag 'api_key|apikey' lib",
          "git diff v1 v2 | grep -i 'access_key.*='"], _hunt)


def test_searches_that_name_one_are_ordinary() -> None:
    each(["grep -rn password src/", 'grep -i "failed password" /var/log/auth.log',
          'grep -c "password|secret" x', 'grep -rl "BEGIN RSA PRIVATE KEY" src',
          'grep -n "def reset_password" app/auth.py', 'grep -E "error|warn" app.log',
          'grep -E "token.*expired|auth.*fail" app.log'], allowed)
