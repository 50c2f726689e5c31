-- The case engine (办件): cases of any procedure, their append-only event log, the deadlines
-- they run against, the documents they issued, per-year sequences for numbers, and the units'
-- inboxes the deadline sweep writes to. A state change, its event, its deadline changes and its
-- audit entry commit in one transaction.

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    procedure      TEXT NOT NULL,
    number         TEXT NOT NULL UNIQUE,
    state          TEXT NOT NULL,
    -- 办理单位: the most specific unit the case belongs to (a village, else the township).
    unit_id        TEXT NOT NULL,
    township_id    TEXT NOT NULL,
    village        TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    -- The applicant's resident ID (一户一宅 looks cases up by it).
    household_key  TEXT NOT NULL,
    data           TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES users(id),
    client_key     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL,
    UNIQUE (created_by, client_key)
);
CREATE INDEX cases_unit_idx ON cases (procedure, unit_id, id);
CREATE INDEX cases_township_idx ON cases (procedure, township_id, id);
CREATE INDEX cases_household_idx ON cases (household_key);
-- An applicant's own cases are found through the (created_by, client_key) unique index: a
-- second index on created_by lets PostgreSQL's generic plan for the client-key lookup pick it
-- and filter every case of the user (seen at 20,000 cases: 18.8 ms per filing).

CREATE TABLE case_events (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    seq            INTEGER NOT NULL,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit           TEXT NOT NULL,
    action         TEXT NOT NULL,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    comment        TEXT NOT NULL,
    data           TEXT NOT NULL,
    -- JSON: the action's clause and every rule the checks applied, with values.
    clauses        TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TABLE case_deadlines (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    deadline      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    -- running | paused | met | cancelled
    status        TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    due_on        TEXT,
    amount        INTEGER NOT NULL,
    unit          TEXT NOT NULL,
    -- JSON [{from, to}] of 补正 pauses.
    pauses        TEXT NOT NULL,
    citation      TEXT NOT NULL,
    rule_citation TEXT NOT NULL,
    -- The unit that must act before due_on (its inbox receives the warnings).
    responsible   TEXT NOT NULL,
    met_on        TEXT,
    warned_on     TEXT,
    overdue_on    TEXT
);
CREATE INDEX case_deadlines_case_idx ON case_deadlines (case_id);
CREATE INDEX case_deadlines_due_idx ON case_deadlines (status, due_on);

CREATE TABLE case_documents (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    document  TEXT NOT NULL,
    number    TEXT NOT NULL UNIQUE,
    issued_on TEXT NOT NULL,
    event_seq INTEGER NOT NULL
);
CREATE INDEX case_documents_case_idx ON case_documents (case_id);

CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    unit_id     TEXT NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    deadline_id INTEGER NOT NULL REFERENCES case_deadlines(id),
    -- warning | overdue
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (deadline_id, kind)
);
CREATE INDEX inbox_unit_idx ON inbox (unit_id, id);
