//! The Spring Festival table (lunar.rs) checked against the State Council holiday notices in
//! data/calendar/cn-holidays-2019-2026.json: the statutory 春节 days start on 正月初一 up to
//! 2024 and on 除夕 (the day before) from 2025.

use chrono::NaiveDate;
use tongxin_docparse::lunar::spring_festival;

const HOLIDAYS: &str = include_str!("../../../data/calendar/cn-holidays-2019-2026.json");

#[test]
fn spring_festival_dates_agree_with_the_state_council_notices() {
    let data: serde_json::Value = serde_json::from_str(HOLIDAYS).unwrap();
    for year in 2019..=2026 {
        let holidays = data["years"][year.to_string()]["holidays"]
            .as_array()
            .unwrap();
        let spring = holidays.iter().find(|h| h["name"] == "春节").unwrap();
        let days: Vec<NaiveDate> = spring["statutory"]["春节"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().parse().unwrap())
            .collect();
        let new_year = if year >= 2025 { days[1] } else { days[0] };
        assert_eq!(spring_festival(year), Some(new_year), "{year}");
    }
}
