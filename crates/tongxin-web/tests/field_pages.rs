//! The field pages' forms (巡查执法): a patrol's finding filed as an enforcement case from its
//! line on /field, a village's type and plan and an idle homestead registered on
//! /field/villages with an old homestead's return recorded from its row, and a temporary-land
//! spot check recorded and published from /field/spot-checks. Each refusal shows the page again
//! with the reason beside the form and what was typed kept.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::on;
use support::{Client, Reply, TestApp};
use tongxin_domain::Role;

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Posts a page form: `pairs` as typed, with the client's CSRF token.
async fn submit(t: &TestApp, c: &Client, path: &str, pairs: &[(&str, &str)]) -> Reply {
    let mut body = format!("csrf={}", enc(&c.csrf));
    for (k, v) in pairs {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    t.request(
        Method::POST,
        path,
        Some(c),
        Some(("application/x-www-form-urlencoded", body)),
    )
    .await
}

fn refused(r: &Reply, typed: &[&str], reason: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("role=\"alert\""), "{}", r.body);
    assert!(r.body.contains(reason), "{reason}: {}", r.body);
    for t in typed {
        assert!(r.body.contains(t), "kept {t}: {}", r.body);
    }
}

fn done(r: &Reply, page: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers["location"].to_str().unwrap();
    assert!(to.starts_with(&format!("{page}?done=")), "{to}");
}

#[tokio::test]
async fn a_finding_is_filed_as_a_case_from_the_patrol_table() {
    let t = TestApp::new().await;
    let village = t.login(Role::Village).await;
    let r = t
        .json(
            Method::POST,
            "/api/v1/field/patrols",
            Some(&village),
            &json!({
                "patrolled_on": "2026-11-28",
                "village": "王团村",
                "route": "王团村一组至三组沿村道",
                "patrollers": "马某、李某",
                "findings": [{ "place": "王团村二组村道东侧", "description": "一户正在打地基，未见批准书" }]
            })
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let finding = r.json()["findings"][0]["id"].as_i64().unwrap();
    let path = format!("/field/findings/{finding}/case");
    let page = t.get("/field", Some(&village)).await;
    assert!(
        page.body.contains(&format!("action=\"{path}\"")),
        "{}",
        page.body
    );

    // No kind chosen: the page again, the reason beside the finding.
    let r = submit(&t, &village, &path, &[("kind", "")]).await;
    refused(&r, &["王团村二组村道东侧"], "类别");

    let r = submit(&t, &village, &path, &[("kind", "unapproved_building")]).await;
    done(&r, "/field");
    let cases = t.get("/api/v1/field/cases", Some(&village)).await.json();
    let case = &cases["items"][0];
    assert_eq!(case["kind"], "unapproved_building");
    assert_eq!(case["finding_id"], finding);
    // Filed once: the line now says so and has no form.
    let page = t.get("/field", Some(&village)).await;
    assert!(page.body.contains("已立案"), "{}", page.body);
    assert!(!page.body.contains(&format!("action=\"{path}\"")));
}

#[tokio::test]
async fn villages_and_idle_homesteads_are_registered_on_the_villages_page() {
    let t = TestApp::new().await;
    let township = t.login(Role::Township).await;
    let page = t.get("/field/villages", Some(&township)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for id in ["id=\"plan-form\"", "id=\"idle-form\""] {
        assert!(page.body.contains(id), "{id}: {}", page.body);
    }
    // The township's own township is chosen already.
    assert!(page.body.contains("selected>豫海镇"), "{}", page.body);

    // A plan published before it was approved: refused, what was typed kept.
    let plan = |published: &'static str| {
        vec![
            ("township", "豫海镇"),
            ("village", "王团村"),
            ("village_type", "cluster"),
            ("plan_name", "王团村村庄规划（2021—2035年）"),
            ("plan_number", "同政函〔2023〕12号"),
            ("approved_on", "2023-06-01"),
            ("published_on", published),
        ]
    };
    let r = submit(&t, &township, "/field/villages", &plan("2023-05-01")).await;
    refused(
        &r,
        &["王团村村庄规划（2021—2035年）", "同政函〔2023〕12号"],
        "早于批准日期",
    );
    let r = submit(&t, &township, "/field/villages", &plan("2023-06-10")).await;
    done(&r, "/field/villages");
    let page = t.get("/field/villages", Some(&township)).await;
    assert!(page.body.contains("集聚提升类") && page.body.contains("2023-06-10"));

    // The approved plan's text uploaded from its row; a village official downloads it, and
    // may not upload (乡镇、自然资源局 keep the plans).
    let plans: Value = t
        .get("/api/v1/field/villages", Some(&township))
        .await
        .json();
    let plan_id = plans[0]["villages"][0]["id"].as_i64().unwrap();
    let pdf: &[u8] = b"%PDF-1.4\n% village plan\n%%EOF\n";
    let r = t
        .upload(
            Some(&township),
            &format!(
                "/field/villages/{plan_id}/documents?csrf={}",
                enc(&township.csrf)
            ),
            false,
            &[("files", Some("王团村村庄规划.pdf"), pdf)],
        )
        .await;
    done(&r, "/field/villages");
    let page = t.get("/field/villages", Some(&township)).await;
    assert!(page.body.contains("王团村村庄规划.pdf"), "{}", page.body);
    let plans: Value = t
        .get("/api/v1/field/villages", Some(&township))
        .await
        .json();
    let doc = plans[0]["villages"][0]["documents"][0]["id"]
        .as_i64()
        .unwrap();
    let village = t.login(Role::Village).await;
    let file = t
        .get(&format!("/supervision/attachments/{doc}"), Some(&village))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body.as_bytes(), pdf);
    let r = t
        .upload(
            Some(&village),
            &format!("/api/v1/field/villages/{plan_id}/documents"),
            true,
            &[("files", Some("x.pdf"), pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // An old homestead promised back: refused without a location, then registered.
    let idle = |location: &'static str| {
        vec![
            ("township", "豫海镇"),
            ("village", "王团村"),
            ("kind", "old_homestead"),
            ("location", location),
            ("holder", "马明德"),
            ("area_m2", "260"),
            ("promised_on", "2026-12-10"),
        ]
    };
    let r = submit(&t, &township, "/field/idle-homesteads", &idle("")).await;
    refused(&r, &["马明德", "2026-12-10"], "位置");
    let r = submit(
        &t,
        &township,
        "/field/idle-homesteads",
        &idle("王团村三组12号"),
    )
    .await;
    done(&r, "/field/villages");
    let list: Value = t
        .get("/api/v1/field/idle-homesteads", Some(&township))
        .await
        .json();
    let id = list[0]["id"].as_i64().unwrap();

    // Its return recorded from its row, past the promised date: returned late.
    on(&t, 2026, 12, 14);
    let township = t.login(Role::Township).await;
    let path = format!("/field/idle-homesteads/{id}/return");
    let r = submit(
        &t,
        &township,
        &path,
        &[("version", "0"), ("returned_on", ""), ("reuse", "菜园")],
    )
    .await;
    refused(&r, &["菜园"], "退回日期");
    let r = submit(
        &t,
        &township,
        &path,
        &[
            ("version", "0"),
            ("returned_on", "2026-12-14"),
            ("reuse", "菜园"),
        ],
    )
    .await;
    done(&r, "/field/villages");
    let list: Value = t
        .get("/api/v1/field/idle-homesteads", Some(&township))
        .await
        .json();
    assert_eq!(list[0]["standing"], "returned_late");

    // A village official sees the registry but not the plan form (乡镇、自然资源局 only).
    let village = t.login(Role::Village).await;
    let page = t.get("/field/villages", Some(&village)).await;
    assert!(!page.body.contains("id=\"plan-form\""));
    assert!(page.body.contains("id=\"idle-form\""));
}

#[tokio::test]
async fn a_spot_check_is_recorded_and_published_from_its_page() {
    let t = TestApp::new().await;
    let (case, _, _) =
        support::temporary_land::approved_on(&t, "spot-page", (2026, 3, 2), 12).await;
    on(&t, 2026, 11, 20);
    let dept = t.login(Role::Department).await;
    let page = t.get("/field/spot-checks", Some(&dept)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let number = case["number"].as_str().unwrap();
    assert!(
        page.body.contains(number),
        "the site is offered: {}",
        page.body
    );
    let id = case["id"].as_i64().unwrap().to_string();
    let form = |public: &'static str| {
        vec![
            ("land_case_id", id.as_str()),
            ("checked_on", "2026-11-20"),
            ("result", "problems"),
            ("problems", "堆放建筑垃圾超出批准范围约200平方米"),
            ("public_text", public),
        ]
    };
    let r = submit(&t, &dept, "/field/spot-checks", &form("已整改")).await;
    refused(&r, &["堆放建筑垃圾超出批准范围约200平方米"], "公开通报内容");
    let r = submit(
        &t,
        &dept,
        "/field/spot-checks",
        &form("抽查发现超出批准范围堆放建筑垃圾，已责令限期清理。"),
    )
    .await;
    done(&r, "/field/spot-checks");
    let checks: Value = t.get("/api/v1/field/spot-checks", Some(&dept)).await.json();
    let check = checks[0]["id"].as_i64().unwrap();
    let r = submit(
        &t,
        &dept,
        &format!("/field/spot-checks/{check}/publish"),
        &[("version", "0")],
    )
    .await;
    done(&r, "/field/spot-checks");
    let public = t.get("/temporary-land/public", None).await;
    assert!(
        public.body.contains("已责令限期清理"),
        "published on the public page: {}",
        public.body
    );
    // A township official sees the checks, without the forms.
    let township = t.login(Role::Township).await;
    let page = t.get("/field/spot-checks", Some(&township)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"spot-form\""));
}
