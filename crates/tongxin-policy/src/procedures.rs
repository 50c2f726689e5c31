//! Loads `procedures/*.toml` into [`Procedure`]s and validates them against the corpus. The
//! schema is documented at the top of `policies/tongxin/procedures/homestead.toml`.
//!
//! Refused at load, each naming the file and the key: an unreachable state, a non-terminal
//! state with no way out, an action from or to an unknown state or out of a terminal one, an
//! action, deadline or document without a citation or citing no clause, an unknown or
//! administrator role, an unknown level, check, document or deadline kind, a check whose input
//! fields are not defined, an unknown rule parameter (or one in another unit), a field, action
//! or document referenced but not defined, and duplicate ids.

use serde::Deserialize;
use std::collections::{BTreeSet, HashSet, VecDeque};
use tongxin_domain::checks;
use tongxin_domain::invest::WanYuan;
use tongxin_domain::policy::Corpus;
use tongxin_domain::procedure::{
    ActingLevel, ActingUnit, Action, CHAIN_FIELD, ChoiceOption, DeadlineDef, DeadlineKind,
    DocumentDef, Extension, FieldDef, FieldKind, Ownership, PeriodUnit, Personal, Procedure, State,
};
use tongxin_domain::{Citation, DocNumber, FieldError, Role};

use crate::units::PackError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcedureFile {
    id: String,
    title: String,
    document: String,
    initial: String,
    #[serde(default)]
    handled_by: Option<String>,
    /// `filer`: a case belongs to the unit of the official who files it.
    #[serde(default)]
    owner: Option<String>,
    /// Units that see every case (by their names in the directory).
    #[serde(default)]
    overseen_by: Vec<String>,
    /// The case number's prefix (`投`).
    #[serde(default)]
    number_prefix: Option<String>,
    #[serde(default)]
    state: Vec<StateRow>,
    #[serde(default)]
    field: Vec<FieldRow>,
    #[serde(default)]
    action: Vec<ActionRow>,
    #[serde(default)]
    deadline: Vec<DeadlineRow>,
    #[serde(default)]
    issued_document: Vec<DocumentRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateRow {
    id: String,
    label: String,
    #[serde(default)]
    terminal: bool,
    /// Cases in this state are published.
    #[serde(default)]
    public: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldRow {
    id: String,
    label: String,
    kind: String,
    #[serde(default)]
    required: bool,
    max_length: Option<usize>,
    min: Option<f64>,
    max: Option<f64>,
    #[serde(default)]
    not_future: bool,
    #[serde(default)]
    options: Vec<OptionRow>,
    /// Choice fields whose options are policy data kept elsewhere: `chains` (the chains of
    /// chains.toml, by key) or `chain_segments` (every chain's segments, `pv.ingot`), filled
    /// in by [`fill_chain_options`] when the pack is built.
    options_from: Option<String>,
    /// A required material (bool fields only): the clause that requires it.
    material: Option<String>,
    /// Personal data in a text field: `name` or `phone` (masked for those who do not handle
    /// the case).
    personal: Option<String>,
    /// `field=value`: the field is not personal when that field holds that value.
    personal_unless: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionRow {
    value: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionRow {
    id: String,
    label: String,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    to: Option<String>,
    /// A record-only action: the case stays in its state (no `to`).
    #[serde(default)]
    stays: bool,
    #[serde(default)]
    roles: Vec<String>,
    level: String,
    /// `owner` (the unit the case belongs to) or a unit's name.
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    reason_required: bool,
    #[serde(default)]
    fields: Vec<String>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    issues: Vec<String>,
    citation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineRow {
    id: String,
    label: String,
    parameter: String,
    #[serde(default)]
    period_field: Option<String>,
    unit: String,
    kind: String,
    #[serde(default)]
    started_by: Vec<String>,
    #[serde(default)]
    met_by: Vec<String>,
    #[serde(default)]
    cancelled_by: Vec<String>,
    #[serde(default)]
    paused_by: Vec<String>,
    #[serde(default)]
    resumed_by: Vec<String>,
    citation: Option<String>,
    #[serde(default)]
    note: String,
    extension: Option<ExtensionRow>,
    /// A rule parameter in days: the deadline may be met only from that many days before it.
    opens_before: Option<String>,
    /// Met, the clock starts again for the next period.
    #[serde(default)]
    repeats: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionRow {
    by: Vec<String>,
    field: String,
    cap: String,
    times: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentRow {
    id: String,
    title: String,
    number_prefix: String,
    citation: Option<String>,
}

struct Ctx<'a> {
    file: &'a str,
    corpus: &'a Corpus,
}

impl Ctx<'_> {
    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> PackError {
        PackError::Invalid {
            file: self.file.to_owned(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// A citation that parses and resolves to a clause of the corpus.
    fn citation(&self, key: &str, raw: Option<&str>) -> Result<Citation, PackError> {
        let raw = raw
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| self.invalid(key, "缺少引用（citation），每一项都须注明所依据的条款"))?;
        let c: Citation = raw
            .parse()
            .map_err(|e: FieldError| self.invalid(key, e.message))?;
        if self.corpus.resolve(&c).is_none() {
            return Err(self.invalid(key, format!("引用“{c}”指向的条款不存在")));
        }
        Ok(c)
    }
}

fn unique<'a>(
    cx: &Ctx<'_>,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashSet<&'a str>, PackError> {
    let mut seen = HashSet::new();
    for id in ids {
        if id.trim().is_empty() {
            return Err(cx.invalid(what, format!("{what}的id不能为空")));
        }
        if !seen.insert(id) {
            return Err(cx.invalid(format!("{what} (id = \"{id}\")"), "id重复"));
        }
    }
    Ok(seen)
}

/// The sources `options_from` may name.
const OPTIONS_FROM: [&str; 2] = ["chains", "chain_segments"];

/// The value of a chain segment option: `pv.ingot`.
pub fn segment_value(chain: &str, segment: &str) -> String {
    format!("{chain}.{segment}")
}

/// Fills the options of fields that take them from the chains (`options_from`), from the
/// procedure files as given: a field with `options_from = "chains"` gets one option per
/// chain (`pv`, 光伏产业链), `chain_segments` one per segment (`pv.ingot`, 光伏产业链：拉晶).
pub fn fill_chain_options(
    procedures: &mut [Procedure],
    files: &[(&str, &str)],
    chains: &[tongxin_domain::chains::Chain],
) -> Result<(), PackError> {
    for (proc, (file, text)) in procedures.iter_mut().zip(files) {
        let f: ProcedureFile = toml::from_str(text).map_err(|e| PackError::Syntax {
            file: (*file).to_owned(),
            message: e.to_string(),
        })?;
        for row in f.field {
            let options: Vec<ChoiceOption> = match row.options_from.as_deref() {
                Some("chains") => chains
                    .iter()
                    .map(|c| ChoiceOption {
                        value: c.key.clone(),
                        label: c.title(),
                    })
                    .collect(),
                Some("chain_segments") => chains
                    .iter()
                    .flat_map(|c| {
                        c.segments.iter().map(move |s| ChoiceOption {
                            value: segment_value(&c.key, &s.key),
                            label: format!("{}：{}", c.title(), s.name),
                        })
                    })
                    .collect(),
                _ => continue,
            };
            if options.is_empty() {
                return Err(PackError::Invalid {
                    file: (*file).to_owned(),
                    key: format!("field (id = \"{}\").options_from", row.id),
                    message: "产业链数据中没有可选项".into(),
                });
            }
            if let Some(def) = proc.fields.iter_mut().find(|d| d.id == row.id) {
                def.kind = FieldKind::Choice { options };
            }
        }
    }
    Ok(())
}

/// Parses and validates one procedure file against `corpus` (for citations and parameters).
pub fn load_procedure(file: &str, text: &str, corpus: &Corpus) -> Result<Procedure, PackError> {
    let syntax = |message: String| PackError::Syntax {
        file: file.to_owned(),
        message,
    };
    let f: ProcedureFile = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
    build(&Ctx { file, corpus }, f)
}

fn build(cx: &Ctx<'_>, f: ProcedureFile) -> Result<Procedure, PackError> {
    let document: DocNumber = f
        .document
        .parse()
        .map_err(|e: FieldError| cx.invalid("document", e.message))?;
    if cx.corpus.document(&document).is_none() {
        return Err(cx.invalid("document", format!("文件{document}不在政策库中")));
    }

    // States.
    if f.state.is_empty() {
        return Err(cx.invalid("state", "至少须定义一个状态"));
    }
    let state_ids = unique(cx, "state", f.state.iter().map(|s| s.id.as_str()))?;
    for s in &f.state {
        if s.label.trim().is_empty() {
            return Err(cx.invalid(format!("state (id = \"{}\").label", s.id), "缺少中文名称"));
        }
    }
    if !state_ids.contains(f.initial.as_str()) {
        return Err(cx.invalid("initial", format!("初始状态“{}”未定义", f.initial)));
    }
    let terminal: HashSet<&str> = f
        .state
        .iter()
        .filter(|s| s.terminal)
        .map(|s| s.id.as_str())
        .collect();

    // Fields.
    let field_ids = unique(cx, "field", f.field.iter().map(|x| x.id.as_str()))?;
    let mut fields = Vec::with_capacity(f.field.len());
    for row in &f.field {
        fields.push(field(cx, row)?);
    }

    // Documents issued.
    let doc_ids = unique(
        cx,
        "issued_document",
        f.issued_document.iter().map(|d| d.id.as_str()),
    )?;
    let mut documents = Vec::with_capacity(f.issued_document.len());
    for d in &f.issued_document {
        let key = format!("issued_document (id = \"{}\")", d.id);
        if d.title.trim().is_empty() || d.number_prefix.trim().is_empty() {
            return Err(cx.invalid(&key, "文书须有名称（title）和编号前缀（number_prefix）"));
        }
        documents.push(DocumentDef {
            id: d.id.clone(),
            title: d.title.clone(),
            number_prefix: d.number_prefix.clone(),
            citation: cx.citation(&format!("{key}.citation"), d.citation.as_deref())?,
        });
    }

    // Actions.
    let action_ids = unique(cx, "action", f.action.iter().map(|a| a.id.as_str()))?;
    let mut actions = Vec::with_capacity(f.action.len());
    for a in &f.action {
        let key = |k: &str| format!("action (id = \"{}\").{k}", a.id);
        if a.label.trim().is_empty() {
            return Err(cx.invalid(key("label"), "缺少中文名称"));
        }
        if a.from.is_empty() {
            return Err(cx.invalid(key("from"), "须列出可执行该事项的状态"));
        }
        for s in &a.from {
            if !state_ids.contains(s.as_str()) {
                return Err(cx.invalid(key("from"), format!("状态“{s}”未定义")));
            }
            if terminal.contains(s.as_str()) {
                return Err(cx.invalid(key("from"), format!("状态“{s}”已办结，不能再执行事项")));
            }
        }
        let to = match (&a.to, a.stays) {
            (Some(_), true) => {
                return Err(cx.invalid(
                    key("to"),
                    "记录事项（stays = true）停留在原状态，不能再写目标状态",
                ));
            }
            (None, true) if a.from.contains(&f.initial) => {
                return Err(cx.invalid(key("stays"), "初始状态的事项须进入一个新状态"));
            }
            (None, true) => String::new(),
            (None, false) => {
                return Err(cx.invalid(key("to"), "须写明目标状态，或标明 stays = true"));
            }
            (Some(to), false) => {
                if !state_ids.contains(to.as_str()) {
                    return Err(cx.invalid(key("to"), format!("目标状态“{to}”未定义")));
                }
                to.clone()
            }
        };
        let unit = match a.unit.as_deref().map(str::trim) {
            None => None,
            Some("owner") if matches!(f.owner.as_deref(), Some("filer" | "chain_lead")) => {
                Some(ActingUnit::Owner)
            }
            Some("owner") => {
                return Err(cx.invalid(
                    key("unit"),
                    "unit = \"owner\" 只用于案件归属于申报单位或产业链牵头单位的流程（owner = \"filer\" 或 \"chain_lead\"）",
                ));
            }
            Some("") => return Err(cx.invalid(key("unit"), "办理单位不能为空")),
            Some(name) => Some(ActingUnit::Named(name.to_owned())),
        };
        if a.roles.is_empty() {
            return Err(cx.invalid(key("roles"), "须列出可执行该事项的角色"));
        }
        let mut roles = Vec::with_capacity(a.roles.len());
        for r in &a.roles {
            let role: Role = r
                .parse()
                .map_err(|e: FieldError| cx.invalid(key("roles"), e.message))?;
            if role.is_administrator() {
                return Err(cx.invalid(
                    key("roles"),
                    format!("{}不办理业务（三员分立），不能执行事项", role.label()),
                ));
            }
            roles.push(role);
        }
        let level = ActingLevel::from_code(&a.level).ok_or_else(|| {
            cx.invalid(
                key("level"),
                format!(
                    "办理层级“{}”不存在；可选：applicant、village、township、county",
                    a.level
                ),
            )
        })?;
        for x in &a.fields {
            if !field_ids.contains(x.as_str()) {
                return Err(cx.invalid(key("fields"), format!("字段“{x}”未定义")));
            }
        }
        for c in &a.checks {
            let spec = checks::lookup(c).ok_or_else(|| {
                let known: Vec<&str> = checks::registry().iter().map(|s| s.name).collect();
                cx.invalid(
                    key("checks"),
                    format!("校验规则“{c}”不存在；已有：{}", known.join("、")),
                )
            })?;
            for r in spec.reads {
                if !field_ids.contains(r) {
                    return Err(
                        cx.invalid(key("checks"), format!("校验规则“{c}”读取的字段“{r}”未定义"))
                    );
                }
            }
        }
        for d in &a.issues {
            if !doc_ids.contains(d.as_str()) {
                return Err(cx.invalid(key("issues"), format!("文书“{d}”未定义")));
            }
        }
        actions.push(Action {
            id: a.id.clone(),
            label: a.label.clone(),
            from: a.from.clone(),
            to,
            stays: a.stays,
            roles,
            level,
            unit,
            reason_required: a.reason_required,
            fields: a.fields.clone(),
            checks: a.checks.clone(),
            issues: a.issues.clone(),
            citation: cx.citation(&key("citation"), a.citation.as_deref())?,
        });
    }

    // Deadlines.
    unique(cx, "deadline", f.deadline.iter().map(|d| d.id.as_str()))?;
    let mut deadlines = Vec::with_capacity(f.deadline.len());
    for d in &f.deadline {
        let key = |k: &str| format!("deadline (id = \"{}\").{k}", d.id);
        let unit = PeriodUnit::from_code(&d.unit).ok_or_else(|| {
            cx.invalid(
                key("unit"),
                format!(
                    "期间单位“{}”不存在；可选：workdays、days、months、years",
                    d.unit
                ),
            )
        })?;
        let kind = match d.kind.as_str() {
            "within" => DeadlineKind::Within,
            "at_least" => DeadlineKind::AtLeast,
            other => {
                return Err(cx.invalid(
                    key("kind"),
                    format!("时限类型“{other}”不存在；可选：within、at_least"),
                ));
            }
        };
        let p = cx.corpus.parameter(&d.parameter).ok_or_else(|| {
            cx.invalid(key("parameter"), format!("规则参数“{}”不存在", d.parameter))
        })?;
        // A period taken from the case is an integer field; its rule is cited, not read, so
        // its unit may differ (a cap in years over a period in months).
        if let Some(field) = &d.period_field {
            let ok = f
                .field
                .iter()
                .any(|x| &x.id == field && x.kind == "integer");
            if !ok {
                return Err(cx.invalid(
                    key("period_field"),
                    format!("期间字段“{field}”须为已定义的整数（integer）字段"),
                ));
            }
        } else if p.unit != unit.code() {
            return Err(cx.invalid(
                key("parameter"),
                format!(
                    "规则参数“{}”的单位是“{}”，与时限单位“{}”不符",
                    d.parameter,
                    p.unit,
                    unit.code()
                ),
            ));
        }
        for (k, list, needed) in [
            ("started_by", &d.started_by, true),
            ("met_by", &d.met_by, true),
            ("cancelled_by", &d.cancelled_by, false),
            ("paused_by", &d.paused_by, false),
            ("resumed_by", &d.resumed_by, false),
        ] {
            if needed && list.is_empty() {
                return Err(cx.invalid(key(k), "至少须列出一个办理事项"));
            }
            for a in list {
                if !action_ids.contains(a.as_str()) {
                    return Err(cx.invalid(key(k), format!("办理事项“{a}”未定义")));
                }
            }
        }
        if d.paused_by.is_empty() != d.resumed_by.is_empty() {
            return Err(cx.invalid(
                key("resumed_by"),
                "暂停（paused_by）与恢复（resumed_by）须同时定义",
            ));
        }
        let extension = match &d.extension {
            None => None,
            Some(e) => {
                if unit == PeriodUnit::Workdays {
                    return Err(cx.invalid(key("extension"), "只有按日、月、年计算的时限可以延期"));
                }
                if e.by.is_empty() || e.times == 0 {
                    return Err(cx.invalid(
                        key("extension.by"),
                        "延期须列出办理事项，次数（times）至少为1",
                    ));
                }
                for a in &e.by {
                    let takes = f
                        .action
                        .iter()
                        .any(|x| &x.id == a && x.fields.contains(&e.field));
                    if !takes {
                        return Err(cx.invalid(
                            key("extension.by"),
                            format!("办理事项“{a}”未定义，或不填写延期字段“{}”", e.field),
                        ));
                    }
                }
                if !f
                    .field
                    .iter()
                    .any(|x| x.id == e.field && x.kind == "integer")
                {
                    return Err(cx.invalid(
                        key("extension.field"),
                        format!(
                            "延期字段“{}”须为已定义的整数（integer）字段（月数）",
                            e.field
                        ),
                    ));
                }
                match cx.corpus.parameter(&e.cap) {
                    Some(p) if p.unit == "years" || p.unit == "months" => {}
                    Some(p) => {
                        return Err(cx.invalid(
                            key("extension.cap"),
                            format!("延期上限“{}”的单位须为年或月，现为“{}”", e.cap, p.unit),
                        ));
                    }
                    None => {
                        return Err(
                            cx.invalid(key("extension.cap"), format!("规则参数“{}”不存在", e.cap))
                        );
                    }
                }
                Some(Extension {
                    by: e.by.clone(),
                    field: e.field.clone(),
                    cap: e.cap.clone(),
                    times: e.times,
                })
            }
        };
        if let Some(o) = &d.opens_before {
            match cx.corpus.parameter(o) {
                Some(p) if p.unit == "days" && kind == DeadlineKind::Within => {}
                Some(_) => {
                    return Err(cx.invalid(
                        key("opens_before"),
                        format!("“{o}”须为以日计的规则参数，且只用于限期办结（within）的时限"),
                    ));
                }
                None => {
                    return Err(cx.invalid(key("opens_before"), format!("规则参数“{o}”不存在")));
                }
            }
        }
        if d.repeats && (kind != DeadlineKind::Within || d.cancelled_by.is_empty()) {
            return Err(cx.invalid(
                key("repeats"),
                "按期报送的时限须为限期办结（within），并列出结束报送的事项（cancelled_by）",
            ));
        }
        deadlines.push(DeadlineDef {
            repeats: d.repeats,
            extension,
            opens_before: d.opens_before.clone(),
            id: d.id.clone(),
            label: d.label.clone(),
            parameter: d.parameter.clone(),
            period_field: d.period_field.clone(),
            unit,
            kind,
            started_by: d.started_by.clone(),
            met_by: d.met_by.clone(),
            cancelled_by: d.cancelled_by.clone(),
            paused_by: d.paused_by.clone(),
            resumed_by: d.resumed_by.clone(),
            citation: cx.citation(&key("citation"), d.citation.as_deref())?,
            note: d.note.clone(),
        });
    }

    // Reachability: every state from the initial one; every non-terminal state has a way out.
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut queue = VecDeque::from([f.initial.as_str()]);
    while let Some(s) = queue.pop_front() {
        if !reached.insert(s) {
            continue;
        }
        for a in actions
            .iter()
            .filter(|a| !a.stays && a.from.iter().any(|x| x == s))
        {
            queue.push_back(a.to.as_str());
        }
    }
    for s in &f.state {
        if !reached.contains(s.id.as_str()) {
            return Err(cx.invalid(
                format!("state (id = \"{}\")", s.id),
                format!("状态“{}”从初始状态“{}”无法到达", s.label, f.initial),
            ));
        }
        let leaves = actions
            .iter()
            .any(|a| a.from.contains(&s.id) && !a.stays && a.to != s.id);
        if !s.terminal && !leaves {
            return Err(cx.invalid(
                format!("state (id = \"{}\")", s.id),
                format!("状态“{}”不是办结状态，却没有离开它的办理事项", s.label),
            ));
        }
    }

    let ownership = match (f.owner.as_deref(), &f.handled_by) {
        (None, _) => Ownership::Township,
        (Some("filer"), None) => Ownership::Filer,
        (Some("chain_lead"), None) => {
            if !fields
                .iter()
                .any(|d| d.id == CHAIN_FIELD && matches!(d.kind, FieldKind::Choice { .. }))
            {
                return Err(cx.invalid(
                    "owner",
                    format!("owner = \"chain_lead\" 须有选项字段“{CHAIN_FIELD}”（产业链）"),
                ));
            }
            Ownership::ChainLead
        }
        (Some(other), _) => {
            return Err(cx.invalid(
                "owner",
                format!(
                    "owner 只可为 \"filer\" 或 \"chain_lead\"（且不与 handled_by 同用），现为“{other}”"
                ),
            ));
        }
    };
    Ok(Procedure {
        id: f.id,
        title: f.title,
        document,
        initial: f.initial,
        handled_by: f.handled_by,
        ownership,
        number_prefix: match f.number_prefix.as_deref().map(str::trim) {
            None => None,
            Some(p) if (1..=4).contains(&p.chars().count()) && !p.contains('-') => {
                Some(p.to_owned())
            }
            Some(p) => {
                return Err(cx.invalid(
                    "number_prefix",
                    format!("案件编号前缀须为1至4个字、不含“-”，现为“{p}”"),
                ));
            }
        },
        overseen_by: f.overseen_by,
        states: f
            .state
            .into_iter()
            .map(|s| State {
                id: s.id,
                label: s.label,
                terminal: s.terminal,
                public: s.public,
            })
            .collect(),
        actions,
        fields,
        deadlines,
        documents,
    })
}

fn field(cx: &Ctx<'_>, row: &FieldRow) -> Result<FieldDef, PackError> {
    let key = |k: &str| format!("field (id = \"{}\").{k}", row.id);
    if row.label.trim().is_empty() {
        return Err(cx.invalid(key("label"), "缺少中文名称"));
    }
    if let (Some(min), Some(max)) = (row.min, row.max)
        && min > max
    {
        return Err(cx.invalid(key("min"), format!("最小值{min}大于最大值{max}")));
    }
    let int = |v: Option<f64>, k: &str| -> Result<Option<i64>, PackError> {
        match v {
            Some(x) if x.fract() != 0.0 => Err(cx.invalid(key(k), "整数字段的界限须为整数")),
            Some(x) => Ok(Some(x as i64)),
            None => Ok(None),
        }
    };
    let kind = match row.kind.as_str() {
        "text" => FieldKind::Text {
            max_length: row
                .max_length
                .ok_or_else(|| cx.invalid(key("max_length"), "文本字段须规定最大长度"))?,
        },
        "integer" => FieldKind::Integer {
            min: int(row.min, "min")?,
            max: int(row.max, "max")?,
        },
        "decimal" => FieldKind::Decimal {
            min: row.min,
            max: row.max,
        },
        "wan_yuan" => {
            let amount = |v: Option<f64>, k: &str| match v {
                None => Ok(None),
                Some(x) => WanYuan::from_rule(x)
                    .map(Some)
                    .ok_or_else(|| cx.invalid(key(k), "金额界限须为万元，最多两位小数")),
            };
            FieldKind::WanYuan {
                min: amount(row.min, "min")?,
                max: amount(row.max, "max")?,
            }
        }
        "date" => FieldKind::Date {
            not_future: row.not_future,
        },
        "choice" if row.options_from.is_some() => {
            let from = row.options_from.as_deref().unwrap_or_default();
            if !OPTIONS_FROM.contains(&from) || !row.options.is_empty() {
                return Err(cx.invalid(
                    key("options_from"),
                    format!("options_from 只可为 chains 或 chain_segments，且不与 options 同用，现为“{from}”"),
                ));
            }
            FieldKind::Choice {
                options: Vec::new(),
            }
        }
        "choice" => {
            if row.options.is_empty() {
                return Err(cx.invalid(key("options"), "选项字段须列出选项"));
            }
            FieldKind::Choice {
                options: row
                    .options
                    .iter()
                    .map(|o| ChoiceOption {
                        value: o.value.clone(),
                        label: o.label.clone(),
                    })
                    .collect(),
            }
        }
        "resident_id" => FieldKind::ResidentId,
        "credit_code" => FieldKind::CreditCode,
        "bool" => FieldKind::Bool,
        "coordinates" => FieldKind::Coordinates,
        "members" => FieldKind::Members,
        "boundary" => FieldKind::Boundary,
        other => {
            return Err(cx.invalid(
                key("kind"),
                format!(
                    "字段类型“{other}”不存在；可选：text、integer、decimal、date、choice、resident_id、credit_code、bool、coordinates、members、boundary"
                ),
            ));
        }
    };
    let material = match &row.material {
        Some(_) if kind != FieldKind::Bool => {
            return Err(cx.invalid(key("material"), "只有是/否（bool）字段可以标为必交材料"));
        }
        Some(c) => Some(cx.citation(&key("material"), Some(c))?),
        None => None,
    };
    let personal = match (row.personal.as_deref(), &kind) {
        (None, _) => None,
        (Some(p), FieldKind::Text { .. }) => Some(match p {
            "name" => Personal::Name,
            "phone" => Personal::Phone,
            other => {
                return Err(cx.invalid(
                    key("personal"),
                    format!("个人信息类型“{other}”不存在；可选：name、phone"),
                ));
            }
        }),
        (Some(_), _) => {
            return Err(cx.invalid(key("personal"), "只有文本（text）字段可以标为个人信息"));
        }
    };
    let personal_unless = match (&row.personal_unless, personal) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(cx.invalid(
                key("personal_unless"),
                "只有标为个人信息（personal）的字段可以规定例外",
            ));
        }
        (Some(c), Some(_)) => match c.split_once('=') {
            Some((f, v)) if !f.trim().is_empty() && !v.trim().is_empty() => {
                Some((f.trim().to_owned(), v.trim().to_owned()))
            }
            _ => {
                return Err(cx.invalid(
                    key("personal_unless"),
                    format!("例外“{c}”须写作 字段=取值，如 applicant_kind=enterprise"),
                ));
            }
        },
    };
    Ok(FieldDef {
        personal,
        personal_unless,
        id: row.id.clone(),
        label: row.label.clone(),
        required: row.required,
        kind,
        material,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn corpus() -> &'static Corpus {
        static C: OnceLock<Corpus> = OnceLock::new();
        C.get_or_init(|| crate::tongxin::pack().unwrap().corpus)
    }

    /// A small valid procedure: draft → review → done, one deadline, one document.
    const BASE: &str = r#"
id = "mini"
title = "测试流程"
document = "同政办规发〔2023〕6号"
initial = "draft"

[[state]]
id = "draft"
label = "填写"

[[state]]
id = "review"
label = "审核"

[[state]]
id = "done"
label = "办结"
terminal = true

[[field]]
id = "area_m2"
label = "面积"
kind = "decimal"

[[field]]
id = "land_type"
label = "土地类型"
kind = "choice"
options = [{ value = "irrigated", label = "水浇地" }]

[[action]]
id = "submit"
label = "提交"
from = ["draft"]
to = "review"
roles = ["applicant"]
level = "applicant"
fields = ["area_m2", "land_type"]
checks = ["homestead.area_within_cap"]
citation = "同政办规发〔2023〕6号 第八条"

[[action]]
id = "approve"
label = "批准"
from = ["review"]
to = "done"
roles = ["township"]
level = "township"
issues = ["approval"]
citation = "同政办规发〔2023〕6号 第十二条"

[[deadline]]
id = "review"
label = "审核"
parameter = "homestead.construction_papers_review.workdays"
unit = "workdays"
kind = "within"
started_by = ["submit"]
met_by = ["approve"]
citation = "同政办规发〔2023〕6号 第十七条"

[[issued_document]]
id = "approval"
title = "《农村宅基地批准书》"
number_prefix = "宅批"
citation = "同政办规发〔2023〕6号 第十二条"
"#;

    fn load(text: &str) -> Result<Procedure, PackError> {
        load_procedure("procedures/mini.toml", text, corpus())
    }

    /// Loads BASE with `from` replaced by `to`, expecting an error at `key` whose message
    /// contains `message`.
    fn refused(from: &str, to: &str, key: &str, message: &str) {
        assert!(BASE.contains(from), "{from}");
        let text = BASE.replacen(from, to, 1);
        match load(&text) {
            Err(PackError::Invalid {
                file,
                key: k,
                message: m,
            }) => {
                assert_eq!(file, "procedures/mini.toml");
                assert_eq!(k, key, "{m}");
                assert!(m.contains(message), "{m}");
            }
            other => panic!("expected Invalid at {key}, got {other:?}"),
        }
    }

    #[test]
    fn the_small_procedure_loads() {
        let p = load(BASE).unwrap();
        assert_eq!(p.actions.len(), 2);
        assert_eq!(p.deadlines[0].citation.clause, "第十七条");
    }

    #[test]
    fn an_unreachable_state_is_refused() {
        refused(
            "[[state]]\nid = \"done\"",
            "[[state]]\nid = \"orphan\"\nlabel = \"孤立\"\nterminal = true\n\n[[state]]\nid = \"done\"",
            "state (id = \"orphan\")",
            "无法到达",
        );
    }

    #[test]
    fn a_dead_end_state_is_refused() {
        refused(
            "label = \"办结\"\nterminal = true",
            "label = \"办结\"",
            "state (id = \"done\")",
            "没有离开它的办理事项",
        );
    }

    #[test]
    fn a_transition_to_an_unknown_state_is_refused() {
        refused(
            "to = \"done\"",
            "to = \"nowhere\"",
            "action (id = \"approve\").to",
            "目标状态“nowhere”未定义",
        );
    }

    #[test]
    fn an_action_from_an_unknown_state_is_refused() {
        refused(
            "from = [\"review\"]",
            "from = [\"limbo\"]",
            "action (id = \"approve\").from",
            "状态“limbo”未定义",
        );
    }

    #[test]
    fn an_action_without_a_citation_is_refused() {
        refused(
            "citation = \"同政办规发〔2023〕6号 第八条\"\n",
            "",
            "action (id = \"submit\").citation",
            "缺少引用",
        );
    }

    #[test]
    fn only_a_yes_no_field_may_be_a_material_and_it_cites_a_clause() {
        refused(
            "kind = \"decimal\"\n",
            "kind = \"decimal\"\nmaterial = \"同政办规发〔2023〕6号 第八条\"\n",
            "field (id = \"area_m2\").material",
            "只有是/否（bool）字段",
        );
    }

    #[test]
    fn an_action_citing_no_clause_is_refused() {
        refused(
            "同政办规发〔2023〕6号 第八条",
            "同政办规发〔2023〕6号 第九十九条",
            "action (id = \"submit\").citation",
            "指向的条款不存在",
        );
    }

    #[test]
    fn a_deadline_without_a_citation_or_citing_no_clause_is_refused() {
        refused(
            "citation = \"同政办规发〔2023〕6号 第十七条\"\n",
            "",
            "deadline (id = \"review\").citation",
            "缺少引用",
        );
        refused(
            "同政办规发〔2023〕6号 第十七条",
            "同政办规发〔2099〕6号 第十七条",
            "deadline (id = \"review\").citation",
            "指向的条款不存在",
        );
    }

    #[test]
    fn a_document_without_a_citation_is_refused() {
        refused(
            "number_prefix = \"宅批\"\ncitation = \"同政办规发〔2023〕6号 第十二条\"",
            "number_prefix = \"宅批\"",
            "issued_document (id = \"approval\").citation",
            "缺少引用",
        );
    }

    #[test]
    fn an_unknown_role_is_refused() {
        refused(
            "roles = [\"township\"]",
            "roles = [\"mayor\"]",
            "action (id = \"approve\").roles",
            "角色“mayor”不存在",
        );
    }

    #[test]
    fn an_administrator_role_is_refused() {
        refused(
            "roles = [\"township\"]",
            "roles = [\"system_admin\"]",
            "action (id = \"approve\").roles",
            "三员分立",
        );
    }

    #[test]
    fn a_period_field_must_be_an_integer_field() {
        refused(
            "parameter = \"homestead.construction_papers_review.workdays\"",
            "parameter = \"homestead.construction_papers_review.workdays\"\nperiod_field = \"land_type\"",
            "deadline (id = \"review\").period_field",
            "须为已定义的整数（integer）字段",
        );
    }

    #[test]
    fn an_unknown_check_name_is_refused() {
        refused(
            "checks = [\"homestead.area_within_cap\"]",
            "checks = [\"homestead.area_within_kap\"]",
            "action (id = \"submit\").checks",
            "校验规则“homestead.area_within_kap”不存在",
        );
    }

    #[test]
    fn a_check_whose_input_field_is_not_defined_is_refused() {
        refused(
            "checks = [\"homestead.area_within_cap\"]",
            "checks = [\"homestead.storeys_consent\"]",
            "action (id = \"submit\").checks",
            "读取的字段“storeys”未定义",
        );
    }

    #[test]
    fn an_unknown_parameter_key_is_refused() {
        refused(
            "parameter = \"homestead.construction_papers_review.workdays\"",
            "parameter = \"homestead.review.workdays\"",
            "deadline (id = \"review\").parameter",
            "规则参数“homestead.review.workdays”不存在",
        );
    }

    #[test]
    fn a_parameter_in_another_unit_is_refused() {
        refused(
            "parameter = \"homestead.construction_papers_review.workdays\"",
            "parameter = \"homestead.area_cap.irrigated\"",
            "deadline (id = \"review\").parameter",
            "单位",
        );
    }

    #[test]
    fn a_field_referenced_but_not_defined_is_refused() {
        refused(
            "fields = [\"area_m2\", \"land_type\"]",
            "fields = [\"area_m2\", \"land_type\", \"storeys\"]",
            "action (id = \"submit\").fields",
            "字段“storeys”未定义",
        );
    }

    #[test]
    fn a_deadline_naming_an_unknown_action_is_refused() {
        refused(
            "met_by = [\"approve\"]",
            "met_by = [\"approv\"]",
            "deadline (id = \"review\").met_by",
            "办理事项“approv”未定义",
        );
    }

    #[test]
    fn a_document_issued_but_not_defined_is_refused() {
        refused(
            "issues = [\"approval\"]",
            "issues = [\"permit\"]",
            "action (id = \"approve\").issues",
            "文书“permit”未定义",
        );
    }

    #[test]
    fn a_duplicate_action_id_is_refused() {
        refused(
            "id = \"approve\"",
            "id = \"submit\"",
            "action (id = \"submit\")",
            "id重复",
        );
    }

    #[test]
    fn an_unknown_key_is_a_syntax_error_naming_the_file() {
        let e = load(&BASE.replace("level = \"township\"", "levle = \"township\"")).unwrap_err();
        assert!(
            matches!(&e, PackError::Syntax { file, .. } if file == "procedures/mini.toml"),
            "{e}"
        );
    }
}
