//! 文件导入: paste a document's text, review what the parser drafted beside the text (every
//! extraction highlighted), map unknown unit names (remembered as aliases), acknowledge the
//! anomalies, correct the metadata, and publish into the policy corpus with draft tasks.

use askama::Template;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::{BTreeSet, HashMap};
use tongxin_app::imports::{ImportReview, PublishInput, TaskEdit, unit_list_text};
use tongxin_app::{Actor, AppError};
use tongxin_docparse::{ParsedDocument, Span, UnitRef};

use super::{Layout, render};
use crate::AppState;
use crate::cite::document_href;
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

pub struct DraftRow {
    pub id: i64,
    pub created_by: String,
    pub created_at: String,
    pub status: &'static str,
    pub published_as: String,
    pub first_line: String,
}

#[derive(Template)]
#[template(path = "import_new.html")]
pub struct NewPage {
    pub layout: Layout,
    pub text: String,
    pub error: String,
    pub drafts: Vec<DraftRow>,
}

async fn new_page(
    st: &AppState,
    actor: &Actor,
    text: String,
    error: String,
) -> Result<Response, PageError> {
    let drafts = st
        .app
        .import_drafts(actor)
        .await?
        .into_iter()
        .map(|d| DraftRow {
            id: d.id,
            created_by: d.created_by,
            created_at: d.created_at,
            status: if d.status == "published" {
                "已发布"
            } else {
                "待审核"
            },
            published_as: d.published_as.unwrap_or_default(),
            first_line: d
                .source_text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .chars()
                .take(40)
                .collect(),
        })
        .collect();
    Ok(render(&NewPage {
        layout: Layout::new(st, Some(actor), "文件导入", "documents"),
        text,
        error,
        drafts,
    }))
}

pub async fn new(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    new_page(&st, &actor, String::new(), String::new()).await
}

pub async fn create(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let text = form.get("text").cloned().unwrap_or_default();
    match st.app.create_import_draft(&actor, &text).await {
        Ok(id) => Ok(Redirect::to(&format!("/documents/import/{id}")).into_response()),
        Err(AppError::Validation(e)) => {
            let msg = crate::pages::messages(&e);
            let mut res = new_page(&st, &actor, text, msg).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// A piece of the source text, highlighted when an extraction covers it.
pub struct Segment {
    pub text: String,
    /// CSS class: unit, unit-unknown, person, time, deadline, cap, target; empty = plain.
    pub class: &'static str,
    pub title: String,
}

pub struct Row {
    pub cells: Vec<String>,
    pub unknown: bool,
}

pub struct TaskRow {
    pub clause: String,
    pub text: String,
    pub lead_raw: String,
    pub lead_shown: String,
    pub resp_raw: String,
    pub resp_shown: String,
    pub people: String,
    pub time: String,
    pub place: String,
    pub unknown: bool,
}

pub struct DocReview {
    pub index: usize,
    pub number: String,
    pub title: String,
    pub issued: String,
    pub effective_from: String,
    pub public: bool,
    pub kind: &'static str,
    pub already: bool,
    pub published_href: String,
    pub outline: Vec<(usize, String, String)>,
    pub segments: Vec<Segment>,
    pub tasks: Vec<TaskRow>,
    pub deadlines: Vec<Row>,
    pub quantities: Vec<Row>,
    pub anomalies: Vec<String>,
    pub unknown_units: Vec<String>,
}

#[derive(Template)]
#[template(path = "import_review.html")]
pub struct ReviewPage {
    pub layout: Layout,
    pub id: i64,
    pub published: bool,
    pub published_as: String,
    pub docs: Vec<DocReview>,
    pub errors: HashMap<String, String>,
    pub notice: String,
}

impl ReviewPage {
    pub fn error(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

fn units_text(units: &[UnitRef]) -> String {
    units
        .iter()
        .map(|u| match u.resolved.as_slice() {
            [] => format!("{}（未识别）", u.raw),
            // Show how the text wrote it only when that is not simply the name (typos, aliases).
            [one] if one.contains(u.raw.trim_start_matches("同心县").trim_start_matches('县')) => {
                one.clone()
            }
            many => format!("{}→{}", u.raw, many.join("、")),
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn highlight(source: &str, doc: &ParsedDocument) -> Vec<Segment> {
    let mut marks: Vec<(Span, &'static str, String)> = Vec::new();
    for t in &doc.tasks {
        for u in t.lead_units.iter().chain(&t.responsible_units) {
            let class = if u.resolved.is_empty() {
                "unit-unknown"
            } else {
                "unit"
            };
            marks.push((u.span, class, u.resolved.join("、")));
        }
        for p in &t.people {
            marks.push((p.span, "person", p.role.clone()));
        }
        if let Some(time) = &t.time {
            marks.push((
                time.span,
                "time",
                time.start.map(|d| d.to_string()).unwrap_or_default(),
            ));
        }
    }
    for d in &doc.deadlines {
        marks.push((d.span, "deadline", format!("{} {:?}", d.amount, d.unit)));
    }
    for q in doc.caps.iter().chain(&doc.targets) {
        marks.push((
            q.span,
            if doc.caps.contains(q) {
                "cap"
            } else {
                "target"
            },
            format!("{} {} {}", q.comparator, q.value, q.unit),
        ));
    }
    marks.sort_by_key(|m| (m.0.start, std::cmp::Reverse(m.0.end)));
    let mut out = Vec::new();
    let mut pos = doc.span.start.min(source.len());
    let end = doc.span.end.min(source.len());
    let slice = |a: usize, b: usize| source.get(a..b).unwrap_or("").to_owned();
    for (span, class, title) in marks {
        if span.start < pos || span.end > end || span.start >= span.end {
            continue; // overlapping or out of range: the first mark wins
        }
        if span.start > pos {
            out.push(Segment {
                text: slice(pos, span.start),
                class: "",
                title: String::new(),
            });
        }
        out.push(Segment {
            text: slice(span.start, span.end),
            class,
            title,
        });
        pos = span.end;
    }
    if pos < end {
        out.push(Segment {
            text: slice(pos, end),
            class: "",
            title: String::new(),
        });
    }
    out
}

fn doc_review(review: &ImportReview, index: usize, doc: &ParsedDocument) -> DocReview {
    let unknown: BTreeSet<String> = doc
        .issuers
        .iter()
        .chain(
            doc.tasks
                .iter()
                .flat_map(|t| t.lead_units.iter().chain(&t.responsible_units)),
        )
        .filter(|u| u.resolved.is_empty())
        .map(|u| u.raw.clone())
        .collect();
    let depth = |id: &str| {
        let mut n = 0;
        let mut cur = doc
            .clauses
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent.clone());
        while let Some(p) = cur {
            n += 1;
            cur = doc
                .clauses
                .iter()
                .find(|c| c.id == p)
                .and_then(|c| c.parent.clone());
        }
        n.min(4)
    };
    let number = doc.number.clone().unwrap_or_default();
    let published_href = number
        .parse::<tongxin_domain::DocNumber>()
        .map(|n| document_href(&n))
        .unwrap_or_default();
    DocReview {
        index,
        number,
        title: doc.title.clone().unwrap_or_default(),
        issued: doc.date.map(|d| d.to_string()).unwrap_or_default(),
        effective_from: String::new(),
        public: doc.public,
        kind: match doc.kind {
            tongxin_docparse::ParsedKind::Plan => "方案",
            tongxin_docparse::ParsedKind::System => "制度",
            tongxin_docparse::ParsedKind::Measures => "办法",
            tongxin_docparse::ParsedKind::Unknown => "未识别",
        },
        already: review
            .already_in_corpus
            .get(index)
            .copied()
            .unwrap_or(false),
        published_href,
        outline: doc
            .clauses
            .iter()
            .map(|c| {
                let shown = if c.title.is_empty() {
                    c.text.chars().take(24).collect()
                } else {
                    c.title.clone()
                };
                (depth(&c.id), c.label.clone(), shown)
            })
            .collect(),
        segments: highlight(&review.draft.source_text, doc),
        tasks: doc
            .tasks
            .iter()
            .map(|t| TaskRow {
                clause: t.clause.clone(),
                text: t.text.chars().take(80).collect(),
                lead_raw: unit_list_text(&t.lead_units),
                lead_shown: units_text(&t.lead_units),
                resp_raw: unit_list_text(&t.responsible_units),
                resp_shown: units_text(&t.responsible_units),
                people: t
                    .people
                    .iter()
                    .map(|p| format!("{}（{}）", p.name, p.role))
                    .collect::<Vec<_>>()
                    .join("、"),
                time: t.time.as_ref().map(|x| x.text.clone()).unwrap_or_default(),
                place: t.place.clone().unwrap_or_default(),
                unknown: t
                    .lead_units
                    .iter()
                    .chain(&t.responsible_units)
                    .any(|u| u.resolved.is_empty()),
            })
            .collect(),
        deadlines: doc
            .deadlines
            .iter()
            .map(|d| Row {
                cells: vec![
                    d.clause.clone(),
                    d.text.clone(),
                    d.amount.to_string(),
                    period_label(d.unit).into(),
                    d.relation.clone(),
                ],
                unknown: false,
            })
            .collect(),
        quantities: doc
            .caps
            .iter()
            .map(|q| ("限额", q))
            .chain(doc.targets.iter().map(|q| ("目标", q)))
            .map(|(k, q)| Row {
                cells: vec![
                    k.into(),
                    q.clause.clone(),
                    q.text.clone(),
                    format!(
                        "{} {}{}{}",
                        q.comparator,
                        q.value,
                        q.unit,
                        if q.inclusive { "（含）" } else { "" }
                    ),
                ],
                unknown: false,
            })
            .collect(),
        anomalies: doc.anomalies.iter().map(|a| a.message.clone()).collect(),
        unknown_units: unknown.into_iter().collect(),
    }
}

fn period_label(u: tongxin_docparse::PeriodUnit) -> &'static str {
    match u {
        tongxin_docparse::PeriodUnit::Workdays => "工作日",
        tongxin_docparse::PeriodUnit::Days => "日",
        tongxin_docparse::PeriodUnit::Months => "月",
        tongxin_docparse::PeriodUnit::Years => "年",
    }
}

async fn review_page(
    st: &AppState,
    actor: &Actor,
    id: i64,
    errors: HashMap<String, String>,
    notice: String,
    status: StatusCode,
    typed: Option<&PublishInput>,
) -> Result<Response, PageError> {
    let review = st.app.import_review(actor, id).await?;
    let docs = review
        .result
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut r = doc_review(&review, i, d);
            // What the official typed into a refused publish form stays as typed.
            if let Some(t) = typed.filter(|t| t.document == i) {
                r.number = t.number.clone();
                r.title = t.title.clone();
                r.issued = t.issued.clone();
                r.effective_from = t.effective_from.clone();
                r.public = t.public;
            }
            r
        })
        .collect();
    let page = ReviewPage {
        layout: Layout::new(st, Some(actor), "文件导入审核", "documents"),
        id,
        published: review.draft.status == "published",
        published_as: review.draft.published_as.clone().unwrap_or_default(),
        docs,
        errors,
        notice,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    Ok(res)
}

pub async fn review(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    review_page(
        &st,
        &actor,
        super::path_id(&id, "导入草稿")?,
        HashMap::new(),
        String::new(),
        StatusCode::OK,
        None,
    )
    .await
}

pub async fn map_alias(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let id = super::path_id(&id, "导入草稿")?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    match st
        .app
        .map_unit_alias(&actor, &get("name"), &get("unit"))
        .await
    {
        Ok(u) => {
            review_page(
                &st,
                &actor,
                id,
                HashMap::new(),
                format!("已登记：“{}”即{}", get("name").trim(), u.name),
                StatusCode::OK,
                None,
            )
            .await
        }
        Err(AppError::Validation(e)) => {
            let msg = crate::pages::messages(&e);
            let errors = HashMap::from([(format!("alias:{}", get("name")), msg)]);
            review_page(
                &st,
                &actor,
                id,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The task corrections in a publish form: `lead_3`, `resp_3`, `time_3`, `place_3`.
fn task_edits(form: &HashMap<String, String>) -> std::collections::BTreeMap<usize, TaskEdit> {
    let mut out: std::collections::BTreeMap<usize, TaskEdit> = Default::default();
    for (k, v) in form {
        let Some((field, i)) = k.rsplit_once('_') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else { continue };
        let e = out.entry(i).or_default();
        match field {
            "lead" => e.lead_units = Some(v.clone()),
            "resp" => e.responsible_units = Some(v.clone()),
            "time" => e.time = Some(v.clone()),
            "place" => e.place = Some(v.clone()),
            _ => {}
        }
    }
    out
}

pub async fn publish(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let id = super::path_id(&id, "导入草稿")?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = PublishInput {
        document: get("document").parse().unwrap_or(0),
        number: get("number"),
        title: get("title"),
        issued: get("issued"),
        effective_from: get("effective_from"),
        public: form.contains_key("public"),
        acknowledged: form.contains_key("acknowledged"),
        // The task checkboxes belong to the publish form: only the ticked ones are kept.
        task_edits: task_edits(&form),
        include_tasks: form.contains_key("tasks_listed").then(|| {
            form.keys()
                .filter_map(|k| k.strip_prefix("task_"))
                .filter_map(|i| i.parse().ok())
                .collect()
        }),
    };
    match st.app.publish_import(&actor, id, &input).await {
        Ok(number) => Ok(Redirect::to(&document_href(&number)).into_response()),
        Err(AppError::Validation(e)) => {
            let errors = e
                .into_iter()
                .map(|e| (format!("{}:{}", input.document, e.field), e.message))
                .collect();
            review_page(
                &st,
                &actor,
                id,
                errors,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&input),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
