//! Working-day arithmetic: the day of the event is not counted; the deadline is the n-th working
//! day after it (DOMAIN.md "Time", 行政许可法 第八十二条).

use tongxin_calendar::CalendarError;

use crate::support::{add, cal, clean, d};

#[test]
fn seventh_working_day_after_a_notice_skips_the_spring_festival() {
    // Thu 2024-02-08 → Fri 9, (10–17 off), Sun 18 (调休), Mon 19, Tue 20, Wed 21, Thu 22, Fri 23.
    assert_eq!(add(cal(), "2024-02-08", 7), d("2024-02-23"));
}

#[test]
fn the_day_of_the_event_is_not_counted() {
    assert_eq!(add(cal(), "2024-03-04", 1), d("2024-03-05"));
    assert_eq!(add(cal(), "2024-03-08", 1), d("2024-03-11"));
}

#[test]
fn a_makeup_sunday_counts_as_a_working_day() {
    // Fri 2024-02-02 → Sun 2024-02-04 is worked.
    assert_eq!(add(cal(), "2024-02-02", 1), d("2024-02-04"));
    assert_eq!(add(cal(), "2024-02-17", 1), d("2024-02-18"));
}

#[test]
fn starting_on_a_rest_day_counts_from_the_next_working_day() {
    assert_eq!(add(cal(), "2024-10-01", 1), d("2024-10-08"));
    assert_eq!(add(cal(), "2024-03-09", 1), d("2024-03-11"));
}

#[test]
fn adding_zero_working_days_returns_the_start_even_on_a_rest_day() {
    assert_eq!(add(cal(), "2024-10-01", 0), d("2024-10-01"));
    assert_eq!(add(cal(), "2024-03-05", 0), d("2024-03-05"));
}

#[test]
fn workdays_between_counts_the_half_open_interval_after_the_first_date() {
    // (2024-02-01, 2024-02-29]: Feb has 21 weekdays, minus 5 weekday holidays (12–16), plus
    // Sundays 4 and 18 worked, minus Feb 1 itself (not counted) = 21 − 5 + 2 − 1.
    assert_eq!(
        clean(
            cal()
                .workdays_between(d("2024-02-01"), d("2024-02-29"))
                .unwrap()
        ),
        17
    );
    assert_eq!(
        clean(
            cal()
                .workdays_between(d("2024-02-29"), d("2024-02-01"))
                .unwrap()
        ),
        -17
    );
    assert_eq!(
        clean(
            cal()
                .workdays_between(d("2024-02-10"), d("2024-02-17"))
                .unwrap()
        ),
        0
    );
    assert_eq!(
        clean(
            cal()
                .workdays_between(d("2024-02-10"), d("2024-02-10"))
                .unwrap()
        ),
        0
    );
}

#[test]
fn workdays_between_and_add_workdays_invert_each_other_across_a_holiday() {
    let a = d("2024-09-27");
    for n in 0..20 {
        let b = add(cal(), "2024-09-27", n);
        assert_eq!(clean(cal().workdays_between(a, b).unwrap()), n as i32);
    }
    // To a rest day: (Fri 27 Sep, Sat 5 Oct] holds Sun 29 Sep (调休) and Mon 30 Sep, and adding
    // that count back lands on the last working day before the holiday.
    let n = clean(cal().workdays_between(a, d("2024-10-05")).unwrap());
    assert_eq!(n, 2);
    assert_eq!(add(cal(), "2024-09-27", n as u32), d("2024-09-30"));
}

#[test]
fn sub_workdays_goes_back_over_a_holiday() {
    assert_eq!(
        clean(cal().sub_workdays(d("2024-10-08"), 1).unwrap()),
        d("2024-09-30")
    );
    assert_eq!(
        clean(cal().sub_workdays(d("2024-10-08"), 2).unwrap()),
        d("2024-09-29")
    );
    assert_eq!(
        clean(cal().sub_workdays(d("2024-10-08"), 0).unwrap()),
        d("2024-10-08")
    );
}

#[test]
fn workday_on_or_after_rolls_a_holiday_to_the_next_working_day() {
    assert_eq!(
        clean(cal().workday_on_or_after(d("2024-10-01")).unwrap()),
        d("2024-10-08")
    );
    assert_eq!(
        clean(cal().workday_on_or_after(d("2024-10-08")).unwrap()),
        d("2024-10-08")
    );
}

#[test]
fn a_date_in_2018_is_not_covered_and_the_error_names_2018() {
    let err = cal().is_workday(d("2018-12-29")).unwrap_err();
    assert_eq!(err, CalendarError::YearNotCovered { year: 2018 });
    assert_eq!(
        err.to_string(),
        "日历数据未覆盖2018年（缺少国务院办公厅2018年节假日安排通知）"
    );
    assert_eq!(
        cal().add_workdays(d("2018-12-30"), 1).unwrap_err(),
        CalendarError::YearNotCovered { year: 2018 }
    );
    assert_eq!(
        cal().sub_workdays(d("2019-01-02"), 1).unwrap_err(),
        CalendarError::YearNotCovered { year: 2018 }
    );
}

#[test]
fn counting_from_december_31_2018_consults_only_2019_and_is_allowed() {
    // (2018-12-31, …] starts on 2019-01-01 (元旦): the first working day is 2 January.
    assert_eq!(add(cal(), "2018-12-31", 1), d("2019-01-02"));
    assert_eq!(
        clean(
            cal()
                .workdays_between(d("2018-12-31"), d("2019-01-31"))
                .unwrap()
        ),
        22
    );
}

#[test]
fn a_date_in_2027_is_not_covered_and_the_error_names_2027() {
    let err = cal().is_workday(d("2027-01-04")).unwrap_err();
    assert_eq!(err, CalendarError::YearNotCovered { year: 2027 });
    assert_eq!(
        err.to_string(),
        "日历数据未覆盖2027年（缺少国务院办公厅2027年节假日安排通知）"
    );
    assert_eq!(
        cal()
            .workdays_between(d("2026-12-01"), d("2027-01-05"))
            .unwrap_err(),
        CalendarError::YearNotCovered { year: 2027 }
    );
}

#[test]
fn running_past_2026_names_2027_even_from_a_covered_start() {
    assert_eq!(add(cal(), "2026-12-30", 1), d("2026-12-31"));
    assert_eq!(
        cal().add_workdays(d("2026-12-30"), 2).unwrap_err(),
        CalendarError::YearNotCovered { year: 2027 }
    );
    assert_eq!(add(cal(), "2026-12-31", 0), d("2026-12-31"));
}

#[test]
fn working_days_per_year_match_the_notice_derived_counts() {
    let expected = [
        (2019, 250),
        (2020, 249),
        (2021, 250),
        (2022, 249),
        (2023, 249),
        (2024, 251),
        (2025, 248),
        (2026, 248),
    ];
    for (year, n) in expected {
        assert_eq!(clean(cal().workdays_in_year(year).unwrap()), n, "{year}");
    }
    assert_eq!(
        cal().workdays_in_year(2027).unwrap_err(),
        CalendarError::YearNotCovered { year: 2027 }
    );
}
