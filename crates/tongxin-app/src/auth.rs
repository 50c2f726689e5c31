//! Logging in and out, sessions, lockout.
//!
//! - Passwords: argon2id (the crate's defaults: 19 MiB, 2 passes), hashed off the async threads.
//! - Sessions: a random 256-bit token in an HttpOnly cookie; the database keeps its SHA-256.
//!   A session idle for 30 minutes ends (`SESSION_IDLE_MINUTES`); its last use is written at
//!   most once a minute, so reading pages does not turn into a stream of writes.
//! - Lockout: 5 failed logins lock an account for 15 minutes; both are audited.
//! - A failed login by an unknown name is audited under `-`, not the typed name, which is often
//!   a password typed into the wrong box; unknown names still cost one argon2 verification, so
//!   timing does not tell which names exist.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Duration;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use tongxin_domain::account::{LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, SESSION_IDLE_MINUTES};
use tongxin_domain::audit::{AuditAction, hex};
use tongxin_domain::{Role, UnitId};

use crate::clock::china_offset;
use crate::{App, AppError, AuditActor};

/// A logged-in user acting through a session.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: UnitId,
    pub csrf_token: String,
    pub session_hash: String,
    pub client_ip: String,
    pub is_demo: bool,
}

impl Actor {
    pub fn audit(&self) -> AuditActor<'_> {
        AuditActor {
            username: &self.username,
            role: self.role.code(),
            unit: self.unit.as_str(),
            client_ip: &self.client_ip,
        }
    }
}

/// A successful login: the raw token for the cookie (shown once, never stored) and the actor.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub token: String,
    pub actor: Actor,
}

/// Fills `b` from the operating system's generator.
pub fn fill_random(b: &mut [u8]) {
    OsRng.fill_bytes(b);
}

/// 256 random bits as hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("密码哈希失败：{e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the user does not exist (same cost as a real one).
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        let salt = SaltString::encode_b64(b"tongxin-dummy-salt")
            .unwrap_or_else(|_| SaltString::generate(&mut OsRng));
        Argon2::default()
            .hash_password(b"not a password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

impl App {
    /// Logs a user in: checks lockout, the password, the account's state; opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_ip: &str,
    ) -> Result<LoginOutcome, AppError> {
        let now = self.clock.now();
        let username = username.trim();
        let Some(user) = self.store.user_by_username(username).await? else {
            verify_password(password.to_owned(), dummy_hash().to_owned()).await;
            let mut tx = self.store.begin().await?;
            let anon = AuditActor {
                username: "-",
                role: "",
                unit: "",
                client_ip,
            };
            self.audit(
                &mut tx,
                &anon,
                AuditAction::LoginFailed,
                "session",
                json!({ "reason": "unknown_user" }),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(client_ip, "login failed: unknown user");
            return Err(AppError::InvalidCredentials);
        };
        let role: Role = user
            .role
            .parse()
            .map_err(|_| AppError::Internal(format!("用户{}的角色无效", user.id)))?;
        let who = AuditActor {
            username: &user.username,
            role: role.code(),
            unit: &user.unit_id,
            client_ip,
        };
        if let Some(until) = user.locked_until
            && until > now
        {
            let mut tx = self.store.begin().await?;
            self.audit(
                &mut tx,
                &who,
                AuditAction::LoginFailed,
                &format!("user:{}", user.id),
                json!({ "reason": "locked" }),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::Locked {
                attempts: LOCKOUT_THRESHOLD,
                until: until
                    .with_timezone(&china_offset())
                    .format("%H:%M")
                    .to_string(),
            });
        }
        if !verify_password(password.to_owned(), user.password_hash.clone()).await {
            let lock_until = now + Duration::minutes(LOCKOUT_MINUTES);
            let mut tx = self.store.begin().await?;
            let (count, locked) = tx
                .record_failed_login(user.id, i64::from(LOCKOUT_THRESHOLD), lock_until, now)
                .await?;
            let object = format!("user:{}", user.id);
            self.audit(
                &mut tx,
                &who,
                AuditAction::LoginFailed,
                &object,
                json!({ "reason": "password", "attempt": count }),
            )
            .await?;
            if locked {
                self.audit(
                    &mut tx,
                    &who,
                    AuditAction::AccountLocked,
                    &object,
                    json!({ "minutes": LOCKOUT_MINUTES }),
                )
                .await?;
            }
            tx.commit().await?;
            if locked {
                tracing::warn!(
                    user.id = user.id,
                    client_ip,
                    "account locked after failed logins"
                );
                return Err(AppError::Locked {
                    attempts: LOCKOUT_THRESHOLD,
                    until: lock_until
                        .with_timezone(&china_offset())
                        .format("%H:%M")
                        .to_string(),
                });
            }
            return Err(AppError::InvalidCredentials);
        }
        if !user.active {
            return Err(AppError::Disabled);
        }
        let token = random_token();
        let csrf = random_token();
        let hash = token_hash(&token);
        let mut tx = self.store.begin().await?;
        if user.failed_logins > 0 || user.locked_until.is_some() {
            tx.clear_failed_logins(user.id).await?;
        }
        tx.insert_session(&hash, user.id, &csrf, client_ip, now)
            .await?;
        self.audit(
            &mut tx,
            &who,
            AuditAction::Login,
            &format!("user:{}", user.id),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(LoginOutcome {
            token,
            actor: Actor {
                user_id: user.id,
                username: user.username,
                display_name: user.display_name,
                role,
                unit: UnitId(user.unit_id),
                csrf_token: csrf,
                session_hash: hash,
                client_ip: client_ip.to_owned(),
                is_demo: user.is_demo,
            },
        })
    }

    /// The actor behind a session token, or None when the session is unknown, idle too long,
    /// or its user was disabled.
    pub async fn authenticate(
        &self,
        token: &str,
        client_ip: &str,
    ) -> Result<Option<Actor>, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if now - session.last_seen_at > Duration::minutes(SESSION_IDLE_MINUTES) {
            self.store.expire_session(&hash).await?;
            return Ok(None);
        }
        let Some(user) = self.store.user_by_id(session.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        if now - session.last_seen_at > Duration::seconds(60) {
            self.store.touch_session(&hash, now).await?;
        }
        let role: Role = user
            .role
            .parse()
            .map_err(|_| AppError::Internal(format!("用户{}的角色无效", user.id)))?;
        Ok(Some(Actor {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            role,
            unit: UnitId(user.unit_id),
            csrf_token: session.csrf_token,
            session_hash: hash,
            client_ip: client_ip.to_owned(),
            is_demo: user.is_demo,
        }))
    }

    pub async fn logout(&self, actor: &Actor) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        tx.delete_session(&actor.session_hash).await?;
        self.audit(
            &mut tx,
            &actor.audit(),
            AuditAction::Logout,
            &format!("user:{}", actor.user_id),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session idle past the timeout (run periodically by the server).
    pub async fn purge_idle_sessions(&self) -> Result<u64, AppError> {
        let cutoff = self.clock.now() - Duration::minutes(SESSION_IDLE_MINUTES);
        let mut tx = self.store.begin().await?;
        let n = tx.delete_idle_sessions(cutoff).await?;
        tx.commit().await?;
        Ok(n)
    }
}
