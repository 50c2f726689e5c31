//! The application's errors. Each variant says what went wrong in words an official can act
//! on; the web layer maps each to a status (see tongxin-web's `error.rs`).

use thiserror::Error;
use tongxin_domain::FieldError;
use tongxin_store::StoreError;

#[derive(Debug, Error)]
pub enum AppError {
    /// One or more fields refused; all of them, so the user fixes everything at once.
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Validation(Vec<FieldError>),
    #[error("请先登录")]
    Unauthenticated,
    #[error("用户名或密码错误")]
    InvalidCredentials,
    #[error("账号因连续{attempts}次登录失败已锁定，请于{until}后再试")]
    Locked { attempts: u32, until: String },
    #[error("账号已停用，请联系系统管理员")]
    Disabled,
    #[error("无权{action}：需要{needed}")]
    Forbidden { action: String, needed: String },
    #[error("{what}不存在")]
    NotFound { what: String },
    #[error("{0}")]
    Conflict(String),
    #[error("此数据库为{}库，不能以{}模式启动；演示数据不得混入生产数据库", mode_label(.database), mode_label(.requested))]
    ModeMismatch { database: String, requested: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("内部错误：{0}")]
    Internal(String),
}

fn mode_label(m: &str) -> &'static str {
    if m == "demo" { "演示" } else { "生产" }
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation(vec![e])
    }
}
