//! 文件导入: a document's text → parsed outline and drafted tasks → reviewed by an official
//! (unknown unit names mapped, anomalies acknowledged, metadata corrected) → published into the
//! policy corpus (its clauses citable everywhere) with its tasks as drafts for the ledger.
//!
//! The pasted text is stored as a draft first, so nothing typed is lost between review steps;
//! the parse is re-run on every view (it takes milliseconds), so a newly mapped alias applies
//! at once.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_docparse::{ParseResult, ParsedDocument, ParsedKind, parse};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::policy::{Clause, DocKind, Document};
use tongxin_domain::{DocNumber, FieldError, Permission, Unit};
use tongxin_store::{ImportDraftRow, StoreError};

use crate::auth::Actor;
use crate::{App, AppError};

/// Longest text accepted for import (a county document is tens of kilobytes).
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// A draft with its current parse.
#[derive(Debug, Clone)]
pub struct ImportReview {
    pub draft: ImportDraftRow,
    pub result: ParseResult,
    /// For each parsed document: the number, when it is already in the corpus.
    pub already_in_corpus: Vec<bool>,
}

/// What the official confirms when publishing one document of a draft.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishInput {
    /// Which document of the text (0-based).
    #[serde(default)]
    pub document: usize,
    pub number: String,
    pub title: String,
    /// 印发日期 (YYYY-MM-DD).
    pub issued: String,
    /// 施行日期 (YYYY-MM-DD); empty = the issue date.
    #[serde(default)]
    pub effective_from: String,
    #[serde(default)]
    pub public: bool,
    /// The official has looked at every anomaly and unresolved unit name.
    #[serde(default)]
    pub acknowledged: bool,
    /// Which drafted tasks (indexes into the document's tasks) go to the ledger as drafts;
    /// None = all of them.
    #[serde(default)]
    pub include_tasks: Option<Vec<usize>>,
    /// Corrections to drafted tasks, by task index.
    #[serde(default)]
    pub task_edits: std::collections::BTreeMap<usize, TaskEdit>,
}

/// What an official corrected in a drafted task. A field left out (None) keeps the parse.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskEdit {
    /// Lead units as a list (`住建局、豫海镇`); re-resolved against the directory.
    pub lead_units: Option<String>,
    pub responsible_units: Option<String>,
    /// The time as it should read.
    pub time: Option<String>,
    pub place: Option<String>,
}

/// The names of a unit list as the parser read them, joined the way an official types them.
pub fn unit_list_text(units: &[tongxin_docparse::UnitRef]) -> String {
    units
        .iter()
        .map(|u| u.raw.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Applies an official's corrections to a drafted task.
fn apply_edit(
    task: &tongxin_docparse::Task,
    edit: Option<&TaskEdit>,
    directory: &tongxin_domain::Directory,
) -> tongxin_docparse::Task {
    let mut t = task.clone();
    let Some(e) = edit else { return t };
    if let Some(list) = &e.lead_units
        && list.trim() != unit_list_text(&t.lead_units)
    {
        t.lead_units = tongxin_docparse::resolve_units(list, t.span, directory);
        t.lead_from = None;
    }
    if let Some(list) = &e.responsible_units
        && list.trim() != unit_list_text(&t.responsible_units)
    {
        t.responsible_units = tongxin_docparse::resolve_units(list, t.span, directory);
    }
    if let Some(time) = &e.time
        && Some(time.trim()) != t.time.as_ref().map(|x| x.text.as_str())
    {
        let edited = (!time.trim().is_empty()).then(|| tongxin_docparse::TimeRef {
            text: time.trim().to_owned(),
            start: None,
            end: None,
            time_of_day: None,
            span: t.span,
        });
        t.times = edited.iter().cloned().collect();
        t.time = edited;
    }
    if let Some(place) = &e.place {
        t.place = Some(place.trim().to_owned()).filter(|p| !p.is_empty());
    }
    t
}

/// An imported document as stored (JSON in `imported_documents.document`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredDocument {
    number: String,
    title: String,
    issuers: Vec<String>,
    issued: NaiveDate,
    effective_from: NaiveDate,
    public: bool,
    kind: String,
    source_text: String,
    note: String,
    clauses: Vec<StoredClause>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredClause {
    id: String,
    parent: Option<String>,
    label: String,
    title: String,
    text: String,
}

impl StoredDocument {
    fn into_document(self) -> Result<Document, AppError> {
        let number: DocNumber = self
            .number
            .parse()
            .map_err(|e: FieldError| AppError::Internal(e.message))?;
        let kind = match self.kind.as_str() {
            "方案" => DocKind::Plan,
            "制度" => DocKind::System,
            _ => DocKind::Measures,
        };
        Ok(Document {
            number,
            title: self.title,
            issuers: self.issuers,
            issued: self.issued,
            effective_from: self.effective_from,
            valid_until: None,
            trial: false,
            trial_until: None,
            validity_clause: None,
            repeals: vec![],
            public: self.public,
            kind,
            source_text: self.source_text,
            note: self.note,
            clauses: self
                .clauses
                .into_iter()
                .map(|c| Clause {
                    id: c.id,
                    parent: c.parent,
                    label: c.label,
                    title: c.title,
                    text: c.text,
                    depth: 0,
                })
                .collect(),
            renewals: Vec::new(),
        })
    }
}

fn kind_label(k: ParsedKind) -> &'static str {
    match k {
        ParsedKind::Plan => "方案",
        ParsedKind::System => "制度",
        _ => "办法",
    }
}

fn date(field: &str, label: &str, s: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, format!("{label}“{s}”不是日期，应为 YYYY-MM-DD")))
}

impl App {
    /// Documents published by import, as corpus documents.
    pub(crate) async fn imported_documents(&self) -> Result<Vec<Document>, AppError> {
        let mut out = Vec::new();
        for row in self.store.imported_documents().await? {
            let stored: StoredDocument = serde_json::from_str(&row.document).map_err(|e| {
                AppError::Internal(format!("导入文件{}的数据无法读取：{e}", row.number))
            })?;
            out.push(stored.into_document()?);
        }
        Ok(out)
    }

    /// Stores pasted text as an import draft.
    pub async fn create_import_draft(&self, actor: &Actor, text: &str) -> Result<i64, AppError> {
        self.require(actor, Permission::ImportDocuments, "导入文件")?;
        if text.trim().is_empty() {
            return Err(AppError::field("text", "请粘贴文件正文"));
        }
        if text.len() > MAX_IMPORT_BYTES {
            return Err(AppError::field(
                "text",
                format!(
                    "文件正文过长（{}字节），上限为{}字节",
                    text.len(),
                    MAX_IMPORT_BYTES
                ),
            ));
        }
        let mut tx = self.store.begin().await?;
        let id = tx
            .insert_import_draft(text, &actor.username, self.clock.now())
            .await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("import_draft:{id}"),
            json!({ "bytes": text.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A draft and its parse with the current directory.
    pub async fn import_review(&self, actor: &Actor, id: i64) -> Result<ImportReview, AppError> {
        self.require(actor, Permission::ImportDocuments, "导入文件")?;
        let draft = self
            .store
            .import_draft(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("导入草稿{id}"),
            })?;
        let result = parse(&draft.source_text, &self.directory());
        let corpus = self.corpus();
        let already_in_corpus = result
            .documents
            .iter()
            .map(|d| {
                d.number
                    .as_deref()
                    .and_then(|n| n.parse::<DocNumber>().ok())
                    .is_some_and(|n| corpus.document(&n).is_some())
            })
            .collect();
        Ok(ImportReview {
            draft,
            result,
            already_in_corpus,
        })
    }

    /// The newest drafts.
    pub async fn import_drafts(&self, actor: &Actor) -> Result<Vec<ImportDraftRow>, AppError> {
        self.require(actor, Permission::ImportDocuments, "导入文件")?;
        Ok(self.store.import_drafts(20).await?)
    }

    /// Remembers `name` as another name of a unit, so this and later documents resolve it.
    pub async fn map_unit_alias(
        &self,
        actor: &Actor,
        name: &str,
        unit: &str,
    ) -> Result<Unit, AppError> {
        self.require(actor, Permission::ImportDocuments, "登记单位别名")?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(AppError::field("name", "别名须为1至40个字符"));
        }
        let target = self.resolve_unit_input("unit", unit)?;
        if let Some(existing) = self.directory().resolve_unit(name) {
            return Err(AppError::field(
                "name",
                format!("“{name}”已指向{}", existing.name),
            ));
        }
        // Check against the whole directory (collective names, ambiguity) before storing.
        self.directory()
            .with_aliases(&[(name.to_owned(), target.id.0.clone())])
            .map_err(|e| AppError::field("name", e.to_string()))?;
        let mut tx = self.store.begin().await?;
        match tx.add_unit_alias(name, target.id.as_str()).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                return Err(AppError::field("name", format!("“{name}”已登记为别名")));
            }
            Err(e) => return Err(e.into()),
        }
        let summary = json!({ "after": { "alias": name, "unit": target.id.as_str() } });
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("unit_alias:{}", target.id),
            summary,
        )
        .await?;
        tx.commit().await?;
        self.reload_directory().await?;
        Ok(target)
    }

    /// Publishes one document of a draft into the corpus, with its tasks as ledger drafts.
    pub async fn publish_import(
        &self,
        actor: &Actor,
        draft_id: i64,
        input: &PublishInput,
    ) -> Result<DocNumber, AppError> {
        let review = self.import_review(actor, draft_id).await?;
        if review.draft.status != "draft" {
            return Err(AppError::Conflict(format!(
                "导入草稿{draft_id}已发布为{}",
                review.draft.published_as.unwrap_or_default()
            )));
        }
        let Some(doc) = review.result.documents.get(input.document) else {
            return Err(AppError::field(
                "document",
                format!("文本中没有第{}份文件", input.document + 1),
            ));
        };
        let mut errors = Vec::new();
        let number = input
            .number
            .parse::<DocNumber>()
            .map_err(|e| errors.push(e))
            .ok();
        let title = input.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push(FieldError::new("title", "标题须为1至200个字符"));
        }
        let issued = date("issued", "印发日期", &input.issued)
            .map_err(|e| errors.push(e))
            .ok();
        let effective_from = if input.effective_from.trim().is_empty() {
            issued
        } else {
            date("effective_from", "施行日期", &input.effective_from)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let unresolved = doc.anomalies.len();
        if unresolved > 0 && !input.acknowledged {
            errors.push(FieldError::new(
                "acknowledged",
                format!("请先核对{unresolved}处异常（含未识别的单位名称），勾选“已核对”后再发布"),
            ));
        }
        if let Some(n) = &number
            && self.corpus().document(n).is_some()
        {
            errors.push(FieldError::new("number", format!("{n}已在政策库中")));
        }
        let (Some(number), Some(issued), Some(effective_from)) = (number, issued, effective_from)
        else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let stored = stored_document(
            doc,
            &review.draft.source_text,
            &number,
            title,
            issued,
            effective_from,
            input.public,
        );
        // Validate as the corpus would before writing anything.
        let probe = stored.clone().into_document()?;
        self.corpus()
            .with_documents(vec![probe])
            .map_err(|e| AppError::field("number", e.to_string()))?;
        for (i, e) in &input.task_edits {
            let too_long = [&e.lead_units, &e.responsible_units, &e.time, &e.place]
                .into_iter()
                .flatten()
                .any(|v| v.chars().count() > 500);
            if *i >= doc.tasks.len() || too_long {
                return Err(AppError::field(
                    "task_edits",
                    format!("第{}项任务的修改无效（不存在或超过500字）", i + 1),
                ));
            }
        }
        let directory = self.directory();
        let tasks: Vec<(String, String)> = doc
            .tasks
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                input
                    .include_tasks
                    .as_ref()
                    .is_none_or(|keep| keep.contains(i))
            })
            .map(|(i, t)| apply_edit(t, input.task_edits.get(&i), &directory))
            .map(|t| {
                (
                    t.clause.clone(),
                    serde_json::to_string(&t).unwrap_or_default(),
                )
            })
            .collect();
        let document_json =
            serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.store.begin().await?;
        let number_text = number.to_string();
        let publication = tongxin_store::Publication {
            draft_id,
            number: &number_text,
            title,
            document_json: &document_json,
            tasks: &tasks,
            by: &actor.username,
        };
        match tx.publish_import(&publication, self.clock.now()).await {
            Ok(()) => {}
            Err(StoreError::StaleVersion) => {
                return Err(AppError::Conflict(format!(
                    "导入草稿{draft_id}已被他人发布"
                )));
            }
            Err(StoreError::Conflict { .. }) => {
                return Err(AppError::field("number", format!("{number}已在政策库中")));
            }
            Err(e) => return Err(e.into()),
        }
        let summary = json!({ "after": { "number": number.to_string(), "clauses": stored.clauses.len(), "draft_tasks": tasks.len(), "anomalies_acknowledged": unresolved } });
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::StateChange,
            &format!("import_draft:{draft_id}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        self.reload_corpus().await?;
        Ok(number)
    }

    /// Draft tasks of an imported document (JSON of `tongxin_docparse::Task`).
    pub async fn draft_tasks(
        &self,
        actor: &Actor,
        number: &DocNumber,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        self.require(actor, Permission::ImportDocuments, "查看草稿任务")?;
        Ok(self
            .store
            .draft_tasks(&number.to_string())
            .await?
            .into_iter()
            .map(|t| serde_json::from_str(&t.task).unwrap_or(serde_json::Value::Null))
            .collect())
    }
}

fn stored_document(
    doc: &ParsedDocument,
    source: &str,
    number: &DocNumber,
    title: &str,
    issued: NaiveDate,
    effective_from: NaiveDate,
    public: bool,
) -> StoredDocument {
    let text = source.get(doc.span.start..doc.span.end).unwrap_or(source);
    StoredDocument {
        number: number.to_string(),
        title: title.to_owned(),
        issuers: doc
            .issuers
            .iter()
            .map(|u| u.resolved.first().cloned().unwrap_or_else(|| u.raw.clone()))
            .collect(),
        issued,
        effective_from,
        public,
        kind: kind_label(doc.kind).to_owned(),
        source_text: text.to_owned(),
        note: doc
            .anomalies
            .iter()
            .map(|a| a.message.clone())
            .collect::<Vec<_>>()
            .join("；"),
        clauses: doc
            .clauses
            .iter()
            .map(|c| StoredClause {
                id: c.id.clone(),
                parent: c.parent.clone(),
                label: c.label.clone(),
                title: c.title.clone(),
                text: c.text.clone(),
            })
            .collect(),
    }
}
