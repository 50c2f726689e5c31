//! The plans seen whole, through the API and the pages: the 21 chains by chief and one chief's
//! page, a chain with its problems and reports, the campaign with its evaluation after the 100
//! days, the festival calendar and its public iCalendar feed, and a unit's page of everything
//! it owes.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::on;
use support::gov_investment::official;
use support::{Client, TestApp};
use tongxin_domain::Role;

async fn get_json(t: &TestApp, c: &Client, path: &str) -> Value {
    let r = t.get(path, Some(c)).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()
}

async fn task_titled(t: &TestApp, c: &Client, q: &str, title: &str) -> i64 {
    let v = get_json(t, c, &format!("/api/v1/supervision/tasks?{q}&per_page=100")).await;
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["title"] == title)
        .unwrap_or_else(|| panic!("no task {title}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_chains_by_chief_and_one_chain_with_its_problems_and_reports() {
    for t in TestApp::all().await {
        on(&t, 2024, 1, 5);
        let leader = t.login(Role::CountyLeader).await;
        let chains = get_json(&t, &leader, "/api/v1/supervision/chains").await;
        let chains = chains.as_array().unwrap();
        assert_eq!(chains.len(), 21, "同党办发〔2023〕49号 三、: 15 + 6 chains");
        assert!(
            chains
                .iter()
                .all(|c| c["tasks"].as_array().unwrap().len() == 10)
        );
        let kinds: Vec<&str> = chains.iter().map(|c| c["note"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "重点推进产业链").count(), 15);
        assert_eq!(kinds.iter().filter(|k| **k == "培育产业链").count(), 6);
        let pv = chains.iter().find(|c| c["key"] == "pv").unwrap();
        assert_eq!(
            (
                pv["name"].as_str(),
                pv["leader"].as_str(),
                pv["lead"]["name"].as_str()
            ),
            (Some("光伏产业链"), Some("凌镇"), Some("投资促进服务中心"))
        );
        // A chief's page: 凌镇 leads 光伏 and 氢能.
        let mine = get_json(&t, &leader, "/api/v1/supervision/chains?leader=凌镇").await;
        let keys: Vec<&str> = mine
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["pv", "hydrogen"]);

        // The lead files the dekad report; the office raises a problem on the chain's plan.
        let lead = official(&t, "t-invest", "投资促进服务中心").await;
        let dekad = task_titled(
            &t,
            &lead,
            "link_kind=chain&link_ref=pv",
            "光伏产业链：旬调度",
        )
        .await;
        let r = t
            .json(
                Method::POST,
                &format!("/api/v1/supervision/tasks/{dekad}/reports"),
                Some(&lead),
                &json!({"body": "12月下旬：组件项目签约"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let office = t.login(Role::Supervision).await;
        let plan = task_titled(
            &t,
            &office,
            "link_kind=chain&link_ref=pv",
            "光伏产业链：一个工作方案、一张施工图",
        )
        .await;
        let r = t
            .json(
                Method::POST,
                "/api/v1/supervision/problems",
                Some(&office),
                &json!({"task_id": plan, "unit": "投资促进服务中心", "title": "施工图未标明断链环节",
                        "evidence_required": "修订后的施工图", "deadline": "2024-01-31"})
                .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let detail = get_json(&t, &leader, "/api/v1/supervision/chains/pv").await;
        assert_eq!(detail["tasks"].as_array().unwrap().len(), 10);
        assert_eq!(detail["open_problems"], 1);
        assert_eq!(detail["problems"][0]["title"], "施工图未标明断链环节");
        assert_eq!(detail["reports"][0]["period"], "2023年12月下旬");
        assert_eq!(detail["reports"][0]["unit"]["name"], "投资促进服务中心");
        let all = get_json(&t, &leader, "/api/v1/supervision/chains").await;
        let pv = all
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == "pv")
            .unwrap()
            .clone();
        assert_eq!(pv["open_problems"], 1);

        // The pages: the chief's links, the chain's problem and report.
        let page = t
            .get("/supervision/chains?leader=凌镇", Some(&leader))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("href=\"/supervision/chains/pv\"") && page.body.contains("氢能")
        );
        assert!(!page.body.contains("href=\"/supervision/chains/goji\""));
        let page = t.get("/supervision/chains/pv", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("施工图未标明断链环节") && page.body.contains("组件项目签约"));
        // A chain nobody defined.
        let r = t.get("/supervision/chains/nothing", Some(&leader)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_campaign_is_evaluated_after_its_hundred_days() {
    let t = TestApp::new().await;
    on(&t, 2023, 11, 1);
    let office = t.login(Role::Supervision).await;
    let v = get_json(&t, &office, "/api/v1/supervision/campaign").await;
    assert_eq!(v["actions"].as_array().unwrap().len(), 7, "七大行动");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2023-10-19"), Some("2024-01-27"))
    );
    // 2023-10-19 is not counted: 11月1日 is day 13.
    assert_eq!(
        (v["day"].as_i64(), v["ended"].as_bool()),
        (Some(13), Some(false))
    );
    assert!(v["common"]["tasks"].as_array().unwrap().len() >= 4);

    // 发展和改革局 reports its measure on time; nothing else is reported.
    on(&t, 2024, 1, 10);
    let ndrc = official(&t, "t-ndrc", "发展和改革局").await;
    let m1 = task_titled(
        &t,
        &ndrc,
        "link_kind=campaign_action&link_ref=air",
        "全力整治工业污染",
    )
    .await;
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/supervision/tasks/{m1}/reports"),
            Some(&ndrc),
            &json!({"body": "完成12家企业整治"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    on(&t, 2024, 2, 1);
    let office = t.login(Role::Supervision).await;
    let v = get_json(&t, &office, "/api/v1/supervision/campaign").await;
    assert_eq!(
        (v["day"].as_i64(), v["ended"].as_bool()),
        (None, Some(true))
    );
    let eval = v["evaluation"].as_array().unwrap();
    assert_eq!(eval.len(), 7);
    let air = eval.iter().find(|e| e["key"] == "air").unwrap();
    assert_eq!(air["leader"], "袁波");
    assert_eq!(
        (air["on_time"].as_i64(), air["late"].as_i64()),
        (Some(1), Some(0))
    );
    // Every other task of the action is past its date without a report, except its 成效评估
    // (due 2024-02-29).
    let tasks = air["tasks"].as_i64().unwrap();
    assert_eq!(air["missing"].as_i64().unwrap(), tasks - 2, "{air}");
    let page = t.get("/supervision/campaign", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("成效评估") && page.body.contains("已结束"));
    assert!(page.body.contains("href=\"/supervision/campaign/air\""));
    let page = t.get("/supervision/campaign/air", Some(&office)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("完成12家企业整治"));
}

#[tokio::test]
async fn the_festival_calendar_and_a_units_public_feed() {
    let t = TestApp::new().await;
    on(&t, 2024, 1, 5);
    let dept = official(&t, "t-culture", "文化旅游体育广电局").await;
    let events = get_json(
        &t,
        &dept,
        "/api/v1/supervision/festival?unit=文化旅游体育广电局",
    )
    .await;
    let events = events.as_array().unwrap();
    let gala = events
        .iter()
        .find(|e| e["title"] == "2024年春节联欢晚会")
        .unwrap();
    assert_eq!(
        (
            gala["starts"].as_str(),
            gala["place"].as_str(),
            gala["activity"].as_bool()
        ),
        (Some("2024-02-07"), Some("同心县新区体育馆"), Some(true))
    );
    // In date order.
    let starts: Vec<&str> = events
        .iter()
        .map(|e| e["starts"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);

    let page = t
        .get("/supervision/festival?unit=文化旅游体育广电局", Some(&dept))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2024年2月") && page.body.contains("2024年春节联欢晚会"));
    assert!(page.body.contains("/supervision/festival.ics?unit="));
    let bad = t
        .get("/supervision/festival?unit=不存在局", Some(&dept))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("不在组织机构中"));

    // The feed needs no login and holds the unit's events.
    let feed = t
        .get("/supervision/festival.ics?unit=文化旅游体育广电局", None)
        .await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), events.len());
    let unfolded = feed.body.replace("\r\n ", "");
    assert!(unfolded.contains(
        "DTSTART;VALUE=DATE:20240207\r\nDTEND;VALUE=DATE:20240208\r\nSUMMARY:2024年春节联欢晚会\r\nLOCATION:同心县新区体育馆"
    ));
    let none = t.get("/supervision/festival.ics", None).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A task the office adds by hand is on the calendar, but not in the public feed, which
    // carries only what the published plan says.
    let office = t.login(Role::Supervision).await;
    let r = t
        .json(
            Method::POST,
            "/api/v1/supervision/tasks",
            Some(&office),
            &json!({"title": "内部协调会", "source": "同党办综〔2023〕64号 三、（五）", "lead": "文化旅游体育广电局",
                    "cadence": "一次性", "starts": "2024-01-10", "due": "2024-01-10", "place": "县委会议室",
                    "link_kind": "event", "link_ref": "internal", "client_key": "k"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let listed = get_json(
        &t,
        &dept,
        "/api/v1/supervision/festival?unit=文化旅游体育广电局",
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), events.len() + 1);
    let feed = t
        .get("/supervision/festival.ics?unit=文化旅游体育广电局", None)
        .await;
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), events.len());
    assert!(!feed.body.contains("内部协调会"));
}

#[tokio::test]
async fn a_units_page_lists_what_it_owes_soonest_first() {
    for t in TestApp::all().await {
        on(&t, 2024, 1, 5);
        let dept = official(&t, "t-invest", "投资促进服务中心").await;
        let v = get_json(
            &t,
            &dept,
            "/api/v1/supervision/units/投资促进服务中心/owed?per_page=100",
        )
        .await;
        let items = v["owed"]["items"].as_array().unwrap();
        assert!(v["owed"]["total"].as_i64().unwrap() >= 20, "{v}");
        let dues: Vec<&str> = items.iter().filter_map(|i| i["due"].as_str()).collect();
        let mut sorted = dues.clone();
        sorted.sort();
        assert_eq!(dues, sorted, "soonest due first");
        // 光伏's dekad: 2023年12月下旬, due 12月29日, overdue on 1月5日.
        let pv = items
            .iter()
            .find(|i| i["title"] == "光伏产业链：旬调度")
            .unwrap();
        assert_eq!(
            (
                pv["period"].as_str(),
                pv["due"].as_str(),
                pv["colour"].as_str(),
                pv["lead"].as_bool()
            ),
            (
                Some("2023年12月下旬"),
                Some("2023-12-29"),
                Some("red"),
                Some(true)
            )
        );
        assert!(v["overdue"].as_i64().unwrap() >= 1);
        // Filed: the next dekad is owed, due 1月10日, three working days away: yellow.
        let id = pv["task_id"].as_i64().unwrap();
        let r = t
            .json(
                Method::POST,
                &format!("/api/v1/supervision/tasks/{id}/reports"),
                Some(&dept),
                &json!({"body": "12月下旬进展"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = get_json(
            &t,
            &dept,
            "/api/v1/supervision/units/投资促进服务中心/owed?per_page=100",
        )
        .await;
        let pv = v["owed"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["task_id"] == id)
            .unwrap()
            .clone();
        assert_eq!(
            (
                pv["period"].as_str(),
                pv["due"].as_str(),
                pv["colour"].as_str()
            ),
            (Some("2024年1月上旬"), Some("2024-01-10"), Some("yellow"))
        );
        // The page, and another unit's page is not this department's to see.
        let page = t
            .get("/supervision/units/投资促进服务中心", Some(&dept))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("2024年1月上旬"));
        let other = t.get("/supervision/units/教育局", Some(&dept)).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        let office = t.login(Role::Supervision).await;
        let page = t.get("/supervision/units/教育局", Some(&office)).await;
        assert_eq!(page.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_ledger_exports_as_filtered() {
    let t = TestApp::new().await;
    on(&t, 2024, 1, 5);
    let office = t.login(Role::Supervision).await;
    let page = t
        .get(
            "/supervision?status=逾期&doc=同党办发〔2023〕49号",
            Some(&office),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // The export link carries the filter, not the page.
    assert!(
        page.body
            .contains("/supervision/tasks.xlsx?doc=%E5%90%8C%E5%85%9A%E5%8A%9E%E5%8F%91"),
        "{}",
        page.body
    );
    let x = t
        .get(
            "/supervision/tasks.xlsx?status=逾期&doc=同党办发〔2023〕49号",
            Some(&office),
        )
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.body.starts_with("PK"));
    assert!(
        x.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("tasks-2024-01-05.xlsx")
    );
    let bad = t
        .get("/supervision/tasks.xlsx?due_within=soon", Some(&office))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("到期天数"));
    let none = t.get("/supervision/tasks.xlsx", None).await;
    assert_ne!(none.status, StatusCode::OK);
}

#[tokio::test]
async fn the_office_adds_a_task_by_hand_each_bad_field_named_and_once_per_form() {
    for t in TestApp::all().await {
        on(&t, 2024, 3, 1);
        let office = t.login(Role::Supervision).await;
        let post = |body: Value| {
            let t = &t;
            let office = office.clone();
            async move {
                t.json(
                    Method::POST,
                    "/api/v1/supervision/tasks",
                    Some(&office),
                    &body.to_string(),
                )
                .await
            }
        };
        let r = post(
            json!({"title": "", "source": "同党办发〔2023〕49号 九、", "lead": "不存在局",
                            "cadence": "半月", "starts": "2024-03-01", "due": "2024-02-01"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> = r.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect();
        for f in ["title", "source", "lead", "cadence"] {
            assert!(fields.iter().any(|x| x == f), "{f} named: {}", r.body);
        }
        assert!(r.body.contains("没有条款“九、”"), "{}", r.body);
        let r = post(json!({"title": "光伏产业链：补链招商专项行动", "source": "同党办发〔2023〕49号 四、（三）",
                            "lead": "投资促进服务中心", "responsible": "工业园区管委会、发展和改革局、投资促进服务中心",
                            "leader": "凌镇", "cadence": "月", "starts": "2024-03-01",
                            "link_kind": "chain", "link_ref": "pv", "client_key": "form-1"}))
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let made = r.json();
        let id = made["id"].as_i64().unwrap();
        // The lead is not repeated among the responsible units.
        assert_eq!(made["responsible"].as_array().unwrap().len(), 2);
        assert_eq!(made["next_due"], "2024-03-29");
        // The same form again: the same task.
        let again = post(json!({"title": "光伏产业链：补链招商专项行动", "source": "同党办发〔2023〕49号 四、（三）",
                                "lead": "投资促进服务中心", "cadence": "月", "starts": "2024-03-01",
                                "client_key": "form-1"}))
        .await;
        assert_eq!(again.json()["id"].as_i64(), Some(id));
        let chain = get_json(&t, &office, "/api/v1/supervision/chains/pv").await;
        assert_eq!(chain["tasks"].as_array().unwrap().len(), 11);
        // A department may not.
        let dept = official(&t, "t-invest", "投资促进服务中心").await;
        let r = t
            .json(
                Method::POST,
                "/api/v1/supervision/tasks",
                Some(&dept),
                &json!({"title": "x"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The page keeps what was typed and names the field.
        let r = t
            .request(
                Method::POST,
                "/supervision/new",
                Some(&office),
                Some((
                    "application/x-www-form-urlencoded",
                    format!(
                        "csrf={}&title=%E8%A1%A5%E9%93%BE&source=%E9%94%99&lead=%E6%8A%95%E8%B5%84%E4%BF%83%E8%BF%9B%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83&cadence=%E6%9C%88&starts=2024-03-01",
                        office.csrf
                    ),
                )),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("value=\"补链\"") && r.body.contains("须写作文号加条款"));
    }
}

#[tokio::test]
async fn an_imported_documents_draft_task_is_checked_and_published_once() {
    let t = TestApp::new().await;
    on(&t, 2024, 3, 6);
    let c = t.login(Role::Supervision).await;
    let text = "同政办规发〔2024〕3号\n同心县人民政府办公室关于印发《同心县城区停车管理办法》的通知\n各乡镇人民政府（管委会），政府各部门：\n《同心县城区停车管理办法》已经县人民政府同意，现印发给你们，请认真贯彻执行。\n同心县人民政府办公室\n2024年3月5日\n（此件公开发布）\n同心县城区停车管理办法\n第一条 为规范城区停车秩序，制定本办法。\n第二条 做好停车设施规划和日常巡查。（牵头单位：县住房和城乡建设局；责任单位：县公安局）\n第三条 本办法自印发之日起施行。\n";
    let created = t
        .json(
            Method::POST,
            "/api/v1/imports",
            Some(&c),
            &json!({ "text": text }).to_string(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let import = created.json()["id"].as_i64().unwrap();
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{import}/publish"),
            Some(&c),
            &json!({ "number": "同政办规发〔2024〕3号", "title": "同心县城区停车管理办法", "issued": "2024-03-05",
                     "public": true, "acknowledged": true, "include_tasks": [0] })
            .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The office lists the drafts and opens the one to publish: filled from the parse.
    let list = t
        .get("/supervision/new?doc=同政办规发〔2024〕3号", Some(&c))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("核对并发布"), "{}", list.body);
    let draft: i64 = list
        .body
        .split("/supervision/new?draft=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    let form = t
        .get(&format!("/supervision/new?draft={draft}"), Some(&c))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"同政办规发〔2024〕3号 第二条\"")
            && form.body.contains("value=\"同心县住房和城乡建设局\""),
        "{}",
        form.body
    );
    let publish = |key: &str| {
        json!({"title": "做好停车设施规划和日常巡查", "source": "同政办规发〔2024〕3号 第二条",
               "lead": "住建局", "responsible": "公安局", "cadence": "季", "starts": "2024-04-01",
               "draft_id": draft, "client_key": key})
        .to_string()
    };
    let r = t
        .json(
            Method::POST,
            "/api/v1/supervision/tasks",
            Some(&c),
            &publish("a"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let task = r.json()["id"].as_i64().unwrap();
    let list = t
        .get("/supervision/new?doc=同政办规发〔2024〕3号", Some(&c))
        .await;
    assert!(list.body.contains(&format!("已发布（任务{task}）")));
    // A second publication of the same draft is refused, naming the task.
    let r = t
        .json(
            Method::POST,
            "/api/v1/supervision/tasks",
            Some(&c),
            &publish("b"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&format!("已发布为督办任务{task}")));
}

/// Posts files in the `files` field.
async fn upload(
    t: &TestApp,
    c: Option<&Client>,
    path: &str,
    csrf_header: bool,
    files: &[(&str, &[u8])],
) -> support::Reply {
    let parts: Vec<(&str, Option<&str>, &[u8])> =
        files.iter().map(|(n, b)| ("files", Some(*n), *b)).collect();
    t.upload(c, path, csrf_header, &parts).await
}

#[tokio::test]
async fn reports_and_rectifications_carry_attachments() {
    for t in TestApp::all().await {
        on(&t, 2024, 1, 5);
        let lead = official(&t, "t-invest", "投资促进服务中心").await;
        let dekad = task_titled(
            &t,
            &lead,
            "link_kind=chain&link_ref=pv",
            "光伏产业链：旬调度",
        )
        .await;
        let r = t
            .json(
                Method::POST,
                &format!("/api/v1/supervision/tasks/{dekad}/reports"),
                Some(&lead),
                &json!({"body": "12月下旬进展"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let report = r.json()["report_id"].as_i64().unwrap();
        let pdf: &[u8] = b"%PDF-1.4 progress table";
        let r = upload(
            &t,
            Some(&lead),
            &format!("/api/v1/supervision/reports/{report}/attachments"),
            true,
            &[
                ("C:\\材料\\12月下旬调度表.pdf", pdf),
                ("现场.jpg", b"\xff\xd8\xff"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let stored = r.json();
        assert_eq!(stored[0]["name"], "12月下旬调度表.pdf");
        // Refused, naming the file: a kind not accepted.
        let r = upload(
            &t,
            Some(&lead),
            &format!("/api/v1/supervision/reports/{report}/attachments"),
            true,
            &[("工具.exe", b"MZ")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("“工具.exe”的类型不能上传"));
        // Another unit may not add to this unit's report.
        let other = official(&t, "t-park", "工业园区管委会").await;
        let r = upload(
            &t,
            Some(&other),
            &format!("/api/v1/supervision/reports/{report}/attachments"),
            true,
            &[("x.pdf", pdf)],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        // The page's form: token in the address; without it, refused.
        let path = format!("/supervision/reports/{report}/attachments");
        let r = upload(
            &t,
            Some(&lead),
            &path,
            false,
            &[("补充.txt", "补充说明".as_bytes())],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let with_token = format!("{path}?csrf={}", lead.csrf);
        let r = upload(
            &t,
            Some(&lead),
            &with_token,
            false,
            &[("补充.txt", "补充说明".as_bytes())],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            r.location()
                .starts_with(&format!("/supervision/tasks/{dekad}?done="))
        );

        // The office sees them on the task and downloads one.
        let office = t.login(Role::Supervision).await;
        let v = get_json(&t, &office, &format!("/api/v1/supervision/tasks/{dekad}")).await;
        let cell = v["periods"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["reports"].as_array().unwrap().clone())
            .find(|c| c["report_id"].as_i64() == Some(report))
            .unwrap();
        let files = cell["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 3);
        let id = files[0]["id"].as_i64().unwrap();
        let page = t
            .get(&format!("/supervision/tasks/{dekad}"), Some(&office))
            .await;
        assert!(
            page.body
                .contains(&format!("/supervision/attachments/{id}"))
        );
        let d = t
            .get(&format!("/supervision/attachments/{id}"), Some(&office))
            .await;
        assert_eq!(d.status, StatusCode::OK);
        assert_eq!(d.body.as_bytes(), pdf);
        assert_eq!(d.headers["content-type"], "application/pdf");
        assert!(
            d.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        // A unit the task does not bind cannot fetch it.
        let edu = official(&t, "t-edu", "教育局").await;
        let d = t
            .get(&format!("/supervision/attachments/{id}"), Some(&edu))
            .await;
        assert_eq!(d.status, StatusCode::NOT_FOUND);

        // A problem's evidence: the responsible unit attaches a photo.
        let r = t
            .json(
                Method::POST,
                "/api/v1/supervision/problems",
                Some(&office),
                &json!({"task_id": dekad, "unit": "投资促进服务中心", "title": "调度表未填投资额",
                        "evidence_required": "补填后的调度表", "deadline": "2024-01-31"})
                .to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let problem = r.json()["id"].as_i64().unwrap();
        let r = upload(
            &t,
            Some(&lead),
            &format!("/api/v1/supervision/problems/{problem}/attachments"),
            true,
            &[("补填调度表.xlsx", b"PK\x03\x04")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let page = t
            .get(&format!("/supervision/problems/{problem}"), Some(&office))
            .await;
        assert!(page.body.contains("补填调度表.xlsx"));
        let r = upload(
            &t,
            Some(&office),
            &format!("/api/v1/supervision/problems/{problem}/attachments"),
            true,
            &[("x.pdf", pdf)],
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "only the responsible unit: {}",
            r.body
        );
    }
}
