-- 督查督办: tasks from the documents (or by hand), one report per unit and period, escalations,
-- problems tracked to rectification (挂账整改), and the assessment weights the supervision office
-- sets. Unit ids are the directory's; dates are YYYY-MM-DD text.
CREATE TABLE sv_tasks (
    id            INTEGER PRIMARY KEY,
    -- The plan file's key for a task seeded from a document (idempotent seeding); NULL by hand.
    seed_key      TEXT UNIQUE,
    parent_id     INTEGER REFERENCES sv_tasks(id),
    source_doc    TEXT NOT NULL,
    source_clause TEXT NOT NULL,
    title         TEXT NOT NULL,
    note          TEXT NOT NULL,
    lead_unit     TEXT NOT NULL,
    -- JSON array of unit ids (the lead unit not repeated).
    responsible   TEXT NOT NULL,
    leader        TEXT NOT NULL,
    -- once | dekad | month | quarter | year
    cadence       TEXT NOT NULL,
    -- last_workday | after:N
    due_rule      TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    due_on        TEXT,
    until_on      TEXT,
    -- chain | campaign_action | event | measure | '' ; link_ref its id in the plan
    link_kind     TEXT NOT NULL,
    link_ref      TEXT NOT NULL,
    place         TEXT NOT NULL,
    -- not_started | in_progress | done | closed (overdue is computed on the day)
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sv_tasks_parent_idx ON sv_tasks (parent_id);
CREATE INDEX sv_tasks_doc_idx ON sv_tasks (source_doc);

-- Every unit a task binds (lead and responsible), for "what does this unit owe".
CREATE TABLE sv_task_units (
    task_id INTEGER NOT NULL REFERENCES sv_tasks(id),
    unit_id TEXT NOT NULL,
    is_lead INTEGER NOT NULL,
    PRIMARY KEY (unit_id, task_id)
);

-- One report per task, unit and period; refiling after a return replaces it (version).
CREATE TABLE sv_reports (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES sv_tasks(id),
    unit_id       TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    filed_on      TEXT NOT NULL,
    filed_at      TEXT NOT NULL,
    filed_by      TEXT NOT NULL,
    body          TEXT NOT NULL,
    -- JSON object of figures ({"完成投资（万元）": "120"}).
    figures       TEXT NOT NULL,
    -- filed | accepted | returned
    review        TEXT NOT NULL,
    review_note   TEXT NOT NULL,
    reviewed_by   TEXT NOT NULL,
    reviewed_at   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, unit_id, period_start)
);
CREATE INDEX sv_reports_unit_idx ON sv_reports (unit_id, due_on);

CREATE TABLE sv_escalations (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES sv_tasks(id),
    unit_id    TEXT NOT NULL,
    -- urge | interview | notify | accountability
    step       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX sv_escalations_task_idx ON sv_escalations (task_id);

CREATE TABLE sv_problems (
    id                INTEGER PRIMARY KEY,
    task_id           INTEGER REFERENCES sv_tasks(id),
    link_kind         TEXT NOT NULL,
    link_ref          TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    title             TEXT NOT NULL,
    detail            TEXT NOT NULL,
    evidence_required TEXT NOT NULL,
    deadline          TEXT NOT NULL,
    -- open | evidence_filed | closed | reopened
    status            TEXT NOT NULL,
    evidence          TEXT NOT NULL,
    evidence_filed_on TEXT,
    reopened          INTEGER NOT NULL DEFAULT 0,
    closed_on         TEXT,
    raised_by         TEXT NOT NULL,
    raised_at         TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sv_problems_unit_idx ON sv_problems (unit_id, status);

-- Each step on a problem: raised, evidence filed, verified, rejected (with comments).
CREATE TABLE sv_problem_events (
    id         INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES sv_problems(id),
    step       TEXT NOT NULL,
    comment    TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX sv_problem_events_idx ON sv_problem_events (problem_id);

-- 考核权重, in force from from_on until the next row's.
CREATE TABLE sv_weights (
    id               INTEGER PRIMARY KEY,
    from_on          TEXT NOT NULL UNIQUE,
    reports          INTEGER NOT NULL,
    rectification    INTEGER NOT NULL,
    per_overdue_task INTEGER NOT NULL,
    set_by           TEXT NOT NULL,
    set_at           TEXT NOT NULL
);
