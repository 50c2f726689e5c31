//! The unit directory (组织机构): the county, its offices, departments, townships, zones,
//! villages and village groups, the many names the documents use for each, the collective names
//! that stand for sets (各乡镇（开发区）), and the people the documents name as leaders.
//!
//! Built once from the policy pack (policies/tongxin/units.toml) by tongxin-policy; immutable
//! afterwards, so lookups need no locks.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use thiserror::Error;

/// A unit's stable identifier (`dept-natural-resources`, `twp-yuhai`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnitId(pub String);

impl UnitId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 单位类别: what kind of unit this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 县
    County,
    /// 县级领导: the county leaders named as chain chiefs and task-force leaders.
    Leadership,
    /// 县委工作机关 (县委办公室, 督查室 …)
    PartyOffice,
    /// 县政府工作机关 (政府办公室 …)
    GovernmentOffice,
    /// 部门 (局)
    Department,
    /// 中心 (投资促进服务中心 …)
    Centre,
    /// 乡镇
    Township,
    /// 开发区 / 管委会
    Zone,
    /// 村 (行政村、社区)
    Village,
    /// 村民小组
    VillageGroup,
    /// 群团组织及其他 (团县委, 残联 …)
    Organisation,
    /// 非县属单位 (垂直管理、派出机构、企业 …)
    External,
}

impl UnitKind {
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::County => "县",
            UnitKind::Leadership => "县级领导",
            UnitKind::PartyOffice => "县委工作机关",
            UnitKind::GovernmentOffice => "县政府工作机关",
            UnitKind::Department => "部门",
            UnitKind::Centre => "中心",
            UnitKind::Township => "乡镇",
            UnitKind::Zone => "开发区",
            UnitKind::Village => "村",
            UnitKind::VillageGroup => "村民小组",
            UnitKind::Organisation => "群团组织",
            UnitKind::External => "非县属单位",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::County => "county",
            UnitKind::Leadership => "leadership",
            UnitKind::PartyOffice => "party_office",
            UnitKind::GovernmentOffice => "government_office",
            UnitKind::Department => "department",
            UnitKind::Centre => "centre",
            UnitKind::Township => "township",
            UnitKind::Zone => "zone",
            UnitKind::Village => "village",
            UnitKind::VillageGroup => "village_group",
            UnitKind::Organisation => "organisation",
            UnitKind::External => "external",
        }
    }
}

/// 单位: one unit of the county's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: UnitId,
    /// Full name (同心县自然资源局).
    pub name: String,
    /// The name used in tables (自然资源局).
    pub short_name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    /// 12-digit 统计用区划代码, where the unit has one.
    pub division_code: Option<String>,
    /// A code of the county's own for units without a statistical code (marked as internal).
    pub internal_code: Option<String>,
    /// Every other name the documents use, typos included.
    pub aliases: Vec<String>,
    /// Documents that name this unit (文号).
    pub cited_in: Vec<String>,
    pub note: Option<String>,
}

impl Unit {
    /// 乡镇级: a township government, or a 管委会 that administers villages (石狮, 窑山: the
    /// ones with a code). These receive and approve villagers' applications (同政办规发〔2023〕6号
    /// 第十一条; that the two 管委会 act for their villages is the county's assumption, written in
    /// units.toml). 工业园区 has no villages and no code.
    pub fn is_township_level(&self) -> bool {
        match self.kind {
            UnitKind::Township => true,
            UnitKind::Zone => self.division_code.is_some() || self.internal_code.is_some(),
            _ => false,
        }
    }
}

/// A title a person holds, with the clause that gives it (链长 of 光伏产业链).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonTitle {
    pub title: String,
    pub of: String,
    pub citation: String,
}

/// 人员: a person the documents name as a leader (链长, 组长).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: String,
    pub unit: UnitId,
    pub titles: Vec<PersonTitle>,
}

/// Which units a collective name stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CollectiveMembers {
    Kinds(Vec<UnitKind>),
    Ids(Vec<UnitId>),
}

/// 统称: a collective name (各乡镇（开发区）) that expands to a set of units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Collective {
    pub name: String,
    pub aliases: Vec<String>,
    pub members: CollectiveMembers,
    pub note: Option<String>,
}

/// An office every township has (农业综合服务中心 …), with its duties as the documents give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeTemplate {
    pub name: String,
    pub under: UnitKind,
    pub cited_in: Vec<String>,
    pub duties: String,
    pub note: Option<String>,
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    Unit(&'a Unit),
    Collective(&'a Collective, Vec<&'a Unit>),
}

/// Why a directory could not be built. Names the unit so the pack loader can name the file.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DirectoryError {
    #[error("单位标识“{id}”重复")]
    DuplicateId { id: String },
    #[error("单位“{id}”的上级“{parent}”不存在")]
    UnknownParent { id: String, parent: String },
    #[error("名称“{name}”同时指向单位“{first}”和“{second}”")]
    AmbiguousName {
        name: String,
        first: String,
        second: String,
    },
    #[error("目录须有且只有一个根单位（县），现有{count}个")]
    Roots { count: usize },
    #[error("单位“{id}”的上级链条成环")]
    Cycle { id: String },
    #[error("人员“{person}”所属单位“{unit}”不存在")]
    UnknownPersonUnit { person: String, unit: String },
    #[error("统称“{name}”包含不存在的单位“{unit}”")]
    UnknownCollectiveMember { name: String, unit: String },
}

/// Normalises a name for lookup: drops whitespace, unifies brackets (（）<>〈〉 → ()), and
/// full-width letters; keeps every Chinese character.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' | '<' | '〈' | '《' | '＜' => '(',
            '）' | '>' | '〉' | '》' | '＞' => ')',
            c if ('！'..='～').contains(&c) => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Prefixes the documents put before a unit's name ("县发展和改革局", "同心县农业农村局").
const PREFIXES: [&str; 2] = ["同心县", "县"];

/// 组织机构目录.
#[derive(Debug, Clone)]
pub struct Directory {
    units: Vec<Unit>,
    by_id: HashMap<UnitId, usize>,
    by_name: HashMap<String, usize>,
    children: HashMap<UnitId, Vec<usize>>,
    collectives: Vec<Collective>,
    collective_by_name: HashMap<String, usize>,
    people: Vec<Person>,
    office_templates: Vec<OfficeTemplate>,
    root: usize,
}

impl Directory {
    pub fn new(
        units: Vec<Unit>,
        collectives: Vec<Collective>,
        people: Vec<Person>,
        office_templates: Vec<OfficeTemplate>,
    ) -> Result<Self, DirectoryError> {
        let mut by_id = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if by_id.insert(u.id.clone(), i).is_some() {
                return Err(DirectoryError::DuplicateId { id: u.id.0.clone() });
            }
        }
        let roots: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].parent.is_none())
            .collect();
        if roots.len() != 1 {
            return Err(DirectoryError::Roots { count: roots.len() });
        }
        let mut children: HashMap<UnitId, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(p) = &u.parent {
                if !by_id.contains_key(p) {
                    return Err(DirectoryError::UnknownParent {
                        id: u.id.0.clone(),
                        parent: p.0.clone(),
                    });
                }
                children.entry(p.clone()).or_default().push(i);
            }
        }
        // Every unit must reach the root without revisiting a unit.
        for u in &units {
            let mut seen = BTreeSet::new();
            let mut cur = u;
            while let Some(p) = &cur.parent {
                if !seen.insert(p.clone()) {
                    return Err(DirectoryError::Cycle { id: u.id.0.clone() });
                }
                cur = &units[by_id[p]];
            }
        }
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            let names = std::iter::once(&u.name)
                .chain(std::iter::once(&u.short_name))
                .chain(u.aliases.iter());
            for name in names {
                let key = normalise_name(name);
                if let Some(&j) = by_name.get(&key)
                    && j != i
                {
                    return Err(DirectoryError::AmbiguousName {
                        name: name.clone(),
                        first: units[j].id.0.clone(),
                        second: u.id.0.clone(),
                    });
                }
                by_name.insert(key, i);
            }
        }
        for p in &people {
            if !by_id.contains_key(&p.unit) {
                return Err(DirectoryError::UnknownPersonUnit {
                    person: p.name.clone(),
                    unit: p.unit.0.clone(),
                });
            }
        }
        let mut collective_by_name = HashMap::new();
        for (i, c) in collectives.iter().enumerate() {
            if let CollectiveMembers::Ids(ids) = &c.members {
                for id in ids {
                    if !by_id.contains_key(id) {
                        return Err(DirectoryError::UnknownCollectiveMember {
                            name: c.name.clone(),
                            unit: id.0.clone(),
                        });
                    }
                }
            }
            for name in std::iter::once(&c.name).chain(c.aliases.iter()) {
                collective_by_name.insert(normalise_name(name), i);
            }
        }
        Ok(Self {
            root: roots[0],
            units,
            by_id,
            by_name,
            children,
            collectives,
            collective_by_name,
            people,
            office_templates,
        })
    }

    /// The same directory with more names for its units (aliases officials added while
    /// mapping names a document used). A name already taken is refused, naming both units.
    pub fn with_aliases(&self, extra: &[(String, String)]) -> Result<Directory, DirectoryError> {
        let mut units = self.units.clone();
        for (alias, unit_id) in extra {
            let Some(&i) = self.by_id.get(&UnitId(unit_id.clone())) else {
                return Err(DirectoryError::UnknownParent {
                    id: alias.clone(),
                    parent: unit_id.clone(),
                });
            };
            units[i].aliases.push(alias.clone());
        }
        Directory::new(
            units,
            self.collectives.clone(),
            self.people.clone(),
            self.office_templates.clone(),
        )
    }

    pub fn root(&self) -> &Unit {
        &self.units[self.root]
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn people(&self) -> &[Person] {
        &self.people
    }

    pub fn collectives(&self) -> &[Collective] {
        &self.collectives
    }

    pub fn office_templates(&self) -> &[OfficeTemplate] {
        &self.office_templates
    }

    pub fn get(&self, id: &str) -> Option<&Unit> {
        self.by_id
            .get(&UnitId(id.to_owned()))
            .map(|&i| &self.units[i])
    }

    /// The units directly below `id`, in the order the pack lists them.
    pub fn children(&self, id: &UnitId) -> impl Iterator<Item = &Unit> {
        self.children
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.units[i])
    }

    /// People who belong to the unit.
    pub fn members(&self, id: &UnitId) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(move |p| &p.unit == id)
    }

    /// Is `unit` the same as `ancestor` or below it?
    pub fn is_within(&self, unit: &UnitId, ancestor: &UnitId) -> bool {
        let mut cur = self.by_id.get(unit).map(|&i| &self.units[i]);
        while let Some(u) = cur {
            if &u.id == ancestor {
                return true;
            }
            cur = u
                .parent
                .as_ref()
                .and_then(|p| self.by_id.get(p))
                .map(|&i| &self.units[i]);
        }
        false
    }

    /// The unit and every unit below it.
    pub fn subtree(&self, id: &UnitId) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack: Vec<&Unit> = self.get(id.as_str()).into_iter().collect();
        while let Some(u) = stack.pop() {
            out.push(u);
            stack.extend(self.children(&u.id));
        }
        out
    }

    /// The chain from the root down to the unit (县 › 豫海镇 › 某村).
    pub fn path(&self, id: &UnitId) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut cur = self.get(id.as_str());
        while let Some(u) = cur {
            out.push(u);
            cur = u.parent.as_ref().and_then(|p| self.get(p.as_str()));
        }
        out.reverse();
        out
    }

    /// Resolves a unit name as the documents write it: the full name, the short name, any
    /// alias, with or without the 同心县/县 prefix, with either kind of bracket.
    pub fn resolve_unit(&self, name: &str) -> Option<&Unit> {
        let key = normalise_name(name);
        if let Some(&i) = self.by_name.get(&key) {
            return Some(&self.units[i]);
        }
        for prefix in PREFIXES {
            if let Some(rest) = key.strip_prefix(prefix)
                && let Some(&i) = self.by_name.get(rest)
            {
                return Some(&self.units[i]);
            }
        }
        None
    }

    /// Resolves a name to a unit, or a collective name to its member units.
    pub fn resolve(&self, name: &str) -> Option<Resolved<'_>> {
        if let Some(u) = self.resolve_unit(name) {
            return Some(Resolved::Unit(u));
        }
        let &i = self.collective_by_name.get(&normalise_name(name))?;
        let c = &self.collectives[i];
        Some(Resolved::Collective(c, self.expand(c)))
    }

    /// The units a collective stands for.
    pub fn expand<'a>(&'a self, c: &'a Collective) -> Vec<&'a Unit> {
        match &c.members {
            CollectiveMembers::Kinds(kinds) => self
                .units
                .iter()
                .filter(|u| kinds.contains(&u.kind))
                .collect(),
            CollectiveMembers::Ids(ids) => {
                ids.iter().filter_map(|id| self.get(id.as_str())).collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: &str, name: &str, kind: UnitKind, parent: Option<&str>, aliases: &[&str]) -> Unit {
        Unit {
            id: UnitId(id.into()),
            name: name.into(),
            short_name: name.trim_start_matches("同心县").into(),
            kind,
            parent: parent.map(|p| UnitId(p.into())),
            division_code: None,
            internal_code: None,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            cited_in: vec![],
            note: None,
        }
    }

    fn sample() -> Directory {
        Directory::new(
            vec![
                unit("county", "同心县", UnitKind::County, None, &[]),
                unit(
                    "dept-industry",
                    "同心县工业信息化和商务局",
                    UnitKind::Department,
                    Some("county"),
                    &["工信商务局", "工业信息和商务局"],
                ),
                unit(
                    "twp-yuhai",
                    "豫海镇",
                    UnitKind::Township,
                    Some("county"),
                    &[],
                ),
                unit(
                    "twp-yuwang",
                    "预旺镇",
                    UnitKind::Township,
                    Some("county"),
                    &["予旺镇"],
                ),
                unit(
                    "zone-shishi",
                    "石狮开发区管理委员会",
                    UnitKind::Zone,
                    Some("county"),
                    &["石狮管委会"],
                ),
                unit("vil-a", "某村", UnitKind::Village, Some("twp-yuhai"), &[]),
            ],
            vec![Collective {
                name: "各乡镇（开发区）".into(),
                aliases: vec!["各乡镇<开发区>".into()],
                members: CollectiveMembers::Kinds(vec![UnitKind::Township, UnitKind::Zone]),
                note: None,
            }],
            vec![],
            vec![],
        )
        .unwrap()
    }

    #[test]
    fn every_alias_resolves_to_one_unit() {
        let d = sample();
        for name in [
            "工业信息化和商务局",
            "县工业信息化和商务局",
            "同心县工业信息化和商务局",
            "工信商务局",
            "工业信息和商务局",
            " 工信 商务局 ",
        ] {
            assert_eq!(
                d.resolve_unit(name).map(|u| u.id.as_str()),
                Some("dept-industry"),
                "{name}"
            );
        }
        assert_eq!(d.resolve_unit("予旺镇").unwrap().id.as_str(), "twp-yuwang");
        assert!(d.resolve_unit("教育局").is_none());
    }

    #[test]
    fn collective_names_expand_with_either_bracket() {
        let d = sample();
        for name in ["各乡镇（开发区）", "各乡镇<开发区>", "各乡镇(开发区)"] {
            match d.resolve(name) {
                Some(Resolved::Collective(_, units)) => {
                    let ids: Vec<&str> = units.iter().map(|u| u.id.as_str()).collect();
                    assert_eq!(ids, ["twp-yuhai", "twp-yuwang", "zone-shishi"], "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn villages_are_within_their_township() {
        let d = sample();
        let v = UnitId("vil-a".into());
        assert!(d.is_within(&v, &UnitId("twp-yuhai".into())));
        assert!(d.is_within(&v, &UnitId("county".into())));
        assert!(!d.is_within(&v, &UnitId("twp-yuwang".into())));
        assert_eq!(d.subtree(&UnitId("twp-yuhai".into())).len(), 2);
        let path: Vec<&str> = d.path(&v).iter().map(|u| u.name.as_str()).collect();
        assert_eq!(path, ["同心县", "豫海镇", "某村"]);
    }

    #[test]
    fn added_aliases_resolve_and_may_not_take_another_units_name() {
        let d = sample();
        let d2 = d
            .with_aliases(&[("工信局".into(), "dept-industry".into())])
            .unwrap();
        assert_eq!(
            d2.resolve_unit("工信局").unwrap().id.as_str(),
            "dept-industry"
        );
        assert!(
            d.resolve_unit("工信局").is_none(),
            "the original is unchanged"
        );
        assert!(
            d.with_aliases(&[("豫海镇".into(), "dept-industry".into())])
                .is_err()
        );
    }

    #[test]
    fn a_name_shared_by_two_units_is_refused() {
        let err = Directory::new(
            vec![
                unit("county", "同心县", UnitKind::County, None, &[]),
                unit("a", "甲局", UnitKind::Department, Some("county"), &["局"]),
                unit("b", "乙局", UnitKind::Department, Some("county"), &["局"]),
            ],
            vec![],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, DirectoryError::AmbiguousName { .. }));
    }

    #[test]
    fn unknown_parents_and_cycles_are_refused() {
        let err = Directory::new(
            vec![
                unit("county", "同心县", UnitKind::County, None, &[]),
                unit("a", "甲局", UnitKind::Department, Some("nowhere"), &[]),
            ],
            vec![],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert_eq!(
            err,
            DirectoryError::UnknownParent {
                id: "a".into(),
                parent: "nowhere".into()
            }
        );
        let err = Directory::new(
            vec![
                unit("county", "同心县", UnitKind::County, None, &[]),
                unit("a", "甲局", UnitKind::Department, Some("b"), &[]),
                unit("b", "乙局", UnitKind::Department, Some("a"), &[]),
            ],
            vec![],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, DirectoryError::Cycle { .. }));
    }
}
