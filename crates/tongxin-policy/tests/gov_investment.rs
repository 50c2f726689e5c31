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

// ------------------------------------------------------------------------------------------
// The procedure's checks (gov_investment.toml), on the pack's corpus
// ------------------------------------------------------------------------------------------

mod procedure_checks {
    use super::*;
    use serde_json::{Map, Value, json};
    use tongxin_domain::checks::{self, CaseFacts, CheckContext, CheckOutcome};
    use tongxin_domain::invest_checks::normalise_project_code;

    fn run(name: &str, data: Value, day: NaiveDate) -> CheckOutcome {
        let p = pack()
            .procedure("gov_investment")
            .expect("the procedure loads");
        let data: Map<String, Value> = data.as_object().unwrap().clone();
        let citation = &p.find_action("register").unwrap().citation;
        let cx = CheckContext {
            corpus: &pack().corpus,
            day,
            data: &data,
            fields: &p.fields,
            facts: &CaseFacts::default(),
            action_citation: citation,
        };
        (checks::lookup(name).unwrap().run)(&cx).unwrap()
    }

    fn messages(o: &CheckOutcome) -> Vec<(String, String)> {
        o.failures()
            .iter()
            .map(|f| (f.field.clone(), f.message.clone()))
            .collect()
    }

    #[test]
    fn each_document_step_only_where_the_path_puts_it() {
        let day = d(2024, 6, 3);
        // (total, extra facts, proposal, feasibility (no approvals yet), design (no approvals))
        let rows: Vec<(&str, Value, bool, bool, bool)> = vec![
            ("1499.99", json!({}), false, false, true),
            ("1500", json!({}), false, true, false),
            ("4999.99", json!({}), false, true, false),
            ("5000", json!({}), true, false, false),
            ("6000", json!({"listed_in_plan": true}), false, true, false),
            ("6000", json!({"simple_content": true}), false, false, true),
            (
                "6000",
                json!({"partial_expansion": true}),
                false,
                false,
                true,
            ),
            ("6000", json!({"emergency": true}), false, false, true),
            ("800", json!({"listed_in_plan": true}), false, false, true),
        ];
        for (total, extra, proposal, feasibility, design) in rows {
            let mut data = json!({ "total_investment": total });
            for (k, v) in extra.as_object().unwrap() {
                data[k] = v.clone();
            }
            for (check, expected) in [
                ("gov_investment.proposal_on_path", proposal),
                ("gov_investment.feasibility_on_path", feasibility),
                ("gov_investment.design_on_path", design),
            ] {
                let o = run(check, data.clone(), day);
                assert_eq!(o.is_pass(), expected, "{total} {extra} {check}: {o:?}");
                for (_, m) in messages(&o) {
                    assert!(m.ends_with("同政办规发〔2023〕5号 第七条"), "{m}");
                }
            }
        }
        // On the full path each document follows the one before.
        let full =
            json!({"total_investment": "5000", "proposal_approval_number": "同发改〔2024〕1号"});
        assert!(run("gov_investment.feasibility_on_path", full.clone(), day).is_pass());
        assert!(!run("gov_investment.design_on_path", full.clone(), day).is_pass());
        let mut both = full;
        both["feasibility_approval_number"] = json!("同发改〔2024〕2号");
        assert!(run("gov_investment.design_on_path", both, day).is_pass());
    }

    #[test]
    fn new_land_on_a_short_path_needs_the_land_pre_review_first() {
        let day = d(2024, 6, 3);
        let short = json!({"total_investment": "2000", "new_land": true});
        let o = run("gov_investment.feasibility_on_path", short.clone(), day);
        assert_eq!(
            messages(&o),
            vec![(
                "land_pre_review_number".to_owned(),
                "本项目涉及新增建设用地或规划选址，报批前须先取得建设项目用地预审与选址意见书（自然资源部门），请先登记其文号——同政办规发〔2023〕5号 第八条".to_owned()
            )]
        );
        let mut with = short;
        with["land_pre_review_number"] = json!("同自然资预〔2024〕3号");
        assert!(run("gov_investment.feasibility_on_path", with, day).is_pass());
        // On the full path the pre-review is applied for alongside the proposal (第七条), not
        // before it.
        let full = json!({"total_investment": "5000", "new_land": true});
        assert!(run("gov_investment.proposal_on_path", full, day).is_pass());
    }

    #[test]
    fn funding_sources_of_article_five() {
        let day = d(2024, 6, 3);
        let ok = run(
            "gov_investment.funding_source",
            json!({"total_investment": "6000", "county_funds": "1000", "higher_funds": "4000", "higher_funds_fallback": "债券资金保障"}),
            day,
        );
        match ok {
            CheckOutcome::Pass(p) => {
                assert_eq!(
                    p.note,
                    "资金来源合计5000万元（县级财政资金（含配套）1000万元、中央、自治区补助资金4000万元）；尚有资金缺口1000万元"
                );
                assert_eq!(p.citation.to_string(), "同政办规发〔2023〕5号 第五条");
            }
            other => panic!("{other:?}"),
        }
        let rows: Vec<(Value, Vec<&str>)> = vec![
            (json!({"total_investment": "100"}), vec!["county_funds"]),
            (
                json!({"total_investment": "100", "county_funds": "0"}),
                vec!["county_funds"],
            ),
            (
                json!({"total_investment": "100", "higher_funds": "50"}),
                vec!["county_funds", "higher_funds_fallback"],
            ),
            (
                json!({"total_investment": "100", "county_funds": "50.01", "other_funds": "50"}),
                vec!["county_funds"],
            ),
            (
                json!({"total_investment": "100", "county_funds": "50", "other_funds": "50"}),
                vec![],
            ),
            (
                json!({"total_investment": "100", "bond_funds": "0.01"}),
                vec![],
            ),
        ];
        for (data, fields) in rows {
            let o = run("gov_investment.funding_source", data.clone(), day);
            let got: Vec<String> = messages(&o).into_iter().map(|(f, _)| f).collect();
            assert_eq!(got, fields, "{data}");
            for (_, m) in messages(&o) {
                assert!(m.ends_with("同政办规发〔2023〕5号 第五条"), "{m}");
            }
        }
    }

    #[test]
    fn a_start_needs_the_approvals_of_the_path_and_the_funds() {
        let day = d(2024, 6, 3);
        let base = json!({"total_investment": "6000", "approved_budget": "5980"});
        let fields =
            |o: &CheckOutcome| -> Vec<String> { messages(o).into_iter().map(|(f, _)| f).collect() };
        let o = run("gov_investment.start_conditions", base.clone(), day);
        assert_eq!(
            fields(&o),
            [
                "land_pre_review_number",
                "eia_approval_number",
                "funds_confirmed"
            ]
        );
        let mut all = base.clone();
        all["land_pre_review_number"] = json!("a");
        all["eia_approval_number"] = json!("b");
        all["funds_confirmed"] = json!("5979.99");
        let o = run("gov_investment.start_conditions", all.clone(), day);
        assert_eq!(fields(&o), ["funds_confirmed"]);
        assert!(
            messages(&o)[0]
                .1
                .ends_with("同政办规发〔2023〕5号 第十二条")
        );
        all["funds_by_schedule"] = json!(true);
        assert!(run("gov_investment.start_conditions", all.clone(), day).is_pass());
        all["funds_by_schedule"] = json!(false);
        all["funds_confirmed"] = json!("5980");
        assert!(run("gov_investment.start_conditions", all, day).is_pass());
        // A small project without new land needs neither approval.
        let small = json!({"total_investment": "800", "funds_confirmed": "800"});
        assert!(run("gov_investment.start_conditions", small, day).is_pass());
        // The second 第九条 is cited as the pack names it.
        let o = run("gov_investment.start_conditions", base, day);
        assert!(
            messages(&o)[0]
                .1
                .ends_with("同政办规发〔2023〕5号 第九条之二")
        );
    }

    #[test]
    fn a_major_project_needs_every_review_and_the_county_decision() {
        let day = d(2024, 6, 3);
        assert!(run("gov_investment.major_project_reviews", json!({}), day).is_pass());
        let o = run(
            "gov_investment.major_project_reviews",
            json!({"major_project": true, "public_participation": true}),
            day,
        );
        let fields: Vec<String> = messages(&o).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["expert_evaluation", "risk_assessment", "county_decision"]
        );
        let all = json!({"major_project": true, "public_participation": true, "expert_evaluation": true, "risk_assessment": true, "county_decision": "县政府第12次常务会议 2024-05-20"});
        assert!(run("gov_investment.major_project_reviews", all, day).is_pass());
    }

    #[test]
    fn dates_must_follow_each_other() {
        let day = d(2025, 6, 3);
        let o = run(
            "gov_investment.dates_in_order",
            json!({"start_date": "2025-04-01", "completion_date": "2025-03-31"}),
            day,
        );
        assert_eq!(
            messages(&o),
            vec![(
                "completion_date".to_owned(),
                "“建成日期”2025年3月31日早于“开工日期”2025年4月1日，请核对——同政办规发〔2023〕5号 第十四条".to_owned()
            )]
        );
        assert!(
            run(
                "gov_investment.dates_in_order",
                json!({"start_date": "2025-04-01", "completion_date": "2025-04-01", "handover_date": "2025-04-01"}),
                day
            )
            .is_pass()
        );
    }

    #[test]
    fn project_codes_have_the_platforms_shape() {
        for (typed, ok) in [
            ("2024-640324-48-01-012345", Some("2024-640324-48-01-012345")),
            (
                " ２０２４－640324-48-01-012345 ",
                Some("2024-640324-48-01-012345"),
            ),
            ("2024-640324-48-01-01234", None),
            ("2024-640324-48-1-012345", None),
            ("202464032448010123450", None),
            ("2024-640324-4A-01-012345", None),
            ("", None),
        ] {
            assert_eq!(normalise_project_code(typed).as_deref(), ok, "{typed}");
        }
    }

    proptest! {
        /// Every 24-character code of digits in the platform's groups is accepted as typed.
        #[test]
        fn any_well_formed_code_is_accepted(y in 2000u32..2100, r in 0u32..1_000_000, i in 0u32..100, k in 0u32..100, n in 0u32..1_000_000) {
            let code = format!("{y:04}-{r:06}-{i:02}-{k:02}-{n:06}");
            prop_assert_eq!(normalise_project_code(&code), Some(code.clone()));
        }

        /// The funding check passes exactly when the county's own money covers no more than
        /// the total (one source, no higher-level money).
        #[test]
        fn county_money_within_the_total_passes(total in 1i64..10_000_000, county in 1i64..10_000_000) {
            let t = WanYuan::from_hundredths(total);
            let c = WanYuan::from_hundredths(county);
            let o = run(
                "gov_investment.funding_source",
                json!({"total_investment": t.decimal(), "county_funds": c.decimal()}),
                d(2024, 6, 3),
            );
            prop_assert_eq!(o.is_pass(), county <= total);
        }
    }
}
