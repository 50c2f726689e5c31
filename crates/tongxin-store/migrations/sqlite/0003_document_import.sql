-- Document import (文件导入): pasted texts kept as drafts until published (nothing typed is
-- lost), published documents with their clauses (part of the policy corpus from then on), and
-- the tasks drafted from them for the supervision ledger.

CREATE TABLE import_drafts (
    id           INTEGER PRIMARY KEY,
    source_text  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL,
    published_as TEXT
);

CREATE TABLE imported_documents (
    number       TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    document     TEXT NOT NULL,
    draft_id     INTEGER NOT NULL REFERENCES import_drafts(id),
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE draft_tasks (
    id                INTEGER PRIMARY KEY,
    document_number   TEXT NOT NULL REFERENCES imported_documents(number),
    clause_id         TEXT NOT NULL,
    task              TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX draft_tasks_document_idx ON draft_tasks (document_number);
