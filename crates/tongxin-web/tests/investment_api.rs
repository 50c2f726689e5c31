//! 招商引资 (同政办发〔2023〕72号) and 链长制 (同党办发〔2023〕49号) through the JSON API, on
//! SQLite and PostgreSQL, with a fixed clock: a lead taken through every stage to the funds in
//! place; a project sent to the reserve pool and brought back; a 容缺 item overdue and flagged;
//! the chain map's colours with and without an enterprise in a segment; 链主 certification; and
//! bad input (credit codes, a duplicate enterprise, amounts that are not numbers).

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::{act, d, deadline, field_errors, on, step};
use support::gov_investment::official;
use support::{Client, TestApp};
use tongxin_domain::Role;

const D7: &str = "同政办发〔2023〕72号";
/// A valid code (GB 32100 check characters and organisation code).
const CODE: &str = "91640324MA7600013W";

fn lead(project: &str, segment: &str) -> Value {
    json!({
        "project_name": project,
        "company_name": "宁夏某新能源科技有限公司",
        "source": "visit",
        "chain": "pv",
        "segment": segment,
        "planned_investment": "12,000.50",
        "project_summary": "年产2GW单晶硅片",
        "contact_name": "王经理",
        "contact_phone": "13909531234",
    })
}

async fn file(t: &TestApp, c: &Client, data: Value, key: &str) -> support::Reply {
    let body =
        json!({ "procedure": "investment", "township": "豫海镇", "data": data, "client_key": key });
    t.json(Method::POST, "/api/v1/cases", Some(c), &body.to_string())
        .await
}

/// The centre (投资促进服务中心): lead unit of 光伏 and keeper of the lead ledger.
async fn centre(t: &TestApp) -> Client {
    official(t, "t-touzi", "投资促进服务中心").await
}

fn opinions() -> Value {
    let mut m = serde_json::Map::new();
    m.insert("meeting_date".into(), json!("2025-03-03"));
    for u in [
        "park",
        "resources",
        "water",
        "emergency",
        "market",
        "tax",
        "eco",
        "power",
    ] {
        m.insert(format!("opinion_{u}"), json!("同意，条件具备"));
    }
    m.insert("study_conclusion".into(), json!("项目可行，符合产业政策"));
    Value::Object(m)
}

/// A lead taken to the executive meeting's approval (signing).
async fn to_signing(t: &TestApp, c: &Client, leader: &Client, case: Value) -> Value {
    let mut case = step(
        t,
        c,
        &case,
        "previsit",
        json!({
            "visit_date": "2025-03-03", "company_profile": "光伏硅片企业，年营收20亿元",
            "policy_needs": "标准厂房租金减免", "factor_needs": "用地200亩、用电10万千伏安",
        }),
    )
    .await;
    case = step(t, c, &case, "study_meeting", opinions()).await;
    case = step(t, c, &case, "decide", json!({
        "decision_date": "2025-03-03", "decision_mode": "onsite", "cooperation_intent": "独资建设硅片项目",
    })).await;
    case = step(t, c, &case, "draft_agreement", json!({
        "agreement_kind": "investment", "agreement_summary": "投资12亿元建设2GW硅片", "units_consulted": "自然资源局、工业园区管委会",
    })).await;
    // 第七条: the legality review is a required step; "否" is refused.
    let r = act(t, c, &case, "legality_review", json!({
        "legality_reviewer": "司法局", "legality_opinion": "有条款需修改", "legality_passed": false,
    })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&format!("{D7} 第七条")), "{}", r.body);
    case = step(
        t,
        c,
        &case,
        "legality_review",
        json!({
            "legality_reviewer": "司法局", "legality_opinion": "合法", "legality_passed": true,
        }),
    )
    .await;
    case = step(
        t,
        c,
        &case,
        "fair_competition_review",
        json!({
            "fair_reviewer": "市场监管局", "fair_opinion": "未排除、限制竞争", "fair_passed": true,
        }),
    )
    .await;
    assert_eq!(case["state"], "chief_review");
    // The chain chief's and the responsible leader's reviews are county leaders' steps.
    let r = act(
        t,
        c,
        &case,
        "chief_review",
        json!({"chief_opinion": "同意"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    case = step(
        t,
        leader,
        &case,
        "chief_review",
        json!({"chief_opinion": "同意"}),
    )
    .await;
    case = step(
        t,
        leader,
        &case,
        "leader_review",
        json!({"leader_opinion": "同意提交常务会"}),
    )
    .await;
    case = step(
        t,
        c,
        &case,
        "executive_decision",
        json!({
            "executive_meeting": "县人民政府2025年第8次常务会议", "executive_date": "2025-03-03",
        }),
    )
    .await;
    assert_eq!(case["state"], "signing");
    case
}

#[tokio::test]
async fn a_lead_goes_through_every_stage_to_the_funds_in_place() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let c = centre(&t).await;
        let leader = t.login(Role::CountyLeader).await;
        let town = t.login(Role::Township).await;
        // 第三条: any unit of a chain files the lead; it belongs to the chain's lead unit.
        let r = file(&t, &town, lead("2GW单晶硅片项目", "pv.wafer"), "inv-1").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let case = r.json();
        assert_eq!(case["state"], "lead");
        assert_eq!(case["unit"], "投资促进服务中心");
        assert_eq!(case["data"]["planned_investment"], "12000.5");
        let case = to_signing(&t, &c, &leader, case).await;

        on(&t, 2025, 3, 10);
        let c = centre(&t).await;
        let r = act(&t, &c, &case, "sign", json!({
            "sign_date": "2025-03-10", "sign_place": "同心县", "signatories": "县长、企业董事长",
            "agreement_number": "TX-ZS-2025-01", "investor_credit_code": "91640324MA7600013X",
            "agreed_investment": "120000",
        })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            field_errors(&r)
                .iter()
                .any(|(f, m)| f == "investor_credit_code" && m.contains("校验位")),
            "{}",
            r.body
        );
        let mut case = step(&t, &c, &case, "sign", json!({
            "sign_date": "2025-03-10", "sign_place": "同心县", "signatories": "县长、企业董事长",
            "agreement_number": "TX-ZS-2025-01", "investor_credit_code": CODE, "agreed_investment": "120000",
        })).await;
        assert_eq!(case["state"], "landing");
        // 第九条: no start before the "五个一".
        let r = act(&t, &c, &case, "start", json!({"start_date": "2025-03-10"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("五个一") && r.body.contains("包抓领导"),
            "{}",
            r.body
        );
        case = step(&t, &c, &case, "five_ones", json!({
            "package_leader": "凌镇", "task_force": "投资促进服务中心牵头，自然资源局、工业园区管委会",
            "promotion_plan": "2GW硅片项目推进方案", "battle_map": "2GW硅片项目作战图",
        })).await;
        case = step(
            &t,
            &c,
            &case,
            "done_filing",
            json!({"filing_number": "2503-640324-04-01-123456", "filing_date": "2025-03-10"}),
        )
        .await;
        case = step(&t, &c, &case, "start", json!({"start_date": "2025-03-10"})).await;
        assert_eq!(case["state"], "materials");
        let mut materials = serde_json::Map::new();
        for m in [
            "articles",
            "investor_id",
            "financial_statements",
            "fixed_asset_report",
            "intangible_assets",
            "works_quantities",
            "equipment_invoices",
            "contracts",
            "fund_details",
        ] {
            materials.insert(format!("material_{m}"), json!(true));
        }
        case = step(&t, &c, &case, "provide_materials", Value::Object(materials)).await;
        // 第十条: the centre computes the funds in place; amounts must be numbers.
        let r = act(
            &t,
            &c,
            &case,
            "account_funds",
            json!({
                "funds_as_of": "2025-03-10", "funds_fixed_assets": "三千万", "funds_equipment": "0",
                "funds_intangible": "0", "funds_other": "0",
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            field_errors(&r)
                .iter()
                .any(|(f, _)| f == "funds_fixed_assets"),
            "{}",
            r.body
        );
        case = step(&t, &c, &case, "account_funds", json!({
            "funds_as_of": "2025-03-10", "funds_fixed_assets": "30000", "funds_equipment": "12000.25",
            "funds_intangible": "0", "funds_other": "0",
        })).await;
        assert_eq!(case["state"], "funded");
        let note = case["events"].as_array().unwrap().last().unwrap()["clauses"].to_string();
        assert!(
            note.contains("实际到位资金42000.25万元，为协议投资额120000万元的35%"),
            "{note}"
        );
        // 第十四条: the assessment's figures for the unit working it.
        let figures = t.get("/api/v1/investment/figures", Some(&c)).await.json();
        let row = figures
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["unit"] == "投资促进服务中心")
            .unwrap();
        assert_eq!(
            (
                row["leads"].as_i64(),
                row["signed"].as_i64(),
                row["funded"].as_i64()
            ),
            (Some(1), Some(1), Some(1)),
            "{row}"
        );
        assert_eq!(row["in_place"], "42000.25");
        assert_eq!(row["agreed"], "120000");
        // Filed 2025-03-03, signed 2025-03-10.
        assert_eq!(row["days_to_sign"], 7);
        let board = t.get("/investment/board", Some(&c)).await;
        assert!(
            board.body.contains("考核参考") && board.body.contains("42000.25"),
            "{}",
            board.body
        );
        // The ledger exports it with the funds computed.
        let r = t.get("/investment/ledger.xlsx", Some(&c)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_project_goes_to_the_reserve_pool_and_comes_back() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let c = centre(&t).await;
        let r = file(&t, &c, lead("储备项目", "pv.inverter"), "inv-2").await;
        let case = r.json();
        let case = step(&t, &c, &case, "previsit", json!({
            "visit_date": "2025-03-03", "company_profile": "逆变器企业", "policy_needs": "无", "factor_needs": "用地50亩",
        })).await;
        let r = act(&t, &c, &case, "to_reserve", json!({})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is required: {}",
            r.body
        );
        let case = step(
            &t,
            &c,
            &case,
            "to_reserve",
            json!({"reason": "用地指标暂未落实，暂不具备落地条件"}),
        )
        .await;
        assert_eq!(case["state"], "reserve");
        let pool = t
            .get("/api/v1/cases?procedure=investment&state=reserve", Some(&c))
            .await;
        assert_eq!(pool.json()["total"], 1, "{}", pool.body);
        // A department that is not the centre cannot take it out.
        let other = t.login(Role::Department).await;
        let r = act(&t, &other, &case, "from_reserve", json!({"reason": "x"})).await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
            "{}",
            r.body
        );
        let case = step(
            &t,
            &c,
            &case,
            "from_reserve",
            json!({"reason": "用地指标已落实"}),
        )
        .await;
        assert_eq!(case["state"], "deciding");
        let pool = t
            .get("/api/v1/cases?procedure=investment&state=reserve", Some(&c))
            .await;
        assert_eq!(pool.json()["total"], 0);
    }
}

#[tokio::test]
async fn a_deferred_paper_overdue_is_flagged() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let c = centre(&t).await;
        let leader = t.login(Role::CountyLeader).await;
        let case = file(&t, &c, lead("容缺项目", "pv.module"), "inv-3")
            .await
            .json();
        let case = to_signing(&t, &c, &leader, case).await;
        let case = step(&t, &c, &case, "sign", json!({
            "sign_date": "2025-03-03", "sign_place": "银川", "signatories": "双方代表",
            "agreement_number": "TX-ZS-2025-02", "investor_credit_code": CODE, "agreed_investment": "5000",
        })).await;
        // 容缺受理: the paper chosen from the published list, a clock of 30 working days.
        let r = act(
            &t,
            &c,
            &case,
            "defer_construction_permit",
            json!({"construction_permit_deferred": "随便什么"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let case = step(
            &t,
            &c,
            &case,
            "defer_construction_permit",
            json!({"construction_permit_deferred": "工程监理合同"}),
        )
        .await;
        let clock = deadline(&case, "deferred_construction_permit");
        assert_eq!(clock["status"], "running");
        // 2025-03-03 + 30 working days, 清明 (2025-04-04) not counted: 2025-04-15.
        assert_eq!(clock["due_on"], "2025-04-15", "{clock}");
        assert!(
            clock["citation"]
                .as_str()
                .unwrap()
                .contains(&format!("{D7} 第九条"))
        );
        t.app.sweep(d(2025, 4, 16)).await.unwrap();
        on(&t, 2025, 4, 16);
        let c = centre(&t).await;
        let r = t
            .get("/api/v1/cases?procedure=investment&overdue=true", Some(&c))
            .await;
        assert_eq!(r.json()["total"], 1, "{}", r.body);
        let page = t
            .get(&format!("/investment/{}", case["id"]), Some(&c))
            .await;
        assert!(
            page.body.contains("容缺受理，2025-04-15前补全"),
            "{}",
            page.body
        );
        assert!(page.body.contains("status-red"), "the overdue item is red");
        // Completing the item meets the clock.
        let case = t
            .get(&format!("/api/v1/cases/{}", case["id"]), Some(&c))
            .await
            .json();
        let case = step(&t, &c, &case, "done_construction_permit", json!({
            "construction_permit_number": "640324202504160101", "construction_permit_date": "2025-04-16",
        })).await;
        assert_eq!(
            deadline(&case, "deferred_construction_permit")["status"],
            "met"
        );
    }
}

fn segment<'a>(chain: &'a Value, key: &str) -> &'a Value {
    chain["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("segment {key}"))
}

#[tokio::test]
async fn the_map_colours_a_segment_by_what_is_in_it_and_a_gap_links_to_its_leads() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let c = centre(&t).await;
        let chain = t.get("/api/v1/chains/pv", Some(&c)).await.json();
        assert_eq!(segment(&chain, "ingot")["strength"], "gap");
        assert_eq!(chain["strength"], "gap");
        // A lead for a gap: listed under it, still a gap.
        let r = file(&t, &c, lead("拉晶项目", "pv.ingot"), "inv-4").await;
        let id = r.json()["id"].as_i64().unwrap();
        let chain = t.get("/api/v1/chains/pv", Some(&c)).await.json();
        let ingot = segment(&chain, "ingot");
        assert_eq!(ingot["strength"], "gap");
        assert_eq!(ingot["counts"]["leads"], 1);
        assert_eq!(ingot["leads"][0]["id"], id);
        // An enterprise registered in the segment: present (green).
        let e = json!({"credit_code": CODE, "name": "宁夏某硅业有限公司", "segments": ["pv.ingot"], "key_tax_source": true});
        let r = t
            .json(
                Method::POST,
                "/api/v1/enterprises",
                Some(&c),
                &e.to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let chain = t.get("/api/v1/chains/pv", Some(&c)).await.json();
        assert_eq!(segment(&chain, "ingot")["strength"], "present");
        assert_eq!(segment(&chain, "wafer")["strength"], "gap");
        // The page draws it: the box green, a gap red and linked to its row with the lead.
        let page = t.get("/chains/pv", Some(&c)).await;
        assert!(
            page.body
                .contains(r#"data-segment="ingot" data-strength="green""#),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(r#"data-segment="wafer" data-strength="red""#)
        );
        assert!(page.body.contains(r##"href="#seg-wafer""##));
        // The chain's supervision tasks sit on the same page (四、（六）).
        assert!(
            page.body.contains("光伏产业链：一个工作方案、一张施工图"),
            "the chain's tasks"
        );
        // The cards.
        let cards = t.get("/api/v1/chains", Some(&c)).await.json();
        let pv = cards
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == "pv")
            .unwrap();
        assert_eq!(pv["enterprises"], 1);
        assert_eq!(pv["leads"], 1);
        assert_eq!(pv["strength"], "gap");
        assert_eq!(cards.as_array().unwrap().len(), 21);
    }
}

#[tokio::test]
async fn chain_master_steps_and_bad_enterprise_input() {
    for t in TestApp::all().await {
        on(&t, 2025, 3, 3);
        let c = centre(&t).await;
        let post = |body: Value| {
            let c = c.clone();
            let t = &t;
            async move {
                t.json(
                    Method::POST,
                    "/api/v1/enterprises",
                    Some(&c),
                    &body.to_string(),
                )
                .await
            }
        };
        // Invalid codes say which rule they break.
        for (code, says) in [
            ("91640324MA76000", "须为18位"),
            ("91640324MA7600013X", "校验位不符"),
            ("91640324MA760001OW", "第17位“O”"),
        ] {
            let r = post(json!({"credit_code": code, "name": "某公司", "segments": ["pv.ingot"]}))
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            let errs = field_errors(&r);
            assert!(
                errs.iter()
                    .any(|(f, m)| f == "credit_code" && m.contains(says)),
                "{code}: {}",
                r.body
            );
        }
        let r = post(json!({"credit_code": CODE, "name": "某公司", "segments": []})).await;
        assert!(
            field_errors(&r).iter().any(|(f, _)| f == "segments"),
            "{}",
            r.body
        );
        let r = post(json!({"credit_code": CODE, "name": "宁夏某光伏组件有限公司", "segments": ["pv.module"]})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        // The same code again, lower case: one code, one enterprise.
        let r = post(json!({"credit_code": CODE.to_lowercase(), "name": "另一家", "segments": ["pv.module"]})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("已登记为“宁夏某光伏组件有限公司”"),
            "{}",
            r.body
        );
        // A unit leading none of the chains cannot register.
        let other = t.login(Role::Department).await;
        let r = t.json(Method::POST, "/api/v1/enterprises", Some(&other), &json!({"credit_code": "91640324MA7600021P", "name": "某化工", "segments": ["chem.coking"]}).to_string()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // 链主: candidate, then county with its reward; the reward must be a number.
        let step_url = format!("/api/v1/enterprises/{id}/master-steps");
        let version = || {
            let c = c.clone();
            let t = &t;
            async move {
                t.get(&format!("/api/v1/enterprises/{id}"), Some(&c))
                    .await
                    .json()["version"]
                    .as_i64()
                    .unwrap()
            }
        };
        let v = version().await;
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "county", "decided_on": "2025-03-01", "decision": "县产业链领导小组会议", "reward": "50", "version": v}).to_string()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "county before candidate: {}",
            r.body
        );
        assert!(r.body.contains("四、（三）"), "{}", r.body);
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "candidate", "decided_on": "2025-03-01", "decision": "县产业链领导小组会议", "version": v}).to_string()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v2 = version().await;
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "county", "decided_on": "2025-03-02", "decision": "同政发〔2025〕3号", "reward": "五十万", "version": v2}).to_string()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            field_errors(&r)
                .iter()
                .any(|(f, m)| f == "reward" && m.contains("奖励金额")),
            "{}",
            r.body
        );
        // Two officials at once: the second, at the old version, is told.
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "county", "decided_on": "2025-03-02", "decision": "同政发〔2025〕3号", "reward": "50", "version": v}).to_string()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "county", "decided_on": "2025-03-02", "decision": "同政发〔2025〕3号", "reward": "50", "version": v2}).to_string()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let e = t
            .get(&format!("/api/v1/enterprises/{id}"), Some(&c))
            .await
            .json();
        assert_eq!(e["master_level"], "county");
        assert_eq!(e["steps"][1]["reward"], "50");
        let v3 = version().await;
        let r = t.json(Method::POST, &step_url, Some(&c), &json!({"chain": "pv", "level": "regional", "decided_on": "2025-03-03", "decision": "宁工信发〔2025〕9号", "reward": "20.5", "version": v3}).to_string()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let e = t
            .get(&format!("/api/v1/enterprises/{id}"), Some(&c))
            .await
            .json();
        assert_eq!(e["master_label"], "自治区级链主");
        assert_eq!(e["steps"].as_array().unwrap().len(), 3);
    }
}
