"""SQL dialects beyond PostgreSQL/MySQL/SQLite, as data: the functions each may call, the
statements that start a read, and the catalogs that hold credentials. Pure.

``safe.sql_read_only`` judges every dialect the same way (a plain read, listed functions only,
no credential catalog); a dialect adds its own names. Each list is from the engine's manual:
functions that compute on values, never table functions that reach files, URLs, other servers
or programs (ClickHouse ``file``/``url``/``s3``/``remote``/``executable``, DuckDB
``read_text``/``read_blob``/``getenv``/``current_setting``), which stay unlisted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


@dataclass(frozen=True, slots=True)
class Dialect:
    """What one engine adds to the common read-only SQL judgement."""

    #: functions of the engine with no side effect and no reach outside the query's tables
    funcs: frozenset[str] = frozenset()
    #: words that start a read statement besides SELECT/SHOW/EXPLAIN/DESCRIBE
    reads: tuple[str, ...] = ()
    #: catalogs and statements that return credentials (matched case-insensitively)
    credentials: re.Pattern[str] | None = None
    #: text the common screen would misread, replaced by a neutral name before it runs
    #: (ClickHouse's ``system.parts`` tables are not mysql's ``system`` client command)
    neutral: re.Pattern[str] | None = None
    #: what ``neutral`` text is replaced by
    neutral_as: str = ""


#: ClickHouse: aggregates (with their -If/-Array combinators as separate names), dates,
#: strings, conversions. Never file/url/s3/hdfs/remote/remoteSecure/mysql/postgresql/
#: executable/input/jdbc/odbc (table functions that read files, URLs, other servers or run a
#: program), never the system tables and SHOW forms that list users, grants or secrets
CLICKHOUSE = Dialect(
    funcs=_words("""
count countif sum sumif avg avgif min max minif maxif any anylast uniq uniqexact uniqcombined
uniqhll12 quantile quantiles quantileexact quantiletdigest median argmax argmin grouparray
groupuniqarray topk groupbitor stddevpop stddevsamp varpop varsamp corr
todate todatetime todatetime64 tostartofday tostartofhour tostartofminute tostartofweek
tostartofmonth tostartofyear tostartofinterval tostartoffiveminutes tostartoffifteenminutes
toyyyymm toyyyymmdd tohour tominute toyear tomonth todayofweek tounixtimestamp
today yesterday now now64 datediff date_diff dateadd datesub formatdatetime parsedatetimebesteffort
tostring touint8 touint16 touint32 touint64 toint8 toint16 toint32 toint64 tofloat32
tofloat64 todecimal32 todecimal64 tonullable ifnull nullif coalesce assumenotnull isnull
isnotnull if multiif length lower upper substring concat replaceall replaceone trim
position positioncaseinsensitive like ilike match extract splitbychar splitbystring
arrayjoin has hasany hasall arraycount arraysum arraymap arrayfilter arraysort arraydistinct
length empty notempty round floor ceil abs intdiv modulo
formatreadablesize formatreadablequantity formatreadabletimedelta
jsonextract jsonextractstring jsonextractint jsonextractfloat jsonextractbool jsonhas
jsonlength jsonextractkeys visitparamextractstring
currentdatabase version uptime database
"""),
    reads=("exists",),
    credentials=re.compile(
        r"\bsystem\s*\.\s*(users|roles|grants|role_grants|quotas|quota_usage|settings_profiles|"
        r"settings_profile_elements|row_policies|named_collections|zookeeper|"
        r"user_directories)\b|\bshow\s+(create\s+)?(users?|roles?|grants|access|quotas?|"
        r"settings\s+profiles?|profiles?|row\s+polic|policies|named\s+collections?)", re.I),
    neutral=re.compile(r"\bsystem(?=\s*+\.\s*+[A-Za-z_])", re.I), neutral_as="sys_tables",
)

#: CQL (Cassandra, ScyllaDB): its scalar functions; never the system_auth keyspace (salted
#: password hashes) nor LIST USERS/ROLES
CQL = Dialect(
    funcs=_words("""
token writetime ttl totimestamp todate tounixtimestamp dateof unixtimestampof now uuid
mintimeuuid maxtimeuuid currenttimestamp currentdate currenttime currenttimeuuid
blobastext textasblob blobasbigint bigintasblob tojson
"""),
    credentials=re.compile(r"\bsystem_auth\b|\blist\s+(users|roles|all)\b|"
                           r"\bsystem_distributed\s*\.\s*(role|user)", re.I),
    # the system keyspace (system.local, system.peers) is not mysql's system command
    neutral=re.compile(r"\bsystem(?=\s*+\.\s*+[A-Za-z_])", re.I), neutral_as="sys_tables",
)

#: DuckDB: readers of local data files (their paths are judged as the line's reads) and
#: analytic functions. Never read_text/read_blob (any file's bytes), getenv,
#: current_setting (S3 keys), duckdb_secrets/which_secret, sniff_csv of URLs (strings are
#: judged: no URL at all), query/query_table (SQL built from a string)
DUCKDB = Dialect(
    funcs=_words("""
read_parquet parquet_scan parquet_schema parquet_metadata parquet_file_metadata
read_csv read_csv_auto read_json read_json_auto read_ndjson read_ndjson_auto glob
median quantile quantile_cont quantile_disc approx_count_distinct approx_quantile arg_max
arg_min list list_value histogram count_if sum_no_overflow product epoch epoch_ms strptime
strftime date_diff datediff date_part make_timestamp to_timestamp regexp_extract
regexp_full_match contains starts_with ends_with list_contains len struct_pack unnest range
typeof any_value first last fsum favg kurtosis skewness entropy mad
"""),
    reads=("from", "summarize"),
    # a string of path characters only (``'data/*.parquet'``) is a literal in any lexer: its
    # ``/*`` opens no comment (the path itself is judged by the client's check)
    neutral=re.compile(r"'[A-Za-z0-9_.*/-]*+'"), neutral_as="'f'",
)

DIALECTS: dict[str, Dialect] = {"clickhouse": CLICKHOUSE, "cql": CQL, "duckdb": DUCKDB}

#: a SQL string literal (single quotes, doubled to escape)
STRING = re.compile(r"'((?:[^']|'')*+)'")


def file_strings(sql: str) -> list[str]:
    """Every string literal of ``sql``: DuckDB reads a file or URL a string names wherever a
    table may stand (``FROM 'x.parquet'``) and in its readers' arguments."""
    return [m.group(1).replace("''", "'") for m in STRING.finditer(sql)]


__all__ = ["CLICKHOUSE", "CQL", "DIALECTS", "DUCKDB", "Dialect", "file_strings"]
