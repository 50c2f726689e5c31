//! 宅基地审批 through the JSON API, end to end, on a clock that walks across the 2024 Spring
//! Festival (holiday 2月10日–17日, 调休 workdays 2月4日 and 2月18日) and Qingming (4月4日–6日,
//! 调休 4月7日): every due date checked against the official calendar, every check, the
//! rejection and return paths, a concurrent approval, idempotent filing, and data scopes.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::{
    act, actions, application, d, deadline, due, field_errors, file, id, on, step,
};
use support::{Client, Reply, TestApp};
use tongxin_app::users::NewUserInput;
use tongxin_domain::Role;

async fn add_user(t: &TestApp, name: &str, role: Role, unit: &str) -> Client {
    t.app
        .create_user(
            None,
            &NewUserInput {
                username: name.into(),
                display_name: format!("测试{}", role.label()),
                password: support::PASSWORD.into(),
                role: role.code().into(),
                unit: unit.into(),
            },
        )
        .await
        .unwrap();
    let r = t.login_as(name, support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    Client {
        cookie: r.session_cookie().unwrap(),
        csrf: r.json()["csrf_token"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn a_homestead_case_runs_from_application_to_acceptance_on_the_official_calendar() {
    for t in TestApp::all().await {
        eprintln!("homestead on {}", t.app.store.backend().name());
        full_procedure(&t).await;
    }
}

async fn full_procedure(t: &TestApp) {
    let village = t.login(Role::Village).await;
    let township = t.login(Role::Township).await;

    // 2024-01-08 (Mon): the village files on the villager's behalf.
    on(t, 2024, 1, 8);
    let r = file(t, &village, application(1, "水浇地", 260.0, 2), "k-1").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut case = r.json();
    assert_eq!(case["state"], "group_meeting");
    assert!(case["number"].as_str().unwrap().starts_with("宅2024-"));
    assert_eq!(case["events"][0]["action"], "submit");
    let clauses = case["events"][0]["clauses"].to_string();
    assert!(
        clauses.contains("同政办规发〔2023〕6号 第七条") && clauses.contains("270"),
        "the area check records its clause and the cap applied: {clauses}"
    );
    assert!(
        !case["events"][0]["policy_version"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    on(t, 2024, 1, 9);
    case = step(
        t,
        &village,
        &case,
        "group_pass",
        json!({"group_meeting_date": "2024-01-09", "group_meeting_record": "同意"}),
    )
    .await;

    // 2024-01-10 (Wed): the villagers' meeting passes it and the notice goes up: at least 7
    // working days, so it may close on 1月19日 (Fri).
    on(t, 2024, 1, 10);
    case = step(
        t,
        &village,
        &case,
        "village_pass",
        json!({"villagers_meeting_date": "2024-01-10", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"}),
    )
    .await;
    assert_eq!(case["state"], "public_notice");
    assert_eq!(due(&case, "public_notice"), d(2024, 1, 19));
    assert_eq!(
        deadline(&case, "public_notice")["citation"],
        "同政办规发〔2023〕6号 第十条"
    );

    // The public notice lists it, name masked, no ID number.
    let notices = t.get("/api/v1/public/notices", None).await;
    assert_eq!(notices.status, StatusCode::OK);
    assert!(notices.body.contains("马*明") && !notices.body.contains("马小明"));
    assert!(!notices.body.contains(&id(1)));

    // An objection is recorded; the notice still runs.
    on(t, 2024, 1, 12);
    case = step(
        t,
        &village,
        &case,
        "record_objection",
        json!({"objection": "邻户称西侧界址有争议"}),
    )
    .await;
    assert_eq!(case["state"], "public_notice");

    // One working day early, closing the notice is refused with the date and the clause.
    on(t, 2024, 1, 18);
    let early = act(
        t,
        &village,
        &case,
        "notice_passed",
        json!({"village_opinion": "同意", "objection_handling": "经核实界址清楚，异议不成立"}),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    let msg = early.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.contains("2024年1月19日") && msg.contains("第十条"),
        "{msg}"
    );
    let view = t
        .get(&format!("/api/v1/cases/{}", case["id"]), Some(&village))
        .await
        .json();
    let blocked = &view["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "notice_passed")
        .unwrap()["blocked"];
    assert!(blocked.as_str().unwrap().contains("1月19日"));

    on(t, 2024, 1, 19);
    case = step(
        t,
        &village,
        &case,
        "notice_passed",
        json!({"village_opinion": "同意", "objection_handling": "经核实界址清楚，异议不成立"}),
    )
    .await;
    assert_eq!(deadline(&case, "public_notice")["status"], "met");
    case = step(t, &township, &case, "accept", json!({})).await;
    assert_eq!(case["state"], "joint_review");

    // Approval issues the two numbered certificates.
    on(t, 2024, 1, 22);
    case = step(
        t,
        &township,
        &case,
        "approve",
        json!({"review_opinion": "符合规划和面积标准，同意", "site_plan_coordinates": "106.1201,36.9802"}),
    )
    .await;
    assert_eq!(case["state"], "approved");
    let numbers: Vec<&str> = case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["宅批〔2024〕0001号", "乡字〔2024〕0001号"]);

    // 2024-02-05 (Mon): construction papers; 10 working days would end 2月23日 (the festival
    // off, 2月18日 a working Sunday).
    on(t, 2024, 2, 5);
    case = step(
        t,
        &village,
        &case,
        "apply_start",
        json!({"design_source": "catalogue", "construction_contract": "SG-2024-01", "builder_name": "杨师傅", "builder_id": id(77), "quality_pledge": true}),
    )
    .await;
    assert_eq!(due(&case, "papers_review"), d(2024, 2, 23));

    // Returned for correction on 2月7日: the clock stops; the papers come back 2月19日.
    on(t, 2024, 2, 7);
    case = step(
        t,
        &township,
        &case,
        "return_papers",
        json!({"reason": "施工合同缺少签字页"}),
    )
    .await;
    assert_eq!(deadline(&case, "papers_review")["status"], "paused");
    assert!(deadline(&case, "papers_review")["due_on"].is_null());
    on(t, 2024, 2, 19);
    case = step(
        t,
        &village,
        &case,
        "resubmit_papers",
        json!({"correction_note": "已补签字页", "design_source": "catalogue", "construction_contract": "SG-2024-01", "builder_name": "杨师傅", "quality_pledge": true}),
    )
    .await;
    // Two working days used before the pause (2月6日, 7日), eight after 2月19日.
    assert_eq!(due(&case, "papers_review"), d(2024, 2, 29));

    on(t, 2024, 2, 29);
    case = step(
        t,
        &township,
        &case,
        "consent_start",
        json!({"papers_opinion": "资料齐全"}),
    )
    .await;
    assert_eq!(deadline(&case, "papers_review")["status"], "met");
    assert_eq!(due(&case, "start_inspection"), d(2024, 3, 7));

    // The sweep warns the township three working days ahead, then marks it overdue.
    on(t, 2024, 3, 5);
    let report = t.app.sweep(d(2024, 3, 5)).await.unwrap();
    assert_eq!((report.warned, report.overdue), (1, 0), "{report:?}");
    let again = t.app.sweep(d(2024, 3, 5)).await.unwrap();
    assert_eq!(
        (again.warned, again.overdue),
        (0, 0),
        "a sweep is idempotent"
    );
    let inbox = t.get("/api/v1/inbox", Some(&township)).await.json();
    let first = inbox["items"][0]["message"].as_str().unwrap();
    assert!(
        first.contains("还剩2个工作日") && first.contains("第二十一条"),
        "{first}"
    );
    assert_eq!(inbox["items"][0]["colour"], "yellow");
    on(t, 2024, 3, 8);
    let report = t.app.sweep(d(2024, 3, 8)).await.unwrap();
    assert_eq!(report.overdue, 1);
    let listed = t
        .get("/api/v1/cases?overdue=true", Some(&township))
        .await
        .json();
    assert_eq!(listed["total"], 1);
    let view = t
        .get(&format!("/api/v1/cases/{}", case["id"]), Some(&township))
        .await
        .json();
    assert_eq!(deadline(&view, "start_inspection")["colour"], "red");

    case = step(
        t,
        &township,
        &case,
        "inspect_start",
        json!({"inspection_date": "2024-03-08", "position_confirmed": true, "inspection_record": "放线位置与批准一致"}),
    )
    .await;
    assert_eq!(case["state"], "under_construction");
    assert_eq!(
        deadline(&case, "start_inspection")["status_label"],
        "逾期办结"
    );

    on(t, 2024, 3, 20);
    case = step(
        t,
        &township,
        &case,
        "record_inspection",
        json!({"inspection_date": "2024-03-20", "inspection_record": "基础施工，符合要求"}),
    )
    .await;

    // 2024-04-01: completion; five working days across Qingming (4月4日–6日 off, 4月7日 a working
    // Sunday) end 4月9日.
    on(t, 2024, 4, 1);
    case = step(
        t,
        &village,
        &case,
        "apply_completion",
        json!({"completion_date": "2024-03-29"}),
    )
    .await;
    assert_eq!(due(&case, "completion_inspection"), d(2024, 4, 9));

    // A failed inspection sends it back to construction; it applies again.
    on(t, 2024, 4, 3);
    let no_reason = act(
        t,
        &township,
        &case,
        "fail_completion",
        json!({"inspection_date": "2024-04-03", "built_area_m2": 275, "acceptance_participants": "马小明、杨师傅、镇村建站"}),
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&no_reason)[0].0, "reason");
    case = step(
        t,
        &township,
        &case,
        "fail_completion",
        json!({"inspection_date": "2024-04-03", "built_area_m2": 275, "acceptance_participants": "马小明、杨师傅、镇村建站", "reason": "实测占地超出批准面积，责令拆除超出部分"}),
    )
    .await;
    assert_eq!(case["state"], "under_construction");

    on(t, 2024, 4, 16);
    case = step(
        t,
        &village,
        &case,
        "apply_completion",
        json!({"completion_date": "2024-04-15"}),
    )
    .await;
    assert_eq!(due(&case, "completion_inspection"), d(2024, 4, 23));
    on(t, 2024, 4, 17);
    case = step(
        t,
        &township,
        &case,
        "pass_completion",
        json!({"inspection_date": "2024-04-17", "built_area_m2": 258, "acceptance_participants": "马小明、杨师傅、镇村建站", "acceptance_opinion": "符合批准要求，验收合格"}),
    )
    .await;
    assert_eq!(case["state"], "completed");
    assert_eq!(case["terminal"], true);
    assert!(actions(&case).is_empty());
    assert_eq!(case["documents"][2]["number"], "宅验〔2024〕0001号");
    assert_eq!(case["events"].as_array().unwrap().len(), 17);

    // Every transition is in the audit trail, and the trail verifies.
    let audit = t.app.store.verify_audit().await.unwrap();
    assert!(audit.is_ok(), "{audit:?}");
}

#[tokio::test]
async fn each_check_refuses_with_its_clause_and_admits_the_limit() {
    let owned = TestApp::new().await;
    let t = &owned;
    let village = t.login(Role::Village).await;
    on(t, 2024, 3, 4);
    for (i, (land, cap)) in [
        ("水浇地", 270.0),
        ("平川旱作耕地", 400.0),
        ("山坡地", 540.0),
    ]
    .into_iter()
    .enumerate()
    {
        let seq = 10 + i as u32 * 2;
        let over = file(
            t,
            &village,
            application(seq, land, cap + 0.5, 2),
            &format!("over-{i}"),
        )
        .await;
        assert_eq!(
            over.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{land}: {}",
            over.body
        );
        let errs = field_errors(&over);
        assert_eq!(errs[0].0, "area_m2");
        assert!(
            errs[0].1.contains(&format!("{cap}")) && errs[0].1.contains("第七条"),
            "{land}: {errs:?}"
        );
        let at = file(
            t,
            &village,
            application(seq, land, cap, 2),
            &format!("at-{i}"),
        )
        .await;
        assert_eq!(
            at.status,
            StatusCode::CREATED,
            "{land} at the cap: {}",
            at.body
        );
    }

    // Three storeys: filed, but the village may not pass it without recording consent.
    let r = file(t, &village, application(30, "水浇地", 200.0, 3), "three").await;
    let mut case = r.json();
    case = step(
        t,
        &village,
        &case,
        "group_pass",
        json!({"group_meeting_date": "2024-03-04", "group_meeting_record": "同意"}),
    )
    .await;
    let refused = act(
        t,
        &village,
        &case,
        "village_pass",
        json!({"villagers_meeting_date": "2024-03-04", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errs = field_errors(&refused);
    assert_eq!(errs[0].0, "storeys_consent");
    assert!(errs[0].1.contains("第七条"), "{errs:?}");
    step(
        t,
        &village,
        &case,
        "village_pass",
        json!({"villagers_meeting_date": "2024-03-04", "neighbours_opinion": "无异议", "notice_place": "村务公开栏", "storeys_consent": true}),
    )
    .await;

    // The use pledge is a required material (第八条): “否” is refused.
    let mut unsigned = application(35, "水浇地", 200.0, 2);
    unsigned["use_pledge_signed"] = json!(false);
    let r = file(t, &village, unsigned, "unsigned").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errs = field_errors(&r);
    assert_eq!(errs[0].0, "use_pledge_signed");
    assert!(
        errs[0].1.ends_with("同政办规发〔2023〕6号 第八条"),
        "{errs:?}"
    );

    // Every bad field at once, by its Chinese label; a bad ID names its place in the list.
    let mut bad = application(40, "沙地", -1.0, 0);
    bad["applicant_id"] = json!("640324199001011230");
    bad["members"][1]["resident_id"] = json!("12345");
    bad["applicant_name"] = json!("");
    let r = file(t, &village, bad, "bad").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = field_errors(&r).into_iter().map(|(f, _)| f).collect();
    for f in [
        "applicant_name",
        "applicant_id",
        "members[1].resident_id",
        "land_type",
        "area_m2",
        "storeys",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
    assert!(r.body.contains("“拟用地类型”须为以下之一"), "{}", r.body);
}

/// Walks a filed case to joint review.
async fn to_joint_review(t: &TestApp, village: &Client, township: &Client, case: Value) -> Value {
    let mut case = step(
        t,
        village,
        &case,
        "group_pass",
        json!({"group_meeting_date": "2024-03-04", "group_meeting_record": "同意"}),
    )
    .await;
    case = step(
        t,
        village,
        &case,
        "village_pass",
        json!({"villagers_meeting_date": "2024-03-04", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"}),
    )
    .await;
    on(t, 2024, 3, 13);
    case = step(
        t,
        village,
        &case,
        "notice_passed",
        json!({"village_opinion": "同意"}),
    )
    .await;
    step(t, township, &case, "accept", json!({})).await
}

#[tokio::test]
async fn one_household_one_homestead_and_the_rejection_and_return_paths() {
    let owned = TestApp::new().await;
    let t = &owned;
    let village = t.login(Role::Village).await;
    let township = t.login(Role::Township).await;
    on(t, 2024, 3, 4);
    let case = file(t, &village, application(50, "水浇地", 200.0, 2), "first")
        .await
        .json();
    let mut case = to_joint_review(t, &village, &township, case).await;

    // Returned for correction (with a reason), corrected, approved.
    let r = act(t, &township, &case, "return_for_correction", json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    case = step(
        t,
        &township,
        &case,
        "return_for_correction",
        json!({"reason": "四至描述不清"}),
    )
    .await;
    assert_eq!(case["state"], "correction");
    assert_eq!(actions(&case), Vec::<String>::new(), "the township waits");
    let seen_by_village = t
        .get(&format!("/api/v1/cases/{}", case["id"]), Some(&village))
        .await
        .json();
    assert_eq!(actions(&seen_by_village), ["resubmit"]);
    case = step(
        t,
        &village,
        &seen_by_village,
        "resubmit",
        json!({"correction_note": "已补充四至", "land_type": "irrigated", "area_m2": 200, "storeys": 2, "site_description": "东至村道5米，西至马某宅", "members": [{"name": "马小明", "resident_id": id(50), "relation": "户主"}]}),
    )
    .await;
    assert_eq!(case["state"], "joint_review");
    let approved = step(
        t,
        &township,
        &case,
        "approve",
        json!({"review_opinion": "同意", "site_plan_coordinates": "106.12,36.98"}),
    )
    .await;
    assert_eq!(approved["state"], "approved");

    // The same household again: refused, citing 第七条, unless the old one is promised back.
    let second = file(t, &village, application(50, "水浇地", 200.0, 2), "second").await;
    assert_eq!(
        second.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        second.body
    );
    let errs = field_errors(&second);
    assert_eq!(errs[0].0, "old_homestead_return_by");
    assert!(
        errs[0].1.contains("第七条") && errs[0].1.contains(approved["number"].as_str().unwrap())
    );
    let mut promised = application(50, "水浇地", 200.0, 2);
    promised["old_homestead"] = json!("王团村三组旧宅");
    promised["old_homestead_return_by"] = json!("2025-12-31");
    let r = file(t, &village, promised, "second-promised").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Rejected by the group with a reason: terminal, nothing more to do.
    let other = file(t, &village, application(60, "山坡地", 300.0, 1), "rejected")
        .await
        .json();
    let rejected = step(
        t,
        &village,
        &other,
        "group_reject",
        json!({"group_meeting_date": "2024-03-04", "group_meeting_record": "多数反对", "reason": "拟用地为集体预留地"}),
    )
    .await;
    assert_eq!(rejected["state"], "rejected_by_village");
    assert!(actions(&rejected).is_empty());
    assert_eq!(rejected["events"][1]["comment"], "拟用地为集体预留地");

    // The township rejects one in joint review, and must say why.
    let third = file(t, &village, application(70, "水浇地", 150.0, 1), "third")
        .await
        .json();
    on(t, 2024, 3, 4);
    let third = to_joint_review(t, &village, &township, third).await;
    let r = act(
        t,
        &township,
        &third,
        "reject",
        json!({"review_opinion": "不符合规划"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = step(
        t,
        &township,
        &third,
        "reject",
        json!({"review_opinion": "不符合规划", "reason": "拟用地位于村庄规划的公共设施用地"}),
    )
    .await;
    assert_eq!(done["state"], "rejected");
}

#[tokio::test]
async fn two_officials_approving_at_once_one_wins_and_the_other_is_told() {
    for t in TestApp::all().await {
        approving_at_once(&t).await;
    }
}

async fn approving_at_once(t: &TestApp) {
    let village = t.login(Role::Village).await;
    let township = t.login(Role::Township).await;
    let colleague = add_user(t, "t-township-2", Role::Township, "豫海镇").await;
    on(t, 2024, 3, 4);
    let case = file(t, &village, application(80, "水浇地", 200.0, 2), "race")
        .await
        .json();
    let case = to_joint_review(t, &village, &township, case).await;
    let data = json!({"review_opinion": "同意", "site_plan_coordinates": "106.12,36.98"});
    let (a, b) = tokio::join!(
        act(t, &township, &case, "approve", data.clone()),
        act(t, &colleague, &case, "approve", data.clone()),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(
        loser.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已被他人办理"),
        "{}",
        loser.body
    );
    let view = t
        .get(&format!("/api/v1/cases/{}", case["id"]), Some(&township))
        .await
        .json();
    assert_eq!(
        view["documents"].as_array().unwrap().len(),
        2,
        "one approval, two certificates"
    );
    // A stale version is refused even sequentially.
    let stale = act(t, &township, &case, "approve", data).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn filing_twice_with_the_same_key_makes_one_case() {
    for t in TestApp::all().await {
        filing_twice(&t).await;
    }
}

async fn filing_twice(t: &TestApp) {
    let village = t.login(Role::Village).await;
    on(t, 2024, 3, 4);
    let (a, b) = tokio::join!(
        file(
            t,
            &village,
            application(90, "水浇地", 200.0, 2),
            "double-click"
        ),
        file(
            t,
            &village,
            application(90, "水浇地", 200.0, 2),
            "double-click"
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "{} / {}",
        a.body,
        b.body
    );
    assert_eq!(a.json()["id"], b.json()["id"]);
    let retry = file(
        t,
        &village,
        application(90, "水浇地", 200.0, 2),
        "double-click",
    )
    .await;
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(retry.json()["id"], a.json()["id"]);
    let list = t.get("/api/v1/cases", Some(&village)).await.json();
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn each_role_sees_only_its_units_cases() {
    let owned = TestApp::new().await;
    let t = &owned;
    let village = t.login(Role::Village).await;
    let applicant = t.login(Role::Applicant).await;
    let township = t.login(Role::Township).await;
    let other_township = add_user(t, "t-weizhou", Role::Township, "韦州镇").await;
    let other_applicant = add_user(t, "t-applicant-2", Role::Applicant, "豫海镇").await;
    let leader = t.login(Role::CountyLeader).await;
    let department = t.login(Role::Department).await;
    let auditor = t.login(Role::AuditAdmin).await;
    on(t, 2024, 3, 4);

    let by_village = file(t, &village, application(100, "水浇地", 200.0, 2), "v").await;
    assert_eq!(
        by_village.status,
        StatusCode::CREATED,
        "{}",
        by_village.body
    );
    // An applicant files for themself and must name the township.
    let body = json!({ "procedure": "homestead", "data": application(102, "水浇地", 200.0, 2), "client_key": "a" });
    let no_township = t
        .json(
            Method::POST,
            "/api/v1/cases",
            Some(&applicant),
            &body.to_string(),
        )
        .await;
    assert_eq!(no_township.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&no_township)[0].0, "township");
    let body = json!({ "procedure": "homestead", "township": "豫海镇", "data": application(102, "水浇地", 200.0, 2), "client_key": "a" });
    let by_applicant = t
        .json(
            Method::POST,
            "/api/v1/cases",
            Some(&applicant),
            &body.to_string(),
        )
        .await;
    assert_eq!(
        by_applicant.status,
        StatusCode::CREATED,
        "{}",
        by_applicant.body
    );
    let case_id = by_village.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{case_id}");

    let total = |r: Reply| r.json()["total"].as_i64().unwrap();
    assert_eq!(total(t.get("/api/v1/cases", Some(&township)).await), 2);
    assert_eq!(total(t.get("/api/v1/cases", Some(&village)).await), 2);
    assert_eq!(total(t.get("/api/v1/cases", Some(&applicant)).await), 1);
    assert_eq!(
        total(t.get("/api/v1/cases", Some(&other_applicant)).await),
        0
    );
    assert_eq!(
        total(t.get("/api/v1/cases", Some(&other_township)).await),
        0
    );
    assert_eq!(total(t.get("/api/v1/cases", Some(&department)).await), 0);
    assert_eq!(total(t.get("/api/v1/cases", Some(&leader)).await), 2);

    assert_eq!(
        t.get(&path, Some(&other_township)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(&path, Some(&applicant)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(&path, Some(&auditor)).await.status,
        StatusCode::FORBIDDEN
    );
    // The county leader sees it, names and ID numbers masked, and may not act.
    let seen = t.get(&path, Some(&leader)).await;
    assert_eq!(seen.status, StatusCode::OK);
    let seen = seen.json();
    assert_eq!(seen["applicant_name"], "马*明");
    assert!(!seen.to_string().contains(&id(100)));
    assert!(actions(&seen).is_empty());
    // The township sees it in full.
    let full = t.get(&path, Some(&township)).await.json();
    assert_eq!(full["applicant_name"], "马小明");
    assert_eq!(full["data"]["applicant_id"], id(100));
    // Another township cannot act on it either.
    let r = act(t, &other_township, &full, "group_pass", json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A township may not take the village's step.
    let r = act(
        t,
        &township,
        &full,
        "group_pass",
        json!({"group_meeting_date": "2024-03-04", "group_meeting_record": "同意"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("第九条"), "{}", r.body);
}

#[tokio::test]
async fn the_procedure_definition_is_public() {
    let owned = TestApp::new().await;
    let t = &owned;
    let r = t.get("/api/v1/procedures/homestead", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let p = r.json();
    assert_eq!(p["document"], "同政办规发〔2023〕6号");
    assert!(p["actions"].as_array().unwrap().len() >= 20);
    let notice = p["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "public_notice")
        .unwrap();
    assert_eq!(notice["kind"], "at_least");
    assert_eq!(notice["citation"], "同政办规发〔2023〕6号 第十条");
    assert_eq!(
        t.get("/api/v1/procedures/nothing", None).await.status,
        StatusCode::NOT_FOUND
    );
}

/// 公示异议 from the public portal (第十条): lodged without login while the notice runs, it is
/// an event of the case by 公众 and a message in the deciding unit's 工作台; the notice then
/// passes only with the objection's handling written down; after the notice it is refused.
#[tokio::test]
async fn an_objection_lodged_publicly_during_the_notice_reaches_the_case() {
    for t in TestApp::all().await {
        let village = t.login(Role::Village).await;
        on(&t, 2024, 1, 8);
        let r = file(&t, &village, application(7, "水浇地", 200.0, 1), "k-obj").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let mut case = r.json();
        on(&t, 2024, 1, 9);
        case = step(
            &t,
            &village,
            &case,
            "group_pass",
            json!({"group_meeting_date": "2024-01-09", "group_meeting_record": "同意"}),
        )
        .await;
        on(&t, 2024, 1, 10);
        case = step(&t, &village, &case, "village_pass", json!({"villagers_meeting_date": "2024-01-10", "neighbours_opinion": "无异议", "notice_place": "村务公开栏"})).await;
        let number = case["number"].as_str().unwrap().to_owned();
        let path = format!("/public/notices/{number}/objection");

        // The public notice links the form; the form opens without login.
        let list = t.get("/homestead/notices", None).await;
        assert!(list.body.contains(&path), "{}", list.body);
        let form = t.get(&path, None).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("马*明") && !form.body.contains("马小明"));
        assert!(!form.body.contains(&id(7)));

        // Bad input is refused by field.
        let api = format!("/api/v1/public/notices/{number}/objections");
        let (token, _) = support::reports::captcha(&t).await;
        let bad = t
            .json(Method::POST, &api, None, &json!({ "objection": "不行", "contact": "马先生", "captcha_token": token, "captcha_answer": "999" }).to_string())
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let fields: Vec<String> = field_errors(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["objection", "contact", "captcha_answer"]);

        on(&t, 2024, 1, 12);
        let (token, answer) = support::reports::captcha(&t).await;
        let ok = t
            .json(Method::POST, &api, None, &json!({ "objection": "拟用地西侧与我家宅基地界址有争议，请核实四至", "contact": "13909531234", "captcha_token": token, "captcha_answer": answer }).to_string())
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        let receipt = ok.json()["receipt"].as_str().unwrap().to_owned();
        assert!(receipt.starts_with("YY20240112-"), "{receipt}");

        // The village finds it on the case, by 公众, and in its 工作台.
        let view = t
            .get(&format!("/api/v1/cases/{}", case["id"]), Some(&village))
            .await
            .json();
        assert_eq!(view["state"], "public_notice");
        let last = view["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "record_objection");
        assert_eq!(last["actor"], "公众");
        assert_eq!(last["role"], "公众");
        assert!(
            last["data"]["objection"]
                .as_str()
                .unwrap()
                .contains("界址有争议")
        );
        assert!(last["comment"].as_str().unwrap().contains(&receipt));
        let inbox = t.get("/api/v1/inbox", Some(&village)).await;
        assert!(
            inbox.body.contains("公示异议") && inbox.body.contains(&number),
            "{}",
            inbox.body
        );

        // The notice passes only with the objection's handling.
        on(&t, 2024, 1, 19);
        let bare = act(
            &t,
            &village,
            &view,
            "notice_passed",
            json!({"village_opinion": "同意"}),
        )
        .await;
        assert_eq!(
            bare.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bare.body
        );
        let errs = field_errors(&bare);
        assert_eq!(errs[0].0, "objection_handling");
        assert!(errs[0].1.contains("第十条"), "{errs:?}");
        let passed = step(&t, &village, &view, "notice_passed", json!({"village_opinion": "同意", "objection_handling": "经现场核实，界址清楚，异议不成立，已电话答复"})).await;
        assert_eq!(passed["state"], "township_acceptance");

        // Once the notice is over the form is gone.
        let (token, answer) = support::reports::captcha(&t).await;
        let late = t
            .json(Method::POST, &api, None, &json!({ "objection": "界址有争议请再核实", "captcha_token": token, "captcha_answer": answer }).to_string())
            .await;
        assert_eq!(late.status, StatusCode::NOT_FOUND, "{}", late.body);
        assert_eq!(t.get(&path, None).await.status, StatusCode::NOT_FOUND);
    }
}
