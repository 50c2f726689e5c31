//! 政府投资项目审批路径 as JSON (public): the same decision as the calculator page.

use axum::Json;
use axum::extract::{RawQuery, State};
use tongxin_domain::invest::{PathDecision, approval_path};

use crate::AppState;
use crate::error::ApiError;
use crate::pages::gov_projects::PathForm;

/// `?amount=4999.99&planned=true&simple=…&partial=…&emergency=…&new_land=…`
pub async fn path(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<PathDecision>, ApiError> {
    let form = PathForm::from_query(q);
    let facts = form
        .facts()
        .map_err(|e| ApiError::from(tongxin_app::AppError::field("amount", e)))?;
    let today = st.app.clock.today();
    let d = approval_path(&st.app.corpus(), today, facts).map_err(|e| {
        ApiError::from(tongxin_app::AppError::Conflict(format!(
            "{today}无法判定：{e}"
        )))
    })?;
    Ok(Json(d))
}
