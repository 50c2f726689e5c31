//! 期间: natural periods under 民法典 第二百零一条–第二百零三条.
//!
//! > 第二百零一条 按照年、月、日、小时计算期间的，开始的当日不计入，自下一日开始计算。
//! > 第二百零二条 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为
//! > 期间的最后一日。
//! > 第二百零三条 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
//!
//! "法定休假日" is read as any rest day (weekend or holiday), as the courts do; the day after
//! the rest ends is the next working day. [`crate::Calendar::period_end`] applies the roll-over;
//! [`Period::natural_end`] is the date before it.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};

use crate::error::CalendarError;

/// 期间: a natural period of days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// 日: `n` days.
    Days(u32),
    /// 月 (个月): `n` months.
    Months(u32),
    /// 年: `n` years.
    Years(u32),
}

/// 期间届满: the end of a natural period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeriodEnd {
    /// The last day before the rest-day rule (第二百零二条).
    pub natural_end: NaiveDate,
    /// The last day of the period (第二百零三条): `natural_end`, or the next working day.
    pub end: NaiveDate,
    /// 顺延: true when `natural_end` was a rest day and the period was extended.
    pub rolled_over: bool,
}

impl Period {
    /// 自然届满日: the last day of the period before the rest-day rule.
    ///
    /// `Days(n)`: `start + n` days (start not counted, so a 1-day period ends the next day).
    /// `Months(n)` / `Years(n)`: the same day-of-month `n` months / years later, or that
    /// month's last day when it has none.
    pub fn natural_end(self, start: NaiveDate) -> Result<NaiveDate, CalendarError> {
        match self {
            Period::Days(n) => start.checked_add_days(Days::new(u64::from(n))),
            // chrono clamps to the month's last day: exactly 第二百零二条.
            Period::Months(n) => start.checked_add_months(Months::new(n)),
            Period::Years(n) => n
                .checked_mul(12)
                .and_then(|m| start.checked_add_months(Months::new(m))),
        }
        .ok_or(CalendarError::DateOutOfRange)
    }
}

impl fmt::Display for Period {
    /// `30日`, `2个月`, `1年`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Days(n) => write!(f, "{n}日"),
            Period::Months(n) => write!(f, "{n}个月"),
            Period::Years(n) => write!(f, "{n}年"),
        }
    }
}

/// Why a period does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别的期间“{0}”（应为如 30d、2m、1y 或 30日、2个月、1年）")]
pub struct PeriodParseError(pub String);

impl FromStr for Period {
    type Err = PeriodParseError;

    /// Accepts `30d` / `30日` / `30天`, `2m` / `2个月` / `2月`, `1y` / `1年`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let err = || PeriodParseError(s.to_owned());
        let n: u32 = t[..digits].parse().map_err(|_| err())?;
        match &t[digits..] {
            "d" | "D" | "日" | "天" => Ok(Period::Days(n)),
            "m" | "M" | "个月" | "月" => Ok(Period::Months(n)),
            "y" | "Y" | "年" => Ok(Period::Years(n)),
            _ => Err(err()),
        }
    }
}

/// 期满前N日: the date `n` natural days before `date`, no roll-over ("期满前30日" is
/// `days_before(end, 30)`).
///
/// Needs no holiday data, so it is not a [`crate::Calendar`] method and works for any date.
pub fn days_before(date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
    date.checked_sub_days(Days::new(u64::from(n)))
        .ok_or(CalendarError::DateOutOfRange)
}
