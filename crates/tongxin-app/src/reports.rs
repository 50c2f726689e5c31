//! 群众举报 (同党办综〔2023〕55号 八、（三）; 同政办规发〔2023〕6号 第二十八条): a citizen reports a
//! violation on the public portal without an account and gets a receipt number; the report is
//! routed by topic to the unit that handles it and becomes a problem of the supervision ledger
//! with the handling period as its deadline; the unit files what it found and did, the
//! supervision office verifies it (销号), and the unit publishes the outcome and the reward
//! decision, which the citizen reads by the receipt number.
//!
//! Decided here:
//! - Nothing the reporter typed is public: the portal shows the topic, the township, the
//!   dates, the stage and the outcome as the unit wrote it for publication.
//! - The contact, if given, is shown in full only to the handling unit (it needs it to ask
//!   questions and pay a reward); the supervision office sees it masked.
//! - Abuse: a signed captcha per form ([`crate::captcha`]); at most [`PER_HOUR`] reports an hour
//!   and [`PER_DAY`] a day from one network address (kept only as a salted hash); photos only,
//!   JPEG or PNG by their content, at most [`PHOTOS_MAX`] of [`PHOTO_MAX`] bytes each.
//! - The outcome is published only once the office has verified the handling.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::Digest;
use tongxin_domain::FieldError;
use tongxin_domain::Permission;
use tongxin_domain::audit::AuditAction;
use tongxin_domain::mask::{mask_name, mask_phone};
use tongxin_domain::reports::{ReportStage, ReportTopic, Reward, parse_point, parse_receipt};
use tongxin_domain::supervision::{ProblemStatus, Urgency};
use tongxin_store::{
    AttachmentRow, CitizenReportFilter, CitizenReportRow, ProblemEventRow, ProblemRow, StoreError,
};

use tongxin_store::notify::OutboxDraft;

use crate::attachments::{AttachmentView, Upload};
use crate::supervision::{ProblemView, UnitRef};
use crate::users::Page;
use crate::{Actor, App, AppError, AuditActor, captcha};

/// Reports from one address in an hour, at most.
pub const PER_HOUR: i64 = 5;
/// Reports from one address in a day, at most.
pub const PER_DAY: i64 = 20;
/// Photos per report, at most.
pub const PHOTOS_MAX: usize = 3;
/// Largest photo accepted.
pub const PHOTO_MAX: usize = 5 * 1024 * 1024;
/// The rule that sets the handling period.
pub const HANDLING_RULE: &str = "reports.handling.workdays";

const DESCRIPTION_MAX: usize = 2000;
const PLACE_MAX: usize = 200;
const CONTACT_MAX: usize = 50;
const OUTCOME_MAX: usize = 2000;

/// The username the audit trail records for the public.
const PUBLIC_ACTOR: &str = "公众";

/// A report as typed on the public form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ReportInput {
    #[serde(default)]
    pub topic: String,
    /// The township (乡镇) where it happened: id or name.
    #[serde(default)]
    pub township: String,
    /// 地点: address or description of the place.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub lon: String,
    #[serde(default)]
    pub lat: String,
    /// 发现时间 `YYYY-MM-DD`, optional.
    #[serde(default)]
    pub happened_on: String,
    #[serde(default)]
    pub description: String,
    /// 联系方式, optional.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub captcha_token: String,
    #[serde(default)]
    pub captcha_answer: String,
}

/// What the reporter is told once the report is stored.
#[derive(Debug, Clone, Serialize)]
pub struct ReportReceipt {
    pub receipt: String,
    pub topic: String,
    pub unit: UnitRef,
    /// 办理时限.
    pub deadline: NaiveDate,
    /// The clause of the handling period, if its document is public (else empty).
    pub period_clause: String,
    pub workdays: u32,
}

/// A topic as the form offers it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub key: String,
    pub label: String,
    pub hint: String,
    pub clause: String,
    /// 生态环境分局, or 所在乡镇.
    pub handler: String,
    pub hotline: String,
}

/// A report as anyone holding its receipt number sees it: nothing the reporter typed.
#[derive(Debug, Clone, Serialize)]
pub struct PublicReportView {
    pub receipt: String,
    pub topic: String,
    pub clause: String,
    pub township: String,
    pub unit: String,
    pub submitted_on: String,
    pub deadline: Option<NaiveDate>,
    pub stage: ReportStage,
    pub stage_label: &'static str,
    pub colour: &'static str,
    pub outcome: String,
    pub published_on: Option<NaiveDate>,
    /// `给予奖励500元` / `不予奖励：…`; empty until published.
    pub reward: String,
}

/// A report as an official sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub id: i64,
    pub receipt: String,
    pub topic: String,
    pub topic_label: String,
    pub clause: String,
    pub township: UnitRef,
    pub unit: UnitRef,
    pub place: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub happened_on: Option<NaiveDate>,
    pub description: String,
    /// In full for the handling unit, masked for others; empty when none was left.
    pub contact: String,
    pub submitted_at: String,
    pub stage: ReportStage,
    pub stage_label: &'static str,
    /// 办理时限 (the problem's deadline) and its colour: green / yellow / red while open,
    /// grey once verified.
    pub deadline: Option<NaiveDate>,
    pub colour: &'static str,
    pub problem_id: i64,
    /// The problem with its history (on the report's own page; None in lists).
    pub problem: Option<ProblemView>,
    pub outcome: String,
    pub published_on: Option<NaiveDate>,
    pub published_by: String,
    pub reward: String,
    pub photos: Vec<AttachmentView>,
    /// The handling unit (or the office) may publish: verified and not yet published.
    pub may_publish: bool,
    pub version: i64,
}

/// The outcome as the unit writes it for publication.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutcomeInput {
    #[serde(default)]
    pub outcome: String,
    /// granted | not_granted
    #[serde(default)]
    pub reward: String,
    #[serde(default)]
    pub reward_amount: String,
    #[serde(default)]
    pub reward_reason: String,
    pub version: i64,
}

/// Which reports an official lists.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub page: Option<i64>,
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// What a public form's common checks found: the captcha to spend (when it could be read) and
/// the sender's address hash.
pub(crate) struct PublicGuard {
    pub(crate) used: Option<(String, DateTime<Utc>)>,
    pub(crate) source: String,
}

/// The sender's address under the server's key: what the rate limit counts by.
fn source_hash(key: &[u8], ip: &str) -> String {
    let mut h = sha2::Sha256::new();
    h.update(b"report-source|");
    h.update(key);
    h.update(b"|");
    h.update(ip.as_bytes());
    tongxin_domain::audit::hex(&h.finalize())
}

/// A photo by its content: JPEG or PNG.
fn photo_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// The photos accepted, or every refusal by name.
fn check_photos(photos: &[Upload], errors: &mut Vec<FieldError>) -> Vec<(String, &'static str)> {
    let photos: Vec<&Upload> = photos.iter().filter(|p| !p.bytes.is_empty()).collect();
    if photos.len() > PHOTOS_MAX {
        errors.push(FieldError::new(
            "photos",
            format!("照片最多{PHOTOS_MAX}张，现为{}张", photos.len()),
        ));
        return Vec::new();
    }
    let mut ok = Vec::new();
    for p in photos {
        let name = crate::attachments::file_name(&p.name);
        let name = if name.is_empty() {
            "照片".to_owned()
        } else {
            name
        };
        if p.bytes.len() > PHOTO_MAX {
            errors.push(FieldError::new(
                "photos",
                format!(
                    "“{name}”为{}，超过每张{}的上限",
                    crate::attachments::size_label(p.bytes.len() as i64),
                    crate::attachments::size_label(PHOTO_MAX as i64)
                ),
            ));
        } else if let Some(kind) = photo_kind(&p.bytes) {
            ok.push((name.chars().take(120).collect(), kind));
        } else {
            errors.push(FieldError::new(
                "photos",
                format!("“{name}”不是JPG或PNG照片；只能上传照片"),
            ));
        }
    }
    ok
}

impl App {
    /// A citation as the public may see it: the text if its document is public
    /// (（此件公开发布）), else empty (internal documents are not named on public pages).
    fn public_citation(&self, c: &tongxin_domain::Citation) -> String {
        let corpus = self.corpus();
        match corpus.document(&c.doc) {
            Some(d) if d.public => c.to_string(),
            _ => String::new(),
        }
    }

    fn topic(&self, key: &str) -> Option<&ReportTopic> {
        self.pack.report_topics.iter().find(|t| t.key == key)
    }

    /// The topics the form offers, with who handles each.
    pub fn report_topics(&self) -> Vec<TopicView> {
        self.pack
            .report_topics
            .iter()
            .map(|t| TopicView {
                key: t.key.clone(),
                label: t.label.clone(),
                hint: t.hint.clone(),
                clause: self.public_citation(&t.clause),
                handler: match &t.route {
                    tongxin_domain::reports::Route::Unit(u) => self.unit_name(u.as_str()),
                    tongxin_domain::reports::Route::Township => "所在乡镇".into(),
                },
                hotline: t.hotline.clone(),
            })
            .collect()
    }

    /// The townships (and 管委会 with villages) a report may name.
    pub fn report_townships(&self) -> Vec<UnitRef> {
        self.directory()
            .units()
            .iter()
            .filter(|u| u.is_township_level())
            .map(|u| UnitRef {
                id: u.id.0.clone(),
                name: u.short_name.clone(),
            })
            .collect()
    }

    /// The key the captcha and the address hash are made with, created on first use and kept
    /// in memory after the first read.
    async fn public_key(&self) -> Result<Vec<u8>, AppError> {
        const KEY: &str = "public_form_key";
        if let Some(k) = self.public_key.get() {
            return Ok(k.clone());
        }
        if self.store.meta(KEY).await?.is_none() {
            // Two processes creating it at once: the first one's stays.
            let mut tx = self.store.begin().await?;
            tx.set_meta_if_absent(KEY, &crate::auth::random_token())
                .await?;
            tx.commit().await?;
        }
        let k = self
            .store
            .meta(KEY)
            .await?
            .ok_or_else(|| AppError::Internal("公众表单密钥未能保存".into()))?
            .into_bytes();
        Ok(self.public_key.get_or_init(|| k).clone())
    }

    /// A new captcha for a public form. Writes nothing.
    pub async fn new_captcha(&self) -> Result<captcha::Challenge, AppError> {
        let key = self.public_key().await?;
        let mut r = [0u8; 48];
        crate::auth::fill_random(&mut r);
        let (q, answer) = captcha::question([r[0], r[1], r[2]]);
        let nonce = tongxin_domain::audit::hex(&r[3..19]);
        let expires = self.clock.now() + Duration::minutes(captcha::LIFETIME_MINUTES);
        Ok(captcha::Challenge {
            token: captcha::sign(&key, &nonce, expires, &answer),
            svg: captcha::render_svg(&q, &r[19..]),
        })
    }

    /// The checks every public form makes besides its own fields: the captcha (an error on
    /// `captcha_answer`) and the rate limit per network address (an error on `form`).
    pub(crate) async fn guard_public_form(
        &self,
        token: &str,
        answer: &str,
        ip: &str,
        errors: &mut Vec<FieldError>,
    ) -> Result<PublicGuard, AppError> {
        let now = self.clock.now();
        let key = self.public_key().await?;
        let used = match captcha::check(&key, token, answer, now) {
            Ok(u) => Some(u),
            Err((why, used)) => {
                errors.push(FieldError::new(
                    "captcha_answer",
                    match why {
                        captcha::Refusal::Expired => "验证码已过期，请按新图片重新输入",
                        captcha::Refusal::Malformed | captcha::Refusal::Wrong => {
                            "验证码不正确，请按新图片重新输入"
                        }
                    },
                ));
                used
            }
        };
        let source = source_hash(&key, ip);
        let (last_hour, last_day) = self
            .store
            .public_submissions_from(&source, now - Duration::hours(1), now - Duration::days(1))
            .await?;
        if last_hour >= PER_HOUR || last_day >= PER_DAY {
            errors.push(FieldError::new(
                "form",
                format!(
                    "同一网络每小时最多提交{PER_HOUR}件、每天最多{PER_DAY}件举报或异议，请稍后再提交，或拨打举报电话"
                ),
            ));
        }
        Ok(PublicGuard { used, source })
    }

    /// A refused public form spends its captcha all the same: a challenge answers once, right
    /// or wrong.
    pub(crate) async fn spend_refused(&self, guard: &PublicGuard) -> Result<(), AppError> {
        if let Some((nonce, expires)) = &guard.used {
            let mut tx = self.store.begin().await?;
            tx.use_captcha(nonce, *expires, self.clock.now()).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// 提交举报: checks everything typed and the captcha, then stores the report with its
    /// problem and photos in one transaction; the receipt is the reporter's to follow it by.
    pub async fn submit_report(
        &self,
        input: &ReportInput,
        ip: &str,
        photos: &[Upload],
    ) -> Result<ReportReceipt, AppError> {
        let today = self.clock.today();
        let now = self.clock.now();
        let mut errors = Vec::new();
        let topic = match self.topic(input.topic.trim()) {
            Some(t) => Some(t.clone()),
            None => {
                errors.push(FieldError::new("topic", "请选择举报事项"));
                None
            }
        };
        let township = match self.resolve_unit_input("township", &input.township) {
            Ok(u) if u.is_township_level() => Some(u),
            Ok(u) => {
                errors.push(FieldError::new(
                    "township",
                    format!("“{}”不是乡镇；请选择发生地所在的乡镇", u.short_name),
                ));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("township", "请选择发生地所在的乡镇"));
                None
            }
        };
        let place = input.place.trim().to_owned();
        if place.is_empty() {
            errors.push(FieldError::new(
                "place",
                "请填写“地点”：村、组、路名或附近的标志",
            ));
        } else if char_len(&place) > PLACE_MAX {
            errors.push(FieldError::new(
                "place",
                format!("“地点”不能超过{PLACE_MAX}个字"),
            ));
        }
        let point = parse_point(&input.lon, &input.lat).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let happened_on = match input.happened_on.trim() {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    errors.push(FieldError::new(
                        "happened_on",
                        format!("“发现时间”{d}晚于今天"),
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        "happened_on",
                        "“发现时间”须为日期，如2026-12-01；不清楚可不填",
                    ));
                    None
                }
            },
        };
        let description = input.description.trim().to_owned();
        let n = char_len(&description);
        if n < 10 {
            errors.push(FieldError::new(
                "description",
                format!("请在“举报内容”中写明发现了什么（至少10个字，现为{n}个字）"),
            ));
        } else if n > DESCRIPTION_MAX {
            errors.push(FieldError::new(
                "description",
                format!("“举报内容”不能超过{DESCRIPTION_MAX}个字，现为{n}个字"),
            ));
        }
        let contact = input.contact.trim().to_owned();
        if char_len(&contact) > CONTACT_MAX {
            errors.push(FieldError::new(
                "contact",
                format!("“联系方式”不能超过{CONTACT_MAX}个字"),
            ));
        }
        let accepted = check_photos(photos, &mut errors);
        let guard = self
            .guard_public_form(&input.captcha_token, &input.captcha_answer, ip, &mut errors)
            .await?;
        let (Some(topic), Some(township), true) = (topic, township, errors.is_empty()) else {
            self.spend_refused(&guard).await?;
            return Err(AppError::Validation(errors));
        };
        let Some((nonce, expires)) = guard.used else {
            return Err(AppError::field("captcha_answer", "请输入验证码"));
        };
        let source = guard.source;
        let unit = topic.handler(&township.id);
        let rule = self
            .pack
            .corpus
            .rule(HANDLING_RULE, today)
            .map_err(crate::policy::rule_error)?;
        let workdays = rule.value.as_f64().unwrap_or(0.0).max(0.0) as u32;
        let deadline = self
            .calendar()
            .add_workdays(today, workdays)
            .map_err(|e| AppError::Internal(format!("办理时限无法计算：{e}")))?
            .value;
        let period_clause = self.public_citation(rule.citation);
        let handling_clause = rule.citation.to_string();
        let at = tongxin_store::format_ts(now);
        let public = AuditActor {
            username: PUBLIC_ACTOR,
            role: "public",
            unit: "",
            client_ip: "",
        };
        for _ in 0..5 {
            let mut rnd = [0u8; tongxin_domain::reports::RECEIPT_RANDOM_LEN];
            crate::auth::fill_random(&mut rnd);
            let receipt = tongxin_domain::reports::receipt(today, rnd);
            let mut tx = self.store.begin().await?;
            if !tx.use_captcha(&nonce, expires, now).await? {
                return Err(AppError::field(
                    "captcha_answer",
                    "验证码已用过，请按新图片重新输入",
                ));
            }
            let problem = ProblemRow {
                id: 0,
                task_id: None,
                link_kind: "report".into(),
                link_ref: receipt.clone(),
                unit_id: unit.0.clone(),
                title: format!("群众举报：{}（{}）", topic.label, township.short_name),
                detail: description.clone(),
                evidence_required: "核查情况、处理措施及现场照片等佐证；举报不实的，写明核查经过"
                    .into(),
                deadline,
                status: ProblemStatus::Open.code().into(),
                evidence: String::new(),
                evidence_filed_on: None,
                reopened: 0,
                closed_on: None,
                raised_by: PUBLIC_ACTOR.into(),
                raised_at: at.clone(),
                version: 0,
            };
            let problem_id = tx.insert_problem(&problem).await?;
            tx.insert_problem_event(&ProblemEventRow {
                problem_id,
                step: "raised".into(),
                comment: format!("群众举报 {receipt}"),
                by_user: PUBLIC_ACTOR.into(),
                at: at.clone(),
            })
            .await?;
            let row = CitizenReportRow {
                id: 0,
                receipt: receipt.clone(),
                topic: topic.key.clone(),
                township_id: township.id.0.clone(),
                unit_id: unit.0.clone(),
                place: place.clone(),
                lon: point.map(|p| p.lon),
                lat: point.map(|p| p.lat),
                happened_on,
                description: description.clone(),
                contact: contact.clone(),
                problem_id,
                outcome: String::new(),
                published_on: None,
                published_by: String::new(),
                reward: String::new(),
                reward_yuan: None,
                reward_reason: String::new(),
                source: source.clone(),
                submitted_at: at.clone(),
                version: 0,
                problem_status: ProblemStatus::Open.code().into(),
                problem_deadline: Some(deadline),
            };
            let id = match tx.insert_citizen_report(&row).await {
                Ok(id) => id,
                // A receipt number drawn twice: draw again.
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
            };
            for ((name, kind), p) in accepted
                .iter()
                .zip(photos.iter().filter(|p| !p.bytes.is_empty()))
            {
                let a = AttachmentRow {
                    id: 0,
                    owner_kind: "citizen_report".into(),
                    owner_id: id,
                    name: name.clone(),
                    content_type: (*kind).into(),
                    size: p.bytes.len() as i64,
                    sha256: tongxin_domain::audit::hex(&sha2::Sha256::digest(&p.bytes)),
                    unit_id: unit.0.clone(),
                    uploaded_by: PUBLIC_ACTOR.into(),
                    uploaded_at: at.clone(),
                };
                tx.insert_attachment(&a, &p.bytes, now).await?;
            }
            self.audit(
                &mut tx,
                &public,
                AuditAction::Create,
                &format!("citizen_report:{id}"),
                json!({ "receipt": receipt, "topic": topic.key, "unit": unit.0, "problem": problem_id, "photos": accepted.len(), "deadline": deadline }),
            )
            .await?;
            // The handling unit hears of it where it works (通知), with the report.
            let summary: String = description.chars().take(120).collect();
            tx.enqueue_notification(
                &OutboxDraft {
                    event_key: format!("report:{receipt}"),
                    kind: "report".into(),
                    unit_id: unit.0.clone(),
                    title: format!("群众举报 {receipt}：{}", topic.label),
                    body: format!(
                        "{}{place}：{summary}{}。请于{}前核查处理并在平台报送整改佐证——{}",
                        township.short_name,
                        if summary.chars().count() < description.chars().count() {
                            "……"
                        } else {
                            ""
                        },
                        deadline.format("%Y年%-m月%-d日"),
                        handling_clause
                    ),
                    link: format!("/reports/{receipt}"),
                    in_inbox: true,
                },
                now,
            )
            .await?;
            tx.commit().await?;
            self.wake_deliverer();
            return Ok(ReportReceipt {
                receipt,
                topic: topic.label.clone(),
                unit: self.unit_ref(&unit.0),
                deadline,
                period_clause,
                workdays,
            });
        }
        Err(AppError::Internal("受理编号连续重复，请重试".into()))
    }

    fn topic_label(&self, key: &str) -> (String, String) {
        self.topic(key)
            .map(|t| (t.label.clone(), t.clause.to_string()))
            .unwrap_or_else(|| (key.to_owned(), String::new()))
    }

    fn reward_label(r: &CitizenReportRow) -> String {
        Reward::from_parts(&r.reward, r.reward_yuan, &r.reward_reason)
            .map(|r| r.label())
            .unwrap_or_default()
    }

    fn public_view(&self, r: CitizenReportRow) -> PublicReportView {
        let published = r.published_on.is_some();
        let stage = ReportStage::of(&r.problem_status, published);
        let (topic, _) = self.topic_label(&r.topic);
        let clause = self
            .topic(&r.topic)
            .map(|t| self.public_citation(&t.clause))
            .unwrap_or_default();
        PublicReportView {
            receipt: r.receipt.clone(),
            topic,
            clause,
            township: self.unit_name(&r.township_id),
            unit: self.unit_name(&r.unit_id),
            submitted_on: r.submitted_at.get(..10).unwrap_or_default().to_owned(),
            deadline: r.problem_deadline,
            stage,
            stage_label: stage.label(),
            colour: stage.colour(),
            reward: if published {
                Self::reward_label(&r)
            } else {
                String::new()
            },
            outcome: if published { r.outcome } else { String::new() },
            published_on: r.published_on,
        }
    }

    /// 查询办理结果: a report by its receipt number, as the public may see it.
    pub async fn follow_report(&self, receipt: &str) -> Result<PublicReportView, AppError> {
        let Some(number) = parse_receipt(receipt) else {
            return Err(AppError::field(
                "receipt",
                "受理编号的格式为JB加8位日期和6位字母数字，如JB20261203-7K3F9Q",
            ));
        };
        let r = self
            .store
            .citizen_report(&number)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("受理编号{number}的举报"),
            })?;
        Ok(self.public_view(r))
    }

    /// 处理结果公开: the latest published outcomes.
    pub async fn published_reports(&self, limit: i64) -> Result<Vec<PublicReportView>, AppError> {
        Ok(self
            .store
            .published_citizen_reports(limit)
            .await?
            .into_iter()
            .map(|r| self.public_view(r))
            .collect())
    }

    fn report_in_scope(&self, actor: &Actor, r: &CitizenReportRow) -> bool {
        self.task_scope(actor)
            .is_none_or(|units| units.contains(&r.unit_id))
    }

    fn report_view(&self, actor: &Actor, r: CitizenReportRow) -> ReportView {
        let handler = actor.unit.0 == r.unit_id;
        let contact = if handler || r.contact.is_empty() {
            r.contact.clone()
        } else if r.contact.chars().filter(char::is_ascii_digit).count() >= 7 {
            mask_phone(&r.contact)
        } else {
            mask_name(&r.contact)
        };
        let published = r.published_on.is_some();
        let stage = ReportStage::of(&r.problem_status, published);
        let verified = r.problem_status == ProblemStatus::Closed.code();
        let colour = match r.problem_deadline {
            Some(d) if !verified => Urgency::on(self.clock.today(), d, &self.calendar())
                .map(Urgency::colour)
                .unwrap_or("grey"),
            _ => "grey",
        };
        let (topic_label, clause) = self.topic_label(&r.topic);
        let may_publish =
            !published && verified && (handler || actor.role.permits(Permission::Supervise));
        ReportView {
            id: r.id,
            receipt: r.receipt.clone(),
            topic: r.topic.clone(),
            topic_label,
            clause,
            township: self.unit_ref(&r.township_id),
            unit: self.unit_ref(&r.unit_id),
            place: r.place.clone(),
            lon: r.lon,
            lat: r.lat,
            happened_on: r.happened_on,
            description: r.description.clone(),
            contact,
            submitted_at: r.submitted_at.clone(),
            stage,
            stage_label: stage.label(),
            deadline: r.problem_deadline,
            colour,
            problem_id: r.problem_id,
            problem: None,
            reward: Self::reward_label(&r),
            outcome: r.outcome,
            published_on: r.published_on,
            published_by: r.published_by,
            photos: Vec::new(),
            may_publish,
            version: r.version,
        }
    }

    /// 举报清单: the reports of the actor's units, newest first.
    pub async fn citizen_reports(
        &self,
        actor: &Actor,
        q: &ReportQuery,
    ) -> Result<Page<ReportView>, AppError> {
        self.require(actor, Permission::ViewTasks, "查看群众举报")?;
        let per_page = 50;
        let page = q.page.unwrap_or(1).max(1);
        let topic = q.topic.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = topic
            && self.topic(t).is_none()
        {
            return Err(AppError::field("topic", format!("举报事项“{t}”不存在")));
        }
        let (rows, total) = self
            .store
            .citizen_reports(&CitizenReportFilter {
                units: self.task_scope(actor),
                topic: topic.map(str::to_owned),
                limit: per_page,
                offset: (page - 1) * per_page,
            })
            .await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| self.report_view(actor, r))
                .collect(),
            total,
            page,
            per_page,
        })
    }

    /// A report with its problem, photos and outcome, for an official of its unit (or above).
    pub async fn citizen_report(
        &self,
        actor: &Actor,
        receipt: &str,
    ) -> Result<ReportView, AppError> {
        self.require(actor, Permission::ViewTasks, "查看群众举报")?;
        let number = parse_receipt(receipt).unwrap_or_default();
        let not_found = || AppError::NotFound {
            what: format!("受理编号{receipt}的举报"),
        };
        let r = self
            .store
            .citizen_report(&number)
            .await?
            .ok_or_else(not_found)?;
        if !self.report_in_scope(actor, &r) {
            return Err(not_found());
        }
        let problem = self.problem(actor, r.problem_id).await?;
        let mut photos = self.attachments_by_owner("citizen_report", &[r.id]).await?;
        let mut v = self.report_view(actor, r);
        v.problem = Some(problem);
        v.photos = photos.remove(&v.id).unwrap_or_default();
        Ok(v)
    }

    /// The report an attachment of kind `citizen_report` belongs to, if the actor may see it.
    pub(crate) async fn report_by_id_visible(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(), AppError> {
        let not_found = || AppError::NotFound {
            what: format!("举报{id}"),
        };
        let r = self
            .store
            .citizen_report_by_id(id)
            .await?
            .ok_or_else(not_found)?;
        if self.report_in_scope(actor, &r) && actor.role.permits(Permission::ViewTasks) {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    /// 公布处理结果: once the office has verified the handling, the unit publishes the outcome
    /// against the receipt number with the reward decision.
    pub async fn publish_report_outcome(
        &self,
        actor: &Actor,
        receipt: &str,
        input: &OutcomeInput,
    ) -> Result<ReportView, AppError> {
        let v = self.citizen_report(actor, receipt).await?;
        let handler = actor.unit.0 == v.unit.id;
        if !handler && !actor.role.permits(Permission::Supervise) {
            return Err(AppError::Forbidden {
                action: "公布举报处理结果".into(),
                needed: format!("办理单位（{}）或督查室", v.unit.name),
            });
        }
        if v.published_on.is_some() {
            return Err(AppError::Conflict(
                "处理结果已公布，不能再改；如有更正请另行说明".into(),
            ));
        }
        if let Some(p) = v
            .problem
            .as_ref()
            .filter(|p| p.status != ProblemStatus::Closed)
        {
            return Err(AppError::Conflict(format!(
                "督查室核验销号后才能公布处理结果（当前：{}）",
                p.status_label
            )));
        }
        let mut errors = Vec::new();
        let outcome = input.outcome.trim().to_owned();
        let n = char_len(&outcome);
        if n < 10 {
            errors.push(FieldError::new(
                "outcome",
                format!("请写明“处理结果”：核查了什么、如何处理（至少10个字，现为{n}个字）；公开发布，勿写举报人信息"),
            ));
        } else if n > OUTCOME_MAX {
            errors.push(FieldError::new(
                "outcome",
                format!("“处理结果”不能超过{OUTCOME_MAX}个字"),
            ));
        }
        let reward = Reward::parse(&input.reward, &input.reward_amount, &input.reward_reason)
            .map_err(|e| errors.push(e))
            .ok();
        let (Some(reward), true) = (reward, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        if input.version != v.version {
            return Err(AppError::Conflict("举报已被他人更新，请刷新后再试".into()));
        }
        let mut row = self
            .store
            .citizen_report(&v.receipt)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("受理编号{}的举报", v.receipt),
            })?;
        let (code, yuan, reason) = reward.to_parts();
        row.outcome = outcome;
        row.published_on = Some(self.clock.today());
        row.published_by = actor.username.clone();
        row.reward = code.into();
        row.reward_yuan = yuan;
        row.reward_reason = reason.to_owned();
        row.version = input.version;
        let mut tx = self.store.begin().await?;
        tx.publish_citizen_report(&row).await.map_err(|e| match e {
            StoreError::StaleVersion => AppError::Conflict("举报已被他人更新，请刷新后再试".into()),
            e => e.into(),
        })?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Update,
            &format!("citizen_report:{}", row.id),
            json!({ "receipt": row.receipt, "published": true, "reward": code, "reward_yuan": yuan }),
        )
        .await?;
        tx.commit().await?;
        self.citizen_report(actor, &v.receipt).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, bytes: Vec<u8>) -> Upload {
        Upload {
            name: name.into(),
            bytes,
        }
    }

    #[test]
    fn photos_by_their_content_count_and_size() {
        let jpg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2];
        let png = b"\x89PNG\r\n\x1a\n....".to_vec();
        let mut errors = Vec::new();
        let ok = check_photos(
            &[
                up("C:\\photos\\a.jpg", jpg.clone()),
                up("b.png", png.clone()),
                up("", Vec::new()),
            ],
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            ok,
            vec![
                ("a.jpg".into(), "image/jpeg"),
                ("b.png".into(), "image/png")
            ]
        );
        let cases: Vec<(Vec<Upload>, &str)> = vec![
            (vec![up("x.jpg", b"%PDF-1.4".to_vec())], "不是JPG或PNG照片"),
            (
                vec![up("big.jpg", {
                    let mut v = jpg.clone();
                    v.resize(PHOTO_MAX + 1, 0);
                    v
                })],
                "超过每张",
            ),
            (
                (0..4)
                    .map(|i| up(&format!("{i}.jpg"), jpg.clone()))
                    .collect(),
                "照片最多3张",
            ),
        ];
        for (photos, says) in cases {
            let mut errors = Vec::new();
            check_photos(&photos, &mut errors);
            assert_eq!(errors.len(), 1, "{says}");
            assert_eq!(errors[0].field, "photos");
            assert!(errors[0].message.contains(says), "{}", errors[0].message);
        }
    }

    #[test]
    fn the_source_is_a_keyed_hash_not_the_address() {
        let a = source_hash(b"k1", "10.0.0.1");
        assert_eq!(a.len(), 64);
        assert!(!a.contains("10.0.0.1"));
        assert_eq!(a, source_hash(b"k1", "10.0.0.1"));
        assert_ne!(a, source_hash(b"k2", "10.0.0.1"));
        assert_ne!(a, source_hash(b"k1", "10.0.0.2"));
    }
}
