//! Errors as the web shows them.
//!
//! | variant                         | status | shown as                                   |
//! |---------------------------------|--------|--------------------------------------------|
//! | `AppError::Validation`          | 422    | each field's message beside the field      |
//! | malformed body / query          | 400    | what was wrong, naming the field           |
//! | `Unauthenticated`               | 401    | API: JSON; pages: redirect to /login       |
//! | `InvalidCredentials`            | 401    | 用户名或密码错误                            |
//! | `Locked`                        | 423    | until when                                 |
//! | `Disabled`, `Forbidden`         | 403    | what was refused and which role may do it  |
//! | `NotFound`                      | 404    |                                            |
//! | `Conflict`, `ModeMismatch`      | 409    | what changed                               |
//! | store and internal errors       | 500    | a request id; the cause is logged once     |

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use tongxin_app::AppError;
use tongxin_domain::FieldError;

/// An error from a JSON API route.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: vec![],
        }
    }

    pub fn bad_request(field: Option<&str>, message: impl Into<String>) -> Self {
        let message = message.into();
        let fields = field
            .map(|f| vec![FieldError::new(f, message.clone())])
            .unwrap_or_default();
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message,
            fields,
        }
    }
}

/// A short id to quote when reporting an unexpected error.
fn request_id() -> String {
    tongxin_app::auth::random_token()[..12].to_owned()
}

pub fn classify(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        AppError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
        AppError::Locked { .. } => (StatusCode::LOCKED, "locked"),
        AppError::Disabled => (StatusCode::FORBIDDEN, "disabled"),
        AppError::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Conflict(_) | AppError::ModeMismatch { .. } => (StatusCode::CONFLICT, "conflict"),
        AppError::Store(_) | AppError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let (status, code) = classify(&e);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            let id = request_id();
            tracing::error!(request.id = %id, error = %e, "unexpected error");
            return ApiError::new(
                status,
                code,
                format!("服务器内部错误，请联系管理员并提供请求编号 {id}"),
            );
        }
        let fields = match &e {
            AppError::Validation(f) => f.clone(),
            _ => vec![],
        };
        ApiError {
            status,
            code,
            message: e.to_string(),
            fields,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields: Vec<_> = self
            .fields
            .iter()
            .map(|f| json!({ "field": f.field, "message": f.message }))
            .collect();
        let body =
            json!({ "error": { "code": self.code, "message": self.message, "fields": fields } });
        (self.status, Json(body)).into_response()
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: crate::pages::Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

/// An error from an HTML page route.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        let api = ApiError::from(e);
        PageError {
            status: api.status,
            message: api.message,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.status, &self.message)
    }
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::UNAUTHORIZED => "请先登录",
        StatusCode::CONFLICT => "操作冲突",
        StatusCode::METHOD_NOT_ALLOWED => "请求方式不支持",
        s if s.is_server_error() => "服务器内部错误",
        _ => "请求有误",
    };
    let page = ErrorPage {
        layout: crate::pages::Layout::bare(heading),
        status: status.as_u16(),
        heading: heading.to_owned(),
        message: message.to_owned(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_owned()).into_response(),
    }
}
