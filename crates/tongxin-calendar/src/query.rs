//! 日历查询: calendar questions in the CLI's argument syntax, so that
//! `tongxin calendar add-workdays 2024-02-05 5` and the line `add-workdays 2024-02-05 5` of
//! `tongxin calendar --stdin` are parsed by the same code.
//!
//! | line | answer |
//! |---|---|
//! | `is-workday 2024-02-04` | `true` |
//! | `add-workdays 2024-02-05 5` | `2024-02-18` (a 调休 Sunday) |
//! | `sub-workdays 2024-02-18 5` | `2024-02-05` |
//! | `workdays-between 2024-02-01 2024-02-29` | `17` |
//! | `period-end 2024-01-31 1m` | `2024-02-29` |
//! | `period-end 2024-09-01 1m` | `2024-10-08 顺延自2024-10-01` |

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::error::{CalendarError, Computed};
use crate::legal_period::{Period, PeriodEnd};

/// 查询: one calendar question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Query {
    /// `is-workday DATE`
    IsWorkday(NaiveDate),
    /// `dekad DATE`: the 旬 containing the date.
    Dekad(NaiveDate),
    /// `add-workdays DATE N`: [`Calendar::add_workdays`].
    AddWorkdays {
        /// Start (not counted).
        start: NaiveDate,
        /// Working days to add.
        n: u32,
    },
    /// `sub-workdays DATE N`: [`Calendar::sub_workdays`].
    SubWorkdays {
        /// End (not counted).
        end: NaiveDate,
        /// Working days to go back.
        n: u32,
    },
    /// `workdays-between A B`: [`Calendar::workdays_between`].
    WorkdaysBetween {
        /// Exclusive start.
        from: NaiveDate,
        /// Inclusive end.
        to: NaiveDate,
    },
    /// `period-end DATE PERIOD` (`30d`, `2m`, `1y`): [`Calendar::period_end`].
    PeriodEnd {
        /// Start (not counted).
        start: NaiveDate,
        /// The period.
        period: Period,
    },
}

/// 查询格式错误.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Empty line.
    #[error("查询为空")]
    Empty,
    /// Unknown command word.
    #[error(
        "未知查询“{0}”（可用：is-workday、add-workdays、sub-workdays、workdays-between、period（period-end）、dekad）"
    )]
    UnknownCommand(String),
    /// An argument is missing.
    #[error("{command} 缺少参数 {argument}")]
    MissingArgument {
        /// The command.
        command: &'static str,
        /// The argument's name.
        argument: &'static str,
    },
    /// Too many arguments.
    #[error("多余的参数“{0}”")]
    ExtraArgument(String),
    /// Not a date.
    #[error("日期“{0}”格式有误（应为 YYYY-MM-DD）")]
    BadDate(String),
    /// Not a number of days.
    #[error("天数“{0}”应为非负整数")]
    BadNumber(String),
    /// Not a period.
    #[error(transparent)]
    BadPeriod(#[from] crate::legal_period::PeriodParseError),
}

impl Query {
    /// 解析命令行参数: the words after `tongxin calendar` (`["add-workdays", "2024-02-05", "5"]`).
    pub fn from_args<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<Query, QueryError> {
        let mut it = args.into_iter();
        let command = it.next().ok_or(QueryError::Empty)?;
        let mut arg = |command: &'static str, argument: &'static str| {
            it.next()
                .ok_or(QueryError::MissingArgument { command, argument })
        };
        let date = |s: &str| parse_ymd(s).ok_or_else(|| QueryError::BadDate(s.to_owned()));
        let number = |s: &str| {
            s.parse::<u32>()
                .map_err(|_| QueryError::BadNumber(s.to_owned()))
        };
        let q = match command {
            "is-workday" => Query::IsWorkday(date(arg("is-workday", "DATE")?)?),
            "add-workdays" => Query::AddWorkdays {
                start: date(arg("add-workdays", "DATE")?)?,
                n: number(arg("add-workdays", "N")?)?,
            },
            "sub-workdays" => Query::SubWorkdays {
                end: date(arg("sub-workdays", "DATE")?)?,
                n: number(arg("sub-workdays", "N")?)?,
            },
            "workdays-between" => Query::WorkdaysBetween {
                from: date(arg("workdays-between", "FROM")?)?,
                to: date(arg("workdays-between", "TO")?)?,
            },
            "period-end" | "period" => Query::PeriodEnd {
                start: date(arg("period-end", "DATE")?)?,
                period: arg("period-end", "PERIOD")?.parse()?,
            },
            "dekad" => Query::Dekad(date(arg("dekad", "DATE")?)?),
            other => return Err(QueryError::UnknownCommand(other.to_owned())),
        };
        match it.next() {
            Some(extra) => Err(QueryError::ExtraArgument(extra.to_owned())),
            None => Ok(q),
        }
    }
}

/// Strict `YYYY-MM-DD` (what the CLI documents), several times faster than a format string;
/// batch runs parse a million of these.
fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

impl FromStr for Query {
    type Err = QueryError;

    /// Parses one line: words separated by whitespace.
    fn from_str(line: &str) -> Result<Self, Self::Err> {
        Query::from_args(line.split_whitespace())
    }
}

/// 查询结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// For `is-workday`.
    Workday(bool),
    /// For `add-workdays` and `sub-workdays`.
    Date(NaiveDate),
    /// For `workdays-between`.
    Count(i32),
    /// For `period-end`.
    PeriodEnd(PeriodEnd),
    /// For `dekad`.
    Period(crate::calendar_period::PeriodInstance),
}

impl fmt::Display for Answer {
    /// One line: `true`, `2024-02-19`, `15`, `2024-10-08 顺延自2024-10-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Workday(b) => write!(f, "{b}"),
            Answer::Date(d) => write!(f, "{d}"),
            Answer::Count(n) => write!(f, "{n}"),
            Answer::PeriodEnd(p) if p.rolled_over => write!(f, "{} 顺延自{}", p.end, p.natural_end),
            Answer::PeriodEnd(p) => write!(f, "{}", p.end),
            Answer::Period(p) => write!(f, "{p} {} {}", p.start(), p.end()),
        }
    }
}

impl Calendar {
    /// 回答查询.
    pub fn answer(&self, query: &Query) -> Result<Computed<Answer>, CalendarError> {
        Ok(match *query {
            Query::IsWorkday(d) => self.is_workday(d)?.map(Answer::Workday),
            Query::Dekad(d) => {
                // A 旬 needs no holiday data, but a date outside the covered years is still an
                // error here, as for every other query.
                let _ = self.is_workday(d)?;
                Computed::clean(Answer::Period(
                    crate::calendar_period::PeriodType::Dekad.containing(d),
                ))
            }
            Query::AddWorkdays { start, n } => self.add_workdays(start, n)?.map(Answer::Date),
            Query::SubWorkdays { end, n } => self.sub_workdays(end, n)?.map(Answer::Date),
            Query::WorkdaysBetween { from, to } => {
                self.workdays_between(from, to)?.map(Answer::Count)
            }
            Query::PeriodEnd { start, period } => {
                self.period_end(start, period)?.map(Answer::PeriodEnd)
            }
        })
    }
}
