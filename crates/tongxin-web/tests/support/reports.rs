//! 群众举报 from the public side: the captcha solved as a person reading the picture would, and
//! a report lodged through the public API.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::TestApp;

/// The key the server signs captchas with, as someone reading the picture would know the sum.
pub async fn solve(t: &TestApp, token: &str) -> String {
    let key = t
        .app
        .store
        .meta("public_form_key")
        .await
        .unwrap()
        .expect("captcha key");
    let now = t.app.clock.now();
    (0..=60)
        .map(|n| n.to_string())
        .find(|a| tongxin_app::captcha::check(key.as_bytes(), token, a, now).is_ok())
        .expect("the sum of the picture")
}

/// A fresh captcha and its answer.
pub async fn captcha(t: &TestApp) -> (String, String) {
    let r = t.get("/api/v1/public/captcha", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = r.json();
    assert!(c["svg"].as_str().unwrap().starts_with("<svg"));
    let token = c["token"].as_str().unwrap().to_owned();
    let answer = solve(t, &token).await;
    (token, answer)
}

pub fn report(topic: &str, township: &str, token: &str, answer: &str) -> Value {
    json!({
        "topic": topic,
        "township": township,
        "place": "清水河大桥下游约200米",
        "lon": "105.914",
        "lat": "36.98",
        "happened_on": "2026-11-28",
        "description": "夜间有罐车向河道倾倒黑色污水，气味刺鼻，已持续三天。",
        "contact": "13909531234",
        "captcha_token": token,
        "captcha_answer": answer,
    })
}

pub async fn lodge(t: &TestApp, topic: &str, township: &str) -> Value {
    let (token, answer) = captcha(t).await;
    let r = t
        .json(
            Method::POST,
            "/api/v1/public/reports",
            None,
            &report(topic, township, &token, &answer).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}
