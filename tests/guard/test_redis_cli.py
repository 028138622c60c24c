"""redis-cli as an allow-list: its options, then one listed read; every other command is a
rule (``db.destructive``) or unknown; a bare redis-cli reads the agent's stdin."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sshgate.guard import classify
from sshgate.guard.redis_cli import DESTRUCTIVE, OPTIONS, READ, split
from sshgate.policy.model import Action

from . import expect

HELD = [
    # credentials on the command line, stdin, scripts, dumps, replication, cluster management
    "redis-cli -a secret GET x", "redis-cli --pass secret GET x", "redis-cli -asecret GET x",
    "redis-cli -u redis://:pw@h:6379 GET x", "redis-cli -u redis://user:pw@h GET x",
    "redis-cli --askpass GET x", "redis-cli --eval x.lua", "redis-cli --eval x.lua k , a",
    "redis-cli -x SET k", "redis-cli --pipe", "redis-cli --rdb /tmp/dump.rdb",
    "redis-cli --functions-rdb f.rdb", "redis-cli --replica", "redis-cli --slave",
    "redis-cli --cluster fix h:1", "redis-cli --cluster call h:1 FLUSHALL",
    "redis-cli --tls --key ~/.ssh/id_rsa GET x", "redis-cli -r -1 GET x",
    "redis-cli -r 100000000 INCR x", "redis-cli --lru-test 1000",
    "redis-cli --ldb --eval x.lua", "redis-cli -h 'a b' GET x", "redis-cli -hx GET x",
    "redis-cli --sca", "redis-cli -h $H FLUSHALL", "redis-cli -i 0.001 --stat",
    # writes, deletions, server and cluster changes, scripts
    "redis-cli DEL orders", "redis-cli del orders", "redis-cli UNLINK k",
    "redis-cli FLUSHALL", "redis-cli flushdb", "redis-cli -n 0 flushall ASYNC",
    "redis-cli -h h -p 1 -n 2 FLUSHDB", "redis-cli CONFIG SET dir /root/.ssh",
    "redis-cli config set dbfilename authorized_keys", "redis-cli CONFIG GET requirepass",
    "redis-cli CONFIG GET '*'", "redis-cli CONFIG REWRITE", "redis-cli EVAL \"return 1\" 0",
    "redis-cli EVAL \"redis.call('flushall')\" 0", "redis-cli EVALSHA abc 0",
    "redis-cli EVAL_RO \"return 1\" 0", "redis-cli FCALL f 0", "redis-cli FCALL_RO f 0",
    "redis-cli MODULE LOAD /tmp/x.so", "redis-cli DEBUG SEGFAULT", "redis-cli DEBUG SLEEP 60",
    "redis-cli SHUTDOWN", "redis-cli shutdown NOSAVE", "redis-cli SLAVEOF evil 6379",
    "redis-cli REPLICAOF evil 6379", "redis-cli MIGRATE h 6379 k 0 5000",
    "redis-cli KEYS '*'", "redis-cli KEYS user:1", "redis-cli SET k v",
    "redis-cli -h h -p 1 SET k v", "redis-cli SCRIPT FLUSH", "redis-cli SCRIPT LOAD x",
    "redis-cli FUNCTION FLUSH", "redis-cli ACL LIST", "redis-cli ACL GETUSER default",
    "redis-cli ACL SETUSER x on >p ~* +@all", "redis-cli MEMORY PURGE",
    "redis-cli SLOWLOG RESET", "redis-cli LATENCY RESET", "redis-cli MONITOR",
    "redis-cli CLIENT KILL TYPE normal", "redis-cli CLIENT LIST", "redis-cli GETDEL k",
    "redis-cli GETEX k PERSIST", "redis-cli SORT k STORE dst",
    "redis-cli GEORADIUS k 0 0 1 km STORE d", "redis-cli XREADGROUP GROUP g c STREAMS s >",
    "redis-cli BGSAVE", "redis-cli SAVE", "redis-cli BGREWRITEAOF", "redis-cli SWAPDB 0 1",
    "redis-cli CLUSTER RESET HARD", "redis-cli CLUSTER FAILOVER", "redis-cli AUTH pw",
    "redis-cli HELLO 3 AUTH u pw", "redis-cli SELECT 1", "redis-cli OBJECT",
    "redis-cli --scan --pattern '*' | xargs redis-cli DEL",
    "valkey-cli FLUSHALL", "keydb-cli DEL k", "valkey-cli SET k v",
    # the agent's stdin is the program
    "redis-cli", "redis-cli -h db", "redis-cli -n 2 --raw", "echo FLUSHALL | redis-cli",
    "redis-cli < cmds.txt", "redis-cli -h h <<< 'DEL k'", "printf 'DEL k' | redis-cli -h h",
    "REDISCLI_AUTH=x redis-cli GET k",
]

ALLOWED = [
    "redis-cli ping", "redis-cli PING", "redis-cli GET key", "redis-cli INFO memory",
    "redis-cli INFO keyspace", "redis-cli TTL session:42", "redis-cli -n 2 ttl session:abc",
    "redis-cli -h redis.internal -p 6380 --raw HGETALL user:1",
    "redis-cli --scan --pattern session:1", "redis-cli -c -h h CLUSTER INFO",
    "redis-cli --no-auth-warning -n 1 DBSIZE", "redis-cli LRANGE q 0 -1",
    "redis-cli ZRANGE z 0 10 WITHSCORES", "redis-cli --bigkeys", "redis-cli --latency",
    "redis-cli --stat", "redis-cli SLOWLOG GET 10", "redis-cli MEMORY USAGE k",
    "redis-cli SCAN 0 COUNT 100", "redis-cli -e GET x", "redis-cli -u redis://h:6379/0 GET x",
    "redis-cli --user app GET x", "redis-cli XINFO STREAM s", "redis-cli XLEN s",
    "redis-cli -h h MGET a b c", "redis-cli --version", "valkey-cli ping",
    "redis-cli --tls -h h INFO", "redis-cli -s /var/run/redis/redis.sock PING",
    "redis-cli INFO replication | grep role",
]


test_held, test_allowed = expect.table_tests(HELD, ALLOWED)


@pytest.mark.parametrize("line", [
    "redis-cli DEL orders", "redis-cli -h h -p 6379 -n 1 unlink k", "redis-cli FLUSHALL",
    "redis-cli -a pw flushdb", "redis-cli CONFIG SET dir /tmp", "redis-cli SLAVEOF h 1",
    "redis-cli replicaof h 1", "redis-cli MODULE LOAD /tmp/x.so", "redis-cli SHUTDOWN",
    "redis-cli --user u MIGRATE h 1 k 0 9", "redis-cli --no-auth-warning SWAPDB 0 1",
    "redis-cli --cluster call h:6379 FLUSHALL", "redis-cli -c --cluster call h:1 config set x y",
])
def test_destructive_commands_are_a_rule(line):
    c = classify(line)
    assert "db.destructive" in [f.rule for f in c.findings], line


@pytest.mark.parametrize("line", ["redis-cli GET del", "redis-cli HGET flushall x",
                                  "redis-cli LRANGE shutdown 0 -1"])
def test_a_key_named_like_a_command_is_a_read(line):
    c = classify(line)
    assert c.default_action is Action.ALLOW, (line, [(f.rule, f.why) for f in c.findings])


def test_tables_do_not_overlap():
    for cmd, subs in READ.items():
        assert cmd not in DESTRUCTIVE
        for s in subs or ():
            assert f"{cmd}_{s}" not in DESTRUCTIVE


def test_options_end_at_the_command():
    line = split(("-n", "2", "LRANGE", "q", "0", "-1"))
    assert not isinstance(line, str)
    assert line.options == (("-n", "2"),) and line.command == ("LRANGE", "q", "0", "-1")
    assert isinstance(split(("-a", "pw", "GET", "k")), str)


@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_.-", min_size=1, max_size=14),
       st.sampled_from(["", " k", " k v", " 0 -1"]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_command_outside_the_read_table_is_never_allowed(name, rest, lower):
    word = name.lower() if lower else name
    if name.upper() in READ and READ[name.upper()] is None:
        return
    if word.startswith("-"):
        return  # an option, not a command (-v prints the version): the next test's matter
    line = f"redis-cli -h h {word}{rest}"
    assert classify(line).default_action is not Action.ALLOW, line


@given(st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_an_option_outside_the_table_is_never_allowed(name):
    for word in (f"-{name}", f"--{name}"):
        if word in OPTIONS:
            continue
        line = f"redis-cli {word} x GET k"
        assert classify(line).default_action is not Action.ALLOW, line
