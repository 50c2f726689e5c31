//! Natural periods (民法典 第二百零一条–第二百零三条) and 旬/月/季/年.

use chrono::{Datelike, NaiveDate};
use tongxin_calendar::{CalendarError, Period, PeriodEnd, PeriodType, days_before};

use crate::support::{cal, clean, d};

fn end(start: &str, p: Period) -> PeriodEnd {
    clean(cal().period_end(d(start), p).unwrap())
}

fn unrolled(date: &str) -> PeriodEnd {
    PeriodEnd {
        natural_end: d(date),
        end: d(date),
        rolled_over: false,
    }
}

#[test]
fn one_month_from_january_31_ends_on_the_last_day_of_february_in_a_leap_year() {
    assert_eq!(end("2024-01-31", Period::Months(1)), unrolled("2024-02-29"));
}

#[test]
fn one_month_from_january_31_ends_on_february_28_in_a_common_year() {
    assert_eq!(end("2023-01-31", Period::Months(1)), unrolled("2023-02-28"));
}

#[test]
fn one_year_from_a_leap_day_ends_on_february_28() {
    assert_eq!(end("2024-02-29", Period::Years(1)), unrolled("2025-02-28"));
    // Four years on, the corresponding date exists again.
    assert_eq!(
        end("2020-02-29", Period::Years(4)).natural_end,
        d("2024-02-29")
    );
}

#[test]
fn a_month_ends_on_the_corresponding_date_when_it_exists() {
    assert_eq!(end("2024-03-15", Period::Months(1)), unrolled("2024-04-15"));
    assert_eq!(end("2024-03-31", Period::Months(1)), unrolled("2024-04-30"));
    assert_eq!(
        end("2024-08-31", Period::Months(6)).natural_end,
        d("2025-02-28")
    );
}

#[test]
fn the_start_day_is_not_counted_in_a_period_of_days() {
    assert_eq!(end("2024-03-04", Period::Days(1)), unrolled("2024-03-05"));
    assert_eq!(end("2024-01-01", Period::Days(30)), unrolled("2024-01-31"));
}

#[test]
fn a_period_ending_on_national_day_rolls_to_the_next_working_day() {
    let e = end("2024-09-01", Period::Months(1));
    assert_eq!(
        e,
        PeriodEnd {
            natural_end: d("2024-10-01"),
            end: d("2024-10-08"),
            rolled_over: true
        }
    );
    assert_eq!(end("2024-09-21", Period::Days(10)).end, d("2024-10-08"));
    assert_eq!(end("2023-10-01", Period::Years(1)).end, d("2024-10-08"));
}

#[test]
fn a_period_ending_on_a_saturday_rolls_to_monday() {
    let e = end("2024-02-02", Period::Months(1));
    assert_eq!(
        e,
        PeriodEnd {
            natural_end: d("2024-03-02"),
            end: d("2024-03-04"),
            rolled_over: true
        }
    );
}

#[test]
fn a_period_ending_on_a_makeup_sunday_does_not_roll() {
    assert_eq!(end("2024-01-04", Period::Months(1)), unrolled("2024-02-04"));
}

#[test]
fn a_period_ending_in_the_spring_festival_rolls_past_the_whole_block() {
    // 2026 春节 block 2月15日–23日 (9 days).
    let e = end("2026-01-16", Period::Months(1));
    assert_eq!(
        (e.natural_end, e.end, e.rolled_over),
        (d("2026-02-16"), d("2026-02-24"), true)
    );
}

#[test]
fn a_period_may_start_before_the_covered_years_since_only_its_end_is_consulted() {
    assert_eq!(end("2018-06-01", Period::Years(2)), unrolled("2020-06-01"));
}

#[test]
fn a_period_ending_in_2027_is_an_error_naming_2027() {
    assert_eq!(
        cal()
            .period_end(d("2026-06-30"), Period::Years(1))
            .unwrap_err(),
        CalendarError::YearNotCovered { year: 2027 }
    );
    // Ends 2026-12-31 (Thu), a working day, so nothing of 2027 is needed.
    assert_eq!(end("2026-11-30", Period::Days(31)), unrolled("2026-12-31"));
}

#[test]
fn thirty_days_before_expiry_counts_natural_days_without_rollover() {
    assert_eq!(days_before(d("2024-03-31"), 30).unwrap(), d("2024-03-01"));
    assert_eq!(days_before(d("2024-03-01"), 30).unwrap(), d("2024-01-31"));
    // 2024-10-31 − 30 = 2024-10-01, a holiday: no rollover.
    assert_eq!(days_before(d("2024-10-31"), 30).unwrap(), d("2024-10-01"));
    // Works outside the covered years: it needs no holiday data.
    assert_eq!(days_before(d("2030-01-31"), 30).unwrap(), d("2030-01-01"));
    assert_eq!(
        days_before(NaiveDate::MIN, 1).unwrap_err(),
        CalendarError::DateOutOfRange
    );
}

#[test]
fn periods_display_and_parse_in_both_notations() {
    assert_eq!(Period::Days(30).to_string(), "30日");
    assert_eq!(Period::Months(2).to_string(), "2个月");
    assert_eq!(Period::Years(1).to_string(), "1年");
    for (s, p) in [
        ("30d", Period::Days(30)),
        ("30日", Period::Days(30)),
        ("30天", Period::Days(30)),
        ("2m", Period::Months(2)),
        ("2个月", Period::Months(2)),
        ("1y", Period::Years(1)),
        ("1年", Period::Years(1)),
    ] {
        assert_eq!(s.parse::<Period>().unwrap(), p, "{s}");
    }
    assert!("2w".parse::<Period>().is_err());
    assert!("m".parse::<Period>().is_err());
}

#[test]
fn the_dekad_of_february_25_in_a_leap_year_is_21_to_29() {
    let p = PeriodType::Dekad.containing(d("2024-02-25"));
    assert_eq!((p.start(), p.end()), (d("2024-02-21"), d("2024-02-29")));
    assert_eq!(p.label(), "2024年2月下旬");
    assert_eq!(p.days(), 9);
}

#[test]
fn the_last_dekad_of_february_in_a_common_year_has_eight_days() {
    let p = PeriodType::Dekad.containing(d("2023-02-28"));
    assert_eq!(
        (p.start(), p.end(), p.days()),
        (d("2023-02-21"), d("2023-02-28"), 8)
    );
}

#[test]
fn the_last_dekad_of_a_31_day_month_has_eleven_days() {
    let p = PeriodType::Dekad.containing(d("2024-01-21"));
    assert_eq!((p.end(), p.days()), (d("2024-01-31"), 11));
}

#[test]
fn dekads_switch_on_the_10th_and_20th() {
    let label = |s| PeriodType::Dekad.containing(d(s)).label();
    assert_eq!(label("2024-02-01"), "2024年2月上旬");
    assert_eq!(label("2024-02-10"), "2024年2月上旬");
    assert_eq!(label("2024-02-11"), "2024年2月中旬");
    assert_eq!(label("2024-02-20"), "2024年2月中旬");
    assert_eq!(label("2024-02-21"), "2024年2月下旬");
}

#[test]
fn the_next_dekad_after_late_february_is_early_march() {
    let p = PeriodType::Dekad
        .containing(d("2024-02-25"))
        .next()
        .unwrap();
    assert_eq!(p.label(), "2024年3月上旬");
    assert_eq!(
        p.prev().unwrap(),
        PeriodType::Dekad.containing(d("2024-02-29"))
    );
    let dec = PeriodType::Dekad
        .containing(d("2024-12-31"))
        .next()
        .unwrap();
    assert_eq!(dec.label(), "2025年1月上旬");
}

#[test]
fn months_quarters_and_years_have_chinese_labels() {
    let m = PeriodType::Month.containing(d("2024-02-10"));
    assert_eq!(
        (m.start(), m.end(), m.label()),
        (d("2024-02-01"), d("2024-02-29"), "2024年2月".to_owned())
    );
    let q = PeriodType::Quarter.containing(d("2024-05-15"));
    assert_eq!(
        (q.start(), q.end(), q.label()),
        (
            d("2024-04-01"),
            d("2024-06-30"),
            "2024年第二季度".to_owned()
        )
    );
    assert_eq!(
        PeriodType::Quarter.containing(d("2024-02-29")).label(),
        "2024年第一季度"
    );
    assert_eq!(
        PeriodType::Quarter.containing(d("2024-12-01")).end(),
        d("2024-12-31")
    );
    let y = PeriodType::Year.containing(d("2024-07-01"));
    assert_eq!((y.label(), y.days()), ("2024年".to_owned(), 366));
    assert_eq!(y.next().unwrap().label(), "2025年");
}

#[test]
fn a_year_has_36_dekads_12_months_and_4_quarters() {
    let count = |t: PeriodType| t.overlapping(d("2024-01-01"), d("2024-12-31")).count();
    assert_eq!(count(PeriodType::Dekad), 36);
    assert_eq!(count(PeriodType::Month), 12);
    assert_eq!(count(PeriodType::Quarter), 4);
    assert_eq!(count(PeriodType::Year), 1);
    let labels: Vec<String> = PeriodType::Dekad
        .overlapping(d("2024-02-05"), d("2024-03-12"))
        .map(|p| p.label())
        .collect();
    assert_eq!(
        labels,
        [
            "2024年2月上旬",
            "2024年2月中旬",
            "2024年2月下旬",
            "2024年3月上旬",
            "2024年3月中旬"
        ]
    );
    assert_eq!(
        PeriodType::Month
            .overlapping(d("2024-03-01"), d("2024-02-01"))
            .count(),
        0
    );
}

#[test]
fn every_dekad_has_between_8_and_11_days_in_every_month_2019_to_2026() {
    for month in PeriodType::Month.overlapping(d("2019-01-01"), d("2026-12-31")) {
        let dekads: Vec<_> = PeriodType::Dekad
            .overlapping(month.start(), month.end())
            .collect();
        assert_eq!(dekads.len(), 3, "{month}");
        assert!(dekads.iter().all(|p| (8..=11).contains(&p.days()) && p.start().month() == month.start().month()));
    }
}

#[test]
fn a_period_is_read_as_departments_write_it() {
    use PeriodType::*;
    let cases: [(PeriodType, &str, Option<&str>); 30] = [
        (Month, "2023-11", Some("2023年11月")),
        (Month, "2023/11", Some("2023年11月")),
        (Month, "2023.11", Some("2023年11月")),
        (Month, "202311", Some("2023年11月")),
        (Month, "2023年11月", Some("2023年11月")),
        (Month, " 2023年1月 ", Some("2023年1月")),
        (Month, "2023-11-30", Some("2023年11月")),
        (Month, "2023/11/30", Some("2023年11月")),
        (Month, "2023年11月30日", Some("2023年11月")),
        (Month, "20231130", Some("2023年11月")),
        (Month, "2023-11-30 00:00:00", Some("2023年11月")),
        (Month, "2023-11-30T08:00", Some("2023年11月")),
        (Month, "2023年11月下旬", Some("2023年11月")),
        (Dekad, "2023年11月上旬", Some("2023年11月上旬")),
        (Dekad, "2023年11月中旬", Some("2023年11月中旬")),
        (Dekad, "2023-11-25", Some("2023年11月下旬")),
        (Quarter, "2023年第四季度", Some("2023年第四季度")),
        (Quarter, "2023Q1", Some("2023年第一季度")),
        (Quarter, "2023-08", Some("2023年第三季度")),
        (Year, "2023", Some("2023年")),
        (Year, "2023年", Some("2023年")),
        (Year, "2023年第二季度", Some("2023年")),
        // Coarser than the indicator's period, or not a period at all.
        (Dekad, "2023年11月", None),
        (Dekad, "202311", None),
        (Month, "2023年第四季度", None),
        (Month, "2023", None),
        (Month, "2023-13", None),
        (Month, "2023-02-30", None),
        (Month, "十一月", None),
        (Month, "2023年11月第5周", None),
    ];
    for (kind, text, want) in cases {
        assert_eq!(
            kind.parse(text).map(|p| p.label()).as_deref(),
            want,
            "{kind:?} {text}"
        );
    }
}

proptest::proptest! {
    /// Every period's own label reads back as that period.
    #[test]
    fn a_label_reads_back(days in 0i64..3000, k in 0usize..4) {
        let kind = [PeriodType::Dekad, PeriodType::Month, PeriodType::Quarter, PeriodType::Year][k];
        let p = kind.containing(d("2019-01-01") + chrono::Duration::days(days));
        proptest::prop_assert_eq!(kind.parse(&p.label()), Some(p));
    }
}
