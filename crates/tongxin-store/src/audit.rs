//! The audit trail as stored: appended in the same transaction as the write it records, each
//! row linked to the one before by hash (see `tongxin_domain::audit`).
//!
//! On SQLite the store's single writer serialises appends: it keeps the head it last
//! committed, numbers and links each entry at once, and a trigger moves `audit_head` with each
//! INSERT.
//!
//! On PostgreSQL a write's transaction inserts its entry into `audit_pending`, unnumbered: as
//! durable as the write, and without queueing on the chain's head. The sealer (one task per
//! store, woken by each commit that appended) then takes committed entries in the order they
//! were inserted, numbers, links and hashes them into `audit_log`, and moves `audit_head` once
//! per batch, holding the head's row lock so that two processes never seal at once. Reading the
//! trail ([`Store::audit_page`], [`Store::verify_audit`]) seals first, so a reader always sees
//! every entry committed before it asked; a process that stopped before its sealer ran leaves
//! its entries pending, and the next store to open the database seals them.

use chrono::{DateTime, Utc};
use sqlx::AnyPool;
use sqlx::Row;
use sqlx::any::AnyRow;
use tokio::sync::mpsc;
use tongxin_domain::audit::{AuditEntry, ChainBreak, ChainVerifier};

use crate::stmt::{Stmt, split, values_sql};
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
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
        ..content_from_row(r)?
    })
}

/// An entry's content (at … client_ip), unnumbered and unlinked: a pending entry as read, or
/// the part of a sealed one the hash covers besides its links.
fn content_from_row(r: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: 0,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        role: r.try_get("role")?,
        unit: r.try_get("unit")?,
        action: r.try_get("action")?,
        object: r.try_get("object")?,
        summary: r.try_get("summary")?,
        client_ip: r.try_get("client_ip")?,
        prev_hash: String::new(),
        hash: String::new(),
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

    /// PostgreSQL: the entry waits in `audit_pending`, held back to go with the
    /// transaction's other writes; the sealer links it once the transaction has committed.
    async fn append_linked_by_db(&mut self, e: AuditEntry) -> Result<()> {
        self.defer(
            Stmt::new(
                "INSERT INTO audit_pending (at, actor, role, unit, action, object, summary, client_ip) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .content(&e),
        )
        .await?;
        self.audited = true;
        Ok(())
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

/// The sealer's rest between rounds.
const SEAL_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// Sealed entries between two vacuums of `audit_pending`.
const VACUUM_EVERY: u64 = 20_000;

/// Entries sealed per transaction: eleven parameters each, well inside a statement's limit.
const SEAL_BATCH: usize = 500;

/// PostgreSQL's audit sealer: a task that seals pending entries whenever it is woken. It ends
/// when the last store (and transaction) holding its handle is gone.
#[derive(Debug, Clone)]
pub(crate) struct Sealer(mpsc::Sender<()>);

impl Sealer {
    /// Starts the task, and has it seal at once whatever an earlier process left pending.
    pub(crate) fn spawn(pool: AnyPool) -> Self {
        // One slot: a wake while sealing makes the task go round once more, never more.
        let (wake, mut woken) = mpsc::channel(1);
        let sealer = Self(wake);
        sealer.wake();
        tokio::spawn(async move {
            let mut since_vacuum = 0u64;
            while woken.recv().await.is_some() {
                match seal(&pool).await {
                    Ok(n) => since_vacuum += n,
                    Err(e) => {
                        tracing::warn!(error = %e, "sealing the audit trail failed; the next write or reading of the trail tries again");
                    }
                }
                // Every sealed entry leaves a dead row in `audit_pending`, and each round's
                // scan walks past them until they are vacuumed. The sealer vacuums its own
                // queue rather than wait for autovacuum (which may be off, or a minute away).
                if since_vacuum >= VACUUM_EVERY {
                    since_vacuum = 0;
                    if let Err(e) = sqlx::query("VACUUM audit_pending").execute(&pool).await {
                        tracing::warn!(error = %e, "vacuuming audit_pending failed");
                    }
                }
                // Commits that arrive meanwhile wait for the next round together: under load a
                // round seals many entries with one transaction and one fsync. Readers seal for
                // themselves, so the pause never hides an entry from them.
                tokio::time::sleep(SEAL_PAUSE).await;
            }
        });
        sealer
    }

    /// Asks for a round of sealing; a round already asked for covers this one too.
    pub(crate) fn wake(&self) {
        // Full: a round is already due. Closed: the store is going away, and the next one to
        // open the database seals.
        let _ = self.0.try_send(());
    }
}

/// Seals every entry committed to `audit_pending`, oldest first, [`SEAL_BATCH`] to a
/// transaction. Returns how many it sealed.
async fn seal(pool: &AnyPool) -> Result<u64> {
    let mut sealed = 0u64;
    loop {
        let mut tx = pool.begin().await?;
        // The head's row lock keeps a second sealer (another process) out until this commits;
        // the DELETE below runs after it, so it sees what an earlier sealer took as gone.
        let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(head_missing)?;
        let (mut last_id, mut last_hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
        let rows = sqlx::query(
            "DELETE FROM audit_pending WHERE n IN (SELECT n FROM audit_pending ORDER BY n LIMIT $1) \
             RETURNING n, at, actor, role, unit, action, object, summary, client_ip",
        )
        .bind(SEAL_BATCH as i64)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(sealed);
        }
        let mut pending = rows
            .iter()
            .map(|r| Ok((r.try_get::<i64, _>("n")?, content_from_row(r)?)))
            .collect::<Result<Vec<_>>>()?;
        pending.sort_by_key(|(n, _)| *n);
        let count = pending.len();
        let mut insert = Stmt::new(values_sql(
            &format!("INSERT INTO audit_log ({COLUMNS})"),
            count,
            11,
            "",
        ));
        for (_, mut e) in pending {
            e.id = last_id + 1;
            e.prev_hash = last_hash;
            e.hash = e.compute_hash();
            insert = insert.arg(e.id).content(&e).arg(&e.prev_hash).arg(&e.hash);
            last_id = e.id;
            last_hash = e.hash;
        }
        let (sql, args) = split(insert)?;
        sqlx::query_with(&sql, args).execute(&mut *tx).await?;
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1")
            .bind(last_id)
            .bind(&last_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        sealed += count as u64;
        if count < SEAL_BATCH {
            return Ok(sealed);
        }
    }
}

impl Store {
    /// Seals the entries waiting in `audit_pending` (PostgreSQL; nothing to do on SQLite) and
    /// returns how many. The trail's readers call it first; the sealer task calls it after
    /// writes.
    pub async fn seal_audit(&self) -> Result<u64> {
        match self.backend {
            Backend::Postgres => seal(&self.pool).await,
            Backend::Sqlite => Ok(0),
        }
    }

    /// A page of the trail, newest first, once everything committed before it is sealed.
    pub async fn audit_page(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        self.seal_audit().await?;
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
    /// verified; `Ok(Err(break))`: where the chain is broken. Seals first, so the walk covers
    /// every entry committed before it. The head is read before the walk, and the walk stops
    /// there, so entries sealed meanwhile are left for the next walk instead of looking like
    /// a broken tail; without a head row every entry is walked, and the missing head is named.
    pub async fn verify_audit(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        self.seal_audit().await?;
        let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let head: Option<(i64, String)> = match head {
            Some(h) => Some((h.try_get(0)?, h.try_get(1)?)),
            None => None,
        };
        let until = head.as_ref().map_or(i64::MAX, |(id, _)| *id);
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let sql = format!(
                "SELECT {COLUMNS} FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id LIMIT 1000"
            );
            let rows = sqlx::query(&sql)
                .bind(after)
                .bind(until)
                .fetch_all(&self.pool)
                .await?;
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
        Ok(v.finish(head))
    }

    /// Runs raw SQL: for tests that play the attacker editing the trail.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}
