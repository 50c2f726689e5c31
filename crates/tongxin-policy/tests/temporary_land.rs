//! The temporary-land rules as the pack holds them: the period caps of 第七条 and the five-year
//! ban of 第二十四条, at their boundaries.

use chrono::NaiveDate;
use tongxin_domain::checks::{self, CheckOutcome, DISHONESTY_BAN_RULE};
use tongxin_policy::Pack;

fn pack() -> Pack {
    tongxin_policy::tongxin::pack().expect("the Tongxin pack loads")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn period_caps_at_their_boundaries() {
    let p = pack();
    let day = d(2024, 3, 4);
    for (infrastructure, months, pass) in [
        (false, 1, true),
        (false, 24, true),
        (false, 25, false),
        (true, 48, true),
        (true, 49, false),
    ] {
        let out = checks::temporary_land_period(&p.corpus, day, infrastructure, months).unwrap();
        assert_eq!(out.is_pass(), pass, "{infrastructure} {months}");
        if let CheckOutcome::Fail(f) = out {
            assert_eq!(f[0].field, "period_months");
            assert!(
                f[0].message.ends_with("同政办规发〔2023〕7号 第七条"),
                "{}",
                f[0].message
            );
        }
    }
    // Before the document took effect there is no cap to apply: an error, not a pass.
    assert!(checks::temporary_land_period(&p.corpus, d(2023, 12, 27), false, 12).is_err());
}

/// Five years from the decision; the last day is the one before the anniversary (a decision on
/// 29 February ends on 27 February, the anniversary falling on the 28th).
#[test]
fn the_ban_runs_five_years_from_the_decision() {
    let p = pack();
    for (decided, last) in [
        (d(2024, 3, 4), d(2029, 3, 3)),
        (d(2024, 2, 29), d(2029, 2, 27)),
        (d(2024, 1, 1), d(2028, 12, 31)),
        (d(2023, 12, 28), d(2028, 12, 27)),
    ] {
        let (until, applied) = checks::dishonesty_until(&p.corpus, decided).unwrap();
        assert_eq!(until, last, "{decided}");
        assert_eq!(applied.key, DISHONESTY_BAN_RULE);
        assert_eq!(applied.value, "5");
    }
    assert!(checks::dishonesty_until(&p.corpus, d(2023, 12, 27)).is_err());
}

/// The expiry clock takes its months from the case. Twelve months from 2024-03-01 end on a
/// Saturday and are carried to Monday; 36 months end in 2027, a year whose holiday notice is not
/// out: the natural end, said so, instead of refusing the approval.
#[test]
fn the_expiry_clock_runs_the_approved_months() {
    use tongxin_domain::procedure::{DueWarning, ProcedureError, due_date, due_date_for};
    let p = pack();
    let proc = p.procedure("temporary_land").unwrap();
    let def = proc.deadlines.iter().find(|d| d.id == "expiry").unwrap();
    let cal = tongxin_calendar::Calendar::national().unwrap();
    let due = due_date_for(def, Some(12), d(2024, 3, 1), &[], &cal, &p.corpus).unwrap();
    assert_eq!(due.date, Some(d(2025, 3, 3)));
    assert!(due.warnings.is_empty(), "{:?}", due.warnings);
    let due = due_date_for(def, Some(36), d(2024, 3, 1), &[], &cal, &p.corpus).unwrap();
    assert_eq!(due.date, Some(d(2027, 3, 1)));
    assert_eq!(due.warnings, vec![DueWarning::NotCarried { year: 2027 }]);
    assert!(
        due.warnings[0]
            .to_string()
            .contains("2027年节假日安排尚未公布")
    );
    // Without the case's months there is no date to give.
    assert!(matches!(
        due_date(def, d(2024, 3, 1), &[], &cal, &p.corpus),
        Err(ProcedureError::PeriodMissing { .. })
    ));
}
