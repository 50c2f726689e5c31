//! Loads `chains.toml`: the industrial chains of 同党办发〔2023〕49号 with their chiefs, units and
//! segments.
//!
//! Refused at load, naming the file and the chain's key: a duplicate or malformed key, an
//! unknown kind or stage, a clause not in the document, a chief not among the people the
//! directory names, a lead or responsible unit not in the directory (or a collective), a chain
//! without segments, a duplicate segment key, and a chain that disagrees with its supervision
//! plan (the `d1.<key>.plan` task's leader, lead and responsible units), so the two files
//! cannot drift apart.

use std::collections::HashSet;

use serde::Deserialize;
use tongxin_domain::chains::{Chain, ChainKind, Segment, SegmentStage};
use tongxin_domain::directory::{Directory, Resolved};
use tongxin_domain::policy::Corpus;
use tongxin_domain::{Citation, DocNumber, FieldError, UnitId};

use crate::plans::PlanTask;
use crate::units::PackError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainsFile {
    document: String,
    #[serde(default)]
    chain: Vec<ChainRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChainRow {
    key: String,
    name: String,
    kind: String,
    clause: String,
    chief: String,
    lead: String,
    #[serde(default)]
    responsible: Vec<String>,
    direction: String,
    #[serde(default)]
    platforms: Vec<String>,
    #[serde(default)]
    segment: Vec<SegmentRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentRow {
    key: String,
    name: String,
    stage: String,
}

fn invalid(file: &str, key: &str, message: String) -> PackError {
    PackError::Invalid {
        file: file.to_owned(),
        key: key.to_owned(),
        message,
    }
}

fn ascii_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn one_unit(directory: &Directory, name: &str) -> Result<UnitId, String> {
    match directory.resolve(name) {
        Some(Resolved::Unit(u)) => Ok(u.id.clone()),
        Some(Resolved::Collective(..)) => Err(format!("“{name}”是多个单位的统称，须为一个单位")),
        None => Err(format!("单位“{name}”不在单位名录中")),
    }
}

/// Parses and validates the chains file against the corpus, the directory and the plans.
pub fn load_chains(
    file: &str,
    text: &str,
    corpus: &Corpus,
    directory: &Directory,
    plans: &[PlanTask],
) -> Result<Vec<Chain>, PackError> {
    let f: ChainsFile = toml::from_str(text).map_err(|e| PackError::Syntax {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let doc: DocNumber = f
        .document
        .parse()
        .map_err(|e: FieldError| invalid(file, "document", e.message))?;
    if corpus.document(&doc).is_none() {
        return Err(invalid(file, "document", format!("文件{doc}不在政策库中")));
    }
    let people: HashSet<&str> = directory.people().iter().map(|p| p.name.as_str()).collect();
    let mut keys = HashSet::new();
    let mut out = Vec::with_capacity(f.chain.len());
    for c in f.chain {
        let ck = c.key.clone();
        let at = |k: &str| format!("chain (key = \"{ck}\"){k}");
        let bad = |k: &str, m: String| invalid(file, &at(k), m);
        if !ascii_key(&c.key) {
            return Err(bad("", "key须由小写英文字母、数字和下划线组成".into()));
        }
        if !keys.insert(c.key.clone()) {
            return Err(bad("", "key重复".into()));
        }
        if c.name.trim().is_empty() {
            return Err(bad(".name", "缺少产业链名称".into()));
        }
        let kind = ChainKind::parse(&c.kind).ok_or_else(|| {
            bad(
                ".kind",
                format!("类别“{}”不存在；可选：key、cultivated", c.kind),
            )
        })?;
        let clause = Citation::new(doc.clone(), c.clause.trim());
        if corpus.resolve(&clause).is_none() {
            return Err(bad(".clause", format!("条款“{clause}”不存在")));
        }
        let chief = c.chief.trim().to_owned();
        if !people.contains(chief.as_str()) {
            return Err(bad(".chief", format!("链长“{chief}”不在名录的人员中")));
        }
        let lead = one_unit(directory, &c.lead).map_err(|m| bad(".lead", m))?;
        let mut responsible = Vec::with_capacity(c.responsible.len());
        for name in &c.responsible {
            let id = one_unit(directory, name).map_err(|m| bad(".responsible", m))?;
            if id != lead && !responsible.contains(&id) {
                responsible.push(id);
            }
        }
        if c.segment.is_empty() {
            return Err(bad(".segment", "至少须有一个产业链环节".into()));
        }
        let mut seg_keys = HashSet::new();
        let mut segments = Vec::with_capacity(c.segment.len());
        for s in c.segment {
            let sk = format!(".segment (key = \"{}\")", s.key);
            if !ascii_key(&s.key) {
                return Err(bad(&sk, "环节key须由小写英文字母、数字和下划线组成".into()));
            }
            if !seg_keys.insert(s.key.clone()) {
                return Err(bad(&sk, "环节key重复".into()));
            }
            if s.name.trim().is_empty() {
                return Err(bad(&sk, "缺少环节名称".into()));
            }
            let stage = SegmentStage::parse(&s.stage).ok_or_else(|| {
                bad(
                    &sk,
                    format!(
                        "位置“{}”不存在；可选：upstream、midstream、downstream、supporting",
                        s.stage
                    ),
                )
            })?;
            segments.push(Segment {
                key: s.key,
                name: s.name.trim().to_owned(),
                stage,
            });
        }
        let chain = Chain {
            key: c.key,
            name: c.name.trim().to_owned(),
            kind,
            clause,
            chief,
            lead,
            responsible,
            direction: c.direction.trim().to_owned(),
            platforms: c.platforms,
            segments,
        };
        agrees_with_plan(&chain, plans).map_err(|m| invalid(file, &at(""), m))?;
        out.push(chain);
    }
    Ok(out)
}

/// The chain's people and units are the ones its supervision plan task names.
fn agrees_with_plan(chain: &Chain, plans: &[PlanTask]) -> Result<(), String> {
    let key = format!("d1.{}.plan", chain.key);
    let Some(t) = plans.iter().find(|t| t.key == key) else {
        return Ok(());
    };
    if t.leader != chain.chief {
        return Err(format!(
            "链长“{}”与督办任务{key}的链长“{}”不一致",
            chain.chief, t.leader
        ));
    }
    if t.lead != chain.lead {
        return Err(format!(
            "牵头单位{}与督办任务{key}的牵头单位{}不一致",
            chain.lead.0, t.lead.0
        ));
    }
    let mut a: Vec<&UnitId> = chain.responsible.iter().collect();
    let mut b: Vec<&UnitId> = t.responsible.iter().collect();
    a.sort();
    b.sort();
    if a != b {
        return Err(format!("责任单位与督办任务{key}的责任单位不一致"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_parts() -> (Corpus, Directory, Vec<PlanTask>) {
        let p = crate::tongxin::pack().expect("the pack loads");
        (p.corpus, p.directory, p.plans)
    }

    fn load(text: &str) -> Result<Vec<Chain>, PackError> {
        let (corpus, directory, plans) = pack_parts();
        load_chains("chains.toml", text, &corpus, &directory, &plans)
    }

    const ONE: &str = r#"
document = "同党办发〔2023〕49号"
[[chain]]
key = "pv"
name = "光伏"
kind = "key"
clause = "三、（一）1."
chief = "凌镇"
lead = "投资促进服务中心"
responsible = ["工业园区管委会", "发展和改革局", "工业信息化和商务局", "自然资源局", "市场监管局"]
direction = "一体化发展"
[[chain.segment]]
key = "ingot"
name = "拉晶"
stage = "upstream"
"#;

    fn message(r: Result<Vec<Chain>, PackError>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("expected a refusal"),
        }
    }

    #[test]
    fn a_well_formed_chain_loads() {
        let chains = load(ONE).expect("loads");
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].title(), "光伏产业链");
        assert_eq!(chains[0].segments[0].stage, SegmentStage::Upstream);
    }

    #[test]
    fn refusals_name_the_key_and_the_rule() {
        for (from, to, want) in [
            (
                "chief = \"凌镇\"",
                "chief = \"张三\"",
                "链长“张三”不在名录的人员中",
            ),
            ("kind = \"key\"", "kind = \"main\"", "类别“main”不存在"),
            ("clause = \"三、（一）1.\"", "clause = \"九、\"", "不存在"),
            (
                "lead = \"投资促进服务中心\"",
                "lead = \"各乡镇（开发区）\"",
                "须为一个单位",
            ),
            (
                "lead = \"投资促进服务中心\"",
                "lead = \"无此局\"",
                "不在单位名录中",
            ),
            ("stage = \"upstream\"", "stage = \"top\"", "位置“top”不存在"),
            ("key = \"ingot\"", "key = \"Ingot\"", "环节key须由"),
            (
                "chief = \"凌镇\"",
                "chief = \"李生元\"",
                "与督办任务d1.pv.plan的链长“凌镇”不一致",
            ),
            (
                "\"市场监管局\"]",
                "\"应急管理局\"]",
                "责任单位与督办任务d1.pv.plan",
            ),
        ] {
            let m = message(load(&ONE.replace(from, to)));
            assert!(m.contains(want), "{from} → {to}: {m}");
            assert!(m.contains("chain (key = \"pv\")"), "{m}");
        }
        let twice = format!("{ONE}{}", &ONE[ONE.find("[[chain]]").unwrap_or(0)..]);
        assert!(message(load(&twice)).contains("key重复"));
        let no_segments = &ONE[..ONE.find("[[chain.segment]]").unwrap_or(ONE.len())];
        assert!(message(load(no_segments)).contains("至少须有一个产业链环节"));
    }
}
