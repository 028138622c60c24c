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
    #: the engine's own words between EXPLAIN and its statement (a kind of plan and its
    #: display settings), matched at the start of what follows EXPLAIN
    explain: re.Pattern[str] | None = None


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
    # EXPLAIN [AST|SYNTAX|QUERY TREE|PLAN|PIPELINE|ESTIMATE] [setting = N, ...]: what it
    # prints (never TABLE OVERRIDE: it names a table function, which may reach another
    # server; ANALYZE is the common screen's: only of a read)
    explain=re.compile(
        r"\s*+(?:(?:ast|syntax|query\s++tree|plan|pipeline|estimate)\b\s*+)?"
        r"(?:(?:header|description|indexes|actions|json|sorting|optimize|projections|graph|"
        r"compact|oneline|run_passes|dump_passes|passes|dump_tree|dump_ast|"
        r"run_query_tree_passes|query_tree_passes)\s*+=\s*+-?[0-9]{1,3}+\b\s*+"
        r"(?:,\s*+(?=[a-z]))?)*+", re.I),
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
    # a string of path characters only (``'data/dt=1/*.parquet'``) is a literal in any lexer: its
    # ``/*`` opens no comment (the path itself is judged by the client's check)
    neutral=re.compile(r"'[A-Za-z0-9_.*/=-]*+'"), neutral_as="'f'",
)

#: Hive (hive -e, beeline -e): aggregates, dates, strings, JSON, windows. Never reflect/
#: java_method (any static Java method), in_file (a file of the server), TRANSFORM/MAP/REDUCE
#: ... USING 'script' (a program per row), SHOW CONF (a setting's value: keys)
HIVE = Dialect(
    funcs=_words("""
count sum avg min max collect_set collect_list concat concat_ws substr substring upper lower
ucase lcase trim ltrim rtrim length regexp_replace regexp_extract split size explode
posexplode get_json_object json_tuple from_unixtime unix_timestamp to_date date_format
date_add date_sub datediff year month day dayofmonth hour minute second weekofyear quarter
current_date current_timestamp nvl coalesce if isnull isnotnull cast round floor ceil abs
percentile percentile_approx stddev stddev_pop stddev_samp variance var_pop var_samp corr
row_number rank dense_rank lag lead first_value last_value ntile cume_dist percent_rank
map_keys map_values array_contains sort_array instr locate lpad rpad reverse md5 sha2
greatest least nullif to_utc_timestamp from_utc_timestamp trunc last_day months_between
add_months next_day initcap translate format_number printf str_to_map array map struct
named_struct histogram_numeric count_if
"""),
    credentials=re.compile(r"\busing\s*'|\bshow\s+conf\b|\bshow\s+tblproperties\b", re.I),
)

#: Trino and Presto: aggregates, dates, JSON, arrays, windows; the system catalog's runtime
#: tables (nodes, queries) are not mysql's system command. Never table functions (query,
#: exclude_columns: SQL the connector runs), nor procedures (CALL is not a read)
TRINO = Dialect(
    funcs=_words("""
count sum avg min max approx_distinct approx_percentile arbitrary any_value array_agg map_agg
count_if bool_or bool_and max_by min_by histogram stddev variance corr
date_trunc date_add date_diff date_format date_parse from_unixtime to_unixtime
format_datetime parse_datetime from_iso8601_timestamp from_iso8601_date to_iso8601
current_timestamp current_date now localtimestamp year month day hour minute second
day_of_week week quarter json_extract json_extract_scalar json_parse json_format json_size
regexp_like regexp_extract regexp_extract_all regexp_replace split split_part cardinality
element_at contains concat lower upper substr substring length trim ltrim rtrim lpad rpad
replace reverse strpos starts_with coalesce nullif if try try_cast cast round floor ceil
abs greatest least row_number rank dense_rank lag lead first_value last_value ntile
percent_rank cume_dist typeof format human_readable_seconds date
"""),
    neutral=re.compile(r"\bsystem(?=\s*+\.\s*+[A-Za-z_])", re.I), neutral_as="sys_tables",
)

#: SQL Server (sqlcmd -Q): scalar and aggregate functions. Never OPENROWSET/OPENQUERY/
#: OPENDATASOURCE (other servers, files), xp_* (EXEC is not a read); never the catalogs of
#: logins' password hashes and stored credentials
MSSQL = Dialect(
    funcs=_words("""
count count_big sum avg min max round floor ceiling abs isnull coalesce nullif cast convert
try_cast try_convert len datalength upper lower ltrim rtrim trim substring left right
charindex replace concat concat_ws format getdate getutcdate sysdatetime datediff dateadd
datepart datename year month day eomonth db_name db_id object_name object_id schema_name
serverproperty databasepropertyex row_number rank dense_rank ntile lag lead iif
string_agg
"""),
    credentials=re.compile(r"\b(?:sql_logins|syslogins|sysxlogins|credentials|"
                           r"database_scoped_credentials|linked_logins|master_key_passwords|"
                           r"server_principal_credentials|sysremotelogins)\b", re.I),
)

DIALECTS: dict[str, Dialect] = {"clickhouse": CLICKHOUSE, "cql": CQL, "duckdb": DUCKDB,
                                "hive": HIVE, "trino": TRINO, "mssql": MSSQL}

#: a SQL string literal (single quotes, doubled to escape)
STRING = re.compile(r"'((?:[^']|'')*+)'")


def file_strings(sql: str) -> list[str]:
    """Every string literal of ``sql``: DuckDB reads a file or URL a string names wherever a
    table may stand (``FROM 'x.parquet'``) and in its readers' arguments."""
    return [m.group(1).replace("''", "'") for m in STRING.finditer(sql)]


__all__ = ["CLICKHOUSE", "CQL", "DIALECTS", "DUCKDB", "HIVE", "MSSQL", "TRINO", "Dialect",
           "file_strings"]
