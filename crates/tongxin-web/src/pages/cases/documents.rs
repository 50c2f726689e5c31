//! Printable documents (A4), filled from the case's record: the homestead's 《农村宅基地批准书》,
//! 《乡村建设规划许可证》 (第十二条) and 《农村宅基地和村民自建住房验收意见表》 (第二十四条); temporary
//! land's 《临时用地批准文件》 and refusal (第九条（四）), acceptance certificates (第十七条) and
//! 《移交确认书》 (第十八条).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use tongxin_app::Actor;
use tongxin_domain::UnitKind;

use super::{Desk, Issuer, date_cn, form, text_of};
use crate::AppState;
use crate::cite::Cite;
use crate::error::PageError;
use crate::pages::{Layout, path_id, render};

pub struct CertRow {
    pub label: String,
    /// One line each (家庭成员: one person a line).
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "case_document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub desk: &'static Desk,
    pub case_id: i64,
    pub case_number: String,
    pub title: String,
    pub number: String,
    pub issued_on: String,
    pub issuer: String,
    pub rows: Vec<CertRow>,
    pub cite: Cite,
    /// Which records the page is filled from (the small print).
    pub sources: String,
    pub masked: bool,
}

/// The fields each certificate shows after the applicant and the place, in order: (label,
/// field ids joined into one value).
fn certificate_layout(document: &str) -> Vec<(&'static str, &'static [&'static str])> {
    match document {
        "homestead_approval" => vec![
            ("家庭成员", &["members"][..]),
            ("用地位置（四至）", &["site_description"]),
            ("用地类型", &["land_type"]),
            ("批准用地面积（平方米）", &["area_m2"]),
            ("批准建房层数", &["storeys"]),
            ("宅基地坐标", &["site_plan_coordinates"]),
            (
                "原宅基地情况",
                &["old_homestead", "old_homestead_return_by"],
            ),
            ("联审联批意见", &["review_opinion"]),
        ],
        "rural_planning_permit" => vec![
            ("建设项目", &[][..]),
            ("建设位置（四至）", &["site_description"]),
            ("用地类型", &["land_type"]),
            ("用地面积（平方米）", &["area_m2"]),
            ("建筑层数", &["storeys"]),
            ("宅基地坐标", &["site_plan_coordinates"]),
            ("联审联批意见", &["review_opinion"]),
        ],
        "temporary_land_approval" => vec![
            ("临时用地类型", &["project_type"][..]),
            ("用途", &["use_kind"]),
            ("用地位置（四至）", &["site_location"]),
            ("用地范围", &["boundary"]),
            ("使用期限（月，自批准之日起算）", &["period_months"]),
            (
                "土地复垦方案",
                &["reclamation_plan_kind", "reclamation_plan_title"],
            ),
            ("土地复垦费用专门账户", &["reclamation_fee_account"]),
            ("存入的土地复垦费用（元）", &["reclamation_fee_amount"]),
            ("审批意见", &["approval_opinion"]),
        ],
        "temporary_land_refusal" => vec![
            ("用地位置（四至）", &["site_location"][..]),
            ("用地范围", &["boundary"]),
            ("不予批准的情形", &["refusal_ground"]),
        ],
        "stage_acceptance" | "final_acceptance" => vec![
            ("用地位置（四至）", &["site_location"][..]),
            ("用地范围", &["boundary"]),
            ("验收范围", &["acceptance_scope"]),
            ("耕地恢复情况", &["farmland_restored"]),
            ("验收意见", &["acceptance_opinion"]),
        ],
        "hand_back_confirmation" => vec![
            ("用地位置（四至）", &["site_location"][..]),
            ("用地范围", &["boundary"]),
            ("接收的原土地权利人", &["receiver"]),
            ("解除土地复垦费用使用监管协议", &["supervision_released"]),
        ],
        _ => vec![
            ("建房位置（四至）", &["site_description"][..]),
            ("用地类型", &["land_type"]),
            ("批准用地面积（平方米）", &["area_m2"]),
            ("实测占地面积（平方米）", &["built_area_m2"]),
            ("批准层数", &["storeys"]),
            ("完工日期", &["completion_date"]),
            ("实地查验日期", &["inspection_date"]),
            ("参加验收人员", &["acceptance_participants"]),
            ("验收意见", &["acceptance_opinion"]),
        ],
    }
}

pub async fn show(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    id: String,
    doc: String,
) -> Result<Response, PageError> {
    let case_id = path_id(&id, "案件")?;
    let case = st.app.case_view(&actor, case_id).await?;
    let proc = st.app.procedure(&case.procedure)?;
    let Some(d) = case
        .documents
        .iter()
        .find(|d| d.document == doc || d.number == doc)
    else {
        return Err(PageError {
            status: StatusCode::NOT_FOUND,
            message: format!("案件{}没有出具文书“{doc}”", case.number),
        });
    };
    // 乡镇政府 issues the homestead's (第十二条, 第二十四条): 同心县豫海镇人民政府, a 管委会 by its
    // own name; the handling unit issues the others (同心县自然资源局).
    let county = st.app.directory().root().name.clone();
    let named = match desk.issuer {
        Issuer::Unit(n) => Some(n),
        _ => proc.handled_by.as_deref(),
    };
    let handling_unit =
        named.and_then(|n| st.app.directory().resolve_unit(n).map(|u| u.name.clone()));
    let issuer = match (desk.issuer, handling_unit) {
        (Issuer::Unit(_), Some(name)) if name.starts_with(&county) => name,
        (Issuer::Unit(_), Some(name)) => format!("{county}{name}"),
        (Issuer::HandlingUnit, Some(name)) if name.starts_with(&county) => name,
        (Issuer::HandlingUnit, Some(name)) => format!("{county}{name}"),
        _ => match st.app.directory().get(&case.township_id) {
            Some(u) => {
                let name = if u.name.starts_with(&county) {
                    u.name.clone()
                } else {
                    format!("{county}{}", u.name)
                };
                if u.kind == UnitKind::Township && !name.ends_with("人民政府") {
                    format!("{name}人民政府")
                } else {
                    name
                }
            }
            None => case.township.clone(),
        },
    };
    let mut used: Vec<String> = Vec::new();
    let mut row = |label: &str, keys: &[&str]| {
        let lines: Vec<String> = keys
            .iter()
            .filter_map(|k| case.data.get(*k).map(|v| form::display(proc.field(k), v)))
            .flatten()
            .filter(|v| !v.is_empty())
            .collect();
        for k in keys {
            if case.data.contains_key(*k)
                && let Some(f) = proc.field(k)
                && !used.contains(&f.label)
            {
                used.push(f.label.clone());
            }
        }
        CertRow {
            label: label.to_owned(),
            lines,
        }
    };
    let mut rows: Vec<CertRow> = desk
        .subject_rows
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| case.data.contains_key(*k)))
        .map(|(label, keys)| row(label, keys))
        .collect();
    let place: Vec<String> = [
        case.township.clone(),
        case.village.clone(),
        text_of(&case.data, "village_group"),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    rows.push(CertRow {
        label: "所在地".into(),
        lines: vec![format!("{county}{}", place.join(""))],
    });
    for (label, keys) in certificate_layout(&d.document) {
        if keys.is_empty() {
            rows.push(CertRow {
                label: label.into(),
                lines: vec!["村民自建住房".into()],
            });
        } else {
            rows.push(row(label, keys));
        }
    }
    if d.document == "acceptance_form" {
        for other in case.documents.iter().filter(|o| o.document != d.document) {
            rows.push(CertRow {
                label: format!("{}编号", other.title.trim_matches(['《', '》'])),
                lines: vec![other.number.clone()],
            });
        }
    }
    let issuing = proc
        .actions
        .iter()
        .find(|a| a.issues.contains(&d.document))
        .map(|a| a.label.clone())
        .unwrap_or_default();
    let sources = format!(
        "本页内容取自案件{}的记录：{}、所在乡镇、村、村民小组；文书编号与签发日期由系统在“{}”时生成。",
        case.number,
        used.join("、"),
        issuing
    );
    let page = DocumentPage {
        layout: Layout::new(&st, Some(&actor), &d.title, desk.nav),
        desk,
        case_id: case.id,
        case_number: case.number.clone(),
        title: d.title.trim_matches(['《', '》']).to_owned(),
        number: d.number.clone(),
        issued_on: date_cn(d.issued_on),
        issuer,
        rows,
        cite: Cite::from(&d.citation),
        sources,
        masked: case.masked,
    };
    Ok(render(&page))
}
