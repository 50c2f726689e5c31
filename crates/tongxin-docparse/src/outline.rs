//! The outline (层次结构) of a document body: 第X章 / 第X条 / （一） / 1． for 办法 and 制度,
//! 一、 / （一） / 1. / （1） for 方案. Labels are recognised at line starts and accepted only
//! when their numbering fits (a sibling continues its predecessor, a first child starts at 1), so
//! a wrapped line that happens to begin with `2.` stays text.

use std::collections::HashMap;

use crate::text::{Line, cn_number, is_han, is_numeral_char, is_space, join, width};

/// The kind of an outline label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Style {
    /// 第X章
    Chapter,
    /// 第X条
    Article,
    /// 一、
    Top,
    /// （一）
    ParenCn,
    /// 1. / 1．
    Arabic,
    /// （1）
    ParenArabic,
    /// 附件：
    Attachment,
}

/// Whether the body is laid out in articles (办法/制度) or in sections (方案).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Articles,
    Sections,
}

fn rank(mode: Mode, style: Style) -> Option<u8> {
    match (mode, style) {
        (_, Style::Attachment) => Some(0),
        (Mode::Articles, Style::Chapter) => Some(1),
        (Mode::Articles, Style::Article) => Some(2),
        (Mode::Articles, Style::ParenCn) => Some(3),
        (Mode::Articles, Style::Arabic) => Some(4),
        (Mode::Articles, Style::ParenArabic) => Some(5),
        (Mode::Sections, Style::Top) => Some(1),
        (Mode::Sections, Style::ParenCn) => Some(2),
        (Mode::Sections, Style::Arabic) => Some(3),
        (Mode::Sections, Style::ParenArabic) => Some(4),
        _ => None,
    }
}

/// A label found at the start of a line.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub style: Style,
    pub n: u32,
    /// Index into the body lines.
    pub line: usize,
    pub start: usize,
    pub label_end: usize,
    /// As printed (`第九条`, `（一）`, `1．`).
    pub label: String,
    /// Followed by a space or the end of the line (how real article labels are set).
    pub spaced: bool,
    /// Not printed: inferred from an orphan heading (D3's missing 二、).
    pub synthetic: bool,
    /// A digit follows the label (`2.2024年新年音乐会`): only a sibling continuing its
    /// predecessor may be such a label, never a first child.
    pub digit_follows: bool,
}

/// Recognises a label at the start of `line`.
pub(crate) fn recognise(text: &str, line: Line, idx: usize) -> Option<Candidate> {
    let s = line.text(text);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let byte = |k: usize| chars.get(k).map_or(s.len(), |&(b, _)| b);
    let numeral_run = |from: usize, pred: &dyn Fn(char) -> bool| {
        let mut k = from;
        while k < chars.len() && pred(chars[k].1) && k - from < 6 {
            k += 1;
        }
        k
    };
    let make = |style, n, end_k: usize, label: String| {
        let next = at(end_k);
        Some(Candidate {
            style,
            n,
            line: idx,
            start: line.start,
            label_end: line.start + byte(end_k),
            label,
            spaced: next.is_none_or(is_space),
            synthetic: false,
            digit_follows: next.is_some_and(|c| c.is_ascii_digit()),
        })
    };
    let first = at(0)?;
    let is_cn = |c: char| is_numeral_char(c) && !c.is_ascii_digit();
    if first == '第' {
        let k = numeral_run(1, &is_cn);
        if k > 1 {
            let n = cn_number(&s[byte(1)..byte(k)])?;
            let style = match at(k)? {
                '章' => Style::Chapter,
                '条' => Style::Article,
                _ => return None,
            };
            return make(style, n, k + 1, s[..byte(k + 1)].to_owned());
        }
        return None;
    }
    if first == '（' || first == '(' {
        let k = numeral_run(1, &|c| is_numeral_char(c));
        if k > 1 && matches!(at(k), Some('）' | ')')) {
            let digits = &s[byte(1)..byte(k)];
            let n = cn_number(digits)?;
            let ascii = digits.bytes().all(|b| b.is_ascii_digit());
            let style = if ascii {
                Style::ParenArabic
            } else {
                Style::ParenCn
            };
            if !ascii && !digits.chars().all(is_cn) {
                return None;
            }
            return make(style, n, k + 1, format!("（{digits}）"));
        }
        return None;
    }
    if first.is_ascii_digit() {
        let k = numeral_run(0, &|c| c.is_ascii_digit());
        if k > 3 {
            return None;
        }
        let n = cn_number(&s[..byte(k)])?;
        match (at(k), at(k + 1)) {
            (Some('.' | '．' | '、'), _) => {
                return make(Style::Arabic, n, k + 1, s[..byte(k + 1)].to_owned());
            }
            _ => return None,
        }
    }
    if is_cn(first) {
        let k = numeral_run(0, &is_cn);
        if at(k) == Some('、') {
            let n = cn_number(&s[..byte(k)])?;
            return make(Style::Top, n, k + 1, s[..byte(k + 1)].to_owned());
        }
        return None;
    }
    if s.starts_with("附件") {
        let k = 2;
        return match at(k) {
            Some('：' | ':') => make(Style::Attachment, 1, k + 1, "附件".to_owned()),
            None => make(Style::Attachment, 1, k, "附件".to_owned()),
            _ => None,
        };
    }
    None
}

/// One accepted outline node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub style: Style,
    pub n: u32,
    pub id: String,
    pub label: String,
    pub parent: Option<usize>,
    pub depth: usize,
    pub start: usize,
    pub line: usize,
    pub title: String,
    /// Where the node's text starts (after its label and title).
    pub text_start: usize,
    /// End of the node's own text (the next label).
    pub own_end: usize,
    /// End of the node with its descendants.
    pub extent_end: usize,
    pub text: String,
    /// End of the text span.
    pub text_end: usize,
    /// Text of this node that follows its last child (an article's closing paragraph after its
    /// items), scanned with the node's own text.
    pub tail: Option<(usize, usize)>,
    /// The title was a short line ending in 。 (`1.重点街道。`).
    pub stop_title: bool,
}

/// A numbering problem found while building the outline.
#[derive(Debug, Clone)]
pub(crate) struct NumberingIssue {
    pub kind: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// The outline of a body.
#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub nodes: Vec<Node>,
    pub issues: Vec<NumberingIssue>,
}

const NUMERALS: [&str; 11] = [
    "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
];

fn cn_label(n: u32) -> String {
    match n {
        0 => String::new(),
        1..=10 => NUMERALS[n as usize].to_owned(),
        11..=19 => format!("十{}", NUMERALS[(n - 10) as usize]),
        20..=99 => format!(
            "{}十{}",
            NUMERALS[(n / 10) as usize],
            NUMERALS[(n % 10) as usize]
        ),
        _ => n.to_string(),
    }
}

/// An orphan heading: a short line of Chinese characters alone after a finished sentence.
fn is_orphan_heading(text: &str, ls: &[Line], j: usize) -> bool {
    let s = ls[j].text(text);
    let n = s.chars().filter(|c| !is_space(*c)).count();
    (2..=12).contains(&n)
        && s.chars().all(|c| is_han(c) || is_space(c))
        && j > 0
        && ls[j - 1].text(text).ends_with(['。', '：'])
}

/// Picks the body's layout: articles when it has at least two article labels.
pub(crate) fn mode(cands: &[Candidate]) -> Mode {
    let articles = cands.iter().filter(|c| c.style == Style::Article).count();
    if articles >= 2 {
        Mode::Articles
    } else {
        Mode::Sections
    }
}

/// Builds the outline of the body lines `ls` (which end at `body_end`).
pub(crate) fn build(text: &str, ls: &[Line], body_end: usize) -> (Mode, Outline) {
    let mut cands: Vec<Candidate> = ls
        .iter()
        .enumerate()
        .filter_map(|(i, l)| recognise(text, *l, i))
        .collect();
    let mode = mode(&cands);
    if mode == Mode::Sections {
        infer_missing_tops(text, ls, &mut cands);
    }
    let mut out = Outline::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut ranks: Vec<u8> = Vec::new();
    let mut last_global: HashMap<Style, u32> = HashMap::new();
    let mut seen_articles: HashMap<u32, u32> = HashMap::new();
    for c in cands {
        let Some(r) = rank(mode, c.style) else {
            continue;
        };
        let mut keep = stack.len();
        while keep > 0 && ranks[stack[keep - 1]] >= r {
            keep -= 1;
        }
        let sibling = stack.get(keep).copied().filter(|&i| ranks[i] == r);
        let last = last_global.get(&c.style).copied().unwrap_or(0);
        let mut issue: Option<(&'static str, String)> = None;
        let accept = match c.style {
            Style::Chapter | Style::Article => {
                if c.n == last + 1 {
                    true
                } else if c.spaced && c.n > 0 && c.n <= last + 5 {
                    let what = if c.style == Style::Article {
                        "条"
                    } else {
                        "章"
                    };
                    issue = Some(if c.n <= last {
                        (
                            "duplicate_number",
                            format!(
                                "{}重复编号（前一{what}为第{}{what}）",
                                c.label,
                                cn_label(last)
                            ),
                        )
                    } else {
                        (
                            "skipped_number",
                            format!("{}之前缺第{}{what}", c.label, cn_label(last + 1)),
                        )
                    });
                    true
                } else {
                    false
                }
            }
            Style::Attachment => true,
            _ => match sibling {
                Some(s) => {
                    let prev = out.nodes[s].n;
                    if c.n == prev + 1 {
                        true
                    } else if matches!(c.style, Style::Top | Style::ParenCn)
                        && c.n > prev + 1
                        && c.n <= prev + 3
                    {
                        issue = Some((
                            "skipped_number",
                            format!("{}之前缺少编号（前一项为第{}项）", c.label, prev),
                        ));
                        true
                    } else {
                        false
                    }
                }
                None => !c.digit_follows && (c.n == 1 || (last > 0 && c.n == last + 1)),
            },
        };
        if !accept {
            continue;
        }
        stack.truncate(keep);
        let parent = stack.last().copied();
        let depth = stack.len();
        let newest = match c.style {
            Style::Chapter | Style::Article => c.n.max(last),
            _ => c.n,
        };
        last_global.insert(c.style, newest);
        let mut id = match c.style {
            Style::Chapter | Style::Article | Style::Attachment => c.label.clone(),
            _ => {
                let part = c.label.trim_end_matches('．').to_owned();
                match parent {
                    Some(p) if out.nodes[p].style != Style::Chapter => {
                        format!("{}{}", out.nodes[p].id, part)
                    }
                    _ => part,
                }
            }
        };
        if c.style == Style::Article {
            let k = seen_articles.entry(c.n).or_insert(0);
            *k += 1;
            if *k > 1 {
                id = format!("{}之{}", c.label, cn_label(*k));
            }
        }
        if let Some((kind, message)) = issue {
            out.issues.push(NumberingIssue {
                kind,
                message,
                start: c.start,
                end: c.label_end.max(c.start),
            });
        }
        let idx = out.nodes.len();
        out.nodes.push(Node {
            style: c.style,
            n: c.n,
            id,
            label: c.label.clone(),
            parent,
            depth,
            start: c.start,
            line: c.line,
            title: String::new(),
            text_start: c.label_end,
            own_end: body_end,
            extent_end: body_end,
            text: String::new(),
            text_end: c.label_end,
            tail: None,
            stop_title: false,
        });
        ranks.push(r);
        stack.push(idx);
        let _ = c.synthetic;
    }
    // Own and extent ends.
    let n = out.nodes.len();
    for i in 0..n {
        if i + 1 < n {
            out.nodes[i].own_end = out.nodes[i + 1].start;
        }
        let d = out.nodes[i].depth;
        if let Some(j) = (i + 1..n).find(|&j| out.nodes[j].depth <= d) {
            out.nodes[i].extent_end = out.nodes[j].start;
        }
    }
    if mode == Mode::Articles {
        end_last_items(text, ls, &mut out.nodes);
    }
    let typical = typical_width(text, ls);
    for i in 0..n {
        titles(text, ls, mode, typical, &mut out.nodes, i);
        let node = &out.nodes[i];
        let end = if mode == Mode::Articles
            && !matches!(node.style, Style::Chapter | Style::Attachment)
        {
            node.extent_end
        } else {
            node.own_end
        };
        let pieces = pieces(ls, node.text_start, end);
        let text_end = pieces.last().map_or(node.text_start, |p| p.1);
        let t = join(text, &pieces);
        let node = &mut out.nodes[i];
        node.text = t;
        node.text_end = text_end;
    }
    (mode, out)
}

/// In a list of items ending in `；`, the last item ends with the first line that ends in `。`:
/// what follows is the article's own closing paragraph (D4 第十五条, D5 第二十二条).
fn end_last_items(text: &str, ls: &[Line], nodes: &mut [Node]) {
    for i in 1..nodes.len() {
        let node = &nodes[i];
        if !matches!(
            node.style,
            Style::ParenCn | Style::Arabic | Style::ParenArabic
        ) {
            continue;
        }
        let next_is_sibling = nodes.get(i + 1).is_some_and(|n| n.depth >= node.depth);
        let prev = &nodes[i - 1];
        if next_is_sibling || prev.depth != node.depth || prev.parent != node.parent {
            continue;
        }
        let prev_text: String = text[prev.text_start..prev.own_end.max(prev.text_start)]
            .chars()
            .filter(|c| !is_space(*c))
            .collect();
        if !prev_text.ends_with(['；', ';']) {
            continue;
        }
        let (start, end) = (node.text_start, node.own_end);
        let first = ls.partition_point(|l| l.end <= start);
        let cut = ls[first..]
            .iter()
            .take_while(|l| l.start < end)
            .find(|l| text[l.start..l.end].ends_with('。'))
            .map(|l| l.end);
        if let Some(cut) = cut
            && cut < end
        {
            nodes[i].own_end = cut;
            nodes[i].extent_end = cut;
            if let Some(p) = nodes[i].parent {
                nodes[p].tail = Some((cut, end));
            }
        }
    }
}

/// The parts of lines within `[a, b)`.
pub(crate) fn pieces(ls: &[Line], a: usize, b: usize) -> Vec<(usize, usize)> {
    let first = ls.partition_point(|l| l.end <= a);
    let mut out = Vec::new();
    for l in &ls[first..] {
        if l.start >= b {
            break;
        }
        let s = l.start.max(a);
        let e = l.end.min(b);
        if s < e {
            out.push((s, e));
        }
    }
    out
}

/// The width of a full line of the body's column (the 70th percentile of line widths).
fn typical_width(text: &str, ls: &[Line]) -> usize {
    let mut ws: Vec<usize> = ls
        .iter()
        .map(|l| width(l.text(text)))
        .filter(|&w| w >= 10)
        .collect();
    if ws.is_empty() {
        return 0;
    }
    ws.sort_unstable();
    ws[(ws.len() * 7 / 10).min(ws.len() - 1)]
}

/// Finds the heading of a 章 or a 方案 section: a short line (or a wrapped one) without
/// sentence punctuation right after the label. A subtitle ending in 。 stays text.
fn titles(text: &str, ls: &[Line], mode: Mode, typical: usize, nodes: &mut [Node], i: usize) {
    let node = &nodes[i];
    let line = ls[node.line];
    let synthetic = node.text_start == node.start;
    match node.style {
        Style::Chapter => {
            let t: String = text[node.text_start..line.end]
                .chars()
                .filter(|c| !is_space(*c))
                .collect();
            nodes[i].title = t;
            nodes[i].text_start = line.end;
            return;
        }
        Style::Article | Style::Attachment => return,
        _ if mode == Mode::Articles => return,
        _ => {}
    }
    if synthetic {
        nodes[i].title = line.text(text).chars().filter(|c| !is_space(*c)).collect();
        nodes[i].text_start = line.end;
        return;
    }
    let own_end = node.own_end;
    let mut acc = String::new();
    let mut k = node.line;
    while k < ls.len() && k < node.line + 3 && ls[k].start < own_end {
        let from = if k == node.line {
            node.text_start
        } else {
            ls[k].start
        };
        let seg = &text[from.min(ls[k].end)..ls[k].end];
        acc.extend(seg.chars().filter(|c| !is_space(*c)));
        // `1.重点街道。` alone on its line: a heading with a stop (a longer sentence stays text).
        let has_children = nodes.get(i + 1).is_some_and(|n| n.depth > node.depth);
        let sibling_did = (0..i)
            .rev()
            .find(|&j| nodes[j].depth <= node.depth)
            .is_some_and(|j| nodes[j].depth == node.depth && nodes[j].stop_title);
        if k == node.line
            && (has_children || sibling_did)
            && let Some(head) = acc.strip_suffix('。')
            && (2..=6).contains(&head.chars().count())
            && head.chars().all(is_han)
        {
            nodes[i].title = head.to_owned();
            nodes[i].text_start = ls[k].end;
            nodes[i].stop_title = true;
            return;
        }
        if acc
            .chars()
            .any(|c| matches!(c, '。' | '；' | '！' | '？' | '：' | ';' | ':'))
        {
            return;
        }
        let last_own = ls.get(k + 1).is_none_or(|n| n.start >= own_end);
        let short = width(ls[k].text(text)) * 4 < typical * 3;
        if last_own || short {
            if !acc.is_empty() && acc.chars().count() <= 40 {
                nodes[i].title = acc;
                nodes[i].text_start = ls[k].end;
            }
            return;
        }
        k += 1;
    }
}

/// D3 prints its second part without 二、: when the section numbers jump by one, a lone short
/// heading between them stands for the missing label.
fn infer_missing_tops(text: &str, ls: &[Line], cands: &mut Vec<Candidate>) {
    let tops: Vec<(usize, u32)> = cands
        .iter()
        .filter(|c| c.style == Style::Top)
        .map(|c| (c.line, c.n))
        .collect();
    let mut last = 0u32;
    let mut last_line = 0usize;
    let mut extra = Vec::new();
    for (line, n) in tops {
        if n == last + 2 && last > 0 {
            let taken: Vec<usize> = cands.iter().map(|c| c.line).collect();
            if let Some(j) = (last_line + 1..line)
                .find(|&j| !taken.contains(&j) && is_orphan_heading(text, ls, j))
            {
                extra.push(Candidate {
                    style: Style::Top,
                    n: n - 1,
                    line: j,
                    start: ls[j].start,
                    label_end: ls[j].start,
                    label: format!("{}、", cn_label(n - 1)),
                    spaced: false,
                    synthetic: true,
                    digit_follows: false,
                });
            }
        }
        if n == last + 1 || n == last + 2 {
            last = n;
            last_line = line;
        }
    }
    if !extra.is_empty() {
        cands.extend(extra);
        cands.sort_by_key(|c| c.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(s: &str) -> Option<(Style, u32, String)> {
        recognise(
            s,
            Line {
                start: 0,
                end: s.len(),
            },
            0,
        )
        .map(|c| (c.style, c.n, c.label))
    }

    #[test]
    fn labels_are_recognised_in_every_style() {
        assert_eq!(
            cand("第二十一条 社会投资"),
            Some((Style::Article, 21, "第二十一条".into()))
        );
        assert_eq!(
            cand("第一章 总 则"),
            Some((Style::Chapter, 1, "第一章".into()))
        );
        assert_eq!(cand("三、工作内容"), Some((Style::Top, 3, "三、".into())));
        assert_eq!(
            cand("（十）强化"),
            Some((Style::ParenCn, 10, "（十）".into()))
        );
        assert_eq!(cand("(二)强化"), Some((Style::ParenCn, 2, "（二）".into())));
        assert_eq!(cand("12.冷凉"), Some((Style::Arabic, 12, "12.".into())));
        assert_eq!(cand("1．申请人"), Some((Style::Arabic, 1, "1．".into())));
        assert_eq!(
            cand("（3）方棋"),
            Some((Style::ParenArabic, 3, "（3）".into()))
        );
        assert_eq!(cand("附件：流程图").map(|c| c.0), Some(Style::Attachment));
    }

    #[test]
    fn a_date_at_a_line_start_is_at_most_a_continuing_label() {
        let s = "2.2024年 2月 24日";
        let c = recognise(
            s,
            Line {
                start: 0,
                end: s.len(),
            },
            0,
        )
        .unwrap();
        assert!(
            c.digit_follows,
            "only a sibling continuing 1. may be followed by a digit"
        );
        assert_eq!(cand("2024年"), None);
        assert_eq!(cand("第十三次党代会"), None);
    }
}
