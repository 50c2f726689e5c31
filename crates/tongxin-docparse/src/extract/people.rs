//! People named as leaders (链长, 组长, 副组长): `链长：凌镇`, `成立以袁波同志为组长`.

use crate::extract::{Field, Key};
use crate::model::PersonRef;
use crate::text::{Clean, is_han};

/// People given in fields, then in `以X同志为组长` sentences.
pub(crate) fn people(clean: &Clean, fields: &[Field]) -> Vec<PersonRef> {
    let s = &clean.s;
    let mut out = Vec::new();
    for f in fields {
        let role = match f.key {
            Key::ChainChief => "链长",
            Key::Leader => "组长",
            Key::DeputyLeader => "副组长",
            _ => continue,
        };
        for (a, b) in crate::extract::units::split_list(s, f.start, f.end) {
            let name = s[a..b].trim_end_matches("同志");
            if !name.is_empty() && name.chars().count() <= 6 && name.chars().all(is_han) {
                out.push(PersonRef {
                    name: name.to_owned(),
                    role: role.to_owned(),
                    span: clean.span(a, a + name.len()),
                });
            }
        }
    }
    for role in ["副组长", "组长"] {
        for pattern in [
            format!("同志为{role}"),
            format!("同志任{role}"),
            format!("同志担任{role}"),
        ] {
            let mut from = 0;
            while let Some(p) = s[from..].find(&pattern) {
                let end = from + p;
                from = end + pattern.len();
                if role == "组长" && s[..from].ends_with("副组长") {
                    continue;
                }
                // The name runs back to 以 / 由 / 、 (at most six characters).
                let mut start = end;
                for (k, c) in s[..end].char_indices().rev() {
                    if matches!(c, '以' | '由' | '、' | '，' | '：') || end - k > 18 {
                        break;
                    }
                    start = k;
                }
                let name = &s[start..end];
                if !name.is_empty() && name.chars().all(is_han) {
                    out.push(PersonRef {
                        name: name.to_owned(),
                        role: role.to_owned(),
                        span: clean.span(start, end),
                    });
                }
            }
        }
    }
    out
}
