//! Document import as stored: drafts (the pasted text, kept until published), published
//! documents (the corpus's imported part, as JSON the app owns) and draft tasks; and the unit
//! aliases officials add while mapping names the directory did not know.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::time::format_ts;
use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDraftRow {
    pub id: i64,
    pub source_text: String,
    pub created_by: String,
    pub created_at: String,
    /// draft | published
    pub status: String,
    pub published_as: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDocumentRow {
    pub number: String,
    pub title: String,
    /// The document with its clauses, as JSON (the app's format).
    pub document: String,
    pub draft_id: i64,
    pub published_by: String,
    pub published_at: String,
}

/// What publishing an import writes.
#[derive(Debug, Clone, Copy)]
pub struct Publication<'a> {
    pub draft_id: i64,
    pub number: &'a str,
    pub title: &'a str,
    /// The document with its clauses, as JSON.
    pub document_json: &'a str,
    /// (clause id, task JSON) per drafted task.
    pub tasks: &'a [(String, String)],
    pub by: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftTaskRow {
    pub id: i64,
    pub document_number: String,
    pub clause_id: String,
    /// The task as JSON (units, people, time, place, text).
    pub task: String,
    pub status: String,
}

fn draft_task_from_row(r: &sqlx::any::AnyRow) -> Result<DraftTaskRow> {
    Ok(DraftTaskRow {
        id: r.try_get(0)?,
        document_number: r.try_get(1)?,
        clause_id: r.try_get(2)?,
        task: r.try_get(3)?,
        status: r.try_get(4)?,
    })
}

fn draft_from_row(r: &sqlx::any::AnyRow) -> Result<ImportDraftRow> {
    Ok(ImportDraftRow {
        id: r.try_get(0)?,
        source_text: r.try_get(1)?,
        created_by: r.try_get(2)?,
        created_at: r.try_get(3)?,
        status: r.try_get(4)?,
        published_as: r.try_get(5)?,
    })
}

impl Tx {
    pub async fn insert_import_draft(
        &mut self,
        text: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let r = sqlx::query(
            "INSERT INTO import_drafts (source_text, created_by, created_at, status) VALUES ($1, $2, $3, 'draft') RETURNING id",
        )
        .bind(text)
        .bind(by)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(r.try_get(0)?)
    }

    /// Publishes: stores the document and its draft tasks, marks the draft published. Fails with
    /// a conflict when the number is already imported, and with `StaleVersion` when the draft
    /// was published meanwhile.
    pub async fn publish_import(&mut self, p: &Publication<'_>, now: DateTime<Utc>) -> Result<()> {
        let Publication {
            draft_id,
            number,
            title,
            document_json,
            tasks,
            by,
        } = *p;
        let ts = format_ts(now);
        let done = sqlx::query("UPDATE import_drafts SET status = 'published', published_as = $2 WHERE id = $1 AND status = 'draft'")
            .bind(draft_id)
            .bind(number)
            .execute(self.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::StoreError::StaleVersion);
        }
        sqlx::query(
            "INSERT INTO imported_documents (number, title, document, draft_id, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(number)
        .bind(title)
        .bind(document_json)
        .bind(draft_id)
        .bind(by)
        .bind(&ts)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        for (clause, task) in tasks {
            sqlx::query(
                "INSERT INTO draft_tasks (document_number, clause_id, task, status, created_at) VALUES ($1, $2, $3, 'draft', $4)",
            )
            .bind(number)
            .bind(clause)
            .bind(task)
            .bind(&ts)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        }
        Ok(())
    }

    /// Remembers a name for a unit (source `user`). A name already taken is a conflict.
    pub async fn add_unit_alias(&mut self, alias: &str, unit_id: &str) -> Result<()> {
        sqlx::query("INSERT INTO unit_aliases (alias, unit_id, source) VALUES ($1, $2, 'user')")
            .bind(alias)
            .bind(unit_id)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        Ok(())
    }
}

impl Store {
    pub async fn import_draft(&self, id: i64) -> Result<Option<ImportDraftRow>> {
        let r = sqlx::query("SELECT id, source_text, created_by, created_at, status, published_as FROM import_drafts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(draft_from_row).transpose()
    }

    /// The newest drafts (for the 文件导入 page).
    pub async fn import_drafts(&self, limit: i64) -> Result<Vec<ImportDraftRow>> {
        let rows = sqlx::query(
            "SELECT id, source_text, created_by, created_at, status, published_as FROM import_drafts ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(draft_from_row).collect()
    }

    pub async fn imported_documents(&self) -> Result<Vec<ImportedDocumentRow>> {
        let rows = sqlx::query(
            "SELECT number, title, document, draft_id, published_by, published_at FROM imported_documents ORDER BY published_at, number",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ImportedDocumentRow {
                    number: r.try_get(0)?,
                    title: r.try_get(1)?,
                    document: r.try_get(2)?,
                    draft_id: r.try_get(3)?,
                    published_by: r.try_get(4)?,
                    published_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    pub async fn draft_tasks(&self, document_number: &str) -> Result<Vec<DraftTaskRow>> {
        let rows = sqlx::query("SELECT id, document_number, clause_id, task, status FROM draft_tasks WHERE document_number = $1 ORDER BY id")
            .bind(document_number)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(draft_task_from_row).collect()
    }

    /// Aliases officials added (source `user`): (alias, unit id).
    pub async fn user_aliases(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT alias, unit_id FROM unit_aliases WHERE source = 'user' ORDER BY alias",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
}

/// Publishing a draft task to the supervision ledger.
impl Store {
    pub async fn draft_task(&self, id: i64) -> Result<Option<DraftTaskRow>> {
        let row = sqlx::query(
            "SELECT id, document_number, clause_id, task, status FROM draft_tasks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(draft_task_from_row).transpose()
    }
}

impl Tx {
    /// Marks a draft task published as the ledger's task `task_id`; false when it already was.
    pub async fn publish_draft_task(&mut self, id: i64, task_id: i64) -> Result<bool> {
        let n =
            sqlx::query("UPDATE draft_tasks SET status = $1 WHERE id = $2 AND status = 'draft'")
                .bind(format!("published:{task_id}"))
                .bind(id)
                .execute(self.conn().await?)
                .await?
                .rows_affected();
        Ok(n == 1)
    }
}
