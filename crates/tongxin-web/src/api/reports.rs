//! 群众举报 as JSON: a captcha, lodging a report and following it by its receipt number
//! (public); the reports of the official's units and publishing an outcome.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tongxin_app::captcha::Challenge;
use tongxin_app::reports::{OutcomeInput, PublicReportView, ReportInput, ReportQuery, ReportView};
use tongxin_app::users::Page;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, ClientIp, CurrentUser};

pub async fn captcha(State(st): State<AppState>) -> Result<Json<Challenge>, ApiError> {
    Ok(Json(st.app.new_captcha().await?))
}

pub async fn submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Response, ApiError> {
    let r = st.app.submit_report(&input, &ip, &[]).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

/// 公示异议 against a homestead application in its notice period.
pub async fn object(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(number): Path<String>,
    ApiJson(input): ApiJson<tongxin_app::objections::ObjectionInput>,
) -> Result<Response, ApiError> {
    let r = st.app.lodge_objection(&number, &input, &ip).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

pub async fn follow(
    State(st): State<AppState>,
    Path(receipt): Path<String>,
) -> Result<Json<PublicReportView>, ApiError> {
    Ok(Json(st.app.follow_report(&receipt).await?))
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Json<Page<ReportView>>, ApiError> {
    Ok(Json(st.app.citizen_reports(&actor, &q).await?))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(receipt): Path<String>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(st.app.citizen_report(&actor, &receipt).await?))
}

pub async fn publish(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(receipt): Path<String>,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<Json<ReportView>, ApiError> {
    Ok(Json(
        st.app
            .publish_report_outcome(&actor, &receipt, &input)
            .await?,
    ))
}

/// 重点工作进度公开 as JSON.
pub async fn progress(
    State(st): State<AppState>,
) -> Result<Json<Vec<tongxin_app::plan_views::PublicGroup>>, ApiError> {
    Ok(Json(st.app.public_progress().await?))
}
