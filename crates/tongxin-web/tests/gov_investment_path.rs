//! 政府投资项目审批路径 (同政办规发〔2023〕5号 第七条、第八条) as the public calculator page and
//! the JSON API: the answer with its clauses, the lapsed trial said beside it, bad amounts
//! refused in Chinese with what was typed kept.

use crate::support;

use axum::http::StatusCode;
use support::TestApp;
use support::cases::{field_errors, on};

#[tokio::test]
async fn the_calculator_answers_anyone_with_its_clauses() {
    let t = TestApp::new().await;
    on(&t, 2024, 6, 3);
    let page = t.get("/gov-projects/path", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("我的项目需要哪些审批") && !page.body.contains("须审批的文件"));

    let page = t
        .get("/gov-projects/path?amount=4999.99&new_land=true", None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "总投资4999.99万元",
        "直接审批可行性研究报告（代项目建议书）、初步设计",
        "可行性研究报告应当包含项目建设必要性内容",
        "建设项目用地预审与选址意见书",
        "%E7%AC%AC%E4%B8%83%E6%9D%A1", // the link to 第七条
        "%E7%AC%AC%E5%85%AB%E6%9D%A1", // the link to 第八条
        "value=\"4999.99\"",
    ] {
        assert!(page.body.contains(text), "page lacks {text}");
    }
    let page = t.get("/gov-projects/path?amount=5000", None).await;
    assert!(page.body.contains("项目建议书") && page.body.contains("环境影响评价"));

    // A bad amount: said beside the field, the typed text kept.
    let page = t
        .get("/gov-projects/path?amount=12%E4%B8%87abc", None)
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("不是数字") && page.body.contains("value=\"12万abc\""));
    let page = t.get("/gov-projects/path?amount=-5", None).await;
    assert!(page.body.contains("不能为负数"));

    // The API gives the same decision.
    let r = t
        .get(
            "/api/v1/gov-investment/path?amount=1500&emergency=true",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["path"], "design_only");
    assert_eq!(
        v["facts"]["amount"], "1500",
        "amounts are exact decimal strings"
    );
    assert_eq!(v["documents"][0]["id"], "preliminary_design");
    assert!(
        v["reasons"][0]["text"]
            .as_str()
            .unwrap()
            .contains("突发事件")
    );
    let r = t
        .get("/api/v1/gov-investment/path?amount=1.005", None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_errors(&r)[0].0, "amount");
    assert!(field_errors(&r)[0].1.contains("两位小数"));

    // After the trial ended (2026-01-12) the answer comes with the warning.
    on(&t, 2026, 11, 29);
    let page = t.get("/gov-projects/path?amount=6000", None).await;
    assert!(
        page.body.contains("试行期已于2026年1月12日届满"),
        "{}",
        page.body
    );
    let v = t
        .get("/api/v1/gov-investment/path?amount=6000", None)
        .await
        .json();
    assert!(!v["warnings"].as_array().unwrap().is_empty());
}
