-- Forks and links between threads (spec §10.1 forks[] and linked_threads[]). Runs on PostgreSQL and on H2 in
-- PostgreSQL mode. Both tables are written only under the owning thread's row lock; ordinal keeps the order entries
-- were added in.

CREATE TABLE thread_fork (
    thread_id   VARCHAR(64) NOT NULL,
    fork_id     VARCHAR(64) NOT NULL,
    ordinal     INTEGER     NOT NULL,
    forked_from VARCHAR(64),
    state       VARCHAR(20) NOT NULL,
    subject     TEXT,
    PRIMARY KEY (thread_id, fork_id)
);

CREATE TABLE thread_link (
    thread_id        VARCHAR(64) NOT NULL,
    linked_thread_id VARCHAR(64) NOT NULL,
    relation         VARCHAR(20) NOT NULL,
    ordinal          INTEGER     NOT NULL,
    PRIMARY KEY (thread_id, linked_thread_id, relation)
);
