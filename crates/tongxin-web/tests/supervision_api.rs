//! 督查督办 through the JSON API on SQLite and PostgreSQL, with a fixed clock: the plans
//! published at first start; a chain's 旬调度 task with its dekads across the 2024 Spring
//! Festival; a report filed late, one on time, a second for the same period refused; a
//! responsible unit's report returned by the lead and refiled; the yellow and red states; an
//! escalation chain that may not step down; a one-off task completed and closed.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::{field_errors, on};
use support::gov_investment::official;
use support::{Client, Reply, TestApp};
use tongxin_domain::Role;

async fn post(t: &TestApp, c: &Client, path: &str, body: Value) -> Reply {
    t.json(Method::POST, path, Some(c), &body.to_string()).await
}

async fn task_id(t: &TestApp, c: &Client, link: &str, title: &str) -> i64 {
    let r = t
        .get(
            &format!("/api/v1/supervision/tasks?link_kind=chain&link_ref={link}&per_page=100"),
            Some(c),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["title"] == title)
        .unwrap_or_else(|| panic!("no task {title}: {}", r.body))["id"]
        .as_i64()
        .unwrap()
}

async fn task(t: &TestApp, c: &Client, id: i64) -> Value {
    let r = t
        .get(&format!("/api/v1/supervision/tasks/{id}"), Some(c))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_chains_dekad_reports_across_the_spring_festival() {
    for t in TestApp::all().await {
        on(&t, 2024, 2, 5);
        let office = t.login(Role::Supervision).await;
        let all = t
            .get("/api/v1/supervision/tasks", Some(&office))
            .await
            .json();
        assert_eq!(
            all["total"], 390,
            "every plan task published at first start"
        );

        let lead = official(&t, "t-invest", "投资促进服务中心").await;
        let park = official(&t, "t-park", "工业园区管委会").await;
        let other = official(&t, "t-edu", "教育局").await;
        let id = task_id(&t, &lead, "pv", "光伏产业链：旬调度").await;
        let v = task(&t, &lead, id).await;
        // Dekads from 2023年12月下旬 to 2024年2月上旬, newest first; each due on its last working
        // day: 12月29日 (30th, 31st a weekend), 1月10日, 1月19日 (20th a Saturday), 1月31日,
        // 2月9日 (除夕 is a working day).
        let dues: Vec<&str> = v["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["due"].as_str().unwrap())
            .collect();
        assert_eq!(
            dues,
            [
                "2024-02-09",
                "2024-01-31",
                "2024-01-19",
                "2024-01-10",
                "2023-12-29"
            ]
        );
        assert_eq!(v["status"], "overdue", "{v}");
        assert_eq!(v["colour"], "red");
        assert_eq!(v["next_due"], "2023-12-29");
        assert_eq!(v["cadence_label"], "每旬");
        assert_eq!(v["source"], "同党办发〔2023〕49号 四、（六）");
        // A unit the task does not bind does not see it.
        let r = t
            .get(&format!("/api/v1/supervision/tasks/{id}"), Some(&other))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // The oldest missing period is filed (late), then the current one (on time).
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"body": "组织企业座谈，梳理重点项目5个", "figures": {"新签约项目（个）": "2"}}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["late"], true);
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-01", "body": "春节前安全检查"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["late"], false);
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-01", "body": "再报一次"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // Bad input, field by field: no text, a period the task does not have.
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-03", "body": ""}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["body", "period_start"]);
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-11", "body": "下一旬"}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a period not begun: {}",
            r.body
        );

        // Still red: 1月上旬 is missing.
        let v = task(&t, &lead, id).await;
        assert_eq!(v["next_due"], "2024-01-10");
        let p = &v["periods"][4];
        assert_eq!(p["colour"], "red", "filed late: {p}");
        assert_eq!(p["reports"][0]["late"], true);
        assert_eq!(v["periods"][0]["colour"], "green");

        // A responsible unit reports; the lead returns it with a comment; it is refiled.
        let r = post(
            &t,
            &park,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-01", "body": "园区配合"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let rid = r.json()["report_id"].as_i64().unwrap();
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/reports/{rid}/review"),
            json!({"decision": "return", "comment": "", "version": 0}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a return needs a comment"
        );
        let r = post(
            &t,
            &park,
            &format!("/api/v1/supervision/reports/{rid}/review"),
            json!({"decision": "accept", "version": 0}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a unit does not review itself"
        );
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/reports/{rid}/review"),
            json!({"decision": "return", "comment": "请补充项目进度数据", "version": 0}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = post(
            &t,
            &lead,
            &format!("/api/v1/supervision/reports/{rid}/review"),
            json!({"decision": "accept", "version": 0}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a stale review is told: {}",
            r.body
        );
        let r = post(
            &t,
            &park,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"period_start": "2024-02-01", "body": "园区配合：3个项目开工准备"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "refiled: {}", r.body);
        let r = post(
            &t,
            &office,
            &format!("/api/v1/supervision/reports/{rid}/review"),
            json!({"decision": "accept", "version": 2}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = task(&t, &office, id).await;
        let park_cell = v["periods"][0]["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["unit"]["name"] == "工业园区管委会")
            .unwrap()
            .clone();
        assert_eq!(park_cell["state"], "accepted");
        assert_eq!(park_cell["body"], "园区配合：3个项目开工准备");

        // Escalation: 催办 → 约谈 → 通报, never back down; only a unit the task binds.
        let url = format!("/api/v1/supervision/tasks/{id}/escalations");
        for step in ["催办", "催办", "约谈", "通报"] {
            let r = post(
                &t,
                &office,
                &url,
                json!({"unit": "投资促进服务中心", "step": step, "reason": "1月上旬旬调度未报"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{step}: {}", r.body);
        }
        let r = post(
            &t,
            &office,
            &url,
            json!({"unit": "投资促进服务中心", "step": "约谈", "reason": "x"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("不能降为约谈"), "{}", r.body);
        let r = post(
            &t,
            &office,
            &url,
            json!({"unit": "教育局", "step": "催办", "reason": "x"}),
        )
        .await;
        assert!(r.body.contains("不是该任务的牵头或责任单位"), "{}", r.body);
        let r = post(
            &t,
            &lead,
            &url,
            json!({"unit": "投资促进服务中心", "step": "催办", "reason": "x"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let v = task(&t, &lead, id).await;
        let steps: Vec<&str> = v["escalations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step_label"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["催办", "催办", "约谈", "通报"]);
    }
}

#[tokio::test]
async fn a_one_off_task_turns_yellow_then_red_and_is_completed_and_closed() {
    let t = TestApp::new().await;
    on(&t, 2024, 3, 25);
    let c = official(&t, "t-invest", "投资促进服务中心").await;
    let id = task_id(&t, &c, "pv", "光伏产业链：重点企业清单").await;
    let v = task(&t, &c, id).await;
    // Due 2024-03-31, a Sunday: a one-off deadline is carried to the next working day, Monday
    // 1 April; on the 25th that is 5 working days away: green. On the 27th: yellow (28th,
    // 29th, 1st). On 2 April: red.
    assert_eq!(v["periods"][0]["due"], "2024-04-01");
    assert_eq!(v["colour"], "green");
    on(&t, 2024, 3, 26);
    let c = official(&t, "t-invest", "投资促进服务中心").await;
    assert_eq!(task(&t, &c, id).await["colour"], "green");
    on(&t, 2024, 3, 27);
    let c = official(&t, "t-invest", "投资促进服务中心").await;
    assert_eq!(task(&t, &c, id).await["colour"], "yellow");
    on(&t, 2024, 4, 2);
    let c = official(&t, "t-invest", "投资促进服务中心").await;
    let v = task(&t, &c, id).await;
    assert_eq!(
        (v["colour"].as_str(), v["status_label"].as_str()),
        (Some("red"), Some("逾期"))
    );
    // Filed (late), marked done by the lead, closed by the office; nobody else may.
    let r = post(
        &t,
        &c,
        &format!("/api/v1/supervision/tasks/{id}/reports"),
        json!({"body": "重点企业清单已建立，共12家"}),
    )
    .await;
    assert_eq!(r.json()["late"], true);
    let v = task(&t, &c, id).await;
    let version = v["version"].as_i64().unwrap();
    let office = t.login(Role::Supervision).await;
    let r = post(
        &t,
        &office,
        &format!("/api/v1/supervision/tasks/{id}/status"),
        json!({"status": "closed", "version": version}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not done yet: {}", r.body);
    let r = post(
        &t,
        &c,
        &format!("/api/v1/supervision/tasks/{id}/status"),
        json!({"status": "done", "version": version}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(
        &t,
        &c,
        &format!("/api/v1/supervision/tasks/{id}/status"),
        json!({"status": "closed", "version": version + 1}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the unit does not close its own task"
    );
    let r = post(
        &t,
        &office,
        &format!("/api/v1/supervision/tasks/{id}/status"),
        json!({"status": "closed", "version": version}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "a stale version is told: {}",
        r.body
    );
    let r = post(
        &t,
        &office,
        &format!("/api/v1/supervision/tasks/{id}/status"),
        json!({"status": "已销号", "version": version + 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = task(&t, &c, id).await;
    assert_eq!(v["status_label"], "已销号");
    assert_eq!(v["colour"], "grey");
}

#[tokio::test]
async fn the_list_filters_by_unit_leader_document_and_status() {
    let t = TestApp::new().await;
    on(&t, 2024, 2, 5);
    let office = t.login(Role::Supervision).await;
    let count = |q: &str| {
        let q = q.to_owned();
        let t = &t;
        let office = office.clone();
        async move {
            let r = t
                .get(&format!("/api/v1/supervision/tasks?{q}"), Some(&office))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
            r.json()["total"].as_i64().unwrap()
        }
    };
    assert_eq!(
        count("doc=%E5%90%8C%E5%85%9A%E5%8A%9E%E5%8F%91%E3%80%942023%E3%80%9549%E5%8F%B7").await,
        210
    );
    assert_eq!(
        count("leader=%E5%87%8C%E9%95%87").await,
        20,
        "凌镇 chairs two chains"
    );
    assert!(
        count("unit=%E6%8A%95%E8%B5%84%E4%BF%83%E8%BF%9B%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83")
            .await
            >= 10
    );
    let r = t
        .get(
            "/api/v1/supervision/tasks?unit=%E7%A5%9E%E4%BB%99%E5%B1%80",
            Some(&office),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("神仙局"), "{}", r.body);
    let r = t
        .get(
            "/api/v1/supervision/tasks?status=%E6%9C%AA%E7%9F%A5",
            Some(&office),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An applicant has no tasks to see.
    let applicant = t.login(Role::Applicant).await;
    let r = t.get("/api/v1/supervision/tasks", Some(&applicant)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_problem_is_reopened_once_then_closed() {
    for t in TestApp::all().await {
        on(&t, 2024, 2, 5);
        let office = t.login(Role::Supervision).await;
        let unit = official(&t, "t-invest", "投资促进服务中心").await;
        let other = official(&t, "t-edu", "教育局").await;
        let id = task_id(&t, &unit, "pv", "光伏产业链：旬调度").await;
        // Bad input is named field by field; a unit the task does not bind is refused.
        let r = post(&t, &office, "/api/v1/supervision/problems", json!({"task_id": id, "unit": "教育局", "title": "", "evidence_required": "", "deadline": "2024-01-01"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["unit", "title", "evidence_required", "deadline"],
            "{}",
            r.body
        );
        let r = post(&t, &unit, "/api/v1/supervision/problems", json!({})).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "only the office raises problems"
        );
        let r = post(
            &t,
            &office,
            "/api/v1/supervision/problems",
            json!({
                "task_id": id, "unit": "投资促进服务中心", "title": "1月上旬旬调度未报送",
                "detail": "1月上旬未按时报送旬调度情况", "evidence_required": "补报材料及情况说明",
                "deadline": "2024-02-20",
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let p = r.json();
        let pid = p["id"].as_i64().unwrap();
        assert_eq!(p["status_label"], "挂账整改中");
        assert_eq!(p["link_ref"], "pv", "the task's chain");
        let url = format!("/api/v1/supervision/problems/{pid}/steps");
        // Nothing to verify yet; another unit may not file; the unit files its evidence.
        let r = post(&t, &office, &url, json!({"step": "verify", "version": 0})).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = t
            .get(&format!("/api/v1/supervision/problems/{pid}"), Some(&other))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = post(
            &t,
            &unit,
            &url,
            json!({"step": "file_evidence", "text": "", "version": 0}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &t,
            &unit,
            &url,
            json!({"step": "file_evidence", "text": "已补报", "version": 0}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Returned once (a comment is required), filed again, then closed on time.
        let r = post(
            &t,
            &office,
            &url,
            json!({"step": "reject", "text": "", "version": 1}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = post(
            &t,
            &office,
            &url,
            json!({"step": "reject", "text": "未附情况说明", "version": 1}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status_label"], "重新挂账");
        assert_eq!(r.json()["reopened"], 1);
        let r = post(
            &t,
            &unit,
            &url,
            json!({"step": "file_evidence", "text": "已补报并附情况说明", "version": 1}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "a stale version is told: {}",
            r.body
        );
        let r = post(
            &t,
            &unit,
            &url,
            json!({"step": "file_evidence", "text": "已补报并附情况说明", "version": 2}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        on(&t, 2024, 2, 19);
        let office = t.login(Role::Supervision).await;
        let unit = official(&t, "t-invest", "投资促进服务中心").await;
        let other = official(&t, "t-edu", "教育局").await;
        let r = post(
            &t,
            &office,
            &url,
            json!({"step": "verify", "text": "核验属实", "version": 3}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = r.json();
        assert_eq!(p["status_label"], "已销号");
        assert_eq!(p["closed_on"], "2024-02-19");
        assert_eq!(p["closed_on_time"], true);
        let steps: Vec<&str> = p["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step_label"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                "挂账",
                "报送整改材料",
                "退回重新整改",
                "报送整改材料",
                "核验销号"
            ]
        );
        let r = post(
            &t,
            &unit,
            &url,
            json!({"step": "file_evidence", "text": "x", "version": 4}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // The problem lists: by unit, and the open ones.
        let r = t
            .get(
                "/api/v1/supervision/problems?status=%E6%9C%AA%E9%94%80%E5%8F%B7",
                Some(&office),
            )
            .await;
        assert_eq!(r.json()["total"], 0, "{}", r.body);
        let r = t.get("/api/v1/supervision/problems", Some(&unit)).await;
        assert_eq!(r.json()["total"], 1, "{}", r.body);
        let r = t.get("/api/v1/supervision/problems", Some(&other)).await;
        assert_eq!(r.json()["total"], 0, "{}", r.body);
    }
}

/// Files a report straight into the store, as if on `filed_on` (building a quarter's history).
async fn report_on(
    t: &TestApp,
    task: i64,
    unit: &str,
    start: (i32, u32, u32),
    due: (i32, u32, u32),
    filed: (i32, u32, u32),
) {
    let d = |x: (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(x.0, x.1, x.2).unwrap();
    let mut tx = t.app.store.begin().await.unwrap();
    tx.insert_report(&tongxin_store::ReportRow {
        id: 0,
        task_id: task,
        unit_id: unit.into(),
        period_start: d(start),
        period_end: d(start),
        due_on: d(due),
        filed_on: d(filed),
        filed_at: String::new(),
        filed_by: "t".into(),
        body: "进展".into(),
        figures: "{}".into(),
        review: String::new(),
        review_note: String::new(),
        reviewed_by: String::new(),
        reviewed_at: String::new(),
        version: 0,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_quarters_bulletin_scores_a_unit_as_computed_by_hand() {
    for t in TestApp::all().await {
        on(&t, 2024, 4, 10);
        let office = t.login(Role::Supervision).await;
        // 民政局, which leads the 健康养老 chain and one festival task.
        let unit_id = "dept-civil-affairs".to_owned();
        let list = |q: String| {
            let t = &t;
            let office = office.clone();
            async move {
                t.get(
                    &format!("/api/v1/supervision/tasks?{q}&per_page=100"),
                    Some(&office),
                )
                .await
                .json()["items"]
                    .as_array()
                    .unwrap()
                    .clone()
            }
        };
        let chain = list("link_kind=chain&link_ref=eldercare".into()).await;
        let id_of = |title: &str| {
            chain.iter().find(|x| x["title"] == title).unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let dekad = id_of("健康养老产业链：旬调度");
        let month = id_of("健康养老产业链：月总结");
        let quarter = id_of("健康养老产业链：季通报");
        // 民政局 in 2024年第一季度 owes 14 reports: 9 dekads, 3 months, the quarter, and D3's
        // 做好各养老院氛围营造 (due 2023-12-30, a Saturday, carried past 元旦 to 1月2日).
        let dekads = [
            ((2024, 1, 1), (2024, 1, 10)),
            ((2024, 1, 11), (2024, 1, 19)),
            ((2024, 1, 21), (2024, 1, 31)),
            ((2024, 2, 1), (2024, 2, 9)),
            ((2024, 2, 11), (2024, 2, 20)),
            ((2024, 2, 21), (2024, 2, 29)),
            ((2024, 3, 1), (2024, 3, 8)),
            ((2024, 3, 11), (2024, 3, 20)),
            ((2024, 3, 21), (2024, 3, 29)),
        ];
        for (i, (start, due)) in dekads.iter().enumerate() {
            // 2月上旬's report is filed late, on 2月19日.
            let filed = if i == 3 { (2024, 2, 19) } else { *due };
            report_on(&t, dekad, &unit_id, *start, *due, filed).await;
        }
        // 2023年12月下旬, before the quarter, was reported on time (else the dekad task would
        // count as overdue at the quarter's end too).
        report_on(
            &t,
            dekad,
            &unit_id,
            (2023, 12, 21),
            (2023, 12, 29),
            (2023, 12, 29),
        )
        .await;
        // January and March on time; February missing. The quarter on time.
        report_on(
            &t,
            month,
            &unit_id,
            (2024, 1, 1),
            (2024, 1, 31),
            (2024, 1, 31),
        )
        .await;
        report_on(
            &t,
            month,
            &unit_id,
            (2024, 3, 1),
            (2024, 3, 29),
            (2024, 3, 28),
        )
        .await;
        report_on(
            &t,
            quarter,
            &unit_id,
            (2024, 1, 1),
            (2024, 3, 29),
            (2024, 3, 29),
        )
        .await;
        // Two problems due in the quarter: one closed on time, one still open.
        for (deadline, closed) in [((2024, 3, 15), Some((2024, 3, 14))), ((2024, 3, 20), None)] {
            let d = |x: (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(x.0, x.1, x.2).unwrap();
            let mut p = tongxin_store::ProblemRow {
                id: 0,
                task_id: Some(dekad),
                link_kind: "chain".into(),
                link_ref: "eldercare".into(),
                unit_id: unit_id.clone(),
                title: "问题".into(),
                detail: String::new(),
                evidence_required: "材料".into(),
                deadline: d(deadline),
                status: "open".into(),
                evidence: String::new(),
                evidence_filed_on: None,
                reopened: 0,
                closed_on: None,
                raised_by: "t".into(),
                raised_at: String::new(),
                version: 0,
            };
            let mut tx = t.app.store.begin().await.unwrap();
            p.id = tx.insert_problem(&p).await.unwrap();
            if let Some(c) = closed {
                p.status = "closed".into();
                p.closed_on = Some(d(c));
                tx.update_problem(&p).await.unwrap();
            }
            tx.commit().await.unwrap();
        }
        let r = t
            .get("/api/v1/supervision/bulletin?period=2024Q1", Some(&office))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let b = r.json();
        assert_eq!(b["label"], "2024年第一季度");
        assert_eq!(
            b["weights_from"],
            Value::Null,
            "the default weights, said so"
        );
        let row = b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["unit"]["id"] == unit_id.as_str())
            .unwrap()
            .clone();
        // 11 of 14 on time: 60 × 11/14 = 47.142… → 47.14; 1 of 2 problems: 20.00; overdue at
        // 3月31日: the festival task (never reported) and the monthly task (February missing):
        // −10.00. Total 57.14.
        assert_eq!(row["record"]["reports_due"], 14, "{row}");
        assert_eq!(row["record"]["reports_on_time"], 11, "{row}");
        assert_eq!(row["record"]["problems_due"], 2);
        assert_eq!(row["record"]["problems_closed_on_time"], 1);
        assert_eq!(row["record"]["overdue_tasks"], 2, "{row}");
        assert_eq!(row["score"], "57.14");
        assert_eq!(
            row["working"],
            "按时报送11/14×60分=47.14，按期整改1/2×40分=20.00，逾期任务2项×5分=−10.00，合计57.14"
        );
        let items: Vec<&str> = row["overdue_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(items.contains(&"健康养老产业链：月总结"), "{items:?}");

        // The office's own weights from 1 January: 50 × 11/14 = 39.29, 25.00, −20.00 → 44.29.
        let r = post(&t, &office, "/api/v1/supervision/weights", json!({"from": "2024-01-01", "reports": 60, "rectification": 50, "per_overdue_task": 10})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "over 100 points: {}",
            r.body
        );
        let r = post(&t, &office, "/api/v1/supervision/weights", json!({"from": "2024-01-01", "reports": 50, "rectification": 50, "per_overdue_task": 10})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let b = t
            .get("/api/v1/supervision/bulletin?period=2024Q1", Some(&office))
            .await
            .json();
        assert_eq!(b["weights_from"], "2024-01-01");
        let row = b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["unit"]["id"] == unit_id.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["score"], "44.29", "{row}");
        // Ranks are in score order; a bad period is named.
        let ranks: Vec<i64> = b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["rank"].as_i64().unwrap())
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        let r = t
            .get("/api/v1/supervision/bulletin?period=2024Q5", Some(&office))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("考核期"), "{}", r.body);
    }
}

#[tokio::test]
async fn the_overdue_filter_counts_and_pages_only_overdue_tasks() {
    let t = TestApp::new().await;
    on(&t, 2024, 2, 5);
    let office = t.login(Role::Supervision).await;
    let page = |n: i64| {
        let t = &t;
        let office = office.clone();
        async move {
            t.get(
                &format!(
                    "/api/v1/supervision/tasks?status=%E9%80%BE%E6%9C%9F&per_page=20&page={n}"
                ),
                Some(&office),
            )
            .await
            .json()
        }
    };
    let first = page(1).await;
    let total = first["total"].as_i64().unwrap();
    assert!(total > 20, "{total}");
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert!(items.iter().all(|x| x["status"] == "overdue"));
    let last = page((total + 19) / 20).await;
    let n = last["items"].as_array().unwrap().len() as i64;
    assert_eq!(n, total - 20 * ((total + 19) / 20 - 1));
}

/// The messages in a unit's inbox about one task.
async fn task_messages(t: &TestApp, c: &Client, task: i64) -> Vec<(String, String)> {
    let r = t.get("/api/v1/inbox", Some(c)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["task_id"].as_i64() == Some(task))
        .map(|i| {
            (
                i["colour"].as_str().unwrap().to_owned(),
                i["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn reminders_reach_the_units_inbox_once_yellow_then_red_and_move_on_when_filed() {
    for t in TestApp::all().await {
        on(&t, 2024, 3, 26);
        let c = official(&t, "t-invest", "投资促进服务中心").await;
        let once = task_id(&t, &c, "pv", "光伏产业链：重点企业清单").await;
        // Due Monday 1 April: on the 26th four working days away, nothing said yet.
        let r = t.app.sweep(d(2024, 3, 26)).await.unwrap();
        assert!(r.tasks.overdue > 0, "older periods are overdue: {r:?}");
        assert!(task_messages(&t, &c, once).await.is_empty());
        // On the 27th, three working days: yellow, once however often the sweep runs.
        on(&t, 2024, 3, 27);
        let c = official(&t, "t-invest", "投资促进服务中心").await;
        t.app.sweep(d(2024, 3, 27)).await.unwrap();
        let again = t.app.sweep(d(2024, 3, 27)).await.unwrap();
        assert_eq!((again.tasks.warned, again.tasks.overdue), (0, 0));
        let m = task_messages(&t, &c, once).await;
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, "yellow");
        assert!(
            m[0].1.contains("将于2024年4月1日到期，还剩3个工作日")
                && m[0].1.contains("同党办发〔2023〕49号"),
            "{}",
            m[0].1
        );
        // On 2 April: red, once.
        on(&t, 2024, 4, 2);
        let c = official(&t, "t-invest", "投资促进服务中心").await;
        t.app.sweep(d(2024, 4, 2)).await.unwrap();
        t.app.sweep(d(2024, 4, 2)).await.unwrap();
        let m = task_messages(&t, &c, once).await;
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].0, "red", "newest first: {m:?}");
        assert!(m[0].1.contains("已逾期1个工作日"), "{}", m[0].1);
        // The workbench lists it among the unit's reminders, linked to the task.
        let page = t.get("/workbench", Some(&c)).await;
        assert!(
            page.body
                .contains(&format!("href=\"/supervision/tasks/{once}\"")),
            "{}",
            page.body
        );

        // A dekad task: the oldest missing period is the one told; filing it moves the unit on
        // to the next, told again as its own message.
        let dekad = task_id(&t, &c, "pv", "光伏产业链：旬调度").await;
        let first = task_messages(&t, &c, dekad).await;
        assert_eq!(first.len(), 1, "{first:?}");
        assert!(first[0].1.contains("2023年12月下旬"), "{}", first[0].1);
        let r = post(
            &t,
            &c,
            &format!("/api/v1/supervision/tasks/{dekad}/reports"),
            json!({"body": "12月下旬：光伏组件项目完成设备安装"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = t.app.sweep(d(2024, 4, 2)).await.unwrap();
        assert!(r.tasks.overdue >= 1, "{r:?}");
        let m = task_messages(&t, &c, dekad).await;
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].1.contains("2024年1月上旬"), "{}", m[0].1);
        // Overdue in the ledger until every past dekad is filed; the one-off task, once its
        // report is filed (late), owes nothing and leaves the 逾期 list.
        let overdue = |c: Client| {
            let t = &t;
            async move {
                t.get(
                    "/api/v1/supervision/tasks?status=逾期&link_kind=chain&link_ref=pv&per_page=100",
                    Some(&c),
                )
                .await
                .json()["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["id"].as_i64().unwrap())
                    .collect::<Vec<_>>()
            }
        };
        let before = overdue(c.clone()).await;
        assert!(before.contains(&once) && before.contains(&dekad));
        let r = post(
            &t,
            &c,
            &format!("/api/v1/supervision/tasks/{once}/reports"),
            json!({"body": "重点企业清单已建立，共12家"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let after = overdue(c.clone()).await;
        assert!(
            !after.contains(&once) && after.contains(&dekad),
            "{after:?}"
        );
    }
}

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn a_revised_plan_file_revises_its_tasks_keeping_their_reports() {
    for t in TestApp::all().await {
        on(&t, 2024, 1, 5);
        let c = official(&t, "t-invest", "投资促进服务中心").await;
        let id = task_id(&t, &c, "pv", "光伏产业链：重点企业清单").await;
        let r = post(
            &t,
            &c,
            &format!("/api/v1/supervision/tasks/{id}/reports"),
            json!({"body": "已列出8家"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // The county revises the plan: the list is due a month later and 工业园区管委会 shares it.
        let mut pack = tongxin_policy::tongxin::pack().unwrap();
        let park = pack
            .directory
            .resolve_unit("工业园区管委会")
            .unwrap()
            .id
            .clone();
        let entry = pack
            .plans
            .iter_mut()
            .find(|p| p.key == "d1.pv.list.enterprises")
            .unwrap();
        entry.due = chrono::NaiveDate::from_ymd_opt(2024, 4, 30);
        entry.responsible = vec![park];
        let again = tongxin_app::App::open(
            t.app.store.clone(),
            pack,
            t.clock.clone(),
            tongxin_app::Mode::Production,
        )
        .await
        .unwrap();
        let office = t.login(Role::Supervision).await;
        let v = task(&t, &office, id).await;
        assert_eq!(v["due_on"], "2024-04-30");
        assert_eq!(v["responsible"][0]["name"], "工业园区管委会");
        assert_eq!(v["status_label"], "推进中", "the status stays");
        let filed: Vec<&Value> = v["periods"][0]["reports"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["state"] != "missing")
            .collect();
        assert_eq!(filed.len(), 1, "the report stays");
        // The audit trail says what changed; opening once more changes nothing.
        let audit = t.login(Role::AuditAdmin).await;
        let trail = t
            .get("/api/v1/audit?per_page=100", Some(&audit))
            .await
            .json();
        let entry = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["object"] == format!("sv_task:{id}") && e["action"] == "update")
            .unwrap_or_else(|| panic!("no revision entry: {trail}"))
            .clone();
        assert!(entry.to_string().contains("2024-04-30"), "{entry}");
        drop(again);
        let pack = {
            let mut p = tongxin_policy::tongxin::pack().unwrap();
            let park = p
                .directory
                .resolve_unit("工业园区管委会")
                .unwrap()
                .id
                .clone();
            let e = p
                .plans
                .iter_mut()
                .find(|p| p.key == "d1.pv.list.enterprises")
                .unwrap();
            e.due = chrono::NaiveDate::from_ymd_opt(2024, 4, 30);
            e.responsible = vec![park];
            p
        };
        let count = |v: Value| v["items"].as_array().unwrap().len();
        let before = count(
            t.get("/api/v1/audit?per_page=100", Some(&audit))
                .await
                .json(),
        );
        tongxin_app::App::open(
            t.app.store.clone(),
            pack,
            t.clock.clone(),
            tongxin_app::Mode::Production,
        )
        .await
        .unwrap();
        let after = count(
            t.get("/api/v1/audit?per_page=100", Some(&audit))
                .await
                .json(),
        );
        assert_eq!(before, after, "nothing to revise twice");
    }
}
