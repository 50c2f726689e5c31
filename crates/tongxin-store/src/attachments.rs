//! 附件 as stored: a file's name, type, size, digest and bytes, owned by a report or a problem.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

/// An attachment without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    pub id: i64,
    /// report | problem
    pub owner_kind: String,
    pub owner_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub unit_id: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

const COLUMNS: &str =
    "id, owner_kind, owner_id, name, content_type, size, sha256, unit_id, uploaded_by, uploaded_at";

fn from_row(r: &AnyRow) -> Result<AttachmentRow> {
    Ok(AttachmentRow {
        id: r.try_get("id")?,
        owner_kind: r.try_get("owner_kind")?,
        owner_id: r.try_get("owner_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        unit_id: r.try_get("unit_id")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

impl Tx {
    /// Stores a file; returns its id.
    pub async fn insert_attachment(
        &mut self,
        a: &AttachmentRow,
        content: &[u8],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO sv_attachments (owner_kind, owner_id, name, content_type, size, sha256, content, unit_id, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&a.owner_kind)
        .bind(a.owner_id)
        .bind(&a.name)
        .bind(&a.content_type)
        .bind(a.size)
        .bind(&a.sha256)
        .bind(content.to_vec())
        .bind(&a.unit_id)
        .bind(&a.uploaded_by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }
}

impl Store {
    /// The attachments of these owners (of one kind), oldest first, without their bytes.
    pub async fn attachments_of(&self, kind: &str, owners: &[i64]) -> Result<Vec<AttachmentRow>> {
        if owners.is_empty() {
            return Ok(Vec::new());
        }
        let ph = crate::query::placeholders(2, owners.len());
        let sql = format!(
            "SELECT {COLUMNS} FROM sv_attachments WHERE owner_kind = $1 AND owner_id IN ({}) ORDER BY id",
            ph
        );
        let mut q = sqlx::query(&sql).bind(kind);
        for id in owners {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// One attachment with its bytes.
    pub async fn attachment(&self, id: i64) -> Result<Option<(AttachmentRow, Vec<u8>)>> {
        let sql = format!("SELECT {COLUMNS}, content FROM sv_attachments WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((from_row(&r)?, r.try_get::<Vec<u8>, _>("content")?)))
            .transpose()
    }
}
