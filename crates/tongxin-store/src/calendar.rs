//! Regional holiday years (地方节假日安排) as entered by administrators.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use crate::time::format_ts;
use crate::{Result, Store, StoreError, Tx, classify};

/// One entered year: the notice and its days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalYearRow {
    pub region: String,
    pub year: i32,
    pub notice: String,
    pub verified: bool,
    pub entered_by: String,
    pub entered_at: String,
    /// (date, festival name)
    pub extra_off: Vec<(NaiveDate, Option<String>)>,
    pub extra_workdays: Vec<(NaiveDate, Option<String>)>,
}

impl Tx {
    /// Stores a year (replacing a year entered before for the same region).
    pub async fn put_regional_year(
        &mut self,
        y: &RegionalYearRow,
        entered_by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query("DELETE FROM regional_days WHERE region = $1 AND year = $2")
            .bind(&y.region)
            .bind(i64::from(y.year))
            .execute(self.conn().await?)
            .await?;
        sqlx::query("DELETE FROM regional_years WHERE region = $1 AND year = $2")
            .bind(&y.region)
            .bind(i64::from(y.year))
            .execute(self.conn().await?)
            .await?;
        sqlx::query(
            "INSERT INTO regional_years (region, year, notice, verified, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&y.region)
        .bind(i64::from(y.year))
        .bind(&y.notice)
        .bind(i64::from(y.verified))
        .bind(entered_by)
        .bind(format_ts(now))
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        let days = y
            .extra_off
            .iter()
            .map(|d| (d, "off"))
            .chain(y.extra_workdays.iter().map(|d| (d, "work")));
        for ((date, name), kind) in days {
            sqlx::query("INSERT INTO regional_days (region, year, day, kind, name) VALUES ($1, $2, $3, $4, $5)")
                .bind(&y.region)
                .bind(i64::from(y.year))
                .bind(date.to_string())
                .bind(kind)
                .bind(name)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?;
        }
        Ok(())
    }
}

impl Store {
    /// Every entered year of a region, with its days.
    pub async fn regional_years(&self, region: &str) -> Result<Vec<RegionalYearRow>> {
        let years = sqlx::query(
            "SELECT region, year, notice, verified, entered_by, entered_at FROM regional_years WHERE region = $1 ORDER BY year",
        )
        .bind(region)
        .fetch_all(&self.pool)
        .await?;
        let days = sqlx::query(
            "SELECT year, day, kind, name FROM regional_days WHERE region = $1 ORDER BY day",
        )
        .bind(region)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(years.len());
        for r in years {
            let year = r.try_get::<i64, _>(1)? as i32;
            let mut row = RegionalYearRow {
                region: r.try_get(0)?,
                year,
                notice: r.try_get(2)?,
                verified: r.try_get::<i64, _>(3)? != 0,
                entered_by: r.try_get(4)?,
                entered_at: r.try_get(5)?,
                extra_off: vec![],
                extra_workdays: vec![],
            };
            for d in days
                .iter()
                .filter(|d| d.try_get::<i64, _>(0).ok() == Some(i64::from(year)))
            {
                let text: String = d.try_get(1)?;
                let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map_err(|e| StoreError::Corrupt(format!("日期“{text}”：{e}")))?;
                let name: Option<String> = d.try_get(3)?;
                match d.try_get::<String, _>(2)?.as_str() {
                    "work" => row.extra_workdays.push((date, name)),
                    _ => row.extra_off.push((date, name)),
                }
            }
            out.push(row);
        }
        Ok(out)
    }
}
