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
