//! 巡查执法 and 村庄规划 through the API, on every backend: a patrol's finding filed, investigated,
//! ordered to correct with a deadline from the dated rule, verified and closed (two officials
//! at once: the second told in Chinese); the campaign's weeks without joint enforcement
//! flagged red (同党办综〔2023〕55号 五、（二）2.); an old homestead not returned by its promised
//! date flagged (同政办规发〔2023〕6号 第二十六条); spot checks of temporary land published on the
//! public page (同政办规发〔2023〕7号 第二十五条); bad input answered with Chinese field errors.

use crate::support;

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use support::cases::{field_errors, on};
use support::{Client, Reply, TestApp};
use tongxin_domain::Role;

async fn post(t: &TestApp, c: &Client, path: &str, body: Value) -> Reply {
    t.json(Method::POST, path, Some(c), &body.to_string()).await
}

fn day(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

async fn case_step(
    t: &TestApp,
    c: &Client,
    id: i64,
    step: &str,
    text: &str,
    version: i64,
) -> Reply {
    post(
        t,
        c,
        &format!("/api/v1/field/cases/{id}/steps"),
        json!({ "step": step, "text": text, "version": version }),
    )
    .await
}

async fn patrol_with_finding(t: &TestApp, village: &Client) -> Value {
    let r = post(
        t,
        village,
        "/api/v1/field/patrols",
        json!({
            "patrolled_on": "2026-11-28",
            "village": "王团村",
            "route": "王团村一组至三组沿村道",
            "patrollers": "马某、李某（协管员）",
            "findings": [
                { "place": "王团村二组村道东侧", "description": "一户正在打地基，未见宅基地批准书和乡村建设规划许可证" }
            ]
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_patrol_finding_becomes_a_case_ordered_corrected_verified_and_closed() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        let township = t.login(Role::Township).await;
        let dept = t.login(Role::Department).await;
        let patrol = patrol_with_finding(&t, &village).await;
        assert_eq!(patrol["township"]["name"], "豫海镇");
        let finding = patrol["findings"][0]["id"].as_i64().unwrap();

        // Filed by the village as 未批先建: the township acts on it (第二十八条).
        let r = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "unapproved_building" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let case = r.json();
        let id = case["id"].as_i64().unwrap();
        assert_eq!(case["status"], "filed");
        assert_eq!(case["unit"]["name"], "豫海镇");
        assert_eq!(case["kind_clause"], "同政办规发〔2023〕6号 第二十八条");
        assert!(
            case["steps"].as_array().unwrap().is_empty(),
            "the village does not act"
        );
        // Filed once only.
        let again = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "unapproved_building" }),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        // The department may not act for the township.
        let r = post(
            &t,
            &dept,
            &format!("/api/v1/field/cases/{id}/steps"),
            json!({ "step": "investigate", "text": "现场核实", "version": 0 }),
        )
        .await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}",
            r.body
        );

        let r = case_step(
            &t,
            &township,
            id,
            "investigate",
            "现场核实：未办理审批手续，已开挖地基约120平方米",
            0,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "investigated");
        // A second official acting on the version he read: told in Chinese.
        let r2 = case_step(
            &t,
            &township,
            id,
            "dismiss",
            "经核实举报不实，不予立案处理",
            0,
        )
        .await;
        assert_eq!(r2.status, StatusCode::CONFLICT, "{}", r2.body);
        assert!(r2.body.contains("已被他人办理"), "{}", r2.body);
        // Verify before an order: refused.
        let r3 = case_step(&t, &township, id, "verify", "已整改完毕，恢复原状", 1).await;
        assert_eq!(r3.status, StatusCode::CONFLICT, "{}", r3.body);

        let r = case_step(
            &t,
            &township,
            id,
            "order",
            "责令停止建设，限期拆除已建地基，恢复原状",
            1,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let ordered = r.json();
        assert_eq!(ordered["status"], "ordered");
        assert_eq!(ordered["deadline_workdays"], 20);
        assert_eq!(
            ordered["deadline_clause"],
            "同政办规发〔2023〕6号 第二十八条"
        );
        assert!(
            ordered["deadline_note"]
                .as_str()
                .unwrap()
                .contains("系统默认值")
        );
        let deadline = day(&ordered["deadline"]);
        assert!(deadline > NaiveDate::from_ymd_opt(2026, 12, 20).unwrap());
        assert_eq!(ordered["colour"], "green");

        // Within three working days of the deadline: yellow; the day after: red.
        on(&t, 2026, 12, 23);
        // (the sessions lapsed with the clock's jump)
        let township = t.login(Role::Township).await;
        let c = t
            .get(&format!("/api/v1/field/cases/{id}"), Some(&township))
            .await;
        assert_eq!(c.json()["colour"], "yellow", "{}", c.body);
        let after = deadline + Duration::days(1);
        support::cases::on(
            &t,
            after.format("%Y").to_string().parse().unwrap(),
            after.format("%m").to_string().parse().unwrap(),
            after.format("%d").to_string().parse().unwrap(),
        );
        let township = t.login(Role::Township).await;
        let list = t.get("/api/v1/field/cases", Some(&township)).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let item = &list.json()["items"][0];
        assert_eq!(item["id"], id);
        assert_eq!(item["colour"], "red");
        let page = t.get("/field", Some(&township)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("status-red"), "{}", page.body);
        assert!(page.body.contains("未批先建"));
        // The township's daily digest counts the order past its deadline (通知).
        t.app.sweep(after).await.unwrap();
        let unit = item["unit"]["id"].as_str().unwrap_or_default().to_owned();
        let digest = t
            .app
            .store
            .notification(&format!("digest:{unit}:{after}"))
            .await
            .unwrap()
            .expect("the township's digest");
        assert!(
            digest.body.contains("整改期限已过的执法案件1件"),
            "{}",
            digest.body
        );

        let r = case_step(
            &t,
            &township,
            id,
            "verify",
            "复查：地基已拆除，土地恢复原状",
            2,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["colour"], "grey");
        let r = case_step(&t, &township, id, "close", "整改到位，结案", 3).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let closed = r.json();
        assert_eq!(closed["status"], "closed");
        assert!(closed["steps"].as_array().unwrap().is_empty());

        // The patrol shows the finding's case; the village sees the case it filed.
        let village = t.login(Role::Village).await;
        let p = t
            .get(
                &format!("/api/v1/field/patrols/{}", patrol["id"]),
                Some(&village),
            )
            .await;
        assert_eq!(p.json()["findings"][0]["case_id"], id);
        let seen = t
            .get(&format!("/api/v1/field/cases/{id}"), Some(&village))
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    }
}

#[tokio::test]
async fn grazing_goes_to_natural_resources_and_the_patrol_takes_photos() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        let dept = t.login(Role::Department).await;
        let patrol = patrol_with_finding(&t, &village).await;
        let pid = patrol["id"].as_i64().unwrap();
        let jpg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        let r = t
            .upload(
                Some(&village),
                &format!("/api/v1/field/patrols/{pid}/photos"),
                true,
                &[("files", Some("现场.jpg"), jpg)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let p = t
            .get(&format!("/api/v1/field/patrols/{pid}"), Some(&village))
            .await;
        assert_eq!(p.json()["photos"][0]["name"], "现场.jpg");

        let finding = patrol["findings"][0]["id"].as_i64().unwrap();
        let r = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "违规放牧" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let case = r.json();
        assert_eq!(case["unit"]["name"], "自然资源局");
        assert_eq!(case["kind_clause"], "同党办综〔2023〕55号 五、（二）2.");
        let id = case["id"].as_i64().unwrap();
        let seen = t
            .get(&format!("/api/v1/field/cases/{id}"), Some(&dept))
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert_eq!(seen.json()["steps"][0]["code"], "investigate");
    }
}

#[tokio::test]
async fn a_campaign_week_without_joint_enforcement_is_flagged_and_one_with_it_is_not() {
    for t in TestApp::all().await {
        let dept = t.login(Role::Department).await;
        on(&t, 2023, 11, 10);
        let r = post(
            &t,
            &dept,
            "/api/v1/field/joint-enforcement",
            json!({
                "held_on": "2023-10-25",
                "place": "韦州镇禁牧封育区",
                "units": ["自然资源局", "公安局", "农业农村局"],
                "findings": "拆除私搭羊圈2处，查处偷牧1起"
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = t.get("/api/v1/field/joint-enforcement", Some(&dept)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["start"], "2023-10-19");
        assert_eq!(v["end"], "2024-01-27");
        assert_eq!(v["clause"], "同党办综〔2023〕55号 五、（二）2.");
        let week = |from: &str| {
            v["weeks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|w| w["from"] == from)
                .cloned()
                .unwrap_or_else(|| panic!("week from {from}"))
        };
        // Thursday 10-19 to Sunday 10-22: none held, ended: red.
        assert_eq!(week("2023-10-19")["colour"], "red");
        // 10-23 … 10-29: held on 10-25.
        let held = week("2023-10-23");
        assert_eq!(held["standing"], "met");
        assert_eq!(held["colour"], "green");
        assert_eq!(held["held"][0]["units"].as_array().unwrap().len(), 3);
        // 10-30 … 11-05: none, ended.
        assert_eq!(week("2023-10-30")["standing"], "missed");
        // 11-06 … 11-12: today is 11-10, still in progress.
        assert_eq!(week("2023-11-06")["standing"], "open");
        assert_eq!(v["missed"], 2);
        // The page: the missed weeks in red, linked to the clause.
        let page = t.get("/field/joint-enforcement", Some(&dept)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(page.body.matches("status-red").count(), 2, "{}", page.body);
        assert!(page.body.contains("status-green"));
        assert!(page.body.contains("/policies/"), "the clause is a link");
        // Everyone who follows the ledger sees it; the village too.
        let village = t.login(Role::Village).await;
        let r = t
            .get("/api/v1/field/joint-enforcement", Some(&village))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_old_homestead_not_returned_by_its_date_is_flagged() {
    for t in TestApp::all().await {
        let township = t.login(Role::Township).await;
        let r = post(
            &t,
            &township,
            "/api/v1/field/idle-homesteads",
            json!({
                "township": "豫海镇",
                "village": "王团村",
                "kind": "old_homestead",
                "location": "王团村三组12号",
                "holder": "马明德",
                "area_m2": "260",
                "promised_on": "2026-12-10",
                "note": "已在新址建房（宅2026-000012）"
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let h = r.json();
        assert_eq!(h["standing"], "pending");
        assert_eq!(h["holder"], "马明德");
        let id = h["id"].as_i64().unwrap();

        // On the promised day still pending; the day after, red.
        on(&t, 2026, 12, 10);
        let township = t.login(Role::Township).await;
        let l = t
            .get("/api/v1/field/idle-homesteads", Some(&township))
            .await;
        assert_eq!(l.json()[0]["standing"], "pending");
        on(&t, 2026, 12, 11);
        let township = t.login(Role::Township).await;
        let l = t
            .get("/api/v1/field/idle-homesteads", Some(&township))
            .await;
        let e = &l.json()[0];
        assert_eq!(e["standing"], "overdue", "{}", l.body);
        assert_eq!(e["colour"], "red");
        assert_eq!(e["clause"], "同政办规发〔2023〕6号 第二十六条");
        let page = t.get("/field/villages", Some(&township)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("status-red"), "{}", page.body);
        assert!(page.body.contains("逾期未退回"));
        // A department sees the holder masked.
        let dept = t.login(Role::Department).await;
        let l = t.get("/api/v1/field/idle-homesteads", Some(&dept)).await;
        assert_ne!(l.json()[0]["holder"], "马明德");
        assert!(!l.body.contains("马明德"));

        // Returned, late.
        let r = post(
            &t,
            &township,
            &format!("/api/v1/field/idle-homesteads/{id}/return"),
            json!({ "returned_on": "2026-12-11", "reuse": "菜园", "version": 0 }),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["standing"], "returned_late");
        // Recorded twice at once: the second told.
        let r = post(
            &t,
            &township,
            &format!("/api/v1/field/idle-homesteads/{id}/return"),
            json!({ "returned_on": "2026-12-11", "version": 0 }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    }
}

#[tokio::test]
async fn villages_are_classified_and_counted_by_township() {
    for t in TestApp::all().await {
        let township = t.login(Role::Township).await;
        let dept = t.login(Role::Department).await;
        for (who, village, ty) in [
            (&township, "王团村", "集聚提升类"),
            (&township, "南关村", "城郊融合类"),
            (&dept, "北村", "暂不分类"),
        ] {
            let r = post(
                &t,
                who,
                "/api/v1/field/villages",
                json!({ "township": "豫海镇", "village": village, "village_type": ty }),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let r = post(
            &t,
            &township,
            "/api/v1/field/villages",
            json!({
                "township": "豫海镇", "village": "王团村", "village_type": "集聚提升类",
                "plan_name": "王团村村庄规划（2021—2035年）", "plan_number": "同政函〔2024〕12号",
                "approved_on": "2024-05-20", "published_on": "2024-06-01", "version": 0
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Stale version: told.
        let r = post(
            &t,
            &dept,
            "/api/v1/field/villages",
            json!({ "township": "豫海镇", "village": "王团村", "village_type": "特色保护类", "version": 0 }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // Another township's villages: refused for this township.
        let r = post(
            &t,
            &township,
            "/api/v1/field/villages",
            json!({ "township": "韦州镇", "village": "韦一村", "village_type": "特色保护类" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        let l = t.get("/api/v1/field/villages", Some(&township)).await;
        let v = l.json();
        assert_eq!(v[0]["township"]["name"], "豫海镇");
        assert_eq!(v[0]["villages"].as_array().unwrap().len(), 3);
        assert_eq!(v[0]["with_plan"], 1);
        let count = |label: &str| {
            v[0]["counts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c[0] == label)
                .map(|c| c[1].as_i64().unwrap())
                .unwrap()
        };
        assert_eq!(count("集聚提升类"), 1);
        assert_eq!(count("城郊融合类"), 1);
        assert_eq!(count("未分类"), 1);
        assert_eq!(count("搬迁撤并类"), 0);
        let page = t.get("/field/villages", Some(&township)).await;
        assert!(page.body.contains("同政函〔2024〕12号"), "{}", page.body);
    }
}

#[tokio::test]
async fn spot_checks_of_temporary_land_are_published_without_personal_data() {
    for t in TestApp::all().await {
        let (case, applicant, dept) =
            support::temporary_land::approved_on(&t, "spot-1", (2026, 3, 2), 12).await;
        let _ = applicant;
        on(&t, 2026, 11, 20);
        let r = post(
            &t,
            &dept,
            "/api/v1/field/spot-checks",
            json!({
                "land_case_id": case["id"],
                "checked_on": "2026-11-20",
                "result": "problems",
                "problems": "堆放建筑垃圾超出批准范围约200平方米",
                "public_text": "抽查发现超出批准范围堆放建筑垃圾，已责令限期清理。"
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let s = r.json();
        // Not public until published.
        let p = t.get("/api/v1/public/spot-checks", None).await;
        assert_eq!(p.json().as_array().unwrap().len(), 0);
        let r = post(
            &t,
            &dept,
            &format!("/api/v1/field/spot-checks/{}/publish", s["id"]),
            json!({ "version": 0 }),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = t.get("/api/v1/public/spot-checks", None).await;
        assert_eq!(p.status, StatusCode::OK);
        let row = &p.json()[0];
        assert_eq!(row["case_number"], case["number"]);
        assert_eq!(row["result_label"], "发现问题");
        assert!(!p.body.contains("宁夏某路桥工程有限公司"));
        assert!(!p.body.contains("13800001234"));
        // The public page shows it.
        let page = t.get("/temporary-land/public", None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("已责令限期清理"), "{}", page.body);
        // Only the 自然资源局 checks.
        let township = t.login(Role::Township).await;
        let r = post(
            &t,
            &township,
            "/api/v1/field/spot-checks",
            json!({ "land_case_id": case["id"], "checked_on": "2026-11-20", "result": "compliant", "public_text": "抽查符合用地要求，未发现问题。" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
}

#[tokio::test]
async fn bad_input_is_answered_with_chinese_field_errors() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        let dept = t.login(Role::Department).await;
        let township = t.login(Role::Township).await;

        let r = post(
            &t,
            &village,
            "/api/v1/field/patrols",
            json!({ "patrolled_on": "2026-13-01", "route": "", "patrollers": "",
                    "findings": [{ "place": "", "description": "有" }] }),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let errors = field_errors(&r);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        for f in [
            "patrolled_on",
            "route",
            "patrollers",
            "findings[0].place",
            "findings[0].description",
        ] {
            assert!(fields.contains(&f), "{f} in {errors:?}");
        }
        assert!(
            errors
                .iter()
                .all(|(_, m)| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        );
        // A date in the future.
        let r = post(
            &t,
            &village,
            "/api/v1/field/patrols",
            json!({ "patrolled_on": "2027-01-01", "route": "村道", "patrollers": "马某" }),
        )
        .await;
        assert!(field_errors(&r)[0].1.contains("晚于今天"), "{}", r.body);

        // A joint session of one unit, outside the campaign.
        let r = post(
            &t,
            &dept,
            "/api/v1/field/joint-enforcement",
            json!({ "held_on": "2026-11-01", "place": "韦州镇", "units": ["自然资源局", "不存在局"], "findings": "无" }),
        )
        .await;
        let errors = field_errors(&r);
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "held_on" && m.contains("百日攻坚期内")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "units" && m.contains("不存在局")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "units" && m.contains("至少两个单位")),
            "{errors:?}"
        );

        // An unknown kind, an unknown step, a bad village type, an old homestead without a date.
        let patrol = patrol_with_finding(&t, &village).await;
        let finding = patrol["findings"][0]["id"].as_i64().unwrap();
        let r = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "乱建" }),
        )
        .await;
        assert_eq!(field_errors(&r)[0].0, "kind", "{}", r.body);
        let r = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "beyond_permit" }),
        )
        .await;
        let id = r.json()["id"].as_i64().unwrap();
        let r = post(
            &t,
            &township,
            &format!("/api/v1/field/cases/{id}/steps"),
            json!({ "step": "demolish", "text": "", "version": 0 }),
        )
        .await;
        assert_eq!(field_errors(&r)[0].0, "step", "{}", r.body);
        let r = post(
            &t,
            &township,
            &format!("/api/v1/field/cases/{id}/steps"),
            json!({ "step": "dismiss", "text": "", "version": 0 }),
        )
        .await;
        assert_eq!(field_errors(&r)[0].0, "text", "{}", r.body);
        let r = post(
            &t,
            &township,
            "/api/v1/field/villages",
            json!({ "township": "豫海镇", "village": "王团村", "village_type": "大村", "published_on": "2024-01-01" }),
        )
        .await;
        let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
        assert!(fields.contains(&"village_type".to_owned()), "{fields:?}");
        assert!(fields.contains(&"approved_on".to_owned()), "{fields:?}");
        let r = post(
            &t,
            &township,
            "/api/v1/field/idle-homesteads",
            json!({ "township": "豫海镇", "village": "王团村", "kind": "old_homestead", "location": "三组", "area_m2": "很大" }),
        )
        .await;
        let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
        for f in ["promised_on", "holder", "area_m2"] {
            assert!(fields.contains(&f.to_owned()), "{f} in {fields:?}");
        }

        // Malformed JSON, a wrong type, an id that is not a number: never a 500.
        let r = t
            .json(
                Method::POST,
                "/api/v1/field/patrols",
                Some(&village),
                "{not json",
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = post(
            &t,
            &township,
            &format!("/api/v1/field/cases/{id}/steps"),
            json!({ "step": "investigate", "text": "调查情况属实", "version": "x" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = t.get("/api/v1/field/cases/abc", Some(&township)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = t.get("/api/v1/field/patrols/999999", Some(&township)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
}

#[tokio::test]
async fn demo_databases_get_field_work_once() {
    use chrono::{TimeZone, Utc};
    let db = tongxin_store::testing::TestDb::sqlite().await;
    let clock = std::sync::Arc::new(tongxin_app::ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 29, 1, 0, 0).unwrap(),
    ));
    let app = tongxin_app::App::open(
        db.store.clone(),
        tongxin_policy::tongxin::pack().unwrap(),
        clock,
        tongxin_app::Mode::Demo,
    )
    .await
    .unwrap();
    app.seed_demo().await.unwrap();
    app.seed_demo().await.unwrap();
    let sessions = app.store.joint_sessions("d2").await.unwrap();
    assert_eq!(sessions.len(), 3);
    assert!(sessions.iter().all(|s| s.place.contains("演示")));
    let idle = app.store.idle_homesteads(None).await.unwrap();
    assert_eq!(idle.len(), 2);
    assert_eq!(app.store.village_plans(None).await.unwrap().len(), 3);
    let (cases, _) = app.store.enforcement_cases(None, 10, 0).await.unwrap();
    assert_eq!(cases.len(), 1);
}

#[tokio::test]
async fn village_staff_log_a_patrol_with_a_photo_on_the_form() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        let form = t.get("/field/patrols/new", Some(&village)).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("巡查路线或地点"));
        let path = format!("/field/patrols/new?csrf={}", urlencode(&village.csrf));
        let jpg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 9, 9];
        let r = t
            .upload(
                Some(&village),
                &path,
                false,
                &[
                    ("patrolled_on", None, b"2026-11-28"),
                    ("village", None, "王团村".as_bytes()),
                    ("route", None, "王团村一组至三组".as_bytes()),
                    ("patrollers", None, "马某".as_bytes()),
                    (
                        "findings",
                        None,
                        "二组村道东侧：一户正在打地基，未见批准书\n".as_bytes(),
                    ),
                    ("files", Some("现场.jpg"), jpg),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().starts_with("/field?done="), "{}", r.location());
        let list = t.get("/api/v1/field/patrols", Some(&village)).await;
        let p = &list.json()["items"][0];
        assert_eq!(p["findings"][0]["place"], "二组村道东侧");
        let page = t.get(r.location(), Some(&village)).await;
        assert!(page.body.contains("照片1张"), "{}", page.body);
        assert!(page.body.contains("王团村一组至三组"));

        // Refused: the form comes back with the errors in Chinese and what was typed.
        let r = t
            .upload(
                Some(&village),
                &path,
                false,
                &[
                    ("patrolled_on", None, b"yesterday"),
                    ("route", None, "村道".as_bytes()),
                    ("patrollers", None, b""),
                    ("findings", None, "只写了情况".as_bytes()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("“巡查日期”须为日期"), "{}", r.body);
        assert!(r.body.contains("请填写“巡查人员”"));
        assert!(r.body.contains("问题1的地点"));
        assert!(r.body.contains("只写了情况"));
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The township takes a case's step from its row on /field: refused with the reason beside the
/// case and the text kept, then done.
#[tokio::test]
async fn an_enforcement_step_is_taken_from_the_field_page() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        let township = t.login(Role::Township).await;
        let patrol = patrol_with_finding(&t, &village).await;
        let finding = patrol["findings"][0]["id"].as_i64().unwrap();
        let r = post(
            &t,
            &village,
            &format!("/api/v1/field/findings/{finding}/case"),
            json!({ "kind": "unapproved_building" }),
        )
        .await;
        let id = r.json()["id"].as_i64().unwrap();
        let page = t.get("/field", Some(&township)).await;
        assert!(
            page.body
                .contains(&format!("action=\"/field/cases/{id}/steps\"")),
            "{}",
            page.body
        );
        let body = |step: &str, text: &str, version: i64| {
            Some((
                "application/x-www-form-urlencoded",
                format!(
                    "csrf={}&version={version}&step={step}&text={}",
                    township.csrf,
                    form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
                ),
            ))
        };
        // Ordering before investigating is refused; what was typed stays.
        let r = t
            .request(
                Method::POST,
                &format!("/field/cases/{id}/steps"),
                Some(&township),
                body("order", "限期拆除违法建筑", 0),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("限期拆除违法建筑") && r.body.contains("role=\"alert\""),
            "{}",
            r.body
        );
        let r = t
            .request(
                Method::POST,
                &format!("/field/cases/{id}/steps"),
                Some(&township),
                body("investigate", "现场核实：未办理审批手续", 0),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = t
            .get(&format!("/api/v1/field/cases/{id}"), Some(&township))
            .await;
        assert_eq!(c.json()["status"], "investigated");
    }
}

/// A joint session recorded from the week table's form: refused with what was typed kept (one
/// unit only), then recorded, and its week turns green.
#[tokio::test]
async fn a_joint_session_is_recorded_from_the_week_table() {
    for t in TestApp::all().await {
        on(&t, 2023, 11, 10);
        let dept = t.login(Role::Department).await;
        let form = |units: &str| {
            Some((
                "application/x-www-form-urlencoded",
                format!(
                    "csrf={}&held_on=2023-11-01&place={}&units={}&findings={}",
                    dept.csrf,
                    form_urlencoded::byte_serialize("马高庄乡禁牧区".as_bytes())
                        .collect::<String>(),
                    form_urlencoded::byte_serialize(units.as_bytes()).collect::<String>(),
                    form_urlencoded::byte_serialize("查处偷牧2起".as_bytes()).collect::<String>(),
                ),
            ))
        };
        let page = t.get("/field/joint-enforcement", Some(&dept)).await;
        assert!(page.body.contains("id=\"joint-form\""), "{}", page.body);
        let r = t
            .request(
                Method::POST,
                "/field/joint-enforcement",
                Some(&dept),
                form("自然资源局"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("马高庄乡禁牧区") && r.body.contains("查处偷牧2起"));
        let r = t
            .request(
                Method::POST,
                "/field/joint-enforcement",
                Some(&dept),
                form("自然资源局、农业农村局"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let v = t
            .get("/api/v1/field/joint-enforcement", Some(&dept))
            .await
            .json();
        let week = v["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["from"] == "2023-10-30")
            .cloned()
            .unwrap();
        assert_eq!(week["standing"], "met", "{week}");
    }
}
