//! The JSON API under /api/v1: everything the pages do, for scripts and other systems.

pub mod audit;
pub mod calendar;
pub mod cases;
pub mod chains;
pub mod dishonesty;
pub mod field;
pub mod imports;
pub mod indicators;
pub mod invest;
pub mod land;
pub mod notifications;
pub mod policies;
pub mod reports;
pub mod revenue;
pub mod session;
pub mod supervision;
pub mod units;
pub mod users;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;

/// 200 when the database answers, 503 when it does not.
pub async fn healthz(State(st): State<AppState>) -> Response {
    match st.app.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok", "database": st.app.store.backend().name() }))
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "message": "数据库无响应" })),
            )
                .into_response()
        }
    }
}

/// Parses a path id; a non-number is simply a user that does not exist.
pub(crate) fn parse_id(id: &str, what: &str) -> Result<i64, crate::error::ApiError> {
    id.parse().map_err(|_| {
        crate::error::ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what}“{id}”不存在"),
        )
    })
}
