//! 产业链与招商 (同党办发〔2023〕49号, 同政办发〔2023〕72号): the 21 chains as cards, each
//! chain's map (its segments coloured by what is in them), its lists and enterprises, the
//! enterprise register with 链主 steps, and the investment pipeline board.
//!
//! Who does what (decided here; the documents name the lead units, not the screens):
//! - Everyone with the supervision ledger's view (county leaders, the office, departments,
//!   townships) sees the chains, their maps and lists.
//! - A chain's lists (四、（二）) are kept by its lead unit.
//! - The enterprise register: an enterprise is registered or corrected by the lead unit of a
//!   chain it works in, or by 工业信息化和商务局 (a responsible unit of nearly every chain);
//!   a 链主 step is recorded by the lead unit of the chain concerned or by 工业信息化和商务局.
//! - The map counts every lead and project of the county whoever's they are (the counts are
//!   not personal); the leads listed under a segment are the ones the actor may open.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tongxin_domain::FieldError;
use tongxin_domain::access::Permission;
use tongxin_domain::attract_checks::funds_in_place;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::chains::{
    Chain, ChainListKind, ChainMasterLevel, SegmentCounts, Strength, chain_strength, strength,
};
use tongxin_domain::ids::CreditCode;
use tongxin_domain::invest::WanYuan;
use tongxin_store::{
    CaseFilter, ChainItemRow, EnterpriseRow, EnterpriseWrite, MasterStepRow, StoreError,
};

use crate::auth::Actor;
use crate::cases::{CaseQuery, CaseSummary, json_map};
use crate::{App, AppError};

/// The investment-attraction procedure (同政办发〔2023〕72号).
pub const INVESTMENT: &str = "investment";

/// States of a project under way: signed and landing, not yet accounted (在建补链), and the
/// accounted ones (its money is in place, the enterprise belongs in the register).
pub const PROJECT_STATES: [&str; 4] = ["landing", "materials", "accounting", "funded"];
/// 项目储备库.
pub const RESERVE_STATE: &str = "reserve";
/// Closed without a project.
pub const DROPPED_STATE: &str = "dropped";
/// The unit that registers enterprises for every chain.
pub const REGISTRAR: &str = "工业信息化和商务局";

/// A lead or project as the chain pages list it.
#[derive(Debug, Clone, Serialize)]
pub struct LeadRef {
    pub id: i64,
    pub number: String,
    pub project_name: String,
    pub company: String,
    pub state: String,
    pub state_label: String,
    pub unit: String,
    pub planned_investment: String,
    pub overdue: bool,
    /// 距上次办理天数: natural days since the case was last acted on (a stage change or a
    /// 代办 item); the text sets no stage time limits, so it is shown without a colour.
    pub days_since_action: i64,
}

/// One segment on the chain map.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentView {
    pub key: String,
    pub name: String,
    pub stage: String,
    pub stage_label: String,
    pub counts: SegmentCounts,
    pub strength: Strength,
    /// Leads that would fill it (open, the actor may see them).
    pub leads: Vec<LeadRef>,
    /// Projects under way or accounted in it.
    pub projects: Vec<LeadRef>,
    /// Enterprises of the register working in it (names).
    pub enterprises: Vec<String>,
}

/// A chain card (产业链 page).
#[derive(Debug, Clone, Serialize)]
pub struct ChainCard {
    pub key: String,
    pub title: String,
    pub kind: String,
    pub chief: String,
    pub lead: String,
    pub clause: String,
    pub strength: Strength,
    pub segments: usize,
    pub gaps: usize,
    pub enterprises: usize,
    pub leads: usize,
    pub projects: usize,
    pub reserve: usize,
    pub open_items: usize,
    /// The chain's chief is the signed-in leader (his chains first).
    pub mine: bool,
}

/// An enterprise as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseView {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub key_tax_source: bool,
    pub master_level: String,
    pub master_label: String,
    pub master_chain: String,
    pub master_chain_title: String,
    pub note: String,
    pub version: i64,
    /// (chain title, segment name) per segment.
    pub segments: Vec<(String, String)>,
    /// `pv.ingot` per segment (the form's values).
    pub segment_values: Vec<String>,
    pub steps: Vec<MasterStepView>,
}

/// A 链主 step as shown.
#[derive(Debug, Clone, Serialize)]
pub struct MasterStepView {
    pub level: String,
    pub level_label: String,
    pub chain_title: String,
    pub decided_on: NaiveDate,
    pub decision: String,
    /// 万元, as written.
    pub reward: String,
    pub note: String,
    pub recorded_by: String,
}

/// A list item as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ChainItemView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub detail: String,
    pub measure: String,
    pub segment: String,
    pub open: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: String,
}

/// One of the four lists.
#[derive(Debug, Clone, Serialize)]
pub struct ChainList {
    pub kind: String,
    pub label: String,
    pub clause: String,
    pub items: Vec<ChainItemView>,
}

/// A chain's page.
#[derive(Debug, Clone, Serialize)]
pub struct ChainDetail {
    pub chain: Chain,
    pub title: String,
    pub lead_name: String,
    pub responsible_names: Vec<String>,
    pub strength: Strength,
    pub segments: Vec<SegmentView>,
    pub enterprises: Vec<EnterpriseView>,
    pub lists: Vec<ChainList>,
    /// Leads and projects of the chain the actor may see, newest first.
    pub pipeline: Vec<LeadRef>,
    pub reserve: Vec<LeadRef>,
    /// The actor keeps this chain's lists.
    pub keeps_lists: bool,
    /// 督办: the chain's tasks, problems and latest reports (同党办发〔2023〕49号 四、（六）),
    /// when the actor sees any.
    pub supervision: Option<crate::plan_views::GroupDetail>,
}

/// The pipeline board: the open cases by state, in procedure order.
#[derive(Debug, Clone, Serialize)]
pub struct BoardColumn {
    pub state: String,
    pub label: String,
    pub cases: Vec<LeadRef>,
}

/// 考核参考: one unit's investment-attraction figures (第十四条).
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitFigures {
    pub unit: String,
    /// Every lead filed to it.
    pub leads: usize,
    /// Before signing, outside the pool.
    pub open: usize,
    /// Signed and landing, or accounted.
    pub signed: usize,
    pub funded: usize,
    pub reserve: usize,
    pub dropped: usize,
    #[serde(skip)]
    pub agreed_hundredths: i64,
    #[serde(skip)]
    pub in_place_hundredths: i64,
    /// 协议投资额 (万元).
    pub agreed: String,
    /// 实际到位资金 (万元).
    pub in_place: String,
    /// Mean natural days from filing to signing, over its signed projects.
    pub days_to_sign: Option<i64>,
}

/// What registering or correcting an enterprise takes, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnterpriseInput {
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub key_tax_source: bool,
    /// `pv.ingot` values.
    #[serde(default)]
    pub segments: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// For a correction: the version read.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A 链主 step, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MasterStepInput {
    #[serde(default)]
    pub chain: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub decision: String,
    /// 万元.
    #[serde(default)]
    pub reward: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub version: i64,
}

/// A list item, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChainItemInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub segment: String,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The date part of a stored timestamp (`2025-03-03T01:00:00Z`).
fn day_of(ts: &str) -> Option<NaiveDate> {
    ts.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn lead_ref(c: &CaseSummary, today: NaiveDate) -> LeadRef {
    let get = |k: &str| c.data.get(k).map(text).unwrap_or_default();
    LeadRef {
        id: c.id,
        number: c.number.clone(),
        project_name: get("project_name"),
        company: get("company_name"),
        state: c.state.clone(),
        state_label: c.state_label.clone(),
        unit: c.unit.clone(),
        planned_investment: get("planned_investment"),
        overdue: c.overdue,
        days_since_action: day_of(&c.updated_at)
            .map(|d| (today - d).num_days().max(0))
            .unwrap_or(0),
    }
}

/// (chain, segment key) of a case's form data.
fn segment_of(data: &serde_json::Map<String, Value>) -> (String, String) {
    let chain = data.get("chain").map(text).unwrap_or_default();
    let seg = data.get("segment").map(text).unwrap_or_default();
    let key = seg
        .split_once('.')
        .filter(|(c, _)| *c == chain)
        .map(|(_, s)| s.to_owned())
        .unwrap_or_default();
    (chain, key)
}

/// Where a case stands for the map.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Standing {
    Lead,
    Project,
    Reserve,
    Closed,
}

fn standing(state: &str) -> Standing {
    if PROJECT_STATES.contains(&state) {
        Standing::Project
    } else if state == RESERVE_STATE {
        Standing::Reserve
    } else if state == DROPPED_STATE || state == "new" {
        Standing::Closed
    } else {
        Standing::Lead
    }
}

impl App {
    /// The chain with this key (`pv`).
    pub fn chain(&self, key: &str) -> Option<&Chain> {
        self.pack.chain(key)
    }

    /// The 21 chains, in the document's order.
    pub fn chains(&self) -> &[Chain] {
        &self.pack.chains
    }

    fn require_chains(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Permission::ViewTasks, "查看产业链")
    }

    fn chain_or_404(&self, key: &str) -> Result<&Chain, AppError> {
        self.pack.chain(key).ok_or_else(|| AppError::NotFound {
            what: format!("产业链“{key}”"),
        })
    }

    fn unit_is(&self, actor: &Actor, name: &str) -> bool {
        self.directory()
            .resolve_unit(name)
            .is_some_and(|u| u.id == actor.unit)
    }

    /// The actor's unit leads this chain (a department or township-level unit's staff).
    fn leads_chain(&self, actor: &Actor, chain: &Chain) -> bool {
        !actor.role.is_administrator() && actor.unit == chain.lead
    }

    /// County-wide counts per (chain, segment) and per chain's reserve, from every investment
    /// case and the register.
    async fn chain_counts(
        &self,
    ) -> Result<
        (
            HashMap<(String, String), SegmentCounts>,
            HashMap<String, usize>,
        ),
        AppError,
    > {
        let mut counts: HashMap<(String, String), SegmentCounts> = HashMap::new();
        let mut reserve: HashMap<String, usize> = HashMap::new();
        let (rows, _) = self
            .store
            .list_cases(&CaseFilter {
                procedure: INVESTMENT.into(),
                limit: i64::MAX / 2,
                ..CaseFilter::default()
            })
            .await?;
        for r in rows {
            let (chain, seg) = segment_of(&json_map(&r.data));
            match standing(&r.state) {
                Standing::Lead => counts.entry((chain, seg)).or_default().leads += 1,
                Standing::Project => counts.entry((chain, seg)).or_default().projects += 1,
                Standing::Reserve => *reserve.entry(chain).or_default() += 1,
                Standing::Closed => {}
            }
        }
        for (chain, seg, n) in self.store.segment_enterprise_counts().await? {
            counts.entry((chain, seg)).or_default().enterprises += n as usize;
        }
        Ok((counts, reserve))
    }

    /// 产业链: the 21 chains as cards, the signed-in chief's first.
    pub async fn chain_cards(&self, actor: &Actor) -> Result<Vec<ChainCard>, AppError> {
        self.require_chains(actor)?;
        let (counts, reserve) = self.chain_counts().await?;
        let mut open: HashMap<String, usize> = HashMap::new();
        for (chain, _, n) in self.store.open_chain_item_counts().await? {
            *open.entry(chain).or_default() += n as usize;
        }
        let mut by_chain: HashMap<&str, usize> = HashMap::new();
        for e in self.store.enterprises().await? {
            let mut seen: Vec<&str> = Vec::new();
            for (c, _) in &e.segments {
                if let Some(chain) = self.pack.chain(c)
                    && !seen.contains(&chain.key.as_str())
                {
                    seen.push(chain.key.as_str());
                    *by_chain.entry(chain.key.as_str()).or_default() += 1;
                }
            }
        }
        let mut cards: Vec<ChainCard> = self
            .pack
            .chains
            .iter()
            .map(|c| {
                let segs: Vec<SegmentCounts> = c
                    .segments
                    .iter()
                    .map(|s| {
                        counts
                            .get(&(c.key.clone(), s.key.clone()))
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect();
                ChainCard {
                    key: c.key.clone(),
                    title: c.title(),
                    kind: c.kind.label().to_owned(),
                    chief: c.chief.clone(),
                    lead: self.unit_name(&c.lead.0),
                    clause: c.clause.to_string(),
                    strength: chain_strength(segs.iter().copied()),
                    segments: segs.len(),
                    gaps: segs
                        .iter()
                        .filter(|s| strength(**s) == Strength::Gap)
                        .count(),
                    enterprises: by_chain.get(c.key.as_str()).copied().unwrap_or(0),
                    leads: segs.iter().map(|s| s.leads).sum(),
                    projects: segs.iter().map(|s| s.projects).sum(),
                    reserve: reserve.get(&c.key).copied().unwrap_or(0),
                    open_items: open.get(&c.key).copied().unwrap_or(0),
                    mine: c.chief == actor.display_name,
                }
            })
            .collect();
        // The chief's own chains first, the document's order otherwise.
        cards.sort_by_key(|c| !c.mine);
        Ok(cards)
    }

    /// The investment cases the actor may see (masked as the case list masks them).
    async fn visible_investment(&self, actor: &Actor) -> Result<Vec<CaseSummary>, AppError> {
        Ok(self
            .case_rows(actor, INVESTMENT, &CaseQuery::default(), 100_000, 0)
            .await?
            .0)
    }

    fn enterprise_view(&self, e: EnterpriseRow, steps: Vec<MasterStepRow>) -> EnterpriseView {
        let chain_title = |k: &str| self.pack.chain(k).map(Chain::title).unwrap_or_default();
        let segment_name = |c: &str, s: &str| {
            self.pack
                .chain(c)
                .and_then(|ch| ch.segment(s))
                .map(|s| s.name.clone())
                .unwrap_or_else(|| s.to_owned())
        };
        let level = ChainMasterLevel::parse(&e.master_level);
        EnterpriseView {
            id: e.id,
            master_label: level.map(|l| l.label()).unwrap_or("—").to_owned(),
            master_chain_title: chain_title(&e.master_chain),
            segments: e
                .segments
                .iter()
                .map(|(c, s)| (chain_title(c), segment_name(c, s)))
                .collect(),
            segment_values: e.segments.iter().map(|(c, s)| format!("{c}.{s}")).collect(),
            steps: steps
                .into_iter()
                .map(|s| MasterStepView {
                    level_label: ChainMasterLevel::parse(&s.level)
                        .map(|l| l.label())
                        .unwrap_or_default()
                        .to_owned(),
                    chain_title: chain_title(&s.chain_key),
                    level: s.level,
                    decided_on: s.decided_on,
                    decision: s.decision,
                    reward: s
                        .reward
                        .map(|r| WanYuan::from_hundredths(r).decimal())
                        .unwrap_or_default(),
                    note: s.note,
                    recorded_by: s.recorded_by,
                })
                .collect(),
            credit_code: e.credit_code,
            name: e.name,
            key_tax_source: e.key_tax_source,
            master_level: e.master_level,
            master_chain: e.master_chain,
            note: e.note,
            version: e.version,
        }
    }

    /// One chain: its map, lists, enterprises and pipeline.
    pub async fn chain_detail(&self, actor: &Actor, key: &str) -> Result<ChainDetail, AppError> {
        self.require_chains(actor)?;
        let chain = self.chain_or_404(key)?.clone();
        let today = self.clock.today();
        let (counts, _) = self.chain_counts().await?;
        let cases: Vec<CaseSummary> = self
            .visible_investment(actor)
            .await?
            .into_iter()
            .filter(|c| c.data.get("chain").map(text).as_deref() == Some(key))
            .collect();
        let rows = self.store.chain_enterprises(key).await?;
        let mut enterprises = Vec::with_capacity(rows.len());
        for e in rows {
            let steps = self.store.master_steps(e.id).await?;
            enterprises.push(self.enterprise_view(e, steps));
        }
        let segments: Vec<SegmentView> = chain
            .segments
            .iter()
            .map(|s| {
                let c = counts
                    .get(&(chain.key.clone(), s.key.clone()))
                    .copied()
                    .unwrap_or_default();
                let here = |want: Standing| {
                    cases
                        .iter()
                        .filter(|cs| segment_of(&cs.data).1 == s.key && standing(&cs.state) == want)
                        .map(|c| lead_ref(c, today))
                        .collect::<Vec<_>>()
                };
                SegmentView {
                    key: s.key.clone(),
                    name: s.name.clone(),
                    stage: s.stage.code().to_owned(),
                    stage_label: s.stage.label().to_owned(),
                    counts: c,
                    strength: strength(c),
                    leads: here(Standing::Lead),
                    projects: here(Standing::Project),
                    enterprises: enterprises
                        .iter()
                        .filter(|e| {
                            e.segment_values
                                .contains(&format!("{}.{}", chain.key, s.key))
                        })
                        .map(|e| e.name.clone())
                        .collect(),
                }
            })
            .collect();
        let items = self.store.chain_items(key).await?;
        let lists = ChainListKind::ALL
            .iter()
            .map(|k| ChainList {
                kind: k.code().to_owned(),
                label: k.label().to_owned(),
                clause: format!("{} {}", chain.clause.doc, k.clause()),
                items: items
                    .iter()
                    .filter(|i| i.kind == k.code())
                    .map(|i| ChainItemView {
                        id: i.id,
                        kind: i.kind.clone(),
                        title: i.title.clone(),
                        detail: i.detail.clone(),
                        measure: i.measure.clone(),
                        segment: chain
                            .segment(&i.segment_key)
                            .map(|s| s.name.clone())
                            .unwrap_or_default(),
                        open: i.status == "open",
                        version: i.version,
                        updated_by: i.updated_by.clone(),
                        updated_at: i.updated_at.clone(),
                    })
                    .collect(),
            })
            .collect();
        let strength = chain_strength(segments.iter().map(|s| s.counts));
        let pipeline: Vec<LeadRef> = cases
            .iter()
            .filter(|c| matches!(standing(&c.state), Standing::Lead | Standing::Project))
            .map(|c| lead_ref(c, today))
            .collect();
        let reserve: Vec<LeadRef> = cases
            .iter()
            .filter(|c| standing(&c.state) == Standing::Reserve)
            .map(|c| lead_ref(c, today))
            .collect();
        let supervision = match self.group_detail(actor, "chain", key).await {
            Ok(g) => Some(g),
            Err(AppError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(ChainDetail {
            supervision,
            title: chain.title(),
            lead_name: self.unit_name(&chain.lead.0),
            responsible_names: chain
                .responsible
                .iter()
                .map(|u| self.unit_name(&u.0))
                .collect(),
            keeps_lists: self.leads_chain(actor, &chain),
            strength,
            segments,
            enterprises,
            lists,
            pipeline,
            reserve,
            chain,
        })
    }

    /// 招商项目看板: the actor's visible cases by state (procedure order), optionally one
    /// chain's or one unit's.
    pub async fn pipeline_board(
        &self,
        actor: &Actor,
        chain: Option<&str>,
        unit: Option<&str>,
    ) -> Result<Vec<BoardColumn>, AppError> {
        self.require_chains(actor)?;
        let proc = self.procedure(INVESTMENT)?;
        if let Some(c) = chain.filter(|c| !c.is_empty()) {
            self.chain_or_404(c)?;
        }
        let unit_name = match unit.filter(|u| !u.is_empty()) {
            Some(u) => Some(
                self.directory()
                    .resolve_unit(u)
                    .map(|x| x.short_name.clone())
                    .ok_or_else(|| AppError::field("unit", format!("单位“{u}”不在单位名录中")))?,
            ),
            None => None,
        };
        let cases = self.visible_investment(actor).await?;
        let today = self.clock.today();
        let mut by_state: BTreeMap<&str, Vec<LeadRef>> = BTreeMap::new();
        for c in &cases {
            if chain.is_some_and(|k| {
                !k.is_empty() && c.data.get("chain").map(text).as_deref() != Some(k)
            }) {
                continue;
            }
            if unit_name.as_deref().is_some_and(|u| c.unit != u) {
                continue;
            }
            by_state
                .entry(c.state.as_str())
                .or_default()
                .push(lead_ref(c, today));
        }
        Ok(proc
            .states
            .iter()
            .filter(|s| s.id != proc.initial)
            .map(|s| BoardColumn {
                state: s.id.clone(),
                label: s.label.clone(),
                cases: by_state.remove(s.id.as_str()).unwrap_or_default(),
            })
            .collect())
    }

    /// 考核参考 (第十四条): per unit working leads, what its visible cases show — quality
    /// (how many reached signing), efficiency (days from filing to signing), results (the
    /// funds in place).
    pub async fn attraction_figures(&self, actor: &Actor) -> Result<Vec<UnitFigures>, AppError> {
        self.require_chains(actor)?;
        let cases = self.visible_investment(actor).await?;
        let mut by_unit: BTreeMap<String, UnitFigures> = BTreeMap::new();
        let mut days: HashMap<String, Vec<i64>> = HashMap::new();
        for c in &cases {
            let f = by_unit
                .entry(c.unit.clone())
                .or_insert_with(|| UnitFigures {
                    unit: c.unit.clone(),
                    ..UnitFigures::default()
                });
            f.leads += 1;
            match standing(&c.state) {
                Standing::Lead => f.open += 1,
                Standing::Project => f.signed += 1,
                Standing::Reserve => f.reserve += 1,
                Standing::Closed => f.dropped += 1,
            }
            if c.state == "funded" {
                f.funded += 1;
            }
            let amount = |k: &str| {
                c.data
                    .get(k)
                    .map(text)
                    .and_then(|s| s.parse::<WanYuan>().ok())
                    .map(WanYuan::hundredths)
                    .unwrap_or(0)
            };
            f.agreed_hundredths += amount("agreed_investment");
            f.in_place_hundredths += funds_in_place(&c.data)
                .map(WanYuan::hundredths)
                .unwrap_or(0);
            if let (Some(filed), Some(signed)) = (
                day_of(&c.created_at),
                c.data
                    .get("sign_date")
                    .map(text)
                    .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            ) {
                days.entry(c.unit.clone())
                    .or_default()
                    .push((signed - filed).num_days().max(0));
            }
        }
        Ok(by_unit
            .into_values()
            .map(|mut f| {
                f.agreed = WanYuan::from_hundredths(f.agreed_hundredths).decimal();
                f.in_place = WanYuan::from_hundredths(f.in_place_hundredths).decimal();
                if let Some(d) = days.get(&f.unit).filter(|d| !d.is_empty()) {
                    f.days_to_sign = Some(d.iter().sum::<i64>() / d.len() as i64);
                }
                f
            })
            .collect())
    }

    /// 重点企业: the register, by name.
    pub async fn enterprises(&self, actor: &Actor) -> Result<Vec<EnterpriseView>, AppError> {
        self.require_chains(actor)?;
        let rows = self.store.enterprises().await?;
        let mut out = Vec::with_capacity(rows.len());
        for e in rows {
            let steps = self.store.master_steps(e.id).await?;
            out.push(self.enterprise_view(e, steps));
        }
        Ok(out)
    }

    pub async fn enterprise(&self, actor: &Actor, id: i64) -> Result<EnterpriseView, AppError> {
        self.require_chains(actor)?;
        let e = self
            .store
            .enterprise(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("企业{id}"),
            })?;
        let steps = self.store.master_steps(id).await?;
        Ok(self.enterprise_view(e, steps))
    }

    /// Checks what was typed for an enterprise; every problem at once.
    fn enterprise_fields(
        &self,
        input: &EnterpriseInput,
    ) -> Result<(String, Vec<(String, String)>), AppError> {
        let mut errors = Vec::new();
        let code = match CreditCode::parse("credit_code", &input.credit_code) {
            Ok(c) => c.as_str().to_owned(),
            Err(e) => {
                errors.push(FieldError::new(
                    "credit_code",
                    format!("“统一社会信用代码”：{}", e.message),
                ));
                String::new()
            }
        };
        let name = input.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("name", "请填写“企业名称”"));
        } else if name.chars().count() > 200 {
            errors.push(FieldError::new("name", "“企业名称”不能超过200个字"));
        }
        if input.note.chars().count() > 1000 {
            errors.push(FieldError::new("note", "“备注”不能超过1000个字"));
        }
        let mut segments = Vec::new();
        for v in &input.segments {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let found = v.split_once('.').and_then(|(c, s)| {
                self.pack
                    .chain(c)
                    .and_then(|ch| ch.segment(s))
                    .map(|_| (c.to_owned(), s.to_owned()))
            });
            match found {
                Some(p) if !segments.contains(&p) => segments.push(p),
                Some(_) => {}
                None => errors.push(FieldError::new(
                    "segments",
                    format!(
                        "“所在产业链环节”“{v}”不是链长制产业链的环节（同党办发〔2023〕49号 三、）"
                    ),
                )),
            }
        }
        if segments.is_empty() && errors.iter().all(|e| e.field != "segments") {
            errors.push(FieldError::new(
                "segments",
                "请至少选择一个“所在产业链环节”（同党办发〔2023〕49号 四、（二）重点企业按产业链掌握）",
            ));
        }
        if errors.is_empty() {
            segments.sort();
            Ok((code, segments))
        } else {
            Err(AppError::Validation(errors))
        }
    }

    /// The actor may write this enterprise with these segments.
    fn may_register(&self, actor: &Actor, segments: &[(String, String)]) -> Result<(), AppError> {
        if self.unit_is(actor, REGISTRAR) {
            return Ok(());
        }
        let leads_all = segments.iter().all(|(c, _)| {
            self.pack
                .chain(c)
                .is_some_and(|ch| self.leads_chain(actor, ch))
        });
        if leads_all && !segments.is_empty() {
            return Ok(());
        }
        Err(AppError::Forbidden {
            action: "登记重点企业".into(),
            needed: format!(
                "所选各产业链的牵头单位或{REGISTRAR}（同党办发〔2023〕49号 四、（二））"
            ),
        })
    }

    /// Registers an enterprise: one credit code, one enterprise.
    pub async fn register_enterprise(
        &self,
        actor: &Actor,
        input: &EnterpriseInput,
    ) -> Result<i64, AppError> {
        self.require_chains(actor)?;
        let (code, segments) = self.enterprise_fields(input)?;
        self.may_register(actor, &segments)?;
        if let Some(e) = self.store.enterprise_by_code(&code).await? {
            return Err(AppError::field(
                "credit_code",
                format!(
                    "统一社会信用代码{code}已登记为“{}”，一个代码只登记一次，请在该企业页更正",
                    e.name
                ),
            ));
        }
        let write = EnterpriseWrite {
            credit_code: &code,
            name: input.name.trim(),
            key_tax_source: input.key_tax_source,
            note: input.note.trim(),
            segments: &segments,
            by: &actor.username,
        };
        let mut tx = self.store.begin().await?;
        let id = tx
            .insert_enterprise(&write, self.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::Conflict { .. } => AppError::field(
                    "credit_code",
                    format!("统一社会信用代码{code}刚被他人登记，一个代码只登记一次"),
                ),
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("enterprise:{id}"),
            json!({ "credit_code": code, "name": write.name, "segments": segments, "key_tax_source": write.key_tax_source }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects an enterprise at the version read (its credit code stays).
    pub async fn correct_enterprise(
        &self,
        actor: &Actor,
        id: i64,
        input: &EnterpriseInput,
    ) -> Result<(), AppError> {
        self.require_chains(actor)?;
        let before = self
            .store
            .enterprise(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("企业{id}"),
            })?;
        let typed = EnterpriseInput {
            credit_code: before.credit_code.clone(),
            ..input.clone()
        };
        let (_, segments) = self.enterprise_fields(&typed)?;
        self.may_register(actor, &segments)?;
        self.may_register(actor, &before.segments)?;
        let version = input.version.unwrap_or(before.version);
        let write = EnterpriseWrite {
            credit_code: &before.credit_code,
            name: input.name.trim(),
            key_tax_source: input.key_tax_source,
            note: input.note.trim(),
            segments: &segments,
            by: &actor.username,
        };
        let mut tx = self.store.begin().await?;
        tx.update_enterprise(id, version, &write, self.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => {
                    AppError::Conflict("该企业刚被他人更正，请刷新后再改".into())
                }
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("enterprise:{id}"),
            json!({
                "name": write.name, "segments": segments, "key_tax_source": write.key_tax_source,
                "before": { "name": before.name, "segments": before.segments, "key_tax_source": before.key_tax_source },
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 链主: records a candidate's nomination, the county's certification with its reward, or a
    /// regional certification with the county's further reward (四、（三）).
    pub async fn record_master_step(
        &self,
        actor: &Actor,
        id: i64,
        input: &MasterStepInput,
    ) -> Result<(), AppError> {
        self.require_chains(actor)?;
        let e = self
            .store
            .enterprise(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("企业{id}"),
            })?;
        let mut errors = Vec::new();
        let chain = match self.pack.chain(input.chain.trim()) {
            Some(c) => Some(c.clone()),
            None => {
                errors.push(FieldError::new(
                    "chain",
                    "请选择“链主所在产业链”（21条产业链之一）",
                ));
                None
            }
        };
        let current = ChainMasterLevel::parse(&e.master_level);
        let level = match ChainMasterLevel::parse(input.level.trim()) {
            Some(l) if l.may_follow(current) => Some(l),
            Some(l) => {
                errors.push(FieldError::new(
                    "level",
                    format!(
                        "“{}”不能接在“{}”之后：链主先列为候选，再经县级认定，自治区级认定另行记录（同党办发〔2023〕49号 四、（三））",
                        l.label(),
                        current.map(|c| c.label()).unwrap_or("未列入")
                    ),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "level",
                    "“认定环节”须为链主候选、县级链主或自治区级链主",
                ));
                None
            }
        };
        if let (Some(c), Some(_)) = (&chain, current)
            && !e.master_chain.is_empty()
            && e.master_chain != c.key
        {
            errors.push(FieldError::new(
                "chain",
                format!(
                    "该企业已是{}的链主（候选），认定须在同一产业链上",
                    c.title()
                ),
            ));
        }
        let decided_on = match NaiveDate::parse_from_str(input.decided_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > self.clock.today() => {
                errors.push(FieldError::new("decided_on", "“认定日期”不能晚于今天"));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(
                    "decided_on",
                    "“认定日期”须为日期，如2024-03-05",
                ));
                None
            }
        };
        let decision = input.decision.trim();
        if decision.is_empty() {
            errors.push(FieldError::new("decision", "请填写“认定文件或会议”"));
        }
        let reward = match (level, input.reward.trim()) {
            (Some(l), "") if l.carries_reward() => {
                errors.push(FieldError::new(
                    "reward",
                    format!(
                        "{}须记录县级奖励金额（万元，无奖励填0；同党办发〔2023〕49号 四、（三））",
                        l.label()
                    ),
                ));
                None
            }
            (_, "") => None,
            (_, typed) => match typed.parse::<WanYuan>() {
                Ok(w) if w.hundredths() >= 0 => Some(w.hundredths()),
                Ok(_) => {
                    errors.push(FieldError::new("reward", "“奖励金额”不能为负数"));
                    None
                }
                Err(err) => {
                    errors.push(FieldError::new(
                        "reward",
                        format!("“奖励金额（万元）”{err}"),
                    ));
                    None
                }
            },
        };
        let (Some(chain), Some(level), Some(decided_on), true) =
            (chain, level, decided_on, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        if !(self.leads_chain(actor, &chain) || self.unit_is(actor, REGISTRAR)) {
            return Err(AppError::Forbidden {
                action: "记录链主认定".into(),
                needed: format!("{}的牵头单位或{REGISTRAR}", chain.title()),
            });
        }
        let step = MasterStepRow {
            id: 0,
            enterprise_id: id,
            chain_key: chain.key.clone(),
            level: level.code().to_owned(),
            decided_on,
            decision: decision.to_owned(),
            reward,
            note: input.note.trim().to_owned(),
            recorded_by: actor.username.clone(),
            recorded_at: String::new(),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_master_step(&step, input.version, self.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => {
                    AppError::Conflict("该企业刚被他人更正或记录了认定，请刷新后再试".into())
                }
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("enterprise:{id}"),
            json!({
                "chain_master": level.code(), "chain": chain.key, "decided_on": decided_on.to_string(),
                "decision": decision, "reward_hundredths": reward,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an item to a chain's lists (its lead unit).
    pub async fn add_chain_item(
        &self,
        actor: &Actor,
        key: &str,
        input: &ChainItemInput,
    ) -> Result<i64, AppError> {
        self.require_chains(actor)?;
        let chain = self.chain_or_404(key)?.clone();
        let mut errors = Vec::new();
        let kind = ChainListKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                "“清单”须为重点平台、关键共性技术、制约瓶颈或供应链堵点断点",
            ));
        }
        let title = input.title.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "请填写“名称”"));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new("title", "“名称”不能超过200个字"));
        }
        for (f, label, v) in [
            ("detail", "说明", &input.detail),
            ("measure", "措施", &input.measure),
        ] {
            if v.chars().count() > 2000 {
                errors.push(FieldError::new(f, format!("“{label}”不能超过2000个字")));
            }
        }
        if kind.is_some_and(ChainListKind::needs_measure) && input.measure.trim().is_empty() {
            errors.push(FieldError::new(
                "measure",
                "供应链堵点、断点须写明打通的措施（“一链一策”，同党办发〔2023〕49号 四、（二））",
            ));
        }
        let segment = input.segment.trim();
        if !segment.is_empty() && chain.segment(segment).is_none() {
            errors.push(FieldError::new(
                "segment",
                format!("“环节”须为{}的环节", chain.title()),
            ));
        }
        let Some(kind) = kind.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        if !self.leads_chain(actor, &chain) {
            return Err(AppError::Forbidden {
                action: format!("维护{}的清单", chain.title()),
                needed: format!(
                    "牵头单位{}（同党办发〔2023〕49号 四、（二））",
                    self.unit_name(&chain.lead.0)
                ),
            });
        }
        let row = ChainItemRow {
            id: 0,
            chain_key: chain.key.clone(),
            kind: kind.code().to_owned(),
            title: title.to_owned(),
            detail: input.detail.trim().to_owned(),
            measure: input.measure.trim().to_owned(),
            segment_key: segment.to_owned(),
            status: "open".into(),
            created_by: actor.username.clone(),
            created_at: String::new(),
            updated_by: actor.username.clone(),
            updated_at: String::new(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_chain_item(&row, self.clock.now()).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("chain_item:{id}"),
            json!({ "chain": chain.key, "kind": row.kind, "title": row.title, "measure": row.measure }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a list item resolved (or open again), at the version read.
    pub async fn set_chain_item_open(
        &self,
        actor: &Actor,
        id: i64,
        open: bool,
        version: i64,
    ) -> Result<String, AppError> {
        self.require_chains(actor)?;
        let item = self
            .store
            .chain_item(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("清单事项{id}"),
            })?;
        let chain = self.chain_or_404(&item.chain_key)?.clone();
        if !self.leads_chain(actor, &chain) {
            return Err(AppError::Forbidden {
                action: format!("维护{}的清单", chain.title()),
                needed: format!("牵头单位{}", self.unit_name(&chain.lead.0)),
            });
        }
        let row = ChainItemRow {
            status: if open { "open" } else { "resolved" }.into(),
            updated_by: actor.username.clone(),
            version,
            ..item.clone()
        };
        let mut tx = self.store.begin().await?;
        tx.update_chain_item(&row, self.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => {
                    AppError::Conflict("该事项刚被他人更新，请刷新后再试".into())
                }
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("chain_item:{id}"),
            json!({ "status": row.status, "before": item.status }),
        )
        .await?;
        tx.commit().await?;
        Ok(chain.key)
    }

    /// 实际到位资金 of an investment case, from its accounted categories (第十条).
    pub fn funds_in_place_of(case: &CaseSummary) -> Option<WanYuan> {
        funds_in_place(&case.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_follows_the_procedure_states() {
        assert!(standing("lead") == Standing::Lead);
        assert!(standing("executive") == Standing::Lead);
        assert!(standing("landing") == Standing::Project);
        assert!(standing("funded") == Standing::Project);
        assert!(standing("reserve") == Standing::Reserve);
        assert!(standing("dropped") == Standing::Closed);
    }

    #[test]
    fn every_state_named_here_is_a_state_of_the_procedure() {
        let pack = tongxin_policy::tongxin::pack().expect("the pack loads");
        let proc = pack
            .procedure(INVESTMENT)
            .expect("the investment procedure");
        for s in PROJECT_STATES.iter().chain(&[RESERVE_STATE, DROPPED_STATE]) {
            assert!(proc.state(s).is_some(), "{s}");
        }
    }
}
