//! 保护图层 (临时用地, 同政办规发〔2023〕7号 第五条、第六条): the department imports layers; staff
//! read what is in force, the features a map of a site draws, and a case's overlaps.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tongxin_app::land::LayerInput;
use tongxin_geo::LayerKind;

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

/// 201 with the layer now in force of its kind.
pub async fn import(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<LayerInput>,
) -> Result<Response, ApiError> {
    let layer = st.app.import_land_layer(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(layer)).into_response())
}

/// The layers in force, and the kinds that may be imported.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(_actor): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let items = st.app.land_layers().await?;
    let kinds: Vec<Value> = LayerKind::ALL
        .iter()
        .map(|k| json!({ "kind": k.code(), "label": k.label() }))
        .collect();
    Ok(Json(json!({ "items": items, "kinds": kinds })))
}

#[derive(Deserialize)]
pub struct FeaturesQuery {
    /// `min_lon,min_lat,max_lon,max_lat`
    bbox: String,
}

/// The features of a layer in force within a box, as a GeoJSON feature collection.
pub async fn features(
    State(st): State<AppState>,
    CurrentUser(_actor): CurrentUser,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<FeaturesQuery>,
) -> Result<Json<Value>, ApiError> {
    let nums: Vec<f64> = q
        .bbox
        .split(',')
        .filter_map(|p| p.trim().parse::<f64>().ok())
        .collect();
    let bbox: [f64; 4] = nums.try_into().map_err(|_| {
        ApiError::from(tongxin_app::AppError::field(
            "bbox",
            "“范围”须为 最小经度,最小纬度,最大经度,最大纬度 四个数",
        ))
    })?;
    Ok(Json(st.app.layer_features(&kind, bbox).await?))
}

/// A case's site: boundary, area, and its overlaps with each layer in force.
pub async fn case_land(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "案件")?;
    let land = st.app.case_land(&actor, id).await?;
    Ok(Json(json!({ "site": land })))
}
