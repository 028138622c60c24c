"""Truncation judged by what is written, not by the writer's name (red team s7, class C14):
a ``>`` whose writer provably writes nothing (or only blanks) empties its target; a command
that reads and truncates the same file empties it; a database file is never an ordinary
write target. Creating a file with content stays ordinary."""

from __future__ import annotations

from .expect import table_tests

HELD = [
    # the red team's lines
    "echo -n > prod.db", "printf '' > users.csv", "echo > app.log",
    # writers whose output is empty or blank, every spelling
    'echo "" > data.csv', "echo -n '' > notes.txt", "echo -e > notes.txt", "echo -en '' >| x.txt",
    "echo '   ' > data.csv", "printf '\\n' > notes.txt", "printf '%s' '' > notes.txt",
    "printf -- '' > notes.txt", "printf '%b' '' > x.txt", "echo -n >| users.csv",
    "true > f.txt", ": > f.txt", "false > f.txt", "> f.txt", "cat /dev/null > f.txt",
    "head -c 0 notes.txt > out.txt", "head -n 0 notes.txt > out.txt",
    "sleep 0 > data.csv", "cd . > data.csv", "export A=1 > data.csv", "test -e x > data.csv",
    "touch x > data.csv", "mkdir -p d > data.csv", "wait > data.csv", "sync > data.csv",
    "echo -n | tee users.csv", "printf '' | tee data.csv", ": | tee data.csv",
    "tee users.csv < /dev/null", "cat < /dev/null > users.csv", "true | cat > users.csv",
    "echo -n | cat > users.csv", "tee users.csv </dev/null >/dev/null",
    # read and truncated by the same command (the shell empties it first)
    "sort data.txt > data.txt", "grep -v x app.log > app.log", "cat notes.txt > notes.txt",
    "sort < data.txt > data.txt", "uniq ./data.txt > data.txt", "cut -d, -f1 a.csv >| a.csv",
    "cat data.txt | sort > data.txt", "grep x app.log | tee app.log", "tee notes.txt < notes.txt",
    # database files are not ordinary write targets
    "echo hello > prod.db", "cat notes.txt > app.sqlite", "cp notes.txt users.db",
    "tee app.sqlite3 < notes.txt", "mv notes.txt data/app.db", "echo x >> prod.db",
    "cp a.txt redis/dump.rdb", "echo x > data/appendonly.aof", "echo x > app.db-wal",
]

ALLOWED = [
    "echo hello > greeting.txt", "echo done > /tmp/status", "cat a b > c",
    "ls > files.txt 2>&1", "base64 -d encoded.txt > decoded.bin", "echo hi > out.log",
    "kubectl get pods -n prod -o wide > pods.txt", "sort data.txt > sorted.txt",
    "echo >> notes.txt", "echo '' >> notes.txt", "printf 'a,b\\n' > header.csv",
    "grep -c x app.log > /tmp/count", "echo -n hello > greeting.txt",
    "date > /tmp/started", "printf '%s\\n' hello > out.txt", "sort -u a.txt | uniq > b.txt",
    "cat notes.txt | sort > sorted.txt", "echo | openssl version",
    "cp prod.db /tmp/prod.db", "sqlite3 app.db 'select count(*) from t'",
    "cp app.db /tmp/app.db.bak", "ls -l prod.db", "make 2>&1 | tee build.log",
    "tee -a notes.txt < /dev/null", "echo x | tee -a notes.txt",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)
