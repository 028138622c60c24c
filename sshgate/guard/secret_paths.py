"""What counts as a secret path: a data table of globs by class, matched against literal paths
and, structurally, against words the shell still expands (globs, braces, ``$x``). Pure.

A glob here: ``**`` is any number of whole components (or none), ``*`` any run of characters
within a component, ``?`` one, ``[...]`` a class, ``{a,b}`` alternatives. A word on a command
line is secret when some path it could expand to matches a secret glob and no exemption of
that glob's class covers the whole word. Conservative on purpose: a miss lets a secret out.
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
from dataclasses import dataclass

#: (class, tier, globs). Tier ``secret``: a rule (``secret.read``) holds any command reading
#: it. Tier ``maybe``: places that often hold secrets; only the known-safe catalogue refuses
#: them (a grant's ``unknown:`` decides).
SECRET_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ssh keys and config dir", "secret", (
        "**/.ssh/**", "**/id_{rsa,dsa,ecdsa,ed25519,ecdsa_sk,ed25519_sk,xmss}",
        "**/identity")),
    ("host keys", "secret", ("**/ssh_host_*_key", "**/ssh_host_key")),
    ("key files", "secret", (
        "**/*.{pem,key,p12,pfx,jks,keystore,ppk,kdbx,gpg,keytab,p8,der}",
        "**/*_rsa", "**/*_ed25519", "**/*_ecdsa")),
    ("password hashes and their backups", "secret", (
        "/etc/{master.passwd,sudoers,security/opasswd}", "**/{shadow,gshadow}",
        "**/{shadow,gshadow,passwd,group,master.passwd}{-,~,.bak,.old,.orig,.save,.backup,"
        ".dpkg-old,.dpkg-dist,.rpmsave,.rpmnew,.swp}",
        "/var/backups/{shadow,gshadow,passwd,group}*", "/etc/sudoers.d/**", "**/.htpasswd")),
    ("cloud and CLI credentials", "secret", (
        "**/.aws/**", "**/.azure/**", "**/.config/{gcloud,gh,hub,glab-cli,doctl,hcloud,"
        "rclone,op,heroku,configstore,netlify,vercel,flyctl,scw,linode-cli,oci}/**",
        "**/.config/git/credentials", "**/.docker/config.json", "**/.kube/config",
        "**/kubeconfig", "**/kubeconfig.{yaml,yml,json}",
        "**/*.kubeconfig", "**/.netrc", "**/_netrc",
        "**/.git-credentials", "**/.npmrc", "**/.pypirc", "**/.yarnrc*", "**/.gem/credentials",
        "**/.cargo/credentials*", "**/.terraformrc", "**/.terraform.d/credentials*",
        "**/.vault-token", "**/credentials", "**/credentials.json",
        "**/.password-store/**", "**/.gnupg/**", "**/.m2/settings*.xml",
        "**/.gradle/gradle.properties", "**/*.tfstate", "**/*.tfstate.backup",
        # a saved terraform plan holds the sensitive values in plain text (plan -out)
        "**/tfplan", "**/*.tfplan",
        "**/.env", "**/.env.*", "**/.envrc")),
    ("database client configs", "secret", (
        "**/.my.cnf", "**/.mylogin.cnf", "**/.pgpass", "/etc/mysql/debian.cnf",
        "/etc/mysql/**/*.cnf", "**/.mongorc.js", "**/.rediscli_auth", "**/.s3cfg",
        "**/.boto")),
    ("cluster admin configs", "secret", (
        "/etc/kubernetes/*.conf", "/etc/kubernetes/pki/**", "/etc/rancher/**",
        "/var/lib/rancher/k3s/server/**", "/var/lib/kubelet/pki/**", "**/admin.conf",
        "/etc/wireguard/**", "/etc/NetworkManager/system-connections/**",
        "/etc/ppp/*-secrets", "/etc/ssl/private/**", "/etc/pki/tls/private/**",
        "/etc/letsencrypt/{live,archive,keys,accounts}/**")),
    ("shell and client history", "secret", (
        "**/.*_history", "**/.*history", "**/.histfile", "**/.lesshst", "**/.dbshell",
        "**/.local/share/fish/fish_history", "**/.psql_history*", "**/.viminfo")),
    ("process memory, environment and open files", "secret", (
        "/proc/*/{environ,mem,maps,smaps,auxv,cmdline}", "/proc/*/task/*/{environ,mem,cmdline}",
        "/proc/*/{fd,map_files,root,cwd}/**", "/proc/*/task/*/{fd,root,cwd}/**",
        "/proc/kcore", "/dev/mem", "/dev/kmem", "/dev/port",
        # (harmful sets s16/s17) memory kept on disk: core dumps and crash reports, swap,
        # the images of virtual machines' disks (a raw disk device is the catalogue's: the
        # tools that report on one take it by name)
        # (never a ``**/NAME*`` pattern: a glob such as ``*.pyc`` could match it)
        "/var/lib/systemd/coredump/**", "/var/crash/**", "/var/lib/apport/coredump/**",
        "/core", "/swapfile",
        "/swap.img", "/swap", "/var/lib/libvirt/images/**",
        "**/*.{qcow2,vmdk,vdi,vhd,vhdx}")),
    ("repository configs (tokens in remote URLs)", "secret", ("**/.git/config",)),
    ("mounted secrets", "secret", ("/run/secrets/**", "/var/run/secrets/**",
                                   # (harmful set s16) every pod's volumes on a node (Secrets,
                                   # projected service-account tokens), systemd's decrypted
                                   # credentials, the CSI secret store, MicroK8s' credentials
                                   "/var/lib/kubelet/pods/**", "/run/credentials/**",
                                   "/mnt/secrets-store/**", "/var/snap/microk8s/**/credentials/**",
                                   "/var/snap/microk8s/**/backend/**")),
    ("application and container secrets", "secret", (
        "/var/lib/docker/containers/*/config.v2.json", "/var/lib/docker/swarm/**",
        # (harmful sets s16/s17) containers' volumes and filesystems seen from the host (a
        # datastore's files, an app's config), and services that keep credentials in clear:
        # backup repositories' keys, Tomcat's manager users, Grafana's provisioned data
        # sources, debconf's answers, Kerberos caches, tunnel and agent enrolment tokens,
        # dynamic DNS, DNS servers' API keys and TSIG keys, RADIUS secrets, LDAP bind passwords
        "/var/lib/docker/volumes/**", "/var/lib/containers/storage/volumes/**",
        "/var/lib/docker/overlay2/**", "/var/lib/containers/storage/overlay/**",
        "/etc/pgbackrest/**", "/etc/pgbackrest.conf", "**/tomcat-users.xml",
        "/etc/grafana/provisioning/**", "/var/cache/debconf/{passwords,config}.dat",
        "/etc/cloudflared/**", "**/.cloudflared/**", "/var/ossec/etc/{client.keys,authd.pass}",
        "/etc/mongo*key*", "**/{mongodb-keyfile,mongo-keyfile,mongodb.keyfile,keyfile}",
        "**/{frpc,frps}.{ini,toml,yaml,yml}", "/etc/frp/**", "**/ngrok.yml", "**/.ngrok2/**",
        "/etc/ddclient.conf", "/etc/ddclient/**", "/etc/powerdns/**", "/etc/pdns/**",
        "/etc/knot/**", "/etc/freeradius/**", "/etc/raddb/**", "/etc/webmin/miniserv.users",
        "/etc/teleport.yaml", "/var/lib/teleport/**", "/etc/boundary.d/**",
        "**/couchdb/etc/local.ini", "/etc/couchdb/local.ini", "/etc/nslcd.conf",
        "/etc/{libnss-ldap,pam_ldap}.secret", "/var/lib/*beat/*.keystore",
        "/etc/*beat/*.keystore",
        "/var/lib/containerd/**/config.json", "/etc/gitlab/gitlab-secrets.json",
        "/etc/gitlab/initial_root_password", "**/wp-config.php", "**/settings.local.php",
        "**/config/master.key", "**/config/credentials/*.key", "**/*.secrets.{yml,yaml,json}",
        "/etc/environment", "/etc/default/*.env", "/etc/*/credentials*",
        "/var/lib/jenkins/{secrets,credentials.xml,secret.key}*",
        "/var/lib/grafana/grafana.db", "/etc/grafana/grafana.ini")),
    # (red team s10) files named for what they hold, and the credential stores of services
    # and backup tools, in every place they sit: a table of names was beaten by the next one
    ("named credential files", "secret", (
        "**/*.env", "**/*.{secret,secrets}", "**/{htpasswd,.htpasswd,*.htpasswd,smbpasswd,"
        "sasl_passwd,sasl_passwd.db}", "/etc/**/*{_,-}{token,secret,secrets,credentials}",
        "**/{passphrase,*.passphrase,*_passphrase}", "**/acme.json",
        "**/secrets.{yml,yaml,json,toml}",
        "**/.mc/config.json", "/etc/ipsec.secrets", "/etc/ipsec.d/private/**",
        "/etc/pgbouncer/userlist.txt", "/var/lib/samba/private/**", "/var/lib/rancher/**",
        "/etc/gitlab-runner/**", "/etc/sssd/**",
        # backups of env files, cloud-init's user data (bootstrap secrets), cluster and VPN
        # identities, registry and package-repository credentials, mail relay passwords
        "**/*.env{~,.bak,.old,.orig,.save,.backup,.swp,.local,.prod,.production}",
        "**/*{-,_}kubeconfig", "**/*.keyring", "**/*.{priv,prv}",
        "/var/lib/cloud/**/user-data*", "/var/lib/cloud/**/vendor-data*",
        "/run/cloud-init/*sensitive*", "/var/lib/tailscale/**", "/var/lib/zerotier-one/**",
        "/var/lib/kubelet/config.json", "/etc/apt/auth.conf", "/etc/apt/auth.conf.d/**",
        "**/{msmtprc,.msmtprc,ssmtp.conf,passwd.client,authinfo,.authinfo,chrony.keys}",
        "**/{wpa_supplicant,hostapd}*.conf",
        # (session 15, sysadmin helper) Proxmox storage passwords and private keys, DNSSEC
        # private keys, netplan (Wi-Fi passwords), corosync's cluster key, Samba's secrets
        # database, CIFS mount credentials, backup tools' environment files
        "/etc/pve/priv/**", "/etc/pve/**/*.pw", "**/K*.private", "/etc/netplan/**",
        "/etc/corosync/authkey", "**/secrets.tdb", "/etc/cifs-cred*", "/etc/*/cifs-cred*",
        "**/.smbcredentials", "/etc/default/restic*", "/etc/default/borg*")),
    # (red team s16) the password stores of services, by where each keeps them: Kerberos'
    # master key and principal database, SASL's, mail and proxy user files, pgpool's md5
    # list, LDAP and SSSD databases (password hashes, cached credentials), 389-DS's token
    # PIN, DKIM signing keys, LUKS key files, AWX's SECRET_KEY, NTP symmetric keys,
    # s3fs and rclone remotes, Ansible vault passwords
    ("service password stores", "secret", (
        "/etc/krb5kdc/**", "/var/kerberos/krb5kdc/**", "/var/lib/krb5kdc/**",
        "**/.k5.*", "**/{sasldb,sasldb2}{,.db}", "/etc/dovecot/{users,passwd,*.passwd}",
        "/etc/dovecot/private/**", "/etc/mosquitto/{passwd,passwords,pwfile,*.passwd}",
        "/etc/squid*/{passwd,passwords,*.passwd}", "**/htpasswd.users", "/etc/**/htpasswd*",
        "**/{pool_passwd,pcp.conf}", "/var/lib/ldap/**", "/var/lib/openldap*/**",
        "/var/lib/sss/**", "/etc/{ldap,openldap}/slapd.d/**", "/etc/{ldap,openldap}/slapd.conf",
        "/etc/dirsrv/**/{pin.txt,pwdfile.txt,key*.db,cert*.db}", "/etc/opendkim/keys/**",
        "/etc/dkimkeys/**", "**/*.private", "/etc/luks-keys/**", "/etc/cryptsetup-keys.d/**",
        "**/*.luks{,-key}", "/etc/tower/{SECRET_KEY,conf.d/**}",
        "**/{SECRET_KEY,secret_key}", "/etc/ntp.keys", "/etc/ntp/keys",
        "**/ntp.keys", "**/{passwd-s3fs,.passwd-s3fs}", "**/rclone.conf",
        # (a name that a glob could spell takes no extension: ``*.txt`` would meet it; one
        # that starts with "." may, no glob starts a name with it)
        "**/.vault{_,-,.}pass{,word,wd}{,.txt,.sh,.py,.gpg}", "**/vault{_,-,.}pass{,word,wd}",
        "**/*{_,-,.}vault{_,-,.}pass{,word,wd}")),
    # (red team s16) web applications' and services' configuration files that hold their
    # database and admin passwords (Nextcloud, Magento, phpMyAdmin, Drupal, Gitea, Redis'
    # requirepass, certbot's DNS-plugin credentials) and service units (Environment=)
    ("application configs that carry passwords", "maybe", (
        "**/nextcloud/config/*.php", "**/owncloud/config/*.php", "**/app/etc/env.php",
        "/etc/phpmyadmin/**", "**/sites/*/settings.php", "/etc/gitea/**", "**/gitea/app.ini",
        "**/custom/conf/app.ini", "/etc/redis/**", "/etc/redis*.conf", "**/redis.conf",
        "**/sentinel.conf", "/etc/letsencrypt/*.ini", "/etc/letsencrypt/**/*.ini",
        "/etc/systemd/system/**/*.service", "/run/systemd/system/**/*.service",
        "/etc/systemd/user/**/*.service", "/etc/postfix/sasl/**", "/etc/postfix/*sasl*",
        "**/config/database.yml", "**/config/secrets.yml", "**/LocalSettings.php",
        "**/configuration.php", "**/config.inc.php", "**/parameters.yml",
        "/etc/dovecot/**", "/etc/mosquitto/**", "/etc/pgpool*/**")),
    ("service and backup configs that carry credentials", "maybe", (
        "/etc/gitlab/**", "/etc/consul.d/**", "/etc/vault.d/**", "/etc/nomad.d/**",
        "/etc/restic/**", "/etc/borgmatic*/**", "/etc/duplicity/**", "/etc/default/minio",
        "/etc/minio/**", "/etc/rabbitmq/**", "/etc/traefik/**",
        "/etc/profile.d/**", "/etc/openvpn/**", "/etc/ldap*.secret",
        "/etc/containerd/**", "/etc/odbc.ini", "/etc/zabbix/**", "/etc/keepalived/**",
        "/etc/kibana/**", "/etc/alertmanager/**", "/etc/snmp/**", "/etc/ppp/peers/**",
        "/etc/filebeat/**", "/etc/pip.conf", "/etc/npmrc", "/usr/local/etc/npmrc",
        # a unit's drop-ins (``systemctl edit`` writes override.conf): Environment= secrets
        # (red team s15 E2)
        "/etc/systemd/system/*.d/**", "/run/systemd/system/*.d/**",
        "/etc/systemd/user/*.d/**",
        # monitoring agents' API keys (harmful set s15)
        "/etc/datadog-agent/**", "/etc/newrelic*/**", "/etc/newrelic*.yml",
        "/etc/sentry*/**", "/etc/telegraf/**", "/etc/google-cloud-ops-agent/**",
        "/etc/ceph/**")),
    # (session 12) the data stack's files that hold its clients' and servers' passwords:
    # Kafka clients' SASL settings and JAAS logins, Hive's metastore password, Hadoop's
    # keystore passwords, ClickHouse users, Trino catalogs' connection passwords, Airflow's
    # fernet key and database URL, dbt profiles, Great Expectations' uncommitted variables,
    # NATS accounts
    ("data service configs that carry credentials", "maybe", (
        "**/{jaas,*_jaas,*-jaas,*.jaas}.conf", "**/jaas{_,-}*.conf",
        "**/{consumer,producer,client,admin}.properties",
        "**/command-config*.properties", "**/hive-site.xml", "**/ssl-{server,client}.xml",
        "/etc/clickhouse-server/users.xml", "/etc/clickhouse-server/users.d/**",
        "/etc/clickhouse-client/**", "/etc/{trino,presto}/catalog/**",
        "/etc/{trino,presto}/password*", "**/airflow.cfg", "**/profiles.yml",
        "**/great_expectations/uncommitted/**", "**/gx/uncommitted/**", "/etc/nats/**",
        "**/nats-server.conf")),
    # (red team s13) a project's configuration files named for a secret
    # (``config/secret.exs``, ``k8s/db-secret.yaml``), service-account keys, package-manager
    # auth files. Not terraform's variable files: ``plan -var-file`` reads them unprinted
    ("project files named for secrets", "maybe", (
        # a name that starts or ends with the word (one ``*`` per glob: a word in the middle
        # would need two, which no linear regex matches)
        # (not .xml, .conf, .ini, .cfg, .properties: a glob of test reports or of a
        # service's configuration would then be held as if it named one)
        "**/*{secret,secrets,Secret,Secrets,SECRET,credential,credentials,Credentials,"
        "password,passwords,Password,PASSWORD}.{yml,yaml,json,toml,exs,key,enc}",
        "**/{secret,Secret,SECRET,credential,Credential,password,Password,PASSWORD}*."
        "{yml,yaml,json,toml,exs,key,enc}",
        "**/*service{-,_}account.json", "**/service{-,_}account*.json", "**/auth.json",
        "**/.vault-token", "**/vault-token")),
    # (red team s14) a credential file of the next tool is not on any list (kaggle.json,
    # huggingface's token, .databrickscfg, sops' age keys): what a home's dot-files and
    # dot-directories hold is the login's, unknown unless listed harmless (EXEMPT)
    ("a home's dot-files", "maybe", (
        "/~*/.*", "/~*/.*/**", "/home/*/.*/**", "/var/lib/*/.*/**",
        # www-data's home, where a web app's tools keep their tokens (red team s14 G7)
        "/var/www/.*", "/var/www/.*/**")),
    ("places that often hold secrets", "maybe", (
        # (harmful set s17) Kerberos ticket caches: klist reports on one by name, a copy of
        # it is a ticket another host can use
        "/tmp/krb5cc_*", "/run/user/*/krb5cc*", "/var/lib/sss/db/ccache_*",
        "/root/**", "**/secret/**", "**/secrets/**",
        "/var/lib/*/.*", "/home/*/.*",
        # backups hold copies of everything above (an archive of /etc holds shadow), and a
        # datastore's files hold its users' password hashes; the archive's name says nothing
        "/var/backups/**", "/{backup,backups}/**", "/*/{backup,backups}/**",
        "/var/lib/{mysql,postgresql,mongodb,"
        "redis,etcd}/**")),
)
#: (glob, classes it lifts; empty = every class). A literal path inside one is not secret; a
#: word the shell expands is not secret only if every expansion stays inside one.
EXEMPT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("**/*.pub", ()),
    ("**/.ssh/{known_hosts,known_hosts.old,known_hosts2,authorized_keys,authorized_keys2,config,"
     "rc,environment}", ("ssh keys and config dir",)),
    ("**/.aws/config", ("cloud and CLI credentials",)),
    ("**/.env.{example,sample,template,dist}", ("cloud and CLI credentials",)),
    ("**/*{.,-,_}{example,sample,template,dist}.env", ("named credential files",)),
    ("**/*.env.{example,sample,template,dist}", ("named credential files",)),
    # a copy in scratch space is the agent's own (reading the original is what is held)
    ("/{tmp,var/tmp}/*.env", ("named credential files",)),
    ("/etc/ssl/certs/**", ()), ("/usr/share/ca-certificates/**", ()),
    ("/usr/local/share/ca-certificates/**", ()), ("/etc/ca-certificates/**", ()),
    ("/etc/pki/ca-trust/**", ()), ("/etc/pki/tls/certs/**", ()),
    ("/usr/share/ssl/certs/**", ()), ("/etc/ssl/certs", ()),
    # a home's dot-files that hold settings, programs and caches of code, never credentials
    ("{/~,/~*,/home/*}/{.vimrc,.tmux.conf,.inputrc,.editorconfig,.selected_editor,.nvmrc,"
     ".tool-versions,.python-version,.gitignore_global,.bash_logout,.hushlogin,.lesshst,"
     ".wget-hsts,.sudo_as_admin_successful,.dircolors}", ("a home's dot-files",)),
    ("{/~,/~*,/home/*}/{.config/nvim,.vim,.local/bin,.local/share/man,.npm/_logs,"
     ".cache/pip/http,.cargo/registry/src,.rustup/toolchains,.m2/repository,.gradle/caches,"
     ".nvm/versions,.pyenv/versions,.rbenv/versions,.venv,.virtualenvs,.cache/pre-commit,"
     ".local/lib/python*/site-packages,.local/share/virtualenvs}/**", ("a home's dot-files",)),
    # the command's own standard streams (the SSH channel), not another process's files
    ("/proc/self/fd/{0,1,2}", ("process memory, environment and open files",)),
    ("/proc/thread-self/fd/{0,1,2}", ("process memory, environment and open files",)),
    # (session 17) a backup's checksum list: hashes and the archive's name, never its content
    ("{/var/backups,/backup,/backups,/*/backup,/*/backups}/**/*.{sha1,sha256,sha512,md5,"
     "sha1sum,sha256sum,sha512sum,md5sum}", ("places that often hold secrets",)),
    ("{/var/backups,/backup,/backups,/*/backup,/*/backups}/**/{SHA256SUMS,SHA512SUMS,MD5SUMS,"
     "SHA1SUMS}", ("places that often hold secrets",)),
)

_GLOB_CHARS = re.compile(r"[*?\[]")
#: A longer string cannot be opened (Linux PATH_MAX).
PATH_MAX = 4096
#: a longer glob or expansion is taken to match anything (the search is O(length * glob))
MAX_PATTERN = 512
#: how many words a brace may expand to before the guard treats it as "anything"
MAX_BRACE = 64


def expand_braces(glob: str, limit: int = MAX_BRACE) -> list[str] | None:
    """Bash brace expansion of ``{a,b}`` (nested too); ``{1..9}`` becomes ``*``. None when
    the expansion would exceed ``limit`` words or the braces are unbalanced."""
    out = [""]
    i, n = 0, len(glob)
    while i < n:
        ch = glob[i]
        if ch == "\\" and i + 1 < n:
            out = [o + glob[i:i + 2] for o in out]
            i += 2
            continue
        if ch == "$" and glob.startswith("${", i):
            j = glob.find("}", i)
            j = n if j < 0 else j + 1
            out = [o + glob[i:j] for o in out]
            i = j
            continue
        if ch != "{":
            j = i + 1
            while j < n and glob[j] not in "{\\$":
                j += 1
            out = [o + glob[i:j] for o in out]
            i = j
            continue
        depth, j, parts, start = 0, i, [], i + 1
        while j < n:
            if glob[j] == "\\":
                j += 2
                continue
            if glob[j] == "{":
                depth += 1
            elif glob[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            elif glob[j] == "," and depth == 1:
                parts.append(glob[start:j])
                start = j + 1
            j += 1
        if j >= n:
            return None
        parts.append(glob[start:j])
        if len(parts) == 1:
            # {x} is literal; {a..b} is a sequence (letters or numbers): any run of them
            alts = ["*"] if ".." in parts[0] else ["{" + parts[0] + "}"]
        else:
            alts = []
            for p in parts:
                sub = expand_braces(p, limit)
                if sub is None:
                    return None
                alts.extend(sub)
        out = [o + a for o in out for a in alts]
        if len(out) > limit:
            return None
        i = j + 1
    return out


# --- globs as atoms: what one step of a path can be --------------------------------------------
# An atom is (kind, chars): kind "c" consumes one character from ``chars`` (a frozenset; with
# negate), "*" loops over characters other than "/", "**" loops over any character.
_ANY = frozenset()


@dataclass(frozen=True, slots=True)
class Atom:
    loop: bool
    #: characters this atom may produce: ``chars`` (or all but them when ``negate``)
    chars: frozenset[str]
    negate: bool
    #: produced by the shell (glob, expansion): cannot start a component with "."
    wild: bool = False
    #: may produce "/" (``**``, ``$x``)
    slash: bool = False


_SLASH = frozenset("/")


def _class(text: str, i: int) -> tuple[Atom, int] | None:
    """The bracket expression at ``text[i] == '['``: its atom and the index after it."""
    j = i + 1
    negate = j < len(text) and text[j] in "!^"
    if negate:
        j += 1
    chars: set[str] = set()
    first = True
    while j < len(text) and (text[j] != "]" or first):
        first = False
        if j + 2 < len(text) and text[j + 1] == "-" and text[j + 2] != "]":
            lo, hi = ord(text[j]), ord(text[j + 2])
            if hi - lo > 256 or hi < lo:
                return Atom(False, _SLASH, True, True), _close(text, j)
            chars.update(chr(c) for c in range(lo, hi + 1))
            j += 3
            continue
        if text[j] == "[" and text.startswith(("[:", "[=", "[."), j):
            return Atom(False, _SLASH, True, True), _close(text, j)  # a POSIX class: any
        chars.add(text[j])
        j += 1
    if j >= len(text):
        return None  # no closing bracket: bash reads '[' literally
    if negate:
        return Atom(False, frozenset(chars) | _SLASH, True, True), j + 1
    return Atom(False, frozenset(chars) - _SLASH, False, True), j + 1


def _close(text: str, j: int) -> int:
    k = text.find("]", j + 1)
    k = text.find("]", k + 1) if k >= 0 and text[j] == "[" else k
    return len(text) if k < 0 else k + 1


@functools.lru_cache(maxsize=4096)
def atoms(glob: str, *, word: bool) -> tuple[Atom, ...]:
    """``glob`` as atoms. ``word``: a shell word (``$...`` and backquotes are expansions that
    may produce anything, "/" included); else a table glob (``**`` spans components)."""
    out: list[Atom] = []
    i, n = 0, len(glob)
    while i < n:
        ch = glob[i]
        if ch == _LOOP_ANY and not word:
            out.append(Atom(True, _ANY, True, False, True))
            i += 1
        elif ch == "*":
            out.append(Atom(True, _SLASH, True, word))
            i += 1
        elif ch == "?":
            out.append(Atom(False, _SLASH, True, word))
            i += 1
        elif ch == "[":
            got = _class(glob, i)
            if got is None:
                out.append(Atom(False, frozenset("["), False))
                i += 1
            else:
                out.append(got[0])
                i = got[1]
        elif word and ch in "$`":
            out.append(Atom(True, _ANY, True, False, True))
            i = _expansion_end(glob, i)
        elif ch == "\\" and i + 1 < n:
            out.append(Atom(False, frozenset(glob[i + 1]), False))
            i += 2
        else:
            out.append(Atom(False, frozenset(ch), False))
            i += 1
    return tuple(out)


def _expansion_end(text: str, i: int) -> int:
    """The index after the expansion starting at ``text[i]`` (``$x``, ``${..}``, ``$(..)``,
    backquotes); the end of the word when it cannot tell."""
    n = len(text)
    if text[i] == "`":
        j = text.find("`", i + 1)
        return n if j < 0 else j + 1
    if i + 1 >= n:
        return n
    nxt = text[i + 1]
    if nxt in "({":
        close = ")" if nxt == "(" else "}"
        depth, j = 0, i + 1
        while j < n:
            if text[j] == nxt:
                depth += 1
            elif text[j] == close:
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return n
    if nxt.isalpha() or nxt == "_":
        j = i + 1
        while j < n and (text[j].isalnum() or text[j] == "_"):
            j += 1
        return j
    return min(n, i + 2)  # $1, $@, $$, $'...' (the rest stays literal text: conservative)


def _chars(a: Atom, at_start: bool) -> tuple[frozenset[str], bool]:
    """What ``a`` may produce here, as (chars, negate): a glob never starts a component with
    ".", and a loop within a component never produces "/"."""
    chars, neg = a.chars, a.negate
    drop = set()
    if a.wild and at_start:
        drop.add(".")
    if a.loop and not a.slash:
        drop.add("/")
    if drop:
        chars = chars | frozenset(drop) if neg else chars - frozenset(drop)
    return chars, neg


@functools.lru_cache(maxsize=16384)
def _meets(a: Atom, b: Atom, at_start: bool) -> tuple[bool, bool]:
    """Can ``a`` and ``b`` produce the same character? (one other than "/", "/")"""
    ac, an = _chars(a, at_start)
    bc, bn = _chars(b, at_start)
    if an and bn:
        return True, "/" not in ac and "/" not in bc
    if an or bn:
        pos, neg = (bc, ac) if an else (ac, bc)
        rest = pos - neg
    else:
        rest = ac & bc
    return bool(rest - _SLASH), "/" in rest


def intersects(w: tuple[Atom, ...], g: tuple[Atom, ...]) -> bool:
    """Is there one string both atom sequences produce? A search over pairs of positions:
    O(len(w) * len(g)), each state visited once."""
    seen: set[tuple[int, int, bool]] = set()
    stack = [(0, 0, True)]
    nw, ng = len(w), len(g)
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j, start = state
        if i == nw and j == ng:
            return True
        if i < nw and w[i].loop:
            stack.append((i + 1, j, start))
        if j < ng and g[j].loop:
            stack.append((i, j + 1, start))
        if i < nw and j < ng:
            other, slash = _meets(w[i], g[j], start)
            ni = i if w[i].loop else i + 1
            nj = j if g[j].loop else j + 1
            if other:
                stack.append((ni, nj, False))
            if slash:
                stack.append((ni, nj, True))
    return False


def _table_regex(glob: str) -> str:
    """A table glob (braces expanded) as a regex for ``fullmatch``: a leading or inner
    ``**/`` is any directories, a trailing ``/**`` the directory itself or anything in it."""
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("(?:/.*)?")
            i += 3
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


#: in table variants: any run of characters, "/" included (``**`` spelt as one character)
_LOOP_ANY = "\x00"


def _variants(glob: str) -> list[str]:
    """A table glob without ``**``: each ``**/`` is either nothing or any text ending in "/",
    a trailing ``/**`` nothing or "/" and any text."""
    if glob.endswith("/**"):
        base = glob[:-3]
        return _variants(base) + _variants(base + "/" + _LOOP_ANY)
    k = glob.find("**/")
    if k < 0:
        return [glob]
    head, tail = glob[:k], glob[k + 3:]
    return [head + v for v in _variants(tail)] + \
        [head + _LOOP_ANY + "/" + v for v in _variants(tail)]


def _expanded(globs: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for g in globs:
        got = expand_braces(g, 1024)
        assert got is not None, g
        out.extend(got)
    return out


@dataclass(frozen=True, slots=True)
class _Entry:
    klass: str
    tier: str
    glob: str
    #: one atom sequence per variant, with the atoms of its last component (None: any)
    variants: tuple[tuple[tuple[Atom, ...], tuple[Atom, ...] | None], ...]


def _entry(klass: str, tier: str, glob: str) -> _Entry:
    vs = []
    for v in _variants(glob):
        tail = v.rsplit("/", 1)[-1]
        vs.append((atoms(v, word=False),
                   None if _LOOP_ANY in tail else atoms(tail, word=False)))
    return _Entry(klass, tier, glob, tuple(vs))


_ENTRIES: tuple[_Entry, ...] = tuple(
    _entry(k, t, g) for k, t, globs in SECRET_TABLE for g in _expanded(globs))
_EXEMPT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (g, classes) for glob, classes in EXEMPT for g in _expanded((glob,)))
#: every variant's components, by its last component (the cheap first test)
_BY_LAST: dict[str, list[tuple[_Entry, tuple[str, ...]]]] = {}
for _e in _ENTRIES:
    for _v in _variants(_e.glob):
        _BY_LAST.setdefault(_v.rsplit("/", 1)[-1], []).append((_e, tuple(_v.split("/"))))


def _alternatives(entries: list[tuple[int, _Entry]], globs: list[str]) -> str:
    return "|".join(f"(?P<e{i}>{_table_regex(g)})" for (i, _), g in zip(entries, globs,
                                                                         strict=True))


_ABS = [(i, e) for i, e in enumerate(_ENTRIES) if e.glob.startswith("/")]
_NAMES = [(i, e) for i, e in enumerate(_ENTRIES) if e.glob.startswith("**/") and
          "/" not in e.glob[3:] and _GLOB_CHARS.search(e.glob[3:])]
#: ``**/D/...`` entries with a literal first component, by that component
_BY_FIRST: dict[str, list[tuple[_Entry, tuple[str, ...]]]] = {}
for _i, _e in enumerate(_ENTRIES):
    if _e.glob.startswith("**/") and (_i, _e) not in _NAMES:
        _rest = _e.glob[3:]
        assert "**" not in _rest[:-3] and not _GLOB_CHARS.search(_rest.split("/")[0]), _e.glob
        _BY_FIRST.setdefault(_rest.split("/")[0], []).append((_e, tuple(_rest.split("/"))))
#: absolute secret globs, anchored at the start (one start: linear)
ABS_SECRET_RX = re.compile(r"\A(?:" + _alternatives(
    [x for x in _ABS if x[1].tier == "secret"],
    [e.glob for _, e in _ABS if e.tier == "secret"]) + r")\Z")
ABS_MAYBE_RX = re.compile(r"\A(?:" + _alternatives(_ABS, [e.glob for _, e in _ABS]) + r")\Z")
#: secret file names by glob (``*.pem``, ``.*_history``), matched on the last component
NAME_RX = re.compile(r"\A(?:" + _alternatives(_NAMES, [e.glob[3:] for _, e in _NAMES]) +
                     r")\Z")
EXEMPT_RX = re.compile(r"\A(?:" + "|".join(_table_regex(g) for g, _ in _EXEMPT) + r")\Z")


def compile_tables() -> None:
    """Compile now the fnmatch pattern of every table component (else the first word that
    meets one compiles it, inside that line's budget)."""
    for comps in [*_BY_LAST, *(c for g in (*_BY_LAST.values(), *_BY_FIRST.values())
                               for _, cs in g for c in cs)]:
        if _GLOB_CHARS.search(comps):
            fnmatch.fnmatchcase("", comps)


def _literal_class(q: str, tier: str) -> str | None:
    """The class of a literal, normalised path."""
    if EXEMPT_RX.match(q):
        return None
    m = (ABS_SECRET_RX if tier == "secret" else ABS_MAYBE_RX).match(q)
    if m:
        return _ENTRIES[int(m.lastgroup[1:])].klass  # type: ignore[index]
    comps = q.split("/")
    m = NAME_RX.match(comps[-1])
    if m:
        return _ENTRIES[int(m.lastgroup[1:])].klass  # type: ignore[index]
    for i, comp in enumerate(comps):
        for e, want in _BY_FIRST.get(comp, ()):
            if (tier == "maybe" or e.tier == "secret") and _tail(comps[i:], want):
                return e.klass
    return None


def _tail(have: list[str], want: tuple[str, ...]) -> bool:
    """``have`` (components from one position on) matches ``want``; a trailing ``**`` takes
    the rest (or nothing)."""
    if want[-1] == "**":
        want = want[:-1]
        if len(have) < len(want):
            return False
        have = have[:len(want)]
    elif len(have) != len(want):
        return False
    return all(h == w if not _GLOB_CHARS.search(w) else fnmatch.fnmatchcase(h, w)
               for h, w in zip(have, want, strict=True))


#: /proc links a path may go through: ``self`` is one directory below /proc, ``thread-self``
#: three (``/proc/PID/task/TID``), ``root`` is the process's root, ``cwd`` a directory the
#: guard does not know
_PROC_THREAD = re.compile(r"^/proc/+thread-self(?=/|$)")
_PROC_ROOT = re.compile(r"^/proc/+[^/]++/+root(?=/|$)")
_PROC_CWD = re.compile(r"^/proc/+[^/]++/+cwd(?:/|$)")


def _normal(p: str) -> str:
    """``~/x`` and ``~user/x`` as a path the table's ``**/`` globs see; ``/a//b/../c`` tidy,
    with /proc's links followed first (``..`` after a link climbs from where it points)."""
    q = p.strip()
    if _DIR_TILDE.match(q):
        q = _SOME_DIR + q[_DIR_TILDE.match(q).end():]
    elif q.startswith("~"):
        q = "/~" + q[1:] if "/" in q else "/~"
    if q.startswith("/proc/"):
        q = _PROC_THREAD.sub("/proc/self/task/self", q)
        q = _PROC_ROOT.sub("", q) or "/"
        q = _PROC_CWD.sub("", q) if _PROC_CWD.match(q) else q
    if q.startswith("/"):
        q = posixpath.normpath(q)
        if q.startswith("//"):
            q = "/" + q.lstrip("/")
    elif q.startswith("./"):
        q = q[2:]
    return q


_WILD = re.compile(r"[*?\[{$`]")
#: ``~+`` ``~-`` ``~N``: the current, previous or a stacked directory, known at run time
_DIR_TILDE = re.compile(r"~(?:[+-]\d*|\d+)(?=/|\Z)")
_BLANK = re.compile(r"\s")


@functools.lru_cache(maxsize=8192)
def secret_class(p: str, tier: str = "secret") -> str | None:
    """The secret class ``p`` (a path, or a word the shell still expands) could name, or None.
    ``tier`` ``secret``: the rule's list; ``maybe``: also places that often hold secrets."""
    if not p or len(p) > PATH_MAX:
        return None
    if _WILD.search(p) and not _BLANK.search(_without_expansions(p)):
        # (a word with a blank came quoted: the shell expands none of it)
        if len(p) > MAX_PATTERN:
            return "a pattern too long to follow"
        return _pattern_class(p, tier)
    q = _normal(p)
    got = _climbing_class(q, tier) if not q.startswith("/") else _literal_class(q, tier)
    if got or "/.." not in p:
        return got
    return _past_link_class(p, tier)


#: where the rules try what follows a climb past a link: the root, and /proc, where the
#: system's links lead (/dev/fd, /dev/stdin, /proc/self). Trying *every* directory would
#: name every path a secret (/etc/sudoers.d/** is some directory); the catalogue holds any
#: such climb as unknown instead.
_CLIMB_BASES = ("/", "/proc/", "/proc/*/", "/proc/*/task/*/")


def climb_past_name(p: str) -> int:
    """The component index of the last ``..`` that follows a name (``a/..``: where it lands
    depends on whether a is a link), or -1."""
    seen_name = False
    last = -1
    for i, c in enumerate(p.split("/")):
        if c == "..":
            if seen_name:
                last = i
        elif c not in ("", "."):
            seen_name = True
    return last


def _past_link_class(p: str, tier: str) -> str | None:
    """``a/b/../x`` is ``x`` beside b's parent only when b is no symlink (/var/run,
    /dev/fd, a link an archive planted): the kernel climbs from where b points. So what
    follows the last ``..`` may sit under any directory."""
    last = climb_past_name(p)
    if last < 0:
        return None
    comps = p.split("/")
    if tier == "maybe":
        return "a path that climbs past a directory that may be a symlink"
    rest = "/".join(c for c in comps[last + 1:] if c not in ("", "."))
    if not rest:
        return None
    for base in _CLIMB_BASES:
        got = secret_class(base + rest, tier)
        if got:
            return got
    return None


def _climbing_class(q: str, tier: str) -> str | None:
    """A relative path that climbs out of the working directory (``../../etc/x``) lands in
    a directory the guard does not know: what follows the climb matches anywhere."""
    q = posixpath.normpath(q)
    if not q.startswith(".."):
        return _literal_class(q, tier)
    parts = [c for c in q.split("/") if c != ".."]
    for k in range(len(parts)):
        hit = _literal_class("/" + "/".join(parts[k:]), tier)
        if hit:
            return hit
    return _literal_class(q, tier)


def _without_expansions(word: str) -> str:
    """``word`` with its ``$...`` and backquoted parts cut out."""
    if "$" not in word and "`" not in word:
        return word
    out, i, n = [], 0, len(word)
    while i < n:
        if word[i] in "$`":
            i = _expansion_end(word, i)
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _computed_only(word: str) -> bool:
    """The word is nothing but expansions (and slashes): no literal part to match on."""
    i, n = 0, len(word)
    while i < n:
        if word[i] in "$`":
            i = _expansion_end(word, i)
        elif word[i] == "/":
            i += 1
        else:
            return False
    return True


#: stands for the directory a word's leading expansion names (``$HOME/x``, ``$(pwd)/x``):
#: some directory, matched by the table's ``**/`` but never itself a secret directory
_SOME_DIR = "/\x01"


def _pattern_class(word: str, tier: str) -> str | None:
    if ("$" in word or "`" in word) and _computed_only(word):
        return None  # ``$f``: nothing to match on (the catalogue judges computed words)
    alts = expand_braces(word)
    if alts is None:
        return "a brace expansion too large to follow"
    for alt in alts:
        if alt[:1] in ("$", "`"):
            end = _expansion_end(alt, 0)
            if alt[end:end + 1] == "/":
                alt = _SOME_DIR + alt[end:]
        if ".." in alt.split("/") and _WILD.search(alt):
            return "a computed path that climbs"
        q = alt
        if q.startswith("~"):
            q = "/~" + q[1:] if "/" in q else "/~"
        elif q.startswith("./"):
            q = q[2:]
        if not _WILD.search(q):
            got = secret_class(q, tier)
            if got:
                return got
            continue
        got = _glob_class(q, tier)
        if got:
            return got
    return None


def _glob_class(q: str, tier: str) -> str | None:
    """The class of the first table glob the shell word ``q`` could expand to a match of."""
    wa = atoms(q, word=True)
    if _exempt_word(wa, ""):
        return None
    if "$" in q or "`" in q:
        for e in _ENTRIES:
            if (tier == "maybe" or e.tier == "secret") and any(
                    intersects(wa, va) for va, _ in e.variants) and not _exempt_word(wa, e.klass):
                return e.klass
        return None
    comps = tuple(q.split("/"))
    for last, group in _BY_LAST.items():
        if last != _LOOP_ANY and not _comp_meets(comps[-1], last):
            continue
        for e, vcomps in group:
            if (tier == "maybe" or e.tier == "secret") and _comps_meet(comps, vcomps) and \
                    not _exempt_word(wa, e.klass):
                return e.klass
    return None


@functools.lru_cache(maxsize=16384)
def _comp_meets(word: str, glob: str) -> bool:
    """Can one path component match both the shell glob ``word`` and the table glob? A
    literal side is matched by the other side's regex; two globs by :func:`intersects`."""
    word_glob = _GLOB_CHARS.search(word) is not None
    if not _GLOB_CHARS.search(glob):
        if not word_glob:
            return word == glob
        if "[:" in word or "[=" in word or "[." in word:
            return intersects(atoms(word, word=True), atoms(glob, word=False))
        if word[:1] in "*?[" and glob[:1] == ".":
            return False  # a glob never matches a leading "." by itself
        return fnmatch.fnmatchcase(glob, word.replace("[^", "[!"))
    if not word_glob:
        return fnmatch.fnmatchcase(word, glob)
    wa, ga = atoms(word, word=True), atoms(glob, word=False)
    if word[:1] in "*?[" and glob[:1] == ".":
        return False  # a glob never matches a leading "." by itself
    # the literal ends must agree (one a prefix / suffix of the other) before the search
    wp, gp = _literal_end(wa, False), _literal_end(ga, False)
    ws, gs = _literal_end(wa, True), _literal_end(ga, True)
    if not (wp.startswith(gp) or gp.startswith(wp)) or not (ws.endswith(gs) or
                                                          gs.endswith(ws)):
        return False
    return intersects(wa, ga)


def _literal_end(a: tuple[Atom, ...], tail: bool) -> str:
    """The literal characters a glob starts (or ends) with."""
    out = []
    for x in reversed(a) if tail else a:
        if x.loop or x.negate or len(x.chars) != 1:
            break
        out.append(next(iter(x.chars)))
    return "".join(reversed(out) if tail else out)


def _comps_meet(w: tuple[str, ...], g: tuple[str, ...]) -> bool:
    """Component by component; a table component ``**`` spans any number of them."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(w) and j == len(g):
            return True
        if j < len(g) and g[j] == _LOOP_ANY:
            stack.append((i, j + 1))
            if i < len(w):
                stack.append((i + 1, j))
        elif i < len(w) and j < len(g) and _comp_meets(w[i], g[j]):
            stack.append((i + 1, j + 1))
    return False


def _exempt_word(w: tuple[Atom, ...], klass: str) -> bool:
    """Every expansion of the word stays inside an exemption of ``klass``: the word starts
    with an exempt directory's literal path (``/etc/ssl/certs/*``) or ends in ``.pub``."""
    lit = []
    for a in w:
        if a.loop or a.negate or len(a.chars) != 1:
            break
        lit.append(next(iter(a.chars)))
    prefix = "".join(lit)
    tail = []
    for a in reversed(w):
        if a.loop or a.negate or len(a.chars) != 1:
            break
        tail.append(next(iter(a.chars)))
    suffix = "".join(reversed(tail))
    for g, classes in _EXEMPT:
        if classes and klass not in classes or not klass and classes:
            continue
        if g.endswith("/**") and prefix.startswith(g[:-2]) and ".." not in prefix:
            return True
        if g.startswith("**/*") and "/" not in g[4:] and suffix.endswith(g[4:]) and \
                "/" not in suffix:
            return True
    return False


def is_secret_path(p: str) -> bool:
    """``p`` names (or could expand to) a secret the rules hold: keys, credentials, hashes."""
    return secret_class(p, "secret") is not None


def is_secret_literal(p: str) -> bool:
    """``p`` read as text, glob characters included (a program or pattern, not a path)."""
    return not _WILD.search(p) and secret_class(p, "secret") is not None


def maybe_secret_path(p: str) -> bool:
    """Also places that often hold secrets (``/root``, ``secrets/``): the catalogue's view."""
    return secret_class(p, "maybe") is not None


#: (red team s16) a bucket object's key names what it holds as a file's name does, in words
#: a table of paths cannot list: ``env/tfstate``, ``terraform.tfvars``, ``vault-unseal-keys``,
#: ``prod/db-password.txt``. A word counts only standing alone (no letter either side):
#: ``tokenizer.json`` and ``monkey.csv`` name none.
_SECRET_OBJECT_WORD = re.compile(
    r"(?i)(?<![a-z])(?:tfstate|tfvars|tfplan|secrets?|credentials?|creds|passwords?|passwd|"
    r"pwd|passphrase|unseal|private|vault|tokens?|keys?|api_?keys?|kubeconfig|htpasswd|"
    r"shadow|id_(?:rsa|dsa|ecdsa|ed25519)|keystore|keyring|netrc|pgpass|npmrc|pypirc|"
    r"wp-config|master\.key|sa[_-]key|service[_-]account|auth)(?![a-z])")
_OBJECT_URL = re.compile(r"(?i)^(?:s3|gs|az|r2|s3a|s3n|wasbs?|abfss?)://[^/]*/(.*)$")


def secret_object(url: str) -> bool:
    """A bucket URL (``s3://b/env/tfstate``) whose object key names a secret: a path of the
    secret table (either tier: ``config/database.yml``, ``.env``, ``*.pem``) or a key that
    has a credential's word in it."""
    m = _OBJECT_URL.match(url)
    if not m or not m.group(1):
        return False
    key = m.group(1)
    return bool(_SECRET_OBJECT_WORD.search(key)) or maybe_secret_path(key) or \
        maybe_secret_path("/" + key.lstrip("/"))
