//! Server-side sessions (会话): the cookie carries a random token; the database keeps only its
//! SHA-256, the CSRF token, and when it was last used (for the idle timeout).

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::time::{format_ts, parse_ts};
use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Store {
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SessionRow {
            token_hash: r.try_get(0)?,
            user_id: r.try_get(1)?,
            csrf_token: r.try_get(2)?,
            created_at: parse_ts(&r.try_get::<String, _>(3)?)?,
            last_seen_at: parse_ts(&r.try_get::<String, _>(4)?)?,
        }))
    }

    /// Marks a session as used now. Not audited: it is bookkeeping, not a change anyone made.
    /// Runs outside the writer queue's transaction helper because it is one idempotent row.
    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(format_ts(now))
            .execute(tx.conn().await?)
            .await?;
        tx.commit().await
    }

    /// Ends an idle session found on a request (not an action of its user: not audited).
    pub async fn expire_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.delete_session(token_hash).await?;
        tx.commit().await
    }
}

impl Tx {
    pub async fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        client_ip: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let ts = format_ts(now);
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, client_ip) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(&ts)
        .bind(client_ip)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn().await?)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Removes sessions idle since before `cutoff`; returns how many.
    pub async fn delete_idle_sessions(&mut self, cutoff: DateTime<Utc>) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
            .bind(format_ts(cutoff))
            .execute(self.conn().await?)
            .await?;
        Ok(r.rows_affected())
    }
}
