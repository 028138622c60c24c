"""Sources without end (red team s7, class C22): infinite generators and device reads are
allowed only when a bounding reader ends them downstream; constant-true loops and real-time
scheduling are held (``res.unbounded``)."""

from __future__ import annotations

from sshgate.guard import classify

from .expect import table_tests

HELD = [
    # the red team's lines
    "seq inf > /tmp/fill", "seq 1e18 > fill.txt", "cat /dev/urandom | base64 > /tmp/fill",
    "while true; do echo x >> big.txt; done", "while :; do :; done", "grep -c x /dev/zero",
    "sort /dev/zero", "head -c 100G /dev/zero | sort", "sudo chrt -f 99 seq inf",
    # generators: every spelling of a bound that is not one
    "seq inf", "seq 1 inf | wc -l", "seq -- -inf 0", "seq 1 0.000000001 2", "seq 1e12",
    "seq 0x1p60", "seq nan", "seq 1 $N > n.txt", "for i in $(seq 1 1e12); do :; done",
    "yes", "yes | sort", "yes | wc -l", "yes n | grep -c y", "yes | cat > /tmp/x",
    "yes | tr y n | base64", "yes | head -c 100G > /tmp/x", "yes | head -n 1e12",
    # device reads: operands, redirections, dd, globs over /dev
    "cat /dev/urandom", "cat /dev/zero > /dev/null", "cat /dev/random | xxd",
    "wc -c /dev/zero", "sha256sum /dev/urandom", "tail -f /dev/zero", "xxd /dev/urandom",
    "od /dev/urandom | cat > dump.txt", "sort < /dev/zero", "base64 < /dev/urandom",
    "dd if=/dev/zero bs=1M | gzip > z.gz", "dd if=/dev/urandom of=/tmp/r bs=1M",
    "cat /dev/zero | head -n 5", "head -n 5 /dev/zero", "cat /dev/full | base64",
    "cat /dev/zer? | base64", "cat /dev/{zero,null} | base64", "tac /dev/urandom | head -c 5",
    "cat /dev/urandom | sort | head -c 16", "cat /dev/urandom | grep -c x | head -1",
    "head -c 2G /dev/urandom > /tmp/r", "bash -c 'cat /dev/zero' > /tmp/z",
    "echo $(cat /dev/urandom)", "x=$(yes)",
    # loops whose condition never fails
    "until false; do date; done", "while [ 1 ]; do :; done", "while test x; do :; done",
    "while ! false; do echo x >> f.txt; done", "while /bin/true; do :; done",
    "until ! true; do :; done", "while true\ndo\n  echo x\ndone",
    "sudo bash -c 'while :; do :; done'",
    # a condition true at run time: a loop that neither reads its input nor waits
    "while [ -d / ]; do :; done", "while test -e /etc; do echo x >> f.txt; done",
    "until [ ! -d / ]; do :; done", "while pgrep -x init; do sleep 0.001; done",
    "while cd .; do date; done", "while sleep 0; do :; done",
    # a count of lines bounds no bytes when the lines may be long or newline-free
    "yes $(printf 'x%.0s' {1..100000}) | head -n 1000000 > /tmp/x",
    "cat /dev/urandom | tr -d '\\n' | head -n 5", "seq -f '%0100000g' 1 1e9 | head -n 5",
    # real-time scheduling and raised priority
    "chrt -f 99 make", "chrt --fifo 1 ls", "chrt -r 50 ls", "chrt --rr 1 ls", "chrt -rp 50 1",
    "nice -n -20 make", "nice --adjustment=-5 ls", "nice -n-1 ls", "nice --10 ls",
    "renice -n -10 -p 1234", "renice -5 1234", "ionice -c1 tar czf /tmp/a.tgz src",
    "ionice -c 1 ls", "ionice --class realtime ls", "ionice -c realtime ls",
    "sudo nice -n -5 ionice -c1 make",
]

ALLOWED = [
    "yes | head -5", "yes | head", "yes n | head -n 3", "seq 10", "seq 1 100 | tail -1",
    "seq 0 0.5 10", "seq -w 1 12", "seq 1 2 99 | paste -sd+", "seq inf | head -n 5",
    "head -c 32 /dev/urandom | base64", "tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 32",
    "cat /dev/urandom | head -c 16 | xxd -p", "od -An -N4 -tu4 /dev/urandom",
    "xxd -l 16 -p /dev/urandom", "head -c 16 /dev/random | od -An -tx1",
    "head -c 16 /dev/urandom | base64 -w0",
    "cat /dev/urandom | tr -dc a-f0-9 | fold -w 32 | head -n 1",
    "ls -l /dev/zero /dev/urandom", "stat /dev/urandom", "test -c /dev/zero && echo ok",
    "while read -r l; do echo \"$l\"; done < list.txt",
    "until curl -sf http://localhost:8080/health; do sleep 2; done",
    "for i in 1 2 3; do echo $i; done", "for f in *.log; do wc -l \"$f\"; done",
    "while pgrep -x rsync; do sleep 5; done", "while [ -f app.pid ]; do sleep 1; done",
    "until kubectl rollout status deploy/api; do sleep 10; done",
    "while read -r f; do wc -l \"$f\"; done < files.txt",
    "wc -l /dev/shm/app*.log", "du -sh /dev/shm/*", "ls /dev/sd*", "cat /dev/null",
    "nice -n 10 make", "nice make", "nice -5 make", "ionice -c3 du -sh /var",
    "ionice -c 2 -n 7 tar czf /tmp/a.tgz src", "echo hi > /dev/null",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)


def test_rule_names_the_class() -> None:
    for line in ("seq inf > /tmp/fill", "while :; do :; done", "chrt -f 99 ls",
                 "sort /dev/zero"):
        assert "res.unbounded" in {f.rule for f in classify(line).findings}, line


def test_long_pipeline_is_linear() -> None:
    import time
    line = "yes" + " | cat" * 4000 + " | head -1"
    t = time.process_time()
    classify(line, seconds=5.0)
    assert time.process_time() - t < 2.0
