//! 财源 as JSON: the overview, the monthly revenue, the settings, the tax import, the
//! guarantee split.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tongxin_app::AppError;
use tongxin_app::indicators::ImportReport;
use tongxin_app::revenue::{GuaranteeSplit, MonthlyInput, RevenueOverview, SettingsInput};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::pages::attachments::read_multipart;

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

pub async fn overview(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<RevenueOverview>, ApiError> {
    Ok(Json(st.app.revenue_overview(&actor, q.year).await?))
}

/// 201 once the month's revenue is kept.
pub async fn monthly(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<MonthlyInput>,
) -> Result<Response, ApiError> {
    st.app.enter_monthly_revenue(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "ok": true }))).into_response())
}

pub async fn settings(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Response, ApiError> {
    st.app.set_revenue_settings(&actor, &input).await?;
    Ok(Json(json!({ "ok": true })).into_response())
}

/// 导入税收数据 (multipart: `file`): 200 with the row-by-row report.
pub async fn import(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let mut form = read_multipart(mp, "file").await?;
    let Some(f) = form.take("file").into_iter().next() else {
        return Err(AppError::field("file", "请选择要导入的.xlsx或.csv文件").into());
    };
    Ok(Json(
        st.app.import_tax_data(&actor, &f.name, &f.bytes).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct AmountQuery {
    #[serde(default)]
    pub amount: String,
}

pub async fn guarantee(
    State(st): State<AppState>,
    CurrentUser(_actor): CurrentUser,
    ApiQuery(q): ApiQuery<AmountQuery>,
) -> Result<Json<GuaranteeSplit>, ApiError> {
    Ok(Json(st.app.guarantee_split(&q.amount)?))
}
