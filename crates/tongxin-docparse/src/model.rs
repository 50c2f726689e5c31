//! What the parser produces. Serialised as the JSON of `tongxin doc parse --json`
//! (docs/doc-parse-json.md). Every extraction keeps its source span: byte offsets into the
//! text given to [`crate::parse`], end exclusive, always on UTF-8 character boundaries.

use chrono::NaiveDate;
use serde::Serialize;

/// Byte offsets `[start, end)` into the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The whole parse: one entry per document found in the text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParseResult {
    pub documents: Vec<ParsedDocument>,
}

/// 文件种类 as recognised from the outline and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParsedKind {
    /// 办法 (第X章 / 第X条)
    Measures,
    /// 方案 (一、（一）1.（1）)
    Plan,
    /// 制度
    System,
    Unknown,
}

/// Where the title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleSource {
    /// The heading above the body.
    Heading,
    /// The 《…》 of the cover letter (the heading was lost, e.g. printed as an image).
    CoverLetter,
    /// Not found.
    None,
}

/// A unit as the text names it, and what the directory resolves it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRef {
    /// As written (`工业信息和商务局`, `各乡镇<开发区>`).
    pub raw: String,
    pub span: Span,
    /// Canonical names: one for a unit, several for a collective name; empty when unresolved.
    pub resolved: Vec<String>,
    /// Unit ids matching `resolved`.
    pub unit_ids: Vec<String>,
    /// The raw text is a collective name (各乡镇（开发区）).
    pub collective: bool,
}

/// A person the text names with a role (链长, 组长, 副组长).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRef {
    pub name: String,
    pub role: String,
    pub span: Span,
}

/// A time expression: a date, a range, 上旬/中旬/下旬 of a month, a time of day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeRef {
    pub text: String,
    /// First day, when it can be fixed (year taken from the document's date when omitted).
    pub start: Option<NaiveDate>,
    /// Last day (= start for a single day).
    pub end: Option<NaiveDate>,
    /// Time of day as written (`19:00`, `18:30`), if any.
    pub time_of_day: Option<String>,
    pub span: Span,
}

/// One clause of the outline, flat, with the same id scheme as the policy pack
/// (`第七条`, `第九条（四）`, `四、（一）`, `三、（一）1.`, `印发通知`; a second 第九条 is `第九条之二`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedClause {
    pub id: String,
    pub parent: Option<String>,
    pub label: String,
    /// Heading of a 章 or a 方案 section (`总则`, `总体要求`).
    pub title: String,
    /// The clause's text with PDF line breaks joined.
    pub text: String,
    pub span: Span,
}

/// An article (条) of a 办法/制度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub id: String,
    pub label: String,
    pub text: String,
    pub span: Span,
}

/// A section of a 方案 (or a 章 of a 办法) with its children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: String,
    pub label: String,
    pub title: String,
    pub span: Span,
    pub children: Vec<Section>,
}

/// A task: a clause that assigns work to units (牵头单位/责任单位), with who, when and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// The clause id it comes from.
    pub clause: String,
    pub text: String,
    pub lead_units: Vec<UnitRef>,
    /// The clause the lead units were taken from when the item names none itself and its
    /// group does (`（一）文体活动 由县文旅局牵头负责` for every activity below it).
    pub lead_from: Option<String>,
    pub responsible_units: Vec<UnitRef>,
    pub people: Vec<PersonRef>,
    pub time: Option<TimeRef>,
    /// Every time the item gives (D3's 花灯灯谜晚会 has a range and an evening); `time` is the first.
    pub times: Vec<TimeRef>,
    /// 地点, as written.
    pub place: Option<String>,
    pub span: Span,
}

/// The unit of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// 工作日
    Workdays,
    /// 日 / 天 (natural days)
    Days,
    Months,
    Years,
}

/// A deadline or period (`10个工作日内`, `期满前30日`, `超过6个月`, `2年`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineRef {
    pub clause: String,
    pub text: String,
    pub amount: u32,
    pub unit: PeriodUnit,
    /// within (…内, 不超过…), before (…前, 期满前…), after (…后), exceeding (超过…),
    /// at_least (不少于…), period (a bare length: 有效期五年).
    pub relation: String,
    pub span: Span,
}

/// A numeric limit or target with its unit as written (`平方米`, `万元`, `%`, `微克/立方米`, `亩`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub clause: String,
    pub text: String,
    /// The number in the text's unit, 万/亿 multipliers applied to the unit not the value:
    /// `3万亩` → value 3, unit `万亩`; `7.87万亩` → 7.87, `万亩`.
    pub value: f64,
    pub unit: String,
    /// `<=` (不得超过, 以下, 以内), `>=` (以上, 不低于, 不少于), `<`, `>`, `=`.
    pub comparator: String,
    /// （含） present.
    pub inclusive: bool,
    pub span: Span,
}

/// Something an official must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    /// duplicate_number, skipped_number, count_mismatch, unknown_unit, lunar_date_mismatch,
    /// missing_title, missing_number, missing_date.
    pub kind: String,
    pub message: String,
    pub span: Span,
}

/// One document found in the text.
#[derive(Debug, Clone, Serialize)]
pub struct ParsedDocument {
    /// Canonical 文号 (`同政办规发〔2023〕7号`), when found.
    pub number: Option<String>,
    /// As written (`同政办规发〔 2023〕 7 号`).
    pub number_raw: Option<String>,
    pub title: Option<String>,
    pub title_source: TitleSource,
    pub issuers: Vec<UnitRef>,
    /// Date of the signature block.
    pub date: Option<NaiveDate>,
    /// （此件公开发布）
    pub public: bool,
    pub kind: ParsedKind,
    /// The document's whole extent in the input.
    pub span: Span,
    pub clauses: Vec<ParsedClause>,
    pub articles: Vec<Article>,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    pub deadlines: Vec<DeadlineRef>,
    pub caps: Vec<Quantity>,
    pub targets: Vec<Quantity>,
    pub anomalies: Vec<Anomaly>,
}
