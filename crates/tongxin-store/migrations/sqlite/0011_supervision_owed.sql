-- 应报: per task and unit, the oldest period the unit has not reported (next_start..next_end,
-- due on next_due), kept by every filing, status change and calendar change. "Overdue" and
-- "what does this unit owe" become index lookups instead of a walk over every period of every
-- task since 2023. next_due is NULL when nothing is owed (a task done or closed, every period
-- reported) or the calendar does not cover the due date's year yet.
-- owed_known = 0: not computed yet (rows from before this migration, or after a calendar
-- change); the application computes them at start.
ALTER TABLE sv_task_units ADD COLUMN owed_known INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sv_task_units ADD COLUMN next_start TEXT;
ALTER TABLE sv_task_units ADD COLUMN next_end TEXT;
ALTER TABLE sv_task_units ADD COLUMN next_due TEXT;
-- The period last told in the unit's inbox as near its due date (yellow) and as overdue (red).
ALTER TABLE sv_task_units ADD COLUMN warned_start TEXT;
ALTER TABLE sv_task_units ADD COLUMN overdue_start TEXT;
CREATE INDEX sv_task_units_owed_idx ON sv_task_units (unit_id, next_due);
CREATE INDEX sv_task_units_due_idx ON sv_task_units (next_due);
CREATE INDEX sv_task_units_known_idx ON sv_task_units (owed_known, task_id);
-- The lead unit's next_due, on the task itself: the ledger's 逾期 and its order.
ALTER TABLE sv_tasks ADD COLUMN next_due TEXT;
CREATE INDEX sv_tasks_next_due_idx ON sv_tasks (next_due, id);

-- 督办提醒: a task's report near its due date or overdue, told once per unit, period and kind in
-- the unit's inbox (beside the case deadlines' messages).
CREATE TABLE sv_inbox (
    id           INTEGER PRIMARY KEY,
    unit_id      TEXT NOT NULL,
    task_id      INTEGER NOT NULL REFERENCES sv_tasks(id),
    period_start TEXT NOT NULL,
    -- warning | overdue
    kind         TEXT NOT NULL,
    message      TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (task_id, unit_id, period_start, kind)
);
CREATE INDEX sv_inbox_unit_idx ON sv_inbox (unit_id, id);

-- The assessment reads the reports due in a period.
CREATE INDEX sv_reports_due_idx ON sv_reports (due_on);
