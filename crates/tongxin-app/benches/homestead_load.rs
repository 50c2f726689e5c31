//! Load benchmark: homestead cases (宅基地审批) driven through the whole procedure by the
//! application layer (`tongxin_app::App`), on SQLite or PostgreSQL.
//!
//! Every transition is one durable commit (SQLite: WAL with synchronous=FULL; PostgreSQL:
//! fsync and synchronous_commit as the server is set). The benchmark files N cases with W
//! concurrent tasks, then takes each of the ten following actions on all of them, moving a
//! manual clock forward where the procedure needs it (the public notice runs at least seven
//! working days). It times the deadline sweep over N open cases, checks at the end that every
//! case is `completed` with its events, documents and inbox messages, and measures the
//! machine's bare commit rate in the same run, so the numbers can be read as a ratio. On
//! PostgreSQL each transition's audit entry commits with it and the store's sealer links it
//! into the chain moments later; the run reports how many were still waiting when the last
//! transition committed, and the checks verify the whole chain.
//!
//! ```text
//! export CARGO_TARGET_DIR=/work/target-bench
//! cargo bench -p tongxin-app --bench homestead_load -- --backend sqlite --cases 2000
//! cargo bench -p tongxin-app --bench homestead_load -- --backend postgres --cases 100000 --workers 8
//! ```
//!
//! `--count-sql` also counts the SQL statements each transition sends (sqlx's statement log,
//! which formats every statement: the rates it prints are lower than without it).

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use chrono::{NaiveDate, TimeZone, Utc};
use clap::{Parser, ValueEnum};
use serde_json::{Map, Value, json};
use sqlx::{ConnectOptions, Connection, Row};
use tokio::sync::Mutex;
use tongxin_app::cases::{ActionInput, NewCaseInput, SweepReport};
use tongxin_app::users::NewUserInput;
use tongxin_app::{Actor, App, AppError, ManualClock, Mode};
use tongxin_domain::ids::resident_id_check_char;
use tongxin_store::CaseFilter;
use tongxin_store::testing::{DEFAULT_PG_URL, TestDb};

const PASSWORD: &str = "Bench-Load-2024!";
const TOWNSHIP: &str = "豫海镇";
const PROCEDURE: &str = "homestead";
/// Transitions per case on the happy path, filing included.
const STEPS_PER_CASE: usize = 11;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Parser)]
#[command(about = "Homestead cases through the whole procedure via tongxin_app::App")]
struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: Backend,
    /// Cases to file and drive to `completed`.
    #[arg(long, default_value_t = 100_000)]
    cases: usize,
    /// Concurrent tasks.
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// Count SQL statements per transition (slows every phase down).
    #[arg(long)]
    count_sql: bool,
    /// Skip the bare-commit and pgbench baselines.
    #[arg(long)]
    no_baseline: bool,
    /// Commits in the bare single-row INSERT baselines.
    #[arg(long, default_value_t = 3000)]
    baseline_commits: usize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Village,
    Township,
}

/// One phase: an action taken on a range of cases (`None`: filing, which submits).
#[derive(Clone)]
struct Phase {
    name: &'static str,
    action: Option<&'static str>,
    who: Who,
    to: &'static str,
    data: Arc<Map<String, Value>>,
}

struct Shared {
    app: App,
    village: Actor,
    township: Actor,
    ids: Vec<AtomicI64>,
    versions: Vec<AtomicI64>,
    stop: AtomicBool,
    first_error: Mutex<Option<String>>,
    done: AtomicUsize,
}

#[derive(Default, Clone)]
struct PhaseStats {
    name: String,
    transitions: usize,
    seconds: f64,
    /// Microseconds per transition, as the caller saw it.
    latencies: Vec<u64>,
    statements: u64,
    /// The machine's CPU time over the phase (this process and the database server).
    cpu: CpuTimes,
}

/// Clock ticks (1/100 s) from /proc: the machine's busy, I/O-wait and total time over all
/// CPUs (first line of /proc/stat), this process's user+system time, and that of every
/// `postgres` process (the server, with any other user's sessions).
#[derive(Debug, Default, Clone, Copy)]
struct CpuTimes {
    busy: u64,
    iowait: u64,
    total: u64,
    own: u64,
    postgres: u64,
}

/// utime + stime of /proc/<pid>/stat, and the command name.
fn proc_ticks(path: &std::path::Path) -> Option<(String, u64)> {
    let text = std::fs::read_to_string(path).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_owned();
    // After the name: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt
    // cmajflt utime(14) stime(15).
    let f: Vec<&str> = text[close + 1..].split_whitespace().collect();
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

fn postgres_ticks() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| proc_ticks(&e.path().join("stat")))
        .filter(|(comm, _)| comm == "postgres")
        .map(|(_, t)| t)
        .sum()
}

impl CpuTimes {
    fn now() -> CpuTimes {
        let Ok(text) = std::fs::read_to_string("/proc/stat") else {
            return CpuTimes::default();
        };
        let v: Vec<u64> = text
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .take(8)
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() < 8 {
            return CpuTimes::default();
        }
        // user nice system idle iowait irq softirq steal
        CpuTimes {
            busy: v[0] + v[1] + v[2] + v[5] + v[6] + v[7],
            iowait: v[4],
            total: v.iter().sum(),
            own: proc_ticks(std::path::Path::new("/proc/self/stat")).map_or(0, |(_, t)| t),
            postgres: postgres_ticks(),
        }
    }

    fn since(self, start: CpuTimes) -> CpuTimes {
        CpuTimes {
            busy: self.busy.saturating_sub(start.busy),
            iowait: self.iowait.saturating_sub(start.iowait),
            total: self.total.saturating_sub(start.total),
            own: self.own.saturating_sub(start.own),
            postgres: self.postgres.saturating_sub(start.postgres),
        }
    }

    fn add(&mut self, o: CpuTimes) {
        self.busy += o.busy;
        self.iowait += o.iowait;
        self.total += o.total;
        self.own += o.own;
        self.postgres += o.postgres;
    }

    /// Milliseconds of CPU per transition: this process, and the PostgreSQL server.
    fn per(self, transitions: usize) -> (f64, f64) {
        let n = transitions.max(1) as f64;
        (10.0 * self.own as f64 / n, 10.0 * self.postgres as f64 / n)
    }

    /// Busy and I/O-wait shares of all cores, in percent.
    fn shares(self) -> (f64, f64) {
        let t = self.total.max(1) as f64;
        (100.0 * self.busy as f64 / t, 100.0 * self.iowait as f64 / t)
    }
}

impl PhaseStats {
    fn rate(&self) -> f64 {
        self.transitions as f64 / self.seconds.max(1e-9)
    }

    fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[i] as f64 / 1000.0
    }

    fn merge(&mut self, other: PhaseStats) {
        self.transitions += other.transitions;
        self.seconds += other.seconds;
        self.latencies.extend(other.latencies);
        self.latencies.sort_unstable();
        self.statements += other.statements;
        self.cpu.add(other.cpu);
    }
}

/// Counts sqlx's per-statement log events (`--count-sql`).
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
    }
}

fn install_statement_counter() -> anyhow::Result<()> {
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    let layer = CountStatements.with_filter(tracing_subscriber::filter::filter_fn(|m| {
        m.target() == "sqlx::query"
    }));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .context("install the statement counter")
}

/// A valid resident ID (GB 11643) from 宁夏同心县 (640324), different for every `i`: birth date
/// 1950-01-01 + i / 1000 days, order code i % 1000 (born before 2024 for `i` below 27 000 000).
fn resident_id(i: usize) -> String {
    let base = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default();
    let birth = base + chrono::Duration::days((i / 1000) as i64);
    let body = format!("640324{}{:03}", birth.format("%Y%m%d"), i % 1000);
    let check = resident_id_check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The application of case `i`: a household of two, 200 m² of irrigated land, two storeys.
fn application(i: usize) -> Map<String, Value> {
    let id = resident_id(i);
    let spouse = resident_id(i + 10_000_000);
    obj(json!({
        "applicant_name": format!("马{i}"),
        "applicant_id": id,
        "members": [
            {"name": format!("马{i}"), "resident_id": id, "relation": "户主"},
            {"name": format!("李{i}"), "resident_id": spouse, "relation": "配偶"},
        ],
        "village": "王团村",
        "village_group": "第三村民小组",
        "land_type": "irrigated",
        "area_m2": 200,
        "storeys": 2,
        "site_description": "东至村道，西至马某宅，南至水渠，北至耕地",
        "coordinates": {"lon": 106.1, "lat": 36.9},
        "application_reason": "分户另建",
        "use_pledge_signed": true,
    }))
}

/// The phases after filing, with the forms their actions take; dates are filled in as the
/// clock moves.
fn phase(
    name: &'static str,
    action: &'static str,
    who: Who,
    to: &'static str,
    data: Value,
) -> Phase {
    Phase {
        name,
        action: Some(action),
        who,
        to,
        data: Arc::new(obj(data)),
    }
}

fn describe(e: &AppError) -> String {
    match e {
        AppError::Validation(fs) => fs
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        e => format!("{e} ({e:?})"),
    }
}

/// Takes phase `p` on case `i`.
async fn step(s: &Shared, p: &Phase, i: usize) -> Result<(), String> {
    let actor = match p.who {
        Who::Village => &s.village,
        Who::Township => &s.township,
    };
    let (view, version) = match p.action {
        None => {
            let input = NewCaseInput {
                procedure: PROCEDURE.into(),
                township: None,
                data: application(i),
                client_key: Some(format!("bench-{i}")),
            };
            let (v, created) = s.app.create_case(actor, &input).await.map_err(|e| {
                format!(
                    "filing case #{i} failed: {}\n  input: {}",
                    describe(&e),
                    Value::Object(input.data.clone())
                )
            })?;
            if !created {
                return Err(format!(
                    "filing case #{i} returned case {} filed before",
                    v.id
                ));
            }
            (v, 0)
        }
        Some(action) => {
            let id = s.ids[i].load(Ordering::Relaxed);
            let version = s.versions[i].load(Ordering::Relaxed);
            let input = ActionInput {
                action: action.into(),
                data: (*p.data).clone(),
                version,
            };
            let v = s.app.act_on_case(actor, id, &input).await.map_err(|e| {
                format!(
                    "“{action}” on case #{i} (id {id}, version {version}, by {:?}, today {}) failed: {}\n  input: {}",
                    p.who,
                    s.app.clock.today(),
                    describe(&e),
                    Value::Object(input.data.clone())
                )
            })?;
            (v, version)
        }
    };
    if view.state != p.to {
        return Err(format!(
            "case #{i} (id {}) is in state “{}” after {}, expected “{}”",
            view.id, view.state, p.name, p.to
        ));
    }
    if p.action.is_some() && view.version != version + 1 {
        return Err(format!(
            "case #{i} (id {}) has version {} after {}, expected {}",
            view.id,
            view.version,
            p.name,
            version + 1
        ));
    }
    s.ids[i].store(view.id, Ordering::Relaxed);
    s.versions[i].store(view.version, Ordering::Relaxed);
    Ok(())
}

/// Runs `p` on cases `from..to` with `workers` tasks; the first error stops every task.
async fn run_phase(
    s: &Arc<Shared>,
    p: &Phase,
    from: usize,
    to: usize,
    workers: usize,
) -> anyhow::Result<PhaseStats> {
    let next = Arc::new(AtomicUsize::new(from));
    s.done.store(0, Ordering::Relaxed);
    let statements = STATEMENTS.load(Ordering::Relaxed);
    let cpu = CpuTimes::now();
    let started = Instant::now();
    let ticker = {
        let s = s.clone();
        let name = p.name;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            tick.tick().await;
            loop {
                tick.tick().await;
                let n = s.done.load(Ordering::Relaxed);
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "  … {name}: {n}/{} in {secs:.0} s ({:.0}/s)",
                    to - from,
                    n as f64 / secs
                );
            }
        })
    };
    let mut tasks = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (s, p, next) = (s.clone(), p.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                if s.stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= to {
                    break;
                }
                let t = Instant::now();
                match step(&s, &p, i).await {
                    Ok(()) => {
                        lat.push(t.elapsed().as_micros() as u64);
                        s.done.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => {
                        s.stop.store(true, Ordering::Relaxed);
                        let mut first = s.first_error.lock().await;
                        if first.is_none() {
                            *first = Some(e);
                        }
                        break;
                    }
                }
            }
            lat
        }));
    }
    let mut latencies = Vec::with_capacity(to - from);
    for t in tasks {
        latencies.extend(t.await.context("a worker panicked")?);
    }
    let seconds = started.elapsed().as_secs_f64();
    ticker.abort();
    if let Some(e) = s.first_error.lock().await.take() {
        bail!("{}: {e}", p.name);
    }
    latencies.sort_unstable();
    Ok(PhaseStats {
        name: p.name.to_owned(),
        transitions: latencies.len(),
        seconds,
        latencies,
        statements: STATEMENTS.load(Ordering::Relaxed) - statements,
        cpu: CpuTimes::now().since(cpu),
    })
}

fn print_phase(st: &PhaseStats, count_sql: bool) {
    let sql = if count_sql {
        format!(
            ", {:.1} SQL statements/transition",
            st.statements as f64 / st.transitions.max(1) as f64
        )
    } else {
        String::new()
    };
    println!(
        "{:<16} {:>8} transitions {:>9.2} s {:>9.1} transitions/s   p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>8.2} ms  machine cpu {:>3.0}% iowait {:>3.0}%  app cpu {:.2} ms/tr  postgres cpu {:.2} ms/tr{sql}",
        st.name,
        st.transitions,
        st.seconds,
        st.rate(),
        st.percentile_ms(0.5),
        st.percentile_ms(0.99),
        st.percentile_ms(1.0),
        st.cpu.shares().0,
        st.cpu.shares().1,
        st.cpu.per(st.transitions).0,
        st.cpu.per(st.transitions).1,
    );
}

/// Moves the clock to 09:00 in the county on `day`.
fn set_day(clock: &ManualClock, app: &App, day: NaiveDate) -> anyhow::Result<()> {
    let today = app.clock.today();
    if day < today {
        bail!("the clock cannot go back from {today} to {day}");
    }
    clock.advance(chrono::Duration::days((day - today).num_days()));
    Ok(())
}

async fn timed_sweep(app: &App, label: &str) -> anyhow::Result<(SweepReport, f64)> {
    let today = app.clock.today();
    let t = Instant::now();
    let r = app
        .sweep(today)
        .await
        .map_err(|e| anyhow!("sweep on {today}: {}", describe(&e)))?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "sweep {label:<28} on {today}: {secs:>8.2} s  examined {} warned {} overdue {} notice_ended {}  ({:.0} deadlines/s)",
        r.examined,
        r.warned,
        r.overdue,
        r.notice_ended,
        r.examined as f64 / secs.max(1e-9)
    );
    Ok((r, secs))
}

// ---------------------------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------------------------

/// Bare single-row INSERT commits on a fresh SQLite file in WAL mode with synchronous=FULL.
async fn sqlite_baseline(n: usize) -> anyhow::Result<f64> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("baseline.db");
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    let sync: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .execute(&mut conn)
        .await?;
    let t = Instant::now();
    for i in 0..n {
        sqlx::query("INSERT INTO t (v) VALUES ($1)")
            .bind(format!("row {i}"))
            .execute(&mut conn)
            .await?;
    }
    let secs = t.elapsed().as_secs_f64();
    let rate = n as f64 / secs;
    println!(
        "baseline SQLite: {n} single-row INSERT commits (journal_mode={mode}, synchronous={sync}) in {secs:.2} s = {rate:.1} commits/s ({:.2} ms each) at {}",
        1000.0 * secs / n as f64,
        path.display()
    );
    conn.close().await?;
    Ok(rate)
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn pg_admin_url() -> String {
    std::env::var("TONGXIN_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_owned())
}

async fn pg_admin(sql: &str) -> anyhow::Result<()> {
    let mut admin = sqlx::PgConnection::connect(&pg_admin_url()).await?;
    sqlx::raw_sql(sql).execute(&mut admin).await?;
    admin.close().await?;
    Ok(())
}

/// Bare single-row INSERT commits on one PostgreSQL connection, and (`with_pgbench`) pgbench's
/// TPC-B.
async fn postgres_baselines(n: usize, with_pgbench: bool) -> anyhow::Result<f64> {
    let name = format!("tongxin_bench_base_{}", std::process::id());
    pg_admin(&format!("DROP DATABASE IF EXISTS {name}")).await?;
    pg_admin(&format!("CREATE DATABASE {name}")).await?;
    let url = with_database(&pg_admin_url(), &name);
    let result = async {
        let mut conn = sqlx::PgConnection::connect(&url).await?;
        let settings: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, setting FROM pg_settings WHERE name IN \
             ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay', 'shared_buffers') ORDER BY name",
        )
        .fetch_all(&mut conn)
        .await?;
        let settings: Vec<String> = settings
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        sqlx::query("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)")
            .execute(&mut conn)
            .await?;
        let t = Instant::now();
        for i in 0..n {
            sqlx::query("INSERT INTO t (v) VALUES ($1)")
                .bind(format!("row {i}"))
                .execute(&mut conn)
                .await?;
        }
        let secs = t.elapsed().as_secs_f64();
        let rate = n as f64 / secs;
        println!(
            "baseline PostgreSQL: {n} single-row INSERT commits on one connection ({}) in {secs:.2} s = {rate:.1} commits/s ({:.2} ms each)",
            settings.join(", "),
            1000.0 * secs / n as f64
        );
        conn.close().await?;
        anyhow::Ok(rate)
    }
    .await;
    let pgbench = if with_pgbench { pgbench(&url) } else { Ok(()) };
    pg_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    if let Err(e) = pgbench {
        println!("baseline pgbench: failed: {e:#}");
    }
    result
}

/// pgbench's TPC-B-like script, 4 clients for 20 s, on a scratch database, if pgbench is here.
fn pgbench(url: &str) -> anyhow::Result<()> {
    let init = ["-i", "-s", "10", "-q", url];
    let run = ["-c", "4", "-j", "2", "-T", "20", url];
    println!(
        "baseline pgbench (TPC-B): pgbench {}  then  pgbench {}",
        init.join(" "),
        run.join(" ")
    );
    if Command::new("pgbench").arg("--version").output().is_err() {
        println!(
            "baseline pgbench: skipped, pgbench is not installed (apt-get install postgresql-client)"
        );
        return Ok(());
    }
    let out = Command::new("pgbench").args(init).output()?;
    if !out.status.success() {
        bail!("pgbench -i: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = Command::new("pgbench").args(run).output()?;
    if !out.status.success() {
        bail!("pgbench: {}", String::from_utf8_lossy(&out.stderr));
    }
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.starts_with("tps")
            || line.starts_with("latency average")
            || line.starts_with("number of transactions actually processed")
            || line.starts_with("scaling factor")
        {
            println!("baseline pgbench: {line}");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

async fn count(pool: &sqlx::AnyPool, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query(sql).fetch_one(pool).await?.try_get(0)?)
}

async fn login(app: &App, username: &str, role: &str) -> anyhow::Result<Actor> {
    app.create_user(
        None,
        &NewUserInput {
            username: username.into(),
            display_name: format!("压测{role}"),
            password: PASSWORD.into(),
            role: role.into(),
            unit: TOWNSHIP.into(),
        },
    )
    .await
    .map_err(|e| anyhow!("create user {username}: {}", describe(&e)))?;
    Ok(app
        .login(username, PASSWORD, "127.0.0.1")
        .await
        .map_err(|e| anyhow!("login {username}: {}", describe(&e)))?
        .actor)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.cases < 2 || args.workers == 0 {
        bail!("--cases must be at least 2 and --workers at least 1");
    }
    if args.count_sql {
        install_statement_counter()?;
    }
    let backend = match args.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!(
        "homestead_load: {backend}, {} cases, {} workers, {} cores{}",
        args.cases,
        args.workers,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if args.count_sql {
            ", counting SQL statements"
        } else {
            ""
        }
    );

    // Bare commit rates before the run, and again after it (the disk's fsync time varies).
    let mut baseline: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    if !args.no_baseline {
        baseline
            .entry("sqlite")
            .or_default()
            .push(sqlite_baseline(args.baseline_commits).await?);
        if args.backend == Backend::Postgres {
            baseline
                .entry("postgres")
                .or_default()
                .push(postgres_baselines(args.baseline_commits, true).await?);
        }
    }

    // The app on a fresh database, a manual clock and two officials on 豫海镇.
    let db = match args.backend {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres()
            .await
            .ok_or_else(|| anyhow!("no PostgreSQL server at {}", pg_admin_url()))?,
    };
    println!("database: {}", db.url);
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2024, 3, 4, 1, 0, 0)
            .single()
            .context("start time")?,
    ));
    let pack = tongxin_policy::tongxin::pack().map_err(|e| anyhow!("policy pack: {e}"))?;
    let app = App::open(db.store.clone(), pack, clock.clone(), Mode::Production)
        .await
        .map_err(|e| anyhow!("open the app: {}", describe(&e)))?;
    if app.directory().resolve_unit(TOWNSHIP).is_none() {
        bail!("the directory has no {TOWNSHIP}");
    }
    let village = login(&app, "bench-village", "village").await?;
    let township = login(&app, "bench-township", "township").await?;
    let n = args.cases;
    let shared = Arc::new(Shared {
        app: app.clone(),
        village,
        township,
        ids: (0..n).map(|_| AtomicI64::new(0)).collect(),
        versions: (0..n).map(|_| AtomicI64::new(0)).collect(),
        stop: AtomicBool::new(false),
        first_error: Mutex::new(None),
        done: AtomicUsize::new(0),
    });
    let w = args.workers;
    let cal = app.calendar();
    let add_workdays = |d: NaiveDate, k: u32| -> anyhow::Result<NaiveDate> {
        Ok(cal
            .add_workdays(d, k)
            .map_err(|e| anyhow!("calendar: {e}"))?
            .value)
    };

    // Day 0 (Monday 4 March 2024): filing, the group meeting, the villagers' meeting and the
    // start of the seven-working-day public notice.
    let day0 = app.clock.today();
    let d0 = day0.format("%Y-%m-%d").to_string();
    let mut stats: Vec<PhaseStats> = Vec::new();
    let mut sweeps: Vec<(String, SweepReport, f64)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let file = Phase {
        name: "submit (file)",
        action: None,
        who: Who::Village,
        to: "group_meeting",
        data: Arc::new(Map::new()),
    };
    let early = [
        phase(
            "group_pass",
            "group_pass",
            Who::Village,
            "village_review",
            json!({"group_meeting_date": d0, "group_meeting_record": "应到32人，实到29人，一致同意"}),
        ),
        phase(
            "village_pass",
            "village_pass",
            Who::Village,
            "public_notice",
            json!({"villagers_meeting_date": d0, "neighbours_opinion": "相邻权利人无异议",
                   "notice_place": "王团村村务公开栏"}),
        ),
    ];
    for p in std::iter::once(&file).chain(early.iter()) {
        let st = run_phase(&shared, p, 0, n, w).await?;
        print_phase(&st, args.count_sql);
        stats.push(st);
    }

    // Day 1: two weeks later the notice has run (the sweep tells every village so).
    let day1 = day0 + chrono::Duration::days(14);
    set_day(&clock, &app, day1)?;
    let (r, secs) = timed_sweep(&app, "(notice periods ended)").await?;
    if r.notice_ended != n as u64 {
        problems.push(format!(
            "sweep on {day1}: notice_ended {} expected {n}",
            r.notice_ended
        ));
    }
    sweeps.push(("notice periods ended".into(), r, secs));
    let middle = [
        phase(
            "notice_passed",
            "notice_passed",
            Who::Village,
            "township_acceptance",
            json!({"village_opinion": "公示期满无异议，同意上报"}),
        ),
        phase("accept", "accept", Who::Township, "joint_review", json!({})),
        phase(
            "approve",
            "approve",
            Who::Township,
            "approved",
            json!({"review_opinion": "符合村庄规划和用地标准，同意", "site_plan_coordinates": {"lon": 106.1, "lat": 36.9}}),
        ),
    ];
    for p in &middle {
        let st = run_phase(&shared, p, 0, n, w).await?;
        print_phase(&st, args.count_sql);
        stats.push(st);
    }

    // Construction papers: half on day 1, half two working days later, so that on the sweep
    // day the first half is overdue and the second half is in the warning window.
    let apply_start = phase(
        "apply_start",
        "apply_start",
        Who::Village,
        "papers_review",
        json!({"design_source": "catalogue", "construction_contract": "王团村建房合同2024-001",
               "builder_name": "马师傅", "builder_id": resident_id(20_000_000), "quality_pledge": true}),
    );
    let half = n / 2;
    let mut st = run_phase(&shared, &apply_start, 0, half, w).await?;
    let day2 = add_workdays(day1, 2)?;
    set_day(&clock, &app, day2)?;
    st.merge(run_phase(&shared, &apply_start, half, n, w).await?);
    print_phase(&st, args.count_sql);
    stats.push(st);

    // The sweep over N open cases with a running ten-working-day papers review.
    let due_first = add_workdays(day1, 10)?;
    let sweep_day = add_workdays(due_first, 1)?;
    set_day(&clock, &app, sweep_day)?;
    let (r, secs) = timed_sweep(&app, "(papers review: warn/overdue)").await?;
    let expected = SweepReport {
        examined: n as u64,
        warned: (n - half) as u64,
        overdue: half as u64,
        notice_ended: 0,
        // The plans' task reminders are the supervision ledger's, and the units' digests the
        // notifications', not measured here.
        digests: r.digests,
        tasks: r.tasks,
    };
    if r != expected {
        problems.push(format!(
            "sweep on {sweep_day}: {r:?}, expected {expected:?}"
        ));
    }
    sweeps.push(("papers review: warn/overdue".into(), r, secs));
    let (r, secs) = timed_sweep(&app, "(again, same day)").await?;
    if r != SweepReport::default() {
        problems.push(format!(
            "second sweep on {sweep_day} found something new: {r:?}"
        ));
    }
    sweeps.push(("again, same day".into(), r, secs));

    // The rest, on the sweep day.
    let ds = sweep_day.format("%Y-%m-%d").to_string();
    let late = [
        phase(
            "consent_start",
            "consent_start",
            Who::Township,
            "start_inspection",
            json!({"papers_opinion": "开工资料齐全，同意开工"}),
        ),
        phase(
            "inspect_start",
            "inspect_start",
            Who::Township,
            "under_construction",
            json!({"inspection_date": ds, "position_confirmed": true, "inspection_record": "已现场放线，四至与批准一致"}),
        ),
        phase(
            "apply_completion",
            "apply_completion",
            Who::Village,
            "completion_inspection",
            json!({"completion_date": ds}),
        ),
        phase(
            "pass_completion",
            "pass_completion",
            Who::Township,
            "completed",
            json!({"inspection_date": ds, "built_area_m2": 198.5,
                   "acceptance_participants": "马某（村民）、马师傅（施工负责人）、王某（技术人员）",
                   "acceptance_opinion": "按批准面积和层数建设，验收合格"}),
        ),
    ];
    for p in &late {
        let st = run_phase(&shared, p, 0, n, w).await?;
        print_phase(&st, args.count_sql);
        stats.push(st);
    }
    // On PostgreSQL audit entries are sealed into the chain after their transactions commit:
    // how far behind the sealer was when the last transition committed.
    let t = Instant::now();
    let behind = app.store.seal_audit().await?;
    println!(
        "audit sealer: {behind} entries still pending after the last transition, sealed in {:.3} s",
        t.elapsed().as_secs_f64()
    );

    // Verification: every case completed, with its events, documents and messages.
    let (_, completed) = app
        .store
        .list_cases(&CaseFilter {
            procedure: PROCEDURE.into(),
            states: Some(vec!["completed".into()]),
            limit: 1,
            ..CaseFilter::default()
        })
        .await?;
    let (_, all) = app
        .store
        .list_cases(&CaseFilter {
            procedure: PROCEDURE.into(),
            limit: 1,
            ..CaseFilter::default()
        })
        .await?;
    let pool = sqlx::AnyPool::connect(&db.url).await?;
    let checks = [
        ("cases completed", completed, n as i64),
        ("cases in all", all, n as i64),
        (
            "events",
            count(&pool, "SELECT COUNT(*) FROM case_events").await?,
            (n * STEPS_PER_CASE) as i64,
        ),
        (
            "documents",
            count(&pool, "SELECT COUNT(*) FROM case_documents").await?,
            3 * n as i64,
        ),
        (
            "inbox messages",
            count(&pool, "SELECT COUNT(*) FROM inbox").await?,
            2 * n as i64,
        ),
        (
            "deadlines still running",
            count(
                &pool,
                "SELECT COUNT(*) FROM case_deadlines WHERE status = 'running'",
            )
            .await?,
            0,
        ),
        (
            "deadlines met",
            count(
                &pool,
                "SELECT COUNT(*) FROM case_deadlines WHERE status = 'met'",
            )
            .await?,
            4 * n as i64,
        ),
        (
            "case audit entries",
            count(
                &pool,
                "SELECT COUNT(*) FROM audit_log WHERE object LIKE 'case:%'",
            )
            .await?,
            (n * STEPS_PER_CASE) as i64,
        ),
    ];
    for (what, got, want) in checks {
        println!("check {what:<24} {got:>9} (expected {want})");
        if got != want {
            problems.push(format!("{what}: {got}, expected {want}"));
        }
    }
    match app.store.verify_audit().await? {
        Ok(k) => println!("check audit hash chain      intact over {k} entries"),
        Err(b) => problems.push(format!("audit chain broken: {b:?}")),
    }
    let size = match args.backend {
        Backend::Sqlite => {
            let path = db.url.trim_start_matches("sqlite://");
            let len = |p: String| std::fs::metadata(p).map_or(0, |m| m.len());
            len(path.to_owned()) + len(format!("{path}-wal"))
        }
        Backend::Postgres => {
            count(&pool, "SELECT pg_database_size(current_database())").await? as u64
        }
    };
    // Where the bytes go: the text columns that grow with every transition.
    for (what, sql) in [
        (
            "case_events.clauses",
            "SELECT COALESCE(SUM(OCTET_LENGTH(clauses)), 0) FROM case_events",
        ),
        (
            "case_events.data",
            "SELECT COALESCE(SUM(OCTET_LENGTH(data)), 0) FROM case_events",
        ),
        (
            "cases.data",
            "SELECT COALESCE(SUM(OCTET_LENGTH(data)), 0) FROM cases",
        ),
        (
            "audit_log (all text)",
            "SELECT COALESCE(SUM(OCTET_LENGTH(summary) + OCTET_LENGTH(object) + OCTET_LENGTH(hash) + OCTET_LENGTH(prev_hash) + OCTET_LENGTH(at)), 0) FROM audit_log",
        ),
        (
            "inbox.message",
            "SELECT COALESCE(SUM(OCTET_LENGTH(message)), 0) FROM inbox",
        ),
    ] {
        match count(&pool, sql).await {
            Ok(b) => println!(
                "bytes {what:<22} {:>8.1} MiB ({:.0} bytes per case)",
                b as f64 / 1048576.0,
                b as f64 / n as f64
            ),
            Err(e) => println!("bytes {what}: {e}"),
        }
    }
    pool.close().await;
    println!(
        "database size: {:.1} MiB ({:.1} KiB per case)",
        size as f64 / 1048576.0,
        size as f64 / 1024.0 / n as f64
    );

    // Summary.
    let total_tr: usize = stats.iter().map(|s| s.transitions).sum();
    let total_s: f64 = stats.iter().map(|s| s.seconds).sum();
    let total_rate = total_tr as f64 / total_s;
    println!();
    println!("## {backend}: {n} cases, {w} workers");
    println!();
    println!(
        "| phase | transitions | seconds | transitions/s | p50 ms | p99 ms | machine CPU busy % | iowait % | app CPU ms/tr | postgres CPU ms/tr |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut cpu = CpuTimes::default();
    for s in &stats {
        cpu.add(s.cpu);
        println!(
            "| {} | {} | {:.2} | {:.1} | {:.2} | {:.2} | {:.0} | {:.0} | {:.2} | {:.2} |",
            s.name,
            s.transitions,
            s.seconds,
            s.rate(),
            s.percentile_ms(0.5),
            s.percentile_ms(0.99),
            s.cpu.shares().0,
            s.cpu.shares().1,
            s.cpu.per(s.transitions).0,
            s.cpu.per(s.transitions).1,
        );
    }
    println!(
        "| **total** | {total_tr} | {total_s:.2} | **{total_rate:.1}** | | | {:.0} | {:.0} | {:.2} | {:.2} |",
        cpu.shares().0,
        cpu.shares().1,
        cpu.per(total_tr).0,
        cpu.per(total_tr).1,
    );
    for (label, r, secs) in &sweeps {
        println!(
            "| sweep: {label} | {} examined, {} warned, {} overdue, {} notice_ended | {secs:.2} | | | | | | | |",
            r.examined, r.warned, r.overdue, r.notice_ended
        );
    }
    if !args.no_baseline {
        println!("(baselines again, after the run)");
        baseline
            .entry("sqlite")
            .or_default()
            .push(sqlite_baseline(args.baseline_commits).await?);
        if args.backend == Backend::Postgres {
            baseline
                .entry("postgres")
                .or_default()
                .push(postgres_baselines(args.baseline_commits, false).await?);
        }
    }
    for (name, rates) in &baseline {
        let mean = rates.iter().sum::<f64>() / rates.len() as f64;
        let each: Vec<String> = rates.iter().map(|r| format!("{r:.1}")).collect();
        println!(
            "baseline {name}: {} bare commits/s (before, after); the app's total is {:.1}% of their mean",
            each.join(", "),
            100.0 * total_rate / mean
        );
    }
    if args.count_sql {
        let stmts: u64 = stats.iter().map(|s| s.statements).sum();
        println!(
            "SQL statements: {stmts} in all, {:.1} per transition",
            stmts as f64 / total_tr as f64
        );
    }
    if let Some((committed, commits)) = db.store.group_commit_stats() {
        println!(
            "group commit: {committed} write transactions in {commits} COMMITs ({:.1} per COMMIT)",
            committed as f64 / commits.max(1) as f64
        );
    }
    drop(app);
    drop(shared);
    db.store.close().await;
    if !problems.is_empty() {
        for p in &problems {
            println!("PROBLEM: {p}");
        }
        bail!("{} problems", problems.len());
    }
    println!("all {n} cases completed");
    Ok(())
}
