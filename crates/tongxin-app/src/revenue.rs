//! 财源 as the app runs it (同政办发〔2023〕76号): the general budget revenue by month against
//! the yearly path to the target, the tax bureau's monthly tax by taxpayer, type and industry,
//! the key tax-source register chosen by 二、（一）'s rule, the alerts when a key taxpayer's tax
//! falls, the non-tax revenue reported monthly by its own deadline (四、（三）), and the
//! 2:2:4:2 guarantee split (四、（八）).
//!
//! Decisions written down (the rules themselves are in `tongxin_domain::revenue`):
//! - Who sees what: the overview (county totals) is for whoever may see the supervision
//!   ledger; taxpayers' own figures (the register, the alerts) only for county leaders, the
//!   supervision office and the staff of 财政局 and 税务局 (税收保密). 税务局 and 财政局 import
//!   tax data; 财政局 enters the monthly revenue and sets the alert threshold and the
//!   register's rule.
//! - The monthly revenue is 税收收入 and 非税收入 in 万元 (一般公共预算收入 is their sum), for a
//!   month that has ended. It is reported in the next month's round of the supervision task
//!   d8.nontax (每月跟踪调度非税收入, 四、（三）): March's figures are due by the task's due date
//!   for April (by default the last working day of April). One deadline, kept where the
//!   office keeps it. A correction keeps the first report's time.
//! - An import replaces what was there for each (taxpayer, month, tax type) it names; amounts
//!   in 元 unless the header says 万元; negative amounts (退库) are kept.
//! - The register is computed from the last twelve months of tax data whenever it is shown,
//!   so it always follows the rule; until the finance bureau sets the rule's figures, 80% and
//!   3 per industry are used, and the page says so.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_calendar::PeriodType;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::indicators::{Value, growth_bp, parse_ratio, percent_text, split};
use tongxin_domain::policy::RuleValue;
use tongxin_domain::revenue::{
    KeySource, Progress, TaxTotal, credit_code, fall_beyond, key_sources, parse_wan, parse_yuan,
    path_for_year, time_progress_bp, wan_text,
};
use tongxin_domain::{FieldError, Permission, Role};
use tongxin_store::{MonthlyRevenueRow, StoreError, TaxRow};

use crate::indicators::{ImportLine, ImportReport};
use crate::sheets::{self, read_sheet};
use crate::{Actor, App, AppError};

/// The settings the finance bureau sets, with the defaults used until it does.
pub const SETTING_ALERT: &str = "alert_fall_bp";
pub const SETTING_COVER: &str = "key_cover_bp";
pub const SETTING_PER_INDUSTRY: &str = "key_per_industry";
const DEFAULT_COVER_BP: i64 = 8_000;
const DEFAULT_PER_INDUSTRY: i64 = 3;

/// The parties of the guarantee split, in the order of the ratio (四、（八）).
pub const GUARANTEE_PARTIES: [&str; 4] = [
    "国家融资担保基金",
    "省再担保集团",
    "基层融资担保机构",
    "金融机构",
];

/// A year on the path to the target.
#[derive(Debug, Clone, Serialize)]
pub struct PathYear {
    pub year: i32,
    /// 万元; None: the county has not set a target for this year.
    pub target: Option<String>,
    pub target_fen: Option<i64>,
    pub citation: Option<String>,
    /// The year's revenue entered so far (万元), and through which month.
    pub actual: Option<String>,
    pub through_month: u32,
}

/// A month of the year shown.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLine {
    pub month: NaiveDate,
    /// 2024年3月
    pub label: String,
    pub tax: Option<String>,
    pub non_tax: Option<String>,
    pub total: Option<String>,
    pub cumulative: Option<String>,
    /// 环比 and 同比 of the month's total.
    pub mom: Option<String>,
    pub yoy: Option<String>,
    /// The non-tax report's deadline and how it stands: 按时 / 逾期报送 / 逾期未报 / 待报.
    pub due: Option<NaiveDate>,
    pub report_status: &'static str,
    pub report_colour: &'static str,
    pub version: Option<i64>,
    pub note: String,
}

/// Tax of the year so far by tax type or industry, with the same months a year before.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub name: String,
    pub amount: String,
    pub year_before: String,
    pub yoy: Option<String>,
    pub amount_fen: i64,
}

/// A key taxpayer as listed in the register.
#[derive(Debug, Clone, Serialize)]
pub struct KeyTaxpayer {
    pub credit_code: String,
    pub name: String,
    pub industry: String,
    pub chain: String,
    /// Last twelve months' tax, 万元.
    pub amount: String,
    pub share: String,
    pub rank: usize,
    pub reasons: Vec<String>,
}

/// 预警: a key taxpayer whose month fell beyond the threshold.
#[derive(Debug, Clone, Serialize)]
pub struct RevenueAlert {
    pub credit_code: String,
    pub name: String,
    pub industry: String,
    pub month: String,
    pub amount: String,
    pub year_before: String,
    /// `-35.20%`
    pub change: String,
}

/// The finance bureau's settings as shown.
#[derive(Debug, Clone, Serialize)]
pub struct RevenueSettings {
    /// 预警阈值, %, None until set.
    pub alert_fall: Option<String>,
    pub cover: String,
    pub per_industry: i64,
    /// The register's figures are the defaults (not yet set by 财政局).
    pub rule_is_default: bool,
    pub set_by: String,
}

/// 财源总览.
#[derive(Debug, Clone, Serialize)]
pub struct RevenueOverview {
    pub year: i32,
    pub years: Vec<i32>,
    pub path: Vec<PathYear>,
    /// The year's target (万元) and its clause.
    pub target: Option<String>,
    pub target_citation: Option<String>,
    /// Cumulative revenue through the latest month entered, and how it stands.
    pub cumulative: Option<String>,
    pub through_month: u32,
    pub done: Option<String>,
    pub time_progress: Option<String>,
    pub progress_label: &'static str,
    pub progress_colour: &'static str,
    pub months: Vec<MonthLine>,
    /// The tax data's latest month in the year, and the tax by type and by industry to it.
    pub tax_through: Option<String>,
    pub by_type: Vec<Breakdown>,
    pub by_industry: Vec<Breakdown>,
    /// Taxpayers' own figures, for those who may see them.
    pub key_sources: Option<Vec<KeyTaxpayer>>,
    pub alerts: Option<Vec<RevenueAlert>>,
    pub alert_month: Option<String>,
    pub settings: RevenueSettings,
    pub non_tax_rule: String,
    pub may_import: bool,
    pub may_enter: bool,
}

/// A month's revenue as typed (万元).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MonthlyInput {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub tax: String,
    #[serde(default)]
    pub non_tax: String,
    #[serde(default)]
    pub note: String,
    /// The version seen, when correcting.
    #[serde(default)]
    pub version: Option<i64>,
}

/// The finance bureau's settings as typed (percentages, a count).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub alert_fall: String,
    #[serde(default)]
    pub cover: String,
    #[serde(default)]
    pub per_industry: String,
}

/// A guarantee split: each party's part of a loan.
#[derive(Debug, Clone, Serialize)]
pub struct GuaranteeSplit {
    pub amount: String,
    pub ratio: String,
    pub citation: String,
    pub parts: Vec<(String, u32, String)>,
}

fn month_label(m: NaiveDate) -> String {
    format!("{}年{}月", m.year(), m.month())
}

fn first_of(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

fn months_back(m: NaiveDate, n: u32) -> NaiveDate {
    m.checked_sub_months(chrono::Months::new(n)).unwrap_or(m)
}

fn growth(cur: i64, prev: Option<i64>) -> Option<String> {
    prev.and_then(|p| growth_bp(Value(cur), Value(p)))
        .map(percent_text)
}

impl App {
    fn is_unit(&self, actor: &Actor, name: &str) -> bool {
        self.pack
            .directory
            .resolve_unit(name)
            .is_some_and(|u| u.id == actor.unit)
    }

    /// May see taxpayers' own figures.
    fn may_see_taxpayers(&self, actor: &Actor) -> bool {
        matches!(actor.role, Role::CountyLeader | Role::Supervision)
            || self.is_unit(actor, "财政局")
            || self.is_unit(actor, "税务局")
    }

    fn finance_only(&self, actor: &Actor, what: &str) -> Result<(), AppError> {
        if self.is_unit(actor, "财政局") {
            Ok(())
        } else {
            Err(AppError::Conflict(format!("{what}由财政局办理")))
        }
    }

    async fn revenue_settings(&self) -> Result<(HashMap<String, i64>, String), AppError> {
        let rows = self.store.revenue_settings().await?;
        let by = rows
            .iter()
            .map(|(_, _, b, at)| format!("{b}（{at}）"))
            .next_back()
            .unwrap_or_default();
        Ok((rows.into_iter().map(|(k, v, _, _)| (k, v)).collect(), by))
    }

    /// The year's target on the path, its fen and clause: the target whose window covers the
    /// year, brought back to the year at the growth rate covering it.
    fn path_target(&self, year: i32) -> Option<(i64, String)> {
        let p = self
            .pack
            .corpus
            .parameter("revenue.general_budget_target")?;
        let end = first_of(year, 12).with_day(31)?;
        let start = first_of(year, 1);
        let v = p
            .values
            .iter()
            .rev()
            .find(|v| v.from <= end && v.until.is_none_or(|u| u >= start))?;
        let RuleValue::Number(n) = &v.value else {
            return None;
        };
        // 亿元 → fen.
        let fen = Value::parse(&RuleValue::Number(*n).to_string()).ok()?.0 * 10_000_000;
        let target_year = v.until.map(|u| u.year()).unwrap_or(year);
        let growth = self
            .pack
            .corpus
            .parameter("revenue.annual_growth")
            .and_then(|g| {
                g.values
                    .iter()
                    .rev()
                    .find(|gv| gv.covers(end) || gv.covers(start))
            })
            .and_then(|gv| match &gv.value {
                RuleValue::Number(x) => Value::parse(&RuleValue::Number(*x).to_string()).ok(),
                _ => None,
            })
            // percent (thousandths) → basis points
            .map(|g| g.0 / 10)
            .unwrap_or(0);
        let t = path_for_year(fen, target_year, growth, year)?;
        Some((t, v.citation.to_string()))
    }

    /// The non-tax report's deadline rule: the supervision task d8.nontax's.
    async fn non_tax_rule(&self) -> Result<Option<tongxin_domain::supervision::DueRule>, AppError> {
        Ok(self
            .store
            .task_by_seed("d8.nontax")
            .await?
            .map(|t| crate::supervision::due_rule_of(&t.due_rule)))
    }

    /// 财源总览 for `year` (None: the current year).
    pub async fn revenue_overview(
        &self,
        actor: &Actor,
        year: Option<i32>,
    ) -> Result<RevenueOverview, AppError> {
        self.require(actor, Permission::ViewTasks, "查看财源")?;
        let today = self.clock.today();
        let year = year.unwrap_or(today.year());
        if !(2000..=today.year()).contains(&year) {
            return Err(AppError::field(
                "year",
                format!("年份须在2000至{}之间", today.year()),
            ));
        }
        let (settings, set_by) = self.revenue_settings().await?;
        let monthly = self.store.monthly_revenue().await?;
        let by_month: BTreeMap<NaiveDate, &MonthlyRevenueRow> =
            monthly.iter().map(|m| (m.month, m)).collect();
        let total = |m: NaiveDate| by_month.get(&m).map(|r| r.tax + r.non_tax);
        let cal = self.calendar();
        let rule = self.non_tax_rule().await?;

        // The months of the year that have begun.
        let last_month = if year == today.year() {
            today.month()
        } else {
            12
        };
        let mut months = Vec::new();
        let (mut cum, mut through) = (0i64, 0u32);
        for mo in 1..=last_month {
            let m = first_of(year, mo);
            let row = by_month.get(&m);
            let period = PeriodType::Month.containing(m);
            // Reported in the next month's round of the task.
            let round = period.next().unwrap_or(period);
            let due = rule.and_then(|r| {
                tongxin_domain::supervision::due_date(&round, r, &cal)
                    .ok()
                    .map(|c| c.value)
            });
            let reported_on = row
                .and_then(|r| tongxin_store::parse_ts(&r.reported_at).ok())
                .map(|t| t.with_timezone(&crate::clock::china_offset()).date_naive());
            let (status, colour) = match (reported_on, due) {
                (Some(on), Some(d)) if on <= d => ("按时报送", "green"),
                (Some(_), Some(_)) => ("逾期报送", "yellow"),
                (Some(_), None) => ("已报送", "green"),
                (None, Some(d)) if d < today => ("逾期未报", "red"),
                (None, _) if period.end() >= today => ("本月未结束", ""),
                (None, _) => ("待报送", ""),
            };
            if let Some(r) = row {
                cum += r.tax + r.non_tax;
                through = mo;
            }
            let t = total(m);
            months.push(MonthLine {
                month: m,
                label: month_label(m),
                tax: row.map(|r| wan_text(r.tax)),
                non_tax: row.map(|r| wan_text(r.non_tax)),
                total: t.map(wan_text),
                cumulative: row.map(|_| wan_text(cum)),
                mom: t.and_then(|c| growth(c, total(months_back(m, 1)))),
                yoy: t.and_then(|c| growth(c, total(months_back(m, 12)))),
                due,
                report_status: status,
                report_colour: colour,
                version: row.map(|r| r.version),
                note: row.map(|r| r.note.clone()).unwrap_or_default(),
            });
        }
        let target = self.path_target(year);
        let progress = target
            .as_ref()
            .filter(|_| through > 0)
            .and_then(|(t, _)| Progress::of(cum, *t, through));

        // The path: from the document's first year to the last with a target or the year shown.
        let first_year = 2023;
        let last_year = (first_year..=today.year() + 5)
            .filter(|y| self.path_target(*y).is_some())
            .max()
            .unwrap_or(year)
            .max(today.year());
        let path = (first_year..=last_year)
            .map(|y| {
                let t = self.path_target(y);
                let rows: Vec<&&MonthlyRevenueRow> = by_month
                    .range(first_of(y, 1)..=first_of(y, 12))
                    .map(|(_, r)| r)
                    .collect();
                PathYear {
                    year: y,
                    target: t.as_ref().map(|(f, _)| wan_text(*f)),
                    target_fen: t.as_ref().map(|(f, _)| *f),
                    citation: t.map(|(_, c)| c),
                    actual: (!rows.is_empty())
                        .then(|| wan_text(rows.iter().map(|r| r.tax + r.non_tax).sum())),
                    through_month: rows.last().map(|r| r.month.month()).unwrap_or(0),
                }
            })
            .collect();

        // Tax by type and industry: the year through its latest month of data, against the
        // same months a year before.
        let rollup = self
            .store
            .tax_rollup(first_of(year - 1, 1), first_of(year, 12))
            .await?;
        let tax_last = rollup
            .iter()
            .filter(|r| r.month.year() == year)
            .map(|r| r.month.month())
            .max();
        let (by_type, by_industry) = match tax_last {
            Some(lm) => {
                let mut t: BTreeMap<(u8, String), (i64, i64)> = BTreeMap::new();
                for r in rollup.iter().filter(|r| r.month.month() <= lm) {
                    let this = r.month.year() == year;
                    for key in [(0u8, r.tax_type.clone()), (1u8, r.industry.clone())] {
                        let e = t.entry(key).or_default();
                        if this {
                            e.0 += r.amount;
                        } else {
                            e.1 += r.amount;
                        }
                    }
                }
                let mut lists = (Vec::new(), Vec::new());
                for ((kind, name), (a, b)) in t {
                    let item = Breakdown {
                        name: if name.is_empty() {
                            "未分行业".into()
                        } else {
                            name
                        },
                        amount: wan_text(a),
                        year_before: wan_text(b),
                        yoy: growth(a, (b != 0).then_some(b)),
                        amount_fen: a,
                    };
                    if kind == 0 {
                        lists.0.push(item);
                    } else {
                        lists.1.push(item);
                    }
                }
                lists.0.sort_by_key(|b| std::cmp::Reverse(b.amount_fen));
                lists.1.sort_by_key(|b| std::cmp::Reverse(b.amount_fen));
                lists
            }
            None => (Vec::new(), Vec::new()),
        };

        let cover = settings
            .get(SETTING_COVER)
            .copied()
            .unwrap_or(DEFAULT_COVER_BP);
        let per_industry = settings
            .get(SETTING_PER_INDUSTRY)
            .copied()
            .unwrap_or(DEFAULT_PER_INDUSTRY);
        let alert_bp = settings.get(SETTING_ALERT).copied();
        let (key_sources, alerts, alert_month) = if self.may_see_taxpayers(actor) {
            let (ks, al, am) = self
                .key_sources_and_alerts(cover, per_industry, alert_bp)
                .await?;
            (Some(ks), al, am)
        } else {
            (None, None, None)
        };
        Ok(RevenueOverview {
            year,
            years: (first_year.min(year)..=today.year()).rev().collect(),
            path,
            target: target.as_ref().map(|(t, _)| wan_text(*t)),
            target_citation: target.as_ref().map(|(_, c)| c.clone()),
            cumulative: (through > 0).then(|| wan_text(cum)),
            through_month: through,
            done: progress.map(|(_, d)| percent_text(d)),
            time_progress: progress.map(|_| percent_text(time_progress_bp(through))),
            progress_label: progress
                .map(|(p, _)| p.label())
                .unwrap_or(if target.is_none() {
                    "本年目标尚未设定"
                } else {
                    "尚无数据"
                }),
            progress_colour: progress.map(|(p, _)| p.colour()).unwrap_or(""),
            months,
            tax_through: tax_last.map(|m| month_label(first_of(year, m))),
            by_type,
            by_industry,
            key_sources,
            alerts,
            alert_month,
            settings: RevenueSettings {
                alert_fall: alert_bp.map(percent_text),
                cover: percent_text(cover),
                per_industry,
                rule_is_default: !settings.contains_key(SETTING_COVER)
                    && !settings.contains_key(SETTING_PER_INDUSTRY),
                set_by,
            },
            non_tax_rule: rule
                .map(|r| format!("按督办任务“每月跟踪调度非税收入”的报送期限：{}", r.label()))
                .unwrap_or_else(|| "督办任务“每月跟踪调度非税收入”未发布，报送期限无从计算".into()),
            may_import: self.is_unit(actor, "税务局") || self.is_unit(actor, "财政局"),
            may_enter: self.is_unit(actor, "财政局"),
        })
    }

    /// The register over the twelve months to the latest month of tax data, and the alerts of
    /// that month.
    async fn key_sources_and_alerts(
        &self,
        cover: i64,
        per_industry: i64,
        alert_bp: Option<i64>,
    ) -> Result<(Vec<KeyTaxpayer>, Option<Vec<RevenueAlert>>, Option<String>), AppError> {
        let Some(last) = self.store.latest_tax_month().await? else {
            return Ok((Vec::new(), alert_bp.map(|_| Vec::new()), None));
        };
        let year_ago = months_back(last, 12);
        let totals: Vec<TaxTotal> = self
            .store
            .taxpayer_totals(months_back(last, 11), last)
            .await?
            .into_iter()
            .map(|r| TaxTotal {
                code: r.credit_code,
                industry: r.industry,
                amount: r.amount,
            })
            .collect();
        let mut at_last: HashMap<String, i64> = HashMap::new();
        let mut year_before: HashMap<String, i64> = HashMap::new();
        for r in self.store.taxpayer_months_in(&[last, year_ago]).await? {
            if r.month == last {
                at_last.insert(r.credit_code, r.amount);
            } else {
                year_before.insert(r.credit_code, r.amount);
            }
        }
        let ks: Vec<KeySource> =
            key_sources(&totals, cover, usize::try_from(per_industry).unwrap_or(0));
        let codes: Vec<String> = ks.iter().map(|k| k.code.clone()).collect();
        let payers: HashMap<String, tongxin_store::TaxpayerRow> = self
            .store
            .taxpayers(Some(&codes))
            .await?
            .into_iter()
            .map(|p| (p.credit_code.clone(), p))
            .collect();
        let amount_of: HashMap<&str, i64> =
            totals.iter().map(|t| (t.code.as_str(), t.amount)).collect();
        let name = |c: &str| payers.get(c).map(|p| p.name.clone()).unwrap_or_default();
        let register: Vec<KeyTaxpayer> = ks
            .iter()
            .map(|k| {
                let p = payers.get(&k.code);
                KeyTaxpayer {
                    credit_code: k.code.clone(),
                    name: name(&k.code),
                    industry: p.map(|p| p.industry.clone()).unwrap_or_default(),
                    chain: p.map(|p| p.chain.clone()).unwrap_or_default(),
                    amount: wan_text(amount_of.get(k.code.as_str()).copied().unwrap_or(0)),
                    share: percent_text(k.share_bp),
                    rank: k.rank,
                    reasons: k.reasons.clone(),
                }
            })
            .collect();
        let alerts = alert_bp.map(|bp| {
            register
                .iter()
                .filter_map(|k| {
                    let now = at_last.get(k.credit_code.as_str()).copied().unwrap_or(0);
                    let before = year_before.get(k.credit_code.as_str()).copied()?;
                    let fall = fall_beyond(now, before, bp)?;
                    Some(RevenueAlert {
                        credit_code: k.credit_code.clone(),
                        name: k.name.clone(),
                        industry: k.industry.clone(),
                        month: month_label(last),
                        amount: wan_text(now),
                        year_before: wan_text(before),
                        change: percent_text(-fall),
                    })
                })
                .collect()
        });
        Ok((register, alerts, Some(month_label(last))))
    }

    /// 导入税收数据: the tax bureau's spreadsheet of tax by taxpayer, month and tax type. Each
    /// row is checked; the good rows are kept in one transaction (one audit entry for the
    /// import, naming the file, months and total); the others reported with their reason.
    pub async fn import_tax_data(
        &self,
        actor: &Actor,
        filename: &str,
        bytes: &[u8],
    ) -> Result<ImportReport, AppError> {
        if !(self.is_unit(actor, "税务局") || self.is_unit(actor, "财政局")) {
            return Err(AppError::Conflict("税收数据由税务局或财政局导入".into()));
        }
        let rows = read_sheet(filename, bytes).map_err(|e| AppError::field("file", e.0))?;
        let fields: [&[&str]; 7] = [
            &[
                "统一社会信用代码",
                "纳税人识别号",
                "社会信用代码",
                "信用代码",
            ],
            &["纳税人名称", "企业名称", "名称", "纳税人"],
            &["行业", "所属行业", "行业名称", "行业门类"],
            &["产业链", "所属产业链"],
            &["税种", "征收项目", "税种名称"],
            &[
                "所属月份",
                "月份",
                "所属期",
                "税款所属期",
                "入库月份",
                "所属时期",
            ],
            &["税额", "实缴税额", "入库税额", "实缴金额", "金额", "税款"],
        ];
        let (cols, data) = sheets::header(&rows, &fields, &[0, 1, 4, 5, 6])
            .map_err(|e| AppError::field("file", e.0))?;
        let header = &rows[rows.len() - data.len() - 1];
        let in_wan = cols.get(6).is_some_and(|c| header.cell(c).contains("万元"));
        let today = self.clock.today();
        let mut report = ImportReport::default();
        let mut good: Vec<TaxRow> = Vec::new();
        let mut seen: HashMap<(String, NaiveDate, String), usize> = HashMap::new();
        for r in data {
            let mut why = Vec::new();
            let code = credit_code(cols.cell(r, 0)).map_err(|e| why.push(e)).ok();
            let name = cols.cell(r, 1);
            if name.is_empty() {
                why.push("纳税人名称为空".into());
            }
            let tax_type = cols.cell(r, 4);
            if tax_type.is_empty() || tax_type.chars().count() > 30 {
                why.push("税种为空或过长".into());
            }
            let period_text = cols.cell(r, 5);
            let month = match PeriodType::Month.parse(period_text) {
                Some(p) if p.start() > today => {
                    why.push(format!("{}尚未开始", p.label()));
                    None
                }
                Some(p) => Some(p.start()),
                None => {
                    why.push(format!(
                        "所属月份“{period_text}”无法识别，请填2024-03或2024年3月"
                    ));
                    None
                }
            };
            let typed = cols.cell(r, 6);
            let amount = if in_wan {
                parse_wan(typed)
            } else {
                parse_yuan(typed)
            }
            .map_err(|e| why.push(format!("税额{e}")))
            .ok();
            let mut line = ImportLine {
                line: r.line,
                period: month
                    .map(month_label)
                    .unwrap_or_else(|| period_text.to_owned()),
                value: format!("{} {} {}", name, tax_type, typed),
                outcome: "失败",
                message: String::new(),
            };
            if let (Some(code), Some(month), Some(amount), true) =
                (code, month, amount, why.is_empty())
            {
                let key = (code.clone(), month, tax_type.to_owned());
                if let Some(first) = seen.get(&key) {
                    line.message = format!("与第{first}行重复（同一纳税人、月份、税种）");
                    report.failed += 1;
                } else {
                    seen.insert(key, r.line);
                    good.push(TaxRow {
                        credit_code: code,
                        name: name.to_owned(),
                        industry: cols.cell(r, 2).to_owned(),
                        chain: cols.cell(r, 3).to_owned(),
                        month,
                        tax_type: tax_type.to_owned(),
                        amount,
                    });
                    line.outcome = "导入";
                    report.imported += 1;
                }
            } else {
                line.message = why.join("；");
                report.failed += 1;
            }
            report.lines.push(line);
        }
        if report.lines.is_empty() {
            return Err(AppError::field("file", "表头以下没有数据行"));
        }
        if !good.is_empty() {
            let now = self.clock.now();
            let mut tx = self.store.begin().await?;
            tx.import_taxes(&good, filename, &actor.username, now)
                .await?;
            let months: std::collections::BTreeSet<NaiveDate> =
                good.iter().map(|g| g.month).collect();
            self.audit(
                &mut tx,
                &actor.audit(),
                AuditAction::Create,
                "rev_taxes",
                json!({
                    "import": filename,
                    "rows": good.len(),
                    "failed": report.failed,
                    "months": months.iter().map(|m| day_text(*m)).collect::<Vec<_>>(),
                    "total_fen": good.iter().map(|g| g.amount).sum::<i64>(),
                }),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(report)
    }

    /// 月度收入: 财政局 enters (or corrects) a month's 税收收入 and 非税收入.
    pub async fn enter_monthly_revenue(
        &self,
        actor: &Actor,
        input: &MonthlyInput,
    ) -> Result<(), AppError> {
        self.require(actor, Permission::ViewTasks, "填报月度收入")?;
        self.finance_only(actor, "填报月度收入")?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let month = match PeriodType::Month.parse(&input.month) {
            Some(p) if p.end() > today => {
                errors.push(FieldError::new(
                    "month",
                    format!("{}尚未结束，月末后填报", p.label()),
                ));
                None
            }
            Some(p) => Some(p.start()),
            None => {
                errors.push(FieldError::new("month", "“月份”须为年月，如2024-03"));
                None
            }
        };
        let mut amount = |field: &str, label: &str, text: &str| match parse_wan(text) {
            Ok(v) if v < 0 => {
                errors.push(FieldError::new(field, format!("“{label}”不能为负数")));
                None
            }
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(FieldError::new(field, format!("“{label}”{e}")));
                None
            }
        };
        let tax = amount("tax", "税收收入（万元）", &input.tax);
        let non_tax = amount("non_tax", "非税收入（万元）", &input.non_tax);
        let note = input.note.trim();
        if note.chars().count() > 500 {
            errors.push(FieldError::new("note", "“说明”不能超过500个字"));
        }
        let (Some(month), Some(tax), Some(non_tax), true) =
            (month, tax, non_tax, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        let existing = self
            .store
            .monthly_revenue()
            .await?
            .into_iter()
            .find(|r| r.month == month);
        let version = match (&existing, input.version) {
            (Some(e), None) => {
                return Err(AppError::Conflict(format!(
                    "{}已填报（税收{}万元，非税{}万元），如需更正请在该月一行点“更正”",
                    month_label(month),
                    wan_text(e.tax),
                    wan_text(e.non_tax)
                )));
            }
            (Some(_), Some(v)) => Some(v),
            (None, _) => None,
        };
        let now = self.clock.now();
        let row = MonthlyRevenueRow {
            month,
            tax,
            non_tax,
            note: note.to_owned(),
            entered_by: actor.username.clone(),
            entered_at: String::new(),
            reported_at: String::new(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        tx.put_monthly_revenue(&row, version, now)
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => {
                    AppError::Conflict("该月收入已被他人更正，请刷新后再试".into())
                }
                StoreError::Conflict { .. } => {
                    AppError::Conflict("该月收入刚被填报，请刷新后查看".into())
                }
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            if existing.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            &format!("rev_monthly:{}", day_text(month)),
            json!({
                "tax_fen": tax, "non_tax_fen": non_tax,
                "before": existing.map(|e| json!({"tax_fen": e.tax, "non_tax_fen": e.non_tax})),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 设置: 财政局 sets the alert threshold and the register's rule.
    pub async fn set_revenue_settings(
        &self,
        actor: &Actor,
        input: &SettingsInput,
    ) -> Result<(), AppError> {
        self.require(actor, Permission::ViewTasks, "设置财源预警")?;
        self.finance_only(actor, "设置财源预警")?;
        let mut errors = Vec::new();
        let mut pct = |field: &str, label: &str, text: &str, lo: i64, hi: i64| {
            if text.trim().is_empty() {
                return None;
            }
            match Value::parse(text.trim().trim_end_matches('%')) {
                Ok(v) if v.0 % 10 == 0 && (lo * 1000..=hi * 1000).contains(&v.0) => Some(v.0 / 10),
                Ok(_) => {
                    errors.push(FieldError::new(
                        field,
                        format!("“{label}”须在{lo}%至{hi}%之间，最多两位小数"),
                    ));
                    None
                }
                Err(e) => {
                    errors.push(FieldError::new(field, format!("“{label}”{}", e.0)));
                    None
                }
            }
        };
        let alert = pct("alert_fall", "预警降幅", &input.alert_fall, 1, 100);
        let cover = pct("cover", "重点税源税收合计占比", &input.cover, 1, 100);
        let per = if input.per_industry.trim().is_empty() {
            None
        } else {
            match input.per_industry.trim().parse::<i64>() {
                Ok(n) if (0..=50).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "per_industry",
                        "“每个行业前几位”须为0至50的整数",
                    ));
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut changed = serde_json::Map::new();
        for (k, v) in [
            (SETTING_ALERT, alert),
            (SETTING_COVER, cover),
            (SETTING_PER_INDUSTRY, per),
        ] {
            if let Some(v) = v {
                tx.put_revenue_setting(k, v, &actor.username, now).await?;
                changed.insert(k.to_owned(), json!(v));
            }
        }
        if changed.is_empty() {
            return Err(AppError::field("alert_fall", "请至少填写一项设置"));
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            "rev_settings",
            json!(changed),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 风险分担计算: a loan's guarantee split by 四、（八）'s ratio in force on the day.
    pub fn guarantee_split(&self, amount_wan: &str) -> Result<GuaranteeSplit, AppError> {
        let p = self
            .pack
            .corpus
            .parameter("revenue.guarantee_risk_split")
            .ok_or_else(|| AppError::NotFound {
                what: "风险分担比例".into(),
            })?;
        let today = self.clock.today();
        let v = p
            .values
            .iter()
            .rev()
            .find(|v| v.covers(today))
            .or_else(|| p.values.last())
            .ok_or_else(|| AppError::NotFound {
                what: "风险分担比例".into(),
            })?;
        let ratio_text = match &v.value {
            RuleValue::Text(t) => t.clone(),
            other => other.to_string(),
        };
        let shares = parse_ratio(&ratio_text).ok_or_else(|| AppError::NotFound {
            what: format!("风险分担比例“{ratio_text}”"),
        })?;
        let fen = parse_wan(amount_wan)
            .map_err(|e| AppError::field("amount", format!("“贷款金额（万元）”{e}")))?;
        if fen <= 0 {
            return Err(AppError::field("amount", "“贷款金额（万元）”须大于0"));
        }
        let parts = split(fen, &shares);
        Ok(GuaranteeSplit {
            amount: tongxin_domain::revenue::yuan_text(fen),
            ratio: shares
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(":"),
            citation: v.citation.to_string(),
            parts: GUARANTEE_PARTIES
                .iter()
                .zip(shares.iter().zip(parts))
                .map(|(n, (s, f))| ((*n).to_owned(), *s, tongxin_domain::revenue::yuan_text(f)))
                .collect(),
        })
    }
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}
