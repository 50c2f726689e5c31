//! 指标's pages: every target with its status (the leader's overview), and an indicator's page
//! with its series drawn against the target line, its entries, the unit's entry form and the
//! office's review.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::indicators::{
    ImportReport, IndicatorSummary, IndicatorView, ValueInput, ValueReviewInput,
};

use super::attachments::read_multipart;
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

/// 指标总览 (XLSX): every target with its clause, latest value and status.
pub async fn xlsx(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let items = st.app.list_indicators(&actor).await?;
    let today = st.app.clock.today();
    let mut book = crate::xlsx::Book::new();
    book.table(
        "指标总览",
        &[
            ("指标", 34.0),
            ("目标", 18.0),
            ("期限", 12.0),
            ("依据", 28.0),
            ("填报单位", 18.0),
            ("最新值", 14.0),
            ("填报期", 14.0),
            ("状态", 10.0),
            ("理由", 40.0),
        ],
        items
            .iter()
            .map(|i| {
                vec![
                    i.name.clone(),
                    i.target_text.clone(),
                    i.deadline.to_string(),
                    i.citation.clone(),
                    i.responsible.name.clone(),
                    i.latest.clone().unwrap_or_default(),
                    i.latest_period.clone().unwrap_or_default(),
                    i.status_label.to_owned(),
                    i.reason.clone(),
                ]
            })
            .collect(),
        &format!("状态为导出日（{today}）的状态。"),
    )
    .and_then(|_| book.finish())
    .map_err(|e| PageError::from(AppError::Internal(format!("导出失败：{e}"))))
    .map(|bytes| {
        crate::pages::cases::ledger::xlsx_response(
            bytes,
            &format!("indicators-{today}.xlsx"),
            &format!("指标总览{today}.xlsx"),
        )
    })
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

/// What the page shows besides the indicator: the outcome of what was just done.
#[derive(Default)]
pub struct Outcome {
    pub notice: String,
    pub message: String,
    pub typed: std::collections::HashMap<String, String>,
    /// The entry was far from the last: the form offers the confirmation.
    pub ask_confirm: bool,
    /// An import's row-by-row report.
    pub report: Option<ImportReport>,
}

#[derive(Template)]
#[template(path = "indicators_show.html")]
pub struct ShowPage {
    pub layout: Layout,
    pub view: IndicatorView,
    pub citation: Option<Cite>,
    pub chart: Option<Chart>,
    /// The series for the interactive chart (ECharts), as JSON.
    pub series_json: String,
    pub outcome: Outcome,
}

impl ShowPage {
    pub fn typed(&self, k: &str) -> &str {
        self.outcome
            .typed
            .get(k)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// The chart's data: periods, values, the target, the unit.
fn series_json(view: &IndicatorView) -> String {
    let counted: Vec<_> = view
        .entries
        .iter()
        .filter(|e| e.review != "returned")
        .collect();
    serde_json::json!({
        "unit": view.summary.unit,
        "categories": counted.iter().map(|e| &e.period).collect::<Vec<_>>(),
        "series": [{
            "name": view.summary.name,
            "type": "line",
            "values": counted.iter().map(|e| &e.value).collect::<Vec<_>>(),
        }],
        "target": { "value": view.target, "label": format!("目标 {}", view.summary.target_text) },
    })
    .to_string()
}

async fn show_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    code: &str,
    outcome: Outcome,
) -> Result<Response, PageError> {
    let view = st.app.indicator_view(actor, code).await?;
    Ok(render(&ShowPage {
        layout: Layout::new(st, Some(actor), &view.summary.name, "indicators"),
        citation: cite_text(&view.summary.citation),
        chart: chart(&view),
        series_json: series_json(&view),
        view,
        outcome,
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
        Outcome {
            notice,
            ..Default::default()
        },
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
                    numerator: get("numerator"),
                    denominator: get("denominator"),
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
    let outcome = Outcome {
        message,
        typed: raw,
        ask_confirm: ask,
        ..Default::default()
    };
    let mut res = show_page(&st, &actor, &code, outcome).await?;
    *res.status_mut() = status;
    Ok(res)
}

/// 导入 (multipart: `file`, `confirm`): the page again with the row-by-row report.
pub async fn import(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(code): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match read_multipart(mp, "file").await {
        Ok(mut form) => {
            let confirm = form.field("confirm") == "1";
            match form.take("file").into_iter().next() {
                Some(f) => {
                    st.app
                        .import_indicator_values(&actor, &code, &f.name, &f.bytes, confirm)
                        .await
                }
                None => Err(AppError::field("file", "请选择要导入的.xlsx或.csv文件")),
            }
        }
        Err(e) => Err(e),
    };
    let (status, outcome) = match result {
        Ok(report) => (
            StatusCode::OK,
            Outcome {
                notice: format!(
                    "导入完成：新增{}期，更新{}期，失败{}行",
                    report.imported, report.updated, report.failed
                ),
                report: Some(report),
                ..Default::default()
            },
        ),
        Err(AppError::Validation(es)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                message: format!("未导入：{}", crate::pages::messages(&es)),
                ..Default::default()
            },
        ),
        Err(AppError::Conflict(m)) => (
            StatusCode::CONFLICT,
            Outcome {
                message: format!("未导入：{m}"),
                ..Default::default()
            },
        ),
        Err(e) => return Err(e.into()),
    };
    let mut res = show_page(&st, &actor, &code, outcome).await?;
    *res.status_mut() = status;
    Ok(res)
}
