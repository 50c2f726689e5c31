//! Helpers for driving cases through the JSON API on the test clock.

use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use super::{Client, Reply, TestApp};

/// Sets the county date (09:00 in Ningxia).
pub fn on(t: &TestApp, y: i32, m: u32, d: u32) {
    t.clock
        .set(Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).single().unwrap());
}

pub async fn act(t: &TestApp, c: &Client, case: &Value, action: &str, data: Value) -> Reply {
    let id = case["id"].as_i64().unwrap();
    let body = json!({ "action": action, "data": data, "version": case["version"] });
    t.json(
        Method::POST,
        &format!("/api/v1/cases/{id}/actions"),
        Some(c),
        &body.to_string(),
    )
    .await
}

/// Acts and expects success; returns the case as it is afterwards.
pub async fn step(t: &TestApp, c: &Client, case: &Value, action: &str, data: Value) -> Value {
    let r = act(t, c, case, action, data).await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    r.json()
}

pub fn deadline<'a>(case: &'a Value, id: &str) -> &'a Value {
    case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|d| d["deadline"] == id)
        .unwrap_or_else(|| panic!("no deadline {id} in {case}"))
}

pub fn due(case: &Value, id: &str) -> NaiveDate {
    deadline(case, id)["due_on"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("deadline {id} has no due date: {case}"))
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn actions(case: &Value) -> Vec<String> {
    case["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn field_errors(r: &Reply) -> Vec<(String, String)> {
    r.json()["error"]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or("").to_owned(),
                f["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}
