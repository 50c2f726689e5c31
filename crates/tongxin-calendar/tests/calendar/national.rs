//! Every year's days off and working weekends, as the State Council notices state them.
//!
//! The tables are written from the notice texts, independently of `data/calendar/cn/*.json`;
//! each test checks every day of its year: a day is a working day iff it is a listed 调休
//! working day, or Monday–Friday and not inside a listed block.

use chrono::{Datelike, NaiveDate, Weekday};
use tongxin_calendar::DayKind;

use crate::support::{cal, clean, d, is_workday};

struct Notice {
    year: i32,
    /// 放假 blocks as the notice states them, inclusive (weekend days inside included).
    off: &'static [(&'static str, &'static str)],
    /// …上班 weekend days.
    makeup: &'static [&'static str],
    working_days: u32,
}

fn assert_year(n: &Notice) {
    let off: Vec<(NaiveDate, NaiveDate)> = n.off.iter().map(|(a, b)| (d(a), d(b))).collect();
    let makeup: Vec<NaiveDate> = n.makeup.iter().map(|s| d(s)).collect();
    for m in &makeup {
        assert!(
            matches!(m.weekday(), Weekday::Sat | Weekday::Sun),
            "{m} is a weekday"
        );
    }
    let first = NaiveDate::from_ymd_opt(n.year, 1, 1).unwrap();
    let mut count = 0;
    for day in first.iter_days().take_while(|x| x.year() == n.year) {
        let in_block = off.iter().any(|(a, b)| *a <= day && day <= *b);
        let expected = makeup.contains(&day)
            || (!in_block && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun));
        let got = clean(cal().is_workday(day).unwrap());
        assert_eq!(got, expected, "{day} ({:?})", day.weekday());
        let kind = clean(cal().day_info(day).unwrap()).kind;
        if in_block {
            assert_eq!(kind, DayKind::Holiday, "{day}");
        } else if makeup.contains(&day) {
            assert_eq!(kind, DayKind::MakeupWorkday, "{day}");
        }
        count += u32::from(expected);
    }
    assert_eq!(count, n.working_days, "working days in {}", n.year);
    assert_eq!(
        clean(cal().workdays_in_year(n.year).unwrap()),
        n.working_days
    );
    assert_eq!(cal().notices(n.year).unwrap().working_days, n.working_days);
}

#[test]
fn notice_2019_reproduced_including_the_amended_labour_day() {
    assert_year(&Notice {
        year: 2019,
        off: &[
            ("2018-12-30", "2019-01-01"),
            ("2019-02-04", "2019-02-10"),
            ("2019-04-05", "2019-04-05"),
            ("2019-05-01", "2019-05-04"),
            ("2019-06-07", "2019-06-07"),
            ("2019-09-13", "2019-09-13"),
            ("2019-10-01", "2019-10-07"),
        ],
        makeup: &[
            "2019-02-02",
            "2019-02-03",
            "2019-04-28",
            "2019-05-05",
            "2019-09-29",
            "2019-10-12",
        ],
        working_days: 250,
    });
}

#[test]
fn notice_2020_reproduced_with_the_spring_festival_extended_to_february_2() {
    assert_year(&Notice {
        year: 2020,
        off: &[
            ("2020-01-01", "2020-01-01"),
            ("2020-01-24", "2020-02-02"),
            ("2020-04-04", "2020-04-06"),
            ("2020-05-01", "2020-05-05"),
            ("2020-06-25", "2020-06-27"),
            ("2020-10-01", "2020-10-08"),
        ],
        makeup: &[
            "2020-01-19",
            "2020-04-26",
            "2020-05-09",
            "2020-06-28",
            "2020-09-27",
            "2020-10-10",
        ],
        working_days: 249,
    });
}

#[test]
fn notice_2021_reproduced() {
    assert_year(&Notice {
        year: 2021,
        off: &[
            ("2021-01-01", "2021-01-03"),
            ("2021-02-11", "2021-02-17"),
            ("2021-04-03", "2021-04-05"),
            ("2021-05-01", "2021-05-05"),
            ("2021-06-12", "2021-06-14"),
            ("2021-09-19", "2021-09-21"),
            ("2021-10-01", "2021-10-07"),
        ],
        makeup: &[
            "2021-02-07",
            "2021-02-20",
            "2021-04-25",
            "2021-05-08",
            "2021-09-18",
            "2021-09-26",
            "2021-10-09",
        ],
        working_days: 250,
    });
}

#[test]
fn notice_2022_reproduced_and_december_31_off_by_the_2023_notice() {
    assert_year(&Notice {
        year: 2022,
        off: &[
            ("2022-01-01", "2022-01-03"),
            ("2022-01-31", "2022-02-06"),
            ("2022-04-03", "2022-04-05"),
            ("2022-04-30", "2022-05-04"),
            ("2022-06-03", "2022-06-05"),
            ("2022-09-10", "2022-09-12"),
            ("2022-10-01", "2022-10-07"),
            ("2022-12-31", "2022-12-31"),
        ],
        makeup: &[
            "2022-01-29",
            "2022-01-30",
            "2022-04-02",
            "2022-04-24",
            "2022-05-07",
            "2022-10-08",
            "2022-10-09",
        ],
        working_days: 249,
    });
    let info = clean(cal().day_info(d("2022-12-31")).unwrap());
    assert_eq!(info.notice.as_deref(), Some("国办发明电〔2022〕16号"));
}

#[test]
fn notice_2023_reproduced() {
    assert_year(&Notice {
        year: 2023,
        off: &[
            ("2023-01-01", "2023-01-02"),
            ("2023-01-21", "2023-01-27"),
            ("2023-04-05", "2023-04-05"),
            ("2023-04-29", "2023-05-03"),
            ("2023-06-22", "2023-06-24"),
            ("2023-09-29", "2023-10-06"),
        ],
        makeup: &[
            "2023-01-28",
            "2023-01-29",
            "2023-04-23",
            "2023-05-06",
            "2023-06-25",
            "2023-10-07",
            "2023-10-08",
        ],
        working_days: 249,
    });
}

#[test]
fn notice_2024_reproduced_with_sunday_february_4_worked_and_february_10_to_17_off() {
    assert_year(&Notice {
        year: 2024,
        off: &[
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        makeup: &[
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
        working_days: 251,
    });
}

#[test]
fn notice_2025_reproduced_under_the_13_statutory_days_rule() {
    assert_year(&Notice {
        year: 2025,
        off: &[
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        makeup: &[
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ],
        working_days: 248,
    });
}

#[test]
fn notice_2026_reproduced_with_a_nine_day_spring_festival() {
    assert_year(&Notice {
        year: 2026,
        off: &[
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        makeup: &[
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
        working_days: 248,
    });
}

#[test]
fn sunday_2024_02_04_is_a_makeup_working_day_named_after_the_spring_festival() {
    let info = clean(cal().day_info(d("2024-02-04")).unwrap());
    assert_eq!(info.kind, DayKind::MakeupWorkday);
    assert!(info.is_workday());
    assert_eq!(info.name.as_deref(), Some("春节调休"));
    assert_eq!(info.notice.as_deref(), Some("国办发明电〔2023〕7号"));
}

#[test]
fn new_years_eve_2024_was_a_working_day_because_the_notice_only_encouraged_rest() {
    assert!(is_workday(cal(), "2024-02-09"));
}

#[test]
fn from_2025_new_years_eve_and_may_2_are_statutory_days_off() {
    for day in ["2025-01-28", "2025-05-02"] {
        let info = clean(cal().day_info(d(day)).unwrap());
        assert_eq!(info.kind, DayKind::Holiday, "{day}");
        assert!(info.statutory, "{day} is a statutory day");
    }
    // 2024: 5月2日 was a 调休 rest day, not a statutory one.
    let may2 = clean(cal().day_info(d("2024-05-02")).unwrap());
    assert_eq!((may2.kind, may2.statutory), (DayKind::Holiday, false));
    let statutory = |y| cal().notices(y).unwrap().statutory_days;
    assert_eq!(
        (statutory(2024), statutory(2025), statutory(2026)),
        (11, 13, 13)
    );
}

#[test]
fn the_2020_extension_cancelled_the_february_1_makeup_saturday() {
    let info = clean(cal().day_info(d("2020-02-01")).unwrap());
    assert_eq!(info.kind, DayKind::Holiday);
    assert_eq!(info.notice.as_deref(), Some("国办发明电〔2020〕1号"));
    assert!(!is_workday(cal(), "2020-01-31"));
    assert!(is_workday(cal(), "2020-02-03"));
    assert_eq!(
        cal().notices(2020).unwrap().amending[0].number,
        "国办发明电〔2020〕1号"
    );
}

#[test]
fn labour_day_2019_follows_the_amending_notice() {
    assert!(!is_workday(cal(), "2019-05-02"));
    assert!(is_workday(cal(), "2019-04-28"));
    assert!(is_workday(cal(), "2019-05-05"));
    let info = clean(cal().day_info(d("2019-05-03")).unwrap());
    assert_eq!(info.notice.as_deref(), Some("国办发明电〔2019〕3号"));
    let info = clean(cal().day_info(d("2019-05-01")).unwrap());
    assert_eq!(info.notice.as_deref(), Some("国办发明电〔2018〕15号"));
}

#[test]
fn every_year_cites_its_notice() {
    let expected = [
        (2019, "国办发明电〔2018〕15号"),
        (2020, "国办发明电〔2019〕16号"),
        (2021, "国办发明电〔2020〕27号"),
        (2022, "国办发明电〔2021〕11号"),
        (2023, "国办发明电〔2022〕16号"),
        (2024, "国办发明电〔2023〕7号"),
        (2025, "国办发明电〔2024〕12号"),
        (2026, "国办发明电〔2025〕7号"),
    ];
    for (year, number) in expected {
        let n = cal().notices(year).unwrap();
        assert_eq!(n.notice.number, number);
        assert_eq!(
            n.notice.title,
            format!("国务院办公厅关于{year}年部分节假日安排的通知")
        );
    }
    assert!(cal().notices(2027).is_none());
    assert_eq!(cal().covered_years(), 2019..=2026);
}

#[test]
fn ordinary_weekdays_and_weekends_are_described_as_such() {
    let mon = clean(cal().day_info(d("2024-03-04")).unwrap());
    assert_eq!((mon.kind, mon.name), (DayKind::Workday, None));
    let sat = clean(cal().day_info(d("2024-03-02")).unwrap());
    assert_eq!(sat.kind, DayKind::Weekend);
}
