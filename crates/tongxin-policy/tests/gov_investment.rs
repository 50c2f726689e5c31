//! 政府投资项目审批路径 (同政办规发〔2023〕5号 第七条、第八条) on the pack's rules, at every boundary
//! of the decision, each answer with its clauses; amounts parsed exactly.

use chrono::NaiveDate;
use proptest::prelude::*;
use tongxin_domain::invest::{AmountError, ApprovalPath, ProjectFacts, WanYuan, approval_path};
use tongxin_domain::policy::PolicyWarning;
use tongxin_policy::Pack;

fn pack() -> &'static Pack {
    static PACK: std::sync::OnceLock<Pack> = std::sync::OnceLock::new();
    PACK.get_or_init(|| tongxin_policy::tongxin::pack().expect("the Tongxin pack loads"))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn amount(s: &str) -> WanYuan {
    s.parse().unwrap()
}

fn facts(a: &str) -> ProjectFacts {
    ProjectFacts {
        amount: amount(a),
        ..ProjectFacts::default()
    }
}

#[test]
fn the_path_at_every_boundary() {
    let p = pack();
    let day = d(2024, 6, 3);
    use ApprovalPath::*;
    let plain = |a: &str| facts(a);
    let cases: Vec<(&str, ProjectFacts, ApprovalPath, &[&str], &str)> = vec![
        (
            "0.01万",
            plain("0.01"),
            DesignOnly,
            &["preliminary_design"],
            "不足1500万元",
        ),
        (
            "1499.99万",
            plain("1499.99"),
            DesignOnly,
            &["preliminary_design"],
            "不足1500万元",
        ),
        (
            "1500万",
            plain("1500"),
            FeasibilityAndDesign,
            &["feasibility", "preliminary_design"],
            "1500万元（含）至5000万元",
        ),
        (
            "4999.99万",
            plain("4999.99"),
            FeasibilityAndDesign,
            &["feasibility", "preliminary_design"],
            "1500万元（含）至5000万元",
        ),
        (
            "5000万",
            plain("5000"),
            Full,
            &["proposal", "feasibility", "preliminary_design"],
            "达到5000万元（含）以上",
        ),
        (
            "6000万",
            plain("6000"),
            Full,
            &["proposal", "feasibility", "preliminary_design"],
            "达到5000万元（含）以上",
        ),
        (
            "6000万 in a plan",
            ProjectFacts {
                listed_in_plan: true,
                ..plain("6000")
            },
            FeasibilityAndDesign,
            &["feasibility", "preliminary_design"],
            "列入国家相关规划",
        ),
        (
            "1000万 in a plan (the shorter path still applies)",
            ProjectFacts {
                listed_in_plan: true,
                ..plain("1000")
            },
            DesignOnly,
            &["preliminary_design"],
            "不足1500万元",
        ),
        (
            "8000万 simple",
            ProjectFacts {
                simple_content: true,
                ..plain("8000")
            },
            DesignOnly,
            &["preliminary_design"],
            "建设内容单一",
        ),
        (
            "3000万 partial expansion",
            ProjectFacts {
                partial_expansion: true,
                ..plain("3000")
            },
            DesignOnly,
            &["preliminary_design"],
            "部分扩建改建",
        ),
        (
            "20000万 emergency",
            ProjectFacts {
                emergency: true,
                ..plain("20000")
            },
            DesignOnly,
            &["preliminary_design"],
            "突发事件",
        ),
    ];
    for (what, f, path, docs, reason) in cases {
        let dec = approval_path(&p.corpus, day, f).unwrap();
        assert_eq!(dec.path, path, "{what}");
        let ids: Vec<&str> = dec.documents.iter().map(|d| d.id).collect();
        assert_eq!(ids, docs, "{what}");
        assert!(
            dec.reasons.iter().any(|r| r.text.contains(reason)),
            "{what}: {:?}",
            dec.reasons
        );
        for r in &dec.reasons {
            assert_eq!(
                r.citation.to_string(),
                "同政办规发〔2023〕5号 第七条",
                "{what}"
            );
        }
        assert_eq!(dec.applied.len(), 2, "both thresholds are recorded: {what}");
    }
}

#[test]
fn parallel_approvals_and_new_land() {
    let p = pack();
    let day = d(2024, 6, 3);
    // The full path: land pre-review and EIA filed with the proposal (第七条).
    let full = approval_path(&p.corpus, day, facts("5000")).unwrap();
    let labels: Vec<&str> = full.parallel.iter().map(|a| a.label).collect();
    assert_eq!(labels, ["用地预审与选址意见书", "环境影响评价"]);
    assert!(full.parallel.iter().all(|a| a.citation.clause == "第七条"));
    // A shorter path with new land: the pre-review before the first document (第八条).
    for a in ["4999.99", "1499.99"] {
        let f = ProjectFacts {
            new_land: true,
            ..facts(a)
        };
        let dec = approval_path(&p.corpus, day, f).unwrap();
        assert_eq!(dec.parallel.len(), 1, "{a}");
        assert_eq!(
            dec.parallel[0].citation.to_string(),
            "同政办规发〔2023〕5号 第八条"
        );
        // Without new land, nothing alongside.
        assert!(
            approval_path(&p.corpus, day, facts(a))
                .unwrap()
                .parallel
                .is_empty()
        );
    }
    // New land on the full path adds nothing: the pre-review is already filed with the proposal.
    let f = ProjectFacts {
        new_land: true,
        ..facts("5000")
    };
    assert_eq!(approval_path(&p.corpus, day, f).unwrap().parallel.len(), 2);
}

#[test]
fn the_lapsed_trial_is_said_beside_the_answer() {
    let p = pack();
    let during = approval_path(&p.corpus, d(2025, 6, 3), facts("6000")).unwrap();
    assert!(during.warnings.is_empty(), "{:?}", during.warnings);
    let after = approval_path(&p.corpus, d(2026, 11, 29), facts("6000")).unwrap();
    assert!(
        after.warnings.iter().any(|w| matches!(
            w,
            PolicyWarning::DocumentLapsed {
                was_trial: true,
                ..
            }
        )),
        "{:?}",
        after.warnings
    );
    // Before the document took effect there is no answer.
    assert!(approval_path(&p.corpus, d(2024, 1, 12), facts("6000")).is_err());
}

#[test]
fn amounts_are_exact_and_bad_ones_are_named() {
    for (typed, hundredths) in [
        ("4999.99", 499_999),
        ("5000", 500_000),
        ("5,000.5", 500_050),
        ("1,234,567", 123_456_700),
        ("5000　万元", 500_000),
        ("１５００", 150_000),
        ("1500万元", 150_000),
        (".5", 50),
        ("0", 0),
    ] {
        assert_eq!(amount(typed).hundredths(), hundredths, "{typed}");
    }
    assert_eq!(amount("4999.99").to_string(), "4999.99万元");
    assert_eq!(amount("5000.5").to_string(), "5000.5万元");
    for (typed, err) in [
        ("", AmountError::Empty),
        ("abc", AmountError::NotANumber("abc".into())),
        ("12.3.4", AmountError::NotANumber("12.3.4".into())),
        ("4999,99", AmountError::NotANumber("4999,99".into())),
        ("1,5", AmountError::NotANumber("1,5".into())),
        ("1.000,5", AmountError::NotANumber("1.000,5".into())),
        ("-1", AmountError::Negative("-1".into())),
        ("1.005", AmountError::TooPrecise("1.005".into())),
        (
            "99999999999999999999",
            AmountError::TooLarge("99999999999999999999".into()),
        ),
    ] {
        assert_eq!(typed.parse::<WanYuan>(), Err(err), "{typed}");
    }
    assert!(
        "-1".parse::<WanYuan>()
            .unwrap_err()
            .to_string()
            .contains("负数")
    );
}

proptest! {
    /// Every amount with at most two decimals reads back exactly, and the path only ever
    /// shortens as the amount falls.
    #[test]
    fn parsing_is_exact_and_the_path_is_monotone(h in 0i64..2_000_000) {
        let typed = format!("{}.{:02}", h / 100, h % 100);
        let a: WanYuan = typed.parse().unwrap();
        prop_assert_eq!(a.hundredths(), h);
        let p = pack();
        let path = approval_path(&p.corpus, d(2024, 6, 3), ProjectFacts { amount: a, ..ProjectFacts::default() }).unwrap().path;
        let expected = if h >= 500_000 {
            ApprovalPath::Full
        } else if h >= 150_000 {
            ApprovalPath::FeasibilityAndDesign
        } else {
            ApprovalPath::DesignOnly
        };
        prop_assert_eq!(path, expected);
    }
}
