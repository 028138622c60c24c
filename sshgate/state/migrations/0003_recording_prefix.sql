-- sshgate fleet schema, version 3: a recording (request, session) looked up by an id prefix (`recordings show
-- 3fa2`) reads an index range instead of the whole table. The primary key's btree orders by
-- the database's collation, which a prefix range cannot use unless it is "C";
-- text_pattern_ops compares byte by byte, so `id ~>=~ 'abc' AND id ~<~ 'abd'` is one index
-- range scan (sshgate.state.postgres.index_query).
CREATE INDEX IF NOT EXISTS recordings_id_prefix ON recordings (id text_pattern_ops);
-- the same for `approve <prefix>` (on the path from a reviewer's answer to the command
-- starting; the table keeps every request ever held) and `sessions kill <prefix>`
CREATE INDEX IF NOT EXISTS requests_id_prefix ON requests (id text_pattern_ops);
CREATE INDEX IF NOT EXISTS sessions_id_prefix ON sessions (id text_pattern_ops);
