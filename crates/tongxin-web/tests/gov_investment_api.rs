//! 政府投资项目 (同政办规发〔2023〕5号) through the JSON API on the case engine, on SQLite and
//! PostgreSQL, with a fixed clock: a 6000万元 project on the full path with its parallel
//! approvals, 财政局's funding reviews, a start refused while the funds are not confirmed,
//! monthly progress reports (one filed late), a change during construction, acceptance applied
//! for within an extension (a second extension refused), the four conditions of 第十五条 and the
//! handover; a design-only project whose acceptance is applied for late; and bad input.

use crate::support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::TestApp;
use support::cases::{act, actions, d, deadline, due, field_errors, on, step};
use support::gov_investment::{
    Officials, file, funding_review, officials, planned, registration, review,
};

const D4: &str = "同政办规发〔2023〕5号";

fn message(r: &support::Reply) -> String {
    r.body.clone()
}

/// Every period of the monthly report, oldest first: (due, status, status label).
fn reports(case: &Value) -> Vec<(String, String, String)> {
    case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["deadline"] == "progress_report")
        .map(|x| {
            (
                x["due_on"].as_str().unwrap_or_default().to_owned(),
                x["status"].as_str().unwrap_or_default().to_owned(),
                x["status_label"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn view(t: &TestApp, o: &Officials, case: &Value) -> Value {
    let id = case["id"].as_i64().unwrap();
    let r = t
        .get(&format!("/api/v1/cases/{id}"), Some(&o.builder))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_6000_wan_project_from_registration_to_handover() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let o = officials(&t).await;
        let mut case = planned(&t, &o, registration("6000"), "gi-6000").await;
        assert_eq!(case["state"], "in_plan");
        assert!(case["policy_warnings"].as_array().unwrap().is_empty());

        // 第七条: 5000万 and over goes through the proposal first.
        let r = act(&t, &o.builder, &case, "submit_feasibility", json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(message(&r).contains("须先批复项目建议书"), "{}", r.body);
        assert!(message(&r).contains(&format!("{D4} 第七条")), "{}", r.body);

        case = step(&t, &o.builder, &case, "submit_proposal", json!({})).await;
        // 第十一条: the parallel approvals are recorded alongside, the case staying put.
        case = step(
            &t,
            &o.builder,
            &case,
            "record_land_pre_review",
            json!({"land_pre_review_number": "同自然资预〔2025〕8号", "land_pre_review_date": "2025-03-03"}),
        )
        .await;
        assert_eq!(case["state"], "proposal_review");
        on(&t, 2025, 3, 10);
        let o = officials(&t).await;
        case = step(
            &t,
            &o.reform,
            &case,
            "approve_proposal",
            review("proposal_approval_number", "同发改审〔2025〕10号"),
        )
        .await;
        case = step(
            &t,
            &o.builder,
            &case,
            "record_eia",
            json!({"eia_approval_number": "同环审〔2025〕3号", "eia_approval_date": "2025-03-10"}),
        )
        .await;
        assert_eq!(case["state"], "proposal_approved");

        // 第十条: 财政局 reviews the funding; 发改 cannot do it for them.
        case = step(&t, &o.builder, &case, "submit_feasibility", json!({})).await;
        assert_eq!(case["state"], "feasibility_funding");
        let r = act(
            &t,
            &o.reform,
            &case,
            "review_feasibility_funding",
            funding_review(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(message(&r).contains("财政局"), "{}", r.body);
        let seen = view(&t, &o, &case).await;
        case = step(
            &t,
            &o.finance,
            &seen,
            "review_feasibility_funding",
            funding_review(),
        )
        .await;
        case = step(
            &t,
            &o.reform,
            &case,
            "approve_feasibility",
            review("feasibility_approval_number", "同发改审〔2025〕20号"),
        )
        .await;
        case = step(&t, &o.builder, &case, "submit_design", json!({})).await;
        case = step(
            &t,
            &o.finance,
            &case,
            "review_design_funding",
            funding_review(),
        )
        .await;
        let mut approval = review("design_approval_number", "同发改审〔2025〕30号");
        approval["approved_budget"] = json!("5980");
        case = step(&t, &o.reform, &case, "approve_design", approval).await;
        assert_eq!(case["state"], "design_approved");

        // 第十二条: no start before 财政局 confirms the funds.
        let start = json!({
            "construction_permit_number": "640324202506030101",
            "start_date": "2025-06-03",
            "tendering_done": true,
            "no_prefinancing": true,
        });
        on(&t, 2025, 6, 3);
        let o = officials(&t).await;
        let r = act(&t, &o.builder, &case, "start_construction", start.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            field_errors(&r).iter().any(|(f, m)| f == "funds_confirmed"
                && m.contains("资金不到位不得开工建设")
                && m.contains(&format!("{D4} 第十二条"))),
            "{}",
            r.body
        );
        let r = act(
            &t,
            &o.builder,
            &case,
            "confirm_funds",
            json!({"funds_confirmed": "5980"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        case = step(
            &t,
            &o.finance,
            &case,
            "confirm_funds",
            json!({"funds_confirmed": "5,980.00"}),
        )
        .await;
        assert_eq!(case["data"]["funds_confirmed"], "5980");
        case = step(&t, &o.builder, &case, "start_construction", start).await;
        assert_eq!(case["state"], "under_construction");
        // 第十六条: the first month ends 7月3日.
        assert_eq!(due(&case, "progress_report"), d(2025, 7, 3));

        let progress = |pct: i64, invested: &str| json!({"progress_percent": pct, "invested_to_date": invested, "progress_note": "路基施工"});
        on(&t, 2025, 6, 20);
        let o = officials(&t).await;
        case = step(
            &t,
            &o.builder,
            &case,
            "report_progress",
            progress(10, "600"),
        )
        .await;
        // The next period runs 7月3日 to 8月3日, a Sunday: due 8月4日.
        assert_eq!(due(&case, "progress_report"), d(2025, 8, 4));
        // A second report in June is refused: July's period has not begun.
        on(&t, 2025, 6, 25);
        let o = officials(&t).await;
        let r = act(
            &t,
            &o.builder,
            &case,
            "report_progress",
            progress(12, "700"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(message(&r).contains("2025年7月3日"), "{}", r.body);

        // July's report is missed: warned before, overdue on 8月5日 — in the project unit's
        // inbox, not 发改's — and filed late on 8月6日.
        let sweep = t.app.sweep(d(2025, 7, 31)).await.unwrap();
        assert!(sweep.warned >= 1, "{sweep:?}");
        let sweep = t.app.sweep(d(2025, 8, 5)).await.unwrap();
        assert!(sweep.overdue >= 1, "{sweep:?}");
        on(&t, 2025, 8, 6);
        let o = officials(&t).await;
        let inbox = |v: Value| -> Vec<String> {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["message"].as_str().map(str::to_owned))
                .collect()
        };
        let mine = inbox(t.get("/api/v1/inbox", Some(&o.builder)).await.json());
        assert!(
            mine.iter()
                .any(|m| m.contains("月度建设动态进度") && m.contains("第十六条")),
            "{mine:?}"
        );
        let theirs = inbox(t.get("/api/v1/inbox", Some(&o.reform)).await.json());
        assert!(
            !theirs.iter().any(|m| m.contains("月度建设动态进度")),
            "{theirs:?}"
        );
        case = view(&t, &o, &case).await;
        assert_eq!(deadline(&case, "progress_report")["colour"], "red");
        case = step(
            &t,
            &o.builder,
            &case,
            "report_progress",
            progress(30, "1800"),
        )
        .await;
        let periods = reports(&case);
        assert_eq!(periods.len(), 3, "{periods:?}");
        assert_eq!(periods[0].1, "met");
        assert_eq!(periods[1].2, "逾期办结", "{periods:?}");
        assert_eq!(due(&case, "progress_report"), d(2025, 9, 3));

        // 第十条: a change during construction goes to 发改; reports go on meanwhile.
        case = step(
            &t,
            &o.builder,
            &case,
            "request_change",
            json!({"change_kind": "budget", "change_description": "地质条件变化，增加桥涵2座"}),
        )
        .await;
        assert_eq!(case["state"], "change_review");
        assert!(actions(&case).contains(&"report_progress".to_owned()));
        let seen = view(&t, &o, &case).await;
        case = step(
            &t,
            &o.reform,
            &seen,
            "approve_change",
            json!({"change_approval_number": "同发改审〔2025〕45号", "approved_budget": "6050"}),
        )
        .await;
        assert_eq!(case["state"], "under_construction");

        // Completion: the series ends, and the 6-month clock of 第十四条 starts.
        on(&t, 2025, 9, 1);
        let o = officials(&t).await;
        case = step(
            &t,
            &o.builder,
            &case,
            "complete_construction",
            json!({"completion_date": "2025-09-01"}),
        )
        .await;
        assert!(reports(&case).iter().all(|p| p.1 != "running"));
        // 2026年3月1日 is a Sunday.
        assert_eq!(due(&case, "acceptance_application"), d(2026, 3, 2));

        // One extension of at most 6 months, with 发改's consent; a second is refused.
        on(&t, 2026, 2, 20);
        let o = officials(&t).await;
        let seen = view(&t, &o, &case).await;
        let r = act(
            &t,
            &o.reform,
            &seen,
            "extend_acceptance",
            json!({"extension_months": 7, "reason": "冬季无法开展专项验收"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(message(&r).contains("第十四条"), "{}", r.body);
        case = step(
            &t,
            &o.reform,
            &seen,
            "extend_acceptance",
            json!({"extension_months": 4, "reason": "冬季无法开展专项验收"}),
        )
        .await;
        assert_eq!(due(&case, "acceptance_application"), d(2026, 7, 2));
        let r = act(
            &t,
            &o.reform,
            &case,
            "extend_acceptance",
            json!({"extension_months": 1, "reason": "再次延期"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(message(&r).contains("已延期1次"), "{}", r.body);
        assert!(
            message(&r).contains(&format!("{D4} 第十四条")),
            "{}",
            r.body
        );

        // Applied for within the extended period: met on time. The trial has lapsed by now.
        on(&t, 2026, 6, 30);
        let o = officials(&t).await;
        let seen = view(&t, &o, &case).await;
        case = step(&t, &o.builder, &seen, "apply_acceptance", json!({})).await;
        let dl = deadline(&case, "acceptance_application");
        assert_eq!(dl["status"], "met", "{dl}");
        assert_ne!(dl["status_label"], "逾期办结", "{dl}");
        let warnings = case["policy_warnings"].as_array().unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.as_str().unwrap().contains("试行期")),
            "{warnings:?}"
        );

        // 第十五条: each condition is a checkbox the acceptance cannot pass without.
        let mut conditions = json!({
            "cond_built_as_designed": true,
            "cond_changes_approved": true,
            "cond_special_acceptances": false,
            "cond_final_accounts": true,
            "acceptance_opinion": "同意通过竣工验收",
        });
        let r = act(&t, &o.reform, &case, "pass_acceptance", conditions.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            field_errors(&r)
                .iter()
                .any(|(f, m)| f == "cond_special_acceptances"
                    && m.contains(&format!("{D4} 第十五条（三）"))),
            "{}",
            r.body
        );
        conditions["cond_special_acceptances"] = json!(true);
        case = step(&t, &o.reform, &case, "pass_acceptance", conditions).await;
        assert_eq!(case["state"], "accepted");
        assert!(
            case["documents"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["number"].as_str().unwrap().starts_with("竣验")),
            "{}",
            case["documents"]
        );
        // The handover may not be dated before completion.
        let r = act(
            &t,
            &o.builder,
            &case,
            "hand_over",
            json!({"asset_receiver": "同心县公路管理段", "handover_date": "2025-08-01", "surplus_returned": "0"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(message(&r).contains("早于"), "{}", r.body);
        case = step(
            &t,
            &o.builder,
            &case,
            "hand_over",
            json!({"asset_receiver": "同心县公路管理段", "handover_date": "2026-06-30", "surplus_returned": "12.5"}),
        )
        .await;
        assert_eq!(case["state"], "handed_over");
        assert_eq!(case["data"]["surplus_returned"], "12.5");
    }
}

#[tokio::test]
async fn a_design_only_project_applies_for_acceptance_late() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let o = officials(&t).await;
        let mut data = registration("800");
        data["higher_funds"] = json!(null);
        data["county_funds"] = json!("800");
        let mut case = planned(&t, &o, data, "gi-800").await;
        // 第七条: below 1500万 only the preliminary design is approved.
        let r = act(&t, &o.builder, &case, "submit_feasibility", json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            message(&r).contains("不单独审批可行性研究报告"),
            "{}",
            r.body
        );
        let r = act(&t, &o.builder, &case, "submit_proposal", json!({})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        case = step(&t, &o.builder, &case, "submit_design", json!({})).await;
        case = step(
            &t,
            &o.finance,
            &case,
            "review_design_funding",
            funding_review(),
        )
        .await;
        let mut approval = review("design_approval_number", "同发改审〔2025〕31号");
        approval["approved_budget"] = json!("800");
        case = step(&t, &o.reform, &case, "approve_design", approval).await;
        case = step(
            &t,
            &o.finance,
            &case,
            "confirm_funds",
            json!({"funds_confirmed": "800"}),
        )
        .await;
        on(&t, 2025, 4, 1);
        let o = officials(&t).await;
        case = step(
            &t,
            &o.builder,
            &case,
            "start_construction",
            json!({"construction_permit_number": "6403242025040101", "start_date": "2025-04-01", "tendering_done": true, "no_prefinancing": true}),
        )
        .await;
        on(&t, 2025, 9, 1);
        let o = officials(&t).await;
        // Completion may not be dated before the start.
        let r = act(
            &t,
            &o.builder,
            &case,
            "complete_construction",
            json!({"completion_date": "2025-03-01"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        case = step(
            &t,
            &o.builder,
            &case,
            "complete_construction",
            json!({"completion_date": "2025-09-01"}),
        )
        .await;
        on(&t, 2026, 3, 10);
        let o = officials(&t).await;
        case = step(&t, &o.builder, &case, "apply_acceptance", json!({})).await;
        let dl = deadline(&case, "acceptance_application");
        assert_eq!(dl["status_label"], "逾期办结", "{dl}");
        assert_eq!(dl["colour"], "red");
    }
}

#[tokio::test]
async fn bad_registrations_are_refused_with_the_field_and_the_clause() {
    let t = TestApp::new().await;
    on(&t, 2026, 11, 29);
    let o = officials(&t).await;
    for (i, (amount, needle)) in [
        ("-5", "不能为负数"),
        ("五千", "不是数字"),
        ("4999.999", "小数位过多"),
        ("4999,99", "不是数字"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = file(&t, &o.builder, registration(amount), &format!("bad-{i}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let errors = field_errors(&r);
        assert!(
            errors.iter().any(|(f, m)| f == "total_investment"
                && m.contains("总投资")
                && m.contains(needle)),
            "{amount}: {errors:?}"
        );
    }
    // 第五条: higher-level money needs the county's share and a fallback.
    let mut data = registration("6000");
    data["county_funds"] = json!(null);
    data["higher_funds_fallback"] = json!("");
    let r = file(&t, &o.builder, data, "bad-funds").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = field_errors(&r);
    for f in ["county_funds", "higher_funds_fallback"] {
        assert!(
            errors
                .iter()
                .any(|(k, m)| k == f && m.contains(&format!("{D4} 第五条"))),
            "{f}: {errors:?}"
        );
    }
    // No funding source at all.
    let mut data = registration("6000");
    data["county_funds"] = json!(null);
    data["higher_funds"] = json!(null);
    let r = file(&t, &o.builder, data, "bad-none").await;
    assert!(
        field_errors(&r)
            .iter()
            .any(|(_, m)| m.contains("不得列入投资申请计划")),
        "{}",
        r.body
    );
    // 第六条: the platform's code.
    let mut data = registration("6000");
    data["project_code"] = json!("同发改2025-1");
    let r = file(&t, &o.builder, data, "bad-code").await;
    assert!(
        field_errors(&r)
            .iter()
            .any(|(f, m)| f == "project_code" && m.contains(&format!("{D4} 第六条"))),
        "{}",
        r.body
    );
    // Sources beyond the total are a typing error.
    let r = file(&t, &o.builder, registration("3000"), "bad-sum").await;
    assert!(
        field_errors(&r)
            .iter()
            .any(|(_, m)| m.contains("资金来源合计5000万元，超过项目总投资3000万元")),
        "{}",
        r.body
    );
    // A good one, on the lapsed trial: filed, with the warning on the case.
    let r = file(&t, &o.builder, registration("6000"), "good").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let case = r.json();
    let warnings = case["policy_warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("2026年1月12日")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn each_unit_sees_its_own_projects_and_the_overseers_see_all() {
    let t = TestApp::new().await;
    on(&t, 2025, 3, 3);
    let o = officials(&t).await;
    let r = file(&t, &o.builder, registration("6000"), "seen").await;
    let case = r.json();
    let id = case["id"].as_i64().unwrap();
    let other = support::gov_investment::official(&t, "t-jiaoyu", "教育局").await;
    for (who, status) in [
        (&o.builder, StatusCode::OK),
        (&o.reform, StatusCode::OK),
        (&o.finance, StatusCode::OK),
        (&other, StatusCode::NOT_FOUND),
    ] {
        let r = t.get(&format!("/api/v1/cases/{id}"), Some(who)).await;
        assert_eq!(r.status, status, "{}", r.body);
    }
    let r = t
        .get("/api/v1/cases?procedure=gov_investment", Some(&o.reform))
        .await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);
    let r = t
        .get("/api/v1/cases?procedure=gov_investment", Some(&other))
        .await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    // 发改 sees the builder's actions but is offered only its own.
    let r = t.get(&format!("/api/v1/cases/{id}"), Some(&o.reform)).await;
    assert_eq!(
        actions(&r.json()),
        vec!["enter_plan", "return_registration"]
    );
    let r = t
        .get(&format!("/api/v1/cases/{id}"), Some(&o.builder))
        .await;
    assert!(
        actions(&r.json()).iter().all(|a| a != "enter_plan"),
        "{}",
        r.body
    );
}

async fn warnings_of(t: &TestApp, c: &support::Client, id: i64) -> Value {
    t.get(&format!("/api/v1/cases/{id}"), Some(c)).await.json()
}

/// The slug of 同政办规发〔2023〕5号 in URLs.
const D4_SLUG: &str = "%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-5";

#[tokio::test]
async fn a_recorded_renewal_clears_the_lapsed_trial_warning_from_its_date() {
    for t in TestApp::all().await {
        on(&t, 2026, 11, 29);
        let o = officials(&t).await;
        let r = file(&t, &o.builder, registration("6000"), "renew").await;
        let case = r.json();
        let id = case["id"].as_i64().unwrap();
        assert!(
            case["policy_warnings"][0]
                .as_str()
                .unwrap()
                .contains("2026年1月12日"),
            "{}",
            case["policy_warnings"]
        );
        let path = t
            .get("/api/v1/gov-investment/path?amount=6000", None)
            .await
            .json();
        assert_eq!(path["warnings"].as_array().unwrap().len(), 1, "{path}");

        // Only the office keeping the library records renewals; bad input is named field by field.
        let url = format!("/api/v1/policies/{D4_SLUG}/renewals");
        let body = json!({"kind": "trial_extended", "decision": "同政办发〔2026〕30号", "effective_from": "2026-12-01", "valid_until": "2027-12-31"});
        let r = t
            .json(
                axum::http::Method::POST,
                &url,
                Some(&o.reform),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let office = t.login(tongxin_domain::Role::Supervision).await;
        let bad = json!({"kind": "trial_extended", "decision": "", "effective_from": "2023-12-01", "valid_until": "2023-11-30"});
        let r = t
            .json(
                axum::http::Method::POST,
                &url,
                Some(&office),
                &bad.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["decision", "effective_from", "valid_until"],
            "{}",
            r.body
        );
        let r = t
            .json(
                axum::http::Method::POST,
                &url,
                Some(&office),
                &json!({"kind": "trial_extended", "decision": "同政办发〔2026〕30号", "effective_from": "2026-12-01"}).to_string(),
            )
            .await;
        assert!(
            field_errors(&r)
                .iter()
                .any(|(f, m)| f == "valid_until" && m.contains("延长试行期须填写")),
            "{}",
            r.body
        );
        let r = t
            .json(
                axum::http::Method::POST,
                &url,
                Some(&office),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["renewals"][0]["decision"], "同政办发〔2026〕30号");

        // Still lapsed on 11月29日 (the renewal starts 12月1日); clear from then on.
        assert_eq!(
            warnings_of(&t, &o.builder, id).await["policy_warnings"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        on(&t, 2026, 12, 1);
        let o = officials(&t).await;
        assert!(
            warnings_of(&t, &o.builder, id).await["policy_warnings"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        let path = t
            .get("/api/v1/gov-investment/path?amount=6000", None)
            .await
            .json();
        assert!(path["warnings"].as_array().unwrap().is_empty(), "{path}");
        // The extended trial ends too.
        on(&t, 2028, 1, 1);
        let o = officials(&t).await;
        let w = warnings_of(&t, &o.builder, id).await["policy_warnings"].clone();
        assert!(w[0].as_str().unwrap().contains("2027年12月31日"), "{w}");

        // The record survives a restart.
        let again = tongxin_app::App::open(
            t.app.store.clone(),
            tongxin_policy::tongxin::pack().unwrap(),
            t.clock.clone(),
            tongxin_app::Mode::Production,
        )
        .await
        .unwrap();
        let d4: tongxin_domain::DocNumber = "同政办规发〔2023〕5号".parse().unwrap();
        let corpus = again.corpus();
        assert_eq!(corpus.document(&d4).unwrap().renewals.len(), 1);

        // A document with no end needs none.
        let office = t.login(tongxin_domain::Role::Supervision).await;
        let r = t
            .json(
                axum::http::Method::POST,
                "/api/v1/policies/%E5%90%8C%E5%85%9A%E5%8A%9E%E5%8F%91-2023-49/renewals",
                Some(&office),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("无需续期"), "{}", r.body);
    }
}
