//! Named checks (校验规则): the rules a procedure runs at an action, looked up by name so that
//! the procedure file can name them (`checks = ["homestead.area_within_cap"]`). Each reads its
//! numbers from the corpus on the decision day and cites the clause they come from; a pass
//! records the values and clauses applied (the event log's "clauses applied"), a failure says
//! in Chinese which rule was broken and where it is written.
//!
//! The typed functions ([`area_within_cap`], [`storeys_consent`], [`one_household`],
//! [`resident_ids_valid`]) are the rules; the registry entries adapt them to a case's form
//! data.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use std::str::FromStr;

use crate::attract_checks;
use crate::citation::Citation;
use crate::homestead_siting;
use crate::ids::ResidentId;
use crate::invest_checks;
use crate::policy::{Corpus, PolicyWarning, RuleAnswer, RuleError};
use crate::procedure::{FieldDef, FieldKind};
use crate::siting;

/// A rule value a check applied (适用条款).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedRule {
    pub key: String,
    /// The value as shown (`270`).
    pub value: String,
    pub unit: String,
    pub citation: Citation,
    pub warnings: Vec<PolicyWarning>,
}

impl AppliedRule {
    pub(crate) fn from_answer(a: &RuleAnswer<'_>) -> Self {
        AppliedRule {
            key: a.key.to_owned(),
            value: a.value.to_string(),
            unit: a.unit.to_owned(),
            citation: a.citation.clone(),
            warnings: a.warnings.clone(),
        }
    }
}

/// 校验通过: the clause relied on and the values applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckPass {
    pub check: &'static str,
    pub citation: Citation,
    pub applied: Vec<AppliedRule>,
    /// What was found, in Chinese (`申请面积260平方米，未超过270平方米（水浇地）`).
    pub note: String,
}

/// 校验不通过.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckFailure {
    pub check: &'static str,
    /// The form field to show the message beside.
    pub field: String,
    /// The rule in Chinese, ending with the clause
    /// (`宅基地面积不得超过270平方米（水浇地）——同政办规发〔2023〕6号 第七条`).
    pub message: String,
    pub citation: Citation,
}

/// A check's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CheckOutcome {
    Pass(CheckPass),
    Fail(Vec<CheckFailure>),
}

impl CheckOutcome {
    pub fn is_pass(&self) -> bool {
        matches!(self, CheckOutcome::Pass(_))
    }

    pub fn failures(&self) -> &[CheckFailure] {
        match self {
            CheckOutcome::Pass(_) => &[],
            CheckOutcome::Fail(f) => f,
        }
    }
}

/// 已有宅基地: what the caller found about the household's existing homestead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingHomestead {
    /// The case that approved it.
    pub case_id: String,
    /// 承诺退回日期 (第二十六条), if the household promised to return it.
    pub returning_by: Option<NaiveDate>,
}

/// 失信名单: the applicant's entry on the dishonesty list, if one is in force on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DishonestyListing {
    pub name: String,
    /// 决定文号 or description of the decision.
    pub decision: String,
    pub decided_on: NaiveDate,
    /// The last day the entry is in force.
    pub until: NaiveDate,
}

/// Facts found outside the form (by the app, from the store) that checks need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFacts {
    pub existing_homestead: Option<ExistingHomestead>,
    pub dishonesty: Option<DishonestyListing>,
    /// The site boundary against the protected layers (临时用地), when the case has one.
    pub land: Option<crate::siting::LandFacts>,
    /// The homestead's coordinates against the layout areas and hazard zones (宅基地选址),
    /// when the form gives them.
    pub homestead_site: Option<crate::homestead_siting::SiteFacts>,
}

/// What a registered check is given.
pub struct CheckContext<'a> {
    pub corpus: &'a Corpus,
    /// 决定日: rules are read as they stood on this day.
    pub day: NaiveDate,
    /// The case's normalised form data: every earlier action's fields with this action's
    /// merged over them.
    pub data: &'a Map<String, Value>,
    /// The procedure's field definitions (checks that scan by kind use them).
    pub fields: &'a [FieldDef],
    pub facts: &'a CaseFacts,
    /// The clause of the action running the check: cited by checks that carry no rule of
    /// their own (ID validity).
    pub action_citation: &'a Citation,
}

pub type CheckFn = fn(&CheckContext<'_>) -> Result<CheckOutcome, RuleError>;

/// A registered check.
pub struct CheckSpec {
    pub name: &'static str,
    pub label: &'static str,
    /// Form fields the check reads: a procedure naming the check must define them.
    pub reads: &'static [&'static str],
    pub run: CheckFn,
}

const REGISTRY: &[CheckSpec] = &[
    CheckSpec {
        name: AREA_WITHIN_CAP,
        label: "宅基地面积不超过上限",
        reads: &["land_type", "area_m2"],
        run: run_area_within_cap,
    },
    CheckSpec {
        name: STOREYS_CONSENT,
        label: "三层及以上须经村级组织同意",
        reads: &["storeys", "storeys_consent"],
        run: run_storeys_consent,
    },
    CheckSpec {
        name: ONE_HOUSEHOLD,
        label: "一户一宅",
        reads: &["old_homestead_return_by"],
        run: run_one_household,
    },
    CheckSpec {
        name: TEMPORARY_LAND_APPLICANT,
        label: "临时用地申请人身份明确",
        reads: &["applicant_kind", "applicant_credit_code", "applicant_id"],
        run: run_temporary_land_applicant,
    },
    CheckSpec {
        name: TEMPORARY_LAND_PERIOD,
        label: "临时用地使用期限不超过上限",
        reads: &["infrastructure", "period_months"],
        run: run_temporary_land_period,
    },
    CheckSpec {
        name: NOT_ON_DISHONESTY_LIST,
        label: "申请人不在失信名单中",
        reads: &["applicant_kind"],
        run: run_not_on_dishonesty_list,
    },
    CheckSpec {
        name: homestead_siting::SITE_IN_LAYOUT,
        label: "宅基地选址符合村庄规划宅基地布局",
        reads: &["site_plan_coordinates", "coordinates"],
        run: homestead_siting::run_site_in_layout,
    },
    CheckSpec {
        name: homestead_siting::SITE_AVOIDS_HAZARDS,
        label: "宅基地选址避开地质、洪涝灾害易发区",
        reads: &["site_plan_coordinates", "coordinates", "geology_assessed"],
        run: homestead_siting::run_site_avoids_hazards,
    },
    CheckSpec {
        name: siting::SITING,
        label: "临时用地选址符合要求（制梁场、拌合站，取土场）",
        reads: &["boundary", "use_kind", "infrastructure"],
        run: siting::run_siting,
    },
    CheckSpec {
        name: siting::LAYERS_IMPORTED,
        label: "保护图层齐全，选址已叠加分析",
        reads: &["boundary"],
        run: siting::run_layers_imported,
    },
    CheckSpec {
        name: siting::HAZARD_ACKNOWLEDGED,
        label: "位于灾害易发区的，经办人已确认",
        reads: &["boundary", "hazard_acknowledged"],
        run: siting::run_hazard_acknowledged,
    },
    CheckSpec {
        name: siting::PLAN_FORM,
        label: "土地复垦方案形式与是否涉及耕地相符",
        reads: &["boundary", "reclamation_plan_kind"],
        run: siting::run_plan_form,
    },
    CheckSpec {
        name: siting::COUNTY_MAY_APPROVE,
        label: "不涉及耕地和永久基本农田，由县级审批",
        reads: &["boundary"],
        run: siting::run_county_may_approve,
    },
    CheckSpec {
        name: invest_checks::PROJECT_CODE,
        label: "项目代码为在线审批监管平台赋码",
        reads: &["project_code"],
        run: invest_checks::run_project_code,
    },
    CheckSpec {
        name: invest_checks::FUNDING_SOURCE,
        label: "资金来源明确（争取上级资金的，本级配套和资金不到位时的措施明确）",
        reads: &[
            "total_investment",
            "county_funds",
            "higher_funds",
            "bond_funds",
            "other_funds",
            "higher_funds_fallback",
        ],
        run: invest_checks::run_funding_source,
    },
    CheckSpec {
        name: invest_checks::PROPOSAL_ON_PATH,
        label: "按审批路径报送项目建议书",
        reads: invest_checks::FACT_FIELDS,
        run: invest_checks::run_proposal_on_path,
    },
    CheckSpec {
        name: invest_checks::FEASIBILITY_ON_PATH,
        label: "按审批路径报批可行性研究报告（需用地预审的先取得）",
        reads: &[
            "total_investment",
            "listed_in_plan",
            "simple_content",
            "partial_expansion",
            "emergency",
            "new_land",
            "proposal_approval_number",
            "land_pre_review_number",
        ],
        run: invest_checks::run_feasibility_on_path,
    },
    CheckSpec {
        name: invest_checks::DESIGN_ON_PATH,
        label: "按审批路径报批初步设计（需用地预审的先取得）",
        reads: &[
            "total_investment",
            "listed_in_plan",
            "simple_content",
            "partial_expansion",
            "emergency",
            "new_land",
            "feasibility_approval_number",
            "land_pre_review_number",
        ],
        run: invest_checks::run_design_on_path,
    },
    CheckSpec {
        name: invest_checks::MAJOR_PROJECT_REVIEWS,
        label: "重大项目经评估、公众参与、专家评议、风险评估和县政府审议",
        reads: &[
            "major_project",
            "public_participation",
            "expert_evaluation",
            "risk_assessment",
            "county_decision",
        ],
        run: invest_checks::run_major_project_reviews,
    },
    CheckSpec {
        name: invest_checks::START_CONDITIONS,
        label: "开工条件：审批程序完成、资金到位",
        reads: invest_checks::START_READS,
        run: invest_checks::run_start_conditions,
    },
    CheckSpec {
        name: invest_checks::DATES_IN_ORDER,
        label: "开工、建成、移交日期先后有序",
        reads: &["start_date", "completion_date", "handover_date"],
        run: invest_checks::run_dates_in_order,
    },
    CheckSpec {
        name: attract_checks::SEGMENT_ON_CHAIN,
        label: "招商项目的环节属于所选产业链",
        reads: &["chain", "segment"],
        run: attract_checks::run_segment_on_chain,
    },
    CheckSpec {
        name: attract_checks::FIVE_ONES,
        label: "重点项目已落实“五个一”",
        reads: &[
            "package_leader",
            "task_force",
            "promotion_plan",
            "battle_map",
        ],
        run: attract_checks::run_five_ones,
    },
    CheckSpec {
        name: attract_checks::FUNDS_IN_PLACE,
        label: "实际到位资金按核算的各类资金合计",
        reads: &[
            "funds_fixed_assets",
            "funds_equipment",
            "funds_intangible",
            "funds_other",
            "agreed_investment",
        ],
        run: attract_checks::run_funds_in_place,
    },
    CheckSpec {
        name: OBJECTIONS_ANSWERED,
        label: "公示期内的异议已写明处理情况",
        reads: &["objection", "objection_handling"],
        run: run_objections_answered,
    },
    CheckSpec {
        name: RESIDENT_ID_VALID,
        label: "身份证号码有效",
        reads: &[],
        run: run_resident_ids_valid,
    },
];

pub const AREA_WITHIN_CAP: &str = "homestead.area_within_cap";
pub const STOREYS_CONSENT: &str = "homestead.storeys_consent";
pub const ONE_HOUSEHOLD: &str = "homestead.one_household";
pub const RESIDENT_ID_VALID: &str = "resident_id.valid";
pub const OBJECTIONS_ANSWERED: &str = "homestead.objections_answered";
pub const TEMPORARY_LAND_APPLICANT: &str = "temporary_land.applicant_identified";
pub const TEMPORARY_LAND_PERIOD: &str = "temporary_land.period_within_cap";
pub const NOT_ON_DISHONESTY_LIST: &str = "temporary_land.not_on_dishonesty_list";

/// The rule that bars a listed applicant (第二十四条: 5年内不得再申请临时用地).
pub const DISHONESTY_BAN_RULE: &str = "temporary_land.dishonesty_ban.years";

/// The last day a dishonesty-list entry decided on `decided_on` is in force: the ban runs for
/// the rule's years from the decision (decided 2024-03-04, five years: through 2029-03-03).
pub fn dishonesty_until(
    corpus: &Corpus,
    decided_on: NaiveDate,
) -> Result<(NaiveDate, AppliedRule), RuleError> {
    let a = corpus.rule(DISHONESTY_BAN_RULE, decided_on)?;
    let years = number(&a)?;
    let months = (years * 12.0).round() as u32;
    let end = decided_on
        .checked_add_months(chrono::Months::new(months))
        .and_then(|d| d.pred_opt())
        .ok_or_else(|| RuleError::UnknownRule {
            key: format!("{DISHONESTY_BAN_RULE}（期限超出日期范围）"),
        })?;
    Ok((end, AppliedRule::from_answer(&a)))
}

/// Every registered check.
pub fn registry() -> &'static [CheckSpec] {
    REGISTRY
}

/// The check named `name`.
pub fn lookup(name: &str) -> Option<&'static CheckSpec> {
    REGISTRY.iter().find(|c| c.name == name)
}

fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub(crate) fn number(a: &RuleAnswer<'_>) -> Result<f64, RuleError> {
    a.value.as_f64().ok_or_else(|| RuleError::UnknownRule {
        key: format!("{}（应为数值）", a.key),
    })
}

pub(crate) fn missing(
    check: &'static str,
    field: &str,
    what: &str,
    citation: &Citation,
) -> CheckOutcome {
    CheckOutcome::Fail(vec![CheckFailure {
        check,
        field: field.to_owned(),
        message: format!("缺少{what}，无法核对——{citation}"),
        citation: citation.clone(),
    }])
}

/// 土地类型 (第七条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandType {
    /// 水浇地 (the text: 农村水浇土地)
    Irrigated,
    /// 平川旱作耕地
    FlatDryland,
    /// 山坡地
    Hillside,
}

impl LandType {
    pub const ALL: [LandType; 3] = [
        LandType::Irrigated,
        LandType::FlatDryland,
        LandType::Hillside,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LandType::Irrigated => "irrigated",
            LandType::FlatDryland => "flat_dryland",
            LandType::Hillside => "hillside",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LandType::Irrigated => "水浇地",
            LandType::FlatDryland => "平川旱作耕地",
            LandType::Hillside => "山坡地",
        }
    }

    /// The rule holding the cap: `homestead.area_cap.<code>`.
    pub fn cap_parameter(self) -> String {
        format!("homestead.area_cap.{}", self.code())
    }
}

impl FromStr for LandType {
    type Err = ();

    /// The code or the Chinese label.
    fn from_str(s: &str) -> Result<Self, ()> {
        LandType::ALL
            .into_iter()
            .find(|l| l.code() == s || l.label() == s)
            .ok_or(())
    }
}

/// `homestead.area_within_cap` (第七条): the area is at most the cap for the land type.
pub fn area_within_cap(
    corpus: &Corpus,
    day: NaiveDate,
    land: LandType,
    area_m2: f64,
) -> Result<CheckOutcome, RuleError> {
    let key = land.cap_parameter();
    let a = corpus.rule(&key, day)?;
    let cap = number(&a)?;
    let cap_text = format!("{}{}", fmt_num(cap), crate::policy::unit_label(a.unit));
    if area_m2 <= cap {
        Ok(CheckOutcome::Pass(CheckPass {
            check: AREA_WITHIN_CAP,
            citation: a.citation.clone(),
            applied: vec![AppliedRule::from_answer(&a)],
            note: format!(
                "申请面积{}平方米，未超过{cap_text}（{}）",
                fmt_num(area_m2),
                land.label()
            ),
        }))
    } else {
        Ok(CheckOutcome::Fail(vec![CheckFailure {
            check: AREA_WITHIN_CAP,
            field: "area_m2".into(),
            message: format!(
                "宅基地面积不得超过{cap_text}（{}）——{}",
                land.label(),
                a.citation
            ),
            citation: a.citation.clone(),
        }]))
    }
}

/// `homestead.storeys_consent` (第七条): a house of the threshold storeys (3) or more needs
/// the village organisation's and interested parties' consent, recorded.
pub fn storeys_consent(
    corpus: &Corpus,
    day: NaiveDate,
    storeys: u32,
    consent_recorded: bool,
) -> Result<CheckOutcome, RuleError> {
    let a = corpus.rule("homestead.storeys.consent_threshold", day)?;
    let threshold = number(&a)?;
    let applied = vec![AppliedRule::from_answer(&a)];
    let t = fmt_num(threshold);
    if f64::from(storeys) < threshold {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: STOREYS_CONSENT,
            citation: a.citation.clone(),
            applied,
            note: format!("拟建{storeys}层，低于{t}层，无需村级组织同意"),
        }));
    }
    if consent_recorded {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: STOREYS_CONSENT,
            citation: a.citation.clone(),
            applied,
            note: format!("拟建{storeys}层（{t}层及以上），已记录村级组织及利益相关方同意"),
        }));
    }
    Ok(CheckOutcome::Fail(vec![CheckFailure {
        check: STOREYS_CONSENT,
        field: "storeys_consent".into(),
        message: format!(
            "建设{t}层及以上住房须征得村级组织及利益相关方同意并纳入村庄规划（拟建{storeys}层，未记录同意）——{}",
            a.citation
        ),
        citation: a.citation.clone(),
    }]))
}

/// `homestead.one_household` (第七条, 第二十六条): an approved homestead of the same household
/// blocks a new one, unless the household promised to return it by a date not yet past on
/// `day`.
pub fn one_household(
    corpus: &Corpus,
    day: NaiveDate,
    existing: Option<&ExistingHomestead>,
) -> Result<CheckOutcome, RuleError> {
    let a = corpus.rule("homestead.per_household.count_cap", day)?;
    let cap = number(&a)?;
    let applied = vec![AppliedRule::from_answer(&a)];
    let cap_text = fmt_num(cap);
    // 第二十六条: 另址建房的，要按照承诺的时间无偿退回原有宅基地 (same document as the cap).
    let return_clause = Citation::new(a.citation.doc.clone(), "第二十六条");
    let Some(e) = existing else {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: ONE_HOUSEHOLD,
            citation: a.citation.clone(),
            applied,
            note: "本户无已批准的宅基地".into(),
        }));
    };
    if 1.0 < cap {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: ONE_HOUSEHOLD,
            citation: a.citation.clone(),
            applied,
            note: format!(
                "本户已有1处宅基地（案件{}），未达上限{cap_text}处",
                e.case_id
            ),
        }));
    }
    match e.returning_by {
        Some(by) if by >= day => Ok(CheckOutcome::Pass(CheckPass {
            check: ONE_HOUSEHOLD,
            citation: return_clause.clone(),
            applied,
            note: format!(
                "本户已有宅基地（案件{}），承诺于{}前无偿退回——{return_clause}",
                e.case_id,
                by.format("%Y年%-m月%-d日")
            ),
        })),
        Some(by) => Ok(CheckOutcome::Fail(vec![CheckFailure {
            check: ONE_HOUSEHOLD,
            field: "old_homestead_return_by".into(),
            message: format!(
                "原宅基地（案件{}）承诺退回日期{}已过，须先退回原宅基地——{return_clause}",
                e.case_id,
                by.format("%Y年%-m月%-d日")
            ),
            citation: return_clause,
        }])),
        None => Ok(CheckOutcome::Fail(vec![CheckFailure {
            check: ONE_HOUSEHOLD,
            field: "old_homestead_return_by".into(),
            message: format!(
                "一户村民只能拥有{cap_text}处宅基地：本户已有宅基地（案件{}），须承诺退回原宅基地的日期——{}",
                e.case_id, a.citation
            ),
            citation: a.citation.clone(),
        }])),
    }
}

/// `resident_id.valid`: every ID in the data (resident-ID fields and members) is valid under
/// GB 11643-1999 on `day`. The standard is not in the corpus, so the clause cited is the one
/// of the action that asked for the IDs.
pub fn resident_ids_valid(
    fields: &[FieldDef],
    data: &Map<String, Value>,
    day: NaiveDate,
    citation: &Citation,
) -> CheckOutcome {
    let mut found = 0usize;
    let mut failures = Vec::new();
    let mut check = |key: String, label: String, v: Option<&Value>| {
        found += 1;
        let result = match v.and_then(Value::as_str) {
            Some(s) => ResidentId::parse(&key, s, day).map(|_| ()),
            None => Err(crate::FieldError::new(&key, "缺少身份证号码")),
        };
        if let Err(e) = result {
            failures.push(CheckFailure {
                check: RESIDENT_ID_VALID,
                field: key,
                message: format!("“{label}”：{}——{citation}", e.message),
                citation: citation.clone(),
            });
        }
    };
    for f in fields {
        match (&f.kind, data.get(&f.id)) {
            (FieldKind::ResidentId, Some(v)) => check(f.id.clone(), f.label.clone(), Some(v)),
            (FieldKind::Members, Some(Value::Array(items))) => {
                for (i, m) in items.iter().enumerate() {
                    check(
                        format!("{}[{i}].resident_id", f.id),
                        format!("{}第{}人身份证号码", f.label, i + 1),
                        m.get("resident_id"),
                    );
                }
            }
            _ => {}
        }
    }
    if failures.is_empty() {
        CheckOutcome::Pass(CheckPass {
            check: RESIDENT_ID_VALID,
            citation: citation.clone(),
            applied: vec![],
            note: format!("{found}个身份证号码均符合GB 11643-1999"),
        })
    } else {
        CheckOutcome::Fail(failures)
    }
}

fn run_area_within_cap(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    // Cite the first-land-type cap's clause when the input is missing.
    let cite = || {
        cx.corpus
            .rule(&LandType::Irrigated.cap_parameter(), cx.day)
            .map(|a| a.citation.clone())
    };
    let Some(land) = cx
        .data
        .get("land_type")
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<LandType>().ok())
    else {
        return Ok(missing(AREA_WITHIN_CAP, "land_type", "土地类型", &cite()?));
    };
    let Some(area) = cx.data.get("area_m2").and_then(Value::as_f64) else {
        return Ok(missing(AREA_WITHIN_CAP, "area_m2", "宅基地面积", &cite()?));
    };
    area_within_cap(cx.corpus, cx.day, land, area)
}

fn run_storeys_consent(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let Some(storeys) = cx.data.get("storeys").and_then(Value::as_u64) else {
        let c = cx
            .corpus
            .rule("homestead.storeys.consent_threshold", cx.day)?
            .citation
            .clone();
        return Ok(missing(STOREYS_CONSENT, "storeys", "拟建层数", &c));
    };
    let consent = cx
        .data
        .get("storeys_consent")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    storeys_consent(
        cx.corpus,
        cx.day,
        u32::try_from(storeys).unwrap_or(u32::MAX),
        consent,
    )
}

fn run_one_household(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    // The promise may be on the form (承诺退回日期) rather than in the facts found.
    let promised = cx
        .data
        .get("old_homestead_return_by")
        .and_then(Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let existing = cx
        .facts
        .existing_homestead
        .as_ref()
        .map(|e| ExistingHomestead {
            case_id: e.case_id.clone(),
            returning_by: e.returning_by.or(promised),
        });
    one_household(cx.corpus, cx.day, existing.as_ref())
}

/// `homestead.objections_answered` (第十条: 公示无异议或异议不成立的，由村级组织签署意见):
/// a notice that drew an objection (recorded by the village or lodged on the portal) passes
/// only with the objection's handling written down; one without objections passes as it is.
pub fn objections_answered(data: &Map<String, Value>, citation: &Citation) -> CheckOutcome {
    let text = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("").trim();
    let objection = text("objection");
    if !objection.is_empty() && text("objection_handling").is_empty() {
        return CheckOutcome::Fail(vec![CheckFailure {
            check: OBJECTIONS_ANSWERED,
            field: "objection_handling".into(),
            message: format!(
                "公示期间收到异议，须在“异议处理情况”中写明异议不成立的理由；异议成立的，应选“异议成立，未通过”——{citation}"
            ),
            citation: citation.clone(),
        }]);
    }
    CheckOutcome::Pass(CheckPass {
        check: OBJECTIONS_ANSWERED,
        citation: citation.clone(),
        applied: Vec::new(),
        note: if objection.is_empty() {
            "公示期间无异议".into()
        } else {
            "公示期间有异议，已写明处理情况".into()
        },
    })
}

fn run_objections_answered(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    Ok(objections_answered(cx.data, cx.action_citation))
}

fn run_resident_ids_valid(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    Ok(resident_ids_valid(
        cx.fields,
        cx.data,
        cx.day,
        cx.action_citation,
    ))
}

/// `temporary_land.period_within_cap` (第七条): the period asked for, in months from the
/// approval date, is at most the general cap (2 years), or the infrastructure cap (4 years)
/// for energy, transport, water and like infrastructure with a long construction period.
pub fn temporary_land_period(
    corpus: &Corpus,
    day: NaiveDate,
    infrastructure: bool,
    months: u32,
) -> Result<CheckOutcome, RuleError> {
    let key = if infrastructure {
        "temporary_land.period.infrastructure_years"
    } else {
        "temporary_land.period.general_years"
    };
    let a = corpus.rule(key, day)?;
    let cap_years = number(&a)?;
    let cap_months = (cap_years * 12.0).round() as u32;
    let which = if infrastructure {
        "能源、交通、水利等基础设施建设项目"
    } else {
        "一般项目"
    };
    if months <= cap_months {
        Ok(CheckOutcome::Pass(CheckPass {
            check: TEMPORARY_LAND_PERIOD,
            citation: a.citation.clone(),
            applied: vec![AppliedRule::from_answer(&a)],
            note: format!(
                "申请使用{months}个月，未超过{}年（{which}，自批准之日起算）",
                fmt_num(cap_years)
            ),
        }))
    } else {
        Ok(CheckOutcome::Fail(vec![CheckFailure {
            check: TEMPORARY_LAND_PERIOD,
            field: "period_months".into(),
            message: format!(
                "临时用地使用期限不得超过{}年（{cap_months}个月，{which}，自批准之日起算），申请为{months}个月——{}",
                fmt_num(cap_years),
                a.citation
            ),
            citation: a.citation.clone(),
        }]))
    }
}

fn run_temporary_land_period(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let infrastructure = cx
        .data
        .get("infrastructure")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let Some(months) = cx.data.get("period_months").and_then(Value::as_u64) else {
        let c = cx
            .corpus
            .rule("temporary_land.period.general_years", cx.day)?
            .citation
            .clone();
        return Ok(missing(
            TEMPORARY_LAND_PERIOD,
            "period_months",
            "使用期限",
            &c,
        ));
    };
    temporary_land_period(
        cx.corpus,
        cx.day,
        infrastructure,
        u32::try_from(months).unwrap_or(u32::MAX),
    )
}

/// `temporary_land.applicant_identified` (第八条: the applicant is the project owner or its
/// contractor): an enterprise gives a valid 统一社会信用代码, an individual a valid 居民身份证号码.
fn run_temporary_land_applicant(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let citation = cx.action_citation;
    let kind = cx.data.get("applicant_kind").and_then(Value::as_str);
    let (field, result) = match kind {
        Some("individual") => {
            let v = cx.data.get("applicant_id").and_then(Value::as_str);
            (
                "applicant_id",
                match v {
                    Some(s) => ResidentId::parse("applicant_id", s, cx.day).map(|id| id.masked()),
                    None => Err(crate::FieldError::new(
                        "applicant_id",
                        "个人申请须填写申请人身份证号码",
                    )),
                },
            )
        }
        Some(_) => {
            let v = cx.data.get("applicant_credit_code").and_then(Value::as_str);
            (
                "applicant_credit_code",
                match v {
                    Some(s) => crate::ids::CreditCode::parse("applicant_credit_code", s)
                        .map(|c| c.to_string()),
                    None => Err(crate::FieldError::new(
                        "applicant_credit_code",
                        "单位申请须填写统一社会信用代码",
                    )),
                },
            )
        }
        None => {
            return Ok(missing(
                TEMPORARY_LAND_APPLICANT,
                "applicant_kind",
                "申请人类型",
                citation,
            ));
        }
    };
    Ok(match result {
        Ok(shown) => CheckOutcome::Pass(CheckPass {
            check: TEMPORARY_LAND_APPLICANT,
            citation: citation.clone(),
            applied: vec![],
            note: format!("申请人证件{shown}有效"),
        }),
        Err(e) => CheckOutcome::Fail(vec![CheckFailure {
            check: TEMPORARY_LAND_APPLICANT,
            field: field.to_owned(),
            message: format!("{}——{citation}", e.message),
            citation: citation.clone(),
        }]),
    })
}

/// The form field that identifies a temporary-land applicant: the ID number of an individual,
/// else the enterprise's credit code (第八条). The dishonesty list is keyed by its value.
pub fn applicant_subject_field(data: &Map<String, Value>) -> &'static str {
    match data.get("applicant_kind").and_then(Value::as_str) {
        Some("individual") => "applicant_id",
        _ => "applicant_credit_code",
    }
}

/// `temporary_land.not_on_dishonesty_list` (第二十四条): an applicant on the dishonesty list may
/// not apply for temporary land while the entry is in force.
fn run_not_on_dishonesty_list(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let a = cx.corpus.rule(DISHONESTY_BAN_RULE, cx.day)?;
    let field = applicant_subject_field(cx.data);
    Ok(match &cx.facts.dishonesty {
        None => CheckOutcome::Pass(CheckPass {
            check: NOT_ON_DISHONESTY_LIST,
            citation: a.citation.clone(),
            applied: vec![AppliedRule::from_answer(&a)],
            note: "申请人不在失信名单中".into(),
        }),
        Some(l) => CheckOutcome::Fail(vec![CheckFailure {
            check: NOT_ON_DISHONESTY_LIST,
            field: field.into(),
            message: format!(
                "申请人“{}”已于{}列入失信名单（{}），{}前不得再申请临时用地——{}",
                l.name,
                l.decided_on.format("%Y年%-m月%-d日"),
                l.decision,
                l.until
                    .succ_opt()
                    .unwrap_or(l.until)
                    .format("%Y年%-m月%-d日"),
                a.citation
            ),
            citation: a.citation.clone(),
        }]),
    })
}

#[cfg(test)]
mod objection_tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect()
    }

    #[test]
    fn a_notice_with_an_objection_passes_only_with_its_handling() {
        let c: Citation = "同政办规发〔2023〕6号 第十条".parse().unwrap();
        let table: &[(&[(&str, &str)], bool)] = &[
            (&[], true),
            (&[("objection", "  ")], true),
            (&[("objection", "占用了我家的出路")], false),
            (
                &[
                    ("objection", "占用了我家的出路"),
                    ("objection_handling", " "),
                ],
                false,
            ),
            (
                &[
                    ("objection", "占用了我家的出路"),
                    (
                        "objection_handling",
                        "经现场核实，出路宽4米未被占用，异议不成立",
                    ),
                ],
                true,
            ),
        ];
        for (pairs, pass) in table {
            let out = objections_answered(&data(pairs), &c);
            assert_eq!(out.is_pass(), *pass, "{pairs:?}");
            if !pass {
                assert_eq!(out.failures()[0].field, "objection_handling");
                assert!(out.failures()[0].message.contains("第十条"));
            }
        }
    }
}
