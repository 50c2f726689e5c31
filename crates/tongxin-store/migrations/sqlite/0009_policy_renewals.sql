-- 续期记录: decisions that keep a lapsed document in force (a trial extended, or the document
-- revised or reissued), recorded by the office that keeps the policy library. From
-- `effective_from` (through `valid_until`, when set) decisions citing the document carry no
-- lapsed-document warning.
CREATE TABLE policy_renewals (
    id             INTEGER PRIMARY KEY,
    doc            TEXT NOT NULL,
    kind           TEXT NOT NULL,
    decision       TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    valid_until    TEXT,
    note           TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX policy_renewals_doc_idx ON policy_renewals (doc);
