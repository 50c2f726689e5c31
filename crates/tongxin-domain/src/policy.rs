//! The policy corpus (政策库): documents with their clause trees and validity, and the rules
//! they set as effective-dated parameters, each value citing its clause (OpenFisca's
//! parameters; Catala's text beside the rule).
//!
//! Validity is computed from dates, never stored: a document is 尚未生效 before it takes
//! effect, 试行 during a trial, 已失效 after its trial or period ends, 现行有效 otherwise.
//! A rule whose document has lapsed still answers (it is the last rule the county adopted) but
//! every answer carries a warning saying so.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use thiserror::Error;

use crate::citation::{Citation, DocNumber};

/// 文件种类.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocKind {
    /// 办法 (articles: 第X条)
    Measures,
    /// 方案 (sections: 一、（一）1.（1）)
    Plan,
    /// 制度
    System,
}

impl DocKind {
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Measures => "办法",
            DocKind::Plan => "方案",
            DocKind::System => "制度",
        }
    }
}

/// 条款: one node of a document's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// The id citations use (`第七条`, `四、（一）`, `第九条（四）`).
    pub id: String,
    pub parent: Option<String>,
    /// As printed (the second 第九条 of D4 is printed 第九条 but has id 第九条之二).
    pub label: String,
    pub title: String,
    pub text: String,
    /// Depth in the outline, 0 at the top.
    pub depth: usize,
}

/// 政策文件.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub number: DocNumber,
    pub title: String,
    pub issuers: Vec<String>,
    pub issued: NaiveDate,
    pub effective_from: NaiveDate,
    /// 有效期: last day in force, when the document sets a period.
    pub valid_until: Option<NaiveDate>,
    /// 试行: whether it is a trial, and the trial's last day.
    pub trial: bool,
    pub trial_until: Option<NaiveDate>,
    pub validity_clause: Option<String>,
    /// 废止: documents it repeals.
    pub repeals: Vec<DocNumber>,
    /// （此件公开发布）
    pub public: bool,
    pub kind: DocKind,
    pub source_text: String,
    pub note: String,
    /// The outline in document order.
    pub clauses: Vec<Clause>,
    /// 续期: decisions recorded by officials that keep the document in force after its trial or
    /// period ended, oldest first (not part of the text; kept in the database).
    pub renewals: Vec<Renewal>,
}

/// 续期方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalKind {
    /// 延长试行期: a decision extending the trial (to `until`).
    TrialExtended,
    /// 重新发布: a new or revised document continuing it in force.
    Reissued,
}

impl RenewalKind {
    pub fn code(self) -> &'static str {
        match self {
            RenewalKind::TrialExtended => "trial_extended",
            RenewalKind::Reissued => "reissued",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RenewalKind::TrialExtended => "延长试行期",
            RenewalKind::Reissued => "修订或重新发布",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [RenewalKind::TrialExtended, RenewalKind::Reissued]
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
    }
}

/// 续期记录: from `from` (through `until`, when set) the document is in force again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renewal {
    pub kind: RenewalKind,
    /// 文号 or the decision's name (`同政办发〔2026〕12号`, `县政府第8次常务会议决定`).
    pub decision: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: String,
}

/// 文件有效性 on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Validity {
    /// 尚未生效
    NotYetInForce { from: NaiveDate },
    /// 试行 (in its trial period)
    Trial { until: Option<NaiveDate> },
    /// 现行有效
    InForce { until: Option<NaiveDate> },
    /// 已失效: its trial or period ended on `ended` (the last day in force).
    Lapsed { ended: NaiveDate, was_trial: bool },
}

impl Validity {
    pub fn label(self) -> &'static str {
        match self {
            Validity::NotYetInForce { .. } => "尚未生效",
            Validity::Trial { .. } => "试行",
            Validity::InForce { .. } => "现行有效",
            Validity::Lapsed { .. } => "已失效",
        }
    }

    /// green / yellow / red / grey, for badges.
    pub fn colour(self) -> &'static str {
        match self {
            Validity::InForce { .. } => "green",
            Validity::Trial { .. } => "yellow",
            Validity::Lapsed { .. } => "red",
            Validity::NotYetInForce { .. } => "grey",
        }
    }

    pub fn is_lapsed(self) -> bool {
        matches!(self, Validity::Lapsed { .. })
    }
}

impl Document {
    /// The document's validity on `day`.
    pub fn validity(&self, day: NaiveDate) -> Validity {
        let base = self.validity_as_issued(day);
        if !matches!(base, Validity::Lapsed { .. }) {
            return base;
        }
        // The latest renewal begun by `day` decides: in force through its end, lapsed after.
        match self
            .renewals
            .iter()
            .filter(|r| r.from <= day)
            .max_by_key(|r| r.from)
        {
            None => base,
            Some(r) if r.until.is_some_and(|u| day > u) => Validity::Lapsed {
                ended: r.until.unwrap_or(day),
                was_trial: r.kind == RenewalKind::TrialExtended,
            },
            Some(r) if r.kind == RenewalKind::TrialExtended => Validity::Trial { until: r.until },
            Some(r) => Validity::InForce { until: r.until },
        }
    }

    /// The renewal in force on `day`, if the document stands on one.
    pub fn renewal_on(&self, day: NaiveDate) -> Option<&Renewal> {
        if !matches!(self.validity_as_issued(day), Validity::Lapsed { .. }) {
            return None;
        }
        self.renewals
            .iter()
            .filter(|r| r.from <= day)
            .max_by_key(|r| r.from)
            .filter(|r| r.until.is_none_or(|u| day <= u))
    }

    /// Validity by the text alone, before any renewal.
    fn validity_as_issued(&self, day: NaiveDate) -> Validity {
        if day < self.effective_from {
            return Validity::NotYetInForce {
                from: self.effective_from,
            };
        }
        if self.trial
            && let Some(t) = self.trial_until
            && day > t
        {
            return Validity::Lapsed {
                ended: t,
                was_trial: true,
            };
        }
        if let Some(u) = self.valid_until
            && day > u
        {
            return Validity::Lapsed {
                ended: u,
                was_trial: false,
            };
        }
        if self.trial {
            Validity::Trial {
                until: self.trial_until,
            }
        } else {
            Validity::InForce {
                until: self.valid_until,
            }
        }
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    pub fn children<'a>(&'a self, id: Option<&'a str>) -> impl Iterator<Item = &'a Clause> + 'a {
        self.clauses
            .iter()
            .filter(move |c| c.parent.as_deref() == id)
    }

    pub fn citation(&self, clause: &str) -> Citation {
        Citation::new(self.number.clone(), clause)
    }
}

/// A rule's value: a number (area, amount, days …) or text (a ratio `2:2:4:2`, a date).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RuleValue {
    Number(f64),
    Text(String),
}

impl fmt::Display for RuleValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                write!(f, "{}", *n as i64)
            }
            RuleValue::Number(n) => write!(f, "{n}"),
            RuleValue::Text(t) => f.write_str(t),
        }
    }
}

impl RuleValue {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            RuleValue::Number(n) => Some(*n),
            RuleValue::Text(_) => None,
        }
    }
}

/// One value of a parameter over a window of dates.
#[derive(Debug, Clone, Serialize)]
pub struct DatedValue {
    pub from: NaiveDate,
    /// Inclusive; None = until replaced.
    pub until: Option<NaiveDate>,
    pub value: RuleValue,
    pub citation: Citation,
    /// The clause's words that set this value.
    pub quote: String,
}

impl DatedValue {
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.from && self.until.is_none_or(|u| day <= u)
    }
}

/// An exception the text writes to a rule (抢险救灾 projects skip the proposal stage …).
#[derive(Debug, Clone, Serialize)]
pub struct RuleException {
    pub name: String,
    pub description: String,
    pub citation: Citation,
    pub quote: String,
}

/// 规则参数: a named rule value with its history.
#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    pub key: String,
    pub label: String,
    /// Unit of measure code (`m2`, `workdays`, `wan_yuan` …).
    pub unit: String,
    /// cap, floor, threshold, period, deadline, target, ratio, count.
    pub kind: String,
    /// Values in date order; windows never overlap (checked at load).
    pub values: Vec<DatedValue>,
    pub exceptions: Vec<RuleException>,
    /// Another parameter that should hold the same value (the documents count the same
    /// thing); `tongxin policy lint` reports when they disagree.
    pub agrees_with: Option<String>,
}

impl Parameter {
    pub fn unit_label(&self) -> &'static str {
        unit_label(&self.unit)
    }
}

/// Chinese label of a unit of measure code.
pub fn unit_label(unit: &str) -> &'static str {
    match unit {
        "m2" => "平方米",
        "m" => "米",
        "wan_yuan" => "万元",
        "yi_yuan" => "亿元",
        "workdays" => "个工作日",
        "days" => "日",
        "months" => "个月",
        "years" => "年",
        "storeys" => "层",
        "percent" => "%",
        "mu" => "亩",
        "ug_m3" => "微克/立方米",
        "count" => "个",
        "ratio" => "",
        "per_week" => "次/周",
        "date" => "",
        _ => "",
    }
}

/// Something an official must see beside a rule's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PolicyWarning {
    /// The document that sets the rule has lapsed (its trial or period ended).
    DocumentLapsed {
        doc: DocNumber,
        ended: NaiveDate,
        was_trial: bool,
    },
    /// The document is not in force yet on the day asked.
    DocumentNotYetInForce { doc: DocNumber, from: NaiveDate },
}

impl fmt::Display for PolicyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyWarning::DocumentLapsed {
                doc,
                ended,
                was_trial,
            } => write!(
                f,
                "依据文件{doc}{}已于{}届满，尚未修订或续期，请核实后使用",
                if *was_trial { "试行期" } else { "有效期" },
                ended.format("%Y年%-m月%-d日")
            ),
            PolicyWarning::DocumentNotYetInForce { doc, from } => {
                write!(
                    f,
                    "依据文件{doc}自{}起施行，所查日期尚未生效",
                    from.format("%Y年%-m月%-d日")
                )
            }
        }
    }
}

/// A rule's value on a day, with its citation and warnings: what a decision records.
#[derive(Debug, Clone, Serialize)]
pub struct RuleAnswer<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub value: &'a RuleValue,
    pub unit: &'a str,
    pub citation: &'a Citation,
    pub quote: &'a str,
    pub warnings: Vec<PolicyWarning>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RuleError {
    #[error("规则“{key}”不存在")]
    UnknownRule { key: String },
    #[error("规则“{key}”在{day}没有生效的取值")]
    NoneInForce { key: String, day: NaiveDate },
}

/// 政策库: the documents and rules of one county's pack, validated.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    documents: Vec<Document>,
    by_number: HashMap<DocNumber, usize>,
    parameters: BTreeMap<String, Parameter>,
}

/// Why a corpus cannot be built (the loader adds the file name).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CorpusError {
    #[error("文号{0}重复")]
    DuplicateDocument(String),
    #[error("{doc}: 条款“{clause}”重复")]
    DuplicateClause { doc: String, clause: String },
    #[error("{doc}: 条款“{clause}”的上级“{parent}”不存在")]
    UnknownParentClause {
        doc: String,
        clause: String,
        parent: String,
    },
    #[error("规则“{key}”: 引用“{citation}”指向的文件不在政策库中")]
    UnknownDocument { key: String, citation: String },
    #[error("规则“{key}”: 引用“{citation}”指向的条款不存在")]
    UnknownClause { key: String, citation: String },
    #[error("规则“{key}”: 引文“{quote}”不在所引条款“{citation}”中")]
    QuoteNotInClause {
        key: String,
        citation: String,
        quote: String,
    },
    #[error("规则“{key}”: 取值的生效期间重叠（{first} 与 {second}）")]
    OverlappingWindows {
        key: String,
        first: NaiveDate,
        second: NaiveDate,
    },
    #[error("规则“{key}”重复")]
    DuplicateRule { key: String },
    #[error("规则“{key}”没有任何取值")]
    NoValues { key: String },
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Corpus {
    pub fn new(
        mut documents: Vec<Document>,
        parameters: Vec<Parameter>,
    ) -> Result<Self, CorpusError> {
        let mut by_number = HashMap::new();
        for (i, d) in documents.iter_mut().enumerate() {
            if by_number.insert(d.number.clone(), i).is_some() {
                return Err(CorpusError::DuplicateDocument(d.number.to_string()));
            }
            let mut depth: HashMap<String, usize> = HashMap::new();
            for c in d.clauses.iter_mut() {
                if depth.contains_key(&c.id) {
                    return Err(CorpusError::DuplicateClause {
                        doc: d.number.to_string(),
                        clause: c.id.clone(),
                    });
                }
                c.depth = match &c.parent {
                    None => 0,
                    Some(p) => match depth.get(p) {
                        Some(&pd) => pd + 1,
                        None => {
                            return Err(CorpusError::UnknownParentClause {
                                doc: d.number.to_string(),
                                clause: c.id.clone(),
                                parent: p.clone(),
                            });
                        }
                    },
                };
                depth.insert(c.id.clone(), c.depth);
            }
        }
        let mut map = BTreeMap::new();
        for mut p in parameters {
            if p.values.is_empty() {
                return Err(CorpusError::NoValues { key: p.key });
            }
            p.values.sort_by_key(|v| v.from);
            for w in p.values.windows(2) {
                if w[0].until.is_none_or(|u| u >= w[1].from) {
                    return Err(CorpusError::OverlappingWindows {
                        key: p.key.clone(),
                        first: w[0].from,
                        second: w[1].from,
                    });
                }
            }
            let cites = p
                .values
                .iter()
                .map(|v| (&v.citation, &v.quote))
                .chain(p.exceptions.iter().map(|e| (&e.citation, &e.quote)));
            for (citation, quote) in cites {
                let Some(&di) = by_number.get(&citation.doc) else {
                    return Err(CorpusError::UnknownDocument {
                        key: p.key.clone(),
                        citation: citation.to_string(),
                    });
                };
                let Some(clause) = documents[di].clause(&citation.clause) else {
                    return Err(CorpusError::UnknownClause {
                        key: p.key.clone(),
                        citation: citation.to_string(),
                    });
                };
                if !squash(&clause.text).contains(&squash(quote)) {
                    return Err(CorpusError::QuoteNotInClause {
                        key: p.key.clone(),
                        citation: citation.to_string(),
                        quote: quote.clone(),
                    });
                }
            }
            if map.contains_key(&p.key) {
                return Err(CorpusError::DuplicateRule { key: p.key });
            }
            map.insert(p.key.clone(), p);
        }
        Ok(Corpus {
            documents,
            by_number,
            parameters: map,
        })
    }

    /// The same corpus with more documents (imported and published by officials); every
    /// check of [`Corpus::new`] runs again.
    pub fn with_documents(&self, extra: Vec<Document>) -> Result<Corpus, CorpusError> {
        let mut docs = self.documents.clone();
        docs.extend(extra);
        Corpus::new(docs, self.parameters.values().cloned().collect())
    }

    /// The same corpus with renewals recorded against its documents (a renewal of a document
    /// not in the corpus is returned, not applied).
    pub fn with_renewals(&self, renewals: Vec<(DocNumber, Renewal)>) -> (Corpus, Vec<DocNumber>) {
        let mut c = self.clone();
        let mut unknown = Vec::new();
        for (doc, r) in renewals {
            match c.by_number.get(&doc) {
                Some(&i) => c.documents[i].renewals.push(r),
                None => unknown.push(doc),
            }
        }
        for d in &mut c.documents {
            d.renewals.sort_by_key(|r| r.from);
        }
        (c, unknown)
    }

    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    pub fn document(&self, number: &DocNumber) -> Option<&Document> {
        self.by_number.get(number).map(|&i| &self.documents[i])
    }

    pub fn parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.values()
    }

    pub fn parameter(&self, key: &str) -> Option<&Parameter> {
        self.parameters.get(key)
    }

    /// Resolves a citation to its document and clause.
    pub fn resolve(&self, c: &Citation) -> Option<(&Document, &Clause)> {
        let d = self.document(&c.doc)?;
        Some((d, d.clause(&c.clause)?))
    }

    /// Warnings for a decision on `day` that relies on `doc`.
    pub fn warnings_for(&self, doc: &DocNumber, day: NaiveDate) -> Vec<PolicyWarning> {
        match self.document(doc).map(|d| d.validity(day)) {
            Some(Validity::Lapsed { ended, was_trial }) => {
                vec![PolicyWarning::DocumentLapsed {
                    doc: doc.clone(),
                    ended,
                    was_trial,
                }]
            }
            Some(Validity::NotYetInForce { from }) => vec![PolicyWarning::DocumentNotYetInForce {
                doc: doc.clone(),
                from,
            }],
            _ => vec![],
        }
    }

    /// The value of a rule in force on `day`, with its citation and any warning.
    pub fn rule(&self, key: &str, day: NaiveDate) -> Result<RuleAnswer<'_>, RuleError> {
        let p = self
            .parameters
            .get(key)
            .ok_or_else(|| RuleError::UnknownRule {
                key: key.to_owned(),
            })?;
        let v = p
            .values
            .iter()
            .find(|v| v.covers(day))
            .ok_or_else(|| RuleError::NoneInForce {
                key: key.to_owned(),
                day,
            })?;
        Ok(RuleAnswer {
            key: &p.key,
            label: &p.label,
            value: &v.value,
            unit: &p.unit,
            citation: &v.citation,
            quote: &v.quote,
            warnings: self.warnings_for(&v.citation.doc, day),
        })
    }

    /// Every rule value that cites the clause (or a clause below it), for the clause page.
    pub fn rules_citing<'a>(
        &'a self,
        doc: &'a DocNumber,
        clause: &'a str,
    ) -> impl Iterator<Item = (&'a Parameter, &'a DatedValue)> + 'a {
        self.parameters.values().flat_map(move |p| {
            p.values
                .iter()
                .filter(move |v| {
                    v.citation.doc == *doc
                        && (v.citation.clause == clause || v.citation.clause.starts_with(clause))
                })
                .map(move |v| (p, v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn doc(
        number: &str,
        trial_until: Option<NaiveDate>,
        valid_until: Option<NaiveDate>,
    ) -> Document {
        Document {
            number: number.parse().unwrap(),
            title: "测试办法".into(),
            issuers: vec![],
            issued: d(2023, 12, 13),
            effective_from: d(2024, 1, 13),
            valid_until,
            trial: trial_until.is_some(),
            trial_until,
            validity_clause: None,
            repeals: vec![],
            public: true,
            kind: DocKind::Measures,
            source_text: String::new(),
            note: String::new(),
            clauses: vec![Clause {
                id: "第七条".into(),
                parent: None,
                label: "第七条".into(),
                title: String::new(),
                text: "总投资5000万元（含）以上的项目".into(),
                depth: 0,
            }],
            renewals: vec![],
        }
    }

    fn param(key: &str, values: Vec<(NaiveDate, Option<NaiveDate>, f64)>) -> Parameter {
        Parameter {
            key: key.into(),
            label: "阈值".into(),
            unit: "wan_yuan".into(),
            kind: "threshold".into(),
            values: values
                .into_iter()
                .map(|(from, until, v)| DatedValue {
                    from,
                    until,
                    value: RuleValue::Number(v),
                    citation: "同政办规发〔2023〕5号 第七条".parse().unwrap(),
                    quote: "5000万元（含）以上".into(),
                })
                .collect(),
            exceptions: vec![],
            agrees_with: None,
        }
    }

    #[test]
    fn a_trial_document_is_in_trial_then_lapsed_the_day_after_its_trial_ends() {
        let doc = doc("同政办规发〔2023〕5号", Some(d(2026, 1, 12)), None);
        assert_eq!(doc.validity(d(2024, 1, 12)).label(), "尚未生效");
        assert_eq!(doc.validity(d(2024, 1, 13)).label(), "试行");
        assert_eq!(doc.validity(d(2026, 1, 12)).label(), "试行");
        assert_eq!(
            doc.validity(d(2026, 1, 13)),
            Validity::Lapsed {
                ended: d(2026, 1, 12),
                was_trial: true
            }
        );
    }

    #[test]
    fn a_document_with_a_period_lapses_after_its_last_day() {
        let doc = doc("同政办规发〔2023〕7号", None, Some(d(2028, 12, 27)));
        assert_eq!(doc.validity(d(2028, 12, 27)).label(), "现行有效");
        assert_eq!(doc.validity(d(2028, 12, 28)).label(), "已失效");
    }

    #[test]
    fn a_rule_from_a_lapsed_document_answers_with_a_warning() {
        let c = Corpus::new(
            vec![doc("同政办规发〔2023〕5号", Some(d(2026, 1, 12)), None)],
            vec![param(
                "gov_project.threshold",
                vec![(d(2024, 1, 13), None, 5000.0)],
            )],
        )
        .unwrap();
        let a = c.rule("gov_project.threshold", d(2025, 6, 1)).unwrap();
        assert_eq!((a.value.to_string(), a.warnings.len()), ("5000".into(), 0));
        let a = c.rule("gov_project.threshold", d(2026, 11, 29)).unwrap();
        assert_eq!(a.citation.to_string(), "同政办规发〔2023〕5号 第七条");
        assert_eq!(
            a.warnings[0].to_string(),
            "依据文件同政办规发〔2023〕5号试行期已于2026年1月12日届满，尚未修订或续期，请核实后使用"
        );
        assert_eq!(
            c.rule("gov_project.threshold", d(2024, 1, 12)).unwrap_err(),
            RuleError::NoneInForce {
                key: "gov_project.threshold".into(),
                day: d(2024, 1, 12)
            }
        );
        assert!(matches!(
            c.rule("nope", d(2025, 1, 1)),
            Err(RuleError::UnknownRule { .. })
        ));
    }

    #[test]
    fn a_revised_value_applies_from_its_date() {
        let c = Corpus::new(
            vec![doc("同政办规发〔2023〕5号", None, None)],
            vec![param(
                "t",
                vec![
                    (d(2024, 1, 13), Some(d(2025, 12, 31)), 5000.0),
                    (d(2026, 1, 1), None, 6000.0),
                ],
            )],
        )
        .unwrap();
        assert_eq!(
            c.rule("t", d(2025, 12, 31)).unwrap().value.as_f64(),
            Some(5000.0)
        );
        assert_eq!(
            c.rule("t", d(2026, 1, 1)).unwrap().value.as_f64(),
            Some(6000.0)
        );
    }

    #[test]
    fn loading_refuses_overlaps_unknown_clauses_and_misquotes() {
        let docs = || vec![doc("同政办规发〔2023〕5号", None, None)];
        let overlap = param(
            "t",
            vec![(d(2024, 1, 13), None, 1.0), (d(2025, 1, 1), None, 2.0)],
        );
        assert!(matches!(
            Corpus::new(docs(), vec![overlap]),
            Err(CorpusError::OverlappingWindows { .. })
        ));
        let mut bad_clause = param("t", vec![(d(2024, 1, 13), None, 1.0)]);
        bad_clause.values[0].citation = "同政办规发〔2023〕5号 第八十条".parse().unwrap();
        assert!(matches!(
            Corpus::new(docs(), vec![bad_clause]),
            Err(CorpusError::UnknownClause { .. })
        ));
        let mut bad_doc = param("t", vec![(d(2024, 1, 13), None, 1.0)]);
        bad_doc.values[0].citation = "同政办规发〔2099〕5号 第七条".parse().unwrap();
        assert!(matches!(
            Corpus::new(docs(), vec![bad_doc]),
            Err(CorpusError::UnknownDocument { .. })
        ));
        let mut misquote = param("t", vec![(d(2024, 1, 13), None, 1.0)]);
        misquote.values[0].quote = "1500万元".into();
        assert!(matches!(
            Corpus::new(docs(), vec![misquote]),
            Err(CorpusError::QuoteNotInClause { .. })
        ));
    }
}

#[cfg(test)]
mod renewal_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn trial_doc(renewals: Vec<Renewal>) -> Document {
        Document {
            number: "同政办规发〔2023〕5号".parse().unwrap(),
            title: "试行办法".into(),
            issuers: vec![],
            issued: d(2023, 12, 13),
            effective_from: d(2024, 1, 13),
            valid_until: None,
            trial: true,
            trial_until: Some(d(2026, 1, 12)),
            validity_clause: None,
            repeals: vec![],
            public: true,
            kind: DocKind::Measures,
            source_text: String::new(),
            note: String::new(),
            clauses: vec![],
            renewals,
        }
    }

    fn renewal(kind: RenewalKind, from: NaiveDate, until: Option<NaiveDate>) -> Renewal {
        Renewal {
            kind,
            decision: "决定".into(),
            from,
            until,
            note: String::new(),
        }
    }

    #[test]
    fn a_renewal_counts_from_its_first_day_to_its_last() {
        use RenewalKind::*;
        let lapsed = |ended, was_trial| Validity::Lapsed { ended, was_trial };
        let doc = trial_doc(vec![
            renewal(TrialExtended, d(2026, 12, 1), Some(d(2027, 12, 31))),
            renewal(Reissued, d(2028, 3, 1), None),
        ]);
        for (day, expected) in [
            (
                d(2026, 1, 12),
                Validity::Trial {
                    until: Some(d(2026, 1, 12)),
                },
            ),
            (d(2026, 1, 13), lapsed(d(2026, 1, 12), true)),
            (d(2026, 11, 30), lapsed(d(2026, 1, 12), true)),
            (
                d(2026, 12, 1),
                Validity::Trial {
                    until: Some(d(2027, 12, 31)),
                },
            ),
            (
                d(2027, 12, 31),
                Validity::Trial {
                    until: Some(d(2027, 12, 31)),
                },
            ),
            (d(2028, 1, 1), lapsed(d(2027, 12, 31), true)),
            (d(2028, 3, 1), Validity::InForce { until: None }),
            (d(2040, 1, 1), Validity::InForce { until: None }),
        ] {
            assert_eq!(doc.validity(day), expected, "{day}");
        }
        // Before the text itself lapses a renewal changes nothing.
        let early = trial_doc(vec![renewal(Reissued, d(2025, 1, 1), None)]);
        assert_eq!(
            early.validity(d(2025, 6, 1)),
            Validity::Trial {
                until: Some(d(2026, 1, 12))
            }
        );
        assert!(early.renewal_on(d(2025, 6, 1)).is_none());
        assert!(early.renewal_on(d(2026, 6, 1)).is_some());
    }
}
