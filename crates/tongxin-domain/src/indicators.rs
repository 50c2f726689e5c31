//! 指标: the rules of the numeric targets the documents set, without a database — exact
//! decimal values, a target's direction, the status of an indicator on a day (达标、进度正常、
//! 有风险、未达标), growth rates, and the 2:2:4:2 guarantee split.
//!
//! The documents give targets and dates (同党办综〔2023〕55号: PM2.5 ≤ 34 μg/m³ “到2023年底”;
//! 同政办发〔2023〕76号: 5亿元 by 2025) but no rule for “on track”. The county's rule, written
//! here:
//! - after the target's date, an indicator is 达标 if its last value meets the target, else
//!   未达标 (no value at all: 未达标, “无数据”);
//! - before it, a cumulative indicator (a count, an area) that meets its target is 达标; a level
//!   (a mean, a rate that must hold at the date) that meets it is 进度正常 — it must still hold;
//! - one that does not meet it yet is 进度正常 if it is at least as far along as a straight line
//!   from its baseline on the start day to the target on the date, else 有风险; a level without
//!   a baseline that does not meet its target is 有风险.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

/// An exact decimal with three places (μg/m³, %, 亩, 万元), stored as thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Value(pub i64);

/// Why a typed number is not a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

impl Value {
    pub const SCALE: i64 = 1000;

    pub fn from_int(n: i64) -> Value {
        Value(n * Self::SCALE)
    }

    /// `34`, `33.5`, `-1.25`, `1,234.5` (thousands separators allowed); at most three decimal
    /// places; refused, with the reason, otherwise.
    pub fn parse(s: &str) -> Result<Value, ValueError> {
        let t: String = s
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        let bad = || ValueError(format!("“{}”不是数值", s.trim()));
        if t.is_empty() {
            return Err(bad());
        }
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 3 {
            return Err(ValueError(format!("“{}”的小数位过多（最多3位）", s.trim())));
        }
        let int: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let mut f = frac.to_owned();
        while f.len() < 3 {
            f.push('0');
        }
        let frac: i64 = f.parse().map_err(|_| bad())?;
        let v = int
            .checked_mul(Self::SCALE)
            .and_then(|x| x.checked_add(frac))
            .ok_or_else(|| ValueError(format!("“{}”超出范围", s.trim())))?;
        Ok(Value(if neg { -v } else { v }))
    }
}

/// 比率: `numerator ÷ denominator` as a percentage to three places, rounded half up; None
/// when the denominator is not positive or either amount is negative (a rate of nothing is not
/// a rate).
pub fn ratio_percent(numerator: Value, denominator: Value) -> Option<Value> {
    if denominator.0 <= 0 || numerator.0 < 0 {
        return None;
    }
    // percent × 1000 = n × 100 × 1000 / d, rounded half up.
    let n = i128::from(numerator.0) * 100 * i128::from(Value::SCALE);
    let d = i128::from(denominator.0);
    i64::try_from((2 * n + d) / (2 * d)).ok().map(Value)
}

impl fmt::Display for Value {
    /// Without trailing zeros: `34`, `33.5`, `0.125`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / 1000, a % 1000);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}

/// Which side of the target is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 不高于 (PM2.5 ≤ 34)
    AtMost,
    /// 不低于 (utilisation ≥ 90%)
    AtLeast,
    /// 等于 (8 items closed of 8)
    Equal,
}

impl Direction {
    pub fn meets(self, value: Value, target: Value) -> bool {
        match self {
            Direction::AtMost => value <= target,
            Direction::AtLeast => value >= target,
            Direction::Equal => value == target,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::AtMost => "不高于",
            Direction::AtLeast => "不低于",
            Direction::Equal => "等于",
        }
    }
}

/// What the series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 水平值: a level that must hold on the date (an annual mean, a coverage rate).
    Level,
    /// 累计值: progress that, once reached, is done (a count, an area restored).
    Cumulative,
}

/// A target with its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub direction: Direction,
    pub value: Value,
    pub measure: Measure,
    pub start: NaiveDate,
    /// The day by which it must be met.
    pub deadline: NaiveDate,
    /// The value on the start day, when known (a cumulative target starts at 0).
    pub baseline: Option<Value>,
}

/// A value entered for a day (the last day of its period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub on: NaiveDate,
    pub value: Value,
}

/// 指标状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已达标
    Achieved,
    /// 进度正常
    OnTrack,
    /// 有风险
    AtRisk,
    /// 未达标
    Missed,
    /// 尚无数据 (before the date)
    NoData,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::OnTrack => "进度正常",
            Status::AtRisk => "有风险",
            Status::Missed => "未达标",
            Status::NoData => "尚无数据",
        }
    }

    /// green / yellow / red, grey without data.
    pub fn colour(self) -> &'static str {
        match self {
            Status::Achieved | Status::OnTrack => "green",
            Status::AtRisk => "yellow",
            Status::Missed => "red",
            Status::NoData => "grey",
        }
    }
}

/// A status and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub status: Status,
    pub reason: String,
}

/// The value a straight line from the baseline on the start day to the target on the date
/// gives for `on` (rounded towards the baseline: the lenient side).
pub fn expected_on(t: &Target, baseline: Value, on: NaiveDate) -> Value {
    let total = (t.deadline - t.start).num_days().max(1);
    let elapsed = (on - t.start).num_days().clamp(0, total);
    let span = i128::from(t.value.0 - baseline.0);
    let step = span * i128::from(elapsed) / i128::from(total);
    Value(baseline.0 + i64::try_from(step).unwrap_or(0))
}

/// The status of a target on `today`, given its latest reading (see the module's rule).
pub fn assess(t: &Target, latest: Option<Reading>, today: NaiveDate) -> Assessment {
    let a = |status: Status, reason: String| Assessment { status, reason };
    let target = format!("{}{}", t.direction.label(), t.value);
    let Some(r) = latest else {
        return if today > t.deadline {
            a(Status::Missed, format!("{}已到期，无数据", t.deadline))
        } else {
            a(Status::NoData, "尚无数据".into())
        };
    };
    let meets = t.direction.meets(r.value, t.value);
    if today > t.deadline {
        return if meets {
            a(
                Status::Achieved,
                format!("最新值{}，{target}，已达标", r.value),
            )
        } else {
            a(Status::Missed, format!("最新值{}，未达到{target}", r.value))
        };
    }
    if meets {
        return match t.measure {
            Measure::Cumulative => a(
                Status::Achieved,
                format!("累计{}，已达到目标（{target}）", r.value),
            ),
            Measure::Level => a(
                Status::OnTrack,
                format!("当前值{}，{target}，须保持至{}", r.value, t.deadline),
            ),
        };
    }
    let baseline = match (t.baseline, t.measure) {
        (Some(b), _) => Some(b),
        (None, Measure::Cumulative) => Some(Value(0)),
        (None, Measure::Level) => None,
    };
    match (baseline, t.direction) {
        (Some(b), Direction::AtMost | Direction::AtLeast) => {
            let expected = expected_on(t, b, r.on);
            let on_path = match t.direction {
                Direction::AtMost => r.value <= expected,
                _ => r.value >= expected,
            };
            if on_path {
                a(
                    Status::OnTrack,
                    format!(
                        "{}为{}，按期应达{}，进度正常（目标{target}，{}到期）",
                        r.on, r.value, expected, t.deadline
                    ),
                )
            } else {
                a(
                    Status::AtRisk,
                    format!(
                        "{}为{}，按期应达{}，进度落后（目标{target}，{}到期）",
                        r.on, r.value, expected, t.deadline
                    ),
                )
            }
        }
        _ => a(
            Status::AtRisk,
            format!("当前值{}，未达到{target}（{}到期）", r.value, t.deadline),
        ),
    }
}

/// 增长率 in basis points (1234 = 12.34%), rounded half away from zero; None when the base is
/// zero.
pub fn growth_bp(current: Value, previous: Value) -> Option<i64> {
    if previous.0 == 0 {
        return None;
    }
    let num = i128::from(current.0 - previous.0) * 10_000;
    let den = i128::from(previous.0);
    let negative = (num < 0) != (den < 0);
    let (n, d) = (num.abs(), den.abs());
    // Round half away from zero: ⌊(2n + d) / 2d⌋ on the magnitudes.
    let q = (2 * n + d) / (2 * d);
    let q = if negative { -q } else { q };
    i64::try_from(q).ok()
}

/// `12.34%`, `-3.05%`.
pub fn percent_text(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", a / 100, a % 100)
}

/// 风险分担: splits `amount` (in fen, 分) by `shares` (2:2:4:2) exactly: each part rounded
/// down, the fen left over given one each to the largest remainders (ties to the earlier
/// party), so the parts always add up to the amount.
pub fn split(amount: i64, shares: &[u32]) -> Vec<i64> {
    let total: i64 = shares.iter().map(|s| i64::from(*s)).sum();
    if total == 0 || amount < 0 {
        return vec![0; shares.len()];
    }
    let mut parts: Vec<(i64, i64)> = shares
        .iter()
        .map(|s| {
            let x = i128::from(amount) * i128::from(*s);
            let q = i64::try_from(x / i128::from(total)).unwrap_or(0);
            let r = i64::try_from(x % i128::from(total)).unwrap_or(0);
            (q, r)
        })
        .collect();
    let mut left = amount - parts.iter().map(|(q, _)| q).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(parts[*i].1), *i));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].0 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(q, _)| q).collect()
}

/// `2:2:4:2` as shares.
pub fn parse_ratio(s: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = s
        .split([':', '：', '﹕'])
        .map(|p| p.trim().parse().ok())
        .collect();
    parts.filter(|p| p.len() >= 2 && p.iter().any(|x| *x > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_percent_by_hand() {
        let v = |t: &str| Value::parse(t).unwrap();
        let cases = [
            ("90", "100", Some("90")),
            ("1", "3", Some("33.333")),
            ("2", "3", Some("66.667")),
            ("1", "8", Some("12.5")),
            // 1/16 = 6.25%; 1/1600 = 0.0625% → 0.063 (half up)
            ("1", "1600", Some("0.063")),
            ("0", "5", Some("0")),
            ("5", "5", Some("100")),
            ("120.5", "100", Some("120.5")),
            ("1", "0", None),
            ("0", "0", None),
            ("-1", "5", None),
            ("1", "-5", None),
        ];
        for (n, d, want) in cases {
            assert_eq!(ratio_percent(v(n), v(d)), want.map(v), "{n} ÷ {d}");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn v(s: &str) -> Value {
        Value::parse(s).unwrap()
    }

    #[test]
    fn values_are_exact_decimals() {
        for (s, milli, shown) in [
            ("34", 34_000, "34"),
            ("33.5", 33_500, "33.5"),
            ("0.125", 125, "0.125"),
            ("-1.25", -1_250, "-1.25"),
            ("1,234.5", 1_234_500, "1234.5"),
            (".5", 500, "0.5"),
            ("+7", 7_000, "7"),
        ] {
            let x = Value::parse(s).unwrap();
            assert_eq!(x.0, milli, "{s}");
            assert_eq!(x.to_string(), shown, "{s}");
        }
        for bad in ["", "abc", "1.2.3", "1e5", "12.3456", "-", "3 4"] {
            assert!(Value::parse(bad).is_err(), "{bad}");
        }
        assert!(Value::parse("12.3456").unwrap_err().0.contains("最多3位"));
    }

    fn pm25() -> Target {
        Target {
            direction: Direction::AtMost,
            value: v("34"),
            measure: Measure::Level,
            start: d(2023, 10, 19),
            deadline: d(2023, 12, 31),
            baseline: Some(v("40")),
        }
    }

    #[test]
    fn status_at_every_boundary() {
        let t = pm25();
        let r = |on, x: &str| Some(Reading { on, value: v(x) });
        // (latest, today) -> status
        let rows = [
            // No data: before the date, after it.
            (None, d(2023, 11, 1), Status::NoData),
            (None, d(2023, 12, 31), Status::NoData),
            (None, d(2024, 1, 1), Status::Missed),
            // A level meeting the target before the date: on track, not yet achieved.
            (r(d(2023, 11, 30), "34"), d(2023, 12, 1), Status::OnTrack),
            // Exactly on the straight line on 11月30日 (42 of 73 days: 40 − 6×42/73 = 36.548):
            // on track; a thousandth worse: at risk.
            (
                r(d(2023, 11, 30), "36.548"),
                d(2023, 12, 1),
                Status::OnTrack,
            ),
            (r(d(2023, 11, 30), "36.549"), d(2023, 12, 1), Status::AtRisk),
            // The date itself still counts as before; the day after decides.
            (
                r(d(2023, 12, 31), "34.001"),
                d(2023, 12, 31),
                Status::AtRisk,
            ),
            (r(d(2023, 12, 31), "34"), d(2024, 1, 1), Status::Achieved),
            (r(d(2023, 12, 31), "34.001"), d(2024, 1, 1), Status::Missed),
        ];
        for (latest, today, want) in rows {
            let got = assess(&t, latest, today);
            assert_eq!(got.status, want, "{latest:?} on {today}: {}", got.reason);
        }
        assert_eq!(
            expected_on(&t, v("40"), d(2023, 11, 30)),
            v("36.548"),
            "40 − 6 × 42/73, rounded towards the baseline"
        );
    }

    #[test]
    fn cumulative_targets_are_done_once_reached_and_judged_from_zero() {
        // 草原生态修复 30,000 亩 by 2024-01-27.
        let t = Target {
            direction: Direction::AtLeast,
            value: v("30000"),
            measure: Measure::Cumulative,
            start: d(2023, 10, 19),
            deadline: d(2024, 1, 27),
            baseline: None,
        };
        let on = |day, x: &str| {
            Some(Reading {
                on: day,
                value: v(x),
            })
        };
        // Half the span (50 of 100 days), half the area: on track; less: at risk.
        assert_eq!(
            assess(&t, on(d(2023, 12, 8), "15000"), d(2023, 12, 9)).status,
            Status::OnTrack
        );
        assert_eq!(
            assess(&t, on(d(2023, 12, 8), "14999.999"), d(2023, 12, 9)).status,
            Status::AtRisk
        );
        assert_eq!(
            assess(&t, on(d(2024, 1, 2), "30000"), d(2024, 1, 3)).status,
            Status::Achieved
        );
        // A level with no baseline that does not meet its target: at risk, said why.
        let level = Target {
            baseline: None,
            measure: Measure::Level,
            direction: Direction::AtLeast,
            value: v("90"),
            ..t
        };
        let a = assess(&level, on(d(2023, 12, 1), "85"), d(2023, 12, 2));
        assert_eq!(a.status, Status::AtRisk);
        assert!(a.reason.contains("未达到不低于90"), "{}", a.reason);
        // Equal: 8 of 8 items closed.
        let eq = Target {
            direction: Direction::Equal,
            value: v("8"),
            measure: Measure::Cumulative,
            baseline: None,
            ..t
        };
        assert_eq!(
            assess(&eq, on(d(2023, 12, 1), "8"), d(2023, 12, 2)).status,
            Status::Achieved
        );
        assert_eq!(
            assess(&eq, on(d(2024, 1, 27), "7"), d(2024, 1, 28)).status,
            Status::Missed
        );
    }

    #[test]
    fn growth_computed_by_hand() {
        // 3.2亿 → 3.52亿: +10.00%; 1,000 → 1,234.5: +23.45%; 200 → 150: −25.00%;
        // 3 → 2: −33.33%; 3 → 4: 33.33%; 6 → 7: 16.67% (16.666… rounded up).
        for (cur, prev, bp, text) in [
            ("35200", "32000", 1000, "10.00%"),
            ("1234.5", "1000", 2345, "23.45%"),
            ("150", "200", -2500, "-25.00%"),
            ("2", "3", -3333, "-33.33%"),
            ("4", "3", 3333, "33.33%"),
            ("7", "6", 1667, "16.67%"),
        ] {
            assert_eq!(growth_bp(v(cur), v(prev)), Some(bp), "{cur} over {prev}");
            assert_eq!(percent_text(bp), text);
        }
        assert_eq!(growth_bp(v("5"), Value(0)), None, "no growth over zero");
        // Half a basis point rounds away from zero: 10000.5 over 10000 → 0.005% → 1 bp.
        assert_eq!(growth_bp(v("10000.5"), v("10000")), Some(1));
        assert_eq!(growth_bp(v("9999.5"), v("10000")), Some(-1));
    }

    #[test]
    fn the_guarantee_split_is_exact() {
        let r = parse_ratio("2:2:4:2").unwrap();
        // 1,000万元 = 1,000,000,000 分.
        assert_eq!(
            split(1_000_000_000, &r),
            vec![200_000_000, 200_000_000, 400_000_000, 200_000_000]
        );
        // 100.01元 = 10,001 分: 2000.2, 2000.2, 4000.4, 2000.2 → remainders .2 .2 .4 .2: the
        // odd fen goes to the largest (the grass-roots guarantor).
        assert_eq!(split(10_001, &r), vec![2000, 2000, 4001, 2000]);
        // 3 fen: 0.6 0.6 1.2 0.6 → 0,0,1,0 and two fen left to the first two 0.6s.
        assert_eq!(split(3, &r), vec![1, 1, 1, 0]);
        assert_eq!(parse_ratio("2﹕2﹕4﹕2"), Some(vec![2, 2, 4, 2]));
        assert_eq!(parse_ratio("2"), None);
        assert_eq!(parse_ratio("0:0"), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// The parts always add up to the amount, and none is more than a fen from its
            /// exact share.
            #[test]
            fn split_adds_up(amount in 0i64..10_000_000_000_000, shares in proptest::collection::vec(0u32..20, 1..6)) {
                prop_assume!(shares.iter().any(|s| *s > 0));
                let parts = split(amount, &shares);
                prop_assert_eq!(parts.iter().sum::<i64>(), amount);
                let total: i64 = shares.iter().map(|s| i64::from(*s)).sum();
                for (p, s) in parts.iter().zip(&shares) {
                    let exact = i128::from(amount) * i128::from(*s);
                    let p = i128::from(*p) * i128::from(total);
                    prop_assert!((p - exact).abs() < i128::from(total));
                }
            }

            /// A rate is within half a thousandth of a percent of the exact ratio, and never
            /// more than 100% when the numerator is not above the denominator.
            #[test]
            fn ratio_is_within_rounding(n in 0i64..1_000_000_000, d in 1i64..1_000_000_000) {
                let r = ratio_percent(Value(n), Value(d)).unwrap();
                let exact = i128::from(n) * 100_000; // percent × 1000 × d
                let got = i128::from(r.0) * i128::from(d);
                prop_assert!(2 * (got - exact).abs() <= i128::from(d));
                if n <= d {
                    prop_assert!(r <= Value::from_int(100));
                }
            }

            /// A value prints and parses back to itself.
            #[test]
            fn values_round_trip(milli in -1_000_000_000_000i64..1_000_000_000_000) {
                let x = Value(milli);
                prop_assert_eq!(Value::parse(&x.to_string()).unwrap(), x);
            }

            /// Before the date, a better reading never has a worse status.
            #[test]
            fn a_better_value_is_never_worse(a in 0i64..100_000, b in 0i64..100_000, day in 0i64..73) {
                let t = pm25();
                let on = t.start + chrono::Duration::days(day);
                let rank = |s: Status| match s { Status::Achieved => 3, Status::OnTrack => 2, Status::AtRisk => 1, _ => 0 };
                let (better, worse) = (Value(a.min(b)), Value(a.max(b)));
                let sb = assess(&t, Some(Reading { on, value: better }), on).status;
                let sw = assess(&t, Some(Reading { on, value: worse }), on).status;
                prop_assert!(rank(sb) >= rank(sw));
            }
        }
    }
}
