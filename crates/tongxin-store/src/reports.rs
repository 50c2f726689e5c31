//! 群众举报 as stored: the reports the public lodged, each with the problem it is handled as,
//! the outcome published against its receipt number and the reward decision; and the
//! captcha challenges of the public forms.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::query::{Arg, Where, bind_all};
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
    /// Read from the report's problem (not written with the report): its status and
    /// deadline, so a list of reports shows where each stands without a query per report.
    pub problem_status: String,
    pub problem_deadline: Option<NaiveDate>,
}

const COLUMNS: &str = "id, receipt, topic, township_id, unit_id, place, lon, lat, happened_on, description, contact, problem_id, outcome, published_on, published_by, reward, reward_yuan, reward_reason, source, submitted_at, version";
/// A report joined to its problem (alias `r` and `p`).
const FROM: &str = "citizen_reports r JOIN sv_problems p ON p.id = r.problem_id";

/// The report's own columns (prefixed `r.`) and its problem's status and deadline.
fn select() -> String {
    let own: Vec<String> = COLUMNS.split(", ").map(|c| format!("r.{c}")).collect();
    format!(
        "{}, p.status AS problem_status, p.deadline AS problem_deadline",
        own.join(", ")
    )
}

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
        problem_status: r.try_get("problem_status")?,
        problem_deadline: r
            .try_get::<Option<String>, _>("problem_deadline")?
            .as_deref()
            .map(date)
            .transpose()?,
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

/// 公示异议 lodged on the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeObjectionRow {
    pub receipt: String,
    pub case_id: i64,
    pub objection: String,
    pub contact: String,
    pub source: String,
    pub submitted_at: String,
}

impl Tx {
    /// Stores an objection; a receipt number already taken is a
    /// [`crate::StoreError::Conflict`].
    pub async fn insert_notice_objection(&mut self, o: &NoticeObjectionRow) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO notice_objections (receipt, case_id, objection, contact, source, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&o.receipt)
        .bind(o.case_id)
        .bind(&o.objection)
        .bind(&o.contact)
        .bind(&o.source)
        .bind(&o.submitted_at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

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
    async fn citizen_report_where(&self, w: &Where) -> Result<Option<CitizenReportRow>> {
        let sql = format!("SELECT {} FROM {FROM}{}", select(), w.sql());
        let row = bind_all(sqlx::query(&sql), &w.args)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A report by its receipt number.
    pub async fn citizen_report(&self, receipt: &str) -> Result<Option<CitizenReportRow>> {
        let mut w = Where::default();
        let p = w.text(receipt);
        w.push(format!("r.receipt = {p}"));
        self.citizen_report_where(&w).await
    }

    /// A report by its id.
    pub async fn citizen_report_by_id(&self, id: i64) -> Result<Option<CitizenReportRow>> {
        let mut w = Where::default();
        let p = w.arg(Arg::Int(id));
        w.push(format!("r.id = {p}"));
        self.citizen_report_where(&w).await
    }

    /// Reports, newest first, and how many match.
    pub async fn citizen_reports(
        &self,
        f: &CitizenReportFilter,
    ) -> Result<(Vec<CitizenReportRow>, i64)> {
        let mut w = Where::default();
        if let Some(units) = &f.units {
            w.is_in("r.unit_id", units);
        }
        if let Some(t) = &f.topic {
            let p = w.text(t.clone());
            w.push(format!("r.topic = {p}"));
        }
        let (rows, total) = self
            .page_from(
                FROM,
                &select(),
                &w,
                "r.id DESC",
                f.limit.clamp(1, 500),
                f.offset.max(0),
            )
            .await?;
        Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
    }

    /// The published outcomes, newest first (the portal's list).
    pub async fn published_citizen_reports(&self, limit: i64) -> Result<Vec<CitizenReportRow>> {
        let mut w = Where::default();
        w.push("r.published_on IS NOT NULL");
        let (rows, _) = self
            .page_from(
                FROM,
                &select(),
                &w,
                "r.published_on DESC, r.id DESC",
                limit.clamp(1, 500),
                0,
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// How many public submissions (reports and notice objections) came from `source` since
    /// `since_hour` and since `since_day`: the public forms' one rate limit.
    pub async fn public_submissions_from(
        &self,
        source: &str,
        since_hour: DateTime<Utc>,
        since_day: DateTime<Utc>,
    ) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(CASE WHEN submitted_at >= $2 THEN 1 END), COUNT(*) FROM ( \
               SELECT submitted_at FROM citizen_reports WHERE source = $1 AND submitted_at >= $3 \
               UNION ALL \
               SELECT submitted_at FROM notice_objections WHERE source = $1 AND submitted_at >= $3) s",
        )
        .bind(source)
        .bind(format_ts(since_hour))
        .bind(format_ts(since_day))
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}
