//! 失信名单 (临时用地, 同政办规发〔2023〕7号 第二十四条): the department's list and entries, and the
//! public part.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tongxin_app::dishonesty::ListingInput;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, CurrentUser};

/// 201 with the entry, its last day in force computed from the rule (five years).
pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<ListingInput>,
) -> Result<Response, ApiError> {
    let entry = st.app.add_listing(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(entry)).into_response())
}

/// Every entry, lapsed ones included, with the subject's code or ID number.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let items = st.app.listings(&actor).await?;
    Ok(Json(json!({ "items": items })))
}

/// The entries in force today: individuals' names masked, no ID numbers.
pub async fn public(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    let items = st.app.public_listings().await?;
    let citation = st.app.dishonesty_citation(st.app.clock.today());
    Ok(Json(json!({ "citation": citation, "items": items })))
}
