//! 指标数据 as stored: one value per indicator and period, with its review.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// A value as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorValueRow {
    pub id: i64,
    pub code: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Thousandths of the indicator's unit.
    pub value: i64,
    /// 比率指标: the numerator and denominator the value was computed from (thousandths).
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub note: String,
    pub unit_id: String,
    pub entered_by: String,
    pub entered_at: String,
    /// entered | accepted | returned
    pub review: String,
    pub review_note: String,
    pub reviewed_by: String,
    pub reviewed_at: String,
    pub version: i64,
}

const COLUMNS: &str = "id, code, period_start, period_end, value, numerator, denominator, note, unit_id, entered_by, entered_at, review, review_note, reviewed_by, reviewed_at, version";

fn from_row(r: &AnyRow) -> Result<IndicatorValueRow> {
    Ok(IndicatorValueRow {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        period_start: date(&r.try_get::<String, _>("period_start")?)?,
        period_end: date(&r.try_get::<String, _>("period_end")?)?,
        value: r.try_get("value")?,
        numerator: r.try_get("numerator")?,
        denominator: r.try_get("denominator")?,
        note: r.try_get("note")?,
        unit_id: r.try_get("unit_id")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
        review: r.try_get("review")?,
        review_note: r.try_get("review_note")?,
        reviewed_by: r.try_get("reviewed_by")?,
        reviewed_at: r.try_get("reviewed_at")?,
        version: r.try_get("version")?,
    })
}

impl Tx {
    /// Enters a value for a period; another for the same period is a [`crate::StoreError::Conflict`].
    pub async fn insert_indicator_value(
        &mut self,
        v: &IndicatorValueRow,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO ind_values (code, period_start, period_end, value, numerator, denominator, note, unit_id, entered_by, entered_at, review, review_note, reviewed_by, reviewed_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'entered', '', '', '', 0) RETURNING id",
        )
        .bind(&v.code)
        .bind(day(v.period_start))
        .bind(day(v.period_end))
        .bind(v.value)
        .bind(v.numerator)
        .bind(v.denominator)
        .bind(&v.note)
        .bind(&v.unit_id)
        .bind(&v.entered_by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Enters a period's value again (not once accepted) if unchanged since `version`.
    pub async fn reenter_indicator_value(
        &mut self,
        v: &IndicatorValueRow,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE ind_values SET value = $1, numerator = $2, denominator = $3, note = $4, entered_by = $5, entered_at = $6, review = 'entered', version = version + 1 \
             WHERE id = $7 AND version = $8 AND review <> 'accepted'",
        )
        .bind(v.value)
        .bind(v.numerator)
        .bind(v.denominator)
        .bind(&v.note)
        .bind(&v.entered_by)
        .bind(format_ts(now))
        .bind(v.id)
        .bind(v.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    /// Accepts or returns an entered value if unchanged since `version`.
    pub async fn review_indicator_value(
        &mut self,
        id: i64,
        version: i64,
        review: &str,
        note: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE ind_values SET review = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6 AND review = 'entered'",
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
}

impl Store {
    /// An indicator's values, oldest period first.
    pub async fn indicator_values(&self, code: &str) -> Result<Vec<IndicatorValueRow>> {
        let sql = format!("SELECT {COLUMNS} FROM ind_values WHERE code = $1 ORDER BY period_start");
        let rows = sqlx::query(&sql).bind(code).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// Every indicator's values, by code and period (a few hundred rows: 27 targets by month).
    pub async fn all_indicator_values(&self) -> Result<Vec<IndicatorValueRow>> {
        let sql = format!("SELECT {COLUMNS} FROM ind_values ORDER BY code, period_start");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn indicator_value(&self, id: i64) -> Result<Option<IndicatorValueRow>> {
        let sql = format!("SELECT {COLUMNS} FROM ind_values WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }
}
