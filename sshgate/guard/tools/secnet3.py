"""Security auditing and network diagnosis, third pass: the reads safe.py and the other domain
modules miss. Known-safe shapes (tools/__init__.py).

What an operator types to look at a host's TLS material, firewall, resolver and integrity state
without changing it: openssl's public-key, PKCS#7 and digest printers, the rest of ufw's and
nft's read verbs, ip's tunnel and IPsec policy listings, the other iptables dumpers, DNS
look-up tools beside dig (drill, delv, kdig), integrity and rootkit checkers run on the
system's own configuration (aide --check, rkhunter --check, chkrootkit), osv-scanner and
gitleaks on the working tree (gitleaks always redacted and summarised), p11-kit's trust
anchors, AppArmor's yes/no.

Left out: lynis (it sources ``./include`` and reads ``./default.prf`` of the working directory:
shell code the agent may have written runs, as root under sudo), semgrep scans (rules are the
agent's, and a rule prints any matched line of any file of the tree; registry configs fetch
rules and send metrics): its version only, nmap (scans third parties; NSE scripts run Lua;
-oN/-iL write and read files), sslscan/testssl.sh (testssl.sh's --openssl runs a program and
--logfile/--jsonfile write; safe.py's ``openssl s_client`` already shows a server's
certificate), cosign verify-blob (infra.py owns cosign, and its tests pin that entry),
``ip xfrm state`` (prints the IPsec SAs' keys), keytool/certutil (keystore
passwords in argv), ``certbot renew`` (runs the renewal hooks), gitleaks -v or a report (a
finding's line and match context print the text around the redacted secret).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..options import opts
from ..parse import SimpleCommand
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words
from .sysadmin import _config_in

NONE = opts("")
_ASKED = Shape(max_operands=0, allow=NONE)
_GO_ASKED = Shape(max_operands=0, allow=opts("", "go"))

# --- value kinds (merged into safe.KINDS) -----------------------------------------------------
#: a path of the working tree: relative, no ``..``, no ``~``, no expansion, no ``type:path``
#: prefix (osv-scanner's ``requirements.txt:/etc/shadow`` parses any file as that type)
_TREE_PATH = re.compile(r"(?!-)(?!\.\.?/\.\.)[A-Za-z0-9_.@+/-]{1,400}+")


def _kind_treepath(v: str) -> str | None:
    parts = v.split("/")
    if _TREE_PATH.fullmatch(v) and ".." not in parts and not v.startswith("/"):
        return None
    return f"{v!r} is not a plain path of the working tree"


KINDS: dict[str, Callable[[str], str | None]] = {
    "secnet3tree": _kind_treepath,
    # aide --config: the system's configuration (a file the agent wrote could @@x_include a
    # script, which aide runs)
    "aideconf": _config_in("aide", ("/etc/aide", "/etc/aide.conf")),
}


# --- helpers ------------------------------------------------------------------------------------
def _has(pairs: Pairs, *names: str) -> bool:
    return any(k in names for k, _ in pairs or ())


def _values(pairs: Pairs, *names: str) -> list[str | None]:
    return [v for k, v in pairs or () if k in names]


#: a chain, jail, profile, test or interface name: never a path, an option or an expansion
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:@+-]{0,63}+")


def _names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not _NAME.fullmatch(o)]
    return f"{bad[0]!r} is not a plain name" if bad else None


def _tree_ops(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if _kind_treepath(o) is not None]
    return f"{bad[0]!r} is not a directory or file of the working tree" if bad else None


# --- DNS look-ups -------------------------------------------------------------------------------
#: a query word of drill/delv/kdig: a name, a type or class, ``@server``, a ``+option``
_DNS_WORD = re.compile(r"[A-Za-z0-9_.:@+=*/-]{1,255}+")
#: kdig +options that read a client key or certificate (TLS client authentication with a key
#: of the host) or load a file; every other +option changes only the query or its printing
_KDIG_FILE_OPT = re.compile(r"(?i)\+(?:no)?tls-(?:key|cert|ca)")


def _dns_words(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """drill/delv/kdig as dig: no stdin (queries from a pipe would leave the host), plain
    query words, and never kdig's +tls-keyfile/+tls-certfile/+tls-ca (files)."""
    if c.pipe_from or c.heredoc is not None or any(r.op in ("<", "<<<") for r in c.redirects):
        return "reads queries from stdin (piped data would leave the host)"
    for o in ops:
        if not _DNS_WORD.fullmatch(o) or o.startswith("-"):
            return f"{o!r} is not a DNS name, type, class, server or +option"
        if _KDIG_FILE_OPT.match(o):
            return f"{o!r} reads a key, certificate or file"
    return None


#: drill: never -c (a resolv.conf), -f/-i (a packet from a file), -k (a trust anchor file),
#: -r (root hints from a file), -w (writes the answer to a file), -y (a TSIG secret in argv)
DRILL = Shape(check="secnet3-dns", allow=opts(
    "-4 -6 -a -b:num -D -o:word -p:num -Q -s -S -t -T -u -v -V:num -x -z"))
#: delv: never -a (a trust-anchor file); the rest are the query's name, type, class, server
DELV = Shape(check="secnet3-dns", allow=opts(
    "-4 -6 -b:any -c:word -d:num -i -m -p:num -q:any -t:word -x:any -v"))
#: kdig: never -k/-y (TSIG keys), -E/-G (dnstap files written and read)
KDIG = Shape(check="secnet3-dns", allow=opts(
    "-4 -6 -d -p:num -q:any -c:word -t:word -x:any -V|--version"))


# --- integrity and rootkit checkers on the system's own configuration ---------------------------
#: aide --check compares the system's files with its database under the system's configuration
#: and prints which changed (names, attributes, digests: never contents). Never --init/--update
#: (write the database), --report (a report URL: a file anywhere), --config of another file
AIDE = Shape(max_operands=0, allow=opts(
    "-C|--check -D|--config-check -v|--version -c|--config:aideconf -l|--limit:any "
    "-L|--log-level:word -V|--verbose:?num", abbrev=False))


#: rkhunter --check: its tests under the system's /etc/rkhunter.conf (it writes only its own
#: log in /var/log). Never --configfile (MAIL_CMD and friends name programs), --update/
#: --propupd/--versioncheck (the network, its database), --logfile/--tmpdir/--dbdir (paths of
#: the agent's choosing), --cronjob (mails)
RKHUNTER = Shape(check="secnet3-rkhunter", max_operands=1, allow=opts(
    "-c|--check --sk|--skip-keypress --rwo|--report-warnings-only --nocolors|--nocolours "
    "--enable:word --disable:word --list -V|--version --summary "
    "--noappend-log --no-mail-on-warning -q|--quiet --display-logfile",
    abbrev=False))


def _check_rkhunter(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if ops and not (_has(pairs, "--list") and set(ops) <= _RKH_LISTS):
        return f"rkhunter {ops[0]!r} is not a list (--list tests, rootkits, ...)"
    if _has(pairs, "-c", "--list", "-V"):
        return None
    return "rkhunter without --check, --list or --version"


#: what rkhunter --list prints
_RKH_LISTS = frozenset({"tests", "languages", "lang", "rootkits", "perl", "propfiles",
                        "groups"})


#: chkrootkit: its tests, quiet or listed. Never -p (directories whose programs it runs), -r
#: (another root), -e/-s (the exclusions are files and patterns the agent writes); the
#: operands are test names
CHKROOTKIT = Shape(check="secnet3-names", allow=opts("-q -n -V -l -x -d"))


# --- scanners of the working tree ----------------------------------------------------------------
#: osv-scanner: the lockfiles and SBOMs of the tree, matched against OSV (it sends package
#: names and versions to api.osv.dev, never a file). Never --output (writes), --config of
#: another file, --call-analysis (runs the Go toolchain on the tree), --experimental-* (image
#: and licence scans fetch more), a ``type:path`` lockfile (parses any file as that type),
#: fix/update (write manifests)
_OSV = ("-r|--recursive -L|--lockfile:secnet3tree -S|--sbom:secnet3tree "
        "-f|--format:word --verbosity:word --skip-git --no-ignore --offline "
        "--offline-vulnerabilities --all-packages --all-vulns --json -v|--version")
OSV_SCANNER = Shape(check="secnet3-osv", allow=opts(_OSV, abbrev=False))
_OSV_WORDS = frozenset({("scan",), ("scan", "source")})


def _check_osv(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # ``osv-scanner scan source DIR`` (v2) or ``osv-scanner DIR`` (v1)
    head = tuple(ops[:2]) if tuple(ops[:2]) in _OSV_WORDS else tuple(ops[:1]) \
        if tuple(ops[:1]) in _OSV_WORDS else ()
    return _tree_ops(c, rest, ops[len(head):], pairs)


#: gitleaks on files of the tree, redacted, summary only (``leaks found: N``): never -v or a
#: report (a finding's line and context print the text around the redacted secret), --redact
#: below 100 (a part of each secret), a git scan (``git log -p`` of the repository: its
#: textconv drivers run), --log-opts (git options), --config, --follow-symlinks (out of the
#: tree), stdin
_GITLEAKS = ("--redact:?num --no-git -s|--source:secnet3tree --no-banner --no-color "
             "--exit-code:num -l|--log-level:word --max-target-megabytes:num "
             "--max-decode-depth:num")
GITLEAKS = Tool(allow=NONE, sub={
    "detect": Shape(check="secnet3-gitleaks-detect", max_operands=0, allow=opts(
        _GITLEAKS, abbrev=False)),
    "dir": Shape(check="secnet3-gitleaks", max_operands=1, allow=opts(
        _GITLEAKS, abbrev=False)),
    "version": _ASKED, "--version": _ASKED, "-v": _ASKED})


def _check_gitleaks(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    redact = _values(pairs, "--redact")
    if not redact or any(v not in (None, "100") for v in redact):
        return "gitleaks without --redact (or redacting less than all) prints the secrets"
    return _tree_ops(c, rest, ops, pairs)


def _check_gitleaks_detect(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not _has(pairs, "--no-git"):
        return "gitleaks detect without --no-git runs git log -p (textconv drivers)"
    return _check_gitleaks(c, rest, ops, pairs)


#: semgrep: its version only (see the module's docstring)
SEMGREP = Shape(max_operands=0, allow=opts("--version", abbrev=False))

# --- TLS material: openssl's printers -----------------------------------------------------------
#: openssl pkey -pubin: a public key, printed (with -pubin openssl parses and prints only the
#: public half, whatever the file holds); never without -pubin (a private key printed), -out,
#: -passin, -engine/-provider
_PKEY = Shape(check="secnet3-pkey", max_operands=0, allow=opts(
    "-pubin -in:any -inform:word -noout -text -text_pub -pubout -outform:word", "go"))


def _check_pkey(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if _has(pairs, "-pubin") else "openssl pkey without -pubin prints a private key"


#: openssl pkcs7 / crl2pkcs7: certificates of a bundle, printed (neither prints a key: pkcs7
#: parses a PKCS#7 structure alone, crl2pkcs7 -certfile takes only the certificates of a PEM
#: that also holds a key, as x509 does; never -out)
_PKCS7 = Shape(max_operands=0, secrets_ok=True, allow=opts(
    "-in:any -inform:word -outform:word -print_certs -print -noout -text -quiet", "go"))
_CRL2PKCS7 = Shape(max_operands=0, secrets_ok=True, allow=opts(
    "-nocrl -certfile:any -in:any -inform:word -outform:word", "go"))
#: openssl dgst and its digest aliases: a file's digest (as sha256sum); never -sign/-verify/
#: -prverify/-hmac/-mac (keys), -out, -engine/-provider
_DIGESTS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3-256", "sha3-512")
_DGST_OPTS = "-r -hex -c -binary " + " ".join("-" + d for d in _DIGESTS)
_DGST = Shape(allow=opts(_DGST_OPTS, "go"))

# --- firewall and routing ------------------------------------------------------------------------
#: the other iptables dumpers (safe.py lists iptables-save): print the rules
_IPT_SAVE = Shape(max_operands=0, allow=opts("-c|--counters -t|--table:word"))
#: ip tunnel/tuntap/mroute: listings (never add/del/change); ip xfrm policy: the IPsec policies
#: (selectors and templates, never keys: ``ip xfrm state`` prints the keys and stays out)
_IP_LIST = Tool(sub={"show": ANY, "list": ANY, "ls": ANY}, bare=ANY)
_IP_XFRM = Tool(sub={"policy": Tool(sub={"show": ANY, "list": ANY, "ls": ANY, "count": ANY},
                                    bare=ANY)})
#: ufw app list/info (application profiles), ufw show (the rules it added, listening ports,
#: its chains); never app update/default, show with another word
_UFW_APP = Tool(allow=NONE, sub={"list": _ASKED,
                                 "info": Shape(check="secnet3-names", max_operands=1,
                                               allow=NONE)})
_UFW_SHOW = Tool(allow=NONE, sub={k: _ASKED for k in (
    "added", "listening", "raw", "builtins", "before-rules", "user-rules", "after-rules",
    "logging-rules")})

# --- misc ---------------------------------------------------------------------------------------
#: aa-enabled: whether AppArmor is on (yes/no)
AA_ENABLED = Shape(max_operands=0, allow=opts("-q|--quiet -x|--exclusive"))
#: p11-kit's trust anchors (certificates, public); never extract/anchor (write the store)
TRUST = Tool(allow=NONE, sub={"list": Shape(max_operands=0, allow=opts(
    "--filter:any --purpose:word", abbrev=False))})
CHECKS: dict[str, Check] = {
    "secnet3-dns": _dns_words, "secnet3-gitleaks-detect": _check_gitleaks_detect,
    "secnet3-rkhunter": _check_rkhunter, "secnet3-names": _names,
    "secnet3-osv": _check_osv, "secnet3-gitleaks": _check_gitleaks,
    "secnet3-pkey": _check_pkey,
}

ENTRIES: dict[str, Entry] = {
    "drill": DRILL, "delv": DELV, "kdig": KDIG,
    "aide": AIDE, "rkhunter": RKHUNTER, "chkrootkit": CHKROOTKIT,
    "osv-scanner": OSV_SCANNER, "gitleaks": GITLEAKS, "semgrep": SEMGREP,
    **dict.fromkeys(("ip6tables-save", "iptables-legacy-save", "ip6tables-legacy-save",
                     "iptables-nft-save", "ip6tables-nft-save"), _IPT_SAVE),
    "aa-enabled": AA_ENABLED, "trust": TRUST,
}

#: subcommands added to tools safe.py lists
SUBCOMMANDS: dict[str, dict[str, Entry]] = {
    "openssl": {"pkey": _PKEY, "pkcs7": _PKCS7, "crl2pkcs7": _CRL2PKCS7, "dgst": _DGST,
                **{d: Shape(allow=opts("-r -hex -c -binary", "go")) for d in _DIGESTS}},
    "ip": {"tunnel": _IP_LIST, "tun": _IP_LIST, "tuntap": _IP_LIST, "mroute": _IP_LIST,
           "xfrm": _IP_XFRM},
    "ufw": {"app": _UFW_APP, "show": _UFW_SHOW},
    "nft": {"--version": _ASKED, "-v": _ASKED, "-V": _ASKED},
}
