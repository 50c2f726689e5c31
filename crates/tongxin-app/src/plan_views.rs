//! The plans seen whole: the industrial chains grouped by their chiefs (链长), the 100-day
//! campaign with its seven actions and, once the 100 days are over, its evaluation summary
//! (同党办综〔2023〕55号 八、（一）), the festival's activities on a calendar with an iCalendar feed
//! per unit, and a unit's page — everything it owes, soonest first.
//!
//! Decisions written down (the documents are silent):
//! - A group (a chain, a campaign action, an event) is the tasks the plans link to it; its
//!   chief or leader, lead unit and members are those of its first task without a parent (the
//!   chain's work plan, the action's task force), and its name the part of that task's title
//!   before "：" (光伏产业链).
//! - On the festival calendar, a task with a place is an activity held from its start to its
//!   due date; one without is a deadline, shown on its due date.
//! - The campaign's 100 days are its document's term (2023-10-19, not counted, to 2024-01-27:
//!   documents/d2-eco-campaign.toml).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tongxin_domain::Permission;
use tongxin_domain::supervision::TaskStatus;
use tongxin_store::{OwedRow, ProblemFilter, TaskFilter, TaskRow};

use crate::owed::period_label;
use crate::supervision::{ProblemView, TaskSummary, UnitRef};
use crate::users::{PER_PAGE_MAX, Page};
use crate::{Actor, App, AppError};

/// Tasks read for a group page at most (a plan has a few hundred).
const GROUP_TASKS_MAX: i64 = 5000;

/// A chain, a campaign action or an event, with its tasks.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub kind: String,
    pub key: String,
    /// 光伏产业链
    pub name: String,
    /// The first task's note (重点推进产业链 / 培育产业链).
    pub note: String,
    /// 链长 / 组长.
    pub leader: String,
    pub lead: UnitRef,
    pub responsible: Vec<UnitRef>,
    /// 同党办发〔2023〕49号 三、（一）
    pub source: String,
    pub tasks: Vec<TaskSummary>,
    pub overdue: usize,
    pub finished: usize,
    pub open_problems: i64,
}

/// A campaign action or a chain on the public portal: targets and status only.
#[derive(Debug, Clone, Serialize)]
pub struct PublicGroup {
    /// 百日攻坚行动 | 产业链
    pub kind: &'static str,
    pub key: String,
    pub name: String,
    /// 链长 / 组长 (county leaders, named in the published plans).
    pub leader: String,
    pub lead: String,
    pub tasks: Vec<PublicTask>,
    pub total: usize,
    pub finished: usize,
    pub overdue: usize,
}

/// A task as the public sees it.
#[derive(Debug, Clone, Serialize)]
pub struct PublicTask {
    pub title: String,
    pub lead: String,
    pub status_label: &'static str,
    pub colour: &'static str,
    pub next_due: Option<NaiveDate>,
}

/// A group with its problems and latest reports.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDetail {
    #[serde(flatten)]
    pub group: GroupView,
    pub problems: Vec<ProblemView>,
    pub reports: Vec<RecentReport>,
}

/// A report as listed on a group's page.
#[derive(Debug, Clone, Serialize)]
pub struct RecentReport {
    pub task_id: i64,
    pub task_title: String,
    pub unit: UnitRef,
    /// 2024年2月上旬
    pub period: String,
    pub filed_on: NaiveDate,
    pub late: bool,
    /// filed | accepted | returned
    pub review: String,
    pub body: String,
}

/// One action's figures at the end of the campaign (成效评估).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionEvaluation {
    pub key: String,
    pub name: String,
    pub leader: String,
    /// The action's tasks (its task force's and each measure).
    pub tasks: usize,
    /// Completed or closed.
    pub finished: usize,
    /// The lead unit's report filed by the due date.
    pub on_time: usize,
    pub late: usize,
    /// No report, due date past.
    pub missing: usize,
    pub problems: i64,
    pub problems_open: i64,
}

/// 百日攻坚: the seven actions, the cross-cutting tasks, and the evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Day n of the 100 on today (None before it starts or after it ends).
    pub day: Option<i64>,
    pub ended: bool,
    pub actions: Vec<GroupView>,
    /// 八、 tasks across the actions (ref `campaign`).
    pub common: Option<GroupView>,
    pub evaluation: Vec<ActionEvaluation>,
}

/// A festival activity or deadline.
#[derive(Debug, Clone, Serialize)]
pub struct EventItem {
    pub task_id: i64,
    pub title: String,
    pub source: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub place: String,
    pub note: String,
    pub lead: UnitRef,
    pub responsible: Vec<UnitRef>,
    /// An activity (it has a place) or a deadline.
    pub activity: bool,
    pub status_label: &'static str,
    pub colour: &'static str,
}

/// What a unit owes on one task.
#[derive(Debug, Clone, Serialize)]
pub struct OwedItem {
    pub task_id: i64,
    pub title: String,
    pub source: String,
    pub lead: bool,
    /// 2024年2月上旬, or the one-off task's span.
    pub period: String,
    pub due: Option<NaiveDate>,
    pub colour: &'static str,
}

/// 单位应报: a unit's page.
#[derive(Debug, Clone, Serialize)]
pub struct UnitOwed {
    pub unit: UnitRef,
    pub owed: Page<OwedItem>,
    pub overdue: i64,
    pub problems: Vec<ProblemView>,
}

fn group_name(title: &str) -> String {
    title
        .split_once('：')
        .map_or(title, |(head, _)| head)
        .to_owned()
}

impl App {
    /// Every task linked to something of `kind` in the actor's scope (by id), with whether
    /// each has a report.
    async fn linked_tasks(
        &self,
        actor: &Actor,
        kind: &str,
        key: Option<&str>,
        leader: Option<&str>,
    ) -> Result<Vec<(TaskRow, TaskSummary)>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看督办任务")?;
        self.linked_tasks_in(self.task_scope(actor), kind, key, leader)
            .await
    }

    /// The same within `units` (None: the whole county), without asking who reads.
    async fn linked_tasks_in(
        &self,
        units: Option<Vec<String>>,
        kind: &str,
        key: Option<&str>,
        leader: Option<&str>,
    ) -> Result<Vec<(TaskRow, TaskSummary)>, AppError> {
        let (rows, _) = self
            .store
            .list_tasks(&TaskFilter {
                units,
                link_kind: Some(kind.to_owned()),
                link: key.map(|k| (kind.to_owned(), k.to_owned())),
                leader: leader.map(str::to_owned),
                limit: GROUP_TASKS_MAX,
                ..TaskFilter::default()
            })
            .await?;
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        let reported = self.store.tasks_reported(&ids).await?;
        let today = self.clock.today();
        Ok(rows
            .into_iter()
            .map(|t| {
                let s = self.summary(&t, reported.contains(&t.id), today);
                (t, s)
            })
            .collect())
    }

    /// Groups the tasks by link, in the order their first task was created.
    fn group(
        &self,
        kind: &str,
        tasks: Vec<(TaskRow, TaskSummary)>,
        problems: &HashMap<String, i64>,
    ) -> Vec<GroupView> {
        let mut order: Vec<String> = Vec::new();
        let mut by_key: HashMap<String, Vec<(TaskRow, TaskSummary)>> = HashMap::new();
        for (t, s) in tasks {
            if !by_key.contains_key(&t.link_ref) {
                order.push(t.link_ref.clone());
            }
            by_key.entry(t.link_ref.clone()).or_default().push((t, s));
        }
        order
            .into_iter()
            .filter_map(|key| {
                let tasks = by_key.remove(&key)?;
                let head = tasks
                    .iter()
                    .find(|(t, _)| t.parent_id.is_none())
                    .unwrap_or(&tasks[0]);
                let (head_row, head_summary) = (head.0.clone(), head.1.clone());
                let overdue = tasks
                    .iter()
                    .filter(|(_, s)| s.status == TaskStatus::Overdue)
                    .count();
                let finished = tasks
                    .iter()
                    .filter(|(_, s)| matches!(s.status, TaskStatus::Done | TaskStatus::Closed))
                    .count();
                Some(GroupView {
                    kind: kind.to_owned(),
                    name: group_name(&head_row.title),
                    note: head_row.note.clone(),
                    leader: head_row.leader.clone(),
                    lead: head_summary.lead.clone(),
                    responsible: head_summary.responsible.clone(),
                    source: head_summary.source.clone(),
                    open_problems: problems.get(&key).copied().unwrap_or(0),
                    key,
                    tasks: tasks.into_iter().map(|(_, s)| s).collect(),
                    overdue,
                    finished,
                })
            })
            .collect()
    }

    /// The groups of `kind` (产业链: `chain`), optionally only those `leader` leads (链长).
    pub async fn groups(
        &self,
        actor: &Actor,
        kind: &str,
        leader: Option<&str>,
    ) -> Result<Vec<GroupView>, AppError> {
        let leader = leader.map(str::trim).filter(|l| !l.is_empty());
        let tasks = self.linked_tasks(actor, kind, None, None).await?;
        let scope = self.task_scope(actor);
        let problems: HashMap<String, i64> = self
            .store
            .problems_by_link(kind, scope.as_deref())
            .await?
            .into_iter()
            .map(|(key, _, open)| (key, open))
            .collect();
        let groups = self.group(kind, tasks, &problems);
        Ok(match leader {
            Some(l) => groups.into_iter().filter(|g| g.leader == l).collect(),
            None => groups,
        })
    }

    /// 公开进度: the campaign's actions and the chains as the public sees them — each with its
    /// leader, lead unit and its tasks' titles, status and next due date; no reports, problems
    /// or comments (those stay with the officials).
    pub async fn public_progress(&self) -> Result<Vec<PublicGroup>, AppError> {
        let mut out = Vec::new();
        for kind in ["campaign_action", "chain"] {
            let tasks = self.linked_tasks_in(None, kind, None, None).await?;
            for g in self.group(kind, tasks, &HashMap::new()) {
                out.push(PublicGroup {
                    kind: if kind == "chain" {
                        "产业链"
                    } else {
                        "百日攻坚行动"
                    },
                    key: g.key,
                    name: g.name,
                    leader: g.leader,
                    lead: g.lead.name,
                    tasks: g
                        .tasks
                        .iter()
                        .map(|t| PublicTask {
                            title: t.title.clone(),
                            lead: t.lead.name.clone(),
                            status_label: t.status_label,
                            colour: t.colour,
                            next_due: t.next_due.or(t.due_on),
                        })
                        .collect(),
                    total: g.tasks.len(),
                    finished: g.finished,
                    overdue: g.overdue,
                });
            }
        }
        Ok(out)
    }

    /// One group: its tasks, its problems (open first) and the latest reports.
    pub async fn group_detail(
        &self,
        actor: &Actor,
        kind: &str,
        key: &str,
    ) -> Result<GroupDetail, AppError> {
        let tasks = self.linked_tasks(actor, kind, Some(key), None).await?;
        if tasks.is_empty() {
            return Err(AppError::NotFound {
                what: key.to_owned(),
            });
        }
        let ids: Vec<i64> = tasks.iter().map(|(t, _)| t.id).collect();
        let titles: HashMap<i64, (String, String)> = tasks
            .iter()
            .map(|(t, _)| (t.id, (t.title.clone(), t.cadence.clone())))
            .collect();
        let (rows, _) = self
            .store
            .list_problems(&ProblemFilter {
                units: self.task_scope(actor),
                link: Some((kind.to_owned(), key.to_owned())),
                limit: PER_PAGE_MAX,
                ..ProblemFilter::default()
            })
            .await?;
        let mut problems: Vec<ProblemView> = rows
            .into_iter()
            .map(|p| {
                let title = p
                    .task_id
                    .and_then(|id| titles.get(&id))
                    .map(|(t, _)| t.clone())
                    .unwrap_or_default();
                self.problem_view(actor, p, title, Vec::new())
            })
            .collect();
        problems.sort_by_key(|p| (p.closed_on.is_some(), p.deadline));
        let reports = self
            .store
            .recent_reports(&ids, 20)
            .await?
            .into_iter()
            .map(|r| {
                let (title, cadence) = titles.get(&r.task_id).cloned().unwrap_or_default();
                RecentReport {
                    task_id: r.task_id,
                    task_title: title,
                    unit: self.unit_ref(&r.unit_id),
                    period: period_label(&cadence, r.period_start, r.period_end),
                    filed_on: r.filed_on,
                    late: r.filed_on > r.due_on,
                    review: r.review,
                    body: r.body,
                }
            })
            .collect();
        let open = problems.iter().filter(|p| p.closed_on.is_none()).count() as i64;
        let problem_counts = HashMap::from([(key.to_owned(), open)]);
        let group = self
            .group(kind, tasks, &problem_counts)
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound {
                what: key.to_owned(),
            })?;
        Ok(GroupDetail {
            group,
            problems,
            reports,
        })
    }

    /// 百日攻坚: the actions, the common tasks, and each action's evaluation.
    pub async fn campaign(&self, actor: &Actor) -> Result<CampaignView, AppError> {
        let kind = "campaign_action";
        let tasks = self.linked_tasks(actor, kind, None, None).await?;
        let ids: Vec<i64> = tasks.iter().map(|(t, _)| t.id).collect();
        let reports = self.store.reports_of(&ids).await?;
        let today = self.clock.today();
        // Each task's lead report, if any: (filed on, due on).
        let lead_report: HashMap<i64, (NaiveDate, NaiveDate)> = tasks
            .iter()
            .filter_map(|(t, _)| {
                reports
                    .iter()
                    .find(|r| r.task_id == t.id && r.unit_id == t.lead_unit)
                    .map(|r| (t.id, (r.filed_on, r.due_on)))
            })
            .collect();
        let heads: Vec<&TaskRow> = tasks
            .iter()
            .map(|(t, _)| t)
            .filter(|t| t.parent_id.is_none() && t.link_ref != "campaign")
            .collect();
        // The 100 days are the document's term (its effective and last days); without the
        // document, the span of the actions' tasks.
        let document = heads.first().and_then(|t| {
            self.corpus()
                .documents()
                .iter()
                .find(|d| d.number.to_string() == t.source_doc)
                .cloned()
        });
        let (from, to) = match document {
            Some(d) if d.valid_until.is_some() => (Some(d.effective_from), d.valid_until),
            _ => (
                heads.iter().map(|t| t.starts_on).min(),
                heads.iter().filter_map(|t| t.due_on).max(),
            ),
        };
        let scope = self.task_scope(actor);
        let problem_counts = self.store.problems_by_link(kind, scope.as_deref()).await?;
        let mut evaluation: BTreeMap<String, ActionEvaluation> = BTreeMap::new();
        for (t, s) in &tasks {
            let e = evaluation.entry(t.link_ref.clone()).or_default();
            e.key = t.link_ref.clone();
            e.tasks += 1;
            if matches!(s.status, TaskStatus::Done | TaskStatus::Closed) {
                e.finished += 1;
            }
            match lead_report.get(&t.id) {
                Some((filed, due)) if filed <= due => e.on_time += 1,
                Some(_) => e.late += 1,
                None if s.next_due.is_some_and(|d| d < today) => e.missing += 1,
                None => {}
            }
        }
        for (key, all, open) in problem_counts {
            if let Some(e) = evaluation.get_mut(&key) {
                e.problems = all;
                e.problems_open = open;
            }
        }
        let problems: HashMap<String, i64> = evaluation
            .values()
            .map(|e| (e.key.clone(), e.problems_open))
            .collect();
        let mut groups = self.group(kind, tasks, &problems);
        let common = groups
            .iter()
            .position(|g| g.key == "campaign")
            .map(|i| groups.remove(i));
        let evaluation = groups
            .iter()
            .filter_map(|g| {
                let mut e = evaluation.remove(&g.key)?;
                e.name = g.name.clone();
                e.leader = g.leader.clone();
                Some(e)
            })
            .collect();
        let day = match (from, to) {
            (Some(f), Some(t)) if today > f && today <= t => Some((today - f).num_days()),
            _ => None,
        };
        Ok(CampaignView {
            from,
            to,
            day,
            ended: to.is_some_and(|t| today > t),
            actions: groups,
            common,
            evaluation,
        })
    }

    /// 活动日历: the festival's activities and deadlines (tasks linked to an event), in the
    /// actor's scope, or those binding `unit`.
    pub async fn festival(
        &self,
        actor: &Actor,
        unit: Option<&str>,
    ) -> Result<Vec<EventItem>, AppError> {
        let tasks = self.linked_tasks(actor, "event", None, None).await?;
        Ok(self.events(tasks, unit))
    }

    /// The festival's events binding a unit, for its iCalendar feed. The plans are public
    /// documents, so the feed needs no login: it holds only what the document says (titles,
    /// dates, places, units), never a report or a status.
    pub async fn festival_feed(&self, unit: &str) -> Result<(UnitRef, Vec<EventItem>), AppError> {
        let u = self
            .resolve_unit_input("unit", unit)
            .map_err(|e| AppError::Validation(vec![e]))?;
        let (rows, _) = self
            .store
            .list_tasks(&TaskFilter {
                unit: Some(u.id.0.clone()),
                link_kind: Some("event".into()),
                limit: GROUP_TASKS_MAX,
                ..TaskFilter::default()
            })
            .await?;
        let today = self.clock.today();
        let tasks = rows
            .into_iter()
            // Only what the published plan says: not a task the office added by hand.
            .filter(|t| {
                t.seed_key
                    .as_deref()
                    .is_some_and(|k| !k.starts_with("manual:"))
            })
            .map(|t| {
                let s = self.summary(&t, false, today);
                (t, s)
            })
            .collect();
        Ok((self.unit_ref(&u.id.0), self.events(tasks, None)))
    }

    fn events(&self, tasks: Vec<(TaskRow, TaskSummary)>, unit: Option<&str>) -> Vec<EventItem> {
        let mut items: Vec<EventItem> = tasks
            .into_iter()
            .filter(|(t, _)| unit.is_none_or(|u| Self::binds(t, u)))
            .map(|(t, s)| {
                let ends = t.due_on.unwrap_or(t.starts_on);
                let activity = !t.place.trim().is_empty();
                EventItem {
                    task_id: t.id,
                    title: t.title.clone(),
                    source: s.source.clone(),
                    starts: if activity {
                        t.starts_on.min(ends)
                    } else {
                        ends
                    },
                    ends,
                    place: t.place.clone(),
                    note: t.note.clone(),
                    lead: s.lead.clone(),
                    responsible: s.responsible.clone(),
                    activity,
                    status_label: s.status_label,
                    colour: s.colour,
                }
            })
            .collect();
        items.sort_by_key(|e| (e.starts, !e.activity, e.task_id));
        items
    }

    /// 单位应报: what a unit owes (its oldest unreported period on each task, soonest due
    /// first), how many are overdue, and its problems not closed.
    pub async fn unit_owed(
        &self,
        actor: &Actor,
        unit: &str,
        page: i64,
        per_page: i64,
    ) -> Result<UnitOwed, AppError> {
        self.require(actor, Permission::ViewTasks, "查看单位应报事项")?;
        let u = self
            .resolve_unit_input("unit", unit)
            .map_err(|e| AppError::Validation(vec![e]))?;
        let id = u.id.0.clone();
        if self
            .task_scope(actor)
            .is_some_and(|units| !units.contains(&id))
        {
            return Err(AppError::NotFound {
                what: format!("单位“{}”的应报事项", u.short_name),
            });
        }
        let per_page = per_page.clamp(1, PER_PAGE_MAX);
        let page = page.max(1);
        let today = self.clock.today();
        let units = vec![id.clone()];
        let (rows, total) = self
            .store
            .owed_by(&units, None, per_page, (page - 1) * per_page)
            .await?;
        let yesterday = today.pred_opt().unwrap_or(today);
        let (_, overdue) = self.store.owed_by(&units, Some(yesterday), 1, 0).await?;
        let cal = self.calendar();
        let items = rows
            .iter()
            .map(|(o, t): &(OwedRow, TaskRow)| OwedItem {
                task_id: t.id,
                title: t.title.clone(),
                source: format!("{} {}", t.source_doc, t.source_clause)
                    .trim()
                    .to_owned(),
                lead: o.is_lead,
                period: crate::owed::owed_label(t, o).unwrap_or_default(),
                due: o.next_due,
                colour: o.next_due.map_or("grey", |d| {
                    tongxin_domain::supervision::Urgency::on(today, d, &cal)
                        .map(tongxin_domain::supervision::Urgency::colour)
                        .unwrap_or("grey")
                }),
            })
            .collect();
        let (problems, _) = self
            .store
            .list_problems(&ProblemFilter {
                unit: Some(id.clone()),
                statuses: Some(vec![
                    "open".into(),
                    "evidence_filed".into(),
                    "reopened".into(),
                ]),
                limit: PER_PAGE_MAX,
                ..ProblemFilter::default()
            })
            .await?;
        Ok(UnitOwed {
            unit: self.unit_ref(&id),
            owed: Page {
                items,
                total,
                page,
                per_page,
            },
            overdue,
            problems: problems
                .into_iter()
                .map(|p| self.problem_view(actor, p, String::new(), Vec::new()))
                .collect(),
        })
    }
}

/// 日历订阅: the events as an iCalendar (RFC 5545) text, all-day, one VEVENT each; `prodid`
/// names the feed.
pub fn icalendar(name: &str, events: &[EventItem], stamp: &str) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Tongxin//督查督办//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    line("X-WR-TIMEZONE:Asia/Shanghai".into());
    for e in events {
        let day = |d: NaiveDate| format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
        let end = e.ends.succ_opt().unwrap_or(e.ends);
        let summary = if e.activity {
            e.title.clone()
        } else {
            format!("截止：{}", e.title)
        };
        let mut who = format!("牵头单位：{}", e.lead.name);
        if !e.responsible.is_empty() {
            let names: Vec<&str> = e.responsible.iter().map(|u| u.name.as_str()).collect();
            who.push_str(&format!("；责任单位：{}", names.join("、")));
        }
        let mut description = format!("{who}；依据：{}", e.source);
        if !e.note.is_empty() {
            description.push_str(&format!("；{}", e.note));
        }
        line("BEGIN:VEVENT".into());
        line(format!("UID:sv-task-{}@tongxin", e.task_id));
        line(format!("DTSTAMP:{stamp}"));
        line(format!("DTSTART;VALUE=DATE:{}", day(e.starts)));
        line(format!("DTEND;VALUE=DATE:{}", day(end)));
        line(format!("SUMMARY:{}", escape(&summary)));
        if !e.place.is_empty() {
            line(format!("LOCATION:{}", escape(&e.place)));
        }
        line(format!("DESCRIPTION:{}", escape(&description)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space, never inside a
/// character.
fn fold(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(title: &str, place: &str) -> EventItem {
        let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
        EventItem {
            task_id: 7,
            title: title.into(),
            source: "同党办综〔2023〕64号 二、（一）8.".into(),
            starts: d(2, 23),
            ends: d(2, 24),
            place: place.into(),
            note: String::new(),
            lead: UnitRef {
                id: "x".into(),
                name: "文化旅游体育广电局".into(),
            },
            responsible: vec![],
            activity: !place.is_empty(),
            status_label: "未开始",
            colour: "green",
        }
    }

    #[test]
    fn the_feed_is_folded_escaped_and_all_day() {
        let long = "花灯灯谜晚会".repeat(10);
        let text = icalendar(
            "文旅局",
            &[event(&long, "同心县文化广场, 南门"), event("氛围营造", "")],
            "20260101T000000Z",
        );
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        // The end of an all-day event is the day after its last day.
        assert!(text.contains("DTSTART;VALUE=DATE:20240223\r\nDTEND;VALUE=DATE:20240225\r\n"));
        assert!(text.contains("LOCATION:同心县文化广场\\, 南门"));
        assert!(text.contains("SUMMARY:截止：氛围营造"));
        // Unfolded, the long title comes back whole.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    }

    #[test]
    fn a_groups_name_is_its_first_tasks_title_before_the_colon() {
        assert_eq!(
            group_name("光伏产业链：一个工作方案、一张施工图"),
            "光伏产业链"
        );
        assert_eq!(
            group_name("大气污染防治集中攻坚行动：工作专班统筹推进"),
            "大气污染防治集中攻坚行动"
        );
        assert_eq!(group_name("全力整治工业污染"), "全力整治工业污染");
    }
}
