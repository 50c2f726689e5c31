//! The audit trail as JSON (audit administrator only).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiQuery, CurrentUser};

#[derive(Deserialize)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    before_id: Option<i64>,
    limit: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    let entries = st
        .app
        .audit_page(
            &actor,
            q.actor.as_deref(),
            q.action.as_deref(),
            q.before_id,
            q.limit.unwrap_or(50),
        )
        .await?;
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "id": e.id, "at": e.at, "actor": e.actor, "role": e.role, "unit": e.unit,
                "action": e.action, "object": e.object,
                "summary": serde_json::from_str::<Value>(&e.summary).unwrap_or(Value::String(e.summary.clone())),
                "client_ip": e.client_ip, "prev_hash": e.prev_hash, "hash": e.hash,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn verify(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(match st.app.verify_audit(Some(&actor)).await? {
        Ok(n) => json!({ "intact": true, "checked": n }),
        Err(b) => json!({ "intact": false, "message": b.to_string() }),
    }))
}
