//! 群众举报 (同党办综〔2023〕55号 八、（三）; 同政办规发〔2023〕6号 第二十八条) through the API and
//! the pages: a report lodged publicly, routed by topic, handled as a problem of the supervision
//! ledger, verified, answered with the reward decision, and followed by its receipt number;
//! bad input, a reused captcha, the rate limit and photos refused by their content.

use crate::support;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::json;
use support::gov_investment::official;
use support::reports::{captcha, lodge, report, solve};
use support::{Client, TestApp};
use tongxin_domain::Role;

fn fields(r: &support::Reply) -> Vec<String> {
    r.json()["error"]["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn eco(t: &TestApp) -> Client {
    official(t, "t-huanjing", "生态环境分局").await
}

#[tokio::test]
async fn a_report_is_lodged_routed_handled_answered_and_followed() {
    for t in TestApp::all().await {
        let r = lodge(&t, "environment", "豫海镇").await;
        let receipt = r["receipt"].as_str().unwrap().to_owned();
        assert!(receipt.starts_with("JB20261129-"), "{receipt}");
        assert_eq!(r["unit"]["name"], "生态环境分局");
        assert_eq!(r["workdays"], 15);
        // D2 is internal: its clause is not named to the public.
        assert_eq!(r["period_clause"], "");

        // The public sees where it stands, none of what was typed.
        let f = t
            .get(&format!("/api/v1/public/reports/{receipt}"), None)
            .await;
        assert_eq!(f.status, StatusCode::OK, "{}", f.body);
        assert_eq!(f.json()["stage"], "handling");
        for secret in ["13909531234", "罐车", "清水河大桥"] {
            assert!(!f.body.contains(secret), "{secret} in {}", f.body);
        }
        // Typed loosely, the number still finds it.
        let loose = receipt.to_lowercase().replace('-', " ");
        let f2 = t
            .get(
                &format!("/api/v1/public/reports/{}", loose.replace(' ', "%20")),
                None,
            )
            .await;
        assert_eq!(f2.status, StatusCode::OK, "{}", f2.body);

        // The handling unit sees it with the contact in full; the office masked; another
        // unit not at all.
        let unit = eco(&t).await;
        let mine = t.get("/api/v1/reports", Some(&unit)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let item = &mine.json()["items"][0];
        assert_eq!(item["receipt"], receipt.as_str());
        assert_eq!(item["contact"], "13909531234");
        let office = t.login(Role::Supervision).await;
        let seen = t
            .get(&format!("/api/v1/reports/{receipt}"), Some(&office))
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert!(!seen.body.contains("13909531234"), "{}", seen.body);
        let other = t.login(Role::Department).await; // 自然资源局
        let hidden = t
            .get(&format!("/api/v1/reports/{receipt}"), Some(&other))
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);

        // It is a problem of the ledger, with the handling period as its deadline.
        let v = seen.json();
        let problem = v["problem"]["id"].as_i64().unwrap();
        assert_eq!(v["problem"]["link_kind"], "report");
        assert_eq!(v["problem"]["deadline"], r["deadline"]);

        // Publishing before the office verified is refused.
        let early = t
            .json(
                Method::POST,
                &format!("/api/v1/reports/{receipt}/outcome"),
                Some(&unit),
                &json!({ "outcome": "经现场核查，情况属实，已立案查处。", "reward": "granted", "reward_amount": "500", "version": v["version"] }).to_string(),
            )
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
        assert!(early.body.contains("核验销号后"), "{}", early.body);

        let step = |c: &Client, step: &str, text: &str, version: i64| {
            let body = json!({ "step": step, "text": text, "version": version }).to_string();
            let path = format!("/api/v1/supervision/problems/{problem}/steps");
            let c = c.clone();
            let t = &t;
            async move { t.json(Method::POST, &path, Some(&c), &body).await }
        };
        let filed = step(
            &unit,
            "file_evidence",
            "现场核查属实，已责令停止排放并立案",
            v["problem"]["version"].as_i64().unwrap(),
        )
        .await;
        assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
        assert_eq!(
            t.get(&format!("/api/v1/public/reports/{receipt}"), None)
                .await
                .json()["stage"],
            "verifying"
        );
        let verified = step(
            &office,
            "verify",
            "",
            filed.json()["version"].as_i64().unwrap(),
        )
        .await;
        assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);

        // The amount must be a number; then the outcome is published with the reward.
        let bad = t
            .json(
                Method::POST,
                &format!("/api/v1/reports/{receipt}/outcome"),
                Some(&unit),
                &json!({ "outcome": "短", "reward": "granted", "reward_amount": "五百", "version": v["version"] }).to_string(),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(fields(&bad), ["outcome", "reward_amount"], "{}", bad.body);
        let done = t
            .json(
                Method::POST,
                &format!("/api/v1/reports/{receipt}/outcome"),
                Some(&unit),
                &json!({ "outcome": "经现场核查，情况属实，已责令停止排放，立案查处并处罚款。", "reward": "granted", "reward_amount": "500", "version": v["version"] }).to_string(),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.json()["stage"], "answered");
        let again = t
            .json(
                Method::POST,
                &format!("/api/v1/reports/{receipt}/outcome"),
                Some(&unit),
                &json!({ "outcome": "经现场核查，情况属实，改为另一种说法。", "reward": "not_granted", "reward_reason": "x", "version": done.json()["version"] }).to_string(),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

        // Followed by its number: the outcome and the reward, still nothing typed.
        let f = t
            .get(&format!("/api/v1/public/reports/{receipt}"), None)
            .await
            .json();
        assert_eq!(f["stage"], "answered");
        assert!(f["outcome"].as_str().unwrap().contains("立案查处"));
        assert_eq!(f["reward"], "给予奖励500元");
        let page = t
            .get(&format!("/public/report/follow?receipt={receipt}"), None)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("给予奖励500元"), "{}", page.body);
        assert!(!page.body.contains("13909531234"));

        // Illegal building goes to the township where it is.
        let b = lodge(&t, "illegal_building", "韦州镇").await;
        assert_eq!(b["unit"]["name"], "韦州镇");
        // Grazing to 自然资源局, which now sees it.
        let g = lodge(&t, "grazing", "下马关镇").await;
        assert_eq!(g["unit"]["name"], "自然资源局");
        let theirs = t.get("/api/v1/reports", Some(&other)).await.json();
        assert_eq!(theirs["total"], 1);
    }
}

#[tokio::test]
async fn bad_reports_reused_captchas_the_rate_limit_and_photos() {
    let t = TestApp::new().await;
    // Everything wrong at once: each named by its field.
    let (token, answer) = captcha(&t).await;
    let wrong = (answer.parse::<i64>().unwrap() + 1).to_string();
    let body = json!({
        "topic": "noise",
        "township": "财政局",
        "place": " ",
        "lon": "36.98",
        "lat": "105.914",
        "happened_on": "2027-01-01",
        "description": "太吵",
        "captcha_token": token,
        "captcha_answer": wrong,
    });
    let r = t
        .json(
            Method::POST,
            "/api/v1/public/reports",
            None,
            &body.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        fields(&r),
        [
            "topic",
            "township",
            "place",
            "lon",
            "happened_on",
            "description",
            "captcha_answer"
        ],
        "{}",
        r.body
    );
    assert!(r.body.contains("不在同心县范围内"), "{}", r.body);
    assert!(r.body.contains("至少10个字"), "{}", r.body);
    // The challenge answered wrongly is spent: the right answer now is refused too.
    let reuse = t
        .json(
            Method::POST,
            "/api/v1/public/reports",
            None,
            &report("environment", "豫海镇", &token, &answer).to_string(),
        )
        .await;
    assert_eq!(fields(&reuse), ["captcha_answer"], "{}", reuse.body);
    // So is one answered rightly.
    let (token, answer) = captcha(&t).await;
    let body = report("environment", "豫海镇", &token, &answer).to_string();
    let ok = t
        .json(Method::POST, "/api/v1/public/reports", None, &body)
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let twice = t
        .json(Method::POST, "/api/v1/public/reports", None, &body)
        .await;
    assert_eq!(fields(&twice), ["captcha_answer"], "{}", twice.body);
    // An expired challenge.
    let (token, answer) = captcha(&t).await;
    t.clock.advance(Duration::minutes(31));
    let late = t
        .json(
            Method::POST,
            "/api/v1/public/reports",
            None,
            &report("environment", "豫海镇", &token, &answer).to_string(),
        )
        .await;
    assert!(late.body.contains("验证码已过期"), "{}", late.body);
    // Five an hour from one address; the sixth waits.
    for _ in 0..4 {
        lodge(&t, "environment", "豫海镇").await;
    }
    let (token, answer) = captcha(&t).await;
    let sixth = t
        .json(
            Method::POST,
            "/api/v1/public/reports",
            None,
            &report("environment", "豫海镇", &token, &answer).to_string(),
        )
        .await;
    assert_eq!(fields(&sixth), ["form"], "{}", sixth.body);
    assert!(sixth.body.contains("每小时最多提交5件"), "{}", sixth.body);
    t.clock.advance(Duration::minutes(61));
    lodge(&t, "environment", "豫海镇").await;
}

#[tokio::test]
async fn the_page_form_keeps_what_was_typed_and_takes_photos_by_their_content() {
    let t = TestApp::new().await;
    let form = t.get("/public/report", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<svg"), "{}", form.body);
    let token = form
        .body
        .split("name=\"captcha_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let answer = solve(&t, &token).await;
    let jpg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    let pdf: &[u8] = b"%PDF-1.4 not a photo";
    let fields = |token: &str, answer: &str, photo: (&'static str, &'static [u8])| {
        vec![
            ("topic", None, b"environment".as_slice()),
            ("township", None, "豫海镇".as_bytes()),
            ("place", None, "城关村三组".as_bytes()),
            (
                "description",
                None,
                "村口垃圾堆放点每天傍晚焚烧垃圾，烟很大。".as_bytes(),
            ),
            ("captcha_token", None, token.as_bytes().to_vec().leak()),
            ("captcha_answer", None, answer.as_bytes().to_vec().leak()),
            ("photos", Some(photo.0), photo.1),
        ]
    };
    let refused = t
        .upload(
            None,
            "/public/report",
            false,
            &fields(&token, &answer, ("a.jpg", pdf)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("不是JPG或PNG照片"),
        "{}",
        refused.body
    );
    // What was typed is still there; a new picture to answer.
    assert!(refused.body.contains("城关村三组"));
    assert!(refused.body.contains("每天傍晚焚烧垃圾"));
    let token = refused
        .body
        .split("name=\"captcha_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let answer = solve(&t, &token).await;
    let jpg_static: &'static [u8] = jpg.to_vec().leak();
    let ok = t
        .upload(
            None,
            "/public/report",
            false,
            &fields(&token, &answer, ("现场.jpg", jpg_static)),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let receipt = ok
        .body
        .split("id=\"receipt\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    // The unit sees the photo and may download it; the public page has none of it.
    let unit = eco(&t).await;
    let page = t.get(&format!("/reports/{receipt}"), Some(&unit)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("现场.jpg"), "{}", page.body);
    // The problem it is handled as leads back to it.
    let pid = page
        .body
        .split("/supervision/problems/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let problem = t
        .get(&format!("/supervision/problems/{pid}"), Some(&unit))
        .await;
    assert!(
        problem.body.contains(&format!("/reports/{receipt}")),
        "{}",
        problem.body
    );
    let id = page
        .body
        .split("/supervision/attachments/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let file = t
        .get(&format!("/supervision/attachments/{id}"), Some(&unit))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let other = t.login(Role::Department).await;
    let hidden = t
        .get(&format!("/supervision/attachments/{id}"), Some(&other))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let public = t
        .get(&format!("/public/report/follow?receipt={receipt}"), None)
        .await;
    assert!(public.body.contains("核查处理中"), "{}", public.body);
    assert!(!public.body.contains("现场.jpg"));
    // The portal links the form and the follow-up.
    let portal = t.get("/public", None).await;
    assert_eq!(portal.status, StatusCode::OK);
    assert!(portal.body.contains("/public/report/follow"));
}
