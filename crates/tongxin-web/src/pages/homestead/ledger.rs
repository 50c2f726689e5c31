//! 宅基地审批管理台账 (第十二条: 乡镇要建立宅基地用地建房审批管理台账) as an XLSX workbook in
//! the layout a township prints: a title row naming the township, the export date, one row per
//! case, A4 landscape, one page wide, the header repeated on every printed page.
//!
//! The rows are the app layer's [`CaseSummary`]s as given: names and ID numbers arrive already
//! masked for roles that must not see them. The app audits every export.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use tongxin_app::AppError;
use tongxin_app::cases::CaseSummary;
use tongxin_domain::Role;

use super::{Filter, PROCEDURE, query_map, text_of};
use crate::AppState;
use crate::cite::segment;
use crate::error::PageError;
use crate::extract::CurrentUser;

/// Rows exported at most; a larger selection says so on the sheet.
pub const LEDGER_LIMIT: i64 = 10_000;

const COLUMNS: &[(&str, f64)] = &[
    ("序号", 6.0),
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
];

/// What the sheet says about itself.
pub struct LedgerMeta {
    /// 豫海镇, or 全县.
    pub scope: String,
    pub exported_on: String,
    pub exported_by: String,
    pub total: i64,
}

fn label_of(proc: &tongxin_domain::Procedure, field: &str, value: &str) -> String {
    match proc.field(field).map(|f| &f.kind) {
        Some(tongxin_domain::procedure::FieldKind::Choice { options }) => options
            .iter()
            .find(|o| o.value == value)
            .map(|o| o.label.clone())
            .unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

fn number_cell(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Builds the workbook.
pub fn workbook(
    proc: &tongxin_domain::Procedure,
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
    ws.set_name("宅基地审批台账")?;
    let last_col = (COLUMNS.len() - 1) as u16;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("同心县农村宅基地审批台账（{}）", meta.scope),
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
    for (i, (name, width)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *name, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_row_height(2, 28)?;
    for (n, c) in rows.iter().enumerate() {
        let r = (n + 3) as u32;
        let doc = |id: &str| {
            c.documents
                .iter()
                .find(|d| d.document == id)
                .map(|d| d.number.clone())
                .unwrap_or_default()
        };
        let due = c
            .next_deadline
            .as_ref()
            .and_then(|d| d.due_on)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let text = [
            (1, c.number.clone()),
            (2, c.applicant_name.clone()),
            (3, text_of(&c.data, "applicant_id")),
            (4, c.township.clone()),
            (5, c.village.clone()),
            (6, text_of(&c.data, "village_group")),
            (
                7,
                label_of(proc, "land_type", &text_of(&c.data, "land_type")),
            ),
            (10, c.state_label.clone()),
            (11, doc("homestead_approval")),
            (12, doc("rural_planning_permit")),
            (13, doc("acceptance_form")),
            (14, due),
        ];
        ws.write_number_with_format(r, 0, (n + 1) as f64, &cell)?;
        for (col, v) in text {
            ws.write_string_with_format(r, col, v, &cell)?;
        }
        for (col, key) in [(8u16, "area_m2"), (9, "storeys")] {
            let v = text_of(&c.data, key);
            match number_cell(&v) {
                Some(x) => ws.write_number_with_format(r, col, x, &cell)?,
                None => ws.write_string_with_format(r, col, v, &cell)?,
            };
        }
        if c.overdue {
            ws.write_string_with_format(r, 15, "是", &red)?;
        } else {
            ws.write_string_with_format(r, 15, "否", &cell)?;
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
pub fn content_disposition(ascii: &str, utf8: &str) -> String {
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        segment(utf8)
    )
}

pub async fn export(
    State(st): State<AppState>,
    CurrentUser(actor): CurrentUser,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let app = &st.app;
    let proc = app.procedure(PROCEDURE)?;
    let filter = Filter::from_query(&query_map(q));
    let (rows, total) = app
        .ledger(&actor, PROCEDURE, &filter.query(), LEDGER_LIMIT)
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
    let bytes = workbook(proc, &rows, &meta)
        .map_err(|e| PageError::from(AppError::Internal(format!("台账生成失败：{e}"))))?;
    let ascii = format!("homestead-ledger-{today}.xlsx");
    let utf8 = format!("同心县农村宅基地审批台账（{scope}）{today}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(&ascii, &utf8),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
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
