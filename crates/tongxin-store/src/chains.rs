//! 产业链 as stored: the enterprise register with each enterprise's segments and 链主 steps, and
//! the lists the lead unit keeps per chain. The chains themselves are policy data.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::cases::{date, day};
use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// (chain key, segment key).
pub type SegmentRef = (String, String);

/// An enterprise of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseRow {
    pub id: i64,
    /// 统一社会信用代码.
    pub credit_code: String,
    pub name: String,
    /// 重点税源企业.
    pub key_tax_source: bool,
    /// '' (none), candidate, county, regional.
    pub master_level: String,
    /// The chain it leads (or is a candidate for).
    pub master_chain: String,
    pub note: String,
    pub registered_by: String,
    pub registered_at: String,
    pub version: i64,
    /// The segments it works in, (chain, segment), sorted.
    pub segments: Vec<SegmentRef>,
}

/// What registering (or correcting) an enterprise writes.
#[derive(Debug, Clone)]
pub struct EnterpriseWrite<'a> {
    pub credit_code: &'a str,
    pub name: &'a str,
    pub key_tax_source: bool,
    pub note: &'a str,
    pub segments: &'a [SegmentRef],
    pub by: &'a str,
}

/// A 链主 step as decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterStepRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub chain_key: String,
    pub level: String,
    pub decided_on: NaiveDate,
    /// 认定文件 (文号 or meeting).
    pub decision: String,
    /// 奖励 in 0.01万元, none for a candidate.
    pub reward: Option<i64>,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// An item of a chain's lists (重点平台, 关键共性技术, 制约瓶颈, 堵点断点).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainItemRow {
    pub id: i64,
    pub chain_key: String,
    pub kind: String,
    pub title: String,
    pub detail: String,
    pub measure: String,
    pub segment_key: String,
    /// open or resolved.
    pub status: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    pub version: i64,
}

/// How many registered enterprises work in each segment: (chain, segment, count).
pub type SegmentCount = (String, String, i64);

const ENTERPRISE_COLUMNS: &str = "id, credit_code, name, key_tax_source, master_level, master_chain, note, registered_by, registered_at, version";
const ITEM_COLUMNS: &str = "id, chain_key, kind, title, detail, measure, segment_key, status, created_by, created_at, updated_by, updated_at, version";

fn enterprise_from_row(r: &AnyRow) -> Result<EnterpriseRow> {
    Ok(EnterpriseRow {
        id: r.try_get("id")?,
        credit_code: r.try_get("credit_code")?,
        name: r.try_get("name")?,
        key_tax_source: r.try_get::<i64, _>("key_tax_source")? != 0,
        master_level: r.try_get("master_level")?,
        master_chain: r.try_get("master_chain")?,
        note: r.try_get("note")?,
        registered_by: r.try_get("registered_by")?,
        registered_at: r.try_get("registered_at")?,
        version: r.try_get("version")?,
        segments: Vec::new(),
    })
}

fn item_from_row(r: &AnyRow) -> Result<ChainItemRow> {
    Ok(ChainItemRow {
        id: r.try_get("id")?,
        chain_key: r.try_get("chain_key")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        detail: r.try_get("detail")?,
        measure: r.try_get("measure")?,
        segment_key: r.try_get("segment_key")?,
        status: r.try_get("status")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_by: r.try_get("updated_by")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

impl Tx {
    /// Registers an enterprise with its segments; returns its id. A credit code already
    /// registered is a [`crate::StoreError::Conflict`].
    pub async fn insert_enterprise(
        &mut self,
        e: &EnterpriseWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let at = format_ts(now);
        let r = sqlx::query(
            "INSERT INTO chain_enterprises (credit_code, name, key_tax_source, note, registered_by, registered_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(e.credit_code)
        .bind(e.name)
        .bind(i64::from(e.key_tax_source))
        .bind(e.note)
        .bind(e.by)
        .bind(&at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        let id: i64 = r.try_get(0)?;
        self.put_enterprise_segments(id, e.segments).await?;
        Ok(id)
    }

    /// Corrects an enterprise registered at `version` (its credit code stays).
    pub async fn update_enterprise(
        &mut self,
        id: i64,
        version: i64,
        e: &EnterpriseWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = sqlx::query(
            "UPDATE chain_enterprises SET name = $1, key_tax_source = $2, note = $3, updated_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6",
        )
        .bind(e.name)
        .bind(i64::from(e.key_tax_source))
        .bind(e.note)
        .bind(format_ts(now))
        .bind(id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)?;
        sqlx::query("DELETE FROM chain_enterprise_segments WHERE enterprise_id = $1")
            .bind(id)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        self.put_enterprise_segments(id, e.segments).await
    }

    async fn put_enterprise_segments(&mut self, id: i64, segments: &[SegmentRef]) -> Result<()> {
        if segments.is_empty() {
            return Ok(());
        }
        let sql = crate::stmt::values_sql(
            "INSERT INTO chain_enterprise_segments (enterprise_id, chain_key, segment_key)",
            segments.len(),
            3,
            "",
        );
        let mut q = sqlx::query(&sql);
        for (c, s) in segments {
            q = q.bind(id).bind(c.as_str()).bind(s.as_str());
        }
        q.execute(self.conn().await?).await.map_err(classify)?;
        Ok(())
    }

    /// Records a 链主 step and moves the enterprise's status to it, checked against the
    /// version read (two officials recording at once: one wins).
    pub async fn insert_master_step(
        &mut self,
        s: &MasterStepRow,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let at = format_ts(now);
        let n = sqlx::query(
            "UPDATE chain_enterprises SET master_level = $1, master_chain = $2, updated_at = $3, version = version + 1 \
             WHERE id = $4 AND version = $5",
        )
        .bind(&s.level)
        .bind(&s.chain_key)
        .bind(&at)
        .bind(s.enterprise_id)
        .bind(version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)?;
        let r = sqlx::query(
            "INSERT INTO chain_master_steps (enterprise_id, chain_key, level, decided_on, decision, reward, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(s.enterprise_id)
        .bind(&s.chain_key)
        .bind(&s.level)
        .bind(day(s.decided_on))
        .bind(&s.decision)
        .bind(s.reward)
        .bind(&s.note)
        .bind(&s.recorded_by)
        .bind(&at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(r.try_get(0)?)
    }

    /// Adds an item to a chain's list; returns its id.
    pub async fn insert_chain_item(&mut self, i: &ChainItemRow, now: DateTime<Utc>) -> Result<i64> {
        let at = format_ts(now);
        let r = sqlx::query(
            "INSERT INTO chain_items (chain_key, kind, title, detail, measure, segment_key, status, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9) RETURNING id",
        )
        .bind(&i.chain_key)
        .bind(&i.kind)
        .bind(&i.title)
        .bind(&i.detail)
        .bind(&i.measure)
        .bind(&i.segment_key)
        .bind(&i.status)
        .bind(&i.created_by)
        .bind(&at)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(r.try_get(0)?)
    }

    /// Corrects an item (its text, measures, segment, status) read at `version`.
    pub async fn update_chain_item(&mut self, i: &ChainItemRow, now: DateTime<Utc>) -> Result<()> {
        let n = sqlx::query(
            "UPDATE chain_items SET title = $1, detail = $2, measure = $3, segment_key = $4, status = $5, updated_by = $6, updated_at = $7, version = version + 1 \
             WHERE id = $8 AND version = $9",
        )
        .bind(&i.title)
        .bind(&i.detail)
        .bind(&i.measure)
        .bind(&i.segment_key)
        .bind(&i.status)
        .bind(&i.updated_by)
        .bind(format_ts(now))
        .bind(i.id)
        .bind(i.version)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        crate::query::one_row(n)
    }
}

impl Store {
    async fn with_segments(&self, mut rows: Vec<EnterpriseRow>) -> Result<Vec<EnterpriseRow>> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        // Ids are integers read from the table: inlined, not bound.
        let sql = format!(
            "SELECT enterprise_id, chain_key, segment_key FROM chain_enterprise_segments WHERE enterprise_id IN ({}) \
             ORDER BY enterprise_id, chain_key, segment_key",
            ids.join(", ")
        );
        let segs = sqlx::query(&sql).fetch_all(&self.pool).await?;
        for s in segs {
            let id: i64 = s.try_get(0)?;
            if let Some(r) = rows.iter_mut().find(|r| r.id == id) {
                r.segments.push((s.try_get(1)?, s.try_get(2)?));
            }
        }
        Ok(rows)
    }

    /// Every enterprise of the register, by name.
    pub async fn enterprises(&self) -> Result<Vec<EnterpriseRow>> {
        let sql = format!("SELECT {ENTERPRISE_COLUMNS} FROM chain_enterprises ORDER BY name, id");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let rows = rows
            .iter()
            .map(enterprise_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.with_segments(rows).await
    }

    /// The enterprises working in a chain (any of its segments) or leading it, by name.
    pub async fn chain_enterprises(&self, chain: &str) -> Result<Vec<EnterpriseRow>> {
        let sql = format!(
            "SELECT {ENTERPRISE_COLUMNS} FROM chain_enterprises WHERE master_chain = $1 \
             OR id IN (SELECT enterprise_id FROM chain_enterprise_segments WHERE chain_key = $1) ORDER BY name, id"
        );
        let rows = sqlx::query(&sql).bind(chain).fetch_all(&self.pool).await?;
        let rows = rows
            .iter()
            .map(enterprise_from_row)
            .collect::<Result<Vec<_>>>()?;
        self.with_segments(rows).await
    }

    pub async fn enterprise(&self, id: i64) -> Result<Option<EnterpriseRow>> {
        let sql = format!("SELECT {ENTERPRISE_COLUMNS} FROM chain_enterprises WHERE id = $1");
        let Some(r) = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(self
            .with_segments(vec![enterprise_from_row(&r)?])
            .await?
            .pop())
    }

    pub async fn enterprise_by_code(&self, credit_code: &str) -> Result<Option<EnterpriseRow>> {
        let r = sqlx::query("SELECT id FROM chain_enterprises WHERE credit_code = $1")
            .bind(credit_code)
            .fetch_optional(&self.pool)
            .await?;
        match r {
            Some(r) => self.enterprise(r.try_get(0)?).await,
            None => Ok(None),
        }
    }

    /// The 链主 steps of an enterprise, oldest first.
    pub async fn master_steps(&self, enterprise_id: i64) -> Result<Vec<MasterStepRow>> {
        let rows = sqlx::query(
            "SELECT id, enterprise_id, chain_key, level, decided_on, decision, reward, note, recorded_by, recorded_at \
             FROM chain_master_steps WHERE enterprise_id = $1 ORDER BY id",
        )
        .bind(enterprise_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MasterStepRow {
                    id: r.try_get(0)?,
                    enterprise_id: r.try_get(1)?,
                    chain_key: r.try_get(2)?,
                    level: r.try_get(3)?,
                    decided_on: date(&r.try_get::<String, _>(4)?)?,
                    decision: r.try_get(5)?,
                    reward: r.try_get(6)?,
                    note: r.try_get(7)?,
                    recorded_by: r.try_get(8)?,
                    recorded_at: r.try_get(9)?,
                })
            })
            .collect()
    }

    /// Registered enterprises per segment, every chain.
    pub async fn segment_enterprise_counts(&self) -> Result<Vec<SegmentCount>> {
        let rows = sqlx::query(
            "SELECT chain_key, segment_key, COUNT(*) FROM chain_enterprise_segments GROUP BY chain_key, segment_key",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    /// A chain's list items (all kinds), oldest first.
    pub async fn chain_items(&self, chain: &str) -> Result<Vec<ChainItemRow>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM chain_items WHERE chain_key = $1 ORDER BY kind, id"
        );
        let rows = sqlx::query(&sql).bind(chain).fetch_all(&self.pool).await?;
        rows.iter().map(item_from_row).collect()
    }

    pub async fn chain_item(&self, id: i64) -> Result<Option<ChainItemRow>> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM chain_items WHERE id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(item_from_row).transpose()
    }

    /// Open items per chain and kind: (chain, kind, count).
    pub async fn open_chain_item_counts(&self) -> Result<Vec<(String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT chain_key, kind, COUNT(*) FROM chain_items WHERE status = 'open' GROUP BY chain_key, kind",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }
}
