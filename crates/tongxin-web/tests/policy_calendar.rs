//! 政策库 and 日历管理 through the web: validity on a fixed day, the clause page every rule links
//! to, rule lookups with their warnings, calendar queries and entering a regional notice.

use crate::support;

use axum::http::{Method, StatusCode};
use support::TestApp;
use tongxin_domain::Role;

const D4: &str = "/policies/%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-5";
const D5: &str = "/policies/%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-6";
const D1: &str = "/policies/%E5%90%8C%E5%85%9A%E5%8A%9E%E5%8F%91-2023-49";
const ARTICLE_7: &str = "/clauses/%E7%AC%AC%E4%B8%83%E6%9D%A1";

#[tokio::test]
async fn the_policy_list_shows_d4_lapsed_on_2026_11_29() {
    let t = TestApp::new().await;
    let c = t.login(Role::Department).await;
    let list = t.get("/api/v1/policies", Some(&c)).await.json();
    let docs = list["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 8);
    let d4 = docs
        .iter()
        .find(|d| d["number"] == "同政办规发〔2023〕5号")
        .unwrap();
    assert_eq!(d4["validity"]["label"], "已失效");
    let d6 = docs
        .iter()
        .find(|d| d["number"] == "同政办规发〔2023〕7号")
        .unwrap();
    assert_eq!(d6["validity"]["label"], "现行有效");
    let page = t.get("/policies", Some(&c)).await;
    assert!(
        page.body.contains("试行期已于2026年1月12日届满"),
        "the page says why"
    );
    let doc = t.get(D4, Some(&c)).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body.contains("第九条之二") && doc.body.contains("alert-red"));
}

#[tokio::test]
async fn the_clause_page_shows_the_clause_and_every_rule_citing_it() {
    let t = TestApp::new().await;
    let c = t.login(Role::Township).await;
    let page = t.get(&format!("{D5}{ARTICLE_7}"), Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "同政办规发〔2023〕6号 第七条",
        "270平方米",
        "400平方米",
        "540平方米",
        "homestead.area_cap.irrigated",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let json = t
        .get(
            &format!("/api/v1{}", &format!("{D5}{ARTICLE_7}")[..]),
            Some(&c),
        )
        .await
        .json();
    assert!(json["rules"].as_array().unwrap().len() >= 3);
    let missing = t
        .get(
            &format!("{D5}/clauses/%E7%AC%AC%E4%B9%9D%E5%8D%81%E6%9D%A1"),
            Some(&c),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("没有条款"));
    // Every rule on the rules page links to a clause page that answers.
    let rules = t
        .get("/api/v1/rules?date=2024-06-01", Some(&c))
        .await
        .json();
    for r in rules["rules"].as_array().unwrap() {
        let href = r["href"].as_str().unwrap();
        assert_eq!(t.get(href, Some(&c)).await.status, StatusCode::OK, "{href}");
    }
}

#[tokio::test]
async fn a_rule_answers_with_its_citation_and_the_lapsed_document_warning() {
    let t = TestApp::new().await;
    let c = t.login(Role::Department).await;
    let r = t
        .get(
            "/api/v1/rules/gov_investment.approval.full_path_threshold",
            Some(&c),
        )
        .await
        .json();
    assert_eq!(
        (r["value"].as_f64(), r["citation"].as_str()),
        (Some(5000.0), Some("同政办规发〔2023〕5号 第七条"))
    );
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("试行期已于2026年1月12日届满")
    );
    let r = t
        .get(
            "/api/v1/rules/gov_investment.approval.full_path_threshold?date=2025-03-01",
            Some(&c),
        )
        .await
        .json();
    assert!(r["warnings"].as_array().unwrap().is_empty());
    let r = t
        .get(
            "/api/v1/rules/gov_investment.approval.full_path_threshold?date=2024-01-12",
            Some(&c),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("没有生效的取值")
    );
    let r = t.get("/api/v1/rules/x?date=2024-13-01", Some(&c)).await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "date");
    assert_eq!(
        t.get("/api/v1/rules/no.such.rule", Some(&c)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn applicants_read_public_documents_only() {
    let t = TestApp::new().await;
    let c = t.login(Role::Applicant).await;
    let list = t.get("/api/v1/policies", Some(&c)).await.json();
    assert_eq!(
        list["documents"].as_array().unwrap().len(),
        5,
        "D4–D8 are public"
    );
    assert_eq!(t.get(D1, Some(&c)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get(D5, Some(&c)).await.status, StatusCode::OK);
    let staff = t.login(Role::Village).await;
    assert_eq!(t.get(D1, Some(&staff)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn calendar_queries_answer_on_the_county_calendar_with_warnings() {
    let t = TestApp::new().await;
    let c = t.login(Role::Township).await;
    let a = t
        .get(
            "/api/v1/calendar/query?q=add-workdays+2024-02-05+5",
            Some(&c),
        )
        .await
        .json();
    assert_eq!(a["answer"], "2024-02-18");
    assert!(
        a["warnings"][0]
            .as_str()
            .unwrap()
            .contains("宁夏回族自治区2024年节假日安排未录入")
    );
    let a = t
        .get(
            "/api/v1/calendar/query?q=add-workdays+2024-02-05+5&calendar=national",
            Some(&c),
        )
        .await
        .json();
    assert!(a["warnings"].as_array().unwrap().is_empty());
    let a = t
        .get("/api/v1/calendar/query?q=is-workday+2019-06-05", Some(&c))
        .await
        .json();
    assert_eq!(a["answer"], "false", "开斋节 2019 is a day off in Ningxia");
    let r = t
        .get("/api/v1/calendar/query?q=is-workday+2027-01-04", Some(&c))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2027年")
    );
    let page = t.get("/calendar?q=dekad+2024-02-25", Some(&c)).await;
    assert!(page.body.contains("2024年2月下旬") && page.body.contains("尚未录入"));
}

#[tokio::test]
async fn the_system_administrator_enters_a_regional_year_and_deadlines_move() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let bad = r#"{"year":"2024","notice":"","extra_off":"2024-04-10,2025-01-01","extra_workdays":"2024-04-08"}"#;
    let r = t
        .json(Method::POST, "/api/v1/calendar/regional", Some(&admin), bad)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["notice"], "{}", r.body);
    let wrong_year = r#"{"year":2024,"notice":"宁政办发〔2024〕1号","extra_off":"2025-01-01"}"#;
    let r = t
        .json(
            Method::POST,
            "/api/v1/calendar/regional",
            Some(&admin),
            wrong_year,
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "extra_off");

    // 2024-04-09 (Tue) + 1 working day is 04-10 nationally; in Ningxia 04-10/11 are 开斋节.
    let before = t
        .get(
            "/api/v1/calendar/query?q=add-workdays+2024-04-09+1",
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(before["answer"], "2024-04-10");
    let good = r#"{"year":2024,"notice":"宁夏回族自治区人民政府办公厅关于2024年部分节假日安排的通知","extra_off":"2024-04-10:开斋节,2024-04-11:开斋节,2024-06-17:古尔邦节","verified":true}"#;
    let r = t
        .json(
            Method::POST,
            "/api/v1/calendar/regional",
            Some(&admin),
            good,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = t
        .get(
            "/api/v1/calendar/query?q=add-workdays+2024-04-09+1",
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(after["answer"], "2024-04-12");
    assert!(after["warnings"].as_array().unwrap().is_empty());
    let years = t
        .get("/api/v1/calendar/regional", Some(&admin))
        .await
        .json();
    assert!(
        !years["missing_years"]
            .as_array()
            .unwrap()
            .iter()
            .any(|y| y == 2024)
    );

    // Others may not; the entry is audited.
    let township = t.login(Role::Township).await;
    assert_eq!(
        t.json(
            Method::POST,
            "/api/v1/calendar/regional",
            Some(&township),
            good
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let auditor = t.login(Role::AuditAdmin).await;
    let log = t
        .get("/api/v1/audit?action=update", Some(&auditor))
        .await
        .json();
    assert_eq!(log["items"][0]["object"], "regional_calendar:2024");
}

#[tokio::test]
async fn the_regional_form_keeps_what_was_typed_when_refused() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let form = format!(
        "csrf={}&year=2030&notice=%E5%AE%81%E6%94%BF%E5%8A%9E&extra_off=2030-04-01",
        admin.csrf
    );
    let r = t
        .request(
            Method::POST,
            "/calendar/regional",
            Some(&admin),
            Some(("application/x-www-form-urlencoded", form)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("2030年不在国家日历数据覆盖的年份")
            && r.body.contains("宁政办")
            && r.body.contains("2030-04-01")
    );
}
