-- The same table as on PostgreSQL, where appends wait here to be sealed into audit_log. SQLite's
-- single writer numbers and links each entry at once, so here the table stays empty; it exists
-- so both schemas stay alike.
CREATE TABLE audit_pending (
    n         INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    client_ip TEXT NOT NULL
);
