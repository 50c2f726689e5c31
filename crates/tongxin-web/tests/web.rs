//! The web layer's specification: who may use which route, logging in and out, lockout,
//! session expiry, CSRF, and bad input answered in Chinese, never with a 500.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use chrono::Duration;
use support::{Client, PASSWORD, TestApp, username};
use tongxin_domain::Role;
use tongxin_web::routes::{ROUTES, RouteSpec, Surface};

/// Who may use each route: "public", "any" (any logged-in user), or a list of role codes.
/// Written independently of the registry: a route added without a row here fails the test.
fn expected_access() -> BTreeMap<(&'static str, &'static str), &'static str> {
    BTreeMap::from([
        (("GET", "/"), "public"),
        (("GET", "/healthz"), "public"),
        (("GET", "/static/{file}"), "public"),
        (("GET", "/favicon.ico"), "public"),
        (("GET", "/login"), "public"),
        (("POST", "/login"), "public"),
        (("POST", "/logout"), "any"),
        (("GET", "/workbench"), "any"),
        (("GET", "/units"), "any"),
        (("GET", "/users"), "system_admin security_admin"),
        (("POST", "/users"), "system_admin"),
        (("POST", "/users/{id}/active"), "system_admin"),
        (("POST", "/users/{id}/unlock"), "security_admin"),
        (("GET", "/audit"), "audit_admin"),
        (("GET", "/capabilities/{slug}"), "any"),
        (("GET", "/policies"), "public"),
        (("GET", "/policies/rules"), "any"),
        (("GET", "/policies/{doc}"), "public"),
        (("GET", "/policies/{doc}/clauses/{clause}"), "public"),
        (("GET", "/calendar"), "any"),
        (("POST", "/calendar/regional"), "system_admin"),
        (
            ("GET", "/homestead"),
            "county_leader supervision department township village applicant",
        ),
        // The registry admits everyone who acts on cases; the procedure lets only those who may
        // take its first action (申请人, 村) file, and the app refuses the others.
        (("GET", "/homestead/new"), "village applicant"),
        (("POST", "/homestead/new"), "village applicant"),
        (("GET", "/public"), "public"),
        (("GET", "/public/report"), "public"),
        (("POST", "/public/report"), "public"),
        (("GET", "/public/report/follow"), "public"),
        (("GET", "/public/notices/{number}/objection"), "public"),
        (("GET", "/public/progress"), "public"),
        (("GET", "/api/v1/public/progress"), "public"),
        (("POST", "/public/notices/{number}/objection"), "public"),
        (
            ("POST", "/api/v1/public/notices/{number}/objections"),
            "public",
        ),
        (("GET", "/notifications"), "system_admin"),
        (("POST", "/notifications/channels"), "system_admin"),
        (
            ("POST", "/notifications/channels/{id}/enabled"),
            "system_admin",
        ),
        (
            ("POST", "/notifications/channels/{id}/test"),
            "system_admin",
        ),
        (
            ("POST", "/api/v1/notifications/channels/{id}/test"),
            "system_admin",
        ),
        (
            ("POST", "/notifications/deliveries/{id}/retry"),
            "system_admin",
        ),
        (("GET", "/api/v1/notifications/deliveries"), "system_admin"),
        (
            ("POST", "/api/v1/notifications/deliveries/{id}/retry"),
            "system_admin",
        ),
        (("GET", "/api/v1/notifications/channels"), "system_admin"),
        (("POST", "/api/v1/notifications/channels"), "system_admin"),
        (
            ("POST", "/api/v1/notifications/channels/{id}/enabled"),
            "system_admin",
        ),
        (("GET", "/me/notifications"), "any"),
        (("POST", "/me/notifications"), "any"),
        (("GET", "/api/v1/me/notifications"), "any"),
        (("POST", "/api/v1/me/notifications"), "any"),
        (
            ("GET", "/cases/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/reports"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/reports/{receipt}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/reports/{receipt}/outcome"),
            "county_leader supervision department township village",
        ),
        (("GET", "/homestead/notices"), "public"),
        (
            ("GET", "/homestead/ledger.xlsx"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/homestead/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("POST", "/homestead/{id}/actions"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/homestead/{id}/documents/{doc}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/temporary-land"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/temporary-land/new"), "applicant"),
        (("POST", "/temporary-land/new"), "applicant"),
        (
            ("GET", "/temporary-land/ledger.xlsx"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/temporary-land/public"), "public"),
        (("GET", "/gov-projects/path"), "public"),
        (("POST", "/policies/{doc}/renewals"), "supervision"),
        (
            ("GET", "/supervision"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/bulletin"),
            "county_leader supervision department township village",
        ),
        (("POST", "/supervision/weights"), "supervision"),
        (
            ("GET", "/supervision/bulletin.xlsx"),
            "county_leader supervision department township village",
        ),
        (("GET", "/supervision/new"), "supervision"),
        (
            ("POST", "/supervision/reports/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/supervision/problems/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/attachments/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/reports/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/problems/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (("POST", "/supervision/new"), "supervision"),
        (("POST", "/api/v1/supervision/tasks"), "supervision"),
        (
            ("GET", "/supervision/tasks.xlsx"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/indicators"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/indicators/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/indicators/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/indicators"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/indicators/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/indicators/{key}/values"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/indicator-values/{id}/review"),
            "supervision",
        ),
        (
            ("GET", "/indicators.xlsx"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/revenue"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/revenue"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/revenue/import"),
            "county_leader supervision department township village",
        ),
        (("GET", "/revenue/guarantee"), "any"),
        (
            ("GET", "/revenue.xlsx"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/revenue"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/revenue/monthly"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/revenue/settings"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/revenue/import"),
            "county_leader supervision department township village",
        ),
        (("GET", "/api/v1/revenue/guarantee"), "any"),
        (
            ("POST", "/indicators/{key}/import"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/indicator-values/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/indicators/{key}/import"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/indicator-values/{id}/attachments"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/chains"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/chains/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/campaign"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/campaign/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/festival"),
            "county_leader supervision department township village",
        ),
        (("GET", "/supervision/festival.ics"), "public"),
        (
            ("GET", "/supervision/units/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/chains"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/chains/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/campaign"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/festival"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/units/{key}/owed"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/tasks/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/supervision/tasks/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/supervision/problems/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/supervision/problems/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/tasks"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/tasks/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/tasks/{id}/reports"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/tasks/{id}/escalations"),
            "supervision",
        ),
        (
            ("POST", "/api/v1/supervision/tasks/{id}/status"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/reports/{id}/review"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/supervision/problems"),
            "county_leader supervision department township village",
        ),
        (("POST", "/api/v1/supervision/problems"), "supervision"),
        (
            ("GET", "/api/v1/supervision/bulletin"),
            "county_leader supervision department township village",
        ),
        (("POST", "/api/v1/supervision/weights"), "supervision"),
        (
            ("GET", "/api/v1/supervision/problems/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/supervision/problems/{id}/steps"),
            "county_leader supervision department township village",
        ),
        (("POST", "/api/v1/policies/{doc}/renewals"), "supervision"),
        (
            ("GET", "/gov-projects"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/gov-projects/new"), "department"),
        (("POST", "/gov-projects/new"), "department"),
        (
            ("GET", "/gov-projects/ledger.xlsx"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/gov-projects/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("POST", "/gov-projects/{id}/actions"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/gov-projects/{id}/documents/{doc}"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/api/v1/gov-investment/path"), "public"),
        (
            ("GET", "/chains"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/chains/enterprises"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/chains/enterprises"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/chains/enterprises/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/chains/enterprises/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/chains/items/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/chains/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/chains/{key}/items"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/investment/board"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/chains"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/chains/{key}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/chains/{key}/items"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/chain-items/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/enterprises"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/enterprises"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/enterprises/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/enterprises/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/enterprises/{id}/master-steps"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/investment/board"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/investment/figures"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/investment"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/investment/new"), "department township"),
        (("POST", "/investment/new"), "department township"),
        (
            ("GET", "/investment/ledger.xlsx"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/investment/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("POST", "/investment/{id}/actions"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/temporary-land/layers"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/temporary-land/dishonesty"), "department"),
        (("POST", "/temporary-land/dishonesty"), "department"),
        (
            ("GET", "/temporary-land/{id}/sign"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/temporary-land/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("POST", "/temporary-land/{id}/actions"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/temporary-land/{id}/documents/{doc}"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/api/v1/policies"), "any"),
        (("GET", "/api/v1/policies/{doc}"), "any"),
        (("GET", "/api/v1/policies/{doc}/clauses/{clause}"), "any"),
        (("GET", "/api/v1/rules"), "any"),
        (("GET", "/api/v1/rules/{key}"), "any"),
        (("GET", "/api/v1/calendar/query"), "any"),
        (("GET", "/api/v1/calendar/regional"), "any"),
        (("POST", "/api/v1/calendar/regional"), "system_admin"),
        (("GET", "/documents/import"), "supervision"),
        (("POST", "/documents/import"), "supervision"),
        (("GET", "/documents/import/{id}"), "supervision"),
        (("POST", "/documents/import/{id}/aliases"), "supervision"),
        (("POST", "/documents/import/{id}/publish"), "supervision"),
        (("POST", "/api/v1/documents/parse"), "supervision"),
        (("POST", "/api/v1/imports"), "supervision"),
        (("GET", "/api/v1/imports/{id}"), "supervision"),
        (("POST", "/api/v1/imports/{id}/aliases"), "supervision"),
        (("POST", "/api/v1/imports/{id}/publish"), "supervision"),
        (
            ("POST", "/api/v1/cases"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/api/v1/cases"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/api/v1/cases/{id}"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("POST", "/api/v1/cases/{id}/actions"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/api/v1/procedures/{id}"), "public"),
        (("GET", "/api/v1/public/captcha"), "public"),
        (("POST", "/api/v1/public/reports"), "public"),
        (("GET", "/api/v1/public/reports/{receipt}"), "public"),
        (
            ("GET", "/api/v1/reports"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/reports/{receipt}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/reports/{receipt}/outcome"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/field"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/field/joint-enforcement"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/field/villages"),
            "county_leader supervision department township village",
        ),
        (("POST", "/field/villages"), "department township"),
        (
            ("POST", "/field/villages/{id}/documents"),
            "department township",
        ),
        (
            ("POST", "/api/v1/field/villages/{id}/documents"),
            "department township",
        ),
        (
            ("POST", "/field/idle-homesteads"),
            "department township village",
        ),
        (
            ("POST", "/field/idle-homesteads/{id}/return"),
            "department township village",
        ),
        (
            ("POST", "/field/findings/{id}/case"),
            "department township village",
        ),
        (
            ("GET", "/field/spot-checks"),
            "county_leader supervision department township village",
        ),
        (("POST", "/field/spot-checks"), "department"),
        (("POST", "/field/spot-checks/{id}/publish"), "department"),
        (("GET", "/field/patrols/new"), "department township village"),
        (
            ("POST", "/field/patrols/new"),
            "department township village",
        ),
        (("GET", "/api/v1/public/spot-checks"), "public"),
        (
            ("GET", "/api/v1/field/patrols"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/field/patrols"),
            "department township village",
        ),
        (
            ("GET", "/api/v1/field/patrols/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/field/patrols/{id}/photos"),
            "department township village",
        ),
        (
            ("POST", "/api/v1/field/findings/{id}/case"),
            "department township village",
        ),
        (
            ("GET", "/api/v1/field/cases"),
            "county_leader supervision department township village",
        ),
        (
            ("GET", "/api/v1/field/cases/{id}"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/field/cases/{id}/steps"),
            "department township",
        ),
        (("POST", "/field/cases/{id}/steps"), "department township"),
        (("POST", "/field/joint-enforcement"), "department township"),
        (
            ("GET", "/api/v1/field/joint-enforcement"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/field/joint-enforcement"),
            "department township",
        ),
        (
            ("GET", "/api/v1/field/spot-checks"),
            "county_leader supervision department township village",
        ),
        (("POST", "/api/v1/field/spot-checks"), "department"),
        (
            ("POST", "/api/v1/field/spot-checks/{id}/publish"),
            "department",
        ),
        (
            ("GET", "/api/v1/field/villages"),
            "county_leader supervision department township village",
        ),
        (("POST", "/api/v1/field/villages"), "department township"),
        (
            ("GET", "/api/v1/field/idle-homesteads"),
            "county_leader supervision department township village",
        ),
        (
            ("POST", "/api/v1/field/idle-homesteads"),
            "department township village",
        ),
        (
            ("POST", "/api/v1/field/idle-homesteads/{id}/return"),
            "department township village",
        ),
        (("GET", "/api/v1/public/notices"), "public"),
        (
            ("GET", "/api/v1/inbox"),
            "county_leader supervision department township village applicant",
        ),
        (("POST", "/api/v1/temporary-land/dishonesty"), "department"),
        (("GET", "/api/v1/temporary-land/dishonesty"), "department"),
        (("GET", "/api/v1/public/dishonesty"), "public"),
        (("POST", "/api/v1/land-layers"), "department"),
        (
            ("GET", "/api/v1/land-layers"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/api/v1/land-layers/{kind}/features"),
            "county_leader supervision department township village applicant",
        ),
        (
            ("GET", "/api/v1/cases/{id}/land"),
            "county_leader supervision department township village applicant",
        ),
        (("GET", "/api/docs"), "public"),
        (("GET", "/api/v1/openapi.json"), "public"),
        (("POST", "/api/v1/session"), "public"),
        (("GET", "/api/v1/session"), "any"),
        (("DELETE", "/api/v1/session"), "any"),
        (("GET", "/api/v1/units"), "any"),
        (("GET", "/api/v1/units/resolve"), "any"),
        (("GET", "/api/v1/users"), "system_admin security_admin"),
        (("POST", "/api/v1/users"), "system_admin"),
        (("POST", "/api/v1/users/{id}/active"), "system_admin"),
        (("POST", "/api/v1/users/{id}/unlock"), "security_admin"),
        (("GET", "/api/v1/audit"), "audit_admin"),
        (("GET", "/api/v1/audit/verify"), "audit_admin"),
    ])
}

fn concrete_path(spec: &RouteSpec, target_user: i64) -> String {
    spec.path
        .replace("{id}", &target_user.to_string())
        .replace("{file}", "app.css")
        .replace("{slug}", "events")
        .replace(
            "{doc}",
            "%E5%90%8C%E6%94%BF%E5%8A%9E%E8%A7%84%E5%8F%91-2023-6",
        )
        .replace("{clause}", "%E7%AC%AC%E4%B8%83%E6%9D%A1")
        .replace("{key}", "homestead.area_cap.irrigated")
        + if spec.path.ends_with("/resolve") {
            "?name=%E8%B1%AB%E6%B5%B7%E9%95%87"
        } else if spec.path.ends_with("/calendar/query") {
            "?q=add-workdays+2024-02-05+5"
        } else {
            ""
        }
}

async fn call(
    t: &TestApp,
    spec: &RouteSpec,
    client: Option<&Client>,
    target_user: i64,
) -> support::Reply {
    let path = concrete_path(spec, target_user);
    let method = spec.method.method();
    if method == Method::GET {
        return t.get(&path, client).await;
    }
    match spec.surface {
        Surface::Api => t.json(method, &path, client, "{}").await,
        Surface::Page => {
            let form = format!("csrf={}", client.map(|c| c.csrf.as_str()).unwrap_or(""));
            t.request(
                method,
                &path,
                client,
                Some(("application/x-www-form-urlencoded", form)),
            )
            .await
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_table_says() {
    let t = TestApp::new().await;
    let table = expected_access();
    let registered: BTreeSet<(&str, &str)> =
        ROUTES.iter().map(|r| (r.method.as_str(), r.path)).collect();
    let listed: BTreeSet<(&str, &str)> = table.keys().copied().collect();
    assert_eq!(
        registered, listed,
        "the registry and this test's table must list the same routes"
    );

    // Users that routes act on, other than the caller.
    let target = t.user_ids[&Role::Applicant];
    for spec in ROUTES {
        let rule = table[&(spec.method.as_str(), spec.path)];
        // Anonymous.
        let r = call(&t, spec, None, target).await;
        if rule == "public" {
            // (POST /login answers 403 without its login-CSRF cookie: a token refusal, not a role one.)
            let refused = r.status == StatusCode::UNAUTHORIZED
                || (r.status == StatusCode::FORBIDDEN && r.body.contains("无权"));
            assert!(
                !refused,
                "anonymous {} {}: {}",
                spec.method.as_str(),
                spec.path,
                r.status
            );
        } else if spec.surface == Surface::Page {
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "anonymous {} {}",
                spec.method.as_str(),
                spec.path
            );
            assert!(r.location().starts_with("/login?next="), "{}", r.location());
        } else {
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "anonymous {} {}",
                spec.method.as_str(),
                spec.path
            );
            assert!(
                r.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("登录")
            );
        }
        // Each role, with a fresh session (some routes log out).
        for role in Role::ALL {
            let client = t.login(role).await;
            let r = call(&t, spec, Some(&client), target).await;
            let allowed =
                matches!(rule, "public" | "any") || rule.split(' ').any(|c| c == role.code());
            let what = format!(
                "{role:?} {} {} → {} {}",
                spec.method.as_str(),
                spec.path,
                r.status,
                r.body.chars().take(200).collect::<String>()
            );
            assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{what}");
            if allowed {
                let refused = r.status == StatusCode::UNAUTHORIZED
                    || (r.status == StatusCode::FORBIDDEN && r.body.contains("无权"));
                assert!(!refused, "{what}");
                assert!(!r.location().starts_with("/login?next="), "{what}");
            } else {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
                assert!(r.body.contains("无权"), "{what}");
            }
        }
    }
}

#[tokio::test]
async fn logging_in_and_out_through_the_api() {
    let t = TestApp::new().await;
    let c = t.login(Role::Township).await;
    let me = t.get("/api/v1/session", Some(&c)).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(
        (
            me["role"].as_str(),
            me["unit"].as_str(),
            me["scope"].as_str()
        ),
        (Some("township"), Some("twp-yuhai"), Some("本单位及下级"))
    );

    let out = t
        .json(Method::DELETE, "/api/v1/session", Some(&c), "")
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        t.get("/api/v1/session", Some(&c)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let bad = t
        .login_as(&username(Role::Township), "Wrong-password-1")
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.json()["error"]["message"], "用户名或密码错误");
    let unknown = t.login_as("nobody-here", PASSWORD).await;
    assert_eq!(
        unknown.json()["error"]["message"],
        "用户名或密码错误",
        "unknown names look the same as wrong passwords"
    );
}

#[tokio::test]
async fn logging_in_through_the_page_sets_the_cookie_and_follows_next() {
    let t = TestApp::new().await;
    let form = t.get("/login?next=/units", None).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf_cookie = form
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tongxin_login_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let token = csrf_cookie
        .trim_start_matches("tongxin_login_csrf=")
        .to_owned();
    let body = format!(
        "csrf={token}&next=%2Funits&username={}&password=Tongxin-2026%21",
        username(Role::Department)
    );
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &csrf_cookie);
    req = req.header("x-test", "1");
    let r = t
        .send(req.body(axum::body::Body::from(body.clone())).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/units");
    let cookie = r.session_cookie().unwrap();
    let raw = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );
    let page = t
        .get(
            "/units",
            Some(&Client {
                cookie,
                csrf: String::new(),
            }),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("同心县自然资源局"));

    // Without the login-CSRF cookie the form is refused, and what was typed is kept.
    let r = t
        .request(
            Method::POST,
            "/login",
            None,
            Some(("application/x-www-form-urlencoded", body)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("安全令牌") && r.body.contains(&username(Role::Department)));
}

#[tokio::test]
async fn five_failed_logins_lock_the_account_for_fifteen_minutes() {
    let t = TestApp::new().await;
    let name = username(Role::Village);
    for attempt in 1..=4 {
        let r = t.login_as(&name, "Wrong-password-1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let fifth = t.login_as(&name, "Wrong-password-1").await;
    assert_eq!(fifth.status, StatusCode::LOCKED);
    assert!(
        fifth.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已锁定")
    );
    // Even the right password is refused while locked.
    assert_eq!(t.login_as(&name, PASSWORD).await.status, StatusCode::LOCKED);
    t.clock.advance(Duration::minutes(14));
    assert_eq!(t.login_as(&name, PASSWORD).await.status, StatusCode::LOCKED);
    t.clock.advance(Duration::minutes(2));
    assert_eq!(t.login_as(&name, PASSWORD).await.status, StatusCode::OK);

    // The lock and each failure are in the audit trail.
    let auditor = t.login(Role::AuditAdmin).await;
    let locked = t
        .get("/api/v1/audit?action=account_locked", Some(&auditor))
        .await
        .json();
    assert_eq!(locked["items"][0]["actor"], name.as_str());
    let failed = t
        .get(
            &format!("/api/v1/audit?action=login_failed&actor={name}"),
            Some(&auditor),
        )
        .await
        .json();
    assert_eq!(failed["items"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn the_security_administrator_unlocks_a_locked_account() {
    let t = TestApp::new().await;
    let name = username(Role::Village);
    for _ in 0..5 {
        t.login_as(&name, "Wrong-password-1").await;
    }
    let sec = t.login(Role::SecurityAdmin).await;
    let id = t.user_ids[&Role::Village];
    let r = t
        .json(
            Method::POST,
            &format!("/api/v1/users/{id}/unlock"),
            Some(&sec),
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["locked"], false);
    assert_eq!(t.login_as(&name, PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_idle_for_thirty_minutes_ends() {
    let t = TestApp::new().await;
    let c = t.login(Role::Department).await;
    t.clock.advance(Duration::minutes(29));
    assert_eq!(
        t.get("/api/v1/session", Some(&c)).await.status,
        StatusCode::OK
    );
    // Using it restarted the idle clock.
    t.clock.advance(Duration::minutes(29));
    assert_eq!(
        t.get("/api/v1/session", Some(&c)).await.status,
        StatusCode::OK
    );
    t.clock.advance(Duration::minutes(31));
    assert_eq!(
        t.get("/api/v1/session", Some(&c)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = t.get("/workbench", Some(&c)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let body = r#"{"username":"new-clerk","display_name":"马明","password":"Tongxin-2026!x","role":"township","unit":"豫海镇"}"#;
    let forged = support::Client {
        cookie: admin.cookie.clone(),
        csrf: "0".repeat(64),
    };
    let r = t
        .json(Method::POST, "/api/v1/users", Some(&forged), body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "csrf");
    let r = t
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(("application/json", body.to_owned())),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no header at all");
    let r = t
        .request(
            Method::POST,
            "/users",
            Some(&admin),
            Some(("application/x-www-form-urlencoded", "username=x".into())),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a form without its csrf field"
    );
    // With the token it goes through.
    let r = t
        .json(Method::POST, "/api/v1/users", Some(&admin), body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn creating_users_names_every_bad_field_in_chinese() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let cases: &[(&str, u16, &str, &str)] = &[
        ("{not json", 400, "", "不是有效的 JSON"),
        (r#"{"username":"a"}"#, 400, "display_name", "缺少字段"),
        (
            r#"{"username":1,"display_name":"x","password":"x","role":"x","unit":"x"}"#,
            400,
            "username",
            "应为文本",
        ),
        (
            r#"{"username":"abc","display_name":"x","password":"x","role":"x","unit":"x","admin":true}"#,
            400,
            "admin",
            "不认识的字段",
        ),
        (
            r#"{"username":"clerk2","display_name":"马明","password":"Tongxin-2026!","role":"镇长","unit":"豫海镇"}"#,
            422,
            "role",
            "角色“镇长”不存在",
        ),
        (
            r#"{"username":"clerk2","display_name":"马明","password":"Tongxin-2026!","role":"township","unit":"火星镇"}"#,
            422,
            "unit",
            "火星镇",
        ),
        (
            r#"{"username":"clerk2","display_name":"马明","password":"short","role":"township","unit":"豫海镇"}"#,
            422,
            "password",
            "不能少于10",
        ),
    ];
    for (body, status, field, text) in cases {
        let r = t
            .json(Method::POST, "/api/v1/users", Some(&admin), body)
            .await;
        assert_eq!(r.status.as_u16(), *status, "{body}: {}", r.body);
        let err = &r.json()["error"];
        assert!(
            err["message"].as_str().unwrap().contains(text),
            "{body}: {err}"
        );
        if !field.is_empty() {
            assert_eq!(err["fields"][0]["field"], *field, "{body}: {err}");
        }
    }
    let long = format!(
        r#"{{"username":"{}","display_name":"{}","password":"Tongxin-2026!","role":"township","unit":"豫海镇"}}"#,
        "a".repeat(40),
        "马".repeat(40)
    );
    let r = t
        .json(Method::POST, "/api/v1/users", Some(&admin), &long)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let json = r.json();
    let fields: Vec<&str> = json["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["username", "display_name"],
        "every bad field at once"
    );
    let dup = r#"{"username":"t-township","display_name":"马明","password":"Tongxin-2026!","role":"township","unit":"豫海镇"}"#;
    let r = t
        .json(Method::POST, "/api/v1/users", Some(&admin), dup)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已被使用")
    );
    let r = t
        .request(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(("text/plain", "x".into())),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "no CSRF header: refused before the body is read"
    );
}

#[tokio::test]
async fn the_user_form_keeps_what_was_typed_when_refused() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let form = format!(
        "csrf={}&username=Bad+Name&display_name=%E9%A9%AC%E6%98%8E&role=township&unit=%E7%81%AB%E6%98%9F%E9%95%87&password=Tongxin-2026%21",
        admin.csrf
    );
    let r = t
        .request(
            Method::POST,
            "/users",
            Some(&admin),
            Some(("application/x-www-form-urlencoded", form)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for kept in [
        "Bad Name",
        "马明",
        "火星镇",
        "用户名须以小写字母开头",
        "不在组织机构目录中",
    ] {
        assert!(
            r.body.contains(kept),
            "{kept} missing from the re-rendered form"
        );
    }
}

#[tokio::test]
async fn two_administrators_disabling_the_same_user_one_wins_the_other_is_told() {
    let t = TestApp::new().await;
    let a = t.login(Role::SystemAdmin).await;
    let b = t.login(Role::SystemAdmin).await;
    let id = t.user_ids[&Role::Village];
    let body = r#"{"active":false,"version":1}"#;
    let first = t
        .json(
            Method::POST,
            &format!("/api/v1/users/{id}/active"),
            Some(&a),
            body,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = t
        .json(
            Method::POST,
            &format!("/api/v1/users/{id}/active"),
            Some(&b),
            body,
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已被他人修改")
    );
    // The disabled user cannot log in.
    assert_eq!(
        t.login_as(&username(Role::Village), PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn users_are_listed_within_the_data_scope() {
    let t = TestApp::new().await;
    let sec = t.login(Role::SecurityAdmin).await;
    let all = t.get("/api/v1/users?per_page=100", Some(&sec)).await.json();
    assert_eq!(all["total"], 9);
    let r = t.get("/api/v1/users?page=abc", Some(&sec)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "page");
}

#[tokio::test]
async fn aliases_and_collective_names_resolve_through_the_api() {
    let t = TestApp::new().await;
    let c = t.login(Role::Department).await;
    let r = t
        .get(
            "/api/v1/units/resolve?name=%E5%B7%A5%E4%BF%A1%E5%95%86%E5%8A%A1%E5%B1%80",
            Some(&c),
        )
        .await
        .json();
    assert_eq!(r["units"][0]["name"], "同心县工业信息化和商务局");
    let r = t.get("/api/v1/units/resolve?name=%E5%90%84%E4%B9%A1%E9%95%87%EF%BC%88%E5%BC%80%E5%8F%91%E5%8C%BA%EF%BC%89", Some(&c)).await.json();
    assert_eq!(r["kind"], "collective");
    assert!(r["units"].as_array().unwrap().len() >= 11);
    let r = t.get("/api/v1/units/resolve", Some(&c)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "name");
}

#[tokio::test]
async fn unknown_addresses_and_methods_answer_in_chinese() {
    let t = TestApp::new().await;
    let r = t.get("/no/such/page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("页面不存在"));
    let r = t.get("/api/v1/nothing", None).await;
    assert_eq!(r.json()["error"]["message"], "接口不存在");
    let r = t.request(Method::PUT, "/api/v1/session", None, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let c = t.login(Role::SystemAdmin).await;
    let r = t
        .json(
            Method::POST,
            "/api/v1/users/abc/active",
            Some(&c),
            r#"{"active":true,"version":1}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn no_route_answers_500_to_hostile_input() {
    let t = TestApp::new().await;
    let clients: Vec<Client> = vec![
        t.login(Role::SystemAdmin).await,
        t.login(Role::AuditAdmin).await,
        t.login(Role::SecurityAdmin).await,
    ];
    let bodies = [
        "",
        "null",
        "[]",
        "{}",
        "\"x\"",
        "{\"username\":null}",
        "{\"active\":\"yes\",\"version\":\"1\"}",
        "\u{0}\u{1}",
        "{\"username\":\"a\",\"password\":\"",
        &"9".repeat(5000),
    ];
    let queries = [
        "",
        "?page=-1",
        "?per_page=999999999999999999999",
        "?before_id=x",
        "?limit=0",
        "?action=drop",
        "?name=%00",
        "?actor=%E9%A9%AC",
    ];
    for spec in ROUTES {
        for c in &clients {
            for q in queries {
                let path = spec
                    .path
                    .replace("{id}", "99999")
                    .replace("{file}", "..%2F..%2Fetc%2Fpasswd")
                    .replace("{slug}", "%3Cscript%3E")
                    .replace("{doc}", "%E5%90%8C-0-0")
                    .replace(
                        "{clause}",
                        "%E7%AC%AC%E4%B9%9D%E6%9D%A1%EF%BC%88%E5%8D%81%EF%BC%89",
                    )
                    .replace("{key}", "..%2Fx")
                    + q;
                for body in bodies {
                    let m = spec.method.method();
                    let r = if m == Method::GET {
                        t.get(&path, Some(c)).await
                    } else {
                        t.json(m, &path, Some(c), body).await
                    };
                    assert!(
                        r.status.as_u16() < 500,
                        "{} {path} {body:?} → {} {}",
                        spec.method.as_str(),
                        r.status,
                        r.body
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for spec in ROUTES.iter().filter(|r| r.surface == Surface::Api) {
        let op = &doc["paths"][spec.path][spec.method.as_str().to_lowercase()];
        assert!(
            op["summary"].is_string(),
            "{} {} missing",
            spec.method.as_str(),
            spec.path
        );
    }
    let page = t.get("/api/docs", None).await;
    assert!(page.body.contains("/api/v1/users") && page.body.contains("/static/api-docs.js"));
    let js = t.get("/static/api-docs.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
}

#[tokio::test]
async fn every_write_lands_in_the_audit_trail_without_personal_data() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    let body = r#"{"username":"clerk9","display_name":"马小明","password":"Tongxin-2026!x","role":"village","unit":"豫海镇"}"#;
    assert_eq!(
        t.json(Method::POST, "/api/v1/users", Some(&admin), body)
            .await
            .status,
        StatusCode::CREATED
    );
    let auditor = t.login(Role::AuditAdmin).await;
    let log = t
        .get("/api/v1/audit?action=create&limit=1", Some(&auditor))
        .await;
    let entry = &log.json()["items"][0];
    assert_eq!(entry["actor"], "t-system-admin");
    assert_eq!(entry["role"], "system_admin");
    assert_eq!(entry["summary"]["after"]["username"], "clerk9");
    assert!(
        !log.body.contains("马小明"),
        "names stay out of the audit trail"
    );
    assert!(
        !log.body.contains("Tongxin-2026"),
        "passwords stay out of the audit trail"
    );
    let v = t.get("/api/v1/audit/verify", Some(&auditor)).await.json();
    assert_eq!(v["intact"], true);
    let page = t.get("/audit", Some(&auditor)).await;
    assert!(page.body.contains("哈希链完整"));
}

#[tokio::test]
async fn pages_render_for_their_roles() {
    let t = TestApp::new().await;
    let admin = t.login(Role::SystemAdmin).await;
    for (path, text) in [
        ("/workbench", "工作台"),
        ("/workbench", "试行期已于2026年1月12日届满"),
        ("/workbench", "2026年地方节假日"),
        ("/units", "豫海镇"),
        ("/users", "新建用户"),
    ] {
        let r = t.get(path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains(text), "{path} lacks {text}");
    }
    // A built capability's page sends to where it lives.
    let r = t.get("/capabilities/portal", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/public");
    let q = t
        .get(
            "/units?q=%E5%B7%A5%E4%BF%A1%E5%95%86%E5%8A%A1%E5%B1%80",
            Some(&admin),
        )
        .await;
    assert!(q.body.contains("即 同心县工业信息化和商务局"));
}
