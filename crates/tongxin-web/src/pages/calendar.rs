//! 日历管理: the official working-day calendar the county computes on — the national notices
//! by year, the 宁夏 regional years (built-in and entered, verified or not), the years missing,
//! a calculator, and (for the system administrator) entering a regional notice.

use askama::Template;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;
use tongxin_app::calendar::{QueryAnswer, REGION, RegionalYearInput, RegionalYearView};
use tongxin_app::{Actor, AppError};
use tongxin_domain::Permission;

use super::{Layout, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

pub struct NoticeRow {
    pub year: i32,
    pub number: String,
    pub title: String,
    pub url: String,
    pub working_days: u32,
    pub statutory_days: u32,
    pub amending: Vec<String>,
    pub caution: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    pub layout: Layout,
    pub region: &'static str,
    pub covered: String,
    pub notices: Vec<NoticeRow>,
    pub regional: Vec<RegionalYearView>,
    pub missing: Vec<i32>,
    pub q: String,
    pub answer: Option<QueryAnswer>,
    pub query_error: String,
    pub can_manage: bool,
    pub form: RegionalYearInput,
    pub errors: HashMap<String, String>,
    pub notice: Option<String>,
}

impl CalendarPage {
    pub fn error(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    q: Option<String>,
    notice: Option<String>,
}

async fn page(
    st: &AppState,
    actor: &Actor,
    q: String,
    form: RegionalYearInput,
    errors: HashMap<String, String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let cal = st.app.calendar();
    let notices = cal
        .covered_years()
        .filter_map(|y| cal.notices(y))
        .map(|n| NoticeRow {
            year: n.year,
            number: n.notice.number.clone(),
            title: n.notice.title.clone(),
            url: n.notice.url.clone(),
            working_days: n.working_days,
            statutory_days: n.statutory_days,
            amending: n
                .amending
                .iter()
                .map(|a| format!("{}（{}）", a.title, a.number))
                .collect(),
            caution: n.notice.number_confidence.clone().unwrap_or_default(),
        })
        .collect();
    let (regional, missing) = st.app.regional_years().await?;
    let (answer, query_error) = if q.trim().is_empty() {
        (None, String::new())
    } else {
        match st.app.calendar_query(&q, false) {
            Ok(a) => (Some(a), String::new()),
            Err(AppError::Validation(e)) => (None, crate::pages::messages(&e)),
            Err(e) => return Err(e.into()),
        }
    };
    let range = cal.covered_range();
    let p = CalendarPage {
        layout: Layout::new(st, Some(actor), "日历管理", "calendar"),
        region: REGION,
        covered: format!("{} 至 {}", range.start(), range.end()),
        notices,
        regional,
        missing,
        q,
        answer,
        query_error,
        can_manage: actor.role.permits(Permission::ManageCalendar),
        form,
        errors,
        notice,
    };
    Ok(render(&p))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice.filter(|n| n.chars().count() <= 100);
    page(
        &st,
        &actor,
        q.q.unwrap_or_default(),
        RegionalYearInput::default(),
        HashMap::new(),
        notice,
    )
    .await
}

pub async fn add_regional(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(form): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = RegionalYearInput {
        year: get("year"),
        notice: get("notice"),
        extra_off: get("extra_off"),
        extra_workdays: get("extra_workdays"),
        verified: form
            .get("verified")
            .is_some_and(|v| v == "on" || v == "true"),
    };
    match st.app.add_regional_year(Some(&actor), &input).await {
        Ok(v) => {
            let notice = format!("已录入{}年地方节假日（{}）", v.year, v.notice);
            Ok(
                Redirect::to(&format!("/calendar?notice={}", crate::urlencode(&notice)))
                    .into_response(),
            )
        }
        Err(AppError::Validation(errors)) => {
            let map = errors.into_iter().map(|e| (e.field, e.message)).collect();
            let mut res = page(&st, &actor, String::new(), input, map, None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
