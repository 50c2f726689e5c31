//! 审计日志: the trail, newest first, with the chain's verification (audit administrator only).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use tongxin_domain::audit::{AuditAction, AuditEntry};

use super::{Layout, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::CurrentUser;

pub struct EntryRow {
    pub entry: AuditEntry,
    pub action_label: &'static str,
    pub role_label: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub rows: Vec<EntryRow>,
    pub chain: Result<u64, String>,
    pub actor_filter: String,
    pub action_filter: String,
    pub actions: Vec<(&'static str, &'static str)>,
    pub next_before: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    before_id: Option<String>,
}

const PER_PAGE: i64 = 50;

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let before = q.before_id.as_deref().and_then(|b| b.parse().ok());
    let entries = st
        .app
        .audit_page(
            &actor,
            q.actor.as_deref(),
            q.action.as_deref(),
            before,
            PER_PAGE,
        )
        .await?;
    let next_before = (entries.len() as i64 == PER_PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            action_label: AuditAction::from_code(&e.action)
                .map(|a| a.label())
                .unwrap_or("?"),
            role_label: e
                .role
                .parse::<tongxin_domain::Role>()
                .map(|r| r.label().to_owned())
                .unwrap_or_else(|_| e.role.clone()),
            entry: e,
        })
        .collect();
    let chain = st
        .app
        .verify_audit(Some(&actor))
        .await?
        .map_err(|b| b.to_string());
    let page = AuditPage {
        layout: Layout::new(&st, Some(&actor), "审计日志", "audit"),
        rows,
        chain,
        actor_filter: q.actor.unwrap_or_default(),
        action_filter: q.action.unwrap_or_default(),
        actions: AuditAction::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        next_before,
    };
    Ok(render(&page))
}
