//! Loads `reports.toml`: the topics the public may report, the unit each routes to and the
//! clause behind it.
//!
//! Refused at load, naming the file and the topic's key: a duplicate or malformed key, an empty
//! label, a clause not in its document, a unit not in the directory (or a collective; `township`
//! routes to the township where it happened), and a file without topics.

use std::collections::HashSet;

use serde::Deserialize;
use tongxin_domain::Citation;
use tongxin_domain::directory::{Directory, Resolved};
use tongxin_domain::policy::Corpus;
use tongxin_domain::reports::{ReportTopic, Route};

use crate::units::PackError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportsFile {
    #[serde(default)]
    topic: Vec<TopicRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicRow {
    key: String,
    label: String,
    #[serde(default)]
    hint: String,
    clause: String,
    unit: String,
    #[serde(default)]
    hotline: String,
}

/// Parses and validates the topics against the corpus and the directory.
pub fn load_report_topics(
    file: &str,
    text: &str,
    corpus: &Corpus,
    directory: &Directory,
) -> Result<Vec<ReportTopic>, PackError> {
    let f: ReportsFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let invalid = |key: &str, message: String| PackError::Invalid {
        file: file.to_owned(),
        key: key.to_owned(),
        message,
    };
    if f.topic.is_empty() {
        return Err(invalid("topic", "至少须有一类举报事项".into()));
    }
    let mut keys = HashSet::new();
    let mut out = Vec::with_capacity(f.topic.len());
    for t in f.topic {
        let at = format!("topic (key = \"{}\")", t.key);
        if t.key.is_empty()
            || !t
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(invalid(&at, "key须由小写英文字母、数字和下划线组成".into()));
        }
        if !keys.insert(t.key.clone()) {
            return Err(invalid(&at, "key重复".into()));
        }
        if t.label.trim().is_empty() {
            return Err(invalid(&at, "缺少举报事项名称".into()));
        }
        let clause: Citation = t
            .clause
            .parse()
            .map_err(|e: tongxin_domain::FieldError| invalid(&at, e.message))?;
        if corpus.resolve(&clause).is_none() {
            return Err(invalid(&at, format!("条款“{clause}”不存在")));
        }
        let route = match t.unit.trim() {
            "township" => Route::Township,
            name => match directory.resolve(name) {
                Some(Resolved::Unit(u)) => Route::Unit(u.id.clone()),
                Some(Resolved::Collective(..)) => {
                    return Err(invalid(
                        &at,
                        format!("“{name}”是多个单位的统称，须为一个单位或township"),
                    ));
                }
                None => return Err(invalid(&at, format!("单位“{name}”不在单位名录中"))),
            },
        };
        out.push(ReportTopic {
            key: t.key,
            label: t.label.trim().to_owned(),
            hint: t.hint.trim().to_owned(),
            clause,
            route,
            hotline: t.hotline.trim().to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<ReportTopic>, PackError> {
        let pack = crate::tongxin::pack().unwrap();
        load_report_topics("reports.toml", text, &pack.corpus, &pack.directory)
    }

    #[test]
    fn the_county_file_routes_every_topic() {
        let pack = crate::tongxin::pack().unwrap();
        let keys: Vec<&str> = pack.report_topics.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "environment",
                "grazing",
                "illegal_building",
                "temporary_land"
            ]
        );
        let unit = |k: &str| match &pack.report_topic(k).unwrap().route {
            Route::Unit(u) => pack.directory.get(u.as_str()).unwrap().short_name.clone(),
            Route::Township => "township".into(),
        };
        assert_eq!(unit("environment"), "生态环境分局");
        assert_eq!(unit("grazing"), "自然资源局");
        assert_eq!(unit("illegal_building"), "township");
        assert_eq!(unit("temporary_land"), "自然资源局");
    }

    #[test]
    fn bad_topics_are_refused_by_key() {
        let row = |key: &str, clause: &str, unit: &str| {
            format!(
                "[[topic]]\nkey = \"{key}\"\nlabel = \"x\"\nclause = \"{clause}\"\nunit = \"{unit}\"\n"
            )
        };
        let ok = row("a", "同政办规发〔2023〕6号 第二十八条", "township");
        assert!(load(&ok).is_ok());
        let cases = [
            (String::new(), "至少须有一类"),
            (
                row("A b", "同政办规发〔2023〕6号 第二十八条", "township"),
                "key须由",
            ),
            (format!("{ok}{ok}"), "key重复"),
            (
                row("a", "同政办规发〔2023〕6号 第九十九条", "township"),
                "不存在",
            ),
            (
                row("a", "同政办规发〔2023〕6号 第二十八条", "外星局"),
                "不在单位名录中",
            ),
            (
                row("a", "同政办规发〔2023〕6号 第二十八条", "各乡镇"),
                "统称",
            ),
        ];
        for (text, says) in cases {
            let e = load(&text).unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
            assert!(e.contains("reports.toml"), "{e}");
        }
    }
}
