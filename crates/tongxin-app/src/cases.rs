//! The case engine's use-cases (办件): file a case, take an action on it, read it, list cases
//! in the user's scope, sweep deadlines. The rules live in the procedure definition and the
//! named checks (`tongxin_domain::procedure`, `checks`); this module runs them against the
//! store in one transaction per transition:
//!
//! state + version check → form validation → `at_least` clocks → checks on the merged data →
//! deadline starts, pauses, resumptions and meetings → numbered documents → event → audit.
//!
//! Decisions:
//! - Filing (`POST /api/v1/cases`) takes the procedure's first action at once: a case exists
//!   only once its application passed validation and the checks, so an unfinished form lives in
//!   the browser (and is re-shown on refusal), not in the ledger.
//! - A case belongs to a township-level unit and, where the directory knows villages, a
//!   village. Village staff file in their unit; applicants pick the township.
//! - Names and ID numbers are shown in full to the township, the village and the applicant
//!   (who handle the case); county leaders and the supervision office see them masked.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tongxin_calendar::{Calendar, Pause};
use tongxin_domain::access::{DataScope, Permission};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::checks::{self, CaseFacts, CheckContext, CheckOutcome, ExistingHomestead};
use tongxin_domain::mask::{mask_name, mask_phone, mask_resident_id};
use tongxin_domain::procedure::{
    self, ActingUnit, Action, DeadlineDef, DeadlineKind, FieldDef, FieldKind, Ownership,
    PeriodUnit, Personal, Procedure, REASON_FIELD,
};
use tongxin_domain::{Citation, FieldError, Role, Unit, UnitId};
use tongxin_domain::{homestead_siting, siting};
use tongxin_store::{
    CaseDocumentRow, CaseFilter, CaseRow, DeadlineRow, EventRow, NewCase, StoreError,
};

use crate::users::{PER_PAGE_MAX, Page};
use crate::{Actor, App, AppError, AuditActor};

/// Working days before a due date at which the sweep warns, and the page turns yellow.
pub const WARNING_WORKDAYS: u32 = 3;

/// The hour (county time) from which a day's sweep sends the units their 每日汇总.
pub const DIGEST_HOUR: u32 = 7;

/// 新建办件.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewCaseInput {
    pub procedure: String,
    /// The township-level unit (id or name). Village and township staff file in their own.
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub data: Map<String, Value>,
    /// 防重复提交: a key the client makes once per form; a retry with the same key returns the
    /// case already filed.
    #[serde(default)]
    pub client_key: Option<String>,
}

/// 办理.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionInput {
    pub action: String,
    #[serde(default)]
    pub data: Map<String, Value>,
    /// The version the official saw; another official's action in between is refused.
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub id: String,
    pub label: String,
    pub reason_required: bool,
    pub fields: Vec<FieldDef>,
    pub citation: Citation,
    /// Why it cannot be taken yet (a notice period not over), with the clause.
    pub blocked: Option<String>,
    /// Whether it ends the case badly (reject, return): shown as a red button.
    pub negative: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    pub id: i64,
    pub deadline: String,
    pub label: String,
    pub kind: DeadlineKind,
    /// running | paused | met | cancelled
    pub status: String,
    pub status_label: String,
    pub started_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub amount: i64,
    pub unit_label: &'static str,
    /// 延期: months added by extensions.
    pub extended_months: i64,
    /// Working days from today to the due date (negative: overdue by that many).
    pub workdays_left: Option<i64>,
    /// green | yellow | red | grey
    pub colour: &'static str,
    pub citation: Citation,
    pub rule_citation: Citation,
    pub note: String,
    pub met_on: Option<NaiveDate>,
    pub overdue_on: Option<NaiveDate>,
    pub pauses: Vec<PauseView>,
    pub responsible: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PauseView {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    /// The user name, and the name shown (a villager's masked for roles that see masked data).
    pub actor: String,
    pub actor_name: String,
    pub role: String,
    pub unit: String,
    pub action: String,
    pub action_label: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
    pub data: Map<String, Value>,
    pub clauses: Value,
    pub policy_version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub document: String,
    pub title: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub citation: Citation,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub id: i64,
    pub number: String,
    pub procedure: String,
    pub procedure_title: String,
    pub state: String,
    pub state_label: String,
    pub terminal: bool,
    pub township_id: String,
    pub township: String,
    /// The unit the case belongs to (项目单位, 乡镇, 自然资源局), by its short name.
    pub unit: String,
    pub village: String,
    pub applicant_name: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Whether names and ID numbers are masked for this user.
    pub masked: bool,
    pub data: Map<String, Value>,
    pub allowed_actions: Vec<ActionView>,
    pub deadlines: Vec<DeadlineView>,
    pub events: Vec<EventView>,
    pub documents: Vec<DocumentView>,
    /// What is wrong with the procedure's document today (政府投资项目管理办法's trial ended on
    /// 2026-01-12), shown above the case.
    pub policy_warnings: Vec<String>,
}

/// What filing or an action left the case as (办理结果): enough to answer the one who acted
/// and send them on; [`App::case_view`] reads the whole case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseOutcome {
    pub id: i64,
    pub number: String,
    pub state: String,
    /// The version the next action must carry.
    pub version: i64,
}

impl CaseOutcome {
    fn of(row: &CaseRow) -> Self {
        Self {
            id: row.id,
            number: row.number.clone(),
            state: row.state.clone(),
            version: row.version,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub state: String,
    pub state_label: String,
    pub terminal: bool,
    pub township: String,
    /// The unit the case belongs to (项目单位, 乡镇, 自然资源局), by its short name.
    pub unit: String,
    pub village: String,
    pub applicant_name: String,
    pub created_at: String,
    pub updated_at: String,
    /// The running deadline nearest its end.
    pub next_deadline: Option<DeadlineView>,
    /// Every deadline of the case, running or not (the ledger's dates).
    pub deadlines: Vec<DeadlineView>,
    pub overdue: bool,
    pub data: Map<String, Value>,
    pub documents: Vec<DocumentView>,
}

/// 筛选.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseQuery {
    #[serde(default)]
    pub township: Option<String>,
    #[serde(default)]
    pub village: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub overdue: Option<bool>,
    /// 到期预警: only cases whose running deadline of this id (`expiry`, `reclamation`) is due
    /// within `due_within` days from today (negative: overdue by more than that many days).
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub due_within: Option<i64>,
    /// 单位: only the cases of this unit (a name or id: 交通运输局).
    #[serde(default)]
    pub unit: Option<String>,
    /// 年度: only the cases filed in this year (`2025`).
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
    #[serde(default)]
    pub per_page: Option<i64>,
}

/// How long the public notices read are served again: another process's change (a second
/// server on the same database) shows after at most this long; this process's at once.
pub const NOTICE_CACHE_SECONDS: i64 = 3;

/// The public notices of a procedure as read at `at` on `today`.
#[derive(Debug, Clone)]
pub struct NoticeCache {
    at: chrono::DateTime<chrono::Utc>,
    today: NaiveDate,
    rows: Vec<PublicNotice>,
}

/// 公示: a case in its notice period, as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicNotice {
    /// The case (not shown: the public knows it by its number).
    #[serde(skip)]
    pub case_id: i64,
    /// The unit that decides after the notice (the village organisation's township or
    /// village unit), told of objections.
    #[serde(skip)]
    pub responsible: String,
    pub number: String,
    pub township: String,
    pub village: String,
    /// 马*明
    pub applicant_name: String,
    pub land_type: String,
    pub area_m2: String,
    pub storeys: String,
    pub site_description: String,
    pub notice_place: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub citation: Citation,
}

/// What a sweep did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SweepReport {
    pub examined: u64,
    pub warned: u64,
    pub overdue: u64,
    pub notice_ended: u64,
    /// Units sent their 每日汇总 (0 on the day's later sweeps: once a day each).
    pub digests: usize,
    /// The supervision tasks' reminders (督办提醒).
    pub tasks: crate::owed::TaskSweep,
}

#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    /// The case told of; None for a supervision task's reminder.
    pub case_id: Option<i64>,
    /// The case's procedure (`homestead`), for the link to its page; empty for a task.
    pub procedure: String,
    /// The case's number, or the task's title.
    pub case_number: String,
    /// The supervision task told of (督办提醒).
    pub task_id: Option<i64>,
    /// The page a notification of the outbox is about (群众举报, 公示异议); None for the
    /// deadline reminders, whose page follows from the case or task.
    pub link: Option<String>,
    pub kind: String,
    pub message: String,
    /// The deadline told of; None for a notification that has none of its own.
    pub due_on: Option<NaiveDate>,
    pub colour: &'static str,
    pub created_at: String,
}

/// A due date that cannot be computed: a year the calendar does not cover, a rule not in
/// force. The official is told which, instead of a server error.
fn due_error(e: procedure::ProcedureError) -> AppError {
    match e {
        procedure::ProcedureError::Rule(r) => crate::policy::rule_error(r),
        e => AppError::Conflict(format!("无法计算办理时限：{e}")),
    }
}

fn case_changed() -> AppError {
    AppError::Conflict("此案件已被他人办理，当前状态已变化，请刷新后查看最新情况再办理".into())
}

/// A transition's write refused because the case moved on (its version, or its event number,
/// taken by another official's transition): told as such.
fn case_write_error(e: AppError) -> AppError {
    match e {
        AppError::Store(StoreError::StaleVersion) => case_changed(),
        AppError::Store(StoreError::Conflict { constraint })
            if constraint.contains("case_events") =>
        {
            case_changed()
        }
        e => e,
    }
}

pub(crate) fn json_map(s: &str) -> Map<String, Value> {
    match serde_json::from_str(s) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

pub(crate) fn pauses_of(row: &DeadlineRow) -> Vec<PauseView> {
    serde_json::from_str(&row.pauses).unwrap_or_default()
}

pub(crate) fn calendar_pauses(p: &[PauseView]) -> Vec<Pause> {
    p.iter()
        .map(|p| Pause {
            from: p.from,
            to: p.to,
        })
        .collect()
}

fn parse_citation(s: &str) -> Result<Citation, AppError> {
    s.parse::<Citation>()
        .map_err(|e| AppError::Internal(format!("数据库中的条款引用“{s}”无效：{}", e.message)))
}

fn text_of(data: &Map<String, Value>, key: &str) -> String {
    value_text(data.get(key))
}

fn value_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// A number as an official writes it: `200`, `260.5` (not `200.0`).
fn plain_number(v: Option<&Value>) -> String {
    match v.and_then(Value::as_f64) {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Some(f) => format!("{f}"),
        None => value_text(v),
    }
}

/// Does this role see names and ID numbers in full? Those who handle the procedure's cases
/// do — the roles its actions name (宅基地: applicant, village, township; 临时用地: applicant,
/// department); everyone else (leaders, supervision, other departments) sees them masked.
pub fn sees_personal_data(proc: &Procedure, role: Role) -> bool {
    proc.actions.iter().any(|a| a.roles.contains(&role))
}

/// Cases a public list shows at most (the newest).
pub const PUBLIC_CASES_MAX: i64 = 500;

/// The first day a running deadline may be met, and why not earlier: a 不少于 period's end, or
/// the opening of a window before the due date (期满前30日内).
fn not_before(def: &DeadlineDef, r: &DeadlineRow) -> Option<(NaiveDate, String)> {
    // 按期报送: a period's report comes within the period, not ahead of it.
    if def.repeats && r.opens_on.is_none() {
        let due = r
            .due_on
            .map(|d| d.format("%Y年%-m月%-d日").to_string())
            .unwrap_or_default();
        return Some((
            r.started_on,
            format!(
                "本期“{}”的报送期间为{}至{due}",
                def.label,
                r.started_on.format("%Y年%-m月%-d日")
            ),
        ));
    }
    match def.kind {
        DeadlineKind::AtLeast => r.due_on.map(|d| (d, format!("{}未满", def.label))),
        DeadlineKind::Within => r.opens_on.map(|o| {
            let due = r
                .due_on
                .map(|d| d.format("%Y年%-m月%-d日").to_string())
                .unwrap_or_default();
            (o, format!("{}须在{due}前的期间内办理", def.label))
        }),
    }
}

/// Where a natural period of `amount` `unit`s begun on `start` ends (the start day not
/// counted, so the next period begins there): a month from 1月31日 ends on the last day of
/// February.
fn natural_period_end(unit: PeriodUnit, start: NaiveDate, amount: i64) -> Option<NaiveDate> {
    let n = u32::try_from(amount).ok()?;
    match unit {
        PeriodUnit::Months => start.checked_add_months(chrono::Months::new(n)),
        PeriodUnit::Years => start.checked_add_months(chrono::Months::new(n.checked_mul(12)?)),
        PeriodUnit::Days => start.checked_add_days(chrono::Days::new(u64::from(n))),
        // A working-day period ends on its due date; the next begins the day after.
        PeriodUnit::Workdays => None,
    }
}

/// The first day of a deadline's window (`opens_before` days before `due`), on the rule in
/// force on `day`.
pub(crate) fn opens_on(
    def: &DeadlineDef,
    due: Option<NaiveDate>,
    corpus: &tongxin_domain::policy::Corpus,
    day: NaiveDate,
) -> Result<Option<NaiveDate>, AppError> {
    let (Some(key), Some(due)) = (&def.opens_before, due) else {
        return Ok(None);
    };
    let a = corpus
        .rule(key, day)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let days = a
        .value
        .as_f64()
        .ok_or_else(|| AppError::Internal(format!("{key}不是数值")))?;
    Ok(due.checked_sub_days(chrono::Days::new(days.max(0.0) as u64)))
}

/// A due date `months` calendar months later (the last day of a shorter month when the day is
/// missing), carried to the next working day like any natural period's end; where the calendar
/// does not cover the year yet, the natural date.
pub(crate) fn extended_due(cal: &Calendar, d: NaiveDate, months: i64) -> Option<NaiveDate> {
    if months == 0 {
        return Some(d);
    }
    let later = d.checked_add_months(chrono::Months::new(u32::try_from(months).ok()?))?;
    Some(
        cal.workday_on_or_after(later)
            .map(|c| c.value)
            .unwrap_or(later),
    )
}

/// The applicant's name as shown to one who may not see personal data: masked, unless the
/// procedure says the name is not personal in this case (an enterprise's).
fn shown_applicant(proc: &Procedure, data: &Map<String, Value>, name: &str) -> String {
    match proc.field("applicant_name") {
        Some(f) if f.personal_in(data).is_none() => name.to_owned(),
        _ => mask_name(name),
    }
}

/// Masks names and ID numbers in form data (by field kind).
fn mask_data(fields: &[FieldDef], data: &Map<String, Value>) -> Map<String, Value> {
    let mut out = data.clone();
    for f in fields {
        let Some(v) = out.get_mut(&f.id) else {
            continue;
        };
        match (&f.kind, v) {
            (FieldKind::ResidentId, Value::String(s)) => *s = mask_resident_id(s),
            // Fields the procedure marks personal (申请人姓名, 施工负责人, 联系电话).
            (FieldKind::Text { .. }, Value::String(s)) => match f.personal_in(data) {
                Some(Personal::Name) => *s = mask_name(s),
                Some(Personal::Phone) => *s = mask_phone(s),
                None => {}
            },
            (FieldKind::Members, Value::Array(items)) => {
                for m in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(Value::String(s)) = m.get_mut("name") {
                        *s = mask_name(s);
                    }
                    if let Some(Value::String(s)) = m.get_mut("resident_id") {
                        *s = mask_resident_id(s);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

impl App {
    /// The procedure with this id.
    pub fn procedure(&self, id: &str) -> Result<&Procedure, AppError> {
        self.pack.procedure(id).ok_or_else(|| AppError::NotFound {
            what: format!("办理流程“{id}”"),
        })
    }

    /// The lead unit of the chain a case's form names (招商引资: the case is that unit's).
    fn chain_lead_of(&self, form: &Map<String, Value>) -> Result<String, AppError> {
        let key = text_of(form, procedure::CHAIN_FIELD);
        self.pack
            .chain(&key)
            .map(|c| c.lead.0.clone())
            .ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    procedure::CHAIN_FIELD,
                    format!("“所属产业链”“{key}”不是链长制的产业链"),
                )])
            })
    }

    /// 政策版本 recorded with each event.
    pub fn policy_version(&self) -> &str {
        &self.pack.version
    }

    /// The township-level units, in directory order (the choices of the application form).
    pub fn townships(&self) -> Vec<Unit> {
        self.directory()
            .units()
            .iter()
            .filter(|u| u.is_township_level())
            .cloned()
            .collect()
    }

    pub(crate) fn unit_name(&self, id: &str) -> String {
        self.directory()
            .get(id)
            .map(|u| u.short_name.clone())
            .unwrap_or_else(|| id.to_owned())
    }

    /// The township-level unit at or above `unit`.
    pub(crate) fn township_of(&self, unit: &UnitId) -> Option<Unit> {
        let d = self.directory();
        d.path(unit)
            .into_iter()
            .rev()
            .find(|u| u.is_township_level())
            .cloned()
    }

    /// The actor's data scope as a filter: unit ids, or the actor's own records.
    fn scope_filter(&self, actor: &Actor) -> (Option<Vec<String>>, Option<i64>) {
        match actor.role.scope() {
            DataScope::All => (None, None),
            DataScope::OwnUnitAndBelow => (
                Some(
                    self.directory()
                        .subtree(&actor.unit)
                        .iter()
                        .map(|u| u.id.0.clone())
                        .collect(),
                ),
                None,
            ),
            DataScope::OwnUnit => (Some(vec![actor.unit.0.clone()]), None),
            DataScope::OwnRecords => (None, Some(actor.user_id)),
        }
    }

    /// The actor's unit oversees every case of the procedure (政府投资项目: 发展和改革局).
    fn oversees(&self, actor: &Actor, proc: &Procedure) -> bool {
        let d = self.directory();
        !actor.role.is_administrator()
            && proc
                .overseen_by
                .iter()
                .filter_map(|n| d.resolve_unit(n))
                .any(|u| u.id == actor.unit)
    }

    /// The actor's data scope over one procedure's cases.
    fn scope_filter_for(
        &self,
        actor: &Actor,
        proc: &Procedure,
    ) -> (Option<Vec<String>>, Option<i64>) {
        if self.oversees(actor, proc) {
            (None, None)
        } else {
            self.scope_filter(actor)
        }
    }

    /// Whether the actor's unit is the one an action names (the case's own unit, or a named
    /// unit such as 财政局); an action naming none is open to every unit in scope.
    fn acts_as_unit(&self, actor: &Actor, case: &CaseRow, action: &Action) -> bool {
        match &action.unit {
            None => true,
            Some(ActingUnit::Owner) => actor.unit.0 == case.unit_id,
            Some(ActingUnit::Named(name)) => self
                .directory()
                .resolve_unit(name)
                .is_some_and(|u| u.id == actor.unit),
        }
    }

    fn in_scope(&self, actor: &Actor, case: &CaseRow) -> bool {
        if actor.role.is_administrator() {
            return false;
        }
        // The official who filed a case sees it, wherever it went (招商引资: a township's lead
        // belongs to the chain's lead unit once filed).
        if case.created_by == actor.user_id {
            return true;
        }
        if let Ok(proc) = self.procedure(&case.procedure)
            && self.oversees(actor, proc)
        {
            return true;
        }
        match self.scope_filter(actor) {
            (None, None) => true,
            (Some(units), _) => units.contains(&case.unit_id),
            (None, Some(uid)) => case.created_by == uid,
        }
    }

    fn require_cases(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Permission::ActOnCases, "查看和办理案件")
    }

    /// Files a case: validates the first action's form, runs its checks, and stores the case
    /// with its first event, in one transaction. A retry with the same client key returns the
    /// case filed the first time, and `false` (nothing new was filed).
    pub async fn create_case(
        &self,
        actor: &Actor,
        input: &NewCaseInput,
    ) -> Result<(CaseOutcome, bool), AppError> {
        self.require_cases(actor)?;
        let proc = self.procedure(&input.procedure)?;
        let first = proc
            .allowed_actions(&proc.initial, actor.role)
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Forbidden {
                action: format!("提交{}", proc.title),
                needed: initial_roles(proc),
            })?;
        let client_key = input
            .client_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned);
        if let Some(k) = &client_key
            && (k.len() > 100 || !k.chars().all(|c| c.is_ascii_graphic()))
        {
            return Err(AppError::field(
                "client_key",
                "“防重复提交编号”须为100个以内的英文字母、数字或符号",
            ));
        }
        if let Some(k) = &client_key
            && let Some(done) = self.store.case_by_client_key(actor.user_id, k).await?
        {
            return Ok((CaseOutcome::of(&done), false));
        }
        let today = self.clock.today();
        let mut errors = Vec::new();
        // Where the case belongs.
        let township = match actor.role {
            Role::Village | Role::Township => self.township_of(&actor.unit),
            _ => None,
        };
        let township = match (township, input.township.as_deref().map(str::trim)) {
            (Some(t), _) => Some(t),
            (None, Some(name)) if !name.is_empty() => {
                match self.resolve_unit_input("township", name) {
                    Ok(u) if u.is_township_level() => Some(u),
                    Ok(u) => {
                        errors.push(FieldError::new(
                            "township",
                            format!("“所在乡镇”须为乡镇或管委会，“{}”不是", u.short_name),
                        ));
                        None
                    }
                    Err(e) => {
                        errors.push(FieldError::new(
                            "township",
                            e.message.replace("所属单位", "所在乡镇"),
                        ));
                        None
                    }
                }
            }
            (None, _) => {
                errors.push(FieldError::new("township", "请选择“所在乡镇”"));
                None
            }
        };
        let form = match proc.validate_form(first, &input.data, today) {
            Ok(f) => Some(f),
            Err(mut es) => {
                errors.append(&mut es);
                None
            }
        };
        let (Some(township), Some(form)) = (township, form) else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        // Whose case it is: the procedure's handling unit (临时用地: 自然资源局), else the unit
        // that filed it, else the township it was filed in.
        let unit_id = match (&proc.handled_by, actor.role) {
            (Some(name), _) => self
                .directory()
                .resolve_unit(name)
                .map(|u| u.id.0.clone())
                .ok_or_else(|| AppError::Conflict(format!("办理单位“{name}”不在单位名录中")))?,
            (None, _) if proc.ownership == Ownership::ChainLead => self.chain_lead_of(&form)?,
            (None, Role::Village | Role::Township) => actor.unit.0.clone(),
            (None, _) if proc.ownership == Ownership::Filer => actor.unit.0.clone(),
            (None, _) => township.id.0.clone(),
        };
        let mut data = form.clone();
        data.remove(REASON_FIELD);
        let household_key = household_key(proc, &data);
        let facts = self.case_facts(proc, first, &data, None, today).await?;
        let applied = self.run_checks(proc, first, &data, &facts, today)?;
        let clauses = clauses_json(first, &applied, &[]);

        // A retry racing the first submission is caught by the unique (user, client key)
        // index at the insert below.
        let mut tx = self.store.begin().await?;
        let seq = tx
            .next_sequence(&format!("case:{}:{}", proc.id, today.year()))
            .await?;
        let number = format!("{}{}-{seq:06}", case_prefix(proc), today.year());
        let now = self.clock.now();
        let data_json = Value::Object(data.clone()).to_string();
        let applicant_name = text_of(&data, "applicant_name");
        let village = text_of(&data, "village");
        let key = client_key.unwrap_or_else(|| format!("server-{number}"));
        let inserted = tx
            .insert_case(
                &NewCase {
                    procedure: &proc.id,
                    number: &number,
                    state: first.target(&proc.initial),
                    unit_id: &unit_id,
                    township_id: &township.id.0,
                    village: &village,
                    applicant_name: &applicant_name,
                    household_key: &household_key,
                    data: &data_json,
                    created_by: actor.user_id,
                    client_key: &key,
                },
                now,
            )
            .await;
        let id = match inserted {
            Ok(id) => id,
            // The same form submitted at the same moment (PostgreSQL lets both transactions
            // reach the insert): the other one won; answer with its case.
            Err(StoreError::Conflict { .. }) => {
                // Waits for the other's commit (on SQLite it may share a group commit).
                tx.rollback().await?;
                let done = self
                    .store
                    .case_by_client_key(actor.user_id, &key)
                    .await?
                    .ok_or_else(case_changed)?;
                return Ok((CaseOutcome::of(&done), false));
            }
            Err(e) => return Err(e.into()),
        };
        let case = CaseRow {
            id,
            procedure: proc.id.clone(),
            number: number.clone(),
            state: proc.initial.clone(),
            unit_id,
            township_id: township.id.0.clone(),
            village,
            applicant_name,
            household_key,
            data: data_json,
            created_by: actor.user_id,
            client_key: key,
            created_at: String::new(),
            updated_at: String::new(),
            version: 0,
        };
        let effects = self
            .apply_deadlines(&mut tx, proc, first, &case, &form, &[], today)
            .await?;
        let documents = issue_documents(&mut tx, proc, first, id, 1, today).await?;
        tx.insert_event(&EventRow {
            case_id: id,
            seq: 1,
            at: tongxin_store::format_ts(now),
            actor: actor.username.clone(),
            role: actor.role.code().to_owned(),
            unit: actor.unit.0.clone(),
            action: first.id.clone(),
            from_state: proc.initial.clone(),
            to_state: first.to.clone(),
            comment: String::new(),
            data: Value::Object(form).to_string(),
            clauses: clauses_with(clauses, &effects, &documents).to_string(),
            policy_version: self.pack.version.clone(),
        })
        .await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("case:{id}"),
            json!({ "procedure": proc.id, "number": number, "action": first.id, "to": first.to }),
        )
        .await?;
        tx.commit().await?;
        Ok((
            CaseOutcome {
                id,
                number,
                state: first.to.clone(),
                version: 1,
            },
            true,
        ))
    }

    /// Facts checks need from outside the form, each looked up only when the action runs the
    /// check that needs it: the household's approved homestead (一户一宅), the applicant's
    /// dishonesty-list entry (临时用地 第二十四条).
    async fn case_facts(
        &self,
        proc: &Procedure,
        action: &Action,
        data: &Map<String, Value>,
        this_case: Option<i64>,
        today: NaiveDate,
    ) -> Result<CaseFacts, AppError> {
        let runs = |name: &str| action.checks.iter().any(|c| c == name);
        let dishonesty = if runs(checks::NOT_ON_DISHONESTY_LIST) {
            self.dishonesty_fact(data, today).await?
        } else {
            None
        };
        let household_key = household_key(proc, data);
        let existing_homestead = if runs(checks::ONE_HOUSEHOLD) {
            self.existing_homestead(proc, &household_key, this_case)
                .await?
        } else {
            None
        };
        let reads_boundary = action.checks.iter().any(|c| {
            checks::lookup(c).is_some_and(|spec| spec.reads.contains(&siting::BOUNDARY_FIELD))
        });
        let land = match crate::land::site_of(data) {
            Some(site) if reads_boundary => Some(self.land_facts(&site).await?),
            _ => None,
        };
        let reads_point = action.checks.iter().any(|c| {
            checks::lookup(c).is_some_and(|spec| {
                homestead_siting::POINT_FIELDS
                    .iter()
                    .any(|f| spec.reads.contains(f))
            })
        });
        let homestead_site = match homestead_siting::site_point(data) {
            Some((field, lon, lat)) if reads_point => {
                Some(self.homestead_site_facts(field, lon, lat).await?)
            }
            _ => None,
        };
        Ok(CaseFacts {
            existing_homestead,
            dishonesty,
            land,
            homestead_site,
        })
    }

    /// The household's approved homestead, if another of its cases issued the approval.
    async fn existing_homestead(
        &self,
        proc: &Procedure,
        household_key: &str,
        this_case: Option<i64>,
    ) -> Result<Option<ExistingHomestead>, AppError> {
        if household_key.is_empty() {
            return Ok(None);
        }
        let others: Vec<CaseRow> = self
            .store
            .cases_of_household(&proc.id, household_key)
            .await?
            .into_iter()
            .filter(|c| Some(c.id) != this_case)
            .collect();
        let ids: Vec<i64> = others.iter().map(|c| c.id).collect();
        let docs = self.store.case_documents(&ids).await?;
        // A homestead is held once its approval was issued (第十二条); a household holds it
        // until it is returned, which Tongxin does not record yet.
        let approval = proc
            .actions
            .iter()
            .find_map(|a| a.issues.first())
            .map(String::as_str);
        let held = others.iter().find(|c| {
            docs.iter()
                .any(|d| d.case_id == c.id && Some(d.document.as_str()) == approval)
        });
        Ok(held.map(|c| ExistingHomestead {
            case_id: c.number.clone(),
            returning_by: None,
        }))
    }

    /// Runs an action's checks; failures become field errors naming the clause.
    fn run_checks(
        &self,
        proc: &Procedure,
        action: &Action,
        data: &Map<String, Value>,
        facts: &CaseFacts,
        today: NaiveDate,
    ) -> Result<Vec<checks::CheckPass>, AppError> {
        let corpus = self.corpus();
        let cx = CheckContext {
            corpus: &corpus,
            day: today,
            data,
            fields: &proc.fields,
            facts,
            action_citation: &action.citation,
        };
        let mut passes = Vec::new();
        let mut errors = Vec::new();
        for name in &action.checks {
            let spec = checks::lookup(name)
                .ok_or_else(|| AppError::Internal(format!("校验规则“{name}”未注册")))?;
            match (spec.run)(&cx).map_err(crate::policy::rule_error)? {
                CheckOutcome::Pass(p) => passes.push(p),
                CheckOutcome::Fail(fs) => {
                    errors.extend(fs.into_iter().map(|f| FieldError::new(f.field, f.message)))
                }
            }
        }
        if errors.is_empty() {
            Ok(passes)
        } else {
            Err(AppError::Validation(errors))
        }
    }

    /// Starts, meets, cancels, pauses, resumes and extends the deadlines `action` touches;
    /// `form` is what the action entered (an extension's months).
    #[allow(clippy::too_many_arguments)]
    async fn apply_deadlines(
        &self,
        tx: &mut tongxin_store::Tx,
        proc: &Procedure,
        action: &Action,
        case: &CaseRow,
        form: &Map<String, Value>,
        existing: &[DeadlineRow],
        today: NaiveDate,
    ) -> Result<Vec<Value>, AppError> {
        let effects = proc.effects(&action.id);
        let cal = self.calendar();
        let corpus = self.corpus();
        let mut notes = Vec::new();
        // A period the case itself fixed (临时用地: the approved months).
        let case_data = json_map(&case.data);
        let amount = |def: &DeadlineDef| {
            def.period_field
                .as_ref()
                .and_then(|f| case_data.get(f))
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
        };
        let open = |def: &DeadlineDef| {
            existing
                .iter()
                .rev()
                .find(|r| r.deadline == def.id && (r.status == "running" || r.status == "paused"))
        };
        for def in &effects.meets {
            if let Some(r) = open(def) {
                let mut r = r.clone();
                r.status = "met".into();
                r.met_on = Some(today);
                tx.update_deadline(&r).await?;
                notes
                    .push(json!({ "deadline": def.id, "effect": "met", "citation": def.citation }));
                // 按期报送: the next period begins where this one ended.
                if def.repeats && !effects.cancels.iter().any(|c| c.id == def.id) {
                    let series: Vec<&DeadlineRow> =
                        existing.iter().filter(|x| x.deadline == def.id).collect();
                    let origin = series
                        .iter()
                        .map(|x| x.started_on)
                        .min()
                        .unwrap_or(r.started_on);
                    let next =
                        self.next_period(proc, def, case, origin, series.len(), &r, amount(def))?;
                    notes.push(json!({
                        "deadline": def.id, "effect": "started", "due_on": next.due_on,
                        "citation": def.citation, "rule_citation": next.rule_citation,
                    }));
                    tx.insert_deadline(&next).await?;
                }
            }
        }
        for def in &effects.cancels {
            if let Some(r) = open(def) {
                let mut r = r.clone();
                r.status = "cancelled".into();
                tx.update_deadline(&r).await?;
                notes.push(
                    json!({ "deadline": def.id, "effect": "cancelled", "citation": def.citation }),
                );
            }
        }
        for def in &effects.pauses {
            if let Some(r) = open(def).filter(|r| r.status == "running") {
                let mut r = r.clone();
                let mut p = pauses_of(&r);
                p.push(PauseView {
                    from: today,
                    to: None,
                });
                r.pauses = serde_json::to_string(&p).unwrap_or_else(|_| "[]".into());
                r.status = "paused".into();
                r.due_on = None;
                tx.update_deadline(&r).await?;
                notes.push(
                    json!({ "deadline": def.id, "effect": "paused", "citation": def.citation }),
                );
            }
        }
        for def in &effects.resumes {
            if let Some(r) = open(def).filter(|r| r.status == "paused") {
                let mut r = r.clone();
                let mut p = pauses_of(&r);
                if let Some(last) = p.iter_mut().rev().find(|p| p.to.is_none()) {
                    last.to = Some(today);
                }
                let due = procedure::due_date_for(
                    def,
                    amount(def),
                    r.started_on,
                    &calendar_pauses(&p),
                    &cal,
                    &corpus,
                )
                .map_err(due_error)?;
                r.pauses = serde_json::to_string(&p).unwrap_or_else(|_| "[]".into());
                r.status = "running".into();
                r.due_on = due
                    .date
                    .and_then(|d| extended_due(&cal, d, r.extended_months));
                r.opens_on = opens_on(def, r.due_on, &corpus, r.started_on)?;
                // A new due date deserves a new warning.
                r.warned_on = None;
                tx.update_deadline(&r).await?;
                notes.push(json!({ "deadline": def.id, "effect": "resumed", "due_on": due.date, "citation": def.citation }));
            }
        }
        for def in &effects.extends {
            let Some(ext) = &def.extension else { continue };
            let Some(r) = open(def).filter(|r| r.status == "running") else {
                return Err(AppError::Conflict(format!(
                    "“{}”没有在计时，无从延期——{}",
                    def.label, def.citation
                )));
            };
            // The cap in force on the day of the decision; none in force is said, not a 500.
            let cap = corpus.rule(&ext.cap, today).map_err(|e| {
                AppError::Conflict(format!("{}无法延期：{e}——{}", def.label, def.citation))
            })?;
            let cap_months = match (cap.value.as_f64(), cap.unit) {
                (Some(v), "years") => (v * 12.0).round() as i64,
                (Some(v), _) => v.round() as i64,
                (None, _) => {
                    return Err(AppError::Internal(format!("{}不是数值", ext.cap)));
                }
            };
            let label = proc
                .field(&ext.field)
                .map(|f| f.label.clone())
                .unwrap_or_else(|| ext.field.clone());
            if r.extensions >= i64::from(ext.times) {
                return Err(AppError::field(
                    &ext.field,
                    format!(
                        "“{}”已延期{}次，不能再延期——{}",
                        def.label, r.extensions, cap.citation
                    ),
                ));
            }
            let months = form.get(&ext.field).and_then(Value::as_i64).unwrap_or(0);
            if months < 1 || months > cap_months {
                return Err(AppError::field(
                    &ext.field,
                    format!(
                        "“{label}”须为1至{cap_months}个月（延长期限不得超过{}{}），现为{months}个月——{}",
                        cap.value,
                        tongxin_domain::policy::unit_label(cap.unit),
                        cap.citation
                    ),
                ));
            }
            let mut r = r.clone();
            r.extended_months += months;
            r.extensions += 1;
            r.due_on = r.due_on.and_then(|d| extended_due(&cal, d, months));
            r.opens_on = opens_on(def, r.due_on, &corpus, r.started_on)?;
            r.warned_on = None;
            r.overdue_on = None;
            tx.update_deadline(&r).await?;
            notes.push(json!({
                "deadline": def.id, "effect": "extended", "due_on": r.due_on, "months": months,
                "citation": cap.citation, "rule_citation": cap.citation,
            }));
        }
        for def in &effects.starts {
            let due = procedure::due_date_for(def, amount(def), today, &[], &cal, &corpus)
                .map_err(due_error)?;
            let responsible = self.responsible_unit(proc, def, case);
            tx.insert_deadline(&DeadlineRow {
                id: 0,
                case_id: case.id,
                deadline: def.id.clone(),
                kind: kind_code(def.kind).into(),
                status: "running".into(),
                started_on: today,
                due_on: due.date,
                amount: i64::from(due.amount),
                unit: def.unit.code().into(),
                pauses: "[]".into(),
                citation: def.citation.to_string(),
                rule_citation: due.rule_citation.to_string(),
                responsible,
                met_on: None,
                warned_on: None,
                overdue_on: None,
                extended_months: 0,
                extensions: 0,
                opens_on: opens_on(def, due.date, &corpus, today)?,
            })
            .await?;
            notes.push(json!({
                "deadline": def.id, "effect": "started", "due_on": due.date,
                "amount": due.amount, "unit": def.unit.code(),
                "citation": def.citation, "rule_citation": due.rule_citation,
                "warnings": due.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            }));
        }
        Ok(notes)
    }

    /// Period `n + 1` of a repeating deadline whose first began on `origin`, after `done` (the
    /// n-th) was met: it begins where the n-th ended, counted from the origin (the natural end,
    /// so periods neither drift after a short month nor overlap when a due date was carried
    /// past a holiday), on the rule in force that day.
    #[allow(clippy::too_many_arguments)]
    fn next_period(
        &self,
        proc: &Procedure,
        def: &DeadlineDef,
        case: &CaseRow,
        origin: NaiveDate,
        n: usize,
        done: &DeadlineRow,
        amount: Option<u32>,
    ) -> Result<DeadlineRow, AppError> {
        let cal = self.calendar();
        let corpus = self.corpus();
        let periods = i64::try_from(n)
            .unwrap_or(i64::MAX)
            .saturating_mul(done.amount);
        let start = natural_period_end(def.unit, origin, periods)
            .ok_or_else(|| AppError::Internal(format!("{}的下一期超出日期范围", def.label)))?;
        let due =
            procedure::due_date_for(def, amount, start, &[], &cal, &corpus).map_err(due_error)?;
        Ok(DeadlineRow {
            id: 0,
            case_id: case.id,
            deadline: def.id.clone(),
            kind: kind_code(def.kind).into(),
            status: "running".into(),
            started_on: start,
            due_on: due.date,
            amount: i64::from(due.amount),
            unit: def.unit.code().into(),
            pauses: "[]".into(),
            citation: def.citation.to_string(),
            rule_citation: due.rule_citation.to_string(),
            responsible: self.responsible_unit(proc, def, case),
            met_on: None,
            warned_on: None,
            overdue_on: None,
            extended_months: 0,
            extensions: 0,
            opens_on: opens_on(def, due.date, &corpus, start)?,
        })
    }

    /// The unit whose inbox a deadline's warnings go to: the procedure's handling unit if it
    /// has one, else by the level of the action that meets it (township: the township; village
    /// or applicant: the unit the case belongs to).
    fn responsible_unit(&self, proc: &Procedure, def: &DeadlineDef, case: &CaseRow) -> String {
        let meeting = def.met_by.iter().filter_map(|a| proc.find_action(a)).next();
        // An action named for one unit: its clock is that unit's (财政局's review).
        if let Some(ActingUnit::Named(name)) = meeting.and_then(|a| a.unit.as_ref())
            && let Some(u) = self.directory().resolve_unit(name)
        {
            return u.id.0.clone();
        }
        let level = meeting.map(|a| a.level);
        match (level, &proc.handled_by) {
            // A procedure with one handling unit (临时用地: 自然资源局): its clocks are that unit's.
            (_, Some(_)) => case.unit_id.clone(),
            (Some(procedure::ActingLevel::Township), None) => case.township_id.clone(),
            _ => case.unit_id.clone(),
        }
    }

    /// Takes an action on a case.
    pub async fn act_on_case(
        &self,
        actor: &Actor,
        case_id: i64,
        input: &ActionInput,
    ) -> Result<CaseOutcome, AppError> {
        let case = self.visible_case(actor, case_id).await?;
        let proc = self.procedure(&case.procedure)?;
        if input.version != case.version {
            return Err(case_changed());
        }
        let action = proc
            .action(&case.state, &input.action, actor.role)
            .map_err(|e| match e {
                procedure::ProcedureError::RoleNotAllowed { .. } => {
                    role_refused(proc, &input.action)
                }
                procedure::ProcedureError::UnknownAction { .. } => {
                    AppError::field("action", format!("办理事项“{}”不存在", input.action))
                }
                e => AppError::Conflict(e.to_string()),
            })?;
        if !self.acts_as_unit(actor, &case, action) {
            return Err(unit_refused(action));
        }
        let to_state = action.target(&case.state).to_owned();
        let today = self.clock.today();
        let form = proc
            .validate_form(action, &input.data, today)
            .map_err(AppError::Validation)?;
        let mut data = json_map(&case.data);
        for (k, v) in &form {
            if k != REASON_FIELD {
                data.insert(k.clone(), v.clone());
            }
        }
        let facts = self
            .case_facts(proc, action, &data, Some(case.id), today)
            .await?;
        let applied = self.run_checks(proc, action, &data, &facts, today)?;
        let clauses = clauses_json(action, &applied, &[]);
        let now = self.clock.now();
        let seq = case.version + 1;

        let applicant_name = text_of(&data, "applicant_name");
        let village = text_of(&data, "village");
        let mut tx = self.store.begin().await?;
        let written: Result<(), AppError> = async {
            // The version check first: on SQLite it goes with the read below, so a case that
            // moved on is found at the first hand-off.
            tx.update_case(
                case.id,
                case.version,
                &to_state,
                &Value::Object(data).to_string(),
                &applicant_name,
                &village,
                now,
            )
            .await?;
            let existing = tx.deadlines_for_update(case.id).await?;
            // 不少于 / 期间内: the meeting action waits for the period to end, or for its window.
            for def in &proc.effects(&action.id).meets {
                if let Some((from, why)) = existing
                    .iter()
                    .find(|r| r.deadline == def.id && r.status == "running")
                    .and_then(|r| not_before(def, r))
                    && today < from
                {
                    return Err(AppError::Conflict(format!(
                        "{why}，{}起方可“{}”——{}",
                        from.format("%Y年%-m月%-d日"),
                        action.label,
                        def.citation
                    )));
                }
            }
            let effects = self
                .apply_deadlines(&mut tx, proc, action, &case, &form, &existing, today)
                .await?;
            let documents = issue_documents(&mut tx, proc, action, case.id, seq, today).await?;
            let comment = form
                .get(REASON_FIELD)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            tx.insert_event(&EventRow {
                case_id: case.id,
                seq,
                at: tongxin_store::format_ts(now),
                actor: actor.username.clone(),
                role: actor.role.code().to_owned(),
                unit: actor.unit.0.clone(),
                action: action.id.clone(),
                from_state: case.state.clone(),
                to_state: to_state.clone(),
                comment,
                data: Value::Object(form).to_string(),
                clauses: clauses_with(clauses, &effects, &documents).to_string(),
                policy_version: self.pack.version.clone(),
            })
            .await?;
            self.audit(
                &mut tx,
                &actor.audit(),
                AuditAction::StateChange,
                &format!("case:{}", case.id),
                json!({ "number": case.number, "action": action.id, "from": case.state, "to": to_state }),
            )
            .await
        }
        .await;
        // A write held back is judged when it is sent: the case having moved on is reported by
        // whichever call sent it, so it is read the same wherever it surfaced.
        match written {
            Ok(()) => {
                tx.commit().await.map_err(|e| case_write_error(e.into()))?;
                self.forget_notices();
            }
            Err(e) => return Err(case_write_error(e)),
        }
        Ok(CaseOutcome {
            id: case.id,
            number: case.number,
            state: to_state,
            version: seq,
        })
    }

    /// The case, if `actor` may see it: a case outside the actor's scope reads as not found.
    pub(crate) async fn visible_case(
        &self,
        actor: &Actor,
        case_id: i64,
    ) -> Result<CaseRow, AppError> {
        self.require_cases(actor)?;
        let not_found = || AppError::NotFound {
            what: format!("案件{case_id}"),
        };
        let case = self
            .store
            .case_by_id(case_id)
            .await?
            .ok_or_else(not_found)?;
        if !self.in_scope(actor, &case) {
            return Err(not_found());
        }
        Ok(case)
    }

    /// A case as `actor` may see it (scope enforced: out of scope reads as not found).
    pub async fn case_view(&self, actor: &Actor, case_id: i64) -> Result<CaseView, AppError> {
        let case = self.visible_case(actor, case_id).await?;
        self.case_view_of(actor, case).await
    }

    async fn case_view_of(&self, actor: &Actor, case: CaseRow) -> Result<CaseView, AppError> {
        let proc = self.procedure(&case.procedure)?;
        let today = self.clock.today();
        let cal = self.calendar();
        let deadlines = self.store.deadlines_of(&[case.id]).await?;
        let docs = self.store.case_documents(&[case.id]).await?;
        let events = self.store.case_events(case.id).await?;
        let masked = !sees_personal_data(proc, actor.role);
        let deadline_views = deadlines
            .iter()
            .map(|r| deadline_view(proc, r, today, &cal))
            .collect::<Result<Vec<_>, _>>()?;
        let state = proc.state(&case.state);
        let allowed_actions = if self.in_scope(actor, &case) {
            proc.allowed_actions(&case.state, actor.role)
                .into_iter()
                .filter(|a| self.acts_as_unit(actor, &case, a))
                .map(|a| action_view(proc, a, &deadlines, today))
                .collect()
        } else {
            Vec::new()
        };
        let data = json_map(&case.data);
        let mut usernames: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
        usernames.sort();
        usernames.dedup();
        let names = self.store.display_names(&usernames).await?;
        let events = events
            .into_iter()
            .map(|e| {
                let d = json_map(&e.data);
                let name = names
                    .get(&e.actor)
                    .cloned()
                    .unwrap_or_else(|| e.actor.clone());
                EventView {
                    seq: e.seq,
                    at: e.at,
                    actor_name: if masked && e.role == Role::Applicant.code() {
                        mask_name(&name)
                    } else {
                        name
                    },
                    actor: e.actor,
                    role: e
                        .role
                        .parse::<Role>()
                        .map(|r| r.label().to_owned())
                        // Objections and reports lodged on the public portal.
                        .unwrap_or_else(|_| match e.role.as_str() {
                            "public" => "公众".to_owned(),
                            _ => e.role.clone(),
                        }),
                    unit: self.unit_name(&e.unit),
                    action_label: proc
                        .find_action(&e.action)
                        .map(|a| a.label.clone())
                        .unwrap_or_else(|| e.action.clone()),
                    action: e.action,
                    from_state: state_label(proc, &e.from_state),
                    to_state: state_label(proc, &e.to_state),
                    comment: e.comment,
                    data: if masked {
                        mask_data(&proc.fields, &d)
                    } else {
                        d
                    },
                    clauses: serde_json::from_str(&e.clauses).unwrap_or(Value::Null),
                    policy_version: e.policy_version,
                }
            })
            .collect();
        Ok(CaseView {
            id: case.id,
            number: case.number,
            procedure: proc.id.clone(),
            procedure_title: proc.title.clone(),
            state_label: state.map(|s| s.label.clone()).unwrap_or_default(),
            terminal: state.is_some_and(|s| s.terminal),
            state: case.state,
            township: self.unit_name(&case.township_id),
            township_id: case.township_id,
            unit: self.unit_name(&case.unit_id),
            village: case.village,
            applicant_name: if masked {
                shown_applicant(proc, &json_map(&case.data), &case.applicant_name)
            } else {
                case.applicant_name
            },
            created_at: case.created_at,
            updated_at: case.updated_at,
            version: case.version,
            masked,
            data: if masked {
                mask_data(&proc.fields, &data)
            } else {
                data
            },
            allowed_actions,
            deadlines: deadline_views,
            events,
            documents: docs.iter().map(|d| document_view(proc, d)).collect(),
            policy_warnings: self
                .corpus()
                .warnings_for(&proc.document, today)
                .iter()
                .map(ToString::to_string)
                .collect(),
        })
    }

    /// A page of cases in the actor's scope, newest first.
    pub async fn list_cases(
        &self,
        actor: &Actor,
        procedure: &str,
        q: &CaseQuery,
    ) -> Result<Page<CaseSummary>, AppError> {
        self.require_cases(actor)?;
        let per_page = q.per_page.unwrap_or(20).clamp(1, PER_PAGE_MAX);
        let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
        self.case_rows(actor, procedure, q, per_page, (page - 1) * per_page)
            .await
            .map(|(items, total)| Page {
                items,
                total,
                page,
                per_page,
            })
    }

    /// Every case under the filter (the ledger export), at most `limit`.
    pub async fn ledger(
        &self,
        actor: &Actor,
        procedure: &str,
        q: &CaseQuery,
        limit: i64,
    ) -> Result<(Vec<CaseSummary>, i64), AppError> {
        self.require_cases(actor)?;
        let out = self.case_rows(actor, procedure, q, limit, 0).await?;
        let mut tx = self.store.begin().await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Export,
            &format!("ledger:{procedure}"),
            json!({ "rows": out.0.len(), "township": q.township, "state": q.state }),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    pub(crate) async fn case_rows(
        &self,
        actor: &Actor,
        procedure: &str,
        q: &CaseQuery,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<CaseSummary>, i64), AppError> {
        let proc = self.procedure(procedure)?;
        let (units, created_by) = self.scope_filter_for(actor, proc);
        let mut errors = Vec::new();
        let township_id = self.unit_filter("township", "乡镇", q.township.as_deref(), &mut errors);
        let states = match q.state.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => match proc
                .state(s)
                .or_else(|| proc.states.iter().find(|st| st.label == s))
            {
                Some(st) => Some(vec![st.id.clone()]),
                None => {
                    errors.push(FieldError::new("state", format!("状态“{s}”不存在")));
                    None
                }
            },
            _ => None,
        };
        let today = self.clock.today();
        let running_due = match q.deadline.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => match proc.deadline(d) {
                Some(def) => {
                    let days = q.due_within.unwrap_or(0).clamp(-36_600, 36_600);
                    Some((def.id.clone(), today + chrono::Duration::days(days)))
                }
                None => {
                    errors.push(FieldError::new("deadline", format!("时限“{d}”不存在")));
                    None
                }
            },
            _ => None,
        };
        let unit_id = self.unit_filter("unit", "单位", q.unit.as_deref(), &mut errors);
        let number_prefix = match q.year.as_deref().map(str::trim) {
            Some(y) if !y.is_empty() => match y.trim_end_matches('年').parse::<i32>() {
                Ok(n) if (2000..=2100).contains(&n) => Some(format!("{}{n}-", case_prefix(proc))),
                _ => {
                    errors.push(FieldError::new(
                        "year",
                        format!("“年度”须为2000至2100之间的年份，如2025；“{y}”不是"),
                    ));
                    None
                }
            },
            _ => None,
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let filter = CaseFilter {
            procedure: proc.id.clone(),
            units,
            unit_id,
            number_prefix,
            created_by,
            township_id,
            village: q
                .village
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| v.chars().filter(|c| *c != '%' && *c != '_').collect()),
            states,
            overdue: q.overdue.unwrap_or(false),
            running_due,
            limit,
            offset,
        };
        let (rows, total) = self.store.list_cases(&filter).await?;
        let masked = !sees_personal_data(proc, actor.role);
        let items = self.summaries(proc, rows, masked, today).await?;
        Ok((items, total))
    }

    /// The list view of stored cases, with their deadlines and documents; names, phones and
    /// ID numbers masked when `masked`.
    async fn summaries(
        &self,
        proc: &Procedure,
        rows: Vec<CaseRow>,
        masked: bool,
        today: NaiveDate,
    ) -> Result<Vec<CaseSummary>, AppError> {
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        let deadlines = self.store.deadlines_of(&ids).await?;
        let docs = self.store.case_documents(&ids).await?;
        let cal = self.calendar();
        let mut by_case: BTreeMap<i64, Vec<&DeadlineRow>> = BTreeMap::new();
        for d in &deadlines {
            by_case.entry(d.case_id).or_default().push(d);
        }
        let mut items = Vec::with_capacity(rows.len());
        for c in rows {
            let mut next: Option<DeadlineView> = None;
            let mut all = Vec::new();
            for d in by_case.get(&c.id).into_iter().flatten() {
                let v = deadline_view(proc, d, today, &cal)?;
                let live = d.status == "running" || d.status == "paused";
                all.push(v.clone());
                if !live {
                    continue;
                }
                let sooner = match (&next, v.due_on) {
                    (None, _) => true,
                    (Some(n), Some(due)) => n.due_on.is_none_or(|nd| due < nd),
                    (Some(_), None) => false,
                };
                if sooner {
                    next = Some(v);
                }
            }
            let state = proc.state(&c.state);
            let data = json_map(&c.data);
            items.push(CaseSummary {
                id: c.id,
                number: c.number,
                state_label: state.map(|s| s.label.clone()).unwrap_or_default(),
                terminal: state.is_some_and(|s| s.terminal),
                state: c.state,
                township: self.unit_name(&c.township_id),
                unit: self.unit_name(&c.unit_id),
                village: c.village,
                applicant_name: if masked {
                    shown_applicant(proc, &data, &c.applicant_name)
                } else {
                    c.applicant_name
                },
                created_at: c.created_at,
                updated_at: c.updated_at,
                overdue: next.as_ref().is_some_and(|n| n.colour == "red"),
                next_deadline: next,
                deadlines: all,
                data: if masked {
                    mask_data(&proc.fields, &data)
                } else {
                    data
                },
                documents: docs
                    .iter()
                    .filter(|d| d.case_id == c.id)
                    .map(|d| document_view(proc, d))
                    .collect(),
            });
        }
        Ok(items)
    }

    /// 批准信息公开: the newest [`PUBLIC_CASES_MAX`] cases in the procedure's public states (临时用地: approved and after,
    /// 第二十三条), for anyone — names and phones masked, ID numbers left out, newest first.
    pub async fn public_cases(&self, procedure: &str) -> Result<Vec<CaseSummary>, AppError> {
        let proc = self.procedure(procedure)?;
        let states: Vec<String> = proc
            .states
            .iter()
            .filter(|s| s.public)
            .map(|s| s.id.clone())
            .collect();
        if states.is_empty() {
            return Ok(Vec::new());
        }
        let filter = CaseFilter {
            procedure: proc.id.clone(),
            states: Some(states),
            limit: PUBLIC_CASES_MAX,
            ..CaseFilter::default()
        };
        let (rows, _) = self.store.list_cases(&filter).await?;
        let mut items = self.summaries(proc, rows, true, self.clock.today()).await?;
        for item in &mut items {
            for f in &proc.fields {
                if f.kind == FieldKind::ResidentId {
                    item.data.remove(&f.id);
                }
            }
        }
        Ok(items)
    }

    /// 公示: the applications in their notice period, for anyone, names masked, no ID numbers.
    pub async fn public_notices(&self, procedure: &str) -> Result<Vec<PublicNotice>, AppError> {
        let now = self.clock.now();
        let today = self.clock.today();
        if let Ok(cache) = self.notices.lock()
            && let Some(c) = cache.get(procedure)
            && c.today == today
            && now >= c.at
            && now - c.at < chrono::Duration::seconds(NOTICE_CACHE_SECONDS)
        {
            return Ok(c.rows.clone());
        }
        let rows = self.read_public_notices(procedure).await?;
        if let Ok(mut cache) = self.notices.lock() {
            cache.insert(
                procedure.to_owned(),
                NoticeCache {
                    at: now,
                    today,
                    rows: rows.clone(),
                },
            );
        }
        Ok(rows)
    }

    /// Forgets the public notices read (a case moved, due dates were computed anew).
    pub(crate) fn forget_notices(&self) {
        if let Ok(mut cache) = self.notices.lock() {
            cache.clear();
        }
    }

    async fn read_public_notices(&self, procedure: &str) -> Result<Vec<PublicNotice>, AppError> {
        let proc = self.procedure(procedure)?;
        let notice_states: Vec<String> = proc
            .deadlines
            .iter()
            .filter(|d| d.kind == DeadlineKind::AtLeast)
            .flat_map(|d| d.started_by.iter())
            .filter_map(|a| proc.find_action(a))
            .map(|a| a.to.clone())
            .collect();
        let filter = CaseFilter {
            procedure: proc.id.clone(),
            states: Some(notice_states),
            limit: 500,
            ..CaseFilter::default()
        };
        let (rows, _) = self.store.list_cases(&filter).await?;
        let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
        let deadlines = self.store.deadlines_of(&ids).await?;
        let label_of = |field: &str, v: &str| -> String {
            match proc.field(field).map(|f| &f.kind) {
                Some(FieldKind::Choice { options }) => options
                    .iter()
                    .find(|o| o.value == v)
                    .map(|o| o.label.clone())
                    .unwrap_or_else(|| v.to_owned()),
                _ => v.to_owned(),
            }
        };
        let mut out = Vec::new();
        for c in rows {
            let Some(d) = deadlines
                .iter()
                .find(|d| d.case_id == c.id && d.kind == "at_least" && d.status == "running")
            else {
                continue;
            };
            let data = json_map(&c.data);
            out.push(PublicNotice {
                case_id: c.id,
                responsible: d.responsible.clone(),
                number: c.number,
                township: self.unit_name(&c.township_id),
                village: c.village,
                applicant_name: mask_name(&c.applicant_name),
                land_type: label_of("land_type", &text_of(&data, "land_type")),
                area_m2: plain_number(data.get("area_m2")),
                storeys: plain_number(data.get("storeys")),
                site_description: text_of(&data, "site_description"),
                notice_place: text_of(&data, "notice_place"),
                from: d.started_on,
                until: d.due_on,
                citation: parse_citation(&d.citation)?,
            });
        }
        Ok(out)
    }

    /// 时限巡查: marks overdue deadlines, warns those due within [`WARNING_WORKDAYS`] working
    /// days, tells the village when a notice period has run, each once, in the responsible
    /// unit's inbox; then the supervision tasks' reports (`sweep_tasks`). Idempotent: a second
    /// sweep on the same day finds nothing new.
    pub async fn sweep(&self, today: NaiveDate) -> Result<SweepReport, AppError> {
        let cal = self.calendar();
        // Near the end of the last year the calendar covers, the window's end is unknown:
        // look a week ahead instead (more than 3 working days in any week).
        let through = cal
            .add_workdays(today, WARNING_WORKDAYS)
            .map(|c| c.value)
            .unwrap_or(today + chrono::Days::new(7));
        let mut report = SweepReport::default();
        let mut after = 0i64;
        const BATCH: i64 = 1000;
        loop {
            let items = self
                .store
                .deadlines_to_sweep(through, today, after, BATCH)
                .await?;
            let Some(last) = items.last() else { break };
            after = last.deadline.id;
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            for it in &items {
                let d = &it.deadline;
                report.examined += 1;
                let Some(due) = d.due_on else { continue };
                // Deadline ids are unique within a procedure, not across procedures.
                let label = self
                    .pack
                    .procedure(&it.procedure)
                    .and_then(|p| p.deadline(&d.deadline))
                    .map(|def| def.label.clone())
                    .unwrap_or_else(|| d.deadline.clone());
                let place = if it.village.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", it.village)
                };
                // 期间内办理: the window has opened — told once, as its own message, whatever
                // else the deadline is told.
                if let Some(o) = d.opens_on.filter(|o| *o <= today && d.kind == "within") {
                    let left = match cal.workdays_between(today, due) {
                        Ok(c) if c.value >= 0 => format!("还剩{}个工作日", c.value),
                        Ok(c) => format!("已逾期{}个工作日", -c.value),
                        Err(e) => format!("剩余工作日无法计算（{e}）"),
                    };
                    let msg = format!(
                        "案件{}{place}：{label}，自{}起可以办理，须在{}前办结，{left}——{}",
                        it.case_number,
                        o.format("%Y年%-m月%-d日"),
                        due.format("%Y年%-m月%-d日"),
                        d.citation
                    );
                    if tx
                        .post_inbox(
                            &d.responsible,
                            d.case_id,
                            d.id,
                            "window_open",
                            &msg,
                            due,
                            now,
                        )
                        .await?
                    {
                        report.warned += 1;
                    }
                }
                if d.kind == "at_least" {
                    let msg = format!(
                        "案件{}{place}：{label}已于{}届满，可以办理下一步——{}",
                        it.case_number,
                        due.format("%Y年%-m月%-d日"),
                        d.citation
                    );
                    tx.post_inbox(
                        &d.responsible,
                        d.case_id,
                        d.id,
                        "notice_ended",
                        &msg,
                        due,
                        now,
                    )
                    .await?;
                    tx.mark_deadline(d.id, Some(today), None).await?;
                    report.notice_ended += 1;
                } else if due < today && d.overdue_on.is_none() {
                    let late = match cal.workdays_between(due, today) {
                        Ok(c) => format!("已逾期{}个工作日", c.value),
                        Err(e) => format!("已逾期（工作日数无法计算：{e}）"),
                    };
                    let msg = format!(
                        "案件{}{place}：{label}已于{}到期，{late}——{}",
                        it.case_number,
                        due.format("%Y年%-m月%-d日"),
                        d.citation
                    );
                    tx.post_inbox(&d.responsible, d.case_id, d.id, "overdue", &msg, due, now)
                        .await?;
                    tx.mark_deadline(d.id, Some(today), Some(today)).await?;
                    report.overdue += 1;
                } else if d.warned_on.is_none() {
                    let left = match cal.workdays_between(today, due) {
                        Ok(c) => format!("还剩{}个工作日", c.value),
                        Err(e) => format!("剩余工作日无法计算（{e}）"),
                    };
                    if cal
                        .workdays_between(today, due)
                        .is_ok_and(|c| i64::from(c.value) > i64::from(WARNING_WORKDAYS))
                    {
                        continue;
                    }
                    let msg = format!(
                        "案件{}{place}：{label}将于{}到期，{left}——{}",
                        it.case_number,
                        due.format("%Y年%-m月%-d日"),
                        d.citation
                    );
                    tx.post_inbox(&d.responsible, d.case_id, d.id, "warning", &msg, due, now)
                        .await?;
                    tx.mark_deadline(d.id, Some(today), None).await?;
                    report.warned += 1;
                }
            }
            self.audit(
                &mut tx,
                &AuditActor::SYSTEM,
                AuditAction::System,
                "deadline_sweep",
                json!({ "today": today, "batch": items.len(), "warned": report.warned, "overdue": report.overdue }),
            )
            .await?;
            tx.commit().await?;
            if (items.len() as i64) < BATCH {
                break;
            }
        }
        report.tasks = self.sweep_tasks(today).await?;
        // 每日汇总: once a unit's working day has begun (07:00 in the county), once a day.
        let hour = self
            .clock
            .now()
            .with_timezone(&crate::clock::china_offset())
            .hour();
        if hour >= DIGEST_HOUR || today < self.clock.today() {
            report.digests = self.post_digests(today, through).await?;
        }
        self.wake_deliverer();
        Ok(report)
    }

    /// 待办提醒: the inbox of the actor's unit (and, for a township, its villages).
    pub async fn inbox(&self, actor: &Actor, limit: i64) -> Result<Vec<InboxItem>, AppError> {
        if actor.role.is_administrator() {
            return Ok(Vec::new());
        }
        let units: Vec<String> = match actor.role.scope() {
            DataScope::OwnUnitAndBelow => self
                .directory()
                .subtree(&actor.unit)
                .iter()
                .map(|u| u.id.0.clone())
                .collect(),
            DataScope::OwnUnit => vec![actor.unit.0.clone()],
            // Leaders and the supervision office see the county's overdue items elsewhere;
            // applicants are told on their case page.
            DataScope::All | DataScope::OwnRecords => return Ok(Vec::new()),
        };
        let colour = |kind: &str| match kind {
            "overdue" => "red",
            "warning" => "yellow",
            _ => "green",
        };
        let mut items: Vec<InboxItem> = self
            .store
            .inbox(&units, limit)
            .await?
            .into_iter()
            .map(|r| InboxItem {
                colour: colour(&r.kind),
                case_id: Some(r.case_id),
                procedure: r.procedure,
                case_number: r.case_number,
                task_id: None,
                link: None,
                kind: r.kind,
                message: r.message,
                due_on: Some(r.due_on),
                created_at: r.created_at,
            })
            .collect();
        items.extend(
            self.store
                .task_inbox(&units, limit)
                .await?
                .into_iter()
                .map(|r| InboxItem {
                    colour: colour(&r.kind),
                    case_id: None,
                    procedure: String::new(),
                    case_number: r.task_title,
                    task_id: Some(r.task_id),
                    link: None,
                    kind: r.kind,
                    message: r.message,
                    due_on: Some(r.due_on),
                    created_at: r.created_at,
                }),
        );
        // What the outbox brings to the 工作台 itself: reports, objections.
        items.extend(
            self.notification_inbox(&units, limit)
                .await?
                .into_iter()
                .map(|n| InboxItem {
                    colour: "yellow",
                    case_id: None,
                    procedure: String::new(),
                    case_number: n.title,
                    task_id: None,
                    link: Some(n.link),
                    kind: n.kind,
                    message: n.body,
                    due_on: None,
                    created_at: n.created_at,
                }),
        );
        // Newest first, the cases' and the tasks' together (timestamps sort as text).
        items.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        items.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(items)
    }
}

fn kind_code(k: DeadlineKind) -> &'static str {
    match k {
        DeadlineKind::Within => "within",
        DeadlineKind::AtLeast => "at_least",
    }
}

fn state_label(proc: &Procedure, id: &str) -> String {
    proc.state(id)
        .map(|s| s.label.clone())
        .unwrap_or_else(|| id.to_owned())
}

/// “无权批准（同政办规发〔2023〕6号 第十二条）：需要乡镇”.
fn role_refused(proc: &Procedure, action: &str) -> AppError {
    match proc.find_action(action) {
        Some(a) => AppError::Forbidden {
            action: format!("{}（{}）", a.label, a.citation),
            needed: a
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join("或"),
        },
        None => AppError::field("action", format!("办理事项“{action}”不存在")),
    }
}

/// An action another unit must take (财政局's funding review, the project unit's report).
fn unit_refused(action: &Action) -> AppError {
    let needed = match &action.unit {
        Some(ActingUnit::Owner) => "项目（申请）单位".to_owned(),
        Some(ActingUnit::Named(name)) => name.clone(),
        None => String::new(),
    };
    AppError::Forbidden {
        action: format!("{}（{}）", action.label, action.citation),
        needed,
    }
}

fn initial_roles(proc: &Procedure) -> String {
    let mut roles: Vec<&str> = proc
        .actions
        .iter()
        .filter(|a| a.from.contains(&proc.initial))
        .flat_map(|a| a.roles.iter().map(|r| r.label()))
        .collect();
    roles.dedup();
    roles.join("或")
}

/// The letter of a procedure's case numbers (宅 for homestead): the first character of the
/// first document issued, else of the title.
fn case_prefix(proc: &Procedure) -> String {
    if let Some(p) = &proc.number_prefix {
        return p.clone();
    }
    proc.documents
        .first()
        .and_then(|d| d.number_prefix.chars().next())
        .or_else(|| proc.title.chars().next())
        .map(String::from)
        .unwrap_or_default()
}

/// The household a case is filed for: the applicant's resident ID (the first resident-ID
/// field of the procedure).
fn household_key(proc: &Procedure, data: &Map<String, Value>) -> String {
    proc.fields
        .iter()
        .find(|f| f.kind == FieldKind::ResidentId)
        .map(|f| text_of(data, &f.id))
        .unwrap_or_default()
}

fn clauses_json(action: &Action, passes: &[checks::CheckPass], extra: &[Value]) -> Vec<Value> {
    let mut out = vec![json!({ "role": "action", "citation": action.citation })];
    for p in passes {
        out.push(json!({
            "role": "check", "check": p.check, "citation": p.citation, "note": p.note,
            "applied": p.applied.iter().map(|a| json!({
                "key": a.key, "value": a.value, "unit": a.unit, "citation": a.citation,
            })).collect::<Vec<_>>(),
        }));
    }
    out.extend(extra.iter().cloned());
    out
}

fn clauses_with(mut clauses: Vec<Value>, deadlines: &[Value], documents: &[Value]) -> Value {
    for d in deadlines {
        let mut d = d.clone();
        if let Value::Object(m) = &mut d {
            m.insert("role".into(), "deadline".into());
        }
        clauses.push(d);
    }
    for d in documents {
        let mut d = d.clone();
        if let Value::Object(m) = &mut d {
            m.insert("role".into(), "document".into());
        }
        clauses.push(d);
    }
    Value::Array(clauses)
}

/// Numbers and records the documents `action` issues: `宅批〔2024〕0001号`, one sequence per
/// prefix and year.
async fn issue_documents(
    tx: &mut tongxin_store::Tx,
    proc: &Procedure,
    action: &Action,
    case_id: i64,
    seq: i64,
    today: NaiveDate,
) -> Result<Vec<Value>, AppError> {
    let defs: Vec<_> = action
        .issues
        .iter()
        .filter_map(|id| proc.document_def(id))
        .collect();
    if defs.is_empty() {
        return Ok(Vec::new());
    }
    // All the numbers in one statement: each sequence stays locked until COMMIT.
    let names: Vec<String> = defs
        .iter()
        .map(|def| format!("doc:{}:{}", def.number_prefix, today.year()))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let numbers = tx.next_numbers(&names).await?;
    let mut rows = Vec::with_capacity(defs.len());
    let mut out = Vec::with_capacity(defs.len());
    for (def, n) in defs.into_iter().zip(numbers) {
        let number = format!("{}〔{}〕{n:04}号", def.number_prefix, today.year());
        out.push(json!({ "document": def.id, "number": number, "citation": def.citation }));
        rows.push(CaseDocumentRow {
            case_id,
            document: def.id.clone(),
            number,
            issued_on: today,
            event_seq: seq,
        });
    }
    tx.insert_case_documents(&rows).await?;
    Ok(out)
}

fn document_view(proc: &Procedure, d: &CaseDocumentRow) -> DocumentView {
    let def = proc.document_def(&d.document);
    DocumentView {
        title: def
            .map(|x| x.title.clone())
            .unwrap_or_else(|| d.document.clone()),
        citation: def
            .map(|x| x.citation.clone())
            .unwrap_or_else(|| Citation::new(proc.document.clone(), "")),
        document: d.document.clone(),
        number: d.number.clone(),
        issued_on: d.issued_on,
    }
}

fn action_view(
    proc: &Procedure,
    a: &Action,
    deadlines: &[DeadlineRow],
    today: NaiveDate,
) -> ActionView {
    let blocked = proc.effects(&a.id).meets.iter().find_map(|def| {
        deadlines
            .iter()
            .find(|r| r.deadline == def.id && r.status == "running")
            .and_then(|r| not_before(def, r))
            .filter(|(from, _)| today < *from)
            .map(|(from, why)| {
                format!(
                    "{why}，{}起方可办理——{}",
                    from.format("%Y年%-m月%-d日"),
                    def.citation
                )
            })
    });
    let negative = a.reason_required
        || proc
            .state(&a.to)
            .is_some_and(|s| s.terminal && s.id.starts_with("rejected"));
    ActionView {
        id: a.id.clone(),
        label: a.label.clone(),
        reason_required: a.reason_required,
        fields: a
            .fields
            .iter()
            .filter_map(|f| proc.field(f).cloned())
            .collect(),
        citation: a.citation.clone(),
        blocked,
        negative,
    }
}

/// A deadline as shown: status, working days left and colour.
pub fn deadline_view(
    proc: &Procedure,
    r: &DeadlineRow,
    today: NaiveDate,
    cal: &Calendar,
) -> Result<DeadlineView, AppError> {
    let def = proc.deadline(&r.deadline);
    let left = r.due_on.and_then(|due| {
        cal.workdays_between(today, due)
            .ok()
            .map(|c| i64::from(c.value))
    });
    let at_least = r.kind == "at_least";
    let (colour, status_label) = match r.status.as_str() {
        "running" if at_least => match left {
            Some(n) if n <= 0 => ("green", "期满，可办理下一步".to_owned()),
            Some(n) => ("yellow", format!("公示中，还需{n}个工作日")),
            None => ("grey", "计算中".to_owned()),
        },
        "running" => match left {
            Some(n) if n < 0 => ("red", format!("已逾期{}个工作日", -n)),
            Some(0) => ("yellow", "今日到期".to_owned()),
            Some(n) if n <= i64::from(WARNING_WORKDAYS) => ("yellow", format!("还剩{n}个工作日")),
            Some(n) => ("green", format!("还剩{n}个工作日")),
            None => ("grey", "计算中".to_owned()),
        },
        "paused" => ("grey", "补正中，时限中止".to_owned()),
        "met" => match (r.met_on, r.due_on) {
            (Some(m), Some(d)) if !at_least && m > d => ("red", "逾期办结".to_owned()),
            _ => ("grey", "已办结".to_owned()),
        },
        "cancelled" => ("grey", "已终止".to_owned()),
        other => ("grey", other.to_owned()),
    };
    Ok(DeadlineView {
        id: r.id,
        deadline: r.deadline.clone(),
        label: def
            .map(|d| d.label.clone())
            .unwrap_or_else(|| r.deadline.clone()),
        kind: if at_least {
            DeadlineKind::AtLeast
        } else {
            DeadlineKind::Within
        },
        status: r.status.clone(),
        status_label,
        started_on: r.started_on,
        due_on: r.due_on,
        amount: r.amount,
        unit_label: match r.unit.as_str() {
            "workdays" => "个工作日",
            "months" => "个月",
            "years" => "年",
            _ => "日",
        },
        extended_months: r.extended_months,
        workdays_left: if r.status == "running" { left } else { None },
        colour,
        citation: parse_citation(&r.citation)?,
        rule_citation: parse_citation(&r.rule_citation)?,
        note: def.map(|d| d.note.clone()).unwrap_or_default(),
        met_on: r.met_on,
        overdue_on: r.overdue_on,
        pauses: pauses_of(r),
        responsible: r.responsible.clone(),
    })
}
