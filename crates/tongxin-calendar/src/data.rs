//! The built-in data files and their schema.
//!
//! `data/calendar/cn/YYYY.json`: one State Council notice year each (see data/calendar/README.md).
//! `data/calendar/regional/<region>/YYYY.json`: one regional notice year each.
//! Files are embedded with `include_str!` and parsed at construction; any error names the file
//! and the JSON key.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::CalendarError;

/// One national file: (path relative to the repository root, contents).
pub(crate) type DataFile = (&'static str, &'static str);

/// The State Council notices, one file per notice year, in year order without gaps.
pub(crate) const NATIONAL_FILES: &[DataFile] = &[
    (
        "data/calendar/cn/2019.json",
        include_str!("../../../data/calendar/cn/2019.json"),
    ),
    (
        "data/calendar/cn/2020.json",
        include_str!("../../../data/calendar/cn/2020.json"),
    ),
    (
        "data/calendar/cn/2021.json",
        include_str!("../../../data/calendar/cn/2021.json"),
    ),
    (
        "data/calendar/cn/2022.json",
        include_str!("../../../data/calendar/cn/2022.json"),
    ),
    (
        "data/calendar/cn/2023.json",
        include_str!("../../../data/calendar/cn/2023.json"),
    ),
    (
        "data/calendar/cn/2024.json",
        include_str!("../../../data/calendar/cn/2024.json"),
    ),
    (
        "data/calendar/cn/2025.json",
        include_str!("../../../data/calendar/cn/2025.json"),
    ),
    (
        "data/calendar/cn/2026.json",
        include_str!("../../../data/calendar/cn/2026.json"),
    ),
];

/// 宁夏回族自治区 regional additions, one file per year (UNVERIFIED, see the files).
pub(crate) const NINGXIA_FILES: &[DataFile] = &[
    (
        "data/calendar/regional/ningxia/2019.json",
        include_str!("../../../data/calendar/regional/ningxia/2019.json"),
    ),
    (
        "data/calendar/regional/ningxia/2020.json",
        include_str!("../../../data/calendar/regional/ningxia/2020.json"),
    ),
    (
        "data/calendar/regional/ningxia/2021.json",
        include_str!("../../../data/calendar/regional/ningxia/2021.json"),
    ),
    (
        "data/calendar/regional/ningxia/2022.json",
        include_str!("../../../data/calendar/regional/ningxia/2022.json"),
    ),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeFile {
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) signed: NaiveDate,
    pub(crate) url: String,
    /// Set when the number itself rests on a weak source.
    #[serde(default)]
    pub(crate) number_confidence: Option<String>,
    /// For amending notices: what they change.
    #[serde(default)]
    pub(crate) effect: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NamedDate {
    pub(crate) date: NaiveDate,
    pub(crate) name: String,
    /// The amending notice this date comes from; absent = the year's main notice.
    #[serde(default)]
    pub(crate) notice: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoticeText {
    pub(crate) notice: String,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HolidayFile {
    pub(crate) name: String,
    /// 法定假日 proper, per festival (全国年节及纪念日放假办法 第二条).
    pub(crate) statutory: BTreeMap<String, Vec<NaiveDate>>,
    /// The notice's own words, in the order the notices were issued.
    pub(crate) texts: Vec<NoticeText>,
    #[serde(default)]
    #[allow(dead_code)] // documentation for readers of the file
    pub(crate) remark: Option<String>,
}

/// One `data/calendar/cn/YYYY.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NationalYearFile {
    pub(crate) year: i32,
    pub(crate) notice: NoticeFile,
    #[serde(default)]
    pub(crate) amending_notices: Vec<NoticeFile>,
    pub(crate) statutory_days: u32,
    /// Working days from Jan 1 to Dec 31, as derived from the notice; checked at load.
    pub(crate) working_days: u32,
    pub(crate) holidays: Vec<HolidayFile>,
    pub(crate) off: Vec<NamedDate>,
    pub(crate) makeup_workdays: Vec<NamedDate>,
    #[serde(default)]
    pub(crate) cancelled_makeup_workdays: Vec<NamedDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionalDayFile {
    pub(crate) date: NaiveDate,
    #[serde(default)]
    pub(crate) name: Option<String>,
}

/// One `data/calendar/regional/<region>/YYYY.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionalYearFile {
    pub(crate) region: String,
    pub(crate) year: i32,
    pub(crate) verified: bool,
    pub(crate) notice: String,
    #[allow(dead_code)] // provenance, for readers of the file
    pub(crate) source: String,
    pub(crate) extra_off: Vec<RegionalDayFile>,
    pub(crate) extra_workdays: Vec<RegionalDayFile>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) note: Option<String>,
}

pub(crate) fn data_error(
    file: &str,
    key: impl Into<String>,
    message: impl Into<String>,
) -> CalendarError {
    CalendarError::Data {
        file: file.to_owned(),
        key: key.into(),
        message: message.into(),
    }
}

/// Parses JSON, naming the key on error.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, CalendarError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let key = if key == "." { "(根)".to_owned() } else { key };
        data_error(file, key, e.into_inner().to_string())
    })
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses and checks one national file on its own (cross-file checks are in the calendar).
pub(crate) fn parse_national(file: &str, text: &str) -> Result<NationalYearFile, CalendarError> {
    let y: NationalYearFile = parse_json(file, text)?;
    // A notice may list dates in the previous December (the 2019 notice lists 2018-12-29..31).
    let in_scope = |d: NaiveDate| d.year() == y.year || (d.year() == y.year - 1 && d.month() == 12);
    let mut seen = BTreeMap::new();
    for (list, entries) in [("off", &y.off), ("makeup_workdays", &y.makeup_workdays)] {
        for (i, e) in entries.iter().enumerate() {
            let key = format!("{list}[{i}].date");
            if !in_scope(e.date) {
                return Err(data_error(
                    file,
                    key,
                    format!("{}不属于{}年通知的范围", e.date, y.year),
                ));
            }
            if let Some(other) = seen.insert(e.date, key.clone()) {
                return Err(data_error(file, key, format!("{}与{other}重复", e.date)));
            }
            if e.name.trim().is_empty() {
                return Err(data_error(file, format!("{list}[{i}].name"), "名称为空"));
            }
            if let Some(n) = &e.notice {
                if !y.amending_notices.iter().any(|a| &a.number == n) {
                    return Err(data_error(
                        file,
                        format!("{list}[{i}].notice"),
                        format!("{n}不在amending_notices中"),
                    ));
                }
            }
        }
    }
    for (i, e) in y.makeup_workdays.iter().enumerate() {
        if !is_weekend(e.date) {
            return Err(data_error(
                file,
                format!("makeup_workdays[{i}].date"),
                format!("{}不是周末，调休上班日必须是周六或周日", e.date),
            ));
        }
    }
    for (i, e) in y.cancelled_makeup_workdays.iter().enumerate() {
        if y.makeup_workdays.iter().any(|m| m.date == e.date) {
            return Err(data_error(
                file,
                format!("cancelled_makeup_workdays[{i}].date"),
                format!("{}已取消调休，不能再列为上班日", e.date),
            ));
        }
    }
    let mut statutory = 0;
    for (i, h) in y.holidays.iter().enumerate() {
        for (festival, days) in &h.statutory {
            for d in days {
                statutory += 1;
                if !y.off.iter().any(|o| o.date == *d) {
                    return Err(data_error(
                        file,
                        format!("holidays[{i}].statutory.{festival}"),
                        format!("法定假日{d}未列入off"),
                    ));
                }
            }
        }
        if h.texts.is_empty() {
            return Err(data_error(
                file,
                format!("holidays[{i}].texts"),
                "缺少通知原文",
            ));
        }
    }
    if statutory != y.statutory_days {
        return Err(data_error(
            file,
            "statutory_days",
            format!(
                "各节日法定假日合计{statutory}天，与statutory_days={}不符",
                y.statutory_days
            ),
        ));
    }
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(NATIONAL_FILES[5].1).unwrap();
        edit(&mut v);
        v.to_string()
    }

    fn error_key(text: &str) -> (String, String) {
        match parse_national("data/calendar/cn/2024.json", text).unwrap_err() {
            CalendarError::Data { file, key, message } => {
                assert_eq!(file, "data/calendar/cn/2024.json");
                (key, message)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_built_in_file_parses() {
        for (file, text) in NATIONAL_FILES {
            parse_national(file, text).unwrap();
        }
        for (file, text) in NINGXIA_FILES {
            parse_json::<RegionalYearFile>(file, text).unwrap();
        }
    }

    #[test]
    fn a_malformed_date_names_its_key() {
        let text = with(|v| v["off"][3]["date"] = "2024-02-30".into());
        assert_eq!(error_key(&text).0, "off[3].date");
    }

    #[test]
    fn an_unknown_field_names_its_key() {
        let text = with(|v| v["makeup_workdays"][0]["nmae"] = "x".into());
        assert_eq!(error_key(&text).0, "makeup_workdays[0].nmae");
    }

    #[test]
    fn a_makeup_workday_on_a_weekday_names_its_key() {
        let text = with(|v| v["makeup_workdays"][1]["date"] = "2024-02-19".into());
        let (key, message) = error_key(&text);
        assert_eq!(key, "makeup_workdays[1].date");
        assert!(message.contains("不是周末"), "{message}");
    }

    #[test]
    fn a_date_outside_the_notice_year_names_its_key() {
        let text = with(|v| v["off"][0]["date"] = "2025-01-01".into());
        assert_eq!(error_key(&text).0, "off[0].date");
    }

    #[test]
    fn a_date_listed_twice_names_the_second_key() {
        let text = with(|v| v["makeup_workdays"][0]["date"] = "2024-02-10".into());
        let (key, message) = error_key(&text);
        assert_eq!(key, "makeup_workdays[0].date");
        assert!(message.contains("off[1].date"), "{message}");
    }

    #[test]
    fn a_wrong_statutory_total_names_the_key() {
        let text = with(|v| v["statutory_days"] = 13.into());
        assert_eq!(error_key(&text).0, "statutory_days");
    }

    #[test]
    fn a_date_citing_an_unknown_amending_notice_names_its_key() {
        let text = with(|v| v["off"][2]["notice"] = "国办发明电〔2024〕99号".into());
        assert_eq!(error_key(&text).0, "off[2].notice");
    }
}
