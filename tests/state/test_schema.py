import asyncio
import os
import subprocess
import sys

import asyncpg
import pytest

from sshgate.state import schema
from sshgate.state.postgres import run_check, run_migrate


def test_migrations_are_numbered_and_shipped():
    ms = schema.migrations()
    assert [m.version for m in ms] == list(range(1, len(ms) + 1))
    assert "CREATE TABLE requests" in ms[0].sql


def test_migrate_is_idempotent_and_concurrent_runs_agree(database_url):
    async def run():
        first = await asyncio.gather(run_migrate(database_url), run_migrate(database_url))
        again = await run_migrate(database_url)
        return first, again

    (a, b), again = asyncio.run(run())
    # exactly one of the two concurrent runs applied the migrations
    assert sorted([len(a[0]), len(b[0])]) == [0, len(schema.migrations())]
    assert again == ([], schema.latest())
    assert asyncio.run(run_check(database_url)) == schema.latest()


def test_check_refuses_missing_and_newer_schemas(database_url):
    with pytest.raises(schema.SchemaError, match="run 'sshgate db migrate'"):
        asyncio.run(run_check(database_url))
    asyncio.run(run_migrate(database_url))

    async def bump():
        c = await asyncpg.connect(database_url)
        await c.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
        await c.close()

    asyncio.run(bump())
    with pytest.raises(schema.SchemaError, match="newer than this sshgate knows"):
        asyncio.run(run_check(database_url))
    with pytest.raises(schema.SchemaError, match="upgrade sshgate"):
        asyncio.run(run_migrate(database_url))


def _cli(*args, config, server=None):
    """``sshgate ARGS --config CONFIG`` as a process: forked from ``server`` (the session's
    warm one of this environment, tests/conftest.py) when there is one."""
    argv = [*args, "--config", str(config)]
    if server is not None and server.usable_for(dict(os.environ)):
        return server.run(argv, env=dict(os.environ), timeout=60)
    return subprocess.run([sys.executable, "-m", "sshgate", *argv], capture_output=True,
                          text=True, timeout=60)


def test_db_migrate_cli_and_serve_refuses_an_unmigrated_database(tmp_path, database_url,
                                                                 cli_forkserver):
    from sshgate.scaffold import init_directory as init

    init(tmp_path)
    config = tmp_path / "sshgate.yaml"
    config.write_text(config.read_text() + f"\ndatabase: {database_url}\n")
    got = _cli("db", "status", config=config, server=cli_forkserver)
    assert got.returncode == 1 and "run 'sshgate db migrate'" in got.stderr
    served = _cli("serve", "--listen", "127.0.0.1:0", config=config, server=cli_forkserver)
    assert served.returncode == 3
    assert "run 'sshgate db migrate'" in served.stderr
    got = _cli("db", "migrate", config=config, server=cli_forkserver)
    assert got.returncode == 0, got.stderr
    assert "applied 0001_fleet" in got.stdout
    got = _cli("db", "migrate", config=config, server=cli_forkserver)
    assert got.returncode == 0 and "nothing to do" in got.stdout


def test_db_commands_need_a_database(tmp_path, cli_forkserver):
    from sshgate.scaffold import init_directory as init

    init(tmp_path)
    got = _cli("db", "migrate", config=tmp_path / "sshgate.yaml", server=cli_forkserver)
    assert got.returncode == 2 and "no database" in got.stderr


def test_unreachable_database_refuses_serve(tmp_path, cli_forkserver):
    from sshgate.lab_postgres import free_port
    from sshgate.scaffold import init_directory as init

    init(tmp_path)
    config = tmp_path / "sshgate.yaml"
    config.write_text(config.read_text()
                      + f"\ndatabase: postgresql://u:secret@127.0.0.1:{free_port()}/x\n")
    served = _cli("serve", "--listen", "127.0.0.1:0", config=config, server=cli_forkserver)
    assert served.returncode == 3
    assert "cannot reach the database" in served.stderr
    assert "secret" not in served.stderr


def test_an_id_prefix_is_an_index_range_not_a_table_scan(database_url):
    """Migration 0003: `recordings show 3fa2` (and `approve 3fa2`) reads a range of the
    byte-wise index on ids (EXPLAIN names it) and finds exactly the ids with that prefix."""
    import secrets

    from sshgate.state.postgres import REQUEST_BY_PREFIX, index_query, prefix_range

    ids = [secrets.token_hex(8) for _ in range(5000)] + ["abc1" + "0" * 12, "abc1f", "abc2"]

    async def run():
        await run_migrate(database_url)
        c = await asyncpg.connect(database_url)
        try:
            await c.executemany(
                "INSERT INTO recordings (id, replica, identity, target, login, started, "
                "location) VALUES ($1, 'gw', 'bot', 'web', 'deploy', '', '/x')",
                [(i,) for i in ids])
            await c.execute("ANALYZE recordings")
            sql, args = index_query(prefix="abc1")
            plan = "\n".join(r[0] for r in await c.fetch("EXPLAIN " + sql, *args))
            found = [r["id"] for r in await c.fetch(sql, *args)]
            sql, args = index_query(prefix="f")  # the last hex digit: the range ends at "g"
            last = {r["id"] for r in await c.fetch(sql, *args)}
            # `approve <prefix>`, on the path from an answer to the command starting
            await c.execute(
                "INSERT INTO requests SELECT md5(i::text), 'gw', 's', 'i', 't', 'l', 'c', "
                "'cmd', '[]', '[]', 0, 0, 'decided' FROM generate_series(1, 5000) i")
            await c.execute("ANALYZE requests")
            plan += "\n".join(r[0] for r in await c.fetch(
                "EXPLAIN " + REQUEST_BY_PREFIX, *prefix_range("abc1")))
            return plan, found, last
        finally:
            await c.close()

    plan, found, last = asyncio.run(run())
    assert "recordings_id_prefix" in plan and "Seq Scan on recordings" not in plan, plan
    assert "requests_id_prefix" in plan and "Seq Scan on requests" not in plan, plan
    assert sorted(found) == sorted(i for i in set(ids) if i.startswith("abc1"))
    assert last == {i for i in ids if i.startswith("f")}
