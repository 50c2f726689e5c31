//! 指标 through the API and the pages, on SQLite and PostgreSQL, with a fixed clock: every D2
//! target and the revenue target listed with its clause and status; 生态环境分局 enters monthly
//! PM2.5 values, a slip far from the last is asked about, the office returns one and accepts
//! another, and the status follows the rule at the target's date.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::on;
use support::gov_investment::official;
use support::{Client, TestApp};
use tongxin_domain::Role;

async fn enter(t: &TestApp, c: &Client, code: &str, body: Value) -> support::Reply {
    t.json(
        Method::POST,
        &format!("/api/v1/indicators/{code}/values"),
        Some(c),
        &body.to_string(),
    )
    .await
}

async fn view(t: &TestApp, c: &Client, code: &str) -> Value {
    let r = t.get(&format!("/api/v1/indicators/{code}"), Some(c)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn monthly_pm25_is_entered_checked_reviewed_and_judged_at_the_years_end() {
    for t in TestApp::all().await {
        on(&t, 2023, 11, 2);
        let leader = t.login(Role::CountyLeader).await;
        let all = t.get("/api/v1/indicators", Some(&leader)).await.json();
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 27, "D2's 26 targets and D8's revenue target");
        let pm25 = all.iter().find(|i| i["code"] == "d2.air.pm25").unwrap();
        assert_eq!(
            (
                pm25["target_text"].as_str(),
                pm25["citation"].as_str(),
                pm25["status_label"].as_str()
            ),
            (
                Some("不高于34μg/m³"),
                Some("同党办综〔2023〕55号 一、（一）"),
                Some("尚无数据")
            )
        );

        let eco = official(&t, "t-eco", "生态环境分局").await;
        // Refused by name: no number, a period not begun, a negative value.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "三十八"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("“三十八”不是数值"));
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-12", "value": "30"}),
        )
        .await;
        assert!(r.body.contains("2023年12月尚未开始"), "{}", r.body);
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "-1"}),
        )
        .await;
        assert!(r.body.contains("不能为负数"), "{}", r.body);
        // Another unit does not enter it.
        let other = official(&t, "t-agri", "农业农村局").await;
        let r = enter(
            &t,
            &other,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "38"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // October: 38. The straight line from no baseline: a level above its cap is at risk.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "38", "note": "10月均值"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "有风险"
        );
        // November typed as 3.6 (for 36): asked to confirm, kept nothing.
        on(&t, 2023, 12, 2);
        let eco = official(&t, "t-eco", "生态环境分局").await;
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11-30", "value": "3.6"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("与上期（2023年10月，38）相差较大"),
            "{}",
            r.body
        );
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11-30", "value": "33.5"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = view(&t, &eco, "d2.air.pm25").await;
        assert_eq!(
            v["status_label"], "进度正常",
            "a level under its cap before the date"
        );
        assert_eq!(v["latest"], "33.5μg/m³");

        // The office returns November (a wrong station), accepts October.
        let office = t.login(Role::Supervision).await;
        let entries = v["entries"].as_array().unwrap().clone();
        let nov = entries
            .iter()
            .find(|e| e["period"] == "2023年11月")
            .unwrap();
        let oct = entries
            .iter()
            .find(|e| e["period"] == "2023年10月")
            .unwrap();
        let review = |id: &Value, body: Value| {
            let t = &t;
            let office = office.clone();
            let id = id.as_i64().unwrap();
            async move {
                t.json(
                    Method::POST,
                    &format!("/api/v1/indicator-values/{id}/review"),
                    Some(&office),
                    &body.to_string(),
                )
                .await
            }
        };
        let r = review(
            &nov["id"],
            json!({"decision": "return", "version": nov["version"]}),
        )
        .await;
        assert!(r.body.contains("退回须写明原因"), "{}", r.body);
        let r = review(
            &nov["id"],
            json!({"decision": "return", "comment": "请用国控点数据", "version": nov["version"]}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = review(
            &oct["id"],
            json!({"decision": "accept", "version": oct["version"]}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A returned value does not count: back to October's 38.
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "有风险"
        );
        // October accepted cannot be changed; November is entered again.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "37"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11", "value": "34"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // December 33: after the year's end, achieved; the day the target falls, still open.
        on(&t, 2023, 12, 31);
        let eco = official(&t, "t-eco", "生态环境分局").await;
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-12", "value": "33"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "进度正常"
        );
        on(&t, 2024, 1, 1);
        let leader = t.login(Role::CountyLeader).await;
        let v = view(&t, &leader, "d2.air.pm25").await;
        assert_eq!(v["status_label"], "已达标", "{}", v["reason"]);

        // The pages: the overview with its clause links, the indicator with its chart.
        let page = t.get("/indicators", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("城市建成区PM2.5年均浓度") && page.body.contains("已达标"));
        assert!(
            page.body.contains("/clauses/"),
            "every target links to its clause"
        );
        let page = t.get("/indicators/d2.air.pm25", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<polyline") && page.body.contains("目标 34"));
        let missing = t.get("/indicators/nothing", Some(&leader)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_entry_form_keeps_what_was_typed_and_asks_to_confirm() {
    let t = TestApp::new().await;
    on(&t, 2023, 12, 5);
    let agri = official(&t, "t-agri", "农业农村局").await;
    let r = enter(
        &t,
        &agri,
        "d2.nonpoint.manure",
        json!({"period": "2023-10", "value": "80"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let form = |value: &str, confirm: bool| {
        format!(
            "csrf={}&form=value&period=2023-11&value={value}{}",
            agri.csrf,
            if confirm { "&confirm=1" } else { "" }
        )
    };
    let r = t
        .request(
            Method::POST,
            "/indicators/d2.nonpoint.manure",
            Some(&agri),
            Some(("application/x-www-form-urlencoded", form("101", false))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("须在0至100之间") && r.body.contains("value=\"101\""));
    let r = t
        .request(
            Method::POST,
            "/indicators/d2.nonpoint.manure",
            Some(&agri),
            Some(("application/x-www-form-urlencoded", form("8", false))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("确认数值无误"),
        "the confirmation is offered"
    );
    let r = t
        .request(
            Method::POST,
            "/indicators/d2.nonpoint.manure",
            Some(&agri),
            Some(("application/x-www-form-urlencoded", form("8", true))),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}
