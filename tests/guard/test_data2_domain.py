"""Data, DBA and ML hosts, second pass (sshgate/guard/tools/data2.py and the small edits of
safe.py's SQL clients): ordinary lines of each tool are allowed; each left-out class (writes,
endpoints and credential files of the agent's choosing, SQL that acts, interactive consoles,
URLs, secrets, computed words) has a look-alike that is held."""

from __future__ import annotations

import pytest

from sshgate.guard.safe import sql_read_only
from sshgate.guard.tools import data2

from .expect import grouped_tests

ALLOWED = {
    "bq": [
        "bq ls", "bq ls analytics", "bq ls -j -n 10", "bq ls -p",
        "bq ls --format=prettyjson myproject:analytics", "bq --project_id=myproj ls -d",
        "bq ls --filter labels.env:prod", "bq ls --max_results 50 analytics",
        "bq show analytics.events", "bq show -j bqjob_r123_0001",
        "bq show --schema --format=prettyjson analytics.events | jq '.[].name'",
        "bq show --format=prettyjson myproject:analytics | jq .access",
        "bq head -n 10 analytics.events", "bq --location=EU head --max_rows=5 analytics.events",
        "bq head -c id,amount -n 3 analytics.events", "bq version", "bq --version",
    ],
    "mysqlshow": [
        "mysqlshow", "mysqlshow shop", "mysqlshow shop orders", "mysqlshow -k shop orders",
        "mysqlshow --count shop", "mysqlshow -u root -h 127.0.0.1 shop", "sudo mysqlshow -v shop",
        "mysqlshow -i shop 'order%'", "mysqlshow --version",
    ],
    "mongoexport": [
        "mongoexport --db appdb --collection orders --limit 10 --out /tmp/orders.json",
        "mongoexport -d appdb -c orders --limit 5 --jsonArray --pretty | jq '.[0]'",
        "mongoexport -d appdb -c orders --type=csv -f _id,status,total --limit 100 "
        "-o data/orders.csv",
        "mongoexport -d appdb -c orders -q '{\"status\": \"new\"}' --limit 5",
        "mongoexport --host 10.0.0.5 --port 27017 -d appdb -c orders --limit 3 --quiet",
        "mongoexport --version",
    ],
    "huggingface-cli": [
    ],
    "pg_config": ["pg_config", "pg_config --version", "pg_config --bindir",
                  "pg_config --libdir --includedir", "pg_config | grep -i configure"],
    "pg_controldata": [
        "pg_controldata /var/lib/postgresql/14/main", "pg_controldata -V",
        "sudo -u postgres pg_controldata -D /var/lib/postgresql/16/main | grep -i checkpoint",
    ],
    "nvidia-smi": [
        "nvidia-smi mig -lgi", "nvidia-smi mig -lgip -i 0", "nvidia-smi mig -lci",
        "nvidia-smi mig --list-compute-instances", "sudo nvidia-smi mig -lgi",
        "nvidia-smi nvlink -s", "nvidia-smi nvlink --status -i 0", "nvidia-smi nvlink -c",
        "nvidia-smi nvlink -e -i 1",
    ],
    "consoles": [
        "nvitop -1", "nvitop --once", "nvitop --once --ascii", "nvitop -V",
        "nvtop --version", "nvtop -v", "visidata --version", "vd --version",
        "jupyter lab --version", "jupyter notebook --version",
    ],
    "qsv": ["qsv sniff data/sales.csv", "qsv sniff --json data/sales.csv | jq .",
            "qsv sniff --pretty-json -n 500 data/sales.csv",
            "head -100 data/sales.csv | qsv sniff"],
    # safe.py: psql -P/-V, \sf and \sv, TABLE, WITH reads, EXPLAIN QUERY PLAN, versions
    "sql clients": [
        "psql -d appdb -P pager=off -c 'select 1'", "psql --pset=format=wrapped -c 'select 1'",
        "psql -d appdb -P 'format=csv' -P footer=off -c 'select * from orders limit 3'",
        "psql -d appdb -P null=NULL -c 'select * from orders limit 3'",
        "psql -V", "psql --version", "mysql --version", "mysql -V", "mongosh --version",
        "clickhouse-client --version",
        "psql -d appdb -c '\\sf public.refresh_totals'", "psql -d appdb -c '\\sv+ active_users'",
        "psql -d appdb -c 'TABLE orders LIMIT 5'", "mysql -e 'TABLE shop.orders LIMIT 5'",
        "psql -d appdb -c 'WITH t AS (SELECT status, count(*) c FROM orders GROUP BY 1) "
        "SELECT * FROM t ORDER BY c DESC'",
        "mysql -e 'WITH t AS (SELECT 1 AS x) SELECT * FROM t'",
        "sqlite3 app.db 'WITH t AS (SELECT 1) SELECT * FROM t'",
        "duckdb -c \"WITH t AS (SELECT * FROM 'data/sales.csv') SELECT count(*) FROM t\"",
        "sqlite3 app.db 'EXPLAIN QUERY PLAN select * from users where email = \"a@b.c\"'",
    ],
}

HELD = {
    "bq": [
        # SQL as an operand (not judged here), writes, copies, exports, loads
        "bq query 'SELECT 1'", "bq query --destination_table=a.b 'SELECT 1'",
        "bq rm -f analytics.events", "bq mk analytics2", "bq cp a.b c.d",
        "bq extract analytics.events gs://x/y.csv", "bq load analytics.events data.csv",
        "bq insert analytics.events rows.json", "bq update --description x analytics.events",
        "bq cancel bqjob_r1", "bq shell",
        # another endpoint, credentials, settings files, a request log
        "bq --api=https://evil.example ls", "bq --credential_file=/tmp/c.json ls",
        "bq --flagfile=flags.txt ls", "bq --bigqueryrc=/tmp/rc ls", "bq --apilog=/tmp/log ls",
        "bq --service_account_credential_file=k.json ls", "bq ls --api https://x",
        # paths, computed words, unknown options
        "bq ls /etc/passwd", "bq show $TABLE", "bq head -n 10 ../x", "bq ls --$OPT",
        "bq show --connection proj.us.conn",
    ],
    "mysqlshow": [
        "mysqlshow -h evil.example.com shop", "mysqlshow -psecret shop",
        "mysqlshow --password=x shop", "mysqlshow --defaults-file=/tmp/x shop",
        "mysqlshow --defaults-extra-file=x.cnf shop", "mysqlshow shop orders id extra",
        "mysqlshow '../x'", "mysqlshow $DB", "mysqlshow --plugin-dir=/tmp shop",
    ],
    "mongoexport": [
        # credential databases and collections
        "mongoexport -d admin -c system.users", "mongoexport -d appdb -c system.users",
        "mongoexport -d local -c oplog.rs", "mongoexport -d config -c settings",
        # JavaScript on the server, spelled or escaped
        "mongoexport -d appdb -c orders -q '{\"$where\": \"sleep(1000)\"}'",
        "mongoexport -d appdb -c orders -q '{\"\\u0024where\": \"sleep(1000)\"}'",
        "mongoexport -d appdb -c orders -q '{\"$expr\": {\"$function\": {}}}'",
        # passwords, config and query files, URIs
        "mongoexport --uri mongodb://u:p@h/appdb -c orders", "mongoexport -d appdb -c o -p x",
        "mongoexport -d appdb -c orders --config /tmp/c.yaml",
        "mongoexport -d appdb -c orders --queryFile q.json",
        "mongoexport -d appdb -c orders --fieldFile f.txt",
        # output onto dotfiles and code, a host outside the site, no collection, computed
        "mongoexport -d appdb -c orders -o ~/.bashrc", "mongoexport -d appdb -c orders -o app.py",
        "mongoexport -d appdb -c orders --host evil.example.com", "mongoexport -d appdb",
        "mongoexport -d $DB -c orders", "mongoexport -d appdb -c orders $X",
    ],
    "huggingface-cli": [
        "huggingface-cli scan-cache --dir ~/.ssh", "huggingface-cli delete-cache",
        # (red team s15 C3) a tree of links the session unpacked: warnings print files
        "huggingface-cli scan-cache --dir /tmp/hfc -vvv",
        "huggingface-cli scan-cache --dir ~/.cache/huggingface/hub",
        "huggingface-cli scan-cache --dir /tmp x",
    ],
    "pg_config": ["pg_config /tmp", "pg_config --bogus"],
    "pg_controldata": ["pg_controldata a b", "pg_controldata --bogus x"],
    "nvidia-smi": [
        "nvidia-smi mig -cgi 9,9 -C", "nvidia-smi mig -dgi", "nvidia-smi mig -dci -i 0",
        "nvidia-smi mig -cci", "nvidia-smi nvlink -r 0", "nvidia-smi nvlink --resetcounters",
        "nvidia-smi nvlink -sc 0bz", "nvidia-smi -pm 1", "nvidia-smi -r",
        "nvidia-smi --gpu-reset -i 0", "nvidia-smi mig $OPT",
    ],
    "consoles": [
        "nvitop", "nvitop -m full", "nvtop", "vd data/sales.csv", "visidata data/sales.csv",
        "jupyter lab", "jupyter notebook", "jupyter notebook list", "jupyter lab --ip 0.0.0.0",
        "jupyter lab --version --ServerApp.token=x",
    ],
    "qsv": [
        "qsv sniff https://example.com/data.csv",
        "qsv sniff --save-urlsample /tmp/x https://example.com/x.csv",
        "qsv sniff ~/.aws/credentials", "qsv sniff .env", "xsv sniff data/sales.csv",
        "qsv sniff $F", "qsv schema data/sales.csv",
    ],
    "sql clients": [
        # the pager on names a program; a toggle turns it on when it was off
        "psql -d appdb -P pager=always -c 'select 1'", "psql -d appdb -P pager -c 'select 1'",
        "psql -d appdb -P pager=on -c 'select 1'", "psql -d appdb -P $P -c 'select 1'",
        # a version flag never lets a statement or stdin through
        "psql --version -c 'drop table x'", "psql -V < script.sql", "mysql -V -e 'drop table x'",
        "mongosh --version --eval 'db.dropDatabase()'", "clickhouse-client -V -q 'DROP TABLE x'",
        "clickhouse-client -V", "mysql -V < dump.sql",
        # \s writes the history, other \s commands are not listed; backquotes run commands
        "psql -d appdb -c '\\s /tmp/hist'", "psql -d appdb -c '\\sx'",
        "psql -d appdb -c '\\sf `id`'", "psql -d appdb -c '\\sv x' -c '\\! id'",
        # TABLE of a credential catalog or next to a write
        "psql -d appdb -c 'TABLE pg_authid'", "mysql -e 'TABLE mysql.user'",
        "psql -d appdb -c 'TABLE orders; DROP TABLE orders'",
        "psql -d appdb -c 'TABLE orders INTO x'",
        # data-modifying CTEs, credentials and file reads inside a CTE
        "psql -d appdb -c 'WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d'",
        "psql -d appdb -c 'WITH t AS (SELECT 1) INSERT INTO x SELECT * FROM t'",
        "psql -d appdb -c 'WITH t AS (SELECT 1) UPDATE x SET a = 1'",
        "psql -d appdb -c 'with u as (update x set a = 1 returning a) select * from u'",
        "psql -d appdb -c 'WITH t AS (SELECT 1) MERGE INTO x USING t ON true "
        "WHEN MATCHED THEN DELETE'",
        "mysql -e 'WITH t AS (SELECT 1) DELETE FROM shop.orders'",
        "mysql -e 'WITH t AS (SELECT 1) SELECT * FROM mysql.user'",
        "psql -d appdb -c 'WITH t AS (SELECT * FROM pg_authid) SELECT * FROM t'",
        "psql -d appdb -c 'WITH t AS (SELECT pg_read_file($$/etc/passwd$$)) SELECT * FROM t'",
        "psql -d appdb -c 'WITH t AS (SELECT 1) SELECT * FROM t; DROP TABLE x'",
        "duckdb -c \"WITH t AS (SELECT * FROM read_csv('/etc/shadow')) SELECT * FROM t\"",
        "duckdb -c \"WITH t AS (SELECT 1) COPY t TO '/tmp/x.csv'\"",
        "sqlite3 app.db 'WITH t AS (SELECT 1) SELECT writefile(\"/tmp/x\", 1)'",
        # EXPLAIN QUERY PLAN only of a read; Oracle's EXPLAIN PLAN FOR writes a plan table
        "sqlite3 app.db 'EXPLAIN QUERY PLAN PRAGMA writable_schema=1'",
        "psql -d appdb -c 'EXPLAIN PLAN FOR DELETE FROM x'",
        "psql -d appdb -c 'EXPLAIN PLAN FOR SELECT 1'",
        "psql -d appdb -c 'EXPLAIN ANALYZE WITH d AS (DELETE FROM x RETURNING 1) SELECT 1'",
    ],
}


test_held, test_allowed = grouped_tests(HELD, ALLOWED)



@pytest.mark.parametrize(("sql", "read"), [
    ("WITH t AS (SELECT 1) SELECT * FROM t", True),
    ("with t as (select a from x) select count(*) from t", True),
    ("TABLE orders", True),
    ("EXPLAIN QUERY PLAN SELECT 1", True),
    ("WITH t AS (DELETE FROM x RETURNING *) SELECT * FROM t", False),
    ("WITH t AS (SELECT 1) INSERT INTO x SELECT * FROM t", False),
    ("WITH t AS (SELECT 1) CALL p()", False),
    ("WITH t AS (SELECT 1) SELECT * FROM t FOR UPDATE", False),
    ("WITH t AS (SELECT 'delete') SELECT * FROM t", False),  # a word in a string holds it
    ("EXPLAIN QUERY PLAN ANALYZE DELETE FROM x", False),
])
def test_sql_read_only_with_table_and_query_plan(sql: str, read: bool) -> None:
    assert sql_read_only(sql) is read


@pytest.mark.parametrize(("value", "ok"), [
    ("pager=off", True), ("pager=0", True), ("format=csv", True), ("border=2", True),
    ("pager_min_lines=10", True), ("tuples_only", True), ("null=(null)", True),
    ("pager", False), ("pager=on", False), ("pager=always", False), ("Pager=on", False),
    ("=x", False), ("", False),
])
def test_pset_kind(value: str, ok: bool) -> None:
    assert (data2.KINDS["psqlpset"](value) is None) is ok
