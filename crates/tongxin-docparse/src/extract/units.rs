//! Unit lists (牵头单位、责任单位) split and resolved against the directory (组织机构目录).
//! A name the directory does not know is kept with an empty `resolved`, never dropped.

use tongxin_domain::Directory;
use tongxin_domain::directory::{Resolved, normalise_name};

use crate::model::UnitRef;
use crate::text::Clean;

/// Splits `s[a..b]` at 、，,；; outside brackets; returns name ranges with trailing 等 removed.
pub(crate) fn split_list(s: &str, a: usize, b: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = a;
    let push = |x: usize, y: usize, out: &mut Vec<(usize, usize)>| {
        let mut y = y;
        for suffix in ["等单位", "等部门", "等"] {
            if s[x..y].ends_with(suffix) && y - suffix.len() > x {
                y -= suffix.len();
                break;
            }
        }
        if x < y {
            out.push((x, y));
        }
    };
    for (k, c) in s[a..b].char_indices() {
        let at = a + k;
        match c {
            '（' | '(' | '<' | '〈' | '＜' => depth += 1,
            '）' | ')' | '>' | '〉' | '＞' => depth = depth.saturating_sub(1),
            '、' | '，' | ',' | '；' | ';' if depth == 0 => {
                push(start, at, &mut out);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    push(start, b, &mut out);
    out
}

/// Resolves one name: a unit, a collective name, or a township office template.
pub(crate) fn resolve(raw: &str, span: crate::model::Span, dir: &Directory) -> UnitRef {
    let mut r = UnitRef {
        raw: raw.to_owned(),
        span,
        resolved: Vec::new(),
        unit_ids: Vec::new(),
        collective: false,
    };
    match dir.resolve(raw) {
        Some(Resolved::Unit(u)) => {
            r.resolved.push(u.name.clone());
            r.unit_ids.push(u.id.0.clone());
        }
        Some(Resolved::Collective(_, members)) => {
            r.collective = true;
            for u in members {
                r.resolved.push(u.name.clone());
                r.unit_ids.push(u.id.0.clone());
            }
        }
        None => {
            let key = normalise_name(raw);
            let key = key.strip_prefix("乡镇").unwrap_or(&key);
            if let Some(t) = dir
                .office_templates()
                .iter()
                .find(|t| normalise_name(&t.name) == key)
            {
                r.resolved.push(t.name.clone());
            }
            r.collective = raw.starts_with('各');
        }
    }
    r
}

/// Units named in the value `clean.s[a..b]` of a unit-list field.
pub(crate) fn list(clean: &Clean, a: usize, b: usize, dir: &Directory) -> Vec<UnitRef> {
    split_list(&clean.s, a, b)
        .into_iter()
        .map(|(x, y)| resolve(&clean.s[x..y], clean.span(x, y), dir))
        .collect()
}

/// `由县文旅局牵头` / `由工信商务局牵头负责`: the units between 由 and 牵头.
pub(crate) fn led_by(clean: &Clean, dir: &Directory) -> Vec<UnitRef> {
    let s = &clean.s;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = s[from..].find("牵头") {
        let at = from + p;
        from = at + "牵头".len();
        // 牵头单位 / 牵头部门 name a role, not the act of leading.
        if s[from..].starts_with("单位") || s[from..].starts_with("部门") {
            continue;
        }
        let Some(by) = s[..at].rfind('由') else {
            continue;
        };
        let inner_start = by + '由'.len_utf8();
        let inner = &s[inner_start..at];
        if inner.is_empty() || inner.chars().count() > 30 || inner.contains(['。', '；', '：']) {
            continue;
        }
        out.extend(list(clean, inner_start, at, dir));
    }
    out
}
