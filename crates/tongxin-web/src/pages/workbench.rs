//! 工作台: who you are, what you may see, and which capabilities exist yet.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tongxin_domain::Permission;

use super::{Layout, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::CurrentUser;
use crate::routes::{CAPABILITIES, Capability};

#[derive(Template)]
#[template(path = "workbench.html")]
pub struct WorkbenchPage {
    pub layout: Layout,
    pub display_name: String,
    pub role: &'static str,
    pub scope: &'static str,
    pub unit_path: String,
    pub today: String,
    pub capabilities: &'static [Capability],
    pub facts: Vec<(&'static str, String, &'static str)>,
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let app = &st.app;
    let unit_path = app
        .directory
        .path(&actor.unit)
        .iter()
        .map(|u| u.short_name.as_str())
        .collect::<Vec<_>>()
        .join(" › ");
    let mut facts = vec![(
        "组织机构单位数",
        app.directory.units().len().to_string(),
        "/units",
    )];
    if actor.role.permits(Permission::ViewUsers) {
        let page = app.list_users(&actor, 1, 1).await?;
        facts.push(("可见用户数", page.total.to_string(), "/users"));
    }
    if actor.role.permits(Permission::ViewAudit) {
        let status = match app.verify_audit(Some(&actor)).await? {
            Ok(n) => format!("完整（{n}条）"),
            Err(b) => format!("断裂：{b}"),
        };
        facts.push(("审计链", status, "/audit"));
    }
    let page = WorkbenchPage {
        layout: Layout::new(&st, Some(&actor), "工作台", "workbench"),
        display_name: actor.display_name.clone(),
        role: actor.role.label(),
        scope: actor.role.scope().label(),
        unit_path,
        today: app.clock.today().format("%Y年%m月%d日").to_string(),
        capabilities: CAPABILITIES,
        facts,
    };
    Ok(render(&page))
}
