-- 指标数据: one value per indicator and period, entered by the responsible unit and accepted or
-- returned by the supervision office. Values are exact: thousandths of the indicator's unit.
CREATE TABLE ind_values (
    id           INTEGER PRIMARY KEY,
    -- the indicator's code in indicators.toml (d2.air.pm25)
    code         TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    value        INTEGER NOT NULL,
    note         TEXT NOT NULL,
    unit_id      TEXT NOT NULL,
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    -- entered | accepted | returned
    review       TEXT NOT NULL,
    review_note  TEXT NOT NULL,
    reviewed_by  TEXT NOT NULL,
    reviewed_at  TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (code, period_start)
);
