//! POST /api/v1/session logs in (sets the cookie, returns the CSRF token for later writes);
//! GET answers who is logged in; DELETE logs out.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tongxin_app::Actor;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ClientIp, CurrentUser, SESSION_COOKIE, set_cookie};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    username: String,
    password: String,
}

#[derive(Serialize)]
pub struct SessionView {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub role_label: &'static str,
    pub unit: String,
    pub unit_name: String,
    pub scope: &'static str,
    pub csrf_token: String,
    pub demo: bool,
}

fn view(st: &AppState, a: &Actor) -> SessionView {
    SessionView {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role.code().to_owned(),
        role_label: a.role.label(),
        unit: a.unit.0.clone(),
        unit_name: st
            .app
            .directory()
            .get(a.unit.as_str())
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        scope: a.role.scope().label(),
        csrf_token: a.csrf_token.clone(),
        demo: a.is_demo,
    }
}

pub async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    if body.username.trim().is_empty() {
        return Err(ApiError::bad_request(Some("username"), "用户名不能为空"));
    }
    if body.username.chars().count() > 64 {
        return Err(ApiError::bad_request(
            Some("username"),
            "用户名不能超过64个字符",
        ));
    }
    if body.password.is_empty() {
        return Err(ApiError::bad_request(Some("password"), "密码不能为空"));
    }
    if body.password.chars().count() > tongxin_domain::account::PASSWORD_MAX_CHARS {
        return Err(ApiError::bad_request(
            Some("password"),
            "密码不能超过128个字符",
        ));
    }
    let outcome = st.app.login(&body.username, &body.password, &ip).await?;
    let mut res = Json(view(&st, &outcome.actor)).into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, &outcome.token, "/", st.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

pub async fn current(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Json<SessionView> {
    Json(view(&st, &actor))
}

pub async fn logout(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, ApiError> {
    st.app.logout(&actor).await?;
    let mut res = axum::http::StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", "/", st.secure_cookies).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
