-- 附件: files a unit attaches to its progress report, or to the evidence of a problem's
-- rectification (photos, scans, tables). Kept in the database with the record they support, so
-- a backup holds both; the content's SHA-256 is recorded in the audit trail.
CREATE TABLE sv_attachments (
    id           INTEGER PRIMARY KEY,
    -- report | problem
    owner_kind   TEXT NOT NULL,
    owner_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    unit_id      TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX sv_attachments_owner_idx ON sv_attachments (owner_kind, owner_id);
