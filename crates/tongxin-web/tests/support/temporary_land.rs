//! Temporary-land cases through the JSON API: an application, the materials and the money of
//! 第九条 to 第十一条, and a site driven from its application to approval.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::cases::{on, step};
use super::land;
use super::{Client, Reply, TestApp};
use tongxin_domain::Role;

/// 华为技术有限公司's published code: a real, valid 统一社会信用代码.
pub const CREDIT_CODE: &str = "914403001922038216";

/// A contractor's site application; `boundary` a GeoJSON geometry or pasted coordinates.
pub fn application_at(use_kind: &str, infrastructure: bool, months: i64, boundary: Value) -> Value {
    json!({
        "applicant_kind": "enterprise",
        "applicant_role": "contractor",
        "applicant_name": "宁夏某路桥工程有限公司",
        "applicant_credit_code": CREDIT_CODE,
        "contact_name": "王工",
        "contact_phone": "13800001234",
        "project_name": "G109线同心段改建工程",
        "project_type": "construction",
        "infrastructure": infrastructure,
        "use_kind": use_kind,
        "site_location": "豫海镇王团村，东至乡道，西至沟，南至荒地，北至渠",
        "boundary": boundary,
        "period_months": months,
    })
}

/// A general site of one hectare clear of every layer of [`land`]'s map.
pub fn application(infrastructure: bool, months: i64) -> Value {
    application_at(
        "general",
        infrastructure,
        months,
        land::rect(0.0, 0.0, 100.0, 100.0),
    )
}

pub async fn file(t: &TestApp, c: &Client, data: Value, key: &str) -> Reply {
    let body = json!({
        "procedure": "temporary_land", "township": "豫海镇", "data": data, "client_key": key
    });
    t.json(Method::POST, "/api/v1/cases", Some(c), &body.to_string())
        .await
}

pub fn materials() -> Value {
    json!({
        "m1_identity_application": true,
        "m2_site_opinion_contract": true,
        "m3_project_approval": true,
        "m4_reclamation_agreement": false,
        "m5_ownership_maps": true,
        "m6_payment_proofs": true,
    })
}

pub fn approval() -> Value {
    json!({
        "reclamation_fee_account": "同心县农商银行 6228 0000 1111",
        "reclamation_fee_amount": 360000,
        "reclamation_fee_deposited": true,
        "tripartite_agreement": true,
        "compensation_paid": true,
        "approval_opinion": "同意临时使用，期满前完成复垦",
    })
}

/// Drives an ordinary site for `months` from its application to approval on `day` (no
/// correction).
pub async fn approved_on(
    t: &TestApp,
    key: &str,
    day: (i32, u32, u32),
    months: i64,
) -> (Value, Client, Client) {
    let applicant = t.login(Role::Applicant).await;
    let dept = t.login(Role::Department).await;
    land::import_layers(t, &dept).await;
    on(t, day.0, day.1, day.2);
    let r = file(t, &applicant, application(false, months), key).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut case = r.json();
    for (who, action, data) in [
        (
            &dept,
            "give_site_opinion",
            json!({"survey_date": format!("{}-{:02}-{:02}", day.0, day.1, day.2), "boundary_surveyed": true, "site_opinion": "可行"}),
        ),
        (
            &applicant,
            "submit_plan",
            json!({"reclamation_plan_kind": "report_form", "reclamation_plan_title": "复垦方案"}),
        ),
        (
            &dept,
            "pass_plan_review",
            json!({"expert_pool": "county", "expert_opinion": "可行"}),
        ),
        (&applicant, "submit_materials", materials()),
        (&dept, "accept", json!({})),
        (&dept, "approve", approval()),
    ] {
        case = step(t, who, &case, action, data).await;
    }
    assert_eq!(case["state"], "approved");
    (case, applicant, dept)
}
