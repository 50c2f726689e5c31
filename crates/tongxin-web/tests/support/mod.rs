//! A test server: the real router on a fresh SQLite database, a manual clock, and one user per
//! role. Requests go through the router in process (no sockets, no sleeps).

#![allow(dead_code)]

pub mod cases;
pub mod gov_investment;
pub mod land;
pub mod reports;
pub mod temporary_land;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use tongxin_app::users::NewUserInput;
use tongxin_app::{App, ManualClock, Mode};
use tongxin_domain::Role;
use tongxin_store::testing::TestDb;
use tongxin_web::{AppState, router};
use tower::ServiceExt;

pub const PASSWORD: &str = "Tongxin-2026!";

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub user_ids: HashMap<Role, i64>,
    _db: TestDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("tongxin_session=") && !c.contains("Max-Age=0"))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    }
}

/// A logged-in client: its cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Client {
    pub cookie: String,
    pub csrf: String,
}

pub fn username(role: Role) -> String {
    format!("t-{}", role.code().replace('_', "-"))
}

pub fn unit_for(role: Role) -> &'static str {
    match role {
        Role::Department => "自然资源局",
        Role::Township | Role::Village | Role::Applicant => "豫海镇",
        Role::CountyLeader => "county-leadership",
        Role::Supervision => "县委督查室",
        _ => "县人民政府办公室",
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::on(TestDb::sqlite().await).await
    }

    /// The same on a fresh PostgreSQL database, or None (after saying so) without a server
    /// outside CI.
    pub async fn postgres() -> Option<TestApp> {
        Some(Self::on(TestDb::postgres().await?).await)
    }

    /// SQLite always, and PostgreSQL when a server answers (always in CI).
    pub async fn all() -> Vec<TestApp> {
        let mut out = vec![Self::new().await];
        out.extend(Self::postgres().await);
        out
    }

    pub async fn on(db: TestDb) -> TestApp {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 29, 1, 0, 0).unwrap(),
        ));
        let pack = tongxin_policy::tongxin::pack().unwrap();
        let app = App::open(db.store.clone(), pack, clock.clone(), Mode::Production)
            .await
            .unwrap();
        let mut user_ids = HashMap::new();
        for role in Role::ALL {
            let input = NewUserInput {
                username: username(role),
                display_name: format!("测试{}", role.label()),
                password: PASSWORD.into(),
                role: role.code().into(),
                unit: unit_for(role).into(),
            };
            let u = app.create_user(None, &input).await.unwrap();
            user_ids.insert(role, u.id);
        }
        let router = router(AppState {
            app: app.clone(),
            secure_cookies: false,
        });
        TestApp {
            app,
            router,
            clock,
            user_ids,
            _db: db,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        client: Option<&Client>,
        body: Option<(&str, String)>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(c) = client {
            b = b.header(header::COOKIE, &c.cookie);
        }
        let req = match body {
            Some((ct, text)) => b
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(text))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// Posts a multipart body; `parts` are (field, file name — None for a text field, bytes).
    /// The CSRF token goes in a header when `csrf_header`, else the path must carry it.
    pub async fn upload(
        &self,
        c: Option<&Client>,
        path: &str,
        csrf_header: bool,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Reply {
        let boundary = "----tongxin-test-boundary";
        let mut body = Vec::new();
        for (field, name, bytes) in parts {
            let disposition = match name {
                Some(n) => format!(
                    "form-data; name=\"{field}\"; filename=\"{n}\"\r\nContent-Type: application/octet-stream"
                ),
                None => format!("form-data; name=\"{field}\""),
            };
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut b = Request::builder().method(Method::POST).uri(path).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        if let Some(c) = c {
            b = b.header(header::COOKIE, &c.cookie);
            if csrf_header {
                b = b.header("x-csrf-token", &c.csrf);
            }
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&self, path: &str, client: Option<&Client>) -> Reply {
        self.request(Method::GET, path, client, None).await
    }

    /// A JSON write with the client's CSRF header.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        client: Option<&Client>,
        body: &str,
    ) -> Reply {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = client {
            b = b
                .header(header::COOKIE, &c.cookie)
                .header("x-csrf-token", &c.csrf);
        }
        self.send(b.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    pub async fn login_as(&self, name: &str, password: &str) -> Reply {
        let body = serde_json::json!({ "username": name, "password": password }).to_string();
        self.json(Method::POST, "/api/v1/session", None, &body)
            .await
    }

    pub async fn login(&self, role: Role) -> Client {
        let r = self.login_as(&username(role), PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "login as {role:?}: {}", r.body);
        Client {
            cookie: r.session_cookie().expect("session cookie"),
            csrf: r.json()["csrf_token"].as_str().unwrap().to_owned(),
        }
    }
}
