//! The parser against the hand-checked clause trees of the Tongxin pack
//! (policies/tongxin/documents/*.toml): ids, parents, labels, titles, and texts equal after
//! removing whitespace.

use tongxin_docparse::{ParsedDocument, parse};
use tongxin_policy::tongxin;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Differences between the parsed clauses and the pack's, one line each.
fn diff(parsed: &ParsedDocument, expected: &tongxin_domain::policy::Document) -> Vec<String> {
    let mut out = Vec::new();
    let got: Vec<_> = parsed.clauses.iter().collect();
    let want = &expected.clauses;
    if got.len() != want.len() {
        out.push(format!("clause count {} != {}", got.len(), want.len()));
    }
    for w in want {
        let Some(g) = got.iter().find(|g| g.id == w.id) else {
            out.push(format!("missing {}", w.id));
            continue;
        };
        if g.parent.as_deref().unwrap_or("") != w.parent.as_deref().unwrap_or("") {
            out.push(format!("{}: parent {:?} != {:?}", w.id, g.parent, w.parent));
        }
        if g.label != w.label {
            out.push(format!("{}: label {} != {}", w.id, g.label, w.label));
        }
        if g.title != w.title {
            out.push(format!("{}: title {:?} != {:?}", w.id, g.title, w.title));
        }
        if squash(&g.text) != squash(&w.text) {
            out.push(format!(
                "{}: text\n   got  {}\n   want {}",
                w.id,
                squash(&g.text),
                squash(&w.text)
            ));
        }
    }
    for g in &got {
        if !want.iter().any(|w| w.id == g.id) {
            out.push(format!("extra {}", g.id));
        }
    }
    out
}

#[test]
fn every_slice_reproduces_the_hand_checked_clause_tree() {
    let pack = tongxin::pack().unwrap();
    let mut report = Vec::new();
    for (file, _, _, source) in tongxin::DOCUMENTS {
        let r = parse(source, &pack.directory);
        assert_eq!(r.documents.len(), 1, "{file}");
        let doc = &r.documents[0];
        let number = doc.number.clone().unwrap();
        let expected = pack
            .corpus
            .documents()
            .iter()
            .find(|d| d.number.to_string() == number)
            .unwrap_or_else(|| panic!("{file}: {number}"));
        for d in diff(doc, expected) {
            report.push(format!("{file}: {d}"));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_whole_seed_gives_the_same_trees_as_its_slices() {
    let pack = tongxin::pack().unwrap();
    let all = parse(tongxin::SEED_TEXT, &pack.directory);
    assert_eq!(all.documents.len(), 8);
    for (doc, (file, _, _, source)) in all.documents.iter().zip(tongxin::DOCUMENTS) {
        let one = parse(source, &pack.directory);
        let a: Vec<_> = doc
            .clauses
            .iter()
            .map(|c| (&c.id, squash(&c.text), &c.title))
            .collect();
        let b: Vec<_> = one.documents[0]
            .clauses
            .iter()
            .map(|c| (&c.id, squash(&c.text), &c.title))
            .collect();
        assert_eq!(a, b, "{file}");
    }
}
