//! Workbooks for export: a sheet per table, a bold bordered header, a note under the table,
//! in 宋体 as county offices print.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

pub struct Book {
    wb: Workbook,
    head: Format,
    cell: Format,
}

impl Default for Book {
    fn default() -> Self {
        Self::new()
    }
}

impl Book {
    pub fn new() -> Book {
        let font = "SimSun";
        Book {
            wb: Workbook::new(),
            head: Format::new()
                .set_font_name(font)
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_background_color(0xEEEEEE),
            cell: Format::new()
                .set_font_name(font)
                .set_text_wrap()
                .set_border(FormatBorder::Thin),
        }
    }

    /// A sheet named `name` with the columns (header, width), the rows, and a note below.
    pub fn table(
        &mut self,
        name: &str,
        columns: &[(&str, f64)],
        rows: Vec<Vec<String>>,
        note: &str,
    ) -> Result<(), XlsxError> {
        let ws = self.wb.add_worksheet();
        ws.set_name(name)?;
        for (i, (h, w)) in columns.iter().enumerate() {
            let c = u16::try_from(i).unwrap_or(0);
            ws.set_column_width(c, *w)?;
            ws.write_with_format(0, c, *h, &self.head)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (j, v) in row.iter().enumerate() {
                ws.write_with_format(r, u16::try_from(j).unwrap_or(0), v, &self.cell)?;
            }
        }
        let last = u32::try_from(rows.len() + 2).unwrap_or(u32::MAX);
        ws.write(last, 0, note)?;
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.wb.save_to_buffer()
    }
}
