//! The OpenAPI 3.1 document and the browsable API page, both generated from the route registry,
//! so they list exactly what the server serves.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::extract::MaybeUser;
use crate::pages::{Layout, render};
use crate::routes::{Access, ROUTES, RouteSpec, Surface};

fn access_label(a: Access) -> String {
    match a {
        Access::Public => "无需登录".into(),
        Access::Authenticated => "需登录".into(),
        Access::Permission(p) => {
            let roles: Vec<&str> = tongxin_domain::Role::ALL
                .iter()
                .filter(|r| r.permits(p))
                .map(|r| r.label())
                .collect();
            format!("需登录，角色：{}", roles.join("、"))
        }
    }
}

fn api_routes() -> impl Iterator<Item = &'static RouteSpec> {
    ROUTES
        .iter()
        .filter(|r| r.surface == Surface::Api || r.path == "/healthz")
}

pub fn build() -> Value {
    let mut paths = Map::new();
    for r in api_routes() {
        let mut op = json!({
            "summary": r.summary,
            "description": access_label(r.access),
            "responses": {
                "200": { "description": "成功" },
                "400": { "description": "请求有误（中文说明，指明字段）" },
                "401": { "description": "未登录" },
                "403": { "description": "无权限或 CSRF 令牌无效" },
                "422": { "description": "字段校验未通过", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        let mut params: Vec<Value> = r.query.iter().map(|(n, d)| json!({ "name": n, "in": "query", "required": false, "description": d, "schema": { "type": "string" } })).collect();
        if r.path.contains("{id}") {
            params.push(json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }));
        }
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        if let Some(schema) = r.request {
            let schema: Value = serde_json::from_str(schema).unwrap_or(Value::Null);
            op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema } } });
        }
        if r.access != Access::Public {
            op["security"] = json!([{ "session": [] }]);
        }
        let entry = paths
            .entry(r.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[r.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "同心 Tongxin 县域治理平台 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "先 POST /api/v1/session 登录（设置会话 Cookie，返回 csrf_token）；之后所有写操作须带请求头 X-CSRF-Token。错误以中文说明并指明字段。"
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "session": { "type": "apiKey", "in": "cookie", "name": "tongxin_session" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "object", "properties": {
                    "code": { "type": "string" }, "message": { "type": "string" },
                    "fields": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
                } } } }
            }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(build())
}

pub struct OpRow {
    pub method: String,
    pub path: &'static str,
    pub summary: &'static str,
    pub access: String,
    pub request: String,
    pub query: String,
    pub anchor: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
pub struct DocsPage {
    pub layout: Layout,
    pub ops: Vec<OpRow>,
}

pub async fn docs_page(State(st): State<AppState>, MaybeUser(actor): MaybeUser) -> Response {
    let ops = api_routes()
        .map(|r| OpRow {
            method: r.method.as_str().to_owned(),
            path: r.path,
            summary: r.summary,
            access: access_label(r.access),
            request: r
                .request
                .and_then(|s| serde_json::from_str::<Value>(s).ok())
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_default(),
            query: r
                .query
                .iter()
                .map(|(n, d)| format!("{n}：{d}"))
                .collect::<Vec<_>>()
                .join("；"),
            anchor: format!(
                "{}-{}",
                r.method.as_str(),
                r.path.replace(['/', '{', '}', '.'], "-")
            ),
        })
        .collect();
    render(&DocsPage {
        layout: Layout::new(&st, actor.as_ref(), "接口文档", ""),
        ops,
    })
}
