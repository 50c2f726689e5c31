//! Loads `indicators.toml`: the numeric targets the documents set, each pointing at the dated
//! parameter of `rules.toml` that holds its value, date and clause, with what the county adds
//! (direction, level or cumulative, the period values are entered by, the responsible unit).
//!
//! Refused at load, naming the file and the indicator's code: a duplicate code, a parameter
//! that does not exist or is not a number, a direction that contradicts the parameter's kind
//! (a cap is at most, a floor at least), an unknown direction, measure or period, a
//! responsible name that is not one unit, a start after the target's date, and a rate whose
//! numerator, denominator and their unit are not all given (or whose unit is not %).

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;
use tongxin_domain::directory::{Directory, Resolved};
use tongxin_domain::indicators::{Direction, Measure, Value};
use tongxin_domain::policy::{Corpus, RuleValue};
use tongxin_domain::supervision::Cadence;
use tongxin_domain::{Citation, UnitId};

use crate::documents::de_date;
use crate::units::PackError;

/// An indicator, validated, with its target as the parameter states it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// `d2.air.pm25`
    pub code: String,
    /// The rules.toml key holding the target (`campaign.air.pm25_annual_mean`).
    pub parameter: String,
    pub name: String,
    /// As shown (`μg/m³`, `%`, `亩`, `亿元`).
    pub unit: String,
    pub direction: Direction,
    pub measure: Measure,
    /// How often values are entered.
    pub period: Cadence,
    pub responsible: UnitId,
    pub starts: NaiveDate,
    /// The target value, its date and its clause (the parameter's latest dated value).
    pub target: Value,
    pub deadline: NaiveDate,
    pub citation: Citation,
    /// 比率指标: a rate entered as its numerator and denominator.
    pub ratio: Option<Ratio>,
}

/// What a rate is the ratio of (畜禽粪污资源化利用率 = 资源化利用量 ÷ 畜禽粪污产生量).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ratio {
    /// 资源化利用量
    pub numerator: String,
    /// 畜禽粪污产生量
    pub denominator: String,
    /// Their unit (吨, 个).
    pub unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    #[serde(default)]
    indicator: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    code: String,
    parameter: String,
    name: String,
    unit: String,
    direction: String,
    measure: String,
    period: String,
    responsible: String,
    #[serde(deserialize_with = "de_date")]
    starts: NaiveDate,
    #[serde(default)]
    numerator: Option<String>,
    #[serde(default)]
    denominator: Option<String>,
    #[serde(default)]
    ratio_unit: Option<String>,
}

fn direction(s: &str) -> Option<Direction> {
    match s {
        "at_most" => Some(Direction::AtMost),
        "at_least" => Some(Direction::AtLeast),
        "equal" => Some(Direction::Equal),
        _ => None,
    }
}

fn measure(s: &str) -> Option<Measure> {
    match s {
        "level" => Some(Measure::Level),
        "cumulative" => Some(Measure::Cumulative),
        _ => None,
    }
}

/// Loads and checks the indicators against the corpus's parameters and the directory.
pub fn load_indicators(
    file: &str,
    toml_text: &str,
    corpus: &Corpus,
    directory: &Directory,
) -> Result<Vec<Indicator>, PackError> {
    let parsed: IndicatorFile = toml::from_str(toml_text).map_err(|e| PackError::Invalid {
        file: file.to_owned(),
        key: String::new(),
        message: e.to_string(),
    })?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(parsed.indicator.len());
    for r in parsed.indicator {
        let err = |field: &str, message: String| PackError::Invalid {
            file: file.to_owned(),
            key: format!("indicator (code = \"{}\").{field}", r.code),
            message,
        };
        if !seen.insert(r.code.clone()) {
            return Err(err("code", "指标代码重复".into()));
        }
        let p = corpus
            .parameter(&r.parameter)
            .ok_or_else(|| err("parameter", format!("规则“{}”不存在", r.parameter)))?;
        let last = p
            .values
            .last()
            .ok_or_else(|| err("parameter", format!("规则“{}”没有取值", r.parameter)))?;
        let RuleValue::Number(n) = &last.value else {
            return Err(err(
                "parameter",
                format!("规则“{}”的取值不是数值", r.parameter),
            ));
        };
        let target =
            Value::parse(&RuleValue::Number(*n).to_string()).map_err(|e| err("parameter", e.0))?;
        let deadline = last.until.ok_or_else(|| {
            err(
                "parameter",
                format!("规则“{}”没有截止日期，指标无法判断是否到期", r.parameter),
            )
        })?;
        let direction = direction(&r.direction).ok_or_else(|| {
            err(
                "direction",
                format!("“{}”不是 at_most、at_least 或 equal", r.direction),
            )
        })?;
        match (p.kind.as_str(), direction) {
            ("cap", Direction::AtMost) | ("floor", Direction::AtLeast) => {}
            ("cap" | "floor", _) => {
                return Err(err(
                    "direction",
                    format!("规则“{}”是{}，方向须与之一致", r.parameter, p.kind),
                ));
            }
            _ => {}
        }
        let measure = measure(&r.measure).ok_or_else(|| {
            err(
                "measure",
                format!("“{}”不是 level 或 cumulative", r.measure),
            )
        })?;
        let period = Cadence::parse(&r.period)
            .filter(|c| *c != Cadence::Once)
            .ok_or_else(|| {
                err(
                    "period",
                    format!("“{}”不是 dekad、month、quarter 或 year", r.period),
                )
            })?;
        let responsible = match directory.resolve(&r.responsible) {
            Some(Resolved::Unit(u)) => u.id.clone(),
            _ => {
                return Err(err(
                    "responsible",
                    format!("“{}”不是单位名录中的一个单位", r.responsible),
                ));
            }
        };
        if r.starts > deadline {
            return Err(err(
                "starts",
                format!("起始日{}晚于目标日期{deadline}", r.starts),
            ));
        }
        let ratio = match (r.numerator, r.denominator, r.ratio_unit) {
            (None, None, None) => None,
            (Some(numerator), Some(denominator), Some(unit)) => {
                if r.unit != "%" {
                    return Err(err("numerator", "比率指标的单位须为%".into()));
                }
                Some(Ratio {
                    numerator,
                    denominator,
                    unit,
                })
            }
            _ => {
                return Err(err(
                    "numerator",
                    "比率指标须同时写明 numerator、denominator 和 ratio_unit".into(),
                ));
            }
        };
        out.push(Indicator {
            code: r.code,
            parameter: r.parameter,
            name: r.name,
            unit: r.unit,
            direction,
            measure,
            period,
            responsible,
            starts: r.starts,
            target,
            deadline,
            citation: last.citation.clone(),
            ratio,
        });
    }
    Ok(out)
}
