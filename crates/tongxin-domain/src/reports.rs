//! 群众举报 (public reports): what a citizen may report, who handles it, the receipt number
//! the citizen follows it by, and where the report stands.
//!
//! A report becomes a problem (挂账问题) of the supervision ledger for the unit its topic routes
//! to, with the handling period as its deadline; the unit files what it found and did, the
//! supervision office verifies it (销号), and the unit then publishes the outcome against the
//! receipt number with the reward decision (同党办综〔2023〕55号 八、（三）).

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Citation, FieldError, UnitId};

/// 举报事项: one kind of violation the portal takes, from `reports.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTopic {
    /// `environment`
    pub key: String,
    /// 生态环境违法
    pub label: String,
    /// Examples shown under the choice.
    pub hint: String,
    /// The clause that makes it the handling unit's business.
    pub clause: Citation,
    pub route: Route,
    /// 举报电话 the lead department published; empty until the county records it.
    pub hotline: String,
}

/// 办理单位: who handles a topic's reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "unit", rename_all = "snake_case")]
pub enum Route {
    /// Always this unit.
    Unit(UnitId),
    /// The township (开发区) where it happened.
    Township,
}

impl ReportTopic {
    /// The unit that handles a report of this topic in `township`.
    pub fn handler(&self, township: &UnitId) -> UnitId {
        match &self.route {
            Route::Unit(u) => u.clone(),
            Route::Township => township.clone(),
        }
    }
}

/// The characters of a receipt's random part: digits and capitals without I, O, S, V, Z (the
/// same set as the credit code, so nothing is misread on paper or over the phone).
const RECEIPT_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Random characters in a receipt number.
pub const RECEIPT_RANDOM_LEN: usize = 6;

/// 受理编号: `JB` + the day received + 6 random characters (`JB20261203-7K3F9Q`). The random
/// part keeps numbers from being guessed one after another; 31⁶ ≈ 8.9 × 10⁸ per day.
pub fn receipt(day: NaiveDate, random: [u8; RECEIPT_RANDOM_LEN]) -> String {
    let tail: String = random
        .iter()
        .map(|b| RECEIPT_CHARS[(*b as usize) % RECEIPT_CHARS.len()] as char)
        .collect();
    format!("JB{}-{tail}", day.format("%Y%m%d"))
}

/// A receipt number as typed: spaces dropped, upper-cased, the dash optional; None when it
/// cannot be one.
pub fn parse_receipt(input: &str) -> Option<String> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .collect::<String>()
        .to_ascii_uppercase();
    let rest = s.strip_prefix("JB")?;
    if rest.len() != 8 + RECEIPT_RANDOM_LEN || !rest.is_ascii() {
        return None;
    }
    let (day, tail) = rest.split_at(8);
    NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
    if !tail.bytes().all(|b| RECEIPT_CHARS.contains(&b)) {
        return None;
    }
    Some(format!("JB{day}-{tail}"))
}

/// 地图位置: longitude and latitude (WGS 84) where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// The box a point must fall in: 同心县 (about 105.3°–106.7°E, 36.6°–37.5°N) with a margin,
/// so a point typed with its numbers swapped or from a phone far away is caught.
pub const COUNTY_BOX: [f64; 4] = [105.0, 36.3, 107.0, 37.8];

/// Reads an optional point from the two fields as typed; both empty is no point.
pub fn parse_point(lon: &str, lat: &str) -> Result<Option<Point>, FieldError> {
    let (lon, lat) = (lon.trim(), lat.trim());
    if lon.is_empty() && lat.is_empty() {
        return Ok(None);
    }
    let num = |field: &str, label: &str, v: &str| {
        v.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| FieldError::new(field, format!("“{label}”须为数字，如105.914")))
    };
    let lon = num("lon", "经度", lon)?;
    let lat = num("lat", "纬度", lat)?;
    let [x0, y0, x1, y1] = COUNTY_BOX;
    if !(x0..=x1).contains(&lon) || !(y0..=y1).contains(&lat) {
        return Err(FieldError::new(
            "lon",
            format!(
                "位置（经度{lon}，纬度{lat}）不在同心县范围内（经度{x0}—{x1}，纬度{y0}—{y1}）；请核对，或只填写地址"
            ),
        ));
    }
    Ok(Some(Point { lon, lat }))
}

/// 奖励认定 (八、（三）: 建立举报奖励机制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Reward {
    /// 给予奖励, in whole yuan.
    Granted { yuan: u32 },
    /// 不予奖励, with the reason.
    NotGranted { reason: String },
}

impl Reward {
    /// From the form: `granted` with an amount, or `not_granted` with a reason.
    pub fn parse(decision: &str, amount: &str, reason: &str) -> Result<Self, FieldError> {
        match decision.trim() {
            "granted" => {
                let a = amount.trim().replace([',', '，'], "");
                let yuan: u32 = a.parse().map_err(|_| {
                    FieldError::new(
                        "reward_amount",
                        format!("“奖励金额”须为整数元，如500；现为“{}”", amount.trim()),
                    )
                })?;
                if yuan == 0 {
                    return Err(FieldError::new(
                        "reward_amount",
                        "“奖励金额”须大于0；不予奖励请选“不予奖励”并写明理由",
                    ));
                }
                Ok(Self::Granted { yuan })
            }
            "not_granted" => {
                let r = reason.trim();
                if r.is_empty() {
                    return Err(FieldError::new(
                        "reward_reason",
                        "不予奖励须写明理由（如：举报不属实、已由他人先行举报）",
                    ));
                }
                Ok(Self::NotGranted {
                    reason: r.to_owned(),
                })
            }
            _ => Err(FieldError::new(
                "reward",
                "请选择奖励认定：给予奖励或不予奖励",
            )),
        }
    }

    /// `给予奖励500元` / `不予奖励：举报不属实`
    pub fn label(&self) -> String {
        match self {
            Self::Granted { yuan } => format!("给予奖励{yuan}元"),
            Self::NotGranted { reason } => format!("不予奖励：{reason}"),
        }
    }

    /// (decision code, amount, reason) as stored.
    pub fn to_parts(&self) -> (&'static str, Option<i64>, &str) {
        match self {
            Self::Granted { yuan } => ("granted", Some(i64::from(*yuan)), ""),
            Self::NotGranted { reason } => ("not_granted", None, reason.as_str()),
        }
    }

    /// Back from the stored parts; None when not decided.
    pub fn from_parts(code: &str, amount: Option<i64>, reason: &str) -> Option<Self> {
        match code {
            "granted" => Some(Self::Granted {
                yuan: amount.and_then(|a| u32::try_from(a).ok()).unwrap_or(0),
            }),
            "not_granted" => Some(Self::NotGranted {
                reason: reason.to_owned(),
            }),
            _ => None,
        }
    }
}

/// 办理进度 as the citizen sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStage {
    /// 核查处理中: the unit has it.
    Handling,
    /// 已核查，待督查室核验: the unit filed what it found.
    Verifying,
    /// 已核验，待公布结果.
    Verified,
    /// 已办结，结果已公布.
    Answered,
}

impl ReportStage {
    /// From the problem's status (`open`, `evidence_filed`, `reopened`, `closed`) and whether
    /// the outcome is published.
    pub fn of(problem_status: &str, published: bool) -> Self {
        match (problem_status, published) {
            (_, true) => Self::Answered,
            ("closed", false) => Self::Verified,
            ("evidence_filed", false) => Self::Verifying,
            _ => Self::Handling,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Handling => "核查处理中",
            Self::Verifying => "已报送核查结果，待核验",
            Self::Verified => "已核验，待公布处理结果",
            Self::Answered => "已办结，处理结果已公布",
        }
    }

    /// green / yellow (status colours of the portal; the deadline's colour is separate).
    pub fn colour(self) -> &'static str {
        match self {
            Self::Answered => "green",
            _ => "yellow",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn receipts_read_back_however_typed() {
        let r = receipt(d(2026, 12, 3), [0, 1, 30, 31, 62, 200]);
        assert_eq!(r, "JB20261203-01Y00E");
        for typed in [
            "JB20261203-01Y00E",
            "jb20261203-01y00e",
            " JB 20261203 01Y00E ",
            "JB2026120301Y00E",
            "JB20261203－01Y00E",
        ] {
            assert_eq!(parse_receipt(typed).as_deref(), Some(r.as_str()), "{typed}");
        }
        for bad in [
            "",
            "JB",
            "20261203-01Y0YD",
            "JB20261303-01Y0YD",
            "JB20261203-01Y0Y",
            "JB20261203-01Y00ED",
            "JB20261203-01O0YD",
            "JB20261203-01Y0Y大",
        ] {
            assert_eq!(parse_receipt(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_receipt_parses_to_itself(
            y in 2023i32..2100, doy in 1u32..365, bytes in proptest::array::uniform6(any::<u8>()),
        ) {
            let day = NaiveDate::from_yo_opt(y, doy).unwrap();
            let r = receipt(day, bytes);
            prop_assert_eq!(parse_receipt(&r), Some(r.clone()));
            prop_assert_eq!(parse_receipt(&r.to_lowercase()), Some(r));
        }
    }

    #[test]
    fn points_inside_the_county_only() {
        assert_eq!(parse_point("", " ").unwrap(), None);
        assert_eq!(
            parse_point("105.914", "36.98").unwrap(),
            Some(Point {
                lon: 105.914,
                lat: 36.98
            })
        );
        let cases = [
            ("36.98", "105.914", "lon", "不在同心县范围内"),
            ("105.914", "", "lat", "“纬度”须为数字"),
            ("东经105度", "36.98", "lon", "“经度”须为数字"),
            ("NaN", "36.98", "lon", "“经度”须为数字"),
            ("107.01", "36.98", "lon", "不在同心县范围内"),
        ];
        for (lon, lat, field, says) in cases {
            let e = parse_point(lon, lat).unwrap_err();
            assert_eq!(e.field, field, "{lon},{lat}");
            assert!(e.message.contains(says), "{lon},{lat}: {}", e.message);
        }
        // The box's edges are inside.
        assert!(parse_point("105.0", "37.8").unwrap().is_some());
    }

    #[test]
    fn a_reward_is_an_amount_or_a_reason() {
        assert_eq!(
            Reward::parse("granted", "1,000", "").unwrap(),
            Reward::Granted { yuan: 1000 }
        );
        assert_eq!(
            Reward::parse("not_granted", "", " 举报不属实 ").unwrap(),
            Reward::NotGranted {
                reason: "举报不属实".into()
            }
        );
        let cases = [
            ("granted", "五百", "", "reward_amount", "须为整数元"),
            ("granted", "12.5", "", "reward_amount", "须为整数元"),
            ("granted", "-5", "", "reward_amount", "须为整数元"),
            ("granted", "0", "", "reward_amount", "须大于0"),
            ("not_granted", "", " ", "reward_reason", "须写明理由"),
            ("", "", "", "reward", "请选择奖励认定"),
        ];
        for (dec, amount, reason, field, says) in cases {
            let e = Reward::parse(dec, amount, reason).unwrap_err();
            assert_eq!(e.field, field, "{dec} {amount}");
            assert!(e.message.contains(says), "{}", e.message);
        }
        for r in [
            Reward::Granted { yuan: 500 },
            Reward::NotGranted { reason: "x".into() },
        ] {
            let (c, a, why) = r.to_parts();
            assert_eq!(Reward::from_parts(c, a, why), Some(r.clone()));
        }
        assert_eq!(Reward::from_parts("", None, ""), None);
        assert_eq!(Reward::Granted { yuan: 500 }.label(), "给予奖励500元");
    }

    #[test]
    fn the_stage_follows_the_problem_then_the_publication() {
        let cases = [
            ("open", false, ReportStage::Handling),
            ("reopened", false, ReportStage::Handling),
            ("evidence_filed", false, ReportStage::Verifying),
            ("closed", false, ReportStage::Verified),
            ("closed", true, ReportStage::Answered),
        ];
        for (status, published, stage) in cases {
            assert_eq!(ReportStage::of(status, published), stage, "{status}");
        }
    }

    #[test]
    fn a_topic_routes_to_its_unit_or_the_township() {
        let t = |route| ReportTopic {
            key: "k".into(),
            label: "l".into(),
            hint: String::new(),
            clause: "同政办规发〔2023〕6号 第二十八条".parse().unwrap(),
            route,
            hotline: String::new(),
        };
        let town = UnitId("640324101".into());
        assert_eq!(t(Route::Township).handler(&town), town);
        let env = UnitId("county.eco".into());
        assert_eq!(t(Route::Unit(env.clone())).handler(&town), env);
    }
}
