//! Settings kept in the database (`meta`): the database's mode (demo or production), the
//! directory version last synced.

use sqlx::Row;

use crate::{Result, Store, Tx, classify};

impl Store {
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }
}

impl Tx {
    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?;
        Ok(())
    }
}
