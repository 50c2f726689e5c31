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
//! - The status uses the latest value not returned; a returned value is shown but not counted.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::indicators::{Assessment, Reading, Target, Value, assess};
use tongxin_domain::{FieldError, Permission};
use tongxin_policy::indicators::Indicator;
use tongxin_store::{IndicatorValueRow, StoreError};

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
    pub note: String,
    pub entered_by: String,
    pub entered_at: String,
    /// entered | accepted | returned
    pub review: String,
    pub review_note: String,
    pub version: i64,
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

    fn indicator_summary(
        &self,
        ind: &Indicator,
        latest: Option<&IndicatorValueRow>,
    ) -> IndicatorSummary {
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
            latest.map(|v| Reading {
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
            reason,
        }
    }

    /// 指标总览: every target with its status on the day.
    pub async fn list_indicators(&self, actor: &Actor) -> Result<Vec<IndicatorSummary>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看指标")?;
        let latest = self.store.latest_indicator_values().await?;
        Ok(self
            .pack
            .indicators
            .iter()
            .map(|ind| {
                let l = latest.iter().find(|v| v.code == ind.code);
                self.indicator_summary(ind, l)
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
        let latest = rows.iter().rev().find(|v| v.review != "returned");
        Ok(IndicatorView {
            summary: self.indicator_summary(ind, latest),
            direction: ind.direction,
            measure: ind.measure,
            target: ind.target.to_string(),
            entries: rows
                .iter()
                .map(|v| EntryView {
                    id: v.id,
                    period: period_label(ind, v.period_start),
                    period_start: v.period_start,
                    period_end: v.period_end,
                    value: Value(v.value).to_string(),
                    note: v.note.clone(),
                    entered_by: v.entered_by.clone(),
                    entered_at: v.entered_at.clone(),
                    review: v.review.clone(),
                    review_note: v.review_note.clone(),
                    version: v.version,
                })
                .collect(),
            may_enter: actor.unit == ind.responsible,
            may_review: actor.role.permits(Permission::Supervise),
        })
    }

    /// 填报: the responsible unit enters (or, until accepted, corrects) a period's value.
    pub async fn enter_indicator_value(
        &self,
        actor: &Actor,
        code: &str,
        input: &ValueInput,
    ) -> Result<EntryView, AppError> {
        self.require(actor, Permission::ViewTasks, "填报指标")?;
        let ind = self.indicator_def(code)?;
        if actor.unit != ind.responsible {
            return Err(AppError::Conflict(format!(
                "“{}”由{}填报",
                ind.name,
                self.unit_ref(&ind.responsible.0).name
            )));
        }
        let today = self.clock.today();
        let mut errors = Vec::new();
        let typed = input.period.trim();
        let day = chrono::NaiveDate::parse_from_str(typed, "%Y-%m-%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{typed}-01"), "%Y-%m-%d"))
            .ok();
        let period = match (day, ind.period.period_type()) {
            (Some(d), Some(kind)) => {
                let p = kind.containing(d);
                if p.start() > today {
                    errors.push(FieldError::new(
                        "period",
                        format!("{}尚未开始，不能填报", p.label()),
                    ));
                    None
                } else if p.end() < ind.starts {
                    errors.push(FieldError::new(
                        "period",
                        format!("指标自{}起填报，{}在此之前", ind.starts, p.label()),
                    ));
                    None
                } else {
                    Some(p)
                }
            }
            _ => {
                errors.push(FieldError::new(
                    "period",
                    "“填报期”须为日期或年月，如2023-11-30或2023-11",
                ));
                None
            }
        };
        let value = match Value::parse(&input.value) {
            Ok(v) => {
                let percent = ind.unit == "%";
                if v.0 < 0 {
                    errors.push(FieldError::new(
                        "value",
                        format!("“{}”不能为负数", ind.name),
                    ));
                    None
                } else if percent && v > Value::from_int(100) {
                    errors.push(FieldError::new(
                        "value",
                        format!("“{}”是百分比，须在0至100之间", ind.name),
                    ));
                    None
                } else {
                    Some(v)
                }
            }
            Err(e) => {
                errors.push(FieldError::new("value", format!("数值{}", e.0)));
                None
            }
        };
        let note = input.note.trim();
        if note.chars().count() > NOTE_MAX {
            errors.push(FieldError::new(
                "note",
                format!("“说明”不能超过{NOTE_MAX}个字"),
            ));
        }
        let (Some(p), Some(v), true) = (period, value, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let rows = self.store.indicator_values(code).await?;
        // Far from the previous period's value: confirmed, or asked about.
        if let Some(prev) = rows
            .iter()
            .rev()
            .find(|r| r.period_start < p.start() && r.review != "returned")
            && !input.confirm
            && prev.value != 0
            && (v.0 * 2 < prev.value || v.0 * 2 > prev.value * 3)
        {
            return Err(AppError::Validation(vec![FieldError::new(
                "confirm",
                format!(
                    "{}与上期（{}，{}）相差较大，请核对；确认无误请勾选“确认数值”后再提交",
                    v,
                    period_label(ind, prev.period_start),
                    Value(prev.value)
                ),
            )]));
        }
        let now = self.clock.now();
        let existing = rows.iter().find(|r| r.period_start == p.start()).cloned();
        let mut row = IndicatorValueRow {
            id: 0,
            code: code.to_owned(),
            period_start: p.start(),
            period_end: p.end(),
            value: v.0,
            note: note.to_owned(),
            unit_id: actor.unit.0.clone(),
            entered_by: actor.username.clone(),
            entered_at: tongxin_store::format_ts(now),
            review: "entered".into(),
            review_note: String::new(),
            reviewed_by: String::new(),
            reviewed_at: String::new(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        match &existing {
            Some(r) if r.review == "accepted" => {
                return Err(AppError::Conflict(format!(
                    "{}的数值已审核通过（{}），不能修改",
                    p.label(),
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
        self.audit(
            &mut tx,
            &actor.audit(),
            if existing.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            &format!("ind_value:{}", row.id),
            json!({ "code": code, "period": p.start(), "value": v.to_string(), "before": existing.as_ref().map(|r| Value(r.value).to_string()), "confirmed": input.confirm }),
        )
        .await?;
        tx.commit().await?;
        Ok(EntryView {
            id: row.id,
            period: p.label(),
            period_start: p.start(),
            period_end: p.end(),
            value: v.to_string(),
            note: row.note,
            entered_by: row.entered_by,
            entered_at: row.entered_at,
            review: "entered".into(),
            review_note: String::new(),
            version: row.version,
        })
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
