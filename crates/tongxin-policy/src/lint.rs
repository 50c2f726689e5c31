//! `tongxin policy lint`: what an official should know about the pack's documents — article
//! numbers printed twice, unit names the directory does not know, rules that count the same
//! thing differently across documents.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::Pack;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Finding {
    /// duplicate_number, unknown_unit, disagreement
    pub kind: &'static str,
    /// `同政办规发〔2023〕5号 第九条之二`, or a rule key.
    pub place: String,
    pub message: String,
}

/// Labels after which the documents list units (牵头单位：…、…).
const LIST_LABELS: [&str; 4] = ["牵头单位", "责任单位", "配合单位", "责任部门"];

/// Unit names the documents list after 牵头单位/责任单位 labels, up to the end of the list.
pub fn unit_mentions(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for label in LIST_LABELS {
        for (i, _) in text.match_indices(label) {
            // A list follows only when the label is followed by a colon.
            let after = &text[i + label.len()..];
            let Some(rest) = after.strip_prefix('：').or_else(|| after.strip_prefix(':')) else {
                continue;
            };
            // The list ends at the bracket that closes around it, or at the sentence's end.
            let mut depth = 0i32;
            let mut end = rest.len();
            for (j, c) in rest.char_indices() {
                match c {
                    '（' | '(' | '<' | '＜' => depth += 1,
                    '）' | ')' | '>' | '＞' if depth > 0 => depth -= 1,
                    '）' | ')' | '。' | '；' | ';' | '\n' => {
                        end = j;
                        break;
                    }
                    _ => {}
                }
            }
            for name in rest[..end].split(['、', '，', ',']) {
                let name = name.trim();
                if !name.is_empty() && name.chars().count() <= 30 {
                    out.insert(name.to_owned());
                }
            }
        }
    }
    out
}

pub fn lint(pack: &Pack) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in pack.corpus.documents() {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for c in d
            .clauses
            .iter()
            .filter(|c| c.label.starts_with('第') && c.label.ends_with('条'))
        {
            if let Some(first) = seen.insert(&c.label, &c.id) {
                out.push(Finding {
                    kind: "duplicate_number",
                    place: format!("{} {}", d.number, c.id),
                    message: format!(
                        "{}被编号两次（另见{}），引用时以“{}”区分",
                        c.label, first, c.id
                    ),
                });
            }
        }
        let mut reported = BTreeSet::new();
        for c in &d.clauses {
            for name in unit_mentions(&c.text) {
                let known = pack.directory.resolve(&name).is_some()
                    || pack
                        .directory
                        .office_templates()
                        .iter()
                        .any(|t| t.name == name);
                if !known && reported.insert(name.clone()) {
                    out.push(Finding {
                        kind: "unknown_unit",
                        place: format!("{} {}", d.number, c.id),
                        message: format!(
                            "“{name}”不在组织机构目录中（若是单位，请补入 units.toml 或作为别名）"
                        ),
                    });
                }
            }
        }
    }
    for p in pack.corpus.parameters() {
        let Some(other_key) = &p.agrees_with else {
            continue;
        };
        let Some(other) = pack.corpus.parameter(other_key) else {
            continue;
        };
        for v in &p.values {
            for w in &other.values {
                if v.value != w.value {
                    out.push(Finding {
                        kind: "disagreement",
                        place: p.key.clone(),
                        message: format!(
                            "{}（{}）为{}，而{}（{}）为{}",
                            v.citation, p.label, v.value, w.citation, other.label, w.value
                        ),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_are_picked_out_of_lists() {
        let m = unit_mentions(
            "（牵头单位：县委宣传部；责任单位：发展和改革局、工业信息化和商务局，各乡镇<开发区>）",
        );
        let want: BTreeSet<String> = [
            "县委宣传部",
            "发展和改革局",
            "工业信息化和商务局",
            "各乡镇<开发区>",
        ]
        .map(String::from)
        .into();
        assert_eq!(m, want);
        assert!(unit_mentions("形成新的发展格局").is_empty());
    }
}
