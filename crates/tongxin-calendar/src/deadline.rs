//! 审批时限: working-day deadlines whose clock pauses while papers are being corrected (补正).
//!
//! 同政办规发〔2023〕7号 第九条（四）: 应当自受理之日起10个工作日内予以批准，申请人补正、完善资料
//! 时间不计入审批时限.
//!
//! # The rule
//!
//! * The clock counts the working days in `(start, …]`: the day of acceptance is not counted
//!   (行政许可法 第八十二条, DOMAIN.md "Time").
//! * A pause runs from day `P`, the day the correction request is sent, to day `R`, the day the
//!   papers come back. The working days in `(P, R]` are not counted: `P` itself still counts
//!   (the office worked on the file that day) and counting resumes the day after `R` (like
//!   acceptance, the day the papers arrive is not counted).
//! * The due date is the day the `workdays`-th counted working day falls on. Pauses that start
//!   on or after the due date change nothing (a request sent after the deadline does not revive
//!   it). Pauses that begin before `start` are counted from `start`; overlapping pauses count
//!   once.
//! * An open pause (`to: None`) suspends the deadline: there is no due date until the papers
//!   come back.

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::error::{CalendarError, Computed, Warnings};

/// 补正中止: the clock stops from `from` (request sent) to `to` (papers back); `to: None`
/// while the papers are still out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pause {
    /// The day the correction request was sent (still counted).
    pub from: NaiveDate,
    /// The day the complete papers came back (not counted); `None` while outstanding.
    pub to: Option<NaiveDate>,
}

/// 工作日时限: `workdays` working days from `start` (not counted), minus the paused time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkdayDeadline {
    /// 起算日: the triggering event (受理之日).
    pub start: NaiveDate,
    /// The time limit in working days.
    pub workdays: u32,
    /// 补正 pauses, in any order.
    pub pauses: Vec<Pause>,
}

/// 时限状态: a deadline's due date, or that it is suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineStatus {
    /// 到期日: the last day to act.
    Due {
        /// The due date (a working day, unless `workdays` is 0).
        date: NaiveDate,
        /// Working days before `date` that were not counted because of pauses (how far the
        /// due date moved).
        paused_workdays: u32,
    },
    /// 中止: a pause is open; no due date until the papers come back.
    Suspended {
        /// The day the open pause began.
        since: NaiveDate,
        /// Working days counted before the pause.
        counted_workdays: u32,
        /// Working days left once the clock runs again.
        remaining_workdays: u32,
    },
}

impl DeadlineStatus {
    /// 到期日, if not suspended.
    pub fn due_date(&self) -> Option<NaiveDate> {
        match self {
            DeadlineStatus::Due { date, .. } => Some(*date),
            DeadlineStatus::Suspended { .. } => None,
        }
    }
}

/// A pause as the half-open interval of days it removes: `(from, to]`, `to = None` open.
#[derive(Debug, Clone, Copy)]
struct Gap {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl WorkdayDeadline {
    /// 工作日时限 without pauses.
    pub fn new(start: NaiveDate, workdays: u32) -> Self {
        Self {
            start,
            workdays,
            pauses: Vec::new(),
        }
    }

    /// 补正: the same deadline with one more pause.
    pub fn with_pause(mut self, from: NaiveDate, to: Option<NaiveDate>) -> Self {
        self.pauses.push(Pause { from, to });
        self
    }

    /// Pauses clipped to `start`, sorted and merged; empty intervals dropped.
    fn gaps(&self) -> Result<Vec<Gap>, CalendarError> {
        let mut gaps = Vec::with_capacity(self.pauses.len());
        for p in &self.pauses {
            if let Some(to) = p.to {
                if to < p.from {
                    return Err(CalendarError::PauseEndsBeforeStart { from: p.from, to });
                }
            }
            let from = p.from.max(self.start);
            if p.to.is_some_and(|to| to <= from) {
                continue;
            }
            gaps.push(Gap { from, to: p.to });
        }
        gaps.sort_by_key(|g| g.from);
        let mut merged: Vec<Gap> = Vec::with_capacity(gaps.len());
        for g in gaps {
            match merged.last_mut() {
                // Overlapping or touching: (a, b] ∪ (c, d] with c <= b.
                Some(last) if last.to.is_none_or(|end| g.from <= end) => {
                    last.to = match (last.to, g.to) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push(g),
            }
        }
        Ok(merged)
    }

    /// 计算时限: the due date, or that the deadline is suspended (see the module doc for the
    /// rule).
    pub fn status(&self, cal: &Calendar) -> Result<Computed<DeadlineStatus>, CalendarError> {
        let mut warnings = Warnings::default();
        let mut cursor = self.start;
        let mut remaining = self.workdays;
        for gap in self.gaps()? {
            let avail = take(&mut warnings, cal.workdays_between(cursor, gap.from)?) as u32;
            if remaining <= avail {
                break;
            }
            remaining -= avail;
            match gap.to {
                Some(to) => cursor = to,
                None => {
                    return Ok(Computed {
                        value: DeadlineStatus::Suspended {
                            since: gap.from,
                            counted_workdays: self.workdays - remaining,
                            remaining_workdays: remaining,
                        },
                        warnings,
                    });
                }
            }
        }
        let date = take(&mut warnings, cal.add_workdays(cursor, remaining)?);
        let elapsed = take(&mut warnings, cal.workdays_between(self.start, date)?);
        Ok(Computed {
            value: DeadlineStatus::Due {
                date,
                paused_workdays: (elapsed as u32).saturating_sub(self.workdays),
            },
            warnings,
        })
    }

    /// 已用工作日: working days counted in `(start, as_of]`, pauses excluded (0 when `as_of`
    /// is not after `start`). `workdays − counted` is what is left.
    pub fn counted_workdays(
        &self,
        cal: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Computed<u32>, CalendarError> {
        if as_of <= self.start {
            return Ok(Computed::clean(0));
        }
        let mut warnings = Warnings::default();
        let mut counted = take(&mut warnings, cal.workdays_between(self.start, as_of)?);
        for gap in self.gaps()? {
            if gap.from >= as_of {
                break;
            }
            let end = gap.to.map_or(as_of, |to| to.min(as_of));
            counted -= take(&mut warnings, cal.workdays_between(gap.from, end)?);
        }
        Ok(Computed {
            value: counted.max(0) as u32,
            warnings,
        })
    }
}

fn take<T>(warnings: &mut Warnings, c: Computed<T>) -> T {
    warnings.absorb(c.warnings);
    c.value
}
