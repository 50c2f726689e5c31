//! 工作台: who you are, what you may see, the deadline reminders of your unit (时限提醒), and
//! which capabilities exist yet.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tongxin_app::supervision::{ProblemQuery, TaskQuery, TaskSummary};
use tongxin_domain::Permission;

use super::{Layout, render};
use crate::AppState;
use crate::cite::CitedText;
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
    pub capabilities: Vec<&'static Capability>,
    pub facts: Vec<(&'static str, String, &'static str)>,
    /// Policy reminders: lapsed documents (with their link) and missing regional calendar years.
    pub reminders: Vec<(String, String)>,
    /// Whether the user's role acts on cases (the 时限提醒 section and the 宅基地审批 link).
    pub acts_on_cases: bool,
    /// Whether the inbox is the user's unit's (township, village, department) or empty by role.
    pub has_inbox: bool,
    pub inbox: Vec<InboxRow>,
    /// The case lists: (title, path).
    pub desks: Vec<(&'static str, &'static str)>,
    /// 督查督办: whether the role sees tasks, the overdue ones (first few, and how many), and
    /// the problems not yet closed.
    pub sees_tasks: bool,
    pub overdue_tasks: Vec<TaskSummary>,
    pub overdue_total: i64,
    pub open_problems: i64,
    /// The user's unit, for its 应报 page (empty for county-wide roles).
    pub unit_id: String,
}

/// 时限提醒: a deadline warning, an overdue deadline, or a notice period that has run.
pub struct InboxRow {
    pub colour: &'static str,
    pub kind: &'static str,
    pub message: CitedText,
    pub href: String,
    pub case_number: String,
    pub due_on: String,
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
        .documents_for(Some(&actor))
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
    let acts_on_cases = actor.role.permits(Permission::ActOnCases);
    let has_inbox = acts_on_cases
        && matches!(
            actor.role.scope(),
            tongxin_domain::DataScope::OwnUnit | tongxin_domain::DataScope::OwnUnitAndBelow
        );
    let inbox = if has_inbox {
        app.inbox(&actor, 30)
            .await?
            .into_iter()
            .map(|i| InboxRow {
                colour: i.colour,
                kind: match i.kind.as_str() {
                    "overdue" => "逾期",
                    "warning" => "临近到期",
                    "notice_ended" => "公示期满",
                    "report" => "群众举报",
                    "objection" => "公示异议",
                    _ => "提醒",
                },
                message: CitedText::new(&i.message),
                href: match (i.link.clone(), i.case_id, i.task_id) {
                    (Some(link), _, _) => link,
                    (None, Some(id), _) => super::cases::Desk::by_procedure(&i.procedure)
                        .map(|d| d.case_href(id))
                        .unwrap_or_else(|| format!("/api/v1/cases/{id}")),
                    (None, None, Some(task)) => format!("/supervision/tasks/{task}"),
                    (None, None, None) => "/workbench".to_owned(),
                },
                case_number: i.case_number,
                due_on: i.due_on.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sees_tasks = actor.role.permits(Permission::ViewTasks);
    let (overdue_tasks, overdue_total, open_problems) = if sees_tasks {
        let overdue = app
            .list_tasks(
                &actor,
                &TaskQuery {
                    status: Some("逾期".into()),
                    per_page: Some(10),
                    ..TaskQuery::default()
                },
            )
            .await?;
        let problems = app
            .list_problems(
                &actor,
                &ProblemQuery {
                    status: Some("未销号".into()),
                    per_page: Some(1),
                    ..ProblemQuery::default()
                },
            )
            .await?;
        (overdue.items, overdue.total, problems.total)
    } else {
        (Vec::new(), 0, 0)
    };
    let page = WorkbenchPage {
        layout: Layout::new(&st, Some(&actor), "工作台", "workbench"),
        display_name: actor.display_name.clone(),
        role: actor.role.label(),
        scope: actor.role.scope().label(),
        unit_path,
        today: app.clock.today().format("%Y年%m月%d日").to_string(),
        capabilities: CAPABILITIES
            .iter()
            .filter(|c| super::visible(c, actor.role))
            .collect(),
        facts,
        reminders,
        acts_on_cases,
        has_inbox,
        inbox,
        desks: [
            &super::cases::HOMESTEAD,
            &super::cases::TEMPORARY_LAND,
            &super::cases::GOV_PROJECTS,
        ]
        .into_iter()
        .map(|d| (d.title, d.base))
        .collect(),
        sees_tasks,
        overdue_tasks,
        overdue_total,
        open_problems,
        unit_id: match actor.role.scope() {
            tongxin_domain::DataScope::OwnUnit | tongxin_domain::DataScope::OwnUnitAndBelow => {
                actor.unit.0.clone()
            }
            _ => String::new(),
        },
    };
    Ok(render(&page))
}
