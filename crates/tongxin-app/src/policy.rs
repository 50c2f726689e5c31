//! 政策库 as the app serves it: documents a user may read, and rule lookups with the warnings
//! a decision must carry (a lapsed document).

use chrono::NaiveDate;
use tongxin_domain::DocNumber;
use tongxin_domain::Permission;
use tongxin_domain::policy::{Document, RuleAnswer};

use crate::auth::Actor;
use crate::{App, AppError};

impl App {
    fn may_read(&self, actor: &Actor, doc: &Document) -> bool {
        doc.public || actor.role.permits(Permission::ViewInternalPolicies)
    }

    /// The documents the actor may read, in pack order. Internal documents (no （此件公开发布）)
    /// are for staff only.
    pub fn documents_for<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> impl Iterator<Item = &'a Document> + 'a {
        self.corpus
            .documents()
            .iter()
            .filter(move |d| self.may_read(actor, d))
    }

    /// A document by its URL slug (`同政办规发-2023-6`) or number.
    pub fn document_for(&self, actor: &Actor, slug: &str) -> Result<&Document, AppError> {
        let number = DocNumber::from_slug(slug).or_else(|| slug.parse().ok());
        let not_found = || AppError::NotFound {
            what: format!("文件“{slug}”"),
        };
        let doc = number
            .and_then(|n| self.corpus.document(&n))
            .ok_or_else(not_found)?;
        if !self.may_read(actor, doc) {
            // An internal document is not acknowledged to exist for those who may not read it.
            return Err(not_found());
        }
        Ok(doc)
    }

    /// A rule's value on a day (default: today) with its citation and warnings.
    pub fn rule(&self, key: &str, day: Option<NaiveDate>) -> Result<RuleAnswer<'_>, AppError> {
        let day = day.unwrap_or_else(|| self.clock.today());
        self.corpus.rule(key, day).map_err(|e| match e {
            tongxin_domain::policy::RuleError::UnknownRule { .. } => AppError::NotFound {
                what: format!("规则“{key}”"),
            },
            other => AppError::Conflict(other.to_string()),
        })
    }
}
