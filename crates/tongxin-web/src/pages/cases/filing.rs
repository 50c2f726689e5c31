//! The application form (申请), generated from the filing action's fields; a refusal re-renders
//! it with everything typed and each message beside its field.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::cases::NewCaseInput;
use tongxin_app::{Actor, AppError};
use tongxin_domain::procedure::{Action, Procedure};
use tongxin_domain::{Role, UnitKind};

use super::form::{self, Errors, FieldInput, Typed};
use super::{Desk, action_fields, filing_action, may_not_file, status_of};
use crate::AppState;
use crate::cite::{Cite, CitedText};
use crate::error::PageError;
use crate::pages::{Layout, render};

#[derive(Template)]
#[template(path = "case_new.html")]
pub struct NewPage {
    pub layout: Layout,
    pub desk: &'static Desk,
    pub title: String,
    pub action_label: String,
    pub cite: Cite,
    /// Applicants choose the township; staff file in their own.
    pub choose_township: bool,
    pub own_township: String,
    pub townships: Vec<(String, String)>,
    pub township: String,
    pub township_errors: Vec<CitedText>,
    pub fields: Vec<FieldInput>,
    pub errors: Vec<CitedText>,
    pub client_key: String,
}

fn new_page(
    desk: &'static Desk,
    st: &AppState,
    actor: &Actor,
    proc: &Procedure,
    action: &Action,
    raw: &Typed,
    errors: &Errors,
) -> Response {
    let app = &st.app;
    let choose_township = !matches!(actor.role, Role::Village | Role::Township);
    let own_township = app
        .directory()
        .path(&actor.unit)
        .iter()
        .rev()
        .find(|u| u.is_township_level())
        .map(|u| u.short_name.clone())
        .unwrap_or_default();
    let client_key = raw
        .get("client_key")
        .filter(|k| !k.is_empty() && k.len() <= 100 && k.chars().all(|c| c.is_ascii_graphic()))
        .cloned()
        .unwrap_or_else(tongxin_app::auth::random_token);
    let fields = action_fields(proc, action);
    let page = NewPage {
        layout: Layout::new(
            st,
            Some(actor),
            &format!("{}：新建申请", desk.title),
            desk.nav,
        ),
        desk,
        title: proc.title.clone(),
        action_label: action.label.clone(),
        cite: Cite::from(&action.citation),
        choose_township,
        own_township,
        townships: app
            .townships()
            .into_iter()
            .map(|u| (u.id.0, u.short_name))
            .collect(),
        township: raw.get("township").cloned().unwrap_or_default(),
        township_errors: errors.by_key.get("township").cloned().unwrap_or_default(),
        fields: form::inputs(&fields, "new", raw, errors),
        errors: errors.all.clone(),
        client_key,
    };
    render(&page)
}

pub async fn new_form(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
) -> Result<Response, PageError> {
    let proc = st.app.procedure(desk.procedure)?;
    let action = filing_action(proc, actor.role).ok_or_else(|| may_not_file(proc))?;
    let mut raw = Typed::new();
    // Village staff file for their own village: start with its name.
    if let Some(u) = st.app.directory().get(actor.unit.as_str())
        && u.kind == UnitKind::Village
    {
        raw.insert("village".into(), u.short_name.clone());
    }
    Ok(new_page(
        desk,
        &st,
        &actor,
        proc,
        action,
        &raw,
        &Errors::default(),
    ))
}

pub async fn create(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    raw: Typed,
) -> Result<Response, PageError> {
    let proc = st.app.procedure(desk.procedure)?;
    let action = filing_action(proc, actor.role).ok_or_else(|| may_not_file(proc))?;
    let fields = action_fields(proc, action);
    let sub = form::submission(&fields, &raw);
    let input = NewCaseInput {
        procedure: desk.procedure.to_owned(),
        township: raw
            .get("township")
            .cloned()
            .filter(|t| !t.trim().is_empty()),
        data: sub.data.clone(),
        client_key: raw.get("client_key").cloned(),
    };
    match st.app.create_case(&actor, &input).await {
        // A double submit (same client key) lands on the case filed the first time.
        Ok((case, _)) => Ok(Redirect::to(&desk.case_href(case.id)).into_response()),
        Err(AppError::Validation(es)) => {
            let errors = sub.errors(es);
            Ok(status_of(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_page(desk, &st, &actor, proc, action, &raw, &errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
