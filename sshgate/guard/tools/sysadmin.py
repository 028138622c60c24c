"""Service administration: the read and status verbs of daemons' admin CLIs (DNS, Kerberos,
LDAP, Samba, SSSD, Proxmox, backups, proxies and caches, clusters) that safe.py and the other
domain modules do not list. Known-safe shapes (tools/__init__.py).

Every shape names its options. Left out everywhere: the verbs that change a daemon (reload,
stop, flush, set, create, delete, restore, prune...), password and credential options
(``-w``, ``-y``, ``-W``, ``-U user%pass``, ``--password-command``, key and certificate files),
another server or control endpoint the site's credentials would be sent to, a file of
commands, filters or options (``-f``, ``-c`` command strings, ``-o`` settings), output written
to a file, debug output, and a configuration file the agent names: a checker reads only a
file of its own directory under /etc (ordinary writes never reach it) whose name does not say
it holds a key or a password, because a configuration may name programs (haproxy's
``lua-load``, named's ``plugin``) and include files, and a checker quotes back the words it
cannot parse (``include "/etc/shadow";``, or a password file handed over as a configuration).
Long options are matched in full (``abbrev=False``) whatever the tool's own parser accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..metadata import reaches_metadata
from ..options import opts
from ..parse import SimpleCommand
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words, operands_match

NONE = opts("")
_ASKED = Shape(max_operands=0, allow=NONE)

# --- value kinds (merged into safe.KINDS) -----------------------------------------------------
#: a file under /etc by a plain path: the system's own configuration (no ``..``, no dot
#: component, no glob, no expansion)
_ETC = re.compile(r"/etc(?:/[A-Za-z0-9_][A-Za-z0-9_.+@-]*+)++/?")
#: where named keeps zone files (the system's; named itself writes the secondary zones it
#: transfers): a zone file may ``$INCLUDE`` any file and the checker quotes its tokens, so
#: never one the agent wrote, nor another file of /etc whose first words are a password
_ZONE_FILE = re.compile(r"/(?:etc/bind|etc/named|etc/nsd|var/named|var/lib/bind|var/cache/bind|"
                        r"var/lib/named)"
                        r"(?:/[A-Za-z0-9_][A-Za-z0-9_.+@-]*+)++")
#: an ldap:// or ldaps:// URL of one host (never ldapi://, the local socket where root binds
#: as the directory's manager with SASL EXTERNAL, never a list of URLs)
_LDAP_URL = re.compile(r"ldaps?://[A-Za-z0-9_.\[\]:-]+(?::[0-9]{1,5})?/?")
#: an SMB host for a share listing (``//fileserver``, ``fs01.corp``)
_SMB_HOST = re.compile(r"(?://)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}/?")
#: sshd -C: the connection a Match block is evaluated for (``user=root,host=x,addr=1.2.3.4``)
_SSHD_CONN = re.compile(r"[a-z]{1,8}+=[A-Za-z0-9_.:@%-]{1,255}+"
                        r"(?:,[a-z]{1,8}+=[A-Za-z0-9_.:@%-]{1,255}+)*+")
#: a local restic repository by its absolute path (never sftp:, s3:, rest:, rclone: or a
#: ``host:path``: another host the environment's credentials would be sent to, or a program)
_RESTIC_REPO = re.compile(r"/[A-Za-z0-9_.+@/-]*")


def _dotless(v: str) -> bool:
    return not any(p in ("..", ".") or p.startswith(".") for p in v.split("/")[1:])


#: a path one of whose names says it holds a key or a password (``rndc.key``, ``keys/``,
#: ``K<zone>+013+12345.private``, ``ssh_host_rsa_key``, ``*.pw``, ``secrets.tdb``): never handed
#: to a checker, which quotes the first word of a line it cannot parse (a password file is
#: one such word)
_KEYISH = re.compile(r"(?i)key|tsig|secret|passw|cred|token|auth|private|"
                     r"\.(?:pem|pw|tdb|keytab|p12|pfx|crt|cert)$|^K[^/]*\+[0-9]+\+[0-9]+")


def _keyish(v: str) -> bool:
    return any(_KEYISH.search(p) for p in v.split("/"))


def _config_in(tool: str, dirs: tuple[str, ...]) -> Callable[[str], str | None]:
    """A kind: a configuration file of ``tool``'s own directories under /etc (or the
    directory itself), never a file whose name says it holds a key or a password."""
    def kind(v: str) -> str | None:
        if _ETC.fullmatch(v) and _dotless(v) and not _keyish(v) and any(
                v.rstrip("/") == d or v.startswith(d + "/") for d in dirs):
            return None
        return f"{v!r} is not a configuration file of {tool} under {', '.join(dirs)}"
    return kind


_HAPROXY_CONF = _config_in("haproxy", ("/etc/haproxy",))
_SSHD_CONF = _config_in("sshd", ("/etc/ssh",))
_NAMED_CONF = _config_in("named", ("/etc/bind", "/etc/named", "/etc/named.conf"))
_SMB_CONF = _config_in("samba", ("/etc/samba",))
_UNBOUND_CONF = _config_in("unbound", ("/etc/unbound",))


def _kind_ldap_url(v: str) -> str | None:
    if not _LDAP_URL.fullmatch(v) or reaches_metadata(v):
        return f"{v!r} is not an ldap:// or ldaps:// URL of one host"
    return None


#: ldapsearch -o: how the client wraps LDIF lines and how long it waits; never another option
_LDAP_OPT = re.compile(r"(?:ldif[-_]wrap=(?:[0-9]{1,5}|no)|nettimeout=(?:[0-9]{1,5}|none|max))")

KINDS: dict[str, Callable[[str], str | None]] = {
    "haproxyconf": _HAPROXY_CONF, "sshdconf": _SSHD_CONF,
    "ldapurl": _kind_ldap_url,
    "ldapopt": lambda v: None if _LDAP_OPT.fullmatch(v) else
    f"ldapsearch -o {v!r} is not the LDIF wrap or network timeout",
    "smbhost": lambda v: None if _SMB_HOST.fullmatch(v) and ".." not in v else
    f"{v!r} is not one SMB host",
    "sshdconn": lambda v: None if _SSHD_CONN.fullmatch(v) else
    f"sshd -C {v!r} is not a connection specification",
    "resticrepo": lambda v: None if _RESTIC_REPO.fullmatch(v) and ".." not in v.split("/")
    else f"{v!r} is not a local repository path",
    # sssctl user-checks -a: acct asks the PAM stack whether the account may log in; auth
    # prompts for a password, open/close run the session modules (pam_mkhomedir writes)
    "sssaction": lambda v: None if v == "acct" else f"PAM action {v!r} is not acct",
    # pt-query-digest reads these as text (never binlog, tcpdump, or a processlist)
    "ptlogtype": lambda v: None if v in ("slowlog", "genlog", "rawlog") else
    f"--type {v!r} is not a log it only reads",
}

# --- checks -------------------------------------------------------------------------------------
#: a name the tool looks up (a zone, a domain, a user, a VM, a snapshot id): never a path, an
#: option, an expansion or a URL
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@#+-]{0,253}")


_plain = operands_match(_PLAIN, "a plain name")


def _vmid(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a guest's numeric id (Proxmox ids run from 100)
    return None if len(ops) == 1 and re.fullmatch(r"[0-9]{1,9}", ops[0]) else \
        "not one numeric guest id"


def _config_operand(kind: Callable[[str], str | None]) -> Check:
    """A checker's configuration: its default, or one file of its own directory."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if len(ops) > 1:
            return "more than one configuration"
        return kind(ops[0]) if ops else None
    return check


def _named_checkzone(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``named-checkzone ZONE FILE``: the zone's name and its file where named keeps zones."""
    if len(ops) != 2:
        return "named-checkzone takes a zone name and its file"
    if not _PLAIN.fullmatch(ops[0].rstrip(".") or "."):
        return f"{ops[0]!r} is not a zone name"
    if not (_ZONE_FILE.fullmatch(ops[1]) and _dotless(ops[1])) or _keyish(ops[1]):
        return f"{ops[1]!r} is not a zone file where named keeps them (a zone file may " \
               "$INCLUDE any file, and the checker quotes what it cannot parse)"
    return None


def _ldapsearch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """An anonymous simple search (``-x``, no bind DN or password): without -x the client
    binds with SASL (EXTERNAL as root on the local socket is the directory's manager, GSSAPI
    the operator's Kerberos identity, which may read LAPS passwords). The filter first, then
    attribute names."""
    if not any(k == "-x" for k, _ in pairs or ()):
        return "ldapsearch without -x binds with SASL as the user or root"
    for o in ops[1:]:
        if not re.fullmatch(r"[A-Za-z0-9_*+][A-Za-z0-9_;.-]{0,100}|1\.1", o):
            return f"{o!r} is not an attribute name"
    return None


def _smb_list(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``smbclient -L HOST -N`` (anonymous) or ``-k`` (Kerberos): a share listing, never a
    session on a share (its commands), never a password."""
    keys = {k for k, _ in pairs or ()}
    if "-L" not in keys:
        return "smbclient without -L opens a session on a share"
    if not keys & {"-N", "-k"}:
        return "smbclient -L without -N or -k asks for (or sends) a password"
    return None


def _need(flags: frozenset[str], why: str) -> Check:
    """One of ``flags`` must be given (the mode that only checks or prints once)."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        return None if any(k in flags for k, _ in pairs or ()) else why
    return check


def _haproxy(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``haproxy -c -f /etc/haproxy/haproxy.cfg`` (check, then exit) or its version."""
    keys = {k for k, _ in pairs or ()}
    if keys <= {"-v", "-V"} and keys:
        return None
    if "-c" not in keys or "-f" not in keys:
        return "haproxy without -c and -f starts the proxy"
    return None


#: a log file the Perl tools open: plain path characters only (mysqldumpslow reads its files
#: with Perl's ``<>``, whose two-argument open runs ``cmd|`` and ``|cmd`` as commands)
_LOG_FILE = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_.+@/-]*")


def _log_files(need: bool) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if need and not ops:
            return "no log file named (without one it asks the server for its settings)"
        for o in ops:
            if not _LOG_FILE.fullmatch(o) or ".." in o.split("/"):
                return f"{o!r} is not a plain log file path"
        return None
    return check


def _pids(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or not all(re.fullmatch(r"[0-9]{1,9}", o) for o in ops):
        return "pmap takes process ids"
    return None


#: the Proxmox API paths a GET only reads, none of them secret: the cluster's and nodes'
#: status, guests' status and configuration (the API masks the cloud-init password), storage,
#: services, tasks; never /access (users, tokens, ACLs), a node's subscription key, report,
#: syslog or journal, a guest's agent (exec-status returns a command's output), firewall
#: options or an apt repository's credentials
_PVE_NODE = r"/nodes/[A-Za-z0-9][A-Za-z0-9.-]{0,62}"
_PVE_GUEST = _PVE_NODE + r"/(?:qemu|lxc)/[0-9]{1,9}"
_PVE_PATH = re.compile(
    r"/?|/version|/cluster(?:/status|/resources|/tasks|/nextid|/ha/status/current|"
    r"/ha/status/manager_status|/ha/resources|/ha/groups|/replication|/backup)?/?"
    r"|/nodes/?|" + _PVE_NODE + r"(?:/status|/version|/time|/dns|/services|/network|/storage|"
    r"/tasks|/qemu|/lxc|/disks/list|/disks/zfs|/disks/lvm|/netstat|/apt/update|"
    r"/apt/versions|/replication)?/?"
    r"|" + _PVE_GUEST + r"(?:/status/current|/config|/snapshot)?/?"
    r"|" + _PVE_NODE + r"/storage/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}(?:/status|/content)?/?"
    r"|" + _PVE_NODE + r"/tasks/UPID:[A-Za-z0-9:@._-]{1,200}/status")


def _pvesh_path(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if len(ops) != 1 or not _PVE_PATH.fullmatch(ops[0]):
        return "not one of the API's status or configuration paths (never /access)"
    return None


#: varnishadm's CLI commands that report (never vcl.show (the VCL may carry credentials of a
#: backend), vcl.load/use/inline, param.set, ban, start/stop, backend.set_health, debug.*)
_VARNISH_READ = frozenset({"status", "ping", "backend.list", "vcl.list", "param.show",
                           "panic.show", "storage.list", "banner", "help", "pid"})


def _varnishadm(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or ops[0] not in _VARNISH_READ:
        return "varnishadm without a command that only reports"
    return _plain(c, rest, ops[1:], pairs)


def _one_of(words: frozenset[str], what: str) -> Check:
    """At most one operand, one of ``words``."""
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if len(ops) > 1 or any(o not in words for o in ops):
            return f"not one of {what}"
        return None
    return check


#: snapshot ids (hex prefixes) or ``latest``
_restic_ids = operands_match(re.compile(r"latest|[0-9a-f]{4,64}"), "a snapshot id")


def _restic_ls(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # a snapshot, then paths inside it (names in the backup, not files of this host)
    if not ops:
        return "restic ls without a snapshot"
    why = _restic_ids(c, rest, ops[:1], pairs)
    if why:
        return why
    for o in ops[1:]:
        if not re.fullmatch(r"/?[A-Za-z0-9_.+@-][A-Za-z0-9_.+@/-]*|/", o):
            return f"{o!r} is not a plain path inside the snapshot"
    return None


def _restic_find(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # name patterns matched inside the snapshots (``'*.conf'``, ``/etc/nginx``)
    for o in ops:
        if not re.fullmatch(r"[A-Za-z0-9_.*?/+@-]{1,300}", o) or o.startswith("-"):
            return f"{o!r} is not a plain name pattern"
    return None if ops else "restic find without a pattern"


CHECKS: dict[str, Check] = {
    "sysadmin-plain": _plain, "sysadmin-vmid": _vmid,
    "sysadmin-named-conf": _config_operand(_NAMED_CONF),
    "sysadmin-smb-conf": _config_operand(_SMB_CONF),
    "sysadmin-unbound-conf": _config_operand(_UNBOUND_CONF),
    "sysadmin-checkzone": _named_checkzone, "sysadmin-ldapsearch": _ldapsearch,
    "sysadmin-smb-list": _smb_list, "sysadmin-haproxy": _haproxy,
    "sysadmin-sshd": _need(frozenset({"-T", "-t", "-G", "-V"}),
                           "sshd without -T, -t or -G starts the server"),
    "sysadmin-varnishstat": _need(frozenset({"-1", "-j", "-x", "-l", "-V"}),
                                  "varnishstat without -1, -j, -x or -l is a full-screen view"),
    "sysadmin-crm-mon": _need(frozenset({"-1"}),
                              "crm_mon without -1 is a full-screen view (or a daemon)"),
    "sysadmin-slowlogs": _log_files(True), "sysadmin-logs": _log_files(False),
    "sysadmin-pids": _pids, "sysadmin-pvesh": _pvesh_path, "sysadmin-varnishadm": _varnishadm,
    "sysadmin-pcs-status": _one_of(frozenset({"resources", "nodes", "cluster", "corosync",
                                              "quorum", "xml"}), "pcs status's views"),
    "sysadmin-restic-ids": _restic_ids, "sysadmin-restic-ls": _restic_ls,
    "sysadmin-restic-find": _restic_find,
}

# --- DNS: BIND, Unbound -------------------------------------------------------------------------
# rndc: the server's status and one zone's; never reload/reconfig/stop/halt/freeze/thaw/flush*/
# dumpdb/secroots/sync/notify/retransfer/sign/loadkeys/signing/nta/addzone/delzone/modzone/
# tsig-*/trace/querylog/recursing/serve-stale (change the server or write files); never -c/-k/-y
# (another configuration or key), -s/-p (another server, signed with the site's key)
RNDC = Tool(allow=NONE, sub={
    "status": _ASKED,
    "zonestatus": Shape(check="sysadmin-plain", max_operands=3, allow=NONE)})
# named-checkconf: check named.conf (-z loads its primary zones); never -p/-x (print the
# configuration, key secrets among them), -t (a chroot), a configuration elsewhere
NAMED_CHECKCONF = Shape(check="sysadmin-named-conf", allow=opts("-z -j -l -c -i -v"))
# named-checkzone ZONE FILE: check a zone file (-D prints it, canonical); never -o (writes a
# file), -J (another journal), -t/-w (chroot, directory), a file outside named's directories
NAMED_CHECKZONE = Shape(check="sysadmin-checkzone", allow=opts(
    "-d -j -q -v -D -c:word -i:word -k:word -m:word -M:word -n:word -r:word -s:word "
    "-S:word -T:word -W:word -f:word -F:word -l:num -L:num"))
# unbound-checkconf: the system's unbound.conf; never -o (prints an option's value)
UNBOUND_CHECKCONF = Shape(check="sysadmin-unbound-conf", allow=opts("-q -f"))
# unbound-control: status and lists; never -c/-s (another configuration or server), stats
# (it resets the counters), flush_*, reload, stop, local_*, forward_*, dump_cache/load_cache,
# get_option (an option's value)
UNBOUND_CONTROL = Tool(allow=opts("-q"), sub={
    **dict.fromkeys(("status", "list_forwards", "list_stubs", "list_local_zones",
                     "list_auth_zones", "stats_noreset", "list_insecure"), _ASKED)})

# --- Kerberos, LDAP, Samba, SSSD ----------------------------------------------------------------
# klist: the tickets of a cache, the principals of a keytab (-k): names, times and enctypes,
# so a keytab or cache may be named (a file that is neither prints only an error; a keytab by
# name is still the rule secret.read's, ``klist -k`` reads the default one); never -K (the
# keys themselves)
KLIST = Shape(secrets_ok=True, max_operands=1, allow=opts(
    "-c -k -t -e -s -a -n -f -l -A -C -i -d -V"))
# ldapsearch: an anonymous search (_ldapsearch); never -D/-w/-W/-y (a bind DN, a password, a
# password file), -Y/-U/-X/-R/-O/-Q/-I (SASL), -f (a file of filters: its lines go to the
# server), -T/-t (write values to files), -E/-e (controls: a sync search never ends, proxied
# authorisation), -H ldapi:// or a list of URLs; -o only the LDIF wrap and the timeout
LDAPSEARCH = Shape(check="sysadmin-ldapsearch", allow=opts(
    "-x -L -Z -n -v -A -N -u -H:ldapurl -b:any -s:word -a:word -z:num -l:num -P:num "
    "-o:ldapopt -S:word"))
# sssctl: domains' state, the cache's entries, a PAM account check, the configuration's
# check (it names unknown options, never their values); never --start (starts SSSD),
# cache-remove/cache-expire/cache-upgrade/backup/restore, logs-fetch/logs-remove, debug-level,
# user-checks -a other than acct, config-check --config (a file elsewhere)
_SSS_SHOW = Shape(check="sysadmin-plain", max_operands=1, allow=opts("--sysdb --nss",
                                                                     abbrev=False))
SSSCTL = Tool(allow=NONE, sub={
    "domain-list": Shape(max_operands=0, allow=opts("-v|--verbose", abbrev=False)),
    "domain-status": Shape(check="sysadmin-plain", max_operands=1, allow=opts(
        "--online --active-server --servers --service:word", abbrev=False)),
    "user-checks": Shape(check="sysadmin-plain", max_operands=1, allow=opts(
        "-a|--action:sssaction -s|--service:word", abbrev=False)),
    "user-show": _SSS_SHOW, "group-show": _SSS_SHOW, "netgroup-show": _SSS_SHOW,
    "config-check": _ASKED})
# smbclient -L: a server's shares, anonymous (-N) or with the user's Kerberos ticket (-k: a
# service ticket only that server can read) (_smb_list); never -U/-A (a user and password, a
# file of them), -c (commands), -s/--option (configuration), -d (debug), -E/-T/-D (a session);
# -I only inside the site (the Kerberos ticket for HOST would go to any address: red team s15)
SMBCLIENT = Shape(check="sysadmin-smb-list", max_operands=0, allow=opts(
    "-L|--list:smbhost -N|--no-pass -k -g|--grepable -p|--port:num -m|--max-protocol:word "
    "-W|--workgroup:word -I|--ip-address:lanhost", abbrev=False))
# testparm: smb.conf checked and printed (it holds no passwords: they live in passdb); never
# a file elsewhere (it quotes what it cannot parse), --option, -d
TESTPARM = Shape(check="sysadmin-smb-conf", allow=opts(
    "-s|--suppress-prompt -v|--verbose -l|--skip-logic-checks --show-all-parameters "
    "--parameter-name:any --section-name:any", abbrev=False))
# nmblookup: NetBIOS names; never -s (configuration), -d (debug), -r (port 137), --option
NMBLOOKUP = Shape(check="sysadmin-plain", allow=opts(
    "-A|--lookup-by-ip -B|--broadcast:host -U|--unicast:host -M|--master-browser "
    "-R|--recursion -S|--status -T|--translate -f|--flags", abbrev=False))
# smbstatus: connections, shares and locks; never -s (configuration), -d, --option
SMBSTATUS = Shape(max_operands=0, allow=opts(
    "-b|--brief -S|--shares -L|--locks -p|--processes -j|--json -N|--notify -n|--numeric "
    "-v|--verbose -u|--user:word -f|--fast", abbrev=False))
# wbinfo: users, groups, domains and the trust's health (-t checks the secret, never prints
# it); never -a (authenticates with a password), --set-auth-user, --ccache-save, -K, --pam-logon,
# --change-*, --set-*/--remove-* (mappings), --logoff
WBINFO = Shape(max_operands=0, allow=opts(
    "-u|--domain-users -g|--domain-groups -t|--check-secret -p|--ping --ping-dc "
    "--online-status --own-domain --all-domains -m|--trusted-domains -D|--domain-info:word "
    "-i|--user-info:any --group-info:any -n|--name-to-sid:any -s|--sid-to-name:any "
    "-r|--user-groups:any --user-domgroups:any -S|--uid-to-sid:num -Y|--gid-to-sid:num "
    "--domain:word --verbose", abbrev=False))
# realm list: the domains this host joined (never join/leave/permit/deny/discover)
REALM = Tool(allow=NONE, sub={"list": Shape(max_operands=0, allow=opts(
    "-a|--all -n|--name-only -v|--verbose", abbrev=False))})

# --- Proxmox VE ---------------------------------------------------------------------------------
# qm/pct: guests, their status, configuration (the API masks cipassword) and snapshots;
# never start/stop/shutdown/destroy/set/create/migrate/rollback/snapshot/delsnapshot/clone/
# template/resize/move-disk/importdisk/unlock, guest exec/cmd (commands in the guest), enter/
# exec/console/push/pull (pct), cloudinit dump (the user-data), showcmd, terminal, vncproxy
_PVE_BOOL = "?word"
_GUEST = {
    "list": Shape(max_operands=0, allow=opts("--full:" + _PVE_BOOL, abbrev=False)),
    "status": Shape(check="sysadmin-vmid", allow=opts("--verbose:" + _PVE_BOOL,
                                                      abbrev=False)),
    "config": Shape(check="sysadmin-vmid", allow=opts(
        "--current:" + _PVE_BOOL + " --snapshot:word", abbrev=False)),
    "listsnapshot": Shape(check="sysadmin-vmid", allow=NONE)}
QM = Tool(allow=NONE, sub=_GUEST)
PCT = Tool(allow=NONE, sub=_GUEST)
# pvesm: storages and their volumes; never add/set/remove/alloc/free/export/import/path/
# extractconfig (prints a backup's guest configuration), prune-backups, scan
PVESM = Tool(allow=NONE, sub={
    "status": Shape(max_operands=0, allow=opts(
        "--content:word --enabled:" + _PVE_BOOL + " --format:" + _PVE_BOOL +
        " --storage:word --target:word", abbrev=False)),
    "list": Shape(check="sysadmin-plain", max_operands=1, allow=opts(
        "--content:word --vmid:num", abbrev=False))})
# pvesh get/ls: listed API paths (_PVE_PATH); never create/set/delete/usage of a write,
# /access/*, other parameters than the resource type and the output's format
_PVESH_GET = Shape(check="sysadmin-pvesh", allow=opts(
    "--output-format:word --noborder:" + _PVE_BOOL + " --noheader:" + _PVE_BOOL +
    " --human-readable:" + _PVE_BOOL + " --type:word", abbrev=False))
PVESH = Tool(allow=NONE, sub={"get": _PVESH_GET, "ls": _PVESH_GET})
PVEVERSION = Shape(max_operands=0, allow=opts("-v|--verbose", abbrev=False))
# pvecm: quorum and members (never add/delnode/expected/create/updatecerts/qdevice)
PVECM = Tool(allow=NONE, sub={"status": _ASKED, "nodes": _ASKED})
# ha-manager: the HA stack's state and resources (never add/remove/set/migrate/relocate/crm-
# command)
HA_MANAGER = Tool(allow=NONE, sub={
    "status": Shape(max_operands=0, allow=opts("--verbose:" + _PVE_BOOL, abbrev=False)),
    "config": Shape(max_operands=0, allow=opts("--type:word", abbrev=False))})
# pvesr: replication jobs' state (never run/schedule-now/create-local-job/delete/set/enable/
# disable)
PVESR = Tool(allow=NONE, sub={
    "status": Shape(max_operands=0, allow=opts("--guest:num", abbrev=False)),
    "list": _ASKED})

# --- clusters: Corosync, Pacemaker, DRBD ---------------------------------------------------------
# corosync-cfgtool -s/-n (links' and nodes' status); never -R (reload), -k/-H (kill a node,
# shut corosync down), -L, -i
COROSYNC_CFGTOOL = Shape(max_operands=0, allow=opts("-s -n -b"))
# corosync-quorumtool -s/-l (quorum, members); never -v/-e (set votes, expected votes), -f
# (unregister the quorum device), -m (a monitor that never ends)
COROSYNC_QUORUMTOOL = Shape(max_operands=0, allow=opts("-s -l -p -H -a"))
# pcs status and its views (never -f, a CIB file; never any other pcs verb)
PCS = Tool(allow=NONE, sub={"status": Shape(check="sysadmin-pcs-status", allow=opts(
    "--full", abbrev=False))})
# crm_mon -1: the cluster's state once; never -d/--daemonize, -h/--as-html/-X/--output-to (a
# file), -E/--external-agent (a program), -i (refresh)
CRM_MON = Shape(check="sysadmin-crm-mon", max_operands=0, allow=opts(
    "-1|--one-shot -r|--inactive -f|--failcounts -A|--show-node-attributes "
    "-n|--group-by-node -t|--timing-details -o|--operations -R|--show-detail "
    "--output-as:word -s|--simple-status", abbrev=False))
# drbdadm: resources' state (never up/down/primary/secondary/connect/disconnect/adjust/
# invalidate/create-md/wipe-md/resize, -c (another configuration))
_DRBD_READ = Shape(check="sysadmin-plain", allow=opts("--verbose --statistics --json",
                                                      abbrev=False))
DRBDADM = Tool(allow=NONE, sub=dict.fromkeys(("status", "cstate", "dstate", "role"),
                                            _DRBD_READ))

# --- CI, logs, databases' slow logs -----------------------------------------------------------
# gitlab-runner: its version and the service's state; never list (prints runners' tokens),
# verify (contacts GitLab with them, --delete removes runners), register/unregister, run,
# exec, --config
GITLAB_RUNNER = Tool(allow=NONE, sub={"--version": _ASKED, "-v": _ASKED, "status": _ASKED})
# logcli: Loki's labels, series and logs, from this host's Loki (--addr) or the one
# LOKI_ADDR names; never another address (the environment's LOKI_PASSWORD or bearer token go
# with every request), --username/--password/--bearer-token*/--cert/--key/--ca-cert/
# --tls-skip-verify/--proxy-url, -t/--tail (never ends), --stdin, the parallel download's
# part files (--part-path-prefix, --parallel-*, --merge-parts, --keep-parts)
_LOGCLI = ("--addr:loopurl -o|--output:word -q|--quiet --org-id:word --limit:num "
           "--since:any --from:any --to:any --forward --batch:num --no-labels "
           "--exclude-label:any --include-label:any --labels-length:num -z|--timezone:word "
           "--step:any --interval:any ")
LOGCLI = Tool(allow=NONE, sub={
    "labels": Shape(check="sysadmin-plain", max_operands=1, allow=opts(_LOGCLI,
                                                                       abbrev=False)),
    "query": Shape(max_operands=1, allow=opts(_LOGCLI, abbrev=False)),
    "instant-query": Shape(max_operands=1, allow=opts(_LOGCLI, abbrev=False)),
    "series": Shape(max_operands=1, allow=opts(_LOGCLI + "--analyze-labels", abbrev=False)),
    "--version": _ASKED})
# mysqldumpslow: a slow log summarised, its numbers and strings abstracted (N, 'S'); never -a
# (the literal values: passwords in CREATE USER ... IDENTIFIED BY), -i/-h (a server instance:
# names a shell command, a glob of files), no file at all (it asks mysqladmin)
MYSQLDUMPSLOW = Shape(check="sysadmin-slowlogs", allow=opts(
    "-s:word -r -t:num -g:any -n:num -l -v -d"))
# pt-query-digest: a slow or general log's report; never --filter (Perl code), --explain/
# --review/--history/--execute/--processlist/--watch-server (a server, with credentials),
# -u/-p/-h/--ask-pass/--defaults-file, --config, --pid/--daemonize/--log, --type binlog/tcpdump
PT_QUERY_DIGEST = Shape(check="sysadmin-logs", allow=opts(
    "--limit:any --order-by:any --group-by:any --since:any --until:any --type:ptlogtype "
    "--report-format:any --sample:num --output:word --noversion-check|--no-version-check "
    "--charset:word --report-all --no-report --variations:any --run-time:any", abbrev=False))

# --- memory, sshd ---------------------------------------------------------------------------------
# smem: memory by process, user or mapping (from /proc); never -S/--source (a capture file),
# --pie/--bar (charts, a display), -K/--kernel (a kernel image)
SMEM = Shape(max_operands=0, allow=opts(
    "-a|--autosize -c|--columns:any -H|--no-header -k|--abbreviate -m|--mappings "
    "-M|--mapfilter:any -n|--numeric -P|--processfilter:any -p|--percent -R|--realmem:any "
    "-r|--reverse -s|--sort:word -t|--totals -u|--userview -U|--userfilter:any -w|--system",
    abbrev=False))
# pmap: a process's mappings; never -c/-C/-n/-N (read or write a configuration file)
PMAP = Shape(check="sysadmin-pids", allow=opts(
    "-x|--extended -X -d|--device -q|--quiet -A|--range:any -p|--show-path -V|--version"))
# sshd -T/-G (the effective configuration: paths of keys, never their contents), -t (test);
# never -f elsewhere than /etc, -o (an option set on the line), -E (a log file), -h (a key),
# -d/-D/-p/-e/-i (a server)
SSHD = Shape(check="sysadmin-sshd", max_operands=0, allow=opts(
    "-T -t -G -V -q -f:sshdconf -C:sshdconn"))

# --- restic -------------------------------------------------------------------------------------
# snapshots, file names, the repository's check and sizes (a backup's names, never its data);
# never restore/dump/cat/mount/backup/forget/prune/init/key/copy/tag/unlock/repair/migrate/
# self-update/generate/cache; never --password-command (a program), -o/--option (sftp.command
# runs a program), --repository-file, a remote repository (-r other than a local path),
# --cacert/--tls-client-cert, --cache-dir, --insecure-*
_RESTIC = ("-r|--repo:resticrepo --password-file:any -q|--quiet -v|--verbose --json "
           "--no-cache --no-lock --retry-lock:any --limit-download:num ")
_RESTIC_FILTER = "-H|--host:any --tag:any --path:any "


def _restic(spec: str, check: str | None, n: int | None = None) -> Shape:
    return Shape(check=check, max_operands=n, secrets_ok=True,
                 allow=opts(_RESTIC + spec, abbrev=False))


RESTIC = Tool(allow=opts(_RESTIC, abbrev=False), sub={
    "snapshots": _restic(_RESTIC_FILTER + "--latest:num -c|--compact -g|--group-by:any",
                         "sysadmin-restic-ids"),
    "ls": _restic(_RESTIC_FILTER + "-l|--long --recursive --human-readable",
                  "sysadmin-restic-ls"),
    "check": _restic("--read-data --read-data-subset:any --with-cache", None, 0),
    "stats": _restic(_RESTIC_FILTER + "--mode:word", "sysadmin-restic-ids"),
    "diff": _restic("--metadata", "sysadmin-restic-ids", 2),
    "find": _restic(_RESTIC_FILTER + "-i|--ignore-case -l|--long -s|--snapshot:any "
                    "-O|--oldest:any -N|--newest:any --pack --blob --tree --show-pack-id",
                    "sysadmin-restic-find"),
    "version": _ASKED})

# --- proxies, caches, queues, monitors ---------------------------------------------------------
# haproxy -c -f /etc/...: the configuration checked (it loads lua-load files: the site's
# configuration only); never -C/-p/-S/-x/-D/-W/-d (a directory, pid file, socket, a daemon)
HAPROXY = Shape(check="sysadmin-haproxy", max_operands=0, allow=opts(
    "-c -f:haproxyconf -q -V -v"))
# varnishstat once (-1, -j, -x) or its fields (-l); never -N (another shared-memory file),
# the full-screen view
VARNISHSTAT = Shape(check="sysadmin-varnishstat", max_operands=0, allow=opts(
    "-1 -j -x -l -V -f:any -I:any -X:any -n:word -t:any"))
# varnishadm: the CLI's reporting commands (_VARNISH_READ), with their -j (JSON) and -l (long)
# flags; never -S (a secret file), -T (another management address), -e, -p (pass mode: with
# no command it runs the ones on its stdin)
VARNISHADM = Shape(check="sysadmin-varnishadm", allow=opts("-n:word -t:num -j -l"))
# atq: the at queue (never at -r/atrm, -c prints a job's script, its environment too)
ATQ = Shape(max_operands=0, allow=opts("-q:word -V"))
# firewalld's state and zones, read (a write option is not listed: --add-*, --remove-*,
# --set-*, --reload, --runtime-to-permanent, --direct, --panic-on, --new-*, --delete-*,
# --load-*)
FIREWALL_CMD = Shape(max_operands=0, allow=opts(
    "--state --list-all --list-all-zones --get-active-zones --get-default-zone --get-zones "
    "--get-services --get-icmptypes --get-policies --list-services --list-ports "
    "--list-rich-rules --list-forward-ports --list-interfaces --list-sources "
    "--list-protocols --list-source-ports --query-masquerade --query-panic --get-log-denied "
    "--zone:word --policy:word --get-zone-of-interface:word --get-zone-of-source:any "
    "--info-zone:word --info-service:word --info-policy:word --permanent", abbrev=False))
# repquota: quota usage; never a write (it has none) nor a file of names
REPQUOTA = Shape(allow=opts(
    "-a|--all -u|--user -g|--group -P|--project -s|--human-readable -v|--verbose "
    "-n|--no-names -c|--cache -C|--no-cache -t|--truncate-names -p|--raw-grace "
    "-i|--no-autofs -O|--output:word -F|--format:word"))

ENTRIES: dict[str, Entry] = {
    "rndc": RNDC, "named-checkconf": NAMED_CHECKCONF, "named-checkzone": NAMED_CHECKZONE,
    "unbound-checkconf": UNBOUND_CHECKCONF, "unbound-control": UNBOUND_CONTROL,
    "klist": KLIST, "ldapsearch": LDAPSEARCH, "sssctl": SSSCTL, "smbclient": SMBCLIENT,
    "testparm": TESTPARM, "nmblookup": NMBLOOKUP, "smbstatus": SMBSTATUS, "wbinfo": WBINFO,
    "realm": REALM,
    "qm": QM, "pct": PCT, "pvesm": PVESM, "pvesh": PVESH, "pveversion": PVEVERSION,
    "pvecm": PVECM, "ha-manager": HA_MANAGER, "pvesr": PVESR,
    "corosync-cfgtool": COROSYNC_CFGTOOL, "corosync-quorumtool": COROSYNC_QUORUMTOOL,
    "pcs": PCS, "crm_mon": CRM_MON, "drbdadm": DRBDADM,
    "gitlab-runner": GITLAB_RUNNER, "logcli": LOGCLI, "mysqldumpslow": MYSQLDUMPSLOW,
    "pt-query-digest": PT_QUERY_DIGEST, "smem": SMEM, "pmap": PMAP, "sshd": SSHD,
    "restic": RESTIC, "haproxy": HAPROXY, "varnishstat": VARNISHSTAT,
    "varnishadm": VARNISHADM, "atq": ATQ, "firewall-cmd": FIREWALL_CMD,
    "repquota": REPQUOTA,
}
