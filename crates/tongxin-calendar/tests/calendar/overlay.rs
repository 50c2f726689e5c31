//! The 宁夏回族自治区 overlay: national calendar plus 开斋节 and 古尔邦节 days off.

use chrono::NaiveDate;
use tongxin_calendar::{
    CalendarWarning, DayKind, OverlayError, Period, RegionalOverlay, WorkdayDeadline,
};

use crate::support::{add, cal, clean, d, is_workday, ningxia};

fn missing(year: i32) -> CalendarWarning {
    CalendarWarning::RegionalYearMissing {
        region: "宁夏回族自治区".into(),
        year,
    }
}

#[test]
fn eid_al_fitr_2019_06_05_is_off_in_ningxia_but_a_working_day_nationally() {
    assert!(is_workday(cal(), "2019-06-05"));
    assert!(!is_workday(ningxia(), "2019-06-05"));
    let info = ningxia().day_info(d("2019-06-05")).unwrap().value;
    assert_eq!(info.kind, DayKind::RegionalHoliday);
    assert_eq!(info.name.as_deref(), Some("开斋节"));
    assert_eq!(info.notice.as_deref(), Some("宁政办发〔2018〕137号"));
}

#[test]
fn ningxia_deadlines_skip_the_regional_days_off() {
    // Tue 2019-06-04 + 1: 5–6 Jun 开斋节 (Ningxia), 7 Jun 端午节 (national) → Mon 10 Jun.
    assert_eq!(add(cal(), "2019-06-04", 1), d("2019-06-05"));
    assert_eq!(add(ningxia(), "2019-06-04", 1), d("2019-06-10"));
    assert_eq!(add(ningxia(), "2022-07-08", 1), d("2022-07-13"));
}

#[test]
fn built_in_ningxia_years_are_unverified_and_say_so() {
    let c = ningxia().is_workday(d("2019-06-05")).unwrap();
    let w = c.warnings.to_vec();
    assert_eq!(
        w,
        [CalendarWarning::RegionalYearUnverified {
            region: "宁夏回族自治区".into(),
            year: 2019,
            notice: "宁政办发〔2018〕137号".into()
        }]
    );
    assert_eq!(
        c.warnings.to_string(),
        "宁夏回族自治区2019年节假日安排（宁政办发〔2018〕137号）尚未与原文核对，结果仅供参考"
    );
    let overlay = RegionalOverlay::ningxia_builtin().unwrap();
    assert_eq!(
        overlay.years().map(|y| y.year).collect::<Vec<_>>(),
        [2019, 2020, 2021, 2022]
    );
    assert!(overlay.years().all(|y| !y.verified));
}

#[test]
fn a_2024_computation_in_ningxia_warns_that_the_regional_year_is_missing() {
    let c = ningxia().add_workdays(d("2024-02-08"), 7).unwrap();
    assert_eq!(c.value, d("2024-02-23"));
    assert_eq!(c.warnings.to_vec(), [missing(2024)]);
    assert_eq!(
        c.warnings.to_string(),
        "宁夏回族自治区2024年节假日安排未录入，按全国日历计算"
    );
    let p = ningxia()
        .period_end(d("2024-09-01"), Period::Months(1))
        .unwrap();
    assert_eq!(p.warnings.to_vec(), [missing(2024)]);
    assert_eq!(
        ningxia()
            .is_workday(d("2024-06-17"))
            .unwrap()
            .warnings
            .len(),
        1
    );
}

#[test]
fn a_computation_spanning_years_warns_for_each_year_it_touches() {
    let c = ningxia()
        .workdays_between(d("2023-12-01"), d("2025-01-10"))
        .unwrap();
    assert_eq!(
        c.warnings.to_vec(),
        [missing(2023), missing(2024), missing(2025)]
    );
    assert_eq!(
        ningxia()
            .warnings_for(d("2022-12-01"), d("2023-01-31"))
            .len(),
        2
    );
}

#[test]
fn the_national_calendar_never_warns() {
    assert!(
        cal()
            .add_workdays(d("2024-02-08"), 7)
            .unwrap()
            .warnings
            .is_empty()
    );
    assert!(
        cal()
            .warnings_for(d("2019-01-01"), d("2026-12-31"))
            .is_empty()
    );
}

#[test]
fn adding_zero_working_days_consults_no_day_and_so_warns_about_none() {
    assert!(
        ningxia()
            .add_workdays(d("2024-02-08"), 0)
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn an_administrator_entered_verified_year_computes_without_warnings() {
    let mut overlay = RegionalOverlay::ningxia_builtin().unwrap();
    // Illustrative 2024 entry (古尔邦节 on Mon 17 Jun), as an administrator would type it.
    overlay
        .add_year(
            2024,
            "宁政办发〔2023〕XX号".into(),
            vec![d("2024-06-17")],
            vec![],
            true,
        )
        .unwrap();
    let c = cal().with_overlay(&overlay);
    assert!(!clean(c.is_workday(d("2024-06-17")).unwrap()));
    assert_eq!(
        clean(c.add_workdays(d("2024-06-14"), 1).unwrap()),
        d("2024-06-18")
    );
    assert_eq!(clean(c.workdays_in_year(2024).unwrap()), 250);
    assert_eq!(
        c.is_workday(d("2025-03-03")).unwrap().warnings.to_vec(),
        [missing(2025)]
    );
}

#[test]
fn an_extra_working_weekend_day_becomes_a_working_day() {
    let mut overlay = RegionalOverlay::new("宁夏回族自治区").unwrap();
    overlay
        .add_year(
            2024,
            "测试通知".into(),
            vec![d("2024-06-17"), d("2024-06-18")],
            vec![d("2024-06-23")],
            true,
        )
        .unwrap();
    let c = cal().with_overlay(&overlay);
    let info = c.day_info(d("2024-06-23")).unwrap().value;
    assert_eq!(info.kind, DayKind::RegionalWorkday);
    assert_eq!(
        c.add_workdays(d("2024-06-14"), 1).unwrap().value,
        d("2024-06-19")
    );
    assert_eq!(
        c.add_workdays(d("2024-06-21"), 1).unwrap().value,
        d("2024-06-23")
    );
}

#[test]
fn with_overlay_replaces_rather_than_stacks_overlays() {
    let empty = RegionalOverlay::new("宁夏回族自治区").unwrap();
    let c = ningxia().with_overlay(&empty);
    assert!(is_workday(&c, "2019-06-05"));
    assert_eq!(c.region(), Some("宁夏回族自治区"));
    assert_eq!(
        c.is_workday(d("2019-06-05")).unwrap().warnings.to_vec(),
        [missing(2019)]
    );
}

#[test]
fn add_year_rejects_what_a_notice_cannot_say() {
    let mut o = RegionalOverlay::new("宁夏回族自治区").unwrap();
    let year = |o: &mut RegionalOverlay, off: Vec<NaiveDate>, work: Vec<NaiveDate>| {
        o.add_year(2024, "宁政办发〔2023〕XX号".into(), off, work, false)
    };
    assert_eq!(
        year(&mut o, vec![d("2025-01-02")], vec![]),
        Err(OverlayError::DateOutsideYear {
            date: d("2025-01-02"),
            year: 2024
        })
    );
    assert_eq!(
        year(&mut o, vec![], vec![d("2024-06-19")]),
        Err(OverlayError::ExtraWorkdayNotWeekend {
            date: d("2024-06-19")
        })
    );
    assert_eq!(
        year(&mut o, vec![d("2024-06-17"), d("2024-06-17")], vec![]),
        Err(OverlayError::DuplicateDate {
            date: d("2024-06-17")
        })
    );
    assert_eq!(
        year(&mut o, vec![d("2024-06-22")], vec![d("2024-06-22")]),
        Err(OverlayError::DateInBothLists {
            date: d("2024-06-22")
        })
    );
    assert_eq!(
        o.add_year(2024, "  ".into(), vec![], vec![], false),
        Err(OverlayError::MissingNotice { year: 2024 })
    );
    assert_eq!(RegionalOverlay::new(" "), Err(OverlayError::EmptyRegion));
    // A failed entry leaves nothing behind; a valid one is accepted once.
    assert!(o.year(2024).is_none());
    assert_eq!(year(&mut o, vec![d("2024-06-17")], vec![]), Ok(()));
    assert_eq!(
        year(&mut o, vec![d("2024-06-18")], vec![]),
        Err(OverlayError::YearAlreadyEntered { year: 2024 })
    );
    assert_eq!(
        OverlayError::ExtraWorkdayNotWeekend {
            date: d("2024-06-19")
        }
        .to_string(),
        "2024-06-19不是周末，不能列为调休上班日"
    );
}

#[test]
fn a_year_can_be_replaced_and_marked_verified() {
    let mut o = RegionalOverlay::ningxia_builtin().unwrap();
    assert!(o.mark_verified(2019, "宁政办发〔2018〕137号".into()));
    assert!(!o.mark_verified(2024, "x".into()));
    let old = o.remove_year(2022).unwrap();
    assert_eq!(old.extra_off.len(), 2);
    o.add_year(
        2022,
        "宁政办发〔2021〕XX号".into(),
        vec![d("2022-07-11")],
        vec![],
        true,
    )
    .unwrap();
    let c = cal().with_overlay(&o);
    assert!(c.is_workday(d("2019-06-05")).unwrap().warnings.is_empty());
    assert!(is_workday(&c, "2022-07-12"));
}

#[test]
fn a_deadline_over_a_regional_holiday_moves_in_ningxia_only() {
    // Accepted Mon 2021-07-12, 10 working days: 古尔邦节 19–20 Jul in Ningxia.
    let dl = WorkdayDeadline::new(d("2021-07-12"), 10);
    assert_eq!(
        clean(dl.status(cal()).unwrap()).due_date(),
        Some(d("2021-07-26"))
    );
    assert_eq!(
        dl.status(ningxia()).unwrap().value.due_date(),
        Some(d("2021-07-28"))
    );
}
