//! Text helpers shared by the scanners: lines with byte offsets, whitespace-free views that map
//! back to the input, Chinese numerals (中文数字) and display widths.

use crate::model::Span;

/// Whitespace as PDF extraction leaves it: ASCII, the ideographic space (全角空格), BOM.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

/// One non-empty line of the input, trimmed: `[start, end)` byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
}

impl Line {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The non-empty lines of `text[from..to]`, trimmed, with offsets into `text`.
pub(crate) fn lines(text: &str, from: usize, to: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut pos = from;
    for raw in text[from..to].split('\n') {
        let start = pos;
        let end = pos + raw.len();
        pos = end + 1;
        let trimmed_start = raw.len() - raw.trim_start_matches(is_space).len();
        let trimmed = raw.trim_matches(is_space);
        if !trimmed.is_empty() {
            let s = start + trimmed_start;
            out.push(Line {
                start: s,
                end: s + trimmed.len(),
            });
        }
        debug_assert!(end <= to);
    }
    out
}

/// A view of part of the input with all whitespace removed; every byte remembers where it came
/// from, so matches found in the view map back to spans of the input.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clean {
    pub s: String,
    orig: Vec<usize>,
}

impl Clean {
    pub fn new(text: &str, start: usize, end: usize) -> Self {
        Self::from_ranges(text, &[(start, end)])
    }

    /// Several ranges of the input, one after the other.
    pub fn from_ranges(text: &str, ranges: &[(usize, usize)]) -> Self {
        let total: usize = ranges.iter().map(|r| r.1.saturating_sub(r.0)).sum();
        let mut s = String::with_capacity(total);
        let mut orig = Vec::with_capacity(total);
        for &(start, end) in ranges {
            for (i, c) in text[start..end].char_indices() {
                if is_space(c) {
                    continue;
                }
                let at = start + i;
                for k in 0..c.len_utf8() {
                    orig.push(at + k);
                }
                s.push(c);
            }
        }
        Clean { s, orig }
    }

    /// The input span of the view's bytes `[a, b)` (both on char boundaries of the view).
    pub fn span(&self, a: usize, b: usize) -> Span {
        if a >= b || b > self.orig.len() {
            let at = self.orig.get(a).copied().unwrap_or(0);
            return Span { start: at, end: at };
        }
        Span {
            start: self.orig[a],
            end: self.orig[b - 1] + 1,
        }
    }
}

/// Joins the content of lines: PDF line breaks inside a sentence disappear, stray spaces between
/// Chinese characters go, a space between two ASCII words stays, and a line ending a sentence
/// keeps its break. Wording and typos are kept.
pub(crate) fn join(text: &str, pieces: &[(usize, usize)]) -> String {
    let mut out = String::new();
    for &(a, b) in pieces {
        let piece = &text[a..b];
        if piece.trim_matches(is_space).is_empty() {
            continue;
        }
        if let Some(last) = out.chars().last()
            && matches!(last, '。' | '；' | '：' | '！' | '？' | ';' | ':')
        {
            out.push('\n');
        }
        let mut pending_space = false;
        for c in piece.chars() {
            if is_space(c) {
                pending_space = true;
                continue;
            }
            if pending_space
                && out
                    .chars()
                    .last()
                    .is_some_and(|p| p.is_ascii_alphanumeric())
                && c.is_ascii_alphanumeric()
            {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Display width: 2 for CJK and full-width characters, 1 for ASCII.
pub(crate) fn width(s: &str) -> usize {
    s.chars()
        .filter(|c| !is_space(*c))
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

/// A Chinese numeral digit (一 … 九, 两, 零/〇) or an ASCII digit.
pub(crate) fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        c if c.is_ascii_digit() => c as u32 - '0' as u32,
        _ => return None,
    })
}

/// Characters that can be part of a numeral (十, 百, 千, 廿 as well as digits).
pub(crate) fn is_numeral_char(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '廿')
}

/// The value of a numeral as written: `21`, `二十一`, `十`, `两`, `廿三`, `一百零五`.
pub(crate) fn cn_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut total: u64 = 0;
    let mut cur: u64 = 0;
    let mut after_digit = false;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '廿' => {
                total += 20;
                cur = 0;
                after_digit = false;
                continue;
            }
            c => {
                let d = u64::from(cn_digit(c)?);
                cur = if after_digit { cur * 10 + d } else { d };
                after_digit = true;
                if cur > 1_000_000 {
                    return None;
                }
                continue;
            }
        };
        total += if cur == 0 { 1 } else { cur } * unit;
        cur = 0;
        after_digit = false;
    }
    u32::try_from(total + cur).ok()
}

/// Is `c` a Chinese character (CJK unified ideograph)?
pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_read_as_officials_write_them() {
        for (s, n) in [
            ("十", 10),
            ("二十", 20),
            ("二十一", 21),
            ("十七", 17),
            ("三", 3),
            ("两", 2),
            ("三十二", 32),
            ("一百零五", 105),
            ("廿三", 23),
            ("270", 270),
        ] {
            assert_eq!(cn_number(s), Some(n), "{s}");
        }
        assert_eq!(cn_number("条"), None);
        assert_eq!(cn_number(""), None);
    }

    #[test]
    fn joining_lines_drops_pdf_breaks_and_stray_spaces() {
        let t = "为深入贯彻落实 自治区\n 第十三次党代会。\nPM2.5 PM10";
        let ls = lines(t, 0, t.len());
        let pieces: Vec<_> = ls.iter().map(|l| (l.start, l.end)).collect();
        assert_eq!(
            join(t, &pieces),
            "为深入贯彻落实自治区第十三次党代会。\nPM2.5 PM10"
        );
    }

    #[test]
    fn clean_views_map_back_to_the_input() {
        let t = "时间：2024年 2月\n 23日";
        let c = Clean::new(t, 0, t.len());
        assert_eq!(c.s, "时间：2024年2月23日");
        let a = c.s.find("2月").unwrap();
        let sp = c.span(a, c.s.len());
        assert_eq!(&t[sp.start..sp.end], "2月\n 23日");
    }
}
