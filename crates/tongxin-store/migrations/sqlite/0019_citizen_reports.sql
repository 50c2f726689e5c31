-- 群众举报 (同党办综〔2023〕55号 八、（三）; 同政办规发〔2023〕6号 第二十八条): reports from the
-- public portal. Each is handled as a problem of the supervision ledger (problem_id) by the unit
-- its topic routes to; the outcome is published against the receipt number with the reward
-- decision. The reporter's contact is optional and shown only to the handling unit.
CREATE TABLE citizen_reports (
    id             INTEGER PRIMARY KEY,
    -- 受理编号 JB20261203-7K3F9Q
    receipt        TEXT NOT NULL UNIQUE,
    topic          TEXT NOT NULL,
    township_id    TEXT NOT NULL,
    unit_id        TEXT NOT NULL,
    place          TEXT NOT NULL,
    lon            REAL,
    lat            REAL,
    happened_on    TEXT,
    description    TEXT NOT NULL,
    contact        TEXT NOT NULL,
    problem_id     INTEGER NOT NULL REFERENCES sv_problems(id),
    -- 处理结果 as published ('' until then)
    outcome        TEXT NOT NULL DEFAULT '',
    published_on   TEXT,
    published_by   TEXT NOT NULL DEFAULT '',
    -- 奖励认定: '' (not decided), granted, not_granted
    reward         TEXT NOT NULL DEFAULT '',
    reward_yuan    INTEGER,
    reward_reason  TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the sender's network address with the server's salt: the rate limit counts by
    -- it; the address itself is not kept.
    source         TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX citizen_reports_source_idx ON citizen_reports (source, submitted_at);
CREATE INDEX citizen_reports_unit_idx ON citizen_reports (unit_id, id);

-- 验证码: a challenge is signed by the server and needs no row until it is answered; each one
-- answered (right or wrong) is recorded here until it expires, so it answers only once.
CREATE TABLE captcha_used (
    nonce      TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX captcha_used_expiry_idx ON captcha_used (expires_at);
