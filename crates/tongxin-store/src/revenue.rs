//! 财源 as stored: taxpayers, their monthly tax by type, the rollups each import keeps, the
//! county's monthly revenue and the finance bureau's settings. Amounts are fen.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// One taxpayer's tax of one type in one month, as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRow {
    pub credit_code: String,
    pub name: String,
    pub industry: String,
    pub chain: String,
    /// First day of the month.
    pub month: NaiveDate,
    pub tax_type: String,
    pub amount: i64,
}

/// A taxpayer as last imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxpayerRow {
    pub credit_code: String,
    pub name: String,
    pub industry: String,
    pub chain: String,
}

/// Tax of a month by type and industry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRow {
    pub month: NaiveDate,
    pub tax_type: String,
    pub industry: String,
    pub amount: i64,
}

/// A taxpayer's tax in a month (all types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxpayerMonth {
    pub month: NaiveDate,
    pub credit_code: String,
    pub industry: String,
    pub amount: i64,
}

/// The county's general budget revenue of a month (税收收入 and 非税收入).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyRevenueRow {
    pub month: NaiveDate,
    pub tax: i64,
    pub non_tax: i64,
    pub note: String,
    pub entered_by: String,
    pub entered_at: String,
    /// When the month was first reported.
    pub reported_at: String,
    pub version: i64,
}

/// Rows per INSERT statement (SQLite allows 32,766 parameters; 9 a row).
const BATCH: usize = 500;

impl Tx {
    /// Imports tax rows: each (taxpayer, month, type) replaces what was there; the taxpayers
    /// are updated to the names the rows give; the rollups of every month touched are rebuilt.
    pub async fn import_taxes(
        &mut self,
        rows: &[TaxRow],
        source: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = format_ts(now);
        for chunk in rows.chunks(BATCH) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", crate::query::placeholders(i * 8 + 1, 8)))
                .collect();
            let sql = format!(
                "INSERT INTO rev_taxes (credit_code, month, tax_type, industry, amount, source, imported_by, imported_at) VALUES {} \
                 ON CONFLICT (credit_code, month, tax_type) DO UPDATE SET industry = excluded.industry, amount = excluded.amount, \
                 source = excluded.source, imported_by = excluded.imported_by, imported_at = excluded.imported_at",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(&r.credit_code)
                    .bind(day(r.month))
                    .bind(&r.tax_type)
                    .bind(&r.industry)
                    .bind(r.amount)
                    .bind(source)
                    .bind(by)
                    .bind(&at);
            }
            q.execute(self.conn().await?).await.map_err(classify)?;
        }
        // Each taxpayer once, as its last row names it.
        let mut seen = std::collections::HashMap::new();
        for r in rows {
            seen.insert(r.credit_code.as_str(), r);
        }
        let payers: Vec<&&TaxRow> = seen.values().collect();
        for chunk in payers.chunks(BATCH) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("({})", crate::query::placeholders(i * 5 + 1, 5)))
                .collect();
            let sql = format!(
                "INSERT INTO rev_taxpayers (credit_code, name, industry, chain, updated_at) VALUES {} \
                 ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, industry = excluded.industry, \
                 chain = CASE WHEN excluded.chain = '' THEN rev_taxpayers.chain ELSE excluded.chain END, updated_at = excluded.updated_at",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(&r.credit_code)
                    .bind(&r.name)
                    .bind(&r.industry)
                    .bind(&r.chain)
                    .bind(&at);
            }
            q.execute(self.conn().await?).await.map_err(classify)?;
        }
        let months: BTreeSet<NaiveDate> = rows.iter().map(|r| r.month).collect();
        for m in months {
            let d = day(m);
            for sql in [
                "DELETE FROM rev_tax_rollup WHERE month = $1",
                "INSERT INTO rev_tax_rollup (month, tax_type, industry, amount) \
                 SELECT month, tax_type, industry, SUM(amount) FROM rev_taxes WHERE month = $1 GROUP BY month, tax_type, industry",
                "DELETE FROM rev_taxpayer_months WHERE month = $1",
                "INSERT INTO rev_taxpayer_months (month, credit_code, industry, amount) \
                 SELECT month, credit_code, MAX(industry), SUM(amount) FROM rev_taxes WHERE month = $1 GROUP BY month, credit_code",
            ] {
                sqlx::query(sql)
                    .bind(&d)
                    .execute(self.conn().await?)
                    .await
                    .map_err(classify)?;
            }
        }
        Ok(())
    }

    /// Enters a month's revenue, or corrects it if unchanged since `version` (None: new).
    pub async fn put_monthly_revenue(
        &mut self,
        r: &MonthlyRevenueRow,
        version: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let at = format_ts(now);
        match version {
            None => {
                sqlx::query(
                    "INSERT INTO rev_monthly (month, tax, non_tax, note, entered_by, entered_at, reported_at, version) VALUES ($1, $2, $3, $4, $5, $6, $6, 0)",
                )
                .bind(day(r.month))
                .bind(r.tax)
                .bind(r.non_tax)
                .bind(&r.note)
                .bind(&r.entered_by)
                .bind(&at)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?;
                Ok(())
            }
            Some(v) => {
                let n = sqlx::query(
                    "UPDATE rev_monthly SET tax = $1, non_tax = $2, note = $3, entered_by = $4, entered_at = $5, version = version + 1 \
                     WHERE month = $6 AND version = $7",
                )
                .bind(r.tax)
                .bind(r.non_tax)
                .bind(&r.note)
                .bind(&r.entered_by)
                .bind(&at)
                .bind(day(r.month))
                .bind(v)
                .execute(self.conn().await?)
                .await
                .map_err(classify)?
                .rows_affected();
                crate::query::one_row(n)
            }
        }
    }

    /// Sets one of the finance bureau's settings.
    pub async fn put_revenue_setting(
        &mut self,
        key: &str,
        value: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO rev_settings (key, value, set_by, set_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
        )
        .bind(key)
        .bind(value)
        .bind(by)
        .bind(format_ts(now))
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }
}

impl Store {
    /// Tax by month, type and industry, months `from..=to`.
    pub async fn tax_rollup(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<RollupRow>> {
        let rows = sqlx::query(
            "SELECT month, tax_type, industry, amount FROM rev_tax_rollup WHERE month >= $1 AND month <= $2",
        )
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RollupRow {
                    month: date(&r.try_get::<String, _>(0)?)?,
                    tax_type: r.try_get(1)?,
                    industry: r.try_get(2)?,
                    amount: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Each taxpayer's tax over months `from..=to`, summed (month: `from`).
    pub async fn taxpayer_totals(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<TaxpayerMonth>> {
        let rows = sqlx::query(
            "SELECT credit_code, MAX(industry), CAST(SUM(amount) AS BIGINT) FROM rev_taxpayer_months WHERE month >= $1 AND month <= $2 GROUP BY credit_code",
        )
        .bind(day(from))
        .bind(day(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TaxpayerMonth {
                    month: from,
                    credit_code: r.try_get(0)?,
                    industry: r.try_get(1)?,
                    amount: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// Each taxpayer's tax in the given months.
    pub async fn taxpayer_months_in(&self, months: &[NaiveDate]) -> Result<Vec<TaxpayerMonth>> {
        let mut w = crate::query::Where::default();
        w.is_in("month", &months.iter().map(|m| day(*m)).collect::<Vec<_>>());
        let sql = format!(
            "SELECT month, credit_code, industry, amount FROM rev_taxpayer_months{}",
            w.sql()
        );
        let rows = crate::query::bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TaxpayerMonth {
                    month: date(&r.try_get::<String, _>(0)?)?,
                    credit_code: r.try_get(1)?,
                    industry: r.try_get(2)?,
                    amount: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The latest month with tax data.
    pub async fn latest_tax_month(&self) -> Result<Option<NaiveDate>> {
        let m: Option<String> = sqlx::query_scalar("SELECT MAX(month) FROM rev_tax_rollup")
            .fetch_one(&self.pool)
            .await?;
        m.map(|s| date(&s)).transpose()
    }

    /// Taxpayers by credit code (all when `codes` is None).
    pub async fn taxpayers(&self, codes: Option<&[String]>) -> Result<Vec<TaxpayerRow>> {
        let mut w = crate::query::Where::default();
        if let Some(c) = codes {
            w.is_in("credit_code", c);
        }
        let sql = format!(
            "SELECT credit_code, name, industry, chain FROM rev_taxpayers{} ORDER BY credit_code",
            w.sql()
        );
        let rows = crate::query::bind_all(sqlx::query(&sql), &w.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TaxpayerRow {
                    credit_code: r.try_get(0)?,
                    name: r.try_get(1)?,
                    industry: r.try_get(2)?,
                    chain: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every month's revenue, oldest first.
    pub async fn monthly_revenue(&self) -> Result<Vec<MonthlyRevenueRow>> {
        let rows = sqlx::query(
            "SELECT month, tax, non_tax, note, entered_by, entered_at, reported_at, version FROM rev_monthly ORDER BY month",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MonthlyRevenueRow {
                    month: date(&r.try_get::<String, _>(0)?)?,
                    tax: r.try_get(1)?,
                    non_tax: r.try_get(2)?,
                    note: r.try_get(3)?,
                    entered_by: r.try_get(4)?,
                    entered_at: r.try_get(5)?,
                    reported_at: r.try_get(6)?,
                    version: r.try_get(7)?,
                })
            })
            .collect()
    }

    /// The finance bureau's settings: (key, value, set by, set at).
    pub async fn revenue_settings(&self) -> Result<Vec<(String, i64, String, String)>> {
        let rows = sqlx::query("SELECT key, value, set_by, set_at FROM rev_settings ORDER BY key")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }
}
