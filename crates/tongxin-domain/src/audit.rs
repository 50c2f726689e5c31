//! The audit trail (审计日志) as a hash chain: each entry stores the hash of the one before it,
//! so an edited or deleted row breaks the chain at a place that can be named.
//!
//! The chain's head (the last id and hash) is kept beside the rows, so deleting the newest rows
//! is detected too. Someone who can rewrite every row *and* the head can forge a new chain; the
//! defence against that is exporting the head regularly (a later issue), not this module.

use sha2::{Digest, Sha256};
use std::fmt;

/// The hash that the first entry links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// 操作类型: what was done. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// 登录
    Login,
    /// 登录失败
    LoginFailed,
    /// 账号锁定
    AccountLocked,
    /// 退出登录
    Logout,
    /// 新建
    Create,
    /// 修改
    Update,
    /// 状态变更
    StateChange,
    /// 导出
    Export,
    /// 查看个人信息原文
    RevealPersonalData,
    /// 系统初始化 (directory sync, demo seeding)
    System,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::AccountLocked,
        AuditAction::Logout,
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::StateChange,
        AuditAction::Export,
        AuditAction::RevealPersonalData,
        AuditAction::System,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::AccountLocked => "account_locked",
            AuditAction::Logout => "logout",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::StateChange => "state_change",
            AuditAction::Export => "export",
            AuditAction::RevealPersonalData => "reveal_personal_data",
            AuditAction::System => "system",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Login => "登录",
            AuditAction::LoginFailed => "登录失败",
            AuditAction::AccountLocked => "账号锁定",
            AuditAction::Logout => "退出登录",
            AuditAction::Create => "新建",
            AuditAction::Update => "修改",
            AuditAction::StateChange => "状态变更",
            AuditAction::Export => "导出",
            AuditAction::RevealPersonalData => "查看个人信息",
            AuditAction::System => "系统",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One audit entry as stored: who, role, unit, when, action, object, a summary of the change
/// without personal data, the client address, and the chain links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 UTC with milliseconds, as written.
    pub at: String,
    /// The acting user's name, or `-` for an anonymous actor (a failed login by an unknown name
    /// is recorded under `-`: the typed name could be a password typed in the wrong box).
    pub actor: String,
    pub role: String,
    pub unit: String,
    pub action: String,
    /// The object acted on (`user:12`, `session`, `unit:twp-yuhai`).
    pub object: String,
    /// Before/after summary (JSON), never personal data.
    pub summary: String,
    pub client_ip: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry must carry given its content and the previous entry's hash: SHA-256
    /// over the id, the content fields and the previous hash, each prefixed by its length in
    /// bytes (big-endian u64), so that moving text between fields changes the hash.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let id = self.id.to_string();
        h.update((id.len() as u64).to_be_bytes());
        h.update(id.as_bytes());
        h.update(self.content_bytes());
        h.update((self.prev_hash.len() as u64).to_be_bytes());
        h.update(self.prev_hash.as_bytes());
        hex(&h.finalize())
    }

    /// What the hash covers between the id and the previous hash: the content fields, each
    /// length-prefixed. A database that numbers and links the entry itself finishes the hash
    /// from these (PostgreSQL appends an entry in one statement).
    pub fn content_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        for part in [
            &self.at,
            &self.actor,
            &self.role,
            &self.unit,
            &self.action,
            &self.object,
            &self.summary,
            &self.client_ip,
        ] {
            out.extend_from_slice(&(part.len() as u64).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Where and how the chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content no longer matches its own hash: it was edited.
    Edited { id: i64 },
    /// The row does not link to the row before it: rows between were deleted or reordered.
    Unlinked { id: i64, expected_prev_id: i64 },
    /// The newest rows are gone: the head says the chain ends later than the rows do.
    TailMissing { last_id: i64, head_id: i64 },
    /// The head's hash does not match the last row.
    HeadMismatch { head_id: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainBreak::Edited { id } => {
                write!(f, "第{id}条审计记录的内容与其哈希不符：记录被修改")
            }
            ChainBreak::Unlinked {
                id,
                expected_prev_id,
            } => write!(
                f,
                "第{id}条审计记录未链接到第{expected_prev_id}条：其间的记录被删除或改动"
            ),
            ChainBreak::TailMissing { last_id, head_id } => write!(
                f,
                "审计链头记录到第{head_id}条，但现存记录止于第{last_id}条：最新的记录被删除"
            ),
            ChainBreak::HeadMismatch { head_id } => {
                write!(f, "审计链头与第{head_id}条记录的哈希不符")
            }
        }
    }
}

/// Incremental verifier: feed rows in id order, then `finish` with the stored head.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_id: i64,
    prev_hash: String,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev_id: 0,
            prev_hash: GENESIS_HASH.to_owned(),
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.compute_hash() != entry.hash {
            return Err(ChainBreak::Edited { id: entry.id });
        }
        if entry.prev_hash != self.prev_hash || entry.id != self.prev_id + 1 {
            return Err(ChainBreak::Unlinked {
                id: entry.id,
                expected_prev_id: self.prev_id,
            });
        }
        self.prev_id = entry.id;
        self.prev_hash = entry.hash.clone();
        self.checked += 1;
        Ok(())
    }

    /// `head` is the stored (last id, last hash), or None when nothing was ever written.
    pub fn finish(self, head: Option<(i64, String)>) -> Result<u64, ChainBreak> {
        let (head_id, head_hash) = head.unwrap_or((0, GENESIS_HASH.to_owned()));
        if head_id != self.prev_id {
            return Err(ChainBreak::TailMissing {
                last_id: self.prev_id,
                head_id,
            });
        }
        if head_hash != self.prev_hash {
            return Err(ChainBreak::HeadMismatch { head_id });
        }
        Ok(self.checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|id| {
                let mut e = AuditEntry {
                    id,
                    at: format!("2026-11-29T08:00:{id:02}.000Z"),
                    actor: "clerk".into(),
                    role: "township".into(),
                    unit: "twp-yuhai".into(),
                    action: "create".into(),
                    object: format!("user:{id}"),
                    summary: "{}".into(),
                    client_ip: "127.0.0.1".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(rows: &[AuditEntry], head: Option<(i64, String)>) -> Result<u64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for r in rows {
            v.push(r)?;
        }
        v.finish(head)
    }

    /// The hash's layout is fixed: stored chains were hashed this way. The expected value was
    /// computed independently (Python's hashlib over the same length-prefixed bytes).
    #[test]
    fn the_hash_layout_is_fixed() {
        let e = AuditEntry {
            id: 1,
            at: "2024-02-05T01:00:00.000Z".into(),
            actor: "clerk".into(),
            role: "village".into(),
            unit: "vil".into(),
            action: "create".into(),
            object: "case:1".into(),
            summary: r#"{"a":"马"}"#.into(),
            client_ip: "127.0.0.1".into(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(
            e.compute_hash(),
            "825a45926652a3504fb3f4d141c16fcb02cfa04fe5f8788ded10003f47e9fb5d"
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        let head = Some((5, rows[4].hash.clone()));
        assert_eq!(verify(&rows, head), Ok(5));
        assert_eq!(verify(&[], None), Ok(0));
    }

    #[test]
    fn an_edited_row_is_named() {
        let mut rows = chain(5);
        rows[2].object = "user:99".into();
        let head = Some((5, rows[4].hash.clone()));
        assert_eq!(verify(&rows, head), Err(ChainBreak::Edited { id: 3 }));
    }

    #[test]
    fn a_deleted_middle_row_is_named() {
        let mut rows = chain(5);
        rows.remove(2);
        let head = Some((5, rows[3].hash.clone()));
        assert_eq!(
            verify(&rows, head),
            Err(ChainBreak::Unlinked {
                id: 4,
                expected_prev_id: 2
            })
        );
    }

    #[test]
    fn a_deleted_last_row_is_caught_by_the_head() {
        let mut rows = chain(5);
        let head = Some((5, rows[4].hash.clone()));
        rows.pop();
        assert_eq!(
            verify(&rows, head),
            Err(ChainBreak::TailMissing {
                last_id: 4,
                head_id: 5
            })
        );
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let rows = chain(1);
        let mut e = rows[0].clone();
        e.actor = "clerkt".into();
        e.role = "ownship".into();
        assert_ne!(e.compute_hash(), rows[0].hash);
    }
}
