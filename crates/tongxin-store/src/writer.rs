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
//! On PostgreSQL none of this applies: each [`crate::Tx`] is a pooled transaction of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use sqlx::AnyConnection;
use sqlx::{Any, AnyPool, Database, TransactionManager};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::{Result, StoreError, classify};

type Tm = <Any as Database>::TransactionManager;

/// The most transactions one COMMIT carries (bounds how long the first of them waits).
const MAX_BATCH: usize = 64;

/// What the writer lock protects.
pub(crate) struct WriterState {
    conn: AnyConnection,
    /// An outer transaction is open on `conn`.
    open: bool,
    /// The connection failed in a way that leaves its state unknown: replace it before use.
    broken: bool,
    /// A statement of the writer's own (BEGIN, SAVEPOINT, RELEASE, COMMIT) was sent and its
    /// answer not yet recorded: found set by the next holder, its sender was cancelled midway.
    dirty: bool,
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
    /// The savepoint is released (its work belongs to the outer transaction).
    released: bool,
    /// The audit head after this transaction's own appends.
    audit_head: Option<(i64, String)>,
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
        guard.dirty = true;
        if !guard.open {
            // IMMEDIATE: the write lock is taken now, so no other process (a `tongxin sweep`
            // beside the server) commits while this batch is open, and the audit head read in
            // it stays the head until its COMMIT.
            guard.audit_head = None;
            if let Err(e) = Tm::begin(&mut guard.conn, Some("BEGIN IMMEDIATE".into())).await {
                break_writer(&mut guard, e.to_string());
                return Err(e.into());
            }
            guard.open = true;
        }
        if let Err(e) = Tm::begin(&mut guard.conn, None).await {
            break_writer(&mut guard, e.to_string());
            return Err(e.into());
        }
        guard.dirty = false;
        Ok(BatchTx {
            guard,
            writer: self.clone(),
            released: false,
            audit_head: None,
        })
    }

    /// (transactions committed, COMMITs that carried them) since the store opened.
    pub(crate) fn stats(&self) -> (u64, u64) {
        (
            self.committed.load(Ordering::Relaxed),
            self.commits.load(Ordering::Relaxed),
        )
    }

    /// Commits whatever the outer transaction holds and tells its waiters; rolls back an outer
    /// transaction that holds nothing acknowledged-to-be.
    async fn flush(self: Arc<Self>) {
        let mut guard = self.state.clone().lock_owned().await;
        if guard.dirty {
            break_writer(&mut guard, "写入被中断".to_owned());
        }
        if !guard.open || guard.broken {
            return;
        }
        guard.dirty = true;
        let waiting = guard.waiters.len() as u64;
        let result = if waiting == 0 {
            Tm::rollback(&mut guard.conn).await
        } else {
            Tm::commit(&mut guard.conn).await
        };
        if result.is_ok() && waiting > 0 {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.committed.fetch_add(waiting, Ordering::Relaxed);
        }
        finish_outer(&mut guard, result);
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
    state.audit_head = None;
    notify(state, Err(msg));
}

/// After the outer COMMIT (or ROLLBACK): the batch is over, whatever the result.
fn finish_outer(state: &mut WriterState, result: std::result::Result<(), sqlx::Error>) {
    state.dirty = false;
    state.open = false;
    match result {
        Ok(()) => notify(state, Ok(())),
        Err(e) => break_writer(state, e.to_string()),
    }
}

impl BatchTx {
    pub(crate) fn conn(&self) -> &AnyConnection {
        &self.guard.conn
    }

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

    /// Releases the savepoint, then either commits the batch (nobody is queued, or the batch
    /// is full) or joins it and waits, without the lock, for the one who will.
    pub(crate) async fn commit(mut self) -> Result<()> {
        self.guard.dirty = true;
        if let Err(e) = Tm::commit(&mut self.guard.conn).await {
            self.released = true;
            break_writer(&mut self.guard, e.to_string());
            return Err(classify(e));
        }
        self.guard.dirty = false;
        self.released = true;
        if let Some(head) = self.audit_head.take() {
            self.guard.audit_head = Some(head);
        }
        self.finish().await
    }

    /// Rolls back to the savepoint, then waits like a commit: whatever this transaction read
    /// from the batch before it (another's insert it collided with, say) is durable, or is
    /// reported as failed, when this returns.
    pub(crate) async fn rollback(mut self) -> Result<()> {
        self.guard.dirty = true;
        if let Err(e) = Tm::rollback(&mut self.guard.conn).await {
            self.released = true;
            break_writer(&mut self.guard, e.to_string());
            return Err(e.into());
        }
        self.guard.dirty = false;
        self.released = true;
        self.finish().await
    }

    /// With the savepoint gone: joins the batch and waits (others are queued and the batch has
    /// room) or commits it.
    async fn finish(mut self) -> Result<()> {
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
        self.guard.dirty = true;
        let result = Tm::commit(&mut self.guard.conn).await;
        if result.is_ok() {
            self.writer.commits.fetch_add(1, Ordering::Relaxed);
            self.writer
                .committed
                .fetch_add(self.guard.waiters.len() as u64 + 1, Ordering::Relaxed);
        }
        let out = match &result {
            Ok(()) => Ok(()),
            Err(e) => Err(StoreError::BatchFailed(e.to_string())),
        };
        finish_outer(&mut self.guard, result);
        out
    }
}

impl Drop for BatchTx {
    fn drop(&mut self) {
        let guard = &mut self.guard;
        if guard.dirty {
            break_writer(guard, "写入被中断".to_owned());
            return;
        }
        if !self.released {
            // Queued on the connection, run before its next statement.
            Tm::start_rollback(&mut guard.conn);
        }
        if !guard.open {
            return;
        }
        if guard.waiters.is_empty() {
            // Nothing in the outer transaction is waiting to be kept.
            Tm::start_rollback(&mut guard.conn);
            guard.open = false;
        } else if self.writer.queued.load(Ordering::SeqCst) == 0 {
            // The batch's waiters need a COMMIT and nobody queued will give it.
            spawn_flush(self.writer.clone());
        }
    }
}
