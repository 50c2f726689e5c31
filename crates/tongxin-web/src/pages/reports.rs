//! 群众举报's pages: the public form (no login; a captcha drawn on the server; photos), the
//! receipt, following a report by its receipt number, and the published outcomes; for
//! officials the reports of their units and a report's page where the outcome is published.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::captcha::Challenge;
use tongxin_app::reports::{
    OutcomeInput, PublicReportView, ReportInput, ReportQuery, ReportReceipt, ReportView, TopicView,
};
use tongxin_app::supervision::UnitRef;

use super::attachments::read_multipart;
use super::{Layout, errors_by_field, messages, query_map, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{ClientIp, CurrentUser, MaybeUser, PageForm};

#[derive(Template)]
#[template(path = "report_new.html")]
pub struct ReportForm {
    pub layout: Layout,
    pub topics: Vec<TopicView>,
    pub townships: Vec<UnitRef>,
    pub captcha: Challenge,
    pub input: ReportInput,
    pub errors: HashMap<String, String>,
    pub summary: String,
    pub photos_max: usize,
    pub today: String,
}

impl ReportForm {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "report_receipt.html")]
pub struct ReceiptPage {
    pub layout: Layout,
    pub r: ReportReceipt,
    pub cite: Option<Cite>,
}

async fn form_page(
    st: &AppState,
    input: ReportInput,
    errors: Vec<tongxin_domain::FieldError>,
) -> Result<Response, PageError> {
    let summary = messages(&errors);
    let page = ReportForm {
        layout: Layout::new(st, None, "我要举报", ""),
        topics: st.app.report_topics(),
        townships: st.app.report_townships(),
        captcha: st.app.new_captcha().await?,
        input: ReportInput {
            captcha_answer: String::new(),
            captcha_token: String::new(),
            ..input
        },
        errors: errors_by_field(errors),
        summary,
        photos_max: tongxin_app::reports::PHOTOS_MAX,
        today: st.app.clock.today().to_string(),
    };
    Ok(render(&page))
}

/// 我要举报: the form.
pub async fn new_form(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let input = ReportInput {
        topic: q.get("topic").cloned().unwrap_or_default(),
        ..ReportInput::default()
    };
    form_page(&st, input, Vec::new()).await
}

/// 提交举报: stored, or the form again with every refusal by its field and everything typed
/// (photos must be chosen again: a browser does not send them back).
pub async fn submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let mut form = match read_multipart(mp, "photos").await {
        Ok(f) => f,
        Err(AppError::Validation(es)) => {
            let mut res = form_page(&st, ReportInput::default(), es).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
        Err(e) => return Err(e.into()),
    };
    let photos = form.take("photos");
    let get = |k: &str| form.field(k).to_owned();
    let input = ReportInput {
        topic: get("topic"),
        township: get("township"),
        place: get("place"),
        lon: get("lon"),
        lat: get("lat"),
        happened_on: get("happened_on"),
        description: get("description"),
        contact: get("contact"),
        captcha_token: get("captcha_token"),
        captcha_answer: get("captcha_answer"),
    };
    match st.app.submit_report(&input, &ip, &photos).await {
        Ok(r) => {
            let cite = cite_text(&r.period_clause);
            let page = ReceiptPage {
                layout: Layout::new(&st, None, "举报已受理", ""),
                r,
                cite,
            };
            let mut res = render(&page);
            *res.status_mut() = StatusCode::CREATED;
            Ok(res)
        }
        Err(AppError::Validation(es)) => {
            let mut res = form_page(&st, input, es).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "report_follow.html")]
pub struct FollowPage {
    pub layout: Layout,
    pub receipt: String,
    pub error: String,
    pub report: Option<PublicReportView>,
    pub cite: Option<Cite>,
    pub published: Vec<PublicReportView>,
}

/// 查询办理结果: by receipt number; below it, the latest published outcomes.
pub async fn follow(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let receipt = q.get("receipt").cloned().unwrap_or_default();
    let (report, error, status) = if receipt.trim().is_empty() {
        (None, String::new(), StatusCode::OK)
    } else {
        match st.app.follow_report(&receipt).await {
            Ok(r) => (Some(r), String::new(), StatusCode::OK),
            Err(AppError::Validation(es)) => {
                (None, messages(&es), StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(AppError::NotFound { what }) => (
                None,
                format!("{what}不存在，请核对受理编号"),
                StatusCode::NOT_FOUND,
            ),
            Err(e) => return Err(e.into()),
        }
    };
    let cite = report.as_ref().and_then(|r| cite_text(&r.clause));
    let page = FollowPage {
        layout: Layout::new(&st, None, "举报办理查询", ""),
        receipt,
        error,
        report,
        cite,
        published: st.app.published_reports(20).await?,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Template)]
#[template(path = "reports_list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub items: Vec<ReportView>,
    pub total: i64,
    pub topics: Vec<TopicView>,
    pub topic: String,
}

/// 群众举报 for officials: the reports their units handle.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let topic = q.get("topic").cloned().unwrap_or_default();
    let page = st
        .app
        .citizen_reports(
            &actor,
            &ReportQuery {
                topic: Some(topic.clone()),
                page: q.get("page").and_then(|p| p.parse().ok()),
            },
        )
        .await?;
    let view = ListPage {
        layout: Layout::new(&st, Some(&actor), "群众举报", "portal"),
        items: page.items,
        total: page.total,
        topics: st.app.report_topics(),
        topic,
    };
    Ok(render(&view))
}

#[derive(Template)]
#[template(path = "report_page.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub r: ReportView,
    pub cite: Option<Cite>,
    pub message: String,
    pub done: String,
    pub form: HashMap<String, String>,
}

impl ReportPage {
    fn typed(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
}

async fn report_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    receipt: &str,
    message: String,
    done: String,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let r = st.app.citizen_report(actor, receipt).await?;
    let cite = cite_text(&r.clause);
    let page = ReportPage {
        layout: Layout::new(
            st,
            Some(actor),
            &format!("群众举报 {}", r.receipt),
            "portal",
        ),
        r,
        cite,
        message,
        done,
        form,
    };
    Ok(render(&page))
}

/// A report for officials.
pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(receipt): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let done = query_map(q).get("done").cloned().unwrap_or_default();
    report_page(&st, &actor, &receipt, String::new(), done, HashMap::new()).await
}

/// 公布处理结果.
pub async fn publish(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(receipt): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = OutcomeInput {
        outcome: get("outcome"),
        reward: get("reward"),
        reward_amount: get("reward_amount"),
        reward_reason: get("reward_reason"),
        version: get("version").trim().parse().unwrap_or(-1),
    };
    match st
        .app
        .publish_report_outcome(&actor, &receipt, &input)
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!(
            "/reports/{}?done={}",
            r.receipt,
            crate::cite::segment("处理结果已公布")
        ))
        .into_response()),
        Err(e) => {
            let (status, message) = match e {
                AppError::Validation(es) => (StatusCode::UNPROCESSABLE_ENTITY, messages(&es)),
                AppError::Conflict(m) => (StatusCode::CONFLICT, m),
                e => return Err(e.into()),
            };
            let mut res = report_page(&st, &actor, &receipt, message, String::new(), raw).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// 公众服务: the portal's front page.
#[derive(Template)]
#[template(path = "portal.html")]
pub struct PortalPage {
    pub layout: Layout,
    pub topics: Vec<TopicView>,
    pub published: Vec<PublicReportView>,
}

pub async fn portal(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
) -> Result<Response, PageError> {
    let page = PortalPage {
        layout: Layout::new(&st, actor.as_ref(), "公众服务", "portal"),
        topics: st.app.report_topics(),
        published: st.app.published_reports(5).await?,
    };
    Ok(render(&page))
}

/// 重点工作进度公开: the campaign's actions and the chains, targets and status only.
#[derive(Template)]
#[template(path = "public_progress.html")]
pub struct ProgressPage {
    pub layout: Layout,
    pub today: String,
    /// (百日攻坚行动 | 产业链, its groups).
    pub sections: Vec<(&'static str, Vec<tongxin_app::plan_views::PublicGroup>)>,
}

pub async fn progress(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
) -> Result<Response, PageError> {
    let page = ProgressPage {
        layout: Layout::new(&st, actor.as_ref(), "重点工作进度公开", "portal"),
        today: st.app.clock.today().to_string(),
        sections: {
            let mut sections: Vec<(&'static str, Vec<_>)> = Vec::new();
            for g in st.app.public_progress().await? {
                match sections.last_mut() {
                    Some((k, gs)) if *k == g.kind => gs.push(g),
                    _ => sections.push((g.kind, vec![g])),
                }
            }
            sections
        },
    };
    Ok(render(&page))
}
