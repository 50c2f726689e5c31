//! 临时用地选址 against the protected layers (同政办规发〔2023〕7号 第五条、第六条), through the
//! JSON API on SQLite and PostgreSQL, on the hand-drawn map of `support::land`: every overlap
//! below is a rectangle whose area is worked out by hand (a 50 m × 100 m strip is 5,000 m²,
//! 7.5 亩).

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::{act, field_errors, on, step};
use support::land::{self, area_in, rect};
use support::temporary_land::{application_at, file};
use support::{Reply, TestApp};
use tongxin_domain::Role;

/// The one error of a refused request, on `field`.
fn only_error(r: &Reply, field: &str) -> String {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errs = field_errors(r);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, field, "{errs:?}");
    errs[0].1.clone()
}

fn near(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= expected * 0.002,
        "{actual} m², expected {expected} m² (±0.2%)"
    );
}

#[tokio::test]
async fn overlap_rules_on_a_hand_drawn_map() {
    for t in TestApp::all().await {
        overlap_rules(&t).await;
    }
}

async fn overlap_rules(t: &TestApp) {
    let applicant = t.login(Role::Applicant).await;
    let dept = t.login(Role::Department).await;
    on(t, 2024, 3, 4);

    // Before any layer is imported, the applicant is not held back: the note says the rule
    // could not be checked. The department cannot give its opinion until it can check.
    let r = file(
        t,
        &applicant,
        application_at("beam_yard", false, 12, rect(1150.0, 0.0, 1250.0, 100.0)),
        "s-0",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let early = r.json();
    let clauses = early["events"][0]["clauses"].to_string();
    assert!(clauses.contains("未导入"), "{clauses}");
    let r = act(
        t,
        &dept,
        &early,
        "give_site_opinion",
        json!({"survey_date": "2024-03-04", "boundary_surveyed": true, "site_opinion": "可行"}),
    )
    .await;
    let msg = only_error(&r, "boundary");
    assert!(msg.contains("尚未导入") && msg.contains("第六条"), "{msg}");

    land::import_layers(t, &dept).await;
    let layers = t.get("/api/v1/land-layers", Some(&dept)).await;
    assert_eq!(layers.json()["items"].as_array().unwrap().len(), 5);

    // 第六条: a beam yard 50 m into 耕地1 (x 1150..1200 of 1150..1250, 100 m deep): 5,000 m².
    let r = file(
        t,
        &applicant,
        application_at("beam_yard", false, 12, rect(1150.0, 0.0, 1250.0, 100.0)),
        "s-1",
    )
    .await;
    let msg = only_error(&r, "boundary");
    assert!(
        msg.contains("耕地") && msg.contains("耕地1") && msg.contains("第六条"),
        "{msg}"
    );
    near(area_in(&msg), 5_000.0);
    assert!(msg.contains("7.50亩"), "{msg}");
    // The same yard moved 60 m east (x 1210..1310) touches no farmland.
    let r = file(
        t,
        &applicant,
        application_at("beam_yard", false, 12, rect(1210.0, 0.0, 1310.0, 100.0)),
        "s-2",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // A borrow pit may not touch permanent basic farmland: x 2150..2250 → 50 × 100 inside.
    let r = file(
        t,
        &applicant,
        application_at("borrow_pit", false, 12, rect(2150.0, 0.0, 2250.0, 100.0)),
        "s-3",
    )
    .await;
    let msg = only_error(&r, "boundary");
    assert!(
        msg.contains("永久基本农田") && msg.contains("第六条"),
        "{msg}"
    );
    near(area_in(&msg), 5_000.0);

    // An infrastructure borrow pit half outside the planned area (x 5150..5250: 50 × 100
    // outside) is refused; one wholly inside (x 5050..5150) is accepted.
    let r = file(
        t,
        &applicant,
        application_at("borrow_pit", true, 12, rect(5150.0, 0.0, 5250.0, 100.0)),
        "s-4",
    )
    .await;
    let msg = only_error(&r, "boundary");
    assert!(
        msg.contains("规划取土区以外") && msg.contains("第六条"),
        "{msg}"
    );
    near(area_in(&msg), 5_000.0);
    let r = file(
        t,
        &applicant,
        application_at("borrow_pit", true, 12, rect(5050.0, 0.0, 5150.0, 100.0)),
        "s-5",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The same pit for an ordinary project need not lie in a planned area (the clause names
    // infrastructure projects).
    let r = file(
        t,
        &applicant,
        application_at("borrow_pit", false, 12, rect(6000.0, 0.0, 6100.0, 100.0)),
        "s-6",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // A hazard-zone overlap must be acknowledged at the site opinion: x 3150..3250 → 5,000 m²
    // of 地灾1.
    let r = file(
        t,
        &applicant,
        application_at("general", false, 12, rect(3150.0, 0.0, 3250.0, 100.0)),
        "s-7",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hazard = r.json();
    let opinion =
        json!({"survey_date": "2024-03-04", "boundary_surveyed": true, "site_opinion": "可行"});
    let r = act(t, &dept, &hazard, "give_site_opinion", opinion.clone()).await;
    let msg = only_error(&r, "hazard_acknowledged");
    assert!(
        msg.contains("地质灾害易发区") && msg.contains("地灾1") && msg.contains("第六条"),
        "{msg}"
    );
    near(area_in(&msg), 5_000.0);
    let mut acknowledged = opinion.clone();
    acknowledged["hazard_acknowledged"] = json!(true);
    let case = step(t, &dept, &hazard, "give_site_opinion", acknowledged).await;
    let clauses = case["events"][1]["clauses"].to_string();
    assert!(clauses.contains("经办人已确认知悉"), "{clauses}");

    // 第五条: a general site 50 m into 耕地1 may be applied for, but the county cannot approve
    // it; it is referred upward and the higher approval is recorded.
    let r = file(
        t,
        &applicant,
        application_at("general", false, 12, rect(1150.0, 0.0, 1250.0, 100.0)),
        "s-8",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut case = r.json();
    let note = case["events"][0]["clauses"].to_string();
    assert!(note.contains("占用耕地"), "{note}");
    case = step(t, &dept, &case, "give_site_opinion", opinion.clone()).await;
    // The plan must be a 报告书 when farmland is involved (第九条（二）).
    let r = act(
        t,
        &applicant,
        &case,
        "submit_plan",
        json!({"reclamation_plan_kind": "report_form", "reclamation_plan_title": "方案"}),
    )
    .await;
    let msg = only_error(&r, "reclamation_plan_kind");
    assert!(
        msg.contains("报告书") && msg.contains("第九条（二）"),
        "{msg}"
    );
    for (who, action, data) in [
        (
            &applicant,
            "submit_plan",
            json!({"reclamation_plan_kind": "report_book", "reclamation_plan_title": "方案"}),
        ),
        (
            &dept,
            "pass_plan_review",
            json!({"expert_pool": "county", "expert_opinion": "可行"}),
        ),
        (
            &applicant,
            "submit_materials",
            json!({
                "m1_identity_application": true, "m2_site_opinion_contract": true,
                "m3_project_approval": true, "m4_reclamation_agreement": true,
                "m5_ownership_maps": true, "m6_payment_proofs": true,
            }),
        ),
        (&dept, "accept", json!({})),
    ] {
        case = step(t, who, &case, action, data).await;
    }
    let money = json!({
        "reclamation_fee_account": "同心县农商银行 6228 0000 1111",
        "reclamation_fee_amount": 50000,
        "reclamation_fee_deposited": true,
        "tripartite_agreement": true,
        "compensation_paid": true,
    });
    let mut approval = money.clone();
    approval["approval_opinion"] = json!("同意");
    let r = act(t, &dept, &case, "approve", approval).await;
    let msg = only_error(&r, "boundary");
    assert!(
        msg.contains("报上级审批") && msg.contains("第五条") && msg.contains("耕地1"),
        "{msg}"
    );
    near(area_in(&msg), 5_000.0);
    case = step(
        t,
        &dept,
        &case,
        "refer_upward",
        json!({"referral_authority": "吴忠市自然资源局", "referral_number": "同自然资报〔2024〕3号"}),
    )
    .await;
    assert_eq!(case["state"], "referred");
    let approval_clock = case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["deadline"] == "approval")
        .unwrap()
        .clone();
    assert_eq!(approval_clock["status"], "met", "{approval_clock}");
    let mut higher = money.clone();
    higher["higher_decision_number"] = json!("吴自然资发〔2024〕12号");
    case = step(t, &dept, &case, "record_higher_approval", higher).await;
    assert_eq!(case["state"], "approved");
    // The clocks after approval run from the higher approval (第二十三条, 第七条).
    let started: Vec<&str> = case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deadline"].as_str().unwrap())
        .collect();
    for id in ["system_upload", "unused", "expiry_notice", "expiry"] {
        assert!(started.contains(&id), "{id} in {started:?}");
    }

    // The case's land: the site against each layer, for the map.
    let land = t
        .get(&format!("/api/v1/cases/{}/land", case["id"]), Some(&dept))
        .await;
    assert_eq!(land.status, StatusCode::OK, "{}", land.body);
    let site = &land.json()["site"];
    near(site["area_m2"].as_f64().unwrap(), 10_000.0);
    let farmland = site["facts"]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "farmland")
        .unwrap()
        .clone();
    near(
        farmland["overlaps"][0]["area_m2"].as_f64().unwrap(),
        5_000.0,
    );
    // The map asks for the features around the site.
    let [w, s] = land::at(900.0, -100.0);
    let [e, n] = land::at(1400.0, 300.0);
    let f = t
        .get(
            &format!("/api/v1/land-layers/farmland/features?bbox={w},{s},{e},{n}"),
            Some(&dept),
        )
        .await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    assert_eq!(f.json()["features"][0]["properties"]["name"], "耕地1");
    let f = t
        .get(
            &format!("/api/v1/land-layers/basic_farmland/features?bbox={w},{s},{e},{n}"),
            Some(&dept),
        )
        .await;
    assert_eq!(f.json()["features"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_site_is_exactly_one_hectare() {
    let t = TestApp::new().await;
    let applicant = t.login(Role::Applicant).await;
    let dept = t.login(Role::Department).await;
    land::import_layers(&t, &dept).await;
    let r = file(
        &t,
        &applicant,
        application_at("general", false, 12, rect(0.0, 0.0, 100.0, 100.0)),
        "ha",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let note = r.json()["events"][0]["clauses"].to_string();
    assert!(note.contains("15.00亩"), "{note}");
    near(area_in(&note), 10_000.0);
}

#[tokio::test]
async fn bad_boundaries_and_layers_are_refused_in_chinese() {
    let t = TestApp::new().await;
    let applicant = t.login(Role::Applicant).await;
    let dept = t.login(Role::Department).await;
    let bowtie = json!({"type": "Polygon", "coordinates": [[
        land::at(0.0, 0.0), land::at(100.0, 100.0), land::at(100.0, 0.0), land::at(0.0, 100.0), land::at(0.0, 0.0)
    ]]});
    let cases: [(Value, &str); 5] = [
        (
            json!("{\"type\": \"Polygon\", \"coordinates\": [[1, 2"),
            "GeoJSON",
        ),
        (bowtie, "自相交"),
        (
            json!({"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]]}),
            "不在中国境内",
        ),
        (json!({"type": "Polygon", "coordinates": []}), "为空"),
        (
            json!({"type": "Point", "coordinates": [106.2, 36.95]}),
            "Polygon",
        ),
    ];
    for (i, (boundary, expected)) in cases.into_iter().enumerate() {
        let r = file(
            &t,
            &applicant,
            application_at("general", false, 12, boundary),
            &format!("bad-{i}"),
        )
        .await;
        let msg = only_error(&r, "boundary");
        assert!(msg.contains(expected), "{expected}: {msg}");
        assert!(msg.contains("用地范围"), "{msg}");
    }
    // Pasted “经度,纬度” pairs, one a line, are a boundary too.
    let pasted: Vec<String> = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)]
        .iter()
        .map(|(x, y)| {
            let [lon, lat] = land::at(*x, *y);
            format!("{lon},{lat}")
        })
        .collect();
    let r = file(
        &t,
        &applicant,
        application_at("general", false, 12, json!(pasted.join("\n"))),
        "pasted",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.json()["data"]["boundary"]["type"],
        "MultiPolygon",
        "stored as GeoJSON"
    );

    // Layers: every field named, a bad feature named by position and name.
    let post = |body: Value, who: &'static str| {
        let t = &t;
        let c = if who == "dept" { &dept } else { &applicant };
        async move {
            t.json(
                Method::POST,
                "/api/v1/land-layers",
                Some(c),
                &body.to_string(),
            )
            .await
        }
    };
    let r = post(json!({"kind": "rice"}), "dept").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["kind", "source", "source_date"], "{}", r.body);
    let mut fc = land::layer(&[("甲", 0.0, 0.0, 10.0, 10.0)]);
    fc["features"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "Feature", "properties": {"name": "乙"}, "geometry": {"type": "Polygon", "coordinates": [[[200.0, 36.9], [200.1, 36.9], [200.1, 37.0], [200.0, 36.9]]]}}));
    let r = post(
        json!({"kind": "farmland", "source": "三调", "source_date": "2023-12-31", "geojson": fc}),
        "dept",
    )
    .await;
    let errs = field_errors(&r);
    assert_eq!(errs[0].0, "geojson", "{}", r.body);
    assert!(
        errs[0].1.contains("第2个要素（乙）") && errs[0].1.contains("不在中国境内"),
        "{errs:?}"
    );
    // Only the approving department imports layers.
    let r = post(
        json!({"kind": "farmland", "source": "三调", "source_date": "2023-12-31", "geojson": land::layer(&[("甲", 0.0, 0.0, 10.0, 10.0)])}),
        "applicant",
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let township = t.login(Role::Township).await;
    let r = t
        .json(
            Method::POST,
            "/api/v1/land-layers",
            Some(&township),
            &json!({"kind": "farmland"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Nothing was stored by the refusals; the import is audited.
    let layers = t.get("/api/v1/land-layers", Some(&dept)).await;
    assert_eq!(layers.json()["items"].as_array().unwrap().len(), 0);
}
