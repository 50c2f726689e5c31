//! 财源's pages: the overview (the year against its path, the months with their non-tax report
//! deadlines, tax by type and industry, the key tax-source register and its alerts), the
//! finance bureau's monthly entry and settings, the tax bureau's import with its row-by-row
//! report, the 2:2:4:2 calculator, and the XLSX export.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::indicators::ImportReport;
use tongxin_app::revenue::{GuaranteeSplit, MonthlyInput, RevenueOverview, SettingsInput};

use super::attachments::read_multipart;
use super::{Layout, query_map, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

/// What the page shows besides the overview: the outcome of what was just done.
#[derive(Default)]
pub struct Outcome {
    pub notice: String,
    pub message: String,
    pub typed: std::collections::HashMap<String, String>,
    pub report: Option<ImportReport>,
}

#[derive(Template)]
#[template(path = "revenue.html")]
pub struct RevenuePage {
    pub layout: Layout,
    pub o: RevenueOverview,
    pub target_cite: Option<Cite>,
    /// The path's years, each with its clause link.
    pub path: Vec<(tongxin_app::revenue::PathYear, Option<Cite>)>,
    pub chart_json: String,
    pub outcome: Outcome,
    /// How many of the register the page lists (all with `?all=1`; the XLSX has all).
    pub register_limit: usize,
}

/// The register's first rows on the overview.
const REGISTER_ON_PAGE: usize = 50;

impl RevenuePage {
    pub fn typed(&self, k: &str) -> &str {
        self.outcome
            .typed
            .get(k)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// The chart: each month's cumulative revenue against the straight line to the year's target.
fn chart_json(o: &RevenueOverview) -> String {
    let months: Vec<&str> = o.months.iter().map(|m| m.label.as_str()).collect();
    let plain = |s: &Option<String>| s.as_ref().map(|v| v.replace(',', ""));
    let cumulative: Vec<Option<String>> = o.months.iter().map(|m| plain(&m.cumulative)).collect();
    let mut series =
        vec![serde_json::json!({"name": "累计收入", "type": "bar", "values": cumulative})];
    if let Some(t) = &o.target {
        let t: f64 = t.replace(',', "").parse().unwrap_or(0.0);
        let line: Vec<String> = (1..=o.months.len())
            .map(|m| format!("{:.2}", t * m as f64 / 12.0))
            .collect();
        series.push(serde_json::json!({"name": "序时进度", "type": "line", "values": line}));
    }
    serde_json::json!({
        "unit": "万元",
        "categories": months,
        "series": series,
        "target": o.target.as_ref().map(|t| serde_json::json!({"value": t.replace(',', ""), "label": format!("全年目标 {t}万元")})),
    })
    .to_string()
}

fn year_of(q: &std::collections::HashMap<String, String>) -> Result<Option<i32>, PageError> {
    match q.get("year").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(y) => y.parse().map(Some).map_err(|_| PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("“年份”“{y}”不是年份"),
        }),
    }
}

async fn page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    year: Option<i32>,
    outcome: Outcome,
    all: bool,
) -> Result<Response, PageError> {
    let o = st.app.revenue_overview(actor, year).await?;
    Ok(render(&RevenuePage {
        layout: Layout::new(st, Some(actor), "财源", "indicators"),
        target_cite: o.target_citation.as_deref().and_then(cite_text),
        path: o
            .path
            .iter()
            .map(|p| (p.clone(), p.citation.as_deref().and_then(cite_text)))
            .collect(),
        chart_json: chart_json(&o),
        o,
        outcome,
        register_limit: if all { usize::MAX } else { REGISTER_ON_PAGE },
    }))
}

/// 财源总览.
pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let year = year_of(&q)?;
    let notice = q.get("done").cloned().unwrap_or_default();
    // 更正: a month's row links here with its figures and version to fill the form.
    let typed = ["month", "tax", "non_tax", "version"]
        .iter()
        .filter_map(|k| q.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect();
    page(
        &st,
        &actor,
        year,
        Outcome {
            notice,
            typed,
            ..Default::default()
        },
        q.get("all").is_some_and(|v| v == "1"),
    )
    .await
}

/// 月度收入 (form=monthly) or 设置 (form=settings).
pub async fn post(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let result = match get("form").as_str() {
        "settings" => st
            .app
            .set_revenue_settings(
                &actor,
                &SettingsInput {
                    alert_fall: get("alert_fall"),
                    cover: get("cover"),
                    per_industry: get("per_industry"),
                },
            )
            .await
            .map(|_| "已保存设置"),
        _ => st
            .app
            .enter_monthly_revenue(
                &actor,
                &MonthlyInput {
                    month: get("month"),
                    tax: get("tax"),
                    non_tax: get("non_tax"),
                    note: get("note"),
                    version: get("version").parse().ok(),
                },
            )
            .await
            .map(|_| "已填报"),
    };
    let (status, message) = match result {
        Ok(done) => {
            return Ok(
                Redirect::to(&format!("/revenue?done={}", crate::cite::segment(done)))
                    .into_response(),
            );
        }
        Err(AppError::Validation(es)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::pages::messages(&es),
        ),
        Err(AppError::Conflict(m)) => (StatusCode::CONFLICT, m),
        Err(e) => return Err(e.into()),
    };
    let outcome = Outcome {
        message,
        typed: raw,
        ..Default::default()
    };
    let mut res = page(&st, &actor, None, outcome, false).await?;
    *res.status_mut() = status;
    Ok(res)
}

/// 导入税收数据 (multipart: `file`): the page again with the row-by-row report.
pub async fn import(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let result = match read_multipart(mp, "file").await {
        Ok(mut form) => match form.take("file").into_iter().next() {
            Some(f) => st.app.import_tax_data(&actor, &f.name, &f.bytes).await,
            None => Err(AppError::field("file", "请选择要导入的.xlsx或.csv文件")),
        },
        Err(e) => Err(e),
    };
    let (status, outcome) = match result {
        Ok(report) => (
            StatusCode::OK,
            Outcome {
                notice: format!(
                    "导入完成：{}行导入，{}行失败",
                    report.imported, report.failed
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
    let mut res = page(&st, &actor, None, outcome, false).await?;
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Template)]
#[template(path = "revenue_guarantee.html")]
pub struct GuaranteePage {
    pub layout: Layout,
    pub amount: String,
    pub split: Option<GuaranteeSplit>,
    pub cite: Option<Cite>,
    pub message: String,
}

/// 风险分担计算器.
pub async fn guarantee(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let amount = query_map(q).get("amount").cloned().unwrap_or_default();
    let (split, message, status) = if amount.trim().is_empty() {
        (None, String::new(), StatusCode::OK)
    } else {
        match st.app.guarantee_split(&amount) {
            Ok(s) => (Some(s), String::new(), StatusCode::OK),
            Err(AppError::Validation(es)) => (
                None,
                crate::pages::messages(&es),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(e) => return Err(e.into()),
        }
    };
    let cite = split
        .as_ref()
        .and_then(|s| cite_text(&s.citation))
        .or_else(|| cite_text("同政办发〔2023〕76号 四、（八）"));
    let mut res = render(&GuaranteePage {
        layout: Layout::new(&st, Some(&actor), "风险分担计算", "indicators"),
        amount,
        split,
        cite,
        message,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// 财源台账 (XLSX): the months, tax by type and industry, the register and alerts.
pub async fn xlsx(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let o = st.app.revenue_overview(&actor, year_of(&q)?).await?;
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let mut book = crate::xlsx::Book::new();
    let build = |book: &mut crate::xlsx::Book| -> Result<(), rust_xlsxwriter::XlsxError> {
        book.table(
            &format!("{}年月度收入", o.year),
            &[
                ("月份", 12.0),
                ("税收收入（万元）", 16.0),
                ("非税收入（万元）", 16.0),
                ("一般公共预算收入（万元）", 20.0),
                ("累计（万元）", 16.0),
                ("环比", 10.0),
                ("同比", 10.0),
                ("非税报送期限", 14.0),
                ("报送情况", 12.0),
            ],
            o.months
                .iter()
                .map(|m| {
                    vec![
                        m.label.clone(),
                        opt(&m.tax),
                        opt(&m.non_tax),
                        opt(&m.total),
                        opt(&m.cumulative),
                        opt(&m.mom),
                        opt(&m.yoy),
                        m.due.map(|d| d.to_string()).unwrap_or_default(),
                        m.report_status.to_owned(),
                    ]
                })
                .collect(),
            &format!(
                "全年目标：{}万元（{}）；{}",
                o.target.clone().unwrap_or_else(|| "尚未设定".into()),
                o.target_citation.clone().unwrap_or_default(),
                o.progress_label
            ),
        )?;
        for (name, list) in [("分税种", &o.by_type), ("分行业", &o.by_industry)] {
            book.table(
                name,
                &[
                    (name.trim_start_matches('分'), 20.0),
                    ("本年（万元）", 16.0),
                    ("上年同期（万元）", 16.0),
                    ("同比", 10.0),
                ],
                list.iter()
                    .map(|b| {
                        vec![
                            b.name.clone(),
                            b.amount.clone(),
                            b.year_before.clone(),
                            opt(&b.yoy),
                        ]
                    })
                    .collect(),
                &format!("截至{}", o.tax_through.clone().unwrap_or_default()),
            )?;
        }
        if let Some(ks) = &o.key_sources {
            book.table(
                "重点税源",
                &[
                    ("排名", 6.0),
                    ("统一社会信用代码", 22.0),
                    ("纳税人", 30.0),
                    ("行业", 14.0),
                    ("产业链", 14.0),
                    ("近12个月税收（万元）", 18.0),
                    ("占比", 10.0),
                    ("入选理由", 30.0),
                ],
                ks.iter()
                    .map(|k| {
                        vec![
                            k.rank.to_string(),
                            k.credit_code.clone(),
                            k.name.clone(),
                            k.industry.clone(),
                            k.chain.clone(),
                            k.amount.clone(),
                            k.share.clone(),
                            k.reasons.join("；"),
                        ]
                    })
                    .collect(),
                &format!(
                    "规则：税收合计占比前{}，每个行业前{}位（同政办发〔2023〕76号 二、（一））",
                    o.settings.cover, o.settings.per_industry
                ),
            )?;
        }
        if let Some(al) = &o.alerts {
            book.table(
                "预警",
                &[
                    ("统一社会信用代码", 22.0),
                    ("纳税人", 30.0),
                    ("行业", 14.0),
                    ("月份", 12.0),
                    ("本月（万元）", 14.0),
                    ("上年同月（万元）", 16.0),
                    ("同比", 10.0),
                ],
                al.iter()
                    .map(|a| {
                        vec![
                            a.credit_code.clone(),
                            a.name.clone(),
                            a.industry.clone(),
                            a.month.clone(),
                            a.amount.clone(),
                            a.year_before.clone(),
                            a.change.clone(),
                        ]
                    })
                    .collect(),
                &format!(
                    "降幅超过{}的重点税源企业",
                    o.settings.alert_fall.clone().unwrap_or_default()
                ),
            )?;
        }
        Ok(())
    };
    build(&mut book)
        .and_then(|_| book.finish())
        .map_err(|e| PageError::from(AppError::Internal(format!("台账生成失败：{e}"))))
        .map(|bytes| {
            crate::pages::cases::ledger::xlsx_response(
                bytes,
                &format!("revenue-{}.xlsx", o.year),
                &format!("财源{}年.xlsx", o.year),
            )
        })
}
