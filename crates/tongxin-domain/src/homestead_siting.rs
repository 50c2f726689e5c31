//! 宅基地选址 (同政办规发〔2023〕6号 第六条、第十一条): where a homestead's coordinates lie
//! against the village plan's homestead layout areas (宅基地布局区) and the hazard zones the
//! natural-resources department imported as map layers.
//!
//! The app measures the point against each layer ([`SiteFacts`]); the checks here read those
//! distances and the dated tolerances, so they stay pure and testable with figures worked out
//! by hand.
//!
//! - `homestead.site_in_layout` (第十一条: 拟用地是否符合宅基地布局要求; 第六条: 先规划后建设、
//!   不规划不建设): the point lies in a layout area, or within the tolerance of one.
//! - `homestead.site_avoids_hazards` (第六条: 避开自然灾害易发地带和地质条件不稳定区域;
//!   第十一条: 地质条件是否符合建房要求): the point is not in (or within the clearance of) a
//!   geological or flood hazard zone, unless the joint review recorded that the geology was
//!   assessed as fit to build on.
//!
//! A layer not imported yet is said in the note (未核对), not held against the villager: many
//! villages' plans are still on paper, and the township reviews them by hand as before.

use serde::Serialize;
use serde_json::{Map, Value};
use tongxin_geo::{LayerKind, Nearest};

use crate::checks::{AppliedRule, CheckContext, CheckOutcome, CheckPass, number};
use crate::policy::{RuleAnswer, RuleError};
use crate::siting::{LayerSource, fail};

pub const SITE_IN_LAYOUT: &str = "homestead.site_in_layout";
pub const SITE_AVOIDS_HAZARDS: &str = "homestead.site_avoids_hazards";

/// 允许偏差: how far outside a layout area the point may lie (metres; 0 = inside).
pub const LAYOUT_TOLERANCE_RULE: &str = "homestead.siting.layout_tolerance_m";
/// 避让距离: how close to a hazard zone the point may come (metres; 0 = not inside).
pub const HAZARD_CLEARANCE_RULE: &str = "homestead.siting.hazard_clearance_m";

/// The point fields, most authoritative first: the township's coordinate site plan (第十一条
/// 宅基地坐标平面位置图), else the coordinates the application gave.
pub const POINT_FIELDS: [&str; 2] = ["site_plan_coordinates", "coordinates"];

/// The field recording that the joint review assessed the geology (第十一条).
pub const GEOLOGY_FIELD: &str = "geology_assessed";

/// How far around the point the app looks for features (metres): a tolerance or clearance
/// above this is read as this.
pub const SEARCH_RADIUS_M: f64 = 2_000.0;

/// The point of a homestead's site: the field it came from and its longitude and latitude.
pub fn site_point(data: &Map<String, Value>) -> Option<(&'static str, f64, f64)> {
    POINT_FIELDS.into_iter().find_map(|field| {
        let m = data.get(field)?.as_object()?;
        let lon = m.get("lon")?.as_f64()?;
        let lat = m.get("lat")?.as_f64()?;
        Some((field, lon, lat))
    })
}

/// 坐标与图层: the point against one layer kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointFinding {
    pub kind: LayerKind,
    /// `None`: no layer of this kind has been imported.
    pub source: Option<LayerSource>,
    /// The nearest feature within [`SEARCH_RADIUS_M`], 0 m when the point is inside it.
    pub nearest: Option<Nearest>,
}

/// 宅基地选址核对: the point and what lies around it, one finding per kind in
/// [`LayerKind::HOMESTEAD`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteFacts {
    /// The form field the point was read from.
    pub field: &'static str,
    pub lon: f64,
    pub lat: f64,
    pub layers: Vec<PointFinding>,
}

impl SiteFacts {
    fn imported(&self, kind: LayerKind) -> Option<&PointFinding> {
        self.layers
            .iter()
            .find(|f| f.kind == kind)
            .filter(|f| f.source.is_some())
    }

    fn at(&self) -> String {
        format!("（{:.6}，{:.6}）", self.lon, self.lat)
    }
}

fn metres(d: f64) -> String {
    format!("{d:.1}米")
}

/// A tolerance read from the rules, capped at the search radius.
fn metres_rule(a: &RuleAnswer<'_>) -> Result<f64, RuleError> {
    Ok(number(a)?.clamp(0.0, SEARCH_RADIUS_M))
}

/// The outcome when there is no point to check: the check passes, saying so.
fn no_point(check: &'static str, a: &RuleAnswer<'_>, what: &str) -> CheckOutcome {
    CheckOutcome::Pass(CheckPass {
        check,
        citation: a.citation.clone(),
        applied: vec![AppliedRule::from_answer(a)],
        note: format!("未填写拟用地坐标，{what}未核对（由审查人员实地核对）"),
    })
}

/// `homestead.site_in_layout` (第十一条、第六条).
pub(crate) fn run_site_in_layout(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(LAYOUT_TOLERANCE_RULE, cx.day)?;
    let tolerance = metres_rule(&a)?;
    let Some(facts) = cx.facts.homestead_site.as_ref() else {
        return Ok(no_point(SITE_IN_LAYOUT, &a, "宅基地布局"));
    };
    let applied = vec![AppliedRule::from_answer(&a)];
    let pass = |note: String| {
        Ok(CheckOutcome::Pass(CheckPass {
            check: SITE_IN_LAYOUT,
            citation: a.citation.clone(),
            applied: applied.clone(),
            note,
        }))
    };
    let Some(layout) = facts.imported(LayerKind::HomesteadLayout) else {
        return pass(format!(
            "坐标{}；未导入宅基地布局区图层，未核对（由审查人员对照村庄规划核对）",
            facts.at()
        ));
    };
    match &layout.nearest {
        Some(n) if n.distance_m <= 0.0 => pass(format!(
            "坐标{}位于宅基地布局区“{}”内",
            facts.at(),
            n.feature
        )),
        Some(n) if n.distance_m <= tolerance => pass(format!(
            "坐标{}距宅基地布局区“{}”{}，在允许偏差{}以内",
            facts.at(),
            n.feature,
            metres(n.distance_m),
            metres(tolerance)
        )),
        nearest => {
            let near = match nearest {
                Some(n) => format!("，最近的布局区“{}”相距{}", n.feature, metres(n.distance_m)),
                None => format!("，{}以内没有布局区", metres(SEARCH_RADIUS_M)),
            };
            Ok(CheckOutcome::Fail(vec![fail(
                SITE_IN_LAYOUT,
                facts.field,
                format!(
                    "拟用地坐标{}不在村庄规划确定的宅基地布局区内{near}，不符合宅基地布局要求；请核对坐标，或按村庄规划另行选址",
                    facts.at()
                ),
                &a,
            )]))
        }
    }
}

/// `homestead.site_avoids_hazards` (第六条、第十一条).
pub(crate) fn run_site_avoids_hazards(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(HAZARD_CLEARANCE_RULE, cx.day)?;
    let clearance = metres_rule(&a)?;
    let Some(facts) = cx.facts.homestead_site.as_ref() else {
        return Ok(no_point(SITE_AVOIDS_HAZARDS, &a, "灾害易发区"));
    };
    let mut hits = Vec::new();
    let mut unknown = Vec::new();
    for kind in [LayerKind::GeologicalHazard, LayerKind::FloodHazard] {
        match facts.imported(kind) {
            Some(f) => {
                if let Some(n) = f.nearest.as_ref().filter(|n| n.distance_m <= clearance) {
                    hits.push(if n.distance_m <= 0.0 {
                        format!("{}“{}”内", kind.label(), n.feature)
                    } else {
                        format!("{}“{}”{}处", kind.label(), n.feature, metres(n.distance_m))
                    });
                }
            }
            None => unknown.push(kind.label()),
        }
    }
    let unchecked = if unknown.is_empty() {
        String::new()
    } else {
        format!("；未导入{}图层，未核对", unknown.join("、"))
    };
    let assessed = cx
        .data
        .get(GEOLOGY_FIELD)
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let note = if hits.is_empty() {
        format!("坐标{}未位于地质、洪涝灾害易发区{unchecked}", facts.at())
    } else if assessed {
        format!(
            "坐标{}位于{}，联审已确认地质条件符合建房要求{unchecked}",
            facts.at(),
            hits.join("、")
        )
    } else {
        return Ok(CheckOutcome::Fail(vec![fail(
            SITE_AVOIDS_HAZARDS,
            GEOLOGY_FIELD,
            format!(
                "拟用地坐标{}位于{}；规划宅基地要避开自然灾害易发地带和地质条件不稳定区域，请另行选址；经评估地质条件确实符合建房要求的，勾选“地质条件经评估符合建房要求”并在审查意见中写明依据",
                facts.at(),
                hits.join("、")
            ),
            &a,
        )]));
    };
    Ok(CheckOutcome::Pass(CheckPass {
        check: SITE_AVOIDS_HAZARDS,
        citation: a.citation.clone(),
        applied: vec![AppliedRule::from_answer(&a)],
        note,
    }))
}
