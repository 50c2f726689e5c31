//! 产业链与招商's pages: the 21 chains as cards (the signed-in chief's first), a chain's page
//! with its map drawn on the server (segments by stage, coloured by what is in them, a gap
//! linking to the leads that would fill it), its four lists and enterprises, its pipeline and
//! reserve; the enterprise register with 链主 steps; the investment pipeline board.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tongxin_app::AppError;
use tongxin_app::chains::{
    BoardColumn, ChainCard, ChainDetail, ChainItemInput, EnterpriseInput, EnterpriseView,
    MasterStepInput, SegmentView,
};
use tongxin_domain::chains::{Chain, ChainListKind, ChainMasterLevel, SegmentStage};

use super::{Layout, messages, path_id, query_map, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::{CurrentUser, PageForm};

/// A segment's box on the map (SVG units).
pub struct MapBox {
    pub x: u32,
    pub y: u32,
    pub key: String,
    pub name: String,
    pub colour: &'static str,
    pub label: &'static str,
    pub counts: String,
}

/// An arrow from one stage's column to the next.
pub struct Arrow {
    pub x1: u32,
    pub x2: u32,
    pub y: u32,
}

pub struct ChainMap {
    pub width: u32,
    pub height: u32,
    pub boxes: Vec<MapBox>,
    pub arrows: Vec<Arrow>,
    /// (x, label) of each column's heading.
    pub headings: Vec<(u32, &'static str)>,
}

pub const BOX_W: u32 = 150;
pub const BOX_H: u32 = 56;
const COL_GAP: u32 = 46;
const ROW_GAP: u32 = 14;
const TOP: u32 = 28;

/// Lays the segments out: one column per stage present, upstream → downstream, supporting
/// segments in a last column; boxes stacked in file order.
pub fn chain_map(segments: &[SegmentView]) -> ChainMap {
    let mut boxes = Vec::new();
    let mut headings = Vec::new();
    let mut arrows = Vec::new();
    let mut col = 0u32;
    let mut tallest = 0u32;
    let mut last_main: Option<(u32, u32)> = None;
    for stage in SegmentStage::ALL {
        let here: Vec<&SegmentView> = segments
            .iter()
            .filter(|s| s.stage == stage.code())
            .collect();
        if here.is_empty() {
            continue;
        }
        let x = col * (BOX_W + COL_GAP);
        headings.push((x + BOX_W / 2, stage.label()));
        for (i, s) in here.iter().enumerate() {
            boxes.push(MapBox {
                x,
                y: TOP + i as u32 * (BOX_H + ROW_GAP),
                key: s.key.clone(),
                name: s.name.clone(),
                colour: s.strength.colour(),
                label: s.strength.label(),
                counts: format!(
                    "企业{} 项目{} 线索{}",
                    s.counts.enterprises, s.counts.projects, s.counts.leads
                ),
            });
        }
        let h = here.len() as u32 * (BOX_H + ROW_GAP);
        tallest = tallest.max(h);
        if stage != SegmentStage::Supporting {
            if let Some((prev_x, prev_h)) = last_main {
                arrows.push(Arrow {
                    x1: prev_x + BOX_W + 4,
                    x2: x - 6,
                    y: TOP + prev_h.min(h).max(BOX_H + ROW_GAP) / 2 - ROW_GAP / 2,
                });
            }
            last_main = Some((x, h));
        }
        col += 1;
    }
    ChainMap {
        width: col.max(1) * (BOX_W + COL_GAP) - COL_GAP,
        height: TOP + tallest,
        boxes,
        arrows,
        headings,
    }
}

#[derive(Template)]
#[template(path = "chains_list.html")]
pub struct ChainsPage {
    pub layout: Layout,
    pub cards: Vec<ChainCard>,
    pub cite: Option<Cite>,
}

/// 产业链: the cards.
pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let cards = st.app.chain_cards(&actor).await?;
    Ok(render(&ChainsPage {
        layout: Layout::new(&st, Some(&actor), "产业链", "chains"),
        cards,
        cite: cite_text("同党办发〔2023〕49号 三、"),
    }))
}

#[derive(Template)]
#[template(path = "chain_page.html")]
pub struct ChainPage {
    pub layout: Layout,
    pub d: ChainDetail,
    pub map: ChainMap,
    pub cite: Cite,
    pub list_cite: Option<Cite>,
    pub master_cite: Option<Cite>,
    pub notice: String,
    pub message: String,
    pub typed: HashMap<String, String>,
    pub kinds: Vec<(&'static str, &'static str)>,
}

impl ChainPage {
    pub fn typed(&self, k: &str) -> &str {
        self.typed.get(k).map(String::as_str).unwrap_or_default()
    }
}

async fn chain_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    key: &str,
    notice: String,
    message: String,
    typed: HashMap<String, String>,
) -> Result<Response, PageError> {
    let d = st.app.chain_detail(actor, key).await?;
    let map = chain_map(&d.segments);
    Ok(render(&ChainPage {
        layout: Layout::new(st, Some(actor), &d.title, "chains"),
        cite: Cite::from(&d.chain.clause),
        list_cite: cite_text("同党办发〔2023〕49号 四、（二）"),
        master_cite: cite_text("同党办发〔2023〕49号 四、（三）"),
        kinds: ChainListKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        d,
        map,
        notice,
        message,
        typed,
    }))
}

/// 一条产业链.
pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let notice = query_map(q).get("done").cloned().unwrap_or_default();
    chain_page(&st, &actor, &key, notice, String::new(), HashMap::new()).await
}

/// Refusals answered on the page they came from; anything else is an error page.
fn refused(e: AppError) -> Result<(StatusCode, String), PageError> {
    match e {
        AppError::Validation(es) => Ok((StatusCode::UNPROCESSABLE_ENTITY, messages(&es))),
        AppError::Conflict(m) => Ok((StatusCode::CONFLICT, m)),
        e => Err(e.into()),
    }
}

/// 添加清单事项.
pub async fn add_item(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = ChainItemInput {
        kind: get("kind"),
        title: get("title"),
        detail: get("detail"),
        measure: get("measure"),
        segment: get("segment"),
    };
    match st.app.add_chain_item(&actor, &key, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/chains/{}?done={}#lists",
            crate::cite::segment(&key),
            crate::cite::segment("已添加")
        ))
        .into_response()),
        Err(e) => {
            let (status, message) = refused(e)?;
            let mut res = chain_page(&st, &actor, &key, String::new(), message, raw).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// 销号 or 重新打开 a list item.
pub async fn set_item(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let id = path_id(&id, "清单事项")?;
    let open = raw.get("open").is_some_and(|v| v == "1");
    let version = raw
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1);
    match st.app.set_chain_item_open(&actor, id, open, version).await {
        Ok(key) => Ok(Redirect::to(&format!(
            "/chains/{}?done={}#lists",
            crate::cite::segment(&key),
            crate::cite::segment(if open { "已重新打开" } else { "已销号" })
        ))
        .into_response()),
        Err(AppError::Conflict(m)) => Err(PageError {
            status: StatusCode::CONFLICT,
            message: m,
        }),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "enterprises.html")]
pub struct EnterprisesPage {
    pub layout: Layout,
    pub list: Vec<EnterpriseView>,
    pub chains: Vec<Chain>,
    /// The enterprise being corrected, if any.
    pub editing: Option<EnterpriseView>,
    pub levels: Vec<(&'static str, &'static str)>,
    pub notice: String,
    pub message: String,
    pub typed: HashMap<String, String>,
    pub cite: Option<Cite>,
    pub master_cite: Option<Cite>,
}

impl EnterprisesPage {
    pub fn typed(&self, k: &str) -> &str {
        self.typed.get(k).map(String::as_str).unwrap_or_default()
    }

    /// Whether the segment's box is ticked: as typed after a refusal, else as stored.
    pub fn ticked(&self, value: &str) -> bool {
        if !self.typed.is_empty() {
            return self.typed.contains_key(&format!("seg:{value}"));
        }
        self.editing
            .as_ref()
            .is_some_and(|e| e.segment_values.iter().any(|v| v == value))
    }
}

async fn enterprises_page(
    st: &AppState,
    actor: &tongxin_app::Actor,
    editing: Option<i64>,
    notice: String,
    message: String,
    typed: HashMap<String, String>,
) -> Result<Response, PageError> {
    let list = st.app.enterprises(actor).await?;
    let editing = match editing {
        Some(id) => Some(st.app.enterprise(actor, id).await?),
        None => None,
    };
    let title = editing
        .as_ref()
        .map(|e| e.name.clone())
        .unwrap_or_else(|| "重点企业".into());
    Ok(render(&EnterprisesPage {
        layout: Layout::new(st, Some(actor), &title, "chains"),
        list,
        chains: st.app.chains().to_vec(),
        editing,
        levels: ChainMasterLevel::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        notice,
        message,
        typed,
        cite: cite_text("同党办发〔2023〕49号 四、（二）"),
        master_cite: cite_text("同党办发〔2023〕49号 四、（三）"),
    }))
}

/// 重点企业名录.
pub async fn enterprises(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let notice = query_map(q).get("done").cloned().unwrap_or_default();
    enterprises_page(&st, &actor, None, notice, String::new(), HashMap::new()).await
}

/// One enterprise: its correction form and 链主 steps.
pub async fn enterprise(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let id = path_id(&id, "企业")?;
    let notice = query_map(q).get("done").cloned().unwrap_or_default();
    enterprises_page(&st, &actor, Some(id), notice, String::new(), HashMap::new()).await
}

fn enterprise_input(raw: &HashMap<String, String>) -> EnterpriseInput {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let mut segments: Vec<String> = raw
        .keys()
        .filter_map(|k| k.strip_prefix("seg:").map(str::to_owned))
        .collect();
    segments.sort();
    EnterpriseInput {
        credit_code: get("credit_code"),
        name: get("name"),
        key_tax_source: raw
            .get("key_tax_source")
            .is_some_and(|v| v == "on" || v == "true"),
        segments,
        note: get("note"),
        version: raw.get("version").and_then(|v| v.trim().parse().ok()),
    }
}

/// 登记重点企业.
pub async fn register(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    match st
        .app
        .register_enterprise(&actor, &enterprise_input(&raw))
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!(
            "/chains/enterprises/{id}?done={}",
            crate::cite::segment("已登记")
        ))
        .into_response()),
        Err(e) => {
            let (status, message) = refused(e)?;
            let mut res = enterprises_page(&st, &actor, None, String::new(), message, raw).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

/// 更正 (form=correct) or 链主认定 (form=master).
pub async fn update(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let id = path_id(&id, "企业")?;
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let result = if get("form") == "master" {
        st.app
            .record_master_step(
                &actor,
                id,
                &MasterStepInput {
                    chain: get("chain"),
                    level: get("level"),
                    decided_on: get("decided_on"),
                    decision: get("decision"),
                    reward: get("reward"),
                    note: get("note"),
                    version: get("version").trim().parse().unwrap_or(-1),
                },
            )
            .await
            .map(|_| "已记录认定")
    } else {
        st.app
            .correct_enterprise(&actor, id, &enterprise_input(&raw))
            .await
            .map(|_| "已更正")
    };
    match result {
        Ok(done) => Ok(Redirect::to(&format!(
            "/chains/enterprises/{id}?done={}",
            crate::cite::segment(done)
        ))
        .into_response()),
        Err(e) => {
            let (status, message) = refused(e)?;
            let mut res =
                enterprises_page(&st, &actor, Some(id), String::new(), message, raw).await?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "investment_board.html")]
pub struct BoardPage {
    pub layout: Layout,
    pub columns: Vec<BoardColumn>,
    pub chains: Vec<Chain>,
    pub chain: String,
    pub unit: String,
    pub total: usize,
    /// 考核参考 (第十四条).
    pub figures: Vec<tongxin_app::chains::UnitFigures>,
}

/// 招商项目看板.
pub async fn board(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let q = query_map(q);
    let chain = q.get("chain").cloned().unwrap_or_default();
    let unit = q.get("unit").cloned().unwrap_or_default();
    let columns = st
        .app
        .pipeline_board(&actor, Some(&chain), Some(&unit))
        .await?;
    let figures = st.app.attraction_figures(&actor).await?;
    Ok(render(&BoardPage {
        figures,
        layout: Layout::new(&st, Some(&actor), "招商项目看板", "chains"),
        total: columns.iter().map(|c| c.cases.len()).sum(),
        columns,
        chains: st.app.chains().to_vec(),
        chain,
        unit,
    }))
}
