//! The case page: deadlines with their clauses, the actions this user may take now (each a
//! generated form), the record, the timeline with the clauses applied, the documents issued.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value};
use tongxin_app::cases::{CaseView, DeadlineView};
use tongxin_app::{Actor, App, AppError};
use tongxin_domain::procedure::{FieldDef, FieldKind, Procedure, REASON_FIELD};

use super::form::{self, DataRow, Errors, FieldInput, Typed};
use super::{Desk, action_fields, local_time, query_map, status_of, text_of};
use crate::AppState;
use crate::cite::{Cite, CitedText, cite_text};
use crate::error::PageError;
use crate::pages::{Layout, path_id, render};

pub struct DeadlineRow {
    pub label: String,
    pub period: String,
    pub started: String,
    pub due: String,
    pub left: String,
    pub colour: &'static str,
    pub status_label: String,
    pub cite: Cite,
    /// The clause of the number used, when it is not the deadline's own clause.
    pub rule_cite: Option<Cite>,
    pub note: String,
    pub pauses: Vec<String>,
    pub met_on: String,
}

fn deadline_row(d: &DeadlineView) -> DeadlineRow {
    let cite = Cite::from(&d.citation);
    let rule_cite = Cite::from(&d.rule_citation);
    DeadlineRow {
        label: d.label.clone(),
        period: if d.extended_months > 0 {
            format!(
                "{}{}（延期{}个月）",
                d.amount, d.unit_label, d.extended_months
            )
        } else {
            format!("{}{}", d.amount, d.unit_label)
        },
        started: d.started_on.to_string(),
        due: d
            .due_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "（中止中）".into()),
        left: d
            .workdays_left
            .map(|n| {
                if n < 0 {
                    format!("逾期{}", -n)
                } else {
                    n.to_string()
                }
            })
            .unwrap_or_default(),
        colour: d.colour,
        status_label: d.status_label.clone(),
        rule_cite: (rule_cite.text != cite.text).then_some(rule_cite),
        cite,
        note: d.note.clone(),
        pauses: d
            .pauses
            .iter()
            .map(|p| match p.to {
                Some(to) => format!("{} 至 {}", p.from, to),
                None => format!("{} 起（补正中）", p.from),
            })
            .collect(),
        met_on: d.met_on.map(|d| d.to_string()).unwrap_or_default(),
    }
}

pub struct ActionForm {
    pub id: String,
    pub label: String,
    pub negative: bool,
    pub reason_required: bool,
    pub cite: Cite,
    pub blocked: Option<CitedText>,
    pub fields: Vec<FieldInput>,
    pub reason: String,
    pub reason_errors: Vec<CitedText>,
    pub errors: Vec<CitedText>,
    /// The form just refused (shown open, with what was typed).
    pub open: bool,
}

pub struct ClauseLine {
    pub text: String,
    pub cite: Option<Cite>,
}

pub struct EventRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub unit: String,
    pub action_label: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
    pub data: Vec<DataRow>,
    pub clauses: Vec<ClauseLine>,
    pub policy_version: String,
}

pub struct DocumentLink {
    pub href: String,
    pub title: String,
    pub number: String,
    pub issued_on: String,
    pub cite: Cite,
}

#[derive(Template)]
#[template(path = "case_page.html")]
pub struct CasePage {
    pub layout: Layout,
    pub desk: &'static Desk,
    /// The site on the map (临时用地): boundary, area, overlaps with the layers in force.
    pub land: Option<SiteMap>,
    /// 政府投资项目: the path, approvals, funding and monthly reports.
    pub project: Option<super::project::ProjectPanel>,
    /// 招商引资项目: the chain, the "五个一", the agency items and the funds in place.
    pub attract: Option<super::attract::AttractPanel>,
    pub case: CaseView,
    pub created: String,
    pub updated: String,
    pub notice: Option<String>,
    /// Someone acted first, or a period is not over: what happened, plainly.
    pub conflict: Option<CitedText>,
    /// Refusals of a form this page no longer offers (an unknown action, a step already taken).
    pub errors: Vec<CitedText>,
    pub deadlines: Vec<DeadlineRow>,
    pub actions: Vec<ActionForm>,
    pub data: Vec<DataRow>,
    pub events: Vec<EventRow>,
    pub documents: Vec<DocumentLink>,
}

/// What the case holds for `fields`, as a form would hold it typed (补正: the application as it
/// stands, to correct rather than retype).
fn typed_from_data(fields: &[FieldDef], data: &Map<String, Value>) -> Typed {
    let mut raw = Typed::new();
    for f in fields {
        let Some(v) = data.get(&f.id) else { continue };
        match (&f.kind, v) {
            (FieldKind::Coordinates, Value::Object(m)) => {
                for part in ["lon", "lat"] {
                    raw.insert(format!("{}.{part}", f.id), text_of(m, part));
                }
            }
            (FieldKind::Members, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(m) = item {
                        for part in ["name", "resident_id", "relation"] {
                            raw.insert(format!("{}[{i}].{part}", f.id), text_of(m, part));
                        }
                    }
                }
            }
            (_, Value::Bool(b)) => {
                if *b {
                    raw.insert(f.id.clone(), "true".into());
                }
            }
            _ => {
                raw.insert(f.id.clone(), text_of(data, &f.id));
            }
        }
    }
    raw
}

fn clause_lines(proc: &Procedure, clauses: &Value) -> Vec<ClauseLine> {
    let mut out = Vec::new();
    let Value::Array(items) = clauses else {
        return out;
    };
    for item in items {
        let Value::Object(m) = item else { continue };
        let s = |k: &str| text_of(m, k);
        let cite = cite_text(&s("citation"));
        let text = match s("role").as_str() {
            "action" => "办理依据".to_owned(),
            "check" => {
                let note = s("note");
                if note.is_empty() {
                    "核对通过".to_owned()
                } else {
                    format!("核对：{note}")
                }
            }
            "deadline" => {
                let label = proc
                    .deadline(&s("deadline"))
                    .map(|d| d.label.clone())
                    .unwrap_or_else(|| s("deadline"));
                let due = s("due_on");
                let text = match s("effect").as_str() {
                    "started" if due.is_empty() => format!("开始计时：{label}"),
                    "started" => format!("开始计时：{label}，期限 {due}"),
                    "met" => format!("{label}：已办结"),
                    "paused" => format!("{label}：补正，中止计时"),
                    "resumed" if due.is_empty() => format!("{label}：恢复计时"),
                    "resumed" => format!("{label}：恢复计时，期限 {due}"),
                    "cancelled" => format!("{label}：终止"),
                    "extended" => format!("{label}：延期{}个月，期限 {due}", s("months")),
                    other => format!("{label}：{other}"),
                };
                let rule = s("rule_citation");
                if !rule.is_empty() && rule != s("citation") {
                    out.push(ClauseLine {
                        text: text.clone(),
                        cite: cite.clone(),
                    });
                    out.push(ClauseLine {
                        text: "期限天数取值依据".to_owned(),
                        cite: cite_text(&rule),
                    });
                    continue;
                }
                text
            }
            "document" => {
                let title = proc
                    .document_def(&s("document"))
                    .map(|d| d.title.clone())
                    .unwrap_or_else(|| s("document"));
                format!("出具{title} {}", s("number"))
            }
            other => other.to_owned(),
        };
        out.push(ClauseLine { text, cite });
    }
    out
}

/// One layer's overlap with the site, as the case page lists it.
pub struct OverlapRow {
    pub kind: String,
    pub label: String,
    /// 来源（日期）, or empty when the layer is not imported.
    pub source: String,
    pub overlap: String,
    pub features: String,
    /// red: a bar or a referral; yellow: a warning; green: clear; grey: not checked.
    pub colour: &'static str,
}

/// The site map of a case: what the page says, and what the map script draws.
pub struct SiteMap {
    pub heading: &'static str,
    /// The line above the map: the site's area, or the homestead's coordinates.
    pub summary: String,
    /// What the rules cited below the table say.
    pub rules: &'static str,
    pub rows: Vec<OverlapRow>,
    /// The boundary as GeoJSON text (for the map script, in a `data-` attribute).
    pub boundary: String,
    /// `min_lon,min_lat,max_lon,max_lat`
    pub bbox: String,
    /// The clauses the overlap rules rest on.
    pub cites: Vec<Cite>,
}

/// A layer's source as shown beside a finding: `国土三调 2023年度变更（2023-12-31）`.
fn source_text(s: Option<&tongxin_domain::siting::LayerSource>) -> String {
    s.map(|s| format!("{}（{}）", s.source, s.dated))
        .unwrap_or_default()
}

/// `borrow_pit`: the planned borrow areas are a rule only for borrow pits; for other uses an
/// overlap with them is shown, not judged.
fn site_map(land: tongxin_app::land::CaseLand, borrow_pit: bool, cites: Vec<Cite>) -> SiteMap {
    use tongxin_geo::LayerKind as K;
    let rows = land
        .facts
        .layers
        .iter()
        .map(|f| {
            let overlap = f.overlap_m2();
            let colour = match (f.source.is_some(), f.kind) {
                (false, _) => "grey",
                (true, K::PlannedBorrowArea) if !borrow_pit => "grey",
                (true, K::PlannedBorrowArea) => {
                    if f.uncovered_m2 > 0.0 {
                        "yellow"
                    } else {
                        "green"
                    }
                }
                (true, _) if overlap <= 0.0 => "green",
                (true, K::GeologicalHazard | K::FloodHazard) => "yellow",
                (true, _) => "red",
            };
            OverlapRow {
                kind: f.kind.code().to_owned(),
                label: f.kind.label().to_owned(),
                source: source_text(f.source.as_ref()),
                overlap: match (f.source.is_some(), f.kind) {
                    (false, _) => "未导入图层，未核对".into(),
                    (true, K::PlannedBorrowArea) if !borrow_pit && overlap <= 0.0 => {
                        "不重叠（非取土场，不适用）".into()
                    }
                    (true, K::PlannedBorrowArea) if !borrow_pit => format!(
                        "重叠{}（非取土场，不适用）",
                        tongxin_domain::siting::area_text(overlap)
                    ),
                    (true, K::PlannedBorrowArea) if f.uncovered_m2 > 0.0 => format!(
                        "规划取土区以外{}",
                        tongxin_domain::siting::area_text(f.uncovered_m2)
                    ),
                    (true, K::PlannedBorrowArea) => "全部位于规划取土区内".into(),
                    (true, _) if overlap <= 0.0 => "不重叠".into(),
                    (true, _) => format!("重叠{}", tongxin_domain::siting::area_text(overlap)),
                },
                features: f
                    .overlaps
                    .iter()
                    .map(|o| o.feature.clone())
                    .collect::<Vec<_>>()
                    .join("、"),
                colour,
            }
        })
        .collect();
    SiteMap {
        heading: "用地范围与保护图层",
        summary: format!(
            "用地面积：{}（CGCS2000经纬度，按椭球面计算）",
            tongxin_domain::siting::area_text(land.area_m2)
        ),
        rules: "县级只审批耕地和永久基本农田以外的临时用地；制梁场、拌合站不得占用耕地和永久基本农田；取土场不得占用永久基本农田，基础设施项目须在规划取土区内；避让地质、洪涝灾害易发区。",
        rows,
        boundary: land.boundary.to_string(),
        bbox: land
            .bbox
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(","),
        cites,
    }
}

/// A homestead's point on the map against the layout areas and hazard zones (宅基地选址).
fn homestead_map(site: tongxin_domain::homestead_siting::SiteFacts, cites: Vec<Cite>) -> SiteMap {
    use tongxin_geo::LayerKind as K;
    let rows = site
        .layers
        .iter()
        .map(|f| {
            let (text, colour) = match (&f.source, &f.nearest, f.kind) {
                (None, _, _) => ("未导入图层，未核对".to_owned(), "grey"),
                (Some(_), Some(n), K::HomesteadLayout) if n.distance_m <= 0.0 => {
                    ("位于布局区内".to_owned(), "green")
                }
                (Some(_), Some(n), K::HomesteadLayout) => {
                    (format!("在布局区以外，相距{:.1}米", n.distance_m), "red")
                }
                (Some(_), None, K::HomesteadLayout) => (
                    format!(
                        "在布局区以外（{:.0}米以内没有布局区）",
                        tongxin_domain::homestead_siting::SEARCH_RADIUS_M
                    ),
                    "red",
                ),
                (Some(_), Some(n), _) if n.distance_m <= 0.0 => ("位于区内".to_owned(), "red"),
                (Some(_), Some(n), _) => (format!("不在区内，相距{:.1}米", n.distance_m), "green"),
                (Some(_), None, _) => ("不在区内".to_owned(), "green"),
            };
            OverlapRow {
                kind: f.kind.code().to_owned(),
                label: f.kind.label().to_owned(),
                source: source_text(f.source.as_ref()),
                overlap: text,
                features: f
                    .nearest
                    .as_ref()
                    .map(|n| n.feature.clone())
                    .unwrap_or_default(),
                colour,
            }
        })
        .collect();
    let geometry = serde_json::json!({"type": "Point", "coordinates": [site.lon, site.lat]});
    SiteMap {
        heading: "宅基地选址：布局区与灾害易发区",
        summary: format!(
            "{}：{:.6}，{:.6}（CGCS2000经纬度）",
            if site.field == "site_plan_coordinates" {
                "宅基地坐标（坐标平面位置图）"
            } else {
                "拟用地坐标"
            },
            site.lon,
            site.lat
        ),
        rules: "拟用地须符合村庄规划确定的宅基地布局；规划宅基地要避开自然灾害易发地带和地质条件不稳定区域。",
        rows,
        boundary: geometry.to_string(),
        bbox: format!("{},{},{},{}", site.lon, site.lat, site.lon, site.lat),
        cites,
    }
}

/// The case page; `typed` is the refused action's form as typed, with its errors.
async fn case_page(
    desk: &'static Desk,
    st: &AppState,
    actor: &Actor,
    id: i64,
    notice: Option<String>,
    conflict: Option<CitedText>,
    typed: Option<(&str, &Typed, &Errors)>,
) -> Result<Response, PageError> {
    let app: &App = &st.app;
    let case = app.case_view(actor, id).await?;
    let proc = app.procedure(&case.procedure)?;
    // The application's fields (the first action's form).
    let filing_fields: Vec<String> = proc
        .actions
        .iter()
        .find(|a| a.from.contains(&proc.initial))
        .map(|a| a.fields.clone())
        .unwrap_or_default();
    let empty = Errors::default();
    let errors = match typed {
        Some((action, _, errors)) if !case.allowed_actions.iter().any(|a| a.id == action) => {
            errors.all.clone()
        }
        _ => Vec::new(),
    };
    let actions = case
        .allowed_actions
        .iter()
        .map(|a| {
            let (raw, errors, open) = match typed {
                Some((action, raw, errors)) if action == a.id => (raw.clone(), errors, true),
                _ => {
                    // 补正: the application as it stands (never for a masked view).
                    let prefill: Vec<FieldDef> = a
                        .fields
                        .iter()
                        .filter(|f| filing_fields.contains(&f.id) && !case.masked)
                        .cloned()
                        .collect();
                    (typed_from_data(&prefill, &case.data), &empty, false)
                }
            };
            ActionForm {
                id: a.id.clone(),
                label: a.label.clone(),
                negative: a.negative,
                reason_required: a.reason_required,
                cite: Cite::from(&a.citation),
                blocked: a.blocked.as_deref().map(CitedText::new),
                fields: form::inputs(&a.fields, &a.id, &raw, errors),
                reason: raw.get(REASON_FIELD).cloned().unwrap_or_default(),
                reason_errors: errors.by_key.get(REASON_FIELD).cloned().unwrap_or_default(),
                errors: errors.all.clone(),
                open,
            }
        })
        .collect();
    let events = case
        .events
        .iter()
        .map(|e| EventRow {
            seq: e.seq,
            at: local_time(&e.at),
            actor: format!("{}（{}）", e.actor_name, e.actor),
            role: e.role.clone(),
            unit: e.unit.clone(),
            action_label: e.action_label.clone(),
            from_state: e.from_state.clone(),
            to_state: e.to_state.clone(),
            comment: e.comment.clone(),
            data: form::data_rows(&proc.fields, &e.data)
                .into_iter()
                .filter(|r| r.label != "理由")
                .collect(),
            clauses: clause_lines(proc, &e.clauses),
            policy_version: e.policy_version.clone(),
        })
        .collect();
    let documents = case
        .documents
        .iter()
        .map(|d| DocumentLink {
            href: format!("{}/documents/{}", desk.case_href(case.id), d.document),
            title: d.title.clone(),
            number: d.number.clone(),
            issued_on: d.issued_on.to_string(),
            cite: Cite::from(&d.citation),
        })
        .collect();
    let has_boundary = proc.fields.iter().any(|f| f.kind == FieldKind::Boundary);
    let land = if has_boundary {
        let corpus = app.corpus();
        let today = app.clock.today();
        let mut cites: Vec<Cite> = Vec::new();
        for key in tongxin_domain::siting::RULES {
            if let Ok(a) = corpus.rule(key, today) {
                let c = Cite::from(a.citation);
                if !cites.iter().any(|x| x.text == c.text) {
                    cites.push(c);
                }
            }
        }
        app.case_land(actor, id).await?.map(|l| {
            let borrow_pit =
                case.data.get("use_kind").and_then(Value::as_str) == Some("borrow_pit");
            site_map(l, borrow_pit, cites)
        })
    } else {
        let today = app.clock.today();
        let corpus = app.corpus();
        let cites = [
            tongxin_domain::homestead_siting::LAYOUT_TOLERANCE_RULE,
            tongxin_domain::homestead_siting::HAZARD_CLEARANCE_RULE,
        ]
        .into_iter()
        .filter_map(|key| corpus.rule(key, today).ok().map(|a| Cite::from(a.citation)))
        .collect();
        app.homestead_site(proc, &case.data)
            .await?
            .map(|site| homestead_map(site, cites))
    };
    let project = (desk.panel == super::Panel::GovProject)
        .then(|| super::project::panel(&app.corpus(), &case, app.clock.today()));
    let attract = (desk.panel == super::Panel::Investment).then(|| {
        let key = case
            .data
            .get("chain")
            .and_then(Value::as_str)
            .unwrap_or_default();
        super::attract::panel(&case, app.chain(key))
    });
    let page = CasePage {
        attract,
        layout: Layout::new(st, Some(actor), &case.number, desk.nav),
        desk,
        land,
        project,
        created: local_time(&case.created_at),
        updated: local_time(&case.updated_at),
        notice,
        conflict,
        errors,
        deadlines: case.deadlines.iter().map(deadline_row).collect(),
        actions,
        data: form::data_rows(&proc.fields, &case.data),
        events,
        documents,
        case,
    };
    Ok(render(&page))
}

pub async fn show(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    id: String,
    q: Option<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id, "案件")?;
    let q = query_map(q);
    let proc = st.app.procedure(desk.procedure)?;
    // `?done=approve` after an action: its label, never the query text itself.
    let notice = q
        .get("done")
        .and_then(|a| proc.find_action(a))
        .map(|a| format!("已办理：{}", a.label));
    case_page(desk, &st, &actor, id, notice, None, None).await
}

pub async fn act(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    id: String,
    raw: Typed,
) -> Result<Response, PageError> {
    let id = path_id(&id, "案件")?;
    let case = st.app.case_view(&actor, id).await?;
    let proc = st.app.procedure(&case.procedure)?;
    let action_id = raw.get("action").cloned().unwrap_or_default();
    let version = raw
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    let fields = proc
        .find_action(&action_id)
        .map(|a| action_fields(proc, a))
        .unwrap_or_default();
    let sub = form::submission(&fields, &raw);
    let mut data = sub.data.clone();
    if let Some(r) = raw.get(REASON_FIELD).filter(|r| !r.trim().is_empty()) {
        data.insert(REASON_FIELD.into(), Value::String(r.clone()));
    }
    let input = tongxin_app::cases::ActionInput {
        action: action_id.clone(),
        data,
        version,
    };
    match st.app.act_on_case(&actor, id, &input).await {
        Ok(c) => Ok(Redirect::to(&format!(
            "{}?done={}",
            desk.case_href(c.id),
            crate::urlencode(&action_id)
        ))
        .into_response()),
        Err(AppError::Validation(es)) => {
            let errors = sub.errors(es);
            let res = case_page(
                desk,
                &st,
                &actor,
                id,
                None,
                None,
                Some((&action_id, &raw, &errors)),
            )
            .await?;
            Ok(status_of(StatusCode::UNPROCESSABLE_ENTITY, res))
        }
        Err(AppError::Conflict(msg)) => {
            let res = case_page(
                desk,
                &st,
                &actor,
                id,
                None,
                Some(CitedText::new(&msg)),
                Some((&action_id, &raw, &Errors::default())),
            )
            .await?;
            Ok(status_of(StatusCode::CONFLICT, res))
        }
        Err(e) => Err(e.into()),
    }
}
