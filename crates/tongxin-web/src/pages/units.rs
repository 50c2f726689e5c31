//! 组织机构: the unit tree with the people the documents name, and a lookup by any alias.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashSet;
use tongxin_domain::directory::Resolved;
use tongxin_domain::{Directory, Unit};

use super::{Layout, render};
use crate::AppState;
use crate::extract::CurrentUser;

/// A unit in the rendered tree, flattened with its depth (templates do not recurse).
pub struct TreeRow {
    pub depth: usize,
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub code: String,
    pub code_internal: bool,
    pub aliases: String,
    pub members: Vec<String>,
    pub highlighted: bool,
    pub note: String,
}

#[derive(Template)]
#[template(path = "units.html")]
pub struct UnitsPage {
    pub layout: Layout,
    pub q: String,
    pub answer: Option<String>,
    pub rows: Vec<TreeRow>,
    pub collectives: Vec<(String, String)>,
    pub templates: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct UnitsQuery {
    #[serde(default)]
    q: String,
}

fn flatten(d: &Directory, u: &Unit, depth: usize, hits: &HashSet<String>, out: &mut Vec<TreeRow>) {
    let members = d
        .members(&u.id)
        .map(|p| {
            let titles: Vec<String> = p
                .titles
                .iter()
                .map(|t| format!("{}（{}）", t.title, t.of))
                .collect();
            format!("{}：{}", p.name, titles.join("、"))
        })
        .collect();
    let (code, code_internal) = match (&u.division_code, &u.internal_code) {
        (Some(c), _) => (c.clone(), false),
        (None, Some(c)) => (c.clone(), true),
        _ => (String::new(), false),
    };
    out.push(TreeRow {
        depth,
        id: u.id.0.clone(),
        name: u.name.clone(),
        kind: u.kind.label(),
        code,
        code_internal,
        aliases: u.aliases.join("、"),
        members,
        highlighted: hits.contains(u.id.as_str()),
        note: u.note.clone().unwrap_or_default(),
    });
    for c in d.children(&u.id) {
        flatten(d, c, depth + 1, hits, out);
    }
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<UnitsQuery>,
) -> Response {
    let d = st.app.directory();
    let query = q.q.trim().chars().take(64).collect::<String>();
    let mut hits = HashSet::new();
    let answer = (!query.is_empty()).then(|| match d.resolve(&query) {
        Some(Resolved::Unit(u)) => {
            hits.insert(u.id.0.clone());
            format!("“{query}”即 {}（{}）", u.name, u.kind.label())
        }
        Some(Resolved::Collective(c, units)) => {
            for u in &units {
                hits.insert(u.id.0.clone());
            }
            let names: Vec<&str> = units.iter().map(|u| u.short_name.as_str()).collect();
            format!(
                "“{query}”是统称“{}”，包括{}个单位：{}",
                c.name,
                units.len(),
                names.join("、")
            )
        }
        None => format!("目录中没有名为“{query}”的单位或统称"),
    });
    let mut rows = Vec::with_capacity(d.units().len());
    flatten(&d, d.root(), 0, &hits, &mut rows);
    let collectives = d
        .collectives()
        .iter()
        .map(|c| {
            let names: Vec<&str> = d.expand(c).iter().map(|u| u.short_name.as_str()).collect();
            (
                format!(
                    "{}{}",
                    c.name,
                    if c.aliases.is_empty() {
                        String::new()
                    } else {
                        format!("（又作{}）", c.aliases.join("、"))
                    }
                ),
                names.join("、"),
            )
        })
        .collect();
    let templates = d
        .office_templates()
        .iter()
        .map(|t| (t.name.clone(), t.duties.clone()))
        .collect();
    let page = UnitsPage {
        layout: Layout::new(&st, Some(&actor), "组织机构", "units"),
        q: query,
        answer,
        rows,
        collectives,
        templates,
    };
    render(&page)
}
