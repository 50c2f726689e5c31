//! Fuzzes `tongxin_docparse::parse` with arbitrary UTF-8: it must not panic, every span must be
//! in bounds and on char boundaries, and every clause's text must come from its span.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tongxin_docparse::{Span, parse};
use tongxin_domain::Directory;

fn directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| tongxin_policy::tongxin::directory().expect("the pack's directory loads"))
}

fn sound(text: &str, s: Span) {
    assert!(s.start <= s.end && s.end <= text.len());
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = parse(text, directory());
    for d in &r.documents {
        sound(text, d.span);
        for c in &d.clauses {
            sound(text, c.span);
            let mut src = text[c.span.start..c.span.end].chars();
            for ch in c.title.chars().chain(c.text.chars()).filter(|c| !c.is_whitespace()) {
                assert!(src.any(|s| s == ch));
            }
        }
        for t in &d.tasks {
            for u in t.lead_units.iter().chain(&t.responsible_units) {
                sound(text, u.span);
            }
            for p in &t.people {
                sound(text, p.span);
            }
            for x in &t.times {
                sound(text, x.span);
            }
        }
        for x in &d.deadlines {
            sound(text, x.span);
        }
        for q in d.caps.iter().chain(&d.targets) {
            sound(text, q.span);
        }
        for a in &d.anomalies {
            sound(text, a.span);
        }
    }
});
