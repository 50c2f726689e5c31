//! 指标's pages: every target with its status (the leader's overview), and an indicator's page
//! with its series drawn against the target line, its entries, the unit's entry form and the
//! office's review.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::indicators::{IndicatorSummary, IndicatorView, ValueInput, ValueReviewInput};

use super::{Layout, query_map, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

#[derive(Template)]
#[template(path = "indicators_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub items: Vec<(IndicatorSummary, Option<Cite>)>,
    /// How many of each status: 已达标, 进度正常, 有风险, 未达标, 尚无数据.
    pub counts: Vec<(&'static str, &'static str, usize)>,
}

/// 指标总览.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    use tongxin_domain::indicators::Status;
    let items = st.app.list_indicators(&actor).await?;
    let counts = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::Missed,
        Status::NoData,
    ]
    .into_iter()
    .map(|s| {
        (
            s.label(),
            s.colour(),
            items.iter().filter(|i| i.status == s).count(),
        )
    })
    .collect();
    Ok(render(&ListPage {
        layout: Layout::new(&st, Some(&actor), "指标", "indicators"),
        items: items
            .into_iter()
            .map(|i| {
                let c = cite_text(&i.citation);
                (i, c)
            })
            .collect(),
        counts,
    }))
}

/// A series drawn on the server: the values as a line, the target as a dashed line.
pub struct Chart {
    pub width: i64,
    pub height: i64,
    pub points: String,
    pub dots: Vec<(i64, i64, String)>,
    pub target_y: i64,
    pub labels: Vec<(i64, String)>,
    pub top: String,
    pub bottom: String,
}

fn chart(view: &IndicatorView) -> Option<Chart> {
    use tongxin_domain::indicators::Value;
    let series: Vec<(String, Value)> = view
        .entries
        .iter()
        .filter(|e| e.review != "returned")
        .filter_map(|e| Some((e.period.clone(), Value::parse(&e.value).ok()?)))
        .collect();
    if series.is_empty() {
        return None;
    }
    let target = Value::parse(&view.target).ok()?;
    let (w, h, pad) = (640i64, 240i64, 30i64);
    let lo = series.iter().map(|(_, v)| v.0).chain([target.0, 0]).min()?;
    let hi = series.iter().map(|(_, v)| v.0).chain([target.0]).max()?;
    let hi = if hi == lo {
        lo + 1000
    } else {
        hi + (hi - lo) / 10
    };
    let y = |v: i64| pad + (h - 2 * pad) * (hi - v) / (hi - lo);
    let step = if series.len() > 1 {
        (w - 2 * pad) / (series.len() as i64 - 1)
    } else {
        0
    };
    let x = |i: usize| pad + step * i as i64;
    let dots: Vec<(i64, i64, String)> = series
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (x(i), y(v.0), v.to_string()))
        .collect();
    let every = (series.len() / 6).max(1);
    Some(Chart {
        width: w,
        height: h,
        points: dots
            .iter()
            .map(|(a, b, _)| format!("{a},{b}"))
            .collect::<Vec<_>>()
            .join(" "),
        target_y: y(target.0),
        labels: series
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, (p, _))| (x(i), p.clone()))
            .collect(),
        top: Value(hi).to_string(),
        bottom: Value(lo).to_string(),
        dots,
    })
}

#[derive(Template)]
#[template(path = "indicators_show.html")]
pub struct ShowPage {
    pub layout: Layout,
    pub view: IndicatorView,
    pub citation: Option<Cite>,
    pub chart: Option<Chart>,
    pub notice: String,
    pub message: String,
    pub typed: std::collections::HashMap<String, String>,
    /// The entry was far from the last: the form offers the confirmation.
    pub ask_confirm: bool,
}

impl ShowPage {
    pub fn typed(&self, k: &str) -> &str {
        self.typed.get(k).map(String::as_str).unwrap_or_default()
    }
}

async fn show_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    code: &str,
    notice: String,
    message: String,
    typed: std::collections::HashMap<String, String>,
    ask_confirm: bool,
) -> Result<Response, PageError> {
    let view = st.app.indicator_view(actor, code).await?;
    Ok(render(&ShowPage {
        layout: Layout::new(st, Some(actor), &view.summary.name, "indicators"),
        citation: cite_text(&view.summary.citation),
        chart: chart(&view),
        view,
        notice,
        message,
        typed,
        ask_confirm,
    }))
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let notice = query_map(q).get("done").cloned().unwrap_or_default();
    show_page(
        &st,
        &actor,
        &code,
        notice,
        String::new(),
        Default::default(),
        false,
    )
    .await
}

/// 填报 (form=value) or 审核 (form=review).
pub async fn post(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let result = match get("form").as_str() {
        "review" => st
            .app
            .review_indicator_value(
                &actor,
                get("id").parse().unwrap_or(0),
                &ValueReviewInput {
                    decision: get("decision"),
                    comment: get("comment"),
                    version: get("version").parse().unwrap_or(-1),
                },
            )
            .await
            .map(|_| "已审核"),
        _ => st
            .app
            .enter_indicator_value(
                &actor,
                &code,
                &ValueInput {
                    period: get("period"),
                    value: get("value"),
                    note: get("note"),
                    confirm: get("confirm") == "1",
                },
            )
            .await
            .map(|_| "已填报"),
    };
    let (status, message, ask) = match result {
        Ok(done) => {
            return Ok(Redirect::to(&format!(
                "/indicators/{}?done={}",
                crate::cite::segment(&code),
                crate::cite::segment(done)
            ))
            .into_response());
        }
        Err(AppError::Validation(es)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::pages::messages(&es),
            es.iter().any(|e| e.field == "confirm"),
        ),
        Err(AppError::Conflict(m)) => (StatusCode::CONFLICT, m, false),
        Err(e) => return Err(e.into()),
    };
    let mut res = show_page(&st, &actor, &code, String::new(), message, raw, ask).await?;
    *res.status_mut() = status;
    Ok(res)
}
