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

/// A message whose tail names its clause (`宅基地面积不得超过270平方米（水浇地）——同政办规发〔2023〕6号
/// 第七条`, as the app layer writes refusals, blocked actions and reminders): the text, and the
/// citation as a link when the tail parses as one (templates/macros.html `cited`).
#[derive(Debug, Clone, Serialize)]
pub struct CitedText {
    pub text: String,
    pub cite: Option<Cite>,
}

impl CitedText {
    pub fn new(message: &str) -> Self {
        if let Some((text, tail)) = message.rsplit_once("——")
            && let Ok(c) = tail.trim().parse::<Citation>()
        {
            return CitedText {
                text: text.to_owned(),
                cite: Some(Cite::from(&c)),
            };
        }
        CitedText {
            text: message.to_owned(),
            cite: None,
        }
    }
}

/// A citation stored as text (event records): a link when it parses, else the text alone.
pub fn cite_text(s: &str) -> Option<Cite> {
    s.trim().parse::<Citation>().ok().map(|c| Cite::from(&c))
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

    #[test]
    fn a_message_ending_in_a_citation_links_it() {
        let m = super::CitedText::new(
            "宅基地面积不得超过270平方米（水浇地）——同政办规发〔2023〕6号 第七条",
        );
        assert_eq!(m.text, "宅基地面积不得超过270平方米（水浇地）");
        assert_eq!(m.cite.unwrap().text, "同政办规发〔2023〕6号 第七条");
        let plain = super::CitedText::new("请填写“申请理由”");
        assert!(plain.cite.is_none() && plain.text == "请填写“申请理由”");
    }
}
