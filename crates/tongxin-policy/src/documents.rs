//! Loads `documents/*.toml` and `rules.toml` into a [`Corpus`], checking every citation,
//! quote, issuer and validity window. Errors name the file and the key.

use chrono::NaiveDate;
use serde::Deserialize;
use tongxin_domain::policy::{
    Clause, Corpus, CorpusError, DatedValue, DocKind, Document, Parameter, RuleException, RuleValue,
};
use tongxin_domain::{Citation, Directory, DocNumber};

use crate::PackError;

/// TOML dates (`2023-12-28`) arrive as `toml::value::Datetime`, not as strings.
pub(crate) fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let dt = toml::value::Datetime::deserialize(d)?;
    match (dt.date, dt.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| serde::de::Error::custom(format!("日期“{dt}”无效"))),
        _ => Err(serde::de::Error::custom(format!(
            "“{dt}”应为日期（YYYY-MM-DD），不带时间"
        ))),
    }
}

pub(crate) fn de_opt_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDate>, D::Error> {
    de_date(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
    number: String,
    title: String,
    issuers: Vec<String>,
    #[serde(deserialize_with = "de_date")]
    issued: NaiveDate,
    #[serde(deserialize_with = "de_date")]
    effective_from: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    trial: bool,
    #[serde(default, deserialize_with = "de_opt_date")]
    trial_until: Option<NaiveDate>,
    validity_clause: Option<String>,
    #[serde(default)]
    repeals: Vec<String>,
    public: bool,
    kind: String,
    source: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    clause: Vec<ClauseRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseRow {
    id: String,
    #[serde(default)]
    parent: String,
    label: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    parameter: Vec<ParameterRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterRow {
    key: String,
    label: String,
    unit: String,
    kind: String,
    agrees_with: Option<String>,
    #[serde(default)]
    value: Vec<ValueRow>,
    #[serde(default)]
    exception: Vec<ExceptionRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueRow {
    #[serde(deserialize_with = "de_date")]
    from: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    until: Option<NaiveDate>,
    value: toml::Value,
    citation: String,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionRow {
    name: String,
    description: String,
    citation: String,
    quote: String,
}

const UNITS: [&str; 16] = [
    "m2", "m", "wan_yuan", "yi_yuan", "workdays", "days", "months", "years", "storeys", "percent",
    "mu", "ug_m3", "count", "ratio", "per_week", "date",
];
const KINDS: [&str; 8] = [
    "cap",
    "floor",
    "threshold",
    "period",
    "deadline",
    "target",
    "ratio",
    "count",
];

/// One document file: its path (for messages), its text, and the source texts it may name.
pub struct DocumentSource<'a> {
    pub file: &'a str,
    pub toml: &'a str,
}

fn invalid(file: &str, key: impl Into<String>, message: impl Into<String>) -> PackError {
    PackError::Invalid {
        file: file.to_owned(),
        key: key.into(),
        message: message.into(),
    }
}

/// Parses one document file. `source_text` finds the text of the file's `source` path.
pub fn load_document(
    src: &DocumentSource<'_>,
    directory: &Directory,
    source_text: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<Document, PackError> {
    let file = src.file;
    let f: DocumentFile = toml::from_str(src.toml).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let number: DocNumber = f
        .number
        .parse()
        .map_err(|e: tongxin_domain::FieldError| invalid(file, "number", e.message))?;
    let kind = match f.kind.as_str() {
        "办法" => DocKind::Measures,
        "方案" => DocKind::Plan,
        "制度" => DocKind::System,
        other => {
            return Err(invalid(
                file,
                "kind",
                format!("文件种类“{other}”不认识，应为 办法、方案 或 制度"),
            ));
        }
    };
    for (i, issuer) in f.issuers.iter().enumerate() {
        if directory.resolve_unit(issuer).is_none() {
            return Err(invalid(
                file,
                format!("issuers[{i}]"),
                format!("发文单位“{issuer}”不在组织机构目录中"),
            ));
        }
    }
    let mut repeals = Vec::new();
    for (i, r) in f.repeals.iter().enumerate() {
        repeals.push(r.parse().map_err(|e: tongxin_domain::FieldError| {
            invalid(file, format!("repeals[{i}]"), e.message)
        })?);
    }
    if f.trial_until.is_some() && !f.trial {
        return Err(invalid(
            file,
            "trial_until",
            "给出了试行截止日，但 trial = false",
        ));
    }
    if let Some(u) = f.valid_until.or(f.trial_until)
        && u < f.effective_from
    {
        return Err(invalid(file, "valid_until", "截止日早于施行日"));
    }
    let source_text = source_text(&f.source).ok_or_else(|| {
        invalid(
            file,
            "source",
            format!("原文文件“{}”不在政策包中", f.source),
        )
    })?;
    let clauses: Vec<Clause> = f
        .clause
        .into_iter()
        .map(|c| Clause {
            id: c.id,
            parent: (!c.parent.is_empty()).then_some(c.parent),
            label: c.label,
            title: c.title,
            text: c.text,
            depth: 0,
        })
        .collect();
    if let Some(v) = &f.validity_clause
        && !clauses.iter().any(|c| &c.id == v)
    {
        return Err(invalid(file, "validity_clause", format!("条款“{v}”不存在")));
    }
    Ok(Document {
        number,
        title: f.title,
        issuers: f.issuers,
        issued: f.issued,
        effective_from: f.effective_from,
        valid_until: f.valid_until,
        trial: f.trial,
        trial_until: f.trial_until,
        validity_clause: f.validity_clause,
        repeals,
        public: f.public,
        kind,
        source_text: source_text.to_owned(),
        note: f.note,
        clauses,
        renewals: Vec::new(),
    })
}

fn citation(file: &str, key: &str, s: &str) -> Result<Citation, PackError> {
    s.parse()
        .map_err(|e: tongxin_domain::FieldError| invalid(file, key, e.message))
}

/// Parses the rules file.
pub fn load_parameters(file: &str, text: &str) -> Result<Vec<Parameter>, PackError> {
    let f: RulesFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(f.parameter.len());
    for p in f.parameter {
        let k = |what: &str| format!("parameter (key = \"{}\"){what}", p.key);
        if !UNITS.contains(&p.unit.as_str()) {
            return Err(invalid(
                file,
                k(".unit"),
                format!("单位“{}”不认识；可用：{}", p.unit, UNITS.join(", ")),
            ));
        }
        if !KINDS.contains(&p.kind.as_str()) {
            return Err(invalid(
                file,
                k(".kind"),
                format!("类别“{}”不认识；可用：{}", p.kind, KINDS.join(", ")),
            ));
        }
        let mut values = Vec::new();
        for (i, v) in p.value.iter().enumerate() {
            let key = k(&format!(".value[{i}]"));
            let value = match &v.value {
                toml::Value::Integer(n) => RuleValue::Number(*n as f64),
                toml::Value::Float(x) => RuleValue::Number(*x),
                toml::Value::String(s) => RuleValue::Text(s.clone()),
                other => {
                    return Err(invalid(
                        file,
                        key,
                        format!("取值须为数字或文本，而不是 {}", other.type_str()),
                    ));
                }
            };
            if v.quote.trim().is_empty() {
                return Err(invalid(file, key, "缺少引文（quote）"));
            }
            values.push(DatedValue {
                from: v.from,
                until: v.until,
                value,
                citation: citation(file, &key, &v.citation)?,
                quote: v.quote.clone(),
            });
        }
        let mut exceptions = Vec::new();
        for (i, e) in p.exception.iter().enumerate() {
            let key = k(&format!(".exception[{i}]"));
            exceptions.push(RuleException {
                name: e.name.clone(),
                description: e.description.clone(),
                citation: citation(file, &key, &e.citation)?,
                quote: e.quote.clone(),
            });
        }
        out.push(Parameter {
            key: p.key,
            label: p.label,
            unit: p.unit,
            kind: p.kind,
            values,
            exceptions,
            agrees_with: p.agrees_with,
        });
    }
    Ok(out)
}

/// Builds the corpus; corpus errors (citations, quotes, windows) name the rules file.
pub fn build_corpus(
    rules_file: &str,
    documents: Vec<Document>,
    parameters: Vec<Parameter>,
) -> Result<Corpus, PackError> {
    let known: Vec<String> = parameters.iter().map(|p| p.key.clone()).collect();
    for p in &parameters {
        if let Some(other) = &p.agrees_with
            && !known.contains(other)
        {
            return Err(invalid(
                rules_file,
                format!("parameter (key = \"{}\").agrees_with", p.key),
                format!("规则“{other}”不存在"),
            ));
        }
    }
    Corpus::new(documents, parameters).map_err(|e| {
        let key = match &e {
            CorpusError::DuplicateDocument(n) => format!("document {n}"),
            CorpusError::DuplicateClause { doc, clause }
            | CorpusError::UnknownParentClause { doc, clause, .. } => {
                format!("{doc} clause {clause}")
            }
            CorpusError::UnknownDocument { key, .. }
            | CorpusError::UnknownClause { key, .. }
            | CorpusError::QuoteNotInClause { key, .. }
            | CorpusError::OverlappingWindows { key, .. }
            | CorpusError::DuplicateRule { key }
            | CorpusError::NoValues { key } => format!("parameter (key = \"{key}\")"),
        };
        invalid(rules_file, key, e.to_string())
    })
}
