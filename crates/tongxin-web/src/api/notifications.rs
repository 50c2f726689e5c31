//! 通知推送 as JSON: the units' channels and the deliveries with their attempts (system
//! administrator), and each user's own e-mail subscription.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tongxin_app::notify::{ChannelInput, ChannelView, DeliveryView, PrefsInput, PrefsView};
use tongxin_store::notify::DeliveryFilter;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

#[derive(Debug, Default, Deserialize)]
pub struct DeliveryQuery {
    pub status: Option<String>,
    pub unit: Option<String>,
    pub page: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Deliveries {
    pub items: Vec<DeliveryView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

const PER_PAGE: i64 = 50;

pub async fn deliveries(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> Result<Json<Deliveries>, ApiError> {
    let page = q.page.unwrap_or(1).max(1);
    let (items, total) = st
        .app
        .notification_deliveries(
            &actor,
            &DeliveryFilter {
                status: q.status.filter(|s| !s.is_empty()),
                unit_id: q.unit.filter(|s| !s.is_empty()),
                limit: PER_PAGE,
                offset: (page - 1) * PER_PAGE,
            },
        )
        .await?;
    Ok(Json(Deliveries {
        items,
        total,
        page,
        per_page: PER_PAGE,
    }))
}

pub async fn retry(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    st.app.retry_notification(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn channels(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<ChannelView>>, ApiError> {
    Ok(Json(st.app.notification_channels(&actor).await?))
}

pub async fn add_channel(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<Response, ApiError> {
    let id = st.app.add_channel(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EnabledInput {
    pub enabled: bool,
    pub version: i64,
}

pub async fn set_enabled(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EnabledInput>,
) -> Result<StatusCode, ApiError> {
    st.app
        .set_channel_enabled(&actor, id, input.version, input.enabled)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 发送测试消息: the delivery queued (its attempts under /api/v1/notifications/deliveries).
pub async fn test_channel(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let delivery = st.app.send_channel_test(&actor, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "delivery": delivery })),
    )
        .into_response())
}

pub async fn my_prefs(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<PrefsView>, ApiError> {
    Ok(Json(st.app.my_prefs(&actor).await?))
}

pub async fn save_prefs(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<PrefsInput>,
) -> Result<Json<PrefsView>, ApiError> {
    st.app.save_prefs(&actor, &input).await?;
    Ok(Json(st.app.my_prefs(&actor).await?))
}
