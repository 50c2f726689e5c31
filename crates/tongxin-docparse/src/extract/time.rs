//! Time expressions (时间): `2023年12月29日`, `2024年1月—2月`, `2024年1月下旬`,
//! `2024年2月23日、24日19:00`, `2024年2月9日（大年三十）至2024年2月25日（正月十六）`.
//! A year left out is taken from the last year written before it, else from the document's date.

use chrono::{Datelike, NaiveDate};

use crate::model::{Span, TimeRef};
use crate::text::Clean;

/// A lunar annotation beside a solar date: `（大年三十）`.
#[derive(Debug, Clone)]
pub(crate) struct LunarNote {
    pub date: NaiveDate,
    pub term: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, Default)]
struct Part {
    y: Option<i32>,
    m: Option<u32>,
    d: Option<u32>,
    /// 旬: 0 上旬, 1 中旬, 2 下旬
    xun: Option<u8>,
    year_end: bool,
    /// A festival named instead of a date (元旦, 春节).
    fixed: Option<NaiveDate>,
}

/// Festivals written in place of a date, with their day in a given year.
fn festival(name: &str, year: i32) -> Option<NaiveDate> {
    use chrono::Duration;
    let new_year = || crate::lunar::spring_festival(year);
    match name {
        "元旦" => NaiveDate::from_ymd_opt(year, 1, 1),
        "春节" => new_year(),
        "除夕" => new_year().map(|d| d - Duration::days(1)),
        "元宵节" | "元宵" => new_year().map(|d| d + Duration::days(14)),
        "劳动节" => NaiveDate::from_ymd_opt(year, 5, 1),
        "国庆节" | "国庆" => NaiveDate::from_ymd_opt(year, 10, 1),
        _ => None,
    }
}

const FESTIVALS: [&str; 8] = [
    "元宵节",
    "劳动节",
    "国庆节",
    "元旦",
    "春节",
    "除夕",
    "元宵",
    "国庆",
];

struct Scanner<'a> {
    cs: Vec<(usize, char)>,
    s: &'a str,
    end: usize,
    year: Option<i32>,
    month: Option<u32>,
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.cs.get(i).map(|&(_, c)| c)
    }

    fn byte(&self, i: usize) -> usize {
        self.cs.get(i).map_or(self.end, |&(b, _)| b)
    }

    fn num(&self, i: usize, max: usize) -> Option<(u32, usize, usize)> {
        let mut k = i;
        while k < self.cs.len() && self.cs[k].1.is_ascii_digit() && k - i < max {
            k += 1;
        }
        if k == i || self.at(k).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let v = self.s[self.byte(i)..self.byte(k)].parse().ok()?;
        Some((v, k - i, k))
    }

    fn part(&self, i: usize, day_only: bool) -> Option<(Part, usize)> {
        let mut p = Part::default();
        let mut k = i;
        if let Some((v, n, next)) = self.num(k, 4)
            && n == 4
            && self.at(next) == Some('年')
        {
            p.y = Some(i32::try_from(v).ok()?);
            k = next + 1;
        }
        if let Some((v, _, next)) = self.num(k, 2)
            && self.at(next) == Some('月')
            && (1..=12).contains(&v)
        {
            p.m = Some(v);
            k = next + 1;
            if let Some((d, _, nd)) = self.num(k, 2)
                && matches!(self.at(nd), Some('日' | '号'))
                && (1..=31).contains(&d)
            {
                p.d = Some(d);
                k = nd + 1;
            } else if let (Some(a), Some('旬')) = (self.at(k), self.at(k + 1)) {
                p.xun = match a {
                    '上' => Some(0),
                    '中' => Some(1),
                    '下' => Some(2),
                    _ => None,
                };
                if p.xun.is_some() {
                    k += 2;
                }
            }
            return Some((p, k));
        }
        if let Some((f, nk)) = self.festival_at(k, p.y.or(self.year)) {
            p.fixed = Some(f);
            return Some((p, nk));
        }
        if p.y.is_some() {
            if matches!(self.at(k), Some('底' | '末')) {
                p.year_end = true;
                return Some((p, k + 1));
            }
            return None;
        }
        if day_only && let Some((f, nk)) = self.festival_at(k, self.year) {
            p.fixed = Some(f);
            return Some((p, nk));
        }
        if day_only
            && let Some((d, _, nd)) = self.num(k, 2)
            && matches!(self.at(nd), Some('日' | '号'))
            && (1..=31).contains(&d)
        {
            p.d = Some(d);
            return Some((p, nd + 1));
        }
        None
    }

    /// A festival name at char `k`, only right after a year or in a list (`2024年元旦、春节`).
    fn festival_at(&self, k: usize, year: Option<i32>) -> Option<(NaiveDate, usize)> {
        let year = year?;
        let rest = &self.s[self.byte(k)..self.end];
        let name = FESTIVALS.iter().find(|f| rest.starts_with(*f))?;
        if k > 0 && !matches!(self.at(k - 1), Some('年' | '、' | '和' | '至' | '到')) {
            return None;
        }
        Some((festival(name, year)?, k + name.chars().count()))
    }

    /// First and last day of a part, updating the year/month context.
    fn days(&mut self, p: Part) -> Option<(NaiveDate, NaiveDate)> {
        if let Some(y) = p.y {
            self.year = Some(y);
        }
        if let Some(f) = p.fixed {
            return Some((f, f));
        }
        let y = self.year?;
        if p.year_end {
            let d = NaiveDate::from_ymd_opt(y, 12, 31)?;
            return Some((d, d));
        }
        if let Some(m) = p.m {
            self.month = Some(m);
        }
        let m = self.month?;
        match (p.d, p.xun) {
            (Some(d), _) => {
                let d = NaiveDate::from_ymd_opt(y, m, d)?;
                Some((d, d))
            }
            (None, Some(x)) => {
                let first = NaiveDate::from_ymd_opt(y, m, 1 + 10 * u32::from(x))?;
                let last = if x == 2 {
                    last_day(y, m)?
                } else {
                    NaiveDate::from_ymd_opt(y, m, 10 + 10 * u32::from(x))?
                };
                Some((first, last))
            }
            (None, None) => Some((NaiveDate::from_ymd_opt(y, m, 1)?, last_day(y, m)?)),
        }
    }

    fn time_of_day(&self, i: usize) -> Option<(String, usize)> {
        let (h, _, k) = self.num(i, 2)?;
        if !matches!(self.at(k), Some(':' | '：')) || h > 24 {
            return None;
        }
        let (m, n, e) = self.num(k + 1, 2)?;
        (n == 2 && m < 60).then(|| (format!("{h}:{m:02}"), e))
    }
}

/// Finds the time expressions in `clean.s[a..b]`, and the lunar notes beside their dates.
pub(crate) fn scan(
    clean: &Clean,
    a: usize,
    b: usize,
    default_year: Option<i32>,
) -> (Vec<TimeRef>, Vec<LunarNote>) {
    let s = &clean.s;
    let cs: Vec<(usize, char)> = s[a..b].char_indices().map(|(k, c)| (a + k, c)).collect();
    let mut sc = Scanner {
        cs,
        s,
        end: b,
        year: default_year,
        month: None,
    };
    let mut times = Vec::new();
    let mut notes = Vec::new();
    let mut i = 0;
    while i < sc.cs.len() {
        let prev = if i == 0 { None } else { sc.at(i - 1) };
        let start_ok = sc.at(i).is_some_and(|c| c.is_ascii_digit())
            && !prev.is_some_and(|c| c.is_ascii_digit() || c.is_ascii_alphabetic());
        // After `1.` only a full year starts a date (`1.2024年2月9日`), not `2.5`.
        let after_dot = prev.is_some_and(|c| c == '.' || c == '．');
        let Some((p, mut k)) = start_ok
            .then(|| sc.part(i, false))
            .flatten()
            .filter(|(p, _)| !after_dot || p.y.is_some())
        else {
            i += 1;
            continue;
        };
        let Some((first, mut last)) = sc.days(p) else {
            i = k.max(i + 1);
            continue;
        };
        let mut tod: Option<String> = None;
        loop {
            match sc.at(k) {
                Some('、' | '和') => {
                    if let Some((q, nk)) = sc.part(k + 1, true)
                        && let Some((_, l)) = sc.days(q)
                    {
                        last = l.max(last);
                        k = nk;
                        continue;
                    }
                }
                Some('（' | '(') => {
                    let close = (k + 1..(k + 10).min(sc.cs.len()))
                        .find(|&j| matches!(sc.at(j), Some('）' | ')')));
                    if let Some(c) = close {
                        let term = &s[sc.byte(k + 1)..sc.byte(c)];
                        if !term.is_empty() && term.chars().all(crate::text::is_han) {
                            notes.push(LunarNote {
                                date: last,
                                term: term.to_owned(),
                                span: clean.span(sc.byte(k), sc.byte(c + 1)),
                            });
                            k = c + 1;
                            continue;
                        }
                    }
                }
                Some('至' | '到' | '—' | '–' | '-' | '~' | '～' | '－') => {
                    let mut nk = k + 1;
                    while sc.at(nk) == Some('—') {
                        nk += 1;
                    }
                    if let Some((q, nk)) = sc.part(nk, true)
                        && let Some((_, l)) = sc.days(q)
                        && l >= first
                    {
                        last = l;
                        k = nk;
                        continue;
                    }
                }
                Some(c) if c.is_ascii_digit() && tod.is_none() => {
                    if let Some((t, nk)) = sc.time_of_day(k) {
                        tod = Some(t);
                        k = nk;
                        continue;
                    }
                }
                _ => {}
            }
            break;
        }
        let (bs, be) = (sc.byte(i), sc.byte(k));
        times.push(TimeRef {
            text: s[bs..be].to_owned(),
            start: Some(first),
            end: Some(last),
            time_of_day: tod,
            span: clean.span(bs, be),
        });
        i = k.max(i + 1);
    }
    (times, notes)
}

/// The year of a date, for defaults.
pub(crate) fn year_of(d: Option<NaiveDate>) -> Option<i32> {
    d.map(|d| d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn one(s: &str) -> Vec<(Option<NaiveDate>, Option<NaiveDate>, Option<String>)> {
        let c = Clean::new(s, 0, s.len());
        scan(&c, 0, c.s.len(), Some(2023))
            .0
            .into_iter()
            .map(|t| (t.start, t.end, t.time_of_day))
            .collect()
    }

    #[test]
    fn single_days_ranges_dekads_and_times_of_day_are_read() {
        assert_eq!(
            one("2023年12月29日"),
            [(d(2023, 12, 29), d(2023, 12, 29), None)]
        );
        assert_eq!(
            one("2024年 1月—2月"),
            [(d(2024, 1, 1), d(2024, 2, 29), None)]
        );
        assert_eq!(
            one("2023年11月—2024年2月"),
            [(d(2023, 11, 1), d(2024, 2, 29), None)]
        );
        assert_eq!(
            one("2024年 1月下旬"),
            [(d(2024, 1, 21), d(2024, 1, 31), None)]
        );
        assert_eq!(
            one("2024年 2月 23日、24日 19:00"),
            [(d(2024, 2, 23), d(2024, 2, 24), Some("19:00".into()))]
        );
        assert_eq!(
            one(
                "1.2024年 2月 9日（大年三十）至 2024年 2月25日（正月十六）举办花灯展2.2024年 2月 24日（正月十五）18:30"
            ),
            [
                (d(2024, 2, 9), d(2024, 2, 25), None),
                (d(2024, 2, 24), d(2024, 2, 24), Some("18:30".into()))
            ]
        );
        assert_eq!(
            one("12月30日前"),
            [(d(2023, 12, 30), d(2023, 12, 30), None)]
        );
        assert_eq!(
            one("2024年元旦、春节"),
            [(d(2024, 1, 1), d(2024, 2, 10), None)]
        );
    }
}
