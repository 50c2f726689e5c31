//! 续期记录 as stored: one row per decision keeping a document in force after its trial or
//! period ended (see `tongxin_domain::policy::Renewal`).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day, opt_date};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalRow {
    pub id: i64,
    /// The document's 文号, as the corpus writes it.
    pub doc: String,
    /// trial_extended | reissued
    pub kind: String,
    pub decision: String,
    pub effective_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

const COLUMNS: &str =
    "id, doc, kind, decision, effective_from, valid_until, note, recorded_by, recorded_at";

fn from_row(r: &AnyRow) -> Result<RenewalRow> {
    Ok(RenewalRow {
        id: r.try_get("id")?,
        doc: r.try_get("doc")?,
        kind: r.try_get("kind")?,
        decision: r.try_get("decision")?,
        effective_from: date(&r.try_get::<String, _>("effective_from")?)?,
        valid_until: opt_date(r, "valid_until")?,
        note: r.try_get("note")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

impl Tx {
    /// Records a renewal; returns its id.
    pub async fn insert_renewal(&mut self, r: &RenewalRow, now: DateTime<Utc>) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO policy_renewals (doc, kind, decision, effective_from, valid_until, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&r.doc)
        .bind(&r.kind)
        .bind(&r.decision)
        .bind(day(r.effective_from))
        .bind(r.valid_until.map(day))
        .bind(&r.note)
        .bind(&r.recorded_by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }
}

impl Store {
    /// Every renewal, oldest decision first.
    pub async fn renewals(&self) -> Result<Vec<RenewalRow>> {
        let sql = format!("SELECT {COLUMNS} FROM policy_renewals ORDER BY effective_from, id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }
}
