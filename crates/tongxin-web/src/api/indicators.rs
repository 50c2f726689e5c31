//! 指标 as JSON: the overview, an indicator with its values, entering and reviewing a value.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tongxin_app::AppError;
use tongxin_app::indicators::{
    ImportReport, IndicatorSummary, IndicatorView, ValueInput, ValueReviewInput,
};

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, CurrentUser};
use crate::pages::attachments::read_multipart;

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

/// 导入 (multipart: `file`, `confirm`): 200 with the row-by-row report.
pub async fn import(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let mut form = read_multipart(mp, "file").await?;
    let confirm = matches!(form.field("confirm"), "1" | "true");
    let Some(f) = form.take("file").into_iter().next() else {
        return Err(AppError::field("file", "请选择要导入的.xlsx或.csv文件").into());
    };
    Ok(Json(
        st.app
            .import_indicator_values(&actor, &code, &f.name, &f.bytes, confirm)
            .await?,
    ))
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
