//! Helpers for driving cases through the JSON API on the test clock.

use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use tongxin_domain::ids::resident_id_check_char;

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

// 宅基地 applications as a village files them.

/// A valid resident ID (GB 11643) for birth date 1990-01-01 and sequence `seq`.
pub fn id(seq: u32) -> String {
    let body = format!("64032419900101{:03}", seq % 1000);
    format!("{body}{}", resident_id_check_char(&body).unwrap())
}

pub fn application(seq: u32, land: &str, area: f64, storeys: i64) -> Value {
    let who = id(seq);
    json!({
        "applicant_name": "马小明",
        "applicant_id": who,
        "members": [
            {"name": "马小明", "resident_id": who, "relation": "户主"},
            {"name": "李梅", "resident_id": id(seq + 500), "relation": "配偶"}
        ],
        "village": "王团村",
        "village_group": "三组",
        "land_type": land,
        "area_m2": area,
        "storeys": storeys,
        "site_description": "东至村道，西至马某宅，南至耕地，北至渠",
        "coordinates": {"lon": 106.12, "lat": 36.98},
        "application_reason": "分户另建",
        "use_pledge_signed": true
    })
}

pub async fn file(t: &TestApp, c: &Client, data: Value, key: &str) -> Reply {
    let body = json!({ "procedure": "homestead", "data": data, "client_key": key });
    t.json(Method::POST, "/api/v1/cases", Some(c), &body.to_string())
        .await
}
