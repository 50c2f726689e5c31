//! Demo accounts: only in a database marked as a demo database, the generated passwords of the
//! demo users, so that `tongxin demo accounts` can print them for trainers.

use sqlx::Row;

use crate::{Result, Store, Tx, classify};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
}

impl Tx {
    pub async fn insert_demo_account(&mut self, username: &str, password: &str) -> Result<()> {
        sqlx::query("INSERT INTO demo_accounts (username, password) VALUES ($1, $2)")
            .bind(username)
            .bind(password)
            .execute(self.conn().await?)
            .await
            .map_err(classify)?;
        Ok(())
    }
}

impl Store {
    pub async fn demo_accounts(&self) -> Result<Vec<DemoAccount>> {
        let rows = sqlx::query("SELECT username, password FROM demo_accounts ORDER BY username")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(DemoAccount {
                    username: r.try_get(0)?,
                    password: r.try_get(1)?,
                })
            })
            .collect()
    }
}
