//! 临时用地选址 (同政办规发〔2023〕7号 第五条、第六条): what a site's boundary overlaps among the
//! protected layers the natural-resources department imported, and the rules read on it.
//!
//! The app intersects the boundary with each layer ([`LandFacts`]); the checks here only read
//! those figures and the dated caps, so they stay pure and testable with numbers worked out by
//! hand.
//!
//! - `temporary_land.siting` (第六条): a beam yard or mixing plant may not take farmland or
//!   permanent basic farmland; a borrow pit may not take permanent basic farmland, and one for
//!   an infrastructure project must lie inside a planned borrow area. A layer not imported yet
//!   is said in the note (未核对), not held against the applicant.
//! - `temporary_land.layers_imported` (第六条): the department's site opinion needs every layer,
//!   so that the rules above were really checked.
//! - `temporary_land.hazard_acknowledged` (第六条: 要避让地质、洪涝灾害易发区): an overlap with a
//!   hazard zone is a warning the official must acknowledge.
//! - `temporary_land.reclamation_plan_form` (第九条（二）): a 报告书 when the site involves
//!   farmland or permanent basic farmland, a 报告表 when it does not.
//! - `temporary_land.county_may_approve` (第五条): the county approves only land other than
//!   farmland and permanent basic farmland; any overlap goes to the higher level.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use tongxin_geo::{LayerKind, Overlap};

use crate::checks::{
    AppliedRule, CheckContext, CheckFailure, CheckOutcome, CheckPass, missing, number,
};
use crate::citation::Citation;
use crate::policy::{RuleAnswer, RuleError};

pub const SITING: &str = "temporary_land.siting";
pub const LAYERS_IMPORTED: &str = "temporary_land.layers_imported";
pub const HAZARD_ACKNOWLEDGED: &str = "temporary_land.hazard_acknowledged";
pub const COUNTY_MAY_APPROVE: &str = "temporary_land.county_may_approve";
pub const PLAN_FORM: &str = "temporary_land.reclamation_plan_form";

pub const COUNTY_FARMLAND_RULE: &str = "temporary_land.county_approval.farmland_m2";
pub const BEAM_YARD_RULE: &str = "temporary_land.siting.beam_yard_farmland_m2";
pub const HAZARD_RULE: &str = "temporary_land.siting.hazard_zone_m2";
pub const BORROW_BASIC_RULE: &str = "temporary_land.siting.borrow_pit_basic_farmland_m2";
pub const BORROW_PLANNED_RULE: &str = "temporary_land.siting.borrow_pit_outside_planned_m2";

/// Every rule the siting checks read (the case page cites their clauses beside the map).
pub const RULES: [&str; 5] = [
    COUNTY_FARMLAND_RULE,
    BEAM_YARD_RULE,
    HAZARD_RULE,
    BORROW_BASIC_RULE,
    BORROW_PLANNED_RULE,
];

/// The form field holding the site's boundary.
pub const BOUNDARY_FIELD: &str = "boundary";

/// 图层来源: the imported layer a finding was computed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerSource {
    pub layer_id: i64,
    /// 数据来源 (`国土三调 2023年度变更`).
    pub source: String,
    /// 数据日期.
    pub dated: NaiveDate,
}

/// 叠加分析: the site against one layer kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerFinding {
    pub kind: LayerKind,
    /// `None`: no layer of this kind has been imported.
    pub source: Option<LayerSource>,
    /// The features overlapped by more than a sliver, with the overlap in m².
    pub overlaps: Vec<Overlap>,
    /// The site's area outside every feature of the layer, m².
    pub uncovered_m2: f64,
}

impl LayerFinding {
    /// The overlap with the layer, m².
    pub fn overlap_m2(&self) -> f64 {
        self.overlaps.iter().map(|o| o.area_m2).sum()
    }

    fn names(&self) -> String {
        let names: Vec<&str> = self
            .overlaps
            .iter()
            .take(5)
            .map(|o| o.feature.as_str())
            .collect();
        let more = if self.overlaps.len() > 5 {
            format!("等{}块", self.overlaps.len())
        } else {
            String::new()
        };
        format!("{}{more}", names.join("、"))
    }
}

/// 用地范围叠加结果: the boundary's area and what it overlaps, one finding per layer kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandFacts {
    pub site_area_m2: f64,
    pub layers: Vec<LayerFinding>,
    /// The site's area outside both farmland layers (其他土地), when both are imported.
    pub outside_farmland_m2: Option<f64>,
}

impl LandFacts {
    pub fn finding(&self, kind: LayerKind) -> Option<&LayerFinding> {
        self.layers.iter().find(|f| f.kind == kind)
    }

    fn imported(&self, kind: LayerKind) -> Option<&LayerFinding> {
        self.finding(kind).filter(|f| f.source.is_some())
    }

    /// Layer kinds not imported yet.
    pub fn missing_layers(&self) -> Vec<LayerKind> {
        LayerKind::TEMPORARY_LAND
            .into_iter()
            .filter(|k| self.imported(*k).is_none())
            .collect()
    }
}

/// `1234.5` → `1234.50平方米（1.85亩）`.
pub fn area_text(m2: f64) -> String {
    format!("{m2:.2}平方米（{:.2}亩）", tongxin_geo::mu(m2))
}

fn overlap_text(f: &LayerFinding) -> String {
    format!(
        "{}{}（{}）",
        f.kind.label(),
        area_text(f.overlap_m2()),
        f.names()
    )
}

/// A failure on `field`, its message ending with the rule's clause.
pub(crate) fn fail(
    check: &'static str,
    field: &str,
    message: String,
    a: &RuleAnswer<'_>,
) -> CheckFailure {
    CheckFailure {
        check,
        field: field.to_owned(),
        message: format!("{message}——{}", a.citation),
        citation: a.citation.clone(),
    }
}

fn land<'a>(
    cx: &'a CheckContext<'_>,
    check: &'static str,
    c: &Citation,
) -> Result<&'a LandFacts, CheckOutcome> {
    cx.facts
        .land
        .as_ref()
        .ok_or_else(|| missing(check, BOUNDARY_FIELD, "用地范围", c))
}

/// The farmland and basic-farmland findings over `cap` m², with whether each layer is known.
fn farmland_over(facts: &LandFacts, cap: f64) -> (Vec<&LayerFinding>, Vec<LayerKind>) {
    let mut over = Vec::new();
    let mut unknown = Vec::new();
    for kind in [LayerKind::BasicFarmland, LayerKind::Farmland] {
        match facts.imported(kind) {
            Some(f) if f.overlap_m2() > cap => over.push(f),
            Some(_) => {}
            None => unknown.push(kind),
        }
    }
    (over, unknown)
}

fn unchecked(kinds: &[LayerKind]) -> String {
    if kinds.is_empty() {
        String::new()
    } else {
        let labels: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
        format!("；未导入{}图层，未核对", labels.join("、"))
    }
}

/// `temporary_land.siting` (第六条).
pub(crate) fn run_siting(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let use_kind = cx.data.get("use_kind").and_then(Value::as_str);
    let infrastructure = cx
        .data
        .get("infrastructure")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let beam = cx.corpus.rule(BEAM_YARD_RULE, cx.day)?;
    let facts = match land(cx, SITING, beam.citation) {
        Ok(f) => f,
        Err(o) => return Ok(o),
    };
    let mut failures = Vec::new();
    let mut applied = Vec::new();
    let mut notes = vec![format!("用地面积{}", area_text(facts.site_area_m2))];
    let mut unknown = Vec::new();
    match use_kind {
        Some("beam_yard") => {
            let cap = number(&beam)?;
            applied.push(AppliedRule::from_answer(&beam));
            let (over, missing) = farmland_over(facts, cap);
            unknown.extend(missing);
            if !over.is_empty() {
                let found: Vec<String> = over.iter().map(|f| overlap_text(f)).collect();
                failures.push(fail(
                    SITING,
                    BOUNDARY_FIELD,
                    format!(
                        "用地范围占用{}：制梁场、拌合站不得以临时用地方式占用耕地和永久基本农田，可以建设用地方式或者临时占用未利用地方式使用土地",
                        found.join("、")
                    ),
                    &beam,
                ));
            } else {
                notes.push("制梁场、拌合站未占用耕地和永久基本农田".into());
            }
        }
        Some("borrow_pit") => {
            let basic = cx.corpus.rule(BORROW_BASIC_RULE, cx.day)?;
            let cap = number(&basic)?;
            applied.push(AppliedRule::from_answer(&basic));
            match facts.imported(LayerKind::BasicFarmland) {
                Some(f) if f.overlap_m2() > cap => failures.push(fail(
                    SITING,
                    BOUNDARY_FIELD,
                    format!(
                        "取土场用地不得占用永久基本农田，用地范围占用{}",
                        overlap_text(f)
                    ),
                    &basic,
                )),
                Some(_) => notes.push("取土场未占用永久基本农田".into()),
                None => unknown.push(LayerKind::BasicFarmland),
            }
            if infrastructure {
                let planned = cx.corpus.rule(BORROW_PLANNED_RULE, cx.day)?;
                let cap = number(&planned)?;
                applied.push(AppliedRule::from_answer(&planned));
                match facts.imported(LayerKind::PlannedBorrowArea) {
                    Some(f) if f.uncovered_m2 > cap => failures.push(fail(
                        SITING,
                        BOUNDARY_FIELD,
                        format!(
                            "基础设施项目的临时性取土场须在规划取土区内选址，用地范围有{}在规划取土区以外",
                            area_text(f.uncovered_m2)
                        ),
                        &planned,
                    )),
                    Some(_) => notes.push("取土场位于规划取土区内".into()),
                    None => unknown.push(LayerKind::PlannedBorrowArea),
                }
            }
        }
        _ => {
            // Other uses: 第六条 asks to spare farmland (尽量不占或者少占), which is no bar;
            // the overlap is said so that the official sees it.
            for kind in [LayerKind::BasicFarmland, LayerKind::Farmland] {
                match facts.imported(kind) {
                    Some(f) if f.overlap_m2() > 0.0 => {
                        notes.push(format!("占用{}", overlap_text(f)));
                    }
                    Some(_) => notes.push(format!("未占用{}", kind.label())),
                    None => unknown.push(kind),
                }
            }
        }
    }
    if !failures.is_empty() {
        return Ok(CheckOutcome::Fail(failures));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: SITING,
        citation: beam.citation.clone(),
        applied,
        note: format!("{}{}", notes.join("；"), unchecked(&unknown)),
    }))
}

/// `temporary_land.layers_imported` (第六条): every protected layer is there to check against.
pub(crate) fn run_layers_imported(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(HAZARD_RULE, cx.day)?;
    let facts = match land(cx, LAYERS_IMPORTED, a.citation) {
        Ok(f) => f,
        Err(o) => return Ok(o),
    };
    let missing = facts.missing_layers();
    if missing.is_empty() {
        let sources: Vec<String> = facts
            .layers
            .iter()
            .filter_map(|f| {
                let s = f.source.as_ref()?;
                Some(format!(
                    "{}：{}（{}，图层{}）",
                    f.kind.label(),
                    s.source,
                    s.dated,
                    s.layer_id
                ))
            })
            .collect();
        return Ok(CheckOutcome::Pass(CheckPass {
            check: LAYERS_IMPORTED,
            citation: a.citation.clone(),
            applied: vec![],
            note: format!("已叠加分析：{}", sources.join("；")),
        }));
    }
    let labels: Vec<&str> = missing.iter().map(|k| k.label()).collect();
    Ok(CheckOutcome::Fail(vec![fail(
        LAYERS_IMPORTED,
        BOUNDARY_FIELD,
        format!(
            "尚未导入{}图层，无法核对选址要求；请先在“保护图层”中导入",
            labels.join("、")
        ),
        &a,
    )]))
}

/// `temporary_land.hazard_acknowledged` (第六条): a hazard-zone overlap must be acknowledged.
pub(crate) fn run_hazard_acknowledged(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(HAZARD_RULE, cx.day)?;
    let threshold = number(&a)?;
    let facts = match land(cx, HAZARD_ACKNOWLEDGED, a.citation) {
        Ok(f) => f,
        Err(o) => return Ok(o),
    };
    let hits: Vec<&LayerFinding> = [LayerKind::GeologicalHazard, LayerKind::FloodHazard]
        .into_iter()
        .filter_map(|k| facts.imported(k))
        .filter(|f| f.overlap_m2() > threshold)
        .collect();
    let acknowledged = cx
        .data
        .get("hazard_acknowledged")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let applied = vec![AppliedRule::from_answer(&a)];
    if hits.is_empty() {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: HAZARD_ACKNOWLEDGED,
            citation: a.citation.clone(),
            applied,
            note: "未位于地质、洪涝灾害易发区".into(),
        }));
    }
    let found: Vec<String> = hits.iter().map(|f| overlap_text(f)).collect();
    if acknowledged {
        Ok(CheckOutcome::Pass(CheckPass {
            check: HAZARD_ACKNOWLEDGED,
            citation: a.citation.clone(),
            applied,
            note: format!("位于{}，经办人已确认知悉", found.join("、")),
        }))
    } else {
        Ok(CheckOutcome::Fail(vec![fail(
            HAZARD_ACKNOWLEDGED,
            "hazard_acknowledged",
            format!(
                "用地范围位于{}，选址要避让地质、洪涝灾害易发区；确需在此选址的，请勾选“已知悉灾害易发区风险”并在选址意见中说明",
                found.join("、")
            ),
            &a,
        )]))
    }
}

/// `temporary_land.county_may_approve` (第五条): no farmland or basic farmland in the site.
pub(crate) fn run_county_may_approve(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(COUNTY_FARMLAND_RULE, cx.day)?;
    let cap = number(&a)?;
    let facts = match land(cx, COUNTY_MAY_APPROVE, a.citation) {
        Ok(f) => f,
        Err(o) => return Ok(o),
    };
    let (over, unknown) = farmland_over(facts, cap);
    let applied = vec![AppliedRule::from_answer(&a)];
    if !over.is_empty() {
        let found: Vec<String> = over.iter().map(|f| overlap_text(f)).collect();
        return Ok(CheckOutcome::Fail(vec![fail(
            COUNTY_MAY_APPROVE,
            BOUNDARY_FIELD,
            format!(
                "用地范围涉及{}，县自然资源主管部门只负责耕地和永久基本农田以外的临时用地审批，请“报上级审批”",
                found.join("、")
            ),
            &a,
        )]));
    }
    if !unknown.is_empty() {
        let labels: Vec<&str> = unknown.iter().map(|k| k.label()).collect();
        return Ok(CheckOutcome::Fail(vec![fail(
            COUNTY_MAY_APPROVE,
            BOUNDARY_FIELD,
            format!(
                "尚未导入{}图层，无法确认用地不涉及耕地和永久基本农田",
                labels.join("、")
            ),
            &a,
        )]));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: COUNTY_MAY_APPROVE,
        citation: a.citation.clone(),
        applied,
        note: format!(
            "用地面积{}，不涉及耕地和永久基本农田，由县自然资源主管部门审批",
            area_text(facts.site_area_m2)
        ),
    }))
}

/// `temporary_land.reclamation_plan_form` (第九条（二）): 报告书 with farmland, else 报告表.
pub(crate) fn run_plan_form(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let c = cx.action_citation;
    let facts = match land(cx, PLAN_FORM, c) {
        Ok(f) => f,
        Err(o) => return Ok(o),
    };
    let Some(kind) = cx.data.get("reclamation_plan_kind").and_then(Value::as_str) else {
        return Ok(missing(
            PLAN_FORM,
            "reclamation_plan_kind",
            "土地复垦方案形式",
            c,
        ));
    };
    let (over, unknown) = farmland_over(facts, 0.0);
    let pass = |note: String| {
        Ok(CheckOutcome::Pass(CheckPass {
            check: PLAN_FORM,
            citation: c.clone(),
            applied: vec![],
            note,
        }))
    };
    let refuse = |message: String| {
        Ok(CheckOutcome::Fail(vec![CheckFailure {
            check: PLAN_FORM,
            field: "reclamation_plan_kind".into(),
            message: format!("{message}——{c}"),
            citation: c.clone(),
        }]))
    };
    if !over.is_empty() {
        let found: Vec<String> = over.iter().map(|f| overlap_text(f)).collect();
        return if kind == "report_book" {
            pass(format!("涉及{}，编制报告书", found.join("、")))
        } else {
            refuse(format!(
                "用地范围涉及{}，须编制土地复垦方案报告书",
                found.join("、")
            ))
        };
    }
    if !unknown.is_empty() {
        return pass(format!("未占用已导入图层中的耕地{}", unchecked(&unknown)));
    }
    if kind == "report_form" {
        pass("不涉及耕地及永久基本农田，编制报告表".into())
    } else {
        refuse("用地范围不涉及耕地及永久基本农田，编制土地复垦方案报告表即可".into())
    }
}
