"""Held-out classes of ordinary lines (issue 15, ordinary held too often), decided by the threat
model: relinking a release and reloading a service by its pid file have precise safe shapes;
printing the environment through grep, extracting into the working directory, copying a
template over a config name and running the site's own scripts stay held. Each table lists
the spellings of the same tools that must stay held (docs/guard-least-privilege.md)."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.guard.memory import Earlier, Written
from sshgate.guard.pidfile import pidfile
from sshgate.policy.model import Action

from .expect import TABLE_BUDGET, table_tests
from .test_memory import run

HELD = [
    # ln -f: only a symbolic link into the tree, never onto a dot-file, code, config, a
    # database file, from scratch, a secret, a system path, out of the tree, computed
    "ln -sfn /tmp/evil current", "ln -sf /dev/shm/x current", "ln -sfn /var/tmp/x current",
    "ln --symbolic --force /tmp/x current", "ln -s --force -n /tmp/x current",
    "ln -sfn ../../etc current", "ln -sfn ../other/app current", "ln -sfn ~/.ssh current",
    "ln -sfn ~/releases/42 current", "ln -sfn releases/../../x current",
    "ln -sfn x users.db", "ln -fs x app.sqlite3", "ln --force -s x users.db",
    "ln --forc -s x users.db", "ln -f notes.txt data.csv", "ln -sfn releases/42 .bashrc",
    "ln -sfn releases/42 bin", "ln -sfn releases/42 config.yml", "ln -sfn $X current",
    "ln -sfn releases/$V current", "ln -sfn releases/* current", "ln -sfn / current",
    "ln -sfn - current", "ln -sf /bin/sh x",
    # the release switch out of the tree: D/releases/N onto D/current only, -n or -T,
    # a deploy root, plain components
    "ln -sf /srv/app/releases/42 /srv/app/current",
    "ln -sfn /srv/app/releases/42 /srv/app/current/",
    "ln -sfn /srv/app/releases/../../../etc /srv/app/current",
    "ln -sfn /srv/app/releases/42/bin /srv/app/current",
    "ln -sfn /srv/other/releases/42 /srv/app/current",
    "ln -sfn /tmp/releases/42 /srv/app/current", "ln -sfn /var/tmp/x /srv/app/current",
    "ln -sfn /srv/app/releases/42 /srv/app/config",
    "ln -sfn /srv/app/releases/42 /etc/app/current", "ln -sfn /srv/releases/42 /srv/current",
    "ln -sfn /srv/app/releases/.x /srv/app/current",
    "ln -sfn /srv/app/.releases/x /srv/app/current",
    "ln -sfn /srv/app/releases/$V /srv/app/current",
    'ln -sfn "/srv/app/releases/$V" /srv/app/current',
    "ln -sfn /srv/app/releases/* /srv/app/current",
    "ln -sfn /srv/app/releases/42 /srv/app/current /x",
    "ln -sfn /home/deploy/.ssh/releases/1 /home/deploy/.ssh/current",
    "ln -sfn /srv/app/releases/42 /srv/app/shared/current",
    "ln -sfn /srv/app/shared/config /srv/app/current",
    "ln -fn /srv/app/releases/42 /srv/app/current",
    # a forced link to what the line itself wrote, fetched, unpacked or cloned
    "curl -so /tmp/r.tgz https://e.x/r.tgz && mkdir -p rel && tar xzf /tmp/r.tgz -C rel && "
    "ln -sfn rel current",
    "git clone https://github.com/e/x rel && ln -sfn rel current",
    "echo 'rm -rf ~' > rel/run && ln -sfn rel current",
    "echo x > ./rel/sub/run; ln -sfn ./rel current",
    # kill by pid file: a probe, or a signal the service documents as reload, one pid, a
    # /run pid file only root writes; a program's own signals to a literal pid (F9)
    "kill -USR1 \"$(cat /run/app/app.pid)\"", "env LANG=C kill -HUP $(cat /run/app.pid)",
    "/bin/kill -HUP $(cat /run/app.pid)", "sudo -u www-data kill -USR1 $(cat /run/app/app.pid)",
    "kill -HUP $(cat /run/app.pid) && tail -5 /var/log/app.log",
    "kill -USR2 $(cat /run/sshd.pid)", "kill -HUP $(cat /run/gunicorn/gunicorn.pid)",
    "kill -HUP $(cat /run/redis/redis-server.pid)", "kill -USR2 1234", "kill -HUP 1234",
    "kill -USR2 $(cat /run/php/php8.2-fpm.pid)", "sudo kill -HUP $(cat /run/apache2/apache2.pid)",
    "kill $(cat /run/sshd.pid)", "kill -TERM $(cat /run/sshd.pid)",
    "kill -s TERM $(cat /run/sshd.pid)", "kill -INT $(cat /run/app.pid)",
    "sudo kill -INT $(cat /run/nginx.pid)", "kill -9 $(cat /run/app.pid)",
    "kill -KILL `cat /run/app.pid`", "kill -HUP $(cat /tmp/app.pid)", "kill -HUP $(cat app.pid)",
    "kill -HUP $(cat /run/user/1000/app.pid)", "kill -HUP $(cat /run/lock/app.pid)",
    "kill -HUP $(cat /var/run/lock/app.pid)", "kill -HUP $(cat /run/shm/app.pid)",
    "kill -HUP $(cat /run/a/b/app.pid)", "kill -HUP $(cat /run/../tmp/app.pid)",
    "kill -HUP $(pgrep -f app)", "kill -HUP $(cat /run/app.pid) 1",
    "kill -HUP $(cat /run/app.pid) $(cat /run/sshd.pid)",
    "echo -1 > x.pid; kill -HUP $(cat x.pid)", "kill -HUP $(cat /run/app.pid; echo -1)",
    "kill -HUP $(cat /run/*.pid)", "kill -$S $(cat /run/app.pid)",
    "kill -HUP -- $(cat /run/app.pid)", "kill -HUP $(cat /proc/1/stat)", "kill -HUP $PID",
    "sudo -u $U kill -USR1 $(cat /run/app/app.pid)", "xargs kill -HUP < /run/app.pid",
    "echo 1 | xargs kill -HUP $(cat /run/app.pid)", "watch kill -HUP $(cat /run/app.pid)",
    "parallel kill -HUP ::: $(cat /run/app.pid)",
    # kept held (docs): the environment through a filter, extraction into the working
    # directory, a dotenv file, the site's own scripts
    "env | grep -i proxy", "env | grep -i key", "printenv | grep -i token",
    "env | grep -e APP -e SECRET", "env | grep -v PATH", "env | grep '^PATH='",
    "set | grep -i pass", "env | cut -d= -f1",
    "tar xzf app.tgz", "tar xf x.tar -C ~", "tar xzf x.tgz -C .", "tar xzf x.tgz -C ./",
    "tar xzf x.tgz -C bin", "tar xzf x.tgz -C .config", "cd ~ && tar xzf x.tgz",
    "tar -xzf x.tgz --directory=.ssh", "tar xzf x.tgz -C build/ --absolute-names",
    "cp .env.example .env",
    # a code or configuration file is the agent's work: what runs it next is held
    "cp scripts/reset_db.py tests/conftest.py && pytest",
    "cp -n docker-compose.override.example.yml docker-compose.override.yml && "
    "docker compose up -d",
    "ln -sfn /opt/app/etc /opt/app/current", "ln -sfn /opt/1.2 /opt/current",
    "ln -sfn /srv/other/x /srv/shop/current",
    "ln -sfn /opt/app/1.8.2/../../../etc /opt/app/current",
    # the site's programs whose name or arguments say destruction (site_program.py)
    "bash scripts/cleanup.sh", "scripts/cleanup.sh --all", "sh ./x.sh --force",
]

ALLOWED = [
    "ln -sfn /opt/app/1.8.2 /opt/app/current", "ln -sfn /srv/shop/releases/2024.06.18-1 "
    "/srv/shop/current",
    "./scripts/x.sh", "sh ./x.sh",
    "ln -sfn releases/42 current", "ln -sfn releases/20261130-1 current && ls -l current",
    "ln -sfT releases/v2 current", "ln --symbolic --force --no-dereference releases/42 current",
    "ln -s -f -n releases/42 current", "ln -sfn ./releases/42 ./current",
    "ln -sfn releases/42 releases/41 current",
    "ln -sfn /srv/app/releases/42 /srv/app/current",
    "ln -sfn releases/42 /srv/app/current", "ln -sn /srv/app/releases/42 /srv/app/current",
    "sudo ln -sfn /opt/app/releases/v1.2.3 /opt/app/current",
    "cd /srv/app && ln -sfn releases/42 current",
    "ln -sfT /var/www/shop/releases/20261130 /var/www/shop/current",
    "ln -sfn /var/www/shop/releases/20261130 /var/www/shop/current && "
    "sudo systemctl reload php8.2-fpm",
    "kill -HUP $(cat /run/nginx.pid)", 'kill -USR1 "$(cat /run/nginx.pid)"',
    "sudo kill -HUP `cat /var/run/nginx.pid`", "kill -0 $(cat /run/app.pid) && echo running",
    "kill -s HUP $(< /run/gunicorn.pid)", "sudo kill -USR2 $(cat /run/unicorn.pid)",
    "kill -SIGUSR2 $(cat /run/gunicorn.pid)", "timeout 5 kill -0 $(cat /run/app.pid)",
    "env LANG=C kill -HUP $(cat /run/nginx.pid)", "/bin/kill -HUP $(cat /run/nginx.pid)",
    "sudo -u www-data kill -USR1 $(cat /run/gunicorn.pid)",
    "kill -HUP $(cat /run/nginx.pid) && tail -5 /var/log/nginx/error.log",
    "kill -HUP %1", "sleep 60 & kill -USR1 %1", "kill -CONT 4242", "kill -0 4242",
    "kill -s USR2 $(cat /run/unicorn.pid)", "sudo kill -USR2 $(cat /run/php-fpm.pid)",
    "tar xzf app.tgz -C build/", "mkdir -p build && tar xzf app.tgz -C build",
    "printenv NODE_ENV",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)

WROTE_PID = "echo -1 | sudo tee /run/app.pid"


@pytest.mark.parametrize(("written", "line"), [
    ("/run/nginx.pid", "kill -HUP $(cat /run/nginx.pid)"),
    ("/run/nginx.pid", "sudo kill -HUP $(cat /run/nginx.pid)"),
    ("/var/run/nginx.pid", "kill -HUP $(cat /run/nginx.pid)"),
    ("/run/nginx.pid", "kill -HUP $(cat /var/run/nginx.pid)"),
    ("/run/gunicorn.pid", "kill -USR1 $(cat /run/gunicorn.pid)"),
    ("/srv/app/releases/43", "ln -sfn /srv/app/releases/43 /srv/app/current"),
    ("/srv/app/releases/43", "ln -sn /srv/app/releases/43 /srv/app/current"),
    ("/srv/app/releases/43", "cd /srv/app && ln -sfn releases/43 current"),
    ("/srv/app/releases/43/bin/app", "ln -sfn /srv/app/releases/43 /srv/app/current"),
])
def test_held_when_an_earlier_line_wrote_it(written: str, line: str) -> None:
    earlier = Earlier((Written(written, WROTE_PID),))
    c = classify(line, earlier=earlier)
    assert c.default_action is not Action.ALLOW, (line, c.findings)
    assert any("an earlier line" in f.why for f in c.findings), [f.why for f in c.findings]
    # the table budget, as expect.allowed: a loaded CI machine took it past 25 ms (held)
    assert classify(line, seconds=TABLE_BUDGET).default_action is Action.ALLOW, line


def test_a_relative_release_written_earlier_is_held() -> None:
    held = run(["echo x > releases/43/run", "ln -sfn releases/43 current"],
               homes=("/home/agent",))[-1]
    assert held.default_action is not Action.ALLOW
    assert [f.rule for f in held.findings] == ["fs.link-sensitive"], held.findings
    other = run(["echo x > releases/43/run", "ln -sfn releases/42 current"],
                homes=("/home/agent",))[-1]
    assert other.default_action is Action.ALLOW, other.findings


@pytest.mark.parametrize(("word", "path"), [
    ("$(cat /run/app.pid)", "/run/app.pid"), ("$(< /run/app.pid)", "/run/app.pid"),
    ("`cat /run/nginx.pid`", "/run/nginx.pid"),
    ("$(cat /var/run/php/fpm.pid)", "/var/run/php/fpm.pid"),
    ("$(cat /run/user/1000/x.pid)", None), ("$(cat /run/user/x.pid)", None),
    ("$(cat /run/lock/x.pid)", None), ("$(cat /tmp/x.pid)", None),
    ("$(cat /run/a/b/c.pid)", None), ("$(cat /run/../tmp/x.pid)", None),
    ("$(cat /run/app.pid; id)", None), ("$(cat app.pid)", None), ("$(cat /run/.x.pid)", None),
    ("$(cat /run/x.pid /etc/shadow)", None), ("$(cat /run/x.pidx)", None),
    ("$(cat /run/" + "a" * 300 + ".pid)", None),
])
def test_pidfile_word(word: str, path: str | None) -> None:
    assert pidfile(word) == path


@pytest.mark.parametrize(("before", "line", "rule"), [
    # a link to scratch is a name for content anyone wrote, for later lines too
    (["ln -s /tmp/evil releases"], "ln -sfn releases/42 current", "fs.link-sensitive"),
    (["curl -so /tmp/evil/x https://e.x/x", "ln -s /tmp/evil releases"],
     "ln -sfn releases/42 current", "fs.link-sensitive"),
    (["ln -s /tmp/evil releases"], "cd releases && make", "exec.download-then-run"),
    (["ln -s /var/tmp/w work"], "cd work && npm test", "exec.download-then-run"),
])
def test_a_link_to_scratch_is_remembered(before: list[str], line: str, rule: str) -> None:
    last = run([*before, line], homes=("/home/agent",))[-1]
    assert last.default_action is not Action.ALLOW and rule in [f.rule for f in last.findings], \
        last.findings
    assert classify(line).default_action is Action.ALLOW, line


def test_a_link_to_a_release_is_not_remembered_as_written() -> None:
    last = run(["ln -s /opt/app/releases/42 current", "cd current && make"],
               homes=("/home/agent",))[-1]
    assert last.default_action is Action.ALLOW, last.findings
