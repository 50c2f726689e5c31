//! 政府投资项目审批路径 (同政办规发〔2023〕5号 第七条、第八条): which documents a government
//! investment project must have approved, decided from its total investment and its nature,
//! each reason citing its clause, with the thresholds read from the dated rules.
//!
//! - 5000万元（含）以上: 项目建议书, 可行性研究报告, 初步设计; the 用地预审与选址意见书 and the
//!   环境影响评价 are applied for in parallel when the proposal is filed (第七条 第一款).
//! - 1500万元（含）至5000万元, or listed in an approved plan: 可行性研究报告（代项目建议书）and
//!   初步设计 (第七条 第二款).
//! - below 1500万元, or simple content, a partial expansion, an emergency: 初步设计（代项目建议书、
//!   可行性研究报告）only (第七条 第三款).
//! - on the two shorter paths, a project needing new construction land or site selection gets the
//!   用地预审与选址意见书 before the first document is submitted (第八条).
//!
//! The text says “可” (may) for the shorter paths; where several apply the shortest is given,
//! with every reason listed, so the official sees what allows it.
//!
//! Amounts are exact: 万元 with at most two decimals (0.01万元 = 100元), held as an integer.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

use crate::checks::AppliedRule;
use crate::citation::Citation;
use crate::policy::{Corpus, PolicyWarning, RuleError};

pub const FULL_PATH_RULE: &str = "gov_investment.approval.full_path_threshold";
pub const FEASIBILITY_PATH_RULE: &str = "gov_investment.approval.feasibility_path_threshold";

/// 万元, exact to 0.01万元 (100元). Serialised as a decimal string (`"4999.99"`), so no
/// reader turns it into a float.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WanYuan(i64);

impl Serialize for WanYuan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.decimal())
    }
}

impl WanYuan {
    /// From hundredths of a 万元.
    pub const fn from_hundredths(h: i64) -> Self {
        WanYuan(h)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// `4999.99`, `5000`, `5000.5`: the amount in 万元 as written.
    pub fn decimal(self) -> String {
        let (w, c) = (self.0 / 100, self.0 % 100);
        if c == 0 {
            format!("{w}")
        } else if c % 10 == 0 {
            format!("{w}.{}", c / 10)
        } else {
            format!("{w}.{c:02}")
        }
    }

    /// A rule's threshold (a whole or two-decimal number of 万元); `None` when it is not one.
    pub fn from_rule(v: f64) -> Option<Self> {
        let h = (v * 100.0).round();
        ((h / 100.0 - v).abs() < 1e-9 && h.abs() < 9e15).then_some(WanYuan(h as i64))
    }
}

impl fmt::Display for WanYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}万元", self.decimal())
    }
}

/// Why an amount was refused, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("请填写总投资额（万元）")]
    Empty,
    #[error("总投资额“{0}”不是数字，请以万元为单位填写，如 4999.99")]
    NotANumber(String),
    #[error("总投资额不能为负数（“{0}”）")]
    Negative(String),
    #[error("总投资额最多保留两位小数（0.01万元即100元），“{0}”的小数位过多")]
    TooPrecise(String),
    #[error("总投资额“{0}”过大")]
    TooLarge(String),
}

impl AmountError {
    /// The message for a form field other than the total investment (“上级补助资金”).
    pub fn for_field(&self, label: &str) -> String {
        match self {
            AmountError::Empty => format!("请填写“{label}”（万元）"),
            AmountError::NotANumber(t) => {
                format!("“{label}”填写的“{t}”不是数字，请以万元为单位填写，如 4999.99")
            }
            AmountError::Negative(t) => format!("“{label}”不能为负数（“{t}”）"),
            AmountError::TooPrecise(t) => {
                format!("“{label}”最多保留两位小数（0.01万元即100元），“{t}”的小数位过多")
            }
            AmountError::TooLarge(t) => format!("“{label}”填写的“{t}”过大"),
        }
    }
}

impl FromStr for WanYuan {
    type Err = AmountError;

    /// `4999.99`, `5000`, `1,500`, `１５００` (full-width digits), `5000万元`.
    fn from_str(s: &str) -> Result<Self, AmountError> {
        let typed = s.trim();
        let t: String = typed
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                '－' => '-',
                c => c,
            })
            .map(|c| if c == '，' { ',' } else { c })
            .filter(|c| !c.is_whitespace())
            .collect();
        // Commas only as thousands separators (“5,000.5”): “4999,99” is a typo for a decimal
        // comma, not 499,999万元.
        if t.contains(',') {
            let whole = t.split('.').next().unwrap_or_default();
            let groups: Vec<&str> = whole.split(',').collect();
            let grouped = !t.split('.').skip(1).any(|f| f.contains(','))
                && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                && groups.iter().skip(1).all(|g| g.len() == 3);
            if !grouped {
                return Err(AmountError::NotANumber(typed.to_owned()));
            }
        }
        let t: String = t.chars().filter(|c| *c != ',').collect();
        let t = t.trim_end_matches("万元").trim_end_matches('万');
        let t = t.trim();
        if t.is_empty() {
            return Err(AmountError::Empty);
        }
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
            return Err(AmountError::NotANumber(typed.to_owned()));
        }
        if neg {
            return Err(AmountError::Negative(typed.to_owned()));
        }
        if frac.len() > 2 {
            return Err(AmountError::TooPrecise(typed.to_owned()));
        }
        let w: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| AmountError::TooLarge(typed.to_owned()))?
        };
        let c: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| AmountError::NotANumber(typed.to_owned()))?;
        w.checked_mul(100)
            .and_then(|x| x.checked_add(c))
            .filter(|x| *x < 1_000_000_000_000_000)
            .map(WanYuan)
            .ok_or_else(|| AmountError::TooLarge(typed.to_owned()))
    }
}

/// What decides the path (项目情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ProjectFacts {
    /// 总投资.
    pub amount: WanYuan,
    /// 列入国家相关规划或经县级以上人民政府批准的规划.
    pub listed_in_plan: bool,
    /// 建设内容单一、技术方案简单.
    pub simple_content: bool,
    /// 部分扩建改建.
    pub partial_expansion: bool,
    /// 应对突发事件需要紧急建设.
    pub emergency: bool,
    /// 涉及新增建设用地或办理规划选址.
    pub new_land: bool,
}

/// 审批路径.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalPath {
    /// 项目建议书 → 可行性研究报告 → 初步设计.
    Full,
    /// 可行性研究报告（代项目建议书）→ 初步设计.
    FeasibilityAndDesign,
    /// 初步设计（代项目建议书、可行性研究报告）.
    DesignOnly,
}

impl ApprovalPath {
    pub fn label(self) -> &'static str {
        match self {
            ApprovalPath::Full => "审批项目建议书、可行性研究报告和初步设计",
            ApprovalPath::FeasibilityAndDesign => {
                "直接审批可行性研究报告（代项目建议书）、初步设计"
            }
            ApprovalPath::DesignOnly => "直接审批初步设计（代项目建议书、可行性研究报告）",
        }
    }
}

/// One document to be approved, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredDocument {
    /// `proposal`, `feasibility`, `preliminary_design`.
    pub id: &'static str,
    /// 可行性研究报告（代项目建议书）.
    pub label: &'static str,
    /// What its content must include, where the clause says (必要性内容).
    pub note: &'static str,
}

/// A reason the path was chosen, with its clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathReason {
    pub text: String,
    pub citation: Citation,
}

/// An approval handled by another department alongside (并联审批).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParallelApproval {
    /// `land_pre_review` (用地预审与选址意见书) or `eia` (环境影响评价).
    pub id: &'static str,
    /// 用地预审与选址意见书.
    pub label: &'static str,
    /// 自然资源部门.
    pub department: &'static str,
    /// When to apply.
    pub when: &'static str,
    pub citation: Citation,
}

/// The decision (审批路径判定).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathDecision {
    pub facts: ProjectFacts,
    pub path: ApprovalPath,
    pub documents: Vec<RequiredDocument>,
    pub reasons: Vec<PathReason>,
    pub parallel: Vec<ParallelApproval>,
    pub applied: Vec<AppliedRule>,
    /// The document's trial has ended, and the like (shown beside the answer).
    pub warnings: Vec<PolicyWarning>,
}

const PROPOSAL: RequiredDocument = RequiredDocument {
    id: "proposal",
    label: "项目建议书",
    note: "",
};
const FEASIBILITY: RequiredDocument = RequiredDocument {
    id: "feasibility",
    label: "可行性研究报告",
    note: "",
};
const DESIGN: RequiredDocument = RequiredDocument {
    id: "preliminary_design",
    label: "初步设计",
    note: "",
};

fn threshold(
    corpus: &Corpus,
    key: &str,
    day: NaiveDate,
) -> Result<(WanYuan, AppliedRule, Vec<PolicyWarning>), RuleError> {
    let a = corpus.rule(key, day)?;
    let v = a
        .value
        .as_f64()
        .and_then(WanYuan::from_rule)
        .ok_or_else(|| RuleError::UnknownRule {
            key: format!("{key}（应为万元金额）"),
        })?;
    let warnings = a.warnings.clone();
    Ok((v, AppliedRule::from_answer(&a), warnings))
}

/// The citation of one of a rule's exceptions (`listed_in_plan`, `emergency`, …).
fn exception_citation(corpus: &Corpus, key: &str, name: &str) -> Option<Citation> {
    corpus
        .parameter(key)?
        .exceptions
        .iter()
        .find(|e| e.name == name)
        .map(|e| e.citation.clone())
}

/// 第八条 of the document 第七条's rules come from (用地预审 before the first document), if the
/// corpus has it; the text sets no number there, so no rule carries it.
fn article_eight(corpus: &Corpus, seventh: &Citation) -> Option<Citation> {
    let c = Citation::new(seventh.doc.clone(), "第八条");
    corpus.resolve(&c).map(|_| c)
}

/// Decides the approval path of a project on `day`'s rules.
pub fn approval_path(
    corpus: &Corpus,
    day: NaiveDate,
    facts: ProjectFacts,
) -> Result<PathDecision, RuleError> {
    let (full_at, full_rule, mut warnings) = threshold(corpus, FULL_PATH_RULE, day)?;
    let (feas_at, feas_rule, more) = threshold(corpus, FEASIBILITY_PATH_RULE, day)?;
    for w in more {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let seventh = full_rule.citation.clone();
    let cite = |name: &str, key: &str| {
        exception_citation(corpus, key, name).unwrap_or_else(|| seventh.clone())
    };
    let amount = facts.amount;

    // 第七条 第三款: the shortest path, for any of its grounds.
    let mut design_only = Vec::new();
    if amount < feas_at {
        design_only.push(PathReason {
            text: format!("总投资{amount}，不足{feas_at}"),
            citation: feas_rule.citation.clone(),
        });
    }
    for (flag, name, text) in [
        (
            facts.simple_content,
            "simple_content",
            "建设内容单一、技术方案简单",
        ),
        (facts.partial_expansion, "partial_expansion", "部分扩建改建"),
        (
            facts.emergency,
            "emergency",
            "为应对自然灾害、事故灾难、公共卫生事件、社会安全事件等突发事件需要紧急建设",
        ),
    ] {
        if flag {
            design_only.push(PathReason {
                text: format!("{text}，不论投资额"),
                citation: cite(name, FEASIBILITY_PATH_RULE),
            });
        }
    }
    // 第七条 第二款.
    let mut feasibility = Vec::new();
    if amount >= feas_at && amount < full_at {
        feasibility.push(PathReason {
            text: format!("总投资{amount}，在{feas_at}（含）至{full_at}之间"),
            citation: feas_rule.citation.clone(),
        });
    }
    if facts.listed_in_plan {
        feasibility.push(PathReason {
            text: "列入国家相关规划或经县级以上人民政府批准的规划，不论投资额".into(),
            citation: cite("listed_in_plan", FULL_PATH_RULE),
        });
    }
    let (path, reasons, documents) = if !design_only.is_empty() {
        (
            ApprovalPath::DesignOnly,
            design_only,
            vec![RequiredDocument {
                label: "初步设计（代项目建议书、可行性研究报告）",
                note: "初步设计文本中应当包含项目建设必要性和可行性论证内容",
                ..DESIGN
            }],
        )
    } else if !feasibility.is_empty() {
        (
            ApprovalPath::FeasibilityAndDesign,
            feasibility,
            vec![
                RequiredDocument {
                    label: "可行性研究报告（代项目建议书）",
                    note: "可行性研究报告应当包含项目建设必要性内容",
                    ..FEASIBILITY
                },
                DESIGN,
            ],
        )
    } else {
        (
            ApprovalPath::Full,
            vec![PathReason {
                text: format!("总投资{amount}，达到{full_at}（含）以上"),
                citation: seventh.clone(),
            }],
            vec![PROPOSAL, FEASIBILITY, DESIGN],
        )
    };
    let parallel = match path {
        ApprovalPath::Full => vec![
            ParallelApproval {
                id: "land_pre_review",
                label: "用地预审与选址意见书",
                department: "自然资源部门",
                when: "报送项目建议书时同时申请，相关部门须在承诺时限内办结",
                citation: seventh.clone(),
            },
            ParallelApproval {
                id: "eia",
                label: "环境影响评价",
                department: "生态环境部门",
                when: "报送项目建议书时同时申请，相关部门须在承诺时限内办结",
                citation: seventh.clone(),
            },
        ],
        _ if facts.new_land => vec![ParallelApproval {
            id: "land_pre_review",
            label: "建设项目用地预审与选址意见书",
            department: "自然资源部门",
            when: "涉及新增建设用地或办理规划选址的，在报批可行性研究报告或者初步设计前取得",
            citation: article_eight(corpus, &seventh).unwrap_or_else(|| seventh.clone()),
        }],
        _ => Vec::new(),
    };
    Ok(PathDecision {
        facts,
        path,
        documents,
        reasons,
        parallel,
        applied: vec![full_rule, feas_rule],
        warnings,
    })
}
