//! 财源 through the API and the pages, on SQLite and PostgreSQL, with a fixed clock: 财政局
//! enters monthly revenue (growth computed by hand, the path to 5亿元 by hand, progress
//! against time, the non-tax report's deadline); 税务局 imports tax by taxpayer with good and
//! bad rows; the register follows the rule and an alert follows the threshold 财政局 sets; the
//! 2:2:4:2 split adds up to the fen.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::on;
use support::gov_investment::official;
use support::{Client, TestApp};
use tongxin_domain::Role;

async fn monthly(t: &TestApp, c: &Client, body: Value) -> support::Reply {
    t.json(
        Method::POST,
        "/api/v1/revenue/monthly",
        Some(c),
        &body.to_string(),
    )
    .await
}

async fn overview(t: &TestApp, c: &Client, year: i32) -> Value {
    let r = t
        .get(&format!("/api/v1/revenue?year={year}"), Some(c))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

const A: &str = "91640324MA7600013W";
const B: &str = "91640324MA7600021P";
const C: &str = "91640324MA760003XF";
const D: &str = "91640324MA7600048F";

#[tokio::test]
async fn monthly_revenue_against_the_path_with_growth_and_the_non_tax_deadline() {
    for t in TestApp::all().await {
        on(&t, 2024, 3, 15);
        let fin = official(&t, "t-caizheng", "财政局").await;
        let other = official(&t, "t-agri", "农业农村局").await;
        let r = monthly(
            &t,
            &other,
            json!({"month": "2024-01", "tax": "1", "non_tax": "1"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("由财政局办理"), "{}", r.body);
        for (body, says) in [
            (
                json!({"month": "2024-03", "tax": "1", "non_tax": "1"}),
                "2024年3月尚未结束",
            ),
            (
                json!({"month": "2024-13", "tax": "1", "non_tax": "1"}),
                "“月份”须为年月",
            ),
            (
                json!({"month": "2024-01", "tax": "-1", "non_tax": "1"}),
                "不能为负数",
            ),
            (
                json!({"month": "2024-01", "tax": "一千", "non_tax": "1"}),
                "“税收收入（万元）”“一千”不是数值",
            ),
        ] {
            let r = monthly(&t, &fin, body.clone()).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(r.body.contains(says), "{body}: {}", r.body);
        }
        // December 2023 and January, February 2024 (万元): totals 3,000; 3,300; 2,970.
        for (m, tax, non_tax) in [
            ("2023-12", "2500", "500"),
            ("2024-01", "2800", "500"),
            ("2024-02", "2470.5", "499.5"),
        ] {
            let r = monthly(
                &t,
                &fin,
                json!({"month": m, "tax": tax, "non_tax": non_tax}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{m}: {}", r.body);
        }
        let o = overview(&t, &fin, 2024).await;
        // The path: 5亿元 in 2025, ÷1.1 a year back; none set for 2026.
        let path: Vec<(i64, Value)> = o["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["year"].as_i64().unwrap(), p["target"].clone()))
            .collect();
        assert_eq!(
            path,
            vec![
                (2023, json!("41,322.31")),
                (2024, json!("45,454.55")),
                (2025, json!("50,000.00")),
            ]
        );
        assert_eq!(o["target"], "45,454.55");
        assert_eq!(o["target_citation"], "同政办发〔2023〕76号 一、（三）");
        let months = o["months"].as_array().unwrap();
        let jan = &months[0];
        let feb = &months[1];
        assert_eq!(
            (jan["total"].as_str(), jan["mom"].as_str()),
            (Some("3,300.00"), Some("10.00%"))
        );
        assert_eq!(
            (feb["total"].as_str(), feb["mom"].as_str()),
            (Some("2,970.00"), Some("-10.00%"))
        );
        assert_eq!(feb["cumulative"], "6,270.00");
        assert!(jan["yoy"].is_null(), "no January 2023");
        // 6,270 of 45,454.55 = 13.79%; two months are 16.66%: 2.87 points behind → yellow.
        assert_eq!(
            (
                o["done"].as_str(),
                o["time_progress"].as_str(),
                o["progress_label"].as_str()
            ),
            (Some("13.79%"), Some("16.66%"), Some("略低于序时进度"))
        );
        // January is reported in February's round (due its last working day): entered on
        // March 15, late; February's is due March 29: on time.
        assert_eq!(jan["due"], "2024-02-29");
        assert_eq!(jan["report_status"], "逾期报送");
        assert_eq!(feb["report_status"], "按时报送");
        assert_eq!(months[2]["report_status"], "本月未结束");

        // A correction needs the version seen; the first report's time is kept.
        let r = monthly(
            &t,
            &fin,
            json!({"month": "2024-02", "tax": "2500", "non_tax": "500"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("已填报"), "{}", r.body);
        let r = monthly(
            &t,
            &fin,
            json!({"month": "2024-02", "tax": "2500", "non_tax": "500", "version": 0}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = monthly(
            &t,
            &fin,
            json!({"month": "2024-02", "tax": "2500", "non_tax": "500", "version": 0}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "stale version: {}", r.body);
        // On the page a month's 更正 link fills the form with its figures and version.
        let page = t.get("/revenue?year=2024", Some(&fin)).await.body;
        let link = "/revenue?year=2024&amp;month=2024-02&amp;tax=2500.00&amp;non_tax=500.00&amp;version=1#monthly";
        assert!(page.contains(link), "{page}");
        let form = t
            .get(
                &link.replace("&amp;", "&").replace("#monthly", ""),
                Some(&fin),
            )
            .await
            .body;
        assert!(
            form.contains(r#"name="version" value="1""#) && form.contains("提交更正"),
            "{form}"
        );

        // A year on: January 2025 was never reported (red); 2024's January growth year on year.
        on(&t, 2025, 3, 3);
        let fin = official(&t, "t-caizheng", "财政局").await;
        let r = monthly(
            &t,
            &fin,
            json!({"month": "2025-02", "tax": "3000", "non_tax": "300"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let o = overview(&t, &fin, 2025).await;
        let months = o["months"].as_array().unwrap();
        assert_eq!(months[0]["report_status"], "逾期未报");
        assert_eq!(months[0]["report_colour"], "red");
        assert_eq!(
            months[1]["yoy"], "10.00%",
            "3,300 against February 2024's 3,000"
        );
        // The page shows the same, with the clause linked.
        let page = t.get("/revenue?year=2025", Some(&fin)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("逾期未报") && page.body.contains("/clauses/"),
            "{}",
            page.body
        );
        let x = t.get("/revenue.xlsx?year=2024", Some(&fin)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(
            x.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
    }
}

fn tax_csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("统一社会信用代码,纳税人名称,行业,产业链,税种,所属月份,税额（元）\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

#[tokio::test]
async fn tax_data_is_imported_row_by_row_and_the_register_and_alerts_follow_the_rule() {
    for t in TestApp::all().await {
        on(&t, 2024, 3, 15);
        let tax = official(&t, "t-tax", "税务局").await;
        let import = |bytes: Vec<u8>| {
            let (t, tax) = (&t, tax.clone());
            async move {
                t.upload(
                    Some(&tax),
                    "/api/v1/revenue/import",
                    true,
                    &[("file", Some("2月税收.csv"), &bytes)],
                )
                .await
            }
        };
        // February 2023 and 2024: A (energy) 500 then 300 — a 40% fall; B (chemicals) 300, 300;
        // C (energy) 100, 110; D (agriculture) 60, 66.
        let file = tax_csv(&[
            &format!("{A},宁夏甲能源公司,能源,光伏,增值税,2023-02,400"),
            &format!("{A},宁夏甲能源公司,能源,光伏,企业所得税,2023-02,100"),
            &format!("{B},宁夏乙化工公司,化工,,增值税,2023-02,300"),
            &format!("{C},宁夏丙能源公司,能源,,增值税,2023-02,100"),
            &format!("{D},宁夏丁农业公司,农业,,增值税,2023-02,60"),
            &format!("{A},宁夏甲能源公司,能源,光伏,增值税,2024年2月,300"),
            &format!("{B},宁夏乙化工公司,化工,,增值税,2024-02,300"),
            &format!("{C},宁夏丙能源公司,能源,,增值税,2024-02,110"),
            &format!("{D},宁夏丁农业公司,农业,,增值税,2024-02,66"),
            "91640324MA7600013X,错码公司,能源,,增值税,2024-02,1",
            &format!("{B},宁夏乙化工公司,化工,,增值税,2024-02,300"),
            &format!("{D},宁夏丁农业公司,农业,,增值税,2024-04,1"),
            &format!("{D},宁夏丁农业公司,农业,,增值税,2024-02-x,1"),
            &format!("{D},,农业,,印花税,2024-02,1.234"),
        ]);
        let r = import(file).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rep = r.json();
        assert_eq!(
            (rep["imported"].as_i64(), rep["failed"].as_i64()),
            (Some(9), Some(5)),
            "{rep}"
        );
        let lines = rep["lines"].as_array().unwrap();
        let why = |line: i64| {
            lines.iter().find(|l| l["line"] == line).unwrap()["message"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert!(why(11).contains("校验位"), "{}", why(11));
        assert!(why(12).contains("与第8行重复"), "{}", why(12));
        assert!(why(13).contains("2024年4月尚未开始"), "{}", why(13));
        assert!(why(14).contains("无法识别"), "{}", why(14));
        assert!(
            why(15).contains("纳税人名称为空") && why(15).contains("最多到分"),
            "{}",
            why(15)
        );

        let fin = official(&t, "t-caizheng", "财政局").await;
        let o = overview(&t, &fin, 2024).await;
        // Tax by type and industry, February against February.
        let energy = o["by_industry"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == "能源")
            .unwrap()
            .clone();
        assert_eq!(
            (
                energy["amount"].as_str(),
                energy["year_before"].as_str(),
                energy["yoy"].as_str()
            ),
            (Some("0.04"), Some("0.06"), Some("-31.67%"))
        );
        // The register over the last twelve months (March 2023–February 2024): 776 yuan in all;
        // A 300, B 300 reach 77.3% — short of 80% — so C (110) crosses it; D first in 农业.
        let ks = o["key_sources"].as_array().unwrap();
        let got: Vec<(&str, &str)> = ks
            .iter()
            .map(|k| {
                (
                    k["credit_code"].as_str().unwrap(),
                    k["reasons"][0].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(got[..3].iter().map(|g| g.0).collect::<Vec<_>>(), [A, B, C]);
        assert!(got[0].1.contains("税收合计占比前80%"));
        assert!(
            ks.iter()
                .any(|k| k["credit_code"] == D && k["reasons"][0] == "农业纳税第1位")
        );
        assert_eq!(ks[0]["name"], "宁夏甲能源公司");
        assert_eq!(ks[0]["chain"], "光伏");
        // No alert until the finance bureau sets the threshold; then A's 40% fall is one.
        assert!(o["alerts"].is_null());
        let r = t
            .json(
                Method::POST,
                "/api/v1/revenue/settings",
                Some(&tax),
                &json!({"alert_fall": "20"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "only 财政局 sets it");
        let r = t
            .json(
                Method::POST,
                "/api/v1/revenue/settings",
                Some(&fin),
                &json!({"alert_fall": "120"}).to_string(),
            )
            .await;
        assert!(r.body.contains("须在1%至100%之间"), "{}", r.body);
        let r = t
            .json(
                Method::POST,
                "/api/v1/revenue/settings",
                Some(&fin),
                &json!({"alert_fall": "20"}).to_string(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let o = overview(&t, &fin, 2024).await;
        let alerts = o["alerts"].as_array().unwrap();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(
            (
                alerts[0]["credit_code"].as_str(),
                alerts[0]["change"].as_str()
            ),
            (Some(A), Some("-40.00%"))
        );
        // A department elsewhere sees the county's totals, not the taxpayers.
        let other = official(&t, "t-agri", "农业农村局").await;
        let o = overview(&t, &other, 2024).await;
        assert!(o["key_sources"].is_null() && o["alerts"].is_null());
        assert!(
            !t.get("/revenue", Some(&other))
                .await
                .body
                .contains("宁夏甲能源公司")
        );
        // Importing the same month again corrects it: A's February is now 450 (a 10% fall).
        let r = import(tax_csv(&[&format!(
            "{A},宁夏甲能源公司,能源,光伏,增值税,2024-02,450"
        )]))
        .await;
        assert_eq!(r.json()["imported"], 1);
        assert!(
            overview(&t, &fin, 2024).await["alerts"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn the_guarantee_split_adds_up_to_the_fen() {
    let t = TestApp::new().await;
    on(&t, 2024, 3, 15);
    let c = t.login(Role::Department).await;
    let split = |amount: &str| {
        let (t, c) = (&t, c.clone());
        let path = format!("/api/v1/revenue/guarantee?amount={amount}");
        async move { t.get(&path, Some(&c)).await }
    };
    let r = split("100").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["ratio"], "2:2:4:2");
    assert_eq!(s["citation"], "同政办发〔2023〕76号 四、（八）");
    let parts: Vec<&str> = s["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[2].as_str().unwrap())
        .collect();
    assert_eq!(
        parts,
        ["200,000.00", "200,000.00", "400,000.00", "200,000.00"]
    );
    // 3 fen: the largest remainders, ties to the earlier party.
    let parts: Vec<String> = split("0.000003").await.json()["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[2].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(parts, ["0.01", "0.01", "0.01", "0.00"]);
    for bad in ["0", "-5", "abc"] {
        let r = split(bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
    }
    let page = t.get("/revenue/guarantee?amount=33.3333", Some(&c)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("133,333.20") && page.body.contains("333,333.00"),
        "{}",
        page.body
    );
}
