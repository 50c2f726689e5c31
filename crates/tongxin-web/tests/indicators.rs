//! 指标 through the API and the pages, on SQLite and PostgreSQL, with a fixed clock: every D2
//! target and the revenue target listed with its clause and status; 生态环境分局 enters monthly
//! PM2.5 values, a slip far from the last is asked about, the office returns one and accepts
//! another, and the status follows the rule at the target's date.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::cases::on;
use support::gov_investment::official;
use support::{Client, TestApp};
use tongxin_domain::Role;

async fn enter(t: &TestApp, c: &Client, code: &str, body: Value) -> support::Reply {
    t.json(
        Method::POST,
        &format!("/api/v1/indicators/{code}/values"),
        Some(c),
        &body.to_string(),
    )
    .await
}

async fn view(t: &TestApp, c: &Client, code: &str) -> Value {
    let r = t.get(&format!("/api/v1/indicators/{code}"), Some(c)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn monthly_pm25_is_entered_checked_reviewed_and_judged_at_the_years_end() {
    for t in TestApp::all().await {
        on(&t, 2023, 11, 2);
        let leader = t.login(Role::CountyLeader).await;
        let all = t.get("/api/v1/indicators", Some(&leader)).await.json();
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), 27, "D2's 26 targets and D8's revenue target");
        let pm25 = all.iter().find(|i| i["code"] == "d2.air.pm25").unwrap();
        assert_eq!(
            (
                pm25["target_text"].as_str(),
                pm25["citation"].as_str(),
                pm25["status_label"].as_str()
            ),
            (
                Some("不高于34μg/m³"),
                Some("同党办综〔2023〕55号 一、（一）"),
                Some("尚无数据")
            )
        );

        let eco = official(&t, "t-eco", "生态环境分局").await;
        // Refused by name: no number, a period not begun, a negative value.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "三十八"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("“三十八”不是数值"));
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-12", "value": "30"}),
        )
        .await;
        assert!(r.body.contains("2023年12月尚未开始"), "{}", r.body);
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "-1"}),
        )
        .await;
        assert!(r.body.contains("不能为负数"), "{}", r.body);
        // Another unit does not enter it.
        let other = official(&t, "t-agri", "农业农村局").await;
        let r = enter(
            &t,
            &other,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "38"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // October: 38. The straight line from no baseline: a level above its cap is at risk.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "38", "note": "10月均值"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "有风险"
        );
        // November typed as 3.6 (for 36): asked to confirm, kept nothing.
        on(&t, 2023, 12, 2);
        let eco = official(&t, "t-eco", "生态环境分局").await;
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11-30", "value": "3.6"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("与上期（2023年10月，38）相差较大"),
            "{}",
            r.body
        );
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11-30", "value": "33.5"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let v = view(&t, &eco, "d2.air.pm25").await;
        assert_eq!(
            v["status_label"], "进度正常",
            "a level under its cap before the date"
        );
        assert_eq!(v["latest"], "33.5μg/m³");

        // The office returns November (a wrong station), accepts October.
        let office = t.login(Role::Supervision).await;
        let entries = v["entries"].as_array().unwrap().clone();
        let nov = entries
            .iter()
            .find(|e| e["period"] == "2023年11月")
            .unwrap();
        let oct = entries
            .iter()
            .find(|e| e["period"] == "2023年10月")
            .unwrap();
        let review = |id: &Value, body: Value| {
            let t = &t;
            let office = office.clone();
            let id = id.as_i64().unwrap();
            async move {
                t.json(
                    Method::POST,
                    &format!("/api/v1/indicator-values/{id}/review"),
                    Some(&office),
                    &body.to_string(),
                )
                .await
            }
        };
        let r = review(
            &nov["id"],
            json!({"decision": "return", "version": nov["version"]}),
        )
        .await;
        assert!(r.body.contains("退回须写明原因"), "{}", r.body);
        let r = review(
            &nov["id"],
            json!({"decision": "return", "comment": "请用国控点数据", "version": nov["version"]}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = review(
            &oct["id"],
            json!({"decision": "accept", "version": oct["version"]}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A returned value does not count: back to October's 38.
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "有风险"
        );
        // October accepted cannot be changed; November is entered again.
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "37"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-11", "value": "34"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // December 33: after the year's end, achieved; the day the target falls, still open.
        on(&t, 2023, 12, 31);
        let eco = official(&t, "t-eco", "生态环境分局").await;
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-12", "value": "33"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(
            view(&t, &eco, "d2.air.pm25").await["status_label"],
            "进度正常"
        );
        on(&t, 2024, 1, 1);
        let leader = t.login(Role::CountyLeader).await;
        let v = view(&t, &leader, "d2.air.pm25").await;
        assert_eq!(v["status_label"], "已达标", "{}", v["reason"]);

        // The pages: the overview with its clause links, the indicator with its chart.
        let page = t.get("/indicators", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("城市建成区PM2.5年均浓度") && page.body.contains("已达标"));
        assert!(
            page.body.contains("/clauses/"),
            "every target links to its clause"
        );
        let page = t.get("/indicators/d2.air.pm25", Some(&leader)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<polyline") && page.body.contains("目标 34"));
        let x = t.get("/indicators.xlsx", Some(&leader)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(
            x.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        let missing = t.get("/indicators/nothing", Some(&leader)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_rate_is_entered_as_its_two_amounts_and_the_form_keeps_what_was_typed() {
    let t = TestApp::new().await;
    on(&t, 2023, 12, 5);
    let agri = official(&t, "t-agri", "农业农村局").await;
    // 畜禽粪污资源化利用率 = 利用量 ÷ 产生量: a denominator of 0 is refused by name.
    let r = enter(
        &t,
        &agri,
        "d2.nonpoint.manure",
        json!({"period": "2023-10", "numerator": "0", "denominator": "0"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("“畜禽粪污产生量”为0，无法计算畜禽粪污资源化利用率"),
        "{}",
        r.body
    );
    let r = enter(
        &t,
        &agri,
        "d2.nonpoint.manure",
        json!({"period": "2023-10", "numerator": "40,000", "denominator": "50000"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = r.json();
    assert_eq!(
        (e["value"].as_str(), e["ratio"].as_str()),
        (Some("80"), Some("40000 / 50000 吨"))
    );
    let form = |n: &str, confirm: bool| {
        format!(
            "csrf={}&form=value&period=2023-11&numerator={n}&denominator=30000{}",
            agri.csrf,
            if confirm { "&confirm=1" } else { "" }
        )
    };
    let post = |body: String| {
        let (t, agri) = (&t, agri.clone());
        async move {
            t.request(
                Method::POST,
                "/indicators/d2.nonpoint.manure",
                Some(&agri),
                Some(("application/x-www-form-urlencoded", body)),
            )
            .await
        }
    };
    let r = post(form("30001", false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("不能大于") && r.body.contains("value=\"30001\""),
        "refused, and the amount typed is kept"
    );
    // 1/30000 of the produce, against 80% last month: asked to confirm.
    let r = post(form("1", false)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("确认数值无误"),
        "the confirmation is offered"
    );
    let r = post(form("1", true)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = view(&t, &agri, "d2.nonpoint.manure").await;
    assert_eq!(v["latest"], "0.003%", "1 ÷ 30000 = 0.00333…% → 0.003");
}

/// `月份,数值,说明` rows of CSV.
fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("月份,PM2.5浓度（μg/m³）,备注\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

#[tokio::test]
async fn a_spreadsheet_is_imported_row_by_row_keeping_the_good_rows() {
    for t in TestApp::all().await {
        on(&t, 2024, 1, 10);
        let eco = official(&t, "t-eco", "生态环境分局").await;
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": "2023-10", "value": "38"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let file = csv(&[
            "2023-10,37.5,更正", // line 2: corrects October
            "2023年11月,33,",    // line 3
            "2023/12,三十一,",   // line 4: not a number
            "2023-11,32,",       // line 5: November again
            "2024-02,30,",       // line 6: not begun
            "2023-09,36,",       // line 7: before the campaign
            "2023-12,3.1,",      // line 8: far from November's 33
        ]);
        let import = |bytes: Vec<u8>, name: &'static str, confirm: bool| {
            let (t, eco) = (&t, eco.clone());
            async move {
                let mut parts: Vec<(&str, Option<&str>, &[u8])> =
                    vec![("file", Some(name), bytes.as_slice())];
                if confirm {
                    parts.push(("confirm", None, b"true"));
                }
                t.upload(
                    Some(&eco),
                    "/api/v1/indicators/d2.air.pm25/import",
                    true,
                    &parts,
                )
                .await
            }
        };
        let r = import(file, "pm25.csv", false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let rep = r.json();
        assert_eq!(
            (
                rep["imported"].as_i64(),
                rep["updated"].as_i64(),
                rep["failed"].as_i64()
            ),
            (Some(1), Some(1), Some(5)),
            "{rep}"
        );
        let lines = rep["lines"].as_array().unwrap();
        let at = |line: i64| lines.iter().find(|l| l["line"] == line).unwrap();
        assert_eq!(at(2)["outcome"], "更新");
        assert_eq!(
            (at(3)["outcome"].as_str(), at(3)["period"].as_str()),
            (Some("导入"), Some("2023年11月"))
        );
        for (line, why) in [
            (4, "“三十一”不是数值"),
            (5, "与第3行同为2023年11月"),
            (6, "2024年2月尚未开始"),
            (7, "指标自2023-10-19起填报"),
            (8, "与上期（2023年11月，33）相差较大"),
        ] {
            assert_eq!(at(line)["outcome"], "失败", "line {line}");
            let m = at(line)["message"].as_str().unwrap();
            assert!(m.contains(why), "line {line}: {m}");
        }
        // The good rows are kept, each audited with its row.
        let v = view(&t, &eco, "d2.air.pm25").await;
        let values: Vec<(&str, &str)> = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["period"].as_str().unwrap(), e["value"].as_str().unwrap()))
            .collect();
        assert_eq!(values, [("2023年10月", "37.5"), ("2023年11月", "33")]);
        let auditor = t.login(Role::AuditAdmin).await;
        let audit = t.get("/api/v1/audit?limit=50", Some(&auditor)).await;
        assert!(
            audit.body.matches("pm25.csv").count() >= 2,
            "each imported row is audited with the file: {}",
            audit.body
        );

        // December checked and imported again from an XLSX with the figure's own header.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet
            .write_string(0, 0, "同心县城市建成区PM2.5月均浓度")
            .unwrap();
        sheet.write_string(1, 0, "统计期").unwrap();
        sheet.write_string(1, 1, "城市建成区PM2.5年均浓度").unwrap();
        sheet.write_string(2, 0, "2023-12").unwrap();
        sheet.write_number(2, 1, 31.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let r = import(bytes, "12月.xlsx", false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["imported"], 1, "{}", r.body);

        // Whole-file problems are refused by name; nothing kept.
        let r = import(b"a,b\n1,2\n".to_vec(), "x.csv", false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("找不到表头"), "{}", r.body);
        let r = import(b"%PDF".to_vec(), "x.pdf", false).await;
        assert!(r.body.contains("只能导入.xlsx或.csv文件"), "{}", r.body);
        // Another unit does not import it.
        let agri = official(&t, "t-agri", "农业农村局").await;
        let r = t
            .upload(
                Some(&agri),
                "/api/v1/indicators/d2.air.pm25/import",
                true,
                &[("file", Some("a.csv"), &csv(&["2023-12,30,"]))],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        // The page: the report lists the failed rows; the chart carries the series.
        let path = format!("/indicators/d2.air.pm25/import?csrf={}", eco.csrf);
        let r = t
            .upload(
                Some(&eco),
                &path,
                false,
                &[("file", Some("b.csv"), &csv(&["2023-12,30,", "2023-13,1,"]))],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("更新1期") && r.body.contains("失败1行"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("“填报期”“2023-13”无法识别为月份"),
            "{}",
            r.body
        );
        assert!(r.body.contains("data-chart=") && r.body.contains("/static/echarts.min.js"));
    }
}

#[tokio::test]
async fn a_value_carries_its_evidence_until_accepted() {
    let t = TestApp::new().await;
    on(&t, 2023, 12, 5);
    let eco = official(&t, "t-eco", "生态环境分局").await;
    let r = enter(
        &t,
        &eco,
        "d2.air.pm25",
        json!({"period": "2023-11", "value": "33"}),
    )
    .await;
    let id = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/indicator-values/{id}/attachments");
    let agri = official(&t, "t-agri", "农业农村局").await;
    let r = t
        .upload(
            Some(&agri),
            &path,
            true,
            &[("files", Some("a.pdf"), b"%PDF-1.4")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "only the unit that entered it"
    );
    let r = t
        .upload(
            Some(&eco),
            &path,
            true,
            &[("files", Some("11月监测报表.pdf"), b"%PDF-1.4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let file = r.json()[0]["id"].as_i64().unwrap();
    let leader = t.login(Role::CountyLeader).await;
    let v = view(&t, &leader, "d2.air.pm25").await;
    assert_eq!(
        v["entries"][0]["attachments"][0]["name"],
        "11月监测报表.pdf"
    );
    let r = t
        .get(&format!("/supervision/attachments/{file}"), Some(&leader))
        .await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "%PDF-1.4"));
    let office = t.login(Role::Supervision).await;
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/indicator-values/{id}/review"),
            Some(&office),
            &json!({"decision": "accept", "version": 0}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = t
        .upload(
            Some(&eco),
            &path,
            true,
            &[("files", Some("b.pdf"), b"%PDF-1.4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("已审核通过"));
}

#[tokio::test]
async fn a_target_already_due_is_judged_on_its_own_periods() {
    let t = TestApp::new().await;
    on(&t, 2024, 2, 5);
    let eco = official(&t, "t-eco", "生态环境分局").await;
    for (period, value) in [("2023-12", "36"), ("2024-01", "30")] {
        let r = enter(
            &t,
            &eco,
            "d2.air.pm25",
            json!({"period": period, "value": value}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // “到2023年底”: December's 36 decides it; January's 30 is shown but does not.
    let v = view(&t, &eco, "d2.air.pm25").await;
    assert_eq!(
        (v["status_label"].as_str(), v["latest"].as_str()),
        (Some("未达标"), Some("30μg/m³")),
        "{}",
        v["reason"]
    );
    let all = t.get("/api/v1/indicators", Some(&eco)).await.json();
    let pm25 = all
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "d2.air.pm25")
        .unwrap()
        .clone();
    assert_eq!(pm25["status_label"], "未达标");
}

#[tokio::test]
async fn the_chart_library_is_sent_compressed_to_browsers_that_accept_it() {
    let t = TestApp::new().await;
    let get = |enc: Option<&'static str>| {
        let t = &t;
        async move {
            let mut b = axum::http::Request::builder().uri("/static/echarts.min.js");
            if let Some(e) = enc {
                b = b.header("accept-encoding", e);
            }
            t.send(b.body(axum::body::Body::empty()).unwrap()).await
        }
    };
    let r = get(Some("gzip, deflate, br")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-encoding"], "gzip");
    assert_eq!(r.headers["vary"], "accept-encoding");
    let r = get(None).await;
    assert!(r.headers.get("content-encoding").is_none());
    assert!(r.body.contains("echarts"));
}
