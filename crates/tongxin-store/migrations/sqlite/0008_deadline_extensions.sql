-- 延期: a natural-period deadline extended by an action (临时用地: the reclamation year extended
-- for force majeure, at most once and at most a year, 同政办规发〔2023〕7号 第十五条). The due
-- date is the computed one plus `extended_months`; `extensions` counts the grants.
ALTER TABLE case_deadlines ADD COLUMN extended_months INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
