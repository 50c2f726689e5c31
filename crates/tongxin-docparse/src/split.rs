//! Splitting a text into documents (文件) at their 文号 lines, and reading each document's cover
//! letter (印发通知): number, issuers (落款), date (成文日期), public mark (此件公开发布), title.

use chrono::NaiveDate;
use std::str::FromStr;
use tongxin_domain::DocNumber;

use crate::text::{Line, is_han, is_space, lines};

/// A line that is nothing but a 文号 (`同政办规发〔 2023〕 7 号`): its canonical form.
pub(crate) fn number_line(s: &str) -> Option<String> {
    if s.chars().count() > 40 || !s.contains('号') {
        return None;
    }
    let n = DocNumber::from_str(s).ok()?;
    // The prefix must be a bare issuer abbreviation: no punctuation such as 》 or ，.
    if !n.prefix().chars().all(is_han) {
        return None;
    }
    Some(n.to_string())
}

/// Byte ranges of the documents in `text`: each starts at its 文号 line, or at the 印发通知
/// heading just above it (`关于印发“ ”的通知`), and ends where the next begins.
pub(crate) fn split(text: &str) -> Vec<(usize, usize)> {
    let all = lines(text, 0, text.len());
    let mut starts: Vec<usize> = Vec::new();
    for (i, l) in all.iter().enumerate() {
        if number_line(l.text(text)).is_none() {
            continue;
        }
        let mut start = l.start;
        // Up to three lines above: a notice heading 关于印发…的通知 belongs to this document.
        for k in 1..=3usize.min(i) {
            let first = all[i - k];
            if starts.last().is_some_and(|&s| first.start < s) {
                break;
            }
            let joined: String = text[first.start..all[i - 1].end]
                .chars()
                .filter(|c| !is_space(*c))
                .collect();
            if joined.starts_with("关于") && joined.ends_with("通知") {
                start = first.start;
                break;
            }
        }
        starts.push(start);
    }
    if starts.is_empty() {
        return vec![(0, text.len())];
    }
    starts[0] = 0;
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(text.len());
        out.push((s, e));
    }
    out
}

/// `2023年 12月 21日` as a whole line.
pub(crate) fn date_line(s: &str) -> Option<NaiveDate> {
    let t: String = s.chars().filter(|c| !is_space(*c)).collect();
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let all_digits =
        |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !all_digits(y) || !all_digits(m) || !all_digits(d) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// What the cover letter of one document says.
#[derive(Debug, Default)]
pub(crate) struct Cover {
    pub number: Option<(String, Line)>,
    /// Lines of the 印发通知 text, from the addressee to the date (and the public mark).
    pub letter: Vec<Line>,
    pub issuer_lines: Vec<Line>,
    pub date: Option<(NaiveDate, Line)>,
    pub public: Option<Line>,
    /// The 《…》 named in the letter: (title, start, end) byte offsets of the title text.
    pub title: Option<(String, usize, usize)>,
    /// Index into the document's lines where the body starts.
    pub body_from: usize,
}

fn is_public_mark(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !is_space(*c)).collect();
    let inner = t
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    inner == "此件公开发布"
}

/// A signature line (落款): short, no punctuation.
fn is_signature(s: &str) -> bool {
    let n = s.chars().filter(|c| !is_space(*c)).count();
    (2..=24).contains(&n)
        && s.chars()
            .all(|c| is_space(c) || is_han(c) || matches!(c, '（' | '）'))
        && !s.ends_with('）')
}

/// Reads the cover letter from the document's lines.
pub(crate) fn cover(text: &str, ls: &[Line]) -> Cover {
    let mut c = Cover::default();
    let mut from = 0;
    if let Some(i) = ls
        .iter()
        .take(8)
        .position(|l| number_line(l.text(text)).is_some())
    {
        if let Some(n) = number_line(ls[i].text(text)) {
            c.number = Some((n, ls[i]));
        }
        from = i + 1;
    }
    c.body_from = from;
    // The date line closes the letter; it comes before any outline.
    let limit = (from + 40).min(ls.len());
    let Some(di) = (from..limit).find(|&i| date_line(ls[i].text(text)).is_some()) else {
        return c;
    };
    let Some(date) = date_line(ls[di].text(text)) else {
        return c;
    };
    c.date = Some((date, ls[di]));
    let mut si = di;
    while si > from && di - si < 4 && is_signature(ls[si - 1].text(text)) {
        si -= 1;
    }
    c.issuer_lines = ls[si..di].to_vec();
    let mut end = di + 1;
    if let Some(l) = ls.get(end).filter(|l| is_public_mark(l.text(text))) {
        c.public = Some(*l);
        end += 1;
    }
    c.letter = ls[from..end].to_vec();
    c.body_from = end;
    if let (Some(first), Some(last)) = (ls.get(from), ls.get(si.max(from + 1) - 1)) {
        c.title = quoted_title(text, first.start, last.end);
    }
    c
}

/// The first 《…》 in `text[a..b]` (nested 《<…>》 kept), whitespace removed.
pub(crate) fn quoted_title(text: &str, a: usize, b: usize) -> Option<(String, usize, usize)> {
    let seg = &text[a..b];
    let open = seg.find('《')?;
    let inner_start = a + open + '《'.len_utf8();
    let mut depth = 0usize;
    for (i, ch) in text[inner_start..b].char_indices() {
        match ch {
            '《' => depth += 1,
            '》' if depth == 0 => {
                let inner_end = inner_start + i;
                let title: String = text[inner_start..inner_end]
                    .chars()
                    .filter(|c| !is_space(*c))
                    .collect();
                return (!title.is_empty()).then_some((title, inner_start, inner_end));
            }
            '》' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Words a document title ends with (文种).
const TITLE_ENDINGS: [&str; 12] = [
    "办法",
    "方案",
    "制度",
    "规定",
    "细则",
    "意见",
    "规则",
    "计划",
    "要点",
    "（试行）",
    "（暂行）",
    "(试行)",
];

/// A heading title at the top of the body: up to three short lines without sentence
/// punctuation ending in a 文种 word. Returns (title, number of lines).
pub(crate) fn heading(text: &str, ls: &[Line]) -> Option<(String, usize)> {
    let mut joined = String::new();
    for (k, l) in ls.iter().take(3).enumerate() {
        let s = l.text(text);
        if s.chars()
            .any(|c| matches!(c, '。' | '，' | '；' | '：' | '、' | ',' | ';' | ':'))
        {
            return None;
        }
        joined.extend(s.chars().filter(|c| !is_space(*c)));
        if joined.chars().count() > 60 {
            return None;
        }
        if TITLE_ENDINGS.iter().any(|e| joined.ends_with(e)) {
            // A following （试行） line still belongs to the title.
            if let Some(next) = ls.get(k + 1) {
                let n: String = next.text(text).chars().filter(|c| !is_space(*c)).collect();
                if n == "（试行）" || n == "（暂行）" {
                    joined.push_str(&n);
                    return Some((joined, k + 2));
                }
            }
            return Some((joined, k + 1));
        }
    }
    None
}

/// Residue a lost image title leaves (`“ ”`): a line without letters or digits.
pub(crate) fn is_residue(s: &str) -> bool {
    !s.chars().any(|c| is_han(c) || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_line_is_recognised_despite_pdf_spacing() {
        assert_eq!(
            number_line("同政办规发〔 2023〕 7 号").as_deref(),
            Some("同政办规发〔2023〕7号")
        );
        assert_eq!(number_line("地管理的通知》（自然资规〔2021〕2 号）"), None);
        assert_eq!(number_line("（此件公开发布）"), None);
    }

    #[test]
    fn a_notice_heading_above_the_number_starts_the_document() {
        let t = "上文。\n 关于印发 “ ”\n的通知\n\n同党办综〔 2023〕 64 号\n正文";
        let docs = split(t);
        assert_eq!(docs.len(), 1);
        let t2 = format!("同政办发〔2023〕1号\n甲。\n{t}");
        let docs = split(&t2);
        assert_eq!(docs.len(), 2);
        assert!(t2[docs[1].0..].starts_with("关于印发"));
    }

    #[test]
    fn date_lines_need_the_whole_line() {
        assert_eq!(
            date_line("2023年 12月 21日"),
            NaiveDate::from_ymd_opt(2023, 12, 21)
        );
        assert_eq!(date_line("到2023年12月21日前"), None);
    }
}
