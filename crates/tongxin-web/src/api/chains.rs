//! 产业链与招商 as JSON: the chains with their status, a chain's map and lists, the enterprise
//! register and 链主 steps, the investment pipeline board. Investment leads and projects
//! themselves are cases: `/api/v1/cases?procedure=investment`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use tongxin_app::chains::{
    BoardColumn, ChainCard, ChainDetail, ChainItemInput, EnterpriseInput, EnterpriseView,
    MasterStepInput,
};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

fn id_of(id: &str, what: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| {
        ApiError::from(tongxin_app::AppError::NotFound {
            what: format!("{what}“{id}”"),
        })
    })
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<ChainCard>>, ApiError> {
    Ok(Json(st.app.chain_cards(&actor).await?))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<ChainDetail>, ApiError> {
    Ok(Json(st.app.chain_detail(&actor, &key).await?))
}

/// 201 with the item's id.
pub async fn add_item(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<ChainItemInput>,
) -> Result<Response, ApiError> {
    let id = st.app.add_chain_item(&actor, &key, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ItemStatus {
    pub open: bool,
    pub version: i64,
}

pub async fn set_item(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ItemStatus>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, "清单事项")?;
    st.app
        .set_chain_item_open(&actor, id, input.open, input.version)
        .await?;
    Ok(Json(json!({ "ok": true })).into_response())
}

pub async fn enterprises(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<EnterpriseView>>, ApiError> {
    Ok(Json(st.app.enterprises(&actor).await?))
}

/// 201 with the new enterprise's id.
pub async fn register(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> Result<Response, ApiError> {
    let id = st.app.register_enterprise(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn enterprise(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EnterpriseView>, ApiError> {
    let id = id_of(&id, "企业")?;
    Ok(Json(st.app.enterprise(&actor, id).await?))
}

/// Corrects an enterprise (`version` as read).
pub async fn correct(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, "企业")?;
    st.app.correct_enterprise(&actor, id, &input).await?;
    Ok(Json(json!({ "ok": true })).into_response())
}

/// 201 once the 链主 step is recorded.
pub async fn master_step(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MasterStepInput>,
) -> Result<Response, ApiError> {
    let id = id_of(&id, "企业")?;
    st.app.record_master_step(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "ok": true }))).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    pub chain: Option<String>,
    pub unit: Option<String>,
}

pub async fn board(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> Result<Json<Vec<BoardColumn>>, ApiError> {
    Ok(Json(
        st.app
            .pipeline_board(&actor, q.chain.as_deref(), q.unit.as_deref())
            .await?,
    ))
}

/// 考核参考 (同政办发〔2023〕72号 第十四条): per unit, from the cases the caller sees.
pub async fn figures(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<tongxin_app::chains::UnitFigures>>, ApiError> {
    Ok(Json(st.app.attraction_figures(&actor).await?))
}
