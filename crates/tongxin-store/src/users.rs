//! Users (用户): accounts bound to a unit and a role, with the lockout counters.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{format_ts, parse_ts};
use crate::{Result, Store, StoreError, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub unit_id: String,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub is_demo: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub unit_id: &'a str,
    pub is_demo: bool,
}

/// Which users a list shows: a page of them, optionally limited to some units.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// None: every unit. Some(ids): only users of these units.
    pub units: Option<Vec<String>>,
    /// Only this user (an applicant sees only themself).
    pub user_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

const COLUMNS: &str = "id, username, display_name, password_hash, role, unit_id, active, \
                       failed_logins, locked_until, is_demo, created_at, version";

fn from_row(r: &AnyRow) -> Result<UserRow> {
    let locked: Option<String> = r.try_get("locked_until")?;
    Ok(UserRow {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        unit_id: r.try_get("unit_id")?,
        active: r.try_get::<i64, _>("active")? != 0,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: locked.as_deref().map(parse_ts).transpose()?,
        is_demo: r.try_get::<i64, _>("is_demo")? != 0,
        created_at: parse_ts(&r.try_get::<String, _>("created_at")?)?,
        version: r.try_get("version")?,
    })
}

/// `WHERE` clause and its text arguments for a filter; placeholders start at `$first`.
fn filter_sql(f: &UserFilter, first: usize) -> (String, Vec<String>, Option<i64>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    let mut n = first;
    if let Some(units) = &f.units {
        if units.is_empty() {
            clauses.push("1 = 0".to_owned());
        } else {
            let ph: Vec<String> = units
                .iter()
                .map(|u| {
                    args.push(u.clone());
                    let p = format!("${n}");
                    n += 1;
                    p
                })
                .collect();
            clauses.push(format!("unit_id IN ({})", ph.join(", ")));
        }
    }
    if f.user_id.is_some() {
        clauses.push(format!("id = ${n}"));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (sql, args, f.user_id)
}

impl Store {
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A page of users ordered by unit then username, and the total count under the filter.
    pub async fn list_users(&self, f: &UserFilter) -> Result<(Vec<UserRow>, i64)> {
        let (where_sql, args, user_id) = filter_sql(f, 1);
        let count_sql = format!("SELECT COUNT(*) FROM users{where_sql}");
        let mut q = sqlx::query(&count_sql);
        for a in &args {
            q = q.bind(a);
        }
        if let Some(id) = user_id {
            q = q.bind(id);
        }
        let total: i64 = q.fetch_one(&self.pool).await?.try_get(0)?;
        let next = args.len() + usize::from(user_id.is_some()) + 1;
        let sql = format!(
            "SELECT {COLUMNS} FROM users{where_sql} ORDER BY unit_id, username LIMIT ${} OFFSET ${}",
            next,
            next + 1
        );
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a);
        }
        if let Some(id) = user_id {
            q = q.bind(id);
        }
        let rows = q.bind(f.limit).bind(f.offset).fetch_all(&self.pool).await?;
        let users = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
        Ok((users, total))
    }

    /// The display names of these users (those that exist), by username.
    pub async fn display_names(
        &self,
        usernames: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
        if usernames.is_empty() {
            return Ok(Default::default());
        }
        let ph = crate::query::placeholders(1, usernames.len());
        let sql = format!(
            "SELECT username, display_name FROM users WHERE username IN ({})",
            ph
        );
        let mut q = sqlx::query(&sql);
        for u in usernames {
            q = q.bind(u.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    pub async fn user_count(&self) -> Result<i64> {
        let r = sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get(0)?)
    }
}

impl Tx {
    pub async fn insert_user(&mut self, u: &NewUser<'_>, now: DateTime<Utc>) -> Result<i64> {
        let ts = format_ts(now);
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, role, unit_id, is_demo, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.password_hash)
        .bind(u.role)
        .bind(u.unit_id)
        .bind(i64::from(u.is_demo))
        .bind(&ts)
        .fetch_one(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(row.try_get(0)?)
    }

    /// Records a failed login; returns the new count. Locks the account until `lock_until`
    /// when the count reaches `threshold`, and restarts the count.
    pub async fn record_failed_login(
        &mut self,
        user_id: i64,
        threshold: i64,
        lock_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(i64, bool)> {
        let row = sqlx::query(
            "UPDATE users SET failed_logins = failed_logins + 1, updated_at = $2 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(user_id)
        .bind(format_ts(now))
        .fetch_one(self.conn().await?)
        .await?;
        let count: i64 = row.try_get(0)?;
        if count >= threshold {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $2 WHERE id = $1")
                .bind(user_id)
                .bind(format_ts(lock_until))
                .execute(self.conn().await?)
                .await?;
            return Ok((count, true));
        }
        Ok((count, false))
    }

    pub async fn clear_failed_logins(&mut self, user_id: i64) -> Result<()> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user_id)
            .execute(self.conn().await?)
            .await?;
        Ok(())
    }

    /// Changes a user's active flag if the row is still at `version` (optimistic concurrency).
    pub async fn set_user_active(
        &mut self,
        user_id: i64,
        active: bool,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE users SET active = $2, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $3",
        )
        .bind(user_id)
        .bind(i64::from(active))
        .bind(version)
        .bind(format_ts(now))
        .execute(self.conn().await?)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::StaleVersion);
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(self.conn().await?)
                .await?;
        }
        Ok(())
    }
}
