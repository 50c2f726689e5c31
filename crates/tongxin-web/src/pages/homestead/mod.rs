//! 宅基地审批 (同政办规发〔2023〕6号): the case list with filters, the application form, the case
//! page (deadlines, the actions this user may take now, the record and its clauses), printable
//! certificates, the township ledger as XLSX, and the public notice list.
//!
//! Every form here is generated from the procedure definition (policies/tongxin/procedures/
//! homestead.toml) through [`form`]; the rules (who may act, checks, deadlines) are the app
//! layer's, and a refusal comes back as field errors that are shown beside what was typed.

pub mod case;
pub mod documents;
pub mod filing;
pub mod form;
pub mod ledger;
pub mod list;
pub mod notices;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;
use tongxin_app::AppError;
use tongxin_app::cases::CaseQuery;
use tongxin_domain::Role;
use tongxin_domain::procedure::{Action, FieldDef, Procedure};

use crate::error::PageError;

/// The procedure these pages run.
pub const PROCEDURE: &str = "homestead";
/// Cases on a page of the list.
pub const PER_PAGE: i64 = 20;

/// The action that files a case, if `role` may take it (申请人, 村).
fn filing_action(proc: &Procedure, role: Role) -> Option<&Action> {
    proc.allowed_actions(&proc.initial, role).into_iter().next()
}

/// The refusal the app layer gives a role that may not file, said before showing a form.
fn may_not_file(proc: &Procedure) -> PageError {
    let mut roles: Vec<&str> = Vec::new();
    for a in proc
        .actions
        .iter()
        .filter(|a| a.from.contains(&proc.initial))
    {
        for r in &a.roles {
            if !roles.contains(&r.label()) {
                roles.push(r.label());
            }
        }
    }
    AppError::Forbidden {
        action: format!("提交{}", proc.title),
        needed: roles.join("或"),
    }
    .into()
}

fn action_fields(proc: &Procedure, action: &Action) -> Vec<FieldDef> {
    action
        .fields
        .iter()
        .filter_map(|f| proc.field(f).cloned())
        .collect()
}

/// Query parameters as typed (repeated names: the last wins); never refused.
fn query_map(q: Option<String>) -> HashMap<String, String> {
    form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// `2026-11-29T01:00:00.000Z` → `2026-11-29 09:00` (Beijing time).
fn local_time(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&tongxin_app::clock::china_offset())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_owned())
}

fn date_cn(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

fn text_of(data: &Map<String, Value>, key: &str) -> String {
    match data.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn status_of(status: StatusCode, res: Response) -> Response {
    let mut res = res;
    *res.status_mut() = status;
    res
}

/// The list's filter, shared by the XLSX ledger.
pub struct Filter {
    pub township: String,
    pub village: String,
    pub state: String,
    pub overdue: bool,
}

impl Filter {
    fn from_query(q: &HashMap<String, String>) -> Self {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter {
            township: get("township"),
            village: get("village"),
            state: get("state"),
            overdue: matches!(get("overdue").as_str(), "true" | "on" | "1"),
        }
    }

    fn query(&self) -> CaseQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        CaseQuery {
            township: some(&self.township),
            village: some(&self.village),
            state: some(&self.state),
            overdue: Some(self.overdue),
            page: None,
            per_page: None,
        }
    }

    /// The filter as a query string (for the ledger link and the pager).
    fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("township", &self.township),
            ("village", &self.village),
            ("state", &self.state),
        ] {
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        if self.overdue {
            pairs.push(("overdue", "true"));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}
