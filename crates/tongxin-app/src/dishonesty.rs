//! 失信名单 (同政办规发〔2023〕7号 第二十四条): an applicant whose misuse or destruction of
//! temporary land prevents reclamation, and who does not correct it in time, is put on the list
//! and may not apply for temporary land for five years. The approving department (自然资源局)
//! records the decisions; the site application refuses a listed applicant with the clause
//! (check `temporary_land.not_on_dishonesty_list`); entries lapse on their own; the public sees
//! the entries in force, with individuals' names masked and no ID numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_domain::checks::{self, DishonestyListing};
use tongxin_domain::ids::{CreditCode, ResidentId};
use tongxin_domain::mask::mask_name;
use tongxin_domain::{FieldError, Permission, audit::AuditAction};
use tongxin_store::ListingRow;

use crate::{Actor, App, AppError};

/// What the department enters (列入失信名单).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListingInput {
    /// enterprise | individual
    #[serde(default)]
    pub subject_kind: String,
    /// 统一社会信用代码 or 居民身份证号码.
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub name: String,
    /// 列入理由.
    #[serde(default)]
    pub reason: String,
    /// 决定文号.
    #[serde(default)]
    pub decision: String,
    /// 决定日期 (YYYY-MM-DD).
    #[serde(default)]
    pub decided_on: String,
}

/// An entry as the department sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ListingView {
    pub id: i64,
    pub subject_kind: String,
    pub subject: String,
    pub name: String,
    pub reason: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    /// The last day in force.
    pub until_on: NaiveDate,
    pub in_force: bool,
    pub citation: String,
}

/// An entry as the public sees it: an individual's name masked, no ID number.
#[derive(Debug, Clone, Serialize)]
pub struct PublicListing {
    pub name: String,
    /// An enterprise's credit code (public on its licence); empty for individuals.
    pub credit_code: String,
    pub reason: String,
    pub decision: String,
    pub decided_on: NaiveDate,
    pub until_on: NaiveDate,
}

/// A subject typed in any case and spacing, as stored (upper-case, trimmed).
fn normalise(subject: &str) -> String {
    subject.trim().to_ascii_uppercase()
}

impl App {
    fn require_list_keeper(&self, actor: &Actor) -> Result<(), AppError> {
        self.require_temporary_land_unit(
            actor,
            Permission::ManageDishonestyList,
            "管理临时用地失信名单",
            "同政办规发〔2023〕7号 第二十四条",
        )
    }

    /// Puts an applicant on the list. The entry runs five years from the decision (the rule in
    /// force on the decision day).
    pub async fn add_listing(
        &self,
        actor: &Actor,
        input: &ListingInput,
    ) -> Result<ListingView, AppError> {
        self.require_list_keeper(actor)?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let subject = match input.subject_kind.as_str() {
            "enterprise" => CreditCode::parse("subject", &input.subject).map(|c| c.to_string()),
            "individual" => {
                ResidentId::parse("subject", &input.subject, today).map(|id| id.as_str().into())
            }
            _ => Err(FieldError::new(
                "subject_kind",
                "“失信主体类型”须为单位（enterprise）或个人（individual）",
            )),
        };
        let subject = subject.map_err(|e| errors.push(e)).ok();
        for (field, label, value, max) in [
            ("name", "失信主体名称（姓名）", &input.name, 100),
            ("reason", "列入理由", &input.reason, 1000),
            ("decision", "决定文号", &input.decision, 100),
        ] {
            let n = value.trim().chars().count();
            if n == 0 {
                errors.push(FieldError::new(field, format!("请填写“{label}”")));
            } else if n > max {
                errors.push(FieldError::new(
                    field,
                    format!("“{label}”不能超过{max}个字，现为{n}个字"),
                ));
            }
        }
        let decided_on = match input.decided_on.trim().parse::<NaiveDate>() {
            Ok(d) if d > today => {
                errors.push(FieldError::new(
                    "decided_on",
                    format!("“决定日期”不能晚于今天（{today}）"),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(
                    "decided_on",
                    "“决定日期”须为日期，如 2024-03-04",
                ));
                None
            }
        };
        let (Some(subject), Some(decided_on)) = (subject, decided_on) else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let (until_on, rule) =
            checks::dishonesty_until(&self.pack.corpus, decided_on).map_err(|e| {
                AppError::field(
                    "decided_on",
                    format!("“决定日期”{decided_on}：{e}，失信名单的限制无从适用"),
                )
            })?;
        let mut row = ListingRow {
            id: 0,
            subject_kind: input.subject_kind.clone(),
            subject,
            name: input.name.trim().to_owned(),
            reason: input.reason.trim().to_owned(),
            decision: input.decision.trim().to_owned(),
            decided_on,
            until_on,
            created_by: actor.username.clone(),
            created_at: String::new(),
        };
        let mut tx = self.store.begin().await?;
        row.id = tx.insert_listing(&row, self.clock.now()).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("dishonesty:{}", row.id),
            json!({ "name": row.name, "decision": row.decision, "decided_on": decided_on, "until_on": until_on, "rule": rule.key }),
        )
        .await?;
        tx.commit().await?;
        Ok(self.listing_view(row, today))
    }

    /// The clause the ban rests on, as the rule in force on `day` cites it.
    pub fn dishonesty_citation(&self, day: NaiveDate) -> String {
        self.pack
            .corpus
            .rule(checks::DISHONESTY_BAN_RULE, day)
            .map(|a| a.citation.to_string())
            .unwrap_or_default()
    }

    fn listing_view(&self, r: ListingRow, today: NaiveDate) -> ListingView {
        let citation = self.dishonesty_citation(r.decided_on);
        ListingView {
            citation,
            in_force: r.decided_on <= today && today <= r.until_on,
            id: r.id,
            subject_kind: r.subject_kind,
            subject: r.subject,
            name: r.name,
            reason: r.reason,
            decision: r.decision,
            decided_on: r.decided_on,
            until_on: r.until_on,
        }
    }

    /// The whole list, lapsed entries included (the department).
    pub async fn listings(&self, actor: &Actor) -> Result<Vec<ListingView>, AppError> {
        self.require_list_keeper(actor)?;
        let today = self.clock.today();
        Ok(self
            .store
            .listings(None)
            .await?
            .into_iter()
            .map(|r| self.listing_view(r, today))
            .collect())
    }

    /// The entries in force today, as published.
    pub async fn public_listings(&self) -> Result<Vec<PublicListing>, AppError> {
        let today = self.clock.today();
        Ok(self
            .store
            .listings(Some(today))
            .await?
            .into_iter()
            .map(|r| {
                let individual = r.subject_kind == "individual";
                PublicListing {
                    name: if individual {
                        mask_name(&r.name)
                    } else {
                        r.name
                    },
                    credit_code: if individual { String::new() } else { r.subject },
                    reason: r.reason,
                    decision: r.decision,
                    decided_on: r.decided_on,
                    until_on: r.until_on,
                }
            })
            .collect())
    }

    /// The applicant's entry in force on `day`, for the check: found by the credit code or the
    /// ID number the form gives.
    pub(crate) async fn dishonesty_fact(
        &self,
        data: &serde_json::Map<String, serde_json::Value>,
        day: NaiveDate,
    ) -> Result<Option<DishonestyListing>, AppError> {
        let key = checks::applicant_subject_field(data);
        let Some(subject) = data.get(key).and_then(|v| v.as_str()).map(normalise) else {
            return Ok(None);
        };
        if subject.is_empty() {
            return Ok(None);
        }
        Ok(self
            .store
            .listing_of(&subject, day)
            .await?
            .map(|r| DishonestyListing {
                name: r.name,
                decision: r.decision,
                decided_on: r.decided_on,
                until: r.until_on,
            }))
    }
}
