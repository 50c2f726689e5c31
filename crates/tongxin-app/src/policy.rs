//! 政策库 as the app serves it: documents a user may read, and rule lookups with the warnings
//! a decision must carry (a lapsed document).

use tongxin_domain::DocNumber;
use tongxin_domain::Permission;
use tongxin_domain::policy::{Document, RuleError};

use crate::auth::Actor;
use crate::{App, AppError};

impl App {
    /// Internal documents (no （此件公开发布）) are for staff only, not applicants.
    pub fn may_read(&self, actor: &Actor, doc: &Document) -> bool {
        doc.public || actor.role.permits(Permission::ViewInternalPolicies)
    }

    /// The documents the actor may read, in corpus order.
    pub fn documents_for(&self, actor: &Actor) -> Vec<Document> {
        self.corpus()
            .documents()
            .iter()
            .filter(|d| self.may_read(actor, d))
            .cloned()
            .collect()
    }

    /// A document by its URL slug (`同政办规发-2023-6`) or number.
    pub fn document_for(&self, actor: &Actor, slug: &str) -> Result<Document, AppError> {
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

/// A rule lookup's error as the app reports it.
pub fn rule_error(e: RuleError) -> AppError {
    match e {
        RuleError::UnknownRule { key } => AppError::NotFound {
            what: format!("规则“{key}”"),
        },
        other => AppError::Conflict(other.to_string()),
    }
}
