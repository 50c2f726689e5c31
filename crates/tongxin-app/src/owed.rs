//! 应报与提醒: what each unit owes on each task (the oldest period it has not reported, and its
//! due date), kept in the store by every task created, report filed and status changed, and
//! computed again for every task when the calendar changes; and the reminders it gives — yellow
//! [`WARN_WORKDAYS`] working days before a report is due, red once it is overdue — each once
//! per unit and period, in the unit's inbox beside the case deadlines.
//!
//! Keeping the owed period instead of computing it on each page is what lets the ledger's 逾期,
//! the workbench and a unit's "everything it owes" read an index at 100,000 tasks: a dekad task
//! started in 2023 has more than a hundred periods.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::supervision::{
    Cadence, DueRule, OwedPeriod, TaskStatus, WARN_WORKDAYS, next_owed,
};
use tongxin_store::{OwedRow, TaskRow, Tx};

use crate::{App, AppError, AuditActor};

/// How many tasks one computation batch (one transaction) covers.
const BATCH: i64 = 500;

/// What the task sweep told.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TaskSweep {
    pub warned: u64,
    pub overdue: u64,
}

/// `2024年2月上旬`, `2024年第一季度`; a one-off task's period is its own (`至2024-12-30`).
pub fn period_label(cadence: &str, start: NaiveDate, end: NaiveDate) -> String {
    match Cadence::parse(cadence).and_then(Cadence::period_type) {
        Some(kind) => kind.containing(start).label(),
        None => format!("{start}至{end}"),
    }
}

fn due_rule(t: &TaskRow) -> DueRule {
    crate::supervision::due_rule_of(&t.due_rule)
}

impl App {
    /// What each unit the task binds owes next, given the periods each reported (unit, start).
    /// A task done or closed owes nothing.
    pub(crate) fn owed_of(
        &self,
        t: &TaskRow,
        reported: &[(String, NaiveDate)],
    ) -> Result<Vec<(String, Option<OwedPeriod>)>, AppError> {
        let mut units: Vec<&str> = vec![t.lead_unit.as_str()];
        for u in &t.responsible {
            if !units.contains(&u.as_str()) {
                units.push(u);
            }
        }
        let finished = matches!(
            TaskStatus::parse(&t.status),
            Some(TaskStatus::Done | TaskStatus::Closed)
        );
        if finished {
            return Ok(units.into_iter().map(|u| (u.to_owned(), None)).collect());
        }
        let cadence = Cadence::parse(&t.cadence)
            .ok_or_else(|| AppError::Internal(format!("任务{}的周期“{}”无效", t.id, t.cadence)))?;
        let (from, until) = match cadence {
            Cadence::Once => (t.starts_on, t.due_on.unwrap_or(t.starts_on)),
            _ => (t.starts_on, t.until_on.unwrap_or(NaiveDate::MAX)),
        };
        let cal = self.calendar();
        let filed: HashSet<(&str, NaiveDate)> =
            reported.iter().map(|(u, d)| (u.as_str(), *d)).collect();
        units
            .into_iter()
            .map(|u| {
                let owed = next_owed(
                    cadence,
                    due_rule(t),
                    from,
                    until,
                    None,
                    |s| filed.contains(&(u, s)),
                    &cal,
                )
                .map_err(|e| {
                    AppError::Conflict(format!("任务“{}”的报送期限无法计算：{e}", t.title))
                })?;
                Ok((u.to_owned(), owed))
            })
            .collect()
    }

    /// Computes and stores what each unit owes on `t` (as it stands in `tx`).
    pub(crate) async fn keep_owed(&self, tx: &mut Tx, t: &TaskRow) -> Result<(), AppError> {
        let reported = tx.reported_starts(t.id).await?;
        for (unit, owed) in self.owed_of(t, &reported)? {
            tx.set_owed(t.id, &unit, owed.map(|o| (o.start, o.end, o.due)))
                .await?;
        }
        Ok(())
    }

    /// Computes what every unit owes where it is not known (rows from before it was kept, or
    /// all of them after a calendar change), a batch per transaction. Returns how many tasks.
    pub async fn refresh_owed(&self) -> Result<u64, AppError> {
        let mut done = 0u64;
        let mut after = 0i64;
        loop {
            let tasks = self.store.tasks_owed_unknown(after, BATCH).await?;
            let Some(last) = tasks.last() else { break };
            after = last.id;
            let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
            let mut reported: HashMap<i64, Vec<(String, NaiveDate)>> = HashMap::new();
            for (task, unit, start) in self.store.reported_starts_of(&ids).await? {
                reported.entry(task).or_default().push((unit, start));
            }
            let mut tx = self.store.begin().await?;
            for t in &tasks {
                let owed = self.owed_of(t, reported.get(&t.id).map_or(&[], Vec::as_slice))?;
                for (unit, owed) in owed {
                    tx.set_owed(t.id, &unit, owed.map(|o| (o.start, o.end, o.due)))
                        .await?;
                }
            }
            done += tasks.len() as u64;
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::System,
                "supervision:owed",
                json!({ "tasks": tasks.len(), "through_task": after }),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(done)
    }

    /// 督办提醒: tells each unit, once per period, that a report it owes is due within
    /// [`WARN_WORKDAYS`] working days (yellow) or overdue (red).
    pub async fn sweep_tasks(&self, today: NaiveDate) -> Result<TaskSweep, AppError> {
        let cal = self.calendar();
        let through = cal
            .add_workdays(today, WARN_WORKDAYS as u32)
            .map(|c| c.value)
            .unwrap_or(today + chrono::Days::new(7));
        let mut report = TaskSweep::default();
        let mut after: (i64, String) = (0, String::new());
        const SWEEP_BATCH: i64 = 1000;
        loop {
            let items = self
                .store
                .owed_to_tell(through, today, (after.0, &after.1), SWEEP_BATCH)
                .await?;
            let Some((last, _)) = items.last() else { break };
            after = (last.task_id, last.unit_id.clone());
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            let before = report;
            for (o, t) in &items {
                let (Some(start), Some(end), Some(due)) = (o.next_start, o.next_end, o.next_due)
                else {
                    continue;
                };
                let what = format!(
                    "督办任务“{}”{}的进展",
                    t.title,
                    period_label(&t.cadence, start, end)
                );
                let source = format!("{} {}", t.source_doc, t.source_clause);
                if due < today {
                    if o.overdue_start == Some(start) {
                        continue;
                    }
                    let late = match cal.workdays_between(due, today) {
                        Ok(c) => format!("已逾期{}个工作日", c.value),
                        Err(e) => format!("已逾期（工作日数无法计算：{e}）"),
                    };
                    let msg = format!(
                        "{what}应于{}前报送，{late}——{}",
                        due.format("%Y年%-m月%-d日"),
                        source.trim()
                    );
                    if tx
                        .post_task_inbox(&o.unit_id, t.id, start, "overdue", &msg, due, now)
                        .await?
                    {
                        report.overdue += 1;
                    }
                } else if o.warned_start != Some(start) {
                    let left = match cal.workdays_between(today, due) {
                        Ok(c) if c.value > WARN_WORKDAYS => continue,
                        Ok(c) => format!("还剩{}个工作日", c.value),
                        Err(e) => format!("剩余工作日无法计算（{e}）"),
                    };
                    let msg = format!(
                        "{what}将于{}到期，{left}——{}",
                        due.format("%Y年%-m月%-d日"),
                        source.trim()
                    );
                    if tx
                        .post_task_inbox(&o.unit_id, t.id, start, "warning", &msg, due, now)
                        .await?
                    {
                        report.warned += 1;
                    }
                }
            }
            if report != before {
                self.audit(
                    &mut tx,
                    &AuditActor::SYSTEM,
                    AuditAction::System,
                    "supervision:sweep",
                    json!({ "today": today, "batch": items.len(), "warned": report.warned - before.warned, "overdue": report.overdue - before.overdue }),
                )
                .await?;
            }
            tx.commit().await?;
            if (items.len() as i64) < SWEEP_BATCH {
                break;
            }
        }
        Ok(report)
    }
}

/// The period a unit owes, as shown: its label and due date.
pub fn owed_label(t: &TaskRow, o: &OwedRow) -> Option<String> {
    let (start, end) = (o.next_start?, o.next_end?);
    Some(period_label(&t.cadence, start, end))
}
