//! What the load scripts share: a deterministic generator, a login through the router, timed
//! GETs and their percentiles.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use tongxin_app::users::NewUserInput;
use tongxin_app::{App, AppError, ManualClock, Mode};
use tongxin_store::testing::TestDb;
use tongxin_web::{AppState, router};
use tower::ServiceExt;

pub const PASSWORD: &str = "Bench-Load-2024!";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What a load script runs on: a fresh database, the app on a clock at 2026-12-01 09:00 in
/// the county, and its router.
pub struct Bench {
    pub db: TestDb,
    pub clock: Arc<ManualClock>,
    pub app: App,
    pub router: Router,
}

/// Opens the app on a fresh database of `backend` and prints what the run is (`what`).
pub async fn open(backend: Backend, what: &str) -> anyhow::Result<Bench> {
    let db = match backend {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres()
            .await
            .ok_or_else(|| anyhow!("no PostgreSQL server"))?,
    };
    println!(
        "{what}, {backend:?}, {} cores; database {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        db.url
    );
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0)
            .single()
            .context("start time")?,
    ));
    let pack = tongxin_policy::tongxin::pack().map_err(|e| anyhow!("policy pack: {e}"))?;
    let app = App::open(db.store.clone(), pack, clock.clone(), Mode::Production)
        .await
        .map_err(|e| anyhow!("open the app: {}", describe(&e)))?;
    let router = router(AppState {
        app: app.clone(),
        secure_cookies: false,
    });
    Ok(Bench {
        db,
        clock,
        app,
        router,
    })
}

/// A small deterministic generator (the same data every run).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub fn describe(e: &AppError) -> String {
    format!("{e:?}")
}

pub async fn send(
    router: &Router,
    req: Request<Body>,
) -> anyhow::Result<(StatusCode, String, Option<String>)> {
    let res = router.clone().oneshot(req).await?;
    let status = res.status();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tongxin_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_owned());
    let body = res.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned(), cookie))
}

/// A new user's session cookie.
pub async fn session(
    app: &App,
    router: &Router,
    username: &str,
    role: &str,
    unit: &str,
) -> anyhow::Result<String> {
    Ok(session_with_csrf(app, router, username, role, unit)
        .await?
        .0)
}

/// A new user's session cookie and CSRF token (for writes through the API).
pub async fn session_with_csrf(
    app: &App,
    router: &Router,
    username: &str,
    role: &str,
    unit: &str,
) -> anyhow::Result<(String, String)> {
    app.create_user(
        None,
        &NewUserInput {
            username: username.into(),
            display_name: format!("压测{role}"),
            password: PASSWORD.into(),
            role: role.into(),
            unit: unit.into(),
        },
    )
    .await
    .map_err(|e| anyhow!("create user {username}: {}", describe(&e)))?;
    let body = serde_json::json!({ "username": username, "password": PASSWORD }).to_string();
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))?;
    let (status, body, cookie) = send(router, req).await?;
    if status != StatusCode::OK {
        bail!("login {username}: {status} {body}");
    }
    let csrf = serde_json::from_str::<serde_json::Value>(&body)?["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Ok((cookie.context("session cookie")?, csrf))
}

/// Times `n` GETs of `path`; fails on anything but 200. Returns sorted durations and the last
/// body's length.
pub async fn measure(
    router: &Router,
    cookie: &str,
    path: &str,
    n: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut times = Vec::with_capacity(n);
    let mut len = 0;
    for _ in 0..n {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())?;
        let t0 = Instant::now();
        let (status, body, _) = send(router, req).await?;
        times.push(t0.elapsed());
        if status != StatusCode::OK {
            bail!(
                "GET {path}: {status} {}",
                body.chars().take(300).collect::<String>()
            );
        }
        len = body.len();
    }
    times.sort();
    Ok((times, len))
}

pub fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn print_row(label: &str, times: &[Duration], len: usize) {
    println!(
        "  {label:<34} n={:<4} p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  ({} KB)",
        times.len(),
        pct(times, 0.5),
        pct(times, 0.95),
        pct(times, 0.99),
        pct(times, 1.0),
        len / 1024
    );
}
