"""Security auditing and network diagnosis, third pass (sshgate/guard/tools/secnet3.py and the
small edits of safe.py's ping, openssl verify, ssh-keygen and iptables shapes): ordinary lines
of each tool are allowed; each left-out class (writes, keys and secrets, files of the agent's
choosing read as configuration or code, unredacted or verbose secret scans, computed words,
scans outside the tree) has a look-alike that is held."""

from __future__ import annotations

from .expect import grouped_tests

ALLOWED = {
    "openssl": [
        "openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -noout -text",
        "openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -noout -text_pub",
        "openssl pkcs7 -in bundle.p7b -print_certs -noout",
        "openssl pkcs7 -inform der -in bundle.p7b -print_certs",
        "openssl crl2pkcs7 -nocrl -certfile chain.pem | openssl pkcs7 -print_certs -noout",
        "openssl dgst -sha256 release.tar.gz", "openssl sha256 release.tar.gz",
        "openssl x509 -in cert.pem -noout -modulus | openssl md5",
        "openssl verify -CAfile /etc/ssl/certs/ca-certificates.crt cert.pem",
        "openssl verify -CAfile chain.pem server.crt",
        "openssl verify -untrusted intermediate.pem -CAfile root.pem leaf.pem",
    ],
    "ssh-keygen": ["ssh-keygen -F github.com", "ssh-keygen -F '[git.internal]:2222'",
                   "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"],
    "firewall": [
        "sudo iptables -L DOCKER-USER -n -v", "sudo iptables -S f2b-sshd",
        "sudo iptables -t nat -L KUBE-SERVICES -n", "sudo iptables -nL DOCKER",
        "sudo ip6tables -L INPUT -n -v --line-numbers",
        "sudo ip6tables-save", "sudo ip6tables-save -t filter | grep -c ACCEPT",
        "sudo iptables-legacy-save", "sudo iptables-nft-save -c",
        "sudo nft --version", "nft -v",
        "sudo ufw app list", "sudo ufw app info OpenSSH", "sudo ufw show added",
        "sudo ufw show listening", "sudo ufw show raw | head -40",
    ],
    "ip": ["ip tunnel show", "ip tun", "ip tuntap list", "ip -d tunnel show gre1",
           "ip xfrm policy", "ip xfrm policy show", "sudo ip -s xfrm policy list",
           "ip xfrm policy count", "ip mroute show"],
    "ping": ["ping -c 1 -s 1472 -M do 10.0.0.1", "ping -c 3 -M want gateway.internal"],
    "dns": [
        "drill example.com", "drill -D example.com @1.1.1.1", "drill -T example.com",
        "drill example.com MX", "drill -x 8.8.8.8",
        "delv example.com", "delv @1.1.1.1 example.com A +rtrace", "delv -t TXT example.com",
        "kdig example.com +tls", "kdig @1.1.1.1 example.com AAAA +short",
        "kdig -t MX example.com", "kdig -d example.com | head",
    ],
    "integrity": [
        "sudo aide --check", "sudo aide -C", "sudo aide --version",
        "sudo aide --check --config /etc/aide/aide.conf", "sudo aide --config-check",
        "sudo aide --check --limit /etc | tail -30",
        "sudo rkhunter --check --sk", "sudo rkhunter --check --sk --rwo",
        "sudo rkhunter -c --sk --nocolors | grep -i warning", "sudo rkhunter --version",
        "sudo rkhunter --list tests", "sudo rkhunter --list",
        "sudo chkrootkit", "sudo chkrootkit -q", "chkrootkit -V", "sudo chkrootkit -l",
        "sudo chkrootkit sniffer", "aa-enabled", "aa-enabled -q",
    ],
    "scanners": [
        "osv-scanner -r .", "osv-scanner --lockfile package-lock.json",
        "osv-scanner scan source -r .", "osv-scanner --version",
        "osv-scanner --format json -r . | jq '.results | length'",
        "osv-scanner -L services/api/go.mod", "osv-scanner --sbom sbom.json",
        "gitleaks detect --no-git --redact", "gitleaks detect --no-git --redact --no-banner",
        "gitleaks detect --no-git --source services/api --redact",
        "gitleaks detect --no-git --redact=100 -s .", "gitleaks dir . --redact",
        "gitleaks dir --redact", "gitleaks version", "semgrep --version",
    ],
    "trust": ["trust list | head", "trust list --filter=ca-anchors | grep -c label"],
}

HELD = {
    "openssl": [
        # a private key printed, written, or through an engine
        "openssl pkey -in server.key -noout -text", "openssl pkey -in server.key",
        "openssl pkey -pubin -in pub.pem -out /tmp/x.pem",
        "openssl pkey -pubin -in pub.pem -engine foo -text",
        "openssl rsa -in server.key -noout -check", "openssl pkey -pubin -in $K -text",
        # writes, keys and passwords in digests
        "openssl pkcs7 -in bundle.p7b -print_certs -out ~/.bashrc",
        "openssl crl2pkcs7 -nocrl -certfile chain.pem -out app.py",
        "openssl dgst -sha256 -sign server.key release.tar.gz",
        "openssl dgst -sha256 -hmac secret release.tar.gz",
        "openssl dgst -sha256 -out /tmp/d release.tar.gz",
        "openssl sha256 -sign server.key x", "openssl dgst -sha256 ~/.ssh/id_rsa",
        "openssl verify -CAfile chain.pem -engine x server.crt",
    ],
    "ssh-keygen": [
        "ssh-keygen -F github.com -f ~/.ssh/id_rsa", "ssh-keygen -R github.com",
        "ssh-keygen -H", "ssh-keygen -F $HOST", "ssh-keygen -F github.com -H",
        "ssh-keygen -y -f ~/.ssh/id_ed25519",
    ],
    "firewall": [
        # a check or a change next to a user chain; a table name that is not a built-in one
        "sudo iptables -C INPUT -p tcp --dport 22 -j ACCEPT", "sudo iptables -F DOCKER-USER",
        "sudo iptables -X f2b-sshd", "sudo iptables -N MYCHAIN", "sudo iptables -L $CHAIN",
        "sudo iptables -t foo -L", "sudo iptables -L DOCKER-USER -D 1",
        "sudo iptables -L ../x", "sudo iptables DOCKER-USER -F",
        "sudo ip6tables-save > /etc/iptables/rules.v6", "sudo ip6tables-save -M /tmp/x",
        "sudo ip6tables-restore < rules.v6", "sudo nft --version -f /tmp/rules.nft",
        "sudo nft -f rules.nft", "sudo nft flush ruleset",
        "sudo ufw app update OpenSSH", "sudo ufw app default allow", "sudo ufw show foo",
        "sudo ufw app info ../x", "sudo ufw allow 22", "sudo ufw disable",
    ],
    "ip": ["ip xfrm state", "ip xfrm state list", "sudo ip xfrm policy flush",
           "sudo ip xfrm policy delete dir in", "sudo ip tunnel add gre1 mode gre",
           "sudo ip tunnel del gre1", "ip tuntap add dev tap0 mode tap", "ip xfrm monitor"],
    "ping": ["ping -c 1 -M $X 10.0.0.1", "ping -f 10.0.0.1", "ping -c 1 -M do -p ff 10.0.0.1"],
    "dns": [
        # files: trust anchors, TSIG keys, packets, answers written, stdin
        "drill -k /etc/trusted-key.key example.com", "drill -w /tmp/ans example.com",
        "drill -y name:secret example.com", "drill -f packet.bin",
        "drill -c /tmp/resolv example.com",
        "delv -a /tmp/anchors example.com", "kdig -k /etc/tsig.key example.com",
        "kdig -y hmac-sha256:name:c2VjcmV0 example.com", "kdig -E /tmp/tap example.com",
        "kdig example.com +tls-keyfile=/etc/ssl/private/k.pem",
        "kdig example.com +tls-certfile=/etc/ssl/c.pem", "kdig example.com +tls-ca=/tmp/ca",
        "cat names.txt | drill", "drill $NAME", "delv example.com < /etc/passwd",
    ],
    "integrity": [
        # database writes, another configuration, reports written, log paths
        "sudo aide --init", "sudo aide --update", "sudo aide -u",
        "sudo aide --check --config /tmp/aide.conf", "sudo aide --check -c ./aide.conf",
        "sudo aide --check --report file:/tmp/r", "sudo aide --check x",
        "sudo rkhunter --update", "sudo rkhunter --propupd", "sudo rkhunter --versioncheck",
        "sudo rkhunter --check --configfile /tmp/rk.conf",
        "sudo rkhunter --check --logfile ~/.bashrc",
        "sudo rkhunter --check --tmpdir /tmp/x", "sudo rkhunter --check --dbdir /tmp",
        "sudo rkhunter --cronjob", "sudo rkhunter", "sudo rkhunter --list ../x",
        "sudo chkrootkit -p /tmp/bin", "sudo chkrootkit -r /mnt", "sudo chkrootkit -e /tmp/x",
        "sudo chkrootkit $T", "sudo chkrootkit ../x",
        "sudo lynis audit system", "lynis --version", "aa-enabled --bogus",
    ],
    "scanners": [
        # outside the tree, type:path lockfiles, writes, the Go toolchain, fix
        "osv-scanner -r /", "osv-scanner -r ~/.ssh", "osv-scanner -r ../other",
        "osv-scanner --lockfile requirements.txt:/etc/shadow",
        "osv-scanner --lockfile /etc/shadow", "osv-scanner --output ~/.bashrc -r .",
        "osv-scanner --call-analysis=all -r .", "osv-scanner --config /tmp/c.toml -r .",
        "osv-scanner fix -M package.json", "osv-scanner scan image alpine:3", "osv-scanner -r $D",
        # unredacted, partly redacted, verbose, reported, git history, symlinks, outside
        "gitleaks detect --no-git", "gitleaks detect --no-git --redact=50",
        "gitleaks detect --no-git --redact=0", "gitleaks detect --no-git --redact -v",
        "gitleaks detect --no-git --redact --report-path /tmp/g.json",
        "gitleaks detect --redact", "gitleaks detect --redact --log-opts=--all",
        "gitleaks git --redact", "gitleaks detect --no-git --redact --source ~/.aws",
        "gitleaks detect --no-git --redact --source /etc",
        "gitleaks detect --no-git --redact --config /tmp/g.toml",
        "gitleaks detect --no-git --redact --follow-symlinks", "gitleaks dir /root --redact",
        "gitleaks stdin --redact", "gitleaks dir ../x --redact", "gitleaks dir $D --redact",
        # semgrep scans: any rule prints any matched line; registry configs
        "semgrep --config=./rules .", "semgrep --config=p/python .", "semgrep scan .",
        "semgrep --config rules/ --autofix src/", "semgrep --version --config=p/x .",
        # cosign verify-blob is infra.py's to add (held here); sign-blob signs
        "cosign verify-blob --key cosign.pub --signature app.sig --rekor-url https://x app",
        "cosign verify-blob --key /tmp/k.pub --signature app.sig app.tar.gz",
        "cosign verify-blob --key k8s://ns/key --signature app.sig app.tar.gz",
        "cosign sign-blob --key cosign.key app.tar.gz",
        "nmap -sV -p 22 10.0.0.5", "sslscan example.com:443",
    ],
    "trust": ["trust extract --format=pem-bundle /tmp/x", "trust anchor /tmp/ca.pem",
              "trust anchor --remove ca.pem", "trust list --bogus"],
}


test_held, test_allowed = grouped_tests(HELD, ALLOWED)

