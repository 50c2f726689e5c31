//! 宅基地选址 against the village plan's layout areas and the hazard zones (同政办规发〔2023〕6号
//! 第六条、第十一条), through the JSON API on SQLite and PostgreSQL, on the hand-drawn map of
//! `support::land` (x east, y north, in metres from 106.20°E, 36.95°N):
//!
//! | layer          | feature          | x (m)   | y (m)   |
//! |----------------|------------------|---------|---------|
//! | 宅基地布局区   | 王团村布局区     | 0..300  | 0..300  |
//! | 地质灾害易发区 | 王团村滑坡隐患点 | 200..300| 0..100  |

use crate::support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::cases::{act, application, field_errors, file, on, step};
use support::land::{at, import_layer};
use support::{Client, TestApp};
use tongxin_domain::Role;

#[tokio::test]
async fn a_homestead_outside_the_layout_or_in_a_hazard_zone_is_stopped_with_the_clause() {
    for t in TestApp::all().await {
        siting(&t).await;
    }
}

async fn import(t: &TestApp, dept: &Client, kind: &str, name: &str, r: [f64; 4]) {
    import_layer(t, dept, kind, &[(name, r[0], r[1], r[2], r[3])]).await;
}

fn point(x: f64, y: f64) -> Value {
    let [lon, lat] = at(x, y);
    json!({"lon": lon, "lat": lat})
}

/// Files an application at (x, y) and takes it through the village-group meeting.
async fn filed_at(t: &TestApp, village: &Client, seq: u32, x: f64, y: f64) -> Value {
    let mut data = application(seq, "水浇地", 200.0, 2);
    data["coordinates"] = point(x, y);
    let r = file(t, village, data, &format!("siting-{seq}")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    step(
        t,
        village,
        &r.json(),
        "group_pass",
        json!({"group_meeting_date": "2024-01-08", "group_meeting_record": "同意"}),
    )
    .await
}

fn village_pass() -> Value {
    json!({"villagers_meeting_date": "2024-01-08", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"})
}

/// The notes the last event's checks recorded.
fn last_notes(case: &Value) -> String {
    let events = case["events"].as_array().unwrap();
    events.last().unwrap()["clauses"].to_string()
}

async fn siting(t: &TestApp) {
    let village = t.login(Role::Village).await;
    let township = t.login(Role::Township).await;
    let dept = t.login(Role::Department).await;
    on(t, 2024, 1, 8);

    // No layout layer yet: the village's pass goes through, the check saying it was not checked.
    let unchecked = filed_at(t, &village, 1, 500.0, 100.0).await;
    let passed = step(t, &village, &unchecked, "village_pass", village_pass()).await;
    assert!(
        last_notes(&passed).contains("未导入宅基地布局区图层，未核对"),
        "{}",
        last_notes(&passed)
    );

    // The natural-resources department imports the village plan's layout area and a hazard zone.
    import(
        t,
        &dept,
        "homestead_layout",
        "王团村布局区",
        [0.0, 0.0, 300.0, 300.0],
    )
    .await;
    import(
        t,
        &dept,
        "geological_hazard",
        "王团村滑坡隐患点",
        [200.0, 0.0, 300.0, 100.0],
    )
    .await;

    // 200 m east of the layout area: the village may not pass it; the message names the field,
    // the nearest area, the distance and the clause.
    let outside = filed_at(t, &village, 2, 500.0, 100.0).await;
    let r = act(t, &village, &outside, "village_pass", village_pass()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errs = field_errors(&r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "coordinates");
    for part in [
        "不在村庄规划确定的宅基地布局区内",
        "王团村布局区",
        "相距200.0米",
        "同政办规发〔2023〕6号 第十一条",
    ] {
        assert!(errs[0].1.contains(part), "{part}: {}", errs[0].1);
    }

    // Inside the area: passed, the note saying where, the tolerance applied with its clause.
    let inside = filed_at(t, &village, 3, 100.0, 150.0).await;
    let mut case = step(t, &village, &inside, "village_pass", village_pass()).await;
    let notes = last_notes(&case);
    assert!(
        notes.contains("位于宅基地布局区“王团村布局区”内"),
        "{notes}"
    );
    assert!(
        notes.contains("homestead.siting.layout_tolerance_m"),
        "{notes}"
    );

    // The notice runs its 7 working days; the township accepts.
    on(t, 2024, 1, 17);
    case = step(
        t,
        &village,
        &case,
        "notice_passed",
        json!({"village_opinion": "同意"}),
    )
    .await;
    case = step(t, &township, &case, "accept", json!({})).await;

    // The township's site plan puts the house in the hazard zone: refused beside the
    // geology box, citing 第六条.
    let approval = json!({"review_opinion": "同意", "site_plan_coordinates": point(250.0, 50.0)});
    let r = act(t, &township, &case, "approve", approval.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errs = field_errors(&r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "geology_assessed");
    for part in [
        "地质灾害易发区“王团村滑坡隐患点”内",
        "避开自然灾害易发地带",
        "同政办规发〔2023〕6号 第六条",
    ] {
        assert!(errs[0].1.contains(part), "{part}: {}", errs[0].1);
    }

    // Moved 100 m north, out of the zone and still in the layout area: approved, both checks
    // recorded against the site plan's point.
    let approval = json!({"review_opinion": "同意", "site_plan_coordinates": point(250.0, 200.0)});
    case = step(t, &township, &case, "approve", approval).await;
    assert_eq!(case["state"], "approved");
    let notes = last_notes(&case);
    assert!(
        notes.contains("位于宅基地布局区“王团村布局区”内"),
        "{notes}"
    );
    assert!(notes.contains("未位于地质、洪涝灾害易发区"), "{notes}");
    assert!(
        notes.contains("未导入洪涝灾害区图层，未核对"),
        "the flood layer was never imported: {notes}"
    );

    // The case page draws the point against the layers, one row per layer with its result.
    let page = t
        .get(&format!("/homestead/{}", case["id"]), Some(&township))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for part in [
        "宅基地选址：布局区与灾害易发区",
        "宅基地坐标（坐标平面位置图）",
        "id=\"site-map\"",
        "data-layer-kind=\"homestead_layout\"",
        "位于布局区内",
        "不在区内，相距100.0米",
        "未导入图层，未核对",
        "同政办规发〔2023〕6号 第十一条",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
}

#[tokio::test]
async fn the_joint_review_may_overrule_a_hazard_zone_only_on_record() {
    let t = TestApp::new().await;
    let village = t.login(Role::Village).await;
    let township = t.login(Role::Township).await;
    let dept = t.login(Role::Department).await;
    on(&t, 2024, 1, 8);
    import(
        &t,
        &dept,
        "flood_hazard",
        "清水河行洪区",
        [0.0, 0.0, 100.0, 100.0],
    )
    .await;
    let mut case = filed_at(&t, &village, 4, 50.0, 50.0).await;
    case = step(&t, &village, &case, "village_pass", village_pass()).await;
    on(&t, 2024, 1, 17);
    case = step(
        &t,
        &village,
        &case,
        "notice_passed",
        json!({"village_opinion": "同意"}),
    )
    .await;
    case = step(&t, &township, &case, "accept", json!({})).await;
    let approval = json!({
        "review_opinion": "经地质勘察，拟建位置已有防洪堤，符合建房要求",
        "site_plan_coordinates": point(50.0, 50.0),
        "geology_assessed": true,
    });
    case = step(&t, &township, &case, "approve", approval).await;
    let notes = last_notes(&case);
    assert!(
        notes.contains("位于洪涝灾害区“清水河行洪区”内，联审已确认地质条件符合建房要求"),
        "{notes}"
    );
}
