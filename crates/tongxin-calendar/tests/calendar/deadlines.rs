//! 补正 pauses: 同政办规发〔2023〕7号 第九条（四） — 申请人补正、完善资料时间不计入审批时限.
//! A pause from P (request sent) to R (papers back) removes the working days in (P, R].

use chrono::NaiveDate;
use tongxin_calendar::{CalendarError, CalendarWarning, DeadlineStatus, WorkdayDeadline};

use crate::support::{cal, clean, d, ningxia};

fn due(deadline: &WorkdayDeadline) -> DeadlineStatus {
    clean(deadline.status(cal()).unwrap())
}

fn due_on(date: &str, paused: u32) -> DeadlineStatus {
    DeadlineStatus::Due {
        date: d(date),
        paused_workdays: paused,
    }
}

/// Accepted Monday 2024-03-04; 10 working days (临时用地 approval).
fn approval() -> WorkdayDeadline {
    WorkdayDeadline::new(d("2024-03-04"), 10)
}

#[test]
fn without_pauses_ten_working_days_from_monday_end_two_weeks_later() {
    assert_eq!(due(&approval()), due_on("2024-03-18", 0));
}

#[test]
fn a_single_correction_moves_the_due_date_by_the_working_days_paused() {
    // Request sent Wed 6 Mar, papers back Fri 8 Mar: Thu 7 and Fri 8 are not counted.
    let dl = approval().with_pause(d("2024-03-06"), Some(d("2024-03-08")));
    assert_eq!(due(&dl), due_on("2024-03-20", 2));
}

#[test]
fn the_day_the_request_is_sent_counts_and_the_day_papers_return_does_not() {
    let dl = approval().with_pause(d("2024-03-06"), Some(d("2024-03-07")));
    assert_eq!(due(&dl), due_on("2024-03-19", 1));
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-06")).unwrap()),
        2
    );
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-07")).unwrap()),
        2
    );
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-08")).unwrap()),
        3
    );
}

#[test]
fn several_corrections_add_up() {
    let dl = approval()
        .with_pause(d("2024-03-12"), Some(d("2024-03-13")))
        .with_pause(d("2024-03-06"), Some(d("2024-03-08")));
    assert_eq!(due(&dl), due_on("2024-03-21", 3));
}

#[test]
fn overlapping_corrections_are_counted_once() {
    let dl = approval()
        .with_pause(d("2024-03-06"), Some(d("2024-03-08")))
        .with_pause(d("2024-03-07"), Some(d("2024-03-11")));
    assert_eq!(due(&dl), due_on("2024-03-21", 3));
}

#[test]
fn a_correction_over_national_day_only_moves_the_due_date_by_working_days() {
    // Accepted Mon 2024-09-23. Unpaused: …27, Sun 29 (调休), 30, (1–7 Oct off), 8, 9, 10, 11.
    let dl = WorkdayDeadline::new(d("2024-09-23"), 10);
    assert_eq!(due(&dl), due_on("2024-10-11", 0));
    // Paused Fri 27 Sep → Wed 9 Oct: Sun 29, Mon 30, Tue 8, Wed 9 not counted (the holiday
    // days were not working days anyway); Sat 12 Oct is a 调休 working day.
    let dl = dl.with_pause(d("2024-09-27"), Some(d("2024-10-09")));
    assert_eq!(due(&dl), due_on("2024-10-16", 4));
}

#[test]
fn an_open_correction_suspends_the_deadline() {
    let dl = approval().with_pause(d("2024-03-06"), None);
    assert_eq!(
        due(&dl),
        DeadlineStatus::Suspended {
            since: d("2024-03-06"),
            counted_workdays: 2,
            remaining_workdays: 8
        }
    );
    assert_eq!(due(&dl).due_date(), None);
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-04-30")).unwrap()),
        2
    );
    // Papers back on Mon 11 Mar: 8 more from there.
    let back = approval().with_pause(d("2024-03-06"), Some(d("2024-03-11")));
    assert_eq!(due(&back), due_on("2024-03-21", 3));
}

#[test]
fn a_correction_requested_after_the_due_date_changes_nothing() {
    let dl = approval().with_pause(d("2024-03-25"), None);
    assert_eq!(due(&dl), due_on("2024-03-18", 0));
    let on_due_day = approval().with_pause(d("2024-03-18"), Some(d("2024-03-20")));
    assert_eq!(due(&on_due_day), due_on("2024-03-18", 0));
}

#[test]
fn a_pause_opened_before_acceptance_counts_from_acceptance() {
    let dl = approval().with_pause(d("2024-03-01"), Some(d("2024-03-05")));
    assert_eq!(due(&dl), due_on("2024-03-19", 1));
    let entirely_before = approval().with_pause(d("2024-02-26"), Some(d("2024-03-01")));
    assert_eq!(due(&entirely_before), due_on("2024-03-18", 0));
}

#[test]
fn a_pause_ending_before_it_starts_is_an_error() {
    let dl = approval().with_pause(d("2024-03-08"), Some(d("2024-03-06")));
    assert_eq!(
        dl.status(cal()).unwrap_err(),
        CalendarError::PauseEndsBeforeStart {
            from: d("2024-03-08"),
            to: d("2024-03-06")
        }
    );
}

#[test]
fn counted_workdays_excludes_paused_days() {
    let dl = approval().with_pause(d("2024-03-06"), Some(d("2024-03-08")));
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-12")).unwrap()),
        4
    );
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-04")).unwrap()),
        0
    );
    assert_eq!(
        clean(dl.counted_workdays(cal(), d("2024-03-01")).unwrap()),
        0
    );
}

#[test]
fn a_deadline_in_a_year_without_ningxia_data_carries_the_missing_year_warning() {
    let status = approval().status(ningxia()).unwrap();
    assert_eq!(status.value, due_on("2024-03-18", 0));
    assert_eq!(
        status.warnings.to_vec(),
        [CalendarWarning::RegionalYearMissing {
            region: "宁夏回族自治区".into(),
            year: 2024
        }]
    );
}

#[test]
fn a_deadline_accepted_at_year_end_warns_only_for_the_year_it_runs_in() {
    // Accepted Saturday 2022-12-31 (2022 unverified); the clock runs only in 2023 (missing).
    let dl = WorkdayDeadline::new(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(), 3);
    let warnings = dl.status(ningxia()).unwrap().warnings.to_vec();
    assert_eq!(
        warnings,
        [CalendarWarning::RegionalYearMissing {
            region: "宁夏回族自治区".into(),
            year: 2023
        }]
    );
}
