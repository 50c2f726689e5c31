//! 用户管理: the users the actor's scope allows, the create form (system administrator),
//! enabling/disabling (system administrator) and unlocking (security administrator).

use askama::Template;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;
use tongxin_app::users::{NewUserInput, Page, UserView};
use tongxin_app::{Actor, AppError};
use tongxin_domain::{Permission, Role};

use super::{Layout, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    pub layout: Layout,
    pub page: Page<UserView>,
    pub pages: i64,
    pub can_manage: bool,
    pub can_unlock: bool,
    pub roles: Vec<(&'static str, &'static str)>,
    pub form: NewUserInput,
    pub errors: HashMap<String, String>,
    pub notice: Option<String>,
}

impl UsersPage {
    pub fn error(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<String>,
    notice: Option<String>,
}

const PER_PAGE: i64 = 50;

async fn page(
    st: &AppState,
    actor: &Actor,
    page_no: i64,
    form: NewUserInput,
    errors: HashMap<String, String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let page = st.app.list_users(actor, page_no, PER_PAGE).await?;
    let pages = ((page.total + PER_PAGE - 1) / PER_PAGE).max(1);
    let p = UsersPage {
        layout: Layout::new(st, Some(actor), "用户管理", "users"),
        pages,
        page,
        can_manage: actor.role.permits(Permission::ManageUsers),
        can_unlock: actor.role.permits(Permission::ManageSecurity),
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        form,
        errors,
        notice,
    };
    Ok(render(&p))
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page_no = q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1);
    let notice = q.notice.filter(|n| n.chars().count() <= 100);
    page(
        &st,
        &actor,
        page_no,
        NewUserInput::default(),
        HashMap::new(),
        notice,
    )
    .await
}

pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = NewUserInput {
        username: get("username"),
        display_name: get("display_name"),
        password: get("password"),
        role: get("role"),
        unit: get("unit"),
    };
    match st.app.create_user(Some(&actor), &input).await {
        Ok(u) => {
            let notice = format!("已新建用户 {}", u.username);
            Ok(
                Redirect::to(&format!("/users?notice={}", crate::urlencode(&notice)))
                    .into_response(),
            )
        }
        Err(AppError::Validation(errors)) => {
            let map = errors.into_iter().map(|e| (e.field, e.message)).collect();
            let mut res = page(&st, &actor, 1, input, map, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_active(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let id = super::path_id(&id, "用户")?;
    let active = form.get("active").map(|v| v == "true").unwrap_or(false);
    let version = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let u = st.app.set_user_active(&actor, id, active, version).await?;
    let notice = format!(
        "已{}用户 {}",
        if active { "启用" } else { "停用" },
        u.username
    );
    Ok(Redirect::to(&format!("/users?notice={}", crate::urlencode(&notice))).into_response())
}

pub async fn unlock(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = super::path_id(&id, "用户")?;
    let u = st.app.unlock_user(&actor, id).await?;
    let notice = format!("已解锁用户 {}", u.username);
    Ok(Redirect::to(&format!("/users?notice={}", crate::urlencode(&notice))).into_response())
}
