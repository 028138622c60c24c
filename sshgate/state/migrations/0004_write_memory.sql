-- sshgate fleet schema, version 4: the guard's write memory, shared by every replica. A file
-- an agent's allowed line wrote through one replica (a downloaded tree, a Makefile) is its
-- own content to a build or deploy tool run through any replica (guard/memory.py): one row
-- per scope (identity, target), its entries bounded and coarsened like the in-process
-- memory, read before each line is judged and written before a writing line runs.
CREATE TABLE write_memory (
    scope   text PRIMARY KEY,   -- JSON ["identity", "target"]
    entries jsonb NOT NULL,     -- [[placed path, writing line, written (UNIX s)], ...] oldest first
    updated float8 NOT NULL,
    version bigint NOT NULL DEFAULT 0  -- one more at every write: a replica's copy is current
);
