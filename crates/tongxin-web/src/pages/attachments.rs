//! 附件 on the pages and the API: uploading files to a report or a problem (multipart, the
//! CSRF token in the form's address since the body is not read before the handler), and
//! downloading one.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::attachments::{AttachmentView, Upload};

use super::path_id;
use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::CurrentUser;

/// A multipart body read whole: its files (a field with a file name; an empty file choice
/// skipped) by field, and its text fields.
pub struct MultipartForm {
    pub files: Vec<(String, Upload)>,
    pub fields: std::collections::HashMap<String, String>,
}

impl MultipartForm {
    /// The files sent in `field`.
    pub fn take(&mut self, field: &str) -> Vec<Upload> {
        let (mine, rest) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(f, _)| f == field);
        self.files = rest;
        mine.into_iter().map(|(_, u)| u).collect()
    }

    pub fn field(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// Reads a multipart body; an unreadable one is refused naming `field`, the file input.
pub async fn read_multipart(
    mp: Result<Multipart, MultipartRejection>,
    field: &str,
) -> Result<MultipartForm, AppError> {
    let unreadable =
        |e: String| AppError::field(field, format!("上传的内容无法读取，请重新选择文件：{e}"));
    let mut mp = mp.map_err(|e| unreadable(e.body_text()))?;
    let mut form = MultipartForm {
        files: Vec::new(),
        fields: Default::default(),
    };
    while let Some(f) = mp
        .next_field()
        .await
        .map_err(|e| unreadable(e.body_text()))?
    {
        let key = f.name().unwrap_or_default().to_owned();
        match f.file_name().map(str::to_owned) {
            Some(name) => {
                let bytes = f.bytes().await.map_err(|e| unreadable(e.body_text()))?;
                if name.is_empty() && bytes.is_empty() {
                    continue;
                }
                form.files.push((
                    key,
                    Upload {
                        name,
                        bytes: bytes.to_vec(),
                    },
                ));
            }
            None => {
                let text = f.text().await.map_err(|e| unreadable(e.body_text()))?;
                form.fields.insert(key, text);
            }
        }
    }
    Ok(form)
}

/// The files of a multipart body's `files` field.
pub(crate) async fn uploads(
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Vec<Upload>, AppError> {
    Ok(read_multipart(mp, "files").await?.take("files"))
}

/// Back to the page the form was on, told what happened.
fn back(to: &str, result: Result<Vec<AttachmentView>, AppError>) -> Result<Response, PageError> {
    let message = match result {
        Ok(files) => format!("已上传{}个附件", files.len()),
        Err(AppError::Validation(es)) => format!("未上传：{}", crate::pages::messages(&es)),
        Err(AppError::Conflict(m)) => format!("未上传：{m}"),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("{to}?done={}", crate::cite::segment(&message))).into_response())
}

/// 上传报送材料 (page): back to the task.
pub async fn report_page(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "报送")?;
    let task = st
        .app
        .report_task(&actor, id)
        .await
        .map_err(PageError::from)?;
    let result = match uploads(mp).await {
        Ok(files) => st.app.attach_to_report(&actor, id, &files).await,
        Err(e) => Err(e),
    };
    back(&format!("/supervision/tasks/{task}"), result)
}

/// 上传整改佐证 (page): back to the problem.
pub async fn problem_page(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "问题")?;
    let result = match uploads(mp).await {
        Ok(files) => st.app.attach_to_problem(&actor, id, &files).await,
        Err(e) => Err(e),
    };
    back(&format!("/supervision/problems/{id}"), result)
}

/// 201 with the files stored.
pub async fn report_api(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = crate::api::parse_id(&id, "报送")?;
    let files = uploads(mp).await?;
    let stored = st.app.attach_to_report(&actor, id, &files).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

pub async fn problem_api(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = crate::api::parse_id(&id, "问题")?;
    let files = uploads(mp).await?;
    let stored = st.app.attach_to_problem(&actor, id, &files).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// 上传指标佐证 (page): back to the indicator.
pub async fn indicator_value_page(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "指标数据")?;
    let code = st
        .app
        .indicator_value(&actor, id)
        .await
        .map_err(PageError::from)?
        .code;
    let result = match uploads(mp).await {
        Ok(files) => st.app.attach_to_indicator_value(&actor, id, &files).await,
        Err(e) => Err(e),
    };
    back(
        &format!("/indicators/{}", crate::cite::segment(&code)),
        result,
    )
}

pub async fn indicator_value_api(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = crate::api::parse_id(&id, "指标数据")?;
    let files = uploads(mp).await?;
    let stored = st.app.attach_to_indicator_value(&actor, id, &files).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// 上传村庄规划文件 (page): back to the villages page.
pub async fn village_plan_page(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "村庄规划登记")?;
    let result = match uploads(mp).await {
        Ok(files) => st.app.attach_to_village_plan(&actor, id, &files).await,
        Err(e) => Err(e),
    };
    back("/field/villages", result)
}

pub async fn village_plan_api(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = crate::api::parse_id(&id, "村庄规划登记")?;
    let files = uploads(mp).await?;
    let stored = st.app.attach_to_village_plan(&actor, id, &files).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// 下载附件: always as a download (never shown inline), under its own name.
pub async fn download(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "附件")?;
    let (a, bytes) = st.app.attachment(&actor, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                crate::pages::cases::ledger::content_disposition(
                    &format!("attachment-{id}"),
                    &a.name,
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
