//! 巡查执法's pages: the enforcement cases with their deadlines (green / yellow / red) and the
//! latest patrols; the campaign's weeks of joint enforcement, a week ended without one in red
//! (同党办综〔2023〕55号 五、（二）2.); the village planning registry by township and the
//! idle-homestead register with overdue returns in red (同政办规发〔2023〕6号 第五、六、二十五、
//! 二十六条). Entries are made through the API (/api/v1/field/…).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use tongxin_app::field::{
    CampaignWeeksView, EnforcementView, IdleView, PageQuery, PatrolView, TownshipPlans,
};

use super::{Layout, render};
use crate::AppState;
use crate::cite::{Cite, cite_text};
use crate::error::PageError;
use crate::extract::CurrentUser;

/// A case's clause as a link.
pub struct CaseRow {
    pub c: EnforcementView,
    pub cite: Option<Cite>,
    pub deadline_cite: Option<Cite>,
}

#[derive(Template)]
#[template(path = "field.html")]
pub struct FieldPage {
    pub layout: Layout,
    pub cases: Vec<CaseRow>,
    pub cases_total: i64,
    pub patrols: Vec<PatrolView>,
    pub patrols_total: i64,
    pub patrol_cite: Option<Cite>,
}

pub async fn show(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let q = PageQuery::default();
    let cases = st.app.enforcement_cases(&actor, &q).await?;
    let patrols = st.app.patrols(&actor, &q).await?;
    let page = FieldPage {
        layout: Layout::new(&st, Some(&actor), "巡查执法", "field"),
        cases_total: cases.total,
        cases: cases
            .items
            .into_iter()
            .map(|c| CaseRow {
                cite: cite_text(c.kind_clause),
                deadline_cite: cite_text(&c.deadline_clause),
                c,
            })
            .collect(),
        patrols_total: patrols.total,
        patrols: patrols.items,
        patrol_cite: cite_text("同政办规发〔2023〕6号 第二十九条"),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "field_joint.html")]
pub struct JointPage {
    pub layout: Layout,
    pub v: CampaignWeeksView,
    pub cite: Option<Cite>,
}

pub async fn joint(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let v = st.app.campaign_weeks(&actor).await?;
    let page = JointPage {
        layout: Layout::new(&st, Some(&actor), "联合执法周表", "field"),
        cite: cite_text(&v.clause),
        v,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "field_villages.html")]
pub struct VillagesPage {
    pub layout: Layout,
    pub townships: Vec<TownshipPlans>,
    pub idle: Vec<IdleView>,
    pub overdue: usize,
    pub plan_cite: Option<Cite>,
    pub type_cite: Option<Cite>,
    pub idle_cite: Option<Cite>,
    pub return_cite: Option<Cite>,
}

pub async fn villages(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<Response, PageError> {
    let townships = st.app.village_plans(&actor).await?;
    let idle = st.app.idle_homesteads(&actor).await?;
    let page = VillagesPage {
        layout: Layout::new(&st, Some(&actor), "村庄规划与闲置宅基地", "field"),
        overdue: idle.iter().filter(|i| i.colour == "red").count(),
        townships,
        idle,
        type_cite: cite_text("同政办规发〔2023〕6号 第五条"),
        plan_cite: cite_text("同政办规发〔2023〕6号 第六条"),
        idle_cite: cite_text("同政办规发〔2023〕6号 第二十五条"),
        return_cite: cite_text("同政办规发〔2023〕6号 第二十六条"),
    };
    Ok(render(&page))
}
