//! The checks of the government-investment procedure (同政办规发〔2023〕5号): funding sources
//! before the plan (第五条), each document only where the path of 第七条 and 第八条 puts it,
//! the reviews a major project needs (第九条), and what must be in place before work starts
//! (第九条之二, 第十一条, 第十二条). The path itself is [`crate::invest::approval_path`], run on
//! the case's own facts, so the procedure and the public calculator cannot disagree.

use serde_json::{Map, Value};

use crate::checks::{CheckContext, CheckFailure, CheckOutcome, CheckPass};
use crate::citation::Citation;
use crate::invest::{ApprovalPath, FULL_PATH_RULE, PathDecision, ProjectFacts, WanYuan};
use crate::policy::RuleError;

pub const PROJECT_CODE: &str = "gov_investment.project_code";
pub const FUNDING_SOURCE: &str = "gov_investment.funding_source";
pub const PROPOSAL_ON_PATH: &str = "gov_investment.proposal_on_path";
pub const FEASIBILITY_ON_PATH: &str = "gov_investment.feasibility_on_path";
pub const DESIGN_ON_PATH: &str = "gov_investment.design_on_path";
pub const MAJOR_PROJECT_REVIEWS: &str = "gov_investment.major_project_reviews";
pub const START_CONDITIONS: &str = "gov_investment.start_conditions";
pub const DATES_IN_ORDER: &str = "gov_investment.dates_in_order";

/// The facts of 第七条 read from the case (`total_investment` and the yes/no fields).
pub const FACT_FIELDS: &[&str] = &[
    "total_investment",
    "listed_in_plan",
    "simple_content",
    "partial_expansion",
    "emergency",
    "new_land",
];

/// The funding-source fields (万元), with their labels.
pub const FUNDING_FIELDS: &[(&str, &str)] = &[
    ("county_funds", "县级财政资金（含配套）"),
    ("higher_funds", "中央、自治区补助资金"),
    ("bond_funds", "政府债券资金"),
    ("other_funds", "其他资金"),
];

/// The field holding the number of the approval a parallel approval's id stands for.
pub fn parallel_field(id: &str) -> &'static str {
    match id {
        "eia" => "eia_approval_number",
        _ => "land_pre_review_number",
    }
}

/// A clause of the document the approval-path rules come from (`第五条`).
fn clause(cx: &CheckContext<'_>, id: &str) -> Result<Citation, RuleError> {
    let doc = cx.corpus.rule(FULL_PATH_RULE, cx.day)?.citation.doc.clone();
    let c = Citation::new(doc, id);
    cx.corpus
        .resolve(&c)
        .map(|_| c.clone())
        .ok_or_else(|| RuleError::UnknownRule {
            key: format!("{c}（条款不在政策库中）"),
        })
}

fn amount(data: &Map<String, Value>, key: &str) -> Option<WanYuan> {
    data.get(key).and_then(Value::as_str)?.parse().ok()
}

fn flag(data: &Map<String, Value>, key: &str) -> bool {
    data.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text(data: &Map<String, Value>, key: &str) -> Option<String> {
    data.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The case's facts of 第七条, or the failure naming the missing total.
pub fn project_facts(data: &Map<String, Value>) -> Option<ProjectFacts> {
    Some(ProjectFacts {
        amount: amount(data, "total_investment")?,
        listed_in_plan: flag(data, "listed_in_plan"),
        simple_content: flag(data, "simple_content"),
        partial_expansion: flag(data, "partial_expansion"),
        emergency: flag(data, "emergency"),
        new_land: flag(data, "new_land"),
    })
}

fn fail(check: &'static str, field: &str, message: String, citation: &Citation) -> CheckOutcome {
    CheckOutcome::Fail(vec![CheckFailure {
        check,
        field: field.to_owned(),
        message: format!("{message}——{citation}"),
        citation: citation.clone(),
    }])
}

fn decision(cx: &CheckContext<'_>) -> Result<Result<PathDecision, CheckOutcome>, RuleError> {
    let seventh = clause(cx, "第七条")?;
    let Some(facts) = project_facts(cx.data) else {
        return Ok(Err(fail(
            FEASIBILITY_ON_PATH,
            "total_investment",
            "缺少项目总投资，无法确定审批路径".into(),
            &seventh,
        )));
    };
    Ok(Ok(crate::invest::approval_path(cx.corpus, cx.day, facts)?))
}

fn pass_on_path(check: &'static str, d: &PathDecision, note: String) -> CheckOutcome {
    CheckOutcome::Pass(CheckPass {
        check,
        citation: d
            .reasons
            .first()
            .map(|r| r.citation.clone())
            .unwrap_or_else(|| d.applied[0].citation.clone()),
        applied: d.applied.clone(),
        note: format!("审批路径：{}（{}）；{note}", d.path.label(), reasons(d)),
    })
}

fn reasons(d: &PathDecision) -> String {
    d.reasons
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

/// Whether `code` has the shape of a project code the online platform issues: 24 characters,
/// 年份(4)-行政区划(6)-行业(2)-类型(2)-流水号(6) (`2024-640324-48-01-012345`); full-width
/// digits and dashes are accepted and normalised.
pub fn normalise_project_code(code: &str) -> Option<String> {
    let t: String = code
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' | '–' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = t.split('-').collect();
    let shape = [4, 6, 2, 2, 6];
    (parts.len() == shape.len()
        && parts
            .iter()
            .zip(shape)
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_digit())))
    .then_some(t)
}

/// `gov_investment.project_code` (第六条): the project is filed on the online platform and
/// handled under the code it issues.
pub(crate) fn run_project_code(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let sixth = clause(cx, "第六条")?;
    let typed = text(cx.data, "project_code").unwrap_or_default();
    Ok(match normalise_project_code(&typed) {
        Some(code) => CheckOutcome::Pass(CheckPass {
            check: PROJECT_CODE,
            citation: sixth,
            applied: Vec::new(),
            note: format!("项目代码{code}"),
        }),
        None => fail(
            PROJECT_CODE,
            "project_code",
            format!(
                "项目代码“{typed}”不是在线审批监管平台赋予的代码：应为24位，如2024-640324-48-01-012345（年份-行政区划-行业-类型-流水号）"
            ),
            &sixth,
        ),
    })
}

/// `gov_investment.funding_source` (第五条): a project enters the plan only with a funding
/// source; one that asks for higher-level money names the county's matching funds and what
/// pays if that money does not come. The sources together may not exceed the total.
pub(crate) fn run_funding_source(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let fifth = clause(cx, "第五条")?;
    let total = amount(cx.data, "total_investment");
    let parts: Vec<(&str, WanYuan)> = FUNDING_FIELDS
        .iter()
        .filter_map(|(k, label)| amount(cx.data, k).map(|a| (*label, a)))
        .filter(|(_, a)| a.hundredths() > 0)
        .collect();
    let sum = WanYuan::from_hundredths(parts.iter().map(|(_, a)| a.hundredths()).sum());
    let mut failures = Vec::new();
    let mut push = |field: &str, message: String| {
        failures.push(CheckFailure {
            check: FUNDING_SOURCE,
            field: field.to_owned(),
            message: format!("{message}——{fifth}"),
            citation: fifth.clone(),
        })
    };
    if parts.is_empty() {
        push(
            "county_funds",
            "未明确资金来源的项目，不得列入投资申请计划：请至少填写一项资金来源".into(),
        );
    }
    let higher = amount(cx.data, "higher_funds").filter(|a| a.hundredths() > 0);
    if higher.is_some() {
        if amount(cx.data, "county_funds").is_none_or(|a| a.hundredths() == 0) {
            push(
                "county_funds",
                "争取上级资金的项目须确保本级配套资金来源可靠：请填写县级财政资金（含配套）".into(),
            );
        }
        if text(cx.data, "higher_funds_fallback").is_none() {
            push(
                "higher_funds_fallback",
                "争取上级资金的项目须明确上级资金未能及时足额到位时落实资金来源的具体措施".into(),
            );
        }
    }
    if let Some(t) = total
        && sum > t
    {
        push(
            "county_funds",
            format!("资金来源合计{sum}，超过项目总投资{t}，请核对"),
        );
    }
    if !failures.is_empty() {
        return Ok(CheckOutcome::Fail(failures));
    }
    let listed = parts
        .iter()
        .map(|(l, a)| format!("{l}{a}"))
        .collect::<Vec<_>>()
        .join("、");
    let gap = total
        .map(|t| WanYuan::from_hundredths(t.hundredths() - sum.hundredths()))
        .filter(|g| g.hundredths() > 0)
        .map(|g| format!("；尚有资金缺口{g}"))
        .unwrap_or_default();
    Ok(CheckOutcome::Pass(CheckPass {
        check: FUNDING_SOURCE,
        citation: fifth,
        applied: Vec::new(),
        note: format!("资金来源合计{sum}（{listed}）{gap}"),
    }))
}

/// The 用地预审 a short path needs before its first document (第八条), if it is missing.
fn land_first(
    cx: &CheckContext<'_>,
    d: &PathDecision,
    check: &'static str,
) -> Option<CheckOutcome> {
    let p = d.parallel.iter().find(|p| p.id == "land_pre_review")?;
    if d.path == ApprovalPath::Full || text(cx.data, parallel_field(p.id)).is_some() {
        return None;
    }
    Some(fail(
        check,
        "land_pre_review_number",
        format!(
            "本项目涉及新增建设用地或规划选址，报批前须先取得{}（{}），请先登记其文号",
            p.label, p.department
        ),
        &p.citation,
    ))
}

/// `gov_investment.proposal_on_path` (第七条): only a project of 5000万元 or more, none of
/// the shorter paths' grounds applying, files a 项目建议书.
pub(crate) fn run_proposal_on_path(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let d = match decision(cx)? {
        Ok(d) => d,
        Err(f) => return Ok(f),
    };
    if d.path != ApprovalPath::Full {
        return Ok(fail(
            PROPOSAL_ON_PATH,
            "total_investment",
            format!(
                "本项目{}（{}），不单独审批项目建议书",
                d.path.label(),
                reasons(&d)
            ),
            &d.reasons[0].citation,
        ));
    }
    Ok(pass_on_path(PROPOSAL_ON_PATH, &d, "报送项目建议书".into()))
}

/// `gov_investment.feasibility_on_path` (第七条, 第八条): a design-only project files no
/// 可行性研究报告; on the full path it follows the approved proposal; where it is the first
/// document and new land is involved, the 用地预审 comes first.
pub(crate) fn run_feasibility_on_path(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let d = match decision(cx)? {
        Ok(d) => d,
        Err(f) => return Ok(f),
    };
    match d.path {
        ApprovalPath::DesignOnly => {
            return Ok(fail(
                FEASIBILITY_ON_PATH,
                "total_investment",
                format!(
                    "本项目{}（{}），不单独审批可行性研究报告",
                    d.path.label(),
                    reasons(&d)
                ),
                &d.reasons[0].citation,
            ));
        }
        ApprovalPath::Full if text(cx.data, "proposal_approval_number").is_none() => {
            return Ok(fail(
                FEASIBILITY_ON_PATH,
                "proposal_approval_number",
                "总投资5000万元（含）以上的项目，须先批复项目建议书，再报批可行性研究报告".into(),
                &d.reasons[0].citation,
            ));
        }
        _ => {}
    }
    if let Some(f) = land_first(cx, &d, FEASIBILITY_ON_PATH) {
        return Ok(f);
    }
    Ok(pass_on_path(
        FEASIBILITY_ON_PATH,
        &d,
        "报批可行性研究报告".into(),
    ))
}

/// `gov_investment.design_on_path` (第七条, 第八条): the 初步设计 follows the approved
/// feasibility study, unless it is the only document; then new land needs the 用地预审 first.
pub(crate) fn run_design_on_path(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let d = match decision(cx)? {
        Ok(d) => d,
        Err(f) => return Ok(f),
    };
    if d.path != ApprovalPath::DesignOnly && text(cx.data, "feasibility_approval_number").is_none()
    {
        return Ok(fail(
            DESIGN_ON_PATH,
            "feasibility_approval_number",
            format!(
                "本项目{}，须先批复可行性研究报告，再报批初步设计",
                d.path.label()
            ),
            &d.reasons[0].citation,
        ));
    }
    if let Some(f) = land_first(cx, &d, DESIGN_ON_PATH) {
        return Ok(f);
    }
    Ok(pass_on_path(DESIGN_ON_PATH, &d, "报批初步设计".into()))
}

/// `gov_investment.major_project_reviews` (第九条): a project with a major effect on the
/// economy, society or the public interest is decided only after evaluation, public
/// participation, expert review and risk assessment, and the county government's deliberation.
pub(crate) fn run_major_project_reviews(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let ninth = clause(cx, "第九条")?;
    if !flag(cx.data, "major_project") {
        return Ok(CheckOutcome::Pass(CheckPass {
            check: MAJOR_PROJECT_REVIEWS,
            citation: ninth,
            applied: Vec::new(),
            note: "非对经济社会发展、社会公众利益有重大影响的项目".into(),
        }));
    }
    let mut failures = Vec::new();
    for (field, what) in [
        ("public_participation", "公众参与"),
        ("expert_evaluation", "中介服务机构评估、专家评议"),
        ("risk_assessment", "风险评估"),
    ] {
        if !flag(cx.data, field) {
            failures.push(CheckFailure {
                check: MAJOR_PROJECT_REVIEWS,
                field: field.into(),
                message: format!("重大项目须在{what}的基础上作出批准决定，请确认已完成——{ninth}"),
                citation: ninth.clone(),
            });
        }
    }
    if text(cx.data, "county_decision").is_none() {
        failures.push(CheckFailure {
            check: MAJOR_PROJECT_REVIEWS,
            field: "county_decision".into(),
            message: format!(
                "重大项目须经县人民政府审议后作出是否批准的决定，请填写审议会议及日期——{ninth}"
            ),
            citation: ninth.clone(),
        });
    }
    if !failures.is_empty() {
        return Ok(CheckOutcome::Fail(failures));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: MAJOR_PROJECT_REVIEWS,
        citation: ninth,
        applied: Vec::new(),
        note: "重大项目：评估、公众参与、专家评议、风险评估已完成，已经县人民政府审议".into(),
    }))
}

/// `gov_investment.start_conditions` (第九条之二, 第十一条, 第十二条): work starts only when
/// every approval the path requires is recorded and 财政 has confirmed the funds in place.
pub(crate) fn run_start_conditions(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let twelfth = clause(cx, "第十二条")?;
    let ninth_bis = clause(cx, "第九条之二")?;
    let d = match decision(cx)? {
        Ok(d) => d,
        Err(f) => return Ok(f),
    };
    let mut failures = Vec::new();
    for p in &d.parallel {
        let field = parallel_field(p.id);
        if text(cx.data, field).is_none() {
            failures.push(CheckFailure {
                check: START_CONDITIONS,
                field: field.into(),
                message: format!(
                    "开工建设前应当完成审批程序：尚未登记{}（{}）——{ninth_bis}",
                    p.label, p.department
                ),
                citation: ninth_bis.clone(),
            });
        }
    }
    let confirmed = amount(cx.data, "funds_confirmed").filter(|a| a.hundredths() > 0);
    match confirmed {
        None => failures.push(CheckFailure {
            check: START_CONDITIONS,
            field: "funds_confirmed".into(),
            message: format!("项目资金不到位不得开工建设：财政部门尚未确认到位资金——{twelfth}"),
            citation: twelfth.clone(),
        }),
        Some(c) => {
            let budget = amount(cx.data, "approved_budget").or(Some(d.facts.amount));
            if let Some(b) = budget
                && c < b
                && !flag(cx.data, "funds_by_schedule")
            {
                failures.push(CheckFailure {
                    check: START_CONDITIONS,
                    field: "funds_confirmed".into(),
                    message: format!(
                        "财政确认到位资金{c}，少于批复概算{b}；资金须按批准的资金来源落实到位，分年度安排的须由财政部门确认按计划拨付——{twelfth}"
                    ),
                    citation: twelfth.clone(),
                });
            }
        }
    }
    if !failures.is_empty() {
        return Ok(CheckOutcome::Fail(failures));
    }
    let approvals = d
        .parallel
        .iter()
        .map(|p| p.label)
        .collect::<Vec<_>>()
        .join("、");
    Ok(CheckOutcome::Pass(CheckPass {
        check: START_CONDITIONS,
        citation: twelfth,
        applied: d.applied.clone(),
        note: format!(
            "审批程序已完成{}；财政确认到位资金{}",
            if approvals.is_empty() {
                String::new()
            } else {
                format!("（含{approvals}）")
            },
            confirmed.map(|c| c.to_string()).unwrap_or_default()
        ),
    }))
}

/// For the registry: which fields each check reads.
pub(crate) const START_READS: &[&str] = &[
    "total_investment",
    "listed_in_plan",
    "simple_content",
    "partial_expansion",
    "emergency",
    "new_land",
    "land_pre_review_number",
    "eia_approval_number",
    "funds_confirmed",
    "approved_budget",
    "funds_by_schedule",
];

/// The project's dates in the order the procedure makes them: approvals, start, completion,
/// handover. Each later date may not come before an earlier one.
const DATE_ORDER: &[(&str, &str)] = &[
    ("start_date", "开工日期"),
    ("completion_date", "建成日期"),
    ("handover_date", "资产移交日期"),
];

/// `gov_investment.dates_in_order` (第十四条: completion follows the start; the handover
/// follows the acceptance): a date typed before the one it must follow is refused, naming both.
pub(crate) fn run_dates_in_order(cx: &CheckContext<'_>) -> Result<CheckOutcome, RuleError> {
    let fourteenth = clause(cx, "第十四条")?;
    let date = |k: &str| {
        cx.data
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let mut failures = Vec::new();
    let mut last: Option<(&str, chrono::NaiveDate)> = None;
    for (key, label) in DATE_ORDER {
        let Some(d) = date(key) else { continue };
        if let Some((before, b)) = last
            && d < b
        {
            failures.push(CheckFailure {
                check: DATES_IN_ORDER,
                field: (*key).into(),
                message: format!(
                    "“{label}”{}早于“{before}”{}，请核对——{fourteenth}",
                    d.format("%Y年%-m月%-d日"),
                    b.format("%Y年%-m月%-d日")
                ),
                citation: fourteenth.clone(),
            });
        }
        last = Some((label, d));
    }
    if !failures.is_empty() {
        return Ok(CheckOutcome::Fail(failures));
    }
    Ok(CheckOutcome::Pass(CheckPass {
        check: DATES_IN_ORDER,
        citation: fourteenth,
        applied: Vec::new(),
        note: "开工、建成、移交日期先后有序".into(),
    }))
}
