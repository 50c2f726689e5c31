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
    CampaignWeeksView, EnforcementView, IdleInput, IdleView, PageQuery, PatrolView, TownshipPlans,
    VillagePlanInput,
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
    /// The kinds a finding may be filed as (code, label).
    pub kinds: Vec<(&'static str, &'static str)>,
    /// A finding whose filing was refused: its id, the kind chosen and why.
    pub refused_finding: Option<(i64, String, String)>,
}

impl FieldPage {
    /// The kind chosen and the refusal for finding `id`, if its filing was refused.
    fn finding_typed(&self, id: &i64) -> (&str, &str) {
        match &self.refused_finding {
            Some((f, kind, message)) if f == id => (kind, message),
            _ => ("", ""),
        }
    }

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
    field_page(&st, &actor, done, None, None).await
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
    refused_finding: Option<(i64, String, String)>,
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
        kinds: tongxin_domain::field::EnforcementKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        refused_finding,
    };
    let refused = page.refused.is_some() || page.refused_finding.is_some();
    Ok(super::render_form(&page, refused))
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
        Err(e) => {
            let message = super::refusal(e)?;
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
                None,
            )
            .await
        }
    }
}

/// 立案 from a finding's line in the patrol table: the case filed, or the page again with the
/// refusal beside the finding and the kind chosen.
pub async fn file_case(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let kind = raw.get("kind").cloned().unwrap_or_default();
    let input = tongxin_app::field::FileCaseInput {
        kind: kind.clone(),
        land_case_id: None,
    };
    match st.app.file_enforcement_case(&actor, id, &input).await {
        Ok(c) => Ok(Redirect::to(&format!(
            "/field?done={}",
            crate::cite::segment(&format!(
                "已立案：执法案件{}（{}），由{}办理",
                c.id, c.kind_label, c.unit.name
            ))
        ))
        .into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            field_page(&st, &actor, String::new(), None, Some((id, kind, message))).await
        }
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
    Ok(super::render_form(&page, refused))
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
    /// What the last write did (`?done=`).
    pub done: String,
    /// The forms each official may use: plans (乡镇、自然资源局), idle homesteads (村、乡镇、
    /// 自然资源局、农业农村局).
    pub may_plan: bool,
    pub may_idle: bool,
    pub all_townships: Vec<tongxin_app::supervision::UnitRef>,
    pub village_types: Vec<(&'static str, &'static str)>,
    pub idle_kinds: Vec<(&'static str, &'static str)>,
    pub plan: VillagePlanInput,
    pub idle_form: IdleInput,
    /// Which form was refused (`plan`, `idle`, or `return:{id}`), its errors and their summary.
    pub refused: String,
    pub errors: std::collections::HashMap<String, String>,
    pub summary: String,
    /// A return refused: what was typed.
    pub returned: ReturnTyped,
}

/// A return or reuse as typed on an idle homestead's row.
#[derive(Default)]
pub struct ReturnTyped {
    pub returned_on: String,
    pub reuse: String,
}

impl VillagesPage {
    /// The error on `field` of the form `form`, if that form was refused.
    fn err(&self, form: &str, field: &str) -> &str {
        if self.refused != form {
            return "";
        }
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }

    fn return_refused(&self, id: &i64) -> bool {
        self.refused == format!("return:{id}")
    }
}

pub async fn villages(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let done = super::query_map(raw)
        .get("done")
        .cloned()
        .unwrap_or_default();
    let mut forms = VillagesForms {
        done,
        ..VillagesForms::default()
    };
    if let Some(t) = st.app.own_township(&actor) {
        forms.plan.township = t.id.clone();
        forms.idle.township = t.id;
    }
    villages_page(&st, &actor, forms).await
}

/// The villages page's forms as typed, and what was refused.
#[derive(Default)]
struct VillagesForms {
    done: String,
    plan: VillagePlanInput,
    idle: IdleInput,
    returned: ReturnTyped,
    refused: String,
    errors: Vec<tongxin_domain::FieldError>,
}

async fn villages_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    forms: VillagesForms,
) -> Result<Response, PageError> {
    use tongxin_domain::Permission;
    use tongxin_domain::field::{IdleKind, VillageType};
    let townships = st.app.village_plans(actor).await?;
    let idle = st.app.idle_homesteads(actor).await?;
    let refused = !forms.errors.is_empty();
    let page = VillagesPage {
        layout: Layout::new(st, Some(actor), "村庄规划与闲置宅基地", "field"),
        overdue: idle.iter().filter(|i| i.colour == "red").count(),
        townships,
        idle,
        type_cite: cite_text("同政办规发〔2023〕6号 第五条"),
        plan_cite: cite_text("同政办规发〔2023〕6号 第六条"),
        idle_cite: cite_text("同政办规发〔2023〕6号 第二十五条"),
        return_cite: cite_text("同政办规发〔2023〕6号 第二十六条"),
        done: forms.done,
        may_plan: actor.role.permits(Permission::Enforce)
            && matches!(
                actor.role,
                tongxin_domain::Role::Township | tongxin_domain::Role::Department
            ),
        may_idle: actor.role.permits(Permission::RecordPatrols),
        all_townships: st.app.report_townships(),
        village_types: VillageType::ALL
            .iter()
            .map(|t| (t.code(), t.label()))
            .collect(),
        idle_kinds: IdleKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        plan: forms.plan,
        idle_form: forms.idle,
        refused: forms.refused,
        summary: super::messages(&forms.errors),
        errors: super::errors_by_field(forms.errors),
        returned: forms.returned,
    };
    Ok(super::render_form(&page, refused))
}

/// A refusal of one of the villages page's forms: the page again, the form's errors beside
/// its fields; anything else is an error page.
async fn villages_refused(
    st: &AppState,
    actor: &tongxin_app::Actor,
    mut forms: VillagesForms,
    which: String,
    e: tongxin_app::AppError,
) -> Result<Response, PageError> {
    use tongxin_app::AppError;
    let errors = match e {
        AppError::Validation(es) => es,
        AppError::Conflict(m) => vec![tongxin_domain::FieldError::new("version", m)],
        e => return Err(e.into()),
    };
    forms.refused = which;
    forms.errors = errors;
    villages_page(st, actor, forms).await
}

fn done_on_villages(message: &str) -> Response {
    Redirect::to(&format!(
        "/field/villages?done={}",
        crate::cite::segment(message)
    ))
    .into_response()
}

/// 登记村庄类型和规划 from the villages page.
pub async fn save_village(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = VillagePlanInput {
        township: get("township"),
        village: get("village"),
        village_type: get("village_type"),
        plan_name: get("plan_name"),
        plan_number: get("plan_number"),
        approved_on: get("approved_on"),
        published_on: get("published_on"),
        version: None,
    };
    match st.app.save_village_plan(&actor, &input).await {
        Ok(v) => Ok(done_on_villages(&format!(
            "已登记{}（{}）",
            v.village, v.village_type_label
        ))),
        Err(e) => {
            let forms = VillagesForms {
                plan: input,
                ..VillagesForms::default()
            };
            villages_refused(&st, &actor, forms, "plan".into(), e).await
        }
    }
}

/// 登记闲置宅基地 from the villages page.
pub async fn save_idle(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = IdleInput {
        township: get("township"),
        village: get("village"),
        kind: get("kind"),
        location: get("location"),
        holder: get("holder"),
        area_m2: get("area_m2"),
        reuse: get("reuse"),
        promised_on: get("promised_on"),
        note: get("note"),
    };
    match st.app.record_idle_homestead(&actor, &input).await {
        Ok(v) => Ok(done_on_villages(&format!(
            "已登记{}：{} {}",
            v.kind_label, v.village, v.location
        ))),
        Err(e) => {
            let forms = VillagesForms {
                idle: input,
                ..VillagesForms::default()
            };
            villages_refused(&st, &actor, forms, "idle".into(), e).await
        }
    }
}

/// 登记退回或盘活利用 from an idle homestead's row.
pub async fn save_return(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = tongxin_app::field::ReturnInput {
        returned_on: get("returned_on"),
        reuse: get("reuse"),
        version: get("version").trim().parse().unwrap_or(-1),
    };
    match st.app.record_idle_return(&actor, id, &input).await {
        Ok(v) => Ok(done_on_villages(&format!(
            "已登记{} {} 的退回或利用情况",
            v.village, v.location
        ))),
        Err(e) => {
            let forms = VillagesForms {
                returned: ReturnTyped {
                    returned_on: input.returned_on,
                    reuse: input.reuse,
                },
                ..VillagesForms::default()
            };
            villages_refused(&st, &actor, forms, format!("return:{id}"), e).await
        }
    }
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

/// 临时用地抽查 (同政办规发〔2023〕7号 第二十五条): the spot checks with their public reports,
/// the form to record one and a button to publish each report (县自然资源局).
#[derive(Template)]
#[template(path = "field_spot_checks.html")]
pub struct SpotChecksPage {
    pub layout: Layout,
    pub checks: Vec<tongxin_app::field::SpotCheckView>,
    /// The sites the form offers; `None` when the official may not record spot checks.
    pub sites: Option<Vec<(i64, String)>>,
    pub cite: Option<Cite>,
    pub done: String,
    pub form: SpotForm,
    pub errors: std::collections::HashMap<String, String>,
    pub summary: String,
    /// A publication refused: the check's id and why.
    pub refused_publish: Option<(i64, String)>,
}

impl SpotChecksPage {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }

    fn publish_refusal(&self, id: &i64) -> &str {
        match &self.refused_publish {
            Some((i, m)) if i == id => m,
            _ => "",
        }
    }
}

/// The spot-check form as typed.
#[derive(Default)]
pub struct SpotForm {
    pub land_case_id: String,
    pub checked_on: String,
    pub result: String,
    pub problems: String,
    pub public_text: String,
}

pub async fn spot_checks(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let done = super::query_map(raw)
        .get("done")
        .cloned()
        .unwrap_or_default();
    let form = SpotForm {
        checked_on: st.app.clock.today().to_string(),
        ..SpotForm::default()
    };
    spot_page(&st, &actor, done, form, Vec::new(), None).await
}

async fn spot_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    done: String,
    form: SpotForm,
    errors: Vec<tongxin_domain::FieldError>,
    refused_publish: Option<(i64, String)>,
) -> Result<Response, PageError> {
    let checks = st.app.spot_checks(actor).await?;
    let sites = match st.app.spot_check_sites(actor).await {
        Ok(s) => Some(s),
        Err(tongxin_app::AppError::Forbidden { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let refused = !errors.is_empty() || refused_publish.is_some();
    let page = SpotChecksPage {
        layout: Layout::new(st, Some(actor), "临时用地抽查", "field"),
        checks,
        sites,
        cite: cite_text("同政办规发〔2023〕7号 第二十五条"),
        done,
        form,
        summary: super::messages(&errors),
        errors: super::errors_by_field(errors),
        refused_publish,
    };
    Ok(super::render_form(&page, refused))
}

/// 登记抽查 from the spot-check page.
pub async fn record_spot_check(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let form = SpotForm {
        land_case_id: get("land_case_id"),
        checked_on: get("checked_on"),
        result: get("result"),
        problems: get("problems"),
        public_text: get("public_text"),
    };
    let input = tongxin_app::field::SpotCheckInput {
        land_case_id: form.land_case_id.trim().parse().ok(),
        checked_on: form.checked_on.clone(),
        result: form.result.clone(),
        problems: form.problems.clone(),
        public_text: form.public_text.clone(),
    };
    match st.app.record_spot_check(&actor, &input).await {
        Ok(c) => Ok(Redirect::to(&format!(
            "/field/spot-checks?done={}",
            crate::cite::segment(&format!(
                "已登记{}的抽查（{}），公开通报待发布",
                c.case_number, c.result_label
            ))
        ))
        .into_response()),
        Err(tongxin_app::AppError::Validation(es)) => {
            spot_page(&st, &actor, String::new(), form, es, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// 公开抽查结果 from a spot check's row.
pub async fn publish_spot_check(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    crate::extract::PageForm(raw): crate::extract::PageForm,
) -> Result<Response, PageError> {
    let input = tongxin_app::field::PublishInput {
        public_text: None,
        version: raw
            .get("version")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(-1),
    };
    match st.app.publish_spot_check(&actor, id, &input).await {
        Ok(c) => Ok(Redirect::to(&format!(
            "/field/spot-checks?done={}",
            crate::cite::segment(&format!("已公开{}的抽查结果", c.case_number))
        ))
        .into_response()),
        Err(e) => {
            let message = super::refusal(e)?;
            let form = SpotForm {
                checked_on: st.app.clock.today().to_string(),
                ..SpotForm::default()
            };
            spot_page(
                &st,
                &actor,
                String::new(),
                form,
                Vec::new(),
                Some((id, message)),
            )
            .await
        }
    }
}
