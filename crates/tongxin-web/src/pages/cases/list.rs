//! A procedure's cases in the user's scope, filtered (乡镇, 村, 状态, 逾期, the desk's warning
//! presets) and paginated, each with its nearest deadline and the documents issued.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use tongxin_app::cases::{CaseQuery, CaseSummary, DeadlineView};
use tongxin_app::{Actor, AppError};
use tongxin_domain::Procedure;

use super::{Column, Desk, Filter, PER_PAGE, filing_action, form, query_map, status_of};
use crate::AppState;
use crate::cite::CitedText;
use crate::error::PageError;
use crate::pages::{Layout, render};

pub struct DeadlineBadge {
    pub label: String,
    pub due: String,
    pub colour: &'static str,
    pub status_label: String,
}

impl DeadlineBadge {
    fn of(d: &DeadlineView) -> Self {
        DeadlineBadge {
            label: d.label.clone(),
            due: d.due_on.map(|d| d.to_string()).unwrap_or_default(),
            colour: d.colour,
            status_label: d.status_label.clone(),
        }
    }
}

pub struct ListRow {
    pub id: i64,
    pub number: String,
    pub applicant: String,
    /// The desk's own columns, in its order.
    pub cells: Vec<String>,
    pub state_label: String,
    pub terminal: bool,
    pub deadline: Option<DeadlineBadge>,
    pub documents: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "case_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub desk: &'static Desk,
    pub headers: Vec<&'static str>,
    pub alerts: Vec<(&'static str, &'static str)>,
    /// The desk's links this user may follow.
    pub links: Vec<(&'static str, &'static str)>,
    pub title: String,
    pub rows: Vec<ListRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub filter: Filter,
    pub townships: Vec<(String, String)>,
    /// The units cases may belong to (the desk's `unit_filter`): county departments.
    pub units: Vec<(String, String)>,
    pub states: Vec<(String, String)>,
    pub can_file: bool,
    pub ledger_href: String,
    pub prev_href: String,
    pub next_href: String,
    pub errors: Vec<CitedText>,
    pub masked: bool,
}

/// The desk's columns of one case, as shown.
pub fn cells(desk: &Desk, proc: &Procedure, s: &CaseSummary) -> Vec<String> {
    desk.columns
        .iter()
        .map(|c| match c {
            Column::Township => s.township.clone(),
            Column::Village => s.village.clone(),
            Column::Field(_, id) => s
                .data
                .get(*id)
                .map(|v| form::display(proc.field(id), v).join("；"))
                .unwrap_or_default(),
            Column::AreaMu(_) => tongxin_app::land::site_of(&s.data)
                .map(|site| format!("{:.2}", site.area_mu()))
                .unwrap_or_default(),
            Column::Due(_, id) => s
                .deadlines
                .iter()
                .find(|d| d.deadline == *id)
                .and_then(|d| d.due_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Column::LateCount(_, id) => match late_count(s, id) {
                0 => String::new(),
                n => n.to_string(),
            },
        })
        .collect()
}

/// How many periods of deadline `id` ran late: overdue now, or met after the due date.
pub fn late_count(s: &CaseSummary, id: &str) -> usize {
    s.deadlines
        .iter()
        .filter(|d| d.deadline == id && d.colour == "red")
        .count()
}

/// The column headers of the desk's own columns.
pub fn headers(desk: &Desk) -> Vec<&'static str> {
    desk.columns
        .iter()
        .map(|c| match c {
            Column::Township => "乡镇",
            Column::Village => "村",
            Column::Field(h, _)
            | Column::AreaMu(h)
            | Column::Due(h, _)
            | Column::LateCount(h, _) => h,
        })
        .collect()
}

fn list_row(desk: &Desk, proc: &Procedure, s: CaseSummary) -> ListRow {
    ListRow {
        cells: cells(desk, proc, &s),
        id: s.id,
        number: s.number,
        applicant: if desk.applicant_is_unit {
            s.unit
        } else {
            s.applicant_name
        },
        state_label: s.state_label,
        terminal: s.terminal,
        deadline: s.next_deadline.as_ref().map(DeadlineBadge::of),
        documents: s
            .documents
            .into_iter()
            .map(|d| (d.document, d.number))
            .collect(),
    }
}

pub async fn show(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    q: Option<String>,
) -> Result<Response, PageError> {
    let app = &st.app;
    let proc = app.procedure(desk.procedure)?;
    let q = query_map(q);
    let filter = Filter::from_query(&q);
    let page_no = q
        .get("page")
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let query = CaseQuery {
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        ..filter.query(desk)
    };
    let (rows, total, errors) = match app.list_cases(&actor, desk.procedure, &query).await {
        Ok(p) => (
            p.items
                .into_iter()
                .map(|s| list_row(desk, proc, s))
                .collect(),
            p.total,
            vec![],
        ),
        Err(AppError::Validation(es)) => (
            vec![],
            0,
            es.iter().map(|e| CitedText::new(&e.message)).collect(),
        ),
        Err(e) => return Err(e.into()),
    };
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let qs = filter.query_string();
    let page_href = |n: i64| {
        if qs.is_empty() {
            format!("{}?page={n}", desk.base)
        } else {
            format!("{}?{qs}&page={n}", desk.base)
        }
    };
    let p = ListPage {
        layout: Layout::new(&st, Some(&actor), desk.title, desk.nav),
        desk,
        headers: headers(desk),
        alerts: desk.alerts.iter().map(|a| (a.id, a.label)).collect(),
        links: desk
            .links
            .iter()
            .filter(|(_, _, p)| p.is_none_or(|p| actor.role.permits(p)))
            .map(|(h, l, _)| (*h, *l))
            .collect(),
        title: proc.title.clone(),
        total,
        page: page_no,
        pages,
        prev_href: if page_no > 1 {
            page_href(page_no - 1)
        } else {
            String::new()
        },
        next_href: if page_no < pages {
            page_href(page_no + 1)
        } else {
            String::new()
        },
        ledger_href: if qs.is_empty() {
            format!("{}/ledger.xlsx", desk.base)
        } else {
            format!("{}/ledger.xlsx?{qs}", desk.base)
        },
        rows,
        townships: app
            .townships()
            .into_iter()
            .map(|u| (u.id.0, u.short_name))
            .collect(),
        units: if desk.unit_filter {
            app.directory()
                .units()
                .iter()
                .filter(|u| u.kind == tongxin_domain::directory::UnitKind::Department)
                .map(|u| (u.id.0.clone(), u.short_name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        states: proc
            .states
            .iter()
            .filter(|s| s.id != proc.initial)
            .map(|s| (s.id.clone(), s.label.clone()))
            .collect(),
        can_file: filing_action(proc, actor.role).is_some(),
        masked: !tongxin_app::cases::sees_personal_data(proc, actor.role),
        filter,
        errors,
    };
    let status = if p.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(status_of(status, render(&p)))
}
