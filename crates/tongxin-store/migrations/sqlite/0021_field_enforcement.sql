-- 巡查执法 (同政办规发〔2023〕6号 第二十八、二十九条; 同党办综〔2023〕55号 五、（二）;
-- 同政办规发〔2023〕7号 第二十四、二十五条): patrol logs with their findings, enforcement cases
-- filed from findings, the campaign's joint-enforcement sessions, and spot checks of temporary
-- land with the report published on the public page.

-- 巡查记录: one patrol by a village, a township or a department's task force.
CREATE TABLE patrols (
    id           INTEGER PRIMARY KEY,
    -- the unit that patrolled (the actor's unit)
    unit_id      TEXT NOT NULL,
    -- the township whose area was patrolled
    township_id  TEXT NOT NULL,
    village      TEXT NOT NULL DEFAULT '',
    patrolled_on TEXT NOT NULL,
    route        TEXT NOT NULL,
    -- who patrolled, as written (names of staff)
    patrollers   TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX patrols_unit_idx ON patrols (unit_id, patrolled_on);
CREATE INDEX patrols_township_idx ON patrols (township_id, patrolled_on);

-- 发现问题: what a patrol found; case_id once it became an enforcement case.
CREATE TABLE patrol_findings (
    id          INTEGER PRIMARY KEY,
    patrol_id   INTEGER NOT NULL REFERENCES patrols(id),
    place       TEXT NOT NULL,
    description TEXT NOT NULL,
    case_id     INTEGER
);
CREATE INDEX patrol_findings_patrol_idx ON patrol_findings (patrol_id);

-- 执法案件: kind, the unit that must act, and each step's record.
CREATE TABLE enforcement_cases (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    finding_id     INTEGER REFERENCES patrol_findings(id),
    -- a temporary-land case (cases.id) the misuse concerns
    land_case_id   INTEGER,
    township_id    TEXT NOT NULL,
    village        TEXT NOT NULL DEFAULT '',
    place          TEXT NOT NULL,
    description    TEXT NOT NULL,
    -- the unit that must act
    unit_id        TEXT NOT NULL,
    -- the unit whose patrol found it
    filed_unit     TEXT NOT NULL,
    filed_by       TEXT NOT NULL,
    filed_on       TEXT NOT NULL,
    investigation  TEXT NOT NULL DEFAULT '',
    investigated_on TEXT,
    order_text     TEXT NOT NULL DEFAULT '',
    ordered_on     TEXT,
    -- 整改期限 (working days from the order, per the rule in force)
    deadline       TEXT,
    deadline_rule  TEXT NOT NULL DEFAULT '',
    verification   TEXT NOT NULL DEFAULT '',
    verified_on    TEXT,
    closing        TEXT NOT NULL DEFAULT '',
    closed_on      TEXT,
    updated_by     TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enforcement_cases_unit_idx ON enforcement_cases (unit_id, id);
CREATE INDEX enforcement_cases_filed_idx ON enforcement_cases (filed_unit, id);

-- 联合执法: one session of the campaign's joint enforcement; units present as ids joined by ','.
CREATE TABLE joint_sessions (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    place       TEXT NOT NULL,
    units       TEXT NOT NULL,
    findings    TEXT NOT NULL,
    recorded_unit TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX joint_sessions_held_idx ON joint_sessions (campaign, held_on);

-- 临时用地抽查 (第二十五条): result and the report published on the public page.
CREATE TABLE land_spot_checks (
    id           INTEGER PRIMARY KEY,
    land_case_id INTEGER NOT NULL REFERENCES cases(id),
    checked_on   TEXT NOT NULL,
    -- compliant | problems
    result       TEXT NOT NULL,
    problems     TEXT NOT NULL DEFAULT '',
    public_text  TEXT NOT NULL,
    published_on TEXT,
    unit_id      TEXT NOT NULL,
    checked_by   TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX land_spot_checks_case_idx ON land_spot_checks (land_case_id);
