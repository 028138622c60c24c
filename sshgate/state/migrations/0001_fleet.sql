-- sshgate fleet schema, version 1: what several gateways share.
-- Times written by gateways are UNIX seconds (float8) as in the local files; heartbeats use
-- the database's clock so that replicas on different hosts compare one clock.

CREATE TABLE replicas (
    id          text PRIMARY KEY,          -- stable per state_dir (state_dir/replica-id)
    host        text NOT NULL,
    listen      text NOT NULL,
    pid         integer NOT NULL,
    incarnation text NOT NULL,             -- new at every start
    started     float8 NOT NULL,
    heartbeat   timestamptz NOT NULL DEFAULT now(),
    state       text NOT NULL CHECK (state IN ('up', 'stopped', 'lost'))
);

CREATE TABLE requests (
    id          text PRIMARY KEY,
    replica     text NOT NULL,             -- the replica whose agent waits
    session     text NOT NULL,
    identity    text NOT NULL,
    target      text NOT NULL,
    login       text NOT NULL,
    client      text NOT NULL,
    command     text NOT NULL,
    findings    jsonb NOT NULL,
    context     jsonb NOT NULL,
    created     float8 NOT NULL,
    expires     float8 NOT NULL,
    state       text NOT NULL,
    reviewer    text,
    reason      text,
    decided     float8,
    decided_on  text                       -- the replica the reviewer used
);
CREATE INDEX requests_pending ON requests (created) WHERE state = 'pending';
CREATE INDEX requests_replica ON requests (replica) WHERE state = 'pending';

CREATE TABLE sessions (
    id          text PRIMARY KEY,
    replica     text NOT NULL,
    identity    text NOT NULL,
    target      text NOT NULL,
    login       text NOT NULL,
    client      text NOT NULL,
    started     float8 NOT NULL,
    mode        text NOT NULL,
    command     text,
    held        integer NOT NULL DEFAULT 0,
    bytes_in    bigint NOT NULL DEFAULT 0,
    bytes_out   bigint NOT NULL DEFAULT 0,
    state       text NOT NULL CHECK (state IN ('running', 'ended', 'lost')),
    ended       float8,
    end_reason  text
);
CREATE INDEX sessions_running ON sessions (replica) WHERE state = 'running';

CREATE TABLE locks (
    identity    text PRIMARY KEY,
    reviewer    text NOT NULL,
    reason      text NOT NULL,
    created     float8 NOT NULL,
    expires     float8
);

-- every replica's audit log, line for line as in its file: one hash chain per replica
CREATE TABLE audit (
    chain       text NOT NULL,
    line        integer NOT NULL,
    record      text NOT NULL,
    PRIMARY KEY (chain, line)
);

CREATE TABLE recordings (
    id          text PRIMARY KEY,
    replica     text NOT NULL,
    identity    text NOT NULL,
    target      text NOT NULL,
    login       text NOT NULL,
    started     text NOT NULL,
    location    text NOT NULL,
    sha256      text,
    size        bigint,
    sealed      float8
);
