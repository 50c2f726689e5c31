//! The one clock. Nothing else in Tongxin reads the system time: the server gets a clock at
//! start (`--today` fixes the date for demos, training and tests) and passes it down.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use std::sync::Mutex;

/// China Standard Time, the county's time zone (UTC+8, no daylight saving).
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the county (UTC+8).
    fn today(&self) -> NaiveDate {
        self.now().with_timezone(&china_offset()).date_naive()
    }
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A fixed county date (`--today`), with the real time of day so that sessions still idle out.
#[derive(Debug, Clone, Copy)]
pub struct FixedDateClock {
    pub date: NaiveDate,
}

impl Clock for FixedDateClock {
    fn now(&self) -> DateTime<Utc> {
        let real = SystemClock.now().with_timezone(&china_offset());
        let local = self.date.and_time(real.time());
        china_offset()
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(real.with_timezone(&Utc))
    }
}

/// A clock that moves only when told (tests).
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock to `at` (tests that walk a case through dated steps).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }

    pub fn advance(&self, by: Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|t| *t).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_date_clock_answers_that_date_in_the_county() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 9).unwrap();
        assert_eq!(FixedDateClock { date: d }.today(), d);
    }

    #[test]
    fn the_county_date_turns_at_midnight_beijing_time() {
        let c = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 28, 15, 59, 0).unwrap());
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
        c.advance(Duration::minutes(1));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    }
}
