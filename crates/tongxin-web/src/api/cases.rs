//! Cases as JSON (办件): file, read, act, list; the procedure definitions; the public notice
//! list; the unit's inbox.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tongxin_app::cases::{ActionInput, CaseQuery, CaseSummary, CaseView, NewCaseInput};
use tongxin_app::users::Page;

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    procedure: String,
    #[serde(default)]
    township: Option<String>,
    #[serde(default)]
    data: Map<String, Value>,
    #[serde(default)]
    client_key: Option<String>,
}

/// 201 with the case; a retry with the same `client_key` answers 200 with the case filed first.
pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(b): ApiJson<CreateBody>,
) -> Result<Response, ApiError> {
    let input = NewCaseInput {
        procedure: b.procedure,
        township: b.township,
        data: b.data,
        client_key: b.client_key,
    };
    let (done, created) = st.app.create_case(&actor, &input).await?;
    let case = st.app.case_view(&actor, done.id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(case)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    procedure: Option<String>,
    township: Option<String>,
    village: Option<String>,
    state: Option<String>,
    overdue: Option<bool>,
    deadline: Option<String>,
    due_within: Option<i64>,
    unit: Option<String>,
    year: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page<CaseSummary>>, ApiError> {
    let procedure = q.procedure.unwrap_or_else(|| "homestead".into());
    let query = CaseQuery {
        township: q.township,
        village: q.village,
        state: q.state,
        overdue: q.overdue,
        deadline: q.deadline,
        due_within: q.due_within,
        unit: q.unit,
        year: q.year,
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(st.app.list_cases(&actor, &procedure, &query).await?))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<CaseView>, ApiError> {
    let id = parse_id(&id, "案件")?;
    Ok(Json(st.app.case_view(&actor, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    action: String,
    #[serde(default)]
    data: Map<String, Value>,
    version: i64,
}

pub async fn act(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> Result<Json<CaseView>, ApiError> {
    let id = parse_id(&id, "案件")?;
    let input = ActionInput {
        action: b.action,
        data: b.data,
        version: b.version,
    };
    let done = st.app.act_on_case(&actor, id, &input).await?;
    Ok(Json(st.app.case_view(&actor, done.id).await?))
}

/// The procedure definition: states, actions (the transition table), fields, deadlines with
/// their clauses, documents issued.
pub async fn procedure(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let p = st.app.procedure(&id)?;
    Ok(Json(serde_json::to_value(p).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    procedure: Option<String>,
}

/// 公示: applications in their notice period, names masked, no ID numbers.
pub async fn notices(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<NoticeQuery>,
) -> Result<Json<Value>, ApiError> {
    let procedure = q.procedure.unwrap_or_else(|| "homestead".into());
    let items = st.app.public_notices(&procedure).await?;
    Ok(Json(json!({ "procedure": procedure, "items": items })))
}

/// 待办提醒: deadline warnings for the user's unit.
pub async fn inbox(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let items = st.app.inbox(&actor, 100).await?;
    Ok(Json(json!({ "items": items })))
}
