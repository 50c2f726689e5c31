//! Cases as stored (办件): the case row with its state, form data and version; the append-only
//! event log; deadlines with their pauses; issued documents; per-year number sequences; and
//! the units' inboxes.
//!
//! A transition is one transaction: [`Tx::update_case`] (refused with
//! [`StoreError::StaleVersion`] when another official moved the case first), the event, the
//! deadline changes, the documents and the audit entry. Event rows are only ever inserted.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::query::{Arg, Where};
use crate::stmt::{Stmt, values_sql};
use crate::time::format_ts;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub procedure: String,
    /// 受理编号 (`宅2024-000001`).
    pub number: String,
    pub state: String,
    /// 办理单位: the village if the directory has it, else the township.
    pub unit_id: String,
    pub township_id: String,
    pub village: String,
    pub applicant_name: String,
    pub household_key: String,
    /// The form data, as JSON.
    pub data: String,
    pub created_by: i64,
    pub client_key: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// A case to insert (its first state, before any event).
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    pub procedure: &'a str,
    pub number: &'a str,
    pub state: &'a str,
    pub unit_id: &'a str,
    pub township_id: &'a str,
    pub village: &'a str,
    pub applicant_name: &'a str,
    pub household_key: &'a str,
    pub data: &'a str,
    pub created_by: i64,
    pub client_key: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub case_id: i64,
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub unit: String,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
    /// The form entered at this action, as JSON.
    pub data: String,
    /// The clauses applied, as JSON.
    pub clauses: String,
    pub policy_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRow {
    pub id: i64,
    pub case_id: i64,
    pub deadline: String,
    pub kind: String,
    /// running | paused | met | cancelled
    pub status: String,
    pub started_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub amount: i64,
    pub unit: String,
    /// JSON `[{"from":…,"to":…}]`.
    pub pauses: String,
    pub citation: String,
    pub rule_citation: String,
    pub responsible: String,
    pub met_on: Option<NaiveDate>,
    pub warned_on: Option<NaiveDate>,
    pub overdue_on: Option<NaiveDate>,
    /// 延期: months added to the computed due date, and how many extensions were granted.
    pub extended_months: i64,
    pub extensions: i64,
    /// The first day the deadline may be met (期满前30日内), when it has a window.
    pub opens_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDocumentRow {
    pub case_id: i64,
    pub document: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub event_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: i64,
    pub unit_id: String,
    pub case_id: i64,
    pub case_number: String,
    pub procedure: String,
    pub deadline_id: i64,
    /// warning | overdue
    pub kind: String,
    pub message: String,
    pub due_on: NaiveDate,
    pub created_at: String,
}

/// Which cases to list. `units` and `created_by` are the caller's data scope (both None: the
/// whole county).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub procedure: String,
    pub units: Option<Vec<String>>,
    /// Only the cases of this unit (项目单位), within `units`.
    pub unit_id: Option<String>,
    /// Only cases whose number starts so (the procedure's prefix and the year filed: 投2025-).
    pub number_prefix: Option<String>,
    pub created_by: Option<i64>,
    pub township_id: Option<String>,
    /// Part of the village's name.
    pub village: Option<String>,
    pub states: Option<Vec<String>>,
    /// Only cases with a running deadline marked overdue.
    pub overdue: bool,
    /// Only cases whose running deadline of this id is due on or before the date (到期预警:
    /// expiring within 30 days, reclamation overdue).
    pub running_due: Option<(String, NaiveDate)>,
    pub limit: i64,
    pub offset: i64,
}

/// A deadline the sweep looks at, with what its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepItem {
    pub deadline: DeadlineRow,
    pub case_number: String,
    /// The case's procedure: deadline ids are unique only within one.
    pub procedure: String,
    pub village: String,
}

pub(crate) fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("日期“{s}”：{e}")))
}

pub(crate) fn opt_date(r: &AnyRow, col: &str) -> Result<Option<NaiveDate>> {
    r.try_get::<Option<String>, _>(col)?
        .as_deref()
        .map(date)
        .transpose()
}

pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

const CASE_COLUMNS: &str = "id, procedure, number, state, unit_id, township_id, village, applicant_name, household_key, data, created_by, client_key, created_at, updated_at, version";

fn case_from_row(r: &AnyRow) -> Result<CaseRow> {
    Ok(CaseRow {
        id: r.try_get("id")?,
        procedure: r.try_get("procedure")?,
        number: r.try_get("number")?,
        state: r.try_get("state")?,
        unit_id: r.try_get("unit_id")?,
        township_id: r.try_get("township_id")?,
        village: r.try_get("village")?,
        applicant_name: r.try_get("applicant_name")?,
        household_key: r.try_get("household_key")?,
        data: r.try_get("data")?,
        created_by: r.try_get("created_by")?,
        client_key: r.try_get("client_key")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

const DEADLINE_COLUMNS: &str = "d.id, d.case_id, d.deadline, d.kind, d.status, d.started_on, d.due_on, d.amount, d.unit, d.pauses, d.citation, d.rule_citation, d.responsible, d.met_on, d.warned_on, d.overdue_on, d.extended_months, d.extensions, d.opens_on";

fn deadline_from_row(r: &AnyRow) -> Result<DeadlineRow> {
    Ok(DeadlineRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        deadline: r.try_get("deadline")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        started_on: date(&r.try_get::<String, _>("started_on")?)?,
        due_on: opt_date(r, "due_on")?,
        amount: r.try_get("amount")?,
        unit: r.try_get("unit")?,
        pauses: r.try_get("pauses")?,
        citation: r.try_get("citation")?,
        rule_citation: r.try_get("rule_citation")?,
        responsible: r.try_get("responsible")?,
        met_on: opt_date(r, "met_on")?,
        warned_on: opt_date(r, "warned_on")?,
        overdue_on: opt_date(r, "overdue_on")?,
        extended_months: r.try_get("extended_months")?,
        extensions: r.try_get("extensions")?,
        opens_on: opt_date(r, "opens_on")?,
    })
}

/// A deadline row joined with its case's number, procedure and village (the sweep's queries).
fn sweep_item_from_row(r: &AnyRow) -> Result<SweepItem> {
    Ok(SweepItem {
        deadline: deadline_from_row(r)?,
        case_number: r.try_get("case_number")?,
        procedure: r.try_get("case_procedure")?,
        village: r.try_get("village")?,
    })
}

/// The filter's conditions on `cases c`.
fn case_filter(f: &CaseFilter) -> Where {
    let mut w = Where::default();
    let p = w.text(f.procedure.clone());
    w.push(format!("c.procedure = {p}"));
    if let Some(units) = &f.units {
        w.is_in("c.unit_id", units);
    }
    if let Some(u) = &f.unit_id {
        let p = w.text(u.clone());
        w.push(format!("c.unit_id = {p}"));
    }
    if let Some(n) = &f.number_prefix {
        let p = w.text(format!("{n}%"));
        w.push(format!("c.number LIKE {p}"));
    }
    if let Some(u) = f.created_by {
        let p = w.arg(Arg::Int(u));
        w.push(format!("c.created_by = {p}"));
    }
    if let Some(t) = &f.township_id {
        let p = w.text(t.clone());
        w.push(format!("c.township_id = {p}"));
    }
    if let Some(v) = &f.village {
        let p = w.text(format!("%{v}%"));
        w.push(format!("c.village LIKE {p}"));
    }
    if let Some(states) = &f.states {
        w.is_in("c.state", states);
    }
    if f.overdue {
        w.push(
            "EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.status = 'running' AND d.overdue_on IS NOT NULL)",
        );
    }
    if let Some((deadline, by)) = &f.running_due {
        let p = w.text(deadline.clone());
        let q = w.text(day(*by));
        w.push(format!(
            "EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.deadline = {p} AND d.status = 'running' AND d.due_on <= {q})"
        ));
    }
    w
}

impl Store {
    /// The case a user already filed under this client key (a retried submission).
    pub async fn case_by_client_key(
        &self,
        created_by: i64,
        client_key: &str,
    ) -> Result<Option<CaseRow>> {
        let sql =
            format!("SELECT {CASE_COLUMNS} FROM cases WHERE created_by = $1 AND client_key = $2");
        let row = sqlx::query(&sql)
            .bind(created_by)
            .bind(client_key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from_row).transpose()
    }

    pub async fn case_by_id(&self, id: i64) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from_row).transpose()
    }

    /// Cases of a procedure filed for a household (一户一宅), oldest first.
    pub async fn cases_of_household(
        &self,
        procedure: &str,
        household_key: &str,
    ) -> Result<Vec<CaseRow>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE household_key = $1 AND procedure = $2 ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(household_key)
            .bind(procedure)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(case_from_row).collect()
    }

    /// A page of cases, newest first, and the total under the filter.
    pub async fn list_cases(&self, f: &CaseFilter) -> Result<(Vec<CaseRow>, i64)> {
        let w = case_filter(f);
        let (rows, total) = self
            .page(
                ("cases", "c"),
                CASE_COLUMNS,
                &w,
                "c.id DESC",
                f.limit,
                f.offset,
            )
            .await?;
        let cases = rows.iter().map(case_from_row).collect::<Result<Vec<_>>>()?;
        Ok((cases, total))
    }

    pub async fn case_events(&self, case_id: i64) -> Result<Vec<EventRow>> {
        let rows = sqlx::query(
            "SELECT case_id, seq, at, actor, role, unit, action, from_state, to_state, comment, data, clauses, policy_version \
             FROM case_events WHERE case_id = $1 ORDER BY seq",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventRow {
                    case_id: r.try_get("case_id")?,
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    role: r.try_get("role")?,
                    unit: r.try_get("unit")?,
                    action: r.try_get("action")?,
                    from_state: r.try_get("from_state")?,
                    to_state: r.try_get("to_state")?,
                    comment: r.try_get("comment")?,
                    data: r.try_get("data")?,
                    clauses: r.try_get("clauses")?,
                    policy_version: r.try_get("policy_version")?,
                })
            })
            .collect()
    }

    /// The deadlines of several cases (one query for a page of cases), by case then id.
    pub async fn deadlines_of(&self, case_ids: &[i64]) -> Result<Vec<DeadlineRow>> {
        if case_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, case_ids.len());
        let sql = format!(
            "SELECT {DEADLINE_COLUMNS} FROM case_deadlines d WHERE d.case_id IN ({}) ORDER BY d.case_id, d.id",
            ph
        );
        let mut q = sqlx::query(&sql);
        for id in case_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(deadline_from_row).collect()
    }

    pub async fn case_documents(&self, case_ids: &[i64]) -> Result<Vec<CaseDocumentRow>> {
        if case_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, case_ids.len());
        let sql = format!(
            "SELECT case_id, document, number, issued_on, event_seq FROM case_documents WHERE case_id IN ({}) ORDER BY case_id, id",
            ph
        );
        let mut q = sqlx::query(&sql);
        for id in case_ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(CaseDocumentRow {
                    case_id: r.try_get("case_id")?,
                    document: r.try_get("document")?,
                    number: r.try_get("number")?,
                    issued_on: date(&r.try_get::<String, _>("issued_on")?)?,
                    event_seq: r.try_get("event_seq")?,
                })
            })
            .collect()
    }

    /// Running deadlines with a due date, in id order after `after_id` (the recomputation when
    /// the calendar changes).
    pub async fn running_deadlines(&self, after_id: i64, limit: i64) -> Result<Vec<SweepItem>> {
        let sql = format!(
            "SELECT {DEADLINE_COLUMNS}, c.number AS case_number, c.procedure AS case_procedure, c.village AS village \
             FROM case_deadlines d JOIN cases c ON c.id = d.case_id \
             WHERE d.status = 'running' AND d.due_on IS NOT NULL AND d.id > $1 \
             ORDER BY d.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(sweep_item_from_row).collect()
    }

    /// Running deadlines due on or before `through` (or whose window has opened) that still
    /// need a warning, a window message or an overdue mark, in id order; at most `limit` (the
    /// sweep pages through them).
    pub async fn deadlines_to_sweep(
        &self,
        through: NaiveDate,
        today: NaiveDate,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<SweepItem>> {
        let sql = format!(
            "SELECT {DEADLINE_COLUMNS}, c.number AS case_number, c.procedure AS case_procedure, c.village AS village \
             FROM case_deadlines d JOIN cases c ON c.id = d.case_id \
             WHERE d.status = 'running' AND d.due_on IS NOT NULL AND (d.due_on <= $1 OR d.opens_on <= $2) AND d.id > $3 \
               AND ((d.kind = 'within' AND (d.warned_on IS NULL OR (d.due_on < $2 AND d.overdue_on IS NULL))) \
                 OR (d.kind = 'within' AND d.opens_on IS NOT NULL AND d.opens_on <= $2 \
                     AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.deadline_id = d.id AND i.kind = 'window_open')) \
                 OR (d.kind = 'at_least' AND d.due_on <= $2 AND d.warned_on IS NULL)) \
             ORDER BY d.id LIMIT $4"
        );
        let rows = sqlx::query(&sql)
            .bind(day(through))
            .bind(day(today))
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(sweep_item_from_row).collect()
    }

    /// The newest inbox messages of these units.
    pub async fn inbox(&self, units: &[String], limit: i64) -> Result<Vec<InboxRow>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(1, units.len());
        let sql = format!(
            "SELECT i.id, i.unit_id, i.case_id, c.number, i.deadline_id, i.kind, i.message, i.due_on, i.created_at, c.procedure \
             FROM inbox i JOIN cases c ON c.id = i.case_id \
             WHERE i.unit_id IN ({}) ORDER BY i.id DESC LIMIT ${}",
            ph,
            units.len() + 1
        );
        let mut q = sqlx::query(&sql);
        for u in units {
            q = q.bind(u.as_str());
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(InboxRow {
                    id: r.try_get(0)?,
                    unit_id: r.try_get(1)?,
                    case_id: r.try_get(2)?,
                    case_number: r.try_get(3)?,
                    deadline_id: r.try_get(4)?,
                    kind: r.try_get(5)?,
                    message: r.try_get(6)?,
                    due_on: date(&r.try_get::<String, _>(7)?)?,
                    created_at: r.try_get(8)?,
                    procedure: r.try_get(9)?,
                })
            })
            .collect()
    }
}

impl Tx {
    /// The next number of a named sequence (`宅批2024`), starting at 1.
    pub async fn next_sequence(&mut self, name: &str) -> Result<i64> {
        Ok(self
            .next_numbers(&[name])
            .await?
            .first()
            .copied()
            .unwrap_or(0))
    }

    /// The next number of each named sequence, in the order asked (a name asked twice gets
    /// two numbers), in one statement. Each sequence's row stays locked until the transaction
    /// ends, so a transaction that issues several numbers takes them together, late, and in
    /// one order (by name) that no other can cross.
    pub async fn next_numbers(&mut self, names: &[&str]) -> Result<Vec<i64>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let mut wanted: std::collections::BTreeMap<&str, i64> = Default::default();
        for n in names {
            *wanted.entry(*n).or_default() += 1;
        }
        let mut stmt = Stmt::new(values_sql(
            "INSERT INTO sequences (name, last)",
            wanted.len(),
            2,
            "ON CONFLICT (name) DO UPDATE SET last = sequences.last + excluded.last RETURNING name, last",
        ));
        for (name, count) in &wanted {
            stmt = stmt.arg(*name).arg(*count);
        }
        let rows = self.fetch(stmt).await?;
        // The first number each sequence gives out in this call.
        let mut next: std::collections::BTreeMap<String, i64> = Default::default();
        for r in &rows {
            let name: String = r.try_get(0)?;
            let last: i64 = r.try_get(1)?;
            let count = wanted.get(name.as_str()).copied().unwrap_or(0);
            next.insert(name, last - count + 1);
        }
        names
            .iter()
            .map(|n| {
                let slot = next
                    .get_mut(*n)
                    .ok_or_else(|| StoreError::Corrupt(format!("编号序列“{n}”未返回编号")))?;
                *slot += 1;
                Ok(*slot - 1)
            })
            .collect()
    }

    pub async fn insert_case(&mut self, c: &NewCase<'_>, now: DateTime<Utc>) -> Result<i64> {
        let rows = self
            .fetch(
                Stmt::new(
                    "INSERT INTO cases (procedure, number, state, unit_id, township_id, village, applicant_name, household_key, data, created_by, client_key, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1) RETURNING id",
                )
                .arg(c.procedure)
                .arg(c.number)
                .arg(c.state)
                .arg(c.unit_id)
                .arg(c.township_id)
                .arg(c.village)
                .arg(c.applicant_name)
                .arg(c.household_key)
                .arg(c.data)
                .arg(c.created_by)
                .arg(c.client_key)
                .arg(format_ts(now)),
            )
            .await?;
        one(&rows)?.try_get(0).map_err(Into::into)
    }

    /// Reads a case inside the transaction (the state a transition starts from).
    pub async fn case_for_update(&mut self, id: i64) -> Result<Option<CaseRow>> {
        let rows = self
            .fetch(Stmt::new(format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1")).arg(id))
            .await?;
        rows.first().map(case_from_row).transpose()
    }

    /// Moves a case to `state` with `data` if it is still at `version`; the new version is
    /// `version + 1`. Another official's transition in between: [`StoreError::StaleVersion`],
    /// from this call or (on SQLite, where the write is held back) from the transaction's next
    /// call that reaches the database, at the latest its commit.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_case(
        &mut self,
        id: i64,
        version: i64,
        state: &str,
        data: &str,
        applicant_name: &str,
        village: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.defer(
            Stmt::new(
                "UPDATE cases SET state = $3, data = $4, applicant_name = $5, village = $6, updated_at = $7, version = version + 1 \
                 WHERE id = $1 AND version = $2",
            )
            .arg(id)
            .arg(version)
            .arg(state)
            .arg(data)
            .arg(applicant_name)
            .arg(village)
            .arg(format_ts(now))
            .expect_changed(),
        )
        .await
    }

    /// Appends an event (held back on SQLite: a second event with the same number is reported
    /// by a later call, as [`StoreError::Conflict`] naming `case_events`).
    pub async fn insert_event(&mut self, e: &EventRow) -> Result<()> {
        self.defer(
            Stmt::new(
                "INSERT INTO case_events (case_id, seq, at, actor, role, unit, action, from_state, to_state, comment, data, clauses, policy_version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .arg(e.case_id)
            .arg(e.seq)
            .arg(&e.at)
            .arg(&e.actor)
            .arg(&e.role)
            .arg(&e.unit)
            .arg(&e.action)
            .arg(&e.from_state)
            .arg(&e.to_state)
            .arg(&e.comment)
            .arg(&e.data)
            .arg(&e.clauses)
            .arg(&e.policy_version),
        )
        .await
    }

    /// The deadlines of one case, inside the transaction.
    pub async fn deadlines_for_update(&mut self, case_id: i64) -> Result<Vec<DeadlineRow>> {
        let rows = self
            .fetch(Stmt::new(format!(
                "SELECT {DEADLINE_COLUMNS} FROM case_deadlines d WHERE d.case_id = $1 ORDER BY d.id"
            )).arg(case_id))
            .await?;
        rows.iter().map(deadline_from_row).collect()
    }

    /// Inserts a deadline (`id` is ignored).
    pub async fn insert_deadline(&mut self, d: &DeadlineRow) -> Result<()> {
        self.defer(
            Stmt::new(
                "INSERT INTO case_deadlines (case_id, deadline, kind, status, started_on, due_on, amount, unit, pauses, citation, rule_citation, responsible, met_on, warned_on, overdue_on, extended_months, extensions, opens_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            )
            .arg(d.case_id)
            .arg(&d.deadline)
            .arg(&d.kind)
            .arg(&d.status)
            .arg(day(d.started_on))
            .arg(d.due_on.map(day))
            .arg(d.amount)
            .arg(&d.unit)
            .arg(&d.pauses)
            .arg(&d.citation)
            .arg(&d.rule_citation)
            .arg(&d.responsible)
            .arg(d.met_on.map(day))
            .arg(d.warned_on.map(day))
            .arg(d.overdue_on.map(day))
            .arg(d.extended_months)
            .arg(d.extensions)
            .arg(d.opens_on.map(day)),
        )
        .await
    }

    /// Writes a deadline's status, due date, pauses and marks.
    pub async fn update_deadline(&mut self, d: &DeadlineRow) -> Result<()> {
        self.defer(
            Stmt::new(
                "UPDATE case_deadlines SET status = $2, due_on = $3, pauses = $4, met_on = $5, warned_on = $6, overdue_on = $7, extended_months = $8, extensions = $9, opens_on = $10 WHERE id = $1",
            )
            .arg(d.id)
            .arg(&d.status)
            .arg(d.due_on.map(day))
            .arg(&d.pauses)
            .arg(d.met_on.map(day))
            .arg(d.warned_on.map(day))
            .arg(d.overdue_on.map(day))
            .arg(d.extended_months)
            .arg(d.extensions)
            .arg(d.opens_on.map(day)),
        )
        .await
    }

    /// The documents an action issues, in one statement.
    pub async fn insert_case_documents(&mut self, docs: &[CaseDocumentRow]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let mut stmt = Stmt::new(values_sql(
            "INSERT INTO case_documents (case_id, document, number, issued_on, event_seq)",
            docs.len(),
            5,
            "",
        ));
        for d in docs {
            stmt = stmt
                .arg(d.case_id)
                .arg(&d.document)
                .arg(&d.number)
                .arg(day(d.issued_on))
                .arg(d.event_seq);
        }
        self.defer(stmt).await
    }

    /// Puts a message in a unit's inbox once per deadline and kind; returns whether it was new.
    #[allow(clippy::too_many_arguments)]
    pub async fn post_inbox(
        &mut self,
        unit_id: &str,
        case_id: i64,
        deadline_id: i64,
        kind: &str,
        message: &str,
        due_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let rows = self
            .fetch(
                Stmt::new(
                    "INSERT INTO inbox (unit_id, case_id, deadline_id, kind, message, due_on, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (deadline_id, kind) DO NOTHING RETURNING id",
                )
                .arg(unit_id)
                .arg(case_id)
                .arg(deadline_id)
                .arg(kind)
                .arg(message)
                .arg(day(due_on))
                .arg(format_ts(now)),
            )
            .await?;
        if rows.is_empty() {
            return Ok(false);
        }
        // Every inbox message goes to the unit's other channels too (通知), with it.
        let (category, title) = crate::notify::inbox_kind(kind);
        self.enqueue_notification(
            &crate::notify::OutboxDraft {
                event_key: format!("case:{deadline_id}:{kind}"),
                kind: category.to_owned(),
                unit_id: unit_id.to_owned(),
                title: title.to_owned(),
                body: message.to_owned(),
                link: format!("/cases/{case_id}"),
                in_inbox: false,
            },
            now,
        )
        .await?;
        Ok(true)
    }

    /// Moves a running deadline's due date (and window) if it still has `old_due`: the
    /// calendar changed under it. With `clear_marks` (the new date is still ahead) warnings and
    /// overdue marks are cleared so the sweep judges the new date; a date that stays past keeps
    /// them, so nothing is announced twice. False when the deadline moved on meanwhile.
    pub async fn move_due_date(
        &mut self,
        id: i64,
        old_due: NaiveDate,
        new_due: NaiveDate,
        opens_on: Option<NaiveDate>,
        clear_marks: bool,
    ) -> Result<bool> {
        let rows = self
            .fetch(
                Stmt::new(
                    "UPDATE case_deadlines SET due_on = $3, opens_on = $4, \
                     warned_on = CASE WHEN $5 = 1 THEN NULL ELSE warned_on END, \
                     overdue_on = CASE WHEN $5 = 1 THEN NULL ELSE overdue_on END \
                     WHERE id = $1 AND due_on = $2 AND status = 'running' RETURNING id",
                )
                .arg(id)
                .arg(day(old_due))
                .arg(day(new_due))
                .arg(opens_on.map(day))
                .arg(i64::from(clear_marks)),
            )
            .await?;
        Ok(!rows.is_empty())
    }

    /// Marks a deadline warned and/or overdue (the sweep).
    pub async fn mark_deadline(
        &mut self,
        id: i64,
        warned_on: Option<NaiveDate>,
        overdue_on: Option<NaiveDate>,
    ) -> Result<()> {
        self.defer(
            Stmt::new(
                "UPDATE case_deadlines SET warned_on = COALESCE(warned_on, $2), overdue_on = COALESCE(overdue_on, $3) WHERE id = $1",
            )
            .arg(id)
            .arg(warned_on.map(day))
            .arg(overdue_on.map(day)),
        )
        .await
    }
}

/// The one row a statement returns.
fn one(rows: &[AnyRow]) -> Result<&AnyRow> {
    rows.first()
        .ok_or_else(|| StoreError::Corrupt("语句未返回应有的一行".to_owned()))
}
