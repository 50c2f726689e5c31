//! 督查督办: the rules of the supervision ledger that hold without a database — reporting
//! cadences and their due dates on the official calendar, the colour of a due date, task and
//! problem states, the escalation ladder, and a unit's score for a period.
//!
//! The documents set the cadences (同党办发〔2023〕49号 四、（六）: 旬调度、月总结、季通报、
//! 年评优), the ladder (同党办综〔2023〕55号 八、（四）: 通报、约谈、问责) and nothing about
//! the day a report is due: the county's rule, written here, is the last working day of the
//! period (a task may instead name a number of working days after the period's end).

use chrono::NaiveDate;
use serde::Serialize;
use tongxin_calendar::{Calendar, CalendarError, Computed, PeriodInstance, PeriodType};

/// 报送周期: how often a task reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// 一次性: one report, by the task's due date.
    Once,
    /// 旬
    Dekad,
    /// 月
    Month,
    /// 季
    Quarter,
    /// 年
    Year,
}

impl Cadence {
    pub const ALL: [Cadence; 5] = [
        Cadence::Once,
        Cadence::Dekad,
        Cadence::Month,
        Cadence::Quarter,
        Cadence::Year,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Cadence::Once => "once",
            Cadence::Dekad => "dekad",
            Cadence::Month => "month",
            Cadence::Quarter => "quarter",
            Cadence::Year => "year",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Once => "一次性",
            Cadence::Dekad => "每旬",
            Cadence::Month => "每月",
            Cadence::Quarter => "每季",
            Cadence::Year => "每年",
        }
    }

    /// Accepts the code or the Chinese (`旬`, `每旬`, `dekad`).
    pub fn parse(s: &str) -> Option<Cadence> {
        let s = s.trim();
        Cadence::ALL
            .into_iter()
            .find(|c| c.code() == s || c.label() == s || c.label().trim_start_matches('每') == s)
    }

    /// The calendar period a report covers; none for a one-off task.
    pub fn period_type(self) -> Option<PeriodType> {
        match self {
            Cadence::Once => None,
            Cadence::Dekad => Some(PeriodType::Dekad),
            Cadence::Month => Some(PeriodType::Month),
            Cadence::Quarter => Some(PeriodType::Quarter),
            Cadence::Year => Some(PeriodType::Year),
        }
    }
}

/// 报送截止: the day a period's report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "workdays")]
pub enum DueRule {
    /// 期末最后一个工作日 (the county's default): the last working day inside the period; a
    /// period with no working day at all (a dekad inside a long holiday) is due on the first
    /// working day after it.
    LastWorkday,
    /// 期末后第N个工作日: the n-th working day after the period's last day (月度总结 due on the
    /// 5th working day of the next month: `WorkdaysAfterEnd(5)`).
    WorkdaysAfterEnd(u32),
}

impl DueRule {
    pub fn label(self) -> String {
        match self {
            DueRule::LastWorkday => "期末最后一个工作日".into(),
            DueRule::WorkdaysAfterEnd(n) => format!("期末后第{n}个工作日"),
        }
    }
}

/// 报送期: one period a task reports on, and when its report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: NaiveDate,
}

/// When the report for `period` is due under `rule`.
pub fn due_date(
    period: &PeriodInstance,
    rule: DueRule,
    cal: &Calendar,
) -> Result<Computed<NaiveDate>, CalendarError> {
    match rule {
        DueRule::LastWorkday => {
            let after = period
                .end()
                .succ_opt()
                .ok_or(CalendarError::DateOutOfRange)?;
            // The last working day before the day after the period: on or before its end.
            let last = cal.sub_workdays(after, 1)?;
            if last.value >= period.start() {
                Ok(last)
            } else {
                cal.workday_on_or_after(after)
            }
        }
        DueRule::WorkdaysAfterEnd(n) => cal.add_workdays(period.end(), n.max(1)),
    }
}

/// The report periods of a task with `cadence` running `from..=until` (the periods overlapping
/// it, each with its due date), in order. A one-off task has one: `from..=until`, due `until`
/// (carried to a working day).
pub fn report_periods(
    cadence: Cadence,
    rule: DueRule,
    from: NaiveDate,
    until: NaiveDate,
    cal: &Calendar,
) -> Result<Vec<ReportPeriod>, CalendarError> {
    if until < from {
        return Ok(Vec::new());
    }
    let Some(kind) = cadence.period_type() else {
        let due = cal.workday_on_or_after(until)?.value;
        return Ok(vec![ReportPeriod {
            start: from,
            end: until,
            due,
        }]);
    };
    kind.overlapping(from, until)
        .map(|p| {
            Ok(ReportPeriod {
                start: p.start(),
                end: p.end(),
                due: due_date(&p, rule, cal)?.value,
            })
        })
        .collect()
}

/// 下一应报期: the oldest period, after `after` (None: from the task's first), that a unit has
/// not reported — `reported(start)` says whether it has. It depends on the task, the unit's
/// reports and the calendar, never on the day it is asked, so it can be stored and kept by each
/// filing. None: nothing more is owed (a one-off task reported, or every period to `until`).
///
/// The due date is None when the calendar does not cover its year yet (it is filled once the
/// year's notice is built in); a period without a start (`from` past `until`) is never owed.
pub fn next_owed(
    cadence: Cadence,
    rule: DueRule,
    from: NaiveDate,
    until: NaiveDate,
    after: Option<NaiveDate>,
    reported: impl Fn(NaiveDate) -> bool,
    cal: &Calendar,
) -> Result<Option<OwedPeriod>, CalendarError> {
    if until < from {
        return Ok(None);
    }
    let Some(kind) = cadence.period_type() else {
        if reported(from) || after.is_some_and(|a| a >= from) {
            return Ok(None);
        }
        return Ok(Some(OwedPeriod {
            start: from,
            end: until,
            due: covered(cal.workday_on_or_after(until))?,
        }));
    };
    let first = match after {
        Some(a) => match kind.containing(a).next() {
            Some(p) => p,
            None => return Ok(None),
        },
        None => kind.containing(from),
    };
    for p in std::iter::successors(Some(first), PeriodInstance::next) {
        if p.start() > until {
            return Ok(None);
        }
        // Reports are keyed by the calendar period's first day, as in [`report_periods`].
        if !reported(p.start()) {
            return Ok(Some(OwedPeriod {
                start: p.start(),
                end: p.end(),
                due: covered(due_date(&p, rule, cal))?,
            }));
        }
    }
    Ok(None)
}

/// How many of a task's periods (`from..=until`) fall due before `before`: the reports its
/// lead must have filed by then. Only the last periods' due dates are computed (due dates do
/// not go back in time from one period to the next), so a dekad task of three years costs a
/// walk over its periods, not a hundred calendar lookups.
pub fn periods_due_before(
    cadence: Cadence,
    rule: DueRule,
    from: NaiveDate,
    until: NaiveDate,
    before: NaiveDate,
    cal: &Calendar,
) -> Result<u32, CalendarError> {
    if until < from {
        return Ok(0);
    }
    let Some(kind) = cadence.period_type() else {
        let due = covered(cal.workday_on_or_after(until))?;
        return Ok(u32::from(due.is_some_and(|d| d < before)));
    };
    let periods: Vec<PeriodInstance> = kind.overlapping(from, until.min(before)).collect();
    let mut n = periods.len();
    while let Some(p) = n.checked_sub(1).map(|i| &periods[i]) {
        match covered(due_date(p, rule, cal))? {
            Some(d) if d < before => break,
            _ => n -= 1,
        }
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A due date, or None when its year is not covered by the calendar yet.
fn covered(
    c: Result<Computed<NaiveDate>, CalendarError>,
) -> Result<Option<NaiveDate>, CalendarError> {
    match c {
        Ok(c) => Ok(Some(c.value)),
        Err(CalendarError::YearNotCovered { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A period a unit owes a report for (see [`next_owed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OwedPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// None: the calendar does not cover the due date's year yet.
    pub due: Option<NaiveDate>,
}

/// 预警: how a due date looks on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// More than `WARN_WORKDAYS` working days left.
    Green,
    /// Due within `WARN_WORKDAYS` working days (黄色预警).
    Yellow,
    /// Past due (红色：逾期).
    Red,
}

/// Working days before a due date at which it turns yellow (issue 8: 3 working days).
pub const WARN_WORKDAYS: i32 = 3;

impl Urgency {
    pub fn colour(self) -> &'static str {
        match self {
            Urgency::Green => "green",
            Urgency::Yellow => "yellow",
            Urgency::Red => "red",
        }
    }

    /// Green until `WARN_WORKDAYS` working days before `due`, yellow from then through the due
    /// day, red the day after.
    pub fn on(today: NaiveDate, due: NaiveDate, cal: &Calendar) -> Result<Urgency, CalendarError> {
        if today > due {
            return Ok(Urgency::Red);
        }
        let left = cal.workdays_between(today, due)?.value;
        Ok(if left <= WARN_WORKDAYS {
            Urgency::Yellow
        } else {
            Urgency::Green
        })
    }
}

/// 任务状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 未开始
    NotStarted,
    /// 推进中
    InProgress,
    /// 已完成 (the unit says so; the office has not closed it)
    Done,
    /// 逾期
    Overdue,
    /// 已销号 (closed by the supervision office)
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Overdue,
        TaskStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Overdue => "overdue",
            TaskStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "未开始",
            TaskStatus::InProgress => "推进中",
            TaskStatus::Done => "已完成",
            TaskStatus::Overdue => "逾期",
            TaskStatus::Closed => "已销号",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        let s = s.trim();
        TaskStatus::ALL
            .into_iter()
            .find(|t| t.code() == s || t.label() == s)
    }

    /// The status shown on `today`: a task not done or closed whose due date has passed is
    /// 逾期, whatever was recorded; one with a report filed is 推进中.
    pub fn on(
        recorded: TaskStatus,
        due: Option<NaiveDate>,
        reported: bool,
        today: NaiveDate,
    ) -> TaskStatus {
        match recorded {
            TaskStatus::Done | TaskStatus::Closed => recorded,
            _ if due.is_some_and(|d| today > d) => TaskStatus::Overdue,
            TaskStatus::NotStarted if reported => TaskStatus::InProgress,
            TaskStatus::Overdue => TaskStatus::InProgress,
            other => other,
        }
    }
}

/// 督办层级: the escalation ladder, in order. 催办 is the office's reminder; 约谈, 通报 and
/// 问责 are the measures the documents name for units that lag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// 催办
    Urge,
    /// 约谈
    Interview,
    /// 通报
    Notify,
    /// 问责
    Accountability,
}

impl Escalation {
    pub const ALL: [Escalation; 4] = [
        Escalation::Urge,
        Escalation::Interview,
        Escalation::Notify,
        Escalation::Accountability,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Escalation::Urge => "urge",
            Escalation::Interview => "interview",
            Escalation::Notify => "notify",
            Escalation::Accountability => "accountability",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Escalation::Urge => "催办",
            Escalation::Interview => "约谈",
            Escalation::Notify => "通报",
            Escalation::Accountability => "问责",
        }
    }

    pub fn parse(s: &str) -> Option<Escalation> {
        let s = s.trim();
        Escalation::ALL
            .into_iter()
            .find(|e| e.code() == s || e.label() == s)
    }

    /// The next step up, if any.
    pub fn next(self) -> Option<Escalation> {
        Escalation::ALL.into_iter().find(|e| *e > self)
    }

    /// Whether `step` may follow `last` (None: nothing yet): the same step again (a second
    /// 催办) or any step up; never down. The ladder may be climbed more than one rung at once:
    /// a grave delay goes straight to 通报.
    pub fn may_follow(step: Escalation, last: Option<Escalation>) -> bool {
        last.is_none_or(|l| step >= l)
    }
}

/// 问题状态 (挂账整改).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    /// 挂账: raised, awaiting rectification.
    Open,
    /// 待核验: evidence filed by the unit.
    EvidenceFiled,
    /// 已销号: verified and closed by the office.
    Closed,
    /// 重新挂账: the evidence did not satisfy; open again.
    Reopened,
}

impl ProblemStatus {
    pub fn code(self) -> &'static str {
        match self {
            ProblemStatus::Open => "open",
            ProblemStatus::EvidenceFiled => "evidence_filed",
            ProblemStatus::Closed => "closed",
            ProblemStatus::Reopened => "reopened",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProblemStatus::Open => "挂账整改中",
            ProblemStatus::EvidenceFiled => "待核验",
            ProblemStatus::Closed => "已销号",
            ProblemStatus::Reopened => "重新挂账",
        }
    }

    pub fn parse(s: &str) -> Option<ProblemStatus> {
        [
            ProblemStatus::Open,
            ProblemStatus::EvidenceFiled,
            ProblemStatus::Closed,
            ProblemStatus::Reopened,
        ]
        .into_iter()
        .find(|p| p.code() == s.trim())
    }

    /// 整改流转: what each step does to a problem, or why it cannot.
    pub fn after(self, step: ProblemStep) -> Result<ProblemStatus, &'static str> {
        use ProblemStatus::*;
        use ProblemStep::*;
        match (self, step) {
            (Open | Reopened, FileEvidence) => Ok(EvidenceFiled),
            (EvidenceFiled, Verify) => Ok(Closed),
            (EvidenceFiled, Reject) => Ok(Reopened),
            (Closed, _) => Err("问题已销号"),
            (Open | Reopened, Verify | Reject) => Err("整改材料尚未报送，无从核验"),
            (EvidenceFiled, FileEvidence) => Err("整改材料已报送，待督查室核验"),
        }
    }
}

/// A step on a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStep {
    /// 报送整改材料 (the responsible unit)
    FileEvidence,
    /// 核验销号 (the supervision office)
    Verify,
    /// 退回重新整改 (the supervision office)
    Reject,
}

/// 考核权重: set by the supervision office, in force from a date. Points, not fractions, so
/// the bulletin's arithmetic is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Weights {
    /// Points for reporting every report on time (scaled by the share on time).
    pub reports: u32,
    /// Points for rectifying every problem due in the period by its deadline (scaled).
    pub rectification: u32,
    /// Points taken off per task overdue at the period's end.
    pub per_overdue_task: u32,
}

/// What a unit did in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct UnitRecord {
    pub reports_due: u32,
    pub reports_on_time: u32,
    pub problems_due: u32,
    pub problems_closed_on_time: u32,
    pub overdue_tasks: u32,
}

/// A unit's score, in hundredths of a point (exact), with how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    pub hundredths: i64,
    /// The rule in Chinese, with the numbers filled in.
    pub working: String,
}

impl Score {
    /// `87.50`
    pub fn text(&self) -> String {
        format!("{}.{:02}", self.hundredths / 100, self.hundredths % 100)
    }
}

/// 考核得分: `reports × on-time share + rectification × closed-on-time share − per_overdue_task ×
/// overdue tasks`, floored at 0; a share with nothing due counts as full. Rounded half up to
/// hundredths of a point.
pub fn score(w: &Weights, r: &UnitRecord) -> Score {
    // share × points in hundredths, rounded half up: (num × points × 100 × 2 + den) / (2 den).
    let part = |num: u32, den: u32, points: u32| -> i64 {
        if den == 0 {
            return i64::from(points) * 100;
        }
        let (n, d, p) = (i64::from(num.min(den)), i64::from(den), i64::from(points));
        (n * p * 200 + d) / (2 * d)
    };
    let reports = part(r.reports_on_time, r.reports_due, w.reports);
    let rect = part(r.problems_closed_on_time, r.problems_due, w.rectification);
    let penalty = i64::from(w.per_overdue_task) * i64::from(r.overdue_tasks) * 100;
    let total = (reports + rect - penalty).max(0);
    let h = |x: i64| format!("{}.{:02}", x / 100, x % 100);
    Score {
        hundredths: total,
        working: format!(
            "按时报送{}/{}×{}分={}，按期整改{}/{}×{}分={}，逾期任务{}项×{}分=−{}，合计{}",
            r.reports_on_time,
            r.reports_due,
            w.reports,
            h(reports),
            r.problems_closed_on_time,
            r.problems_due,
            w.rectification,
            h(rect),
            r.overdue_tasks,
            w.per_overdue_task,
            h(penalty),
            h(total)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::national().unwrap()
    }

    #[test]
    fn dekads_are_due_on_their_last_working_day_across_february_and_month_ends() {
        let cal = cal();
        let rows = [
            // 2024年1月下旬: 21–31, the 31st a Wednesday.
            ((2024, 1, 25), (2024, 1, 21), (2024, 1, 31), (2024, 1, 31)),
            // 2024年2月上旬: 1–10; the Spring Festival holiday starts on the 10th (Saturday);
            // 除夕 2月9日 is officially a working day (rest only encouraged): due 2月9日.
            ((2024, 2, 5), (2024, 2, 1), (2024, 2, 10), (2024, 2, 9)),
            // 2024年2月中旬: 11–20, holiday through the 17th, 18th (Sunday) a working day.
            ((2024, 2, 15), (2024, 2, 11), (2024, 2, 20), (2024, 2, 20)),
            // 2024年2月下旬: 21–29 (leap year), the 29th a Thursday.
            ((2024, 2, 22), (2024, 2, 21), (2024, 2, 29), (2024, 2, 29)),
            // 2025年2月下旬: 21–28, the 28th a Friday.
            ((2025, 2, 21), (2025, 2, 21), (2025, 2, 28), (2025, 2, 28)),
            // 2024年3月下旬: 21–31, the 31st a Sunday: due Friday 29th.
            ((2024, 3, 30), (2024, 3, 21), (2024, 3, 31), (2024, 3, 29)),
            // 2024年9月下旬: 21–30; 9月29日 (Sunday) is a 调休 working day, 30th a Monday.
            ((2024, 9, 21), (2024, 9, 21), (2024, 9, 30), (2024, 9, 30)),
            // 2025年10月上旬: 1–10, holiday 1–8, the 9th and 10th working days.
            ((2025, 10, 3), (2025, 10, 1), (2025, 10, 10), (2025, 10, 10)),
        ];
        for (on, start, end, due) in rows {
            let p = PeriodType::Dekad.containing(d(on.0, on.1, on.2));
            assert_eq!(p.start(), d(start.0, start.1, start.2), "{on:?}");
            assert_eq!(p.end(), d(end.0, end.1, end.2), "{on:?}");
            assert_eq!(
                due_date(&p, DueRule::LastWorkday, &cal).unwrap().value,
                d(due.0, due.1, due.2),
                "{on:?}"
            );
        }
    }

    #[test]
    fn a_rule_of_working_days_after_the_end_counts_past_holidays() {
        let cal = cal();
        // 2024年1月: the working days after 31 January are 2月1日, 2日, 4日 (Sunday, 调休),
        // 5日 and 6日: the 5th is 6 February.
        let jan = PeriodType::Month.containing(d(2024, 1, 15));
        assert_eq!(
            due_date(&jan, DueRule::WorkdaysAfterEnd(5), &cal)
                .unwrap()
                .value,
            d(2024, 2, 6)
        );
        // 2024年第三季度: 1 October to 7 October off, 9月29日 worked; the 1st working day after
        // 30 September is 8 October.
        let q3 = PeriodType::Quarter.containing(d(2024, 8, 1));
        assert_eq!(
            due_date(&q3, DueRule::WorkdaysAfterEnd(1), &cal)
                .unwrap()
                .value,
            d(2024, 10, 8)
        );
    }

    #[test]
    fn report_periods_cover_the_task_and_a_one_off_is_due_on_its_day() {
        let cal = cal();
        let ps = report_periods(
            Cadence::Dekad,
            DueRule::LastWorkday,
            d(2024, 1, 25),
            d(2024, 2, 15),
            &cal,
        )
        .unwrap();
        let dues: Vec<NaiveDate> = ps.iter().map(|p| p.due).collect();
        assert_eq!(dues, [d(2024, 1, 31), d(2024, 2, 9), d(2024, 2, 20)]);
        // 2023年12月30日 (D3's decoration deadline) is a Saturday: due the next working day.
        let once = report_periods(
            Cadence::Once,
            DueRule::LastWorkday,
            d(2023, 12, 1),
            d(2023, 12, 30),
            &cal,
        )
        .unwrap();
        assert_eq!(once.len(), 1);
        assert_eq!(once[0].due, d(2024, 1, 2));
        assert!(
            report_periods(
                Cadence::Month,
                DueRule::LastWorkday,
                d(2024, 2, 1),
                d(2024, 1, 1),
                &cal
            )
            .unwrap()
            .is_empty()
        );
    }

    #[test]
    fn a_due_date_turns_yellow_three_working_days_ahead_and_red_the_day_after() {
        let cal = cal();
        let due = d(2024, 2, 20); // Tuesday after the Spring Festival
        for (today, u) in [
            (d(2024, 2, 8), Urgency::Green), // 4 working days: the 9th, 18th, 19th, 20th
            (d(2024, 2, 9), Urgency::Yellow), // 18, 19, 20
            (d(2024, 2, 19), Urgency::Yellow), // 20
            (d(2024, 2, 20), Urgency::Yellow), // the day itself
            (d(2024, 2, 21), Urgency::Red),
        ] {
            assert_eq!(Urgency::on(today, due, &cal).unwrap(), u, "{today}");
        }
    }

    #[test]
    fn the_escalation_ladder_goes_up_or_repeats_never_down() {
        use Escalation::*;
        assert!(Escalation::may_follow(Urge, None));
        assert!(Escalation::may_follow(Notify, None));
        assert!(Escalation::may_follow(Urge, Some(Urge)));
        assert!(Escalation::may_follow(Accountability, Some(Interview)));
        assert!(!Escalation::may_follow(Urge, Some(Interview)));
        assert_eq!(Urge.next(), Some(Interview));
        assert_eq!(Accountability.next(), None);
        assert_eq!(Escalation::parse("约谈"), Some(Interview));
    }

    #[test]
    fn a_problem_is_closed_only_after_evidence_and_may_be_reopened() {
        use ProblemStatus::*;
        use ProblemStep::*;
        let s = Open.after(FileEvidence).unwrap();
        assert_eq!(s, EvidenceFiled);
        let s = s.after(Reject).unwrap();
        assert_eq!(s, Reopened);
        assert!(s.after(Verify).is_err());
        let s = s.after(FileEvidence).unwrap().after(Verify).unwrap();
        assert_eq!(s, Closed);
        assert_eq!(s.after(FileEvidence), Err("问题已销号"));
    }

    #[test]
    fn task_status_on_a_day() {
        use TaskStatus::*;
        let due = Some(d(2024, 3, 1));
        assert_eq!(
            TaskStatus::on(NotStarted, due, false, d(2024, 3, 1)),
            NotStarted
        );
        assert_eq!(
            TaskStatus::on(NotStarted, due, true, d(2024, 3, 1)),
            InProgress
        );
        assert_eq!(
            TaskStatus::on(InProgress, due, true, d(2024, 3, 2)),
            Overdue
        );
        assert_eq!(TaskStatus::on(Done, due, true, d(2024, 3, 2)), Done);
        assert_eq!(TaskStatus::on(Closed, due, true, d(2024, 3, 2)), Closed);
    }

    #[test]
    fn scores_computed_by_hand() {
        let w = Weights {
            reports: 60,
            rectification: 40,
            per_overdue_task: 5,
        };
        // 5 of 6 reports on time: 60 × 5/6 = 50.00; 1 of 2 problems: 20.00; one overdue task.
        let s = score(
            &w,
            &UnitRecord {
                reports_due: 6,
                reports_on_time: 5,
                problems_due: 2,
                problems_closed_on_time: 1,
                overdue_tasks: 1,
            },
        );
        assert_eq!(s.text(), "65.00");
        assert_eq!(
            s.working,
            "按时报送5/6×60分=50.00，按期整改1/2×40分=20.00，逾期任务1项×5分=−5.00，合计65.00"
        );
        // 2 of 3 on time: 60 × 2/3 = 40.00 exactly; 1 of 3 problems: 13.333… → 13.33.
        let s = score(
            &w,
            &UnitRecord {
                reports_due: 3,
                reports_on_time: 2,
                problems_due: 3,
                problems_closed_on_time: 1,
                overdue_tasks: 0,
            },
        );
        assert_eq!(s.text(), "53.33");
        // Nothing due: full marks; a flood of overdue tasks floors at zero.
        assert_eq!(score(&w, &UnitRecord::default()).text(), "100.00");
        let s = score(
            &w,
            &UnitRecord {
                overdue_tasks: 30,
                ..UnitRecord::default()
            },
        );
        assert_eq!(s.hundredths, 0);
    }

    #[test]
    fn the_period_owed_is_the_oldest_unreported_whatever_the_day() {
        let cal = cal();
        let set = |xs: &[NaiveDate]| xs.to_vec();
        // (cadence, from, until, reported, after) -> owed (start, due)
        type Owed = Option<(NaiveDate, Option<NaiveDate>)>;
        type Row = (
            Cadence,
            NaiveDate,
            NaiveDate,
            Vec<NaiveDate>,
            Option<NaiveDate>,
            Owed,
        );
        let rows: Vec<Row> = vec![
            // Nothing reported: the first dekad, which starts on the calendar dekad's first day
            // even when the task starts mid-dekad.
            (
                Cadence::Dekad,
                d(2024, 1, 15),
                d(2024, 12, 31),
                set(&[]),
                None,
                Some((d(2024, 1, 11), Some(d(2024, 1, 19)))),
            ),
            // The first two reported: the third; 2月上旬 is due on 2月9日 (除夕, a working day).
            (
                Cadence::Dekad,
                d(2024, 1, 11),
                d(2024, 12, 31),
                set(&[d(2024, 1, 11), d(2024, 1, 21)]),
                None,
                Some((d(2024, 2, 1), Some(d(2024, 2, 9)))),
            ),
            // A gap: a later period reported does not hide an older one missing.
            (
                Cadence::Month,
                d(2024, 1, 1),
                d(2024, 12, 31),
                set(&[d(2024, 1, 1), d(2024, 3, 1)]),
                None,
                Some((d(2024, 2, 1), Some(d(2024, 2, 29)))),
            ),
            // From after a known period: the next one not reported, skipping those filed ahead.
            (
                Cadence::Month,
                d(2024, 1, 1),
                d(2024, 12, 31),
                set(&[d(2024, 3, 1), d(2024, 4, 1)]),
                Some(d(2024, 2, 1)),
                Some((d(2024, 5, 1), Some(d(2024, 5, 31)))),
            ),
            // Every period to the end reported: nothing owed.
            (
                Cadence::Quarter,
                d(2024, 1, 1),
                d(2024, 6, 30),
                set(&[d(2024, 1, 1), d(2024, 4, 1)]),
                None,
                None,
            ),
            // The year 2027's notice is not built in: owed, its due date unknown yet.
            (
                Cadence::Year,
                d(2026, 1, 1),
                d(2027, 12, 31),
                set(&[d(2026, 1, 1)]),
                None,
                Some((d(2027, 1, 1), None)),
            ),
            // A one-off task: owed until reported, due on its day carried to a working day
            // (2024-12-28 is a Saturday: 2024-12-30).
            (
                Cadence::Once,
                d(2024, 10, 1),
                d(2024, 12, 28),
                set(&[]),
                None,
                Some((d(2024, 10, 1), Some(d(2024, 12, 30)))),
            ),
            (
                Cadence::Once,
                d(2024, 10, 1),
                d(2024, 12, 28),
                set(&[d(2024, 10, 1)]),
                None,
                None,
            ),
            // A task that ends before it starts owes nothing.
            (
                Cadence::Month,
                d(2024, 5, 1),
                d(2024, 4, 30),
                set(&[]),
                None,
                None,
            ),
        ];
        for (cadence, from, until, reported, after, want) in rows {
            let got = next_owed(
                cadence,
                DueRule::LastWorkday,
                from,
                until,
                after,
                |s| reported.contains(&s),
                &cal,
            )
            .unwrap()
            .map(|o| (o.start, o.due));
            assert_eq!(
                got, want,
                "{cadence:?} {from}..{until} {reported:?} after {after:?}"
            );
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// For any day of the covered years and any cadence, the period's report is due on
            /// a working day: the last one inside the period, or — when the period holds none —
            /// the first after it.
            #[test]
            fn the_due_day_is_the_periods_last_working_day(offset in 0u32..(365 * 7), kind in 0usize..4) {
                let cal = Calendar::national().unwrap();
                let day = d(2019, 1, 1) + chrono::Days::new(u64::from(offset));
                let kind = [PeriodType::Dekad, PeriodType::Month, PeriodType::Quarter, PeriodType::Year][kind];
                let p = kind.containing(day);
                prop_assume!(p.end() < d(2026, 12, 25));
                let due = due_date(&p, DueRule::LastWorkday, &cal).unwrap().value;
                prop_assert!(cal.is_workday(due).unwrap().value);
                let mut later = due.succ_opt().unwrap();
                while later <= p.end() {
                    prop_assert!(!cal.is_workday(later).unwrap().value, "{later} is a later working day");
                    later = later.succ_opt().unwrap();
                }
                if due > p.end() {
                    let mut x = p.start();
                    while x <= p.end() {
                        prop_assert!(!cal.is_workday(x).unwrap().value);
                        x = x.succ_opt().unwrap();
                    }
                }
                prop_assert!(due >= p.start());
            }

            /// The period owed is the first of the task's periods not reported, and after a
            /// filing of exactly that period, continuing from it gives the same as starting over.
            #[test]
            fn the_owed_period_is_the_first_unreported(start in 0u32..(365 * 5), len in 0u32..400, kind in 0usize..4, mask in any::<u64>()) {
                let cal = Calendar::national().unwrap();
                let cadence = [Cadence::Dekad, Cadence::Month, Cadence::Quarter, Cadence::Year][kind];
                let from = d(2019, 1, 1) + chrono::Days::new(u64::from(start));
                let until = from + chrono::Days::new(u64::from(len));
                prop_assume!(until < d(2025, 12, 1));
                let periods = report_periods(cadence, DueRule::LastWorkday, from, until, &cal).unwrap();
                let reported: Vec<NaiveDate> = periods.iter().enumerate().filter(|(i, _)| mask >> (i % 64) & 1 == 1).map(|(_, p)| p.start).collect();
                let want = periods.iter().find(|p| !reported.contains(&p.start)).map(|p| (p.start, Some(p.due)));
                let owed = next_owed(cadence, DueRule::LastWorkday, from, until, None, |s| reported.contains(&s), &cal).unwrap();
                prop_assert_eq!(owed.map(|o| (o.start, o.due)), want);
                if let Some(o) = owed {
                    let mut more = reported.clone();
                    more.push(o.start);
                    let again = next_owed(cadence, DueRule::LastWorkday, from, until, None, |s| more.contains(&s), &cal).unwrap();
                    let cont = next_owed(cadence, DueRule::LastWorkday, from, until, Some(o.start), |s| more.contains(&s), &cal).unwrap();
                    prop_assert_eq!(again, cont);
                }
            }

            /// Counting the periods due before a day equals filtering every period's due date.
            #[test]
            fn periods_due_before_counts_as_the_full_list(start in 0u32..(365 * 5), len in 0u32..800, cut in 0u32..900, kind in 0usize..5) {
                let cal = Calendar::national().unwrap();
                let cadence = Cadence::ALL[kind];
                let from = d(2019, 1, 1) + chrono::Days::new(u64::from(start));
                let until = from + chrono::Days::new(u64::from(len));
                let before = from + chrono::Days::new(u64::from(cut));
                prop_assume!(until < d(2026, 11, 1) && before < d(2026, 11, 1));
                let all = report_periods(cadence, DueRule::LastWorkday, from, until.min(if cadence == Cadence::Once { until } else { before }), &cal).unwrap();
                let want = all.iter().filter(|p| p.due < before).count() as u32;
                prop_assert_eq!(periods_due_before(cadence, DueRule::LastWorkday, from, until, before, &cal).unwrap(), want);
            }

            /// A score never leaves 0..=reports+rectification points.
            #[test]
            fn a_score_stays_within_its_points(due in 0u32..50, on in 0u32..50, pd in 0u32..20, pc in 0u32..20, late in 0u32..10) {
                let w = Weights { reports: 60, rectification: 40, per_overdue_task: 5 };
                let r = UnitRecord { reports_due: due, reports_on_time: on.min(due), problems_due: pd, problems_closed_on_time: pc.min(pd), overdue_tasks: late };
                let s = score(&w, &r).hundredths;
                prop_assert!((0..=10_000).contains(&s));
            }
        }
    }
}
