//! 期限重算: when the working-day calendar changes — a release brings a new year's State Council
//! notice, or the system administrator enters a 宁夏 regional year — the running deadlines are
//! computed again from their start, pauses and extensions on the new calendar. A natural period
//! that ended in a year nobody had the holidays of (its natural end, marked 未顺延) is carried
//! past the holiday now known; a working-day clock over a newly entered 开斋节 moves a day.
//! Each moved date is told to the responsible unit once and audited.
//!
//! Runs at start-up when the calendar differs from the one the database last computed on (a
//! fingerprint kept in the meta table), and after a regional year is entered.

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tongxin_calendar::Calendar;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::procedure;

use crate::cases::{calendar_pauses, extended_due, opens_on, pauses_of};
use crate::{App, AppError, AuditActor};

/// The meta key holding the fingerprint of the calendar the deadlines were last computed on.
const FINGERPRINT_KEY: &str = "calendar_fingerprint";

/// What a recomputation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecomputeReport {
    pub examined: u64,
    pub moved: u64,
    /// Deadlines whose due date could not be computed (reported, left as they were).
    pub failed: u64,
}

/// Bumped when the way due dates are computed changes (a new column such as a deadline's
/// window): a start-up on a new release then recomputes once even if the calendar did not.
const RECOMPUTE_VERSION: &str = "2";

/// A digest of what decides working days: every day the calendar covers, working or not (so a
/// release correcting a year already covered is seen), and the computation's version.
pub fn calendar_fingerprint(cal: &Calendar) -> String {
    let mut h = Sha256::new();
    h.update(RECOMPUTE_VERSION.as_bytes());
    let range = cal.covered_range();
    h.update(format!("{range:?}").as_bytes());
    let mut d = *range.start();
    let mut bits: Vec<u8> = Vec::with_capacity(4000);
    while d <= *range.end() {
        bits.push(match cal.is_workday(d) {
            Ok(c) if c.value => b'1',
            Ok(_) => b'0',
            Err(_) => b'?',
        });
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    h.update(&bits);
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// Recomputes the running deadlines if the calendar changed since they were last computed.
    pub async fn recompute_if_calendar_changed(&self) -> Result<Option<RecomputeReport>, AppError> {
        let fingerprint = calendar_fingerprint(&self.calendar());
        let before = self.store.meta(FINGERPRINT_KEY).await?;
        if before.as_deref() == Some(fingerprint.as_str()) {
            return Ok(None);
        }
        let report = self.recompute_due_dates().await?;
        // What each unit owes on each task, and its due date, on the new calendar (a first start
        // computed them on it already).
        if before.is_some() {
            self.store.invalidate_owed().await?;
            self.refresh_owed().await?;
        }
        let mut tx = self.store.begin().await?;
        tx.set_meta(FINGERPRINT_KEY, &fingerprint).await?;
        tx.commit().await?;
        if report.moved > 0 || report.failed > 0 {
            tracing::info!(?report, "calendar changed: due dates recomputed");
        }
        Ok(Some(report))
    }

    /// Computes every running deadline's due date again on today's calendar; moves those that
    /// changed, tells the responsible unit, audits each batch.
    pub async fn recompute_due_dates(&self) -> Result<RecomputeReport, AppError> {
        // The notices' end dates may move.
        self.forget_notices();
        let cal = self.calendar();
        let corpus = self.corpus();
        let mut report = RecomputeReport::default();
        let mut after = 0i64;
        const BATCH: i64 = 1000;
        loop {
            let items = self.store.running_deadlines(after, BATCH).await?;
            let Some(last) = items.last() else { break };
            after = last.deadline.id;
            let mut moves = Vec::new();
            for it in &items {
                report.examined += 1;
                let d = &it.deadline;
                let (Some(proc), Some(old)) = (self.pack.procedure(&it.procedure), d.due_on) else {
                    continue;
                };
                let Some(def) = proc.deadline(&d.deadline) else {
                    continue;
                };
                let pauses = calendar_pauses(&pauses_of(d));
                let amount = u32::try_from(d.amount).ok();
                let new = match procedure::due_date_for(
                    def,
                    amount,
                    d.started_on,
                    &pauses,
                    &cal,
                    &corpus,
                ) {
                    Ok(due) => due
                        .date
                        .and_then(|x| extended_due(&cal, x, d.extended_months)),
                    Err(e) => {
                        tracing::warn!(deadline = d.id, error = %e, "due date not recomputed");
                        report.failed += 1;
                        continue;
                    }
                };
                let Some(new) = new else { continue };
                let window = match opens_on(def, Some(new), &corpus, d.started_on) {
                    Ok(w) => w,
                    Err(e) => {
                        tracing::warn!(deadline = d.id, error = %e, "window not recomputed");
                        report.failed += 1;
                        continue;
                    }
                };
                if new != old || window != d.opens_on {
                    moves.push((it, def, old, new, window));
                }
            }
            if moves.is_empty() {
                continue;
            }
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            let mut moved = 0u64;
            let today = self.clock.today();
            for (it, def, old, new, window) in moves {
                let d = &it.deadline;
                // A date that stays in the past keeps its marks: nothing is announced twice.
                if !tx
                    .move_due_date(d.id, old, new, window, new >= today)
                    .await?
                {
                    continue;
                }
                if new == old {
                    // Only the window was (re)computed: nothing to tell.
                    continue;
                }
                moved += 1;
                let msg = format!(
                    "案件{}：节假日安排已更新，{}的期限由{}调整为{}——{}",
                    it.case_number,
                    def.label,
                    old.format("%Y年%-m月%-d日"),
                    new.format("%Y年%-m月%-d日"),
                    d.citation
                );
                tx.post_inbox(
                    &d.responsible,
                    d.case_id,
                    d.id,
                    "recomputed",
                    &msg,
                    new,
                    now,
                )
                .await?;
            }
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::System,
                "deadline_recompute",
                json!({ "calendar": calendar_fingerprint(&cal), "batch": items.len(), "moved": moved }),
            )
            .await?;
            tx.commit().await?;
            report.moved += moved;
        }
        Ok(report)
    }
}
