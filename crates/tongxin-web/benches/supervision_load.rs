//! Load script: the supervision ledger (督查督办) at 100,000 tasks and 1,000,000 reports, on
//! SQLite (default) or PostgreSQL, served by the real router in process.
//!
//! It opens the app on a fresh database (the plans' 388 tasks are published as at any first
//! start), adds N generated tasks bound to the county's departments, centres and townships —
//! 旬, 月, 季 and one-off, started over the last three years, 90% open — and reports for them
//! (lead units' first, some responsible units') until the report count is reached, on time or
//! late, each with its due date computed on the calendar. Then it lets the app compute what
//! every unit owes (the same code that runs after a calendar change), and measures, as
//! percentiles over repeated requests through the router with a session cookie:
//!
//! - the 工作台 of a county leader and of the supervision office (the issue's figure: p95 under
//!   100 ms) and of a department;
//! - the ledger's first page, its 逾期 filter, a unit's 应报 list;
//! - the quarter's bulletin (a few runs), and the first reminder sweep over every unit.
//!
//! ```text
//! export CARGO_TARGET_DIR=/work/target-bench
//! cargo bench -p tongxin-web --bench supervision_load -- --tasks 100000 --reports 1000000
//! ```

use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use clap::Parser;
use sqlx::Row;
use tongxin_domain::UnitKind;
use tongxin_domain::supervision::{Cadence, DueRule, report_periods};

mod support;
use support::{Backend, Bench, Rng, describe, measure, open, pct, print_row, session};

#[derive(Debug, Parser)]
#[command(about = "The supervision ledger at scale, through the router")]
struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: Backend,
    /// Generated tasks (besides the plans' own).
    #[arg(long, default_value_t = 100_000)]
    tasks: usize,
    /// Reports to file across them.
    #[arg(long, default_value_t = 1_000_000)]
    reports: usize,
    /// Requests per measured page.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

struct GenTask {
    id: i64,
    lead: String,
    responsible: String,
    cadence: Cadence,
    starts: NaiveDate,
    due: Option<NaiveDate>,
    status: &'static str,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let Bench {
        db,
        clock: _,
        app,
        router,
    } = open(
        args.backend,
        &format!(
            "supervision_load: {} tasks, {} reports",
            args.tasks, args.reports
        ),
    )
    .await?;
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).context("today")?;

    // The units tasks are given to: departments, centres, offices, townships and zones.
    let units: Vec<String> = app
        .directory()
        .units()
        .iter()
        .filter(|u| {
            matches!(
                u.kind,
                UnitKind::Department
                    | UnitKind::Centre
                    | UnitKind::GovernmentOffice
                    | UnitKind::Township
                    | UnitKind::Zone
            )
        })
        .map(|u| u.id.0.clone())
        .collect();
    if units.len() < 2 {
        bail!("the directory has too few units");
    }
    let leaders = [
        "县委书记",
        "县长",
        "常务副县长",
        "分管副县长甲",
        "分管副县长乙",
        "分管副县长丙",
    ];

    // Generation.
    let pool = sqlx::AnyPool::connect(&db.url).await?;
    let first_id: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM sv_tasks")
        .fetch_one(&pool)
        .await?
        .try_get(0)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let cal = app.calendar();
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(args.tasks);
    for i in 0..args.tasks {
        let lead = units[rng.below(units.len() as u64) as usize].clone();
        let mut other = units[rng.below(units.len() as u64) as usize].clone();
        if other == lead {
            other = units[(units.iter().position(|u| *u == lead).unwrap_or(0) + 1) % units.len()]
                .clone();
        }
        let (cadence, span) = match rng.below(20) {
            0..=5 => (Cadence::Dekad, 300),
            6..=13 => (Cadence::Month, 900),
            14..=16 => (Cadence::Quarter, 1000),
            _ => (Cadence::Once, 400),
        };
        let starts = today - chrono::Days::new(rng.below(span) + 1);
        // One-off tasks due by mid-December (the calendar has no 2027 yet).
        let due = (cadence == Cadence::Once).then(|| {
            (starts + chrono::Days::new(rng.below(200) + 30)).min(today + chrono::Days::new(15))
        });
        let status = match rng.below(20) {
            0 => "done",
            1 => "closed",
            _ => "in_progress",
        };
        tasks.push(GenTask {
            id: first_id + i as i64,
            lead,
            responsible: other,
            cadence,
            starts,
            due,
            status,
        });
    }
    let mut tx = pool.begin().await?;
    for chunk in tasks.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO sv_tasks (id, source_doc, source_clause, title, note, lead_unit, responsible, leader, cadence, due_rule, starts_on, due_on, until_on, link_kind, link_ref, place, status, created_by, created_at, updated_at, version) VALUES ",
        );
        for k in 0..chunk.len() {
            let b = k * 13;
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, '同党办发〔2023〕49号', '四、（六）', ${}, '', ${}, ${}, ${}, ${}, 'last_workday', ${}, ${}, NULL, 'chain', ${}, '', ${}, 'bench', ${}, ${}, ${})",
                b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13
            ));
        }
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q
                .bind(t.id)
                .bind(format!("压测任务{}", t.id))
                .bind(t.lead.clone())
                .bind(serde_json::to_string(std::slice::from_ref(&t.responsible))?)
                .bind(leaders[(t.id as usize) % leaders.len()])
                .bind(t.cadence.code())
                .bind(t.starts.format("%Y-%m-%d").to_string())
                .bind(t.due.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(format!("bench{}", t.id % 21))
                .bind(t.status)
                .bind("2024-01-01T00:00:00Z")
                .bind("2024-01-01T00:00:00Z")
                .bind(0i64);
        }
        q.execute(&mut *tx).await?;
        let mut sql = String::from("INSERT INTO sv_task_units (task_id, unit_id, is_lead) VALUES ");
        for k in 0..chunk.len() {
            let b = k * 4;
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, 1), (${}, ${}, 0)",
                b + 1,
                b + 2,
                b + 3,
                b + 4
            ));
        }
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q
                .bind(t.id)
                .bind(t.lead.clone())
                .bind(t.id)
                .bind(t.responsible.clone());
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    println!("tasks inserted in {:.1} s", t0.elapsed().as_secs_f64());

    // Reports: each lead files a prefix of its periods (40% every period due so far), then
    // responsible units add theirs until the count is reached.
    let t1 = Instant::now();
    // (task index, by the lead, start, end, due, filed)
    type Gen = (usize, bool, NaiveDate, NaiveDate, NaiveDate, NaiveDate);
    let mut rows: Vec<Gen> = Vec::new();
    let mut responsible_rows: Vec<Gen> = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let until = match t.cadence {
            Cadence::Once => t.due.unwrap_or(t.starts),
            _ => today,
        };
        let periods = report_periods(t.cadence, DueRule::LastWorkday, t.starts, until, &cal)
            .map_err(|e| anyhow!("periods of {:?} {}..{until}: {e}", t.cadence, t.starts))?;
        let due_so_far: Vec<_> = periods.into_iter().filter(|p| p.due < today).collect();
        let take = if rng.below(10) < 4 {
            due_so_far.len()
        } else {
            (due_so_far.len() as u64 * rng.below(100) / 100) as usize
        };
        for p in &due_so_far[..take] {
            let filed = if rng.below(100) < 85 {
                (p.due - chrono::Days::new(rng.below(3))).max(p.start)
            } else {
                (p.due + chrono::Days::new(rng.below(10) + 1)).min(today)
            };
            rows.push((i, true, p.start, p.end, p.due, filed));
        }
        for p in &due_so_far {
            responsible_rows.push((i, false, p.start, p.end, p.due, p.due));
        }
    }
    let lead_count = rows.len();
    let need = args.reports.saturating_sub(lead_count);
    // Spread the responsible units' reports over the tasks (every k-th).
    if need > 0 && !responsible_rows.is_empty() {
        let step = (responsible_rows.len() as f64 / need as f64).max(1.0);
        let mut x = 0.0;
        while (x as usize) < responsible_rows.len() && rows.len() < args.reports {
            rows.push(responsible_rows[x as usize]);
            x += step;
        }
    }
    drop(responsible_rows);
    println!(
        "reports generated: {} ({} by lead units) in {:.1} s",
        rows.len(),
        lead_count,
        t1.elapsed().as_secs_f64()
    );
    let t2 = Instant::now();
    let mut tx = pool.begin().await?;
    for (n, chunk) in rows.chunks(500).enumerate() {
        let mut sql = String::from(
            "INSERT INTO sv_reports (task_id, unit_id, period_start, period_end, due_on, filed_on, filed_at, filed_by, body, figures, review, review_note, reviewed_by, reviewed_at, version) VALUES ",
        );
        for k in 0..chunk.len() {
            let b = k * 7;
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 'bench', '本期工作按计划推进，详见附表。', '{{}}', 'accepted', '', '', '', 0)",
                b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7
            ));
        }
        let mut q = sqlx::query(&sql);
        let d = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
        for (i, lead, start, end, due, filed) in chunk {
            let t = &tasks[*i];
            q = q
                .bind(t.id)
                .bind(if *lead {
                    t.lead.clone()
                } else {
                    t.responsible.clone()
                })
                .bind(d(*start))
                .bind(d(*end))
                .bind(d(*due))
                .bind(d(*filed))
                .bind(format!("{}T02:00:00Z", d(*filed)));
        }
        q.execute(&mut *tx).await?;
        if n % 200 == 199 {
            tx.commit().await?;
            tx = pool.begin().await?;
        }
    }
    tx.commit().await?;
    let report_total: i64 = sqlx::query("SELECT COUNT(*) FROM sv_reports")
        .fetch_one(&pool)
        .await?
        .try_get(0)?;
    let task_total: i64 = sqlx::query("SELECT COUNT(*) FROM sv_tasks")
        .fetch_one(&pool)
        .await?
        .try_get(0)?;
    println!(
        "reports inserted in {:.1} s; the database holds {task_total} tasks and {report_total} reports",
        t2.elapsed().as_secs_f64()
    );
    drop(rows);

    // What every unit owes, computed by the app (as after a calendar change).
    let t3 = Instant::now();
    let computed = app
        .refresh_owed()
        .await
        .map_err(|e| anyhow!("refresh owed: {}", describe(&e)))?;
    println!(
        "owed periods computed for {computed} tasks in {:.1} s",
        t3.elapsed().as_secs_f64()
    );
    let overdue: i64 = sqlx::query(
        "SELECT COUNT(*) FROM sv_tasks WHERE next_due < $1 AND status NOT IN ('done', 'closed')",
    )
    .bind(today.format("%Y-%m-%d").to_string())
    .fetch_one(&pool)
    .await?
    .try_get(0)?;
    println!("tasks overdue on {today}: {overdue}");
    if let Backend::Sqlite = args.backend {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }

    // Sessions.
    let leader = session(
        &app,
        &router,
        "bench-leader",
        "county_leader",
        "county-leadership",
    )
    .await?;
    let office = session(&app, &router, "bench-office", "supervision", "县委督查室").await?;
    let busiest: String = sqlx::query(
        "SELECT unit_id FROM sv_task_units GROUP BY unit_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await?
    .try_get(0)?;
    let busiest_name = app
        .directory()
        .get(&busiest)
        .map(|u| u.short_name.clone())
        .unwrap_or(busiest.clone());
    let dept = session(&app, &router, "bench-dept", "department", &busiest_name).await?;
    let owed_by_busiest: i64 = sqlx::query("SELECT COUNT(*) FROM sv_task_units WHERE unit_id = $1")
        .bind(&busiest)
        .fetch_one(&pool)
        .await?
        .try_get(0)?;
    println!("department user on {busiest_name} (bound to {owed_by_busiest} tasks)");

    // Warm-up, then the figures.
    measure(&router, &leader, "/workbench", 5).await?;
    println!(
        "measured through the router (in process), {} requests each:",
        args.requests
    );
    let n = args.requests;
    let (t, len) = measure(&router, &leader, "/workbench", n).await?;
    print_row("工作台 县领导", &t, len);
    let leader_p95 = pct(&t, 0.95);
    let (t, len) = measure(&router, &office, "/workbench", n).await?;
    print_row("工作台 督查室", &t, len);
    let office_p95 = pct(&t, 0.95);
    let (t, len) = measure(&router, &dept, "/workbench", n).await?;
    print_row(&format!("工作台 {busiest_name}"), &t, len);
    let (t, len) = measure(&router, &office, "/supervision", n).await?;
    print_row("督查督办 first page", &t, len);
    let (t, len) = measure(&router, &office, "/supervision?status=逾期", n).await?;
    print_row("督查督办 逾期", &t, len);
    let (t, len) = measure(&router, &office, "/supervision?status=逾期&page=100", n).await?;
    print_row("督查督办 逾期 page 100", &t, len);
    let (t, len) = measure(&router, &office, "/api/v1/supervision/tasks?status=逾期", n).await?;
    print_row("API 逾期", &t, len);
    let year = today.year();
    let (t, len) = measure(
        &router,
        &office,
        &format!("/supervision/bulletin?period={year}Q3"),
        3,
    )
    .await?;
    print_row("季通报 (3 runs)", &t, len);

    let t4 = Instant::now();
    let r = app
        .sweep(today)
        .await
        .map_err(|e| anyhow!("sweep: {}", describe(&e)))?;
    println!(
        "first reminder sweep: {} warnings, {} overdue notices in {:.1} s",
        r.tasks.warned,
        r.tasks.overdue,
        t4.elapsed().as_secs_f64()
    );
    let t5 = Instant::now();
    let r = app
        .sweep(today)
        .await
        .map_err(|e| anyhow!("sweep: {}", describe(&e)))?;
    println!(
        "second sweep the same day: {} warnings, {} overdue notices in {:.2} s",
        r.tasks.warned,
        r.tasks.overdue,
        t5.elapsed().as_secs_f64()
    );
    let (t, len) = measure(&router, &dept, "/workbench", n).await?;
    print_row(&format!("工作台 {busiest_name} (inbox full)"), &t, len);

    println!(
        "result: 工作台 p95 县领导 {leader_p95:.2} ms, 督查室 {office_p95:.2} ms (target < 100 ms): {}",
        if leader_p95 < 100.0 && office_p95 < 100.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}
