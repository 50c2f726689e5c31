//! 公示异议 from the public portal (同政办规发〔2023〕6号 第十条): anyone may object to a
//! homestead application during its notice period. The objection becomes an event of the case
//! (记录公示异议, by 公众), so the village organisation finds it where it decides whether the
//! notice passed; the deciding unit is told in its 工作台 and on its channels; the objector gets
//! a receipt number. The same captcha and rate limit as 群众举报 guard it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tongxin_domain::audit::AuditAction;
use tongxin_domain::validation::FieldError;
use tongxin_store::notify::OutboxDraft;
use tongxin_store::{EventRow, NoticeObjectionRow, StoreError};

use crate::cases::PublicNotice;
use crate::{App, AppError, AuditActor};

/// The longest objection, as the case's 异议内容 field allows.
pub const OBJECTION_MAX: usize = 1000;
const PUBLIC_ACTOR: &str = "公众";
const HOMESTEAD: &str = "homestead";

/// An objection as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ObjectionInput {
    #[serde(default)]
    pub objection: String,
    /// Optional telephone for the village's answer.
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub captcha_token: String,
    #[serde(default)]
    pub captcha_answer: String,
}

/// What the objector is given.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionReceipt {
    /// 受理编号 YY20261203-7K3F9Q
    pub receipt: String,
    pub case_number: String,
    pub township: String,
    pub village: String,
    pub until: Option<NaiveDate>,
}

/// A telephone as typed: digits (and dashes or spaces) making 7 to 12 digits, or '' for none.
fn phone(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return Some(String::new());
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+');
    (allowed && (7..=13).contains(&digits.len())).then_some(digits)
}

impl App {
    /// A homestead application in its notice period, by its number.
    pub async fn public_notice(&self, number: &str) -> Result<PublicNotice, AppError> {
        self.public_notices(HOMESTEAD)
            .await?
            .into_iter()
            .find(|n| n.number == number.trim())
            .ok_or_else(|| AppError::NotFound {
                what: format!("正在公示的申请{}", number.trim()),
            })
    }

    /// 提出公示异议: checks what was typed and the captcha, then records the objection on the
    /// case and tells the deciding unit, in one transaction.
    pub async fn lodge_objection(
        &self,
        number: &str,
        input: &ObjectionInput,
        ip: &str,
    ) -> Result<ObjectionReceipt, AppError> {
        let notice = self.public_notice(number).await?;
        let mut errors = Vec::new();
        let text = input.objection.trim().to_owned();
        let n = text.chars().count();
        if n < 5 {
            errors.push(FieldError::new(
                "objection",
                format!(
                    "请在“异议内容”中写明对哪项公示内容有异议、理由是什么（至少5个字，现为{n}个字）"
                ),
            ));
        } else if n > OBJECTION_MAX {
            errors.push(FieldError::new(
                "objection",
                format!("“异议内容”不能超过{OBJECTION_MAX}个字，现为{n}个字"),
            ));
        }
        let contact = phone(&input.contact).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "contact",
                "“联系电话”须为电话号码，如13909531234或0953-8012345；不需要答复可不填",
            ));
            String::new()
        });
        let guard = self
            .guard_public_form(&input.captcha_token, &input.captcha_answer, ip, &mut errors)
            .await?;
        if !errors.is_empty() {
            self.spend_refused(&guard).await?;
            return Err(AppError::Validation(errors));
        }
        let Some((nonce, expires)) = guard.used else {
            return Err(AppError::field("captcha_answer", "请输入验证码"));
        };
        let now = self.clock.now();
        let today = self.clock.today();
        let at = tongxin_store::format_ts(now);
        let public = AuditActor {
            username: PUBLIC_ACTOR,
            role: "public",
            unit: "",
            client_ip: "",
        };
        let citation = format!("{}", notice.citation);
        for _ in 0..5 {
            let mut rnd = [0u8; tongxin_domain::reports::RECEIPT_RANDOM_LEN];
            crate::auth::fill_random(&mut rnd);
            let receipt = format!(
                "YY{}",
                tongxin_domain::reports::receipt(today, rnd).trim_start_matches("JB")
            );
            let mut tx = self.store.begin().await?;
            if !tx.use_captcha(&nonce, expires, now).await? {
                return Err(AppError::field(
                    "captcha_answer",
                    "验证码已用过，请按新图片重新输入",
                ));
            }
            let Some(case) = tx.case_for_update(notice.case_id).await? else {
                return Err(AppError::NotFound {
                    what: format!("正在公示的申请{}", notice.number),
                });
            };
            if case.state != "public_notice" {
                return Err(AppError::Conflict(format!(
                    "申请{}已不在公示期，异议请直接向{}村级组织反映",
                    notice.number, notice.village
                )));
            }
            match tx
                .insert_notice_objection(&NoticeObjectionRow {
                    receipt: receipt.clone(),
                    case_id: case.id,
                    objection: text.clone(),
                    contact: contact.clone(),
                    source: guard.source.clone(),
                    submitted_at: at.clone(),
                })
                .await
            {
                Ok(_) => {}
                // A receipt number drawn twice: draw again.
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
            let seq = case.version + 1;
            // Merged into the case's data like the village's own record, so deciding the
            // notice asks for the objection's handling (homestead.objections_answered).
            let mut case_data: Map<String, Value> =
                serde_json::from_str(&case.data).map_err(|e| {
                    AppError::Internal(format!("案件{}的数据无法读取：{e}", case.number))
                })?;
            case_data.insert("objection".into(), Value::String(text.clone()));
            tx.update_case(
                case.id,
                case.version,
                &case.state,
                &Value::Object(case_data).to_string(),
                &case.applicant_name,
                &case.village,
                now,
            )
            .await?;
            let mut data = Map::new();
            data.insert("objection".into(), Value::String(text.clone()));
            if !contact.is_empty() {
                data.insert("objection_contact".into(), Value::String(contact.clone()));
            }
            tx.insert_event(&EventRow {
                case_id: case.id,
                seq,
                at: at.clone(),
                actor: PUBLIC_ACTOR.into(),
                role: "public".into(),
                unit: String::new(),
                action: "record_objection".into(),
                from_state: case.state.clone(),
                to_state: case.state.clone(),
                comment: format!("公众通过公众服务门户提出异议（受理编号{receipt}）"),
                data: Value::Object(data).to_string(),
                clauses: json!([{ "role": "action", "citation": citation }]).to_string(),
                policy_version: self.policy_version().to_owned(),
            })
            .await?;
            let summary: String = text.chars().take(120).collect();
            tx.enqueue_notification(
                &OutboxDraft {
                    event_key: format!("objection:{receipt}"),
                    kind: "objection".into(),
                    unit_id: notice.responsible.clone(),
                    title: format!("公示异议：宅基地申请{}", case.number),
                    body: format!(
                        "{}{}的宅基地申请公示期内收到异议：{summary}{}。公示期满前请核实处理，异议成立的不予通过，不成立的在签署意见时写明理由——{citation}",
                        notice.township,
                        notice.village,
                        if n > 120 { "……" } else { "" }
                    ),
                    link: format!("/cases/{}", case.id),
                    in_inbox: true,
                },
                now,
            )
            .await?;
            self.audit(
                &mut tx,
                &public,
                AuditAction::Create,
                &format!("case:{}", case.id),
                json!({ "number": case.number, "objection": receipt }),
            )
            .await?;
            tx.commit().await?;
            self.wake_deliverer();
            return Ok(ObjectionReceipt {
                receipt,
                case_number: notice.number,
                township: notice.township,
                village: notice.village,
                until: notice.until,
            });
        }
        Err(AppError::Internal("受理编号连续重复，请重试".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::phone;

    #[test]
    fn a_telephone_or_nothing() {
        assert_eq!(phone("").as_deref(), Some(""));
        assert_eq!(phone(" 139 0953 1234 ").as_deref(), Some("13909531234"));
        assert_eq!(phone("0953-8012345").as_deref(), Some("09538012345"));
        assert_eq!(phone("123456"), None);
        assert_eq!(phone("马先生13909531234"), None);
        assert_eq!(phone("12345678901234"), None);
    }
}
