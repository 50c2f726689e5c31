-- Audit appends no longer queue on audit_head. A writing transaction inserts its entry here,
-- unnumbered, in the same transaction as the write it records (so it is as durable as the
-- write). The store's sealer then numbers, links and hashes committed entries into audit_log,
-- many at a time, and moves audit_head once per batch. Before this, every write held the head
-- row from its append to its COMMIT, so commits could not share an fsync.
CREATE TABLE audit_pending (
    n         BIGSERIAL PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    client_ip TEXT NOT NULL
);

-- The sealer moves the head itself, once per batch.
DROP TRIGGER audit_head_follows ON audit_log;
DROP FUNCTION audit_head_follows();
