//! 新建督办任务: the supervision office adds a task by hand, or publishes one of an imported
//! document's draft tasks (the parser's reading, corrected by the office) to the ledger. Each
//! task cites the clause that creates it; the clause must be in the policy library.
//!
//! Decisions written down:
//! - Only the supervision office adds tasks (it keeps the ledger; units report on them).
//! - A task made by hand is kept under a key of its author's and the form's (`client_key`), so
//!   a double click or a retry makes one task, not two.
//! - A draft task published once is marked with the ledger's task; publishing it again is
//!   refused, naming that task.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::supervision::{Cadence, TaskStatus};
use tongxin_domain::validation::char_len;
use tongxin_domain::{Citation, FieldError, Permission};
use tongxin_store::{StoreError, TaskRow};

use crate::supervision::TaskSummary;
use crate::{Actor, App, AppError};

const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 1000;

/// A task as typed on the form (or sent to the API).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NewTaskInput {
    #[serde(default)]
    pub title: String,
    /// 同党办发〔2023〕49号 四、（六）
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub lead: String,
    /// Unit names separated by 、 or commas.
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub leader: String,
    /// 一次性 / 旬 / 月 / 季 / 年
    #[serde(default)]
    pub cadence: String,
    #[serde(default)]
    pub starts: String,
    /// A one-off task's due date.
    #[serde(default)]
    pub due: String,
    /// A periodic task's last day (empty: until closed).
    #[serde(default)]
    pub until: String,
    /// chain | campaign_action | event | measure, and its key (`pv`).
    #[serde(default)]
    pub link_kind: String,
    #[serde(default)]
    pub link_ref: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub note: String,
    /// The imported draft task this publishes, if any.
    #[serde(default)]
    pub draft_id: Option<i64>,
    /// The form's own key: the same key twice makes one task.
    #[serde(default)]
    pub client_key: String,
}

fn split_units(s: &str) -> Vec<&str> {
    s.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

fn day(field: &str, label: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("“{label}”须为日期，如2024-03-31，“{s}”不是"),
            ));
            None
        }
    }
}

impl App {
    /// The form filled from an imported document's draft task: its text, clause, units, place
    /// and date as the parser read them, for the office to correct.
    pub async fn draft_task_form(
        &self,
        actor: &Actor,
        draft_id: i64,
    ) -> Result<NewTaskInput, AppError> {
        self.require(actor, Permission::Supervise, "发布督办任务")?;
        let d = self
            .store
            .draft_task(draft_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("草稿任务{draft_id}"),
            })?;
        let task: Value = serde_json::from_str(&d.task)
            .map_err(|e| AppError::Internal(format!("草稿任务{draft_id}无法读取：{e}")))?;
        let names = |key: &str| -> Vec<String> {
            task[key]
                .as_array()
                .map(|xs| {
                    xs.iter()
                        .map(|u| {
                            u["resolved"]
                                .as_array()
                                .filter(|r| r.len() == 1)
                                .and_then(|r| r[0].as_str())
                                .or(u["raw"].as_str())
                                .unwrap_or_default()
                                .to_owned()
                        })
                        .filter(|n| !n.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let leads = names("lead_units");
        let mut responsible: Vec<String> = leads.iter().skip(1).cloned().collect();
        responsible.extend(names("responsible_units"));
        let text = task["text"].as_str().unwrap_or_default().trim().to_owned();
        let title: String = text.chars().take(TITLE_MAX).collect();
        let time = &task["time"];
        let date = |k: &str| time[k].as_str().unwrap_or_default().to_owned();
        Ok(NewTaskInput {
            title,
            source: format!("{} {}", d.document_number, d.clause_id),
            lead: leads.first().cloned().unwrap_or_default(),
            responsible: responsible.join("、"),
            cadence: "一次性".into(),
            starts: date("start"),
            due: date("end"),
            place: task["place"].as_str().unwrap_or_default().to_owned(),
            note: if text.chars().count() > TITLE_MAX {
                text
            } else {
                String::new()
            },
            draft_id: Some(d.id),
            ..NewTaskInput::default()
        })
    }

    /// 新建督办任务. Refused, naming each field: no title, a source that is not a clause of a
    /// document in the library, a unit not in the directory, a cadence, date or link that does
    /// not read, a due date before the start.
    pub async fn create_task(
        &self,
        actor: &Actor,
        input: &NewTaskInput,
    ) -> Result<TaskSummary, AppError> {
        self.require(actor, Permission::Supervise, "新建督办任务")?;
        let key = input.client_key.trim();
        let seed_key = (!key.is_empty()).then(|| format!("manual:{}:{key}", actor.username));
        if let Some(k) = &seed_key
            && let Some(t) = self.store.task_by_seed(k).await?
        {
            // The same form sent twice: the task it made.
            return Ok(self.summary(&t, false, self.clock.today()));
        }
        let mut errors = Vec::new();
        let title = input.title.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "请填写“任务”"));
        } else if char_len(title) > TITLE_MAX {
            errors.push(FieldError::new(
                "title",
                format!("“任务”不能超过{TITLE_MAX}个字"),
            ));
        }
        let source = match input.source.trim().parse::<Citation>() {
            Ok(c) => {
                let corpus = self.corpus();
                match corpus.documents().iter().find(|d| d.number == c.doc) {
                    None => {
                        errors.push(FieldError::new(
                            "source",
                            format!("政策库中没有{}，请先导入并发布该文件", c.doc),
                        ));
                        None
                    }
                    Some(d) if d.clause(&c.clause).is_none() => {
                        errors.push(FieldError::new(
                            "source",
                            format!("{}没有条款“{}”", c.doc, c.clause),
                        ));
                        None
                    }
                    Some(_) => Some(c),
                }
            }
            Err(_) => {
                errors.push(FieldError::new(
                    "source",
                    "“来源条款”须写作文号加条款，如“同党办发〔2023〕49号 四、（六）”",
                ));
                None
            }
        };
        let lead = self.unit_filter("lead", "牵头单位", Some(input.lead.as_str()), &mut errors);
        if input.lead.trim().is_empty() {
            errors.push(FieldError::new("lead", "请填写“牵头单位”"));
        }
        let mut responsible: Vec<String> = Vec::new();
        for name in split_units(&input.responsible) {
            if let Some(u) = self.unit_filter("responsible", "责任单位", Some(name), &mut errors)
                && Some(&u) != lead.as_ref()
                && !responsible.contains(&u)
            {
                responsible.push(u);
            }
        }
        let leader = input.leader.trim();
        if char_len(leader) > 20 {
            errors.push(FieldError::new("leader", "“责任领导”不能超过20个字"));
        }
        let cadence = Cadence::parse(&input.cadence);
        if cadence.is_none() {
            errors.push(FieldError::new(
                "cadence",
                "“报送周期”须为一次性、旬、月、季或年",
            ));
        }
        let starts = day("starts", "起始日", &input.starts, &mut errors);
        if input.starts.trim().is_empty() {
            errors.push(FieldError::new("starts", "请填写“起始日”"));
        }
        let due = day("due", "完成时限", &input.due, &mut errors);
        let until = day("until", "截止日", &input.until, &mut errors);
        if cadence == Some(Cadence::Once) && input.due.trim().is_empty() {
            errors.push(FieldError::new("due", "一次性任务须填写“完成时限”"));
        }
        if let (Some(s), Some(d)) = (starts, due.or(until))
            && d < s
        {
            let field = if due.is_some() { "due" } else { "until" };
            errors.push(FieldError::new(field, format!("不能早于起始日{s}")));
        }
        let link_kind = input.link_kind.trim();
        let link_ref = input.link_ref.trim();
        if !link_kind.is_empty() && !tongxin_policy::plans::LINK_KINDS.contains(&link_kind) {
            errors.push(FieldError::new(
                "link_kind",
                "关联类型须为产业链、攻坚行动、活动或措施（chain、campaign_action、event、measure）",
            ));
        }
        if link_kind.is_empty() != link_ref.is_empty() {
            errors.push(FieldError::new(
                "link_ref",
                "关联类型与关联代号须同时填写或同时留空",
            ));
        }
        let parent = match input.parent_id {
            Some(id) => match self.store.task(id).await? {
                Some(p) if self.task_in_scope(actor, &p) => Some(p.id),
                _ => {
                    errors.push(FieldError::new("parent_id", format!("上级任务{id}不存在")));
                    None
                }
            },
            None => None,
        };
        for (field, label, v) in [
            ("place", "地点", &input.place),
            ("note", "说明", &input.note),
        ] {
            if char_len(v.trim()) > TEXT_MAX {
                errors.push(FieldError::new(
                    field,
                    format!("“{label}”不能超过{TEXT_MAX}个字"),
                ));
            }
        }
        let draft = match input.draft_id {
            Some(id) => match self.store.draft_task(id).await? {
                Some(d) if d.status == "draft" => Some(d.id),
                Some(d) => {
                    errors.push(FieldError::new(
                        "draft_id",
                        format!(
                            "该草稿任务已发布为督办任务{}",
                            d.status.trim_start_matches("published:")
                        ),
                    ));
                    None
                }
                None => {
                    errors.push(FieldError::new("draft_id", format!("草稿任务{id}不存在")));
                    None
                }
            },
            None => None,
        };
        let (Some(source), Some(lead), Some(cadence), Some(starts), true) =
            (source, lead, cadence, starts, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        let now = self.clock.now();
        let row = TaskRow {
            id: 0,
            seed_key,
            parent_id: parent,
            source_doc: source.doc.to_string(),
            source_clause: source.clause.clone(),
            title: title.to_owned(),
            note: input.note.trim().to_owned(),
            lead_unit: lead,
            responsible,
            leader: leader.to_owned(),
            cadence: cadence.code().into(),
            due_rule: "last_workday".into(),
            starts_on: starts,
            due_on: if cadence == Cadence::Once { due } else { None },
            until_on: if cadence == Cadence::Once {
                None
            } else {
                until
            },
            link_kind: link_kind.to_owned(),
            link_ref: link_ref.to_owned(),
            place: input.place.trim().to_owned(),
            status: TaskStatus::NotStarted.code().into(),
            created_by: actor.username.clone(),
            created_at: String::new(),
            updated_at: String::new(),
            version: 0,
            next_due: None,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_task(&row, now).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                AppError::Conflict("同一表单已提交过，请刷新后在台账中查看".into())
            }
            e => e.into(),
        })?;
        let row = TaskRow { id, ..row };
        self.keep_owed(&mut tx, &row).await?;
        if let Some(d) = draft
            && !tx.publish_draft_task(d, id).await?
        {
            return Err(AppError::Conflict(
                "该草稿任务刚被他人发布，请刷新后查看".into(),
            ));
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("sv_task:{id}"),
            json!({ "title": row.title, "source": format!("{} {}", row.source_doc, row.source_clause), "lead": row.lead_unit, "cadence": row.cadence, "draft": draft }),
        )
        .await?;
        tx.commit().await?;
        let stored = self
            .store
            .task(id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("任务{id}写入后未找到")))?;
        Ok(self.summary(&stored, false, self.clock.today()))
    }
}

/// A draft task of an imported document, as listed for publishing.
#[derive(Debug, Clone, Serialize)]
pub struct DraftTaskItem {
    pub id: i64,
    pub clause: String,
    pub text: String,
    /// None while a draft; the ledger's task once published.
    pub published_as: Option<i64>,
}

impl App {
    /// The draft tasks an imported document's parse found, and which are published.
    pub async fn draft_task_items(
        &self,
        actor: &Actor,
        number: &str,
    ) -> Result<Vec<DraftTaskItem>, AppError> {
        self.require(actor, Permission::Supervise, "发布督办任务")?;
        let number = number
            .trim()
            .parse::<tongxin_domain::DocNumber>()
            .map_err(|e| AppError::field("doc", e.message))?;
        Ok(self
            .store
            .draft_tasks(&number.to_string())
            .await?
            .into_iter()
            .map(|d| {
                let task: Value = serde_json::from_str(&d.task).unwrap_or(Value::Null);
                DraftTaskItem {
                    id: d.id,
                    clause: d.clause_id,
                    text: task["text"].as_str().unwrap_or_default().to_owned(),
                    published_as: d
                        .status
                        .strip_prefix("published:")
                        .and_then(|x| x.parse().ok()),
                }
            })
            .collect())
    }
}
