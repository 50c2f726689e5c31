-- 通知 (issue 11, part 5): one outbox for everything that must reach an official outside the
-- web pages. A row is written in the same transaction as the event that causes it (event_key
-- is unique: one notification per event, however often the event is replayed); after commit
-- the deliverer fans it out to the unit's channels and the subscribed users' e-mail, one
-- delivery per target, each retried with back-off until delivered or given up (and then
-- visible to administrators, who can send it again).
CREATE TABLE notify_outbox (
    id          INTEGER PRIMARY KEY,
    event_key   TEXT NOT NULL UNIQUE,
    -- deadline_warning | overdue | window_open | notice_ended | task_warning | task_overdue |
    -- report | objection | digest
    kind        TEXT NOT NULL,
    unit_id     TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- The page it is about, relative to the server's base address.
    link        TEXT NOT NULL,
    -- 1: shown in the 工作台 inbox from here (items the deadline inbox does not already show).
    in_inbox    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    -- 1 once its deliveries are written.
    fanned_out  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notify_outbox_unit_idx ON notify_outbox (unit_id, in_inbox, id);
CREATE INDEX notify_outbox_fan_idx ON notify_outbox (fanned_out, id);

-- 推送渠道: a unit's group robots (政务钉钉, 企业微信) and mailboxes.
CREATE TABLE notify_channels (
    id          INTEGER PRIMARY KEY,
    unit_id     TEXT NOT NULL,
    -- dingtalk | wecom | email
    kind        TEXT NOT NULL,
    -- the robot's webhook address, or an e-mail address
    target      TEXT NOT NULL,
    -- 政务钉钉 加签 secret ('' when the robot does not sign)
    secret      TEXT NOT NULL DEFAULT '',
    -- comma-separated kinds sent here ('' = all)
    kinds       TEXT NOT NULL DEFAULT '',
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (unit_id, kind, target)
);

-- 个人订阅: what reaches a user by e-mail.
CREATE TABLE notify_prefs (
    username    TEXT PRIMARY KEY,
    email       TEXT NOT NULL DEFAULT '',
    -- comma-separated kinds sent to the e-mail address
    kinds       TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL DEFAULT 0
);

-- 送达: one per notification and target.
CREATE TABLE notify_deliveries (
    id           INTEGER PRIMARY KEY,
    outbox_id    INTEGER NOT NULL REFERENCES notify_outbox(id),
    -- dingtalk | wecom | email
    channel      TEXT NOT NULL,
    target       TEXT NOT NULL,
    secret       TEXT NOT NULL DEFAULT '',
    -- pending | sending | delivered | failed
    status       TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    -- when it may be tried (next), or when a 'sending' claim lapses
    next_at      TEXT NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TEXT,
    UNIQUE (outbox_id, channel, target)
);
CREATE INDEX notify_deliveries_due_idx ON notify_deliveries (status, next_at);

-- 发送记录: every attempt, for administrators.
CREATE TABLE notify_attempts (
    id           INTEGER PRIMARY KEY,
    delivery_id  INTEGER NOT NULL REFERENCES notify_deliveries(id),
    at           TEXT NOT NULL,
    ok           INTEGER NOT NULL,
    detail       TEXT NOT NULL
);
CREATE INDEX notify_attempts_delivery_idx ON notify_attempts (delivery_id, id);

-- 公示异议 lodged on the public portal against a homestead application in its notice period
-- (同政办规发〔2023〕6号 第十条). Each is also an event of the case (记录公示异议), so the
-- village organisation finds it where it decides; here for the receipt and the rate limit.
CREATE TABLE notice_objections (
    id           INTEGER PRIMARY KEY,
    -- 受理编号 YY20261203-7K3F9Q
    receipt      TEXT NOT NULL UNIQUE,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    objection    TEXT NOT NULL,
    -- optional telephone, shown masked to those who see masked data
    contact      TEXT NOT NULL,
    -- the sender's salted address hash (the same rate limit as 群众举报)
    source       TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX notice_objections_source_idx ON notice_objections (source, submitted_at);
