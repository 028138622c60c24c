"""Data, ML, search and messaging tools: clients of the site's stores and queues, read-only forms.
Known-safe shapes (tools/__init__.py).

Every entry is an allow-list from the tool's manual: listings, descriptions, status and reads.
Left out everywhere: options that write files, load a config, class, plugin or script, send the
client's stored credentials to a host the agent names (every address option is a host inside
the site: ``siteaddr``), or change the cluster (create/alter/delete/kill/reset/purge). SQL
clients (``SQL_CLIENTS``) run only what ``safe.sql_read_only`` proves a read. Decisions:
docs/guard-least-privilege.md ("Session 12: data tools").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import option_at, opts, parse_opts
from ..parse import SimpleCommand
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words
from ..site_program import PRIVATE_HOST

# --- value kinds (merged into safe.KINDS) --------------------------------------------------------
#: a host inside the site: loopback, a private address, a private-use suffix, one label
_HOST = PRIVATE_HOST + r"|\[::1\]|::1|[A-Za-z0-9][A-Za-z0-9-]{0,62}"
#: one endpoint: [scheme://]host[:port][/path], never user information (``user:pw@``)
_ENDPOINT = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]{0,15}://)?+(?:" + _HOST +
                       r")(?::[0-9]{1,5})?+(?:/[A-Za-z0-9_./-]*+)?+")
#: a JDBC URL of HiveServer2 inside the site, with only the session settings that say how to
#: reach it (never ``?hiveconf`` settings or ``#hivevar`` values)
_HIVE_URL = re.compile(r"jdbc:hive2://(?:(?:" + _HOST + r")(?::[0-9]{1,5})?+,?+)++"
                       r"(?:/[A-Za-z0-9_]*+)?+"
                       r"(?:;(?:principal=[A-Za-z0-9_/@.-]++|ssl=(?:true|false)|"
                       r"transportMode=(?:binary|http)|httpPath=[A-Za-z0-9_/-]++|"
                       r"serviceDiscoveryMode=zooKeeper|zooKeeperNamespace=[A-Za-z0-9_-]++))*+")
#: Hadoop configuration keys that hold secrets (cloud keys, passwords, tokens, keytabs)
_SECRET_KEY = re.compile(r"(?i)secret|passw|token|credential|keytab|signature|jceks|jdbc|"
                         r"connectionurl|"
                         r"(?:^|[._-])(?:access|account|private|encryption|sas)[._-]?key|"
                         r"[._-]key(?:$|[._-])|pass$")


_ERL_NODE = re.compile(r"[A-Za-z0-9_-]{1,64}(?:@(?:" + _HOST + r"))?")


def _site_endpoints(v: str) -> str | None:
    bad = [e for e in v.split(",") if not _ENDPOINT.fullmatch(e)]
    return f"{bad[0]!r} is not an address inside the site (the client sends its stored " \
           "credentials there)" if bad else None


KINDS: dict[str, Callable[[str], str | None]] = {
    # a list of brokers, servers or URLs inside the site
    "siteaddr": _site_endpoints,
    "hiveurl": lambda v: None if _HIVE_URL.fullmatch(v) else
    f"{v!r} is not a HiveServer2 URL inside the site without settings",
    # an Erlang node (rabbitmqctl -n): rabbit, or rabbit@HOST inside the site (the client
    # proves the cookie to it)
    "erlnode": lambda v: None if _ERL_NODE.fullmatch(v) else
    f"{v!r} is not a node inside the site",
    "hadoopkey": lambda v: f"{v!r} may hold a secret" if _SECRET_KEY.search(v) or
    not re.fullmatch(r"[A-Za-z0-9_.-]{1,200}", v) else None,
}


# --- helpers -------------------------------------------------------------------------------------
def _values(pairs: Pairs, *names: str) -> list[str]:
    return [v for k, v in pairs or () if k in names and v is not None]


def _has(pairs: Pairs, *names: str) -> bool:
    return any(k in names for k, _ in pairs or ())


def _shape(spec: str, max_operands: int | None = None, check: str | None = None,
           style: str = "gnu") -> Shape:
    return Shape(max_operands=max_operands, check=check,
                 allow=opts(spec, style, abbrev=False) if style == "gnu" else opts(spec, style))


def _go(spec: str = "", max_operands: int | None = 0, check: str | None = None) -> Shape:
    return _shape(spec, max_operands, check, "go")


#: local files only: a URL (s3://, hdfs://, http://) or a GDAL virtual path reads elsewhere
_REMOTE = re.compile(r"://|^/vsi|^[A-Za-z][A-Za-z0-9_]*:(?!/)")


def _check_local(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if _REMOTE.search(o)]
    return f"{bad[0]!r} is not a local file" if bad else None


# --- Hadoop: HDFS, YARN, MapReduce ---------------------------------------------------------------
#: HDFS paths: plain paths, hdfs:// / viewfs:// of the site's name nodes, or an object
#: store's bucket through the cluster's connectors (s3a://, gs://, abfs://: reads signed with
#: the site's keys, which are never sent); never file:// (this host's files)
_HDFS_URL = re.compile(r"(?:(?:hdfs|viewfs)://(?:(?:" + _HOST + r")(?::[0-9]{1,5})?+)?+|"
                       r"(?:s3a?|gs|abfss?|wasbs?)://[a-z0-9][a-z0-9.@_-]{0,200}+)(?:/.*)?+")


def _check_hdfs_paths(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if "://" in o and not _HDFS_URL.fullmatch(o):
            return f"{o!r} is not a path of the site's HDFS"
        if o.startswith("file:"):
            return f"{o!r} is a local file"
    return None


def _fs(spec: str = "", max_operands: int | None = None) -> Shape:
    # FsShell: single-dash options, no clusters (-du -s -h)
    return _go(spec, max_operands, "hdfs-paths")


#: hdfs dfs / hadoop fs: reads and listings. Never put/get/copyFromLocal/copyToLocal/
#: moveFromLocal/getmerge (local files), rm/rmdir/mv/cp/mkdir/touchz/truncate/appendToFile/
#: chmod/chown/chgrp/setrep/setfacl/setfattr/expunge/createSnapshot (change the store), the
#: generic options before the command (-D, -fs, -conf, -libjars, -files, -archives: settings,
#: another file system, code)
_FS_SHELL = Tool(allow=opts(""), sub={
    "-ls": _fs("-C -d -h -q -R -t -S -r -u -c -e"),
    "-lsr": _fs(""),
    "-du": _fs("-s -h -v -x"),
    "-dus": _fs(""),
    "-count": _fs("-q -h -v -u -x -e -s"),
    "-df": _fs("-h"),
    "-cat": _fs("-ignoreCrc"),
    "-text": _fs("-ignoreCrc"),
    "-head": _fs("", 1),
    "-tail": _fs("-f", 1),
    "-stat": _fs("", 2),
    "-test": _fs("-d -e -f -s -w -r -z", 1),
    "-find": _fs("-name:any -iname:any -print -print0"),
    "-checksum": _fs("-v"),
    "-getfacl": _fs("-R"),
    "-getfattr": _fs("-R -d -n:any -e:word"),
    "-usage": _fs(""), "-help": _fs(""),
})

_HADOOP_GLOBAL = opts("--loglevel:word", abbrev=False)
#: hdfs getconf: where the cluster's daemons are; a key only when its name says no secret
_GETCONF = Tool(sub={**{k: _go("", 0) for k in (
    "-namenodes", "-secondaryNameNodes", "-backupNodes", "-journalNodes", "-nnRpcAddresses",
    "-includeFile", "-excludeFile")}, "-confKey": _go("", 1, "hadoop-key")})
HDFS = Tool(allow=_HADOOP_GLOBAL, sub={
    "dfs": _FS_SHELL,
    "getconf": _GETCONF,
    # HA state of the name nodes (never -transitionTo*/-failover)
    "haadmin": Tool(sub={"-getServiceState": _go("", 1), "-getAllServiceState": _go(""),
                         "-checkHealth": _go("", 1)}),
    # the cluster report and safe mode's state (never -safemode enter/leave, -refresh*,
    # -setQuota, -saveNamespace, -finalizeUpgrade, -metasave: a file on the name node)
    "dfsadmin": Tool(sub={
        "-report": _go("-live -dead -decommissioning -enteringmaintenance -inmaintenance"),
        "-safemode": Tool(sub={"get": _go("")}),
        "-printTopology": _go("")}),
    # block health (never -move to /lost+found or -delete)
    "fsck": _go("-files -blocks -locations -racks -openforwrite -list-corruptfileblocks "
                "-includeSnapshots -storagepolicies -maintenance -replicaDetails "
                "-upgradedomains -showprogress", 1, "hdfs-paths"),
    "lsSnapshottableDir": _go(""),
    "version": _go(""), "classpath": _go("--glob"), "--version": ANY})

#: yarn: applications, attempts, containers, nodes, queues and their logs (never -kill,
#: -movetoqueue, -changeQueue, -updatePriority, -updateLifetime, -signal, rmadmin, logs -out:
#: a local directory)
#: (subcommands of safe.py's yarn, the JavaScript package manager's name too: neither has
#: these words as its own; a package script of that name would be the site's code, as yarn
#: test is)
_YARN_LIST = "-appStates:any -appTypes:any -appTags:any"
YARN: dict[str, Entry] = {
    "application": Tool(sub={"-list": _go(_YARN_LIST), "-status": _go("", 1)}),
    "applicationattempt": Tool(sub={"-list": _go("", 1), "-status": _go("", 1)}),
    "container": Tool(sub={"-list": _go("", 1), "-status": _go("", 1)}),
    "node": Tool(sub={"-list": _go("-all -states:any -showDetails"), "-status": _go("", 1)}),
    "queue": Tool(sub={"-status": _go("", 1)}),
    # the resource managers' HA state (never -transitionTo*/-failover/-refresh*)
    "rmadmin": Tool(sub={"-getServiceState": _go("", 1), "-getAllServiceState": _go("")}),
    "logs": _go("-applicationId:word -appOwner:word -containerId:word -nodeAddress:any "
                "-log_files:any -log_files_pattern:any -am:any -show_application_log_info "
                "-show_container_log_info -size:num -size_limit_mb:num -list_nodes")}

#: mapred: jobs and queues (never -kill, -kill-task, -fail-task, -set-priority, -submit,
#: -history -outfile: a file)
MAPRED = Tool(allow=_HADOOP_GLOBAL, sub={
    "job": Tool(sub={"-list": _go("", 1), "-status": _go("", 1), "-counter": _go("", 3),
                     "-events": _go("", 3), "-list-active-trackers": _go(""),
                     "-list-blacklisted-trackers": _go("")}),
    "queue": Tool(sub={"-list": _go(""), "-info": _go("-showJobs", 1)}),
    "version": _go(""), "classpath": _go("--glob")})

HADOOP = Tool(allow=_HADOOP_GLOBAL, sub={
    "fs": _FS_SHELL, "dfs": _FS_SHELL,
    "version": _go(""), "classpath": _go("--glob"), "checknative": _go("-a -h"),
    "--version": ANY})

# --- SQL engines: Hive, Trino/Presto, csvsql -----------------------------------------------------
#: Hive substitutes ${env:X}, ${system:X} and ${hivevar:X} in the statement text, on the
#: client (hive) and on the server (beeline): a secret of either environment, or SQL other
#: than the text the guard judged
_SUBST = re.compile(r"\$\{")


def _no_substitution(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [v for v in _values(pairs, "-e") if _SUBST.search(v)]
    return "a ${...} in the statement is replaced by a variable (the environment's too)" \
        if bad else None


#: name -> (dialect, option holding the SQL, a check of the rest, SQL required); safe.py
#: judges the SQL with sql_read_only after the check
SQL_CLIENTS: dict[str, tuple[str | None, str, Check | None, bool]] = {
    "hive-sql": ("hive", "-e", _no_substitution, True),
    "trino-sql": ("trino", "--execute", None, True),
    # csvsql --query runs on an in-memory SQLite of the files (never --db, --insert)
    "csvsql-sql": (None, "--query", None, False),
}

# beeline: -e of reads against HiveServer2 inside the site. Never -f/-i (files of statements),
# --hiveconf/--hivevar/-d (settings, variables, a driver class), -p/-w (a password, a
# password file), --property-file, -a (auth type), -r (reconnect: a saved URL)
_BEELINE = Shape(check="hive-sql", max_operands=0, allow=opts(
    "-u:hiveurl -n:word -e:any --outputformat:?word --silent:?word --showHeader:?word "
    "--headerInterval:?num --incremental:?word --verbose:?word --fastConnect:?word "
    "--force:?word --maxWidth:?num --maxColumnWidth:?num --nullemptystring:?word "
    "--color:?word --showWarnings:?word --showNestedErrs:?word --numberFormat:?any "
    "--delimiterForDSV:?any --truncateTable:?word --showDbInPrompt:?word --version",
    abbrev=False))
# hive CLI: -e of reads (never -f/-i, --hiveconf, --hivevar/-d/--define, -H)
_HIVE = Shape(check="hive-sql", max_operands=0, allow=opts(
    "-e:any -S|--silent -v|--verbose --database:word --version", abbrev=False))
# trino/presto CLI: --execute of reads against a server inside the site. Never -f/--file,
# --password (prompts; stdin), --access-token/--extra-credential/--keystore-*/--krb5-*
# (credentials), --session/--session-user/--role (settings, identities), --http-proxy/
# --socks-proxy, --external-authentication, --config (a file of options)
_TRINO = Shape(check="trino-sql", max_operands=0, allow=opts(
    "--server:siteaddr --catalog:word --schema:word --execute:any --output-format:word "
    "--user:word --source:any --client-tags:any --client-info:any --timezone:any "
    "--progress --ignore-errors --disable-compression --insecure --no-progress "
    "--client-request-timeout:any --trace-token:word --disable-auto-suggestion --version",
    abbrev=False))

_CSV_COMMON = ("-d|--delimiter:any -t|--tabs -q|--quotechar:any -u|--quoting:num "
               "-b|--no-doublequote -p|--escapechar:any -z|--maxfieldsize:num "
               "-e|--encoding:word -L|--locale:word -S|--skipinitialspace --blanks "
               "--null-value:any --date-format:any --datetime-format:any -H|--no-header-row "
               "-K|--skip-lines:num -v|--verbose -l|--linenumbers --zero -V|--version "
               "-I|--no-inference ")

# --- Miller --------------------------------------------------------------------------------------
#: main flags: formats and separators (never -I: in place, --prepipe/--prepipex: a command,
#: --load/--mload: DSL files, -s: an arguments file, --ofmt is a number format)
_MLR_MAIN = opts(
    "--icsv --ocsv --csv -c --itsv --otsv --tsv -t --ijson --ojson --json -j --ijsonl --ojsonl "
    "--jsonl --inidx --onidx --nidx --ixtab --oxtab --xtab --ipprint --opprint --pprint "
    "--imd --omd --imarkdown --omarkdown --iusv --ousv --iasv --oasv --idkvp --odkvp --dkvp "
    "--c2t --c2d --c2n --c2j --c2l --c2p --c2b --c2x --c2m --t2c --t2d --t2n --t2j --t2l "
    "--t2p --t2b --t2x --t2m --j2c --j2t --j2d --j2n --j2l --j2p --j2b --j2x --j2m --l2c "
    "--l2t --l2d --l2n --l2j --l2p --l2b --l2x --l2m --x2c --x2t --x2d --x2n --x2j --x2p "
    "--x2b --x2m --p2c --p2t --p2d --p2n --p2j --p2x --p2m -p "
    "--ifs:any --ofs:any --fs:any --ips:any --ops:any --ps:any --irs:any --ors:any --rs:any "
    "--repifs --implicit-csv-header --hi --headerless-csv-output --ho --headerless-csv-input "
    "--allow-ragged-csv-input --ragged --barred --barred-input --right --xvright "
    "--from:any -n --nr-progress-mod:num --records-per-batch:num --flatsep:any "
    "--oflatsep:any --no-auto-flatten --no-auto-unflatten --ofmt:any --fflatsep:any "
    "-M|--no-color -C|--always-color --key-color:word --value-color:word --no-fflatsep "
    "--jvstack --no-jvstack --jlistwrap --no-jlistwrap --jvquoteall --quote-all "
    "--quote-original --lazy-quotes --csvlite --tsvlite --nr:num --infer-none -S "
    "--infer-octal -O --infer-int-as-float -A --no-infer-octal --tz:any --nidx "
    "--gzin --bz2in --zin --zstdin --idkvp --ifs-regex:any --ips-regex:any "
    "--version", "go")
_F = "-f:any "
#: verbs that only reshape records; DSL verbs (put, filter) are judged by their expression.
#: Never tee/split (write files), nothing that runs a command (the DSL's system/exec/
#: redirects), case -i? (harmless, left out for brevity)
_MLR_VERBS = {
    "cat": "-n -N:any -g:any --filename --filenum",
    "head": "-n:num -g:any", "tail": "-n:num -g:any",
    "sort": "-f:any -r:any -nf:any -nr:any -c:any -cr:any -t:any -tr:any -natural:any",
    "stats1": "-a:any -f:any -g:any --fr:any --gr:any -i -s",
    "stats2": "-a:any -f:any -g:any -v",
    "count": "-d -n -o:any -g:any",
    "count-distinct": "-f:any -n -u",
    "count-similar": "-g:any -o:any",
    "uniq": "-g:any -x:any -c -n -o -a -d -u",
    "cut": "-f:any -o -x -r",
    "having-fields": "--at-least:any --which-are:any --at-most:any --all-defined:any "
                     "--any-defined:any",
    "label": "", "rename": "-r -g", "reorder": "-f:any -e:any",
    "regularize": "", "group-by": "", "group-like": "",
    "top": "-f:any -g:any -n:num -a --min --max -o:any",
    "decimate": "-n:num -b -e -g:any",
    "fill-down": "-f:any -a --all --only-if-blank --only-if-any-blank",
    "fill-empty": "-v:any -S --only-if-blank",
    "flatten": "-f:any -s:any", "unflatten": "-f:any -s:any",
    "json-parse": "-f:any -k", "json-stringify": "-f:any --jvstack --no-jvstack",
    "histogram": "-f:any --lo:num --hi:num --nbins:num --auto -o:any",
    "merge-fields": "-a:any -f:any -r:any -c:any -o:any -k -i",
    "most-frequent": "-f:any -b -o:any", "least-frequent": "-f:any -b -o:any",
    "nothing": "", "sec2gmt": "-1 -3 -6 -9 --millis2gmt --micros2gmt --nanos2gmt",
    "sec2gmtdate": "", "skip-trivial-records": "",
    "sparsify": "-s:any -f:any", "unsparsify": "-f:any --fill-with:any",
    "step": "-a:any -f:any -g:any -d:any -o:any",
    "summary": "-a:any -x:any --transpose",
    "template": "-f:any --fill-with:any", "nest": "--ivar:any --evar:any --explode "
    "--implode --values --pairs --across-records --across-fields -f:any --nested-fs:any "
    "--nested-ps:any",
    "sort-within-records": "-r", "sort-within-records-values": "-r",
    "altkv": "", "grep": "-i -v -a", "format-values": "-n -i:any -f:any -s:any",
    "fraction": "-f:any -g:any -p -c", "gap": "-n:num -g:any",
    "join": "-f:any -j:any -l:any -r:any --lp:any --rp:any --np --ul --ur -u -i:any",
    "sample": "-k:num -g:any", "shuffle": "", "bootstrap": "-n:num",
    "seqgen": "-f:any --start:num --stop:num --step:num",
    "utf8-to-latin1": "", "latin1-to-utf8": "",
    "put": "-q -S -F -x -e:any -s:any", "filter": "-q -S -F -x -e:any -s:any",
}
_MLR_VERB_OPTS = {k: opts(v, "go") for k, v in _MLR_VERBS.items()}
#: DSL words that reach outside the records: commands, the environment, output redirects
#: (tee/emit/print/dump > file, | command)
_MLR_DSL_BAD = frozenset({
    "system", "exec", "ENV", "os_type", "hostname", "tee", "emit", "emitp", "emitf", "emit1",
    "print", "printn", "eprint", "eprintn", "dump", "edump", "load", "subr", "call"})
_MLR_IDENT = re.compile(r"(?<![$@\w])[A-Za-z_][A-Za-z0-9_]*+")


def _without_strings(expr: str, quotes: str = '"') -> str:
    """``expr`` with the text of its strings (in ``quotes``, backslash escapes) dropped, in
    one pass: an unclosed string runs to the end."""
    out: list[str] = []
    quote = ""
    escaped = False
    for ch in expr:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
                out.append(ch)
        else:
            out.append(ch)
            quote = ch if ch in quotes else ""
    return "".join(out)


def _mlr_dsl_why(expr: str) -> str | None:
    code = _without_strings(expr)
    if "#" in code:
        return "a comment in the DSL (a quote inside it would hide what follows)"
    for w in _MLR_IDENT.findall(code):
        if w in _MLR_DSL_BAD:
            return f"the DSL word {w!r} reaches outside the records (commands, the " \
                   "environment, files)"
    return None


#: verbs whose first operand is field names, a pattern or a renaming, not a file
_MLR_NAMES_FIRST = frozenset({"rename", "label", "group-by", "group-like", "grep", "sec2gmt",
                              "sec2gmtdate"})


def _check_mlr(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``mlr [main flags] VERB [flags] {then VERB [flags]} [FILE...]``: listed flags and verbs
    only, each resolved by the allow-list parser; a DSL expression reaches nothing outside
    the records; files are local (Miller fetches a URL)."""
    words = c.args
    i = 0
    files: list[str] = []
    while i < len(words) and words[i].startswith("-"):
        got = option_at(_MLR_MAIN, words, i)
        if isinstance(got, str):
            return got
        files += _values(got[0].pairs, "-from")
        i += got[1]
    if i >= len(words):
        return None if words == ("--version",) else "mlr without a verb"
    segments: list[list[str]] = [[]]
    for w in words[i:]:
        if w == "then":
            segments.append([])
        else:
            segments[-1].append(w)
    for n, seg in enumerate(segments):
        verb = seg[0] if seg else ""
        if verb not in _MLR_VERB_OPTS:
            return f"verb {verb!r} is not one known to only reshape records"
        p = parse_opts(_MLR_VERB_OPTS[verb], tuple(seg[1:]))
        if isinstance(p, str):
            return f"{verb}: {p}"
        vops = list(p.ops)
        if verb in ("put", "filter"):
            exprs = _values(p.pairs, "-e") or vops[:1]
            if not exprs:
                return f"{verb} without an expression"
            vops = vops if _values(p.pairs, "-e") else vops[1:]
            why = next((w for w in map(_mlr_dsl_why, exprs) if w), None)
            if why:
                return why
        elif verb in _MLR_NAMES_FIRST:
            vops = vops[1:]
        if verb == "join":
            files += _values(p.pairs, "-f")
        if vops and n != len(segments) - 1:
            return f"{verb}: {vops[0]!r} before another verb"
        files += vops
    bad = [f for f in files if "://" in f]
    return f"{bad[0]!r} is not a local file" if bad else None


# --- columnar and scientific file readers --------------------------------------------------------
# parquet-cli (parquet-mr): never convert/convert-csv/to-avro (-o writes), schema -o
_PARQUET_CLI = Tool(allow=opts(""), sub={
    **{k: _shape("", None, "local-files") for k in ("meta", "footer", "pages",
                                                      "dictionary", "column-index",
                                                      "column-size", "check-stats")},
    "schema": _shape("--parquet", None, "local-files"),
    **{k: _shape("-n|--num-records:num -c|--column|--columns:any", None, "local-files")
       for k in ("head", "cat", "scan")},
    "version": _go(""), "help": _go("", 1)})
# pqrs: never merge (-o writes)
_PQRS = Tool(allow=opts("-d|--debug -V|--version"), sub={
    "cat": _shape("-j|--json -c|--csv --csv-data-only", None, "local-files"),
    "head": _shape("-n|--records:num -j|--json -c|--csv", None, "local-files"),
    "rowcount": _shape("", None, "local-files"),
    "schema": _shape("-d|--detailed -j|--json", None, "local-files"),
    "size": _shape("-p|--pretty -c|--compressed", None, "local-files"),
    "sample": _shape("-n|--records:num -j|--json -c|--csv", None, "local-files")})
# avro-tools: never fromjson/fromtext/recodec/concat/random/trevni_* (write files),
# rpcsend/rpcreceive (network), compile/idl (write code), induce (loads classes)
_AVRO = Tool(allow=opts(""), sub={
    "getschema": _shape("", 1, "local-files"), "getmeta": _shape("--key:any", 1, "local-files"),
    "count": _shape("", 1, "local-files"),
    "tojson": _shape("--pretty --head:?num", 1, "local-files")})

# --- Kafka and ZooKeeper -------------------------------------------------------------------------
#: every Kafka tool: a broker inside the site; never --command-config/--consumer.config/
#: --admin.config/--config (property files: credentials, classes)
_KAFKA_ADDR = "--bootstrap-server:siteaddr --zookeeper:siteaddr --version --help "


def _kafka(spec: str, check: str | None = None) -> Shape:
    # jopt-simple: a unique prefix of a long option is that option
    return Shape(max_operands=0, check=check, allow=opts(_KAFKA_ADDR + spec))


def _check_one_of(*modes: str) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if _has(pairs, "--version", "--help"):
            return None
        return None if _has(pairs, *modes) else f"{c.name} without {' or '.join(modes)}"
    return check


def _check_consumer_groups(c: SimpleCommand, rest: Words, ops: Words,
                           pairs: Pairs) -> str | None:
    """--list, --describe, or --reset-offsets as a --dry-run (without --execute it only
    prints the plan; --dry-run says so)."""
    if _has(pairs, "--reset-offsets") and not _has(pairs, "--dry-run"):
        return "--reset-offsets without --dry-run"
    return _check_one_of("--list", "--describe", "--reset-offsets")(c, rest, ops, pairs)


#: console consumer --property: the formatter's printing switches (never a deserializer
#: class, nor a group or consumer setting)
_PRINT_PROPS = re.compile(r"(?:print\.(?:timestamp|key|value|offset|partition|headers|"
                          r"value\.schema\.id|epoch|delivery)|(?:key|line|headers)\.separator|"
                          r"null\.literal)=[^\n]*+")


def _check_console_consumer(c: SimpleCommand, rest: Words, ops: Words,
                            pairs: Pairs) -> str | None:
    bad = [v for v in _values(pairs, "--property") if not _PRINT_PROPS.fullmatch(v)]
    if bad:
        return f"--property {bad[0]!r} is not a printing switch"
    return None if _has(pairs, "--topic", "--include", "--whitelist", "--version") else \
        "a console consumer without --topic"


_KAFKA_TOPICS = _kafka("--list --describe --topic:any --exclude-internal "
                       "--under-replicated-partitions --under-min-isr-partitions "
                       "--at-min-isr-partitions --unavailable-partitions "
                       "--topics-with-overrides", "kafka-list")
_KAFKA_GROUPS = _kafka("--list --describe --group:any --all-groups --members --offsets "
                       "--state:?any --verbose --timeout:num --reset-offsets --dry-run "
                       "--to-latest --to-earliest --to-current --to-offset:num "
                       "--shift-by:any --to-datetime:any --by-duration:any --topic:any "
                       "--all-topics --export --type:?any", "kafka-groups")
# kafka-configs: --describe only (never --alter/--add-config/--delete-config); sensitive
# broker settings print as null
_KAFKA_CONFIGS = _kafka("--describe --entity-type:word --entity-name:any --entity-default "
                        "--all --broker:any --broker-defaults --topic:any "
                        "--broker-logger:any --client:any --user:any --ip:any",
                        "kafka-describe")
_KAFKA_LOGDIRS = _kafka("--describe --topic-list:any --broker-list:any", "kafka-describe")
_KAFKA_OFFSETS = _kafka("--topic:any --partitions:any --time:any --topic-partitions:any "
                        "--exclude-internal-topics")
_KAFKA_ACLS = _kafka("--list --topic:any --group:any --cluster --transactional-id:any "
                     "--principal:any --resource-pattern-type:word", "kafka-acl-list")
_KAFKA_CONSUMER = _kafka("--topic:any --include:any --whitelist:any --partition:num "
                         "--offset:any --from-beginning --max-messages:num --timeout-ms:num "
                         "--property:any --isolation-level:word --skip-message-on-error",
                         "console-consumer")
_KAFKA_QUORUM = Tool(allow=opts("--bootstrap-server:siteaddr --bootstrap-controller:siteaddr",
                                abbrev=False),
                     sub={"describe": _shape("--status --replication --human-readable", 0)})


def _kafka_names(name: str, entry: Entry) -> dict[str, Entry]:
    return {name: entry, name + ".sh": entry}


#: kcat (kafkacat): metadata (-L), a bounded read (-C) or offsets by time (-Q). Never -P
#: (produce), -G (a balanced consumer group: commits offsets), -X/-F (librdkafka properties,
#: a config file: plugin.library.paths loads code), -r/-s avro (a schema registry URL), -d
#: (debug may print credentials), -T (tees produced messages)
_KCAT = Shape(max_operands=0, check="kcat", allow=opts(
    "-L -C -Q -b:siteaddr -t:any -p:any -o:any -c:num -e -f:any -J -q -v -u -E -K:any "
    "-D:any -Z -m:num -V -h -1 -O"))


def _check_kcat(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if _has(pairs, "-V", "-h"):
        return None
    if not _has(pairs, "-L", "-C", "-Q"):
        return "kcat without -L, -C or -Q (a producer by default when stdin is not a tty)"
    return None


#: ZooKeeper's shell: reads of the tree's names and its state (never get: the values of
#: znodes hold SCRAM salts and other clients' settings; never create/set/delete/deleteall/
#: rmr/setAcl/addauth/reconfig/redo/connect/close/sync/setquota/delquota)
_ZK_READS = frozenset({"ls", "ls2", "stat", "getAcl", "getAllChildrenNumber",
                       "getEphemerals", "listquota", "whoami", "version", "config"})


def _check_zk_ops(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    cmd = ops[1:] if c.name.startswith("zookeeper-shell") else ops
    if c.name.startswith("zookeeper-shell") and (not ops or _site_endpoints(ops[0])):
        return "zookeeper-shell's first operand is not a server inside the site"
    if not cmd or cmd[0] not in _ZK_READS:
        return f"ZooKeeper command {cmd[0] if cmd else ''!r} is not a listed read " \
               "(none reads stdin)"
    return None


_ZK_SHELL = Shape(check="zk-ops", max_operands=4, allow=opts("-s -R -w", "go"))
_ZKCLI = Shape(check="zk-ops", max_operands=4, allow=opts(
    "-server:siteaddr -timeout:num -s -R -w -waitforconnection", "go"))

# pulsar-admin: listings and stats (never create/delete/unload/grant/set-*/reset-cursor/
# skip/clear-backlog/expire-messages, --auth-params/--auth-plugin/--tls-*: credentials and
# classes)
_PULSAR_ANY = _go("", 1)
_PULSAR = Tool(allow=opts("--admin-url:siteaddr", abbrev=False), sub={
    "topics": Tool(sub={k: _PULSAR_ANY for k in (
        "list", "list-partitioned-topics", "stats", "stats-internal", "partitioned-stats",
        "subscriptions", "get-partitioned-topic-metadata", "lookup")}),
    "clusters": Tool(sub={"list": _go(""), "get": _go("", 1)}),
    "tenants": Tool(sub={"list": _go(""), "get": _go("", 1)}),
    "namespaces": Tool(sub={"list": _go("", 1), "topics": _go("", 1),
                            "policies": _go("", 1)}),
    "brokers": Tool(sub={"list": _go("", 1), "healthcheck": _go(""),
                         "leader-broker": _go("")}),
    "--version": ANY, "version": _go("")})

# --- RabbitMQ ------------------------------------------------------------------------------------
#: rabbitmqctl / rabbitmq-diagnostics: listings and health of a node inside the site. Never
#: environment/report/list_parameters/list_global_parameters/os_env/erlang_cookie_hash
#: (settings and parameters hold shovel and federation URIs with passwords, the cookie),
#: list_users/list_permissions (who may do what: the accounts to attack),
#: eval (Erlang code), and every verb that changes state (add_/delete_/set_/clear_/purge_/
#: stop/reset/close_connection...)
_RMQ_COMMON = ("-n|--node:erlnode -q|--quiet -s|--silent -t|--timeout:num --formatter:word "
               "-l|--longnames --no-table-headers ")
_RMQ = _shape(_RMQ_COMMON + "-p|--vhost:any --offline --local --online", None,
              "plain-operands")
_RMQCTL = Tool(allow=opts(_RMQ_COMMON, abbrev=False), sub={
    **{k: _RMQ for k in (
        "list_queues", "list_exchanges", "list_bindings", "list_connections",
        "list_channels", "list_consumers", "list_vhosts", "list_policies",
        "list_operator_policies", "list_feature_flags", "list_unresponsive_queues",
        "list_vhost_limits", "list_user_limits")},
    **{k: _shape(_RMQ_COMMON, 0) for k in (
        "status", "cluster_status", "node_health_check", "version", "ping",
        "await_startup")}})
_RMQ_DIAG = Tool(allow=opts(_RMQ_COMMON, abbrev=False), sub={
    **{k: _shape(_RMQ_COMMON, 0) for k in (
        "status", "ping", "check_running", "check_local_alarms", "check_alarms", "alarms",
        "listeners", "check_port_listener", "check_protocol_listener", "check_virtual_hosts",
        "cluster_status", "server_version", "check_certificate_expiration", "certificates",
        "discover_peers", "is_running", "is_booting", "tls_versions", "cipher_suites",
        "check_if_node_is_quorum_critical", "check_if_node_is_mirror_sync_critical",
        "check_port_connectivity", "quorum_status", "log_location", "runtime_thread_stats",
        "maybe_stuck", "resolver_info",
        "list_network_interfaces", "check_for_quorum_queues_without_an_elected_leader",
        "list_policies_that_match")},
    "memory_breakdown": _shape(_RMQ_COMMON + "--unit:word", 0),
    "log_tail": _shape(_RMQ_COMMON + "-N|--number:num", 0)})
_RMQ_PLUGINS = Tool(allow=opts(_RMQ_COMMON, abbrev=False), sub={
    "list": _shape(_RMQ_COMMON + "-v|--verbose -m|--minimal -E|--enabled "
                   "-e|--implicitly-enabled", 1),
    "directories": _shape(_RMQ_COMMON + "--offline --online", 0)})
#: rabbitmqadmin (the management API): list/show of objects (never users: password hashes;
#: parameters/definitions: URIs with passwords, export; never -p (a password on the command
#: line), -c (a config file), -H elsewhere, get/publish/declare/delete/purge/close)
_RMQADMIN_GLOBAL = ("-H|--host:siteaddr -P|--port:num -V|--vhost:any -u|--username:word "
                    "-N|--node:word -f|--format:word -d|--depth:num -s|--ssl -k|--ssl-insecure "
                    "-q|--quiet --sort:any --sort-reverse ")
_RMQADMIN_OBJ = _shape(_RMQADMIN_GLOBAL, None)
_RMQADMIN = Tool(allow=opts(_RMQADMIN_GLOBAL, abbrev=False), sub={
    "list": Tool(sub={k: _RMQADMIN_OBJ for k in (
        "queues", "exchanges", "bindings", "connections", "channels", "consumers", "nodes",
        "vhosts", "policies", "operator_policies", "vhost_limits",
        "feature_flags")}),
    "show": Tool(sub={"overview": _RMQADMIN_OBJ}),
    "--version": ANY})

# --- NATS ----------------------------------------------------------------------------------------
#: nats (kingpin: flags anywhere): a server inside the site; never --creds/--nkey/--user/
#: --password/--jwt/--tlskey (credentials), pub/req/request/reply (send), rm/purge/edit/add/
#: backup/restore/copy, kv get (values), context info/edit/save (credentials), stream view
#: and consumer next (acknowledge messages)
_NATS_GLOBAL = ("-s|--server:siteaddr --context:word --timeout:any -j|--json --no-context "
                "--tlsfirst ")


def _nats(spec: str = "", max_operands: int | None = 1) -> Shape:
    return _shape(_NATS_GLOBAL + spec, max_operands)


_NATS_LS = _nats("-a|--all -n|--names --subject:any --no-select", 0)
_NATS = Tool(allow=opts(_NATS_GLOBAL, abbrev=False), sub={
    "stream": Tool(sub={
        **dict.fromkeys(("ls", "list"), _NATS_LS),
        **dict.fromkeys(("info", "i"), _nats("--state --config --no-select")),
        "report": _nats("-o|--observers --raw --leaders --sort:word", 0),
        "subjects": _nats("--sort:word --names", 2)}),
    "consumer": Tool(sub={
        **dict.fromkeys(("ls", "list"), _nats("-n|--names --no-select", 1)),
        **dict.fromkeys(("info", "i"), _nats("--no-select", 2)),
        "report": _nats("--raw --leaders --sort:word", 1)}),
    "server": Tool(sub={
        "check": Tool(sub={k: _nats("--rtt-warn:any --rtt-critical:any", 0) for k in (
            "connection", "jetstream", "stream", "consumer", "server")}),
        "ping": _nats("-c|--count:num --graph", 0),
        "list": _nats("", 1), "info": _nats("", 1)}),
    "account": Tool(sub={"info": _nats("", 0)}),
    "kv": Tool(sub={**dict.fromkeys(("ls", "list"), _nats("-n|--names", 1)),
                    "status": _nats("", 1), "info": _nats("", 1)}),
    # core subscription: prints what is published (no acknowledgement, no JetStream)
    "sub": _nats("-c|--count:num --raw -r --headers-only --timeout:any", 1),
    "--version": ANY})

# --- HashiCorp: Consul, Nomad --------------------------------------------------------------------
#: the local agent's HTTP API (its default address): never -http-addr/-address (the
#: environment's CONSUL_HTTP_TOKEN/NOMAD_TOKEN would go there, as tests/guard/test_sre_classes
#: decided), -token/-token-file (a secret), -ca-*/-client-*/-tls-server-name
_CONSUL_HTTP = "-datacenter:word -stale -namespace:word -partition:word "
_CONSUL = Tool(allow=opts("", "go"), sub={
    "members": _go(_CONSUL_HTTP + "-detailed -status:any -segment:any -wan -format:word"),
    "catalog": Tool(sub={
        "services": _go(_CONSUL_HTTP + "-node:any -tags -node-meta:any -filter:any"),
        "nodes": _go(_CONSUL_HTTP + "-service:any -detailed -near:any -node-meta:any "
                     "-filter:any"),
        "datacenters": _go(_CONSUL_HTTP)}),
    "info": _go(_CONSUL_HTTP),
    "operator": Tool(sub={"raft": Tool(sub={"list-peers": _go(_CONSUL_HTTP)}),
                          "autopilot": Tool(sub={"state": _go(_CONSUL_HTTP)})}),
    "version": _go(""), "--version": ANY})
#: nomad: status of jobs, nodes, allocations, deployments, evaluations; allocation logs.
#: Never -json (the whole job spec: env, templates), job run/stop/dispatch/revert/scale/
#: inspect (the spec holds templates and secrets),
#: alloc exec/restart/stop/signal/fs, node drain/eligibility, -t (Go templates), -token
_NOMAD_HTTP = "-region:word -namespace:word "
_NOMAD_STATUS = _go(_NOMAD_HTTP + "-verbose -short", 1)
_NOMAD = Tool(allow=opts("", "go"), sub={
    "status": _NOMAD_STATUS,
    "job": Tool(sub={
        "status": _go(_NOMAD_HTTP + "-verbose -short -evals -all-allocs", 1),
        "history": _go(_NOMAD_HTTP + "-version:num", 1),
        "allocs": _go(_NOMAD_HTTP + "-verbose -all", 1),
        "deployments": _go(_NOMAD_HTTP + "-verbose -latest -all", 1)}),
    "node": Tool(sub={"status": _go(_NOMAD_HTTP + "-self -stats -verbose -allocs -short", 1)}),
    "alloc": Tool(sub={
        "status": _go(_NOMAD_HTTP + "-verbose -stats -short", 1),
        "logs": _go(_NOMAD_HTTP + "-stderr -stdout -tail -n:num -c:num -f -job -task:word "
                    "-verbose", 2)}),
    "server": Tool(sub={"members": _go(_NOMAD_HTTP + "-detailed -verbose")}),
    "deployment": Tool(sub={"list": _go(_NOMAD_HTTP + "-verbose"),
                            "status": _go(_NOMAD_HTTP + "-verbose", 1)}),
    "eval": Tool(sub={"list": _go(_NOMAD_HTTP + "-verbose -job:any -status:word"),
                      "status": _go(_NOMAD_HTTP + "-verbose", 1)}),
    "operator": Tool(sub={"raft": Tool(sub={"list-peers": _go(_NOMAD_HTTP)})}),
    "version": _go(""), "--version": ANY})

# --- Databricks, Spark, Prefect ------------------------------------------------------------------
#: databricks (the unified CLI, cobra: exact flags): listings and descriptions (never --debug/
#: --log-level: request logs may carry the token; the same for nats --trace, rpk -v, trino
#: --debug, the mongo tools' -v). Never auth
#: token/env/describe (print tokens), secrets get-secret, fs cp/rm/mkdir, jobs run-now/
#: submit/delete/reset, clusters create/edit/delete/start/restart, workspace import/export/
#: delete, --host (the profile names the workspace its token is for); never get of a cluster,
#: job, pipeline or warehouse nor -o json (the specs carry spark_env_vars and parameters)
_DBX_GLOBAL = "-p|--profile:word -t|--target:word "
_DBX_LIST = ("--limit:num --offset:num --page-token:any --expand-tasks --name:any "
             "--active-only --completed-only --job-id:num --cluster-id:word ")


def _dbx(spec: str = "", max_operands: int | None = 1) -> Shape:
    return _shape(_DBX_GLOBAL + _DBX_LIST + spec, max_operands)


_DATABRICKS = Tool(allow=opts(_DBX_GLOBAL, abbrev=False), sub={
    "clusters": Tool(sub={k: _dbx() for k in ("list", "list-node-types", "spark-versions",
                                               "list-zones", "events")}),
    "jobs": Tool(sub={k: _dbx() for k in ("list", "list-runs")}),
    "runs": Tool(sub={"list": _dbx("--run-id:num")}),
    "fs": Tool(sub={"ls": _dbx("-l|--long --absolute"), "cat": _dbx()}),
    "workspace": Tool(sub={"list": _dbx(), "get-status": _dbx()}),
    "current-user": Tool(sub={"me": _dbx("", 0)}),
    "warehouses": Tool(sub={"list": _dbx()}),
    "pipelines": Tool(sub={"list-pipelines": _dbx(), "list-pipeline-events": _dbx()}),
    "catalogs": Tool(sub={"list": _dbx()}), "schemas": Tool(sub={"list": _dbx()}),
    "tables": Tool(sub={"list": _dbx(), "get": _dbx()}),
    # the names of scopes and keys (never their values)
    "secrets": Tool(sub={"list-scopes": _dbx("", 0), "list-secrets": _dbx()}),
    "version": _dbx("", 0), "--version": ANY})

#: spark-submit --status of a driver on a master inside the site (never an application: the
#: code it runs; never --kill)
_SPARK_MASTER = re.compile(r"(?:spark|mesos)://.+|yarn|local(?:\[(?:\d{1,4}|\*)\])?")


def _check_spark_status(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if _has(pairs, "--version"):
        return None
    if not _values(pairs, "--status"):
        return "spark-submit other than --status runs an application"
    for m in _values(pairs, "--master"):
        addr = m.split("://", 1)[1] if "://" in m else m
        if not _SPARK_MASTER.fullmatch(m) or ("://" in m and _site_endpoints(addr)):
            return f"--master {m!r} is not a master inside the site"
    return None


_SPARK_SUBMIT = Shape(check="spark-status", max_operands=0, allow=opts(
    "--status:word --master:any --version --verbose", abbrev=False))

#: prefect: listings and run logs from the profile's API (never run/cancel/delete/set/
#: config view --show-secrets, deployment run, block inspect: a block's secrets; nor
#: deployment/flow-run/work-pool inspect: parameters and job variables, env among them)
_PREFECT = Tool(allow=opts("--profile:word", abbrev=False), sub={
    "version": _go(""),
    "deployment": Tool(sub={"ls": _shape("--flow-name:any", 0)}),
    "flow-run": Tool(sub={"ls": _shape("--limit:num --state:any --state-type:any "
                                       "--flow-name:any", 0),
                          "logs": _shape("--head -n|--num-logs:num --reverse --tail", 1)}),
    "flow": Tool(sub={"ls": _shape("--limit:num", 0)}),
    "work-pool": Tool(sub={"ls": _shape("--verbose", 0)}),
    "--version": ANY})

# --- environments, models ------------------------------------------------------------------------
#: mamba/micromamba: reads of environments (never install/create/update/remove/clean/run/
#: shell/config/env export -f)
_CONDA_NAME = "-n|--name:word --json "
_MAMBA = Tool(allow=opts(""), sub={
    "list": _shape(_CONDA_NAME + "-e|--export --explicit -r|--revisions -f|--full-name "
                   "--md5 -c|--canonical --show-channel-urls --no-pip", 1),
    "info": _shape("-e|--envs --json -a|--all -s|--system --base", 0),
    "env": Tool(sub={"list": _shape("--json", 0),
                     "export": _shape(_CONDA_NAME + "--no-builds --from-history "
                                      "-e|--explicit", 0)}),
    "search": _shape("-c|--channel:word --override-channels -i|--info --json "
                     "--platform:word", 1),
    "--version": ANY})
#: ollama: the local models and what runs (never run/pull/push/create/rm/cp/serve/stop)
_OLLAMA = Tool(allow=opts(""), sub={
    **dict.fromkeys(("list", "ls"), _shape("", 0)), "ps": _shape("", 0),
    "show": _shape("--license --modelfile --parameters --system --template -v|--verbose", 1),
    "--version": ANY, "-v": ANY})

# --- other stores and queues ---------------------------------------------------------------------
#: mongostat/mongotop: a host inside the site; never --uri (a password in it), -p/--password,
#: --config (a file with the password)
_MONGO_MON = ("--host:siteaddr --port:num -u|--username:word --authenticationDatabase:word "
              "--authenticationMechanism:word --ssl --tls --json --quiet "
              "-n|--rowcount:num ")
#: influx (v2): buckets, organisations, tasks, health (never query/write/delete, auth
#: (tokens), config (the tokens of every profile), backup/restore, --token, --configs-path)
_INFLUX_GLOBAL = "--host:siteaddr -o|--org:any --org-id:word --json --hide-headers " \
    "-c|--active-config:word --skip-verify "
_INFLUX = Tool(allow=opts(_INFLUX_GLOBAL, abbrev=False), sub={
    "bucket": Tool(sub={k: _shape(_INFLUX_GLOBAL + "-n|--name:any -i|--id:word", 0)
                        for k in ("list", "ls", "find")}),
    "org": Tool(sub={k: _shape(_INFLUX_GLOBAL, 0) for k in ("list", "ls", "find")}),
    "task": Tool(sub={k: _shape(_INFLUX_GLOBAL + "--limit:num", 0) for k in ("list", "ls",
                                                                             "find")}),
    "ping": _shape(_INFLUX_GLOBAL, 0), "version": _shape("", 0), "--version": ANY})
#: rq info: queues and workers (never --config/-c, --path/-P: Python modules it imports;
#: --serializer/--worker-class: classes; a URL with a password)
_RQ = Tool(allow=opts(""), sub={"info": Shape(allow=opts(
    "-u|--url:uri -i|--interval:num -R|--by-queue --only-queues --only-workers --raw "
    "-q|--quiet -v|--verbose", abbrev=False))})
#: mosquitto_sub: a bounded read of a broker inside the site. Never -L (a URL with a
#: password), -u/-P (credentials), -i/-I/-c (a client id: it takes over a client's session),
#: --will-* (publishes), --remove-retained (deletes), -o/--cafile/--cert/--key (files), -D
_MOSQ_SUB = Shape(allow=opts(
    "-h|--host:siteaddr -p|--port:num -t|--topic:any -T|--filter-out:any -C:num -W:num "
    "-v|--verbose -N -R -F:any -q|--qos:num --quiet --pretty --retained-only -V:any "
    "-E -x:num -k|--keepalive:num", abbrev=False),
    max_operands=0)

# --- CSV and text data ---------------------------------------------------------------------------
#: datamash: reads stdin only; never --sort-cmd (a program)
_DATAMASH = Shape(allow=opts(
    "-t|--field-separator:any -W|--whitespace -H|--headers --header-in --header-out "
    "-g|--group:any -s|--sort -i|--ignore-case -C|--skip-comments --narm -R|--round:num "
    "--format:any --output-delimiter:any --filler:any --full -c|--collapse-delimiter:any "
    "-z|--zero-terminated --no-strict --version --help"))
#: gron: local files or stdin (never a URL: it fetches it)
_GRON = Shape(check="local-files", allow=opts(
    "-u|--ungron -c|--colorize -m|--monochrome -s|--stream -j|--json --no-sort -v|--values "
    "--version", abbrev=False))
#: sqlite-utils: listings and rows of a database file (never query/insert/upsert/transform/
#: create-*/drop-*/enable-*/vacuum/..., --load-extension, --where/--order: SQL fragments)
_SQLU_OUT = "--nl --arrays --csv --tsv --no-headers -t|--table --fmt:word --json-cols "
_SQLITE_UTILS = Tool(allow=opts(""), sub={
    "tables": _shape(_SQLU_OUT + "--fts4 --fts5 --counts --columns --schema", 1),
    "views": _shape(_SQLU_OUT + "--counts --columns --schema", 1),
    "rows": _shape(_SQLU_OUT + "-c|--column:any --limit:num --offset:num", 2),
    "schema": _shape("", None), "indexes": _shape(_SQLU_OUT + "--aux", None),
    "triggers": _shape(_SQLU_OUT, None), "--version": ANY})

# csvsql: CREATE TABLE statements of the files, or --query on an in-memory SQLite of them
# (never --db: another database, --insert/--before-insert/--after-insert, --overwrite)
_CSVSQL = Shape(check="csvsql-sql", allow=opts(
    _CSV_COMMON + "-i|--dialect:word --query:any --tables:any --no-constraints "
    "--unique-constraint:any --chunk-size:num --min-col-len:num --col-len-multiplier:num "
    "-y|--snifflimit:num", abbrev=False))
# csvclean -n: reports the rows that are not clean (without it csvkit 1 writes NAME_out.csv
# and NAME_err.csv next to the file)
_CSVCLEAN = Shape(check="csvclean", allow=opts(
    _CSV_COMMON + "-n|--dry-run --header-normalize-space --join-short-rows "
    "--separator:any --fill-short-rows --fillvalue:any --empty-columns --omit-error-rows "
    "--label:any --enable-all-checks --length-mismatch", abbrev=False))

# --- scientific formats --------------------------------------------------------------------------
#: ncdump: headers and values of a local netCDF file (never a URL: OPeNDAP)
_NCDUMP = Shape(check="data-local", allow=opts(
    "-h -c -k -s -t -i -x -v:any -b:word -f:word -l:num -n:any -p:any -g:any", "go"))
#: gdalinfo: metadata of a local raster. Never -stats/-approx_stats/-hist (write a .aux.xml
#: next to it), -checksum (reads pixels: a VRT's derived bands), --config (GDAL settings:
#: credentials, drivers), -oo (open options), a /vsicurl/ or DRIVER: name (the network, a
#: database)
_GDALINFO = Shape(check="data-local", allow=opts(
    "-json -mm -nogcp -nomd -norat -noct -nofl -proj4 -listmdd -mdd:any "
    "-wkt_format:word -sd:num -if:word --version --formats", "go"))
#: ogrinfo: layers and features of a local vector file. Never -sql/-dialect/-where (SQL:
#: SQLite and SpatiaLite functions), --config, -oo, a DRIVER: connection (PG:, MySQL:)
_OGRINFO = Shape(check="data-local", allow=opts(
    "-ro -q -so -al -json -geom:word -fid:num -spat:any -fields:word "
    "-nomd -listmdd -mdd:any -nocount -noextent -limit:num -features -summary "
    "--version --formats", "go"))
_ORC = Shape(check="data-local", max_operands=1, allow=opts(
    "--columns:any -v|--verbose --raw --withIndex -s|--batch:num", abbrev=False))


# --- more of the catalogue's data tools (SUBCOMMANDS) ------------------------------------------
#: dvc: ls (list's alias) of the tree or its revisions, never a URL (a repository elsewhere);
#: remote list (names and URLs; credentials live in config.local, which it does not print)
_DVC_MORE: dict[str, Entry] = {
    "ls": _shape("-q|--quiet -v|--verbose -R|--recursive --dvc-only --json --rev:any --size",
                 2, "in-tree"),
    "remote": Tool(sub={"list": _shape("-q|--quiet -v|--verbose --project --local --global "
                                       "--system", 0)})}
#: mlflow artifacts list: the paths of a run's artifacts (never download, log-artifact(s),
#: --artifact-uri: a store the agent names)
_MLFLOW_MORE: dict[str, Entry] = {"artifacts": Tool(sub={"list": _shape(
    "-r|--run-id:word -a|--artifact-path:any", 0)})}
#: airflow config get-value of a setting that holds no secret, by name (never
#: sql_alchemy_conn, broker_url, result_backend, fernet_key, secret_key, a connection's
#: or a provider's settings: a list of the harmless ones, not of the secret ones)
_AIRFLOW_KEYS = frozenset({
    "executor", "dags_folder", "parallelism", "max_active_tasks_per_dag",
    "max_active_runs_per_dag", "load_examples", "default_timezone",
    "dags_are_paused_at_creation", "dag_file_processor_timeout", "dagbag_import_timeout",
    "base_log_folder", "remote_logging", "logging_level", "dag_dir_list_interval",
    "min_file_process_interval", "scheduler_heartbeat_sec", "job_heartbeat_sec",
    "parsing_processes", "base_url", "web_server_port", "worker_concurrency",
    "default_pool_task_slot_count", "catchup_by_default", "max_tis_per_query", "default_queue",
    "plugins_folder", "hostname_callable", "dag_run_conf_overrides_params", "task_runner",
    "default_task_retries", "killed_task_cleanup_time"})


def _check_airflow_key(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 2 or ops[1].lower() not in _AIRFLOW_KEYS or not re.fullmatch(
            r"[a-z_]{1,40}", ops[0]):
        return "airflow config get-value of a setting not known to hold no secret"
    return None


_AIRFLOW_MORE: dict[str, Entry] = {"config": Tool(sub={
    "get-value": Shape(check="airflow-key", max_operands=2, allow=opts("", abbrev=False))})}

#: jupyter labextension list (never install/uninstall/link/enable/disable/build)
_JUPYTER_MORE: dict[str, Entry] = {"labextension": Tool(sub={"list": _shape("--debug", 0)})}

# sqlfluff: lint and parse of the tree's SQL with its own configuration (a CODE_RUNNER: the
# Jinja templater imports library_path's macros). Never fix/format (rewrite files),
# --templater (dbt runs the project's macros against the warehouse), --config/--library-path
# (settings, code from elsewhere), --write-output/--persist-timing (files)
_SQLFLUFF_COMMON = ("--dialect:word -r|--rules:any -e|--exclude-rules:any -v|--verbose "
                    "--nocolor --ignore:any --disable-progress-bar --processes:num "
                    "--encoding:word ")
_SQLFLUFF = Tool(allow=opts("--version", abbrev=False), sub={
    "lint": _shape(_SQLFLUFF_COMMON + "-f|--format:word --nofail --annotation-level:word "
                   "--disable-noqa", None, "in-tree"),
    "parse": _shape(_SQLFLUFF_COMMON + "-f|--format:word -c|--code-only "
                    "-m|--include-meta --nofail", None, "in-tree"),
    "dialects": _shape("", 0), "rules": _shape("", 0), "version": _shape("", 0)})

# celery: the workers' state through the app's broker (-A: the site's app module, a
# CODE_RUNNER). Never conf/report (the settings, the broker URL's password), control/purge/
# call/shell/worker/beat/multi/migrate, -b/--broker (another broker), --workdir, --config
_CELERY_INSPECT = _shape("-d|--destination:any -t|--timeout:num -j|--json", 1)
_CELERY = Tool(allow=opts("-A|--app:word -q|--quiet --no-color", abbrev=False), sub={
    "inspect": Tool(sub={k: _CELERY_INSPECT for k in (
        "active", "scheduled", "reserved", "revoked", "registered", "stats", "ping",
        "active_queues", "query_task", "clock")}),
    "status": _shape("-t|--timeout:num -j|--json", 0),
    "--version": ANY})

#: cypher-shell: a read query against a server inside the site. Never -f/--file, -p/
#: --password, --param (values), a query from stdin; in the query never a clause that
#: writes (CREATE MERGE DELETE SET REMOVE DROP), loads (LOAD CSV: files and URLs), calls a
#: procedure but the schema's listings, APOC, or the shell's own :commands (:source)
_CYPHER_BAD = re.compile(r"(?i)\b(?:create|merge|delete|detach|set|remove|drop|load|foreach|"
                         r"apoc|dbms|transactions|periodic|grant|deny|revoke|alter|rename|"
                         r"terminate|start|stop|enable|use)\b|(?:^|;)\s*+:")
_CYPHER_START = re.compile(r"(?i)\A\s*+(?:match|optional\s++match|return|with|unwind|show|"
                           r"explain|profile)\b")
_CYPHER_CALLS = re.compile(r"(?i)\bcall\s++db\.(?:labels|relationshiptypes|propertykeys|"
                           r"indexes|schema\.visualization)\s*+\(\s*+\)")


def _check_cypher(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if c.heredoc is not None or c.pipe_from or any(r.op in ("<", "<<<", "<<") for r in
                                                   c.redirects):
        return "a query from stdin is not seen by the guard"
    if _has(pairs, "-v", "--version"):
        return None
    if len(ops) != 1:
        return "cypher-shell without one query reads the agent's stdin"
    if "\\" in ops[0] or "`" in ops[0]:
        return "a backslash or backtick in the query (its strings and names are not read " \
               "the way the engine reads them)"
    q = _without_strings(ops[0], "'\"")
    if "//" in q or "/*" in q:
        return "a comment in the query (a quote inside it would hide what follows)"
    q = _CYPHER_CALLS.sub("RETURN 1", q)
    if not _CYPHER_START.match(q) or re.search(r"(?i)\bcall\b", q) or _CYPHER_BAD.search(q):
        return "the query is not a plain read (it writes, loads, calls a procedure or a " \
               "shell command)"
    return None


_CYPHER_SHELL = Shape(check="cypher", allow=opts(
    "-a|--address|--uri:siteaddr -u|--username:word -d|--database:word "
    "--format:word --encryption:word --non-interactive --fail-fast --fail-at-end "
    "--sample-rows:num --wrap:word --access-mode:word -v|--version", abbrev=False))


# --- more clients of the long tail ---------------------------------------------------------------
#: rpk (Redpanda): cluster, topics and groups; a bounded read without a group. Never -X/
#: --config (settings: credentials, another broker), --user/--password/--sasl-*, produce,
#: topic create/delete/alter-config/add-partitions/trim-prefix, group seek/delete, consume -g
#: (commits offsets), acl/security/cluster config/maintenance/partitions move
_RPK_GLOBAL = "--brokers:siteaddr --profile:word "


def _rpk(spec: str = "", max_operands: int | None = 0) -> Shape:
    return _shape(_RPK_GLOBAL + spec, max_operands)


_RPK = Tool(allow=opts(_RPK_GLOBAL, abbrev=False), sub={
    "cluster": Tool(sub={"info": _rpk("-b|--print-brokers -t|--print-topics -d|--detailed"),
                         "metadata": _rpk("-b|--print-brokers -t|--print-topics "
                                          "-d|--detailed"),
                         "health": _rpk("-w|--watch -e|--exit-when-healthy"),
                         "logdirs": Tool(sub={"describe": _rpk("--topics:any "
                                                               "--aggregate-into:word")})}),
    "topic": Tool(sub={
        **dict.fromkeys(("list", "ls"), _rpk("-d|--detailed -i|--internal -r|--regex "
                                             "--format:word", None)),
        **dict.fromkeys(("describe", "info"), _rpk("-a|--print-all -c|--print-configs "
                                                   "-p|--print-partitions -s|--print-summary "
                                                   "--stable", None)),
        "consume": _rpk("-n|--num:num -o|--offset:any -p|--partitions:any -f|--format:any "
                        "--pretty-print --read-committed --fetch-max-wait:any", None)}),
    "group": Tool(sub={**dict.fromkeys(("list", "ls"), _rpk("--format:word", None)),
                       "describe": _rpk("-c|--print-commits -s|--print-summary "
                                        "-i|--instance-ID", None)}),
    "version": _rpk(""), "--version": ANY})

# hf (huggingface_hub's new CLI, as safe.py's huggingface-cli): the user name, the cache, the
# environment report, a download of a plain repository into the tree. Never auth login/
# logout/token (tokens), upload/repo/cache delete, --token
_HF = Tool(allow=opts(""), sub={
    "auth": Tool(sub={"whoami": _shape("", 0)}),
    "cache": Tool(sub={k: _shape("-v|--verbose", 0) for k in ("scan", "ls")}),
    "env": _shape("", 0), "version": _shape("", 0),
    "download": _shape("--local-dir:wdir --revision:any --include:any --exclude:any "
                       "--repo-type:word --quiet --force-download --max-workers:num", None,
                       "hf-download"),
    "--version": ANY})

# optuna: studies and trials of a store in the tree (never create-study/delete-study/
# study set-user-attr/study optimize (runs code)/storage upgrade/ask/tell, a database URL)
_OPTUNA_STORE = "--storage:mlstore --study-name:any -f|--format:word --flatten "
_OPTUNA = Tool(allow=opts("-q|--quiet -v|--verbose --version", abbrev=False), sub={
    k: _shape(_OPTUNA_STORE, 0) for k in ("studies", "trials", "best-trial", "best-trials")})

# sqlcmd (SQL Server) and impala-shell: reads only (SQL_CLIENTS); never -i/-f (files),
# -o (writes), -P/--ldap_password_cmd (a password, a command), --var/-v (variables),
# -e on sqlcmd is an echo switch, never :commands or !! (sqlcmd runs a shell with !!)
_SQLCMD_LINE = re.compile(r"(?:\A|[\n\v\f])[ \t\r]*+(?::|!!)|\$\(")


def _sqlcmd_pre(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [v for v in _values(pairs, "-Q", "-q") if _SQLCMD_LINE.search(v)]
    if _values(pairs, "-q"):
        return "sqlcmd -q stays open on the agent's stdin (-Q runs and exits)"
    return "a sqlcmd command (:r, :out, !!) or $(variable) in the query" if bad else None


SQL_CLIENTS["sqlcmd-sql"] = ("mssql", "-Q", _sqlcmd_pre, True)
_SQLCMD = Shape(check="sqlcmd-sql", max_operands=0, allow=opts(
    "-S:siteaddr -d:word -U:word -E -C -N -Q:any -q:any -h:num -s:any -W -w:num -y:num "
    "-Y:num -l:num -t:num -b -m:num -V:num -X -k:?num", "go"))
_IMPALA = Shape(check="impala-sql", max_operands=0, allow=opts(
    "-i|--impalad:siteaddr -d|--database:word -q|--query:any -B|--delimited "
    "--output_delimiter:any --print_header -k|--kerberos -s|--kerberos_service_name:word "
    "--ssl -u|--user:word --quiet -V|--verbose", abbrev=False))


def _no_substitution_q(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [v for v in _values(pairs, "-q") if _SUBST.search(v)]
    return "a ${...} in the statement is replaced by a variable" if bad else None


SQL_CLIENTS["impala-sql"] = (None, "-q", _no_substitution_q, True)

# the rest of the Hadoop and stream-processing family: versions, job listings
_VERSION_ONLY = Tool(sub={"--version": ANY, "version": _go("")})
#: flink: jobs of a JobManager inside the site (never run/cancel/stop/savepoint, -D)
_FLINK = Tool(allow=opts(""), sub={
    "list": _shape("-m|--jobmanager:siteaddr -r|--running -s|--scheduled -a|--all", 0),
    "--version": ANY, "-v": ANY})
#: oozie: jobs and their logs from a server inside the site (never -run/-submit/-kill/
#: -suspend/-resume/-rerun/-change/-config)
_OOZIE_URL = "-oozie:siteaddr -auth:word "
_OOZIE = Tool(allow=opts("", "go"), sub={
    "jobs": _go(_OOZIE_URL + "-jobtype:word -len:num -filter:any -offset:num -localtime "
                "-verbose"),
    "job": _go(_OOZIE_URL + "-info:word -log:word -definition:word -localtime -verbose "
               "-len:num -offset:num", 0, "oozie-job"),
    "admin": _go(_OOZIE_URL + "-status -version", 0),
    "version": _go(_OOZIE_URL)})
#: hbase: the version and hbck's report (never -fix*/-repair, shell, org.* classes)
_HBASE = Tool(allow=opts("", "go"), sub={
    "version": _go(""), "hbck": _go("-details -summary", None)})
#: temporal: workflows and namespaces of a frontend inside the site (never start/signal/
#: terminate/cancel/reset/delete/update, --api-key, --tls-*-path, --env settings files)
_TEMPORAL_COMMON = "--address:siteaddr -n|--namespace:word -o|--output:word --limit:num " \
    "-q|--query:any --time-format:word --color:word "
_TEMPORAL = Tool(allow=opts(_TEMPORAL_COMMON, abbrev=False), sub={
    "workflow": Tool(sub={
        **dict.fromkeys(("list", "count"), _shape(_TEMPORAL_COMMON + "--archived", 0)),
        **dict.fromkeys(("describe", "show"), _shape(
            _TEMPORAL_COMMON + "-w|--workflow-id:any -r|--run-id:any --reset-points "
            "--raw --fields:any", 0))}),
    "operator": Tool(sub={"namespace": Tool(sub={
        "list": _shape(_TEMPORAL_COMMON, 0), "describe": _shape(_TEMPORAL_COMMON, 1)}),
        "cluster": Tool(sub={"health": _shape(_TEMPORAL_COMMON, 0),
                             "describe": _shape(_TEMPORAL_COMMON, 0)})}),
    "--version": ANY, "-v": ANY})
#: kafka-dump-log: records of a local segment file (never --offsets-decoder classes...)
_KAFKA_DUMP = Shape(check="data-local", max_operands=0, allow=opts(
    "--files:any --print-data-log --deep-iteration --verify-index-only "
    "--index-sanity-check --max-message-size:num --cluster-metadata-decoder --version"))
#: ray jobs: listings, status and logs from a dashboard inside the site (never submit/stop/
#: delete)
_RAY_JOB = Tool(sub={
    "list": _shape("--address:siteaddr --log-style:word", 0),
    **{k: _shape("--address:siteaddr --log-style:word", 1) for k in ("status", "logs")}})
#: rabbitmq-queues: quorum queues' state (never add_member/delete_member/grow/shrink/
#: rebalance)
_RMQ_QUEUES = Tool(allow=opts(_RMQ_COMMON, abbrev=False), sub={
    k: _shape(_RMQ_COMMON + "-p|--vhost:any", 1) for k in (
        "quorum_status", "check_if_node_is_quorum_critical",
        "check_if_node_is_mirror_sync_critical", "stream_status")})
#: memcached-tool: stats of a server inside the site (never dump: every key and value)
_MEMCACHED_TOOL = Shape(check="memcached-tool", max_operands=2, allow=opts(""))


def _check_memcached_tool(c: SimpleCommand, rest: Words, ops: Words,
                          pairs: Pairs) -> str | None:
    if not ops or _site_endpoints(ops[0]):
        return "memcached-tool's first operand is not a server inside the site"
    mode = ops[1] if len(ops) > 1 else "display"
    return None if mode in ("display", "stats", "settings", "sizes") else \
        f"memcached-tool {mode!r} (dump prints every key and value; others change it)"


def _check_oozie_job(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if _has(pairs, "-info", "-log", "-definition") else \
        "oozie job without -info, -log or -definition"


def _check_csvclean(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if _has(pairs, "-n", "-V") else "csvclean without -n writes files"


def _check_getconf_key(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return KINDS["hadoopkey"](ops[0]) if ops else "-confKey without a key"


ENTRIES: dict[str, Entry] = {
    "hdfs": HDFS, "hadoop": HADOOP, "mapred": MAPRED,
    "beeline": _BEELINE, "hive": _HIVE,
    **dict.fromkeys(("trino", "presto", "presto-cli"), _TRINO),
    "mlr": Shape(check="mlr", allow=None, deny=("-I", "--prepipe*", "--load", "--mload",
                                                "-s")),
    "datamash": _DATAMASH, "gron": _GRON,
    "parquet": _PARQUET_CLI, "pqrs": _PQRS, "avro-tools": _AVRO,
    "orc-contents": _ORC, "orc-metadata": _ORC, "orc-statistics": _ORC,
    "ncdump": _NCDUMP, "gdalinfo": _GDALINFO, "ogrinfo": _OGRINFO,
    **_kafka_names("kafka-topics", _KAFKA_TOPICS),
    **_kafka_names("kafka-consumer-groups", _KAFKA_GROUPS),
    **_kafka_names("kafka-configs", _KAFKA_CONFIGS),
    **_kafka_names("kafka-log-dirs", _KAFKA_LOGDIRS),
    **_kafka_names("kafka-broker-api-versions", _kafka("")),
    **_kafka_names("kafka-get-offsets", _KAFKA_OFFSETS),
    **_kafka_names("kafka-acls", _KAFKA_ACLS),
    **_kafka_names("kafka-console-consumer", _KAFKA_CONSUMER),
    **_kafka_names("kafka-metadata-quorum", _KAFKA_QUORUM),
    **_kafka_names("kafka-run-class", Tool(allow=opts(""), sub={
        k: _KAFKA_OFFSETS for k in ("kafka.tools.GetOffsetShell",
                                    "org.apache.kafka.tools.GetOffsetShell")})),
    **dict.fromkeys(("kcat", "kafkacat"), _KCAT),
    **dict.fromkeys(("zookeeper-shell", "zookeeper-shell.sh"), _ZK_SHELL),
    **dict.fromkeys(("zkCli.sh", "zkCli"), _ZKCLI),
    "pulsar-admin": _PULSAR,
    "rabbitmqctl": _RMQCTL, "rabbitmq-diagnostics": _RMQ_DIAG,
    "rabbitmq-plugins": _RMQ_PLUGINS, "rabbitmqadmin": _RMQADMIN,
    "nats": _NATS, "consul": _CONSUL, "nomad": _NOMAD,
    "databricks": _DATABRICKS, "spark-submit": _SPARK_SUBMIT, "prefect": _PREFECT,
    **dict.fromkeys(("mamba", "micromamba"), _MAMBA), "ollama": _OLLAMA,
    "mongostat": Shape(max_operands=1, allow=opts(
        _MONGO_MON + "-o:any -O:any --discover --all --noheaders --humanReadable:?word",
        abbrev=False)),
    "mongotop": Shape(max_operands=1, allow=opts(_MONGO_MON + "--locks", abbrev=False)),
    "influx": _INFLUX, "rq": _RQ, "mosquitto_sub": _MOSQ_SUB,
    "sqlite-utils": _SQLITE_UTILS, "csvsql": _CSVSQL, "csvclean": _CSVCLEAN,
    "transformers-cli": Tool(sub={"env": _shape("", 0)}),
    "sqlfluff": _SQLFLUFF, "celery": _CELERY, "cypher-shell": _CYPHER_SHELL,
    "rpk": _RPK, "hf": _HF, "optuna": _OPTUNA, "sqlcmd": _SQLCMD, "impala-shell": _IMPALA,
    **dict.fromkeys(("spark-shell", "spark-sql", "pyspark", "sqoop"), _VERSION_ONLY),
    "flink": _FLINK, "oozie": _OOZIE, "hbase": _HBASE, "temporal": _TEMPORAL,
    **_kafka_names("kafka-dump-log", _KAFKA_DUMP),
    **_kafka_names("kafka-features", Tool(allow=opts("--bootstrap-server:siteaddr "
                                                     "--bootstrap-controller:siteaddr",
                                                     abbrev=False),
                                          sub={"describe": _shape("", 0)})),
    **_kafka_names("kafka-cluster", Tool(sub={"cluster-id": _shape(
        "-b|--bootstrap-server:siteaddr --bootstrap-controller:siteaddr", 0)})),
    "rabbitmq-queues": _RMQ_QUEUES, "memcached-tool": _MEMCACHED_TOOL,
    # the version only (status prints the settings file; sync, login, artifact put, verify
    # send data or keys to the W&B server)
    "wandb": Tool(sub={"--version": ANY}),
}

#: where the data stack's tarballs install their programs (``/opt/kafka/bin/kafka-topics.sh``,
#: ``/usr/lib/hadoop/bin/hdfs``): a program there by one of its own names is the catalogue's
#: tool of that name (as a deployed release's .venv/bin is); root's directories, and flow.py
#: holds a program whose directory the session fetched, unpacked or wrote into
_KAFKA_TOOLS = frozenset(n for n in ENTRIES if n.startswith(("kafka-", "zookeeper-")))
_HOME_ROOTS = r"/(?:opt|usr/local|usr/lib|usr/share)/(?:bitnami/)?+"
_HOME_KAFKA = re.compile(_HOME_ROOTS + r"(?:confluent|kafka)[A-Za-z0-9_.+-]{0,40}+/bin/")
_HOME_HADOOP = re.compile(_HOME_ROOTS + r"hadoop[A-Za-z0-9_.+-]{0,40}+/bin/|"
                          r"/usr/hdp/[A-Za-z0-9_.-]{1,40}+/hadoop[A-Za-z0-9_.-]{0,40}+/bin/")
_HOME_SPARK = re.compile(_HOME_ROOTS + r"spark[A-Za-z0-9_.+-]{0,40}+/bin/")
_HOME_APACHE = re.compile(_HOME_ROOTS + r"(?:apache-)?+(?:hive|zookeeper|hbase|flink|pulsar)"
                          r"[A-Za-z0-9_.+-]{0,40}+/bin/")
_HOME_RABBIT = re.compile(r"/usr/lib/rabbitmq/bin/|"
                          r"/usr/lib/rabbitmq/lib/rabbitmq_server-[0-9.]{1,20}+/sbin/")
HOMES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (_HOME_KAFKA, _KAFKA_TOOLS),
    (_HOME_HADOOP, frozenset({"hdfs", "hadoop", "yarn", "mapred"})),
    (_HOME_SPARK, frozenset({"spark-submit", "spark-shell", "spark-sql", "pyspark"})),
    (_HOME_APACHE, frozenset({"hive", "beeline", "zkCli.sh", "hbase", "flink",
                              "pulsar-admin"})),
    (_HOME_RABBIT, frozenset({"rabbitmqctl", "rabbitmq-diagnostics", "rabbitmq-plugins",
                              "rabbitmq-queues"})),
)

#: subcommands added to tools safe.py lists
SUBCOMMANDS: dict[str, dict[str, Entry]] = {"yarn": YARN, "dvc": _DVC_MORE,
                                             "mlflow": _MLFLOW_MORE,
                                             "jupyter": _JUPYTER_MORE,
                                             "ray": {"job": _RAY_JOB},
                                             "airflow": _AIRFLOW_MORE}

CHECKS: dict[str, Check] = {
    "hdfs-paths": _check_hdfs_paths, "hadoop-key": _check_getconf_key,
    "csvclean": _check_csvclean,
    "mlr": _check_mlr, "data-local": _check_local,
    "kafka-list": _check_one_of("--list", "--describe"),
    "kafka-groups": _check_consumer_groups,
    "kafka-describe": _check_one_of("--describe"),
    "kafka-acl-list": _check_one_of("--list"),
    "console-consumer": _check_console_consumer,
    "kcat": _check_kcat, "cypher": _check_cypher, "zk-ops": _check_zk_ops,
    "spark-status": _check_spark_status, "memcached-tool": _check_memcached_tool,
    "oozie-job": _check_oozie_job, "airflow-key": _check_airflow_key,
}
