//! 招商引资 checks (同政办发〔2023〕72号): a lead's segment is a link of its chain (第二条), the
//! "五个一" are in place before the project is counted as landed (第九条), and the funds actually
//! in place are the sum of what the investment-promotion centre verified (第十条).

use serde_json::{Map, Value};

use crate::checks::{CheckContext, CheckFailure, CheckOutcome, CheckPass};
use crate::citation::{Citation, DocNumber};
use crate::invest::WanYuan;
use crate::policy::RuleError;

pub const SEGMENT_ON_CHAIN: &str = "investment.segment_on_chain";
pub const FIVE_ONES: &str = "investment.five_ones";
pub const FUNDS_IN_PLACE: &str = "investment.funds_in_place";

/// 招商引资项目管理制度.
pub const DOCUMENT: &str = "同政办发〔2023〕72号";

/// The "五个一" fields besides the project itself (一个包抓领导, 一个工作专班, 一套推进方案,
/// 一张作战图).
pub const FIVE_ONES_FIELDS: [(&str, &str); 4] = [
    ("package_leader", "包抓领导"),
    ("task_force", "工作专班"),
    ("promotion_plan", "推进方案"),
    ("battle_map", "作战图"),
];

/// The categories of funds the centre verifies (第十条's materials), field and label.
pub const FUNDS_FIELDS: [(&str, &str); 4] = [
    ("funds_fixed_assets", "固定资产投资"),
    ("funds_equipment", "设备购置"),
    ("funds_intangible", "无形资产"),
    ("funds_other", "其他资金投入"),
];

fn clause(cx: &CheckContext<'_>, id: &str) -> Result<Citation, RuleError> {
    let doc: DocNumber = DOCUMENT.parse().map_err(|_| RuleError::UnknownRule {
        key: DOCUMENT.to_owned(),
    })?;
    let c = Citation::new(doc, id);
    cx.corpus
        .resolve(&c)
        .map(|_| c.clone())
        .ok_or_else(|| RuleError::UnknownRule {
            key: format!("{c}（条款不在政策库中）"),
        })
}

fn text<'a>(data: &'a Map<String, Value>, key: &str) -> &'a str {
    data.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default()
}

fn fail(check: &'static str, field: &str, message: String, citation: &Citation) -> CheckOutcome {
    CheckOutcome::Fail(vec![CheckFailure {
        check,
        field: field.to_owned(),
        message: format!("{message}——{citation}"),
        citation: citation.clone(),
    }])
}

/// The segment option value (`pv.ingot`) belongs to the chain (`pv`).
pub fn segment_belongs(chain: &str, segment: &str) -> bool {
    segment
        .split_once('.')
        .is_some_and(|(c, s)| c == chain && !s.is_empty())
}

pub(crate) fn run_segment_on_chain(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let second = clause(cx, "第二条")?;
    let chain = text(cx.data, "chain");
    let segment = text(cx.data, "segment");
    if !segment_belongs(chain, segment) {
        return Ok(fail(
            SEGMENT_ON_CHAIN,
            "segment",
            "“产业链环节”须为所选产业链的环节（招商引资项目围绕重点产业链及其垂直配套）".into(),
            &second,
        ));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: SEGMENT_ON_CHAIN,
        citation: second,
        applied: Vec::new(),
        note: "项目所属环节在所选产业链上".into(),
    }))
}

pub(crate) fn run_five_ones(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let ninth = clause(cx, "第九条")?;
    let missing: Vec<&str> = FIVE_ONES_FIELDS
        .iter()
        .filter(|(k, _)| text(cx.data, k).is_empty())
        .map(|(_, l)| *l)
        .collect();
    if !missing.is_empty() {
        return Ok(fail(
            FIVE_ONES,
            "start_date",
            format!(
                "重点项目须落实“五个一”，尚未落实：{}（请先办理“落实五个一”）",
                missing.join("、")
            ),
            &ninth,
        ));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: FIVE_ONES,
        citation: ninth,
        applied: Vec::new(),
        note: "“五个一”已落实".into(),
    }))
}

/// 实际到位资金: the sum of the verified categories (None when none is recorded).
pub fn funds_in_place(data: &Map<String, Value>) -> Option<WanYuan> {
    let mut total: Option<i64> = None;
    for (k, _) in FUNDS_FIELDS {
        if let Some(v) = data
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<WanYuan>().ok())
        {
            total = Some(total.unwrap_or(0) + v.hundredths());
        }
    }
    total.map(WanYuan::from_hundredths)
}

/// The funds in place as a share of the agreed investment, in whole percent (rounded down).
pub fn funds_share(in_place: WanYuan, agreed: WanYuan) -> Option<i64> {
    (agreed.hundredths() > 0).then(|| in_place.hundredths() * 100 / agreed.hundredths())
}

pub(crate) fn run_funds_in_place(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let tenth = clause(cx, "第十条")?;
    let Some(total) = funds_in_place(cx.data) else {
        return Ok(fail(
            FUNDS_IN_PLACE,
            "funds_fixed_assets",
            "请填写核算的各类到位资金（无则填0）".into(),
            &tenth,
        ));
    };
    let agreed = cx
        .data
        .get("agreed_investment")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<WanYuan>().ok());
    let note = match agreed.and_then(|a| funds_share(total, a).map(|p| (a, p))) {
        Some((a, p)) => format!(
            "实际到位资金{}万元，为协议投资额{}万元的{p}%",
            total.decimal(),
            a.decimal()
        ),
        None => format!("实际到位资金{}万元", total.decimal()),
    };
    Ok(CheckOutcome::Pass(CheckPass {
        check: FUNDS_IN_PLACE,
        citation: tenth,
        applied: Vec::new(),
        note,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_segment_belongs_to_its_own_chain_only() {
        assert!(segment_belongs("pv", "pv.ingot"));
        assert!(!segment_belongs("pv", "chem.coke"));
        assert!(!segment_belongs("pv", "pv."));
        assert!(!segment_belongs("pv", "pv"));
        assert!(!segment_belongs("", ""));
        assert!(!segment_belongs("p", "pv.ingot"));
    }

    #[test]
    fn funds_in_place_add_up_exactly() {
        let data = json!({
            "funds_fixed_assets": "1200.5",
            "funds_equipment": "300.25",
            "funds_intangible": "0",
            "agreed_investment": "5000",
        });
        let Value::Object(m) = data else {
            unreachable!()
        };
        let total = funds_in_place(&m).expect("a total");
        assert_eq!(total.decimal(), "1500.75");
        assert_eq!(
            funds_share(total, WanYuan::from_hundredths(500_000)),
            Some(30)
        );
        assert_eq!(funds_share(total, WanYuan::from_hundredths(0)), None);
        assert_eq!(funds_in_place(&Map::new()), None);
    }
}
