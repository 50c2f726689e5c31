//! 群众举报 as stored: the reports the public lodged, each with the problem it is handled as,
//! the outcome published against its receipt number and the reward decision; and the
//! captcha challenges of the public forms.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// A report as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenReportRow {
    pub id: i64,
    /// 受理编号.
    pub receipt: String,
    pub topic: String,
    pub township_id: String,
    /// The unit that handles it.
    pub unit_id: String,
    pub place: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub happened_on: Option<NaiveDate>,
    pub description: String,
    /// Optional; '' when the reporter left none.
    pub contact: String,
    pub problem_id: i64,
    pub outcome: String,
    pub published_on: Option<NaiveDate>,
    pub published_by: String,
    /// '' (not decided), granted, not_granted.
    pub reward: String,
    pub reward_yuan: Option<i64>,
    pub reward_reason: String,
    /// The sender's salted address hash (for the rate limit).
    pub source: String,
    pub submitted_at: String,
    pub version: i64,
}

const COLUMNS: &str = "id, receipt, topic, township_id, unit_id, place, lon, lat, happened_on, description, contact, problem_id, outcome, published_on, published_by, reward, reward_yuan, reward_reason, source, submitted_at, version";

fn from_row(r: &AnyRow) -> Result<CitizenReportRow> {
    Ok(CitizenReportRow {
        id: r.try_get("id")?,
        receipt: r.try_get("receipt")?,
        topic: r.try_get("topic")?,
        township_id: r.try_get("township_id")?,
        unit_id: r.try_get("unit_id")?,
        place: r.try_get("place")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        happened_on: r
            .try_get::<Option<String>, _>("happened_on")?
            .as_deref()
            .map(date)
            .transpose()?,
        description: r.try_get("description")?,
        contact: r.try_get("contact")?,
        problem_id: r.try_get("problem_id")?,
        outcome: r.try_get("outcome")?,
        published_on: r
            .try_get::<Option<String>, _>("published_on")?
            .as_deref()
            .map(date)
            .transpose()?,
        published_by: r.try_get("published_by")?,
        reward: r.try_get("reward")?,
        reward_yuan: r.try_get("reward_yuan")?,
        reward_reason: r.try_get("reward_reason")?,
        source: r.try_get("source")?,
        submitted_at: r.try_get("submitted_at")?,
        version: r.try_get("version")?,
    })
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct CitizenReportFilter {
    /// Only these units' reports (None: all).
    pub units: Option<Vec<String>>,
    pub topic: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl Tx {
    /// Stores a report (its problem already inserted); returns its id. A receipt number
    /// already taken is a [`crate::StoreError::Conflict`].
    pub async fn insert_citizen_report(&mut self, r: &CitizenReportRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO citizen_reports (receipt, topic, township_id, unit_id, place, lon, lat, happened_on, description, contact, problem_id, source, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&r.receipt)
        .bind(&r.topic)
        .bind(&r.township_id)
        .bind(&r.unit_id)
        .bind(&r.place)
        .bind(r.lon)
        .bind(r.lat)
        .bind(r.happened_on.map(day))
        .bind(&r.description)
        .bind(&r.contact)
        .bind(r.problem_id)
        .bind(&r.source)
        .bind(&r.submitted_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Publishes the outcome and the reward decision of a report read at `r.version`.
    pub async fn publish_citizen_report(&mut self, r: &CitizenReportRow) -> Result<()> {
        let n = sqlx::query(
            "UPDATE citizen_reports SET outcome = $1, published_on = $2, published_by = $3, reward = $4, reward_yuan = $5, reward_reason = $6, version = version + 1 \
             WHERE id = $7 AND version = $8",
        )
        .bind(&r.outcome)
        .bind(r.published_on.map(day))
        .bind(&r.published_by)
        .bind(&r.reward)
        .bind(r.reward_yuan)
        .bind(&r.reward_reason)
        .bind(r.id)
        .bind(r.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }

    /// Records a captcha challenge as answered; false if it was answered before. Drops the
    /// records of challenges expired before `now` on the way.
    pub async fn use_captcha(
        &mut self,
        nonce: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        sqlx::query("DELETE FROM captcha_used WHERE expires_at < $1")
            .bind(format_ts(now))
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        let n = sqlx::query(
            "INSERT INTO captcha_used (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING",
        )
        .bind(nonce)
        .bind(format_ts(expires))
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        Ok(n == 1)
    }
}

impl Store {
    /// A report by its receipt number.
    pub async fn citizen_report(&self, receipt: &str) -> Result<Option<CitizenReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM citizen_reports WHERE receipt = $1");
        let row = sqlx::query(&sql)
            .bind(receipt)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A report by its id.
    pub async fn citizen_report_by_id(&self, id: i64) -> Result<Option<CitizenReportRow>> {
        let sql = format!("SELECT {COLUMNS} FROM citizen_reports WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Reports, newest first, and how many match.
    pub async fn citizen_reports(
        &self,
        f: &CitizenReportFilter,
    ) -> Result<(Vec<CitizenReportRow>, i64)> {
        let mut w = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if let Some(units) = &f.units {
            if units.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let from = binds.len() + 1;
            let ph: Vec<String> = (from..from + units.len())
                .map(|i| format!("${i}"))
                .collect();
            w.push(format!("unit_id IN ({})", ph.join(", ")));
            binds.extend(units.iter().cloned());
        }
        if let Some(t) = &f.topic {
            binds.push(t.clone());
            w.push(format!("topic = ${}", binds.len()));
        }
        let cond = if w.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", w.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM citizen_reports{cond}");
        let mut q = sqlx::query(&count_sql);
        for b in &binds {
            q = q.bind(b);
        }
        let total: i64 = q.fetch_one(&self.pool).await?.try_get(0)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM citizen_reports{cond} ORDER BY id DESC LIMIT {} OFFSET {}",
            f.limit.clamp(1, 500),
            f.offset.max(0)
        );
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
    }

    /// The published outcomes, newest first (the portal's list).
    pub async fn published_citizen_reports(&self, limit: i64) -> Result<Vec<CitizenReportRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM citizen_reports WHERE published_on IS NOT NULL ORDER BY published_on DESC, id DESC LIMIT {}",
            limit.clamp(1, 500)
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// How many reports came from `source` since `since` (the rate limit).
    pub async fn citizen_reports_from(&self, source: &str, since: DateTime<Utc>) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM citizen_reports WHERE source = $1 AND submitted_at >= $2",
        )
        .bind(source)
        .bind(format_ts(since))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }
}
