//! 表格: the spreadsheets departments upload — XLSX (the first worksheet), or CSV in UTF-8 or
//! in GBK as Excel saves it on a Chinese Windows — read as rows of text cells, each with its
//! row number in the file, so a report can say “第7行”.
//!
//! Cells are text as the department would read them: a whole number without `.0`, a date cell
//! as `2023-11-30`. Blank rows are skipped. The header row is found by its names: a column is
//! looked up by any of its accepted headers (`月份`, `填报期`, `期间`), ignoring spaces and a
//! trailing unit in brackets (`数值（μg/m³）`).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// Largest spreadsheet accepted (10 years of monthly revenue for 1,000 enterprises is ~6 MB).
pub const SHEET_MAX_BYTES: usize = 16 * 1024 * 1024;
/// Most rows read from one file.
pub const SHEET_MAX_ROWS: usize = 200_000;

/// One row: its number in the file (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub line: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell in column `i`, trimmed; empty when the row is shorter.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(|c| c.trim()).unwrap_or_default()
    }
}

/// Why a file could not be read at all (each message names the file's problem in Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError(pub String);

/// Reads an uploaded file by its name's extension (`.xlsx` or `.csv`).
pub fn read_sheet(filename: &str, bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError("文件是空的".into()));
    }
    if bytes.len() > SHEET_MAX_BYTES {
        return Err(SheetError(format!(
            "文件过大（{}MB），不能超过{}MB",
            bytes.len().div_ceil(1024 * 1024),
            SHEET_MAX_BYTES / (1024 * 1024)
        )));
    }
    let lower = filename.to_lowercase();
    let rows = if lower.ends_with(".xlsx") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else if lower.ends_with(".xls") {
        return Err(SheetError(
            "不支持旧版Excel（.xls）文件，请在Excel中“另存为”.xlsx后再导入".into(),
        ));
    } else {
        return Err(SheetError("只能导入.xlsx或.csv文件".into()));
    };
    if rows.len() > SHEET_MAX_ROWS {
        return Err(SheetError(format!(
            "文件有{}行，一次最多导入{SHEET_MAX_ROWS}行，请分批导入",
            rows.len()
        )));
    }
    Ok(rows)
}

fn keep(line: usize, cells: Vec<String>, out: &mut Vec<SheetRow>) {
    if cells.iter().any(|c| !c.trim().is_empty()) {
        out.push(SheetRow { line, cells });
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(SheetError(
                    "文件编码无法识别，请以UTF-8或GBK编码保存CSV".into(),
                ));
            }
            t
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // The row number is counted from the record's byte offset: the reader's own line count
    // skips blank lines.
    let (mut out, mut counted, mut line) = (Vec::new(), 0usize, 1usize);
    let mut line_at = |byte: usize| {
        // A record's offset may be that of the blank lines before it.
        let bytes = text.as_bytes();
        let mut upto = byte.min(text.len());
        while matches!(bytes.get(upto), Some(b'\n' | b'\r')) {
            upto += 1;
        }
        line += bytes[counted..upto].iter().filter(|b| **b == b'\n').count();
        counted = upto;
        line
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e.position().map(|p| p.byte() as usize).unwrap_or(0);
            SheetError(format!("第{}行不是有效的CSV：{e}", line_at(at)))
        })?;
        let at = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        keep(
            line_at(at),
            record.iter().map(str::to_owned).collect(),
            &mut out,
        );
    }
    Ok(out)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| SheetError("不是有效的.xlsx文件（文件可能已损坏）".into()))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(SheetError("工作簿中没有工作表".into()));
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| SheetError(format!("无法读取工作表“{name}”：{e}")))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        keep(first_row + i + 1, cells, &mut out);
    }
    Ok(out)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => float_text(dt.as_f64()),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A float as a person would type it: `34`, `33.4` (shortest form that reads back the same).
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Normalises a header for comparison: spaces removed, a trailing unit in brackets dropped.
fn header_key(h: &str) -> String {
    let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    let cut = h.find(['（', '(']).filter(|i| *i > 0).unwrap_or(h.len());
    h[..cut].to_owned()
}

/// The header row's columns: for each wanted field, the index of the first column whose header
/// is one of its names.
#[derive(Debug, Clone)]
pub struct Columns {
    found: Vec<Option<usize>>,
}

impl Columns {
    /// Finds the fields in `header`; `fields` lists each field's accepted names.
    pub fn find(header: &SheetRow, fields: &[&[&str]]) -> Columns {
        let keys: Vec<String> = header.cells.iter().map(|c| header_key(c)).collect();
        Columns {
            found: fields
                .iter()
                .map(|names| keys.iter().position(|k| names.iter().any(|n| *n == k)))
                .collect(),
        }
    }

    /// Field `i`'s column, when the header has it.
    pub fn get(&self, i: usize) -> Option<usize> {
        self.found.get(i).copied().flatten()
    }

    /// The cell of field `i` in `row`; empty when the header lacks it.
    pub fn cell<'r>(&self, row: &'r SheetRow, i: usize) -> &'r str {
        self.get(i).map(|c| row.cell(c)).unwrap_or_default()
    }
}

/// Finds the header row among the first few: the first row with every required field; the
/// rows after it are the data. Refused, naming the headers to use, when none has them.
pub fn header<'a>(
    rows: &'a [SheetRow],
    fields: &[&[&str]],
    required: &[usize],
) -> Result<(Columns, &'a [SheetRow]), SheetError> {
    for (i, row) in rows.iter().enumerate().take(10) {
        let cols = Columns::find(row, fields);
        if required.iter().all(|f| cols.get(*f).is_some()) {
            return Ok((cols, &rows[i + 1..]));
        }
    }
    let names: Vec<String> = required
        .iter()
        .filter_map(|f| fields.get(*f))
        .map(|names| format!("“{}”", names.join("”或“")))
        .collect();
    Err(SheetError(format!(
        "找不到表头：前10行中须有一行列名包含{}",
        names.join("、")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[SheetRow]) -> Vec<(usize, Vec<&str>)> {
        rows.iter()
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn csv_in_utf8_with_bom_and_quotes() {
        let data = "\u{feff}月份,数值,说明\n2023-11,33.5,\"含, 逗号\"\n\n2023-12,31,\n";
        let rows = read_sheet("pm25.csv", data.as_bytes()).unwrap();
        assert_eq!(
            texts(&rows),
            vec![
                (1, vec!["月份", "数值", "说明"]),
                (2, vec!["2023-11", "33.5", "含, 逗号"]),
                (4, vec!["2023-12", "31", ""]),
            ]
        );
    }

    #[test]
    fn csv_in_gbk_as_excel_saves_it() {
        let (gbk, _, _) = encoding_rs::GBK.encode("月份,数值\n2023年11月,33\n");
        let rows = read_sheet("PM25.CSV", &gbk).unwrap();
        assert_eq!(
            texts(&rows),
            vec![(1, vec!["月份", "数值"]), (2, vec!["2023年11月", "33"])]
        );
    }

    #[test]
    fn xlsx_numbers_and_dates_read_as_typed() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(0, 0, "月份").unwrap();
        sheet.write_string(0, 1, "数值（μg/m³）").unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 11, 30).unwrap();
        sheet.write_datetime_with_format(1, 0, &d, &fmt).unwrap();
        sheet.write_number(1, 1, 33.4).unwrap();
        sheet.write_string(3, 0, "2023-12").unwrap();
        sheet.write_number(3, 1, 31.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let rows = read_sheet("a.xlsx", &bytes).unwrap();
        assert_eq!(
            texts(&rows),
            vec![
                (1, vec!["月份", "数值（μg/m³）"]),
                (2, vec!["2023-11-30", "33.4"]),
                (4, vec!["2023-12", "31"]),
            ]
        );
        let (cols, data) = header(&rows, &[&["月份"], &["数值"]], &[0, 1]).unwrap();
        assert_eq!(
            (cols.get(0), cols.get(1), data.len()),
            (Some(0), Some(1), 2)
        );
    }

    #[test]
    fn unreadable_files_are_refused_with_the_reason() {
        let cases: [(&str, &[u8], &str); 5] = [
            ("a.csv", b"", "空"),
            ("a.xls", b"x", ".xls"),
            ("a.pdf", b"x", ".xlsx或.csv"),
            ("a.xlsx", b"not a zip", "不是有效的.xlsx"),
            ("a.csv", b"\xff\xfe\xfd", "编码"),
        ];
        for (name, bytes, want) in cases {
            let e = read_sheet(name, bytes).unwrap_err();
            assert!(e.0.contains(want), "{name}: {}", e.0);
        }
    }

    #[test]
    fn header_is_found_below_a_title_and_named_when_missing() {
        let rows = read_sheet(
            "a.csv",
            "同心县PM2.5月报\n 月 份 ,数值(μg/m³),备注\n2023-11,33,\n".as_bytes(),
        )
        .unwrap();
        let fields: [&[&str]; 3] = [&["月份", "填报期"], &["数值"], &["说明", "备注"]];
        let (cols, data) = header(&rows, &fields, &[0, 1]).unwrap();
        assert_eq!(
            (cols.get(0), cols.get(1), cols.get(2)),
            (Some(0), Some(1), Some(2))
        );
        assert_eq!(data[0].line, 3);
        assert_eq!(cols.cell(&data[0], 1), "33");
        let e = header(&rows, &[&["企业名称"], &["税额"]], &[0, 1]).unwrap_err();
        assert!(
            e.0.contains("“企业名称”") && e.0.contains("“税额”"),
            "{}",
            e.0
        );
    }
}
