-- sshgate fleet schema, version 2: policy reloads that reach every replica, and the reviewers
-- attached to each replica (no_reviewer: deny across the fleet).

ALTER TABLE replicas
    ADD COLUMN policy_digest text,             -- SHA-256 of the policy files in force there
    ADD COLUMN policy_loaded float8,           -- when they were loaded
    ADD COLUMN policy_error  text,             -- why its last reload was refused (NULL: none)
    ADD COLUMN policy_reload bigint NOT NULL DEFAULT 0,  -- the last policy_reloads.id acted on
    ADD COLUMN reviewers     jsonb NOT NULL DEFAULT '[]'; -- approvers attached now (names),
                                               -- fresh while the heartbeat is

-- one row per `sshgate policy reload`: every replica re-reads its own files once per row
-- (told by NOTIFY, or at its next heartbeat if it missed that)
CREATE TABLE policy_reloads (
    id          bigserial PRIMARY KEY,
    replica     text NOT NULL,                 -- the replica it was asked through
    reviewer    text NOT NULL,                 -- who asked (the OS user on its socket)
    requested   float8 NOT NULL
);
