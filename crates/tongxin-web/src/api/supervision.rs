//! 督查督办 as JSON: tasks in the caller's scope, a task with its periods and reports, filing
//! and reviewing reports, escalation, and a task's status.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tongxin_app::plan_views::{CampaignView, EventItem, GroupDetail, GroupView, UnitOwed};
use tongxin_app::supervision::{
    Bulletin, EscalationInput, ProblemInput, ProblemQuery, ProblemStepInput, ProblemView,
    ReportInput, ReviewInput, TaskQuery, TaskSummary, TaskView, WeightsInput,
};
use tongxin_app::users::Page;

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> Result<Json<Page<TaskSummary>>, ApiError> {
    Ok(Json(st.app.list_tasks(&actor, &q).await?))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<TaskView>, ApiError> {
    let id = parse_id(&id, "督办任务")?;
    Ok(Json(st.app.task_view(&actor, id).await?))
}

/// 201 with the report as filed (its period, whether late).
pub async fn file_report(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "督办任务")?;
    let r = st.app.file_report(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

pub async fn review(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "报送")?;
    st.app.review_report(&actor, id, &input).await?;
    Ok(Json(json!({ "ok": true })).into_response())
}

pub async fn escalate(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EscalationInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "督办任务")?;
    let e = st.app.escalate(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: String,
    version: i64,
}

pub async fn set_status(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "督办任务")?;
    let s = st
        .app
        .set_task_status(&actor, id, &b.status, b.version)
        .await?;
    Ok(Json(json!({ "status": s, "status_label": s.label() })).into_response())
}

pub async fn problems(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<ProblemQuery>,
) -> Result<Json<Page<ProblemView>>, ApiError> {
    Ok(Json(st.app.list_problems(&actor, &q).await?))
}

pub async fn problem(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ProblemView>, ApiError> {
    let id = parse_id(&id, "问题")?;
    Ok(Json(st.app.problem(&actor, id).await?))
}

/// 201 with the problem as raised.
pub async fn raise_problem(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<ProblemInput>,
) -> Result<Response, ApiError> {
    let p = st.app.raise_problem(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

pub async fn problem_step(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProblemStepInput>,
) -> Result<Json<ProblemView>, ApiError> {
    let id = parse_id(&id, "问题")?;
    Ok(Json(st.app.problem_step(&actor, id, &input).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinQuery {
    period: Option<String>,
}

/// 季通报 / 年评优 for `?period=2024Q1` (or `2024`, `2024-03`).
pub async fn bulletin(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<BulletinQuery>,
) -> Result<Json<Bulletin>, ApiError> {
    let period = q.period.unwrap_or_default();
    Ok(Json(st.app.bulletin(&actor, &period).await?))
}

/// 201 with the weights as set.
pub async fn set_weights(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<WeightsInput>,
) -> Result<Response, ApiError> {
    let w = st.app.set_weights(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(w)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct LeaderQuery {
    #[serde(default)]
    pub leader: Option<String>,
}

/// 产业链 (by chief with `?leader=`).
pub async fn chains(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<LeaderQuery>,
) -> Result<Json<Vec<GroupView>>, ApiError> {
    Ok(Json(
        st.app.groups(&actor, "chain", q.leader.as_deref()).await?,
    ))
}

pub async fn chain(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<GroupDetail>, ApiError> {
    Ok(Json(st.app.group_detail(&actor, "chain", &key).await?))
}

pub async fn campaign(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<CampaignView>, ApiError> {
    Ok(Json(st.app.campaign(&actor).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct UnitQuery {
    #[serde(default)]
    pub unit: Option<String>,
}

pub async fn festival(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> Result<Json<Vec<EventItem>>, ApiError> {
    let unit = match q.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => Some(
            st.app
                .directory()
                .resolve_unit(u)
                .map(|x| x.id.0.clone())
                .ok_or_else(|| {
                    tongxin_app::AppError::field("unit", format!("单位“{u}”不在组织机构中"))
                })?,
        ),
        None => None,
    };
    Ok(Json(st.app.festival(&actor, unit.as_deref()).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub per_page: Option<i64>,
}

pub async fn unit_owed(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(unit): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<UnitOwed>, ApiError> {
    Ok(Json(
        st.app
            .unit_owed(&actor, &unit, q.page.unwrap_or(1), q.per_page.unwrap_or(50))
            .await?,
    ))
}

/// 201 with the task made (the same `client_key` again: the same task, 201 as well).
pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<tongxin_app::task_entry::NewTaskInput>,
) -> Result<Response, ApiError> {
    let t = st.app.create_task(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}
