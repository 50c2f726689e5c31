//! 失信名单 as stored (同政办规发〔2023〕7号 第二十四条): one row per decision; an entry is in
//! force from `decided_on` through `until_on`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRow {
    pub id: i64,
    /// enterprise | individual
    pub subject_kind: String,
    /// 统一社会信用代码 or 居民身份证号码, upper-case.
    pub subject: String,
    pub name: String,
    pub reason: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub until_on: NaiveDate,
    pub created_by: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, subject_kind, subject, name, reason, decision, decided_on, until_on, created_by, created_at";

fn from_row(r: &AnyRow) -> Result<ListingRow> {
    Ok(ListingRow {
        id: r.try_get("id")?,
        subject_kind: r.try_get("subject_kind")?,
        subject: r.try_get("subject")?,
        name: r.try_get("name")?,
        reason: r.try_get("reason")?,
        decision: r.try_get("decision")?,
        decided_on: date(&r.try_get::<String, _>("decided_on")?)?,
        until_on: date(&r.try_get::<String, _>("until_on")?)?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

impl Tx {
    /// Adds an entry; returns its id.
    pub async fn insert_listing(&mut self, l: &ListingRow, now: DateTime<Utc>) -> Result<i64> {
        let r = sqlx::query(
            "INSERT INTO dishonesty_list (subject_kind, subject, name, reason, decision, decided_on, until_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&l.subject_kind)
        .bind(&l.subject)
        .bind(&l.name)
        .bind(&l.reason)
        .bind(&l.decision)
        .bind(day(l.decided_on))
        .bind(day(l.until_on))
        .bind(&l.created_by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(r.try_get(0)?)
    }
}

impl Store {
    /// The entry in force on `on` for this subject, the one that runs longest if several are.
    pub async fn listing_of(&self, subject: &str, on: NaiveDate) -> Result<Option<ListingRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM dishonesty_list WHERE subject = $1 AND decided_on <= $2 AND until_on >= $2 \
             ORDER BY until_on DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(subject)
            .bind(day(on))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Every entry, newest decision first; only those in force on `in_force_on` if given.
    pub async fn listings(&self, in_force_on: Option<NaiveDate>) -> Result<Vec<ListingRow>> {
        let rows = match in_force_on {
            Some(d) => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM dishonesty_list WHERE decided_on <= $1 AND until_on >= $1 \
                     ORDER BY decided_on DESC, id DESC"
                );
                sqlx::query(&sql).bind(day(d)).fetch_all(&self.pool).await?
            }
            None => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM dishonesty_list ORDER BY decided_on DESC, id DESC"
                );
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(from_row).collect()
    }
}
