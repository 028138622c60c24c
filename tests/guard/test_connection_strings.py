"""A database client's connection string given as one quoted variable (safe.connection_word)
is used, never printed: the client is judged by what it does with it."""

from __future__ import annotations

from .expect import allowed, each, held


def test_a_quoted_connection_variable_is_a_connection_string() -> None:
    each(['psql "$DATABASE_URL" -c "select count(*) from users"',
          'psql -d "$DATABASE_URL" -c "\\dt"', 'redis-cli -u "$REDIS_URL" ping',
          'mongosh "$MONGO_URI" --eval "db.stats()"',
          'psql --dbname="$DATABASE_URL" -c "select 1"'],
         allowed)


def test_what_the_client_does_and_where_the_value_goes_still_count() -> None:
    each(['psql "$DATABASE_URL" -c "drop table x"', "psql $DATABASE_URL -c 'select 1'",
          'psql "$DATABASE_URL"', 'echo "$DATABASE_URL"', 'curl "$DATABASE_URL"',
          'psql "$DATABASE_URL" -c "select 1" -v x="$DB_PASSWORD"',
          'psql "${DATABASE_URL}x" -c "select 1"', 'psql "$(cat ~/.pgpass)" -c "select 1"',
          'redis-cli -u "$REDIS_URL" flushall', 'psql "$DATABASE_URL" -f /tmp/x.sql'], held)
