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

    /// Sets a value only if the key has none yet (two processes creating it at once keep the
    /// first); returns whether this call set it.
    pub async fn set_meta_if_absent(&mut self, key: &str, value: &str) -> Result<bool> {
        let n = sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(self.conn().await?)
        .await
        .map_err(classify)?
        .rows_affected();
        Ok(n == 1)
    }
}
