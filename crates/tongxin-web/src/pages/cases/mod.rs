//! The pages of a procedure run on the case engine (办件页面): the case list with filters, the
//! application form, the case page (deadlines, the actions this user may take now, the record
//! and its clauses, the site map), printable documents, and the ledger as XLSX — the same pages
//! for 宅基地审批 (同政办规发〔2023〕6号) and 临时用地 (同政办规发〔2023〕7号), each described by
//! a [`Desk`]. The homestead's public notice list lives in [`notices`].
//!
//! Every form here is generated from the procedure definition (policies/tongxin/procedures/)
//! through [`form`]; the rules (who may act, checks, deadlines) are the app layer's, and a
//! refusal comes back as field errors that are shown beside what was typed.

pub mod attract;
pub mod case;
pub mod documents;
pub mod filing;
pub mod form;
pub mod ledger;
pub mod list;
pub mod notices;
pub mod project;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;
use tongxin_app::AppError;
use tongxin_app::cases::CaseQuery;
use tongxin_domain::Role;
use tongxin_domain::procedure::{Action, FieldDef, Procedure};

use crate::error::PageError;

/// Cases on a page of the list.
pub const PER_PAGE: i64 = 20;

/// A list column beyond number, applicant, state, deadline and documents.
pub enum Column {
    Township,
    Village,
    /// A form field shown as stored (choices by their label).
    Field(&'static str, &'static str),
    /// The boundary's area in 亩.
    AreaMu(&'static str),
    /// The due date of one deadline (期满日).
    Due(&'static str, &'static str),
    /// How many periods of a deadline ran late (月报逾期次数).
    LateCount(&'static str, &'static str),
}

/// A panel of the case page beyond the generic ones.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    None,
    /// 政府投资项目: path, approvals, funding, monthly reports.
    GovProject,
    /// 招商引资项目: chain and segment, "五个一", agency items, funds in place.
    Investment,
}

/// A warning preset of the list (到期预警): cases whose running `deadline` falls due within
/// `due_within` days (negative: overdue).
pub struct Alert {
    pub id: &'static str,
    pub label: &'static str,
    pub deadline: &'static str,
    pub due_within: i64,
}

/// Who signs the documents a procedure issues.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The township of the case (宅基地: 乡镇人民政府).
    Township,
    /// The procedure's handling unit (临时用地: 县自然资源局).
    HandlingUnit,
    /// A named unit (政府投资项目: 发展和改革局 organises the acceptance, 第十四条).
    Unit(&'static str),
}

/// One procedure's pages: where they live and what they show.
pub struct Desk {
    pub procedure: &'static str,
    /// `/homestead`
    pub base: &'static str,
    /// The navigation entry (capability slug).
    pub nav: &'static str,
    /// 宅基地审批
    pub title: &'static str,
    /// What happens after filing, said under the form.
    pub filed_hint: &'static str,
    /// Said on a case page when no clock runs.
    pub no_deadline_hint: &'static str,
    /// Where the case's land is chosen: 乡镇 (and 村 for homesteads).
    pub village_filter: bool,
    /// The list filters by the unit a case belongs to (项目单位) and by year.
    pub unit_filter: bool,
    /// The case is the unit's, not a person's (项目单位 instead of 申请人).
    pub applicant_is_unit: bool,
    pub panel: Panel,
    pub columns: &'static [Column],
    pub alerts: &'static [Alert],
    /// Extra links on the list: (href, label, the permission needed to see it).
    pub links: &'static [(
        &'static str,
        &'static str,
        Option<tongxin_domain::Permission>,
    )],
    /// Pages of a case beyond its documents: (path under the case, label).
    pub case_links: &'static [(&'static str, &'static str)],
    pub issuer: Issuer,
    /// What the documents show about the applicant and the place, before the document's own
    /// rows: (label, field ids).
    pub subject_rows: &'static [(&'static str, &'static [&'static str])],
    pub ledger: ledger::Sheet,
}

impl Desk {
    pub fn by_procedure(id: &str) -> Option<&'static Desk> {
        [&HOMESTEAD, &TEMPORARY_LAND, &GOV_PROJECTS, &INVESTMENT]
            .into_iter()
            .find(|d| d.procedure == id)
    }

    pub fn case_href(&self, id: i64) -> String {
        format!("{}/{id}", self.base)
    }
}

/// 宅基地审批 (同政办规发〔2023〕6号).
pub static HOMESTEAD: Desk = Desk {
    procedure: "homestead",
    base: "/homestead",
    nav: "homestead",
    title: "宅基地审批",
    filed_hint: "提交后进入村民小组会议讨论。",
    no_deadline_hint: "目前没有计时的期限。村民小组会议、村级审查和乡镇受理、联审，文件未规定办理时限（第十条、第十一条）。",
    village_filter: true,
    unit_filter: false,
    applicant_is_unit: false,
    panel: Panel::None,
    columns: &[Column::Township, Column::Village],
    alerts: &[],
    links: &[("/homestead/notices", "宅基地申请公示", None)],
    case_links: &[],
    issuer: Issuer::Township,
    subject_rows: &[
        ("申请人（户主）", &["applicant_name"]),
        ("身份证号码", &["applicant_id"]),
    ],
    ledger: ledger::HOMESTEAD_SHEET,
};

/// 临时用地审批 (同政办规发〔2023〕7号).
pub static TEMPORARY_LAND: Desk = Desk {
    procedure: "temporary_land",
    base: "/temporary-land",
    nav: "temporary-land",
    title: "临时用地",
    filed_hint: "提交后由县自然资源局现场踏勘、勘测定界，10个工作日内出具选址意见（第九条（一））。",
    no_deadline_hint: "目前没有计时的期限。编制复垦方案、专家论证和提交材料，文件未规定时限（第九条）。",
    village_filter: false,
    unit_filter: false,
    applicant_is_unit: false,
    panel: Panel::None,
    columns: &[
        Column::Field("项目", "project_name"),
        Column::Field("用途", "use_kind"),
        Column::AreaMu("面积（亩）"),
        Column::Due("期满日", "expiry"),
    ],
    alerts: &[
        Alert {
            id: "expiring",
            label: "30日内期满（含已期满未结束使用）",
            deadline: "expiry",
            due_within: 30,
        },
        Alert {
            id: "reclamation_overdue",
            label: "复垦逾期",
            deadline: "reclamation",
            due_within: -1,
        },
        Alert {
            id: "unused",
            label: "批准后超过6个月未使用",
            deadline: "unused",
            due_within: -1,
        },
        Alert {
            id: "upload_overdue",
            label: "逾期未上传配号",
            deadline: "system_upload",
            due_within: -1,
        },
    ],
    links: &[
        ("/temporary-land/layers", "保护图层", None),
        ("/temporary-land/public", "批准信息公开", None),
        (
            "/temporary-land/dishonesty",
            "失信名单",
            Some(tongxin_domain::Permission::ManageDishonestyList),
        ),
    ],
    case_links: &[("sign", "临时用地公示牌（批准后打印，第二十一条）")],
    issuer: Issuer::HandlingUnit,
    subject_rows: &[
        ("申请人", &["applicant_name"]),
        ("统一社会信用代码", &["applicant_credit_code"]),
        ("身份证号码", &["applicant_id"]),
        ("联系人", &["contact_name"]),
        ("项目名称", &["project_name"]),
    ],
    ledger: ledger::TEMPORARY_LAND_SHEET,
};

/// 政府投资项目 (同政办规发〔2023〕5号).
pub static GOV_PROJECTS: Desk = Desk {
    procedure: "gov_investment",
    base: "/gov-projects",
    nav: "gov-projects",
    title: "政府投资项目",
    filed_hint: "提交后由县发展和改革局审查资金来源，列入投资计划（第五条）；审批路径按总投资和项目情况确定（第七条）。",
    no_deadline_hint: "目前没有计时的期限。前期文件的审批，文件未规定办理时限；开工后每月报送进度，建成后6个月内报请竣工验收。",
    village_filter: false,
    unit_filter: true,
    applicant_is_unit: true,
    panel: Panel::GovProject,
    columns: &[
        Column::Field("项目名称", "project_name"),
        Column::Field("项目代码", "project_code"),
        Column::Field("总投资（万元）", "total_investment"),
        Column::Field("到位资金（万元）", "funds_confirmed"),
        Column::LateCount("月报逾期", "progress_report"),
    ],
    alerts: &[
        Alert {
            id: "report_overdue",
            label: "月度进度逾期未报",
            deadline: "progress_report",
            due_within: -1,
        },
        Alert {
            id: "report_due",
            label: "7日内须报送月度进度",
            deadline: "progress_report",
            due_within: 7,
        },
        Alert {
            id: "acceptance_overdue",
            label: "逾期未申请竣工验收",
            deadline: "acceptance_application",
            due_within: -1,
        },
        Alert {
            id: "acceptance_due",
            label: "30日内须申请竣工验收",
            deadline: "acceptance_application",
            due_within: 30,
        },
    ],
    links: &[("/gov-projects/path", "审批路径计算器", None)],
    case_links: &[],
    issuer: Issuer::Unit("发展和改革局"),
    subject_rows: &[
        ("项目名称", &["project_name"]),
        ("项目代码", &["project_code"]),
        ("建设内容及规模", &["construction_content"]),
    ],
    ledger: ledger::GOV_PROJECTS_SHEET,
};

/// 招商引资项目 (同政办发〔2023〕72号).
pub static INVESTMENT: Desk = Desk {
    procedure: "investment",
    base: "/investment",
    nav: "chains",
    title: "招商引资项目",
    filed_hint: "登记后线索移交县投资促进服务中心，同步报送链长和产业链牵头单位；由牵头单位开展前期考察（第三条、第四条）。",
    no_deadline_hint: "目前没有计时的期限。招商引资各阶段文件未规定办理时限；容缺受理的事项须在补全时限内补齐材料（第九条）。",
    village_filter: false,
    unit_filter: true,
    applicant_is_unit: true,
    panel: Panel::Investment,
    columns: &[
        Column::Field("项目名称", "project_name"),
        Column::Field("意向企业", "company_name"),
        Column::Field("产业链", "chain"),
        Column::Field("环节", "segment"),
        Column::Field("计划投资（万元）", "planned_investment"),
    ],
    alerts: &[],
    links: &[
        ("/investment/board", "招商项目看板", None),
        ("/investment?state=reserve", "项目储备库", None),
        ("/investment?overdue=true", "容缺材料逾期", None),
        ("/chains", "产业链", None),
    ],
    case_links: &[],
    issuer: Issuer::Unit("投资促进服务中心"),
    subject_rows: &[
        ("项目名称", &["project_name"]),
        ("意向投资企业", &["company_name"]),
    ],
    ledger: ledger::INVESTMENT_SHEET,
};

/// The action that files a case, if `role` may take it (申请人, 村).
fn filing_action(proc: &Procedure, role: Role) -> Option<&Action> {
    proc.allowed_actions(&proc.initial, role).into_iter().next()
}

/// The refusal the app layer gives a role that may not file, said before showing a form.
fn may_not_file(proc: &Procedure) -> PageError {
    let mut roles: Vec<&str> = Vec::new();
    for a in proc
        .actions
        .iter()
        .filter(|a| a.from.contains(&proc.initial))
    {
        for r in &a.roles {
            if !roles.contains(&r.label()) {
                roles.push(r.label());
            }
        }
    }
    AppError::Forbidden {
        action: format!("提交{}", proc.title),
        needed: roles.join("或"),
    }
    .into()
}

fn action_fields(proc: &Procedure, action: &Action) -> Vec<FieldDef> {
    action
        .fields
        .iter()
        .filter_map(|f| proc.field(f).cloned())
        .collect()
}

pub(crate) use super::query_map;

/// `2026-11-29T01:00:00.000Z` → `2026-11-29 09:00` (Beijing time).
fn local_time(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|t| {
            t.with_timezone(&tongxin_app::clock::china_offset())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| ts.to_owned())
}

fn date_cn(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

fn text_of(data: &Map<String, Value>, key: &str) -> String {
    match data.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn status_of(status: StatusCode, res: Response) -> Response {
    let mut res = res;
    *res.status_mut() = status;
    res
}

/// The list's filter, shared by the XLSX ledger.
pub struct Filter {
    pub township: String,
    pub village: String,
    pub state: String,
    pub overdue: bool,
    /// One of the desk's [`Alert`]s, by id.
    pub alert: String,
    /// 单位 (the desk's `unit_filter`), as typed.
    pub unit: String,
    /// 年度, as typed.
    pub year: String,
}

impl Filter {
    fn from_query(q: &HashMap<String, String>) -> Self {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter {
            township: get("township"),
            village: get("village"),
            state: get("state"),
            overdue: matches!(get("overdue").as_str(), "true" | "on" | "1"),
            alert: get("alert"),
            unit: get("unit"),
            year: get("year"),
        }
    }

    fn query(&self, desk: &Desk) -> CaseQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let alert = desk.alerts.iter().find(|a| a.id == self.alert);
        CaseQuery {
            township: some(&self.township),
            village: some(&self.village),
            state: some(&self.state),
            overdue: Some(self.overdue),
            deadline: alert.map(|a| a.deadline.to_owned()),
            due_within: alert.map(|a| a.due_within),
            unit: some(&self.unit),
            year: some(&self.year),
            page: None,
            per_page: None,
        }
    }

    /// The filter as a query string (for the ledger link and the pager).
    fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (k, v) in [
            ("township", &self.township),
            ("village", &self.village),
            ("state", &self.state),
            ("alert", &self.alert),
            ("unit", &self.unit),
            ("year", &self.year),
        ] {
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        if self.overdue {
            pairs.push(("overdue", "true"));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The axum handlers of one desk: each extracts the request and calls the shared page code
/// with the desk.
macro_rules! desk_routes {
    ($module:ident, $desk:path) => {
        pub mod $module {
            use axum::extract::{Path, RawQuery, State};
            use axum::response::Response;

            use crate::AppState;
            use crate::error::PageError;
            use crate::extract::{CurrentUser, PageForm};

            pub async fn list(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                RawQuery(q): RawQuery,
            ) -> Result<Response, PageError> {
                super::list::show(&$desk, st, actor, q).await
            }

            pub async fn new_form(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
            ) -> Result<Response, PageError> {
                super::filing::new_form(&$desk, st, actor).await
            }

            pub async fn create(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                PageForm(raw): PageForm,
            ) -> Result<Response, PageError> {
                super::filing::create(&$desk, st, actor, raw).await
            }

            pub async fn ledger(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                RawQuery(q): RawQuery,
            ) -> Result<Response, PageError> {
                super::ledger::export(&$desk, st, actor, q).await
            }

            pub async fn case(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                Path(id): Path<String>,
                RawQuery(q): RawQuery,
            ) -> Result<Response, PageError> {
                super::case::show(&$desk, st, actor, id, q).await
            }

            pub async fn act(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                Path(id): Path<String>,
                PageForm(raw): PageForm,
            ) -> Result<Response, PageError> {
                super::case::act(&$desk, st, actor, id, raw).await
            }

            pub async fn document(
                State(st): State<AppState>,
                CurrentUser(actor): CurrentUser,
                Path((id, doc)): Path<(String, String)>,
            ) -> Result<Response, PageError> {
                super::documents::show(&$desk, st, actor, id, doc).await
            }
        }
    };
}

desk_routes!(homestead, super::HOMESTEAD);
desk_routes!(temporary_land, super::TEMPORARY_LAND);
desk_routes!(gov_projects, super::GOV_PROJECTS);
desk_routes!(investment, super::INVESTMENT);
