//! 公示异议 on the public portal: the form beside a homestead application in its notice period
//! (no login, a captcha drawn on the server) and the receipt.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxin_app::AppError;
use tongxin_app::captcha::Challenge;
use tongxin_app::cases::PublicNotice;
use tongxin_app::objections::{OBJECTION_MAX, ObjectionInput, ObjectionReceipt};

use super::{Layout, errors_by_field, messages, render};
use crate::AppState;
use crate::cite::Cite;
use crate::error::PageError;
use crate::extract::{ClientIp, PageForm};

#[derive(Template)]
#[template(path = "notice_objection.html")]
pub struct ObjectionForm {
    pub layout: Layout,
    pub notice: PublicNotice,
    pub cite: Cite,
    pub captcha: Challenge,
    pub input: ObjectionInput,
    pub errors: HashMap<String, String>,
    pub summary: String,
    pub max: usize,
}

impl ObjectionForm {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "objection_receipt.html")]
pub struct ReceiptPage {
    pub layout: Layout,
    pub r: ObjectionReceipt,
}

async fn form_page(
    st: &AppState,
    number: &str,
    input: ObjectionInput,
    errors: Vec<tongxin_domain::FieldError>,
) -> Result<Response, PageError> {
    let notice = st.app.public_notice(number).await?;
    let page = ObjectionForm {
        layout: Layout::new(st, None, "对公示提出异议", "portal"),
        cite: Cite::from(&notice.citation),
        notice,
        captcha: st.app.new_captcha().await?,
        input: ObjectionInput {
            captcha_answer: String::new(),
            captcha_token: String::new(),
            ..input
        },
        summary: messages(&errors),
        errors: errors_by_field(errors),
        max: OBJECTION_MAX,
    };
    Ok(render(&page))
}

/// The form, for an application still in its notice period (else: not found).
pub async fn new_form(
    State(st): State<AppState>,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    form_page(&st, &number, ObjectionInput::default(), Vec::new()).await
}

/// 提出异议: recorded on the case, or the form again with every refusal and what was typed.
pub async fn submit(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(number): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = ObjectionInput {
        objection: get("objection"),
        contact: get("contact"),
        captcha_token: get("captcha_token"),
        captcha_answer: get("captcha_answer"),
    };
    match st.app.lodge_objection(&number, &input, &ip).await {
        Ok(r) => {
            let mut res = render(&ReceiptPage {
                layout: Layout::new(&st, None, "异议已送达", "portal"),
                r,
            });
            *res.status_mut() = StatusCode::CREATED;
            Ok(res)
        }
        Err(AppError::Validation(es)) => {
            let mut res = form_page(&st, &number, input, es).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
