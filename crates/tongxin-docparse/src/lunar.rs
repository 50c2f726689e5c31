//! Lunar festival days (农历节日) checked against the solar date they are printed beside:
//! `2024年2月9日（大年三十）`. Only the days county documents annotate are known: 除夕/大年三十,
//! 春节/正月初一 … 正月三十, 元宵/正月十五, 小年 is not checked.

use chrono::{Duration, NaiveDate};

/// 春节 (正月初一) by Gregorian year, 2019–2030, checked against the State Council holiday
/// notices (国务院办公厅关于…部分节假日安排的通知), whose 春节 holidays start on 正月初一 until 2024
/// and on 除夕 from 2025 (see the test against data/cn-holidays-2019-2026.json).
const SPRING_FESTIVAL: [(i32, u32, u32); 12] = [
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
];

/// 春节 (正月初一) of a Gregorian year, when the table covers it.
pub fn spring_festival(year: i32) -> Option<NaiveDate> {
    SPRING_FESTIVAL
        .iter()
        .find(|(y, _, _)| *y == year)
        .and_then(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

/// Days after 正月初一 that a lunar annotation names, if it is one we know.
fn offset_from_new_year(term: &str) -> Option<i64> {
    let term = term.trim_end_matches('节').trim_end_matches('日');
    match term {
        "除夕" | "大年三十" | "大年夜" | "年三十" | "大年二十九" => {
            return Some(-1);
        }
        "春节" | "大年初一" => return Some(0),
        "元宵" => return Some(14),
        _ => {}
    }
    let day = term
        .strip_prefix("正月")
        .or_else(|| term.strip_prefix("大年"))
        .unwrap_or(term);
    let n = if let Some(rest) = day.strip_prefix('初') {
        crate::text::cn_number(rest)?
    } else if term.starts_with("正月") {
        crate::text::cn_number(day)?
    } else {
        return None;
    };
    (1..=30).contains(&n).then_some(i64::from(n) - 1)
}

/// What a lunar annotation says about its solar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LunarCheck {
    /// The annotation names this date.
    Agrees,
    /// The annotation names another date (the one given).
    Disagrees(NaiveDate),
    /// Not a lunar term we know, or a year outside the table.
    Unknown,
}

/// Checks `（正月十六）` against `2024-02-25`.
pub fn check(date: NaiveDate, term: &str) -> LunarCheck {
    use chrono::Datelike;
    let Some(offset) = offset_from_new_year(term) else {
        return LunarCheck::Unknown;
    };
    let Some(new_year) = spring_festival(date.year()) else {
        return LunarCheck::Unknown;
    };
    let expected = new_year + Duration::days(offset);
    if expected == date {
        LunarCheck::Agrees
    } else {
        LunarCheck::Disagrees(expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn spring_festival_dates_match_the_known_ones() {
        assert_eq!(spring_festival(2024), Some(d(2024, 2, 10)));
        assert_eq!(spring_festival(2025), Some(d(2025, 1, 29)));
        assert_eq!(spring_festival(2023), Some(d(2023, 1, 22)));
        assert_eq!(spring_festival(2031), None);
    }

    #[test]
    fn the_seed_lunar_annotations_agree_with_their_dates() {
        assert_eq!(check(d(2024, 2, 9), "大年三十"), LunarCheck::Agrees);
        assert_eq!(check(d(2024, 2, 25), "正月十六"), LunarCheck::Agrees);
        assert_eq!(check(d(2024, 2, 24), "正月十五"), LunarCheck::Agrees);
        assert_eq!(check(d(2024, 2, 24), "元宵节"), LunarCheck::Agrees);
        assert_eq!(check(d(2025, 1, 28), "除夕"), LunarCheck::Agrees);
        assert_eq!(check(d(2024, 2, 12), "正月初三"), LunarCheck::Agrees);
    }

    #[test]
    fn a_wrong_lunar_annotation_names_the_right_date() {
        assert_eq!(
            check(d(2024, 2, 8), "大年三十"),
            LunarCheck::Disagrees(d(2024, 2, 9))
        );
        assert_eq!(check(d(2024, 2, 8), "国庆"), LunarCheck::Unknown);
    }
}
