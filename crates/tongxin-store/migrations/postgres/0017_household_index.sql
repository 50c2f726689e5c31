-- One household, one homestead (第十条) looks up a household's cases of one procedure. With the
-- procedure in the index the lookup reads only that household's rows, whatever the planner's
-- statistics say: on a PostgreSQL server whose statistics were stale it had combined this
-- index with a scan of every case of the procedure.
DROP INDEX cases_household_idx;
CREATE INDEX cases_household_idx ON cases (household_key, procedure, id);
