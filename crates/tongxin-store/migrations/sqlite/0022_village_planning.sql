-- 村庄规划 (同政办规发〔2023〕6号 第五、六条) and idle homesteads (第二十五、二十六条).
-- Villages are not units of the directory: a village is its name under its township.

CREATE TABLE village_plans (
    id              INTEGER PRIMARY KEY,
    township_id     TEXT NOT NULL,
    village         TEXT NOT NULL,
    -- cluster | suburban | heritage | improvement | relocation | unclassified
    village_type    TEXT NOT NULL,
    plan_name       TEXT NOT NULL DEFAULT '',
    plan_number     TEXT NOT NULL DEFAULT '',
    approved_on     TEXT,
    -- 规划成果在村内公示之日
    published_on    TEXT,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT village_plans_village_key UNIQUE (township_id, village)
);

-- 闲置宅基地、闲置住宅, and old homesteads to be returned when building on a new site.
CREATE TABLE idle_homesteads (
    id            INTEGER PRIMARY KEY,
    township_id   TEXT NOT NULL,
    village       TEXT NOT NULL,
    -- homestead | house | old_homestead
    kind          TEXT NOT NULL,
    location      TEXT NOT NULL,
    -- the household (户主); personal data, masked for those who do not need it
    holder        TEXT NOT NULL DEFAULT '',
    area_m2       INTEGER,
    reuse         TEXT NOT NULL DEFAULT '',
    promised_on   TEXT,
    returned_on   TEXT,
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idle_homesteads_township_idx ON idle_homesteads (township_id, id);
