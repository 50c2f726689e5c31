//! Load script: 财源 at ten years of monthly tax data for 1,000 enterprises, on SQLite
//! (default) or PostgreSQL, served by the real router in process.
//!
//! It opens the app on a fresh database and stores, month by month through the same store
//! call an import uses (so the rollups are kept as in use), 120 months × 1,000 taxpayers × 3
//! tax types = 360,000 rows, with the county's monthly revenue for the same 120 months and an
//! alert threshold. It then times one month's import through the app (3,000 rows of CSV, every
//! row checked), and measures, as percentiles over repeated requests with a session cookie, the
//! revenue overview (财源总览: the issue's figure, p95 under 100 ms on SQLite) as the finance
//! bureau (with the register and alerts) and as a county leader, its JSON, and the XLSX
//! export.
//!
//! ```text
//! export CARGO_TARGET_DIR=/work/target-bench
//! cargo bench -p tongxin-web --bench revenue_load -- --enterprises 1000 --months 120
//! ```

use std::time::Instant;

use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{Datelike, NaiveDate};
use clap::Parser;
use tongxin_app::clock::Clock;
use tongxin_store::{MonthlyRevenueRow, TaxRow};

mod support;
use support::{
    Backend, Bench, Rng, measure, open, pct, print_row, send, session, session_with_csrf,
};

#[derive(Debug, Parser)]
#[command(about = "财源 at scale, through the router")]
struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: Backend,
    #[arg(long, default_value_t = 1_000)]
    enterprises: usize,
    /// Months of data, ending with the last full month before the bench's day (2026-12-01).
    #[arg(long, default_value_t = 120)]
    months: u32,
    /// Requests per measured page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// A valid 统一社会信用代码 for a number: 91640324 + an organisation code body + both checks.
fn credit_code(n: usize) -> String {
    tongxin_domain::ids::CreditCode::complete(&format!("91640324M{n:07}"))
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default()
}

const INDUSTRIES: [(&str, &str); 12] = [
    ("电力、热力生产和供应业", "光伏"),
    ("化学原料和化学制品制造业", "精细化工"),
    ("通用设备制造业", "装备制造"),
    ("非金属矿物制品业", "新材料"),
    ("农副食品加工业", "滩羊"),
    ("纺织业", "羊绒"),
    ("批发和零售业", ""),
    ("房地产业", ""),
    ("建筑业", ""),
    ("住宿和餐饮业", "文旅"),
    ("交通运输业", ""),
    ("金融业", ""),
];
const TAXES: [&str; 3] = ["增值税", "企业所得税", "个人所得税"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let Bench {
        db,
        clock,
        app,
        router,
    } = open(
        args.backend,
        &format!(
            "revenue_load: {} enterprises, {} months",
            args.enterprises, args.months
        ),
    )
    .await?;

    // Each enterprise: an industry, a base monthly tax, a trend; some fall in the last year.
    let mut rng = Rng(0x51_7C_C1_B7_27_22_0A_95);
    let firms: Vec<(String, usize, i64, i64)> = (0..args.enterprises)
        .map(|i| {
            // A few large taxpayers, many small: base from 1,000 to ~2,000,000 yuan a month.
            let base = 1_000 * (1 + rng.below(40)).pow(2) as i64 * 100 + rng.below(100_000) as i64;
            (
                credit_code(i + 1),
                rng.below(12) as usize,
                base,
                rng.below(21) as i64 - 10,
            )
        })
        .collect();
    let last = NaiveDate::from_ymd_opt(2026, 11, 1).context("last month")?;
    let months: Vec<NaiveDate> = (0..args.months)
        .rev()
        .filter_map(|k| last.checked_sub_months(chrono::Months::new(k)))
        .collect();
    let t0 = Instant::now();
    let mut rows = 0usize;
    for (mi, m) in months.iter().enumerate() {
        let batch: Vec<TaxRow> = firms
            .iter()
            .flat_map(|(code, ind, base, trend)| {
                let growth = 100 + trend * mi as i64 / 12;
                let season = if m.month() % 3 == 1 { 130 } else { 100 };
                TAXES.iter().enumerate().map(move |(ti, tax)| TaxRow {
                    credit_code: code.clone(),
                    name: format!("同心县压测企业{}", &code[10..17]),
                    industry: INDUSTRIES[*ind].0.to_owned(),
                    chain: INDUSTRIES[*ind].1.to_owned(),
                    month: *m,
                    tax_type: (*tax).to_owned(),
                    amount: (base * growth.max(10) / 100 * season / 100) / (ti as i64 + 1),
                })
            })
            .collect();
        rows += batch.len();
        let mut tx = db.store.begin().await?;
        tx.import_taxes(&batch, "bench.csv", "bench", clock.now())
            .await?;
        let total: i64 = batch.iter().map(|r| r.amount).sum();
        tx.put_monthly_revenue(
            &MonthlyRevenueRow {
                month: *m,
                tax: total / 3,
                non_tax: total / 12,
                note: String::new(),
                entered_by: "bench".into(),
                entered_at: String::new(),
                reported_at: String::new(),
                version: 0,
            },
            None,
            clock.now(),
        )
        .await?;
        tx.commit().await?;
    }
    let gen_secs = t0.elapsed().as_secs_f64();
    println!(
        "  stored {rows} tax rows and {} months in {gen_secs:.1} s ({:.0} rows/s)",
        months.len(),
        rows as f64 / gen_secs
    );

    let (fin, fin_csrf) =
        session_with_csrf(&app, &router, "bench-fin", "department", "财政局").await?;
    let leader = session(&app, &router, "bench-leader", "county_leader", "县人民政府").await?;
    // The alert threshold, as 财政局 sets it.
    {
        let mut tx = db.store.begin().await?;
        tx.put_revenue_setting("alert_fall_bp", 2_000, "bench-fin", clock.now())
            .await?;
        tx.commit().await?;
    }

    // One month's import through the app, every row checked: November again.
    let mut csv =
        String::from("统一社会信用代码,纳税人名称,行业,产业链,税种,所属月份,税额（元）\n");
    for (code, ind, base, _) in &firms {
        for tax in TAXES {
            csv.push_str(&format!(
                "{code},同心县压测企业,{},{},{tax},2026-11,{}.{:02}\n",
                INDUSTRIES[*ind].0,
                INDUSTRIES[*ind].1,
                base / 100,
                base % 100
            ));
        }
    }
    let boundary = "----tongxin-bench";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"11.csv\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(csv.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/revenue/import")
        .header(header::COOKIE, &fin)
        .header("x-csrf-token", &fin_csrf)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))?;
    let t0 = Instant::now();
    let (status, reply, _) = send(&router, req).await?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    if status != StatusCode::OK {
        bail!(
            "import: {status} {}",
            reply.chars().take(300).collect::<String>()
        );
    }
    let report: serde_json::Value = serde_json::from_str(&reply)?;
    println!(
        "  import of one month through the API: {} rows ({} KB) in {ms:.0} ms, {} failed",
        report["imported"],
        csv.len() / 1024,
        report["failed"]
    );

    let n = args.requests;
    let mut results = Vec::new();
    for (label, cookie, path) in [
        ("财源总览 page, 财政局", &fin, "/revenue"),
        ("财源总览 page, 县领导", &leader, "/revenue"),
        ("财源总览 page, 2020, 财政局", &fin, "/revenue?year=2020"),
        ("/api/v1/revenue, 财政局", &fin, "/api/v1/revenue"),
    ] {
        let (t, len) = measure(&router, cookie, path, n).await?;
        print_row(label, &t, len);
        results.push((label, pct(&t, 0.95)));
    }
    let (t, len) = measure(&router, &fin, "/revenue.xlsx", n.min(50)).await?;
    print_row("财源台账 XLSX", &t, len);
    let page_p95 = results[0].1.max(results[1].1);
    println!(
        "result: 财源总览 p95 {page_p95:.2} ms (target < 100 ms): {}",
        if page_p95 < 100.0 { "met" } else { "NOT met" }
    );
    Ok(())
}
