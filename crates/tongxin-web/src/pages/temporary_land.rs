//! 临时用地's own pages beside the shared case pages ([`super::cases`]): the public approval
//! information with the dishonesty list in force (第二十三条, 第二十四条), the printable
//! 临时用地公示牌 (第二十一条), the protected layers with their import (第五条, 第六条), and the
//! department's dishonesty list (第二十四条).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::Value;
use tongxin_app::cases::CaseSummary;
use tongxin_app::dishonesty::{ListingInput, ListingView, PublicListing};
use tongxin_app::land::LayerView;
use tongxin_app::{Actor, AppError};
use tongxin_domain::Permission;

use super::cases::{Desk, TEMPORARY_LAND, form};
use super::{Layout, path_id, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, MaybeUser, PageForm};

fn desk() -> &'static Desk {
    &TEMPORARY_LAND
}

fn shown(proc: &tongxin_domain::Procedure, c: &CaseSummary, field: &str) -> String {
    c.data
        .get(field)
        .map(|v| form::display(proc.field(field), v).join("；"))
        .unwrap_or_default()
}

fn text(data: &serde_json::Map<String, Value>, key: &str) -> String {
    match data.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn due(c: &CaseSummary, deadline: &str) -> String {
    c.deadlines
        .iter()
        .find(|d| d.deadline == deadline)
        .and_then(|d| d.due_on)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The approval's number and date: the county's 临批 document, or the higher level's decision
/// recorded under 第五条.
fn approval_of(c: &CaseSummary) -> (String, String) {
    match c
        .documents
        .iter()
        .find(|d| d.document == "temporary_land_approval")
    {
        Some(d) => (d.number.clone(), d.issued_on.to_string()),
        None => (text(&c.data, "higher_decision_number"), String::new()),
    }
}

fn area_mu(data: &serde_json::Map<String, Value>) -> String {
    tongxin_app::land::site_of(data)
        .map(|s| format!("{:.2}", s.area_mu()))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// 批准信息公开 (第二十三条) and the public dishonesty list (第二十四条)
// ---------------------------------------------------------------------------------------------

pub struct PublicRow {
    pub number: String,
    pub project: String,
    pub applicant: String,
    pub location: String,
    pub area_mu: String,
    pub use_kind: String,
    pub period: String,
    pub approval: String,
    pub approved_on: String,
    pub expiry: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "temporary_land_public.html")]
pub struct PublicPage {
    pub layout: Layout,
    pub rows: Vec<PublicRow>,
    /// The list stopped at the newest [`tongxin_app::cases::PUBLIC_CASES_MAX`].
    pub capped: bool,
    pub listings: Vec<PublicListing>,
    pub publish_cite: Option<Cite>,
    pub list_cite: Option<Cite>,
    /// 抽查结果公开通报 (第二十五条).
    pub spot_checks: Vec<tongxin_app::field::PublicSpotCheck>,
    pub spot_cite: Option<Cite>,
}

pub async fn public(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
) -> Result<Response, PageError> {
    let app = &st.app;
    let proc = app.procedure(desk().procedure)?;
    let rows: Vec<PublicRow> = app
        .public_cases(desk().procedure)
        .await?
        .into_iter()
        .map(|c| {
            let (approval, approved_on) = approval_of(&c);
            PublicRow {
                number: c.number.clone(),
                project: text(&c.data, "project_name"),
                applicant: c.applicant_name.clone(),
                location: text(&c.data, "site_location"),
                area_mu: area_mu(&c.data),
                use_kind: shown(proc, &c, "use_kind"),
                period: text(&c.data, "period_months"),
                approval,
                approved_on,
                expiry: due(&c, "expiry"),
                state: c.state_label.clone(),
            }
        })
        .collect();
    let today = app.clock.today();
    let publish_cite = app
        .corpus()
        .rule("temporary_land.system_upload.workdays", today)
        .ok()
        .map(|a| Cite::from(a.citation));
    let page = PublicPage {
        layout: Layout::new(&st, actor.as_ref(), "临时用地批准信息公开", desk().nav),
        capped: rows.len() as i64 >= tongxin_app::cases::PUBLIC_CASES_MAX,
        rows,
        listings: app.public_listings().await?,
        publish_cite,
        list_cite: cite_text(&app.dishonesty_citation(today)),
        spot_checks: app.public_spot_checks().await?,
        spot_cite: cite_text("同政办规发〔2023〕7号 第二十五条"),
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------------
// 临时用地公示牌 (第二十一条)
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "temporary_land_sign.html")]
pub struct SignPage {
    pub layout: Layout,
    pub case_id: i64,
    pub case_number: String,
    pub rows: Vec<(String, String)>,
    pub cite: Option<Cite>,
    pub masked: bool,
}

pub async fn sign(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "案件")?;
    let app = &st.app;
    let case = app.case_view(&actor, id).await?;
    let proc = app.procedure(&case.procedure)?;
    if case.procedure != desk().procedure {
        return Err(PageError {
            status: StatusCode::NOT_FOUND,
            message: format!("案件{}不是临时用地案件", case.number),
        });
    }
    let approval = case
        .documents
        .iter()
        .find(|d| d.document == "temporary_land_approval")
        .map(|d| format!("{} {}", d.title, d.number))
        .or_else(|| {
            let n = text(&case.data, "higher_decision_number");
            (!n.is_empty()).then(|| format!("上级批准文件 {n}"))
        });
    let Some(approval) = approval else {
        return Err(PageError {
            status: StatusCode::CONFLICT,
            message: format!(
                "案件{}尚未批准：批准后才能打印临时用地公示牌（第二十一条）",
                case.number
            ),
        });
    };
    let field = |k: &str| {
        case.data
            .get(k)
            .map(|v| form::display(proc.field(k), v).join("；"))
            .unwrap_or_default()
    };
    // 使用地类: the site's overlap with farmland and basic farmland, the rest other land.
    let land = app.case_land(&actor, id).await?;
    let (area, classes) = match &land {
        Some(l) => {
            use tongxin_geo::LayerKind as K;
            let mut parts = Vec::new();
            for f in &l.facts.layers {
                if matches!(f.kind, K::BasicFarmland | K::Farmland) && f.overlap_m2() > 0.0 {
                    parts.push(format!(
                        "{}{:.2}亩",
                        f.kind.label(),
                        tongxin_geo::mu(f.overlap_m2())
                    ));
                }
            }
            // 其他土地: outside both farmland layers (basic farmland usually lies inside
            // farmland, so the two overlaps are not added up).
            match l.facts.outside_farmland_m2 {
                Some(rest) if rest > 0.0 => {
                    parts.push(format!("其他土地{:.2}亩", tongxin_geo::mu(rest)))
                }
                Some(_) => {}
                None => parts.push("（耕地图层未齐，未核对）".into()),
            }
            (
                tongxin_domain::siting::area_text(l.area_m2),
                parts.join("，"),
            )
        }
        None => (String::new(), String::new()),
    };
    let period = format!(
        "{}个月（自批准之日起算，{}期满）",
        field("period_months"),
        case.deadlines
            .iter()
            .find(|d| d.deadline == "expiry")
            .and_then(|d| d.due_on)
            .map(|d| d.format("%Y年%-m月%-d日").to_string())
            .unwrap_or_default()
    );
    let supervisor = proc
        .handled_by
        .clone()
        .unwrap_or_else(|| "县自然资源主管部门".into());
    let rows = vec![
        ("临时用地申请人".to_owned(), case.applicant_name.clone()),
        (
            "项目负责人及联系电话".to_owned(),
            format!("{}　{}", field("contact_name"), field("contact_phone")),
        ),
        ("项目名称".to_owned(), field("project_name")),
        ("临时用地范围".to_owned(), field("site_location")),
        ("占地面积".to_owned(), area),
        ("使用地类".to_owned(), classes),
        ("批准用途".to_owned(), field("use_kind")),
        ("使用期限".to_owned(), period),
        ("批准文件名称和编号".to_owned(), approval),
        (
            "监督单位及电话".to_owned(),
            format!("同心县{supervisor}　{}", field("supervision_phone")),
        ),
    ];
    let sign_clause = "同政办规发〔2023〕7号 第二十一条";
    let page = SignPage {
        layout: Layout::new(&st, Some(&actor), "临时用地公示牌", desk().nav),
        case_id: case.id,
        case_number: case.number.clone(),
        rows,
        cite: cite_text(sign_clause),
        masked: case.masked,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------------
// 保护图层 (第五条、第六条)
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "land_layers.html")]
pub struct LayersPage {
    pub layout: Layout,
    pub layers: Vec<LayerView>,
    /// Imports replaced by a newer one of their kind.
    pub replaced: Vec<LayerView>,
    /// Temporary-land layers not imported (the site opinion needs them all).
    pub missing: Vec<(&'static str, &'static str)>,
    /// No homestead layout layer yet (homestead siting is then noted 未核对).
    pub layout_missing: bool,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub can_import: bool,
    pub cites: Vec<Cite>,
    /// The clauses the homestead siting checks rest on.
    pub homestead_cites: Vec<Cite>,
}

pub async fn layers(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let app = &st.app;
    let layers = app.land_layers().await?;
    let kinds: Vec<(&'static str, &'static str)> = tongxin_geo::LayerKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let imported = |k: &tongxin_geo::LayerKind| layers.iter().any(|l| l.kind == k.code());
    let missing = tongxin_geo::LayerKind::TEMPORARY_LAND
        .iter()
        .filter(|k| !imported(k))
        .map(|k| (k.code(), k.label()))
        .collect();
    let layout_missing = !imported(&tongxin_geo::LayerKind::HomesteadLayout);
    let keeper = app
        .procedure(desk().procedure)?
        .handled_by
        .as_deref()
        .and_then(|n| app.directory().resolve_unit(n).map(|u| u.id.clone()));
    let can_import =
        actor.role.permits(Permission::ManageLandLayers) && keeper.as_ref() == Some(&actor.unit);
    let today = app.clock.today();
    let corpus = app.corpus();
    let mut cites: Vec<Cite> = Vec::new();
    for key in tongxin_domain::siting::RULES {
        if let Ok(a) = corpus.rule(key, today) {
            let c = Cite::from(a.citation);
            if !cites.iter().any(|x| x.text == c.text) {
                cites.push(c);
            }
        }
    }
    let mut homestead_cites: Vec<Cite> = Vec::new();
    for key in [
        tongxin_domain::homestead_siting::LAYOUT_TOLERANCE_RULE,
        tongxin_domain::homestead_siting::HAZARD_CLEARANCE_RULE,
    ] {
        if let Ok(a) = corpus.rule(key, today) {
            homestead_cites.push(Cite::from(a.citation));
        }
    }
    let replaced = app
        .land_layer_history()
        .await?
        .into_iter()
        .filter(|h| !layers.iter().any(|l| l.id == h.id))
        .collect();
    let page = LayersPage {
        layout: Layout::new(&st, Some(&actor), "保护图层", desk().nav),
        replaced,
        layers,
        missing,
        layout_missing,
        kinds,
        can_import,
        cites,
        homestead_cites,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------------
// 失信名单 (第二十四条)
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "dishonesty.html")]
pub struct DishonestyPage {
    pub layout: Layout,
    pub entries: Vec<ListingView>,
    pub form: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    pub notice: Option<String>,
    pub cite: Option<Cite>,
}

impl DishonestyPage {
    pub fn value(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    pub fn error(&self, k: &str) -> &str {
        self.errors.get(k).map(String::as_str).unwrap_or("")
    }
}

async fn dishonesty_page(
    st: &AppState,
    actor: &Actor,
    form: HashMap<String, String>,
    errors: HashMap<String, String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let entries = st.app.listings(actor).await?;
    let page = DishonestyPage {
        layout: Layout::new(st, Some(actor), "临时用地失信名单", desk().nav),
        entries,
        form,
        errors,
        notice,
        cite: cite_text(&st.app.dishonesty_citation(st.app.clock.today())),
    };
    Ok(render(&page))
}

pub async fn dishonesty(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> Result<Response, PageError> {
    let done = q.as_deref().is_some_and(|q| q.contains("added=1"));
    let notice = done.then(|| "已列入失信名单".to_owned());
    dishonesty_page(&st, &actor, HashMap::new(), HashMap::new(), notice).await
}

pub async fn add_listing(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = ListingInput {
        subject_kind: get("subject_kind"),
        subject: get("subject"),
        name: get("name"),
        reason: get("reason"),
        decision: get("decision"),
        decided_on: get("decided_on"),
    };
    match st.app.add_listing(&actor, &input).await {
        Ok(_) => Ok(Redirect::to("/temporary-land/dishonesty?added=1").into_response()),
        Err(AppError::Validation(es)) => {
            let errors = super::errors_by_field(es);
            let res = dishonesty_page(&st, &actor, raw.into_iter().collect(), errors, None).await?;
            let mut res = res;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}
