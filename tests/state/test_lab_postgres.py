import asyncio

import asyncpg


def test_fresh_databases_are_separate(postgres, database_url):
    other = postgres.create_database()

    async def run() -> tuple[int, int]:
        a = await asyncpg.connect(database_url)
        b = await asyncpg.connect(other)
        try:
            await a.execute("CREATE TABLE t (x int)")
            await a.execute("INSERT INTO t VALUES (1)")
            here = await a.fetchval("SELECT count(*) FROM t")
            there = await b.fetchval("SELECT count(*) FROM pg_tables WHERE tablename = 't'")
            return here, there
        finally:
            await a.close()
            await b.close()

    assert asyncio.run(run()) == (1, 0)
    assert "127.0.0.1" in database_url
