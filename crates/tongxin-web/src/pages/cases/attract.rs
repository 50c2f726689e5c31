//! The investment-attraction project's panel on its case page (同政办发〔2023〕72号): the chain
//! and segment it fills, the "五个一", the one-stop agency service item by item with its 容缺
//! papers and their deadline, and the funds actually in place against the agreement.

use tongxin_app::cases::CaseView;
use tongxin_domain::attract_checks::{FIVE_ONES_FIELDS, FUNDS_FIELDS, funds_in_place, funds_share};
use tongxin_domain::chains::Chain;
use tongxin_domain::invest::WanYuan;

use super::text_of;

/// The agency items of 第九条, in the procedure's order: (key, label).
pub const AGENCY_ITEMS: [(&str, &str); 8] = [
    ("filing", "项目备案（核准）"),
    ("registration", "企业登记、公司注册"),
    ("red_line", "项目用地规划红线勘定"),
    ("land_prereview", "用地预审及选址意见书"),
    ("land_permit", "建设用地规划许可证"),
    ("works_permit", "建设工程规划许可证"),
    ("construction_permit", "施工许可证"),
    ("eia", "项目环境影响评价审批"),
];

pub struct AgencyRow {
    pub label: String,
    pub status: String,
    pub colour: &'static str,
    pub detail: String,
}

pub struct AttractPanel {
    pub chain_key: String,
    pub chain_title: String,
    pub chief: String,
    pub segment: String,
    pub five_ones: Vec<(String, String)>,
    pub agency: Vec<AgencyRow>,
    /// (label, 万元) of each verified category.
    pub funds: Vec<(String, String)>,
    pub funds_total: String,
    pub agreed: String,
    pub share: String,
}

/// The panel for `case` (its data as the viewer may see it).
pub fn panel(case: &CaseView, chain: Option<&Chain>) -> AttractPanel {
    let data = &case.data;
    let segment_key = text_of(data, "segment");
    let segment = chain
        .and_then(|c| {
            segment_key
                .split_once('.')
                .and_then(|(_, s)| c.segment(s))
                .map(|s| s.name.clone())
        })
        .unwrap_or(segment_key);
    let agency = AGENCY_ITEMS
        .iter()
        .map(|(key, label)| {
            let number = text_of(data, &format!("{key}_number"));
            let date = text_of(data, &format!("{key}_date"));
            let clock = case
                .deadlines
                .iter()
                .rev()
                .find(|d| d.deadline == format!("deferred_{key}"));
            let deferred = text_of(data, &format!("{key}_deferred"));
            let (status, colour, detail) = match clock {
                _ if !number.is_empty() => {
                    ("已办结".to_owned(), "green", format!("{number}（{date}）"))
                }
                Some(d) if d.status == "running" => (
                    format!(
                        "容缺受理，{}前补全",
                        d.due_on.map(|x| x.to_string()).unwrap_or_default()
                    ),
                    d.colour,
                    format!("后补：{deferred}"),
                ),
                _ => ("未办结".to_owned(), "grey", String::new()),
            };
            AgencyRow {
                label: (*label).to_owned(),
                status,
                colour,
                detail,
            }
        })
        .collect();
    let amount = |k: &str| text_of(data, k).parse::<WanYuan>().ok();
    let total = funds_in_place(data);
    let agreed = amount("agreed_investment");
    AttractPanel {
        chain_key: chain.map(|c| c.key.clone()).unwrap_or_default(),
        chain_title: chain.map(Chain::title).unwrap_or_default(),
        chief: chain.map(|c| c.chief.clone()).unwrap_or_default(),
        segment,
        five_ones: FIVE_ONES_FIELDS
            .iter()
            .map(|(k, l)| ((*l).to_owned(), text_of(data, k)))
            .collect(),
        agency,
        funds: FUNDS_FIELDS
            .iter()
            .filter_map(|(k, l)| amount(k).map(|a| ((*l).to_owned(), a.decimal())))
            .collect(),
        funds_total: total.map(|t| t.decimal()).unwrap_or_default(),
        agreed: agreed.map(|a| a.decimal()).unwrap_or_default(),
        share: match (total, agreed) {
            (Some(t), Some(a)) => funds_share(t, a)
                .map(|p| format!("{p}%"))
                .unwrap_or_default(),
            _ => String::new(),
        },
    }
}
