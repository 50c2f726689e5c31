//! 宅基地申请公示 (第十条): the applications in their notice period, for anyone; names masked,
//! no ID numbers.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{HOMESTEAD, date_cn, form};
use crate::AppState;
use crate::cite::Cite;
use crate::error::PageError;
use crate::extract::MaybeUser;
use crate::pages::{Layout, render};

pub struct NoticeRow {
    pub number: String,
    pub applicant: String,
    pub township: String,
    pub village: String,
    pub land_type: String,
    pub area_m2: String,
    pub storeys: String,
    pub site: String,
    pub from: String,
    pub until: String,
    pub place: String,
    pub cite: Cite,
}

#[derive(Template)]
#[template(path = "homestead_notices.html")]
pub struct NoticesPage {
    pub layout: Layout,
    pub today: String,
    pub rows: Vec<NoticeRow>,
    pub cite: Option<Cite>,
}

pub async fn show(
    State(st): State<AppState>,
    MaybeUser(actor): MaybeUser,
) -> Result<Response, PageError> {
    let items = st.app.public_notices(HOMESTEAD.procedure).await?;
    let proc = st.app.procedure(HOMESTEAD.procedure)?;
    let cite = proc
        .deadlines
        .iter()
        .find(|d| d.kind == tongxin_domain::procedure::DeadlineKind::AtLeast)
        .map(|d| Cite::from(&d.citation));
    let rows = items
        .into_iter()
        .map(|n| NoticeRow {
            number: n.number,
            applicant: n.applicant_name,
            township: n.township,
            village: n.village,
            land_type: n.land_type,
            area_m2: form::number_str(&n.area_m2),
            storeys: n.storeys,
            site: n.site_description,
            from: n.from.to_string(),
            until: n.until.map(|d| d.to_string()).unwrap_or_default(),
            place: n.notice_place,
            cite: Cite::from(&n.citation),
        })
        .collect();
    let page = NoticesPage {
        layout: Layout::new(&st, actor.as_ref(), "宅基地申请公示", HOMESTEAD.nav),
        today: date_cn(st.app.clock.today()),
        rows,
        cite,
    };
    Ok(render(&page))
}
