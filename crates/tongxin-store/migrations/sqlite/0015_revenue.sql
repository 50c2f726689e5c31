-- 财源: taxpayers as the tax bureau's spreadsheets name them, their monthly tax by type (fen),
-- the county's monthly general budget revenue (税收收入 + 非税收入) entered by the finance
-- bureau, and the finance bureau's settings (the alert threshold, the register's rule).
CREATE TABLE rev_taxpayers (
    -- 统一社会信用代码
    credit_code TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    industry    TEXT NOT NULL,
    -- the industrial chain (D1/D8) it belongs to, when the spreadsheet says
    chain       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE rev_taxes (
    credit_code TEXT NOT NULL,
    -- first day of the month the tax was paid in (所属月份)
    month       TEXT NOT NULL,
    tax_type    TEXT NOT NULL,
    industry    TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    source      TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (credit_code, month, tax_type)
);
CREATE INDEX rev_taxes_month_idx ON rev_taxes (month);
-- Kept by every import for the months it touched: tax by month, type and industry, and each
-- taxpayer's tax by month, so the overview reads thousands of rows, not millions.
CREATE TABLE rev_tax_rollup (
    month    TEXT NOT NULL,
    tax_type TEXT NOT NULL,
    industry TEXT NOT NULL,
    amount   BIGINT NOT NULL,
    PRIMARY KEY (month, tax_type, industry)
);
CREATE TABLE rev_taxpayer_months (
    month       TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    industry    TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    PRIMARY KEY (month, credit_code)
);
CREATE TABLE rev_monthly (
    month      TEXT PRIMARY KEY,
    tax        BIGINT NOT NULL,
    non_tax    BIGINT NOT NULL,
    note       TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    -- when the month was first reported (the report's deadline is judged on it)
    reported_at TEXT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE rev_settings (
    key    TEXT PRIMARY KEY,
    value  BIGINT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
