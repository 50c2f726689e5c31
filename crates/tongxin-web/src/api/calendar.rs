//! The calendar as JSON: queries, and the regional years.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tongxin_app::calendar::{QueryAnswer, RegionalYearInput};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

#[derive(Deserialize)]
pub struct CalendarQuery {
    q: Option<String>,
    calendar: Option<String>,
}

pub async fn query(
    State(st): State<AppState>,
    CurrentUser(_): CurrentUser,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> Result<Json<QueryAnswer>, ApiError> {
    let national = match q.calendar.as_deref() {
        None | Some("county") => false,
        Some("national") => true,
        Some(other) => {
            return Err(ApiError::bad_request(
                Some("calendar"),
                format!("日历“{other}”不存在，可选 county 或 national"),
            ));
        }
    };
    let text = q.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad_request(
            Some("q"),
            "缺少参数“q”，如 add-workdays 2024-02-05 5",
        ));
    }
    Ok(Json(st.app.calendar_query(&text, national)?))
}

pub async fn regional(
    State(st): State<AppState>,
    CurrentUser(_): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    let (years, missing) = st.app.regional_years().await?;
    Ok(Json(
        json!({ "region": tongxin_app::calendar::REGION, "years": years, "missing_years": missing }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionalBody {
    year: serde_json::Value,
    notice: String,
    extra_off: String,
    #[serde(default)]
    extra_workdays: String,
    #[serde(default)]
    verified: bool,
}

pub async fn add_regional(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(b): ApiJson<RegionalBody>,
) -> Result<Response, ApiError> {
    let year = match &b.year {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => {
            return Err(ApiError::bad_request(
                Some("year"),
                "字段“year”应为年份，如 2024",
            ));
        }
    };
    let input = RegionalYearInput {
        year,
        notice: b.notice,
        extra_off: b.extra_off,
        extra_workdays: b.extra_workdays,
        verified: b.verified,
    };
    let v = st.app.add_regional_year(Some(&actor), &input).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}
