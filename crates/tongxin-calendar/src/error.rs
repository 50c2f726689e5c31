//! Errors and warnings.
//!
//! # Guide
//!
//! * [`CalendarError`] — the question cannot be answered. `YearNotCovered` is the one callers
//!   meet in practice: the computation needs a day of a year for which no State Council notice
//!   is built in. It is never replaced by a guess. `Data` means a built-in data file is wrong;
//!   it can only happen at construction ([`crate::Calendar::national`],
//!   [`crate::RegionalOverlay::ningxia_builtin`]) and names the file and the key.
//! * [`OverlayError`] — an administrator entered a regional year that does not validate
//!   ([`crate::RegionalOverlay::add_year`]). Each variant names the field and the rule in Chinese,
//!   ready to show next to the form field.
//! * [`CalendarWarning`] — the question was answered, but on data the official should know about
//!   (a regional year not entered, or entered but unverified). Warnings travel with the value in
//!   [`Computed`] and must be shown wherever the value is.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

/// 日历错误: why a calendar question cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// 年度未覆盖: the computation needs a day of `year`, and no 国务院办公厅 notice for that
    /// year is built in.
    #[error("日历数据未覆盖{year}年（缺少国务院办公厅{year}年节假日安排通知）")]
    YearNotCovered {
        /// The year whose notice is missing.
        year: i32,
    },
    /// 数据文件有误: a built-in data file does not parse or does not validate.
    #[error("日历数据文件 {file} 的 {key} 有误：{message}")]
    Data {
        /// Path of the file, relative to the repository root.
        file: String,
        /// JSON path of the offending value (`off[3].date`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// 补正期间有误: a pause ends before it starts.
    #[error("补正期间有误：结束日{to}早于开始日{from}")]
    PauseEndsBeforeStart {
        /// The day the correction request was sent.
        from: NaiveDate,
        /// The day the papers came back.
        to: NaiveDate,
    },
    /// 日期越界: a natural period runs past the dates chrono can represent.
    #[error("日期超出可表示的范围")]
    DateOutOfRange,
}

/// 地方节假日录入错误: why a regional year cannot be added to an overlay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverlayError {
    /// The region has no name.
    #[error("地区名称不能为空")]
    EmptyRegion,
    /// The year has no notice citation.
    #[error("{year}年地方节假日安排须注明通知文号或标题")]
    MissingNotice {
        /// The year being entered.
        year: i32,
    },
    /// The year was already entered; remove it first to replace it.
    #[error("{year}年地方节假日安排已录入，如需修改请先删除")]
    YearAlreadyEntered {
        /// The year being entered.
        year: i32,
    },
    /// A date does not belong to the year being entered.
    #[error("{date}不在{year}年内")]
    DateOutsideYear {
        /// The offending date.
        date: NaiveDate,
        /// The year being entered.
        year: i32,
    },
    /// An extra working day must be a Saturday or Sunday (Monday–Friday already are).
    #[error("{date}不是周末，不能列为调休上班日")]
    ExtraWorkdayNotWeekend {
        /// The offending date.
        date: NaiveDate,
    },
    /// A date is listed twice.
    #[error("{date}重复录入")]
    DuplicateDate {
        /// The offending date.
        date: NaiveDate,
    },
    /// A date is listed both as a day off and as a working day.
    #[error("{date}不能既放假又上班")]
    DateInBothLists {
        /// The offending date.
        date: NaiveDate,
    },
}

/// 日历提示: a computation succeeded on data the official should know about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CalendarWarning {
    /// 地方节假日未录入: the calendar has a regional overlay, but not for `year`; that year was
    /// computed on the national calendar alone.
    RegionalYearMissing {
        /// The region (`宁夏回族自治区`).
        region: String,
        /// The year without regional data.
        year: i32,
    },
    /// 地方节假日未核实: the regional year was entered from a source nobody has checked against
    /// the regional government's own notice.
    RegionalYearUnverified {
        /// The region.
        region: String,
        /// The unverified year.
        year: i32,
        /// The notice as cited by the unverified source.
        notice: String,
    },
}

impl fmt::Display for CalendarWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RegionalYearMissing { region, year } => {
                write!(f, "{region}{year}年节假日安排未录入，按全国日历计算")
            }
            Self::RegionalYearUnverified {
                region,
                year,
                notice,
            } => write!(
                f,
                "{region}{year}年节假日安排（{notice}）尚未与原文核对，结果仅供参考"
            ),
        }
    }
}

/// Status of one covered year in a calendar's overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegionalYearStatus {
    Verified,
    Unverified { notice: String },
    Missing,
}

/// What a calendar's warnings refer to: its region and the status of each covered year.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RegionMeta {
    pub(crate) region: String,
    pub(crate) first_year: i32,
    /// Indexed by `year - first_year`.
    pub(crate) status: Vec<RegionalYearStatus>,
}

/// 提示集: the warnings of one computation.
///
/// Compact on purpose (a pointer and a bit mask, no allocation) so that a sweep over millions
/// of deadlines pays nothing for it; [`Warnings::iter`] spells the warnings out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warnings {
    region: Option<Arc<RegionMeta>>,
    /// Bit `i`: year `first_year + i` of the region meta has a warning.
    years: u64,
}

impl Warnings {
    pub(crate) fn new(region: &Arc<RegionMeta>, years: u64) -> Self {
        if years == 0 {
            Self::default()
        } else {
            Self {
                region: Some(Arc::clone(region)),
                years,
            }
        }
    }

    /// 无提示: true when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.years == 0
    }

    /// 提示条数.
    pub fn len(&self) -> usize {
        self.years.count_ones() as usize
    }

    /// 各条提示, earliest year first.
    pub fn iter(&self) -> impl Iterator<Item = CalendarWarning> + '_ {
        let mut bits = self.years;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let meta = self.region.as_ref()?;
            let year = meta.first_year + i as i32;
            let region = meta.region.clone();
            Some(match meta.status.get(i) {
                Some(RegionalYearStatus::Unverified { notice }) => {
                    CalendarWarning::RegionalYearUnverified {
                        region,
                        year,
                        notice: notice.clone(),
                    }
                }
                _ => CalendarWarning::RegionalYearMissing { region, year },
            })
        })
    }

    /// 提示列表: the warnings as owned values, for storing with a decision.
    pub fn to_vec(&self) -> Vec<CalendarWarning> {
        self.iter().collect()
    }

    /// Adds the warnings of another computation on the same calendar.
    pub(crate) fn absorb(&mut self, other: Warnings) {
        if self.region.is_none() {
            self.region = other.region;
        }
        self.years |= other.years;
    }
}

impl fmt::Display for Warnings {
    /// The warnings joined with "；".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("；")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}

/// 计算结果: a value and the warnings that apply to it.
///
/// Show `warnings` wherever `value` is shown or stored. Destructure it
/// (`let Computed { value, warnings } = …`) rather than reaching for `.value` alone.
#[must_use = "a computed value carries warnings that must reach the official"]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed<T> {
    /// The answer.
    pub value: T,
    /// What the official must be told about how it was computed.
    pub warnings: Warnings,
}

impl<T> Computed<T> {
    /// 无提示的结果: a value without warnings.
    pub fn clean(value: T) -> Self {
        Self {
            value,
            warnings: Warnings::default(),
        }
    }

    /// 转换结果: transforms the value, keeping the warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Computed<U> {
        Computed {
            value: f(self.value),
            warnings: self.warnings,
        }
    }

    /// 拆分: splits into value and warnings.
    pub fn into_parts(self) -> (T, Warnings) {
        (self.value, self.warnings)
    }
}
