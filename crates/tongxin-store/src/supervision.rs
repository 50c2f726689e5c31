//! 督查督办 as stored: tasks (with every unit they bind, for "what does this unit owe"), one
//! report per task, unit and period, escalation steps, problems with their history, and the
//! assessment weights. Rules (periods, due dates, states, scores) live in
//! `tongxin_domain::supervision`; this module only keeps and finds.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day, opt_date};
use crate::query::{Arg, Where};
use crate::time::format_ts;
use crate::{Result, Store, StoreError, Tx, classify};

/// A task as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: i64,
    pub seed_key: Option<String>,
    pub parent_id: Option<i64>,
    pub source_doc: String,
    pub source_clause: String,
    pub title: String,
    pub note: String,
    pub lead_unit: String,
    /// Unit ids, the lead not repeated.
    pub responsible: Vec<String>,
    pub leader: String,
    pub cadence: String,
    pub due_rule: String,
    pub starts_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub until_on: Option<NaiveDate>,
    pub link_kind: String,
    pub link_ref: String,
    pub place: String,
    pub status: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// The due date of the oldest report the lead unit owes (kept with `sv_task_units`); None:
    /// nothing owed, or not computed yet.
    pub next_due: Option<NaiveDate>,
}

const TASK_COLUMNS: &str = "id, seed_key, parent_id, source_doc, source_clause, title, note, lead_unit, responsible, leader, cadence, due_rule, starts_on, due_on, until_on, link_kind, link_ref, place, status, created_by, created_at, updated_at, version, next_due";

fn task_from_row(r: &AnyRow) -> Result<TaskRow> {
    task_from(r, "next_due")
}

/// A task from a row whose lead's next due date is in column `next_due`.
fn task_from(r: &AnyRow, next_due: &str) -> Result<TaskRow> {
    let responsible: String = r.try_get("responsible")?;
    Ok(TaskRow {
        id: r.try_get("id")?,
        seed_key: r.try_get("seed_key")?,
        parent_id: r.try_get("parent_id")?,
        source_doc: r.try_get("source_doc")?,
        source_clause: r.try_get("source_clause")?,
        title: r.try_get("title")?,
        note: r.try_get("note")?,
        lead_unit: r.try_get("lead_unit")?,
        responsible: serde_json::from_str(&responsible)
            .map_err(|e| StoreError::Corrupt(format!("任务责任单位“{responsible}”：{e}")))?,
        leader: r.try_get("leader")?,
        cadence: r.try_get("cadence")?,
        due_rule: r.try_get("due_rule")?,
        starts_on: date(&r.try_get::<String, _>("starts_on")?)?,
        due_on: opt_date(r, "due_on")?,
        until_on: opt_date(r, "until_on")?,
        link_kind: r.try_get("link_kind")?,
        link_ref: r.try_get("link_ref")?,
        place: r.try_get("place")?,
        status: r.try_get("status")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
        next_due: opt_date(r, next_due)?,
    })
}

/// Which tasks to list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only tasks binding one of these units (lead or responsible): a unit's scope.
    pub units: Option<Vec<String>>,
    /// Only tasks binding this unit.
    pub unit: Option<String>,
    /// Only tasks this unit leads.
    pub lead_only: bool,
    pub leader: Option<String>,
    pub source_doc: Option<String>,
    pub statuses: Option<Vec<String>>,
    pub link: Option<(String, String)>,
    /// Only tasks linked to something of this kind (chain, campaign_action, event, measure).
    pub link_kind: Option<String>,
    /// One-off tasks due on or before this day (and not done or closed).
    pub due_by: Option<NaiveDate>,
    pub parent_id: Option<i64>,
    /// `(day, true)`: only tasks whose lead owes a report due before the day (逾期 on it),
    /// most overdue first; `(day, false)`: only those that are not.
    pub overdue: Option<(NaiveDate, bool)>,
    pub limit: i64,
    pub offset: i64,
}

/// The filter's conditions on `sv_tasks t`.
fn task_filter(f: &TaskFilter) -> Where {
    let mut w = Where::default();
    if let Some(units) = &f.units {
        if units.is_empty() {
            w.push("1 = 0");
        } else {
            let ph: Vec<String> = units.iter().map(|u| w.text(u.clone())).collect();
            // Driven from the units' rows (their primary key leads with the unit): a unit's
            // few thousand tasks, not a probe per task of the county's hundred thousand.
            w.push(format!(
                "t.id IN (SELECT u.task_id FROM sv_task_units u WHERE u.unit_id IN ({}))",
                ph.join(", ")
            ));
        }
    }
    if let Some(u) = &f.unit {
        let p = w.text(u.clone());
        let lead = if f.lead_only {
            " AND u.is_lead = 1"
        } else {
            ""
        };
        w.push(format!(
            "t.id IN (SELECT u.task_id FROM sv_task_units u WHERE u.unit_id = {p}{lead})"
        ));
    }
    if let Some(l) = &f.leader {
        let p = w.text(l.clone());
        w.push(format!("t.leader = {p}"));
    }
    if let Some(d) = &f.source_doc {
        let p = w.text(d.clone());
        w.push(format!("t.source_doc = {p}"));
    }
    if let Some(states) = &f.statuses {
        w.is_in("t.status", states);
    }
    if let Some((kind, r)) = &f.link {
        let p = w.text(kind.clone());
        let q = w.text(r.clone());
        w.push(format!("t.link_kind = {p} AND t.link_ref = {q}"));
    }
    if let Some(kind) = &f.link_kind {
        let p = w.text(kind.clone());
        w.push(format!("t.link_kind = {p}"));
    }
    if let Some(by) = f.due_by {
        let p = w.text(day(by));
        w.push(format!(
            "t.due_on IS NOT NULL AND t.due_on <= {p} AND t.status NOT IN ('done', 'closed')"
        ));
    }
    if let Some(pid) = f.parent_id {
        let p = w.arg(Arg::Int(pid));
        w.push(format!("t.parent_id = {p}"));
    }
    match f.overdue {
        Some((on, true)) => {
            let p = w.text(day(on));
            w.push(format!(
                "t.next_due < {p} AND t.status NOT IN ('done', 'closed')"
            ));
        }
        Some((on, false)) => {
            let p = w.text(day(on));
            w.push(format!("(t.next_due IS NULL OR t.next_due >= {p})"));
        }
        None => {}
    }
    w
}

/// What a unit owes on a task: the oldest period it has not reported (see
/// `tongxin_domain::supervision::next_owed`), and what its inbox was told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedRow {
    pub task_id: i64,
    pub unit_id: String,
    pub is_lead: bool,
    pub next_start: Option<NaiveDate>,
    pub next_end: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    pub warned_start: Option<NaiveDate>,
    pub overdue_start: Option<NaiveDate>,
}

const OWED_COLUMNS: &str =
    "task_id, unit_id, is_lead, next_start, next_end, next_due, warned_start, overdue_start";

fn owed_from_row(r: &AnyRow) -> Result<OwedRow> {
    Ok(OwedRow {
        task_id: r.try_get("task_id")?,
        unit_id: r.try_get("unit_id")?,
        is_lead: r.try_get::<i64, _>("is_lead")? == 1,
        next_start: opt_date(r, "next_start")?,
        next_end: opt_date(r, "next_end")?,
        next_due: opt_date(r, "next_due")?,
        warned_start: opt_date(r, "warned_start")?,
        overdue_start: opt_date(r, "overdue_start")?,
    })
}

/// The owed rows' columns prefixed with `u.`, and the task's with `t.` (a join).
fn owed_and_task_columns() -> String {
    let pre = |cols: &str, a: &str| {
        cols.split(", ")
            .map(|c| format!("{a}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The task's own next_due is the lead's; the unit's is read from `u`.
    let task = TASK_COLUMNS.replace(", next_due", "");
    format!(
        "{}, {}, t.next_due AS lead_next_due",
        pre(OWED_COLUMNS, "u"),
        pre(&task, "t")
    )
}

fn owed_and_task_from_row(r: &AnyRow) -> Result<(OwedRow, TaskRow)> {
    Ok((owed_from_row(r)?, task_from(r, "lead_next_due")?))
}

/// A task reminder in a unit's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInboxRow {
    pub id: i64,
    pub unit_id: String,
    pub task_id: i64,
    pub task_title: String,
    pub period_start: NaiveDate,
    pub kind: String,
    pub message: String,
    pub due_on: NaiveDate,
    pub created_at: String,
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    pub filed_on: NaiveDate,
    pub filed_at: String,
    pub filed_by: String,
    pub body: String,
    /// JSON object.
    pub figures: String,
    /// filed | accepted | returned
    pub review: String,
    pub review_note: String,
    pub reviewed_by: String,
    pub reviewed_at: String,
    pub version: i64,
}

const REPORT_COLUMNS: &str = "id, task_id, unit_id, period_start, period_end, due_on, filed_on, filed_at, filed_by, body, figures, review, review_note, reviewed_by, reviewed_at, version";

fn report_from_row(r: &AnyRow) -> Result<ReportRow> {
    Ok(ReportRow {
        id: r.try_get("id")?,
        task_id: r.try_get("task_id")?,
        unit_id: r.try_get("unit_id")?,
        period_start: date(&r.try_get::<String, _>("period_start")?)?,
        period_end: date(&r.try_get::<String, _>("period_end")?)?,
        due_on: date(&r.try_get::<String, _>("due_on")?)?,
        filed_on: date(&r.try_get::<String, _>("filed_on")?)?,
        filed_at: r.try_get("filed_at")?,
        filed_by: r.try_get("filed_by")?,
        body: r.try_get("body")?,
        figures: r.try_get("figures")?,
        review: r.try_get("review")?,
        review_note: r.try_get("review_note")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
        version: r.try_get("version")?,
    })
}

/// An escalation step as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRow {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: String,
    pub step: String,
    pub reason: String,
    pub decided_by: String,
    pub decided_on: NaiveDate,
    pub decided_at: String,
}

impl Tx {
    /// Inserts a task and the units it binds; returns its id. A seed key already present is a
    /// [`StoreError::Conflict`].
    pub async fn insert_task(&mut self, t: &TaskRow, now: DateTime<Utc>) -> Result<i64> {
        let ts = format_ts(now);
        let responsible = serde_json::to_string(&t.responsible)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let row = sqlx::query(
            "INSERT INTO sv_tasks (seed_key, parent_id, source_doc, source_clause, title, note, lead_unit, responsible, leader, cadence, due_rule, starts_on, due_on, until_on, link_kind, link_ref, place, status, created_by, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, 0) RETURNING id",
        )
        .bind(t.seed_key.as_deref())
        .bind(t.parent_id)
        .bind(&t.source_doc)
        .bind(&t.source_clause)
        .bind(&t.title)
        .bind(&t.note)
        .bind(&t.lead_unit)
        .bind(responsible)
        .bind(&t.leader)
        .bind(&t.cadence)
        .bind(&t.due_rule)
        .bind(day(t.starts_on))
        .bind(t.due_on.map(day))
        .bind(t.until_on.map(day))
        .bind(&t.link_kind)
        .bind(&t.link_ref)
        .bind(&t.place)
        .bind(&t.status)
        .bind(&t.created_by)
        .bind(&ts)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        let id: i64 = row.try_get(0)?;
        let mut units: Vec<(&str, i64)> = vec![(t.lead_unit.as_str(), 1)];
        for u in &t.responsible {
            if !units.iter().any(|(x, _)| x == u) {
                units.push((u.as_str(), 0));
            }
        }
        for (u, lead) in units {
            sqlx::query(
                "INSERT INTO sv_task_units (task_id, unit_id, is_lead) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(u)
            .bind(lead)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        }
        Ok(id)
    }

    /// 计划修订: sets a task's definition (what a revised plan file says) and the units it
    /// binds, keeping its status, reports and each kept unit's reminders.
    pub async fn revise_task(&mut self, t: &TaskRow, now: DateTime<Utc>) -> Result<()> {
        let responsible = serde_json::to_string(&t.responsible)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "UPDATE sv_tasks SET parent_id = $1, source_doc = $2, source_clause = $3, title = $4, note = $5, lead_unit = $6, \
             responsible = $7, leader = $8, cadence = $9, starts_on = $10, due_on = $11, until_on = $12, link_kind = $13, \
             link_ref = $14, place = $15, updated_at = $16, version = version + 1 WHERE id = $17",
        )
        .bind(t.parent_id)
        .bind(&t.source_doc)
        .bind(&t.source_clause)
        .bind(&t.title)
        .bind(&t.note)
        .bind(&t.lead_unit)
        .bind(responsible)
        .bind(&t.leader)
        .bind(&t.cadence)
        .bind(day(t.starts_on))
        .bind(t.due_on.map(day))
        .bind(t.until_on.map(day))
        .bind(&t.link_kind)
        .bind(&t.link_ref)
        .bind(&t.place)
        .bind(format_ts(now))
        .bind(t.id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        let mut units: Vec<(&str, i64)> = vec![(t.lead_unit.as_str(), 1)];
        for u in &t.responsible {
            if !units.iter().any(|(x, _)| x == u) {
                units.push((u.as_str(), 0));
            }
        }
        let stored: Vec<String> =
            sqlx::query("SELECT unit_id FROM sv_task_units WHERE task_id = $1")
                .bind(t.id)
                .fetch_all(self.conn().await?)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
        for u in &stored {
            if !units.iter().any(|(x, _)| x == u) {
                sqlx::query("DELETE FROM sv_task_units WHERE task_id = $1 AND unit_id = $2")
                    .bind(t.id)
                    .bind(u)
                    .execute(self.conn().await?)
                    .await
                    .map_err(classify)?;
            }
        }
        for (u, lead) in units {
            if stored.iter().any(|x| x == u) {
                sqlx::query(
                    "UPDATE sv_task_units SET is_lead = $1 WHERE task_id = $2 AND unit_id = $3",
                )
                .bind(lead)
                .bind(t.id)
                .bind(u)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?;
            } else {
                sqlx::query(
                    "INSERT INTO sv_task_units (task_id, unit_id, is_lead) VALUES ($1, $2, $3)",
                )
                .bind(t.id)
                .bind(u)
                .bind(lead)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?;
            }
        }
        Ok(())
    }

    /// Sets a task's recorded status if nobody changed it since `version`.
    pub async fn set_task_status(
        &mut self,
        id: i64,
        version: i64,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE sv_tasks SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4",
        )
        .bind(status)
        .bind(format_ts(now))
        .bind(id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    /// Files a report. Another report for the same task, unit and period is a
    /// [`StoreError::Conflict`] (refile a returned one with [`Tx::refile_report`]).
    pub async fn insert_report(&mut self, r: &ReportRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO sv_reports (task_id, unit_id, period_start, period_end, due_on, filed_on, filed_at, filed_by, body, figures, review, review_note, reviewed_by, reviewed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'filed', '', '', '', 0) RETURNING id",
        )
        .bind(r.task_id)
        .bind(&r.unit_id)
        .bind(day(r.period_start))
        .bind(day(r.period_end))
        .bind(day(r.due_on))
        .bind(day(r.filed_on))
        .bind(&r.filed_at)
        .bind(&r.filed_by)
        .bind(&r.body)
        .bind(&r.figures)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Refiles a returned report (new text, figures and filing day) if unchanged since
    /// `version`.
    pub async fn refile_report(&mut self, r: &ReportRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE sv_reports SET filed_on = $1, filed_at = $2, filed_by = $3, body = $4, figures = $5, review = 'filed', version = version + 1 \
             WHERE id = $6 AND version = $7 AND review = 'returned'",
        )
        .bind(day(r.filed_on))
        .bind(&r.filed_at)
        .bind(&r.filed_by)
        .bind(&r.body)
        .bind(&r.figures)
        .bind(r.id)
        .bind(r.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    /// Accepts or returns a filed report if unchanged since `version`.
    pub async fn review_report(
        &mut self,
        id: i64,
        version: i64,
        review: &str,
        note: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE sv_reports SET review = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6 AND review = 'filed'",
        )
        .bind(review)
        .bind(note)
        .bind(by)
        .bind(format_ts(now))
        .bind(id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    pub async fn insert_escalation(&mut self, e: &EscalationRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO sv_escalations (task_id, unit_id, step, reason, decided_by, decided_on, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(e.task_id)
        .bind(&e.unit_id)
        .bind(&e.step)
        .bind(&e.reason)
        .bind(&e.decided_by)
        .bind(day(e.decided_on))
        .bind(&e.decided_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }
}

impl Store {
    pub async fn task(&self, id: i64) -> Result<Option<TaskRow>> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM sv_tasks WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(task_from_row).transpose()
    }

    /// The task stored under a seed key (a plan's, or a client's key for a task made by hand).
    pub async fn task_by_seed(&self, key: &str) -> Result<Option<TaskRow>> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM sv_tasks WHERE seed_key = $1");
        let row = sqlx::query(&sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(task_from_row).transpose()
    }

    /// The tasks published from the plan files (not those made by hand, keyed `manual:…`).
    pub async fn plan_tasks(&self) -> Result<Vec<TaskRow>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM sv_tasks WHERE seed_key IS NOT NULL AND seed_key NOT LIKE 'manual:%' ORDER BY id"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(task_from_row).collect()
    }

    /// A page of tasks, oldest first, and how many match.
    pub async fn list_tasks(&self, f: &TaskFilter) -> Result<(Vec<TaskRow>, i64)> {
        let w = task_filter(f);
        let order = if matches!(f.overdue, Some((_, true))) {
            "t.next_due, t.id"
        } else {
            "t.id"
        };
        let (rows, total) = self
            .page(
                ("sv_tasks", "t"),
                TASK_COLUMNS,
                &w,
                order,
                f.limit,
                f.offset,
            )
            .await?;
        Ok((
            rows.iter().map(task_from_row).collect::<Result<_>>()?,
            total,
        ))
    }

    /// Which of these tasks have a report filed.
    pub async fn tasks_reported(&self, task_ids: &[i64]) -> Result<HashSet<i64>> {
        if task_ids.is_empty() {
            return Ok(HashSet::new());
        }
        let ph = crate::query::placeholders(1, task_ids.len());
        let sql = format!(
            "SELECT DISTINCT task_id FROM sv_reports WHERE task_id IN ({})",
            ph
        );
        let mut q = sqlx::query(&sql);
        for id in task_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Every report of these tasks, by task and period.
    pub async fn reports_of(&self, task_ids: &[i64]) -> Result<Vec<ReportRow>> {
        if task_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, task_ids.len());
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM sv_reports WHERE task_id IN ({}) ORDER BY task_id, period_start, unit_id",
            ph
        );
        let mut q = sqlx::query(&sql);
        for id in task_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(report_from_row).collect()
    }

    pub async fn report(&self, id: i64) -> Result<Option<ReportRow>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM sv_reports WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// The report a unit filed for a task's period, if any.
    pub async fn report_for(
        &self,
        task_id: i64,
        unit_id: &str,
        period_start: NaiveDate,
    ) -> Result<Option<ReportRow>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM sv_reports WHERE task_id = $1 AND unit_id = $2 AND period_start = $3"
        );
        let row = sqlx::query(&sql)
            .bind(task_id)
            .bind(unit_id)
            .bind(day(period_start))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    pub async fn escalations_of(&self, task_id: i64) -> Result<Vec<EscalationRow>> {
        let rows = sqlx::query(
            "SELECT id, task_id, unit_id, step, reason, decided_by, decided_on, decided_at FROM sv_escalations WHERE task_id = $1 ORDER BY id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EscalationRow {
                    id: r.try_get("id")?,
                    task_id: r.try_get("task_id")?,
                    unit_id: r.try_get("unit_id")?,
                    step: r.try_get("step")?,
                    reason: r.try_get("reason")?,
                    decided_by: r.try_get("decided_by")?,
                    decided_on: date(&r.try_get::<String, _>("decided_on")?)?,
                    decided_at: r.try_get("decided_at")?,
                })
            })
            .collect()
    }
}

/// A problem as stored (挂账整改).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemRow {
    pub id: i64,
    pub task_id: Option<i64>,
    pub link_kind: String,
    pub link_ref: String,
    pub unit_id: String,
    pub title: String,
    pub detail: String,
    pub evidence_required: String,
    pub deadline: NaiveDate,
    /// open | evidence_filed | closed | reopened
    pub status: String,
    pub evidence: String,
    pub evidence_filed_on: Option<NaiveDate>,
    pub reopened: i64,
    pub closed_on: Option<NaiveDate>,
    pub raised_by: String,
    pub raised_at: String,
    pub version: i64,
}

/// One step on a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemEventRow {
    pub problem_id: i64,
    pub step: String,
    pub comment: String,
    pub by_user: String,
    pub at: String,
}

const PROBLEM_COLUMNS: &str = "id, task_id, link_kind, link_ref, unit_id, title, detail, evidence_required, deadline, status, evidence, evidence_filed_on, reopened, closed_on, raised_by, raised_at, version";

fn problem_from_row(r: &AnyRow) -> Result<ProblemRow> {
    Ok(ProblemRow {
        id: r.try_get("id")?,
        task_id: r.try_get("task_id")?,
        link_kind: r.try_get("link_kind")?,
        link_ref: r.try_get("link_ref")?,
        unit_id: r.try_get("unit_id")?,
        title: r.try_get("title")?,
        detail: r.try_get("detail")?,
        evidence_required: r.try_get("evidence_required")?,
        deadline: date(&r.try_get::<String, _>("deadline")?)?,
        status: r.try_get("status")?,
        evidence: r.try_get("evidence")?,
        evidence_filed_on: opt_date(r, "evidence_filed_on")?,
        reopened: r.try_get("reopened")?,
        closed_on: opt_date(r, "closed_on")?,
        raised_by: r.try_get("raised_by")?,
        raised_at: r.try_get("raised_at")?,
        version: r.try_get("version")?,
    })
}

/// Which problems to list.
#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub units: Option<Vec<String>>,
    pub unit: Option<String>,
    pub statuses: Option<Vec<String>>,
    pub task_id: Option<i64>,
    pub link: Option<(String, String)>,
    pub limit: i64,
    pub offset: i64,
}

impl Tx {
    pub async fn insert_problem(&mut self, p: &ProblemRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO sv_problems (task_id, link_kind, link_ref, unit_id, title, detail, evidence_required, deadline, status, evidence, evidence_filed_on, reopened, closed_on, raised_by, raised_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', '', NULL, 0, NULL, $9, $10, 0) RETURNING id",
        )
        .bind(p.task_id)
        .bind(&p.link_kind)
        .bind(&p.link_ref)
        .bind(&p.unit_id)
        .bind(&p.title)
        .bind(&p.detail)
        .bind(&p.evidence_required)
        .bind(day(p.deadline))
        .bind(&p.raised_by)
        .bind(&p.raised_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Writes a problem's state after a step, if nobody changed it since `p.version`.
    pub async fn update_problem(&mut self, p: &ProblemRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE sv_problems SET status = $1, evidence = $2, evidence_filed_on = $3, reopened = $4, closed_on = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
        )
        .bind(&p.status)
        .bind(&p.evidence)
        .bind(p.evidence_filed_on.map(day))
        .bind(p.reopened)
        .bind(p.closed_on.map(day))
        .bind(p.id)
        .bind(p.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    pub async fn insert_problem_event(&mut self, e: &ProblemEventRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO sv_problem_events (problem_id, step, comment, by_user, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(e.problem_id)
        .bind(&e.step)
        .bind(&e.comment)
        .bind(&e.by_user)
        .bind(&e.at)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }
}

impl Store {
    pub async fn problem(&self, id: i64) -> Result<Option<ProblemRow>> {
        let sql = format!("SELECT {PROBLEM_COLUMNS} FROM sv_problems WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(problem_from_row).transpose()
    }

    /// A page of problems, newest first, and how many match.
    pub async fn list_problems(&self, f: &ProblemFilter) -> Result<(Vec<ProblemRow>, i64)> {
        let mut w = Where::default();
        if let Some(units) = &f.units {
            w.is_in("p.unit_id", units);
        }
        if let Some(u) = &f.unit {
            let p = w.text(u.clone());
            w.push(format!("p.unit_id = {p}"));
        }
        if let Some(states) = &f.statuses {
            w.is_in("p.status", states);
        }
        if let Some(t) = f.task_id {
            let p = w.arg(Arg::Int(t));
            w.push(format!("p.task_id = {p}"));
        }
        if let Some((k, r)) = &f.link {
            let p = w.text(k.clone());
            let q = w.text(r.clone());
            w.push(format!("p.link_kind = {p} AND p.link_ref = {q}"));
        }
        let (rows, total) = self
            .page(
                ("sv_problems", "p"),
                PROBLEM_COLUMNS,
                &w,
                "p.id DESC",
                f.limit,
                f.offset,
            )
            .await?;
        Ok((
            rows.iter().map(problem_from_row).collect::<Result<_>>()?,
            total,
        ))
    }

    pub async fn problem_events(&self, problem_id: i64) -> Result<Vec<ProblemEventRow>> {
        let rows = sqlx::query(
            "SELECT problem_id, step, comment, by_user, at FROM sv_problem_events WHERE problem_id = $1 ORDER BY id",
        )
        .bind(problem_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProblemEventRow {
                    problem_id: r.try_get("problem_id")?,
                    step: r.try_get("step")?,
                    comment: r.try_get("comment")?,
                    by_user: r.try_get("by_user")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

/// 考核权重 as stored: in force from `from_on` until the next row's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightsRow {
    pub from_on: NaiveDate,
    pub reports: i64,
    pub rectification: i64,
    pub per_overdue_task: i64,
    pub set_by: String,
    pub set_at: String,
}

impl Tx {
    /// Records weights from a day; a second row for the same day is a [`StoreError::Conflict`].
    pub async fn insert_weights(&mut self, w: &WeightsRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO sv_weights (from_on, reports, rectification, per_overdue_task, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(day(w.from_on))
        .bind(w.reports)
        .bind(w.rectification)
        .bind(w.per_overdue_task)
        .bind(&w.set_by)
        .bind(&w.set_at)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }
}

impl Store {
    /// Every weights row, oldest first.
    pub async fn weights(&self) -> Result<Vec<WeightsRow>> {
        let rows = sqlx::query(
            "SELECT from_on, reports, rectification, per_overdue_task, set_by, set_at FROM sv_weights ORDER BY from_on",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(WeightsRow {
                    from_on: date(&r.try_get::<String, _>("from_on")?)?,
                    reports: r.try_get("reports")?,
                    rectification: r.try_get("rectification")?,
                    per_overdue_task: r.try_get("per_overdue_task")?,
                    set_by: r.try_get("set_by")?,
                    set_at: r.try_get("set_at")?,
                })
            })
            .collect()
    }

    /// Every task (the assessment's input).
    pub async fn all_tasks(&self) -> Result<Vec<TaskRow>> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM sv_tasks ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(task_from_row).collect()
    }

    /// The lead units' reports due in `from..=to`: (task, period start, due, filed).
    pub async fn lead_reports_due(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, NaiveDate, NaiveDate, NaiveDate)>> {
        let rows = sqlx::query(
            "SELECT r.task_id, r.period_start, r.due_on, r.filed_on FROM sv_reports r \
             JOIN sv_tasks t ON t.id = r.task_id AND t.lead_unit = r.unit_id \
             WHERE r.due_on >= $1 AND r.due_on <= $2",
        )
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    date(&r.try_get::<String, _>(1)?)?,
                    date(&r.try_get::<String, _>(2)?)?,
                    date(&r.try_get::<String, _>(3)?)?,
                ))
            })
            .collect()
    }

    /// Per task, how many reports its lead unit had filed by `on` for periods due before it.
    pub async fn lead_reports_filed_by(&self, on: NaiveDate) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT r.task_id, COUNT(*) FROM sv_reports r \
             JOIN sv_tasks t ON t.id = r.task_id AND t.lead_unit = r.unit_id \
             WHERE r.due_on < $1 AND r.filed_on <= $1 GROUP BY r.task_id",
        )
        .bind(day(on))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Every problem with a deadline in `from..=to`.
    pub async fn problems_due(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ProblemRow>> {
        let sql = format!(
            "SELECT {PROBLEM_COLUMNS} FROM sv_problems WHERE deadline >= $1 AND deadline <= $2 ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(day(from))
            .bind(day(to))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(problem_from_row).collect()
    }
}

/// 应报: keeping what each unit owes, and the reminders it is told.
impl Tx {
    /// Records what a unit owes on a task next (`None`: nothing); the lead's due date is kept
    /// on the task too.
    pub async fn set_owed(
        &mut self,
        task_id: i64,
        unit_id: &str,
        owed: Option<(NaiveDate, NaiveDate, Option<NaiveDate>)>,
    ) -> Result<()> {
        let (start, end, due) = match owed {
            Some((s, e, d)) => (Some(day(s)), Some(day(e)), d.map(day)),
            None => (None, None, None),
        };
        sqlx::query(
            "UPDATE sv_task_units SET owed_known = 1, next_start = $1, next_end = $2, next_due = $3 \
             WHERE task_id = $4 AND unit_id = $5",
        )
        .bind(start)
        .bind(end)
        .bind(due.clone())
        .bind(task_id)
        .bind(unit_id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        sqlx::query("UPDATE sv_tasks SET next_due = $1 WHERE id = $2 AND lead_unit = $3")
            .bind(due)
            .bind(task_id)
            .bind(unit_id)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// The periods each unit reported on a task: (unit, period start).
    pub async fn reported_starts(&mut self, task_id: i64) -> Result<Vec<(String, NaiveDate)>> {
        let rows = sqlx::query(
            "SELECT unit_id, period_start FROM sv_reports WHERE task_id = $1 ORDER BY period_start",
        )
        .bind(task_id)
        .fetch_all(self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, date(&r.try_get::<String, _>(1)?)?)))
            .collect()
    }

    /// Puts a task reminder in a unit's inbox once per period and kind, and marks the period
    /// told; returns whether it was new.
    #[allow(clippy::too_many_arguments)]
    pub async fn post_task_inbox(
        &mut self,
        unit_id: &str,
        task_id: i64,
        period_start: NaiveDate,
        kind: &str,
        message: &str,
        due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        // Told overdue, a period needs no warning any more.
        let columns = match kind {
            "overdue" => "overdue_start = $1, warned_start = $1",
            _ => "warned_start = $1",
        };
        sqlx::query(&format!(
            "UPDATE sv_task_units SET {columns} WHERE task_id = $2 AND unit_id = $3"
        ))
        .bind(day(period_start))
        .bind(task_id)
        .bind(unit_id)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        let done = sqlx::query(
            "INSERT INTO sv_inbox (unit_id, task_id, period_start, kind, message, due_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (task_id, unit_id, period_start, kind) DO NOTHING",
        )
        .bind(unit_id)
        .bind(task_id)
        .bind(day(period_start))
        .bind(kind)
        .bind(message)
        .bind(day(due_on))
        .bind(format_ts(now))
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        // Every inbox message goes to the unit's other channels too (通知), with it.
        let (category, title) = crate::notify::inbox_kind(kind);
        self.enqueue_notification(
            &crate::notify::OutboxDraft {
                event_key: format!("task:{task_id}:{unit_id}:{}:{kind}", day(period_start)),
                kind: category.to_owned(),
                unit_id: unit_id.to_owned(),
                title: format!("督办{title}"),
                body: message.to_owned(),
                link: format!("/supervision/tasks/{task_id}"),
                in_inbox: false,
            },
            now,
        )
        .await?;
        Ok(true)
    }
}

impl Store {
    /// Marks every unit's owed period as to be computed again (the calendar changed).
    pub async fn invalidate_owed(&self) -> Result<u64> {
        let n = sqlx::query("UPDATE sv_task_units SET owed_known = 0 WHERE owed_known = 1")
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n)
    }

    /// Up to `limit` tasks after `after` with a unit whose owed period is not computed, by id.
    pub async fn tasks_owed_unknown(&self, after: i64, limit: i64) -> Result<Vec<TaskRow>> {
        let cols = TASK_COLUMNS
            .split(", ")
            .map(|c| format!("t.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols} FROM sv_tasks t WHERE t.id IN \
             (SELECT task_id FROM sv_task_units WHERE owed_known = 0 AND task_id > $1 ORDER BY task_id LIMIT $2) ORDER BY t.id"
        );
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(task_from_row).collect()
    }

    /// The periods each unit reported on these tasks: (task, unit, period start).
    pub async fn reported_starts_of(
        &self,
        task_ids: &[i64],
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        if task_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, task_ids.len());
        let sql = format!(
            "SELECT task_id, unit_id, period_start FROM sv_reports WHERE task_id IN ({})",
            ph
        );
        let mut q = sqlx::query(&sql);
        for id in task_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    date(&r.try_get::<String, _>(2)?)?,
                ))
            })
            .collect()
    }

    /// Owed periods due by `through` not yet told: a warning not given for the period, or an
    /// overdue notice not given for a period due before `today`. After `(task, unit)`, by
    /// task and unit.
    pub async fn owed_to_tell(
        &self,
        through: NaiveDate,
        today: NaiveDate,
        after: (i64, &str),
        limit: i64,
    ) -> Result<Vec<(OwedRow, TaskRow)>> {
        let sql = format!(
            "SELECT {} FROM sv_task_units u JOIN sv_tasks t ON t.id = u.task_id \
             WHERE u.next_due IS NOT NULL AND u.next_due <= $1 \
               AND ((u.warned_start IS NULL OR u.warned_start <> u.next_start) \
                 OR (u.next_due < $2 AND (u.overdue_start IS NULL OR u.overdue_start <> u.next_start))) \
               AND (u.task_id > $3 OR (u.task_id = $3 AND u.unit_id > $4)) \
             ORDER BY u.task_id, u.unit_id LIMIT $5",
            owed_and_task_columns()
        );
        let rows = sqlx::query(&sql)
            .bind(day(through))
            .bind(day(today))
            .bind(after.0)
            .bind(after.1)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(owed_and_task_from_row).collect()
    }

    /// 应报清单: what these units owe, soonest (most overdue) first, due by `due_by` if given;
    /// a page and the total.
    pub async fn owed_by(
        &self,
        units: &[String],
        due_by: Option<NaiveDate>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<(OwedRow, TaskRow)>, i64)> {
        let mut w = Where::default();
        w.is_in("u.unit_id", units);
        w.push("u.next_due IS NOT NULL");
        if let Some(by) = due_by {
            let p = w.text(day(by));
            w.push(format!("u.next_due <= {p}"));
        }
        let (rows, total) = self
            .page_from(
                "sv_task_units u JOIN sv_tasks t ON t.id = u.task_id",
                &owed_and_task_columns(),
                &w,
                "u.next_due, u.task_id, u.unit_id",
                limit,
                offset,
            )
            .await?;
        Ok((
            rows.iter()
                .map(owed_and_task_from_row)
                .collect::<Result<_>>()?,
            total,
        ))
    }

    /// The newest task reminders of these units.
    pub async fn task_inbox(&self, units: &[String], limit: i64) -> Result<Vec<TaskInboxRow>> {
        let mut w = Where::default();
        w.is_in("i.unit_id", units);
        let n = w.args.len();
        let sql = format!(
            "SELECT i.id, i.unit_id, i.task_id, t.title, i.period_start, i.kind, i.message, i.due_on, i.created_at \
             FROM sv_inbox i JOIN sv_tasks t ON t.id = i.task_id{} ORDER BY i.id DESC LIMIT ${}",
            w.sql(),
            n + 1
        );
        let rows = crate::query::bind_all(sqlx::query(&sql), &w.args)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TaskInboxRow {
                    id: r.try_get(0)?,
                    unit_id: r.try_get(1)?,
                    task_id: r.try_get(2)?,
                    task_title: r.try_get(3)?,
                    period_start: date(&r.try_get::<String, _>(4)?)?,
                    kind: r.try_get(5)?,
                    message: r.try_get(6)?,
                    due_on: date(&r.try_get::<String, _>(7)?)?,
                    created_at: r.try_get(8)?,
                })
            })
            .collect()
    }
}

/// For the plans' pages: problems by link, the latest reports of a group of tasks.
impl Store {
    /// How many problems each link of `kind` has, and how many are not closed, among these
    /// units' (None: all): (link, all, open).
    pub async fn problems_by_link(
        &self,
        kind: &str,
        units: Option<&[String]>,
    ) -> Result<Vec<(String, i64, i64)>> {
        let mut w = Where::default();
        let p = w.text(kind);
        w.push(format!("link_kind = {p}"));
        if let Some(units) = units {
            w.is_in("unit_id", units);
        }
        let sql = format!(
            "SELECT link_ref, COUNT(*), COUNT(CASE WHEN status <> 'closed' THEN 1 END) FROM sv_problems{} GROUP BY link_ref",
            w.sql()
        );
        let rows = crate::query::bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// The newest reports filed on these tasks.
    pub async fn recent_reports(&self, task_ids: &[i64], limit: i64) -> Result<Vec<ReportRow>> {
        if task_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, task_ids.len());
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM sv_reports WHERE task_id IN ({}) ORDER BY filed_at DESC, id DESC LIMIT ${}",
            ph,
            task_ids.len() + 1
        );
        let mut q = sqlx::query(&sql);
        for id in task_ids {
            q = q.bind(*id);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(report_from_row).collect()
    }
}
