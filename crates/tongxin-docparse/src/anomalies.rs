//! Anomalies (异常) an official must look at: counts the text states that disagree with what it
//! lists (`七大行动`, `二十一条重点产业链`, `3个方面`), lunar notes that disagree with their solar
//! dates, units the directory does not know. Numbering problems come from the outline.

use crate::extract::time::LunarNote;
use crate::lunar::{LunarCheck, check};
use crate::model::{Anomaly, ParsedClause, Span, UnitRef};
use crate::text::{Clean, cn_number, is_han, is_numeral_char};

/// What a count phrase counts: items whose title or first sentence ends in the noun, or the
/// children of the clause that states it (方面).
const NOUNS: [&str; 3] = ["产业链", "行动", "方面"];

/// A stated count: (number, noun, span) found in `clean.s`.
fn stated_counts(clean: &Clean) -> Vec<(u32, &'static str, Span, String)> {
    let s = &clean.s;
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let prev = s[..i].chars().next_back();
        if !is_numeral_char(c) || prev.is_some_and(|p| is_numeral_char(p) || p == '第') {
            i += c.len_utf8();
            continue;
        }
        let mut k = i;
        while let Some(ch) = s[k..].chars().next().filter(|ch| is_numeral_char(*ch)) {
            k += ch.len_utf8();
        }
        let Some(n) = cn_number(&s[i..k]) else {
            i = k;
            continue;
        };
        let Some(cls) = s[k..]
            .chars()
            .next()
            .filter(|ch| matches!(ch, '大' | '条' | '个' | '项'))
        else {
            i = k;
            continue;
        };
        let from = k + cls.len_utf8();
        let mut e = from;
        let mut found = None;
        for (count, ch) in s[from..].char_indices() {
            if !is_han(ch) || count > 30 {
                break;
            }
            e = from + count + ch.len_utf8();
            if let Some(noun) = NOUNS.iter().find(|w| s[..e].ends_with(*w)) {
                found = Some(*noun);
                break;
            }
        }
        if let Some(noun) = found {
            out.push((n, noun, clean.span(i, e), s[i..e].to_owned()));
        }
        i = k.max(i + c.len_utf8());
    }
    out
}

fn first_sentence(t: &str) -> &str {
    t.split(['。', '\n']).next().unwrap_or("")
}

/// Count mismatches in one document. `own` holds each clause's own clean text (by index).
pub(crate) fn counts(clauses: &[ParsedClause], own: &[(usize, Clean)]) -> Vec<Anomaly> {
    let mut out = Vec::new();
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(p) = clauses[i].parent.as_ref() {
            match clauses.iter().position(|c| &c.id == p) {
                Some(j) if d < 16 => {
                    i = j;
                    d += 1;
                }
                _ => break,
            }
        }
        d
    };
    for (ci, clean) in own {
        for (n, noun, span, phrase) in stated_counts(clean) {
            let listed = if noun == "方面" {
                clauses
                    .iter()
                    .filter(|c| c.parent.as_deref() == Some(clauses[*ci].id.as_str()))
                    .count()
            } else {
                let mut per_depth = std::collections::BTreeMap::new();
                for (j, c) in clauses.iter().enumerate() {
                    if c.id == "印发通知" || c.id == "前言" {
                        continue;
                    }
                    let head = if c.title.is_empty() {
                        first_sentence(&c.text)
                    } else {
                        c.title.as_str()
                    };
                    if head.ends_with(noun) && !c.text.contains(&phrase) {
                        *per_depth.entry(depth(j)).or_insert(0usize) += 1;
                    }
                }
                per_depth.values().copied().max().unwrap_or(0)
            };
            if listed > 0 && listed != n as usize {
                out.push(Anomaly {
                    kind: "count_mismatch".into(),
                    message: format!("“{phrase}”称{n}项，文中列出{listed}项"),
                    span,
                });
            }
        }
    }
    out
}

/// A lunar note that names another day than its solar date.
pub(crate) fn lunar(notes: &[LunarNote]) -> Vec<Anomaly> {
    notes
        .iter()
        .filter_map(|n| match check(n.date, &n.term) {
            LunarCheck::Disagrees(expected) => Some(Anomaly {
                kind: "lunar_date_mismatch".into(),
                message: format!(
                    "{}标注为“{}”，但{}年的{}是{}",
                    n.date,
                    n.term,
                    expected.format("%Y"),
                    n.term,
                    expected
                ),
                span: n.span,
            }),
            _ => None,
        })
        .collect()
}

/// Units the directory does not know.
pub(crate) fn unknown_units<'a>(units: impl Iterator<Item = &'a UnitRef>) -> Vec<Anomaly> {
    units
        .filter(|u| u.resolved.is_empty())
        .map(|u| Anomaly {
            kind: "unknown_unit".into(),
            message: format!("单位“{}”不在组织机构目录中", u.raw),
            span: u.span,
        })
        .collect()
}
