//! 巡查执法 and 村庄规划: patrol logs (巡查记录) by villages, townships and departments'
//! task forces; findings filed as enforcement cases (执法案件) and taken through investigation,
//! an order to correct (责令改正) with a deadline, verification and closing; the campaign's
//! joint-enforcement sessions (联合执法) checked week by week; spot checks of temporary land
//! with their public reports; the village planning registry and the idle-homestead register.
//!
//! Decided here (the texts are silent):
//! - Who acts on a case: building cases the township where it happened (同政办规发〔2023〕6号
//!   第二十八条: 乡镇综合行政执法机构; 第二十九条: the village reports to the township); grazing
//!   the 自然资源局 (同党办综〔2023〕55号 五、（二）2. names it first and it leads 五、禁牧封育);
//!   temporary land the 自然资源局 (同政办规发〔2023〕7号 第二十四条).
//! - The period of an order to correct is a dated rule per kind in rules.toml; no text gives a
//!   number, so each is a system default citing the clause that demands correction.
//! - Villages are not units of the directory: a village is its name under its township, and
//!   village staff act within their township.
//! - Joint enforcement is recorded by a department or township that took part, with at least
//!   two units present, on a day of the campaign.
//! - The holder of an idle or old homestead is personal data: shown in full to the township and
//!   village staff who keep the register, masked for everyone else.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::field::{
    CampaignWeek, EnforcementKind, EnforcementStatus, EnforcementStep, IdleKind, Responsible,
    ReturnStanding, VillageType, campaign_weeks,
};
use tongxin_domain::mask::mask_name;
use tongxin_domain::supervision::Urgency;
use tongxin_domain::{FieldError, Permission, Role, Unit, UnitId};
use tongxin_store::{
    CaseFilter, EnforcementRow, FindingRow, IdleHomesteadRow, JointSessionRow, PatrolRow,
    SpotCheckRow, StoreError, VillagePlanRow,
};

use crate::attachments::{AttachmentView, Upload};
use crate::supervision::UnitRef;
use crate::users::Page;
use crate::{Actor, App, AppError};

/// The campaign whose joint enforcement is checked weekly (同党办综〔2023〕55号).
pub const CAMPAIGN: &str = "d2";
/// The rule of the weekly joint enforcement; its dated value spans the campaign.
pub const JOINT_RULE: &str = "campaign.grazing.joint_enforcement_per_week";
/// Findings per patrol at most.
pub const FINDINGS_MAX: usize = 20;
const TEXT_MAX: usize = 2000;
const SHORT_MAX: usize = 200;

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A required text between `min` and `max` characters, trimmed.
fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    label: &str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let v = value.trim().to_owned();
    let n = chars(&v);
    if n == 0 {
        errors.push(FieldError::new(field, format!("请填写“{label}”")));
    } else if n < min {
        errors.push(FieldError::new(
            field,
            format!("“{label}”至少{min}个字，现为{n}个字"),
        ));
    } else if n > max {
        errors.push(FieldError::new(
            field,
            format!("“{label}”不能超过{max}个字，现为{n}个字"),
        ));
    }
    v
}

/// A date `YYYY-MM-DD`, required or optional, not after `today`.
fn date(
    errors: &mut Vec<FieldError>,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.push(FieldError::new(
                field,
                format!("请填写“{label}”，如{today}"),
            ));
        }
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.push(FieldError::new(
                field,
                format!("“{label}”{d}晚于今天（{today}）"),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("“{label}”须为日期，格式如{today}，现为“{v}”"),
            ));
            None
        }
    }
}

fn stale(what: &str) -> AppError {
    AppError::Conflict(format!("{what}已被他人更新，请刷新后再试"))
}

/// The attachments' owner kind for a village plan's files.
pub(crate) const PLAN_FILES: &str = "village_plan";

/// Sites offered in the spot-check form at most (the county approves a few dozen a year).
const SPOT_CHECK_SITES_MAX: i64 = 500;

// ---------------------------------------------------------------------------------------------
// Patrols
// ---------------------------------------------------------------------------------------------

/// One finding as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FindingInput {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub description: String,
}

/// 巡查记录 as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PatrolInput {
    /// 巡查日期 `YYYY-MM-DD`.
    #[serde(default)]
    pub patrolled_on: String,
    /// The township patrolled (departments; villages and townships patrol their own).
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub village: String,
    /// 巡查路线或地点.
    #[serde(default)]
    pub route: String,
    /// 巡查人员.
    #[serde(default)]
    pub patrollers: String,
    /// 发现问题: none, or a list.
    #[serde(default)]
    pub findings: Vec<FindingInput>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    pub id: i64,
    pub place: String,
    pub description: String,
    /// The enforcement case it became.
    pub case_id: Option<i64>,
}

/// 巡查记录 as shown.
#[derive(Debug, Clone, Serialize)]
pub struct PatrolView {
    pub id: i64,
    pub unit: UnitRef,
    pub township: UnitRef,
    pub village: String,
    pub patrolled_on: NaiveDate,
    pub route: String,
    pub patrollers: String,
    pub findings: Vec<FindingView>,
    pub photos: Vec<AttachmentView>,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub page: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Enforcement cases
// ---------------------------------------------------------------------------------------------

/// 立案: a finding filed as an enforcement case of a kind.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FileCaseInput {
    #[serde(default)]
    pub kind: String,
    /// For temporary land misused: the temporary-land case (its id), optional.
    #[serde(default)]
    pub land_case_id: Option<i64>,
}

/// A step on a case: its record (调查情况, 责令改正内容, 核实情况, 结案说明 or 不实理由) and the
/// version read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseStepInput {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub text: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub code: &'static str,
    pub label: &'static str,
}

/// 执法案件 as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EnforcementView {
    pub id: i64,
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// The clause that makes `unit` responsible.
    pub kind_clause: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub township: UnitRef,
    pub village: String,
    pub place: String,
    pub description: String,
    pub unit: UnitRef,
    pub filed_unit: UnitRef,
    pub filed_by: String,
    pub filed_on: NaiveDate,
    pub finding_id: Option<i64>,
    pub land_case_id: Option<i64>,
    pub investigation: String,
    pub investigated_on: Option<NaiveDate>,
    pub order_text: String,
    pub ordered_on: Option<NaiveDate>,
    /// 整改期限 and its colour while the order runs (green / yellow within 3 working days /
    /// red overdue); grey otherwise.
    pub deadline: Option<NaiveDate>,
    pub colour: &'static str,
    /// The rule's clause and value behind the deadline, with its note (a system default).
    pub deadline_clause: String,
    pub deadline_workdays: Option<u32>,
    pub deadline_note: String,
    pub verification: String,
    pub verified_on: Option<NaiveDate>,
    pub closing: String,
    pub closed_on: Option<NaiveDate>,
    /// The steps the actor may take now.
    pub steps: Vec<StepView>,
    pub version: i64,
}

// ---------------------------------------------------------------------------------------------
// Joint enforcement
// ---------------------------------------------------------------------------------------------

/// 联合执法 as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct JointSessionInput {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    /// Units present, by name or id.
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub findings: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JointSessionView {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub units: Vec<UnitRef>,
    pub findings: String,
    pub recorded_unit: UnitRef,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    #[serde(flatten)]
    pub week: CampaignWeek,
    pub colour: &'static str,
    pub label: &'static str,
    pub held: Vec<JointSessionView>,
}

/// 百日攻坚联合执法周表.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignWeeksView {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub per_week: usize,
    pub clause: String,
    pub quote: String,
    pub weeks: Vec<WeekView>,
    pub missed: usize,
}

// ---------------------------------------------------------------------------------------------
// Spot checks
// ---------------------------------------------------------------------------------------------

/// 临时用地抽查 as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SpotCheckInput {
    #[serde(default)]
    pub land_case_id: Option<i64>,
    #[serde(default)]
    pub checked_on: String,
    /// compliant | problems
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub problems: String,
    /// 公开通报 text, written for the public (no personal data).
    #[serde(default)]
    pub public_text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublishInput {
    #[serde(default)]
    pub public_text: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpotCheckView {
    pub id: i64,
    pub land_case_id: i64,
    pub case_number: String,
    pub checked_on: NaiveDate,
    pub result: String,
    pub result_label: &'static str,
    pub colour: &'static str,
    pub problems: String,
    pub public_text: String,
    pub published_on: Option<NaiveDate>,
    pub checked_by: String,
    pub version: i64,
}

/// A published spot check as the public sees it: the case number, the date, the result and
/// the report as written for publication.
#[derive(Debug, Clone, Serialize)]
pub struct PublicSpotCheck {
    pub case_number: String,
    pub checked_on: NaiveDate,
    pub result_label: &'static str,
    pub colour: &'static str,
    pub public_text: String,
    pub published_on: Option<NaiveDate>,
}

fn result_label(code: &str) -> (&'static str, &'static str) {
    match code {
        "compliant" => ("符合用地要求", "green"),
        _ => ("发现问题", "red"),
    }
}

// ---------------------------------------------------------------------------------------------
// Village planning and idle homesteads
// ---------------------------------------------------------------------------------------------

/// 村庄规划 as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct VillagePlanInput {
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub village_type: String,
    #[serde(default)]
    pub plan_name: String,
    #[serde(default)]
    pub plan_number: String,
    #[serde(default)]
    pub approved_on: String,
    #[serde(default)]
    pub published_on: String,
    /// The version read (an existing village).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VillagePlanView {
    pub id: i64,
    pub township: UnitRef,
    pub village: String,
    pub village_type: &'static str,
    pub village_type_label: &'static str,
    pub plan_name: String,
    pub plan_number: String,
    pub approved_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub updated_by: String,
    pub version: i64,
    /// 规划文件: the approved plan's text, drawings and its publication in the village (scans,
    /// photos), as uploaded.
    pub documents: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TownshipPlans {
    pub township: UnitRef,
    /// Villages per type (label → count), in the order of 第五条.
    pub counts: Vec<(String, usize)>,
    pub with_plan: usize,
    pub villages: Vec<VillagePlanView>,
}

/// 闲置宅基地 as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct IdleInput {
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub area_m2: String,
    #[serde(default)]
    pub reuse: String,
    /// 承诺退回日期 (old homesteads).
    #[serde(default)]
    pub promised_on: String,
    #[serde(default)]
    pub note: String,
}

/// 退回原宅基地 / 盘活利用 recorded.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReturnInput {
    #[serde(default)]
    pub returned_on: String,
    #[serde(default)]
    pub reuse: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdleView {
    pub id: i64,
    pub township: UnitRef,
    pub village: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub clause: &'static str,
    pub location: String,
    /// Masked unless the actor keeps the register.
    pub holder: String,
    pub area_m2: Option<i64>,
    pub reuse: String,
    pub promised_on: Option<NaiveDate>,
    pub returned_on: Option<NaiveDate>,
    /// Old homesteads: pending / overdue / returned / returned_late.
    pub standing: Option<ReturnStanding>,
    pub standing_label: &'static str,
    pub colour: &'static str,
    pub note: String,
    pub version: i64,
}

impl App {
    fn may_view_field(&self, actor: &Actor) -> Result<(), AppError> {
        self.require(actor, Permission::ViewTasks, "查看巡查执法")
    }

    fn township_unit(&self, unit: &UnitId) -> Option<Unit> {
        self.township_of(unit)
    }

    /// The township a township or village official works in (the forms' default choice).
    pub fn own_township(&self, actor: &Actor) -> Option<UnitRef> {
        if !matches!(actor.role, Role::Township | Role::Village) {
            return None;
        }
        self.township_unit(&actor.unit).map(|u| UnitRef {
            id: u.id.0.clone(),
            name: u.short_name.clone(),
        })
    }

    /// The township-level unit typed, or the error on `field`.
    fn township_input(&self, field: &str, input: &str) -> Result<Unit, FieldError> {
        if input.trim().is_empty() {
            return Err(FieldError::new(field, "请选择乡镇"));
        }
        match self.resolve_unit_input(field, input) {
            Ok(u) if u.is_township_level() => Ok(u),
            Ok(u) => Err(FieldError::new(
                field,
                format!("“{}”不是乡镇；请选择乡镇", u.short_name),
            )),
            Err(e) => Err(e),
        }
    }

    /// Is the actor township or village staff of `township`?
    fn staff_of(&self, actor: &Actor, township: &str) -> bool {
        matches!(actor.role, Role::Township | Role::Village)
            && self
                .township_unit(&actor.unit)
                .is_some_and(|t| t.id.0 == township)
    }

    fn unit_named(&self, name: &str) -> Option<String> {
        self.directory().resolve_unit(name).map(|u| u.id.0.clone())
    }

    fn actor_is_unit(&self, actor: &Actor, name: &str) -> bool {
        self.unit_named(name).as_deref() == Some(actor.unit.as_str())
    }

    // ---- patrols ---------------------------------------------------------------------------

    /// 登记巡查: a village, township or department records a patrol with what it found.
    pub async fn record_patrol(
        &self,
        actor: &Actor,
        input: &PatrolInput,
    ) -> Result<PatrolView, AppError> {
        self.require(actor, Permission::RecordPatrols, "登记巡查记录")?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let patrolled_on = date(
            &mut errors,
            "patrolled_on",
            "巡查日期",
            &input.patrolled_on,
            true,
            today,
        );
        let township = match actor.role {
            Role::Village | Role::Township => {
                let own = self.township_unit(&actor.unit);
                match (&own, input.township.trim()) {
                    (Some(t), typed) if !typed.is_empty() => {
                        match self.township_input("township", typed) {
                            Ok(u) if u.id != t.id => {
                                errors.push(FieldError::new(
                                    "township",
                                    format!("只能登记本乡镇（{}）的巡查", t.short_name),
                                ));
                                None
                            }
                            Ok(u) => Some(u),
                            Err(e) => {
                                errors.push(e);
                                None
                            }
                        }
                    }
                    (Some(t), _) => Some(t.clone()),
                    (None, _) => {
                        errors.push(FieldError::new("township", "您所在单位不属于任何乡镇"));
                        None
                    }
                }
            }
            _ => self
                .township_input("township", &input.township)
                .map_err(|e| errors.push(e))
                .ok(),
        };
        let village = input.village.trim().to_owned();
        if chars(&village) > 50 {
            errors.push(FieldError::new("village", "“村”不能超过50个字"));
        }
        let route = text(&mut errors, "route", "巡查路线或地点", &input.route, 2, 500);
        let patrollers = text(
            &mut errors,
            "patrollers",
            "巡查人员",
            &input.patrollers,
            2,
            SHORT_MAX,
        );
        if input.findings.len() > FINDINGS_MAX {
            errors.push(FieldError::new(
                "findings",
                format!(
                    "每次巡查最多登记{FINDINGS_MAX}个问题，现为{}个",
                    input.findings.len()
                ),
            ));
        }
        let mut findings = Vec::new();
        for (i, f) in input.findings.iter().enumerate() {
            let n = i + 1;
            let place = text(
                &mut errors,
                &format!("findings[{i}].place"),
                &format!("问题{n}的地点"),
                &f.place,
                2,
                SHORT_MAX,
            );
            let description = text(
                &mut errors,
                &format!("findings[{i}].description"),
                &format!("问题{n}的情况"),
                &f.description,
                5,
                TEXT_MAX,
            );
            findings.push((place, description));
        }
        let (Some(patrolled_on), Some(township), true) =
            (patrolled_on, township, errors.is_empty())
        else {
            return Err(AppError::Validation(errors));
        };
        let now = self.clock.now();
        let row = PatrolRow {
            id: 0,
            unit_id: actor.unit.0.clone(),
            township_id: township.id.0.clone(),
            village,
            patrolled_on,
            route,
            patrollers,
            recorded_by: actor.username.clone(),
            recorded_at: tongxin_store::format_ts(now),
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_patrol(&row).await?;
        for (place, description) in &findings {
            tx.insert_finding(&FindingRow {
                id: 0,
                patrol_id: id,
                place: place.clone(),
                description: description.clone(),
                case_id: None,
            })
            .await?;
        }
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("patrol:{id}"),
            json!({ "township": row.township_id, "on": patrolled_on, "findings": findings.len() }),
        )
        .await?;
        tx.commit().await?;
        self.patrol(actor, id).await
    }

    fn patrol_in_scope(&self, actor: &Actor, p: &PatrolRow) -> bool {
        self.task_scope(actor)
            .is_none_or(|u| u.contains(&p.unit_id) || u.contains(&p.township_id))
    }

    fn patrol_view(&self, p: PatrolRow, findings: Vec<FindingRow>) -> PatrolView {
        PatrolView {
            id: p.id,
            unit: self.unit_ref(&p.unit_id),
            township: self.unit_ref(&p.township_id),
            village: p.village,
            patrolled_on: p.patrolled_on,
            route: p.route,
            patrollers: p.patrollers,
            findings: findings
                .into_iter()
                .map(|f| FindingView {
                    id: f.id,
                    place: f.place,
                    description: f.description,
                    case_id: f.case_id,
                })
                .collect(),
            photos: Vec::new(),
            recorded_by: p.recorded_by,
            recorded_at: p.recorded_at,
        }
    }

    /// 巡查记录: the patrols of the actor's units and area, newest first.
    pub async fn patrols(
        &self,
        actor: &Actor,
        q: &PageQuery,
    ) -> Result<Page<PatrolView>, AppError> {
        self.may_view_field(actor)?;
        let per_page = 50;
        let page = q.page.unwrap_or(1).max(1);
        let scope = self.task_scope(actor);
        let (rows, total) = self
            .store
            .patrols(scope.as_deref(), per_page, (page - 1) * per_page)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let mut by_patrol: BTreeMap<i64, Vec<FindingRow>> = BTreeMap::new();
        for f in self.store.findings_of(&ids).await? {
            by_patrol.entry(f.patrol_id).or_default().push(f);
        }
        Ok(Page {
            items: rows
                .into_iter()
                .map(|p| {
                    let f = by_patrol.remove(&p.id).unwrap_or_default();
                    self.patrol_view(p, f)
                })
                .collect(),
            total,
            page,
            per_page,
        })
    }

    /// One patrol with its findings and photos.
    pub async fn patrol(&self, actor: &Actor, id: i64) -> Result<PatrolView, AppError> {
        self.may_view_field(actor)?;
        let not_found = || AppError::NotFound {
            what: format!("巡查记录{id}"),
        };
        let p = self.store.patrol(id).await?.ok_or_else(not_found)?;
        if !self.patrol_in_scope(actor, &p) {
            return Err(not_found());
        }
        let findings = self.store.findings_of(&[id]).await?;
        let mut photos = self.attachments_by_owner("patrol", &[id]).await?;
        let mut v = self.patrol_view(p, findings);
        v.photos = photos.remove(&id).unwrap_or_default();
        Ok(v)
    }

    /// 上传巡查照片: the unit that patrolled adds photos.
    pub async fn attach_to_patrol(
        &self,
        actor: &Actor,
        id: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        self.require(actor, Permission::RecordPatrols, "上传巡查照片")?;
        let p = self.patrol(actor, id).await?;
        if p.unit.id != actor.unit.0 {
            return Err(AppError::Conflict(format!(
                "巡查照片由巡查单位{}上传",
                p.unit.name
            )));
        }
        self.attach(actor, "patrol", id, uploads).await
    }

    // ---- enforcement cases -----------------------------------------------------------------

    /// 立案: a finding becomes an enforcement case of a kind, for the unit that must act.
    pub async fn file_enforcement_case(
        &self,
        actor: &Actor,
        finding_id: i64,
        input: &FileCaseInput,
    ) -> Result<EnforcementView, AppError> {
        self.require(actor, Permission::RecordPatrols, "将巡查发现的问题立案")?;
        let not_found = || AppError::NotFound {
            what: format!("巡查发现的问题{finding_id}"),
        };
        let f = self
            .store
            .finding(finding_id)
            .await?
            .ok_or_else(not_found)?;
        let p = self
            .store
            .patrol(f.patrol_id)
            .await?
            .ok_or_else(not_found)?;
        if !self.patrol_in_scope(actor, &p) {
            return Err(not_found());
        }
        if let Some(c) = f.case_id {
            return Err(AppError::Conflict(format!(
                "该问题已立案（执法案件{c}），不能重复立案"
            )));
        }
        let mut errors = Vec::new();
        let kind = EnforcementKind::parse(&input.kind);
        if kind.is_none() {
            let known: Vec<&str> = EnforcementKind::ALL.iter().map(|k| k.label()).collect();
            errors.push(FieldError::new(
                "kind",
                format!("请选择案件类别：{}", known.join("、")),
            ));
        }
        let mut land_case_id = None;
        if let Some(id) = input.land_case_id {
            if kind != Some(EnforcementKind::TemporaryLandMisuse) {
                errors.push(FieldError::new(
                    "land_case_id",
                    "只有“临时用地违规使用”案件可关联临时用地",
                ));
            } else {
                match self.store.case_by_id(id).await? {
                    Some(c) if c.procedure == "temporary_land" => land_case_id = Some(id),
                    _ => errors.push(FieldError::new(
                        "land_case_id",
                        format!("临时用地案件{id}不存在"),
                    )),
                }
            }
        }
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let unit = match kind.responsible() {
            Responsible::Township => p.township_id.clone(),
            Responsible::Unit(name) => self
                .unit_named(name)
                .ok_or_else(|| AppError::Internal(format!("组织机构目录中没有{name}")))?,
        };
        let row = EnforcementRow {
            id: 0,
            kind: kind.code().into(),
            status: EnforcementStatus::Filed.code().into(),
            finding_id: Some(f.id),
            land_case_id,
            township_id: p.township_id.clone(),
            village: p.village.clone(),
            place: f.place.clone(),
            description: f.description.clone(),
            unit_id: unit.clone(),
            filed_unit: actor.unit.0.clone(),
            filed_by: actor.username.clone(),
            filed_on: self.clock.today(),
            investigation: String::new(),
            investigated_on: None,
            order_text: String::new(),
            ordered_on: None,
            deadline: None,
            deadline_rule: String::new(),
            verification: String::new(),
            verified_on: None,
            closing: String::new(),
            closed_on: None,
            updated_by: actor.username.clone(),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_enforcement_case(&row).await?;
        tx.link_finding(f.id, id).await.map_err(|e| match e {
            StoreError::StaleVersion => {
                AppError::Conflict("该问题已被他人立案，不能重复立案；请刷新后查看".into())
            }
            e => e.into(),
        })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("enforcement_case:{id}"),
            json!({ "kind": kind.code(), "finding": f.id, "unit": unit, "clause": kind.clause() }),
        )
        .await?;
        tx.commit().await?;
        self.enforcement_case(actor, id).await
    }

    fn case_in_scope(&self, actor: &Actor, c: &EnforcementRow) -> bool {
        self.task_scope(actor).is_none_or(|u| {
            u.contains(&c.unit_id) || u.contains(&c.filed_unit) || u.contains(&c.township_id)
        })
    }

    /// May the actor act for the case's responsible unit?
    fn acts_for(&self, actor: &Actor, c: &EnforcementRow) -> bool {
        let kind = EnforcementKind::parse(&c.kind);
        match kind.map(EnforcementKind::responsible) {
            Some(Responsible::Township) => {
                actor.role == Role::Township
                    && self
                        .township_unit(&actor.unit)
                        .is_some_and(|t| t.id.0 == c.unit_id)
            }
            Some(Responsible::Unit(_)) => {
                actor.role == Role::Department && actor.unit.0 == c.unit_id
            }
            None => false,
        }
    }

    fn enforcement_view(&self, actor: &Actor, c: EnforcementRow) -> EnforcementView {
        let kind = EnforcementKind::parse(&c.kind).unwrap_or(EnforcementKind::UnapprovedBuilding);
        let status = EnforcementStatus::parse(&c.status).unwrap_or(EnforcementStatus::Filed);
        let today = self.clock.today();
        let colour = match (status, c.deadline) {
            (EnforcementStatus::Ordered, Some(d)) => Urgency::on(today, d, &self.calendar())
                .map(Urgency::colour)
                .unwrap_or("grey"),
            _ => "grey",
        };
        let rule = c.ordered_on.and_then(|on| {
            self.corpus().rule(&c.deadline_rule, on).ok().map(|r| {
                (
                    r.citation.to_string(),
                    r.value.as_f64().map(|v| v as u32),
                    r.label.to_owned(),
                )
            })
        });
        let (deadline_clause, deadline_workdays, deadline_note) = rule.unwrap_or_default();
        let steps = if self.acts_for(actor, &c) {
            EnforcementStep::ALL
                .into_iter()
                .filter(|s| status.after(*s).is_some())
                .map(|s| StepView {
                    code: s.code(),
                    label: s.label(),
                })
                .collect()
        } else {
            Vec::new()
        };
        EnforcementView {
            id: c.id,
            kind: kind.code(),
            kind_label: kind.label(),
            kind_clause: kind.clause(),
            status: status.code(),
            status_label: status.label(),
            township: self.unit_ref(&c.township_id),
            village: c.village,
            place: c.place,
            description: c.description,
            unit: self.unit_ref(&c.unit_id),
            filed_unit: self.unit_ref(&c.filed_unit),
            filed_by: c.filed_by,
            filed_on: c.filed_on,
            finding_id: c.finding_id,
            land_case_id: c.land_case_id,
            investigation: c.investigation,
            investigated_on: c.investigated_on,
            order_text: c.order_text,
            ordered_on: c.ordered_on,
            deadline: c.deadline,
            colour,
            deadline_clause,
            deadline_workdays,
            deadline_note,
            verification: c.verification,
            verified_on: c.verified_on,
            closing: c.closing,
            closed_on: c.closed_on,
            steps,
            version: c.version,
        }
    }

    /// 执法案件: the cases the actor's units act on, filed, or that lie in their area.
    pub async fn enforcement_cases(
        &self,
        actor: &Actor,
        q: &PageQuery,
    ) -> Result<Page<EnforcementView>, AppError> {
        self.may_view_field(actor)?;
        let per_page = 50;
        let page = q.page.unwrap_or(1).max(1);
        let scope = self.task_scope(actor);
        let (rows, total) = self
            .store
            .enforcement_cases(scope.as_deref(), per_page, (page - 1) * per_page)
            .await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|c| self.enforcement_view(actor, c))
                .collect(),
            total,
            page,
            per_page,
        })
    }

    pub async fn enforcement_case(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<EnforcementView, AppError> {
        self.may_view_field(actor)?;
        let not_found = || AppError::NotFound {
            what: format!("执法案件{id}"),
        };
        let c = self
            .store
            .enforcement_case(id)
            .await?
            .ok_or_else(not_found)?;
        if !self.case_in_scope(actor, &c) {
            return Err(not_found());
        }
        Ok(self.enforcement_view(actor, c))
    }

    /// 办理执法案件: investigate, order to correct (the deadline from the rule in force),
    /// verify the correction, close; or close as unfounded with the reason.
    pub async fn enforcement_step(
        &self,
        actor: &Actor,
        id: i64,
        input: &CaseStepInput,
    ) -> Result<EnforcementView, AppError> {
        self.require(actor, Permission::Enforce, "办理执法案件")?;
        let not_found = || AppError::NotFound {
            what: format!("执法案件{id}"),
        };
        let mut c = self
            .store
            .enforcement_case(id)
            .await?
            .ok_or_else(not_found)?;
        if !self.case_in_scope(actor, &c) {
            return Err(not_found());
        }
        let kind = EnforcementKind::parse(&c.kind)
            .ok_or_else(|| AppError::Internal(format!("案件{id}的类别“{}”无法识别", c.kind)))?;
        if !self.acts_for(actor, &c) {
            return Err(AppError::Forbidden {
                action: format!("办理{}案件（{}）", kind.label(), kind.clause()),
                needed: self.unit_name(&c.unit_id),
            });
        }
        let status = EnforcementStatus::parse(&c.status)
            .ok_or_else(|| AppError::Internal(format!("案件{id}的状态“{}”无法识别", c.status)))?;
        let Some(step) = EnforcementStep::parse(input.step.trim()) else {
            let known: Vec<String> = EnforcementStep::ALL
                .iter()
                .map(|s| format!("{}（{}）", s.label(), s.code()))
                .collect();
            return Err(AppError::field(
                "step",
                format!(
                    "办理步骤“{}”不存在；可选：{}",
                    input.step.trim(),
                    known.join("、")
                ),
            ));
        };
        if input.version != c.version {
            return Err(AppError::Conflict(format!(
                "执法案件已被他人办理（当前：{}），请刷新后再试",
                status.label()
            )));
        }
        let Some(next) = status.after(step) else {
            return Err(AppError::Conflict(format!(
                "案件当前为“{}”，不能“{}”",
                status.label(),
                step.label()
            )));
        };
        let (label, min) = match step {
            EnforcementStep::Investigate => ("调查情况", 5),
            EnforcementStep::Order => ("责令改正的内容", 5),
            EnforcementStep::Verify => ("整改核实情况", 5),
            EnforcementStep::Close => ("结案说明", 2),
            EnforcementStep::Dismiss => ("不实结案的理由", 5),
        };
        let mut errors = Vec::new();
        let body = text(&mut errors, "text", label, &input.text, min, TEXT_MAX);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let today = self.clock.today();
        let mut summary = json!({ "step": step.code(), "to": next.code() });
        match step {
            EnforcementStep::Investigate => {
                c.investigation = body;
                c.investigated_on = Some(today);
            }
            EnforcementStep::Order => {
                let key = kind.correction_rule();
                let rule = self
                    .corpus()
                    .rule(key, today)
                    .map_err(crate::policy::rule_error)
                    .map(|r| {
                        (
                            r.value.as_f64().unwrap_or(0.0).max(0.0) as u32,
                            r.citation.to_string(),
                        )
                    })?;
                let deadline = self
                    .calendar()
                    .add_workdays(today, rule.0)
                    .map_err(|e| AppError::Internal(format!("整改期限无法计算：{e}")))?
                    .value;
                c.order_text = body;
                c.ordered_on = Some(today);
                c.deadline = Some(deadline);
                c.deadline_rule = key.to_owned();
                summary["deadline"] = json!(deadline);
                summary["workdays"] = json!(rule.0);
                summary["clause"] = json!(rule.1);
            }
            EnforcementStep::Verify => {
                c.verification = body;
                c.verified_on = Some(today);
            }
            EnforcementStep::Close | EnforcementStep::Dismiss => {
                c.closing = body;
                c.closed_on = Some(today);
            }
        }
        c.status = next.code().into();
        c.updated_by = actor.username.clone();
        let mut tx = self.store.begin().await?;
        tx.update_enforcement_case(&c).await.map_err(|e| match e {
            StoreError::StaleVersion => {
                AppError::Conflict("执法案件已被他人办理，请刷新后再试".into())
            }
            e => e.into(),
        })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("enforcement_case:{id}"),
            summary,
        )
        .await?;
        tx.commit().await?;
        self.enforcement_case(actor, id).await
    }

    // ---- joint enforcement -----------------------------------------------------------------

    /// The campaign's window and weekly minimum, from the dated rule.
    fn campaign_window(&self) -> Result<(NaiveDate, NaiveDate, usize, String, String), AppError> {
        let corpus = self.corpus();
        let p = corpus
            .parameter(JOINT_RULE)
            .ok_or_else(|| AppError::NotFound {
                what: format!("规则“{JOINT_RULE}”"),
            })?;
        let v = p
            .values
            .first()
            .ok_or_else(|| AppError::Internal(format!("规则“{JOINT_RULE}”没有取值")))?;
        let end = v
            .until
            .ok_or_else(|| AppError::Internal(format!("规则“{JOINT_RULE}”没有截止日")))?;
        let per_week = v.value.as_f64().unwrap_or(1.0).max(1.0) as usize;
        Ok((
            v.from,
            end,
            per_week,
            v.citation.to_string(),
            v.quote.clone(),
        ))
    }

    /// 登记联合执法: a unit that took part records a session of the campaign.
    pub async fn record_joint_session(
        &self,
        actor: &Actor,
        input: &JointSessionInput,
    ) -> Result<JointSessionView, AppError> {
        self.require(actor, Permission::Enforce, "登记联合执法")?;
        let (start, end, _, clause, _) = self.campaign_window()?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let held_on = date(
            &mut errors,
            "held_on",
            "执法日期",
            &input.held_on,
            true,
            today,
        );
        if let Some(d) = held_on
            && (d < start || d > end)
        {
            errors.push(FieldError::new(
                "held_on",
                format!("“执法日期”须在百日攻坚期内（{start}至{end}，{clause}）"),
            ));
        }
        let place = text(&mut errors, "place", "执法地点", &input.place, 2, SHORT_MAX);
        let mut units: Vec<String> = Vec::new();
        for name in input
            .units
            .iter()
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
        {
            match self.resolve_unit_input("units", name) {
                Ok(u) if !units.contains(&u.id.0) => units.push(u.id.0.clone()),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new(
                    "units",
                    format!("单位“{name}”不在组织机构目录中"),
                )),
            }
        }
        if units.len() < 2 {
            errors.push(FieldError::new(
                "units",
                format!(
                    "联合执法须有至少两个单位参加（如自然资源局、公安局、农业农村局、生态环境分局及所在乡镇，{clause}），现为{}个",
                    units.len()
                ),
            ));
        } else if !units.contains(&actor.unit.0) {
            errors.push(FieldError::new(
                "units",
                format!(
                    "登记单位（{}）须是参加单位之一",
                    self.unit_name(actor.unit.as_str())
                ),
            ));
        }
        let findings = text(
            &mut errors,
            "findings",
            "执法情况（发现问题及处理；未发现写“未发现问题”）",
            &input.findings,
            2,
            TEXT_MAX,
        );
        let (Some(held_on), true) = (held_on, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let row = JointSessionRow {
            id: 0,
            campaign: CAMPAIGN.into(),
            held_on,
            place,
            units,
            findings,
            recorded_unit: actor.unit.0.clone(),
            recorded_by: actor.username.clone(),
            recorded_at: tongxin_store::format_ts(self.clock.now()),
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_joint_session(&row).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("joint_session:{id}"),
            json!({ "held_on": held_on, "units": row.units, "clause": clause }),
        )
        .await?;
        tx.commit().await?;
        Ok(self.session_view(JointSessionRow { id, ..row }))
    }

    fn session_view(&self, s: JointSessionRow) -> JointSessionView {
        JointSessionView {
            id: s.id,
            held_on: s.held_on,
            place: s.place,
            units: s.units.iter().map(|u| self.unit_ref(u)).collect(),
            findings: s.findings,
            recorded_unit: self.unit_ref(&s.recorded_unit),
            recorded_by: s.recorded_by,
        }
    }

    /// 联合执法周表: each ISO week of the campaign with its sessions; a week ended without one
    /// is red.
    pub async fn campaign_weeks(&self, actor: &Actor) -> Result<CampaignWeeksView, AppError> {
        self.may_view_field(actor)?;
        let (start, end, per_week, clause, quote) = self.campaign_window()?;
        let sessions = self.store.joint_sessions(CAMPAIGN).await?;
        let dates: Vec<NaiveDate> = sessions.iter().map(|s| s.held_on).collect();
        let weeks = campaign_weeks(start, end, &dates, per_week, self.clock.today());
        let missed = weeks
            .iter()
            .filter(|w| w.standing == tongxin_domain::field::WeekStanding::Missed)
            .count();
        let weeks = weeks
            .into_iter()
            .map(|w| WeekView {
                colour: w.standing.colour(),
                label: w.standing.label(),
                held: sessions
                    .iter()
                    .filter(|s| s.held_on >= w.from && s.held_on <= w.to)
                    .cloned()
                    .map(|s| self.session_view(s))
                    .collect(),
                week: w,
            })
            .collect();
        Ok(CampaignWeeksView {
            start,
            end,
            per_week,
            clause,
            quote,
            weeks,
            missed,
        })
    }

    // ---- spot checks -----------------------------------------------------------------------

    fn require_land_keeper(&self, actor: &Actor, action: &str) -> Result<(), AppError> {
        self.require_temporary_land_unit(
            actor,
            Permission::CheckTemporaryLand,
            action,
            "同政办规发〔2023〕7号 第二十五条",
        )
    }

    fn spot_view(s: SpotCheckRow) -> SpotCheckView {
        let (result_label, colour) = result_label(&s.result);
        SpotCheckView {
            id: s.id,
            land_case_id: s.land_case_id,
            case_number: s.case_number,
            checked_on: s.checked_on,
            result: s.result,
            result_label,
            colour,
            problems: s.problems,
            public_text: s.public_text,
            published_on: s.published_on,
            checked_by: s.checked_by,
            version: s.version,
        }
    }

    /// 临时用地抽查 (第二十五条): the 自然资源局 records a spot check of a temporary-land case.
    pub async fn record_spot_check(
        &self,
        actor: &Actor,
        input: &SpotCheckInput,
    ) -> Result<SpotCheckView, AppError> {
        self.require_land_keeper(actor, "登记临时用地抽查")?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let case = match input.land_case_id {
            None => {
                errors.push(FieldError::new("land_case_id", "请选择抽查的临时用地"));
                None
            }
            Some(id) => match self.store.case_by_id(id).await? {
                Some(c) if c.procedure == "temporary_land" => Some(c),
                _ => {
                    errors.push(FieldError::new(
                        "land_case_id",
                        format!("临时用地案件{id}不存在"),
                    ));
                    None
                }
            },
        };
        let checked_on = date(
            &mut errors,
            "checked_on",
            "抽查日期",
            &input.checked_on,
            true,
            today,
        );
        let result = input.result.trim();
        if !matches!(result, "compliant" | "problems") {
            errors.push(FieldError::new(
                "result",
                "请选择抽查结果：符合用地要求（compliant）或发现问题（problems）",
            ));
        }
        let problems = input.problems.trim().to_owned();
        if result == "problems" && chars(&problems) < 5 {
            errors.push(FieldError::new(
                "problems",
                "抽查发现问题的，请写明问题（至少5个字）",
            ));
        } else if chars(&problems) > TEXT_MAX {
            errors.push(FieldError::new(
                "problems",
                format!("“发现的问题”不能超过{TEXT_MAX}个字"),
            ));
        }
        let public_text = text(
            &mut errors,
            "public_text",
            "公开通报内容（公开发布，勿写个人信息）",
            &input.public_text,
            10,
            TEXT_MAX,
        );
        let (Some(case), Some(checked_on), true) = (case, checked_on, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let row = SpotCheckRow {
            id: 0,
            land_case_id: case.id,
            case_number: case.number.clone(),
            checked_on,
            result: result.to_owned(),
            problems,
            public_text,
            published_on: None,
            unit_id: actor.unit.0.clone(),
            checked_by: actor.username.clone(),
            recorded_at: tongxin_store::format_ts(self.clock.now()),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_spot_check(&row).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("land_spot_check:{id}"),
            json!({ "case": case.number, "result": row.result, "on": checked_on }),
        )
        .await?;
        tx.commit().await?;
        Ok(Self::spot_view(SpotCheckRow { id, ..row }))
    }

    /// 可抽查的临时用地 (第二十五条): the approved sites in use, being reclaimed or reclaimed,
    /// newest first, as (case id, case number), for the 自然资源局's spot-check form.
    pub async fn spot_check_sites(&self, actor: &Actor) -> Result<Vec<(i64, String)>, AppError> {
        self.require_land_keeper(actor, "登记临时用地抽查")?;
        let states = [
            "approved",
            "in_use",
            "reclaiming",
            "department_reclaiming",
            "reclaimed",
        ];
        let (rows, _) = self
            .store
            .list_cases(&CaseFilter {
                procedure: "temporary_land".into(),
                states: Some(states.map(String::from).to_vec()),
                limit: SPOT_CHECK_SITES_MAX,
                ..CaseFilter::default()
            })
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r.number)).collect())
    }

    /// 抽查记录: every spot check (the 自然资源局 and those who see everything).
    pub async fn spot_checks(&self, actor: &Actor) -> Result<Vec<SpotCheckView>, AppError> {
        self.may_view_field(actor)?;
        Ok(self
            .store
            .spot_checks(false, 200)
            .await?
            .into_iter()
            .map(Self::spot_view)
            .collect())
    }

    /// 公开通报: publishes a spot check's report (optionally as re-worded).
    pub async fn publish_spot_check(
        &self,
        actor: &Actor,
        id: i64,
        input: &PublishInput,
    ) -> Result<SpotCheckView, AppError> {
        self.require_land_keeper(actor, "公开临时用地抽查结果")?;
        let s = self
            .store
            .spot_check(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("抽查记录{id}"),
            })?;
        if s.published_on.is_some() {
            return Err(AppError::Conflict("该抽查结果已公开".into()));
        }
        let mut errors = Vec::new();
        let body = match &input.public_text {
            Some(t) => text(
                &mut errors,
                "public_text",
                "公开通报内容（公开发布，勿写个人信息）",
                t,
                10,
                TEXT_MAX,
            ),
            None => s.public_text.clone(),
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if input.version != s.version {
            return Err(stale("抽查记录"));
        }
        let today = self.clock.today();
        let mut tx = self.store.begin().await?;
        tx.publish_spot_check(id, &body, today, input.version)
            .await
            .map_err(|e| match e {
                StoreError::StaleVersion => stale("抽查记录"),
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("land_spot_check:{id}"),
            json!({ "published": today }),
        )
        .await?;
        tx.commit().await?;
        let s = self
            .store
            .spot_check(id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("抽查记录{id}"),
            })?;
        Ok(Self::spot_view(s))
    }

    /// The published spot checks, newest first (public page; nothing personal).
    pub async fn public_spot_checks(&self) -> Result<Vec<PublicSpotCheck>, AppError> {
        Ok(self
            .store
            .spot_checks(true, 100)
            .await?
            .into_iter()
            .map(|s| {
                let (result_label, colour) = result_label(&s.result);
                PublicSpotCheck {
                    case_number: s.case_number,
                    checked_on: s.checked_on,
                    result_label,
                    colour,
                    public_text: s.public_text,
                    published_on: s.published_on,
                }
            })
            .collect())
    }

    // ---- village planning ------------------------------------------------------------------

    /// The townships whose registry the actor sees (None: all).
    fn township_scope(&self, actor: &Actor) -> Option<Vec<String>> {
        match actor.role {
            Role::Township | Role::Village => Some(
                self.township_unit(&actor.unit)
                    .map(|t| vec![t.id.0])
                    .unwrap_or_default(),
            ),
            _ => None,
        }
    }

    /// Village plans are kept by the township (乡镇政府编制) and the 自然资源局 (第五条).
    fn may_keep_plan(
        &self,
        actor: &Actor,
        township: &str,
        township_name: &str,
        action: &str,
    ) -> Result<(), AppError> {
        let nr = actor.role == Role::Department && self.actor_is_unit(actor, "自然资源局");
        let own = actor.role == Role::Township && self.staff_of(actor, township);
        if nr || own {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                action: format!("{action}（同政办规发〔2023〕6号 第五、六条）"),
                needed: format!("{township_name}或自然资源局"),
            })
        }
    }

    /// 上传规划文件: the approved plan, its drawings, or a photo of its publication in the
    /// village (第六条: 规划成果应在村内显著位置公示), by the township or the 自然资源局.
    pub async fn attach_to_village_plan(
        &self,
        actor: &Actor,
        id: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        self.require(actor, Permission::Enforce, "上传村庄规划文件")?;
        let plan = self.visible_village_plan(actor, id).await?;
        let name = self.unit_ref(&plan.township_id).name;
        self.may_keep_plan(actor, &plan.township_id, &name, "上传村庄规划文件")?;
        self.attach(actor, PLAN_FILES, id, uploads).await
    }

    /// A village's plan entry the actor may see (its township's staff, or county-wide roles).
    pub(crate) async fn visible_village_plan(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<VillagePlanRow, AppError> {
        self.may_view_field(actor)?;
        let not_found = || AppError::NotFound {
            what: format!("村庄规划登记{id}"),
        };
        let plan = self
            .store
            .village_plan_by_id(id)
            .await?
            .ok_or_else(not_found)?;
        if self
            .township_scope(actor)
            .is_some_and(|s| !s.contains(&plan.township_id))
        {
            return Err(not_found());
        }
        Ok(plan)
    }

    /// 村庄规划: the villages by township with their types counted.
    pub async fn village_plans(&self, actor: &Actor) -> Result<Vec<TownshipPlans>, AppError> {
        self.may_view_field(actor)?;
        let scope = self.township_scope(actor);
        let rows = self.store.village_plans(scope.as_deref()).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut documents = self.attachments_by_owner(PLAN_FILES, &ids).await?;
        let mut by: BTreeMap<String, Vec<VillagePlanView>> = BTreeMap::new();
        for r in rows {
            let t = VillageType::parse(&r.village_type).unwrap_or(VillageType::Unclassified);
            by.entry(r.township_id.clone())
                .or_default()
                .push(VillagePlanView {
                    id: r.id,
                    township: self.unit_ref(&r.township_id),
                    village: r.village,
                    village_type: t.code(),
                    village_type_label: t.label(),
                    plan_name: r.plan_name,
                    plan_number: r.plan_number,
                    approved_on: r.approved_on,
                    published_on: r.published_on,
                    updated_by: r.updated_by,
                    version: r.version,
                    documents: documents.remove(&r.id).unwrap_or_default(),
                });
        }
        Ok(by
            .into_iter()
            .map(|(t, villages)| TownshipPlans {
                township: self.unit_ref(&t),
                counts: VillageType::ALL
                    .iter()
                    .map(|ty| {
                        (
                            ty.label().to_owned(),
                            villages
                                .iter()
                                .filter(|v| v.village_type == ty.code())
                                .count(),
                        )
                    })
                    .collect(),
                with_plan: villages.iter().filter(|v| v.approved_on.is_some()).count(),
                villages,
            })
            .collect())
    }

    /// 登记村庄类型和规划: the township (its own villages) or the 自然资源局 (第五条: it
    /// classifies the villages) enters or updates a village.
    pub async fn save_village_plan(
        &self,
        actor: &Actor,
        input: &VillagePlanInput,
    ) -> Result<VillagePlanView, AppError> {
        self.require(actor, Permission::Enforce, "登记村庄类型和规划")?;
        let mut errors = Vec::new();
        let today = self.clock.today();
        let township = self
            .township_input("township", &input.township)
            .map_err(|e| errors.push(e))
            .ok();
        if let Some(t) = &township {
            self.may_keep_plan(actor, &t.id.0, &t.short_name, "登记村庄类型和规划")?;
        }
        let village = text(&mut errors, "village", "村名", &input.village, 2, 30);
        let vt = VillageType::parse(&input.village_type);
        if vt.is_none() {
            let known: Vec<&str> = VillageType::ALL.iter().map(|t| t.label()).collect();
            errors.push(FieldError::new(
                "village_type",
                format!(
                    "请选择村庄类型：{}（同政办规发〔2023〕6号 第五条）",
                    known.join("、")
                ),
            ));
        }
        let plan_name = input.plan_name.trim().to_owned();
        let plan_number = input.plan_number.trim().to_owned();
        if chars(&plan_name) > SHORT_MAX || chars(&plan_number) > 100 {
            errors.push(FieldError::new("plan_name", "规划名称或文号过长"));
        }
        let approved_on = date(
            &mut errors,
            "approved_on",
            "规划批准日期",
            &input.approved_on,
            false,
            today,
        );
        let published_on = date(
            &mut errors,
            "published_on",
            "村内公示日期",
            &input.published_on,
            false,
            today,
        );
        if approved_on.is_some() && plan_name.is_empty() {
            errors.push(FieldError::new(
                "plan_name",
                "已填写批准日期的，请填写“规划名称”",
            ));
        }
        if published_on.is_some() && approved_on.is_none() {
            errors.push(FieldError::new(
                "approved_on",
                "规划批准后才在村内公示：请先填写“规划批准日期”",
            ));
        }
        if let (Some(a), Some(p)) = (approved_on, published_on)
            && p < a
        {
            errors.push(FieldError::new(
                "published_on",
                format!("“村内公示日期”{p}早于批准日期{a}"),
            ));
        }
        let (Some(township), Some(vt), true) = (township, vt, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let existing = self.store.village_plan(&township.id.0, &village).await?;
        let now = tongxin_store::format_ts(self.clock.now());
        let row = match &existing {
            Some(e) => {
                if input.version != Some(e.version) {
                    return Err(stale(&format!(
                        "{}{}的规划登记",
                        township.short_name, village
                    )));
                }
                VillagePlanRow {
                    village_type: vt.code().into(),
                    plan_name,
                    plan_number,
                    approved_on,
                    published_on,
                    updated_by: actor.username.clone(),
                    updated_at: now,
                    ..e.clone()
                }
            }
            None => VillagePlanRow {
                id: 0,
                township_id: township.id.0.clone(),
                village: village.clone(),
                village_type: vt.code().into(),
                plan_name,
                plan_number,
                approved_on,
                published_on,
                updated_by: actor.username.clone(),
                updated_at: now,
                version: 0,
            },
        };
        let mut tx = self.store.begin().await?;
        tx.save_village_plan(&row).await.map_err(|e| match e {
            StoreError::StaleVersion | StoreError::Conflict { .. } => {
                stale(&format!("{}{}的规划登记", township.short_name, village))
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
            &format!("village_plan:{}/{}", township.id.0, village),
            json!({ "type": vt.code(), "approved_on": approved_on, "published_on": published_on }),
        )
        .await?;
        tx.commit().await?;
        let saved = self
            .store
            .village_plan(&township.id.0, &village)
            .await?
            .ok_or_else(|| AppError::Internal("村庄规划登记未能保存".into()))?;
        Ok(VillagePlanView {
            id: saved.id,
            township: self.unit_ref(&saved.township_id),
            village: saved.village,
            village_type: vt.code(),
            village_type_label: vt.label(),
            plan_name: saved.plan_name,
            plan_number: saved.plan_number,
            approved_on: saved.approved_on,
            published_on: saved.published_on,
            updated_by: saved.updated_by,
            version: saved.version,
            documents: self
                .attachments_by_owner(PLAN_FILES, &[saved.id])
                .await?
                .remove(&saved.id)
                .unwrap_or_default(),
        })
    }

    // ---- idle homesteads -------------------------------------------------------------------

    fn may_keep_idle(&self, actor: &Actor, township: &str) -> bool {
        self.staff_of(actor, township)
            || (actor.role == Role::Department
                && (self.actor_is_unit(actor, "自然资源局")
                    || self.actor_is_unit(actor, "农业农村局")))
    }

    fn idle_view(&self, actor: &Actor, h: IdleHomesteadRow) -> IdleView {
        let kind = IdleKind::parse(&h.kind).unwrap_or(IdleKind::Homestead);
        let standing = h
            .promised_on
            .map(|p| ReturnStanding::of(p, h.returned_on, self.clock.today()));
        let holder = if self.staff_of(actor, &h.township_id) || h.holder.is_empty() {
            h.holder.clone()
        } else {
            mask_name(&h.holder)
        };
        IdleView {
            id: h.id,
            township: self.unit_ref(&h.township_id),
            village: h.village,
            kind: kind.code(),
            kind_label: kind.label(),
            clause: kind.clause(),
            location: h.location,
            holder,
            area_m2: h.area_m2,
            reuse: h.reuse,
            promised_on: h.promised_on,
            returned_on: h.returned_on,
            standing,
            standing_label: standing.map(ReturnStanding::label).unwrap_or(""),
            colour: standing.map(ReturnStanding::colour).unwrap_or("grey"),
            note: h.note,
            version: h.version,
        }
    }

    /// 闲置宅基地台账: entries of the actor's township (or all), overdue returns first.
    pub async fn idle_homesteads(&self, actor: &Actor) -> Result<Vec<IdleView>, AppError> {
        self.may_view_field(actor)?;
        let scope = self.township_scope(actor);
        let mut out: Vec<IdleView> = self
            .store
            .idle_homesteads(scope.as_deref())
            .await?
            .into_iter()
            .map(|h| self.idle_view(actor, h))
            .collect();
        out.sort_by_key(|v| v.standing != Some(ReturnStanding::Overdue));
        Ok(out)
    }

    /// 登记闲置宅基地: an idle homestead or house with its reuse (第二十五条), or an old
    /// homestead promised back by a date (第二十六条).
    pub async fn record_idle_homestead(
        &self,
        actor: &Actor,
        input: &IdleInput,
    ) -> Result<IdleView, AppError> {
        self.require(actor, Permission::RecordPatrols, "登记闲置宅基地")?;
        let today = self.clock.today();
        let mut errors = Vec::new();
        let township = self
            .township_input("township", &input.township)
            .map_err(|e| errors.push(e))
            .ok();
        if let Some(t) = &township
            && !self.may_keep_idle(actor, &t.id.0)
        {
            return Err(AppError::Forbidden {
                action: "登记闲置宅基地".into(),
                needed: format!("{}的乡镇或村干部，或自然资源局、农业农村局", t.short_name),
            });
        }
        let village = text(&mut errors, "village", "村名", &input.village, 2, 30);
        let kind = IdleKind::parse(&input.kind);
        if kind.is_none() {
            let known: Vec<&str> = IdleKind::ALL.iter().map(|k| k.label()).collect();
            errors.push(FieldError::new(
                "kind",
                format!("请选择类别：{}", known.join("、")),
            ));
        }
        let location = text(
            &mut errors,
            "location",
            "位置",
            &input.location,
            2,
            SHORT_MAX,
        );
        let holder = input.holder.trim().to_owned();
        if chars(&holder) > 50 {
            errors.push(FieldError::new("holder", "“户主”不能超过50个字"));
        }
        let area_m2 = match input.area_m2.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if (1..=100_000).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "area_m2",
                        format!("“面积（平方米）”须为1至100000的整数，现为“{s}”"),
                    ));
                    None
                }
            },
        };
        let reuse = input.reuse.trim().to_owned();
        if chars(&reuse) > SHORT_MAX {
            errors.push(FieldError::new("reuse", "“盘活利用方式”过长"));
        }
        let promised_on = match (kind, input.promised_on.trim()) {
            (Some(IdleKind::OldHomestead), "") => {
                errors.push(FieldError::new(
                    "promised_on",
                    "另址建房的，请填写承诺无偿退回原宅基地的日期（同政办规发〔2023〕6号 第二十六条）",
                ));
                None
            }
            (_, "") => None,
            (_, s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        "promised_on",
                        format!("“承诺退回日期”须为日期，格式如{today}，现为“{s}”"),
                    ));
                    None
                }
            },
        };
        if kind == Some(IdleKind::OldHomestead) && holder.is_empty() {
            errors.push(FieldError::new(
                "holder",
                "另址建房应退原宅基地的，请填写承诺退回的户主",
            ));
        }
        if promised_on.is_some() && kind != Some(IdleKind::OldHomestead) {
            errors.push(FieldError::new(
                "promised_on",
                "只有“另址建房应退原宅基地”填写承诺退回日期",
            ));
        }
        let note = input.note.trim().to_owned();
        if chars(&note) > TEXT_MAX {
            errors.push(FieldError::new(
                "note",
                format!("“备注”不能超过{TEXT_MAX}个字"),
            ));
        }
        let (Some(township), Some(kind), true) = (township, kind, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let row = IdleHomesteadRow {
            id: 0,
            township_id: township.id.0.clone(),
            village,
            kind: kind.code().into(),
            location,
            holder,
            area_m2,
            reuse,
            promised_on,
            returned_on: None,
            note,
            recorded_by: actor.username.clone(),
            recorded_at: tongxin_store::format_ts(self.clock.now()),
            version: 0,
        };
        let mut tx = self.store.begin().await?;
        let id = tx.insert_idle_homestead(&row).await?;
        // The holder's name stays out of the audit trail.
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Create,
            &format!("idle_homestead:{id}"),
            json!({ "kind": kind.code(), "township": row.township_id, "promised_on": promised_on, "clause": kind.clause() }),
        )
        .await?;
        tx.commit().await?;
        Ok(self.idle_view(actor, IdleHomesteadRow { id, ..row }))
    }

    /// 退回 / 盘活: records that an old homestead was returned (and its reuse), or an idle
    /// one's reuse.
    pub async fn record_idle_return(
        &self,
        actor: &Actor,
        id: i64,
        input: &ReturnInput,
    ) -> Result<IdleView, AppError> {
        self.require(actor, Permission::RecordPatrols, "登记退回或盘活利用")?;
        let not_found = || AppError::NotFound {
            what: format!("闲置宅基地登记{id}"),
        };
        let mut h = self.store.idle_homestead(id).await?.ok_or_else(not_found)?;
        if self
            .township_scope(actor)
            .is_some_and(|s| !s.contains(&h.township_id))
        {
            return Err(not_found());
        }
        if !self.may_keep_idle(actor, &h.township_id) {
            return Err(AppError::Forbidden {
                action: "登记退回或盘活利用".into(),
                needed: "所在乡镇或村干部，或自然资源局、农业农村局".into(),
            });
        }
        let today = self.clock.today();
        let mut errors = Vec::new();
        let old = h.kind == IdleKind::OldHomestead.code();
        let returned_on = date(
            &mut errors,
            "returned_on",
            "退回日期",
            &input.returned_on,
            old,
            today,
        );
        let reuse = input.reuse.trim().to_owned();
        if chars(&reuse) > SHORT_MAX {
            errors.push(FieldError::new("reuse", "“盘活利用方式”过长"));
        }
        if !old && returned_on.is_some() {
            errors.push(FieldError::new(
                "returned_on",
                "只有另址建房应退的原宅基地登记退回日期",
            ));
        }
        if !old && reuse.is_empty() {
            errors.push(FieldError::new(
                "reuse",
                "请填写盘活利用方式，如游园、果园、菜园、村史馆（第二十五条）",
            ));
        }
        if old && h.returned_on.is_some() {
            return Err(AppError::Conflict("该原宅基地已登记退回".into()));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        if input.version != h.version {
            return Err(stale("闲置宅基地登记"));
        }
        if returned_on.is_some() {
            h.returned_on = returned_on;
        }
        if !reuse.is_empty() {
            h.reuse = reuse;
        }
        let mut tx = self.store.begin().await?;
        tx.update_idle_homestead(&h).await.map_err(|e| match e {
            StoreError::StaleVersion => stale("闲置宅基地登记"),
            e => e.into(),
        })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("idle_homestead:{id}"),
            json!({ "returned_on": h.returned_on, "reuse": h.reuse }),
        )
        .await?;
        tx.commit().await?;
        let h = self.store.idle_homestead(id).await?.ok_or_else(not_found)?;
        Ok(self.idle_view(actor, h))
    }
}

impl App {
    /// 演示数据 for field work (demo databases only, once): villages of 豫海镇 with their types,
    /// three joint-enforcement sessions of the 2023 campaign (so most weeks show red), a
    /// patrol whose finding is a case under an order to correct, an idle house reused and an
    /// old homestead overdue. Every text says 演示.
    pub(crate) async fn seed_demo_field(&self) -> Result<(), AppError> {
        if self.mode != crate::Mode::Demo || !self.store.joint_sessions(CAMPAIGN).await?.is_empty()
        {
            return Ok(());
        }
        let d = self.directory();
        let id = |name: &str| d.resolve_unit(name).map(|u| u.id.0.clone());
        let (Some(twp), Some(nr), Some(police), Some(agri)) = (
            id("豫海镇"),
            id("自然资源局"),
            id("公安局"),
            id("农业农村局"),
        ) else {
            return Ok(());
        };
        let today = self.clock.today();
        let at = tongxin_store::format_ts(self.clock.now());
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let mut tx = self.store.begin().await?;
        for (village, ty, plan) in [
            ("演示一村", VillageType::Cluster, true),
            ("演示二村", VillageType::Suburban, false),
            ("演示三村", VillageType::Unclassified, false),
        ] {
            tx.save_village_plan(&VillagePlanRow {
                id: 0,
                township_id: twp.clone(),
                village: village.into(),
                village_type: ty.code().into(),
                plan_name: if plan {
                    format!("{village}村庄规划（演示）")
                } else {
                    String::new()
                },
                plan_number: String::new(),
                approved_on: if plan { day(2024, 5, 20) } else { None },
                published_on: if plan { day(2024, 6, 1) } else { None },
                updated_by: "system".into(),
                updated_at: at.clone(),
                version: 0,
            })
            .await?;
        }
        for (on, units) in [
            (day(2023, 10, 25), vec![nr.clone(), police.clone()]),
            (
                day(2023, 11, 8),
                vec![nr.clone(), agri.clone(), twp.clone()],
            ),
            (
                day(2023, 12, 6),
                vec![nr.clone(), police.clone(), twp.clone()],
            ),
        ] {
            let Some(held_on) = on else { continue };
            tx.insert_joint_session(&JointSessionRow {
                id: 0,
                campaign: CAMPAIGN.into(),
                held_on,
                place: "演示：禁牧封育区".into(),
                units,
                findings: "演示数据：拆除私搭羊圈1处".into(),
                recorded_unit: nr.clone(),
                recorded_by: "system".into(),
                recorded_at: at.clone(),
            })
            .await?;
        }
        let patrol = tx
            .insert_patrol(&PatrolRow {
                id: 0,
                unit_id: twp.clone(),
                township_id: twp.clone(),
                village: "演示一村".into(),
                patrolled_on: today,
                route: "演示：一组至三组沿村道".into(),
                patrollers: "演示巡查员".into(),
                recorded_by: "system".into(),
                recorded_at: at.clone(),
            })
            .await?;
        let finding = tx
            .insert_finding(&FindingRow {
                id: 0,
                patrol_id: patrol,
                place: "演示一村二组村道东侧".into(),
                description: "演示数据：一户未取得批准书即开挖地基".into(),
                case_id: None,
            })
            .await?;
        let kind = EnforcementKind::UnapprovedBuilding;
        let case = tx
            .insert_enforcement_case(&EnforcementRow {
                id: 0,
                kind: kind.code().into(),
                status: EnforcementStatus::Filed.code().into(),
                finding_id: Some(finding),
                land_case_id: None,
                township_id: twp.clone(),
                village: "演示一村".into(),
                place: "演示一村二组村道东侧".into(),
                description: "演示数据：一户未取得批准书即开挖地基".into(),
                unit_id: twp.clone(),
                filed_unit: twp.clone(),
                filed_by: "system".into(),
                filed_on: today,
                investigation: String::new(),
                investigated_on: None,
                order_text: String::new(),
                ordered_on: None,
                deadline: None,
                deadline_rule: String::new(),
                verification: String::new(),
                verified_on: None,
                closing: String::new(),
                closed_on: None,
                updated_by: "system".into(),
                version: 0,
            })
            .await?;
        tx.link_finding(finding, case).await?;
        for (kind, location, holder, reuse, promised) in [
            (IdleKind::House, "演示二村四组", "", "村史馆", None),
            (
                IdleKind::OldHomestead,
                "演示一村三组",
                "演示户主",
                "",
                today.pred_opt(),
            ),
        ] {
            tx.insert_idle_homestead(&IdleHomesteadRow {
                id: 0,
                township_id: twp.clone(),
                village: location.chars().take(4).collect(),
                kind: kind.code().into(),
                location: location.into(),
                holder: holder.into(),
                area_m2: Some(240),
                reuse: reuse.into(),
                promised_on: promised,
                returned_on: None,
                note: "演示数据".into(),
                recorded_by: "system".into(),
                recorded_at: at.clone(),
                version: 0,
            })
            .await?;
        }
        self.audit(
            &mut tx,
            &crate::AuditActor::SYSTEM,
            AuditAction::System,
            "demo:field",
            json!({ "villages": 3, "joint_sessions": 3, "patrols": 1, "cases": 1, "idle": 2 }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
