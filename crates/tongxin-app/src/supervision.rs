//! 督查督办 as the app runs it: the plans published as tasks at first start, tasks listed in
//! each user's scope, each task's report periods with who has reported, reports filed and
//! reviewed, escalation steps, and a task's own status.
//!
//! Decisions written down (the documents are silent):
//! - A period's report is owed by the task's lead unit; each responsible unit may add its own.
//!   Only the lead's report counts towards 逾期 and the score.
//! - Periods are shown from the task's start through the period containing today (or its end):
//!   future periods are not yet owed.
//! - The lead unit reviews the responsible units' reports; the supervision office reviews all.
//!   A return needs a comment; the unit refiles the same period's report.
//! - The lead unit marks a task 已完成; only the supervision office closes it (已销号) or sends
//!   it back to 推进中.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tongxin_domain::access::DataScope;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::supervision::{
    Cadence, DueRule, Escalation, ProblemStatus, ProblemStep, TaskStatus, UnitRecord, Urgency,
    Weights, report_periods, score,
};
use tongxin_domain::validation::char_len;
use tongxin_domain::{FieldError, Permission, UnitId};
use tongxin_store::{
    EscalationRow, ProblemEventRow, ProblemFilter, ProblemRow, ReportRow, StoreError, TaskFilter,
    TaskRow,
};

use crate::users::{PER_PAGE_MAX, Page};
use crate::{Actor, App, AppError, AuditActor};

const BODY_MAX: usize = 5000;
const FIGURES_MAX: usize = 20;
const REASON_MAX: usize = 1000;

/// A unit as shown.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub id: String,
    pub name: String,
}

/// A task in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TaskSummary {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub title: String,
    /// 同党办发〔2023〕49号 四、（一）
    pub source: String,
    pub lead: UnitRef,
    pub responsible: Vec<UnitRef>,
    pub leader: String,
    pub cadence: Cadence,
    pub cadence_label: &'static str,
    pub starts_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub until_on: Option<NaiveDate>,
    pub link_kind: String,
    pub link_ref: String,
    pub place: String,
    /// The status on today: 逾期 when a report the lead owes is past due.
    pub status: TaskStatus,
    pub status_label: &'static str,
    /// The next report the lead owes (the oldest missing one), and its colour.
    pub next_due: Option<NaiveDate>,
    pub colour: &'static str,
    pub version: i64,
}

/// One unit's report for a period.
#[derive(Debug, Clone, Serialize)]
pub struct ReportCell {
    pub unit: UnitRef,
    pub lead: bool,
    /// missing | filed | accepted | returned
    pub state: String,
    pub late: bool,
    pub report_id: Option<i64>,
    pub version: i64,
    pub filed_on: Option<NaiveDate>,
    pub filed_by: String,
    pub body: String,
    pub figures: Map<String, Value>,
    pub review_note: String,
    /// 报送材料.
    pub attachments: Vec<crate::attachments::AttachmentView>,
}

/// A report period of a task.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
    /// The lead's report: green (filed on time, or not yet yellow), yellow, red (missing past
    /// due, or filed late).
    pub colour: &'static str,
    pub reports: Vec<ReportCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationView {
    pub unit: UnitRef,
    pub step: Escalation,
    pub step_label: &'static str,
    pub reason: String,
    pub decided_by: String,
    pub decided_on: NaiveDate,
}

/// A task with its periods, reports and escalations, and what the viewer may do.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    #[serde(flatten)]
    pub summary: TaskSummary,
    pub note: String,
    pub due_rule: String,
    pub periods: Vec<PeriodView>,
    pub escalations: Vec<EscalationView>,
    /// The units the viewer may report for on this task.
    pub may_report_for: Vec<UnitRef>,
    pub may_review: bool,
    pub may_supervise: bool,
    pub may_mark_done: bool,
}

/// 筛选.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub leader: Option<String>,
    /// A document number (同党办发〔2023〕49号).
    #[serde(default)]
    pub doc: Option<String>,
    /// A recorded status code or label.
    #[serde(default)]
    pub status: Option<String>,
    /// One-off tasks due within this many days from today (and not done).
    #[serde(default)]
    pub due_within: Option<i64>,
    #[serde(default)]
    pub link_kind: Option<String>,
    #[serde(default)]
    pub link_ref: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub per_page: Option<i64>,
}

/// A report as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportInput {
    /// The period's first day; empty: the oldest period the unit has not reported.
    #[serde(default)]
    pub period_start: Option<String>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub figures: Map<String, Value>,
}

/// A review as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewInput {
    /// accept | return
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    pub version: i64,
}

/// An escalation as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationInput {
    /// The unit escalated (a name or id of a unit the task binds).
    #[serde(default)]
    pub unit: String,
    /// 催办 / 约谈 / 通报 / 问责 (or the codes).
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub reason: String,
}

/// A plan file's task as it is published.
fn plan_row(t: &tongxin_policy::plans::PlanTask, parent_id: Option<i64>) -> TaskRow {
    TaskRow {
        id: 0,
        seed_key: Some(t.key.clone()),
        parent_id,
        source_doc: t.clause.doc.to_string(),
        source_clause: t.clause.clause.clone(),
        title: t.title.clone(),
        note: t.note.clone(),
        lead_unit: t.lead.0.clone(),
        responsible: t.responsible.iter().map(|u| u.0.clone()).collect(),
        leader: t.leader.clone(),
        cadence: t.cadence.code().into(),
        due_rule: due_rule_code(DueRule::LastWorkday),
        starts_on: t.starts,
        due_on: t.due,
        until_on: t.until,
        link_kind: t.link_kind.clone(),
        link_ref: t.link_ref.clone(),
        place: t.place.clone(),
        status: TaskStatus::NotStarted.code().into(),
        created_by: "system".into(),
        created_at: String::new(),
        updated_at: String::new(),
        version: 0,
        next_due: None,
    }
}

/// The definition fields a revision changes, as `{field: [old, new]}` for the audit trail.
fn definition_changes(old: &TaskRow, new: &TaskRow) -> Map<String, Value> {
    let mut m = Map::new();
    macro_rules! compare {
        ($($field:ident),*) => {$(
            let (a, b) = (json!(old.$field), json!(new.$field));
            if a != b {
                m.insert(stringify!($field).to_owned(), json!([a, b]));
            }
        )*};
    }
    compare!(
        parent_id,
        source_doc,
        source_clause,
        title,
        note,
        lead_unit,
        responsible,
        leader,
        cadence,
        starts_on,
        due_on,
        until_on,
        link_kind,
        link_ref,
        place
    );
    m
}

/// A stale write (someone acted first) told plainly; other store errors pass through.
fn changed(what: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::StaleVersion => AppError::Conflict(format!("{what}，请刷新后再试")),
        e => e.into(),
    }
}

pub(crate) fn due_rule_of(s: &str) -> DueRule {
    s.strip_prefix("after:")
        .and_then(|n| n.parse().ok())
        .map(DueRule::WorkdaysAfterEnd)
        .unwrap_or(DueRule::LastWorkday)
}

fn due_rule_code(r: DueRule) -> String {
    match r {
        DueRule::LastWorkday => "last_workday".into(),
        DueRule::WorkdaysAfterEnd(n) => format!("after:{n}"),
    }
}

impl App {
    /// Publishes the pack's plans as tasks: each key once, parents before children, in one
    /// transaction; and applies a revised plan file to the tasks it published before (计划修订:
    /// the definition — title, clause, units, leader, cadence, dates, link, place — follows
    /// the file; status, reports and problems stay). Returns how many were added.
    pub async fn seed_plans(&self) -> Result<usize, AppError> {
        let stored = self.store.plan_tasks().await?;
        let mut ids: std::collections::HashMap<String, i64> = stored
            .iter()
            .filter_map(|t| Some((t.seed_key.clone()?, t.id)))
            .collect();
        let todo: Vec<_> = self
            .pack
            .plans
            .iter()
            .filter(|t| !ids.contains_key(&t.key))
            .collect();
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut left = todo;
        let mut added = 0;
        while !left.is_empty() {
            let before = left.len();
            let mut next = Vec::new();
            for t in left {
                let parent_id = match &t.parent {
                    None => None,
                    Some(p) => match ids.get(p) {
                        Some(id) => Some(*id),
                        None => {
                            next.push(t);
                            continue;
                        }
                    },
                };
                let row = plan_row(t, parent_id);
                let id = tx.insert_task(&row, now).await?;
                self.keep_owed(&mut tx, &TaskRow { id, ..row }).await?;
                ids.insert(t.key.clone(), id);
                added += 1;
            }
            if next.len() == before {
                return Err(AppError::Internal("计划任务的上级任务形成循环".into()));
            }
            left = next;
        }
        // Revisions: a stored task whose plan entry now says something else.
        let mut revised = Vec::new();
        for old in &stored {
            let Some(plan) = self
                .pack
                .plans
                .iter()
                .find(|p| Some(&p.key) == old.seed_key.as_ref())
            else {
                continue;
            };
            let parent_id = plan.parent.as_ref().and_then(|p| ids.get(p).copied());
            let new = TaskRow {
                id: old.id,
                status: old.status.clone(),
                created_by: old.created_by.clone(),
                version: old.version,
                ..plan_row(plan, parent_id)
            };
            let changes = definition_changes(old, &new);
            if changes.is_empty() {
                continue;
            }
            tx.revise_task(&new, now).await?;
            self.keep_owed(&mut tx, &new).await?;
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::Update,
                &format!("sv_task:{}", old.id),
                json!({ "plan_revision": plan.key, "changed": changes, "policy_version": self.pack.version }),
            )
            .await?;
            revised.push(plan.key.clone());
        }
        if added == 0 && revised.is_empty() {
            return Ok(0);
        }
        if added > 0 {
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::System,
                "supervision:plans",
                json!({ "seeded_tasks": added, "policy_version": self.pack.version }),
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(
            tasks = added,
            revised = revised.len(),
            "督办任务已从文件发布"
        );
        Ok(added)
    }

    pub(crate) fn unit_ref(&self, id: &str) -> UnitRef {
        UnitRef {
            id: id.to_owned(),
            name: self
                .directory()
                .get(id)
                .map(|u| u.short_name.clone())
                .unwrap_or_else(|| id.to_owned()),
        }
    }

    /// The units whose tasks the actor sees: None for all.
    pub(crate) fn task_scope(&self, actor: &Actor) -> Option<Vec<String>> {
        match actor.role.scope() {
            DataScope::All => None,
            DataScope::OwnUnitAndBelow => Some(
                self.directory()
                    .subtree(&actor.unit)
                    .iter()
                    .map(|u| u.id.0.clone())
                    .collect(),
            ),
            DataScope::OwnUnit | DataScope::OwnRecords => Some(vec![actor.unit.0.clone()]),
        }
    }

    pub(crate) fn binds(t: &TaskRow, unit: &str) -> bool {
        t.lead_unit == unit || t.responsible.iter().any(|u| u == unit)
    }

    pub(crate) fn task_in_scope(&self, actor: &Actor, t: &TaskRow) -> bool {
        match self.task_scope(actor) {
            None => true,
            Some(units) => units.iter().any(|u| Self::binds(t, u)),
        }
    }

    pub(crate) async fn visible_task(&self, actor: &Actor, id: i64) -> Result<TaskRow, AppError> {
        self.require(actor, Permission::ViewTasks, "查看督办任务")?;
        let not_found = || AppError::NotFound {
            what: format!("督办任务{id}"),
        };
        let t = self.store.task(id).await?.ok_or_else(not_found)?;
        if !self.task_in_scope(actor, &t) {
            return Err(not_found());
        }
        Ok(t)
    }

    /// The periods a task owes up to `today` (a one-off task: its one period).
    fn periods_of(
        &self,
        t: &TaskRow,
        today: NaiveDate,
    ) -> Result<Vec<(NaiveDate, NaiveDate, NaiveDate)>, AppError> {
        let cadence = Cadence::parse(&t.cadence)
            .ok_or_else(|| AppError::Internal(format!("任务{}的周期“{}”无效", t.id, t.cadence)))?;
        let cal = self.calendar();
        let (from, until) = match cadence {
            Cadence::Once => (t.starts_on, t.due_on.unwrap_or(t.starts_on)),
            _ => {
                let end = t.until_on.map_or(today, |u| u.min(today));
                (t.starts_on, end)
            }
        };
        let ps = report_periods(cadence, due_rule_of(&t.due_rule), from, until, &cal)
            .map_err(|e| AppError::Conflict(format!("任务“{}”的报送期限无法计算：{e}", t.title)))?;
        Ok(ps.into_iter().map(|p| (p.start, p.end, p.due)).collect())
    }

    /// A task as listed; `reported`: whether any unit has filed a report on it.
    pub(crate) fn summary(&self, t: &TaskRow, reported: bool, today: NaiveDate) -> TaskSummary {
        let cadence = Cadence::parse(&t.cadence).unwrap_or(Cadence::Once);
        let recorded = TaskStatus::parse(&t.status).unwrap_or(TaskStatus::NotStarted);
        let done = matches!(recorded, TaskStatus::Done | TaskStatus::Closed);
        // Kept by every filing and status change (see `owed`).
        let next_due = if done { None } else { t.next_due };
        let status = TaskStatus::on(recorded, next_due, reported, today);
        let colour = match next_due {
            None => "green",
            Some(d) => Urgency::on(today, d, &self.calendar())
                .map(Urgency::colour)
                .unwrap_or("grey"),
        };
        TaskSummary {
            id: t.id,
            parent_id: t.parent_id,
            title: t.title.clone(),
            source: format!("{} {}", t.source_doc, t.source_clause)
                .trim()
                .to_owned(),
            lead: self.unit_ref(&t.lead_unit),
            responsible: t.responsible.iter().map(|u| self.unit_ref(u)).collect(),
            leader: t.leader.clone(),
            cadence,
            cadence_label: cadence.label(),
            starts_on: t.starts_on,
            due_on: t.due_on,
            until_on: t.until_on,
            link_kind: t.link_kind.clone(),
            link_ref: t.link_ref.clone(),
            place: t.place.clone(),
            status,
            status_label: status.label(),
            next_due,
            colour: if done { "grey" } else { colour },
            version: t.version,
        }
    }

    /// 督查督办: the tasks in the actor's scope, filtered, a page at a time.
    pub async fn list_tasks(
        &self,
        actor: &Actor,
        q: &TaskQuery,
    ) -> Result<Page<TaskSummary>, AppError> {
        self.tasks_page(actor, q, PER_PAGE_MAX).await
    }

    /// 台账导出: the first `max` tasks the filter selects (one page as large as that).
    pub async fn export_tasks(
        &self,
        actor: &Actor,
        q: &TaskQuery,
        max: i64,
    ) -> Result<Page<TaskSummary>, AppError> {
        let q = TaskQuery {
            page: Some(1),
            per_page: Some(max),
            ..q.clone()
        };
        self.tasks_page(actor, &q, max).await
    }

    async fn tasks_page(
        &self,
        actor: &Actor,
        q: &TaskQuery,
        per_page_max: i64,
    ) -> Result<Page<TaskSummary>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看督办任务")?;
        let mut errors = Vec::new();
        let unit = self.unit_filter("unit", "单位", q.unit.as_deref(), &mut errors);
        let statuses = match q.status.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => match TaskStatus::parse(s) {
                // 逾期 is a state of the day, not recorded: it is looked for among the open.
                Some(TaskStatus::Overdue) => Some(vec!["not_started".into(), "in_progress".into()]),
                Some(st) => Some(vec![st.code().to_owned()]),
                None => {
                    errors.push(FieldError::new(
                        "status",
                        format!("状态“{s}”不存在；可选：未开始、推进中、已完成、逾期、已销号"),
                    ));
                    None
                }
            },
            _ => None,
        };
        let doc = match q.doc.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => match d.parse::<tongxin_domain::DocNumber>() {
                Ok(n) => Some(n.to_string()),
                Err(e) => {
                    errors.push(FieldError::new("doc", e.message));
                    None
                }
            },
            _ => None,
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let today = self.clock.today();
        let per_page = q.per_page.unwrap_or(50).clamp(1, per_page_max);
        let page = q.page.unwrap_or(1).max(1);
        let filter = TaskFilter {
            units: self.task_scope(actor),
            unit,
            leader: q.leader.clone().filter(|l| !l.trim().is_empty()),
            source_doc: doc,
            statuses,
            link: match (&q.link_kind, &q.link_ref) {
                (Some(k), Some(r)) if !k.is_empty() && !r.is_empty() => {
                    Some((k.clone(), r.clone()))
                }
                _ => None,
            },
            due_by: q
                .due_within
                .map(|n| today + chrono::Duration::days(n.clamp(-36_600, 36_600))),
            // 逾期 is a state of the day: the lead's next report was due before today.
            overdue: match q.status.as_deref().and_then(TaskStatus::parse) {
                Some(TaskStatus::Overdue) => Some((today, true)),
                // 未开始 and 推进中 as shown: not overdue on the day.
                Some(TaskStatus::NotStarted | TaskStatus::InProgress) => Some((today, false)),
                _ => None,
            },
            limit: per_page,
            offset: (page - 1) * per_page,
            ..TaskFilter::default()
        };
        let (rows, total) = self.store.list_tasks(&filter).await?;
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        let reported = self.store.tasks_reported(&ids).await?;
        let items = rows
            .iter()
            .map(|t| self.summary(t, reported.contains(&t.id), today))
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// A task with its periods and reports, as the actor may see it.
    pub async fn task_view(&self, actor: &Actor, id: i64) -> Result<TaskView, AppError> {
        let t = self.visible_task(actor, id).await?;
        let today = self.clock.today();
        let reports = self.store.reports_of(&[t.id]).await?;
        let summary = self.summary(&t, !reports.is_empty(), today);
        let report_ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        let files = self.attachments_by_owner("report", &report_ids).await?;
        let cal = self.calendar();
        let mut units: Vec<&str> = vec![t.lead_unit.as_str()];
        units.extend(t.responsible.iter().map(String::as_str));
        let periods = self
            .periods_of(&t, today)?
            .into_iter()
            .rev()
            .map(|(start, end, due)| {
                let cells: Vec<ReportCell> = units
                    .iter()
                    .map(|u| {
                        let r = reports
                            .iter()
                            .find(|r| r.unit_id == *u && r.period_start == start);
                        ReportCell {
                            unit: self.unit_ref(u),
                            lead: *u == t.lead_unit,
                            state: r.map_or("missing".into(), |r| r.review.clone()),
                            late: r.is_some_and(|r| r.filed_on > r.due_on),
                            report_id: r.map(|r| r.id),
                            version: r.map_or(0, |r| r.version),
                            filed_on: r.map(|r| r.filed_on),
                            filed_by: r.map(|r| r.filed_by.clone()).unwrap_or_default(),
                            body: r.map(|r| r.body.clone()).unwrap_or_default(),
                            figures: r
                                .and_then(|r| serde_json::from_str(&r.figures).ok())
                                .unwrap_or_default(),
                            review_note: r.map(|r| r.review_note.clone()).unwrap_or_default(),
                            attachments: r
                                .and_then(|r| files.get(&r.id).cloned())
                                .unwrap_or_default(),
                        }
                    })
                    .collect();
                let lead = &cells[0];
                let colour = match (lead.state.as_str(), lead.late) {
                    (_, true) => "red",
                    ("missing", _) => Urgency::on(today, due, &cal)
                        .map(Urgency::colour)
                        .unwrap_or("grey"),
                    _ => "green",
                };
                PeriodView {
                    start,
                    end,
                    due,
                    colour,
                    reports: cells,
                }
            })
            .collect();
        let escalations = self
            .store
            .escalations_of(t.id)
            .await?
            .into_iter()
            .filter_map(|e| {
                let step = Escalation::parse(&e.step)?;
                Some(EscalationView {
                    unit: self.unit_ref(&e.unit_id),
                    step,
                    step_label: step.label(),
                    reason: e.reason,
                    decided_by: e.decided_by,
                    decided_on: e.decided_on,
                })
            })
            .collect();
        let may_report_for = units
            .iter()
            .filter(|u| **u == actor.unit.0)
            .map(|u| self.unit_ref(u))
            .collect();
        let supervise = actor.role.permits(Permission::Supervise);
        Ok(TaskView {
            note: t.note.clone(),
            due_rule: due_rule_of(&t.due_rule).label(),
            may_review: supervise || actor.unit.0 == t.lead_unit,
            may_supervise: supervise,
            may_mark_done: actor.unit.0 == t.lead_unit,
            summary,
            periods,
            escalations,
            may_report_for,
        })
    }

    /// 报送: the actor's unit files its report for a period of the task (a returned one is
    /// refiled). Refused, naming the field: no text, a period the task does not have or that
    /// has not begun, a second report for a period, a unit the task does not bind.
    pub async fn file_report(
        &self,
        actor: &Actor,
        task_id: i64,
        input: &ReportInput,
    ) -> Result<ReportCell, AppError> {
        let t = self.visible_task(actor, task_id).await?;
        let unit = actor.unit.0.clone();
        // The role may report; this unit is not one the task binds (a conflict with the task,
        // not a missing permission).
        if !Self::binds(&t, &unit) {
            return Err(AppError::Conflict(format!(
                "“{}”只由其牵头单位和责任单位报送进展，{}不在其中",
                t.title,
                self.unit_ref(&unit).name
            )));
        }
        let today = self.clock.today();
        let periods = self.periods_of(&t, today)?;
        let mut errors = Vec::new();
        let body = input.body.trim();
        if body.is_empty() {
            errors.push(FieldError::new("body", "请填写“进展情况”"));
        } else if char_len(body) > BODY_MAX {
            errors.push(FieldError::new(
                "body",
                format!("“进展情况”不能超过{BODY_MAX}个字"),
            ));
        }
        if input.figures.len() > FIGURES_MAX {
            errors.push(FieldError::new(
                "figures",
                format!("“数据”最多{FIGURES_MAX}项"),
            ));
        }
        let mut figures = Map::new();
        for (k, v) in &input.figures {
            let k = k.trim();
            let v = match v {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            if k.is_empty() || char_len(k) > 50 || v.is_empty() || char_len(&v) > 100 {
                errors.push(FieldError::new(
                    "figures",
                    format!("“数据”每项须有名称（50字以内）和数值（100字以内）：“{k}”"),
                ));
            } else {
                figures.insert(k.to_owned(), Value::String(v));
            }
        }
        let filed: Vec<ReportRow> = self
            .store
            .reports_of(&[t.id])
            .await?
            .into_iter()
            .filter(|r| r.unit_id == unit)
            .collect();
        let period = match input
            .period_start
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => match periods.iter().find(|p| p.0 == d) {
                    Some(p) => Some(*p),
                    None => {
                        errors.push(FieldError::new(
                            "period_start",
                            format!("任务没有自{s}起的报送期，或该期尚未开始"),
                        ));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new(
                        "period_start",
                        "“报送期”须为日期，如2024-02-01",
                    ));
                    None
                }
            },
            // The oldest period not reported, or returned.
            None => match periods.iter().find(|p| {
                filed
                    .iter()
                    .find(|r| r.period_start == p.0)
                    .is_none_or(|r| r.review == "returned")
            }) {
                Some(p) => Some(*p),
                None => {
                    errors.push(FieldError::new(
                        "period_start",
                        "本单位已报送全部到期的报送期",
                    ));
                    None
                }
            },
        };
        let (Some((start, end, due)), true) = (period, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        if today < start {
            return Err(AppError::field(
                "period_start",
                format!("报送期自{start}开始，尚未到报送时间"),
            ));
        }
        let now = self.clock.now();
        let existing = filed.iter().find(|r| r.period_start == start).cloned();
        let mut row = ReportRow {
            id: 0,
            task_id: t.id,
            unit_id: unit.clone(),
            period_start: start,
            period_end: end,
            due_on: due,
            filed_on: today,
            filed_at: tongxin_store::format_ts(now),
            filed_by: actor.username.clone(),
            body: body.to_owned(),
            figures: Value::Object(figures).to_string(),
            review: "filed".into(),
            review_note: String::new(),
            reviewed_by: String::new(),
            reviewed_at: String::new(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = match &existing {
            Some(r) if r.review == "returned" => {
                row.id = r.id;
                row.version = r.version;
                tx.refile_report(&row)
                    .await
                    .map_err(changed("该报送已被他人修改"))?;
                r.id
            }
            Some(r) => {
                return Err(AppError::Conflict(format!(
                    "本单位已于{}报送{start}至{end}的进展（{}），不能重复报送",
                    r.filed_on,
                    match r.review.as_str() {
                        "accepted" => "已审核通过",
                        _ => "待审核",
                    }
                )));
            }
            None => tx.insert_report(&row).await.map_err(|e| match e {
                StoreError::Conflict { .. } => {
                    AppError::Conflict("该报送期已有报送，请刷新后查看".into())
                }
                e => e.into(),
            })?,
        };
        self.keep_owed(&mut tx, &t).await?;
        let recorded = TaskStatus::parse(&t.status).unwrap_or(TaskStatus::NotStarted);
        if recorded == TaskStatus::NotStarted {
            // The first report puts the task in progress (a concurrent change is left alone).
            match tx
                .set_task_status(t.id, t.version, TaskStatus::InProgress.code(), now)
                .await
            {
                Ok(()) | Err(StoreError::StaleVersion) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("sv_report:{id}"),
            json!({ "task": t.id, "unit": unit, "period": start, "due": due, "late": today > due }),
        )
        .await?;
        tx.commit().await?;
        Ok(ReportCell {
            unit: self.unit_ref(&unit),
            lead: unit == t.lead_unit,
            state: "filed".into(),
            late: today > due,
            report_id: Some(id),
            version: row.version + i64::from(existing.is_some()),
            filed_on: Some(today),
            filed_by: actor.username.clone(),
            body: row.body,
            figures: serde_json::from_str(&row.figures).unwrap_or_default(),
            review_note: String::new(),
            attachments: Vec::new(),
        })
    }

    /// 审核: the lead unit (for its responsible units' reports) or the supervision office
    /// accepts a report, or returns it with a comment.
    pub async fn review_report(
        &self,
        actor: &Actor,
        report_id: i64,
        input: &ReviewInput,
    ) -> Result<(), AppError> {
        let not_found = || AppError::NotFound {
            what: format!("报送{report_id}"),
        };
        let r = self.store.report(report_id).await?.ok_or_else(not_found)?;
        let t = self
            .visible_task(actor, r.task_id)
            .await
            .map_err(|_| not_found())?;
        let supervise = actor.role.permits(Permission::Supervise);
        let lead = actor.unit.0 == t.lead_unit && r.unit_id != t.lead_unit;
        if !supervise && !lead {
            return Err(AppError::Forbidden {
                action: "审核报送".into(),
                needed: "督查室，或该任务的牵头单位（审核责任单位的报送）".into(),
            });
        }
        let comment = input.comment.trim();
        let review = match input.decision.trim() {
            "accept" | "通过" => "accepted",
            "return" | "退回" => {
                if comment.is_empty() {
                    return Err(AppError::field("comment", "退回须填写“审核意见”"));
                }
                "returned"
            }
            _ => return Err(AppError::field("decision", "请选择“通过”或“退回”")),
        };
        if char_len(comment) > REASON_MAX {
            return Err(AppError::field(
                "comment",
                format!("“审核意见”不能超过{REASON_MAX}个字"),
            ));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.review_report(r.id, input.version, review, comment, &actor.username, now)
            .await
            .map_err(changed("该报送已被他人审核或重新报送"))?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("sv_report:{}", r.id),
            json!({ "task": t.id, "review": review }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 督办: the supervision office records an escalation step against a unit the task binds
    /// (催办 → 约谈 → 通报 → 问责: the same step again or higher, never lower).
    pub async fn escalate(
        &self,
        actor: &Actor,
        task_id: i64,
        input: &EscalationInput,
    ) -> Result<EscalationView, AppError> {
        self.require(actor, Permission::Supervise, "督办")?;
        let t = self.visible_task(actor, task_id).await?;
        let mut errors = Vec::new();
        let unit: Option<UnitId> = match self.resolve_unit_input("unit", &input.unit) {
            Ok(u) if Self::binds(&t, &u.id.0) => Some(u.id),
            Ok(u) => {
                errors.push(FieldError::new(
                    "unit",
                    format!("“{}”不是该任务的牵头或责任单位", u.short_name),
                ));
                None
            }
            Err(e) => {
                errors.push(FieldError::new(
                    "unit",
                    e.message.replace("所属单位", "督办对象"),
                ));
                None
            }
        };
        let step = Escalation::parse(&input.step);
        if step.is_none() {
            errors.push(FieldError::new(
                "step",
                "请选择督办方式：催办、约谈、通报、问责",
            ));
        }
        let reason = input.reason.trim();
        if reason.is_empty() {
            errors.push(FieldError::new("reason", "请填写督办理由"));
        } else if char_len(reason) > REASON_MAX {
            errors.push(FieldError::new(
                "reason",
                format!("“督办理由”不能超过{REASON_MAX}个字"),
            ));
        }
        let (Some(unit), Some(step), true) = (unit, step, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let last = self
            .store
            .escalations_of(t.id)
            .await?
            .iter()
            .rev()
            .find(|e| e.unit_id == unit.0)
            .and_then(|e| Escalation::parse(&e.step));
        if !Escalation::may_follow(step, last) {
            return Err(AppError::field(
                "step",
                format!(
                    "已对该单位{}，不能降为{}（督办逐级递进：催办、约谈、通报、问责）",
                    last.map(Escalation::label).unwrap_or_default(),
                    step.label()
                ),
            ));
        }
        let today = self.clock.today();
        let now = self.clock.now();
        let row = EscalationRow {
            id: 0,
            task_id: t.id,
            unit_id: unit.0.clone(),
            step: step.code().into(),
            reason: reason.to_owned(),
            decided_by: actor.username.clone(),
            decided_on: today,
            decided_at: tongxin_store::format_ts(now),
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_escalation(&row).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("sv_escalation:{id}"),
            json!({ "task": t.id, "unit": unit.0, "step": step.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(EscalationView {
            unit: self.unit_ref(&unit.0),
            step,
            step_label: step.label(),
            reason: row.reason,
            decided_by: row.decided_by,
            decided_on: today,
        })
    }

    /// 任务状态: the lead unit marks its task 已完成; the supervision office closes a completed
    /// task (已销号) or sends it back (推进中).
    pub async fn set_task_status(
        &self,
        actor: &Actor,
        task_id: i64,
        status: &str,
        version: i64,
    ) -> Result<TaskStatus, AppError> {
        let t = self.visible_task(actor, task_id).await?;
        let to = TaskStatus::parse(status)
            .ok_or_else(|| AppError::field("status", "状态须为已完成、已销号或推进中"))?;
        let from = TaskStatus::parse(&t.status).unwrap_or(TaskStatus::NotStarted);
        let supervise = actor.role.permits(Permission::Supervise);
        let allowed = match to {
            TaskStatus::Done => {
                actor.unit.0 == t.lead_unit
                    && !matches!(from, TaskStatus::Done | TaskStatus::Closed)
            }
            TaskStatus::Closed => supervise && from == TaskStatus::Done,
            TaskStatus::InProgress => {
                supervise && matches!(from, TaskStatus::Done | TaskStatus::Closed)
            }
            _ => false,
        };
        if !allowed {
            return Err(AppError::Conflict(format!(
                "任务当前为“{}”，{}不能改为“{}”（牵头单位报完成，督查室核实后销号或退回）",
                from.label(),
                if supervise { "督查室" } else { "本单位" },
                to.label()
            )));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_task_status(t.id, version, to.code(), now)
            .await
            .map_err(changed("任务已被他人更新"))?;
        // Done or closed owes nothing; sent back, it owes again from its oldest missing period.
        let updated = TaskRow {
            status: to.code().to_owned(),
            ..t.clone()
        };
        self.keep_owed(&mut tx, &updated).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("sv_task:{}", t.id),
            json!({ "from": from.code(), "to": to.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }
}

/// A problem as shown (挂账整改).
#[derive(Debug, Clone, Serialize)]
pub struct ProblemView {
    pub id: i64,
    pub task_id: Option<i64>,
    pub task_title: String,
    pub link_kind: String,
    pub link_ref: String,
    pub unit: UnitRef,
    pub title: String,
    pub detail: String,
    pub evidence_required: String,
    pub deadline: NaiveDate,
    pub status: ProblemStatus,
    pub status_label: &'static str,
    /// green / yellow / red by the deadline while open; grey once closed.
    pub colour: &'static str,
    pub evidence: String,
    pub evidence_filed_on: Option<NaiveDate>,
    pub reopened: i64,
    pub closed_on: Option<NaiveDate>,
    /// Closed by its deadline (按期整改).
    pub closed_on_time: bool,
    pub raised_by: String,
    pub events: Vec<ProblemEventView>,
    /// 整改佐证 files (on the problem's own page; empty in lists).
    pub attachments: Vec<crate::attachments::AttachmentView>,
    pub version: i64,
    pub may_file_evidence: bool,
    pub may_verify: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemEventView {
    pub step: String,
    pub step_label: &'static str,
    pub comment: String,
    pub by: String,
    pub at: String,
}

/// A problem as raised.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProblemInput {
    #[serde(default)]
    pub task_id: Option<i64>,
    /// When no task: chain | campaign_action | event | measure, and its ref.
    #[serde(default)]
    pub link_kind: String,
    #[serde(default)]
    pub link_ref: String,
    /// The unit that must rectify (a name or id).
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub evidence_required: String,
    /// `YYYY-MM-DD`, not before today.
    #[serde(default)]
    pub deadline: String,
}

/// A step on a problem as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProblemStepInput {
    /// file_evidence (the unit) | verify | reject (the office)
    #[serde(default)]
    pub step: String,
    /// The evidence (file_evidence) or the office's comment (verify, reject).
    #[serde(default)]
    pub text: String,
    pub version: i64,
}

/// Which problems to list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProblemQuery {
    #[serde(default)]
    pub unit: Option<String>,
    /// open | evidence_filed | closed | reopened, or 未销号 for every open one.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub task_id: Option<i64>,
    #[serde(default)]
    pub link_kind: Option<String>,
    #[serde(default)]
    pub link_ref: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub per_page: Option<i64>,
}

fn step_label(s: &str) -> &'static str {
    match s {
        "raised" => "挂账",
        "file_evidence" => "报送整改材料",
        "verify" => "核验销号",
        "reject" => "退回重新整改",
        _ => "其他",
    }
}

impl App {
    pub(crate) fn problem_view(
        &self,
        actor: &Actor,
        p: ProblemRow,
        task_title: String,
        events: Vec<ProblemEventRow>,
    ) -> ProblemView {
        let today = self.clock.today();
        let status = ProblemStatus::parse(&p.status).unwrap_or(ProblemStatus::Open);
        let colour = if status == ProblemStatus::Closed {
            "grey"
        } else {
            Urgency::on(today, p.deadline, &self.calendar())
                .map(Urgency::colour)
                .unwrap_or("grey")
        };
        let supervise = actor.role.permits(Permission::Supervise);
        ProblemView {
            id: p.id,
            task_id: p.task_id,
            task_title,
            unit: self.unit_ref(&p.unit_id),
            closed_on_time: p.closed_on.is_some_and(|c| c <= p.deadline),
            may_file_evidence: actor.unit.0 == p.unit_id
                && status.after(ProblemStep::FileEvidence).is_ok(),
            may_verify: supervise && status.after(ProblemStep::Verify).is_ok(),
            status,
            status_label: status.label(),
            colour,
            link_kind: p.link_kind,
            link_ref: p.link_ref,
            title: p.title,
            detail: p.detail,
            evidence_required: p.evidence_required,
            deadline: p.deadline,
            evidence: p.evidence,
            evidence_filed_on: p.evidence_filed_on,
            reopened: p.reopened,
            closed_on: p.closed_on,
            raised_by: p.raised_by,
            events: events
                .into_iter()
                .map(|e| ProblemEventView {
                    step_label: step_label(&e.step),
                    step: e.step,
                    comment: e.comment,
                    by: e.by_user,
                    at: e.at,
                })
                .collect(),
            attachments: Vec::new(),
            version: p.version,
        }
    }

    fn problem_in_scope(&self, actor: &Actor, p: &ProblemRow) -> bool {
        self.task_scope(actor)
            .is_none_or(|units| units.contains(&p.unit_id))
    }

    /// A problem with its history, as the actor may see it.
    pub async fn problem(&self, actor: &Actor, id: i64) -> Result<ProblemView, AppError> {
        self.require(actor, Permission::ViewTasks, "查看问题清单")?;
        let not_found = || AppError::NotFound {
            what: format!("问题{id}"),
        };
        let p = self.store.problem(id).await?.ok_or_else(not_found)?;
        if !self.problem_in_scope(actor, &p) {
            return Err(not_found());
        }
        let title = match p.task_id {
            Some(t) => self
                .store
                .task(t)
                .await?
                .map(|t| t.title)
                .unwrap_or_default(),
            None => String::new(),
        };
        let events = self.store.problem_events(p.id).await?;
        let mut files = self.attachments_by_owner("problem", &[p.id]).await?;
        let mut view = self.problem_view(actor, p, title, events);
        view.attachments = files.remove(&view.id).unwrap_or_default();
        Ok(view)
    }

    /// 问题清单: the problems in the actor's scope, newest first.
    pub async fn list_problems(
        &self,
        actor: &Actor,
        q: &ProblemQuery,
    ) -> Result<Page<ProblemView>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看问题清单")?;
        let mut errors = Vec::new();
        let unit = self.unit_filter("unit", "单位", q.unit.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let statuses = match q.status.as_deref().map(str::trim) {
            Some("未销号") => Some(vec![
                "open".into(),
                "evidence_filed".into(),
                "reopened".into(),
            ]),
            Some(s) if !s.is_empty() => match ProblemStatus::parse(s) {
                Some(st) => Some(vec![st.code().to_owned()]),
                None => {
                    return Err(AppError::field(
                        "status",
                        format!(
                            "状态“{s}”不存在；可选：open、evidence_filed、closed、reopened、未销号"
                        ),
                    ));
                }
            },
            _ => None,
        };
        let per_page = q.per_page.unwrap_or(50).clamp(1, PER_PAGE_MAX);
        let page = q.page.unwrap_or(1).max(1);
        let (rows, total) = self
            .store
            .list_problems(&ProblemFilter {
                units: self.task_scope(actor),
                unit,
                statuses,
                task_id: q.task_id,
                link: match (&q.link_kind, &q.link_ref) {
                    (Some(k), Some(r)) if !k.is_empty() && !r.is_empty() => {
                        Some((k.clone(), r.clone()))
                    }
                    _ => None,
                },
                limit: per_page,
                offset: (page - 1) * per_page,
            })
            .await?;
        let items = rows
            .into_iter()
            .map(|p| self.problem_view(actor, p, String::new(), Vec::new()))
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// 挂账: the supervision office raises a problem on a task (or a chain, campaign action,
    /// event or measure) for a unit to rectify by a deadline with the evidence it names.
    pub async fn raise_problem(
        &self,
        actor: &Actor,
        input: &ProblemInput,
    ) -> Result<ProblemView, AppError> {
        self.require(actor, Permission::Supervise, "挂账问题")?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let task = match input.task_id {
            Some(id) => match self.store.task(id).await? {
                Some(t) => Some(t),
                None => {
                    errors.push(FieldError::new("task_id", format!("督办任务{id}不存在")));
                    None
                }
            },
            None => None,
        };
        let (link_kind, link_ref) = match &task {
            Some(t) => (t.link_kind.clone(), t.link_ref.clone()),
            None => {
                let k = input.link_kind.trim();
                if !k.is_empty() && !tongxin_policy::plans::LINK_KINDS.contains(&k) {
                    errors.push(FieldError::new("link_kind", "关联类型须为产业链、攻坚行动、活动或措施（chain、campaign_action、event、measure）"));
                }
                (k.to_owned(), input.link_ref.trim().to_owned())
            }
        };
        let unit = match self.resolve_unit_input("unit", &input.unit) {
            Ok(u) => match &task {
                Some(t) if !Self::binds(t, &u.id.0) => {
                    errors.push(FieldError::new(
                        "unit",
                        format!("“{}”不是该任务的牵头或责任单位", u.short_name),
                    ));
                    None
                }
                _ => Some(u.id.0),
            },
            Err(e) => {
                errors.push(FieldError::new(
                    "unit",
                    e.message.replace("所属单位", "整改责任单位"),
                ));
                None
            }
        };
        let text = |field: &str,
                    label: &str,
                    v: &str,
                    max: usize,
                    required: bool,
                    errors: &mut Vec<FieldError>| {
            let v = v.trim();
            if required && v.is_empty() {
                errors.push(FieldError::new(field, format!("请填写“{label}”")));
            } else if char_len(v) > max {
                errors.push(FieldError::new(
                    field,
                    format!("“{label}”不能超过{max}个字"),
                ));
            }
            v.to_owned()
        };
        let title = text("title", "问题", &input.title, 200, true, &mut errors);
        let detail = text(
            "detail",
            "问题描述",
            &input.detail,
            2000,
            false,
            &mut errors,
        );
        let evidence_required = text(
            "evidence_required",
            "整改佐证材料要求",
            &input.evidence_required,
            1000,
            true,
            &mut errors,
        );
        let deadline = match NaiveDate::parse_from_str(input.deadline.trim(), "%Y-%m-%d") {
            Ok(d) if d < today => {
                errors.push(FieldError::new(
                    "deadline",
                    format!("“整改时限”{d}早于今天"),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(
                    "deadline",
                    "“整改时限”须为日期，如2024-03-31",
                ));
                None
            }
        };
        let (Some(unit), Some(deadline), true) = (unit, deadline, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let now = self.clock.now();
        let at = tongxin_store::format_ts(now);
        let mut row = ProblemRow {
            id: 0,
            task_id: task.as_ref().map(|t| t.id),
            link_kind,
            link_ref,
            unit_id: unit,
            title,
            detail,
            evidence_required,
            deadline,
            status: ProblemStatus::Open.code().into(),
            evidence: String::new(),
            evidence_filed_on: None,
            reopened: 0,
            closed_on: None,
            raised_by: actor.username.clone(),
            raised_at: at.clone(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        row.id = tx.insert_problem(&row).await?;
        tx.insert_problem_event(&ProblemEventRow {
            problem_id: row.id,
            step: "raised".into(),
            comment: row.detail.clone(),
            by_user: actor.username.clone(),
            at,
        })
        .await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("sv_problem:{}", row.id),
            json!({ "unit": row.unit_id, "task": row.task_id, "deadline": deadline }),
        )
        .await?;
        tx.commit().await?;
        self.problem(actor, row.id).await
    }

    /// 整改: the unit files its evidence; the office verifies and closes (销号) or returns it
    /// (重新挂账, with a comment). Each step in the problem's history and the audit trail.
    pub async fn problem_step(
        &self,
        actor: &Actor,
        id: i64,
        input: &ProblemStepInput,
    ) -> Result<ProblemView, AppError> {
        self.require(actor, Permission::ViewTasks, "办理问题整改")?;
        let not_found = || AppError::NotFound {
            what: format!("问题{id}"),
        };
        let mut p = self.store.problem(id).await?.ok_or_else(not_found)?;
        if !self.problem_in_scope(actor, &p) {
            return Err(not_found());
        }
        let step = match input.step.trim() {
            "file_evidence" => ProblemStep::FileEvidence,
            "verify" => ProblemStep::Verify,
            "reject" => ProblemStep::Reject,
            _ => {
                return Err(AppError::field(
                    "step",
                    "办理事项须为报送整改材料、核验销号或退回重新整改",
                ));
            }
        };
        match step {
            ProblemStep::FileEvidence if actor.unit.0 != p.unit_id => {
                return Err(AppError::Forbidden {
                    action: "报送整改材料".into(),
                    needed: format!("整改责任单位（{}）", self.unit_ref(&p.unit_id).name),
                });
            }
            ProblemStep::Verify | ProblemStep::Reject => {
                self.require(actor, Permission::Supervise, "核验整改")?;
            }
            _ => {}
        }
        let text = input.text.trim();
        let needs_text = match step {
            ProblemStep::FileEvidence => Some(("text", "请填写“整改情况及佐证材料”")),
            ProblemStep::Reject => Some(("text", "退回须填写“核验意见”")),
            ProblemStep::Verify => None,
        };
        if let Some((field, msg)) = needs_text
            && text.is_empty()
        {
            return Err(AppError::field(field, msg));
        }
        if char_len(text) > BODY_MAX {
            return Err(AppError::field("text", format!("不能超过{BODY_MAX}个字")));
        }
        let from = ProblemStatus::parse(&p.status).unwrap_or(ProblemStatus::Open);
        let to = from
            .after(step)
            .map_err(|why| AppError::Conflict(format!("{why}（当前：{}）", from.label())))?;
        if input.version != p.version {
            return Err(AppError::Conflict("问题已被他人更新，请刷新后再试".into()));
        }
        let today = self.clock.today();
        p.status = to.code().into();
        match step {
            ProblemStep::FileEvidence => {
                p.evidence = text.to_owned();
                p.evidence_filed_on = Some(today);
            }
            ProblemStep::Verify => p.closed_on = Some(today),
            ProblemStep::Reject => p.reopened += 1,
        }
        let now = self.clock.now();
        let code = match step {
            ProblemStep::FileEvidence => "file_evidence",
            ProblemStep::Verify => "verify",
            ProblemStep::Reject => "reject",
        };
        let mut tx = self.store.begin().await?;
        tx.update_problem(&p)
            .await
            .map_err(changed("问题已被他人更新"))?;
        tx.insert_problem_event(&ProblemEventRow {
            problem_id: p.id,
            step: code.into(),
            comment: text.to_owned(),
            by_user: actor.username.clone(),
            at: tongxin_store::format_ts(now),
        })
        .await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("sv_problem:{}", p.id),
            json!({ "step": code, "from": from.code(), "to": to.code() }),
        )
        .await?;
        tx.commit().await?;
        self.problem(actor, id).await
    }
}

/// The weights used until the supervision office sets its own (stated on every bulletin).
pub const DEFAULT_WEIGHTS: Weights = Weights {
    reports: 60,
    rectification: 40,
    per_overdue_task: 5,
};

/// Weights as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WeightsInput {
    #[serde(default)]
    pub from: String,
    pub reports: Option<i64>,
    pub rectification: Option<i64>,
    pub per_overdue_task: Option<i64>,
}

/// One unit's standing in a bulletin.
#[derive(Debug, Clone, Serialize)]
pub struct StandingRow {
    pub rank: usize,
    pub unit: UnitRef,
    pub record: UnitRecord,
    /// `87.50`
    pub score: String,
    pub hundredths: i64,
    /// The arithmetic, in Chinese.
    pub working: String,
    /// The unit's tasks overdue at the period's end.
    pub overdue_items: Vec<String>,
}

/// 季通报 / 年评优: each unit's standing for a period, best first, with the rule that produced
/// it.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    /// 2024年第一季度
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the bulletin is computed as of (the period's end, or today while it runs).
    pub as_of: NaiveDate,
    pub weights: Weights,
    /// From when the weights are in force; None: the default (not yet set by the office).
    pub weights_from: Option<NaiveDate>,
    pub rule: String,
    pub rows: Vec<StandingRow>,
}

/// `2024Q1`, `2024-03`, `2024`: the period and its Chinese name.
pub fn parse_period(s: &str) -> Option<(NaiveDate, NaiveDate, String)> {
    use tongxin_calendar::PeriodType;
    let s = s.trim();
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    if let Some((y, q)) = s.split_once(['Q', 'q']) {
        let y: i32 = y.parse().ok()?;
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        let p = PeriodType::Quarter.containing(ymd(y, q * 3, 1)?);
        let names = ["一", "二", "三", "四"];
        return Some((
            p.start(),
            p.end(),
            format!("{y}年第{}季度", names[q as usize - 1]),
        ));
    }
    if let Some((y, m)) = s.split_once('-') {
        let p = PeriodType::Month.containing(ymd(y.parse().ok()?, m.parse().ok()?, 1)?);
        return Some((
            p.start(),
            p.end(),
            format!("{}年{}月", y, p.start().format("%-m")),
        ));
    }
    let y: i32 = s.trim_end_matches('年').parse().ok()?;
    Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?, format!("{y}年")))
}

impl App {
    /// The weights in force on `day`, and from when (None: the default).
    async fn weights_on(&self, day: NaiveDate) -> Result<(Weights, Option<NaiveDate>), AppError> {
        let rows = self.store.weights().await?;
        Ok(rows
            .iter()
            .rev()
            .find(|w| w.from_on <= day)
            .map(|w| {
                (
                    Weights {
                        reports: u32::try_from(w.reports).unwrap_or(0),
                        rectification: u32::try_from(w.rectification).unwrap_or(0),
                        per_overdue_task: u32::try_from(w.per_overdue_task).unwrap_or(0),
                    },
                    Some(w.from_on),
                )
            })
            .unwrap_or((DEFAULT_WEIGHTS, None)))
    }

    /// 考核权重: the supervision office sets the weights in force from a day (points for
    /// on-time reports and for rectification summing to 100 at most; points off per overdue
    /// task). Kept, dated, audited.
    pub async fn set_weights(
        &self,
        actor: &Actor,
        input: &WeightsInput,
    ) -> Result<Weights, AppError> {
        self.require(actor, Permission::Supervise, "设置考核权重")?;
        let mut errors = Vec::new();
        let from = NaiveDate::parse_from_str(input.from.trim(), "%Y-%m-%d").ok();
        if from.is_none() {
            errors.push(FieldError::new("from", "“起用日期”须为日期，如2024-01-01"));
        }
        let mut points = |field: &str, label: &str, v: Option<i64>, max: i64| match v {
            Some(n) if (0..=max).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(
                    field,
                    format!("“{label}”须为0至{max}的整数"),
                ));
                0
            }
        };
        let reports = points("reports", "按时报送分值", input.reports, 100);
        let rectification = points("rectification", "按期整改分值", input.rectification, 100);
        let per = points(
            "per_overdue_task",
            "每项逾期任务扣分",
            input.per_overdue_task,
            100,
        );
        if reports + rectification > 100 {
            errors.push(FieldError::new(
                "rectification",
                format!(
                    "按时报送与按期整改分值合计不能超过100分，现为{}分",
                    reports + rectification
                ),
            ));
        }
        let (Some(from), true) = (from, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let now = self.clock.now();
        let row = tongxin_store::WeightsRow {
            from_on: from,
            reports,
            rectification,
            per_overdue_task: per,
            set_by: actor.username.clone(),
            set_at: tongxin_store::format_ts(now),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_weights(&row).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                AppError::field("from", format!("{from}起的权重已设置；请换一个起用日期"))
            }
            e => e.into(),
        })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            "sv_weights",
            json!({ "from": from, "reports": reports, "rectification": rectification, "per_overdue_task": per }),
        )
        .await?;
        tx.commit().await?;
        Ok(Weights {
            reports: reports as u32,
            rectification: rectification as u32,
            per_overdue_task: per as u32,
        })
    }

    /// 季通报 / 年评优 for `period` (`2024Q1`, `2024`, `2024-03`): every unit leading a task or
    /// owing a problem, scored on the weights in force at the period's end:
    /// - reports due: each period of a task the unit leads whose report fell due within the
    ///   period (by the bulletin's day); on time: filed by its due date;
    /// - problems due: the unit's problems whose deadline fell within it; on time: closed by
    ///   the deadline;
    /// - overdue tasks: tasks it leads, not completed, with a report missing past its due date
    ///   at the period's end.
    pub async fn bulletin(&self, actor: &Actor, period: &str) -> Result<Bulletin, AppError> {
        self.require(actor, Permission::ViewTasks, "查看考核通报")?;
        let (from, to, label) = parse_period(period).ok_or_else(|| {
            AppError::field(
                "period",
                format!("“考核期”须写作2024Q1、2024-03或2024，“{period}”不是"),
            )
        })?;
        let today = self.clock.today();
        if from > today {
            return Err(AppError::field("period", format!("{label}尚未开始")));
        }
        let as_of = to.min(today);
        let (weights, weights_from) = self.weights_on(to).await?;
        let tasks = self.store.all_tasks().await?;
        let cal = self.calendar();
        // The lead reports due in the period (a margin either side for due dates carried past
        // a holiday), by task and period.
        let margin = chrono::Days::new(62);
        let filed: std::collections::HashMap<(i64, NaiveDate), (NaiveDate, NaiveDate)> = self
            .store
            .lead_reports_due(from - margin, as_of + margin)
            .await?
            .into_iter()
            .map(|(task, start, due, filed)| ((task, start), (due, filed)))
            .collect();
        // Overdue at the period's end: on today, what each lead owes is kept (`owed`); for a
        // period past, the reports filed by its end are counted against the periods due.
        let filed_by_end: Option<std::collections::HashMap<i64, i64>> = if as_of >= today {
            None
        } else {
            Some(
                self.store
                    .lead_reports_filed_by(as_of)
                    .await?
                    .into_iter()
                    .collect(),
            )
        };
        let problems = self.store.problems_due(from, to).await?;
        let mut records: std::collections::BTreeMap<String, (UnitRecord, Vec<String>)> =
            std::collections::BTreeMap::new();
        for t in &tasks {
            let entry = records.entry(t.lead_unit.clone()).or_default();
            let cadence = Cadence::parse(&t.cadence).unwrap_or(Cadence::Once);
            let rule = due_rule_of(&t.due_rule);
            let finished = matches!(t.status.as_str(), "done" | "closed");
            // A task done or closed owes no report due after the day it was marked.
            let ends = if finished {
                t.updated_at
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .unwrap_or(as_of)
                    .min(as_of)
            } else {
                as_of
            };
            let (start, until) = match cadence {
                Cadence::Once => (t.starts_on, t.due_on.unwrap_or(t.starts_on)),
                _ => (
                    t.starts_on.max(from - margin),
                    t.until_on.map_or(ends, |u| u.min(ends)),
                ),
            };
            let periods = report_periods(cadence, rule, start, until, &cal).map_err(|e| {
                AppError::Conflict(format!("任务“{}”的报送期限无法计算：{e}", t.title))
            })?;
            for p in periods {
                if p.due >= from && p.due <= ends {
                    entry.0.reports_due += 1;
                    if filed
                        .get(&(t.id, p.start))
                        .is_some_and(|(_, filed_on)| *filed_on <= p.due)
                    {
                        entry.0.reports_on_time += 1;
                    }
                }
            }
            if finished {
                continue;
            }
            let overdue = match &filed_by_end {
                None => t.next_due.is_some_and(|d| d < as_of),
                Some(counts) => {
                    let until = match cadence {
                        Cadence::Once => t.due_on.unwrap_or(t.starts_on),
                        _ => t.until_on.unwrap_or(as_of),
                    };
                    let due = tongxin_domain::supervision::periods_due_before(
                        cadence,
                        rule,
                        t.starts_on,
                        until,
                        as_of,
                        &cal,
                    )
                    .map_err(|e| {
                        AppError::Conflict(format!("任务“{}”的报送期限无法计算：{e}", t.title))
                    })?;
                    counts.get(&t.id).copied().unwrap_or(0) < i64::from(due)
                }
            };
            if overdue {
                entry.0.overdue_tasks += 1;
                entry.1.push(t.title.clone());
            }
        }
        for p in &problems {
            let entry = records.entry(p.unit_id.clone()).or_default();
            if p.deadline <= as_of {
                entry.0.problems_due += 1;
                if p.closed_on.is_some_and(|c| c <= p.deadline) {
                    entry.0.problems_closed_on_time += 1;
                }
            }
        }
        let mut rows: Vec<StandingRow> = records
            .into_iter()
            .filter(|(_, (r, _))| r.reports_due + r.problems_due + r.overdue_tasks > 0)
            .map(|(unit, (record, overdue_items))| {
                let s = score(&weights, &record);
                StandingRow {
                    rank: 0,
                    unit: self.unit_ref(&unit),
                    record,
                    score: s.text(),
                    hundredths: s.hundredths,
                    working: s.working,
                    overdue_items,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.hundredths
                .cmp(&a.hundredths)
                .then(a.unit.name.cmp(&b.unit.name))
        });
        // Equal scores share a rank (1, 2, 2, 4).
        for i in 0..rows.len() {
            rows[i].rank = if i > 0 && rows[i].hundredths == rows[i - 1].hundredths {
                rows[i - 1].rank
            } else {
                i + 1
            };
        }
        Ok(Bulletin {
            label,
            from,
            to,
            as_of,
            rule: format!(
                "得分＝按时报送率×{}分＋按期整改率×{}分－逾期任务数×{}分（不低于0分；期内无应报、无应整改的按满分计）",
                weights.reports, weights.rectification, weights.per_overdue_task
            ),
            weights,
            weights_from,
            rows,
        })
    }
}
