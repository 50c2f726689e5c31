//! 政府投资项目's pages: the project unit's registration form (a refused amount keeps what was
//! typed), the project page (the path with its clauses, approvals, funding, the lapsed-trial
//! warning, the monthly reports with their chart), the list with its unit, stage and year
//! filters, and the development and reform bureau's XLSX ledger.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::cases::{on, step};
use support::gov_investment::{officials, under_construction};
use support::{Client, Reply, TestApp};

async fn post_form(t: &TestApp, path: &str, c: &Client, pairs: &[(&str, &str)]) -> Reply {
    let mut all = vec![("csrf", c.csrf.as_str())];
    all.extend_from_slice(pairs);
    t.request(
        Method::POST,
        path,
        Some(c),
        Some((
            "application/x-www-form-urlencoded",
            serde_urlencoded::to_string(all).unwrap(),
        )),
    )
    .await
}

#[tokio::test]
async fn a_project_is_registered_on_its_form_and_shown_with_its_path() {
    let t = TestApp::new().await;
    let o = officials(&t).await;
    let new = t.get("/gov-projects/new", Some(&o.builder)).await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);
    for text in [
        "总投资（万元）",
        "项目代码（在线审批监管平台赋码）",
        "所在乡镇",
        "第六条",
    ] {
        assert!(new.body.contains(text), "form lacks {text}");
    }
    let mut typed = vec![
        ("township", "豫海镇"),
        ("project_name", "同心县城区供水管网改造工程"),
        ("project_code", "2026-640324-46-01-000777"),
        ("construction_content", "改造供水管网18公里"),
        ("total_investment", "-1200"),
        ("county_funds", "1200"),
        ("responsible_leader", "马副县长"),
        ("contact_name", "李建国"),
        ("contact_phone", "13909530001"),
        ("client_key", "web-1"),
    ];
    let r = post_form(&t, "/gov-projects/new", &o.builder, &typed).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("“总投资（万元）”不能为负数"), "{}", r.body);
    assert!(
        r.body.contains("同心县城区供水管网改造工程"),
        "typed text is kept"
    );
    typed[4] = ("total_investment", "1,200");
    let r = post_form(&t, "/gov-projects/new", &o.builder, &typed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let href = r.headers["location"].to_str().unwrap().to_owned();
    assert!(href.starts_with("/gov-projects/"), "{href}");

    // 发改 sees the project with its path, the money, and the lapsed trial.
    let page = t.get(&href, Some(&o.reform)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "项目单位</dt><dd>交通运输局",
        "审批路径与前期手续",
        "直接审批初步设计（代项目建议书、可行性研究报告）",
        "总投资1200万元，不足1500万元",
        "第七条",
        "资金来源合计",
        "1200万元",
        "政策有效性",
        "2026年1月12日",
        "列入投资计划",
    ] {
        assert!(page.body.contains(text), "project page lacks {text}");
    }
    // The project unit is not offered 发改's action.
    let page = t.get(&href, Some(&o.builder)).await;
    assert!(!page.body.contains("action-enter_plan"), "{}", page.body);

    // The list, by unit and year; an unknown unit or a bad year is said so.
    let list = t.get("/gov-projects", Some(&o.reform)).await;
    assert!(list.body.contains("同心县城区供水管网改造工程") && list.body.contains("项目单位"));
    for (q, found) in [
        ("unit=%E4%BA%A4%E9%80%9A%E8%BF%90%E8%BE%93%E5%B1%80", true),
        ("unit=%E6%95%99%E8%82%B2%E5%B1%80", false),
        ("year=2026", true),
        ("year=2025", false),
    ] {
        let r = t.get(&format!("/gov-projects?{q}"), Some(&o.reform)).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert_eq!(r.body.contains("同心县城区供水管网改造工程"), found, "{q}");
    }
    let r = t
        .get(
            "/gov-projects?unit=%E7%A5%9E%E4%BB%99%E5%B1%80",
            Some(&o.reform),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("单位“神仙局”不在组织机构目录中"),
        "{}",
        r.body
    );
    let r = t.get("/gov-projects?year=abc", Some(&o.reform)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("“年度”须为2000至2100之间的年份"),
        "{}",
        r.body
    );

    let x = t
        .get("/gov-projects/ledger.xlsx?year=2026", Some(&o.reform))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    let cd = x.headers["content-disposition"].to_str().unwrap();
    assert!(cd.contains("gov-projects-ledger-2026-11-29.xlsx"), "{cd}");
    assert!(x.body.starts_with("PK"));
}

#[tokio::test]
async fn the_project_page_charts_the_monthly_reports_and_flags_the_late_one() {
    let t = TestApp::new().await;
    on(&t, 2025, 4, 1);
    let o = officials(&t).await;
    let mut case = under_construction(&t, &o, "800", "chart").await;
    let id = case["id"].as_i64().unwrap();
    for (day, pct) in [((2025, 4, 20), 20), ((2025, 6, 5), 45)] {
        on(&t, day.0, day.1, day.2);
        let o = officials(&t).await;
        case = step(
            &t,
            &o.builder,
            &case,
            "report_progress",
            json!({"progress_percent": pct, "invested_to_date": "300", "progress_note": "主管网铺设"}),
        )
        .await;
    }
    let o = officials(&t).await;
    let page = t.get(&format!("/gov-projects/{id}"), Some(&o.reform)).await;
    for text in [
        "月度建设进度",
        "<svg class=\"chart\"",
        "45%",
        "逾期办结",
        "主管网铺设",
        "第十六条",
    ] {
        assert!(page.body.contains(text), "project page lacks {text}");
    }
    // The list counts the late report; the next month (due 7月1日) is not yet within 7 days.
    let soon = t
        .get("/gov-projects?alert=report_due", Some(&o.reform))
        .await;
    assert!(!soon.body.contains(&format!("href=\"/gov-projects/{id}\"")));
    on(&t, 2025, 6, 25);
    let o = officials(&t).await;
    let soon = t
        .get("/gov-projects?alert=report_due", Some(&o.reform))
        .await;
    assert!(soon.body.contains(&format!("href=\"/gov-projects/{id}\"")));
    let list = t.get("/gov-projects", Some(&o.reform)).await;
    assert!(
        list.body.contains(&format!("href=\"/gov-projects/{id}\"")),
        "{}",
        list.body
    );
    let row_start = list.body.find(&format!("/gov-projects/{id}\"")).unwrap();
    let row = &list.body[row_start..row_start + 2000.min(list.body.len() - row_start)];
    assert!(row.contains("data-label=\"月报逾期\">1<"), "{row}");
}

#[tokio::test]
async fn the_policy_page_records_a_renewal_keeping_what_was_typed() {
    let t = TestApp::new().await;
    let office = t.login(tongxin_domain::Role::Supervision).await;
    let dept = t.login(tongxin_domain::Role::Department).await;
    let url = "/policies/%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-5";
    let page = t.get(url, Some(&office)).await;
    assert!(page.body.contains("记录续期") && page.body.contains("已失效"));
    let page = t.get(url, Some(&dept)).await;
    assert!(
        !page.body.contains("记录续期"),
        "only the library's keepers"
    );
    let renewals = format!("{url}/renewals");
    let r = post_form(
        &t,
        &renewals,
        &office,
        &[
            ("kind", "reissued"),
            ("decision", "同政办规发〔2026〕2号"),
            ("effective_from", "2026-13-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("“续期起始日”须为日期"), "{}", r.body);
    assert!(
        r.body.contains("同政办规发〔2026〕2号"),
        "typed text is kept"
    );
    let r = post_form(
        &t,
        &renewals,
        &office,
        &[
            ("kind", "reissued"),
            ("decision", "同政办规发〔2026〕2号"),
            ("effective_from", "2026-11-20"),
            ("note", "修订后重新印发"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t
        .get(r.headers["location"].to_str().unwrap(), Some(&office))
        .await;
    for text in [
        "续期已记录",
        "修订或重新发布",
        "自2026年11月20日起",
        "现行有效",
    ] {
        assert!(page.body.contains(text), "page lacks {text}");
    }
    // The workbench no longer warns of the lapsed trial.
    let bench = t.get("/workbench", Some(&office)).await;
    assert!(!bench.body.contains("试行期已于2026年1月12日届满"));
}

#[tokio::test]
async fn the_acceptance_opinion_prints_as_the_development_and_reform_bureaus() {
    let t = TestApp::new().await;
    on(&t, 2025, 4, 1);
    let o = officials(&t).await;
    let mut case = under_construction(&t, &o, "800", "print").await;
    let id = case["id"].as_i64().unwrap();
    on(&t, 2025, 9, 1);
    let o = officials(&t).await;
    case = step(
        &t,
        &o.builder,
        &case,
        "complete_construction",
        json!({"completion_date": "2025-09-01"}),
    )
    .await;
    case = step(&t, &o.builder, &case, "apply_acceptance", json!({})).await;
    step(
        &t,
        &o.reform,
        &case,
        "pass_acceptance",
        json!({
            "cond_built_as_designed": true, "cond_changes_approved": true,
            "cond_special_acceptances": true, "cond_final_accounts": true,
            "acceptance_opinion": "同意通过竣工验收",
        }),
    )
    .await;
    let doc = t
        .get(
            &format!("/gov-projects/{id}/documents/acceptance_opinion_doc"),
            Some(&o.builder),
        )
        .await;
    assert_eq!(doc.status, StatusCode::OK, "{}", doc.body);
    for text in [
        "《政府投资项目竣工验收意见》",
        "同心县发展和改革局",
        "同心县豫海镇至王团镇公路改建工程",
        "2025-640324-48-01-000123",
        "第十五条",
    ] {
        assert!(doc.body.contains(text), "the document lacks {text}");
    }
    assert!(!doc.body.contains("豫海镇人民政府"), "not the township's");
}
