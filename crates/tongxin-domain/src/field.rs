//! Field work (巡查执法) and the village planning registry (村庄规划): the kinds of enforcement
//! case and their steps, the weekly joint-enforcement check of the 100-day campaign, the
//! village types, and the return of old homesteads. Pure: dates are arguments.
//!
//! Sources: 同党办综〔2023〕55号 五、（二）2. (joint enforcement at least once a week);
//! 同政办规发〔2023〕6号 第五、六条 (village types and plans), 第二十五、二十六条 (idle and old
//! homesteads), 第二十八、二十九条 (patrols, unapproved building); 同政办规发〔2023〕7号
//! 第二十四、二十五条 (temporary land misused, spot checks).

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// 执法案件类别: what a patrol found, and who must act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcementKind {
    /// 未批先建: building a house without the permits (同政办规发〔2023〕6号 第二十八条).
    UnapprovedBuilding,
    /// 超审批建设: building beyond what the permits allow (违规建房, 第二十八条).
    BeyondPermit,
    /// 违规放牧: grazing (or pens) in the closed areas (同党办综〔2023〕55号 五、（二）2.).
    IllegalGrazing,
    /// 临时用地违规使用: temporary land used against its approval (同政办规发〔2023〕7号 第二十四条).
    TemporaryLandMisuse,
}

/// Who must act on a case of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsible {
    /// The township where it happened (乡镇综合行政执法机构, 第二十八条).
    Township,
    /// A named unit (its short name in the directory).
    Unit(&'static str),
}

impl EnforcementKind {
    pub const ALL: [EnforcementKind; 4] = [
        EnforcementKind::UnapprovedBuilding,
        EnforcementKind::BeyondPermit,
        EnforcementKind::IllegalGrazing,
        EnforcementKind::TemporaryLandMisuse,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EnforcementKind::UnapprovedBuilding => "unapproved_building",
            EnforcementKind::BeyondPermit => "beyond_permit",
            EnforcementKind::IllegalGrazing => "illegal_grazing",
            EnforcementKind::TemporaryLandMisuse => "temporary_land_misuse",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnforcementKind::UnapprovedBuilding => "未批先建",
            EnforcementKind::BeyondPermit => "超审批建设",
            EnforcementKind::IllegalGrazing => "违规放牧",
            EnforcementKind::TemporaryLandMisuse => "临时用地违规使用",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(s: &str) -> Option<EnforcementKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
    }

    /// The clause that makes the unit responsible.
    pub fn clause(self) -> &'static str {
        match self {
            EnforcementKind::UnapprovedBuilding | EnforcementKind::BeyondPermit => {
                "同政办规发〔2023〕6号 第二十八条"
            }
            EnforcementKind::IllegalGrazing => "同党办综〔2023〕55号 五、（二）2.",
            EnforcementKind::TemporaryLandMisuse => "同政办规发〔2023〕7号 第二十四条",
        }
    }

    /// Who acts: building cases the township (第二十八、二十九条: the village reports to the
    /// township, whose enforcement office investigates); grazing the 自然资源局, which leads
    /// 五、禁牧封育 and is named first in 五、（二）2.; temporary land the 自然资源局 (第二十四条
    /// “所在地自然资源主管部门”).
    pub fn responsible(self) -> Responsible {
        match self {
            EnforcementKind::UnapprovedBuilding | EnforcementKind::BeyondPermit => {
                Responsible::Township
            }
            EnforcementKind::IllegalGrazing | EnforcementKind::TemporaryLandMisuse => {
                Responsible::Unit("自然资源局")
            }
        }
    }

    /// The rule (rules.toml) giving the working days of an order to correct.
    pub fn correction_rule(self) -> &'static str {
        match self {
            EnforcementKind::UnapprovedBuilding | EnforcementKind::BeyondPermit => {
                "enforcement.correction.building.workdays"
            }
            EnforcementKind::IllegalGrazing => "enforcement.correction.grazing.workdays",
            EnforcementKind::TemporaryLandMisuse => {
                "enforcement.correction.temporary_land.workdays"
            }
        }
    }
}

/// 案件状态 of an enforcement case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcementStatus {
    /// 已立案
    Filed,
    /// 已调查
    Investigated,
    /// 已责令改正 (a deadline runs)
    Ordered,
    /// 整改已核实
    Verified,
    /// 已结案
    Closed,
    /// 不实结案: closed as unfounded, with the reason.
    Unfounded,
}

/// A step an official takes on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcementStep {
    /// 调查取证
    Investigate,
    /// 责令改正
    Order,
    /// 核实整改
    Verify,
    /// 结案
    Close,
    /// 不实结案
    Dismiss,
}

impl EnforcementStatus {
    pub const ALL: [EnforcementStatus; 6] = [
        EnforcementStatus::Filed,
        EnforcementStatus::Investigated,
        EnforcementStatus::Ordered,
        EnforcementStatus::Verified,
        EnforcementStatus::Closed,
        EnforcementStatus::Unfounded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EnforcementStatus::Filed => "filed",
            EnforcementStatus::Investigated => "investigated",
            EnforcementStatus::Ordered => "ordered",
            EnforcementStatus::Verified => "verified",
            EnforcementStatus::Closed => "closed",
            EnforcementStatus::Unfounded => "unfounded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnforcementStatus::Filed => "已立案",
            EnforcementStatus::Investigated => "已调查",
            EnforcementStatus::Ordered => "已责令改正",
            EnforcementStatus::Verified => "整改已核实",
            EnforcementStatus::Closed => "已结案",
            EnforcementStatus::Unfounded => "不实结案",
        }
    }

    pub fn parse(code: &str) -> Option<EnforcementStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            EnforcementStatus::Closed | EnforcementStatus::Unfounded
        )
    }

    /// The transition table: the status after `step`, or None where the step is not allowed.
    /// A case is closed as unfounded only before an order was made; after an order it ends by
    /// a verified correction.
    pub fn after(self, step: EnforcementStep) -> Option<EnforcementStatus> {
        use EnforcementStatus as S;
        use EnforcementStep as T;
        match (self, step) {
            (S::Filed, T::Investigate) => Some(S::Investigated),
            (S::Investigated, T::Order) => Some(S::Ordered),
            (S::Ordered, T::Verify) => Some(S::Verified),
            (S::Verified, T::Close) => Some(S::Closed),
            (S::Filed | S::Investigated, T::Dismiss) => Some(S::Unfounded),
            _ => None,
        }
    }
}

impl EnforcementStep {
    pub const ALL: [EnforcementStep; 5] = [
        EnforcementStep::Investigate,
        EnforcementStep::Order,
        EnforcementStep::Verify,
        EnforcementStep::Close,
        EnforcementStep::Dismiss,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EnforcementStep::Investigate => "investigate",
            EnforcementStep::Order => "order",
            EnforcementStep::Verify => "verify",
            EnforcementStep::Close => "close",
            EnforcementStep::Dismiss => "dismiss",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnforcementStep::Investigate => "调查取证",
            EnforcementStep::Order => "责令改正",
            EnforcementStep::Verify => "核实整改",
            EnforcementStep::Close => "结案",
            EnforcementStep::Dismiss => "不实结案",
        }
    }

    pub fn parse(code: &str) -> Option<EnforcementStep> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// 攻坚周: how one ISO week of the campaign stands against the weekly joint enforcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekStanding {
    /// At least the required sessions were held (green).
    Met,
    /// The week (or the campaign's part of it) has ended without them (red).
    Missed,
    /// Still in progress, or not yet begun: no judgement yet.
    Open,
}

impl WeekStanding {
    pub fn colour(self) -> &'static str {
        match self {
            WeekStanding::Met => "green",
            WeekStanding::Missed => "red",
            WeekStanding::Open => "grey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WeekStanding::Met => "已开展",
            WeekStanding::Missed => "未开展",
            WeekStanding::Open => "本周进行中或未到",
        }
    }
}

/// One ISO week (Monday to Sunday) of a campaign, cut to the campaign's days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignWeek {
    /// ISO year and week number.
    pub iso_year: i32,
    pub iso_week: u32,
    /// The campaign's first and last day in this week.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Sessions held within `from..=to`.
    pub sessions: usize,
    pub standing: WeekStanding,
}

/// The campaign's ISO weeks from `start` to `end` (inclusive), each with the sessions held in
/// it and its standing on `today`: met with at least `per_week` sessions, missed once its last
/// campaign day has passed without them, open otherwise. A campaign that starts or ends
/// mid-week has a short first or last week; the requirement applies to it unchanged (the text
/// says 每周, with no exception for part weeks).
pub fn campaign_weeks(
    start: NaiveDate,
    end: NaiveDate,
    sessions: &[NaiveDate],
    per_week: usize,
    today: NaiveDate,
) -> Vec<CampaignWeek> {
    let mut out = Vec::new();
    if end < start {
        return out;
    }
    let mut monday = start - Days::new(u64::from(start.weekday().num_days_from_monday()));
    while monday <= end {
        let sunday = monday + Days::new(6);
        let from = monday.max(start);
        let to = sunday.min(end);
        let held = sessions.iter().filter(|d| **d >= from && **d <= to).count();
        let standing = if held >= per_week {
            WeekStanding::Met
        } else if today > to {
            WeekStanding::Missed
        } else {
            WeekStanding::Open
        };
        let iso = monday.iso_week();
        out.push(CampaignWeek {
            iso_year: iso.year(),
            iso_week: iso.week(),
            from,
            to,
            sessions: held,
            standing,
        });
        monday = monday + Days::new(7);
    }
    out
}

/// 村庄类型 (同政办规发〔2023〕6号 第五条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VillageType {
    /// 集聚提升类
    Cluster,
    /// 城郊融合类
    Suburban,
    /// 特色保护类
    Heritage,
    /// 整治改善类
    Improvement,
    /// 搬迁撤并类
    Relocation,
    /// 暂不分类 (“对短时间内难以确定类型的村庄可暂不分类”)
    Unclassified,
}

impl VillageType {
    pub const ALL: [VillageType; 6] = [
        VillageType::Cluster,
        VillageType::Suburban,
        VillageType::Heritage,
        VillageType::Improvement,
        VillageType::Relocation,
        VillageType::Unclassified,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VillageType::Cluster => "cluster",
            VillageType::Suburban => "suburban",
            VillageType::Heritage => "heritage",
            VillageType::Improvement => "improvement",
            VillageType::Relocation => "relocation",
            VillageType::Unclassified => "unclassified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VillageType::Cluster => "集聚提升类",
            VillageType::Suburban => "城郊融合类",
            VillageType::Heritage => "特色保护类",
            VillageType::Improvement => "整治改善类",
            VillageType::Relocation => "搬迁撤并类",
            VillageType::Unclassified => "未分类",
        }
    }

    /// Accepts the code or the Chinese label (暂不分类 too).
    pub fn parse(s: &str) -> Option<VillageType> {
        let s = s.trim();
        if s == "暂不分类" {
            return Some(VillageType::Unclassified);
        }
        Self::ALL
            .into_iter()
            .find(|t| t.code() == s || t.label() == s)
    }
}

/// 闲置宅基地 / 闲置住宅 / 原宅基地: what an entry of the idle-homestead register is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdleKind {
    /// 闲置宅基地 (第二十五条)
    Homestead,
    /// 闲置住宅 (第二十五条)
    House,
    /// 原宅基地: the old homestead of a household building on a new site, to be returned free
    /// by the promised date (第二十六条).
    OldHomestead,
}

impl IdleKind {
    pub const ALL: [IdleKind; 3] = [IdleKind::Homestead, IdleKind::House, IdleKind::OldHomestead];

    pub fn code(self) -> &'static str {
        match self {
            IdleKind::Homestead => "homestead",
            IdleKind::House => "house",
            IdleKind::OldHomestead => "old_homestead",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IdleKind::Homestead => "闲置宅基地",
            IdleKind::House => "闲置住宅",
            IdleKind::OldHomestead => "另址建房应退原宅基地",
        }
    }

    pub fn parse(s: &str) -> Option<IdleKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s || k.label() == s)
    }

    /// The clause the entry rests on.
    pub fn clause(self) -> &'static str {
        match self {
            IdleKind::Homestead | IdleKind::House => "同政办规发〔2023〕6号 第二十五条",
            IdleKind::OldHomestead => "同政办规发〔2023〕6号 第二十六条",
        }
    }

    /// The uses 第二十五条 names for this kind (offered on the form; others may be typed).
    pub fn suggested_reuses(self) -> &'static [&'static str] {
        match self {
            IdleKind::Homestead | IdleKind::OldHomestead => {
                &["游园", "果园", "菜园", "花园", "文化广场", "村庄景观"]
            }
            IdleKind::House => &["村史馆", "图书室", "活动室", "文化旅游", "农事体验"],
        }
    }
}

/// 退回状态 of an old homestead (第二十六条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnStanding {
    /// Not yet returned; the promised date has not passed (the promised day itself included).
    Pending,
    /// Not returned and the promised date has passed (red).
    Overdue,
    /// Returned on or before the promised date.
    Returned,
    /// Returned, after the promised date.
    ReturnedLate,
}

impl ReturnStanding {
    /// How an old homestead promised back by `promised` stands on `today`.
    pub fn of(promised: NaiveDate, returned: Option<NaiveDate>, today: NaiveDate) -> Self {
        match returned {
            Some(r) if r <= promised => ReturnStanding::Returned,
            Some(_) => ReturnStanding::ReturnedLate,
            None if today > promised => ReturnStanding::Overdue,
            None => ReturnStanding::Pending,
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            ReturnStanding::Pending => "green",
            ReturnStanding::Overdue => "red",
            ReturnStanding::Returned | ReturnStanding::ReturnedLate => "grey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReturnStanding::Pending => "未到退回期限",
            ReturnStanding::Overdue => "逾期未退回",
            ReturnStanding::Returned => "已按期退回",
            ReturnStanding::ReturnedLate => "已退回（逾期）",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_transition_of_an_enforcement_case() {
        use EnforcementStatus as S;
        use EnforcementStep as T;
        let allowed = [
            (S::Filed, T::Investigate, S::Investigated),
            (S::Investigated, T::Order, S::Ordered),
            (S::Ordered, T::Verify, S::Verified),
            (S::Verified, T::Close, S::Closed),
            (S::Filed, T::Dismiss, S::Unfounded),
            (S::Investigated, T::Dismiss, S::Unfounded),
        ];
        for from in S::ALL {
            for step in T::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, s, _)| *f == from && *s == step)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.after(step), expected, "{from:?} + {step:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in EnforcementKind::ALL {
            assert_eq!(EnforcementKind::parse(k.code()), Some(k));
            assert_eq!(EnforcementKind::parse(k.label()), Some(k));
        }
        for s in EnforcementStatus::ALL {
            assert_eq!(EnforcementStatus::parse(s.code()), Some(s));
        }
        for s in EnforcementStep::ALL {
            assert_eq!(EnforcementStep::parse(s.code()), Some(s));
        }
        for t in VillageType::ALL {
            assert_eq!(VillageType::parse(t.label()), Some(t));
        }
        assert_eq!(
            VillageType::parse("暂不分类"),
            Some(VillageType::Unclassified)
        );
        for k in IdleKind::ALL {
            assert_eq!(IdleKind::parse(k.code()), Some(k));
        }
        assert_eq!(EnforcementKind::parse("乱建"), None);
    }

    #[test]
    fn building_goes_to_the_township_grazing_and_temporary_land_to_natural_resources() {
        assert_eq!(
            EnforcementKind::UnapprovedBuilding.responsible(),
            Responsible::Township
        );
        assert_eq!(
            EnforcementKind::BeyondPermit.responsible(),
            Responsible::Township
        );
        assert_eq!(
            EnforcementKind::IllegalGrazing.responsible(),
            Responsible::Unit("自然资源局")
        );
        assert_eq!(
            EnforcementKind::TemporaryLandMisuse.responsible(),
            Responsible::Unit("自然资源局")
        );
    }

    /// The D2 campaign: Thursday 2023-10-19 to Saturday 2024-01-27.
    fn campaign(sessions: &[NaiveDate], today: NaiveDate) -> Vec<CampaignWeek> {
        campaign_weeks(d(2023, 10, 19), d(2024, 1, 27), sessions, 1, today)
    }

    #[test]
    fn weeks_start_on_monday_and_are_cut_to_the_campaign() {
        let w = campaign(&[], d(2024, 3, 1));
        assert_eq!(w.len(), 15);
        // Started on a Thursday: the first week is Thursday to Sunday.
        assert_eq!((w[0].from, w[0].to), (d(2023, 10, 19), d(2023, 10, 22)));
        assert_eq!((w[0].iso_year, w[0].iso_week), (2023, 42));
        assert_eq!((w[1].from, w[1].to), (d(2023, 10, 23), d(2023, 10, 29)));
        // Ended on a Saturday: the last week is Monday to Saturday.
        let last = w.last().unwrap();
        assert_eq!((last.from, last.to), (d(2024, 1, 22), d(2024, 1, 27)));
        assert_eq!((last.iso_year, last.iso_week), (2024, 4));
        // ISO week 1 of 2024 begins on Monday 2024-01-01.
        assert!(w.iter().any(|x| x.from == d(2024, 1, 1) && x.iso_week == 1));
    }

    #[test]
    fn a_week_is_judged_only_once_its_campaign_days_have_ended() {
        // (today, sessions, standing of the week of 2023-10-23 … 10-29)
        let cases = [
            // Sunday, the week's last day: still in progress.
            (d(2023, 10, 29), vec![], WeekStanding::Open),
            // Monday after: missed.
            (d(2023, 10, 30), vec![], WeekStanding::Missed),
            // A session on Monday or on Sunday counts for the week.
            (d(2023, 10, 30), vec![d(2023, 10, 23)], WeekStanding::Met),
            (d(2023, 10, 30), vec![d(2023, 10, 29)], WeekStanding::Met),
            // The Monday after belongs to the next week.
            (d(2023, 11, 6), vec![d(2023, 10, 30)], WeekStanding::Missed),
            // Held already on Tuesday: met before the week ends.
            (d(2023, 10, 25), vec![d(2023, 10, 24)], WeekStanding::Met),
            // Not begun yet.
            (d(2023, 10, 20), vec![], WeekStanding::Open),
        ];
        for (today, sessions, standing) in cases {
            let w = campaign(&sessions, today);
            let week = w.iter().find(|x| x.from == d(2023, 10, 23)).unwrap();
            assert_eq!(week.standing, standing, "today {today}, {sessions:?}");
        }
    }

    #[test]
    fn part_weeks_at_the_ends_follow_the_campaign_days() {
        // First week (Thu 10-19 … Sun 10-22): a session on Wednesday 10-18 is before the
        // campaign and does not count; judged on Monday 10-23.
        let w = campaign(&[d(2023, 10, 18)], d(2023, 10, 23));
        assert_eq!(w[0].sessions, 0);
        assert_eq!(w[0].standing, WeekStanding::Missed);
        let w = campaign(&[d(2023, 10, 22)], d(2023, 10, 22));
        assert_eq!(w[0].standing, WeekStanding::Met);
        // Last week (Mon 01-22 … Sat 01-27): judged on Sunday 01-28, the campaign being over.
        let last = |today| *campaign(&[], today).last().map(|x| &x.standing).unwrap();
        assert_eq!(last(d(2024, 1, 27)), WeekStanding::Open);
        assert_eq!(last(d(2024, 1, 28)), WeekStanding::Missed);
        // A session on Sunday 01-28 is after the campaign.
        let w = campaign(&[d(2024, 1, 28)], d(2024, 2, 1));
        assert_eq!(w.last().unwrap().sessions, 0);
    }

    #[test]
    fn a_campaign_within_one_week_and_an_empty_one() {
        let w = campaign_weeks(d(2024, 1, 2), d(2024, 1, 4), &[], 1, d(2024, 1, 5));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].standing, WeekStanding::Missed);
        assert!(campaign_weeks(d(2024, 1, 4), d(2024, 1, 2), &[], 1, d(2024, 1, 5)).is_empty());
    }

    #[test]
    fn an_old_homestead_is_overdue_the_day_after_its_promised_date() {
        let promised = d(2026, 6, 30);
        let cases = [
            (None, d(2026, 6, 29), ReturnStanding::Pending),
            (None, d(2026, 6, 30), ReturnStanding::Pending),
            (None, d(2026, 7, 1), ReturnStanding::Overdue),
            (
                Some(d(2026, 6, 30)),
                d(2026, 12, 1),
                ReturnStanding::Returned,
            ),
            (
                Some(d(2026, 5, 1)),
                d(2026, 12, 1),
                ReturnStanding::Returned,
            ),
            (
                Some(d(2026, 7, 1)),
                d(2026, 12, 1),
                ReturnStanding::ReturnedLate,
            ),
        ];
        for (returned, today, expected) in cases {
            let s = ReturnStanding::of(promised, returned, today);
            assert_eq!(s, expected, "returned {returned:?} on {today}");
        }
        assert_eq!(ReturnStanding::Overdue.colour(), "red");
    }
}
