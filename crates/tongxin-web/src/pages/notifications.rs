//! 通知推送: the system administrator's page of the units' channels (政务钉钉 and 企业微信
//! group robots, mailboxes) and of every delivery with its attempts; each user's own choice of
//! what reaches them by e-mail; and `/cases/{id}`, the stable address notifications link to.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::notify::{
    ChannelInput, ChannelKind, ChannelView, DeliveryView, KINDS, PrefsInput, PrefsView,
};
use tongxin_app::{Actor, AppError};
use tongxin_store::notify::DeliveryFilter;

use super::{Layout, errors_by_field, messages, query_map, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

const PER_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct AdminPage {
    pub layout: Layout,
    pub channels: Vec<ChannelView>,
    pub deliveries: Vec<DeliveryView>,
    pub total: i64,
    pub status: String,
    pub kinds: &'static [(&'static str, &'static str)],
    pub channel_kinds: Vec<(&'static str, &'static str)>,
    pub units: Vec<(String, String)>,
    pub typed: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    pub summary: String,
    pub done: String,
}

impl AdminPage {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
    fn typed(&self, field: &str) -> &str {
        self.typed.get(field).map(String::as_str).unwrap_or("")
    }
}

async fn admin_page(
    st: &AppState,
    actor: &Actor,
    status: String,
    typed: HashMap<String, String>,
    errors: Vec<tongxin_domain::FieldError>,
    done: String,
) -> Result<Response, PageError> {
    let channels = st.app.notification_channels(actor).await?;
    let (deliveries, total) = st
        .app
        .notification_deliveries(
            actor,
            &DeliveryFilter {
                status: (!status.is_empty()).then(|| status.clone()),
                unit_id: None,
                limit: PER_PAGE,
                offset: 0,
            },
        )
        .await?;
    let units = st
        .app
        .directory()
        .units()
        .iter()
        .map(|u| (u.id.0.clone(), u.short_name.clone()))
        .collect();
    let page = AdminPage {
        layout: Layout::new(st, Some(actor), "通知推送", "notifications"),
        channels,
        deliveries,
        total,
        status,
        kinds: KINDS,
        channel_kinds: ChannelKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        units,
        summary: messages(&errors),
        errors: errors_by_field(errors),
        typed,
        done,
    };
    Ok(render(&page))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let status = q.get("status").cloned().unwrap_or_default();
    let done = q.get("done").cloned().unwrap_or_default();
    admin_page(&st, &actor, status, HashMap::new(), Vec::new(), done).await
}

/// Checked boxes named `kind_<code>`.
fn ticked(raw: &HashMap<String, String>) -> Vec<String> {
    KINDS
        .iter()
        .filter(|(c, _)| raw.contains_key(&format!("kind_{c}")))
        .map(|(c, _)| (*c).to_owned())
        .collect()
}

fn done(path: &str, what: &str) -> Response {
    Redirect::to(&format!("{path}?done={}", crate::cite::segment(what))).into_response()
}

pub async fn add_channel(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = ChannelInput {
        unit: get("unit"),
        kind: get("kind"),
        target: get("target"),
        secret: get("secret"),
        kinds: ticked(&raw),
    };
    match st.app.add_channel(&actor, &input).await {
        Ok(_) => Ok(done("/notifications", "推送渠道已添加")),
        Err(AppError::Validation(es)) => {
            let mut res = admin_page(&st, &actor, String::new(), raw, es, String::new()).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn toggle_channel(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let version = raw
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1);
    let enabled = raw.get("enabled").is_some_and(|v| v == "true");
    st.app
        .set_channel_enabled(&actor, id, version, enabled)
        .await?;
    Ok(done(
        "/notifications",
        if enabled {
            "渠道已启用"
        } else {
            "渠道已停用"
        },
    ))
}

/// 发送测试消息 from a channel's row: queued for the deliverer, its attempt shown below.
pub async fn test_channel(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
    PageForm(_): PageForm,
) -> Result<Response, PageError> {
    st.app.send_channel_test(&actor, id).await?;
    Ok(done(
        "/notifications",
        "测试消息已排队发送，几秒后在下方“送达记录”中查看结果",
    ))
}

pub async fn retry(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
    PageForm(_): PageForm,
) -> Result<Response, PageError> {
    st.app.retry_notification(&actor, id).await?;
    Ok(done("/notifications", "已重新排队发送"))
}

#[derive(Template)]
#[template(path = "notify_prefs.html")]
pub struct PrefsPage {
    pub layout: Layout,
    pub prefs: PrefsView,
    pub errors: HashMap<String, String>,
    pub summary: String,
    pub done: String,
}

pub async fn prefs(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let done = query_map(q).get("done").cloned().unwrap_or_default();
    let page = PrefsPage {
        layout: Layout::new(&st, Some(&actor), "通知设置", ""),
        prefs: st.app.my_prefs(&actor).await?,
        errors: HashMap::new(),
        summary: String::new(),
        done,
    };
    Ok(render(&page))
}

pub async fn save_prefs(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let input = PrefsInput {
        email: raw.get("email").cloned().unwrap_or_default(),
        kinds: ticked(&raw),
        version: raw
            .get("version")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(-1),
    };
    match st.app.save_prefs(&actor, &input).await {
        Ok(()) => Ok(done("/me/notifications", "通知设置已保存")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let (status, errors, summary) = match e {
                AppError::Validation(es) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors_by_field(es.clone()),
                    messages(&es),
                ),
                e => (StatusCode::CONFLICT, HashMap::new(), e.to_string()),
            };
            // What was typed stays on the form.
            let mut prefs = st.app.my_prefs(&actor).await?;
            prefs.email = input.email.clone();
            for k in &mut prefs.kinds {
                k.on = input.kinds.iter().any(|c| c == k.code);
            }
            let page = PrefsPage {
                layout: Layout::new(&st, Some(&actor), "通知设置", ""),
                prefs,
                errors,
                summary,
                done: String::new(),
            };
            let mut res = render(&page);
            *res.status_mut() = status;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// `/cases/{id}`: the case's own page, whatever its procedure (the address notifications
/// carry).
pub async fn case_redirect(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = st.app.case_view(&actor, id).await?;
    let href = super::cases::Desk::by_procedure(&view.procedure)
        .map(|d| d.case_href(id))
        .unwrap_or_else(|| format!("/api/v1/cases/{id}"));
    Ok(Redirect::to(&href).into_response())
}
