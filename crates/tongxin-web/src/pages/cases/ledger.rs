//! A procedure's ledger (台账) as an XLSX workbook in the layout an office prints: a title row
//! naming the scope, the export date, one row per case, A4 landscape, one page wide, the header
//! repeated on every printed page. 宅基地审批管理台账 (6号 第十二条: 乡镇要建立宅基地用地建房审批
//! 管理台账); 临时用地台账 (7号 第二十三条、第二十五条: the department's register of approvals,
//! expiry and reclamation).
//!
//! The rows are the app layer's [`CaseSummary`]s as given: names and ID numbers arrive already
//! masked for roles that must not see them. The app audits every export.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use tongxin_app::cases::CaseSummary;
use tongxin_app::{Actor, AppError};
use tongxin_domain::policy::Corpus;
use tongxin_domain::{Procedure, Role};

use super::{Desk, Filter, form, query_map, text_of};
use crate::AppState;
use crate::cite::segment;
use crate::error::PageError;

/// Rows exported at most; a larger selection says so on the sheet.
pub const LEDGER_LIMIT: i64 = 10_000;

/// One cell of a ledger row.
pub enum Cell {
    Text(String),
    /// A number as a number (so the sheet can sum it), else the text as typed.
    Number(String),
    /// 是否逾期: “是” in red.
    Flag(bool),
}

/// A procedure's ledger: its sheet, title and columns, and how a case fills a row (after the
/// 序号 column, which every sheet has).
pub struct Sheet {
    pub sheet_name: &'static str,
    /// `同心县农村宅基地审批台账`; the scope follows in brackets.
    pub title: &'static str,
    /// The ASCII file name's stem (`homestead-ledger`).
    pub file_stem: &'static str,
    /// (header, width) after 序号.
    pub columns: &'static [(&'static str, f64)],
    pub row: fn(&RowContext<'_>, &CaseSummary) -> Vec<Cell>,
}

/// What a row may read beyond its case: the procedure, and the rules as of the export day.
pub struct RowContext<'a> {
    pub proc: &'a Procedure,
    pub corpus: &'a Corpus,
    pub today: NaiveDate,
}

fn doc_number(c: &CaseSummary, id: &str) -> String {
    c.documents
        .iter()
        .find(|d| d.document == id)
        .map(|d| d.number.clone())
        .unwrap_or_default()
}

fn due_of(c: &CaseSummary, deadline: &str) -> String {
    c.deadlines
        .iter()
        .find(|d| d.deadline == deadline)
        .and_then(|d| d.due_on)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn next_due(c: &CaseSummary) -> String {
    c.next_deadline
        .as_ref()
        .and_then(|d| d.due_on)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn shown(proc: &Procedure, c: &CaseSummary, field: &str) -> String {
    c.data
        .get(field)
        .map(|v| form::display(proc.field(field), v).join("；"))
        .unwrap_or_default()
}

/// 宅基地审批台账.
pub const HOMESTEAD_SHEET: Sheet = Sheet {
    sheet_name: "宅基地审批台账",
    title: "同心县农村宅基地审批台账",
    file_stem: "homestead-ledger",
    columns: &[
        ("受理编号", 15.0),
        ("申请人", 10.0),
        ("身份证号", 21.0),
        ("乡镇", 10.0),
        ("村", 10.0),
        ("村民小组", 9.0),
        ("用地类型", 11.0),
        ("面积(㎡)", 9.0),
        ("层数", 6.0),
        ("状态", 16.0),
        ("批准书编号", 16.0),
        ("规划许可证编号", 16.0),
        ("验收意见表编号", 16.0),
        ("当前时限到期日", 13.0),
        ("是否逾期", 8.0),
    ],
    row: |cx, c| {
        let proc = cx.proc;
        vec![
            Cell::Text(c.number.clone()),
            Cell::Text(c.applicant_name.clone()),
            Cell::Text(text_of(&c.data, "applicant_id")),
            Cell::Text(c.township.clone()),
            Cell::Text(c.village.clone()),
            Cell::Text(text_of(&c.data, "village_group")),
            Cell::Text(shown(proc, c, "land_type")),
            Cell::Number(text_of(&c.data, "area_m2")),
            Cell::Number(text_of(&c.data, "storeys")),
            Cell::Text(c.state_label.clone()),
            Cell::Text(doc_number(c, "homestead_approval")),
            Cell::Text(doc_number(c, "rural_planning_permit")),
            Cell::Text(doc_number(c, "acceptance_form")),
            Cell::Text(next_due(c)),
            Cell::Flag(c.overdue),
        ]
    },
};

/// 临时用地台账.
pub const TEMPORARY_LAND_SHEET: Sheet = Sheet {
    sheet_name: "临时用地台账",
    title: "同心县临时用地审批与复垦台账",
    file_stem: "temporary-land-ledger",
    columns: &[
        ("受理编号", 14.0),
        ("申请人", 16.0),
        ("信用代码/身份证号", 20.0),
        ("项目名称", 18.0),
        ("用途", 12.0),
        ("用地位置", 18.0),
        ("面积(亩)", 8.0),
        ("期限(月)", 7.0),
        ("批准文号", 16.0),
        ("系统配号", 16.0),
        ("期满日", 11.0),
        ("复垦期限", 11.0),
        ("状态", 14.0),
        ("当前时限到期日", 12.0),
        ("是否逾期", 7.0),
    ],
    row: |cx, c| {
        let proc = cx.proc;
        let subject = match text_of(&c.data, "applicant_kind").as_str() {
            "individual" => text_of(&c.data, "applicant_id"),
            _ => text_of(&c.data, "applicant_credit_code"),
        };
        let approval = match doc_number(c, "temporary_land_approval") {
            n if n.is_empty() => text_of(&c.data, "higher_decision_number"),
            n => n,
        };
        vec![
            Cell::Text(c.number.clone()),
            Cell::Text(c.applicant_name.clone()),
            Cell::Text(subject),
            Cell::Text(text_of(&c.data, "project_name")),
            Cell::Text(shown(proc, c, "use_kind")),
            Cell::Text(text_of(&c.data, "site_location")),
            Cell::Number(
                tongxin_app::land::site_of(&c.data)
                    .map(|s| format!("{:.2}", s.area_mu()))
                    .unwrap_or_default(),
            ),
            Cell::Number(text_of(&c.data, "period_months")),
            Cell::Text(approval),
            Cell::Text(text_of(&c.data, "system_number")),
            Cell::Text(due_of(c, "expiry")),
            Cell::Text(due_of(c, "reclamation")),
            Cell::Text(c.state_label.clone()),
            Cell::Text(next_due(c)),
            Cell::Flag(c.overdue),
        ]
    },
};

/// 政府投资项目台账 (同政办规发〔2023〕5号: the development and reform bureau's list of every
/// project with its stage, approvals, money and clocks).
pub const GOV_PROJECTS_SHEET: Sheet = Sheet {
    sheet_name: "政府投资项目台账",
    title: "同心县政府投资项目台账",
    file_stem: "gov-projects-ledger",
    columns: &[
        ("编号", 14.0),
        ("项目代码", 22.0),
        ("项目名称", 22.0),
        ("项目单位", 12.0),
        ("建设地点", 9.0),
        ("总投资(万元)", 10.0),
        ("审批路径", 18.0),
        ("建议书批复", 14.0),
        ("可研批复", 14.0),
        ("初设批复", 14.0),
        ("批复概算(万元)", 10.0),
        ("到位资金(万元)", 10.0),
        ("分管副县长", 9.0),
        ("阶段", 16.0),
        ("开工日期", 11.0),
        ("月报逾期(次)", 8.0),
        ("建成日期", 11.0),
        ("验收申请期限", 11.0),
        ("当前时限到期日", 12.0),
        ("是否逾期", 7.0),
    ],
    row: |cx, c| {
        let path = tongxin_domain::invest_checks::project_facts(&c.data)
            .and_then(|f| tongxin_domain::invest::approval_path(cx.corpus, cx.today, f).ok())
            .map(|d| d.path.label().to_owned())
            .unwrap_or_default();
        vec![
            Cell::Text(c.number.clone()),
            Cell::Text(text_of(&c.data, "project_code")),
            Cell::Text(text_of(&c.data, "project_name")),
            Cell::Text(c.unit.clone()),
            Cell::Text(c.township.clone()),
            Cell::Number(text_of(&c.data, "total_investment")),
            Cell::Text(path),
            Cell::Text(text_of(&c.data, "proposal_approval_number")),
            Cell::Text(text_of(&c.data, "feasibility_approval_number")),
            Cell::Text(text_of(&c.data, "design_approval_number")),
            Cell::Number(text_of(&c.data, "approved_budget")),
            Cell::Number(text_of(&c.data, "funds_confirmed")),
            Cell::Text(text_of(&c.data, "responsible_leader")),
            Cell::Text(c.state_label.clone()),
            Cell::Text(text_of(&c.data, "start_date")),
            Cell::Number(super::list::late_count(c, "progress_report").to_string()),
            Cell::Text(text_of(&c.data, "completion_date")),
            Cell::Text(due_of(c, "acceptance_application")),
            Cell::Text(next_due(c)),
            Cell::Flag(c.overdue),
        ]
    },
};

/// 招商引资线索台账 (同政办发〔2023〕72号 第三条: 建立信息线索台帐), with each project's
/// agreement and funds in place (第十条).
pub const INVESTMENT_SHEET: Sheet = Sheet {
    sheet_name: "招商引资线索台账",
    title: "同心县招商引资信息线索台账",
    file_stem: "investment-leads",
    columns: &[
        ("编号", 14.0),
        ("登记日期", 11.0),
        ("项目名称", 22.0),
        ("意向投资企业", 20.0),
        ("统一社会信用代码", 20.0),
        ("线索来源", 10.0),
        ("产业链", 12.0),
        ("环节", 18.0),
        ("牵头单位", 12.0),
        ("计划投资(万元)", 10.0),
        ("阶段", 18.0),
        ("签约日期", 11.0),
        ("协议投资额(万元)", 10.0),
        ("实际到位资金(万元)", 10.0),
        ("包抓领导", 9.0),
        ("当前时限到期日", 12.0),
        ("是否逾期", 7.0),
    ],
    row: |cx, c| {
        let code = match text_of(&c.data, "investor_credit_code") {
            s if s.is_empty() => text_of(&c.data, "company_credit_code"),
            s => s,
        };
        vec![
            Cell::Text(c.number.clone()),
            Cell::Text(c.created_at.chars().take(10).collect()),
            Cell::Text(text_of(&c.data, "project_name")),
            Cell::Text(text_of(&c.data, "company_name")),
            Cell::Text(code),
            Cell::Text(shown(cx.proc, c, "source")),
            Cell::Text(shown(cx.proc, c, "chain")),
            Cell::Text(shown(cx.proc, c, "segment")),
            Cell::Text(c.unit.clone()),
            Cell::Number(text_of(&c.data, "planned_investment")),
            Cell::Text(c.state_label.clone()),
            Cell::Text(text_of(&c.data, "sign_date")),
            Cell::Number(text_of(&c.data, "agreed_investment")),
            Cell::Number(
                tongxin_domain::attract_checks::funds_in_place(&c.data)
                    .map(|w| w.decimal())
                    .unwrap_or_default(),
            ),
            Cell::Text(text_of(&c.data, "package_leader")),
            Cell::Text(next_due(c)),
            Cell::Flag(c.overdue),
        ]
    },
};

/// What the sheet says about itself.
pub struct LedgerMeta {
    /// 豫海镇, or 全县.
    pub scope: String,
    pub exported_on: String,
    pub exported_by: String,
    pub total: i64,
}

fn number_cell(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Builds the workbook.
pub fn workbook(
    sheet: &Sheet,
    cx: &RowContext<'_>,
    rows: &[CaseSummary],
    meta: &LedgerMeta,
) -> Result<Vec<u8>, XlsxError> {
    let font = "SimSun";
    let title = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let sub = Format::new().set_font_name(font).set_font_size(10);
    let head = Format::new()
        .set_font_name(font)
        .set_bold()
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(0xEEEEEE);
    let cell = Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let red = cell.clone().set_font_color(0xB42318).set_bold();

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet.sheet_name)?;
    let columns: Vec<(&str, f64)> = std::iter::once(("序号", 6.0))
        .chain(sheet.columns.iter().copied())
        .collect();
    let last_col = (columns.len() - 1) as u16;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{}（{}）", sheet.title, meta.scope),
        &title,
    )?;
    ws.set_row_height(0, 30)?;
    let shown = rows.len() as i64;
    let mut line = format!(
        "导出日期：{}    导出人：{}    共{}件",
        meta.exported_on, meta.exported_by, meta.total
    );
    if shown < meta.total {
        line.push_str(&format!(
            "（本表列出前{shown}件，请按乡镇、状态筛选后分别导出）"
        ));
    }
    ws.merge_range(1, 0, 1, last_col, &line, &sub)?;
    for (i, (name, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *name, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_row_height(2, 28)?;
    for (n, c) in rows.iter().enumerate() {
        let r = (n + 3) as u32;
        ws.write_number_with_format(r, 0, (n + 1) as f64, &cell)?;
        for (i, v) in (sheet.row)(cx, c).into_iter().enumerate() {
            let col = (i + 1) as u16;
            match v {
                Cell::Text(t) => ws.write_string_with_format(r, col, t, &cell)?,
                Cell::Number(t) => match number_cell(&t) {
                    Some(x) => ws.write_number_with_format(r, col, x, &cell)?,
                    None => ws.write_string_with_format(r, col, t, &cell)?,
                },
                Cell::Flag(true) => ws.write_string_with_format(r, col, "是", &red)?,
                Cell::Flag(false) => ws.write_string_with_format(r, col, "否", &cell)?,
            };
        }
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_repeat_rows(2, 2)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    wb.save_to_buffer()
}

/// `Content-Disposition` with an ASCII fallback and the Chinese name (RFC 6266 / RFC 5987).
/// A workbook as a download named `ascii` (old clients) and `utf8`; never cached (it holds
/// the day's figures).
pub fn xlsx_response(bytes: Vec<u8>, ascii: &str, utf8: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(ascii, utf8),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub fn content_disposition(ascii: &str, utf8: &str) -> String {
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        segment(utf8)
    )
}

pub async fn export(
    desk: &'static Desk,
    st: AppState,
    actor: Actor,
    q: Option<String>,
) -> Result<Response, PageError> {
    let app = &st.app;
    let proc = app.procedure(desk.procedure)?;
    let filter = Filter::from_query(&query_map(q));
    let (rows, total) = app
        .ledger(&actor, desk.procedure, &filter.query(desk), LEDGER_LIMIT)
        .await?;
    // The township the sheet is for: the one filtered on, else the user's own, else the county.
    let township_of_actor = || {
        app.directory()
            .path(&actor.unit)
            .iter()
            .rev()
            .find(|u| u.is_township_level())
            .map(|u| u.short_name.clone())
    };
    let scope = if !filter.township.is_empty() {
        app.resolve_unit_input("township", &filter.township)
            .map(|u| u.short_name)
            .unwrap_or_else(|_| filter.township.clone())
    } else if matches!(actor.role, Role::Township | Role::Village) {
        township_of_actor().unwrap_or_else(|| "全县".into())
    } else {
        "全县".into()
    };
    let today = app.clock.today();
    let meta = LedgerMeta {
        scope: scope.clone(),
        exported_on: today.format("%Y年%-m月%-d日").to_string(),
        exported_by: actor.display_name.clone(),
        total,
    };
    let sheet = &desk.ledger;
    let corpus = app.corpus();
    let cx = RowContext {
        proc,
        corpus: &corpus,
        today,
    };
    let bytes = workbook(sheet, &cx, &rows, &meta)
        .map_err(|e| PageError::from(AppError::Internal(format!("台账生成失败：{e}"))))?;
    let ascii = format!("{}-{today}.xlsx", sheet.file_stem);
    let utf8 = format!("{}（{scope}）{today}.xlsx", sheet.title);
    Ok(xlsx_response(bytes, &ascii, &utf8))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_download_name_is_ascii_with_the_chinese_name_percent_encoded() {
        let h = super::content_disposition("a.xlsx", "台账（豫海镇）.xlsx");
        assert!(h.is_ascii());
        assert!(h.starts_with("attachment; filename=\"a.xlsx\"; filename*=UTF-8''%E5%8F%B0"));
        assert!(h.ends_with(".xlsx"));
    }
}
