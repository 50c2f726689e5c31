//! 财源: the rules of revenue building (同政办发〔2023〕76号) without a database — amounts in
//! fen, the 统一社会信用代码 check, the yearly path to the general budget target, progress
//! against time (序时进度), the key tax-source rule, and the fall that raises an alert.
//!
//! The document sets the target (一、（三）: 5亿元 by 2025, “年均增长10%左右”) and the register's
//! criteria (二、（一）: “根据税收收入占比情况和各重点行业纳税企业分布情况”) but no numbers for the
//! latter and no rule for “on track”. The county's rules, written here:
//! - **年度目标路径**: the target year's figure divided by (1 + growth) once for each year before
//!   it: 2025 5亿元, 2024 4.5455亿元, 2023 4.1322亿元. A later year has a path only when the
//!   county adds a dated value for it to `revenue.general_budget_target`.
//! - **序时进度**: after month m, m/12 of the year's target is due. Cumulative revenue at or
//!   above it is 进度正常 (green); up to 5 percentage points below, 略低于序时进度 (yellow);
//!   further below, 明显滞后 (red).
//! - **重点税源**: over the last twelve months' tax, the largest taxpayers that together make
//!   the share the finance bureau sets (e.g. 80%), plus the first few of every industry (the
//!   number it sets) so that each industry is watched; each with the reason it is in.
//! - **预警**: a key taxpayer's tax in a month below the same month a year before by more than
//!   the threshold the finance bureau sets (tax is seasonal: 企业所得税 is paid by quarter, so
//!   a month is compared with the same month, not the one before).

use std::collections::HashMap;

use serde::Serialize;

/// 统一社会信用代码 (GB 32100-2015), checked by [`crate::ids::CreditCode`]: the message names
/// the code and the rule it breaks. Lower case is accepted and upper-cased.
pub fn credit_code(s: &str) -> Result<String, String> {
    crate::ids::CreditCode::parse("credit_code", s)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| format!("“{}”：{}", s.trim(), e.message))
}

/// An amount in yuan as typed (`1,234.56`, `1234`), in fen; at most two decimal places.
pub fn parse_yuan(s: &str) -> Result<i64, String> {
    let v = crate::indicators::Value::parse(s).map_err(|e| e.0)?;
    if v.0 % 10 != 0 {
        return Err(format!("“{}”的小数位过多（金额最多到分）", s.trim()));
    }
    Ok(v.0 / 10)
}

/// An amount in 万元 as typed, in fen (`12.3456` 万元 = 123456.00 元); at most six places.
pub fn parse_wan(s: &str) -> Result<i64, String> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if frac.len() > 6 {
        return Err(format!(
            "“{}”的小数位过多（万元最多到分，即6位小数）",
            s.trim()
        ));
    }
    let yuan = format!("{int}{:0<4}", &frac[..frac.len().min(4)]);
    let fen = format!("{:0<2}", &frac[frac.len().min(4)..]);
    parse_yuan(&format!("{yuan}.{fen}")).map_err(|_| format!("“{}”不是数值", s.trim()))
}

/// `1,234,567.89` 元 from fen.
pub fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let int = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

/// `12,345.68` 万元 from fen (rounded half away from zero to the hundredth of a 万元).
pub fn wan_text(fen: i64) -> String {
    // 1 万元 = 1,000,000 fen; hundredths of 万元 = 10,000 fen.
    let q = (fen.abs() + 5_000) / 10_000;
    yuan_text(if fen < 0 { -q } else { q })
}

/// 年度目标: the year's figure on the path to `target` (fen) in `target_year`, growing by
/// `growth_bp` basis points a year; None after the target year. Rounded half up to the fen.
pub fn path_for_year(target: i64, target_year: i32, growth_bp: i64, year: i32) -> Option<i64> {
    if year > target_year || growth_bp <= -10_000 {
        return None;
    }
    let n = u32::try_from(target_year - year).ok()?;
    let num = i128::from(target) * 10_000i128.checked_pow(n)?;
    let den = (10_000 + i128::from(growth_bp)).checked_pow(n)?;
    i64::try_from((2 * num + den) / (2 * den)).ok()
}

/// 序时进度 after `month` (1–12) months, in basis points of the year (month/12).
pub fn time_progress_bp(month: u32) -> i64 {
    i64::from(month.min(12)) * 10_000 / 12
}

/// Progress of cumulative revenue against the year's target after `month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 进度正常
    OnPace,
    /// 略低于序时进度 (up to 5 points below)
    SlightlyBehind,
    /// 明显滞后
    Behind,
}

impl Progress {
    /// Within how many basis points of the time progress is “slightly” behind.
    pub const SLACK_BP: i64 = 500;

    pub fn of(cumulative: i64, annual_target: i64, month: u32) -> Option<(Progress, i64)> {
        if annual_target <= 0 {
            return None;
        }
        let done =
            i64::try_from(i128::from(cumulative) * 10_000 / i128::from(annual_target)).ok()?;
        let due = time_progress_bp(month);
        let p = if done >= due {
            Progress::OnPace
        } else if done >= due - Self::SLACK_BP {
            Progress::SlightlyBehind
        } else {
            Progress::Behind
        };
        Some((p, done))
    }

    pub fn label(self) -> &'static str {
        match self {
            Progress::OnPace => "进度正常",
            Progress::SlightlyBehind => "略低于序时进度",
            Progress::Behind => "明显滞后",
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            Progress::OnPace => "green",
            Progress::SlightlyBehind => "yellow",
            Progress::Behind => "red",
        }
    }
}

/// A taxpayer's tax over the period the register is chosen on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxTotal {
    pub code: String,
    pub industry: String,
    /// fen
    pub amount: i64,
}

/// Why a taxpayer is a key tax source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeySource {
    pub code: String,
    /// Its share of all tax, in basis points.
    pub share_bp: i64,
    /// Its place among all taxpayers (1 = the largest).
    pub rank: usize,
    /// Its place in its industry.
    pub industry_rank: usize,
    /// 税收占比前80% / 本行业前3位.
    pub reasons: Vec<String>,
}

/// 重点税源名录 by the rule above: the largest taxpayers that together reach `cover_bp` of all
/// tax (the one that crosses it included), and the first `per_industry` of each industry.
/// Taxpayers with no positive tax are never chosen. Ordered by amount, largest first (ties by
/// code).
pub fn key_sources(totals: &[TaxTotal], cover_bp: i64, per_industry: usize) -> Vec<KeySource> {
    let mut order: Vec<&TaxTotal> = totals.iter().filter(|t| t.amount > 0).collect();
    order.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.code.cmp(&b.code)));
    let all: i128 = order.iter().map(|t| i128::from(t.amount)).sum();
    if all == 0 {
        return Vec::new();
    }
    let mut in_industry: HashMap<&str, usize> = HashMap::new();
    let (mut before, mut out) = (0i128, Vec::new());
    for (i, t) in order.iter().enumerate() {
        let irank = {
            let n = in_industry.entry(t.industry.as_str()).or_default();
            *n += 1;
            *n
        };
        let mut reasons = Vec::new();
        // Still short of the cover before this one: it is among those that reach it.
        if before * 10_000 < all * i128::from(cover_bp) {
            reasons.push(format!(
                "税收合计占比前{}%",
                crate::indicators::percent_text(cover_bp).trim_end_matches(".00%")
            ));
        }
        if irank <= per_industry {
            let industry = if t.industry.is_empty() {
                "未分行业"
            } else {
                &t.industry
            };
            reasons.push(format!("{industry}纳税第{irank}位"));
        }
        before += i128::from(t.amount);
        if !reasons.is_empty() {
            out.push(KeySource {
                code: t.code.clone(),
                share_bp: i64::try_from(i128::from(t.amount) * 10_000 / all).unwrap_or(0),
                rank: i + 1,
                industry_rank: irank,
                reasons,
            });
        }
    }
    out
}

/// 预警: the fall (basis points, positive) of `current` below `year_before` when it exceeds
/// `threshold_bp`; None otherwise, or when there was nothing a year before.
pub fn fall_beyond(current: i64, year_before: i64, threshold_bp: i64) -> Option<i64> {
    let g = crate::indicators::growth_bp(
        crate::indicators::Value(current),
        crate::indicators::Value(year_before),
    )?;
    (year_before > 0 && -g > threshold_bp).then_some(-g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_are_checked_by_their_check_character() {
        for ok in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91640324ma7600013w",
        ] {
            assert!(credit_code(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            credit_code(" 91640324ma7600013w ").unwrap(),
            "91640324MA7600013W"
        );
        for (bad, says) in [
            ("91350100M000100Y44", "校验位"),
            ("91350100M000100Y4", "18位"),
            ("91350100M000100YI3", "第17位“I”不是允许的字符"),
            ("", "18位"),
            ("宁夏某某公司", "18位"),
        ] {
            let e = credit_code(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn amounts_in_yuan_and_wan() {
        assert_eq!(parse_yuan("1,234.56"), Ok(123_456));
        assert_eq!(parse_yuan("0.5"), Ok(50));
        assert!(parse_yuan("1.234").unwrap_err().contains("最多到分"));
        assert_eq!(parse_wan("12.3456"), Ok(12_345_600));
        assert_eq!(parse_wan("5"), Ok(5_000_000));
        assert_eq!(parse_wan("0.000001"), Ok(1));
        assert!(parse_wan("0.0000001").is_err());
        assert_eq!(yuan_text(123_456_789), "1,234,567.89");
        assert_eq!(yuan_text(-5), "-0.05");
        assert_eq!(wan_text(50_000_000_000), "50,000.00");
        assert_eq!(wan_text(12_345_000), "12.35");
        assert_eq!(wan_text(-12_345_000), "-12.35");
    }

    #[test]
    fn the_path_to_five_yi_by_hand() {
        let five_yi = 500_000_000 * 100;
        assert_eq!(path_for_year(five_yi, 2025, 1000, 2025), Some(five_yi));
        // 5亿 ÷ 1.1 = 454,545,454.545… 元 → 454,545,454.55
        assert_eq!(
            path_for_year(five_yi, 2025, 1000, 2024),
            Some(45_454_545_455)
        );
        // 5亿 ÷ 1.21 = 413,223,140.495… 元 → 413,223,140.50
        assert_eq!(
            path_for_year(five_yi, 2025, 1000, 2023),
            Some(41_322_314_050)
        );
        assert_eq!(path_for_year(five_yi, 2025, 1000, 2026), None);
        assert_eq!(path_for_year(five_yi, 2025, 0, 2020), Some(five_yi));
    }

    #[test]
    fn progress_against_time_at_its_boundaries() {
        let year = 1_200;
        // After March a quarter is due: 300.
        assert_eq!(Progress::of(300, year, 3), Some((Progress::OnPace, 2_500)));
        assert_eq!(
            Progress::of(299, year, 3).map(|p| p.0),
            Some(Progress::SlightlyBehind)
        );
        // 5 points below: 20% = 240 still slightly behind; 239 behind.
        assert_eq!(
            Progress::of(240, year, 3).map(|p| p.0),
            Some(Progress::SlightlyBehind)
        );
        assert_eq!(
            Progress::of(239, year, 3).map(|p| p.0),
            Some(Progress::Behind)
        );
        assert_eq!(
            Progress::of(1_300, year, 12).map(|p| p.0),
            Some(Progress::OnPace)
        );
        assert_eq!(Progress::of(1, 0, 3), None);
        assert_eq!(time_progress_bp(12), 10_000);
        assert_eq!(time_progress_bp(1), 833);
    }

    fn t(code: &str, industry: &str, yuan: i64) -> TaxTotal {
        TaxTotal {
            code: code.into(),
            industry: industry.into(),
            amount: yuan * 100,
        }
    }

    #[test]
    fn key_sources_by_share_and_by_industry() {
        // 1,000 in all: A 500, B 300, C 100 (energy); D 60, E 40 (agriculture); F 0.
        let totals = [
            t("C", "能源", 100),
            t("A", "能源", 500),
            t("E", "农业", 40),
            t("B", "化工", 300),
            t("D", "农业", 60),
            t("F", "农业", 0),
        ];
        let ks = key_sources(&totals, 8_000, 1);
        let got: Vec<(&str, usize, Vec<&str>)> = ks
            .iter()
            .map(|k| {
                (
                    k.code.as_str(),
                    k.rank,
                    k.reasons.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", 1, vec!["税收合计占比前80%", "能源纳税第1位"]),
                ("B", 2, vec!["税收合计占比前80%", "化工纳税第1位"]),
                // 800 before C reaches 80% exactly: C is not needed for the share.
                ("D", 4, vec!["农业纳税第1位"]),
            ]
        );
        assert_eq!(ks[0].share_bp, 5_000);
        // 81%: C crosses it and is in.
        let ks = key_sources(&totals, 8_100, 0);
        assert_eq!(
            ks.iter().map(|k| k.code.as_str()).collect::<Vec<_>>(),
            ["A", "B", "C"]
        );
        assert!(key_sources(&[t("F", "农业", 0)], 8_000, 3).is_empty());
    }

    #[test]
    fn a_fall_beyond_the_threshold() {
        assert_eq!(fall_beyond(70, 100, 2_000), Some(3_000));
        assert_eq!(fall_beyond(80, 100, 2_000), None, "exactly the threshold");
        assert_eq!(fall_beyond(79, 100, 2_000), Some(2_100));
        assert_eq!(fall_beyond(150, 100, 2_000), None);
        assert_eq!(fall_beyond(0, 0, 2_000), None);
        assert_eq!(fall_beyond(0, 100, 2_000), Some(10_000));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Every taxpayer in the cover set plus those outside sums to at least the cover.
            #[test]
            fn the_register_covers_its_share(amounts in proptest::collection::vec(0i64..1_000_000, 1..60), cover in 0i64..10_000) {
                let totals: Vec<TaxTotal> = amounts.iter().enumerate()
                    .map(|(i, a)| TaxTotal { code: format!("{i:03}"), industry: format!("{}", i % 4), amount: *a })
                    .collect();
                let all: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
                let ks = key_sources(&totals, cover, 0);
                let covered: i128 = ks.iter()
                    .map(|k| i128::from(totals.iter().find(|t| t.code == k.code).unwrap().amount))
                    .sum();
                prop_assert!(covered * 10_000 >= all * i128::from(cover));
                // And none is there that was not needed: without the smallest chosen, short.
                if let Some(last) = ks.last() {
                    let a = i128::from(totals.iter().find(|t| t.code == last.code).unwrap().amount);
                    prop_assert!((covered - a) * 10_000 < all * i128::from(cover));
                }
            }

            /// Going back along the path and forward again lands within a fen a year.
            #[test]
            fn the_path_grows_by_its_rate(target in 1i64..10_000_000_000_000, back in 0i32..6) {
                let y = path_for_year(target, 2025, 1000, 2025 - back).unwrap();
                let mut f = i128::from(y);
                for _ in 0..back { f = f * 11 / 10; }
                prop_assert!((f - i128::from(target)).abs() <= i128::from(back) * 2 + 1);
            }
        }
    }
}
