//! 宅基地审批: the cases in the user's scope, filtered and paginated, each with its nearest
//! deadline and the documents issued.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxin_app::AppError;
use tongxin_app::cases::{CaseQuery, CaseSummary, DeadlineView};

use super::{Filter, PER_PAGE, PROCEDURE, filing_action, query_map, status_of};
use crate::AppState;
use crate::cite::CitedText;
use crate::error::PageError;
use crate::extract::CurrentUser;
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
    pub township: String,
    pub village: String,
    pub state_label: String,
    pub terminal: bool,
    pub deadline: Option<DeadlineBadge>,
    pub documents: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "homestead_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub title: String,
    pub rows: Vec<ListRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub filter: Filter,
    pub townships: Vec<(String, String)>,
    pub states: Vec<(String, String)>,
    pub can_file: bool,
    pub ledger_href: String,
    pub prev_href: String,
    pub next_href: String,
    pub errors: Vec<CitedText>,
    pub masked: bool,
}

fn list_row(s: CaseSummary) -> ListRow {
    ListRow {
        id: s.id,
        number: s.number,
        applicant: s.applicant_name,
        township: s.township,
        village: s.village,
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
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let app = &st.app;
    let proc = app.procedure(PROCEDURE)?;
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
        ..filter.query()
    };
    let (rows, total, errors) = match app.list_cases(&actor, PROCEDURE, &query).await {
        Ok(p) => (p.items.into_iter().map(list_row).collect(), p.total, vec![]),
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
            format!("/homestead?page={n}")
        } else {
            format!("/homestead?{qs}&page={n}")
        }
    };
    let p = ListPage {
        layout: Layout::new(&st, Some(&actor), "宅基地审批", "homestead"),
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
            "/homestead/ledger.xlsx".to_owned()
        } else {
            format!("/homestead/ledger.xlsx?{qs}")
        },
        rows,
        townships: app
            .townships()
            .into_iter()
            .map(|u| (u.id.0, u.short_name))
            .collect(),
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
