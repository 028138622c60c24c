"""The core readers' option allow-lists (core_opts.py, red team core16): what agents type
stays allowed; recursion, file lists, suffix games, programs and option abbreviations are
held."""

from __future__ import annotations

from .expect import table_tests

ALLOWED = [
    # compressed readers
    "zcat /var/log/nginx/access.log.2.gz | tail", "zcat -f /var/log/syslog.2.gz | head -50",
    "zcat access.log.*.gz | grep ' 500 '", "zcat -l dump.sql.gz", "zcat -t backup.tar.gz",
    "zcat --stdout app.log.1.gz", "bzcat old.log.bz2 | tail -n 20", "bzcat -s big.bz2",
    "xzcat data.csv.xz | head", "xzcat -T0 dump.sql.xz | head -c 1000",
    "xzcat --single-stream x.xz", "xzcat -l images.tar.xz",
    # diff and cmp
    "diff -u a b", "diff -ru dir1 dir2", "diff -r src/ backup/src/", "diff -q a.txt b.txt",
    "diff -u /etc/nginx/nginx.conf /tmp/nginx.conf", "diff <(sort a) <(sort b)",
    "diff --unified=5 old.py new.py", "diff -U 0 a b", "diff -y --suppress-common-lines a b",
    "diff -w -B a b", "diff --color=always -u a b", "diff -rq --exclude='*.pyc' build1 build2",
    "diff --brief -r conf.d/ conf.d.bak/", "diff -Naur app-1.0 app-1.1",
    "diff -I '^#' a.conf b.conf", "cmp a.bin b.bin", "cmp -l a.bin b.bin | head",
    "cmp -s a b && echo same", "cmp -n 100 a b",
    # cat, head, tail
    "cat -A f", "cat -n app.py", "cat -vet data.txt", "cat -s notes.md",
    "head -c 200 f", "head -n 20 app.log", "head -5 f", "head -n -5 f", "head --lines=3 f",
    "head -qn1 *.csv", "tail -n 50 -f /var/log/syslog", "tail -F x.log", "tail -f app.log",
    "tail -n +2 data.csv", "tail -100 /var/log/nginx/error.log", "tail -c 1K f",
    "tail --follow=name --retry app.log", "tail -n 0 -f /var/log/auth.log",
    "tail -f /var/log/nginx/access.log /var/log/nginx/error.log", "tail -s 2 -f x.log",
    # binary and text filters
    "strings -n 8 app.bin | head", "strings a.out", "strings -a -t x core.bin",
    "od -An -tx1 -N16 f", "od -c f | head", "od -A x -t x1z f", "od -w16 -x f",
    "hexdump -C f | head", "hexdump -n 64 -C f", "hexdump -C -s 512 -n 64 disk.img",
    "nl -ba app.py", "nl f.txt", "tac app.log | head", "tac -s , list.txt", "rev names.txt",
    "cut -d, -f1,3 f.csv", "cut -d' ' -f2 f", "cut -c1-10 f", "cut -f2- --complement x.tsv",
    "cut -d: -f1 /etc/passwd", "echo a-b | tr - _", "tr -d '\\r' < f", "tr '[:upper:]' "
    "'[:lower:]' < f", "tr -s ' ' < f", "tr -cd '[:print:]' < f",
    "sort f | uniq -c", "sort f | uniq -c | sort -rn | head", "uniq -d f", "uniq -u f",
    "comm -12 a.txt b.txt", "comm -3 <(sort a) <(sort b)", "join -t, -1 1 -2 1 a.csv b.csv",
    "join a b", "paste -sd, list.txt", "paste a b", "paste -d: a b", "fold -w 80 f",
    "fold -s -w72 notes.txt", "fmt -w 72 README", "column -t -s, f.csv", "mount | column -t",
    "column -t < out.txt", "expand -t 4 app.py", "unexpand -a f", "base32 f",
    "base32 -d encoded.txt",
    # checksums
    "sha256sum -c SHA256SUMS", "sha256sum file.tar.gz", "sha256sum --check --ignore-missing "
    "SHA256SUMS", "md5sum *.iso", "sha1sum f", "sha512sum -c x.sha512", "b2sum f",
    "b2sum -l 256 f", "cksum f", "cksum -a sha256 f", "find . -name '*.py' | xargs sha256sum",
    # metadata
    "ls -lah --color=auto /var/log", "ls -la", "ls -ltr /var/log | tail", "ls -1 src",
    "ls -lhS --group-directories-first", "ls -d */", "ls -lR src", "ls --time-style=long-iso "
    "-l", "ls -la ~/.ssh", "ll /etc/nginx", "ls $(pwd)", "stat -c '%s %n' f", "stat f",
    "stat -f /", "stat --format=%y app.log", "stat -L /etc/localtime", "lsattr f",
    "lsattr -d /etc", "getfacl f", "getfacl -R --absolute-names /srv/app", "df -hT",
    "df -h /", "df -i", "df --output=source,pcent /", "df -h --total", "df -x tmpfs -h",
    # processes and sockets
    "ps aux --sort=-%mem", "ps -eo pid,ppid,cmd --forest", "ps aux", "ps -ef", "ps -aux",
    "ps -p 1234 -o pid,etime,cmd", "ps -C nginx -o pid=", "ps auxf", "ps -eLf",
    "ps --ppid 1", "ps -u www-data", "ps -o rss= -p 42", "ps axo pid,rss,comm --sort -rss",
    "lsof -i :8080 -P -n", "lsof -iTCP -sTCP:LISTEN -nP", "lsof -i tcp:5432",
    "lsof -p 1234", "lsof +D /var/log", "lsof +L1", "lsof -t -i:3000", "lsof -u www-data",
    "lsof /var/log/syslog", "lsof -nP -i4", "lsof -c nginx", "netstat -tulpn",
    "netstat -an | grep 443", "netstat -rn", "netstat -s", "netstat -i", "netstat -plnt",
]

HELD = [
    # red team core16 #1: a recursive read of a secret tree (gzip's -r, no tree check)
    "zcat -rf /etc/ssh", "zcat -r /etc/ssh", "zcat --recursive /etc/ssh",
    "zcat -f --recursive /root", "zcat --recur -f /etc", "gzip -dcr /etc/ssh",
    "gunzip -cr /etc/ssh", "sudo zcat -rf /etc/ssh", "zcat -fr ~",
    # a suffix tried after a name that does not exist: -S hadow /etc/s opens /etc/shadow
    "zcat -f -S hadow /etc/s", "zcat --suffix=hadow -f /etc/s", "xzcat -S x -f /etc/s",
    # red team core16 #2: names read from a file (or stdin) the guard never opens
    "xzcat -f --files=/tmp/list", "xzcat --files=L", "xzcat --files0=L",
    "xzcat --files /tmp/l", "xzcat --files0", "xz -dc --files=L", "unxz -c --files=L",
    "xzcat --fil=/tmp/list",
    # red team core16 #3: diff -r / -N print every file of a secret tree
    "sudo diff --recur --new-file /etc/ssh /nonexistent",
    "diff --recursive --new-file /etc/ssh /x", "diff -rN /root/.ssh /x",
    "diff -rN /etc /tmp/empty", "diff -r --new-file /home /tmp/x", "diff -Nr ~ /tmp/x",
    "diff --recursive /var/lib /tmp/x", "diff -ru /etc/kubernetes /tmp/k",
    "diff -r . /tmp/empty", "diff -rN $D /tmp/x", "diff -r /etc/* /tmp/x",
    # without -r a directory operand's top-level files are read too (-N: every one)
    "diff -N /etc/ssh /tmp/x", "diff /etc/ssh /tmp/x", "diff --new-file /root /tmp/x",
    "diff --unidirectional-new-file /tmp/x /etc/ssh", "diff /tmp/id_ed25519 /root/.ssh",
    "diff -N ../../root /tmp/x",
    # operands by another name, pattern files, programs, abbreviations
    "diff --from-file=/etc/shadow x", "diff --to-file=/root/.ssh/id_rsa x",
    "diff --from-file=/etc/ssh -r /tmp/x", "diff -X /root/.ssh/id_rsa a b",
    "diff --exclude-from=/etc/shadow -r a b", "diff -l a b", "diff --paginate a b",
    "diff --recu a b", "diff --new a b",
    "hexdump -f /etc/shadow f", "hexdump --format-file=/root/.ssh/id_rsa f",
    "od --traditional f +1", "strings @/tmp/args", "cat --show-al f", "head --line=5 f",
    "tail --foll x.log", "cut --field=1 f", "ps -n /boot/System.map", "lsof +m",
    "lsof -k /tmp/k", "lsof -D b/tmp/cache", "ls --colo=always",
    # the content of secrets, as before
    "cat /etc/shadow", "head -c 100 /root/.ssh/id_rsa", "tail -f /etc/shadow",
    "zcat /root/.ssh/id_rsa", "od -c /etc/shadow", "strings /proc/1/environ",
    "cmp -l /etc/shadow /dev/zero", "ps auxe", "ps eww",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)
