//! 指标 as the app runs them: every target with its status on the day, an indicator's series
//! with its entries, a value entered by the responsible unit for a period, and the supervision
//! office's acceptance.
//!
//! Decisions written down:
//! - Whoever may see the supervision ledger sees the indicators; only the responsible unit
//!   enters its indicator's values; the supervision office accepts or returns them.
//! - A value is for the period of the indicator's entry cadence that contains the day given
//!   (`2023-11` or `2023-11-30`: 2023年11月); a period that has not begun is refused.
//! - Percentages lie in 0–100; counts, areas, concentrations and money are not negative.
//! - A value more than half again or less than half of the previous period's asks to be
//!   confirmed (a typing slip is the usual cause); it is kept, with the confirmation, once
//!   confirmed.
//! - The status uses the latest value not returned of a period that began by the target's date
//!   (a 2024 value does not decide a target “到2023年底”); a returned value is shown but not
//!   counted.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_calendar::{PeriodInstance, PeriodType};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::indicators::{Assessment, Reading, Target, Value, assess, ratio_percent};
use tongxin_domain::{FieldError, Permission};
use tongxin_policy::indicators::Indicator;
use tongxin_store::{IndicatorValueRow, StoreError, Tx};

use crate::sheets::{self, read_sheet};
use crate::supervision::UnitRef;
use crate::{Actor, App, AppError};

const NOTE_MAX: usize = 500;

/// An indicator in the overview.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSummary {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// 不高于34μg/m³
    pub target_text: String,
    pub deadline: chrono::NaiveDate,
    /// 同党办综〔2023〕55号 一、（一）
    pub citation: String,
    pub responsible: UnitRef,
    pub period_label: &'static str,
    /// The latest value counted, its period and day.
    pub latest: Option<String>,
    pub latest_period: Option<String>,
    pub status: tongxin_domain::indicators::Status,
    pub status_label: &'static str,
    pub colour: &'static str,
    pub reason: String,
}

/// One value as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub id: i64,
    /// 2023年11月
    pub period: String,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub value: String,
    /// 比率指标: `45,000 / 50,000 吨`.
    pub ratio: Option<String>,
    pub note: String,
    pub entered_by: String,
    pub entered_at: String,
    /// entered | accepted | returned
    pub review: String,
    pub review_note: String,
    pub version: i64,
    /// 佐证材料.
    pub attachments: Vec<crate::attachments::AttachmentView>,
}

/// An indicator with its entries, and what the viewer may do.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    #[serde(flatten)]
    pub summary: IndicatorSummary,
    pub direction: tongxin_domain::indicators::Direction,
    pub measure: tongxin_domain::indicators::Measure,
    /// The target value, as a number for charts.
    pub target: String,
    /// 比率指标: what the rate is the ratio of.
    pub ratio: Option<tongxin_policy::indicators::Ratio>,
    pub entries: Vec<EntryView>,
    pub may_enter: bool,
    pub may_review: bool,
}

/// A value as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ValueInput {
    /// A day of the period, or `YYYY-MM`.
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub value: String,
    /// 比率指标: the numerator and denominator (the value is computed from them).
    #[serde(default)]
    pub numerator: String,
    #[serde(default)]
    pub denominator: String,
    #[serde(default)]
    pub note: String,
    /// The entry far from the previous one is meant.
    #[serde(default)]
    pub confirm: bool,
}

/// A review as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ValueReviewInput {
    /// accept | return
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    pub version: i64,
}

/// A typed value that passed the indicator's rules.
struct Checked {
    period: PeriodInstance,
    value: Value,
    numerator: Option<Value>,
    denominator: Option<Value>,
    note: String,
}

/// One row of an import, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct ImportLine {
    /// The row's number in the file.
    pub line: usize,
    pub period: String,
    pub value: String,
    /// 导入 | 更新 | 失败
    pub outcome: &'static str,
    /// Why the row failed.
    pub message: String,
}

/// 导入结果: every data row with its outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub updated: usize,
    pub failed: usize,
    pub lines: Vec<ImportLine>,
}

/// A value more than half again or less than half of the last earlier period's counted value:
/// the message asking to check it.
fn far_from_previous(ind: &Indicator, rows: &[IndicatorValueRow], c: &Checked) -> Option<String> {
    let prev = rows
        .iter()
        .rev()
        .find(|r| r.period_start < c.period.start() && r.review != "returned")?;
    let v = c.value.0;
    (prev.value != 0 && (v * 2 < prev.value || v * 2 > prev.value * 3)).then(|| {
        format!(
            "{}与上期（{}，{}）相差较大，请核对",
            c.value,
            period_label(ind, prev.period_start),
            Value(prev.value)
        )
    })
}

fn entry_view(ind: &Indicator, v: &IndicatorValueRow) -> EntryView {
    EntryView {
        id: v.id,
        period: period_label(ind, v.period_start),
        period_start: v.period_start,
        period_end: v.period_end,
        value: Value(v.value).to_string(),
        ratio: match (&ind.ratio, v.numerator, v.denominator) {
            (Some(r), Some(n), Some(d)) => Some(format!("{} / {} {}", Value(n), Value(d), r.unit)),
            _ => None,
        },
        note: v.note.clone(),
        entered_by: v.entered_by.clone(),
        entered_at: v.entered_at.clone(),
        review: v.review.clone(),
        review_note: v.review_note.clone(),
        version: v.version,
        attachments: Vec::new(),
    }
}

fn period_label(ind: &Indicator, start: chrono::NaiveDate) -> String {
    ind.period
        .period_type()
        .map(|k| k.containing(start).label())
        .unwrap_or_else(|| start.to_string())
}

impl App {
    fn indicator_def(&self, code: &str) -> Result<&Indicator, AppError> {
        self.pack
            .indicators
            .iter()
            .find(|i| i.code == code)
            .ok_or_else(|| AppError::NotFound {
                what: format!("指标“{code}”"),
            })
    }

    /// The summary from an indicator's values (oldest first): the latest counted value is
    /// shown; the status is judged on the latest counted value of a period that began by the
    /// target's date — a value for a later period does not decide a target already due.
    fn indicator_summary(&self, ind: &Indicator, rows: &[&IndicatorValueRow]) -> IndicatorSummary {
        let counted = || rows.iter().rev().filter(|v| v.review != "returned");
        let latest = counted().next().copied();
        let judged = counted().find(|v| v.period_start <= ind.deadline).copied();
        let today = self.clock.today();
        let target = Target {
            direction: ind.direction,
            value: ind.target,
            measure: ind.measure,
            start: ind.starts,
            deadline: ind.deadline,
            baseline: None,
        };
        let Assessment { status, reason } = assess(
            &target,
            judged.map(|v| Reading {
                on: v.period_end,
                value: Value(v.value),
            }),
            today,
        );
        IndicatorSummary {
            code: ind.code.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            target_text: format!("{}{}{}", ind.direction.label(), ind.target, ind.unit),
            deadline: ind.deadline,
            citation: ind.citation.to_string(),
            responsible: self.unit_ref(&ind.responsible.0),
            period_label: ind.period.label(),
            latest: latest.map(|v| format!("{}{}", Value(v.value), ind.unit)),
            latest_period: latest.map(|v| period_label(ind, v.period_start)),
            status,
            status_label: status.label(),
            colour: status.colour(),
            reason: match (latest, judged) {
                (Some(l), Some(j)) if l.id != j.id => format!(
                    "按期限内各期判断（{}之后的数值不计）：{reason}",
                    ind.deadline
                ),
                _ => reason,
            },
        }
    }

    /// 指标总览: every target with its status on the day.
    pub async fn list_indicators(&self, actor: &Actor) -> Result<Vec<IndicatorSummary>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看指标")?;
        let all = self.store.all_indicator_values().await?;
        Ok(self
            .pack
            .indicators
            .iter()
            .map(|ind| {
                let rows: Vec<&IndicatorValueRow> =
                    all.iter().filter(|v| v.code == ind.code).collect();
                self.indicator_summary(ind, &rows)
            })
            .collect())
    }

    /// One indicator with its entries.
    pub async fn indicator_view(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<IndicatorView, AppError> {
        self.require(actor, Permission::ViewTasks, "查看指标")?;
        let ind = self.indicator_def(code)?;
        let rows = self.store.indicator_values(code).await?;
        Ok(IndicatorView {
            summary: self.indicator_summary(ind, &rows.iter().collect::<Vec<_>>()),
            direction: ind.direction,
            measure: ind.measure,
            target: ind.target.to_string(),
            ratio: ind.ratio.clone(),
            entries: {
                let ids: Vec<i64> = rows.iter().map(|v| v.id).collect();
                let mut files = self.attachments_by_owner("ind_value", &ids).await?;
                rows.iter()
                    .map(|v| EntryView {
                        attachments: files.remove(&v.id).unwrap_or_default(),
                        ..entry_view(ind, v)
                    })
                    .collect()
            },
            may_enter: actor.unit == ind.responsible,
            may_review: actor.role.permits(Permission::Supervise),
        })
    }

    /// Checks a typed value against the indicator's rules, without the history.
    fn check_value(
        &self,
        ind: &Indicator,
        input: &ValueInput,
        today: chrono::NaiveDate,
    ) -> Result<Checked, Vec<FieldError>> {
        let mut errors = Vec::new();
        let typed = input.period.trim();
        let period = match ind.period.period_type().and_then(|k| k.parse(typed)) {
            Some(p) if p.start() > today => {
                errors.push(FieldError::new(
                    "period",
                    format!("{}尚未开始，不能填报", p.label()),
                ));
                None
            }
            Some(p) if p.end() < ind.starts => {
                errors.push(FieldError::new(
                    "period",
                    format!("指标自{}起填报，{}在此之前", ind.starts, p.label()),
                ));
                None
            }
            Some(p) => Some(p),
            None => {
                let (what, example) = match ind.period.period_type() {
                    Some(PeriodType::Dekad) => ("旬", "2023-11-30或2023年11月下旬"),
                    Some(PeriodType::Quarter) => ("季度", "2023-11-30或2023年第四季度"),
                    Some(PeriodType::Year) => ("年度", "2023-11-30或2023年"),
                    _ => ("月份", "2023-11-30或2023-11"),
                };
                errors.push(FieldError::new(
                    "period",
                    format!("“填报期”“{typed}”无法识别为{what}：请填该期任一日或{example}"),
                ));
                None
            }
        };
        let amount =
            |field: &'static str, label: &str, text: &str, errors: &mut Vec<FieldError>| {
                match Value::parse(text) {
                    Ok(v) if v.0 < 0 => {
                        errors.push(FieldError::new(field, format!("“{label}”不能为负数")));
                        None
                    }
                    Ok(v) => Some(v),
                    Err(e) => {
                        errors.push(FieldError::new(field, format!("“{label}”{}", e.0)));
                        None
                    }
                }
            };
        let (value, numerator, denominator) = match &ind.ratio {
            Some(r) => {
                let n = amount("numerator", &r.numerator, &input.numerator, &mut errors);
                let d = amount(
                    "denominator",
                    &r.denominator,
                    &input.denominator,
                    &mut errors,
                );
                match (n, d) {
                    (Some(_), Some(d)) if d.0 == 0 => {
                        errors.push(FieldError::new(
                            "denominator",
                            format!("“{}”为0，无法计算{}", r.denominator, ind.name),
                        ));
                        (None, None, None)
                    }
                    (Some(n), Some(d)) if n > d => {
                        errors.push(FieldError::new(
                            "numerator",
                            format!(
                                "“{}”（{n}{}）不能大于“{}”（{d}{}）",
                                r.numerator, r.unit, r.denominator, r.unit
                            ),
                        ));
                        (None, None, None)
                    }
                    (Some(n), Some(d)) => (ratio_percent(n, d), Some(n), Some(d)),
                    _ => (None, None, None),
                }
            }
            None => {
                let v = amount("value", &ind.name, &input.value, &mut errors);
                if let Some(v) = v
                    && ind.unit == "%"
                    && v > Value::from_int(100)
                {
                    errors.push(FieldError::new(
                        "value",
                        format!("“{}”是百分比，须在0至100之间", ind.name),
                    ));
                }
                (v, None, None)
            }
        };
        let note = input.note.trim();
        if note.chars().count() > NOTE_MAX {
            errors.push(FieldError::new(
                "note",
                format!("“说明”不能超过{NOTE_MAX}个字"),
            ));
        }
        match (period, value) {
            (Some(period), Some(value)) if errors.is_empty() => Ok(Checked {
                period,
                value,
                numerator,
                denominator,
                note: note.to_owned(),
            }),
            _ => Err(errors),
        }
    }

    /// Writes a checked value (new, or a correction of one not yet accepted) with its audit
    /// entry, inside `tx`.
    async fn write_value(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        code: &str,
        c: &Checked,
        existing: Option<&IndicatorValueRow>,
        how: serde_json::Value,
    ) -> Result<IndicatorValueRow, AppError> {
        let now = self.clock.now();
        let mut row = IndicatorValueRow {
            id: 0,
            code: code.to_owned(),
            period_start: c.period.start(),
            period_end: c.period.end(),
            value: c.value.0,
            numerator: c.numerator.map(|v| v.0),
            denominator: c.denominator.map(|v| v.0),
            note: c.note.clone(),
            unit_id: actor.unit.0.clone(),
            entered_by: actor.username.clone(),
            entered_at: tongxin_store::format_ts(now),
            review: "entered".into(),
            review_note: String::new(),
            reviewed_by: String::new(),
            reviewed_at: String::new(),
            version: 0,
        };
        match existing {
            Some(r) if r.review == "accepted" => {
                return Err(AppError::Conflict(format!(
                    "{}的数值已审核通过（{}），不能修改",
                    c.period.label(),
                    Value(r.value)
                )));
            }
            Some(r) => {
                row.id = r.id;
                row.version = r.version;
                tx.reenter_indicator_value(&row, now)
                    .await
                    .map_err(|e| match e {
                        StoreError::StaleVersion => {
                            AppError::Conflict("该期数值已被他人修改或审核，请刷新后再试".into())
                        }
                        e => e.into(),
                    })?;
                row.version += 1;
            }
            None => {
                row.id = tx
                    .insert_indicator_value(&row, now)
                    .await
                    .map_err(|e| match e {
                        StoreError::Conflict { .. } => {
                            AppError::Conflict("该期数值刚被填报，请刷新后查看".into())
                        }
                        e => e.into(),
                    })?;
            }
        }
        let mut detail = how;
        detail["period"] = json!(c.period.start());
        detail["value"] = json!(c.value.to_string());
        detail["before"] = json!(existing.map(|r| Value(r.value).to_string()));
        if let (Some(n), Some(d)) = (c.numerator, c.denominator) {
            detail["numerator"] = json!(n.to_string());
            detail["denominator"] = json!(d.to_string());
        }
        self.audit(
            tx,
            &actor.audit(),
            if existing.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            &format!("ind_value:{}", row.id),
            detail,
        )
        .await?;
        Ok(row)
    }

    /// A value the actor may see.
    pub async fn indicator_value(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<IndicatorValueRow, AppError> {
        self.require(actor, Permission::ViewTasks, "查看指标")?;
        self.store
            .indicator_value(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("指标数据{id}"),
            })
    }

    fn responsible_only(&self, actor: &Actor, ind: &Indicator) -> Result<(), AppError> {
        self.require(actor, Permission::ViewTasks, "填报指标")?;
        if actor.unit != ind.responsible {
            return Err(AppError::Conflict(format!(
                "“{}”由{}填报",
                ind.name,
                self.unit_ref(&ind.responsible.0).name
            )));
        }
        Ok(())
    }

    /// 填报: the responsible unit enters (or, until accepted, corrects) a period's value.
    pub async fn enter_indicator_value(
        &self,
        actor: &Actor,
        code: &str,
        input: &ValueInput,
    ) -> Result<EntryView, AppError> {
        let ind = self.indicator_def(code)?;
        self.responsible_only(actor, ind)?;
        let c = self
            .check_value(ind, input, self.clock.today())
            .map_err(AppError::Validation)?;
        let rows = self.store.indicator_values(code).await?;
        if !input.confirm
            && let Some(message) = far_from_previous(ind, &rows, &c)
        {
            return Err(AppError::Validation(vec![FieldError::new(
                "confirm",
                format!("{message}；确认无误请勾选“确认数值”后再提交"),
            )]));
        }
        let existing = rows.iter().find(|r| r.period_start == c.period.start());
        let mut tx = self.store.begin().await?;
        let row = self
            .write_value(
                &mut tx,
                actor,
                code,
                &c,
                existing,
                json!({ "code": code, "confirmed": input.confirm }),
            )
            .await?;
        tx.commit().await?;
        Ok(entry_view(ind, &row))
    }

    /// 导入: the responsible unit imports a spreadsheet of values (a row per period), each row
    /// checked as if typed. The good rows are kept, in one transaction, each audited; the
    /// others are reported with their row number and reason. A value far from the previous
    /// period's is imported only when `confirm_far` says the figures were checked.
    pub async fn import_indicator_values(
        &self,
        actor: &Actor,
        code: &str,
        filename: &str,
        bytes: &[u8],
        confirm_far: bool,
    ) -> Result<ImportReport, AppError> {
        let ind = self.indicator_def(code)?;
        self.responsible_only(actor, ind)?;
        let rows = read_sheet(filename, bytes).map_err(|e| AppError::field("file", e.0))?;
        let mut fields: Vec<&[&str]> = vec![
            &[
                "填报期",
                "月份",
                "期间",
                "日期",
                "时间",
                "旬",
                "季度",
                "年度",
                "年份",
                "统计期",
            ],
            &["数值", "值", "指标值", "本期值", "监测值", "浓度"],
            &["说明", "备注"],
        ];
        let name_alias: [&str; 1] = [ind.name.as_str()];
        if ind.ratio.is_none() {
            fields.push(&name_alias);
        }
        let (ratio_n, ratio_d): ([&str; 2], [&str; 2]) = match &ind.ratio {
            Some(r) => (
                [r.numerator.as_str(), "分子"],
                [r.denominator.as_str(), "分母"],
            ),
            None => (["分子", "分子"], ["分母", "分母"]),
        };
        fields.push(&ratio_n);
        fields.push(&ratio_d);
        let (ni, di) = (fields.len() - 2, fields.len() - 1);
        let required: Vec<usize> = if ind.ratio.is_some() {
            vec![0, ni, di]
        } else {
            vec![0]
        };
        let (cols, data) =
            sheets::header(&rows, &fields, &required).map_err(|e| AppError::field("file", e.0))?;
        // The value's column: named 数值 or after the indicator; else the one column left
        // beside the period and the note (`月份 | PM2.5浓度 | 备注`).
        let header_row = rows.len() - data.len() - 1;
        let value_col = cols.get(1).or_else(|| cols.get(3)).or_else(|| {
            let taken = [cols.get(0), cols.get(2)];
            let others: Vec<usize> = (0..rows[header_row].cells.len())
                .filter(|i| !taken.contains(&Some(*i)) && !rows[header_row].cell(*i).is_empty())
                .collect();
            (others.len() == 1).then(|| others[0])
        });
        if ind.ratio.is_none() && value_col.is_none() {
            return Err(AppError::field(
                "file",
                format!(
                    "找不到数值列：表头须有“数值”或“{}”列，或除填报期、说明外只有一列",
                    ind.name
                ),
            ));
        }
        let value_col = value_col.filter(|_| ind.ratio.is_none());
        let today = self.clock.today();
        let mut history = self.store.indicator_values(code).await?;
        let mut report = ImportReport::default();
        let mut seen: std::collections::HashMap<chrono::NaiveDate, usize> = Default::default();
        let mut tx = self.store.begin().await?;
        for r in data {
            let input = ValueInput {
                period: cols.cell(r, 0).to_owned(),
                value: value_col.map(|c| r.cell(c).to_owned()).unwrap_or_default(),
                numerator: cols.cell(r, ni).to_owned(),
                denominator: cols.cell(r, di).to_owned(),
                note: cols.cell(r, 2).to_owned(),
                confirm: confirm_far,
            };
            let mut line = ImportLine {
                line: r.line,
                period: input.period.clone(),
                value: if ind.ratio.is_some() {
                    format!("{} / {}", input.numerator, input.denominator)
                } else {
                    input.value.clone()
                },
                outcome: "失败",
                message: String::new(),
            };
            let outcome = match self.check_value(ind, &input, today) {
                Err(es) => Err(es
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("；")),
                Ok(c) => {
                    if let Some(first) = seen.get(&c.period.start()) {
                        Err(format!("与第{first}行同为{}", c.period.label()))
                    } else if let Some(m) = (!confirm_far)
                        .then(|| far_from_previous(ind, &history, &c))
                        .flatten()
                    {
                        Err(format!(
                            "{m}；核对无误后勾选“数值已核对”重新导入，或在页面逐条填报"
                        ))
                    } else {
                        seen.insert(c.period.start(), r.line);
                        let existing = history
                            .iter()
                            .position(|h| h.period_start == c.period.start());
                        let how = json!({ "code": code, "confirmed": confirm_far, "import": filename, "line": r.line });
                        match self
                            .write_value(
                                &mut tx,
                                actor,
                                code,
                                &c,
                                existing.map(|i| &history[i]),
                                how,
                            )
                            .await
                        {
                            Ok(row) => {
                                line.period = c.period.label();
                                line.value = c.value.to_string();
                                if let Some(i) = existing {
                                    history[i] = row;
                                    Ok("更新")
                                } else {
                                    let at = history
                                        .partition_point(|h| h.period_start < row.period_start);
                                    history.insert(at, row);
                                    Ok("导入")
                                }
                            }
                            Err(AppError::Conflict(m)) => Err(m),
                            Err(e) => return Err(e),
                        }
                    }
                }
            };
            match outcome {
                Ok(o) => {
                    line.outcome = o;
                    if o == "更新" {
                        report.updated += 1;
                    } else {
                        report.imported += 1;
                    }
                }
                Err(m) => {
                    report.failed += 1;
                    line.message = m;
                }
            }
            report.lines.push(line);
        }
        if report.lines.is_empty() {
            return Err(AppError::field("file", "表头以下没有数据行"));
        }
        tx.commit().await?;
        Ok(report)
    }

    /// 审核: the supervision office accepts a value, or returns it with a comment.
    pub async fn review_indicator_value(
        &self,
        actor: &Actor,
        id: i64,
        input: &ValueReviewInput,
    ) -> Result<(), AppError> {
        self.require(actor, Permission::Supervise, "审核指标数据")?;
        let row = self
            .store
            .indicator_value(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("指标数据{id}"),
            })?;
        let review = match input.decision.as_str() {
            "accept" | "通过" => "accepted",
            "return" | "退回" => "returned",
            _ => return Err(AppError::field("decision", "审核结论须为通过或退回")),
        };
        let comment = input.comment.trim();
        if review == "returned" && comment.is_empty() {
            return Err(AppError::field("comment", "退回须写明原因"));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.review_indicator_value(id, input.version, review, comment, &actor.username, now)
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => {
                    AppError::Conflict("该期数值已被修改或审核，请刷新后再试".into())
                }
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("ind_value:{id}"),
            json!({ "code": row.code, "period": row.period_start, "review": review }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
