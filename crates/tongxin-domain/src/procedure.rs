//! Procedures (办理流程): a case engine's definitions, as data. A procedure is a transition table
//! (Temporal's state machines): states, and actions that move a case from some states to one
//! state, each naming who may act, the form fields entered, the named checks run
//! ([`crate::checks`]), the documents issued, the deadlines it starts, meets, pauses or resumes,
//! and the clause it executes.
//!
//! Definitions are loaded and validated by `tongxin-policy` (`policies/<county>/procedures/`);
//! this module holds the model and the pure functions a case needs: which actions a role may
//! take in a state, form validation, and due dates.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Number, Value};
use thiserror::Error;
use tongxin_calendar::{
    Calendar, CalendarError, CalendarWarning, DeadlineStatus, Pause, Period, WorkdayDeadline,
};

use crate::access::Role;
use crate::citation::{Citation, DocNumber};
use crate::ids::ResidentId;
use crate::invest::{AmountError, WanYuan};
use crate::policy::{Corpus, PolicyWarning, RuleError};
use crate::validation::{FieldError, char_len};

/// 状态: where a case stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    pub id: String,
    /// 中文名 (`公示中`).
    pub label: String,
    /// 办结: no action leaves a terminal state.
    pub terminal: bool,
    /// 公开: cases in this state are published (临时用地批准信息, 第二十三条).
    pub public: bool,
}

/// 办理层级: the level of the unit that acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActingLevel {
    /// 申请人 (or the village filing on the applicant's behalf).
    Applicant,
    /// 村 (村民小组, 村级组织).
    Village,
    /// 乡镇.
    Township,
    /// 县 (a county department).
    County,
}

impl ActingLevel {
    pub fn code(self) -> &'static str {
        match self {
            ActingLevel::Applicant => "applicant",
            ActingLevel::Village => "village",
            ActingLevel::Township => "township",
            ActingLevel::County => "county",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActingLevel::Applicant => "申请人",
            ActingLevel::Village => "村",
            ActingLevel::Township => "乡镇",
            ActingLevel::County => "县",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            ActingLevel::Applicant,
            ActingLevel::Village,
            ActingLevel::Township,
            ActingLevel::County,
        ]
        .into_iter()
        .find(|l| l.code() == s)
    }
}

/// 办理事项: one row of the transition table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub id: String,
    /// 中文名 (`批准`).
    pub label: String,
    /// States the action may be taken from.
    pub from: Vec<String>,
    /// The state the case is in afterwards (may equal a `from` state: a record-only action).
    /// Empty when `stays`.
    pub to: String,
    /// 记录事项: the case stays in whichever `from` state it is in (a monthly progress report,
    /// an approval obtained alongside, recorded at any stage).
    pub stays: bool,
    /// Roles that may take it. Never one of the three administrators (checked at load).
    pub roles: Vec<Role>,
    pub level: ActingLevel,
    /// 办理单位: besides the role, the unit that must act (None: any unit the role's scope
    /// lets see the case).
    pub unit: Option<ActingUnit>,
    /// 须说明理由 (reject, return for correction): the form's `reason` must be filled.
    pub reason_required: bool,
    /// Ids of the form fields entered at this action, in display order.
    pub fields: Vec<String>,
    /// Names of the checks run ([`crate::checks::lookup`]) on the case data after this
    /// action's form is merged into it.
    pub checks: Vec<String>,
    /// Ids of the documents issued.
    pub issues: Vec<String>,
    pub citation: Citation,
}

impl Action {
    /// The state a case in `from` is in after this action.
    pub fn target<'a>(&'a self, from: &'a str) -> &'a str {
        if self.stays { from } else { &self.to }
    }
}

/// Which unit takes an action (政府投资项目: the project's own unit reports, 财政局 reviews
/// the funding, 发展和改革局 approves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActingUnit {
    /// 项目（申请）单位: the unit the case belongs to.
    Owner,
    /// A named unit of the directory (`财政局`), as the file names it.
    Named(String),
}

/// 案件归属: whose a case is, when the procedure names no handling unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// The township it is filed in (宅基地; village and township staff: their own unit).
    Township,
    /// 项目单位: the unit of the official who files it (政府投资项目: the department building
    /// the project).
    Filer,
    /// 产业链牵头单位: the lead unit of the chain its `chain` field names (招商引资: the chain's
    /// lead unit works the lead from the visit to the agreement, 同政办发〔2023〕72号 第四条至
    /// 第八条).
    ChainLead,
}

/// The form field naming a case's chain (an `Ownership::ChainLead` procedure must have it).
pub const CHAIN_FIELD: &str = "chain";

/// The form key of the reason an action with `reason_required` carries.
pub const REASON_FIELD: &str = "reason";

/// A choice field's option: the stored value and its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

/// 字段类型.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// 文本, at most `max_length` characters (characters, not bytes).
    Text { max_length: usize },
    /// 整数.
    Integer { min: Option<i64>, max: Option<i64> },
    /// 数值 (小数).
    Decimal { min: Option<f64>, max: Option<f64> },
    /// 金额（万元）: exact to 0.01万元 (no floating point), stored as a decimal string
    /// (`"4999.99"`); typed with thousands commas or full-width digits alike.
    WanYuan {
        min: Option<WanYuan>,
        max: Option<WanYuan>,
    },
    /// 日期 (`YYYY-MM-DD`); `not_future`: not after the day of entry.
    Date { not_future: bool },
    /// 选项: stored as the option's `value`; input may be the value or the label.
    Choice { options: Vec<ChoiceOption> },
    /// 居民身份证号码 (GB 11643-1999).
    ResidentId,
    /// 统一社会信用代码 (GB 32100-2015), stored upper-case.
    CreditCode,
    /// 是/否.
    Bool,
    /// 坐标: `{ "lon": …, "lat": … }` in degrees (WGS 84 / CGCS2000).
    Coordinates,
    /// 家庭成员: a list of `{ name, resident_id, relation }`.
    Members,
    /// 用地范围: polygons in CGCS2000 longitude/latitude (EPSG:4490), typed as GeoJSON or as
    /// pasted “经度,纬度” pairs; stored as a GeoJSON MultiPolygon.
    Boundary,
}

impl FieldKind {
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::Integer { .. } => "integer",
            FieldKind::Decimal { .. } => "decimal",
            FieldKind::WanYuan { .. } => "wan_yuan",
            FieldKind::Date { .. } => "date",
            FieldKind::Choice { .. } => "choice",
            FieldKind::ResidentId => "resident_id",
            FieldKind::CreditCode => "credit_code",
            FieldKind::Bool => "bool",
            FieldKind::Coordinates => "coordinates",
            FieldKind::Members => "members",
            FieldKind::Boundary => "boundary",
        }
    }
}

/// 表单字段.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDef {
    pub id: String,
    pub label: String,
    pub required: bool,
    pub kind: FieldKind,
    /// 必交材料: a yes/no field recording that a material the text requires was handed in
    /// (《农村宅基地使用承诺书》); “否” is refused, citing the clause that requires it.
    pub material: Option<Citation>,
    /// 个人信息: a name or a phone number, masked for roles that do not handle the case.
    pub personal: Option<Personal>,
    /// Not personal when another field holds a value (`applicant_kind` = `enterprise`: an
    /// enterprise's name is public).
    pub personal_unless: Option<(String, String)>,
}

impl FieldDef {
    /// What personal data the field holds in this case's data, if any.
    pub fn personal_in(&self, data: &Map<String, Value>) -> Option<Personal> {
        match &self.personal_unless {
            Some((field, value)) if data.get(field).and_then(Value::as_str) == Some(value) => None,
            _ => self.personal,
        }
    }
}

/// What kind of personal data a text field holds (脱敏方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Personal {
    /// 姓名: 马*明.
    Name,
    /// 电话: 138****5678.
    Phone,
}

/// 时限类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// 限期办结: the meeting action must happen by the due date.
    Within,
    /// 不少于: the meeting action may not happen before the due date (公示不少于7个工作日).
    AtLeast,
}

/// 期间单位.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// 工作日.
    Workdays,
    /// 日 (natural days).
    Days,
    /// 个月.
    Months,
    /// 年.
    Years,
}

impl PeriodUnit {
    pub fn code(self) -> &'static str {
        match self {
            PeriodUnit::Workdays => "workdays",
            PeriodUnit::Days => "days",
            PeriodUnit::Months => "months",
            PeriodUnit::Years => "years",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            PeriodUnit::Workdays,
            PeriodUnit::Days,
            PeriodUnit::Months,
            PeriodUnit::Years,
        ]
        .into_iter()
        .find(|u| u.code() == s)
    }
}

/// 时限: a clock a case runs against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineDef {
    pub id: String,
    pub label: String,
    /// The rule parameter (`rules.toml`) holding the number, read on the start day; with
    /// `period_field`, the rule that bounds the case's own period (cited, not read).
    pub parameter: String,
    /// The number of `unit`s comes from this integer field of the case instead of the rule:
    /// the period the approval fixed (临时用地: `period_months`, capped by 第七条).
    pub period_field: Option<String>,
    pub unit: PeriodUnit,
    pub kind: DeadlineKind,
    pub started_by: Vec<String>,
    /// Actions that satisfy the deadline (for `at_least`: those that may not come earlier).
    pub met_by: Vec<String>,
    /// Actions that end the clock without meeting it (an upheld objection ends the notice).
    pub cancelled_by: Vec<String>,
    /// 补正: actions that stop the clock, and those that restart it.
    pub paused_by: Vec<String>,
    pub resumed_by: Vec<String>,
    pub citation: Citation,
    /// What the official should know (the decisions the text leaves open).
    pub note: String,
    /// 延期: actions that push the due date out, by how much and how often.
    pub extension: Option<Extension>,
    /// 按期报送: when met, the clock starts again for the next period, from the end of the
    /// one met (政府投资项目: the monthly progress report, 第十六条); a cancelling action ends
    /// the series.
    pub repeats: bool,
    /// 期间内办理: the rule parameter (natural days) before the due date from which the
    /// deadline may be met — earlier is refused, and the sweep tells the unit when it opens
    /// (临时用地: the expiry notice, 期满前30日内, 第十五条).
    pub opens_before: Option<String>,
}

/// 延期: an action extends a natural-period deadline by the months entered in one of its
/// fields, within a cap read from the rules, a limited number of times (临时用地: the
/// reclamation year, for force majeure, once, at most one year — 第十五条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub by: Vec<String>,
    /// The integer field holding the months granted.
    pub field: String,
    /// The rule parameter capping one extension (in years or months).
    pub cap: String,
    /// How many extensions the case may get.
    pub times: u32,
}

/// 出具文书: a document an action issues, numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentDef {
    pub id: String,
    /// 《农村宅基地批准书》
    pub title: String,
    /// 编号前缀; the store allocates the sequence.
    pub number_prefix: String,
    pub citation: Citation,
}

/// 办理流程: a validated definition (built only by the loader, which checks every reference).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procedure {
    pub id: String,
    pub title: String,
    /// The document the procedure executes.
    pub document: DocNumber,
    pub initial: String,
    /// 办理单位: the one unit that handles every case of the procedure (临时用地: the county
    /// 自然资源局, 第五条), as the file names it; its cases belong to it. None: cases belong to
    /// the township they are filed in (宅基地), or as `ownership` says.
    pub handled_by: Option<String>,
    /// Whose a case is when no unit handles them all.
    pub ownership: Ownership,
    /// 案件编号前缀 (`投`); None: the first letter of its first document's prefix.
    pub number_prefix: Option<String>,
    /// 监管单位: units that see every case of the procedure, whoever owns it, and take the
    /// actions named for them (政府投资项目: 发展和改革局, 财政局).
    pub overseen_by: Vec<String>,
    pub states: Vec<State>,
    pub actions: Vec<Action>,
    pub fields: Vec<FieldDef>,
    pub deadlines: Vec<DeadlineDef>,
    pub documents: Vec<DocumentDef>,
}

/// What an action does to the deadlines of a case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineEffects<'a> {
    pub starts: Vec<&'a DeadlineDef>,
    pub meets: Vec<&'a DeadlineDef>,
    pub cancels: Vec<&'a DeadlineDef>,
    pub pauses: Vec<&'a DeadlineDef>,
    pub resumes: Vec<&'a DeadlineDef>,
    pub extends: Vec<&'a DeadlineDef>,
}

/// Why an action cannot be taken or a due date computed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProcedureError {
    #[error("办理事项“{action}”不存在")]
    UnknownAction { action: String },
    #[error("状态“{state}”不存在")]
    UnknownState { state: String },
    #[error("当前状态“{state}”不能执行“{action}”")]
    WrongState { state: String, action: String },
    #[error("角色“{role}”不能执行“{action}”")]
    RoleNotAllowed { role: String, action: String },
    #[error("时限“{deadline}”不存在")]
    UnknownDeadline { deadline: String },
    #[error("时限“{deadline}”所依据的规则“{key}”不是非负整数")]
    ParameterNotCount { deadline: String, key: String },
    #[error("时限“{deadline}”的期间取自案件的“{field}”，但案件中没有这一项")]
    PeriodMissing { deadline: String, field: String },
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl Procedure {
    pub fn state(&self, id: &str) -> Option<&State> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn deadline(&self, id: &str) -> Option<&DeadlineDef> {
        self.deadlines.iter().find(|d| d.id == id)
    }

    pub fn document_def(&self, id: &str) -> Option<&DocumentDef> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn find_action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// The actions `role` may take on a case in `state`, in definition order.
    pub fn allowed_actions(&self, state: &str, role: Role) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| a.from.iter().any(|f| f == state) && a.roles.contains(&role))
            .collect()
    }

    /// The action `action_id`, if `role` may take it on a case in `state`.
    pub fn action(
        &self,
        state: &str,
        action_id: &str,
        role: Role,
    ) -> Result<&Action, ProcedureError> {
        let current = self
            .state(state)
            .ok_or_else(|| ProcedureError::UnknownState {
                state: state.to_owned(),
            })?;
        let action = self
            .find_action(action_id)
            .ok_or_else(|| ProcedureError::UnknownAction {
                action: action_id.to_owned(),
            })?;
        if !action.from.iter().any(|f| f == state) {
            return Err(ProcedureError::WrongState {
                state: current.label.clone(),
                action: action.label.clone(),
            });
        }
        if !action.roles.contains(&role) {
            return Err(ProcedureError::RoleNotAllowed {
                role: role.label().to_owned(),
                action: action.label.clone(),
            });
        }
        Ok(action)
    }

    /// The deadlines `action_id` starts, meets, cancels, pauses and resumes.
    pub fn effects(&self, action_id: &str) -> DeadlineEffects<'_> {
        let has = |v: &[String]| v.iter().any(|a| a == action_id);
        let pick = |f: fn(&DeadlineDef) -> &[String]| {
            self.deadlines.iter().filter(|d| has(f(d))).collect()
        };
        DeadlineEffects {
            starts: pick(|d| &d.started_by),
            meets: pick(|d| &d.met_by),
            cancels: pick(|d| &d.cancelled_by),
            pauses: pick(|d| &d.paused_by),
            resumes: pick(|d| &d.resumed_by),
            extends: self
                .deadlines
                .iter()
                .filter(|d| d.extension.as_ref().is_some_and(|e| has(&e.by)))
                .collect(),
        }
    }

    /// Validates and normalises the form of `action`: every bad field is reported at once,
    /// each message naming the field's Chinese label. Keys the action does not take are
    /// refused; empty optional fields are dropped; `reason` is kept (and required when the
    /// action requires one). `today` bounds dates and birth dates.
    pub fn validate_form(
        &self,
        action: &Action,
        data: &Map<String, Value>,
        today: NaiveDate,
    ) -> Result<Map<String, Value>, Vec<FieldError>> {
        let mut out = Map::new();
        let mut errors = Vec::new();
        for key in data.keys() {
            if key != REASON_FIELD && !action.fields.iter().any(|f| f == key) {
                errors.push(FieldError::new(
                    key.clone(),
                    format!("“{}”不接受字段“{key}”", action.label),
                ));
            }
        }
        for id in &action.fields {
            let Some(def) = self.field(id) else {
                // The loader refuses undefined fields; a hand-built definition may not.
                errors.push(FieldError::new(id.clone(), format!("字段“{id}”未定义")));
                continue;
            };
            match data.get(id).filter(|v| !is_blank(v)) {
                None if def.required => errors.push(FieldError::new(
                    id.clone(),
                    format!("请填写“{}”", def.label),
                )),
                None => {}
                Some(v) => match normalise(def, id, v, today) {
                    Ok(Value::Bool(false)) if def.material.is_some() => {
                        let c = def.material.as_ref().map(ToString::to_string);
                        errors.push(FieldError::new(
                            id.clone(),
                            format!(
                                "“{}”须为“是”：此项材料必须提交——{}",
                                def.label,
                                c.unwrap_or_default()
                            ),
                        ));
                    }
                    Ok(v) => {
                        out.insert(id.clone(), v);
                    }
                    Err(mut es) => errors.append(&mut es),
                },
            }
        }
        match data.get(REASON_FIELD).filter(|v| !is_blank(v)) {
            Some(Value::String(s)) => {
                let s = s.trim();
                if char_len(s) > REASON_MAX {
                    errors.push(FieldError::new(
                        REASON_FIELD,
                        format!("“理由”不能超过{REASON_MAX}个字"),
                    ));
                } else {
                    out.insert(REASON_FIELD.into(), Value::String(s.to_owned()));
                }
            }
            Some(_) => errors.push(FieldError::new(REASON_FIELD, "“理由”须为文字")),
            None if action.reason_required => errors.push(FieldError::new(
                REASON_FIELD,
                format!("“{}”须说明理由", action.label),
            )),
            None => {}
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

const REASON_MAX: usize = 2000;

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim() {
            "true" | "on" | "1" | "是" | "yes" => Some(true),
            "false" | "off" | "0" | "否" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Normalises one field value; errors name `key` (`members[1].resident_id` for nested ones).
fn normalise(
    def: &FieldDef,
    key: &str,
    v: &Value,
    today: NaiveDate,
) -> Result<Value, Vec<FieldError>> {
    let label = &def.label;
    let one = |m: String| vec![FieldError::new(key, m)];
    match &def.kind {
        FieldKind::Text { max_length } => {
            let Value::String(s) = v else {
                return Err(one(format!("“{label}”须为文字")));
            };
            let s = s.trim();
            if char_len(s) > *max_length {
                return Err(one(format!("“{label}”不能超过{max_length}个字")));
            }
            Ok(Value::String(s.to_owned()))
        }
        FieldKind::Integer { min, max } => {
            let n = number_of(v)
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .ok_or_else(|| one(format!("“{label}”须为整数")))? as i64;
            if let Some(m) = min
                && n < *m
            {
                return Err(one(format!("“{label}”不能小于{m}")));
            }
            if let Some(m) = max
                && n > *m
            {
                return Err(one(format!("“{label}”不能大于{m}")));
            }
            Ok(Value::Number(n.into()))
        }
        FieldKind::Decimal { min, max } => {
            let n = number_of(v).ok_or_else(|| one(format!("“{label}”须为数字")))?;
            if let Some(m) = min
                && n < *m
            {
                return Err(one(format!("“{label}”不能小于{}", fmt_num(*m))));
            }
            if let Some(m) = max
                && n > *m
            {
                return Err(one(format!("“{label}”不能大于{}", fmt_num(*m))));
            }
            Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
        }
        FieldKind::WanYuan { min, max } => {
            let typed = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(one(format!("“{label}”须为金额（万元），如 4999.99"))),
            };
            let w: WanYuan = typed
                .parse()
                .map_err(|e: AmountError| one(e.for_field(label)))?;
            if let Some(m) = min
                && w < *m
            {
                return Err(one(format!("“{label}”不能少于{m}")));
            }
            if let Some(m) = max
                && w > *m
            {
                return Err(one(format!("“{label}”不能超过{m}")));
            }
            Ok(Value::String(w.decimal()))
        }
        FieldKind::Date { not_future } => {
            let d = v
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
                .ok_or_else(|| one(format!("“{label}”须为日期，如2024-02-05")))?;
            if *not_future && d > today {
                return Err(one(format!("“{label}”不能晚于今天")));
            }
            Ok(Value::String(d.format("%Y-%m-%d").to_string()))
        }
        FieldKind::Choice { options } => {
            let s = v.as_str().map(str::trim).unwrap_or_default();
            options
                .iter()
                .find(|o| o.value == s || o.label == s)
                .map(|o| Value::String(o.value.clone()))
                .ok_or_else(|| {
                    let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
                    one(format!("“{label}”须为以下之一：{}", labels.join("、")))
                })
        }
        FieldKind::ResidentId => {
            let s = v
                .as_str()
                .ok_or_else(|| one(format!("“{label}”须为文字")))?;
            ResidentId::parse(key, s, today)
                .map(|id| Value::String(id.as_str().to_owned()))
                .map_err(|e| one(format!("“{label}”：{}", e.message)))
        }
        FieldKind::CreditCode => {
            let s = v
                .as_str()
                .ok_or_else(|| one(format!("“{label}”须为文字")))?;
            crate::ids::CreditCode::parse(key, s)
                .map(|c| Value::String(c.as_str().to_owned()))
                .map_err(|e| one(format!("“{label}”：{}", e.message)))
        }
        FieldKind::Bool => bool_of(v)
            .map(Value::Bool)
            .ok_or_else(|| one(format!("“{label}”须为“是”或“否”"))),
        FieldKind::Coordinates => {
            let pair = match v {
                Value::Object(m) => m
                    .get("lon")
                    .and_then(number_of)
                    .zip(m.get("lat").and_then(number_of)),
                Value::Array(a) if a.len() == 2 => number_of(&a[0]).zip(number_of(&a[1])),
                Value::String(s) => s.split_once([',', '，']).and_then(|(a, b)| {
                    number_of(&Value::String(a.into())).zip(number_of(&Value::String(b.into())))
                }),
                _ => None,
            };
            let (lon, lat) =
                pair.ok_or_else(|| one(format!("“{label}”须为经纬度，如106.12,36.98")))?;
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(one(format!(
                    "“{label}”超出范围：经度须在−180至180之间，纬度须在−90至90之间"
                )));
            }
            let mut m = Map::new();
            m.insert(
                "lon".into(),
                Number::from_f64(lon).map_or(Value::Null, Value::Number),
            );
            m.insert(
                "lat".into(),
                Number::from_f64(lat).map_or(Value::Null, Value::Number),
            );
            Ok(Value::Object(m))
        }
        FieldKind::Boundary => {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Object(_) => v.to_string(),
                _ => return Err(one(format!("“{label}”须为GeoJSON或“经度,纬度”坐标列表"))),
            };
            tongxin_geo::parse_site(&text)
                .map(|site| site.to_geojson())
                .map_err(|e| one(format!("“{label}”：{e}")))
        }
        FieldKind::Members => {
            let Value::Array(items) = v else {
                return Err(one(format!("“{label}”须为成员列表")));
            };
            let mut errors = Vec::new();
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let at = |f: &str| format!("{key}[{i}].{f}");
                let Value::Object(m) = item else {
                    errors.push(FieldError::new(
                        format!("{key}[{i}]"),
                        format!("“{label}”第{}人须填写姓名、身份证号码和关系", i + 1),
                    ));
                    continue;
                };
                let text = |f: &str, name: &str, errors: &mut Vec<FieldError>| match m
                    .get(f)
                    .and_then(Value::as_str)
                    .map(str::trim)
                {
                    Some(s) if !s.is_empty() && char_len(s) <= 50 => Some(s.to_owned()),
                    Some(s) if !s.is_empty() => {
                        errors.push(FieldError::new(
                            at(f),
                            format!("“{label}”第{}人的{name}不能超过50个字", i + 1),
                        ));
                        None
                    }
                    _ => {
                        errors.push(FieldError::new(
                            at(f),
                            format!("请填写“{label}”第{}人的{name}", i + 1),
                        ));
                        None
                    }
                };
                let name = text("name", "姓名", &mut errors);
                let relation = text("relation", "与户主关系", &mut errors);
                let id = text("resident_id", "身份证号码", &mut errors).and_then(|s| {
                    ResidentId::parse(&at("resident_id"), &s, today)
                        .map_err(|e| {
                            errors.push(FieldError::new(
                                e.field,
                                format!("“{label}”第{}人：{}", i + 1, e.message),
                            ))
                        })
                        .ok()
                });
                if let (Some(name), Some(relation), Some(id)) = (name, relation, id) {
                    let mut m = Map::new();
                    m.insert("name".into(), Value::String(name));
                    m.insert("resident_id".into(), Value::String(id.as_str().to_owned()));
                    m.insert("relation".into(), Value::String(relation));
                    out.push(Value::Object(m));
                }
            }
            if items.is_empty() && def.required {
                errors.push(FieldError::new(key, format!("“{label}”至少填写一人")));
            }
            if errors.is_empty() {
                Ok(Value::Array(out))
            } else {
                Err(errors)
            }
        }
    }
}

/// A warning shown beside a due date: from the calendar (regional data missing) or from the
/// policy (the rule's document has lapsed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DueWarning {
    Calendar(#[serde(serialize_with = "display")] CalendarWarning),
    Policy(PolicyWarning),
    /// A natural period ends in a year the calendar does not cover yet: the due date is the
    /// natural end, not carried past holidays.
    NotCarried {
        year: i32,
    },
}

fn display<S: serde::Serializer, T: std::fmt::Display>(t: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

impl std::fmt::Display for DueWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DueWarning::Calendar(w) => write!(f, "{w}"),
            DueWarning::Policy(w) => write!(f, "{w}"),
            DueWarning::NotCarried { year } => write!(
                f,
                "{year}年节假日安排尚未公布：到期日按自然期间计算，未作节假日顺延；公布后如遇节假日，依法顺延至其后第一个工作日"
            ),
        }
    }
}

/// A computed deadline: what a case records beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueDate {
    pub deadline: String,
    pub kind: DeadlineKind,
    /// The number of units, read from the rule on the start day.
    pub amount: u32,
    pub unit: PeriodUnit,
    /// `within`: the last day to act; `at_least`: the earliest day the next action may
    /// happen. `None` while a pause is open (the clock is suspended).
    pub date: Option<NaiveDate>,
    /// Working (or natural) days the pauses moved the date by.
    pub paused: u32,
    /// The deadline's clause, and the clause of the rule value used.
    pub citation: Citation,
    pub rule_citation: Citation,
    pub warnings: Vec<DueWarning>,
}

/// 计算时限: the due date of `def` started on `start`, with the case's `pauses`.
///
/// * Working days: the N-th working day after `start` (start not counted), moved by the
///   working days paused ([`WorkdayDeadline`]). For `at_least` this is the earliest day the
///   meeting action may happen: a 7-working-day notice posted on day S may close on the 7th
///   working day after S.
/// * Days / months: the natural period (民法典 第二百零一条–第二百零三条: start not counted, a
///   last day that is a rest day rolls to the next working day), its natural end moved by
///   the natural days paused.
///
/// N is the rule's value on the start day; a rule from a lapsed document still answers, with
/// a warning.
pub fn due_date(
    def: &DeadlineDef,
    start: NaiveDate,
    pauses: &[Pause],
    calendar: &Calendar,
    corpus: &Corpus,
) -> Result<DueDate, ProcedureError> {
    due_date_for(def, None, start, pauses, calendar, corpus)
}

/// [`due_date`] for a deadline whose period may come from the case: `case_amount` is the
/// value of its `period_field` in the case's data (required when the deadline has one).
pub fn due_date_for(
    def: &DeadlineDef,
    case_amount: Option<u32>,
    start: NaiveDate,
    pauses: &[Pause],
    calendar: &Calendar,
    corpus: &Corpus,
) -> Result<DueDate, ProcedureError> {
    let rule = corpus.rule(&def.parameter, start)?;
    let amount = match &def.period_field {
        Some(field) => case_amount.ok_or_else(|| ProcedureError::PeriodMissing {
            deadline: def.label.clone(),
            field: field.clone(),
        })?,
        None => rule
            .value
            .as_f64()
            .filter(|v| v.fract() == 0.0 && (0.0..=100_000.0).contains(v))
            .ok_or_else(|| ProcedureError::ParameterNotCount {
                deadline: def.id.clone(),
                key: def.parameter.clone(),
            })? as u32,
    };
    let mut warnings: Vec<DueWarning> = rule.warnings.into_iter().map(DueWarning::Policy).collect();
    let mut cal_warn = |w: tongxin_calendar::Warnings| {
        for w in w.iter() {
            let w = DueWarning::Calendar(w);
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    };
    let (date, paused) = match def.unit {
        PeriodUnit::Workdays => {
            let dl = WorkdayDeadline {
                start,
                workdays: amount,
                pauses: pauses.to_vec(),
            };
            let c = dl.status(calendar)?;
            cal_warn(c.warnings);
            match c.value {
                DeadlineStatus::Due {
                    date,
                    paused_workdays,
                } => (Some(date), paused_workdays),
                DeadlineStatus::Suspended { .. } => (None, 0),
            }
        }
        PeriodUnit::Days | PeriodUnit::Months | PeriodUnit::Years => {
            if pauses.iter().any(|p| p.to.is_none() && p.from >= start) {
                (None, 0)
            } else {
                let period = match def.unit {
                    PeriodUnit::Days => Period::Days(amount),
                    PeriodUnit::Years => Period::Years(amount),
                    _ => Period::Months(amount),
                };
                let paused: i64 = pauses
                    .iter()
                    .filter_map(|p| {
                        let from = p.from.max(start);
                        p.to.map(|to| (to - from).num_days().max(0))
                    })
                    .sum();
                let natural = period.natural_end(start)? + chrono::Days::new(paused as u64);
                // A natural period ending in a year whose holiday notice is not out yet (an
                // approval of several years) still has its end: the day itself, not carried
                // past a holiday nobody knows yet, said so beside it.
                match calendar.workday_on_or_after(natural) {
                    Ok(c) => {
                        cal_warn(c.warnings);
                        (Some(c.value), paused as u32)
                    }
                    Err(CalendarError::YearNotCovered { year }) => {
                        warnings.push(DueWarning::NotCarried { year });
                        (Some(natural), paused as u32)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    };
    Ok(DueDate {
        deadline: def.id.clone(),
        kind: def.kind,
        amount,
        unit: def.unit,
        date,
        paused,
        citation: def.citation.clone(),
        rule_citation: rule.citation.clone(),
        warnings,
    })
}
