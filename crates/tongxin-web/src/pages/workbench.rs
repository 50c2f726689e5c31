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
    /// Policy reminders: lapsed documents (with their link) and missing regional calendar years.
    pub reminders: Vec<(String, String)>,
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let app = &st.app;
    let unit_path = app
        .directory()
        .path(&actor.unit)
        .iter()
        .map(|u| u.short_name.as_str())
        .collect::<Vec<_>>()
        .join(" › ");
    let mut facts = vec![(
        "组织机构单位数",
        app.directory().units().len().to_string(),
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
    let today = app.clock.today();
    let mut reminders: Vec<(String, String)> = app
        .documents_for(&actor)
        .into_iter()
        .filter(|d| d.trial && d.validity(today).is_lapsed())
        .map(|d| {
            let v = crate::pages::policies::validity_view(d.validity(today));
            (
                format!("{}《{}》{}", d.number, d.title, v.detail),
                crate::cite::document_href(&d.number),
            )
        })
        .collect();
    let (_, missing) = app.regional_years().await?;
    let this_year = chrono::Datelike::year(&today);
    if missing.contains(&this_year) {
        reminders.push((
            format!(
                "{}{this_year}年地方节假日（开斋节、古尔邦节）尚未录入，本年期限按全国日历计算",
                tongxin_app::calendar::REGION
            ),
            "/calendar".to_owned(),
        ));
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
        reminders,
    };
    Ok(render(&page))
}
