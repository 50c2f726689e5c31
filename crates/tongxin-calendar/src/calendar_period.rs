//! 旬/月/季/年: the calendar periods that reports and indicators run on.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// 周期类型: the kind of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodType {
    /// 旬: a ten-day period (1–10 上旬, 11–20 中旬, 21–month end 下旬; 8 to 11 days).
    Dekad,
    /// 月: a calendar month.
    Month,
    /// 季: a calendar quarter (第一季度 = January–March).
    Quarter,
    /// 年: a calendar year.
    Year,
}

/// 周期: one concrete dekad, month, quarter or year, e.g. 2024年2月下旬
/// (2024-02-21..=2024-02-29).
///
/// Built only by [`PeriodType::containing`] and moved with [`PeriodInstance::next`] /
/// [`PeriodInstance::prev`], so `start..=end` is always a whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeriodInstance {
    start: NaiveDate,
    end: NaiveDate,
    kind: PeriodType,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Last day of the month of `d`.
fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = (d.year(), d.month());
    let next = if m == 12 { None } else { ymd(y, m + 1, 1) };
    next.and_then(|n| n.pred_opt())
        .or_else(|| ymd(y, 12, 31))
        .unwrap_or(d)
}

/// Every `Option` below is `Some` for any valid `date`: the days built are in `date`'s year,
/// month and day range. The `unwrap_or(date)` fallbacks are unreachable.
impl PeriodType {
    /// 所在周期: the period of this type that contains `date`.
    pub fn containing(self, date: NaiveDate) -> PeriodInstance {
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (start, end) = match self {
            PeriodType::Dekad => match d {
                1..=10 => (ymd(y, m, 1), ymd(y, m, 10)),
                11..=20 => (ymd(y, m, 11), ymd(y, m, 20)),
                _ => (ymd(y, m, 21), Some(month_end(date))),
            },
            PeriodType::Month => (ymd(y, m, 1), Some(month_end(date))),
            PeriodType::Quarter => {
                let first = (m - 1) / 3 * 3 + 1;
                (ymd(y, first, 1), ymd(y, first + 2, 1).map(month_end))
            }
            PeriodType::Year => (ymd(y, 1, 1), ymd(y, 12, 31)),
        };
        PeriodInstance {
            start: start.unwrap_or(date),
            end: end.unwrap_or(date),
            kind: self,
        }
    }

    /// 逐期: the periods from the one containing `date` onward (ends at chrono's last date).
    pub fn iter_from(self, date: NaiveDate) -> impl Iterator<Item = PeriodInstance> {
        std::iter::successors(Some(self.containing(date)), PeriodInstance::next)
    }

    /// 区间内各期: the periods overlapping `from..=to`, in order (empty when `to < from`).
    pub fn overlapping(
        self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = PeriodInstance> {
        self.iter_from(from)
            .take_while(move |p| from <= to && p.start <= to)
    }

    /// 读取周期: the period of this type that `text` names, as a department writes it in a
    /// spreadsheet: a day (`2023-11-30`, `2023/11/30`, `2023年11月30日`, `20231130`, an Excel
    /// date-time), a month (`2023-11`, `2023.11`, `202311`, `2023年11月`), a dekad
    /// (`2023年11月上旬`), a quarter (`2023年第四季度`, `2023Q4`) or a year (`2023`, `2023年`).
    /// A day, or a period inside one of this type, gives the period containing it; a period
    /// coarser than this type (a month for a 旬 indicator) names none: None.
    pub fn parse(self, text: &str) -> Option<PeriodInstance> {
        let t = text.split_whitespace().next()?.split('T').next()?;
        let lead = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let at = |y: i32, m: u32, d: u32| ymd(y, m, d).map(|day| self.containing(day));
        let n = lead(t);
        let (head, rest) = t.split_at(n);
        match (n, rest.is_empty()) {
            (8, true) => {
                let (y, m, d) = (&head[..4], &head[4..6], &head[6..]);
                return at(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
            }
            (6, true) if self != PeriodType::Dekad => {
                return at(head[..4].parse().ok()?, head[4..].parse().ok()?, 1);
            }
            (4, _) => {}
            _ => return None,
        }
        let y: i32 = head.parse().ok()?;
        // 2023年 / 2023
        let rest = rest.strip_prefix(['-', '/', '.', '年']).unwrap_or(rest);
        if rest.is_empty() {
            return (self == PeriodType::Year).then(|| at(y, 1, 1)).flatten();
        }
        // 第四季度 / Q4
        let quarter = rest
            .strip_prefix('第')
            .and_then(|q| q.strip_suffix("季度").or_else(|| q.strip_suffix('季')))
            .or_else(|| rest.strip_prefix(['Q', 'q']));
        if let Some(q) = quarter {
            let q = match q {
                "一" | "1" => 1,
                "二" | "2" => 2,
                "三" | "3" => 3,
                "四" | "4" => 4,
                _ => return None,
            };
            let coarse = matches!(self, PeriodType::Quarter | PeriodType::Year);
            return coarse.then(|| at(y, q * 3 - 2, 1)).flatten();
        }
        // 11月 / 11 / 11-30 / 11月30日 / 11月上旬
        let k = lead(rest);
        if !(1..=2).contains(&k) {
            return None;
        }
        let month: u32 = rest[..k].parse().ok()?;
        let rest = &rest[k..];
        let rest = rest.strip_prefix(['-', '/', '.', '月']).unwrap_or(rest);
        let day = match rest {
            "" => {
                return (self != PeriodType::Dekad)
                    .then(|| at(y, month, 1))
                    .flatten();
            }
            "上旬" => 1,
            "中旬" => 11,
            "下旬" => 21,
            _ => {
                let k = lead(rest);
                if !(1..=2).contains(&k) || !matches!(&rest[k..], "" | "日" | "号") {
                    return None;
                }
                rest[..k].parse().ok()?
            }
        };
        at(y, month, day)
    }

    /// 旬 / 月 / 季 / 年.
    pub fn name(self) -> &'static str {
        match self {
            PeriodType::Dekad => "旬",
            PeriodType::Month => "月",
            PeriodType::Quarter => "季",
            PeriodType::Year => "年",
        }
    }
}

impl PeriodInstance {
    /// 周期类型.
    pub fn kind(&self) -> PeriodType {
        self.kind
    }

    /// 起始日: first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// 截止日: last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// 是否在本期内.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Number of days (a 旬 has 8 to 11).
    pub fn days(&self) -> u32 {
        (self.end - self.start).num_days() as u32 + 1
    }

    /// 下一周期: the period right after this one (None only at chrono's last date).
    pub fn next(&self) -> Option<PeriodInstance> {
        Some(self.kind.containing(self.end.succ_opt()?))
    }

    /// 上一周期: the period right before this one.
    pub fn prev(&self) -> Option<PeriodInstance> {
        Some(self.kind.containing(self.start.pred_opt()?))
    }

    /// 名称: `2024年2月下旬`, `2024年2月`, `2024年第一季度`, `2024年`.
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PeriodInstance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m) = (self.start.year(), self.start.month());
        match self.kind {
            PeriodType::Dekad => {
                let part = match self.start.day() {
                    1 => "上旬",
                    11 => "中旬",
                    _ => "下旬",
                };
                write!(f, "{y}年{m}月{part}")
            }
            PeriodType::Month => write!(f, "{y}年{m}月"),
            PeriodType::Quarter => {
                let q = ["一", "二", "三", "四"][((m - 1) / 3) as usize];
                write!(f, "{y}年第{q}季度")
            }
            PeriodType::Year => write!(f, "{y}年"),
        }
    }
}
