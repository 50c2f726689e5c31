//! 产业链 (同党办发〔2023〕49号): the 21 chains each led by a county leader (链长), their links
//! from upstream to downstream (环节), and how strong each link is on a given day.
//!
//! - A chain has one chief, one lead unit and its responsible units (三、（一）/（二）), the
//!   direction the document sets, and its segments in upstream → downstream order.
//! - A segment's strength (四、（二）, "一张施工图"): 有企业 when an enterprise of the register
//!   works in it; 有在建项目 when none does but an investment project for it is signed or
//!   landing; otherwise 缺失 (a gap), which the chain map links to the leads that would fill it.
//! - 链主 (四、（三）): an enterprise is a candidate, then certified by the county (with the reward
//!   recorded); a regional (自治区级) certification is recorded with the county's further reward.

use serde::Serialize;

use crate::citation::Citation;
use crate::directory::UnitId;

/// 产业链类别 (三、（一） 重点推进产业链 / 三、（二） 培育产业链).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainKind {
    /// 重点推进产业链.
    Key,
    /// 培育产业链.
    Cultivated,
}

impl ChainKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "key" => Some(ChainKind::Key),
            "cultivated" => Some(ChainKind::Cultivated),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChainKind::Key => "重点推进产业链",
            ChainKind::Cultivated => "培育产业链",
        }
    }
}

/// 环节位置: where a segment sits on its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStage {
    /// 上游.
    Upstream,
    /// 中游.
    Midstream,
    /// 下游.
    Downstream,
    /// 配套: supporting products beside the main line (支架, 光伏电缆).
    Supporting,
}

impl SegmentStage {
    pub const ALL: [SegmentStage; 4] = [
        SegmentStage::Upstream,
        SegmentStage::Midstream,
        SegmentStage::Downstream,
        SegmentStage::Supporting,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            SegmentStage::Upstream => "upstream",
            SegmentStage::Midstream => "midstream",
            SegmentStage::Downstream => "downstream",
            SegmentStage::Supporting => "supporting",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SegmentStage::Upstream => "上游",
            SegmentStage::Midstream => "中游",
            SegmentStage::Downstream => "下游",
            SegmentStage::Supporting => "配套",
        }
    }
}

/// 产业链环节.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// ASCII, unique within the chain (`ingot`).
    pub key: String,
    /// As the document names it (`拉晶`).
    pub name: String,
    pub stage: SegmentStage,
}

/// 产业链.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// The supervision plan's link ref (`pv`).
    pub key: String,
    /// Without 产业链 (`光伏`).
    pub name: String,
    pub kind: ChainKind,
    /// The clause naming the chain (`同党办发〔2023〕49号 三、（一）1.`).
    pub clause: Citation,
    /// 链长.
    pub chief: String,
    /// 牵头单位.
    pub lead: UnitId,
    /// 责任单位.
    pub responsible: Vec<UnitId>,
    /// 发展方向, as the clause words it.
    pub direction: String,
    /// 重点平台 the clause itself names.
    pub platforms: Vec<String>,
    /// Upstream → downstream.
    pub segments: Vec<Segment>,
}

impl Chain {
    /// `光伏产业链`.
    pub fn title(&self) -> String {
        format!("{}产业链", self.name)
    }

    pub fn segment(&self, key: &str) -> Option<&Segment> {
        self.segments.iter().find(|s| s.key == key)
    }
}

/// 环节强弱: what the chain map colours a segment by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// 缺失: no enterprise, no project under way.
    Gap,
    /// 在建补链: no enterprise yet, a signed or landing project under way.
    Building,
    /// 有企业.
    Present,
}

impl Strength {
    pub fn code(self) -> &'static str {
        match self {
            Strength::Gap => "gap",
            Strength::Building => "building",
            Strength::Present => "present",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strength::Gap => "缺失",
            Strength::Building => "在建补链",
            Strength::Present => "有企业",
        }
    }

    /// The status colour (green / yellow / red).
    pub fn colour(self) -> &'static str {
        match self {
            Strength::Gap => "red",
            Strength::Building => "yellow",
            Strength::Present => "green",
        }
    }
}

/// What the registers hold for one segment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentCounts {
    /// Enterprises of the register working in the segment.
    pub enterprises: usize,
    /// Investment projects for the segment signed or landing (落地中), not yet funded.
    pub projects: usize,
    /// Open leads for the segment (before signing, outside the reserve pool).
    pub leads: usize,
}

/// A segment's strength from its counts.
pub fn strength(c: SegmentCounts) -> Strength {
    if c.enterprises > 0 {
        Strength::Present
    } else if c.projects > 0 {
        Strength::Building
    } else {
        Strength::Gap
    }
}

/// A chain's status colour on the 产业链 cards: its weakest segment (a chain with one gap is
/// red; with none but a segment still building, yellow; every segment with an enterprise,
/// green). A chain without segments is a gap.
pub fn chain_strength(segments: impl IntoIterator<Item = SegmentCounts>) -> Strength {
    segments
        .into_iter()
        .map(strength)
        .min()
        .unwrap_or(Strength::Gap)
}

/// 链主 status (四、（三）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainMasterLevel {
    /// 链主候选企业.
    Candidate,
    /// 县级认定链主.
    County,
    /// 自治区级认定链主.
    Regional,
}

impl ChainMasterLevel {
    pub const ALL: [ChainMasterLevel; 3] = [
        ChainMasterLevel::Candidate,
        ChainMasterLevel::County,
        ChainMasterLevel::Regional,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            ChainMasterLevel::Candidate => "candidate",
            ChainMasterLevel::County => "county",
            ChainMasterLevel::Regional => "regional",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChainMasterLevel::Candidate => "链主候选",
            ChainMasterLevel::County => "县级链主",
            ChainMasterLevel::Regional => "自治区级链主",
        }
    }

    /// Whether recording this step needs a reward (the county's reward for its own
    /// certification, and its further reward on a regional one).
    pub fn carries_reward(self) -> bool {
        !matches!(self, ChainMasterLevel::Candidate)
    }

    /// Which step may follow `current` (None: not yet a candidate). Candidate → county →
    /// regional; a regional certification may also come to an enterprise the county had only
    /// named a candidate (四、（三） records the regional decision as it is).
    pub fn may_follow(self, current: Option<ChainMasterLevel>) -> bool {
        matches!(
            (current, self),
            (None, ChainMasterLevel::Candidate)
                | (Some(ChainMasterLevel::Candidate), ChainMasterLevel::County)
                | (
                    Some(ChainMasterLevel::Candidate | ChainMasterLevel::County),
                    ChainMasterLevel::Regional
                )
        )
    }
}

/// 清单 (四、（二）): the lists the lead unit keeps per chain beside the enterprises and
/// projects the registers hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainListKind {
    /// 重点平台.
    Platform,
    /// 关键共性技术.
    Technology,
    /// 制约瓶颈.
    Bottleneck,
    /// 一链一策: 供应链堵点、断点 with its measures.
    Blockage,
}

impl ChainListKind {
    pub const ALL: [ChainListKind; 4] = [
        ChainListKind::Platform,
        ChainListKind::Technology,
        ChainListKind::Bottleneck,
        ChainListKind::Blockage,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn code(self) -> &'static str {
        match self {
            ChainListKind::Platform => "platform",
            ChainListKind::Technology => "technology",
            ChainListKind::Bottleneck => "bottleneck",
            ChainListKind::Blockage => "blockage",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChainListKind::Platform => "重点平台",
            ChainListKind::Technology => "关键共性技术",
            ChainListKind::Bottleneck => "制约瓶颈",
            ChainListKind::Blockage => "供应链堵点断点（一链一策）",
        }
    }

    /// The clause requiring the list (all four, 一链一策 included, are in 四、（二）).
    pub fn clause(self) -> &'static str {
        "四、（二）"
    }

    /// A blockage is recorded with its measures.
    pub fn needs_measure(self) -> bool {
        matches!(self, ChainListKind::Blockage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(enterprises: usize, projects: usize, leads: usize) -> SegmentCounts {
        SegmentCounts {
            enterprises,
            projects,
            leads,
        }
    }

    #[test]
    fn a_segment_is_as_strong_as_what_is_in_it() {
        for (counts, want) in [
            (c(0, 0, 0), Strength::Gap),
            (c(0, 0, 5), Strength::Gap),
            (c(0, 1, 0), Strength::Building),
            (c(0, 3, 2), Strength::Building),
            (c(1, 0, 0), Strength::Present),
            (c(2, 4, 1), Strength::Present),
        ] {
            assert_eq!(strength(counts), want, "{counts:?}");
        }
    }

    #[test]
    fn a_chain_is_as_strong_as_its_weakest_segment() {
        assert_eq!(chain_strength([]), Strength::Gap);
        assert_eq!(chain_strength([c(1, 0, 0), c(2, 0, 0)]), Strength::Present);
        assert_eq!(chain_strength([c(1, 0, 0), c(0, 1, 0)]), Strength::Building);
        assert_eq!(
            chain_strength([c(1, 0, 0), c(0, 1, 0), c(0, 0, 3)]),
            Strength::Gap
        );
    }

    #[test]
    fn chain_master_steps_go_up_only() {
        use ChainMasterLevel::*;
        assert!(Candidate.may_follow(None));
        assert!(!County.may_follow(None));
        assert!(!Regional.may_follow(None));
        assert!(County.may_follow(Some(Candidate)));
        assert!(Regional.may_follow(Some(Candidate)));
        assert!(Regional.may_follow(Some(County)));
        assert!(!Candidate.may_follow(Some(Candidate)));
        assert!(!County.may_follow(Some(County)));
        assert!(!County.may_follow(Some(Regional)));
        assert!(!Regional.may_follow(Some(Regional)));
        assert!(!Candidate.carries_reward());
        assert!(County.carries_reward() && Regional.carries_reward());
    }

    #[test]
    fn codes_round_trip() {
        for s in SegmentStage::ALL {
            assert_eq!(SegmentStage::parse(s.code()), Some(s));
        }
        for k in ChainMasterLevel::ALL {
            assert_eq!(ChainMasterLevel::parse(k.code()), Some(k));
        }
        for k in ChainListKind::ALL {
            assert_eq!(ChainListKind::parse(k.code()), Some(k));
        }
        assert_eq!(ChainKind::parse("key"), Some(ChainKind::Key));
        assert_eq!(ChainKind::parse("x"), None);
    }
}
