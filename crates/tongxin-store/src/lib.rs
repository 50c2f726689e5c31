//! The store: the only place SQL lives. One concrete [`Store`] over SQLite (the embedded
//! default: WAL, synchronous=FULL, so an acknowledged write is on disk) or PostgreSQL (for
//! scale), chosen by the URL's scheme. Each backend has its own migration history under
//! `migrations/<backend>/`, applied at connect; a test checks the two schemas have the same
//! tables and columns.
//!
//! Queries are written once, in SQL both backends accept (`$1` placeholders, `RETURNING`), and
//! run through sqlx's `Any` driver at run time. Columns are only BIGINT/INTEGER and TEXT so
//! values decode identically on both.
//!
//! Writes go through [`Store::begin`]. On SQLite that is the process's one writer connection
//! (see `writer`): writers queue for it instead of racing for SQLite's lock, and transactions
//! that finish together share one durable COMMIT (group commit). On both backends, writes whose
//! result the caller does not need are held back and sent with the next statement that must run
//! (see `stmt`), so a failure such as a stale version may be reported by a later call of the
//! same transaction, at the latest by its commit.
//!
//! Error guide: a unique or foreign-key violation becomes [`StoreError::Conflict`] naming the
//! constraint (the app turns it into a field error); anything else is [`StoreError::Database`],
//! logged once at the edge.

mod attachments;
mod audit;
mod calendar;
mod cases;
mod chains;
mod demo;
mod dishonesty;
mod field;
mod imports;
mod indicators;
mod land;
mod meta;
pub mod notify;
mod query;
mod renewals;
mod reports;
mod revenue;
mod sessions;
mod stmt;
mod supervision;
pub mod testing;
mod time;
mod units;
mod users;
mod writer;

use std::sync::Arc;

use sqlx::AnyConnection;
use sqlx::any::{AnyPoolOptions, AnyRow, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use thiserror::Error;

pub use attachments::AttachmentRow;
pub use audit::{AuditDraft, AuditFilter};
pub use calendar::RegionalYearRow;
pub use cases::{
    CaseDocumentRow, CaseFilter, CaseRow, DeadlineRow, EventRow, InboxRow, NewCase, SweepItem,
};
pub use chains::{
    ChainItemRow, EnterpriseRow, EnterpriseWrite, MasterStepRow, SegmentCount, SegmentRef,
};
pub use demo::DemoAccount;
pub use dishonesty::ListingRow;
pub use field::{
    EnforcementRow, FindingRow, IdleHomesteadRow, JointSessionRow, PatrolRow, SpotCheckRow,
    VillagePlanRow,
};
pub use imports::{DraftTaskRow, ImportDraftRow, ImportedDocumentRow, Publication};
pub use indicators::IndicatorValueRow;
pub use land::{LandLayerRow, NewLandLayer};
pub use renewals::RenewalRow;
pub use reports::{CitizenReportFilter, CitizenReportRow, NoticeObjectionRow};
pub use revenue::{MonthlyRevenueRow, RollupRow, TaxRow, TaxpayerMonth, TaxpayerRow};
pub use sessions::SessionRow;
pub use supervision::{
    EscalationRow, OwedRow, ProblemEventRow, ProblemFilter, ProblemRow, ReportRow, TaskFilter,
    TaskInboxRow, TaskRow, WeightsRow,
};
pub use time::{format_ts, parse_ts};
pub use units::UnitRow;
pub use users::{NewUser, UserFilter, UserRow};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("数据库地址“{0}”无法识别：须以 sqlite:// 或 postgres:// 开头")]
    UnsupportedUrl(String),
    #[error("数据冲突（{constraint}）")]
    Conflict { constraint: String },
    #[error("记录已被他人修改")]
    StaleVersion,
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    #[error("写入未能保存：{0}")]
    BatchFailed(String),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("数据库中的值无法解析：{0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Turns unique and foreign-key violations into [`StoreError::Conflict`].
pub(crate) fn classify(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && (db.is_unique_violation() || db.is_foreign_key_violation())
    {
        let constraint = db
            .constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| db.message().to_owned());
        return StoreError::Conflict { constraint };
    }
    StoreError::Database(e)
}

/// The store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's one writer connection (group commit); none on PostgreSQL.
    writer: Option<Arc<writer::Writer>>,
    /// PostgreSQL's audit sealer (see `audit`); none on SQLite.
    sealer: Option<audit::Sealer>,
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    pub(crate) inner: TxConn,
    pub(crate) backend: Backend,
    /// Woken once this transaction commits, if it left audit entries to seal.
    sealer: Option<audit::Sealer>,
    /// Whether this transaction appended to `audit_pending`.
    pub(crate) audited: bool,
}

/// The connection a [`Tx`] writes on: a pooled transaction (PostgreSQL) or a savepoint on
/// SQLite's writer.
pub(crate) enum TxConn {
    /// A pooled transaction and the writes held back on it (see `stmt::flush_joined`).
    Pool(Transaction<'static, Any>, Vec<stmt::Stmt>),
    Writer(writer::BatchTx),
}

impl TxConn {
    /// The audit head as this transaction would extend it, when the writer knows it.
    pub(crate) fn audit_head(&self) -> Option<(i64, String)> {
        match self {
            TxConn::Pool(..) => None,
            TxConn::Writer(b) => b.audit_head(),
        }
    }

    pub(crate) fn set_audit_head(&mut self, id: i64, hash: &str) {
        if let TxConn::Writer(b) = self {
            b.set_audit_head(id, hash);
        }
    }
}

impl Tx {
    /// The connection, once everything held back has run: for a statement whose result the
    /// caller needs now.
    pub(crate) async fn conn(&mut self) -> Result<&mut AnyConnection> {
        Ok(match &mut self.inner {
            TxConn::Pool(t, pending) => {
                stmt::flush_joined(t, pending).await?;
                &mut **t
            }
            TxConn::Writer(b) => {
                b.run(None).await?;
                b.conn_mut()
            }
        })
    }

    /// A write whose result the caller does not need: held back to go with the next statement
    /// that must run (SQLite: in one query with it; PostgreSQL: the held-back writes as one
    /// statement before it). Its failure (a constraint, a failed expectation) is reported by
    /// whichever call sends it; see `stmt`.
    pub(crate) async fn defer(&mut self, s: stmt::Stmt) -> Result<()> {
        match &mut self.inner {
            TxConn::Writer(b) => {
                b.defer(s);
                Ok(())
            }
            TxConn::Pool(t, pending) => {
                if !stmt::joins(pending, &s) {
                    stmt::flush_joined(t, pending).await?;
                }
                pending.push(s);
                Ok(())
            }
        }
    }

    /// Runs `s` now, after (on SQLite: in one query with) whatever is held back, and returns
    /// its rows.
    pub(crate) async fn fetch(&mut self, s: stmt::Stmt) -> Result<Vec<AnyRow>> {
        match &mut self.inner {
            TxConn::Writer(b) => b.run(Some(s)).await,
            TxConn::Pool(t, pending) => {
                stmt::flush_joined(t, pending).await?;
                let expect = s.expect;
                let (sql, args) = stmt::split(s)?;
                let rows = sqlx::query_with(&sql, args)
                    .fetch_all(&mut **t)
                    .await
                    .map_err(classify)?;
                if expect.is_checked() {
                    expect.check(rows.len() as u64)?;
                }
                Ok(rows)
            }
        }
    }

    /// Returns once the write is durable (on SQLite, once the COMMIT carrying it is).
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxConn::Pool(mut t, mut pending) => {
                stmt::flush_joined(&mut t, &mut pending).await?;
                t.commit().await.map_err(classify)?;
                if self.audited
                    && let Some(s) = &self.sealer
                {
                    s.wake();
                }
                Ok(())
            }
            TxConn::Writer(b) => b.commit().await,
        }
    }

    /// Rolls back, and returns once whatever the transaction read is durable: on SQLite it may
    /// have seen writes of a group commit not yet on disk (the case it collided with), and a
    /// caller that answers with them must wait for that COMMIT.
    pub async fn rollback(self) -> Result<()> {
        match self.inner {
            // What is held back was never sent.
            TxConn::Pool(t, _) => Ok(t.rollback().await?),
            TxConn::Writer(b) => b.rollback().await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl Store {
    /// Connects to `sqlite://path` (the file is created if missing) or `postgres://…`, and
    /// applies the backend's migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, 8).await
    }

    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Self> {
        let mut store = Self::connect_unmigrated(url, max_connections).await?;
        match store.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&store.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&store.pool)
                    .await?;
                // Once the schema has `audit_pending`; its first round seals whatever an
                // earlier process left.
                store.sealer = Some(audit::Sealer::spawn(store.pool.clone()));
            }
        }
        Ok(store)
    }

    /// Connects without touching the schema: for administrative connections (creating and
    /// dropping test databases on a server's maintenance database), never for the app.
    pub async fn connect_unmigrated(url: &str, max_connections: u32) -> Result<Self> {
        install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let mut u = format!("sqlite:{rest}");
            if !rest.contains("mode=") {
                u.push_str(if rest.contains('?') {
                    "&mode=rwc"
                } else {
                    "?mode=rwc"
                });
            }
            (Backend::Sqlite, u)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        // A connection is tested when it returns to the pool; testing it again when it is
        // taken out would cost every query a second round trip to the connection's thread.
        let mut opts = AnyPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false);
        if backend == Backend::Sqlite {
            opts = opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = opts.connect(&url).await?;
        let writer = match backend {
            Backend::Sqlite => Some(writer::Writer::new(pool.clone()).await?),
            Backend::Postgres => None,
        };
        Ok(Self {
            pool,
            backend,
            writer,
            // Started once the schema is known (`connect_with`).
            sealer: None,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.writer {
            Some(w) => TxConn::Writer(w.begin().await?),
            None => TxConn::Pool(self.pool.begin().await?, Vec::new()),
        };
        Ok(Tx {
            inner,
            backend: self.backend,
            sealer: self.sealer.clone(),
            audited: false,
        })
    }

    /// On SQLite, (write transactions committed, COMMITs that carried them) since the store
    /// opened: their ratio is the group commit's batch size. None on PostgreSQL.
    pub fn group_commit_stats(&self) -> Option<(u64, u64)> {
        self.writer.as_ref().map(|w| w.stats())
    }

    /// Answers when the database answers (for /healthz).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Seals what waits in the audit trail (a command-line run must not leave it to the next
    /// process), then closes the connections.
    pub async fn close(&self) {
        if self.sealer.is_some()
            && let Err(e) = self.seal_audit().await
        {
            tracing::warn!(error = %e, "sealing the audit trail before closing failed; the next store to open the database seals it");
        }
        self.pool.close().await;
    }

    /// Tables and their columns, as the database reports them (for the schema-parity test).
    pub async fn schema(&self) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
        use sqlx::Row;
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                 ORDER BY m.name, p.name"
            }
            Backend::Postgres => {
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' \
                 ORDER BY table_name, column_name"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in rows {
            out.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        Ok(out)
    }
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &cred[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Store {
    /// A SQLite pragma's value as text (for tests and `tongxin doctor`-style checks).
    pub async fn pragma(&self, name: &str) -> Result<String> {
        use sqlx::Row;
        let ok = name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if self.backend != Backend::Sqlite || !ok {
            return Ok(String::new());
        }
        let row = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(&self.pool)
            .await?;
        if let Ok(s) = row.try_get::<String, _>(0) {
            return Ok(s);
        }
        Ok(row.try_get::<i64, _>(0)?.to_string())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            super::redact_url("postgres://tx:secret@db:5432/tongxin"),
            "postgres://tx:***@db:5432/tongxin"
        );
        assert_eq!(super::redact_url("sqlite://a.db"), "sqlite://a.db");
    }
}
