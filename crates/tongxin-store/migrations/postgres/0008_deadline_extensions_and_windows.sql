-- 延期: a natural-period deadline extended by an action (临时用地: the reclamation year extended
-- for force majeure, at most once and at most a year, 同政办规发〔2023〕7号 第十五条). The due
-- date is the computed one plus `extended_months`; `extensions` counts the grants.
ALTER TABLE case_deadlines ADD COLUMN extended_months BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN extensions BIGINT NOT NULL DEFAULT 0;
-- 期间内办理: a deadline that may only be met from a day before its due date (临时用地: the
-- expiry notice within the 30 days before expiry, 第十五条); the sweep tells the unit when it
-- opens.
ALTER TABLE case_deadlines ADD COLUMN opens_on TEXT;
CREATE INDEX case_deadlines_opens_idx ON case_deadlines (status, opens_on);
