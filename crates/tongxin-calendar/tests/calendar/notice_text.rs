//! The data agrees with the notices' own words.
//!
//! Each year file quotes, festival by festival, the text of the notice (and of any amending
//! notice). These tests read the quoted text — "2月10日至17日放假调休，共8天。2月4日（星期日）、
//! 2月18日（星期日）上班。" — and check that the calendar lists exactly those days, that every
//! stated weekday is right, that every "共N天" adds up and that "与周末连休" days touch a weekend.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use tongxin_calendar::DayKind;

use crate::support::{cal, clean};

/// A date as written in a notice, with its parenthesised remark (`（星期日）`).
#[derive(Debug)]
struct Written {
    date: NaiveDate,
    remark: Option<String>,
    /// Char offset just past the date (and remark).
    end: usize,
    start: usize,
}

fn number(chars: &[char], i: &mut usize) -> Option<u32> {
    let s = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == s {
        return None;
    }
    chars[s..*i].iter().collect::<String>().parse().ok()
}

/// Finds `[YYYY年][M月]D日[（…）]` dates; a day without month takes the previous date's month.
fn dates(sentence: &str, year: i32) -> Vec<Written> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out: Vec<Written> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let mut j = i;
        let parsed = (|| {
            let mut y = out.last().map_or(year, |w| w.date.year());
            let mut m = out.last().map(|w| w.date.month());
            let mut n = number(&chars, &mut j)?;
            if chars.get(j) == Some(&'年') {
                y = n as i32;
                j += 1;
                n = number(&chars, &mut j)?;
            }
            if chars.get(j) == Some(&'月') {
                m = Some(n);
                j += 1;
                n = number(&chars, &mut j)?;
            }
            (chars.get(j) == Some(&'日')).then_some(())?;
            j += 1;
            NaiveDate::from_ymd_opt(y, m?, n)
        })();
        match parsed {
            Some(date) => {
                let mut remark = None;
                if chars.get(j) == Some(&'（') {
                    let close = chars[j..].iter().position(|c| *c == '）').map(|p| j + p);
                    if let Some(close) = close {
                        remark = Some(chars[j + 1..close].iter().collect());
                        j = close + 1;
                    }
                }
                out.push(Written {
                    date,
                    remark,
                    end: j,
                    start,
                });
                i = j;
            }
            None => i = start + 1,
        }
    }
    out
}

fn stated_weekday(remark: &str) -> Option<Weekday> {
    let chars: Vec<char> = remark.chars().collect();
    let at = remark
        .find("星期")
        .map(|b| remark[..b].chars().count() + 2)
        .or_else(|| remark.find('周').map(|b| remark[..b].chars().count() + 1))?;
    Some(match chars.get(at)? {
        '一' => Weekday::Mon,
        '二' => Weekday::Tue,
        '三' => Weekday::Wed,
        '四' => Weekday::Thu,
        '五' => Weekday::Fri,
        '六' => Weekday::Sat,
        '日' | '天' => Weekday::Sun,
        _ => return None,
    })
}

fn stated_count(sentence: &str) -> Option<u32> {
    for marker in ["共", "放假"] {
        for (b, _) in sentence.match_indices(marker) {
            let rest: String = sentence[b + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if !rest.is_empty() && sentence[b + marker.len() + rest.len()..].starts_with('天') {
                return rest.parse().ok();
            }
        }
    }
    None
}

/// The days off and working days one festival's texts establish, applied in order.
fn read_texts(year: i32, texts: &[&str]) -> (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>) {
    let mut off = BTreeSet::new();
    let mut work = BTreeSet::new();
    for text in texts {
        let mut replaced = false;
        for sentence in text.split('。').filter(|s| !s.trim().is_empty()) {
            let ds = dates(sentence, year);
            for w in &ds {
                if let Some(wd) = w.remark.as_deref().and_then(stated_weekday) {
                    assert_eq!(
                        w.date.weekday(),
                        wd,
                        "weekday stated for {} in “{sentence}”",
                        w.date
                    );
                }
            }
            if sentence.contains("延长") {
                // 延长…假期至X: the block runs on to X, cancelling make-up days inside it.
                let to_at = sentence
                    .find('至')
                    .map(|b| sentence[..b].chars().count())
                    .unwrap();
                let end = ds.iter().find(|w| w.start > to_at).unwrap().date;
                let from: NaiveDate = off.iter().next_back().copied().unwrap();
                for x in from
                    .iter_days()
                    .skip(1)
                    .take_while(|x: &NaiveDate| *x <= end)
                {
                    off.insert(x);
                    work.remove(&x);
                }
            } else if sentence.contains("放假") {
                assert!(!ds.is_empty(), "no date in “{sentence}”");
                if !replaced {
                    off.clear();
                    work.clear();
                    replaced = true;
                }
                let fangjia = sentence[..sentence.find("放假").unwrap()].chars().count();
                let before: Vec<&Written> = ds.iter().filter(|w| w.end <= fangjia).collect();
                let (a, b) = match before.as_slice() {
                    [one] => (one.date, one.date),
                    [a, b] => (a.date, b.date),
                    other => panic!("unexpected dates {other:?} in “{sentence}”"),
                };
                let block: Vec<NaiveDate> = a.iter_days().take_while(|x| *x <= b).collect();
                if let Some(n) = stated_count(sentence) {
                    assert_eq!(n as usize, block.len(), "共N天 in “{sentence}”");
                }
                if sentence.contains("与周末连休") {
                    let wd = a.weekday();
                    assert!(
                        a == b && matches!(wd, Weekday::Fri | Weekday::Mon),
                        "“{sentence}”"
                    );
                }
                off.extend(block);
            } else if sentence.contains("上班") && !sentence.contains("正常上班") {
                work.extend(ds.iter().map(|w| w.date));
            }
        }
        if text.contains("不调休") {
            assert!(work.is_empty(), "“{text}” says no make-up day");
        }
    }
    (off, work)
}

#[test]
fn listed_days_are_exactly_the_days_the_notice_texts_state() {
    let range = cal().covered_range();
    let mut all_listed = BTreeSet::new();
    for year in cal().covered_years() {
        let notices = cal().notices(year).unwrap();
        for h in &notices.holidays {
            let texts: Vec<&str> = h.texts.iter().map(|t| t.text.as_str()).collect();
            let (off, work) = read_texts(year, &texts);
            assert!(!off.is_empty(), "{year} {}", h.name);
            for x in off.iter().filter(|x| range.contains(x)) {
                let info = clean(cal().day_info(*x).unwrap());
                assert_eq!(info.kind, DayKind::Holiday, "{x} ({year} {})", h.name);
                assert_eq!(info.name.as_deref(), Some(h.name.as_str()), "{x}");
                all_listed.insert(*x);
            }
            for x in work.iter().filter(|x| range.contains(x)) {
                let info = clean(cal().day_info(*x).unwrap());
                assert_eq!(info.kind, DayKind::MakeupWorkday, "{x} ({year} {})", h.name);
                assert_eq!(info.name, Some(format!("{}调休", h.name)), "{x}");
                all_listed.insert(*x);
            }
            for days in h.statutory.values() {
                for s in days {
                    assert!(off.contains(s), "statutory {s} is off ({year} {})", h.name);
                }
            }
        }
    }
    // Nothing listed in the data that no text states (2022-12-31 is stated by the 2023 notice).
    for x in range.start().iter_days().take_while(|x| range.contains(x)) {
        let kind = clean(cal().day_info(x).unwrap()).kind;
        if matches!(kind, DayKind::Holiday | DayKind::MakeupWorkday) {
            assert!(
                all_listed.contains(&x),
                "{x} is listed but no notice text states it"
            );
        }
    }
}

#[test]
fn the_text_reader_understands_the_notice_phrasings() {
    let (off, work) = read_texts(
        2025,
        &[
            "1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。",
        ],
    );
    assert_eq!(off.len(), 8);
    assert_eq!(work.len(), 2);
    let (off, work) = read_texts(
        2020,
        &[
            "1月24日至30日放假调休，共7天。1月19日（星期日）、2月1日（星期六）上班。",
            "延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起正常上班。",
        ],
    );
    assert_eq!(off.len(), 10);
    assert_eq!(work.len(), 1);
}
