//! Properties: `parse` never panics, every span is in bounds and on char boundaries, and the
//! text of a clause comes from its span.

use proptest::prelude::*;
use std::sync::OnceLock;
use tongxin_docparse::{ParseResult, Span, parse};
use tongxin_domain::Directory;
use tongxin_policy::tongxin;

fn dir() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| tongxin::directory().unwrap())
}

fn check_span(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what}: {s:?} of {}",
        text.len()
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what}: {s:?}"
    );
}

/// Every span of the result, and every clause's text a subsequence of its span.
fn check(text: &str, r: &ParseResult) {
    for d in &r.documents {
        check_span(text, d.span, "document");
        for c in &d.clauses {
            check_span(text, c.span, &c.id);
            let mut src = text[c.span.start..c.span.end].chars();
            for ch in c
                .title
                .chars()
                .chain(c.text.chars())
                .filter(|c| !c.is_whitespace())
            {
                assert!(src.any(|s| s == ch), "{}: {ch:?} not from its span", c.id);
            }
        }
        for a in &d.articles {
            check_span(text, a.span, &a.id);
        }
        let mut stack: Vec<_> = d.sections.iter().collect();
        while let Some(s) = stack.pop() {
            check_span(text, s.span, &s.id);
            stack.extend(&s.children);
        }
        for t in &d.tasks {
            check_span(text, t.span, "task");
            for u in t
                .lead_units
                .iter()
                .chain(&t.responsible_units)
                .chain(&d.issuers)
            {
                check_span(text, u.span, &u.raw);
            }
            for p in &t.people {
                check_span(text, p.span, &p.name);
            }
            for x in &t.times {
                check_span(text, x.span, &x.text);
            }
        }
        for x in &d.deadlines {
            check_span(text, x.span, &x.text);
        }
        for q in d.caps.iter().chain(&d.targets) {
            check_span(text, q.span, &q.text);
        }
        for a in &d.anomalies {
            check_span(text, a.span, &a.kind);
        }
    }
}

const SOUP: &str = "第一二三四五六七八九十百两条章节（）()、。，；;：:.．0123456789年月日旬上下至—-～号〔〕[]《》<>“”\n\n \u{3000}\t发同政办规县局中心牵头单位责任单位时间地点链长组长同志为正月初大年三十除夕元宵个工作日内前超过不得以上以下（含）万元亩%附件此件公开发布关于印发的通知办法方案制度";

fn soup() -> impl Strategy<Value = String> {
    let chars: Vec<char> = SOUP.chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..600).prop_map(|v| v.into_iter().collect())
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_never_panics_on_arbitrary_strings(s in any::<String>()) {
        let r = parse(&s, dir());
        check(&s, &r);
    }

    #[test]
    fn parse_never_panics_on_chinese_punctuation_soup(s in soup()) {
        let r = parse(&s, dir());
        check(&s, &r);
    }

    #[test]
    fn every_truncation_of_the_seed_parses_with_sound_spans(a in 0..tongxin::SEED_TEXT.len(), b in 0..tongxin::SEED_TEXT.len()) {
        let text = tongxin::SEED_TEXT;
        let (a, b) = (floor(text, a.min(b)), floor(text, a.max(b)));
        for t in [&text[..b], &text[a..], &text[a..b]] {
            let r = parse(t, dir());
            check(t, &r);
        }
    }

    #[test]
    fn seed_fragments_spliced_into_soup_parse(s in soup(), at in 0..tongxin::SEED_TEXT.len(), len in 0usize..3000) {
        let text = tongxin::SEED_TEXT;
        let a = floor(text, at);
        let b = floor(text, (a + len).min(text.len()));
        let t = format!("{}{s}{}", &text[a..b], &text[..a.min(2000)].chars().rev().collect::<String>());
        let r = parse(&t, dir());
        check(&t, &r);
    }
}

#[test]
fn the_whole_seed_has_sound_spans() {
    let r = parse(tongxin::SEED_TEXT, dir());
    check(tongxin::SEED_TEXT, &r);
}

#[test]
fn empty_and_blank_texts_give_no_documents() {
    assert!(parse("", dir()).documents.is_empty());
    assert!(parse(" \n\u{3000}\n", dir()).documents.is_empty());
}
