//! 督查督办's pages: the list with its filters, a task page where the lead unit reports (a
//! refused report keeps what was typed), the office raises a problem, the unit files evidence
//! and the office closes it, and the quarter's bulletin with its XLSX.

use crate::support;

use axum::http::{Method, StatusCode};
use support::cases::on;
use support::gov_investment::official;
use support::{Client, Reply, TestApp};
use tongxin_domain::Role;

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

fn first_href(body: &str, prefix: &str) -> String {
    let i = body.find(&format!("href=\"{prefix}")).expect(prefix) + 6;
    let end = body[i..].find('"').unwrap();
    body[i..i + end].to_owned()
}

#[tokio::test]
async fn a_problem_is_raised_rectified_and_closed_on_the_pages() {
    let t = TestApp::new().await;
    on(&t, 2024, 2, 5);
    let office = t.login(Role::Supervision).await;
    let unit = official(&t, "t-civil", "民政局").await;

    // The unit's list: its own tasks, the 健康养老 chain among them.
    let list = t
        .get(
            "/supervision?leader=%E5%BE%90%E8%8E%89%E8%8A%B3",
            Some(&unit),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("健康养老产业链：旬调度") && list.body.contains("status-red"));
    let bad = t.get("/supervision?due_within=abc", Some(&unit)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("“到期天数”须为整数"));

    let dekad = t
        .get(
            "/supervision?leader=%E5%BE%90%E8%8E%89%E8%8A%B3&status=%E9%80%BE%E6%9C%9F",
            Some(&unit),
        )
        .await;
    let href = {
        let i = dekad.body.find("健康养老产业链：旬调度").unwrap();
        let before = &dekad.body[..i];
        let h = before.rfind("href=\"/supervision/tasks/").unwrap() + 6;
        let end = before[h..].find('"').unwrap();
        before[h..h + end].to_owned()
    };
    let page = t.get(&href, Some(&unit)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "同党办发〔2023〕49号 四、（六）",
        "报送进展",
        "2024-02-09",
        "民政局（牵头）",
        "期末最后一个工作日",
    ] {
        assert!(page.body.contains(text), "task page lacks {text}");
    }
    // A report without text is refused; the figures typed are kept.
    let r = post_form(
        &t,
        &href,
        &unit,
        &[("form", "report"), ("body", ""), ("figures", "走访企业=3")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请填写“进展情况”") && r.body.contains("走访企业=3"));
    let r = post_form(
        &t,
        &href,
        &unit,
        &[
            ("form", "report"),
            ("body", "梳理养老机构4家"),
            ("figures", "走访企业=3"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(&href, Some(&unit)).await;
    assert!(page.body.contains("梳理养老机构4家") && page.body.contains("走访企业：3"));
    assert!(
        page.body.contains("逾期报送"),
        "2023年12月下旬 was due 12月29日"
    );

    // The office raises a problem on the task; the unit rectifies; the office closes it.
    let r = post_form(
        &t,
        &href,
        &office,
        &[
            ("form", "problem"),
            ("unit", "民政局"),
            ("title", "旬调度迟报"),
            ("evidence_required", "情况说明"),
            ("deadline", "2024-02-01"),
        ],
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a past deadline"
    );
    assert!(r.body.contains("早于今天") && r.body.contains("旬调度迟报"));
    let r = post_form(
        &t,
        &href,
        &office,
        &[
            ("form", "problem"),
            ("unit", "民政局"),
            ("title", "旬调度迟报"),
            ("evidence_required", "情况说明"),
            ("deadline", "2024-02-20"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(&href, Some(&unit)).await;
    let problem = first_href(&page.body, "/supervision/problems/");
    let p = t.get(&problem, Some(&unit)).await;
    assert!(p.body.contains("报送整改材料") && p.body.contains("挂账整改中"));
    let version = |body: &str| {
        let i = body.find("name=\"version\" value=\"").unwrap() + 22;
        body[i..i + body[i..].find('"').unwrap()].to_owned()
    };
    let v = version(&p.body);
    let r = post_form(
        &t,
        &problem,
        &unit,
        &[
            ("step", "file_evidence"),
            ("text", "已补报并说明原因"),
            ("version", &v),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = t.get(&problem, Some(&office)).await;
    assert!(p.body.contains("核验销号") && p.body.contains("已补报并说明原因"));
    let v = version(&p.body);
    let r = post_form(
        &t,
        &problem,
        &office,
        &[("step", "verify"), ("text", "属实"), ("version", &v)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = t.get(&problem, Some(&unit)).await;
    assert!(p.body.contains("已销号") && p.body.contains("（按期）"));

    // The bulletin for the running quarter names the unit and its working; the XLSX downloads.
    let b = t
        .get("/supervision/bulletin?period=2024Q1", Some(&unit))
        .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert!(
        b.body.contains("民政局") && b.body.contains("按时报送") && b.body.contains("采用默认权重")
    );
    let x = t
        .get("/supervision/bulletin.xlsx?period=2024Q1", Some(&unit))
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.body.starts_with("PK"));
    let bad = t
        .get("/supervision/bulletin?period=2024Q9", Some(&unit))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_workbench_lists_overdue_tasks_in_each_scope() {
    let t = TestApp::new().await;
    on(&t, 2024, 2, 5);
    let office = t.login(Role::Supervision).await;
    let bench = t.get("/workbench", Some(&office)).await;
    assert!(
        bench.body.contains("督查督办") && bench.body.contains("逾期任务"),
        "{}",
        bench.body
    );
    let unit = official(&t, "t-civil", "民政局").await;
    let bench = t.get("/workbench", Some(&unit)).await;
    assert!(
        bench.body.contains("健康养老产业链"),
        "the unit's own overdue tasks"
    );
    assert!(!bench.body.contains("光伏产业链"), "not another unit's");
    let applicant = t.login(Role::Applicant).await;
    let bench = t.get("/workbench", Some(&applicant)).await;
    assert!(!bench.body.contains("未销号问题"));
}
