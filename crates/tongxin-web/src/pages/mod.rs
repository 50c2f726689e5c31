//! HTML pages: compiled askama templates, escaped, built into the binary with their assets.

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod chains;
pub mod field;
pub mod gov_projects;
pub mod imports;
pub mod indicators;
pub mod notifications;
pub mod objections;
pub mod plans;
pub mod policies;
pub mod reports;
pub mod revenue;
pub mod supervision;
pub mod temporary_land;
pub mod units;
pub mod users;
pub mod workbench;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use tongxin_app::{Actor, Mode};

use crate::AppState;
use crate::error::{PageError, error_page};
use crate::extract::{CurrentUser, MaybeUser};
use crate::routes::{CAPABILITIES, Capability, capability as find_capability};

/// One entry of the navigation.
pub struct NavLink {
    pub title: &'static str,
    pub href: String,
    pub active: bool,
    pub built: bool,
}

/// Whether a capability is offered to a role (navigation and the workbench): not pages it may
/// not open.
pub fn visible(c: &Capability, role: tongxin_domain::Role) -> bool {
    use tongxin_domain::Permission;
    match c.slug {
        "users" => role.permits(Permission::ViewUsers),
        "notifications" => role.permits(Permission::ManageUsers),
        "audit" => role.permits(Permission::ViewAudit),
        "homestead" | "temporary-land" => role.permits(Permission::ActOnCases),
        "supervision" | "events" | "indicators" | "field" => role.permits(Permission::ViewTasks),
        _ => true,
    }
}

/// What every page's frame needs: title, who is logged in, demo marking, navigation.
pub struct Layout {
    pub title: String,
    pub user: Option<UserBadge>,
    pub demo: bool,
    pub nav: Vec<NavLink>,
    pub csrf: String,
}

pub struct UserBadge {
    pub display_name: String,
    pub role: &'static str,
    pub unit: String,
}

impl Layout {
    /// A frame without a user (login page, errors).
    pub fn bare(title: &str) -> Self {
        Layout {
            title: title.to_owned(),
            user: None,
            demo: false,
            nav: vec![],
            csrf: String::new(),
        }
    }

    pub fn new(st: &AppState, actor: Option<&Actor>, title: &str, active: &str) -> Self {
        let demo = st.app.mode == Mode::Demo;
        let Some(a) = actor else {
            return Layout {
                demo,
                ..Layout::bare(title)
            };
        };
        let nav = CAPABILITIES
            .iter()
            .filter(|c| visible(c, a.role))
            .map(|c| NavLink {
                title: c.title,
                href: c
                    .href
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("/capabilities/{}", c.slug)),
                active: c.slug == active,
                built: c.href.is_some(),
            })
            .collect();
        let unit = st
            .app
            .directory()
            .get(a.unit.as_str())
            .map(|u| u.short_name.clone())
            .unwrap_or_else(|| a.unit.0.clone());
        Layout {
            title: title.to_owned(),
            user: Some(UserBadge {
                display_name: a.display_name.clone(),
                role: a.role.label(),
                unit,
            }),
            demo,
            nav,
            csrf: a.csrf_token.clone(),
        }
    }
}

/// A numeric id from a path; anything else is simply a record that does not exist.
/// Query parameters as typed (repeated names: the last wins); never refused.
pub fn query_map(q: Option<String>) -> std::collections::HashMap<String, String> {
    form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A refused form's messages in one line, joined with “；”.
pub fn messages(es: &[tongxin_domain::FieldError]) -> String {
    es.iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

/// A refused form's messages by field, several for one field joined with “；”.
pub fn errors_by_field(
    es: Vec<tongxin_domain::FieldError>,
) -> std::collections::HashMap<String, String> {
    let mut out: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for e in es {
        out.entry(e.field.clone())
            .and_modify(|m| {
                m.push('；');
                m.push_str(&e.message);
            })
            .or_insert(e.message);
    }
    out
}

pub fn path_id(id: &str, what: &str) -> Result<i64, PageError> {
    id.parse().map_err(|_| PageError {
        status: StatusCode::NOT_FOUND,
        message: format!("{what}“{id}”不存在"),
    })
}

/// Renders a template, or an error page if rendering fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, "页面生成失败")
        }
    }
}

/// A form's page: 422 when what was submitted was refused (shown again with the reasons),
/// 200 otherwise.
pub fn render_form<T: Template>(t: &T, refused: bool) -> Response {
    let mut res = render(t);
    if refused && res.status() == StatusCode::OK {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// The reason a write was refused, to show beside the form: a validation's messages or a
/// conflict's; anything else is an error page.
pub fn refusal(e: tongxin_app::AppError) -> Result<String, PageError> {
    match e {
        tongxin_app::AppError::Validation(es) => Ok(messages(&es)),
        e @ tongxin_app::AppError::Conflict(_) => Ok(e.to_string()),
        e => Err(e.into()),
    }
}

pub async fn home(MaybeUser(actor): MaybeUser) -> Redirect {
    if actor.is_some() {
        Redirect::to("/workbench")
    } else {
        Redirect::to("/login")
    }
}

#[derive(Template)]
#[template(path = "capability.html")]
pub struct CapabilityPage {
    pub layout: Layout,
    pub title: &'static str,
    pub description: &'static str,
    pub issue: Option<u32>,
}

/// A capability from DESIGN.md not built yet says so plainly; no invented content.
pub async fn capability(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let Some(c) = find_capability(&slug) else {
        return Err(PageError {
            status: StatusCode::NOT_FOUND,
            message: format!("功能“{slug}”不存在"),
        });
    };
    if let Some(href) = c.href {
        return Ok(Redirect::to(href).into_response());
    }
    let page = CapabilityPage {
        layout: Layout::new(&st, Some(&actor), c.title, c.slug),
        title: c.title,
        description: c.description,
        issue: c.issue,
    };
    Ok(render(&page))
}

/// Assets built into the binary: nothing is loaded from a CDN.
pub static ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
    (
        "api-docs.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/api-docs.js"),
    ),
    (
        "echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/echarts.min.js"),
    ),
    (
        "echarts.LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../static/echarts.LICENSE.txt"),
    ),
    (
        "chart.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/chart.js"),
    ),
    (
        "import.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/import.js"),
    ),
    (
        "report.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/report.js"),
    ),
    (
        "map.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/map.js"),
    ),
    (
        "boundary.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/boundary.js"),
    ),
    (
        "leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/leaflet.js"),
    ),
    (
        "leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/leaflet.css"),
    ),
    (
        "layers.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/layers.js"),
    ),
    (
        "print.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/print.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
];

pub async fn favicon() -> Response {
    static_file(Path("favicon.svg".to_owned()), Default::default()).await
}

/// The large vendored scripts, also kept gzip-compressed (`gzip -9 -n`): sent compressed to
/// browsers that accept it (ECharts: 715 KB → 235 KB on a phone). A test checks each copy
/// decompresses to its asset.
pub static GZIPPED: &[(&str, &[u8])] = &[
    (
        "echarts.min.js",
        include_bytes!("../../static/echarts.min.js.gz"),
    ),
    ("leaflet.js", include_bytes!("../../static/leaflet.js.gz")),
];

pub async fn static_file(Path(file): Path<String>, headers: axum::http::HeaderMap) -> Response {
    let Some((_, mime, bytes)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return error_page(StatusCode::NOT_FOUND, "静态资源不存在");
    };
    let gzip_ok = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let gz = GZIPPED.iter().find(|(name, _)| *name == file);
    match gz {
        Some((_, gz)) if gzip_ok => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                (header::CONTENT_ENCODING, "gzip"),
                (header::VARY, "accept-encoding"),
            ],
            *gz,
        )
            .into_response(),
        _ => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                (header::VARY, "accept-encoding"),
            ],
            *bytes,
        )
            .into_response(),
    }
}

#[cfg(test)]
mod gzip_tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn every_gzip_copy_is_its_asset() {
        for (name, gz) in GZIPPED {
            let (_, _, plain) = ASSETS
                .iter()
                .find(|(n, _, _)| n == name)
                .expect("a gzip copy of an asset");
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(*gz)
                .read_to_end(&mut out)
                .expect("gzip");
            assert!(
                out == *plain,
                "{name}.gz is stale: run gzip -9 -n -k -c static/{name} > static/{name}.gz"
            );
        }
    }
}
