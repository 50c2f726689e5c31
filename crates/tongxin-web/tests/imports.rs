//! 文件导入 end to end: paste a document, review, map an unknown unit, acknowledge, publish;
//! the published document's clauses are then citable like the pack's.

use crate::support;

use axum::http::{Method, StatusCode};
use support::TestApp;
use tongxin_domain::Role;

/// A document written for this test in the county's style, with a unit name the directory
/// does not know (城北片区服务中心).
const TEXT: &str = "同政办规发〔 2024〕 3 号\n同心县人民政府办公室关于印发《同心县城区停车管理办法》的通知\n各乡镇人民政府（管委会），政府各部门：\n《同心县城区停车管理办法》已经县人民政府同意，现印发给你们，请认真贯彻执行。\n同心县人民政府办公室\n2024年3月5日\n（此件公开发布）\n同心县城区停车管理办法\n第一章 总则\n第一条 为规范城区停车秩序，制定本办法。\n第二条 做好停车设施规划和日常巡查。（牵头单位：县住房和城乡建设局；责任单位：城北片区服务中心、县公安局）\n第二章 管理\n第三条 申请设置临时停车场的，住建局应当在收到申请之日起10个工作日内作出决定。\n第四条 临时停车场使用期限不得超过2年。\n第五条 本办法自印发之日起施行。\n";

#[tokio::test]
async fn a_document_is_imported_reviewed_and_published_into_the_corpus() {
    let t = TestApp::new().await;
    let c = t.login(Role::Supervision).await;
    let body = serde_json::json!({ "text": TEXT }).to_string();

    // Parsing alone stores nothing.
    let parsed = t
        .json(Method::POST, "/api/v1/documents/parse", Some(&c), &body)
        .await;
    assert_eq!(parsed.status, StatusCode::OK, "{}", parsed.body);
    let doc = &parsed.json()["documents"][0];
    assert_eq!(doc["number"], "同政办规发〔2024〕3号");
    assert_eq!(doc["date"], "2024-03-05");
    assert_eq!(doc["public"], true);

    let created = t
        .json(Method::POST, "/api/v1/imports", Some(&c), &body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let page = t.get(&format!("/documents/import/{id}"), Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("第三条") && page.body.contains("10个工作日"),
        "the review shows outline and deadline"
    );

    // Publishing without acknowledging the anomalies (the unknown unit) is refused, keeping input.
    let publish = serde_json::json!({ "number": "同政办规发〔2024〕3号", "title": "同心县城区停车管理办法", "issued": "2024-03-05", "public": true });
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &publish.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "acknowledged");
    let task = &doc["tasks"][0];
    assert_eq!(task["responsible_units"][0]["raw"], "城北片区服务中心");
    assert!(
        task["responsible_units"][0]["resolved"]
            .as_array()
            .unwrap()
            .is_empty(),
        "unknown, kept, flagged"
    );

    // Map the unknown name: remembered as an alias, audited.
    let alias = serde_json::json!({ "name": "城北片区服务中心", "unit": "豫海镇" }).to_string();
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/aliases"),
            Some(&c),
            &alias,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let again = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/aliases"),
            Some(&c),
            &alias,
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a name is mapped once"
    );
    let resolved = t.get("/api/v1/units/resolve?name=%E5%9F%8E%E5%8C%97%E7%89%87%E5%8C%BA%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83", Some(&c)).await.json();
    assert_eq!(resolved["units"][0]["name"], "豫海镇");

    let mut ack = publish.clone();
    ack["acknowledged"] = serde_json::json!(true);
    ack["include_tasks"] = serde_json::json!([0]);
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &ack.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let published = r.json();
    let href = published["href"].as_str().unwrap().to_owned();
    assert_eq!(
        published["draft_tasks"].as_array().unwrap().len(),
        1,
        "the ticked task became a ledger draft"
    );
    assert_eq!(published["draft_tasks"][0]["clause"], "第二条");

    // The document is in the corpus: list, page, clause page.
    let list = t.get("/api/v1/policies", Some(&c)).await.json();
    assert!(
        list["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["number"] == "同政办规发〔2024〕3号")
    );
    let page = t.get(&href, Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("临时停车场使用期限不得超过2年"));
    let clause = t
        .get(
            &format!("{href}/clauses/%E7%AC%AC%E4%B8%89%E6%9D%A1"),
            Some(&c),
        )
        .await;
    assert_eq!(clause.status, StatusCode::OK);

    // Published once: a second publish of the draft is a conflict.
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &ack.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let auditor = t.login(Role::AuditAdmin).await;
    let log = t
        .get("/api/v1/audit?action=state_change&limit=5", Some(&auditor))
        .await
        .json();
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["object"] == format!("import_draft:{id}"))
    );
}

#[tokio::test]
async fn a_pack_document_cannot_be_imported_twice_and_bad_metadata_is_named() {
    let t = TestApp::new().await;
    let c = t.login(Role::Supervision).await;
    let seed = tongxin_policy::tongxin::DOCUMENTS[4].3; // D5 as extracted
    let created = t
        .json(
            Method::POST,
            "/api/v1/imports",
            Some(&c),
            &serde_json::json!({ "text": seed }).to_string(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let show = t
        .get(&format!("/api/v1/imports/{id}"), Some(&c))
        .await
        .json();
    assert_eq!(show["already_in_corpus"][0], true);
    let bad = serde_json::json!({ "number": "同政办规发〔2023〕6号", "title": "", "issued": "2023-13-40", "acknowledged": true });
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &bad.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        fields.contains(&"title".to_owned())
            && fields.contains(&"issued".to_owned())
            && fields.contains(&"number".to_owned()),
        "{fields:?}"
    );
    let empty = t
        .json(
            Method::POST,
            "/api/v1/imports",
            Some(&c),
            r#"{"text":"   "}"#,
        )
        .await;
    assert_eq!(empty.json()["error"]["fields"][0]["field"], "text");
}

#[tokio::test]
async fn the_import_form_keeps_the_text_when_refused() {
    let t = TestApp::new().await;
    let c = t.login(Role::Supervision).await;
    let form = format!("csrf={}&text=%20%20", c.csrf);
    let r = t
        .request(
            Method::POST,
            "/documents/import",
            Some(&c),
            Some(("application/x-www-form-urlencoded", form)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请粘贴文件正文"));
}

#[tokio::test]
async fn the_review_page_publishes_through_its_forms_keeping_what_was_typed() {
    let t = TestApp::new().await;
    let c = t.login(Role::Supervision).await;
    let form = |pairs: &[(&str, &str)]| {
        let mut all = vec![("csrf", c.csrf.as_str())];
        all.extend_from_slice(pairs);
        serde_urlencoded::to_string(all).unwrap()
    };
    let post = |path: String, body: String| {
        let t = &t;
        let c = c.clone();
        async move {
            t.request(
                Method::POST,
                &path,
                Some(&c),
                Some(("application/x-www-form-urlencoded", body)),
            )
            .await
        }
    };
    let r = post("/documents/import".into(), form(&[("text", TEXT)])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let review = r.location().to_owned();
    assert!(review.starts_with("/documents/import/"));

    // A refused publish keeps what the official typed.
    let r = post(
        format!("{review}/publish"),
        form(&[
            ("document", "0"),
            ("number", "同政办规发〔2024〕3号"),
            ("title", "我改过的标题"),
            ("issued", "2024-03-05"),
            ("tasks_listed", "1"),
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("我改过的标题") && r.body.contains("请先核对"),
        "typed title kept, reason shown"
    );

    let r = post(
        format!("{review}/aliases"),
        form(&[("name", "城北片区服务中心"), ("unit", "火星镇")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("不在组织机构目录中"));

    // Published with no task ticked: the document enters the corpus, no ledger draft.
    let r = post(
        format!("{review}/publish"),
        form(&[
            ("document", "0"),
            ("number", "同政办规发〔2024〕3号"),
            ("title", "同心县城区停车管理办法"),
            ("issued", "2024-03-05"),
            ("acknowledged", "on"),
            ("tasks_listed", "1"),
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = t.get(r.location(), Some(&c)).await;
    assert!(doc.body.contains("同心县城区停车管理办法"));
    let number: tongxin_domain::DocNumber = "同政办规发〔2024〕3号".parse().unwrap();
    let actor = t
        .app
        .authenticate(c.cookie.trim_start_matches("tongxin_session="), "test")
        .await
        .unwrap()
        .unwrap();
    assert!(t.app.draft_tasks(&actor, &number).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_official_corrects_a_drafted_task_before_publishing() {
    let t = TestApp::new().await;
    let c = t.login(Role::Supervision).await;
    let created = t
        .json(
            Method::POST,
            "/api/v1/imports",
            Some(&c),
            &serde_json::json!({ "text": TEXT }).to_string(),
        )
        .await;
    let id = created.json()["id"].as_i64().unwrap();
    let publish = serde_json::json!({
        "number": "同政办规发〔2024〕3号", "title": "同心县城区停车管理办法", "issued": "2024-03-05", "acknowledged": true,
        "task_edits": { "0": { "responsible_units": "县公安局、河西镇", "time": "2024年4月底前", "place": "城区" } }
    });
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &publish.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let task = &r.json()["draft_tasks"][0];
    let resolved: Vec<&str> = task["responsible_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["resolved"][0].as_str().unwrap())
        .collect();
    assert_eq!(resolved, ["同心县公安局", "河西镇"]);
    assert_eq!(task["time"]["text"], "2024年4月底前");
    assert_eq!(task["place"], "城区");
    assert_eq!(
        task["lead_units"][0]["resolved"][0], "同心县住房和城乡建设局",
        "untouched fields keep the parse"
    );

    let bad = serde_json::json!({ "number": "同政办规发〔2024〕4号", "title": "x", "issued": "2024-03-05", "acknowledged": true, "task_edits": { "99": { "place": "x" } } });
    let created = t
        .json(
            Method::POST,
            "/api/v1/imports",
            Some(&c),
            &serde_json::json!({ "text": TEXT.replace("〔 2024〕 3 号", "〔 2024〕 4 号") })
                .to_string(),
        )
        .await;
    let id = created.json()["id"].as_i64().unwrap();
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/imports/{id}/publish"),
            Some(&c),
            &bad.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "task_edits");
}
