//! The unit directory as JSON.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tongxin_domain::directory::Resolved;
use tongxin_domain::{Person, Unit};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiQuery, CurrentUser};

#[derive(Serialize)]
pub struct Directory<'a> {
    pub units: &'a [Unit],
    pub people: &'a [Person],
    pub collectives: Vec<CollectiveView<'a>>,
}

#[derive(Serialize)]
pub struct CollectiveView<'a> {
    pub name: &'a str,
    pub aliases: &'a [String],
    pub units: Vec<&'a str>,
}

pub async fn list(
    State(st): State<AppState>,
    CurrentUser(_): CurrentUser,
) -> Json<serde_json::Value> {
    let d = st.app.directory();
    let body = Directory {
        units: d.units(),
        people: d.people(),
        collectives: d
            .collectives()
            .iter()
            .map(|c| CollectiveView {
                name: &c.name,
                aliases: &c.aliases,
                units: d.expand(c).iter().map(|u| u.id.as_str()).collect(),
            })
            .collect(),
    };
    Json(serde_json::to_value(body).unwrap_or_default())
}

#[derive(Deserialize)]
pub struct ResolveQuery {
    name: Option<String>,
}

#[derive(Serialize)]
pub struct ResolveAnswer<'a> {
    pub name: String,
    /// "unit" or "collective".
    pub kind: &'static str,
    pub units: Vec<&'a Unit>,
}

pub async fn resolve(
    State(st): State<AppState>,
    CurrentUser(_): CurrentUser,
    ApiQuery(q): ApiQuery<ResolveQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let name = q.name.unwrap_or_default();
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_request(
            Some("name"),
            "缺少参数“name”（单位名称）",
        ));
    }
    if name.chars().count() > 64 {
        return Err(ApiError::bad_request(
            Some("name"),
            "单位名称不能超过64个字符",
        ));
    }
    let dir = st.app.directory();
    let answer = match dir.resolve(name) {
        Some(Resolved::Unit(u)) => ResolveAnswer {
            name: name.to_owned(),
            kind: "unit",
            units: vec![u],
        },
        Some(Resolved::Collective(_, units)) => ResolveAnswer {
            name: name.to_owned(),
            kind: "collective",
            units,
        },
        None => {
            return Err(ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                format!("目录中没有名为“{name}”的单位或统称"),
            ));
        }
    };
    Ok(Json(serde_json::to_value(answer).unwrap_or_default()))
}
