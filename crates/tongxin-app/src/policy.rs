//! 政策库 as the app serves it: documents a user may read, and rule lookups with the warnings
//! a decision must carry (a lapsed document).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::policy::{Document, Renewal, RenewalKind, RuleError};
use tongxin_domain::validation::char_len;
use tongxin_domain::{DocNumber, FieldError, Permission};
use tongxin_store::RenewalRow;

use crate::auth::Actor;
use crate::{App, AppError};

/// 续期记录 as typed on the 政策库 page or sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RenewalInput {
    /// trial_extended | reissued (or the Chinese label).
    #[serde(default)]
    pub kind: String,
    /// 文号 or the decision's name.
    #[serde(default)]
    pub decision: String,
    /// `YYYY-MM-DD`: the first day the document is in force again.
    #[serde(default)]
    pub effective_from: String,
    /// `YYYY-MM-DD`, optional: the last day (required when a trial is extended).
    #[serde(default)]
    pub valid_until: String,
    #[serde(default)]
    pub note: String,
}

const DECISION_MAX: usize = 200;
const NOTE_MAX: usize = 500;

fn parse_day(field: &str, label: &str, s: &str) -> Result<Option<NaiveDate>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, format!("“{label}”须为日期，如2026-12-01")))
}

fn renewal_of(row: &RenewalRow) -> Option<(DocNumber, Renewal)> {
    Some((
        row.doc.parse().ok()?,
        Renewal {
            kind: RenewalKind::from_code(&row.kind)?,
            decision: row.decision.clone(),
            from: row.effective_from,
            until: row.valid_until,
            note: row.note.clone(),
        },
    ))
}

impl App {
    /// Internal documents (no （此件公开发布）) are for staff only, not applicants nor the
    /// public (`None`: not logged in); public ones for everyone.
    pub fn may_read(&self, actor: Option<&Actor>, doc: &Document) -> bool {
        doc.public || actor.is_some_and(|a| a.role.permits(Permission::ViewInternalPolicies))
    }

    /// The documents the actor may read, in corpus order.
    pub fn documents_for(&self, actor: Option<&Actor>) -> Vec<Document> {
        self.corpus()
            .documents()
            .iter()
            .filter(|d| self.may_read(actor, d))
            .cloned()
            .collect()
    }

    /// A document by its URL slug (`同政办规发-2023-6`) or number.
    pub fn document_for(&self, actor: Option<&Actor>, slug: &str) -> Result<Document, AppError> {
        let number = DocNumber::from_slug(slug).or_else(|| slug.parse().ok());
        let not_found = || AppError::NotFound {
            what: format!("文件“{slug}”"),
        };
        let corpus = self.corpus();
        let doc = number
            .and_then(|n| corpus.document(&n))
            .ok_or_else(not_found)?;
        if !self.may_read(actor, doc) {
            // An internal document is not acknowledged to exist for those who may not read it.
            return Err(not_found());
        }
        Ok(doc.clone())
    }
}

impl App {
    /// The renewals in the database, as the corpus takes them.
    pub(crate) async fn stored_renewals(&self) -> Result<Vec<(DocNumber, Renewal)>, AppError> {
        let rows = self.store.renewals().await?;
        rows.iter()
            .map(|r| {
                renewal_of(r)
                    .ok_or_else(|| AppError::Internal(format!("续期记录{}的文号或方式无效", r.id)))
            })
            .collect()
    }

    /// 记录续期: a decision keeping a document with a trial or a period in force (第二十条 of
    /// 同政办规发〔2023〕5号: a two-year trial). From its first day, decisions citing the
    /// document carry no lapsed-document warning. Every field is checked at once; the record is
    /// audited; the corpus is rebuilt.
    pub async fn record_renewal(
        &self,
        actor: &Actor,
        slug: &str,
        input: &RenewalInput,
    ) -> Result<Document, AppError> {
        self.require(actor, Permission::ManagePolicies, "记录文件续期")?;
        let doc = self.document_for(Some(actor), slug)?;
        let mut errors = Vec::new();
        let ends = doc.trial_until.or(doc.valid_until);
        let Some(ended) = ends else {
            return Err(AppError::Conflict(format!(
                "{}没有试行期或有效期，一直有效，无需续期",
                doc.number
            )));
        };
        let kind = match RenewalKind::from_code(input.kind.trim()) {
            Some(k) => Some(k),
            None => {
                errors.push(FieldError::new(
                    "kind",
                    "请选择“续期方式”：延长试行期，或修订或重新发布",
                ));
                None
            }
        };
        let decision = input.decision.trim();
        if decision.is_empty() {
            errors.push(FieldError::new(
                "decision",
                "请填写“续期依据”（文号或决定名称）",
            ));
        } else if char_len(decision) > DECISION_MAX {
            errors.push(FieldError::new(
                "decision",
                format!("“续期依据”不能超过{DECISION_MAX}个字"),
            ));
        }
        let note = input.note.trim();
        if char_len(note) > NOTE_MAX {
            errors.push(FieldError::new(
                "note",
                format!("“说明”不能超过{NOTE_MAX}个字"),
            ));
        }
        let typed_from = match parse_day("effective_from", "续期起始日", &input.effective_from)
        {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError::new("effective_from", "请填写“续期起始日”"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let from = match typed_from {
            Some(d) if d <= doc.effective_from => {
                errors.push(FieldError::new(
                    "effective_from",
                    format!(
                        "“续期起始日”须晚于文件施行日{}",
                        doc.effective_from.format("%Y年%-m月%-d日")
                    ),
                ));
                None
            }
            d => d,
        };
        let until = match parse_day("valid_until", "续期截止日", &input.valid_until) {
            Ok(u) => u,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        if let (Some(f), Some(u)) = (typed_from, until)
            && u < f
        {
            errors.push(FieldError::new(
                "valid_until",
                format!(
                    "“续期截止日”{}早于“续期起始日”{}",
                    u.format("%Y年%-m月%-d日"),
                    f.format("%Y年%-m月%-d日")
                ),
            ));
        }
        if kind == Some(RenewalKind::TrialExtended) && until.is_none() {
            errors.push(FieldError::new(
                "valid_until",
                "延长试行期须填写新的试行期截止日",
            ));
        }
        let (Some(kind), Some(from)) = (kind, from) else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let row = RenewalRow {
            id: 0,
            doc: doc.number.to_string(),
            kind: kind.code().into(),
            decision: decision.to_owned(),
            effective_from: from,
            valid_until: until,
            note: note.to_owned(),
            recorded_by: actor.username.clone(),
            recorded_at: String::new(),
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let id = tx.insert_renewal(&row, now).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("policy_renewal:{id}"),
            json!({
                "doc": row.doc, "kind": row.kind, "decision": row.decision,
                "from": from, "until": until, "ended": ended,
            }),
        )
        .await?;
        tx.commit().await?;
        self.reload_corpus().await?;
        tracing::info!(doc = %row.doc, renewal = id, "续期已记录");
        self.document_for(Some(actor), slug)
    }
}

/// A rule lookup's error as the app reports it.
pub fn rule_error(e: RuleError) -> AppError {
    match e {
        RuleError::UnknownRule { key } => AppError::NotFound {
            what: format!("规则“{key}”"),
        },
        other => AppError::Conflict(other.to_string()),
    }
}
