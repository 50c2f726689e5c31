//! Document numbers (文号) and citations (引用): `同政办规发〔2023〕6号 第七条`.
//!
//! A citation is a type: it parses and displays in one canonical form, so nobody formats one
//! by hand, and the UI renders it through one partial that links to the clause page.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::validation::FieldError;

/// 文号: issuer prefix, year, sequence — `同政办规发〔2023〕6号`. Parsing forgives what PDF
/// extraction does to a number (`同政办规发〔 2023〕 6 号`, `[2023]`, `（2023）`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNumber {
    prefix: String,
    year: u16,
    seq: u32,
}

impl DocNumber {
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// A form safe in a URL path segment: `同政办规发-2023-6`.
    pub fn slug(&self) -> String {
        format!("{}-{}-{}", self.prefix, self.year, self.seq)
    }

    /// Parses [`DocNumber::slug`] back.
    pub fn from_slug(s: &str) -> Option<Self> {
        let mut parts = s.rsplitn(3, '-');
        let seq = parts.next()?.parse().ok()?;
        let year = parts.next()?.parse().ok()?;
        let prefix = parts.next()?.to_owned();
        (!prefix.is_empty()).then_some(DocNumber { prefix, year, seq })
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.seq)
    }
}

impl Serialize for DocNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for DocNumber {
    type Err = FieldError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let bad = || {
            FieldError::new(
                "number",
                format!("文号“{input}”格式不对，应如 同政办规发〔2023〕6号"),
            )
        };
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let open = s.find(['〔', '[', '（', '(', '［']).ok_or_else(bad)?;
        let prefix = &s[..open];
        let rest = &s[open..];
        let rest = rest.trim_start_matches(['〔', '[', '（', '(', '［']);
        let close = rest.find(['〕', ']', '）', ')', '］']).ok_or_else(bad)?;
        let year: u16 = rest[..close].parse().map_err(|_| bad())?;
        let after = rest[close..].trim_start_matches(['〕', ']', '）', ')', '］']);
        let seq: u32 = after
            .strip_suffix('号')
            .ok_or_else(bad)?
            .parse()
            .map_err(|_| bad())?;
        if prefix.is_empty()
            || !prefix.chars().all(|c| !c.is_ascii())
            || !(1949..=2200).contains(&year)
        {
            return Err(bad());
        }
        Ok(DocNumber {
            prefix: prefix.to_owned(),
            year,
            seq,
        })
    }
}

/// 引用: a clause of a document — `同政办规发〔2023〕7号 第九条（四）`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Citation {
    pub doc: DocNumber,
    /// The clause's id within the document (`第七条`, `四、（一）`, `第九条（四）`).
    pub clause: String,
}

impl Citation {
    pub fn new(doc: DocNumber, clause: impl Into<String>) -> Self {
        Citation {
            doc,
            clause: clause.into(),
        }
    }

    /// The clause page's address: `/policies/{slug}/clauses/{clause}` (clause percent-encoded
    /// by the caller's URL builder).
    pub fn path_segments(&self) -> (String, &str) {
        (self.doc.slug(), &self.clause)
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.doc, self.clause)
    }
}

impl Serialize for Citation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Citation {
    type Err = FieldError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        let end = s.find('号').ok_or_else(|| {
            FieldError::new(
                "citation",
                format!("引用“{input}”格式不对，应如 同政办规发〔2023〕6号 第七条"),
            )
        })? + '号'.len_utf8();
        let doc: DocNumber = s[..end].parse()?;
        let clause: String = s[end..].chars().filter(|c| !c.is_whitespace()).collect();
        if clause.is_empty() {
            return Err(FieldError::new(
                "citation",
                format!("引用“{input}”缺少条款"),
            ));
        }
        Ok(Citation { doc, clause })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_forgive_pdf_spacing_and_bracket_styles() {
        for raw in [
            "同政办规发〔2023〕6号",
            "同政办规发〔 2023〕 6 号",
            "同政办规发[2023]6号",
            " 同政办规发（2023）6号 ",
        ] {
            assert_eq!(
                raw.parse::<DocNumber>().unwrap().to_string(),
                "同政办规发〔2023〕6号",
                "{raw}"
            );
        }
        assert_eq!(
            "同党办发〔 2023〕 49 号"
                .parse::<DocNumber>()
                .unwrap()
                .to_string(),
            "同党办发〔2023〕49号"
        );
        for bad in [
            "",
            "2023〕6号",
            "同政办规发〔2023〕号",
            "同政办规发〔二〇二三〕6号",
            "abc〔2023〕6号",
        ] {
            assert!(bad.parse::<DocNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn citations_display_in_the_one_canonical_form() {
        let c: Citation = "同政办规发〔 2023〕 7 号  第九条（四）".parse().unwrap();
        assert_eq!(c.to_string(), "同政办规发〔2023〕7号 第九条（四）");
        assert_eq!(c.clause, "第九条（四）");
        assert!("同政办规发〔2023〕7号".parse::<Citation>().is_err());
    }

    #[test]
    fn slugs_round_trip() {
        let n: DocNumber = "同党办综〔2023〕55号".parse().unwrap();
        assert_eq!(n.slug(), "同党办综-2023-55");
        assert_eq!(DocNumber::from_slug(&n.slug()), Some(n));
        assert_eq!(DocNumber::from_slug("nonsense"), None);
    }
}
