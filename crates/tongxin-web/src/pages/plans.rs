//! The plans' pages: the chains by chief (链长) and one chain, the 100-day campaign with its
//! evaluation, the festival calendar and its iCalendar feed, and a unit's page of everything
//! it owes.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use tongxin_app::plan_views::{CampaignView, EventItem, GroupDetail, GroupView, UnitOwed};
use tongxin_app::task_entry::{DraftTaskItem, NewTaskInput};

use super::{Layout, query_map, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

#[derive(Template)]
#[template(path = "plans_chains.html")]
pub struct ChainsPage {
    pub layout: Layout,
    pub leader: String,
    /// (chief, their chains)
    pub by_chief: Vec<(String, Vec<GroupView>)>,
}

/// 产业链: the 21 chains grouped by chief; `?leader=` one chief's page.
pub async fn chains(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let leader = q
        .get("leader")
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    let groups = st
        .app
        .groups(
            &actor,
            "chain",
            Some(leader.as_str()).filter(|l| !l.is_empty()),
        )
        .await?;
    let mut by_chief: Vec<(String, Vec<GroupView>)> = Vec::new();
    for g in groups {
        match by_chief.iter_mut().find(|(c, _)| *c == g.leader) {
            Some((_, gs)) => gs.push(g),
            None => by_chief.push((g.leader.clone(), vec![g])),
        }
    }
    let title = if leader.is_empty() {
        "产业链".to_owned()
    } else {
        format!("{leader}（链长）")
    };
    Ok(render(&ChainsPage {
        layout: Layout::new(&st, Some(&actor), &title, "supervision"),
        leader,
        by_chief,
    }))
}

#[derive(Template)]
#[template(path = "plans_group.html")]
pub struct GroupPage {
    pub layout: Layout,
    pub detail: GroupDetail,
    pub kind_label: &'static str,
    pub back: (&'static str, &'static str),
    pub source: Option<Cite>,
}

async fn group_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    kind: &str,
    key: &str,
) -> Result<Response, PageError> {
    let detail = st.app.group_detail(actor, kind, key).await?;
    let (kind_label, back) = match kind {
        "chain" => ("产业链", ("产业链", "/supervision/chains")),
        _ => ("攻坚行动", ("百日攻坚", "/supervision/campaign")),
    };
    let source = cite_text(&detail.group.source);
    Ok(render(&GroupPage {
        layout: Layout::new(st, Some(actor), &detail.group.name, "supervision"),
        detail,
        kind_label,
        back,
        source,
    }))
}

/// One chain: its chief, units, tasks, problems and latest reports.
pub async fn chain(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    group_page(&st, &actor, "chain", &key).await
}

/// One campaign action.
pub async fn campaign_action(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    group_page(&st, &actor, "campaign_action", &key).await
}

#[derive(Template)]
#[template(path = "plans_campaign.html")]
pub struct CampaignPage {
    pub layout: Layout,
    pub campaign: CampaignView,
    pub doc_href: String,
    /// 八、（一）: the evaluation and summary after the 100 days.
    pub evaluation_clause: Option<Cite>,
}

/// The plan documents' pages in the policy library.
fn doc_href(number: &str) -> String {
    number
        .parse::<tongxin_domain::DocNumber>()
        .map(|n| crate::cite::document_href(&n))
        .unwrap_or_else(|_| "/policies".to_owned())
}

/// 百日攻坚: the seven actions, their task forces and measures, and the evaluation.
pub async fn campaign(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let campaign = st.app.campaign(&actor).await?;
    Ok(render(&CampaignPage {
        layout: Layout::new(&st, Some(&actor), "百日攻坚", "supervision"),
        campaign,
        doc_href: doc_href("同党办综〔2023〕55号"),
        evaluation_clause: cite_text("同党办综〔2023〕55号 八、（一）"),
    }))
}

/// A day of the month with its events; None: a blank cell before the 1st or after the last.
pub type Cell = Option<(u32, Vec<EventItem>)>;

/// A month of the calendar: its weeks (Monday first), each day with its events.
pub struct Month {
    pub label: String,
    pub weeks: Vec<Vec<Cell>>,
}

fn months(events: &[EventItem]) -> Vec<Month> {
    let (Some(first), Some(last)) = (
        events.iter().map(|e| e.starts).min(),
        events.iter().map(|e| e.ends).max(),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(first.year(), first.month(), 1);
    while let Some(start) = m.filter(|s| *s <= last) {
        let next = start
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(start);
        let mut weeks: Vec<Vec<Cell>> = Vec::new();
        let mut week: Vec<Cell> = vec![None; start.weekday().num_days_from_monday() as usize];
        let mut d = start;
        while d < next {
            // An activity is shown on the day it starts (with its last day), a deadline on its
            // day: a three-month activity would otherwise fill every cell.
            let todays: Vec<EventItem> = events.iter().filter(|e| e.starts == d).cloned().collect();
            week.push(Some((d.day(), todays)));
            if week.len() == 7 {
                weeks.push(std::mem::take(&mut week));
            }
            d = d.succ_opt().unwrap_or(next);
        }
        if !week.is_empty() {
            week.resize(7, None);
            weeks.push(week);
        }
        out.push(Month {
            label: start.format("%Y年%-m月").to_string(),
            weeks,
        });
        m = Some(next).filter(|n| *n > start);
    }
    out
}

#[derive(Template)]
#[template(path = "plans_festival.html")]
pub struct FestivalPage {
    pub layout: Layout,
    pub unit: String,
    pub error: String,
    pub events: Vec<EventItem>,
    pub months: Vec<Month>,
    pub feed_href: String,
    pub doc_href: String,
}

/// 活动日历: the festival's activities and deadlines, as a list and on month calendars.
pub async fn festival(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let unit = q
        .get("unit")
        .map(|u| u.trim().to_owned())
        .unwrap_or_default();
    let mut error = String::new();
    let unit_id = if unit.is_empty() {
        None
    } else {
        match st.app.directory().resolve_unit(&unit) {
            Some(u) => Some(u.id.0.clone()),
            None => {
                error = format!("单位“{unit}”不在组织机构中");
                None
            }
        }
    };
    let events = st.app.festival(&actor, unit_id.as_deref()).await?;
    let feed_href = match &unit_id {
        Some(_) => format!(
            "/supervision/festival.ics?{}",
            serde_urlencoded::to_string([("unit", unit.as_str())]).unwrap_or_default()
        ),
        None => format!(
            "/supervision/festival.ics?{}",
            serde_urlencoded::to_string([("unit", actor_unit_name(&st, &actor))])
                .unwrap_or_default()
        ),
    };
    let months = months(&events);
    let mut res = render(&FestivalPage {
        layout: Layout::new(&st, Some(&actor), "活动日历", "supervision"),
        unit,
        events,
        months,
        feed_href,
        doc_href: doc_href("同党办综〔2023〕64号"),
        error: error.clone(),
    });
    if !error.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

fn actor_unit_name(st: &AppState, actor: &tongxin_app::Actor) -> String {
    st.app
        .directory()
        .get(&actor.unit.0)
        .map(|u| u.short_name.clone())
        .unwrap_or_else(|| actor.unit.0.clone())
}

/// 日历订阅: a unit's festival activities and deadlines as iCalendar, without login (the
/// plan is a public document; the feed carries only what it says).
pub async fn festival_feed(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let unit = q
        .get("unit")
        .map(|u| u.trim().to_owned())
        .unwrap_or_default();
    if unit.is_empty() {
        return Err(PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "请在地址中写明单位：/supervision/festival.ics?unit=单位名称".into(),
        });
    }
    let (u, events) = st.app.festival_feed(&unit).await?;
    let stamp = st.app.clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    let text = tongxin_app::plan_views::icalendar(
        &format!("同心县“红红火火过大年”活动（{}）", u.name),
        &events,
        &stamp,
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"festival.ics\"".to_owned(),
            ),
        ],
        text,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "plans_unit.html")]
pub struct UnitPage {
    pub layout: Layout,
    pub owed: UnitOwed,
    pub pages: i64,
    pub prev_href: String,
    pub next_href: String,
}

/// 单位应报: everything a unit owes, soonest due first, and its open problems.
pub async fn unit(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(unit): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let page = q
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let per_page = 50;
    let owed = st.app.unit_owed(&actor, &unit, page, per_page).await?;
    let pages = ((owed.owed.total + per_page - 1) / per_page).max(1);
    let href = |n: i64| {
        format!(
            "/supervision/units/{}?page={n}",
            crate::cite::segment(&owed.unit.id)
        )
    };
    Ok(render(&UnitPage {
        layout: Layout::new(&st, Some(&actor), &owed.unit.name, "supervision"),
        prev_href: if page > 1 {
            href(page - 1)
        } else {
            String::new()
        },
        next_href: if page < pages {
            href(page + 1)
        } else {
            String::new()
        },
        pages,
        owed,
    }))
}

#[derive(Template)]
#[template(path = "supervision_new.html")]
pub struct NewTaskPage {
    pub layout: Layout,
    pub input: NewTaskInput,
    pub errors: std::collections::HashMap<String, String>,
    pub message: String,
    /// The imported document whose drafts are listed, and its drafts.
    pub doc: String,
    pub drafts: Vec<DraftTaskItem>,
    pub client_key: String,
}

impl NewTaskPage {
    pub fn error(&self, k: &str) -> &str {
        self.errors.get(k).map(String::as_str).unwrap_or_default()
    }
}

fn new_task_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    input: NewTaskInput,
    errors: std::collections::HashMap<String, String>,
    message: String,
    doc: String,
    drafts: Vec<DraftTaskItem>,
) -> Response {
    let client_key = if input.client_key.is_empty() {
        // A fresh key per form shown: sent twice, it makes one task.
        format!(
            "{}-{}",
            st.app.clock.now().timestamp_micros(),
            actor.username.len()
        )
    } else {
        input.client_key.clone()
    };
    render(&NewTaskPage {
        layout: Layout::new(st, Some(actor), "新建督办任务", "supervision"),
        input,
        errors,
        message,
        doc,
        drafts,
        client_key,
    })
}

/// 新建督办任务: the form (blank, or filled from a draft with `?draft=`), and with `?doc=` the
/// imported document's draft tasks to publish.
pub async fn new_task(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let input = match q.get("draft").and_then(|d| d.parse::<i64>().ok()) {
        Some(id) => st.app.draft_task_form(&actor, id).await?,
        None => {
            // Only the office adds tasks: refused here rather than after typing.
            st.app.require(
                &actor,
                tongxin_domain::Permission::Supervise,
                "新建督办任务",
            )?;
            NewTaskInput {
                cadence: "一次性".into(),
                ..NewTaskInput::default()
            }
        }
    };
    let doc = q
        .get("doc")
        .map(|d| d.trim().to_owned())
        .unwrap_or_default();
    let (drafts, message) = if doc.is_empty() {
        (Vec::new(), String::new())
    } else {
        match st.app.draft_task_items(&actor, &doc).await {
            Ok(d) => (d, String::new()),
            Err(tongxin_app::AppError::Validation(es)) => (Vec::new(), crate::pages::messages(&es)),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(new_task_page(
        &st,
        &actor,
        input,
        Default::default(),
        message,
        doc,
        drafts,
    ))
}

pub async fn create_task(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = NewTaskInput {
        title: get("title"),
        source: get("source"),
        lead: get("lead"),
        responsible: get("responsible"),
        leader: get("leader"),
        cadence: get("cadence"),
        starts: get("starts"),
        due: get("due"),
        until: get("until"),
        link_kind: get("link_kind"),
        link_ref: get("link_ref"),
        parent_id: get("parent_id").trim().parse().ok(),
        place: get("place"),
        note: get("note"),
        draft_id: get("draft_id").trim().parse().ok(),
        client_key: get("client_key"),
    };
    match st.app.create_task(&actor, &input).await {
        Ok(t) => Ok(Redirect::to(&format!(
            "/supervision/tasks/{}?done={}",
            t.id,
            crate::cite::segment("任务已建立")
        ))
        .into_response()),
        Err(tongxin_app::AppError::Validation(es)) => {
            let message = crate::pages::messages(&es);
            let mut res = new_task_page(
                &st,
                &actor,
                input,
                super::errors_by_field(es),
                message,
                String::new(),
                Vec::new(),
            );
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(tongxin_app::AppError::Conflict(m)) => {
            let mut res = new_task_page(
                &st,
                &actor,
                input,
                Default::default(),
                m,
                String::new(),
                Vec::new(),
            );
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
