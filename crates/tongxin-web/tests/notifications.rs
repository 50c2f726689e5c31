//! 通知 (issue 11, part 5): an event writes its notification with itself; the deliverer sends
//! it to the unit's robot — here a local webhook server that fails twice before it answers —
//! exactly once, retrying with back-off, every attempt visible to the administrator; the
//! workbench shows it; each user chooses what reaches their mailbox; bad channel and
//! subscription input is refused naming the field.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};
use support::TestApp;
use support::reports::lodge;
use tongxin_app::notify::{Deliverer, DeliveryConfig};
use tongxin_domain::Role;

/// A robot on 127.0.0.1 that answers 500 to its first `fail` requests and `{"errcode":0}` after,
/// keeping every body it was sent.
struct Robot {
    url: String,
    hits: Arc<AtomicUsize>,
    taken: Arc<std::sync::Mutex<Vec<Value>>>,
}

async fn robot(fail: usize) -> Robot {
    let hits = Arc::new(AtomicUsize::new(0));
    let taken = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (h, k) = (hits.clone(), taken.clone());
    let app = axum::Router::new().route(
        "/robot/send",
        axum::routing::post(move |body: String| {
            let (h, k) = (h.clone(), k.clone());
            async move {
                let n = h.fetch_add(1, Ordering::SeqCst);
                if n < fail {
                    return (StatusCode::INTERNAL_SERVER_ERROR, "busy".to_owned());
                }
                k.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap_or(Value::Null));
                (StatusCode::OK, r#"{"errcode":0,"errmsg":"ok"}"#.to_owned())
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Robot {
        url: format!("http://{addr}/robot/send?access_token=test-token-1234"),
        hits,
        taken,
    }
}

fn deliverer() -> Deliverer {
    Deliverer::new(DeliveryConfig {
        base_url: "http://tongxin.test".into(),
        smtp_url: None,
        smtp_from: "同心 <noreply@tongxin.test>".into(),
        timeout: std::time::Duration::from_secs(5),
    })
    .unwrap()
}

fn fields(r: &support::Reply) -> Vec<String> {
    support::cases::field_errors(r)
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

#[tokio::test]
async fn a_report_reaches_the_units_robot_exactly_once_after_it_failed_twice() {
    for t in TestApp::all().await {
        let bot = robot(2).await;
        let admin = t.login(Role::SystemAdmin).await;
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &json!({ "unit": "生态环境分局", "kind": "dingtalk", "target": bot.url, "secret": "SECtest", "kinds": ["report", "overdue"] }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // The token is not shown back.
        let r = t.get("/api/v1/notifications/channels", Some(&admin)).await;
        assert!(!r.body.contains("test-token-1234"), "{}", r.body);
        assert!(r.body.contains("access_token=****1234"), "{}", r.body);

        // The event: a report routed to 生态环境分局. Its notification is written with it.
        let report = lodge(&t, "environment", "豫海镇").await;
        let receipt = report["receipt"].as_str().unwrap().to_owned();
        let n = t
            .app
            .store
            .notification(&format!("report:{receipt}"))
            .await
            .unwrap()
            .expect("the report's notification, written with it");
        assert_eq!(n.kind, "report");
        assert!(
            !n.body.contains("13909531234"),
            "no reporter's phone: {}",
            n.body
        );

        let d = deliverer();
        // Two deliverers at once claim each delivery once: one request between them.
        let (a, b) = tokio::join!(
            t.app.deliver_notifications(&d),
            t.app.deliver_notifications(&d)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.retrying + b.retrying, 1, "{a:?} {b:?}");
        assert_eq!(bot.hits.load(Ordering::SeqCst), 1);
        // Not due again before its back-off has passed.
        t.clock.advance(Duration::seconds(10));
        t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(bot.hits.load(Ordering::SeqCst), 1);
        t.clock.advance(Duration::seconds(25));
        let second = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!((second.delivered, second.retrying), (0, 1));
        t.clock.advance(Duration::seconds(61));
        let third = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(third.delivered, 1, "{third:?}");
        // And never again, however long the deliverer runs.
        for _ in 0..3 {
            t.clock.advance(Duration::hours(2));
            let r = t.app.deliver_notifications(&d).await.unwrap();
            assert_eq!(r.delivered + r.retrying + r.failed, 0, "{r:?}");
        }
        assert_eq!(bot.hits.load(Ordering::SeqCst), 3);
        let taken = bot.taken.lock().unwrap().clone();
        assert_eq!(taken.len(), 1, "delivered exactly once: {taken:?}");
        assert_eq!(taken[0]["msgtype"], "markdown");
        let text = taken[0]["markdown"]["text"].as_str().unwrap();
        assert!(text.contains(&receipt), "{text}");
        assert!(
            text.contains(&format!("http://tongxin.test/reports/{receipt}")),
            "{text}"
        );

        // The administrator (logged in anew: the hours passed ended the session) sees the
        // delivery and its three attempts.
        let admin = t.login(Role::SystemAdmin).await;
        let r = t
            .get(
                "/api/v1/notifications/deliveries?status=delivered",
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let items = r.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{}", r.body);
        let attempts = items[0]["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 3);
        assert_eq!(
            attempts
                .iter()
                .map(|a| a["ok"].as_bool().unwrap())
                .collect::<Vec<_>>(),
            [false, false, true]
        );
        assert!(attempts[0]["detail"].as_str().unwrap().contains("HTTP 500"));
        let page = t.get("/notifications", Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("已送达") && page.body.contains("HTTP 500"));

        // The handling unit's workbench shows the report.
        let eco = support::gov_investment::official(&t, "t-huanjing", "生态环境分局").await;
        let inbox = t.get("/api/v1/inbox", Some(&eco)).await;
        assert!(inbox.body.contains(&receipt), "{}", inbox.body);
        let wb = t.get("/workbench", Some(&eco)).await;
        assert!(
            wb.body.contains(&format!("/reports/{receipt}")),
            "workbench links the report"
        );

        // Others may not see the deliveries.
        let office = t.login(Role::Supervision).await;
        let r = t
            .get("/api/v1/notifications/deliveries", Some(&office))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_robot_that_never_answers_is_given_up_shown_and_sent_again_on_request() {
    for t in TestApp::all().await {
        let bot = robot(usize::MAX).await;
        let admin = t.login(Role::SystemAdmin).await;
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &json!({ "unit": "生态环境分局", "kind": "wecom", "target": bot.url }).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        lodge(&t, "environment", "豫海镇").await;
        let d = deliverer();
        let mut failed = 0;
        for _ in 0..tongxin_app::notify::MAX_ATTEMPTS + 2 {
            failed += t.app.deliver_notifications(&d).await.unwrap().failed;
            t.clock.advance(Duration::hours(1));
        }
        assert_eq!(failed, 1);
        assert_eq!(
            bot.hits.load(Ordering::SeqCst),
            tongxin_app::notify::MAX_ATTEMPTS as usize
        );
        let admin = t.login(Role::SystemAdmin).await;
        let r = t
            .get(
                "/api/v1/notifications/deliveries?status=failed",
                Some(&admin),
            )
            .await;
        let items = r.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{}", r.body);
        assert_eq!(items[0]["may_retry"], true);
        let id = items[0]["id"].as_i64().unwrap();
        let r = t
            .json(
                Method::POST,
                &format!("/api/v1/notifications/deliveries/{id}/retry"),
                Some(&admin),
                "{}",
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        // Only a failed one can be sent again.
        let again = t
            .json(
                Method::POST,
                &format!("/api/v1/notifications/deliveries/{id}/retry"),
                Some(&admin),
                "{}",
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(
            bot.hits.load(Ordering::SeqCst),
            tongxin_app::notify::MAX_ATTEMPTS as usize + 1
        );
    }
}

#[tokio::test]
async fn the_daily_digest_is_written_once_a_day_for_a_unit_with_overdue_items() {
    for t in TestApp::all().await {
        let report = lodge(&t, "environment", "豫海镇").await;
        let unit = report["unit"]["id"].as_str().unwrap().to_owned();
        // Past the report's handling period (15 working days), at 09:00 in the county.
        t.clock.advance(Duration::days(40));
        let today = t.app.clock.today();
        let first = t.app.sweep(today).await.unwrap();
        assert!(first.digests >= 1, "{first:?}");
        let digest = t
            .app
            .store
            .notification(&format!("digest:{unit}:{today}"))
            .await
            .unwrap()
            .expect("the unit's digest");
        assert!(
            digest.body.contains("逾期未整改问题（含群众举报）1个"),
            "{}",
            digest.body
        );
        // The day's later sweeps write nothing new: fanned out once, nothing to send twice.
        t.app.sweep(today).await.unwrap();
        let d = deliverer();
        t.app.deliver_notifications(&d).await.unwrap();
        t.app.sweep(today).await.unwrap();
        assert_eq!(t.app.fan_out_notifications().await.unwrap(), 0);
        let again = t
            .app
            .store
            .notification(&format!("digest:{unit}:{today}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.id, digest.id);
    }
}

#[tokio::test]
async fn subscriptions_and_channels_refuse_bad_input_by_field() {
    for t in TestApp::all().await {
        let user = t.login(Role::Township).await;
        let r = t.get("/api/v1/me/notifications", Some(&user)).await;
        assert_eq!(r.status, StatusCode::OK);
        let prefs = r.json();
        assert_eq!(prefs["email"], "");
        assert_eq!(prefs["version"], 0);
        let bad = t
            .json(
                Method::POST,
                "/api/v1/me/notifications",
                Some(&user),
                &json!({ "email": "zhang@", "kinds": ["overdue", "lottery"], "version": 0 })
                    .to_string(),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(fields(&bad), ["email", "kinds"]);
        assert!(bad.body.contains("电子邮箱"), "{}", bad.body);
        let ok = t
            .json(
                Method::POST,
                "/api/v1/me/notifications",
                Some(&user),
                &json!({ "email": "zhang@tongxin.gov.cn", "kinds": ["overdue", "digest"], "version": 0 }).to_string(),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.json()["version"], 1);
        // A second session still holding version 0 is told.
        let stale = t
            .json(
                Method::POST,
                "/api/v1/me/notifications",
                Some(&user),
                &json!({ "email": "li@tongxin.gov.cn", "kinds": [], "version": 0 }).to_string(),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        // The page form keeps what was typed when refused.
        let page = t
            .request(
                Method::POST,
                "/me/notifications",
                Some(&user),
                Some((
                    "application/x-www-form-urlencoded",
                    format!(
                        "csrf={}&version=1&email=bad-address&kind_report=on",
                        user.csrf
                    ),
                )),
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            page.body
        );
        assert!(page.body.contains("value=\"bad-address\""));

        let admin = t.login(Role::SystemAdmin).await;
        let bad = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &json!({ "unit": "不存在的单位", "kind": "pager", "target": "ftp://x", "kinds": ["nope"] }).to_string(),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(fields(&bad), ["unit", "kind", "kinds"]);
        let bad = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &json!({ "unit": "豫海镇", "kind": "dingtalk", "target": "oapi.dingtalk.com/robot" }).to_string(),
            )
            .await;
        assert_eq!(fields(&bad), ["target"]);
        let bad = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &json!({ "unit": "豫海镇", "kind": "email", "target": "xzb@tongxin.gov.cn", "secret": "SEC1" }).to_string(),
            )
            .await;
        assert_eq!(fields(&bad), ["secret"]);
        // Only the system administrator configures channels.
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&user),
                &json!({ "unit": "豫海镇", "kind": "email", "target": "xzb@tongxin.gov.cn" })
                    .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

/// A mail relay on 127.0.0.1 that takes every message (enough SMTP for lettre) and keeps what
/// was sent between DATA and the final dot.
async fn relay() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let mails = Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = mails.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 relay.test ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            kept.lock().unwrap().push(std::mem::take(body));
                            data = None;
                            w.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-relay.test\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (format!("smtp://{addr}"), mails)
}

#[tokio::test]
async fn a_user_subscribed_to_reports_gets_one_mail_through_the_relay() {
    for t in TestApp::all().await {
        let (smtp_url, mails) = relay().await;
        let eco = support::gov_investment::official(&t, "t-huanjing", "生态环境分局").await;
        let r = t
            .json(
                Method::POST,
                "/api/v1/me/notifications",
                Some(&eco),
                &json!({ "email": "huanjing@tongxin.test", "kinds": ["report"], "version": 0 })
                    .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let report = lodge(&t, "environment", "豫海镇").await;
        let receipt = report["receipt"].as_str().unwrap().to_owned();
        let d = Deliverer::new(DeliveryConfig {
            base_url: "http://tongxin.test".into(),
            smtp_url: Some(smtp_url),
            smtp_from: "同心 <noreply@tongxin.test>".into(),
            timeout: std::time::Duration::from_secs(5),
        })
        .unwrap();
        let round = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(round.delivered, 1, "{round:?}");
        t.clock.advance(Duration::hours(3));
        let again = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(again.delivered + again.retrying, 0);
        let mails = mails.lock().unwrap().clone();
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert!(mails[0].contains("huanjing@tongxin.test"), "{}", mails[0]);
        // The body (Base64 after the headers) carries the report and its link.
        use base64::Engine;
        let (_, encoded) = mails[0].split_once("\n\n").unwrap();
        let body = base64::engine::general_purpose::STANDARD
            .decode(encoded.replace('\n', "").trim())
            .unwrap();
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains(&format!("http://tongxin.test/reports/{receipt}")),
            "{body}"
        );
        assert!(
            body.contains("请于") && !body.contains("13909531234"),
            "{body}"
        );
        // Without a relay configured, an e-mail is given up at once and says why.
        let none = Deliverer::new(DeliveryConfig {
            base_url: "http://tongxin.test".into(),
            smtp_url: None,
            smtp_from: "同心 <noreply@tongxin.test>".into(),
            timeout: std::time::Duration::from_secs(5),
        })
        .unwrap();
        lodge(&t, "environment", "豫海镇").await;
        let r = t.app.deliver_notifications(&none).await.unwrap();
        assert_eq!(r.failed, 1, "{r:?}");
        let admin = t.login(Role::SystemAdmin).await;
        let list = t
            .get(
                "/api/v1/notifications/deliveries?status=failed",
                Some(&admin),
            )
            .await;
        assert!(list.body.contains("未配置发信服务器"), "{}", list.body);
    }
}

/// 发送测试消息: the administrator checks a new robot from its row; the message goes to that
/// channel only, once, and its attempt is listed with the deliveries.
#[tokio::test]
async fn a_test_message_reaches_only_the_channel_it_was_sent_to() {
    for t in TestApp::all().await {
        let (tested, other) = (robot(0).await, robot(0).await);
        let admin = t.login(Role::SystemAdmin).await;
        let add = |url: String| {
            json!({ "unit": "自然资源局", "kind": "wecom", "target": url, "kinds": [] }).to_string()
        };
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &add(tested.url.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels",
                Some(&admin),
                &add(other.url.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        // From the channel's row on the page: queued, and said so.
        let page = t.get("/notifications", Some(&admin)).await;
        assert!(
            page.body.contains(&format!("id=\"test-{id}\"")),
            "{}",
            page.body
        );
        let r = t
            .request(
                Method::POST,
                &format!("/notifications/channels/{id}/test"),
                Some(&admin),
                Some((
                    "application/x-www-form-urlencoded",
                    format!("csrf={}", admin.csrf),
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        let d = deliverer();
        let round = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(round.delivered, 1, "{round:?}");
        assert_eq!(tested.hits.load(Ordering::SeqCst), 1);
        assert_eq!(
            other.hits.load(Ordering::SeqCst),
            0,
            "the other channel is not sent a test"
        );
        let sent = tested.taken.lock().unwrap()[0].to_string();
        assert!(
            sent.contains("测试消息") && sent.contains("自然资源局"),
            "{sent}"
        );
        // Delivered once: another round sends nothing.
        let again = t.app.deliver_notifications(&d).await.unwrap();
        assert_eq!(again.delivered, 0);
        assert_eq!(tested.hits.load(Ordering::SeqCst), 1);
        let r = t
            .get(
                "/api/v1/notifications/deliveries?status=delivered",
                Some(&admin),
            )
            .await;
        assert!(r.body.contains("测试消息"), "{}", r.body);

        // Through the API: a second within the same second is one click too many; a minute
        // later it goes; a channel that does not exist is not found.
        let api_test = |admin: support::Client| {
            let path = format!("/api/v1/notifications/channels/{id}/test");
            let t = &t;
            async move { t.json(Method::POST, &path, Some(&admin), "").await }
        };
        let r = api_test(admin.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(
            r.body.contains("刚刚已向这个渠道发送过测试消息"),
            "{}",
            r.body
        );
        t.clock.advance(Duration::minutes(1));
        let r = api_test(admin.clone()).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let r = t
            .json(
                Method::POST,
                "/api/v1/notifications/channels/999999/test",
                Some(&admin),
                "",
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
}
