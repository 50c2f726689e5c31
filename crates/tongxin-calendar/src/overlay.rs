//! 地方节假日: a region's additions to the national calendar.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::data::{NINGXIA_FILES, RegionalYearFile, data_error, parse_json};
use crate::error::{CalendarError, OverlayError};

/// 地方节假日安排: a region's extra days off (e.g. 开斋节, 古尔邦节 in 宁夏) and extra working
/// days, year by year, each year citing its regional notice.
///
/// Build it from the built-in data ([`RegionalOverlay::ningxia_builtin`]) or year by year as an
/// administrator enters the notices ([`RegionalOverlay::add_year`]); apply it with
/// [`crate::Calendar::with_overlay`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalOverlay {
    region: String,
    years: BTreeMap<i32, OverlayYear>,
}

/// 地方年度安排: one year of a regional overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayYear {
    /// The calendar year.
    pub year: i32,
    /// The regional notice (文号, or title and date when the number is unknown).
    pub notice: String,
    /// 已核实: someone checked the days against the regional government's own publication.
    pub verified: bool,
    /// 地方放假日: rest days in the region on top of the national calendar.
    pub extra_off: Vec<RegionalDay>,
    /// 地方调休上班日: weekend days the regional notice makes working days.
    pub extra_workdays: Vec<RegionalDay>,
}

/// 地方节假日中的一天: a date and, when known, the festival it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalDay {
    /// The date.
    pub date: NaiveDate,
    /// The festival (开斋节), if entered.
    pub name: Option<String>,
}

/// The region name the built-in 宁夏 overlay uses, as it appears in warnings.
const NINGXIA: &str = "宁夏回族自治区";

impl RegionalOverlay {
    /// An overlay without years. `region` is the name warnings use (`宁夏回族自治区`).
    pub fn new(region: impl Into<String>) -> Result<Self, OverlayError> {
        let region = region.into();
        if region.trim().is_empty() {
            return Err(OverlayError::EmptyRegion);
        }
        Ok(Self {
            region,
            years: BTreeMap::new(),
        })
    }

    /// 宁夏回族自治区 2019–2022 as built in (`data/calendar/regional/ningxia/`), every year
    /// **unverified**: each rests on one secondary reprint of the regional notice. 2023 onward
    /// must be entered by an administrator.
    pub fn ningxia_builtin() -> Result<Self, CalendarError> {
        let mut overlay =
            Self::new(NINGXIA).map_err(|e| data_error("(built-in)", "region", e.to_string()))?;
        for (file, text) in NINGXIA_FILES {
            let y: RegionalYearFile = parse_json(file, text)?;
            if y.region != NINGXIA {
                return Err(data_error(file, "region", format!("应为{NINGXIA}")));
            }
            let named = |days: Vec<crate::data::RegionalDayFile>| {
                days.into_iter()
                    .map(|d| RegionalDay {
                        date: d.date,
                        name: d.name,
                    })
                    .collect()
            };
            overlay
                .insert(OverlayYear {
                    year: y.year,
                    notice: y.notice,
                    verified: y.verified,
                    extra_off: named(y.extra_off),
                    extra_workdays: named(y.extra_workdays),
                })
                .map_err(|e| data_error(file, "extra_off/extra_workdays", e.to_string()))?;
        }
        Ok(overlay)
    }

    /// Adds one year as an administrator enters it from the regional notice.
    ///
    /// Checks: `notice` is not blank; the year is not entered yet (remove it first to replace
    /// it); every date lies in `year`; no date is listed twice or in both lists; every extra
    /// working day is a Saturday or Sunday. Extra days off may fall on a weekend (a notice's
    /// block "6月29日至7月1日" is entered as stated, and a weekend day off is a no-op unless the
    /// national notice made it a working day).
    pub fn add_year(
        &mut self,
        year: i32,
        notice: String,
        extra_off: Vec<NaiveDate>,
        extra_workdays: Vec<NaiveDate>,
        verified: bool,
    ) -> Result<(), OverlayError> {
        let unnamed = |days: Vec<NaiveDate>| {
            days.into_iter()
                .map(|date| RegionalDay { date, name: None })
                .collect()
        };
        self.insert(OverlayYear {
            year,
            notice,
            verified,
            extra_off: unnamed(extra_off),
            extra_workdays: unnamed(extra_workdays),
        })
    }

    /// 录入年度 with festival names on the days; same checks as [`Self::add_year`].
    pub fn insert(&mut self, mut entry: OverlayYear) -> Result<(), OverlayError> {
        let year = entry.year;
        if entry.notice.trim().is_empty() {
            return Err(OverlayError::MissingNotice { year });
        }
        if self.years.contains_key(&year) {
            return Err(OverlayError::YearAlreadyEntered { year });
        }
        let mut seen = BTreeSet::new();
        for d in entry.extra_off.iter().chain(&entry.extra_workdays) {
            if d.date.year() != year {
                return Err(OverlayError::DateOutsideYear { date: d.date, year });
            }
            if !seen.insert(d.date) {
                let in_off = entry.extra_off.iter().any(|o| o.date == d.date);
                let in_work = entry.extra_workdays.iter().any(|w| w.date == d.date);
                return Err(if in_off && in_work {
                    OverlayError::DateInBothLists { date: d.date }
                } else {
                    OverlayError::DuplicateDate { date: d.date }
                });
            }
        }
        for d in &entry.extra_workdays {
            if !matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(OverlayError::ExtraWorkdayNotWeekend { date: d.date });
            }
        }
        entry.extra_off.sort_by_key(|d| d.date);
        entry.extra_workdays.sort_by_key(|d| d.date);
        self.years.insert(year, entry);
        Ok(())
    }

    /// 删除年度 (to replace it); returns what was there.
    pub fn remove_year(&mut self, year: i32) -> Option<OverlayYear> {
        self.years.remove(&year)
    }

    /// 核实: marks a year as checked against the regional government's own notice, recording the
    /// notice as checked. Returns false if the year is not entered.
    pub fn mark_verified(&mut self, year: i32, notice: String) -> bool {
        match self.years.get_mut(&year) {
            Some(y) if !notice.trim().is_empty() => {
                y.notice = notice;
                y.verified = true;
                true
            }
            _ => false,
        }
    }

    /// The region name (`宁夏回族自治区`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// 某年安排, if entered.
    pub fn year(&self, year: i32) -> Option<&OverlayYear> {
        self.years.get(&year)
    }

    /// 已录入年度, in order.
    pub fn years(&self) -> impl Iterator<Item = &OverlayYear> {
        self.years.values()
    }
}
