//! 附件: files a unit adds to its progress report (报送材料), to a problem's rectification
//! evidence (整改佐证), or to an indicator's value (监测报表, 统计表) — scans, photos, tables.
//! Only the unit that filed the report, that must rectify, or that entered the value adds them;
//! whoever may see the report, the problem or the indicator may download them.
//!
//! Decisions written down:
//! - At most [`FILES_PER_RECORD`] files of [`FILE_MAX`] bytes each per report or problem, of
//!   the kinds officials exchange (PDF, images, Word, Excel, text), told by name when refused.
//! - A report accepted by its reviewer, a problem closed (销号), or a value accepted takes no
//!   more files: what was verified stays as it was.
//! - The bytes are kept in the database beside the record; the audit trail holds each file's
//!   name, size and SHA-256, not its content.

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tongxin_domain::FieldError;
use tongxin_domain::audit::AuditAction;
use tongxin_store::AttachmentRow;

use crate::{Actor, App, AppError};

/// Largest file accepted.
pub const FILE_MAX: usize = 10 * 1024 * 1024;
/// Files per report or problem at most.
pub const FILES_PER_RECORD: usize = 10;

/// The kinds accepted, by extension, with the type they are served as.
const KINDS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("txt", "text/plain; charset=utf-8"),
];

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An attachment as listed.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: i64,
    /// `1.2 MB`
    pub size_label: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

impl From<AttachmentRow> for AttachmentView {
    fn from(a: AttachmentRow) -> Self {
        AttachmentView {
            id: a.id,
            size_label: size_label(a.size),
            name: a.name,
            size: a.size,
            uploaded_by: a.uploaded_by,
            uploaded_at: a.uploaded_at,
        }
    }
}

pub(crate) fn size_label(n: i64) -> String {
    match n {
        n if n >= 1024 * 1024 => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
        n if n >= 1024 => format!("{:.0} KB", n as f64 / 1024.0),
        n => format!("{n} 字节"),
    }
}

/// The file's own name: a browser may send a whole path (`C:\\photos\\a.jpg`).
pub(crate) fn file_name(sent: &str) -> String {
    sent.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The file's own name (a browser may send a path), and the type it is served as; or why
/// it is refused.
pub(crate) fn accepted(u: &Upload) -> Result<(String, &'static str), String> {
    let name = file_name(&u.name);
    if name.is_empty() {
        return Err("附件须有文件名".into());
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, kind)) = KINDS.iter().find(|(e, _)| *e == ext) else {
        return Err(format!(
            "“{name}”的类型不能上传；可上传PDF、JPG、PNG、Word、Excel或TXT文件"
        ));
    };
    if u.bytes.is_empty() {
        return Err(format!("“{name}”是空文件"));
    }
    if u.bytes.len() > FILE_MAX {
        return Err(format!(
            "“{name}”为{}，超过{}的上限",
            size_label(u.bytes.len() as i64),
            size_label(FILE_MAX as i64)
        ));
    }
    if char_count(&name) > 120 {
        return Err(format!("文件名“{name}”过长（120字以内）"));
    }
    Ok((name, kind))
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

impl App {
    /// 上传报送材料: the unit that filed a report adds files to it (not once accepted).
    pub async fn attach_to_report(
        &self,
        actor: &Actor,
        report_id: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        let not_found = || AppError::NotFound {
            what: format!("报送{report_id}"),
        };
        let r = self.store.report(report_id).await?.ok_or_else(not_found)?;
        self.visible_task(actor, r.task_id).await?;
        if r.unit_id != actor.unit.0 {
            return Err(AppError::Conflict(
                "只有报送单位可以为本单位的报送上传附件".into(),
            ));
        }
        if r.review == "accepted" {
            return Err(AppError::Conflict(
                "该报送已审核通过，不能再添加附件".into(),
            ));
        }
        self.attach(actor, "report", r.id, uploads).await
    }

    /// The task a report belongs to, if the actor may see it.
    pub async fn report_task(&self, actor: &Actor, report_id: i64) -> Result<i64, AppError> {
        let r = self
            .store
            .report(report_id)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("报送{report_id}"),
            })?;
        Ok(self.visible_task(actor, r.task_id).await?.id)
    }

    /// 上传整改佐证: the unit that must rectify adds files to the problem (not once closed).
    pub async fn attach_to_problem(
        &self,
        actor: &Actor,
        problem_id: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        let p = self.problem(actor, problem_id).await?;
        if p.unit.id != actor.unit.0 {
            return Err(AppError::Conflict(format!(
                "整改佐证由责任单位{}上传",
                p.unit.name
            )));
        }
        if p.closed_on.is_some() {
            return Err(AppError::Conflict("该问题已销号，不能再添加佐证".into()));
        }
        self.attach(actor, "problem", p.id, uploads).await
    }

    /// 上传指标佐证: the responsible unit adds files (监测报表, 统计表) to a value it entered
    /// (not once accepted).
    pub async fn attach_to_indicator_value(
        &self,
        actor: &Actor,
        value_id: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        let v = self.indicator_value(actor, value_id).await?;
        if v.unit_id != actor.unit.0 {
            return Err(AppError::Conflict("指标数值的佐证由填报单位上传".into()));
        }
        if v.review == "accepted" {
            return Err(AppError::Conflict(
                "该期数值已审核通过，不能再添加佐证".into(),
            ));
        }
        self.attach(actor, "ind_value", value_id, uploads).await
    }

    pub(crate) async fn attach(
        &self,
        actor: &Actor,
        kind: &str,
        owner: i64,
        uploads: &[Upload],
    ) -> Result<Vec<AttachmentView>, AppError> {
        let mut errors = Vec::new();
        if uploads.is_empty() {
            errors.push(FieldError::new("files", "请选择要上传的文件"));
        }
        let had = self.store.attachments_of(kind, &[owner]).await?.len();
        if had + uploads.len() > FILES_PER_RECORD {
            errors.push(FieldError::new(
                "files",
                format!(
                    "每项最多{FILES_PER_RECORD}个附件，已有{had}个，本次{}个",
                    uploads.len()
                ),
            ));
        }
        let mut ok = Vec::new();
        for u in uploads {
            match accepted(u) {
                Ok((name, kind)) => ok.push((name, kind, u)),
                Err(m) => errors.push(FieldError::new("files", m)),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let mut out = Vec::new();
        for (name, content_type, u) in ok {
            let sha = Sha256::digest(&u.bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>();
            let mut row = AttachmentRow {
                id: 0,
                owner_kind: kind.to_owned(),
                owner_id: owner,
                name,
                content_type: content_type.to_owned(),
                size: u.bytes.len() as i64,
                sha256: sha,
                unit_id: actor.unit.0.clone(),
                uploaded_by: actor.username.clone(),
                uploaded_at: tongxin_store::format_ts(now),
            };
            row.id = tx.insert_attachment(&row, &u.bytes, now).await?;
            self.audit(
                &mut tx,
                &actor.audit(),
                AuditAction::Create,
                &format!("sv_attachment:{}", row.id),
                json!({ "owner": format!("{kind}:{owner}"), "name": row.name, "size": row.size, "sha256": row.sha256 }),
            )
            .await?;
            out.push(AttachmentView::from(row));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// 下载附件: the file, for whoever may see the report or problem it belongs to.
    pub async fn attachment(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(AttachmentRow, Vec<u8>), AppError> {
        let not_found = || AppError::NotFound {
            what: format!("附件{id}"),
        };
        let (a, bytes) = self.store.attachment(id).await?.ok_or_else(not_found)?;
        match a.owner_kind.as_str() {
            "report" => {
                let r = self.store.report(a.owner_id).await?.ok_or_else(not_found)?;
                self.visible_task(actor, r.task_id)
                    .await
                    .map_err(|_| not_found())?;
            }
            "citizen_report" => {
                self.report_by_id_visible(actor, a.owner_id)
                    .await
                    .map_err(|_| not_found())?;
            }
            "patrol" => {
                self.patrol(actor, a.owner_id)
                    .await
                    .map_err(|_| not_found())?;
            }
            crate::field::PLAN_FILES => {
                self.visible_village_plan(actor, a.owner_id)
                    .await
                    .map_err(|_| not_found())?;
            }
            "ind_value" => {
                self.indicator_value(actor, a.owner_id)
                    .await
                    .map_err(|_| not_found())?;
            }
            _ => {
                self.problem(actor, a.owner_id)
                    .await
                    .map_err(|_| not_found())?;
            }
        }
        Ok((a, bytes))
    }

    /// The attachments of these owners, by owner.
    pub(crate) async fn attachments_by_owner(
        &self,
        kind: &str,
        owners: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<AttachmentView>>, AppError> {
        let mut m: std::collections::HashMap<i64, Vec<AttachmentView>> =
            std::collections::HashMap::new();
        for a in self.store.attachments_of(kind, owners).await? {
            m.entry(a.owner_id).or_default().push(a.into());
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, n: usize) -> Upload {
        Upload {
            name: name.into(),
            bytes: vec![1; n],
        }
    }

    #[test]
    fn files_are_accepted_by_kind_and_size_and_named_when_refused() {
        assert_eq!(
            accepted(&up("C:\\扫描\\整改报告.PDF", 10)).unwrap(),
            ("整改报告.PDF".to_owned(), "application/pdf")
        );
        assert_eq!(accepted(&up("现场.jpg", 10)).unwrap().1, "image/jpeg");
        let e = accepted(&up("工具.exe", 10)).unwrap_err();
        assert!(e.contains("“工具.exe”的类型不能上传"), "{e}");
        assert!(accepted(&up("空.pdf", 0)).unwrap_err().contains("空文件"));
        let e = accepted(&up("大.pdf", FILE_MAX + 1)).unwrap_err();
        assert!(e.contains("超过10.0 MB的上限"), "{e}");
        assert!(accepted(&up("", 3)).is_err());
        assert_eq!(size_label(1536), "2 KB");
        assert_eq!(size_label(500), "500 字节");
    }
}
