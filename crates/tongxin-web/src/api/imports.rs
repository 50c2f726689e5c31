//! Document import as JSON: parse a text, keep it as a draft, map unknown names, publish.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tongxin_app::imports::{MAX_IMPORT_BYTES, PublishInput};
use tongxin_domain::Permission;

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, CurrentUser};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    text: String,
}

/// Parses without storing anything (the same output as `tongxin doc parse --json`).
pub async fn parse(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(b): ApiJson<TextBody>,
) -> Result<Json<Value>, ApiError> {
    st.app
        .require(&actor, Permission::ImportDocuments, "识别文件")?;
    if b.text.len() > MAX_IMPORT_BYTES {
        return Err(ApiError::bad_request(
            Some("text"),
            format!("文件正文过长，上限为{MAX_IMPORT_BYTES}字节"),
        ));
    }
    let result = tongxin_docparse::parse(&b.text, &st.app.directory());
    Ok(Json(serde_json::to_value(result).unwrap_or_default()))
}

pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(b): ApiJson<TextBody>,
) -> Result<Response, ApiError> {
    let id = st.app.create_import_draft(&actor, &b.text).await?;
    let review = st.app.import_review(&actor, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "id": id, "href": format!("/documents/import/{id}"), "parse": review.result }),
        ),
    )
        .into_response())
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, "导入草稿")?;
    let r = st.app.import_review(&actor, id).await?;
    Ok(Json(json!({
        "id": id,
        "status": r.draft.status,
        "published_as": r.draft.published_as,
        "created_by": r.draft.created_by,
        "created_at": r.draft.created_at,
        "already_in_corpus": r.already_in_corpus,
        "parse": r.result,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasBody {
    name: String,
    unit: String,
}

pub async fn alias(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AliasBody>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "导入草稿")?;
    st.app.import_review(&actor, id).await?;
    let unit = st.app.map_unit_alias(&actor, &b.name, &b.unit).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "alias": b.name.trim(), "unit": unit.id, "unit_name": unit.name })),
    )
        .into_response())
}

pub async fn publish(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PublishInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "导入草稿")?;
    let number = st.app.publish_import(&actor, id, &b).await?;
    let tasks = st.app.draft_tasks(&actor, &number).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "number": number.to_string(), "href": crate::cite::document_href(&number), "draft_tasks": tasks })),
    )
        .into_response())
}
