//! Shared helpers: the calendars are built once per test binary.

use std::sync::OnceLock;

use chrono::NaiveDate;
use tongxin_calendar::{Calendar, Computed, RegionalOverlay};

/// `d("2024-02-04")`.
pub fn d(s: &str) -> NaiveDate {
    s.parse()
        .unwrap_or_else(|e| panic!("bad test date {s}: {e}"))
}

/// The national calendar.
pub fn cal() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| Calendar::national().expect("built-in data loads"))
}

/// National + the built-in 宁夏 overlay (2019–2022, unverified).
pub fn ningxia() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| cal().with_overlay(&RegionalOverlay::ningxia_builtin().expect("loads")))
}

/// The value of a computation that must carry no warnings.
pub fn clean<T: std::fmt::Debug>(c: Computed<T>) -> T {
    assert!(c.warnings.is_empty(), "unexpected warnings: {}", c.warnings);
    c.value
}

pub fn is_workday(c: &Calendar, s: &str) -> bool {
    c.is_workday(d(s)).unwrap().value
}

pub fn add(c: &Calendar, s: &str, n: u32) -> NaiveDate {
    c.add_workdays(d(s), n).unwrap().value
}

/// Every covered date, 2019-01-01 ..= 2026-12-31.
pub fn every_day() -> impl Iterator<Item = NaiveDate> {
    let r = cal().covered_range();
    let (first, last) = (*r.start(), *r.end());
    first.iter_days().take_while(move |x| *x <= last)
}

/// Reference implementation: step day by day.
pub fn naive_add(c: &Calendar, start: NaiveDate, n: u32) -> Option<NaiveDate> {
    let mut x = start;
    let mut left = n;
    while left > 0 {
        x = x.succ_opt()?;
        if c.is_workday(x).ok()?.value {
            left -= 1;
        }
    }
    Some(x)
}
