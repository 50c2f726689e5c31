//! Official Chinese working-day calendar and legal period arithmetic (工作日, 调休, 法定节假日).
//!
//! Pure: no I/O, no async, no clock. The State Council notices for 2019–2026 and the
//! 宁夏回族自治区 overlay are built into the binary (`data/calendar/`) and parsed once, when a
//! [`Calendar`] is constructed; every query after that is a table lookup.
//!
//! # The rules this crate implements (DOMAIN.md, "Time")
//!
//! * **工作日 (working days).** A date is a working day iff the notice lists it as a 调休
//!   working day, or it is Monday–Friday and the notice does not list it as a day off.
//!   行政许可法 第八十二条: 期限以工作日计算，不含法定节假日. The day of the triggering event is
//!   not counted: [`Calendar::add_workdays`]`(start, n)` is the n-th working day *strictly after*
//!   `start`.
//! * **自然期间 (natural periods).** 民法典 第二百零一条–第二百零三条: the start day is not
//!   counted; a month or year period ends on the corresponding date of the last month, or on
//!   that month's last day if it has none; a last day that is a rest day rolls to the next
//!   working day ([`Calendar::period_end`]). "期满前30日" is [`days_before`], natural days, no
//!   rollover.
//! * **补正 pauses.** 同政办规发〔2023〕7号 第九条（四）: 申请人补正、完善资料时间不计入审批时限
//!   ([`WorkdayDeadline`]).
//! * **旬/月/季/年** calendar periods ([`PeriodType`], [`PeriodInstance`]).
//! * **Regional overlay.** A county's calendar is the national one plus its region's extra days
//!   off ([`RegionalOverlay`], [`Calendar::with_overlay`]); a year the overlay lacks is computed
//!   on the national calendar and every result touching it carries a
//!   [`CalendarWarning::RegionalYearMissing`].
//!
//! # Results carry warnings
//!
//! Every query returns `Result<Computed<T>, CalendarError>`. The error is for what cannot be
//! computed at all (a year without a State Council notice); [`Computed::warnings`] is for what
//! was computed on incomplete or unverified regional data and must be shown to the official.
//! [`Computed`] is `#[must_use]`, and destructuring it names both parts, so warnings are not
//! dropped by accident. On the national calendar (no overlay) warnings are always empty and
//! cost one branch.
//!
//! # Covered range
//!
//! 2019-01-01 ..= 2026-12-31. A computation fails with [`CalendarError::YearNotCovered`] only
//! when it needs the status of a day outside that range, and the error names that day's year
//! (so `add_workdays(2026-12-30, 5)` names 2027). The 2019 notice also lists 2018-12-29..=31;
//! those dates are kept in the data file as published, but 2018 is not covered: the rest of
//! 2018 would need the 2018 notice, and a calendar that knows three days of a year would make
//! "covered" mean something different per date.
//!
//! ```
//! use chrono::NaiveDate;
//! use tongxin_calendar::{Calendar, Computed};
//!
//! let cal = Calendar::national()?;
//! let d = |s: &str| s.parse::<NaiveDate>().unwrap();
//! // 2024-02-04 (Sunday) is a 调休 working day; 2024-02-10..=17 is the Spring Festival.
//! let Computed { value, warnings } = cal.add_workdays(d("2024-02-08"), 2)?;
//! assert_eq!(value, d("2024-02-18"));
//! assert!(warnings.is_empty());
//! # Ok::<(), tongxin_calendar::CalendarError>(())
//! ```

#![warn(missing_docs)]

mod calendar;
mod calendar_period;
mod data;
mod deadline;
mod error;
mod legal_period;
mod overlay;
mod query;

pub use calendar::{
    Calendar, DayInfo, DayKind, HolidayArrangement, Notice, NoticeText, YearNotices,
};
pub use calendar_period::{PeriodInstance, PeriodType};
pub use deadline::{DeadlineStatus, Pause, WorkdayDeadline};
pub use error::{CalendarError, CalendarWarning, Computed, OverlayError, Warnings};
pub use legal_period::{Period, PeriodEnd, PeriodParseError, days_before};
pub use overlay::{OverlayYear, RegionalDay, RegionalOverlay};
pub use query::{Answer, Query, QueryError};
