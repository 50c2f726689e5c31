//! SQLite's writer: one connection, used by one write transaction at a time, with group commit.
//!
//! SQLite allows one writer, and every commit with `synchronous=FULL` waits for the disk. So
//! write transactions queue on one lock, and each runs inside a savepoint of an outer
//! transaction that stays open while others are queued behind it. A transaction that finishes
//! while others wait releases its savepoint and waits, without the lock, for the outer COMMIT;
//! the last one in the queue commits for all of them and tells each the result. A write is
//! acknowledged (its [`crate::Tx::commit`] returns) only after the COMMIT that carries it is
//! on disk; if that COMMIT fails, every transaction in the batch is told so. A transaction
//! dropped without commit rolls back to its savepoint and leaves the others untouched.
//!
//! What limits throughput is how long each transaction holds the lock, and most of that is
//! hand-offs to the connection's thread (sqlx runs each SQLite connection on a thread of its
//! own). So nothing is sent on its own that can wait: the BEGIN and the SAVEPOINT go with the
//! transaction's first statement, held-back writes (see `stmt`) with the next statement that
//! must run, and the last of them with RELEASE, and COMMIT when nobody is queued: a case's
//! transition costs two hand-offs instead of ten.
//!
//! On PostgreSQL none of this applies: each [`crate::Tx`] is a pooled transaction of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use futures_util::StreamExt;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyConnection, AnyPool, Either, Executor};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::stmt::{Stmt, append_bound};
use crate::{Result, StoreError, classify};

/// The most transactions one COMMIT carries (bounds how long the first of them waits).
const MAX_BATCH: usize = 64;

const BEGIN: &str = "BEGIN IMMEDIATE";
const SAVEPOINT: &str = "SAVEPOINT tx";
const RELEASE: &str = "RELEASE tx";
const ROLLBACK_TO: &str = "ROLLBACK TO tx";
const COMMIT: &str = "COMMIT";
const ROLLBACK: &str = "ROLLBACK";

/// What the writer lock protects.
pub(crate) struct WriterState {
    conn: AnyConnection,
    /// An outer transaction is open on `conn`, or will be by the BEGIN in `prefix`.
    open: bool,
    /// The connection failed in a way that leaves its state unknown: replace it before use.
    broken: bool,
    /// A query was sent and its answer not yet recorded: found set by the next holder, its
    /// sender was cancelled midway.
    dirty: bool,
    /// The writer's own statements still to run, before anything else: the outer BEGIN and
    /// the holder's SAVEPOINT, or the undoing of a transaction that was dropped.
    prefix: Vec<&'static str>,
    /// Transactions released into the open outer transaction, waiting for its COMMIT.
    waiters: Vec<oneshot::Sender<std::result::Result<(), String>>>,
    /// The audit head (last id, last hash) as of the last released savepoint, once read in the
    /// open outer transaction (forgotten when it ends: another process may append between).
    audit_head: Option<(i64, String)>,
}

/// The writer, shared by every clone of a SQLite store.
pub(crate) struct Writer {
    state: Arc<Mutex<WriterState>>,
    /// Write transactions waiting for the lock: while there are any, a finishing transaction
    /// leaves the COMMIT to them.
    queued: AtomicUsize,
    pool: AnyPool,
    /// Transactions committed, and the COMMITs that carried them (for benchmarks).
    committed: AtomicU64,
    commits: AtomicU64,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("queued", &self.queued.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Counts a transaction waiting for the lock; if it gives up waiting (its future is dropped),
/// it makes sure a batch it was expected to commit is committed.
struct Ticket<'a> {
    writer: &'a Arc<Writer>,
    acquired: bool,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.writer.queued.fetch_sub(1, Ordering::SeqCst);
        if !self.acquired {
            spawn_flush(self.writer.clone());
        }
    }
}

/// One write transaction on the writer: a savepoint inside the outer transaction.
pub(crate) struct BatchTx {
    guard: OwnedMutexGuard<WriterState>,
    writer: Arc<Writer>,
    /// The savepoint has been opened on the connection (its SAVEPOINT has run).
    begun: bool,
    /// The savepoint is released or undone (nothing of it is left to roll back).
    released: bool,
    /// Writes held back until the next statement that must run.
    pending: Vec<Stmt>,
    /// The audit head after this transaction's own appends.
    audit_head: Option<(i64, String)>,
}

/// What one multi-statement query did.
struct Ran {
    /// Statements that finished, the writer's own included.
    completed: usize,
    /// Rows changed by each finished statement.
    affected: Vec<u64>,
    /// Rows returned by the statement at `rows_of`.
    rows: Vec<AnyRow>,
    error: Option<sqlx::Error>,
}

/// Runs `prefix`, `stmts` and `suffix` as one query (one hand-off to the connection's thread),
/// stopping at the first failure, and keeps the rows of `stmts`' last statement.
async fn run_joined(
    conn: &mut AnyConnection,
    prefix: &[&'static str],
    stmts: Vec<Stmt>,
    suffix: &[&'static str],
) -> Result<Ran> {
    let rows_of = (prefix.len() + stmts.len()).checked_sub(1);
    let wants_rows = !stmts.is_empty();
    let mut sql = String::new();
    let mut args = AnyArguments::default();
    for p in prefix {
        sql.push_str(p);
        sql.push_str(";\n");
    }
    for s in stmts {
        sql.push_str(&append_bound(s, &mut args)?);
        sql.push_str(";\n");
    }
    for p in suffix {
        sql.push_str(p);
        sql.push_str(";\n");
    }
    let mut ran = Ran {
        completed: 0,
        affected: Vec::new(),
        rows: Vec::new(),
        error: None,
    };
    let mut stream = conn.fetch_many(sqlx::query_with(&sql, args));
    while let Some(item) = stream.next().await {
        match item {
            Ok(Either::Left(done)) => {
                ran.affected.push(done.rows_affected());
                ran.completed += 1;
            }
            Ok(Either::Right(row)) => {
                if wants_rows && Some(ran.completed) == rows_of {
                    ran.rows.push(row);
                }
            }
            Err(e) => {
                ran.error = Some(e);
                break;
            }
        }
    }
    Ok(ran)
}

/// Where a joined query failed.
enum Failed {
    /// In the writer's prefix: the connection's state is unknown and the writer is broken.
    Prefix(StoreError),
    /// In the transaction's own statements (a constraint, or a failed expectation): the
    /// savepoint is open and the statements after it did not run.
    Statement(StoreError),
    /// In the suffix, at statement `index` of it.
    Suffix(usize, sqlx::Error),
}

impl Writer {
    pub(crate) async fn new(pool: AnyPool) -> Result<Arc<Self>> {
        let conn = pool.acquire().await?.detach();
        Ok(Arc::new(Self {
            state: Arc::new(Mutex::new(WriterState {
                conn,
                open: false,
                broken: false,
                dirty: false,
                prefix: Vec::new(),
                waiters: Vec::new(),
                audit_head: None,
            })),
            queued: AtomicUsize::new(0),
            pool,
            committed: AtomicU64::new(0),
            commits: AtomicU64::new(0),
        }))
    }

    /// Waits for the lock and opens a savepoint (and the outer transaction, if none is open).
    /// Nothing is sent yet: the SAVEPOINT goes with the transaction's first statement.
    pub(crate) async fn begin(self: &Arc<Self>) -> Result<BatchTx> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut ticket = Ticket {
            writer: self,
            acquired: false,
        };
        let mut guard = self.state.clone().lock_owned().await;
        ticket.acquired = true;
        drop(ticket);
        if guard.dirty {
            break_writer(&mut guard, "写入被中断".to_owned());
        }
        if guard.broken {
            guard.conn = self.pool.acquire().await?.detach();
            guard.broken = false;
        }
        if !guard.open {
            // IMMEDIATE: the write lock is taken at once, so no other process (a `tongxin
            // sweep` beside the server) commits while this batch is open, and the audit head
            // read in it stays the head until its COMMIT.
            guard.audit_head = None;
            guard.prefix.push(BEGIN);
            guard.open = true;
        }
        guard.prefix.push(SAVEPOINT);
        Ok(BatchTx {
            guard,
            writer: self.clone(),
            begun: false,
            released: false,
            pending: Vec::new(),
            audit_head: None,
        })
    }

    /// Counts one COMMIT that carried `transactions`.
    fn counted(&self, transactions: u64) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.committed.fetch_add(transactions, Ordering::Relaxed);
    }

    /// (transactions committed, COMMITs that carried them) since the store opened.
    pub(crate) fn stats(&self) -> (u64, u64) {
        (
            self.committed.load(Ordering::Relaxed),
            self.commits.load(Ordering::Relaxed),
        )
    }

    /// Commits whatever the outer transaction holds and tells its waiters; rolls back an outer
    /// transaction that holds nothing acknowledged-to-be (and runs any undoing left queued, so
    /// an idle server does not keep SQLite's write lock).
    async fn flush(self: Arc<Self>) {
        let mut guard = self.state.clone().lock_owned().await;
        if guard.dirty {
            break_writer(&mut guard, "写入被中断".to_owned());
        }
        if guard.broken {
            return;
        }
        if guard.waiters.is_empty() {
            if guard.open {
                discard_outer(&mut guard);
            }
            run_prefix(&mut guard).await;
            return;
        }
        if !guard.open {
            return;
        }
        let waiting = guard.waiters.len() as u64;
        let result = commit_outer(&mut guard).await;
        if result.is_ok() {
            self.counted(waiting);
        }
        finish_outer(&mut guard, result);
    }
}

/// Runs the prefix on its own (the undoing of a dropped transaction); a failure breaks the
/// writer.
async fn run_prefix(state: &mut WriterState) {
    if state.prefix.is_empty() {
        return;
    }
    let prefix = std::mem::take(&mut state.prefix);
    state.dirty = true;
    let ran = run_joined(&mut state.conn, &prefix, Vec::new(), &[]).await;
    state.dirty = false;
    let failure = match ran {
        Ok(Ran { error: None, .. }) => return,
        Ok(Ran { error: Some(e), .. }) => e.to_string(),
        Err(e) => e.to_string(),
    };
    break_writer(state, failure);
}

/// Sends the prefix and COMMIT.
async fn commit_outer(state: &mut WriterState) -> std::result::Result<(), String> {
    let prefix = std::mem::take(&mut state.prefix);
    state.dirty = true;
    let ran = run_joined(&mut state.conn, &prefix, Vec::new(), &[COMMIT]).await;
    state.dirty = false;
    match ran {
        Ok(Ran { error: None, .. }) => Ok(()),
        Ok(Ran { error: Some(e), .. }) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn spawn_flush(writer: Arc<Writer>) {
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(writer.flush());
    }
}

fn notify(state: &mut WriterState, result: std::result::Result<(), String>) {
    for w in state.waiters.drain(..) {
        // A waiter that has gone away needs no answer.
        let _ = w.send(result.clone());
    }
}

/// The connection's state is unknown: every transaction waiting in the batch is told its
/// write failed, and the next writer replaces the connection (closing it discards whatever
/// the outer transaction held).
fn break_writer(state: &mut WriterState, msg: String) {
    state.broken = true;
    state.open = false;
    state.dirty = false;
    state.prefix.clear();
    state.audit_head = None;
    notify(state, Err(msg));
}

/// After the outer COMMIT: the batch is over, whatever the result.
fn finish_outer(state: &mut WriterState, result: std::result::Result<(), String>) {
    state.dirty = false;
    state.open = false;
    match result {
        Ok(()) => notify(state, Ok(())),
        Err(e) => break_writer(state, e),
    }
}

/// Ends an outer transaction that holds nothing anyone waits for: forgets its BEGIN if that
/// never ran, else rolls it back before the next statement.
fn discard_outer(state: &mut WriterState) {
    match state.prefix.iter().position(|s| *s == BEGIN) {
        Some(at) => state.prefix.truncate(at),
        None => state.prefix.push(ROLLBACK),
    }
    state.open = false;
}

impl BatchTx {
    /// The connection, for a statement run directly: call [`BatchTx::run`] first, so that
    /// nothing held back or in the prefix is left behind it.
    pub(crate) fn conn_mut(&mut self) -> &mut AnyConnection {
        &mut self.guard.conn
    }

    pub(crate) fn audit_head(&self) -> Option<(i64, String)> {
        self.audit_head
            .clone()
            .or_else(|| self.guard.audit_head.clone())
    }

    pub(crate) fn set_audit_head(&mut self, id: i64, hash: &str) {
        self.audit_head = Some((id, hash.to_owned()));
    }

    /// Holds a write back until the next statement that must run.
    pub(crate) fn defer(&mut self, s: Stmt) {
        self.pending.push(s);
    }

    /// Runs the prefix, what is held back and then `s`, as one query; returns `s`'s rows.
    pub(crate) async fn run(&mut self, s: Option<Stmt>) -> Result<Vec<AnyRow>> {
        if self.guard.prefix.is_empty() && self.pending.is_empty() && s.is_none() {
            return Ok(Vec::new());
        }
        let mut stmts = std::mem::take(&mut self.pending);
        stmts.extend(s);
        match self.execute(stmts, &[]).await {
            Ok(rows) => Ok(rows),
            Err(Failed::Prefix(e) | Failed::Statement(e)) => Err(e),
            // No suffix was sent.
            Err(Failed::Suffix(_, e)) => Err(classify(e)),
        }
    }

    /// Sends the prefix, `stmts` and `suffix` as one query and judges each statement's result.
    async fn execute(
        &mut self,
        stmts: Vec<Stmt>,
        suffix: &[&'static str],
    ) -> std::result::Result<Vec<AnyRow>, Failed> {
        let prefix = std::mem::take(&mut self.guard.prefix);
        let expects: Vec<_> = stmts.iter().map(|s| s.expect).collect();
        self.guard.dirty = true;
        let ran = run_joined(&mut self.guard.conn, &prefix, stmts, suffix).await;
        self.guard.dirty = false;
        let ran = match ran {
            Ok(ran) => ran,
            Err(e) => {
                // Nothing was sent.
                self.guard.prefix = prefix;
                return Err(Failed::Statement(e));
            }
        };
        if ran.completed < prefix.len() {
            let msg = ran
                .error
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "写入未完成".to_owned());
            self.released = true;
            break_writer(&mut self.guard, msg.clone());
            return Err(Failed::Prefix(match ran.error {
                Some(e) => StoreError::Database(e),
                None => StoreError::BatchFailed(msg),
            }));
        }
        self.begun = true;
        for (i, expect) in expects.iter().enumerate() {
            if let Some(&n) = ran.affected.get(prefix.len() + i) {
                expect.check(n).map_err(Failed::Statement)?;
            }
        }
        match ran.error {
            None => Ok(ran.rows),
            Some(e) => {
                let at = ran.completed - prefix.len();
                if at < expects.len() {
                    Err(Failed::Statement(classify(e)))
                } else {
                    Err(Failed::Suffix(at - expects.len(), e))
                }
            }
        }
    }

    /// Releases the savepoint, then either commits the batch (nobody is queued, or the batch
    /// is full) or joins it and waits, without the lock, for the one who will. What is held
    /// back goes with the RELEASE, and the COMMIT too when it is this transaction's to give;
    /// unless a held-back statement has an expectation, which is judged before anything is
    /// released.
    pub(crate) async fn commit(mut self) -> Result<()> {
        if self.pending.iter().any(|s| s.expect.is_checked()) {
            self.run(None).await?;
        }
        if !self.begun && self.pending.is_empty() {
            // Nothing was written: there is nothing to release.
            self.undo();
            return self.finish(false).await;
        }
        let commit_now = self.writer.queued.load(Ordering::SeqCst) == 0
            || self.guard.waiters.len() + 1 >= MAX_BATCH;
        let suffix: &[&'static str] = if commit_now {
            &[RELEASE, COMMIT]
        } else {
            &[RELEASE]
        };
        let stmts = std::mem::take(&mut self.pending);
        match self.execute(stmts, suffix).await {
            Ok(_) => {}
            // Dropped, the transaction rolls back to its savepoint.
            Err(Failed::Statement(e) | Failed::Prefix(e)) => return Err(e),
            Err(Failed::Suffix(at, e)) => {
                self.released = true;
                let msg = e.to_string();
                break_writer(&mut self.guard, msg.clone());
                return Err(if at == 0 {
                    classify(e)
                } else {
                    StoreError::BatchFailed(msg)
                });
            }
        }
        self.released = true;
        if let Some(head) = self.audit_head.take() {
            self.guard.audit_head = Some(head);
        }
        if commit_now {
            self.writer.counted(self.guard.waiters.len() as u64 + 1);
            finish_outer(&mut self.guard, Ok(()));
            return Ok(());
        }
        self.finish(true).await
    }

    /// Rolls back to the savepoint, then waits like a commit: whatever this transaction read
    /// from the batch before it (another's insert it collided with, say) is durable, or is
    /// reported as failed, when this returns.
    pub(crate) async fn rollback(mut self) -> Result<()> {
        self.undo();
        self.finish(false).await
    }

    /// Forgets what is held back and undoes the savepoint: before the next statement if its
    /// SAVEPOINT ran, else by taking the SAVEPOINT back.
    fn undo(&mut self) {
        self.pending.clear();
        if !self.released {
            if self.begun {
                self.guard.prefix.extend([ROLLBACK_TO, RELEASE]);
            } else if self.guard.prefix.last() == Some(&SAVEPOINT) {
                self.guard.prefix.pop();
            }
            self.released = true;
        }
    }

    /// With the savepoint gone: joins the batch and waits (others are queued and the batch has
    /// room) or commits it. `keep`: the savepoint was released, its work is to be committed.
    async fn finish(mut self, keep: bool) -> Result<()> {
        if !keep && self.guard.waiters.is_empty() {
            // Nothing in the outer transaction is anyone's to keep.
            if self.guard.open {
                discard_outer(&mut self.guard);
            }
            run_prefix(&mut self.guard).await;
            return Ok(());
        }
        if self.writer.queued.load(Ordering::SeqCst) > 0 && self.guard.waiters.len() + 1 < MAX_BATCH
        {
            let (tx, rx) = oneshot::channel();
            self.guard.waiters.push(tx);
            drop(self);
            return match rx.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(msg)) => Err(StoreError::BatchFailed(msg)),
                Err(_) => Err(StoreError::BatchFailed("写入批次被中断".to_owned())),
            };
        }
        let result = commit_outer(&mut self.guard).await;
        if result.is_ok() {
            self.writer.counted(self.guard.waiters.len() as u64 + 1);
        }
        let out = match &result {
            Ok(()) => Ok(()),
            Err(e) => Err(StoreError::BatchFailed(e.clone())),
        };
        finish_outer(&mut self.guard, result);
        out
    }
}

impl Drop for BatchTx {
    fn drop(&mut self) {
        if self.guard.dirty {
            break_writer(&mut self.guard, "写入被中断".to_owned());
            return;
        }
        self.undo();
        let guard = &mut self.guard;
        if !guard.open {
            return;
        }
        if guard.waiters.is_empty() {
            discard_outer(guard);
        }
        // The batch's waiters need a COMMIT, or a rollback is queued, and nobody queued will
        // see to it.
        if (!guard.waiters.is_empty() || !guard.prefix.is_empty())
            && self.writer.queued.load(Ordering::SeqCst) == 0
        {
            spawn_flush(self.writer.clone());
        }
    }
}
