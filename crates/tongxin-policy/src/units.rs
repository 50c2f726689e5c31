//! Loads `units.toml` into a [`Directory`]. The file's schema is documented at its top.

use serde::Deserialize;
use thiserror::Error;
use tongxin_domain::directory::{
    Collective, CollectiveMembers, DirectoryError, OfficeTemplate, PersonTitle,
};
use tongxin_domain::{Directory, Person, Unit, UnitId, UnitKind};

/// A policy pack file that cannot be used. Always names the file, and the key where known.
#[derive(Debug, Error)]
pub enum PackError {
    #[error("{file}: TOML格式错误：{message}")]
    Syntax { file: String, message: String },
    #[error("{file}: {key}: {message}")]
    Invalid {
        file: String,
        key: String,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(default)]
    unit: Vec<UnitRow>,
    #[serde(default)]
    collective: Vec<CollectiveRow>,
    #[serde(default)]
    person: Vec<PersonRow>,
    #[serde(default)]
    office_template: Vec<OfficeTemplateRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitRow {
    id: String,
    name: String,
    short_name: Option<String>,
    kind: UnitKind,
    #[serde(default)]
    parent: String,
    division_code: Option<String>,
    internal_code: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    cited_in: Vec<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectiveRow {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    members: MembersRow,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MembersRow {
    kinds: Option<Vec<UnitKind>>,
    ids: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonRow {
    name: String,
    unit: String,
    #[serde(default)]
    titles: Vec<TitleRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleRow {
    title: String,
    of: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeTemplateRow {
    name: String,
    under: UnitKind,
    #[serde(default)]
    cited_in: Vec<String>,
    #[serde(default)]
    duties: String,
    note: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// Parses and validates a unit directory file.
pub fn load_directory(file: &str, text: &str) -> Result<Directory, PackError> {
    let parsed: UnitsFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let invalid = |key: String, message: String| PackError::Invalid {
        file: file.to_owned(),
        key,
        message,
    };
    let mut units = Vec::with_capacity(parsed.unit.len());
    for (i, row) in parsed.unit.into_iter().enumerate() {
        let key = format!("unit[{i}] (id = \"{}\")", row.id);
        if row.id.trim().is_empty()
            || !row
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(invalid(key, "id 须为小写字母、数字和连字符".into()));
        }
        if let Some(code) = &row.division_code
            && (code.len() != 12 || !code.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(invalid(key, format!("division_code “{code}” 须为12位数字")));
        }
        let parent = row.parent.trim();
        units.push(Unit {
            id: UnitId(row.id.clone()),
            short_name: non_empty(row.short_name).unwrap_or_else(|| row.name.clone()),
            name: row.name,
            kind: row.kind,
            parent: (!parent.is_empty()).then(|| UnitId(parent.to_owned())),
            division_code: non_empty(row.division_code),
            internal_code: non_empty(row.internal_code),
            aliases: row.aliases,
            cited_in: row.cited_in,
            note: non_empty(row.note),
        });
    }
    let mut collectives = Vec::new();
    for (i, row) in parsed.collective.into_iter().enumerate() {
        let members = match (row.members.kinds, row.members.ids) {
            (Some(kinds), None) => CollectiveMembers::Kinds(kinds),
            (None, Some(ids)) => CollectiveMembers::Ids(ids.into_iter().map(UnitId).collect()),
            _ => {
                return Err(invalid(
                    format!("collective[{i}] (name = \"{}\").members", row.name),
                    "须且只能给出 kinds 或 ids 之一".into(),
                ));
            }
        };
        collectives.push(Collective {
            name: row.name,
            aliases: row.aliases,
            members,
            note: non_empty(row.note),
        });
    }
    let people = parsed
        .person
        .into_iter()
        .map(|p| Person {
            name: p.name,
            unit: UnitId(p.unit),
            titles: p
                .titles
                .into_iter()
                .map(|t| PersonTitle {
                    title: t.title,
                    of: t.of,
                    citation: t.citation,
                })
                .collect(),
        })
        .collect();
    let templates = parsed
        .office_template
        .into_iter()
        .map(|t| OfficeTemplate {
            name: t.name,
            under: t.under,
            cited_in: t.cited_in,
            duties: t.duties,
            note: non_empty(t.note),
        })
        .collect();
    Directory::new(units, collectives, people, templates).map_err(|e| {
        let key = match &e {
            DirectoryError::DuplicateId { id }
            | DirectoryError::UnknownParent { id, .. }
            | DirectoryError::Cycle { id } => format!("unit (id = \"{id}\")"),
            DirectoryError::AmbiguousName { name, .. } => format!("unit aliases (“{name}”)"),
            DirectoryError::Roots { .. } => "unit".into(),
            DirectoryError::UnknownPersonUnit { person, .. } => {
                format!("person (name = \"{person}\")")
            }
            DirectoryError::UnknownCollectiveMember { name, .. } => {
                format!("collective (name = \"{name}\")")
            }
        };
        invalid(key, e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_the_key() {
        let text = r#"
[[unit]]
id = "county"
name = "同心县"
kind = "county"

[[unit]]
id = "dept-a"
name = "甲局"
kind = "department"
parent = "nowhere"
"#;
        let err = load_directory("policies/x/units.toml", text)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("policies/x/units.toml: unit (id = \"dept-a\")"),
            "{err}"
        );
        assert!(err.contains("nowhere"), "{err}");

        let err = load_directory("u.toml", "[[unit]]\nid = 1")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("u.toml: TOML格式错误"), "{err}");

        let bad_kind = "[[unit]]\nid = \"county\"\nname = \"同心县\"\nkind = \"planet\"";
        let err = load_directory("u.toml", bad_kind).unwrap_err().to_string();
        assert!(err.contains("planet"), "{err}");
    }

    #[test]
    fn the_tongxin_pack_loads() {
        let d = crate::tongxin::directory().expect("the built-in pack is valid");
        assert_eq!(d.root().name, "同心县");
    }
}
