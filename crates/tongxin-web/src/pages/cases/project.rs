//! The government-investment project's panel on its case page (同政办规发〔2023〕5号): the
//! approval path the rules give for the project's own facts, each document with its approval,
//! the parallel approvals, the funding against the total and the approved budget, and the
//! monthly progress reports with each month's clock and a progress chart.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use tongxin_app::cases::CaseView;
use tongxin_domain::invest::{WanYuan, approval_path};
use tongxin_domain::invest_checks::{FUNDING_FIELDS, parallel_field, project_facts};
use tongxin_domain::policy::Corpus;

use super::{local_time, text_of};
use crate::cite::Cite;

pub struct PathStep {
    pub label: String,
    pub note: String,
    /// 批复文号, or empty while pending.
    pub approval: String,
}

pub struct ParallelRow {
    pub label: String,
    pub department: String,
    pub when: String,
    pub cite: Cite,
    /// 文号（日期）, or empty while not recorded.
    pub recorded: String,
}

pub struct MoneyRow {
    pub label: String,
    pub amount: String,
}

pub struct ReportRow {
    pub period: String,
    pub due: String,
    pub colour: &'static str,
    pub status_label: String,
    pub filed_on: String,
    pub progress: String,
    pub invested: String,
    pub note: String,
}

/// A bar of the progress chart (SVG units).
pub struct Bar {
    pub x: u32,
    pub height: u32,
    pub y: u32,
    pub label: String,
    pub value: String,
}

pub struct ProjectPanel {
    pub path_label: String,
    pub reasons: Vec<(String, Cite)>,
    pub steps: Vec<PathStep>,
    pub parallel: Vec<ParallelRow>,
    pub path_error: String,
    pub money: Vec<MoneyRow>,
    pub funding_note: String,
    pub reports: Vec<ReportRow>,
    pub bars: Vec<Bar>,
    pub chart_width: u32,
    pub cite_path: Cite,
    pub cite_reports: Cite,
}

fn amount(data: &Map<String, Value>, key: &str) -> Option<WanYuan> {
    data.get(key).and_then(Value::as_str)?.parse().ok()
}

fn approval_number(data: &Map<String, Value>, document: &str) -> String {
    let key = match document {
        "proposal" => "proposal_approval_number",
        "feasibility" => "feasibility_approval_number",
        _ => "design_approval_number",
    };
    text_of(data, key)
}

/// Chart geometry: bars 28 units wide with 12 between, 100% = 120 units high.
const BAR: u32 = 28;
const GAP: u32 = 12;
const HEIGHT: u32 = 120;

/// The panel for `case` on `today`'s rules. The case's data is as the viewer may see it.
pub fn panel(corpus: &Corpus, case: &CaseView, today: NaiveDate) -> ProjectPanel {
    let data = &case.data;
    let mut p = ProjectPanel {
        path_label: String::new(),
        reasons: Vec::new(),
        steps: Vec::new(),
        parallel: Vec::new(),
        path_error: String::new(),
        money: Vec::new(),
        funding_note: String::new(),
        reports: Vec::new(),
        bars: Vec::new(),
        chart_width: 0,
        cite_path: Cite {
            text: String::new(),
            href: String::new(),
        },
        cite_reports: Cite {
            text: String::new(),
            href: String::new(),
        },
    };
    match project_facts(data).map(|f| approval_path(corpus, today, f)) {
        Some(Ok(d)) => {
            p.path_label = d.path.label().to_owned();
            p.reasons = d
                .reasons
                .iter()
                .map(|r| (r.text.clone(), Cite::from(&r.citation)))
                .collect();
            p.cite_path = Cite::from(&d.applied[0].citation);
            p.steps = d
                .documents
                .iter()
                .map(|doc| PathStep {
                    label: doc.label.to_owned(),
                    note: doc.note.to_owned(),
                    approval: approval_number(data, doc.id),
                })
                .collect();
            p.parallel = d
                .parallel
                .iter()
                .map(|x| {
                    let number = text_of(data, parallel_field(x.id));
                    let date_key = match x.id {
                        "eia" => "eia_approval_date",
                        _ => "land_pre_review_date",
                    };
                    let date = text_of(data, date_key);
                    ParallelRow {
                        label: x.label.to_owned(),
                        department: x.department.to_owned(),
                        when: x.when.to_owned(),
                        cite: Cite::from(&x.citation),
                        recorded: match (number.is_empty(), date.is_empty()) {
                            (true, _) => String::new(),
                            (false, true) => number,
                            (false, false) => format!("{number}（{date}）"),
                        },
                    }
                })
                .collect();
        }
        Some(Err(e)) => p.path_error = e.to_string(),
        None => p.path_error = "未填写总投资，无法确定审批路径".into(),
    }

    // Funding (第五条, 第十二条).
    let total = amount(data, "total_investment");
    let mut sum = 0i64;
    for (key, label) in FUNDING_FIELDS {
        if let Some(a) = amount(data, key).filter(|a| a.hundredths() > 0) {
            sum += a.hundredths();
            p.money.push(MoneyRow {
                label: (*label).to_owned(),
                amount: a.to_string(),
            });
        }
    }
    let sum = WanYuan::from_hundredths(sum);
    p.money.push(MoneyRow {
        label: "资金来源合计".into(),
        amount: sum.to_string(),
    });
    for (key, label) in [
        ("total_investment", "总投资"),
        ("approved_budget", "批复概算"),
        ("funds_confirmed", "财政确认到位资金"),
        ("invested_to_date", "累计完成投资（最近月报）"),
        ("surplus_returned", "结余资金缴回国库"),
    ] {
        if let Some(a) = amount(data, key) {
            p.money.push(MoneyRow {
                label: label.into(),
                amount: a.to_string(),
            });
        }
    }
    p.funding_note = match total {
        Some(t) if sum < t => format!(
            "资金来源尚有缺口{}",
            WanYuan::from_hundredths(t.hundredths() - sum.hundredths())
        ),
        Some(_) => "资金来源已覆盖总投资".into(),
        None => String::new(),
    };

    // Monthly reports (第十六条): each period's clock, and what each report said.
    let filed: Vec<&tongxin_app::cases::EventView> = case
        .events
        .iter()
        .filter(|e| e.action == "report_progress")
        .collect();
    let periods: Vec<_> = case
        .deadlines
        .iter()
        .filter(|d| d.deadline == "progress_report")
        .collect();
    if let Some(first) = periods.first() {
        p.cite_reports = Cite::from(&first.citation);
    }
    let mut reports_left = filed.iter();
    for d in &periods {
        // Reports meet the periods in order: the n-th met period is the n-th report.
        let report = if d.status == "met" {
            reports_left.next()
        } else {
            None
        };
        let field = |k: &str| report.map(|e| text_of(&e.data, k)).unwrap_or_default();
        p.reports.push(ReportRow {
            period: format!(
                "{} 至 {}",
                d.started_on,
                d.due_on.map(|x| x.to_string()).unwrap_or_default()
            ),
            due: d.due_on.map(|x| x.to_string()).unwrap_or_default(),
            colour: d.colour,
            status_label: d.status_label.clone(),
            filed_on: d.met_on.map(|x| x.to_string()).unwrap_or_default(),
            progress: field("progress_percent"),
            invested: field("invested_to_date"),
            note: field("progress_note"),
        });
    }
    for (i, e) in filed.iter().enumerate() {
        let pct = e
            .data
            .get("progress_percent")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .min(100) as u32;
        let height = pct * HEIGHT / 100;
        p.bars.push(Bar {
            x: GAP + i as u32 * (BAR + GAP),
            height,
            y: HEIGHT + 10 - height,
            label: local_time(&e.at).get(..7).unwrap_or_default().to_owned(),
            value: format!("{pct}%"),
        });
    }
    p.chart_width = GAP + p.bars.len() as u32 * (BAR + GAP);
    p
}
