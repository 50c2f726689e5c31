//! The one way a citation is shown: its canonical text linking to its clause page.

use serde::Serialize;
use tongxin_domain::Citation;

/// A citation ready for a template: `<a class="cite" href="{{ href }}">{{ text }}</a>`
/// (templates/macros.html `cite`).
#[derive(Debug, Clone, Serialize)]
pub struct Cite {
    pub text: String,
    pub href: String,
}

/// Percent-encodes one path segment (Chinese clause ids, document slugs).
pub fn segment(s: &str) -> String {
    const KEEP: &[u8] = b"-_.~";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn document_href(doc: &tongxin_domain::DocNumber) -> String {
    format!("/policies/{}", segment(&doc.slug()))
}

pub fn clause_href(c: &Citation) -> String {
    format!("{}/clauses/{}", document_href(&c.doc), segment(&c.clause))
}

impl From<&Citation> for Cite {
    fn from(c: &Citation) -> Self {
        Cite {
            text: c.to_string(),
            href: clause_href(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clause_links_are_percent_encoded_paths() {
        let c: tongxin_domain::Citation = "同政办规发〔2023〕7号 第九条（四）".parse().unwrap();
        let href = super::clause_href(&c);
        assert!(
            href.starts_with("/policies/%E5%90%8C") && href.contains("-2023-7/clauses/%E7%AC%AC"),
            "{href}"
        );
        assert!(href.is_ascii());
    }
}
