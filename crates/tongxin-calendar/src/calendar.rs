//! The working-day calendar: tables built once, O(1) queries.
//!
//! Days of the covered range are numbered from 0 (the first covered 1 January). At construction
//! the calendar builds
//! * `bits`: a bitmap, bit `i` set iff day `i` is a working day;
//! * `prefix`: `prefix[i]` = working days among days `0..i` (length `days + 1`);
//! * `workdays`: the dates of the working days in order (`workdays[k]` is the (k+1)-th).
//!
//! With `P(d)` = working days in `[first day, d]` = `prefix[index(d) + 1]`, every query is a
//! subtraction or an array access: `workdays_between(a, b) = P(b) − P(a)`, and
//! `add_workdays(a, n)` is `workdays[P(a) + n − 1]`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::data::{NATIONAL_FILES, NationalYearFile, NoticeFile, data_error, parse_national};
use crate::error::{CalendarError, Computed, RegionMeta, RegionalYearStatus, Warnings};
use crate::legal_period::{Period, PeriodEnd};
use crate::overlay::RegionalOverlay;

/// 工作日历: working days per the State Council notices, optionally with a regional overlay.
///
/// Cheap to query, not to build: construct once at start-up and share (`Calendar` is
/// `Send + Sync`; wrap it in an `Arc`).
#[derive(Clone)]
pub struct Calendar {
    first_year: i32,
    first_day: NaiveDate,
    last_day: NaiveDate,
    /// Day index of 1 January of each covered year.
    year_start: Vec<u32>,
    days: u32,
    bits: Vec<u64>,
    prefix: Vec<u32>,
    workdays: Vec<NaiveDate>,
    national: Arc<National>,
    overlay: Option<Applied>,
}

/// What every calendar derived from the national data shares.
struct National {
    bits: Vec<u64>,
    notes: HashMap<NaiveDate, DayNote>,
    years: Vec<YearNotices>,
}

struct DayNote {
    kind: DayKind,
    name: String,
    notice: String,
    statutory: bool,
}

#[derive(Clone)]
struct Applied {
    overlay: RegionalOverlay,
    meta: Arc<RegionMeta>,
    /// Bit `y`: covered year `first_year + y` carries a regional warning.
    warn_mask: u64,
}

/// 通知: a State Council General Office notice (国务院办公厅关于XXXX年部分节假日安排的通知, or
/// one amending it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// 文号 (`国办发明电〔2023〕7号`).
    pub number: String,
    /// Title.
    pub title: String,
    /// Date signed.
    pub signed: NaiveDate,
    /// Where the text is published.
    pub url: String,
    /// Set when the number rests on a weak source (it does for 2026).
    pub number_confidence: Option<String>,
    /// For an amending notice: what it changes.
    pub effect: Option<String>,
}

/// 年度节假日安排: the notices behind one covered year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearNotices {
    /// The year the notice arranges.
    pub year: i32,
    /// The yearly notice.
    pub notice: Notice,
    /// Later notices that changed it (2019 劳动节, 2020 春节 extension).
    pub amending: Vec<Notice>,
    /// 法定假日天数 (11 until 2024, 13 from 2025).
    pub statutory_days: u32,
    /// Working days from 1 January to 31 December (national calendar).
    pub working_days: u32,
    /// The notice's arrangement festival by festival, with its own words.
    pub holidays: Vec<HolidayArrangement>,
}

/// 节日安排: one item of a notice (`二、春节：…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayArrangement {
    /// The festival or festivals (`国庆节、中秋节`).
    pub name: String,
    /// 法定假日 proper per festival (全国年节及纪念日放假办法 第二条).
    pub statutory: BTreeMap<String, Vec<NaiveDate>>,
    /// The notice texts in the order issued: the yearly notice's item, then any amendment.
    pub texts: Vec<NoticeText>,
}

/// 通知原文: a notice's words for one festival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeText {
    /// 文号 of the notice.
    pub notice: String,
    /// The text as published (`2月10日至17日放假调休，共8天。2月4日（星期日）…上班。`).
    pub text: String,
}

/// 日期类型: why a day is, or is not, a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// 工作日: Monday–Friday, not listed by any notice.
    Workday,
    /// 周末: Saturday or Sunday, not listed by any notice.
    Weekend,
    /// 放假: a day off by the State Council notice (holiday or 调休 rest day).
    Holiday,
    /// 调休上班: a weekend day the State Council notice makes a working day.
    MakeupWorkday,
    /// 地方放假: a day off by the regional notice.
    RegionalHoliday,
    /// 地方调休上班: a weekend day the regional notice makes a working day.
    RegionalWorkday,
}

impl DayKind {
    /// 是否工作日: true for the kinds that are working days.
    pub fn is_workday(self) -> bool {
        matches!(
            self,
            DayKind::Workday | DayKind::MakeupWorkday | DayKind::RegionalWorkday
        )
    }
}

/// 日期说明: a day, its kind and the notice that made it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    /// The date.
    pub date: NaiveDate,
    /// Why it is or is not a working day.
    pub kind: DayKind,
    /// The festival (`春节`, `春节调休`, `开斋节`), for listed days.
    pub name: Option<String>,
    /// The notice that listed it.
    pub notice: Option<String>,
    /// 法定假日: one of the statutory days proper (全国年节及纪念日放假办法 第二条), as opposed
    /// to a 调休 rest day.
    pub statutory: bool,
}

impl DayInfo {
    /// 是否工作日.
    pub fn is_workday(&self) -> bool {
        self.kind.is_workday()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn notice_from(n: NoticeFile) -> Notice {
    Notice {
        number: n.number,
        title: n.title,
        signed: n.signed,
        url: n.url,
        number_confidence: n.number_confidence,
        effect: n.effect,
    }
}

#[inline]
fn bit(bits: &[u64], i: usize) -> bool {
    bits[i >> 6] & (1 << (i & 63)) != 0
}

fn set_bit(bits: &mut [u64], i: usize, on: bool) {
    if on {
        bits[i >> 6] |= 1 << (i & 63);
    } else {
        bits[i >> 6] &= !(1 << (i & 63));
    }
}

impl Calendar {
    /// 全国日历: the national calendar from the built-in State Council notices 2019–2026.
    ///
    /// Fails only if a built-in file is wrong (the error names file and key); a test guards
    /// that, so in practice this is a start-up step that cannot fail.
    pub fn national() -> Result<Calendar, CalendarError> {
        let files = NATIONAL_FILES
            .iter()
            .map(|(file, text)| Ok((*file, parse_national(file, text)?)))
            .collect::<Result<Vec<_>, CalendarError>>()?;
        Self::from_years(files)
    }

    fn from_years(files: Vec<(&str, NationalYearFile)>) -> Result<Calendar, CalendarError> {
        let Some((_, first)) = files.first() else {
            return Err(data_error("(built-in)", "files", "没有任何年度数据"));
        };
        let first_year = first.year;
        let nyears = files.len();
        if nyears > 64 {
            return Err(data_error("(built-in)", "files", "最多支持64个年度"));
        }
        let year_end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31);
        let (Some(first_day), Some(last_day)) = (
            NaiveDate::from_ymd_opt(first_year, 1, 1),
            year_end(first_year + nyears as i32 - 1),
        ) else {
            return Err(data_error("(built-in)", "year", "年份超出范围"));
        };
        let days = (last_day - first_day).num_days() as u32 + 1;
        let mut year_start = Vec::with_capacity(nyears);
        let mut bits = vec![0u64; (days as usize).div_ceil(64)];
        for (i, d) in first_day.iter_days().take(days as usize).enumerate() {
            if d.ordinal0() == 0 {
                year_start.push(i as u32);
            }
            set_bit(&mut bits, i, !is_weekend(d));
        }
        let index = |d: NaiveDate| -> Option<usize> {
            let y = usize::try_from(d.year() - first_year).ok()?;
            Some(*year_start.get(y)? as usize + d.ordinal0() as usize)
        };

        let mut notes: HashMap<NaiveDate, DayNote> = HashMap::new();
        let mut years = Vec::with_capacity(nyears);
        for (k, (file, y)) in files.into_iter().enumerate() {
            if y.year != first_year + k as i32 {
                return Err(data_error(
                    file,
                    "year",
                    format!("应为{}年（年度须连续）", first_year + k as i32),
                ));
            }
            let statutory: Vec<NaiveDate> = y
                .holidays
                .iter()
                .flat_map(|h| h.statutory.values().flatten().copied())
                .collect();
            for (list, entries, kind) in [
                ("off", &y.off, DayKind::Holiday),
                (
                    "makeup_workdays",
                    &y.makeup_workdays,
                    DayKind::MakeupWorkday,
                ),
            ] {
                for (i, e) in entries.iter().enumerate() {
                    // Dates before the covered range (2018-12-29..31 in the 2019 notice) are
                    // kept in the file as published but do not enter the calendar.
                    let Some(ix) = index(e.date) else { continue };
                    set_bit(&mut bits, ix, kind == DayKind::MakeupWorkday);
                    let note = DayNote {
                        kind,
                        name: e.name.clone(),
                        notice: e.notice.clone().unwrap_or_else(|| y.notice.number.clone()),
                        statutory: statutory.contains(&e.date),
                    };
                    if notes.insert(e.date, note).is_some() {
                        return Err(data_error(
                            file,
                            format!("{list}[{i}].date"),
                            format!("{}已由另一年度的通知列出", e.date),
                        ));
                    }
                }
            }
            years.push((file, y));
        }

        let (prefix, workdays) = tables(&bits, days, first_day);
        let mut notices = Vec::with_capacity(nyears);
        for (k, (file, y)) in years.into_iter().enumerate() {
            let start = year_start[k] as usize;
            let end = year_start.get(k + 1).map_or(days as usize, |&s| s as usize);
            let counted = prefix[end] - prefix[start];
            if counted != y.working_days {
                return Err(data_error(
                    file,
                    "working_days",
                    format!(
                        "按所列日期计得{}年工作日{counted}天，与working_days={}不符",
                        y.year, y.working_days
                    ),
                ));
            }
            notices.push(YearNotices {
                year: y.year,
                notice: notice_from(y.notice),
                amending: y.amending_notices.into_iter().map(notice_from).collect(),
                statutory_days: y.statutory_days,
                working_days: y.working_days,
                holidays: y
                    .holidays
                    .into_iter()
                    .map(|h| HolidayArrangement {
                        name: h.name,
                        statutory: h.statutory,
                        texts: h
                            .texts
                            .into_iter()
                            .map(|t| NoticeText {
                                notice: t.notice,
                                text: t.text,
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }

        Ok(Calendar {
            first_year,
            first_day,
            last_day,
            year_start,
            days,
            bits: bits.clone(),
            prefix,
            workdays,
            national: Arc::new(National {
                bits,
                notes,
                years: notices,
            }),
            overlay: None,
        })
    }

    /// 地方日历: this calendar's national data plus `overlay`.
    ///
    /// Replaces any overlay this calendar already has (overlays do not stack). Overlay years
    /// outside the covered range are ignored: no query can reach them. Every covered year the
    /// overlay lacks makes results touching it carry
    /// [`crate::CalendarWarning::RegionalYearMissing`]; every unverified year,
    /// [`crate::CalendarWarning::RegionalYearUnverified`].
    pub fn with_overlay(&self, overlay: &RegionalOverlay) -> Calendar {
        let mut bits = self.national.bits.clone();
        let nyears = self.year_start.len();
        let mut status = Vec::with_capacity(nyears);
        let mut warn_mask = 0u64;
        for k in 0..nyears {
            let year = self.first_year + k as i32;
            let st = match overlay.year(year) {
                None => RegionalYearStatus::Missing,
                Some(y) => {
                    for d in &y.extra_off {
                        if let Some(i) = self.index(d.date) {
                            set_bit(&mut bits, i, false);
                        }
                    }
                    for d in &y.extra_workdays {
                        if let Some(i) = self.index(d.date) {
                            set_bit(&mut bits, i, true);
                        }
                    }
                    if y.verified {
                        RegionalYearStatus::Verified
                    } else {
                        RegionalYearStatus::Unverified {
                            notice: y.notice.clone(),
                        }
                    }
                }
            };
            if st != RegionalYearStatus::Verified {
                warn_mask |= 1 << k;
            }
            status.push(st);
        }
        let (prefix, workdays) = tables(&bits, self.days, self.first_day);
        Calendar {
            bits,
            prefix,
            workdays,
            overlay: Some(Applied {
                overlay: overlay.clone(),
                meta: Arc::new(RegionMeta {
                    region: overlay.region().to_owned(),
                    first_year: self.first_year,
                    status,
                }),
                warn_mask,
            }),
            ..self.clone_national_parts()
        }
    }

    fn clone_national_parts(&self) -> Calendar {
        Calendar {
            first_year: self.first_year,
            first_day: self.first_day,
            last_day: self.last_day,
            year_start: self.year_start.clone(),
            days: self.days,
            bits: Vec::new(),
            prefix: Vec::new(),
            workdays: Vec::new(),
            national: Arc::clone(&self.national),
            overlay: None,
        }
    }

    /// 覆盖范围: the first and last covered dates (2019-01-01 ..= 2026-12-31).
    pub fn covered_range(&self) -> RangeInclusive<NaiveDate> {
        self.first_day..=self.last_day
    }

    /// 覆盖年度: the covered years (2019 ..= 2026).
    pub fn covered_years(&self) -> RangeInclusive<i32> {
        self.first_year..=self.last_day.year()
    }

    /// 节假日安排通知: the notices behind a covered year.
    pub fn notices(&self, year: i32) -> Option<&YearNotices> {
        let k = usize::try_from(year - self.first_year).ok()?;
        self.national.years.get(k)
    }

    /// 地方节假日安排: the overlay applied, if any.
    pub fn overlay(&self) -> Option<&RegionalOverlay> {
        self.overlay.as_ref().map(|a| &a.overlay)
    }

    /// The region of the overlay applied, if any (`宁夏回族自治区`).
    pub fn region(&self) -> Option<&str> {
        self.overlay().map(RegionalOverlay::region)
    }

    /// Day index of a covered date.
    #[inline]
    fn index(&self, d: NaiveDate) -> Option<usize> {
        // A year before first_year wraps to a huge index and misses the table.
        let y = d.year().wrapping_sub(self.first_year) as u32 as usize;
        Some(*self.year_start.get(y)? as usize + d.ordinal0() as usize)
    }

    /// Position "just after" `d`: `prefix[after(d)]` is P(d), the working days in
    /// `[first day, d]`. Defined for `first day − 1 ..= last day`; the day before the range
    /// (2018-12-31) is allowed because P of it is 0 without consulting it.
    #[inline]
    fn after(&self, d: NaiveDate) -> Result<usize, CalendarError> {
        match self.index(d) {
            Some(i) => Ok(i + 1),
            None if self.first_day.pred_opt() == Some(d) => Ok(0),
            None => Err(CalendarError::YearNotCovered { year: d.year() }),
        }
    }

    #[inline]
    fn beyond_end(&self) -> CalendarError {
        CalendarError::YearNotCovered {
            year: self.last_day.year() + 1,
        }
    }

    /// Warnings for a computation that consulted the days of years `y1..=y2`.
    #[inline]
    fn warn_years(&self, y1: i32, y2: i32) -> Warnings {
        match &self.overlay {
            None => Warnings::default(),
            Some(a) if a.warn_mask == 0 || y2 < y1 => Warnings::default(),
            Some(a) => {
                let n = self.year_start.len() as i32;
                let lo = (y1 - self.first_year).clamp(0, n);
                let hi = (y2 - self.first_year).clamp(-1, n - 1);
                if hi < lo {
                    return Warnings::default();
                }
                let width = (hi - lo + 1) as u32;
                let ones = if width >= 64 {
                    u64::MAX
                } else {
                    (1u64 << width) - 1
                };
                let mask = ones << lo;
                Warnings::new(&a.meta, a.warn_mask & mask)
            }
        }
    }

    /// Warnings for a computation that consulted the days in `(from, to]`.
    #[inline]
    fn warn_after(&self, from: NaiveDate, to: NaiveDate) -> Warnings {
        if self.overlay.is_none() || to <= from {
            return Warnings::default();
        }
        let y1 = from.succ_opt().map_or(i32::MAX, |d| d.year());
        self.warn_years(y1, to.year())
    }

    /// 提示: the warnings that apply to any computation touching `from..=to` (for pages that
    /// show a range, such as a month view).
    pub fn warnings_for(&self, from: NaiveDate, to: NaiveDate) -> Warnings {
        self.warn_years(from.year(), to.year())
    }

    /// 是否工作日: whether `d` is a working day.
    pub fn is_workday(&self, d: NaiveDate) -> Result<Computed<bool>, CalendarError> {
        let i = self
            .index(d)
            .ok_or(CalendarError::YearNotCovered { year: d.year() })?;
        Ok(Computed {
            value: bit(&self.bits, i),
            warnings: self.warn_years(d.year(), d.year()),
        })
    }

    /// 日期说明: the kind of day `d` is, with the festival and notice for listed days.
    pub fn day_info(&self, d: NaiveDate) -> Result<Computed<DayInfo>, CalendarError> {
        let Computed {
            value: workday,
            warnings,
        } = self.is_workday(d)?;
        let mut info = DayInfo {
            date: d,
            kind: if is_weekend(d) {
                DayKind::Weekend
            } else {
                DayKind::Workday
            },
            name: None,
            notice: None,
            statutory: false,
        };
        let regional = self.overlay().and_then(|o| o.year(d.year())).and_then(|y| {
            let off = y.extra_off.iter().find(|r| r.date == d);
            let work = y.extra_workdays.iter().find(|r| r.date == d);
            let (kind, r) = match (off, work) {
                (Some(r), _) => (DayKind::RegionalHoliday, r),
                (None, Some(r)) => (DayKind::RegionalWorkday, r),
                (None, None) => return None,
            };
            Some((kind, r.name.clone(), y.notice.clone()))
        });
        if let Some((kind, name, notice)) = regional {
            info.kind = kind;
            info.name = name;
            info.notice = Some(notice);
        } else if let Some(note) = self.national.notes.get(&d) {
            info.kind = note.kind;
            info.name = Some(note.name.clone());
            info.notice = Some(note.notice.clone());
            info.statutory = note.statutory;
        }
        debug_assert_eq!(info.is_workday(), workday);
        Ok(Computed {
            value: info,
            warnings,
        })
    }

    /// 加工作日: the n-th working day strictly after `start`.
    ///
    /// * `start` itself is not counted, and may be a rest day: from Saturday, `n = 1` is the
    ///   next working day.
    /// * `n = 0` returns `start` unchanged (the 0-th working day after `start` is `start`), so
    ///   that `workdays_between(start, add_workdays(start, n)) == n` for every `n`.
    /// * Consults the days in `(start, result]`; fails with `YearNotCovered` naming the first
    ///   uncovered year it would need.
    #[inline]
    pub fn add_workdays(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<Computed<NaiveDate>, CalendarError> {
        let p = self.after(start)?;
        if n == 0 {
            return Ok(Computed::clean(start));
        }
        let k = self.prefix[p] as usize + n as usize;
        let due = *self.workdays.get(k - 1).ok_or_else(|| self.beyond_end())?;
        Ok(Computed {
            value: due,
            warnings: self.warn_after(start, due),
        })
    }

    /// 减工作日: the n-th working day strictly before `end` (`n = 0` returns `end`).
    ///
    /// For a working day `d`, `add_workdays(sub_workdays(d, n), n) == d`. Consults the days in
    /// `[result, end)`.
    pub fn sub_workdays(
        &self,
        end: NaiveDate,
        n: u32,
    ) -> Result<Computed<NaiveDate>, CalendarError> {
        if n == 0 {
            return Ok(Computed::clean(end));
        }
        let before = end.pred_opt().ok_or(CalendarError::DateOutOfRange)?;
        let k = self.prefix[self.after(before)?] as usize; // working days < end
        let found = k
            .checked_sub(n as usize)
            .and_then(|i| self.workdays.get(i))
            .copied()
            .ok_or(CalendarError::YearNotCovered {
                year: self.first_year - 1,
            })?;
        Ok(Computed {
            value: found,
            warnings: self.warn_years(found.year(), before.year()),
        })
    }

    /// 工作日数: the number of working days in `(a, b]` when `a <= b`, and minus the number in
    /// `(b, a]` when `a > b` (antisymmetric: `between(a, b) == -between(b, a)`).
    ///
    /// Inverse of [`Self::add_workdays`]: `workdays_between(a, add_workdays(a, n)) == n`, and
    /// for `a <= b`, `add_workdays(a, workdays_between(a, b))` is the last working day in
    /// `(a, b]`, or `a` when there is none.
    #[inline]
    pub fn workdays_between(
        &self,
        a: NaiveDate,
        b: NaiveDate,
    ) -> Result<Computed<i32>, CalendarError> {
        let pa = self.after(a)?;
        let pb = self.after(b)?;
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        Ok(Computed {
            value: self.prefix[pb] as i32 - self.prefix[pa] as i32,
            warnings: self.warn_after(lo, hi),
        })
    }

    /// 顺延至工作日: `d` if it is a working day, else the next working day after it.
    #[inline]
    pub fn workday_on_or_after(&self, d: NaiveDate) -> Result<Computed<NaiveDate>, CalendarError> {
        let i = self
            .index(d)
            .ok_or(CalendarError::YearNotCovered { year: d.year() })?;
        let found = *self
            .workdays
            .get(self.prefix[i] as usize)
            .ok_or_else(|| self.beyond_end())?;
        Ok(Computed {
            value: found,
            warnings: self.warn_years(d.year(), found.year()),
        })
    }

    /// 期间届满日 (民法典 第二百零一条–第二百零三条): the last day of `period` counted from
    /// `start`, rolled to the next working day if it is a rest day.
    ///
    /// The start day is not counted; `Days(n)` ends `n` days after `start`; `Months(n)` and
    /// `Years(n)` end on the corresponding date of the final month, or its last day if it has
    /// none (2024-01-31 + 1 month = 2024-02-29; 2024-02-29 + 1 year = 2025-02-28). Only the
    /// days from the natural end to the result are consulted, so `start` may lie before the
    /// covered range.
    pub fn period_end(
        &self,
        start: NaiveDate,
        period: Period,
    ) -> Result<Computed<PeriodEnd>, CalendarError> {
        let natural = period.natural_end(start)?;
        let Computed {
            value: end,
            warnings,
        } = self.workday_on_or_after(natural)?;
        Ok(Computed {
            value: PeriodEnd {
                natural_end: natural,
                end,
                rolled_over: end != natural,
            },
            warnings,
        })
    }

    /// 全年工作日数: working days from 1 January to 31 December of a covered year, on this
    /// calendar.
    pub fn workdays_in_year(&self, year: i32) -> Result<Computed<u32>, CalendarError> {
        let k = usize::try_from(year - self.first_year)
            .ok()
            .filter(|&k| k < self.year_start.len())
            .ok_or(CalendarError::YearNotCovered { year })?;
        let start = self.year_start[k] as usize;
        let end = self
            .year_start
            .get(k + 1)
            .map_or(self.days as usize, |&s| s as usize);
        Ok(Computed {
            value: self.prefix[end] - self.prefix[start],
            warnings: self.warn_years(year, year),
        })
    }
}

fn tables(bits: &[u64], days: u32, first_day: NaiveDate) -> (Vec<u32>, Vec<NaiveDate>) {
    let mut prefix = Vec::with_capacity(days as usize + 1);
    let mut workdays = Vec::with_capacity(days as usize * 5 / 7 + 1);
    let mut count = 0u32;
    prefix.push(0);
    for (i, d) in first_day.iter_days().take(days as usize).enumerate() {
        if bit(bits, i) {
            count += 1;
            workdays.push(d);
        }
        prefix.push(count);
    }
    (prefix, workdays)
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("covered", &self.covered_range())
            .field("region", &self.region())
            .field("workdays", &self.workdays.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<Calendar>();
    }

    #[test]
    fn a_gap_between_notice_years_is_a_data_error_naming_the_file() {
        let mut files: Vec<_> = NATIONAL_FILES
            .iter()
            .map(|(f, t)| (*f, parse_national(f, t).unwrap()))
            .collect();
        files.remove(2);
        let err = Calendar::from_years(files).unwrap_err();
        assert_eq!(
            err,
            data_error(
                "data/calendar/cn/2022.json",
                "year",
                "应为2021年（年度须连续）"
            )
        );
    }

    #[test]
    fn a_wrong_working_day_count_is_a_data_error_naming_the_key() {
        let mut files: Vec<_> = NATIONAL_FILES
            .iter()
            .map(|(f, t)| (*f, parse_national(f, t).unwrap()))
            .collect();
        files[5].1.working_days = 250;
        let err = Calendar::from_years(files).unwrap_err();
        let CalendarError::Data { file, key, message } = err else {
            panic!()
        };
        assert_eq!(
            (file.as_str(), key.as_str()),
            ("data/calendar/cn/2024.json", "working_days")
        );
        assert!(message.contains("251"), "{message}");
    }
}
