"""Paths and variables bash settles at run time, which the text alone does not show:
``${NAME:=v}`` assigns NAME, ``~-``/``~+``/``~N`` are directories the line chose, ``..``
climbs from where a symlink points, and a tree the line unpacked may hold links."""

from __future__ import annotations

from .expect import table_tests

HELD = [
    # ${NAME:=v} / ${NAME=v} assign NAME like NAME=v (CDPATH re-roots cd, GLOBIGNORE dotglob)
    "echo ${CDPATH:=/}; cd proc/1 && cat environ",
    "echo ${CDPATH=/}; cd proc/1 && cat environ",
    'echo "${CDPATH:=/}"; cd etc/mysql && cat debian.cnf',
    "a=${CDPATH:=/}; cd etc/cron.d && echo job > x",
    "echo ${X:-${GLOBIGNORE:=x}}; cat ~/*bash_history",
    "echo ${GLOBIGNORE:=x} >/dev/null; cat ~/*git-credentials",
    "cat <<< ${CDPATH:=/}",
    "echo ${PATH[0]:=/tmp/evil}",
    # ~- ~+ ~N: the previous, current and stacked directories
    "cd /proc/1; cd /tmp; cat ~-/environ",
    "cd /proc/1 && cat ~+/environ",
    "pushd /proc/1 >/dev/null; pushd /tmp >/dev/null; cat ~1/environ",
    "cd /etc/mysql; cd /tmp; cat ~-/debian.cnf",
    "cd /proc/1; cd /tmp; cd ~- && cat environ",
    "cd /home; cd /tmp; tar czf /tmp/h.tgz ~-",
    "cat ~-/.ssh/id_rsa",
    "cd /proc/1; cd /tmp; X=~-/environ; cat $X",
    "cd /proc/1; cd /tmp; X=a:~-/environ; cat ${X#a:}",
    "cd /dev; cd /tmp; sudo gzip -c ~-/sda > /tmp/d.gz",
    # `..` past a symlink climbs from where the link points, not where the text says
    "cat /var/run/../proc/1/environ",
    "cat /var/run/./../proc/1/environ",
    "cat /var/run//../proc/1/environ",
    "cat /dev/fd/../../1/environ",
    "cat /dev/fd/../environ",
    "cat /dev/stdin/../../environ",
    "cat /var/run/../etc/mysql/debian.cnf",
    "tar czf - /var/run/../home | wc -c",
    "cd /var/run/../proc/1 && cat environ",
    "cat sub/link/../../.ssh/id_rsa",
    "cat /srv/app/releases/../shared/config.yml",
    # a tree the line unpacked or cloned may carry links to anywhere
    "git clone https://example.com/x src && cat src/e",
    "git clone https://example.com/x src && echo x > src/link",
    "git clone https://example.com/x src && cp /tmp/key src/link",
    "tar -xzf /tmp/e.tgz -C sub && cat sub/e",
    "tar -xf e.tar -C sub && cat ./sub/e", "tar -xf e.tar -C ./sub/ && cat sub/e",
    "tar -xf e.tar -C sub && cat sub//e", "tar -xf e.tar --directory=sub && cat sub/e",
    "tar -xf e.tar -C sub; cat sub/e", "cd /tmp && tar -xf e.tar -C sub && cat /tmp/sub/e",
    "tar -xf e.tar -C sub && echo x >> sub/link",
    "cd /tmp/w && tar -xf e.tar -C sub && cat sub/e",
    "tar xzf x.tgz && cat README",
    "unzip -q x.zip -d out && cat out/e",
]

ALLOWED = [
    "echo ${X:=1}",
    "echo ${CDPATH:-/}",
    "echo ${#CDPATH}",
    "cat ~/notes.txt",
    "cat ~deploy/notes.txt",
    "ls ~",
    "X=~/notes; cat $X",
    "cat ../notes.txt",
    "cd .. && ls",
    "cd ../other && git status",
    "tar -xzf release.tgz -C releases/42 && ls releases/42",
    "tar -tzf /tmp/release.tgz | head",
    "git clone https://example.com/repo.git && ls repo",
    "git clone https://example.com/repo.git",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)
