//! 政策库: the document list with validity badges, a document's clause tree and text, a
//! clause's page with every rule that cites it (the page every other page links to), and the
//! rules with their values on a day.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use tongxin_app::policy::RenewalInput;
use tongxin_app::{Actor, AppError};
use tongxin_domain::policy::{Corpus, DatedValue, Document, Parameter, Validity};

use super::{Layout, render};
use crate::AppState;
use crate::cite::{Cite, document_href, segment};
use crate::error::PageError;
use crate::extract::{CurrentUser, MaybeUser, PageForm};

/// Validity as a badge and a sentence.
pub struct ValidityView {
    pub label: &'static str,
    pub colour: &'static str,
    pub detail: String,
}

pub fn validity_view(v: Validity) -> ValidityView {
    let f = |d: NaiveDate| d.format("%Y年%-m月%-d日").to_string();
    let detail = match v {
        Validity::NotYetInForce { from } => format!("自{}起施行", f(from)),
        Validity::Trial { until: Some(u) } => format!("试行期至{}", f(u)),
        Validity::Trial { until: None } => "试行，文件未定期限".into(),
        Validity::InForce { until: Some(u) } => format!("有效期至{}", f(u)),
        Validity::InForce { until: None } => "文件未定期限".into(),
        Validity::Lapsed {
            ended,
            was_trial: true,
        } => format!(
            "试行期已于{}届满，须修订或续期；引用其规则的决定均带提示",
            f(ended)
        ),
        Validity::Lapsed {
            ended,
            was_trial: false,
        } => format!("有效期已于{}届满；引用其规则的决定均带提示", f(ended)),
    };
    ValidityView {
        label: v.label(),
        colour: v.colour(),
        detail,
    }
}

pub struct DocRow {
    pub number: String,
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub issued: String,
    pub effective_from: String,
    pub public: bool,
    pub validity: ValidityView,
    pub repeals: Vec<String>,
    pub rules: usize,
}

fn doc_row(st: &AppState, d: &Document, today: NaiveDate) -> DocRow {
    DocRow {
        number: d.number.to_string(),
        href: document_href(&d.number),
        title: d.title.clone(),
        kind: d.kind.label(),
        issued: d.issued.to_string(),
        effective_from: d.effective_from.to_string(),
        public: d.public,
        validity: validity_view(d.validity(today)),
        repeals: d.repeals.iter().map(ToString::to_string).collect(),
        rules: st
            .app
            .corpus()
            .parameters()
            .filter(|p| p.values.iter().any(|v| v.citation.doc == d.number))
            .count(),
    }
}

#[derive(Template)]
#[template(path = "policies.html")]
pub struct ListPage {
    pub layout: Layout,
    pub today: String,
    pub docs: Vec<DocRow>,
}

pub async fn list(State(st): State<AppState>, MaybeUser(actor): MaybeUser) -> Response {
    let today = st.app.clock.today();
    let docs = st
        .app
        .documents_for(actor.as_ref())
        .iter()
        .map(|d| doc_row(&st, d, today))
        .collect();
    render(&ListPage {
        layout: Layout::new(&st, actor.as_ref(), "政策库", "policies"),
        today: today.format("%Y年%-m月%-d日").to_string(),
        docs,
    })
}

pub struct ClauseRow {
    pub id: String,
    pub anchor: String,
    pub href: String,
    pub depth: usize,
    pub label: String,
    pub title: String,
    pub text: String,
    pub rules: usize,
}

#[derive(Template)]
#[template(path = "policy_document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub doc: DocRow,
    pub issuers: String,
    pub note: String,
    pub validity_clause: Option<Cite>,
    pub clauses: Vec<ClauseRow>,
    pub source_text: String,
    /// 续期记录, oldest first.
    pub renewals: Vec<RenewalLine>,
    /// The renewal form, for those who keep the library and a document that can lapse.
    pub renewal_form: Option<RenewalForm>,
    pub notice: Option<String>,
}

pub struct RenewalLine {
    pub kind: &'static str,
    pub decision: String,
    pub period: String,
    pub note: String,
}

/// The renewal form as typed, with each field's message.
#[derive(Default)]
pub struct RenewalForm {
    pub typed: HashMap<String, String>,
    pub errors: HashMap<String, String>,
    pub action: String,
}

impl RenewalForm {
    pub fn value(&self, k: &str) -> &str {
        self.typed.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn error(&self, k: &str) -> &str {
        self.errors.get(k).map(String::as_str).unwrap_or_default()
    }
}

async fn document_page(
    st: &AppState,
    actor: Option<&Actor>,
    slug: &str,
    form: Option<RenewalForm>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let d = &st.app.document_for(actor, slug)?;
    let today = st.app.clock.today();
    let clauses = d
        .clauses
        .iter()
        .map(|c| ClauseRow {
            id: c.id.clone(),
            anchor: format!("c-{}", segment(&c.id)),
            href: format!("{}/clauses/{}", document_href(&d.number), segment(&c.id)),
            depth: c.depth.min(4),
            label: c.label.clone(),
            title: c.title.clone(),
            text: c.text.clone(),
            rules: st
                .app
                .corpus()
                .rules_citing(&d.number, &c.id)
                .filter(|(_, v)| v.citation.clause == c.id)
                .count(),
        })
        .collect();
    let f = |x: NaiveDate| x.format("%Y年%-m月%-d日").to_string();
    let can_renew = actor
        .is_some_and(|a| a.role.permits(tongxin_domain::Permission::ManagePolicies))
        && (d.trial_until.is_some() || d.valid_until.is_some());
    let page = DocumentPage {
        layout: Layout::new(st, actor, &d.title, "policies"),
        doc: doc_row(st, d, today),
        issuers: d.issuers.join("、"),
        note: d.note.clone(),
        validity_clause: d
            .validity_clause
            .as_ref()
            .map(|c| Cite::from(&d.citation(c))),
        clauses,
        source_text: d.source_text.clone(),
        renewals: d
            .renewals
            .iter()
            .map(|r| RenewalLine {
                kind: r.kind.label(),
                decision: r.decision.clone(),
                period: match r.until {
                    Some(u) => format!("{}至{}", f(r.from), f(u)),
                    None => format!("自{}起", f(r.from)),
                },
                note: r.note.clone(),
            })
            .collect(),
        renewal_form: can_renew.then(|| {
            let mut form = form.unwrap_or_default();
            form.action = format!("{}/renewals", document_href(&d.number));
            form
        }),
        notice,
    };
    Ok(render(&page))
}

pub async fn document(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
    Path(slug): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let notice = q
        .filter(|q| q.contains("renewed=1"))
        .map(|_| "续期已记录：自续期起始日起，引用本文件的决定不再提示已失效。".to_owned());
    document_page(&st, actor.as_ref(), &slug, None, notice).await
}

/// 记录续期 from the document page; a refusal shows the form again with what was typed.
pub async fn record_renewal(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(slug): Path<String>,
    PageForm(raw): PageForm,
) -> Result<Response, PageError> {
    let get = |k: &str| raw.get(k).cloned().unwrap_or_default();
    let input = RenewalInput {
        kind: get("kind"),
        decision: get("decision"),
        effective_from: get("effective_from"),
        valid_until: get("valid_until"),
        note: get("note"),
    };
    match st.app.record_renewal(&actor, &slug, &input).await {
        Ok(d) => {
            Ok(Redirect::to(&format!("{}?renewed=1", document_href(&d.number))).into_response())
        }
        Err(AppError::Validation(es)) => {
            let errors = super::errors_by_field(es);
            let form = RenewalForm {
                typed: raw,
                errors,
                action: String::new(),
            };
            let mut res = document_page(&st, Some(&actor), &slug, Some(form), None).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct RuleRow {
    pub key: String,
    pub label: String,
    pub value: String,
    pub window: String,
    pub cite: Cite,
    pub quote: String,
    pub warnings: Vec<String>,
    pub in_force: bool,
}

#[derive(Template)]
#[template(path = "policy_clause.html")]
pub struct ClausePage {
    pub layout: Layout,
    pub doc: DocRow,
    pub cite: Cite,
    pub path: Vec<Cite>,
    pub label: String,
    pub title: String,
    pub text: String,
    pub children: Vec<Cite>,
    pub rules: Vec<RuleRow>,
    pub people: Vec<String>,
}

fn rule_row(corpus: &Corpus, p: &Parameter, v: &DatedValue, today: NaiveDate) -> RuleRow {
    RuleRow {
        key: p.key.clone(),
        label: p.label.clone(),
        value: format!("{}{}", v.value, p.unit_label()),
        window: window(v.from, v.until),
        cite: Cite::from(&v.citation),
        quote: v.quote.clone(),
        warnings: corpus
            .warnings_for(&v.citation.doc, today)
            .iter()
            .map(ToString::to_string)
            .collect(),
        in_force: v.covers(today),
    }
}

fn window(from: NaiveDate, until: Option<NaiveDate>) -> String {
    match until {
        Some(u) => format!("{from} 至 {u}"),
        None => format!("{from} 起"),
    }
}

pub async fn clause(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
    Path((slug, clause_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let d = &st.app.document_for(actor.as_ref(), &slug)?;
    let c = d.clause(&clause_id).ok_or_else(|| PageError {
        status: axum::http::StatusCode::NOT_FOUND,
        message: format!("{}中没有条款“{clause_id}”", d.number),
    })?;
    let today = st.app.clock.today();
    let mut path = Vec::new();
    let mut parent = c.parent.as_deref();
    while let Some(p) = parent.and_then(|p| d.clause(p)) {
        path.push(Cite::from(&d.citation(&p.id)));
        parent = p.parent.as_deref();
    }
    path.reverse();
    let corpus = st.app.corpus();
    let rules = corpus
        .rules_citing(&d.number, &c.id)
        .filter(|(_, v)| {
            v.citation.clause == c.id
                || d.clause(&v.citation.clause)
                    .is_some_and(|x| x.parent.as_deref() == Some(&c.id))
        })
        .map(|(p, v)| rule_row(&corpus, p, v, today))
        .collect();
    let citation = d.citation(&c.id).to_string();
    let people = st
        .app
        .directory()
        .people()
        .iter()
        .flat_map(|p| {
            p.titles
                .iter()
                .filter(|t| {
                    t.citation
                        .parse::<tongxin_domain::Citation>()
                        .is_ok_and(|x| x.to_string() == citation)
                })
                .map(move |t| format!("{}：{}（{}）", p.name, t.title, t.of))
        })
        .collect();
    let page = ClausePage {
        layout: Layout::new(&st, actor.as_ref(), &citation, "policies"),
        doc: doc_row(&st, d, today),
        cite: Cite::from(&d.citation(&c.id)),
        path,
        label: c.label.clone(),
        title: c.title.clone(),
        text: c.text.clone(),
        children: d
            .children(Some(&c.id))
            .map(|x| Cite::from(&d.citation(&x.id)))
            .collect(),
        rules,
        people,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "policy_rules.html")]
pub struct RulesPage {
    pub layout: Layout,
    pub today: String,
    pub rules: Vec<RuleRow>,
}

pub async fn rules(State(st): State<AppState>, CurrentUser(actor): CurrentUser) -> Response {
    let today = st.app.clock.today();
    let readable: Vec<_> = st
        .app
        .documents_for(Some(&actor))
        .iter()
        .map(|d| d.number.clone())
        .collect();
    let corpus = st.app.corpus();
    let rules = corpus
        .parameters()
        .filter_map(|p| {
            let v = p
                .values
                .iter()
                .find(|v| v.covers(today))
                .or_else(|| p.values.last())?;
            readable
                .contains(&v.citation.doc)
                .then(|| rule_row(&corpus, p, v, today))
        })
        .collect();
    render(&RulesPage {
        layout: Layout::new(&st, Some(&actor), "规则参数", "policies"),
        today: today.format("%Y年%-m月%-d日").to_string(),
        rules,
    })
}
