//! 指标 as JSON: the overview, an indicator with its values, entering and reviewing a value.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tongxin_app::indicators::{IndicatorSummary, IndicatorView, ValueInput, ValueReviewInput};

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, CurrentUser};

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<IndicatorSummary>>, ApiError> {
    Ok(Json(st.app.list_indicators(&actor).await?))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
) -> Result<Json<IndicatorView>, ApiError> {
    Ok(Json(st.app.indicator_view(&actor, &code).await?))
}

/// 201 with the value as entered.
pub async fn enter(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<ValueInput>,
) -> Result<Response, ApiError> {
    let v = st.app.enter_indicator_value(&actor, &code, &input).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub async fn review(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ValueReviewInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "指标数据")?;
    st.app.review_indicator_value(&actor, id, &input).await?;
    Ok(Json(json!({ "ok": true })).into_response())
}
