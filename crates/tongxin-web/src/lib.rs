//! The web: server-rendered pages in Chinese and a JSON API under /api/v1, both built from the
//! route registry ([`routes::ROUTES`]) and guarded by one authorisation middleware.
//!
//! Handlers are thin: extract, call tongxin-app, render. No SQL and no rules here.

pub mod api;
pub mod cite;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod xlsx;

use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, on};
use futures_util::FutureExt;
use tongxin_app::{Actor, App};

use crate::error::{ApiError, error_page};
use crate::extract::{SESSION_COOKIE, client_ip, cookie};
use crate::routes::{Access, ROUTES, RouteSpec, Surface};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Add `Secure` to cookies (when served over HTTPS).
    pub secure_cookies: bool,
}

/// The session's user, as the middleware found it. Present on every routed request.
#[derive(Clone, Debug)]
pub struct Session(pub Option<Actor>);

/// Form and JSON bodies above this are refused (413) before any handler runs.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// A protected layer's import may be larger: a county's farmland layer has 100,000 plots.
pub const LAYER_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// The routes that take a layer's GeoJSON.
const LAYER_IMPORT_PATHS: [&str; 1] = ["/api/v1/land-layers"];
/// Attachments: two files of the largest size in one request.
pub const UPLOAD_BODY_LIMIT: usize = 2 * tongxin_app::attachments::FILE_MAX + 1024 * 1024;
/// The routes that take files (multipart).
const UPLOAD_PATHS: [&str; 15] = [
    "/field/patrols/new",
    "/field/villages/{id}/documents",
    "/api/v1/field/villages/{id}/documents",
    "/api/v1/field/patrols/{id}/photos",
    "/public/report",
    "/revenue/import",
    "/api/v1/revenue/import",
    "/indicators/{key}/import",
    "/indicator-values/{id}/attachments",
    "/api/v1/indicators/{key}/import",
    "/api/v1/indicator-values/{id}/attachments",
    "/supervision/reports/{id}/attachments",
    "/supervision/problems/{id}/attachments",
    "/api/v1/supervision/reports/{id}/attachments",
    "/api/v1/supervision/problems/{id}/attachments",
];

/// The handler of each registered route. A route in the registry without a handler here is a
/// start-up error (and a test failure), and a handler cannot be mounted without a registry row.
fn handler(spec: &RouteSpec) -> Option<MethodRouter<AppState>> {
    use axum::routing::MethodFilter;
    let filter = MethodFilter::try_from(spec.method.method()).ok()?;
    let m = |h: MethodRouter<AppState>| Some(h);
    macro_rules! route {
        ($h:expr) => {
            m(on(filter, $h))
        };
    }
    match (spec.method.method(), spec.path) {
        (Method::GET, "/") => route!(pages::home),
        (Method::GET, "/healthz") => route!(api::healthz),
        (Method::GET, "/static/{file}") => route!(pages::static_file),
        (Method::GET, "/favicon.ico") => route!(pages::favicon),
        (Method::GET, "/login") => route!(pages::auth::login_form),
        (Method::POST, "/login") => route!(pages::auth::login_submit),
        (Method::POST, "/logout") => route!(pages::auth::logout),
        (Method::GET, "/workbench") => route!(pages::workbench::show),
        (Method::GET, "/units") => route!(pages::units::show),
        (Method::GET, "/users") => route!(pages::users::list),
        (Method::POST, "/users") => route!(pages::users::create),
        (Method::POST, "/users/{id}/active") => route!(pages::users::set_active),
        (Method::POST, "/users/{id}/unlock") => route!(pages::users::unlock),
        (Method::GET, "/audit") => route!(pages::audit::show),
        (Method::GET, "/notifications") => route!(pages::notifications::show),
        (Method::POST, "/notifications/channels") => route!(pages::notifications::add_channel),
        (Method::POST, "/notifications/channels/{id}/enabled") => {
            route!(pages::notifications::toggle_channel)
        }
        (Method::POST, "/notifications/channels/{id}/test") => {
            route!(pages::notifications::test_channel)
        }
        (Method::POST, "/notifications/deliveries/{id}/retry") => {
            route!(pages::notifications::retry)
        }
        (Method::GET, "/me/notifications") => route!(pages::notifications::prefs),
        (Method::POST, "/me/notifications") => route!(pages::notifications::save_prefs),
        (Method::GET, "/cases/{id}") => route!(pages::notifications::case_redirect),
        (Method::GET, "/api/v1/notifications/deliveries") => route!(api::notifications::deliveries),
        (Method::POST, "/api/v1/notifications/deliveries/{id}/retry") => {
            route!(api::notifications::retry)
        }
        (Method::GET, "/api/v1/notifications/channels") => route!(api::notifications::channels),
        (Method::POST, "/api/v1/notifications/channels") => route!(api::notifications::add_channel),
        (Method::POST, "/api/v1/notifications/channels/{id}/enabled") => {
            route!(api::notifications::set_enabled)
        }
        (Method::POST, "/api/v1/notifications/channels/{id}/test") => {
            route!(api::notifications::test_channel)
        }
        (Method::GET, "/api/v1/me/notifications") => route!(api::notifications::my_prefs),
        (Method::POST, "/api/v1/me/notifications") => route!(api::notifications::save_prefs),
        (Method::GET, "/capabilities/{slug}") => route!(pages::capability),
        (Method::GET, "/api/docs") => route!(openapi::docs_page),
        (Method::GET, "/policies") => route!(pages::policies::list),
        (Method::GET, "/policies/rules") => route!(pages::policies::rules),
        (Method::GET, "/policies/{doc}") => route!(pages::policies::document),
        (Method::POST, "/policies/{doc}/renewals") => route!(pages::policies::record_renewal),
        (Method::GET, "/policies/{doc}/clauses/{clause}") => route!(pages::policies::clause),
        (Method::GET, "/calendar") => route!(pages::calendar::show),
        (Method::POST, "/calendar/regional") => route!(pages::calendar::add_regional),
        (Method::GET, "/homestead") => route!(pages::cases::homestead::list),
        (Method::GET, "/homestead/new") => route!(pages::cases::homestead::new_form),
        (Method::POST, "/homestead/new") => route!(pages::cases::homestead::create),
        (Method::GET, "/public") => route!(pages::reports::portal),
        (Method::GET, "/public/report") => route!(pages::reports::new_form),
        (Method::POST, "/public/report") => route!(pages::reports::submit),
        (Method::GET, "/public/report/follow") => route!(pages::reports::follow),
        (Method::GET, "/public/progress") => route!(pages::reports::progress),
        (Method::GET, "/api/v1/public/progress") => route!(api::reports::progress),
        (Method::GET, "/public/notices/{number}/objection") => route!(pages::objections::new_form),
        (Method::POST, "/public/notices/{number}/objection") => route!(pages::objections::submit),
        (Method::POST, "/api/v1/public/notices/{number}/objections") => {
            route!(api::reports::object)
        }
        (Method::GET, "/reports") => route!(pages::reports::list),
        (Method::GET, "/reports/{receipt}") => route!(pages::reports::show),
        (Method::POST, "/reports/{receipt}/outcome") => route!(pages::reports::publish),
        (Method::GET, "/field") => route!(pages::field::show),
        (Method::GET, "/field/patrols/new") => route!(pages::field::new_patrol),
        (Method::POST, "/field/patrols/new") => route!(pages::field::create_patrol),
        (Method::GET, "/field/joint-enforcement") => route!(pages::field::joint),
        (Method::POST, "/field/joint-enforcement") => route!(pages::field::record_joint),
        (Method::POST, "/field/cases/{id}/steps") => route!(pages::field::case_step),
        (Method::GET, "/field/villages") => route!(pages::field::villages),
        (Method::POST, "/field/villages") => route!(pages::field::save_village),
        (Method::POST, "/field/villages/{id}/documents") => {
            route!(pages::attachments::village_plan_page)
        }
        (Method::POST, "/api/v1/field/villages/{id}/documents") => {
            route!(pages::attachments::village_plan_api)
        }
        (Method::POST, "/field/idle-homesteads") => route!(pages::field::save_idle),
        (Method::POST, "/field/idle-homesteads/{id}/return") => {
            route!(pages::field::save_return)
        }
        (Method::POST, "/field/findings/{id}/case") => route!(pages::field::file_case),
        (Method::GET, "/field/spot-checks") => route!(pages::field::spot_checks),
        (Method::POST, "/field/spot-checks") => route!(pages::field::record_spot_check),
        (Method::POST, "/field/spot-checks/{id}/publish") => {
            route!(pages::field::publish_spot_check)
        }
        (Method::GET, "/api/v1/public/spot-checks") => route!(api::field::public_spot_checks),
        (Method::GET, "/api/v1/field/patrols") => route!(api::field::patrols),
        (Method::POST, "/api/v1/field/patrols") => route!(api::field::record_patrol),
        (Method::GET, "/api/v1/field/patrols/{id}") => route!(api::field::patrol),
        (Method::POST, "/api/v1/field/patrols/{id}/photos") => route!(api::field::patrol_photos),
        (Method::POST, "/api/v1/field/findings/{id}/case") => route!(api::field::file_case),
        (Method::GET, "/api/v1/field/cases") => route!(api::field::cases),
        (Method::GET, "/api/v1/field/cases/{id}") => route!(api::field::case),
        (Method::POST, "/api/v1/field/cases/{id}/steps") => route!(api::field::case_step),
        (Method::GET, "/api/v1/field/joint-enforcement") => route!(api::field::campaign_weeks),
        (Method::POST, "/api/v1/field/joint-enforcement") => route!(api::field::record_joint),
        (Method::GET, "/api/v1/field/spot-checks") => route!(api::field::spot_checks),
        (Method::POST, "/api/v1/field/spot-checks") => route!(api::field::record_spot_check),
        (Method::POST, "/api/v1/field/spot-checks/{id}/publish") => {
            route!(api::field::publish_spot_check)
        }
        (Method::GET, "/api/v1/field/villages") => route!(api::field::villages),
        (Method::POST, "/api/v1/field/villages") => route!(api::field::save_village),
        (Method::GET, "/api/v1/field/idle-homesteads") => route!(api::field::idle),
        (Method::POST, "/api/v1/field/idle-homesteads") => route!(api::field::record_idle),
        (Method::POST, "/api/v1/field/idle-homesteads/{id}/return") => {
            route!(api::field::idle_return)
        }
        (Method::GET, "/api/v1/public/captcha") => route!(api::reports::captcha),
        (Method::POST, "/api/v1/public/reports") => route!(api::reports::submit),
        (Method::GET, "/api/v1/public/reports/{receipt}") => route!(api::reports::follow),
        (Method::GET, "/api/v1/reports") => route!(api::reports::list),
        (Method::GET, "/api/v1/reports/{receipt}") => route!(api::reports::show),
        (Method::POST, "/api/v1/reports/{receipt}/outcome") => route!(api::reports::publish),
        (Method::GET, "/homestead/notices") => route!(pages::cases::notices::show),
        (Method::GET, "/homestead/ledger.xlsx") => route!(pages::cases::homestead::ledger),
        (Method::GET, "/homestead/{id}") => route!(pages::cases::homestead::case),
        (Method::POST, "/homestead/{id}/actions") => route!(pages::cases::homestead::act),
        (Method::GET, "/homestead/{id}/documents/{doc}") => {
            route!(pages::cases::homestead::document)
        }
        (Method::GET, "/temporary-land") => route!(pages::cases::temporary_land::list),
        (Method::GET, "/temporary-land/new") => route!(pages::cases::temporary_land::new_form),
        (Method::POST, "/temporary-land/new") => route!(pages::cases::temporary_land::create),
        (Method::GET, "/temporary-land/ledger.xlsx") => {
            route!(pages::cases::temporary_land::ledger)
        }
        (Method::GET, "/temporary-land/public") => route!(pages::temporary_land::public),
        (Method::GET, "/temporary-land/layers") => route!(pages::temporary_land::layers),
        (Method::GET, "/temporary-land/dishonesty") => route!(pages::temporary_land::dishonesty),
        (Method::POST, "/temporary-land/dishonesty") => {
            route!(pages::temporary_land::add_listing)
        }
        (Method::GET, "/temporary-land/{id}/sign") => route!(pages::temporary_land::sign),
        (Method::GET, "/temporary-land/{id}") => route!(pages::cases::temporary_land::case),
        (Method::POST, "/temporary-land/{id}/actions") => {
            route!(pages::cases::temporary_land::act)
        }
        (Method::GET, "/temporary-land/{id}/documents/{doc}") => {
            route!(pages::cases::temporary_land::document)
        }
        (Method::GET, "/api/v1/policies") => route!(api::policies::list),
        (Method::GET, "/api/v1/policies/{doc}") => route!(api::policies::document),
        (Method::POST, "/api/v1/policies/{doc}/renewals") => route!(api::policies::record_renewal),
        (Method::GET, "/api/v1/policies/{doc}/clauses/{clause}") => route!(api::policies::clause),
        (Method::GET, "/api/v1/rules") => route!(api::policies::rules),
        (Method::GET, "/api/v1/rules/{key}") => route!(api::policies::rule),
        (Method::GET, "/api/v1/calendar/query") => route!(api::calendar::query),
        (Method::GET, "/api/v1/calendar/regional") => route!(api::calendar::regional),
        (Method::POST, "/api/v1/calendar/regional") => route!(api::calendar::add_regional),
        (Method::GET, "/documents/import") => route!(pages::imports::new),
        (Method::POST, "/documents/import") => route!(pages::imports::create),
        (Method::GET, "/documents/import/{id}") => route!(pages::imports::review),
        (Method::POST, "/documents/import/{id}/aliases") => route!(pages::imports::map_alias),
        (Method::POST, "/documents/import/{id}/publish") => route!(pages::imports::publish),
        (Method::POST, "/api/v1/documents/parse") => route!(api::imports::parse),
        (Method::POST, "/api/v1/imports") => route!(api::imports::create),
        (Method::GET, "/api/v1/imports/{id}") => route!(api::imports::show),
        (Method::POST, "/api/v1/imports/{id}/aliases") => route!(api::imports::alias),
        (Method::POST, "/api/v1/imports/{id}/publish") => route!(api::imports::publish),
        (Method::GET, "/api/v1/openapi.json") => route!(openapi::document),
        (Method::POST, "/api/v1/session") => route!(api::session::login),
        (Method::GET, "/api/v1/session") => route!(api::session::current),
        (Method::DELETE, "/api/v1/session") => route!(api::session::logout),
        (Method::GET, "/api/v1/units") => route!(api::units::list),
        (Method::GET, "/api/v1/units/resolve") => route!(api::units::resolve),
        (Method::GET, "/api/v1/users") => route!(api::users::list),
        (Method::POST, "/api/v1/users") => route!(api::users::create),
        (Method::POST, "/api/v1/users/{id}/active") => route!(api::users::set_active),
        (Method::POST, "/api/v1/users/{id}/unlock") => route!(api::users::unlock),
        (Method::GET, "/api/v1/audit") => route!(api::audit::list),
        (Method::GET, "/api/v1/audit/verify") => route!(api::audit::verify),
        (Method::POST, "/api/v1/cases") => route!(api::cases::create),
        (Method::GET, "/api/v1/cases") => route!(api::cases::list),
        (Method::GET, "/api/v1/cases/{id}") => route!(api::cases::show),
        (Method::POST, "/api/v1/cases/{id}/actions") => route!(api::cases::act),
        (Method::GET, "/api/v1/procedures/{id}") => route!(api::cases::procedure),
        (Method::GET, "/api/v1/public/notices") => route!(api::cases::notices),
        (Method::GET, "/api/v1/inbox") => route!(api::cases::inbox),
        (Method::POST, "/api/v1/temporary-land/dishonesty") => route!(api::dishonesty::create),
        (Method::GET, "/api/v1/temporary-land/dishonesty") => route!(api::dishonesty::list),
        (Method::GET, "/api/v1/public/dishonesty") => route!(api::dishonesty::public),
        (Method::POST, "/api/v1/land-layers") => route!(api::land::import),
        (Method::GET, "/api/v1/land-layers") => route!(api::land::list),
        (Method::GET, "/gov-projects/path") => route!(pages::gov_projects::path),
        (Method::GET, "/indicators") => route!(pages::indicators::list),
        (Method::GET, "/indicators.xlsx") => route!(pages::indicators::xlsx),
        (Method::GET, "/indicators/{key}") => route!(pages::indicators::show),
        (Method::POST, "/indicators/{key}") => route!(pages::indicators::post),
        (Method::POST, "/indicators/{key}/import") => route!(pages::indicators::import),
        (Method::POST, "/indicator-values/{id}/attachments") => {
            route!(pages::attachments::indicator_value_page)
        }
        (Method::GET, "/revenue") => route!(pages::revenue::show),
        (Method::POST, "/revenue") => route!(pages::revenue::post),
        (Method::POST, "/revenue/import") => route!(pages::revenue::import),
        (Method::GET, "/revenue/guarantee") => route!(pages::revenue::guarantee),
        (Method::GET, "/revenue.xlsx") => route!(pages::revenue::xlsx),
        (Method::GET, "/api/v1/revenue") => route!(api::revenue::overview),
        (Method::POST, "/api/v1/revenue/monthly") => route!(api::revenue::monthly),
        (Method::POST, "/api/v1/revenue/settings") => route!(api::revenue::settings),
        (Method::POST, "/api/v1/revenue/import") => route!(api::revenue::import),
        (Method::GET, "/api/v1/revenue/guarantee") => route!(api::revenue::guarantee),
        (Method::GET, "/api/v1/indicators") => route!(api::indicators::list),
        (Method::GET, "/api/v1/indicators/{key}") => route!(api::indicators::show),
        (Method::POST, "/api/v1/indicators/{key}/values") => route!(api::indicators::enter),
        (Method::POST, "/api/v1/indicator-values/{id}/review") => route!(api::indicators::review),
        (Method::POST, "/api/v1/indicators/{key}/import") => route!(api::indicators::import),
        (Method::POST, "/api/v1/indicator-values/{id}/attachments") => {
            route!(pages::attachments::indicator_value_api)
        }
        (Method::GET, "/supervision") => route!(pages::supervision::list),
        (Method::GET, "/supervision/bulletin") => route!(pages::supervision::bulletin),
        (Method::GET, "/supervision/bulletin.xlsx") => route!(pages::supervision::bulletin_xlsx),
        (Method::POST, "/supervision/weights") => route!(pages::supervision::set_weights),
        (Method::GET, "/supervision/tasks.xlsx") => route!(pages::supervision::ledger_xlsx),
        (Method::GET, "/supervision/new") => route!(pages::plans::new_task),
        (Method::POST, "/supervision/reports/{id}/attachments") => {
            route!(pages::attachments::report_page)
        }
        (Method::POST, "/supervision/problems/{id}/attachments") => {
            route!(pages::attachments::problem_page)
        }
        (Method::GET, "/supervision/attachments/{id}") => route!(pages::attachments::download),
        (Method::POST, "/api/v1/supervision/reports/{id}/attachments") => {
            route!(pages::attachments::report_api)
        }
        (Method::POST, "/api/v1/supervision/problems/{id}/attachments") => {
            route!(pages::attachments::problem_api)
        }
        (Method::POST, "/supervision/new") => route!(pages::plans::create_task),
        (Method::GET, "/supervision/chains") => route!(pages::plans::chains),
        (Method::GET, "/supervision/chains/{key}") => route!(pages::plans::chain),
        (Method::GET, "/supervision/campaign") => route!(pages::plans::campaign),
        (Method::GET, "/supervision/campaign/{key}") => route!(pages::plans::campaign_action),
        (Method::GET, "/supervision/festival") => route!(pages::plans::festival),
        (Method::GET, "/supervision/festival.ics") => route!(pages::plans::festival_feed),
        (Method::GET, "/supervision/units/{key}") => route!(pages::plans::unit),
        (Method::GET, "/supervision/tasks/{id}") => route!(pages::supervision::task),
        (Method::POST, "/supervision/tasks/{id}") => route!(pages::supervision::task_post),
        (Method::GET, "/supervision/problems/{id}") => route!(pages::supervision::problem),
        (Method::POST, "/supervision/problems/{id}") => route!(pages::supervision::problem_post),
        (Method::GET, "/gov-projects") => route!(pages::cases::gov_projects::list),
        (Method::GET, "/gov-projects/new") => route!(pages::cases::gov_projects::new_form),
        (Method::POST, "/gov-projects/new") => route!(pages::cases::gov_projects::create),
        (Method::GET, "/gov-projects/ledger.xlsx") => route!(pages::cases::gov_projects::ledger),
        (Method::GET, "/gov-projects/{id}") => route!(pages::cases::gov_projects::case),
        (Method::POST, "/gov-projects/{id}/actions") => route!(pages::cases::gov_projects::act),
        (Method::GET, "/chains") => route!(pages::chains::list),
        (Method::GET, "/chains/enterprises") => route!(pages::chains::enterprises),
        (Method::POST, "/chains/enterprises") => route!(pages::chains::register),
        (Method::GET, "/chains/enterprises/{id}") => route!(pages::chains::enterprise),
        (Method::POST, "/chains/enterprises/{id}") => route!(pages::chains::update),
        (Method::POST, "/chains/items/{id}") => route!(pages::chains::set_item),
        (Method::GET, "/chains/{key}") => route!(pages::chains::show),
        (Method::POST, "/chains/{key}/items") => route!(pages::chains::add_item),
        (Method::GET, "/investment/board") => route!(pages::chains::board),
        (Method::GET, "/api/v1/chains") => route!(api::chains::list),
        (Method::GET, "/api/v1/chains/{key}") => route!(api::chains::show),
        (Method::POST, "/api/v1/chains/{key}/items") => route!(api::chains::add_item),
        (Method::POST, "/api/v1/chain-items/{id}") => route!(api::chains::set_item),
        (Method::GET, "/api/v1/enterprises") => route!(api::chains::enterprises),
        (Method::POST, "/api/v1/enterprises") => route!(api::chains::register),
        (Method::GET, "/api/v1/enterprises/{id}") => route!(api::chains::enterprise),
        (Method::POST, "/api/v1/enterprises/{id}") => route!(api::chains::correct),
        (Method::POST, "/api/v1/enterprises/{id}/master-steps") => route!(api::chains::master_step),
        (Method::GET, "/api/v1/investment/board") => route!(api::chains::board),
        (Method::GET, "/api/v1/investment/figures") => route!(api::chains::figures),
        (Method::GET, "/investment") => route!(pages::cases::investment::list),
        (Method::GET, "/investment/new") => route!(pages::cases::investment::new_form),
        (Method::POST, "/investment/new") => route!(pages::cases::investment::create),
        (Method::GET, "/investment/ledger.xlsx") => route!(pages::cases::investment::ledger),
        (Method::GET, "/investment/{id}") => route!(pages::cases::investment::case),
        (Method::POST, "/investment/{id}/actions") => route!(pages::cases::investment::act),
        (Method::GET, "/gov-projects/{id}/documents/{doc}") => {
            route!(pages::cases::gov_projects::document)
        }
        (Method::GET, "/api/v1/gov-investment/path") => route!(api::invest::path),
        (Method::GET, "/api/v1/supervision/tasks") => route!(api::supervision::list),
        (Method::GET, "/api/v1/supervision/tasks/{id}") => route!(api::supervision::show),
        (Method::POST, "/api/v1/supervision/tasks/{id}/reports") => {
            route!(api::supervision::file_report)
        }
        (Method::POST, "/api/v1/supervision/tasks/{id}/escalations") => {
            route!(api::supervision::escalate)
        }
        (Method::POST, "/api/v1/supervision/tasks/{id}/status") => {
            route!(api::supervision::set_status)
        }
        (Method::POST, "/api/v1/supervision/reports/{id}/review") => {
            route!(api::supervision::review)
        }
        (Method::GET, "/api/v1/supervision/problems") => route!(api::supervision::problems),
        (Method::GET, "/api/v1/supervision/bulletin") => route!(api::supervision::bulletin),
        (Method::POST, "/api/v1/supervision/weights") => route!(api::supervision::set_weights),
        (Method::POST, "/api/v1/supervision/problems") => {
            route!(api::supervision::raise_problem)
        }
        (Method::POST, "/api/v1/supervision/tasks") => route!(api::supervision::create),
        (Method::GET, "/api/v1/supervision/chains") => route!(api::supervision::chains),
        (Method::GET, "/api/v1/supervision/chains/{key}") => route!(api::supervision::chain),
        (Method::GET, "/api/v1/supervision/campaign") => route!(api::supervision::campaign),
        (Method::GET, "/api/v1/supervision/festival") => route!(api::supervision::festival),
        (Method::GET, "/api/v1/supervision/units/{key}/owed") => {
            route!(api::supervision::unit_owed)
        }
        (Method::GET, "/api/v1/supervision/problems/{id}") => route!(api::supervision::problem),
        (Method::POST, "/api/v1/supervision/problems/{id}/steps") => {
            route!(api::supervision::problem_step)
        }
        (Method::GET, "/api/v1/land-layers/{kind}/features") => route!(api::land::features),
        (Method::GET, "/api/v1/cases/{id}/land") => route!(api::land::case_land),
        _ => None,
    }
}

/// Builds the router from the registry.
pub fn router(state: AppState) -> Router {
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for spec in ROUTES {
        let Some(h) = handler(spec) else {
            panic!(
                "route {} {} is in the registry but has no handler",
                spec.method.as_str(),
                spec.path
            );
        };
        match by_path.iter_mut().find(|(p, _)| *p == spec.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(h),
            None => by_path.push((spec.path, h)),
        }
    }
    let mut router = Router::new();
    for (path, h) in by_path {
        let h = if LAYER_IMPORT_PATHS.contains(&path) {
            h.layer(axum::extract::DefaultBodyLimit::max(LAYER_BODY_LIMIT))
        } else if UPLOAD_PATHS.contains(&path) {
            h.layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
        } else {
            h
        };
        router = router.route(path, h);
    }
    router
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(catch_panic))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

async fn not_found(req: Request) -> Response {
    if is_api(req.uri().path()) {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在").into_response();
    }
    error_page(StatusCode::NOT_FOUND, "您访问的页面不存在。")
}

async fn method_not_allowed(req: Request) -> Response {
    let msg = format!("此地址不支持 {} 请求", req.method());
    if is_api(req.uri().path()) {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", msg)
            .into_response();
    }
    error_page(StatusCode::METHOD_NOT_ALLOWED, &msg)
}

/// A panic in a handler is a bug: log it once with a request id and answer a page, not a
/// dropped connection.
async fn catch_panic(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(r) => r,
        Err(_) => {
            let id = &tongxin_app::auth::random_token()[..12];
            tracing::error!(request.id = id, "handler panicked");
            let msg = format!("服务器内部错误，请联系管理员并提供请求编号 {id}");
            if api {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", msg).into_response()
            } else {
                error_page(StatusCode::INTERNAL_SERVER_ERROR, &msg)
            }
        }
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
    );
    res
}

const CSRF_HEADER: &str = "x-csrf-token";

/// Finds the session, enforces the route's access rule and, for state-changing requests of a
/// logged-in user, the CSRF token (header `X-CSRF-Token`, or form field `csrf`).
async fn authorize(
    State(st): State<AppState>,
    matched: Option<MatchedPath>,
    req: Request,
    next: Next,
) -> Response {
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let Some(spec) = matched.and_then(|m| routes::find(&method, m.as_str())) else {
        return error_page(StatusCode::NOT_FOUND, "您访问的页面不存在。");
    };
    let ip = client_ip(&req);
    let actor = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => match st.app.authenticate(&token, &ip).await {
            Ok(a) => a,
            Err(e) => return respond_error(spec, e.into()),
        },
        None => None,
    };
    match (spec.access, &actor) {
        (Access::Public, _) => {}
        (_, None) => {
            if spec.surface == Surface::Page {
                let next_url = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!("/login?next={}", urlencode(next_url));
                return Redirect::to(&target).into_response();
            }
            return ApiError::from(tongxin_app::AppError::Unauthenticated).into_response();
        }
        (Access::Permission(p), Some(a)) => {
            if let Err(e) = st.app.require(a, p, spec.summary) {
                return respond_error(spec, ApiError::from(e));
            }
        }
        (Access::Authenticated, Some(_)) => {}
    }
    let mut req = req;
    let unsafe_method = !matches!(method, Method::GET | Method::OPTIONS);
    if unsafe_method
        && spec.access != Access::Public
        && let Some(a) = &actor
    {
        let (ok, rebuilt) = check_csrf(req, &a.csrf_token).await;
        let Some(rebuilt) = rebuilt else {
            return respond_error(
                spec,
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "请求体过大"),
            );
        };
        if !ok {
            let e = ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "安全令牌（CSRF）无效或缺失，请刷新页面后重试",
            );
            return respond_error(spec, e);
        }
        req = rebuilt;
    }
    // 公众页面可缓存: what the public reads without logging in is the same for everyone for
    // a minute (a notice, a document, the published outcomes), so a county's proxy or a phone
    // may keep it; forms with a captcha are drawn anew each time.
    let cache = match (&method, spec.access, &actor) {
        (&Method::GET, Access::Public, None) if FRESH_EACH_TIME.contains(&spec.path) => {
            Some("no-store")
        }
        (&Method::GET, Access::Public, None) => Some("public, max-age=60"),
        _ => None,
    };
    req.extensions_mut().insert(Session(actor));
    let mut res = next.run(req).await;
    if let Some(c) = cache
        && res.status() == StatusCode::OK
        && !res.headers().contains_key(header::CACHE_CONTROL)
    {
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(c));
        // Once the reader logs in, the same address shows their page, not the cached one.
        h.append(header::VARY, HeaderValue::from_static("cookie"));
    }
    res
}

/// Public pages that carry a one-time captcha: never cached.
const FRESH_EACH_TIME: &[&str] = &[
    "/public/report",
    "/public/notices/{number}/objection",
    "/api/v1/public/captcha",
    "/login",
];

/// Checks the CSRF token; returns the request to continue with (its body re-assembled when it
/// had to be read), or None when the body is over the limit.
async fn check_csrf(req: Request, expected: &str) -> (bool, Option<Request>) {
    if let Some(v) = req.headers().get(CSRF_HEADER) {
        let ok = constant_time_eq(v.as_bytes(), expected.as_bytes());
        return (ok, Some(req));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A file upload's body is not read here: its form carries the token in its address.
    if content_type.starts_with("multipart/form-data") {
        let token = req.uri().query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v)
        });
        let ok = token.is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()));
        return (ok, Some(req));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return (false, Some(req));
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (false, None);
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v));
    let ok = token.is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()));
    (ok, Some(Request::from_parts(parts, Body::from(bytes))))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn respond_error(spec: &RouteSpec, e: ApiError) -> Response {
    match spec.surface {
        Surface::Api => e.into_response(),
        Surface::Page => error_page(e.status, &e.message),
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q[1..].to_owned())
        .unwrap_or_default()
}

/// Serves until ctrl-c / SIGTERM, on an already-bound listener.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
