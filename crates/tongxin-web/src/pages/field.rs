//! 巡查执法's pages: the enforcement cases with their deadlines (green / yellow / red) and the
//! latest patrols; the campaign's weeks of joint enforcement, a week ended without one in red
//! (同党办综〔2023〕55号 五、（二）2.); the village planning registry by township and the
//! idle-homestead register with overdue returns in red (同政办规发〔2023〕6号 第五、六、二十五、
//! 二十六条). Patrols and an enforcement case's steps are entered on these pages; filing a case from a
//! finding, joint sessions, spot checks and the registries through the API (/api/v1/field/…).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::field::{
    CampaignWeeksView, EnforcementView, IdleView, PageQuery, PatrolView, TownshipPlans,
};

use super::{Layout, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::CurrentUser;

/// A case's clause as a link.
pub struct CaseRow {
    pub c: EnforcementView,
    pub cite: Option<Cite>,
    pub deadline_cite: Option<Cite>,
}

#[derive(Template)]
#[template(path = "field.html")]
pub struct FieldPage {
    pub layout: Layout,
    pub cases: Vec<CaseRow>,
    pub cases_total: i64,
    pub patrols: Vec<PatrolView>,
    pub patrols_total: i64,
    pub patrol_cite: Option<Cite>,
    /// What the last write did (`?done=`).
    pub done: String,
    pub may_patrol: bool,
    pub refused: Option<Refused>,
}

impl FieldPage {
    /// What was typed for case `id` when its step was refused.
    fn typed(&self, id: &i64) -> (&str, &str, &str) {
        match &self.refused {
            Some(r) if r.case_id == *id => (&r.step, &r.text, &r.message),
            _ => ("", "", ""),
        }
    }
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let done = super::query_map(raw)
        .get("done")
        .cloned()
        .unwrap_or_default();
    field_page(&st, &actor, done, None).await
}

/// A step refused: which case, the step and text as typed, and why.
pub struct Refused {
    pub case_id: i64,
    pub step: String,
    pub text: String,
    pub message: String,
}

async fn field_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    done: String,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    let q = PageQuery::default();
    let cases = st.app.enforcement_cases(actor, &q).await?;
    let patrols = st.app.patrols(actor, &q).await?;
    let page = FieldPage {
        layout: Layout::new(st, Some(actor), "巡查执法", "field"),
        cases_total: cases.total,
        cases: cases
            .items
            .into_iter()
            .map(|c| CaseRow {
                cite: cite_text(c.kind_clause),
                deadline_cite: cite_text(&c.deadline_clause),
                c,
            })
            .collect(),
        patrols_total: patrols.total,
        patrols: patrols.items,
        patrol_cite: cite_text("同政办规发〔2023〕6号 第二十九条"),
        done,
        may_patrol: actor
            .role
            .permits(tongxin_domain::Permission::RecordPatrols),
        refused,
    };
    let status = if page.refused.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    Ok(res)
}

/// 办理 an enforcement case from its row: the step done, or the page again with the refusal
/// beside the case and what was typed.
pub async fn case_step(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = tongxin_app::field::CaseStepInput {
        step: get("step"),
        text: get("text"),
        version: get("version").trim().parse().unwrap_or(-1),
    };
    match st.app.enforcement_step(&actor, id, &input).await {
        Ok(c) => Ok(Redirect::to(&format!(
            "/field?done={}",
            crate::cite::segment(&format!("执法案件{}已办理，现为“{}”", c.id, c.status_label))
        ))
        .into_response()),
        Err(e @ (tongxin_app::AppError::Validation(_) | tongxin_app::AppError::Conflict(_))) => {
            let message = match e {
                tongxin_app::AppError::Validation(es) => super::messages(&es),
                e => e.to_string(),
            };
            field_page(
                &st,
                &actor,
                String::new(),
                Some(Refused {
                    case_id: id,
                    step: input.step,
                    text: input.text,
                    message,
                }),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "field_joint.html")]
pub struct JointPage {
    pub layout: Layout,
    pub v: CampaignWeeksView,
    pub cite: Option<Cite>,
    pub may_record: bool,
    pub done: String,
    pub form: JointForm,
    pub errors: std::collections::HashMap<String, String>,
    pub summary: String,
}

impl JointPage {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

pub async fn joint(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let done = super::query_map(raw)
        .get("done")
        .cloned()
        .unwrap_or_default();
    joint_page(&st, &actor, done, JointForm::default(), Vec::new()).await
}

/// The session form as typed.
#[derive(Default)]
pub struct JointForm {
    pub held_on: String,
    pub place: String,
    pub units: String,
    pub findings: String,
}

async fn joint_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    done: String,
    form: JointForm,
    errors: Vec<tongxin_domain::FieldError>,
) -> Result<Response, PageError> {
    let v = st.app.campaign_weeks(actor).await?;
    let refused = !errors.is_empty();
    let page = JointPage {
        layout: Layout::new(st, Some(actor), "联合执法周表", "field"),
        cite: cite_text(&v.clause),
        v,
        may_record: actor.role.permits(tongxin_domain::Permission::Enforce),
        done,
        form,
        summary: super::messages(&errors),
        errors: super::errors_by_field(errors),
    };
    let mut res = render(&page);
    if refused {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// 登记联合执法 from the week table: recorded, or the form again with what was typed.
pub async fn record_joint(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let form = JointForm {
        held_on: get("held_on"),
        place: get("place"),
        units: get("units"),
        findings: get("findings"),
    };
    let input = tongxin_app::field::JointSessionInput {
        held_on: form.held_on.clone(),
        place: form.place.clone(),
        units: form
            .units
            .split(['、', ',', '，', ';', '；', '\n'])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        findings: form.findings.clone(),
    };
    match st.app.record_joint_session(&actor, &input).await {
        Ok(s) => Ok(Redirect::to(&format!(
            "/field/joint-enforcement?done={}",
            crate::cite::segment(&format!("已登记{}的联合执法", s.held_on))
        ))
        .into_response()),
        Err(tongxin_app::AppError::Validation(es)) => {
            joint_page(&st, &actor, String::new(), form, es).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "field_villages.html")]
pub struct VillagesPage {
    pub layout: Layout,
    pub townships: Vec<TownshipPlans>,
    pub idle: Vec<IdleView>,
    pub overdue: usize,
    pub plan_cite: Option<Cite>,
    pub type_cite: Option<Cite>,
    pub idle_cite: Option<Cite>,
    pub return_cite: Option<Cite>,
}

pub async fn villages(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let townships = st.app.village_plans(&actor).await?;
    let idle = st.app.idle_homesteads(&actor).await?;
    let page = VillagesPage {
        layout: Layout::new(&st, Some(&actor), "村庄规划与闲置宅基地", "field"),
        overdue: idle.iter().filter(|i| i.colour == "red").count(),
        townships,
        idle,
        type_cite: cite_text("同政办规发〔2023〕6号 第五条"),
        plan_cite: cite_text("同政办规发〔2023〕6号 第六条"),
        idle_cite: cite_text("同政办规发〔2023〕6号 第二十五条"),
        return_cite: cite_text("同政办规发〔2023〕6号 第二十六条"),
    };
    Ok(render(&page))
}

/// 登记巡查 (page): the patrol as typed, its findings one per line (`地点：情况`), and photos.
#[derive(Template)]
#[template(path = "field_patrol_new.html")]
pub struct PatrolForm {
    pub layout: Layout,
    pub input: PatrolFormInput,
    pub townships: Vec<tongxin_app::supervision::UnitRef>,
    /// Departments name the township; villages and townships patrol their own.
    pub ask_township: bool,
    pub errors: std::collections::HashMap<String, String>,
    pub summary: String,
}

impl PatrolForm {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

/// The form's fields as typed (findings as one text).
#[derive(Debug, Clone, Default)]
pub struct PatrolFormInput {
    pub patrolled_on: String,
    pub township: String,
    pub village: String,
    pub route: String,
    pub patrollers: String,
    pub findings: String,
}

/// Findings typed one per line, `地点：情况` (the place before the first colon); a line
/// without a colon is all description, its place left for the check to ask for.
fn findings_of(text: &str) -> Vec<tongxin_app::field::FindingInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(['：', ':']) {
            Some((place, what)) => tongxin_app::field::FindingInput {
                place: place.trim().to_owned(),
                description: what.trim().to_owned(),
            },
            None => tongxin_app::field::FindingInput {
                place: String::new(),
                description: l.to_owned(),
            },
        })
        .collect()
}

fn patrol_form(
    st: &AppState,
    actor: &tongxin_app::Actor,
    input: PatrolFormInput,
    errors: Vec<tongxin_domain::FieldError>,
) -> Response {
    let page = PatrolForm {
        layout: Layout::new(st, Some(actor), "登记巡查", "field"),
        townships: st.app.report_townships(),
        ask_township: actor.role == tongxin_domain::Role::Department,
        summary: super::messages(&errors),
        errors: super::errors_by_field(errors),
        input,
    };
    render(&page)
}

pub async fn new_patrol(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    st.app
        .require(
            &actor,
            tongxin_domain::Permission::RecordPatrols,
            "登记巡查记录",
        )
        .map_err(PageError::from)?;
    let input = PatrolFormInput {
        patrolled_on: st.app.clock.today().to_string(),
        ..Default::default()
    };
    Ok(patrol_form(&st, &actor, input, Vec::new()))
}

pub async fn create_patrol(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    use axum::http::StatusCode;
    use tongxin_app::AppError;
    let unprocessable = |mut r: Response| {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let mut form = match super::attachments::read_multipart(mp, "files").await {
        Ok(f) => f,
        Err(AppError::Validation(es)) => {
            return Ok(unprocessable(patrol_form(
                &st,
                &actor,
                PatrolFormInput::default(),
                es,
            )));
        }
        Err(e) => return Err(e.into()),
    };
    let photos: Vec<_> = form
        .take("files")
        .into_iter()
        .filter(|u| !u.bytes.is_empty())
        .collect();
    let get = |k: &str| form.field(k).to_owned();
    let typed = PatrolFormInput {
        patrolled_on: get("patrolled_on"),
        township: get("township"),
        village: get("village"),
        route: get("route"),
        patrollers: get("patrollers"),
        findings: get("findings"),
    };
    let input = tongxin_app::field::PatrolInput {
        patrolled_on: typed.patrolled_on.clone(),
        township: typed.township.clone(),
        village: typed.village.clone(),
        route: typed.route.clone(),
        patrollers: typed.patrollers.clone(),
        findings: findings_of(&typed.findings),
    };
    let patrol = match st.app.record_patrol(&actor, &input).await {
        Ok(p) => p,
        Err(AppError::Validation(es)) => {
            // The findings' errors are shown beside the one box they were typed in.
            let es = es
                .into_iter()
                .map(|mut e| {
                    if e.field.starts_with("findings") {
                        e.field = "findings".into();
                    }
                    e
                })
                .collect();
            return Ok(unprocessable(patrol_form(&st, &actor, typed, es)));
        }
        Err(e) => return Err(e.into()),
    };
    // The patrol is stored; photos refused are said on the way back.
    let message = match st.app.attach_to_patrol(&actor, patrol.id, &photos).await {
        _ if photos.is_empty() => "巡查已登记".to_owned(),
        Ok(p) => format!("巡查已登记，照片{}张", p.len()),
        Err(AppError::Validation(es)) => {
            format!("巡查已登记，照片未能上传：{}", super::messages(&es))
        }
        Err(e) => format!("巡查已登记，照片未能上传：{e}"),
    };
    Ok(Redirect::to(&format!("/field?done={}", crate::cite::segment(&message))).into_response())
}
