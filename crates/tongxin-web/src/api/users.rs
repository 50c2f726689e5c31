//! Users as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tongxin_app::users::{NewUserInput, Page, UserView};

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page<UserView>>, ApiError> {
    Ok(Json(
        st.app
            .list_users(&actor, q.page.unwrap_or(1), q.per_page.unwrap_or(50))
            .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    username: String,
    display_name: String,
    password: String,
    role: String,
    unit: String,
}

pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(b): ApiJson<CreateBody>,
) -> Result<Response, ApiError> {
    let input = NewUserInput {
        username: b.username,
        display_name: b.display_name,
        password: b.password,
        role: b.role,
        unit: b.unit,
    };
    let user = st.app.create_user(Some(&actor), &input).await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveBody {
    active: bool,
    version: i64,
}

pub async fn set_active(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActiveBody>,
) -> Result<Json<UserView>, ApiError> {
    let id = parse_id(&id, "用户")?;
    Ok(Json(
        st.app
            .set_user_active(&actor, id, b.active, b.version)
            .await?,
    ))
}

pub async fn unlock(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<UserView>, ApiError> {
    let id = parse_id(&id, "用户")?;
    Ok(Json(st.app.unlock_user(&actor, id).await?))
}
