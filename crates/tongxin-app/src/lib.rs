//! Use-cases shared by the web and the CLI: load the pack, decide, persist with the audit
//! trail. Handlers and commands call these; they hold no rules of their own.
//!
//! Every write appends its audit entry in the same transaction as the change, so a change
//! without its audit row (or the reverse) cannot be committed.

pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod captcha;
pub mod cases;
pub mod chains;
pub mod clock;
pub mod demo;
pub mod dishonesty;
pub mod error;
pub mod field;
pub mod imports;
pub mod indicators;
pub mod land;
pub mod notify;
pub mod objections;
pub mod owed;
pub mod plan_views;
pub mod policy;
pub mod recompute;
pub mod reports;
pub mod revenue;
pub mod sheets;
pub mod supervision;
pub mod task_entry;
pub mod users;

use std::sync::{Arc, RwLock};

use tongxin_calendar::Calendar;
use tongxin_domain::Directory;
use tongxin_domain::policy::Corpus;
use tongxin_policy::Pack;
use tongxin_store::{AuditDraft, Store, Tx, UnitRow};

pub use auth::{Actor, LoginOutcome};
pub use clock::{Clock, FixedDateClock, ManualClock, SystemClock};
pub use error::AppError;

/// Is this database a demo or a production database? Set on first start and never changed:
/// demo data must never mix into a production database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Production,
    Demo,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Production => "production",
            Mode::Demo => "demo",
        }
    }
}

/// The application: store, the policy pack (directory and corpus), the county's calendar and
/// the clock. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    /// The pack as built into the binary; the live directory and corpus add what officials
    /// added (aliases, imported documents) on top of it.
    pack: Arc<Pack>,
    directory: Arc<RwLock<Arc<Directory>>>,
    corpus: Arc<RwLock<Arc<Corpus>>>,
    /// The county's working-day calendar: national plus the regional overlay. Replaced whole
    /// when an administrator enters a regional year.
    calendar: Arc<RwLock<Arc<Calendar>>>,
    pub clock: Arc<dyn Clock>,
    pub mode: Mode,
    /// The protected land layers in memory (临时用地 overlap checks).
    layers: Arc<land::LayerCache>,
    /// The key public forms' captchas and address hashes are made with, once read
    /// (`reports::public_key`).
    public_key: Arc<std::sync::OnceLock<Vec<u8>>>,
    /// Woken when something was written to the outbox (`notify`), so it goes out at once.
    outbox_wake: Arc<tokio::sync::Notify>,
    /// The public notices as last read, per procedure (`cases::public_notices`): the most read
    /// public page is served from here for a few seconds; this process's case actions clear it.
    notices: Arc<std::sync::Mutex<std::collections::HashMap<String, cases::NoticeCache>>>,
}

/// Who did something, for the audit trail: a user, or the system itself (start-up, the CLI).
#[derive(Debug, Clone)]
pub struct AuditActor<'a> {
    pub username: &'a str,
    pub role: &'a str,
    pub unit: &'a str,
    pub client_ip: &'a str,
}

impl AuditActor<'static> {
    /// The system itself (start-up sync, demo seeding).
    pub const SYSTEM: AuditActor<'static> = AuditActor {
        username: "system",
        role: "system",
        unit: "",
        client_ip: "",
    };
    /// An operator at the server's console (`tongxin user add`).
    pub const CONSOLE: AuditActor<'static> = AuditActor {
        username: "console",
        role: "console",
        unit: "",
        client_ip: "local",
    };
}

impl App {
    /// Opens the application on a store: checks the database's mode, and syncs the pack's
    /// unit directory into it when the pack changed (seeding it on first start).
    pub async fn open(
        store: Store,
        pack: Pack,
        clock: Arc<dyn Clock>,
        mode: Mode,
    ) -> Result<App, AppError> {
        match store.meta("mode").await? {
            Some(m) if m != mode.code() => {
                return Err(AppError::ModeMismatch {
                    database: m,
                    requested: mode.code().to_owned(),
                });
            }
            _ => {}
        }
        let national = Calendar::national().map_err(|e| AppError::Internal(e.to_string()))?;
        let app = App {
            store,
            directory: Arc::new(RwLock::new(Arc::new(pack.directory.clone()))),
            corpus: Arc::new(RwLock::new(Arc::new(pack.corpus.clone()))),
            pack: Arc::new(pack),
            calendar: Arc::new(RwLock::new(Arc::new(national))),
            clock,
            mode,
            layers: Arc::default(),
            public_key: Arc::default(),
            outbox_wake: Arc::default(),
            notices: Arc::default(),
        };
        app.sync_directory().await?;
        app.reload_directory().await?;
        app.reload_corpus().await?;
        app.reload_calendar().await?;
        app.seed_plans().await?;
        app.recompute_if_calendar_changed().await?;
        app.refresh_owed().await?;
        Ok(app)
    }

    /// The unit directory: the pack's plus the aliases officials added.
    pub fn directory(&self) -> Arc<Directory> {
        read(&self.directory)
    }

    /// The policy corpus: the pack's documents plus those officials imported and published.
    pub fn corpus(&self) -> Arc<Corpus> {
        read(&self.corpus)
    }

    /// Rebuilds the directory from the pack and the aliases stored in the database.
    pub async fn reload_directory(&self) -> Result<(), AppError> {
        let extra = self.store.user_aliases().await?;
        let d = self
            .pack
            .directory
            .with_aliases(&extra)
            .map_err(|e| AppError::Internal(format!("数据库中的单位别名无效：{e}")))?;
        write(&self.directory, Arc::new(d));
        Ok(())
    }

    /// Rebuilds the corpus from the pack and the documents published by import.
    pub async fn reload_corpus(&self) -> Result<(), AppError> {
        let docs = self.imported_documents().await?;
        let c = self
            .pack
            .corpus
            .with_documents(docs)
            .map_err(|e| AppError::Internal(format!("导入的文件无效：{e}")))?;
        let (c, unknown) = c.with_renewals(self.stored_renewals().await?);
        if let Some(doc) = unknown.first() {
            return Err(AppError::Internal(format!(
                "数据库中的续期记录指向政策库中没有的文件{doc}"
            )));
        }
        write(&self.corpus, Arc::new(c));
        Ok(())
    }

    /// Writes the directory into the database when its content differs from what was synced.
    async fn sync_directory(&self) -> Result<(), AppError> {
        let rows = directory_rows(&self.pack.directory);
        let fingerprint = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            for r in &rows {
                h.update(format!("{r:?}\n").as_bytes());
            }
            tongxin_domain::audit::hex(&h.finalize())
        };
        if self.store.meta("directory_fingerprint").await?.as_deref() == Some(&fingerprint) {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        tx.set_meta("mode", self.mode.code()).await?;
        tx.sync_units(&rows).await?;
        tx.set_meta("directory_fingerprint", &fingerprint).await?;
        let summary = serde_json::json!({ "units": rows.len(), "fingerprint": &fingerprint[..12] });
        self.audit(
            &mut tx,
            &AuditActor::SYSTEM,
            tongxin_domain::audit::AuditAction::System,
            "directory",
            summary,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(units = rows.len(), "unit directory synced");
        Ok(())
    }

    /// Appends an audit entry inside `tx`.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        actor: &AuditActor<'_>,
        action: tongxin_domain::audit::AuditAction,
        object: &str,
        summary: serde_json::Value,
    ) -> Result<(), AppError> {
        tx.append_audit(
            AuditDraft {
                actor: actor.username,
                role: actor.role,
                unit: actor.unit,
                action: action.code(),
                object,
                summary: summary.to_string(),
                client_ip: actor.client_ip,
            },
            self.clock.now(),
        )
        .await?;
        Ok(())
    }
}

fn read<T>(lock: &RwLock<Arc<T>>) -> Arc<T> {
    match lock.read() {
        Ok(g) => g.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

fn write<T>(lock: &RwLock<Arc<T>>, value: Arc<T>) {
    match lock.write() {
        Ok(mut g) => *g = value,
        Err(poisoned) => *poisoned.into_inner() = value,
    }
}

/// The directory's units, parents before children (breadth-first from the root).
fn directory_rows(d: &Directory) -> Vec<UnitRow> {
    let mut out = Vec::with_capacity(d.units().len());
    let mut queue = std::collections::VecDeque::from([d.root()]);
    while let Some(u) = queue.pop_front() {
        out.push(UnitRow {
            id: u.id.0.clone(),
            name: u.name.clone(),
            short_name: u.short_name.clone(),
            kind: u.kind.code().to_owned(),
            parent_id: u.parent.as_ref().map(|p| p.0.clone()),
            division_code: u.division_code.clone(),
            internal_code: u.internal_code.clone(),
            aliases: u.aliases.clone(),
        });
        queue.extend(d.children(&u.id));
    }
    out
}
