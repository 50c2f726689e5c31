//! Policy packs (政策包): the county's reviewed reference data in `policies/<county>/` — the
//! unit directory, the documents with their clause trees and source texts, and the dated rules —
//! built into the binary and validated at start. Errors name the file and the key.

pub mod chains;
pub mod documents;
pub mod indicators;
pub mod lint;
pub mod plans;
pub mod procedures;
pub mod reports;
pub mod units;

use tongxin_domain::Directory;
use tongxin_domain::Procedure;
use tongxin_domain::policy::Corpus;

pub use procedures::load_procedure;
pub use units::{PackError, load_directory};

/// A loaded, validated pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub directory: Directory,
    pub corpus: Corpus,
    /// 办理流程: the case procedures, validated against the corpus.
    pub procedures: Vec<Procedure>,
    /// 督办任务: what the plan-like documents set, published as tasks at first start.
    pub plans: Vec<plans::PlanTask>,
    /// 指标: the numeric targets, each with its parameter's value, date and clause.
    pub indicators: Vec<indicators::Indicator>,
    /// 产业链: the chains of 同党办发〔2023〕49号 with their chiefs, units and segments.
    pub chains: Vec<tongxin_domain::chains::Chain>,
    /// 举报事项: what the public may report and who handles it (`reports.toml`).
    pub report_topics: Vec<tongxin_domain::reports::ReportTopic>,
    /// 政策版本: a fingerprint of every file of the pack (12 hex digits), recorded with each
    /// case event so a decision can be traced to the rules as they stood.
    pub version: String,
}

impl Pack {
    /// The procedure with this id (`homestead`).
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    /// The chain with this key (`pv`).
    pub fn chain(&self, key: &str) -> Option<&tongxin_domain::chains::Chain> {
        self.chains.iter().find(|c| c.key == key)
    }

    pub fn report_topic(&self, key: &str) -> Option<&tongxin_domain::reports::ReportTopic> {
        self.report_topics.iter().find(|t| t.key == key)
    }
}

/// Checks what spans files: every person's title cites a clause that exists.
fn check_cross_references(units_file: &str, pack: &Pack) -> Result<(), PackError> {
    for (proc, (file, _)) in pack.procedures.iter().zip(tongxin::PROCEDURES) {
        if let Some(name) = &proc.handled_by
            && pack.directory.resolve_unit(name).is_none()
        {
            return Err(PackError::Invalid {
                file: (*file).to_owned(),
                key: "handled_by".into(),
                message: format!("办理单位“{name}”不在单位名录（{units_file}）中"),
            });
        }
        let named = proc
            .overseen_by
            .iter()
            .map(|n| ("overseen_by".to_owned(), n))
            .chain(proc.actions.iter().filter_map(|a| match &a.unit {
                Some(tongxin_domain::procedure::ActingUnit::Named(n)) => {
                    Some((format!("action (id = \"{}\").unit", a.id), n))
                }
                _ => None,
            }));
        for (key, name) in named {
            if pack.directory.resolve_unit(name).is_none() {
                return Err(PackError::Invalid {
                    file: (*file).to_owned(),
                    key,
                    message: format!("单位“{name}”不在单位名录（{units_file}）中"),
                });
            }
        }
    }
    for p in pack.directory.people() {
        for t in &p.titles {
            let c: tongxin_domain::Citation =
                t.citation
                    .parse()
                    .map_err(|e: tongxin_domain::FieldError| PackError::Invalid {
                        file: units_file.to_owned(),
                        key: format!("person (name = \"{}\").titles", p.name),
                        message: e.message,
                    })?;
            if pack.corpus.resolve(&c).is_none() {
                return Err(PackError::Invalid {
                    file: units_file.to_owned(),
                    key: format!("person (name = \"{}\").titles", p.name),
                    message: format!("引用“{c}”指向的条款不存在"),
                });
            }
        }
    }
    Ok(())
}

/// The Tongxin county pack, as built into the binary.
pub mod tongxin {
    use super::*;
    use crate::documents::{DocumentSource, build_corpus, load_document, load_parameters};

    /// policies/tongxin/units.toml
    pub const UNITS_FILE: &str = "policies/tongxin/units.toml";
    pub const UNITS_TOML: &str = include_str!("../../../policies/tongxin/units.toml");
    pub const RULES_FILE: &str = "policies/tongxin/rules.toml";
    pub const RULES_TOML: &str = include_str!("../../../policies/tongxin/rules.toml");

    macro_rules! pack_files {
        ($($name:literal),* $(,)?) => {
            &[$((concat!("policies/tongxin/documents/", $name, ".toml"), include_str!(concat!("../../../policies/tongxin/documents/", $name, ".toml")), concat!("source/", $name, ".txt"), include_str!(concat!("../../../policies/tongxin/source/", $name, ".txt")))),*]
        };
    }

    /// (document file, its TOML, source path, source text) for each of the eight documents.
    pub const DOCUMENTS: &[(&str, &str, &str, &str)] = pack_files![
        "d1-chain-chief",
        "d2-eco-campaign",
        "d3-festival",
        "d4-gov-investment",
        "d5-homestead",
        "d6-temporary-land",
        "d7-investment-attraction",
        "d8-fiscal-revenue",
    ];

    /// (file, TOML) of each procedure.
    pub const PROCEDURES: &[(&str, &str)] = &[
        (
            "policies/tongxin/procedures/homestead.toml",
            include_str!("../../../policies/tongxin/procedures/homestead.toml"),
        ),
        (
            "policies/tongxin/procedures/temporary_land.toml",
            include_str!("../../../policies/tongxin/procedures/temporary_land.toml"),
        ),
        (
            "policies/tongxin/procedures/gov_investment.toml",
            include_str!("../../../policies/tongxin/procedures/gov_investment.toml"),
        ),
        (
            "policies/tongxin/procedures/investment.toml",
            include_str!("../../../policies/tongxin/procedures/investment.toml"),
        ),
    ];

    /// (file, TOML) of each plan: the tasks a document sets.
    pub const PLANS: &[(&str, &str)] = &[
        (
            "policies/tongxin/plans/d1-chains.toml",
            include_str!("../../../policies/tongxin/plans/d1-chains.toml"),
        ),
        (
            "policies/tongxin/plans/d2-campaign.toml",
            include_str!("../../../policies/tongxin/plans/d2-campaign.toml"),
        ),
        (
            "policies/tongxin/plans/d3-festival.toml",
            include_str!("../../../policies/tongxin/plans/d3-festival.toml"),
        ),
        (
            "policies/tongxin/plans/d7-investment.toml",
            include_str!("../../../policies/tongxin/plans/d7-investment.toml"),
        ),
        (
            "policies/tongxin/plans/d8-revenue.toml",
            include_str!("../../../policies/tongxin/plans/d8-revenue.toml"),
        ),
    ];

    pub const CHAINS_FILE: &str = "policies/tongxin/chains.toml";
    pub const CHAINS_TOML: &str = include_str!("../../../policies/tongxin/chains.toml");

    pub const REPORTS_FILE: &str = "policies/tongxin/reports.toml";
    pub const REPORTS_TOML: &str = include_str!("../../../policies/tongxin/reports.toml");

    pub const INDICATORS_FILE: &str = "policies/tongxin/indicators.toml";
    pub const INDICATORS_TOML: &str = include_str!("../../../policies/tongxin/indicators.toml");

    /// The seed text as published, all eight documents in one (test data for document import).
    pub const SEED_TEXT: &str =
        include_str!("../../../policies/tongxin/source/tongxin-2023-eight-documents.txt");

    /// SHA-256 over every file of the pack, as 12 hex digits.
    pub fn fingerprint() -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut add = |name: &str, text: &str| {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(text.as_bytes());
            h.update([0]);
        };
        add(UNITS_FILE, UNITS_TOML);
        add(RULES_FILE, RULES_TOML);
        add(INDICATORS_FILE, INDICATORS_TOML);
        add(CHAINS_FILE, CHAINS_TOML);
        add(REPORTS_FILE, REPORTS_TOML);
        for (file, toml, source, text) in DOCUMENTS {
            add(file, toml);
            add(source, text);
        }
        for (file, toml) in PROCEDURES.iter().chain(PLANS) {
            add(file, toml);
        }
        tongxin_domain::audit::hex(&h.finalize())[..12].to_owned()
    }

    /// The unit directory of the Tongxin pack.
    pub fn directory() -> Result<Directory, PackError> {
        load_directory(UNITS_FILE, UNITS_TOML)
    }

    /// The whole pack, validated.
    pub fn pack() -> Result<Pack, PackError> {
        let directory = directory()?;
        let source_text = |path: &str| DOCUMENTS.iter().find(|d| d.2 == path).map(|d| d.3);
        let mut docs = Vec::with_capacity(DOCUMENTS.len());
        for (file, toml, _, _) in DOCUMENTS {
            docs.push(load_document(
                &DocumentSource { file, toml },
                &directory,
                &source_text,
            )?);
        }
        let parameters = load_parameters(RULES_FILE, RULES_TOML)?;
        let corpus = build_corpus(RULES_FILE, docs, parameters)?;
        let mut procedures = PROCEDURES
            .iter()
            .map(|(file, toml)| load_procedure(file, toml, &corpus))
            .collect::<Result<Vec<_>, _>>()?;
        let plans = crate::plans::load_plans(PLANS, &corpus, &directory)?;
        let indicators = crate::indicators::load_indicators(
            INDICATORS_FILE,
            INDICATORS_TOML,
            &corpus,
            &directory,
        )?;
        let chains =
            crate::chains::load_chains(CHAINS_FILE, CHAINS_TOML, &corpus, &directory, &plans)?;
        crate::procedures::fill_chain_options(&mut procedures, PROCEDURES, &chains)?;
        let report_topics =
            crate::reports::load_report_topics(REPORTS_FILE, REPORTS_TOML, &corpus, &directory)?;
        let pack = Pack {
            directory,
            corpus,
            procedures,
            plans,
            indicators,
            chains,
            report_topics,
            version: fingerprint(),
        };
        check_cross_references(UNITS_FILE, &pack)?;
        Ok(pack)
    }
}
