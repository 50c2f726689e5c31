//! Extractors that turn bad input into Chinese messages naming the field, instead of axum's
//! English rejections: [`ApiJson`], [`ApiQuery`], plus the session and client address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use tongxin_app::Actor;

use crate::Session;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "tongxin_session";
pub const LOGIN_CSRF_COOKIE: &str = "tongxin_login_csrf";

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value for a session (or login-CSRF) cookie; empty value + Max-Age=0 clears.
pub fn set_cookie(name: &str, value: &str, path: &str, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax");
    if value.is_empty() {
        c.push_str("; Max-Age=0");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// The peer's address (not X-Forwarded-For: behind a proxy, configure the proxy to log).
pub fn client_ip(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The logged-in user; routes that require one only run when the middleware found one.
pub struct CurrentUser(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Session>() {
            Some(Session(Some(a))) => Ok(CurrentUser(a.clone())),
            _ => Err(ApiError::from(tongxin_app::AppError::Unauthenticated)),
        }
    }
}

/// The user if logged in.
pub struct MaybeUser(pub Option<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(
            parts.extensions.get::<Session>().and_then(|s| s.0.clone()),
        ))
    }
}

/// The client's address as a handler argument.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientIp(ip))
    }
}

/// Translates serde's English into Chinese, naming the field.
fn describe<E: std::fmt::Display>(path: &str, inner: &E) -> (Option<String>, String) {
    let msg = inner.to_string();
    let field = (!path.is_empty() && path != ".").then(|| path.to_owned());
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let full = match &field {
            Some(p) => format!("{p}.{name}"),
            None => name.to_owned(),
        };
        return (Some(full.clone()), format!("缺少字段“{full}”"));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (Some(name.to_owned()), format!("不认识的字段“{name}”"));
    }
    let shown = field.clone().unwrap_or_else(|| "请求体".into());
    if msg.starts_with("invalid type")
        || msg.starts_with("invalid value")
        || msg.starts_with("invalid digit")
        || msg.contains("expected")
    {
        let expected = msg
            .split("expected ")
            .nth(1)
            .map(|e| e.split(" at line").next().unwrap_or(e))
            .unwrap_or("");
        let kind = match expected {
            e if e.contains("string") => "文本",
            e if e.contains("bool") => "true 或 false",
            e if e.contains("i64")
                || e.contains("integer")
                || e.contains("u32")
                || e.contains("i32") =>
            {
                "整数"
            }
            e if e.contains("map") || e.contains("struct") => "JSON 对象",
            e if e.contains("sequence") => "数组",
            _ => "正确类型的值",
        };
        return (field, format!("字段“{shown}”的值类型不对：应为{kind}"));
    }
    if msg.contains("invalid digit") || msg.contains("cannot parse") {
        return (field, format!("字段“{shown}”应为整数"));
    }
    (field, format!("字段“{shown}”无效：{msg}"))
}

/// A JSON body, refused in Chinese when malformed (400) or not JSON (415).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "请求体过大或读取失败",
                )
            })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(de) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => {
                let inner = e.inner();
                if inner.is_syntax() || inner.is_eof() {
                    return Err(ApiError::bad_request(
                        None,
                        format!(
                            "请求体不是有效的 JSON（第{}行第{}列）",
                            inner.line(),
                            inner.column()
                        ),
                    ));
                }
                let (field, message) = describe(&e.path().to_string(), inner);
                Err(ApiError::bad_request(field.as_deref(), message))
            }
        }
    }
}

/// Query parameters, refused in Chinese naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(q));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let (field, message) = describe(&e.path().to_string(), e.inner());
                ApiError::bad_request(field.as_deref(), message)
            })
    }
}

fn form_urlencoded_parse(q: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(q.as_bytes())
}

/// A page form's fields. A body that is not a form is refused with a Chinese page (400), not
/// axum's English rejection; repeated names keep the last value.
pub struct PageForm(pub std::collections::HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for PageForm {
    type Rejection = crate::error::PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = |m: &str| crate::error::PageError {
            status: StatusCode::BAD_REQUEST,
            message: m.to_owned(),
        };
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(bad("提交的内容不是表单，请从页面上的表单提交"));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| bad("提交的内容过大或读取失败"))?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| bad("表单格式不对"))?;
        Ok(PageForm(pairs.into_iter().collect()))
    }
}
