//! 政府投资项目审批路径计算器 (“我的项目需要哪些审批？”, 同政办规发〔2023〕5号 第七条、第八条):
//! for anyone, from the amount and the project's nature, the documents to be approved, in order,
//! each reason with its clause; what was typed stays in the form.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxin_domain::invest::{PathDecision, ProjectFacts, WanYuan, approval_path};

use super::{Layout, render};
use crate::AppState;
use crate::cite::Cite;
use crate::error::PageError;
use crate::extract::MaybeUser;

/// The calculator's inputs, as typed.
#[derive(Default)]
pub struct PathForm {
    pub amount: String,
    pub planned: bool,
    pub simple: bool,
    pub partial: bool,
    pub emergency: bool,
    pub new_land: bool,
}

impl PathForm {
    pub fn from_query(q: Option<String>) -> Self {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(q.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| {
            pairs
                .iter()
                .rev()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let on = |k: &str| matches!(get(k).as_deref(), Some("true" | "on" | "1"));
        PathForm {
            amount: get("amount").unwrap_or_default(),
            planned: on("planned"),
            simple: on("simple"),
            partial: on("partial"),
            emergency: on("emergency"),
            new_land: on("new_land"),
        }
    }

    /// The facts, or the amount's error in Chinese.
    pub fn facts(&self) -> Result<ProjectFacts, String> {
        let amount: WanYuan = self.amount.parse().map_err(|e| format!("{e}"))?;
        Ok(ProjectFacts {
            amount,
            listed_in_plan: self.planned,
            simple_content: self.simple,
            partial_expansion: self.partial,
            emergency: self.emergency,
            new_land: self.new_land,
        })
    }
}

pub struct Step {
    pub label: String,
    pub note: String,
}

pub struct Reason {
    pub text: String,
    pub cite: Cite,
}

pub struct Parallel {
    pub label: String,
    pub department: String,
    pub when: String,
    pub cite: Cite,
}

pub struct Answer {
    pub path: String,
    pub amount: String,
    pub steps: Vec<Step>,
    pub reasons: Vec<Reason>,
    pub parallel: Vec<Parallel>,
    pub warnings: Vec<String>,
}

impl Answer {
    fn of(d: PathDecision) -> Self {
        Answer {
            path: d.path.label().to_owned(),
            amount: d.facts.amount.to_string(),
            steps: d
                .documents
                .iter()
                .map(|s| Step {
                    label: s.label.to_owned(),
                    note: s.note.to_owned(),
                })
                .collect(),
            reasons: d
                .reasons
                .iter()
                .map(|r| Reason {
                    text: r.text.clone(),
                    cite: Cite::from(&r.citation),
                })
                .collect(),
            parallel: d
                .parallel
                .iter()
                .map(|p| Parallel {
                    label: p.label.to_owned(),
                    department: p.department.to_owned(),
                    when: p.when.to_owned(),
                    cite: Cite::from(&p.citation),
                })
                .collect(),
            warnings: d.warnings.iter().map(|w| w.to_string()).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "gov_path.html")]
pub struct PathPage {
    pub layout: Layout,
    pub form: PathForm,
    pub error: String,
    pub answer: Option<Answer>,
    pub today: String,
}

pub async fn path(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let asked = q.as_deref().is_some_and(|q| q.contains("amount="));
    let form = PathForm::from_query(q);
    let today = st.app.clock.today();
    let (answer, error) = if !asked {
        (None, String::new())
    } else {
        match form.facts() {
            Ok(f) => match approval_path(&st.app.corpus(), today, f) {
                Ok(d) => (Some(Answer::of(d)), String::new()),
                Err(e) => (None, format!("{today}无法判定：{e}")),
            },
            Err(e) => (None, e),
        }
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PathPage {
        layout: Layout::new(
            &st,
            actor.as_ref(),
            "我的项目需要哪些审批？",
            "gov-projects",
        ),
        form,
        error,
        answer,
        today: today.format("%Y年%-m月%-d日").to_string(),
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    Ok(res)
}
