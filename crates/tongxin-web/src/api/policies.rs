//! 政策库 as JSON.

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};
use tongxin_domain::policy::Document;

use crate::AppState;
use crate::cite::{clause_href, document_href};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use tongxin_app::policy::RenewalInput;

fn summary(d: &Document, today: NaiveDate) -> Value {
    let v = d.validity(today);
    json!({
        "number": d.number.to_string(),
        "slug": d.number.slug(),
        "href": document_href(&d.number),
        "title": d.title,
        "kind": d.kind.label(),
        "issuers": d.issuers,
        "issued": d.issued,
        "effective_from": d.effective_from,
        "valid_until": d.valid_until,
        "trial": d.trial,
        "trial_until": d.trial_until,
        "repeals": d.repeals.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "public": d.public,
        "validity": { "label": v.label(), "detail": v },
        "renewals": d.renewals,
        "as_of": today,
    })
}

pub async fn list(State(st): State<AppState>, CurrentUser(actor): CurrentUser) -> Json<Value> {
    let today = st.app.clock.today();
    let docs: Vec<Value> = st
        .app
        .documents_for(Some(&actor))
        .iter()
        .map(|d| summary(d, today))
        .collect();
    Json(json!({ "documents": docs }))
}

pub async fn document(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = &st.app.document_for(Some(&actor), &slug)?;
    let mut v = summary(d, st.app.clock.today());
    v["note"] = json!(d.note);
    v["clauses"] = json!(d
        .clauses
        .iter()
        .map(|c| json!({ "id": c.id, "parent": c.parent, "label": c.label, "title": c.title, "text": c.text, "depth": c.depth, "citation": d.citation(&c.id).to_string(), "href": clause_href(&d.citation(&c.id)) }))
        .collect::<Vec<_>>());
    v["source_text"] = json!(d.source_text);
    Ok(Json(v))
}

/// 记录续期: 201 with the document as it now stands.
pub async fn record_renewal(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RenewalInput>,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    let d = st.app.record_renewal(&actor, &slug, &input).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(summary(&d, st.app.clock.today())),
    ))
}

pub async fn clause(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path((slug, clause_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let d = &st.app.document_for(Some(&actor), &slug)?;
    let c = d.clause(&clause_id).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            format!("{}中没有条款“{clause_id}”", d.number),
        )
    })?;
    let today = st.app.clock.today();
    let rules: Vec<Value> = st
        .app
        .corpus()
        .rules_citing(&d.number, &c.id)
        .map(|(p, v)| {
            json!({
                "key": p.key, "label": p.label, "value": v.value, "unit": p.unit, "unit_label": p.unit_label(),
                "from": v.from, "until": v.until, "citation": v.citation.to_string(), "quote": v.quote,
                "in_force": v.covers(today),
                "warnings": st.app.corpus().warnings_for(&v.citation.doc, today).iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "document": summary(d, today),
        "citation": d.citation(&c.id).to_string(),
        "id": c.id, "parent": c.parent, "label": c.label, "title": c.title, "text": c.text,
        "children": d.children(Some(&c.id)).map(|x| d.citation(&x.id).to_string()).collect::<Vec<_>>(),
        "rules": rules,
    })))
}

#[derive(Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

fn parse_date(q: &DateQuery) -> Result<Option<NaiveDate>, ApiError> {
    match q.date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ApiError::bad_request(Some("date"), format!("日期“{s}”格式不对，应为 YYYY-MM-DD"))
            }),
    }
}

fn answer_json(a: &tongxin_domain::policy::RuleAnswer<'_>, day: NaiveDate) -> Value {
    json!({
        "key": a.key, "label": a.label, "value": a.value, "unit": a.unit,
        "citation": a.citation.to_string(), "href": clause_href(a.citation), "quote": a.quote,
        "warnings": a.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "date": day,
    })
}

pub async fn rule(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Json<Value>, ApiError> {
    let day = parse_date(&q)?.unwrap_or_else(|| st.app.clock.today());
    let corpus = st.app.corpus();
    let a = corpus
        .rule(&key, day)
        .map_err(tongxin_app::policy::rule_error)?;
    // Rules of internal documents are for those who may read them.
    st.app
        .document_for(Some(&actor), &a.citation.doc.slug())
        .map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                format!("规则“{key}”不存在"),
            )
        })?;
    Ok(Json(answer_json(&a, day)))
}

pub async fn rules(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> Result<Json<Value>, ApiError> {
    let day = parse_date(&q)?.unwrap_or_else(|| st.app.clock.today());
    let readable: Vec<_> = st
        .app
        .documents_for(Some(&actor))
        .iter()
        .map(|d| d.number.clone())
        .collect();
    let mut out = Vec::new();
    let mut not_in_force = Vec::new();
    let corpus = st.app.corpus();
    for p in corpus.parameters() {
        match corpus.rule(&p.key, day) {
            Ok(a) if readable.contains(&a.citation.doc) => out.push(answer_json(&a, day)),
            Ok(_) => {}
            Err(e) => not_in_force
                .push(json!({ "key": p.key, "label": p.label, "message": e.to_string() })),
        }
    }
    Ok(Json(
        json!({ "date": day, "rules": out, "not_in_force": not_in_force }),
    ))
}
