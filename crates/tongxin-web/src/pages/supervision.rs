//! 督查督办's pages: the task list with its filters, a task's page (its periods and each unit's
//! report, the forms to report, review, escalate, complete and close, and its problems), a
//! problem's page (evidence, verification), and the quarter's bulletin (printable, XLSX).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value};
use tongxin_app::supervision::{
    Bulletin, EscalationInput, ProblemInput, ProblemQuery, ProblemStepInput, ProblemView,
    ReportInput, ReviewInput, TaskQuery, TaskSummary, TaskView,
};
use tongxin_app::{Actor, AppError};
use tongxin_domain::Permission;
use tongxin_domain::supervision::Escalation;

use super::{Layout, errors_by_field, path_id, query_map, render};
use crate::AppState;
use crate::cite::{CitedText, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

const PER_PAGE: i64 = 50;

/// What a refused form keeps: what was typed and each field's message.
#[derive(Default)]
pub struct Typed {
    pub form: String,
    pub values: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    pub message: String,
}

impl Typed {
    pub fn value(&self, form: &str, k: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.values.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn error(&self, form: &str, k: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.errors.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn failed(&self, form: &str) -> bool {
        self.form == form
    }
}

#[derive(Template)]
#[template(path = "supervision_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub tasks: Vec<TaskSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub filter: HashMap<String, String>,
    pub errors: Vec<String>,
    pub prev_href: String,
    pub next_href: String,
    pub supervise: bool,
    /// The filter without the page, for the export link.
    pub query: String,
}

impl ListPage {
    pub fn f(&self, k: &str) -> &str {
        self.filter.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn selected(&self, k: &str, v: &str) -> bool {
        self.f(k) == v
    }
}

/// The list's filters as typed (`?unit=…&status=逾期&page=2`), and what could not be read.
fn task_query(filter: &HashMap<String, String>) -> (TaskQuery, Vec<String>) {
    let get = |k: &str| {
        filter
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let page = get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let mut errors = Vec::new();
    let due_within = match get("due_within") {
        Some(d) => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(format!("“到期天数”须为整数，“{d}”不是"));
                None
            }
        },
        None => None,
    };
    let query = TaskQuery {
        unit: get("unit"),
        leader: get("leader"),
        doc: get("doc"),
        status: get("status"),
        due_within,
        link_kind: get("link_kind"),
        link_ref: get("link_ref"),
        page: Some(page),
        per_page: Some(PER_PAGE),
    };
    (query, errors)
}

/// The filter as a query string without the page (for the export link).
fn filter_query(filter: &HashMap<String, String>) -> String {
    let mut pairs: Vec<(&str, &str)> = filter
        .iter()
        .filter(|(k, v)| k.as_str() != "page" && !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// Rows in one ledger export at most.
const EXPORT_MAX: i64 = 20_000;

/// 台账导出: the filtered ledger as a workbook (the first 20,000 tasks).
pub async fn ledger_xlsx(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let filter = query_map(q);
    let (query, errors) = task_query(&filter);
    if let Some(e) = errors.first() {
        return Err(PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.clone(),
        });
    }
    let page = st.app.export_tasks(&actor, &query, EXPORT_MAX).await?;
    let today = st.app.clock.today();
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let font = "SimSun";
        let head = Format::new()
            .set_font_name(font)
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_background_color(0xEEEEEE);
        let cell = Format::new()
            .set_font_name(font)
            .set_text_wrap()
            .set_border(FormatBorder::Thin);
        let red = cell.clone().set_font_color(0xC00000).set_bold();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("督办任务台账")?;
        let cols = [
            ("序号", 6.0),
            ("任务", 40.0),
            ("来源", 28.0),
            ("牵头单位", 18.0),
            ("责任单位", 30.0),
            ("责任领导", 10.0),
            ("周期", 8.0),
            ("状态", 8.0),
            ("下一报送期限", 12.0),
            ("起始", 11.0),
            ("截止", 11.0),
            ("地点", 20.0),
        ];
        for (i, (name, width)) in cols.iter().enumerate() {
            let c = u16::try_from(i).unwrap_or(0);
            ws.set_column_width(c, *width)?;
            ws.write_with_format(0, c, *name, &head)?;
        }
        for (i, t) in page.items.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let status_format = if t.colour == "red" { &red } else { &cell };
            let responsible: Vec<&str> = t.responsible.iter().map(|u| u.name.as_str()).collect();
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            ws.write_with_format(r, 0, u32::try_from(i + 1).unwrap_or(0), &cell)?;
            ws.write_with_format(r, 1, &t.title, &cell)?;
            ws.write_with_format(r, 2, &t.source, &cell)?;
            ws.write_with_format(r, 3, &t.lead.name, &cell)?;
            ws.write_with_format(r, 4, responsible.join("、"), &cell)?;
            ws.write_with_format(r, 5, &t.leader, &cell)?;
            ws.write_with_format(r, 6, t.cadence_label, &cell)?;
            ws.write_with_format(r, 7, t.status_label, status_format)?;
            ws.write_with_format(r, 8, date(t.next_due), status_format)?;
            ws.write_with_format(r, 9, t.starts_on.to_string(), &cell)?;
            ws.write_with_format(r, 10, date(t.due_on.or(t.until_on)), &cell)?;
            ws.write_with_format(r, 11, &t.place, &cell)?;
        }
        let last = u32::try_from(page.items.len() + 2).unwrap_or(u32::MAX);
        let note = if page.total > page.items.len() as i64 {
            format!(
                "共{}项，本表为前{}项；请缩小筛选范围后分次导出。导出日：{today}",
                page.total,
                page.items.len()
            )
        } else {
            format!("共{}项。状态为导出日（{today}）的状态。", page.total)
        };
        ws.write(last, 0, note)?;
        ws.set_freeze_panes(1, 0)?;
        wb.save_to_buffer()
    };
    let bytes =
        build().map_err(|e| PageError::from(AppError::Internal(format!("台账生成失败：{e}"))))?;
    Ok(crate::pages::cases::ledger::xlsx_response(
        bytes,
        &format!("tasks-{today}.xlsx"),
        &format!("督办任务台账{today}.xlsx"),
    ))
}

/// 督查督办: every task in the user's scope, filtered.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let filter = query_map(q);
    let (query, mut errors) = task_query(&filter);
    let page = query.page.unwrap_or(1);
    let (tasks, total) = match st.app.list_tasks(&actor, &query).await {
        Ok(p) => (p.items, p.total),
        Err(AppError::Validation(es)) => {
            errors.extend(es.into_iter().map(|e| e.message));
            (Vec::new(), 0)
        }
        Err(e) => return Err(e.into()),
    };
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let qs = |n: i64| {
        let mut pairs: Vec<(&str, String)> = filter
            .iter()
            .filter(|(k, v)| k.as_str() != "page" && !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        pairs.sort();
        pairs.push(("page", n.to_string()));
        format!(
            "/supervision?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ListPage {
        layout: Layout::new(&st, Some(&actor), "督查督办", "supervision"),
        tasks,
        total,
        page,
        pages,
        prev_href: if page > 1 {
            qs(page - 1)
        } else {
            String::new()
        },
        next_href: if page < pages {
            qs(page + 1)
        } else {
            String::new()
        },
        supervise: actor.role.permits(Permission::Supervise),
        query: filter_query(&filter),
        filter,
        errors,
    };
    let mut res = render(&p);
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Template)]
#[template(path = "supervision_task.html")]
pub struct TaskPage {
    pub layout: Layout,
    pub task: TaskView,
    /// The user's unit (its own filed reports take files).
    pub unit_id: String,
    pub source: Option<crate::cite::Cite>,
    pub problems: Vec<ProblemView>,
    pub typed: Typed,
    pub notice: String,
    pub steps: Vec<(&'static str, &'static str)>,
}

impl TaskPage {
    /// The user's unit filed this report and it is not accepted yet: it may add files.
    pub fn may_attach(&self, c: &tongxin_app::supervision::ReportCell) -> bool {
        c.report_id.is_some() && c.state != "accepted" && c.unit.id == self.unit_id
    }
}

async fn task_page(
    st: &AppState,
    actor: &Actor,
    id: i64,
    typed: Typed,
    notice: String,
) -> Result<Response, PageError> {
    let task = st.app.task_view(actor, id).await?;
    let problems = st
        .app
        .list_problems(
            actor,
            &ProblemQuery {
                task_id: Some(id),
                per_page: Some(100),
                ..ProblemQuery::default()
            },
        )
        .await?
        .items;
    let status = if typed.form.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = TaskPage {
        layout: Layout::new(st, Some(actor), &task.summary.title, "supervision"),
        unit_id: actor.unit.0.clone(),
        source: cite_text(&task.summary.source),
        task,
        problems,
        typed,
        notice,
        steps: Escalation::ALL
            .iter()
            .map(|e| (e.code(), e.label()))
            .collect(),
    };
    let mut res = render(&p);
    *res.status_mut() = status;
    Ok(res)
}

pub async fn task(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let id = path_id(&id, "督办任务")?;
    let notice = query_map(q).get("done").cloned().unwrap_or_default();
    task_page(&st, &actor, id, Typed::default(), notice).await
}

/// Parses "名称=数值" lines into figures.
fn figures_of(text: &str) -> Map<String, Value> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(['=', '＝', ':', '：'])?;
            Some((k.trim().to_owned(), Value::String(v.trim().to_owned())))
        })
        .collect()
}

/// Every form of the task page posts here, named by `form`.
pub async fn task_post(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let id = path_id(&id, "督办任务")?;
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let form = get("form");
    let version = get("version").parse::<i64>().unwrap_or(-1);
    let result: Result<&str, AppError> = match form.as_str() {
        "report" => st
            .app
            .file_report(
                &actor,
                id,
                &ReportInput {
                    period_start: Some(get("period_start")),
                    body: get("body"),
                    figures: figures_of(&get("figures")),
                },
            )
            .await
            .map(|_| "已报送"),
        "review" => {
            let rid = get("report_id").parse::<i64>().unwrap_or(0);
            st.app
                .review_report(
                    &actor,
                    rid,
                    &ReviewInput {
                        decision: get("decision"),
                        comment: get("comment"),
                        version,
                    },
                )
                .await
                .map(|_| "已审核")
        }
        "escalate" => st
            .app
            .escalate(
                &actor,
                id,
                &EscalationInput {
                    unit: get("unit"),
                    step: get("step"),
                    reason: get("reason"),
                },
            )
            .await
            .map(|_| "已督办"),
        "status" => st
            .app
            .set_task_status(&actor, id, &get("status"), version)
            .await
            .map(|_| "任务状态已更新"),
        "problem" => st
            .app
            .raise_problem(
                &actor,
                &ProblemInput {
                    task_id: Some(id),
                    unit: get("unit"),
                    title: get("title"),
                    detail: get("detail"),
                    evidence_required: get("evidence_required"),
                    deadline: get("deadline"),
                    ..ProblemInput::default()
                },
            )
            .await
            .map(|_| "问题已挂账"),
        _ => Err(AppError::field("form", "未知的表单")),
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!(
            "/supervision/tasks/{id}?done={}",
            crate::cite::segment(done)
        ))
        .into_response()),
        Err(AppError::Validation(es)) => {
            let message = crate::pages::messages(&es);
            let typed = Typed {
                form,
                values: raw,
                errors: errors_by_field(es),
                message,
            };
            task_page(&st, &actor, id, typed, String::new()).await
        }
        Err(AppError::Conflict(m)) => {
            let typed = Typed {
                form,
                values: raw,
                errors: HashMap::new(),
                message: m,
            };
            let mut res = task_page(&st, &actor, id, typed, String::new()).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "supervision_problem.html")]
pub struct ProblemPage {
    pub layout: Layout,
    pub p: ProblemView,
    pub typed: Typed,
    pub notice: String,
    /// The responsible unit may add evidence files while the problem is not closed.
    pub may_attach: bool,
}

fn may_attach_problem(actor: &Actor, p: &ProblemView) -> bool {
    p.unit.id == actor.unit.0 && p.closed_on.is_none()
}

pub async fn problem(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let id = path_id(&id, "问题")?;
    let p = st.app.problem(&actor, id).await?;
    let page = ProblemPage {
        layout: Layout::new(&st, Some(&actor), &p.title, "supervision"),
        notice: query_map(q).get("done").cloned().unwrap_or_default(),
        may_attach: may_attach_problem(&actor, &p),
        p,
        typed: Typed::default(),
    };
    Ok(render(&page))
}

pub async fn problem_post(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let id = path_id(&id, "问题")?;
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = ProblemStepInput {
        step: get("step"),
        text: get("text"),
        version: get("version").parse().unwrap_or(-1),
    };
    let (status, message) = match st.app.problem_step(&actor, id, &input).await {
        Ok(_) => {
            return Ok(Redirect::to(&format!(
                "/supervision/problems/{id}?done={}",
                crate::cite::segment("已办理")
            ))
            .into_response());
        }
        Err(AppError::Validation(es)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::pages::messages(&es),
        ),
        Err(AppError::Conflict(m)) => (StatusCode::CONFLICT, m),
        Err(e) => return Err(e.into()),
    };
    let p = st.app.problem(&actor, id).await?;
    let page = ProblemPage {
        layout: Layout::new(&st, Some(&actor), &p.title, "supervision"),
        may_attach: may_attach_problem(&actor, &p),
        p,
        typed: Typed {
            form: get("step"),
            values: raw,
            errors: HashMap::new(),
            message,
        },
        notice: String::new(),
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Template)]
#[template(path = "supervision_bulletin.html")]
pub struct BulletinPage {
    pub layout: Layout,
    pub period: String,
    pub bulletin: Option<Bulletin>,
    pub error: Option<CitedText>,
    /// The weights form (the supervision office), with what was typed and refused.
    pub may_set_weights: bool,
    pub typed: Typed,
    pub notice: String,
}

fn period_of(q: &HashMap<String, String>, st: &AppState) -> String {
    q.get("period")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            // The last quarter that has ended.
            use chrono::Datelike;
            let today = st.app.clock.today();
            let q = (today.month() - 1) / 3;
            if q == 0 {
                format!("{}Q4", today.year() - 1)
            } else {
                format!("{}Q{q}", today.year())
            }
        })
}

/// 季通报 / 年评优 as a page.
pub async fn bulletin(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let notice = q.get("done").cloned().unwrap_or_default();
    bulletin_page(&st, &actor, period_of(&q, &st), Typed::default(), notice).await
}

async fn bulletin_page(
    st: &AppState,
    actor: &Actor,
    period: String,
    typed: Typed,
    notice: String,
) -> Result<Response, PageError> {
    let (bulletin, error, status) = match st.app.bulletin(actor, &period).await {
        Ok(b) => (Some(b), None, StatusCode::OK),
        Err(AppError::Validation(es)) => (
            None,
            es.first().map(|e| CitedText::new(&e.message)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(e.into()),
    };
    let status = if typed.form.is_empty() {
        status
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = BulletinPage {
        layout: Layout::new(st, Some(actor), "考核通报", "supervision"),
        period,
        bulletin,
        error,
        may_set_weights: actor.role.permits(Permission::Supervise),
        typed,
        notice,
    };
    let mut res = render(&p);
    *res.status_mut() = status;
    Ok(res)
}

/// 考核权重 from the bulletin page (the supervision office).
pub async fn set_weights(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let num = |k: &str| get(k).trim().parse::<i64>().ok();
    let input = tongxin_app::supervision::WeightsInput {
        from: get("from"),
        reports: num("reports"),
        rectification: num("rectification"),
        per_overdue_task: num("per_overdue_task"),
    };
    let period = get("period");
    match st.app.set_weights(&actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/supervision/bulletin?period={}&done={}",
            crate::cite::segment(&period),
            crate::cite::segment("考核权重已设置")
        ))
        .into_response()),
        Err(AppError::Validation(es)) => {
            let message = crate::pages::messages(&es);
            let typed = Typed {
                form: "weights".into(),
                values: raw,
                errors: errors_by_field(es),
                message,
            };
            let period = if period.is_empty() {
                period_of(&HashMap::new(), &st)
            } else {
                period
            };
            bulletin_page(&st, &actor, period, typed, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The bulletin as an XLSX workbook: A4 landscape, the rule under the title.
pub async fn bulletin_xlsx(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let period = period_of(&query_map(q), &st);
    let b = st.app.bulletin(&actor, &period).await?;
    let build = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let font = "SimSun";
        let title = Format::new()
            .set_font_name(font)
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center);
        let sub = Format::new()
            .set_font_name(font)
            .set_font_size(10)
            .set_text_wrap();
        let head = Format::new()
            .set_font_name(font)
            .set_bold()
            .set_font_size(10)
            .set_border(FormatBorder::Thin)
            .set_background_color(0xEEEEEE);
        let cell = Format::new()
            .set_font_name(font)
            .set_font_size(10)
            .set_text_wrap()
            .set_border(FormatBorder::Thin);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("考核通报")?;
        let cols = [
            ("名次", 6.0),
            ("单位", 18.0),
            ("应报", 6.0),
            ("按时报送", 8.0),
            ("应整改问题", 8.0),
            ("按期整改", 8.0),
            ("逾期任务", 8.0),
            ("得分", 8.0),
            ("计分", 48.0),
            ("逾期事项", 40.0),
        ];
        ws.merge_range(
            0,
            0,
            0,
            9,
            &format!("同心县督查督办考核通报（{}）", b.label),
            &title,
        )?;
        ws.merge_range(
            1,
            0,
            1,
            9,
            &format!("{}至{}，截至{}。{}", b.from, b.to, b.as_of, b.rule),
            &sub,
        )?;
        ws.set_row_height(1, 30)?;
        for (i, (h, w)) in cols.iter().enumerate() {
            ws.write_string_with_format(2, i as u16, *h, &head)?;
            ws.set_column_width(i as u16, *w)?;
        }
        for (n, r) in b.rows.iter().enumerate() {
            let row = (n + 3) as u32;
            ws.write_number_with_format(row, 0, r.rank as f64, &cell)?;
            ws.write_string_with_format(row, 1, &r.unit.name, &cell)?;
            for (i, v) in [
                r.record.reports_due,
                r.record.reports_on_time,
                r.record.problems_due,
                r.record.problems_closed_on_time,
                r.record.overdue_tasks,
            ]
            .iter()
            .enumerate()
            {
                ws.write_number_with_format(row, (i + 2) as u16, f64::from(*v), &cell)?;
            }
            ws.write_number_with_format(row, 7, r.hundredths as f64 / 100.0, &cell)?;
            ws.write_string_with_format(row, 8, &r.working, &cell)?;
            ws.write_string_with_format(row, 9, r.overdue_items.join("；"), &cell)?;
        }
        ws.set_repeat_rows(2, 2)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        wb.save_to_buffer()
    };
    let bytes =
        build().map_err(|e| PageError::from(AppError::Internal(format!("通报生成失败：{e}"))))?;
    let ascii = format!("bulletin-{period}.xlsx");
    let utf8 = format!("督查督办考核通报（{}）.xlsx", b.label);
    Ok(crate::pages::cases::ledger::xlsx_response(
        bytes, &ascii, &utf8,
    ))
}
