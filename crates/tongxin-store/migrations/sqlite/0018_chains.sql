-- 产业链 (同党办发〔2023〕49号): the enterprise register (统一社会信用代码 unique) with the chain
-- segments each enterprise works in and its 链主 steps (四、（三）), and the lists the lead unit
-- keeps per chain (四、（二）: 重点平台, 关键共性技术, 制约瓶颈, 一链一策 堵点断点 with measures).
-- The chains and their segments themselves are policy data (policies/tongxin/chains.toml).
CREATE TABLE chain_enterprises (
    id             INTEGER PRIMARY KEY,
    credit_code    TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    -- 重点税源企业 (1/0), as the registering unit records it
    key_tax_source INTEGER NOT NULL DEFAULT 0,
    -- 链主: '' (none), candidate, county, regional; and the chain it leads
    master_level   TEXT NOT NULL DEFAULT '',
    master_chain   TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    registered_by  TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE chain_enterprise_segments (
    enterprise_id BIGINT NOT NULL REFERENCES chain_enterprises (id),
    chain_key     TEXT NOT NULL,
    segment_key   TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, chain_key, segment_key)
);
CREATE INDEX chain_enterprise_segments_chain_idx ON chain_enterprise_segments (chain_key, segment_key);
-- Each 链主 step as decided: the candidate's nomination, the county's certification with its
-- reward, a regional certification with the county's further reward (万元 × 100).
CREATE TABLE chain_master_steps (
    id            INTEGER PRIMARY KEY,
    enterprise_id BIGINT NOT NULL REFERENCES chain_enterprises (id),
    chain_key     TEXT NOT NULL,
    level         TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    decision      TEXT NOT NULL,
    reward        BIGINT,
    note          TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX chain_master_steps_enterprise_idx ON chain_master_steps (enterprise_id, id);
CREATE TABLE chain_items (
    id          INTEGER PRIMARY KEY,
    chain_key   TEXT NOT NULL,
    -- platform, technology, bottleneck, blockage
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    -- 措施 (a blockage's measures)
    measure     TEXT NOT NULL DEFAULT '',
    segment_key TEXT NOT NULL DEFAULT '',
    -- open or resolved
    status      TEXT NOT NULL DEFAULT 'open',
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX chain_items_chain_idx ON chain_items (chain_key, kind, id);
