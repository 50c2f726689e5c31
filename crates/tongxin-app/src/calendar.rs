//! The county's calendar (日历管理): the national working-day calendar plus the region's
//! overlay — the built-in 宁夏 years (unverified reprints, 2019–2022) and the years an
//! administrator enters from the regional notices, which replace a built-in year.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use tongxin_calendar::{Calendar, OverlayYear, RegionalDay, RegionalOverlay};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::{FieldError, Permission};
use tongxin_store::RegionalYearRow;

use crate::auth::Actor;
use crate::{App, AppError, AuditActor};

/// 宁夏回族自治区: the region of the Tongxin pack.
pub const REGION: &str = "宁夏回族自治区";

/// What an administrator types to enter a regional year.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RegionalYearInput {
    pub year: String,
    /// The regional notice (文号 or title and date).
    pub notice: String,
    /// Extra days off: dates separated by commas, spaces or 、, each optionally `日期:节日`
    /// (`2024-04-10:开斋节`).
    pub extra_off: String,
    /// Weekend days the regional notice makes working days, same format.
    #[serde(default)]
    pub extra_workdays: String,
    /// Checked against the regional government's own publication.
    #[serde(default)]
    pub verified: bool,
}

/// A year of the overlay as shown on the 日历管理 page.
#[derive(Debug, Clone, Serialize)]
pub struct RegionalYearView {
    pub year: i32,
    pub notice: String,
    pub verified: bool,
    /// "built_in" or "entered".
    pub source: &'static str,
    pub entered_by: String,
    pub extra_off: Vec<String>,
    pub extra_workdays: Vec<String>,
}

fn parse_days(field: &str, year: i32, text: &str) -> Result<Vec<RegionalDay>, FieldError> {
    let mut out = Vec::new();
    for item in text
        .split([',', '，', '、', ' ', '\n', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let (date, name) = match item.split_once([':', '：']) {
            Some((d, n)) => (
                d.trim(),
                Some(n.trim().to_owned()).filter(|n| !n.is_empty()),
            ),
            None => (item, None),
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
            FieldError::new(
                field,
                format!("“{date}”不是日期，应为 YYYY-MM-DD，如 {year}-04-10"),
            )
        })?;
        if name.as_ref().is_some_and(|n| n.chars().count() > 20) {
            return Err(FieldError::new(field, "节日名称不能超过20个字符"));
        }
        out.push(RegionalDay { date, name });
    }
    Ok(out)
}

impl App {
    /// The county's calendar as it stands now.
    pub fn calendar(&self) -> Arc<Calendar> {
        crate::read(&self.calendar)
    }

    /// The overlay: built-in years, replaced by entered ones.
    async fn overlay(&self) -> Result<(RegionalOverlay, Vec<RegionalYearRow>), AppError> {
        let mut overlay =
            RegionalOverlay::ningxia_builtin().map_err(|e| AppError::Internal(e.to_string()))?;
        let entered = self.store.regional_years(REGION).await?;
        for row in &entered {
            overlay.remove_year(row.year);
            let day = |(date, name): &(NaiveDate, Option<String>)| RegionalDay {
                date: *date,
                name: name.clone(),
            };
            overlay
                .insert(OverlayYear {
                    year: row.year,
                    notice: row.notice.clone(),
                    verified: row.verified,
                    extra_off: row.extra_off.iter().map(day).collect(),
                    extra_workdays: row.extra_workdays.iter().map(day).collect(),
                })
                .map_err(|e| {
                    AppError::Internal(format!("数据库中的{}年地方节假日无效：{e}", row.year))
                })?;
        }
        Ok((overlay, entered))
    }

    /// Rebuilds the county calendar from the national data and the overlay.
    pub async fn reload_calendar(&self) -> Result<(), AppError> {
        let (overlay, _) = self.overlay().await?;
        let national = Calendar::national().map_err(|e| AppError::Internal(e.to_string()))?;
        crate::write(&self.calendar, Arc::new(national.with_overlay(&overlay)));
        Ok(())
    }

    /// The overlay's years for the 日历管理 page, and the covered years it lacks.
    pub async fn regional_years(&self) -> Result<(Vec<RegionalYearView>, Vec<i32>), AppError> {
        let (overlay, entered) = self.overlay().await?;
        let fmt = |days: &[RegionalDay]| {
            days.iter()
                .map(|d| match &d.name {
                    Some(n) => format!("{}（{n}）", d.date),
                    None => d.date.to_string(),
                })
                .collect()
        };
        let views: Vec<RegionalYearView> = overlay
            .years()
            .map(|y| {
                let e = entered.iter().find(|e| e.year == y.year);
                RegionalYearView {
                    year: y.year,
                    notice: y.notice.clone(),
                    verified: y.verified,
                    source: if e.is_some() { "entered" } else { "built_in" },
                    entered_by: e.map(|e| e.entered_by.clone()).unwrap_or_default(),
                    extra_off: fmt(&y.extra_off),
                    extra_workdays: fmt(&y.extra_workdays),
                }
            })
            .collect();
        let missing = self
            .calendar()
            .covered_years()
            .filter(|y| overlay.year(*y).is_none())
            .collect();
        Ok((views, missing))
    }

    /// Enters (or replaces) a regional year. `actor` None is the server console.
    pub async fn add_regional_year(
        &self,
        actor: Option<&Actor>,
        input: &RegionalYearInput,
    ) -> Result<RegionalYearView, AppError> {
        if let Some(a) = actor {
            self.require(a, Permission::ManageCalendar, "录入地方节假日")?;
        }
        let mut errors = Vec::new();
        let covered = self.calendar().covered_years();
        let year = match input.year.trim().parse::<i32>() {
            Ok(y) if covered.contains(&y) => Some(y),
            Ok(y) => {
                errors.push(FieldError::new(
                    "year",
                    format!(
                        "{y}年不在国家日历数据覆盖的年份（{}—{}年）内",
                        covered.start(),
                        covered.end()
                    ),
                ));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("year", "年份应为四位数字，如 2024"));
                None
            }
        };
        let notice = input.notice.trim();
        if notice.is_empty() {
            errors.push(FieldError::new(
                "notice",
                "须注明地方通知（文号或标题与日期）",
            ));
        } else if notice.chars().count() > 200 {
            errors.push(FieldError::new("notice", "通知名称不能超过200个字符"));
        }
        let y = year.unwrap_or(0);
        let off = parse_days("extra_off", y, &input.extra_off)
            .map_err(|e| errors.push(e))
            .ok();
        let work = parse_days("extra_workdays", y, &input.extra_workdays)
            .map_err(|e| errors.push(e))
            .ok();
        if off.as_ref().is_some_and(|o| o.is_empty()) && work.as_ref().is_some_and(|w| w.is_empty())
        {
            errors.push(FieldError::new(
                "extra_off",
                "至少填写一个地方放假日或调休上班日",
            ));
        }
        let (Some(year), Some(off), Some(work)) = (year, off, work) else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        // The overlay's own checks (dates in the year, weekend make-up days, duplicates).
        let entry = OverlayYear {
            year,
            notice: notice.to_owned(),
            verified: input.verified,
            extra_off: off,
            extra_workdays: work,
        };
        let mut probe =
            RegionalOverlay::new(REGION).map_err(|e| AppError::Internal(e.to_string()))?;
        if let Err(e) = probe.insert(entry.clone()) {
            let field = if e.to_string().contains("上班") {
                "extra_workdays"
            } else {
                "extra_off"
            };
            return Err(AppError::field(field, e.to_string()));
        }
        let row = RegionalYearRow {
            region: REGION.to_owned(),
            year,
            notice: entry.notice.clone(),
            verified: entry.verified,
            entered_by: String::new(),
            entered_at: String::new(),
            extra_off: entry
                .extra_off
                .iter()
                .map(|d| (d.date, d.name.clone()))
                .collect(),
            extra_workdays: entry
                .extra_workdays
                .iter()
                .map(|d| (d.date, d.name.clone()))
                .collect(),
        };
        let who = actor.map(|a| a.audit()).unwrap_or(AuditActor::CONSOLE);
        let mut tx = self.store.begin().await?;
        tx.put_regional_year(&row, who.username, self.clock.now())
            .await?;
        let summary = json!({ "after": { "year": year, "notice": row.notice, "extra_off": row.extra_off.len(), "extra_workdays": row.extra_workdays.len(), "verified": row.verified } });
        self.audit(
            &mut tx,
            &who,
            AuditAction::Update,
            &format!("regional_calendar:{year}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        self.reload_calendar().await?;
        self.recompute_if_calendar_changed().await?;
        let (views, _) = self.regional_years().await?;
        views
            .into_iter()
            .find(|v| v.year == year)
            .ok_or_else(|| AppError::Internal("录入后未找到该年度".into()))
    }
}

/// An answered calendar query: the answer's text and the warnings that go with it.
#[derive(Debug, Clone, Serialize)]
pub struct QueryAnswer {
    pub query: String,
    pub answer: String,
    pub warnings: Vec<String>,
    /// "county" (national + regional overlay) or "national".
    pub calendar: &'static str,
}

impl App {
    /// Answers one query in the CLI's syntax (`add-workdays 2024-02-05 5`) on the county's
    /// calendar, or on the national one.
    pub fn calendar_query(&self, q: &str, national: bool) -> Result<QueryAnswer, AppError> {
        let q = q.trim();
        if q.chars().count() > 100 {
            return Err(AppError::field("q", "查询不能超过100个字符"));
        }
        let query: tongxin_calendar::Query = q
            .parse()
            .map_err(|e: tongxin_calendar::QueryError| AppError::field("q", e.to_string()))?;
        let county = self.calendar();
        let national_cal;
        let cal: &Calendar = if national {
            national_cal = Calendar::national().map_err(|e| AppError::Internal(e.to_string()))?;
            &national_cal
        } else {
            &county
        };
        let c = cal
            .answer(&query)
            .map_err(|e| AppError::field("q", e.to_string()))?;
        Ok(QueryAnswer {
            query: q.to_owned(),
            answer: c.value.to_string(),
            warnings: c.warnings.iter().map(|w| w.to_string()).collect(),
            calendar: if national { "national" } else { "county" },
        })
    }
}
