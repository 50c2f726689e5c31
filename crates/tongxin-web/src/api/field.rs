//! 巡查执法 and 村庄规划 as JSON: patrols with findings and photos, enforcement cases and their
//! steps, the campaign's joint enforcement week by week, temporary-land spot checks (their
//! published reports public), the village planning registry and the idle-homestead register.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tongxin_app::field::{
    CampaignWeeksView, CaseStepInput, EnforcementView, FileCaseInput, IdleInput, IdleView,
    JointSessionInput, PageQuery, PatrolInput, PatrolView, PublicSpotCheck, PublishInput,
    ReturnInput, SpotCheckInput, SpotCheckView, TownshipPlans, VillagePlanInput, VillagePlanView,
};
use tongxin_app::users::Page;

use super::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CurrentUser};

pub async fn patrols(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<PatrolView>>, ApiError> {
    Ok(Json(st.app.patrols(&actor, &q).await?))
}

pub async fn record_patrol(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<PatrolInput>,
) -> Result<Response, ApiError> {
    let p = st.app.record_patrol(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

pub async fn patrol(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<PatrolView>, ApiError> {
    let id = parse_id(&id, "巡查记录")?;
    Ok(Json(st.app.patrol(&actor, id).await?))
}

pub async fn patrol_photos(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "巡查记录")?;
    let files = crate::pages::attachments::uploads(mp).await?;
    let stored = st.app.attach_to_patrol(&actor, id, &files).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

pub async fn file_case(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FileCaseInput>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "巡查发现的问题")?;
    let c = st.app.file_enforcement_case(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

pub async fn cases(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<EnforcementView>>, ApiError> {
    Ok(Json(st.app.enforcement_cases(&actor, &q).await?))
}

pub async fn case(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EnforcementView>, ApiError> {
    let id = parse_id(&id, "执法案件")?;
    Ok(Json(st.app.enforcement_case(&actor, id).await?))
}

pub async fn case_step(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CaseStepInput>,
) -> Result<Json<EnforcementView>, ApiError> {
    let id = parse_id(&id, "执法案件")?;
    Ok(Json(st.app.enforcement_step(&actor, id, &input).await?))
}

pub async fn record_joint(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<JointSessionInput>,
) -> Result<Response, ApiError> {
    let s = st.app.record_joint_session(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

pub async fn campaign_weeks(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<CampaignWeeksView>, ApiError> {
    Ok(Json(st.app.campaign_weeks(&actor).await?))
}

pub async fn spot_checks(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<SpotCheckView>>, ApiError> {
    Ok(Json(st.app.spot_checks(&actor).await?))
}

pub async fn record_spot_check(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<SpotCheckInput>,
) -> Result<Response, ApiError> {
    let s = st.app.record_spot_check(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(s)).into_response())
}

pub async fn publish_spot_check(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PublishInput>,
) -> Result<Json<SpotCheckView>, ApiError> {
    let id = parse_id(&id, "抽查记录")?;
    Ok(Json(st.app.publish_spot_check(&actor, id, &input).await?))
}

pub async fn public_spot_checks(
    State(st): State<AppState>,
) -> Result<Json<Vec<PublicSpotCheck>>, ApiError> {
    Ok(Json(st.app.public_spot_checks().await?))
}

pub async fn villages(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<TownshipPlans>>, ApiError> {
    Ok(Json(st.app.village_plans(&actor).await?))
}

pub async fn save_village(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<VillagePlanInput>,
) -> Result<Json<VillagePlanView>, ApiError> {
    Ok(Json(st.app.save_village_plan(&actor, &input).await?))
}

pub async fn idle(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Json<Vec<IdleView>>, ApiError> {
    Ok(Json(st.app.idle_homesteads(&actor).await?))
}

pub async fn record_idle(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    ApiJson(input): ApiJson<IdleInput>,
) -> Result<Response, ApiError> {
    let v = st.app.record_idle_homestead(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub async fn idle_return(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReturnInput>,
) -> Result<Json<IdleView>, ApiError> {
    let id = parse_id(&id, "闲置宅基地登记")?;
    Ok(Json(st.app.record_idle_return(&actor, id, &input).await?))
}
