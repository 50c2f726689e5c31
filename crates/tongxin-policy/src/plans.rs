//! Loads `plans/*.toml`: the tasks the plan-like documents set (the 21 chains of
//! 同党办发〔2023〕49号, the campaign of 同党办综〔2023〕55号, the festival plan of
//! 同党办综〔2023〕64号, the revenue measures of 同政办发〔2023〕76号), published as supervision
//! tasks at first start.
//!
//! Refused at load, naming the file and the task's key: a duplicate key (across all files), a
//! clause not in the document, a lead that is not one unit, a responsible name that is neither
//! a unit nor a collective, a leader not among the people the directory names, an unknown
//! cadence or link kind, a one-off task without its due date, a date range the wrong way
//! round, and a parent that is not a task of the plans.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;
use tongxin_domain::directory::{Directory, Resolved};
use tongxin_domain::policy::Corpus;
use tongxin_domain::supervision::Cadence;
use tongxin_domain::{Citation, DocNumber, FieldError, UnitId};

use crate::documents::{de_date, de_opt_date};
use crate::units::PackError;

/// A task a plan sets, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTask {
    /// Stable across revisions of the file (`d1.pv.plan`): seeding adds a key once.
    pub key: String,
    pub title: String,
    pub clause: Citation,
    pub lead: UnitId,
    /// Units other than the lead, collectives expanded, in the file's order.
    pub responsible: Vec<UnitId>,
    /// The county leader answerable (链长, 组长), as the directory names them; empty if none.
    pub leader: String,
    pub cadence: Cadence,
    pub starts: NaiveDate,
    pub due: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// (`chain`, `pv`), (`campaign_action`, `air`), (`event`, …), (`measure`, …); empty when none.
    pub link_kind: String,
    pub link_ref: String,
    pub parent: Option<String>,
    pub place: String,
    pub note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    document: String,
    #[serde(default)]
    task: Vec<TaskRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskRow {
    key: String,
    title: String,
    clause: String,
    lead: String,
    #[serde(default)]
    responsible: Vec<String>,
    #[serde(default)]
    leader: Option<String>,
    cadence: String,
    #[serde(deserialize_with = "de_date")]
    starts: NaiveDate,
    #[serde(default, deserialize_with = "de_opt_date")]
    due: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_opt_date")]
    until: Option<NaiveDate>,
    #[serde(default)]
    link: Option<LinkRow>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkRow {
    kind: String,
    #[serde(rename = "ref")]
    reference: String,
}

/// The link kinds a task may have.
pub const LINK_KINDS: &[&str] = &["chain", "campaign_action", "event", "measure"];

/// Loads every plan file; keys are unique across them and parents resolve among them.
pub fn load_plans(
    files: &[(&str, &str)],
    corpus: &Corpus,
    directory: &Directory,
) -> Result<Vec<PlanTask>, PackError> {
    let mut all: Vec<(usize, PlanTask)> = Vec::new();
    let mut keys = HashSet::new();
    for (i, (file, text)) in files.iter().enumerate() {
        for t in load_plan(file, text, corpus, directory)? {
            if !keys.insert(t.key.clone()) {
                return Err(invalid(
                    file,
                    &format!("task (key = \"{}\")", t.key),
                    "key重复（各计划文件之间也须唯一）",
                ));
            }
            all.push((i, t));
        }
    }
    for (i, t) in &all {
        if let Some(p) = &t.parent
            && !keys.contains(p.as_str())
        {
            return Err(invalid(
                files[*i].0,
                &format!("task (key = \"{}\").parent", t.key),
                &format!("上级任务“{p}”不存在"),
            ));
        }
    }
    Ok(all.into_iter().map(|(_, t)| t).collect())
}

fn invalid(file: &str, key: &str, message: &str) -> PackError {
    PackError::Invalid {
        file: file.to_owned(),
        key: key.to_owned(),
        message: message.to_owned(),
    }
}

/// Parses and validates one plan file.
pub fn load_plan(
    file: &str,
    text: &str,
    corpus: &Corpus,
    directory: &Directory,
) -> Result<Vec<PlanTask>, PackError> {
    let f: PlanFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let doc: DocNumber = f
        .document
        .parse()
        .map_err(|e: FieldError| invalid(file, "document", &e.message))?;
    if corpus.document(&doc).is_none() {
        return Err(invalid(file, "document", &format!("文件{doc}不在政策库中")));
    }
    let people: HashSet<&str> = directory.people().iter().map(|p| p.name.as_str()).collect();
    let mut out = Vec::with_capacity(f.task.len());
    for t in f.task {
        let key = |k: &str| format!("task (key = \"{}\").{k}", t.key);
        let bad = |k: &str, m: String| invalid(file, &key(k), &m);
        if t.key.trim().is_empty()
            || !t
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        {
            return Err(invalid(
                file,
                &format!("task (key = \"{}\")", t.key),
                "key须由小写英文字母、数字、点和下划线组成",
            ));
        }
        if t.title.trim().is_empty() {
            return Err(bad("title", "缺少任务名称".into()));
        }
        let clause = Citation::new(doc.clone(), t.clause.trim());
        if corpus.resolve(&clause).is_none() {
            return Err(bad("clause", format!("条款“{clause}”不存在")));
        }
        let lead = match directory.resolve(&t.lead) {
            Some(Resolved::Unit(u)) => u.id.clone(),
            Some(Resolved::Collective(..)) => {
                return Err(bad(
                    "lead",
                    format!("牵头单位“{}”是多个单位的统称，须为一个单位", t.lead),
                ));
            }
            None => return Err(bad("lead", format!("单位“{}”不在单位名录中", t.lead))),
        };
        let mut responsible: Vec<UnitId> = Vec::new();
        for name in &t.responsible {
            let ids: Vec<UnitId> = match directory.resolve(name) {
                Some(Resolved::Unit(u)) => vec![u.id.clone()],
                Some(Resolved::Collective(_, units)) => {
                    units.iter().map(|u| u.id.clone()).collect()
                }
                None => {
                    return Err(bad("responsible", format!("单位“{name}”不在单位名录中")));
                }
            };
            for id in ids {
                if id != lead && !responsible.contains(&id) {
                    responsible.push(id);
                }
            }
        }
        let leader = t.leader.unwrap_or_default().trim().to_owned();
        if !leader.is_empty() && !people.contains(leader.as_str()) {
            return Err(bad("leader", format!("“{leader}”不在名录的人员中")));
        }
        let cadence = Cadence::parse(&t.cadence).ok_or_else(|| {
            bad(
                "cadence",
                format!(
                    "报送周期“{}”不存在；可选：once、dekad、month、quarter、year",
                    t.cadence
                ),
            )
        })?;
        if cadence == Cadence::Once && t.due.is_none() {
            return Err(bad("due", "一次性任务须写明完成时限（due）".into()));
        }
        for (k, end) in [("due", t.due), ("until", t.until)] {
            if let Some(e) = end
                && e < t.starts
            {
                return Err(bad(k, format!("{e}早于开始日期{}", t.starts)));
            }
        }
        let (link_kind, link_ref) = match t.link {
            None => (String::new(), String::new()),
            Some(l) if LINK_KINDS.contains(&l.kind.as_str()) && !l.reference.trim().is_empty() => {
                (l.kind, l.reference)
            }
            Some(l) => {
                return Err(bad(
                    "link",
                    format!(
                        "关联类型“{}”不存在或缺少 ref；可选：{}",
                        l.kind,
                        LINK_KINDS.join("、")
                    ),
                ));
            }
        };
        out.push(PlanTask {
            key: t.key,
            title: t.title.trim().to_owned(),
            clause,
            lead,
            responsible,
            leader,
            cadence,
            starts: t.starts,
            due: t.due,
            until: t.until,
            link_kind,
            link_ref,
            parent: t.parent,
            place: t.place.unwrap_or_default(),
            note: t.note.unwrap_or_default(),
        });
    }
    Ok(out)
}
