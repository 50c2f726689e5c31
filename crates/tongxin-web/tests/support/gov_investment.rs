//! Government-investment projects through the JSON API: the three units that act on one (the
//! department building it, 发展和改革局, 财政局) and a project's registration.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::cases::step;
use super::{Client, PASSWORD, Reply, TestApp};
use tongxin_app::users::NewUserInput;

/// The officials of one project: the building department's, 发改's and 财政's.
pub struct Officials {
    pub builder: Client,
    pub reform: Client,
    pub finance: Client,
}

/// A department official of `unit`, created once per app and logged in.
pub async fn official(t: &TestApp, username: &str, unit: &str) -> Client {
    if t.login_as(username, PASSWORD).await.status != StatusCode::OK {
        let input = NewUserInput {
            username: username.into(),
            display_name: format!("测试{unit}"),
            password: PASSWORD.into(),
            role: "department".into(),
            unit: unit.into(),
        };
        t.app.create_user(None, &input).await.unwrap();
    }
    let r = t.login_as(username, PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
    Client {
        cookie: r.session_cookie().expect("session cookie"),
        csrf: r.json()["csrf_token"].as_str().unwrap().to_owned(),
    }
}

pub async fn officials(t: &TestApp) -> Officials {
    Officials {
        builder: official(t, "t-jiaotong", "交通运输局").await,
        reform: official(t, "t-fagai", "发展和改革局").await,
        finance: official(t, "t-caizheng", "财政局").await,
    }
}

/// A road project of `amount` 万元, funded by the county and the region.
pub fn registration(amount: &str) -> Value {
    json!({
        "project_name": "同心县豫海镇至王团镇公路改建工程",
        "project_code": "2025-640324-48-01-000123",
        "construction_content": "改建二级公路12.5公里，路基宽10米",
        "total_investment": amount,
        "county_funds": "1000",
        "higher_funds": "4000",
        "higher_funds_fallback": "上级资金未及时到位的，由县级财政统筹一般债券资金先行保障",
        "responsible_leader": "马副县长",
        "contact_name": "李建国",
        "contact_phone": "13909530001",
    })
}

pub async fn file(t: &TestApp, c: &Client, data: Value, key: &str) -> Reply {
    let body = json!({
        "procedure": "gov_investment", "township": "豫海镇", "data": data, "client_key": key
    });
    t.json(Method::POST, "/api/v1/cases", Some(c), &body.to_string())
        .await
}

/// 发改 puts a registered project into the plan.
pub async fn planned(t: &TestApp, o: &Officials, data: Value, key: &str) -> Value {
    let r = file(t, &o.builder, data, key).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    step(
        t,
        &o.reform,
        &r.json(),
        "enter_plan",
        json!({"plan_name": "2025年县级政府投资计划"}),
    )
    .await
}

pub fn review(number_key: &str, number: &str) -> Value {
    let mut v = json!({"review_method": "expert_meeting", "review_opinion": "同意"});
    v[number_key] = json!(number);
    v
}

pub fn funding_review() -> Value {
    json!({"funding_review_number": "同财审〔2025〕12号", "funding_review_opinion": "资金来源可靠"})
}

/// A design-only project of `amount` 万元 (county money only) driven to construction, started
/// on the clock's day.
pub async fn under_construction(t: &TestApp, o: &Officials, amount: &str, key: &str) -> Value {
    let mut data = registration(amount);
    data["higher_funds"] = json!(null);
    data["county_funds"] = json!(amount);
    let mut case = planned(t, o, data, key).await;
    case = step(t, &o.builder, &case, "submit_design", json!({})).await;
    case = step(
        t,
        &o.finance,
        &case,
        "review_design_funding",
        funding_review(),
    )
    .await;
    let mut approval = review("design_approval_number", "同发改审〔2025〕31号");
    approval["approved_budget"] = json!(amount);
    case = step(t, &o.reform, &case, "approve_design", approval).await;
    case = step(
        t,
        &o.finance,
        &case,
        "confirm_funds",
        json!({"funds_confirmed": amount}),
    )
    .await;
    let today = t.app.clock.today().to_string();
    step(
        t,
        &o.builder,
        &case,
        "start_construction",
        json!({"construction_permit_number": "6403242025040101", "start_date": today, "tendering_done": true, "no_prefinancing": true}),
    )
    .await
}
