-- Foundation: settings, units, users, sessions, audit trail. Timestamps are RFC 3339 UTC text
-- with milliseconds ("2026-11-29T08:00:00.000Z"), identical on both backends, so they sort as
-- text and the two schemas stay column-for-column the same.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    short_name    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    parent_id     TEXT REFERENCES units(id),
    division_code TEXT,
    internal_code TEXT,
    sort_order    INTEGER NOT NULL
);

CREATE TABLE unit_aliases (
    alias   TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    source  TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit_id        TEXT NOT NULL REFERENCES units(id),
    active         INTEGER NOT NULL DEFAULT 1,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    is_demo        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_unit_idx ON users (unit_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client_ip    TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY,
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Demo databases only: the generated demo passwords, so `tongxin demo accounts` can print them.
CREATE TABLE demo_accounts (
    username TEXT PRIMARY KEY,
    password TEXT NOT NULL
);
