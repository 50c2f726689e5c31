//! The audit trail as stored: appended in the same transaction as the write it records, each
//! row linked to the one before by hash (see `tongxin_domain::audit`).
//!
//! Appends are serialised: on SQLite by the store's writer lock, on PostgreSQL by locking the
//! single `audit_head` row (`FOR UPDATE`) until the transaction commits. A trigger moves the
//! head with each INSERT. On SQLite the writer also keeps the head it last committed, so an
//! append there reads nothing.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;
use tongxin_domain::audit::{AuditEntry, ChainBreak, ChainVerifier, hex};

use crate::stmt::Stmt;
use crate::time::format_ts;
use crate::{Backend, Result, Store, StoreError, Tx, classify};

/// An entry before it is numbered and linked.
#[derive(Debug, Clone)]
pub struct AuditDraft<'a> {
    pub actor: &'a str,
    pub role: &'a str,
    pub unit: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub summary: String,
    pub client_ip: &'a str,
}

/// A page of the trail, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Only entries with an id below this (keyset pagination).
    pub before_id: Option<i64>,
    pub limit: i64,
}

fn from_row(r: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        role: r.try_get("role")?,
        unit: r.try_get("unit")?,
        action: r.try_get("action")?,
        object: r.try_get("object")?,
        summary: r.try_get("summary")?,
        client_ip: r.try_get("client_ip")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const COLUMNS: &str =
    "id, at, actor, role, unit, action, object, summary, client_ip, prev_hash, hash";

impl Tx {
    /// Runs raw SQL inside the transaction: for tests of what a failed statement leaves.
    #[doc(hidden)]
    pub async fn execute_raw(&mut self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?
            .rows_affected())
    }

    /// Appends an entry, numbered and linked to the head of the chain (on PostgreSQL by the
    /// database, in a held-back write).
    pub async fn append_audit(&mut self, d: AuditDraft<'_>, now: DateTime<Utc>) -> Result<()> {
        let mut e = AuditEntry {
            id: 0,
            at: format_ts(now),
            actor: d.actor.to_owned(),
            role: d.role.to_owned(),
            unit: d.unit.to_owned(),
            action: d.action.to_owned(),
            object: d.object.to_owned(),
            summary: d.summary,
            client_ip: d.client_ip.to_owned(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        let (last_id, prev_hash) = match self.inner.audit_head() {
            Some(head) => head,
            None if self.backend == Backend::Postgres => return self.append_linked_by_db(e).await,
            None => {
                let rows = self
                    .fetch(Stmt::new(
                        "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
                    ))
                    .await?;
                let head = rows.first().ok_or_else(head_missing)?;
                (head.try_get(0)?, head.try_get(1)?)
            }
        };
        e.id = last_id + 1;
        e.prev_hash = prev_hash;
        e.hash = e.compute_hash();
        // Held back on SQLite: the head is the writer's, so no other append can take the id.
        self.defer(
            Stmt::new(
                "INSERT INTO audit_log (id, at, actor, role, unit, action, object, summary, client_ip, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .arg(e.id)
            .content(&e)
            .arg(&e.prev_hash)
            .arg(&e.hash),
        )
        .await?;
        self.inner.set_audit_head(e.id, &e.hash);
        Ok(())
    }

    /// PostgreSQL: locks the head, numbers, links, hashes and inserts the entry in one
    /// statement, held back to go with the transaction's other writes. Every write's
    /// transaction holds the head from its append to its COMMIT, so the append adds no round
    /// trip inside that serial stretch. The database finishes the hash from the content's
    /// bytes (`AuditEntry::content_bytes`); `Store::verify_audit` recomputes every hash, and a
    /// test checks the two agree.
    async fn append_linked_by_db(&mut self, e: AuditEntry) -> Result<()> {
        self.defer(
            Stmt::new(
                "INSERT INTO audit_log (id, at, actor, role, unit, action, object, summary, client_ip, prev_hash, hash) \
                 SELECT h.last_id + 1, $1, $2, $3, $4, $5, $6, $7, $8, h.last_hash, \
                 encode(sha256(int8send(octet_length((h.last_id + 1)::text)::bigint) \
                 || convert_to((h.last_id + 1)::text, 'UTF8') || decode($9, 'hex') \
                 || int8send(octet_length(h.last_hash)::bigint) || convert_to(h.last_hash, 'UTF8')), 'hex') \
                 FROM (SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE) h",
            )
            .content(&e)
            .arg(hex(&e.content_bytes()))
            .expect_written(HEAD_MISSING),
        )
        .await
    }
}

impl Stmt {
    /// An entry's content fields (at … client_ip) as the next eight parameters.
    fn content(self, e: &AuditEntry) -> Self {
        self.arg(&e.at)
            .arg(&e.actor)
            .arg(&e.role)
            .arg(&e.unit)
            .arg(&e.action)
            .arg(&e.object)
            .arg(&e.summary)
            .arg(&e.client_ip)
    }
}

fn head_missing() -> StoreError {
    StoreError::Corrupt(HEAD_MISSING.to_owned())
}

const HEAD_MISSING: &str = "审计链头缺失";

impl Store {
    pub async fn audit_page(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut clauses = Vec::new();
        let mut n = 1;
        if f.actor.is_some() {
            clauses.push(format!("actor = ${n}"));
            n += 1;
        }
        if f.action.is_some() {
            clauses.push(format!("action = ${n}"));
            n += 1;
        }
        if f.before_id.is_some() {
            clauses.push(format!("id < ${n}"));
            n += 1;
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let sql = format!("SELECT {COLUMNS} FROM audit_log{where_sql} ORDER BY id DESC LIMIT ${n}");
        let mut q = sqlx::query(&sql);
        if let Some(a) = &f.actor {
            q = q.bind(a);
        }
        if let Some(a) = &f.action {
            q = q.bind(a);
        }
        if let Some(b) = f.before_id {
            q = q.bind(b);
        }
        let rows = q.bind(f.limit).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// Walks the whole chain in id order, a thousand rows at a time. `Ok(Ok(n))`: n rows
    /// verified; `Ok(Err(break))`: where the chain is broken.
    pub async fn verify_audit(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let sql =
                format!("SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000");
            let rows = sqlx::query(&sql).bind(after).fetch_all(&self.pool).await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let e = from_row(r)?;
                after = e.id;
                if let Err(b) = v.push(&e) {
                    return Ok(Err(b));
                }
            }
        }
        let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let head = match head {
            Some(h) => Some((h.try_get(0)?, h.try_get(1)?)),
            None => None,
        };
        Ok(v.finish(head))
    }

    /// Runs raw SQL: for tests that play the attacker editing the trail.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
