"""Data engineering, analysis, DBA and ML hosts, second pass: the reads data.py and safe.py miss.
Known-safe shapes (tools/__init__.py).

What an analyst or a DBA types to look at a store without changing it: BigQuery's listings,
schemas and table heads (``bq``), MySQL's catalogue (``mysqlshow``), PostgreSQL's build and
control-file reports, GPU reports (``nvidia-smi mig``/``nvlink`` listings, ``nvitop -1``),
``qsv sniff`` of a local file, versions of interactive consoles. Left out: every form that
writes (``bq query --destination_table``, ``bq mk/rm/cp/load/extract``, ``nvidia-smi -pm``,
``mig -cgi/-dgi``, ``nvlink -r``), an endpoint or credentials of the agent's choosing
(``bq --api``/``--credential_file``/``--flagfile``/``--bigqueryrc``, ``mysqlshow -p``),
statements the guard cannot judge (``bq query``: its SQL is an operand, and the SQL judge lives
in safe.py, which this module may not import), and interactive consoles (``nvitop`` without
``--once``, ``nvtop``, ``visidata``: they kill processes or open files on keystrokes).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words

# --- value kinds (merged into safe.KINDS) --------------------------------------------------------
#: psql -P NAME[=VALUE]: a \pset printing option. None runs or writes anything; only the pager
#: names a program (PAGER's), so pager may only be turned off (``pager=off``), never ``always``
_PSET = re.compile(r"(?!pager\b)[a-z_]{1,40}+(?:=[^\n]{0,200}+)?+|pager=(?:off|0|false|no)")


def _kind_pset(v: str) -> str | None:
    return None if _PSET.fullmatch(v) else \
        f"{v!r} is not a \\pset printing option (the pager only off)"


KINDS: dict[str, Callable[[str], str | None]] = {"psqlpset": _kind_pset}


# --- helpers -------------------------------------------------------------------------------------
def _has(pairs: Pairs, *names: str) -> bool:
    return any(k in names for k, _ in pairs or ())


# --- BigQuery: bq ------------------------------------------------------------------------------
#: a project, dataset, table or job reference: ``proj:ds.table``, ``ds.table``, ``google.com:p``
_BQ_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:$@-]{0,300}+")
#: global flags (absl: -flag or --flag, =value or the next word; also after the command).
#: Never --api/--api_version (another endpoint gets the user's token), --credential_file,
#: --service_account*, --bigqueryrc, --flagfile (settings and credentials from files),
#: --apilog (writes every request, tokens among them, to a file), --httplib2_debuglevel
_BQ_GLOBAL = ("--project_id:word --location:word --dataset_id:word --format:word -q|--quiet "
              "--headless --synchronous_mode --job_id:word ")
#: ls/show/head print listings, schemas and rows; never mk/rm/cp/load/extract/insert/update/
#: cancel/partition/truncate/undelete (they change data or send it elsewhere), query (below)
_BQ = Tool(allow=opts(_BQ_GLOBAL, "go"), sub={
    "ls": Shape(check="bq-refs", max_operands=1, allow=opts(
        _BQ_GLOBAL + "-a|--all -d|--datasets -j|--jobs -p|--projects -m|--models --routines "
        "-n|--max_results:num --filter:any --page_token:word --min_creation_time:num "
        "--max_creation_time:num --parent_job_id:word", "go")),
    "show": Shape(check="bq-refs", max_operands=1, allow=opts(
        _BQ_GLOBAL + "--schema -j|--job -d|--dataset -m|--model --routine --view "
        "--materialized_view", "go")),
    "head": Shape(check="bq-refs", max_operands=1, allow=opts(
        _BQ_GLOBAL + "-n|--max_rows:num -s|--start_row:num -c|--selected_fields:any -j|--job "
        "-t|--table", "go")),
    "version": Shape(max_operands=0, allow=opts("", "go")),
    "--version": ANY})


def _check_bq_refs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _BQ_REF.fullmatch(o)]
    return f"{bad[0]!r} is not a BigQuery project, dataset, table or job" if bad else None


# --- MySQL and PostgreSQL catalogue reports ------------------------------------------------------
#: mysqlshow [db [table [column]]]: names, column definitions, index and row counts (never a
#: value); the connection as mysql's, a host inside the site, never -p (a password in argv)
_MYSQLSHOW = Shape(check="plain-db-names", max_operands=3, allow=opts(
    "-u|--user:word -h|--host:lanhost -P|--port:num -S|--socket:any --protocol:word "
    "--ssl-mode:word -v|--verbose -k|--keys -i|--status -t|--show-table-type --count "
    "-V|--version", abbrev=False))
#: a database, table or column name, or a LIKE pattern of one (``%``, ``_``)
_DB_NAME = re.compile(r"[A-Za-z0-9_$%*.-]{1,128}+")


def _check_db_names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _DB_NAME.fullmatch(o)]
    return f"{bad[0]!r} is not a database, table or column name" if bad else None


#: pg_config prints where PostgreSQL was installed and how it was built; no option writes
_PG_CONFIG = Shape(max_operands=0, allow=opts(
    "--bindir --docdir --htmldir --includedir --pkgincludedir --includedir-server --libdir "
    "--pkglibdir --localedir --mandir --sharedir --sysconfdir --pgxs --configure --cc "
    "--cppflags --cflags --cflags_sl --ldflags --ldflags_ex --ldflags_sl --libs "
    "-V|--version", abbrev=False))
#: pg_controldata DIR reads DIR/global/pg_control alone (checkpoint, WAL and cluster settings):
#: metadata of the data directory, never a row or a password (secrets_ok: the data directory
#: is a secret path for readers of its files). A directory the session wrote or unpacked
#: holds it (flow.CONTENT_SNIFFERS: its pg_control may be a link to a secret, red team s15
#: C4)
_PG_CONTROLDATA = Shape(max_operands=1, secrets_ok=True, allow=opts(
    "-D|--pgdata:any -V|--version", abbrev=False))

#: mongoexport: a collection's documents (a filter, fields, a limit) to stdout or a file, as
#: mongosh's find. Never admin/local/config or a system.* collection (users and their
#: password hashes), --uri/-p/--config (a password), --queryFile/--fieldFile (files),
#: a filter that runs JavaScript on the server ($where, $function, $accumulator, or a JSON
#: escape that spells one)
_MONGOEXPORT = Shape(check="mongoexport", max_operands=0, allow=opts(
    "-d|--db:word -c|--collection:word -o|--out:write -q|--query:any -f|--fields:any "
    "--type:word --jsonArray --pretty --limit:num --skip:num --sort:any --noHeaderLine "
    "--jsonFormat:word --readPreference:word --host:lanhost --port:num -u|--username:word "
    "--authenticationDatabase:word -v|--verbose --quiet --version", abbrev=False))
_MONGO_CREDENTIAL_DBS = frozenset({"admin", "local", "config"})
_MONGO_JS = re.compile(r"\$(?:where|function|accumulator)\b")


def _check_mongoexport(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if _has(pairs, "--version") and not _has(pairs, "-d", "-c"):
        return None
    dbs = [v for k, v in pairs or () if k == "-d" and v is not None]
    colls = [v for k, v in pairs or () if k == "-c" and v is not None]
    if not dbs or not colls:
        return "mongoexport without a database and a collection"
    if any(d.lower() in _MONGO_CREDENTIAL_DBS for d in dbs) or any(
            x.lower().startswith("system.") for x in colls):
        return "mongoexport of admin, local, config or a system collection (users, hashes)"
    # (a JSON escape spells any key: "\\u0024where")
    if any(_MONGO_JS.search(v) or "\\" in v for k, v in pairs or () if k == "-q" and v is not None):
        return "a filter that runs JavaScript on the server, or an escape that may spell one"
    return None


# --- GPUs ----------------------------------------------------------------------------------------
#: nvidia-smi mig: listings of GPU and compute instances and their profiles (never -cgi/-dgi/
#: -cci/-dci: create or destroy instances)
_NVSMI_MIG = Shape(max_operands=0, allow=opts(
    "-lgi|--list-gpu-instances -lgip|--list-gpu-instance-profiles "
    "-lgipp|--list-gpu-instance-possible-placements -lci|--list-compute-instances "
    "-lcip|--list-compute-instance-profiles -i|--id:any -gi|--gpu-instance-id:any "
    "-ci|--compute-instance-id:any", "go"))
#: nvidia-smi nvlink: link status, capabilities and counters (never -r/--resetcounters,
#: -sc/--setcontrol)
_NVSMI_NVLINK = Shape(max_operands=0, allow=opts(
    "-s|--status -c|--capabilities -p|--pcibusid -R|--remotelinkinfo -e|--errorcounters "
    "-i|--id:any -l|--link:num -gt|--getthroughput:word", "go"))
#: nvitop --once prints the GPU report and exits (the monitor itself kills processes on a
#: keystroke): never without --once but for its version
_NVITOP = Shape(check="nvitop-once", max_operands=0, allow=opts(
    "-1|--once -m|--mode:word -U|--ascii --colorful --monochrome --force-color --light "
    "-V|--version", abbrev=False))


def _check_nvitop(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if _has(pairs, "-1", "-V") else "nvitop without --once is an interactive monitor"


#: interactive consoles (nvtop kills processes, visidata opens and saves files): the version
_VERSION = Shape(check="ui-version-only", max_operands=0, allow=opts("-v|--version",
                                                                     abbrev=False))

# --- csv ------------------------------------------------------------------------------------------
#: qsv sniff of a local file (or stdin): delimiter, header and types of its first rows. Never a
#: URL (fetched: the address itself carries data), --save-urlsample (writes a file)
_QSV_SNIFF = Shape(check="data-local", max_operands=1, allow=opts(
    "--json --pretty-json -n|--sample:any -d|--delimiter:any --prefer-dmy --quick --no-infer "
    "--stats-types -h|--help", abbrev=False))

ENTRIES: dict[str, Entry] = {
    "bq": _BQ,
    "mysqlshow": _MYSQLSHOW, "mariadb-show": _MYSQLSHOW,
    "pg_config": _PG_CONFIG, "pg_controldata": _PG_CONTROLDATA,
    "mongoexport": _MONGOEXPORT,
    "nvitop": _NVITOP,
    "nvtop": _VERSION, "visidata": _VERSION, "vd": _VERSION,
}

#: subcommands added to tools safe.py lists
SUBCOMMANDS: dict[str, dict[str, Entry]] = {
    "nvidia-smi": {"mig": _NVSMI_MIG, "nvlink": _NVSMI_NVLINK},
    # jupyter lab / notebook start servers: their version only (``notebook list`` prints
    # the running servers' URLs with their tokens)
    "jupyter": {k: Tool(sub={"--version": Shape(max_operands=0, allow=opts(""))})
                for k in ("lab", "notebook")},
    "qsv": {"sniff": _QSV_SNIFF},
}

CHECKS: dict[str, Check] = {
    "bq-refs": _check_bq_refs, "plain-db-names": _check_db_names,
    "nvitop-once": _check_nvitop, "mongoexport": _check_mongoexport,
}
