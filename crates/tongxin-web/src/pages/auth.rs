//! 登录 and 退出. The login form is protected against login CSRF by a double-submit cookie.

use askama::Template;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use tongxin_app::AppError;

use super::{Layout, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{
    ClientIp, CurrentUser, LOGIN_CSRF_COOKIE, PageForm, SESSION_COOKIE, cookie, set_cookie,
};

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub username: String,
    pub next: String,
    pub csrf: String,
    pub error: Option<String>,
    pub first_run: bool,
}

/// Only same-site paths are followed after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/workbench".to_owned(),
    }
}

async fn login_page(
    st: &AppState,
    username: String,
    next: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let csrf = tongxin_app::auth::random_token();
    let first_run = st
        .app
        .store
        .user_count()
        .await
        .map(|n| n == 0)
        .unwrap_or(false);
    let mut layout = Layout::bare("登录");
    layout.demo = st.app.mode == tongxin_app::Mode::Demo;
    let page = LoginPage {
        layout,
        username,
        next,
        csrf: csrf.clone(),
        error,
        first_run,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, &csrf, "/login", st.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn login_form(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let next = safe_next(q.get("next").map(String::as_str));
    login_page(&st, String::new(), next, None, StatusCode::OK).await
}

pub async fn login_submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    PageForm(form): PageForm,
) -> Response {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (username, password, next) = (
        get("username"),
        get("password"),
        safe_next(form.get("next").map(String::as_str)),
    );
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != get("csrf") {
        let msg = "登录页已过期，请重新输入（安全令牌不符）".to_owned();
        return login_page(&st, username, next, Some(msg), StatusCode::FORBIDDEN).await;
    }
    if username.trim().is_empty() || password.is_empty() {
        let msg = if username.trim().is_empty() {
            "请输入用户名"
        } else {
            "请输入密码"
        };
        return login_page(
            &st,
            username,
            next,
            Some(msg.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match st.app.login(&username, &password, &ip).await {
        Ok(outcome) => {
            let mut res = Redirect::to(&next).into_response();
            let c = set_cookie(SESSION_COOKIE, &outcome.token, "/", st.secure_cookies);
            if let Ok(v) = c.parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Ok(v) = set_cookie(LOGIN_CSRF_COOKIE, "", "/login", st.secure_cookies).parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e @ (AppError::InvalidCredentials | AppError::Locked { .. } | AppError::Disabled)) => {
            let status = crate::error::classify(&e).0;
            login_page(&st, username, next, Some(e.to_string()), status).await
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

pub async fn logout(State(st): State<AppState>, CurrentUser(actor): CurrentUser) -> Response {
    if let Err(e) = st.app.logout(&actor).await {
        return PageError::from(e).into_response();
    }
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", "/", st.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_same_site_paths_are_followed_after_login() {
        assert_eq!(super::safe_next(Some("/units")), "/units");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "units"] {
            assert_eq!(super::safe_next(Some(bad)), "/workbench", "{bad}");
        }
        assert_eq!(super::safe_next(None), "/workbench");
    }
}
